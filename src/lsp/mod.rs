//! The language server: the only layer that knows LSP, tower-lsp and tokio.
//!
//! `documents` keeps the open texts, `position` converts positions,
//! `to_proto` and `editing` (formatting, links, selection, workspace
//! symbols) map core results to protocol types and `server` holds the thin
//! handlers that glue them to `ide`. [`Server`] puts them (behind
//! `checked`) under the read loop of `rpc`, over stdio or a test's pipes.

mod allocator;
mod bulk_edit;
mod capabilities;
mod checked;
mod code_actions;
mod code_lens;
mod documents;
mod editing;
mod entry_json;
mod exit;
mod guard;
mod notifications;
mod null_params;
mod position;
mod process_watch;
mod publish;
mod pull;
mod pulled;
mod refresh;
mod rename;
mod respell;
mod server;
mod state;
mod text_sync;
mod to_proto;
mod uri;
mod workspace_sync;

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

pub use documents::Document;
pub use position::Encoding;
use server::Backend;
use tokio::sync::watch;
use tower_lsp::LspService;

/// Threads for blocking work (analysis, indexing, tokio's stdout writes).
const BLOCKING_THREADS: usize = 8;

/// Options from the command line.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// A tracing filter (`info`, `notes_ls=debug`); `NOTES_LS_LOG` wins.
    pub log_level: Option<String>,
}

/// A language server on a reader and a writer: stdin and stdout for
/// [`run`], in-memory pipes for the in-process tests, which so go through
/// the same stack as the editor.
pub struct Server<R, W> {
    input: R,
    output: W,
    handled: watch::Sender<u64>,
}

/// Why a server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The input ended (the client closed our stdin).
    InputClosed,
    /// `exit` came; `clean` when `shutdown` came before it.
    Exit { clean: bool },
    /// The client process (`processId`) died.
    ClientGone,
}

impl<R, W> Server<R, W>
where
    R: BufRead + Send + 'static,
    W: Write + Send + 'static,
{
    pub fn new(input: R, output: W) -> Self {
        Server {
            input,
            output,
            handled: watch::Sender::new(0),
        }
    }

    /// How many notifications the server has handled to the end, in any
    /// order. A client cannot know that (a notification has no answer); the
    /// in-process tests wait on it where a test must know a change to the
    /// workspace is in before it asks.
    pub fn handled(&self) -> watch::Receiver<u64> {
        self.handled.subscribe()
    }

    /// Builds the stack (tower-lsp's service behind `checked::Checked`,
    /// under the read loop of `rpc`) and serves until the input ends, `exit`
    /// comes or the client process dies.
    pub async fn run(self) -> Ended {
        let out = crate::rpc::Output::start(self.output, respell::respelled);
        let (service, socket) = LspService::new(|client| Backend::new(client, out.clone()));
        let signal = Arc::new(exit::ExitSignal::default());
        let state = service.inner().state();
        let checked = checked::Checked::new(
            service,
            state,
            self.handled,
            out.clone(),
            Arc::clone(&signal),
        );
        let serve = crate::rpc::serve(checked, socket.split(), self.input, out);
        let ended = tokio::select! {
            () = serve => {
                tracing::info!("input closed");
                Ended::InputClosed
            }
            () = signal.wait() => {
                tracing::info!("exit received");
                Ended::Exit { clean: signal.clean() }
            }
            () = process_watch::client_gone() => {
                tracing::warn!("client process gone");
                Ended::ClientGone
            }
        };
        // `exit` and the end of the input often come together: the exit
        // code follows `exit` whichever was seen first.
        if signal.exited() {
            Ended::Exit {
                clean: signal.clean(),
            }
        } else {
            ended
        }
    }
}

/// Serves LSP over stdin/stdout until the client exits or stdin closes.
pub fn run(options: ServerOptions) -> ExitCode {
    init_logging(options.log_level.as_deref());
    allocator::tune();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Analysis runs in `spawn_blocking` and mostly waits for the index
        // lock; tokio's default of up to 512 threads let a burst of opens
        // start dozens of them, each keeping its stack and heap.
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("notes-ls: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Reads of 64 KiB and more go past stdin's own small buffer, straight
    // into this one (a `StdinLock` would do, but cannot move to the reader
    // thread).
    let stdin = std::io::BufReader::with_capacity(64 * 1024, std::io::stdin());
    let ended = runtime.block_on(Server::new(stdin, std::io::stdout()).run());
    // Blocking work (a workspace scan) must not keep a stopped server alive.
    runtime.shutdown_background();
    // The protocol asks for exit code 1 when `exit` comes without `shutdown`.
    if ended == (Ended::Exit { clean: false }) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Logs go to stderr: stdout carries the protocol. Warnings only unless
/// asked: clients file whatever a server writes to stderr as errors
/// (Neovim's lsp.log marks every line `[ERROR]`), so what a user may want
/// to read at another level (the indexing summary) goes to the client as
/// `window/logMessage`, with its level.
fn init_logging(level: Option<&str>) {
    let filter = std::env::var("NOTES_LS_LOG")
        .ok()
        .or_else(|| level.map(str::to_string))
        .unwrap_or_else(|| "warn".to_string());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
