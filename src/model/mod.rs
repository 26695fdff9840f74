//! The role model: a two-pass multinomial logistic regression, its file
//! format, training and prediction.
//!
//! In: feature rows of pages: built ([`Row`]), and for training their gold
//! roles; or, for labelling, walked block by block from the feature
//! extractor's buffers ([`BlockEntries`], [`Model::predict_entries`]).
//! Out: a role probability distribution per block.
//!
//! Pass one sees a block's own features and its neighbours' shape; pass two
//! sees the same plus pass one's role probabilities of the neighbouring blocks
//! (a one-line sub-heading between two body paragraphs is body). Both passes
//! are linear, L2-regularised multinomial logistic regressions fitted by
//! [`crate::model::logistic`] (`linfa-logistic`'s objective and L-BFGS solver, on
//! sparse rows); pass two is fitted on out-of-fold pass-one probabilities, so
//! it learns from the same kind of probabilities it will see on new pages.
//!
//! The model file is one self-contained JSON document with a format version,
//! the label set, the feature configuration, both weight matrices and the
//! training metadata; [`Model::from_json`] rejects anything inconsistent.

pub mod logistic;

use crate::features::{
    collapsed_entries, for_each_context, BlockEntries, CollapsedRows, FeatureConfig, Layout,
    PageProbs, Place, Row,
};
use crate::label::Role;
use crate::model::logistic::{Sample, SparseRows};
use crate::output::plural;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Version of the model file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;
/// Value of the `format` field of every model file.
pub const FORMAT_NAME: &str = "ghirbal-model";

/// Why a model could not be loaded or trained.
#[derive(Debug)]
pub enum ModelError {
    /// The file is not valid JSON or misses fields.
    Parse(String),
    /// The file is a ghirbal model of another format version.
    Version {
        found: u32,
        expected: u32,
    },
    /// Weight or feature sizes do not agree with the configuration.
    Shape(String),
    /// Training data unusable (empty, a role missing …).
    Data(String),
    /// The optimiser failed.
    Fit(String),
    Io(std::io::Error),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Parse(m) => write!(f, "not a valid ghirbal model: {m}"),
            ModelError::Version { found, expected } => write!(
                f,
                "model format version {found} is not supported (this ghirbal reads version {expected})"
            ),
            ModelError::Shape(m) => write!(f, "model is inconsistent: {m}"),
            ModelError::Data(m) => write!(f, "cannot train: {m}"),
            ModelError::Fit(m) => write!(f, "training failed: {m}"),
            ModelError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// One linear layer: `scores = x · weights + intercept`, then softmax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    pub n_features: usize,
    /// Row-major `n_features × roles` matrix; in the file, the `f32` values
    /// little-endian in base64 (`"f32le:…"`): exact, and a 2^15-column model
    /// loads in milliseconds where decimal JSON numbers took tens of them.
    #[serde(with = "f32_base64")]
    pub weights: Vec<f32>,
    pub intercept: Vec<f32>,
}

impl Linear {
    /// Number of parameters: the weights, then the intercepts.
    fn params_len(&self) -> usize {
        self.weights.len() + self.intercept.len()
    }

    /// The parameters in the solver's order (the weights, then the
    /// intercepts).
    fn params(&self) -> impl Iterator<Item = f32> + '_ {
        self.weights.iter().chain(&self.intercept).copied()
    }

    /// The parameters as the start of a fit over `n_features` columns whose
    /// first [`Linear::n_features`] are this layer's: the others start at
    /// zero.
    fn params_extended(&self, n_features: usize) -> Vec<f32> {
        let mut p = self.weights.clone();
        p.resize(n_features * Role::COUNT, 0.0);
        p.extend_from_slice(&self.intercept);
        p
    }

    /// Role probabilities of one sparse row.
    pub fn predict(&self, row: &Row) -> [f32; Role::COUNT] {
        self.predict_view(row, View::Full)
    }

    /// Role probabilities of one sparse row, read through `view`.
    fn predict_view(&self, row: &Row, view: View<'_>) -> [f32; Role::COUNT] {
        let mut s = self.intercept();
        view.each(row, |c, v| self.add(c as usize, v, &mut s));
        softmax(&mut s);
        s
    }

    fn intercept(&self) -> [f32; Role::COUNT] {
        let mut s = [0.0f32; Role::COUNT];
        s.copy_from_slice(&self.intercept[..Role::COUNT]);
        s
    }

    /// Add column `c` with value `v` to the scores `s` (columns beyond the
    /// matrix count nothing).
    #[inline]
    fn add(&self, c: usize, v: f32, s: &mut [f32; Role::COUNT]) {
        let base = c * Role::COUNT;
        if let Some(w) = self.weights.get(base..base + Role::COUNT) {
            for k in 0..Role::COUNT {
                s[k] += w[k] * v;
            }
        }
    }
}

/// How a fit reads its pages' rows: the text passes of a configuration
/// that [collapses text pages](FeatureConfig::collapses_text) read them
/// through [`collapsed_entries`], every other fit as they are.
#[derive(Clone, Copy)]
enum View<'a> {
    Full,
    Collapsed(&'a FeatureConfig, Layout),
}

