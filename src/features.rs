//! Features: what the role model sees of each block.
//!
//! In: a [`Page`] and the language of each of its blocks ([`LangInfo`]).
//! Out: one sparse feature row per block: dense shape features of
//! the block (length, scripts, punctuation, position, repetition, language,
//! HTML structure when there is some), the same for its neighbours and its
//! place relative to the page's long paragraphs, and hashed words, word
//! bigrams and character n-grams of its normalised text. The second pass of
//! the model adds the first pass's role probabilities of the neighbours
//! ([`add_context_probs`]).
//!
//! A row comes either built ([`Row`], from [`Extractor::rows`], for
//! training) or walked entry by entry from the extractor's flat per-page
//! buffers ([`PageFeatures`], a [`BlockEntries`], from
//! [`Extractor::features`], for labelling): the same entries in the same
//! order, without a copy of any block's or neighbour's entries. Past
//! [`HASHED_BUDGET`] entries a page's blocks are hashed again when walked,
//! so that a page's features do not grow with all its text.

use crate::chars;
use crate::label::{Lang, Role};
use crate::lang::{LangInfo, Script};
use crate::normalize::{fold_into, NORMALIZATION};
use crate::page::{Page, ANCESTORS, NO_ANCESTOR};
use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// Version of the feature definitions: bumped whenever a feature changes
/// meaning, so a model trained on other features is refused, not misread.
pub const FEATURE_SET: u32 = 11;

/// The last [`FEATURE_SET`] before [`FeatureConfig::collapse_text_copies`]:
/// its models mean the same with the option off, and still load.
pub const FEATURE_SET_UNCOLLAPSED: u32 = 10;

/// Feature configuration, stored in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// [`FEATURE_SET`] of the build that trained the model.
    pub feature_set: u32,
    /// Hashed features go into `2^hash_bits` columns.
    pub hash_bits: u32,
    /// Inclusive range of character n-gram lengths, within words.
    pub char_ngrams: (usize, usize),
    /// Inclusive range of word n-gram lengths.
    pub word_ngrams: (usize, usize),
    /// Name of the text normalisation ([`NORMALIZATION`]).
    pub normalization: String,
    /// Minimum words of a "long" block (a paragraph of running text).
    pub long_block_words: usize,
    /// Feature augmentation: every dense feature once shared by all input
    /// kinds and once more for the page's own kind (text, HTML), in one
    /// model, so what text pages teach reaches HTML pages and back.
    #[serde(default)]
    pub augment: bool,
    /// Feature augmentation of the hashed words and n-grams of a block's own
    /// text as well: each entry once more in a column salted by the page's
    /// kind, so that the many HTML pages do not decide alone what a word
    /// means on text pages.
    #[serde(default)]
    pub augment_hashed: bool,
    /// Value of hashed text entries (words, n-grams, neighbours' and
    /// header words) relative to the dense features: below 1, the L2
    /// penalty holds their weights down more (a weight must grow by 1/s
    /// to have the same effect, at 1/s² the cost).
    #[serde(default)]
    pub text_hash_scale: f32,
    /// The same for hashed markup (tag names, class and id tokens), which
    /// are the most site-specific evidence.
    #[serde(default)]
    pub markup_hash_scale: f32,
    /// Page-level constants dropped (block count, page script share, "no
    /// long block") and landmarks centred on the page (a block's landmark
    /// minus the share of the page's blocks in it; a `<form>` that holds
    /// most of the page's text is no landmark).
    #[serde(default)]
    pub page_norm: bool,
    /// The share of the page's prose under each of a block's nearest
    /// ancestors ([`Extractor::rows`]); off, those columns stay zero.
    #[serde(default)]
    pub prose_shares: bool,
    /// Pass two also sees the container context of HTML blocks
    /// ([`CONTAINER_COLS`]): pass one's roles of the other blocks under each
    /// of the block's nearest ancestors, the share of the page's body under
    /// them, and whether the block is in the page's main container.
    #[serde(default)]
    pub container_context: bool,
    /// With augmentation, the language and script features
    /// ([`LANGUAGE_FEATURES`]) enter only the shared copy: what a block's
    /// language says of its role must hold for both kinds, so that the
    /// few Arabic HTML pages (a shop's policy pages, say) cannot teach that
    /// Arabic in HTML is `legal`.
    #[serde(default)]
    pub shared_language: bool,
    /// Hashed entries for where a block's links go
    /// ([`crate::page::Structure::link_kinds`]: another site, `rel`
    /// sponsored, `rel` nofollow/ugc, an ad or affiliate address), each
    /// valued by the share of the block's characters in such links.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link_targets: bool,
    /// With augmentation, the text passes see each entry that has a kind
    /// copy (the dense facts, and the hashed words and n-grams of the
    /// block's text with `augment_hashed`) once, its value times √2,
    /// instead of twice (shared, then the text copy). The text passes learn
    /// from text pages alone, on which the two copies always come together:
    /// the fit is the same one (two equal weights `w` penalised `2w²` act as
    /// one weight `√2·w` penalised as much), with half the entries and
    /// without the salted copies' hash collisions. The HTML passes, which
    /// learn from both kinds, see every copy as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collapse_text_copies: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            feature_set: FEATURE_SET,
            hash_bits: 15,
            char_ngrams: (4, 4),
            word_ngrams: (1, 2),
            normalization: NORMALIZATION.to_string(),
            long_block_words: 20,
            augment: true,
            augment_hashed: true,
            text_hash_scale: 1.0,
            markup_hash_scale: 0.3,
            page_norm: true,
            prose_shares: false,
            container_context: true,
            shared_language: false,
            link_targets: true,
            collapse_text_copies: true,
        }
    }
}

/// Names of the dense per-block features, in column order.
pub const OWN: &[&str] = &[
    "ln_chars",
    "ln_words",
    "words_1",
    "words_2_3",
    "words_4_9",
    "words_10p",
    "words_30p",
    "arabic_share",
    "latin_share",
    "digit_share",
    "punct_share",
    "upper_share",
    "capitalised_share",
    "ends_terminal",
    "ends_colon",
    "ends_comma",
    "ln_terminals",
    "has_copyright",
    "has_year",
    "ln_pipes",
    "has_crumb_sep",
    "starts_bullet",
    "has_url",
    "ln_lines",
    "avg_word_len",
    "position",
    "position_first_10",
    "position_last_10",
    "char_position",
    "ln_repeats",
    "is_repeated",
    "is_first_copy",
    "lang_ar",
    "lang_en",
    "lang_mixed",
    "lang_other",
    "lang_none",
    "lang_is_page_majority",
    "page_arabic_share",
    "lang_confidence",
    "dir_mixed",
    "starts_quote",
    "has_time",
    "mostly_digits",
    "title_case",
    "has_hashtag",
    "before_first_long",
    "after_last_long",
    "between_long",
    "ln_dist_long",
    "page_without_long",
    "ln_page_blocks",
    "chars_over_longest",
    "has_structure",
    "link_density",
    "is_heading",
    "heading_level",
    "is_list_item",
    "is_table_cell",
    "container_text_density",
    "lm_nav",
    "lm_header",
    "lm_footer",
    "lm_aside",
    "lm_main",
    "lm_article",
    "lm_form",
    "one_word_lines",
    "copy_inside_other",
    "copy_contains_other",
    "copy_of_earlier",
    "title_like",
    "ln_title_run",
    "has_header_above",
    "en_stopword_share",
    "ar_stopword_share",
    "ln_stopwords",
    "ln_commas",
    "ln_arabic_punct",
    "ln_unlinked_words",
    "page_text_share",
    "is_code",
    "prose_share_1",
    "prose_share_2",
    "prose_share_3",
    "prose_share_4",
    "prose_share_5",
    "max_prose_share",
    "container_score",
    "kind_bias",
    "cls_comment",
    "cls_nav",
    "cls_header",
    "cls_footer",
    "cls_sidebar",
    "cls_related",
    "cls_share",
    "cls_ad",
    "cls_legal",
    "cls_author",
    "cls_content",
    "legal_word_share",
    "ln_legal_words",
    "ad_word_share",
    "ln_ad_words",
    "x_w0_l0",
    "x_w0_l1",
    "x_w0_l2",
    "x_w0_l3",
    "x_w1_l0",
    "x_w1_l1",
    "x_w1_l2",
    "x_w1_l3",
    "x_w2_l0",
    "x_w2_l1",
    "x_w2_l2",
    "x_w2_l3",
    "x_w3_l0",
    "x_w3_l1",
    "x_w3_l2",
    "x_w3_l3",
    "x_w4_l0",
    "x_w4_l1",
    "x_w4_l2",
    "x_w4_l3",
    "prose_en",
    "prose_ar",
];

/// Language and script features, which [`FeatureConfig::shared_language`]
/// keeps out of the per-kind copies (the neighbours' copies of them too).
pub const LANGUAGE_FEATURES: &[&str] = &[
    "arabic_share",
    "latin_share",
    "lang_ar",
    "lang_en",
    "lang_mixed",
    "lang_other",
    "lang_none",
    "lang_is_page_majority",
    "page_arabic_share",
    "lang_confidence",
    "dir_mixed",
];

/// Columns of the dense block (own and neighbours) that are
/// [`LANGUAGE_FEATURES`].
const fn language_columns() -> [bool; OWN.len() + 2 * (NEIGHBOUR.len() + 1)] {
    let mut m = [false; OWN.len() + 2 * (NEIGHBOUR.len() + 1)];
    let mut i = 0;
    while i < LANGUAGE_FEATURES.len() {
        m[own_index(LANGUAGE_FEATURES[i])] = true;
        let mut k = 0;
        while k < NEIGHBOUR.len() {
            if str_eq(NEIGHBOUR[k], LANGUAGE_FEATURES[i]) {
                m[OWN.len() + k] = true;
                m[OWN.len() + NEIGHBOUR.len() + 1 + k] = true;
            }
            k += 1;
        }
        i += 1;
    }
    m
}

/// [`language_columns`], computed once.
static LANGUAGE_COLUMNS: [bool; OWN.len() + 2 * (NEIGHBOUR.len() + 1)] = language_columns();

/// Dense features of a neighbour, copied into the block's row.
const NEIGHBOUR: &[&str] = &[
    "ln_chars",
    "ln_words",
    "words_1",
    "words_10p",
    "arabic_share",
    "latin_share",
    "digit_share",
    "ends_terminal",
    "has_copyright",
    "ln_pipes",
    "is_repeated",
    "lang_ar",
    "lang_en",
    "lang_mixed",
    "lang_none",
    "link_density",
    "is_heading",
    "is_list_item",
    "has_url",
];

