//! Reading LSP base-protocol frames (`Content-Length: N\r\n\r\n` + N
//! bytes) from an input that may hold anything, for the read loop
//! (`transport`).
//!
//! tower-lsp 0.20 decodes stdin with tokio-util's `FramedRead`, which ends
//! the stream after the first decoding error (tokio issue #3976): one
//! malformed message (a body that is not JSON, not UTF-8 or not JSON-RPC, a
//! bad or missing `Content-Length`) stopped the server. And its read buffer
//! kept the size of the largest message ever received, and its untagged
//! `Message` decoding buffered a copy of every body: opening a large file
//! left twice its size in that buffer for good. Here the headers are parsed with
//! limits, and each body is decoded once into a request or a response.
//! Anything else is answered with the JSON-RPC error the specification asks
//! for, and reading goes on at the next header.

use std::borrow::Cow;
use std::io::{self, BufRead};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// The largest message read into memory. Larger ones are skipped unread.
/// Files over 16 MiB are not indexed by default (`files.max-size`); a
/// message carrying one, escaped as JSON, still fits.
pub const MAX_MESSAGE: u64 = 64 * 1024 * 1024;
/// The longest header line; longer ones are garbage.
const MAX_HEADER_LINE: usize = 4096;
/// What a byte the editor sent that is not part of a UTF-8 character is
/// read as: U+001A SUBSTITUTE, one per byte (see [`substituted`]).
pub const SUBSTITUTE: char = '\u{1a}';

/// What the framer read.
#[derive(Debug)]
pub enum Incoming {
    /// A request or notification for the service.
    Request(Request),
    /// The client's answer to a request of the server's.
    Response(Response),
    /// Something that cannot be passed on, with the error that answers it.
    Rejected(Rejection),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The message's id when it could be read, else null (JSON-RPC 2.0, 5.1).
    pub id: Id,
    pub error: Error,
}

impl Rejection {
    fn new(id: Id, code: ErrorCode, message: impl Into<String>) -> Self {
        Rejection {
            id,
            error: Error {
                code,
                message: Cow::Owned(message.into()),
                data: None,
            },
        }
    }

    fn parse_error(message: impl Into<String>) -> Self {
        Rejection::new(Id::Null, ErrorCode::ParseError, message)
    }
}

/// Reads LSP base-protocol frames (`Content-Length: N\r\n\r\n` + N bytes)
/// from a byte stream that may hold anything.
pub struct Framer<R> {
    input: R,
    /// Bytes to read again before `input` (a header found inside garbage).
    pushback: Vec<u8>,
    /// The last frame was broken: skip to the next `Content-Length` first.
    resync: bool,
}

enum Line {
    Text(Vec<u8>),
    /// The first `MAX_HEADER_LINE + 1` bytes of a longer line.
    TooLong(Vec<u8>),
    Eof,
}

impl<R: BufRead> Framer<R> {
    pub fn new(input: R) -> Self {
        Framer {
            input,
            pushback: Vec::new(),
            resync: false,
        }
    }

