//! House rules checked over the source tree, as rust-analyzer's tidy test
//! does: each file says what it owns, and the server never prints to stdout
//! (stdout carries the protocol; a stray `println!` corrupts it).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(sub), &mut out);
    out.sort();
    out
}

#[test]
fn every_file_starts_with_a_module_doc_comment() {
    let mut missing = Vec::new();
    for sub in ["src", "tests", "examples", "benches"] {
        for f in files(sub) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            if !text.trim_start().starts_with("//!") {
                missing.push(f.display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add a `//!` comment saying what the file owns: {missing:#?}"
    );
}

/// A file longer than this (code before its tests, comments included) does
/// more than one thing: split it into modules named for what each does. A
/// little over 400, as the house rule says "about 400".
const MAX_FILE_LINES: usize = 420;

#[test]
fn no_source_file_is_too_long() {
    let mut long = Vec::new();
    for f in files("src") {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let lines = text
            .lines()
            .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
            .count();
        if lines > MAX_FILE_LINES {
            long.push(format!("{} ({lines} lines)", f.display()));
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_FILE_LINES} lines of non-test code; split by what each part does: {long:#?}"
    );
}

#[test]
fn the_server_and_the_core_never_print_to_stdout() {
    let mut offenders = Vec::new();
    for sub in [
        "src/lsp",
        "src/rpc",
        "src/ide",
        "src/syntax",
        "src/workspace",
        "src/study",
    ] {
        for f in files(sub) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let prints = ["println!(", "print!("].iter().any(|m| {
                    code.match_indices(m)
                        .any(|(at, _)| !code[..at].ends_with('e'))
                });
                // `lsp::run` hands `std::io::stdout()` to its server, whose
                // one writer thread (`rpc::Output`) owns it; nothing else may.
                let writer = f.ends_with("lsp/mod.rs") && code.contains("Server::new(");
                if prints || (code.contains("std::io::stdout") && !writer) {
                    offenders.push(format!("{}:{}", f.display(), i + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "stdout is the protocol's: {offenders:#?}"
    );
}

/// The layers of ARCHITECTURE.md, lowest first: a module may use its own
/// layer and those below, never one above, and the pure core never the
/// protocol, the runtime or the rope. Test code (after `#[cfg(test)]`) may.
#[test]
fn layers_import_only_downward() {
    const LAYERS: &[(&str, &[&str])] = &[
        (
            "src/syntax",
            &["ide", "config", "workspace", "study", "cli", "lsp", "rpc"],
        ),
        (
            "src/ide",
            &["config", "workspace", "study", "cli", "lsp", "rpc"],
        ),
        ("src/config", &["workspace", "study", "cli", "lsp", "rpc"]),
        ("src/workspace", &["study", "cli", "lsp", "rpc"]),
        ("src/study", &["cli", "lsp", "rpc"]),
        ("src/cli", &["lsp", "rpc"]),
        ("src/lsp", &["cli"]),
        // JSON-RPC, under `lsp`: it knows no notes (only the core's hasher)
        // and no LSP (below, `lsp_types`).
        (
            "src/rpc",
            &["syntax", "config", "workspace", "study", "cli", "lsp"],
        ),
    ];
    const PURE: &[&str] = &["src/syntax", "src/ide", "src/workspace"];
    const FOREIGN: &[&str] = &["tower_lsp", "lsp_types", "tokio", "ropey", "serde_json"];
    let mut offenders = Vec::new();
    for (dir, above) in LAYERS {
        let files = if dir.ends_with(".rs") {
            vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)]
        } else {
            files(dir)
        };
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("#[cfg(test)]") {
                    break;
                }
                let code = line.split("//").next().unwrap_or("");
                let upward = above.iter().any(|m| {
                    code.contains(&format!("crate::{m}::"))
                        || code.contains(&format!("crate::{m}}}"))
                        || code.contains(&format!("crate::{m};"))
                });
                let foreign = PURE.contains(dir)
                    && FOREIGN.iter().any(|c| {
                        code.contains(&format!("{c}::")) || code.contains(&format!("use {c}"))
                    });
                let foreign = foreign || (*dir == "src/rpc" && code.contains("lsp_types"));
                if upward || foreign {
                    offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "imports against the layers of ARCHITECTURE.md: {offenders:#?}"
    );
}

/// The modules checked for import loops: every layer.
const LOOP_FREE: &[&str] = &["lsp", "rpc", "syntax", "ide", "workspace", "study", "cli"];

/// A module's path below `src` (`["ide", "terms", "index"]`): a file, or a
/// folder whose `mod.rs` speaks for it.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file before its tests, comments cut off, lines kept (so
/// offsets still give line numbers).
fn code_before_tests(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        out.push_str(line.split("//").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Reads a path or a `use` tree at `*i` (`super::{a, b::c}`) into every path
/// it names, each with `prefix` before it.
fn use_tree(s: &[u8], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
        if *i < s.len() && s[*i] == b'{' {
            *i += 1;
            loop {
                while *i < s.len() && (s[*i].is_ascii_whitespace() || s[*i] == b',') {
                    *i += 1;
                }
                if *i >= s.len() || s[*i] == b'}' {
                    *i += 1;
                    return;
                }
                let before = *i;
                use_tree(s, i, path.clone(), out);
                // `as x`, `*` or anything else the reader does not take.
                while *i < s.len() && !matches!(s[*i], b',' | b'}' | b'{') {
                    *i += 1;
                }
                if *i == before {
                    *i += 1;
                }
            }
        }
        let start = *i;
        while *i < s.len() && (s[*i].is_ascii_alphanumeric() || s[*i] == b'_') {
            *i += 1;
        }
        let seg = String::from_utf8_lossy(&s[start..*i]).into_owned();
        if seg.is_empty() || seg == "self" {
            out.push(path);
            return;
        }
        path.push(seg);
        if s[*i..].starts_with(b"::") {
            *i += 2;
        } else {
            out.push(path);
            return;
        }
    }
}

/// Every `crate::...` and `super::...` path in `code`, with its offset.
fn crate_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let s = code.as_bytes();
    let mut out = Vec::new();
    for word in ["crate::", "super::"] {
        for (at, _) in code.match_indices(word) {
            let before = at.checked_sub(1).map(|b| s[b]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let mut paths = Vec::new();
            use_tree(s, &mut at.clone(), Vec::new(), &mut paths);
            out.extend(paths.into_iter().map(|p| (at, p)));
        }
    }
    out
}

/// The module `path` (as written in module `from`) names: the longest
/// prefix that is a module, or, for an item a folder's `mod.rs` re-exports,
/// the module it comes from.
fn resolve(
    from: &[String],
    path: &[String],
    modules: &std::collections::BTreeMap<Vec<String>, String>,
    depth: usize,
) -> Vec<String> {
    let mut at: Vec<String> = from.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            at.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().map(String::as_str) == Some("super") {
        at.pop();
        rest = &rest[1..];
    }
    for seg in rest {
        let mut next = at.clone();
        next.push(seg.clone());
        if modules.contains_key(&next) {
            at = next;
            continue;
        }
        // An item: if a folder's `mod.rs` re-exports it, the module it
        // comes from (`super::TermIndex` is `terms::model`'s).
        let folder = !at.is_empty()
            && modules
                .keys()
                .any(|k| k.len() > at.len() && k.starts_with(&at));
        if folder && depth < 4 {
            let found = use_paths(&modules[&at])
                .into_iter()
                .find(|p| p.len() > 1 && p.last() == Some(seg));
            if let Some(p) = found {
                return resolve(&at, &p[..p.len() - 1], modules, depth + 1);
            }
        }
        break;
    }
    at
}

/// The paths of a module's `use` items (`pub use model::{A, B}` names
/// `model::A` and `model::B`), as written.
fn use_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("use ") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| !c.is_whitespace() && c != ')') {
            continue;
        }
        use_tree(code.as_bytes(), &mut (at + 4), Vec::new(), &mut out);
    }
    out
}

/// No two modules of one folder import each other, however indirectly: a
/// loop ties them into one unit that can be neither understood nor changed
/// alone. An import between two modules counts between their ancestors
/// that share a folder (`ide::terms::spelling` using `ide::hover` is
/// `ide::terms` → `ide::hover`); test code does not count.
#[test]
fn no_module_imports_loop() {
    use std::collections::{BTreeMap, BTreeSet};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    // Every module of the crate, with its code, so paths resolve anywhere.
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for f in files("src") {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        modules.insert(module_of(&src, &f), code_before_tests(&text));
    }
    // Edges between siblings, each with the first place that makes it.
    let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
    for dir in LOOP_FREE {
        for f in files(&format!("src/{dir}")) {
            let from = module_of(&src, &f);
            let code = &modules[&from];
            for (at, path) in crate_paths(code) {
                // A `mod.rs` is its folder's module: `super` there is the
                // folder's parent, as it is for a file.
                let to = resolve(&from, &path, &modules, 0);
                let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                if shared == from.len() || shared == to.len() {
                    continue;
                }
                let line = code[..at].lines().count().max(1);
                let rel = f.strip_prefix(root).unwrap_or(&f);
                edges
                    .entry(from[..=shared].to_vec())
                    .or_default()
                    .entry(to[..=shared].to_vec())
                    .or_insert_with(|| format!("{}:{line}: {}", rel.display(), path.join("::")));
            }
        }
    }
    // Depth-first search; a module met again on the current path closes a loop.
    fn visit(
        m: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>>,
        done: &mut BTreeSet<Vec<String>>,
        path: &mut Vec<Vec<String>>,
        loops: &mut Vec<String>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = path.iter().position(|p| p == m) {
            let ring: Vec<&Vec<String>> = path[at..].iter().chain([m]).collect();
            let names: Vec<String> = ring.iter().map(|p| p.join("::")).collect();
            let why: Vec<String> = ring
                .windows(2)
                .map(|w| format!("    {}", edges[w[0]][w[1]]))
                .collect();
            loops.push(format!("{}\n{}", names.join(" -> "), why.join("\n")));
            return;
        }
        path.push(m.clone());
        for next in edges.get(m).into_iter().flat_map(BTreeMap::keys) {
            visit(next, edges, done, path, loops);
        }
        path.pop();
        done.insert(m.clone());
    }
    let mut done = BTreeSet::new();
    let mut loops = Vec::new();
    for m in edges.keys() {
        visit(m, &edges, &mut done, &mut Vec::new(), &mut loops);
    }
    assert!(
        loops.is_empty(),
        "modules that import each other (break the loop: pass what is needed in, or move \
         the shared part below both):\n{}",
        loops.join("\n")
    );
}
