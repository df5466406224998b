//! Parts that are only counted and hashed: the first pass of a streamed
//! report or publication, whose length goes before it.

use std::hash::Hasher;

use crate::rpc::Parts;

/// Parts counted (and hashed) as they would be sent, and dropped.
pub struct Measure {
    buf: Vec<u8>,
    len: usize,
    hash: crate::ide::FastHasher,
    /// Counts without hashing, for a caller that needs no digest.
    count_only: bool,
}

impl Default for Measure {
    fn default() -> Self {
        Measure {
            buf: Vec::new(),
            len: 0,
            hash: crate::ide::fast_hasher(),
            count_only: false,
        }
    }
}

impl Measure {
    /// Counts the bytes without hashing them: a digest of 0.
    pub fn counting() -> Self {
        Measure {
            count_only: true,
            ..Measure::default()
        }
    }

    /// The bytes counted.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The hash of the bytes counted.
    pub fn hash(&self) -> u64 {
        self.hash.finish()
    }

    /// Their hash, never 0 (which says "not yet known"), unless only
    /// counted.
    pub fn digest(&self) -> u64 {
        match self.count_only {
            true => 0,
            false => self.hash().max(1),
        }
    }
}

impl Parts for Measure {
    fn start(&mut self, _len: usize) {}

    fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn item_done(&mut self) {
        // Counted as it will be sent: in the client's spellings of URIs
        // (an item holds its URIs whole, and parts end between items).
        let part = super::respell::respelled(std::mem::take(&mut self.buf));
        if !self.count_only {
            self.hash.write(&part);
        }
        self.len += part.len();
        self.buf = part;
        self.buf.clear();
    }
}