    /// The next message, or `None` at the end of the input.
    pub fn next_message(&mut self) -> io::Result<Option<Incoming>> {
        if std::mem::take(&mut self.resync) && !self.skip_to_header()? {
            return Ok(None);
        }
        let mut length: Option<Result<u64, String>> = None;
        let mut bad_type = None;
        let mut seen_header = false;
        loop {
            let line = match self.read_line()? {
                Line::Eof => return Ok(None),
                Line::TooLong(line) => {
                    self.rescan(&line[1..], b"");
                    return Ok(Some(Incoming::Rejected(Rejection::parse_error(
                        "header line too long",
                    ))));
                }
                Line::Text(line) => line,
            };
            if line.is_empty() {
                if seen_header {
                    break;
                }
                // Blank lines between messages are harmless.
                continue;
            }
            seen_header = true;
            let Some((name, value)) = split_header(&line) else {
                // Not a header: garbage, perhaps with a real header inside.
                self.rescan(&line[1..], b"\n");
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(format!(
                    "malformed header {:?}",
                    String::from_utf8_lossy(&line[..line.len().min(80)])
                )))));
            };
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(parse_length(value));
            } else if name.eq_ignore_ascii_case("content-type") {
                bad_type = unsupported_charset(value);
            } else {
                tracing::debug!("ignoring header {name}");
            }
        }
        let length = match length {
            Some(Ok(n)) => n,
            Some(Err(why)) => {
                self.resync = true;
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(why))));
            }
            None => {
                self.resync = true;
                return Ok(Some(Incoming::Rejected(Rejection::parse_error(
                    "missing Content-Length header",
                ))));
            }
        };
        if length > MAX_MESSAGE || bad_type.is_some() {
            if !self.skip(length)? {
                return Ok(None);
            }
            let why = bad_type.unwrap_or_else(|| {
                format!(
                    "message of {length} bytes is over the limit of {MAX_MESSAGE} bytes; skipped"
                )
            });
            return Ok(Some(Incoming::Rejected(Rejection::new(
                Id::Null,
                ErrorCode::InvalidRequest,
                why,
            ))));
        }
        let mut body = vec![0; length as usize];
        if !self.read_exact(&mut body)? {
            return Ok(None);
        }
        Ok(Some(check_body(body)))
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if !self.pushback.is_empty() {
            return Ok(&self.pushback);
        }
        loop {
            match self.input.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(_) => break,
            }
        }
        // Already filled: this returns the buffer without reading.
        self.input.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.pushback.is_empty() {
            self.input.consume(n);
        } else {
            self.pushback.drain(..n);
        }
    }

    /// Reads `bytes` (and then `tail`) again, but only from the next
    /// `Content-Length` in them or after them: a header may hide in garbage.
    fn rescan(&mut self, bytes: &[u8], tail: &[u8]) {
        let mut again = bytes.to_vec();
        again.extend_from_slice(tail);
        again.append(&mut self.pushback);
        self.pushback = again;
        self.resync = true;
    }

    /// A line without its `\n` or `\r\n`, or `Eof` when the input ends,
    /// even inside a line: a message cut off by the end is no message.
    fn read_line(&mut self) -> io::Result<Line> {
        let mut line = Vec::new();
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(Line::Eof);
            }
            let (take, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            // Never hold more than the limit of one line.
            let room = MAX_HEADER_LINE + 1 - line.len();
            if take > room {
                line.extend_from_slice(&buf[..room]);
                self.consume(room);
                return Ok(Line::TooLong(line));
            }
            line.extend_from_slice(&buf[..take]);
            self.consume(take + usize::from(done));
            if done {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Line::Text(line));
            }
        }
    }

    /// Discards input up to the next `Content-Length` (in any case) and
    /// leaves the header to be read. False at the end of the input.
    fn skip_to_header(&mut self) -> io::Result<bool> {
        const NAME: &[u8] = b"content-length";
        let mut matched = 0;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut used = buf.len();
            for (i, b) in buf.iter().enumerate() {
                let b = b.to_ascii_lowercase();
                // `c` occurs once in the name, so a mismatch restarts at 0 or 1.
                matched = if b == NAME[matched] {
                    matched + 1
                } else {
                    usize::from(b == NAME[0])
                };
                if matched == NAME.len() {
                    used = i + 1;
                    break;
                }
            }
            self.consume(used);
            if matched == NAME.len() {
                let mut rest = b"Content-Length".to_vec();
                rest.append(&mut self.pushback);
                self.pushback = rest;
                return Ok(true);
            }
        }
    }

    /// Discards `n` bytes without holding them. False if the input ends first.
    fn skip(&mut self, mut n: u64) -> io::Result<bool> {
        while n > 0 {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let k = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            self.consume(k);
            n -= k as u64;
        }
        Ok(true)
    }

    fn read_exact(&mut self, out: &mut [u8]) -> io::Result<bool> {
        let mut at = 0;
        while at < out.len() {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let k = buf.len().min(out.len() - at);
            out[at..at + k].copy_from_slice(&buf[..k]);
            self.consume(k);
            at += k;
        }
        Ok(true)
    }
}

/// `Name: value`, with a name made of header token characters.
fn split_header(line: &[u8]) -> Option<(&str, &str)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = std::str::from_utf8(&line[..colon]).ok()?;
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return None;
    }
    let value = std::str::from_utf8(&line[colon + 1..]).ok()?;
    Some((name, value.trim()))
}

fn parse_length(value: &str) -> Result<u64, String> {
    // Digits only: `u64::from_str` would also take a leading `+`.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = value.parse() {
            return Ok(n);
        }
    }
    Err(format!(
        "invalid Content-Length {:?}",
        &value[..value.len().min(40)]
    ))
}

/// Why a `Content-Type` cannot be read; LSP allows only UTF-8.
fn unsupported_charset(value: &str) -> Option<String> {
    let charset = value
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .next()?;
    let charset = charset.trim_matches('"');
    if charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8") {
        None
    } else {
        Some(format!(
            "unsupported charset {charset:?}; only utf-8 is supported"
        ))
    }
}

