//! Stage 4b — the language of a block's Arabic-script words: Arabic, or
//! Persian, Urdu, Central Kurdish, Pashto or Sindhi (all `other`).
//!
//! Evidence, summed over words: lexicon hits (a word listed by one language
//! counts 3 for it, a word listed by several 1 for each; two-word phrases of
//! site furniture count 4); letters particular to a language (Persian
//! پ چ ژ گ ک ی, Urdu ٹ ڈ ڑ ں ہ ے ھ, Kurdish ە ێ ۆ ڵ ڕ, Pashto ټ ډ ړ ږ ښ ګ ڼ ې ۍ,
//! Sindhi ٺ ٻ ڀ …; Arabic ة ى ي ك ؤ); shapes (the article ال, a ZWNJ inside a
//! word, Kurdish initial ئ before a vowel). Arabic gets a small prior, so a
//! block made only of letters every language shares is Arabic. `whatlang`
//! restricted to Arabic, Persian and Urdu is asked only when a block of four
//! or more words stays close.
//!
//! In: the block's text and its [`Word`]s. Out: a [`Verdict`].

use super::lexicon::{lexicons, Key, AR as AR_BIT, ARABIC_LANGS};
use super::script::Script;
use super::words::Word;
use super::Evidence;
use std::sync::OnceLock;

/// What the Arabic-script words of a block are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    /// `ar`, `fa`, `ur`, `ku`, `ps` or `sd`.
    pub code: &'static str,
    pub evidence: Evidence,
    /// Whole Arabic-script words.
    pub words: u32,
}

const CODES: [&str; 6] = ["ar", "fa", "ur", "ku", "ps", "sd"];
const AR: usize = 0;
const FA: usize = 1;
const UR: usize = 2;
const KU: usize = 3;
const PS: usize = 4;
const SD: usize = 5;
/// After this many words, a lead of [`EARLY_MARGIN`] ends the reading.
const EARLY_WORDS: u32 = 12;
const EARLY_MARGIN: f32 = 10.0;
/// Arabic wins a tie of no evidence.
const PRIOR_AR: f32 = 0.5;

/// Letter cues: (language, weight) per letter, counted once per word.
fn letter_cues(c: char) -> &'static [(usize, f32)] {
    match c {
        'پ' | 'چ' | 'ژ' => &[(FA, 1.5), (UR, 1.2), (KU, 1.0), (PS, 0.8)],
        'گ' => &[(FA, 1.5), (UR, 1.2), (KU, 1.0)],
        'ک' => &[(FA, 1.0), (UR, 1.0), (KU, 1.0), (PS, 0.8)],
        'ی' => &[(FA, 1.0), (UR, 1.0), (KU, 1.0), (PS, 1.0)],
        'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ہ' | 'ۂ' | 'ے' | 'ۓ' => &[(UR, 3.0)],
        'ھ' => &[(UR, 2.0), (KU, 1.5)],
        'ە' | 'ێ' | 'ۆ' | 'ڵ' | 'ڕ' => &[(KU, 3.0)],
        'ڤ' => &[(KU, 1.0), (AR, 0.5)],
        'ټ' | 'ډ' | 'ړ' | 'ږ' | 'ښ' | 'ګ' | 'ڼ' | 'ې' | 'ۍ' => &[(PS, 3.0)],
        'ٺ' | 'ٻ' | 'ڀ' | 'ٽ' | 'ٿ' | 'ڃ' | 'ڄ' | 'ڇ' | 'ڊ' | 'ڌ' | 'ڍ' | 'ڏ' | 'ڙ' | 'ڦ' | 'ڪ'
        | 'ڳ' | 'ڻ' => &[(SD, 3.0)],
        'ة' | 'ى' | 'ي' | 'ك' => &[(AR, 1.0)],
        'ؤ' | 'إ' | 'أ' => &[(AR, 0.5)],
        '\u{064B}'..='\u{064D}' => &[(AR, 0.3)],
        _ => &[],
    }
}

fn detector() -> &'static whatlang::Detector {
    static D: OnceLock<whatlang::Detector> = OnceLock::new();
    D.get_or_init(|| {
        use whatlang::Lang as W;
        whatlang::Detector::with_allowlist(vec![W::Ara, W::Pes, W::Urd])
    })
}

