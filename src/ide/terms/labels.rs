//! Prose labels: `Fix: escape the output`, `Defence: ...`, `Problem: ...`.
//! They have the shape of a definition (`Term: body`) but introduce a
//! sentence; taken as terms, they showed up in hover, completion and the
//! outline as if the notes defined "Fix".
//!
//! The parser already refuses the commonest (`Example`, `Note`, `Tip`, see
//! `syntax/answer.rs`); these are the capitalised common words people use
//! the same way. The term extraction (`extract.rs`) drops a definition named
//! by one of them unless the notes use the word as a term elsewhere: a
//! `What is X?` question in the same file, or a glossary entry.

/// Single words that label a sentence rather than name a thing. Lowercase,
/// sorted (binary search).
const LABELS: &[&str] = &[
    "advantage",
    "advantages",
    "also",
    "alternative",
    "alternatives",
    "answer",
    "approach",
    "avoid",
    "background",
    "bad",
    "because",
    "benefit",
    "benefits",
    "best",
    "better",
    "but",
    "cause",
    "causes",
    "caution",
    "caveat",
    "caveats",
    "check",
    "conclusion",
    "context",
    "correct",
    "defence",
    "defense",
    "definition",
    "detail",
    "details",
    "disadvantage",
    "disadvantages",
    "do",
    "don't",
    "dont",
    "downside",
    "downsides",
    "drawback",
    "drawbacks",
    "effect",
    "explanation",
    "finally",
    "first",
    "fix",
    "fixes",
    "good",
    "gotcha",
    "hint",
    "idea",
    "impact",
    "important",
    "info",
    "meaning",
    "mitigation",
    "next",
    "observation",
    "outcome",
    "pitfall",
    "pitfalls",
    "point",
    "prevention",
    "problem",
    "problems",
    "purpose",
    "reason",
    "reasons",
    "remember",
    "result",
    "risk",
    "risks",
    "rule",
    "second",
    "so",
    "sol",
    "solution",
    "summary",
    "takeaway",
    "then",
    "therefore",
    "third",
    "thus",
    "tldr",
    "trick",
    "upside",
    "warning",
    "wrong",
];

/// `term` (as written before the colon) is a prose label.
pub(crate) fn is_prose_label(term: &str) -> bool {
    let t = term.trim();
    if t.is_empty() || t.contains(char::is_whitespace) || !t.is_ascii() {
        return false;
    }
    // Every definition line asks: compare without a lowercase copy.
    LABELS
        .binary_search_by(|l| l.bytes().cmp(t.bytes().map(|b| b.to_ascii_lowercase())))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_sorted_single_lowercase_words() {
        assert!(LABELS.windows(2).all(|w| w[0] < w[1]), "sort LABELS");
        assert!(LABELS.iter().all(|l| *l == l.to_ascii_lowercase()));
    }

    #[test]
    fn labels_and_terms() {
        assert!(is_prose_label("Defence"));
        assert!(is_prose_label("FIX"));
        assert!(!is_prose_label("Fix ups"));
        assert!(!is_prose_label("Sharding"));
        assert!(!is_prose_label("Payload"));
    }
}
