//! Fenced code blocks and HTML comments: runs of lines the notes format does
//! not read. A `*` line inside a fence is code someone printed, not a
//! question, and a comment is a note to oneself, not an answer.
//!
//! What is a block depends on lines far apart (an opening fence and its
//! closing one), so blocks are found in one pass over the whole text before
//! the lines are read, and kept in [`Notes`](super::Notes) for the
//! incremental parser: an edit that neither touches nor writes a line that
//! could open or close a block leaves every block where it was.

use super::lines::line_end;
use super::range::TextRange;

/// One fenced code block or HTML comment, from the start of its first line
/// to the end of the content of its last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub range: TextRange,
    /// An HTML comment (ignored), rather than code (answer text).
    pub comment: bool,
}

/// The blocks of a text and the lines that could change them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blocks {
    /// Start of every line holding a block pattern (```` ``` ````, `~~~`,
    /// `<!--`, `-->`), in text order.
    pub(crate) markers: Vec<usize>,
    pub(crate) spans: Vec<Block>,
}

/// The start of the line holding byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    memchr::memrchr2(b'\n', b'\r', &bytes[..at]).map_or(0, |i| i + 1)
}

/// The patterns a marker line holds. A line without any of them can neither
/// open nor close a block.
const PATTERNS: [&[u8]; 4] = [b"```", b"~~~", b"<!--", b"-->"];

/// True when `s` holds a block pattern: an edit that writes one may move
/// blocks anywhere after it.
pub(crate) fn has_marker(s: &[u8]) -> bool {
    PATTERNS
        .iter()
        .any(|p| memchr::memmem::find(s, p).is_some())
}

impl Blocks {
    /// The fenced code blocks (not the comments), in text order: what
    /// features that must leave code alone skip.
    pub fn code(&self) -> Vec<TextRange> {
        self.spans
            .iter()
            .filter(|b| !b.comment)
            .map(|b| b.range)
            .collect()
    }

    /// Finds the blocks of `text`.
    pub fn find(text: &str) -> Blocks {
        let bytes = text.as_bytes();
        let mut markers = Vec::new();
        // One scan for the first bytes of ```` ``` ````, `~~~` and `<!--`:
        // most notes have none, and one scan costs a third of three.
        let mut comments = false;
        let mut from = 0;
        while let Some(i) = memchr::memchr3(b'`', b'~', b'<', &bytes[from..]) {
            let at = from + i;
            let rest = &bytes[at..];
            let is_marker = match rest[0] {
                b'<' => rest.starts_with(b"<!--"),
                c => rest.len() >= 3 && rest[1] == c && rest[2] == c,
            };
            if is_marker {
                comments |= rest[0] == b'<';
                markers.push(line_of(bytes, at));
                // The rest of the line adds nothing: one marker per line.
                from = memchr::memchr2(b'\n', b'\r', rest).map_or(bytes.len(), |j| at + j);
            } else {
                from = at + 1;
            }
        }
        // `-->` closes nothing without a `<!--`, and `-` and `>` are common
        // in notes (every arrow), which makes its search the slowest: it is
        // searched only when a comment opens somewhere. An edit that writes
        // the first `<!--` re-reads the whole text (`has_marker`).
        if comments {
            for at in memchr::memmem::find_iter(bytes, b"-->") {
                markers.push(line_of(bytes, at));
            }
            markers.sort_unstable();
            markers.dedup();
        }
        let spans = pair(text, &markers);
        Blocks { markers, spans }
    }

    /// The blocks after an edit that touched no marker line and wrote no
    /// pattern: the same blocks, shifted by `delta` after `old_end`.
    pub(crate) fn shift(&mut self, old_start: usize, old_end: usize, delta: isize) {
        let move_by = |x: usize| (x as isize + delta) as usize;
        for m in &mut self.markers {
            if *m >= old_end {
                *m = move_by(*m);
            }
        }
        for b in &mut self.spans {
            if b.range.start() >= old_end {
                b.range = b.range.shifted(delta);
            } else if b.range.end() >= old_start {
                // The edit is inside this block's lines.
                b.range = b.range.with_end(move_by(b.range.end()));
            }
        }
    }

    /// True when a marker line starts in `lo..=hi`.
    pub(crate) fn marker_in(&self, lo: usize, hi: usize) -> bool {
        let i = self.markers.partition_point(|&m| m < lo);
        self.markers.get(i).is_some_and(|&m| m <= hi)
    }
}

