//! Evaluation: how well predicted labels match gold labels.
//!
//! In: labelled pages ([`LabelledPage`]) and their predictions — a model's
//! labels of the very same blocks ([`judge`], [`evaluate`]), or any
//! predictor's blocks, segmented however it likes ([`Prediction`],
//! [`judge_prediction`], e.g. `classify` output read by
//! [`read_predictions`]). Out: [`JudgedPage`]s and a [`Report`]: per-role
//! precision, recall, F1 and support, per block and per token; macro-F1; role
//! and language confusion matrices; language accuracy by block length;
//! body-text word F1; calibration; per-page figures, worst first. Printable as
//! text, and serialisable as JSON (the schema is in `docs/report-json.md`).
//!
//! Three ways of counting:
//! - **per block**, on pages whose predicted blocks are exactly the gold
//!   blocks (always so for [`evaluate`]);
//! - **per token**, whatever the segmentation: the gold page's `\w+` tokens
//!   are aligned to the predicted blocks' tokens ([`align`], a longest common
//!   subsequence of lower-cased tokens) and every token takes the label of its
//!   block. Gold tokens without a counterpart are *missed* (they count against
//!   recall), predicted tokens without one are *extra* (against precision).
//!   When the segmentation matches this equals weighting blocks by tokens;
//!   when it does not, two models with different segmenters stay comparable;
//! - **body-text word F1** in the style of the WCXB benchmark: the bag of
//!   lower-cased `\w+` tokens of the predicted body text against that of the
//!   gold body text, F1 per page, averaged over pages (tokens by this
//!   module's [`words`], not by WCXB's own rule: see [`metrics`]).

pub mod language;
pub mod metrics;
pub mod report;
pub mod wcxb;

use crate::corpus::{CorpusError, LabelledPage};
use crate::label::{Dir, Lang, Role};
use crate::output::plural;
use crate::{BlockLabel, Classifier, Model};
use metrics::{ratio, Confusion};
pub use metrics::{Prf, WordOverlap};
use serde::{Deserialize, Serialize};
use similar::algorithms::DiffHook;
use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::ops::Range;

/// Value of the `schema` field of every report.
pub const SCHEMA_NAME: &str = "ghirbal-eval-report";
/// Version of the report schema this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;
/// Bins of the reliability diagrams, equal width over [0, 1].
pub const CALIBRATION_BINS: usize = 10;
/// Length buckets (in `\w+` words) of the language figures: `(name, min, max)`.
pub const LENGTH_BUCKETS: [(&str, usize, usize); 4] = [
    ("0", 0, 0),
    ("1-2", 1, 2),
    ("3-9", 3, 9),
    ("10+", 10, usize::MAX),
];
/// Largest alignment sub-problem (gold tokens × predicted tokens) solved by
/// dynamic programming; larger ones are first cut at tokens unique to both sides.
const MAX_DP_CELLS: usize = 1 << 22;

/// Gold and predicted labels of one block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    pub gold_role: Role,
    pub pred_role: Role,
    pub gold_lang: Lang,
    pub pred_lang: Lang,
    /// `\w+` tokens in the block (the token weight).
    pub tokens: usize,
    /// Probability the predictor gave its role, when it gives probabilities.
    pub confidence: Option<f32>,
}

/// Token counts of one page after alignment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenTally {
    /// `roles[gold][predicted]` over aligned tokens.
    pub roles: [[u32; Role::COUNT]; Role::COUNT],
    /// `langs[gold][predicted]` over aligned tokens.
    pub langs: [[u32; Lang::COUNT]; Lang::COUNT],
    /// Gold tokens without a predicted counterpart, by gold role.
    pub missed_roles: [u32; Role::COUNT],
    /// Gold tokens without a predicted counterpart, by gold language.
    pub missed_langs: [u32; Lang::COUNT],
    /// Predicted tokens without a gold counterpart, by predicted role.
    pub extra_roles: [u32; Role::COUNT],
    /// Predicted tokens without a gold counterpart, by predicted language.
    pub extra_langs: [u32; Lang::COUNT],
}

impl TokenTally {
    /// Gold tokens of the page.
    pub fn gold(&self) -> u32 {
        self.roles.iter().flatten().sum::<u32>() + self.missed_roles.iter().sum::<u32>()
    }
}

/// One predicted block's confidence and whether it was right, for calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationPoint {
    pub role: Role,
    pub confidence: f32,
    /// 1 or 0 per block when segmentation matches; otherwise the share of the
    /// block's aligned tokens whose gold role is `role`.
    pub correct: f64,
}

/// Judged blocks and tokens of one page.
#[derive(Debug, Clone, Default)]
pub struct JudgedPage {
    pub id: String,
    /// One per gold block when the predicted blocks are the gold blocks;
    /// empty otherwise (see [`JudgedPage::segmentation_matches`]).
    pub blocks: Vec<Judged>,
    pub segmentation_matches: bool,
    /// Gold blocks of the page.
    pub gold_blocks: usize,
    pub tokens: TokenTally,
    pub body_words: WordOverlap,
    pub calibration: Vec<CalibrationPoint>,
}

/// One block of a prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedBlock {
    pub text: String,
    pub role: Role,
    pub lang: Lang,
    /// Role probabilities in [`Role::ALL`] order, when the predictor gives them.
    pub scores: Option<[f32; Role::COUNT]>,
    pub lang_confidence: Option<f32>,
    pub dir: Dir,
}

/// A predictor's blocks of one page, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub id: String,
    /// The predictor's identity (`name@version`), when known.
    pub model: Option<String>,
    pub blocks: Vec<PredictedBlock>,
}

impl Prediction {
    /// A model's labels of a page's own blocks.
    pub fn from_labels(page: &crate::Page, labels: &[BlockLabel], model: Option<&str>) -> Self {
        Prediction {
            id: page.id.clone(),
            model: model.map(str::to_string),
            blocks: page
                .iter()
                .zip(labels)
                .map(|((_, text), l)| PredictedBlock {
                    text: text.to_string(),
                    role: l.role,
                    lang: l.lang.lang,
                    scores: Some(l.scores),
                    lang_confidence: Some(l.lang.confidence),
                    dir: l.dir,
                })
                .collect(),
        }
    }
}

