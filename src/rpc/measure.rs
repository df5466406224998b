//! Parts that are only counted and hashed: the first pass of a message
//! streamed in parts ([`ReplyStream`](super::ReplyStream)), whose length
//! goes before it.

use std::hash::Hasher;

use super::{Output, Parts};

/// Parts counted (and hashed) as a rewriting `ReplyStream` of the same
/// output sends them, and dropped.
pub struct Measure {
    buf: Vec<u8>,
    len: usize,
    hash: crate::ide::FastHasher,
    /// Counts without hashing, for a caller that needs no digest.
    count_only: bool,
    output: Output,
}

impl Measure {
    /// Counts and hashes the bytes as `output` would send them.
    pub fn new(output: &Output) -> Self {
        Measure {
            buf: Vec::new(),
            len: 0,
            hash: crate::ide::fast_hasher(),
            count_only: false,
            output: output.clone(),
        }
    }

    /// Counts the bytes without hashing them: a digest of 0.
    pub fn counting(output: &Output) -> Self {
        Measure {
            count_only: true,
            ..Measure::new(output)
        }
    }

    /// The bytes counted.
    pub fn counted(&self) -> usize {
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
        // Counted as it will be sent: through the output's rewrite, which
        // takes parts that end between items.
        let part = self.output.rewritten(std::mem::take(&mut self.buf));
        if !self.count_only {
            self.hash.write(&part);
        }
        self.len += part.len();
        self.buf = part;
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doubled(body: Vec<u8>) -> Vec<u8> {
        body.repeat(2)
    }

    fn measured(m: &mut Measure, items: &[&str]) {
        for item in items {
            m.buf().extend_from_slice(item.as_bytes());
            m.item_done();
        }
    }

    #[test]
    fn counts_the_parts_as_the_output_rewrites_them() {
        let output = Output::start(std::io::sink(), doubled);
        let mut m = Measure::new(&output);
        measured(&mut m, &["abc", "de"]);
        assert_eq!(m.counted(), 10);
        assert_ne!(m.digest(), 0);

        let mut other = Measure::new(&output);
        measured(&mut other, &["abc", "dd"]);
        assert_ne!(other.digest(), m.digest());

        let mut counted = Measure::counting(&output);
        measured(&mut counted, &["abc", "de"]);
        assert_eq!((counted.counted(), counted.digest()), (10, 0));
    }
}
