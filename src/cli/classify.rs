//! `ghirbal classify`: label every block of every input record.

use super::{load_model, Outcome};
use crate::output::{self, Bidi, Format, HumanOptions};
use crate::read::input::{InputFormat, Payload, Record, Records};
use crate::{Classifier, Limits};
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (recursively) or `-` for standard input: plain-text
    /// pages, HTML pages (`.html`, `.htm`, `.html.gz`), WARC/WET files
    /// (`.warc`, `.warc.gz`, `.warc.wet.gz`), JSON Lines (`.jsonl`, records
    /// `{"id","text"}` or `{"id","html"}`).
    #[arg(required_unless_present = "paths", conflicts_with = "paths")]
    inputs: Vec<String>,
    /// Read the input files from LIST (`-`: standard input), one path per
    /// line, as the list arrives; each file's format is detected. A path that
    /// cannot be read gives one error line with the path as id.
    #[arg(long, value_name = "LIST")]
    paths: Option<String>,
    /// Input format; `auto` decides per file from its name and first bytes.
    #[arg(long, value_enum, default_value = "auto")]
    input_format: InputFormat,
    /// Decode text and HTML pages in this encoding (a WHATWG label such as
    /// `utf-8`, `windows-1256`, `iso-8859-6`, `windows-1252`) instead of the
    /// one detected: byte-order mark, then UTF-8, then a detector
    /// (chardetng); for HTML, HTTP header and `<meta>` too.
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    encoding: Option<&'static encoding_rs::Encoding>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Output format [default: human on a terminal, json into a pipe or
    /// with --output].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Colour the human format: `auto` colours a terminal unless `NO_COLOR`
    /// is set (non-empty), or when `CLICOLOR_FORCE` is.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,
    /// Order of right-to-left text in the human format: `visual` reorders
    /// it for terminals that draw characters in the order they arrive (most
    /// do); `logical` leaves that to the terminal (VTE terminals such as
    /// GNOME Terminal, Konsole, mlterm); `auto` picks `logical` in those.
    #[arg(long, value_enum, default_value = "auto", value_name = "ORDER")]
    bidi: BidiWhen,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Records per batch (a batch also ends after 8 MiB of pages); output is
    /// flushed after each batch. The next batch is read while one is labelled.
    #[arg(long, default_value_t = 256)]
    batch: usize,
    /// Exit 0 even when some records failed (they are still error lines):
    /// Spark `RDD.pipe` and Hadoop Streaming fail a task on any other code.
    #[arg(long)]
    partial_ok: bool,
    /// In directories, read every file, not only page files (`.txt`,
    /// `.html`, `.htm`, `.xhtml`, `.warc`, `.wet`, `.jsonl` and their `.gz`).
    #[arg(long)]
    all_files: bool,
    /// Largest page read, in bytes; a longer page is cut and flagged `"truncated": true`.
    #[arg(long, default_value_t = Limits::default().max_page_bytes)]
    max_page_bytes: usize,
    /// Longest block, in bytes; a longer one is cut into several blocks.
    #[arg(long, default_value_t = Limits::default().max_block_bytes)]
    max_block_bytes: usize,
    /// Most blocks per page; a page with more is cut and flagged `"truncated": true`.
    #[arg(long, default_value_t = Limits::default().max_blocks)]
    max_blocks: usize,
}

/// An encoding from its WHATWG label.
fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding label {label:?} (WHATWG labels, e.g. utf-8, windows-1256, \
             iso-8859-6, windows-1252, latin1)"
        )
    })
}

/// When the human format is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How the human format orders right-to-left text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BidiWhen {
    Auto,
    Visual,
    Logical,
}

/// How each record is printed, decided once for the run.
struct Printer {
    format: Format,
    human: HumanOptions,
    encoding: Option<&'static encoding_rs::Encoding>,
}

impl Printer {
    /// The format and layout `args` ask for, given where the output goes:
    /// a terminal gets the human format unless `--format` says otherwise.
    fn new(args: &Args) -> Printer {
        let stdout = std::io::stdout();
        let terminal = args.output.is_none() && stdout.is_terminal();
        let format = args.format.unwrap_or(if terminal {
            Format::Human
        } else {
            Format::Json
        });
        let color = match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                args.output.is_none()
                    && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never
            }
        };
        let width = terminal
            .then(|| console::Term::stdout().size_checked())
            .flatten()
            .map(|(_, cols)| usize::from(cols))
            .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
            .filter(|&w| w > 0)
            .unwrap_or(output::DEFAULT_WIDTH);
        let bidi = match args.bidi {
            BidiWhen::Visual => Bidi::Visual,
            BidiWhen::Logical => Bidi::Logical,
            BidiWhen::Auto if terminal_does_bidi() => Bidi::Logical,
            BidiWhen::Auto => Bidi::Visual,
        };
        Printer {
            format,
            human: HumanOptions { width, color, bidi },
            encoding: args.encoding,
        }
    }
}

/// Whether the terminal reorders right-to-left text itself: VTE 0.58 and
/// later (GNOME Terminal …), Konsole and mlterm do, unless a multiplexer
/// (tmux, screen), which does not, sits in between.
fn terminal_does_bidi() -> bool {
    let var = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if var("TMUX") || var("STY") {
        return false;
    }
    let vte = std::env::var("VTE_VERSION")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .is_some_and(|v| v >= 5800);
    vte || var("KONSOLE_VERSION") || var("MLTERM")
}

/// Page bytes that end a batch: with the batch being read and the one being
/// labelled, this bounds the memory a run needs whatever the input's size.
const BATCH_BYTES: usize = 8 << 20;

