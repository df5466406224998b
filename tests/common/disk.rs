//! Workspaces on disk for protocol tests: files written under a root, and
//! the `file://` URI a client would use for a path.

use std::path::Path;

/// Writes `text` to `root/rel`, making the folders on the way.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// The URI of an absolute path, as editors on Unix spell it.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}
