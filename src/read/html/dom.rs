//! Parsing: decoded HTML text to a flat document tree, with ghirbal's
//! tokenizer and html5ever's tree builder.
//!
//! In: the decoded text of one document, made an [`Input`] (which the
//! tree's text nodes share, so the text need not be kept beside it, and
//! which can be parsed twice). Out: a [`Dom`], an arena of nodes
//! (elements, text, comments) linked by index, in document order — built by
//! the spec's tokenizer ([`super::tokenizer`], written from the WHATWG
//! specification) feeding html5ever's spec-conformant tree builder, so
//! broken markup ends up as a browser would build it. The tree builder
//! tells the tokenizer when to read raw text (`<script>`, `<style>`,
//! `<title>` …) and whether `<![CDATA[` opens a CDATA section (only in SVG
//! and MathML). html5ever's own tokenizer stays as the reference
//! ([`parse_reference_with`]) that the tests, the differential fuzz target
//! and `benches/parse.rs` compare trees with.
//!
//! Two guards keep the time linear in the input however hostile it is:
//! - the tree builder scans its stack of open elements on many tags, so a
//!   document nested a million deep would cost a trillion steps. Like
//!   Chromium (which stops nesting at 512), the parser stops nesting at
//!   [`MAX_DEPTH`]: start tags past it are dropped (their end tags too) and
//!   their content flows into the deepest element;
//! - each attribute of a tag is checked against the ones before it (the
//!   first of a name wins), so a tag with a million distinct attributes
//!   would be quadratic; attributes past [`MAX_ATTRIBUTES`] in one tag are
//!   dropped as the tokenizer reads them (the reference cuts them from the
//!   text before parsing, [`cap_attributes`]).
//!
//! The arena is a `Vec`: no `Rc` cycles, no recursive drop, and every walk
//! over it is a loop; neither tokenizer nor tree builder recurses.
//!
//! `data-ghirbal-role` and `data-ghirbal-lang` attributes (labels in training
//! pages) are taken off the elements as they are created and kept apart, so
//! nothing that reads attributes can see them.

use super::tokenizer;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElemName, ElementFlags, NodeOrText, QuirksMode, Tracer, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{local_name, Attribute, LocalName, Namespace, QualName};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// Deepest element nesting the parser builds (see the module docs).
pub const MAX_DEPTH: usize = 256;

/// Most attributes kept on one tag (see the module docs).
pub const MAX_ATTRIBUTES: usize = 256;

/// Index of a node in a [`Dom`].
pub type NodeId = u32;

/// "No node".
pub const NONE: NodeId = u32::MAX;

/// What a node is: elements and texts by index into the [`Dom`]'s lists of
/// them, so that a node is 28 bytes (a huge page has nearly a million).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Data {
    Document,
    /// The doctype's name (in `texts`), kept for `Debug` output.
    Doctype(#[allow(dead_code)] u32),
    Element(u32),
    Text(u32),
    Comment,
    /// The contents of a `<template>`, outside the main tree.
    Fragment,
}

/// What a node is, read through [`Dom::kind`].
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    Document,
    Doctype,
    Element(&'a Element),
    Text(&'a StrTendril),
    Comment,
    Fragment,
}

/// An element and its attributes. Kept small (56 bytes), since a huge page
/// has hundreds of thousands: attributes boxed to their number, labels
/// (rare) behind one pointer.
#[derive(Debug, PartialEq)]
pub struct Element {
    pub name: QualName,
    pub attrs: Box<[Attribute]>,
    labels: Option<Box<Labels>>,
    template: NodeId,
    mathml_integration: bool,
}

/// The ghirbal labels of an element, taken off its attributes.
#[derive(Debug, Default, PartialEq)]
struct Labels {
    role: Option<StrTendril>,
    lang: Option<StrTendril>,
}

impl Element {
    /// `data-ghirbal-role`, taken off the attributes.
    pub fn role_label(&self) -> Option<&StrTendril> {
        self.labels.as_ref()?.role.as_ref()
    }

    /// `data-ghirbal-lang`, taken off the attributes.
    pub fn lang_label(&self) -> Option<&StrTendril> {
        self.labels.as_ref()?.lang.as_ref()
    }

    /// The value of an attribute without a namespace.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.ns == html5ever::ns!() && &*a.name.local == name)
            .map(|a| &*a.value)
    }

    /// The local name (`div`, `p`, …); elements outside the HTML namespace
    /// (SVG, MathML) are recognised by [`Element::is_html`].
    pub fn local(&self) -> &LocalName {
        &self.name.local
    }

    pub fn is_html(&self) -> bool {
        self.name.ns == html5ever::ns!(html)
    }
}

