//! End-to-end latency of the real server over stdio, as an editor sees it.
//!
//! ```text
//! cargo run --release --example lsp_latency                      # 20k questions, 5,000 files
//! cargo run --release --example lsp_latency -- --questions 500 --files 50 --json out.json
//! cargo run --release --example lsp_latency -- --markdown        # also VS Code's Markdown server
//! ```
//!
//! It builds `notes-ls` with the profile of this example (`cargo build
//! [--release] --bin notes-ls`, a no-op when it is current) and runs
//! `target/<profile>/notes-ls`, found next to this example's own binary
//! (`target/<profile>/examples/lsp_latency`); `--server PATH` runs another
//! binary instead. It then:
//!
//! 1. for each corpus (`--corpus`: `plain`, the generated file of
//!    `--questions` questions, 20,000 by default, about 2.3 MB; `findings`,
//!    the same with a third more of its questions unanswered, repeated or
//!    without an arrow; `benches/corpus`) and each way of getting
//!    diagnostics (`--modes`: `push`, as Neovim 0.7 and Emacs get them;
//!    `pull`, as VS Code asks for them), starts a server, opens the file and
//!    times, `--iterations` times, a one-character edit until that version's
//!    diagnostics arrive (push: the `publishDiagnostics`; pull: the answer to
//!    the `textDocument/diagnostic` sent right after the edit, as VS Code
//!    does), and for pull an `unchanged` answer (the same request again, with
//!    the id just received), then reads the server's peak RSS (`VmHWM` in
//!    `/proc/<pid>/status`);
//! 2. on the first corpus, over push: `documentSymbol` after an edit,
//!    `hover` on a glossary term, `completion` on a partly typed term;
//! 3. writes `--files` files (5,000 of 100 questions, about 55 MB) to a
//!    temporary folder and, `--index-runs` times, starts a server on that
//!    folder and times `initialized` → the end of its "Indexing notes"
//!    `$/progress`, then `workspace/diagnostic` the first time and again
//!    with the ids it gave (all `unchanged`), then reads the peak RSS;
//!    then runs `notes-ls check --format json` on the folder as many times
//!    (wall time, peak RSS; its findings must be the server's);
//!    `--spread` says how the files share questions: `distinct` (each its
//!    own, but for the duplicates meant and a few questions asked in file
//!    after file) or `overlapping` (almost every question in five files, a
//!    stress case for cross-file duplicates);
//! 4. with `--markdown`, runs VS Code's Markdown language server on the same
//!    questions written as Markdown headings (`benches/markdown-server`,
//!    `npm ci --prefix benches/markdown-server` first) and reports its edit
//!    latency and memory beside ours, with the ratios.
//!
//! Times are taken when the last byte of the server's message has been read,
//! before the client parses it. The table shows median, p95, the target from
//! docs/performance.md and whether it is met; `--json FILE` writes the same.
//! Targets missed do not fail the run unless `--strict` is given: CI runs a
//! small corpus on a shared machine only to check that everything works.

mod common;
#[path = "../benches/corpus/mod.rs"]
mod corpus;
#[path = "../tests/common/framing.rs"]
mod framing;

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{file_uri, frame, lsp_position, ms};

struct Args {
    questions: usize,
    files: usize,
    questions_per_file: usize,
    iterations: usize,
    index_runs: usize,
    json: Option<PathBuf>,
    server: Option<PathBuf>,
    strict: bool,
    /// Only these parts (edit, symbols, hover, completion, index); all if empty.
    only: Vec<String>,
    /// `plain`, `findings`.
    corpora: Vec<String>,
    /// `push`, `pull`.
    modes: Vec<String>,
    /// Also run VS Code's Markdown server on the same questions.
    markdown: bool,
    /// `distinct`, `overlapping`: how the workspace's files share questions.
    spreads: Vec<String>,
    /// `notesLs` settings sent as initialization options (`--settings
    /// '{"diagnostics":{"english-spelling":"info"}}'`); none by default.
    settings: Value,
}

