//! Measurement of language identification against a labelled block set.
//!
//! In: JSON Lines of labelled blocks (`tests/data/lang/blocks.jsonl`: `text`,
//! `lang`, `detail`, `spans` as `[text, lang]` pairs in order, `kind`). Out: a
//! [`Report`] for each half of the set — accuracy per length bucket, confusion
//! matrix, errors per kind, `detail` accuracy on `other`, mixed-block
//! precision/recall/F1, span boundary accuracy and calibration — printable as
//! Markdown (the committed `tests/data/lang/REPORT.md`) or JSON.
//!
//! **Split.** Two files: the dev set (`tests/data/lang/blocks.jsonl`, read
//! while improving rules, lexicons and the calibration tables: its errors are
//! listed) and the held-out set (`tests/data/lang/held-out.jsonl`, written
//! fresh by a hand that never saw the identifier's output; only its totals
//! are reported, never its texts or its errors by kind). Targets are judged on
//! the held-out set. (The calibration table was fitted on the even-hash half
//! of the dev set, the split of an earlier set whose odd half became dev
//! after it had been read too often.)
//!
//! **Words** (for the length buckets): whitespace-separated tokens that are
//! not URLs or e-mail addresses and hold at least two letters (Arabic, Latin,
//! Hebrew or other-script letters by [`script`]; digits, marks, tatweel and
//! punctuation are not letters). This is the `LABELS.md` notion of a word
//! (numbers, URLs, e-mail addresses and single letters are not words) made
//! mechanical, and it does not depend on the identifier's decisions. Blocks
//! with no word at all form their own `0` bucket.

use super::metrics::{self, Confusion};
use crate::label::Lang;
use crate::lang::{identify, is_url_or_email, script, Evidence, LangInfo, Path, Script, Span};
use crate::output::plural;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where the labelled set lives in the repository.
pub const DEFAULT_SET: &str = "tests/data/lang/blocks.jsonl";
/// The held-out set.
pub const HELD_OUT_SET: &str = "tests/data/lang/held-out.jsonl";

/// Accuracy floors of issue 9, judged on the held-out half.
pub const FLOOR_10_PLUS: f64 = 0.995;
pub const FLOOR_3_TO_9: f64 = 0.99;
pub const FLOOR_1_TO_2: f64 = 0.97;
pub const FLOOR_MIXED_F1: f64 = 0.97;

/// One labelled block.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub lang: Lang,
    pub detail: Option<String>,
    /// Gold spans of a mixed block, as byte ranges of `text`.
    pub spans: Option<Vec<Span>>,
    pub kind: String,
}

#[derive(Deserialize)]
struct RawExample {
    text: String,
    lang: String,
    detail: Option<String>,
    spans: Option<Vec<(String, String)>>,
    kind: String,
}

/// A line of the labelled set that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LoadError {}

/// Parse a labelled set (JSON Lines; blank lines are skipped).
pub fn parse(jsonl: &str) -> Result<Vec<Example>, LoadError> {
    let mut out = Vec::new();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| LoadError {
            line: i + 1,
            message,
        };
        let raw: RawExample = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let lang: Lang = raw.lang.parse().map_err(|e| err(format!("{e}")))?;
        let spans = match raw.spans {
            None => None,
            Some(pairs) => {
                let mut spans = Vec::with_capacity(pairs.len());
                let mut from = 0;
                for (s, l) in pairs {
                    let lang: Lang = l.parse().map_err(|e| err(format!("{e}")))?;
                    let at = raw.text[from..]
                        .find(&s)
                        .ok_or_else(|| err(format!("span {s:?} not found after byte {from}")))?;
                    let start = from + at;
                    spans.push(Span {
                        start,
                        end: start + s.len(),
                        lang,
                    });
                    from = start + s.len();
                }
                Some(spans)
            }
        };
        out.push(Example {
            text: raw.text,
            lang,
            detail: raw.detail,
            spans,
            kind: raw.kind,
        });
    }
    Ok(out)
}

/// One half of the labelled set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Half {
    Dev,
    HeldOut,
}

