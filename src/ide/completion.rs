//! Completion of known terms, and a snippet for a new entry at a line start.
//!
//! Terms are offered while a word is being typed (never for an empty word),
//! matched against every name and alias by [`fuzzy::grade`](super::fuzzy)
//! and, when the words just before the cursor begin a multi-word term
//! (`refresh to|`), against those words too.
//!
//! Every item of one answer replaces the same range: from the start of the
//! longest run of typed words any item matched to the end of the word under
//! the cursor, on the cursor's line only. An item that matched fewer words
//! keeps the earlier ones in its text (`rate lim|` offers `rate LIMIT` beside
//! `Rate limiting`). Clients that split words on their own (marksman #422)
//! then still replace the right text, and those that take one start column
//! for the whole list (Neovim) do not have to choose. Each item's filter
//! text is what the edit would leave, with the part the user typed in the
//! user's own case (`rate limiting` for `Rate limiting`): clients filter by
//! it as the user types on, some by a case-sensitive prefix (Neovim).
//!
//! Ranking, best first: a match that continues earlier words; then a prefix
//! of the name, a prefix of an alias, pieces at word starts, a loose
//! subsequence; then terms the user's notes define, shorter names, and
//! alphabetical order. Each term appears once, under its canonical name,
//! however many of its spellings match; at most 50 are returned.
//!
//! Table rows get term completions like any other text: their cells are
//! where comparisons name the things compared. The new-entry snippet is
//! offered only on a line that is otherwise empty (or holds a lone `*`), and
//! replaces the whole line so its `*` lands in the first column, where the
//! format needs it.

use std::cmp::Reverse;

use super::fix::line_break;
use super::fuzzy::{grade, Grade};
use super::hover::term_markdown;
use super::terms::{KnownTerm, TermIndex, TermSource};
use super::words::{is_word_or_inner, normalize, words, MAX_WORDS};
use crate::syntax::{line_end, line_start, Notes, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Term,
    Snippet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub kind: CompletionKind,
    pub label: String,
    /// Replaces `replace`; for snippets, in LSP snippet syntax (`$1`, `$0`).
    pub insert: String,
    /// What was typed and will be replaced (may span several words); the
    /// same for every term item of one answer.
    pub replace: TextRange,
    /// What a client should match the typed text against.
    pub filter: String,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// Lower is better; editors sort by this.
    pub rank: u32,
}

/// At most this many terms are offered; the rest are worse matches.
const MAX_ITEMS: usize = 50;

pub fn completions(text: &str, notes: &Notes, terms: &TermIndex, offset: usize) -> Vec<Completion> {
    // The parse is not needed yet: every decision here depends on the line.
    let _ = notes;
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset)
        || (text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
    {
        return Vec::new();
    }
    let line = TextRange::new(line_start(text, offset), line_end(text, offset));
    let before = &text[line.start()..offset];
    if matches!(before.trim(), "" | "*") && text[offset..line.end()].trim().is_empty() {
        return vec![entry_snippet(text, line)];
    }
    term_completions(text, terms, line, offset)
}

fn entry_snippet(text: &str, line: TextRange) -> Completion {
    let eol = line_break(text);
    Completion {
        kind: CompletionKind::Snippet,
        label: "*question".to_string(),
        insert: format!("*${{1:question}}{eol}->{eol}${{0:answer}}"),
        replace: line,
        filter: "*question".to_string(),
        detail: Some("New question and answer".to_string()),
        documentation: None,
        rank: 0,
    }
}

/// One way a term matched, best first: how many words before the one under
/// the cursor it continues (`refresh to|` says more than `to|`), then how:
/// name prefix, alias prefix, word starts, loose subsequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Quality {
    more_words: Reverse<usize>,
    class: u8,
    /// Ties prefer the name to an alias.
    alias: bool,
}

struct Candidate<'a> {
    term: KnownTerm<'a>,
    quality: Quality,
    alias: Option<&'a str>,
    /// The spelling (name or alias) that matched.
    spelling: &'a str,
    start: usize,
}

fn term_completions(
    text: &str,
    terms: &TermIndex,
    line: TextRange,
    offset: usize,
) -> Vec<Completion> {
    let word = word_around(text, line, offset);
    if word.start() == offset {
        return Vec::new();
    }
    let typed = &text[word.start()..offset];
    // `phrases[k]`: what was typed from `k` words before the current one,
    // normalized; only words separated by white space alone count.
    let mut phrases = vec![(word.start(), normalize(typed))];
    let before = words(&text[line.start()..word.start()], line.start());
    let mut gap_end = word.start();
    for w in before.iter().rev().take(MAX_WORDS - 1) {
        if !text[w.end()..gap_end].chars().all(char::is_whitespace) {
            break;
        }
        phrases.push((w.start(), normalize(&text[w.start()..offset])));
        gap_end = w.start();
    }

    let mut found: Vec<Candidate> = terms
        .all_terms()
        .filter_map(|term| best_match(term, typed, &phrases))
        .collect();
    found.sort_by(|a, b| {
        (
            a.quality,
            !a.term.user_defined,
            a.term.name.len(),
            a.term.name,
        )
            .cmp(&(
                b.quality,
                !b.term.user_defined,
                b.term.name.len(),
                b.term.name,
            ))
    });
    found.truncate(MAX_ITEMS);
    let start = found.iter().map(|c| c.start).min().unwrap_or(word.start());
    let replace = TextRange::new(start, word.end());
    found
        .into_iter()
        .zip(0..)
        .map(|(c, rank)| completion(text, terms, c, replace, offset, rank))
        .collect()
}

