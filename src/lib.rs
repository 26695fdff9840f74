//! ghirbal (غربال, "sieve") sifts crawled web pages: it splits each page into
//! blocks and labels every block twice, by role ([`Role`]: `body`, `chrome`,
//! `nav`, `legal`, `ad`) and by language ([`Lang`]: `ar`, `en`, `mixed`,
//! `other`, `none`).
//!
//! The pipeline: a reader gives a [`Page`] — [`page_from_text`],
//! [`page_from_string`] and [`page_from_html`] for one document, [`Records`]
//! for files, directories, JSON Lines, standard input and WARC/WET (one
//! [`Record`] each, whose [`Payload`] becomes a page, or whose
//! [`RecordError`] says why not); the page is cut into [`Block`]s
//! ([`segment`] for plain text, the HTML reader for HTML); a [`Classifier`]
//! identifies each block's language ([`identify`], [`LangInfo`]), turns each
//! block and its neighbours into features and gives it role probabilities
//! with a [`Model`] (the embedded [`default_model`], or
//! [`Model::load`]); the output functions write the lines `classify` prints
//! ([`json_line`], [`jsonl_text`], [`body_text`], [`annotated`]).
//!
//! Everything else (segmenting rules, features, the HTML tree, the solver,
//! evaluation and reports) is private: it may change in any release. The
//! `ghirbal` command is the library's `cli` module, built with the default
//! `cli` feature; `default-features = false` builds only the pipeline,
//! without clap, indicatif or the terminal crates.
//!
//! ```
//! let model = ghirbal::default_model().unwrap();
//! let text = "عاجل\n\
//!     الرئيسية | اقتصاد | رياضة\n\
//!     Oil prices climb as OPEC+ meets in Vienna\n\
//!     Oil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.\n\
//!     Advertisement\n\
//!     © 2025 Al Wadi. All rights reserved.";
//! let page = ghirbal::page_from_text("example", None, text.as_bytes());
//! let labels = ghirbal::Classifier::new(model).classify(&page);
//! assert_eq!(labels.len(), 6);
//! assert_eq!(labels[0].lang.lang, ghirbal::Lang::Ar);
//! assert_eq!(labels[3].role, ghirbal::Role::Body);
//! assert_eq!(labels[4].role, ghirbal::Role::Ad);
//! ```
//!
//! Reading many inputs, with one error per unreadable record instead of a
//! gap:
//!
//! ```
//! use ghirbal::{Classifier, Payload, Record, Records};
//!
//! let dir = std::env::temp_dir().join("ghirbal-doc-records");
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.txt"), "Home | News\nA long enough sentence of body text, with words.\n").unwrap();
//! std::fs::write(dir.join("b.html"), "<html><body><p>Hello, world of pages.</p></body></html>").unwrap();
//! let mut c = Classifier::new(ghirbal::default_model().unwrap());
//! let mut ids = Vec::new();
//! for rec in Records::open(&[dir.display().to_string(), "no/such/file.txt".into()]) {
//!     let id = rec.id.clone();
//!     match ghirbal::page_from_record(rec) {
//!         Ok(page) => {
//!             let line = ghirbal::json_line(&page, &c.classify(&page), "default");
//!             assert!(line.starts_with('{'));
//!             ids.push(id);
//!         }
//!         Err(e) => assert!(e.to_string().starts_with("cannot read: ")),
//!     }
//! }
//! assert_eq!(ids.len(), 2);
//! ```

#[cfg(feature = "cli")]
pub mod cli;

mod chars;
// Labelled pages and their scoring serve the commands (`train`, `eval`,
// `wcxb-eval`, `view`, `label-*`), not the labelling pipeline, which never
// depends on them.
#[cfg(feature = "cli")]
mod corpus;
#[cfg(feature = "cli")]
mod eval;
mod features;
mod fnv;
mod io;
mod label;
mod lang;
mod model;
mod normalize;
mod output;
mod page;
mod read;
mod segment;

pub use label::{Dir, Lang, Role, UnknownLabel};
pub use lang::{identify, Evidence, Identifier, LangInfo, Path as LangPath, Span, WordCounts};
pub use model::{Model, ModelError, TrainingInfo};
pub use output::{
    annotated, body_text, error_line, json_line, json_line_dated, jsonl_text, PageSummary,
};
pub use page::{Block, Limits, OffsetMap, Page, PageKind, Structure, ANCESTORS, NO_ANCESTOR};
pub use read::html::{page_from_html, page_from_html_as, page_from_html_with};
pub use read::input::{
    is_page_file, looks_like_html, InputFormat, Payload, Record, RecordError, Records,
};
pub use read::warc::{BadRecord, WarcError, WarcReader, WarcRecord};
pub use segment::segment;

