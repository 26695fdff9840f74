//! Blocks from a parsed document: what a browser shows, cut where it breaks lines.
//!
//! In: a [`Dom`]. Out: the page text (block texts joined by `\n`), its
//! [`Block`]s with their [`Structure`], and the training labels in effect for
//! each block.
//!
//! Rules:
//! - a block is the text between two line breaks a browser makes: the start
//!   and end of a block-level element (`p`, `h1`–`h6`, `li`, `td`, `div` …)
//!   and every `<br>`; so a `div`'s own text around a child paragraph makes
//!   blocks of its own, and `br`-separated lines are separate blocks;
//! - invisible content is skipped: `head`, `script`, `style`, `noscript`,
//!   `template`, `svg`, `iframe`, `object`, `canvas`, `video`, `audio`,
//!   `select`, `datalist`, `textarea`, comments, a closed `dialog`, and any
//!   element with `hidden`, `aria-hidden="true"` or an inline style
//!   `display:none` / `visibility:hidden`; image `alt` text is never read;
//! - white space is collapsed as a browser does (runs of ASCII white space
//!   become one space; none at the ends of a block), except inside `pre`;
//!   blocks are trimmed of invisible marks at both ends, like text blocks.
//!
//! The walk is a loop over parent/sibling links with an explicit stack of
//! open elements: no recursion, so depth costs heap, not stack.

use super::dom::{Dom, Element, Kind, NodeId, NONE};
use crate::page::{Block, Limits, Structure};
use html5ever::ns;
use html5ever::tendril::StrTendril;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

/// Most tags kept in [`Structure::tag_path`] (the innermost ones).
pub const MAX_TAG_PATH: usize = 32;

/// Most class/id tokens kept per block (nearest elements first).
pub const MAX_CLASS_TOKENS: usize = 48;

/// Most tokens taken from one element's `class`/`id`/`role`/`itemprop`.
const MAX_TOKENS_PER_ELEMENT: usize = 16;

/// Longest class token kept, in characters.
const MAX_TOKEN_CHARS: usize = 32;

/// What the walk produced.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub text: String,
    pub blocks: Vec<Block>,
    /// `data-ghirbal-role` / `data-ghirbal-lang` in effect for each block's
    /// text (the nearest labelled ancestor; by majority of characters when
    /// a block's text sits under different labels).
    pub labels: Vec<(Option<String>, Option<String>)>,
    /// The element each block belongs to (its innermost block-level ancestor).
    pub owners: Vec<NodeId>,
    /// Every text node that gave a block visible text, with that block's
    /// index, in document order (only with [`Options::record_nodes`]).
    pub text_nodes: Vec<(NodeId, u32)>,
    /// `<meta name="ghirbal:…">` values and the canonical URL from `<head>`.
    pub head: Head,
    /// The page was read with [`Options::fallback`].
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub fallback: bool,
    /// More than [`Limits::max_blocks`] blocks: the rest was dropped.
    pub truncated: bool,
}

/// What `<head>` says about the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Head {
    /// `<meta name="ghirbal:id">`.
    pub id: Option<String>,
    /// `<meta name="ghirbal:url">`, else `<link rel="canonical">`, else `og:url`.
    pub url: Option<String>,
    /// `<meta name="ghirbal:site">`.
    pub site: Option<String>,
    /// `<meta property="og:title">`.
    pub og_title: Option<String>,
    /// `<meta property="article:published_time">`.
    pub published: Option<String>,
}

/// What to record besides blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub record_nodes: bool,
    /// The fallback reading of [`is_skipped`]: `<noscript>` content and
    /// style-hidden elements visible (the document must then have been parsed
    /// with scripting off, so that `<noscript>` holds markup, not raw text).
    pub fallback: bool,
}

/// An element's local name when it is in the HTML namespace.
fn html_name(e: &Element) -> Option<&str> {
    e.is_html().then(|| &**e.local())
}

/// Block-level elements: their start and end break lines.
pub fn is_block_level(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
            | "search"
            | "marquee"
            | "optgroup"
            | "option"
            | "frameset"
    )
}

/// Whether an element and everything in it is invisible. With `fallback`
/// (for pages that show nothing otherwise) `noscript` content and elements
/// hidden by an inline style count as visible: what the page shows once its
/// scripts would have run, or with scripting off.
pub fn is_skipped(e: &Element, fallback: bool) -> bool {
    if !e.is_html() {
        // SVG is drawn, not read; MathML is read.
        return e.name.ns == ns!(svg);
    }
    if fallback && &**e.local() == "noscript" {
        return false;
    }
    let skip_tag = matches!(
        &**e.local(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "datalist"
            | "textarea"
            | "title"
            | "noframes"
            | "noembed"
            | "frame"
            | "input"
            | "img"
            | "embed"
            | "math-hidden"
    );
    if skip_tag {
        return true;
    }
    if &**e.local() == "dialog" && e.attr("open").is_none() {
        return true;
    }
    for a in &e.attrs {
        if a.name.ns != ns!() {
            continue;
        }
        match &*a.name.local {
            // React's streamed segments (`<div hidden id="S:0">`) are moved
            // into the page by a script as soon as they arrive: content.
            "hidden" if !is_streamed_segment(e) => return true,
            "aria-hidden" if a.value.trim().eq_ignore_ascii_case("true") => return true,
            "style" if !fallback && style_hides(&a.value) => return true,
            _ => {}
        }
    }
    false
}

/// A React streaming segment: `hidden`, with an id `S:` followed by a
/// number (hex in React 18, decimal in 19), whose content a script moves
/// in place of its `<template id="B:…">` placeholder once it has streamed.
fn is_streamed_segment(e: &Element) -> bool {
    e.attr("id")
        .and_then(|id| id.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `display:none` or `visibility:hidden` in an inline style.
fn style_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    s.split(';').any(|d| {
        let d = d.trim_end_matches("!important");
        d == "display:none" || d == "visibility:hidden"
    })
}

/// The landmark an element opens, by tag or ARIA role.
fn landmark(e: &Element) -> Option<&'static str> {
    if let Some(role) = e.attr("role") {
        for r in role.split_ascii_whitespace() {
            let lm = match r.to_ascii_lowercase().as_str() {
                "navigation" => Some("nav"),
                "banner" => Some("header"),
                "contentinfo" => Some("footer"),
                "complementary" => Some("aside"),
                "main" => Some("main"),
                "article" => Some("article"),
                "form" | "search" => Some("form"),
                _ => None,
            };
            if lm.is_some() {
                return lm;
            }
        }
    }
    match html_name(e)? {
        "nav" => Some("nav"),
        "header" => Some("header"),
        "footer" => Some("footer"),
        "aside" => Some("aside"),
        "main" => Some("main"),
        "article" => Some("article"),
        "form" | "search" => Some("form"),
        _ => None,
    }
}

/// Split a `class`/`id` value into lower-case tokens: on every character that
/// is not a letter or digit (any script, so Arabic class names count) and at
/// camelCase humps; tokens of one character or only digits are dropped.
#[cfg(test)]
fn class_tokens(value: &str, out: &mut Vec<String>, limit: usize) {
    let mut buf = String::new();
    for_each_class_token(value, limit, &mut buf, |t| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    });
}

