//! How a question is shown and compared.

use std::hash::{DefaultHasher, Hasher};

use super::hash::{fast_hasher, FastHasher};
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
/// before they are called the same. Never 0.
pub fn question_hash(question: &str) -> u64 {
    if !question.is_ascii() {
        return key_hash(&normalize_question(question));
    }
    let mut h = KeyHasher::default();
    fold_ascii(question, |b| h.byte(b));
    h.finish()
}

/// Whether `question` folds to `folded`: `normalize_question(question) ==
/// folded`, without a copy of an ASCII question.
pub fn folds_to(question: &str, folded: &str) -> bool {
    if !question.is_ascii() {
        return normalize_question(question) == folded;
    }
    let mut want = folded.bytes();
    let mut same = true;
    fold_ascii(question, |b| same &= want.next() == Some(b));
    same && want.next().is_none()
}

/// Whether two questions fold alike, as `normalize_question` folds them.
/// `scratch` takes the fold of `a`: reused across calls, it saves a copy of
/// every ASCII question compared.
pub fn same_question(a: &str, b: &str, scratch: &mut String) -> bool {
    scratch.clear();
    if a.is_ascii() {
        fold_ascii(a, |c| scratch.push(char::from(c)));
    } else {
        scratch.push_str(&normalize_question(a));
    }
    folds_to(b, scratch)
}

/// Gives `emit` the bytes of `normalize_question(question)` for an ASCII
/// question, in one pass and without copying it. Trimming final white space
/// and punctuation before collapsing gives what trimming after does:
/// collapsing only shortens runs of white space.
fn fold_ascii(question: &str, mut emit: impl FnMut(u8)) {
    let bytes = question.as_bytes();
    let end = bytes
        .iter()
        .rposition(|&b| !ascii_space(b) && !b"?!.:;".contains(&b))
        .map_or(0, |i| i + 1);
    let (mut started, mut gap) = (false, false);
    for &b in &bytes[..end] {
        if ascii_space(b) {
            gap = started;
            continue;
        }
        if gap {
            emit(b' ');
            gap = false;
        }
        started = true;
        emit(b.to_ascii_lowercase());
    }
}

/// White space as `char::is_whitespace` says for ASCII.
pub(crate) fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// The hash [`question_hash`] gives a question whose folded form is `folded`.
pub fn key_hash(folded: &str) -> u64 {
    let mut h = KeyHasher::default();
    for &b in folded.as_bytes() {
        h.byte(b);
    }
    h.finish()
}

/// A folded question named by two independent 64-bit hashes: foldhash (the
/// question index's table hash, [`question_hash`]) and SipHash. Two
/// questions count as the same when both agree. Hashes that differ in kind
/// do not collide together: two different questions are taken for one with
/// odds of about 2^-128 per pair, a lesser risk than a memory error, and the
/// index need keep no text to compare questions by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuestionKey {
    pub hash: u64,
    pub check: u64,
}

/// The [`QuestionKey`] of a question as written, in one pass over it.
pub fn question_key(question: &str) -> QuestionKey {
    let mut h = KeyHasher {
        check: Some(DefaultHasher::new()),
        ..KeyHasher::default()
    };
    if question.is_ascii() {
        fold_ascii(question, |b| h.byte(b));
    } else {
        normalize_question(question).bytes().for_each(|b| h.byte(b));
    }
    h.finish_key()
}

