//! `notes-ls stats`: per file and per folder (topic), how many questions,
//! how many answered, unanswered and short, and from the review state how
//! many are due and learned, and the retention; a table or JSON.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::study_files::{self, StudyNotes};
use crate::study::stats::{self, Stats};
use crate::study::CardSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum StatsFormat {
    /// Aligned columns: files, then topics (folders), then the total.
    #[default]
    Table,
    /// One JSON object: `files`, `topics`, `total`.
    Json,
}

#[derive(Debug, Clone)]
pub struct StatsOptions {
    pub paths: Vec<PathBuf>,
    pub format: StatsFormat,
}

#[derive(Serialize)]
struct Report<'a> {
    files: &'a [Stats],
    topics: &'a [Stats],
    total: &'a Stats,
}

pub fn run(options: &StatsOptions) -> ExitCode {
    let notes = match StudyNotes::load_or_exit(&options.paths) {
        Ok(notes) => notes,
        Err(code) => return code,
    };
    let (Some(reviews), Some(now)) = (
        study_files::load_reviews(&notes.reviews_path()),
        study_files::now(),
    ) else {
        return ExitCode::from(super::EXIT_TROUBLE);
    };
    let root_name = notes.root_name();
    let mut all = CardSet::default();
    let mut files = Vec::new();
    for f in &notes.files {
        let mut set = CardSet::default();
        let parsed = notes.parse(f);
        crate::study::cards(&f.name, &root_name, &f.text, &parsed, true, &mut set);
        files.push(stats::file_stats(
            &f.name, &set.cards, &reviews, now, f.modified,
        ));
        all.cards.extend(set.cards);
    }
    let topics = stats::by_folder(&files, &reviews, &all.cards);
    let total = stats::total(&files, &reviews, &all.cards);
    let mut out = io::stdout().lock();
    let written = match options.format {
        StatsFormat::Json => serde_json::to_writer_pretty(
            &mut out,
            &Report {
                files: &files,
                topics: &topics,
                total: &total,
            },
        )
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out)),
        StatsFormat::Table => table(&mut out, &files, &topics, &total),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        return super::output_failed(e);
    }
    if notes.trouble {
        ExitCode::from(super::EXIT_TROUBLE)
    } else {
        ExitCode::SUCCESS
    }
}

const HEADINGS: [&str; 9] = [
    "",
    "questions",
    "answered",
    "unanswered",
    "short",
    "due",
    "learned",
    "retention",
    "last changed",
];

fn cells(s: &Stats) -> [String; 9] {
    [
        s.name.clone(),
        s.questions.to_string(),
        s.answered.to_string(),
        s.unanswered.to_string(),
        s.short.to_string(),
        s.due.to_string(),
        s.learned.to_string(),
        s.retention
            .map_or_else(|| "-".to_string(), |r| format!("{:.0} %", r * 100.0)),
        s.last_changed
            .map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d").to_string()),
    ]
}

/// ```text
/// file              questions  answered  unanswered  short  due  learned  retention  last changed
/// web/csrf.notes           12        11           1      2    3        5       80 %    2026-12-01
/// ```
fn table(out: &mut dyn Write, files: &[Stats], topics: &[Stats], total: &Stats) -> io::Result<()> {
    let mut sections: Vec<(&str, Vec<[String; 9]>)> = vec![
        ("file", files.iter().map(cells).collect()),
        ("topic", topics.iter().map(cells).collect()),
    ];
    sections.push(("", vec![cells(total)]));
    let mut widths = HEADINGS.map(str::len);
    widths[0] = "topic".len();
    for (_, rows) in &sections {
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    for (n, (title, rows)) in sections.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let mut head = HEADINGS.map(String::from);
        head[0] = title.to_string();
        if !title.is_empty() {
            line(out, &head, &widths)?;
        }
        for row in rows {
            line(out, row, &widths)?;
        }
    }
    Ok(())
}

fn line(out: &mut dyn Write, row: &[String; 9], widths: &[usize; 9]) -> io::Result<()> {
    let mut text = String::new();
    for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
        let pad = w.saturating_sub(cell.chars().count());
        if i == 0 {
            text.push_str(cell);
            text.push_str(&" ".repeat(pad));
        } else {
            text.push_str("  ");
            text.push_str(&" ".repeat(pad));
            text.push_str(cell);
        }
    }
    writeln!(out, "{}", text.trim_end())
}
