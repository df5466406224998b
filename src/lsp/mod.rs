//! Placeholder for the language server, so that the `cli` branch builds on its
//! own. The real server replaces this module when the branches are merged; only
//! the signature of [`run`] is shared with it.

use std::process::ExitCode;

/// How the server was asked to run.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// A `tracing` filter such as `info` or `notes_ls=debug`.
    pub log_level: Option<String>,
}

pub fn run(options: ServerOptions) -> ExitCode {
    let _ = options;
    eprintln!("language server not built in this branch");
    ExitCode::FAILURE
}
