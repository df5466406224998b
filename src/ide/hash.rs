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

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

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
}