impl View<'_> {
    fn each(self, row: &Row, mut f: impl FnMut(u32, f32)) {
        match self {
            View::Full => {
                for &(c, v) in &row.entries {
                    f(c, v);
                }
            }
            View::Collapsed(cfg, layout) => collapsed_entries(row, cfg, &layout, f),
        }
    }
}

fn softmax(s: &mut [f32; Role::COUNT]) {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in s.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in s.iter_mut() {
        *v /= sum;
    }
}

/// `Vec<f32>` as `"f32le:"` followed by the little-endian bytes in base64.
mod f32_base64 {
    use base64::Engine;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    const PREFIX: &str = "f32le:";

    pub fn serialize<S: Serializer>(v: &[f32], s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(v.len() * 4);
        for x in v {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        let mut out = String::from(PREFIX);
        base64::engine::general_purpose::STANDARD.encode_string(&bytes, &mut out);
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f32>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let b64 = text
            .strip_prefix(PREFIX)
            .ok_or_else(|| D::Error::custom("weights must start with \"f32le:\""))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| D::Error::custom(format!("weights: {e}")))?;
        if bytes.len() % 4 != 0 {
            return Err(D::Error::custom("weights: byte count not a multiple of 4"));
        }
        let v: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if v.iter().any(|x| !x.is_finite()) {
            return Err(D::Error::custom("weights: non-finite value"));
        }
        Ok(v)
    }
}

/// How a model was trained: enough to tell two models apart and to redo it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TrainingInfo {
    /// FNV-1a hash of the training pages' raw text and labels, in order.
    pub data_fingerprint: String,
    pub pages: usize,
    pub blocks: usize,
    /// Blocks per role in the training data, in role order.
    pub role_counts: Vec<usize>,
    pub seed: u64,
    pub alpha: f64,
    pub max_iterations: u64,
    /// Folds used to produce pass two's out-of-fold training probabilities.
    pub stack_folds: usize,
    /// Optimiser iterations of each stacking fold's fit, when fewer than
    /// `max_iterations`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stack_iterations: Option<u64>,
    /// The same for the text passes' stacking folds, when fewer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text_stack_iterations: Option<u64>,
    /// Whether the fits were warm-started (`ghirbal train` without
    /// `--no-warm-start`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub warm_start: bool,
    /// `ghirbal train --class-balance`, when not 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub class_balance: f32,
    /// Cross-validation figures, when `--folds` was given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cross_validation: Option<serde_json::Value>,
    /// How the pages were weighted (site balance, extra weighted
    /// directories), when they were not all weighted alike.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub weighting: Option<serde_json::Value>,
}

fn is_false(b: &bool) -> bool {
    !b
}

fn is_zero(x: &f32) -> bool {
    *x == 0.0
}

/// A trained role model.
///
/// Read it with [`Model::from_json`] or [`Model::load`] (or take the
/// embedded [`crate::default_model`]); what it is made of is read through
/// its methods ([`Model::name`], [`Model::roles`], [`Model::training`] …).
///
/// ```
/// let m = ghirbal::default_model().unwrap();
/// assert_eq!(m.identity(), format!("{}@{}", m.name(), m.version()));
/// assert_eq!(m.roles(), ghirbal::Role::ALL);
/// let t: &ghirbal::TrainingInfo = m.training();
/// assert_eq!(t.role_counts.iter().sum::<usize>(), t.blocks);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub(crate) format: String,
    pub(crate) version: u32,
    pub(crate) name: String,
    /// Role names, in column order.
    pub(crate) roles: Vec<Role>,
    pub(crate) features: FeatureConfig,
    pub(crate) pass1: Linear,
    pub(crate) pass2: Linear,
    /// Passes for HTML pages, when the model was trained on both kinds: text
    /// pages use `pass1`/`pass2`, HTML pages these. Measured on the dev split
    /// and WCXB, one shared model for both kinds did worse on both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) html: Option<Passes>,
    pub(crate) training: TrainingInfo,
}

/// Hyper-parameters of training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainParams {
    /// L2 penalty (the loss is summed over blocks).
    pub alpha: f64,
    pub max_iterations: u64,
    pub stack_folds: usize,
    /// Optimiser iterations of the stacking folds' pass-one fits (whose
    /// only use is pass two's out-of-fold probabilities); `None`:
    /// `max_iterations`.
    pub stack_iterations: Option<u64>,
    /// The same for the text passes' stacking folds (at most
    /// `stack_iterations`): cross-validated on the written text pages, 50
    /// iterations lose nothing there (models/README.md), while the HTML
    /// passes lose on WCXB's roles with fewer than 100.
    pub text_stack_iterations: Option<u64>,
    pub seed: u64,
    /// Warm starts: the stacking folds are fitted first (from zero), pass
    /// one starts from their mean, and pass two from pass one (its context
    /// columns from zero). The folds never start from a model that saw
    /// their held-out pages.
    pub warm_start: bool,
    /// Weigh each role's blocks by (the role's share of the fit's block
    /// weight)^-P, scaled so that the total weight is unchanged: 0 leaves
    /// the weights alone, 1 gives every role the same total weight.
    pub class_balance: f32,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            alpha: 0.3,
            max_iterations: 100,
            stack_folds: 3,
            stack_iterations: None,
            text_stack_iterations: Some(50),
            seed: 42,
            warm_start: true,
            class_balance: 0.0,
        }
    }
}

