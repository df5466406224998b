//! One entry's outline symbols in a compact form, and their JSON.
//!
//! `documentSymbol` on a large file answers with megabytes of JSON, rebuilt
//! after every edit, so the converted symbols of untouched entries are kept
//! (`entry_json`). Kept as JSON they took more than three times the file:
//! most of each symbol's JSON is the same keys, and most names are text the
//! document already holds. So a [`SymbolJson`] keeps only numbers (varints,
//! lines relative to the entry's first line) and, for a name that is the
//! entry's own text with nothing to escape, where it is (sizes in
//! docs/performance.md). The JSON is written from it on the way out,
//! and its exact length is known without writing it, which lets the answer
//! be streamed to stdout instead of built whole (`rpc::ReplyStream`),
//! which [`EntryJson::write_symbols`] does.

use super::sink::{digits, range, Bytes, Count, Sink};
use super::{relative_range, EntryJson, Slot, Source};
use crate::ide;
use crate::lsp::position::{Encoding, Positions};
use crate::lsp::to_proto;
use crate::rpc::Parts;
use std::sync::Arc;

use tower_lsp::lsp_types as lsp;

use crate::ide::OutlineItem;

/// The symbols of one entry, with what their JSON needs: one allocation,
/// shared by the copies of a document's cache. It starts with three
/// numbers: the JSON's length without the digits of its line numbers, how
/// many line numbers it holds, and the largest of them (relative to the
/// entry's first line); the symbol tree follows ([`SymbolJson::new`]).
#[derive(Debug, Clone)]
pub struct SymbolJson(Arc<[u8]>);

const NAME_IN_TEXT: u8 = 1;
const HAS_DETAIL: u8 = 2;

impl SymbolJson {
    /// Encodes `symbol` (converted from `item`, with line numbers relative to
    /// the entry's first line), for an entry that starts at `entry_start` in
    /// `text`.
    ///
    /// Each symbol is: a flags byte, its kind, the eight numbers of its range
    /// and selection range, its name (an offset from the entry's start and a
    /// length when it is the entry's text as it stands, else its escaped
    /// bytes), its detail's escaped bytes, and its children, counted.
    pub fn new(
        symbol: &lsp::DocumentSymbol,
        item: &OutlineItem,
        text: &str,
        entry_start: usize,
    ) -> SymbolJson {
        let mut tree = Vec::with_capacity(32);
        let mut max_line = 0;
        encode(
            symbol,
            Some(item),
            text,
            entry_start,
            &mut tree,
            &mut max_line,
        );
        let mut count = Count {
            len: 0,
            lines: 0,
            line_digits: false,
        };
        Reader { data: &tree, at: 0 }.symbol(&[], 0, &mut count);
        let mut data = Vec::with_capacity(tree.len() + 12);
        put(&mut data, count.len as u32);
        put(&mut data, count.lines);
        put(&mut data, max_line);
        data.extend_from_slice(&tree);
        SymbolJson(data.into())
    }

    /// The header's numbers, and a reader at the tree.
    fn open(&self) -> ([u32; 3], Reader<'_>) {
        let mut reader = Reader {
            data: &self.0,
            at: 0,
        };
        let header = [reader.number(), reader.number(), reader.number()];
        (header, reader)
    }

    /// The length of the JSON [`SymbolJson::write`] gives for `base`.
    pub fn json_len(&self, base: u32) -> usize {
        let ([fixed_len, lines, max_line], mut reader) = self.open();
        let width = digits(base);
        if digits(base.saturating_add(max_line)) == width {
            return fixed_len as usize + lines as usize * width;
        }
        // The entry's lines cross a power of ten: rare, and counted exactly.
        let mut count = Count {
            len: 0,
            lines: 0,
            line_digits: true,
        };
        reader.symbol(&[], base, &mut count);
        count.len
    }

    /// Appends the JSON of the entry's symbol, its first line being `base`,
    /// for the entry that starts at `entry_start` in `text`.
    pub fn write(&self, text: &str, entry_start: usize, base: u32, out: &mut Vec<u8>) {
        let text = text.as_bytes().get(entry_start..).unwrap_or_default();
        self.open().1.symbol(text, base, &mut Bytes(out));
    }
}

fn encode(
    s: &lsp::DocumentSymbol,
    item: Option<&OutlineItem>,
    text: &str,
    entry_start: usize,
    data: &mut Vec<u8>,
    max_line: &mut u32,
) {
    // The name is the entry's text when it is the selection's text, verbatim,
    // with nothing JSON would escape.
    let in_text = item.and_then(|it| {
        let span = it.selection;
        let slice = text.get(span.start()..span.end())?;
        let plain = slice == s.name && !s.name.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
        (plain && span.start() >= entry_start).then_some(span.start() - entry_start)
    });
    let mut flags = 0;
    if in_text.is_some() {
        flags |= NAME_IN_TEXT;
    }
    if s.detail.is_some() {
        flags |= HAS_DETAIL;
    }
    data.push(flags);
    // A kind is a small positive number; anything else is written as 0.
    put(data, u32::try_from(kind_number(s.kind)).unwrap_or(0));
    for r in [s.range, s.selection_range] {
        for p in [r.start, r.end] {
            *max_line = (*max_line).max(p.line);
            put(data, p.line);
            put(data, p.character);
        }
    }
    match in_text {
        Some(offset) => {
            put(data, offset as u32);
            put(data, s.name.len() as u32);
        }
        None => put_escaped(data, &s.name),
    }
    if let Some(detail) = &s.detail {
        put_escaped(data, detail);
    }
    let children = s.children.as_deref().unwrap_or_default();
    put(data, children.len() as u32);
    let items = item.map(|it| &it.children[..]).unwrap_or_default();
    for (i, c) in children.iter().enumerate() {
        encode(c, items.get(i), text, entry_start, data, max_line);
    }
}

