//! Language identification of one block: `ar`, `en`, `mixed`, `other` or `none`
//! (see `LABELS.md`), with an ISO 639 detail, a confidence, the language spans
//! of mixed blocks and the writing direction.
//!
//! In: a block's text. Out: [`LangInfo`].
//!
//! How: the text is cut into words by script with our own Unicode ranges
//! (URLs, e-mail addresses, numbers and single letters are not words). Script
//! decides most cases; inside the Arabic script, letters and function words
//! particular to Persian, Urdu, Kurdish and Pashto separate `ar` from `other`;
//! inside the Latin script, lexicons of common words (English chrome words
//! among them), diacritics, Arabizi spelling and, for longer runs, `whatlang`
//! restricted to Latin-script languages separate English, Arabizi and other
//! languages. Latin names and brands with no other evidence count as English,
//! as `LABELS.md` asks.

pub mod eval;

use crate::label::{Dir, Lang};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Result of [`identify`].
#[derive(Debug, Clone, PartialEq)]
pub struct LangInfo {
    pub lang: Lang,
    /// ISO 639-1 code when known (`ar`, `en`, `fa`, `fr` …); `None` for `mixed` and `none`.
    pub detail: Option<&'static str>,
    /// Estimated probability that `lang` is right.
    pub confidence: f32,
    /// For `mixed` blocks: maximal runs of each language, as byte ranges of the text.
    pub spans: Vec<Span>,
    /// Whole words by script, as counted for the decision.
    pub words: WordCounts,
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
    Digit,
    /// Everything else: spaces, punctuation, symbols, controls.
    Other,
}

/// The script of `c`.
pub fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => Script::Digit,
        _ if (c as u32) < 0xC0 => Script::Other,
        '\u{00D7}' | '\u{00F7}' => Script::Other,
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Script::Latin,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => {
            Script::ArabicJoiner
        }
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

/// A whole word of the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word {
    start: usize,
    end: usize,
    script: Script,
    letters: u32,
    /// The whitespace-separated chunk holds digits glued to Latin letters in
    /// the Arabizi way (`3amel`, `7abibi`, `ya3ni`).
    arabizi_digits: bool,
}

/// Latin abbreviations of units that are not words (`5 km`, `3 GB`).
const UNIT_SYMBOLS: &[&str] = &[
    "km", "kg", "cm", "mm", "ml", "mg", "kb", "mb", "gb", "tb", "hz", "khz", "mhz", "ghz", "kw",
    "mw", "kwh", "px", "pt",
];

fn is_url_or_email(chunk: &str) -> bool {
    let c = chunk.trim_matches(|c: char| !c.is_alphanumeric());
    if c.contains("://") || c.starts_with("www.") || c.starts_with("WWW.") {
        return true;
    }
    if let Some(at) = c.find('@') {
        return at > 0 && c[at + 1..].contains('.');
    }
    // A bare domain: ASCII labels joined by dots ending in a 2–6 letter TLD.
    if c.is_ascii() && c.contains('.') {
        let mut labels = c.split('.');
        let tld = c.rsplit('.').next().unwrap_or("");
        let first = labels.next().unwrap_or("");
        let tld_ok = (2..=6).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic());
        let first_ok = first.len() >= 2
            && first
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let known = matches!(
            tld.to_ascii_lowercase().as_str(),
            "com"
                | "net"
                | "org"
                | "info"
                | "io"
                | "co"
                | "gov"
                | "edu"
                | "ae"
                | "sa"
                | "eg"
                | "jo"
                | "lb"
                | "ma"
                | "tn"
                | "dz"
                | "qa"
                | "kw"
                | "om"
                | "bh"
                | "iq"
                | "sy"
                | "ps"
                | "ly"
                | "sd"
                | "ye"
                | "uk"
                | "us"
                | "fr"
                | "de"
                | "me"
                | "tv"
                | "news"
                | "app"
                | "html"
                | "htm"
                | "php"
                | "aspx"
                | "pdf"
        );
        return tld_ok && first_ok && known;
    }
    false
}

