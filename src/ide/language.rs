//! Whether a line of notes is English, so that the spelling check leaves
//! other languages alone: `jsou` (Czech for "are") is no misspelling of
//! JSON in `Objekty jsou mapovány na tabulky`.
//!
//! Without a dictionary of every language, the line's small words decide:
//! English function words against the function words of a few other
//! languages notes are written in, and words with letters outside ASCII
//! (`mapovány`), which English technical prose rarely has. Words that are
//! English too (`a`, `to`, `die`, `con`) count for neither.

/// Common English words a sentence of any length is likely to hold.
const ENGLISH: &[&str] = &[
    "a", "all", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "each",
    "for", "from", "has", "have", "how", "if", "in", "into", "is", "it", "its", "more", "not",
    "of", "on", "one", "only", "or", "should", "than", "that", "the", "their", "then", "there",
    "these", "they", "this", "those", "to", "two", "use", "used", "uses", "was", "we", "were",
    "what", "when", "which", "why", "will", "with", "would", "you", "your",
];

/// Function words of Czech, Slovak, Polish, German, Dutch, French, Spanish,
/// Portuguese and Italian that are not English words. Sorted.
const FOREIGN: &[&str] = &[
    "als", "auf", "avec", "co", "como", "dans", "das", "del", "della", "der", "des", "di", "du",
    "een", "ein", "eine", "ist", "jak", "jako", "je", "jest", "jsou", "kde", "les", "mit", "na",
    "nebo", "nicht", "nie", "niet", "para", "pour", "que", "qui", "se", "sind", "sono", "sont",
    "una", "und", "une", "von", "zijn",
];

/// True unless the line reads as another language written in Latin
/// letters: a foreign function word counts 2 and a word with accented Latin
/// letters 1, and the line is not English when that makes at least 2 and
/// more than its English function words. One `café` is English; other
/// scripts (`使用 gunicon`) have no words near terms, so they count for
/// neither.
pub(crate) fn is_english(line: &str) -> bool {
    let mut english = 0usize;
    let mut foreign = 0usize;
    for word in line.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        if !word.is_ascii() {
            if word.chars().any(|c| ('\u{c0}'..='\u{24f}').contains(&c)) {
                foreign += 1;
            }
            continue;
        }
        if word.len() > 6 {
            continue;
        }
        let mut buf = [0u8; 6];
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII letters only: always valid UTF-8.
        let lower = std::str::from_utf8(lower).unwrap_or_default();
        if ENGLISH.binary_search(&lower).is_ok() {
            english += 1;
        } else if FOREIGN.binary_search(&lower).is_ok() {
            foreign += 2;
        }
    }
    foreign < 2 || foreign <= english
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted() {
        assert!(ENGLISH.windows(2).all(|w| w[0] < w[1]));
        assert!(FOREIGN.windows(2).all(|w| w[0] < w[1]));
        assert!(FOREIGN.iter().all(|w| ENGLISH.binary_search(w).is_err()));
    }

    #[test]
    fn english_or_not() {
        assert!(is_english("Gunicon workers"));
        assert!(is_english("How would you make a naïve Django view faster?"));
        assert!(is_english("-> use querise and threding in python"));
        assert!(!is_english(
            "Objekty jsou mapovány na tabulky, data jsou uložena."
        ));
        assert!(!is_english("Data jsou JSON"));
        assert!(!is_english("Der Server ist schnell und sicher"));
        assert!(is_english("使用 ⚠️ café gunicon 😀"));
        assert!(is_english("日本語の質問ですか gunicon"));
    }
}
