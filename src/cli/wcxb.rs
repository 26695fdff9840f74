//! `ghirbal wcxb-convert` and `ghirbal wcxb-eval`: training data from, and
//! scores on, the WCXB benchmark's pages.

use super::{load_model, Outcome};
use crate::eval::wcxb::{self, Gold, Rule};
use crate::eval::Prf;
use crate::output::plural;
use crate::page::Limits;
use crate::read::html::extract::Options;
use crate::Classifier;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Where WCXB's dev split is, from the repository root.
const WCXB_DEV: &str = "../shared/data/wcxb-dev";

#[derive(clap::Args)]
pub struct ConvertArgs {
    /// WCXB directory (holding `html/` and `ground-truth/`).
    #[arg(long, default_value = WCXB_DEV)]
    data: PathBuf,
    /// Directory to write the labelled pages to (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// File of page ids to convert, one per line (default: all pages).
    #[arg(long)]
    ids: Option<PathBuf>,
    /// Write `ID.html.gz` instead of `ID.html`.
    #[arg(long)]
    gzip: bool,
}

#[derive(clap::Args)]
pub struct EvalArgs {
    /// WCXB directory (holding `html/` and `ground-truth/`).
    #[arg(long, default_value = WCXB_DEV)]
    data: PathBuf,
    /// File of page ids to score, one per line (default: all pages).
    #[arg(long)]
    ids: Option<PathBuf>,
    /// Model file (default: the embedded model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Score these labels (`classify` JSON Lines, e.g. the out-of-fold
    /// labels of `train --folds K --cv-predictions FILE`) instead of
    /// running a model; records are matched to WCXB pages by id.
    #[arg(long, conflicts_with = "model")]
    predictions: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

fn ids(data: &Path, file: Option<&PathBuf>) -> anyhow::Result<Vec<String>> {
    match file {
        Some(f) => wcxb::read_ids(f).with_context(|| format!("cannot read {}", f.display())),
        None => wcxb::all_ids(data).with_context(|| format!("cannot list {}/html", data.display())),
    }
}

fn read_gz(path: &Path) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut v = Vec::new();
    flate2::read::MultiGzDecoder::new(f)
        .read_to_end(&mut v)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(v)
}

/// One page with its gold, parsed.
fn load(
    data: &Path,
    id: &str,
    record_nodes: bool,
) -> Result<(Gold, crate::read::html::HtmlPage), String> {
    let (html, gt) = wcxb::paths(data, id);
    let gold = wcxb::load_gold(&gt)?;
    let bytes = read_gz(&html)?;
    let page = crate::read::html::parse_page(
        id,
        gold.url.as_deref(),
        &bytes,
        None,
        &Limits::default(),
        Options {
            record_nodes,
            fallback: false,
        },
    );
    Ok((gold, page))
}

/// Mean precision/recall/F1 of pages, by page type and overall.
#[derive(Debug, Default, serde::Serialize)]
struct Scores {
    pages: usize,
    precision: f64,
    recall: f64,
    f1: f64,
}

fn summarise(per_page: &[(String, Prf)]) -> (BTreeMap<String, Scores>, Scores) {
    let mut by: BTreeMap<String, Scores> = BTreeMap::new();
    let mut all = Scores::default();
    for (t, p) in per_page {
        for s in [by.entry(t.clone()).or_default(), &mut all] {
            s.pages += 1;
            s.precision += p.precision;
            s.recall += p.recall;
            s.f1 += p.f1;
        }
    }
    for s in by.values_mut().chain(std::iter::once(&mut all)) {
        let n = s.pages.max(1) as f64;
        s.precision /= n;
        s.recall /= n;
        s.f1 /= n;
    }
    (by, all)
}

fn print_scores(
    out: &mut impl Write,
    by: &BTreeMap<String, Scores>,
    all: &Scores,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<15} {:>5} {:>9} {:>9} {:>9}",
        "page type", "pages", "precision", "recall", "F1"
    )?;
    for (t, s) in by
        .iter()
        .chain(std::iter::once((&"overall".to_string(), all)))
    {
        writeln!(
            out,
            "{:<15} {:>5} {:>9.3} {:>9.3} {:>9.3}",
            t, s.pages, s.precision, s.recall, s.f1
        )?;
    }
    Ok(())
}

