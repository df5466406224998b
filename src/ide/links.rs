//! Document links: URLs (`http://`, `https://`) and the targets of Markdown
//! links (`[text](target)`) in answers, so an editor can open them.
//!
//! The core only finds them; a relative target (`[notes](web/csrf.notes)`)
//! is resolved against the file's folder by the caller
//! (`workspace::resolve_link`), since only it knows where the file is.
//! Code (fenced blocks and inline spans) holds no links: a URL there is an
//! example, not a reference.

use crate::syntax::{code_spans, LineIter, Notes, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    /// The target as written (the URL, or what is inside the parentheses).
    pub range: TextRange,
    pub target: String,
}

/// Every link in the answers of `notes`, in text order.
pub fn document_links(text: &str, notes: &Notes) -> Vec<DocumentLink> {
    let code: Vec<TextRange> = notes.blocks.code();
    let mut out = Vec::new();
    for answer in notes.entries.iter().filter_map(|e| e.answer.as_ref()) {
        for (s, e, _) in LineIter::new(text, answer.range.start(), answer.range.end()) {
            if code.iter().any(|b| b.start() <= s && s <= b.end()) {
                continue;
            }
            line_links(&text[s..e], s, &mut out);
        }
    }
    out
}

/// The links of one line starting at byte `base`.
fn line_links(line: &str, base: usize, out: &mut Vec<DocumentLink>) {
    let spans = code_spans(line);
    let in_code = |at: usize| spans.iter().any(|r| r.contains(&at));
    let first = out.len();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    // Markdown links first: a URL that is a link's target is that link.
    let mut from = 0;
    while let Some(i) = line[from..].find("](") {
        let open = from + i + 2;
        from = open;
        if in_code(open) || !line[..open - 2].contains('[') {
            continue;
        }
        let rest = &line[open..];
        // `[a](<path with spaces>)`, else up to the space or `)`.
        let (start, target) = match rest.strip_prefix('<').and_then(|r| r.split_once('>')) {
            Some((inner, after)) if after.starts_with(')') => (open + 1, inner),
            _ => match target_len(rest) {
                Some(len) => (open, &rest[..len]),
                None => continue,
            },
        };
        if target.is_empty() {
            continue;
        }
        taken.push(start..start + target.len());
        out.push(DocumentLink {
            range: TextRange::new(base + start, base + start + target.len()),
            target: target.to_string(),
        });
    }
    for scheme in ["https://", "http://"] {
        let mut from = 0;
        while let Some(i) = line[from..].find(scheme) {
            let start = from + i;
            let end = start + url_len(&line[start..]);
            from = end.max(start + scheme.len());
            if end <= start + scheme.len()
                || in_code(start)
                || taken.iter().any(|r| r.start <= start && start < r.end)
                || (scheme == "http://" && line[..start].ends_with("https:"))
            {
                continue;
            }
            taken.push(start..end);
            out.push(DocumentLink {
                range: TextRange::new(base + start, base + end),
                target: line[start..end].to_string(),
            });
        }
    }
    out[first..].sort_by_key(|l| l.range.start());
}

/// Length of a link target up to its closing `)`: parentheses inside must
/// balance, and a space ends it (a title may follow: `(url "title")`).
fn target_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut end = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(end.unwrap_or(i)),
            ')' => depth -= 1,
            c if c.is_whitespace() && end.is_none() => end = Some(i),
            _ => {}
        }
    }
    None
}

/// Length of the URL at the start of `s`: up to white space or a character
/// that cannot be in one unquoted (`<>"` and the like), without the
/// punctuation that ends a sentence, and without a `)` that closes
/// parentheses opened before the URL.
fn url_len(s: &str) -> usize {
    let mut end = s
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '|'))
        .map_or(s.len(), |(i, _)| i);
    loop {
        let url = &s[..end];
        let Some(last) = url.chars().last() else {
            return 0;
        };
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_') || unbalanced {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}