/// The tokens [`class_tokens`] takes from `value`, in order, duplicates
/// included (at most `limit`), handed to `take` one by one; `cur` is a
/// scratch buffer.
fn for_each_class_token(value: &str, limit: usize, cur: &mut String, mut take: impl FnMut(&str)) {
    cur.clear();
    let mut chars = 0usize;
    let mut digits_only = true;
    let mut prev_lower = false;
    let mut taken = 0;
    let mut flush = |cur: &mut String, chars: &mut usize, digits_only: &mut bool| {
        if (2..=MAX_TOKEN_CHARS).contains(chars) && !*digits_only && taken < limit {
            take(cur);
            taken += 1;
        }
        cur.clear();
        *chars = 0;
        *digits_only = true;
    };
    for c in value.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if c.is_ascii_uppercase() && prev_lower {
                    flush(cur, &mut chars, &mut digits_only);
                }
                prev_lower = c.is_ascii_lowercase();
                cur.push(c.to_ascii_lowercase());
                chars += 1;
                digits_only &= c.is_ascii_digit();
            } else {
                flush(cur, &mut chars, &mut digits_only);
                prev_lower = false;
            }
        } else if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                flush(cur, &mut chars, &mut digits_only);
            }
            prev_lower = c.is_lowercase();
            for l in c.to_lowercase() {
                cur.push(l);
                chars += 1;
                digits_only &= l.is_ascii_digit();
            }
        } else {
            flush(cur, &mut chars, &mut digits_only);
            prev_lower = false;
        }
    }
    flush(cur, &mut chars, &mut digits_only);
}

/// Characters of markup an element costs: `<name attrs>` and `</name>`.
fn markup_chars(e: &Element) -> u32 {
    let name = e.local().len() as u32;
    let attrs: u32 = e
        .attrs
        .iter()
        .map(|a| a.name.local.len() as u32 + a.value.chars().count() as u32 + 4)
        .sum();
    2 * name + 5 + attrs
}

/// A span added by a labelling tool that carries nothing but labels: it does
/// not count as markup.
fn is_label_only_span(e: &Element) -> bool {
    e.is_html()
        && &**e.local() == "span"
        && e.attrs.is_empty()
        && (e.role_label().is_some() || e.lang_label().is_some())
}

/// Per element, visible text characters and markup characters of its
/// subtree (post-order, iterative); and, for every element this walk (and so
/// the block walk) reaches, whether [`is_skipped`] holds.
fn subtree_stats(dom: &Dom, root: NodeId, fallback: bool) -> (Vec<(u32, u32)>, Vec<bool>) {
    let mut stats = vec![(0u32, 0u32); dom.nodes.len()];
    let mut skipped = vec![false; dom.nodes.len()];
    let mut node = root;
    loop {
        let n = dom.node(node);
        let descend = match dom.kind(node) {
            Kind::Element(e) => {
                let s = is_skipped(e, fallback);
                skipped[node as usize] = s;
                !s
            }
            _ => false,
        };
        if let Kind::Text(t) = dom.kind(node) {
            let c = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            stats[n.parent as usize].0 = stats[n.parent as usize].0.saturating_add(c);
        }
        if descend && n.first_child != NONE {
            node = n.first_child;
            continue;
        }
        // Close `node` (if it is a visible element) and every ancestor it completes.
        let mut cur = node;
        loop {
            let cn = dom.node(cur);
            if let Kind::Element(e) = dom.kind(cur) {
                if !skipped[cur as usize] && cur != root {
                    let own = if is_label_only_span(e) {
                        0
                    } else {
                        markup_chars(e)
                    };
                    let (t, m) = stats[cur as usize];
                    let p = &mut stats[cn.parent as usize];
                    p.0 = p.0.saturating_add(t);
                    p.1 = p.1.saturating_add(m).saturating_add(own);
                }
            }
            if cur == root {
                return (stats, skipped);
            }
            if cn.next != NONE {
                node = cn.next;
                break;
            }
            cur = cn.parent;
            if cur == NONE {
                return (stats, skipped);
            }
        }
    }
}

/// FNV-1a, for the short strings of one page's token tables.
type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<crate::fnv::Fnv1a>>;

