//! Syntax highlighting spans for semantic tokens.
//!
//! Known terms are marked in questions as well as answers. Spans may not
//! overlap, so the question text is cut around the terms it contains (and at
//! its line breaks, since a span never crosses one), and in answers a
//! `Term:` line's term is a definition term rather than a known term.

use super::terms::TermIndex;
use crate::syntax::{LineIter, Notes, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    QuestionMarker,
    Question,
    Arrow,
    DefinitionTerm,
    KnownTerm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Sorted by start, never overlapping, never crossing a line break.
pub fn highlights(text: &str, notes: &Notes, terms: &TermIndex) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut push = |kind, range: TextRange| {
        if !range.is_empty() {
            out.push(Highlight { range, kind });
        }
    };
    for entry in &notes.entries {
        let q = &entry.question;
        if let Some(marker) = q.marker {
            push(HighlightKind::QuestionMarker, marker);
        }
        let known = terms.terms_in(text, q.text);
        for (start, end, _) in LineIter::new(text, q.text.start(), q.text.end()) {
            let mut pos = start;
            for m in known
                .iter()
                .filter(|m| start <= m.range.start() && m.range.end() <= end)
            {
                push(HighlightKind::Question, trimmed(text, pos, m.range.start()));
                push(HighlightKind::KnownTerm, m.range);
                pos = m.range.end();
            }
            push(HighlightKind::Question, trimmed(text, pos, end));
        }
        if let Some(arrow) = entry.arrow {
            push(HighlightKind::Arrow, arrow);
        }
        if let Some(answer) = &entry.answer {
            let mut defined: Vec<TextRange> = answer.definitions().iter().map(|d| d.term).collect();
            for &term in &defined {
                push(HighlightKind::DefinitionTerm, term);
            }
            // Definitions sit on lines of their own, so by start they are
            // also by end: the one a match could overlap is found by binary
            // search (looking through all of them for each match made an
            // answer of 80,000 definitions take seconds, issue 18).
            defined.sort_by_key(|d| (d.start(), d.end()));
            for m in terms.terms_in(text, answer.range) {
                let i = defined.partition_point(|d| d.end() <= m.range.start());
                if !defined
                    .get(i)
                    .is_some_and(|d| d.start() < m.range.end() && m.range.start() < d.end())
                {
                    push(HighlightKind::KnownTerm, m.range);
                }
            }
        }
    }
    out.sort_by_key(|h| (h.range.start(), h.range.end()));
    // Entries never share text, so nothing should overlap; should the parser
    // ever disagree, dropping a span beats sending overlapping tokens.
    let mut end = 0;
    out.retain(|h| {
        let keep = h.range.start() >= end;
        if keep {
            end = h.range.end();
        }
        keep
    });
    out
}

fn trimmed(text: &str, start: usize, end: usize) -> TextRange {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    TextRange::new(start + lead, start + s.trim_end().len().max(lead))
}