fn add_lexicon(score: &mut [f32; 6], mask: u8, exclusive: f32) {
    let shared = mask.count_ones() > 1;
    for (i, _) in ARABIC_LANGS.iter().enumerate() {
        if mask & (1 << i) != 0 {
            score[i] += if shared { 1.0 } else { exclusive };
        }
    }
}

/// The verdict on the Arabic-script words of `text`.
pub(crate) fn verdict(text: &str, words: &[Word], arabic_words: u32) -> Verdict {
    let lex = lexicons();
    let phrases = arabic_words <= 6;
    let mut score = [0.0f32; 6];
    let mut n = 0u32;
    let mut prev: Option<&str> = None;
    let mut first = usize::MAX;
    let mut last = 0;
    for w in words.iter().filter(|w| w.script == Script::Arabic) {
        let t = &text[w.start..w.end];
        if !w.is_whole(text) {
            prev = None;
            continue;
        }
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
        if let Some(key) = Key::arabic(t) {
            let k = key.as_bytes();
            let mut mask = lex.arabic_key(k);
            if mask == 0 {
                // Arabic clitics: و ف ب ل before a known Arabic word.
                for p in ["و", "ف", "ب", "ل", "وال", "بال", "لل", "فال"] {
                    if let Some(rest) = k.strip_prefix(p.as_bytes()) {
                        if rest.len() >= 4 && lex.arabic_key(rest) & AR_BIT != 0 {
                            mask = 1;
                            break;
                        }
                    }
                }
                if mask != 0 {
                    score[AR] += 1.5;
                    mask = 0;
                }
            }
            // A Persian or Urdu word spelt only with letters Arabic has too
            // (اوقات، صوت، برو) is as often an Arabic word or a brand
            // («ايفون 13 برو»): it weighs like a shared word.
            let own_letters = t
                .chars()
                .any(|c| letter_cues(c).iter().any(|&(i, _)| i != AR));
            let exclusive = if own_letters || mask & 1 != 0 {
                3.0
            } else {
                1.0
            };
            add_lexicon(&mut score, mask, exclusive);
            if k.starts_with("ال".as_bytes()) && k.len() > 6 {
                score[AR] += 1.0;
            }
            if let Some(p) = prev.filter(|_| phrases) {
                if let Some(pair) = Key::arabic_pair(p, t) {
                    let m = lex.arabic_key(pair.as_bytes());
                    add_lexicon(&mut score, m, 4.0);
                }
            }
        }
        prev = Some(t);
        let mut cues = [0.0f32; 6];
        let mut chars = t.chars();
        if let (Some('ئ'), Some(c2)) = (chars.next(), chars.next()) {
            if matches!(c2, 'ا' | 'ە' | 'ی' | 'ێ' | 'ۆ' | 'و') {
                cues[KU] = 2.0;
            }
        }
        for c in t.chars() {
            for &(i, wgt) in letter_cues(c) {
                cues[i] = cues[i].max(wgt);
            }
        }
        if w.zwnj {
            cues[FA] = cues[FA].max(1.5);
            cues[UR] = cues[UR].max(0.5);
        }
        for (s, c) in score.iter_mut().zip(cues) {
            *s += c;
        }
    }
    score[AR] += PRIOR_AR;
    let rank = |s: &[f32; 6]| {
        let mut best = 0;
        for i in 1..6 {
            if s[i] > s[best] {
                best = i;
            }
        }
        let second = (0..6)
            .filter(|&i| i != best)
            .map(|i| s[i])
            .fold(0.0f32, f32::max);
        (best, s[best], second)
    };
    let (mut best, mut top, mut second) = rank(&score);
    if n >= 4 && top - second < 2.0 && first < last {
        if let Some(info) = detector().detect(&text[first..last]) {
            let bonus = info.confidence() as f32 * (n as f32).min(20.0) * 0.3;
            match info.lang() {
                whatlang::Lang::Ara => score[AR] += bonus,
                whatlang::Lang::Pes => score[FA] += bonus,
                whatlang::Lang::Urd => score[UR] += bonus,
                _ => {}
            }
            (best, top, second) = rank(&score);
        }
    }
    let margin = top - second;
    let evidence = if top <= PRIOR_AR {
        Evidence::None
    } else if top >= 4.0 && margin >= 3.0 {
        Evidence::Strong
    } else if margin >= 1.5 {
        Evidence::Moderate
    } else {
        Evidence::Weak
    };
    Verdict {
        code: CODES[best],
        evidence,
        words: n,
    }
}