/// Internal hooks for this crate's own integration tests, benchmarks and
/// fuzz targets (stages they time or probe on their own). Not part of the
/// API: anything here may change or go in any release.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "cli")]
    pub use crate::corpus::{load as load_corpus, parse_annotated, parse_jsonl};
    #[cfg(feature = "cli")]
    pub use crate::eval::language::{parse as parse_lang_set, word_count};
    #[cfg(feature = "cli")]
    pub use crate::eval::{align_tokens, report::html::esc as html_escape};
    pub use crate::features::Extractor;
    // benches/classify.rs: labelling's path, features walked without rows.
    pub use crate::features::{BlockEntries, PageFeatures};
    // examples/explain.rs: per-column contributions of a block's scores.
    pub use crate::features::{add_context_probs, places, PageProbs, CONTEXT_PROBS, OWN};
    pub use crate::segment::is_ignorable;
    // benches/parse.rs and the differential fuzz target: the parser, and
    // html5ever's own tokenizer in its place as the reference.
    pub use crate::read::html::charset::decode as decode_html;
    pub use crate::read::html::dom::{
        parse_reference_with as parse_html_reference, parse_with as parse_html, Dom,
    };
}

use std::sync::OnceLock;

/// The default model's JSON, compiled in from `models/default.json`.
///
/// ```
/// let model = ghirbal::Model::from_json(ghirbal::DEFAULT_MODEL_JSON).unwrap();
/// assert_eq!(model.identity(), ghirbal::default_model().unwrap().identity());
/// ```
pub const DEFAULT_MODEL_JSON: &str = include_str!("../models/default.json");

/// The embedded default model, parsed once.
///
/// ```
/// let model = ghirbal::default_model().unwrap();
/// assert!(model.identity().starts_with("default@"));
/// // Parsed once: every call gives the same model.
/// assert!(std::ptr::eq(model, ghirbal::default_model().unwrap()));
/// ```
pub fn default_model() -> Result<&'static Model, &'static ModelError> {
    static MODEL: OnceLock<Result<Model, ModelError>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::from_json(DEFAULT_MODEL_JSON))
        .as_ref()
}

/// Both labels of one block, with the evidence behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockLabel {
    pub role: Role,
    /// Role probabilities, in [`Role::ALL`] order.
    pub scores: [f32; Role::COUNT],
    pub lang: LangInfo,
    pub dir: Dir,
}

/// A plain-text page from raw bytes: decoded (lossily if need be) and
/// segmented, with the default [`Limits`].
///
/// ```
/// let page = ghirbal::page_from_text("p", Some("https://example.com/a"), b"Home | News\n\nOil prices rose.\n");
/// assert_eq!(page.blocks.len(), 2);
/// let texts: Vec<&str> = page.iter().map(|(_, t)| t).collect();
/// assert_eq!(texts, ["Home | News", "Oil prices rose."]);
/// assert_eq!(page.url.as_deref(), Some("https://example.com/a"));
/// // Not UTF-8: decoded by a detector, not rejected.
/// let latin1 = ghirbal::page_from_text("q", None, b"caf\xe9 cr\xe8me");
/// assert_eq!(latin1.text, "café crème");
/// ```
pub fn page_from_text(id: &str, url: Option<&str>, bytes: &[u8]) -> Page {
    page_from_text_with(id, url, bytes, &Limits::default())
}

/// [`page_from_text`] with explicit limits; bytes beyond `max_page_bytes` are
/// ignored and the page flagged `truncated`.
pub fn page_from_text_with(id: &str, url: Option<&str>, bytes: &[u8], limits: &Limits) -> Page {
    page_from_text_as(id, url, bytes, limits, None)
}