fn kind_number(kind: lsp::SymbolKind) -> i64 {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_i64())
        .unwrap_or(0)
}

/// Appends `n` as a LEB128 varint.
fn put(data: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        data.push((n as u8) | 0x80);
        n >>= 7;
    }
    data.push(n as u8);
}

/// Appends `s` as JSON string content (no quotes), with its length first.
fn put_escaped(data: &mut Vec<u8>, s: &str) {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    let inner = json
        .as_bytes()
        .get(1..json.len().saturating_sub(1))
        .unwrap_or_default();
    put(data, inner.len() as u32);
    data.extend_from_slice(inner);
}

/// Decodes what [`encode`] wrote. A malformed piece (which nothing makes)
/// reads as zeros and empty names rather than panicking.
struct Reader<'d> {
    data: &'d [u8],
    at: usize,
}

impl<'d> Reader<'d> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn number(&mut self) -> u32 {
        let (mut n, mut shift) = (0u32, 0);
        loop {
            let b = self.byte();
            n |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 || shift > 28 {
                return n;
            }
            shift += 7;
        }
    }

    fn slice(&mut self, len: usize) -> &'d [u8] {
        let s = self.data.get(self.at..self.at + len).unwrap_or_default();
        self.at += len;
        s
    }

    /// Writes one symbol and its children. `text` is the document from the
    /// entry's start (empty when only counting).
    fn symbol(&mut self, text: &[u8], base: u32, out: &mut impl Sink) {
        let flags = self.byte();
        let kind = self.number();
        let mut ranges = [[0u32; 4]; 2];
        for n in ranges.iter_mut().flatten() {
            *n = self.number();
        }
        out.bytes(b"{\"name\":\"");
        if flags & NAME_IN_TEXT != 0 {
            let (offset, len) = (self.number() as usize, self.number() as usize);
            out.name_in_text(text, offset, len);
        } else {
            let len = self.number() as usize;
            out.bytes(self.slice(len));
        }
        out.bytes(b"\"");
        if flags & HAS_DETAIL != 0 {
            out.bytes(b",\"detail\":\"");
            let len = self.number() as usize;
            out.bytes(self.slice(len));
            out.bytes(b"\"");
        }
        out.bytes(b",\"kind\":");
        out.number(kind);
        out.bytes(b",\"range\":");
        range(ranges[0], base, out);
        out.bytes(b",\"selectionRange\":");
        range(ranges[1], base, out);
        let children = self.number();
        if children > 0 {
            out.bytes(b",\"children\":[");
            for i in 0..children {
                if i > 0 {
                    out.bytes(b",");
                }
                self.symbol(text, base, out);
            }
            out.bytes(b"]");
        }
        out.bytes(b"}");
    }
}

impl EntryJson {
    /// Writes the JSON array of `doc`'s outline, as `to_proto::symbols`
    /// gives it, into `out`: its length first, then the array in parts.
    pub fn write_symbols(&self, doc: Source<'_>, encoding: Encoding, out: &mut impl Parts) {
        let (text, notes) = (doc.text, doc.notes);
        let mut cache = self.lock();
        let (bases, pos) = entry_positions(doc, encoding);
        cache.symbols.check(encoding, notes.entries.len());
        // The pieces missing, then the length of the whole.
        let (mut len, mut items) = (2, 0usize);
        for (i, e) in notes.entries.iter().enumerate() {
            let base = bases[i];
            let slot = &mut cache.symbols.items[i];
            if let Slot::Unknown = slot {
                let item = ide::outline_entry(text, e);
                let piece = to_proto::symbols(&pos, vec![item.clone()])
                    .pop()
                    .map(|mut s| {
                        relative_symbol(&mut s, base);
                        SymbolJson::new(&s, &item, text, e.range.start())
                    });
                *slot = piece.map_or(Slot::Empty, Slot::Full);
            }
            if let Slot::Full(piece) = slot {
                len += piece.json_len(base);
                items += 1;
            }
        }
        out.start(len + items.saturating_sub(1));
        out.buf().push(b'[');
        let mut first = true;
        for (i, e) in notes.entries.iter().enumerate() {
            if let Slot::Full(piece) = &cache.symbols.items[i] {
                let buf = out.buf();
                if !first {
                    buf.push(b',');
                }
                first = false;
                piece.write(text, e.range.start(), bases[i], buf);
                out.item_done();
            }
        }
        out.buf().push(b']');
    }
}

/// The line each entry starts on (entries in order: a step each), and
/// positions in the document.
fn entry_positions(doc: Source<'_>, encoding: Encoding) -> (Vec<u32>, Positions<'_>) {
    let pos = doc.positions(encoding);
    let bases = doc
        .notes
        .entries
        .iter()
        .map(|e| pos.line(e.range.start()) as u32)
        .collect();
    (bases, pos)
}

pub(super) fn relative_symbol(s: &mut lsp::DocumentSymbol, base: u32) {
    relative_range(&mut s.range, base);
    relative_range(&mut s.selection_range, base);
    for c in s.children.iter_mut().flatten() {
        relative_symbol(c, base);
    }
}