/// The class tokens of one page, each distinct token once, by number; and
/// per attribute value, the tokens [`class_tokens`] takes from it (values
/// repeat a lot: every menu item has the same `class`). Blocks share the
/// names, so building a block's [`Structure`] allocates no token.
#[derive(Default)]
struct Tokens<'d> {
    names: Vec<Arc<str>>,
    ids: FnvMap<Arc<str>, u32>,
    /// Per value: its tokens are `seq[start..end]`.
    by_value: FnvMap<&'d str, (u32, u32)>,
    seq: Vec<u32>,
    scratch: String,
    /// `seen[id] == stamp`: taken in the current deduplication.
    seen: Vec<u32>,
    stamp: u32,
    /// The tokens taken for the current block, kept from block to block.
    taken: Vec<u32>,
}

impl<'d> Tokens<'d> {
    /// The tokens of one `class`/`id`/`role`/`itemprop` value.
    fn of_value(&mut self, value: &'d str) -> &[u32] {
        let (start, end) = match self.by_value.get(value) {
            Some(&r) => r,
            None => {
                let start = self.seq.len() as u32;
                let (names, ids, seq) = (&mut self.names, &mut self.ids, &mut self.seq);
                for_each_class_token(value, MAX_TOKENS_PER_ELEMENT, &mut self.scratch, |t| {
                    let id = match ids.get(t) {
                        Some(&id) => id,
                        None => {
                            let id = names.len() as u32;
                            let name: Arc<str> = Arc::from(t);
                            names.push(name.clone());
                            ids.insert(name, id);
                            id
                        }
                    };
                    seq.push(id);
                });
                let r = (start, self.seq.len() as u32);
                self.by_value.insert(value, r);
                r
            }
        };
        &self.seq[start as usize..end as usize]
    }

    /// Start a deduplication: no token is taken yet.
    fn new_stamp(&mut self) -> u32 {
        self.seen.resize(self.names.len(), 0);
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }
}

/// One open element during the walk, with what it passes down.
struct Frame<'d> {
    node: NodeId,
    name: &'d str,
    /// `name`, shared with the blocks' tag paths.
    tag: Arc<str>,
    is_block: bool,
    landmark: Option<&'static str>,
    heading: u8,
    list_item: bool,
    table_cell: bool,
    pre: bool,
    link: bool,
    /// What the enclosing `<a>`'s target says ([`link_kind`]; 0 outside
    /// links).
    link_kind: u8,
    /// The inherited `dir` and `lang`, as indices into `Walker::values`.
    dir: Option<u32>,
    lang: Option<u32>,
    role_label: Option<StrTendril>,
    lang_label: Option<StrTendril>,
    /// This frame's tokens are `tokens[tok_start..tok_end]`.
    tok_start: usize,
    tok_end: usize,
    /// Its tokens already went into the current block.
    contributed: bool,
}

/// The `data-ghirbal-role` and `data-ghirbal-lang` in effect.
type LabelKey = (Option<StrTendril>, Option<StrTendril>);

/// The block being collected; its buffers are kept from block to block.
#[derive(Default)]
struct Pending {
    buf: String,
    space: bool,
    chars: usize,
    link_chars: usize,
    /// Characters inside links of each [`link_kind`] bit.
    kind_chars: [usize; LINK_KINDS],
    inline_tokens: Vec<u32>,
    /// Characters per (role label, lang label).
    label_votes: Vec<(LabelKey, usize)>,
    text_nodes: Vec<NodeId>,
}

impl Pending {
    fn clear(&mut self) {
        self.buf.clear();
        self.space = false;
        self.chars = 0;
        self.link_chars = 0;
        self.kind_chars = [0; LINK_KINDS];
        self.inline_tokens.clear();
        self.label_votes.clear();
        self.text_nodes.clear();
    }
}

struct Walker<'d> {
    dom: &'d Dom,
    stats: Vec<(u32, u32)>,
    skipped: Vec<bool>,
    frames: Vec<Frame<'d>>,
    /// The tokens of the open frames, by number in `interned`.
    tokens: Vec<u32>,
    interned: Tokens<'d>,
    /// The page's tag names, each once, shared by the frames.
    tags: FnvMap<&'d str, Arc<str>>,
    /// Lower-cased `dir` and `lang` values that frames point to.
    values: Vec<Arc<str>>,
    cur: Pending,
    out: Extracted,
    /// The page's site ([`site_of`] of its URL), which links leave or not.
    site: Option<String>,
    opts: Options,
    limits: Limits,
}

