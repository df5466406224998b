//! Edits through the protocol: incremental changes in UTF-16 and UTF-8,
//! CRLF kept, versions checked, and a burst of 1,000 edits applied in order.

mod common;

use common::server::TestServer;
use common::{covered, lsp_position};
use serde_json::{json, Value};

const URI: &str = "file:///notes/edit.notes";

fn change(text: &str, start: usize, end: usize, new: &str, utf8: bool) -> Value {
    json!({
        "range": {"start": lsp_position(text, start, utf8), "end": lsp_position(text, end, utf8)},
        "text": new
    })
}

/// The server's view of the text, read back through the outline and the
/// diagnostics, must equal what the core makes of the client's text.
async fn assert_in_sync(s: &mut TestServer, text: &str, version: i64) {
    let symbols = s
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await
        .expect("symbols");
    let names: Vec<String> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["name"].as_str().unwrap_or_default().to_string())
        .collect();
    let notes = notes_ls::syntax::parse(text);
    let expected: Vec<String> = notes_ls::ide::outline(text, &notes)
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, expected);
    let diags = s.diagnostics(URI, version).await;
    let expected = notes_ls::ide::diagnostics(text, &notes);
    assert_eq!(diags.len(), expected.len());
    for (got, want) in diags.iter().zip(&expected) {
        assert_eq!(covered(text, &got["range"], s.utf8), want.range.slice(text));
    }
}

#[tokio::test]
async fn multibyte_edits_in_utf16_and_utf8() {
    for caps in [
        json!({}),
        json!({"general": {"positionEncodings": ["utf-8"]}}),
    ] {
        let (mut s, _) = TestServer::start(caps).await;
        let utf8 = s.utf8;
        let mut text =
            String::from("*What is 缓存 😀 caching?\r\n->\r\nKeeping café data close.\r\n");
        s.open(URI, &text).await;
        s.diagnostics(URI, 1).await;
        // Insert after the emoji, then replace across the CRLF line break.
        let at = text.find(" caching").unwrap_or(0);
        let c1 = change(&text, at, at, " (快)", utf8);
        text.insert_str(at, " (快)");
        let a = text.find("?\r\n->").unwrap_or(0) + 1;
        let c2 = change(&text, a, a + 4, "->", utf8);
        text.replace_range(a..a + 4, "->");
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [c1, c2]}),
        )
        .await;
        assert_eq!(
            text,
            "*What is 缓存 😀 (快) caching?->\r\nKeeping café data close.\r\n"
        );
        assert_in_sync(&mut s, &text, 2).await;
        // The stub fix writes CRLF, as the file does.
        let end = text.len();
        let c3 = change(&text, text.find("Keeping").unwrap_or(0), end, "", utf8);
        text.truncate(text.find("Keeping").unwrap_or(0));
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [c3]}),
        )
        .await;
        let d = s.diagnostics(URI, 3).await;
        assert_eq!(d[0]["code"], "unanswered-question");
        assert_eq!(
            covered(&text, &d[0]["range"], utf8),
            "What is 缓存 😀 (快) caching?"
        );
    }
}

#[tokio::test]
async fn stale_versions_and_unknown_documents_are_ignored() {
    let mut s = TestServer::start_default().await;
    let text = "*Q?\n->\nA\n";
    s.open(URI, text).await;
    for (uri, version) in [(URI, 1), ("file:///never-opened.notes", 5)] {
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                 "end": {"line": 0, "character": 0}}, "text": "junk"}]}),
        )
        .await;
        let log = s.notification("window/logMessage").await;
        assert!(
            log["message"]
                .as_str()
                .unwrap_or_default()
                .contains("ignored")
                || log["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("not open")
        );
    }
    assert_in_sync(&mut s, text, 1).await;
}

#[tokio::test]
async fn positions_past_the_end_are_clamped() {
    let mut s = TestServer::start_default().await;
    let mut text = String::from("*Q?\n->\nA");
    s.open(URI, &text).await;
    s.diagnostics(URI, 1).await;
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 99},
                                             "end": {"line": 40, "character": 7}}, "text": "nswer"}]}),
    )
    .await;
    text.push_str("nswer");
    assert_in_sync(&mut s, &text, 2).await;
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rapid_edits_arrive_in_order() {
    let mut s = TestServer::start_default().await;
    let mut text = String::from("*What is JWT?\n->\nA signed token.\n\n*What is OAuth?\n");
    s.open(URI, &text).await;
    let pieces = [
        "*",
        "->",
        "\n",
        "\r\n",
        "é",
        "😀",
        "缓",
        "What is X?",
        " ",
        "a",
        "|x|",
    ];
    let mut rng = Lcg(7);
    let mut messages = Vec::new();
    for version in 2..=1001 {
        let a = char_boundary(&text, rng.next(text.len() + 1));
        let b = char_boundary(&text, (a + rng.next(4)).min(text.len()));
        // Never split a CRLF pair: the client would not either.
        let b = if text[..b].ends_with('\r') && text[b..].starts_with('\n') {
            b + 1
        } else {
            b
        };
        let a = if text[..a].ends_with('\r') && text[a..].starts_with('\n') {
            a - 1
        } else {
            a
        };
        let new = if rng.next(3) == 0 {
            ""
        } else {
            pieces[rng.next(pieces.len())]
        };
        let c = change(&text, a, b, new, false);
        text.replace_range(a..b, new);
        messages
            .push(json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [c]}));
    }
    // All sent at once, as a fast client does, and the outline asked for
    // at once: nothing says the changes were handled but the read loop's
    // ordering rule, which puts them, then the request, in the document's
    // turn in the order they came (a change out of order is refused as
    // not newer, and the text would differ).
    for m in messages {
        s.send_notification("textDocument/didChange", m);
    }
    assert_in_sync(&mut s, &text, 1001).await;
}
