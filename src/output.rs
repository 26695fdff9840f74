//! Output writers: what `classify` prints for each record.
//!
//! In: a page and its block labels (or a record's error). Out: one line of
//! JSON per record (the stable output contract), a page laid out for a
//! person on a terminal ([`human`], `--format human`), the body text only
//! (`--format text`), or the authoring format ready to correct
//! (`--format annotated`); [`PageSummary`] counts what a page holds.

#[cfg(feature = "cli")]
mod human;

#[cfg(feature = "cli")]
pub use human::{human, Bidi, HumanOptions, DEFAULT_WIDTH};

#[cfg(test)]
use crate::label::Dir;
use crate::label::{Lang, Role};
use crate::page::Page;
use crate::BlockLabel;
use serde::Serialize;

/// A count and its unit, agreeing: `plural(1, "page")` is `1 page`,
/// `plural(2, "page")` `2 pages` (units whose plural is not `…s` need
/// their own wording). For every count in a message to a person.
pub(crate) fn plural<N: std::fmt::Display + PartialEq + From<u8>>(n: N, unit: &str) -> String {
    if n == N::from(1) {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Output format of `classify`.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: a summary line per page, then a line per block with role,
    /// language, confidence and text (the default on a terminal).
    Human,
    /// One JSON object per page, every block with role and language (the
    /// default into a pipe or a file).
    Json,
    /// Only the body blocks' text, each page after a header line: a form
    /// feed, `# `, the id, and a tab and the URL when known (split pages on
    /// form feeds); a blank line ends a page.
    Text,
    /// One JSON object per page with its body text:
    /// `{"id","url","title","date","lang","text"}` (the field names of
    /// datatrove and Dolma; `lang` the language of most body words).
    JsonlText,
    /// The labelled-page authoring format (`ROLE LANG<TAB>line`).
    Annotated,
}

// The shape of a JSON line as `serde_json` writes it: the reference that
// `json_line_dated` is tested against.
#[cfg(test)]
#[derive(Serialize)]
struct RoleScores {
    body: f32,
    chrome: f32,
    nav: f32,
    legal: f32,
    ad: f32,
}

#[cfg(test)]
#[derive(Serialize)]
struct SpanOut {
    start: usize,
    end: usize,
    lang: Lang,
}

#[cfg(test)]
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

#[cfg(test)]
#[derive(Serialize)]
struct PageOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
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

/// What a classified page holds, counted for people and for `lang` fields.
///
/// ```
/// use ghirbal::{Lang, PageSummary};
///
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let text = "Advertisement\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.";
/// let page = ghirbal::page_from_text("p", Some("https://example.com/oil"), text.as_bytes());
/// let labels = c.classify(&page);
/// let s = PageSummary::of(&page, &labels);
/// assert_eq!((s.blocks, s.body_blocks, s.body_words), (2, 1, 22));
/// assert_eq!(s.lang_words[Lang::En.index()], 22);
/// assert_eq!(s.body_lang(), Lang::En);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageSummary {
    /// Blocks of the page.
    pub blocks: usize,
    /// Blocks labelled `body`.
    pub body_blocks: usize,
    /// White-space separated words of the body blocks.
    pub body_words: usize,
    /// Body words by language, in [`Lang::ALL`] order: a block's words count
    /// for its language, a mixed block's for the language of the span each
    /// word is in (words outside its spans, such as numbers, count for
    /// none); so `mixed` is always 0.
    pub lang_words: [usize; Lang::COUNT],
}

