//! `ghirbal view`: the page viewer (one self-contained HTML file) for
//! unlabelled pages of any input kind `classify` reads.

use super::{load_model, Outcome};
use crate::eval::report::{html, ViewPage};
use crate::read::input::Records;
use crate::Classifier;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (recursively) or `-` for standard input, as for
    /// `classify`.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let model = load_model(args.model.as_ref())?;
    let mut c = Classifier::new(&model);
    let mut pages = Vec::new();
    let mut failed = 0;
    for rec in Records::open(&args.inputs) {
        let (id, url) = (rec.id.clone(), rec.url.clone());
        match crate::page_from_record(rec) {
            Ok(page) => pages.push(ViewPage::predicted(&page, &c.classify(&page))),
            Err(e) => {
                failed += 1;
                eprintln!("ghirbal: record failed: {id}: {e}");
                pages.push(ViewPage::failed(&id, url.as_deref(), &e.to_string()));
            }
        }
    }
    let title = match pages.as_slice() {
        [one] => format!("ghirbal view — {}", one.id),
        many => format!(
            "ghirbal view — {}",
            crate::output::plural(many.len(), "page")
        ),
    };
    let text = html::viewer(&title, Some(&model.identity()), &pages);
    match &args.output {
        Some(p) => crate::io::write_atomic(p, text.as_bytes())?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(if failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}