impl Args {
    fn wants(&self, part: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|p| p == part)
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: lsp_latency [--questions N] [--files M] [--questions-per-file Q] \
         [--iterations K] [--index-runs R] [--json FILE] [--server PATH] [--strict] \
         [--only edit,symbols,hover,completion,index] [--corpus plain,findings] \
         [--modes push,pull] [--markdown] [--spread distinct,overlapping] [--settings JSON]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        questions: 20_000,
        files: 5_000,
        questions_per_file: 100,
        iterations: 100,
        index_runs: 3,
        json: None,
        server: None,
        strict: false,
        only: Vec::new(),
        corpora: vec!["plain".to_string(), "findings".to_string()],
        modes: vec!["push".to_string(), "pull".to_string()],
        markdown: false,
        spreads: vec!["distinct".to_string()],
        settings: Value::Null,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        let mut number = || value().parse::<usize>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--questions" => a.questions = number(),
            "--files" => a.files = number(),
            "--questions-per-file" => a.questions_per_file = number(),
            "--iterations" => a.iterations = number().max(1),
            "--index-runs" => a.index_runs = number().max(1),
            "--json" => a.json = Some(PathBuf::from(value())),
            "--server" => a.server = Some(PathBuf::from(value())),
            "--strict" => a.strict = true,
            "--only" => a.only = value().split(',').map(str::to_string).collect(),
            "--corpus" => a.corpora = value().split(',').map(str::to_string).collect(),
            "--modes" => a.modes = value().split(',').map(str::to_string).collect(),
            "--markdown" => a.markdown = true,
            "--spread" => a.spreads = value().split(',').map(str::to_string).collect(),
            "--settings" => a.settings = serde_json::from_str(&value()).unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    a
}

/// A message from the server and when its last byte was read.
type Received = (Instant, Value);

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: mpsc::Receiver<Received>,
    next_id: i64,
}

impl Server {
    fn spawn(bin: &Path) -> Server {
        let (child, stdin, stdout) = common::spawn(bin);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || read_messages(stdout, tx));
        Server {
            child,
            stdin,
            rx,
            next_id: 1,
        }
    }

    fn send(&mut self, msg: &Value) {
        self.stdin.write_all(&frame(msg)).expect("write to server");
        self.stdin.flush().expect("flush to server");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request; returns its id and when it was sent.
    fn request(&mut self, method: &str, params: Value) -> (i64, Instant) {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let body = frame(&msg);
        let sent = Instant::now();
        self.stdin.write_all(&body).expect("write to server");
        self.stdin.flush().expect("flush to server");
        (id, sent)
    }

    /// Waits for a message that `pred` accepts, answering the server's own
    /// requests (progress tokens, registrations) with a null result.
    fn wait(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, msg) = self.rx.recv_timeout(left).ok()?;
            if msg.get("method").is_some() && msg.get("id").is_some() {
                let id = msg["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if pred(&msg) {
                return Some((at, msg));
            }
        }
    }

    /// Round trip of one request, in milliseconds, and its response.
    fn timed_request(&mut self, method: &str, params: Value) -> (f64, Value) {
        let (id, sent) = self.request(method, params);
        let (at, msg) = self
            .wait(Duration::from_secs(60), |m| {
                m["id"] == id && m.get("method").is_none()
            })
            .unwrap_or_else(|| panic!("no answer to {method}"));
        if let Some(e) = msg.get("error") {
            panic!("{method} failed: {e}");
        }
        (ms(at - sent), msg)
    }

    /// `pull`: announces pull diagnostics with refresh, as VS Code does.
    fn initialize(&mut self, root: Option<&Path>, pull: bool, settings: &Value) {
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "notes"}]));
        let mut capabilities = json!({
            "window": {"workDoneProgress": true},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
        });
        if pull {
            capabilities["textDocument"]["diagnostic"] = json!({"dynamicRegistration": false});
            capabilities["workspace"] = json!({"diagnostics": {"refreshSupport": true}});
        }
        let params = json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": folders,
            "initializationOptions": settings,
            "capabilities": capabilities
        });
        let (_, init) = self.timed_request("initialize", params);
        let pulls = init["result"]["capabilities"]["diagnosticProvider"].is_object();
        assert_eq!(pulls, pull, "the server's diagnostics mode");
    }

    /// Peak resident set size so far, in bytes.
    fn peak_rss(&self) -> Option<u64> {
        vm_hwm(self.child.id())
    }

    fn shutdown(mut self) {
        self.timed_request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin);
        for _ in 0..1000 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Bytes of message bodies read so far, for the sizes the report gives