/// The best way `term` matches what was typed, if any.
fn best_match<'a>(
    term: KnownTerm<'a>,
    typed: &str,
    phrases: &[(usize, String)],
) -> Option<Candidate<'a>> {
    let spellings =
        std::iter::once((term.name, false)).chain(term.aliases.iter().map(|a| (a.as_str(), true)));
    let mut best: Option<Candidate> = None;
    for (spelling, is_alias) in spellings {
        // The longest run of earlier words this spelling continues (only
        // when there are earlier words: normalizing costs a copy).
        let key = if phrases.len() > 1 {
            normalize(spelling)
        } else {
            String::new()
        };
        let multi = phrases
            .iter()
            .enumerate()
            .skip(1)
            .rev()
            .find(|(_, (_, p))| key.starts_with(p.as_str()));
        let (how, more_words, start) = match multi {
            Some((k, &(start, _))) => (Grade::Prefix, k, start),
            None => match grade(typed, spelling) {
                Some(g) => (g, 0, phrases[0].0),
                None => continue,
            },
        };
        let class = match (how, is_alias) {
            (Grade::Prefix, false) => 0,
            (Grade::Prefix, true) => 1,
            (Grade::WordStarts, _) => 2,
            (Grade::Subsequence, _) => 3,
        };
        let quality = Quality {
            class,
            more_words: Reverse(more_words),
            alias: is_alias,
        };
        if best.as_ref().map_or(true, |b| quality < b.quality) {
            best = Some(Candidate {
                term,
                quality,
                alias: is_alias.then_some(spelling),
                spelling,
                start,
            });
        }
    }
    best
}

fn completion(
    text: &str,
    terms: &TermIndex,
    c: Candidate,
    replace: TextRange,
    offset: usize,
    rank: u32,
) -> Completion {
    // Typed words before the ones this item matched stay as they are.
    let kept = &text[replace.start()..c.start];
    let typed = &text[c.start..offset];
    let defs = terms.definitions(c.term.key);
    let origin = defs.iter().rev().find_map(|d| match &d.source {
        TermSource::Builtin { category } => Some(category.clone()),
        _ => None,
    });
    let in_glossary = defs
        .iter()
        .any(|d| matches!(d.source, TermSource::UserGlossary { .. }));
    let mut detail = origin.unwrap_or_else(|| {
        if in_glossary {
            "your glossary"
        } else {
            "your notes"
        }
        .to_string()
    });
    if let Some(alias) = c.alias {
        detail.push_str(&format!(" · alias “{alias}”"));
    }
    Completion {
        kind: CompletionKind::Term,
        label: c.term.name.to_string(),
        insert: format!("{kept}{}", c.term.name),
        replace,
        filter: format!("{kept}{}", in_typed_case(typed, c.spelling)),
        detail: Some(detail),
        documentation: term_markdown(terms, c.term.key, None),
        rank,
    }
}

/// `spelling` with its start in the case `typed` has, when `typed` is a
/// prefix of it but for case (`rate lim`, `Rate limiting` → `rate limiting`);
/// else `spelling` as it is.
fn in_typed_case(typed: &str, spelling: &str) -> String {
    let mut rest = spelling.char_indices();
    for t in typed.chars() {
        match rest.next() {
            Some((_, s)) if s.to_lowercase().eq(t.to_lowercase()) => {}
            _ => return spelling.to_string(),
        }
    }
    let tail = rest.next().map_or("", |(i, _)| &spelling[i..]);
    format!("{typed}{tail}")
}

/// The word the cursor is in or right after, within the line: word
/// characters and inner `-`, `.`, `/` (`HTTP/` may become `HTTP/2`), without
/// punctuation that merely precedes it, or follows it past the cursor.
fn word_around(text: &str, line: TextRange, offset: usize) -> TextRange {
    let before = &text[line.start()..offset];
    let back = before.len() - before.trim_end_matches(is_word_or_inner).len();
    let typed = &before[before.len() - back..];
    let start = offset - back + (typed.len() - typed.trim_start_matches(['-', '.', '/']).len());
    let after = &text[offset..line.end()];
    let ahead = after.len() - after.trim_start_matches(is_word_or_inner).len();
    let tail = after[..ahead].trim_end_matches(['-', '.', '/']);
    TextRange::new(start, offset + tail.len())
}
