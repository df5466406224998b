//! Finding notes files. Files named explicitly are taken as they are;
//! folders are walked with the `ignore` crate, which skips hidden files and
//! what `.gitignore`/`.ignore` exclude, and never follows a symlink, so a
//! walk cannot leave the folder or loop. The CLI and the editor's workspace
//! index both use this, so they agree on what a notes file is.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use ignore::WalkBuilder;

use crate::config::FileMatcher;

/// A file to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line: checked whatever its extension, and any
    /// problem reading it is an error rather than a skip.
    pub explicit: bool,
    /// A `.txt` found by walking, taken only if its content looks like notes.
    pub sniff: bool,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by path, each path once.
    pub files: Vec<Candidate>,
    /// Paths that do not exist or folders that could not be read.
    pub errors: Vec<String>,
}

/// Files under `paths` that the configuration's globs take (`*.notes` by
/// default), plus `.txt` files to be sniffed.
pub fn discover(paths: &[PathBuf], matcher: &FileMatcher) -> Discovery {
    discover_cancellable(paths, matcher, &AtomicBool::new(false))
}

/// [`discover`], giving up (with what was found so far) once `cancel` is
/// set: a workspace scan that a newer one replaces stops walking at once
/// instead of finishing a walk of a large tree nobody will use.
pub fn discover_cancellable(
    paths: &[PathBuf],
    matcher: &FileMatcher,
    cancel: &AtomicBool,
) -> Discovery {
    let mut found = Discovery::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => found.errors.push(format!(
                "{}: {}",
                path.display(),
                super::read::describe(&err)
            )),
            Ok(meta) if meta.is_dir() => walk(path, path, matcher, cancel, &mut found),
            Ok(_) => found.files.push(Candidate {
                path: tidy(path),
                explicit: true,
                sniff: false,
            }),
        }
    }
    tidy_up(&mut found);
    found
}

/// The notes files in `folder`, a folder inside the workspace root `root`
/// (one just created, or renamed into place), exactly those a walk of the
/// whole root would find there: the configuration's globs apply to paths
/// relative to `root`, and a folder that walk skips (hidden, or left out
/// by a `.gitignore` above it) yields nothing.
pub fn discover_under(root: &Path, folder: &Path, matcher: &FileMatcher) -> Discovery {
    let mut found = Discovery::default();
    walk(root, folder, matcher, &AtomicBool::new(false), &mut found);
    tidy_up(&mut found);
    found
}

/// Sorts by path, each path once. Explicit sorts before walked for the
/// same path, so dedup keeps it.
fn tidy_up(found: &mut Discovery) {
    found
        .files
        .sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    found
        .files
        .dedup_by(|later, first| later.path == first.path);
}

/// Walks `root`, or only the part of it at or under `start`, a folder in
/// it, matching each file's path relative to `root`. The walk still begins
/// at `root` and goes down to `start` folder by folder: the ignore rules
/// (hidden folders, `.gitignore`) apply to each folder on the way, as they
/// do in a walk of the whole root; a walk begun at `start` would not judge
/// `start` itself.
fn walk(
    root: &Path,
    start: &Path,
    matcher: &FileMatcher,
    cancel: &AtomicBool,
    found: &mut Discovery,
) {
    // `.gitignore` counts even outside a git repository: notes folders often
    // are not repositories, and a user who wrote one means it. The machine's
    // global excludes (`core.excludesFile`) do not: the same folder must
    // hold the same notes on every machine, CI's included.
    let mut builder = WalkBuilder::new(root);
    builder
        .follow_links(false)
        .require_git(false)
        .git_global(false);
    if start != root {
        let start = start.to_path_buf();
        // Folders on the way to `start`, and everything under it.
        builder.filter_entry(move |e| e.path().starts_with(&start) || start.starts_with(e.path()));
    }
    for entry in builder.build() {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                found.errors.push(err.to_string());
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let sniff = if matcher.is_excluded(relative) {
            continue;
        } else if matcher.is_notes_file(relative) {
            false
        } else if extension(entry.path()).as_deref() == Some("txt") {
            true
        } else {
            continue;
        };
        found.files.push(Candidate {
            path: tidy(entry.path()),
            explicit: false,
            sniff,
        });
    }
}

/// `./a.notes` and `a.notes` are one file: the walk of `.` yields the first,
/// the user may type the second.
fn tidy(path: &Path) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}