impl Half {
    pub fn as_str(self) -> &'static str {
        match self {
            Half::Dev => "dev",
            Half::HeldOut => "held-out",
        }
    }
}

/// The half a block belongs to: FNV-1a 64 of its text, even → dev, odd → held-out.
pub fn half_of(text: &str) -> Half {
    if crate::fnv::fnv1a64(text.as_bytes()).is_multiple_of(2) {
        Half::Dev
    } else {
        Half::HeldOut
    }
}

/// Words of a text as the length buckets count them (see the module docs).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|t| !is_url_or_email(t))
        .filter(|t| {
            t.chars()
                .filter(|&c| {
                    matches!(
                        script(c),
                        Script::Arabic | Script::Latin | Script::Hebrew | Script::OtherLetter
                    ) && !matches!(c, '\u{0591}'..='\u{05C7}')
                })
                .nth(1)
                .is_some()
        })
        .count()
}

/// Length bucket of a block by its word count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Bucket {
    #[serde(rename = "0")]
    Zero,
    #[serde(rename = "1-2")]
    OneTwo,
    #[serde(rename = "3-9")]
    ThreeNine,
    #[serde(rename = "10+")]
    TenPlus,
}

impl Bucket {
    pub const ALL: [Bucket; 4] = [
        Bucket::Zero,
        Bucket::OneTwo,
        Bucket::ThreeNine,
        Bucket::TenPlus,
    ];

    pub fn of(words: usize) -> Bucket {
        match words {
            0 => Bucket::Zero,
            1..=2 => Bucket::OneTwo,
            3..=9 => Bucket::ThreeNine,
            _ => Bucket::TenPlus,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Zero => "0",
            Bucket::OneTwo => "1–2",
            Bucket::ThreeNine => "3–9",
            Bucket::TenPlus => "10+",
        }
    }
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Score {
    pub correct: usize,
    pub total: usize,
    pub rate: f64,
}

impl Score {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.correct += usize::from(ok);
    }

    fn finish(&mut self) {
        self.rate = ratio(self.correct, self.total);
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    metrics::ratio(a as f64, b as f64)
}

/// Accuracy of one length bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketScore {
    pub bucket: Bucket,
    #[serde(flatten)]
    pub score: Score,
}

/// Errors of one `kind` of block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindScore {
    pub kind: String,
    pub total: usize,
    pub errors: usize,
}

/// Precision, recall and F1 of the `mixed` label.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct MixedScore {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// How well predicted spans match gold spans on gold-mixed blocks.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SpanScore {
    /// Gold-mixed blocks whose predicted spans equal the gold spans exactly
    /// (every byte range and language, nothing more).
    pub blocks: Score,
    /// Gold spans found among the predicted spans with the same byte range and language.
    pub spans: Score,
}

/// One bin of the reliability table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalibrationBin {
    pub low: f64,
    pub high: f64,
    pub blocks: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// Reliability table and expected calibration errors of `lang_confidence`
/// (correct = `lang` right).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub bins: Vec<CalibrationBin>,
    /// ECE over the bins of the table: Σ (n_b / N) |accuracy_b − confidence_b|.
    pub ece: f64,
    /// ECE over ten equal-width bins (the common definition).
    pub ece_10: f64,
    /// Mean confidence over all blocks, and accuracy over all blocks.
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// Reliability table bin edges: fine where the identifier's confidences are.
const BIN_EDGES: [f64; 11] = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0];

/// A wrongly labelled block (listed for the dev half only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorCase {
    pub kind: String,
    pub text: String,
    pub gold: Lang,
    pub predicted: Lang,
    pub detail: Option<&'static str>,
    pub confidence: f32,
}

/// Accuracy of `lang_detail` on gold-`other` blocks.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct DetailScore {
    /// Among gold-`other` blocks predicted `other`: detail equals the gold detail.
    pub when_other_predicted: Score,
    /// Among all gold-`other` blocks: predicted `other` with the gold detail.
    pub overall: Score,
}

