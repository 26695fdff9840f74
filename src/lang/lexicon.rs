//! Stage 3 — lexicons: embedded word lists (`src/lang/lexicon/*.txt`) of
//! English and other Latin-script languages, of Arabizi, and of Arabic,
//! Persian, Urdu, Central Kurdish and Pashto, each word mapped to the set of
//! languages that list it. Keys are folded the same way at load and at
//! lookup, into a stack buffer: Latin lower-cased (’ → '); Arabic script
//! without harakat, tatweel, ZWNJ and bidi controls, alef with hamza or madda
//! → ا, presentation forms through NFKC.
//!
//! In: a word's text. Out: a bit set of languages (0 when unknown).

use super::script::{is_ignorable, is_presentation_form, script, Script};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Latin-script languages of the lexicons, by bit: ISO 639-1 codes, and
/// `arabizi` for Arabic in Latin letters.
pub(crate) const LATIN_LANGS: [&str; 11] = [
    "en", "fr", "es", "de", "it", "pt", "tr", "id", "ms", "nl", "arabizi",
];
pub(crate) const EN: u16 = 1;
pub(crate) const ARABIZI: u16 = 1 << 10;

/// Arabic-script languages of the lexicons, by bit.
pub(crate) const ARABIC_LANGS: [&str; 5] = ["ar", "fa", "ur", "ku", "ps"];
pub(crate) const AR: u8 = 1;

const LATIN_DATA: [&str; 11] = [
    concat!(
        include_str!("lexicon/en_scowl.txt"),
        "\n",
        include_str!("lexicon/en_web.txt")
    ),
    include_str!("lexicon/fr.txt"),
    include_str!("lexicon/es.txt"),
    include_str!("lexicon/de.txt"),
    include_str!("lexicon/it.txt"),
    include_str!("lexicon/pt.txt"),
    include_str!("lexicon/tr.txt"),
    include_str!("lexicon/id.txt"),
    include_str!("lexicon/ms.txt"),
    include_str!("lexicon/nl.txt"),
    include_str!("lexicon/arabizi.txt"),
];

const ARABIC_DATA: [&str; 5] = [
    include_str!("lexicon/ar.txt"),
    include_str!("lexicon/fa.txt"),
    include_str!("lexicon/ur.txt"),
    include_str!("lexicon/ku.txt"),
    include_str!("lexicon/ps.txt"),
];

/// rustc's FxHash (the `rustc-hash` crate): fast on short keys, and the
/// keys are our own word lists. Only looked up, never iterated, so the hash
/// cannot change a result.
type FxMap<V> = HashMap<Box<[u8]>, V, rustc_hash::FxBuildHasher>;

/// A folded lookup key, built on the stack.
pub(crate) struct Key {
    buf: [u8; 64],
    len: usize,
}

impl Key {
    fn new() -> Key {
        Key {
            buf: [0; 64],
            len: 0,
        }
    }

    /// Append a char; `false` when the key is full.
    #[inline]
    fn push(&mut self, c: char) -> bool {
        let n = c.len_utf8();
        if self.len + n > self.buf.len() {
            return false;
        }
        c.encode_utf8(&mut self.buf[self.len..]);
        self.len += n;
        true
    }

    /// The key's UTF-8 bytes (whole chars only are pushed).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("whole chars were pushed")
    }

    /// The folded key of a Latin word; `None` when it is too long.
    pub fn latin(word: &str) -> Option<Key> {
        let mut k = Key::new();
        for c in word.chars() {
            let ok = match c {
                'A'..='Z' => k.push(c.to_ascii_lowercase()),
                '\u{2019}' | '\u{2018}' => k.push('\''),
                _ if c.is_ascii() => k.push(c),
                _ if is_ignorable(c) => true,
                _ => c.to_lowercase().all(|l| k.push(l)),
            };
            if !ok {
                return None;
            }
        }
        Some(k)
    }

    /// The folded key of an Arabic-script word (or `_`-joined phrase).
    pub fn arabic(word: &str) -> Option<Key> {
        let mut k = Key::new();
        if !push_arabic(&mut k, word) {
            return None;
        }
        Some(k)
    }

    /// The folded key of two Arabic-script words joined by `_`.
    pub fn arabic_pair(a: &str, b: &str) -> Option<Key> {
        let mut k = Key::new();
        if push_arabic(&mut k, a) && k.push('_') && push_arabic(&mut k, b) {
            Some(k)
        } else {
            None
        }
    }
}

#[inline]
fn fold_arabic(c: char) -> Option<char> {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => Some('ا'),
        _ if is_ignorable(c) || script(c) == Script::ArabicJoiner => None,
        _ => Some(c),
    }
}

fn push_arabic(k: &mut Key, word: &str) -> bool {
    for c in word.chars() {
        if is_presentation_form(c) {
            for d in std::iter::once(c).nfkc() {
                if let Some(f) = fold_arabic(d) {
                    if !k.push(f) {
                        return false;
                    }
                }
            }
        } else if let Some(f) = fold_arabic(c) {
            if !k.push(f) {
                return false;
            }
        }
    }
    true
}

/// Every embedded word list, indexed.
pub(crate) struct Lexicons {
    latin: FxMap<u16>,
    arabic: FxMap<u8>,
}

impl Lexicons {
    /// Languages (bits of [`LATIN_LANGS`]) listing a folded Latin key.
    #[inline]
    pub fn latin_key(&self, key: &[u8]) -> u16 {
        self.latin.get(key).copied().unwrap_or(0)
    }

    /// Languages (bits of [`ARABIC_LANGS`]) listing a folded Arabic-script key.
    #[inline]
    pub fn arabic_key(&self, key: &[u8]) -> u8 {
        self.arabic.get(key).copied().unwrap_or(0)
    }
}

fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
}

/// The lexicons, built once.
pub(crate) fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut latin: FxMap<u16> = FxMap::default();
        for (bit, data) in LATIN_DATA.iter().enumerate() {
            for w in entries(data) {
                if let Some(k) = Key::latin(w) {
                    *latin.entry(k.as_bytes().into()).or_default() |= 1 << bit;
                }
            }
        }
        let mut arabic: FxMap<u8> = FxMap::default();
        for (bit, data) in ARABIC_DATA.iter().enumerate() {
            for w in entries(data) {
                if let Some(k) = Key::arabic(w) {
                    *arabic.entry(k.as_bytes().into()).or_default() |= 1 << bit;
                }
            }
        }
        Lexicons { latin, arabic }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_marks_and_hamza() {
        assert_eq!(Key::latin("Don’t").unwrap().as_str(), "don't");
        assert_eq!(Key::latin("ÉTÉ").unwrap().as_str(), "été");
        assert_eq!(Key::arabic("أيضاً").unwrap().as_str(), "ايضا");
        assert_eq!(Key::arabic("الـمـزيـد").unwrap().as_str(), "المزيد");
        assert_eq!(Key::arabic("\u{FEFB}").unwrap().as_str(), "لا");
    }

    #[test]
    fn lookups() {
        let l = lexicons();
        assert_ne!(l.latin_key(b"home") & EN, 0);
        assert_eq!(l.latin_key(b"teilen") & EN, 0);
        assert_ne!(l.latin_key(b"teilen") & (1 << 3), 0);
        assert_ne!(
            l.arabic_key(Key::arabic("التالي").unwrap().as_bytes()) & AR,
            0
        );
        assert_eq!(l.arabic_key(Key::arabic("است").unwrap().as_bytes()), 1 << 1);
    }
}