/// [`page_from_text_with`] decoded in `encoding` when given, instead of the
/// encoding detected (byte-order mark, UTF-8, then a detector).
pub fn page_from_text_as(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    limits: &Limits,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Page {
    let cut = bytes.len() > limits.max_page_bytes;
    let d = read::decode::decode_text_as(
        &bytes[..bytes.len().min(limits.max_page_bytes)],
        encoding,
        url,
    );
    let (blocks, capped) = segment::segment_with(&d.text, limits);
    Page {
        id: id.to_string(),
        url: url.map(str::to_string),
        text: d.text,
        blocks,
        kind: PageKind::Text,
        offsets: d.offsets,
        encoding: Some(d.encoding.name()),
        lossy: d.lossy,
        truncated: cut || capped,
        title: None,
        date: None,
    }
}

/// A plain-text page from already decoded text, with the default [`Limits`].
///
/// ```
/// let page = ghirbal::page_from_string("p", None, "عاجل\nOil prices rose.".to_string());
/// assert_eq!(page.blocks.len(), 2);
/// assert_eq!(page.iter().next().unwrap().1, "عاجل");
/// assert!(!page.truncated);
/// ```
pub fn page_from_string(id: &str, url: Option<&str>, text: String) -> Page {
    page_from_string_with(id, url, text, &Limits::default())
}

/// [`page_from_string`] with explicit limits.
pub fn page_from_string_with(
    id: &str,
    url: Option<&str>,
    mut text: String,
    limits: &Limits,
) -> Page {
    let cut = text.len() > limits.max_page_bytes;
    if cut {
        let mut at = limits.max_page_bytes;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
    let (blocks, capped) = segment::segment_with(&text, limits);
    Page {
        truncated: cut || capped,
        ..Page::new(
            id.to_string(),
            url.map(str::to_string),
            text,
            blocks,
            PageKind::Text,
        )
    }
}

/// The page of an input record, segmented as `classify` segments it, or why
/// the record could not be read.
///
/// ```
/// use ghirbal::{Payload, Record, RecordError};
///
/// let html = Payload::Html { bytes: b"<p>Hello, world.</p>".to_vec(), charset_hint: None };
/// let page = ghirbal::page_from_record(Record::page("a", html)).unwrap();
/// assert_eq!((page.id.as_str(), page.text.as_str()), ("a", "Hello, world."));
///
/// let bad = Record::error("b", RecordError::Read("no such file".into()));
/// assert!(ghirbal::page_from_record(bad).is_err());
/// ```
pub fn page_from_record(rec: read::input::Record) -> Result<Page, read::input::RecordError> {
    let limits = Limits::default();
    let truncated = rec.truncated;
    rec.payload.map(|p| {
        let mut page = p.into_page(&rec.id, rec.url.as_deref(), &limits);
        page.truncated |= truncated;
        page
    })
}

/// The language of every block of a page.
///
/// ```
/// use ghirbal::Lang;
///
/// let page = ghirbal::page_from_text("p", None, "الأخبار العاجلة من المنطقة\nOil prices rose on Wednesday.".as_bytes());
/// let langs: Vec<Lang> = ghirbal::identify_blocks(&page).iter().map(|l| l.lang).collect();
/// assert_eq!(langs, [Lang::Ar, Lang::En]);
/// ```
pub fn identify_blocks(page: &Page) -> Vec<LangInfo> {
    page.iter().map(|(_, t)| lang::identify(t)).collect()
}

/// Labels pages with one model; keeps its buffers between pages (one per thread).
///
/// ```
/// use ghirbal::{Classifier, Role};
///
/// let mut c = Classifier::new(ghirbal::default_model().unwrap());
/// let page = ghirbal::page_from_text("p", None, b"Advertisement\n\
///     Oil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.");
/// let labels = c.classify(&page);
/// assert_eq!(labels.len(), page.blocks.len());
/// assert_eq!(labels[0].role, Role::Ad);
/// assert_eq!(labels[1].role, Role::Body);
/// // The role is the most probable one.
/// let best = labels[1].scores.iter().cloned().fold(0.0, f32::max);
/// assert_eq!(labels[1].scores[Role::Body.index()], best);
/// ```
pub struct Classifier<'m> {
    model: &'m Model,
    extractor: features::Extractor,
}

impl<'m> Classifier<'m> {
    /// A classifier labelling with `model`.
    ///
    /// ```
    /// let model = ghirbal::default_model().unwrap();
    /// let c = ghirbal::Classifier::new(model);
    /// assert!(std::ptr::eq(c.model(), model));
    /// ```
    pub fn new(model: &'m Model) -> Classifier<'m> {
        Classifier {
            model,
            extractor: features::Extractor::new(),
        }
    }

    /// The model it labels with.
    ///
    /// ```
    /// let c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
    /// assert!(c.model().identity().starts_with("default@"));
    /// ```
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Role and language of every block of `page`, in block order.
    ///
    /// ```
    /// use ghirbal::{Dir, Lang, Role};
    ///
    /// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
    /// let page = ghirbal::page_from_html("p", None, "<nav><a href=/>الرئيسية</a> <a href=/s>رياضة</a></nav>\
    ///     <p>Oil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.</p>".as_bytes(), None);
    /// let labels = c.classify(&page);
    /// assert_eq!(labels.len(), 2);
    /// assert_eq!((labels[0].lang.lang, labels[0].dir), (Lang::Ar, Dir::Rtl));
    /// assert_eq!((labels[1].role, labels[1].lang.lang), (Role::Body, Lang::En));
    /// ```
    pub fn classify(&mut self, page: &Page) -> Vec<BlockLabel> {
        let langs = identify_blocks(page);
        let places = if self.model.features.container_context {
            features::places(page)
        } else {
            Vec::new()
        };
        let probs = self.model.predict_entries(
            &mut self.extractor.features(page, &langs, &self.model.features),
            page.kind == PageKind::Html,
            &places,
        );
        langs
            .into_iter()
            .zip(probs)
            .zip(page.iter())
            .map(|((lang, scores), (_, text))| {
                let best = scores
                    .iter()
                    .enumerate()
                    .fold(0, |b, (i, &s)| if s > scores[b] { i } else { b });
                BlockLabel {
                    role: Role::ALL[best],
                    scores,
                    lang,
                    dir: lang::direction(text),
                }
            })
            .collect()
    }
}
