//! The command-line front end: `check`, `fmt` and `outline` over the same core the
//! language server uses, and the study commands `export`, `stats` and
//! `drill` over `study`.
//!
//! Everything that touches files, the terminal or exit codes lives here; the
//! analysis itself is `syntax::parse` plus `ide::diagnostics`/`ide::outline`.
//! Exit codes: 0 clean, 1 findings at or above the `--deny` level, 2 usage or
//! I/O trouble (2 wins over 1).

pub mod check;
pub mod drill;
mod drill_session;
mod drill_tui;
pub mod export;
pub mod fmt;
mod json;
pub mod logging;
pub mod outline;
mod policy;
mod render;
mod span;
pub mod stats;
mod study_files;
mod style;
mod summary;

use std::io;
use std::process::ExitCode;

pub use policy::Deny;
pub use style::ColorChoice;

/// Findings at or above the `--deny` level.
const EXIT_FINDINGS: u8 = 1;
/// A usage or I/O problem: the check did not see everything it was asked to.
const EXIT_TROUBLE: u8 = 2;

pub(crate) use crate::workspace::describe;

/// Turns a failed write to stdout into an exit code. A closed pipe
/// (`notes-ls check | head`) is the reader's choice, not a failure.
fn output_failed(err: io::Error) -> ExitCode {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: cannot write output: {err}");
    ExitCode::from(EXIT_TROUBLE)
}