/// Read `classify` JSON Lines output (or any predictor's output in that shape:
/// `{"id", "model"?, "blocks": [{"text", "role", "lang", "role_scores"?,
/// "lang_confidence"?, "dir"?}]}`) as predictions; error records are skipped.
pub fn read_predictions(text: &str, file: &str) -> Result<Vec<Prediction>, CorpusError> {
    #[derive(Deserialize)]
    struct In {
        id: Option<String>,
        model: Option<String>,
        #[serde(default)]
        blocks: Vec<InBlock>,
        error: Option<String>,
    }
    #[derive(Deserialize)]
    struct InBlock {
        text: String,
        role: Role,
        lang: Lang,
        role_scores: Option<HashMap<Role, f32>>,
        lang_confidence: Option<f32>,
        dir: Option<Dir>,
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| CorpusError {
            file: file.into(),
            line: Some(n + 1),
            message,
        };
        let rec: In = serde_json::from_str(line).map_err(|e| err(format!("invalid JSON: {e}")))?;
        if rec.error.is_some() {
            continue;
        }
        let id = rec
            .id
            .ok_or_else(|| err("prediction has no \"id\"".into()))?;
        let blocks = rec
            .blocks
            .into_iter()
            .map(|b| PredictedBlock {
                dir: b.dir.unwrap_or_else(|| crate::lang::direction(&b.text)),
                scores: b.role_scores.map(|m| {
                    let mut s = [0.0f32; Role::COUNT];
                    for r in Role::ALL {
                        s[r.index()] = m.get(r).copied().unwrap_or(0.0);
                    }
                    s
                }),
                text: b.text,
                role: b.role,
                lang: b.lang,
                lang_confidence: b.lang_confidence,
            })
            .collect();
        out.push(Prediction {
            id,
            model: rec.model,
            blocks,
        });
    }
    Ok(out)
}

/// Predictions put in the order of the gold pages they belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairing {
    /// One per gold page, in gold order; an empty prediction (every token
    /// missed) for a page nobody predicted.
    pub predictions: Vec<Prediction>,
    /// Gold pages without a prediction.
    pub missing: Vec<String>,
    /// Predictions of pages that are not in the gold set (ignored).
    pub unused: Vec<String>,
}

/// Match predictions to gold pages by page id.
pub fn pair(pages: &[LabelledPage], predictions: Vec<Prediction>) -> Pairing {
    let mut by_id: HashMap<String, Prediction> = HashMap::new();
    let mut unused = Vec::new();
    for p in predictions {
        if by_id.contains_key(&p.id) {
            unused.push(p.id.clone());
        } else {
            by_id.insert(p.id.clone(), p);
        }
    }
    let mut missing = Vec::new();
    let predictions = pages
        .iter()
        .map(|g| {
            by_id.remove(&g.page.id).unwrap_or_else(|| {
                missing.push(g.page.id.clone());
                Prediction {
                    id: g.page.id.clone(),
                    model: None,
                    blocks: Vec::new(),
                }
            })
        })
        .collect();
    let mut rest: Vec<String> = by_id.into_keys().collect();
    rest.sort();
    unused.extend(rest);
    Pairing {
        predictions,
        missing,
        unused,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || crate::lang::script(c) == crate::lang::Script::ArabicJoiner
}

/// The `\w+` tokens of a text (runs of Unicode alphanumerics, `_` and
/// Arabic-script marks), in order.
///
/// The evaluation's word rule; WCXB's figures use the benchmark's own
/// ([`wcxb::words`], see [`metrics`]).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(is_word_char)?;
        let tail = &rest[start..];
        let len = tail.find(|c: char| !is_word_char(c)).unwrap_or(tail.len());
        let (w, r) = tail.split_at(len);
        rest = r;
        Some(w)
    })
}

/// Number of `\w+` tokens of a text (Unicode alphanumerics and `_`).
pub fn count_tokens(text: &str) -> usize {
    words(text).count()
}

/// Tokens of a gold page aligned to the tokens of a prediction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    /// Gold block of every gold token, in page order.
    pub gold_block: Vec<usize>,
    /// Predicted block of every predicted token, in order.
    pub pred_block: Vec<usize>,
    /// For every gold token, the index of its predicted counterpart.
    pub matched: Vec<Option<usize>>,
}

/// Align a gold page's tokens with a prediction's: the longest common
/// subsequence of lower-cased tokens (exact when small, cut at tokens unique
/// to both sides when large).
pub fn align(page: &LabelledPage, pred: &Prediction) -> Alignment {
    let mut gold_block = Vec::new();
    let mut a = Vec::new();
    for (i, (_, text)) in page.page.iter().enumerate() {
        for w in words(text) {
            gold_block.push(i);
            a.push(w.to_lowercase());
        }
    }
    let mut pred_block = Vec::new();
    let mut b = Vec::new();
    for (i, blk) in pred.blocks.iter().enumerate() {
        for w in words(&blk.text) {
            pred_block.push(i);
            b.push(w.to_lowercase());
        }
    }
    let matched = align_tokens(&a, &b);
    Alignment {
        gold_block,
        pred_block,
        matched,
    }
}

/// For every token of `a`, the index of its counterpart in `b`: a common
/// subsequence, longest when every sub-problem fits `MAX_DP_CELLS`.
pub fn align_tokens<S: AsRef<str>>(a: &[S], b: &[S]) -> Vec<Option<usize>> {
    let a: Vec<&str> = a.iter().map(AsRef::as_ref).collect();
    let b: Vec<&str> = b.iter().map(AsRef::as_ref).collect();
    let mut out = vec![None; a.len()];
    let mut stack = vec![(0, a.len(), 0, b.len())];
    while let Some((mut a0, mut a1, mut b0, mut b1)) = stack.pop() {
        while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
            out[a0] = Some(b0);
            a0 += 1;
            b0 += 1;
        }
        while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
            out[a1 - 1] = Some(b1 - 1);
            a1 -= 1;
            b1 -= 1;
        }
        if a0 == a1 || b0 == b1 {
            continue;
        }
        let (n, m) = (a1 - a0, b1 - b0);
        if n.saturating_mul(m) <= MAX_DP_CELLS {
            lcs(&a, a0..a1, &b, b0..b1, &mut out);
            continue;
        }
        // Too large for the table: cut at tokens that occur once on each side,
        // keeping the longest increasing run of them (patience diff), and
        // solve the pieces again. Not `similar`'s patience diff: that fills
        // the gaps between anchors by Myers' algorithm, which pairs equally
        // long alternatives differently from the table walk of `lcs`.
        let anchors = unique_anchors(&a[a0..a1], &b[b0..b1]);
        if anchors.is_empty() {
            // No safe cut: these tokens stay unaligned (missed and extra).
            continue;
        }
        let (mut pa, mut pb) = (a0, b0);
        for (i, j) in anchors {
            let (i, j) = (a0 + i, b0 + j);
            out[i] = Some(j);
            stack.push((pa, i, pb, j));
            pa = i + 1;
            pb = j + 1;
        }
        stack.push((pa, a1, pb, b1));
    }
    out
}

/// A longest common subsequence of `a[ra]` and `b[rb]`, written into `out`
/// (absolute indices), by `similar`'s LCS table.
///
/// The "raw" entry point: `similar::algorithms::lcs::diff` first tries a
/// fast path that gives up on near-disjoint ranges (up to 64 common tokens
/// left unmatched), which this exact alignment must not do. The table walk
/// matches equal tokens at once and otherwise skips a gold token on ties,
/// the choice among equally long subsequences that the reports were made
/// with (pinned by `alignment_matches_a_by_definition_lcs`).
fn lcs(a: &[&str], ra: Range<usize>, b: &[&str], rb: Range<usize>, out: &mut [Option<usize>]) {
    struct Matches<'o>(&'o mut [Option<usize>]);
    impl DiffHook for Matches<'_> {
        type Error = Infallible;
        fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Infallible> {
            for k in 0..len {
                self.0[old + k] = Some(new + k);
            }
            Ok(())
        }
    }
    let Ok(()) = similar::algorithms::lcs::diff_deadline_raw(&mut Matches(out), a, ra, b, rb, None);
}

