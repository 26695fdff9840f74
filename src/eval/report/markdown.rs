//! `report.md`: the report as Markdown tables, made to be committed and
//! read in a diff.

use super::fig;
use crate::eval::metrics::{self, Confusion};
use crate::eval::{LangScores, Report, RoleScores};
use crate::label::Lang;
use crate::output::plural;
use std::fmt::Write;

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    write_all(&mut s, r).expect("writing to a String cannot fail");
    s
}

/// `|` would end a table cell; line breaks would end the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn write_all(s: &mut String, r: &Report) -> std::fmt::Result {
    writeln!(s, "# ghirbal evaluation report\n")?;
    writeln!(s, "| | |\n|---|---|")?;
    match &r.model {
        Some(m) => {
            writeln!(s, "| model | `{}` |", cell(&m.identity))?;
            if let Some(n) = &m.name {
                writeln!(s, "| name | {} |", cell(n))?;
            }
            if let Some(v) = m.version {
                writeln!(s, "| model format version | {v} |")?;
            }
            if let Some(v) = m.feature_set {
                writeln!(s, "| feature set | {v} |")?;
            }
            if let Some(t) = &m.training_data {
                writeln!(s, "| training data | `{}` |", cell(t))?;
            }
            if let Some(w) = &m.weights {
                writeln!(s, "| model file | `{}` |", cell(w))?;
            }
        }
        None => writeln!(s, "| model | unknown |")?,
    }
    if let Some(g) = &r.gold_data {
        writeln!(s, "| gold data | `{}` |", cell(g))?;
    }

    let m = &r.summary;
    writeln!(s, "\n## Summary\n")?;
    writeln!(
        s,
        "| pages | blocks | tokens | macro-F1 (blocks) | macro-F1 (tokens) | body F1 (blocks) | body F1 (tokens) | body word-F1 | language accuracy (blocks) | language accuracy (tokens) |"
    )?;
    writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        r.pages,
        r.blocks,
        r.tokens,
        fig(m.macro_f1_block),
        fig(m.macro_f1_token),
        fig(m.body_f1_block),
        fig(m.body_f1_token),
        fig(m.body_word_f1),
        fig(m.lang_accuracy_block),
        fig(m.lang_accuracy_token)
    )?;
    let g = &r.segmentation;
    writeln!(
        s,
        "\nPer-block figures count the {} ({}) whose predicted blocks are the gold blocks; \
         per-token figures align the gold tokens to the predicted blocks' tokens on all {} \
         ({} aligned, {} missed, {} extra).",
        plural(g.pages_matching, "page"),
        plural(g.blocks_judged, "block"),
        plural(r.pages, "page"),
        plural(g.tokens_aligned, "token"),
        g.tokens_missed,
        g.tokens_extra
    )?;

    writeln!(s, "\n## Roles\n")?;
    writeln!(
        s,
        "| role | precision (blocks) | recall (blocks) | F1 (blocks) | support (blocks) | precision (tokens) | recall (tokens) | F1 (tokens) | support (tokens) |"
    )?;
    writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    for ((role, b), (_, t)) in r.roles_by_block.roles.iter().zip(&r.roles_by_token.roles) {
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            role,
            fig(b.precision),
            fig(b.recall),
            fig(b.f1),
            b.support,
            fig(t.precision),
            fig(t.recall),
            fig(t.f1),
            t.support
        )?;
    }
    writeln!(
        s,
        "| **macro** | | | **{}** | | | | **{}** | |",
        fig(r.roles_by_block.macro_f1),
        fig(r.roles_by_token.macro_f1)
    )?;
    writeln!(
        s,
        "\nRole accuracy: {} per block, {} per token.",
        fig(r.roles_by_block.accuracy),
        fig(r.roles_by_token.accuracy)
    )?;

    writeln!(s, "\n## Role confusion (rows gold, columns predicted)\n")?;
    writeln!(s, "Per block:\n")?;
    role_confusion(s, &r.roles_by_block)?;
    writeln!(s, "\nPer token:\n")?;
    role_confusion(s, &r.roles_by_token)?;

    writeln!(s, "\n## Language\n")?;
    writeln!(
        s,
        "Accuracy: {} per block, {} per token.\n",
        fig(r.lang_by_block.accuracy),
        fig(r.lang_by_token.accuracy)
    )?;
    writeln!(s, "By block length:\n")?;
    writeln!(
        s,
        "| words | blocks | accuracy | confusions (gold → predicted: blocks) |"
    )?;
    writeln!(s, "|---|---:|---:|---|")?;
    for b in &r.lang_by_length {
        let mut errs: Vec<(f64, String)> = Vec::new();
        for (gi, row) in b.confusion.iter().enumerate() {
            for (pi, &v) in row.iter().enumerate() {
                if gi != pi && v > 0.0 {
                    errs.push((v, format!("{} → {}: {v}", Lang::ALL[gi], Lang::ALL[pi])));
                }
            }
        }
        errs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let errs: Vec<String> = errs.into_iter().map(|e| e.1).collect();
        writeln!(
            s,
            "| {} | {} | {} | {} |",
            if b.words == "0" {
                "0 (no words)"
            } else {
                &b.words
            },
            b.blocks,
            fig(b.accuracy),
            if errs.is_empty() {
                "none".to_string()
            } else {
                errs.join(", ")
            }
        )?;
    }
    writeln!(s, "\nConfusion per block (rows gold, columns predicted):\n")?;
    lang_confusion(s, &r.lang_by_block)?;
    writeln!(s, "\nConfusion per token:\n")?;
    lang_confusion(s, &r.lang_by_token)?;

    let w = &r.body_words;
    writeln!(s, "\n## Body text, word F1 (WCXB style)\n")?;
    writeln!(
        s,
        "The bag of lower-cased `\\w+` tokens of the predicted body text against that of the gold \
         body text, per page, averaged over {}: precision {}, recall {}, **F1 {}**.",
        plural(w.pages, "page"),
        fig(w.precision),
        fig(w.recall),
        fig(w.f1)
    )?;

    writeln!(s, "\n## Calibration\n")?;
    writeln!(
        s,
        "Blocks by predicted role and confidence (the probability of the predicted role); each \
         bin shows the share that was right and, in brackets, its blocks. ECE: expected \
         calibration error.\n"
    )?;
    write!(s, "| predicted | blocks | ECE |")?;
    if let Some(c) = r.calibration.first() {
        for b in &c.bins {
            write!(s, " {:.1}–{:.1} |", b.lower, b.upper)?;
        }
    }
    writeln!(s)?;
    write!(s, "|---|---:|---:|")?;
    if let Some(c) = r.calibration.first() {
        for _ in &c.bins {
            write!(s, "---:|")?;
        }
    }
    writeln!(s)?;
    for c in &r.calibration {
        write!(s, "| {} | {} | {} |", c.role, c.blocks, fig(c.ece))?;
        for b in &c.bins {
            match b.accuracy {
                Some(a) => write!(s, " {a:.2} ({}) |", b.blocks)?,
                None => write!(s, " |")?,
            }
        }
        writeln!(s)?;
    }

    writeln!(s, "\n## Pages, worst first\n")?;
    writeln!(
        s,
        "| # | page | blocks | tokens | role accuracy (tokens) | role accuracy (blocks) | role errors (blocks) | body word-F1 | language accuracy (tokens) |"
    )?;
    writeln!(s, "|---:|---|---:|---:|---:|---:|---:|---:|---:|")?;
    let opt = |x: Option<f64>| x.map(fig).unwrap_or_else(|| "–".into());
    for (i, p) in r.per_page.iter().enumerate() {
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            cell(&p.id),
            p.blocks,
            p.tokens,
            fig(p.role_accuracy_tokens),
            opt(p.role_accuracy),
            p.role_errors
                .map(|e| e.to_string())
                .unwrap_or_else(|| "–".into()),
            fig(p.body_word_f1),
            fig(p.lang_accuracy_tokens)
        )?;
    }
    Ok(())
}

fn role_confusion(s: &mut String, r: &RoleScores) -> std::fmt::Result {
    Confusion {
        names: &metrics::role_names(),
        cells: &r.confusion,
        missed: Some(&r.missed),
        extra: Some(&r.extra),
    }
    .write_markdown(s, true)
}

fn lang_confusion(s: &mut String, r: &LangScores) -> std::fmt::Result {
    Confusion {
        names: &metrics::lang_names(),
        cells: &r.confusion,
        missed: Some(&r.missed),
        extra: None,
    }
    .write_markdown(s, true)
}
