//! The notifications the server acts on, handed to their handlers here and
//! not by tower-lsp's router: their params are read once, into lsp-types'
//! structs (each text moved out of the message, never copied), and params
//! that do not fit are logged with serde's reason, where tower-lsp drops
//! such a notification without a word. `exit` and `$/` notifications stay
//! tower-lsp's (it ends the server, cancels requests); `checked` routes
//! here only once `initialize` succeeded and before `shutdown`, as
//! tower-lsp does.

use std::sync::Arc;

use futures::future::{BoxFuture, FutureExt};
use serde_json::Value;
use tower_lsp::lsp_types::notification::*;

use super::state::State;
use super::{text_sync, workspace_sync};

/// The handler of the notification `method` on its `params`, read once;
/// none, with a log line, when they do not fit or nothing handles it.
pub fn handle(state: Arc<State>, method: &str, params: Option<Value>) -> BoxFuture<'static, ()> {
    match method {
        Initialized::METHOD => match read::<Initialized>(params) {
            Some(_) => workspace_sync::start(state).boxed(),
            None => ignored(),
        },
        DidOpenTextDocument::METHOD => match read::<DidOpenTextDocument>(params) {
            Some(p) => async move { text_sync::did_open(&state, p).await }.boxed(),
            None => ignored(),
        },
        DidChangeTextDocument::METHOD => match read::<DidChangeTextDocument>(params) {
            Some(p) => async move { text_sync::did_change(&state, p).await }.boxed(),
            None => ignored(),
        },
        DidCloseTextDocument::METHOD => match read::<DidCloseTextDocument>(params) {
            Some(p) => async move { text_sync::did_close(&state, p).await }.boxed(),
            None => ignored(),
        },
        DidChangeWatchedFiles::METHOD => match read::<DidChangeWatchedFiles>(params) {
            Some(p) => workspace_sync::watched_files_changed(state, p).boxed(),
            None => ignored(),
        },
        DidChangeConfiguration::METHOD => match read::<DidChangeConfiguration>(params) {
            Some(p) => workspace_sync::settings_changed(state, p.settings).boxed(),
            None => ignored(),
        },
        // The text is in the editor's `didChange`s already: checked only.
        DidSaveTextDocument::METHOD => {
            let _ = read::<DidSaveTextDocument>(params);
            ignored()
        }
        _ => {
            tracing::warn!("ignored notification {method}: not handled by notes-ls");
            ignored()
        }
    }
}

fn ignored() -> BoxFuture<'static, ()> {
    futures::future::ready(()).boxed()
}

/// The params of `N` read from `params`, moved out; `None`, logged with the
/// reason, when they do not fit. Absent params (or `null`, which
/// `null_params` removes) read as `{}`: `initialized` has nothing to say,
/// and a client may say it so (tower-lsp then never began the scan).
fn read<N: Notification>(params: Option<Value>) -> Option<N::Params> {
    let params = params.unwrap_or_else(|| Value::Object(Default::default()));
    serde_json::from_value(params)
        .map_err(|e| tracing::warn!("ignored notification {}: invalid params: {e}", N::METHOD))
        .ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A text is moved out of the message as lsp-types reads it: the
    /// verdicts are lsp-types' own.
    #[test]
    fn params_that_do_not_fit_are_refused_with_the_reason() {
        let doc = json!({"uri": "file:///a.notes", "languageId": "x", "version": 1, "text": "*Q?"});
        assert!(read::<DidOpenTextDocument>(Some(json!({ "textDocument": doc }))).is_some());
        for (key, bad) in [("text", json!(5)), ("uri", json!("no uri"))] {
            let mut d = doc.clone();
            d[key] = bad;
            assert!(read::<DidOpenTextDocument>(Some(json!({ "textDocument": d }))).is_none());
        }
        assert!(read::<DidCloseTextDocument>(Some(Value::Null)).is_none());
        assert!(read::<DidOpenTextDocument>(None).is_none());
        assert!(read::<Initialized>(None).is_some());
        assert!(read::<Initialized>(Some(json!({}))).is_some());
    }
}
