//! `notes-ls outline FILE`: the questions of one file with their definitions
//! and tables, as a tree for people or as JSON for tools.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::json::Outline;
use super::render::expand;
use crate::ide::{self, OutlineItem};
use crate::syntax;
use crate::syntax::LineIndex;
use crate::workspace::{self as read, Loaded};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutlineFormat {
    /// Line numbers, questions, and their children drawn as a tree.
    #[default]
    Tree,
    /// A JSON array of items with ranges and children.
    Json,
}

#[derive(Debug, Clone)]
pub struct OutlineOptions {
    pub file: PathBuf,
    pub format: OutlineFormat,
}

pub fn run(options: &OutlineOptions) -> ExitCode {
    let path = options.file.display();
    // The nearest `notes-ls.toml` says the dialect; `check` reports a bad one.
    let config = std::env::current_dir()
        .ok()
        .and_then(|cwd| crate::workspace::find_config(&cwd))
        .and_then(|p| crate::workspace::read_config(&p).ok())
        .unwrap_or_default();
    let text = match std::fs::metadata(&options.file) {
        Ok(meta) if meta.is_dir() => Err("is a folder; outline takes one file".to_string()),
        _ => match read::load(&options.file, false, config.max_file_size) {
            Ok(Loaded::Text(text)) => Ok(text),
            Ok(Loaded::Skipped(skip)) => Err(skip.reason().to_string()),
            Ok(Loaded::NotNotes) => Err("not in the notes format".to_string()),
            Err(err) => Err(super::describe(&err)),
        },
    };
    let text = match text {
        Ok(text) => text,
        Err(reason) => {
            eprintln!("error: cannot read {path}: {reason}");
            return ExitCode::from(super::EXIT_TROUBLE);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let notes = syntax::parse_as(text, config.dialect.for_text(text));
    let items = ide::outline(text, &notes);
    let index = LineIndex::new(text);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let written = match options.format {
        OutlineFormat::Tree => tree(&mut out, &index, &items),
        OutlineFormat::Json => json(&mut out, text, &index, &items),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => super::output_failed(err),
    }
}

/// ```text
///  1  What is CSRF?
///  9  Difference between gunicorn and uvicorn?  [unanswered]
/// 11  ├─ Django
/// 14  └─ table: Gunicorn | Uvicorn  [4 rows]
/// ```
pub fn tree(out: &mut dyn Write, index: &LineIndex, items: &[OutlineItem]) -> io::Result<()> {
    let rows = Rows {
        index,
        width: (last_start(items).map_or(0, |s| index.line(s)) + 1)
            .to_string()
            .len(),
    };
    for item in items {
        rows.write(out, item, "", "")?;
    }
    Ok(())
}

/// Where the last row of the tree starts: items and children are in text order.
fn last_start(items: &[OutlineItem]) -> Option<usize> {
    let item = items.last()?;
    last_start(&item.children).or(Some(item.range.start()))
}

struct Rows<'a> {
    index: &'a LineIndex,
    /// Digits of the largest line number, so that the names line up.
    width: usize,
}

impl Rows<'_> {
    fn write(
        &self,
        out: &mut dyn Write,
        item: &OutlineItem,
        lead: &str,
        child_lead: &str,
    ) -> io::Result<()> {
        let line = self.index.line(item.range.start()) + 1;
        let detail = item
            .detail
            .as_deref()
            .map(|d| format!("  [{d}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{line:>w$}  {lead}{}{detail}",
            expand(&item.name),
            w = self.width
        )?;
        let count = item.children.len();
        for (i, child) in item.children.iter().enumerate() {
            let last = i + 1 == count;
            let (branch, below) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            self.write(
                out,
                child,
                &format!("{child_lead}{branch}"),
                &format!("{child_lead}{below}"),
            )?;
        }
        Ok(())
    }
}

fn json(
    out: &mut dyn Write,
    text: &str,
    index: &LineIndex,
    items: &[OutlineItem],
) -> io::Result<()> {
    let items: Vec<Outline> = items.iter().map(|i| Outline::new(text, index, i)).collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}
