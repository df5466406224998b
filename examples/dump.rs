//! Prints how notes-ls reads a file: `cargo run --example dump -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let text = std::fs::read_to_string(path).expect("read");
    print!(
        "{}",
        notes_ls::syntax::dump(&notes_ls::syntax::parse(&text), &text)
    );
}
