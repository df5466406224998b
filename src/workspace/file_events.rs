//! Files and folders created, changed or deleted on disk (a rename is a
//! delete and a create), as changes to the workspace index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::discover::discover_under;
use super::WorkspaceIndex;
use crate::config::{Config, FileMatcher, FILE_NAME};

/// What the file watcher says happened to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Created,
    Changed,
    Deleted,
}

/// One change to apply, a folder's already spread over its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Read the file again (created or changed), or forget it if it is no
    /// longer a notes file.
    Reload(PathBuf),
    /// The file, or the folder and every file under it, is gone.
    Gone(PathBuf),
}

impl Change {
    fn path(&self) -> &Path {
        match self {
            Change::Reload(p) | Change::Gone(p) => p,
        }
    }
}

/// The changes `events` make. A created folder is walked here (off the
/// index lock: this is the slow part) and becomes its notes files, matched
/// against the configuration from the workspace root that holds it.
pub fn changes(
    events: &[(PathBuf, Event)],
    roots: &[PathBuf],
    matcher: &FileMatcher,
) -> Vec<Change> {
    let mut out = Vec::new();
    for (path, event) in events {
        // Not `metadata`: a link to a folder is not walked, as a scan does
        // not follow one.
        let on_disk = std::fs::symlink_metadata(path).ok();
        let Some(meta) = on_disk else {
            out.push(Change::Gone(path.clone()));
            continue;
        };
        // A deletion reported after the path was written again (events
        // come late, and in bursts): what is on disk counts, not the event.
        if !meta.is_dir() {
            out.push(Change::Reload(path.clone()));
            continue;
        }
        if *event == Event::Deleted {
            // A folder deleted and made again: what it held is gone, what it
            // holds now is walked below.
            out.push(Change::Gone(path.clone()));
        } else if *event != Event::Created {
            continue;
        }
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        let found = discover_under(root, path, matcher);
        for e in &found.errors {
            tracing::info!("cannot read part of {}: {e}", path.display());
        }
        out.extend(found.files.into_iter().map(|c| Change::Reload(c.path)));
    }
    out
}

/// Applies `changes` to `index`. A configured glossary, or a folder that
/// held one, reloads the glossaries instead of being read as notes.
pub fn apply(index: &mut WorkspaceIndex, changes: &[Change]) {
    let glossaries = index.glossary_files(index.roots());
    let mut glossary_changed = false;
    for change in changes {
        let path = change.path();
        if glossaries.iter().any(|g| g.starts_with(path)) {
            glossary_changed = true;
            if glossaries.iter().any(|g| g == path) {
                tracing::debug!("glossary {} changed", path.display());
                continue;
            }
        }
        match change {
            Change::Gone(path) => {
                index.remove_under(path);
            }
            Change::Reload(path) => {
                index.reload(path, &mut |line| tracing::info!("{line}"));
            }
        }
    }
    if glossary_changed {
        let roots = index.roots().to_vec();
        index.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
        tracing::debug!(
            "glossaries loaded; terms generation {}",
            index.terms().generation()
        );
    }
}

/// The review file a drill writes, under a notes root: the code lenses
/// (due, recall) change with it.
pub const REVIEWS: &str = ".notes-ls/reviews.json";

/// The files whose events a client is asked to send: notes (the default
/// `*.txt` and the configured `include`), `notes-ls.toml`, glossaries and
/// the review file.
pub fn watched_globs(config: &Config) -> Vec<String> {
    let mut globs: Vec<String> = vec![
        "**/*.txt".to_string(),
        format!("**/{FILE_NAME}"),
        "**/glossary.toml".to_string(),
        format!("**/{REVIEWS}"),
    ];
    globs.extend(config.include.iter().cloned());
    globs.sort();
    globs.dedup();
    globs
}

