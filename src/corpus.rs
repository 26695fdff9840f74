//! Labelled pages: reading training and evaluation data.
//!
//! In: files in the authoring format (`ROLE LANG<TAB>raw line`, `#` comments,
//! empty lines for blank raw lines; `.txt`) or `classify` JSON Lines output
//! with corrected labels (`.jsonl`). Out: [`LabelledPage`]s: a [`Page`]
//! segmented exactly as `classify` segments it, with one gold role and
//! language per block (the majority label of the block's raw lines).
//!
//! A comment `# page: …` after labelled lines starts a new page in the same
//! file, so `classify --format annotated` output of a batch can be corrected
//! and trained on as it is.
//!
//! Labelled HTML (`.html`, `.htm`, optionally `.gz`): a `data-ghirbal-role`
//! (and `data-ghirbal-lang`) attribute on an element labels it and
//! everything inside it; the nearest labelled ancestor wins, for each of the
//! two attributes separately. The page is cut into blocks exactly as
//! `classify` cuts HTML, and the attributes are taken off before any feature
//! sees the page. A block without a role in effect is left out of the page
//! (not trained or scored on; its neighbours then see the next labelled
//! block); a block with a role but no language gets the language ghirbal
//! identifies. `<meta name="ghirbal:id|ghirbal:url|ghirbal:site">` play the
//! part of the `# page:`, `# url:` and `# site:` comments.

use crate::label::{Lang, Role};
use crate::page::{Block, Page, PageKind};
use std::fmt;
use std::path::Path;

/// A page with gold labels for each block.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    pub page: Page,
    pub roles: Vec<Role>,
    pub langs: Vec<Lang>,
    /// Site the page belongs to (`# site:` comment, or the URL's host); pages of
    /// one site are kept together in cross-validation folds.
    pub site: Option<String>,
}

impl LabelledPage {
    /// Grouping key for site-disjoint splits.
    pub fn group(&self) -> &str {
        self.site.as_deref().unwrap_or(&self.page.id)
    }
}

/// The plain text a WET record holds of a labelled HTML page (one line per
/// block), segmented as text pages are, each text block labelled by the HTML
/// blocks that give most of its characters: real text pages for the text
/// passes, with their source page's site (so cross-validation folds keep the
/// two together). `None` for a page that is not HTML.
pub fn text_rendering(p: &LabelledPage) -> Option<LabelledPage> {
    if p.page.kind != PageKind::Html {
        return None;
    }
    let mut text = String::new();
    // The source block of each byte range of `text`: (end, block).
    let mut ends = Vec::with_capacity(p.page.blocks.len());
    for (i, (_, t)) in p.page.iter().enumerate() {
        if !text.is_empty() {
            text.push('\n');
        }
        for c in t.chars() {
            text.push(if c == '\n' || c == '\r' { ' ' } else { c });
        }
        ends.push((text.len(), i));
    }
    let blocks = crate::segment::segment(&text);
    let mut roles = Vec::with_capacity(blocks.len());
    let mut langs = Vec::with_capacity(blocks.len());
    for b in &blocks {
        // Characters of each source role/lang inside [b.start, b.end).
        let mut by: Vec<((Role, Lang), usize)> = Vec::new();
        let mut from = b.start;
        let mut k = ends.partition_point(|&(e, _)| e <= b.start);
        while from < b.end && k < ends.len() {
            let (e, i) = ends[k];
            let n = e.min(b.end) - from;
            let key = (p.roles[i], p.langs[i]);
            match by.iter_mut().find(|(l, _)| *l == key) {
                Some((_, c)) => *c += n,
                None => by.push((key, n)),
            }
            from = e + 1;
            k += 1;
        }
        let ((role, lang), _) =
            by.iter()
                .copied()
                .fold(((Role::Chrome, Lang::None), 0), |best, x| {
                    if x.1 > best.1 {
                        x
                    } else {
                        best
                    }
                });
        roles.push(role);
        langs.push(lang);
    }
    Some(LabelledPage {
        page: Page::new(
            format!("{}#text", p.page.id),
            p.page.url.clone(),
            text,
            blocks,
            PageKind::Text,
        ),
        roles,
        langs,
        site: Some(p.group().to_string()),
    })
}

