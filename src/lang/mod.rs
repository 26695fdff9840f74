//! Language identification of one block: `ar`, `en`, `mixed`, `other` or
//! `none` (see `LABELS.md`), with an ISO 639 detail, a calibrated confidence,
//! the language spans of mixed blocks and the writing direction.
//!
//! In: a block's text. Out: [`LangInfo`].
//!
//! The stages, one module each:
//! 1. `script` — the script of each character by our own
//!    Unicode ranges; bidi controls and the BOM are ignorable;
//! 2. `words` — whitespace chunks without URLs and e-mail addresses, cut
//!    into runs of one script (harakat, tatweel and ZWNJ continue Arabic
//!    words; Arabizi digits continue Latin ones); numbers, units, roman
//!    numerals and single letters are not whole words;
//! 3. `lexicon` — embedded word lists, looked up with keys folded on the
//!    stack (no allocation per word);
//! 4. `arabic` and `latin` — the language of the block's Arabic-script and
//!    Latin-script words, each with an evidence level;
//! 5. this module combines them: no words → `none`; another script → `other`;
//!    an Arabic word and an English word (names and brands are English) →
//!    `mixed`, with spans; otherwise the verdict of the block's script;
//! 6. `calibration` — the confidence is the dev-half accuracy of the
//!    decision's path and evidence level.
//!
//! [`crate::eval::language`] measures all of it against `tests/data/lang/`.

mod arabic;
pub(crate) mod calibration;
mod latin;
mod lexicon;
mod script;
mod words;

pub use script::{script, Script};

use crate::label::{Dir, Lang};
#[cfg(feature = "cli")]
pub(crate) use words::is_url_or_email;
use words::Word;

/// Result of [`identify`].
#[derive(Debug, Clone, PartialEq)]
pub struct LangInfo {
    pub lang: Lang,
    /// ISO 639-1 code when known (`ar`, `en`, `fa`, `fr` …); `None` for `mixed` and `none`.
    pub detail: Option<&'static str>,
    /// Calibrated probability that `lang` is right.
    pub confidence: f32,
    /// For `mixed` blocks: maximal runs of each language, as byte ranges of the text.
    pub spans: Vec<Span>,
    /// Whole words by script, as counted for the decision.
    pub words: WordCounts,
    /// How the decision was reached, and on how much evidence.
    pub path: Path,
    pub evidence: Evidence,
}

/// A run of one language inside a mixed block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub lang: Lang,
}

/// Whole words of a block by script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCounts {
    pub arabic: u32,
    pub latin: u32,
    pub hebrew: u32,
    pub other: u32,
}

impl WordCounts {
    pub fn total(&self) -> u32 {
        self.arabic + self.latin + self.hebrew + self.other
    }
}

/// The rule that decided a block's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Path {
    /// No whole word: `none`.
    NoWords,
    /// Mostly words of a script other than Arabic and Latin: `other`.
    ForeignScript,
    /// Arabic-script words judged Arabic: `ar`.
    Arabic,
    /// Arabic-script words judged Persian, Urdu, Kurdish …: `other`.
    ArabicScriptOther,
    /// Latin words judged English: `en`.
    English,
    /// Latin words judged another language: `other`.
    LatinOther,
    /// Latin words judged Arabizi: `ar`.
    Arabizi,
    /// An Arabic word and an English word: `mixed`.
    Mixed,
    /// Arabic-script and Latin words that do not make a mixed block: the
    /// language of the majority.
    Majority,
}

impl Path {
    pub const ALL: [Path; 9] = [
        Path::NoWords,
        Path::ForeignScript,
        Path::Arabic,
        Path::ArabicScriptOther,
        Path::English,
        Path::LatinOther,
        Path::Arabizi,
        Path::Mixed,
        Path::Majority,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Path::NoWords => "no-words",
            Path::ForeignScript => "foreign-script",
            Path::Arabic => "arabic",
            Path::ArabicScriptOther => "arabic-script-other",
            Path::English => "english",
            Path::LatinOther => "latin-other",
            Path::Arabizi => "arabizi",
            Path::Mixed => "mixed",
            Path::Majority => "majority",
        }
    }
}