/// (counted here rather than by serialising what was parsed again, which
/// would take the server's cores while it works).
static BYTES_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn read_messages(stdout: impl Read, tx: mpsc::Sender<Received>) {
    let mut r = BufReader::with_capacity(1 << 20, stdout);
    while let Some(body) = framing::read_frame(&mut r) {
        let at = Instant::now();
        BYTES_READ.fetch_add(body.len(), std::sync::atomic::Ordering::Relaxed);
        let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
            return;
        };
        if tx.send((at, msg)).is_err() {
            return;
        }
    }
}

/// One keystroke: the `edits`-th edit types `x` at the end of an answer line
/// when even and deletes it when odd. Returns the time until the
/// diagnostics of the new version arrive, in milliseconds.
fn one_char_edit(
    s: &mut Server,
    uri: &str,
    text: &str,
    answer_lines: &[usize],
    edits: &mut usize,
) -> f64 {
    one_char_edit_in(s, uri, text, answer_lines, edits, &mut Pulled::Push)
}

/// How the diagnostics of an edit are awaited.
enum Pulled {
    /// Wait for the pushed `publishDiagnostics` of the new version.
    Push,
    /// Ask with `textDocument/diagnostic`, giving the id last received.
    Pull { result_id: Option<String> },
}

fn one_char_edit_in(
    s: &mut Server,
    uri: &str,
    text: &str,
    answer_lines: &[usize],
    edits: &mut usize,
    how: &mut Pulled,
) -> f64 {
    let i = *edits;
    *edits += 1;
    let version = *edits as i64 + 1;
    let at = answer_lines[(i / 2 * 7_919) % answer_lines.len()];
    let pos = lsp_position(text, at);
    let (end, insert) = if i % 2 == 0 {
        (pos.clone(), "x")
    } else {
        let character = pos["character"].as_u64().unwrap_or(0) + 1;
        (json!({"line": pos["line"], "character": character}), "")
    };
    let msg = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": pos, "end": end}, "text": insert}]}});
    let body = frame(&msg);
    let sent = Instant::now();
    s.stdin.write_all(&body).expect("write didChange");
    s.stdin.flush().expect("flush");
    match how {
        Pulled::Push => {
            let (at, _) = s
                .wait(Duration::from_secs(60), |m| {
                    m["method"] == "textDocument/publishDiagnostics"
                        && m["params"]["version"] == version
                })
                .expect("diagnostics after an edit");
            ms(at - sent)
        }
        Pulled::Pull { result_id } => {
            let (id, _) = s.request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
            );
            let (at, msg) = s
                .wait(Duration::from_secs(60), |m| {
                    m["id"] == id && m.get("method").is_none()
                })
                .expect("a pulled report after an edit");
            if let Some(r) = msg["result"]["resultId"].as_str() {
                *result_id = Some(r.to_string());
            }
            ms(at - sent)
        }
    }
}

/// One row of the report.
struct Row {
    metric: String,
    /// Milliseconds, or bytes for memory rows; empty when not measured.
    samples: Vec<f64>,
    unit: &'static str,
    target: f64,
    target_text: String,
    note: Option<String>,
}

impl Row {
    fn time(metric: &str, samples: Vec<f64>, target_ms: f64) -> Row {
        Row {
            metric: metric.to_string(),
            samples,
            unit: "ms",
            target: target_ms,
            target_text: format!("≤ {target_ms} ms"),
            note: None,
        }
    }

