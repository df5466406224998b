//! The language server: the only layer that knows LSP, tower-lsp and tokio.
//!
//! `documents` keeps the open texts, `position` converts positions,
//! `to_proto` and `editing` (formatting, links, selection, workspace
//! symbols) map core results to protocol types and `server` holds the thin
//! handlers that glue them to `ide`.

mod allocator;
mod bulk_edit;
mod capabilities;
mod code_actions;
mod code_lens;
mod documents;
mod editing;
mod exit;
mod fragments;
mod guard;
mod null_params;
mod output;
mod position;
mod process_watch;
mod publish;
mod pull;
mod rename;
mod respell;
mod server;
mod state;
mod stdout_queue;
mod symbol_pieces;
mod text_sync;
mod to_proto;
mod transport;
mod workspace_sync;

use std::process::ExitCode;

pub use documents::Document;
pub use position::Encoding;
pub use server::Backend;
use tower_lsp::LspService;

/// Threads for blocking work (analysis, indexing, tokio's stdout writes).
const BLOCKING_THREADS: usize = 8;

/// Options from the command line.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// A tracing filter (`info`, `notes_ls=debug`); `NOTES_LS_LOG` wins.
    pub log_level: Option<String>,
}

/// The service, for in-process tests and for `run`.
pub fn service() -> (LspService<Backend>, tower_lsp::ClientSocket) {
    LspService::new(Backend::new)
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
    let signal = std::sync::Arc::new(exit::ExitSignal::default());
    runtime.block_on(async {
        let (service, socket) = service();
        let service = exit::ExitWatch {
            inner: output::RawReplies(null_params::NullParams(service)),
            signal: std::sync::Arc::clone(&signal),
        };
        let serve = transport::serve_stdio(service, socket);
        tokio::select! {
            () = serve => tracing::info!("input closed"),
            () = signal.wait() => tracing::info!("exit received"),
            () = process_watch::client_gone() => tracing::warn!("client process gone"),
        }
    });
    // Blocking work (a workspace scan) must not keep a stopped server alive.
    runtime.shutdown_background();
    // The protocol asks for exit code 1 when `exit` comes without `shutdown`.
    if signal.exited() && !signal.clean() {
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