/// Pairs `(i, j)` of tokens unique in both `a` and `b`, increasing in both.
fn unique_anchors(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    let mut seen: HashMap<&str, (u32, usize, u32, usize)> = HashMap::new();
    for (i, t) in a.iter().enumerate() {
        let e = seen.entry(t).or_insert((0, i, 0, 0));
        e.0 += 1;
    }
    for (j, t) in b.iter().enumerate() {
        if let Some(e) = seen.get_mut(t) {
            e.2 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.2 == 1)
        .map(|e| (e.1, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence of the `b` positions.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; pairs.len()];
    for k in 0..pairs.len() {
        let pos = tails.partition_point(|&t| pairs[t].1 < pairs[k].1);
        if pos > 0 {
            prev[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        run.push(pairs[k]);
        k = prev[k];
    }
    run.reverse();
    run
}

/// The gold labels each predicted block mostly covers: for every predicted
/// block, the most frequent gold role and language of its aligned tokens
/// (`None` for a block none of whose tokens align).
pub fn gold_of_predicted_blocks(
    page: &LabelledPage,
    pred: &Prediction,
    al: &Alignment,
) -> Vec<Option<(Role, Lang)>> {
    let mut roles = vec![[0u32; Role::COUNT]; pred.blocks.len()];
    let mut langs = vec![[0u32; Lang::COUNT]; pred.blocks.len()];
    for (g, m) in al.matched.iter().enumerate() {
        if let Some(p) = m {
            let gb = al.gold_block[g];
            let pb = al.pred_block[*p];
            roles[pb][page.roles[gb].index()] += 1;
            langs[pb][page.langs[gb].index()] += 1;
        }
    }
    roles
        .iter()
        .zip(&langs)
        .map(|(r, l)| {
            (r.iter().sum::<u32>() > 0).then(|| (Role::ALL[argmax(r)], Lang::ALL[argmax(l)]))
        })
        .collect()
}

fn argmax(v: &[u32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Whether a prediction's blocks are exactly the gold page's blocks.
pub fn same_segmentation(page: &LabelledPage, pred: &Prediction) -> bool {
    page.page.blocks.len() == pred.blocks.len()
        && page
            .page
            .iter()
            .zip(&pred.blocks)
            .all(|((_, t), b)| t == b.text)
}

/// Judge a page's predicted labels (of the page's own blocks) against its gold labels.
pub fn judge(page: &LabelledPage, labels: &[BlockLabel]) -> JudgedPage {
    judge_prediction(page, &Prediction::from_labels(&page.page, labels, None))
}

/// Judge any prediction of a page against its gold labels: per block when the
/// segmentation matches, per aligned token and by body words always.
pub fn judge_prediction(page: &LabelledPage, pred: &Prediction) -> JudgedPage {
    let matches = same_segmentation(page, pred);
    let blocks: Vec<Judged> = if matches {
        page.page
            .iter()
            .zip(&pred.blocks)
            .zip(page.roles.iter().zip(&page.langs))
            .map(|(((_, text), p), (&gr, &gl))| Judged {
                gold_role: gr,
                pred_role: p.role,
                gold_lang: gl,
                pred_lang: p.lang,
                tokens: count_tokens(text),
                confidence: p.scores.map(|s| s[p.role.index()]),
            })
            .collect()
    } else {
        Vec::new()
    };
    let al = align(page, pred);
    let mut t = TokenTally::default();
    let mut pred_used = vec![false; al.pred_block.len()];
    for (g, m) in al.matched.iter().enumerate() {
        let gb = al.gold_block[g];
        let (gr, gl) = (page.roles[gb].index(), page.langs[gb].index());
        match m {
            Some(p) => {
                pred_used[*p] = true;
                let pb = &pred.blocks[al.pred_block[*p]];
                t.roles[gr][pb.role.index()] += 1;
                t.langs[gl][pb.lang.index()] += 1;
            }
            None => {
                t.missed_roles[gr] += 1;
                t.missed_langs[gl] += 1;
            }
        }
    }
    for (p, used) in pred_used.iter().enumerate() {
        if !used {
            let pb = &pred.blocks[al.pred_block[p]];
            t.extra_roles[pb.role.index()] += 1;
            t.extra_langs[pb.lang.index()] += 1;
        }
    }
    let calibration = if matches {
        blocks
            .iter()
            .filter_map(|b| {
                b.confidence.map(|c| CalibrationPoint {
                    role: b.pred_role,
                    confidence: c,
                    correct: f64::from(u8::from(b.gold_role == b.pred_role)),
                })
            })
            .collect()
    } else {
        let mut right = vec![(0u32, 0u32); pred.blocks.len()];
        for (g, m) in al.matched.iter().enumerate() {
            if let Some(p) = m {
                let pb = al.pred_block[*p];
                right[pb].1 += 1;
                if page.roles[al.gold_block[g]] == pred.blocks[pb].role {
                    right[pb].0 += 1;
                }
            }
        }
        pred.blocks
            .iter()
            .zip(&right)
            .filter(|(_, r)| r.1 > 0)
            .filter_map(|(b, r)| {
                b.scores.map(|s| CalibrationPoint {
                    role: b.role,
                    confidence: s[b.role.index()],
                    correct: r.0 as f64 / r.1 as f64,
                })
            })
            .collect()
    };
    let gold_body = page
        .page
        .iter()
        .zip(&page.roles)
        .filter(|(_, &r)| r == Role::Body)
        .map(|((_, text), _)| text);
    let pred_body = pred
        .blocks
        .iter()
        .filter(|b| b.role == Role::Body)
        .map(|b| b.text.as_str());
    JudgedPage {
        id: page.page.id.clone(),
        blocks,
        segmentation_matches: matches,
        gold_blocks: page.page.blocks.len(),
        tokens: t,
        body_words: word_overlap(gold_body, pred_body),
        calibration,
    }
}

/// Bag-of-words overlap of two texts given as pieces, by the evaluation's
/// word rule ([`words`], lower-cased).
fn word_overlap<'a>(
    gold: impl Iterator<Item = &'a str>,
    pred: impl Iterator<Item = &'a str>,
) -> WordOverlap {
    let lower = |text: &'a str| words(text).map(str::to_lowercase);
    metrics::word_overlap(gold.flat_map(lower), pred.flat_map(lower))
}

/// A model's predictions of every page (its own segmentation).
pub fn predict(model: &Model, pages: &[LabelledPage]) -> Vec<Prediction> {
    let mut c = Classifier::new(model);
    let id = model.identity();
    pages
        .iter()
        .map(|p| Prediction::from_labels(&p.page, &c.classify(&p.page), Some(&id)))
        .collect()
}

/// Per-role figures, a confusion matrix and macro-F1, under one weighting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleScores {
    /// In [`Role::ALL`] order; a JSON object keyed by role.
    #[serde(with = "role_map")]
    pub roles: Vec<(Role, Prf)>,
    /// Mean F1 over the roles present in the gold labels.
    pub macro_f1: f64,
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, in role order.
    pub confusion: Vec<Vec<f64>>,
    /// Gold weight (tokens) with no predicted counterpart, by gold role.
    pub missed: Vec<f64>,
    /// Predicted weight (tokens) with no gold counterpart, by predicted role.
    pub extra: Vec<f64>,
}

/// Language accuracy and confusion under one weighting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LangScores {
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, in language order.
    pub confusion: Vec<Vec<f64>>,
    /// Gold weight with no predicted counterpart, by gold language.
    pub missed: Vec<f64>,
}

/// Language figures of the blocks of one length bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LengthBucket {
    /// `0`, `1-2`, `3-9` or `10+` words.
    pub words: String,
    pub blocks: usize,
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, blocks, in language order.
    pub confusion: Vec<Vec<f64>>,
}

/// Body-text word F1 (WCXB style), averaged over pages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct WordF1 {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub pages: usize,
}

/// One bin of a reliability diagram.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub blocks: usize,
    /// Mean confidence of the bin's blocks (`null` when empty).
    pub confidence: Option<f64>,
    /// Share of the bin's blocks that were right (`null` when empty).
    pub accuracy: Option<f64>,
}

