//! Does a request wait behind another one? The claim to prove (issue 18):
//! no request waits more than 50 ms behind another request.
//!
//! ```text
//! cargo run --release --example stall                             # 5,000 files, 10 rounds
//! cargo run --release --example stall -- --files 200 --rounds 2  # small, for CI
//! cargo run --release --example stall -- --only a,c --server PATH --json out.json
//! ```
//!
//! The server is the real binary over stdio (`target/release/notes-ls`,
//! built first as `lsp_latency` builds it; `--server PATH` runs another),
//! driven as VS Code drives it: diagnostics pulled, with refresh. Each
//! scenario starts its own server with a small document open (three lines,
//! outside the workspace) and runs `--rounds` rounds: the slow work, then,
//! 5 ms later, the fast request, a hover on `Nginx` in the small document
//! (its time alone, with nothing else in flight, is measured first). It
//! reports how long the slow request took and how long the hover waited.
//!
//! - a. `textDocument/references` on `Gunicorn`, mentioned in almost every
//!   file of a workspace of `--files` files (`benches/corpus`,
//!   `Spread::Distinct`, 100 questions each).
//! - b. `workspace/diagnostic` over that workspace (no previous ids: every
//!   report computed) while an edit makes the index update: the edit of an
//!   open workspace file first, the report 290 ms later, the hover 5 ms
//!   after the index is due to take the edit in (300 ms after the edit), so
//!   that the index update waits for the report's read lock and the hover
//!   for the index update.
//! - c. Replace All: one `didChange` with 14,114 content changes, each
//!   replacing the word `in` by `inside`, in the file of `--questions`
//!   questions (20,000 by default, 2.3 MB; the issue's file was 5.1 MB,
//!   about `--questions 45000`), followed at once by that file's
//!   `textDocument/diagnostic` (as VS Code pulls after an edit); the slow
//!   time runs from the edit to that answer. Rounds alternate the
//!   replacement and its inverse.
//! - d. `textDocument/semanticTokens/full`, then `textDocument/codeAction`,
//!   on the same file.
//!
//! How it is timed, and why the figures can be trusted:
//! - A message's time is taken on the thread that reads the server's
//!   stdout, when its last byte is read and before it is parsed. That thread
//!   does nothing else: a second one parses and answers the server's own
//!   requests (`client/registerCapability`, `window/workDoneProgress/create`,
//!   `workspace/configuration`, `workspace/diagnostic/refresh`), and a third
//!   writes to the server, so the client never makes the server wait.
//! - A round counts only if the hover was sent before the slow answer was
//!   read (`in flight`); `fast first` says in how many rounds the hover was
//!   answered first, as it should be when nothing blocks it.
//! - Rounds end on messages, never on a pause: both answers, and, after an
//!   edit, the `workspace/diagnostic/refresh` the server sends once its index
//!   has taken the edit in (so the next round starts on a quiet server).
//!
//! - A round that has not got everything within `--timeout` seconds (120 by
//!   default) ends its scenario: the server is killed, the table says
//!   `timeout`, and the next scenario starts.
//!
//! The table gives the slow request's median, the hover's time alone, its
//! median and maximum over the rounds in flight, and whether the maximum is
//! within 50 ms; `--json FILE` writes every round.

mod common;
#[path = "../benches/corpus/mod.rs"]
mod corpus;
#[path = "../tests/common/framing.rs"]
mod framing;

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

use common::{file_uri, frame, lsp_position, ms};

/// The claim: no request waits longer than this behind another.
const TARGET_MS: f64 = 50.0;
/// From the slow request to the fast one.
const FAST_AFTER: Duration = Duration::from_millis(5);
/// How long the server waits after an edit before its index takes it in
/// (`INDEX_DELAY` in `src/lsp/publish.rs`).
const INDEX_DELAY: Duration = Duration::from_millis(300);
/// Content changes of the Replace All (scenario c), as in the issue.
const REPLACE_ALL_CHANGES: usize = 14_114;
/// The word replaced, and what replaces it (a word the corpus never has,
/// so the inverse replacement finds exactly the same places).
const REPLACED: (&str, &str) = ("in", "inside");
/// Longest wait for a message while a server starts (indexing, opening).
const STUCK: Duration = Duration::from_secs(300);

