//! WCXB (Web Content eXtraction Benchmark) pages: gold loading, the
//! benchmark's metric, and conversion of its gold into block labels.
//!
//! In: a WCXB directory (`html/ID.html.gz`, `ground-truth/ID.json`) and page
//! ids. Out: [`Gold`] records; [`word_f1`], the benchmark's metric (word-level
//! F1 over lower-cased `\w+` tokens of the extracted text against
//! `main_content`, a bag of words); and [`label_blocks`], which turns the gold
//! main text into a role for every block of the parsed page:
//!
//! 1. `body`: a block of three or more words at least [`BODY_COVERAGE`] of
//!    whose word trigrams occur in the gold text; the first block that is the
//!    gold title (the headline); a shorter block that is not mostly link text
//!    when it is a whole line of the gold text, or occurs in it and sits next
//!    to a long body block; never a block holding one of the gold's `without`
//!    snippets;
//! 2. then, first rule that applies ("near" class tokens are those of the
//!    block's own and closest elements, see `NEAR_TOKENS`):
//!    - `ad`: the text is only an ad marker (`Advertisement`, `Sponsored` …);
//!    - `legal`: near cookie/consent class tokens (a cookie banner);
//!    - `legal`: the text has ©, "copyright", "all rights reserved",
//!      "privacy", "terms of …", "cookie" or "disclaimer", and the block is in
//!      a footer (landmark or near class token) or short (≤ 15 words);
//!    - `nav`: inside a `nav` landmark;
//!    - `ad`: near advertising class tokens (`ad`, `ads`, `advert…`,
//!      `sponsor…`, `promo…`, `dfp`, `adsense`, `adunit`, `taboola` …);
//!    - `nav`: near navigation class tokens (`nav`, `menu`, `breadcrumb`,
//!      `pagination`, `tags`, `related` …);
//!    - `nav`: link text makes at least half of the block and the block is a
//!      list item or at most eight words;
//!    - `chrome`: everything else.

use super::metrics::{self, Prf};
use crate::page::{Page, Structure};
use crate::Role;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Share of a block's word trigrams that must occur in the gold text for it
/// to be `body`.
pub const BODY_COVERAGE: f64 = 0.7;

/// The gold of one WCXB page.
#[derive(Debug, Clone)]
pub struct Gold {
    pub url: Option<String>,
    /// `_internal.page_type.primary`.
    pub page_type: String,
    pub main_content: Option<String>,
    /// The gold title (the article's headline is body, per LABELS.md).
    pub title: Option<String>,
    /// Snippets that must not be in the main text.
    pub without: Vec<String>,
}

/// Whether `id` has the shape of a WCXB page id (digits only), as the
/// pages `wcxb-convert` writes carry in `ghirbal:id`.
pub fn is_wcxb_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// The paths of page `id` in a WCXB directory.
pub fn paths(dir: &Path, id: &str) -> (PathBuf, PathBuf) {
    (
        dir.join("html").join(format!("{id}.html.gz")),
        dir.join("ground-truth").join(format!("{id}.json")),
    )
}

/// All page ids of a WCXB directory (from `html/`), sorted.
pub fn all_ids(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut ids: Vec<String> = std::fs::read_dir(dir.join("html"))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".html.gz"))
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    Ok(ids)
}

/// Ids listed in a file, one per line (`#` comments and blank lines ignored).
pub fn read_ids(file: &Path) -> std::io::Result<Vec<String>> {
    Ok(std::fs::read_to_string(file)?
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect())
}

