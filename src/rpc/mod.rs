//! JSON-RPC as LSP frames it, over any reader and writer: the layer under
//! `lsp`, as rust-analyzer keeps `lsp-server` apart from its LSP layer. It
//! knows messages, not LSP methods: framing with limits (`framer`), the
//! read loop and its ordering rule ([`serve`]), the one writer and its
//! bounded queue ([`Output`]), answers written without tower-lsp's `Value`
//! step, whole or streamed in parts ([`reply_with`], [`ReplyStream`]), counted
//! first ([`Measure`]).

mod framer;
mod measure;
mod output;
mod queue;
mod replies;
mod transport;

pub use framer::SUBSTITUTE;
pub use measure::Measure;
pub use output::{Frame, Output};
pub use replies::{reply_slot, reply_with, stream, with_slot, Parts, ReplySlot, ReplyStream};
pub use transport::serve;