/// Columns of [`NEIGHBOUR`] in [`OWN`].
const NEIGHBOUR_COLS: [usize; NEIGHBOUR.len()] = {
    let mut cols = [0; NEIGHBOUR.len()];
    let mut i = 0;
    while i < NEIGHBOUR.len() {
        cols[i] = own_index(NEIGHBOUR[i]);
        i += 1;
    }
    cols
};

/// Number of columns of the context-probability block added by the second pass:
/// roles of the blocks at -2, -1, +1, +2, the mean over a window of ±3, the
/// page mean, and the means of the `SIDE_WINDOW` blocks above and below.
pub const CONTEXT_PROBS: usize = 8 * Role::COUNT;

/// Blocks in the one-sided windows of the context probabilities.
const SIDE_WINDOW: usize = 5;

/// Columns of the container context of pass two (with
/// [`FeatureConfig::container_context`]), after [`CONTEXT_PROBS`]: for each
/// of a block's [`ANCESTORS`] nearest ancestors, the mean pass-one role
/// probabilities of the *other* blocks under it (weighted by words), and the
/// share of the page's body mass (words × P(body), other blocks) under it;
/// then whether the block is under the page's main container, the element
/// that Readability would pick: the most body mass in its children, plus
/// half of that in its grandchildren. A paragraph among body paragraphs is
/// body whatever its own words; a comment thread or a teaser grid has
/// containers of its own.
pub const CONTAINER_COLS: usize = ANCESTORS * (Role::COUNT + 1) + 1;

/// Where an HTML block sits, for the container context: its nearest
/// ancestors (as in [`crate::page::Structure::ancestors`]) and its weight
/// (1 + words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub ancestors: [u32; ANCESTORS],
    pub weight: f32,
}

/// The `Place` of every block of an HTML page; empty for a page without
/// structure (text pages), which then has no container context.
pub fn places(page: &Page) -> Vec<Place> {
    if page.blocks.iter().all(|b| b.structure.is_none()) {
        return Vec::new();
    }
    page.iter()
        .map(|(b, text)| Place {
            ancestors: b
                .structure
                .as_deref()
                .map_or([NO_ANCESTOR; ANCESTORS], |s| s.ancestors),
            weight: 1.0 + text.split_whitespace().count() as f32,
        })
        .collect()
}

/// The container context of every block ([`CONTAINER_COLS`] values each),
/// from pass one's probabilities.
fn container_context(probs: &[[f32; Role::COUNT]], places: &[Place]) -> Vec<[f32; CONTAINER_COLS]> {
    const BODY: usize = Role::Body as usize;
    // (weighted role sums, weight) under each element; candidate scores.
    let mut under: HashMap<u32, ([f32; Role::COUNT], f32)> = HashMap::new();
    let mut candidate: HashMap<u32, f32> = HashMap::new();
    let mut body_mass = 0.0f32;
    for (p, pl) in probs.iter().zip(places) {
        let w = pl.weight;
        body_mass += w * p[BODY];
        for (k, &a) in pl.ancestors.iter().enumerate() {
            if a == NO_ANCESTOR {
                break;
            }
            let e = under.entry(a).or_insert(([0.0; Role::COUNT], 0.0));
            for (acc, &pr) in e.0.iter_mut().zip(p) {
                *acc += w * pr;
            }
            e.1 += w;
            if k < 2 {
                *candidate.entry(a).or_default() += w * p[BODY] * if k == 0 { 1.0 } else { 0.5 };
            }
        }
    }
    // The main container; ties go to the lowest element number, so the
    // choice does not depend on the map's order.
    let main = candidate
        .iter()
        .fold(None::<(u32, f32)>, |best, (&a, &s)| match best {
            Some((b, t)) if t > s || (t == s && b < a) => Some((b, t)),
            _ => Some((a, s)),
        })
        .filter(|&(_, s)| s > 0.0)
        .map(|(a, _)| a);
    probs
        .iter()
        .zip(places)
        .map(|(p, pl)| {
            let mut out = [0.0f32; CONTAINER_COLS];
            let w = pl.weight;
            for (k, &a) in pl.ancestors.iter().enumerate() {
                if a == NO_ANCESTOR {
                    break;
                }
                let (sums, total) = under[&a];
                let others = total - w;
                if others > 1e-3 {
                    for r in 0..Role::COUNT {
                        out[k * Role::COUNT + r] = ((sums[r] - w * p[r]) / others).clamp(0.0, 1.0);
                    }
                }
                let rest = body_mass - w * p[BODY];
                if rest > 1e-3 {
                    out[ANCESTORS * Role::COUNT + k] =
                        ((sums[BODY] - w * p[BODY]) / rest).clamp(0.0, 1.0);
                }
            }
            if main.is_some_and(|m| pl.ancestors.contains(&m)) {
                out[CONTAINER_COLS - 1] = 1.0;
            }
            out
        })
        .collect()
}

/// Column of a named dense feature; used in `const` blocks, so a misspelt
/// name fails the build.
const fn own_index(name: &str) -> usize {
    let mut i = 0;
    while i < OWN.len() {
        if str_eq(OWN[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("unknown feature name")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `own_index` evaluated at compile time.
macro_rules! col {
    ($name:literal) => {
        const { own_index($name) }
    };
}

/// Column layout of a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub own: usize,
    pub neighbours: usize,
    /// Columns of the shared dense block (own + neighbours); with
    /// augmentation the text copy follows at `dense` and the HTML copy at
    /// `2 * dense`.
    pub dense: usize,
    /// Copies of the dense block: 1, or 3 with augmentation.
    pub dense_copies: usize,
    pub hash_base: usize,
    pub hash_size: usize,
    /// Columns of the first pass.
    pub pass1: usize,
    /// Columns of the second pass (first pass plus context probabilities).
    pub pass2: usize,
}

impl FeatureConfig {
    /// Whether text pages' entries reach the text passes collapsed
    /// ([`FeatureConfig::collapse_text_copies`], with augmentation on).
    pub fn collapses_text(&self) -> bool {
        self.collapse_text_copies && self.augment
    }

    pub fn layout(&self) -> Layout {
        let own = OWN.len();
        let neighbours = 2 * (NEIGHBOUR.len() + 1);
        let dense = own + neighbours;
        let dense_copies = if self.augment { 3 } else { 1 };
        let hash_base = dense * dense_copies;
        let hash_size = 1usize << self.hash_bits;
        let pass1 = hash_base + hash_size;
        Layout {
            own,
            neighbours,
            dense,
            dense_copies,
            hash_base,
            hash_size,
            pass1,
            pass2: pass1
                + CONTEXT_PROBS
                + if self.container_context {
                    CONTAINER_COLS
                } else {
                    0
                },
        }
    }
}

/// A sparse feature row: `(column, value)` pairs; a column may repeat (values add).
///
/// A row is built whole, with every kind copy, whatever the
/// configuration: the HTML passes learn from text pages' copies. The text
/// passes read a text page's row through [`collapsed_entries`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub entries: Vec<(u32, f32)>,
    /// How many entries the row opens with that are shared dense facts
    /// (their kind copies, if any, follow).
    pub shared_dense: u32,
    /// How many of the block's hashed text entries are followed by their
    /// copies salted by the page's kind (0 without
    /// [`FeatureConfig::augment_hashed`]): they come right after the dense
    /// copies, the copies right after them.
    pub own_text: u32,
}

/// Whether dense column `c` (below [`Layout::dense`]) has a kind copy.
fn dense_copied(cfg: &FeatureConfig, c: usize) -> bool {
    !(cfg.shared_language && LANGUAGE_COLUMNS[c])
}

/// `f(column, value)` for each entry of a text page's `row` as the text
/// passes see it with [`FeatureConfig::collapses_text`]: the entries that
/// have a kind copy once, times √2, without the copy; the others as they
/// are. The same entries, bit for bit, as [`Extractor::features`] walks
/// for a text page.
pub fn collapsed_entries(
    row: &Row,
    cfg: &FeatureConfig,
    layout: &Layout,
    mut f: impl FnMut(u32, f32),
) {
    let e = &row.entries[..];
    // The shared dense entries, then their copies.
    let shared = (row.shared_dense as usize).min(e.len());
    let mut copies = 0;
    for &(c, v) in &e[..shared] {
        if (c as usize) < layout.dense && dense_copied(cfg, c as usize) {
            f(c, v * SQRT_2);
            copies += 1;
        } else {
            f(c, v);
        }
    }
    let mut k = (shared + copies).min(e.len());
    // The block's hashed text, then its salted copies.
    let n = (row.own_text as usize).min(e.len() - k);
    for &(c, v) in &e[k..k + n] {
        f(c, v * SQRT_2);
    }
    k = (k + 2 * n).min(e.len());
    for &(c, v) in &e[k..] {
        f(c, v);
    }
}

/// Text pages' rows as the text passes see them ([`collapsed_entries`]).
pub struct CollapsedRows<'a> {
    pub rows: &'a [Row],
    pub cfg: &'a FeatureConfig,
    pub layout: Layout,
}

impl BlockEntries for CollapsedRows<'_> {
    fn blocks(&self) -> usize {
        self.rows.len()
    }
    fn for_each_entry(&mut self, i: usize, f: impl FnMut(u32, f32)) {
        collapsed_entries(&self.rows[i], self.cfg, &self.layout, f);
    }
}

/// The value factor of a collapsed entry.
const SQRT_2: f32 = std::f32::consts::SQRT_2;

/// Hashed feature columns: FNV-1a keyed by a namespace byte (stable across
/// platforms and releases, so model files stay valid).
use crate::fnv::Keyed as Fnv;

/// Per-block facts computed once and shared by the block's own row and its
/// neighbours' rows.
#[derive(Debug, Clone)]
struct Facts {
    dense: [f32; OWN.len()],
    words: usize,
    chars: usize,
    text_hash: u64,
    /// Folded words joined by single spaces, with spaces around (` a b `), for
    /// finding copies of a block inside another; empty for long blocks.
    word_text: String,
    /// One bit per word of `word_text` (a 64-bit Bloom filter): a block whose
    /// words are not all in another's cannot be a copy inside it.
    word_bits: u64,
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '۔' | '…' | '。')
}

/// Shape facts of one block's text.
/// Substrings the shape features look for in folded text, searched with
/// prebuilt searchers (a `str::contains` builds one per call).
struct Needles {
    paren_c: Finder<'static>,
    copyright: Finder<'static>,
    http: Finder<'static>,
    www: Finder<'static>,
}

static NEEDLES: LazyLock<Needles> = LazyLock::new(|| Needles {
    paren_c: Finder::new("(c)"),
    copyright: Finder::new("copyright"),
    http: Finder::new("http"),
    www: Finder::new("www."),
});

fn has(f: &Finder<'_>, text: &str) -> bool {
    f.find(text.as_bytes()).is_some()
}