/// The small document the fast request goes to: three lines.
/// The hover is on `Nginx`: a term of the built-in glossary that the
/// corpus never defines, so its hover stays small however large the
/// workspace (on `Gunicorn`, defined in many of its files, it lists every
/// definition: megabytes at 5,000 files).
const SMALL_TEXT: &str =
    "*What does Nginx do?\n-> It proxies requests to Gunicorn.\nNginx terminates TLS.\n";
/// On the `i` of `Nginx`, line 0.
const SMALL_HOVER: (u32, u32) = (0, 13);
const SMALL_TERM: &str = "Nginx";

struct Args {
    only: Vec<String>,
    rounds: usize,
    files: usize,
    questions: usize,
    server: Option<PathBuf>,
    json: Option<PathBuf>,
    /// How long a round may wait for its answers; a round that waits longer
    /// ends its scenario (its server is killed).
    timeout: Duration,
}

fn usage() -> ! {
    eprintln!(
        "usage: stall [--only a,b,c,d] [--rounds N] [--files N] [--questions N] \
         [--timeout SECS] [--server PATH] [--json FILE]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        only: Vec::new(),
        rounds: 10,
        files: 5_000,
        questions: 20_000,
        server: None,
        json: None,
        timeout: Duration::from_secs(120),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        let mut number = || value().parse::<usize>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--rounds" => a.rounds = number().max(1),
            "--files" => a.files = number().max(1),
            "--questions" => a.questions = number().max(1),
            "--timeout" => a.timeout = Duration::from_secs(number().max(1) as u64),
            "--only" => a.only = value().split(',').map(str::to_string).collect(),
            "--server" => a.server = Some(PathBuf::from(value())),
            "--json" => a.json = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    if a.only
        .iter()
        .any(|s| !["a", "b", "c", "d"].contains(&s.as_str()))
    {
        usage();
    }
    a
}

impl Args {
    fn wants(&self, scenario: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == scenario)
    }
}

fn main() {
    let args = parse_args();
    let bin = common::server_binary(args.server.as_deref());
    let tmp = tempfile::tempdir().expect("temp dir");
    let small = tmp.path().join("small.notes");
    std::fs::write(&small, SMALL_TEXT).expect("write the small document");
    let mut results = Vec::new();

    if args.wants("a") || args.wants("b") {
        let ws = tmp.path().join("workspace");
        let stats = corpus::write_workspace(&ws, args.files, 100, 7, corpus::Spread::Distinct)
            .expect("write the workspace");
        eprintln!(
            "workspace: {} files, {:.1} MB",
            stats.files,
            stats.bytes as f64 / 1e6
        );
        if args.wants("a") {
            results.push(references(&args, &bin, &ws, &small));
        }
        if args.wants("b") {
            results.push(workspace_report(&args, &bin, &ws, &small));
        }
    }
    if args.wants("c") || args.wants("d") {
        let text = corpus::notes(args.questions, 42);
        let big = tmp.path().join("big.notes");
        std::fs::write(&big, &text).expect("write the large file");
        eprintln!(
            "large file: {} questions, {:.2} MB",
            args.questions,
            text.len() as f64 / 1e6
        );
        if args.wants("c") {
            results.push(replace_all(&args, &bin, &big, &text, &small));
        }
        if args.wants("d") {
            results.extend(large_file_requests(&args, &bin, &big, &text, &small));
        }
    }

    print_table(&results);
    if let Some(out) = &args.json {
        let body = serde_json::to_string_pretty(&json_report(&args, &results)).expect("JSON");
        std::fs::write(out, body + "\n").expect("write the --json file");
        eprintln!("wrote {}", out.display());
    }
}

