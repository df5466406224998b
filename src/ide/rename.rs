//! Rename: of a known term (its definitions, every mention, its entry in a
//! user glossary file) and of a question (its text only).
//!
//! [`prepare_rename`] says what the cursor is on and refuses what is not the
//! user's to rename: a plain word, white space, an answer's prose, or a
//! built-in glossary term the notes do not define. [`rename_term`] gives one
//! document's changes and [`rename_in_glossary`] one glossary file's; the
//! workspace layer gathers them over every file.
//!
//! Each occurrence is replaced by the new name as typed, whatever its case
//! or spelling was (`csrf`, an alias, a known misspelling): the term gets one
//! name. A plural stays a plural (`JWTs` → `tokens`). A glossary entry's
//! `name` changes; its aliases stay, and still lead to the term.

use serde::Deserialize;
use toml::Spanned;

use super::fix::TextChange;
use super::references::mentions;
use super::term_fallback::terms_at_cursor;
use super::terms::{TermIndex, TermSource};
use crate::syntax::{Notes, TextRange};

/// What a rename at the cursor would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameTarget {
    /// What the editor selects: the occurrence under the cursor, or the
    /// question's text.
    pub range: TextRange,
    /// What the editor offers to edit: the term's name, or the question.
    pub placeholder: String,
    pub kind: RenameKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameKind {
    /// A known term, by key ([`TermMatch::key`](super::TermMatch::key)).
    Term { key: String },
    /// The question of the entry at this index in the document's notes.
    Question { entry: usize },
}

/// Why a rename is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// Not on a term or a question (a plain word, white space, prose).
    NotRenamable,
    /// A built-in glossary term the notes and glossary files do not define.
    Builtin { name: String },
    /// The new name would not be read back as a term or question.
    InvalidName { name: String, why: &'static str },
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NotRenamable => f.write_str("not a term or a question"),
            RenameError::Builtin { name } => write!(
                f,
                "`{name}` comes from the built-in glossary and your notes do not define it: \
                 there is nothing of yours to rename"
            ),
            RenameError::InvalidName { name, why } => {
                // Quoted short: the name is whatever the client sent.
                let name = super::excerpt::printable(name, 80);
                write!(f, "cannot rename to `{name}`: {why}")
            }
        }
    }
}

impl std::error::Error for RenameError {}

/// What a rename at `offset` would change, or why there is nothing to.
/// A term wins over the question it is in: on `CSRF` in `*What is CSRF?` the
/// term is renamed, elsewhere on the line the question is.
pub fn prepare_rename(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    offset: usize,
) -> Result<RenameTarget, RenameError> {
    let offset = offset.min(text.len());
    if let Some(at) = terms_at_cursor(text, terms, offset) {
        // The shorter term the notes define inside a longer glossary term
        // (`CSRF` in `CSRF token`), as definition and references do.
        let m = match at.defined {
            Some(m) => m,
            None if is_users(terms, &at.longest.key) => at.longest,
            None => {
                let name = terms
                    .name(&at.longest.key)
                    .unwrap_or(at.longest.key.as_str());
                return Err(RenameError::Builtin {
                    name: name.to_string(),
                });
            }
        };
        let placeholder = terms.name(&m.key).unwrap_or(m.range.slice(text));
        return Ok(RenameTarget {
            range: m.range,
            placeholder: placeholder.to_string(),
            kind: RenameKind::Term { key: m.key },
        });
    }
    let entry = notes
        .entries
        .iter()
        .position(|e| e.question.text.contains_inclusive(offset) && !e.question.text.is_empty())
        .ok_or(RenameError::NotRenamable)?;
    let range = notes.entries[entry].question.text;
    Ok(RenameTarget {
        range,
        placeholder: range.slice(text).to_string(),
        kind: RenameKind::Question { entry },
    })
}

/// Whether the user's notes or glossary files define the term: there is
/// something of theirs to rename.
fn is_users(terms: &TermIndex, key: &str) -> bool {
    terms.definitions(key).iter().any(|d| {
        matches!(
            d.source,
            TermSource::Notes { .. } | TermSource::UserGlossary { .. }
        )
    })
}

/// Checks a term's new name: one a definition line (`Term: ...`) and a
/// `*What is Term?` question can hold, so a renamed definition still
/// defines the term (docs/format.md): one line, no `:`, a letter first, then
/// letters, digits, spaces and `-_.+#/()'`, at most 5 words and 48 bytes.
/// Returns it without surrounding white space.
pub fn check_term_name(new_name: &str) -> Result<&str, RenameError> {
    let name = new_name.trim();
    let invalid = |why| RenameError::InvalidName {
        name: new_name.to_string(),
        why,
    };
    if name.is_empty() {
        return Err(invalid("a term needs a name"));
    }
    if name.contains(['\n', '\r']) {
        return Err(invalid("a term is written on one line"));
    }
    if name.contains(':') {
        return Err(invalid("a `:` would end the term on its definition line"));
    }
    if !name.starts_with(char::is_alphabetic) {
        return Err(invalid("a term starts with a letter"));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || " -_.+#/()'".contains(c))
    {
        return Err(invalid(
            "a term holds letters, digits, spaces and - _ . + # / ( ) ' only",
        ));
    }
    if name.split_whitespace().count() > 5 || name.len() > 48 {
        return Err(invalid("a term has at most 5 words and 48 bytes"));
    }
    Ok(name)
}