/// A problem in labelled data, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusError {
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for CorpusError {}

/// One raw line of an annotated page and its labels.
struct RawLine {
    start: usize,
    end: usize,
    labels: Option<(Role, Lang)>,
}

#[derive(Default)]
struct Builder {
    text: String,
    lines: Vec<RawLine>,
    url: Option<String>,
    site: Option<String>,
    id: Option<String>,
    first_line: usize,
}

impl Builder {
    fn is_empty(&self) -> bool {
        !self.lines.iter().any(|l| l.labels.is_some())
    }

    fn push(&mut self, raw: &str, labels: Option<(Role, Lang)>) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(raw);
        self.lines.push(RawLine {
            start,
            end: self.text.len(),
            labels,
        });
    }

    fn finish(self, file: &str, index: usize) -> Result<LabelledPage, CorpusError> {
        let blocks = crate::segment::segment(&self.text);
        if blocks.is_empty() {
            return Err(CorpusError {
                file: file.into(),
                line: Some(self.first_line),
                message: "page has no labelled text".into(),
            });
        }
        let mut roles = Vec::with_capacity(blocks.len());
        let mut langs = Vec::with_capacity(blocks.len());
        let mut li = 0;
        for b in &blocks {
            let mut role_votes = [0usize; Role::COUNT];
            let mut lang_votes = [0usize; Lang::COUNT];
            while li < self.lines.len() && self.lines[li].end <= b.start {
                li += 1;
            }
            let mut j = li;
            while j < self.lines.len() && self.lines[j].start < b.end {
                if let Some((r, l)) = self.lines[j].labels {
                    let visible = self.text[self.lines[j].start..self.lines[j].end]
                        .chars()
                        .any(|c| !crate::segment::is_ignorable(c));
                    if visible {
                        role_votes[r.index()] += 1;
                        lang_votes[l.index()] += 1;
                    }
                }
                j += 1;
            }
            roles.push(Role::ALL[argmax_first(&role_votes)]);
            langs.push(Lang::ALL[argmax_first(&lang_votes)]);
        }
        let site = self.site.or_else(|| self.url.as_deref().and_then(host));
        let id = self.id.unwrap_or_else(|| {
            if index == 0 {
                file.to_string()
            } else {
                format!("{file}#{}", index + 1)
            }
        });
        Ok(LabelledPage {
            page: Page::new(id, self.url, self.text, blocks, PageKind::Text),
            roles,
            langs,
            site,
        })
    }
}

/// Index of the largest count; ties go to the first (role/lang order).
fn argmax_first(v: &[usize]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// The host of a URL, without `www.`.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let h = rest.split(['/', '?', '#', ':']).next()?;
    let h = h.strip_prefix("www.").unwrap_or(h);
    (!h.is_empty()).then(|| h.to_ascii_lowercase())
}

/// Parse the authoring format.
pub fn parse_annotated(text: &str, file: &str) -> Result<Vec<LabelledPage>, CorpusError> {
    let mut pages = Vec::new();
    let mut b = Builder {
        first_line: 1,
        ..Builder::default()
    };
    let err = |line: usize, message: String| CorpusError {
        file: file.into(),
        line: Some(line),
        message,
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (n, raw) in text.split('\n').enumerate() {
        let lineno = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(comment) = line.strip_prefix('#') {
            let c = comment.trim();
            let (key, value) = c.split_once(':').unwrap_or((c, ""));
            let value = value.trim();
            match key.trim() {
                "page" | "id" => {
                    if !b.is_empty() {
                        let done = std::mem::take(&mut b);
                        pages.push(done.finish(file, pages.len())?);
                        b.first_line = lineno;
                    }
                    if !value.is_empty() {
                        b.id = Some(value.to_string());
                    }
                }
                "url" if !value.is_empty() => b.url = Some(value.to_string()),
                "site" if !value.is_empty() => b.site = Some(value.to_string()),
                _ => {}
            }
            continue;
        }
        if line.trim().is_empty() && !line.contains('\t') {
            b.push("", None);
            continue;
        }
        let Some((labels, body)) = line.split_once('\t') else {
            return Err(err(
                lineno,
                format!(
                    "expected `ROLE LANG<TAB>text`, found no TAB in {:?}",
                    line.chars().take(60).collect::<String>()
                ),
            ));
        };
        let mut parts = labels.split(' ');
        let (Some(r), Some(l), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err(
                lineno,
                format!("expected `ROLE LANG` before the TAB, found {labels:?}"),
            ));
        };
        let role: Role = r.parse().map_err(|e| err(lineno, format!("{e}")))?;
        let lang: Lang = l.parse().map_err(|e| err(lineno, format!("{e}")))?;
        b.push(body, Some((role, lang)));
    }
    if !b.is_empty() || pages.is_empty() {
        let first = b.first_line;
        if b.is_empty() {
            return Err(CorpusError {
                file: file.into(),
                line: Some(first),
                message: "page has no labelled lines".into(),
            });
        }
        pages.push(b.finish(file, pages.len())?);
    }
    Ok(pages)
}