/// Body text of each predicted page, by id: its `body` blocks, one per line.
fn predicted_bodies(path: &Path) -> anyhow::Result<std::collections::HashMap<String, String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let preds = crate::eval::read_predictions(&text, &path.display().to_string())?;
    Ok(preds
        .into_iter()
        .map(|p| {
            let body: Vec<&str> = p
                .blocks
                .iter()
                .filter(|b| b.role == crate::Role::Body)
                .map(|b| b.text.as_str())
                .collect();
            (p.id, body.join("\n"))
        })
        .collect())
}

pub fn eval(mut args: EvalArgs) -> anyhow::Result<Outcome> {
    args.data = super::locate(&args.data, WCXB_DEV, "--data DIR")?;
    let ids = ids(&args.data, args.ids.as_ref())?;
    anyhow::ensure!(!ids.is_empty(), "no WCXB pages to score");
    if let Some(path) = &args.predictions {
        return eval_predictions(&args, &ids, path);
    }
    let model = load_model(args.model.as_ref())?;
    let results: Vec<Result<Option<(String, Prf)>, String>> = ids
        .par_iter()
        .map_init(
            || Classifier::new(&model),
            |c, id| {
                let (gold, parsed) = load(&args.data, id, false)?;
                let Some(main) = gold.main_content.as_deref() else {
                    return Ok(None);
                };
                let labels = c.classify(&parsed.page);
                let body = wcxb::body_text(&parsed.page, labels.iter().map(|l| l.role));
                Ok(Some((gold.page_type, wcxb::word_f1(&body, main))))
            },
        )
        .collect();
    report(&args, &model.identity(), &ids, results)
}

/// [`eval`] of labels from a file.
fn eval_predictions(args: &EvalArgs, ids: &[String], path: &Path) -> anyhow::Result<Outcome> {
    let bodies = predicted_bodies(path)?;
    let results: Vec<Result<Option<(String, Prf)>, String>> = ids
        .iter()
        .map(|id| {
            let (_, gt) = wcxb::paths(&args.data, id);
            let gold = wcxb::load_gold(&gt)?;
            let Some(main) = gold.main_content.as_deref() else {
                return Ok(None);
            };
            // A page without labels (no text block to label) extracted nothing.
            let body = bodies.get(id).map(String::as_str).unwrap_or_else(|| {
                eprintln!(
                    "ghirbal: {id}: no labels in {}: scored as an empty body",
                    path.display()
                );
                ""
            });
            Ok(Some((gold.page_type, wcxb::word_f1(body, main))))
        })
        .collect();
    report(args, &path.display().to_string(), ids, results)
}