/// Confidence against accuracy of the blocks predicted as one role (or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// A role name, or `all`.
    pub role: String,
    pub blocks: usize,
    /// Expected calibration error: bin-weighted mean |accuracy − confidence|.
    pub ece: f64,
    pub bins: Vec<CalibrationBin>,
}

/// How the predicted segmentation related to the gold one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Segmentation {
    /// Pages whose predicted blocks are exactly the gold blocks.
    pub pages_matching: usize,
    /// Gold blocks of those pages (the per-block figures count these).
    pub blocks_judged: usize,
    /// Gold tokens with a predicted counterpart.
    pub tokens_aligned: usize,
    /// Gold tokens without one.
    pub tokens_missed: usize,
    /// Predicted tokens without a gold counterpart.
    pub tokens_extra: usize,
}

/// The headline figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    pub macro_f1_block: f64,
    pub macro_f1_token: f64,
    pub body_f1_block: f64,
    pub body_f1_token: f64,
    pub body_word_f1: f64,
    pub role_accuracy_block: f64,
    pub role_accuracy_token: f64,
    pub lang_accuracy_block: f64,
    pub lang_accuracy_token: f64,
}

/// Which model (or predictor) was evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// `name@version`.
    pub identity: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// Model file format version.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub feature_set: Option<u32>,
    /// Fingerprint of the training pages (`training.data_fingerprint`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub training_data: Option<String>,
    /// FNV-1a fingerprint of the model file's JSON.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub weights: Option<String>,
}

impl ModelInfo {
    /// Everything known about a model.
    pub fn of(model: &Model) -> ModelInfo {
        ModelInfo {
            identity: model.identity(),
            name: Some(model.name.clone()),
            version: Some(model.version),
            feature_set: Some(model.features.feature_set),
            training_data: Some(model.training.data_fingerprint.clone()),
            weights: Some(fnv1a(model.to_json().as_bytes())),
        }
    }

    /// A predictor known only by its identity string.
    pub fn named(identity: &str) -> ModelInfo {
        ModelInfo {
            identity: identity.to_string(),
            name: None,
            version: None,
            feature_set: None,
            training_data: None,
            weights: None,
        }
    }
}

fn fnv1a(bytes: &[u8]) -> String {
    crate::fnv::tag(crate::fnv::fnv1a64(bytes))
}

