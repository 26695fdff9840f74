//! WARC and WET input: records of a web crawl, streamed.
//!
//! In: a byte stream of WARC 1.0/1.1 records (`.warc`), gzip-compressed with
//! one member per record (`.warc.gz`, `.warc.wet.gz`), or a plain gzip of a
//! whole WARC file. Out: [`Record`]s: `response` (and `resource`) records of
//! an HTML content type become HTML pages (charset from the HTTP header),
//! WET `conversion` records become text pages, every other record is
//! skipped and counted ([`WarcReader::skipped`]). A record carries its
//! `WARC-Record-ID` (as `id`), `WARC-Target-URI` (as `url`) and `WARC-Date`.
//!
//! Memory stays flat: records are read one at a time, and a record's block
//! is kept only up to a limit (the rest is read past and the record flagged
//! truncated).
//!
//! Damage is reported, not fatal: a truncated record, a record whose block
//! does not end where `Content-Length` says, a corrupt gzip member or junk
//! between records each become one error record, and reading resumes at the
//! next record — at the next gzip member (found by its magic bytes, scanning
//! from just after the start of the broken one), or at the next
//! `WARC/1.x` line.

use crate::output::plural;
use crate::read::record::{looks_like_html, Payload, Record, RecordError};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};

/// Longest header line kept.
const MAX_LINE: usize = 64 * 1024;

/// Most header lines in one record.
const MAX_HEADER_LINES: usize = 1024;

/// Compressed bytes of one gzip member kept for re-scanning after damage;
/// past it, scanning resumes from the current position instead.
const MAX_REPLAY: usize = 8 << 20;

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

// ---------------------------------------------------------------- gzip layer

/// A buffered reader that can record the bytes consumed since a mark and
/// serve them again.
struct Raw {
    inner: Box<dyn Read + Send>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    replay: Vec<u8>,
    replay_pos: usize,
    recording: Option<Vec<u8>>,
    overflowed: bool,
    /// Bytes consumed from the start of the file (approximate after a replay).
    offset: u64,
}

impl Raw {
    fn new(inner: Box<dyn Read + Send>) -> Raw {
        Raw {
            inner,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            replay: Vec::new(),
            replay_pos: 0,
            recording: None,
            overflowed: false,
            offset: 0,
        }
    }

    fn mark(&mut self) {
        let mut v = self.recording.take().unwrap_or_default();
        v.clear();
        self.recording = Some(v);
        self.overflowed = false;
    }

    /// Serve again everything consumed since the mark, except its first byte.
    fn rewind_after_mark(&mut self) {
        let Some(rec) = self.recording.take() else {
            return;
        };
        if self.overflowed || rec.is_empty() {
            self.recording = Some(rec);
            return;
        }
        let mut replay = rec[1..].to_vec();
        replay.extend_from_slice(&self.replay[self.replay_pos..]);
        self.replay = replay;
        self.replay_pos = 0;
        self.recording = Some(rec);
    }
}

