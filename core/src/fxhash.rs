//! The Firefox/rustc hash ("FxHash"): a rotate, a xor and a multiply per 8 bytes, much cheaper than the
//! standard library's SipHash for the short keys Kho hashes by the million (syllables, word ids). It
//! gives no protection against chosen collisions, so it is only used for keys taken from the archive and
//! for bounded tables, never for keys a request chooses freely.

use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hasher; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

/// Builds [`FxHasher`]s: `HashMap<K, V, FxBuildHasher>`.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
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

    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
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
    use super::*;
    use std::hash::{BuildHasher, Hash};

    #[test]
    fn equal_keys_hash_alike_and_different_keys_differ() {
        let build = FxBuildHasher::default();
        let hash = |key: &str| build.hash_one(key);
        assert_eq!(hash("nước"), hash("nước"));
        let keys = ["", "a", "nước", "nuoc", "nước thải", "12345678", "123456789"];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(hash(a), hash(b), "{a:?} and {b:?}");
            }
        }
        let mut hasher = FxHasher::default();
        (7u32, 9u64).hash(&mut hasher);
        assert_ne!(hasher.finish(), 0);
    }
}
