//! How a question is shown and compared.

use crate::syntax::{Entry, QuestionKind};

/// The question as one line: white space collapsed (a question may span lines).
pub fn question_label(entry: &Entry, text: &str) -> String {
    let label = collapse(entry.question.text.slice(text));
    if label.is_empty() {
        match entry.question.kind {
            QuestionKind::Missing => "(missing question)".to_string(),
            _ => "(empty question)".to_string(),
        }
    } else {
        label
    }
}

/// The key under which two questions count as the same: case, spacing and
/// final punctuation folded.
pub fn normalize_question(question: &str) -> String {
    let mut folded = if question.is_ascii() {
        // Every question of every file goes through here: one pass and one
        // allocation for the usual ASCII text.
        let mut out = collapse(question);
        out.make_ascii_lowercase();
        out
    } else {
        collapse(&question.to_lowercase())
    };
    let end = folded
        .trim_end_matches(|c: char| c.is_whitespace() || "?!.:;".contains(c))
        .len();
    folded.truncate(end);
    folded
}

/// The 64-bit hash of a folded question, for indexes that keep hashes
/// rather than the folded text: equal to
/// `key_hash(&normalize_question(question))`. A hash names a question but
/// does not prove it: two questions with one hash must be compared as text
/// before they are called the same.
pub fn question_hash(question: &str) -> u64 {
    if !question.is_ascii() {
        return key_hash(&normalize_question(question));
    }
    // The usual ASCII question is folded and hashed in one pass without
    // copying it. Trimming final white space and punctuation before
    // collapsing gives what trimming after does: collapsing only shortens
    // runs of white space.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = question.as_bytes();
    let end = bytes
        .iter()
        .rposition(|&b| !space(b) && !b"?!.:;".contains(&b))
        .map_or(0, |i| i + 1);
    let mut h = KeyHasher::default();
    for (i, w) in bytes[..end]
        .split(|&b| space(b))
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            h.byte(b' ');
        }
        for &b in w {
            h.byte(b.to_ascii_lowercase());
        }
    }
    h.finish()
}

/// The hash [`question_hash`] gives a question whose folded form is `folded`.
pub fn key_hash(folded: &str) -> u64 {
    let mut h = KeyHasher::default();
    for &b in folded.as_bytes() {
        h.byte(b);
    }
    h.finish()
}

/// FxHash over the bytes fed one at a time (so a question can be hashed as
/// it is folded), finished with MurmurHash3's mixer so that every bit of the
/// result depends on every input bit: the question index uses the hash as
/// its own table hash.
#[derive(Default)]
struct KeyHasher {
    hash: u64,
    word: u64,
    filled: u32,
    len: u64,
}

impl KeyHasher {
    fn byte(&mut self, b: u8) {
        self.word |= u64::from(b) << (8 * self.filled);
        self.filled += 1;
        self.len += 1;
        if self.filled == 8 {
            self.mix();
        }
    }

    fn mix(&mut self) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.hash = (self.hash.rotate_left(5) ^ self.word).wrapping_mul(SEED);
        self.word = 0;
        self.filled = 0;
    }

    fn finish(mut self) -> u64 {
        if self.filled > 0 {
            self.mix();
        }
        let mut h = self.hash ^ self.len;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// `s` with every run of white space made one space, and none at either
/// end (as `split_whitespace` and `join(" ")` would give).
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // White space here is what `char::is_whitespace` says for ASCII.
        let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
        for w in s.as_bytes().split(|&b| space(b)).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(std::str::from_utf8(w).unwrap_or_default());
        }
        return out;
    }
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{key_hash, normalize_question, question_hash};

    #[test]
    fn collapse_agrees_with_split_whitespace() {
        for s in [
            "",
            "  a  b\t\nc \x0b d ",
            "x",
            " é  \u{2028} f\u{a0}g ",
            "a\r\n b?",
        ] {
            assert_eq!(
                super::collapse(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    #[test]
    fn folds_case_spacing_and_final_punctuation() {
        assert_eq!(
            normalize_question("What  is CSRF ?"),
            normalize_question("what is csrf")
        );
        assert_ne!(
            normalize_question("What is CSRF?"),
            normalize_question("What is XSS?")
        );
    }

    #[test]
    fn hash_is_the_hash_of_the_folded_question() {
        for q in [
            "",
            "?",
            "  What  is\tCSRF ?  ",
            "what is csrf",
            "A.B: c;!",
            "x \x0b y\r\n",
            "Qu'est-ce que l'É ?",
            "ＡＢ？ x",
        ] {
            assert_eq!(question_hash(q), key_hash(&normalize_question(q)), "{q:?}");
        }
        assert_eq!(
            question_hash("What  is CSRF?"),
            question_hash("what is csrf")
        );
        assert_ne!(
            question_hash("What is CSRF?"),
            question_hash("What is XSS?")
        );
    }

    proptest::proptest! {
        #[test]
        fn hash_agrees_with_folding(q in "[aB \t\n\x0b?!.:;é]{0,24}") {
            proptest::prop_assert_eq!(question_hash(&q), key_hash(&normalize_question(&q)));
        }
    }
}
