//! Finding notes files. Files named explicitly are taken as they are;
//! folders are walked with the `ignore` crate, which skips hidden files and
//! what `.gitignore`/`.ignore` exclude, and never follows a symlink, so a
//! walk cannot leave the folder or loop. The CLI and the editor's workspace
//! index both use this, so they agree on what a notes file is.

use std::path::{Path, PathBuf};

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
    let mut found = Discovery::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => found.errors.push(format!(
                "{}: {}",
                path.display(),
                super::read::describe(&err)
            )),
            Ok(meta) if meta.is_dir() => walk(path, matcher, &mut found),
            Ok(_) => found.files.push(Candidate {
                path: tidy(path),
                explicit: true,
                sniff: false,
            }),
        }
    }
    // Explicit sorts before walked for the same path, so dedup keeps it.
    found
        .files
        .sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    found
        .files
        .dedup_by(|later, first| later.path == first.path);
    found
}

fn walk(root: &Path, matcher: &FileMatcher, found: &mut Discovery) {
    // `.gitignore` counts even outside a git repository: notes folders often
    // are not repositories, and a user who wrote one means it. The machine's
    // global excludes (`core.excludesFile`) do not: the same folder must
    // hold the same notes on every machine, CI's included.
    for entry in WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .git_global(false)
        .build()
    {
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