impl<'d> Walker<'d> {
    fn push_frame(&mut self, id: NodeId, e: &'d Element) {
        let parent = self.frames.last();
        let name: &'d str = e.local();
        let html = e.is_html();
        let heading = match (html, name) {
            (true, "h1") => 1,
            (true, "h2") => 2,
            (true, "h3") => 3,
            (true, "h4") => 4,
            (true, "h5") => 5,
            (true, "h6") => 6,
            _ => parent.map_or(0, |p| p.heading),
        };
        let mut attr_value =
            |a: &str, inherited: Option<u32>| match e.attr(a).map(|v| v.trim().to_lowercase()) {
                Some(v) if !v.is_empty() => {
                    self.values.push(Arc::from(v));
                    Some(self.values.len() as u32 - 1)
                }
                _ => inherited,
            };
        let dir = attr_value("dir", parent.and_then(|p| p.dir));
        let lang = attr_value("lang", parent.and_then(|p| p.lang));
        let tok_start = self.tokens.len();
        for a in ["class", "id", "role", "itemprop"] {
            if let Some(val) = e.attr(a) {
                for &t in self.interned.of_value(val) {
                    if !self.tokens[tok_start..].contains(&t) {
                        self.tokens.push(t);
                    }
                }
            }
        }
        let tag = self
            .tags
            .entry(name)
            .or_insert_with(|| Arc::from(name))
            .clone();
        let parent = self.frames.last();
        let frame = Frame {
            node: id,
            name,
            tag,
            is_block: html && is_block_level(name),
            landmark: landmark(e).or(parent.and_then(|p| p.landmark)),
            heading,
            list_item: (html && name == "li") || parent.is_some_and(|p| p.list_item),
            table_cell: (html && matches!(name, "td" | "th"))
                || parent.is_some_and(|p| p.table_cell),
            pre: (html && matches!(name, "pre" | "listing" | "plaintext" | "xmp"))
                || parent.is_some_and(|p| p.pre),
            link: (html && name == "a") || parent.is_some_and(|p| p.link),
            link_kind: if html && name == "a" {
                link_kind(e, self.site.as_deref())
            } else {
                parent.map_or(0, |p| p.link_kind)
            },
            dir,
            lang,
            role_label: e
                .role_label()
                .cloned()
                .or_else(|| parent.and_then(|p| p.role_label.clone())),
            lang_label: e
                .lang_label()
                .cloned()
                .or_else(|| parent.and_then(|p| p.lang_label.clone())),
            tok_start,
            tok_end: self.tokens.len(),
            contributed: false,
        };
        self.frames.push(frame);
    }

    fn pop_frame(&mut self) {
        if let Some(f) = self.frames.pop() {
            self.tokens.truncate(f.tok_start);
        }
    }

    /// Index of the innermost block-level frame.
    fn owner_index(&self) -> usize {
        self.frames.iter().rposition(|f| f.is_block).unwrap_or(0)
    }

    fn add_text(&mut self, id: NodeId, t: &str) {
        let Some(top) = self.frames.last() else {
            return;
        };
        let (pre, link, kind) = (top.pre, top.link, top.link_kind);
        let owner = self.owner_index();
        let p = &mut self.cur;
        let before = p.chars;
        for c in t.chars() {
            if !pre && matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                p.space |= !p.buf.is_empty();
                continue;
            }
            if p.space {
                p.buf.push(' ');
                p.space = false;
            }
            p.buf.push(c);
            if !c.is_whitespace() {
                p.chars += 1;
                p.link_chars += usize::from(link);
            }
        }
        let added = p.chars - before;
        if added == 0 {
            return;
        }
        // One text node sits in one link (or none): its characters count
        // for that link's kinds all at once.
        if kind != 0 {
            for (bit, n) in p.kind_chars.iter_mut().enumerate() {
                if kind >> bit & 1 == 1 {
                    *n += added;
                }
            }
        }
        let key = (top.role_label.clone(), top.lang_label.clone());
        match p.label_votes.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += added,
            None => p.label_votes.push((key, added)),
        }
        if self.opts.record_nodes {
            p.text_nodes.push(id);
        }
        // Inline elements inside the block lend it their class tokens.
        for f in self.frames[owner + 1..].iter_mut() {
            if !f.contributed {
                f.contributed = true;
                for t in &self.tokens[f.tok_start..f.tok_end] {
                    if !p.inline_tokens.contains(t) {
                        p.inline_tokens.push(*t);
                    }
                }
            }
        }
    }

    /// End the current block (a line break).
    fn flush(&mut self) {
        let mut p = std::mem::take(&mut self.cur);
        self.emit(&mut p);
        p.clear();
        self.cur = p;
    }

    /// Turn the collected text into blocks.
    fn emit(&mut self, p: &mut Pending) {
        for f in &mut self.frames {
            f.contributed = false;
        }
        let ignorable = crate::segment::is_ignorable;
        let trimmed = p.buf.trim_matches(ignorable);
        if trimmed.is_empty() || self.out.truncated {
            return;
        }
        if self.out.blocks.len() >= self.limits.max_blocks {
            self.out.truncated = true;
            return;
        }
        let owner = self.owner_index();
        let structure = self.structure(owner, p);
        let label = p
            .label_votes
            .iter()
            .fold(None::<&(_, usize)>, |best, v| match best {
                Some(b) if b.1 >= v.1 => Some(b),
                _ => Some(v),
            })
            .map(|((r, l), _)| {
                (
                    r.as_deref().map(str::to_string),
                    l.as_deref().map(str::to_string),
                )
            })
            .unwrap_or((None, None));
        let owner_node = self.frames.get(owner).map_or(0, |f| f.node);
        let first_index = self.out.blocks.len() as u32;
        let pieces = split_long(trimmed, self.limits.max_block_bytes.max(16));
        let last = pieces.len().saturating_sub(1);
        let mut structure = Some(structure);
        for (k, piece) in pieces.into_iter().enumerate() {
            if self.out.blocks.len() >= self.limits.max_blocks {
                self.out.truncated = true;
                break;
            }
            if !self.out.text.is_empty() {
                self.out.text.push('\n');
            }
            let start = self.out.text.len();
            self.out.text.push_str(piece);
            let lines = piece.matches('\n').count() as u32 + 1;
            let mut block = Block::new(start, self.out.text.len(), lines);
            // The last piece (usually the only one) takes the structure itself.
            let st = if k == last {
                structure.take()
            } else {
                structure.clone()
            };
            block.structure = st.map(Box::new);
            self.out.blocks.push(block);
            self.out.labels.push(label.clone());
            self.out.owners.push(owner_node);
        }
        self.out
            .text_nodes
            .extend(p.text_nodes.drain(..).map(|n| (n, first_index)));
    }

    fn structure(&mut self, owner: usize, p: &Pending) -> Structure {
        if self.frames.is_empty() {
            return Structure::default();
        }
        let frames = &self.frames[..=owner.min(self.frames.len() - 1)];
        let Some(f) = frames.last() else {
            return Structure::default();
        };
        let from = frames
            .iter()
            .position(|f| f.name == "body")
            .unwrap_or(0)
            .max(frames.len().saturating_sub(MAX_TAG_PATH));
        let tag_path = frames[from..].iter().map(|f| f.tag.clone()).collect();
        let stamp = self.interned.new_stamp();
        let Tokens {
            names, seen, taken, ..
        } = &mut self.interned;
        // Chosen first, then copied into a vector of the exact size: one
        // allocation per block instead of one per doubling.
        taken.clear();
        for &t in p
            .inline_tokens
            .iter()
            .chain(self.tokens[..f.tok_end].iter().rev())
        {
            if taken.len() >= MAX_CLASS_TOKENS {
                break;
            }
            if seen[t as usize] != stamp {
                seen[t as usize] = stamp;
                taken.push(t);
            }
        }
        let class_tokens = taken.iter().map(|&t| names[t as usize].clone()).collect();
        let container = frames
            .len()
            .checked_sub(2)
            .map_or(f.node, |i| frames[i].node);
        let (text, markup) = self.stats[container as usize];
        let density = if text + markup == 0 {
            0.0
        } else {
            text as f32 / (text as f32 + markup as f32)
        };
        let value = |v: Option<u32>| v.map(|i| self.values[i as usize].clone());
        let mut ancestors = [crate::page::NO_ANCESTOR; crate::page::ANCESTORS];
        for (a, fr) in ancestors.iter_mut().zip(frames.iter().rev().skip(1)) {
            *a = fr.node;
        }
        Structure {
            tag_path,
            landmark: f.landmark,
            class_tokens,
            link_density: if p.chars == 0 {
                0.0
            } else {
                p.link_chars as f32 / p.chars as f32
            },
            link_kinds: p.kind_chars.map(|n| {
                if p.chars == 0 {
                    0.0
                } else {
                    n as f32 / p.chars as f32
                }
            }),
            heading: f.heading,
            is_list_item: f.list_item,
            is_table_cell: f.table_cell,
            dir_attr: value(f.dir),
            lang_attr: value(f.lang),
            container_text_density: density,
            ancestors,
        }
    }
}

