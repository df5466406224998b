//! Words as terms see them: where a term may start and end, and the keys
//! under which a phrase is looked up.
//!
//! A word is a run of letters, digits, `_`, `+` and `#`, which may contain
//! single `-`, `.` or `/` between two such characters, so `N+1`, `C#`,
//! `django-oauth-toolkit`, `HTTP/2` and `ASP.NET` are one word each, while the
//! full stop after a sentence's last word is not part of it. A run of CJK
//! characters is a word of its own: CJK text has no spaces, and `使用JWT认证`
//! should still show `JWT` as a word. Everything else (white space, quotes,
//! brackets, emoji) separates words.

use crate::syntax::TextRange;

/// Terms longer than this many words are never found in text; the longest
/// built-in term has five.
pub(crate) const MAX_WORDS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    /// `-`, `.` or `/`: part of a word only between two word characters.
    Inner,
    Other,
}

/// [`class`] of each ASCII character, looked up rather than worked out:
/// every character of every checked line goes through here.
const ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'_' || c == b'+' || c == b'#' {
            Class::Word
        } else if c == b'-' || c == b'.' || c == b'/' {
            Class::Inner
        } else {
            Class::Other
        };
        b += 1;
    }
    t
};

fn class(c: char) -> Class {
    if c.is_ascii() {
        return ASCII_CLASS[c as usize];
    }
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() || matches!(c, '_' | '+' | '#') {
        Class::Word
    } else if matches!(c, '-' | '.' | '/') {
        Class::Inner
    } else {
        Class::Other
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF      // radicals, kana, CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F) // extension planes
}

/// True for characters that can continue a word being typed, inner
/// punctuation included (`fast-` may become `fast-api`).
pub(crate) fn is_word_or_inner(c: char) -> bool {
    matches!(class(c), Class::Word | Class::Inner)
}

/// The words of `line`, which must not contain a line break, as ranges
/// shifted by `base` (the line's offset in the whole text).
pub(crate) fn words(line: &str, base: usize) -> Vec<TextRange> {
    if line.is_ascii() {
        return ascii_words(line.as_bytes(), base);
    }
    char_words(line, base)
}

/// [`words`] of any line, character by character.
fn char_words(line: &str, base: usize) -> Vec<TextRange> {
    let mut out = Vec::new();
    // The word being read: its start, the end of its last word character and
    // its class; `inner` is set while a `-`, `.` or `/` waits for a word
    // character to follow it.
    let mut cur: Option<(usize, usize, Class)> = None;
    let mut inner = false;
    for (i, c) in line.char_indices() {
        let end = i + c.len_utf8();
        match (class(c), cur) {
            (Class::Word, Some((s, _, Class::Word))) | (Class::Cjk, Some((s, _, Class::Cjk))) => {
                cur = Some((s, end, class(c)));
                inner = false;
            }
            (Class::Inner, Some((_, _, Class::Word))) if !inner => inner = true,
            (k @ (Class::Word | Class::Cjk), prev) => {
                if let Some((s, e, _)) = prev {
                    out.push(TextRange::new(base + s, base + e));
                }
                cur = Some((i, end, k));
                inner = false;
            }
            (_, prev) => {
                if let Some((s, e, _)) = prev {
                    out.push(TextRange::new(base + s, base + e));
                }
                cur = None;
                inner = false;
            }
        }
    }
    if let Some((s, e, _)) = cur {
        out.push(TextRange::new(base + s, base + e));
    }
    out
}

/// [`words`] of an ASCII line, byte by byte: the same rules without
/// decoding characters (no CJK, every class from the table), for the lines
/// most notes are made of.
fn ascii_words(line: &[u8], base: usize) -> Vec<TextRange> {
    let mut out = Vec::with_capacity(line.len() / 6);
    let mut i = 0;
    while i < line.len() {
        if ASCII_CLASS[line[i] as usize] != Class::Word {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < line.len() {
            match ASCII_CLASS[line[j] as usize] {
                Class::Word => end = j + 1,
                // One `-`, `.` or `/` between two word characters.
                Class::Inner if j == end => {}
                _ => break,
            }
            j += 1;
        }
        out.push(TextRange::new(base + start, base + end));
        i = j.max(end);
    }
    out
}

/// The parts of a word between its inner `.` and `/` (`django.Is` →
/// `django`, `Is`), as ranges into the text. `-` does not split: a
/// hyphenated name such as `django-oauth-toolkit` is one thing.
pub(crate) fn segments(text: &str, word: TextRange) -> impl Iterator<Item = TextRange> + '_ {
    let mut start = word.start();
    word.slice(text)
        .char_indices()
        .filter(|&(_, c)| c == '.' || c == '/')
        .map(move |(i, _)| word.start() + i)
        .chain(std::iter::once(word.end()))
        .map(move |end| {
            let r = TextRange::new(start, end);
            start = end + 1;
            r
        })
        .filter(|r| !r.is_empty())
}

/// The lookup key of a phrase: lowercase, runs of white space as one space.
pub(crate) fn normalize(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    for w in phrase.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // Nearly every word is ASCII, and lowercasing it in place is several
        // times faster than the general case; this runs for every word shown.
        if w.is_ascii() {
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// Singular keys to try for a phrase whose last word looks like a simple
/// English plural (`JWTs`, `caches`, `queries`), most likely first. Only a
/// lowercase `s` counts, so an acronym such as `HTTPS` or `CORS` is never
/// read as a plural; the stem must keep at least two characters.
pub(crate) fn singulars(phrase: &str, key: &str) -> Vec<String> {
    if !phrase.ends_with('s') {
        return Vec::new();
    }
    let last_word_len = key.len() - key.rfind(' ').map_or(0, |i| i + 1);
    let mut out = Vec::new();
    let mut push = |strip: usize, add: &str| {
        if last_word_len >= strip + 2 {
            out.push(format!("{}{add}", &key[..key.len() - strip]));
        }
    };
    // A word ending in `ss` is no plural of one ending in `s` (that would be
    // `-ses`): `postgress` is a misspelling, not many Postgres.
    if !key.ends_with("ss") {
        push(1, "");
    }
    if key.ends_with("es") {
        push(2, "");
    }
    if key.ends_with("ies") {
        push(3, "y");
    }
    out
}

/// `1 question`, `3 questions`: a count with its noun, for summaries and
/// code lenses.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<&str> {
        words(line, 0).into_iter().map(|r| r.slice(line)).collect()
    }

    #[test]
    fn word_characters() {
        assert_eq!(
            split("avoid N+1 query, use C# or HTTP/2."),
            ["avoid", "N+1", "query", "use", "C#", "or", "HTTP/2"]
        );
        assert_eq!(
            split("django-oauth-toolkit (ASP.NET) select_related"),
            ["django-oauth-toolkit", "ASP.NET", "select_related"]
        );
        assert_eq!(split("-x- a--b ./c"), ["x", "a", "b", "c"]);
        assert_eq!(split("Brewer's theorem"), ["Brewer", "s", "theorem"]);
    }

    #[test]
    fn ascii_lines_split_as_any_line_does() {
        const ALPHABET: &[u8] = b"ab1_+#-./ ,:'()";
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let line: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ALPHABET[(seed >> 33) as usize % ALPHABET.len()] as char
                })
                .collect();
            assert_eq!(
                ascii_words(line.as_bytes(), 3),
                char_words(&line, 3),
                "{line:?}"
            );
        }
    }

    #[test]
    fn emoji_and_cjk_separate_words() {
        assert_eq!(split("😀JWT 使用JWT认证"), ["JWT", "使用", "JWT", "认证"]);
    }

    #[test]
    fn segments_split_at_dot_and_slash_only() {
        let t = "django.Is Django/Flask a-b";
        let seg = |w: TextRange| -> Vec<&str> { segments(t, w).map(|r| r.slice(t)).collect() };
        let ws = words(t, 0);
        assert_eq!(seg(ws[0]), ["django", "Is"]);
        assert_eq!(seg(ws[1]), ["Django", "Flask"]);
        assert_eq!(seg(ws[2]), ["a-b"]);
    }

    #[test]
    fn normalize_and_plurals() {
        assert_eq!(normalize("  Refresh \t Token "), "refresh token");
        assert_eq!(singulars("JWTs", "jwts"), ["jwt"]);
        assert_eq!(singulars("caches", "caches"), ["cache", "cach"]);
        assert_eq!(
            singulars("N+1 queries", "n+1 queries"),
            ["n+1 querie", "n+1 queri", "n+1 query"]
        );
        assert!(singulars("HTTPS", "https").is_empty());
        assert!(singulars("is", "is").is_empty());
        assert!(singulars("postgress", "postgress").is_empty());
        assert_eq!(singulars("buses", "buses"), ["buse", "bus"]);
    }
}
