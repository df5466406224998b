//! Document URIs as the client spelled them.
//!
//! lsp-types reads a URI with the `url` crate, which normalises it as the
//! URL standard says: `file://localhost/notes/a.notes` becomes
//! `file:///notes/a.notes`, `file:///C%3A/x` becomes `file:///C:/x`. Every
//! answer then named the document under a spelling the client never used,
//! and a client that matches URIs as strings (most do) put diagnostics on
//! a document that is not open and could not find the one that is.
//!
//! So a `didOpen` whose URI the `url` crate would spell otherwise is
//! recorded here, and every message on its way out ([`respelled`]) names
//! the document as the client did. Nothing is recorded, and nothing costs
//! anything, for clients that send URIs in their normal form (VS Code,
//! Neovim).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

use memchr::memmem;

/// Normal form → the client's spelling, both as JSON strings with quotes.
static SPELLINGS: RwLock<Vec<(Vec<u8>, Vec<u8>)>> = RwLock::new(Vec::new());
/// Whether [`SPELLINGS`] holds anything: the common case reads no lock.
static ANY: AtomicBool = AtomicBool::new(false);

/// At most this many spellings are kept (each costs a scan of every
/// outgoing message); older ones are dropped.
const MAX_SPELLINGS: usize = 256;

/// Records the spelling of a document URI the client sent, when the `url`
/// crate spells it otherwise.
pub fn record(sent: &str) {
    let Ok(normal) = url::Url::parse(sent) else {
        return;
    };
    if normal.as_str() == sent {
        return;
    }
    let (Ok(normal), Ok(sent)) = (
        serde_json::to_vec(normal.as_str()),
        serde_json::to_vec(sent),
    ) else {
        return;
    };
    let mut table = SPELLINGS.write().unwrap_or_else(PoisonError::into_inner);
    table.retain(|(n, _)| *n != normal);
    if table.len() >= MAX_SPELLINGS {
        table.remove(0);
    }
    tracing::info!(
        "the client spells {} as {}",
        String::from_utf8_lossy(&normal),
        String::from_utf8_lossy(&sent)
    );
    table.push((normal, sent));
    ANY.store(true, Ordering::Release);
}

/// `body` with every recorded normal form (as a whole JSON string) put
/// back in the client's spelling.
pub fn respelled(body: Vec<u8>) -> Vec<u8> {
    if !ANY.load(Ordering::Acquire) {
        return body;
    }
    let table = SPELLINGS.read().unwrap_or_else(PoisonError::into_inner);
    let mut body = body;
    for (normal, sent) in table.iter() {
        if memmem::find(&body, normal).is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(body.len());
        let mut rest = &body[..];
        while let Some(i) = memmem::find(rest, normal) {
            out.extend_from_slice(&rest[..i]);
            out.extend_from_slice(sent);
            rest = &rest[i + normal.len()..];
        }
        out.extend_from_slice(rest);
        body = out;
    }
    body
}

/// The URI a `didOpen` carries, from its raw params.
pub fn opened_uri(params: Option<&serde_json::Value>) -> Option<&str> {
    params?.get("textDocument")?.get("uri")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clients_spelling_comes_back() {
        record("file://localhost/respell/a.notes");
        record("file:///respell/normal.notes");
        let out = respelled(
            br#"{"uri":"file:///respell/a.notes","related":"file:///respell/a.notes2","other":"file:///respell/normal.notes"}"#
                .to_vec(),
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            r#"{"uri":"file://localhost/respell/a.notes","related":"file:///respell/a.notes2","other":"file:///respell/normal.notes"}"#
        );
    }
}
