//! The client's side of an editing session, written without ropey: the text
//! is a `String`, and an LSP position becomes a byte offset the way the
//! protocol defines it, clamped the way the server promises (a line past the
//! end means the end of the text, a column past the end of its line means the
//! end of that line, a column inside a character means that character's
//! start). Property tests and the fuzz targets (which include this file by
//! path) hold the server to it, so the file must not depend on the rest of
//! `tests/common`.

/// Line starts, splitting on `\n`, `\r\n` and a lone `\r`, as LSP does.
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The byte range of line `line`'s content, without its line break.
pub fn line_content(text: &str, starts: &[usize], line: usize) -> (usize, usize) {
    let start = starts[line];
    let end = starts.get(line + 1).copied().unwrap_or(text.len());
    let content = text[start..end].trim_end_matches(['\n', '\r']);
    (start, start + content.len())
}

/// The byte offset of an LSP position, clamped into the text.
pub fn clamped_offset(text: &str, line: u32, character: u32, utf8: bool) -> usize {
    let starts = line_starts(text);
    let line = line as usize;
    if line >= starts.len() {
        return text.len();
    }
    let (start, end) = line_content(text, &starts, line);
    let mut units = 0usize;
    for (i, c) in text[start..end].char_indices() {
        let width = if utf8 { c.len_utf8() } else { c.len_utf16() };
        if units + width > character as usize {
            return start + i;
        }
        units += width;
    }
    end
}

/// The length of line `line` in the position encoding's units.
pub fn line_len(text: &str, line: usize, utf8: bool) -> usize {
    let starts = line_starts(text);
    if line >= starts.len() {
        return 0;
    }
    let (start, end) = line_content(text, &starts, line);
    let content = &text[start..end];
    if utf8 {
        content.len()
    } else {
        content.encode_utf16().count()
    }
}

/// One content change as the client sends it: a range of positions (maybe
/// reversed or out of bounds) and its new text, or the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientChange {
    Range {
        start: (u32, u32),
        end: (u32, u32),
        text: String,
    },
    Full(String),
}

/// Applies a change to the client's text. A reversed range is put in order.
pub fn apply(text: &mut String, change: &ClientChange, utf8: bool) {
    match change {
        ClientChange::Full(new) => *text = new.clone(),
        ClientChange::Range {
            start,
            end,
            text: new,
        } => {
            let a = clamped_offset(text, start.0, start.1, utf8);
            let b = clamped_offset(text, end.0, end.1, utf8);
            text.replace_range(a.min(b)..a.max(b), new);
        }
    }
}
