//! `notes-ls check`: find the files, diagnose each one, report the findings
//! and the totals, and decide the exit code.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::json::{Finding, SummaryLine};
use super::policy::Deny;
use super::render::{self, Source};
use super::style::{ColorChoice, Paint, Styles};
use super::summary::Summary;
use crate::config::{Config, DialectSetting};
use crate::ide::{DocKey, Speller};
use crate::syntax::LineIndex;
use crate::syntax::{Dialect, Notes, TextRange};
use crate::workspace::batches::{self, in_batches};
use crate::workspace::{self, GlossaryProblem, Loaded, WorkspaceIndex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// rustc-style blocks with the source line, then a summary line.
    #[default]
    Human,
    /// One JSON object per finding per line, then a summary object.
    Json,
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Files and folders; folders are walked.
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub deny: Deny,
    pub color: ColorChoice,
}

pub fn run(options: &CheckOptions) -> ExitCode {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut report = Report {
        out: &mut out,
        err: &mut io::stderr(),
        styles: Styles::new(options.format == Format::Human && options.color.for_stdout()),
        err_styles: Styles::new(options.color.for_stderr()),
    };
    let outcome = match check(options, &mut report) {
        Ok(outcome) => outcome,
        Err(err) => return super::output_failed(err),
    };
    if let Err(err) = out.flush() {
        return super::output_failed(err);
    }
    if outcome.trouble {
        ExitCode::from(super::EXIT_TROUBLE)
    } else if outcome.failed {
        ExitCode::from(super::EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

struct Outcome {
    /// A path could not be read: the check is incomplete.
    trouble: bool,
    /// A finding reached the `--deny` level.
    failed: bool,
}

/// Where findings (stdout) and problems with files (stderr) go.
struct Report<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    styles: Styles,
    err_styles: Styles,
}

impl Report<'_> {
    fn warning(&mut self, message: &str) -> io::Result<()> {
        self.problem("warning", self.err_styles.warning, message)
    }

    fn error(&mut self, message: &str) -> io::Result<()> {
        self.problem("error", self.err_styles.error, message)
    }

    fn note(&mut self, message: &str) -> io::Result<()> {
        self.problem("note", self.err_styles.note, message)
    }

    fn problem(&mut self, word: &str, style: anstyle::Style, message: &str) -> io::Result<()> {
        // Flushed first so that, in a terminal, the line shows up after the
        // findings of the files before it.
        self.out.flush()?;
        writeln!(self.err, "{}: {message}", Paint(style, word))
    }
}

/// One file as a worker read it: its text (after any byte-order mark,
/// which editors hide, so columns are counted after it), its parse, and
/// the dialect it looks like when one is set; or what kept it unread.
enum Read {
    Parsed {
        text: String,
        notes: Notes,
        looks: Option<Dialect>,
    },
    Unread(io::Result<Loaded>),
}

/// Reads and parses one candidate (on a worker: no reporting here).
fn read(config: &Config, candidate: &workspace::Candidate) -> Read {
    let text = match workspace::load(&candidate.path, candidate.sniff, config.max_file_size) {
        Ok(Loaded::Text(text)) => text,
        other => return Read::Unread(other),
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // The workspace index keeps no parse; this run needs each file's parse
    // for its findings (their fixes), so it keeps its own.
    let notes = crate::syntax::parse_as(&text, config.dialect.for_text(&text));
    let looks = matches!(config.dialect, DialectSetting::Fixed(_)).then(|| Dialect::detect(&text));
    Read::Parsed { text, notes, looks }
}

/// Says why a candidate is not checked.
fn unread(
    candidate: &workspace::Candidate,
    path: &str,
    loaded: io::Result<Loaded>,
    report: &mut Report<'_>,
    outcome: &mut Outcome,
) -> io::Result<()> {
    match loaded {
        Ok(Loaded::Text(_)) => {}
        Ok(Loaded::NotNotes) => tracing::debug!(%path, "not in the notes format, skipped"),
        // Found by walking: the user did not ask for this file by name.
        Ok(Loaded::Skipped(skip)) if !candidate.explicit => {
            report.warning(&format!("skipping {path}: {}", skip.reason()))?;
        }
        Ok(Loaded::Skipped(skip)) => {
            report.error(&format!("cannot check {path}: {}", skip.reason()))?;
            outcome.trouble = true;
        }
        Err(err) => {
            report.error(&format!("cannot read {path}: {}", super::describe(&err)))?;
            outcome.trouble = true;
        }
    }
    Ok(())
}

/// Reads and parses the candidates on every core, a batch at a time
/// (`workspace::batches`), and takes them into `workspace` in the order
/// found, saying why any is not checked. Returns each file's parse.
fn read_all(
    config: &Config,
    candidates: &[workspace::Candidate],
    workspace: &mut WorkspaceIndex,
    report: &mut Report<'_>,
    outcome: &mut Outcome,
) -> io::Result<Vec<(PathBuf, Notes)>> {
    let work = |(): &(), share: &[workspace::Candidate], ()| {
        (share.iter().map(|c| read(config, c)).collect(), ())
    };
    let mut order = Vec::new();
    let mut said = Ok(());
    in_batches(
        candidates,
        batches::FILES,
        || (),
        work,
        |candidate, file| {
            let path = candidate.path.display().to_string();
            said = match file {
                Read::Unread(loaded) => unread(candidate, &path, loaded, report, outcome),
                Read::Parsed { text, notes, looks } => {
                    workspace.add_parsed(candidate.path.clone(), text, &notes);
                    order.push((candidate.path.clone(), notes));
                    other_dialect(config, &path, looks, report)
                }
            };
            said.is_ok()
        },
    );
    said.map(|()| order)
}

/// A file in another dialect than the one set reads as few or no
/// questions: says why, and what to set.
fn other_dialect(
    config: &Config,
    path: &str,
    looks: Option<Dialect>,
    report: &mut Report<'_>,
) -> io::Result<()> {
    let (DialectSetting::Fixed(set), Some(looks)) = (config.dialect, looks) else {
        return Ok(());
    };
    // Own markers keep the arrow format: only another dialect is news.
    let custom_arrow = matches!(set, Dialect::Custom(_)) && looks == Dialect::Arrow;
    if looks == set || custom_arrow {
        return Ok(());
    }
    report.note(&format!(
        "{path} looks like {}; set [format] dialect = \"{}\" (or \"auto\") in notes-ls.toml",
        looks.describe(),
        looks.name()
    ))
}

/// The configuration from the nearest `notes-ls.toml`, or the defaults,
/// with the folder that relative paths in it (glossaries) start from.
fn config(report: &mut Report<'_>) -> io::Result<Option<(Config, PathBuf)>> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Some(path) = workspace::find_config(&cwd) else {
        return Ok(Some((Config::default(), cwd)));
    };
    let base = path.parent().map_or(cwd, |p| p.to_path_buf());
    match workspace::read_config(&path) {
        Ok(config) => Ok(Some((config, base))),
        Err(e) => {
            report.error(&format!("bad configuration: {e}"))?;
            Ok(None)
        }
    }
}

fn check(options: &CheckOptions, report: &mut Report<'_>) -> io::Result<Outcome> {
    let Some((config, base)) = config(report)? else {
        return Ok(Outcome {
            trouble: true,
            failed: false,
        });
    };
    let found = workspace::discover(&options.paths, &config.file_matcher());
    let mut outcome = Outcome {
        trouble: !found.errors.is_empty(),
        failed: false,
    };
    for err in &found.errors {
        report.error(err)?;
    }
    // Read everything first: duplicates and terms are workspace-wide.
    let mut workspace = WorkspaceIndex::new(Vec::new(), config.clone());
    let mut glossary_problems = Vec::new();
    workspace.load_glossaries_with(&[base], &mut |problem| glossary_problems.push(problem));
    for problem in glossary_problems {
        match problem {
            // Refused as unsafe (outside the folder, a link, a FIFO, too
            // large): the run did not use the configuration it was given,
            // and CI should say so (exit 2) rather than pass quietly.
            GlossaryProblem::Refused(_) => {
                report.error(&problem.to_string())?;
                outcome.trouble = true;
            }
            GlossaryProblem::Invalid { .. } => report.warning(&problem.to_string())?,
        }
    }
    let order = read_all(&config, &found.files, &mut workspace, report, &mut outcome)?;
    let mut summary = Summary::default();
    // Checked on every core, a batch of files at a time, each worker
    // keeping its verdicts on words (the files share most of their words);
    // printed in the files' order.
    let check = |(): &(), files: &[(PathBuf, Notes)], verdicts| {
        let speller = Speller::with_verdicts(workspace.terms(), verdicts);
        let found = (files.iter())
            .map(|(file, notes)| {
                // The command line opens no document: every file has its text.
                let text = workspace.file(file).and_then(|f| f.text.as_deref())?;
                let found = workspace::diagnose_with(&workspace, file, text, notes, &speller);
                Some((text.as_str(), found))
            })
            .collect();
        (found, speller.into_verdicts())
    };
    // Each other file's lines are counted once, however many findings
    // point into it.
    let others = RefCell::new(HashMap::new());
    let elsewhere = |doc: &DocKey, range| place_elsewhere(&workspace, &others, doc, range);
    let mut printed = Ok(());
    in_batches(
        &order,
        batches::FILES,
        || (),
        check,
        |(file, notes), found| {
            let Some((text, found)) = found else {
                return true;
            };
            summary.add_file(notes);
            let (path, index) = (file.display().to_string(), LineIndex::new(text));
            for (d, severity) in found {
                summary.add_finding(severity);
                outcome.failed |= options.deny.fails(severity);
                printed = match options.format {
                    Format::Human => {
                        let src = Source {
                            path: &path,
                            text,
                            index: &index,
                            elsewhere: &elsewhere,
                        };
                        render::diagnostic(report.out, &src, &d, severity, &report.styles)
                    }
                    Format::Json => {
                        let finding = Finding::new(&path, text, &index, &d, severity);
                        serde_json::to_writer(&mut *report.out, &finding)
                            .map_err(io::Error::from)
                            .and_then(|()| writeln!(report.out))
                    }
                };
                if printed.is_err() {
                    // Nobody reads on (`| head`): the other files go unchecked.
                    return false;
                }
            }
            true
        },
    );
    printed?;
    if summary.files == 0 && !outcome.trouble {
        report
            .warning("no notes found (looked for *.notes, and *.txt files in the notes format)")?;
    }
    match options.format {
        Format::Human => writeln!(report.out, "{}", summary.line())?,
        Format::Json => {
            serde_json::to_writer(&mut *report.out, &SummaryLine::from(&summary))?;
            writeln!(report.out)?;
        }
    }
    Ok(outcome)
}

/// Names a place in another file as `path:line:col`, the way the finding's
/// own place is shown, so a terminal can jump there. `lines` keeps each
/// file's line index once made.
fn place_elsewhere<'w>(
    workspace: &'w WorkspaceIndex,
    lines: &RefCell<HashMap<DocKey, Option<(&'w str, LineIndex)>>>,
    doc: &DocKey,
    range: TextRange,
) -> String {
    let mut lines = lines.borrow_mut();
    let file = lines.entry(doc.clone()).or_insert_with(|| {
        let text = workspace.file(doc.path())?.text.as_deref()?;
        Some((text.as_str(), LineIndex::new(text)))
    });
    let Some((text, index)) = file else {
        return doc.to_string();
    };
    let (line, col) = index.line_col(text, range.start());
    format!("{doc}:{}:{}", line + 1, col + 1)
}
