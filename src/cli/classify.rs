//! `ghirbal classify`: label every block of every input record.

use super::{load_model, Outcome};
use anyhow::Context;
use ghirbal::input::{Payload, Record, Records};
use ghirbal::output::{self, Format};
use ghirbal::Classifier;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (recursively) or `-` for standard input (JSON Lines
    /// `{"id","text"}` records, or one plain-text page).
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Records per batch; output is flushed after each batch.
    #[arg(long, default_value_t = 256)]
    batch: usize,
}

/// Result of one record: its output text, or its failure.
struct Done {
    text: String,
    error: Option<String>,
}

fn process(c: &mut Classifier, format: Format, rec: Record) -> Done {
    let page = match rec.payload {
        Ok(Payload::Text(bytes)) => ghirbal::page_from_text(&rec.id, rec.url.as_deref(), &bytes),
        Ok(Payload::Str(s)) => ghirbal::page_from_string(&rec.id, rec.url.as_deref(), s),
        Err(e) => {
            let text = match format {
                Format::Json => output::error_line(&rec.id, rec.url.as_deref(), &e) + "\n",
                _ => String::new(),
            };
            let error = format!("{}: {e}", rec.id);
            return Done {
                text,
                error: Some(error),
            };
        }
    };
    let labels = c.classify(&page);
    let text = match format {
        Format::Json => output::json_line(&page, &labels, &c.model().identity()) + "\n",
        Format::Text => output::body_text(&page, &labels),
        Format::Annotated => output::annotated(&page, &labels),
    };
    Done { text, error: None }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let model = load_model(args.model.as_ref())?;
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let mut sink = match &args.output {
        Some(p) => Sink::File(ghirbal::io::AtomicFile::create(p)?),
        None => Sink::Stdout(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        )),
    };
    let pb = super::progress(true);
    let mut records = Records::open(&args.inputs);
    let (mut read, mut failed) = (0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let batch = args.batch.max(1);
    loop {
        let chunk: Vec<Record> = records.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        read += chunk.len();
        let done: Vec<Done> = pool.install(|| {
            chunk
                .into_par_iter()
                .map_init(|| Classifier::new(&model), |c, r| process(c, args.format, r))
                .collect()
        });
        for d in done {
            sink.write_all(d.text.as_bytes())?;
            if let Some(e) = d.error {
                failed += 1;
                eprintln!("ghirbal: record failed: {e}");
                let reason = e.rsplit(": ").next().unwrap_or(&e).to_string();
                *reasons.entry(reason).or_default() += 1;
            }
        }
        sink.flush()?;
        pb.set_message(format!("{read} records"));
    }
    pb.finish_and_clear();
    sink.finish()?;
    if read > 1 || failed > 0 {
        eprintln!(
            "ghirbal: {read} records read, {} classified, {failed} failed",
            read - failed
        );
        for (reason, n) in &reasons {
            eprintln!("ghirbal:   {n} × {reason}");
        }
    }
    Ok(if failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

/// Where the output goes; a file appears only when the run finishes.
enum Sink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(ghirbal::io::AtomicFile),
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
