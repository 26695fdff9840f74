//! Stage 2 — words: the block is cut into whitespace-separated chunks, URLs
//! and e-mail addresses are dropped, and each chunk into runs of one script.
//! Bidi controls and the BOM are transparent; harakat, tatweel and ZWNJ
//! continue an Arabic word; an apostrophe or hyphen between Latin letters
//! continues a Latin word; digits glued to letters in the Arabizi way
//! (`3amel`, `7abibi`) belong to the Latin word.
//!
//! In: a block's text. Out: [`Word`]s (byte ranges of the original text) in a
//! reusable buffer; nothing is allocated per word.

use super::lexicon::{lexicons, EN};
use super::script::{is_hebrew_mark, is_ignorable, script, Script};

/// A run of letters of one script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    /// `Arabic`, `Latin`, `Hebrew` or `OtherLetter`.
    pub script: Script,
    /// Letters (not marks, tatweel, ZWNJ or digits).
    pub letters: u16,
    /// Upper-case Latin letters, and whether the first letter is one.
    pub upper: u16,
    pub first_upper: bool,
    /// Arabizi digits are part of the word.
    pub arabizi: bool,
    /// The word starts right after a digit of its chunk (`12th`, `5G`).
    pub after_digit: bool,
    /// The word holds a ZWNJ (Persian `می‌شود`).
    pub zwnj: bool,
}

/// Latin abbreviations of units that are not words (`5 km`, `3 GB`).
const UNIT_SYMBOLS: &[&str] = &[
    "km", "kg", "cm", "mm", "ml", "mg", "kb", "mb", "gb", "tb", "hz", "khz", "mhz", "ghz", "kw",
    "mw", "kwh", "px", "pt",
];

impl Word {
    /// A whole word in the sense of `LABELS.md`: not a number, a unit, a
    /// roman numeral or a single letter.
    pub fn is_whole(&self, text: &str) -> bool {
        match self.script {
            // A CJK ideograph is a word on its own.
            Script::OtherLetter => self.letters >= 1,
            Script::Latin => {
                if self.arabizi {
                    return self.letters >= 2;
                }
                if self.letters < 2 || (self.after_digit && self.letters <= 3) {
                    return false;
                }
                let t = &text[self.start..self.end];
                if self.letters <= 3 && UNIT_SYMBOLS.iter().any(|u| t.eq_ignore_ascii_case(u)) {
                    return false;
                }
                !is_roman_numeral(t)
            }
            _ => self.letters >= 2,
        }
    }

    /// A one-letter word of Arabic or English (`و`, `I`, `a`): a word for
    /// the spans of a mixed block, though not for deciding that it is mixed.
    pub fn is_one_letter_word(&self, text: &str) -> bool {
        self.letters == 1 && matches!(&text[self.start..self.end], "و" | "I" | "a" | "A")
    }
}

/// `II`, `IV`, `XII` …: numbers, not words.
fn is_roman_numeral(t: &str) -> bool {
    t.len() >= 2 && t.len() <= 5 && t.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
}

/// Whether a chunk is a URL or an e-mail address.
pub(crate) fn is_url_or_email(chunk: &str) -> bool {
    let c = chunk.trim_matches(|c: char| !c.is_alphanumeric());
    if c.contains("://") || c.starts_with("www.") || c.starts_with("WWW.") {
        return true;
    }
    if let Some(at) = c.find('@') {
        return at > 0 && c[at + 1..].contains('.');
    }
    // A bare domain: ASCII labels joined by dots ending in a known TLD.
    if c.is_ascii() && c.contains('.') {
        let tld = c.rsplit('.').next().unwrap_or("");
        let first = c.split('.').next().unwrap_or("");
        let tld_ok = (2..=6).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic());
        let first_ok = first.len() >= 2
            && first
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let mut lower = [0u8; 6];
        for (d, s) in lower.iter_mut().zip(tld.bytes()) {
            *d = s.to_ascii_lowercase();
        }
        let known = matches!(
            &lower[..tld.len().min(6)],
            b"com"
                | b"net"
                | b"org"
                | b"info"
                | b"io"
                | b"co"
                | b"gov"
                | b"edu"
                | b"ae"
                | b"sa"
                | b"eg"
                | b"jo"
                | b"lb"
                | b"ma"
                | b"tn"
                | b"dz"
                | b"qa"
                | b"kw"
                | b"om"
                | b"bh"
                | b"iq"
                | b"sy"
                | b"ps"
                | b"ly"
                | b"sd"
                | b"ye"
                | b"uk"
                | b"us"
                | b"fr"
                | b"de"
                | b"me"
                | b"tv"
                | b"news"
                | b"app"
                | b"html"
                | b"htm"
                | b"php"
                | b"aspx"
                | b"pdf"
                | b"ir"
                | b"pk"
                | b"il"
                | b"tr"
        );
        return tld_ok && first_ok && known;
    }
    false
}