/// Parse `classify` JSON Lines output whose labels a person corrected. The
/// blocks are taken as they are (no re-segmentation).
pub fn parse_jsonl(text: &str, file: &str) -> Result<Vec<LabelledPage>, CorpusError> {
    #[derive(serde::Deserialize)]
    struct In {
        id: Option<String>,
        url: Option<String>,
        #[serde(default)]
        blocks: Vec<InBlock>,
        error: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct InBlock {
        text: String,
        role: String,
        lang: String,
    }
    let mut pages = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| CorpusError {
            file: file.into(),
            line: Some(lineno),
            message,
        };
        let rec: In = serde_json::from_str(line).map_err(|e| err(format!("invalid JSON: {e}")))?;
        if rec.error.is_some() {
            continue;
        }
        if rec.blocks.is_empty() {
            return Err(err("page has no blocks".into()));
        }
        let mut page_text = String::new();
        let mut blocks = Vec::new();
        let mut roles = Vec::new();
        let mut langs = Vec::new();
        for b in &rec.blocks {
            if !page_text.is_empty() {
                page_text.push_str("\n\n");
            }
            let start = page_text.len();
            page_text.push_str(&b.text);
            let lines = b.text.matches('\n').count() as u32 + 1;
            blocks.push(Block::new(start, page_text.len(), lines));
            roles.push(b.role.parse::<Role>().map_err(|e| err(e.to_string()))?);
            langs.push(b.lang.parse::<Lang>().map_err(|e| err(e.to_string()))?);
        }
        let id = rec.id.unwrap_or_else(|| format!("{file}:{lineno}"));
        let site = rec.url.as_deref().and_then(host);
        pages.push(LabelledPage {
            page: Page::new(id, rec.url, page_text, blocks, PageKind::Text),
            roles,
            langs,
            site,
        });
    }
    Ok(pages)
}

/// Load labelled pages from files and directories (recursively: `*.txt` in
/// the authoring format, `*.jsonl` corrected output), in path order.
pub fn load(paths: &[impl AsRef<Path>]) -> Result<Vec<LabelledPage>, CorpusError> {
    let mut files = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let io_err = |e: std::io::Error| CorpusError {
            file: p.display().to_string(),
            line: None,
            message: e.to_string(),
        };
        if p.is_dir() {
            files.extend(
                crate::io::walk(p)
                    .map_err(io_err)?
                    .into_iter()
                    .filter(|f| matches!(ext(f), "txt" | "jsonl") || is_html_file(f)),
            );
        } else {
            files.push(p.to_path_buf());
        }
    }
    let mut pages = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).map_err(|e| CorpusError {
            file: name.clone(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        if is_html_file(&f) {
            pages.push(parse_labelled_html(&bytes, &name)?);
            continue;
        }
        let text = String::from_utf8(bytes).map_err(|e| CorpusError {
            file: name.clone(),
            line: None,
            message: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        })?;
        if ext(&f) == "jsonl" {
            pages.extend(parse_jsonl(&text, &name)?);
        } else {
            pages.extend(parse_annotated(&text, &name)?);
        }
    }
    Ok(pages)
}

fn ext(p: &Path) -> &str {
    p.extension().and_then(|e| e.to_str()).unwrap_or("")
}

/// `*.html`, `*.htm`, and the same gzip-compressed.
fn is_html_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".html") || name.ends_with(".htm")
}

