//! Reading a candidate file: size and encoding limits, and for walked `.txt`
//! files a look at the start of the content to tell notes from other text.

use std::fs::{File, OpenOptions};
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
/// Only regular files are read (see [`open_regular`]): opening a FIFO waits
/// for a writer, and a device such as `/dev/zero` never ends.
pub fn load(path: &Path, sniff: bool, max_size: u64) -> io::Result<Loaded> {
    let (mut file, size) = open_regular(path, Links::Follow).map_err(NotOpened::into_io)?;
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
    if !read_rest(&mut file, &mut bytes, max_size)? {
        return Ok(Loaded::Skipped(Skip::TooLarge(max_size)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Loaded::Text(text)),
        Err(_) => Ok(Loaded::Skipped(Skip::NotUtf8)),
    }
}

/// Whether the last component of a path may be a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// A notes file the user named on the command line.
    Follow,
    /// A file a workspace names for itself (configuration, glossaries).
    Refuse,
}

/// Why [`open_regular`] opened nothing.
#[derive(Debug)]
pub enum NotOpened {
    /// A symbolic link, with [`Links::Refuse`].
    Symlink,
    /// A folder, FIFO, socket or device.
    NotRegular,
    Io(io::Error),
}

impl NotOpened {
    pub fn into_io(self) -> io::Error {
        match self {
            NotOpened::Symlink => io::Error::new(io::ErrorKind::InvalidInput, "a symbolic link"),
            NotOpened::NotRegular => {
                io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
            }
            NotOpened::Io(e) => e,
        }
    }
}

/// Opens a regular file for reading, and its size. The open never blocks:
/// on Unix it is `O_NONBLOCK` (a FIFO opens at once instead of waiting for a
/// writer) and `O_NOCTTY`, plus `O_NOFOLLOW` with [`Links::Refuse`]; what
/// decides is the `fstat` of the opened handle, so a path swapped between a
/// look and the open is still caught. A look at the path comes first all the
/// same, so that devices are not opened at all (opening some has effects).
pub fn open_regular(path: &Path, links: Links) -> Result<(File, u64), NotOpened> {
    let look = match links {
        Links::Follow => std::fs::metadata(path),
        Links::Refuse => std::fs::symlink_metadata(path),
    };
    let look = look.map_err(NotOpened::Io)?;
    if look.file_type().is_symlink() {
        return Err(NotOpened::Symlink);
    }
    if !look.is_file() {
        return Err(NotOpened::NotRegular);
    }
    let file = open_options(links).open(path).map_err(|e| {
        // `O_NOFOLLOW` on a link fails with ELOOP (EMLINK on some BSDs):
        // say why in words.
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if link && links == Links::Refuse {
            NotOpened::Symlink
        } else {
            NotOpened::Io(e)
        }
    })?;
    let meta = file.metadata().map_err(NotOpened::Io)?;
    if !meta.is_file() {
        return Err(NotOpened::NotRegular);
    }
    Ok((file, meta.len()))
}

#[cfg(unix)]
fn open_options(links: Links) -> OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let mut options = OpenOptions::new();
    options.read(true).custom_flags(flags);
    options
}

/// Elsewhere the look before the open and the check of the handle after it
/// do the work (Windows has no FIFOs at ordinary paths).
#[cfg(not(unix))]
fn open_options(_links: Links) -> OpenOptions {
    let mut options = OpenOptions::new();
    options.read(true);
    options
}

/// Reads the rest of `file` onto `bytes`, never past `max` bytes in all:
/// `false` when there is more (a file that grew since its size was taken,
/// or one whose size says nothing, as in `/proc`).
pub fn read_rest(file: &mut File, bytes: &mut Vec<u8>, max: u64) -> io::Result<bool> {
    // One byte past the limit tells a file that grew apart.
    let rest = (max + 1).saturating_sub(bytes.len() as u64);
    file.take(rest).read_to_end(bytes)?;
    Ok(bytes.len() as u64 <= max)
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

/// Text a sentence can hold, for errors about a path: the OS wording without
/// its `(os error N)` suffix for the common cases.
pub fn describe(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
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
