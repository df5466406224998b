//! An answer as HTML, for Anki's `#html:true` import: paragraphs with their
//! line breaks, bullet and numbered lists, `|` tables, code (fenced with
//! three backticks, or indented) and inline `code`. Everything else is text,
//! escaped; the result holds no tab and no line break, so it fits in one
//! field of a tab-separated line as it is.

/// The answer `text` as one line of HTML.
pub fn answer_html(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
        } else if trimmed.starts_with("```") {
            i = fenced(&lines, i, &mut out);
        } else if indent(line) >= 4 && i > 0 {
            i = indented(&lines, i, &mut out);
        } else if trimmed.starts_with('|') {
            i = table(&lines, i, &mut out);
        } else if list_item(trimmed).is_some() {
            i = list(&lines, i, &mut out);
        } else {
            i = paragraph(&lines, i, &mut out);
        }
    }
    out
}

/// Text escaped for HTML, with inline `code` and **bold**. No tab or line
/// break is left.
pub fn inline(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        // An unmatched backtick is text.
        let Some(close) = after.find('`') else { break };
        bold(&rest[..open], out);
        out.push_str("<code>");
        escape(&after[..close], out);
        out.push_str("</code>");
        rest = &after[close + 1..];
    }
    bold(rest, out);
}

/// `**text**` as `<b>text</b>`; an unmatched `**` is text.
fn bold(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(open) = rest.find("**") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("**").filter(|&c| c > 0) else {
            break;
        };
        escape(&rest[..open], out);
        out.push_str("<b>");
        escape(&after[..close], out);
        out.push_str("</b>");
        rest = &after[close + 2..];
    }
    escape(rest, out);
}

/// `&`, `<`, `>`, quotes, tabs and line breaks as character references.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
}

fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

fn fenced(lines: &[&str], start: usize, out: &mut String) -> usize {
    out.push_str("<pre><code>");
    let mut i = start + 1;
    let mut first = true;
    while i < lines.len() && !lines[i].trim_start().starts_with("```") {
        if !first {
            out.push_str("<br>");
        }
        first = false;
        escape(lines[i], out);
        i += 1;
    }
    out.push_str("</code></pre>");
    i + 1
}

/// Lines indented by four columns or more under a line of text, with the
/// blank lines between them; the common indent is taken off.
fn indented(lines: &[&str], start: usize, out: &mut String) -> usize {
    let mut end = start;
    let mut i = start;
    while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) >= 4) {
        if !lines[i].trim().is_empty() {
            end = i + 1;
        }
        i += 1;
    }
    let block = &lines[start..end];
    let cut = block
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    out.push_str("<pre><code>");
    for (n, l) in block.iter().enumerate() {
        if n > 0 {
            out.push_str("<br>");
        }
        escape(l.get(cut..).unwrap_or(l.trim_start()), out);
    }
    out.push_str("</code></pre>");
    end
}

fn table(lines: &[&str], start: usize, out: &mut String) -> usize {
    out.push_str("<table>");
    let mut i = start;
    while i < lines.len() && lines[i].trim_start().starts_with('|') {
        let row = lines[i].trim();
        let cells = cells(row);
        let separator = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
        if !separator {
            let tag = if i == start { "th" } else { "td" };
            out.push_str("<tr>");
            for cell in cells {
                out.push_str(&format!("<{tag}>"));
                inline(cell, out);
                out.push_str(&format!("</{tag}>"));
            }
            out.push_str("</tr>");
        }
        i += 1;
    }
    out.push_str("</table>");
    i
}

/// `| a | b |` → `a`, `b`; `\|` stays in its cell.
fn cells(row: &str) -> Vec<&str> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = inner.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'|' && (at == 0 || bytes[at - 1] != b'\\') {
            out.push(inner[from..at].trim());
            from = at + 1;
        }
    }
    out.push(inner[from..].trim());
    out
}

/// The text of a list item and whether the list is numbered.
fn list_item(trimmed: &str) -> Option<(&str, bool)> {
    for bullet in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return Some((rest, false));
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &trimmed[digits..];
    if digits > 0 && digits < 4 && (rest.starts_with(". ") || rest.starts_with(") ")) {
        return Some((&rest[2..], true));
    }
    None
}

fn list(lines: &[&str], start: usize, out: &mut String) -> usize {
    let numbered = list_item(lines[start].trim_start()).is_some_and(|(_, n)| n);
    let tag = if numbered { "ol" } else { "ul" };
    out.push_str(&format!("<{tag}>"));
    let mut i = start;
    let mut open = false;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        match list_item(trimmed) {
            Some((item, n)) if n == numbered => {
                if open {
                    out.push_str("</li>");
                }
                out.push_str("<li>");
                inline(item, out);
                open = true;
            }
            // A wrapped item: an indented line of text goes on the item.
            None if !trimmed.is_empty() && indent(lines[i]) >= 2 => {
                out.push_str("<br>");
                inline(trimmed, out);
            }
            _ => break,
        }
        i += 1;
    }
    if open {
        out.push_str("</li>");
    }
    out.push_str(&format!("</{tag}>"));
    i
}

fn paragraph(lines: &[&str], start: usize, out: &mut String) -> usize {
    out.push_str("<p>");
    let mut i = start;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let starts_block = trimmed.is_empty()
            || trimmed.starts_with("```")
            || trimmed.starts_with('|')
            || list_item(trimmed).is_some()
            || (i > start && indent(lines[i]) >= 4);
        if i > start && starts_block || trimmed.is_empty() {
            break;
        }
        if i > start {
            out.push_str("<br>");
        }
        inline(lines[i].trim(), out);
        i += 1;
    }
    out.push_str("</p>");
    i
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::answer_html;

    #[test]
    fn escapes_script_ampersand_tab_and_quotes() {
        let html = answer_html("Never <script>alert('x')</script> & \"y\"\ta\tb");
        assert_eq!(
            html,
            "<p>Never &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;&#9;a&#9;b</p>"
        );
        assert!(!html.contains('\t') && !html.contains('\n'));
    }

    #[test]
    fn blocks() {
        let html = answer_html(
            "First line\nsecond line\n\n- one `a<b`\n- two\n\n1. x\n2) y\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nCode:\n    if a < b:\n        go()\n\n```\nfn main() {}\n```\nend\r\n",
        );
        expect![[r#"<p>First line<br>second line</p><ul><li>one <code>a&lt;b</code></li><li>two</li></ul><ol><li>x</li><li>y</li></ol><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><p>Code:</p><pre><code>if a &lt; b:<br>    go()</code></pre><pre><code>fn main() {}</code></pre><p>end</p>"#]]
        .assert_eq(&html);
    }

    #[test]
    fn an_unmatched_backtick_or_star_pair_is_text() {
        assert_eq!(answer_html("a ` b"), "<p>a ` b</p>");
        assert_eq!(answer_html("`x` and `"), "<p><code>x</code> and `</p>");
        assert_eq!(
            answer_html("**eager** loading, `**kw`, 2**3"),
            "<p><b>eager</b> loading, <code>**kw</code>, 2**3</p>"
        );
    }
}
