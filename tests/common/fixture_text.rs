//! Fixture text helpers shared by the data-driven tests, included with
//! `#[path]` (as `benches/corpus` is) so each test binary takes only this and
//! not the protocol harness of `tests/common/mod.rs`.

#![allow(dead_code)]

/// Drops the first line if blank and the indentation all lines share, so
/// fixtures can be indented with the code. Keeps `\r`.
pub fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    text.split_inclusive('\n')
        .map(|l| l.get(indent..).unwrap_or(l.trim_start_matches(' ')))
        .collect()
}

/// A spelling fixture split at its `//- glossary` and `//- notes` lines:
/// the glossary file's text, if the fixture has one, and the notes.
pub fn glossary_and_notes(fixture: &str) -> (Option<String>, String) {
    let fixture = trim_indent(fixture);
    match fixture.strip_prefix("//- glossary\n") {
        Some(rest) => {
            let (glossary, notes) = rest.split_once("//- notes\n").expect("a //- notes line");
            (Some(glossary.to_string()), notes.to_string())
        }
        None => (None, fixture),
    }
}
