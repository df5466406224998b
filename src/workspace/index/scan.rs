//! Reading every notes file under the roots into the index: read, parsed
//! and prepared on every core (`workspace::batches`), put in on one thread
//! in the order found, and abandoned early when a newer scan replaces this
//! one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{FileState, IndexStats, WorkspaceIndex};
use crate::config::DialectSetting;
use crate::ide::{
    DocKey, FileSummary, PreparedQuestions, PreparedTerms, QuestionIndex, TermPreparer,
};
use crate::syntax;
use crate::workspace::batches::{self, in_batches};
use crate::workspace::discover::{discover_cancellable, Candidate};
use crate::workspace::read::{load, Loaded};

impl WorkspaceIndex {
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
        let terms = self.terms.preparer();
        let read = |(): &(), share: &[Candidate], ()| {
            let read = share.iter().map(|c| {
                // A scan that gives way reads nothing more.
                if cancel.load(Ordering::Relaxed) {
                    return Read::NotNotes;
                }
                match load(&c.path, c.sniff, max_size) {
                    Ok(Loaded::Text(text)) => Read::Text(prepared(&c.path, text, terms, dialect)),
                    Ok(Loaded::NotNotes) => Read::NotNotes,
                    Ok(Loaded::Skipped(why)) => Read::Skipped(why.reason()),
                    Err(e) => Read::Skipped(e.to_string()),
                }
            });
            (read.collect(), ())
        };
        let mut done = 0;
        // Read on every core, a batch at a time; put in in the order found.
        in_batches(
            &found.files,
            batches::FILES,
            || (),
            read,
            |c, read| {
                if cancel.load(Ordering::Relaxed) {
                    return false;
                }
                match read {
                    Read::Text(p) => {
                        stats.files += 1;
                        stats.bytes += p.text.len();
                        stats.questions += p.entries;
                        self.insert_prepared(c.path.clone(), p);
                    }
                    Read::NotNotes => {}
                    Read::Skipped(why) => {
                        stats.skipped += 1;
                        log(format!("skipping {}: {why}", c.path.display()));
                    }
                }
                done += 1;
                progress(done, total);
                true
            },
        );
        (!cancel.load(Ordering::Relaxed)).then_some(stats)
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
    use crate::config::Config;

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
}
