//! Notes on disk: which files are notes, reading them safely, and the index
//! of a whole workspace that the editor features and `check` share.

pub mod config_file;
pub mod diagnose;
pub mod discover;
pub mod index;
pub mod links;
pub mod read;

pub use config_file::{find_config, read_config};
pub use diagnose::{diagnose, diagnose_open, diagnose_with};
pub use discover::{discover, Candidate, Discovery};
pub use index::{doc_key, FileState, IndexStats, WorkspaceIndex};
pub use links::{resolve_link, LinkTarget};
pub use read::{load, looks_like_notes, Loaded, Skip};
