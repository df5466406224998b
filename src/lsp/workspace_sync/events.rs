//! Watched-file events as changes to the workspace index: a file or a
//! folder created, changed or deleted (a rename is a delete and a create).

use std::path::{Path, PathBuf};

use tower_lsp::lsp_types::{FileChangeType, FileEvent};

use crate::config::FileMatcher;
use crate::lsp::state::doc_path;
use crate::workspace::discover::discover_under;
use crate::workspace::WorkspaceIndex;

/// One change to apply, a folder's already spread over its files.
#[derive(Debug, Clone)]
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
pub fn changes(events: &[FileEvent], roots: &[PathBuf], matcher: &FileMatcher) -> Vec<Change> {
    let mut out = Vec::new();
    for event in events {
        let path = doc_path(&event.uri);
        // Not `metadata`: a link to a folder is not walked, as a scan does
        // not follow one.
        let on_disk = std::fs::symlink_metadata(&path).ok();
        let Some(meta) = on_disk else {
            out.push(Change::Gone(path));
            continue;
        };
        // A deletion reported after the path was written again (events
        // come late, and in bursts): what is on disk counts, not the event.
        let late_delete = event.typ == FileChangeType::DELETED;
        if !meta.is_dir() {
            out.push(Change::Reload(path));
            continue;
        }
        if late_delete {
            // A folder deleted and made again: what it held is gone, what it
            // holds now is walked below.
            out.push(Change::Gone(path.clone()));
        } else if event.typ != FileChangeType::CREATED {
            continue;
        }
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        let found = discover_under(root, &path, matcher);
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
