//! `ghirbal eval`: score a model against labelled pages.

use super::{load_model, Outcome};
use ghirbal::corpus;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Labelled pages: files or directories.
    #[arg(required = true)]
    gold: Vec<PathBuf>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let model = load_model(args.model.as_ref())?;
    let pages = corpus::load(&args.gold)?;
    anyhow::ensure!(!pages.is_empty(), "no labelled pages found");
    let report = ghirbal::eval::evaluate(&model, &pages);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
    }
    out.flush()?;
    Ok(Outcome::Ok)
}
