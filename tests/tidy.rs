//! House rules checked over the source tree, as rust-analyzer's tidy test
//! does: each file says what it owns, and the server never prints to stdout
//! (stdout carries the protocol; a stray `println!` corrupts it).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(sub), &mut out);
    out.sort();
    out
}

#[test]
fn every_file_starts_with_a_module_doc_comment() {
    let mut missing = Vec::new();
    for sub in ["src", "tests", "examples", "benches"] {
        for f in files(sub) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            if !text.trim_start().starts_with("//!") {
                missing.push(f.display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add a `//!` comment saying what the file owns: {missing:#?}"
    );
}

#[test]
fn the_server_and_the_core_never_print_to_stdout() {
    let mut offenders = Vec::new();
    for sub in [
        "src/lsp",
        "src/ide",
        "src/syntax",
        "src/workspace",
        "src/study",
    ] {
        for f in files(sub) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let prints = ["println!(", "print!("].iter().any(|m| {
                    code.match_indices(m)
                        .any(|(at, _)| !code[..at].ends_with('e'))
                });
                // The transport hands `std::io::stdout()` to the one writer
                // thread (`output::install`); nothing else may touch it.
                let writer = f.ends_with("transport.rs") && code.contains("output::install(");
                if prints || (code.contains("std::io::stdout") && !writer) {
                    offenders.push(format!("{}:{}", f.display(), i + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "stdout is the protocol's: {offenders:#?}"
    );
}

/// The layers of ARCHITECTURE.md, lowest first: a module may use its own
/// layer and those below, never one above, and the pure core never the
/// protocol, the runtime or the rope. Test code (after `#[cfg(test)]`) may.
#[test]
fn layers_import_only_downward() {
    const LAYERS: &[(&str, &[&str])] = &[
        (
            "src/syntax",
            &["ide", "config", "workspace", "study", "cli", "lsp"],
        ),
        ("src/ide", &["config", "workspace", "study", "cli", "lsp"]),
        ("src/config.rs", &["workspace", "study", "cli", "lsp"]),
        ("src/workspace", &["study", "cli", "lsp"]),
        ("src/study", &["cli", "lsp"]),
        ("src/cli", &["lsp"]),
        ("src/lsp", &["cli"]),
    ];
    const PURE: &[&str] = &["src/syntax", "src/ide", "src/workspace"];
    const FOREIGN: &[&str] = &["tower_lsp", "lsp_types", "tokio", "ropey", "serde_json"];
    let mut offenders = Vec::new();
    for (dir, above) in LAYERS {
        let files = if dir.ends_with(".rs") {
            vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)]
        } else {
            files(dir)
        };
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("#[cfg(test)]") {
                    break;
                }
                let code = line.split("//").next().unwrap_or("");
                let upward = above.iter().any(|m| {
                    code.contains(&format!("crate::{m}::"))
                        || code.contains(&format!("crate::{m}}}"))
                        || code.contains(&format!("crate::{m};"))
                });
                let foreign = PURE.contains(dir)
                    && FOREIGN.iter().any(|c| {
                        code.contains(&format!("{c}::")) || code.contains(&format!("use {c}"))
                    });
                if upward || foreign {
                    offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "imports against the layers of ARCHITECTURE.md: {offenders:#?}"
    );
}