// --- the scenarios ----------------------------------------------------------

/// a. `references` on a term of the whole workspace.
fn references(args: &Args, bin: &Path, ws: &Path, small: &Path) -> Scenario {
    let mut s = Session::start(bin, Some(ws), small, args.timeout);
    let (uri, text) = s.open_from_disk(&first_file(ws));
    let at = text
        .find("Gunicorn")
        .expect("the first file mentions Gunicorn");
    let position = lsp_position(&text, at + 3);
    let mut scenario = Scenario::new(
        "a",
        format!("references, {} files", args.files),
        "textDocument/references",
        s.hover_alone(),
    );
    for _ in 0..args.rounds {
        let (id, sent) = s.client.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position,
                   "context": {"includeDeclaration": true}}),
        );
        let round = s.finish_round(sent, id, sent + FAST_AFTER, None);
        if !scenario.push(round) {
            return scenario;
        }
    }
    s.client.shutdown();
    scenario
}

/// b. `workspace/diagnostic` while an edit makes the index update.
fn workspace_report(args: &Args, bin: &Path, ws: &Path, small: &Path) -> Scenario {
    let mut s = Session::start(bin, Some(ws), small, args.timeout);
    let (uri, _) = s.open_from_disk(&first_file(ws));
    let mut scenario = Scenario::new(
        "b",
        format!("workspace/diagnostic + index update, {} files", args.files),
        "workspace/diagnostic",
        s.hover_alone(),
    );
    for round in 0..args.rounds {
        // Type an `x` at the start of the file, then take it out again.
        let start = json!({"line": 0, "character": 0});
        let end = json!({"line": 0, "character": round % 2});
        let version = s.next_version();
        let edited = s.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": start, "end": end},
                                       "text": if round % 2 == 0 { "x" } else { "" }}]}),
        );
        sleep_until(edited + INDEX_DELAY - Duration::from_millis(10));
        // As VS Code asks: with a partial result token; no previous ids,
        // so that every file's report is computed.
        let (id, sent) = s.client.request(
            "workspace/diagnostic",
            json!({"previousResultIds": [], "partialResultToken": format!("stall-{round}")}),
        );
        let round = s.finish_round(sent, id, edited + INDEX_DELAY + FAST_AFTER, Some(edited));
        if !scenario.push(round) {
            return scenario;
        }
    }
    s.client.shutdown();
    scenario
}

/// c. Replace All in the large file: one `didChange`, many changes.
fn replace_all(args: &Args, bin: &Path, big: &Path, text: &str, small: &Path) -> Scenario {
    let (word, with) = REPLACED;
    let (forth, replaced) = replace_all_changes(text, word, with, REPLACE_ALL_CHANGES);
    let (back, restored) = replace_all_changes(&replaced, with, word, REPLACE_ALL_CHANGES);
    assert!(
        restored == text && back.len() == forth.len(),
        "replacing `{with}` back by `{word}` gives the file again"
    );
    let mut s = Session::start(bin, None, small, args.timeout);
    let uri = s.open(big, text);
    let mut scenario = Scenario::new(
        "c",
        format!(
            "Replace All, {} changes in {:.1} MB",
            forth.len(),
            text.len() as f64 / 1e6
        ),
        "didChange → textDocument/diagnostic",
        s.hover_alone(),
    );
    for round in 0..args.rounds {
        let changes = if round % 2 == 0 { &forth } else { &back };
        let version = s.next_version();
        let edited = s.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": changes}),
        );
        let (id, _) = s.client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        let round = s.finish_round(edited, id, edited + FAST_AFTER, Some(edited));
        if !scenario.push(round) {
            return scenario;
        }
    }
    s.client.shutdown();
    scenario
}

