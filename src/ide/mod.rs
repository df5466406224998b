//! Editor features as pure functions over text and byte offsets.
//!
//! Nothing here knows about LSP, tokio or line/column encodings: callers pass
//! text and a parsed [`Notes`](crate::syntax::Notes) and get plain structs back.
//! The `lsp` layer and the CLI turn those into protocol types or terminal text.

mod answer_quality;
mod completion;
mod diagnostics;
mod doc_key;
mod excerpt;
mod file_diagnostics;
mod file_summary;
mod fix;
mod folding;
mod format;
mod fuzzy;
mod gap_spelling;
mod hash;
pub use hash::{fast_hasher, hash_bytes, FastBuildHasher, FastHasher};
mod highlight;
mod hover;
mod language;
mod links;
mod outline;
mod question;
mod question_index;
mod references;
mod rename;
mod selection;
mod symbol_search;
mod term_fallback;
mod terms;
mod words;

pub use answer_quality::{short_answer, short_answers};
pub use completion::{completions, Completion, CompletionKind};
pub(crate) use diagnostics::duplicate_diagnostic;
pub use diagnostics::{
    diagnostics, entry_diagnostics, one_per_range, Diagnostic, DiagnosticKind, Related, Severity,
    Unanswered,
};
pub use doc_key::DocKey;
pub use excerpt::{printable, toml_error, EXCERPT_CHARS};
pub use file_diagnostics::FileDiagnostics;
pub use file_summary::FileSummary;
pub use fix::{Fix, TextChange};
pub use folding::folding_ranges;
pub use format::{format, format_edits, format_range_edits, ArrowStyle, FormatOptions};
pub use gap_spelling::{GapPass, GapSpelling};
pub use highlight::{highlights, Highlight, HighlightKind};
pub use hover::{hover, Hover};
pub use links::{document_links, DocumentLink};
pub use outline::{outline, outline_entry, OutlineItem, OutlineKind};
pub use question::{normalize_question, question_hash, question_key, question_label, QuestionKey};
pub use question_index::{
    cross_file_duplicates, cross_file_duplicates_at, indexed_cross_file_duplicates,
    PreparedQuestions, QuestionIndex, QuestionPlace,
};
pub use references::{mentions, MentionFilter};
pub use rename::{
    check_question_text, check_term_name, prepare_rename, rename_in_glossary, rename_mentions,
    rename_question, rename_term, RenameError, RenameKind, RenameTarget,
};
pub use selection::selection_ranges;
pub use symbol_search::{search_symbols, MatchKind, SymbolHit, SymbolKind};
pub use term_fallback::{definition_term_at, terms_at_cursor, TermsAtCursor};
pub use terms::{
    add_word, defines_unknown_terms, entry_misspellings, misspellings, range_misspellings,
    KnownTerm, PreparedTerms, Speller, TermDefinition, TermIndex, TermMatch, TermPreparer,
    TermSource, Verdicts,
};
pub use words::plural;