/// One page's feature rows and (for training) gold roles.
#[derive(Debug, Clone)]
pub struct PageRows {
    pub rows: Vec<Row>,
    pub roles: Vec<Role>,
    /// The page came from HTML (it has structure features).
    pub html: bool,
    /// The page's site (any number the same for all pages of one site):
    /// pass two's out-of-fold probabilities come from folds split by site,
    /// as they will on a new site.
    pub group: u32,
    /// Where each block sits ([`crate::features::places`]; empty for text
    /// pages): pass two's container context.
    pub places: Vec<Place>,
    /// How much each of the page's blocks counts in the loss (1: as much as
    /// any block; see `ghirbal train --site-balance`).
    pub weight: f32,
}

/// The two passes of a model for one kind of input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passes {
    pub pass1: Linear,
    pub pass2: Linear,
}

impl Model {
    /// `name@version`, as printed in the output's `model` field.
    pub fn identity(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// The name given at training (`ghirbal train --name`; `default` for
    /// the embedded model).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format version of the model file (the number after the `@` of
    /// [`Model::identity`]); a loaded model always has this build's.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The label set: the roles the model scores, in the order of its
    /// probability columns (every role, in [`Role::ALL`] order, for any
    /// model this build loads).
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// How the model was trained: data fingerprint, page and block counts,
    /// blocks per role, hyper-parameters, cross-validation figures.
    pub fn training(&self) -> &TrainingInfo {
        &self.training
    }

    /// The feature configuration the model was trained with (hash width,
    /// n-gram ranges, context switches): what feature rows for it are
    /// computed with.
    pub fn features(&self) -> &FeatureConfig {
        &self.features
    }

    /// Whether the model has passes of its own for HTML pages (it was
    /// trained on text and HTML pages); without them HTML pages are scored
    /// by the text passes.
    pub fn has_html_passes(&self) -> bool {
        self.html.is_some()
    }

    /// The two passes (pass one, pass two) that score a page of this kind:
    /// the HTML passes for an HTML page when the model has them, the text
    /// passes otherwise.
    pub fn passes(&self, html: bool) -> (&Linear, &Linear) {
        match (&self.html, html) {
            (Some(h), true) => (&h.pass1, &h.pass2),
            _ => (&self.pass1, &self.pass2),
        }
    }

    /// Parse and validate a model file's text.
    ///
    /// ```
    /// use ghirbal::{Model, ModelError};
    ///
    /// let model = Model::from_json(ghirbal::DEFAULT_MODEL_JSON).unwrap();
    /// assert!(model.identity().starts_with("default@"));
    /// assert!(matches!(Model::from_json("{}"), Err(ModelError::Parse(_))));
    /// ```
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| ModelError::Parse(e.to_string()))?;
        if head.format.as_deref() != Some(FORMAT_NAME) {
            return Err(ModelError::Parse(format!(
                "the \"format\" field is {:?}, expected {FORMAT_NAME:?}",
                head.format.unwrap_or_default()
            )));
        }
        let version = head
            .version
            .ok_or_else(|| ModelError::Parse("missing \"version\"".into()))?;
        if version != FORMAT_VERSION {
            return Err(ModelError::Version {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let m: Model = serde_json::from_str(text).map_err(|e| ModelError::Parse(e.to_string()))?;
        m.validate()?;
        Ok(m)
    }

    /// Read a model file; errors name the file.
    ///
    /// ```
    /// use ghirbal::Model;
    ///
    /// let path = std::env::temp_dir().join("ghirbal-doc-model.json");
    /// std::fs::write(&path, ghirbal::DEFAULT_MODEL_JSON).unwrap();
    /// let model = Model::load(&path).unwrap();
    /// assert_eq!(model.identity(), ghirbal::default_model().unwrap().identity());
    ///
    /// let e = Model::load(std::path::Path::new("no/such/model.json")).unwrap_err();
    /// assert!(e.to_string().starts_with("cannot read model no/such/model.json: "));
    /// ```
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ModelError::Io(std::io::Error::new(
                e.kind(),
                format!("cannot read model {}: {e}", path.display()),
            ))
        })?;
        Model::from_json(&text)
    }

    fn validate(&self) -> Result<(), ModelError> {
        if self.roles != Role::ALL {
            return Err(ModelError::Shape(format!(
                "roles are {:?}, this build expects {:?}",
                self.roles,
                Role::ALL
            )));
        }
        let set = self.features.feature_set;
        let same = set == crate::features::FEATURE_SET
            || (set == crate::features::FEATURE_SET_UNCOLLAPSED
                && !self.features.collapse_text_copies);
        if !same {
            return Err(ModelError::Shape(format!(
                "trained on feature set {}, this build computes feature set {}; retrain the model",
                self.features.feature_set,
                crate::features::FEATURE_SET
            )));
        }
        if self.features.hash_bits > 24 || self.features.hash_bits < 4 {
            return Err(ModelError::Shape(format!(
                "hash_bits {} out of range 4..=24",
                self.features.hash_bits
            )));
        }
        if self.features.normalization != crate::normalize::NORMALIZATION {
            return Err(ModelError::Shape(format!(
                "normalization {:?} is unknown to this build (it has {:?})",
                self.features.normalization,
                crate::normalize::NORMALIZATION
            )));
        }
        let l = self.features.layout();
        for (name, lin, want) in [
            ("pass1", &self.pass1, l.pass1),
            ("pass2", &self.pass2, l.pass2),
        ] {
            if lin.n_features != want {
                return Err(ModelError::Shape(format!(
                    "{name} has {}, the feature configuration gives {want}",
                    plural(lin.n_features, "feature")
                )));
            }
            if lin.weights.len() != want * Role::COUNT || lin.intercept.len() != Role::COUNT {
                return Err(ModelError::Shape(format!(
                    "{name} has {} and {}, expected {} and {}",
                    plural(lin.weights.len(), "weight"),
                    plural(lin.intercept.len(), "intercept"),
                    want * Role::COUNT,
                    Role::COUNT
                )));
            }
            if !lin
                .weights
                .iter()
                .chain(&lin.intercept)
                .all(|w| w.is_finite())
            {
                return Err(ModelError::Shape(format!("{name} has non-finite weights")));
            }
        }
        Ok(())
    }

    /// The JSON text of the model (deterministic).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).expect("model serialises");
        s.push('\n');
        s
    }

    /// Write the model atomically: a temporary file in the same directory,
    /// flushed, then renamed over `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::io::write_atomic(path, self.to_json().as_bytes())
    }

    /// Role probabilities of every block of one text page.
    pub fn predict_page(&self, rows: &[Row]) -> Vec<[f32; Role::COUNT]> {
        self.predict_page_kind(rows, false, &[])
    }

    /// Role probabilities of every block of one page, with the passes for its
    /// kind (HTML pages use the HTML passes when the model has them).
    ///
    /// Pass two's row is pass one's row plus the context columns
    /// (`add_context_probs`); both passes being linear, pass two's scores
    /// are its weights over pass one's row, summed in the same walk over the
    /// row as pass one's, plus the context columns' share once pass one's
    /// probabilities are known. The additions happen in the same order as
    /// `pass2.predict(&add_context_probs(..))`, so the result is identical to
    /// the last bit, without building second rows.
    ///
    /// `places` are the blocks' places in an HTML page
    /// ([`crate::features::places`]), for models with container context;
    /// empty for text pages.
    pub fn predict_page_kind(
        &self,
        rows: &[Row],
        html: bool,
        places: &[Place],
    ) -> Vec<[f32; Role::COUNT]> {
        if !html && self.features.collapses_text() {
            let mut rows = CollapsedRows {
                rows,
                cfg: &self.features,
                layout: self.layout(),
            };
            return self.predict_entries(&mut rows, html, places);
        }
        self.predict_entries(&mut &rows[..], html, places)
    }

    /// [`Model::predict_page_kind`] of a page's entries walked block by
    /// block ([`BlockEntries`]), such as the extractor's flat buffers
    /// ([`crate::features::Extractor::features`]): each block's entries are
    /// read once, for both passes, and no row is built; what is kept per
    /// block is its two partial score vectors.
    pub fn predict_entries(
        &self,
        page: &mut impl BlockEntries,
        html: bool,
        places: &[Place],
    ) -> Vec<[f32; Role::COUNT]> {
        let (pass1, pass2) = self.passes(html);
        let layout = self.features.layout();
        let n = page.blocks();
        let mut p1 = Vec::with_capacity(n);
        let mut p2 = Vec::with_capacity(n);
        for i in 0..n {
            let (mut s1, mut s2) = (pass1.intercept(), pass2.intercept());
            page.for_each_entry(i, |c, v| {
                pass1.add(c as usize, v, &mut s1);
                pass2.add(c as usize, v, &mut s2);
            });
            softmax(&mut s1);
            p1.push(s1);
            p2.push(s2);
        }
        let ctx = PageProbs::with_places(&p1, places, self.features.container_context);
        for (i, s) in p2.iter_mut().enumerate() {
            for_each_context(&ctx, i, &layout, |c, v| pass2.add(c, v, s));
            softmax(s);
        }
        p2
    }

    /// Fit a model on pages' rows: text pages train the main passes; when
    /// both kinds are present, HTML pages train separate HTML passes.
    pub fn fit<P: std::borrow::Borrow<PageRows>>(
        name: &str,
        cfg: &FeatureConfig,
        pages: &[P],
        params: &TrainParams,
        mut progress: impl FnMut(&str),
    ) -> Result<Model, ModelError> {
        let pages: Vec<&PageRows> = pages.iter().map(|p| p.borrow()).collect();
        let pages = &pages[..];
        let blocks: usize = pages.iter().map(|p| p.rows.len()).sum();
        if blocks == 0 {
            return Err(ModelError::Data("no labelled blocks".into()));
        }
        let mut role_counts = vec![0usize; Role::COUNT];
        for p in pages {
            for r in &p.roles {
                role_counts[r.index()] += 1;
            }
        }
        let text: Vec<&PageRows> = pages.iter().copied().filter(|p| !p.html).collect();
        let html: Vec<&PageRows> = pages.iter().copied().filter(|p| p.html).collect();
        let collapse = cfg.collapses_text();
        // The text passes' stacking folds may have fewer iterations.
        let stack = params
            .stack_iterations
            .unwrap_or(params.max_iterations)
            .min(params.max_iterations);
        let text_stack = params.text_stack_iterations.map_or(stack, |n| n.min(stack));
        let text_params = TrainParams {
            stack_iterations: Some(text_stack),
            ..*params
        };
        let text_params = &text_params;
        let (main, html_passes) = if html.is_empty() {
            (
                fit_passes(cfg, pages, text_params, collapse, &mut progress)?,
                None,
            )
        } else if text.is_empty() {
            (fit_passes(cfg, pages, params, false, &mut progress)?, None)
        } else if cfg.augment {
            // Text pages keep passes of their own (one model for both kinds
            // let the many HTML blocks decide for text pages too: CV by site
            // 0.80 against 0.90 token macro-F1 on the written pages); the
            // HTML passes learn from every page, the text pages' evidence
            // reaching HTML through the shared copies of the features.
            progress("text pages");
            let t = fit_passes(cfg, &text, text_params, collapse, &mut progress)?;
            progress("all pages, for HTML");
            let h = fit_passes(cfg, pages, params, false, &mut progress)?;
            (t, Some(h))
        } else {
            progress("text pages");
            let t = fit_passes(cfg, &text, text_params, collapse, &mut progress)?;
            progress("HTML pages");
            let h = fit_passes(cfg, &html, params, false, &mut progress)?;
            (t, Some(h))
        };
        let sites = pages
            .iter()
            .map(|p| p.group)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let folds = params.stack_folds.max(2).min(sites.max(1));
        Ok(Model {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            name: name.to_string(),
            roles: Role::ALL.to_vec(),
            features: cfg.clone(),
            pass1: main.pass1,
            pass2: main.pass2,
            html: html_passes,
            training: TrainingInfo {
                data_fingerprint: String::new(),
                pages: pages.len(),
                blocks,
                role_counts,
                seed: params.seed,
                alpha: params.alpha,
                max_iterations: params.max_iterations,
                stack_folds: folds,
                stack_iterations: params
                    .stack_iterations
                    .filter(|&n| n < params.max_iterations),
                text_stack_iterations: (!text.is_empty() && text_stack < stack)
                    .then_some(text_stack),
                warm_start: params.warm_start,
                class_balance: params.class_balance,
                cross_validation: None,
                weighting: None,
            },
        })
    }

    /// The layout of this model's features.
    pub fn layout(&self) -> Layout {
        self.features.layout()
    }
}