fn block_facts(text: &str, folded: &str, lang: &LangInfo, lines: u32) -> Facts {
    let mut d = [0.0f32; OWN.len()];
    let mut arabic = 0usize;
    let mut latin = 0usize;
    let mut upper = 0usize;
    let mut digits = 0usize;
    let mut punct = 0usize;
    let mut visible = 0usize;
    let mut terminals = 0usize;
    let mut pipes = 0usize;
    let mut commas = 0usize;
    let mut arabic_punct = 0usize;
    let mut chars = 0usize;
    let mut crumb = false;
    let mut copyright = false;
    let mut words = 0usize;
    let mut word_chars = 0usize;
    let mut latin_words = 0usize;
    let mut capitalised = 0usize;
    let mut first = None;
    let mut last = None;
    // The whitespace-separated chunk being read: its characters, whether it
    // holds a word character, and its first letter (a word character that
    // is not a digit).
    let mut chunk_chars = 0usize;
    let mut chunk_is_word = false;
    let mut chunk_first: Option<(char, Script)> = None;
    let mut end_chunk = |chunk_chars: &mut usize,
                         chunk_is_word: &mut bool,
                         chunk_first: &mut Option<(char, Script)>| {
        if std::mem::take(chunk_is_word) {
            words += 1;
            word_chars += *chunk_chars;
            if let Some((f, Script::Latin)) = *chunk_first {
                latin_words += 1;
                capitalised += usize::from(f.is_uppercase());
            }
        }
        *chunk_chars = 0;
        *chunk_first = None;
    };
    for c in text.chars() {
        chars += 1;
        if c.is_whitespace() {
            end_chunk(&mut chunk_chars, &mut chunk_is_word, &mut chunk_first);
            continue;
        }
        if first.is_none() {
            first = Some(c);
        }
        last = Some(c);
        visible += 1;
        let sc = crate::lang::script(c);
        match sc {
            Script::Arabic => arabic += 1,
            Script::Latin => {
                latin += 1;
                upper += usize::from(c.is_uppercase());
            }
            Script::Digit => digits += 1,
            Script::Other => {
                punct += 1;
                if matches!(c, ',' | '،' | ';' | '؛') {
                    commas += 1;
                }
                if matches!(c, '،' | '؛' | '؟') {
                    arabic_punct += 1;
                }
                match c {
                    '|' | '¦' => pipes += 1,
                    '»' | '«' | '›' | '‹' | '>' | '/' | '\\' => crumb = true,
                    '©' | '®' | '™' => copyright = true,
                    _ if is_terminal(c) => terminals += 1,
                    _ => {}
                }
            }
            _ => {}
        }
        chunk_chars += 1;
        if is_word_char_of(c, sc) {
            chunk_is_word = true;
            if chunk_first.is_none() && sc != Script::Digit {
                chunk_first = Some((c, sc));
            }
        }
    }
    end_chunk(&mut chunk_chars, &mut chunk_is_word, &mut chunk_first);
    let letters = (arabic + latin).max(1) as f32;
    let vis = visible.max(1) as f32;
    let lower = folded;
    let needles = &*NEEDLES;
    let mut set = |c: usize, v: f32| d[c] = v;
    // A constant: with feature augmentation its per-kind copies are the
    // kinds' own intercepts (the model's intercept is shared).
    set(col!("kind_bias"), 1.0);
    set(col!("ln_chars"), (1.0 + chars as f32).ln() / 8.0);
    set(col!("ln_words"), (1.0 + words as f32).ln() / 5.0);
    set(col!("words_1"), f32::from(words == 1));
    set(col!("words_2_3"), f32::from((2..=3).contains(&words)));
    set(col!("words_4_9"), f32::from((4..=9).contains(&words)));
    set(col!("words_10p"), f32::from(words >= 10));
    set(col!("words_30p"), f32::from(words >= 30));
    set(col!("arabic_share"), arabic as f32 / letters);
    set(col!("latin_share"), latin as f32 / letters);
    set(col!("digit_share"), digits as f32 / vis);
    set(col!("punct_share"), punct as f32 / vis);
    set(col!("upper_share"), upper as f32 / latin.max(1) as f32);
    set(
        col!("capitalised_share"),
        capitalised as f32 / latin_words.max(1) as f32,
    );
    set(
        col!("ends_terminal"),
        f32::from(last.is_some_and(is_terminal)),
    );
    set(col!("ends_colon"), f32::from(matches!(last, Some(':'))));
    set(
        col!("ends_comma"),
        f32::from(matches!(last, Some(',' | '،' | ';' | '؛'))),
    );
    set(col!("ln_terminals"), (1.0 + terminals as f32).ln() / 3.0);
    set(
        col!("has_copyright"),
        f32::from(copyright || has(&needles.paren_c, lower) || has(&needles.copyright, lower)),
    );
    set(col!("has_year"), f32::from(has_year(text)));
    set(col!("ln_pipes"), (1.0 + pipes as f32).ln() / 2.0);
    set(col!("ln_commas"), (1.0 + commas as f32).ln() / 3.0);
    set(
        col!("ln_arabic_punct"),
        (1.0 + arabic_punct as f32).ln() / 3.0,
    );
    set(col!("has_crumb_sep"), f32::from(crumb));
    set(
        col!("starts_bullet"),
        f32::from(matches!(
            first,
            Some('•' | '-' | '*' | '·' | '▪' | '►' | '–' | '—' | '◄')
        )),
    );
    set(
        col!("has_url"),
        f32::from(has(&needles.http, lower) || has(&needles.www, lower) || lower.contains('@')),
    );
    set(col!("ln_lines"), (lines as f32).ln() / 2.0);
    set(
        col!("avg_word_len"),
        (word_chars as f32 / words.max(1) as f32 / 10.0).min(2.0),
    );
    let lang_col = match lang.lang {
        Lang::Ar => col!("lang_ar"),
        Lang::En => col!("lang_en"),
        Lang::Mixed => col!("lang_mixed"),
        Lang::Other => col!("lang_other"),
        Lang::None => col!("lang_none"),
    };
    set(lang_col, 1.0);
    set(col!("lang_confidence"), lang.confidence);
    set(
        col!("starts_quote"),
        f32::from(matches!(first, Some('"' | '«' | '“' | '„' | '\''))),
    );
    set(col!("has_time"), f32::from(has_time(text)));
    set(col!("mostly_digits"), f32::from(digits * 2 > visible));
    set(
        col!("title_case"),
        f32::from(latin_words >= 2 && capitalised == latin_words && words <= 12),
    );
    set(col!("has_hashtag"), f32::from(text.contains('#')));
    set(
        col!("one_word_lines"),
        f32::from(lines >= 3 && words as u32 <= lines + lines / 4),
    );
    let mut word_text = String::new();
    let mut word_bits = 0u64;
    if words <= MAX_COPY_WORDS {
        word_text.push(' ');
        for w in folded.split(|c: char| !(is_word_char(c) || c == '\'')) {
            if !w.is_empty() {
                word_text.push_str(w);
                word_text.push(' ');
                word_bits |= 1 << (Fnv::new(0).bytes(w.as_bytes()).finish() & 63);
            }
        }
    }
    let text_hash = Fnv::new(0).bytes(folded.trim().as_bytes()).finish();
    Facts {
        dense: d,
        words,
        chars,
        text_hash,
        word_text,
        word_bits,
    }
}

/// Letters and digits, fast for ASCII and Arabic (the common cases), exact
/// (Unicode `Alphabetic`/`Numeric`) for the rest.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_word_char_of(c, crate::lang::script(c))
}

/// [`is_word_char`] of a character whose script is known.
#[inline]
fn is_word_char_of(c: char, script: Script) -> bool {
    match script {
        Script::Arabic | Script::Latin | Script::Digit => true,
        Script::ArabicJoiner => {
            matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
        }
        Script::Hebrew | Script::OtherLetter => true,
        // ASCII letters and digits are `Latin` and `Digit`.
        Script::Other => !c.is_ascii() && chars::is_alphanumeric(c),
    }
}

/// English function words: their share of a block's words is high in running
/// prose and low in menus, buttons and headline lists (as jusText uses it).
const EN_STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it",
    "its", "this", "that", "these", "those", "which", "who", "whom", "whose", "what", "when",
    "where", "why", "how", "not", "no", "he", "she", "they", "we", "you", "i", "his", "her",
    "their", "our", "your", "my", "him", "them", "us", "me", "will", "would", "can", "could",
    "should", "may", "might", "must", "do", "does", "did", "there", "here", "than", "then", "so",
    "if", "about", "into", "over", "after", "before", "also", "more", "most", "some", "such",
    "only", "other", "all", "any", "each", "said", "just", "very", "because", "while", "during",
    "between", "against", "under", "since", "until", "both", "same", "own", "too",
];

/// Arabic function words (folded as block text is), for the same purpose.
const AR_STOPWORDS: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "مع",
    "أن",
    "ان",
    "إن",
    "أنه",
    "انه",
    "التي",
    "التى",
    "الذي",
    "الذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "كان",
    "كانت",
    "يكون",
    "تكون",
    "قد",
    "لقد",
    "ما",
    "لا",
    "لم",
    "لن",
    "كما",
    "أو",
    "او",
    "ثم",
    "بعد",
    "قبل",
    "حتى",
    "إذا",
    "اذا",
    "بين",
    "عند",
    "كل",
    "أي",
    "قال",
    "وقال",
    "وأن",
    "وان",
    "وفي",
    "ومن",
    "وعلى",
    "هو",
    "هي",
    "هم",
    "نحن",
    "بعض",
    "غير",
    "حيث",
    "منذ",
    "خلال",
    "لدى",
    "عليه",
    "عليها",
    "إليه",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "به",
    "بها",
    "له",
    "لها",
    "لهم",
    "وهو",
    "وهي",
    "والتي",
    "إلا",
    "الا",
    "ليس",
    "أيضا",
    "ايضا",
    "أكثر",
    "كذلك",
    "حول",
    "نحو",
    "وقد",
    "ولا",
    "وما",
    "إنه",
    "أنها",
    "انها",
    "عندما",
    "لكن",
    "ولكن",
    "بأن",
    "بان",
    "التي",
    "وكان",
    "لأن",
    "لان",
    "فإن",
    "فان",
    "عليهم",
];

