//! Reports people read and look at: an [`eval::Report`] rendered as Markdown
//! ([`markdown`]), as one self-contained offline HTML file with figures and a
//! page viewer ([`html::report`]), the page viewer alone for unlabelled pages
//! ([`html::viewer`]), and the differences between two reports ([`compare`](mod@compare)).
//!
//! In: gold pages and predictions (for reports) or pages and their labels
//! (for the viewer); a report's JSON (for comparisons). Out: strings; the
//! command line writes them to files. Everything here is a pure function of
//! its input, so reports are byte-for-byte reproducible and diffable.
//!
//! [`eval::Report`]: crate::eval::Report

pub mod compare;
pub mod html;
mod markdown;

pub use compare::compare;
pub use markdown::markdown;

use crate::corpus::LabelledPage;
use crate::eval::{self, ModelInfo, PageScore, Prediction, Report};
use crate::label::{Dir, Lang, Role};
use crate::page::Page;
use crate::BlockLabel;
use std::collections::HashMap;
use std::path::Path;

/// One block as the page viewer draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewBlock {
    pub text: String,
    /// Predicted role and language.
    pub role: Role,
    pub lang: Lang,
    /// Role probabilities in [`Role::ALL`] order, when known.
    pub scores: Option<[f32; Role::COUNT]>,
    pub lang_confidence: Option<f32>,
    pub dir: Dir,
    /// Gold role and language (for a block of another segmentation: the
    /// labels most of its aligned tokens carry), when known.
    pub gold: Option<(Role, Lang)>,
}

impl ViewBlock {
    /// Whether the predicted role differs from the gold role.
    pub fn is_role_error(&self) -> bool {
        self.gold.is_some_and(|(r, _)| r != self.role)
    }

    /// Whether the predicted language differs from the gold language.
    pub fn is_lang_error(&self) -> bool {
        self.gold.is_some_and(|(_, l)| l != self.lang)
    }

    /// Probability of the predicted role, when known.
    pub fn confidence(&self) -> Option<f32> {
        self.scores.map(|s| s[self.role.index()])
    }
}

/// One page as the page viewer draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewPage {
    pub id: String,
    pub url: Option<String>,
    pub blocks: Vec<ViewBlock>,
    /// The page's figures, for an evaluated page.
    pub score: Option<PageScore>,
    /// A problem to show above the blocks: a record that could not be read,
    /// a gold page nobody predicted.
    pub error: Option<String>,
}

impl ViewPage {
    /// A page labelled by a model, without gold labels.
    pub fn predicted(page: &Page, labels: &[BlockLabel]) -> ViewPage {
        ViewPage {
            id: page.id.clone(),
            url: page.url.clone(),
            blocks: page
                .iter()
                .zip(labels)
                .map(|((_, text), l)| ViewBlock {
                    text: text.to_string(),
                    role: l.role,
                    lang: l.lang.lang,
                    scores: Some(l.scores),
                    lang_confidence: Some(l.lang.confidence),
                    dir: l.dir,
                    gold: None,
                })
                .collect(),
            score: None,
            error: None,
        }
    }

    /// An input record that could not be read.
    pub fn failed(id: &str, url: Option<&str>, error: &str) -> ViewPage {
        ViewPage {
            id: id.to_string(),
            url: url.map(str::to_string),
            blocks: Vec::new(),
            score: None,
            error: Some(format!("could not read this record: {error}")),
        }
    }

    /// A gold page and its prediction: the predicted blocks, each with its
    /// gold labels.
    pub fn judged(gold: &LabelledPage, pred: &Prediction, score: Option<&PageScore>) -> ViewPage {
        let golds: Vec<Option<(Role, Lang)>> = if eval::same_segmentation(gold, pred) {
            gold.roles
                .iter()
                .zip(&gold.langs)
                .map(|(&r, &l)| Some((r, l)))
                .collect()
        } else {
            eval::gold_of_predicted_blocks(gold, pred, &eval::align(gold, pred))
        };
        ViewPage {
            id: gold.page.id.clone(),
            url: gold.page.url.clone(),
            blocks: pred
                .blocks
                .iter()
                .zip(golds)
                .map(|(b, g)| ViewBlock {
                    text: b.text.clone(),
                    role: b.role,
                    lang: b.lang,
                    scores: b.scores,
                    lang_confidence: b.lang_confidence,
                    dir: b.dir,
                    gold: g,
                })
                .collect(),
            score: score.cloned(),
            error: (pred.blocks.is_empty() && !gold.page.blocks.is_empty())
                .then(|| "no prediction for this page: every gold token counts as missed".into()),
        }
    }
}

/// A report with the pages behind it, worst first: what the HTML report draws.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub report: Report,
    pub pages: Vec<ViewPage>,
}

impl Evaluation {
    /// Judge every prediction against its gold page (both in the same order)
    /// and gather the figures and the pages.
    pub fn new(
        gold: &[LabelledPage],
        predictions: &[Prediction],
        model: Option<ModelInfo>,
    ) -> Evaluation {
        let judged: Vec<eval::JudgedPage> = gold
            .iter()
            .zip(predictions)
            .map(|(g, p)| eval::judge_prediction(g, p))
            .collect();
        let mut report = Report::from_judged(&judged, model);
        report.gold_data = Some(crate::corpus::fingerprint(gold));
        let by_id: HashMap<&str, (&LabelledPage, &Prediction)> = gold
            .iter()
            .zip(predictions)
            .map(|(g, p)| (g.page.id.as_str(), (g, p)))
            .collect();
        let pages = report
            .per_page
            .iter()
            .filter_map(|s| {
                by_id
                    .get(s.id.as_str())
                    .map(|(g, p)| ViewPage::judged(g, p, Some(s)))
            })
            .collect();
        Evaluation { report, pages }
    }
}

/// Names of the files [`write_dir`] writes.
pub const REPORT_FILES: [&str; 3] = ["report.md", "report.json", "report.html"];

/// Write `report.md`, `report.json` and `report.html` into `dir` (created if
/// need be), each atomically.
pub fn write_dir(ev: &Evaluation, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot create {}: {e}", dir.display()))
    })?;
    crate::io::write_atomic(&dir.join("report.md"), markdown(&ev.report).as_bytes())?;
    crate::io::write_atomic(&dir.join("report.json"), ev.report.to_json().as_bytes())?;
    crate::io::write_atomic(&dir.join("report.html"), html::report(ev).as_bytes())
}

/// A figure with four decimals, as every report prints it.
fn fig(x: f64) -> String {
    format!("{x:.4}")
}