impl PageSummary {
    /// Count the blocks and body words of `page`.
    pub fn of(page: &Page, labels: &[BlockLabel]) -> PageSummary {
        let mut s = PageSummary {
            blocks: page.blocks.len(),
            ..PageSummary::default()
        };
        for ((_, text), l) in page.iter().zip(labels) {
            if l.role != Role::Body {
                continue;
            }
            s.body_blocks += 1;
            let words = text.split_whitespace().count();
            s.body_words += words;
            if l.lang.lang != Lang::Mixed || l.lang.spans.is_empty() {
                s.lang_words[l.lang.lang.index()] += words;
                continue;
            }
            let mut in_spans = 0;
            for sp in &l.lang.spans {
                let n = text
                    .get(sp.start..sp.end)
                    .map_or(0, |t| t.split_whitespace().count());
                s.lang_words[sp.lang.index()] += n;
                in_spans += n;
            }
            s.lang_words[Lang::None.index()] += words.saturating_sub(in_spans);
        }
        s
    }

    /// Shares of the body's words in a language (`none` left out), largest
    /// first; empty when no body word has a language.
    ///
    /// ```
    /// use ghirbal::{Lang, PageSummary};
    ///
    /// // 30 Arabic words, 10 English ones and 5 numbers in the body.
    /// let s = PageSummary { blocks: 3, body_blocks: 2, body_words: 45, lang_words: [30, 10, 0, 0, 5] };
    /// assert_eq!(s.body_mix(), [(Lang::Ar, 0.75), (Lang::En, 0.25)]);
    /// assert_eq!(s.body_lang(), Lang::Ar);
    /// assert_eq!(PageSummary::default().body_mix(), []);
    /// assert_eq!(PageSummary::default().body_lang(), Lang::None);
    /// ```
    pub fn body_mix(&self) -> Vec<(Lang, f64)> {
        let counted: Vec<(Lang, usize)> = Lang::ALL
            .iter()
            .map(|&l| (l, self.lang_words[l.index()]))
            .filter(|&(l, n)| l != Lang::None && n > 0)
            .collect();
        let total: usize = counted.iter().map(|&(_, n)| n).sum();
        let mut mix: Vec<(Lang, f64)> = counted
            .into_iter()
            .map(|(l, n)| (l, n as f64 / total as f64))
            .collect();
        mix.sort_by(|a, b| b.1.total_cmp(&a.1));
        mix
    }

    /// The language of most body words (`none` when no body word has one;
    /// a tie goes to the language first in [`Lang::ALL`]).
    pub fn body_lang(&self) -> Lang {
        self.body_mix().first().map_or(Lang::None, |&(l, _)| l)
    }
}

