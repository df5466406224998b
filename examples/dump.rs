//! Prints how notes-ls reads a file: `cargo run --example dump -- FILE
//! [arrow|qa|headings|auto]` (the arrow dialect when not given).
use notes_ls::syntax::{self, Dialect};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: dump FILE [DIALECT]");
    let text = std::fs::read_to_string(path).expect("read");
    let dialect = match args.next().as_deref() {
        None => Dialect::Arrow,
        Some("auto") => Dialect::detect(&text),
        Some(name) => Dialect::from_name(name).expect("arrow, qa, headings or auto"),
    };
    print!("{}", syntax::dump(&syntax::parse_as(&text, dialect), &text));
}
