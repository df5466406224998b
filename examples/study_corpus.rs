//! Writes the benchmark corpus (`benches/corpus`) as one notes file, for
//! timing the study commands on it (docs/performance.md):
//!
//! ```sh
//! cargo run --release --example study_corpus -- /tmp/study/big.notes 20000
//! time target/release/notes-ls export /tmp/study/big.notes --to anki -o /tmp/study/out.txt
//! ```

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), questions) = (args.next(), args.next()) else {
        eprintln!("usage: study_corpus PATH [QUESTIONS]");
        return ExitCode::from(2);
    };
    let questions = questions.and_then(|q| q.parse().ok()).unwrap_or(20_000);
    let text = corpus::notes(questions, 42);
    let path = std::path::Path::new(&path);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(path, &text) {
        Ok(()) => {
            eprintln!(
                "{questions} questions, {} bytes: {}",
                text.len(),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}
