//! How far apart two spellings are: the optimal string alignment distance
//! (Damerau-Levenshtein with adjacent transpositions), computed only within
//! the allowed number of edits, and the letter sets that rule most
//! spellings out before it is computed. The term check (`near.rs`) and the
//! English check (`spelling/english.rs`) both measure with it.

/// Longest word compared, in bytes; longer ones are never flagged.
pub(crate) const MAX_LEN: usize = 64;

/// The most edits between a word and a spelling for the word to count as a
/// misspelling of it, by the shorter one's length: none below 4 characters,
/// where one letter makes another word; 1 up to 6; 2 from 7.
/// `scripts/near-terms.py` applies the same rule; change both together.
pub(crate) fn max_distance(a: usize, b: usize) -> u8 {
    match a.min(b) {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// Which letters a word has, and which it has twice or more: a bit each
/// (digits, `-`, space and anything else share a bit per group).
///
/// Each edit adds at most one letter and removes at most one, so the
/// letters one word has more of than another (counted with these bits) are
/// a lower bound of their distance, and ruling a spelling out costs a few
/// instructions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Letters {
    pub(super) once: u32,
    pub(super) twice: u32,
}

impl Letters {
    pub(super) fn of(word: &[u8]) -> Letters {
        let mut l = Letters { once: 0, twice: 0 };
        for &c in word {
            let bit = 1
                << match c {
                    b'a'..=b'z' => u32::from(c - b'a'),
                    b'0'..=b'9' => 26,
                    b'-' => 27,
                    b' ' => 28,
                    _ => 29,
                };
            l.twice |= l.once & bit;
            l.once |= bit;
        }
        l
    }

    /// Whether `self` and `other` may be within `limit` edits.
    pub(super) fn within(self, other: &Letters, limit: u8) -> bool {
        let more = |a: Letters, b: Letters| {
            u64::from(a.once & !b.once) | u64::from(a.twice & !b.twice) << 32
        };
        at_most(more(self, *other), limit) && at_most(more(*other, self), limit)
    }
}

/// Whether `bits` has at most `n` bits set (clearing the lowest `n` times is
/// cheaper than counting on CPUs without a popcount instruction).
fn at_most(mut bits: u64, n: u8) -> bool {
    for _ in 0..n {
        bits &= bits.wrapping_sub(1);
    }
    bits == 0
}

/// The optimal string alignment distance of `a` and `b` (ASCII), or
/// `limit + 1` as soon as it is sure to be larger than `limit`.
pub(crate) fn distance(a: &[u8], b: &[u8], limit: u8) -> u8 {
    let over = limit.saturating_add(1);
    if a.len().abs_diff(b.len()) > usize::from(limit) || a.len() > MAX_LEN || b.len() > MAX_LEN {
        return over;
    }
    let m = b.len();
    let mut before = [0u8; MAX_LEN + 1];
    let mut prev = [0u8; MAX_LEN + 1];
    let mut cur = [0u8; MAX_LEN + 1];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j as u8;
    }
    for i in 1..=a.len() {
        cur[0] = i as u8;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        // Rows never get cheaper (a transposition's source row has a cell
        // no dearer than the one it leads to), so this row decides.
        if row_min > limit {
            return over;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m].min(over)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> u8 {
        distance(a.as_bytes(), b.as_bytes(), 3)
    }

    #[test]
    fn distances() {
        assert_eq!(d("gunicon", "gunicorn"), 1);
        assert_eq!(d("kubernets", "kubernetes"), 1);
        assert_eq!(d("falsk", "flask"), 1, "a transposition is one edit");
        assert_eq!(d("flask", "flask"), 0);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abcdefgh", "a"), 4, "over the limit");
        assert_eq!(distance(b"postgis", b"postgres", 1), 2);
        assert_eq!(distance(b"postgis", b"postgres", 2), 2);
    }

    #[test]
    fn letters_rule_out_far_words_only() {
        let within = |a: &str, b: &str, limit| {
            Letters::of(a.as_bytes()).within(&Letters::of(b.as_bytes()), limit)
        };
        assert!(within("gunicon", "gunicorn", 1));
        assert!(within("kubernets", "kubernetes", 1));
        assert!(within("falsk", "flask", 1));
        assert!(within("postgress", "postgres", 1));
        assert!(!within("postgis", "postgres", 1));
        assert!(!within("aab", "abb", 0));
        assert!(!within("interesting", "kubernetes", 2));
    }

    #[test]
    fn thresholds_by_length() {
        assert_eq!(max_distance(3, 8), 0);
        assert_eq!(max_distance(6, 7), 1);
        assert_eq!(max_distance(7, 9), 2);
    }
}