/// Words of notices, in English and Arabic (folded as block text is): their
/// share of a block is evidence for `legal` whatever the site or layout, as
/// stopwords are for prose.
const LEGAL_WORDS: &[&str] = &[
    "privacy",
    "cookie",
    "cookies",
    "terms",
    "conditions",
    "policy",
    "policies",
    "rights",
    "reserved",
    "copyright",
    "disclaimer",
    "liability",
    "liable",
    "consent",
    "gdpr",
    "license",
    "licence",
    "licensed",
    "trademark",
    "trademarks",
    "warranty",
    "refund",
    "refunds",
    "agreement",
    "legal",
    "jurisdiction",
    "compliance",
    "unsubscribe",
    "personal",
    "الخصوصية",
    "خصوصية",
    "سياسة",
    "الشروط",
    "شروط",
    "الأحكام",
    "والأحكام",
    "وأحكام",
    "أحكام",
    "حقوق",
    "الحقوق",
    "محفوظة",
    "الطبع",
    "والنشر",
    "ملفات",
    "الارتباط",
    "المسؤولية",
    "مسؤولية",
    "إخلاء",
    "الموافقة",
    "الاسترجاع",
    "استرجاع",
    "الاستبدال",
    "استبدال",
    "الضمان",
    "ضمان",
    "ترخيص",
    "الترخيص",
    "الاستخدام",
    "اتفاقية",
    "القانونية",
    "قانونية",
    "الشخصية",
    "بياناتك",
    "الملكية",
    "الفكرية",
];

/// Words of advertising and sponsorship, in English and Arabic (folded).
const AD_WORDS: &[&str] = &[
    "advertisement",
    "advertisements",
    "advertising",
    "advertiser",
    "advert",
    "ad",
    "ads",
    "sponsored",
    "sponsor",
    "sponsors",
    "promoted",
    "affiliate",
    "shop",
    "buy",
    "deal",
    "deals",
    "إعلان",
    "اعلان",
    "إعلانات",
    "الإعلانات",
    "إعلاني",
    "إعلانية",
    "ممول",
    "ممولة",
    "مدعوم",
    "مدعومة",
    "برعاية",
    "الراعي",
    "رعاة",
    "ترويجي",
    "ترويجية",
    "اشتر",
    "تسوق",
    "اشتري",
];

/// Hashes of the folded word lists: 1 for English stopwords, 2 for Arabic
/// ones, 3 for notice words, 4 for advertising words.
static STOPWORDS: LazyLock<HashMap<u64, u8, BuildHasherDefault<PassThrough>>> =
    LazyLock::new(|| {
        let mut m = HashMap::default();
        for (list, v) in [
            (AD_WORDS, 4u8),
            (LEGAL_WORDS, 3u8),
            (EN_STOPWORDS, 1u8),
            (AR_STOPWORDS, 2u8),
        ] {
            for w in list {
                let f = crate::normalize::fold(w);
                m.insert(Fnv::new(0).bytes(f.as_bytes()).finish(), v);
            }
        }
        m
    });

/// Blocks longer than this (in words) are not compared for copies: headlines,
/// titles and teasers are what pages repeat.
const MAX_COPY_WORDS: usize = 40;
/// Shortest block (in words) whose copies count.
const MIN_COPY_WORDS: usize = 3;

/// Mark blocks that are a copy of part of another block (a title-bar copy of
/// the headline with the site name appended, a headline broken one word per
/// line) and blocks that contain such a copy.
fn mark_copies(facts: &mut [Facts]) {
    let inside = col!("copy_inside_other");
    let contains = col!("copy_contains_other");
    let earlier = col!("copy_of_earlier");
    let n = facts.len();
    // Quadratic in the number of short blocks; bounded for huge pages.
    let short: Vec<usize> = (0..n)
        .filter(|&i| facts[i].words >= MIN_COPY_WORDS && !facts[i].word_text.is_empty())
        .take(400)
        .collect();
    for &i in &short {
        // One searcher per needle, reused over the haystacks; built only
        // when a haystack passes the cheap tests (most needles meet none).
        let needle = std::mem::take(&mut facts[i].word_text);
        let mut finder: Option<Finder<'_>> = None;
        let bits = facts[i].word_bits;
        for &j in &short {
            if i == j || facts[i].text_hash == facts[j].text_hash {
                continue;
            }
            // `needle` is whole words between spaces, so inside `j` only if
            // every one of its words is a word of `j`.
            if facts[j].word_text.len() > needle.len()
                && bits & !facts[j].word_bits == 0
                && finder
                    .get_or_insert_with(|| Finder::new(needle.as_bytes()))
                    .find(facts[j].word_text.as_bytes())
                    .is_some()
            {
                facts[i].dense[inside] = 1.0;
                facts[j].dense[contains] = 1.0;
                if j < i {
                    facts[i].dense[earlier] = 1.0;
                } else {
                    facts[j].dense[earlier] = 1.0;
                }
            }
        }
        drop(finder);
        facts[i].word_text = needle;
    }
}

/// Words of a neighbouring block that count for its neighbours.
const NEAR_WORDS: usize = 16;
/// Total weight of a neighbour's words (spread as 1/√words).
const NEAR_WEIGHT: f32 = 0.6;
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A 64-bit finaliser (splitmix64's): spreads a salted hash over all bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// How far above a block its section header may be, in blocks.
const HEADER_REACH: usize = 8;

/// Title-like blocks (3–16 words, one line, no sentence end) and the length of
/// the run of title-like blocks each belongs to: lists of headlines are
/// navigation or promoted content, paragraphs are not.
fn mark_title_runs(facts: &mut [Facts]) {
    let like: Vec<bool> = facts
        .iter()
        .map(|f| {
            (3..=16).contains(&f.words)
                && f.dense[col!("ends_terminal")] == 0.0
                && f.dense[col!("ln_lines")] == 0.0
        })
        .collect();
    let mut i = 0;
    while i < facts.len() {
        if !like[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < facts.len() && like[j] {
            j += 1;
        }
        let v = ((j - i) as f32).ln() / 2.0;
        for f in &mut facts[i..j] {
            f.dense[col!("title_like")] = 1.0;
            f.dense[col!("ln_title_run")] = v;
        }
        i = j;
    }
}

fn has_year(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
    })
}

fn has_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

fn add_structure(d: &mut [f32], page: &Page, i: usize) {
    let Some(s) = page.blocks[i].structure.as_deref() else {
        return;
    };
    let mut set = |c: usize, v: f32| d[c] = v;
    set(col!("has_structure"), 1.0);
    set(col!("link_density"), s.link_density.clamp(0.0, 1.0));
    set(col!("is_heading"), f32::from(s.heading > 0));
    set(col!("heading_level"), f32::from(s.heading) / 6.0);
    set(col!("is_list_item"), f32::from(s.is_list_item));
    set(col!("is_table_cell"), f32::from(s.is_table_cell));
    set(
        col!("is_code"),
        f32::from(s.tag_path.iter().any(|t| matches!(&**t, "pre" | "code"))),
    );
    set(
        col!("container_text_density"),
        s.container_text_density.clamp(0.0, 1.0),
    );
    for t in &s.class_tokens {
        if let Some(c) = class_keyword(t) {
            set(c, 1.0);
        }
    }
    if let Some(lm) = s.landmark {
        let c = match lm {
            "nav" => Some(col!("lm_nav")),
            "header" => Some(col!("lm_header")),
            "footer" => Some(col!("lm_footer")),
            "aside" => Some(col!("lm_aside")),
            "main" => Some(col!("lm_main")),
            "article" => Some(col!("lm_article")),
            "form" => Some(col!("lm_form")),
            _ => None,
        };
        if let Some(c) = c {
            set(c, 1.0);
        }
    }
}

/// The column of a `class`/`id` token that names what a container is, as
/// sites of every language name them (the words Readability and
/// trafilatura look for): comments, menus, headers, footers, sidebars,
/// related or popular lists, share bars, ads, legal notices, author boxes,
/// the content itself. One dense column per kind, so that the evidence is
/// the same on every site, where a hashed class token is one site's word.
fn class_keyword(token: &str) -> Option<usize> {
    Some(match token {
        "comment" | "comments" | "reply" | "replies" | "respond" | "discussion" | "disqus"
        | "commentlist" => col!("cls_comment"),
        "nav" | "navbar" | "navigation" | "menu" | "submenu" | "breadcrumb" | "breadcrumbs"
        | "pagination" | "pager" | "crumbs" => col!("cls_nav"),
        "header" | "masthead" | "topbar" | "banner" => col!("cls_header"),
        "footer" | "foot" | "colophon" | "copyright" => col!("cls_footer"),
        "sidebar" | "aside" | "widget" | "widgets" | "rail" | "secondary" => col!("cls_sidebar"),
        "related" | "recommended" | "recommendations" | "popular" | "trending" | "similar"
        | "latest" | "recent" | "teaser" | "teasers" | "more" => col!("cls_related"),
        "share" | "sharing" | "social" | "follow" | "addthis" | "sharethis" => col!("cls_share"),
        "ad" | "ads" | "adv" | "advert" | "advertisement" | "adsbygoogle" | "sponsor"
        | "sponsored" | "promo" | "promoted" | "taboola" | "outbrain" | "dfp" | "gpt" => {
            col!("cls_ad")
        }
        "cookie" | "cookies" | "consent" | "gdpr" | "privacy" | "legal" | "disclaimer" => {
            col!("cls_legal")
        }
        "author" | "byline" | "bio" | "avatar" | "profile" => col!("cls_author"),
        "content" | "article" | "post" | "entry" | "story" | "body" | "main" | "text" | "prose"
        | "blog" => col!("cls_content"),
        _ => return None,
    })
}

/// Multiply hashed entries' values by `s` (nothing to do at 1).
fn scale(entries: &mut [(u32, f32)], s: f32) {
    if s != 1.0 {
        for e in entries {
            e.1 *= s;
        }
    }
}

/// Landmark and class-keyword columns, centred on the page by
/// [`normalise_page`] (a `content` class that wraps the whole page says
/// nothing of any block).
const LANDMARKS: [usize; 18] = [
    col!("lm_nav"),
    col!("lm_header"),
    col!("lm_footer"),
    col!("lm_aside"),
    col!("lm_main"),
    col!("lm_article"),
    col!("lm_form"),
    col!("cls_comment"),
    col!("cls_nav"),
    col!("cls_header"),
    col!("cls_footer"),
    col!("cls_sidebar"),
    col!("cls_related"),
    col!("cls_share"),
    col!("cls_ad"),
    col!("cls_legal"),
    col!("cls_author"),
    col!("cls_content"),
];

/// Share of a page's text above which a `<form>` is the page's wrapper
/// (ASP.NET pages), not a landmark.
const WRAPPER_FORM_SHARE: f32 = 0.5;

