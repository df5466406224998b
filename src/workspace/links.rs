//! Where a document link points (`ide::document_links` finds them): a URL
//! stays a URL, and a relative path is taken from the folder of the file
//! that holds it, as Markdown viewers do. Which links are offered at all
//! ([`openable_links`]): a notes file can come from anyone, and an editor
//! follows a link on a click.

use std::path::{Path, PathBuf};

use crate::ide;
use crate::syntax::{Notes, TextRange};

/// URL schemes a link may open. VS Code runs `command:` links, and
/// `vscode:` or `javascript:` ones are no better, so only plain web, mail
/// and file links are offered.
const LINK_SCHEMES: [&str; 4] = ["http", "https", "mailto", "file"];

/// The links of `text` worth offering, with where each points. `file` is
/// the document's path, `None` for one that is not a file on disk
/// (`untitled:`), which has no folder: only its URLs are links. A relative
/// link is offered only when the file (or folder) exists: a link that opens
/// nothing is a typo the user sees by its missing underline, and editors
/// otherwise open an empty editor or an error.
pub fn openable_links(
    file: Option<&Path>,
    text: &str,
    notes: &Notes,
) -> Vec<(TextRange, LinkTarget)> {
    ide::document_links(text, notes)
        .into_iter()
        .filter_map(|link| {
            let base = file.unwrap_or(Path::new(""));
            let target = match resolve_link(base, &link.target)? {
                LinkTarget::Url(url) => {
                    let (scheme, _) = url.split_once(':')?;
                    let scheme = scheme.to_ascii_lowercase();
                    LINK_SCHEMES
                        .contains(&scheme.as_str())
                        .then_some(LinkTarget::Url(url))?
                }
                LinkTarget::File(path) => {
                    file?;
                    // A file or a folder: a FIFO or a device would hang or
                    // harm the editor that opens it. A look at the path
                    // (`stat`), never an open.
                    let meta = std::fs::metadata(&path).ok()?;
                    (meta.is_file() || meta.is_dir()).then_some(LinkTarget::File(path))?
                }
            };
            Some((link.range, target))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A URL with a scheme (`https://...`, `mailto:...`), as written.
    Url(String),
    /// A file on disk; it may not exist.
    File(PathBuf),
}

/// The target of a link written in `file`; `None` for one that points into
/// the same file (`#section`) or is empty.
pub fn resolve_link(file: &Path, target: &str) -> Option<LinkTarget> {
    let target = target.trim();
    if has_scheme(target) {
        return Some(LinkTarget::Url(target.to_string()));
    }
    // `path#section` and `path?query` name the file `path`.
    let path = target.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    let path = path.replace("%20", " ");
    let path = Path::new(&path);
    if path.is_absolute() {
        return Some(LinkTarget::File(path.to_path_buf()));
    }
    let folder = file.parent().unwrap_or(Path::new(""));
    Some(LinkTarget::File(folder.join(path)))
}

/// `scheme:` as RFC 3986 spells it, of two letters or more, so a Windows
/// drive (`C:\notes`) is a path.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_stay_and_paths_start_from_the_files_folder() {
        let file = Path::new("/notes/web/security.notes");
        assert_eq!(
            resolve_link(file, "https://owasp.org/x"),
            Some(LinkTarget::Url("https://owasp.org/x".into()))
        );
        assert_eq!(
            resolve_link(file, "../db/index.notes#mvcc"),
            Some(LinkTarget::File(PathBuf::from(
                "/notes/web/../db/index.notes"
            )))
        );
        assert_eq!(
            resolve_link(file, "my%20notes.md"),
            Some(LinkTarget::File(PathBuf::from("/notes/web/my notes.md")))
        );
        assert_eq!(
            resolve_link(file, "/etc/notes.txt"),
            Some(LinkTarget::File(PathBuf::from("/etc/notes.txt")))
        );
        assert_eq!(resolve_link(file, "#section"), None);
    }
}