/// One node and its links.
#[derive(Debug, PartialEq)]
pub struct Node {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub prev: NodeId,
    pub next: NodeId,
    data: Data,
}

impl Node {
    fn new(data: Data) -> Node {
        Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
        }
    }
}

/// A parsed document: node 0 is the document node.
#[derive(Debug)]
// The guards' counts and the quirks mode are what a `Debug` print of a
// document shows, and what the tests check; the pipeline reads only nodes.
#[allow(dead_code)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Every element, in the order they were made.
    pub elements: Vec<Element>,
    /// Text nodes' texts and doctype names.
    texts: Vec<StrTendril>,
    pub quirks: QuirksMode,
    /// Start tags dropped by the depth guard.
    pub dropped_tags: usize,
    /// Attributes cut by the attribute guard.
    pub cut_attributes: bool,
}

impl Dom {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// What a node is.
    pub fn kind(&self, id: NodeId) -> Kind<'_> {
        match self.node(id).data {
            Data::Document => Kind::Document,
            Data::Doctype(_) => Kind::Doctype,
            Data::Element(e) => Kind::Element(&self.elements[e as usize]),
            Data::Text(t) => Kind::Text(&self.texts[t as usize]),
            Data::Comment => Kind::Comment,
            Data::Fragment => Kind::Fragment,
        }
    }

    /// The element a node is, if it is one.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match self.node(id).data {
            Data::Element(e) => Some(&self.elements[e as usize]),
            _ => None,
        }
    }

    /// The same tree as `other`: every node, element (name, attributes,
    /// labels), text and the quirks mode; not the guards' counts.
    pub fn same_tree(&self, other: &Dom) -> bool {
        self.nodes == other.nodes
            && self.elements == other.elements
            && self.texts == other.texts
            && self.quirks == other.quirks
    }

    /// The `<html>` element, if the document has one.
    pub fn root_element(&self) -> Option<NodeId> {
        self.children(0).find(|&c| self.element(c).is_some())
    }

    /// The children of a node, in order.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut c = self.node(id).first_child;
        std::iter::from_fn(move || {
            if c == NONE {
                return None;
            }
            let cur = c;
            c = self.node(c).next;
            Some(cur)
        })
    }
}

/// Parse a decoded HTML document as a browser with scripting on (the
/// pipeline parses an [`Input`], which it may parse twice).
#[cfg(test)]
pub fn parse(text: &str) -> Dom {
    parse_input(&Input::new(text), true)
}

/// `parse_input` on a text: the parser as the benchmark and the fuzz
/// target call it.
pub fn parse_with(text: &str, scripting: bool) -> Dom {
    parse_input(&Input::new(text), scripting)
}

/// A decoded document as the tokenizer reads it: one tendril of the text
/// after the spec's input preprocessing (leading BOM dropped, CR LF and CR
/// made LF). Text nodes and attribute values are slices of its buffer, so
/// it is the one copy of the document a parse needs, and can be parsed
/// again: the decoded `String` need not be kept beside it.
pub struct Input {
    text: StrTendril,
}

impl Input {
    pub fn new(text: &str) -> Input {
        Input {
            text: StrTendril::from_slice(&tokenizer::preprocess(text)),
        }
    }
}

