//! Input readers: the records a `classify` run has to label, streamed.
//!
//! In: command-line inputs: file paths, directories (recursively, in path
//! order), or `-` for standard input; or a list of file paths, one per line,
//! read as it arrives ([`Records::open_path_list`]); and an [`InputFormat`]
//! (`auto` by default). Out: an iterator of [`Record`]s in input order; a
//! record that cannot be read is a record with an error, never a gap.
//!
//! Formats, and how `auto` tells them apart (per file: extension first, then
//! the first bytes, looking inside gzip):
//! - `text`: one plain-text page per file (`.txt`, and anything unrecognised);
//! - `html`: one HTML page per file (`.html`, `.htm`, `.xhtml`, optionally
//!   `.gz`; or content starting like HTML: `<!doctype html`, `<html`, …);
//! - `warc` / `wet`: a stream of crawl records (`.warc`, `.warc.gz`, `.wet`,
//!   `.warc.wet.gz`, or content starting `WARC/1.`), read by [`crate::read::warc`];
//!   the two names are one reader: WET files are WARC files of `conversion`
//!   records;
//! - `jsonl`: one record per line, `{"id", "url"?, "date"?, "text"}` or
//!   `{"id", "url"?, "date"?, "html"}` (`.jsonl`, `.jsonl.gz`; on standard
//!   input, anything starting with `{`). On standard input every line gets
//!   its record, a blank one too (an `empty record` error), so that output
//!   lines pair with input lines (Spark `RDD.pipe`, Hadoop Streaming); in a
//!   file, blank lines are skipped.
//!
//! Memory: WARC and JSON Lines are streamed record by record; a single page
//! file is read up to [`Limits::max_page_bytes`] (one byte more, so that the
//! page can be flagged truncated); a JSON Lines record longer than twice that
//! (JSON escapes) is an error record.

use crate::page::Limits;
pub use crate::read::record::{looks_like_html, Payload, Record, RecordError};
use crate::read::warc::WarcReader;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// How to read an input.
///
/// ```
/// use ghirbal::{InputFormat, Limits, Payload, Records};
///
/// // A file without a telling name, read as JSON Lines.
/// let path = std::env::temp_dir().join("ghirbal-doc-input-format.dat");
/// std::fs::write(&path, "{\"id\": \"a\", \"text\": \"Hello\"}\n").unwrap();
/// let inputs = [path.display().to_string()];
/// let recs: Vec<_> = Records::open_as(&inputs, &Limits::default(), InputFormat::Jsonl).collect();
/// assert_eq!(recs[0].id, "a");
/// assert_eq!(recs[0].payload, Ok(Payload::Str("Hello".into())));
/// // Left to `auto`, a file named neither `.jsonl` nor like a page is one
/// // plain-text page, whatever it holds.
/// let rec = Records::open(&inputs).next().unwrap();
/// assert_eq!(rec.id, inputs[0]);
/// assert!(matches!(rec.payload, Ok(Payload::Text(_))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum InputFormat {
    /// Decide per file from its name and first bytes.
    #[default]
    Auto,
    Text,
    Html,
    Warc,
    Wet,
    Jsonl,
}

const GZIP: [u8; 2] = [0x1f, 0x8b];

/// The format a file name says, if it says one.
pub fn format_from_name(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit('.').next()?;
    Some(match ext {
        "wet" => InputFormat::Wet,
        "warc" => InputFormat::Warc,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "jsonl" => InputFormat::Jsonl,
        "txt" => InputFormat::Text,
        _ => return None,
    })
}

/// The format of content from its first bytes (already decompressed).
pub fn sniff_format(head: &[u8]) -> InputFormat {
    if head.starts_with(b"WARC/") {
        InputFormat::Warc
    } else if looks_like_html(head) {
        InputFormat::Html
    } else {
        InputFormat::Text
    }
}

/// One input named on the command line, expanded.
enum Source {
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// A path that could not be opened or listed.
    Broken(String, RecordError),
    /// A file (`-`: standard input) naming one input file per line.
    PathList(String),
}

/// A list of paths being read; each line is one file.
struct PathList {
    name: String,
    reader: Box<dyn BufRead + Send>,
    lineno: usize,
}

/// Longest line of a path list (a path is at most a few KiB on any system).
const MAX_PATH_LINE: usize = 64 * 1024;

