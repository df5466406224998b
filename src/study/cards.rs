//! Cards: one per question of a file, with a stable id, the tags of its
//! folders and file name, and a deck.
//!
//! The id names a card across edits, exports and review sessions, so it
//! depends only on what the user would call "the same card": the file's
//! path relative to the notes root and the question folded as duplicates
//! are (`ide::normalize_question`: case, spacing and final punctuation). It
//! is FNV-1a over those bytes, written out in hex: a published, fixed
//! function, unlike std's randomly seeded hasher or the index's own hash,
//! which may change for speed. Anki takes it as the note's GUID, so
//! importing again updates the notes instead of adding copies.

use crate::ide::{normalize_question, question_label};
use crate::syntax::Notes;

/// One question as a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// 16 hex digits; see the module comment.
    pub id: String,
    /// The question on one line.
    pub question: String,
    /// The answer as written (empty when there is none).
    pub answer: String,
    /// The file, relative to the notes root, with `/` separators.
    pub file: String,
    /// 1-based line of the question.
    pub line: usize,
    /// Byte offset of the question line, for editors.
    pub offset: usize,
    /// A real answer, not a placeholder.
    pub answered: bool,
    /// Folders and file name, as Anki tags (no spaces).
    pub tags: Vec<String>,
    /// The top folder, or the root's name for a file at the top.
    pub deck: String,
}

/// The cards of some files, and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardSet {
    pub cards: Vec<Card>,
    /// Unanswered or placeholder answers left out.
    pub unanswered: usize,
    /// Questions asked again in the same file: they would have the same id.
    pub duplicates: usize,
}

/// The stable id of a question in a file (see the module comment).
pub fn card_id(file: &str, question: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    let folded = normalize_question(question);
    let key = file.bytes().chain([0]).chain(folded.bytes());
    for b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    format!("{h:016x}")
}

/// The cards of one file. `file` is its path relative to the notes root
/// (`/`-separated); `root_name` names the deck of files at the top.
/// Unanswered questions are counted, and kept only with `keep_unanswered`.
pub fn cards(
    file: &str,
    root_name: &str,
    text: &str,
    notes: &Notes,
    keep_unanswered: bool,
    into: &mut CardSet,
) {
    let tags = tags(file);
    let deck = match file.split_once('/') {
        Some((top, _)) => top.to_string(),
        None => root_name.to_string(),
    };
    let mut seen = std::collections::HashSet::new();
    let mut line = 1;
    let mut counted_to = 0;
    for entry in &notes.entries {
        let start = entry.question.line.start();
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count();
        counted_to = start;
        if entry.question.text.is_empty() {
            continue;
        }
        let question = question_label(entry, text);
        let id = card_id(file, &question);
        if !seen.insert(id.clone()) {
            into.duplicates += 1;
            continue;
        }
        let answered = entry.is_answered();
        if !answered {
            into.unanswered += 1;
            if !keep_unanswered {
                continue;
            }
        }
        let answer = entry
            .answer
            .as_ref()
            .map_or("", |a| a.range.slice(text))
            .to_string();
        into.cards.push(Card {
            id,
            question,
            answer,
            file: file.to_string(),
            line,
            offset: start,
            answered,
            tags: tags.clone(),
            deck: deck.clone(),
        });
    }
}

/// `backend/web/CSRF notes.notes` → `backend`, `web`, `CSRF_notes`.
fn tags(file: &str) -> Vec<String> {
    let mut parts: Vec<&str> = file.split('/').filter(|p| !p.is_empty()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.rsplit_once('.').map_or(*last, |(stem, _)| stem);
    }
    parts
        .into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(file: &str, text: &str, keep: bool) -> CardSet {
        let mut out = CardSet::default();
        cards(
            file,
            "notes",
            text,
            &crate::syntax::parse(text),
            keep,
            &mut out,
        );
        out
    }

    #[test]
    fn id_ignores_case_spacing_and_final_punctuation_but_not_the_file() {
        assert_eq!(
            card_id("web.notes", "What is CSRF?"),
            card_id("web.notes", "what  is csrf")
        );
        assert_ne!(
            card_id("web.notes", "What is CSRF?"),
            card_id("db.notes", "What is CSRF?")
        );
        // Fixed forever: a change here orphans every review and Anki note.
        assert_eq!(card_id("web.notes", "What is CSRF?"), "aed999a93b3b3902");
    }

    #[test]
    fn unanswered_and_duplicates_are_counted() {
        let text = "*A?\n-> a\n\n*B?\n-> TODO\n\n*C?\n\n*a\n-> again\n";
        let s = set("x/y.notes", text, false);
        let qs: Vec<_> = s
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.line))
            .collect();
        assert_eq!(qs, [("A?", 1)]);
        assert_eq!((s.unanswered, s.duplicates), (2, 1));
        assert_eq!(s.cards[0].tags, ["x", "y"]);
        assert_eq!(s.cards[0].deck, "x");
        assert_eq!(set("x/y.notes", text, true).cards.len(), 3);
        assert_eq!(set("top.notes", text, false).cards[0].deck, "notes");
    }

    #[test]
    fn tags_come_from_folders_and_the_file_name() {
        assert_eq!(
            tags("backend/web/CSRF notes.notes"),
            ["backend", "web", "CSRF_notes"]
        );
        assert_eq!(tags("a.txt"), ["a"]);
    }
}
