//! Notes on disk: which files are notes, reading them safely, and the index
//! of a whole workspace that the editor features and `check` share.

pub mod batches;
pub mod config_file;
pub mod definitions;
pub mod diagnose;
pub mod discover;
pub mod file_events;
pub mod host;
pub mod index;
pub mod links;
pub mod own_file;
pub mod passes;
pub mod quick_fixes;
pub mod read;
pub mod references;
pub mod rename;
pub mod scans;

pub use config_file::{find_config, read_config, rescan_needed, workspace_config};
pub use definitions::{definitions, Definition};
pub use diagnose::{
    diagnose, diagnose_closed, diagnose_indexed, diagnose_open, diagnose_with, entry_findings,
};
pub use discover::{discover, Candidate, Discovery};
pub use host::{IndexHost, IndexWrite};
pub use index::{FileState, GlossaryProblem, IndexStats, WorkspaceIndex};
pub use links::{openable_links, resolve_link, LinkTarget};
pub use own_file::{
    read_config_text, read_own_file, Refusal, Refused, Scope, CONFIG_MAX_SIZE, GLOSSARY_MAX_SIZE,
};
pub use quick_fixes::{quick_fixes, QuickFixes};
pub use read::{describe, load, looks_like_notes, Loaded, Skip};
pub use references::{mentions_everywhere, FileMentions, OpenText, OpenTexts};
pub use rename::FileChanges;
