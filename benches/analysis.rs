//! Criterion benches of the analysis core on generated notes of 1k, 20k and
//! 100k questions: full parse, re-parse after a one-character edit, outline,
//! diagnostics (all of them, and brought up to date after a one-character
//! edit), hover and completion. `cargo bench` runs them all in a few
//! minutes; `cargo bench -- parse` runs one group. The figures and the
//! targets are in docs/performance.md.

mod corpus;

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use notes_ls::ide::{self, FileDiagnostics, TermIndex};
use notes_ls::syntax::{self, Notes, TextEdit, TextRange};

const SIZES: [usize; 3] = [1_000, 20_000, 100_000];
const SEED: u64 = 42;

fn label(n: usize) -> String {
    format!("{}k", n / 1000)
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.sample_size(10).measurement_time(Duration::from_secs(2));
    for n in SIZES {
        let text = corpus::notes(n, SEED);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(label(n)), &text, |b, t| {
            b.iter(|| syntax::parse(black_box(t)))
        });
    }
    g.finish();
}

/// An answer line near the middle of the text: where the edits go.
fn middle_edit_point(text: &str) -> usize {
    let mid = text.len() / 2;
    let at = mid + text[mid..].find("\n->\n").expect("an arrow line") + 4;
    // The end of the answer line under that arrow.
    at + text[at..].find('\n').expect("a line break")
}

/// An `x` typed at the middle edit point, then deleted, alternately: the
/// text is always one of two fixed strings, so only the work an edit causes
/// is measured.
struct Typing {
    before: String,
    after: String,
    at: usize,
    typed: bool,
}

impl Typing {
    fn new(before: String) -> Self {
        let at = middle_edit_point(&before);
        let mut after = before.clone();
        after.insert(at, 'x');
        Typing {
            before,
            after,
            at,
            typed: false,
        }
    }

    /// The next edit, with the text it leaves.
    fn next(&mut self) -> (&str, TextEdit) {
        self.typed = !self.typed;
        if self.typed {
            let insert = TextEdit {
                old: TextRange::empty(self.at),
                new_len: 1,
            };
            (&self.after, insert)
        } else {
            let delete = TextEdit {
                old: TextRange::new(self.at, self.at + 1),
                new_len: 0,
            };
            (&self.before, delete)
        }
    }

    /// The text as the last edit left it.
    fn text(&self) -> &str {
        if self.typed {
            &self.after
        } else {
            &self.before
        }
    }
}

/// A file parsed, and a term index holding the built-in glossary and its
/// own definitions, as an open file has.
fn indexed(text: &str) -> (Notes, TermIndex) {
    let notes = syntax::parse(text);
    let mut terms = TermIndex::builtin();
    terms.set_document(&"/bench.notes".into(), text, &notes);
    (notes, terms)
}

fn reparse_one_char(c: &mut Criterion) {
    let mut g = c.benchmark_group("reparse_one_char");
    g.sample_size(20).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let mut typing = Typing::new(corpus::notes(n, SEED));
        let mut notes = syntax::parse(typing.text());
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| {
                let (text, edit) = typing.next();
                black_box(syntax::apply_edit(&mut notes, text, edit))
            })
        });
        assert_eq!(notes, syntax::parse(typing.text()));
    }
    g.finish();
}

fn outline(c: &mut Criterion) {
    let mut g = c.benchmark_group("outline");
    g.sample_size(10).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let text = corpus::notes(n, SEED);
        let notes = syntax::parse(&text);
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| ide::outline(black_box(&text), black_box(&notes)))
        });
    }
    g.finish();
}

fn diagnostics(c: &mut Criterion) {
    let mut g = c.benchmark_group("diagnostics");
    g.sample_size(10).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let text = corpus::notes(n, SEED);
        let notes: Notes = syntax::parse(&text);
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| ide::diagnostics(black_box(&text), black_box(&notes)))
        });
    }
    g.finish();
}

/// What an edit costs the diagnostics of an open file: re-parse the touched
/// entries and re-check them, spelling included. Listing every finding for
/// the client (the `diagnostics` group) comes on top.
fn edit_diagnostics(c: &mut Criterion) {
    let mut g = c.benchmark_group("edit_diagnostics");
    g.sample_size(20).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let mut typing = Typing::new(corpus::notes(n, SEED));
        let (mut notes, terms) = indexed(typing.text());
        let mut own = FileDiagnostics::new(typing.text(), &notes);
        // Spelling checked once, as the first publish does.
        black_box(own.misspellings(typing.text(), &notes, &terms));
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| {
                let (text, edit) = typing.next();
                let touched = syntax::apply_edit(&mut notes, text, edit);
                own.update(text, &notes, touched.clone());
                for i in touched {
                    black_box(own.entry_misspellings(i, text, &notes, &terms));
                }
            })
        });
        assert_eq!(
            own.diagnostics(typing.text(), &notes),
            ide::diagnostics(typing.text(), &notes)
        );
    }
    g.finish();
}

/// Hover on a glossary term in the middle of the file, with the file's own
/// definitions in the index.
fn hover(c: &mut Criterion) {
    let mut g = c.benchmark_group("hover");
    g.sample_size(50).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let text = corpus::notes(n, SEED);
        let (notes, terms) = indexed(&text);
        let at = text.len() / 2 + text[text.len() / 2..].find("Gunicorn").expect("a term") + 3;
        assert!(ide::hover(&text, &notes, &terms, &"/bench.notes".into(), at).is_some());
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| ide::hover(black_box(&text), &notes, &terms, &"/bench.notes".into(), at))
        });
    }
    g.finish();
}

/// Completion of a partly typed term (`Guni`) at the end of an answer line.
fn completion(c: &mut Criterion) {
    let mut g = c.benchmark_group("completion");
    g.sample_size(50).measurement_time(Duration::from_secs(1));
    for n in SIZES {
        let mut text = corpus::notes(n, SEED);
        let at = middle_edit_point(&text);
        text.insert_str(at, " Guni");
        let at = at + 5;
        let (notes, terms) = indexed(&text);
        let found = ide::completions(&text, &notes, &terms, at);
        assert!(found.iter().any(|c| c.label == "Gunicorn"), "{found:?}");
        g.bench_function(BenchmarkId::from_parameter(label(n)), |b| {
            b.iter(|| ide::completions(black_box(&text), &notes, &terms, at))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500));
    targets = parse, reparse_one_char, outline, diagnostics, edit_diagnostics, hover, completion
}
criterion_main!(benches);
