//! Hover: a known term's definitions, or an entry's status on a question line.

use super::doc_key::DocKey;
use super::term_fallback::terms_at_cursor;
use super::terms::{TermDefinition, TermIndex, TermSource};
use crate::syntax::{Entry, LineIter, Notes, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about (the term, or the question text).
    pub range: TextRange,
    pub markdown: String,
}

/// `doc` is the key of this document in `terms`, so the user's definitions in
/// the same file can be told from those elsewhere.
///
/// A known term anywhere wins; otherwise a cursor on a question's `*` or text
/// shows whether the entry is answered.
pub fn hover(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    doc: &DocKey,
    offset: usize,
) -> Option<Hover> {
    // Past the end counts as the end; inside a character is no position.
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    if let Some(h) = term_hover(text, terms, doc, offset) {
        return Some(h);
    }
    let entry = notes.entry_at(offset)?;
    let q = &entry.question;
    let on_marker = q.marker.is_some_and(|m| m.contains_inclusive(offset));
    let on_text = !q.text.is_empty() && q.text.contains_inclusive(offset);
    if !on_marker && !on_text {
        return None;
    }
    // The range is the question text, widened to the `*` when the cursor is
    // there so that it always covers the cursor.
    let range = match q.marker {
        Some(m) if on_marker => TextRange::new(m.start(), m.end().max(q.text.end())),
        _ => q.text,
    };
    Some(Hover {
        range,
        markdown: status_markdown(text, entry),
    })
}

/// The longest term under the cursor; inside it, the shorter term the
/// notes define (`CSRF` in `CSRF token`) too, after it.
fn term_hover(text: &str, terms: &TermIndex, doc: &DocKey, offset: usize) -> Option<Hover> {
    let t = terms_at_cursor(text, terms, offset)?;
    let long = term_markdown(terms, &t.longest.key, Some(doc));
    let short = t
        .defined
        .filter(|d| d.key != t.longest.key)
        .and_then(|d| Some((d.range, term_markdown(terms, &d.key, Some(doc))?)));
    let (range, markdown) = match (long, short) {
        (Some(l), Some((_, s))) => (t.longest.range, format!("{l}\n\n---\n\n{s}")),
        (Some(l), None) => (t.longest.range, l),
        (None, Some((r, s))) => (r, s),
        (None, None) => return None,
    };
    Some(Hover { range, markdown })
}

/// A term's heading, aliases and every definition: the user's own first
/// (those in `doc` before other documents), the glossary's last.
pub(crate) fn term_markdown(terms: &TermIndex, key: &str, doc: Option<&DocKey>) -> Option<String> {
    let mut defs = terms.definitions(key);
    if defs.is_empty() {
        return None;
    }
    // A stable sort keeps each group in the index's order.
    defs.sort_by_key(|d| match &d.source {
        TermSource::Notes { doc: d, .. } if Some(d) == doc => 0,
        TermSource::Notes { .. } => 1,
        TermSource::UserGlossary { .. } => 2,
        TermSource::Builtin { .. } => 3,
    });
    let name = terms.name(key).unwrap_or(&defs[0].name);
    let mut out = format!("**{name}**");
    let aliases: Vec<&str> = defs
        .iter()
        .flat_map(|d| &d.aliases)
        .map(String::as_str)
        .collect();
    if !aliases.is_empty() {
        out.push_str(&format!("\n\n_Also written: {}_", aliases.join(", ")));
    }
    // A term defined all over a large file links the same file many times:
    // make its URL once.
    let mut urls = FileUrls::default();
    let shown = defs.len().min(MAX_DEFINITIONS);
    for (i, d) in defs[..shown].iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n---");
        }
        out.push_str("\n\n");
        out.push_str(&d.definition);
        out.push_str("\n\n_");
        write_source_label(&mut out, d, doc, &mut urls);
        out.push('_');
    }
    if defs.len() > shown {
        let more = defs.len() - shown;
        let s = if more == 1 { "" } else { "s" };
        out.push_str(&format!(
            "\n\n---\n\n_and {more} more definition{s} (Find All References lists every place)_"
        ));
    }
    Some(out)
}

/// The definitions a hover shows: a term defined in each of a thousand
/// daily notes made a hover of hundreds of kilobytes, every definition in
/// full.
const MAX_DEFINITIONS: usize = 10;