/// A list of strings, given as JSON or as Python's `repr` of a list.
fn string_list(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => python_string_list(s).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Parse `['a', "b's", 'c\'d']`: Python's repr of a list of strings.
pub fn python_string_list(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let Some(q) = chars.next() else {
            return Some(out);
        };
        if q != '\'' && q != '"' {
            return None;
        }
        let mut cur = String::new();
        loop {
            match chars.next()? {
                '\\' => match chars.next()? {
                    'n' => cur.push('\n'),
                    't' => cur.push('\t'),
                    'r' => cur.push('\r'),
                    'x' => {
                        let h: String = chars.by_ref().take(2).collect();
                        cur.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
                    }
                    'u' => {
                        let h: String = chars.by_ref().take(4).collect();
                        cur.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
                    }
                    c => cur.push(c),
                },
                c if c == q => break,
                c => cur.push(c),
            }
        }
        out.push(cur);
    }
}

/// Read a ground-truth file.
pub fn load_gold(path: &Path) -> Result<Gold, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    // `ground_truth` is an object; accept it as a JSON string too.
    let gt = match v.get("ground_truth") {
        Some(serde_json::Value::String(s)) => {
            serde_json::from_str(s).unwrap_or(serde_json::Value::Null)
        }
        Some(g) => g.clone(),
        None => serde_json::Value::Null,
    };
    let page_type = v
        .pointer("/_internal/page_type/primary")
        .or_else(|| gt.pointer("/page_type/primary"))
        .or_else(|| gt.get("page_type"))
        .and_then(|t| t.as_str())
        .unwrap_or("unknown")
        .to_string();
    Ok(Gold {
        url: v.get("url").and_then(|u| u.as_str()).map(str::to_string),
        page_type,
        main_content: gt
            .get("main_content")
            .and_then(|m| m.as_str())
            .map(str::to_string),
        title: gt.get("title").and_then(|m| m.as_str()).map(str::to_string),
        without: string_list(gt.get("without")),
    })
}

/// Lower-cased `\w+` tokens (letters, digits, marks and `_`).
///
/// The benchmark's word rule; `ghirbal eval` counts by its own
/// ([`super::words`], see [`super::metrics`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || is_mark(c) {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_mark(c: char) -> bool {
    // Combining marks (Arabic harakat, Latin accents written apart) are `\w` in Python.
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// The WCXB metric: F1 of the extracted text's words against the gold's,
/// by the benchmark's word rule ([`words`]; see [`super::metrics`]).
pub fn word_f1(extracted: &str, gold: &str) -> Prf {
    metrics::word_overlap(words(gold), words(extracted)).prf()
}

/// Which conversion rule gave a block its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    BodyTitle,
    BodyLong,
    BodyShortLine,
    BodyShortNeighbour,
    AdClass,
    AdMarker,
    LegalText,
    LegalCookieBanner,
    NavLandmark,
    NavClass,
    NavLinkDense,
    Chrome,
}

impl Rule {
    pub fn role(self) -> Role {
        match self {
            Rule::BodyTitle | Rule::BodyLong | Rule::BodyShortLine | Rule::BodyShortNeighbour => {
                Role::Body
            }
            Rule::AdClass | Rule::AdMarker => Role::Ad,
            Rule::LegalText | Rule::LegalCookieBanner => Role::Legal,
            Rule::NavLandmark | Rule::NavClass | Rule::NavLinkDense => Role::Nav,
            Rule::Chrome => Role::Chrome,
        }
    }
}

fn hash_words(ws: &[String]) -> u64 {
    ws.iter()
        .fold(crate::fnv::Fnv1a::new(), |h, w| {
            h.bytes(w.as_bytes()).bytes(b" ")
        })
        .get()
}

const AD_TOKENS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "sponsor",
    "sponsored",
    "sponsors",
    "promo",
    "promoted",
    "dfp",
    "adsense",
    "adslot",
    "taboola",
    "outbrain",
    "doubleclick",
    "adunit",
    "leaderboard",
];
const AD_MARKERS: &[&str] = &[
    "advertisement",
    "advertisements",
    "sponsored",
    "sponsored content",
    "ad",
    "ads",
    "promoted",
    "promoted stories",
    "paid content",
    "إعلان",
    "اعلان",
    "مساحة إعلانية",
];
const NAV_TOKENS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "tags",
    "tag",
    "related",
    "sitemap",
    "toc",
    "submenu",
    "dropdown",
];
const FOOTER_TOKENS: &[&str] = &["footer", "copyright", "legal", "colophon", "bottom"];
const COOKIE_TOKENS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "cmp",
    "onetrust",
    "cookiebot",
    "usercentrics",
    "didomi",
    "truste",
];
const LEGAL_WORDS: &[&str] = &[
    "copyright",
    "all rights reserved",
    "privacy",
    "terms of",
    "terms and conditions",
    "terms & conditions",
    "cookie",
    "disclaimer",
    "جميع الحقوق محفوظة",
];

