//! Character classes that the hot loops (segmenting, features) ask about for
//! every character, answered from a table.
//!
//! In: a `char`. Out: exactly what `char::is_alphanumeric` answers. For a character outside ASCII the standard
//! library searches a range table, and Arabic text asks it for every letter;
//! here code points below [`TABLE_END`] (Latin, Greek, Cyrillic, Hebrew,
//! Arabic and their supplements, general punctuation) are looked up in bit
//! tables filled once from the standard library itself, so the answers cannot
//! differ (a test compares all code points).

use std::sync::LazyLock;

/// Code points below this are tabulated; others ask the standard library.
pub const TABLE_END: u32 = 0x3000;

const WORDS: usize = TABLE_END as usize / 64;

struct Tables {
    alphanumeric: [u64; WORDS],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut t = Tables {
        alphanumeric: [0; WORDS],
    };
    for u in 0..TABLE_END {
        if let Some(c) = char::from_u32(u) {
            let (w, b) = ((u / 64) as usize, u % 64);
            t.alphanumeric[w] |= u64::from(c.is_alphanumeric()) << b;
        }
    }
    t
});

#[inline]
fn bit(table: &[u64; WORDS], u: u32) -> bool {
    (table[(u / 64) as usize] >> (u % 64)) & 1 != 0
}

/// `c.is_alphanumeric()`, faster outside ASCII.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        c.is_ascii_alphanumeric()
    } else if u < TABLE_END {
        bit(&TABLES.alphanumeric, u)
    } else {
        c.is_alphanumeric()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_standard_library_on_every_code_point() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