/// foldhash over the bytes fed one at a time, 8 to a word (so a question
/// can be hashed as it is folded); every bit of the result depends on every
/// input bit, so the question index uses it as its own table hash. With
/// `check`, SipHash of the same words beside it.
struct KeyHasher {
    fast: FastHasher,
    check: Option<DefaultHasher>,
    word: u64,
    filled: u32,
    len: u64,
}

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher {
            fast: fast_hasher(),
            check: None,
            word: 0,
            filled: 0,
            len: 0,
        }
    }
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
        self.fast.write_u64(self.word);
        if let Some(c) = &mut self.check {
            c.write_u64(self.word);
        }
        self.word = 0;
        self.filled = 0;
    }

    fn finish(mut self) -> u64 {
        self.finish_key().hash
    }

    fn finish_key(&mut self) -> QuestionKey {
        if self.filled > 0 {
            self.mix();
        }
        self.fast.write_u64(self.len);
        let check = self.check.as_mut().map_or(0, |c| {
            c.write_u64(self.len);
            c.finish()
        });
        QuestionKey {
            // Never 0, which callers may take for no question.
            hash: self.fast.finish().max(1),
            check,
        }
    }
}

/// `s` with every run of white space made one space, and none at either
/// end (as `split_whitespace` and `join(" ")` would give).
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // Every question and definition goes through here: whole words are
        // copied, and an ASCII string splits anywhere.
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && ascii_space(bytes[i]) {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && !ascii_space(bytes[i]) {
                i += 1;
            }
            if start < i {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s[start..i]);
            }
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

/// Whether [`collapse`] would give `s` back unchanged.
pub(crate) fn is_collapsed(s: &str) -> bool {
    // One pass over the bytes for ASCII text, which is nearly all of it.
    let mut prev_space = true;
    let mut ascii = true;
    for &b in s.as_bytes() {
        match b {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            b'\t'..=b'\r' => return false,
            0x80.. => {
                ascii = false;
                break;
            }
            _ => prev_space = false,
        }
    }
    if ascii {
        return !prev_space || s.is_empty();
    }
    let mut prev_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if prev_space || c != ' ' {
                return false;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    !prev_space || s.is_empty()
}

/// [`collapse`], without a copy when `s` is already collapsed.
pub(crate) fn collapse_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_collapsed(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(collapse(s))
    }
}

#[cfg(test)]
mod tests {
    use super::{folds_to, key_hash, normalize_question, question_hash, question_key};

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
            assert_eq!(super::is_collapsed(s), super::collapse(s) == s, "{s:?}");
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
            assert!(folds_to(q, &normalize_question(q)), "{q:?}");
            assert_eq!(question_key(q).hash, question_hash(q), "{q:?}");
            assert_eq!(
                question_key(q),
                question_key(&normalize_question(q)),
                "{q:?}"
            );
            assert!(
                !folds_to(q, &format!("{}x", normalize_question(q))),
                "{q:?}"
            );
        }
        assert_eq!(
            question_hash("What  is CSRF?"),
            question_hash("what is csrf")
        );
        assert_ne!(
            question_hash("What is CSRF?"),
            question_hash("What is XSS?")
        );
        let (a, b) = (question_key("What is CSRF?"), question_key("What is XSS?"));
        assert!(a.hash != b.hash && a.check != b.check);
    }

    proptest::proptest! {
        #[test]
        fn is_collapsed_agrees_with_collapse(s in "[a \t\n\u{a0}é]{0,10}") {
            proptest::prop_assert_eq!(super::is_collapsed(&s), super::collapse(&s) == s);
            proptest::prop_assert_eq!(&*super::collapse_cow(&s), super::collapse(&s));
        }

        #[test]
        fn folds_to_compares_folded_forms(a in "[aB ?.]{0,8}", b in "[ab ?.]{0,8}") {
            proptest::prop_assert_eq!(
                folds_to(&a, &normalize_question(&b)),
                normalize_question(&a) == normalize_question(&b)
            );
        }

        #[test]
        fn hash_agrees_with_folding(q in "[aB \t\n\x0b?!.:;é]{0,24}") {
            proptest::prop_assert_eq!(question_hash(&q), key_hash(&normalize_question(&q)));
            proptest::prop_assert_eq!(question_key(&q), question_key(&normalize_question(&q)));
            proptest::prop_assert!(folds_to(&q, &normalize_question(&q)));
        }
    }
}