/// Accuracy of one decision path at one evidence level, beside the
/// confidence the calibration table gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathScore {
    pub path: Path,
    pub evidence: Evidence,
    #[serde(flatten)]
    pub score: Score,
    pub confidence: f32,
}

/// Every figure of one half.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HalfReport {
    pub half: Half,
    pub accuracy: Score,
    pub buckets: Vec<BucketScore>,
    /// `confusion[gold][predicted]`, in [`Lang::ALL`] order.
    pub confusion: [[usize; Lang::COUNT]; Lang::COUNT],
    pub kinds: Vec<KindScore>,
    pub detail: DetailScore,
    pub mixed: MixedScore,
    pub spans: SpanScore,
    pub calibration: Calibration,
    /// Accuracy per decision path and evidence level.
    pub paths: Vec<PathScore>,
    /// Wrong blocks; empty for the held-out half, whose texts stay unread.
    pub errors: Vec<ErrorCase>,
}

/// A target of issue 9, judged on the held-out half.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub name: &'static str,
    pub value: f64,
    pub floor: f64,
    pub met: bool,
}

/// The evaluation of both halves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The labelled set as named on the command line.
    pub set: String,
    pub blocks: usize,
    pub dev: HalfReport,
    pub held_out: HalfReport,
    pub targets: Vec<Target>,
}

impl Report {
    /// Whether every target holds on the held-out half.
    pub fn targets_met(&self) -> bool {
        self.targets.iter().all(|t| t.met)
    }
}

/// Identify every block of the dev and the held-out set and score both.
pub fn evaluate(set: &str, dev: &[Example], held_out: &[Example]) -> Report {
    let judge = |examples: &[Example], h: Half| {
        let predicted: Vec<LangInfo> = examples.iter().map(|e| identify(&e.text)).collect();
        let pairs: Vec<(&Example, &LangInfo)> = examples.iter().zip(&predicted).collect();
        score_half(h, &pairs)
    };
    let examples_len = dev.len() + held_out.len();
    let dev = judge(dev, Half::Dev);
    let held_out = judge(held_out, Half::HeldOut);
    let bucket = |b: Bucket| {
        held_out
            .buckets
            .iter()
            .find(|s| s.bucket == b)
            .map_or(0.0, |s| s.score.rate)
    };
    let target = |name, value: f64, floor: f64| Target {
        name,
        value,
        floor,
        met: value >= floor,
    };
    let targets = vec![
        target(
            "accuracy, 10+ words",
            bucket(Bucket::TenPlus),
            FLOOR_10_PLUS,
        ),
        target(
            "accuracy, 3–9 words",
            bucket(Bucket::ThreeNine),
            FLOOR_3_TO_9,
        ),
        target("accuracy, 1–2 words", bucket(Bucket::OneTwo), FLOOR_1_TO_2),
        target("mixed F1", held_out.mixed.f1, FLOOR_MIXED_F1),
    ];
    Report {
        set: set.to_string(),
        blocks: examples_len,
        dev,
        held_out,
        targets,
    }
}