/// Take page-level constants out of the rows: they shift every block of a
/// page alike, so what they learn on the training sites is a bias per site.
fn normalise_page(facts: &mut [Facts], total_chars: usize) {
    for f in facts.iter_mut() {
        f.dense[col!("ln_page_blocks")] = 0.0;
        f.dense[col!("page_arabic_share")] = 0.0;
        f.dense[col!("page_without_long")] = 0.0;
    }
    let form_chars: usize = facts
        .iter()
        .filter(|f| f.dense[col!("lm_form")] > 0.0)
        .map(|f| f.chars)
        .sum();
    if form_chars as f32 > WRAPPER_FORM_SHARE * total_chars as f32 {
        for f in facts.iter_mut() {
            f.dense[col!("lm_form")] = 0.0;
        }
    }
    let n = facts.len().max(1) as f32;
    for c in LANDMARKS {
        let mean = facts.iter().map(|f| f.dense[c]).sum::<f32>() / n;
        if mean > 0.0 {
            for f in facts.iter_mut() {
                f.dense[c] -= mean;
            }
        }
    }
}

/// Hasher for keys that are already well-mixed 64-bit hashes ([`Fnv::finish`]).
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashCounts = HashMap<u64, u32, BuildHasherDefault<PassThrough>>;

/// Hashed entries kept per page (8 bytes each): past this many, the blocks
/// that follow are hashed again when their entries are walked
/// ([`PageFeatures`]), so that a page's features stay within ≈ 32 MiB
/// whatever its length. Only pages of megabytes of text get there.
const HASHED_BUDGET: usize = 1 << 22;

/// Reusable buffers for feature extraction: kept between pages so that the
/// per-page work allocates little.
#[derive(Default)]
pub struct Extractor {
    folded: String,
    tokens: Vec<(usize, usize)>,
    /// Character boundaries of one word, for character n-grams.
    bounds: Vec<usize>,
    /// Hashed entries of the page's first `stored` blocks, one block after
    /// the other.
    hashed: Vec<(u32, f32)>,
    /// End of each stored block's entries in `hashed`.
    hashed_ends: Vec<usize>,
    /// Blocks whose hashed entries are in `hashed` (a prefix of the page).
    stored: usize,
    /// Entries of `hashed` past which no more blocks are stored; `None`:
    /// [`HASHED_BUDGET`].
    budget: Option<usize>,
    /// Text entries with salted copies of each stored block (see
    /// [`Row::own_text`]).
    own_text: Vec<u32>,
    /// Hashed entries of one block past `stored`, hashed again.
    scratch: Vec<(u32, f32)>,
    /// Its text entries with salted copies.
    scratch_own: u32,
    /// Shape facts of every block of the page.
    facts: Vec<Facts>,
    /// Header-namespace word columns of every block, one block after the
    /// other ([`Extractor::header_hashes`]; none for a block that is no
    /// section header).
    heads: Vec<u32>,
    /// End of each block's columns in `heads`.
    head_ends: Vec<usize>,
    /// Word hashes of every block's first [`NEAR_WORDS`] words, one block
    /// after the other (its neighbours' features).
    near: Vec<u64>,
    /// End of each block's words in `near`.
    near_ends: Vec<usize>,
    repeats: HashCounts,
    seen: HashCounts,
    /// Prose characters under each ancestor element (by node number).
    prose_under: HashMap<u64, (f32, f32), BuildHasherDefault<PassThrough>>,
}

/// The part of a flat buffer that belongs to block `i`, given each block's end.
fn span<'a, T>(all: &'a [T], ends: &[usize], i: usize) -> &'a [T] {
    &all[if i == 0 { 0 } else { ends[i - 1] }..ends[i]]
}

/// The shared dense entries of block `i`: `out(column, value)` for its own
/// facts, then its neighbours' shape (or "no neighbour" at the page's ends),
/// zeros included.
fn dense_entries(facts: &[Facts], i: usize, layout: &Layout, mut out: impl FnMut(usize, f32)) {
    let n = facts.len();
    for (c, &v) in facts[i].dense.iter().enumerate() {
        out(c, v);
    }
    let stride = NEIGHBOUR.len() + 1;
    for (slot, j) in [(0, i.checked_sub(1)), (1, Some(i + 1).filter(|&j| j < n))] {
        let base = layout.own + slot * stride;
        match j {
            Some(j) => {
                for (k, &c) in NEIGHBOUR_COLS.iter().enumerate() {
                    out(base + k, facts[j].dense[c]);
                }
            }
            None => out(base + NEIGHBOUR.len(), 1.0),
        }
    }
}

/// Feature entries of a page's blocks, walked one block at a time: what
/// [`crate::model::Model::predict_entries`] scores.
pub trait BlockEntries {
    /// Number of blocks.
    fn blocks(&self) -> usize;
    /// `f(column, value)` for each entry of block `i`'s first-pass row, in
    /// the row's order (a column may repeat; values add).
    fn for_each_entry(&mut self, i: usize, f: impl FnMut(u32, f32));
}

/// Rows already built walk as themselves.
impl BlockEntries for &[Row] {
    fn blocks(&self) -> usize {
        self.len()
    }
    fn for_each_entry(&mut self, i: usize, mut f: impl FnMut(u32, f32)) {
        for &(c, v) in &self[i].entries {
            f(c, v);
        }
    }
}

/// One page's first-pass features, read straight from the [`Extractor`]'s
/// flat buffers ([`Extractor::features`]): block `i`'s entries are its
/// dense facts, its neighbours' shape facts, the kind copies of both, its
/// hashed words and markup, the words of the header above it and its
/// neighbours' first words, in the order of [`Extractor::rows`], without
/// building the row.
pub struct PageFeatures<'a> {
    ex: &'a mut Extractor,
    page: &'a Page,
    cfg: &'a FeatureConfig,
    layout: Layout,
    /// The entries collapsed for the text passes ([`collapsed_entries`]).
    collapse: bool,
}

impl BlockEntries for PageFeatures<'_> {
    fn blocks(&self) -> usize {
        self.page.blocks.len()
    }

    fn for_each_entry(&mut self, i: usize, f: impl FnMut(u32, f32)) {
        self.walk(i, f);
    }
}

impl PageFeatures<'_> {
    /// [`BlockEntries::for_each_entry`], returning the block's number of
    /// shared dense entries and of text entries with salted copies (what
    /// [`Row`] records).
    fn walk(&mut self, i: usize, mut f: impl FnMut(u32, f32)) -> (u32, u32) {
        let (cfg, layout, page) = (self.cfg, &self.layout, self.page);
        let collapse = self.collapse;
        if i >= self.ex.stored {
            let ex = &mut *self.ex;
            ex.folded.clear();
            fold_into(page.block_text(i), &mut ex.folded);
            ex.tokenize();
            let mut h = std::mem::take(&mut ex.scratch);
            h.clear();
            ex.scratch_own =
                ex.hash_block(&page.blocks[i], page.kind, cfg, layout, collapse, &mut h);
            ex.scratch = h;
        }
        let ex = &*self.ex;
        let n = ex.facts.len();
        let facts = &ex.facts;
        let mut shared = 0u32;
        let mut push = |c: usize, v: f32| {
            if v != 0.0 {
                f(c as u32, v)
            }
        };
        // Own dense facts and the neighbours' shape; with augmentation,
        // the same non-zero entries again in the copy of the page's kind
        // (or, collapsed, once valued √2 times more).
        dense_entries(facts, i, layout, |c, v| {
            if v != 0.0 {
                shared += 1;
            }
            push(
                c,
                if collapse && dense_copied(cfg, c) {
                    v * SQRT_2
                } else {
                    v
                },
            )
        });
        if layout.dense_copies == 3 && !collapse {
            let kind_offset = match page.kind {
                crate::page::PageKind::Text => layout.dense,
                crate::page::PageKind::Html => 2 * layout.dense,
            };
            dense_entries(facts, i, layout, |c, v| {
                if dense_copied(cfg, c) {
                    push(c + kind_offset, v)
                }
            });
        }
        let (hashed, own) = if i < ex.stored {
            (span(&ex.hashed, &ex.hashed_ends, i), ex.own_text[i])
        } else {
            (&ex.scratch[..], ex.scratch_own)
        };
        for &(c, v) in hashed {
            f(c, v);
        }
        // The section this block sits in: words of the nearest short,
        // header-like block above it (a "Most read" or "Sponsored" heading
        // colours the list under it).
        if let Some(head) = (i.saturating_sub(HEADER_REACH)..i)
            .rev()
            .map(|j| span(&ex.heads, &ex.head_ends, j))
            .find(|h| !h.is_empty())
        {
            f(col!("has_header_above") as u32, 1.0);
            let w = 0.5 * cfg.text_hash_scale / (head.len() as f32).sqrt();
            for &c in head {
                f(c, w);
            }
        }
        // Words of the blocks just above and below, in their own
        // namespaces: what a block sits between (a list of headlines
        // under "Promoted", a menu item between menu items).
        let mask = (layout.hash_size - 1) as u64;
        for (salt, j) in [
            (71u64, i.checked_sub(1)),
            (72, Some(i + 1).filter(|&j| j < n)),
        ] {
            let words = match j {
                Some(j) => span(&ex.near, &ex.near_ends, j),
                None => &[][..],
            };
            if !words.is_empty() {
                let w = NEAR_WEIGHT * cfg.text_hash_scale / (words.len() as f32).sqrt();
                for &h in words {
                    let c = layout.hash_base as u64 + (mix(h ^ salt.wrapping_mul(GOLDEN)) & mask);
                    f(c as u32, w);
                }
            }
        }
        (shared, own)
    }
}

impl Extractor {
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// An extractor that keeps at most `entries` hashed entries of a page
    /// and hashes the blocks past them again when they are walked.
    #[cfg(test)]
    pub(crate) fn with_budget(entries: usize) -> Extractor {
        Extractor {
            budget: Some(entries),
            ..Extractor::default()
        }
    }

    /// First-pass feature rows of every block of `page`, built from
    /// [`Extractor::features`] (for training, which needs them all).
    /// A row holds every kind copy, whatever the configuration (see
    /// [`Row`]).
    pub fn rows(&mut self, page: &Page, langs: &[LangInfo], cfg: &FeatureConfig) -> Vec<Row> {
        let mut feats = self.features_as(page, langs, cfg, false);
        let mut entries = Vec::new();
        (0..feats.blocks())
            .map(|i| {
                entries.clear();
                let (shared_dense, own_text) = feats.walk(i, |c, v| entries.push((c, v)));
                // Exactly as long as it is: training holds every row.
                Row {
                    entries: entries.to_vec(),
                    shared_dense,
                    own_text,
                }
            })
            .collect()
    }