/// Cut an over-long block text into pieces of at most `max` bytes, at the last
/// white space before the limit when there is one in its second half; every
/// piece starts and ends on a visible character (the rule of text pages).
fn split_long(text: &str, max: usize) -> Vec<&str> {
    if text.len() <= max {
        return vec![text];
    }
    let ignorable = crate::segment::is_ignorable;
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = if rest.len() <= max {
            rest.len()
        } else {
            let mut cut = max;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            match rest[..cut].rfind(char::is_whitespace) {
                Some(ws) if ws > max / 2 => ws,
                _ if cut == 0 => rest.chars().next().map_or(1, char::len_utf8),
                _ => cut,
            }
        };
        let piece = rest[..end].trim_matches(ignorable);
        if !piece.is_empty() {
            out.push(piece);
        }
        rest = &rest[end..];
    }
    out
}

/// Read `<head>`: ghirbal meta tags and the canonical URL.
fn read_head(dom: &Dom, html: NodeId) -> Head {
    let mut h = Head::default();
    let mut canonical = None;
    let mut og = None;
    let Some(head) = dom
        .children(html)
        .find(|&c| dom.element(c).is_some_and(|e| html_name(e) == Some("head")))
    else {
        return h;
    };
    for c in dom.children(head) {
        let Some(e) = dom.element(c) else {
            continue;
        };
        let content = || e.attr("content").map(|v| v.trim().to_string());
        match html_name(e) {
            Some("meta") => match (e.attr("name"), e.attr("property")) {
                (Some("ghirbal:id"), _) => h.id = content(),
                (Some("ghirbal:url"), _) => h.url = content(),
                (Some("ghirbal:site"), _) => h.site = content(),
                (_, Some("og:url")) => og = content(),
                (_, Some("og:title")) | (Some("og:title"), _) => {
                    h.og_title = h.og_title.or_else(|| content().filter(|v| !v.is_empty()))
                }
                (_, Some("article:published_time")) | (Some("article:published_time"), _) => {
                    h.published = h.published.or_else(|| content().filter(|v| !v.is_empty()))
                }
                _ => {}
            },
            Some("link")
                if e.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                canonical = e.attr("href").map(|v| v.trim().to_string());
            }
            _ => {}
        }
    }
    h.url = h.url.or(canonical).or(og).filter(|u| !u.is_empty());
    h
}

/// Longest title kept, in characters (a hostile `<title>` can be megabytes).
const MAX_TITLE_CHARS: usize = 1000;

/// The text inside `node`, white space runs as one space, trimmed, cut at
/// [`MAX_TITLE_CHARS`]; `None` when empty.
fn inner_text(dom: &Dom, node: NodeId) -> Option<String> {
    let mut raw = String::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if raw.len() > 4 * MAX_TITLE_CHARS {
            break;
        }
        match dom.kind(n) {
            Kind::Text(t) => raw.push_str(t),
            Kind::Element(e) if n != node && is_skipped(e, false) => {}
            _ => {
                let first = stack.len();
                stack.extend(dom.children(n));
                stack[first..].reverse();
            }
        }
    }
    let text: String = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_TITLE_CHARS)
        .collect();
    (!text.is_empty()).then_some(text)
}

/// A page's title and publication date, as its markup gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `<title>`, else `og:title`, else the first `<h1>`.
    pub title: Option<String>,
    /// `article:published_time`, else the first `<time datetime>`.
    pub date: Option<String>,
}