/// Round to 4 decimals: enough for any use, and short output.
fn r4(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

/// The JSON line of a classified page (without the newline).
///
/// ```
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let text = "Advertisement\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.";
/// let page = ghirbal::page_from_text("p", Some("https://example.com/oil"), text.as_bytes());
/// let labels = c.classify(&page);
/// let line = ghirbal::json_line(&page, &labels, "mine@1");
/// let v: serde_json::Value = serde_json::from_str(&line).unwrap();
/// assert_eq!((&v["id"], &v["url"], &v["model"]), (&"p".into(), &"https://example.com/oil".into(), &"mine@1".into()));
/// assert_eq!(v["blocks"][0]["role"], "ad");
/// assert_eq!(v["blocks"][1]["role"], "body");
/// assert_eq!(v["blocks"][1]["lang"], "en");
/// assert_eq!(v["blocks"][1]["start"], 14);
/// ```
pub fn json_line(page: &Page, labels: &[BlockLabel], model: &str) -> String {
    json_line_dated(page, labels, model, None)
}

/// The JSON line of a classified page with its capture date (`WARC-Date`),
/// which, when given, is its `date` instead of the page's own
/// ([`Page::date`]); `title` is [`Page::title`].
///
/// ```
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let page = ghirbal::page_from_text("p", None, b"Oil prices rose on Wednesday.");
/// let line = ghirbal::json_line_dated(&page, &c.classify(&page), "mine@1", Some("2025-01-02T03:04:05Z"));
/// let v: serde_json::Value = serde_json::from_str(&line).unwrap();
/// assert_eq!(v["date"], "2025-01-02T03:04:05Z");
/// ```
///
/// Written by hand, field by field, in the order and spelling that
/// serialising `PageOut` with `serde_json` gives (a test compares the two):
/// block texts are most of a line and rarely need escaping, so they are
/// checked in wide strides and copied whole.
pub fn json_line_dated(
    page: &Page,
    labels: &[BlockLabel],
    model: &str,
    date: Option<&str>,
) -> String {
    let mut w = JsonWriter {
        out: String::with_capacity(page.text.len() + 320 * labels.len() + 128),
        scratch: Vec::new(),
    };
    w.raw("{\"id\":");
    w.str(&page.id);
    if let Some(u) = page.url.as_deref() {
        w.raw(",\"url\":");
        w.str(u);
    }
    if let Some(t) = page.title.as_deref() {
        w.raw(",\"title\":");
        w.str(t);
    }
    if let Some(d) = date.or(page.date.as_deref()) {
        w.raw(",\"date\":");
        w.str(d);
    }
    w.raw(",\"blocks\":[");
    for (k, ((b, text), l)) in page.iter().zip(labels).enumerate() {
        if k > 0 {
            w.raw(",");
        }
        w.raw("{\"start\":");
        w.int(page.offsets.original(b.start));
        w.raw(",\"end\":");
        w.int(page.offsets.original(b.end));
        w.raw(",\"text\":");
        w.str(text);
        w.raw(",\"role\":\"");
        w.raw(l.role.as_str());
        w.raw("\",\"lang\":\"");
        w.raw(l.lang.lang.as_str());
        w.raw("\",\"role_scores\":{\"body\":");
        w.float(r4(l.scores[0]));
        w.raw(",\"chrome\":");
        w.float(r4(l.scores[1]));
        w.raw(",\"nav\":");
        w.float(r4(l.scores[2]));
        w.raw(",\"legal\":");
        w.float(r4(l.scores[3]));
        w.raw(",\"ad\":");
        w.float(r4(l.scores[4]));
        w.raw("},\"dir\":\"");
        w.raw(l.dir.as_str());
        w.raw("\"");
        if let Some(d) = l.lang.detail {
            w.raw(",\"lang_detail\":");
            w.str(d);
        }
        w.raw(",\"lang_confidence\":");
        w.float(r4(l.lang.confidence));
        if !l.lang.spans.is_empty() {
            w.raw(",\"spans\":[");
            for (i, s) in l.lang.spans.iter().enumerate() {
                if i > 0 {
                    w.raw(",");
                }
                w.raw("{\"start\":");
                w.int(page.offsets.original(b.start + s.start));
                w.raw(",\"end\":");
                w.int(page.offsets.original(b.start + s.end));
                w.raw(",\"lang\":\"");
                w.raw(s.lang.as_str());
                w.raw("\"}");
            }
            w.raw("]");
        }
        w.raw("}");
    }
    w.raw("],\"model\":");
    w.str(model);
    if page.lossy {
        w.raw(",\"lossy\":true");
    }
    if page.truncated {
        w.raw(",\"truncated\":true");
    }
    w.raw("}");
    w.out
}

/// A JSON line being written, with a buffer for numbers.
struct JsonWriter {
    out: String,
    scratch: Vec<u8>,
}

impl JsonWriter {
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn int(&mut self, n: usize) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out
            .push_str(std::str::from_utf8(&digits[i..]).expect("ASCII digits"));
    }

    /// A float exactly as `serde_json` writes it (`null` when not finite).
    fn float(&mut self, x: f32) {
        self.scratch.clear();
        serde_json::to_writer(&mut self.scratch, &x).expect("writing to a Vec");
        self.out
            .push_str(std::str::from_utf8(&self.scratch).expect("JSON is UTF-8"));
    }

    /// A JSON string, escaped as `serde_json` escapes it.
    fn str(&mut self, s: &str) {
        const STRIDE: usize = 32;
        let out = &mut self.out;
        out.push('"');
        let bytes = s.as_bytes();
        // Whether any byte needs escaping, a stride at a time; no early exit
        // inside a stride, so the test compiles to vector instructions.
        let needs = |c: &[u8]| {
            c.iter()
                .fold(false, |a, &b| a | (b < 0x20) | (b == b'"') | (b == b'\\'))
        };
        if !bytes.chunks(STRIDE).any(needs) {
            out.push_str(s);
            out.push('"');
            return;
        }
        let mut run = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let esc: &str = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0C => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1F => "",
                _ => continue,
            };
            out.push_str(&s[run..i]);
            if esc.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            } else {
                out.push_str(esc);
            }
            run = i + 1;
        }
        out.push_str(&s[run..]);
        out.push('"');
    }
}

