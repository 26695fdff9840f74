//! Stage 4a — the language of a block's Latin-script words: English, another
//! Latin-script language, or Arabizi.
//!
//! Lexicon hits decide most blocks: every word counts for each language that
//! lists it, so a word shared by English and French (`plan`, `site`) weighs
//! for both and the words only one language has decide. Words no lexicon
//! knows add the evidence of their letters (`ñ`, `ß`, `ı`, `ã` …) and
//! endings; when nothing is known at all they are names or brands and count
//! as English, as `LABELS.md` asks. Arabizi is digits inside words (`3amel`)
//! and romanised Arabic words outweighing English ones. `whatlang`
//! (restricted to Latin-script languages) is asked only when a longer run
//! stays undecided, since it is slow and unreliable on short text.
//!
//! In: the block's text and its [`Word`]s. Out: a [`Verdict`].

use super::lexicon::{lexicons, Key, ARABIZI, EN, LATIN_LANGS};
use super::script::Script;
use super::words::Word;
use super::{iso639_1, Evidence};
use std::sync::OnceLock;

/// What the Latin-script words of a block are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    /// `en`, another ISO 639-1 code, or `arabizi`.
    pub code: &'static str,
    pub evidence: Evidence,
    /// Whole Latin words.
    pub words: u32,
}

const N: usize = LATIN_LANGS.len();
/// After this many words, a lead of [`EARLY_MARGIN`] ends the reading.
const EARLY_WORDS: u32 = 12;
const EARLY_MARGIN: f32 = 8.0;
const I_ARABIZI: usize = N - 1;

/// Letter cues of unknown words: (language index, weight) per letter.
fn letter_cues(c: char) -> &'static [(usize, f32)] {
    // Indices: 1 fr, 2 es, 3 de, 4 it, 5 pt, 6 tr, 7 id, 8 ms, 9 nl.
    match c {
        'é' => &[(1, 0.75), (2, 0.4), (5, 0.4), (4, 0.3)],
        'è' => &[(1, 0.75), (4, 0.5)],
        'ê' => &[(1, 0.75), (5, 0.5)],
        'à' => &[(1, 0.6), (4, 0.5), (5, 0.4)],
        'ç' => &[(1, 0.6), (5, 0.5), (6, 0.5)],
        'â' => &[(1, 0.6), (5, 0.5), (6, 0.3)],
        'ô' => &[(1, 0.6), (5, 0.5)],
        'ù' | 'û' | 'î' | 'ï' | 'ë' | 'œ' => &[(1, 0.8)],
        'ñ' | '¿' | '¡' => &[(2, 1.0)],
        'á' | 'í' | 'ó' | 'ú' => &[(2, 0.75), (5, 0.5)],
        'ã' | 'õ' => &[(5, 1.0)],
        'ä' | 'ß' => &[(3, 1.0)],
        'ö' | 'ü' => &[(3, 0.75), (6, 0.75)],
        'ò' | 'ì' => &[(4, 1.0)],
        'ğ' | 'ş' | 'ı' | 'İ' => &[(6, 1.0)],
        _ => &[],
    }
}

/// Ending and spelling cues of unknown lower-case words.
fn shape_cues(w: &str, other: &mut [f32; N]) {
    let ends = |s: &str| w.len() > s.len() + 2 && w.ends_with(s);
    if ends("zione") || ends("zioni") || ends("mente") && !w.contains('y') {
        other[4] += 0.5;
    }
    if ends("ung")
        || ends("ungen")
        || ends("keit")
        || ends("heit")
        || ends("lich")
        || w.contains("sch")
    {
        other[3] += 0.75;
    }
    if ends("kan") || ends("nya") || w.starts_with("meng") || w.starts_with("peng") {
        other[7] += 0.75;
        other[8] += 0.5;
    }
    if ends("eux") || ends("aux") || ends("oir") || ends("eur") || ends("ez") {
        other[1] += 0.6;
    }
    if ends("ler") || ends("lar") || ends("leri") || ends("ları") {
        other[6] += 0.6;
    }
    if w.contains("ij") {
        other[9] += 0.6;
    }
    if ends("ción") || ends("dad") {
        other[2] += 0.5;
    }
}

fn detector() -> &'static whatlang::Detector {
    static D: OnceLock<whatlang::Detector> = OnceLock::new();
    D.get_or_init(|| {
        use whatlang::Lang as W;
        whatlang::Detector::with_allowlist(vec![
            W::Eng,
            W::Fra,
            W::Spa,
            W::Deu,
            W::Ita,
            W::Por,
            W::Tur,
            W::Ind,
            W::Nld,
            W::Pol,
            W::Ron,
            W::Swe,
            W::Dan,
            W::Nob,
            W::Fin,
            W::Ces,
            W::Hun,
            W::Tgl,
            W::Vie,
        ])
    })
}