    /// A figure measured for the record, with no target to meet.
    fn untargeted(metric: &str, samples: Vec<f64>, unit: &'static str) -> Row {
        Row {
            metric: metric.to_string(),
            samples,
            unit,
            target: f64::INFINITY,
            target_text: "-".to_string(),
            note: None,
        }
    }

    fn percentile(&self, p: f64) -> Option<f64> {
        if self.samples.is_empty() {
            return None;
        }
        let mut v = self.samples.clone();
        v.sort_by(f64::total_cmp);
        let i = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
        Some(v[i])
    }

    fn median(&self) -> Option<f64> {
        self.percentile(0.5)
    }

    fn pass(&self) -> Option<bool> {
        let target = Some(self.target).filter(|t| t.is_finite())?;
        self.median().map(|m| m <= target)
    }

    fn show(&self, v: Option<f64>) -> String {
        match (v, self.unit) {
            (None, _) => self.note.clone().unwrap_or_else(|| "n/a".to_string()),
            (Some(v), "MB") => format!("{:.1} MB", v / 1e6),
            (Some(v), _) if v < 10.0 => format!("{v:.2} ms"),
            (Some(v), _) => format!("{v:.0} ms"),
        }
    }
}

fn main() -> ExitCode {
    let args = parse_args();
    let bin = common::server_binary(args.server.as_deref());
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut rows = Vec::new();
    let mut file_bytes = 0;

    // --- one large file, per corpus and per way of getting diagnostics -----
    let mut requests_done = false;
    for name in &args.corpora {
        let mut opts = corpus::Options::new(args.questions, 42);
        opts.findings = name == "findings";
        let text = corpus::generate(&opts);
        let path = tmp.path().join(format!("{name}.notes"));
        std::fs::write(&path, &text).expect("write corpus");
        file_bytes = file_bytes.max(text.len());
        for mode in &args.modes {
            let pull = mode == "pull";
            // Requests other than diagnostics do not depend on how
            // diagnostics travel: measured once.
            let requests = !requests_done && !pull;
            requests_done |= requests;
            rows.extend(one_file(&args, &bin, &path, &text, name, pull, requests));
        }
        if name == "plain" && args.markdown {
            rows.extend(markdown_server(&args, &path, &text, &rows));
        }
    }

    // --- a workspace of many files ------------------------------------------
    if args.wants("index") {
        for spread in &args.spreads {
            let spread = match spread.as_str() {
                "distinct" => corpus::Spread::Distinct,
                "overlapping" => corpus::Spread::Overlapping,
                _ => usage(),
            };
            rows.extend(workspace(&args, &bin, tmp.path(), spread));
        }
    }

    print_table(&rows);
    if let Some(out) = &args.json {
        let report = json_report(&args, &rows, file_bytes);
        let body = serde_json::to_string_pretty(&report).expect("JSON");
        std::fs::write(out, body + "\n").expect("write --json file");
        eprintln!("wrote {}", out.display());
    }
    let missed = rows.iter().any(|r| r.pass() == Some(false));
    if args.strict && missed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The rows of one open file of `corpus`, its diagnostics pushed or pulled;
/// with `requests`, the outline, hover and completion too.
fn one_file(
    args: &Args,
    bin: &Path,
    path: &Path,
    text: &str,
    corpus: &str,
    pull: bool,
    requests: bool,
) -> Vec<Row> {
    let k = args.iterations;
    let mode = if pull { "pull" } else { "push" };
    let label = format!("{corpus}, {mode}");
    let mut rows = Vec::new();
    let uri = file_uri(path);
    let mut s = Server::spawn(bin);
    s.initialize(None, pull, &args.settings);
    s.notify("initialized", json!({}));
    let opened = Instant::now();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "notes", "version": 1, "text": text}}),
    );
    let is_diags = |v: i64| {
        move |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == v
        }
    };
    let mut how = if pull {
        Pulled::Pull { result_id: None }
    } else {
        Pulled::Push
    };
    let diagnostics = match &mut how {
        Pulled::Push => {
            let (_, first) = s
                .wait(Duration::from_secs(60), is_diags(1))
                .expect("diagnostics after didOpen");
            first["params"]["diagnostics"]
                .as_array()
                .map_or(0, Vec::len)
        }
        Pulled::Pull { result_id } => {
            let (_, first) = s.timed_request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}}),
            );
            *result_id = first["result"]["resultId"].as_str().map(str::to_string);
            first["result"]["items"].as_array().map_or(0, Vec::len)
        }
    };
    eprintln!(
        "{label}: {} questions, {:.2} MB, {diagnostics} diagnostics; didOpen → first diagnostics {:.1} ms",
        args.questions,
        text.len() as f64 / 1e6,
        ms(opened.elapsed())
    );

    // Answer lines spread over the file: where the edits go.
    let mut answer_lines: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content.ends_with('.')
            && !content.starts_with(['*', '-', '|', ' '])
            && content.is_ascii()
        {
            answer_lines.push(offset + content.len());
        }
        offset += line.len();
    }
    assert!(!answer_lines.is_empty(), "the corpus has answer lines");
    // Edits type a character at the end of an answer line, then delete it;
    // `edits` counts them, so that an even count leaves the text as it was.
    let mut edits = 0;
    if args.wants("edit") {
        let edit_ms: Vec<f64> = (0..k)
            .map(|_| one_char_edit_in(&mut s, &uri, text, &answer_lines, &mut edits, &mut how))
            .collect();
        let target = if args.questions > 50_000 { 25.0 } else { 5.0 };
        rows.push(Row::time(
            &format!("one-character edit → diagnostics ({label})"),
            edit_ms,
            target,
        ));
        if let Pulled::Pull { result_id } = &how {
            let mut unchanged_ms = Vec::with_capacity(k);
            for _ in 0..k {
                let (t, msg) = s.timed_request(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": uri}, "previousResultId": result_id}),
                );
                assert_eq!(msg["result"]["kind"], "unchanged", "{msg}");
                unchanged_ms.push(t);
            }
            rows.push(Row::time(
                &format!("unchanged pull ({corpus})"),
                unchanged_ms,
                0.5,
            ));
        }
    }

    if requests && args.wants("symbols") {
        // Each request follows an edit, as when an editor refreshes its
        // outline while the user types: the server cannot answer from a
        // result kept for the same version.
        let mut symbol_ms = Vec::with_capacity(k);
        let mut symbols = 0;
        for _ in 0..k {
            one_char_edit(&mut s, &uri, text, &answer_lines, &mut edits);
            let (t, msg) = s.timed_request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri}}),
            );
            symbols = msg["result"].as_array().map_or(0, Vec::len);
            symbol_ms.push(t);
        }
        assert!(symbols >= args.questions, "{symbols} symbols");
        rows.push(Row::time("documentSymbol (after an edit)", symbol_ms, 10.0));
    }
    if edits % 2 == 1 {
        one_char_edit_in(&mut s, &uri, text, &answer_lines, &mut edits, &mut how);
    }
    let mut version = edits as i64 + 1;

    if requests && args.wants("hover") {
        // Hover on a glossary term in the middle of the file.
        let term_at = text.len() / 2 + text[text.len() / 2..].find("Gunicorn").expect("a term");
        let hover_pos = lsp_position(text, term_at + 3);
        let mut hover_ms = Vec::with_capacity(k);
        for _ in 0..k {
            let (t, msg) = s.timed_request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": hover_pos}),
            );
            let md = msg["result"]["contents"]["value"].as_str().unwrap_or("");
            assert!(md.contains("Gunicorn"), "hover on Gunicorn: {msg}");
            hover_ms.push(t);
        }
        rows.push(Row::time("hover", hover_ms, 1.0));
    }

    if requests && args.wants("completion") {
        // Type " Guni" at the end of an answer line, then complete there.
        let at = answer_lines[answer_lines.len() / 2];
        let pos = lsp_position(text, at);
        version += 1;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": pos, "end": pos}, "text": " Guni"}]}),
        );
        s.wait(Duration::from_secs(60), is_diags(version))
            .expect("diagnostics after typing");
        let cursor =
            json!({"line": pos["line"], "character": pos["character"].as_u64().unwrap_or(0) + 5});
        let mut completion_ms = Vec::with_capacity(k);
        for _ in 0..k {
            let (t, msg) = s.timed_request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": cursor}),
            );
            let items = msg["result"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert!(
                items.iter().any(|i| i["label"] == "Gunicorn"),
                "completion offers Gunicorn: {msg}"
            );
            completion_ms.push(t);
        }
        rows.push(Row::time("completion", completion_ms, 1.0));
    }

    let rss = s.peak_rss();
    s.shutdown();
    rows.push(memory_row(
        &format!(
            "peak RSS, one {:.1} MB file open ({label})",
            text.len() as f64 / 1e6
        ),
        rss,
        text.len(),
    ));
    rows
}