/// d. Semantic tokens, then code actions, on the large file.
fn large_file_requests(
    args: &Args,
    bin: &Path,
    big: &Path,
    text: &str,
    small: &Path,
) -> Vec<Scenario> {
    let mut s = Session::start(bin, None, small, args.timeout);
    let uri = s.open(big, text);
    let middle = lsp_position(text, text.len() / 2);
    let line = middle["line"].clone();
    let requests = [
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": line, "character": 0},
                             "end": {"line": line, "character": 0}},
                   "context": {"diagnostics": [], "triggerKind": 2}}),
        ),
    ];
    let alone = s.hover_alone();
    let mut out = Vec::new();
    for (method, params) in requests {
        let name = method.trim_start_matches("textDocument/");
        let mut scenario = Scenario::new(
            "d",
            format!("{name}, {:.1} MB file", text.len() as f64 / 1e6),
            method,
            alone,
        );
        for _ in 0..args.rounds {
            let (id, sent) = s.client.request(method, params.clone());
            let round = s.finish_round(sent, id, sent + FAST_AFTER, None);
            if !scenario.push(round) {
                out.push(scenario);
                return out;
            }
        }
        out.push(scenario);
    }
    s.client.shutdown();
    out
}

/// The workspace's first file (`benches/corpus` names them by number).
fn first_file(ws: &Path) -> PathBuf {
    ws.join("backend/notes-00000.notes")
}

// --- a server with the small document open ------------------------------------

/// A server, the small document open in it, and the version of the last
/// edit sent.
struct Session {
    client: Client,
    small_uri: String,
    version: i64,
    timeout: Duration,
}

impl Session {
    /// Starts a server on `root` (none: open files only), waits for its
    /// first index, and opens the small document.
    fn start(bin: &Path, root: Option<&Path>, small: &Path, timeout: Duration) -> Session {
        let mut client = Client::spawn(bin);
        client.initialize(root);
        client.notify("initialized", json!({}));
        if root.is_some() {
            // The scan's end asks the client to pull again; the progress
            // `end` may come before or after that (it waits for the answer
            // to the token's creation).
            let (mut ended, mut refreshed) = (false, false);
            while !(ended && refreshed) {
                let r = client.next();
                ended |=
                    r.msg["method"] == "$/progress" && r.msg["params"]["value"]["kind"] == "end";
                refreshed |= is_refresh(&r.msg);
            }
        }
        let mut s = Session {
            client,
            small_uri: String::new(),
            version: 1,
            timeout,
        };
        s.small_uri = s.open(small, SMALL_TEXT);
        s
    }