/// Both passes fitted on `pages` (pass two on out-of-fold pass-one
/// probabilities); with `collapse` (text pages only), on their rows
/// collapsed ([`collapsed_entries`]).
fn fit_passes(
    cfg: &FeatureConfig,
    pages: &[&PageRows],
    params: &TrainParams,
    collapse: bool,
    progress: &mut impl FnMut(&str),
) -> Result<Passes, ModelError> {
    let layout = cfg.layout();
    let view = if collapse {
        View::Collapsed(cfg, layout)
    } else {
        View::Full
    };
    let all: Vec<usize> = (0..pages.len()).collect();
    // Every page's rows in one matrix, which every fit of pass one reads.
    let rows = Rows::new(pages, view);
    let fit_pass1 =
        |init: Option<&[f32]>| fit_linear(pages, &all, &rows, layout.pass1, params, init);
    // Without warm starts pass one comes first: a stacking fold that
    // cannot be fitted falls back to it.
    let mut pass1 = if params.warm_start {
        None
    } else {
        progress("pass 1");
        Some(fit_pass1(None)?)
    };
    // Out-of-fold pass-one probabilities for pass two.
    // Folds of sites, not pages: a site's pages are alike, and pass two
    // must learn from pass-one probabilities of sites pass one never saw.
    let mut groups: Vec<u32> = pages.iter().map(|p| p.group).collect();
    groups.sort_unstable();
    groups.dedup();
    let folds = params.stack_folds.max(2).min(groups.len().max(1));
    let site_fold = fold_assignment(groups.len(), folds, params.seed);
    let assignment: Vec<usize> = pages
        .iter()
        .map(|p| site_fold[groups.binary_search(&p.group).expect("listed above")])
        .collect();
    let mut oof: Vec<Vec<[f32; Role::COUNT]>> = vec![Vec::new(); pages.len()];
    let stack_params = TrainParams {
        max_iterations: params
            .stack_iterations
            .map_or(params.max_iterations, |n| n.min(params.max_iterations)),
        ..*params
    };
    // Held-out pages of the folds that could not be fitted (a fold missing
    // a role): they get the full pass one's probabilities.
    let mut unfitted: Vec<usize> = Vec::new();
    // Sum of the fitted folds' parameters, for pass one's start.
    let mut sum: Option<(Vec<f32>, usize)> = None;
    if groups.len() >= 2 {
        for f in 0..folds {
            progress(&format!("stacking fold {}/{}", f + 1, folds));
            let train: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| assignment[i] != f)
                .collect();
            let held: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| assignment[i] == f)
                .collect();
            if held.is_empty() {
                continue;
            }
            let fold_model =
                match fit_linear(pages, &train, &rows, layout.pass1, &stack_params, None) {
                    Ok(m) => m,
                    Err(ModelError::Data(_)) => {
                        unfitted.extend(held);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
            for &i in &held {
                oof[i] = pages[i]
                    .rows
                    .iter()
                    .map(|r| fold_model.predict_view(r, view))
                    .collect();
            }
            if params.warm_start {
                let (acc, n) = sum.get_or_insert_with(|| (vec![0.0; fold_model.params_len()], 0));
                for (a, w) in acc.iter_mut().zip(fold_model.params()) {
                    *a += w;
                }
                *n += 1;
            }
        }
    } else {
        unfitted = all.clone();
    }
    let pass1 = match pass1.take() {
        Some(p) => p,
        None => {
            progress("pass 1");
            let start = sum.map(|(mut acc, n)| {
                for a in &mut acc {
                    *a /= n as f32;
                }
                acc
            });
            fit_pass1(start.as_deref())?
        }
    };
    // One site: no fold can hold it out; pass one's own probabilities.
    for &i in &unfitted {
        oof[i] = pages[i]
            .rows
            .iter()
            .map(|r| pass1.predict_view(r, view))
            .collect();
    }
    progress("pass 2");
    // Pass two's columns are pass one's, then the context columns.
    let start2 = params
        .warm_start
        .then(|| pass1.params_extended(layout.pass2));
    // Pass two's rows: pass one's entries, then the context columns'. One
    // matrix of whole rows reads faster than the shared one extended by a
    // second; the shared one goes first, so the two are not held at once.
    drop(rows);
    let mut x = Rows::with_room(pages, layout.pass2 - layout.pass1);
    let mut entries = Vec::new();
    for (p, probs) in pages.iter().zip(&oof) {
        let ctx = PageProbs::with_places(probs, &p.places, cfg.container_context);
        x.first.push(x.x.len());
        for (i, r) in p.rows.iter().enumerate() {
            entries.clear();
            // As `add_context_probs`: the row (as this fit reads it), then
            // the context columns.
            view.each(r, |c, v| entries.push((c, v)));
            for_each_context(&ctx, i, &layout, |c, v| entries.push((c as u32, v)));
            x.x.push(entries.iter().copied());
        }
    }
    let pass2 = fit_linear(pages, &all, &x, layout.pass2, params, start2.as_deref())?;
    Ok(Passes { pass1, pass2 })
}

