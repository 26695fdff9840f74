//! One unit of input: a [`Record`] (id, URL, date) holding a [`Payload`] (a
//! text or HTML page not yet decoded) or the [`RecordError`] that says why it
//! could not be read.
//!
//! In: what the readers ([`crate::read::input`], [`crate::read::warc`]) found.
//! Out: a [`crate::page::Page`] through [`Payload::into_page`]. Both readers
//! depend on this module, never on each other's types.

use crate::page::Limits;

/// What a record holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A plain-text page, as bytes (decoded later).
    Text(Vec<u8>),
    /// Text already decoded (a JSON Lines `text` field).
    Str(String),
    /// An HTML page, as bytes, with the `charset` its HTTP header named.
    Html {
        bytes: Vec<u8>,
        charset_hint: Option<String>,
    },
}

impl Payload {
    /// Bytes of the page it holds.
    pub fn len(&self) -> usize {
        match self {
            Payload::Text(b) => b.len(),
            Payload::Str(s) => s.len(),
            Payload::Html { bytes, .. } => bytes.len(),
        }
    }

    /// Whether the page is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The page this payload holds: decoded, parsed and cut into blocks.
    pub fn into_page(self, id: &str, url: Option<&str>, limits: &Limits) -> crate::page::Page {
        self.into_page_as(id, url, limits, None)
    }

    /// [`Payload::into_page`], its bytes decoded in `encoding` when given
    /// (text already decoded, [`Payload::Str`], is left as it is).
    pub fn into_page_as(
        self,
        id: &str,
        url: Option<&str>,
        limits: &Limits,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> crate::page::Page {
        match self {
            Payload::Text(bytes) => crate::page_from_text_as(id, url, &bytes, limits, encoding),
            Payload::Str(s) => crate::page_from_string_with(id, url, s, limits),
            Payload::Html {
                bytes,
                charset_hint,
            } => crate::read::html::page_from_html_owned(
                id,
                url,
                bytes,
                charset_hint.as_deref(),
                limits,
                encoding,
            ),
        }
    }
}

/// One unit of input; produces exactly one output line.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub url: Option<String>,
    /// Capture date (`WARC-Date`), when the input carries one.
    pub date: Option<String>,
    /// The input held more than the reader keeps; the page is a prefix.
    pub truncated: bool,
    pub payload: Result<Payload, RecordError>,
}

impl Record {
    /// A record that could not be read.
    pub fn error(id: impl Into<String>, e: RecordError) -> Record {
        Record {
            id: id.into(),
            url: None,
            date: None,
            truncated: false,
            payload: Err(e),
        }
    }

    /// A record holding `payload`, without URL or date.
    pub fn page(id: impl Into<String>, payload: Payload) -> Record {
        Record {
            id: id.into(),
            url: None,
            date: None,
            truncated: false,
            payload: Ok(payload),
        }
    }
}

/// Whether bytes start the way an HTML document does (the WHATWG MIME
/// sniffing patterns, after white space and a BOM).
pub fn looks_like_html(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let ws = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let b = &b[ws..];
    const TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
        b"<meta",
        b"<?xml",
    ];
    TAGS.iter().any(|t| {
        b.len() > t.len()
            && b[..t.len()].eq_ignore_ascii_case(t)
            && (matches!(b[t.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'\x0C')
                || *t == b"<!--"
                || *t == b"<?xml")
    }) && (!b.starts_with(b"<?xml")
        || memchr::memmem::find(&b[..b.len().min(1024)], b"<html").is_some())
}

/// Why a record could not be read. `Display` gives the message `classify`
/// reports for it (in the output's `error` field and on standard error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A file could not be opened or read (the I/O error's message).
    #[error("cannot read: {0}")]
    Read(String),
    /// A gzip file could not be decompressed.
    #[error("cannot decompress: {0}")]
    Decompress(String),
    /// Standard input could not be read.
    #[error("cannot read standard input: {0}")]
    Stdin(String),
    /// A list of paths (`--paths`) could not be read.
    #[error("cannot read path list: {0}")]
    PathList(String),
    /// A directory could not be listed.
    #[error("cannot list directory: {0}")]
    ListDirectory(String),
    /// Reading failed in the middle of a stream (JSON Lines, WARC).
    #[error("read error: {0}")]
    Stream(String),
    /// A JSON Lines record longer than the reader accepts.
    #[error("record longer than {}", crate::output::plural(*.limit, "byte"))]
    TooLong {
        /// The longest record accepted, in bytes.
        limit: usize,
    },
    /// A line of a path list (`--paths`) longer than the reader accepts.
    #[error("path longer than {}", crate::output::plural(*.limit, "byte"))]
    LongPath {
        /// The longest path accepted, in bytes.
        limit: usize,
    },
    /// A blank line of JSON Lines on standard input.
    #[error("empty record")]
    Empty,
    /// A JSON Lines record that is not a valid record.
    #[error("invalid JSON record: {0}")]
    Json(String),
    /// A damaged WARC or WET record.
    #[error(transparent)]
    Warc(#[from] crate::read::warc::WarcError),
    /// Anything else, said in words (for embedders that build records).
    #[error("{0}")]
    Other(String),
}

impl From<String> for RecordError {
    fn from(message: String) -> RecordError {
        RecordError::Other(message)
    }
}

impl From<&str> for RecordError {
    fn from(message: &str) -> RecordError {
        RecordError::Other(message.to_string())
    }
}