/// Parse an [`Input`] with scripting on (`<noscript>` holds raw text) or off
/// (markup).
pub fn parse_input(input: &Input, scripting: bool) -> Dom {
    let guard = DepthGuard::new(scripting);
    let stats = tokenizer::tokenize(&input.text, &guard);
    guard.into_dom(stats.cut_attributes)
}

/// The parse with html5ever's own tokenizer in place of ghirbal's, the
/// parser before `super::tokenizer`: the reference the tests, the
/// differential fuzz target and the parse benchmark hold the parser to.
/// Attributes past `MAX_ATTRIBUTES` are cut by a scan of the text before
/// parsing (`cap_attributes`).
pub fn parse_reference_with(text: &str, scripting: bool) -> Dom {
    let (text, cut_attributes) = match cap_attributes(text) {
        Cow::Borrowed(t) => (Cow::Borrowed(t), false),
        Cow::Owned(t) => (Cow::Owned(t), true),
    };
    let tok = Tokenizer::new(DepthGuard::new(scripting), TokenizerOpts::default());
    let queue = BufferQueue::default();
    // Fed in pieces of 1 MiB, as the parser was.
    const CHUNK: usize = 1 << 20;
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + CHUNK).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        queue.push_back(StrTendril::from_slice(&text[start..end]));
        while !matches!(tok.feed(&queue), html5ever::TokenizerResult::Done) {}
        start = end;
    }
    tok.end();
    tok.sink.into_dom(cut_attributes)
}

/// The tree sink: builds the arena.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    elements: RefCell<Vec<Element>>,
    texts: RefCell<Vec<StrTendril>>,
    quirks: Cell<QuirksMode>,
}

impl Default for Sink {
    fn default() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node::new(Data::Document)]),
            elements: RefCell::new(Vec::new()),
            texts: RefCell::new(Vec::new()),
            quirks: Cell::new(QuirksMode::NoQuirks),
        }
    }
}

/// An owned element name: the tree builder holds names while it calls the
/// sink again, so they cannot borrow the arena.
#[derive(Debug)]
pub struct OwnedName {
    ns: Namespace,
    local: LocalName,
}

