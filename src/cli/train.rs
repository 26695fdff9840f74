//! `ghirbal train`: fit a model on labelled pages, optionally cross-validated
//! by site, and write it atomically.

use super::{progress, Outcome};
use crate::corpus::{self, LabelledPage};
use crate::eval::{judge, JudgedPage, Report};
use crate::features::{Extractor, FeatureConfig};
use crate::model::{site_folds, Model, PageRows, TrainParams};
use crate::output::plural;
use crate::{identify_blocks, Classifier};
use anyhow::Context;
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
    /// Optimiser iterations of each stacking fold's fit (the fits that give
    /// pass two its out-of-fold probabilities), when fewer than
    /// --max-iterations.
    #[arg(long)]
    stack_iterations: Option<u64>,
    /// Optimiser iterations of the text passes' stacking folds (at most
    /// --stack-iterations): chosen by cross-validation on the written text
    /// pages (models/README.md).
    #[arg(long, default_value_t = TrainParams::default().text_stack_iterations.unwrap_or(0))]
    text_stack_iterations: u64,
    /// Fit every pass from zero: no warm starts (pass one from the mean of
    /// the stacking folds, pass two from pass one).
    #[arg(long)]
    no_warm_start: bool,
    /// Weigh each role's blocks by (the role's share of the block weight)^-P
    /// in every fit, the total weight unchanged (0: as the pages weigh them;
    /// 1: every role weighs the same in all).
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    class_balance: f32,
    /// Words of a "long" block (a paragraph of running text), which the
    /// position features measure from (before the first, after the last …).
    #[arg(long, default_value_t = FeatureConfig::default().long_block_words)]
    long_block_words: usize,
    /// Hashed feature columns: 2^BITS.
    #[arg(long, default_value_t = FeatureConfig::default().hash_bits)]
    hash_bits: u32,
    /// One model for both input kinds, without per-kind copies of the dense
    /// features (feature augmentation is the default).
    #[arg(long)]
    no_augment: bool,
    /// No per-kind copies of the hashed words and n-grams (only of the
    /// dense features).
    #[arg(long)]
    no_augment_hashed: bool,
    /// Value of hashed text entries relative to dense features (below 1:
    /// more regularised).
    #[arg(long, default_value_t = FeatureConfig::default().text_hash_scale)]
    text_hash_scale: f32,
    /// Value of hashed markup entries (tags, class/id tokens).
    #[arg(long, default_value_t = FeatureConfig::default().markup_hash_scale)]
    markup_hash_scale: f32,
    /// Character n-gram lengths inside words, `MIN-MAX` (`0-0`: none).
    #[arg(long, value_parser = parse_range, default_value = "4-4")]
    char_ngrams: (usize, usize),
    /// Word n-gram lengths, `MIN-MAX` (`0-0`: none).
    #[arg(long, value_parser = parse_range, default_value = "1-2")]
    word_ngrams: (usize, usize),
    /// Add the share of the page's prose under each of a block's nearest
    /// ancestors (measured: no gain on WCXB, a loss on the real Arabic pages).
    #[arg(long)]
    prose_shares: bool,
    /// Pass two without the container context of HTML blocks (pass one's
    /// roles of the other blocks under each of the block's nearest
    /// ancestors, the share of the page's body under them, and whether the
    /// block is in the page's main container, Readability's choice on pass
    /// one's body), which is the default.
    #[arg(long)]
    no_container_context: bool,
    /// With augmentation, language and script features only in the shared
    /// copy (not once more per input kind).
    #[arg(long)]
    shared_language: bool,
    /// No hashed features of where a block's links go (another site, `rel`
    /// sponsored, `rel` nofollow/ugc, an ad or affiliate address), which
    /// are on by default.
    #[arg(long)]
    no_link_targets: bool,
    /// Keep page-level constants and raw landmarks (no page normalisation).
    #[arg(long)]
    no_page_norm: bool,
    /// The text passes see text pages' kind copies as the HTML passes do,
    /// instead of each copied entry once, valued √2 times more (the same
    /// fit with half the entries, which is the default); the model is then
    /// one of feature set 10.
    #[arg(long)]
    keep_text_copies: bool,
    /// More labelled pages to train on, each block counting WEIGHT times in
    /// the loss (`DIR=WEIGHT`, repeatable): for example the written corpus
    /// rendered as HTML by `scripts/render_corpus.py`. They are
    /// cross-validated with their sites, and reported apart.
    #[arg(long, value_name = "DIR=WEIGHT")]
    weighted: Vec<String>,
    /// Weigh each page by 1 / (pages of its site)^P, so that a site with
    /// many pages does not outweigh the others (0: every page counts the
    /// same; 1: every site counts as one page). Weights are then scaled so
    /// that the blocks' weights add up to their number.
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    site_balance: f32,
    /// Also train on the plain text (one line per block, as in a WET record)
    /// of every labelled HTML page, labelled from its blocks.
    #[arg(long)]
    text_renderings: bool,
    /// With --folds: write every page's out-of-fold labels here, as
    /// `classify` JSON Lines (score them with `eval --predictions` or
    /// `wcxb-eval --predictions`).
    #[arg(long)]
    cv_predictions: Option<PathBuf>,
    /// With --folds: only cross-validate; train no final model and write
    /// nothing to --out.
    #[arg(long, requires = "folds")]
    cv_only: bool,
    /// Worker threads for feature extraction (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print each training phase with the time it started (seconds since
    /// the start) on standard error.
    #[arg(long, short)]
    verbose: bool,
}

