//! Entry point; the command line proper is in `cli` (merged separately).
fn main() -> std::process::ExitCode {
    notes_ls::lsp::run(notes_ls::lsp::ServerOptions::default())
}