/// How much evidence a decision rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// A default: no word was known (names, brands) or no letter told.
    None,
    Weak,
    Moderate,
    Strong,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [
        Evidence::None,
        Evidence::Weak,
        Evidence::Moderate,
        Evidence::Strong,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::None => "none",
            Evidence::Weak => "weak",
            Evidence::Moderate => "moderate",
            Evidence::Strong => "strong",
        }
    }
}

/// ISO 639-1 code of a whatlang language, or its ISO 639-3 code when it has no
/// two-letter code.
fn iso639_1(l: whatlang::Lang) -> &'static str {
    use whatlang::Lang as W;
    match l {
        W::Eng => "en",
        W::Ara => "ar",
        W::Fra => "fr",
        W::Spa => "es",
        W::Deu => "de",
        W::Ita => "it",
        W::Por => "pt",
        W::Tur => "tr",
        W::Ind => "id",
        W::Nld => "nl",
        W::Pol => "pl",
        W::Ron => "ro",
        W::Swe => "sv",
        W::Dan => "da",
        W::Nob => "nb",
        W::Fin => "fi",
        W::Ces => "cs",
        W::Hun => "hu",
        W::Tgl => "tl",
        W::Vie => "vi",
        W::Aze => "az",
        W::Uzb => "uz",
        W::Pes => "fa",
        W::Urd => "ur",
        W::Heb => "he",
        W::Yid => "yi",
        W::Rus => "ru",
        W::Ukr => "uk",
        W::Bul => "bg",
        W::Bel => "be",
        W::Srp => "sr",
        W::Mkd => "mk",
        W::Ell => "el",
        W::Cmn => "zh",
        W::Jpn => "ja",
        W::Kor => "ko",
        W::Hin => "hi",
        W::Ben => "bn",
        W::Mar => "mr",
        W::Nep => "ne",
        W::Tam => "ta",
        W::Tel => "te",
        W::Kan => "kn",
        W::Mal => "ml",
        W::Guj => "gu",
        W::Pan => "pa",
        W::Ori => "or",
        W::Sin => "si",
        W::Tha => "th",
        W::Khm => "km",
        W::Mya => "my",
        W::Kat => "ka",
        W::Hye => "hy",
        W::Amh => "am",
        other => other.code(),
    }
}

/// Identify the language of a block (with a word buffer kept per thread).
///
/// ```
/// use ghirbal::Lang;
///
/// let ar = ghirbal::identify("أسعار النفط ترتفع في فيينا");
/// assert_eq!((ar.lang, ar.detail), (Lang::Ar, Some("ar")));
/// assert!(ar.confidence > 0.5);
/// // An Arabic sentence with an English name in it: mixed, with its spans.
/// let mixed = ghirbal::identify("شاهد الفيديو على YouTube الآن");
/// assert_eq!(mixed.lang, Lang::Mixed);
/// assert!(mixed.spans.iter().any(|s| s.lang == Lang::En));
/// assert_eq!(ghirbal::identify("2025 — 12:30").lang, Lang::None);
/// ```
pub fn identify(text: &str) -> LangInfo {
    thread_local! {
        static ID: std::cell::RefCell<Identifier> = std::cell::RefCell::new(Identifier::new());
    }
    ID.with(|id| match id.try_borrow_mut() {
        Ok(mut id) => id.identify(text),
        Err(_) => Identifier::new().identify(text),
    })
}

/// [`identify`] with buffers kept between blocks.
#[derive(Debug, Default)]
pub struct Identifier {
    words: Vec<Word>,
}

impl Identifier {
    pub fn new() -> Identifier {
        Identifier::default()
    }

    /// Identify the language of a block.
    pub fn identify(&mut self, text: &str) -> LangInfo {
        words::words(text, &mut self.words);
        decide(text, &self.words)
    }
}

