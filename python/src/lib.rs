//! `ghirbal._ghirbal`, the native module of the `ghirbal` Python package.
//!
//! In: pages from Python (`str` or `bytes`, plain text or HTML) or records
//! (`dict`s `{"id", "url"?, "date"?, "text" | "html"}`, or bare pages), and
//! optionally a model file. Out: exactly the JSON record that `ghirbal
//! classify` prints for the page, as Python objects; the page's body text;
//! or a compact annotation (block offsets in characters, roles, languages,
//! the body's language mix) for pipelines such as datatrove.
//!
//! Every page goes the CLI's way: a [`Record`] with the [`Payload`] the CLI's
//! readers would make of the same input (`bytes` of HTML as an HTML file,
//! `str` of HTML as a JSON Lines `html` field, `bytes` of text as a text
//! file, `str` of text as a JSON Lines `text` field), turned into a page by
//! [`Payload::into_page`], labelled by [`ghirbal::Classifier`] and written by
//! [`ghirbal::json_line_dated`]. Labelling runs without the GIL; batches run
//! on a local rayon pool. A panic inside the pipeline becomes an error (an
//! `InputError`, or an error record in a batch), never a crash.

mod topy;

use ghirbal::{
    error_line, json_line_dated, BlockLabel, Lang, Limits, Model, Page, PageSummary, Role,
};
use ghirbal::{Payload, Record};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;
use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

create_exception!(
    ghirbal,
    ModelError,
    PyValueError,
    "A model file that cannot be read or is not a valid ghirbal model; the message names the file."
);
create_exception!(
    ghirbal,
    InputError,
    PyValueError,
    "Input that cannot be classified: a wrong type, text that is not valid Unicode, a bad argument."
);

/// Records per batch of `classify_many`, as the CLI's `--batch` default.
const BATCH_RECORDS: usize = 256;
/// Page bytes that end a batch, as in the CLI: bounds the memory of a run.
const BATCH_BYTES: usize = 8 << 20;

/// What the caller says a page is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    /// Decided from the first bytes, as `classify --input-format auto`
    /// decides for a file without a telling name.
    Auto,
}

/// A page given as `str` or `bytes`, as the CLI's readers would hold it.
fn payload_of(obj: &Bound<'_, PyAny>, kind: Kind, what: &str) -> Result<Payload, String> {
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s
            .to_str()
            .map_err(|e| format!("{what} is not valid Unicode: {e}"))?
            .to_owned();
        let html = match kind {
            Kind::Text => false,
            Kind::Html => true,
            Kind::Auto => ghirbal::looks_like_html(s.as_bytes()),
        };
        Ok(if html {
            // As a JSON Lines `html` field: already Unicode, so a
            // `<meta charset>` inside must not re-decode it.
            Payload::Html {
                bytes: s.into_bytes(),
                charset_hint: Some("utf-8".into()),
            }
        } else {
            Payload::Str(s)
        })
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        let b = b.as_bytes();
        let html = match kind {
            Kind::Text => false,
            Kind::Html => true,
            Kind::Auto => ghirbal::looks_like_html(b),
        };
        Ok(if html {
            Payload::Html {
                bytes: b.to_vec(),
                charset_hint: None,
            }
        } else {
            Payload::Text(b.to_vec())
        })
    } else {
        Err(format!(
            "{what} must be str or bytes, not {}",
            type_name(obj)
        ))
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".into(), |n| n.to_string())
}

/// An optional `str` argument.
fn opt_str(obj: Option<&Bound<'_, PyAny>>, what: &str) -> Result<Option<String>, String> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => s
                .to_str()
                .map(|s| Some(s.to_owned()))
                .map_err(|e| format!("{what} is not valid Unicode: {e}")),
            Err(_) => Err(format!("{what} must be str or None, not {}", type_name(o))),
        },
    }
}