/// Parse one labelled HTML page (gzip-compressed or not).
pub fn parse_labelled_html(bytes: &[u8], file: &str) -> Result<LabelledPage, CorpusError> {
    let err = |message: String| CorpusError {
        file: file.into(),
        line: None,
        message,
    };
    let gunzipped;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut v)
            .map_err(|e| err(format!("cannot decompress: {e}")))?;
        gunzipped = v;
        &gunzipped[..]
    } else {
        bytes
    };
    let parsed = crate::read::html::parse_page(
        file,
        None,
        bytes,
        None,
        &crate::page::Limits::default(),
        crate::read::html::extract::Options::default(),
    );
    let head = &parsed.extracted.head;
    let mut text = String::new();
    let mut blocks = Vec::new();
    let mut roles = Vec::new();
    let mut langs = Vec::new();
    for ((b, t), (role, lang)) in parsed.page.iter().zip(&parsed.extracted.labels) {
        let Some(role) = role else {
            continue;
        };
        let role: Role = role
            .trim()
            .parse()
            .map_err(|e| err(format!("block {:?}: {e}", short(t))))?;
        let lang: Lang = match lang {
            Some(l) => l
                .trim()
                .parse()
                .map_err(|e| err(format!("block {:?}: {e}", short(t))))?,
            None => crate::lang::identify(t).lang,
        };
        if !text.is_empty() {
            text.push('\n');
        }
        let start = text.len();
        text.push_str(t);
        let mut nb = Block::new(start, text.len(), b.lines);
        nb.structure = b.structure.clone();
        blocks.push(nb);
        roles.push(role);
        langs.push(lang);
    }
    if blocks.is_empty() {
        return Err(err(
            "page has no block with a data-ghirbal-role label".into()
        ));
    }
    let url = head.url.clone();
    let site = head.site.clone().or_else(|| url.as_deref().and_then(host));
    Ok(LabelledPage {
        page: Page {
            encoding: parsed.page.encoding,
            lossy: parsed.page.lossy,
            truncated: parsed.page.truncated,
            ..Page::new(
                head.id.clone().unwrap_or_else(|| file.to_string()),
                url,
                text,
                blocks,
                PageKind::Html,
            )
        },
        roles,
        langs,
        site,
    })
}

fn short(t: &str) -> String {
    t.chars().take(40).collect()
}

