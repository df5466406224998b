//! Hover, completion and semantic tokens through the protocol, with `$0`
//! cursor fixtures, and every range checked in UTF-16 and in UTF-8 on a line
//! with emoji and CJK before the term, in a CRLF file.

mod common;

use common::server::TestServer;
use common::{covered, cursor, lsp_position};
use serde_json::{json, Value};

const URI: &str = "file:///notes/features.notes";

/// Both encodings: the server must answer in the one it negotiated.
async fn servers() -> Vec<TestServer> {
    vec![
        TestServer::start(json!({
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
        }))
        .await
        .0,
        TestServer::start(json!({
            "general": {"positionEncodings": ["utf-8"]},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
        }))
        .await
        .0,
    ]
}

async fn request_at(s: &mut TestServer, method: &str, text: &str, offset: usize) -> Value {
    let pos = lsp_position(text, offset, s.utf8);
    s.request(
        method,
        json!({"textDocument": {"uri": URI}, "position": pos}),
    )
    .await
    .expect(method)
}

#[tokio::test]
async fn hover_on_a_term_after_emoji_and_cjk_in_crlf() {
    let fixture = "*What is 缓存 😀 for?\r\n->\r\n缓存 😀 é: keep a refresh to$0ken close.\r\n";
    let (text, offset) = cursor(fixture);
    for mut s in servers().await {
        s.open(URI, &text).await;
        let h = request_at(&mut s, "textDocument/hover", &text, offset).await;
        assert_eq!(covered(&text, &h["range"], s.utf8), "refresh token");
        assert_eq!(h["contents"]["kind"], "markdown");
        let md = h["contents"]["value"].as_str().unwrap_or_default();
        assert!(md.starts_with("**refresh token**"), "{md}");
        assert!(md.contains("built-in glossary"), "{md}");
    }
}

#[tokio::test]
async fn hover_on_a_question_shows_its_status() {
    let (text, offset) = cursor("*What is $0the GIL in 🐍?\n->\n");
    let mut s = TestServer::start_default().await;
    s.open(URI, &text).await;
    let h = request_at(&mut s, "textDocument/hover", &text, offset).await;
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("Unanswered"), "{md}");
    assert_eq!(covered(&text, &h["range"], false), "What is the GIL in 🐍?");
}

/// The line the cursor is on after a client applies `item`'s edit, as a
/// client that expands snippets would (`\$` → `$`).
fn applied_line(text: &str, item: &Value, utf8: bool) -> String {
    let edit = &item["textEdit"];
    let range = &edit["range"];
    let at = |p: &Value| {
        common::offset(
            text,
            p["line"].as_u64().unwrap_or_default() as u32,
            p["character"].as_u64().unwrap_or_default() as u32,
            utf8,
        )
    };
    let (start, end) = (at(&range["start"]), at(&range["end"]));
    let mut new_text = edit["newText"].as_str().unwrap_or_default().to_string();
    if item["insertTextFormat"] == 2 {
        new_text = new_text.replace("\\$", "$").replace("\\}", "}");
    }
    let after = format!("{}{}{}", &text[..start], new_text, &text[end..]);
    let line_start = after[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = after[start..]
        .find(['\r', '\n'])
        .map_or(after.len(), |i| start + i);
    after[line_start..line_end].to_string()
}

#[tokio::test]
async fn completion_replaces_what_was_typed_even_across_words() {
    let fixture = "*Auth 😀 缓存?\r\n->\r\n😀 缓存 use a Refresh to$0\r\n";
    let (text, offset) = cursor(fixture);
    let servers = servers()
        .await
        .into_iter()
        .chain([TestServer::start_default().await]);
    for mut s in servers {
        s.open(URI, &text).await;
        let list = request_at(&mut s, "textDocument/completion", &text, offset).await;
        assert_eq!(list["isIncomplete"], true);
        let items = list["items"].as_array().cloned().unwrap_or_default();
        let first = &items[0];
        assert_eq!(first["label"], "refresh token");
        assert_eq!(
            covered(&text, &first["textEdit"]["range"], s.utf8),
            "Refresh to"
        );
        // Filtered by what the edit leaves, in the case the user typed.
        assert_eq!(first["filterText"], "Refresh token");
        assert_eq!(
            applied_line(&text, first, s.utf8),
            "😀 缓存 use a refresh token"
        );
        // Every item replaces the same words (clients take one start
        // column for the list), and an item that matched only `to` keeps
        // `Refresh` in front of it.
        for item in &items {
            assert_eq!(item["textEdit"]["range"], first["textEdit"]["range"]);
            let line = applied_line(&text, item, s.utf8);
            let label = item["label"].as_str().unwrap_or_default();
            assert!(
                line == format!("😀 缓存 use a {label}")
                    || line == format!("😀 缓存 use a Refresh {label}"),
                "{line} for {item}"
            );
        }
        let tornado = items
            .iter()
            .find(|i| i["label"] == "Tornado")
            .expect("Tornado");
        assert_eq!(
            applied_line(&text, tornado, s.utf8),
            "😀 缓存 use a Refresh Tornado"
        );
        assert_eq!(tornado["filterText"], "Refresh tornado");
        assert!(first["documentation"]["value"]
            .as_str()
            .unwrap_or_default()
            .contains("token"));
        // Sorted by our ranking.
        let sort: Vec<&str> = items
            .iter()
            .filter_map(|i| i["sortText"].as_str())
            .collect();
        let mut sorted = sort.clone();
        sorted.sort();
        assert_eq!(sort, sorted);
    }
}

/// Neovim inserts only the first word of a plain-text edit; a client that
/// takes snippets gets the term as an escaped snippet, inserted whole.
#[tokio::test]
async fn multi_word_terms_go_as_snippets_where_snippets_are_taken() {
    let (text, offset) = cursor("*Q?\n->\nwe use rate lim$0\n");
    let mut with = servers().await.remove(0);
    with.open(URI, &text).await;
    let list = request_at(&mut with, "textDocument/completion", &text, offset).await;
    let first = &list["items"][0];
    assert_eq!(first["label"], "rate limiting");
    assert_eq!(first["insertTextFormat"], 2);
    assert_eq!(applied_line(&text, first, false), "we use rate limiting");
    let mut without = TestServer::start_default().await;
    without.open(URI, &text).await;
    let list = request_at(&mut without, "textDocument/completion", &text, offset).await;
    let first = &list["items"][0];
    assert_eq!(first["insertTextFormat"], 1);
    assert_eq!(first["textEdit"]["newText"], "rate limiting");
}

#[tokio::test]
async fn completion_at_a_line_start_offers_a_new_entry_snippet() {
    let (text, offset) = cursor("*Q?\r\n->\r\nA\r\n\r\n$0");
    for mut s in servers().await {
        s.open(URI, &text).await;
        let list = request_at(&mut s, "textDocument/completion", &text, offset).await;
        let snippet = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["kind"] == 15)
            .cloned()
            .expect("a snippet item");
        assert_eq!(snippet["insertTextFormat"], 2);
        let new_text = snippet["textEdit"]["newText"].as_str().unwrap_or_default();
        assert!(
            new_text.starts_with('*') && new_text.contains("\r\n->\r\n"),
            "{new_text}"
        );
    }
    // Without snippet support it is not offered.
    let mut plain = TestServer::start_default().await;
    plain.open(URI, &text).await;
    let list = request_at(&mut plain, "textDocument/completion", &text, offset).await;
    assert!(list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|i| i["kind"] != 15));
}

