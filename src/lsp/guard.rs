//! Containing panics: a bug in one feature answers one request with an
//! error instead of taking the whole server down.

use std::panic::{catch_unwind, AssertUnwindSafe};

use tower_lsp::jsonrpc::{Error, Result};

/// Runs `f`, turning a panic into an internal-error response.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        tracing::error!("{what} panicked: {msg}");
        let mut e = Error::internal_error();
        e.message = format!("notes-ls: {what} failed: {msg}").into();
        e
    })
}