impl Read for Raw {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let b = self.fill_buf()?;
            let n = b.len().min(out.len());
            out[..n].copy_from_slice(&b[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl Raw {
    /// The buffered bytes, at least `k` of them unless the input ends first.
    fn fill_min(&mut self, k: usize) -> io::Result<&[u8]> {
        if self.replay_pos < self.replay.len() {
            if self.replay.len() - self.replay_pos >= k {
                return Ok(&self.replay[self.replay_pos..]);
            }
            // Too short: move the rest of the replay in front of the buffer.
            let mut merged = self.replay[self.replay_pos..].to_vec();
            merged.extend_from_slice(&self.buf[self.pos..self.end]);
            self.replay.clear();
            self.replay_pos = 0;
            self.pos = 0;
            self.end = merged.len();
            let cap = self.buf.len().max(merged.len());
            merged.resize(cap, 0);
            self.buf = merged;
        }
        if self.end - self.pos < k {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
            while self.end < k {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(0) => break,
                    Ok(n) => self.end += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.pos..self.end])
    }
}

impl BufRead for Raw {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.fill_min(1)
    }

    fn consume(&mut self, n: usize) {
        let from_replay = self.replay_pos < self.replay.len();
        let taken: &[u8] = if from_replay {
            &self.replay[self.replay_pos..self.replay_pos + n]
        } else {
            &self.buf[self.pos..self.pos + n]
        };
        if let Some(rec) = &mut self.recording {
            if !self.overflowed {
                if rec.len() + n > MAX_REPLAY {
                    self.overflowed = true;
                    rec.clear();
                } else {
                    rec.extend_from_slice(taken);
                }
            }
        }
        if from_replay {
            self.replay_pos += n;
            if self.replay_pos == self.replay.len() {
                self.replay.clear();
                self.replay_pos = 0;
            }
        } else {
            self.pos += n;
        }
        self.offset += n as u64;
    }
}

/// The decompressed bytes of a series of gzip members. A corrupt member is
/// one `Err` from `read`; the next `read` goes on with the next member.
struct GzMembers {
    raw: Option<Raw>,
    dec: Option<flate2::bufread::GzDecoder<Raw>>,
    member_start: u64,
    resync: bool,
}

impl GzMembers {
    fn new(inner: Box<dyn Read + Send>) -> GzMembers {
        GzMembers {
            raw: Some(Raw::new(inner)),
            dec: None,
            member_start: 0,
            resync: false,
        }
    }
}

impl Read for GzMembers {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(dec) = &mut self.dec {
                match dec.read(out) {
                    Ok(0) if !out.is_empty() => {
                        let raw = self.dec.take().map(|d| d.into_inner());
                        self.raw = raw;
                        continue;
                    }
                    Ok(n) => return Ok(n),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let mut raw = self.dec.take().map(|d| d.into_inner());
                        if let Some(r) = &mut raw {
                            r.rewind_after_mark();
                        }
                        self.raw = raw;
                        self.resync = true;
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("corrupt gzip member at byte {}: {e}", self.member_start),
                        ));
                    }
                }
            }
            let Some(raw) = self.raw.as_mut() else {
                return Ok(0);
            };
            // At a member boundary: expect the gzip magic, or find it.
            let mut skipped = 0u64;
            loop {
                let b = raw.fill_min(3)?;
                if b.is_empty() {
                    if skipped > 0 && !self.resync {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "{} of junk after the last gzip member",
                                plural(skipped, "byte")
                            ),
                        ));
                    }
                    return Ok(0);
                }
                if b.starts_with(&GZIP_MAGIC) {
                    break;
                }
                let n = if b.len() < 3 {
                    b.len()
                } else {
                    // Keep the last two bytes: they may begin a magic.
                    memchr::memmem::find(b, &GZIP_MAGIC).unwrap_or(b.len() - 2)
                };
                raw.consume(n);
                skipped += n as u64;
            }
            if skipped > 0 && !self.resync {
                // Junk between members: report it, then go on with the member found.
                self.resync = true;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} of junk between gzip members", plural(skipped, "byte")),
                ));
            }
            self.resync = false;
            self.member_start = raw.offset;
            raw.mark();
            let raw = self.raw.take().expect("raw reader present");
            self.dec = Some(flate2::bufread::GzDecoder::new(raw));
        }
    }
}

// ---------------------------------------------------------------- record layer

/// A buffered byte stream with push-back.
struct Stream {
    src: Box<dyn Read + Send>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    front: Vec<u8>,
    front_pos: usize,
}