/// The title and publication date of a parsed document (see [`Metadata`]);
/// `head` is what [`extract`] read from `<head>`.
pub fn metadata(dom: &Dom, head: &Head) -> Metadata {
    let (mut title, mut h1, mut time) = (None, None, None);
    for i in 0..dom.nodes.len() as NodeId {
        let Some(e) = dom.element(i) else { continue };
        match html_name(e) {
            Some("title") if title.is_none() => title = inner_text(dom, i),
            Some("h1") if h1.is_none() => h1 = inner_text(dom, i),
            Some("time") if time.is_none() => {
                time = e
                    .attr("datetime")
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|d| d.chars().take(MAX_TITLE_CHARS).collect())
            }
            _ => {}
        }
        if title.is_some() && time.is_some() {
            break;
        }
    }
    let clean = |t: &String| {
        let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        t.chars().take(MAX_TITLE_CHARS).collect::<String>()
    };
    Metadata {
        title: title.or_else(|| head.og_title.as_ref().map(clean)).or(h1),
        date: head.published.as_ref().map(clean).or(time),
    }
}

/// Kinds of link target, one bit each in [`link_kind`] and one share each
/// in [`Structure::link_kinds`]: to another site, `rel` sponsored, `rel`
/// nofollow or ugc, an advertising or affiliate address.
pub const LINK_KINDS: usize = 4;

/// The registrable part of a URL's host, roughly: its last two labels, or
/// three when the second-last is a short one under a two-letter country
/// code (`bbc.co.uk`, `spa.gov.sa`). `None` for relative or non-web URLs.
pub fn site_of(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = if let Some(r) = url.strip_prefix("//") {
        r
    } else {
        let (scheme, r) = url.split_once("://")?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return None;
        }
        r
    };
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return (!host.is_empty()).then_some(host);
    }
    let n = labels.len();
    let take = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 {
        3
    } else {
        2
    };
    Some(labels[n - take..].join("."))
}

/// Addresses of ad servers, sponsored-content networks and affiliate
/// networks, and the redirect paths and query keys affiliate links use.
const AD_LINK_PARTS: &[&str] = &[
    "doubleclick.net",
    "googleadservices.com",
    "googlesyndication.com",
    "adservice.google",
    "taboola.com",
    "outbrain.com",
    "amzn.to",
    "shareasale.com",
    "awin1.com",
    "skimresources.com",
    "linksynergy.com",
    "anrdoezrs.net",
    "jdoqocy.com",
    "tkqlhce.com",
    "dpbolvw.net",
    "kqzyfj.com",
    "prf.hn",
    "clickbank.net",
    "tradedoubler.com",
    "/go/",
    "/out/",
    "/recommends/",
    "/aff/",
    "/affiliate",
    "?tag=",
    "&tag=",
    "affid=",
    "aff_id=",
    "affiliate_id=",
    "utm_medium=affiliate",
    "utm_medium=cpc",
    "utm_medium=display",
    "utm_medium=paid",
    "utm_medium=sponsored",
];

/// [`AD_LINK_PARTS`] found in one pass, ignoring ASCII case (the parts are
/// lower-case ASCII).
fn ad_link_parts() -> &'static aho_corasick::AhoCorasick {
    static M: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(AD_LINK_PARTS)
            .expect("fixed patterns build")
    })
}

/// The [`LINK_KINDS`] bits of an `<a>` element on a page of site `site`.
fn link_kind(e: &Element, site: Option<&str>) -> u8 {
    let mut kind = 0u8;
    if let Some(href) = e.attr("href") {
        if let (Some(page), Some(target)) = (site, site_of(href)) {
            if page != target {
                kind |= 1;
            }
        }
        if ad_link_parts().is_match(href) {
            kind |= 8;
        }
    }
    if let Some(rel) = e.attr("rel") {
        for t in rel.split_ascii_whitespace() {
            if t.eq_ignore_ascii_case("sponsored") {
                kind |= 2;
            } else if t.eq_ignore_ascii_case("nofollow") || t.eq_ignore_ascii_case("ugc") {
                kind |= 4;
            }
        }
    }
    kind
}