    /// First-pass features of every block of `page`, to be walked block by
    /// block: the page-level facts are computed here, the rows never built.
    pub fn features<'a>(
        &'a mut self,
        page: &'a Page,
        langs: &[LangInfo],
        cfg: &'a FeatureConfig,
    ) -> PageFeatures<'a> {
        let collapse = cfg.collapses_text() && page.kind == crate::page::PageKind::Text;
        self.features_as(page, langs, cfg, collapse)
    }

    /// [`Extractor::features`], collapsed for the text passes or not.
    fn features_as<'a>(
        &'a mut self,
        page: &'a Page,
        langs: &[LangInfo],
        cfg: &'a FeatureConfig,
        collapse: bool,
    ) -> PageFeatures<'a> {
        self.prepare(page, langs, cfg, collapse);
        PageFeatures {
            ex: self,
            page,
            cfg,
            layout: cfg.layout(),
            collapse,
        }
    }

    /// The facts of every block, with the page-level ones; the hashed
    /// entries of the blocks within the budget.
    fn prepare(&mut self, page: &Page, langs: &[LangInfo], cfg: &FeatureConfig, collapse: bool) {
        let layout = cfg.layout();
        let n = page.blocks.len();
        let budget = self.budget.unwrap_or(HASHED_BUDGET);
        let mut facts = std::mem::take(&mut self.facts);
        facts.clear();
        facts.reserve(n);
        self.hashed.clear();
        self.hashed_ends.clear();
        self.own_text.clear();
        self.stored = 0;
        let mut dirs_mixed = Vec::with_capacity(n);
        self.heads.clear();
        self.head_ends.clear();
        self.near.clear();
        self.near_ends.clear();
        for (i, (b, text)) in page.iter().enumerate() {
            self.folded.clear();
            fold_into(text, &mut self.folded);
            let mut f = block_facts(text, &self.folded, &langs[i], b.lines);
            add_structure(&mut f.dense, page, i);
            facts.push(f);
            // Arabic and Latin words together: a mixed-direction block.
            dirs_mixed.push(langs[i].words.arabic > 0 && langs[i].words.latin > 0);
            self.tokenize();
            if self.stored == i && self.hashed.len() < budget {
                let mut h = std::mem::take(&mut self.hashed);
                let own = self.hash_block(b, page.kind, cfg, &layout, collapse, &mut h);
                self.own_text.push(own);
                self.hashed_ends.push(h.len());
                self.hashed = h;
                self.stored += 1;
            }
            let head = self.header_hashes(&layout);
            self.heads.extend_from_slice(&head);
            self.head_ends.push(self.heads.len());
            let folded = self.folded.as_bytes();
            let (mut en_stop, mut ar_stop, mut legal, mut ad) = (0usize, 0usize, 0usize, 0usize);
            for &(a, b) in &self.tokens {
                match STOPWORDS.get(&Fnv::new(0).bytes(&folded[a..b]).finish()) {
                    Some(1) => en_stop += 1,
                    Some(2) => ar_stop += 1,
                    Some(3) => legal += 1,
                    Some(4) => ad += 1,
                    _ => {}
                }
            }
            {
                let f = facts.last_mut().expect("pushed above");
                let w = self.tokens.len().max(1) as f32;
                let ld = f.dense[col!("link_density")];
                f.dense[col!("en_stopword_share")] = en_stop as f32 / w;
                f.dense[col!("ar_stopword_share")] = ar_stop as f32 / w;
                f.dense[col!("ln_stopwords")] = (1.0 + (en_stop + ar_stop) as f32).ln() / 3.0;
                f.dense[col!("legal_word_share")] = legal as f32 / w;
                f.dense[col!("ln_legal_words")] = (1.0 + legal as f32).ln() / 2.0;
                f.dense[col!("ad_word_share")] = ad as f32 / w;
                f.dense[col!("ln_ad_words")] = (1.0 + ad as f32).ln() / 2.0;
                f.dense[col!("ln_unlinked_words")] = (1.0 + f.words as f32 * (1.0 - ld)).ln() / 5.0;
                // Length crossed with link density, as jusText's
                // context-free classes are (a linear model cannot make
                // "long and unlinked" out of the two columns alone).
                let wb = match f.words {
                    0..=1 => 0,
                    2..=3 => 1,
                    4..=9 => 2,
                    10..=29 => 3,
                    _ => 4,
                };
                let lb = if ld <= 0.0 {
                    0
                } else if ld <= 0.2 {
                    1
                } else if ld <= 0.5 {
                    2
                } else {
                    3
                };
                f.dense[col!("x_w0_l0") + wb * 4 + lb] = 1.0;
                let prose = f.words >= 10 && ld <= 0.2;
                f.dense[col!("prose_en")] = f32::from(prose && en_stop as f32 / w >= 0.3);
                f.dense[col!("prose_ar")] = f32::from(prose && ar_stop as f32 / w >= 0.15);
            }
            self.near.extend(
                self.tokens
                    .iter()
                    .take(NEAR_WORDS)
                    .map(|&(a, b)| Fnv::new(0).bytes(&folded[a..b]).finish()),
            );
            self.near_ends.push(self.near.len());
        }
        // Page-level facts.
        let repeats = &mut self.repeats;
        repeats.clear();
        for f in &facts {
            *repeats.entry(f.text_hash).or_default() += 1;
        }
        let total_chars: usize = facts.iter().map(|f| f.chars).sum::<usize>().max(1);
        let longest = facts.iter().map(|f| f.chars).max().unwrap_or(1).max(1);
        let mut lang_chars = [0usize; Lang::COUNT];
        let mut arabic_letters = 0.0f32;
        let mut letters = 0.0f32;
        for (f, l) in facts.iter().zip(langs) {
            lang_chars[l.lang.index()] += f.chars;
            let a = f.dense[col!("arabic_share")];
            let la = f.dense[col!("latin_share")];
            arabic_letters += a * f.chars as f32;
            letters += (a + la) * f.chars as f32;
        }
        let majority = (0..Lang::COUNT)
            .filter(|&i| i != Lang::None.index())
            .max_by_key(|&i| (lang_chars[i], usize::MAX - i))
            .unwrap_or(0);
        let page_arabic = if letters > 0.0 {
            arabic_letters / letters
        } else {
            0.0
        };
        let long: Vec<usize> = (0..n)
            .filter(|&i| facts[i].words >= cfg.long_block_words)
            .collect();
        mark_copies(&mut facts);
        mark_title_runs(&mut facts);
        let seen = &mut self.seen;
        seen.clear();
        let mut chars_before = 0usize;
        for i in 0..n {
            let f = &mut facts[i];
            let mut set = |c: usize, v: f32| f.dense[c] = v;
            let pos = if n > 1 {
                i as f32 / (n - 1) as f32
            } else {
                0.0
            };
            set(col!("position"), pos);
            set(col!("position_first_10"), f32::from(pos < 0.1));
            set(col!("position_last_10"), f32::from(pos > 0.9));
            set(
                col!("char_position"),
                chars_before as f32 / total_chars as f32,
            );
            let count = repeats[&f.text_hash];
            let k = seen.entry(f.text_hash).or_default();
            *k += 1;
            set(col!("ln_repeats"), (count as f32).ln() / 2.0);
            set(col!("is_repeated"), f32::from(count > 1));
            set(col!("is_first_copy"), f32::from(count > 1 && *k == 1));
            set(
                col!("lang_is_page_majority"),
                f32::from(langs[i].lang.index() == majority),
            );
            set(col!("page_arabic_share"), page_arabic);
            set(col!("dir_mixed"), f32::from(dirs_mixed[i]));
            match (long.first(), long.last()) {
                (Some(&first), Some(&last)) => {
                    set(col!("before_first_long"), f32::from(i < first));
                    set(col!("after_last_long"), f32::from(i > last));
                    set(col!("between_long"), f32::from(i >= first && i <= last));
                    let dist = long.iter().map(|&j| j.abs_diff(i)).min().unwrap_or(0);
                    set(col!("ln_dist_long"), (1.0 + dist as f32).ln() / 3.0);
                }
                _ => set(col!("page_without_long"), 1.0),
            }
            set(col!("ln_page_blocks"), (1.0 + n as f32).ln() / 6.0);
            set(col!("chars_over_longest"), f.chars as f32 / longest as f32);
            set(
                col!("page_text_share"),
                (f.chars as f32 / total_chars as f32).sqrt(),
            );
            chars_before += f.chars;
        }
        if cfg.prose_shares {
            self.prose_shares(page, &mut facts);
        }
        if cfg.page_norm {
            normalise_page(&mut facts, total_chars);
        }
        self.facts = facts;
    }

    /// For each HTML block and each of its nearest ancestors, the share of
    /// the page's prose (blocks of running text: 10+ words, under 30 % link
    /// text) that sits under that ancestor: the article's container holds
    /// most of it, a sidebar or a footer little, whatever its tags and class
    /// names (the idea of Readability's container scores, as features).
    fn prose_shares(&mut self, page: &Page, facts: &mut [Facts]) {
        let prose = |f: &Facts| {
            if f.words >= 10 && f.dense[col!("link_density")] < 0.3 {
                f.chars as f32
            } else {
                0.0
            }
        };
        let total: f32 = facts.iter().map(prose).sum();
        if total == 0.0 {
            return;
        }
        // (prose characters, all characters) under each ancestor.
        let under = &mut self.prose_under;
        under.clear();
        for (b, f) in page.blocks.iter().zip(facts.iter()) {
            let p = prose(f);
            if let Some(s) = b.structure.as_deref() {
                for &a in s.ancestors.iter().filter(|&&a| a != NO_ANCESTOR) {
                    let e = under.entry(mix(u64::from(a))).or_default();
                    e.0 += p;
                    e.1 += f.chars as f32;
                }
            }
        }
        const COLS: [usize; ANCESTORS] = [
            col!("prose_share_1"),
            col!("prose_share_2"),
            col!("prose_share_3"),
            col!("prose_share_4"),
            col!("prose_share_5"),
        ];
        for (b, f) in page.blocks.iter().zip(facts.iter_mut()) {
            let Some(s) = b.structure.as_deref() else {
                continue;
            };
            let mut max = 0.0f32;
            let mut best = 0.0f32;
            for (k, &a) in s.ancestors.iter().enumerate() {
                if a == NO_ANCESTOR {
                    break;
                }
                let (p, all) = under.get(&mix(u64::from(a))).copied().unwrap_or((0.0, 1.0));
                let v = p / total;
                f.dense[COLS[k]] = v;
                max = max.max(v);
                // Much of the page's prose, and mostly prose: the article's
                // container (the body element holds all the prose, but
                // with all the rest).
                best = best.max(v * p / all.max(1.0));
            }
            f.dense[col!("max_prose_share")] = max;
            f.dense[col!("container_score")] = best;
        }
    }

    /// Hashed words of `self.folded` in the header namespace, when the block
    /// looks like a section header (1–5 words, no sentence end); else empty.
    fn header_hashes(&self, layout: &Layout) -> Vec<u32> {
        const MAX_WORDS: usize = 5;
        let text = self.folded.trim_end();
        if text.ends_with(|c: char| is_terminal(c) || c == ',' || c == '،') {
            return Vec::new();
        }
        let mut words = [""; MAX_WORDS];
        let mut n = 0;
        for w in text
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
        {
            if n == MAX_WORDS {
                return Vec::new();
            }
            words[n] = w;
            n += 1;
        }
        let mask = (layout.hash_size - 1) as u64;
        words[..n]
            .iter()
            .map(|w| {
                layout.hash_base as u32 + (Fnv::new(50).bytes(w.as_bytes()).finish() & mask) as u32
            })
            .collect()
    }

    /// Split `self.folded` into words (`self.tokens`).
    fn tokenize(&mut self) {
        let text = self.folded.as_str();
        self.tokens.clear();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let word_char = is_word_char(c) || c == '\'';
            match (word_char, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    self.tokens.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            self.tokens.push((s, text.len()));
        }
    }

    /// Hashed entries of block `b` (`self.folded` and `self.tokens` must
    /// be its own): its words and n-grams, scaled, their copies salted by
    /// the page's `kind` with [`FeatureConfig::augment_hashed`], then its
    /// markup, scaled.
    /// With `collapse` (a text page for the text passes,
    /// [`FeatureConfig::collapses_text`]), the text entries are valued √2
    /// times more and have no copies. Returns the number of text entries.
    fn hash_block(
        &mut self,
        b: &crate::page::Block,
        kind: crate::page::PageKind,
        cfg: &FeatureConfig,
        layout: &Layout,
        collapse: bool,
        h: &mut Vec<(u32, f32)>,
    ) -> u32 {
        let text_from = h.len();
        self.hash_text(cfg, layout, h);
        scale(&mut h[text_from..], cfg.text_hash_scale);
        let own = (h.len() - text_from) as u32;
        if collapse && cfg.augment_hashed {
            for e in &mut h[text_from..] {
                e.1 *= SQRT_2;
            }
        } else if cfg.augment_hashed {
            let salt = match kind {
                crate::page::PageKind::Text => 0x7465_7874u64,
                crate::page::PageKind::Html => 0x6874_6d6cu64,
            };
            let mask = (layout.hash_size - 1) as u64;
            let end = h.len();
            for k in text_from..end {
                let (c, v) = h[k];
                let c = layout.hash_base as u64
                    + (mix(u64::from(c) ^ salt.wrapping_mul(GOLDEN)) & mask);
                h.push((c as u32, v));
            }
        }
        if let Some(s) = b.structure.as_deref() {
            let from = h.len();
            hash_structure(s, layout, h);
            scale(&mut h[from..], cfg.markup_hash_scale);
            if cfg.link_targets {
                hash_link_targets(s, self.tokens.len(), layout, h);
            }
        }
        if cfg.augment_hashed {
            own
        } else {
            0
        }
    }

    /// Hashed word n-grams and character n-grams of `self.folded`, whose
    /// words are `self.tokens`.
    fn hash_text(&mut self, cfg: &FeatureConfig, layout: &Layout, out: &mut Vec<(u32, f32)>) {
        let text = self.folded.as_str();
        let mask = (layout.hash_size - 1) as u64;
        let base = layout.hash_base as u32;
        let col = |h: Fnv| base + (h.finish() & mask) as u32;
        let toks = &self.tokens;
        let nt = toks.len();
        if nt == 0 {
            // Symbols only: hash the symbols themselves.
            let t = text.trim();
            if !t.is_empty() {
                out.push((col(Fnv::new(9).bytes(t.as_bytes())), 1.0));
            }
            return;
        }
        // Word n-grams.
        let (wmin, wmax) = cfg.word_ngrams;
        let mut grams = 0usize;
        for n in wmin.max(1)..=wmax {
            grams += nt.saturating_sub(n - 1);
        }
        let wv = 1.0 / (grams.max(1) as f32).sqrt();
        for n in wmin.max(1)..=wmax {
            for w in 0..nt.saturating_sub(n - 1) {
                let mut h = Fnv::new(n as u8);
                for (k, &(s, e)) in toks[w..w + n].iter().enumerate() {
                    if k > 0 {
                        h = h.bytes(b" ");
                    }
                    h = h.bytes(&text.as_bytes()[s..e]);
                }
                out.push((col(h), wv));
            }
        }
        // First and last word of the block.
        let (s, e) = toks[0];
        out.push((col(Fnv::new(20).bytes(&text.as_bytes()[s..e])), 0.5));
        let (s, e) = toks[nt - 1];
        out.push((col(Fnv::new(21).bytes(&text.as_bytes()[s..e])), 0.5));
        // Character n-grams inside words, with word boundaries.
        let (cmin, cmax) = cfg.char_ngrams;
        let start_at = out.len();
        let bounds = &mut self.bounds;
        for &(s, e) in toks {
            let word = &text[s..e];
            bounds.clear();
            bounds.push(0); // position of the "^" boundary
            bounds.extend(word.char_indices().map(|(i, _)| i + 1));
            bounds.push(word.len() + 1);
            bounds.push(word.len() + 2); // after "$"
            let m = bounds.len() - 1; // characters including both boundaries
            for n in cmin.max(1)..=cmax {
                if n > m {
                    break;
                }
                for k in 0..=m - n {
                    let (a, b) = (bounds[k], bounds[k + n]);
                    let mut h = Fnv::new(30 + n as u8);
                    // Bytes of "^word$" from a to b, without building it.
                    if a == 0 {
                        h = h.bytes(b"^");
                    }
                    let ws = a.saturating_sub(1);
                    let we = (b - 1).min(word.len());
                    if we > ws {
                        h = h.bytes(&word.as_bytes()[ws..we]);
                    }
                    if b == word.len() + 2 {
                        h = h.bytes(b"$");
                    }
                    out.push((col(h), 1.0));
                }
            }
        }
        let nc = out.len() - start_at;
        if nc > 0 {
            let v = 1.0 / (nc as f32).sqrt();
            for e in &mut out[start_at..] {
                e.1 = v;
            }
        }
    }
}

