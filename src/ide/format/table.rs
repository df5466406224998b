//! Markdown tables padded so their columns line up in a monospace font:
//! cells measured by display width (`unicode-width`), so CJK and emoji,
//! two columns wide, line up too.
//!
//! Only white space and the length of the ruler's dashes change. A table
//! whose rows do not all have the same cells, indentation and outer pipes is
//! left alone: padding it would mean adding cells, which is content.

use unicode_width::UnicodeWidthStr;

/// The rows of one table aligned, or `None` to leave it as written.
pub(super) fn align(rows: &[&str]) -> Option<Vec<String>> {
    let first = rows.first()?;
    let indent = &first[..first.len() - first.trim_start().len()];
    let mut parsed: Vec<Vec<&str>> = Vec::with_capacity(rows.len());
    for row in rows {
        let row = row.trim_end();
        let body = row.strip_prefix(indent)?;
        if body.starts_with(char::is_whitespace) {
            return None;
        }
        parsed.push(cells(body)?);
    }
    let columns = parsed[0].len();
    if columns == 0 || parsed.iter().any(|r| r.len() != columns) {
        return None;
    }
    let ruler: Vec<bool> = parsed
        .iter()
        .map(|r| r.iter().all(|c| is_ruler(c)))
        .collect();
    let mut widths = vec![3; columns];
    for (row, _) in parsed.iter().zip(&ruler).filter(|(_, r)| !**r) {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    let out = parsed
        .iter()
        .zip(&ruler)
        .map(|(row, &is_ruler)| {
            let mut line = String::from(indent);
            line.push('|');
            for (c, &w) in row.iter().zip(&widths) {
                line.push(' ');
                if is_ruler {
                    let left = c.starts_with(':');
                    let right = c.ends_with(':') && c.len() > 1;
                    let dashes = w - usize::from(left) - usize::from(right);
                    line.push_str(if left { ":" } else { "" });
                    line.push_str(&"-".repeat(dashes));
                    line.push_str(if right { ":" } else { "" });
                } else {
                    line.push_str(c);
                    line.push_str(&" ".repeat(w - c.width()));
                }
                line.push_str(" |");
            }
            line
        })
        .collect();
    Some(out)
}

/// A ruler cell: dashes, with a colon at either end for alignment.
fn is_ruler(cell: &str) -> bool {
    let inner = cell.strip_prefix(':').unwrap_or(cell);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.bytes().all(|b| b == b'-')
}

/// The trimmed cells of `| a | b |`; `None` without both outer pipes. A
/// pipe inside inline code or after a backslash is text.
fn cells(row: &str) -> Option<Vec<&str>> {
    let inner = row.strip_prefix('|')?;
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut closed = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                // The span's closing run, or the run is plain text.
                let mut j = i + n;
                let mut close = None;
                while j < b.len() {
                    let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                    if m == n {
                        close = Some(j + m);
                        break;
                    }
                    j += m.max(1);
                }
                i = close.unwrap_or(i + n);
            }
            b'|' => {
                out.push(inner[start..i].trim());
                start = i + 1;
                i += 1;
                closed = start == b.len();
            }
            _ => i += 1,
        }
    }
    closed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_by_display_width() {
        let rows = ["| 日本 | x |", "|---|:-:|", "| a | 🚀🚀 |"];
        let out = align(&rows).unwrap();
        assert_eq!(
            out,
            ["| 日本 | x    |", "| ---- | :--: |", "| a    | 🚀🚀 |"]
        );
    }

    #[test]
    fn leaves_ragged_tables_and_pipes_in_code() {
        assert_eq!(align(&["| a | b |", "| c |"]), None);
        assert_eq!(align(&["| a | b"]), None);
        assert_eq!(
            align(&["| `a|b` | c\\|d |"]).unwrap(),
            ["| `a|b` | c\\|d |"]
        );
    }
}
