//! Tokenizing: decoded HTML text to html5ever tokens, by the WHATWG HTML
//! specification's tokenization state machine (§ 13.2.5).
//!
//! In: the text of one document as a [`StrTendril`] (a leading byte order
//! mark already dropped and CR / CRLF already turned into LF, the spec's
//! input stream preprocessing: [`preprocess`]) and an html5ever
//! [`TokenSink`] — in ghirbal html5ever's tree builder behind the depth
//! guard. Out: the tokens, handed to the sink as they are made (doctypes,
//! start and end tags, comments, character runs, U+0000 in the data state as
//! `NullCharacterToken` as html5ever's own tokenizer sends it, end of file),
//! and [`Stats`] on what was dropped.
//!
//! As in the spec, tree construction drives the tokenizer: the state is
//! switched to RCDATA, RAWTEXT, script data or PLAINTEXT when the sink's
//! answer to a start tag says so, and `<![CDATA[` opens a CDATA section only
//! when the sink says the adjusted current node is not an HTML element
//! (SVG, MathML); elsewhere it is a bogus comment.
//!
//! Speed: the tokenizer works on the bytes of the one text by offset. Runs
//! of text, names, attribute values and comments are found with `memchr`
//! and handed out as sub-tendrils of the input (which share its buffer); a
//! token is copied only where its text is not a slice of the input
//! (character references, U+0000 replaced). Every special character of the
//! state machine is ASCII, so the runs always end on character boundaries.
//!
//! Safety on hostile pages: one loop over a state enum, no recursion (a tag
//! with a million attributes costs no stack); attributes past
//! [`MAX_ATTRIBUTES`] on one tag are tokenized but dropped, and a duplicate
//! attribute is dropped (the first of a name wins), so each attribute is
//! compared with at most [`MAX_ATTRIBUTES`] others.
//!
//! Named character references come from the table html5ever's crates export
//! (`html5ever::data::NAMED_ENTITIES`, which also holds every prefix of
//! every name), numeric ones are resolved by the spec's numeric character
//! reference end state (`html5ever::data::C1_REPLACEMENTS` for 0x80–0x9F).

use super::dom::MAX_ATTRIBUTES;
use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, ScriptEscapeKind};
use html5ever::tokenizer::{Doctype, EndTag, StartTag, Tag, Token, TokenSink, TokenSinkResult};
use html5ever::{Attribute, LocalName, QualName};
use memchr::{memchr, memchr2, memchr3};
use std::borrow::Cow;

/// What the tokenizer dropped from a document.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Some tag had attributes past [`MAX_ATTRIBUTES`].
    pub cut_attributes: bool,
}

/// The spec's input stream preprocessing, as html5ever's tokenizer reads
/// its input: a leading byte order mark dropped, CR LF and lone CR turned
/// into LF. Borrowed when there is nothing to change.
pub fn preprocess(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let b = text.as_bytes();
    let Some(first) = memchr(b'\r', b) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut cr = first;
    loop {
        out.push_str(&text[from..cr]);
        out.push('\n');
        from = cr + 1;
        if b.get(from) == Some(&b'\n') {
            from += 1;
        }
        match memchr(b'\r', &b[from..]) {
            Some(k) => cr = from + k,
            None => break,
        }
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// Which text state a raw-text end tag is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    Rcdata,
    Rawtext,
    ScriptData,
    ScriptDataEscaped,
}

/// Which doctype identifier is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    Public,
    System,
}

/// The states of § 13.2.5, those of the character references folded into
/// [`Tokenizer::char_ref`] (which reads a whole reference at once), and the
/// three "less-than sign / end tag open / end tag name" triples of RCDATA,
/// RAWTEXT, script data and escaped script data made one each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Data,
    Rcdata,
    Rawtext,
    ScriptData,
    Plaintext,
    TagOpen,
    EndTagOpen,
    TagName,
    /// RCDATA, RAWTEXT or script data less-than sign state.
    RawLessThan(Raw),
    RawEndTagOpen(Raw),
    RawEndTagName(Raw),
    ScriptDataEscapeStart,
    ScriptDataEscapeStartDash,
    ScriptDataEscaped,
    ScriptDataEscapedDash,
    ScriptDataEscapedDashDash,
    ScriptDataEscapedLessThan,
    ScriptDataDoubleEscapeStart,
    ScriptDataDoubleEscaped,
    ScriptDataDoubleEscapedDash,
    ScriptDataDoubleEscapedDashDash,
    ScriptDataDoubleEscapedLessThan,
    ScriptDataDoubleEscapeEnd,
    BeforeAttributeName,
    AttributeName,
    AfterAttributeName,
    BeforeAttributeValue,
    /// Double- or single-quoted, by the quote.
    AttributeValueQuoted(u8),
    AttributeValueUnquoted,
    AfterAttributeValueQuoted,
    SelfClosingStartTag,
    BogusComment,
    MarkupDeclarationOpen,
    CommentStart,
    CommentStartDash,
    Comment,
    CommentLessThan,
    CommentLessThanBang,
    CommentLessThanBangDash,
    CommentLessThanBangDashDash,
    CommentEndDash,
    CommentEnd,
    CommentEndBang,
    Doctype,
    BeforeDoctypeName,
    DoctypeName,
    AfterDoctypeName,
    /// After the `PUBLIC` or `SYSTEM` keyword.
    AfterDoctypeKeyword(Id),
    BeforeDoctypeId(Id),
    /// Double- or single-quoted, by the quote.
    DoctypeIdQuoted(Id, u8),
    AfterDoctypePublicId,
    BetweenDoctypeIds,
    AfterDoctypeSystemId,
    BogusDoctype,
    CdataSection,
    CdataSectionBracket,
    CdataSectionEnd,
}

/// A byte table: `t[c]` for the bytes listed.
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Bytes that end a tag name.
static TAG_NAME_END: [bool; 256] = table(b"\t\n\x0C />\0");
/// Bytes that end an attribute name.
static ATTR_NAME_END: [bool; 256] = table(b"\t\n\x0C />=\0");
/// Bytes that end a run of an unquoted attribute value.
static UNQUOTED_END: [bool; 256] = table(b"\t\n\x0C &>\0");
/// Bytes that end a run of a doctype name.
static DOCTYPE_NAME_END: [bool; 256] = table(b"\t\n\x0C >\0");

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// The longest named character reference, without its `;`.
const LONGEST_ENTITY: usize = 32;

const REPLACEMENT: &str = "\u{FFFD}";

/// Text gathered for one token: while it is one slice of the input it is
/// kept as that slice's bounds (and handed out as a sub-tendril sharing the
/// input's buffer), and copied only once something else joins it.
#[derive(Default)]
struct Piece {
    start: usize,
    end: usize,
    owned: Option<StrTendril>,
}

impl Piece {
    fn is_empty(&self) -> bool {
        self.start == self.end && self.owned.as_ref().is_none_or(|o| o.is_empty())
    }

    fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
        self.owned = None;
    }

    /// Add `input[a..b]`.
    fn push_range(&mut self, input: &str, a: usize, b: usize) {
        if a == b {
            return;
        }
        match &mut self.owned {
            Some(o) => o.push_slice(&input[a..b]),
            None if self.start == self.end => {
                self.start = a;
                self.end = b;
            }
            None if self.end == a => self.end = b,
            None => {
                let mut o = StrTendril::from_slice(&input[self.start..self.end]);
                o.push_slice(&input[a..b]);
                self.owned = Some(o);
            }
        }
    }

    /// Add text that is not where it stands in the input.
    fn push_str(&mut self, input: &str, s: &str) {
        self.owned
            .get_or_insert_with(|| StrTendril::from_slice(&input[self.start..self.end]))
            .push_slice(s);
    }

    fn push_char(&mut self, input: &str, c: char) {
        self.push_str(input, c.encode_utf8(&mut [0; 4]));
    }

    /// The text, as a tendril; the piece is left empty.
    fn take(&mut self, input: &StrTendril) -> StrTendril {
        let t = match self.owned.take() {
            Some(o) => o,
            None => input.subtendril(self.start as u32, (self.end - self.start) as u32),
        };
        self.start = 0;
        self.end = 0;
        t
    }
}

/// A doctype token being read.
#[derive(Default)]
struct DoctypeBuf {
    name: Option<String>,
    public_id: Option<String>,
    system_id: Option<String>,
    force_quirks: bool,
}

