//! The workspace index: every notes file under the workspace roots, with
//! the known terms they define and the questions they ask. Open documents
//! override what is on disk; watched-file events keep the rest current. The
//! term and question indexes are updated one file at a time, so an edit
//! costs the size of that file, not of the workspace.
//!
//! Only the text of each file is kept, not its parse: a parsed file is
//! several times the size of its text, and what the workspace needs of the
//! files nobody has open (terms, questions) is in the term and question
//! indexes. Open documents' texts and parses are the editor layer's: the
//! index keeps their terms and questions only. Sharing the editor's text
//! would cost a copy of it at the next keystroke (the editor edits its own),
//! and the two would then be held side by side until the index caught up.
//!
//! The configured glossary files are loaded in `glossaries.rs`; a scan
//! (every file under the roots, read on every core) is `scan.rs`.

mod glossaries;
mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::read::{load, Loaded};
use crate::config::Config;
use crate::ide::{DocKey, FileSummary, QuestionIndex, TermIndex};
use crate::syntax::{self, Notes};

pub use glossaries::GlossaryProblem;

/// One indexed file.
#[derive(Debug, Clone)]
pub struct FileState {
    /// The text read from disk; `None` for a document open in an editor,
    /// whose text the editor layer has. Disk events leave an open document
    /// alone.
    pub text: Option<Arc<String>>,
    /// What its diagnostics need of its parse, for a file the server read
    /// from disk (none for open documents, whose parse the editor layer
    /// keeps, nor for the CLI, which keeps its own).
    pub summary: Option<Arc<FileSummary>>,
}

impl FileState {
    /// Held by an editor: its text is the editor layer's.
    pub fn is_open(&self) -> bool {
        self.text.is_none()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub files: usize,
    pub skipped: usize,
    pub bytes: usize,
    pub questions: usize,
}

/// Cloned (cheaply: file texts and summaries are shared) when the server
/// changes it while a request still reads an older one.
#[derive(Debug, Default, Clone)]
pub struct WorkspaceIndex {
    roots: Vec<PathBuf>,
    config: Config,
    files: BTreeMap<PathBuf, FileState>,
    terms: TermIndex,
    questions: QuestionIndex,
    /// User glossary files currently loaded into `terms`.
    glossaries: Vec<PathBuf>,
}

impl WorkspaceIndex {
    pub fn new(roots: Vec<PathBuf>, config: Config) -> Self {
        let mut terms = if config.builtin_glossary {
            TermIndex::builtin()
        } else {
            TermIndex::empty()
        };
        terms.set_english_spelling(english_spelling(&config));
        WorkspaceIndex {
            roots,
            config,
            files: BTreeMap::new(),
            terms,
            questions: QuestionIndex::default(),
            glossaries: Vec::new(),
        }
    }

    pub fn terms(&self) -> &TermIndex {
        &self.terms
    }

    pub fn questions(&self) -> &QuestionIndex {
        &self.questions
    }

    /// Carries over the documents open in `current` (the index being
    /// replaced by this freshly scanned one), with the editor's text and
    /// parse of each (`open`); a document `current` does not hold as open
    /// (closed meanwhile, or not yet taken in) is left to its own update.
    pub fn adopt_open(
        &mut self,
        current: &WorkspaceIndex,
        open: Vec<(PathBuf, Arc<String>, Arc<Notes>)>,
    ) {
        for (path, text, notes) in open {
            if current.files.get(&path).is_some_and(FileState::is_open) {
                self.set_open(path, &text, &notes);
            }
        }
    }

    /// A file's text, parsed here: for tests.
    #[cfg(test)]
    pub fn add_text(&mut self, path: PathBuf, text: String) {
        let notes = syntax::parse(&text);
        self.add_parsed(path, text, &notes);
    }

