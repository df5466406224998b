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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use super::discover::discover_cancellable;
use super::own_file::{self, read_own_file, Refused, Scope, GLOSSARY_MAX_SIZE};
use super::read::{load, Loaded};
use crate::config::{Config, DialectSetting};
use crate::ide::{
    DocKey, FileSummary, PreparedQuestions, PreparedTerms, QuestionIndex, TermIndex, TermPreparer,
};
use crate::syntax::{self, Notes};

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

/// A configured glossary file left out.
#[derive(Debug)]
pub enum GlossaryProblem {
    /// Not read at all: outside the workspace, a link, not a regular file,
    /// too large, not UTF-8, or unreadable.
    Refused(Refused),
    /// Read, but not a glossary (the TOML error, quoted safely).
    Invalid { path: PathBuf, error: String },
}

impl std::fmt::Display for GlossaryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlossaryProblem::Refused(refused) => write!(f, "ignoring glossary {refused}"),
            GlossaryProblem::Invalid { path, error } => {
                let path = crate::ide::printable(&path.display().to_string(), 300);
                write!(f, "ignoring glossary {path}: {error}")
            }
        }
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

    /// The user glossary files the configuration names, under each of
    /// `bases` (the workspace roots; for the CLI, the folder of its
    /// configuration or the current one). A missing file is not an error: the
    /// default `glossary.toml` is only a place where one may be.
    pub fn glossary_files(&self, bases: &[PathBuf]) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for base in bases {
            for rel in &self.config.glossary_paths {
                let p = base.join(rel);
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Loads (or reloads) the configured user glossaries; a bad one is
    /// reported through `log` and left out.
    pub fn load_glossaries(&mut self, bases: &[PathBuf], log: &mut dyn FnMut(String)) {
        self.load_glossaries_with(bases, &mut |problem| log(problem.to_string()));
    }

    /// [`load_glossaries`](Self::load_glossaries), telling a file refused as
    /// unsafe from one that is not a glossary. Each file is read as
    /// untrusted input ([`read_own_file`]): inside `bases` unless the user's
    /// editor settings named it, a regular file, no link, at most
    /// [`GLOSSARY_MAX_SIZE`].
    pub fn load_glossaries_with(
        &mut self,
        bases: &[PathBuf],
        report: &mut dyn FnMut(GlossaryProblem),
    ) {
        for old in std::mem::take(&mut self.glossaries) {
            self.terms.remove_user_glossary(&DocKey::of(&old));
        }
        for path in self.glossary_files(bases) {
            let text =
                match read_own_file(&path, self.glossary_scope(&path, bases), GLOSSARY_MAX_SIZE) {
                    Ok(Some(text)) => text,
                    // The default `glossary.toml` is only a place where one may be.
                    Ok(None) => continue,
                    Err(refused) => {
                        report(GlossaryProblem::Refused(refused));
                        continue;
                    }
                };
            match self.terms.set_user_glossary(&DocKey::of(&path), &text) {
                Ok(_) => self.glossaries.push(path),
                Err(error) => report(GlossaryProblem::Invalid { path, error }),
            }
        }
    }

    /// Where the glossary file at `path` may be read from: anywhere when
    /// the user's own editor settings name it by an absolute path; else
    /// inside `bases`. A relative path from the settings still resolves in
    /// the workspace, whose contents (links included) are not the user's.
    fn glossary_scope<'a>(&self, path: &Path, bases: &'a [PathBuf]) -> Scope<'a> {
        let named = self
            .config
            .glossary_paths
            .iter()
            .any(|p| Path::new(p).is_absolute() && Path::new(p) == path);
        if self.config.glossary_from_editor && named {
            Scope::Anywhere
        } else {
            Scope::Inside(bases)
        }
    }

    /// The file "add to glossary" edits under `root` (the first configured
    /// glossary) and its text, `None` for a file to create; checked as
    /// glossaries are read, so the edit never goes through a link, outside
    /// the workspace or into a FIFO. A refusal is logged and gives no target.
    pub fn glossary_edit_target(&self, root: &Path) -> Option<(PathBuf, Option<String>)> {
        let path = root.join(self.config.glossary_paths.first()?);
        let roots = [root.to_path_buf()];
        let scope = self.glossary_scope(&path, &roots);
        match own_file::edit_target(&path, scope, GLOSSARY_MAX_SIZE) {
            Ok(text) => Some((path, text)),
            Err(refused) => {
                tracing::warn!("not offering to add to glossary {refused}");
                None
            }
        }
    }

    /// A user glossary file's text, read again as when loading it (same
    /// checks): for edits of it, such as a rename.
    pub fn read_glossary(&self, path: &Path) -> Result<Option<String>, Refused> {
        read_own_file(
            path,
            self.glossary_scope(path, &self.roots),
            GLOSSARY_MAX_SIZE,
        )
    }

    /// Whether `path` is one of the glossary files the configuration names.
    pub fn is_glossary_file(&self, path: &Path) -> bool {
        self.glossary_files(&self.roots).iter().any(|p| p == path)
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

    /// [`add_text`](Self::add_text) for a caller that parsed the text and
    /// keeps the parse.
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

    /// Reads every notes file under the roots. `progress(done, total)` is
    /// called as files are read; `log` gets one line per skipped file.
    ///
    /// Files are read, parsed and prepared for the term and question indexes
    /// on every core (that work needs no index), and put in the index on this
    /// thread, in the order they were found, as they come.
    pub fn scan(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
        log: &mut dyn FnMut(String),
    ) -> IndexStats {
        let never = AtomicBool::new(false);
        self.scan_cancellable(progress, log, &never)
            .unwrap_or_default()
    }

    /// [`scan`](Self::scan), abandoned once `cancel` is set (`None`, the
    /// index half filled): the walk, every reading worker and the loop that
    /// fills the index look at the flag, so a scan a newer one replaces
    /// stops within a file or two and its memory goes at once.
    pub fn scan_cancellable(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
        log: &mut dyn FnMut(String),
        cancel: &AtomicBool,
    ) -> Option<IndexStats> {
        let found = discover_cancellable(&self.roots, &self.config.file_matcher(), cancel);
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        for e in &found.errors {
            log(format!("cannot read part of the workspace: {e}"));
        }
        let total = found.files.len();
        let mut stats = IndexStats::default();
        let max_size = self.config.max_file_size;
        let dialect = self.config.dialect;
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, total.max(1));
        let next = AtomicUsize::new(0);
        let terms = self.terms.preparer();
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<(usize, Read)>(64);
            for _ in 0..workers {
                let tx = tx.clone();
                let (next, files) = (&next, &found.files);
                scope.spawn(move || loop {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(c) = files.get(i) else { return };
                    let read = match load(&c.path, c.sniff, max_size) {
                        Ok(Loaded::Text(text)) => {
                            Read::Text(prepared(&c.path, text, terms, dialect))
                        }
                        Ok(Loaded::NotNotes) => Read::NotNotes,
                        Ok(Loaded::Skipped(why)) => Read::Skipped(why.reason()),
                        Err(e) => Read::Skipped(e.to_string()),
                    };
                    if tx.send((i, read)).is_err() {
                        return;
                    }
                });
            }
            drop(tx);
            // Results arrive in any order; they go in in the order found.
            let mut waiting: BTreeMap<usize, Read> = BTreeMap::new();
            let mut done = 0;
            for (i, read) in rx {
                if cancel.load(Ordering::Relaxed) {
                    // Dropping the receiver stops the workers at their
                    // next send.
                    return;
                }
                waiting.insert(i, read);
                while let Some(read) = waiting.remove(&done) {
                    let path = &found.files[done].path;
                    match read {
                        Read::Text(p) => {
                            stats.files += 1;
                            stats.bytes += p.text.len();
                            stats.questions += p.entries;
                            self.insert_prepared(path.clone(), p);
                        }
                        Read::NotNotes => {}
                        Read::Skipped(why) => {
                            stats.skipped += 1;
                            log(format!("skipping {}: {why}", path.display()));
                        }
                    }
                    done += 1;
                    progress(done, total);
                }
            }
        });
        (!cancel.load(Ordering::Relaxed)).then_some(stats)
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

    fn insert_prepared(&mut self, path: PathBuf, p: Prepared) {
        let key = DocKey::of(&path);
        self.terms.set_prepared(&key, p.terms);
        self.questions
            .set_prepared(&key, Arc::clone(&p.text), p.questions);
        let state = FileState {
            text: Some(p.text),
            summary: p.summary.map(Arc::new),
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

/// What a worker of [`WorkspaceIndex::scan`] makes of one file.
enum Read {
    Text(Prepared),
    NotNotes,
    Skipped(String),
}

/// A file's text with its terms and questions ready for the indexes. The
/// parse they were taken from is dropped on the worker that made it.
struct Prepared {
    text: Arc<String>,
    /// How many questions the file asks, for [`IndexStats`].
    entries: usize,
    terms: PreparedTerms,
    questions: PreparedQuestions,
    summary: Option<FileSummary>,
}

/// Whether the configuration turns the English spelling check on.
fn english_spelling(config: &Config) -> bool {
    let kind = crate::ide::DiagnosticKind::EnglishSpelling {
        word: String::new(),
        suggestions: Vec::new(),
    };
    config.severity(&kind).is_some()
}

fn prepared(path: &Path, text: String, terms: TermPreparer, dialect: DialectSetting) -> Prepared {
    let notes = syntax::parse_as(&text, dialect.for_text(&text));
    let key = DocKey::of(path);
    Prepared {
        terms: terms.prepare(&key, &text, &notes),
        questions: QuestionIndex::prepare(&text, &notes),
        summary: FileSummary::new(&text, &notes),
        entries: notes.entries.len(),
        text: Arc::new(text),
    }
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

    /// A scan whose flag is set gives up and says so, rather than return
    /// a half-filled index as if it were the workspace.
    #[test]
    fn a_cancelled_scan_returns_nothing() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("a.notes"), "*Q?\n-> a\n").expect("write");
        let roots = vec![tmp.path().to_path_buf()];
        let mut index = WorkspaceIndex::new(roots.clone(), Config::default());
        let cancel = AtomicBool::new(true);
        assert_eq!(
            index.scan_cancellable(&mut |_, _| {}, &mut |_| {}, &cancel),
            None
        );
        let mut index = WorkspaceIndex::new(roots, Config::default());
        let stats = index.scan_cancellable(&mut |_, _| {}, &mut |_| {}, &AtomicBool::new(false));
        assert_eq!(stats.map(|s| s.files), Some(1));
    }

    /// The same absolute path outside the workspace: refused when the
    /// workspace's `notes-ls.toml` names it, read when the user's editor
    /// settings do; a relative path from the settings stays inside.
    #[test]
    fn only_the_users_own_settings_reach_outside_the_workspace() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        std::fs::create_dir_all(&root).expect("root");
        let outside = tmp.path().join("team.toml");
        std::fs::write(&outside, "words = [\"gunicon\"]\n").expect("write");
        let named = format!(
            "[glossary]\npaths = [{:?}]\n",
            outside.display().to_string()
        );
        let load = |config: Config| {
            let mut index = WorkspaceIndex::new(vec![root.clone()], config);
            let mut problems = Vec::new();
            index.load_glossaries_with(std::slice::from_ref(&root), &mut |p| {
                problems.push(p.to_string())
            });
            (index.glossaries.len(), problems)
        };
        let from_file = Config::default().with_toml(&named).expect("valid");
        let (loaded, problems) = load(from_file.clone());
        assert_eq!(loaded, 0);
        assert!(
            problems[0].ends_with("team.toml: outside the workspace"),
            "{problems:?}"
        );
        let settings = serde_json::json!({"glossary": {"paths": [outside]}});
        let (from_editor, _) = from_file.with_json(&settings).expect("valid");
        assert_eq!(load(from_editor.clone()), (1, Vec::new()));
        // The file layer applied again over the editor's takes trust away.
        assert_eq!(load(from_editor.with_toml(&named).expect("valid")).0, 0);
        let relative = serde_json::json!({"glossary": {"paths": ["../team.toml"]}});
        let (relative, _) = Config::default().with_json(&relative).expect("valid");
        assert_eq!(load(relative).0, 0);
    }

    #[test]
    fn the_glossary_edit_target_is_refused_through_a_link() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("root");
        std::fs::create_dir_all(&root).expect("root");
        let index = WorkspaceIndex::new(vec![root.clone()], Config::default());
        assert_eq!(
            index.glossary_edit_target(&root),
            Some((root.join("glossary.toml"), None))
        );
        #[cfg(unix)]
        {
            std::fs::write(tmp.path().join("x.toml"), "words = []\n").expect("write");
            std::os::unix::fs::symlink(tmp.path().join("x.toml"), root.join("glossary.toml"))
                .expect("link");
            assert_eq!(index.glossary_edit_target(&root), None);
        }
    }
}
