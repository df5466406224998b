//! Checks shared by the parser tests: every range a parse produces lies on
//! character boundaries, inside its entry, and in text order.

use notes_ls::syntax::{Dialect, Notes, TextRange};

/// Panics, naming the range, if `notes` (parsed from `text`) is malformed.
pub fn assert_well_formed(notes: &Notes, text: &str) {
    assert_eq!(notes.len, text.len(), "notes.len");
    let mut prev_end = 0;
    for (i, e) in notes.entries.iter().enumerate() {
        let within = |what: &str, r: TextRange, outer: TextRange| {
            assert!(
                r.start() <= r.end()
                    && text.is_char_boundary(r.start())
                    && text.is_char_boundary(r.end()),
                "entry {i}: {what} {r:?} is reversed or not on character boundaries"
            );
            assert!(
                outer.start() <= r.start() && r.end() <= outer.end(),
                "entry {i}: {what} {r:?} is outside {outer:?}"
            );
        };
        let whole = TextRange::new(0, text.len());
        within("range", e.range, whole);
        assert!(
            prev_end <= e.range.start(),
            "entry {i} overlaps the one before"
        );
        prev_end = e.range.end();
        let q = &e.question;
        // The question line keeps its trailing white space; the entry does not.
        within("question line", q.line, whole);
        assert_eq!(
            q.line.start(),
            e.range.start(),
            "entry {i}: question line start"
        );
        within("question text", q.text, e.range);
        if let Some(m) = q.marker {
            within("marker", m, q.line);
            // Other dialects mark questions with `Q1.`, `1.`, `### Q.1`.
            if notes.dialect == Dialect::Arrow {
                assert_eq!(m.slice(text), "*", "entry {i}: marker");
            } else {
                assert!(!m.is_empty(), "entry {i}: empty marker");
            }
        }
        let mut after_question = q.text.end();
        if let Some(a) = e.arrow {
            within("arrow", a, e.range);
            // Other dialects answer with `Ans:`, `=>`, or (headings) right
            // after the question line, an empty arrow at its end.
            if notes.dialect == Dialect::Arrow {
                assert_eq!(a.slice(text), "->", "entry {i}: arrow");
            }
            assert!(
                q.text.end() <= a.start(),
                "entry {i}: arrow inside the question"
            );
            after_question = a.end();
        }
        if let Some(a) = &e.answer {
            within("answer", a.range, e.range);
            assert!(
                after_question <= a.range.start(),
                "entry {i}: answer before its question"
            );
            assert_eq!(
                a.range.slice(text),
                a.range.slice(text).trim(),
                "entry {i}: answer"
            );
            for d in a.definitions() {
                within("definition line", d.line, a.range);
                within("term", d.term, d.line);
                within("definition body", d.body, d.line);
                assert!(
                    d.term.end() < d.body.start(),
                    "entry {i}: term after its body"
                );
            }
            for t in a.tables() {
                within("table", t.range, a.range);
                let mut cell_end = t.range.start();
                for &c in &t.header {
                    within("header cell", c, t.range);
                    assert!(
                        cell_end <= c.start(),
                        "entry {i}: header cells out of order"
                    );
                    cell_end = c.end();
                }
            }
        }
    }
}
