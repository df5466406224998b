//! `notes-ls export`: every answered question as a card, for Anki (a
//! tab-separated file with the headers its importer reads), as CSV, as
//! JSON Lines, or as Markdown.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::study_files::StudyNotes;
use crate::study::{html, store, Card};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ExportFormat {
    /// Tab-separated, HTML fields, GUID/deck/tags columns (File > Import in Anki).
    #[default]
    Anki,
    /// RFC 4180 CSV with a header row; the answer as written.
    Csv,
    /// One JSON object per card per line.
    Json,
    /// A heading per file and per question.
    Markdown,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub paths: Vec<PathBuf>,
    pub to: ExportFormat,
    /// Every card in this deck instead of its top folder's.
    pub deck: Option<String>,
    pub include_unanswered: bool,
    /// Written atomically; stdout when `None`.
    pub output: Option<PathBuf>,
}

pub fn run(options: &ExportOptions) -> ExitCode {
    let notes = match StudyNotes::load_or_exit(&options.paths) {
        Ok(notes) => notes,
        Err(code) => return code,
    };
    let mut set = notes.cards(options.include_unanswered);
    if let Some(deck) = &options.deck {
        for c in &mut set.cards {
            c.deck.clone_from(deck);
        }
    }
    let mut out = Vec::with_capacity(set.cards.len() * 256);
    let written = match options.to {
        ExportFormat::Anki => anki(&mut out, &set.cards),
        ExportFormat::Csv => csv_file(&mut out, &set.cards),
        ExportFormat::Json => json_lines(&mut out, &set.cards),
        ExportFormat::Markdown => markdown(&mut out, &set.cards),
    };
    let written = written.and_then(|()| match &options.output {
        Some(path) => store::write_atomically(path, &out),
        None => io::stdout().lock().write_all(&out),
    });
    if let Err(err) = written {
        if options.output.is_none() {
            return super::output_failed(err);
        }
        eprintln!("error: cannot write the export: {err}");
        return ExitCode::from(super::EXIT_TROUBLE);
    }
    eprintln!(
        "{}",
        summary(set.cards.len(), notes.files.len(), &set, options)
    );
    if notes.trouble {
        ExitCode::from(super::EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(
    cards: usize,
    files: usize,
    set: &crate::study::CardSet,
    options: &ExportOptions,
) -> String {
    let mut line = format!(
        "exported {cards} card{} from {files} file{}",
        if cards == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    );
    if set.unanswered > 0 && !options.include_unanswered {
        line.push_str(&format!(
            "; skipped {} unanswered (--include-unanswered keeps them)",
            set.unanswered
        ));
    }
    if set.duplicates > 0 {
        line.push_str(&format!(
            "; skipped {} asked twice in one file",
            set.duplicates
        ));
    }
    line
}

/// The column headers Anki's importer reads (Anki 2.1.55 and later):
/// matching GUIDs update notes instead of adding copies.
pub const ANKI_HEADER: &str = "#separator:tab\n#html:true\n#guid column:1\n#deck column:4\n#tags column:5\n#columns:GUID\tFront\tBack\tDeck\tTags\n";

fn anki(out: &mut Vec<u8>, cards: &[Card]) -> io::Result<()> {
    out.extend_from_slice(ANKI_HEADER.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_writer(out);
    let mut front = String::new();
    for c in cards {
        front.clear();
        html::inline(&c.question, &mut front);
        let back = html::answer_html(&c.answer);
        let tags: Vec<String> = c.tags.iter().map(|t| plain(t)).collect();
        w.write_record([
            c.id.as_str(),
            &front,
            &back,
            &plain(&c.deck),
            &tags.join(" "),
        ])?;
    }
    w.flush()
}

/// A deck or tag name on one line, as Anki's fields need.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    question: &'a str,
    answer: &'a str,
    file: &'a str,
    line: usize,
    deck: &'a str,
    tags: String,
    answered: bool,
}

fn csv_file(out: &mut Vec<u8>, cards: &[Card]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for c in cards {
        w.serialize(Row {
            id: &c.id,
            question: &c.question,
            answer: &c.answer,
            file: &c.file,
            line: c.line,
            deck: &c.deck,
            tags: c.tags.join(" "),
            answered: c.answered,
        })?;
    }
    w.flush()
}

#[derive(Serialize)]
struct JsonCard<'a> {
    id: &'a str,
    question: &'a str,
    answer: &'a str,
    answer_html: String,
    file: &'a str,
    line: usize,
    deck: &'a str,
    tags: &'a [String],
    answered: bool,
}

fn json_lines(out: &mut Vec<u8>, cards: &[Card]) -> io::Result<()> {
    for c in cards {
        serde_json::to_writer(
            &mut *out,
            &JsonCard {
                id: &c.id,
                question: &c.question,
                answer: &c.answer,
                answer_html: html::answer_html(&c.answer),
                file: &c.file,
                line: c.line,
                deck: &c.deck,
                tags: &c.tags,
                answered: c.answered,
            },
        )?;
        out.push(b'\n');
    }
    Ok(())
}

fn markdown(out: &mut Vec<u8>, cards: &[Card]) -> io::Result<()> {
    let mut file = None;
    for c in cards {
        if file != Some(c.file.as_str()) {
            writeln!(out, "# {}\n", c.file)?;
            file = Some(c.file.as_str());
        }
        writeln!(out, "## {}\n", c.question)?;
        if c.answer.is_empty() {
            writeln!(out, "_(unanswered)_\n")?;
        } else {
            writeln!(out, "{}\n", c.answer.trim_end())?;
        }
    }
    Ok(())
}