impl DoctypeBuf {
    fn id(&mut self, id: Id) -> &mut Option<String> {
        match id {
            Id::Public => &mut self.public_id,
            Id::System => &mut self.system_id,
        }
    }
}

/// Append `s` lower-cased (ASCII) to `buf`.
fn push_lower(buf: &mut String, s: &str) {
    let at = buf.len();
    buf.push_str(s);
    buf[at..].make_ascii_lowercase();
}

/// The tokenizer of one document.
struct Tokenizer<'a, S: TokenSink> {
    sink: &'a S,
    input: &'a StrTendril,
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    state: State,
    done: bool,
    /// Character tokens not yet handed to the sink.
    chars: Piece,
    /// Where the `<` of a possible end tag in raw text is.
    lt: usize,
    /// The spec's temporary buffer (double-escape `script` detection).
    temp: String,
    end_tag: bool,
    self_closing: bool,
    tag_name: String,
    attrs: Vec<Attribute>,
    /// Attributes seen on the current tag, kept or not.
    attr_count: usize,
    /// An attribute is being read.
    in_attr: bool,
    /// ... and it is within the cap.
    attr_kept: bool,
    had_duplicate: bool,
    attr_name: String,
    attr_value: Piece,
    last_start_tag: String,
    comment: Piece,
    doctype: DoctypeBuf,
    stats: Stats,
}

/// Tokenize `input` (preprocessed, [`preprocess`]) into `sink`, then call
/// the sink's `end`.
pub fn tokenize<S: TokenSink>(input: &StrTendril, sink: &S) -> Stats {
    let text: &str = input;
    let mut t = Tokenizer {
        sink,
        input,
        text,
        b: text.as_bytes(),
        pos: 0,
        state: State::Data,
        done: false,
        chars: Piece::default(),
        lt: 0,
        temp: String::new(),
        end_tag: false,
        self_closing: false,
        tag_name: String::new(),
        attrs: Vec::new(),
        attr_count: 0,
        in_attr: false,
        attr_kept: false,
        had_duplicate: false,
        attr_name: String::new(),
        attr_value: Piece::default(),
        last_start_tag: String::new(),
        comment: Piece::default(),
        doctype: DoctypeBuf::default(),
        stats: Stats::default(),
    };
    t.run();
    sink.end();
    t.stats
}

