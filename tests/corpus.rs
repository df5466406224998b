//! The benchmark corpus generator (`benches/corpus/mod.rs`): the same seed
//! gives the same text, the size per question is what the benches assume, and
//! every quirk of the format is in it, so the benches measure real work.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use notes_ls::config::Config;
use notes_ls::ide;
use notes_ls::syntax::{self, QuestionKind, TextEdit, TextRange};
use notes_ls::workspace::{self, WorkspaceIndex};

#[test]
fn same_seed_same_text_other_seed_other_text() {
    assert_eq!(corpus::notes(300, 7), corpus::notes(300, 7));
    assert_ne!(corpus::notes(300, 7), corpus::notes(300, 8));
}

#[test]
fn about_a_hundred_bytes_per_question() {
    let text = corpus::notes(20_000, 42);
    let per_question = text.len() / 20_000;
    assert!((90..=130).contains(&per_question), "{per_question} bytes");
}

#[test]
fn every_quirk_of_the_format_is_there() {
    let text = corpus::notes(3_000, 42);
    let notes = syntax::parse(&text);
    let kinds = |k: QuestionKind| {
        notes
            .entries
            .iter()
            .filter(|e| e.question.kind == k)
            .count()
    };
    assert!(kinds(QuestionKind::Starred) > 2_500);
    assert!(kinds(QuestionKind::Unmarked) > 20);
    assert!(kinds(QuestionKind::Missing) > 0);
    let answers = || notes.entries.iter().filter_map(|e| e.answer.as_ref());
    assert!(answers().any(|a| a.placeholder));
    assert!(answers().any(|a| !a.tables().is_empty()));
    assert!(answers().any(|a| a.definitions().len() >= 3));
    // `->text`: an arrow with the answer right after it.
    assert!(text
        .lines()
        .any(|l| l.starts_with("->") && l[2..].starts_with(char::is_alphabetic)));
    assert!(text.contains("?->"));
    assert!(text.contains("client -> Nginx"));
    assert!(text.contains("gunicon"));
    assert!(text.contains('🚀') && text.contains("日本語") && text.contains("café"));

    let diags = ide::diagnostics(&text, &notes);
    for code in [
        "unanswered-question",
        "missing-question-marker",
        "empty-question",
        "missing-arrow",
        "duplicate-question",
    ] {
        assert!(diags.iter().any(|d| d.code() == code), "no {code}");
    }
    // Problems are the exception, as in real notes.
    assert!(
        diags.len() < notes.entries.len() / 4,
        "{} diagnostics",
        diags.len()
    );
}

#[test]
fn crlf_and_bom_files_parse_like_lf_ones() {
    let mut opts = corpus::Options::new(500, 3);
    let lf = corpus::generate(&opts);
    opts.crlf = true;
    opts.bom = true;
    let crlf = corpus::generate(&opts);
    assert!(crlf.starts_with('\u{feff}') && crlf.contains("\r\n"));
    assert_eq!(
        syntax::parse(&lf).entries.len(),
        syntax::parse(&crlf).entries.len()
    );
}

#[test]
fn incremental_parse_matches_full_parse_on_the_corpus() {
    let mut text = corpus::notes(2_000, 11);
    let mut notes = syntax::parse(&text);
    let mut rng = corpus::Rng::new(5);
    for _ in 0..200 {
        let mut at = rng.below(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let insert = *rng.pick(&["x", "\n", "*", "->", "?", "\n\n", "é"]);
        text.insert_str(at, insert);
        syntax::apply_edit(
            &mut notes,
            &text,
            TextEdit {
                old: TextRange::empty(at),
                new_len: insert.len(),
            },
        );
    }
    assert_eq!(notes, syntax::parse(&text));
}

#[test]
fn a_workspace_is_a_folder_of_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats =
        corpus::write_workspace(dir.path(), 20, 10, 1, corpus::Spread::Distinct).expect("write");
    assert_eq!(stats.files, 20);
    let found = walk(dir.path());
    assert_eq!(found.len(), 20);
    assert!(found
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "txt")));
    assert_eq!(
        stats.bytes,
        found
            .iter()
            .map(|p| p.metadata().unwrap().len() as usize)
            .sum::<usize>()
    );
}

/// A file nobody has open is diagnosed from what the index keeps of it (no
/// parse), and that gives what parsing it again gives.
#[test]
fn closed_files_diagnosed_from_the_index_as_from_their_parse() {
    for spread in [corpus::Spread::Distinct, corpus::Spread::Overlapping] {
        let dir = tempfile::tempdir().expect("temp dir");
        corpus::write_workspace(dir.path(), 60, 40, 3, spread).expect("write");
        let mut index = WorkspaceIndex::new(vec![dir.path().to_path_buf()], Config::default());
        index.scan(&mut |_, _| {}, &mut |_| {});
        let speller = ide::Speller::new(index.terms());
        let mut codes = std::collections::BTreeSet::new();
        for (path, file) in index.files() {
            let mut closed =
                workspace::diagnose_closed(&index, path, &speller).expect("summary kept");
            let text = file.text.as_deref().expect("a scanned file has its text");
            let notes = syntax::parse(text);
            let mut parsed = workspace::diagnose_with(&index, path, text, &notes, &speller);
            // The index keeps no fixes (a report carries none): compared
            // without them.
            for (d, _) in closed.iter_mut().chain(&mut parsed) {
                d.fixes.clear();
            }
            assert_eq!(closed, parsed, "{}", path.display());
            codes.extend(closed.iter().map(|(d, _)| d.code()));
        }
        assert!(codes.contains("duplicate-question") && codes.contains("misspelled-term"));
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