/// Indexing a folder of many files, then its `workspace/diagnostic`, the
/// first time and unchanged.
fn workspace(args: &Args, bin: &Path, tmp: &Path, spread: corpus::Spread) -> Vec<Row> {
    let name = match spread {
        corpus::Spread::Distinct => "",
        corpus::Spread::Overlapping => ", overlapping",
    };
    let ws = tmp.join(format!("workspace{}", name.trim_start_matches(", ")));
    std::fs::create_dir_all(&ws).expect("workspace dir");
    let stats = corpus::write_workspace(&ws, args.files, args.questions_per_file, 7, spread)
        .expect("write workspace");
    eprintln!(
        "workspace{name}: {} files, {:.1} MB",
        stats.files,
        stats.bytes as f64 / 1e6
    );
    let mut index_ms = Vec::new();
    let mut first_ms = Vec::new();
    let mut unchanged_ms = Vec::new();
    let mut index_rss = None;
    let mut no_index = false;
    let mut server_findings = None;
    for _ in 0..args.index_runs {
        let mut s = Server::spawn(bin);
        s.initialize(Some(&ws), true, &args.settings);
        let started = Instant::now();
        s.notify("initialized", json!({}));
        let begun = s.wait(Duration::from_secs(5), |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
        });
        if begun.is_none() {
            no_index = true;
            s.shutdown();
            break;
        }
        let (at, _) = s
            .wait(Duration::from_secs(300), |m| {
                m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
            })
            .expect("indexing ends");
        index_ms.push(ms(at - started));
        // As VS Code asks: with a partial result token, so the reports
        // come as `$/progress` in batches and the answer itself is empty.
        let (t, items, bytes) = workspace_report(&mut s, &[]);
        first_ms.push(t);
        assert_eq!(items.len(), stats.files, "a report per file");
        let findings: usize = items
            .iter()
            .map(|i| i["items"].as_array().map_or(0, Vec::len))
            .sum();
        eprintln!(
            "workspace/diagnostic: {findings} findings, {:.1} MB of JSON",
            bytes as f64 / 1e6
        );
        server_findings = Some(findings);
        let previous: Vec<Value> = items
            .iter()
            .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
            .collect();
        let (t, again, _) = workspace_report(&mut s, &previous);
        assert!(
            again.iter().all(|i| i["kind"] == "unchanged"),
            "an unchanged workspace reports unchanged"
        );
        unchanged_ms.push(t);
        index_rss = index_rss.max(s.peak_rss());
        s.shutdown();
    }
    // The command line on the same folder, `--index-runs` times.
    let mut check_ms = Vec::new();
    let mut check_rss = None;
    for _ in 0..args.index_runs {
        let (t, rss, findings) = check_run(bin, &ws);
        if let Some(server) = server_findings {
            assert_eq!(findings, server, "`check` and the server find the same");
        }
        check_ms.push(t);
        check_rss = check_rss.max(rss);
    }
    let mb = stats.bytes as f64 / 1e6;
    let mut index_row = Row::time(
        &format!("index {} files ({mb:.0} MB{name})", stats.files),
        index_ms,
        1000.0,
    );
    if no_index {
        index_row.note = Some("n/a (server does not index)".to_string());
    }
    vec![
        index_row,
        Row::time(
            &format!("workspace/diagnostic, {} files{name}, first", stats.files),
            first_ms,
            1000.0,
        ),
        Row::time(
            &format!(
                "workspace/diagnostic, {} files{name}, unchanged",
                stats.files
            ),
            unchanged_ms,
            50.0,
        ),
        memory_row(
            &format!("peak RSS, {} files{name} indexed and reported", stats.files),
            index_rss,
            stats.bytes,
        ),
        Row::untargeted(
            &format!("notes-ls check, {} files{name}", stats.files),
            check_ms,
            "ms",
        ),
        Row::untargeted(
            &format!("peak RSS, notes-ls check, {} files{name}", stats.files),
            check_rss.map(|b| b as f64).into_iter().collect(),
            "MB",
        ),
    ]
}