    /// A file read from disk, with its parse (which the caller keeps): its
    /// text, terms and questions go into the index (its findings are worked
    /// out when first asked).
    pub fn add_parsed(&mut self, path: PathBuf, text: String, notes: &Notes) {
        self.insert(path, Arc::new(text), notes);
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A new configuration; the built-in glossary is switched on or off here.
    pub fn set_config(&mut self, config: Config) {
        if config.builtin_glossary != self.config.builtin_glossary {
            let terms = std::mem::take(&mut self.terms);
            self.terms = terms.with_builtin(config.builtin_glossary);
            self.glossaries.clear();
        }
        self.terms.set_english_spelling(english_spelling(&config));
        let glossaries_changed = config.glossary_paths != self.config.glossary_paths
            || config.glossary_from_editor != self.config.glossary_from_editor
            || self.glossaries.is_empty();
        self.config = config;
        if glossaries_changed {
            let roots = self.roots.clone();
            self.load_glossaries(&roots, &mut |line| tracing::warn!("{line}"));
        }
    }

    /// Re-reads one file after a watched-file event. Returns whether the
    /// index changed. Open documents are left to the editor.
    pub fn reload(&mut self, path: &Path, log: &mut dyn FnMut(String)) -> bool {
        if self.files.get(path).is_some_and(FileState::is_open) {
            return false;
        }
        self.read(path, log)
    }

    /// Reads one file from disk into the index, or takes it out when it is
    /// no notes file (any more). Returns whether the index changed.
    fn read(&mut self, path: &Path, log: &mut dyn FnMut(String)) -> bool {
        if !self.is_candidate(path) {
            return self.remove(path);
        }
        let sniff = !self
            .config
            .file_matcher()
            .is_notes_file(&self.relative(path));
        match load(path, sniff, self.config.max_file_size) {
            Ok(Loaded::Text(text)) => {
                let notes = syntax::parse_as(&text, self.config.dialect.for_text(&text));
                let summary = FileSummary::new(&text, &notes).map(Arc::new);
                self.insert(path.to_path_buf(), Arc::new(text), &notes);
                if let Some(f) = self.files.get_mut(path) {
                    f.summary = summary;
                }
                true
            }
            Ok(Loaded::NotNotes) => self.remove(path),
            Ok(Loaded::Skipped(why)) => {
                log(format!("skipping {}: {}", path.display(), why.reason()));
                self.remove(path)
            }
            Err(_) => self.remove(path),
        }
    }

    /// An open document's text replaces the file's.
    pub fn set_open(&mut self, path: PathBuf, text: &str, notes: &Notes) {
        let key = DocKey::of(&path);
        self.terms.set_document(&key, text, notes);
        self.questions.set_open_document(&key, text, notes);
        let state = FileState {
            text: None,
            summary: None,
        };
        self.files.insert(path, state);
    }

    /// The editor closed the file: go back to what is on disk, or forget it
    /// when it is not part of the workspace.
    pub fn close(&mut self, path: &Path, log: &mut dyn FnMut(String)) {
        self.read(path, log);
    }

    /// A file or a folder is gone: takes out `path` and every file under
    /// it, except documents open in the editor, whose text is the
    /// editor's. Returns whether the index changed.
    pub fn remove_under(&mut self, path: &Path) -> bool {
        let gone: Vec<PathBuf> = self
            .files
            .range(path.to_path_buf()..)
            .take_while(|(p, _)| p.starts_with(path))
            .filter(|(_, f)| !f.is_open())
            .map(|(p, _)| p.clone())
            .collect();
        for p in &gone {
            self.remove(p);
        }
        !gone.is_empty()
    }

    pub fn remove(&mut self, path: &Path) -> bool {
        let key = DocKey::of(path);
        self.terms.remove_document(&key);
        self.questions.remove_document(&key);
        self.files.remove(path).is_some()
    }

    pub fn file(&self, path: &Path) -> Option<&FileState> {
        self.files.get(path)
    }

    /// The file at `path` with the index's own copy of its path, which
    /// lives as long as the index.
    pub fn file_entry(&self, path: &Path) -> Option<(&Path, &FileState)> {
        self.files
            .get_key_value(path)
            .map(|(p, f)| (p.as_path(), f))
    }

    pub fn files(&self) -> impl Iterator<Item = (&Path, &FileState)> {
        self.files.iter().map(|(p, f)| (p.as_path(), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn insert(&mut self, path: PathBuf, text: Arc<String>, notes: &Notes) {
        let key = DocKey::of(&path);
        self.terms.set_document(&key, &text, notes);
        self.questions.set_document(&key, &text, notes);
        let state = FileState {
            text: Some(text),
            summary: None,
        };
        self.files.insert(path, state);
    }

    fn relative(&self, path: &Path) -> PathBuf {
        self.roots
            .iter()
            .find_map(|r| path.strip_prefix(r).ok())
            .unwrap_or(path)
            .to_path_buf()
    }

    /// Inside a root, taken by the globs or a `.txt`, and not excluded.
    fn is_candidate(&self, path: &Path) -> bool {
        if !self.roots.iter().any(|r| reached_without_links(r, path)) {
            return false;
        }
        let rel = self.relative(path);
        let m = self.config.file_matcher();
        !m.is_excluded(&rel)
            && (m.is_notes_file(&rel) || path.extension().is_some_and(|e| e == "txt"))
    }
}

/// True when `path` is under `root` and no part of it below `root` is a
/// symlink. The scan never follows links (see `discover`), so a file event
/// must not either: a link could lead outside the workspace, or loop.
fn reached_without_links(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path == root.join(relative),
        _ => false,
    }
}

/// Whether the configuration turns the English spelling check on.
fn english_spelling(config: &Config) -> bool {
    let kind = crate::ide::DiagnosticKind::EnglishSpelling {
        word: String::new(),
        suggestions: Vec::new(),
    };
    config.severity(&kind).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_doc(text: &str) -> (Arc<String>, Arc<Notes>) {
        (Arc::new(text.to_string()), Arc::new(syntax::parse(text)))
    }

    /// A rescan keeps what the editor holds of the documents still open,
    /// and only of those: one closed meanwhile goes back to its disk text.
    #[test]
    fn a_rescan_adopts_the_editors_text_of_documents_still_open() {
        let (a, b) = (PathBuf::from("/n/a.notes"), PathBuf::from("/n/b.notes"));
        let mut current = WorkspaceIndex::new(Vec::new(), Config::default());
        let (text, notes) = open_doc("*Old?\n-> x\n");
        current.set_open(a.clone(), &text, &notes);
        let mut scanned = WorkspaceIndex::new(Vec::new(), Config::default());
        scanned.add_text(a.clone(), "*On disk?\n-> x\n".into());
        scanned.add_text(b.clone(), "*B on disk?\n-> y\n".into());

        let (a_now, a_notes) = open_doc("*Typed since?\n-> x\n");
        let (b_now, b_notes) = open_doc("*B closed meanwhile?\n-> y\n");
        scanned.adopt_open(
            &current,
            vec![(a.clone(), a_now, a_notes), (b.clone(), b_now, b_notes)],
        );
        assert!(scanned.file(&a).expect("a indexed").is_open());
        let typed = "*Typed since?\n-> x\n";
        let lend = |k: &DocKey| (k.path() == a.as_path()).then_some(typed);
        let asked: Vec<&str> = (scanned.questions().questions(&lend))
            .map(|(_, q)| q)
            .collect();
        assert_eq!(asked, ["Typed since?", "B on disk?"]);
        let b_state = scanned.file(&b).expect("b indexed");
        assert_eq!(
            b_state.text.as_deref().map(String::as_str),
            Some("*B on disk?\n-> y\n")
        );
    }

    /// A folder gone takes every file under it, not a sibling whose name
    /// only starts the same, nor a document the editor holds open.
    #[test]
    fn remove_under_takes_a_folder_but_not_its_open_documents() {
        let mut index = WorkspaceIndex::new(Vec::new(), Config::default());
        for p in [
            "/n/t/a.notes",
            "/n/t/deep/b.notes",
            "/n/t-x/c.notes",
            "/n/u.notes",
        ] {
            index.add_text(PathBuf::from(p), "*Q?\n-> a\n".into());
        }
        let (text, notes) = open_doc("*Open?\n-> x\n");
        index.set_open(PathBuf::from("/n/t/open.notes"), &text, &notes);
        assert!(index.remove_under(Path::new("/n/t")));
        let left: Vec<String> = index
            .files()
            .map(|(p, _)| p.display().to_string())
            .collect();
        assert_eq!(left, ["/n/t/open.notes", "/n/t-x/c.notes", "/n/u.notes"]);
        assert!(index.remove_under(Path::new("/n/u.notes")));
        assert!(!index.remove_under(Path::new("/n/gone")));
    }
}
