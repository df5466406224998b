//! The hasher of maps keyed by our own strings (question keys, term keys,
//! words) and of the server's own bytes (report ids, message digests):
//! foldhash's fast variant, with its fixed seed, so a hash is the same in
//! every run.
//!
//! The standard SipHash resists hash flooding, which matters for keys an
//! attacker chooses; here keys come from the user's own notes, and hashing
//! them is on the path of every keystroke, so speed wins.

use std::hash::{BuildHasher, Hasher};

/// `HashMap<K, V, FastBuildHasher>` hashes with [`FastHasher`].
pub type FastBuildHasher = foldhash::fast::FixedState;

/// The hasher of [`FastBuildHasher`].
pub type FastHasher = foldhash::fast::FoldHasher;

/// A hasher for bytes hashed by hand (a streamed report's id).
pub fn fast_hasher() -> FastHasher {
    FastBuildHasher::default().build_hasher()
}

/// The hash of `bytes` (a report's id, a message's digest).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = fast_hasher();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use std::hash::BuildHasher;

    use super::FastBuildHasher;

    #[test]
    fn works_as_a_map_hasher() {
        let mut m: HashMap<String, usize, FastBuildHasher> = HashMap::default();
        for i in 0..1000 {
            m.insert(format!("question {i}"), i);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get("question 999"), Some(&999));
        assert_eq!(m.get("question 1000"), None);
    }

    /// Words that differ only in the high bytes of their first 8-byte chunk
    /// must not share their low bits, which pick a table's bucket (a
    /// hand-written FxHash without a final mix put them all in one: a
    /// 400,000-word glossary of such names took ten times as long to load).
    #[test]
    fn keys_differing_in_high_bytes_spread_over_buckets() {
        let build = FastBuildHasher::default();
        let buckets: std::collections::HashSet<u64> = (0..10_000)
            .map(|i| build.hash_one(format!("w{i:07}")) & 0xffff)
            .collect();
        // Random hashes would fill about 9,300 of 65,536; unmixed, one.
        assert!(buckets.len() > 8_000, "{} buckets", buckets.len());
    }
}