/// One `notes-ls check --format json` of `ws`: its wall time, its peak RSS,
/// and the findings it printed (one JSON line each, then the summary line).
///
/// The peak is `VmHWM` read every 2 ms while it runs: the kernel's own
/// count for a child (`wait4`'s `ru_maxrss`) starts from this process's
/// size, since std spawns with the parent's memory until `exec`.
fn check_run(bin: &Path, ws: &Path) -> (f64, Option<u64>, usize) {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["check", "--format", "json"])
        .arg(ws)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start notes-ls check");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watch = {
        let (pid, done) = (child.id(), std::sync::Arc::clone(&done));
        std::thread::spawn(move || {
            let mut peak = None;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(vm_hwm(pid));
                std::thread::sleep(Duration::from_millis(2));
            }
            peak
        })
    };
    let mut out = child.stdout.take().expect("stdout");
    let (mut lines, mut buf) = (0, vec![0u8; 1 << 16]);
    while let Ok(n @ 1..) = out.read(&mut buf) {
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    // Its output ended: it is exiting, not yet waited for.
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = watch.join().ok().flatten();
    let _ = child.wait();
    (common::ms(started.elapsed()), peak, lines.saturating_sub(1))
}

/// The peak RSS of process `pid` so far, in bytes.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `workspace/diagnostic` with a partial result token, as VS Code sends it:
/// the time until the (empty) answer, every report received, and the bytes
/// of JSON they came in.
fn workspace_report(s: &mut Server, previous: &[Value]) -> (f64, Vec<Value>, usize) {
    let token = format!("ws-{}", s.next_id);
    let (id, sent) = s.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous, "partialResultToken": token}),
    );
    let mut items = Vec::new();
    let read_before = BYTES_READ.load(std::sync::atomic::Ordering::Relaxed);
    loop {
        let (at, mut msg) = s
            .wait(Duration::from_secs(300), |m| {
                (m["id"] == id && m.get("method").is_none())
                    || (m["method"] == "$/progress" && m["params"]["token"] == token.as_str())
            })
            .expect("workspace reports");
        let batch = if msg.get("method").is_some() {
            msg["params"]["value"]["items"].take()
        } else {
            msg["result"]["items"].take()
        };
        if let Value::Array(batch) = batch {
            items.extend(batch);
        }
        if msg.get("method").is_none() {
            let bytes = BYTES_READ.load(std::sync::atomic::Ordering::Relaxed) - read_before;
            return (ms(at - sent), items, bytes);
        }
    }
}

