//! Command-line front end: raw flags (clap) → the command they ask for → run.
//!
//! Exit codes: 0 when every record succeeded, 1 when some records failed
//! (each reported in the output and on stderr), 2 on a fatal error (bad
//! arguments, unreadable model, unwritable output). A closed stdout (broken
//! pipe) ends the run quietly.

mod classify;
mod eval;
mod eval_lang;
mod label;
mod train;
mod view;
mod wcxb;

use crate::Model;
use clap::{CommandFactory, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ghirbal",
    version,
    about = "Label every block of crawled pages by role and language"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Label every block of pages (files, directories, JSON Lines, `-` for stdin).
    Classify(classify::Args),
    /// Train a model from labelled pages.
    Train(train::Args),
    /// Score a model against labelled pages; write reports; compare reports.
    Eval(eval::Args),
    /// Draw labelled pages as one self-contained HTML file (the page viewer).
    View(view::Args),
    /// Turn WCXB pages and their gold main text into labelled HTML pages.
    WcxbConvert(wcxb::ConvertArgs),
    /// Score a model on WCXB pages: word F1 of body blocks against the gold main text.
    WcxbEval(wcxb::EvalArgs),
    /// Write one sheet per HTML page (a line per block with its labels) for correcting by hand.
    LabelSheet(label::SheetArgs),
    /// Write corrected sheets back into their pages as labelled HTML.
    LabelApply(label::ApplyArgs),
    /// Score language identification against labelled blocks (dev and held-out halves).
    EvalLang(eval_lang::Args),
    /// Print a shell completion script, e.g. `ghirbal completions bash >
    /// ~/.local/share/bash-completion/completions/ghirbal`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `ghirbal man | man -l -`, or
    /// `ghirbal man classify` for one command's page.
    Man {
        /// The command whose page to print (default: ghirbal's own).
        command: Option<String>,
    },
}

/// How a command ended.
pub enum Outcome {
    /// Everything succeeded.
    Ok,
    /// Some records failed; they were reported.
    Partial,
}

/// Runs the `ghirbal` command on the process's arguments: the whole of
/// the binary's `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Classify(a) => classify::run(a),
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::View(a) => view::run(a),
        Command::WcxbConvert(a) => wcxb::convert(a),
        Command::WcxbEval(a) => wcxb::eval(a),
        Command::EvalLang(a) => eval_lang::run(a),
        Command::LabelSheet(a) => label::sheet(a),
        Command::LabelApply(a) => label::apply(a),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => man(command.as_deref()),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ghirbal: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `ghirbal completions SHELL`: the completion script on stdout.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "ghirbal", &mut out);
    out.flush()?;
    Ok(Outcome::Ok)
}

/// `ghirbal man [COMMAND]`: a man page on stdout.
fn man(command: Option<&str>) -> anyhow::Result<Outcome> {
    let cli = Cli::command();
    let page = match command {
        None => cli,
        Some(name) => {
            let names: Vec<String> = cli
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let sub = cli.find_subcommand(name).cloned().ok_or_else(|| {
                anyhow::anyhow!("no command {name:?} (commands: {})", names.join(", "))
            })?;
            sub.display_name(format!("ghirbal-{name}"))
                .bin_name(format!("ghirbal {name}"))
        }
    };
    let mut text = Vec::new();
    clap_mangen::Man::new(page).render(&mut text)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&text)?;
    out.flush()?;
    Ok(Outcome::Ok)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The model a command uses: `--model PATH`, or the embedded default.
pub fn load_model(path: Option<&PathBuf>) -> anyhow::Result<std::borrow::Cow<'static, Model>> {
    match path {
        // An I/O error names the file already ("cannot read model PATH: …").
        Some(p) => Ok(std::borrow::Cow::Owned(Model::load(p).map_err(
            |e| match e {
                crate::ModelError::Io(_) => anyhow::Error::new(e),
                _ => anyhow::Error::new(e).context(format!("cannot load model {}", p.display())),
            },
        )?)),
        None => crate::default_model()
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| anyhow::anyhow!("the embedded default model is unusable: {e}")),
    }
}

/// A data path whose default is relative to the repository root, so that
/// commands work from any directory: `path` as given when it exists or is
/// not the `default`; else the default under the source tree this binary
/// was built from; else an error saying where it looked and which argument
/// (`what`) gives the path.
pub fn locate(
    path: &std::path::Path,
    default: &str,
    what: &str,
) -> anyhow::Result<std::path::PathBuf> {
    if path.exists() || path != std::path::Path::new(default) {
        return Ok(path.to_path_buf());
    }
    let tree = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = tree.join(default);
    if built.exists() {
        return Ok(built);
    }
    anyhow::bail!(
        "{default} not found, neither in the current directory nor in the source tree {} \
         (run from the repository root, or give {what})",
        tree.display()
    )
}

/// Fail early when `path` cannot be written: its directory must exist (a
/// long run should not end in "cannot write").
pub fn check_writable(path: &std::path::Path) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    anyhow::ensure!(
        dir.is_dir(),
        "cannot write {}: directory {} does not exist",
        path.display(),
        dir.display()
    );
    Ok(())
}

/// A counter of `unit`s done (the singular: `record`; `1 record`, `2
/// records`), with their rate per second and the time elapsed, on an
/// interactive stderr; nothing otherwise. Advance it with `inc`.
pub fn progress_counter(enabled: bool, unit: &str) -> indicatif::ProgressBar {
    let pb = progress(enabled);
    if !pb.is_hidden() {
        let (one, many) = (unit.to_string(), format!("{unit}s"));
        let per = many.clone();
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} {human_pos} {units} ({rate} {many}/s) {elapsed} {msg}",
        )
        .expect("valid progress template")
        .with_key(
            "units",
            move |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(if s.pos() == 1 { &one } else { &many });
            },
        )
        .with_key(
            "many",
            move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&per);
            },
        )
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}", s.per_sec());
            },
        );
        pb.set_style(style);
    }
    pb
}

/// A spinner with a message on an interactive stderr; nothing otherwise.
pub fn progress(enabled: bool) -> indicatif::ProgressBar {
    if enabled && std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        indicatif::ProgressBar::hidden()
    }
}
