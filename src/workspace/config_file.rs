//! Finding and reading `notes-ls.toml`, a file that comes with the
//! workspace and so is read as untrusted input (`own_file`).

use std::path::{Path, PathBuf};

use super::own_file::read_config_text;
use crate::config::{Config, FILE_NAME};

/// The nearest `notes-ls.toml` in `start` or a folder above it, as tools
/// like rustfmt find theirs, so `check` run in a subfolder agrees with the
/// editor open on the whole workspace.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The default configuration with the file at `path` applied. The file is
/// read as untrusted ([`read_config_text`]): a regular file, not a symbolic
/// link, at most 1 MiB.
pub fn read_config(path: &Path) -> Result<Config, String> {
    let shown = crate::ide::printable(&path.display().to_string(), 300);
    let text = read_config_text(path).map_err(|e| format!("{shown}: {e}"))?;
    Config::default()
        .with_toml(&text)
        .map_err(|e| format!("{shown}: {e}"))
}

/// The `notes-ls.toml` of a workspace and its text: the first root that
/// has one, else the nearest above the first root. One that cannot be read
/// is logged and left out.
pub fn workspace_config(roots: &[PathBuf]) -> Option<(PathBuf, String)> {
    let file = (roots.iter().map(|r| r.join(FILE_NAME)))
        .find(|p| p.is_file())
        .or_else(|| roots.first().and_then(|r| find_config(r)))?;
    match read_config_text(&file) {
        Ok(text) => Some((file, text)),
        Err(e) => {
            tracing::warn!("cannot read {}: {e}", file.display());
            None
        }
    }
}

/// Whether going from `old` to `new` changes which files are notes or how
/// they read: the workspace is then scanned again.
pub fn rescan_needed(old: &Config, new: &Config) -> bool {
    old.include != new.include
        || old.exclude != new.exclude
        || old.max_file_size != new.max_file_size
        || old.dialect != new.dialect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_decides_the_files_or_their_reading_rescans() {
        let old = Config::default();
        let mut severity = old.clone();
        severity.short_answer_words += 1;
        assert!(!rescan_needed(&old, &severity));
        let mut wider = old.clone();
        wider.include.push("**/*.md".into());
        assert!(rescan_needed(&old, &wider));
        let mut smaller = old.clone();
        smaller.max_file_size = 1;
        assert!(rescan_needed(&old, &smaller));
    }

    #[test]
    fn a_roots_own_file_comes_before_one_above_it() {
        let tmp = tempfile::tempdir().expect("temp folder");
        let dir = tmp.path();
        let root = dir.join("root");
        std::fs::create_dir_all(&root).expect("temp folder");
        std::fs::write(dir.join(FILE_NAME), "[diagnostics]\n").expect("write");
        let above = workspace_config(std::slice::from_ref(&root));
        assert_eq!(above.map(|(p, _)| p), Some(dir.join(FILE_NAME)));
        std::fs::write(root.join(FILE_NAME), "# own\n").expect("write");
        let own = workspace_config(std::slice::from_ref(&root));
        assert_eq!(own, Some((root.join(FILE_NAME), "# own\n".to_string())));
    }
}