/// VS Code's Markdown language server on the same questions written as
/// Markdown headings (`benches/markdown-server/run.mjs`), with the ratios
/// to this run's own pull figures.
fn markdown_server(args: &Args, path: &Path, text: &str, ours: &[Row]) -> Vec<Row> {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/markdown-server/run.mjs");
    let out = path.with_extension("markdown.json");
    let edits = args.iterations.min(30).to_string();
    let status = Command::new("node")
        .arg(&driver)
        .args(["--notes", &path.to_string_lossy(), "--edits", &edits])
        .args(["--json", &out.to_string_lossy()])
        .stdout(Stdio::null())
        .status();
    let report: Option<Value> = match status {
        Ok(s) if s.success() => std::fs::read(&out)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok()),
        _ => None,
    };
    let Some(report) = report else {
        eprintln!(
            "VS Code's Markdown server did not run (npm ci --prefix benches/markdown-server)"
        );
        return Vec::new();
    };
    let median = report["edit_median_ms"].as_f64().unwrap_or(f64::NAN);
    let rss = report["peak_rss_mb"].as_f64().unwrap_or(f64::NAN) * 1e6;
    let our_edit = ours
        .iter()
        .find(|r| r.metric.starts_with("one-character edit") && r.metric.contains("plain, pull"))
        .and_then(Row::median);
    let our_rss = ours
        .iter()
        .find(|r| r.metric.starts_with("peak RSS") && r.metric.contains("plain, pull"))
        .and_then(Row::median);
    let mut edit = Row::time(
        "VS Code Markdown server: edit → diagnostics (pull)",
        vec![median],
        f64::INFINITY,
    );
    edit.target_text = match our_edit {
        Some(o) => format!("ours {:.0}x faster (goal 200x)", median / o),
        None => "-".to_string(),
    };
    let mut memory = memory_row(
        "VS Code Markdown server: peak RSS",
        Some(rss as u64),
        text.len(),
    );
    memory.target = f64::INFINITY;
    memory.target_text = match our_rss {
        Some(o) => format!("ours {:.1}x less (goal 10x)", rss / o),
        None => "-".to_string(),
    };
    vec![edit, memory]
}

