//! Line splitting that agrees with LSP: a line ends at `\n`, `\r\n` or a lone
//! `\r`, and nothing else (no U+2028, no U+0085).

/// Iterates over the lines of `text[start..end]`, yielding
/// `(line_start, content_end, next_line_start)`. `start` must be a line start.
pub struct LineIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> LineIter<'a> {
    pub fn new(text: &'a str, start: usize, end: usize) -> Self {
        LineIter {
            bytes: text.as_bytes(),
            pos: start,
            end,
        }
    }
}

impl Iterator for LineIter<'_> {
    type Item = (usize, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        let rest = &self.bytes[start..self.end];
        // memchr2 looks at many bytes at a time; a byte loop here was a tenth
        // of the parse.
        let (content_end, next) = match memchr::memchr2(b'\n', b'\r', rest) {
            None => (self.end, self.end),
            Some(i) => {
                let at = start + i;
                if self.bytes[at] == b'\r' && self.bytes.get(at + 1) == Some(&b'\n') {
                    (at, at + 2)
                } else {
                    (at, at + 1)
                }
            }
        };
        self.pos = next;
        Some((start, content_end, next))
    }
}

/// Line breaks in `bytes` as LSP counts them: `\n`, `\r\n` and a lone
/// `\r`. `bytes` must not start between the two bytes of a `\r\n`.
pub fn line_breaks(bytes: &[u8]) -> usize {
    // Byte counts the compiler vectorises; most files have no `\r` at all.
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    if memchr::memchr(b'\r', bytes).is_none() {
        return lf;
    }
    let cr = bytes.iter().filter(|&&b| b == b'\r').count();
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    lf + cr - crlf
}

/// Whether `at` falls between the `\r` and the `\n` of a CRLF: a line
/// break counted up to there would be counted again after it.
pub fn inside_crlf(bytes: &[u8], at: usize) -> bool {
    at > 0 && bytes.get(at - 1) == Some(&b'\r') && bytes.get(at) == Some(&b'\n')
}

/// Start of the line that contains `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    match memchr::memrchr2(b'\n', b'\r', bytes) {
        // A `\r` directly followed by `\n` at `offset` is mid-terminator; the
        // line still starts after the terminator before it.
        Some(i) => i + 1,
        None => 0,
    }
}

/// End of the content of the line that contains `offset` (before its break).
pub fn line_end(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let from = offset.min(bytes.len());
    match memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
        Some(i) => from + i,
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        LineIter::new(text, 0, text.len())
            .map(|(s, e, _)| &text[s..e])
            .collect()
    }

    #[test]
    fn line_breaks_agree_with_the_lines() {
        for text in ["", "a", "a\n", "a\r\nb\rc\n\r\n", "\r\r\n\n", "é\u{2028}\r"] {
            let lines = LineIter::new(text, 0, text.len()).count();
            // Every line but the last ends with a break; a final break
            // starts an empty line that the iterator does not yield.
            let ends_with_break = text.ends_with(['\n', '\r']);
            let expected = lines - usize::from(!ends_with_break && lines > 0);
            assert_eq!(line_breaks(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn splits_on_lf_crlf_and_cr_only() {
        assert_eq!(lines("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n"), ["a"]);
        assert_eq!(lines("a\n\n"), ["a", ""]);
        assert_eq!(lines("x\u{2028}y"), ["x\u{2028}y"]);
    }

    #[test]
    fn line_bounds() {
        let t = "ab\r\ncd";
        assert_eq!(line_start(t, 5), 4);
        assert_eq!(line_end(t, 0), 2);
        assert_eq!(line_end(t, 4), 6);
        assert_eq!(line_start(t, 2), 0);
    }
}
