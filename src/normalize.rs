//! Normalisation of block text for features (the original text is kept for
//! output).
//!
//! In: a block's text. Out: folded text: Latin lower-cased; Arabic without
//! harakat, Quranic marks and tatweel; alef variants → ا, ى → ي, ة → ه, ؤ → و,
//! ئ → ي; presentation forms through NFKC; all digits (Western, Arabic-Indic,
//! Persian) → `0`; bidi controls, BOM and zero-width marks dropped.

use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Name of this normalisation, recorded in model files.
pub const NORMALIZATION: &str = "fold-v1";

/// Fold one character; `None` drops it.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => '0',
        _ if c.is_ascii() => c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => return None,
        '\u{FEFF}'
        | '\u{00AD}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        '\u{2019}' | '\u{2018}' => '\'',
        _ => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        }
    })
}

/// Code points below this are folded from a table filled once from
/// [`fold_char`] itself (Latin, Arabic and their supplements, general
/// punctuation), so the answers cannot differ; a test compares them all.
const TABLE_END: u32 = 0x3000;
/// Table entry of a dropped character.
const DROPPED: u16 = 0xFFFF;
/// Table entry of a character whose fold does not fit in 16 bits.
const ASK: u16 = 0xFFFE;

static FOLDED: LazyLock<Box<[u16]>> = LazyLock::new(|| {
    (0..TABLE_END)
        .map(|u| match char::from_u32(u).map(fold_char) {
            Some(Some(f)) if (f as u32) < u32::from(ASK) => f as u16,
            Some(None) => DROPPED,
            _ => ASK,
        })
        .collect()
});

/// Append the folded form of `text` to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    let table = &**FOLDED;
    out.reserve(text.len());
    for c in text.chars() {
        let u = c as u32;
        if u < 0x80 {
            out.push(match c {
                'A'..='Z' => c.to_ascii_lowercase(),
                '0'..='9' => '0',
                _ => c,
            });
        } else if u < TABLE_END {
            match table[u as usize] {
                DROPPED => {}
                ASK => out.extend(fold_char(c)),
                f => out.push(char::from_u32(u32::from(f)).expect("folded from a char")),
            }
        } else if matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}') {
            for d in std::iter::once(c).nfkc() {
                if let Some(f) = fold_char(d) {
                    out.push(f);
                }
            }
        } else if let Some(f) = fold_char(c) {
            out.push(f);
        }
    }
}

/// [`fold_into`] as first written, one character at a time: the reference
/// the table-driven version is tested against.
#[cfg(test)]
fn fold_into_slow(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}') {
            for d in std::iter::once(c).nfkc() {
                if let Some(f) = fold_char(d) {
                    out.push(f);
                }
            }
        } else if let Some(f) = fold_char(c) {
            out.push(f);
        }
    }
}

/// The folded form of `text`.
pub fn fold(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    fold_into(text, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_folding() {
        assert_eq!(fold("الأخبارُ العـــاجلة"), "الاخبار العاجله");
        assert_eq!(fold("إلى مستشفى"), "الي مستشفي");
        assert_eq!(fold("\u{200F}مسؤول\u{200F}"), "مسوول");
        assert_eq!(fold("\u{FEFB}"), "لا");
    }

    #[test]
    fn the_table_folds_every_code_point_as_fold_char_does() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_into(c.encode_utf8(&mut [0; 4]), &mut fast);
            fold_into_slow(c.encode_utf8(&mut [0; 4]), &mut slow);
            assert_eq!(fast, slow, "{c:?}");
        }
    }

    #[test]
    fn latin_and_digits() {
        assert_eq!(fold("Oil Prices ١٢ 2025"), "oil prices 00 0000");
        assert_eq!(fold("Équipe"), "équipe");
    }
}