/// A word in capitals only, of two letters or more (`EMS`, `MN`, `NASA`).
fn is_acronym(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// The verdict on the Latin words of `text`.
pub(crate) fn verdict(text: &str, words: &[Word]) -> Verdict {
    let lex = lexicons();
    let mut score = [0.0f32; N];
    let mut n = 0u32;
    let mut unknown_lower = 0u32;
    let mut first = usize::MAX;
    let mut last = 0;
    for w in words
        .iter()
        .filter(|w| w.script == Script::Latin && w.is_whole(text))
    {
        // A long run decided early need not be read to its end.
        if n >= EARLY_WORDS {
            let mut s = score;
            s.sort_by(|a, b| b.total_cmp(a));
            if s[0] - s[1] >= EARLY_MARGIN {
                break;
            }
        }
        n += 1;
        first = first.min(w.start);
        last = last.max(w.end);
        if w.arabizi {
            score[I_ARABIZI] += 2.0;
            continue;
        }
        let t = &text[w.start..w.end];
        let Some(key) = Key::latin(t) else {
            continue;
        };
        let k = key.as_bytes();
        let mut mask = lex.latin_key(k);
        if mask == 0 && k.iter().any(|&b| b == b'\'' || b == b'-') {
            mask = compound_mask(std::str::from_utf8(k).unwrap_or(""));
        }
        // An acronym (`EMS`, `MN`) is no romanised Arabic word.
        if is_acronym(t) {
            mask &= !(1 << I_ARABIZI);
        }
        if mask != 0 {
            for (i, s) in score.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *s += if i == I_ARABIZI && mask & EN != 0 {
                        0.5
                    } else {
                        1.0
                    };
                }
            }
            continue;
        }
        // Unknown to every lexicon: letters and endings, else a name.
        let mut cues = [0.0f32; N];
        let k = std::str::from_utf8(k).unwrap_or("");
        for c in k.chars().filter(|c| !c.is_ascii()) {
            for &(i, wgt) in letter_cues(c) {
                cues[i] = cues[i].max(wgt);
            }
        }
        if !w.first_upper {
            shape_cues(k, &mut cues);
            unknown_lower += 1;
        }
        for (s, c) in score.iter_mut().zip(cues) {
            *s += c.min(1.0);
        }
    }
    let en = score[0];
    let (best_i, best) =
        score[1..I_ARABIZI]
            .iter()
            .enumerate()
            .fold(
                (1, 0.0f32),
                |acc, (i, &v)| if v > acc.1 { (i + 1, v) } else { acc },
            );
    let arabizi = score[I_ARABIZI];
    let verdict = |code, evidence| Verdict {
        code,
        evidence,
        words: n,
    };
    // Unknown lower-case words beside romanised Arabic ones are Arabizi too:
    // English and the other lexicons' languages leave few words unknown.
    let arabizi = if arabizi >= 1.0 && unknown_lower >= 1 {
        arabizi + 0.5 * (unknown_lower as f32).min(2.0 * arabizi)
    } else {
        arabizi
    };
    // One romanised word is not yet a block of Arabic (`LABELS.md`: a
    // single transliterated word leaves a block `en`; `min`, `ems`, `baba`
    // are English or names as often): it takes two, or one spelt with
    // digits.
    if arabizi >= 2.0 && arabizi >= 1.5 * en && arabizi > best {
        let ev = if arabizi >= 3.0 {
            Evidence::Strong
        } else {
            Evidence::Moderate
        };
        return verdict("arabizi", ev);
    }
    let mut en_s = en;
    let mut best_s = best;
    let mut best_code = LATIN_LANGS[best_i];
    // Undecided longer runs: ask whatlang.
    let unknown_all = en == 0.0 && best == 0.0;
    let close = n >= 5 && (en - best).abs() <= 1.0 || n >= 3 && en.max(best) < 0.5 * n as f32;
    if first < last && ((unknown_all && n >= 3 && unknown_lower >= 2) || close) {
        if let Some(info) = detector().detect(&text[first..last]) {
            let code = iso639_1(info.lang());
            let bonus = info.confidence() as f32 * n as f32 * 0.3;
            if code == "en" {
                en_s += bonus;
            } else if code == best_code || best_s < bonus {
                best_s = if code == best_code {
                    best_s + bonus
                } else {
                    bonus
                };
                best_code = code;
            }
        }
    }
    if unknown_all && best_s == 0.0 {
        // Names, brands, unknown words: English.
        return verdict("en", Evidence::None);
    }
    let margin = (en_s - best_s).abs();
    let ev = |top: f32| {
        if margin >= 3.0 && top >= 0.5 * n as f32 {
            Evidence::Strong
        } else if margin >= 1.0 {
            Evidence::Moderate
        } else {
            Evidence::Weak
        }
    };
    if en_s >= best_s {
        verdict("en", ev(en_s))
    } else {
        verdict(best_code, ev(best_s))
    }
}

/// Languages of a word with apostrophes or hyphens, from its parts: French
/// elisions (`l'`, `d'`, `s'`, `qu'`) and English clitics (`'s`, `n't`).
fn compound_mask(k: &str) -> u16 {
    let lex = lexicons();
    const FR: u16 = 1 << 1;
    if let Some(i) = k.find('\'') {
        let (head, tail) = (&k[..i], &k[i + 1..]);
        if matches!(
            head,
            "l" | "d" | "s" | "qu" | "n" | "j" | "c" | "m" | "t" | "jusqu" | "lorsqu"
        ) {
            return FR | (lex.latin_key(tail.as_bytes()) & !EN & !ARABIZI);
        }
        if matches!(tail, "s" | "t" | "re" | "ve" | "ll" | "d" | "m") {
            return EN | lex.latin_key(head.as_bytes()) & EN;
        }
        // Turkish suffixes after a name's apostrophe (Ankara'da).
        if matches!(
            tail,
            "da" | "de"
                | "ta"
                | "te"
                | "yi"
                | "yı"
                | "nin"
                | "nın"
                | "ya"
                | "ye"
                | "dan"
                | "den"
                | "ın"
                | "in"
                | "un"
                | "ün"
                | "i"
                | "ı"
        ) {
            return 1 << 6;
        }
        return 0;
    }
    let mut mask = u16::MAX;
    for part in k.split('-').filter(|p| p.chars().count() >= 2) {
        mask &= lex.latin_key(part.as_bytes());
    }
    if mask == u16::MAX {
        0
    } else {
        mask
    }
}