/// [`json_line_dated`] through `serde_json`: the reference the hand-written
/// line is tested against.
#[cfg(test)]
fn json_line_serde(page: &Page, labels: &[BlockLabel], model: &str, date: Option<&str>) -> String {
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
        title: page.title.as_deref(),
        date: date.or(page.date.as_deref()),
        blocks,
        model,
        lossy: page.lossy,
        truncated: page.truncated,
    };
    serde_json::to_string(&out).expect("page serialises")
}

/// The JSON line of a record that could not be classified.
///
/// ```
/// assert_eq!(
///     ghirbal::error_line("a.txt", None, "cannot read: gone"),
///     r#"{"id":"a.txt","error":"cannot read: gone"}"#
/// );
/// ```
pub fn error_line(id: &str, url: Option<&str>, error: &str) -> String {
    serde_json::to_string(&ErrorOut { id, url, error }).expect("error serialises")
}

/// The body text of a page for `--format text`: a header line (form feed,
/// `# `, the id, a tab and the URL when known; control characters in them
/// become spaces), the body blocks each followed by a newline (form feeds in
/// them become spaces, so that a form feed always starts a header), then a
/// blank line.
///
/// ```
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let text = "Advertisement\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.";
/// let page = ghirbal::page_from_text("p", Some("https://example.com/oil"), text.as_bytes());
/// let labels = c.classify(&page);
/// assert_eq!(
///     ghirbal::body_text(&page, &labels),
///     "\u{c}# p\thttps://example.com/oil\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.\n\n"
/// );
/// ```
pub fn body_text(page: &Page, labels: &[BlockLabel]) -> String {
    let clean = |t: &str| t.replace(|c: char| c.is_control(), " ");
    let mut s = format!("\u{c}# {}", clean(&page.id));
    if let Some(u) = &page.url {
        s.push('\t');
        s.push_str(&clean(u));
    }
    s.push('\n');
    for ((_, text), l) in page.iter().zip(labels) {
        if l.role == Role::Body {
            s.push_str(&text.replace('\u{c}', " "));
            s.push('\n');
        }
    }
    s.push('\n');
    s
}

/// The body blocks' text joined by newlines.
pub fn body_only(page: &Page, labels: &[BlockLabel]) -> String {
    let mut s = String::new();
    for ((_, text), l) in page.iter().zip(labels) {
        if l.role == Role::Body {
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(text);
        }
    }
    s
}

#[derive(Serialize)]
struct TextOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    lang: Lang,
    text: &'a str,
}

/// The `--format jsonl-text` line of a page (without the newline):
/// `{"id","url"?,"title"?,"date"?,"lang","text"}`, the text being
/// `body_only` and `lang` [`PageSummary::body_lang`]; `date` is the
/// capture date when given, else the page's own.
///
/// ```
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let text = "Advertisement\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.";
/// let page = ghirbal::page_from_text("p", Some("https://example.com/oil"), text.as_bytes());
/// let labels = c.classify(&page);
/// assert_eq!(
///     ghirbal::jsonl_text(&page, &labels, None),
///     r#"{"id":"p","url":"https://example.com/oil","lang":"en","text":"Oil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said."}"#
/// );
/// ```
pub fn jsonl_text(page: &Page, labels: &[BlockLabel], date: Option<&str>) -> String {
    let text = body_only(page, labels);
    serde_json::to_string(&TextOut {
        id: &page.id,
        url: page.url.as_deref(),
        title: page.title.as_deref(),
        date: date.or(page.date.as_deref()),
        lang: PageSummary::of(page, labels).body_lang(),
        text: &text,
    })
    .expect("a page serialises")
}

