//! Input readers: the records a `classify` run has to label, streamed.
//!
//! In: command-line inputs: file paths, directories (recursively, in path
//! order), `.jsonl` batches, or `-` for standard input (JSON Lines records
//! `{"id", "url"?, "text"}`, or one plain-text page when the input does not
//! start with `{`). Out: an iterator of [`Record`]s in input order; a record
//! that cannot be read is a record with an error, never a gap.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What a record holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A plain-text page, as bytes (decoded later).
    Text(Vec<u8>),
    /// Text already decoded (a JSON Lines `text` field).
    Str(String),
}

/// One unit of input; produces exactly one output line.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub url: Option<String>,
    pub payload: Result<Payload, String>,
}

impl Record {
    fn error(id: impl Into<String>, e: impl Into<String>) -> Record {
        Record {
            id: id.into(),
            url: None,
            payload: Err(e.into()),
        }
    }
}

/// One input named on the command line, expanded.
enum Source {
    File(PathBuf),
    Jsonl(String, Box<dyn BufRead + Send>),
    /// A whole plain-text page read from standard input.
    Page(String, Vec<u8>),
    /// A path that could not be opened or listed.
    Broken(String, String),
}

/// Streams the records of all inputs in order.
pub struct Records {
    pending: std::collections::VecDeque<Source>,
    current: Option<(String, Box<dyn BufRead + Send>, usize)>,
}

impl Records {
    /// Records of `inputs` (`-` is standard input).
    pub fn open(inputs: &[String]) -> Records {
        let mut pending = std::collections::VecDeque::new();
        for i in inputs {
            if i == "-" {
                pending.push_back(stdin_source());
                continue;
            }
            let p = Path::new(i);
            if p.is_dir() {
                match crate::io::walk(p) {
                    Ok(files) => pending.extend(files.into_iter().map(file_source)),
                    Err(e) => pending.push_back(Source::Broken(i.clone(), format!("cannot list directory: {e}"))),
                }
            } else {
                pending.push_back(file_source(p.to_path_buf()));
            }
        }
        Records {
            pending,
            current: None,
        }
    }
}

fn file_source(p: PathBuf) -> Source {
    if p.extension().is_some_and(|e| e == "jsonl") {
        let name = p.display().to_string();
        match std::fs::File::open(&p) {
            Ok(f) => Source::Jsonl(name, Box::new(BufReader::with_capacity(1 << 20, f))),
            Err(e) => Source::Broken(name, format!("cannot read: {e}")),
        }
    } else {
        Source::File(p)
    }
}

fn stdin_source() -> Source {
    let mut r = BufReader::with_capacity(1 << 20, std::io::stdin());
    // Peek: JSON Lines starts with `{` (after whitespace); anything else is one page.
    let is_jsonl = loop {
        match r.fill_buf() {
            Ok([]) => break true,
            Ok(buf) => {
                let ws = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
                if ws < buf.len() {
                    break buf[ws] == b'{';
                }
                r.consume(ws);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break true,
        }
    };
    if is_jsonl {
        Source::Jsonl("-".into(), Box::new(r))
    } else {
        let mut bytes = Vec::new();
        match r.read_to_end(&mut bytes) {
            Ok(_) => Source::Page("-".into(), bytes),
            Err(e) => Source::Broken("-".into(), format!("cannot read standard input: {e}")),
        }
    }
}

/// A JSON Lines input record.
#[derive(serde::Deserialize)]
struct JsonRecord {
    id: Option<serde_json::Value>,
    url: Option<String>,
    text: Option<String>,
}

fn parse_json_record(line: &[u8], source: &str, lineno: usize) -> Record {
    let fallback = format!("{source}:{lineno}");
    let rec: JsonRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => return Record::error(fallback, format!("invalid JSON record: {e}")),
    };
    let id = match rec.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => fallback,
        Some(v) => v.to_string(),
    };
    match rec.text {
        Some(t) => Record {
            id,
            url: rec.url,
            payload: Ok(Payload::Str(t)),
        },
        None => Record {
            id,
            url: rec.url,
            payload: Err("record has no \"text\" field".into()),
        },
    }
}

impl Iterator for Records {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some((name, reader, lineno)) = self.current.as_mut() {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) => {
                        self.current = None;
                        continue;
                    }
                    Ok(_) => {
                        *lineno += 1;
                        if line.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        return Some(parse_json_record(&line, name, *lineno));
                    }
                    Err(e) => {
                        let r = Record::error(format!("{name}:{}", *lineno + 1), format!("read error: {e}"));
                        self.current = None;
                        return Some(r);
                    }
                }
            }
            match self.pending.pop_front()? {
                Source::File(p) => {
                    let id = p.display().to_string();
                    return Some(match std::fs::read(&p) {
                        Ok(b) => Record {
                            id,
                            url: None,
                            payload: Ok(Payload::Text(b)),
                        },
                        Err(e) => Record::error(id, format!("cannot read: {e}")),
                    });
                }
                Source::Jsonl(name, r) => self.current = Some((name, r, 0)),
                Source::Page(id, bytes) => {
                    return Some(Record {
                        id,
                        url: None,
                        payload: Ok(Payload::Text(bytes)),
                    })
                }
                Source::Broken(name, e) => return Some(Record::error(name, e)),
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
        assert!(r.payload.unwrap_err().starts_with("invalid JSON record"));
        let r = parse_json_record(br#"{"id":"x"}"#, "-", 1);
        assert!(r.payload.is_err());
    }

    #[test]
    fn missing_file_is_an_error_record() {
        let mut r = Records::open(&["/nonexistent/ghirbal/page.txt".to_string()]);
        let rec = r.next().unwrap();
        assert!(rec.payload.unwrap_err().starts_with("cannot read"));
        assert!(r.next().is_none());
    }
}