/// Walk a parsed document and collect its blocks; `url` is the page's
/// address when the caller knows it (else the page's own, from `<head>`).
pub fn extract(dom: &Dom, limits: &Limits, opts: Options, url: Option<&str>) -> Extracted {
    let Some(root) = dom.root_element() else {
        return Extracted::default();
    };
    let (stats, skipped) = subtree_stats(dom, root, opts.fallback);
    let head = read_head(dom, root);
    let site = url.or(head.url.as_deref()).and_then(site_of);
    let mut w = Walker {
        dom,
        stats,
        skipped,
        frames: Vec::new(),
        tokens: Vec::new(),
        interned: Tokens::default(),
        tags: FnvMap::default(),
        values: Vec::new(),
        cur: Pending::default(),
        out: Extracted {
            head,
            fallback: opts.fallback,
            ..Extracted::default()
        },
        site,
        opts,
        limits: *limits,
    };
    let mut node = root;
    'walk: loop {
        if w.out.truncated {
            break;
        }
        let n = dom.node(node);
        let mut opened = false;
        match dom.kind(node) {
            Kind::Element(e) if !w.skipped[node as usize] => {
                let is_br = e.is_html() && &**e.local() == "br";
                let block = e.is_html() && is_block_level(e.local());
                if is_br || block {
                    w.flush();
                }
                if !is_br {
                    w.push_frame(node, e);
                    opened = true;
                }
            }
            Kind::Text(t) => w.add_text(node, t),
            _ => {}
        }
        if opened && n.first_child != NONE {
            node = n.first_child;
            continue;
        }
        // Leave `node`, then every ancestor whose last child it was.
        let mut cur = node;
        let mut close = opened;
        loop {
            let cn = w.dom.node(cur);
            if close {
                if w.frames.last().is_some_and(|f| f.is_block) {
                    w.flush();
                }
                w.pop_frame();
            }
            if cur == root {
                break 'walk;
            }
            if cn.next != NONE {
                node = cn.next;
                break;
            }
            cur = cn.parent;
            if cur == NONE {
                break 'walk;
            }
            close = true;
        }
    }
    w.flush();
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass matcher finds exactly what a lower-cased copy searched
    /// for each part finds.
    #[test]
    fn ad_link_parts_match_as_a_lower_cased_search() {
        let hrefs = [
            "https://AMZN.to/3itnPwZ",
            "https://www.example.com/Go/offer",
            "https://shop.example/p?TAG=abc-20",
            "https://example.com/product?utm_medium=Affiliate",
            "https://example.com/news/story",
            "https://example.com/\u{e9}t\u{e9}/AFF/x",
            "https://ads.example.com/category",
            "/outlook/",
            "",
            "https://de.DoubleClick.NET/x",
        ];
        for h in hrefs {
            let lower = h.to_ascii_lowercase();
            let naive = AD_LINK_PARTS.iter().any(|p| lower.contains(p));
            assert_eq!(ad_link_parts().is_match(h), naive, "{h}");
        }
        assert!(ad_link_parts().is_match("https://AMZN.to/x"));
        assert!(!ad_link_parts().is_match("https://example.com/news/story"));
    }
    use crate::read::html::dom::parse;

    fn blocks(html: &str) -> Vec<String> {
        let x = extract(&parse(html), &Limits::default(), Options::default(), None);
        x.blocks
            .iter()
            .map(|b| x.text[b.start..b.end].to_string())
            .collect()
    }

    #[test]
    fn block_elements_and_line_breaks_cut_blocks() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <div>Intro <b>bold</b>\n  text<p>Para  one</p>tail</div>\
            <ul><li><a href=/>Home</a></li><li>News</li></ul>\
            <p>line one<br>line two</p><table><tr><td>a</td><td>b</td></tr></table></body></html>";
        assert_eq!(
            blocks(html),
            vec![
                "Intro bold text",
                "Para one",
                "tail",
                "Home",
                "News",
                "line one",
                "line two",
                "a",
                "b"
            ]
        );
    }

    #[test]
    fn invisible_content_is_skipped() {
        let html = "<body><script>var a='x';</script><noscript>Enable JS</noscript>\
            <p hidden>h1</p><p aria-hidden=\"true\">h2</p><p style=\"display: none\">h3</p>\
            <template><p>t</p></template><svg><text>s</text></svg><!-- c -->\
            <p>shown <img alt=\"ALT TEXT\" src=x> here</p><select><option>o</option></select>\
            <input type=hidden value=v></body>";
        assert_eq!(blocks(html), vec!["shown here"]);
    }

    #[test]
    fn pre_keeps_white_space_and_nbsp_is_trimmed_at_the_ends() {
        let html = "<pre>\n  a  b\n c</pre><p>\u{a0}x\u{a0} y\u{a0}</p><p>\u{a0}</p>";
        assert_eq!(blocks(html), vec!["a  b\n c", "x\u{a0} y"]);
    }

    #[test]
    fn sites_of_urls() {
        assert_eq!(
            site_of("https://www.News.example.com/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(site_of("//cdn.bbc.co.uk/x").as_deref(), Some("bbc.co.uk"));
        assert_eq!(
            site_of("http://user@spa.gov.sa:8080/").as_deref(),
            Some("spa.gov.sa")
        );
        assert_eq!(site_of("http://t.co/x").as_deref(), Some("t.co"));
        for relative in [
            "/x",
            "x.html",
            "#top",
            "mailto:a@b.c",
            "javascript:void(0)",
            "",
        ] {
            assert_eq!(site_of(relative), None, "{relative}");
        }
    }

    #[test]
    fn link_targets_by_share_of_the_block() {
        let html =
            "<head><meta name=ghirbal:url content=\"https://www.paper.example/story\"></head>\
            <p><a href=/about>About us</a></p>\
            <p><a href=\"https://other.example/\">Source</a> said so today</p>\
            <p><a rel=\"sponsored noopener\" href=\"https://shop.example/x\">Buy</a></p>\
            <p><a rel=nofollow href=\"https://amzn.to/3xyz\">Deal</a></p>\
            <p><a href=\"https://cdn.paper.example/y?tag=ab-20\">Gift</a></p>";
        let x = extract(&parse(html), &Limits::default(), Options::default(), None);
        let k: Vec<[f32; LINK_KINDS]> = x
            .blocks
            .iter()
            .map(|b| b.structure.as_deref().unwrap().link_kinds)
            .collect();
        assert_eq!(k[0], [0.0; 4]);
        assert!((k[1][0] - 6.0 / 17.0).abs() < 1e-6, "{:?}", k[1]);
        assert_eq!(&k[1][1..], &[0.0; 3]);
        assert_eq!(k[2], [1.0, 1.0, 0.0, 0.0]);
        assert_eq!(k[3], [1.0, 0.0, 1.0, 1.0]);
        // Same site (another host of it), but an affiliate tag.
        assert_eq!(k[4], [0.0, 0.0, 0.0, 1.0]);
        // The caller's URL wins over the page's own; without either, no
        // link is known to leave the site.
        let x = extract(
            &parse(html),
            &Limits::default(),
            Options::default(),
            Some("https://other.example/"),
        );
        assert_eq!(x.blocks[1].structure.as_deref().unwrap().link_kinds[0], 0.0);
        let bare = "<p><a href=\"https://other.example/\">Source</a></p>";
        let x = extract(&parse(bare), &Limits::default(), Options::default(), None);
        assert_eq!(
            x.blocks[0].structure.as_deref().unwrap().link_kinds,
            [0.0; 4]
        );
    }

    #[test]
    fn structure_of_a_block() {
        let html = "<html lang=ar dir=rtl><body><nav class=\"mainMenu top-nav\"><ul>\
            <li class=item><a href=/>الرئيسية</a></li></ul></nav>\
            <article id=story><h2><span class=headline>Title</span></h2>\
            <p>Some <a href=#>link</a> text</p></article>\
            <div role=contentinfo class=\"حقوق\">© 2025</div></body></html>";
        let x = extract(&parse(html), &Limits::default(), Options::default(), None);
        let s: Vec<&Structure> = x
            .blocks
            .iter()
            .map(|b| b.structure.as_deref().unwrap())
            .collect();
        assert_eq!(s[0].tag_path, ["body", "nav", "ul", "li"].map(Arc::from));
        assert_eq!(s[0].landmark, Some("nav"));
        assert!(s[0].is_list_item);
        assert_eq!(s[0].link_density, 1.0);
        for t in ["item", "main", "menu", "top", "nav"] {
            assert!(
                s[0].class_tokens.contains(&Arc::from(t)),
                "{t} in {:?}",
                s[0].class_tokens
            );
        }
        assert_eq!(s[0].dir_attr.as_deref(), Some("rtl"));
        assert_eq!(s[0].lang_attr.as_deref(), Some("ar"));
        assert_eq!(s[1].heading, 2);
        assert_eq!(s[1].landmark, Some("article"));
        assert_eq!(&*s[1].class_tokens[0], "headline");
        assert!(s[1].class_tokens.contains(&Arc::from("story")));
        assert!((s[2].link_density - 4.0 / 12.0).abs() < 1e-6);
        assert!(s[2].container_text_density > 0.0 && s[2].container_text_density < 1.0);
        assert_eq!(s[3].landmark, Some("footer"));
        assert!(s[3].class_tokens.contains(&Arc::from("حقوق")));
    }

    #[test]
    fn long_blocks_are_cut_and_many_blocks_truncate() {
        let limits = Limits {
            max_block_bytes: 16,
            max_blocks: 3,
            ..Limits::default()
        };
        let x = extract(
            &parse("<p>aaaa bbbb cccc dddd eeee</p><p>x</p><p>y</p>"),
            &limits,
            Options::default(),
            None,
        );
        let t: Vec<&str> = x.blocks.iter().map(|b| &x.text[b.start..b.end]).collect();
        assert_eq!(t, vec!["aaaa bbbb cccc", "dddd eeee", "x"]);
        assert!(x.truncated);
    }

    #[test]
    fn class_token_splitting() {
        let mut v = Vec::new();
        class_tokens("adSlot ad-slot__top col-md-6 x Sponsored_Box", &mut v, 99);
        assert_eq!(
            v,
            vec!["ad", "slot", "top", "col", "md", "sponsored", "box"]
        );
    }

    #[test]
    fn labels_come_from_the_nearest_labelled_ancestor() {
        let html = "<body data-ghirbal-role=chrome><p>a</p><div data-ghirbal-role=body data-ghirbal-lang=en>\
            <p>b</p><p>c <span data-ghirbal-role=ad>Sponsored words here</span></p></div></body>";
        let x = extract(&parse(html), &Limits::default(), Options::default(), None);
        let l: Vec<_> = x
            .labels
            .iter()
            .map(|(r, l)| (r.as_deref(), l.as_deref()))
            .collect();
        assert_eq!(
            l,
            vec![
                (Some("chrome"), None),
                (Some("body"), Some("en")),
                (Some("ad"), Some("en"))
            ]
        );
    }

    #[test]
    fn head_metadata() {
        let html = "<head><meta name=ghirbal:url content=\"https://a.example/x\"><link rel=canonical href=\"https://b.example/\"></head><p>x";
        let x = extract(&parse(html), &Limits::default(), Options::default(), None);
        assert_eq!(x.head.url.as_deref(), Some("https://a.example/x"));
    }

    #[test]
    fn title_and_date_come_from_each_source_in_order() {
        let meta = |html: &str| {
            let dom = crate::read::html::dom::parse(html);
            let x = extract(&dom, &Limits::default(), Options::default(), None);
            metadata(&dom, &x.head)
        };
        let all = "<head><title> Oil\n prices </title><meta property=og:title content=OG>\
                   <meta property=article:published_time content=2025-03-06T08:00:00Z></head>\
                   <body><h1>Headline</h1><time datetime=2020-01-01>then</time><p>x";
        let m = meta(all);
        assert_eq!(m.title.as_deref(), Some("Oil prices"));
        assert_eq!(m.date.as_deref(), Some("2025-03-06T08:00:00Z"));
        let m = meta("<meta property=og:title content=' OG  title '><h1>H</h1><p>x");
        assert_eq!(m.title.as_deref(), Some("OG title"));
        assert_eq!(m.date, None);
        let m = meta("<title>  </title><h1>Red <b>Sea</b> <script>x()</script>news</h1><p>Hi <time datetime=' 2024-05-01 '>May</time>");
        assert_eq!(m.title.as_deref(), Some("Red Sea news"));
        assert_eq!(m.date.as_deref(), Some("2024-05-01"));
        // An SVG title is not the page's.
        assert_eq!(meta("<svg><title>icon</title></svg><p>x").title, None);
        let long = format!("<title>{}</title>", "word ".repeat(100_000));
        assert!(meta(&long).title.unwrap().chars().count() <= MAX_TITLE_CHARS);
    }
}
