//! Study code lenses (`study::store::file_lenses`) as protocol lenses. Each
//! runs the client's `notesLs.drill` command on the file, which the VS Code
//! extension and the Neovim plugin register (a drill in a terminal).

use std::path::Path;

use tower_lsp::lsp_types::{CodeLens, Command};

use super::position::Positions;
use crate::study::Lens;

pub const DRILL_COMMAND: &str = "notesLs.drill";

pub fn to_proto(pos: &Positions, path: &Path, lens: Lens) -> CodeLens {
    let at = pos.position(lens.offset);
    CodeLens {
        range: tower_lsp::lsp_types::Range::new(at, at),
        command: Some(Command {
            title: lens.title,
            command: DRILL_COMMAND.to_string(),
            arguments: Some(vec![serde_json::json!(path.to_string_lossy())]),
        }),
        data: None,
    }
}