fn hash_structure(s: &crate::page::Structure, layout: &Layout, out: &mut Vec<(u32, f32)>) {
    let mask = (layout.hash_size - 1) as u64;
    let base = layout.hash_base as u32;
    let col = |h: Fnv| base + (h.finish() & mask) as u32;
    for t in s.tag_path.iter().rev().take(4) {
        out.push((col(Fnv::new(40).bytes(t.as_bytes())), 0.5));
    }
    let n = s.class_tokens.len().max(1) as f32;
    for t in &s.class_tokens {
        out.push((col(Fnv::new(41).bytes(t.as_bytes())), 1.0 / n.sqrt()));
    }
}

/// [`FeatureConfig::link_targets`]: one entry per kind of link target the
/// block has, valued by its share of the block's characters, and the same
/// once more for short blocks (under 10 words of text: an ad's button or
/// a sponsored headline, not a paragraph that cites a source).
fn hash_link_targets(
    s: &crate::page::Structure,
    words: usize,
    layout: &Layout,
    out: &mut Vec<(u32, f32)>,
) {
    let mask = (layout.hash_size - 1) as u64;
    let base = layout.hash_base as u32;
    for (k, &share) in s.link_kinds.iter().enumerate() {
        if share > 0.0 {
            let v = share.clamp(0.0, 1.0);
            let h = Fnv::new(42).bytes(&[k as u8]).finish();
            out.push((base + (h & mask) as u32, v));
            if words < 10 {
                let h = Fnv::new(43).bytes(&[k as u8]).finish();
                out.push((base + (h & mask) as u32, v));
            }
        }
    }
}

/// Second-pass row: the first-pass row plus the neighbours' first-pass role
/// probabilities (`probs[i]` is block `i`'s distribution over roles).
pub fn add_context_probs(row: &Row, probs: &PageProbs, i: usize, layout: &Layout) -> Row {
    let mut entries = Vec::with_capacity(row.entries.len() + CONTEXT_PROBS);
    entries.extend_from_slice(&row.entries);
    for_each_context(probs, i, layout, |c, v| entries.push((c as u32, v)));
    Row {
        entries,
        shared_dense: row.shared_dense,
        own_text: row.own_text,
    }
}

/// One page's pass-one role probabilities, with their page mean computed
/// once (not once per block: pages may have 50,000 blocks).
pub struct PageProbs<'a> {
    probs: &'a [[f32; Role::COUNT]],
    mean: [f32; Role::COUNT],
    /// Each block's container context, when the configuration has it and
    /// the page has structure; else empty.
    container: Vec<[f32; CONTAINER_COLS]>,
}

impl<'a> PageProbs<'a> {
    /// A page's context; with `container`, and `places` of every block
    /// (see [`places`]), the container context too.
    pub fn with_places(
        probs: &'a [[f32; Role::COUNT]],
        places: &[Place],
        container: bool,
    ) -> PageProbs<'a> {
        let mut page = [0.0f32; Role::COUNT];
        for p in probs {
            for k in 0..Role::COUNT {
                page[k] += p[k];
            }
        }
        let n = probs.len().max(1) as f32;
        PageProbs {
            probs,
            mean: page.map(|v| v / n),
            container: if container && places.len() == probs.len() {
                container_context(probs, places)
            } else {
                Vec::new()
            },
        }
    }
}