impl PathList {
    /// The next listed file (or the list's own failure); `None` at its end.
    fn next_source(&mut self) -> Option<Source> {
        loop {
            let mut line = Vec::new();
            match read_line_bounded(self.reader.as_mut(), &mut line, MAX_PATH_LINE) {
                Ok((0, _)) => return None,
                Ok((_, cut)) => {
                    self.lineno += 1;
                    let id = format!("{}:{}", self.name, self.lineno);
                    if cut {
                        let e = RecordError::LongPath {
                            limit: MAX_PATH_LINE,
                        };
                        return Some(Source::Broken(id, e));
                    }
                    let path = line.strip_suffix(b"\n").unwrap_or(&line);
                    let path = path.strip_suffix(b"\r").unwrap_or(path);
                    if !path.is_empty() {
                        return Some(Source::File(path_from_bytes(path)));
                    }
                }
                Err(e) => {
                    let id = format!("{}:{}", self.name, self.lineno + 1);
                    self.reader = Box::new(std::io::empty());
                    return Some(Source::Broken(id, RecordError::PathList(e.to_string())));
                }
            }
        }
    }
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// A stream of records being read.
enum Current {
    Jsonl(String, Box<dyn BufRead + Send>, usize),
    Warc(Box<WarcReader>),
}

/// Streams the records of all inputs in order.
///
/// ```
/// use ghirbal::{Payload, RecordError, Records};
///
/// let dir = std::env::temp_dir().join("ghirbal-doc-records-struct");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "Hello").unwrap();
/// std::fs::write(dir.join("b.jsonl"), "{\"id\": \"b1\", \"html\": \"<p>x</p>\"}\n{\"id\": \"b2\", \"text\": \"y\"}\n").unwrap();
/// std::fs::write(dir.join("notes.md"), "not a page").unwrap();
/// let inputs = [dir.display().to_string(), "no/such/file.txt".to_string()];
/// let recs: Vec<_> = Records::open(&inputs).collect();
/// let ids: Vec<&str> = recs.iter().map(|r| r.id.rsplit('/').next().unwrap()).collect();
/// // Directories in path order, page files only; one record per JSON line;
/// // an unreadable input is a record with an error.
/// assert_eq!(ids, ["a.txt", "b1", "b2", "file.txt"]);
/// assert_eq!(recs[0].payload, Ok(Payload::Text(b"Hello".to_vec())));
/// assert!(matches!(recs[3].payload, Err(RecordError::Read(_))));
/// ```
pub struct Records {
    format: InputFormat,
    pending: std::collections::VecDeque<Source>,
    current: Option<Current>,
    /// The path list being read; its files come before `pending`.
    paths: Option<PathList>,
    skipped: BTreeMap<String, usize>,
    /// Bytes read of one file page at most (one more, to know it was longer).
    max_page_bytes: usize,
    /// Longest JSON Lines record accepted.
    max_line_bytes: usize,
}

/// Whether a directory walk takes this file as a page: plain text, HTML,
/// WARC, WET or JSON Lines by its extension (`.txt`, `.html`, `.htm`,
/// `.xhtml`, `.warc`, `.wet`, `.jsonl`), optionally gzipped (`.gz`).
pub fn is_page_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".txt", ".html", ".htm", ".xhtml", ".warc", ".wet", ".jsonl"]
        .iter()
        .any(|e| name.ends_with(e))
}

impl Records {
    /// Records of `inputs` (`-` is standard input), with the default limits,
    /// formats detected.
    pub fn open(inputs: &[String]) -> Records {
        Records::open_with(inputs, &Limits::default())
    }

    /// Records of `inputs` with these limits, formats detected.
    pub fn open_with(inputs: &[String], limits: &Limits) -> Records {
        Records::open_as(inputs, limits, InputFormat::Auto)
    }

    /// Records of `inputs` read as `format` (`auto`: per file); directories
    /// give their page files ([`is_page_file`]).
    pub fn open_as(inputs: &[String], limits: &Limits, format: InputFormat) -> Records {
        Records::open_walking(inputs, limits, format, false)
    }

    /// [`Records::open_as`], where a directory gives every file in it when
    /// `all_files` is set, else only its page files ([`is_page_file`]).
    /// Hidden files and folders (`.git` …) are skipped either way.
    pub fn open_walking(
        inputs: &[String],
        limits: &Limits,
        format: InputFormat,
        all_files: bool,
    ) -> Records {
        let mut pending = std::collections::VecDeque::new();
        for i in inputs {
            if i == "-" {
                pending.push_back(Source::Stdin);
                continue;
            }
            let p = Path::new(i);
            if p.is_dir() {
                match crate::io::walk(p) {
                    Ok(files) => pending.extend(
                        files
                            .into_iter()
                            .filter(|f| all_files || is_page_file(f))
                            .map(Source::File),
                    ),
                    Err(e) => pending.push_back(Source::Broken(
                        i.clone(),
                        RecordError::ListDirectory(e.to_string()),
                    )),
                }
            } else {
                pending.push_back(Source::File(p.to_path_buf()));
            }
        }
        Records::of(pending, limits, format)
    }