/// The files that are the server's own to read in `index`'s roots (the
/// configured glossaries, `notes-ls.toml`, the review file): what a server
/// looks at itself when its client cannot watch files ([`Watch`]).
pub fn own_files(index: &WorkspaceIndex) -> Vec<PathBuf> {
    let roots = index.roots();
    let mut paths = index.glossary_files(roots);
    paths.extend(roots.iter().map(|r| r.join(FILE_NAME)));
    paths.extend(roots.iter().map(|r| r.join(REVIEWS)));
    paths
}

/// File events by what they change.
#[derive(Debug, Default)]
pub struct Sorted {
    /// A review file changed: the code lenses' due dates with it.
    pub reviews: bool,
    /// A `notes-ls.toml` changed: the configuration is read again.
    pub config: bool,
    /// The others, for [`changes`].
    pub files: Vec<(PathBuf, Event)>,
}

/// `events` by what they change.
pub fn sort(events: Vec<(PathBuf, Event)>) -> Sorted {
    let mut sorted = Sorted::default();
    for (path, event) in events {
        if path.ends_with(REVIEWS) {
            sorted.reviews = true;
        } else if path.file_name().is_some_and(|n| n == FILE_NAME) {
            sorted.config = true;
        } else {
            sorted.files.push((path, event));
        }
    }
    sorted
}

/// Files looked at again and again, for a client that cannot watch them
/// (the server's own: glossaries, `notes-ls.toml`, the review file).
/// Polling sees a save by rename (as Vim writes) where a watch on the file
/// itself would lose track; a few `stat` calls a second cost nothing.
#[derive(Debug, Default)]
pub struct Watch {
    seen: HashMap<PathBuf, Stamp>,
}

/// What says a file changed: its length and modification time, or that it
/// is not there.
type Stamp = Option<(u64, Option<SystemTime>)>;

impl Watch {
    /// What happened to `paths` since the last look.
    pub fn look(&mut self, paths: Vec<PathBuf>) -> Vec<(PathBuf, Event)> {
        let mut out = Vec::new();
        for path in paths {
            let stamp = std::fs::metadata(&path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| (m.len(), m.modified().ok()));
            let event = match (self.seen.insert(path.clone(), stamp), stamp) {
                // The first look at a file that is there reads it again: it
                // may have been written after the index read it and before
                // this look (an editor's "add to glossary" in the first
                // second), and nothing else would ever notice.
                (None, Some(_)) => Event::Changed,
                (None, None) => continue,
                (Some(before), _) if before == stamp => continue,
                (Some(None), _) => Event::Created,
                (Some(_), None) => Event::Deleted,
                (Some(_), Some(_)) => Event::Changed,
            };
            tracing::debug!("{} changed on disk", path.display());
            out.push((path, event));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_sorted_by_what_they_change() {
        let events = vec![
            (PathBuf::from("/w/a.txt"), Event::Changed),
            (PathBuf::from("/w/.notes-ls/reviews.json"), Event::Changed),
            (PathBuf::from("/w/sub/notes-ls.toml"), Event::Created),
            (PathBuf::from("/w/glossary.toml"), Event::Deleted),
        ];
        let sorted = sort(events);
        assert!(sorted.reviews && sorted.config);
        let files: Vec<_> = sorted.files.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(
            files,
            [Path::new("/w/a.txt"), Path::new("/w/glossary.toml")]
        );
        let quiet = sort(vec![(PathBuf::from("/w/b.txt"), Event::Created)]);
        assert!(!quiet.reviews && !quiet.config);
    }

    #[test]
    fn configured_includes_are_watched_once() {
        let config = Config {
            include: vec!["**/*.md".into(), "**/*.txt".into()],
            ..Config::default()
        };
        let globs = watched_globs(&config);
        assert_eq!(
            globs,
            [
                "**/*.md",
                "**/*.txt",
                "**/.notes-ls/reviews.json",
                "**/glossary.toml",
                "**/notes-ls.toml"
            ]
        );
    }
}