impl Stream {
    fn new(src: Box<dyn Read + Send>) -> Stream {
        Stream {
            src,
            buf: vec![0; 64 * 1024],
            pos: 0,
            end: 0,
            front: Vec::new(),
            front_pos: 0,
        }
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.front_pos < self.front.len() {
            return Ok(&self.front[self.front_pos..]);
        }
        if self.pos == self.end {
            self.pos = 0;
            self.end = 0;
            self.end = loop {
                match self.src.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, n: usize) {
        if self.front_pos < self.front.len() {
            self.front_pos += n;
            if self.front_pos == self.front.len() {
                self.front.clear();
                self.front_pos = 0;
            }
        } else {
            self.pos += n;
        }
    }

    /// Put bytes back in front of the stream.
    fn unread(&mut self, bytes: &[u8]) {
        let mut f = bytes.to_vec();
        f.extend_from_slice(&self.front[self.front_pos..]);
        self.front = f;
        self.front_pos = 0;
    }

    /// One line with its `\n` (kept up to `max` bytes); `None` at the end.
    fn read_line(&mut self, out: &mut Vec<u8>, max: usize) -> io::Result<Option<bool>> {
        out.clear();
        let mut long = false;
        let mut any = false;
        loop {
            let b = self.fill()?;
            if b.is_empty() {
                return Ok(any.then_some(long));
            }
            any = true;
            let (n, done) = match memchr::memchr(b'\n', b) {
                Some(i) => (i + 1, true),
                None => (b.len(), false),
            };
            let keep = n.min(max.saturating_sub(out.len()));
            long |= keep < n;
            out.extend_from_slice(&b[..keep]);
            self.consume(n);
            if done {
                return Ok(Some(long));
            }
        }
    }

    /// Read `n` bytes, keeping the first `cap`; returns how many were read
    /// (fewer than `n` at the end of the stream).
    fn read_block(&mut self, n: u64, out: &mut Vec<u8>, cap: usize) -> io::Result<u64> {
        out.clear();
        let mut got = 0u64;
        while got < n {
            let b = self.fill()?;
            if b.is_empty() {
                break;
            }
            let take = (b.len() as u64).min(n - got) as usize;
            let keep = take.min(cap.saturating_sub(out.len()));
            out.extend_from_slice(&b[..keep]);
            self.consume(take);
            got += take as u64;
        }
        Ok(got)
    }
}

/// A WARC record as read: named headers and (the kept part of) its block.
#[derive(Debug, Clone, Default)]
pub struct WarcRecord {
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
    /// The block was longer than the reader keeps and was cut.
    pub truncated: bool,
}

impl WarcRecord {
    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn id(&self) -> Option<String> {
        self.header("warc-record-id").map(strip_angles)
    }
}

fn strip_angles(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('<')
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or(s)
        .to_string()
}

/// A record that could not be read, or a damaged region of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRecord {
    /// The record's `WARC-Record-ID`, else `FILE#N` (its ordinal).
    pub id: String,
    /// Its `WARC-Target-URI`, when the header got that far.
    pub url: Option<String>,
    pub error: RecordError,
}

/// How a WARC or WET record is damaged ([`RecordError::Warc`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WarcError {
    /// Something other than a `WARC/` version line where a record should start.
    #[error("expected a WARC record header, found {found:?}")]
    NotAHeader {
        /// The line's first 40 bytes.
        found: String,
    },
    /// The file ends inside a record's header.
    #[error("truncated record: the file ends inside its header")]
    HeaderCut,
    /// A header line longer than the reader accepts.
    #[error("malformed record: header line too long")]
    LongHeaderLine,
    /// More header lines than the reader accepts.
    #[error("malformed record: too many header lines")]
    ManyHeaderLines,
    /// A header line that is not `Name: value`.
    #[error("malformed record: header line without ':' ({found:?})")]
    NoColon {
        /// The line's first 40 characters.
        found: String,
    },
    /// Reading failed inside a record.
    #[error("truncated record: {0}")]
    Cut(String),
    /// The file ends before the record's block does.
    #[error("truncated record: {got} of {}", plural(*.len, "byte"))]
    BlockCut {
        /// Bytes read.
        got: u64,
        /// Bytes `Content-Length` announced.
        len: u64,
    },
    /// No `Content-Length`, or not a number.
    #[error("malformed record: no valid Content-Length")]
    NoContentLength,
    /// Something else than the end of the record after its block.
    #[error("malformed record: the block does not end where Content-Length says (a truncated or damaged record)")]
    BlockEnd,
    /// A response record whose block holds no HTTP header.
    #[error("malformed record: no HTTP response header")]
    NoHttpHeader,
    /// A response record whose block does not start with an HTTP status line.
    #[error("malformed record: expected an HTTP status line, found {found:?}")]
    NoHttpStatus {
        /// The line's first 40 characters.
        found: String,
    },
    /// An HTTP `Content-Encoding` this reader does not undo.
    #[error("unsupported Content-Encoding {0:?}")]
    UnsupportedEncoding(String),
    /// A body that its `Content-Encoding` does not decode.
    #[error("cannot decode Content-Encoding: {0}")]
    Encoding(String),
}

