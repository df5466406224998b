//! The notes a study command (`export`, `stats`, `drill`) works on: the
//! files under the paths given, as `check` finds them, each named relative
//! to the notes root (`study::store::find_root` from the current folder, or
//! the current folder), which card ids and the review file depend on.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::{Config, DialectSetting};
use crate::study::{self, store, CardSet};
use crate::syntax::Notes;
use crate::workspace::{self, Loaded};

pub struct StudyFile {
    /// Relative to the notes root, `/`-separated.
    pub name: String,
    pub text: String,
    pub modified: Option<DateTime<Utc>>,
}

pub struct StudyNotes {
    pub root: PathBuf,
    pub files: Vec<StudyFile>,
    /// A path could not be read: what follows is incomplete.
    pub trouble: bool,
    /// How the notes mark questions (`[format]` in notes-ls.toml).
    pub dialect: DialectSetting,
}

impl StudyNotes {
    /// [`StudyNotes::load`], or the exit code of a command that cannot go
    /// on (the error printed): what `export`, `stats` and `drill` start with.
    pub fn load_or_exit(paths: &[PathBuf]) -> Result<StudyNotes, std::process::ExitCode> {
        StudyNotes::load(paths).map_err(|e| {
            eprintln!("error: {e}");
            std::process::ExitCode::from(super::EXIT_TROUBLE)
        })
    }

    /// Reads the notes under `paths`; problems with single files are
    /// printed and noted in `trouble`, a bad configuration is an error.
    pub fn load(paths: &[PathBuf]) -> Result<StudyNotes, String> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let config = match workspace::find_config(&cwd) {
            Some(path) => {
                workspace::read_config(&path).map_err(|e| format!("bad configuration: {e}"))?
            }
            None => Config::default(),
        };
        let root =
            store::find_root(&store::absolute(&cwd)).unwrap_or_else(|| store::absolute(&cwd));
        let found = workspace::discover(paths, &config.file_matcher());
        let mut trouble = !found.errors.is_empty();
        for e in &found.errors {
            eprintln!("error: {e}");
        }
        let mut files = Vec::new();
        for c in &found.files {
            let shown = c.path.display();
            match workspace::load(&c.path, c.sniff, config.max_file_size) {
                Ok(Loaded::Text(text)) => files.push(StudyFile {
                    name: store::relative(&root, &c.path),
                    text: match text.strip_prefix('\u{feff}') {
                        Some(rest) => rest.to_string(),
                        None => text,
                    },
                    modified: modified(&c.path),
                }),
                Ok(Loaded::NotNotes) => {}
                Ok(Loaded::Skipped(skip)) => {
                    eprintln!("warning: skipping {shown}: {}", skip.reason());
                    trouble |= c.explicit;
                }
                Err(e) => {
                    eprintln!("error: cannot read {shown}: {}", super::describe(&e));
                    trouble = true;
                }
            }
        }
        if files.is_empty() && !trouble {
            eprintln!(
                "warning: no notes found (looked for *.notes, and *.txt files in the notes format)"
            );
        }
        Ok(StudyNotes {
            root,
            files,
            trouble,
            dialect: config.dialect,
        })
    }

    /// The root folder's name: the deck of files at the top.
    pub fn root_name(&self) -> String {
        self.root
            .file_name()
            .map_or_else(|| "notes".to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// A file's notes, read in its dialect.
    pub fn parse(&self, f: &StudyFile) -> Notes {
        crate::syntax::parse_as(&f.text, self.dialect.for_text(&f.text))
    }

    /// The cards of every file; each file's in `per_file` when asked.
    pub fn cards(&self, keep_unanswered: bool) -> CardSet {
        let mut set = CardSet::default();
        let root_name = self.root_name();
        for f in &self.files {
            let notes = self.parse(f);
            study::cards(
                &f.name,
                &root_name,
                &f.text,
                &notes,
                keep_unanswered,
                &mut set,
            );
        }
        set
    }

    pub fn reviews_path(&self) -> PathBuf {
        store::reviews_path(&self.root)
    }
}

fn modified(path: &Path) -> Option<DateTime<Utc>> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(DateTime::<Utc>::from(time))
}

/// The review state, or `None` after saying why it cannot be read.
pub fn load_reviews(path: &Path) -> Option<study::Reviews> {
    match store::load(path) {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("error: cannot read the review state: {e}");
            eprintln!("note: notes-ls leaves the file as it is; fix or move it to start afresh");
            None
        }
    }
}

/// The study clock, or `None` after saying why `NOTES_LS_NOW` is bad.
pub fn now() -> Option<DateTime<Utc>> {
    match store::now() {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}
