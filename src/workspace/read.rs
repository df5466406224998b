//! Reading a candidate file: size and encoding limits, and for walked `.txt`
//! files a look at the start of the content to tell notes from other text.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::syntax::Dialect;

/// How much of a `.txt` file is read to decide whether it is in the format.
const SNIFF_SIZE: u64 = 64 * 1024;

#[derive(Debug)]
pub enum Loaded {
    Text(String),
    /// A `.txt` file whose start shows no question or arrow.
    NotNotes,
    /// Readable, but not something the checker takes.
    Skipped(Skip),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Over the size limit, which is given in bytes.
    TooLarge(u64),
    NotUtf8,
}

impl Skip {
    pub fn reason(self) -> String {
        match self {
            Skip::TooLarge(limit) if limit % (1024 * 1024) == 0 => {
                format!("larger than {} MiB", limit / (1024 * 1024))
            }
            Skip::TooLarge(limit) => format!("larger than {limit} bytes"),
            Skip::NotUtf8 => "not valid UTF-8".to_string(),
        }
    }
}

/// Reads `path`; with `sniff`, only as far as needed to see it is not notes.
/// Only regular files are opened: opening a FIFO waits for a writer, and a
/// device such as `/dev/zero` never ends.
pub fn load(path: &Path, sniff: bool, max_size: u64) -> io::Result<Loaded> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_size {
        return Ok(Loaded::Skipped(Skip::TooLarge(max_size)));
    }
    // The text is kept as read: room for it and the byte that tells a file
    // grown since, not the up to twice as much that growing by doubling leaves.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    if sniff {
        (&mut file).take(SNIFF_SIZE).read_to_end(&mut bytes)?;
        if !looks_like_notes(&bytes) {
            return Ok(Loaded::NotNotes);
        }
    }
    // One byte past the limit tells a file that grew since `metadata` apart.
    let rest = (max_size + 1).saturating_sub(bytes.len() as u64);
    file.take(rest).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        return Ok(Loaded::Skipped(Skip::TooLarge(max_size)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Loaded::Text(text)),
        Err(_) => Ok(Loaded::Skipped(Skip::NotUtf8)),
    }
}

/// A line that starts with `*` and a non-space character, or with `->`;
/// or notes in another dialect (`Q:`/`A:`, questions as headings), which
/// are read so that `check` can say which dialect to set.
/// Works on bytes: the sniffed prefix may end inside a character, and a file
/// that is not UTF-8 should still be reported as such when it looks like notes.
pub fn looks_like_notes(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .any(|line| match line {
            [b'*', next, ..] => !next.is_ascii_whitespace(),
            [b'-', b'>', ..] => true,
            _ => false,
        })
        || Dialect::detect(&String::from_utf8_lossy(bytes)) != Dialect::Arrow
}

#[cfg(test)]
mod tests {
    use super::looks_like_notes;

    #[test]
    fn sniffs_questions_and_arrows() {
        assert!(looks_like_notes(b"intro\n*What is CSRF?\n"));
        assert!(looks_like_notes(b"what?\r\n-> an answer"));
        assert!(looks_like_notes("\u{feff}*Q".as_bytes()));
        assert!(!looks_like_notes(b"* a bullet\n*\nplain text -> arrow\n"));
        assert!(!looks_like_notes(b""));
        assert!(looks_like_notes(b"Q: a?\nA: b\nQ: c?\nA: d\n"));
        assert!(!looks_like_notes(b"Q: one question only\n"));
    }
}