/// Checks a question's new text: not empty, one line. Returns it without
/// surrounding white space.
pub fn check_question_text(new_text: &str) -> Result<&str, RenameError> {
    let text = new_text.trim();
    let invalid = |why| RenameError::InvalidName {
        name: new_text.to_string(),
        why,
    };
    if text.is_empty() {
        return Err(invalid("a question needs text"));
    }
    if text.contains(['\n', '\r']) {
        return Err(invalid("the new question must be one line"));
    }
    Ok(text)
}

/// The changes renaming the term `key` to `new_name` makes in one document:
/// every mention (its definitions included: `X` of `*What is X?` and of an
/// `X: ...` line), in text order. `new_name` must have passed
/// [`check_term_name`].
pub fn rename_term(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    key: &str,
    new_name: &str,
) -> Vec<TextChange> {
    rename_mentions(
        text,
        notes,
        terms,
        key,
        new_name,
        mentions(text, terms, key),
    )
}

/// [`rename_term`] given the term's mentions in `text` (found already, by
/// a search over many files).
pub fn rename_mentions(
    text: &str,
    notes: &Notes,
    terms: &TermIndex,
    key: &str,
    new_name: &str,
    mut ranges: Vec<TextRange>,
) -> Vec<TextChange> {
    // Definition lines, should matching ever miss one.
    let defs = notes
        .entries
        .iter()
        .filter_map(|e| e.answer.as_ref())
        .flat_map(|a| a.definitions().iter())
        .map(|d| d.term)
        .filter(|r| terms.key_of(r.slice(text)) == Some(key));
    for r in defs {
        if !ranges
            .iter()
            .any(|m| m.start() < r.end() && r.start() < m.end())
        {
            ranges.push(r);
        }
    }
    ranges.sort_by_key(|r| r.start());
    ranges
        .into_iter()
        .map(|r| TextChange {
            range: r,
            insert: spelled_like(r.slice(text), terms, new_name),
        })
        .collect()
}

/// `new_name`, made plural when the occurrence is a plural of the term
/// (`JWTs`, which names the term only through its singular).
fn spelled_like(occurrence: &str, terms: &TermIndex, new_name: &str) -> String {
    if terms.exact_key(occurrence).is_some() {
        return new_name.to_string();
    }
    plural_of(new_name)
}

/// A simple English plural, for the last word of a name.
fn plural_of(name: &str) -> String {
    let lower = name.to_lowercase();
    if lower.ends_with(['s', 'x', 'z']) || lower.ends_with("ch") || lower.ends_with("sh") {
        return format!("{name}es");
    }
    if let Some(stem) = name.strip_suffix(['y', 'Y']) {
        let before = stem.chars().next_back();
        if before.is_some_and(|c| c.is_alphabetic() && !"aeiouAEIOU".contains(c)) {
            return format!("{stem}ies");
        }
    }
    format!("{name}s")
}

/// The change renaming a question: its text, and nothing else. Refused
/// when the notes would read differently afterwards (the new text holds an
/// arrow, or a marker that makes it an answer): the file is read again with
/// the change to make sure.
pub fn rename_question(
    text: &str,
    notes: &Notes,
    entry: usize,
    new_text: &str,
) -> Result<TextChange, RenameError> {
    let checked = check_question_text(new_text)?;
    let range = notes
        .entries
        .get(entry)
        .map(|e| e.question.text)
        .ok_or(RenameError::NotRenamable)?;
    let mut after = String::with_capacity(text.len() + checked.len());
    after.push_str(&text[..range.start()]);
    after.push_str(checked);
    after.push_str(&text[range.end()..]);
    let reread = crate::syntax::parse_as(&after, notes.dialect);
    let same = reread.entries.len() == notes.entries.len()
        && reread
            .entries
            .get(entry)
            .is_some_and(|e| e.question.text.slice(&after) == checked);
    if !same {
        return Err(RenameError::InvalidName {
            name: new_text.to_string(),
            why: "the notes would read differently (an arrow or a marker in the question?)",
        });
    }
    Ok(TextChange {
        range,
        insert: checked.to_string(),
    })
}

#[derive(Deserialize)]
struct GlossaryNames {
    #[serde(default)]
    term: Vec<NamedTerm>,
}

