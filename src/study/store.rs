//! The review file on disk: where it is (`.notes-ls/reviews.json` in the
//! notes root), reading it, and writing it atomically, and the clock the
//! study commands use.
//!
//! The notes root is the nearest folder, from a starting point up, that
//! holds `notes-ls.toml`, `.notes-ls` or `.git`: the CLI and the editor find
//! the same one, so card ids (which hold the path relative to it) and the
//! review file agree.
//!
//! A write goes to a temporary file in the same folder, is flushed to disk,
//! and renamed over the old file, then the folder is flushed: a crash at any
//! moment leaves the old state or the new one, never a torn file.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use super::reviews::Reviews;
use crate::workspace::Scope;

/// The folder of notes-ls's own files, beside the notes.
pub const DIR: &str = ".notes-ls";
/// The review file inside [`DIR`].
pub const FILE: &str = "reviews.json";
/// Fixes "now" for the study commands (RFC 3339), so tests are repeatable.
pub const NOW_VAR: &str = "NOTES_LS_NOW";

/// The nearest folder at or above `start` that marks a notes root.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            [crate::config::FILE_NAME, DIR, ".git"]
                .iter()
                .any(|m| dir.join(m).exists())
        })
        .map(Path::to_path_buf)
}

/// The notes root for a file, or `fallback` when no folder above it is
/// marked as one.
pub fn root_for(file: &Path, fallback: &Path) -> PathBuf {
    let file = absolute(file);
    file.parent()
        .and_then(find_root)
        .unwrap_or_else(|| absolute(fallback))
}

pub fn reviews_path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

/// `path` relative to `root` with `/` separators, as card ids take it; an
/// absolute path for a file outside the root.
pub fn relative(root: &Path, path: &Path) -> String {
    let path = absolute(path);
    match path.strip_prefix(absolute(root)) {
        Ok(rel) => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        }
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// `path` made absolute against the current folder, with `.` and `..`
/// taken out and symbolic links resolved where the path exists, so two
/// spellings of one file give one card id.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The largest review file read: a review is about 100 bytes, so this holds
/// hundreds of thousands of questions.
const MAX_REVIEWS: u64 = 64 << 20;

/// The review state in `path`: empty when there is no file yet; an error
/// for a file that cannot be read or parsed, which is then left alone.
///
/// The file travels with the notes (a cloned repository may hold one), so
/// it is read as the workspace's own files are: a regular file, not a link,
/// bounded, opened without blocking; a FIFO or a device there cannot hang
/// `drill`, `stats` or the code lenses.
pub fn load(path: &Path) -> Result<Reviews, String> {
    let folder = [path.parent().unwrap_or(Path::new(".")).to_path_buf()];
    match crate::workspace::read_own_file(path, Scope::Inside(&folder), MAX_REVIEWS) {
        Ok(Some(text)) => Reviews::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
        Ok(None) => Ok(Reviews::default()),
        Err(refused) => Err(refused.to_string()),
    }
}

/// Writes `reviews` to `path` atomically (see the module comment).
pub fn save(path: &Path, reviews: &Reviews) -> io::Result<()> {
    let text = reviews.to_json().map_err(io::Error::other)?;
    write_atomically(path, text.as_bytes())
}

/// Writes one of our own files: a temporary file in the same folder,
/// flushed, renamed over `path`, then the folder flushed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".notes-ls-").suffix(".tmp");
    // A temporary file is private (0600); the file it becomes is an
    // ordinary one, readable as the user's umask allows, like the notes.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable only once the folder is flushed.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// The code lenses of an open file (`study::file_lenses`) with the review
/// state of its notes root; `roots` are the editor's workspace folders, the
/// fallback root for a file under no marked folder. A review file that
/// cannot be read gives lenses without review state, and a log line.
pub fn file_lenses(
    roots: &[PathBuf],
    path: &Path,
    text: &str,
    notes: &crate::syntax::Notes,
) -> Vec<super::Lens> {
    let fallback = roots
        .iter()
        .find(|r| path.starts_with(r))
        .cloned()
        .or_else(|| path.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let root = root_for(path, &fallback);
    let reviews = load_cached(&reviews_path(&root)).unwrap_or_else(|e| {
        tracing::warn!("code lenses without review state: {e}");
        Arc::new(Reviews::default())
    });
    let now = now().unwrap_or_else(|_| Utc::now());
    super::file_lenses(&relative(&root, path), text, notes, &reviews, now)
}

/// [`load`], kept while the file's size and modification time stay the
/// same: the editor asks for lenses after every edit, and a large review
/// file takes tens of milliseconds to parse.
fn load_cached(path: &Path) -> Result<Arc<Reviews>, String> {
    type Cached = Option<(PathBuf, Option<SystemTime>, u64, Arc<Reviews>)>;
    static CACHE: Mutex<Cached> = Mutex::new(None);
    let meta = std::fs::metadata(path).ok();
    let stamp = (
        meta.as_ref().and_then(|m| m.modified().ok()),
        meta.as_ref().map_or(0, |m| m.len()),
    );
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((p, modified, len, reviews)) = cache.as_ref() {
        if p == path && (*modified, *len) == stamp && stamp.0.is_some() {
            return Ok(Arc::clone(reviews));
        }
    }
    let reviews = Arc::new(load(path)?);
    *cache = Some((path.to_path_buf(), stamp.0, stamp.1, Arc::clone(&reviews)));
    Ok(reviews)
}

/// Now, or the time in `NOTES_LS_NOW`.
pub fn now() -> Result<DateTime<Utc>, String> {
    match std::env::var(NOW_VAR) {
        Ok(text) => DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("{NOW_VAR}={text}: {e}")),
        Err(_) => Ok(Utc::now()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO where the review file should be is refused at once, not
    /// waited on (a cloned repository chooses what is there).
    #[cfg(unix)]
    #[test]
    fn a_fifo_for_a_review_file_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("reviews.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return;
        }
        let started = std::time::Instant::now();
        let err = load(&path).expect_err("a FIFO is no review file");
        assert!(err.contains("not a regular file"), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn save_then_load_and_a_root_is_found() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("web")).expect("mkdir");
        std::fs::write(root.join("notes-ls.toml"), "").expect("write");
        let file = root.join("web").join("a.notes");
        assert_eq!(root_for(&file, Path::new("/")), absolute(root));
        assert_eq!(relative(root, &file), "web/a.notes");
        let path = reviews_path(root);
        assert_eq!(load(&path), Ok(Reviews::default()));
        save(&path, &Reviews::default()).expect("saved");
        assert_eq!(load(&path), Ok(Reviews::default()));
        std::fs::write(&path, "{").expect("write");
        assert!(load(&path).is_err());
        let left: Vec<_> = std::fs::read_dir(root.join(DIR)).expect("dir").collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }
}
