//! End-to-end tests of the evaluation reports: the golden `report.json` and
//! `report.md` of a small fixture set, the committed evaluation of the
//! default model, the three report files on the dev split, `view` and
//! `eval --compare`.
//!
//! Regenerate the golden files with `GHIRBAL_BLESS=1 cargo test --test report`.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const FIXTURES: &str = "tests/fixtures/report";

/// The command that regenerates the committed evaluation of the default model.
const REGENERATE: &str = "cargo run --release -- eval training-data/dev --report-md models/default.eval.md --report-json models/default.eval.json";

/// A readable line diff of `want` (committed) against `got` (fresh): changed
/// lines with two lines of context, at most 120 lines.
fn diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    let m = ghirbal::__private::align_tokens(&a, &b);
    // Edit script: (tag, line) in order.
    let mut ops: Vec<(char, &str)> = Vec::new();
    let mut j = 0;
    for (i, mi) in m.iter().enumerate() {
        match mi {
            Some(k) => {
                while j < *k {
                    ops.push(('+', b[j]));
                    j += 1;
                }
                ops.push((' ', a[i]));
                j += 1;
            }
            None => ops.push(('-', a[i])),
        }
    }
    while j < b.len() {
        ops.push(('+', b[j]));
        j += 1;
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 3).min(ops.len());
        ops[lo..hi].iter().any(|o| o.0 != ' ')
    };
    let mut out = String::from("--- committed\n+++ fresh\n");
    let mut skipped = false;
    let mut lines = 0;
    for (k, (tag, line)) in ops.iter().enumerate() {
        if !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("   …\n");
            skipped = false;
        }
        out.push_str(&format!("{tag}  {line}\n"));
        lines += 1;
        if lines >= 120 {
            out.push_str("   … (diff cut)\n");
            break;
        }
    }
    out
}

/// Compare a fresh file with its committed golden version, or bless it.
fn check_golden(fresh: &Path, golden: &Path, how_to_fix: &str) {
    let got = std::fs::read_to_string(fresh).unwrap();
    if std::env::var_os("GHIRBAL_BLESS").is_some() {
        std::fs::write(golden, &got).unwrap();
        eprintln!("blessed {}", golden.display());
        return;
    }
    let want = std::fs::read_to_string(golden)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {how_to_fix}", golden.display()));
    if want != got {
        panic!(
            "{} differs from the freshly computed report:\n{}\n{how_to_fix}",
            golden.display(),
            diff(&want, &got)
        );
    }
}

#[test]
fn report_json_and_md_match_the_golden_files() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("r");
    let o = run(
        &[
            "eval",
            &format!("{FIXTURES}/gold"),
            "--predictions",
            &format!("{FIXTURES}/predictions.jsonl"),
            "--report",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let fix =
        "if the change is intended, regenerate with: GHIRBAL_BLESS=1 cargo test --test report";
    check_golden(
        &dir.join("report.json"),
        &root().join(FIXTURES).join("report.json"),
        fix,
    );
    check_golden(
        &dir.join("report.md"),
        &root().join(FIXTURES).join("report.md"),
        fix,
    );
}

#[test]
fn the_golden_fixture_exercises_a_different_segmentation() {
    // Guards the fixture itself: one page re-segmented, mistakes present.
    let text = std::fs::read_to_string(root().join(FIXTURES).join("report.json")).unwrap();
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["schema"], "ghirbal-eval-report");
    assert_eq!(r["pages"], 3);
    assert_eq!(r["segmentation"]["pages_matching"], 2);
    assert!(r["segmentation"]["tokens_missed"].as_u64().unwrap() > 0);
    assert!(r["segmentation"]["tokens_extra"].as_u64().unwrap() > 0);
    let pages = r["per_page"].as_array().unwrap();
    let en = pages.iter().find(|p| p["id"] == "en-story").unwrap();
    assert_eq!(en["segmentation_matches"], false);
    assert!(en["role_accuracy"].is_null());
    assert!(r["roles_by_block"]["macro_f1"].as_f64().unwrap() < 1.0);
    assert_eq!(r["model"]["identity"], "fixture-model@1");
}

