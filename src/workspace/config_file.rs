//! Finding and reading `notes-ls.toml`.

use std::path::{Path, PathBuf};

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

/// The default configuration with the file at `path` applied.
pub fn read_config(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Config::default()
        .with_toml(&text)
        .map_err(|e| format!("{}: {e}", path.display()))
}