/// Streams the records of one WARC/WET file.
///
/// As an iterator it gives the page records (HTML responses, WET
/// conversions) and error records, and counts the others ([`WarcReader::skipped`]):
///
/// ```
/// use ghirbal::{Payload, WarcReader};
///
/// fn record(kind: &str, extra: &str, block: &str) -> String {
///     format!(
///         "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\n\
///          WARC-Target-URI: https://example.com/\r\nWARC-Date: 2025-03-12T10:00:00Z\r\n\
///          {extra}Content-Length: {}\r\n\r\n{block}\r\n\r\n",
///         block.len()
///     )
/// }
/// let file = record("request", "", "GET / HTTP/1.1\r\n\r\n")
///     + &record(
///         "response",
///         "Content-Type: application/http; msgtype=response\r\n",
///         "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello, world.</p>",
///     );
/// let mut warc = WarcReader::new("crawl.warc", Box::new(std::io::Cursor::new(file)), 1 << 20);
/// let rec = warc.next().unwrap();
/// assert_eq!(rec.id, "urn:uuid:response");
/// assert_eq!(rec.url.as_deref(), Some("https://example.com/"));
/// assert_eq!(rec.date.as_deref(), Some("2025-03-12T10:00:00Z"));
/// assert!(matches!(&rec.payload, Ok(Payload::Html { charset_hint: Some(c), .. }) if c == "utf-8"));
/// assert_eq!(ghirbal::page_from_record(rec).unwrap().text, "Hello, world.");
/// assert!(warc.next().is_none());
/// assert_eq!(warc.skipped().get("request"), Some(&1));
/// ```
pub struct WarcReader {
    name: String,
    stream: Stream,
    /// Records (or damaged regions) seen so far.
    ordinal: usize,
    /// After damage: skip to the next `WARC/` line without reporting more.
    resyncing: bool,
    /// An error found after a good record, reported on the next call.
    pending: Option<BadRecord>,
    skipped: BTreeMap<String, usize>,
    line: Vec<u8>,
    /// Bytes of a record block kept at most.
    max_record: usize,
}

impl WarcReader {
    /// A reader over `src` keeping at most `max_record` bytes of a record's
    /// block; gzip (one member per record, or one for the whole file) is
    /// recognised by its magic bytes.
    pub fn new(name: &str, src: Box<dyn Read + Send>, max_record: usize) -> WarcReader {
        let mut src = io::BufReader::with_capacity(64 * 1024, src);
        let is_gz = matches!(src.fill_buf(), Ok(b) if b.starts_with(&GZIP_MAGIC[..2]));
        let src: Box<dyn Read + Send> = if is_gz {
            Box::new(GzMembers::new(Box::new(src)))
        } else {
            Box::new(src)
        };
        WarcReader {
            name: name.to_string(),
            stream: Stream::new(src),
            ordinal: 0,
            resyncing: false,
            pending: None,
            skipped: BTreeMap::new(),
            line: Vec::new(),
            max_record,
        }
    }

    /// Records skipped because they are not pages, by kind (e.g.
    /// `request`, `response (image/png)` grouped as `response (not HTML)`).
    pub fn skipped(&self) -> &BTreeMap<String, usize> {
        &self.skipped
    }

    fn error(
        &self,
        id: Option<String>,
        url: Option<String>,
        error: impl Into<RecordError>,
    ) -> BadRecord {
        BadRecord {
            id: id.unwrap_or_else(|| format!("{}#{}", self.name, self.ordinal)),
            url,
            error: error.into(),
        }
    }

