//! Tokenizing: decoded HTML text to the tokens html5ever's tree builder takes.
//!
//! In: the decoded text of one document and a [`TokenSink`] (the tree
//! builder, behind the depth guard). Out: the same tokens html5ever's own
//! tokenizer would hand that sink, in the same order, with the same tag names,
//! attributes, doctypes, character data and state changes the tree builder
//! asks for (raw text after `<script>`, `<style>`, `<title>` …).
//!
//! It is a port of html5ever's tokenizer state machine (which follows the
//! WHATWG tokenizer) that reads one `&str` by byte offset instead of a queue
//! of tendrils char by char: runs of text, tag names and attribute values are
//! found with byte scans and handed over as slices of one shared buffer, not
//! built up a character at a time. The behaviour kept from html5ever, down to
//! its quirks:
//! - newlines are normalised first (CR LF and CR become LF), as html5ever does
//!   on the fly;
//! - a U+FEFF is dropped where html5ever's `feed` drops one: at the start of
//!   each 1 MiB slice the document is fed in (see [`FEED_CHUNK`]) and right
//!   after a tag for which the tree builder returned control to the caller
//!   (`</script>`, `<meta charset>` in `<head>`);
//! - character references, doctypes, comments, CDATA and the script-data
//!   escape states follow html5ever's code path by path;
//! - comments are handed over empty: the document tree keeps no comment text.
//!
//! Character tokens may be cut at other places than html5ever cuts them. The
//! tree builder's result does not depend on that, except in frameset
//! documents, where html5ever keeps only the white space at the start of each
//! character token it gets (white space there is never visible text).

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{
    self, AttrValueKind, DoctypeIdKind, RawKind, ScriptEscapeKind, State,
};
use html5ever::tokenizer::{
    Doctype, EndTag, StartTag, Tag, TagKind, Token, TokenSink, TokenSinkResult,
};
use html5ever::{ns, Attribute, LocalName, QualName};
use std::borrow::Cow;

/// The size of the slices [`super::dom`] fed html5ever's tokenizer; a U+FEFF
/// at the start of one was dropped, and still is.
pub const FEED_CHUNK: usize = 1 << 20;

/// Normalise newlines and drop the U+FEFF characters html5ever's `feed`
/// would drop at the start of each fed slice.
fn prepare(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut chunk_boms = Vec::new();
    let mut start = 0;
    while start < text.len() {
        if text[start..].starts_with('\u{feff}') {
            chunk_boms.push(start);
        }
        let mut end = (start + FEED_CHUNK).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        start = end;
    }
    let has_cr = memchr::memchr(b'\r', b).is_some();
    if chunk_boms.is_empty() && !has_cr {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for &bom in &chunk_boms {
        out.push_str(&text[pos..bom]);
        pos = bom + '\u{feff}'.len_utf8();
    }
    out.push_str(&text[pos..]);
    if !has_cr {
        return Cow::Owned(out);
    }
    let mut norm = String::with_capacity(out.len());
    let ob = out.as_bytes();
    let mut pos = 0;
    while let Some(k) = memchr::memchr(b'\r', &ob[pos..]) {
        let cr = pos + k;
        norm.push_str(&out[pos..cr]);
        norm.push('\n');
        pos = cr + 1;
        if ob.get(pos) == Some(&b'\n') {
            pos += 1;
        }
    }
    norm.push_str(&out[pos..]);
    Cow::Owned(norm)
}

/// Tokenize `text` into `sink`, then tell the sink the document ended.
pub fn tokenize<S: TokenSink>(text: &str, sink: &S) {
    let text = prepare(text);
    if text.is_empty() {
        // html5ever's `feed` is never called; `end` still is.
        let mut t = Tokenizer::new("", sink);
        t.finish();
        return;
    }
    let mut t = Tokenizer::new(&text, sink);
    t.run();
    t.finish();
}

/// An attribute value: a range of the input while it is one, else owned.
enum Value {
    Range(usize, usize),
    Owned(String),
}

struct Tokenizer<'a, S: TokenSink> {
    s: &'a str,
    b: &'a [u8],
    /// The whole input, shared: tokens are slices of it.
    shared: StrTendril,
    pos: usize,
    sink: &'a S,
    state: State,
    /// Character data not yet handed over: `s[pend_start..pend_end]`.
    pend_start: usize,
    pend_end: usize,
    /// Where the `<` that opened the current raw-text end tag candidate is.
    raw_lt: usize,
    last_start_tag: Option<LocalName>,
    tag_kind: TagKind,
    tag_name: String,
    self_closing: bool,
    had_duplicate: bool,
    attrs: Vec<Attribute>,
    attr_name: String,
    attr_value: Value,
    temp: String,
    doctype: Doctype,
}

fn is_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | ' ')
}

fn lower_ascii_letter(c: char) -> Option<char> {
    c.is_ascii_alphabetic().then(|| c.to_ascii_lowercase())
}

fn push_opt(s: &mut Option<StrTendril>, c: char) {
    match s {
        Some(t) => t.push_char(c),
        None => *s = Some(StrTendril::from_char(c)),
    }
}

impl<'a, S: TokenSink> Tokenizer<'a, S> {
    fn new(s: &'a str, sink: &'a S) -> Self {
        Tokenizer {
            s,
            b: s.as_bytes(),
            shared: StrTendril::from_slice(s),
            pos: 0,
            sink,
            state: states::Data,
            pend_start: 0,
            pend_end: 0,
            raw_lt: 0,
            last_start_tag: None,
            tag_kind: StartTag,
            tag_name: String::new(),
            self_closing: false,
            had_duplicate: false,
            attrs: Vec::new(),
            attr_name: String::new(),
            attr_value: Value::Range(0, 0),
            temp: String::new(),
            doctype: Doctype::default(),
        }
    }

    // ---- input ----