/// Class-token rules look at the tokens of the block's own and nearest
/// elements only (the first ones of [`Structure::class_tokens`]): a token on a
/// page-wide wrapper (`sc-ad-container` around a whole article) says nothing
/// about one block.
const NEAR_TOKENS: usize = 10;

fn has_token(s: &Structure, set: &[&str]) -> bool {
    s.class_tokens
        .iter()
        .take(NEAR_TOKENS)
        .any(|t| set.contains(&&**t))
}

/// A role for every block of `page` from the WCXB gold, and the rule used.
pub fn label_blocks(page: &Page, gold: &Gold) -> Vec<Rule> {
    let main = gold.main_content.as_deref().unwrap_or("");
    let gw = words(main);
    let mut trigrams: HashSet<u64> = HashSet::new();
    for w in gw.windows(3) {
        trigrams.insert(hash_words(w));
    }
    let lines: HashSet<u64> = main
        .lines()
        .map(words)
        .filter(|w| !w.is_empty())
        .map(|w| hash_words(&w))
        .collect();
    let gold_joined = format!(" {} ", gw.join(" "));
    let without: Vec<String> = gold
        .without
        .iter()
        .map(|w| words(w).join(" "))
        .filter(|w| !w.is_empty())
        .collect();
    let n = page.blocks.len();
    let mut rules: Vec<Option<Rule>> = vec![None; n];
    let block_words: Vec<Vec<String>> = page.iter().map(|(_, t)| words(t)).collect();
    let forbidden = |ws: &[String]| {
        let j = ws.join(" ");
        without.iter().any(|w| j.contains(w.as_str()))
    };
    // Pass 1: long blocks by trigram coverage.
    for (i, ws) in block_words.iter().enumerate() {
        if ws.len() >= 3 && !forbidden(ws) {
            let grams = ws.len() - 2;
            let hit = ws
                .windows(3)
                .filter(|w| trigrams.contains(&hash_words(w)))
                .count();
            if hit as f64 >= BODY_COVERAGE * grams as f64 {
                rules[i] = Some(Rule::BodyLong);
            }
        }
    }
    // The headline: the first block that is the gold title.
    let title = gold.title.as_deref().map(words).unwrap_or_default();
    if !title.is_empty() {
        if let Some(i) = block_words.iter().position(|w| *w == title) {
            rules[i] = Some(Rule::BodyTitle);
        }
    }
    // Pass 2: short blocks that are not links (a table of contents repeats
    // the sub-headings as links: those are nav).
    let long_body: Vec<bool> = rules.iter().map(|r| *r == Some(Rule::BodyLong)).collect();
    let link_dense: Vec<bool> = page
        .blocks
        .iter()
        .map(|b| b.structure.as_ref().is_some_and(|s| s.link_density >= 0.5))
        .collect();
    for (i, ws) in block_words.iter().enumerate() {
        if rules[i].is_some() || ws.is_empty() || ws.len() >= 3 || forbidden(ws) || link_dense[i] {
            continue;
        }
        if lines.contains(&hash_words(ws)) {
            rules[i] = Some(Rule::BodyShortLine);
        } else {
            let near = (i > 0 && long_body[i - 1]) || (i + 1 < n && long_body[i + 1]);
            if near && gold_joined.contains(&format!(" {} ", ws.join(" "))) {
                rules[i] = Some(Rule::BodyShortNeighbour);
            }
        }
    }
    // The rest by structure and text.
    for (i, (b, t)) in page.iter().enumerate() {
        if rules[i].is_some() {
            continue;
        }
        let s = b.structure.as_deref().cloned().unwrap_or_default();
        let lower = t.to_lowercase();
        let norm = block_words[i].join(" ");
        let nwords = block_words[i].len();
        rules[i] = Some(
            if AD_MARKERS.contains(&norm.as_str()) || AD_MARKERS.contains(&lower.trim()) {
                Rule::AdMarker
            } else if has_token(&s, COOKIE_TOKENS) {
                Rule::LegalCookieBanner
            } else if (lower.contains('©') || LEGAL_WORDS.iter().any(|w| lower.contains(w)))
                && (s.landmark == Some("footer") || has_token(&s, FOOTER_TOKENS) || nwords <= 15)
            {
                Rule::LegalText
            } else if s.landmark == Some("nav") {
                Rule::NavLandmark
            } else if has_token(&s, AD_TOKENS) {
                Rule::AdClass
            } else if has_token(&s, NAV_TOKENS) {
                Rule::NavClass
            } else if s.link_density >= 0.5 && (s.is_list_item || nwords <= 8) {
                Rule::NavLinkDense
            } else {
                Rule::Chrome
            },
        );
    }
    rules
        .into_iter()
        .map(|r| r.unwrap_or(Rule::Chrome))
        .collect()
}