fn score_half(half: Half, judged: &[(&Example, &LangInfo)]) -> HalfReport {
    let mut accuracy = Score::default();
    let mut buckets: Vec<BucketScore> = Bucket::ALL
        .iter()
        .map(|&bucket| BucketScore {
            bucket,
            score: Score::default(),
        })
        .collect();
    let mut confusion = [[0usize; Lang::COUNT]; Lang::COUNT];
    let mut kinds: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut detail = DetailScore::default();
    let mut mixed = MixedScore::default();
    let mut spans = SpanScore::default();
    let mut errors = Vec::new();
    for (e, p) in judged {
        let ok = e.lang == p.lang;
        accuracy.add(ok);
        let b = Bucket::of(word_count(&e.text));
        buckets
            .iter_mut()
            .find(|s| s.bucket == b)
            .expect("every bucket is listed")
            .score
            .add(ok);
        confusion[e.lang.index()][p.lang.index()] += 1;
        let k = kinds.entry(e.kind.as_str()).or_default();
        k.0 += 1;
        k.1 += usize::from(!ok);
        if e.lang == Lang::Other {
            let same = p.detail.is_some() && p.detail == e.detail.as_deref();
            detail.overall.add(ok && same);
            if ok {
                detail.when_other_predicted.add(same);
            }
        }
        match (e.lang == Lang::Mixed, p.lang == Lang::Mixed) {
            (true, true) => mixed.true_positives += 1,
            (false, true) => mixed.false_positives += 1,
            (true, false) => mixed.false_negatives += 1,
            (false, false) => {}
        }
        if e.lang == Lang::Mixed {
            let gold = e.spans.as_deref().unwrap_or(&[]);
            spans.blocks.add(gold == p.spans.as_slice());
            for g in gold {
                spans.spans.add(p.spans.contains(g));
            }
        }
        if !ok && half == Half::Dev {
            errors.push(ErrorCase {
                kind: e.kind.clone(),
                text: e.text.clone(),
                gold: e.lang,
                predicted: p.lang,
                detail: p.detail,
                confidence: p.confidence,
            });
        }
    }
    accuracy.finish();
    for b in &mut buckets {
        b.score.finish();
    }
    detail.overall.finish();
    detail.when_other_predicted.finish();
    spans.blocks.finish();
    spans.spans.finish();
    let tp = mixed.true_positives;
    let prf = metrics::Prf::of(
        tp as f64,
        (tp + mixed.false_positives) as f64,
        (tp + mixed.false_negatives) as f64,
    );
    (mixed.precision, mixed.recall, mixed.f1) = (prf.precision, prf.recall, prf.f1);
    let mut cells: std::collections::BTreeMap<(Path, Evidence), (Score, f32)> = Default::default();
    for (e, p) in judged {
        let c = cells
            .entry((p.path, p.evidence))
            .or_insert((Score::default(), p.confidence));
        c.0.add(e.lang == p.lang);
    }
    let paths = cells
        .into_iter()
        .map(|((path, evidence), (mut score, confidence))| {
            score.finish();
            PathScore {
                path,
                evidence,
                score,
                confidence,
            }
        })
        .collect();
    let pairs: Vec<(f64, bool)> = judged
        .iter()
        .map(|(e, p)| (f64::from(p.confidence), e.lang == p.lang))
        .collect();
    HalfReport {
        half,
        accuracy,
        buckets,
        confusion,
        kinds: kinds
            .into_iter()
            .map(|(kind, (total, errors))| KindScore {
                kind: kind.to_string(),
                total,
                errors,
            })
            .collect(),
        detail,
        mixed,
        spans,
        calibration: calibration(&pairs),
        paths,
        errors,
    }
}

/// Bin index of a confidence among `edges` (the last bin is closed).
fn bin_of(c: f64, edges: &[f64]) -> usize {
    let last = edges.len() - 2;
    (0..=last).find(|&i| c < edges[i + 1]).unwrap_or(last)
}

fn ece(pairs: &[(f64, bool)], edges: &[f64]) -> (f64, Vec<CalibrationBin>) {
    let nb = edges.len() - 1;
    let mut n = vec![0usize; nb];
    let mut conf = vec![0.0f64; nb];
    let mut right = vec![0usize; nb];
    for &(c, ok) in pairs {
        let b = bin_of(c, edges);
        n[b] += 1;
        conf[b] += c;
        right[b] += usize::from(ok);
    }
    let total = pairs.len().max(1) as f64;
    let mut e = 0.0;
    let mut bins = Vec::new();
    for b in 0..nb {
        if n[b] == 0 {
            continue;
        }
        let mc = conf[b] / n[b] as f64;
        let acc = right[b] as f64 / n[b] as f64;
        e += n[b] as f64 / total * (acc - mc).abs();
        bins.push(CalibrationBin {
            low: edges[b],
            high: edges[b + 1],
            blocks: n[b],
            mean_confidence: mc,
            accuracy: acc,
        });
    }
    (e, bins)
}

