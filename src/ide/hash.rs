//! A fast, non-cryptographic hasher for maps keyed by our own strings
//! (question keys, term keys): the multiply-rotate hash of rustc's FxHash.
//!
//! The standard SipHash resists hash flooding, which matters for keys an
//! attacker chooses; here keys come from the user's own notes, and hashing
//! them is on the path of every keystroke, so speed wins.

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap<K, V, FxBuildHasher>` hashes with [`FxHasher`].
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

#[derive(Debug, Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// Mixed so that every bit of the result depends on every bit of the
    /// input: the multiply alone carries a byte's bits upward only, and the
    /// table takes its bucket from the low bits, so keys that differed only
    /// in the high bytes of an 8-byte chunk (`w0000001…`, `w0000002…`) all
    /// fell in one bucket: a 400,000-word glossary of such names took ten
    /// times as long to load.
    fn finish(&self) -> u64 {
        fmix64(self.hash)
    }
}

/// MurmurHash3's finaliser: a bijection that spreads every input bit over
/// the whole result.
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use std::hash::BuildHasher;

    use super::FxBuildHasher;

    #[test]
    fn works_as_a_map_hasher() {
        let mut m: HashMap<String, usize, FxBuildHasher> = HashMap::default();
        for i in 0..1000 {
            m.insert(format!("question {i}"), i);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get("question 999"), Some(&999));
        assert_eq!(m.get("question 1000"), None);
    }

    /// Words that differ only in the high bytes of their first 8-byte chunk
    /// must not share their low bits, which pick a table's bucket.
    #[test]
    fn keys_differing_in_high_bytes_spread_over_buckets() {
        let build = FxBuildHasher::default();
        let buckets: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| build.hash_one(format!("w{i:07}")) & 0xffff)
            .collect();
        // Random hashes would fill about 9,300 of 65,536; unmixed, one.
        assert!(buckets.len() > 8_000, "{} buckets", buckets.len());
    }
}