/// One page's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageScore {
    pub id: String,
    /// Gold blocks.
    pub blocks: usize,
    /// Gold tokens.
    pub tokens: usize,
    pub segmentation_matches: bool,
    /// Share of blocks with the right role (`null` when segmentation differs).
    pub role_accuracy: Option<f64>,
    /// Share of gold tokens with the right role (aligned).
    pub role_accuracy_tokens: f64,
    /// Share of blocks with the right language (`null` when segmentation differs).
    pub lang_accuracy: Option<f64>,
    pub lang_accuracy_tokens: f64,
    /// Blocks with a wrong role (`null` when segmentation differs).
    pub role_errors: Option<usize>,
    pub body_word_f1: f64,
    /// Gold tokens without a predicted counterpart.
    pub tokens_missed: usize,
    /// Predicted tokens without a gold counterpart.
    pub tokens_extra: usize,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA_NAME`].
    pub schema: String,
    /// Always [`SCHEMA_VERSION`] when written by this build.
    pub schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub model: Option<ModelInfo>,
    /// Fingerprint of the gold pages (as `corpus::fingerprint`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gold_data: Option<String>,
    pub pages: usize,
    /// Gold blocks.
    pub blocks: usize,
    /// Gold tokens.
    pub tokens: usize,
    pub segmentation: Segmentation,
    pub summary: Summary,
    /// Per block, on pages whose segmentation matches.
    pub roles_by_block: RoleScores,
    /// Per aligned token.
    pub roles_by_token: RoleScores,
    pub lang_by_block: LangScores,
    pub lang_by_token: LangScores,
    /// Language per block, by block length in words.
    pub lang_by_length: Vec<LengthBucket>,
    pub body_words: WordF1,
    /// Per predicted role in role order, then `all`.
    pub calibration: Vec<Reliability>,
    /// Pages, worst role accuracy (by tokens) first.
    pub per_page: Vec<PageScore>,
}

/// The report's JSON schema was not recognised.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportError(pub String);

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReportError {}

/// Round a figure to 4 decimals: what the report shows and diffs.
fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Role figures of a confusion matrix with unaligned weight.
fn role_scores(conf: Vec<Vec<f64>>, missed: Vec<f64>, extra: Vec<f64>) -> RoleScores {
    let total: f64 = conf.iter().flatten().sum::<f64>() + missed.iter().sum::<f64>();
    let correct: f64 = (0..Role::COUNT).map(|i| conf[i][i]).sum();
    let mut roles = Vec::new();
    let mut f1s = Vec::new();
    for r in Role::ALL {
        let i = r.index();
        let tp = conf[i][i];
        let gold: f64 = conf[i].iter().sum::<f64>() + missed[i];
        let pred: f64 = conf.iter().map(|row| row[i]).sum::<f64>() + extra[i];
        let p = Prf::of(tp, pred, gold);
        if gold > 0.0 {
            f1s.push(p.f1);
        }
        roles.push((
            *r,
            Prf {
                precision: r4(p.precision),
                recall: r4(p.recall),
                f1: r4(p.f1),
                support: gold,
            },
        ));
    }
    RoleScores {
        roles,
        macro_f1: r4(ratio(f1s.iter().sum(), f1s.len() as f64)),
        accuracy: r4(ratio(correct, total)),
        confusion: conf,
        missed,
        extra,
    }
}

fn lang_scores(conf: Vec<Vec<f64>>, missed: Vec<f64>) -> LangScores {
    let total: f64 = conf.iter().flatten().sum::<f64>() + missed.iter().sum::<f64>();
    let correct: f64 = (0..Lang::COUNT).map(|i| conf[i][i]).sum();
    LangScores {
        accuracy: r4(ratio(correct, total)),
        confusion: conf,
        missed,
    }
}

/// Add a page's token counts into a pooled matrix.
fn add<const N: usize>(sum: &mut [Vec<f64>], page: &[[u32; N]; N]) {
    for (srow, prow) in sum.iter_mut().zip(page) {
        for (s, &v) in srow.iter_mut().zip(prow) {
            *s += v as f64;
        }
    }
}

fn reliability(name: &str, points: &[&CalibrationPoint]) -> Reliability {
    let mut n = [0usize; CALIBRATION_BINS];
    let mut conf = [0f64; CALIBRATION_BINS];
    let mut acc = [0f64; CALIBRATION_BINS];
    for p in points {
        let c = f64::from(p.confidence).clamp(0.0, 1.0);
        let b = ((c * CALIBRATION_BINS as f64) as usize).min(CALIBRATION_BINS - 1);
        n[b] += 1;
        conf[b] += c;
        acc[b] += p.correct;
    }
    let total = points.len();
    let mut ece = 0.0;
    let bins = (0..CALIBRATION_BINS)
        .map(|b| {
            let k = n[b] as f64;
            let (c, a) = (conf[b] / k.max(1.0), acc[b] / k.max(1.0));
            if n[b] > 0 {
                ece += k / total as f64 * (a - c).abs();
            }
            CalibrationBin {
                lower: r4(b as f64 / CALIBRATION_BINS as f64),
                upper: r4((b + 1) as f64 / CALIBRATION_BINS as f64),
                blocks: n[b],
                confidence: (n[b] > 0).then(|| r4(c)),
                accuracy: (n[b] > 0).then(|| r4(a)),
            }
        })
        .collect();
    Reliability {
        role: name.to_string(),
        blocks: total,
        ece: r4(ece),
        bins,
    }
}

fn page_score(p: &JudgedPage) -> PageScore {
    let t = &p.tokens;
    let gold = t.gold() as f64;
    let role_right: u32 = (0..Role::COUNT).map(|i| t.roles[i][i]).sum();
    let lang_right: u32 = (0..Lang::COUNT).map(|i| t.langs[i][i]).sum();
    let n = p.blocks.len() as f64;
    let block_share = |ok: &dyn Fn(&Judged) -> bool| {
        p.segmentation_matches.then(|| {
            r4(if n > 0.0 {
                p.blocks.iter().filter(|b| ok(b)).count() as f64 / n
            } else {
                1.0
            })
        })
    };
    PageScore {
        id: p.id.clone(),
        blocks: p.gold_blocks,
        tokens: t.gold() as usize,
        segmentation_matches: p.segmentation_matches,
        role_accuracy: block_share(&|b| b.gold_role == b.pred_role),
        role_accuracy_tokens: r4(if gold > 0.0 {
            role_right as f64 / gold
        } else {
            1.0
        }),
        lang_accuracy: block_share(&|b| b.gold_lang == b.pred_lang),
        lang_accuracy_tokens: r4(if gold > 0.0 {
            lang_right as f64 / gold
        } else {
            1.0
        }),
        role_errors: p.segmentation_matches.then(|| {
            p.blocks
                .iter()
                .filter(|b| b.gold_role != b.pred_role)
                .count()
        }),
        body_word_f1: r4(p.body_words.prf().f1),
        tokens_missed: t.missed_roles.iter().sum::<u32>() as usize,
        tokens_extra: t.extra_roles.iter().sum::<u32>() as usize,
    }
}

impl Report {
    /// Figures of judged pages (pooled over all blocks and tokens).
    pub fn new(pages: &[JudgedPage], model: Option<&Model>) -> Report {
        Report::from_judged(pages, model.map(ModelInfo::of))
    }

    /// Figures of judged pages, with the evaluated model's identity.
    pub fn from_judged(pages: &[JudgedPage], model: Option<ModelInfo>) -> Report {
        let judged: Vec<&Judged> = pages
            .iter()
            .filter(|p| p.segmentation_matches)
            .flat_map(|p| &p.blocks)
            .collect();
        let block_conf = |f: &dyn Fn(&Judged) -> (usize, usize), k: usize| {
            let mut c = vec![vec![0.0f64; k]; k];
            for b in &judged {
                let (g, p) = f(b);
                c[g][p] += 1.0;
            }
            c
        };
        let roles_by_block = role_scores(
            block_conf(&|b| (b.gold_role.index(), b.pred_role.index()), Role::COUNT),
            vec![0.0; Role::COUNT],
            vec![0.0; Role::COUNT],
        );
        let lang_by_block = lang_scores(
            block_conf(&|b| (b.gold_lang.index(), b.pred_lang.index()), Lang::COUNT),
            vec![0.0; Lang::COUNT],
        );
        let mut rc = vec![vec![0.0f64; Role::COUNT]; Role::COUNT];
        let mut lc = vec![vec![0.0f64; Lang::COUNT]; Lang::COUNT];
        let (mut rm, mut re) = (vec![0.0; Role::COUNT], vec![0.0; Role::COUNT]);
        let mut lm = vec![0.0; Lang::COUNT];
        let mut extra_tokens = 0usize;
        for p in pages {
            let t = &p.tokens;
            add(&mut rc, &t.roles);
            add(&mut lc, &t.langs);
            for (sum, &v) in rm.iter_mut().zip(&t.missed_roles) {
                *sum += v as f64;
            }
            for (sum, &v) in re.iter_mut().zip(&t.extra_roles) {
                *sum += v as f64;
            }
            for (sum, &v) in lm.iter_mut().zip(&t.missed_langs) {
                *sum += v as f64;
            }
            extra_tokens += t.extra_roles.iter().sum::<u32>() as usize;
        }
        let tokens_missed = rm.iter().sum::<f64>() as usize;
        let tokens_aligned = rc.iter().flatten().sum::<f64>() as usize;
        let roles_by_token = role_scores(rc, rm, re);
        let lang_by_token = lang_scores(lc, lm);
        let lang_by_length = LENGTH_BUCKETS
            .iter()
            .map(|&(name, lo, hi)| {
                let mut c = vec![vec![0.0f64; Lang::COUNT]; Lang::COUNT];
                let mut n = 0;
                for b in judged.iter().filter(|b| (lo..=hi).contains(&b.tokens)) {
                    c[b.gold_lang.index()][b.pred_lang.index()] += 1.0;
                    n += 1;
                }
                let right: f64 = (0..Lang::COUNT).map(|i| c[i][i]).sum();
                LengthBucket {
                    words: name.to_string(),
                    blocks: n,
                    accuracy: r4(ratio(right, n as f64)),
                    confusion: c,
                }
            })
            .collect();
        let prfs: Vec<Prf> = pages.iter().map(|p| p.body_words.prf()).collect();
        let np = prfs.len().max(1) as f64;
        let body_words = WordF1 {
            precision: r4(prfs.iter().map(|x| x.precision).sum::<f64>() / np),
            recall: r4(prfs.iter().map(|x| x.recall).sum::<f64>() / np),
            f1: r4(prfs.iter().map(|x| x.f1).sum::<f64>() / np),
            pages: prfs.len(),
        };
        let points: Vec<&CalibrationPoint> = pages.iter().flat_map(|p| &p.calibration).collect();
        let mut calibration: Vec<Reliability> = Role::ALL
            .iter()
            .map(|r| {
                let pts: Vec<&CalibrationPoint> =
                    points.iter().copied().filter(|p| p.role == *r).collect();
                reliability(r.as_str(), &pts)
            })
            .collect();
        calibration.push(reliability("all", &points));
        let mut per_page: Vec<PageScore> = pages.iter().map(page_score).collect();
        per_page.sort_by(|a, b| {
            a.role_accuracy_tokens
                .total_cmp(&b.role_accuracy_tokens)
                .then_with(|| a.body_word_f1.total_cmp(&b.body_word_f1))
                .then_with(|| a.id.cmp(&b.id))
        });
        let body = Role::Body.index();
        let summary = Summary {
            macro_f1_block: roles_by_block.macro_f1,
            macro_f1_token: roles_by_token.macro_f1,
            body_f1_block: roles_by_block.roles[body].1.f1,
            body_f1_token: roles_by_token.roles[body].1.f1,
            body_word_f1: body_words.f1,
            role_accuracy_block: roles_by_block.accuracy,
            role_accuracy_token: roles_by_token.accuracy,
            lang_accuracy_block: lang_by_block.accuracy,
            lang_accuracy_token: lang_by_token.accuracy,
        };
        Report {
            schema: SCHEMA_NAME.to_string(),
            schema_version: SCHEMA_VERSION,
            model,
            gold_data: None,
            pages: pages.len(),
            blocks: pages.iter().map(|p| p.gold_blocks).sum(),
            tokens: pages.iter().map(|p| p.tokens.gold() as usize).sum(),
            segmentation: Segmentation {
                pages_matching: pages.iter().filter(|p| p.segmentation_matches).count(),
                blocks_judged: judged.len(),
                tokens_aligned,
                tokens_missed,
                tokens_extra: extra_tokens,
            },
            summary,
            roles_by_block,
            roles_by_token,
            lang_by_block,
            lang_by_token,
            lang_by_length,
            body_words,
            calibration,
            per_page,
        }
    }

    /// The report as pretty JSON with a final newline (the `report.json` file).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("report serialises");
        s.push('\n');
        s
    }

    /// Read a report written by [`Report::to_json`]; other schemas and
    /// versions are rejected.
    pub fn from_json(text: &str) -> Result<Report, ReportError> {
        #[derive(Deserialize)]
        struct Head {
            schema: Option<String>,
            schema_version: Option<u32>,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| ReportError(format!("not a report: {e}")))?;
        if head.schema.as_deref() != Some(SCHEMA_NAME) {
            return Err(ReportError(format!(
                "not a ghirbal report: the \"schema\" field is {:?}, expected {SCHEMA_NAME:?}",
                head.schema.unwrap_or_default()
            )));
        }
        if head.schema_version != Some(SCHEMA_VERSION) {
            return Err(ReportError(format!(
                "report schema version {:?} is not supported (this ghirbal reads version {SCHEMA_VERSION})",
                head.schema_version
            )));
        }
        serde_json::from_str(text).map_err(|e| ReportError(format!("malformed report: {e}")))
    }
}

/// `Vec<(Role, Prf)>` as a JSON object keyed by role name, in role order.
mod role_map {
    use super::{Prf, Role};
    use serde::de::Deserializer;
    use serde::ser::{SerializeMap, Serializer};
    use serde::Deserialize;
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(v: &[(Role, Prf)], s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(v.len()))?;
        for (r, p) in v {
            m.serialize_entry(r, p)?;
        }
        m.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(Role, Prf)>, D::Error> {
        let m = BTreeMap::<Role, Prf>::deserialize(d)?;
        Ok(m.into_iter().collect())
    }
}

fn write_roles(f: &mut fmt::Formatter<'_>, title: &str, s: &RoleScores) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "  {:<8} {:>9} {:>9} {:>9} {:>10}",
        "role", "precision", "recall", "f1", "support"
    )?;
    for (r, p) in &s.roles {
        writeln!(
            f,
            "  {:<8} {:>9.4} {:>9.4} {:>9.4} {:>10.0}",
            r.as_str(),
            p.precision,
            p.recall,
            p.f1,
            p.support
        )?;
    }
    writeln!(
        f,
        "  macro-F1 {:.4}   accuracy {:.4}",
        s.macro_f1, s.accuracy
    )?;
    writeln!(f, "  confusion (rows gold, columns predicted):")?;
    Confusion {
        names: &metrics::role_names(),
        cells: &s.confusion,
        missed: Some(&s.missed),
        extra: Some(&s.extra),
    }
    .write_text(f)
}

fn write_langs(f: &mut fmt::Formatter<'_>, title: &str, s: &LangScores) -> fmt::Result {
    writeln!(f, "{title}: accuracy {:.4}", s.accuracy)?;
    Confusion {
        names: &metrics::lang_names(),
        cells: &s.confusion,
        missed: Some(&s.missed),
        extra: None,
    }
    .write_text(f)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.model {
            writeln!(f, "model {}", m.identity)?;
        }
        writeln!(
            f,
            "{}, {}, {}",
            plural(self.pages, "page"),
            plural(self.blocks, "block"),
            plural(self.tokens, "token")
        )?;
        let s = &self.segmentation;
        if s.pages_matching < self.pages || s.tokens_missed + s.tokens_extra > 0 {
            writeln!(
                f,
                "segmentation matches on {} of {}; tokens: {} aligned, {} missed, {} extra",
                s.pages_matching,
                plural(self.pages, "page"),
                s.tokens_aligned,
                s.tokens_missed,
                s.tokens_extra
            )?;
        }
        writeln!(f)?;
        write_roles(f, "Roles, per block", &self.roles_by_block)?;
        writeln!(f)?;
        write_roles(f, "Roles, per token (aligned)", &self.roles_by_token)?;
        writeln!(f)?;
        write_langs(f, "Language, per block", &self.lang_by_block)?;
        writeln!(f)?;
        write_langs(f, "Language, per token (aligned)", &self.lang_by_token)?;
        write!(f, "\nLanguage accuracy by block length (words):")?;
        for b in &self.lang_by_length {
            write!(f, "  {} {:.4} ({})", b.words, b.accuracy, b.blocks)?;
        }
        let w = &self.body_words;
        writeln!(
            f,
            "\n\nBody word-F1 (WCXB style, mean of {}): precision {:.4}  recall {:.4}  F1 {:.4}",
            plural(w.pages, "page"),
            w.precision,
            w.recall,
            w.f1
        )?;
        if let Some(all) = self.calibration.last().filter(|c| c.blocks > 0) {
            write!(f, "Calibration error (ECE): all {:.4}", all.ece)?;
            for c in self.calibration.iter().filter(|c| c.role != "all") {
                write!(f, "  {} {:.4}", c.role, c.ece)?;
            }
            writeln!(f)?;
        }
        writeln!(f, "\nWorst pages (role accuracy by tokens):")?;
        for p in self.per_page.iter().take(10) {
            writeln!(
                f,
                "  {:.3}  {:.3} body-words  {:.3} lang  {:>11}  {}",
                p.role_accuracy_tokens,
                p.body_word_f1,
                p.lang_accuracy_tokens,
                plural(p.blocks, "block"),
                p.id
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(g: Role, p: Role, tokens: usize) -> Judged {
        Judged {
            gold_role: g,
            pred_role: p,
            gold_lang: Lang::En,
            pred_lang: Lang::En,
            tokens,
            confidence: None,
        }
    }

    /// A judged page whose segmentation matches, its tokens tallied from blocks.
    fn page_of(blocks: Vec<Judged>) -> JudgedPage {
        let mut t = TokenTally::default();
        for b in &blocks {
            t.roles[b.gold_role.index()][b.pred_role.index()] += b.tokens as u32;
            t.langs[b.gold_lang.index()][b.pred_lang.index()] += b.tokens as u32;
        }
        JudgedPage {
            id: "p".into(),
            gold_blocks: blocks.len(),
            blocks,
            segmentation_matches: true,
            tokens: t,
            ..JudgedPage::default()
        }
    }

    #[test]
    fn figures_by_block_and_by_token() {
        let page = page_of(vec![
            j(Role::Body, Role::Body, 30),
            j(Role::Body, Role::Nav, 10),
            j(Role::Nav, Role::Nav, 2),
            j(Role::Ad, Role::Ad, 1),
        ]);
        let r = Report::new(&[page], None);
        let body = r.roles_by_block.roles[0].1;
        assert_eq!(body.precision, 1.0);
        assert_eq!(body.recall, 0.5);
        let body_t = r.roles_by_token.roles[0].1;
        assert!((body_t.recall - 0.75).abs() < 1e-12);
        assert_eq!(r.roles_by_block.confusion[0][2], 1.0);
        // Three roles present: body, nav, ad.
        let nav_f1 = 2.0 * 0.5 * 1.0 / 1.5;
        let body_f1 = 2.0 * 1.0 * 0.5 / 1.5;
        assert_eq!(
            r.roles_by_block.macro_f1,
            r4((nav_f1 + body_f1 + 1.0) / 3.0)
        );
        assert_eq!(r.tokens, 43);
        assert_eq!(r.per_page[0].role_errors, Some(1));
    }

    #[test]
    fn tokens_are_word_runs() {
        assert_eq!(count_tokens("Oil prices, 2025!"), 3);
        assert_eq!(count_tokens("الأخبارُ العاجلة"), 2);
        assert_eq!(count_tokens("— | —"), 0);
        let w: Vec<&str> = words("snake_case, «الأخبارُ» x2").collect();
        assert_eq!(w, ["snake_case", "الأخبارُ", "x2"]);
    }

    #[test]
    fn alignment_is_a_longest_common_subsequence() {
        let a = ["a", "b", "c", "d", "e"];
        let b = ["x", "a", "c", "d", "y", "e"];
        assert_eq!(
            align_tokens(&a, &b),
            vec![Some(1), None, Some(2), Some(3), Some(5)]
        );
        assert_eq!(align_tokens::<&str>(&[], &["a"]), vec![]);
        assert_eq!(align_tokens(&["a"], &[]), vec![None]);
    }

    /// LCS length of `a` and `b` by the textbook recurrence on the whole
    /// sequences.
    fn lcs_len(a: &[&str], b: &[&str]) -> usize {
        let mut len = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                len[i][j] = if a[i] == b[j] {
                    len[i + 1][j + 1] + 1
                } else {
                    len[i + 1][j].max(len[i][j + 1])
                };
            }
        }
        len[0][0]
    }

    /// The alignment by definition: common prefix and suffix matched, then
    /// the textbook table of the middle walked from the start, matching equal
    /// tokens at once and otherwise skipping a gold token (of `a`) when that
    /// loses nothing.
    fn reference_alignment(a: &[&str], b: &[&str]) -> Vec<Option<usize>> {
        let mut out = vec![None; a.len()];
        let (mut a0, mut b0, mut a1, mut b1) = (0, 0, a.len(), b.len());
        while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
            out[a0] = Some(b0);
            a0 += 1;
            b0 += 1;
        }
        while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
            out[a1 - 1] = Some(b1 - 1);
            a1 -= 1;
            b1 -= 1;
        }
        let (i0, j0) = (a0, b0);
        let (a, b) = (&a[a0..a1], &b[b0..b1]);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if a[i] == b[j] {
                out[i0 + i] = Some(j0 + j);
                i += 1;
                j += 1;
            } else if lcs_len(&a[i + 1..], &b[j..]) >= lcs_len(&a[i..], &b[j + 1..]) {
                i += 1;
            } else {
                j += 1;
            }
        }
        out
    }

    #[test]
    fn alignment_matches_a_by_definition_lcs() {
        // SplitMix64: a tiny deterministic generator.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: u64| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % n
        };
        let vocab = ["a", "b", "c", "d", "و", "في"];
        for case in 0..5000 {
            // Few distinct tokens: many equally long subsequences to choose from.
            let k = 1 + next(vocab.len() as u64) as usize;
            let a: Vec<&str> = (0..next(13))
                .map(|_| vocab[next(k as u64) as usize])
                .collect();
            let b: Vec<&str> = (0..next(13))
                .map(|_| vocab[next(k as u64) as usize])
                .collect();
            let got = align_tokens(&a, &b);
            let want = reference_alignment(&a, &b);
            assert_eq!(got, want, "case {case}: {a:?} / {b:?}");
            assert_eq!(
                got.iter().flatten().count(),
                lcs_len(&a, &b),
                "case {case}: {a:?} / {b:?}"
            );
            let mut last = None;
            for (i, j) in got.iter().enumerate() {
                if let Some(j) = *j {
                    assert_eq!(a[i], b[j], "case {case}: only equal tokens pair");
                    assert!(last < Some(j), "case {case}: pairs increase");
                    last = Some(j);
                }
            }
        }
    }

    #[test]
    fn large_alignments_cut_at_unique_tokens() {
        // Too large for one table: 3000 × 3000 tokens, repeated filler with
        // unique markers; one gold token dropped, one extra inserted.
        let mut a: Vec<String> = Vec::new();
        for i in 0..300 {
            a.push(format!("m{i}"));
            a.extend(std::iter::repeat_n("w".to_string(), 9));
        }
        let mut b = a.clone();
        b.remove(1500);
        b.insert(2000, "new".into());
        let m = align_tokens(&a, &b);
        assert_eq!(m.iter().filter(|x| x.is_none()).count(), 1);
        assert_eq!(m[0], Some(0));
        assert_eq!(m[2999], Some(2999));
        let mut last = None;
        for x in m.iter().flatten() {
            assert!(last < Some(*x), "increasing");
            last = Some(*x);
        }
    }

    fn labelled(text: &str) -> LabelledPage {
        crate::corpus::parse_annotated(text, "t.txt")
            .unwrap()
            .remove(0)
    }

    fn pred(blocks: &[(&str, Role)]) -> Prediction {
        Prediction {
            id: "t.txt".into(),
            model: None,
            blocks: blocks
                .iter()
                .map(|&(t, r)| PredictedBlock {
                    text: t.into(),
                    role: r,
                    lang: Lang::En,
                    scores: Some({
                        let mut s = [0.1f32; Role::COUNT];
                        s[r.index()] = 0.6;
                        s
                    }),
                    lang_confidence: None,
                    dir: Dir::Ltr,
                })
                .collect(),
        }
    }

    const GOLD: &str = "nav en\tHome World\n\
body en\tOil prices climb again\n\
body en\tDelegates met in Vienna\n\
legal en\tAll rights reserved\n";

    #[test]
    fn a_different_segmentation_is_scored_per_token() {
        let page = labelled(GOLD);
        // The predictor merged the two paragraphs, dropped the menu and added a
        // line of its own.
        let p = pred(&[
            ("Oil prices climb again Delegates met in Vienna", Role::Body),
            ("Share this", Role::Chrome),
            ("All rights reserved", Role::Body),
        ]);
        let j = judge_prediction(&page, &p);
        assert!(!j.segmentation_matches);
        assert!(j.blocks.is_empty());
        let t = &j.tokens;
        assert_eq!(t.roles[Role::Body.index()][Role::Body.index()], 8);
        assert_eq!(t.roles[Role::Legal.index()][Role::Body.index()], 3);
        assert_eq!(t.missed_roles[Role::Nav.index()], 2);
        assert_eq!(t.extra_roles[Role::Chrome.index()], 2);
        // Body words: 8 of the predicted 11 are gold body; all 8 gold found.
        assert_eq!(
            j.body_words,
            WordOverlap {
                common: 8,
                predicted: 11,
                gold: 8
            }
        );
        let r = Report::from_judged(&[j], None);
        let body = r.roles_by_token.roles[0].1;
        assert_eq!(body.precision, r4(8.0 / 11.0));
        assert_eq!(body.recall, 1.0);
        let nav = r.roles_by_token.roles[Role::Nav.index()].1;
        assert_eq!((nav.recall, nav.support), (0.0, 2.0));
        assert_eq!(r.segmentation.tokens_missed, 2);
        assert_eq!(r.segmentation.tokens_extra, 2);
        assert_eq!(r.roles_by_block.roles[0].1.support, 0.0);
        assert_eq!(r.per_page[0].role_accuracy, None);
        assert_eq!(r.body_words.f1, r4(2.0 * (8.0 / 11.0) / (8.0 / 11.0 + 1.0)));
    }

    #[test]
    fn the_same_segmentation_scores_like_blocks_weighted_by_tokens() {
        let page = labelled(GOLD);
        let p = pred(&[
            ("Home World", Role::Nav),
            ("Oil prices climb again", Role::Body),
            ("Delegates met in Vienna", Role::Chrome),
            ("All rights reserved", Role::Legal),
        ]);
        let j = judge_prediction(&page, &p);
        assert!(j.segmentation_matches);
        assert_eq!(j.blocks.len(), 4);
        let r = Report::from_judged(&[j], None);
        assert_eq!(r.roles_by_token.roles[0].1.recall, 0.5);
        assert_eq!(r.roles_by_block.roles[0].1.recall, 0.5);
        assert_eq!(r.segmentation.tokens_missed, 0);
        let all = r.calibration.last().unwrap();
        assert_eq!(all.blocks, 4);
        assert_eq!(all.bins[6].blocks, 4);
        assert_eq!(all.bins[6].accuracy, Some(0.75));
        assert_eq!(all.ece, r4((0.75f64 - 0.6f32 as f64).abs()));
        assert_eq!(r.lang_by_length[1].blocks, 1);
        assert_eq!(r.lang_by_length[2].blocks, 3);
    }

    #[test]
    fn word_f1_of_empty_bags() {
        let o = WordOverlap::default();
        let p = o.prf();
        assert_eq!((p.precision, p.recall, p.f1), (1.0, 1.0, 1.0));
        let o = WordOverlap {
            common: 0,
            predicted: 0,
            gold: 5,
        };
        let p = o.prf();
        assert_eq!((p.precision, p.recall, p.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn report_json_round_trips_and_names_its_schema() {
        let page = labelled(GOLD);
        let j = judge_prediction(&page, &pred(&[("Home World", Role::Nav)]));
        let r = Report::from_judged(&[j], Some(ModelInfo::named("x@1")));
        let text = r.to_json();
        assert!(text.contains("\"schema\": \"ghirbal-eval-report\""));
        assert!(text.contains("\"roles\": {\n      \"body\""));
        assert_eq!(Report::from_json(&text).unwrap(), r);
        let e = Report::from_json(&text.replace("\"schema_version\": 1", "\"schema_version\": 9"))
            .unwrap_err();
        assert!(e.to_string().contains("version Some(9)"));
        assert!(Report::from_json("{}").is_err());
    }

    #[test]
    fn predictions_read_from_classify_output() {
        let line = r#"{"id":"a","blocks":[{"start":0,"end":4,"text":"عاجل","role":"chrome","lang":"ar","role_scores":{"body":0.1,"chrome":0.7,"nav":0.1,"legal":0.05,"ad":0.05},"dir":"rtl","lang_confidence":0.9}],"model":"default@1"}
{"id":"b","error":"cannot read"}
"#;
        let p = read_predictions(line, "p.jsonl").unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].model.as_deref(), Some("default@1"));
        assert_eq!(p[0].blocks[0].role, Role::Chrome);
        assert_eq!(p[0].blocks[0].scores.unwrap()[1], 0.7);
        assert_eq!(p[0].blocks[0].dir, Dir::Rtl);
        let e = read_predictions(
            "{\"id\":\"a\",\"blocks\":[{\"text\":\"x\",\"role\":\"footer\",\"lang\":\"en\"}]}",
            "p.jsonl",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
