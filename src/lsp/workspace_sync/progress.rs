//! Work-done progress (`$/progress`) for one scan, under a token of its
//! own, without ever waiting for the client.
//!
//! The token is created with `window/workDoneProgress/create`, and the
//! protocol lets the server use it only once the client said yes. Waiting
//! for that answer in the scan meant a client that never answers was never
//! indexed; so the scan only queues what it has to say, and a task of its
//! own sends it once the answer came; nothing if the client says no or
//! never answers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tower_lsp::lsp_types::notification::Progress as ProgressNotification;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;
use tower_lsp::Client;

/// Numbers the tokens: two scans never share one, so a client never sees a
/// second `begin` on a token that is still running, nor one after its `end`.
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// The progress of one task; does nothing for a client without
/// work-done progress.
pub struct Progress {
    tx: Option<mpsc::UnboundedSender<WorkDoneProgress>>,
    ended: bool,
}

impl Progress {
    /// Asks the client for a token (without waiting) and queues the
    /// `begin`.
    pub fn begin(client: &Client, supported: bool, title: &str) -> Progress {
        if !supported {
            return Progress {
                tx: None,
                ended: false,
            };
        }
        let n = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        let token = NumberOrString::String(format!("notes-ls/indexing/{n}"));
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = tx.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: title.to_string(),
            cancellable: Some(false),
            message: None,
            percentage: Some(0),
        }));
        tokio::spawn(forward(client.clone(), token, rx));
        Progress {
            tx: Some(tx),
            ended: false,
        }
    }

    pub fn report(&self, message: String, percentage: u32) {
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(message),
            percentage: Some(percentage),
        }));
    }

    pub fn end(mut self, message: &str) {
        self.finish(message);
    }

    fn finish(&mut self, message: &str) {
        if !std::mem::replace(&mut self.ended, true) {
            self.send(WorkDoneProgress::End(WorkDoneProgressEnd {
                message: Some(message.to_string()),
            }));
        }
    }

    fn send(&self, value: WorkDoneProgress) {
        if let Some(tx) = &self.tx {
            // The forwarding task is gone only when the client refused the
            // token: then there is nobody to tell.
            let _ = tx.send(value);
        }
    }
}

impl Drop for Progress {
    /// A task that stopped without saying so (a panic in the scan) still
    /// ends its progress: the editor would show it running forever.
    fn drop(&mut self) {
        self.finish("Indexing stopped");
    }
}

/// How long a task that ended waits for the client to create its token,
/// to show it then (a begin and an end): a client that never answers
/// leaves no task behind for longer.
const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// Creates `token`, then sends what the task queued under it. Until the
/// client answers, only the `begin`, the latest report and the `end` are
/// kept (a hundred stale percentages help nobody).
async fn forward(
    client: Client,
    token: NumberOrString,
    mut rx: mpsc::UnboundedReceiver<WorkDoneProgress>,
) {
    let create = client.send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
        token: token.clone(),
    });
    tokio::pin!(create);
    let (mut begin, mut latest, mut end) = (None, None, None);
    let answer = loop {
        tokio::select! {
            answer = &mut create => break Some(answer),
            value = rx.recv(), if end.is_none() => match value {
                Some(WorkDoneProgress::Begin(b)) => begin = Some(b),
                Some(WorkDoneProgress::Report(r)) => latest = Some(r),
                Some(WorkDoneProgress::End(e)) => end = Some(e),
                // `Progress` always ends before it goes; this is only a
                // safe reading of a closed channel.
                None => end = Some(WorkDoneProgressEnd { message: None }),
            },
            _ = tokio::time::sleep(ANSWER_WAIT), if end.is_some() => break None,
        }
    };
    match answer {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            tracing::debug!("no progress token: {e}");
            return;
        }
        None => {
            tracing::debug!("the client never answered for progress token {token:?}");
            return;
        }
    }
    let held = begin.map(WorkDoneProgress::Begin).into_iter();
    let held: Vec<WorkDoneProgress> = match end {
        Some(e) => held.chain([WorkDoneProgress::End(e)]).collect(),
        None => held.chain(latest.map(WorkDoneProgress::Report)).collect(),
    };
    let ended = held.iter().any(|v| matches!(v, WorkDoneProgress::End(_)));
    for value in held {
        send(&client, &token, value).await;
    }
    if ended {
        return;
    }
    while let Some(value) = rx.recv().await {
        let end = matches!(value, WorkDoneProgress::End(_));
        send(&client, &token, value).await;
        if end {
            return;
        }
    }
}

async fn send(client: &Client, token: &NumberOrString, value: WorkDoneProgress) {
    client
        .send_notification::<ProgressNotification>(ProgressParams {
            token: token.clone(),
            value: ProgressParamsValue::WorkDone(value),
        })
        .await;
}
