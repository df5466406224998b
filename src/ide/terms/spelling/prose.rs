//! What in a line is not prose, and so never checked: fenced and indented
//! code, inline code, URLs, e-mail addresses, paths and command-line flags.

use crate::syntax::TextRange;

/// A line's [`skipped_spans`], sorted and with overlapping ones joined, so
/// that whether a word overlaps one is a binary search: a line of thousands
/// of flagged words between thousands of code spans compared each word with
/// every span (issue 18).
pub(super) struct Skipped(Vec<TextRange>);

impl Skipped {
    pub(super) fn new(mut spans: Vec<TextRange>) -> Self {
        spans.sort_by_key(|s| (s.start(), s.end()));
        let mut out: Vec<TextRange> = Vec::with_capacity(spans.len());
        for s in spans {
            match out.last_mut() {
                // Only spans that share a byte are joined: the same bytes
                // are covered, and ends then never decrease.
                Some(last) if s.start() < last.end() => {
                    *last = last.with_end(last.end().max(s.end()))
                }
                _ => out.push(s),
            }
        }
        Skipped(out)
    }

    /// Whether some span shares a byte with `r` (or lies strictly inside it,
    /// for an empty one), as `s.start < r.end && r.start < s.end` says.
    pub(super) fn overlaps(&self, r: TextRange) -> bool {
        // Every span before `i` ends by `r.start`; from `i` on they start
        // no earlier than the one at `i`.
        let i = self.0.partition_point(|s| s.end() <= r.start());
        self.0.get(i).is_some_and(|s| s.start() < r.end())
    }
}

/// A fence line: three or more backticks or tildes, then an info string.
pub(super) fn fence_marker(content: &str) -> Option<(u8, usize, &str)> {
    let c = *content.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = content.bytes().take_while(|&b| b == c).count();
    (n >= 3).then(|| (c, n, &content[n..]))
}

/// A line indented by four spaces or a tab, as code is in notes, unless it
/// is an arrow, a table row or a nested bullet.
pub(super) fn is_indented_code(line: &str) -> bool {
    if !line.starts_with("    ") && !line.starts_with('\t') {
        return false;
    }
    let content = line.trim_start();
    !content.is_empty()
        && !["->", "|", "- ", "* ", "+ ", "• "]
            .iter()
            .any(|p| content.starts_with(p))
}

/// Spans of a line that are not prose: inline code (between equal runs of
/// backticks), and white-space-separated tokens that are URLs, e-mail
/// addresses, paths or command-line flags.
pub(super) fn skipped_spans(line: &str, base: usize) -> Vec<TextRange> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    if !b
        .iter()
        .any(|&c| matches!(c, b'`' | b'/' | b'\\' | b'@' | b'-' | b'w' | b'W'))
    {
        return out;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let token = &line[start..i];
        let bare = token.trim_start_matches(['(', '[', '<', '"', '\'']);
        let lower_head = bare.get(..4).map(str::to_ascii_lowercase);
        if token.contains("://")
            || lower_head.as_deref() == Some("www.")
            || ["/", "~/", "./", "../", "--"]
                .iter()
                .any(|p| bare.starts_with(p))
            || token.contains(['\\', '@'])
        {
            out.push(TextRange::new(base + start, base + i));
        }
    }
    for span in crate::syntax::code_spans(line) {
        out.push(TextRange::new(base + span.start, base + span.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary search says what comparing with every span says, for
    /// spans that overlap, touch, nest or are empty.
    #[test]
    fn skipped_overlaps_as_any_span_does() {
        let mut seed = 11u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((seed >> 33) % n) as usize
        };
        for _ in 0..2_000 {
            let spans: Vec<TextRange> = (0..next(6))
                .map(|_| {
                    let start = next(20);
                    TextRange::new(start, start + next(5))
                })
                .collect();
            let skipped = Skipped::new(spans.clone());
            for start in 0..24 {
                for end in start..start + 4 {
                    let r = TextRange::new(start, end);
                    let any = spans
                        .iter()
                        .any(|s| s.start() < r.end() && r.start() < s.end());
                    assert_eq!(skipped.overlaps(r), any, "{spans:?} {r:?}");
                }
            }
        }
    }

    #[test]
    fn skipped_spans_cover_code_and_links() {
        let line =
            "see `gunicon` at https://x.org/gunicon or ``a ` b`` and /usr/bin/gunicon --gunicon";
        let spans: Vec<&str> = skipped_spans(line, 0)
            .into_iter()
            .map(|r| r.slice(line))
            .collect();
        assert_eq!(
            spans,
            [
                "https://x.org/gunicon",
                "/usr/bin/gunicon",
                "--gunicon",
                "`gunicon`",
                "``a ` b``"
            ]
        );
        assert!(skipped_spans("an unclosed ` tick", 0).is_empty());
    }

    #[test]
    fn code_lines() {
        assert!(is_indented_code("    gunicorn app:app"));
        assert!(is_indented_code("\tx = 1"));
        assert!(!is_indented_code("    - a nested bullet"));
        assert!(!is_indented_code("    -> an arrow"));
        assert!(!is_indented_code("   three spaces"));
        assert_eq!(fence_marker("```python"), Some((b'`', 3, "python")));
        assert_eq!(fence_marker("``"), None);
    }
}
