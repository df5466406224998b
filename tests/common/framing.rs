//! Reading the server's framed messages (`Content-Length` header, blank
//! line, body), as a client does. Shared by the stdio test harness and the
//! latency bench (`examples/lsp_latency.rs`, through `#[path]`).

use std::io::BufRead;

/// The next message body, or `None` when the stream ends or a header has
/// no `Content-Length`.
pub fn read_frame(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some(body)
}