/// A page in the authoring format: every raw line with the labels of the
/// block that holds it; lines outside blocks stay empty.
///
/// ```
/// let mut c = ghirbal::Classifier::new(ghirbal::default_model().unwrap());
/// let text = "Advertisement\nOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.";
/// let page = ghirbal::page_from_text("p", Some("https://example.com/oil"), text.as_bytes());
/// let labels = c.classify(&page);
/// assert_eq!(
///     ghirbal::annotated(&page, &labels),
///     "# page: p\n# url: https://example.com/oil\nad en\tAdvertisement\nbody en\tOil prices rose on Wednesday as OPEC+ delegates gathered in Vienna to weigh further output cuts for the coming months, traders said.\n"
/// );
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_unit() {
        assert_eq!(plural(0usize, "page"), "0 pages");
        assert_eq!(plural(1usize, "page"), "1 page");
        assert_eq!(plural(2usize, "record"), "2 records");
        assert_eq!(plural(1u64, "byte"), "1 byte");
        assert_eq!(plural(4096u64, "byte"), "4096 bytes");
        assert_eq!(plural(1u32, "crawl record"), "1 crawl record");
        assert_eq!(plural(3u32, "role error"), "3 role errors");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("عاجل \u{2028} \u{FEFF} 👍");
        let long = format!("{}\"{}", "x".repeat(70), "ي".repeat(40));
        for s in ["", "plain", "tab\there", "quote\" and \\ back", &all, &long] {
            let mut w = JsonWriter {
                out: String::new(),
                scratch: Vec::new(),
            };
            w.str(s);
            assert_eq!(w.out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn the_hand_written_line_is_the_serde_json_line() {
        let model = crate::default_model().unwrap();
        let mut c = crate::Classifier::new(model);
        let texts = [
            "عاجل\nالرئيسية | Home\n\tOil prices \"climb\"\n© 2025\n12/03/2025\nوكالة Reuters",
            "",
            "x\u{1}y",
        ];
        for (i, t) in texts.iter().enumerate() {
            let url = (i != 1).then_some("https://e.x/a");
            let mut page = crate::page_from_text(&format!("p\"{i}"), url, t.as_bytes());
            page.lossy = i == 1;
            page.truncated = i == 2;
            if i == 0 {
                page.title = Some("Oil \"climbs\"\tعاجل".into());
                page.date = Some("2025-03-06".into());
            }
            let labels = c.classify(&page);
            for date in [None, Some("2025-01-01T00:00:00Z")] {
                assert_eq!(
                    json_line_dated(&page, &labels, "m@1", date),
                    json_line_serde(&page, &labels, "m@1", date)
                );
            }
            if i == 0 {
                let line = json_line_dated(&page, &labels, "m@1", None);
                assert!(line.contains(r#""url":"https://e.x/a","title":"Oil \"climbs\"\tعاجل","date":"2025-03-06","blocks""#), "{line}");
                let warc = json_line_dated(&page, &labels, "m@1", Some("2025-01-01T00:00:00Z"));
                assert!(
                    warc.contains(r#""date":"2025-01-01T00:00:00Z""#),
                    "the record's date wins"
                );
                let text: serde_json::Value =
                    serde_json::from_str(&jsonl_text(&page, &labels, None)).unwrap();
                assert_eq!(text["title"], "Oil \"climbs\"\tعاجل");
                assert_eq!(text["date"], "2025-03-06");
            }
        }
    }
}
