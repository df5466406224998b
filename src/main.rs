//! The `notes-ls` binary: parses the command line and hands over to the
//! language server or to a CLI command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use notes_ls::cli::check::{self, CheckOptions, Format};
use notes_ls::cli::drill::{self, DrillOptions};
use notes_ls::cli::export::{self, ExportFormat, ExportOptions};
use notes_ls::cli::fmt::{self, FmtOptions};
use notes_ls::cli::outline::{self, OutlineFormat, OutlineOptions};
use notes_ls::cli::stats::{self, StatsFormat, StatsOptions};
use notes_ls::cli::{logging, ColorChoice, Deny};
use notes_ls::lsp::{self, ServerOptions};

/// A language server and checker for interview and study notes.
///
/// Without a command, runs the language server on stdin/stdout.
#[derive(Debug, Parser)]
#[command(name = "notes-ls", version, about)]
struct Cli {
    /// Log filter for messages on stderr: error, warn, info, debug, trace.
    #[arg(long, value_name = "LEVEL", global = true)]
    log_level: Option<String>,

    /// Run the language server on stdin/stdout (the default).
    #[arg(long)]
    stdio: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check notes files and folders for unanswered questions and other findings.
    Check {
        /// Files and folders to check; folders are searched for *.notes and
        /// for *.txt files in the notes format.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// How findings are printed.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Exit with 1 when a finding is this severe or worse.
        #[arg(long, value_enum, default_value_t)]
        deny: Deny,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t)]
        color: ColorChoice,
    },
    /// Format notes files in place: `*` questions, `->` arrows, one blank line
    /// between entries, aligned tables (`[format] arrow` in notes-ls.toml).
    Fmt {
        /// Files and folders to format, found as `check` finds them.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Write nothing: list the files that would change, exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Print the questions of one file, with their definitions and tables.
    Outline {
        file: PathBuf,
        /// How the outline is printed.
        #[arg(long, value_enum, default_value_t)]
        format: OutlineFormat,
    },
    /// Export every answered question as a flashcard (Anki, CSV, JSON Lines, Markdown).
    Export {
        /// Files and folders to export.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The format written.
        #[arg(long, value_enum, default_value_t)]
        to: ExportFormat,
        /// Put every card in this deck (default: the file's top folder).
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Keep unanswered and placeholder answers as cards.
        #[arg(long)]
        include_unanswered: bool,
        /// Write to this file (atomically) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Questions, answers and review progress per file and per topic (folder).
    Stats {
        /// Files and folders to count.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// How the statistics are printed.
        #[arg(long, value_enum, default_value_t)]
        format: StatsFormat,
    },
    /// Review the questions with spaced repetition (FSRS) in the terminal.
    Drill {
        /// Files and folders to drill.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Only questions whose file path contains this (e.g. a folder name).
        #[arg(long, value_name = "TEXT")]
        topic: Option<String>,
        /// New (never reviewed) questions per session at most.
        #[arg(long, value_name = "N", default_value_t = 20)]
        new: usize,
        /// Questions per session at most.
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: usize,
        /// Review every question, due or not, without changing the schedule.
        #[arg(long)]
        cram: bool,
        /// Show the questions in random order.
        #[arg(long)]
        shuffle: bool,
        /// Read keys as lines from stdin (Enter reveals, 1-4 grade, q quits).
        #[arg(long)]
        plain: bool,
    },
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Accepted because editor clients pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.stdio && !matches!(cli.command, None | Some(Command::Lsp { .. })) {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "`--stdio` runs the language server and cannot be used with a command",
            )
            .exit();
    }
    let log_level = cli.log_level;
    match cli.command {
        None | Some(Command::Lsp { .. }) => lsp::run(ServerOptions { log_level }),
        Some(Command::Check {
            paths,
            format,
            deny,
            color,
        }) => with_logging(log_level, || {
            check::run(&CheckOptions {
                paths,
                format,
                deny,
                color,
            })
        }),
        Some(Command::Fmt { paths, check }) => {
            with_logging(log_level, || fmt::run(&FmtOptions { paths, check }))
        }
        Some(Command::Outline { file, format }) => {
            with_logging(log_level, || outline::run(&OutlineOptions { file, format }))
        }
        Some(Command::Export {
            paths,
            to,
            deck,
            include_unanswered,
            output,
        }) => with_logging(log_level, || {
            export::run(&ExportOptions {
                paths,
                to,
                deck,
                include_unanswered,
                output,
            })
        }),
        Some(Command::Stats { paths, format }) => {
            with_logging(log_level, || stats::run(&StatsOptions { paths, format }))
        }
        Some(Command::Drill {
            paths,
            topic,
            new,
            limit,
            cram,
            shuffle,
            plain,
        }) => with_logging(log_level, || {
            drill::run(&DrillOptions {
                paths,
                topic,
                new,
                limit,
                cram,
                shuffle,
                plain,
            })
        }),
    }
}

/// The server sets up its own logging; the CLI commands log to stderr.
fn with_logging(level: Option<String>, command: impl FnOnce() -> ExitCode) -> ExitCode {
    match logging::init(level.as_deref()) {
        Ok(()) => command(),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