    /// Records of the files named in `list` (`-`: standard input; gzip is
    /// recognised), one path per line, each read as `format` (`auto`: per
    /// file). The list is read as its files are needed, so it may be a pipe
    /// that is still being written. Blank lines are skipped; a path that
    /// cannot be read is one error record with the path as id.
    pub fn open_path_list(list: &str, limits: &Limits, format: InputFormat) -> Records {
        Records::of([Source::PathList(list.to_string())].into(), limits, format)
    }

    fn of(
        pending: std::collections::VecDeque<Source>,
        limits: &Limits,
        format: InputFormat,
    ) -> Records {
        Records {
            format,
            pending,
            current: None,
            paths: None,
            skipped: BTreeMap::new(),
            max_page_bytes: limits.max_page_bytes,
            max_line_bytes: limits
                .max_page_bytes
                .saturating_mul(2)
                .saturating_add(1 << 16),
        }
    }

    /// Crawl records that were not pages (WARC `request`, non-HTML
    /// responses …), by kind, in the inputs read so far.
    pub fn skipped(&self) -> BTreeMap<String, usize> {
        let mut s = self.skipped.clone();
        if let Some(Current::Warc(w)) = &self.current {
            for (k, n) in w.skipped() {
                *s.entry(k.clone()).or_default() += n;
            }
        }
        s
    }

    fn finish_current(&mut self) {
        if let Some(Current::Warc(w)) = self.current.take() {
            for (k, n) in w.skipped() {
                *self.skipped.entry(k.clone()).or_default() += n;
            }
        }
    }

    /// Open one file: a record (single page), or a stream of records.
    fn open_file(&mut self, p: PathBuf) -> Option<Record> {
        let id = p.display().to_string();
        let file = match std::fs::File::open(&p) {
            Ok(f) => f,
            Err(e) => return Some(Record::error(id, RecordError::Read(e.to_string()))),
        };
        let format = match self.format {
            InputFormat::Auto => format_from_name(&p),
            f => Some(f),
        };
        self.open_stream(id, Box::new(file), format)
    }

    /// Read a stream in `format` (detected from its first bytes when `None`).
    fn open_stream(
        &mut self,
        id: String,
        src: Box<dyn Read + Send>,
        format: Option<InputFormat>,
    ) -> Option<Record> {
        let (head, r) = match peek(src, 512, false) {
            Ok(x) => x,
            Err(e) => return Some(Record::error(id, RecordError::Read(e.to_string()))),
        };
        let gz = head.starts_with(&GZIP);
        let format = match format {
            Some(f) => f,
            None => {
                let inner = if gz { gunzip_head(&head) } else { head.clone() };
                if gz && inner.is_empty() {
                    InputFormat::Text
                } else {
                    sniff_format(&inner)
                }
            }
        };
        match format {
            InputFormat::Warc | InputFormat::Wet => {
                let max_record = self.max_page_bytes.saturating_add(1 << 20);
                self.current = Some(Current::Warc(Box::new(WarcReader::new(
                    &id,
                    Box::new(r),
                    max_record,
                ))));
                None
            }
            InputFormat::Jsonl => {
                let r: Box<dyn BufRead + Send> = if gz {
                    Box::new(BufReader::with_capacity(
                        1 << 20,
                        flate2::read::MultiGzDecoder::new(r),
                    ))
                } else {
                    Box::new(BufReader::with_capacity(1 << 20, r))
                };
                self.current = Some(Current::Jsonl(id, r, 0));
                None
            }
            InputFormat::Html => Some(read_page(id, r, gz, true, self.max_page_bytes)),
            InputFormat::Text | InputFormat::Auto => {
                Some(read_page(id, r, gz, false, self.max_page_bytes))
            }
        }
    }

