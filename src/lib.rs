//! notes-ls: a language server and checker for interview and study notes.
//!
//! Layers, from the bottom up (see ARCHITECTURE.md):
//! - [`syntax`]: the notes format, parsed into entries with byte offsets;
//! - [`ide`]: every feature as a pure function over text and offsets;
//! - [`lsp`]: the only layer that knows the protocol, over [`rpc`]
//!   (JSON-RPC framing, the read loop, the writer);
//! - [`study`]: flashcards, statistics and spaced repetition over the core;
//! - [`cli`]: the command-line front end over the same core.

pub mod cli;
pub mod config;
pub mod ide;
pub mod lsp;
pub mod rpc;
pub mod study;
pub mod syntax;
pub mod workspace;
