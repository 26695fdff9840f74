//! `ghirbal eval`: score a model (or a predictor's output) against labelled
//! pages and write the reports; or compare two `report.json` files.

use super::{load_model, Outcome};
use crate::eval::report::{self, Evaluation};
use crate::eval::{self, ModelInfo, Report};
use crate::{corpus, io};
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Labelled pages: files or directories.
    #[arg(required_unless_present = "compare")]
    gold: Vec<PathBuf>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Score these `classify` JSON Lines outputs (any segmentation; matched to
    /// the gold pages by id) instead of running a model.
    #[arg(long, value_name = "FILE", conflicts_with = "model")]
    predictions: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Write report.md, report.json and report.html into this directory.
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// Write the Markdown report to this file.
    #[arg(long, value_name = "FILE")]
    report_md: Option<PathBuf>,
    /// Write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Write the HTML report to this file.
    #[arg(long, value_name = "FILE")]
    report_html: Option<PathBuf>,
    /// Print what changed from report A to report B (two report.json files).
    #[arg(
        long,
        num_args = 2,
        value_names = ["A.json", "B.json"],
        conflicts_with_all = ["gold", "model", "predictions", "report", "report_md", "report_json", "report_html"]
    )]
    compare: Vec<PathBuf>,
}

fn read_report(p: &Path) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
    Report::from_json(&text).with_context(|| format!("{}", p.display()))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    io::write_atomic(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("ghirbal: wrote {}", path.display());
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if let [a, b] = args.compare.as_slice() {
        let c = report::compare(&read_report(a)?, &read_report(b)?);
        if args.json {
            serde_json::to_writer_pretty(&mut out, &c)?;
            writeln!(out)?;
        } else {
            write!(out, "{c}")?;
        }
        out.flush()?;
        return Ok(Outcome::Ok);
    }
    let pages = corpus::load(&args.gold)?;
    anyhow::ensure!(!pages.is_empty(), "no labelled pages found");
    let (predictions, model) = if args.predictions.is_empty() {
        let model = load_model(args.model.as_ref())?;
        (eval::predict(&model, &pages), Some(ModelInfo::of(&model)))
    } else {
        let mut all = Vec::new();
        for p in &args.predictions {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            all.extend(eval::read_predictions(&text, &p.display().to_string())?);
        }
        let paired = eval::pair(&pages, all);
        for id in &paired.missing {
            eprintln!("ghirbal: warning: no prediction for gold page {id}; all its tokens count as missed");
        }
        for id in &paired.unused {
            eprintln!(
                "ghirbal: warning: prediction {id} matches no gold page (or repeats one); ignored"
            );
        }
        let model = paired
            .predictions
            .iter()
            .find_map(|p| p.model.as_deref())
            .map(ModelInfo::named);
        (paired.predictions, model)
    };
    let ev = Evaluation::new(&pages, &predictions, model);
    if let Some(dir) = &args.report {
        report::write_dir(&ev, dir)
            .with_context(|| format!("cannot write the report into {}", dir.display()))?;
        eprintln!(
            "ghirbal: wrote {}",
            report::REPORT_FILES
                .map(|f| dir.join(f).display().to_string())
                .join(", ")
        );
    }
    if let Some(p) = &args.report_md {
        write(p, &report::markdown(&ev.report))?;
    }
    if let Some(p) = &args.report_json {
        write(p, &ev.report.to_json())?;
    }
    if let Some(p) = &args.report_html {
        write(p, &report::html::report(&ev))?;
    }
    if args.json {
        out.write_all(ev.report.to_json().as_bytes())?;
    } else {
        write!(out, "{}", ev.report)?;
    }
    out.flush()?;
    Ok(Outcome::Ok)
}