/// The next records of `records`: `max` of them, or fewer once they hold
/// [`BATCH_BYTES`] of pages.
fn next_batch(records: &mut Records, max: usize) -> Vec<Record> {
    let mut out = Vec::new();
    let mut bytes = 0;
    while out.len() < max && bytes < BATCH_BYTES {
        let Some(r) = records.next() else { break };
        bytes += r.payload.as_ref().map_or(0, Payload::len);
        out.push(r);
    }
    out
}

/// Result of one record: its output text, or its failure (id, reason), and
/// a warning for stderr.
struct Done {
    text: String,
    error: Option<(String, String)>,
    warning: Option<String>,
}

fn process(c: &mut Classifier, printer: &Printer, limits: &Limits, rec: Record) -> Done {
    let mut page = match rec.payload {
        Ok(p) => p.into_page_as(&rec.id, rec.url.as_deref(), limits, printer.encoding),
        Err(e) => {
            let e = e.to_string();
            let text = match printer.format {
                Format::Json | Format::JsonlText => {
                    output::error_line(&rec.id, rec.url.as_deref(), &e) + "\n"
                }
                _ => String::new(),
            };
            return Done {
                text,
                error: Some((rec.id, e)),
                warning: None,
            };
        }
    };
    page.truncated |= rec.truncated;
    let labels = c.classify(&page);
    let text = match printer.format {
        Format::Human => output::human(&page, &labels, &printer.human),
        Format::Json => {
            output::json_line_dated(&page, &labels, &c.model().identity(), rec.date.as_deref())
                + "\n"
        }
        Format::Text => output::body_text(&page, &labels),
        Format::JsonlText => output::jsonl_text(&page, &labels, rec.date.as_deref()) + "\n",
        Format::Annotated => output::annotated(&page, &labels),
    };
    let warning = page.lossy.then(|| {
        format!(
            "ghirbal: lossy decoding: {}: bytes not valid {} were replaced by U+FFFD",
            page.id,
            page.encoding.unwrap_or("UTF-8")
        )
    });
    Done {
        text,
        error: None,
        warning,
    }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let model = load_model(args.model.as_ref())?;
    let printer = Printer::new(&args);
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let mut sink = match &args.output {
        Some(p) => Sink::File(crate::io::AtomicFile::create(p)?),
        None => Sink::Stdout(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        )),
    };
    let pb = super::progress_counter(true, "record");
    let limits = Limits {
        max_page_bytes: args.max_page_bytes.max(1),
        max_block_bytes: args.max_block_bytes.max(16),
        max_blocks: args.max_blocks.max(1),
    };
    let mut records = match &args.paths {
        Some(list) => Records::open_path_list(list, &limits, args.input_format),
        None => Records::open_walking(&args.inputs, &limits, args.input_format, args.all_files),
    };
    let (mut read, mut failed) = (0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let batch = args.batch.max(1);
    // A reader thread reads the next batch while this thread labels one and
    // writes it: answers go out as soon as they are ready, even while the
    // reader waits on an open standard input. The channel holds nothing (a
    // read batch waits in `send` until this thread takes it), so at most two
    // batches are in memory: the one being labelled and the one read next.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(0);
    // Not a scoped thread: if writing fails (a closed pipe), the run ends
    // without waiting for a reader that may be blocked on standard input.
    let reader = std::thread::spawn(move || {
        loop {
            let chunk = next_batch(&mut records, batch);
            if chunk.is_empty() || tx.send(chunk).is_err() {
                break;
            }
        }
        records
    });
    for chunk in rx.iter() {
        read += chunk.len();
        let n = chunk.len() as u64;
        let done: Vec<Done> = pool.install(|| {
            chunk
                .into_par_iter()
                .map_init(
                    || Classifier::new(&model),
                    |c, r| process(c, &printer, &limits, r),
                )
                .collect()
        });
        // The progress line and the output may share a terminal: the line
        // is taken down while a batch is written.
        pb.suspend(|| -> std::io::Result<()> {
            for d in done {
                sink.write_all(d.text.as_bytes())?;
                if let Some(w) = d.warning {
                    eprintln!("{w}");
                }
                if let Some((id, e)) = d.error {
                    failed += 1;
                    eprintln!("ghirbal: record failed: {id}: {e}");
                    // Group by the kind of failure: the message up to its first colon.
                    let reason = e.split(": ").next().unwrap_or(&e).to_string();
                    *reasons.entry(reason).or_default() += 1;
                }
            }
            sink.flush()
        })?;
        pb.inc(n);
    }
    let records = reader
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
    pb.finish_and_clear();
    // Files and directories that hold no page are a mistake worth saying
    // (standard input and path lists may rightly be empty).
    if read == 0 && args.paths.is_none() && !args.inputs.iter().any(|i| i == "-") {
        anyhow::bail!(
            "no pages in {}: directories give only page files (.txt, .html, .htm, .xhtml, \
             .warc, .wet, .jsonl, optionally .gz); --all-files reads every file",
            args.inputs.join(", ")
        );
    }
    sink.finish()?;
    if read > 1 || failed > 0 {
        eprintln!(
            "ghirbal: {} read, {} classified, {failed} failed",
            output::plural(read, "record"),
            read - failed
        );
        for (reason, n) in &reasons {
            eprintln!("ghirbal:   {n} × {reason}");
        }
    }
    let skipped = records.skipped();
    if !skipped.is_empty() {
        let total: usize = skipped.values().sum();
        let kinds: Vec<String> = skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
        eprintln!(
            "ghirbal: {} skipped (not pages): {}",
            output::plural(total, "crawl record"),
            kinds.join(", ")
        );
    }
    Ok(if failed > 0 && !args.partial_ok {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

/// Where the output goes; a file appears only when the run finishes.
enum Sink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(crate::io::AtomicFile),
}

impl Sink {
    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::File(f) => f.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}
