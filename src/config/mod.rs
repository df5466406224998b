//! Configuration: `notes-ls.toml` in a workspace root, then the editor's
//! settings (`initializationOptions`, `workspace/didChangeConfiguration`),
//! each layer overriding the one before. Pure: the caller reads the files.
//!
//! A bad value is an error for the whole layer, so the user is told once and
//! the previous configuration stays in force rather than half of a new one.
//!
//! The two layers differ in what counts as bad. `notes-ls.toml` is written
//! by the user for notes-ls alone, so an unknown key there is a typo worth
//! reporting. An editor's settings object is not: VS Code sends every key
//! of the section, the extension's own (`server`, `trace`) and its
//! contributed defaults included, and other clients add their own. Unknown
//! keys there are handed back for a debug log line, never an error. In both,
//! a `null` or an empty list of files or glossaries means "the default":
//! no notes files at all or no way to name the glossary is never what a
//! user meant by leaving a list empty.
//!
//! Reading a layer (TOML or JSON) and applying it is `layer.rs`; which files
//! are notes under a configuration is `files.rs`.

mod files;
mod layer;

use std::collections::BTreeMap;
use std::fmt;

use crate::ide::{DiagnosticKind, FormatOptions, Severity};
use crate::syntax::Dialect;

pub use files::FileMatcher;

/// `[diagnostics] short-answer-words` when not set: `-> Yes.` and
/// `-> Use a cache.` are short, `-> Use a write-through cache.` is not.
pub const DEFAULT_SHORT_ANSWER_WORDS: usize = 4;

/// The file name looked for in each workspace root.
pub const FILE_NAME: &str = "notes-ls.toml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Globs (relative to a workspace root) of the files that are notes.
    pub include: Vec<String>,
    /// Globs of files and folders to leave out, on top of `.gitignore`.
    pub exclude: Vec<String>,
    /// Files larger than this are skipped, in bytes.
    pub max_file_size: u64,
    /// Use the glossary built into the binary.
    pub builtin_glossary: bool,
    /// User glossary files (TOML, same format as the built-in one), relative
    /// to the workspace root.
    pub glossary_paths: Vec<String>,
    /// `glossary_paths` were named by the user's own editor settings, not by
    /// a `notes-ls.toml` that came with the workspace: its absolute paths may
    /// be outside the workspace (see `workspace::own_file`).
    pub glossary_from_editor: bool,
    /// Severity per diagnostic code; `None` switches the code off.
    pub severities: BTreeMap<String, Option<Severity>>,
    /// `short-answer` flags answers of fewer words than this
    /// (`[diagnostics] short-answer-words`).
    pub short_answer_words: usize,
    /// Publish the findings of files nobody has open too, for clients that
    /// do not pull (a pulling client asks with `workspace/diagnostic`).
    pub workspace_diagnostics: bool,
    /// How questions and answers are marked (`[format] dialect`).
    pub dialect: DialectSetting,
    /// How `notes-ls fmt` and the editor's formatting lay entries out
    /// (`[format] arrow`).
    pub format: FormatOptions,
    /// Show study code lenses (question counts, review state) in editors:
    /// `notesLs.codeLens` in an editor, `[editor] code-lens` in the file.
    pub code_lens: bool,
}

/// `[format] dialect`: one dialect for every file, or each file's own,
/// guessed from its text (`"auto"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialectSetting {
    Fixed(Dialect),
    Auto,
}

impl Default for DialectSetting {
    fn default() -> Self {
        DialectSetting::Fixed(Dialect::Arrow)
    }
}

impl DialectSetting {
    /// The dialect to read `text` in.
    pub fn for_text(self, text: &str) -> Dialect {
        match self {
            DialectSetting::Fixed(d) => d,
            DialectSetting::Auto => Dialect::detect(text),
        }
    }

    fn parse(name: &str) -> Option<DialectSetting> {
        match name {
            "auto" => Some(DialectSetting::Auto),
            _ => Dialect::from_name(name).map(DialectSetting::Fixed),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: vec!["**/*.notes".to_string()],
            exclude: Vec::new(),
            max_file_size: 16 * 1024 * 1024,
            builtin_glossary: true,
            glossary_paths: vec!["glossary.toml".to_string()],
            glossary_from_editor: false,
            severities: BTreeMap::new(),
            short_answer_words: DEFAULT_SHORT_ANSWER_WORDS,
            workspace_diagnostics: false,
            dialect: DialectSetting::default(),
            format: FormatOptions::default(),
            code_lens: true,
        }
    }
}

impl Config {
    /// The severity to report `kind` with, or `None` when it is switched off.
    pub fn severity(&self, kind: &DiagnosticKind) -> Option<Severity> {
        match self.severities.get(kind.code()) {
            Some(level) => *level,
            None => kind.on_by_default().then(|| kind.default_severity()),
        }
    }
}

/// The largest `files.max-size` taken: positions in a text are kept as
/// 32-bit offsets (`syntax::LineIndex`), and no notes file is near this.
pub const MAX_FILE_SIZE_LIMIT: u64 = 1 << 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The configuration layers, kept so a change to one can be re-applied.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// The text of `notes-ls.toml` in the first root that has one.
    pub file: Option<(std::path::PathBuf, String)>,
    /// The editor's `notesLs` settings.
    pub settings: Option<serde_json::Value>,
}

impl Layers {
    /// Defaults, then the file, then the editor's settings; and the keys of
    /// the settings that were ignored (not ours: logged at debug, never shown).
    pub fn resolve(&self) -> Result<(Config, Vec<String>), String> {
        let mut config = Config::default();
        if let Some((path, text)) = &self.file {
            config = config
                .with_toml(text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let mut ignored = Vec::new();
        if let Some(settings) = &self.settings {
            (config, ignored) = config
                .with_json(settings)
                .map_err(|e| format!("settings `notesLs`: {e}"))?;
        }
        Ok((config, ignored))
    }
}
