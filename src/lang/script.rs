//! Stage 1 — normalisation by character: the script of every character, by
//! our own Unicode ranges (not whatlang's, whose Arabic range takes in Thaana,
//! NKo and the BOM and whose Latin range takes in NBSP and ©), and the
//! characters that are transparent to words (bidi controls, BOM, soft hyphen).
//!
//! In: one `char`. Out: a [`Script`], or whether the character is ignorable.

/// Script of a character, by our own ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic-script letter (Arabic, Persian, Urdu … share it).
    Arabic,
    /// Arabic-script mark, tatweel or ZWNJ: continues an Arabic word, is not a letter.
    ArabicJoiner,
    Latin,
    Hebrew,
    /// A letter of any other script.
    OtherLetter,
    /// Western, Arabic-Indic or Persian digits.
    Digit,
    /// Everything else: spaces, punctuation, symbols, controls.
    Other,
}

/// The script of `c`.
#[inline]
pub fn script(c: char) -> Script {
    let u = c as u32;
    if u < 0x80 {
        return match c {
            'a'..='z' | 'A'..='Z' => Script::Latin,
            '0'..='9' => Script::Digit,
            _ => Script::Other,
        };
    }
    if (0x0621..=0x064A).contains(&u) && u != 0x0640 {
        return Script::Arabic;
    }
    script_slow(c)
}

fn script_slow(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => Script::Digit,
        _ if (c as u32) < 0xC0 => Script::Other,
        '\u{00D7}' | '\u{00F7}' => Script::Other,
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Script::Latin,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0640}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08CA}'..='\u{08FF}' => Script::ArabicJoiner,
        '\u{200C}' | '\u{200D}' => Script::ArabicJoiner,
        '\u{0620}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FDFB}'
        | '\u{FE70}'..='\u{FEFC}' => Script::Arabic,
        '\u{05D0}'..='\u{05EA}' | '\u{05EF}'..='\u{05F2}' | '\u{FB1D}'..='\u{FB4F}' => {
            Script::Hebrew
        }
        '\u{0591}'..='\u{05C7}' => Script::Hebrew,
        _ if c.is_alphabetic() => Script::OtherLetter,
        _ => Script::Other,
    }
}

/// Characters that neither make nor break a word: bidi controls (U+200E/F,
/// U+061C, U+202A–202E, U+2066–2069), the BOM, soft hyphen, word joiner.
#[inline]
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{2060}'
    )
}

/// Hebrew points and cantillation marks: Hebrew, but not letters.
#[inline]
pub(crate) fn is_hebrew_mark(c: char) -> bool {
    matches!(c, '\u{0591}'..='\u{05C7}')
}

/// Arabic presentation forms, which NFKC folds to base letters.
#[inline]
pub(crate) fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}