#[tokio::test]
async fn diagnostics_and_outline_ranges_in_both_encodings() {
    let text = "😀 intro 缓存\r\n\r\n*What is 缓存 😀 JWT?\r\n->\r\n\r\nwhat is é 😀 CORS ?\r\n->\r\nHeader: 缓存 😀 part\r\n";
    for mut s in servers().await {
        s.open(URI, text).await;
        let diags = s.diagnostics(URI, 1).await;
        let got: Vec<(String, &str)> = diags
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    covered(text, &d["range"], s.utf8),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("unanswered-question".to_string(), "What is 缓存 😀 JWT?"),
                ("missing-question-marker".to_string(), "what is é 😀 CORS ?"),
            ]
        );
        let symbols = s
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            )
            .await
            .expect("symbols");
        assert_eq!(
            covered(text, &symbols[1]["selectionRange"], s.utf8),
            "what is é 😀 CORS ?"
        );
        let child = &symbols[1]["children"][0];
        assert_eq!(covered(text, &child["selectionRange"], s.utf8), "Header");
    }
}

/// Decodes the relative token stream back to (covered text, type index).
fn decode(text: &str, data: &[Value], utf8: bool) -> Vec<(String, u64)> {
    let (mut line, mut col) = (0u64, 0u64);
    data.chunks(5)
        .map(|t| {
            let dl = t[0].as_u64().unwrap_or(0);
            let ds = t[1].as_u64().unwrap_or(0);
            line += dl;
            col = if dl == 0 { col + ds } else { ds };
            let len = t[2].as_u64().unwrap_or(0);
            let range = json!({"start": {"line": line, "character": col},
                               "end": {"line": line, "character": col + len}});
            (
                covered(text, &range, utf8).to_string(),
                t[3].as_u64().unwrap_or(99),
            )
        })
        .collect()
}

#[tokio::test]
async fn semantic_tokens_cover_the_right_characters() {
    let text = "*What is 😀 JWT?\r\n->\r\n缓存 Header: a Gunicorn part\r\n";
    for mut s in servers().await {
        s.open(URI, text).await;
        let tokens = s
            .request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": URI}}),
            )
            .await
            .expect("tokens");
        let data = tokens["data"].as_array().cloned().unwrap_or_default();
        let got = decode(text, &data, s.utf8);
        // keyword, function, operator, property, type (the legend's order).
        assert!(got.contains(&("*".to_string(), 0)), "{got:?}");
        assert!(got.contains(&("JWT".to_string(), 4)), "{got:?}");
        assert!(got.contains(&("->".to_string(), 2)), "{got:?}");
        // A CJK word is part of the term: `缓存 Header` is what is defined.
        assert!(got.contains(&("缓存 Header".to_string(), 3)), "{got:?}");
        assert!(got.contains(&("Gunicorn".to_string(), 4)), "{got:?}");
    }
}