/// Feature rows of every page (in parallel, order kept), each page's blocks
/// weighted by `weights[i]`.
pub fn page_rows(pages: &[LabelledPage], weights: &[f32], cfg: &FeatureConfig) -> Vec<PageRows> {
    let mut names: Vec<&str> = pages.iter().map(|p| p.group()).collect();
    names.sort_unstable();
    names.dedup();
    pages
        .par_iter()
        .zip(weights)
        .map_init(Extractor::new, |ex, (p, &weight)| {
            let langs = identify_blocks(&p.page);
            PageRows {
                rows: ex.rows(&p.page, &langs, cfg),
                roles: p.roles.clone(),
                html: p.page.kind == crate::PageKind::Html,
                group: names.binary_search(&p.group()).expect("listed above") as u32,
                places: crate::features::places(&p.page),
                weight,
            }
        })
        .collect()
}

/// Each page's weight: `base[i]` (1, or a `--weighted` directory's
/// weight) over (pages of its site)^`balance`, scaled so that the blocks'
/// weights add up to their number.
fn page_weights(pages: &[LabelledPage], base: &[f32], balance: f32) -> Vec<f32> {
    let mut per_site: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pages {
        *per_site.entry(p.group()).or_default() += 1;
    }
    let mut w: Vec<f32> = pages
        .iter()
        .zip(base)
        .map(|(p, &b)| {
            if balance == 0.0 {
                b
            } else {
                b * (per_site[p.group()] as f32).powf(-balance)
            }
        })
        .collect();
    if balance != 0.0 {
        let blocks: f64 = pages.iter().map(|p| p.roles.len() as f64).sum();
        let mass: f64 = pages
            .iter()
            .zip(&w)
            .map(|(p, &x)| p.roles.len() as f64 * f64::from(x))
            .sum();
        if mass > 0.0 {
            let k = (blocks / mass) as f32;
            w.iter_mut().for_each(|x| *x *= k);
        }
    }
    w
}

/// `DIR=WEIGHT` of `--weighted`.
fn parse_weighted(s: &str) -> anyhow::Result<(PathBuf, f32)> {
    let (dir, w) = s
        .rsplit_once('=')
        .with_context(|| format!("--weighted {s:?}: expected DIR=WEIGHT"))?;
    let w: f32 = w
        .parse()
        .ok()
        .filter(|w: &f32| w.is_finite() && *w >= 0.0)
        .with_context(|| format!("--weighted {s:?}: the weight must be a number >= 0"))?;
    Ok((PathBuf::from(dir), w))
}

/// Which part of the training data a page belongs to, for reporting
/// cross-validation on each separately.
fn part(p: &LabelledPage, extra: bool) -> &'static str {
    if extra {
        "extra weighted pages (--weighted)"
    } else if p.page.id.ends_with("#text") {
        "real pages as text (renderings of the HTML pages)"
    } else if p.page.kind == crate::PageKind::Text {
        "written text pages"
    } else if crate::eval::wcxb::is_wcxb_id(&p.page.id) {
        "real English HTML pages (WCXB)"
    } else {
        "real HTML pages (other)"
    }
}

