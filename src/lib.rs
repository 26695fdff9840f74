//! ghirbal (غربال, "sieve") sifts crawled web pages: it splits each page into
//! blocks and labels every block twice, by role (`body`, `chrome`, `nav`,
//! `legal`, `ad`) and by language (`ar`, `en`, `mixed`, `other`, `none`).
//!
//! The pipeline, one module per stage:
//! 1. [`read`] reads records (files, directories, JSON Lines, stdin, WARC
//!    and WET, HTML) and decodes bytes into text that remembers its byte
//!    offsets;
//! 2. [`segment`] cuts the text into [`page::Block`]s of a [`page::Page`];
//! 3. [`lang`] identifies each block's language, spans and direction;
//! 4. [`features`] turns each block and its neighbours into a sparse row
//!    (after [`normalize`] folds the text);
//! 5. [`model`] — a two-pass linear model — gives each block role probabilities;
//! 6. [`output`] writes the results.
//!
//! Beside the pipeline: [`corpus`] reads labelled pages for training and
//! scoring, and [`eval`] scores labels against them (and against WCXB's gold
//! and the language test set) and renders reports for people (Markdown, HTML
//! with a page viewer); the pipeline never depends on [`eval`].
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
//! //! ```

pub mod chars;
pub mod corpus;
pub mod eval;
pub mod features;
mod fnv;
pub mod io;
pub mod label;
pub mod lang;
pub mod model;
pub mod normalize;
pub mod output;
pub mod page;
pub mod read;
pub mod segment;

pub use label::{Dir, Lang, Role};
pub use lang::LangInfo;
pub use model::{Model, ModelError};
pub use page::{Block, Limits, Page, PageKind};

use std::sync::OnceLock;

/// The default model's JSON, compiled in from `models/default.json`.
pub const DEFAULT_MODEL_JSON: &str = include_str!("../models/default.json");

/// The embedded default model, parsed once.
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
pub fn page_from_text(id: &str, url: Option<&str>, bytes: &[u8]) -> Page {
    page_from_text_with(id, url, bytes, &Limits::default())
}

/// [`page_from_text`] with explicit limits; bytes beyond `max_page_bytes` are
/// ignored and the page flagged `truncated`.
pub fn page_from_text_with(id: &str, url: Option<&str>, bytes: &[u8], limits: &Limits) -> Page {
    page_from_text_as(id, url, bytes, limits, None)
}

/// [`page_from_text_with`] decoded in `encoding` when given, instead of the
/// encoding detected ([`read::decode`]).
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
pub fn page_from_record(rec: read::input::Record) -> Result<Page, String> {
    let limits = Limits::default();
    let truncated = rec.truncated;
    rec.payload.map(|p| {
        let mut page = p.into_page(&rec.id, rec.url.as_deref(), &limits);
        page.truncated |= truncated;
        page
    })
}

/// The language of every block of a page.
pub fn identify_blocks(page: &Page) -> Vec<LangInfo> {
    page.iter().map(|(_, t)| lang::identify(t)).collect()
}

/// Labels pages with one model; keeps its buffers between pages (one per thread).
pub struct Classifier<'m> {
    model: &'m Model,
    extractor: features::Extractor,
}

impl<'m> Classifier<'m> {
    pub fn new(model: &'m Model) -> Classifier<'m> {
        Classifier {
            model,
            extractor: features::Extractor::new(),
        }
    }

    /// The model's identity (`name@version`).
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Role and language of every block of `page`.
    pub fn classify(&mut self, page: &Page) -> Vec<BlockLabel> {
        let langs = identify_blocks(page);
        let rows = self.extractor.rows(page, &langs, &self.model.features);
        let probs = self
            .model
            .predict_page_kind(&rows, page.kind == PageKind::Html);
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
