//! How well a typed word matches a term's name, for ranking completions.
//!
//! Three grades, best first: the name starts with what was typed; what was
//! typed is made of pieces that each start a word of the name (`rt` or
//! `reftok` for `refresh token`, `qs` for `QuerySet`); or it is any
//! subsequence of the name whose first character starts a word (`gncrn` for
//! `Gunicorn`) and that spans at most twice as many characters as were
//! typed. Without those two limits a few typed letters match half the
//! glossary (`guni` would find `generator function`).

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Grade {
    Prefix,
    WordStarts,
    Subsequence,
}

/// Grades `candidate` against `typed`, ignoring case; `None` if it does not
/// match at all.
pub(crate) fn grade(typed: &str, candidate: &str) -> Option<Grade> {
    // Every grade matches each typed character (lowercased, one or more)
    // to a character of its own in the candidate: typed text with more
    // characters than the candidate matches nothing. Asked before anything
    // else reads all of what was typed, which after a word of a megabyte
    // cost that much for every term (issue 18).
    if typed.chars().nth(candidate.chars().count()).is_some() {
        return None;
    }
    // Every grade needs what was typed in order inside the candidate; most
    // of the glossary fails that at once, before anything is allocated.
    if typed.is_ascii() && candidate.is_ascii() {
        let mut c = candidate.bytes().map(|b| b.to_ascii_lowercase());
        if !typed
            .bytes()
            .all(|t| c.any(|x| x == t.to_ascii_lowercase()))
        {
            return None;
        }
    }
    let q: Vec<char> = typed.chars().flat_map(char::to_lowercase).collect();
    if q.is_empty() {
        return None;
    }
    let original: Vec<char> = candidate.chars().collect();
    // Lowercase one character at a time so positions stay aligned.
    let c: Vec<char> = original.iter().map(|&ch| lower(ch)).collect();
    if c.starts_with(&q) {
        return Some(Grade::Prefix);
    }
    let starts: Vec<bool> = (0..original.len())
        .map(|i| {
            i == 0
                || !original[i - 1].is_alphanumeric()
                || (original[i - 1].is_lowercase() && original[i].is_uppercase())
        })
        .collect();
    if pieces_at_word_starts(&q, &c, &starts, 0) {
        return Some(Grade::WordStarts);
    }
    let tight = (0..c.len())
        .filter(|&p| starts[p] && c[p] == q[0])
        .filter_map(|p| subsequence_end(&q[1..], &c[p + 1..]).map(|end| end + 1))
        .any(|span| span <= 2 * q.len());
    tight.then_some(Grade::Subsequence)
}

/// How many characters of `c` the earliest match of `q` as a subsequence
/// takes, if it matches.
fn subsequence_end(q: &[char], c: &[char]) -> Option<usize> {
    let mut used = 0;
    for &ch in q {
        used += c[used..].iter().position(|&x| x == ch)? + 1;
    }
    Some(used)
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Whether `q` splits into pieces that each match, in order, at the start of
/// a word of `c` at or after `from`. Backtracking, with the states that
/// failed remembered: without them a name made of many short words
/// (`aa aa aa ... xc`, which notes may define) took time exponential in its
/// words to grade, the splits tried again from every word (issue 18;
/// figures in docs/robustness.md).
fn pieces_at_word_starts(q: &[char], c: &[char], starts: &[bool], from: usize) -> bool {
    let mut failed = std::collections::HashSet::new();
    pieces_from(q, c, starts, from, &mut failed)
}

/// [`pieces_at_word_starts`]; `failed` holds `(q.len(), from)` of the
/// suffixes of the typed text that matched no split from there.
fn pieces_from(
    q: &[char],
    c: &[char],
    starts: &[bool],
    from: usize,
    failed: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    if q.is_empty() {
        return true;
    }
    if failed.contains(&(q.len(), from)) {
        return false;
    }
    let found = (from..c.len())
        .filter(|&p| starts[p] && c[p] == q[0])
        .any(|p| {
            let run = q.iter().zip(&c[p..]).take_while(|(a, b)| a == b).count();
            (1..=run)
                .rev()
                .any(|k| pieces_from(&q[k..], c, starts, p + k, failed))
        });
    if !found {
        failed.insert((q.len(), from));
    }
    found
}

/// How many characters of `label` a match of `query` as a subsequence skips
/// between its first and last character (fewer is a tighter match), or
/// `None` when `query` is no subsequence of `label`. Both are already folded
/// as the caller compares them.
pub(crate) fn subsequence_gaps(query: &[char], label: &[char]) -> Option<usize> {
    let mut at = 0;
    let mut gaps = 0;
    for (i, &c) in query.iter().enumerate() {
        let skip = label.get(at..)?.iter().position(|&x| x == c)?;
        if i > 0 {
            gaps += skip;
        }
        at += skip + 1;
    }
    Some(gaps)
}

#[cfg(test)]
mod tests {
    use super::{grade, Grade};

    /// Every split of typed letters over a name of many short words was
    /// tried again from each word: exponential in the name's length.
    #[test]
    fn a_name_of_many_short_words_is_graded_once_per_split() {
        let typed = format!("{}c", "a".repeat(80));
        let name = format!("{}xc", "aa ".repeat(40));
        assert_eq!(grade(&typed, &name), Some(Grade::Subsequence));
        let name = format!("{}c", "aa ".repeat(40));
        assert_eq!(grade(&typed, &name), Some(Grade::WordStarts));
    }

    #[test]
    fn grades() {
        assert_eq!(grade("Gun", "Gunicorn"), Some(Grade::Prefix));
        assert_eq!(grade("gun", "Gunicorn"), Some(Grade::Prefix));
        assert_eq!(grade("rt", "refresh token"), Some(Grade::WordStarts));
        assert_eq!(grade("reftok", "refresh token"), Some(Grade::WordStarts));
        assert_eq!(grade("qs", "QuerySet"), Some(Grade::WordStarts));
        assert_eq!(grade("api", "FastAPI"), Some(Grade::WordStarts));
        assert_eq!(grade("gncrn", "Gunicorn"), Some(Grade::Subsequence));
        assert_eq!(grade("ncrn", "Gunicorn"), None);
        assert_eq!(grade("guni", "generator function"), None);
        assert_eq!(grade("xyz", "Gunicorn"), None);
        assert_eq!(grade("", "Gunicorn"), None);
    }
}