/// Reliability table and ECE of (confidence, correct) pairs.
pub fn calibration(pairs: &[(f64, bool)]) -> Calibration {
    let (e, bins) = ece(pairs, &BIN_EDGES);
    let tenths: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
    let (e10, _) = ece(pairs, &tenths);
    let n = pairs.len().max(1) as f64;
    Calibration {
        bins,
        ece: e,
        ece_10: e10,
        mean_confidence: pairs.iter().map(|p| p.0).sum::<f64>() / n,
        accuracy: pairs.iter().filter(|p| p.1).count() as f64 / n,
    }
}

/// Fit the calibration table on the dev half. For each decision path, its
/// evidence levels with dev blocks are pooled with a neighbour while they
/// hold fewer than [`MIN_CELL`] blocks (the lower neighbour first), then
/// with neighbours while accuracy decreases with evidence
/// (pool-adjacent-violators); each pool's value is its Laplace-smoothed
/// accuracy `(right + 1) / (blocks + 2)`. A level without dev blocks takes
/// the value of the level below (or above); a path without any takes 0.5.
pub fn fit_calibration(examples: &[Example]) -> [[f32; 4]; 9] {
    let mut counts = [[(0usize, 0usize); 4]; 9];
    for e in examples.iter().filter(|e| half_of(&e.text) == Half::Dev) {
        let p = identify(&e.text);
        let c = &mut counts[p.path as usize][p.evidence as usize];
        c.0 += 1;
        c.1 += usize::from(p.lang == e.lang);
    }
    let mut table = [[0.5f32; 4]; 9];
    for (row, cells) in table.iter_mut().zip(counts) {
        // Pools of levels: (first level, last level, blocks, right).
        let mut pools: Vec<(usize, usize, usize, usize)> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.0 > 0)
            .map(|(l, &(n, k))| (l, l, n, k))
            .collect();
        let merge = |pools: &mut Vec<(usize, usize, usize, usize)>, i: usize| {
            let b = pools.remove(i + 1);
            let a = &mut pools[i];
            *a = (a.0, b.1, a.2 + b.2, a.3 + b.3);
        };
        while pools.len() >= 2 {
            let Some(i) = pools.iter().position(|p| p.2 < MIN_CELL) else {
                break;
            };
            let at = i.saturating_sub(1).min(pools.len() - 2);
            merge(&mut pools, at);
        }
        while let Some(i) = (0..pools.len().saturating_sub(1))
            .find(|&i| laplace(pools[i].3, pools[i].2) > laplace(pools[i + 1].3, pools[i + 1].2))
        {
            merge(&mut pools, i);
        }
        if pools.is_empty() {
            continue;
        }
        let mut value = [None; 4];
        for &(lo, hi, n, k) in &pools {
            for v in &mut value[lo..=hi] {
                *v = Some(laplace(k, n));
            }
        }
        let first = value.iter().flatten().next().copied().unwrap_or(0.5);
        let mut prev = first;
        for (cell, v) in row.iter_mut().zip(value) {
            prev = v.unwrap_or(prev);
            *cell = (prev * 10_000.0).round() / 10_000.0;
        }
    }
    table
}

/// Fewest dev blocks behind one value of the calibration table.
pub const MIN_CELL: usize = 20;

fn laplace(right: usize, n: usize) -> f32 {
    (right as f32 + 1.0) / (n as f32 + 2.0)
}