fn decide(text: &str, ws: &[Word]) -> LangInfo {
    let mut counts = WordCounts::default();
    for w in ws.iter().filter(|w| w.is_whole(text)) {
        match w.script {
            Script::Arabic => counts.arabic += 1,
            Script::Latin => counts.latin += 1,
            Script::Hebrew => counts.hebrew += 1,
            _ => counts.other += 1,
        }
    }
    let info = |lang, detail, path, evidence| LangInfo {
        lang,
        detail,
        confidence: calibration::confidence(path, evidence),
        spans: Vec::new(),
        words: counts,
        path,
        evidence,
    };
    let total = counts.total();
    if total == 0 {
        let ev = if ws.is_empty() {
            Evidence::Strong
        } else {
            Evidence::Moderate
        };
        return info(Lang::None, None, Path::NoWords, ev);
    }
    let foreign = counts.hebrew + counts.other;
    if foreign * 2 >= total {
        let code = if counts.hebrew >= counts.other {
            "he"
        } else {
            whatlang::detect_lang(text).map_or("und", iso639_1)
        };
        let ev = if foreign == total {
            Evidence::Strong
        } else {
            Evidence::Weak
        };
        return info(Lang::Other, Some(code), Path::ForeignScript, ev);
    }
    let a = (counts.arabic > 0).then(|| arabic::verdict(text, ws, counts.arabic));
    let l = (counts.latin > 0).then(|| latin::verdict(text, ws));
    match (a, l) {
        (Some(a), None) => arabic_only(a, &info),
        (None, Some(l)) => latin_only(l, &info),
        (Some(a), Some(l)) => {
            // Latin names and brands in Arabic text are English (LABELS.md).
            let latin_english = l.code == "en" || (l.code != "arabizi" && l.words <= 2);
            if a.code == "ar" && latin_english {
                let ev = a.evidence.min(if l.code == "en" {
                    Evidence::Strong
                } else {
                    Evidence::Weak
                });
                let mut i = info(Lang::Mixed, None, Path::Mixed, ev.max(Evidence::Weak));
                i.spans = spans(text, ws);
                return i;
            }
            if a.code == "ar" && l.code == "arabizi" {
                return info(Lang::Ar, Some("ar"), Path::Majority, Evidence::Weak);
            }
            // No mixed block: the script with more words decides.
            if counts.arabic >= counts.latin {
                let mut i = arabic_only(a, &info);
                i.path = Path::Majority;
                i.confidence = calibration::confidence(Path::Majority, a.evidence);
                i
            } else {
                let mut i = latin_only(l, &info);
                i.path = Path::Majority;
                i.confidence = calibration::confidence(Path::Majority, l.evidence);
                i
            }
        }
        (None, None) => info(Lang::None, None, Path::NoWords, Evidence::Weak),
    }
}