#[test]
fn committed_default_eval_is_fresh_for_the_committed_model() {
    let md = root().join("models/default.eval.md");
    let json = root().join("models/default.eval.json");
    if !md.exists() || !json.exists() {
        eprintln!(
            "skipped: models/default.eval.md / models/default.eval.json are not committed yet; create them with: {REGENERATE}"
        );
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (fresh_md, fresh_json) = (d.path().join("e.md"), d.path().join("e.json"));
    let o = run(
        &[
            "eval",
            "training-data/dev",
            "--report-md",
            fresh_md.to_str().unwrap(),
            "--report-json",
            fresh_json.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let fix = format!(
        "models/default.eval.* are stale for models/default.json and training-data/dev; regenerate with: {REGENERATE}"
    );
    if std::env::var_os("GHIRBAL_BLESS").is_some() {
        // Blessing never writes the committed evaluation: it is regenerated by
        // its documented command only.
        eprintln!("GHIRBAL_BLESS does not apply to models/default.eval.*; {fix}");
    }
    for (fresh, committed) in [(&fresh_json, &json), (&fresh_md, &md)] {
        let got = std::fs::read_to_string(fresh).unwrap();
        let want = std::fs::read_to_string(committed).unwrap();
        assert!(
            want == got,
            "{} differs from a fresh evaluation:\n{}\n{fix}",
            committed.display(),
            diff(&want, &got)
        );
    }
}

#[test]
fn eval_writes_three_reports_on_the_dev_split() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("out/report");
    let o = run(
        &[
            "eval",
            "training-data/dev",
            "--report",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("macro-F1"),
        "the text report is printed too"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert!(json["pages"].as_u64().unwrap() > 10);
    assert_eq!(json["segmentation"]["pages_matching"], json["pages"]);
    assert_eq!(json["segmentation"]["tokens_missed"], 0);
    assert_eq!(json["lang_by_length"].as_array().unwrap().len(), 4);
    assert_eq!(json["calibration"].as_array().unwrap().len(), 6);
    assert!(json["model"]["training_data"]
        .as_str()
        .unwrap()
        .starts_with("fnv1a64:"));
    let f1 = json["body_words"]["f1"].as_f64().unwrap();
    assert!(f1 > 0.5 && f1 <= 1.0, "body word-F1 {f1}");
    let per_page = json["per_page"].as_array().unwrap();
    let acc: Vec<f64> = per_page
        .iter()
        .map(|p| p["role_accuracy_tokens"].as_f64().unwrap())
        .collect();
    assert!(acc.windows(2).all(|w| w[0] <= w[1]), "worst pages first");

    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    for section in [
        "## Summary",
        "## Roles",
        "## Role confusion",
        "## Language",
        "| 1-2 |",
        "| 10+ |",
        "## Body text, word F1",
        "## Calibration",
        "## Pages, worst first",
        "| model | `default@",
        "| training data | `fnv1a64:",
    ] {
        assert!(md.contains(section), "report.md has {section:?}");
    }

    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for part in [
        "<svg class=\"heatmap\" id=\"heatmap-block\"",
        "<svg class=\"heatmap\" id=\"heatmap-token\"",
        "<svg class=\"reliability\" id=\"reliability-body\"",
        "<section class=\"viewer\" id=\"viewer\">",
        "id=\"f-miss\"",
        "dir=\"rtl\" lang=\"ar\"",
        "class=\"gold\"",
    ] {
        assert!(html.contains(part), "report.html has {part:?}");
    }
    assert_eq!(
        html.matches("class=\"blk ").count() as u64,
        json["blocks"].as_u64().unwrap(),
        "every block is drawn once"
    );
    // The viewer lists the pages worst first, as the table does.
    let first = per_page[0]["id"].as_str().unwrap();
    assert!(html.contains(&format!(
        "id=\"pg0\" data-page=\"{}\"",
        ghirbal::__private::html_escape(first)
    )));
    for external in ["src=", "href=\"http", "@import", "url(", "<link"] {
        assert!(!html.contains(external), "nothing is fetched: {external}");
    }
}

#[test]
fn view_draws_unlabelled_pages_of_any_input() {
    let o = run(&["view", "examples/wire-story.txt"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("class=\"blk ").count(), 28);
    assert!(html.contains("dir=\"rtl\" lang=\"ar\""));
    assert!(!html.contains("class=\"gold\""), "no gold labels to show");
    assert!(!html.contains("id=\"f-miss\""));
    assert!(html.contains("data-page=\"examples/wire-story.txt\""));

    // JSON Lines on standard input, one bad record: drawn, reported, exit 1.
    let input = "{\"id\":\"a\",\"text\":\"عاجل\\nOil prices climb\"}\n{\"id\":\"b\"}\n";
    let o = run(&["view", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let html = stdout(&o);
    assert_eq!(html.matches("class=\"pg\"").count(), 2);
    assert!(html.contains(
        "could not read this record: record has no &quot;text&quot; or &quot;html&quot; field"
    ));
    assert!(stderr(&o).contains("record failed: b"));

    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("v.html");
    let o = run(
        &[
            "view",
            "examples/wire-story.txt",
            "-o",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    assert!(std::fs::read_to_string(out).unwrap().contains("</html>"));
}

#[test]
fn compare_shows_role_deltas_and_pages_that_changed() {
    let d = tempfile::tempdir().unwrap();
    let a = root().join(FIXTURES).join("report.json");
    let b = d.path().join("b.json");
    // B: the embedded model on the same gold pages.
    let o = run(
        &[
            "eval",
            &format!("{FIXTURES}/gold"),
            "--report-json",
            b.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        &[
            "eval",
            "--compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("A: fixture-model@1\nB: default@"));
    for part in [
        "macro-F1 (blocks)",
        "body word-F1",
        "Roles, per block",
        "Roles, per token",
        "Pages better in B",
        "Pages worse in B",
    ] {
        assert!(text.contains(part), "{part:?} in\n{text}");
    }
    let o = run(
        &[
            "eval",
            "--compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    let c: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["same_gold"], true);
    assert_eq!(c["roles_by_token"].as_array().unwrap().len(), 5);
    let pages = c["better"].as_array().unwrap().len()
        + c["worse"].as_array().unwrap().len()
        + c["unchanged"].as_u64().unwrap() as usize;
    assert_eq!(pages, 3);
    // The same report against itself: nothing changed.
    let o = run(
        &[
            "eval",
            "--compare",
            a.to_str().unwrap(),
            a.to_str().unwrap(),
        ],
        b"",
    );
    assert!(stdout(&o).contains("Pages unchanged: 3"));

    // Not a report: a fatal error naming the file.
    let bad = d.path().join("model.json");
    std::fs::copy(root().join("models/default.json"), &bad).unwrap();
    let o = run(
        &[
            "eval",
            "--compare",
            bad.to_str().unwrap(),
            a.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("model.json"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a ghirbal report"),
        "{}",
        stderr(&o)
    );
    // --compare takes exactly two files and no gold pages.
    let o = run(&["eval", "--compare", a.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn predictions_for_missing_pages_are_reported() {
    let d = tempfile::tempdir().unwrap();
    let all = std::fs::read_to_string(root().join(FIXTURES).join("predictions.jsonl")).unwrap();
    let mut one: String = all.lines().next().unwrap().to_string();
    one.push('\n');
    one.push_str("{\"id\":\"stranger\",\"blocks\":[]}\n");
    let p = d.path().join("p.jsonl");
    std::fs::write(&p, one).unwrap();
    let o = run(
        &[
            "eval",
            &format!("{FIXTURES}/gold"),
            "--predictions",
            p.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("no prediction for gold page en-story"),
        "{err}"
    );
    assert!(
        err.contains("prediction stranger matches no gold page"),
        "{err}"
    );
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["pages"], 3);
    assert!(r["segmentation"]["tokens_missed"].as_u64().unwrap() > 100);
    // --model and --predictions exclude each other.
    let o = run(
        &[
            "eval",
            &format!("{FIXTURES}/gold"),
            "--predictions",
            p.to_str().unwrap(),
            "--model",
            "models/default.json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
}