/// The calibration table as the Rust source of `src/lang/calibration.rs`'s `TABLE`.
pub fn calibration_source(table: &[[f32; 4]; 9]) -> String {
    let mut s = String::from("pub(crate) const TABLE: [[f32; 4]; 9] = [\n");
    for (row, path) in table.iter().zip(Path::ALL) {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        s.push_str(&format!(
            "    [{}], // {}\n",
            cells.join(", "),
            path.as_str()
        ));
    }
    s.push_str("];\n");
    s
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

impl fmt::Display for HalfReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.accuracy;
        writeln!(
            f,
            "## {} set: {}\n",
            self.half.as_str(),
            plural(a.total, "block")
        )?;
        writeln!(f, "Accuracy: {} ({}/{})\n", pct(a.rate), a.correct, a.total)?;
        writeln!(f, "| words | blocks | correct | accuracy |")?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for b in &self.buckets {
            let s = &b.score;
            writeln!(
                f,
                "| {} | {} | {} | {} |",
                b.bucket.as_str(),
                s.total,
                s.correct,
                pct(s.rate)
            )?;
        }
        let m = &self.mixed;
        if self.half == Half::HeldOut {
            // Totals only: what went wrong where stays unread.
            return writeln!(
                f,
                "\nMixed blocks: F1 {:.4}. Calibration: ECE {:.4}.",
                m.f1, self.calibration.ece
            );
        }
        writeln!(f, "\nConfusion (rows gold, columns predicted):\n")?;
        let cells: Vec<Vec<f64>> = self
            .confusion
            .iter()
            .map(|row| row.iter().map(|&n| n as f64).collect())
            .collect();
        Confusion {
            names: &metrics::lang_names(),
            cells: &cells,
            missed: None,
            extra: None,
        }
        .write_markdown(f, false)?;
        writeln!(
            f,
            "\nMixed blocks: precision {:.4}, recall {:.4}, F1 {:.4} (TP {}, FP {}, FN {})\n",
            m.precision, m.recall, m.f1, m.true_positives, m.false_positives, m.false_negatives
        )?;
        let s = &self.spans;
        writeln!(
            f,
            "Spans of gold-mixed blocks: exact for {}/{} ({}); {}/{} found exactly ({})\n",
            s.blocks.correct,
            plural(s.blocks.total, "block"),
            pct(s.blocks.rate),
            s.spans.correct,
            plural(s.spans.total, "gold span"),
            pct(s.spans.rate)
        )?;
        let d = &self.detail;
        writeln!(
            f,
            "`detail` on gold-`other` blocks: {}/{} right when `other` is predicted ({}); {}/{} of all gold-`other` blocks ({})\n",
            d.when_other_predicted.correct,
            d.when_other_predicted.total,
            pct(d.when_other_predicted.rate),
            d.overall.correct,
            d.overall.total,
            pct(d.overall.rate)
        )?;
        let c = &self.calibration;
        writeln!(
            f,
            "Calibration of `lang_confidence`: ECE {:.4} over the bins below, {:.4} over ten equal-width bins; mean confidence {:.4}, accuracy {:.4}\n",
            c.ece, c.ece_10, c.mean_confidence, c.accuracy
        )?;
        writeln!(f, "| confidence | blocks | mean confidence | accuracy |")?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for b in &c.bins {
            writeln!(
                f,
                "| [{:.3}, {:.3}{} | {} | {:.4} | {:.4} |",
                b.low,
                b.high,
                if b.high >= 1.0 { "]" } else { ")" },
                b.blocks,
                b.mean_confidence,
                b.accuracy
            )?;
        }
        writeln!(f, "\nDecision paths:\n")?;
        writeln!(f, "| path | evidence | blocks | accuracy | confidence |")?;
        writeln!(f, "|---|---|---:|---:|---:|")?;
        for p in &self.paths {
            writeln!(
                f,
                "| {} | {} | {} | {:.4} | {:.4} |",
                p.path.as_str(),
                p.evidence.as_str(),
                p.score.total,
                p.score.rate,
                p.confidence
            )?;
        }
        let wrong: Vec<&KindScore> = self.kinds.iter().filter(|k| k.errors > 0).collect();
        writeln!(
            f,
            "\nErrors per kind ({} without errors not listed):\n",
            plural(self.kinds.len() - wrong.len(), "kind")
        )?;
        if wrong.is_empty() {
            writeln!(f, "none")?;
        } else {
            writeln!(f, "| kind | blocks | errors |")?;
            writeln!(f, "|---|---:|---:|")?;
            for k in wrong {
                writeln!(f, "| {} | {} | {} |", k.kind, k.total, k.errors)?;
            }
        }
        if self.half == Half::Dev && !self.errors.is_empty() {
            writeln!(f, "\nWrong blocks:\n")?;
            writeln!(f, "| kind | gold | predicted | confidence | text |")?;
            writeln!(f, "|---|---|---|---:|---|")?;
            for e in &self.errors {
                let shown = format!(
                    "{}{}",
                    e.predicted,
                    e.detail.map(|d| format!(" ({d})")).unwrap_or_default()
                );
                writeln!(
                    f,
                    "| {} | {} | {} | {:.3} | {} |",
                    e.kind,
                    e.gold,
                    shown,
                    e.confidence,
                    e.text.replace('|', "\\|")
                )?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# Language identification report\n")?;
        writeln!(
            f,
            "Generated by `ghirbal eval-lang` from `{}` ({}); do not edit by hand: \
             `cargo run --release -- eval-lang > tests/data/lang/REPORT.md` regenerates it, \
             and a test fails when it is stale.\n",
            self.set,
            plural(self.blocks, "block")
        )?;
        writeln!(
            f,
            "Split: the dev set ({}, read while improving the rules, lexicons and \
             calibration tables; its errors are listed) and the held-out set ({}, \
             written fresh, only evaluated: only its totals are reported). Words: \
             whitespace-separated tokens, not URLs or e-mail addresses, with at least two \
             letters.\n",
            plural(self.dev.accuracy.total, "block"),
            plural(self.held_out.accuracy.total, "block")
        )?;
        writeln!(f, "## Targets (held-out set)\n")?;
        writeln!(f, "| target | value | floor | met |")?;
        writeln!(f, "|---|---:|---:|---|")?;
        for t in &self.targets {
            writeln!(
                f,
                "| {} | {:.4} | {:.3} | {} |",
                t.name,
                t.value,
                t.floor,
                if t.met { "yes" } else { "**no**" }
            )?;
        }
        writeln!(
            f,
            "\nHeld-out calibration: ECE {:.4} (table bins), {:.4} (ten equal-width bins).\n",
            self.held_out.calibration.ece, self.held_out.calibration.ece_10
        )?;
        write!(f, "{}\n{}", self.held_out, self.dev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_fnv1a_parity() {
        assert_eq!(half_of(""), Half::HeldOut);
        assert_eq!(half_of("a"), Half::Dev);
    }

    #[test]
    fn words_are_counted_as_documented() {
        assert_eq!(word_count("Home"), 1);
        assert_eq!(word_count("فيتامين C"), 1);
        assert_eq!(word_count("12/03/2025"), 0);
        assert_eq!(word_count("و"), 0);
        assert_eq!(word_count("راسلونا على info@example.com"), 2);
        assert_eq!(word_count("الـمـزيـد kifak 3amel"), 3);
        assert_eq!(word_count("عَاجِل"), 1);
    }

    #[test]
    fn spans_are_located_in_order() {
        let line = r#"{"text": "و Twitter و Instagram", "lang": "mixed", "detail": null, "spans": [["Twitter", "en"], ["و", "ar"], ["Instagram", "en"]], "kind": "k"}"#;
        let e = parse(line).unwrap();
        let s = e[0].spans.as_ref().unwrap();
        assert_eq!((s[1].start, s[1].end), (11, 13));
        assert!(parse(
            r#"{"text": "a", "lang": "xx", "detail": null, "spans": null, "kind": "k"}"#
        )
        .unwrap_err()
        .to_string()
        .starts_with("line 1: unknown lang"));
    }

    #[test]
    fn calibration_table_is_fitted_on_the_dev_half() {
        let set = parse(include_str!("../../tests/data/lang/blocks.jsonl")).unwrap();
        assert_eq!(
            fit_calibration(&set),
            crate::lang::calibration::TABLE,
            "refit with `ghirbal eval-lang --fit-calibration` and paste into src/lang/calibration.rs"
        );
    }

    #[test]
    fn ece_of_a_perfect_and_a_bad_identifier() {
        assert_eq!(calibration(&[(1.0, true), (1.0, true)]).ece, 0.0);
        let c = calibration(&[(0.9, false), (0.9, false)]);
        assert!((c.ece - 0.9).abs() < 1e-9);
    }
}