/// The fold of each page when pages are split into `k` folds by site:
/// `sites[i]` is page `i`'s site; sites are numbered in sorted-name order
/// (so the split does not depend on file order) and dealt to folds by
/// [`fold_assignment`]. Pages of one site always share a fold.
#[cfg(feature = "cli")]
pub fn site_folds(sites: &[&str], k: usize, seed: u64) -> Vec<usize> {
    let mut names: Vec<&str> = sites.to_vec();
    names.sort_unstable();
    names.dedup();
    let assign = fold_assignment(names.len(), k, seed);
    sites
        .iter()
        .map(|s| assign[names.binary_search(s).expect("listed above")])
        .collect()
}

/// Deterministic assignment of `n` groups to `k` folds: a seeded shuffle, then
/// round robin.
pub fn fold_assignment(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed ^ 0x9E3779B97F4A7C15;
    for i in (1..n).rev() {
        state = splitmix(state);
        let j = (state % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let mut out = vec![0; n];
    for (pos, &g) in order.iter().enumerate() {
        out[g] = pos % k.max(1);
    }
    out
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E3779B97F4A7C15);
    let mut x = z;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
    x ^ (x >> 31)
}

/// Each role's weight factor under `--class-balance P` for the blocks of
/// `pages[idx]`: `m_r^-P`, scaled so that `Σ factor_r · m_r` is the total
/// weight `Σ m_r`, where `m_r` is the role's block weight. All 1 when `P`
/// is 0 (so the fit is the same, to the bit, as without it).
fn class_factors(pages: &[&PageRows], idx: &[usize], balance: f32) -> [f32; Role::COUNT] {
    let mut factor = [1.0f32; Role::COUNT];
    if balance == 0.0 {
        return factor;
    }
    let mut mass = [0.0f64; Role::COUNT];
    for &pi in idx {
        for role in &pages[pi].roles {
            mass[role.index()] += f64::from(pages[pi].weight);
        }
    }
    let total: f64 = mass.iter().sum();
    let scaled: f64 = mass
        .iter()
        .filter(|&&m| m > 0.0)
        .map(|&m| m.powf(1.0 - f64::from(balance)))
        .sum();
    if total > 0.0 && scaled > 0.0 {
        let c = total / scaled;
        for (f, &m) in factor.iter_mut().zip(&mass) {
            if m > 0.0 {
                *f = (c * m.powf(-f64::from(balance))) as f32;
            }
        }
    }
    factor
}

/// The feature rows of pages in one matrix.
struct Rows {
    x: SparseRows,
    /// Page `i`'s rows are `x`'s from `first[i]`.
    first: Vec<usize>,
}

impl Rows {
    /// The matrix of the pages' rows.
    fn new(pages: &[&PageRows], view: View<'_>) -> Rows {
        let mut rows = Rows::with_room(pages, 0);
        let mut entries = Vec::new();
        for p in pages {
            rows.first.push(rows.x.len());
            for r in &p.rows {
                match view {
                    View::Full => rows.x.push(r.entries.iter().copied()),
                    View::Collapsed(..) => {
                        entries.clear();
                        view.each(r, |c, v| entries.push((c, v)));
                        rows.x.push(entries.iter().copied());
                    }
                }
            }
        }
        rows
    }

    /// An empty matrix with room for the pages' rows, each with
    /// `extra_per_row` more entries.
    fn with_room(pages: &[&PageRows], extra_per_row: usize) -> Rows {
        let n: usize = pages.iter().map(|p| p.rows.len()).sum();
        let entries: usize = pages
            .iter()
            .flat_map(|p| &p.rows)
            .map(|r| r.entries.len() + extra_per_row)
            .sum();
        Rows {
            x: SparseRows::with_capacity(n, entries),
            first: Vec::with_capacity(pages.len()),
        }
    }
}

/// Fit one linear layer on the rows of `pages[idx]` (in `rows`).
fn fit_linear(
    pages: &[&PageRows],
    idx: &[usize],
    rows: &Rows,
    n_features: usize,
    params: &TrainParams,
    init: Option<&[f32]>,
) -> Result<Linear, ModelError> {
    let n: usize = idx.iter().map(|&i| pages[i].rows.len()).sum();
    if n == 0 {
        return Err(ModelError::Data("no labelled blocks".into()));
    }
    let factor = class_factors(pages, idx, params.class_balance);
    let mut x = Sample::new(&rows.x);
    let mut present = [false; Role::COUNT];
    for &pi in idx {
        let page = pages[pi];
        for (j, (_, role)) in page.rows.iter().zip(&page.roles).enumerate() {
            let w = page.weight * factor[role.index()];
            x.push(rows.first[pi] + j, role.index(), w);
            present[role.index()] = true;
        }
    }
    if let Some(k) = present.iter().position(|p| !p) {
        return Err(ModelError::Data(format!(
            "no block labelled {:?} among {}; every role needs examples",
            Role::ALL[k].as_str(),
            plural(n, "block")
        )));
    }
    let fitted = logistic::fit_from(
        &x,
        n_features,
        Role::COUNT,
        params.alpha as f32,
        params.max_iterations,
        init,
    )
    .map_err(|e| {
        if e.0.starts_with("feature column") {
            ModelError::Shape(e.0)
        } else {
            ModelError::Fit(e.0)
        }
    })?;
    let (weights, intercept) = (fitted.weights, fitted.intercept);
    Ok(Linear {
        n_features,
        weights,
        intercept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::add_context_probs;

    #[test]
    fn class_balance_evens_the_roles_and_keeps_the_total_weight() {
        let page = |roles: Vec<Role>, weight| PageRows {
            rows: Vec::new(),
            roles,
            html: false,
            group: 0,
            places: Vec::new(),
            weight,
        };
        let pages = [
            page(vec![Role::Body; 60], 1.0),
            page(vec![Role::Nav; 30], 0.5),
            page(vec![Role::Ad; 5], 2.0),
        ];
        let pages: Vec<&PageRows> = pages.iter().collect();
        let mass = [60.0, 0.0, 15.0, 0.0, 10.0];
        let total =
            |f: &[f32; Role::COUNT]| -> f32 { f.iter().zip(&mass).map(|(f, m)| f * m).sum() };
        assert_eq!(class_factors(&pages, &[0, 1, 2], 0.0), [1.0; Role::COUNT]);
        let even = class_factors(&pages, &[0, 1, 2], 1.0);
        assert!((total(&even) - 85.0).abs() < 1e-3);
        for r in [Role::Nav, Role::Ad] {
            let m = mass[r.index()];
            assert!((even[r.index()] * m - even[0] * 60.0).abs() < 1e-3, "{r:?}");
        }
        let half = class_factors(&pages, &[0, 1, 2], 0.5);
        assert!((total(&half) - 85.0).abs() < 1e-3);
        assert!(half[Role::Ad.index()] > half[Role::Nav.index()]);
        assert!(half[Role::Nav.index()] > 1.0 && half[0] < 1.0);
        // Only the fit's own pages count: body alone gets factor 1.
        assert!((class_factors(&pages, &[0], 0.5)[0] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn the_embedded_model_round_trips_to_the_same_bytes() {
        let m = Model::from_json(crate::DEFAULT_MODEL_JSON).unwrap();
        assert_eq!(m.to_json(), crate::DEFAULT_MODEL_JSON);
        assert_eq!(m.name(), "default");
        assert_eq!(m.version(), FORMAT_VERSION);
        assert!(m.has_html_passes());
        let (text, html) = (m.passes(false), m.passes(true));
        assert!(std::ptr::eq(text.0, &m.pass1) && std::ptr::eq(text.1, &m.pass2));
        let h = m.html.as_ref().unwrap();
        assert!(std::ptr::eq(html.0, &h.pass1) && std::ptr::eq(html.1, &h.pass2));
    }

    /// The two passes as written down: pass one per row, then pass two on
    /// the row extended with the context columns (and, for an HTML page of
    /// a model with container context, the container columns).
    fn predict_page_by_definition(
        m: &Model,
        rows: &[Row],
        html: bool,
        places: &[Place],
    ) -> Vec<[f32; Role::COUNT]> {
        let layout = m.layout();
        let (pass1, pass2) = match (&m.html, html) {
            (Some(h), true) => (&h.pass1, &h.pass2),
            _ => (&m.pass1, &m.pass2),
        };
        // The text passes of a collapsing model read text pages collapsed.
        let collapsed: Vec<Row>;
        let rows = if !html && m.features.collapses_text() {
            collapsed = rows
                .iter()
                .map(|r| {
                    let mut entries = Vec::new();
                    crate::features::collapsed_entries(r, &m.features, &layout, |c, v| {
                        entries.push((c, v))
                    });
                    Row {
                        entries,
                        ..Row::default()
                    }
                })
                .collect();
            &collapsed[..]
        } else {
            rows
        };
        let p1: Vec<_> = rows.iter().map(|r| pass1.predict(r)).collect();
        let ctx = PageProbs::with_places(&p1, places, m.features.container_context);
        (0..rows.len())
            .map(|i| pass2.predict(&add_context_probs(&rows[i], &ctx, i, &layout)))
            .collect()
    }

    #[test]
    fn predict_page_is_bit_identical_to_the_two_passes_by_definition() {
        let m = crate::default_model().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
        let mut pages: Vec<_> = crate::corpus::load(&[root.join("dev")])
            .unwrap()
            .into_iter()
            .map(|p| p.page)
            .collect();
        pages.push(crate::read::html::page_from_html(
            "h",
            None,
            "<nav><a href=/>Home</a> | <a href=/n>News</a></nav><h1>Oil prices climb</h1>\
             <p>Oil prices climbed on Wednesday as producers met in Vienna.</p>\
             <p>أعلنت الحكومة اليوم عن خطة جديدة.</p><footer>© 2025</footer>"
                .as_bytes(),
            None,
        ));
        let mut ex = crate::features::Extractor::new();
        // Keeping no hashed entries (every block is hashed again when
        // walked), or those of a page's first blocks only.
        let mut rehash = [0, 500].map(crate::features::Extractor::with_budget);
        let mut blocks = 0;
        for p in &pages {
            let langs = crate::identify_blocks(p);
            let rows = ex.rows(p, &langs, &m.features);
            let html = p.kind == crate::PageKind::Html;
            let places = crate::features::places(p);
            let bits = |v: &[[f32; Role::COUNT]]| -> Vec<u32> {
                v.iter().flatten().map(|x| x.to_bits()).collect()
            };
            let slow = bits(&predict_page_by_definition(m, &rows, html, &places));
            let fast = m.predict_page_kind(&rows, html, &places);
            assert_eq!(bits(&fast), slow, "page {}", p.id);
            // Straight from the extractor's buffers, as `classify` scores.
            let walked = m.predict_entries(&mut ex.features(p, &langs, &m.features), html, &places);
            assert_eq!(bits(&walked), slow, "page {}", p.id);
            for ex in &mut rehash {
                let walked =
                    m.predict_entries(&mut ex.features(p, &langs, &m.features), html, &places);
                assert_eq!(bits(&walked), slow, "page {} hashed again", p.id);
                assert_eq!(ex.rows(p, &langs, &m.features), rows, "page {}", p.id);
            }
            blocks += rows.len();
        }
        assert!(blocks > 1000, "only {blocks} blocks compared");
    }

    #[test]
    fn cross_validation_folds_are_site_pure() {
        // The real training corpus: written pages (site from `# site:`),
        // real HTML pages (site from the URL's host) and their text
        // renderings (their source page's site).
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data/train");
        let mut pages = crate::corpus::load(&[root]).unwrap();
        let renderings: Vec<_> = pages
            .iter()
            .filter_map(crate::corpus::text_rendering)
            .collect();
        assert!(!renderings.is_empty(), "the corpus has HTML pages");
        pages.extend(renderings);
        let sites: Vec<&str> = pages.iter().map(|p| p.group()).collect();
        for k in [3, 5] {
            let folds = site_folds(&sites, k, 42);
            let mut fold_of: std::collections::HashMap<&str, usize> = Default::default();
            for (s, &f) in sites.iter().zip(&folds) {
                assert!(f < k);
                assert_eq!(*fold_of.entry(s).or_insert(f), f, "site {s} in two folds");
            }
            for f in 0..k {
                assert!(folds.contains(&f), "fold {f} of {k} is empty");
            }
            assert_eq!(folds, site_folds(&sites, k, 42), "deterministic");
        }
        // A page and its text rendering share a fold.
        let by_id: std::collections::HashMap<&str, &str> = pages
            .iter()
            .map(|p| (p.page.id.as_str(), p.group()))
            .collect();
        for p in pages.iter().filter(|p| p.page.id.ends_with("#text")) {
            let source = p.page.id.trim_end_matches("#text");
            assert_eq!(by_id[source], p.group());
        }
    }

    #[test]
    fn folds_are_deterministic_and_balanced() {
        let a = fold_assignment(10, 3, 7);
        assert_eq!(a, fold_assignment(10, 3, 7));
        assert_ne!(a, fold_assignment(10, 3, 8));
        for f in 0..3 {
            let c = a.iter().filter(|&&x| x == f).count();
            assert!((3..=4).contains(&c));
        }
    }

    #[test]
    fn rejects_other_versions_and_garbage() {
        assert!(matches!(
            Model::from_json(r#"{"format":"ghirbal-model","version":99}"#),
            Err(ModelError::Version { found: 99, .. })
        ));
        assert!(matches!(
            Model::from_json("{not json"),
            Err(ModelError::Parse(_))
        ));
        assert!(matches!(
            Model::from_json(r#"{"format":"other","version":1}"#),
            Err(ModelError::Parse(_))
        ));
    }
}
