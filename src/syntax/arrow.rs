//! Where an arrow (`->`) on a question's own line starts its answer, and
//! where it is part of the question (`*What does a -> b mean?`).

use super::classify::mask_code;

/// Where the answer starts on a starred question line, if it does.
#[inline]
pub(super) fn same_line_arrow(content: &str) -> Option<usize> {
    // Most question lines have no arrow: no code is looked for in those.
    find_arrow(content)?;
    // Arrows in inline code (`` `a->b` ``) are code.
    let masked = mask_code(content);
    let content = &*masked;
    let first = find_arrow(content)?;
    let mut search = 0;
    while let Some(p) = find_arrow(&content[search..]) {
        let p = search + p;
        if ends_question(&content[..p]) {
            return Some(p);
        }
        search = p + 2;
    }
    if content.trim_end().ends_with("->") {
        return content.rfind("->");
    }
    if memchr::memchr(b'?', &content.as_bytes()[first..]).is_some() {
        // `*What does a -> b mean?`: the arrow is part of the question.
        return None;
    }
    Some(first)
}

/// The first `->` in `s`: `str::find` with a string pattern sets up a
/// two-way searcher on every call, which cost more than the search itself on
/// a line.
#[inline]
pub(super) fn find_arrow(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'-', &b[from..]) {
        let at = from + i;
        if b.get(at + 1) == Some(&b'>') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `s` ends with `?`, or with `?` and a remark in parentheses (`? (3 parts)`).
#[inline]
pub(super) fn ends_question(s: &str) -> bool {
    let s = s.trim_end();
    match s.strip_suffix(')').and_then(|inner| inner.rfind('(')) {
        Some(open) => s[..open].trim_end().ends_with('?'),
        None => s.ends_with('?'),
    }
}
