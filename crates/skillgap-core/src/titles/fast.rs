//! A fast hash map for the index's small keys (term ids, short words): the standard SipHash
//! is made to resist flooding by untrusted keys, which the index's own vocabulary does not
//! need, and it was most of the index's build time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (as in rustc): a multiply and rotate per eight bytes.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u16(&mut self, i: u16) {
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
        self.0
    }
}

/// A hash map with the Fx hash.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[cfg(test)]
mod tests {
    use super::FastMap;

    #[test]
    fn works_as_a_map() {
        let mut m: FastMap<String, u32> = FastMap::default();
        for (i, w) in ["nurse", "nurses", "engineer", "a", ""].iter().enumerate() {
            m.insert((*w).to_owned(), i as u32);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.get("engineer"), Some(&2));
        assert_eq!(m.get(""), Some(&4));
        assert_eq!(m.get("nurs"), None);
    }
}