/// Print the scores of pages (or why they failed).
fn report(
    args: &EvalArgs,
    labels_from: &str,
    ids: &[String],
    results: Vec<Result<Option<(String, Prf)>, String>>,
) -> anyhow::Result<Outcome> {
    let mut per_page = Vec::new();
    let mut failed = 0;
    let mut no_gold = 0;
    for (id, r) in ids.iter().zip(results) {
        match r {
            Ok(Some(x)) => per_page.push(x),
            Ok(None) => no_gold += 1,
            Err(e) => {
                failed += 1;
                eprintln!("ghirbal: {id}: {e}");
            }
        }
    }
    let (by, all) = summarise(&per_page);
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "model": labels_from,
            "metric": "WCXB word-level F1 (lower-cased \\w+ tokens of body blocks vs main_content, bag of words), mean over pages",
            "by_page_type": by,
            "overall": all,
            "pages_without_gold": no_gold,
            "pages_failed": failed,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "model {labels_from}; WCXB word F1 of body blocks against main_content"
        )?;
        print_scores(&mut out, &by, &all)?;
        if no_gold > 0 {
            writeln!(
                out,
                "({} without main_content not scored)",
                plural(no_gold, "page")
            )?;
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

/// What converting one page gave.
struct Converted {
    page_type: String,
    rules: Vec<Rule>,
    oracle: Prf,
    round_trip_ok: bool,
}

pub fn convert(mut args: ConvertArgs) -> anyhow::Result<Outcome> {
    args.data = super::locate(&args.data, WCXB_DEV, "--data DIR")?;
    let ids = ids(&args.data, args.ids.as_ref())?;
    anyhow::ensure!(!ids.is_empty(), "no WCXB pages to convert");
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let results: Vec<Result<Option<Converted>, String>> =
        ids.par_iter().map(|id| convert_one(&args, id)).collect();
    let mut per_rule: BTreeMap<Rule, usize> = BTreeMap::new();
    let mut per_role: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut oracle = Vec::new();
    let (mut written, mut no_gold, mut failed, mut round_trip_bad) = (0, 0, 0, 0);
    for (id, r) in ids.iter().zip(results) {
        match r {
            Ok(Some(c)) => {
                written += 1;
                for r in &c.rules {
                    *per_rule.entry(*r).or_default() += 1;
                    *per_role.entry(r.role().as_str()).or_default() += 1;
                }
                round_trip_bad += usize::from(!c.round_trip_ok);
                oracle.push((c.page_type, c.oracle));
            }
            Ok(None) => no_gold += 1,
            Err(e) => {
                failed += 1;
                eprintln!("ghirbal: {id}: {e}");
            }
        }
    }
    let (by, all) = summarise(&oracle);
    let blocks: usize = per_rule.values().sum();
    let report = serde_json::json!({
        "pages_written": written,
        "pages_without_gold": no_gold,
        "pages_failed": failed,
        "pages_not_reading_back_identically": round_trip_bad,
        "blocks": blocks,
        "blocks_by_role": per_role,
        "blocks_by_rule": per_rule,
        "body_word_f1_of_the_labels": { "by_page_type": by, "overall": all },
    });
    let path = args.out.join("wcxb-convert-report.json");
    crate::io::write_atomic(
        &path,
        (serde_json::to_string_pretty(&report)? + "\n").as_bytes(),
    )
    .with_context(|| format!("cannot write {}", path.display()))?;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "ghirbal: {} written to {}, {no_gold} without gold, {failed} failed, \
         {round_trip_bad} not reading back identically",
        plural(written, "page"),
        args.out.display()
    )?;
    writeln!(err, "ghirbal: {} by rule:", plural(blocks, "block"))?;
    for (r, n) in &per_rule {
        writeln!(
            err,
            "ghirbal:   {n:>7}  {:<22} → {}",
            format!("{r:?}"),
            r.role().as_str()
        )?;
    }
    writeln!(err, "ghirbal: word F1 of the body labels against main_content (how faithful the conversion is):")?;
    print_scores(&mut err, &by, &all)?;
    Ok(if failed > 0 {
        Outcome::Partial
    } else {
        Outcome::Ok
    })
}

fn convert_one(args: &ConvertArgs, id: &str) -> Result<Option<Converted>, String> {
    let (gold, parsed) = load(&args.data, id, true)?;
    let Some(main) = gold.main_content.as_deref() else {
        return Ok(None);
    };
    if parsed.page.blocks.is_empty() {
        return Err("page has no text blocks".into());
    }
    let rules = wcxb::label_blocks(&parsed.page, &gold);
    let langs: Vec<&'static str> = parsed
        .page
        .iter()
        .map(|(_, t)| crate::lang::identify(t).lang.as_str())
        .collect();
    let labels: Vec<(&str, &str)> = rules
        .iter()
        .zip(&langs)
        .map(|(r, l)| (r.role().as_str(), *l))
        .collect();
    let mut html = Vec::new();
    crate::read::html::serialize::write_labelled(&mut html, &parsed, &labels)
        .map_err(|e| format!("cannot serialise: {e}"))?;
    // Read it back as training data: the same blocks with the same roles?
    let back = crate::corpus::parse_labelled_html(&html, id).map_err(|e| e.to_string())?;
    let round_trip_ok = back.page.text == parsed.page.text
        && back
            .roles
            .iter()
            .copied()
            .eq(rules.iter().map(|r| r.role()));
    let name = if args.gzip {
        format!("{id}.html.gz")
    } else {
        format!("{id}.html")
    };
    let bytes = if args.gzip {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&html).map_err(|e| e.to_string())?;
        e.finish().map_err(|e| e.to_string())?
    } else {
        html
    };
    crate::io::write_atomic(&args.out.join(&name), &bytes)
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    let oracle = wcxb::word_f1(
        &wcxb::body_text(&parsed.page, rules.iter().map(|r| r.role())),
        main,
    );
    Ok(Some(Converted {
        page_type: gold.page_type,
        rules,
        oracle,
        round_trip_ok,
    }))
}
