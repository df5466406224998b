//! Runs the spelling check on files and times it:
//! `cargo run --release --example spelling -- FILE...`. Prints each finding
//! as `file:line: message`, then per file the best of ten runs (on a warm
//! index: the glossary and exception lists are built on first use).
use notes_ls::ide::{misspellings, TermIndex};
use notes_ls::syntax::parse;
use std::time::{Duration, Instant};

fn main() {
    let files: Vec<(String, String)> = std::env::args()
        .skip(1)
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a UTF-8 file");
            (p, text)
        })
        .collect();
    let mut terms = TermIndex::builtin();
    for (path, text) in &files {
        terms.set_document(&path.as_str().into(), text, &parse(text));
    }
    for (path, text) in &files {
        let notes = parse(text);
        let found = misspellings(text, &notes, &terms);
        for d in &found {
            let line = text[..d.range.start()].matches('\n').count() + 1;
            println!("{path}:{line}: {}", d.message);
        }
        let best = (0..10)
            .map(|_| {
                let start = Instant::now();
                misspellings(text, &notes, &terms);
                start.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO);
        eprintln!(
            "{path}: {} bytes, {} findings, {best:.1?}",
            text.len(),
            found.len()
        );
    }
}