/// Peak RSS against the target of three times the text held plus 30 MB.
fn memory_row(metric: &str, rss: Option<u64>, text_bytes: usize) -> Row {
    let target = 3.0 * text_bytes as f64 + 30e6;
    Row {
        metric: metric.to_string(),
        samples: rss.map(|b| b as f64).into_iter().collect(),
        unit: "MB",
        target,
        target_text: format!("≤ {:.0} MB (3 × text + 30)", target / 1e6),
        note: None,
    }
}

fn print_table(rows: &[Row]) {
    let width = rows
        .iter()
        .map(|r| r.metric.chars().count())
        .max()
        .unwrap_or(0);
    println!(
        "{:width$}  {:>10}  {:>10}  {:26}  result",
        "metric", "median", "p95", "target"
    );
    for r in rows {
        let result = match r.pass() {
            Some(true) => "pass",
            Some(false) => "MISS",
            None => "-",
        };
        let p95 = if r.unit == "MB" {
            None
        } else {
            r.percentile(0.95)
        };
        println!(
            "{:width$}  {:>10}  {:>10}  {:26}  {result}",
            r.metric,
            r.show(r.median()),
            if r.unit == "MB" {
                String::new()
            } else {
                r.show(p95)
            },
            r.target_text,
        );
    }
}

fn json_report(args: &Args, rows: &[Row], file_bytes: usize) -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|c| {
        c.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .map(|s| s.trim().to_string())
    });
    let metrics: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "metric": r.metric,
                "unit": if r.unit == "MB" { "bytes" } else { "ms" },
                "samples": r.samples.len(),
                "median": r.median(),
                "p95": if r.unit == "MB" { None } else { r.percentile(0.95) },
                "target": r.target,
                "pass": r.pass(),
                "note": r.note,
            })
        })
        .collect();
    json!({
        "machine": {
            "cpus": std::thread::available_parallelism().map(|n| n.get()).ok(),
            "cpu": cpu,
        },
        "questions": args.questions,
        "file_bytes": file_bytes,
        "files": args.files,
        "questions_per_file": args.questions_per_file,
        "iterations": args.iterations,
        "metrics": metrics,
    })
}