    /// The next record, or the next damaged region; `None` at the end.
    pub fn next_record(&mut self) -> Option<Result<WarcRecord, BadRecord>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        // 1. The version line.
        loop {
            match self.stream.read_line(&mut self.line, MAX_LINE) {
                Ok(None) => return None,
                Ok(Some(_)) => {}
                Err(e) => {
                    if self.resyncing {
                        continue;
                    }
                    self.ordinal += 1;
                    self.resyncing = true;
                    return Some(Err(self.error(
                        None,
                        None,
                        RecordError::Stream(e.to_string()),
                    )));
                }
            }
            let l = trim_eol(&self.line);
            if l.is_empty() {
                continue;
            }
            if l.starts_with(b"WARC/") {
                break;
            }
            if !self.resyncing {
                self.ordinal += 1;
                self.resyncing = true;
                let shown = String::from_utf8_lossy(&l[..l.len().min(40)]).into_owned();
                return Some(Err(self.error(
                    None,
                    None,
                    WarcError::NotAHeader { found: shown },
                )));
            }
        }
        self.resyncing = false;
        self.ordinal += 1;
        // 2. Named fields.
        let mut rec = WarcRecord::default();
        loop {
            let r = self.stream.read_line(&mut self.line, MAX_LINE);
            let bad = |this: &mut WarcReader, rec: &WarcRecord, why: WarcError| {
                this.resyncing = true;
                Some(Err(this.error(
                    rec.id(),
                    rec.header("warc-target-uri").map(strip_angles),
                    why,
                )))
            };
            match r {
                Ok(None) => return bad(self, &rec, WarcError::HeaderCut),
                Err(e) => return bad(self, &rec, WarcError::Cut(e.to_string())),
                Ok(Some(true)) => return bad(self, &rec, WarcError::LongHeaderLine),
                Ok(Some(false)) => {}
            }
            let l = trim_eol(&self.line);
            if l.is_empty() {
                break;
            }
            if rec.headers.len() >= MAX_HEADER_LINES {
                return bad(self, &rec, WarcError::ManyHeaderLines);
            }
            let text = String::from_utf8_lossy(l);
            if text.starts_with([' ', '\t']) {
                if let Some(last) = rec.headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(text.trim());
                }
                continue;
            }
            match text.split_once(':') {
                Some((n, v)) => rec
                    .headers
                    .push((n.trim().to_ascii_lowercase(), v.trim().to_string())),
                None => {
                    let shown: String = text.chars().take(40).collect();
                    return bad(self, &rec, WarcError::NoColon { found: shown });
                }
            }
        }
        let id = rec.id();
        let url = rec.header("warc-target-uri").map(strip_angles);
        // 3. The block.
        let len: u64 = match rec.header("content-length").map(|v| v.trim().parse()) {
            Some(Ok(n)) => n,
            _ => {
                self.resyncing = true;
                return Some(Err(self.error(id, url, WarcError::NoContentLength)));
            }
        };
        let mut block = Vec::new();
        match self.stream.read_block(len, &mut block, self.max_record) {
            Ok(got) if got < len => {
                self.resyncing = true;
                return Some(Err(self.error(id, url, WarcError::BlockCut { got, len })));
            }
            Ok(_) => {}
            Err(e) => {
                self.resyncing = true;
                return Some(Err(self.error(id, url, WarcError::Cut(e.to_string()))));
            }
        }
        rec.truncated = len > block.len() as u64;
        // 4. The end of the block: CR/LF only, then the next record or the end.
        let mut eol = 0;
        loop {
            match self.stream.fill() {
                Ok([]) => break,
                Ok(b) if matches!(b[0], b'\r' | b'\n') && eol < 4 => {
                    self.stream.consume(1);
                    eol += 1;
                }
                Ok(_) if eol > 0 => break,
                Ok(_) => {
                    // The block does not end where Content-Length says: this
                    // record is damaged. A record header inside the block is
                    // where the next one starts.
                    let at = memchr::memmem::find_iter(&block, b"WARC/1.")
                        .find(|&i| i == 0 || block[i - 1] == b'\n');
                    match at {
                        Some(i) if i > 0 => self.stream.unread(&block[i..]),
                        _ => self.resyncing = true,
                    }
                    return Some(Err(self.error(id, url, WarcError::BlockEnd)));
                }
                Err(e) => {
                    self.resyncing = true;
                    self.ordinal += 1;
                    self.pending = Some(self.error(None, None, RecordError::Stream(e.to_string())));
                    break;
                }
            }
        }
        rec.block = block;
        Some(Ok(rec))
    }

    fn skip(&mut self, kind: String) {
        *self.skipped.entry(kind).or_default() += 1;
    }

    /// Turn a record into a page record, or count it as skipped.
    fn page_record(&mut self, mut rec: WarcRecord) -> Option<Record> {
        let kind = rec.header("warc-type").unwrap_or("").to_ascii_lowercase();
        let id = rec
            .id()
            .unwrap_or_else(|| format!("{}#{}", self.name, self.ordinal));
        let url = rec.header("warc-target-uri").map(strip_angles);
        let date = rec.header("warc-date").map(|d| d.trim().to_string());
        let make = |payload: Result<Payload, RecordError>| Record {
            id: id.clone(),
            url: url.clone(),
            date: date.clone(),
            truncated: rec.truncated,
            payload,
        };
        let warc_ct = rec
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        match kind.as_str() {
            "conversion" => Some(make(Ok(Payload::Text(std::mem::take(&mut rec.block))))),
            "response"
                if warc_ct.starts_with("application/http") || rec.block.starts_with(b"HTTP/") =>
            {
                match http_payload(&rec.block) {
                    Err(e) => Some(make(Err(e.into()))),
                    Ok(h) => {
                        let is_html = match &h.mime {
                            Some(m) => is_html_mime(m),
                            None => rec.header("warc-identified-payload-type").map_or_else(
                                || looks_like_html(&rec.block[h.body..]),
                                is_html_mime,
                            ),
                        };
                        if !is_html {
                            self.skip("response (not HTML)".into());
                            return None;
                        }
                        let body = match decode_body(&rec.block[h.body..], &h, self.max_record) {
                            Ok(b) => b,
                            Err(e) => return Some(make(Err(e.into()))),
                        };
                        Some(make(Ok(Payload::Html {
                            bytes: body,
                            charset_hint: h.charset,
                        })))
                    }
                }
            }
            "response" | "resource" if is_html_mime(&warc_ct) => {
                let (mime, charset) = parse_content_type(&warc_ct);
                let _ = mime;
                Some(make(Ok(Payload::Html {
                    bytes: std::mem::take(&mut rec.block),
                    charset_hint: charset,
                })))
            }
            "response" | "resource" => {
                self.skip(format!("{kind} (not HTML)"));
                None
            }
            "" => {
                self.skip("record without WARC-Type".into());
                None
            }
            _ => {
                self.skip(kind);
                None
            }
        }
    }
}