#[derive(Debug, Clone, Copy)]
enum Role {
    /// Starts (after white space) with three or more backticks or tildes.
    Fence {
        ch: u8,
        len: usize,
        bare: bool,
    },
    /// Starts with `<!--`; `closed` when `-->` follows on the same line.
    CommentOpen {
        closed: bool,
    },
    Other,
}

struct Marker {
    start: usize,
    end: usize,
    role: Role,
    /// Holds `-->`: closes an open comment.
    closes: bool,
}

fn role(text: &str, start: usize, end: usize) -> Marker {
    let mut content = &text[start..end];
    if start == 0 {
        content = content.strip_prefix('\u{feff}').unwrap_or(content);
    }
    let closes = content.contains("-->");
    let t = content.trim_start();
    let role = match t.as_bytes().first() {
        Some(&ch @ (b'`' | b'~')) => {
            let len = t.bytes().take_while(|&b| b == ch).count();
            if len >= 3 {
                Role::Fence {
                    ch,
                    len,
                    bare: t[len..].trim().is_empty(),
                }
            } else {
                Role::Other
            }
        }
        _ => match t.strip_prefix("<!--") {
            Some(rest) => Role::CommentOpen {
                closed: rest.contains("-->"),
            },
            None => Role::Other,
        },
    };
    Marker {
        start,
        end,
        role,
        closes,
    }
}

/// Pairs openers with closers, in order. A fence closes at the next line of
/// only its character, at least as long; a comment at the next line holding
/// `-->`. An opener that nothing closes is read as text, so a stray fence does
/// not hide every question after it.
fn pair(text: &str, starts: &[usize]) -> Vec<Block> {
    let markers: Vec<Marker> = starts
        .iter()
        .map(|&s| role(text, s, line_end(text, s)))
        .collect();
    // For each marker, what closers exist after it: the longest bare fence of
    // each character, and whether any line holds `-->`.
    let n = markers.len();
    let mut after = vec![(0usize, 0usize, false); n + 1];
    for i in (0..n).rev() {
        let (mut tick, mut tilde, mut close) = after[i + 1];
        let m = &markers[i];
        if let Role::Fence {
            ch,
            len,
            bare: true,
        } = m.role
        {
            if ch == b'`' {
                tick = tick.max(len);
            } else {
                tilde = tilde.max(len);
            }
        }
        close |= m.closes;
        after[i] = (tick, tilde, close);
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < n {
        let m = &markers[i];
        let (tick, tilde, close) = after[i + 1];
        let closer = match m.role {
            Role::Fence { ch, len, .. } if (if ch == b'`' { tick } else { tilde }) >= len => {
                (i + 1..n).find(|&j| {
                    matches!(markers[j].role,
                        Role::Fence { ch: c, len: l, bare: true } if c == ch && l >= len)
                })
            }
            Role::CommentOpen { closed: true } => Some(i),
            Role::CommentOpen { closed: false } if close => (i + 1..n).find(|&j| markers[j].closes),
            _ => None,
        };
        match closer {
            Some(j) => {
                spans.push(Block {
                    range: TextRange::new(m.start, markers[j].end),
                    comment: matches!(m.role, Role::CommentOpen { .. }),
                });
                i = j + 1;
            }
            None => i += 1,
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(&str, bool)> {
        Blocks::find(text)
            .spans
            .iter()
            .map(|b| (b.range.slice(text), b.comment))
            .collect()
    }

    #[test]
    fn fences_and_comments() {
        assert_eq!(
            blocks("a\n```py\n* x\n```\nb"),
            [("```py\n* x\n```", false)]
        );
        assert_eq!(
            blocks("  ~~~~\n~~~\n ~~~~~ \n"),
            [("  ~~~~\n~~~\n ~~~~~ ", false)]
        );
        assert_eq!(blocks("<!-- a -->\nx"), [("<!-- a -->", true)]);
        assert_eq!(blocks("<!--\n*Q\n-->\n"), [("<!--\n*Q\n-->", true)]);
        // A comment marker inside code is code.
        assert_eq!(blocks("```\n<!--\n```\n-->"), [("```\n<!--\n```", false)]);
    }

    #[test]
    fn unclosed_openers_are_text() {
        assert!(blocks("```\n*Q\n").is_empty());
        assert!(blocks("<!--\n*Q\n").is_empty());
        // A fence with an info string cannot close one.
        assert!(blocks("```\nx\n```py\n").is_empty());
        assert_eq!(blocks("```\n```py\n```"), [("```\n```py\n```", false)]);
        assert_eq!(
            blocks("```x\n```x\ncode\n```"),
            [("```x\n```x\ncode\n```", false)]
        );
    }
}