/// Digits glued to Latin letters the Arabizi way (`3amel`, `sa7`, `la2`),
/// not ordinals, times or units (`2nd`, `5km`, `10am`, `7:29am`, `3.5mm`).
fn is_arabizi_chunk(chunk: &str) -> bool {
    chunk
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| is_arabizi_part(part.as_bytes()))
}

/// [`is_arabizi_chunk`] for one run of ASCII letters and digits.
fn is_arabizi_part(b: &[u8]) -> bool {
    if !b.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    // Codes and product names (`XM2we`, `wT9wQ7`, `3cb9615`): capitals
    // inside the word, or as many digits as letters.
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    if b.iter().skip(1).any(u8::is_ascii_uppercase) || 2 * digits >= b.len() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let last_digit = b[i - 1];
        let from = i;
        while i < b.len() && b[i].is_ascii_lowercase() {
            i += 1;
        }
        let letters = &b[from..i];
        let Some(&first) = letters.first() else {
            continue;
        };
        // A number and its unit (`5km`, `308ms`, `MORE59m`) is no Arabizi.
        let unit = std::str::from_utf8(letters)
            .unwrap_or("")
            .to_ascii_lowercase();
        // Nor a number glued to an English word (`5star`, `3items`).
        if is_unit(&unit) || (unit.len() >= 4 && lexicons().latin_key(unit.as_bytes()) & EN != 0) {
            continue;
        }
        if matches!(last_digit, b'2' | b'3' | b'5' | b'6' | b'7' | b'8' | b'9')
            && first.is_ascii_lowercase()
        {
            return true;
        }
    }
    // A short word ending in a digit after a vowel (`sa7`, `la2`, `mni7`);
    // not `mp3`, `func3`, `button2`.
    let stem = &b[..b.len() - 1];
    (3..=5).contains(&b.len())
        && matches!(b[b.len() - 1], b'3' | b'7' | b'9' | b'2')
        && stem.iter().all(u8::is_ascii_lowercase)
        && matches!(stem[stem.len() - 1], b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Suffixes of numbers that are ordinals, times, sizes or units, not Arabizi
/// letters (`2nd`, `10am`, `5km`, `308ms`, `3xl`).
fn is_unit(tail: &str) -> bool {
    matches!(
        tail,
        "st" | "nd"
            | "rd"
            | "th"
            | "am"
            | "pm"
            | "k"
            | "m"
            | "g"
            | "h"
            | "s"
            | "x"
            | "d"
            | "p"
            | "w"
            | "v"
            | "l"
            | "t"
            | "y"
            | "c"
            | "f"
            | "km"
            | "kg"
            | "cm"
            | "mm"
            | "ml"
            | "mg"
            | "gb"
            | "mb"
            | "kb"
            | "tb"
            | "hz"
            | "khz"
            | "mhz"
            | "ghz"
            | "px"
            | "min"
            | "mins"
            | "hr"
            | "hrs"
            | "yo"
            | "ms"
            | "mo"
            | "mos"
            | "wk"
            | "wks"
            | "yr"
            | "yrs"
            | "sec"
            | "secs"
            | "xs"
            | "xl"
            | "xxl"
            | "xxxl"
            | "ft"
            | "in"
            | "lb"
            | "lbs"
            | "oz"
            | "fps"
            | "mph"
            | "kph"
            | "kw"
            | "kwh"
            | "mah"
            | "mp"
            | "mbps"
            | "gbps"
            | "hp"
            | "pcs"
            | "pc"
            | "gr"
            | "nm"
    )
}

#[inline]
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

/// Cut `text` into words, into `out` (cleared first).
pub(crate) fn words(text: &str, out: &mut Vec<Word>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip spaces.
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().expect("char boundary");
            if is_space(c) {
                i += c.len_utf8();
                continue;
            }
        }
        // A chunk runs to the next space; note on the way the ASCII bytes
        // that the URL and Arabizi tests look for.
        let s = i;
        let mut seen = Seen::default();
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_whitespace() {
                    break;
                }
                seen.url_mark |= matches!(b, b'.' | b'@' | b':');
                seen.digit |= b.is_ascii_digit();
                seen.lower |= b.is_ascii_lowercase();
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                if is_space(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        chunk_words(text, s, i, seen, out);
    }
}

/// Which of the bytes the URL and Arabizi tests need a chunk holds.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    /// `.`, `@` or `:`.
    url_mark: bool,
    digit: bool,
    lower: bool,
}