fn is_arabizi_chunk(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    if !b.iter().any(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let lower = chunk.to_ascii_lowercase();
    for suffix in [
        "st", "nd", "rd", "th", "s", "k", "m", "g", "d", "x", "h", "am", "pm",
    ] {
        if let Some(head) = lower.strip_suffix(suffix) {
            if !head.is_empty() && head.bytes().all(|c| c.is_ascii_digit()) {
                return false;
            }
        }
    }
    b.windows(2).any(|w| {
        matches!(w[0], b'2' | b'3' | b'5' | b'6' | b'7' | b'8' | b'9') && w[1].is_ascii_lowercase()
    }) || (b.len() >= 3
        && matches!(b[b.len() - 1], b'3' | b'7' | b'9' | b'2')
        && b[..b.len() - 1].iter().all(|c| c.is_ascii_lowercase()))
}

/// Cut `text` into whole words.
fn words(text: &str, out: &mut Vec<Word>) {
    out.clear();
    let mut chunk_start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i <= text.len() {
        let at_space = i == text.len() || {
            let b = bytes[i];
            b == b' ' || b == b'\n' || b == b'\t' || b == b'\r' || {
                b >= 0x80
                    && text.is_char_boundary(i)
                    && text[i..].chars().next().is_some_and(char::is_whitespace)
            }
        };
        if at_space {
            if let Some(s) = chunk_start.take() {
                chunk_words(text, s, i, out);
            }
            if i == text.len() {
                break;
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        } else {
            if chunk_start.is_none() {
                chunk_start = Some(i);
            }
            i += 1;
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        }
    }
}

fn chunk_words(text: &str, s: usize, e: usize, out: &mut Vec<Word>) {
    let chunk = &text[s..e];
    if chunk.len() > 3 && is_url_or_email(chunk) {
        return;
    }
    let arabizi = chunk.bytes().any(|b| b.is_ascii_digit()) && is_arabizi_chunk(chunk);
    let mut cur: Option<Word> = None;
    let mut prev_apostrophe_ok = false;
    for (off, c) in chunk.char_indices() {
        let pos = s + off;
        let sc = script(c);
        let continues = match (cur.as_ref().map(|w| w.script), sc) {
            (Some(Script::Arabic), Script::Arabic | Script::ArabicJoiner) => true,
            (Some(Script::Latin), Script::Latin) => true,
            (Some(Script::Latin), Script::Digit) if arabizi => true,
            (Some(Script::Hebrew), Script::Hebrew) => true,
            (Some(Script::OtherLetter), Script::OtherLetter | Script::ArabicJoiner) => true,
            _ => false,
        };
        if continues {
            let w = cur.as_mut().expect("current word");
            w.end = pos + c.len_utf8();
            if sc != Script::ArabicJoiner && sc != Script::Digit {
                w.letters += 1;
            }
            prev_apostrophe_ok = false;
            continue;
        }
        // An apostrophe inside a Latin word (don't, l'Etat) keeps the word whole.
        if matches!(c, '\'' | '\u{2019}') && cur.is_some_and(|w| w.script == Script::Latin) {
            prev_apostrophe_ok = true;
            continue;
        }
        if prev_apostrophe_ok && sc == Script::Latin {
            let w = cur.as_mut().expect("current word");
            w.end = pos + c.len_utf8();
            w.letters += 1;
            prev_apostrophe_ok = false;
            continue;
        }
        prev_apostrophe_ok = false;
        if let Some(w) = cur.take() {
            out.push(w);
        }
        let starts = match sc {
            Script::Arabic | Script::Latin | Script::Hebrew | Script::OtherLetter => Some(sc),
            Script::Digit if arabizi => Some(Script::Latin),
            _ => None,
        };
        if let Some(script) = starts {
            cur = Some(Word {
                start: pos,
                end: pos + c.len_utf8(),
                script,
                letters: u32::from(sc != Script::Digit),
                arabizi_digits: arabizi,
            });
        }
    }
    if let Some(w) = cur.take() {
        out.push(w);
    }
}

fn is_whole_word(w: &Word, text: &str) -> bool {
    match w.script {
        // Single letters are symbols, not words; a CJK ideograph is a word.
        Script::OtherLetter => w.letters >= 1,
        Script::Latin => {
            w.letters >= 2 && {
                let t = &text[w.start..w.end];
                !UNIT_SYMBOLS.iter().any(|u| t.eq_ignore_ascii_case(u))
            }
        }
        _ => w.letters >= 2,
    }
}

// ---------------------------------------------------------------- lexicons

const EN: &str = "the of and to in is for on that with by at from as be this are it was an or have not has but will you your we our they their he she his her its all more new about up out after before over one two three can said also would there been who what which when where how why than them into only other some could these first last year years time people said says just like get no yes do does did so if my me us may most many such been being were had make made back still even well very much any own same too off under while during against between through each few both then now here there those our ours am i'm it's don't can't won't i home next previous prev share shares tweet print email e-mail login logout log sign subscribe subscription menu search contact news sport sports business world politics advertisement advertisements advertising ad ads sponsored promoted read comments comment reply replies like likes follow followers privacy policy terms conditions cookies cookie rights reserved copyright careers help faq video videos photo photos gallery live latest top trending related tags tag page pages back close open skip content main opinion economy health science tech technology culture lifestyle travel weather markets market view views published updated posted minute minutes min hour hours ago day days week month today yesterday tomorrow download app apps free buy cart add shop price sale store account register newsletter about us our team jobs contact feedback support services service products product features pricing blog press events event author authors editor editors staff report reports story stories article articles more less show hide all see full continue watch listen podcast podcasts subscribe submit send save cancel ok accept decline settings language english arabic breaking update updates exclusive analysis interview editorial column columns columnist letter letters sections section archive archives topics topic category categories region regional local national international global middle east gulf africa europe asia america government minister ministry president prime official officials police court law security military war peace talks deal agreement oil gas energy prices price rise rises fell falls climb climbs growth bank banks company companies million billion percent per cent rate rates investment investors trade exports imports deal city country countries state states capital university school students study studies research team match league cup goal goals win wins won lose lost coach player players season club final club's film music art book books festival food family children women men man woman life water power plan plans new old big small high low good best great top long short free open public private social media mobile online digital data internet phone call calls";

const FR: &str = "le la les de des du un une et est en que qui dans pour pas sur au aux avec ce cette ces son sa ses plus par nous vous ils elle elles sont être été avait ont fait mais ou où donc leur leurs comme aussi tout tous très sans entre après avant selon depuis contre lors chez accueil suivant précédent lire suite article actualités recherche connexion mentions légales politique confidentialité droits réservés publié partager ministre gouvernement année ans jour jours également notre votre nos vos cet il je tu on se ne y à ça déjà";
const ES: &str = "el la los las de del y en que un una por con para es su al lo como más pero sus le ya fue este esta estos estas también entre hasta desde sobre todo todos muy sin ser ha han son era nos se inicio siguiente anterior noticias leer más compartir derechos reservados política privacidad gobierno año años día días según donde cuando porque mientras otro otra está están tiene hay";
const DE: &str = "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man startseite weiter zurück nachrichten impressum datenschutz alle rechte vorbehalten jahr jahre heute wir ich ihr wenn sein seine ihre kann wurde wurden gibt";
const IT: &str = "il lo la i gli le di del della delle dei degli e è che un una per con non sono da in su al alla alle anche come più ma questo questa questi nel nella si ha hanno essere stato anni anno tutto tutti dopo prima tra fra sul sulla ogni notizie leggi condividi diritti riservati governo oggi";
const PT: &str = "o a os as de do da dos das e é que um uma para com não em no na nos nas por mais se ao como mas foi são ser está estão tem também já muito sobre entre até depois antes sua seu suas seus pelo pela anos ano notícias início próximo anterior compartilhar direitos reservados governo hoje você ele ela eles";
const TR: &str = "ve bir bu da de için ile çok daha olarak gibi ama en var yok olan ne kadar sonra önce anasayfa haber haberler sayfa tüm hakları saklıdır gizlilik yıl gün bugün olduğu şu ya hem ancak göre değil kendi büyük yeni ilk son iki üç";
const ID: &str = "dan yang di ke dari untuk dengan ini itu tidak ada akan pada juga dalam oleh adalah saya kami mereka beranda berita tahun hari bisa sudah telah karena atau seperti lebih baru kata menurut hak cipta dilindungi selanjutnya sebelumnya";
const NL: &str = "de het een en van in is dat op te zijn met voor niet aan er ook als door maar naar om bij uit dan nog wel geen worden wordt werd heeft hebben kan zijn deze dit jaar nieuws volgende vorige alle rechten voorbehouden";

const ARABIZI: &str = "ana enta enti inta inti howa hiya e7na ehna intu kifak kifik keefak keef kif shu shou sho shoo esh eish yalla yallah habibi habibti wallah wallahi mesh mish msh mush ya3ni yaani ba3d ba3den bas khalas inshallah insha'allah mashallah alhamdulillah 3ala ala ma3 m3a fe fi men min 3an 3and 3ndi 7elw helw kteer kter ktir awi gedan gedn keda kda leh lesh eh ezzay izzay ezay izay 3amel 3aml 3amla tayeb tayyeb ahlan marhaba sabah masa2 mabrook mabrouk shukran shokran ra7 ra7a rayeh 2ashoof ashoof bade bidde baddi biddi 3ayez 3ayz 3awez 3ayza bokra bukra embare7 el w wel ya yaa walla aw akeed yaret nshallah ta3al ta3ali ma3lesh ma3lish";

const FA_WORDS: &str = "است این که را می برای از با های شده کرد هم یک آن ایران نیز بود شود کند دارد ها خود اما یا تا بر شد کرده کنند باشد بین پس روی همه وی گفت ما ولی چه چون اگر هر هیچ دیگر";
const UR_WORDS: &str = "کے کی ہے میں اور سے کو نے پر یہ وہ ہیں تھا تھی تھے گا گی کہ بھی ایک کیا گیا ہو جو نہیں کر لیے ساتھ بعد";
const AR_WORDS: &str = "في من على إلى الى عن أن ان إن التي الذي الذين هذا هذه ذلك تلك مع كان كانت قد لا ما بين بعد قبل كل حتى ثم أو او عند لم لن هو هي هم تم وقال وفي كما أي منذ خلال حول ضد عبر عليه عليها فيه فيها منه منها إلا الا لكن ولكن أيضا أيضاً وهو وهي له لها يوم اليوم";

struct Lexicons {
    en: HashSet<&'static str>,
    latin_other: Vec<(&'static str, HashSet<&'static str>)>,
    arabizi: HashSet<&'static str>,
    fa: HashSet<&'static str>,
    ur: HashSet<&'static str>,
    ar: HashSet<&'static str>,
    latin_detector: whatlang::Detector,
    arabic_detector: whatlang::Detector,
}

fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| {
        let set = |s: &'static str| s.split_whitespace().collect::<HashSet<_>>();
        use whatlang::Lang as W;
        Lexicons {
            en: set(EN),
            latin_other: vec![
                ("fr", set(FR)),
                ("es", set(ES)),
                ("de", set(DE)),
                ("it", set(IT)),
                ("pt", set(PT)),
                ("tr", set(TR)),
                ("id", set(ID)),
                ("nl", set(NL)),
            ],
            arabizi: set(ARABIZI),
            fa: set(FA_WORDS),
            ur: set(UR_WORDS),
            ar: set(AR_WORDS),
            latin_detector: whatlang::Detector::with_allowlist(vec![
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
                W::Aze,
                W::Uzb,
            ]),
            arabic_detector: whatlang::Detector::with_allowlist(vec![W::Ara, W::Pes, W::Urd]),
        }
    })
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

// ---------------------------------------------------------------- decisions

/// Language of the Latin-script words of a block.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Verdict {
    code: &'static str,
    confidence: f32,
}