/// The text of the blocks whose role is `body`, joined by newlines.
pub fn body_text(page: &Page, roles: impl IntoIterator<Item = Role>) -> String {
    let mut s = String::new();
    for ((_, t), r) in page.iter().zip(roles) {
        if r == Role::Body {
            s.push_str(t);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_is_bag_of_words_f1() {
        let p = word_f1("The cat sat. The end", "the cat sat on the mat");
        // common: the×2, cat, sat = 4; |p| = 5, |g| = 6
        assert!((p.precision - 0.8).abs() < 1e-9);
        assert!((p.recall - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(word_f1("", "").f1, 1.0);
        assert_eq!(word_f1("x", "").f1, 0.0);
        assert_eq!(
            words("Don't stop_me, naïve 12"),
            vec!["don", "t", "stop_me", "naïve", "12"]
        );
    }

    #[test]
    fn python_lists() {
        assert_eq!(
            python_string_list(r#"['a b', "it's", 'c\'d', 'x\nz']"#).unwrap(),
            vec!["a b", "it's", "c'd", "x\nz"]
        );
        assert_eq!(python_string_list("[]").unwrap(), Vec::<String>::new());
        assert!(python_string_list("nope").is_none());
    }

    #[test]
    fn rules_label_a_small_page() {
        let html = "<body><nav><ul><li><a href=/>Home</a></li><li><a href=/b>Blog</a></li></ul></nav>\
            <h1>Oil prices climb</h1><h2>Markets</h2><p>Oil prices climbed on Wednesday as producers met in Vienna to weigh cuts.</p>\
            <div class=ad-slot>Buy now</div><p>Share this</p>\
            <footer><p>© 2025 Example Corp. All rights reserved.</p></footer></body>";
        let page = crate::read::html::page_from_html("t", None, html.as_bytes(), None);
        let gold = Gold {
            url: None,
            page_type: "article".into(),
            title: None,
            main_content: Some("Oil prices climb\n\nMarkets\n\nOil prices climbed on Wednesday as producers met in Vienna to weigh cuts.".into()),
            without: vec![],
        };
        let r = label_blocks(&page, &gold);
        assert_eq!(
            r,
            vec![
                Rule::NavLandmark,
                Rule::NavLandmark,
                Rule::BodyLong,
                Rule::BodyShortLine,
                Rule::BodyLong,
                Rule::AdClass,
                Rule::Chrome,
                Rule::LegalText
            ]
        );
    }
}
