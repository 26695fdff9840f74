//! Output writers: what `classify` prints for each record.
//!
//! In: a page and its block labels (or a record's error). Out: one line of
//! JSON per record (the stable output contract), the body text only
//! (`--format text`), or the authoring format ready to correct
//! (`--format annotated`).

use crate::label::{Dir, Lang, Role};
use crate::page::Page;
use crate::BlockLabel;
use serde::Serialize;

/// Output format of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per page, every block with role and language.
    Json,
    /// Only the body blocks' text, a blank line between pages.
    Text,
    /// The labelled-page authoring format (`ROLE LANG<TAB>line`).
    Annotated,
}

#[derive(Serialize)]
struct RoleScores {
    body: f32,
    chrome: f32,
    nav: f32,
    legal: f32,
    ad: f32,
}

#[derive(Serialize)]
struct SpanOut {
    start: usize,
    end: usize,
    lang: Lang,
}

#[derive(Serialize)]
struct BlockOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    role: Role,
    lang: Lang,
    role_scores: RoleScores,
    dir: Dir,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang_detail: Option<&'static str>,
    lang_confidence: f32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    spans: Vec<SpanOut>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    blocks: Vec<BlockOut<'a>>,
    model: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    lossy: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    error: &'a str,
}

/// Round to 4 decimals: enough for any use, and short output.
fn r4(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

/// The JSON line of a classified page (without the newline).
pub fn json_line(page: &Page, labels: &[BlockLabel], model: &str) -> String {
    json_line_dated(page, labels, model, None)
}

/// The JSON line of a classified page with its capture date (`WARC-Date`).
pub fn json_line_dated(
    page: &Page,
    labels: &[BlockLabel],
    model: &str,
    date: Option<&str>,
) -> String {
    let blocks = page
        .iter()
        .zip(labels)
        .map(|((b, text), l)| BlockOut {
            start: page.offsets.original(b.start),
            end: page.offsets.original(b.end),
            text,
            role: l.role,
            lang: l.lang.lang,
            role_scores: RoleScores {
                body: r4(l.scores[0]),
                chrome: r4(l.scores[1]),
                nav: r4(l.scores[2]),
                legal: r4(l.scores[3]),
                ad: r4(l.scores[4]),
            },
            dir: l.dir,
            lang_detail: l.lang.detail,
            lang_confidence: r4(l.lang.confidence),
            spans: l
                .lang
                .spans
                .iter()
                .map(|s| SpanOut {
                    start: page.offsets.original(b.start + s.start),
                    end: page.offsets.original(b.start + s.end),
                    lang: s.lang,
                })
                .collect(),
        })
        .collect();
    let out = PageOut {
        id: &page.id,
        url: page.url.as_deref(),
        date,
        blocks,
        model,
        lossy: page.lossy,
        truncated: page.truncated,
    };
    serde_json::to_string(&out).expect("page serialises")
}

/// The JSON line of a record that could not be classified.
pub fn error_line(id: &str, url: Option<&str>, error: &str) -> String {
    serde_json::to_string(&ErrorOut { id, url, error }).expect("error serialises")
}

/// The body text of a page: body blocks joined by newlines, then a blank line.
pub fn body_text(page: &Page, labels: &[BlockLabel]) -> String {
    let mut s = String::new();
    for ((_, text), l) in page.iter().zip(labels) {
        if l.role == Role::Body {
            s.push_str(text);
            s.push('\n');
        }
    }
    s.push('\n');
    s
}

/// A page in the authoring format: every raw line with the labels of the
/// block that holds it; lines outside blocks stay empty.
pub fn annotated(page: &Page, labels: &[BlockLabel]) -> String {
    let mut s = format!("# page: {}\n", page.id);
    if let Some(u) = &page.url {
        s.push_str(&format!("# url: {u}\n"));
    }
    let text = &page.text;
    let mut bi = 0;
    let mut pos = 0;
    for line in text.split('\n') {
        let (ls, le) = (pos, pos + line.len());
        pos = le + 1;
        while bi < page.blocks.len() && page.blocks[bi].end <= ls {
            bi += 1;
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        match page.blocks.get(bi) {
            Some(b) if b.start < le.max(ls + 1) && b.end > ls && !line.trim().is_empty() => {
                let l = &labels[bi];
                s.push_str(l.role.as_str());
                s.push(' ');
                s.push_str(l.lang.lang.as_str());
                s.push('\t');
                s.push_str(line);
            }
            _ => {}
        }
        s.push('\n');
    }
    s
}