/// FNV-1a fingerprint of pages' text and labels, in order: two corpora with
/// the same fingerprint trained the same model.
pub fn fingerprint(pages: &[LabelledPage]) -> String {
    let mut h = crate::fnv::Fnv1a::new();
    let mut eat = |b: &[u8]| h = h.bytes(b);
    for p in pages {
        eat(p.page.text.as_bytes());
        for b in &p.page.blocks {
            eat(&(b.start as u64).to_le_bytes());
            eat(&(b.end as u64).to_le_bytes());
        }
        for (r, l) in p.roles.iter().zip(&p.langs) {
            eat(r.as_str().as_bytes());
            eat(l.as_str().as_bytes());
        }
        eat(b"\x00");
    }
    crate::fnv::tag(h.get())
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_rendering_keeps_each_block_as_a_line_with_its_labels() {
        let html = "<html><head><meta name=\"ghirbal:url\" content=\"https://alwadi.example/a\"></head>\
            <body><ul data-ghirbal-role=nav data-ghirbal-lang=ar><li>الرئيسية</li><li>رياضة</li></ul>\
            <p data-ghirbal-role=body data-ghirbal-lang=en>Oil prices climb<br>as OPEC+ meets.</p>\
            <p data-ghirbal-role=legal data-ghirbal-lang=en>© 2025 Al Wadi</p></body></html>";
        let p = parse_labelled_html(html.as_bytes(), "a.html").unwrap();
        let t = text_rendering(&p).unwrap();
        assert_eq!(t.page.kind, PageKind::Text);
        assert_eq!(t.page.id, format!("{}#text", p.page.id));
        assert_eq!(t.group(), "alwadi.example");
        let texts: Vec<&str> = t.page.iter().map(|(_, x)| x).collect();
        // As the text segmenter cuts it: the two one-word Arabic lines are
        // one run.
        assert_eq!(
            texts,
            [
                "الرئيسية\nرياضة",
                "Oil prices climb",
                "as OPEC+ meets.",
                "© 2025 Al Wadi"
            ]
        );
        assert_eq!(t.roles, [Role::Nav, Role::Body, Role::Body, Role::Legal]);
        assert_eq!(t.langs[0], Lang::Ar);
        let text_page = parse_labelled_html(b"<p data-ghirbal-role=body>x</p>", "b.html").unwrap();
        assert!(text_rendering(&LabelledPage {
            page: Page::new("t".into(), None, "x".into(), vec![], PageKind::Text),
            ..text_page
        })
        .is_none());
    }

    use super::*;

    const PAGE: &str = "# url: https://www.alwadi-news.com/a/1\n\
chrome ar\tعاجل\n\
body en\tOil prices climb as OPEC+ meets\n\
\n\
chrome en\tOil\n\
chrome en\tprices\n\
body en\tclimb\n\
legal mixed\t© 2025 Al Wadi. جميع الحقوق محفوظة\n";

    #[test]
    fn blocks_take_the_majority_label_of_their_lines() {
        let p = &parse_annotated(PAGE, "p.txt").unwrap()[0];
        assert_eq!(p.page.blocks.len(), 4);
        assert_eq!(p.page.block_text(2), "Oil\nprices\nclimb");
        assert_eq!(
            p.roles,
            vec![Role::Chrome, Role::Body, Role::Chrome, Role::Legal]
        );
        assert_eq!(p.langs[3], Lang::Mixed);
        assert_eq!(p.site.as_deref(), Some("alwadi-news.com"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse_annotated("body en\tok\nfooter en\tbad\n", "x.txt").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e
            .to_string()
            .starts_with("x.txt:2: unknown role \"footer\""));
        let e = parse_annotated("body english\tbad\n", "x.txt").unwrap_err();
        assert!(e.to_string().contains("unknown lang \"english\""));
        let e = parse_annotated("body en no tab\n", "x.txt").unwrap_err();
        assert!(e.to_string().contains("no TAB"));
        let e = parse_annotated("# only a comment\n\n", "x.txt").unwrap_err();
        assert!(e.to_string().contains("no labelled lines"));
    }

    #[test]
    fn labelled_html_nearest_label_wins_and_unlabelled_blocks_are_left_out() {
        let html =
            "<html><head><meta name=ghirbal:url content=https://www.alwadi.example/a></head>\
            <body><p>no label</p><div data-ghirbal-role=chrome data-ghirbal-lang=ar>\
            <p>عاجل</p><p data-ghirbal-role=body data-ghirbal-lang=en>Oil prices climb.</p>\
            <footer data-ghirbal-role=legal>© 2025 Al Wadi</footer></div></body></html>";
        let p = parse_labelled_html(html.as_bytes(), "p.html").unwrap();
        assert_eq!(p.page.text, "عاجل\nOil prices climb.\n© 2025 Al Wadi");
        assert_eq!(p.roles, vec![Role::Chrome, Role::Body, Role::Legal]);
        assert_eq!(p.langs, vec![Lang::Ar, Lang::En, Lang::Ar]);
        assert_eq!(p.page.kind, PageKind::Html);
        assert!(p.page.blocks[2].structure.is_some());
        assert_eq!(p.site.as_deref(), Some("alwadi.example"));
        let e = parse_labelled_html(b"<p data-ghirbal-role=footer>x</p>", "b.html").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("b.html: block \"x\": unknown role"),
            "{e}"
        );
        assert!(parse_labelled_html(b"<p>x</p>", "c.html").is_err());
    }

    #[test]
    fn page_comments_split_a_file() {
        let t = "# page: a\nbody en\tOne\n# page: b\nnav en\tTwo words\n";
        let pages = parse_annotated(t, "x.txt").unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].page.id, "a");
        assert_eq!(pages[1].page.id, "b");
        assert_eq!(pages[1].roles, vec![Role::Nav]);
    }
}
