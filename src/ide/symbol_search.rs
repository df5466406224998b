//! Workspace symbol search over questions and terms: what "go to symbol in
//! workspace" lists for a query.
//!
//! Terms are found by name or alias wherever they come from (the notes, a
//! glossary file, the built-in glossary), each hit saying which. Hits are
//! ranked by how they match, before anything else: the whole label, then a
//! prefix, then a substring, then the query's characters in order. So
//! `csrf` lists the CSRF term and every question naming CSRF before a
//! question that only spells c-s-r-f across its words.

use super::doc_key::DocKey;
use super::question::collapse;
use super::question_index::QuestionIndex;
use super::terms::{TermIndex, TermSource};
use crate::syntax::TextRange;

/// Where a hit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SymbolKind {
    /// A term the user's notes define.
    NotesTerm,
    /// A term from a user glossary file.
    GlossaryTerm,
    /// A term from the glossary built into notes-ls.
    BuiltinTerm,
    /// A question.
    Question,
}

/// How a label matches the query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Exact,
    Prefix,
    Substring,
    Subsequence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolHit {
    /// The question as one line, or the term's canonical name.
    pub name: String,
    pub kind: SymbolKind,
    pub matched: MatchKind,
    /// The document (questions, notes terms) or glossary file (glossary
    /// terms); `None` for a built-in term.
    pub doc: Option<DocKey>,
    /// The question text or the term's definition in `doc`; `None` for a
    /// glossary term.
    pub range: Option<TextRange>,
}

/// Questions and terms matching `query`, best first, at most `limit`. An
/// empty query matches everything (questions and the user's own terms
/// first, as `Exact` ties are broken by kind). `open` lends the texts of
/// documents open in an editor, which the question index does not keep.
pub fn search_symbols<'a>(
    questions: &'a QuestionIndex,
    open: &'a dyn Fn(&DocKey) -> Option<&'a str>,
    terms: &TermIndex,
    query: &str,
    limit: usize,
) -> Vec<SymbolHit> {
    let q = fold(query);
    // (match, score, kind, label length, label) and what to build the hit from.
    let mut found: Vec<((MatchKind, usize, SymbolKind, usize), Candidate)> = Vec::new();
    for t in terms.all_terms() {
        let best = std::iter::once(t.name)
            .chain(t.aliases.iter().map(String::as_str))
            .filter_map(|label| matches(&q, label))
            .min();
        if let Some((m, score)) = best {
            // The kind is settled below, for the hits kept: most terms are
            // the glossary's, and asking costs a lookup.
            let kind = if t.user_defined {
                SymbolKind::NotesTerm
            } else {
                SymbolKind::GlossaryTerm
            };
            found.push((
                (m, score, kind, t.name.len()),
                Candidate::Term(t.key.to_string()),
            ));
        }
    }
    for (p, question) in questions.questions(open) {
        if let Some((m, score)) = matches(&q, question) {
            let key = (m, score, SymbolKind::Question, p.range.len());
            let label = collapse(question);
            found.push((key, Candidate::Question(label, p.doc.clone(), p.range)));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.order().cmp(&b.1.order())));
    found
        .into_iter()
        .take(limit)
        .filter_map(|((matched, ..), c)| c.hit(terms, matched))
        .collect()
}

enum Candidate {
    Term(String),
    Question(String, DocKey, TextRange),
}

impl Candidate {
    /// A stable order among equals: by document and place, or by key.
    fn order(&self) -> (&str, usize) {
        match self {
            Candidate::Term(key) => (key, 0),
            Candidate::Question(_, doc, r) => (doc.as_str(), r.start()),
        }
    }

    fn hit(self, terms: &TermIndex, matched: MatchKind) -> Option<SymbolHit> {
        let key = match self {
            Candidate::Question(name, doc, range) => {
                return Some(SymbolHit {
                    name,
                    kind: SymbolKind::Question,
                    matched,
                    doc: Some(doc),
                    range: Some(range),
                })
            }
            Candidate::Term(key) => key,
        };
        let defs = terms.definitions(&key);
        let first = defs.first()?;
        let name = terms.name(&key).unwrap_or(&first.name).to_string();
        let (kind, doc, range) = match &first.source {
            TermSource::Notes { doc, range, .. } => {
                (SymbolKind::NotesTerm, Some(doc.clone()), Some(*range))
            }
            TermSource::UserGlossary { path } => {
                (SymbolKind::GlossaryTerm, Some(path.clone()), None)
            }
            TermSource::Builtin { .. } => (SymbolKind::BuiltinTerm, None, None),
        };
        Some(SymbolHit {
            name,
            kind,
            matched,
            doc,
            range,
        })
    }
}

/// Lowercase characters without white space.
fn fold(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How `label` matches the folded query, and a score among matches of the
/// same kind (lower is better): where a substring starts (at a word start
/// first), how many characters a subsequence skips.
fn matches(q: &[char], label: &str) -> Option<(MatchKind, usize)> {
    let l = fold(label);
    if q.is_empty() {
        return Some((MatchKind::Exact, 0));
    }
    // A question's final `?` does not stop it matching exactly.
    let bare = l.strip_suffix(&['?']).unwrap_or(&l);
    if bare == q {
        return Some((MatchKind::Exact, 0));
    }
    if l.starts_with(q) {
        return Some((MatchKind::Prefix, l.len()));
    }
    if let Some(pos) = l.windows(q.len()).position(|w| w == q) {
        return Some((MatchKind::Substring, pos));
    }
    let gaps = super::fuzzy::subsequence_gaps(q, &l)?;
    Some((MatchKind::Subsequence, gaps))
}