/// The `threads` argument: None (all cores) or a positive int.
fn threads_of(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match o.extract::<usize>() {
            Ok(n) if n > 0 && !o.is_instance_of::<PyBool>() => Ok(Some(n)),
            _ => Err(InputError::new_err(format!(
                "threads must be a positive int or None, not {}",
                o.repr().map_or_else(|_| type_name(o), |r| r.to_string())
            ))),
        },
    }
}

/// A record's `id`: a string as is, an integer in decimal, else `fallback`
/// (its position in the batch) when missing or `None`.
fn id_of(obj: Option<Bound<'_, PyAny>>, fallback: usize) -> Result<String, String> {
    match obj {
        None => Ok(fallback.to_string()),
        Some(o) if o.is_none() => Ok(fallback.to_string()),
        Some(o) => {
            if let Ok(s) = o.cast::<PyString>() {
                s.to_str()
                    .map(str::to_owned)
                    .map_err(|e| format!("\"id\" is not valid Unicode: {e}"))
            } else if let Ok(n) = o.extract::<i128>() {
                Ok(n.to_string())
            } else {
                Err(format!("\"id\" must be str or int, not {}", type_name(&o)))
            }
        }
    }
}

/// A batch record as the CLI's readers would make it; one that cannot be
/// read is a record with an error, as in the CLI.
fn record_of(obj: &Bound<'_, PyAny>, index: usize) -> Record {
    let mut rec = Record {
        id: index.to_string(),
        url: None,
        date: None,
        truncated: false,
        payload: Err(String::new().into()),
    };
    let Ok(d) = obj.cast::<PyDict>() else {
        rec.payload = payload_of(obj, Kind::Auto, "a record").map_err(|_| {
            format!(
                "a record must be a dict, str or bytes, not {}",
                type_name(obj)
            )
            .into()
        });
        return rec;
    };
    let field = |k: &str| d.get_item(k).ok().flatten();
    match id_of(field("id"), index) {
        Ok(id) => rec.id = id,
        Err(e) => {
            rec.payload = Err(e.into());
            return rec;
        }
    }
    let meta = opt_str(field("url").as_ref(), "\"url\"").and_then(|u| {
        let d = opt_str(field("date").as_ref(), "\"date\"")?;
        Ok((u, d))
    });
    match meta {
        Ok((u, d)) => (rec.url, rec.date) = (u, d),
        Err(e) => {
            rec.payload = Err(e.into());
            return rec;
        }
    }
    let present = |o: &Option<Bound<'_, PyAny>>| o.as_ref().is_some_and(|v| !v.is_none());
    let (text, html) = (field("text"), field("html"));
    let (page, kind, name) = match (present(&text), present(&html)) {
        (true, false) => (text, Kind::Text, "\"text\""),
        (false, true) => (html, Kind::Html, "\"html\""),
        (true, true) => {
            rec.payload = Err("record has both \"text\" and \"html\" fields".into());
            return rec;
        }
        (false, false) => {
            rec.payload = Err("record has no \"text\" or \"html\" field".into());
            return rec;
        }
    };
    rec.payload = payload_of(&page.expect("present"), kind, name).map_err(Into::into);
    rec
}

/// A labelled page, or why its record could not be labelled.
type Labelled = Result<(Page, Vec<BlockLabel>), String>;

/// The page of `rec`, made and labelled as `ghirbal classify` does; a panic
/// is an error, and the classifier is renewed after one.
fn label<'m>(c: &mut ghirbal::Classifier<'m>, rec: Record) -> (Record, Labelled) {
    let Record {
        id,
        url,
        date,
        truncated,
        payload,
    } = rec;
    let run = |c: &mut ghirbal::Classifier<'m>, payload: Result<Payload, String>| {
        let mut page = payload?.into_page(&id, url.as_deref(), &Limits::default());
        page.truncated |= truncated;
        let labels = c.classify(&page);
        Ok((page, labels))
    };
    let payload = payload.map_err(|e| e.to_string());
    let out = match catch_unwind(AssertUnwindSafe(|| run(c, payload))) {
        Ok(r) => r,
        Err(p) => {
            *c = ghirbal::Classifier::new(c.model());
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(format!("internal error: {msg}"))
        }
    };
    let rec = Record {
        id,
        url,
        date,
        truncated,
        payload: Err(String::new().into()),
    };
    (rec, out)
}