impl Iterator for WarcReader {
    type Item = Record;

    /// The next page or error record; skipped records are only counted.
    fn next(&mut self) -> Option<Record> {
        loop {
            match self.next_record()? {
                Ok(rec) => {
                    if let Some(r) = self.page_record(rec) {
                        return Some(r);
                    }
                }
                Err(e) => {
                    return Some(Record {
                        id: e.id,
                        url: e.url,
                        date: None,
                        truncated: false,
                        payload: Err(e.error),
                    })
                }
            }
        }
    }
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\n").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

fn is_html_mime(m: &str) -> bool {
    let m = m
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        m.as_str(),
        "text/html" | "application/xhtml+xml" | "application/xhtml" | "text/xhtml"
    )
}

/// `type/subtype` and `charset` of a Content-Type value.
fn parse_content_type(v: &str) -> (String, Option<String>) {
    let mut parts = v.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|c| !c.is_empty())
    });
    (mime, charset)
}

/// The parts of an HTTP response that matter here.
#[derive(Debug)]
struct Http {
    /// Offset of the body in the block.
    body: usize,
    mime: Option<String>,
    charset: Option<String>,
    chunked: bool,
    encoding: Option<String>,
}

fn http_payload(block: &[u8]) -> Result<Http, WarcError> {
    let head_len = block.len().min(MAX_LINE * 4);
    let head = &block[..head_len];
    let (end, sep) = match memchr::memmem::find(head, b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => match memchr::memmem::find(head, b"\n\n") {
            Some(i) => (i, 2),
            None if block.starts_with(b"HTTP/") => (block.len(), 0),
            None => return Err(WarcError::NoHttpHeader),
        },
    };
    let text = String::from_utf8_lossy(&block[..end]);
    let mut lines = text.lines();
    let status = lines.next().unwrap_or("");
    if !status.starts_with("HTTP/") {
        return Err(WarcError::NoHttpStatus {
            found: status.chars().take(40).collect(),
        });
    }
    let mut h = Http {
        body: (end + sep).min(block.len()),
        mime: None,
        charset: None,
        chunked: false,
        encoding: None,
    };
    for line in lines {
        let Some((n, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match n.trim().to_ascii_lowercase().as_str() {
            "content-type" if h.mime.is_none() => {
                let (m, c) = parse_content_type(v);
                h.mime = Some(m);
                h.charset = c;
            }
            "transfer-encoding" => h.chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => {
                let e = v.trim().to_ascii_lowercase();
                if !e.is_empty() && e != "identity" {
                    h.encoding = Some(e);
                }
            }
            _ => {}
        }
    }
    Ok(h)
}

/// Undo transfer and content encodings of an HTTP body.
fn decode_body(body: &[u8], h: &Http, max: usize) -> Result<Vec<u8>, WarcError> {
    let body = if h.chunked {
        dechunk(body).unwrap_or_else(|| body.to_vec())
    } else {
        body.to_vec()
    };
    let limit = max as u64 + 1;
    let mut out = Vec::new();
    let r = match h.encoding.as_deref() {
        None => return Ok(body),
        Some("gzip" | "x-gzip") => flate2::read::MultiGzDecoder::new(&body[..])
            .take(limit)
            .read_to_end(&mut out),
        Some("deflate") => {
            // "deflate" is zlib-wrapped by the standard, raw in practice; try both.
            let z = flate2::read::ZlibDecoder::new(&body[..])
                .take(limit)
                .read_to_end(&mut out);
            if z.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                z
            }
        }
        Some(other) => return Err(WarcError::UnsupportedEncoding(other.to_string())),
    };
    r.map(|_| out)
        .map_err(|e| WarcError::Encoding(e.to_string()))
}

/// Decode `Transfer-Encoding: chunked`; `None` when the body is not chunked after all.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memchr(b'\n', b)?;
        let line = std::str::from_utf8(&b[..eol]).ok()?;
        let size = line.split(';').next()?.trim();
        let n = usize::from_str_radix(size, 16).ok()?;
        b = &b[eol + 1..];
        if n == 0 {
            return Some(out);
        }
        if n > b.len() {
            // A cut-off last chunk: keep what there is.
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..n]);
        b = &b[n..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
        if b.is_empty() {
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: https://example.com/{id}\r\nWARC-Date: 2025-03-12T10:00:00Z\r\n{extra}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(ct: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\n{body}").into_bytes()
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: Vec<u8>) -> (Vec<Record>, BTreeMap<String, usize>) {
        let mut r = WarcReader::new("t.warc", Box::new(io::Cursor::new(bytes)), 1 << 20);
        let v: Vec<Record> = r.by_ref().collect();
        (v, r.skipped().clone())
    }

    const RESP: &str = "Content-Type: application/http; msgtype=response\r\n";

    #[test]
    fn pages_and_skipped_records() {
        let mut f = record("warcinfo", "0", "", b"software: test\r\n");
        f.extend(record("request", "1", "", b"GET / HTTP/1.1\r\n\r\n"));
        f.extend(record(
            "response",
            "2",
            RESP,
            &http("text/html; charset=windows-1256", "<p>x"),
        ));
        f.extend(record("response", "3", RESP, &http("image/png", "PNG")));
        f.extend(record(
            "conversion",
            "4",
            "Content-Type: text/plain\r\n",
            "سطر\nline".as_bytes(),
        ));
        let (recs, skipped) = read_all(f);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].id, "urn:uuid:2");
        assert_eq!(recs[0].url.as_deref(), Some("https://example.com/2"));
        assert_eq!(recs[0].date.as_deref(), Some("2025-03-12T10:00:00Z"));
        assert_eq!(
            recs[0].payload,
            Ok(Payload::Html {
                bytes: b"<p>x".to_vec(),
                charset_hint: Some("windows-1256".into())
            })
        );
        assert_eq!(
            recs[1].payload,
            Ok(Payload::Text("سطر\nline".as_bytes().to_vec()))
        );
        assert_eq!(skipped.values().sum::<usize>(), 3);
    }

    #[test]
    fn a_truncated_gzip_member_between_good_ones_is_one_error() {
        let good = |i: &str| {
            gz(&record(
                "response",
                i,
                RESP,
                &http("text/html", &format!("<p>page {i} {}", "word ".repeat(200))),
            ))
        };
        let bad = good("2");
        let mut f = good("1");
        f.extend_from_slice(&bad[..bad.len() / 2]);
        f.extend(good("3"));
        let (recs, _) = read_all(f);
        let ok: Vec<_> = recs
            .iter()
            .filter(|r| r.payload.is_ok())
            .map(|r| r.id.as_str())
            .collect();
        let bad: Vec<_> = recs.iter().filter(|r| r.payload.is_err()).collect();
        assert_eq!(ok, vec!["urn:uuid:1", "urn:uuid:3"]);
        assert_eq!(bad.len(), 1, "{bad:?}");
    }

    #[test]
    fn a_content_length_that_lies_loses_only_its_record() {
        let mut f = record("response", "1", RESP, &http("text/html", "<p>one"));
        let mut two = record("response", "2", RESP, &http("text/html", "<p>two"));
        // Claim 200 more bytes than there are: the block swallows record 3's start.
        let s = String::from_utf8(two.clone()).unwrap();
        let n: usize = s
            .split("Content-Length: ")
            .nth(1)
            .unwrap()
            .split('\r')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        two = s
            .replace(
                &format!("Content-Length: {n}"),
                &format!("Content-Length: {}", n + 200),
            )
            .into_bytes();
        f.extend(two);
        f.extend(record(
            "response",
            "3",
            RESP,
            &http("text/html", &format!("<p>three {}", "x".repeat(300))),
        ));
        let (recs, _) = read_all(f);
        let ids: Vec<(&str, bool)> = recs
            .iter()
            .map(|r| (r.id.as_str(), r.payload.is_ok()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("urn:uuid:1", true),
                ("urn:uuid:2", false),
                ("urn:uuid:3", true)
            ]
        );
    }

    #[test]
    fn truncated_file_and_junk() {
        let mut f = b"garbage line\r\n".to_vec();
        f.extend(record("response", "1", RESP, &http("text/html", "<p>one")));
        let r = record("response", "2", RESP, &http("text/html", "<p>two"));
        f.extend_from_slice(&r[..r.len() - 10]);
        let (recs, _) = read_all(f);
        let ids: Vec<(&str, bool)> = recs
            .iter()
            .map(|r| (r.id.as_str(), r.payload.is_ok()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("t.warc#1", false),
                ("urn:uuid:1", true),
                ("urn:uuid:2", false)
            ]
        );
        assert!(recs[2]
            .payload
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("truncated record"));
    }

    #[test]
    fn chunked_and_gzipped_bodies() {
        let body = gz(b"<p>hello</p>");
        let mut chunked = format!("{:x}\r\n", body.len()).into_bytes();
        chunked.extend_from_slice(&body);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(chunked);
        let (recs, _) = read_all(record("response", "1", RESP, &block));
        assert_eq!(
            recs[0].payload,
            Ok(Payload::Html {
                bytes: b"<p>hello</p>".to_vec(),
                charset_hint: None
            })
        );
    }

    #[test]
    fn one_gzip_member_for_the_whole_file() {
        let mut f = record("response", "1", RESP, &http("text/html", "<p>one"));
        f.extend(record("response", "2", RESP, &http("text/html", "<p>two")));
        let (recs, _) = read_all(gz(&f));
        assert_eq!(recs.len(), 2);
        assert!(recs.iter().all(|r| r.payload.is_ok()));
    }
}
