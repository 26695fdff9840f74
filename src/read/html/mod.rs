//! HTML input: bytes of a web page to a [`Page`] of blocks with structure.
//!
//! In: the bytes of one HTML document, the `charset` of its HTTP header if
//! known, and its URL. Out: a [`Page`] of kind [`PageKind::Html`] whose text
//! is the visible text, one block per line a browser would break, joined by
//! `\n` (so block offsets index the page text exactly as for text pages), and
//! whose blocks carry their [`crate::page::Structure`] (tag path, landmark,
//! class tokens, link density, heading level, list/table membership,
//! inherited `dir`/`lang`, container text density), and whose `title` and
//! `date` are what the markup says ([`extract::metadata`]).
//!
//! Stages, one submodule each:
//! 1. [`charset`] decides the encoding (BOM, HTTP header, `<meta>`, detection)
//!    and decodes;
//! 2. [`dom`] parses ([`tokenizer`], written from the WHATWG specification,
//!    feeding html5ever's tree builder) into a flat arena, with guards that keep
//!    hostile documents linear (nesting past [`dom::MAX_DEPTH`] is flattened);
//! 3. [`extract`] walks the tree (iteratively) and cuts blocks;
//! 4. [`serialize`] writes a parsed page back as HTML with labels on it, for
//!    making training data.
//!
//! A page that shows no text at all is read again leniently
//! ([`extract::Options::fallback`]): `<noscript>` content (crawler views of
//! some forum software) and elements hidden by an inline style (wrappers
//! hidden until scripts run) then count as visible.
//!
//! Limits ([`Limits`], shared with text pages): a document longer than
//! `max_page_bytes` is cut there and the page flagged `truncated`; so is a
//! page with more than `max_blocks` blocks; a block longer than
//! `max_block_bytes` is cut into pieces at white space, nothing dropped.

pub mod charset;
pub mod dom;
pub mod extract;
#[cfg(feature = "cli")]
pub mod serialize;
pub mod tokenizer;

use crate::page::{Limits, OffsetMap, Page, PageKind};
use std::borrow::Cow;

/// A parsed HTML page and what the walk found besides blocks.
#[derive(Debug)]
pub struct HtmlPage {
    pub page: Page,
    // For the commands that write labelled HTML (`label-apply`, `wcxb-convert`).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub extracted: extract::Extracted,
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub dom: dom::Dom,
}

/// Decode, parse and cut an HTML document, keeping the tree.
#[cfg(feature = "cli")]
pub fn parse_page(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    charset_hint: Option<&str>,
    limits: &Limits,
    opts: extract::Options,
) -> HtmlPage {
    parse_page_as(id, url, bytes, charset_hint, limits, opts, None)
}

/// [`parse_page`], decoded in `forced` when given, whatever the document's
/// BOM, HTTP header or `<meta>` say.
pub fn parse_page_as(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    charset_hint: Option<&str>,
    limits: &Limits,
    opts: extract::Options,
    forced: Option<&'static encoding_rs::Encoding>,
) -> HtmlPage {
    parse_page_cow(
        id,
        url,
        Cow::Borrowed(bytes),
        charset_hint,
        limits,
        opts,
        forced,
    )
}

/// [`parse_page_as`] of bytes borrowed or given up: given up, they are freed
/// (or become the text) once decoded, before the tree is built.
fn parse_page_cow(
    id: &str,
    url: Option<&str>,
    bytes: Cow<'_, [u8]>,
    charset_hint: Option<&str>,
    limits: &Limits,
    opts: extract::Options,
    forced: Option<&'static encoding_rs::Encoding>,
) -> HtmlPage {
    let max = limits.max_page_bytes;
    let cut = bytes.len() > max;
    let decoded = match bytes {
        Cow::Borrowed(b) => {
            let b = &b[..b.len().min(max)];
            match forced {
                Some(e) => charset::decode_as(b, e, cut),
                None => charset::decode(b, charset_hint, url, cut),
            }
        }
        Cow::Owned(mut b) => {
            b.truncate(max);
            match forced {
                Some(e) => charset::decode_owned_as(b, e, cut),
                None => charset::decode_owned(b, charset_hint, url, cut),
            }
        }
    };
    // The input the tokenizer reads is a copy of the text that the tree's
    // text nodes keep alive anyway: the decoded String goes at once.
    let input = dom::Input::new(&decoded.text);
    drop(decoded.text);
    let mut dom = dom::parse_input(&input, true);
    let mut extracted = extract::extract(&dom, limits, opts, url);
    // A page that shows nothing until its scripts run (content in <noscript>,
    // as in crawler views of forum software, or in a wrapper hidden by an
    // inline style until hydration): read it again leniently.
    if extracted.blocks.is_empty() {
        dom = dom::parse_input(&input, false);
        extracted = extract::extract(
            &dom,
            limits,
            extract::Options {
                fallback: true,
                ..opts
            },
            url,
        );
    }
    drop(input);
    let text = std::mem::take(&mut extracted.text);
    let blocks = std::mem::take(&mut extracted.blocks);
    let meta = extract::metadata(&dom, &extracted.head);
    let page = Page {
        id: id.to_string(),
        url: url.map(str::to_string),
        text,
        blocks,
        kind: PageKind::Html,
        offsets: OffsetMap::identity(),
        encoding: Some(decoded.encoding.name()),
        lossy: decoded.lossy,
        truncated: cut || extracted.truncated,
        title: meta.title,
        date: meta.date,
    };
    HtmlPage {
        page,
        extracted,
        dom,
    }
}

/// [`page_from_html_as`] of bytes the caller gives up, so that they need not
/// stay in memory beside the page's tree.
pub(crate) fn page_from_html_owned(
    id: &str,
    url: Option<&str>,
    bytes: Vec<u8>,
    charset_hint: Option<&str>,
    limits: &Limits,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Page {
    parse_page_cow(
        id,
        url,
        Cow::Owned(bytes),
        charset_hint,
        limits,
        extract::Options::default(),
        forced,
    )
    .page
}

/// An HTML page from raw bytes: decoded, parsed and cut into blocks.
///
/// ```
/// let page = ghirbal::page_from_html("p", None, b"<ul><li>Home<li>News</ul><p>Hello <b>world</b>.</p>", None);
/// assert_eq!(page.text, "Home\nNews\nHello world.");
/// let structure = page.blocks[2].structure.as_ref().unwrap();
/// let path: Vec<&str> = structure.tag_path.iter().map(|t| &**t).collect();
/// assert_eq!(path, ["body", "p"]);
/// ```
pub fn page_from_html(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    charset_hint: Option<&str>,
) -> Page {
    page_from_html_with(id, url, bytes, charset_hint, &Limits::default())
}

/// [`page_from_html`] with explicit limits.
pub fn page_from_html_with(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    charset_hint: Option<&str>,
    limits: &Limits,
) -> Page {
    page_from_html_as(id, url, bytes, charset_hint, limits, None)
}

/// [`page_from_html_with`], decoded in `forced` when given.
pub fn page_from_html_as(
    id: &str,
    url: Option<&str>,
    bytes: &[u8],
    charset_hint: Option<&str>,
    limits: &Limits,
    forced: Option<&'static encoding_rs::Encoding>,
) -> Page {
    parse_page_as(
        id,
        url,
        bytes,
        charset_hint,
        limits,
        extract::Options::default(),
        forced,
    )
    .page
}