/// The CLI's JSON line of a labelled record (its error line if it failed).
fn json_of(model: &str, rec: &Record, labelled: &Labelled) -> String {
    match labelled {
        Ok((page, labels)) => json_line_dated(page, labels, model, rec.date.as_deref()),
        Err(e) => error_line(&rec.id, rec.url.as_deref(), e),
    }
}

/// The body blocks' text, one block a line (what `--format text` prints of
/// a page, without the lines it puts around it).
fn body_of(page: &Page, labels: &[BlockLabel]) -> String {
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

/// What a pipeline keeps of a labelled page.
struct Annotation {
    /// Start, end (characters of the page's text), role, language.
    blocks: Vec<(usize, usize, Role, Lang)>,
    /// The body's words and their languages, counted as the CLI counts them.
    summary: PageSummary,
    body: Option<String>,
    truncated: bool,
}

/// What a pipeline keeps of a labelled page: each block's offsets, as
/// characters of the page's text (a text page's own text, decoded; an HTML
/// page's extracted text, its blocks joined by newlines), and the body words
/// by language ([`PageSummary::of`]).
fn annotate(page: &Page, labels: &[BlockLabel], body: bool) -> Annotation {
    // Byte offsets into the page's text, to be made character offsets.
    let bytes: Vec<usize> = page.blocks.iter().flat_map(|b| [b.start, b.end]).collect();
    let offsets = char_offsets(&page.text, &bytes);
    Annotation {
        blocks: labels
            .iter()
            .enumerate()
            .map(|(k, l)| (offsets[2 * k], offsets[2 * k + 1], l.role, l.lang.lang))
            .collect(),
        summary: PageSummary::of(page, labels),
        body: body.then(|| body_of(page, labels)),
        truncated: page.truncated,
    }
}

/// Byte offsets of `s` as character offsets, in one pass over `s`.
fn char_offsets(s: &str, bytes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    let (mut pos, mut chars) = (0, 0);
    for i in order {
        let at = bytes[i].min(s.len());
        // Characters are their first bytes: every byte not of the form 10xxxxxx.
        chars += s.as_bytes()[pos..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        pos = at;
        out[i] = chars;
    }
    out
}

fn annotation_to_py<'py>(
    py: Python<'py>,
    model: &str,
    rec: &Record,
    a: Result<Annotation, String>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item("id", &rec.id)?;
    if let Some(u) = &rec.url {
        d.set_item("url", u)?;
    }
    let a = match a {
        Ok(a) => a,
        Err(e) => {
            d.set_item("error", e)?;
            return Ok(d.into_any());
        }
    };
    let blocks = PyList::empty(py);
    for (start, end, role, lang) in &a.blocks {
        let b = PyDict::new(py);
        b.set_item(pyo3::intern!(py, "start"), start)?;
        b.set_item(pyo3::intern!(py, "end"), end)?;
        b.set_item(pyo3::intern!(py, "role"), role.as_str())?;
        b.set_item(pyo3::intern!(py, "lang"), lang.as_str())?;
        blocks.append(b)?;
    }
    d.set_item("blocks", blocks)?;
    d.set_item("body_words", a.summary.body_words)?;
    let mix = a.summary.body_mix();
    let shares = PyDict::new(py);
    for (l, s) in &mix {
        shares.set_item(l.as_str(), (s * 10_000.0).round() / 10_000.0)?;
    }
    d.set_item(
        "body_lang",
        mix.first().map_or(Lang::None, |&(l, _)| l).as_str(),
    )?;
    d.set_item("body_langs", shares)?;
    d.set_item("model", model)?;
    if a.truncated {
        d.set_item("truncated", true)?;
    }
    if let Some(b) = a.body {
        d.set_item("body_text", b)?;
    }
    Ok(d.into_any())
}

/// What a batch asks of each record.
#[derive(Clone, Copy)]
enum Job {
    /// The CLI's JSON line.
    Json,
    /// An [`Annotation`], with the body text or without.
    Annotate { body: bool },
}

/// The result of one record of a batch, still without Python objects.
enum Done {
    Json(String),
    Annotation(Result<Annotation, String>),
}

fn run_one(c: &mut ghirbal::Classifier, model: &str, job: Job, rec: Record) -> (Record, Done) {
    let (rec, labelled) = label(c, rec);
    let done = match job {
        Job::Json => Done::Json(json_of(model, &rec, &labelled)),
        Job::Annotate { body } => {
            Done::Annotation(labelled.map(|(page, labels)| annotate(&page, &labels, body)))
        }
    };
    (rec, done)
}

/// Labels pages with one model: the embedded model, or one read from a file.
///
/// Thread-safe; every call releases the GIL while it labels. Pickles as the
/// path of its model file, read again where it is unpickled.
#[pyclass(frozen, module = "ghirbal")]
struct Classifier {
    model: Cow<'static, Model>,
    identity: String,
    /// The model file, `None` for the embedded model: what a pickle keeps.
    path: Option<PathBuf>,
}

impl Classifier {
    /// A single page labelled without the GIL.
    fn labelled(&self, py: Python<'_>, rec: Record) -> PyResult<(Record, Page, Vec<BlockLabel>)> {
        let (rec, out) = py.detach(|| label(&mut ghirbal::Classifier::new(&self.model), rec));
        match out {
            Ok((page, labels)) => Ok((rec, page, labels)),
            Err(e) => Err(InputError::new_err(format!(
                "cannot classify this page: {e}"
            ))),
        }
    }

    fn classify_one<'py>(
        &self,
        py: Python<'py>,
        page: &Bound<'py, PyAny>,
        kind: Kind,
        what: &str,
        [id, url, date]: [Option<&Bound<'py, PyAny>>; 3],
    ) -> PyResult<Bound<'py, PyAny>> {
        let payload = payload_of(page, kind, what).map_err(InputError::new_err)?;
        let id = opt_str(id, "id").map_err(InputError::new_err)?;
        let url = opt_str(url, "url").map_err(InputError::new_err)?;
        let date = opt_str(date, "date").map_err(InputError::new_err)?;
        let rec = Record {
            id: id.unwrap_or_default(),
            url,
            date,
            truncated: false,
            payload: Ok(payload),
        };
        let (rec, page, labels) = self.labelled(py, rec)?;
        let line = json_line_dated(&page, &labels, &self.identity, rec.date.as_deref());
        topy::json_to_py(py, &line)
    }

    /// Run `job` over every record of `records`, a batch at a time, on
    /// `threads` threads (all cores when `None`), results in input order.
    fn batches<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<usize>,
        job: Job,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = match threads {
            Some(1) => None,
            n => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.unwrap_or(0))
                    .build()
                    .map_err(|e| InputError::new_err(format!("cannot start threads: {e}")))?,
            ),
        };
        let iter = records.try_iter().map_err(|_| {
            InputError::new_err(format!(
                "records must be an iterable of dict, str or bytes, not {}",
                type_name(records)
            ))
        })?;
        let out = PyList::empty(py);
        let mut iter = iter.enumerate().peekable();
        while iter.peek().is_some() {
            let mut batch = Vec::new();
            let mut bytes = 0;
            while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
                let Some((i, r)) = iter.next() else { break };
                let rec = record_of(&r?, i);
                bytes += rec.payload.as_ref().map_or(0, Payload::len);
                batch.push(rec);
            }
            let (model, identity) = (&*self.model, self.identity.as_str());
            let done: Vec<(Record, Done)> = py.detach(|| {
                let one = |c: &mut ghirbal::Classifier, r: Record| run_one(c, identity, job, r);
                match &pool {
                    None => {
                        let mut c = ghirbal::Classifier::new(model);
                        batch.into_iter().map(|x| one(&mut c, x)).collect()
                    }
                    Some(p) => p.install(|| {
                        batch
                            .into_par_iter()
                            .map_init(|| ghirbal::Classifier::new(model), one)
                            .collect()
                    }),
                }
            });
            for (rec, d) in done {
                let obj = match d {
                    Done::Json(line) => topy::json_to_py(py, &line)?,
                    Done::Annotation(a) => annotation_to_py(py, identity, &rec, a)?,
                };
                out.append(obj)?;
            }
        }
        Ok(out)
    }
}

