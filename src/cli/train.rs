//! `ghirbal train`: fit a model on labelled pages, optionally cross-validated
//! by site, and write it atomically.

use super::{progress, Outcome};
use anyhow::Context;
use ghirbal::corpus::{self, LabelledPage};
use ghirbal::eval::{judge, JudgedPage, Report};
use ghirbal::features::{Extractor, FeatureConfig};
use ghirbal::model::{fold_assignment, Model, PageRows, TrainParams};
use ghirbal::{identify_blocks, Classifier};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Labelled pages: files or directories (`*.txt` authoring format, `*.jsonl` corrected output).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Name recorded in the model and printed in every output line.
    #[arg(long, default_value = "ghirbal")]
    name: String,
    /// Cross-validate with K folds, split by site (pages of one site never in
    /// both train and test), before training the final model.
    #[arg(long)]
    folds: Option<usize>,
    /// Seed of the fold shuffles.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// L2 regularisation strength.
    #[arg(long, default_value_t = TrainParams::default().alpha)]
    alpha: f64,
    /// Optimiser iterations per fit.
    #[arg(long, default_value_t = TrainParams::default().max_iterations)]
    max_iterations: u64,
    /// Folds for the out-of-fold probabilities of the second pass.
    #[arg(long, default_value_t = TrainParams::default().stack_folds)]
    stack_folds: usize,
    /// Hashed feature columns: 2^BITS.
    #[arg(long, default_value_t = FeatureConfig::default().hash_bits)]
    hash_bits: u32,
    /// Worker threads for feature extraction (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print each training phase with the time it started (seconds since
    /// the start) on standard error.
    #[arg(long, short)]
    verbose: bool,
}

/// Feature rows of every page (in parallel, order kept).
pub fn page_rows(pages: &[LabelledPage], cfg: &FeatureConfig) -> Vec<PageRows> {
    pages
        .par_iter()
        .map_init(Extractor::new, |ex, p| {
            let langs = identify_blocks(&p.page);
            PageRows {
                rows: ex.rows(&p.page, &langs, cfg),
                roles: p.roles.clone(),
                html: p.page.kind == ghirbal::PageKind::Html,
            }
        })
        .collect()
}

/// Pooled out-of-fold evaluation, folds split by site.
fn cross_validate(
    pages: &[LabelledPage],
    rows: &[PageRows],
    cfg: &FeatureConfig,
    params: &TrainParams,
    k: usize,
    mut say: impl FnMut(&str),
) -> anyhow::Result<Report> {
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pages {
        let n = groups.len();
        groups.entry(p.group()).or_insert(n);
    }
    // Group ids in sorted-name order, so the split does not depend on file order.
    let names: Vec<&str> = groups.keys().copied().collect();
    let gid: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    anyhow::ensure!(
        names.len() >= k,
        "cannot make {k} folds from {} sites",
        names.len()
    );
    let assign = fold_assignment(names.len(), k, params.seed);
    let mut judged: Vec<JudgedPage> = Vec::new();
    for f in 0..k {
        say(&format!("cross-validation fold {}/{k}", f + 1));
        let train_rows: Vec<PageRows> = pages
            .iter()
            .zip(rows)
            .filter(|(p, _)| assign[gid[p.group()]] != f)
            .map(|(_, r)| r.clone())
            .collect();
        let model = Model::fit("cv", cfg, &train_rows, params, |_| {})
            .with_context(|| format!("fold {}", f + 1))?;
        let mut c = Classifier::new(&model);
        for p in pages.iter().filter(|p| assign[gid[p.group()]] == f) {
            judged.push(judge(p, &c.classify(&p.page)));
        }
    }
    // Report pages in corpus order, whatever fold they were in.
    let order: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.page.id.as_str(), i))
        .collect();
    judged.sort_by_key(|j| order.get(j.id.as_str()).copied().unwrap_or(usize::MAX));
    Ok(Report::new(&judged, None))
}

/// The headline figures of a report, for the model file.
fn summary(r: &Report, k: usize) -> serde_json::Value {
    let f1 = |s: &ghirbal::eval::RoleScores, role: ghirbal::Role| s.roles[role.index()].1.f1;
    serde_json::json!({
        "folds": k,
        "split": "site",
        "pages": r.pages,
        "blocks": r.blocks,
        "macro_f1_block": round(r.roles_by_block.macro_f1),
        "macro_f1_token": round(r.roles_by_token.macro_f1),
        "body_f1_token": round(f1(&r.roles_by_token, ghirbal::Role::Body)),
        "ad_f1_token": round(f1(&r.roles_by_token, ghirbal::Role::Ad)),
        "lang_accuracy_block": round(r.lang_by_block.accuracy),
    })
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if let Some(t) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .ok();
    }
    let pages = corpus::load(&args.inputs)?;
    anyhow::ensure!(!pages.is_empty(), "no labelled pages found");
    let cfg = FeatureConfig {
        hash_bits: args.hash_bits,
        ..FeatureConfig::default()
    };
    anyhow::ensure!(
        (4..=20).contains(&cfg.hash_bits),
        "--hash-bits must be between 4 and 20"
    );
    let params = TrainParams {
        alpha: args.alpha,
        max_iterations: args.max_iterations,
        stack_folds: args.stack_folds,
        seed: args.seed,
    };
    let pb = progress(true);
    let started = std::time::Instant::now();
    let verbose = args.verbose;
    let mut say = |m: &str| {
        if verbose {
            let t = started.elapsed().as_secs_f64();
            pb.suspend(|| eprintln!("ghirbal: {t:8.2} s  {m}"));
        }
        pb.set_message(m.to_string());
    };
    say("extracting features");
    let rows = page_rows(&pages, &cfg);
    let blocks: usize = rows.iter().map(|r| r.rows.len()).sum();
    eprintln!(
        "ghirbal: {} pages, {} blocks, {} sites",
        pages.len(),
        blocks,
        pages
            .iter()
            .map(|p| p.group())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let cv = match args.folds {
        Some(k) if k >= 2 => {
            let report = cross_validate(&pages, &rows, &cfg, &params, k, &mut say)?;
            pb.suspend(|| eprintln!("ghirbal: cross-validation, {k} folds by site:\n{report}"));
            Some(summary(&report, k))
        }
        Some(k) => anyhow::bail!("--folds must be at least 2, got {k}"),
        None => None,
    };
    let mut model = Model::fit(&args.name, &cfg, &rows, &params, &mut say)?;
    say("done");
    model.training.data_fingerprint = corpus::fingerprint(&pages);
    model.training.cross_validation = cv;
    model
        .save(&args.out)
        .with_context(|| format!("cannot write model {}", args.out.display()))?;
    pb.finish_and_clear();
    eprintln!("ghirbal: wrote {}", args.out.display());
    Ok(Outcome::Ok)
}
