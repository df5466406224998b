//! Logs of the CLI commands: `tracing` events to stderr, never stdout, where
//! the findings go.

use tracing_subscriber::EnvFilter;

/// Sets up logging at `level` (a `tracing` filter such as `debug` or
/// `notes_ls=trace`), else from `NOTES_LS_LOG`, else warnings only.
pub fn init(level: Option<&str>) -> Result<(), String> {
    let filter = match level {
        Some(level) => {
            EnvFilter::try_new(level).map_err(|e| format!("invalid log level `{level}`: {e}"))?
        }
        None => EnvFilter::try_from_env("NOTES_LS_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .try_init()
        .map_err(|e| format!("cannot set up logging: {e}"))
}
