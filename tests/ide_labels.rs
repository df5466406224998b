//! Prose labels (`Defence:`, `Fix:`) are not terms unless the notes use the
//! word as one: checked through what a user sees, hover and completion.

use notes_ls::ide::{completions, hover, TermIndex};
use notes_ls::syntax::parse;

fn index(text: &str) -> TermIndex {
    let mut idx = TermIndex::builtin();
    idx.set_document(&"notes.txt".into(), text, &parse(text));
    idx
}

fn hover_at(text: &str, needle: &str) -> Option<String> {
    let at = text.find(needle).expect("needle") + 1;
    hover(text, &parse(text), &index(text), &"notes.txt".into(), at).map(|h| h.markdown)
}

#[test]
fn a_label_is_not_a_term() {
    let text = "*What is XSS?\n-> Script injection.\nDefence: escape output.\nFix: a CSP header.\n\
                Sharding: splitting data.\n\nExample: login at 10:30 on localhost:8080\n";
    assert_eq!(hover_at(text, "Defence:"), None);
    assert_eq!(hover_at(text, "Fix:"), None);
    assert_eq!(hover_at(text, "Example:"), None);
    assert!(hover_at(text, "Sharding:").is_some());
    let idx = index(text);
    let labels: Vec<String> = completions("De", &parse("De"), &idx, 2)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(!labels.iter().any(|l| l == "Defence"), "{labels:?}");
}

#[test]
fn a_label_the_notes_define_is_a_term() {
    let text = "*What is Defence?\n-> Protection.\n\n*Q?\n-> Defence: in depth.\n";
    let md = hover_at(text, "Defence:").expect("a term");
    assert!(md.contains("in depth"), "{md}");
}