impl<S: TokenSink> Tokenizer<'_, S> {
    fn cur(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Give a token to the sink and switch state as its answer says.
    fn emit(&mut self, token: Token) {
        match self.sink.process_token(token, 0) {
            TokenSinkResult::RawData(kind) => {
                self.state = match kind {
                    RawKind::Rcdata => State::Rcdata,
                    RawKind::Rawtext => State::Rawtext,
                    RawKind::ScriptData => State::ScriptData,
                    RawKind::ScriptDataEscaped(ScriptEscapeKind::Escaped) => {
                        State::ScriptDataEscaped
                    }
                    RawKind::ScriptDataEscaped(ScriptEscapeKind::DoubleEscaped) => {
                        State::ScriptDataDoubleEscaped
                    }
                }
            }
            TokenSinkResult::Plaintext => self.state = State::Plaintext,
            // html5ever's tokenizer stops where the sink asks it to (after
            // a script's end tag, for the script to run; after a `<meta>`
            // naming an encoding) and drops a byte order mark where it
            // starts again: so does this one.
            TokenSinkResult::Script(_) | TokenSinkResult::EncodingIndicator(_)
                if self.b[self.pos..].starts_with("\u{FEFF}".as_bytes()) =>
            {
                self.pos += 3;
            }
            _ => {}
        }
    }

    fn flush_chars(&mut self) {
        if !self.chars.is_empty() {
            let t = self.chars.take(self.input);
            self.emit(Token::CharacterTokens(t));
        }
    }

    fn chars_range(&mut self, a: usize, b: usize) {
        self.chars.push_range(self.text, a, b);
    }

    fn chars_str(&mut self, s: &str) {
        self.chars.push_str(self.text, s);
    }

    fn emit_eof(&mut self) {
        self.flush_chars();
        self.emit(Token::EOFToken);
        self.done = true;
    }

    fn new_tag(&mut self, end_tag: bool) {
        self.end_tag = end_tag;
        self.self_closing = false;
        self.tag_name.clear();
        self.attrs.clear();
        self.attr_count = 0;
        self.in_attr = false;
        self.had_duplicate = false;
    }

    /// Start a new attribute on the current tag.
    fn new_attribute(&mut self) {
        self.finish_attribute();
        self.in_attr = true;
        self.attr_count += 1;
        self.attr_kept = self.attr_count <= MAX_ATTRIBUTES;
        if !self.attr_kept {
            self.stats.cut_attributes = true;
        }
        self.attr_name.clear();
        self.attr_value.clear();
    }

    /// Put the attribute read on the tag, unless it is past the cap or its
    /// name is already there (the spec drops it when leaving the attribute
    /// name state; its value changes nothing).
    fn finish_attribute(&mut self) {
        if !std::mem::take(&mut self.in_attr) || !self.attr_kept {
            return;
        }
        if self.attrs.iter().any(|a| *a.name.local == *self.attr_name) {
            self.had_duplicate = true;
            return;
        }
        let value = self.attr_value.take(self.input);
        self.attrs.push(Attribute {
            name: QualName::new(None, html5ever::ns!(), LocalName::from(&*self.attr_name)),
            value,
        });
    }

    /// Switch to the data state and emit the current tag.
    fn emit_tag(&mut self) {
        self.finish_attribute();
        self.flush_chars();
        self.state = State::Data;
        let kind = if self.end_tag {
            EndTag
        } else {
            self.last_start_tag.clear();
            self.last_start_tag.push_str(&self.tag_name);
            StartTag
        };
        let tag = Tag {
            kind,
            name: LocalName::from(&*self.tag_name),
            self_closing: self.self_closing,
            attrs: std::mem::take(&mut self.attrs),
            had_duplicate_attributes: self.had_duplicate,
        };
        self.emit(Token::TagToken(tag));
    }

    fn emit_comment(&mut self) {
        self.flush_chars();
        let t = self.comment.take(self.input);
        self.emit(Token::CommentToken(t));
    }

    fn emit_doctype(&mut self) {
        self.flush_chars();
        let d = std::mem::take(&mut self.doctype);
        let t = |s: Option<String>| s.map(|s| StrTendril::from_slice(&s));
        self.emit(Token::DoctypeToken(Doctype {
            name: t(d.name),
            public_id: t(d.public_id),
            system_id: t(d.system_id),
            force_quirks: d.force_quirks,
        }));
    }

    /// EOF in a doctype: force quirks, emit it, emit end of file.
    fn eof_in_doctype(&mut self) {
        self.doctype.force_quirks = true;
        self.emit_doctype();
        self.emit_eof();
    }

    /// The current end tag token's name is the last start tag's.
    fn is_appropriate_end_tag(&self) -> bool {
        !self.last_start_tag.is_empty() && self.tag_name == self.last_start_tag
    }

    /// The character reference states (§ 13.2.5.72–80) for the `&` at `amp`:
    /// the end of the reference and the character(s) it stands for, or
    /// `None` where the `&` stays as it is (no reference, or a named one in
    /// an attribute value followed by `=` or an alphanumeric, kept for
    /// historical reasons); in that case the characters after the `&` read
    /// as ordinary text, which is what the spec's flushing of the consumed
    /// characters and its ambiguous ampersand state amount to.
    fn char_ref(&self, amp: usize, in_attr: bool) -> Option<(usize, char, Option<char>)> {
        let b = self.b;
        let start = amp + 1;
        match b.get(start) {
            Some(c) if c.is_ascii_alphanumeric() => {
                // Named character reference state: the longest name in the
                // table that the input starts with.
                let mut end = start;
                while end < b.len()
                    && end - start < LONGEST_ENTITY
                    && b[end].is_ascii_alphanumeric()
                {
                    end += 1;
                }
                let found = |name: &str| {
                    NAMED_ENTITIES
                        .get(name)
                        .filter(|&&(c1, _)| c1 != 0)
                        .map(|&(c1, c2)| {
                            let c = |u| char::from_u32(u).unwrap_or('\u{FFFD}');
                            (c(c1), (c2 != 0).then(|| c(c2)))
                        })
                };
                if b.get(end) == Some(&b';') {
                    if let Some((c1, c2)) = found(&self.text[start..=end]) {
                        return Some((end + 1, c1, c2));
                    }
                }
                for e in (start + 1..=end).rev() {
                    if let Some((c1, c2)) = found(&self.text[start..e]) {
                        if in_attr
                            && b.get(e)
                                .is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric())
                        {
                            return None;
                        }
                        return Some((e, c1, c2));
                    }
                }
                None
            }
            Some(b'#') => {
                // Numeric character reference state.
                let mut p = start + 1;
                let hex = matches!(b.get(p), Some(b'x' | b'X'));
                if hex {
                    p += 1;
                }
                let digits = p;
                let mut code: u32 = 0;
                while let Some(&c) = b.get(p) {
                    let d = match c {
                        b'0'..=b'9' => u32::from(c - b'0'),
                        b'a'..=b'f' if hex => u32::from(c - b'a' + 10),
                        b'A'..=b'F' if hex => u32::from(c - b'A' + 10),
                        _ => break,
                    };
                    code = (code * if hex { 16 } else { 10 } + d).min(0x11_0000);
                    p += 1;
                }
                if p == digits {
                    // Absence of digits: the `&#` (`&#x`) stays text.
                    return None;
                }
                if b.get(p) == Some(&b';') {
                    p += 1;
                }
                // Numeric character reference end state.
                let c = match code {
                    0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{FFFD}',
                    0x80..=0x9F => C1_REPLACEMENTS[(code - 0x80) as usize]
                        .unwrap_or_else(|| char::from_u32(code).unwrap_or('\u{FFFD}')),
                    _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
                };
                Some((p, c, None))
            }
            _ => None,
        }
    }

    /// A character reference in text, its `&` at `self.pos`.
    fn char_ref_in_text(&mut self) {
        let amp = self.pos;
        match self.char_ref(amp, false) {
            Some((end, c1, c2)) => {
                self.chars.push_char(self.text, c1);
                if let Some(c2) = c2 {
                    self.chars.push_char(self.text, c2);
                }
                self.pos = end;
            }
            None => {
                self.chars_range(amp, amp + 1);
                self.pos = amp + 1;
            }
        }
    }

    /// A character reference in an attribute value, its `&` at `self.pos`.
    fn char_ref_in_attr(&mut self) {
        let amp = self.pos;
        match self.char_ref(amp, true) {
            Some((end, c1, c2)) => {
                self.attr_value.push_char(self.text, c1);
                if let Some(c2) = c2 {
                    self.attr_value.push_char(self.text, c2);
                }
                self.pos = end;
            }
            None => {
                self.attr_value.push_range(self.text, amp, amp + 1);
                self.pos = amp + 1;
            }
        }
    }

    /// The text state a raw-text end tag search goes back to.
    fn raw_state(raw: Raw) -> State {
        match raw {
            Raw::Rcdata => State::Rcdata,
            Raw::Rawtext => State::Rawtext,
            Raw::ScriptData => State::ScriptData,
            Raw::ScriptDataEscaped => State::ScriptDataEscaped,
        }
    }

    /// Read a run of ASCII letters at `self.pos`, lower-cased into `temp`
    /// (`to_temp`) or the tag name, and emitted as text (`emit`).
    fn letters(&mut self, to_temp: bool, emit: bool) {
        let from = self.pos;
        while self.pos < self.b.len() && self.b[self.pos].is_ascii_alphabetic() {
            self.pos += 1;
        }
        let run = &self.text[from..self.pos];
        push_lower(
            if to_temp {
                &mut self.temp
            } else {
                &mut self.tag_name
            },
            run,
        );
        if emit {
            self.chars_range(from, self.pos);
        }
    }

    /// Skip ASCII white space; the next byte.
    fn skip_space(&mut self) -> Option<u8> {
        while self.pos < self.b.len() && is_space(self.b[self.pos]) {
            self.pos += 1;
        }
        self.cur()
    }

    /// Scan from `self.pos` to the first byte `stop` has (or the end).
    fn scan(&mut self, stop: &[bool; 256]) -> usize {
        let from = self.pos;
        while self.pos < self.b.len() && !stop[self.b[self.pos] as usize] {
            self.pos += 1;
        }
        from
    }

    fn run(&mut self) {
        let len = self.b.len();
        while !self.done {
            let pos = self.pos;
            match self.state {
                State::Data => match memchr3(b'<', b'&', 0, &self.b[pos..]) {
                    None => {
                        self.chars_range(pos, len);
                        self.pos = len;
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        self.chars_range(pos, at);
                        self.pos = at;
                        match self.b[at] {
                            b'<' => {
                                self.pos += 1;
                                self.state = State::TagOpen;
                            }
                            b'&' => self.char_ref_in_text(),
                            _ => {
                                // U+0000 goes as its own token, as html5ever
                                // sends it (the tree builder drops it).
                                self.flush_chars();
                                self.emit(Token::NullCharacterToken);
                                self.pos += 1;
                            }
                        }
                    }
                },
                State::Rcdata => match memchr3(b'<', b'&', 0, &self.b[pos..]) {
                    None => {
                        self.chars_range(pos, len);
                        self.pos = len;
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        self.chars_range(pos, at);
                        self.pos = at;
                        match self.b[at] {
                            b'<' => {
                                self.lt = at;
                                self.pos += 1;
                                self.state = State::RawLessThan(Raw::Rcdata);
                            }
                            b'&' => self.char_ref_in_text(),
                            _ => {
                                self.chars_str(REPLACEMENT);
                                self.pos += 1;
                            }
                        }
                    }
                },
                State::Rawtext | State::ScriptData => {
                    let raw = if self.state == State::Rawtext {
                        Raw::Rawtext
                    } else {
                        Raw::ScriptData
                    };
                    match memchr2(b'<', 0, &self.b[pos..]) {
                        None => {
                            self.chars_range(pos, len);
                            self.pos = len;
                            self.emit_eof();
                        }
                        Some(k) => {
                            let at = pos + k;
                            self.chars_range(pos, at);
                            self.pos = at + 1;
                            if self.b[at] == b'<' {
                                self.lt = at;
                                self.state = State::RawLessThan(raw);
                            } else {
                                self.chars_str(REPLACEMENT);
                            }
                        }
                    }
                }
                State::Plaintext => match memchr(0, &self.b[pos..]) {
                    None => {
                        self.chars_range(pos, len);
                        self.pos = len;
                        self.emit_eof();
                    }
                    Some(k) => {
                        self.chars_range(pos, pos + k);
                        self.chars_str(REPLACEMENT);
                        self.pos = pos + k + 1;
                    }
                },
                State::TagOpen => match self.cur() {
                    Some(b'!') => {
                        self.pos += 1;
                        self.state = State::MarkupDeclarationOpen;
                    }
                    Some(b'/') => {
                        self.pos += 1;
                        self.state = State::EndTagOpen;
                    }
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.new_tag(false);
                        self.state = State::TagName;
                    }
                    Some(b'?') => {
                        self.comment.clear();
                        self.state = State::BogusComment;
                    }
                    _ => {
                        // Not a tag: the `<` is text (EOF included).
                        self.chars_range(pos - 1, pos);
                        self.state = State::Data;
                    }
                },
                State::EndTagOpen => match self.cur() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.new_tag(true);
                        self.state = State::TagName;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                    }
                    None => {
                        self.chars_range(pos - 2, pos);
                        self.emit_eof();
                    }
                    Some(_) => {
                        self.comment.clear();
                        self.state = State::BogusComment;
                    }
                },
                State::TagName => {
                    let from = self.scan(&TAG_NAME_END);
                    push_lower(&mut self.tag_name, &self.text[from..self.pos]);
                    match self.cur() {
                        Some(b'>') => {
                            self.pos += 1;
                            self.emit_tag();
                        }
                        Some(b'/') => {
                            self.pos += 1;
                            self.state = State::SelfClosingStartTag;
                        }
                        Some(0) => {
                            self.pos += 1;
                            self.tag_name.push_str(REPLACEMENT);
                        }
                        Some(_) => {
                            self.pos += 1;
                            self.state = State::BeforeAttributeName;
                        }
                        None => self.emit_eof(),
                    }
                }
                State::RawLessThan(raw) => match self.cur() {
                    Some(b'/') => {
                        self.pos += 1;
                        self.temp.clear();
                        self.state = State::RawEndTagOpen(raw);
                    }
                    Some(b'!') if raw == Raw::ScriptData => {
                        self.pos += 1;
                        self.chars_range(self.lt, self.pos);
                        self.state = State::ScriptDataEscapeStart;
                    }
                    _ => {
                        self.chars_range(self.lt, self.lt + 1);
                        self.state = Self::raw_state(raw);
                    }
                },
                State::RawEndTagOpen(raw) => match self.cur() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.new_tag(true);
                        self.state = State::RawEndTagName(raw);
                    }
                    _ => {
                        self.chars_range(self.lt, pos);
                        self.state = Self::raw_state(raw);
                    }
                },
                State::RawEndTagName(raw) => {
                    self.letters(false, false);
                    let appropriate = self.is_appropriate_end_tag();
                    match self.cur() {
                        Some(c) if appropriate && is_space(c) => {
                            self.pos += 1;
                            self.state = State::BeforeAttributeName;
                        }
                        Some(b'/') if appropriate => {
                            self.pos += 1;
                            self.state = State::SelfClosingStartTag;
                        }
                        Some(b'>') if appropriate => {
                            self.pos += 1;
                            self.emit_tag();
                        }
                        _ => {
                            // Not the end tag: `</` and the letters are text.
                            self.chars_range(self.lt, self.pos);
                            self.state = Self::raw_state(raw);
                        }
                    }
                }
                State::ScriptDataEscapeStart | State::ScriptDataEscapeStartDash => {
                    if self.cur() == Some(b'-') {
                        self.pos += 1;
                        self.chars_range(pos, pos + 1);
                        self.state = if self.state == State::ScriptDataEscapeStart {
                            State::ScriptDataEscapeStartDash
                        } else {
                            State::ScriptDataEscapedDashDash
                        };
                    } else {
                        self.state = State::ScriptData;
                    }
                }
                State::ScriptDataEscaped | State::ScriptDataDoubleEscaped => {
                    let double = self.state == State::ScriptDataDoubleEscaped;
                    match memchr3(b'-', b'<', 0, &self.b[pos..]) {
                        None => {
                            self.chars_range(pos, len);
                            self.pos = len;
                            self.emit_eof();
                        }
                        Some(k) => {
                            let at = pos + k;
                            self.chars_range(pos, at);
                            self.pos = at + 1;
                            match self.b[at] {
                                b'-' => {
                                    self.chars_range(at, at + 1);
                                    self.state = if double {
                                        State::ScriptDataDoubleEscapedDash
                                    } else {
                                        State::ScriptDataEscapedDash
                                    };
                                }
                                b'<' if double => {
                                    self.chars_range(at, at + 1);
                                    self.state = State::ScriptDataDoubleEscapedLessThan;
                                }
                                b'<' => {
                                    self.lt = at;
                                    self.state = State::ScriptDataEscapedLessThan;
                                }
                                _ => self.chars_str(REPLACEMENT),
                            }
                        }
                    }
                }
                State::ScriptDataEscapedDash | State::ScriptDataEscapedDashDash => {
                    let dash_dash = self.state == State::ScriptDataEscapedDashDash;
                    match self.cur() {
                        Some(b'-') => {
                            self.pos += 1;
                            self.chars_range(pos, pos + 1);
                            self.state = State::ScriptDataEscapedDashDash;
                        }
                        Some(b'<') => {
                            self.lt = pos;
                            self.pos += 1;
                            self.state = State::ScriptDataEscapedLessThan;
                        }
                        Some(b'>') if dash_dash => {
                            self.pos += 1;
                            self.chars_range(pos, pos + 1);
                            self.state = State::ScriptData;
                        }
                        Some(0) => {
                            self.pos += 1;
                            self.chars_str(REPLACEMENT);
                            self.state = State::ScriptDataEscaped;
                        }
                        None => self.emit_eof(),
                        // The escaped state emits it as it is.
                        Some(_) => self.state = State::ScriptDataEscaped,
                    }
                }
                State::ScriptDataEscapedLessThan => match self.cur() {
                    Some(b'/') => {
                        self.pos += 1;
                        self.temp.clear();
                        self.state = State::RawEndTagOpen(Raw::ScriptDataEscaped);
                    }
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.temp.clear();
                        self.chars_range(self.lt, self.lt + 1);
                        self.state = State::ScriptDataDoubleEscapeStart;
                    }
                    _ => {
                        self.chars_range(self.lt, self.lt + 1);
                        self.state = State::ScriptDataEscaped;
                    }
                },
                State::ScriptDataDoubleEscapeStart | State::ScriptDataDoubleEscapeEnd => {
                    let start = self.state == State::ScriptDataDoubleEscapeStart;
                    self.letters(true, true);
                    let (found, other) = if start {
                        (State::ScriptDataDoubleEscaped, State::ScriptDataEscaped)
                    } else {
                        (State::ScriptDataEscaped, State::ScriptDataDoubleEscaped)
                    };
                    match self.cur() {
                        Some(c) if is_space(c) || c == b'/' || c == b'>' => {
                            self.chars_range(self.pos, self.pos + 1);
                            self.pos += 1;
                            self.state = if self.temp == "script" { found } else { other };
                        }
                        _ => self.state = other,
                    }
                }
                State::ScriptDataDoubleEscapedDash | State::ScriptDataDoubleEscapedDashDash => {
                    let dash_dash = self.state == State::ScriptDataDoubleEscapedDashDash;
                    match self.cur() {
                        Some(b'-') => {
                            self.pos += 1;
                            self.chars_range(pos, pos + 1);
                            self.state = State::ScriptDataDoubleEscapedDashDash;
                        }
                        Some(b'<') => {
                            self.pos += 1;
                            self.chars_range(pos, pos + 1);
                            self.state = State::ScriptDataDoubleEscapedLessThan;
                        }
                        Some(b'>') if dash_dash => {
                            self.pos += 1;
                            self.chars_range(pos, pos + 1);
                            self.state = State::ScriptData;
                        }
                        Some(0) => {
                            self.pos += 1;
                            self.chars_str(REPLACEMENT);
                            self.state = State::ScriptDataDoubleEscaped;
                        }
                        None => self.emit_eof(),
                        Some(_) => self.state = State::ScriptDataDoubleEscaped,
                    }
                }
                State::ScriptDataDoubleEscapedLessThan => {
                    if self.cur() == Some(b'/') {
                        self.pos += 1;
                        self.chars_range(pos, pos + 1);
                        self.temp.clear();
                        self.state = State::ScriptDataDoubleEscapeEnd;
                    } else {
                        self.state = State::ScriptDataDoubleEscaped;
                    }
                }
                State::BeforeAttributeName => match self.skip_space() {
                    Some(b'/' | b'>') | None => self.state = State::AfterAttributeName,
                    Some(b'=') => {
                        // A name may start with `=`.
                        self.new_attribute();
                        self.attr_name.push('=');
                        self.pos += 1;
                        self.state = State::AttributeName;
                    }
                    Some(_) => {
                        self.new_attribute();
                        self.state = State::AttributeName;
                    }
                },
                State::AttributeName => {
                    let from = self.scan(&ATTR_NAME_END);
                    if self.attr_kept {
                        push_lower(&mut self.attr_name, &self.text[from..self.pos]);
                    }
                    match self.cur() {
                        Some(b'=') => {
                            self.pos += 1;
                            self.state = State::BeforeAttributeValue;
                        }
                        Some(0) => {
                            self.pos += 1;
                            self.attr_name.push_str(REPLACEMENT);
                        }
                        _ => self.state = State::AfterAttributeName,
                    }
                }
                State::AfterAttributeName => match self.skip_space() {
                    Some(b'/') => {
                        self.pos += 1;
                        self.state = State::SelfClosingStartTag;
                    }
                    Some(b'=') => {
                        self.pos += 1;
                        self.state = State::BeforeAttributeValue;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.emit_tag();
                    }
                    None => self.emit_eof(),
                    Some(_) => {
                        self.new_attribute();
                        self.state = State::AttributeName;
                    }
                },
                State::BeforeAttributeValue => match self.skip_space() {
                    Some(q @ (b'"' | b'\'')) => {
                        self.pos += 1;
                        self.state = State::AttributeValueQuoted(q);
                    }
                    Some(b'>') => {
                        // Missing value: the attribute's value is empty.
                        self.pos += 1;
                        self.emit_tag();
                    }
                    _ => self.state = State::AttributeValueUnquoted,
                },
                State::AttributeValueQuoted(q) => match memchr3(q, b'&', 0, &self.b[pos..]) {
                    None => {
                        self.pos = len;
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        if self.attr_kept {
                            self.attr_value.push_range(self.text, pos, at);
                        }
                        self.pos = at;
                        match self.b[at] {
                            b'&' if self.attr_kept => self.char_ref_in_attr(),
                            b'&' => self.pos += 1,
                            0 => {
                                self.pos += 1;
                                if self.attr_kept {
                                    self.attr_value.push_str(self.text, REPLACEMENT);
                                }
                            }
                            _ => {
                                self.pos += 1;
                                self.state = State::AfterAttributeValueQuoted;
                            }
                        }
                    }
                },
                State::AttributeValueUnquoted => {
                    let from = self.scan(&UNQUOTED_END);
                    if self.attr_kept {
                        self.attr_value.push_range(self.text, from, self.pos);
                    }
                    match self.cur() {
                        Some(b'&') if self.attr_kept => self.char_ref_in_attr(),
                        Some(b'&') => self.pos += 1,
                        Some(b'>') => {
                            self.pos += 1;
                            self.emit_tag();
                        }
                        Some(0) => {
                            self.pos += 1;
                            if self.attr_kept {
                                self.attr_value.push_str(self.text, REPLACEMENT);
                            }
                        }
                        Some(_) => {
                            self.pos += 1;
                            self.state = State::BeforeAttributeName;
                        }
                        None => self.emit_eof(),
                    }
                }
                State::AfterAttributeValueQuoted => match self.cur() {
                    Some(c) if is_space(c) => {
                        self.pos += 1;
                        self.state = State::BeforeAttributeName;
                    }
                    Some(b'/') => {
                        self.pos += 1;
                        self.state = State::SelfClosingStartTag;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.emit_tag();
                    }
                    None => self.emit_eof(),
                    Some(_) => self.state = State::BeforeAttributeName,
                },
                State::SelfClosingStartTag => match self.cur() {
                    Some(b'>') => {
                        self.pos += 1;
                        self.self_closing = true;
                        self.emit_tag();
                    }
                    None => self.emit_eof(),
                    Some(_) => self.state = State::BeforeAttributeName,
                },
                State::BogusComment => match memchr2(b'>', 0, &self.b[pos..]) {
                    None => {
                        self.comment.push_range(self.text, pos, len);
                        self.pos = len;
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        self.comment.push_range(self.text, pos, at);
                        self.pos = at + 1;
                        if self.b[at] == b'>' {
                            self.state = State::Data;
                            self.emit_comment();
                        } else {
                            self.comment.push_str(self.text, REPLACEMENT);
                        }
                    }
                },
                State::MarkupDeclarationOpen => {
                    let rest = &self.b[pos..];
                    self.comment.clear();
                    if rest.starts_with(b"--") {
                        self.pos += 2;
                        self.state = State::CommentStart;
                    } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"DOCTYPE") {
                        self.pos += 7;
                        self.state = State::Doctype;
                    } else if rest.starts_with(b"[CDATA[") {
                        self.pos += 7;
                        // Characters before can move the tree builder
                        // (formatting elements reconstructed): they go first.
                        self.flush_chars();
                        if self
                            .sink
                            .adjusted_current_node_present_but_not_in_html_namespace()
                        {
                            self.state = State::CdataSection;
                        } else {
                            self.comment.push_range(self.text, pos, pos + 7);
                            self.state = State::BogusComment;
                        }
                    } else {
                        self.state = State::BogusComment;
                    }
                }
                State::CommentStart => match self.cur() {
                    Some(b'-') => {
                        self.pos += 1;
                        self.state = State::CommentStartDash;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_comment();
                    }
                    _ => self.state = State::Comment,
                },
                State::CommentStartDash => match self.cur() {
                    Some(b'-') => {
                        self.pos += 1;
                        self.state = State::CommentEnd;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_comment();
                    }
                    None => {
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(_) => {
                        self.comment.push_range(self.text, pos - 1, pos);
                        self.state = State::Comment;
                    }
                },
                State::Comment => match memchr3(b'<', b'-', 0, &self.b[pos..]) {
                    None => {
                        self.comment.push_range(self.text, pos, len);
                        self.pos = len;
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        self.comment.push_range(self.text, pos, at);
                        self.pos = at + 1;
                        match self.b[at] {
                            b'<' => {
                                self.comment.push_range(self.text, at, at + 1);
                                self.state = State::CommentLessThan;
                            }
                            b'-' => self.state = State::CommentEndDash,
                            _ => self.comment.push_str(self.text, REPLACEMENT),
                        }
                    }
                },
                State::CommentLessThan => match self.cur() {
                    Some(c @ (b'!' | b'<')) => {
                        self.pos += 1;
                        self.comment.push_range(self.text, pos, pos + 1);
                        if c == b'!' {
                            self.state = State::CommentLessThanBang;
                        }
                    }
                    _ => self.state = State::Comment,
                },
                State::CommentLessThanBang => {
                    if self.cur() == Some(b'-') {
                        self.pos += 1;
                        self.state = State::CommentLessThanBangDash;
                    } else {
                        self.state = State::Comment;
                    }
                }
                State::CommentLessThanBangDash => {
                    if self.cur() == Some(b'-') {
                        self.pos += 1;
                        self.state = State::CommentLessThanBangDashDash;
                    } else {
                        self.state = State::CommentEndDash;
                    }
                }
                // A nested comment is a parse error, nothing more.
                State::CommentLessThanBangDashDash => self.state = State::CommentEnd,
                State::CommentEndDash => match self.cur() {
                    Some(b'-') => {
                        self.pos += 1;
                        self.state = State::CommentEnd;
                    }
                    None => {
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(_) => {
                        self.comment.push_range(self.text, pos - 1, pos);
                        self.state = State::Comment;
                    }
                },
                State::CommentEnd => match self.cur() {
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_comment();
                    }
                    Some(b'!') => {
                        self.pos += 1;
                        self.state = State::CommentEndBang;
                    }
                    Some(b'-') => {
                        self.pos += 1;
                        self.comment.push_str(self.text, "-");
                    }
                    None => {
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(_) => {
                        self.comment.push_str(self.text, "--");
                        self.state = State::Comment;
                    }
                },
                State::CommentEndBang => match self.cur() {
                    Some(b'-') => {
                        self.pos += 1;
                        self.comment.push_str(self.text, "--!");
                        self.state = State::CommentEndDash;
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_comment();
                    }
                    None => {
                        self.emit_comment();
                        self.emit_eof();
                    }
                    Some(_) => {
                        self.comment.push_str(self.text, "--!");
                        self.state = State::Comment;
                    }
                },
                State::Doctype => {
                    self.doctype = DoctypeBuf::default();
                    match self.cur() {
                        Some(c) if is_space(c) => {
                            self.pos += 1;
                            self.state = State::BeforeDoctypeName;
                        }
                        None => self.eof_in_doctype(),
                        Some(_) => self.state = State::BeforeDoctypeName,
                    }
                }
                State::BeforeDoctypeName => match self.skip_space() {
                    Some(b'>') => {
                        self.pos += 1;
                        self.doctype.force_quirks = true;
                        self.state = State::Data;
                        self.emit_doctype();
                    }
                    None => self.eof_in_doctype(),
                    Some(_) => {
                        // The name state lower-cases and replaces U+0000.
                        self.doctype.name = Some(String::new());
                        self.state = State::DoctypeName;
                    }
                },
                State::DoctypeName => {
                    let from = self.scan(&DOCTYPE_NAME_END);
                    let name = self.doctype.name.get_or_insert_with(String::new);
                    push_lower(name, &self.text[from..self.pos]);
                    match self.b.get(self.pos).copied() {
                        Some(b'>') => {
                            self.pos += 1;
                            self.state = State::Data;
                            self.emit_doctype();
                        }
                        Some(0) => {
                            self.pos += 1;
                            name.push_str(REPLACEMENT);
                        }
                        Some(_) => {
                            self.pos += 1;
                            self.state = State::AfterDoctypeName;
                        }
                        None => self.eof_in_doctype(),
                    }
                }
                State::AfterDoctypeName => match self.skip_space() {
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_doctype();
                    }
                    None => self.eof_in_doctype(),
                    Some(_) => {
                        let p = self.pos;
                        let word = self.b.get(p..p + 6);
                        if word.is_some_and(|w| w.eq_ignore_ascii_case(b"PUBLIC")) {
                            self.pos += 6;
                            self.state = State::AfterDoctypeKeyword(Id::Public);
                        } else if word.is_some_and(|w| w.eq_ignore_ascii_case(b"SYSTEM")) {
                            self.pos += 6;
                            self.state = State::AfterDoctypeKeyword(Id::System);
                        } else {
                            self.doctype.force_quirks = true;
                            self.state = State::BogusDoctype;
                        }
                    }
                },
                State::AfterDoctypeKeyword(id) | State::BeforeDoctypeId(id) => {
                    let before = matches!(self.state, State::BeforeDoctypeId(_));
                    let c = if before {
                        self.skip_space()
                    } else {
                        self.cur()
                    };
                    match c {
                        Some(c) if !before && is_space(c) => {
                            self.pos += 1;
                            self.state = State::BeforeDoctypeId(id);
                        }
                        Some(q @ (b'"' | b'\'')) => {
                            self.pos += 1;
                            *self.doctype.id(id) = Some(String::new());
                            self.state = State::DoctypeIdQuoted(id, q);
                        }
                        Some(b'>') => {
                            self.pos += 1;
                            self.doctype.force_quirks = true;
                            self.state = State::Data;
                            self.emit_doctype();
                        }
                        None => self.eof_in_doctype(),
                        Some(_) => {
                            self.doctype.force_quirks = true;
                            self.state = State::BogusDoctype;
                        }
                    }
                }
                State::DoctypeIdQuoted(id, q) => match memchr3(q, b'>', 0, &self.b[pos..]) {
                    None => {
                        let s = &self.text[pos..];
                        self.doctype
                            .id(id)
                            .get_or_insert_with(String::new)
                            .push_str(s);
                        self.pos = len;
                        self.eof_in_doctype();
                    }
                    Some(k) => {
                        let at = pos + k;
                        let s = &self.text[pos..at];
                        let buf = self.doctype.id(id).get_or_insert_with(String::new);
                        buf.push_str(s);
                        self.pos = at + 1;
                        match self.b[at] {
                            0 => buf.push_str(REPLACEMENT),
                            b'>' => {
                                // Abrupt end of the identifier.
                                self.doctype.force_quirks = true;
                                self.state = State::Data;
                                self.emit_doctype();
                            }
                            _ => {
                                self.state = match id {
                                    Id::Public => State::AfterDoctypePublicId,
                                    Id::System => State::AfterDoctypeSystemId,
                                }
                            }
                        }
                    }
                },
                State::AfterDoctypePublicId | State::BetweenDoctypeIds => {
                    let between = self.state == State::BetweenDoctypeIds;
                    let c = if between {
                        self.skip_space()
                    } else {
                        self.cur()
                    };
                    match c {
                        Some(c) if !between && is_space(c) => {
                            self.pos += 1;
                            self.state = State::BetweenDoctypeIds;
                        }
                        Some(b'>') => {
                            self.pos += 1;
                            self.state = State::Data;
                            self.emit_doctype();
                        }
                        Some(q @ (b'"' | b'\'')) => {
                            self.pos += 1;
                            self.doctype.system_id = Some(String::new());
                            self.state = State::DoctypeIdQuoted(Id::System, q);
                        }
                        None => self.eof_in_doctype(),
                        Some(_) => {
                            self.doctype.force_quirks = true;
                            self.state = State::BogusDoctype;
                        }
                    }
                }
                State::AfterDoctypeSystemId => match self.skip_space() {
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                        self.emit_doctype();
                    }
                    None => self.eof_in_doctype(),
                    // Not force-quirks.
                    Some(_) => self.state = State::BogusDoctype,
                },
                State::BogusDoctype => match memchr(b'>', &self.b[pos..]) {
                    Some(k) => {
                        self.pos = pos + k + 1;
                        self.state = State::Data;
                        self.emit_doctype();
                    }
                    None => {
                        self.pos = len;
                        self.emit_doctype();
                        self.emit_eof();
                    }
                },
                State::CdataSection => match memchr2(b']', 0, &self.b[pos..]) {
                    None => {
                        self.chars_range(pos, len);
                        self.pos = len;
                        self.emit_eof();
                    }
                    Some(k) => {
                        let at = pos + k;
                        self.chars_range(pos, at);
                        self.pos = at + 1;
                        if self.b[at] == b']' {
                            self.state = State::CdataSectionBracket;
                        } else {
                            // The spec emits U+0000 as it is; html5ever's
                            // tokenizer sends it as its own token, which the
                            // tree builder makes U+FFFD in foreign content.
                            self.flush_chars();
                            self.emit(Token::NullCharacterToken);
                        }
                    }
                },
                State::CdataSectionBracket => {
                    if self.cur() == Some(b']') {
                        self.pos += 1;
                        self.state = State::CdataSectionEnd;
                    } else {
                        self.chars_str("]");
                        self.state = State::CdataSection;
                    }
                }
                State::CdataSectionEnd => match self.cur() {
                    Some(b']') => {
                        self.pos += 1;
                        self.chars_str("]");
                    }
                    Some(b'>') => {
                        self.pos += 1;
                        self.state = State::Data;
                    }
                    _ => {
                        self.chars_str("]]");
                        self.state = State::CdataSection;
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::tokenizer::{BufferQueue, Tokenizer as Reference, TokenizerOpts};
    use std::cell::{Cell, RefCell};

    /// A sink that records tokens and drives the tokenizer as a tree builder
    /// would, crudely: raw text after the elements that hold it, CDATA
    /// inside `<svg>` / `<math>`. Character tokens are merged, parse errors
    /// left out, so two tokenizers that chunk text differently compare
    /// equal.
    #[derive(Default)]
    struct Record {
        tokens: RefCell<Vec<Token>>,
        foreign: Cell<bool>,
    }

    impl TokenSink for Record {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut tokens = self.tokens.borrow_mut();
            let mut answer = TokenSinkResult::Continue;
            match token {
                Token::ParseError(_) => return answer,
                Token::CharacterTokens(t) => {
                    if t.is_empty() {
                        return answer;
                    }
                    if let Some(Token::CharacterTokens(last)) = tokens.last_mut() {
                        last.push_tendril(&t);
                        return answer;
                    }
                    tokens.push(Token::CharacterTokens(t));
                    return answer;
                }
                Token::TagToken(ref tag) => {
                    let start = tag.kind == StartTag;
                    match &*tag.name {
                        "svg" | "math" => self.foreign.set(start),
                        "title" | "textarea" if start => {
                            answer = TokenSinkResult::RawData(RawKind::Rcdata)
                        }
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript"
                            if start =>
                        {
                            answer = TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "script" if start => answer = TokenSinkResult::RawData(RawKind::ScriptData),
                        "plaintext" if start => answer = TokenSinkResult::Plaintext,
                        _ => {}
                    }
                }
                _ => {}
            }
            tokens.push(token);
            answer
        }

        fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
            self.foreign.get()
        }
    }

    fn ours(html: &str) -> Vec<Token> {
        let sink = Record::default();
        tokenize(&StrTendril::from_slice(&preprocess(html)), &sink);
        sink.tokens.into_inner()
    }

    fn reference(html: &str) -> Vec<Token> {
        let tok = Reference::new(Record::default(), TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from_slice(html));
        while !matches!(tok.feed(&queue), html5ever::TokenizerResult::Done) {}
        tok.end();
        tok.sink.tokens.into_inner()
    }

    #[track_caller]
    fn same_tokens(html: &str) {
        assert_eq!(ours(html), reference(html), "{html:?}");
    }

    fn chars(s: &str) -> Token {
        Token::CharacterTokens(StrTendril::from_slice(s))
    }

    fn tag(html: &str) -> Tag {
        match ours(html).into_iter().next() {
            Some(Token::TagToken(t)) => t,
            other => panic!("{html:?}: {other:?}"),
        }
    }

    fn attr<'t>(t: &'t Tag, name: &str) -> Option<&'t str> {
        t.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    }

    fn doctype(html: &str) -> Doctype {
        match ours(html).into_iter().next() {
            Some(Token::DoctypeToken(d)) => d,
            other => panic!("{html:?}: {other:?}"),
        }
    }

    #[test]
    fn text_and_tags() {
        let t = ours("a<B Class=x ID='y' hidden>b</b >");
        assert_eq!(t[0], chars("a"));
        let Token::TagToken(b) = &t[1] else { panic!() };
        assert_eq!(&*b.name, "b");
        assert_eq!(attr(b, "class"), Some("x"));
        assert_eq!(attr(b, "id"), Some("y"));
        assert_eq!(attr(b, "hidden"), Some(""));
        assert_eq!(t[2], chars("b"));
        assert!(matches!(&t[3], Token::TagToken(e) if e.kind == EndTag && &*e.name == "b"));
        assert_eq!(t[4], Token::EOFToken);
        assert!(tag("<br/>").self_closing);
        assert!(!tag("<br / >").self_closing);
    }

    #[test]
    fn cr_lf_bom_and_nul() {
        assert_eq!(preprocess("\u{FEFF}a\r\nb\rc\n\r\r\n"), "a\nb\nc\n\n\n");
        assert!(matches!(preprocess("plain\n"), Cow::Borrowed(_)));
        // Only a leading BOM is dropped.
        assert_eq!(ours("\u{FEFF}a\u{FEFF}")[0], chars("a\u{FEFF}"));
        let t = ours("a\0b");
        assert_eq!(t[..3], [chars("a"), Token::NullCharacterToken, chars("b")]);
        assert_eq!(ours("<title>a\0</title>")[1], chars("a\u{FFFD}"));
        assert_eq!(
            ours("<plaintext>\0</plaintext>")[1],
            chars("\u{FFFD}</plaintext>")
        );
        assert_eq!(&*tag("<a\0 b\0=\0>").name, "a\u{FFFD}");
        assert_eq!(attr(&tag("<a b\0=\0>"), "b\u{FFFD}"), Some("\u{FFFD}"));
        for html in [
            "a\r\nb\0c",
            "<a title='x\r\ny'>\r</a>",
            "\u{FEFF}\u{FEFF}x",
            "<!--\0-->",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn raw_text_rcdata_and_plaintext() {
        let t = ours("<title>a<b>&amp;</title >x");
        assert_eq!(t[1], chars("a<b>&"));
        let t = ours("<style>a<b>&amp;</styles></style>");
        assert_eq!(t[1], chars("a<b>&amp;</styles>"));
        let t = ours("<textarea></TEXTAREA>");
        assert!(matches!(&t[1], Token::TagToken(e) if e.kind == EndTag));
        // An end tag that is not the last start tag's stays text.
        assert_eq!(ours("<title></b></title>")[1], chars("</b>"));
        assert_eq!(
            ours("<plaintext></plaintext><b>")[1],
            chars("</plaintext><b>")
        );
        for html in [
            "<title>a</title",
            "<title>a</titl",
            "<textarea>&notin; &not &#65</textarea>",
            "<xmp></xmp x=1/>",
            "<style></",
            "<style><",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn script_data_escapes() {
        // `<!--<script>` double-escapes: the first `</script>` is script text.
        let t = ours("<script><!--<script>x</script>-->y</script>z");
        assert_eq!(t[1], chars("<!--<script>x</script>-->y"));
        assert_eq!(t[3], chars("z"));
        // Without `<script>` inside, `</script>` ends the escaped text.
        let t = ours("<script><!--x</script>y");
        assert_eq!(t[1], chars("<!--x"));
        for html in [
            "<script><!--<script>--></script>",
            "<script><!--<SCRIPT >x</SCRIPT/>--></script>",
            "<script><!-- -- - -> --></script>a",
            "<script><!--<scriptx>a</script>b",
            "<script><!--<script>a<!--b</script>c-->d</script>",
            "<script><!-",
            "<script><!--",
            "<script><!--<",
            "<script><!--<script>",
            "<script><!--<script><",
            "<script><!--<script></",
            "<script><!--<script></scr",
            "<script>\0<!--\0-\0--\0<script>\0-\0--\0",
            "<script><!--</",
            "<script><!--</x",
            "<script></scrip",
            "<script><!--->",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn cdata_in_foreign_content_only() {
        let t = ours("<svg><![CDATA[<b>&amp;]]]></svg>");
        assert_eq!(t[1], chars("<b>&amp;]"));
        let t = ours("<p><![CDATA[x]]>");
        assert_eq!(
            t[1],
            Token::CommentToken(StrTendril::from_slice("[CDATA[x]]"))
        );
        for html in [
            "<svg><![CDATA[a]]b]]]]>c",
            "<svg><![CDATA[a",
            "<svg><![CDATA[a]",
            "<svg><![CDATA[a]]",
            "<svg><![CDATA[\0]]>",
            "<svg><![cdata[x]]>",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn comments() {
        let c = |s: &str| Token::CommentToken(StrTendril::from_slice(s));
        assert_eq!(ours("<!-- a -- b -->")[0], c(" a -- b "));
        assert_eq!(ours("<!-->")[0], c(""));
        assert_eq!(ours("<!--->")[0], c(""));
        assert_eq!(ours("<!--a--!>")[0], c("a"));
        assert_eq!(ours("<?php x ?>")[0], c("?php x ?"));
        assert_eq!(ours("</ x>")[0], c(" x"));
        assert_eq!(ours("<!x>")[0], c("x"));
        for html in [
            "<!--",
            "<!---",
            "<!----",
            "<!--a-",
            "<!--a--",
            "<!--a--!",
            "<!--a--!-",
            "<!--a--!x-->",
            "<!--<!--a-->",
            "<!--<!-->",
            "<!--<!-x-->",
            "<!--<<!--->",
            "<!--a---->",
            "<!--a--->",
            "<!-",
            "<!",
            "<!-x",
            "<!--\0-->",
            "<?",
            "</",
            "</>",
            "<",
            "a<b",
            "<!DOCTYP",
            "<![CDATA[x]]>",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn doctypes() {
        let d = doctype("<!DOCTYPE HTML>");
        assert_eq!(d.name.as_deref(), Some("html"));
        assert!(!d.force_quirks && d.public_id.is_none() && d.system_id.is_none());
        let d = doctype(r#"<!doctype html PUBLIC "-//W3C//DTD HTML 4.01//EN" 'http://x'>"#);
        assert_eq!(d.public_id.as_deref(), Some("-//W3C//DTD HTML 4.01//EN"));
        assert_eq!(d.system_id.as_deref(), Some("http://x"));
        assert!(doctype("<!DOCTYPE>").force_quirks);
        assert!(doctype("<!DOCTYPE html PUBLIC>").force_quirks);
        assert!(doctype("<!DOCTYPE html bogus>").force_quirks);
        assert!(doctype("<!DOCTYPE html PUBLIC \"x>").force_quirks);
        // Junk after the system identifier is ignored, without quirks.
        assert!(!doctype("<!DOCTYPE html SYSTEM 'a' junk>").force_quirks);
        for html in [
            "<!DOCTYPE",
            "<!DOCTYPE ",
            "<!DOCTYPE h",
            "<!DOCTYPE html ",
            "<!DOCTYPE html P",
            "<!DOCTYPE html PUBLIC",
            "<!DOCTYPE html PUBLIC ",
            "<!DOCTYPE html PUBLIC \"a",
            "<!DOCTYPE html PUBLIC \"a\"",
            "<!DOCTYPE html PUBLIC \"a\" ",
            "<!DOCTYPE html PUBLIC \"a\" 'b",
            "<!DOCTYPE html PUBLIC \"a\"'b'>",
            "<!DOCTYPE html PUBLIC'a'>",
            "<!DOCTYPE html SYSTEM",
            "<!DOCTYPE html SYSTEM 'b",
            "<!DOCTYPE html SYSTEM 'b' ",
            "<!DOCTYPE html SYSTEM 'b' x",
            "<!DOCTYPE html SYSTEM'b'>",
            "<!DOCTYPE html SYSTEM x>",
            "<!DOCTYPEhtml>",
            "<!DOCTYPE \0x\0>",
            "<!DOCTYPE html PUBLIC \"\0\" \"\0\">",
            "<!DOCTYPE html PUBLIC 'a' x>",
            "<!DOCTYPE>x",
            "<!DOCTYPE html SYSTEM \"a>b\">",
            "<!DOCTYPE html PUBLIC \"\"\"\">",
            "<!DOCTYPE html x",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn attributes() {
        // The first of a name wins, whatever the case.
        let t = tag("<a href=1 HREF=2 href=3 b c=>");
        assert_eq!(attr(&t, "href"), Some("1"));
        assert_eq!(t.attrs.len(), 3);
        assert!(t.had_duplicate_attributes);
        assert_eq!(attr(&tag("<a =b>"), "=b"), Some(""));
        assert_eq!(attr(&tag("<a b=\"c\"d>"), "d"), Some(""));
        assert_eq!(attr(&tag("<a b='<c\"=`'>"), "b"), Some("<c\"=`"));
        assert_eq!(attr(&tag("<a b=c\"'<=`>"), "b"), Some("c\"'<=`"));
        for html in [
            "<a b",
            "<a b=",
            "<a b='",
            "<a b='c",
            "<a b='c'",
            "<a b=c",
            "<a b ",
            "<a b =",
            "<a/",
            "<a b/",
            "<a b='c'/",
            "<a b='c'd='e'>",
            "<a b='c' / d>",
            "<a b=c/>",
            "<a\"b\"=c>",
            "<a b\"c'd<e=f>",
            "<a / b / >",
            "<a b=\tc\n>",
            "<a b=>",
            "<a b= >",
            "</a b=c>",
            "</a/>",
            "<a b=1 b=2>",
        ] {
            same_tokens(html);
        }
    }

    #[test]
    fn attribute_cap() {
        let mut html = String::from("<div");
        for i in 0..MAX_ATTRIBUTES + 10 {
            html.push_str(&format!(" a{i}=v"));
        }
        html.push('>');
        let sink = Record::default();
        let stats = tokenize(&StrTendril::from_slice(&html), &sink);
        assert!(stats.cut_attributes);
        let Some(Token::TagToken(t)) = sink.tokens.into_inner().into_iter().next() else {
            panic!()
        };
        assert_eq!(t.attrs.len(), MAX_ATTRIBUTES);
        assert_eq!(attr(&t, &format!("a{}", MAX_ATTRIBUTES - 1)), Some("v"));
        assert_eq!(attr(&t, &format!("a{MAX_ATTRIBUTES}")), None);
    }

    #[test]
    fn character_references() {
        let text = |html: &str| match ours(html).into_iter().next() {
            Some(Token::CharacterTokens(t)) => t.to_string(),
            other => panic!("{html:?}: {other:?}"),
        };
        assert_eq!(text("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
        // Legacy names need no `;`; the longest name wins.
        assert_eq!(text("&copy &ampx &notit; &notin;"), "© &x ¬it; ∉");
        assert_eq!(text("&nosuch; &;& &#;&#x;&#xg"), "&nosuch; &;& &#;&#x;&#xg");
        // Two code points.
        assert_eq!(text("&NotEqualTilde;"), "\u{2242}\u{338}");
        assert_eq!(text("&#65;&#x42;&#X43&#0068;"), "ABCD");
        // Numeric edge cases: zero, surrogates, past U+10FFFF (overflowing
        // too), the C1 table, noncharacters and controls kept.
        assert_eq!(
            text("&#0;&#xD800;&#x110000;&#99999999999999;"),
            "\u{FFFD}".repeat(4)
        );
        assert_eq!(
            text("&#x80;&#x9F;&#x81;&#150;"),
            "\u{20AC}\u{178}\u{81}\u{2013}"
        );
        assert_eq!(
            text("&#xFFFE;&#x1FFFF;&#x1;&#13;"),
            "\u{FFFE}\u{1FFFF}\u{1}\r"
        );
        // In attributes a legacy name before `=` or an alphanumeric stays
        // as written (the "historical" rule); before anything else it counts.
        let t = tag("<a href='?a=1&copy=2&copyx&copy;x&copy-&amp;&#65'>");
        assert_eq!(attr(&t, "href"), Some("?a=1&copy=2&copyx©x©-&A"));
        assert_eq!(attr(&tag("<a b=&amp;c&notx>"), "b"), Some("&c&notx"));
        for html in [
            "&",
            "&a",
            "&am",
            "&amp",
            "&#",
            "&#x",
            "&#12",
            "&#x1F",
            "&#x1F600",
            "&CounterClockwiseContourIntegral;",
            "&CounterClockwiseContourIntegralx",
            "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;",
            "&ampamp;",
            "<a b='&amp'>",
            "<a b='&amp=x&notin=1&ampx'>",
            "<a b=&lt=>",
            "<a b=&>",
            "<a b='&#'>",
            "<title>&lt&amp;</title>",
            "&#x00000041;&#000000065",
            "&Amp;&AMP;&AMP",
        ] {
            same_tokens(html);
        }
    }

    /// A deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Pieces random tag soups are made of.
    const SOUP: &[&str] = &[
        "<",
        ">",
        "</",
        "/",
        "/>",
        "<!--",
        "-->",
        "--",
        "-",
        "!",
        "<!",
        "<!DOCTYPE",
        "<!doctype html>",
        " PUBLIC ",
        " SYSTEM ",
        "\"",
        "'",
        "=",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\0",
        "&",
        "&amp",
        "&amp;",
        "&not",
        "&notin;",
        "&#",
        "&#x",
        "41",
        "x41;",
        ";",
        "a",
        "b",
        "p",
        "i",
        "div",
        "span",
        "table",
        "td",
        "tr",
        "select",
        "option",
        "template",
        "script",
        "SCRIPT",
        "title",
        "textarea",
        "style",
        "xmp",
        "iframe",
        "noscript",
        "noembed",
        "plaintext",
        "svg",
        "math",
        "foreignObject",
        "desc",
        "annotation-xml",
        " encoding=text/html",
        "<![CDATA[",
        "]]>",
        "]",
        "?",
        "`",
        "é",
        "日本",
        "\u{FEFF}",
        "<script>",
        "</script>",
        "<!--<script>",
        "<svg>",
        "<title>",
        "</title>",
        "<p>",
        "<b>",
        "</b>",
        "<table>",
        "<td>",
        "x",
        "hello world",
        "<a href=",
        "class",
        " id=",
        "<br/>",
        "<meta charset=utf-8>",
        "<meta charset=",
        "meta",
        " charset=",
        "</script>\u{FEFF}",
    ];

    fn soup(rng: &mut Rng) -> String {
        let n = rng.below(60);
        (0..n).map(|_| SOUP[rng.below(SOUP.len())]).collect()
    }

    /// Random tag soups: the same tokens as html5ever's tokenizer (under
    /// the recording sink), and the same trees under html5ever's tree
    /// builder, scripting on and off.
    #[test]
    fn random_tag_soups_match_the_reference() {
        // GHIRBAL_SOUPS=N tries N soups instead (a longer local run).
        let n = std::env::var("GHIRBAL_SOUPS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(4000);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..n {
            let html = soup(&mut rng);
            same_tokens(&html);
            for scripting in [true, false] {
                let new = super::super::dom::parse_with(&html, scripting);
                let reference = super::super::dom::parse_reference_with(&html, scripting);
                assert!(new.same_tree(&reference), "{html:?}, scripting {scripting}");
            }
        }
    }

    /// No recursion: a tag with a million attributes and a page of a
    /// million `<a` fragments cost no stack (run in debug builds too).
    #[test]
    fn hostile_pages_do_not_overflow_the_stack() {
        let html = String::from("<div") + &" a".repeat(1_000_000) + ">x</div>";
        let dom = super::super::dom::parse_with(&html, true);
        assert!(dom.cut_attributes);
        let html = "<a".repeat(1_000_000);
        super::super::dom::parse_with(&html, true);
        let html = "<a ".repeat(1_000_000);
        super::super::dom::parse_with(&html, true);
        let html = "<a>".repeat(1_000_000);
        super::super::dom::parse_with(&html, true);
    }
}
