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