    /// The next character, consumed; `None` at the end.
    #[inline]
    fn next(&mut self) -> Option<char> {
        let &b0 = self.b.get(self.pos)?;
        if b0 < 0x80 {
            self.pos += 1;
            return Some(b0 as char);
        }
        let c = self.s[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        let &b0 = self.b.get(self.pos)?;
        if b0 < 0x80 {
            return Some(b0 as char);
        }
        self.s[self.pos..].chars().next()
    }

    /// Un-read `c`, the character just read.
    #[inline]
    fn reconsume(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    /// Whether the input goes on with `pat` (ASCII), case-insensitively or
    /// exactly; consumed when it does.
    fn eat(&mut self, pat: &str, exact: bool) -> bool {
        let rest = &self.b[self.pos..];
        let ok = rest.len() >= pat.len()
            && if exact {
                &rest[..pat.len()] == pat.as_bytes()
            } else {
                rest[..pat.len()].eq_ignore_ascii_case(pat.as_bytes())
            };
        if ok {
            self.pos += pat.len();
        }
        ok
    }

    /// Position of the first byte at or after `self.pos` that `stop` accepts.
    #[inline]
    fn scan(&self, stop: impl Fn(u8) -> bool) -> usize {
        let rest = &self.b[self.pos..];
        self.pos + rest.iter().position(|&c| stop(c)).unwrap_or(rest.len())
    }

    // ---- output ----

    fn process(&mut self, token: Token) -> TokenSinkResult<S::Handle> {
        self.sink.process_token(token, 1)
    }

    /// Hand over pending character data.
    fn flush_chars(&mut self) {
        if self.pend_end > self.pend_start {
            let t = self.shared.subtendril(
                self.pend_start as u32,
                (self.pend_end - self.pend_start) as u32,
            );
            self.pend_start = self.pend_end;
            let r = self.process(Token::CharacterTokens(t));
            debug_assert!(matches!(r, TokenSinkResult::Continue));
        }
    }

    /// Character data `s[a..b]` of the input.
    #[inline]
    fn emit_range(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        if a != self.pend_end {
            self.flush_chars();
            self.pend_start = a;
        }
        self.pend_end = b;
    }

    /// A character that is not (or not at this place) in the input.
    fn emit_char(&mut self, c: char) {
        self.flush_chars();
        let t = match c {
            '\0' => Token::NullCharacterToken,
            c => Token::CharacterTokens(StrTendril::from_char(c)),
        };
        let r = self.process(t);
        debug_assert!(matches!(r, TokenSinkResult::Continue));
    }

    /// The character just read (at `self.pos - len`), as character data.
    #[inline]
    fn emit_current(&mut self, c: char) {
        let end = self.pos;
        self.emit_range(end - c.len_utf8(), end);
    }

    /// A parse error: html5ever hands the tree builder a token for it, which
    /// ends the tree builder's wait for a newline to drop after `<pre>`.
    fn error(&mut self) {
        self.flush_chars();
        let r = self.process(Token::ParseError(Cow::Borrowed("")));
        debug_assert!(matches!(r, TokenSinkResult::Continue));
    }

    fn emit_temp(&mut self) {
        self.flush_chars();
        let t = StrTendril::from_slice(&self.temp);
        self.temp.clear();
        // html5ever hands the buffer over even when it is empty.
        let r = self.process(Token::CharacterTokens(t));
        debug_assert!(matches!(r, TokenSinkResult::Continue));
    }

    fn emit_comment(&mut self) {
        self.flush_chars();
        let r = self.process(Token::CommentToken(StrTendril::new()));
        debug_assert!(matches!(r, TokenSinkResult::Continue));
    }

    fn emit_doctype(&mut self) {
        self.flush_chars();
        let d = std::mem::take(&mut self.doctype);
        let r = self.process(Token::DoctypeToken(d));
        debug_assert!(matches!(r, TokenSinkResult::Continue));
    }

    fn create_tag(&mut self, kind: TagKind, c: char) {
        self.discard_tag();
        self.tag_name.push(c);
        self.tag_kind = kind;
    }

    fn discard_tag(&mut self) {
        self.tag_name.clear();
        self.self_closing = false;
        self.had_duplicate = false;
        self.attrs.clear();
    }

    fn have_appropriate_end_tag(&self) -> bool {
        match &self.last_start_tag {
            Some(last) => self.tag_kind == EndTag && *self.tag_name == **last,
            None => false,
        }
    }

    fn create_attr(&mut self, c: char) {
        self.finish_attr();
        self.attr_name.push(c);
    }

    fn push_value_range(&mut self, a: usize, b: usize) {
        match &mut self.attr_value {
            Value::Range(x, y) if *x == *y => {
                *x = a;
                *y = b;
            }
            Value::Range(_, y) if *y == a => *y = b,
            Value::Range(x, y) => {
                let mut o = String::with_capacity(*y - *x + b - a);
                o.push_str(&self.s[*x..*y]);
                o.push_str(&self.s[a..b]);
                self.attr_value = Value::Owned(o);
            }
            Value::Owned(o) => o.push_str(&self.s[a..b]),
        }
    }

    fn push_value_char(&mut self, c: char) {
        match &mut self.attr_value {
            Value::Range(x, y) => {
                let mut o = String::with_capacity(*y - *x + 4);
                o.push_str(&self.s[*x..*y]);
                o.push(c);
                self.attr_value = Value::Owned(o);
            }
            Value::Owned(o) => o.push(c),
        }
    }

    fn take_value(&mut self) -> StrTendril {
        match std::mem::replace(&mut self.attr_value, Value::Range(0, 0)) {
            Value::Range(x, y) if x == y => StrTendril::new(),
            Value::Range(x, y) => self.shared.subtendril(x as u32, (y - x) as u32),
            Value::Owned(o) => StrTendril::from_slice(&o),
        }
    }

    fn finish_attr(&mut self) {
        if self.attr_name.is_empty() {
            return;
        }
        let name = LocalName::from(&*self.attr_name);
        self.attr_name.clear();
        if self.attrs.iter().any(|a| a.name.local == name) {
            self.had_duplicate = true;
            self.attr_value = Value::Range(0, 0);
        } else {
            let value = self.take_value();
            self.attrs.push(Attribute {
                name: QualName::new(None, ns!(), name),
                value,
            });
        }
    }

    /// Emit the current tag, the tokenizer going on in `next` unless the tree
    /// builder says otherwise.
    fn emit_tag(&mut self, next: State) {
        self.state = next;
        self.finish_attr();
        self.flush_chars();
        let name = LocalName::from(&*self.tag_name);
        self.tag_name.clear();
        if self.tag_kind == StartTag {
            self.last_start_tag = Some(name.clone());
        }
        let token = Token::TagToken(Tag {
            kind: self.tag_kind,
            name,
            self_closing: self.self_closing,
            attrs: std::mem::take(&mut self.attrs),
            had_duplicate_attributes: self.had_duplicate,
        });
        match self.process(token) {
            TokenSinkResult::Continue => {}
            TokenSinkResult::Plaintext => self.state = states::Plaintext,
            TokenSinkResult::RawData(kind) => self.state = states::RawData(kind),
            TokenSinkResult::Script(_) => {
                self.state = states::Data;
                self.skip_bom();
            }
            TokenSinkResult::EncodingIndicator(_) => self.skip_bom(),
        }
    }

    /// html5ever returned to its caller here, whose next `feed` drops a
    /// U+FEFF at the head of the input.
    fn skip_bom(&mut self) {
        if self.s[self.pos..].starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
    }

    // ---- character references ----

    /// After a `&` in data, RCDATA or an attribute value: what it stands for
    /// (`&` itself when nothing), consuming what html5ever consumes.
    fn char_ref(&mut self, in_attr: bool) {
        let (chars, n) = self.read_char_ref(in_attr);
        if n == 0 {
            // The '&' itself, just before `pos`.
            let amp = self.pos - 1;
            if in_attr {
                self.push_value_range(amp, amp + 1);
            } else {
                self.emit_range(amp, amp + 1);
            }
            return;
        }
        for &c in &chars[..n] {
            if in_attr {
                self.push_value_char(c);
            } else {
                self.emit_char(c);
            }
        }
    }

    fn read_char_ref(&mut self, in_attr: bool) -> ([char; 2], usize) {
        const NONE: ([char; 2], usize) = (['\0', '\0'], 0);
        match self.peek() {
            Some(c) if c.is_ascii_alphanumeric() => self.named_ref(in_attr),
            Some('#') => {
                let start = self.pos;
                self.pos += 1;
                let mut base = 10;
                match self.peek() {
                    Some('x' | 'X') => {
                        self.pos += 1;
                        base = 16;
                    }
                    Some(_) => {}
                    None => {
                        // html5ever's end of input in the octothorpe state.
                        self.pos = start;
                        return NONE;
                    }
                }
                let mut num: u32 = 0;
                let mut too_big = false;
                let mut seen = false;
                while let Some(d) = self.peek().and_then(|c| c.to_digit(base)) {
                    self.pos += 1;
                    num = num.wrapping_mul(base);
                    if num > 0x10FFFF {
                        too_big = true;
                    }
                    num = num.wrapping_add(d);
                    seen = true;
                }
                if !seen {
                    self.pos = start;
                    return NONE;
                }
                let semicolon = self.peek() == Some(';');
                if semicolon {
                    self.pos += 1;
                }
                let conv = |n: u32| char::from_u32(n).unwrap_or('\u{fffd}');
                let (c, bad) = match num {
                    n if n > 0x10FFFF || too_big => ('\u{fffd}', true),
                    0x00 | 0xD800..=0xDFFF => ('\u{fffd}', true),
                    0x80..=0x9F => match html5ever::data::C1_REPLACEMENTS[(num - 0x80) as usize] {
                        Some(c) => (c, true),
                        None => (conv(num), true),
                    },
                    0x01..=0x08 | 0x0B | 0x0D..=0x1F | 0x7F | 0xFDD0..=0xFDEF => (conv(num), true),
                    n if (n & 0xFFFE) == 0xFFFE => (conv(n), true),
                    n => (conv(n), false),
                };
                if !semicolon || bad {
                    self.error();
                }
                ([c, '\0'], 1)
            }
            _ => NONE,
        }
    }

    fn named_ref(&mut self, in_attr: bool) -> ([char; 2], usize) {
        const NONE: ([char; 2], usize) = (['\0', '\0'], 0);
        let start = self.pos;
        let mut matched: Option<(u32, u32)> = None;
        let mut match_end = start;
        // Grow the name while it is an entity or the prefix of one.
        let end_char = loop {
            let Some(c) = self.next() else {
                break None;
            };
            match html5ever::data::NAMED_ENTITIES.get(&self.s[start..self.pos]) {
                Some(&m) => {
                    if m.0 != 0 {
                        matched = Some(m);
                        match_end = self.pos;
                    }
                }
                None => break Some(c),
            }
        };
        match matched {
            None => {
                // Whatever was read goes back.
                let _ = end_char;
                self.pos = start;
                NONE
            }
            Some((c1, c2)) => {
                let last = self.b[match_end - 1];
                let next_after = self.s[match_end..self.pos].chars().next();
                let unconsume_all = last != b';'
                    && in_attr
                    && next_after.is_some_and(|c| c == '=' || c.is_ascii_alphanumeric());
                if unconsume_all {
                    self.pos = start;
                    NONE
                } else {
                    if last != b';' {
                        self.error();
                    }
                    self.pos = match_end;
                    let c1 = char::from_u32(c1).unwrap_or('\u{fffd}');
                    let c2 = char::from_u32(c2).unwrap_or('\0');
                    ([c1, c2], if c2 == '\0' { 1 } else { 2 })
                }
            }
        }
    }

    // ---- the state machine ----

    fn run(&mut self) {
        while self.pos < self.b.len() {
            self.step();
        }
    }

    /// One state's worth of work; returns at a state change or at the end.
    fn step(&mut self) {
        match self.state {
            states::Data => loop {
                let rest = &self.b[self.pos..];
                let stop =
                    self.pos + memchr::memchr3(b'<', b'&', b'\0', rest).unwrap_or(rest.len());
                self.emit_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('&') => {
                        self.char_ref(false);
                    }
                    Some('<') => {
                        self.state = states::TagOpen;
                        return;
                    }
                    Some(_) => self.emit_char('\0'),
                }
            },
            states::RawData(RawKind::Rcdata) => loop {
                let rest = &self.b[self.pos..];
                let stop =
                    self.pos + memchr::memchr3(b'<', b'&', b'\0', rest).unwrap_or(rest.len());
                self.emit_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('&') => self.char_ref(false),
                    Some('<') => {
                        self.raw_lt = self.pos - 1;
                        self.state = states::RawLessThanSign(RawKind::Rcdata);
                        return;
                    }
                    Some(_) => self.emit_char('\u{fffd}'),
                }
            },
            states::RawData(kind @ (RawKind::Rawtext | RawKind::ScriptData)) => loop {
                let rest = &self.b[self.pos..];
                let stop = self.pos + memchr::memchr2(b'<', b'\0', rest).unwrap_or(rest.len());
                self.emit_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('<') => {
                        self.raw_lt = self.pos - 1;
                        self.state = states::RawLessThanSign(kind);
                        return;
                    }
                    Some(_) => self.emit_char('\u{fffd}'),
                }
            },
            states::Plaintext => loop {
                let rest = &self.b[self.pos..];
                let stop = self.pos + memchr::memchr(b'\0', rest).unwrap_or(rest.len());
                self.emit_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some(_) => self.emit_char('\u{fffd}'),
                }
            },
            states::TagOpen => {
                let Some(c) = self.next() else { return };
                match c {
                    '!' => self.state = states::MarkupDeclarationOpen,
                    '/' => self.state = states::EndTagOpen,
                    c if c.is_ascii_alphabetic() => {
                        self.create_tag(StartTag, c.to_ascii_lowercase());
                        self.state = states::TagName;
                    }
                    '?' => {
                        self.reconsume(c);
                        self.state = states::BogusComment;
                    }
                    c => {
                        // The '<' is the byte before `c`.
                        let lt = self.pos - c.len_utf8() - 1;
                        self.emit_range(lt, lt + 1);
                        self.reconsume(c);
                        self.state = states::Data;
                    }
                }
            }
            states::EndTagOpen => {
                let Some(c) = self.next() else { return };
                match c {
                    c if c.is_ascii_alphabetic() => {
                        self.create_tag(EndTag, c.to_ascii_lowercase());
                        self.state = states::TagName;
                    }
                    '>' => {
                        self.error();
                        self.state = states::Data;
                    }
                    c => {
                        self.reconsume(c);
                        self.state = states::BogusComment;
                    }
                }
            }
            states::TagName => loop {
                let stop = self
                    .scan(|c| matches!(c, b'\t' | b'\n' | b'\x0C' | b' ' | b'/' | b'>' | b'\0'));
                let from = self.tag_name.len();
                self.tag_name.push_str(&self.s[self.pos..stop]);
                self.tag_name[from..].make_ascii_lowercase();
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('\t' | '\n' | '\x0C' | ' ') => {
                        self.state = states::BeforeAttributeName;
                        return;
                    }
                    Some('/') => {
                        self.state = states::SelfClosingStartTag;
                        return;
                    }
                    Some('>') => return self.emit_tag(states::Data),
                    Some(_) => self.tag_name.push('\u{fffd}'),
                }
            },
            states::RawLessThanSign(RawKind::ScriptDataEscaped(ScriptEscapeKind::Escaped)) => {
                let Some(c) = self.next() else { return };
                match c {
                    '/' => {
                        self.temp.clear();
                        self.state = states::RawEndTagOpen(RawKind::ScriptDataEscaped(
                            ScriptEscapeKind::Escaped,
                        ));
                    }
                    c => match lower_ascii_letter(c) {
                        Some(l) => {
                            self.temp.clear();
                            self.temp.push(l);
                            self.emit_char('<');
                            self.emit_current(c);
                            self.state =
                                states::ScriptDataEscapeStart(ScriptEscapeKind::DoubleEscaped);
                        }
                        None => {
                            self.emit_char('<');
                            self.reconsume(c);
                            self.state = states::RawData(RawKind::ScriptDataEscaped(
                                ScriptEscapeKind::Escaped,
                            ));
                        }
                    },
                }
            }
            states::RawLessThanSign(RawKind::ScriptDataEscaped(
                ScriptEscapeKind::DoubleEscaped,
            )) => {
                let Some(c) = self.next() else { return };
                if c == '/' {
                    self.temp.clear();
                    self.emit_current(c);
                    self.state = states::ScriptDataDoubleEscapeEnd;
                } else {
                    self.reconsume(c);
                    self.state = states::RawData(RawKind::ScriptDataEscaped(
                        ScriptEscapeKind::DoubleEscaped,
                    ));
                }
            }
            states::RawLessThanSign(kind) => {
                let Some(c) = self.next() else { return };
                match c {
                    '/' => {
                        self.temp.clear();
                        self.state = states::RawEndTagOpen(kind);
                    }
                    '!' if kind == RawKind::ScriptData => {
                        self.emit_char('<');
                        self.emit_current(c);
                        self.state = states::ScriptDataEscapeStart(ScriptEscapeKind::Escaped);
                    }
                    c => {
                        self.emit_range(self.raw_lt, self.raw_lt + 1);
                        self.reconsume(c);
                        self.state = states::RawData(kind);
                    }
                }
            }
            states::RawEndTagOpen(kind) => {
                let Some(c) = self.next() else { return };
                if c.is_ascii_alphabetic() {
                    self.create_tag(EndTag, c.to_ascii_lowercase());
                    self.temp.push(c);
                    self.state = states::RawEndTagName(kind);
                } else {
                    self.emit_range(self.raw_lt, self.raw_lt + 2);
                    self.reconsume(c);
                    self.state = states::RawData(kind);
                }
            }
            states::RawEndTagName(kind) => loop {
                let Some(c) = self.next() else { return };
                if self.have_appropriate_end_tag() {
                    match c {
                        '\t' | '\n' | '\x0C' | ' ' => {
                            self.temp.clear();
                            self.state = states::BeforeAttributeName;
                            return;
                        }
                        '/' => {
                            self.temp.clear();
                            self.state = states::SelfClosingStartTag;
                            return;
                        }
                        '>' => {
                            self.temp.clear();
                            return self.emit_tag(states::Data);
                        }
                        _ => {}
                    }
                }
                match lower_ascii_letter(c) {
                    Some(l) => {
                        self.tag_name.push(l);
                        self.temp.push(c);
                    }
                    None => {
                        self.discard_tag();
                        self.temp.clear();
                        self.reconsume(c);
                        self.emit_range(self.raw_lt, self.pos);
                        self.state = states::RawData(kind);
                        return;
                    }
                }
            },
            states::ScriptDataEscapeStart(ScriptEscapeKind::DoubleEscaped) => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '\t' | '\n' | '\x0C' | ' ' | '/' | '>' => {
                        let kind = if self.temp == "script" {
                            ScriptEscapeKind::DoubleEscaped
                        } else {
                            ScriptEscapeKind::Escaped
                        };
                        self.emit_current(c);
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                    c => match lower_ascii_letter(c) {
                        Some(l) => {
                            self.temp.push(l);
                            self.emit_current(c);
                        }
                        None => {
                            self.reconsume(c);
                            self.state = states::RawData(RawKind::ScriptDataEscaped(
                                ScriptEscapeKind::Escaped,
                            ));
                            return;
                        }
                    },
                }
            },
            states::RawData(RawKind::ScriptDataEscaped(kind)) => loop {
                let rest = &self.b[self.pos..];
                let stop =
                    self.pos + memchr::memchr3(b'-', b'<', b'\0', rest).unwrap_or(rest.len());
                self.emit_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('-') => {
                        self.emit_current('-');
                        self.state = states::ScriptDataEscapedDash(kind);
                        return;
                    }
                    Some('<') => {
                        self.raw_lt = self.pos - 1;
                        if kind == ScriptEscapeKind::DoubleEscaped {
                            self.emit_current('<');
                        }
                        self.state = states::RawLessThanSign(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                    Some(_) => self.emit_char('\u{fffd}'),
                }
            },
            states::ScriptDataEscapeStart(ScriptEscapeKind::Escaped) => {
                let Some(c) = self.next() else { return };
                if c == '-' {
                    self.emit_current(c);
                    self.state = states::ScriptDataEscapeStartDash;
                } else {
                    self.reconsume(c);
                    self.state = states::RawData(RawKind::ScriptData);
                }
            }
            states::ScriptDataEscapeStartDash => {
                let Some(c) = self.next() else { return };
                if c == '-' {
                    self.emit_current(c);
                    self.state = states::ScriptDataEscapedDashDash(ScriptEscapeKind::Escaped);
                } else {
                    self.reconsume(c);
                    self.state = states::RawData(RawKind::ScriptData);
                }
            }
            states::ScriptDataEscapedDash(kind) => {
                let Some(c) = self.next() else { return };
                match c {
                    '-' => {
                        self.emit_current(c);
                        self.state = states::ScriptDataEscapedDashDash(kind);
                    }
                    '<' => {
                        self.raw_lt = self.pos - 1;
                        if kind == ScriptEscapeKind::DoubleEscaped {
                            self.emit_current(c);
                        }
                        self.state = states::RawLessThanSign(RawKind::ScriptDataEscaped(kind));
                    }
                    '\0' => {
                        self.emit_char('\u{fffd}');
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                    }
                    c => {
                        self.emit_current(c);
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                    }
                }
            }
            states::ScriptDataEscapedDashDash(kind) => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '-' => self.emit_current(c),
                    '<' => {
                        self.raw_lt = self.pos - 1;
                        if kind == ScriptEscapeKind::DoubleEscaped {
                            self.emit_current(c);
                        }
                        self.state = states::RawLessThanSign(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                    '>' => {
                        self.emit_current(c);
                        self.state = states::RawData(RawKind::ScriptData);
                        return;
                    }
                    '\0' => {
                        self.emit_char('\u{fffd}');
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                    c => {
                        self.emit_current(c);
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                }
            },
            states::ScriptDataDoubleEscapeEnd => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '\t' | '\n' | '\x0C' | ' ' | '/' | '>' => {
                        let kind = if self.temp == "script" {
                            ScriptEscapeKind::Escaped
                        } else {
                            ScriptEscapeKind::DoubleEscaped
                        };
                        self.emit_current(c);
                        self.state = states::RawData(RawKind::ScriptDataEscaped(kind));
                        return;
                    }
                    c => match lower_ascii_letter(c) {
                        Some(l) => {
                            self.temp.push(l);
                            self.emit_current(c);
                        }
                        None => {
                            self.reconsume(c);
                            self.state = states::RawData(RawKind::ScriptDataEscaped(
                                ScriptEscapeKind::DoubleEscaped,
                            ));
                            return;
                        }
                    },
                }
            },
            states::BeforeAttributeName => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '\t' | '\n' | '\x0C' | ' ' => {}
                    '/' => {
                        self.state = states::SelfClosingStartTag;
                        return;
                    }
                    '>' => return self.emit_tag(states::Data),
                    '\0' => {
                        self.create_attr('\u{fffd}');
                        self.state = states::AttributeName;
                        return;
                    }
                    c => {
                        self.create_attr(c.to_ascii_lowercase());
                        self.state = states::AttributeName;
                        return;
                    }
                }
            },
            states::AttributeName => loop {
                let stop = self.scan(|c| {
                    matches!(
                        c,
                        b'\t' | b'\n' | b'\x0C' | b' ' | b'/' | b'>' | b'=' | b'\0'
                    )
                });
                let from = self.attr_name.len();
                self.attr_name.push_str(&self.s[self.pos..stop]);
                self.attr_name[from..].make_ascii_lowercase();
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('\t' | '\n' | '\x0C' | ' ') => {
                        self.state = states::AfterAttributeName;
                        return;
                    }
                    Some('/') => {
                        self.state = states::SelfClosingStartTag;
                        return;
                    }
                    Some('>') => return self.emit_tag(states::Data),
                    Some('=') => {
                        self.state = states::BeforeAttributeValue;
                        return;
                    }
                    Some(_) => self.attr_name.push('\u{fffd}'),
                }
            },
            states::AfterAttributeName => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '\t' | '\n' | '\x0C' | ' ' => {}
                    '/' => {
                        self.state = states::SelfClosingStartTag;
                        return;
                    }
                    '=' => {
                        self.state = states::BeforeAttributeValue;
                        return;
                    }
                    '>' => return self.emit_tag(states::Data),
                    '\0' => {
                        self.create_attr('\u{fffd}');
                        self.state = states::AttributeName;
                        return;
                    }
                    c => {
                        self.create_attr(c.to_ascii_lowercase());
                        self.state = states::AttributeName;
                        return;
                    }
                }
            },
            states::BeforeAttributeValue => loop {
                let Some(c) = self.peek() else { return };
                match c {
                    '\t' | '\n' | '\r' | '\x0C' | ' ' => self.pos += 1,
                    '"' => {
                        self.pos += 1;
                        self.state = states::AttributeValue(AttrValueKind::DoubleQuoted);
                        return;
                    }
                    '\'' => {
                        self.pos += 1;
                        self.state = states::AttributeValue(AttrValueKind::SingleQuoted);
                        return;
                    }
                    '>' => {
                        self.pos += 1;
                        return self.emit_tag(states::Data);
                    }
                    _ => {
                        self.state = states::AttributeValue(AttrValueKind::Unquoted);
                        return;
                    }
                }
            },
            states::AttributeValue(
                kind @ (AttrValueKind::DoubleQuoted | AttrValueKind::SingleQuoted),
            ) => loop {
                let q = if kind == AttrValueKind::DoubleQuoted {
                    b'"'
                } else {
                    b'\''
                };
                let rest = &self.b[self.pos..];
                let stop = self.pos + memchr::memchr3(q, b'&', b'\0', rest).unwrap_or(rest.len());
                self.push_value_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('&') => self.char_ref(true),
                    Some('\0') => self.push_value_char('\u{fffd}'),
                    Some(_) => {
                        self.state = states::AfterAttributeValueQuoted;
                        return;
                    }
                }
            },
            states::AttributeValue(AttrValueKind::Unquoted) => loop {
                let stop = self
                    .scan(|c| matches!(c, b'\t' | b'\n' | b'\x0C' | b' ' | b'&' | b'>' | b'\0'));
                self.push_value_range(self.pos, stop);
                self.pos = stop;
                match self.next() {
                    None => return,
                    Some('\t' | '\n' | '\x0C' | ' ') => {
                        self.state = states::BeforeAttributeName;
                        return;
                    }
                    Some('&') => self.char_ref(true),
                    Some('>') => return self.emit_tag(states::Data),
                    Some(_) => self.push_value_char('\u{fffd}'),
                }
            },
            states::AfterAttributeValueQuoted => {
                let Some(c) = self.next() else { return };
                match c {
                    '\t' | '\n' | '\x0C' | ' ' => self.state = states::BeforeAttributeName,
                    '/' => self.state = states::SelfClosingStartTag,
                    '>' => self.emit_tag(states::Data),
                    c => {
                        self.reconsume(c);
                        self.state = states::BeforeAttributeName;
                    }
                }
            }
            states::SelfClosingStartTag => {
                let Some(c) = self.next() else { return };
                if c == '>' {
                    self.self_closing = true;
                    self.emit_tag(states::Data);
                } else {
                    self.reconsume(c);
                    self.state = states::BeforeAttributeName;
                }
            }
            states::BogusComment => {
                let rest = &self.b[self.pos..];
                match memchr::memchr(b'>', rest) {
                    Some(k) => {
                        self.pos += k + 1;
                        self.emit_comment();
                        self.state = states::Data;
                    }
                    None => self.pos = self.b.len(),
                }
            }
            states::MarkupDeclarationOpen => {
                if self.eat("--", true) {
                    self.state = states::CommentStart;
                } else if self.eat("doctype", false) {
                    self.state = states::Doctype;
                } else {
                    self.flush_chars();
                    if self
                        .sink
                        .adjusted_current_node_present_but_not_in_html_namespace()
                        && self.eat("[CDATA[", true)
                    {
                        self.temp.clear();
                        self.state = states::CdataSection;
                    } else {
                        self.state = states::BogusComment;
                    }
                }
            }
            states::CommentStart => {
                let Some(c) = self.next() else { return };
                match c {
                    '-' => self.state = states::CommentStartDash,
                    '>' => {
                        self.emit_comment();
                        self.state = states::Data;
                    }
                    _ => self.state = states::Comment,
                }
            }
            states::CommentStartDash => {
                let Some(c) = self.next() else { return };
                match c {
                    '-' => self.state = states::CommentEnd,
                    '>' => {
                        self.emit_comment();
                        self.state = states::Data;
                    }
                    _ => self.state = states::Comment,
                }
            }
            states::Comment => {
                let rest = &self.b[self.pos..];
                match memchr::memchr2(b'<', b'-', rest) {
                    None => self.pos = self.b.len(),
                    Some(k) => {
                        self.pos += k + 1;
                        self.state = if rest[k] == b'<' {
                            states::CommentLessThanSign
                        } else {
                            states::CommentEndDash
                        };
                    }
                }
            }
            states::CommentLessThanSign => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '!' => {
                        self.state = states::CommentLessThanSignBang;
                        return;
                    }
                    '<' => {}
                    c => {
                        self.reconsume(c);
                        self.state = states::Comment;
                        return;
                    }
                }
            },
            states::CommentLessThanSignBang => {
                let Some(c) = self.next() else { return };
                if c == '-' {
                    self.state = states::CommentLessThanSignBangDash;
                } else {
                    self.reconsume(c);
                    self.state = states::Comment;
                }
            }
            states::CommentLessThanSignBangDash => {
                let Some(c) = self.next() else { return };
                if c == '-' {
                    self.state = states::CommentLessThanSignBangDashDash;
                } else {
                    self.reconsume(c);
                    self.state = states::CommentEndDash;
                }
            }
            states::CommentLessThanSignBangDashDash => {
                let Some(c) = self.next() else { return };
                self.reconsume(c);
                self.state = states::CommentEnd;
            }
            states::CommentEndDash => {
                let Some(c) = self.next() else { return };
                self.state = if c == '-' {
                    states::CommentEnd
                } else {
                    states::Comment
                };
            }
            states::CommentEnd => loop {
                let Some(c) = self.next() else { return };
                match c {
                    '>' => {
                        self.emit_comment();
                        self.state = states::Data;
                        return;
                    }
                    '!' => {
                        self.state = states::CommentEndBang;
                        return;
                    }
                    '-' => {}
                    c => {
                        self.reconsume(c);
                        self.state = states::Comment;
                        return;
                    }
                }
            },
            states::CommentEndBang => {
                let Some(c) = self.next() else { return };
                match c {
                    '-' => self.state = states::CommentEndDash,
                    '>' => {
                        self.emit_comment();
                        self.state = states::Data;
                    }
                    _ => self.state = states::Comment,
                }
            }
            states::Doctype => {
                let Some(c) = self.next() else { return };
                if !is_ws(c) {
                    self.reconsume(c);
                }
                self.state = states::BeforeDoctypeName;
            }
            states::BeforeDoctypeName => loop {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {}
                    '\0' => {
                        self.doctype = Doctype::default();
                        push_opt(&mut self.doctype.name, '\u{fffd}');
                        self.state = states::DoctypeName;
                        return;
                    }
                    '>' => {
                        self.doctype = Doctype::default();
                        self.doctype.force_quirks = true;
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    c => {
                        self.doctype = Doctype::default();
                        push_opt(&mut self.doctype.name, c.to_ascii_lowercase());
                        self.state = states::DoctypeName;
                        return;
                    }
                }
            },
            states::DoctypeName => loop {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {
                        self.temp.clear();
                        self.state = states::AfterDoctypeName;
                        return;
                    }
                    '>' => {
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    '\0' => push_opt(&mut self.doctype.name, '\u{fffd}'),
                    c => push_opt(&mut self.doctype.name, c.to_ascii_lowercase()),
                }
            },
            states::AfterDoctypeName => loop {
                if self.eat("public", false) {
                    self.state = states::AfterDoctypeKeyword(DoctypeIdKind::Public);
                    return;
                } else if self.eat("system", false) {
                    self.state = states::AfterDoctypeKeyword(DoctypeIdKind::System);
                    return;
                }
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {}
                    '>' => {
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    c => {
                        self.doctype.force_quirks = true;
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                        return;
                    }
                }
            },
            states::AfterDoctypeKeyword(kind) => {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => self.state = states::BeforeDoctypeIdentifier(kind),
                    '"' => {
                        self.clear_doctype_id(kind);
                        self.state = states::DoctypeIdentifierDoubleQuoted(kind);
                    }
                    '\'' => {
                        self.clear_doctype_id(kind);
                        self.state = states::DoctypeIdentifierSingleQuoted(kind);
                    }
                    '>' => {
                        self.doctype.force_quirks = true;
                        self.emit_doctype();
                        self.state = states::Data;
                    }
                    c => {
                        self.doctype.force_quirks = true;
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                    }
                }
            }
            states::BeforeDoctypeIdentifier(kind) => loop {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {}
                    '"' => {
                        self.clear_doctype_id(kind);
                        self.state = states::DoctypeIdentifierDoubleQuoted(kind);
                        return;
                    }
                    '\'' => {
                        self.clear_doctype_id(kind);
                        self.state = states::DoctypeIdentifierSingleQuoted(kind);
                        return;
                    }
                    '>' => {
                        self.doctype.force_quirks = true;
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    c => {
                        self.doctype.force_quirks = true;
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                        return;
                    }
                }
            },
            states::DoctypeIdentifierDoubleQuoted(kind)
            | states::DoctypeIdentifierSingleQuoted(kind) => loop {
                let quote = if matches!(self.state, states::DoctypeIdentifierDoubleQuoted(_)) {
                    '"'
                } else {
                    '\''
                };
                let Some(c) = self.next() else { return };
                match c {
                    c if c == quote => {
                        self.state = states::AfterDoctypeIdentifier(kind);
                        return;
                    }
                    '\0' => push_opt(self.doctype_id(kind), '\u{fffd}'),
                    '>' => {
                        self.doctype.force_quirks = true;
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    c => push_opt(self.doctype_id(kind), c),
                }
            },
            states::AfterDoctypeIdentifier(DoctypeIdKind::Public) => {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => self.state = states::BetweenDoctypePublicAndSystemIdentifiers,
                    '>' => {
                        self.emit_doctype();
                        self.state = states::Data;
                    }
                    '"' => {
                        self.clear_doctype_id(DoctypeIdKind::System);
                        self.state = states::DoctypeIdentifierDoubleQuoted(DoctypeIdKind::System);
                    }
                    '\'' => {
                        self.clear_doctype_id(DoctypeIdKind::System);
                        self.state = states::DoctypeIdentifierSingleQuoted(DoctypeIdKind::System);
                    }
                    c => {
                        self.doctype.force_quirks = true;
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                    }
                }
            }
            states::BetweenDoctypePublicAndSystemIdentifiers => loop {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {}
                    '>' => {
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    '"' => {
                        self.clear_doctype_id(DoctypeIdKind::System);
                        self.state = states::DoctypeIdentifierDoubleQuoted(DoctypeIdKind::System);
                        return;
                    }
                    '\'' => {
                        self.clear_doctype_id(DoctypeIdKind::System);
                        self.state = states::DoctypeIdentifierSingleQuoted(DoctypeIdKind::System);
                        return;
                    }
                    c => {
                        self.doctype.force_quirks = true;
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                        return;
                    }
                }
            },
            states::AfterDoctypeIdentifier(DoctypeIdKind::System) => loop {
                let Some(c) = self.next() else { return };
                match c {
                    c if is_ws(c) => {}
                    '>' => {
                        self.emit_doctype();
                        self.state = states::Data;
                        return;
                    }
                    c => {
                        self.reconsume(c);
                        self.state = states::BogusDoctype;
                        return;
                    }
                }
            },
            states::BogusDoctype => {
                let rest = &self.b[self.pos..];
                match memchr::memchr(b'>', rest) {
                    Some(k) => {
                        self.pos += k + 1;
                        self.emit_doctype();
                        self.state = states::Data;
                    }
                    None => self.pos = self.b.len(),
                }
            }
            states::CdataSection => loop {
                let Some(c) = self.next() else { return };
                match c {
                    ']' => {
                        self.state = states::CdataSectionBracket;
                        return;
                    }
                    '\0' => {
                        self.emit_temp();
                        self.emit_char('\0');
                    }
                    c => self.temp.push(c),
                }
            },
            states::CdataSectionBracket => {
                let Some(c) = self.next() else { return };
                if c == ']' {
                    self.state = states::CdataSectionEnd;
                } else {
                    self.temp.push(']');
                    self.reconsume(c);
                    self.state = states::CdataSection;
                }
            }
            states::CdataSectionEnd => loop {
                let Some(c) = self.next() else { return };
                match c {
                    ']' => self.temp.push(']'),
                    '>' => {
                        self.emit_temp();
                        self.state = states::Data;
                        return;
                    }
                    c => {
                        self.temp.push_str("]]");
                        self.reconsume(c);
                        self.state = states::CdataSection;
                        return;
                    }
                }
            },
        }
    }

    fn doctype_id(&mut self, kind: DoctypeIdKind) -> &mut Option<StrTendril> {
        match kind {
            DoctypeIdKind::Public => &mut self.doctype.public_id,
            DoctypeIdKind::System => &mut self.doctype.system_id,
        }
    }

    fn clear_doctype_id(&mut self, kind: DoctypeIdKind) {
        match self.doctype_id(kind) {
            Some(s) => s.clear(),
            id => *id = Some(StrTendril::new()),
        }
    }

    /// The end of the input: html5ever's `end`, state by state.
    fn finish(&mut self) {
        loop {
            match self.state {
                states::Data
                | states::RawData(RawKind::Rcdata)
                | states::RawData(RawKind::Rawtext)
                | states::RawData(RawKind::ScriptData)
                | states::Plaintext => break,
                states::TagName
                | states::RawData(RawKind::ScriptDataEscaped(_))
                | states::BeforeAttributeName
                | states::AttributeName
                | states::AfterAttributeName
                | states::AttributeValue(_)
                | states::AfterAttributeValueQuoted
                | states::SelfClosingStartTag
                | states::ScriptDataEscapedDash(_)
                | states::ScriptDataEscapedDashDash(_) => self.state = states::Data,
                states::BeforeAttributeValue => {
                    self.state = states::AttributeValue(AttrValueKind::Unquoted)
                }
                states::TagOpen => {
                    self.emit_char('<');
                    self.state = states::Data;
                }
                states::EndTagOpen => {
                    self.emit_char('<');
                    self.emit_char('/');
                    self.state = states::Data;
                }
                states::RawLessThanSign(RawKind::ScriptDataEscaped(
                    ScriptEscapeKind::DoubleEscaped,
                )) => {
                    self.state =
                        states::RawData(RawKind::ScriptDataEscaped(ScriptEscapeKind::DoubleEscaped))
                }
                states::RawLessThanSign(kind) => {
                    self.emit_char('<');
                    self.state = states::RawData(kind);
                }
                states::RawEndTagOpen(kind) => {
                    self.emit_char('<');
                    self.emit_char('/');
                    self.state = states::RawData(kind);
                }
                states::RawEndTagName(kind) => {
                    self.emit_char('<');
                    self.emit_char('/');
                    self.emit_temp();
                    self.state = states::RawData(kind);
                }
                states::ScriptDataEscapeStart(kind) => {
                    self.state = states::RawData(RawKind::ScriptDataEscaped(kind))
                }
                states::ScriptDataEscapeStartDash => {
                    self.state = states::RawData(RawKind::ScriptData)
                }
                states::ScriptDataDoubleEscapeEnd => {
                    self.state =
                        states::RawData(RawKind::ScriptDataEscaped(ScriptEscapeKind::DoubleEscaped))
                }
                states::CommentStart
                | states::CommentStartDash
                | states::Comment
                | states::CommentEndDash
                | states::CommentEnd
                | states::CommentEndBang => {
                    self.emit_comment();
                    self.state = states::Data;
                }
                states::CommentLessThanSign | states::CommentLessThanSignBang => {
                    self.state = states::Comment
                }
                states::CommentLessThanSignBangDash => self.state = states::CommentEndDash,
                states::CommentLessThanSignBangDashDash => self.state = states::CommentEnd,
                states::Doctype | states::BeforeDoctypeName => {
                    self.doctype = Doctype::default();
                    self.doctype.force_quirks = true;
                    self.emit_doctype();
                    self.state = states::Data;
                }
                states::DoctypeName
                | states::AfterDoctypeName
                | states::AfterDoctypeKeyword(_)
                | states::BeforeDoctypeIdentifier(_)
                | states::DoctypeIdentifierDoubleQuoted(_)
                | states::DoctypeIdentifierSingleQuoted(_)
                | states::AfterDoctypeIdentifier(_)
                | states::BetweenDoctypePublicAndSystemIdentifiers => {
                    self.doctype.force_quirks = true;
                    self.emit_doctype();
                    self.state = states::Data;
                }
                states::BogusDoctype => {
                    self.emit_doctype();
                    self.state = states::Data;
                }
                states::BogusComment => {
                    self.emit_comment();
                    self.state = states::Data;
                }
                states::MarkupDeclarationOpen => self.state = states::BogusComment,
                states::CdataSection => {
                    self.emit_temp();
                    self.state = states::Data;
                }
                states::CdataSectionBracket => {
                    self.temp.push(']');
                    self.state = states::CdataSection;
                }
                states::CdataSectionEnd => {
                    self.temp.push_str("]]");
                    self.state = states::CdataSection;
                }
            }
        }
        self.flush_chars();
        let r = self.process(Token::EOFToken);
        debug_assert!(matches!(r, TokenSinkResult::Continue));
        self.sink.end();
    }
}