    /// Sends the fast request.
    fn hover(&mut self) -> (i64, Instant) {
        let (line, character) = SMALL_HOVER;
        self.client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": self.small_uri},
                   "position": {"line": line, "character": character}}),
        )
    }

    /// The hover's own time, with nothing else in flight: the median of
    /// three.
    fn hover_alone(&mut self) -> f64 {
        let times = (0..3)
            .map(|_| {
                let (id, sent) = self.hover();
                ms(self.client.wait_for(|m| is_answer(m, id)).at - sent)
            })
            .collect();
        median(times).unwrap_or(f64::NAN)
    }

    fn next_version(&mut self) -> i64 {
        self.version += 1;
        self.version
    }

    /// Opens `path` with `text` and waits until the index has it (the
    /// server then asks for a refresh).
    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = file_uri(path);
        self.client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "notes",
                                    "version": self.version, "text": text}}),
        );
        self.client.wait_for(is_refresh);
        uri
    }

    fn open_from_disk(&mut self, path: &Path) -> (String, String) {
        let text = std::fs::read_to_string(path).expect("read a workspace file");
        (self.open(path, &text), text)
    }

    /// The rest of a round whose slow request `slow_id` was sent at
    /// `started` (for an edit, when the edit was sent): sends the hover at
    /// `fast_due`, then reads until both answers are in and, after an edit
    /// (`edited`), until the index has taken it in, or until the timeout.
    fn finish_round(
        &mut self,
        started: Instant,
        slow_id: i64,
        fast_due: Instant,
        edited: Option<Instant>,
    ) -> Round {
        sleep_until(fast_due);
        let (fast_id, fast_sent) = self.hover();
        let deadline = started + self.timeout;
        let mut slow: Option<Received> = None;
        let mut fast: Option<Received> = None;
        let mut refreshed = None;
        while slow.is_none() || fast.is_none() || (edited.is_some() && refreshed.is_none()) {
            let Some(r) = self.client.next_before(deadline) else {
                break;
            };
            if is_answer(&r.msg, slow_id) {
                slow = Some(r);
            } else if is_answer(&r.msg, fast_id) {
                fast = Some(r);
            } else if is_refresh(&r.msg) {
                refreshed = Some(r.at);
            }
        }
        let mut problems = Vec::new();
        let waited = format!("not answered within {:?}", self.timeout);
        match &slow {
            None => problems.push(format!("the slow request was {waited}")),
            Some(r) if !r.msg["error"].is_null() => {
                problems.push(format!("the slow request failed: {}", r.msg["error"]))
            }
            Some(_) => {}
        }
        match &fast {
            None => problems.push(format!("the hover was {waited}")),
            Some(r) => {
                let hover = r.msg["result"]["contents"]["value"].as_str();
                let answered = if r.whole {
                    hover.is_some_and(|h| h.contains(SMALL_TERM))
                } else {
                    r.msg.get("result").is_some()
                };
                if !answered {
                    problems.push(format!(
                        "the hover did not answer on {SMALL_TERM}: {}",
                        r.msg
                    ));
                }
            }
        }
        if edited.is_some() && refreshed.is_none() {
            problems.push(format!(
                "the index did not take the edit in within {:?}",
                self.timeout
            ));
        }
        let (slow_at, fast_at) = (slow.as_ref().map(|r| r.at), fast.as_ref().map(|r| r.at));
        Round {
            slow_ms: slow_at.map_or(f64::INFINITY, |at| ms(at - started)),
            slow_bytes: slow.map_or(0, |r| r.bytes),
            fast_ms: fast_at.map_or(f64::INFINITY, |at| ms(at - fast_sent)),
            in_flight: match slow_at {
                Some(at) => fast_sent < at,
                None => true,
            },
            fast_first: match (fast_at, slow_at) {
                (Some(f), Some(s)) => f < s,
                (Some(_), None) => true,
                (None, _) => false,
            },
            index_ms: edited.zip(refreshed).map(|(e, r)| ms(r - e)),
            complete: slow_at.is_some()
                && fast_at.is_some()
                && (edited.is_none() || refreshed.is_some()),
            problems,
        }
    }
}

fn sleep_until(due: Instant) {
    if let Some(left) = due.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
}

fn is_answer(msg: &Value, id: i64) -> bool {
    msg["id"] == id && msg["method"].is_null()
}

fn is_refresh(msg: &Value) -> bool {
    msg["method"] == "workspace/diagnostic/refresh"
}

// --- Replace All ----------------------------------------------------------------

/// The content changes of a Replace All of the whole word `word` by `with`
/// at its first `limit` places, last place first, as one `didChange`
/// carries them (each range holds in the text the changes before it have
/// left: they are applied in order), and the text after them.
fn replace_all_changes(text: &str, word: &str, with: &str, limit: usize) -> (Vec<Value>, String) {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let places: Vec<usize> = text
        .match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| !is_word(text[..i].chars().next_back()))
        .filter(|&i| !is_word(text[i + word.len()..].chars().next()))
        .take(limit)
        .collect();
    let width = word.encode_utf16().count();
    let mut changes: Vec<Value> = positions(text, &places)
        .into_iter()
        .map(|(line, character)| {
            json!({"range": {"start": {"line": line, "character": character},
                             "end": {"line": line, "character": character + width}},
                   "text": with})
        })
        .collect();
    changes.reverse();
    let mut after = String::with_capacity(text.len() + places.len() * with.len());
    let mut from = 0;
    for &i in &places {
        after.push_str(&text[from..i]);
        after.push_str(with);
        from = i + word.len();
    }
    after.push_str(&text[from..]);
    (changes, after)
}