/// Decodes a body into a request or a response; rejects anything else,
/// with the message's id when it has a readable one.
fn check_body(body: Vec<u8>) -> Incoming {
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            let (text, bytes) = substituted(e.as_bytes());
            tracing::warn!("a message held {bytes} bytes that are not UTF-8; each read as U+001A");
            text
        }
    };
    let text = text.as_str();
    // tower-lsp's `Request` takes a missing method as empty, so a response
    // reads as a request too; it is tried second because trying `Response`
    // (with its flattened fields) on a request copies the params.
    match serde_json::from_str::<Request>(text) {
        Ok(request) if !request.method().is_empty() => return Incoming::Request(request),
        _ => {}
    }
    if let Ok(response) = serde_json::from_str::<Response>(text) {
        return Incoming::Response(response);
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => Incoming::Rejected(Rejection::parse_error(format!("invalid JSON: {e}"))),
        Ok(v) => {
            let id = v
                .get("id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
                .unwrap_or(Id::Null);
            Incoming::Rejected(Rejection::new(
                id,
                ErrorCode::InvalidRequest,
                "not a JSON-RPC 2.0 request, notification or response",
            ))
        }
    }
}

/// `body` with each byte that is not part of a UTF-8 character written
/// `\u001a` (SUBSTITUTE), and how many there were.
///
/// An editor may send such bytes: Neovim keeps a file's bytes when they are
/// not UTF-8 (`:edit ++bad=keep`), and sends them as they are. Refusing the
/// message would lose the document, or a change, and every later change
/// would land in the wrong place in the server's copy of the text. One
/// ASCII character per byte keeps every position the editor sends right,
/// in bytes as in UTF-16 or UTF-32 units (Neovim counts such a byte as one
/// character). Outside a JSON string the escape is still not JSON, and the
/// message is refused as before.
fn substituted(mut body: &[u8]) -> (String, usize) {
    let mut text = String::with_capacity(body.len() + 64);
    let mut bytes = 0;
    loop {
        match std::str::from_utf8(body) {
            Ok(rest) => {
                text.push_str(rest);
                return (text, bytes);
            }
            Err(e) => {
                let (valid, rest) = body.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                for _ in 0..bad {
                    // `SUBSTITUTE`, escaped: a control character.
                    text.push_str("\\u001a");
                }
                bytes += bad;
                body = &rest[bad..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<String, (Id, ErrorCode, String)>> {
        let mut f = Framer::new(input);
        let mut out = Vec::new();
        while let Some(m) = f.next_message().expect("reading a slice") {
            out.push(match m {
                // Keys sorted: `Value` keeps them in order.
                Incoming::Request(r) => Ok(canonical(&r)),
                Incoming::Response(r) => Ok(canonical(&r)),
                Incoming::Rejected(r) => Err((r.id, r.error.code, r.error.message.into_owned())),
            });
        }
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn canonical(message: &impl serde::Serialize) -> String {
        serde_json::to_value(message)
            .map(|v| v.to_string())
            .unwrap_or_default()
    }

    const PING: &str = r#"{"id":1,"jsonrpc":"2.0","method":"ping"}"#;

    #[test]
    fn well_formed_messages_pass_unchanged() {
        let resp = r#"{"id":"a","jsonrpc":"2.0","result":null}"#;
        let input = format!("{}{}", frame(PING), frame(resp));
        assert_eq!(
            frames(input.as_bytes()),
            vec![Ok(PING.into()), Ok(resp.into())]
        );
    }

    #[test]
    fn headers_in_any_case_with_bare_newlines_and_a_utf8_type() {
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf8\n\n{PING}",
            PING.len()
        );
        assert_eq!(frames(input.as_bytes()), vec![Ok(PING.into())]);
    }

    #[test]
    fn bad_json_is_a_parse_error_and_reading_goes_on() {
        let input = format!("{}{}", frame("{not json"), frame(PING));
        let got = frames(input.as_bytes());
        assert!(
            matches!(&got[0], Err((Id::Null, ErrorCode::ParseError, m)) if m.contains("invalid JSON"))
        );
        assert_eq!(got[1], Ok(PING.into()));
    }

    #[test]
    fn json_that_is_not_json_rpc_is_an_invalid_request_with_its_id() {
        for (body, id) in [
            (r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#, Id::Number(7)),
            (r#"{"id":"s","method":"x"}"#, Id::String("s".into())),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Id::Null),
            (r#"{"jsonrpc":"2.0","method":7}"#, Id::Null),
            ("[]", Id::Null),
            ("42", Id::Null),
        ] {
            let got = frames(frame(body).as_bytes());
            assert_eq!(
                got,
                vec![Err((
                    id,
                    ErrorCode::InvalidRequest,
                    "not a JSON-RPC 2.0 request, notification or response".into()
                ))],
                "{body}"
            );
        }
    }

    #[test]
    fn bytes_not_utf8_are_one_substitute_each_inside_strings_and_refused_outside() {
        // Latin-1 `é`, an emoji cut after two bytes, and one cut at the end.
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"caf\xe9 \xf0\x9f! \xe2\x82\"}}";
        let mut input = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        input.extend_from_slice(body);
        let outside = b"{\"jsonrpc\":\"2.0\",\"method\":\"m\"\xff}";
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", outside.len()).as_bytes());
        input.extend_from_slice(outside);
        input.extend_from_slice(b"Content-Length: 0\r\n\r\n");
        input.extend_from_slice(frame(PING).as_bytes());
        let got = frames(&input);
        let want = r#"{"jsonrpc":"2.0","method":"m","params":{"t":"caf\u001a \u001a\u001a! \u001a\u001a"}}"#;
        assert_eq!(
            got[0],
            Ok(canonical(
                &serde_json::from_str::<Value>(want).unwrap_or_default()
            ))
        );
        assert!(matches!(&got[1], Err((_, ErrorCode::ParseError, m)) if m.contains("JSON")));
        assert!(matches!(&got[2], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got[3], Ok(PING.into()));
    }

    #[test]
    fn bad_or_missing_content_length_skips_to_the_next_header() {
        for bad in [
            "Content-Length: abc\r\n\r\n{\"x\":1}",
            "Content-Length: -5\r\n\r\n{}",
            "Content-Length: +5\r\n\r\n{}",
            "Content-Length: 99999999999999999999999\r\n\r\n{}",
            "Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x\"}",
            "GET / HTTP/1.1\r\n\r\n",
        ] {
            let input = format!("{bad}{}", frame(PING));
            let got = frames(input.as_bytes());
            assert!(
                matches!(&got[0], Err((Id::Null, ErrorCode::ParseError, _))),
                "{bad}: {got:?}"
            );
            assert_eq!(got.last(), Some(&Ok(PING.into())), "{bad}: {got:?}");
        }
    }

    #[test]
    fn a_length_too_short_or_too_long_loses_only_what_it_covers() {
        // Too short: the rest of the body is garbage before the next header.
        let input = format!("Content-Length: 5\r\n\r\n{PING}{}", frame(PING));
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        // Too long: it swallows the start of the next message, which is lost;
        // the one after it is read.
        let input = format!(
            "Content-Length: 60\r\n\r\n{{}}{}{}",
            frame(PING),
            frame(PING)
        );
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::ParseError, _))));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        assert_eq!(got.iter().filter(|m| m.is_ok()).count(), 1);
    }

    #[test]
    fn oversized_messages_are_skipped_without_being_held() {
        let n = MAX_MESSAGE + 1;
        let header = format!("Content-Length: {n}\r\n\r\n");
        let body = io::repeat(b'x').take(n);
        let rest = frame(PING);
        let input = io::BufReader::new(header.as_bytes().chain(body).chain(rest.as_bytes()));
        let mut f = Framer::new(input);
        match f.next_message().expect("read") {
            Some(Incoming::Rejected(r)) => {
                assert_eq!(r.error.code, ErrorCode::InvalidRequest);
                assert!(r.error.message.contains("over the limit"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(f.next_message(), Ok(Some(Incoming::Request(_)))));
    }

    #[test]
    fn other_charsets_are_refused_but_the_body_is_skipped_exactly() {
        let input = format!(
            "Content-Length: {}\r\nContent-Type: application/json; charset=utf-16\r\n\r\n{PING}{}",
            PING.len(),
            frame(PING)
        );
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, ErrorCode::InvalidRequest, m)) if m.contains("utf-16")));
        assert_eq!(got[1..], [Ok(PING.to_string())]);
    }

    #[test]
    fn garbage_with_a_header_inside_resyncs_there() {
        let input = format!("xx{{}}\r\n}}}}garbage{}", frame(PING));
        let got = frames(input.as_bytes());
        assert_eq!(got.last(), Some(&Ok(PING.into())));
        let long = "x".repeat(MAX_HEADER_LINE * 3);
        let input = format!("{long}{}", frame(PING));
        let got = frames(input.as_bytes());
        assert!(matches!(&got[0], Err((_, _, m)) if m.contains("too long")));
        assert_eq!(got.last(), Some(&Ok(PING.into())));
    }

    #[test]
    fn end_of_input_inside_a_message_is_the_end() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}"), vec![]);
        assert_eq!(frames(b"Content-Len"), vec![]);
        assert_eq!(frames(b""), vec![]);
    }
}