    /// Start reading a path list; an unreadable list is one error record.
    fn open_path_list_source(&mut self, name: String) -> Option<Record> {
        let src: Box<dyn Read + Send> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            match std::fs::File::open(&name) {
                Ok(f) => Box::new(f),
                Err(e) => return Some(Record::error(name, RecordError::PathList(e.to_string()))),
            }
        };
        let (head, r) = match peek(src, 2, false) {
            Ok(x) => x,
            Err(e) => return Some(Record::error(name, RecordError::PathList(e.to_string()))),
        };
        let reader: Box<dyn BufRead + Send> = if head.starts_with(&GZIP) {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(r)))
        } else {
            Box::new(BufReader::new(r))
        };
        self.paths = Some(PathList {
            name,
            reader,
            lineno: 0,
        });
        None
    }

    fn open_stdin(&mut self) -> Option<Record> {
        let stdin: Box<dyn Read + Send> = Box::new(std::io::stdin());
        match self.format {
            InputFormat::Auto => {
                // Peek: JSON Lines starts with `{` (after white space). Stop at
                // the first such byte: a writer may wait for the first answer.
                let (head, r) = match peek(stdin, 4096, true) {
                    Ok(x) => x,
                    Err(e) => return Some(Record::error("-", RecordError::Stdin(e.to_string()))),
                };
                let first = head.iter().find(|b| !b.is_ascii_whitespace());
                if matches!(first, None | Some(b'{')) {
                    self.current = Some(Current::Jsonl(
                        "-".into(),
                        Box::new(BufReader::with_capacity(1 << 20, r)),
                        0,
                    ));
                    return None;
                }
                self.open_stream("-".into(), r, None)
            }
            f => self.open_stream("-".into(), stdin, Some(f)),
        }
    }
}

/// The first `n` bytes of a stream (fewer if it is shorter, or, with
/// `until_content`, as soon as a non-white-space byte has arrived), and the
/// whole stream again, those bytes included.
fn peek(
    mut src: Box<dyn Read + Send>,
    n: usize,
    until_content: bool,
) -> std::io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match src.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => {
                got += k;
                if until_content && head[..got].iter().any(|b| !b.is_ascii_whitespace()) {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    let again = std::io::Cursor::new(head.clone()).chain(src);
    Ok((head, Box::new(again)))
}

/// The first decompressed bytes of a gzip stream's beginning.
fn gunzip_head(head: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 512];
    let mut d = flate2::read::GzDecoder::new(head);
    let mut got = 0;
    while got < out.len() {
        match d.read(&mut out[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    out.truncate(got);
    out
}

/// A single-page file (gunzipped if need be), read up to one byte past the
/// page limit (the page is cut and flagged later).
fn read_page(id: String, r: impl Read, gz: bool, html: bool, max: usize) -> Record {
    let limit = max as u64 + 1;
    let mut bytes = Vec::new();
    let res = if gz {
        flate2::read::MultiGzDecoder::new(r)
            .take(limit)
            .read_to_end(&mut bytes)
    } else {
        r.take(limit).read_to_end(&mut bytes)
    };
    if let Err(e) = res {
        let e = e.to_string();
        let e = if gz {
            RecordError::Decompress(e)
        } else {
            RecordError::Read(e)
        };
        return Record::error(id, e);
    }
    if html {
        Record::page(
            id,
            Payload::Html {
                bytes,
                charset_hint: None,
            },
        )
    } else {
        Record::page(id, Payload::Text(bytes))
    }
}

/// Read one line into `buf`, keeping at most `cap` bytes; the rest of an
/// over-long line is consumed and dropped. Returns bytes consumed and whether
/// the line was cut.
fn read_line_bounded(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut cut = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((consumed, cut));
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = cap.saturating_sub(buf.len());
        if take > room {
            cut = true;
        }
        buf.extend_from_slice(&chunk[..take.min(room)]);
        r.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, cut));
        }
    }
}

/// A JSON Lines input record.
#[derive(serde::Deserialize)]
struct JsonRecord {
    id: Option<serde_json::Value>,
    url: Option<String>,
    date: Option<String>,
    text: Option<String>,
    html: Option<String>,
}

fn parse_json_record(line: &[u8], source: &str, lineno: usize) -> Record {
    let fallback = format!("{source}:{lineno}");
    let rec: JsonRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => return Record::error(fallback, RecordError::Json(e.to_string())),
    };
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => fallback,
        Some(v) => v.to_string(),
    };
    let payload = match (rec.text, rec.html) {
        (Some(t), None) => Ok(Payload::Str(t)),
        (None, Some(h)) => Ok(Payload::Html {
            bytes: h.into_bytes(),
            // The JSON string is already Unicode: a <meta charset> inside must not re-decode it.
            charset_hint: Some("utf-8".into()),
        }),
        (Some(_), Some(_)) => Err("record has both \"text\" and \"html\" fields".into()),
        (None, None) => Err("record has no \"text\" or \"html\" field".into()),
    };
    Record {
        id,
        url: rec.url,
        date: rec.date,
        truncated: false,
        payload,
    }
}