/// Pooled out-of-fold evaluation, folds split by site.
#[allow(clippy::too_many_arguments)]
fn cross_validate(
    pages: &[LabelledPage],
    extra: &[bool],
    rows: &[PageRows],
    cfg: &FeatureConfig,
    params: &TrainParams,
    k: usize,
    predictions: Option<&PathBuf>,
    mut say: impl FnMut(&str),
) -> anyhow::Result<BTreeMap<&'static str, Report>> {
    let sites: Vec<&str> = pages.iter().map(|p| p.group()).collect();
    let n_sites = sites
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    anyhow::ensure!(
        n_sites >= k,
        "cannot make {k} folds from {}",
        plural(n_sites, "site")
    );
    let assign = site_folds(&sites, k, params.seed);
    let mut judged: Vec<Option<JudgedPage>> = vec![None; pages.len()];
    let mut lines: Vec<String> = vec![String::new(); pages.len()];
    for f in 0..k {
        say(&format!("cross-validation fold {}/{k}", f + 1));
        let train_rows: Vec<&PageRows> = rows
            .iter()
            .zip(&assign)
            .filter(|(_, &a)| a != f)
            .map(|(r, _)| r)
            .collect();
        let model = Model::fit("cv", cfg, &train_rows, params, |_| {})
            .with_context(|| format!("fold {}", f + 1))?;
        let held: Vec<usize> = (0..pages.len()).filter(|&i| assign[i] == f).collect();
        let out: Vec<(usize, JudgedPage, String)> = held
            .par_iter()
            .map_init(
                || Classifier::new(&model),
                |c, &i| {
                    let labels = c.classify(&pages[i].page);
                    let line = if predictions.is_some() {
                        crate::output::json_line(&pages[i].page, &labels, "cv@fold")
                    } else {
                        String::new()
                    };
                    (i, judge(&pages[i], &labels), line)
                },
            )
            .collect();
        for (i, j, l) in out {
            judged[i] = Some(j);
            lines[i] = l;
        }
    }
    if let Some(path) = predictions {
        let mut s = String::new();
        for l in &lines {
            s.push_str(l);
            if !l.ends_with('\n') {
                s.push('\n');
            }
        }
        crate::io::write_atomic(path, s.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Pages in corpus order, whatever fold they were in; one report per part.
    let mut parts: BTreeMap<&'static str, Vec<JudgedPage>> = BTreeMap::new();
    for ((p, j), &x) in pages.iter().zip(judged).zip(extra) {
        parts
            .entry(part(p, x))
            .or_default()
            .push(j.expect("every page is in one fold"));
    }
    let mut all: Vec<JudgedPage> = parts.values().flatten().cloned().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let mut reports: BTreeMap<&'static str, Report> = parts
        .into_iter()
        .map(|(k, v)| (k, Report::new(&v, None)))
        .collect();
    reports.insert("all pages", Report::new(&all, None));
    Ok(reports)
}

/// The headline figures of a report, for the model file.
fn summary(r: &Report, k: usize) -> serde_json::Value {
    let f1 = |s: &crate::eval::RoleScores, role: crate::Role| s.roles[role.index()].1.f1;
    serde_json::json!({
        "folds": k,
        "split": "site",
        "pages": r.pages,
        "blocks": r.blocks,
        "macro_f1_block": round(r.roles_by_block.macro_f1),
        "macro_f1_token": round(r.roles_by_token.macro_f1),
        "body_f1_token": round(f1(&r.roles_by_token, crate::Role::Body)),
        "ad_f1_token": round(f1(&r.roles_by_token, crate::Role::Ad)),
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
    if let Some(p) = &args.cv_predictions {
        anyhow::ensure!(args.folds.is_some(), "--cv-predictions needs --folds");
        super::check_writable(p)?;
    }
    super::check_writable(&args.out)?;
    anyhow::ensure!(
        args.site_balance.is_finite() && args.site_balance >= 0.0,
        "--site-balance must be a number >= 0"
    );
    anyhow::ensure!(
        args.class_balance.is_finite() && (0.0..=1.0).contains(&args.class_balance),
        "--class-balance must be a number from 0 to 1"
    );
    let weighted: Vec<(PathBuf, f32)> = args
        .weighted
        .iter()
        .map(|s| parse_weighted(s))
        .collect::<anyhow::Result<_>>()?;
    let mut pages = corpus::load(&args.inputs)?;
    anyhow::ensure!(!pages.is_empty(), "no labelled pages found");
    if args.text_renderings {
        let extra: Vec<LabelledPage> = pages.iter().filter_map(corpus::text_rendering).collect();
        pages.extend(extra);
    }
    let mut base = vec![1.0f32; pages.len()];
    let mut extra = vec![false; pages.len()];
    for (dir, w) in &weighted {
        let more = corpus::load(std::slice::from_ref(dir))?;
        anyhow::ensure!(
            !more.is_empty(),
            "no labelled pages found in {}",
            dir.display()
        );
        base.extend(std::iter::repeat_n(*w, more.len()));
        extra.extend(std::iter::repeat_n(true, more.len()));
        pages.extend(more);
    }
    let weights = page_weights(&pages, &base, args.site_balance);
    let cfg = FeatureConfig {
        hash_bits: args.hash_bits,
        augment: !args.no_augment,
        augment_hashed: !args.no_augment_hashed,
        text_hash_scale: args.text_hash_scale,
        markup_hash_scale: args.markup_hash_scale,
        page_norm: !args.no_page_norm,
        prose_shares: args.prose_shares,
        container_context: !args.no_container_context,
        shared_language: args.shared_language,
        link_targets: !args.no_link_targets,
        collapse_text_copies: !args.keep_text_copies,
        feature_set: if args.keep_text_copies {
            crate::features::FEATURE_SET_UNCOLLAPSED
        } else {
            crate::features::FEATURE_SET
        },
        char_ngrams: args.char_ngrams,
        word_ngrams: args.word_ngrams,
        long_block_words: args.long_block_words,
        ..FeatureConfig::default()
    };
    anyhow::ensure!(
        args.text_stack_iterations >= 1,
        "--text-stack-iterations must be at least 1"
    );
    anyhow::ensure!(
        (4..=20).contains(&cfg.hash_bits),
        "--hash-bits must be between 4 and 20"
    );
    let params = TrainParams {
        alpha: args.alpha,
        max_iterations: args.max_iterations,
        stack_folds: args.stack_folds,
        stack_iterations: args.stack_iterations,
        text_stack_iterations: Some(args.text_stack_iterations),
        seed: args.seed,
        warm_start: !args.no_warm_start,
        class_balance: args.class_balance,
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
    let rows = page_rows(&pages, &weights, &cfg);
    let blocks: usize = rows.iter().map(|r| r.rows.len()).sum();
    eprintln!(
        "ghirbal: {}, {}, {}",
        plural(pages.len(), "page"),
        plural(blocks, "block"),
        plural(
            pages
                .iter()
                .map(|p| p.group())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            "site"
        )
    );
    let cv = match args.folds {
        Some(k) if k >= 2 => {
            let reports = cross_validate(
                &pages,
                &extra,
                &rows,
                &cfg,
                &params,
                k,
                args.cv_predictions.as_ref(),
                &mut say,
            )?;
            for (part, report) in &reports {
                pb.suspend(|| {
                    eprintln!("ghirbal: cross-validation, {k} folds by site, {part}:\n{report}")
                });
            }
            let by_part: BTreeMap<&str, serde_json::Value> =
                reports.iter().map(|(p, r)| (*p, summary(r, k))).collect();
            Some(serde_json::to_value(by_part)?)
        }
        Some(k) => anyhow::bail!("--folds must be at least 2, got {k}"),
        None => None,
    };
    if args.cv_only {
        pb.finish_and_clear();
        return Ok(Outcome::Ok);
    }
    let mut model = Model::fit(&args.name, &cfg, &rows, &params, &mut say)?;
    say("done");
    model.training.data_fingerprint = corpus::fingerprint(&pages);
    model.training.cross_validation = cv;
    if args.site_balance != 0.0 || !args.weighted.is_empty() {
        model.training.weighting = Some(serde_json::json!({
            "site_balance": args.site_balance,
            "weighted": args.weighted,
        }));
    }
    model
        .save(&args.out)
        .with_context(|| format!("cannot write model {}", args.out.display()))?;
    pb.finish_and_clear();
    eprintln!("ghirbal: wrote {}", args.out.display());
    Ok(Outcome::Ok)
}

/// `MIN-MAX` of n-gram lengths (`0-0` for none).
fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("expected MIN-MAX, got {s:?}"))?;
    let a: usize = a.trim().parse().map_err(|_| format!("bad MIN in {s:?}"))?;
    let b: usize = b.trim().parse().map_err(|_| format!("bad MAX in {s:?}"))?;
    if a > b || b > 8 {
        return Err(format!("{s:?}: need MIN <= MAX <= 8"));
    }
    Ok((a, b))
}