/// The entries [`add_context_probs`] appends to block `i`'s row, in the same
/// order, without building the row: `f(column, value)` for each non-zero one.
pub fn for_each_context(ctx: &PageProbs, i: usize, layout: &Layout, mut f: impl FnMut(usize, f32)) {
    let probs = ctx.probs;
    let mut push = |c: usize, v: f32| {
        if v != 0.0 {
            f(c, v)
        }
    };
    let base = layout.pass1;
    let n = probs.len();
    for (slot, off) in [-2isize, -1, 1, 2].iter().enumerate() {
        let j = i as isize + off;
        if j >= 0 && (j as usize) < n {
            for (k, &p) in probs[j as usize].iter().enumerate() {
                push(base + slot * Role::COUNT + k, p);
            }
        }
    }
    let lo = i.saturating_sub(3);
    let hi = (i + 3).min(n - 1);
    let mut win = [0.0f32; Role::COUNT];
    let mut cnt = 0.0;
    for (j, p) in probs.iter().enumerate().take(hi + 1).skip(lo) {
        if j != i {
            for k in 0..Role::COUNT {
                win[k] += p[k];
            }
            cnt += 1.0;
        }
    }
    if cnt > 0.0 {
        for (k, w) in win.iter().enumerate() {
            push(base + 4 * Role::COUNT + k, w / cnt);
        }
    }
    for (k, &v) in ctx.mean.iter().enumerate() {
        push(base + 5 * Role::COUNT + k, v);
    }
    // What comes before and after: a list under a header, a footer's run.
    let side = |range: std::ops::Range<usize>| {
        let mut m = [0.0f32; Role::COUNT];
        for p in &probs[range.clone()] {
            for k in 0..Role::COUNT {
                m[k] += p[k];
            }
        }
        let len = range.len().max(1) as f32;
        m.map(|v| v / len)
    };
    if i > 0 {
        for (k, v) in side(i.saturating_sub(SIDE_WINDOW)..i).iter().enumerate() {
            push(base + 6 * Role::COUNT + k, *v);
        }
    }
    if i + 1 < n {
        for (k, v) in side(i + 1..(i + 1 + SIDE_WINDOW).min(n)).iter().enumerate() {
            push(base + 7 * Role::COUNT + k, *v);
        }
    }
    if let Some(c) = ctx.container.get(i) {
        for (k, &v) in c.iter().enumerate() {
            push(base + CONTEXT_PROBS + k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::identify;
    use crate::page::{OffsetMap, PageKind};

    fn page(text: &str) -> Page {
        Page {
            id: "t".into(),
            url: None,
            text: text.into(),
            blocks: crate::segment::segment(text),
            kind: PageKind::Text,
            offsets: OffsetMap::identity(),
            encoding: None,
            lossy: false,
            truncated: false,
            title: None,
            date: None,
        }
    }

    #[test]
    fn length_and_link_density_cross_is_one_hot_and_prose_needs_stopwords() {
        let prose = "The council said on Tuesday that the new road would be \
                     finished before the end of the year, and that the work \
                     had been paid for by the city. The mayor welcomed it.";
        let p = page(&format!(
            "Home\n{prose}\nOil Gas Coal Wind Solar Nuclear Hydro Tidal Power Grid Prices"
        ));
        let langs: Vec<_> = p.iter().map(|(_, t)| identify(t)).collect();
        let rows = Extractor::new().rows(&p, &langs, &FeatureConfig::default());
        let cross = col!("x_w0_l0") as u32..col!("x_w4_l3") as u32 + 1;
        let cells = |i: usize| -> Vec<u32> {
            let r: &Row = &rows[i];
            r.entries
                .iter()
                .filter(|e| cross.contains(&e.0))
                .map(|e| e.0)
                .collect()
        };
        // One word, no links; 30+ words; 10-29 words (text pages: no links).
        assert_eq!(cells(0), vec![col!("x_w0_l0") as u32]);
        assert_eq!(cells(1), vec![(col!("x_w0_l0") + 4 * 4) as u32]);
        assert_eq!(cells(2), vec![(col!("x_w0_l0") + 3 * 4) as u32]);
        let has = |i: usize, c: usize| rows[i].entries.iter().any(|e| e.0 == c as u32);
        assert!(has(1, col!("prose_en")));
        // Ten nouns and no function word: long, but not prose.
        assert!(!has(2, col!("prose_en")));
        assert!(!has(0, col!("prose_en")) && !has(1, col!("prose_ar")));
    }

    #[test]
    fn rows_stay_inside_the_layout_and_are_deterministic() {
        let p =
            page("عاجل\nOil prices climb as OPEC+ meets in Vienna today.\n© 2025 Al Wadi\nعاجل");
        let langs: Vec<_> = p.iter().map(|(_, t)| identify(t)).collect();
        let cfg = FeatureConfig::default();
        let l = cfg.layout();
        let a = Extractor::new().rows(&p, &langs, &cfg);
        let b = Extractor::new().rows(&p, &langs, &cfg);
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
        for r in &a {
            assert!(r
                .entries
                .iter()
                .all(|&(c, v)| (c as usize) < l.pass1 && v.is_finite()));
        }
        let rep = col!("is_repeated") as u32;
        let first = col!("is_first_copy") as u32;
        assert!(a[0].entries.contains(&(rep, 1.0)));
        assert!(a[0].entries.contains(&(first, 1.0)));
        assert!(!a[3].entries.iter().any(|e| e.0 == first));
        assert!(a[2].entries.contains(&(col!("has_copyright") as u32, 1.0)));
    }

    /// A text page's rows read collapsed are, bit for bit, what the
    /// extractor walks for the text passes; HTML pages and configurations
    /// without the option walk their rows whole.
    #[test]
    fn collapsed_rows_are_the_walked_entries_of_text_pages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
        let mut pages: Vec<Page> = crate::corpus::load(&[root.join("dev")])
            .unwrap()
            .into_iter()
            .take(12)
            .map(|p| p.page)
            .collect();
        pages.push(page(
            "عاجل\nHome\nOil prices climb as OPEC+ meets in Vienna today.\n\n© 2025\n–",
        ));
        pages.push(crate::read::html::page_from_html(
            "h",
            None,
            "<nav><a href=/>Home</a></nav><h2>Most read</h2><p>Oil prices climbed on \
             Wednesday as producers met.</p><footer>© 2025</footer>"
                .as_bytes(),
            None,
        ));
        let keep = FeatureConfig {
            collapse_text_copies: false,
            ..FeatureConfig::default()
        };
        let lang_shared = FeatureConfig {
            shared_language: true,
            ..FeatureConfig::default()
        };
        let mut checked = 0;
        for cfg in [FeatureConfig::default(), keep, lang_shared] {
            let layout = cfg.layout();
            for p in &pages {
                let langs: Vec<_> = p.iter().map(|(_, t)| identify(t)).collect();
                let rows = Extractor::new().rows(p, &langs, &cfg);
                let collapse = cfg.collapses_text() && p.kind == PageKind::Text;
                // Keeping every block's entries, none, or a few blocks'.
                for mut ex in [
                    Extractor::new(),
                    Extractor::with_budget(0),
                    Extractor::with_budget(300),
                ] {
                    let mut walked = ex.features(p, &langs, &cfg);
                    for (i, r) in rows.iter().enumerate() {
                        let mut want = Vec::new();
                        if collapse {
                            collapsed_entries(r, &cfg, &layout, |c, v| want.push((c, v.to_bits())));
                        } else {
                            want.extend(r.entries.iter().map(|&(c, v)| (c, v.to_bits())));
                        }
                        let mut got = Vec::new();
                        walked.for_each_entry(i, |c, v| got.push((c, v.to_bits())));
                        assert_eq!(got, want, "page {} block {i}", p.id);
                        if collapse {
                            // Fewer entries, none in the text copy's columns.
                            assert!(got.len() < r.entries.len());
                            let copies = layout.dense..2 * layout.dense;
                            assert!(!got.iter().any(|e| copies.contains(&(e.0 as usize))));
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// Copy detection as first written: every pair, `str::contains`.
    fn mark_copies_naive(facts: &mut [Facts]) {
        let short: Vec<usize> = (0..facts.len())
            .filter(|&i| facts[i].words >= MIN_COPY_WORDS && !facts[i].word_text.is_empty())
            .take(400)
            .collect();
        for &i in &short {
            for &j in &short {
                if i == j || facts[i].text_hash == facts[j].text_hash {
                    continue;
                }
                if facts[j].word_text.len() > facts[i].word_text.len()
                    && facts[j].word_text.contains(facts[i].word_text.as_str())
                {
                    facts[i].dense[col!("copy_inside_other")] = 1.0;
                    facts[j].dense[col!("copy_contains_other")] = 1.0;
                    facts[if j < i { i } else { j }].dense[col!("copy_of_earlier")] = 1.0;
                }
            }
        }
    }

    #[test]
    fn copy_detection_agrees_with_the_naive_pairwise_search() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
        let pages = crate::corpus::load(&[root.join("dev")]).unwrap();
        let mut marked = 0;
        for p in pages.iter().map(|p| &p.page) {
            let facts: Vec<Facts> = p
                .iter()
                .map(|(b, t)| block_facts(t, &crate::normalize::fold(t), &identify(t), b.lines))
                .collect();
            let (mut fast, mut slow) = (facts.clone(), facts);
            mark_copies(&mut fast);
            mark_copies_naive(&mut slow);
            for (a, b) in fast.iter().zip(&slow) {
                assert_eq!(a.dense, b.dense, "page {}", p.id);
                marked += usize::from(a.dense[col!("copy_inside_other")] > 0.0);
            }
        }
        assert!(marked > 10, "only {marked} copies found");
    }

    #[test]
    fn year_and_time_patterns() {
        assert!(has_year("© 2025 all"));
        assert!(!has_year("12025"));
        assert!(has_time("10:42"));
        assert!(!has_time("1:4"));
    }

    #[test]
    fn container_context_sees_the_other_blocks_of_each_container() {
        // Element 10 holds two body paragraphs and a share button; element
        // 20 holds a nav menu; both sit in element 1.
        let place = |a: u32, w: f32| Place {
            ancestors: [a, 1, NO_ANCESTOR, NO_ANCESTOR, NO_ANCESTOR],
            weight: w,
        };
        let places = [
            place(10, 50.0),
            place(10, 40.0),
            place(10, 2.0),
            place(20, 3.0),
        ];
        let body = [0.9, 0.05, 0.03, 0.01, 0.01];
        let chrome = [0.1, 0.8, 0.05, 0.03, 0.02];
        let nav = [0.02, 0.08, 0.88, 0.01, 0.01];
        let probs = [body, body, chrome, nav];
        let c = container_context(&probs, &places);
        assert_eq!(c.len(), 4);
        // The share button's container mates are the two paragraphs.
        assert!((c[2][0] - 0.9).abs() < 1e-5, "{:?}", c[2]);
        // The menu is alone in element 20: no context at level one.
        assert!(c[3][..Role::COUNT].iter().all(|&v| v == 0.0));
        // At level two the menu sees the rest of the page, mostly body.
        assert!(c[3][Role::COUNT] > 0.8);
        // Share of the page's body mass: the paragraphs' container holds all of
        // it but the block's own; the menu's almost none.
        let share = ANCESTORS * Role::COUNT;
        assert!(c[0][share] > 0.99 && c[3][share] < 0.01);
        // The main container is element 10 (its children hold the most body),
        // which the menu is not in.
        assert_eq!(c[0][CONTAINER_COLS - 1], 1.0);
        assert_eq!(c[3][CONTAINER_COLS - 1], 0.0);
        // Only the blocks' places matter, not where they are in the page.
        let order = [3, 1, 0, 2];
        let probs2: Vec<_> = order.iter().map(|&i| probs[i]).collect();
        let places2: Vec<_> = order.iter().map(|&i| places[i]).collect();
        let c2 = container_context(&probs2, &places2);
        for (k, &i) in order.iter().enumerate() {
            for (a, b) in c2[k].iter().zip(&c[i]) {
                assert!((a - b).abs() < 1e-5);
            }
        }
    }
}
