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

/// Runs work no request waits for (indexing, publishing) on the blocking
/// pool. `None` when it panicked, which is logged: tokio contains the panic.
pub async fn background<T: Send + 'static>(
    name: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| tracing::error!("{name} failed: {e}"))
        .ok()
}

/// Runs a request's work on the blocking pool, inside [`guarded`].
pub async fn blocking<T: Send + 'static>(
    name: &'static str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || guarded(name, work))
        .await
        .map_err(|e| {
            tracing::error!("{name} task failed: {e}");
            Error::internal_error()
        })?
        .and_then(|r| r)
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let r: super::Result<()> = guarded("hover", || panic!("boom"));
        let e = r.expect_err("panic contained");
        assert_eq!(e.code, tower_lsp::jsonrpc::ErrorCode::InternalError);
        assert!(e.message.contains("hover failed: boom"));
        assert_eq!(guarded("x", || 7).ok(), Some(7));
    }
}