/// The `file://` URL of the last document asked for.
#[derive(Default)]
struct FileUrls {
    last: Option<(DocKey, Option<String>)>,
}

impl FileUrls {
    fn get(&mut self, doc: &DocKey) -> Option<&str> {
        if self.last.as_ref().map_or(true, |(d, _)| d != doc) {
            let url = url::Url::from_file_path(doc.path()).ok().map(String::from);
            self.last = Some((doc.clone(), url));
        }
        self.last.as_ref().and_then(|(_, u)| u.as_deref())
    }
}

/// Where a definition comes from, written into `out`: a term defined all
/// over a large file has hundreds of these, so no intermediate strings.
fn write_source_label(
    out: &mut String,
    d: &TermDefinition,
    current: Option<&DocKey>,
    urls: &mut FileUrls,
) {
    use std::fmt::Write as _;
    let _ = match &d.source {
        TermSource::Builtin { category } if category.is_empty() => {
            write!(out, "built-in glossary")
        }
        TermSource::Builtin { category } => write!(out, "built-in glossary · {category}"),
        TermSource::UserGlossary { path } => write!(out, "your glossary: {path}"),
        TermSource::Notes { doc, line, .. } => {
            let line = line + 1;
            let here = Some(doc) == current;
            let name = doc.as_str().rsplit(['/', '\\']).next().unwrap_or_default();
            out.push_str(if here { "your notes, " } else { "your notes: " });
            let url = urls.get(doc);
            if url.is_some() {
                out.push('[');
            }
            let _ = if here {
                write!(out, "line {line}")
            } else {
                write!(out, "{name}, line {line}")
            };
            match url {
                // A markdown link to the line, which editors open on click,
                // when the document is a file; plain text otherwise (an
                // unsaved buffer).
                Some(u) => write!(out, "]({u}#L{line})"),
                None => Ok(()),
            }
        }
    };
}

fn status_markdown(text: &str, entry: &Entry) -> String {
    let answer = match &entry.answer {
        Some(a) if !a.placeholder => a,
        Some(_) => return "**Unanswered** · the answer is only a placeholder".to_string(),
        // The arrow as written: `Ans:` in the Q:/A: dialect, empty after a
        // heading question.
        None => match entry.arrow.map(|a| a.slice(text)) {
            Some("") => return "**Unanswered** · nothing under the heading".to_string(),
            Some(arrow) => return format!("**Unanswered** · nothing after the `{arrow}`"),
            None => return "**Unanswered** · no `->` and no answer".to_string(),
        },
    };
    let lines = LineIter::new(text, answer.range.start(), answer.range.end())
        .filter(|&(s, e, _)| !text[s..e].trim().is_empty())
        .count();
    let words = answer.range.slice(text).split_whitespace().count();
    let mut out = format!(
        "**Answered** · {}, {}",
        plural(lines, "line"),
        plural(words, "word")
    );
    let mut parts = Vec::new();
    if !answer.definitions().is_empty() {
        parts.push(plural(answer.definitions().len(), "definition"));
    }
    if !answer.tables().is_empty() {
        parts.push(plural(answer.tables().len(), "table"));
    }
    if !parts.is_empty() {
        out.push_str(&format!("\n\n{}", parts.join(", ")));
    }
    out
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// A term thirty files define: the hover shows ten definitions, this
    /// file's first, and counts the rest.
    #[test]
    fn a_hover_shows_ten_definitions_and_counts_the_rest() {
        let mut terms = TermIndex::empty();
        for i in 0..30 {
            let text = format!("*Day {i}?\n->\nQuokkadb: store number {i}.\n");
            terms.set_document(
                &DocKey::from(format!("/w/day{i:02}.notes").as_str()),
                &text,
                &parse(&text),
            );
        }
        let md =
            term_markdown(&terms, "quokkadb", Some(&"/w/day17.notes".into())).unwrap_or_default();
        assert_eq!(md.matches("store number").count(), 10, "{md}");
        assert!(md.contains("store number 17."), "this file's first: {md}");
        assert!(
            md.ends_with("_and 20 more definitions (Find All References lists every place)_"),
            "{md}"
        );
    }
}