impl ElemName for OwnedName {
    fn ns(&self) -> &Namespace {
        &self.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

impl Sink {
    fn push(&self, data: Data) -> NodeId {
        let mut n = self.nodes.borrow_mut();
        n.push(Node::new(data));
        (n.len() - 1) as NodeId
    }

    /// Keep a text (or doctype name); its index.
    fn keep_text(&self, t: StrTendril) -> u32 {
        let mut texts = self.texts.borrow_mut();
        texts.push(t);
        (texts.len() - 1) as u32
    }

    /// A new text node (unlinked) in `nodes`, the borrowed arena.
    fn push_text(&self, nodes: &mut Vec<Node>, t: StrTendril) -> NodeId {
        let text = self.keep_text(t);
        nodes.push(Node::new(Data::Text(text)));
        (nodes.len() - 1) as NodeId
    }

    /// Add `t` to the text node `id`, if it is one.
    fn extend_text(&self, nodes: &[Node], id: NodeId, t: &StrTendril) -> bool {
        match nodes[id as usize].data {
            Data::Text(s) => {
                self.texts.borrow_mut()[s as usize].push_tendril(t);
                true
            }
            _ => false,
        }
    }

    /// The element node `id` is, if it is one.
    fn element_index(&self, id: NodeId) -> Option<usize> {
        match self.nodes.borrow()[id as usize].data {
            Data::Element(e) => Some(e as usize),
            _ => None,
        }
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        let (parent, prev, next) = {
            let n = &nodes[id as usize];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            nodes[prev as usize].next = next;
        } else {
            nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            nodes[next as usize].prev = prev;
        } else {
            nodes[parent as usize].last_child = prev;
        }
        let n = &mut nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn link_last(nodes: &mut [Node], parent: NodeId, id: NodeId) {
        Sink::detach(nodes, id);
        let last = nodes[parent as usize].last_child;
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = last;
        }
        if last != NONE {
            nodes[last as usize].next = id;
        } else {
            nodes[parent as usize].first_child = id;
        }
        nodes[parent as usize].last_child = id;
    }

    fn link_before(nodes: &mut [Node], sibling: NodeId, id: NodeId) {
        Sink::detach(nodes, id);
        let (parent, prev) = {
            let s = &nodes[sibling as usize];
            (s.parent, s.prev)
        };
        if parent == NONE {
            return;
        }
        {
            let n = &mut nodes[id as usize];
            n.parent = parent;
            n.prev = prev;
            n.next = sibling;
        }
        nodes[sibling as usize].prev = id;
        if prev != NONE {
            nodes[prev as usize].next = id;
        } else {
            nodes[parent as usize].first_child = id;
        }
    }
}

/// Take the ghirbal labels off an attribute list.
fn take_labels(attrs: &mut Vec<Attribute>) -> Option<Box<Labels>> {
    let mut labels = Labels::default();
    attrs.retain(|a| match &*a.name.local {
        "data-ghirbal-role" => {
            labels.role = Some(a.value.clone());
            false
        }
        "data-ghirbal-lang" => {
            labels.lang = Some(a.value.clone());
            false
        }
        _ => true,
    });
    (labels.role.is_some() || labels.lang.is_some()).then(|| Box::new(labels))
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Sink;
    type ElemName<'a> = OwnedName;

    fn finish(self) -> Sink {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> OwnedName {
        match self.element_index(*target) {
            Some(i) => {
                let e = &self.elements.borrow()[i];
                OwnedName {
                    ns: e.name.ns.clone(),
                    local: e.name.local.clone(),
                }
            }
            // The tree builder asks only about elements.
            _ => OwnedName {
                ns: html5ever::ns!(),
                local: local_name!(""),
            },
        }
    }

    fn create_element(
        &self,
        name: QualName,
        mut attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> NodeId {
        let labels = take_labels(&mut attrs);
        let template = if flags.template {
            self.push(Data::Fragment)
        } else {
            NONE
        };
        let index = {
            let mut elements = self.elements.borrow_mut();
            elements.push(Element {
                name,
                attrs: attrs.into_boxed_slice(),
                labels,
                template,
                mathml_integration: flags.mathml_annotation_xml_integration_point,
            });
            (elements.len() - 1) as u32
        };
        self.push(Data::Element(index))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Data::Comment)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Data::Comment)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(id) => {
                Sink::link_last(&mut self.nodes.borrow_mut(), *parent, id)
            }
            NodeOrText::AppendText(t) => {
                let mut nodes = self.nodes.borrow_mut();
                let last = nodes[*parent as usize].last_child;
                if last != NONE && self.extend_text(&nodes, last, &t) {
                    return;
                }
                let id = self.push_text(&mut nodes, t);
                Sink::link_last(&mut nodes, *parent, id);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        _public_id: StrTendril,
        _system_id: StrTendril,
    ) {
        let name = self.keep_text(name);
        let id = self.push(Data::Doctype(name));
        Sink::link_last(&mut self.nodes.borrow_mut(), 0, id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        match self.element_index(*target) {
            Some(i) if self.elements.borrow()[i].template != NONE => {
                self.elements.borrow()[i].template
            }
            _ => *target,
        }
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.quirks.set(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(id) => Sink::link_before(&mut nodes, *sibling, id),
            NodeOrText::AppendText(t) => {
                let prev = nodes[*sibling as usize].prev;
                if prev != NONE && self.extend_text(&nodes, prev, &t) {
                    return;
                }
                let id = self.push_text(&mut nodes, t);
                Sink::link_before(&mut nodes, *sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, mut attrs: Vec<Attribute>) {
        let labels = take_labels(&mut attrs);
        if let Some(i) = self.element_index(*target) {
            let e = &mut self.elements.borrow_mut()[i];
            let mut all = std::mem::take(&mut e.attrs).into_vec();
            for a in attrs {
                if !all.iter().any(|x| x.name == a.name) {
                    all.push(a);
                }
            }
            e.attrs = all.into_boxed_slice();
            if let Some(new) = labels {
                let old = e.labels.get_or_insert_with(Box::default);
                old.role = old.role.take().or(new.role);
                old.lang = old.lang.take().or(new.lang);
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Sink::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let mut c = nodes[*node as usize].first_child;
        while c != NONE {
            let next = nodes[c as usize].next;
            Sink::link_last(&mut nodes, *new_parent, c);
            c = next;
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.element_index(*handle)
            .is_some_and(|i| self.elements.borrow()[i].mathml_integration)
    }
}

/// Counts the handles the tree builder holds: its open elements and active
/// formatting elements, the two lists it scans.
struct Count(Cell<usize>);

impl Tracer for Count {
    type Handle = NodeId;
    fn trace_handle(&self, _node: &NodeId) {
        self.0.set(self.0.get() + 1);
    }
}

/// Sits between tokenizer and tree builder and drops start tags that would
/// nest deeper than [`MAX_DEPTH`].
struct DepthGuard {
    tb: TreeBuilder<NodeId, Sink>,
    /// With scripting on, `<noscript>` holds raw text and never nests.
    scripting: bool,
    /// Per tag name: start tags dropped whose end tags are still to come.
    dropped: RefCell<HashMap<LocalName, usize>>,
    dropped_total: Cell<usize>,
}

/// Elements that never nest (void) or hold only raw text: never dropped,
/// since dropping a `<script>` would turn its code into visible text.
fn is_leaf(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

impl DepthGuard {
    fn new(scripting: bool) -> DepthGuard {
        let tb = TreeBuilder::new(
            Sink::default(),
            TreeBuilderOpts {
                scripting_enabled: scripting,
                ..TreeBuilderOpts::default()
            },
        );
        DepthGuard {
            tb,
            scripting,
            dropped: RefCell::new(HashMap::new()),
            dropped_total: Cell::new(0),
        }
    }

    /// The document built; `cut_attributes` if attributes were cut.
    fn into_dom(self, cut_attributes: bool) -> Dom {
        let dropped_tags = self.dropped_total.get();
        let sink = self.tb.sink;
        Dom {
            nodes: sink.nodes.into_inner(),
            elements: sink.elements.into_inner(),
            texts: sink.texts.into_inner(),
            quirks: sink.quirks.get(),
            dropped_tags,
            cut_attributes,
        }
    }

    fn never_dropped(&self, name: &LocalName) -> bool {
        is_leaf(name) && (self.scripting || &**name != "noscript")
    }
}

impl TokenSink for DepthGuard {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        if let TagToken(tag) = &token {
            if tag.kind == StartTag {
                if !self.never_dropped(&tag.name) {
                    let held = Count(Cell::new(0));
                    self.tb.trace_handles(&held);
                    if held.0.get() > MAX_DEPTH {
                        *self
                            .dropped
                            .borrow_mut()
                            .entry(tag.name.clone())
                            .or_default() += 1;
                        self.dropped_total.set(self.dropped_total.get() + 1);
                        return TokenSinkResult::Continue;
                    }
                }
            } else {
                let mut d = self.dropped.borrow_mut();
                if let Some(n) = d.get_mut(&tag.name) {
                    *n -= 1;
                    if *n == 0 {
                        d.remove(&tag.name);
                    }
                    return TokenSinkResult::Continue;
                }
            }
        }
        self.tb.process_token(token, line_number)
    }

    fn end(&self) {
        self.tb.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.tb
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Elements whose content the tokenizer reads as raw text up to their end tag.
fn raw_text_end(name: &[u8]) -> Option<&'static [u8]> {
    const RAW: &[&[u8]] = &[
        b"script",
        b"style",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
        b"noscript",
        b"textarea",
        b"title",
    ];
    RAW.iter().copied().find(|r| r.eq_ignore_ascii_case(name))
}

/// Cut attributes past [`MAX_ATTRIBUTES`] out of every tag. A light scan that
/// follows the tokenizer's main states (tags, quoted values, comments, raw
/// text); the text is returned unchanged (borrowed) when nothing is cut.
pub fn cap_attributes(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        i += k + 1;
        if b[i..].starts_with(b"!--") {
            match memchr::memmem::find(&b[i + 3..], b"-->") {
                Some(k) => i += 3 + k + 3,
                None => break,
            }
            continue;
        }
        let end_tag = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(end_tag);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            if matches!(b.get(i), Some(b'!' | b'?')) {
                match memchr::memchr(b'>', &b[i..]) {
                    Some(k) => i += k + 1,
                    None => break,
                }
            }
            continue;
        }
        i = name_start;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &b[name_start..i];
        let mut count = 0usize;
        let mut cut_from = None;
        loop {
            while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let attr_start = i;
            i += 1; // the first character of a name may be '='
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && is_space(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        j = match memchr::memchr(q, &b[j + 1..]) {
                            Some(k) => j + 1 + k + 1,
                            None => b.len(),
                        };
                    }
                    _ => {
                        while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                            j += 1;
                        }
                    }
                }
                i = j;
            }
            count += 1;
            if count == MAX_ATTRIBUTES + 1 {
                cut_from = Some(attr_start);
            }
        }
        if let Some(from) = cut_from {
            cuts.push((from, i.min(b.len())));
        }
        if i >= b.len() {
            break;
        }
        i += 1;
        if end_tag {
            continue;
        }
        if name.eq_ignore_ascii_case(b"plaintext") {
            break;
        }
        if let Some(raw) = raw_text_end(name) {
            // Skip to the matching end tag, case-insensitively.
            let mut found = None;
            let mut p = i;
            while let Some(k) = memchr::memmem::find(&b[p..], b"</") {
                let s = p + k + 2;
                if b.len() >= s + raw.len() && b[s..s + raw.len()].eq_ignore_ascii_case(raw) {
                    found = Some(p + k);
                    break;
                }
                p = s;
            }
            match found {
                Some(f) => i = f,
                None => break,
            }
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (a, e) in cuts {
        // Both ends sit on ASCII bytes, so they are character boundaries.
        out.push_str(&text[pos..a]);
        pos = e;
    }
    out.push_str(&text[pos..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(dom: &Dom) -> Vec<String> {
        (0..dom.nodes.len() as NodeId)
            .filter_map(|n| dom.element(n).map(|e| e.local().to_string()))
            .collect()
    }

    /// Both trees of `html`, scripting on and off, must be the reference's.
    #[track_caller]
    fn same_as_reference(html: &str) {
        for scripting in [true, false] {
            let (new, reference) = (
                parse_with(html, scripting),
                parse_reference_with(html, scripting),
            );
            assert!(
                new.same_tree(&reference),
                "{html:?}, scripting {scripting}:\n{new:#?}\n{reference:#?}"
            );
        }
    }

    /// Corners where the tokenizer hangs on the tree builder or on the spec's
    /// input rules: the tree must be the reference's.
    #[test]
    fn the_tokenizer_builds_the_tree_html5ever_builds() {
        let cases = [
            "<title>a <b>x</b> &amp; y</title><p>z",
            "<script>if (a < b) { x = '</div>'; }</script><p>t",
            "<script><!--<script>x</script>-->y</script>z",
            "<style>p > a { color: red }</style><textarea>\n<i>raw</i></textarea>",
            "<noscript><p>shown without scripts</p></noscript>",
            "<xmp><b></xmp><iframe><b></iframe><noembed><b></noembed>",
            "<p>a<plaintext></plaintext><b>rest",
            "<svg><![CDATA[<b>in svg</b>]]></svg><p><![CDATA[bogus]]>x",
            "<math><mi><![CDATA[x]]></mi><annotation-xml encoding=text/html><p>h</p></annotation-xml></math>",
            "<svg><foreignObject><![CDATA[html here]]></foreignObject><title><b>t</title></svg>",
            "\u{FEFF}<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>a\r\nb\rc",
            "<!DOCTYPE><p>quirks</p>",
            "a\0b<p>\0</p><svg>\0</svg><script>\0</script>",
            "<a href=1 href=2 HREF=3 title='&lt;&#x41;&notanentity;'>x</a>&copy &amp &#128512;",
            "<table><tr><td>1<td>2</table>stray</td></tr>text<b><i>mis</b>nested</i>",
            "<template><td>in template</td></template><select><option>a<option>b</select>",
            "<pre>\nfirst line</pre><!-- comment --><!--> <!---> <? pi ?><!bogus>",
            "<div data-ghirbal-role=nav data-ghirbal-lang=en>x</div></p></br>",
            "<body a=1><body b=2><html lang=ar><p>merged",
            "</title><title><script></title></script>",
            "<a <b c=\"d\"e>f</a ></a x=y><a/b>",
        ];
        for html in cases {
            same_as_reference(html);
        }
    }

    #[test]
    fn broken_markup_is_repaired_like_a_browser() {
        let dom = parse("<p>one<p>two<div>three</p><table><tr><td>x</table>");
        let t = tags(&dom);
        assert!(t.starts_with(&["html".into(), "head".into(), "body".into()]));
        assert_eq!(t.iter().filter(|n| *n == "p").count(), 3); // the stray </p> makes an empty p
        assert!(t.contains(&"tbody".to_string()));
    }

    #[test]
    fn elements_stay_small() {
        assert!(std::mem::size_of::<Element>() <= 56);
        assert!(std::mem::size_of::<Node>() <= 48);
    }

    #[test]
    fn labels_are_taken_off_the_attributes() {
        let dom = parse("<div class=x data-ghirbal-role=nav data-ghirbal-lang=en>a</div>");
        let e = dom.elements.iter().find(|e| &**e.local() == "div").unwrap();
        assert_eq!(e.attrs.len(), 1);
        assert_eq!(e.role_label().map(|t| &**t), Some("nav"));
        assert_eq!(e.lang_label().map(|t| &**t), Some("en"));
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        let n = 2000;
        let html = "<div>".repeat(n) + "deep" + &"</div>".repeat(n) + "<p>after</p>";
        let dom = parse(&html);
        assert!(dom.dropped_tags >= n - MAX_DEPTH);
        // The paragraph after the deep part is still a child of body.
        let p = (0..dom.nodes.len() as NodeId)
            .find(|&n| dom.element(n).is_some_and(|e| &**e.local() == "p"))
            .unwrap();
        let parent = dom.element(dom.node(p).parent).unwrap();
        assert_eq!(&**parent.local(), "body");
    }

    #[test]
    fn scripts_past_the_depth_limit_stay_scripts() {
        let html = "<div>".repeat(400) + "<script>var x = '<b>no</b>';</script>";
        let dom = parse(&html);
        assert!(!dom.elements.iter().any(|x| &**x.local() == "b"));
    }

    #[test]
    fn attribute_bombs_are_cut() {
        let mut t = String::from("<div ");
        for i in 0..1000 {
            t.push_str(&format!("a{i}=\"v>\" "));
        }
        t.push_str(">text</div><script>x = '<i a b c>'</script>");
        let capped = cap_attributes(&t);
        assert!(capped.len() < t.len());
        assert!(capped.ends_with(">text</div><script>x = '<i a b c>'</script>"));
        let dom = parse(&t);
        let div = dom.elements.iter().find(|e| &**e.local() == "div").unwrap();
        assert_eq!(div.attrs.len(), MAX_ATTRIBUTES);
        assert!(dom.cut_attributes);
        assert!(matches!(cap_attributes("<p a=1>x</p>"), Cow::Borrowed(_)));
    }
}
