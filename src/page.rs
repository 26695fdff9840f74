//! Pages and blocks: the shared currency of every pipeline stage.
//!
//! In: nothing (plain data types). Out: [`Page`], a decoded document with its
//! [`Block`]s; every input reader (text, JSON Lines, and later HTML/WARC/WET)
//! produces a `Page`, and every later stage reads one.

use std::sync::Arc;

/// What kind of input a page came from; features that only exist for one kind
/// (HTML structure) are absent for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Text,
    Html,
}

/// One decoded document.
#[derive(Debug, Clone)]
pub struct Page {
    /// File path or record id, copied to the output.
    pub id: String,
    /// Target URI when the input carries one.
    pub url: Option<String>,
    /// The decoded text; block offsets index into it.
    pub text: String,
    /// Blocks in reading order, non-overlapping, each a non-empty slice of `text`.
    pub blocks: Vec<Block>,
    pub kind: PageKind,
    /// Maps offsets in `text` back to offsets in the original input bytes.
    pub offsets: OffsetMap,
    /// The character encoding the input bytes were decoded from (its WHATWG
    /// name, e.g. `UTF-8`, `windows-1256`); `None` when the input was text
    /// already (a JSON Lines `text` field).
    pub encoding: Option<&'static str>,
    /// Some input bytes were not valid in that encoding and were replaced by U+FFFD.
    pub lossy: bool,
    /// The input was longer than the page-size limit and was cut.
    pub truncated: bool,
    /// The page's title, when its markup gives one (HTML pages).
    pub title: Option<String>,
    /// The page's publication date as its markup gives it (HTML pages);
    /// a record's capture date is not here but in [`crate::read::input::Record`].
    pub date: Option<String>,
}

impl Page {
    /// A page whose text is already Unicode (offsets are the text's own),
    /// not lossy and not truncated; readers that decoded bytes set
    /// `offsets`, `lossy` and `truncated` themselves.
    pub fn new(
        id: String,
        url: Option<String>,
        text: String,
        blocks: Vec<Block>,
        kind: PageKind,
    ) -> Page {
        Page {
            id,
            url,
            text,
            blocks,
            kind,
            offsets: OffsetMap::identity(),
            encoding: None,
            lossy: false,
            truncated: false,
            title: None,
            date: None,
        }
    }

    /// The text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        let b = &self.blocks[i];
        &self.text[b.start..b.end]
    }

    /// Iterate over `(block, text)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&Block, &str)> {
        self.blocks.iter().map(|b| (b, &self.text[b.start..b.end]))
    }
}

/// A block: the smallest unit that carries one role.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Byte offset of the first character in [`Page::text`].
    pub start: usize,
    /// Byte offset one past the last character in [`Page::text`].
    pub end: usize,
    /// Number of raw lines the block spans.
    pub lines: u32,
    /// Markup context, for blocks read from HTML.
    pub structure: Option<Box<Structure>>,
}

impl Block {
    pub fn new(start: usize, end: usize, lines: u32) -> Block {
        Block {
            start,
            end,
            lines,
            structure: None,
        }
    }
}

/// Where an HTML block sits in its document; turned into structural features.
///
/// Names and tokens are shared [`Arc<str>`]s: a page's blocks repeat the same
/// few tag names and class tokens, so each is stored once per page and a
/// block holds only references (`&*t` or `t.as_ref()` reads one as a `&str`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    /// Tag names from the root to the block element, e.g. `["body","div","ul","li"]`.
    pub tag_path: Vec<Arc<str>>,
    /// Nearest landmark ancestor (`nav`, `header`, `footer`, `aside`, `main`, `article`, `form`).
    pub landmark: Option<&'static str>,
    /// Lower-cased `class`/`id` tokens of the element and its ancestors.
    pub class_tokens: Vec<Arc<str>>,
    /// Characters inside `<a>` over characters of the block.
    pub link_density: f32,
    /// The same for links of each kind of target (to another site; `rel`
    /// sponsored; `rel` nofollow or ugc; an ad or affiliate address), in
    /// this order.
    pub link_kinds: [f32; 4],
    /// 1–6 for headings, 0 otherwise.
    pub heading: u8,
    pub is_list_item: bool,
    pub is_table_cell: bool,
    /// The element's (inherited) `dir` attribute, lower-cased.
    pub dir_attr: Option<Arc<str>>,
    /// The element's (inherited) `lang` attribute, lower-cased.
    pub lang_attr: Option<Arc<str>>,
    /// Text characters over markup characters of the enclosing container.
    pub container_text_density: f32,
    /// The elements enclosing the block's element, nearest first (any
    /// number that names one element of the page; [`NO_ANCESTOR`] past the
    /// root): blocks under one ancestor share it, so the page's prose can be
    /// counted per container.
    pub ancestors: [u32; ANCESTORS],
}

/// Ancestors kept per block in [`Structure::ancestors`].
pub const ANCESTORS: usize = 5;

/// No ancestor at that level.
pub const NO_ANCESTOR: u32 = u32::MAX;

/// Limits that keep the work per record bounded on hostile input; all
/// configurable on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of one page read at most; the rest is not read and the page is
    /// flagged `truncated`.
    pub max_page_bytes: usize,
    /// A longer block is cut into pieces at whitespace (or anywhere, if it has
    /// none) of at most this many bytes; nothing is dropped.
    pub max_block_bytes: usize,
    /// Blocks beyond this many are not produced; the page is flagged `truncated`.
    pub max_blocks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_page_bytes: 32 * 1024 * 1024,
            max_block_bytes: 64 * 1024,
            max_blocks: 50_000,
        }
    }
}

/// Sorted anchor points `(decoded, original)`: at each anchor the two offsets
/// are known to correspond, and between anchors both advance together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OffsetMap {
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The identity map (the text is the input bytes).
    pub fn identity() -> OffsetMap {
        OffsetMap::default()
    }

    /// Add an anchor; anchors must be pushed in increasing order.
    pub fn push(&mut self, decoded: usize, original: usize) {
        self.anchors.push((decoded, original));
    }

    /// The original-input offset of a decoded-text offset.
    pub fn original(&self, decoded: usize) -> usize {
        let i = self.anchors.partition_point(|&(d, _)| d <= decoded);
        if i == 0 {
            return decoded;
        }
        let (d, o) = self.anchors[i - 1];
        o + (decoded - d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_map_interpolates_between_anchors() {
        let mut m = OffsetMap::identity();
        assert_eq!(m.original(7), 7);
        m.push(3, 3); // U+FFFD (3 bytes) stands for 1 invalid byte
        m.push(6, 4);
        assert_eq!(m.original(2), 2);
        assert_eq!(m.original(3), 3);
        assert_eq!(m.original(6), 4);
        assert_eq!(m.original(10), 8);
    }
}