impl Iterator for Records {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            match self.current.as_mut() {
                Some(Current::Jsonl(name, reader, lineno)) => {
                    let mut line = Vec::new();
                    match read_line_bounded(reader.as_mut(), &mut line, self.max_line_bytes) {
                        Ok((0, _)) => self.finish_current(),
                        Ok((_, cut)) => {
                            *lineno += 1;
                            if cut {
                                return Some(Record::error(
                                    format!("{name}:{lineno}"),
                                    RecordError::TooLong {
                                        limit: self.max_line_bytes,
                                    },
                                ));
                            }
                            if line.iter().all(u8::is_ascii_whitespace) {
                                if *name == "-" {
                                    return Some(Record::error(
                                        format!("-:{lineno}"),
                                        RecordError::Empty,
                                    ));
                                }
                                continue;
                            }
                            return Some(parse_json_record(&line, name, *lineno));
                        }
                        Err(e) => {
                            let r = Record::error(
                                format!("{name}:{}", *lineno + 1),
                                RecordError::Stream(e.to_string()),
                            );
                            self.finish_current();
                            return Some(r);
                        }
                    }
                    continue;
                }
                Some(Current::Warc(w)) => match w.next() {
                    Some(r) => return Some(r),
                    None => {
                        self.finish_current();
                        continue;
                    }
                },
                None => {}
            }
            let listed = self.paths.as_mut().map(PathList::next_source);
            let source = match listed {
                Some(Some(s)) => s,
                Some(None) => {
                    self.paths = None;
                    continue;
                }
                None => self.pending.pop_front()?,
            };
            let rec = match source {
                Source::File(p) => self.open_file(p),
                Source::Stdin => self.open_stdin(),
                Source::Broken(name, e) => Some(Record::error(name, e)),
                Source::PathList(name) => self.open_path_list_source(name),
            };
            if rec.is_some() {
                return rec;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_records_and_bad_lines() {
        let r = parse_json_record(br#"{"id":"a","text":"hello"}"#, "-", 1);
        assert_eq!(r.payload, Ok(Payload::Str("hello".into())));
        let r = parse_json_record(br#"{"id":7,"text":"x"}"#, "-", 1);
        assert_eq!(r.id, "7");
        let r = parse_json_record(b"{oops", "b.jsonl", 3);
        assert_eq!(r.id, "b.jsonl:3");
        assert!(r
            .payload
            .unwrap_err()
            .to_string()
            .starts_with("invalid JSON record"));
        let r = parse_json_record(br#"{"id":"x"}"#, "-", 1);
        assert!(r.payload.is_err());
        let r = parse_json_record(br#"{"id":"h","html":"<p>x","date":"2025"}"#, "-", 1);
        assert!(matches!(r.payload, Ok(Payload::Html { .. })));
        assert_eq!(r.date.as_deref(), Some("2025"));
        let r = parse_json_record(br#"{"id":"h","html":"<p>x","text":"x"}"#, "-", 1);
        assert!(r.payload.is_err());
    }

    #[test]
    fn missing_file_is_an_error_record() {
        let mut r = Records::open(&["/nonexistent/ghirbal/page.txt".to_string()]);
        let rec = r.next().unwrap();
        assert!(rec
            .payload
            .unwrap_err()
            .to_string()
            .starts_with("cannot read"));
        assert!(r.next().is_none());
    }

    #[test]
    fn formats_from_names_and_bytes() {
        let f = |n: &str| format_from_name(Path::new(n));
        assert_eq!(f("a/CC-MAIN-1.warc.wet.gz"), Some(InputFormat::Wet));
        assert_eq!(f("x.warc.gz"), Some(InputFormat::Warc));
        assert_eq!(f("p.HTML.gz"), Some(InputFormat::Html));
        assert_eq!(f("p.htm"), Some(InputFormat::Html));
        assert_eq!(f("b.jsonl"), Some(InputFormat::Jsonl));
        assert_eq!(f("page"), None);
        assert_eq!(sniff_format(b"WARC/1.1\r\n"), InputFormat::Warc);
        assert_eq!(
            sniff_format(b"\xEF\xBB\xBF\n <!DOCTYPE html><html>"),
            InputFormat::Html
        );
        assert_eq!(sniff_format(b"<p>hi</p>"), InputFormat::Html);
        assert_eq!(sniff_format(b"<pre>"), InputFormat::Text);
        assert_eq!(sniff_format("عاجل\n<p>".as_bytes()), InputFormat::Text);
    }
}