/// LSP positions (line, UTF-16 column) of increasing byte offsets, in one
/// pass over the text.
fn positions(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(offsets.len());
    let (mut line, mut character, mut at) = (0, 0, 0);
    for &offset in offsets {
        for c in text[at..offset].chars() {
            if c == '\n' {
                line += 1;
                character = 0;
            } else {
                character += c.len_utf16();
            }
        }
        at = offset;
        out.push((line, character));
    }
    out
}

// --- the client ---------------------------------------------------------------

/// A message from the server: when its last byte was read, its size, and
/// the message (of a large one, only what tells what it is; see [`parse`]).
struct Received {
    at: Instant,
    bytes: usize,
    msg: Value,
    /// `msg` is the whole message, not only its head.
    whole: bool,
}

/// The server's process, the way to its stdin (a writer thread) and the
/// messages read from its stdout.
struct Client {
    child: Child,
    to_server: mpsc::Sender<Vec<u8>>,
    messages: mpsc::Receiver<Received>,
    next_id: i64,
}

impl Client {
    fn spawn(bin: &Path) -> Client {
        let (child, mut stdin, stdout) = common::spawn(bin);
        let (to_server, outgoing) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            for frame in outgoing {
                if stdin
                    .write_all(&frame)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
        let (read_tx, read) = mpsc::channel::<(Instant, Vec<u8>)>();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 20, stdout);
            while let Some(body) = framing::read_frame(&mut r) {
                if read_tx.send((Instant::now(), body)).is_err() {
                    return;
                }
            }
        });
        let (parsed_tx, messages) = mpsc::channel();
        let answers = to_server.clone();
        std::thread::spawn(move || {
            for (at, body) in read {
                let whole = body.len() <= LARGE;
                let msg = if whole {
                    parse(&body)
                } else {
                    parse_head(&body)
                };
                if msg["method"].is_string() && !msg["id"].is_null() {
                    let _ = answers.send(frame(&answer(&msg)));
                }
                let received = Received {
                    at,
                    bytes: body.len(),
                    msg,
                    whole,
                };
                if parsed_tx.send(received).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            to_server,
            messages,
            next_id: 1,
        }
    }

    /// Sends `msg`; returns when it was handed to the writer.
    fn send(&self, msg: &Value) -> Instant {
        let body = frame(msg);
        let sent = Instant::now();
        self.to_server
            .send(body)
            .expect("the writer thread is running");
        sent
    }

    fn notify(&self, method: &str, params: Value) -> Instant {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> (i64, Instant) {
        let id = self.next_id;
        self.next_id += 1;
        let sent =
            self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        (id, sent)
    }

    fn next(&self) -> Received {
        self.next_before(Instant::now() + STUCK)
            .unwrap_or_else(|| panic!("no message from the server for {STUCK:?}"))
    }

    /// The next message, or none by `deadline`.
    fn next_before(&self, deadline: Instant) -> Option<Received> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(r) => Some(r),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("the server closed its stdout (did it crash? see its stderr above)")
            }
        }
    }

    /// Reads until a message that `pred` accepts.
    fn wait_for(&self, pred: impl Fn(&Value) -> bool) -> Received {
        loop {
            let r = self.next();
            if pred(&r.msg) {
                return r;
            }
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let (id, _) = self.request(method, params);
        let r = self.wait_for(|m| is_answer(m, id));
        assert!(r.msg["error"].is_null(), "{method} failed: {}", r.msg);
        r.msg
    }

    /// Capabilities as VS Code announces them for what this measures:
    /// pulled diagnostics with refresh, progress, watched files.
    fn initialize(&mut self, root: Option<&Path>) {
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "notes"}]));
        let init = self.call(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": {
                    "window": {"workDoneProgress": true},
                    "textDocument": {"diagnostic": {"dynamicRegistration": false}},
                    "workspace": {
                        "configuration": true,
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "diagnostics": {"refreshSupport": true}
                    }
                }
            }),
        );
        assert!(
            init["result"]["capabilities"]["diagnosticProvider"].is_object(),
            "the server pulls diagnostics"
        );
    }

    /// Shuts the server down as an editor does; the drop that follows
    /// kills it if it has not exited within 5 s.
    fn shutdown(mut self) {
        let (id, _) = self.request("shutdown", Value::Null);
        self.wait_for(|m| is_answer(m, id));
        self.notify("exit", Value::Null);
        for _ in 0..500 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A run that panics (a server stuck for [`STUCK`]) leaves no server behind.
impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The client's answer to a request of the server's: a setting of each item
/// asked for (none: the defaults), else an empty result.
fn answer(msg: &Value) -> Value {
    let result = match msg["method"].as_str() {
        Some("workspace/configuration") => {
            let items = msg["params"]["items"].as_array().map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        }
        _ => Value::Null,
    };
    json!({"jsonrpc": "2.0", "id": msg["id"], "result": result})
}

/// Bodies larger than this (references, semantic tokens, workspace reports)
/// are not parsed into values (see [`parse_head`]).
const LARGE: usize = 256 * 1024;

fn parse(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

/// Of a large message, only its id, method, error, whether it has a result
/// (`"result": true`) and the params that say what it is for: all a round
/// needs, and far less work on cores the server shares.
fn parse_head(body: &[u8]) -> Value {
    #[derive(Deserialize)]
    struct Head {
        id: Option<Value>,
        method: Option<String>,
        error: Option<Value>,
        result: Option<serde::de::IgnoredAny>,
        params: Option<HeadParams>,
    }
    #[derive(Deserialize)]
    struct HeadParams {
        uri: Option<Value>,
        version: Option<Value>,
        token: Option<Value>,
    }
    let Ok(head) = serde_json::from_slice::<Head>(body) else {
        return Value::Null;
    };
    let mut msg = serde_json::Map::new();
    let mut put = |key: &str, v: Option<Value>| {
        if let Some(v) = v {
            msg.insert(key.to_string(), v);
        }
    };
    put("id", head.id);
    put("method", head.method.map(Value::String));
    put("error", head.error);
    put("result", head.result.map(|_| Value::Bool(true)));
    if let Some(p) = head.params {
        put(
            "params",
            Some(json!({"uri": p.uri, "version": p.version, "token": p.token})),
        );
    }
    Value::Object(msg)
}

// --- results ------------------------------------------------------------------

/// One round. Times are infinite when the answer did not come in time
/// (`null` in the JSON).
struct Round {
    /// From the slow request (or the edit) to its answer.
    slow_ms: f64,
    slow_bytes: usize,
    /// From the hover to its answer.
    fast_ms: f64,
    /// The hover was sent before the slow answer was read.
    in_flight: bool,
    /// The hover was answered before the slow request.
    fast_first: bool,
    /// From the edit to the refresh that says the index has taken it in.
    index_ms: Option<f64>,
    /// Everything the round waits for came in time.
    complete: bool,
    problems: Vec<String>,
}

struct Scenario {
    id: &'static str,
    name: String,
    slow_request: &'static str,
    /// The hover's own time, with nothing else in flight.
    alone_ms: f64,
    rounds: Vec<Round>,
}

impl Scenario {
    fn new(id: &'static str, name: String, slow_request: &'static str, alone_ms: f64) -> Scenario {
        Scenario {
            id,
            name,
            slow_request,
            alone_ms,
            rounds: Vec::new(),
        }
    }

    /// Keeps `round`; returns whether the scenario can go on (it cannot on
    /// a server that did not answer in time).
    fn push(&mut self, round: Round) -> bool {
        eprintln!(
            "{}. {}: slow {} ms, hover {} ms{}{}",
            self.id,
            self.name,
            show(Some(round.slow_ms)),
            show(Some(round.fast_ms)),
            if round.in_flight {
                ""
            } else {
                " (not in flight)"
            },
            round.index_ms.map_or(String::new(), |t| format!(
                ", index updated {t:.0} ms after the edit"
            )),
        );
        let complete = round.complete;
        self.rounds.push(round);
        complete
    }

    /// The hover's latencies in the rounds where it was in flight.
    fn fast_in_flight(&self) -> Vec<f64> {
        self.rounds
            .iter()
            .filter(|r| r.in_flight)
            .map(|r| r.fast_ms)
            .collect()
    }

    fn slow_median(&self) -> Option<f64> {
        median(self.rounds.iter().map(|r| r.slow_ms).collect())
    }

    fn fast_max(&self) -> Option<f64> {
        self.fast_in_flight().into_iter().reduce(f64::max)
    }

    fn pass(&self) -> Option<bool> {
        self.fast_max().map(|m| m <= TARGET_MS)
    }

    fn count(&self, pred: impl Fn(&Round) -> bool) -> usize {
        self.rounds.iter().filter(|r| pred(r)).count()
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[(v.len() - 1) / 2])
}

fn show(v: Option<f64>) -> String {
    match v {
        None => "n/a".to_string(),
        Some(v) if v.is_infinite() => "timeout".to_string(),
        Some(v) if v < 1.0 => format!("{v:.2}"),
        Some(v) if v < 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.0}"),
    }
}

fn print_table(results: &[Scenario]) {
    let names: Vec<String> = results
        .iter()
        .map(|s| format!("{}. {}", s.id, s.name))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    println!(
        "{:width$}  {:>9}  {:>11}  {:>17}  {:>9}  {:>10}  target ≤ {TARGET_MS} ms",
        "scenario", "slow ms", "hover alone", "hover ms med/max", "in flight", "fast first"
    );
    for (s, name) in results.iter().zip(&names) {
        let n = s.rounds.len();
        let result = match s.pass() {
            Some(true) => "pass",
            Some(false) => "MISS",
            None => "n/a (never in flight)",
        };
        println!(
            "{name:width$}  {:>9}  {:>11}  {:>17}  {:>9}  {:>10}  {result}",
            show(s.slow_median()),
            show(Some(s.alone_ms)),
            format!(
                "{} / {}",
                show(median(s.fast_in_flight())),
                show(s.fast_max())
            ),
            format!("{}/{n}", s.count(|r| r.in_flight)),
            format!("{}/{n}", s.count(|r| r.fast_first)),
        );
    }
    for s in results {
        let mut problems: Vec<&String> = s.rounds.iter().flat_map(|r| &r.problems).collect();
        problems.dedup();
        for p in problems {
            println!("{}. {}: {p}", s.id, s.name);
        }
    }
}

fn json_report(args: &Args, results: &[Scenario]) -> Value {
    let scenarios: Vec<Value> = results
        .iter()
        .map(|s| {
            let rounds: Vec<Value> = s
                .rounds
                .iter()
                .map(|r| {
                    json!({
                        "slow_ms": r.slow_ms,
                        "slow_response_bytes": r.slow_bytes,
                        "fast_ms": r.fast_ms,
                        "in_flight": r.in_flight,
                        "fast_first": r.fast_first,
                        "index_updated_ms": r.index_ms,
                        "problems": r.problems,
                    })
                })
                .collect();
            json!({
                "scenario": s.id,
                "name": s.name,
                "slow_request": s.slow_request,
                "fast_request": "textDocument/hover",
                "fast_alone_ms": s.alone_ms,
                "slow_median_ms": s.slow_median(),
                "fast_median_ms": median(s.fast_in_flight()),
                "fast_max_ms": s.fast_max(),
                "target_ms": TARGET_MS,
                "pass": s.pass(),
                "rounds": rounds,
            })
        })
        .collect();
    json!({
        "cpus": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "files": args.files,
        "questions": args.questions,
        "rounds": args.rounds,
        "timeout_s": args.timeout.as_secs(),
        "scenarios": scenarios,
    })
}