#[derive(Deserialize)]
struct NamedTerm {
    name: Spanned<String>,
}

/// The changes renaming the term `key` to `new_name` makes in a user
/// glossary file: the `name = "..."` of each `[[term]]` naming it. An error
/// when the file is not valid TOML, since editing it could make it worse.
pub fn rename_in_glossary(
    glossary: &str,
    terms: &TermIndex,
    key: &str,
    new_name: &str,
) -> Result<Vec<TextChange>, String> {
    let file: GlossaryNames =
        toml::from_str(glossary).map_err(|e| super::excerpt::toml_error(glossary, &e))?;
    Ok(file
        .term
        .iter()
        .filter(|t| terms.key_of(t.name.get_ref()) == Some(key))
        .map(|t| {
            let span = t.name.span();
            TextChange {
                range: TextRange::new(span.start, span.end),
                insert: super::terms::quote(new_name),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::Fix;
    use crate::syntax::parse;

    /// The notes of every fixture document, indexed.
    fn index(docs: &[&str]) -> TermIndex {
        let mut terms = TermIndex::builtin();
        for (i, d) in docs.iter().enumerate() {
            terms.set_document(
                &crate::ide::DocKey::from(format!("/n/{i}.notes").as_str()),
                d,
                &parse(d),
            );
        }
        terms
    }

    fn apply(text: &str, changes: Vec<TextChange>) -> String {
        Fix {
            label: String::new(),
            changes,
            preferred: false,
        }
        .apply(text)
    }

    /// What prepare-rename at `$0` says, then the file after renaming to
    /// `new_name` (the other documents of `others` are indexed too).
    fn check(fixture: &str, others: &[&str], new_name: &str, expect: Expect) {
        let offset = fixture.find("$0").expect("fixture needs a $0 cursor");
        let text = fixture.replacen("$0", "", 1);
        let notes = parse(&text);
        let mut docs = vec![text.as_str()];
        docs.extend(others);
        let terms = index(&docs);
        let out = match prepare_rename(&text, &notes, &terms, offset) {
            Err(e) => format!("refused: {e}"),
            Ok(t) => {
                let head = format!(
                    "{:?} `{}` -> {}",
                    t.kind,
                    t.range.slice(&text),
                    t.placeholder
                );
                let changed = match t.kind {
                    RenameKind::Term { key } => check_term_name(new_name)
                        .map(|n| rename_term(&text, &notes, &terms, &key, n)),
                    RenameKind::Question { entry } => {
                        rename_question(&text, &notes, entry, new_name).map(|c| vec![c])
                    }
                };
                match changed {
                    Ok(changes) => format!("{head}\n{}", apply(&text, changes)),
                    Err(e) => format!("{head}\nrefused: {e}"),
                }
            }
        };
        expect.assert_eq(&out);
    }

    #[test]
    fn a_term_defined_by_a_question_everywhere_in_the_file() {
        check(
            "*What is CS$0RF?\n->\nForged requests. csrf is old.\nSend a CSRF token.\n",
            &[],
            "XSRF",
            expect![[r#"
                Term { key: "csrf" } `CSRF` -> CSRF
                *What is XSRF?
                ->
                Forged requests. XSRF is old.
                Send a XSRF token.
            "#]],
        );
    }

    #[test]
    fn a_definition_line_and_plurals() {
        check(
            "*Q\n-> Widget$0 cache: holds widgets.\n- Widget caches are fast. 😀 widget cache 缓存\n",
            &[],
            "gizmo store",
            expect![[r#"
                Term { key: "widget cache" } `Widget cache` -> Widget cache
                *Q
                -> gizmo store: holds widgets.
                - gizmo stores are fast. 😀 gizmo store 缓存
            "#]],
        );
    }

    #[test]
    fn from_inside_a_longer_glossary_term() {
        check(
            "*Q\n-> Send a CSRF$0 token.\n",
            &["*What is CSRF?\n-> Forged requests.\n"],
            "XSRF",
            expect![[r#"
                Term { key: "csrf" } `CSRF` -> CSRF
                *Q
                -> Send a XSRF token.
            "#]],
        );
    }

    #[test]
    fn a_question_changes_alone() {
        check(
            "*How do $0I stop CSRF?\n-> With a token.\n\n*How do I stop CSRF?\n-> Same.\n",
            &["*What is CSRF?\n-> Forged.\n"],
            " How do I stop XSRF? ",
            expect![[r#"
                Question { entry: 0 } `How do I stop CSRF?` -> How do I stop CSRF?
                *How do I stop XSRF?
                -> With a token.

                *How do I stop CSRF?
                -> Same.
            "#]],
        );
    }

    #[test]
    fn aliases_become_the_new_name_too() {
        check(
            "*What is a JW$0T?\n-> JWTs are signed. A JSON Web Token, 😀 jwt.\n",
            &[],
            "signed token",
            expect![[r#"
                Term { key: "jwt" } `JWT` -> JWT
                *What is a signed token?
                -> signed tokens are signed. A signed token, 😀 signed token.
            "#]],
        );
    }

    #[test]
    fn a_term_only_a_glossary_file_defines() {
        let mut terms = index(&[]);
        let glossary = "[[term]]\nname = \"Celery beat\"\n";
        assert!(terms.set_user_glossary(&"g.toml".into(), glossary).is_ok());
        let text = "*Q\n-> Run Celery beat once.\n";
        let notes = parse(text);
        let at = text.find("beat").unwrap_or(0);
        let target = prepare_rename(text, &notes, &terms, at);
        let key = match target.map(|t| t.kind) {
            Ok(RenameKind::Term { key }) => key,
            other => panic!("{other:?}"),
        };
        let changes = rename_term(text, &notes, &terms, &key, "Beat");
        assert_eq!(apply(text, changes), "*Q\n-> Run Beat once.\n");
        let changes = rename_in_glossary(glossary, &terms, &key, "Beat");
        assert_eq!(
            apply(glossary, changes.unwrap_or_default()),
            "[[term]]\nname = \"Beat\"\n"
        );
    }

    #[test]
    fn refuses_what_is_not_the_users() {
        let prose = "*Q\n-> A plain$0 answer.\n";
        check(
            prose,
            &[],
            "x",
            expect!["refused: not a term or a question"],
        );
        check(
            "*Q\n-> A plain answer. $0\n",
            &[],
            "x",
            expect!["refused: not a term or a question"],
        );
        check(
            "*Q\n-> Sign a JWT$0.\n",
            &[],
            "x",
            expect!["refused: `JWT` comes from the built-in glossary and your notes do not define it: there is nothing of yours to rename"],
        );
    }

    #[test]
    fn refuses_names_that_would_not_read_back() {
        let fixture = "*What is CS$0RF?\n-> Forged.\n";
        check(
            fixture,
            &[],
            "a: b",
            expect![[r#"
                Term { key: "csrf" } `CSRF` -> CSRF
                refused: cannot rename to `a: b`: a `:` would end the term on its definition line"#]],
        );
        check(
            fixture,
            &[],
            "  ",
            expect![[r#"
                Term { key: "csrf" } `CSRF` -> CSRF
                refused: cannot rename to `  `: a term needs a name"#]],
        );
        check(
            fixture,
            &[],
            "one two three four five six",
            expect![[r#"
                Term { key: "csrf" } `CSRF` -> CSRF
                refused: cannot rename to `one two three four five six`: a term has at most 5 words and 48 bytes"#]],
        );
        check(
            fixture,
            &[],
            "😀 token",
            expect![[r#"
            Term { key: "csrf" } `CSRF` -> CSRF
            refused: cannot rename to `😀 token`: a term starts with a letter"#]],
        );
        check(
            "*Wh$0at is CSRF?\n-> Forged.\n",
            &[],
            "two\nlines",
            expect![[r#"
                Question { entry: 0 } `What is CSRF?` -> What is CSRF?
                refused: cannot rename to `two\u{a}lines`: the new question must be one line"#]],
        );
    }

    #[test]
    fn a_question_that_would_read_differently_is_refused() {
        check(
            "*Wh$0at is CSRF?\n-> Forged.\n",
            &[],
            "What is it? -> A secret",
            expect![[r#"
                Question { entry: 0 } `What is CSRF?` -> What is CSRF?
                refused: cannot rename to `What is it? -> A secret`: the notes would read differently (an arrow or a marker in the question?)"#]],
        );
    }

    #[test]
    fn the_glossary_entry_by_name() {
        let mut terms = index(&[]);
        let glossary = "words = [\"celery beat\"]\n\n[[term]]\nname = \"Celery beat\" # ok\n\
                        aliases = [\"beat\"]\n\n[[term]]\nname = \"Other\"\n";
        assert!(terms.set_user_glossary(&"g.toml".into(), glossary).is_ok());
        let changes = rename_in_glossary(glossary, &terms, "celery beat", "Beat \"scheduler\"");
        expect![[r#"
            words = ["celery beat"]

            [[term]]
            name = "Beat \"scheduler\"" # ok
            aliases = ["beat"]

            [[term]]
            name = "Other"
        "#]]
        .assert_eq(&apply(glossary, changes.unwrap_or_default()));
        assert!(rename_in_glossary("[[term]\n", &terms, "x", "y").is_err());
    }

    #[test]
    fn plurals() {
        assert_eq!(plural_of("token"), "tokens");
        assert_eq!(plural_of("cache"), "caches");
        assert_eq!(plural_of("index"), "indexes");
        assert_eq!(plural_of("query"), "queries");
        assert_eq!(plural_of("key"), "keys");
    }
}