fn lower_into(s: &str, buf: &mut String) {
    buf.clear();
    for c in s.chars() {
        if c == '\u{2019}' {
            buf.push('\'');
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

fn latin_verdict(text: &str, words: &[Word]) -> Verdict {
    let lex = lexicons();
    let mut buf = String::new();
    let mut en = 0.0f32;
    let mut other = [0.0f32; 8];
    let mut arabizi = 0.0f32;
    let mut n = 0.0f32;
    for w in words.iter().filter(|w| w.script == Script::Latin) {
        let t = &text[w.start..w.end];
        lower_into(t, &mut buf);
        let is_word = is_whole_word(w, text);
        if !is_word && !w.arabizi_digits {
            continue;
        }
        n += 1.0;
        if w.arabizi_digits {
            arabizi += 1.0;
            continue;
        }
        let in_en = lex.en.contains(buf.as_str());
        if in_en {
            en += 1.0;
        }
        if lex.arabizi.contains(buf.as_str()) && !in_en {
            arabizi += 1.0;
        }
        for (i, (_, set)) in lex.latin_other.iter().enumerate() {
            if set.contains(buf.as_str()) {
                other[i] += if in_en { 0.5 } else { 1.0 };
            }
        }
        for c in buf.chars() {
            let hit: &[usize] = match c {
                'é' | 'è' | 'ê' | 'à' | 'ç' => &[0],
                'œ' | 'ë' | 'î' | 'ï' | 'û' | 'ù' => &[0],
                'ñ' | '¿' | '¡' => &[1],
                'á' | 'í' | 'ó' | 'ú' => &[1, 4],
                'ä' | 'ß' => &[2],
                'ö' | 'ü' => &[2, 5],
                'ò' | 'ì' => &[3],
                'ã' | 'õ' | 'â' | 'ô' => &[4, 0],
                'ğ' | 'ş' | 'ı' => &[5],
                _ => &[],
            };
            for &i in hit {
                other[i] += 0.75;
            }
        }
    }
    if n == 0.0 {
        return Verdict {
            code: "en",
            confidence: 0.6,
        };
    }
    let (best_i, best_other) = other.iter().copied().enumerate().fold(
        (0, 0.0f32),
        |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
    );
    // Arabizi: romanised Arabic words outnumber English ones.
    if arabizi >= 1.0 && arabizi >= en && (arabizi >= 2.0 || n <= 2.0) && arabizi >= n * 0.34 {
        let conf = if arabizi >= 3.0 { 0.95 } else { 0.8 };
        return Verdict {
            code: "arabizi",
            confidence: conf,
        };
    }
    // Longer runs: let trigram statistics weigh in.
    let mut wl: Option<(&'static str, f32)> = None;
    if n >= 4.0 && (en < n * 0.35 || best_other > 0.0) {
        let latin: String = words
            .iter()
            .filter(|w| w.script == Script::Latin)
            .map(|w| &text[w.start..w.end])
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(info) = lex.latin_detector.detect(&latin) {
            wl = Some((iso639_1(info.lang()), info.confidence() as f32));
        }
    }
    let mut scores: Vec<(&'static str, f32)> = vec![("en", en * 1.05)];
    for (i, (code, _)) in lex.latin_other.iter().enumerate() {
        scores.push((code, other[i]));
    }
    if let Some((code, conf)) = wl {
        let bonus = conf * n * 0.5;
        match scores.iter_mut().find(|(c, _)| *c == code) {
            Some(s) => s.1 += bonus,
            None => scores.push((code, bonus)),
        }
    }
    let (code, top) =
        scores
            .iter()
            .copied()
            .fold(("en", -1.0f32), |acc, s| if s.1 > acc.1 { s } else { acc });
    let second = scores
        .iter()
        .filter(|s| s.0 != code)
        .map(|s| s.1)
        .fold(0.0f32, f32::max);
    if top <= 0.0 {
        // No evidence at all: names, brands, unknown words count as English.
        return Verdict {
            code: "en",
            confidence: if n >= 3.0 { 0.75 } else { 0.85 },
        };
    }
    if code != "en" && top < 1.0 && n >= 2.0 {
        // Weak, single-cue evidence of another language in a multi-word block.
        return Verdict {
            code: "en",
            confidence: 0.6,
        };
    }
    let margin = (top - second) / (top + second + 1.0);
    let coverage = (top / n).min(1.0);
    let confidence = (0.7 + 0.2 * margin + 0.09 * coverage).min(0.995);
    let _ = best_i;
    Verdict { code, confidence }
}

fn arabic_verdict(text: &str, words: &[Word]) -> Verdict {
    let lex = lexicons();
    let mut s_ar = 0.0f32;
    let mut s_fa = 0.0f32;
    let mut s_ur = 0.0f32;
    let mut s_ckb = 0.0f32;
    let mut s_ps = 0.0f32;
    let mut s_sd = 0.0f32;
    let mut n = 0u32;
    let mut folded = String::new();
    for w in words.iter().filter(|w| w.script == Script::Arabic) {
        n += 1;
        let t = &text[w.start..w.end];
        folded.clear();
        folded.extend(t.chars().filter(|&c| script(c) == Script::Arabic));
        if lex.ar.contains(folded.as_str()) {
            s_ar += 2.0;
        }
        if lex.fa.contains(folded.as_str()) {
            s_fa += 2.0;
        }
        if lex.ur.contains(folded.as_str()) {
            s_ur += 2.0;
        }
        if folded.starts_with("ال") && folded.chars().count() > 3 {
            s_ar += 1.0;
        }
        for c in folded.chars() {
            match c {
                'ة' | 'ى' | 'ي' | 'ك' | 'ؤ' | 'ئ' => s_ar += 0.5,
                'ڤ' | 'ڨ' | 'ڭ' => s_ar += 0.25,
                'پ' | 'چ' | 'ژ' | 'گ' => {
                    s_fa += 1.5;
                    s_ur += 1.0;
                }
                'ک' | 'ی' => {
                    s_fa += 1.0;
                    s_ur += 0.9;
                    s_ckb += 0.5;
                }
                'ۀ' => s_fa += 2.0,
                'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ہ' | 'ے' | 'ۓ' => s_ur += 2.5,
                'ھ' => {
                    s_ur += 1.5;
                    s_ckb += 1.0;
                }
                'ێ' | 'ۆ' | 'ڵ' | 'ڕ' | 'ە' => s_ckb += 2.5,
                'ټ' | 'ډ' | 'ړ' | 'ږ' | 'ښ' | 'ګ' | 'ڼ' | 'ې' | 'ۍ' => s_ps += 2.5,
                'ٺ' | 'ٻ' | 'ڀ' | 'ٽ' | 'ٿ' | 'ڃ' | 'ڄ' | 'ڇ' | 'ڊ' | 'ڌ' | 'ڍ' | 'ڏ' | 'ڙ'
                | 'ڦ' | 'ڪ' | 'ڳ' | 'ڻ' => s_sd += 2.5,
                _ => {}
            }
        }
    }
    if n >= 5 {
        let joined: String = words
            .iter()
            .filter(|w| w.script == Script::Arabic)
            .map(|w| &text[w.start..w.end])
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(info) = lex.arabic_detector.detect(&joined) {
            let bonus = info.confidence() as f32 * (n as f32).min(20.0) * 0.25;
            match info.lang() {
                whatlang::Lang::Ara => s_ar += bonus,
                whatlang::Lang::Pes => s_fa += bonus,
                whatlang::Lang::Urd => s_ur += bonus,
                _ => {}
            }
        }
    }
    let scores = [
        ("ar", s_ar + 0.5),
        ("fa", s_fa),
        ("ur", s_ur),
        ("ckb", s_ckb),
        ("ps", s_ps),
        ("sd", s_sd),
    ];
    let (code, top) = scores
        .iter()
        .copied()
        .fold(("ar", -1.0f32), |a, s| if s.1 > a.1 { s } else { a });
    let second = scores
        .iter()
        .filter(|s| s.0 != code)
        .map(|s| s.1)
        .fold(0.0f32, f32::max);
    let margin = (top - second) / (top + second + 0.5);
    let confidence = if top <= 0.5 && code == "ar" {
        // Only letters shared by every Arabic-script language: Arabic by prior.
        if n >= 3 {
            0.9
        } else {
            0.93
        }
    } else {
        (0.7 + 0.29 * margin).min(0.998)
    };
    Verdict { code, confidence }
}

fn detect_other_script(text: &str) -> &'static str {
    whatlang::detect_lang(text).map_or("und", iso639_1)
}

/// Identify the language of a block.
pub fn identify(text: &str) -> LangInfo {
    let mut buf = Vec::new();
    identify_with(text, &mut buf)
}

/// [`identify`] with a reusable word buffer (no allocation on the hot path
/// for blocks whose script decides).
fn identify_with(text: &str, ws: &mut Vec<Word>) -> LangInfo {
    words(text, ws);
    let mut counts = WordCounts::default();
    for w in ws
        .iter()
        .filter(|w| is_whole_word(w, text) || w.arabizi_digits)
    {
        match w.script {
            Script::Arabic => counts.arabic += 1,
            Script::Latin => counts.latin += 1,
            Script::Hebrew => counts.hebrew += 1,
            _ => counts.other += 1,
        }
    }
    let info = |lang, detail, confidence| LangInfo {
        lang,
        detail,
        confidence,
        spans: Vec::new(),
        words: counts,
    };
    if counts.total() == 0 {
        let conf = if ws.is_empty() { 0.99 } else { 0.9 };
        return info(Lang::None, None, conf);
    }
    let total = counts.total() as f32;
    // A script other than Arabic and Latin that dominates the block.
    let foreign = counts.hebrew + counts.other;
    if foreign as f32 >= total * 0.5 {
        let code = if counts.hebrew >= counts.other {
            "he"
        } else {
            detect_other_script(text)
        };
        let conf = 0.9 + 0.09 * (foreign as f32 / total);
        return info(Lang::Other, Some(code), conf);
    }
    let arabic = (counts.arabic > 0).then(|| arabic_verdict(text, ws));
    let latin = (counts.latin > 0).then(|| latin_verdict(text, ws));
    match (arabic, latin) {
        (Some(a), None) => {
            if a.code == "ar" {
                info(Lang::Ar, Some("ar"), a.confidence)
            } else {
                info(Lang::Other, Some(a.code), a.confidence)
            }
        }
        (None, Some(l)) => match l.code {
            "en" => info(Lang::En, Some("en"), l.confidence),
            "arabizi" => info(Lang::Ar, Some("ar"), l.confidence),
            code => info(Lang::Other, Some(code), l.confidence),
        },
        (Some(a), Some(l)) => {
            let latin_is_english = l.code == "en" || counts.latin <= 2;
            if a.code == "ar" && l.code == "arabizi" {
                info(Lang::Ar, Some("ar"), 0.8)
            } else if a.code == "ar" && latin_is_english {
                let mut i = info(Lang::Mixed, None, a.confidence.clamp(0.9, 0.99));
                i.spans = spans(text, ws);
                i
            } else if counts.arabic >= counts.latin {
                if a.code == "ar" {
                    info(Lang::Ar, Some("ar"), 0.6)
                } else {
                    info(Lang::Other, Some(a.code), 0.7)
                }
            } else if l.code == "en" {
                info(Lang::En, Some("en"), 0.6)
            } else {
                info(Lang::Other, Some(l.code), 0.7)
            }
        }
        (None, None) => info(Lang::None, None, 0.9),
    }
}

/// Maximal same-language runs of the words of a mixed block.
fn spans(text: &str, ws: &[Word]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for w in ws.iter().filter(|w| is_whole_word(w, text)) {
        let lang = match w.script {
            Script::Arabic => Lang::Ar,
            Script::Latin => Lang::En,
            _ => Lang::Other,
        };
        match out.last_mut() {
            Some(s) if s.lang == lang => s.end = w.end,
            _ => out.push(Span {
                start: w.start,
                end: w.end,
                lang,
            }),
        }
    }
    // Words too short to count (a lone Latin letter) sit inside runs, not
    // between them: extend each run over glued trailing characters like "+".
    for s in &mut out {
        let rest = &text[s.end..];
        let extra: usize = rest
            .chars()
            .take_while(|c| matches!(c, '+' | '#' | '%'))
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
    use unicode_bidi::BidiClass::{AL, L, R};
    let mut rtl = false;
    let mut ltr = false;
    for c in text.chars() {
        if c.is_ascii() {
            ltr |= c.is_ascii_alphabetic();
        } else {
            match unicode_bidi::bidi_class(c) {
                L => ltr = true,
                R | AL => rtl = true,
                _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(t: &str) -> Lang {
        identify(t).lang
    }

    #[test]
    fn table() {
        let cases: &[(&str, Lang)] = &[
            ("عاجل", Lang::Ar),
            ("السابق", Lang::Ar),
            ("Advertisement", Lang::En),
            ("Home", Lang::En),
            ("Next", Lang::En),
            ("12/03/2025", Lang::None),
            ("١٢ / ٠٣ / ٢٠٢٥", Lang::None),
            ("|", Lang::None),
            ("© 2025", Lang::None),
            ("https://example.com/a/b", Lang::None),
            ("وكالة Reuters", Lang::Mixed),
            ("تطبيق ChatGPT", Lang::Mixed),
            ("الرئيسية | Home", Lang::Mixed),
            (
                "السابق: Oil prices climb as OPEC+ meets in Vienna",
                Lang::Mixed,
            ),
            ("Oil prices climb in Dubai as demand rises", Lang::En),
            ("تواصل معنا عبر info@example.com", Lang::Ar),
            ("زوروا موقعنا www.example.com", Lang::Ar),
            ("بيروت - الأربعاء 12 مارس 2025", Lang::Ar),
            ("\u{200F}عاجل\u{200F}", Lang::Ar),
            ("العـــاجل", Lang::Ar),
            ("این یک گزارش خبری است", Lang::Other),
            ("یہ ایک خبر ہے", Lang::Other),
            (
                "Le gouvernement a annoncé une nouvelle réforme",
                Lang::Other,
            ),
            ("El gobierno anunció una nueva reforma", Lang::Other),
            ("הממשלה הודיעה היום", Lang::Other),
            ("kifak ya habibi, shu 3amel?", Lang::Ar),
            ("I told him yalla let's go to the market", Lang::En),
        ];
        for (t, want) in cases {
            assert_eq!(lang(t), *want, "{t}");
        }
    }

    #[test]
    fn details() {
        assert_eq!(identify("این یک گزارش خبری است").detail, Some("fa"));
        assert_eq!(identify("یہ ایک خبر ہے").detail, Some("ur"));
        assert_eq!(identify("הממשלה הודיעה היום").detail, Some("he"));
        assert_eq!(
            identify("Le gouvernement a annoncé une nouvelle réforme").detail,
            Some("fr")
        );
    }

    #[test]
    fn spans_of_mixed_blocks() {
        let t = "السابق: Oil prices climb as OPEC+ meets in Vienna";
        let i = identify(t);
        let got: Vec<(&str, Lang)> = i
            .spans
            .iter()
            .map(|s| (&t[s.start..s.end], s.lang))
            .collect();
        assert_eq!(
            got,
            vec![
                ("السابق", Lang::Ar),
                ("Oil prices climb as OPEC+ meets in Vienna", Lang::En)
            ]
        );
    }

    #[test]
    fn directions() {
        assert_eq!(direction("عاجل"), Dir::Rtl);
        assert_eq!(direction("Home"), Dir::Ltr);
        assert_eq!(direction("الرئيسية | Home"), Dir::Mixed);
        assert_eq!(direction("12/03/2025"), Dir::Neutral);
    }
}
