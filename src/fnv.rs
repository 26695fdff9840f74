//! FNV-1a, 64 bits: the one hash of the crate.
//!
//! In: bytes. Out: a `u64` that is the same on every platform and in every
//! release — hashed feature columns (and so every model file), the
//! fingerprints in evaluation reports and the dev/held-out split of the
//! language test set depend on it, so the function must never change.
//! [`Fnv1a`] is also a [`std::hash::Hasher`] for small maps of short strings.

use std::hash::Hasher;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The running state of FNV-1a 64.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

impl Fnv1a {
    /// The empty hash (the offset basis).
    pub(crate) const fn new() -> Fnv1a {
        Fnv1a(OFFSET)
    }

    /// The hash of `bytes` appended.
    #[inline]
    pub(crate) const fn bytes(mut self, bytes: &[u8]) -> Fnv1a {
        let mut i = 0;
        while i < bytes.len() {
            self.0 = (self.0 ^ bytes[i] as u64).wrapping_mul(PRIME);
            i += 1;
        }
        self
    }

    /// The plain FNV-1a value.
    pub(crate) const fn get(self) -> u64 {
        self.0
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        *self = self.bytes(bytes);
    }
}

/// FNV-1a 64 of `bytes`.
#[cfg(any(feature = "cli", test))]
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    Fnv1a::new().bytes(bytes).get()
}

/// A fingerprint as reports print it: `fnv1a64:` and 16 hex digits.
#[cfg(feature = "cli")]
pub(crate) fn tag(hash: u64) -> String {
    format!("fnv1a64:{hash:016x}")
}

/// FNV-1a started with a namespace byte, finished with an avalanche so that
/// the low bits (the hashed feature columns) are well mixed.
#[derive(Clone, Copy)]
pub(crate) struct Keyed(Fnv1a);

impl Keyed {
    /// The hash of the namespace byte alone.
    pub(crate) const fn new(namespace: u8) -> Keyed {
        Keyed(Fnv1a::new().bytes(&[namespace]))
    }

    /// The hash of `bytes` appended.
    #[inline]
    pub(crate) fn bytes(self, bytes: &[u8]) -> Keyed {
        Keyed(self.0.bytes(bytes))
    }

    /// The mixed value.
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        let mut h = self.0.get();
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        let mut h = Fnv1a::default();
        h.write(b"foo");
        h.write(b"bar");
        assert_eq!(h.finish(), fnv1a64(b"foobar"));
    }

    /// The hashed feature columns of the shipped model depend on these.
    #[test]
    fn keyed_values_are_pinned() {
        fn old(namespace: u8, b: &[u8]) -> u64 {
            let mut h = (0xcbf29ce484222325u64 ^ namespace as u64).wrapping_mul(0x100000001b3);
            for &x in b {
                h = (h ^ x as u64).wrapping_mul(0x100000001b3);
            }
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51afd7ed558ccd);
            h ^= h >> 33;
            h
        }
        for (ns, text) in [(0, "word"), (9, "nav"), (50, "الرئيسية"), (41, "")] {
            assert_eq!(
                Keyed::new(ns).bytes(text.as_bytes()).finish(),
                old(ns, text.as_bytes())
            );
        }
    }
}
