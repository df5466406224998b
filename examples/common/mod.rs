//! What the end-to-end benchmarks (`lsp_latency`, `stall`) share: finding
//! the server binary to run, framing a message, URIs, positions and times.
//! Each example includes it with `mod common;` (Cargo takes only
//! `examples/*.rs` and `examples/*/main.rs` as examples, so this folder is
//! not one).

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// The binary to run: `explicit` (`--server PATH`) as it is, else
/// `target/<profile>/notes-ls` next to the running example
/// (`target/<profile>/examples/<name>`), built first with that profile
/// (`cargo build --bin notes-ls`, a no-op when it is current) so that a
/// stale binary is never measured.
pub fn server_binary(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    let exe = std::env::current_exe().expect("own path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples")
        .to_path_buf();
    let release = dir.file_name().is_some_and(|n| n == "release");
    if !release {
        eprintln!("warning: a debug build measures nothing useful; use --release");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "--quiet",
        "--bin",
        "notes-ls",
        "--manifest-path",
        manifest,
    ]);
    if release {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "cargo build --bin notes-ls failed");
    dir.join(format!("notes-ls{}", std::env::consts::EXE_SUFFIX))
}

/// Starts the server at `bin` with piped stdin and stdout (its log,
/// warnings only, goes to ours): the process and its two pipes.
pub fn spawn(bin: &Path) -> (Child, ChildStdin, ChildStdout) {
    let mut child = Command::new(bin)
        .env("NOTES_LS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    (child, stdin, stdout)
}

/// A message with its `Content-Length` header.
pub fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// LSP position (UTF-16 columns) of a byte offset, counting `\n` lines.
pub fn lsp_position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}