#[pymethods]
impl Classifier {
    /// A classifier with the model in the file `model` (a path), or with the
    /// embedded model when `model` is None. Raises `ModelError`, naming the
    /// file, when the file cannot be read or is not a ghirbal model.
    #[new]
    #[pyo3(signature = (model=None))]
    fn new(model: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut file = None;
        let model = match model {
            Some(m) if !m.is_none() => {
                let path: PathBuf = m.extract().map_err(|_| {
                    InputError::new_err(format!(
                        "model must be a path (str or os.PathLike) or None, not {}",
                        type_name(m)
                    ))
                })?;
                let m = Model::load(&path).map_err(|e| {
                    ModelError::new_err(match e {
                        // Already "cannot read model PATH: why".
                        ghirbal::ModelError::Io(e) => e.to_string(),
                        e => format!("cannot load model {}: {e}", path.display()),
                    })
                })?;
                file = Some(path);
                Cow::Owned(m)
            }
            _ => Cow::Borrowed(ghirbal::default_model().map_err(|e| {
                ModelError::new_err(format!("the embedded default model is unusable: {e}"))
            })?),
        };
        let identity = model.identity();
        Ok(Classifier {
            model,
            identity,
            path: file,
        })
    }

    /// Pickled as the path of its model file (None: the embedded model).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, pyo3::types::PyType>, (Option<PathBuf>,)) {
        (slf.get_type(), (slf.get().path.clone(),))
    }

    /// The model's identity, `name@version`, as in every record's `model` field.
    #[getter]
    fn model(&self) -> &str {
        &self.identity
    }

    fn __repr__(&self) -> String {
        format!("ghirbal.Classifier(model={:?})", self.identity)
    }

    /// The record `ghirbal classify` prints for the plain-text page `text`,
    /// as Python objects. `bytes` are read as the CLI reads a text file, a
    /// `str` as it reads a JSON Lines `text` field; `start`/`end` are byte
    /// offsets into the input (its UTF-8 for a `str`); `id` defaults to "";
    /// `url` and `date` (a capture date, as WARC-Date) go into the record.
    /// Raises InputError on a wrong type.
    #[pyo3(signature = (text, id=None, url=None, date=None))]
    fn classify_text<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        id: Option<&Bound<'py, PyAny>>,
        url: Option<&Bound<'py, PyAny>>,
        date: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.classify_one(py, text, Kind::Text, "text", [id, url, date])
    }

    /// The record `ghirbal classify` prints for the HTML page `html`, as
    /// Python objects. `bytes` are read as the CLI reads an HTML file
    /// (charset from BOM, `<meta charset>` or the bytes); a `str` as it reads
    /// a JSON Lines `html` field (a `<meta charset>` does not re-decode it).
    /// `start`/`end` are byte offsets into the page's extracted text (its
    /// blocks' UTF-8 text joined by newlines), as in the CLI's records.
    /// Raises InputError on a wrong type.
    #[pyo3(signature = (html, id=None, url=None, date=None))]
    fn classify_html<'py>(
        &self,
        py: Python<'py>,
        html: &Bound<'py, PyAny>,
        id: Option<&Bound<'py, PyAny>>,
        url: Option<&Bound<'py, PyAny>>,
        date: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.classify_one(py, html, Kind::Html, "html", [id, url, date])
    }

    /// The body blocks' text of a page, one block a line (the text the
    /// CLI's `--format text` prints for the page).
    /// `html=None` tells HTML from plain text by the first bytes, as the
    /// CLI's `auto` input format does (see `looks_like_html`).
    #[pyo3(signature = (html_or_text, html=None))]
    fn body_text(
        &self,
        py: Python<'_>,
        html_or_text: &Bound<'_, PyAny>,
        html: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let kind = match html {
            None => Kind::Auto,
            Some(h) if h.is_none() => Kind::Auto,
            Some(h) => match h.cast::<PyBool>() {
                Ok(b) if b.is_true() => Kind::Html,
                Ok(_) => Kind::Text,
                Err(_) => {
                    return Err(InputError::new_err(format!(
                        "html must be True, False or None, not {}",
                        type_name(h)
                    )))
                }
            },
        };
        let payload =
            payload_of(html_or_text, kind, "html_or_text").map_err(InputError::new_err)?;
        let rec = Record {
            id: String::new(),
            url: None,
            date: None,
            truncated: false,
            payload: Ok(payload),
        };
        let (_, page, labels) = self.labelled(py, rec)?;
        Ok(body_of(&page, &labels))
    }

    /// The records of many pages, in input order.
    ///
    /// A record is a dict `{"id"?, "url"?, "date"?, "text" | "html"}` (str
    /// or bytes pages, read as by classify_text / classify_html; `id`
    /// defaults to the record's position) or a bare page (str or bytes, HTML
    /// or text by its first bytes). A record that cannot be read gives an
    /// error record `{"id", "url"?, "error"}` in its place, as the CLI's
    /// error line, and the batch goes on. The iterable is read in batches of
    /// 256 records (or 8 MiB of pages), each labelled without the GIL on
    /// `threads` threads (all cores when None; 1: the calling thread).
    #[pyo3(signature = (records, threads=None))]
    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.batches(py, records, threads_of(threads)?, Job::Json)
    }

    /// Compact annotations of many pages (records as for classify_many), in
    /// input order: `blocks` (start, end, role, lang; offsets in characters
    /// of the page's text: a text page's own, an HTML page's extracted text,
    /// its blocks joined by newlines), `body_words`, `body_langs`
    /// (shares of body words by language, `none` left out, largest first),
    /// `body_lang`, `model`, and with `body_text=True` the body text.
    #[pyo3(signature = (records, threads=None, body_text=false))]
    fn annotate_many<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
        body_text: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let job = Job::Annotate { body: body_text };
        self.batches(py, records, threads_of(threads)?, job)
    }
}

/// Whether `page` (str or bytes) starts as an HTML document does: the test
/// by which `body_text` and bare records of `classify_many` tell HTML from
/// plain text (the CLI's `auto` input format: `<!doctype html`, `<html`,
/// `<p` … after white space and a BOM).
#[pyfunction]
fn looks_like_html(page: &Bound<'_, PyAny>) -> PyResult<bool> {
    let bytes = if let Ok(s) = page.cast::<PyString>() {
        s.to_str()
            .map_err(|e| InputError::new_err(format!("page is not valid Unicode: {e}")))?
            .as_bytes()
    } else if let Ok(b) = page.cast::<PyBytes>() {
        b.as_bytes()
    } else {
        return Err(InputError::new_err(format!(
            "page must be str or bytes, not {}",
            type_name(page)
        )));
    };
    Ok(ghirbal::looks_like_html(bytes))
}

/// Native part of the `ghirbal` package: import `ghirbal`, not this.
#[pymodule]
mod _ghirbal {
    #[pymodule_export]
    use super::{looks_like_html, Classifier, InputError, ModelError};

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