fn arabic_only(
    a: arabic::Verdict,
    info: &impl Fn(Lang, Option<&'static str>, Path, Evidence) -> LangInfo,
) -> LangInfo {
    if a.code == "ar" {
        info(Lang::Ar, Some("ar"), Path::Arabic, a.evidence)
    } else {
        info(
            Lang::Other,
            Some(a.code),
            Path::ArabicScriptOther,
            a.evidence,
        )
    }
}

fn latin_only(
    l: latin::Verdict,
    info: &impl Fn(Lang, Option<&'static str>, Path, Evidence) -> LangInfo,
) -> LangInfo {
    match l.code {
        "en" => info(Lang::En, Some("en"), Path::English, l.evidence),
        "arabizi" => info(Lang::Ar, Some("ar"), Path::Arabizi, l.evidence),
        code => info(Lang::Other, Some(code), Path::LatinOther, l.evidence),
    }
}

/// Maximal same-language runs of the words of a mixed block. Arabic-script
/// words are `ar`, Latin words `en`; the one-letter words `و`, `I` and `a`
/// count; other single letters (`C` in `Vitamin C`) extend the run they
/// follow when it is of their script, and are skipped otherwise. A run
/// reaches from its first word's start to its last word's end, and over a
/// `+` or `#` glued to that end (`OPEC+`, `C#`).
fn spans(text: &str, ws: &[Word]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let lang_of = |w: &Word| match w.script {
        Script::Arabic => Lang::Ar,
        Script::Latin => Lang::En,
        _ => Lang::Other,
    };
    for w in ws {
        let lang = lang_of(w);
        let counts = w.is_whole(text) || w.is_one_letter_word(text);
        match out.last_mut() {
            Some(s) if s.lang == lang => s.end = w.end,
            _ if counts => out.push(Span {
                start: w.start,
                end: w.end,
                lang,
            }),
            _ => {}
        }
    }
    for s in &mut out {
        let extra: usize = text[s.end..]
            .chars()
            .take_while(|c| matches!(c, '+' | '#'))
            .map(char::len_utf8)
            .sum();
        s.end += extra;
    }
    out
}

/// Writing direction of a block from the bidi classes of its characters
/// (`unicode-bidi`): right-to-left letters only → `rtl`, left-to-right only →
/// `ltr`, both → `mixed`, neither → `neutral`.
pub fn direction(text: &str) -> Dir {
    let table = &**STRONG;
    let mut rtl = false;
    let mut ltr = false;
    for c in text.chars() {
        let u = c as u32;
        if u < 0x80 {
            ltr |= c.is_ascii_alphabetic();
        } else {
            match table.get(u as usize).copied().unwrap_or_else(|| strong(c)) {
                Strong::Ltr => ltr = true,
                Strong::Rtl => rtl = true,
                Strong::Neither => {}
            }
        }
        if rtl && ltr {
            return Dir::Mixed;
        }
    }
    match (rtl, ltr) {
        (true, false) => Dir::Rtl,
        (false, true) => Dir::Ltr,
        _ => Dir::Neutral,
    }
}

/// The strong direction of a character, as [`direction`] counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strong {
    Ltr,
    Rtl,
    Neither,
}

fn strong(c: char) -> Strong {
    use unicode_bidi::BidiClass::{AL, L, R};
    match unicode_bidi::bidi_class(c) {
        L => Strong::Ltr,
        R | AL => Strong::Rtl,
        _ => Strong::Neither,
    }
}

/// [`strong`] of the code points below U+3000 (Latin, Arabic, Hebrew and
/// their supplements, general punctuation), filled once from `unicode-bidi`
/// itself so that the answers cannot differ; `unicode-bidi` searches its
/// range table for every character.
static STRONG: std::sync::LazyLock<Box<[Strong]>> = std::sync::LazyLock::new(|| {
    (0..0x3000u32)
        .map(|u| char::from_u32(u).map_or(Strong::Neither, strong))
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Hard cases of issue 9: (text, lang, detail).
    const CASES: &[(&str, Lang, Option<&str>)] = &[
        // Site furniture in both languages, even one word long.
        ("عاجل", Lang::Ar, Some("ar")),
        ("السابق", Lang::Ar, Some("ar")),
        ("Advertisement", Lang::En, Some("en")),
        ("Home", Lang::En, Some("en")),
        ("NEXT", Lang::En, Some("en")),
        ("Op-Ed", Lang::En, Some("en")),
        // Persian and Urdu: Arabic script, not Arabic.
        ("این یک گزارش خبری است", Lang::Other, Some("fa")),
        ("می‌خواهم فردا بروم", Lang::Other, Some("fa")),
        ("شنبه", Lang::Other, Some("fa")),
        ("یہ ایک خبر ہے", Lang::Other, Some("ur")),
        ("مزید پڑھیں", Lang::Other, Some("ur")),
        ("هەواڵی نوێ", Lang::Other, Some("ku")),
        // Other Latin-script languages, short and long.
        (
            "Le gouvernement a annoncé une nouvelle réforme",
            Lang::Other,
            Some("fr"),
        ),
        ("Suivant", Lang::Other, Some("fr")),
        (
            "El gobierno anunció una nueva reforma",
            Lang::Other,
            Some("es"),
        ),
        ("Siguiente", Lang::Other, Some("es")),
        ("Weiterlesen", Lang::Other, Some("de")),
        ("Tüm hakları saklıdır", Lang::Other, Some("tr")),
        ("Baca selengkapnya", Lang::Other, Some("id")),
        // Arabic shop menus with words Persian spells the same way.
        ("اوقات العمل", Lang::Ar, Some("ar")),
        ("ايفون 13 برو ماكس", Lang::Ar, Some("ar")),
        ("أجهزة صوت و سماعات", Lang::Ar, Some("ar")),
        ("انتخابات النواب 2020", Lang::Ar, Some("ar")),
        ("اوقات شرعی", Lang::Other, Some("fa")),
        // Hebrew.
        ("הממשלה הודיעה היום", Lang::Other, Some("he")),
        // Arabizi: a whole block is Arabic, one word in English is not.
        ("kifak ya habibi, shu 3amel?", Lang::Ar, Some("ar")),
        ("ma3lesh", Lang::Ar, Some("ar")),
        (
            "I told him yalla let's go to the market",
            Lang::En,
            Some("en"),
        ),
        // One romanised word, an acronym or a unit is not Arabizi.
        ("EMS", Lang::En, Some("en")),
        ("Minneapolis, MN", Lang::En, Some("en")),
        ("15 min", Lang::En, Some("en")),
        ("3x/day", Lang::En, Some("en")),
        ("Baba Gs", Lang::En, Some("en")),
        ("308ms", Lang::None, None),
        (
            "TatyanaBol January 29, 2024, 7:29am 5",
            Lang::En,
            Some("en"),
        ),
        // Names and brands are English; beside Arabic they make it mixed.
        ("United Nations", Lang::En, Some("en")),
        ("Buckingham Palace", Lang::En, Some("en")),
        ("ChatGPT", Lang::En, Some("en")),
        (
            "Flights to Riyadh resume after sandstorm",
            Lang::En,
            Some("en"),
        ),
        ("وكالة Reuters", Lang::Mixed, None),
        ("تطبيق ChatGPT", Lang::Mixed, None),
        // Dates, numbers, symbols: no words.
        ("12/03/2025", Lang::None, None),
        ("١٢ / ٠٣ / ٢٠٢٥", Lang::None, None),
        ("1,000,000", Lang::None, None),
        ("+4.5%", Lang::None, None),
        ("١٤٤٦", Lang::None, None),
        ("© 2025", Lang::None, None),
        ("|", Lang::None, None),
        ("👍", Lang::None, None),
        ("A", Lang::None, None),
        ("د", Lang::None, None),
        ("12th", Lang::None, None),
        ("5 km", Lang::None, None),
        ("بيروت - الأربعاء 12 مارس 2025", Lang::Ar, Some("ar")),
        // URLs and e-mail addresses are not words.
        ("https://example.com/a/b", Lang::None, None),
        ("info@example.com", Lang::None, None),
        ("زوروا موقعنا www.example.com", Lang::Ar, Some("ar")),
        ("تواصل معنا عبر info@example.com", Lang::Ar, Some("ar")),
        ("Visit www.example.com for more", Lang::En, Some("en")),
        // Bidi marks, tatweel, diacritics, Arabic-Indic digits stay Arabic.
        ("\u{200F}عاجل\u{200F}", Lang::Ar, Some("ar")),
        ("\u{061C}إعلان", Lang::Ar, Some("ar")),
        ("\u{200E}»\u{200E}", Lang::None, None),
        ("\u{FEFF}الرئيسية", Lang::Ar, Some("ar")),
        ("العـــاجل", Lang::Ar, Some("ar")),
        ("الـمـزيـد", Lang::Ar, Some("ar")),
        ("عَاجِل", Lang::Ar, Some("ar")),
        ("الرَّئِيسِيَّة", Lang::Ar, Some("ar")),
        ("٣ تعليقات", Lang::Ar, Some("ar")),
        ("منذ ٣ ساعات", Lang::Ar, Some("ar")),
        // Presentation forms fold to letters.
        ("\u{FEE3}\u{FEE8}", Lang::Ar, Some("ar")),
        // A single Latin letter is a symbol, not a word.
        ("فيتامين C", Lang::Ar, Some("ar")),
        // Mixed.
        ("الرئيسية | Home", Lang::Mixed, None),
        (
            "السابق: Oil prices climb as OPEC+ meets in Vienna",
            Lang::Mixed,
            None,
        ),
    ];

    #[test]
    fn hard_cases() {
        for &(t, lang, detail) in CASES {
            let i = identify(t);
            assert_eq!((i.lang, i.detail), (lang, detail), "{t:?}: {i:?}");
            assert!((0.0..=1.0).contains(&i.confidence), "{t:?}");
            assert_eq!(i.spans.is_empty(), lang != Lang::Mixed, "{t:?}");
        }
    }

    /// Mixed blocks: (text, expected spans as (text, lang)).
    const SPANS: &[(&str, &[(&str, Lang)])] = &[
        (
            "السابق: Oil prices climb as OPEC+ meets in Vienna",
            &[
                ("السابق", Lang::Ar),
                ("Oil prices climb as OPEC+ meets in Vienna", Lang::En),
            ],
        ),
        (
            "تابعونا على Twitter و Instagram",
            &[
                ("تابعونا على", Lang::Ar),
                ("Twitter", Lang::En),
                ("و", Lang::Ar),
                ("Instagram", Lang::En),
            ],
        ),
        (
            "الـ deadline بكرة الصبح",
            &[
                ("الـ", Lang::Ar),
                ("deadline", Lang::En),
                ("بكرة الصبح", Lang::Ar),
            ],
        ),
        (
            "I told him والله, but he left",
            &[
                ("I told him", Lang::En),
                ("والله", Lang::Ar),
                ("but he left", Lang::En),
            ],
        ),
        (
            "\u{200F}عاجل\u{200F} Breaking",
            &[("عاجل", Lang::Ar), ("Breaking", Lang::En)],
        ),
        (
            "© 2025 Al Khabar Media. جميع الحقوق محفوظة",
            &[
                ("Al Khabar Media", Lang::En),
                ("جميع الحقوق محفوظة", Lang::Ar),
            ],
        ),
        (
            "Vitamin C فيتامين",
            &[("Vitamin C", Lang::En), ("فيتامين", Lang::Ar)],
        ),
        (
            "اختيرت الرياض لمعرض World Expo عام ٢٠٣٠ في باريس",
            &[
                ("اختيرت الرياض لمعرض", Lang::Ar),
                ("World Expo", Lang::En),
                ("عام ٢٠٣٠ في باريس", Lang::Ar),
            ],
        ),
    ];

    #[test]
    fn spans_of_mixed_blocks() {
        for &(t, want) in SPANS {
            let i = identify(t);
            assert_eq!(i.lang, Lang::Mixed, "{t:?}");
            let got: Vec<(&str, Lang)> = i
                .spans
                .iter()
                .map(|s| (&t[s.start..s.end], s.lang))
                .collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    #[test]
    fn decisions_name_their_path() {
        assert_eq!(identify("12/03/2025").path, Path::NoWords);
        assert_eq!(identify("Toyota").path, Path::English);
        assert_eq!(identify("Toyota").evidence, Evidence::None);
        assert_eq!(identify("وكالة Reuters").path, Path::Mixed);
        assert_eq!(identify("ma3lesh").path, Path::Arabizi);
    }

    #[test]
    fn the_direction_table_agrees_with_unicode_bidi() {
        for (u, &s) in STRONG.iter().enumerate() {
            if let Some(c) = char::from_u32(u as u32) {
                assert_eq!(s, strong(c), "{c:?}");
            }
        }
    }

    #[test]
    fn directions() {
        assert_eq!(direction("عاجل"), Dir::Rtl);
        assert_eq!(direction("Home"), Dir::Ltr);
        assert_eq!(direction("الرئيسية | Home"), Dir::Mixed);
        assert_eq!(direction("12/03/2025"), Dir::Neutral);
    }

    proptest::proptest! {
        #[test]
        fn any_text_gets_a_sane_answer(t in "\\PC{0,40}") {
            let i = identify(&t);
            proptest::prop_assert!((0.0..=1.0).contains(&i.confidence));
            for s in &i.spans {
                proptest::prop_assert!(s.start < s.end && s.end <= t.len());
                proptest::prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
            }
        }
    }
}