fn chunk_words(text: &str, s: usize, e: usize, seen: Seen, out: &mut Vec<Word>) {
    let chunk = &text[s..e];
    if chunk.len() > 3 && seen.url_mark && is_url_or_email(chunk) {
        return;
    }
    let arabizi = seen.digit && seen.lower && is_arabizi_chunk(chunk);
    let mut cur: Option<Word> = None;
    let mut prev_digit = false;
    let mut iter = chunk.char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        // Every ignorable character is at or above U+00AD.
        if c >= '\u{00AD}' && is_ignorable(c) {
            continue;
        }
        let pos = s + off;
        let sc = script(c);
        let cur_script = cur.as_ref().map(|w| w.script);
        let continues = match (cur_script, sc) {
            (Some(Script::Arabic), Script::Arabic | Script::ArabicJoiner) => true,
            (Some(Script::Latin), Script::Latin) => true,
            (Some(Script::Latin), Script::Digit) => arabizi,
            (Some(Script::Hebrew), Script::Hebrew) => true,
            (Some(Script::OtherLetter), Script::OtherLetter | Script::ArabicJoiner) => true,
            (Some(Script::Latin), Script::Other) if matches!(c, '\'' | '\u{2019}' | '-') => {
                // An apostrophe or hyphen between Latin letters keeps the word whole.
                let next_latin = iter
                    .peek()
                    .is_some_and(|&(_, n)| script(n) == Script::Latin);
                if next_latin {
                    let w = cur.as_mut().expect("current word");
                    w.end = pos + c.len_utf8();
                    continue;
                }
                false
            }
            _ => false,
        };
        if continues {
            let w = cur.as_mut().expect("current word");
            w.end = pos + c.len_utf8();
            match sc {
                Script::ArabicJoiner => w.zwnj |= c == '\u{200C}',
                Script::Digit => {}
                Script::Latin => {
                    w.letters = w.letters.saturating_add(1);
                    w.upper = w.upper.saturating_add(u16::from(c.is_uppercase()));
                }
                Script::Hebrew => {
                    w.letters = w.letters.saturating_add(u16::from(!is_hebrew_mark(c)))
                }
                _ => w.letters = w.letters.saturating_add(1),
            }
            prev_digit = sc == Script::Digit;
            continue;
        }
        if let Some(w) = cur.take() {
            out.push(w);
        }
        let starts = match sc {
            Script::Arabic | Script::Latin | Script::Hebrew | Script::OtherLetter => Some(sc),
            Script::Digit if arabizi => Some(Script::Latin),
            _ => None,
        };
        if let Some(script) = starts {
            let upper = sc == Script::Latin && c.is_uppercase();
            let letter = match sc {
                Script::Digit => false,
                Script::Hebrew => !is_hebrew_mark(c),
                _ => true,
            };
            cur = Some(Word {
                start: pos,
                end: pos + c.len_utf8(),
                script,
                letters: u16::from(letter),
                upper: u16::from(upper),
                first_upper: upper,
                arabizi: arabizi && script == Script::Latin,
                after_digit: prev_digit,
                zwnj: false,
            });
        }
        prev_digit = sc == Script::Digit;
    }
    if let Some(w) = cur.take() {
        out.push(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(t: &str) -> Vec<(&str, bool)> {
        let mut v = Vec::new();
        words(t, &mut v);
        v.iter()
            .map(|w| (&t[w.start..w.end], w.is_whole(t)))
            .collect()
    }

    #[test]
    fn chunks_scripts_and_joiners() {
        assert_eq!(
            cut("الـمـزيـد Home"),
            vec![("الـمـزيـد", true), ("Home", true)]
        );
        assert_eq!(cut("\u{200F}عاجل\u{200F}"), vec![("عاجل", true)]);
        assert_eq!(
            cut("don't Saint-Germain"),
            vec![("don't", true), ("Saint-Germain", true)]
        );
        assert_eq!(
            cut("3amel la2 12th 5G"),
            vec![("3amel", true), ("la2", true), ("th", false), ("G", false)]
        );
        assert_eq!(cut("فيتامين C"), vec![("فيتامين", true), ("C", false)]);
        assert_eq!(
            cut("info@example.com www.x.com 5 km II"),
            vec![("km", false), ("II", false)]
        );
        assert_eq!(cut("می\u{200C}شود"), vec![("می\u{200C}شود", true)]);
        assert_eq!(cut("OPEC+ C++"), vec![("OPEC", true), ("C", false)]);
    }

    #[test]
    fn arabizi_spellings_not_units_or_codes() {
        for w in [
            "3amel",
            "la2",
            "sa7e7",
            "m3allem",
            "el7amdulillah",
            "7abibi",
            "mni7",
            "3ala",
        ] {
            assert!(is_arabizi_chunk(w), "{w}");
        }
        for w in [
            "308ms",
            "2mo",
            "3xl",
            "3x/day",
            "7:29am",
            "3.5mm",
            "MORE59m",
            "22mR",
            "5ft4-5ft7",
            "58gr",
            "5star",
            "3items",
            "3form",
            "XM2we",
            "wT9wQ7",
            "3cb9615",
            "mp3",
            "func3",
            "button2",
            "llama3",
            "2nd",
            "10am",
        ] {
            assert!(!is_arabizi_chunk(w), "{w}");
        }
    }
}
