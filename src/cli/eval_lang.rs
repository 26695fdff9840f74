//! `ghirbal eval-lang`: score language identification against a labelled
//! dev set and the held-out set, as Markdown or JSON.
//!
//! Exit code 0 when the report was written, whether or not the targets hold
//! (the report says which); `--check` makes unmet targets exit 1.

use super::Outcome;
use crate::eval::language;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Labelled dev blocks (JSON Lines: text, lang, detail, spans, kind).
    #[arg(default_value = language::DEFAULT_SET)]
    set: PathBuf,
    /// Labelled held-out blocks, in the same format.
    #[arg(long, default_value = language::HELD_OUT_SET)]
    held_out: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Exit with code 1 when a held-out target is not met.
    #[arg(long)]
    check: bool,
    /// Instead of the report, print the calibration table fitted on the dev
    /// half, as the Rust source of `src/lang/calibration.rs`'s `TABLE`.
    #[arg(long, conflicts_with_all = ["json", "check"])]
    fit_calibration: bool,
}

fn load(path: &std::path::Path) -> anyhow::Result<Vec<language::Example>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let examples =
        language::parse(&text).with_context(|| format!("bad labelled set {}", path.display()))?;
    anyhow::ensure!(!examples.is_empty(), "{} holds no blocks", path.display());
    Ok(examples)
}

pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    args.set = super::locate(&args.set, language::DEFAULT_SET, "the SET argument")?;
    args.held_out = super::locate(&args.held_out, language::HELD_OUT_SET, "--held-out FILE")?;
    let examples = load(&args.set)?;
    if args.fit_calibration {
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "{}",
            language::calibration_source(&language::fit_calibration(&examples))
        )?;
        out.flush()?;
        return Ok(Outcome::Ok);
    }
    let held_out = load(&args.held_out)?;
    let report = language::evaluate(
        &format!("{} and {}", args.set.display(), args.held_out.display()),
        &examples,
        &held_out,
    );
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
    }
    out.flush()?;
    if args.check && !report.targets_met() {
        return Ok(Outcome::Partial);
    }
    Ok(Outcome::Ok)
}
