//! What changed between two reports (`ghirbal eval --compare A.json B.json`):
//! headline and per-role deltas, and the pages that got better or worse, for
//! reviewing a retrained model.

use crate::eval::{Report, RoleScores};
use crate::label::Role;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One figure in both reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub metric: String,
    pub a: f64,
    pub b: f64,
    /// `b - a`.
    pub delta: f64,
}

impl Delta {
    fn new(metric: &str, a: f64, b: f64) -> Delta {
        Delta {
            metric: metric.to_string(),
            a,
            b,
            delta: round(b - a),
        }
    }
}

/// One role's figures in both reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleDelta {
    pub role: Role,
    pub precision: Delta,
    pub recall: Delta,
    pub f1: Delta,
    pub support_a: f64,
    pub support_b: f64,
}

/// A page whose figures changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageDelta {
    pub id: String,
    pub role_accuracy_tokens: Delta,
    pub body_word_f1: Delta,
    pub lang_accuracy_tokens: Delta,
}

/// The differences between report A and report B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub model_a: Option<String>,
    pub model_b: Option<String>,
    /// Whether both reports scored the same gold pages (`null` when unknown).
    pub same_gold: Option<bool>,
    pub summary: Vec<Delta>,
    pub roles_by_block: Vec<RoleDelta>,
    pub roles_by_token: Vec<RoleDelta>,
    /// Pages that got better, most improved first.
    pub better: Vec<PageDelta>,
    /// Pages that got worse, most degraded first.
    pub worse: Vec<PageDelta>,
    pub unchanged: usize,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn role_deltas(a: &RoleScores, b: &RoleScores) -> Vec<RoleDelta> {
    a.roles
        .iter()
        .zip(&b.roles)
        .map(|((r, pa), (_, pb))| RoleDelta {
            role: *r,
            precision: Delta::new("precision", pa.precision, pb.precision),
            recall: Delta::new("recall", pa.recall, pb.recall),
            f1: Delta::new("f1", pa.f1, pb.f1),
            support_a: pa.support,
            support_b: pb.support,
        })
        .collect()
}

/// Compare report `a` (before) with report `b` (after).
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let (sa, sb) = (&a.summary, &b.summary);
    let summary = vec![
        Delta::new("macro-F1 (blocks)", sa.macro_f1_block, sb.macro_f1_block),
        Delta::new("macro-F1 (tokens)", sa.macro_f1_token, sb.macro_f1_token),
        Delta::new("body F1 (blocks)", sa.body_f1_block, sb.body_f1_block),
        Delta::new("body F1 (tokens)", sa.body_f1_token, sb.body_f1_token),
        Delta::new("body word-F1", sa.body_word_f1, sb.body_word_f1),
        Delta::new(
            "role accuracy (blocks)",
            sa.role_accuracy_block,
            sb.role_accuracy_block,
        ),
        Delta::new(
            "role accuracy (tokens)",
            sa.role_accuracy_token,
            sb.role_accuracy_token,
        ),
        Delta::new(
            "language accuracy (blocks)",
            sa.lang_accuracy_block,
            sb.lang_accuracy_block,
        ),
        Delta::new(
            "language accuracy (tokens)",
            sa.lang_accuracy_token,
            sb.lang_accuracy_token,
        ),
    ];
    let in_b: HashMap<&str, _> = b.per_page.iter().map(|p| (p.id.as_str(), p)).collect();
    let in_a: HashMap<&str, _> = a.per_page.iter().map(|p| (p.id.as_str(), p)).collect();
    let (mut better, mut worse) = (Vec::new(), Vec::new());
    let mut unchanged = 0;
    let mut only_in_a = Vec::new();
    for pa in &a.per_page {
        let Some(pb) = in_b.get(pa.id.as_str()) else {
            only_in_a.push(pa.id.clone());
            continue;
        };
        let d = PageDelta {
            id: pa.id.clone(),
            role_accuracy_tokens: Delta::new(
                "role accuracy (tokens)",
                pa.role_accuracy_tokens,
                pb.role_accuracy_tokens,
            ),
            body_word_f1: Delta::new("body word-F1", pa.body_word_f1, pb.body_word_f1),
            lang_accuracy_tokens: Delta::new(
                "language accuracy (tokens)",
                pa.lang_accuracy_tokens,
                pb.lang_accuracy_tokens,
            ),
        };
        // Role accuracy decides; body words, then language, break ties.
        let first_change = [
            d.role_accuracy_tokens.delta,
            d.body_word_f1.delta,
            d.lang_accuracy_tokens.delta,
        ]
        .into_iter()
        .find(|&x| x != 0.0);
        match first_change {
            Some(x) if x > 0.0 => better.push(d),
            Some(_) => worse.push(d),
            None => unchanged += 1,
        }
    }
    let by_change = |x: &PageDelta, y: &PageDelta| {
        y.role_accuracy_tokens
            .delta
            .abs()
            .total_cmp(&x.role_accuracy_tokens.delta.abs())
            .then_with(|| {
                y.body_word_f1
                    .delta
                    .abs()
                    .total_cmp(&x.body_word_f1.delta.abs())
            })
            .then_with(|| {
                y.lang_accuracy_tokens
                    .delta
                    .abs()
                    .total_cmp(&x.lang_accuracy_tokens.delta.abs())
            })
            .then_with(|| x.id.cmp(&y.id))
    };
    better.sort_by(by_change);
    worse.sort_by(by_change);
    let mut only_in_b: Vec<String> = b
        .per_page
        .iter()
        .filter(|p| !in_a.contains_key(p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    only_in_a.sort();
    only_in_b.sort();
    Comparison {
        model_a: a.model.as_ref().map(|m| m.identity.clone()),
        model_b: b.model.as_ref().map(|m| m.identity.clone()),
        same_gold: match (&a.gold_data, &b.gold_data) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
        summary,
        roles_by_block: role_deltas(&a.roles_by_block, &b.roles_by_block),
        roles_by_token: role_deltas(&a.roles_by_token, &b.roles_by_token),
        better,
        worse,
        unchanged,
        only_in_a,
        only_in_b,
    }
}

fn signed(x: f64) -> String {
    if x == 0.0 {
        " 0".to_string()
    } else {
        format!("{x:+.4}")
    }
}

fn write_roles(f: &mut fmt::Formatter<'_>, title: &str, roles: &[RoleDelta]) -> fmt::Result {
    writeln!(f, "\n{title}")?;
    writeln!(
        f,
        "  {:<8} {:>8} {:>8} {:>8}   {:>8} {:>8}   {:>9} {:>9}",
        "role", "F1 A", "F1 B", "ΔF1", "ΔP", "ΔR", "support A", "support B"
    )?;
    for r in roles {
        writeln!(
            f,
            "  {:<8} {:>8.4} {:>8.4} {:>8}   {:>8} {:>8}   {:>9} {:>9}",
            r.role.as_str(),
            r.f1.a,
            r.f1.b,
            signed(r.f1.delta),
            signed(r.precision.delta),
            signed(r.recall.delta),
            r.support_a,
            r.support_b
        )?;
    }
    Ok(())
}

fn write_pages(f: &mut fmt::Formatter<'_>, title: &str, pages: &[PageDelta]) -> fmt::Result {
    writeln!(f, "\n{title}: {}", pages.len())?;
    if !pages.is_empty() {
        writeln!(
            f,
            "  {:>8} {:>8} {:>8}   {:>8} {:>8}   {:>8} {:>8}  page",
            "acc A", "acc B", "Δacc", "words A", "words B", "lang A", "lang B"
        )?;
    }
    for p in pages {
        writeln!(
            f,
            "  {:>8.4} {:>8.4} {:>8}   {:>8.4} {:>8.4}   {:>8.4} {:>8.4}  {}",
            p.role_accuracy_tokens.a,
            p.role_accuracy_tokens.b,
            signed(p.role_accuracy_tokens.delta),
            p.body_word_f1.a,
            p.body_word_f1.b,
            p.lang_accuracy_tokens.a,
            p.lang_accuracy_tokens.b,
            p.id
        )?;
    }
    Ok(())
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |m: &Option<String>| m.clone().unwrap_or_else(|| "unknown model".into());
        writeln!(f, "A: {}\nB: {}", name(&self.model_a), name(&self.model_b))?;
        if self.same_gold == Some(false) {
            writeln!(
                f,
                "warning: the two reports scored different gold pages; figures are not comparable"
            )?;
        }
        writeln!(f, "\n  {:<28} {:>8} {:>8} {:>8}", "figure", "A", "B", "Δ")?;
        for d in &self.summary {
            writeln!(
                f,
                "  {:<28} {:>8.4} {:>8.4} {:>8}",
                d.metric,
                d.a,
                d.b,
                signed(d.delta)
            )?;
        }
        write_roles(f, "Roles, per block", &self.roles_by_block)?;
        write_roles(f, "Roles, per token", &self.roles_by_token)?;
        write_pages(
            f,
            "Pages better in B (by role accuracy per token, then body word-F1, then language accuracy)",
            &self.better,
        )?;
        write_pages(f, "Pages worse in B", &self.worse)?;
        writeln!(f, "\nPages unchanged: {}", self.unchanged)?;
        for (title, ids) in [
            ("Pages only in A", &self.only_in_a),
            ("Pages only in B", &self.only_in_b),
        ] {
            if !ids.is_empty() {
                writeln!(f, "{title}: {}", ids.len())?;
                for id in ids {
                    writeln!(f, "  {id}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{JudgedPage, ModelInfo, TokenTally};

    fn report(pages: &[(&str, u32, u32)], model: &str) -> Report {
        // (id, body tokens right, body tokens called nav)
        let judged: Vec<JudgedPage> = pages
            .iter()
            .map(|&(id, right, wrong)| {
                let mut t = TokenTally::default();
                t.roles[0][0] = right;
                t.roles[0][2] = wrong;
                JudgedPage {
                    id: id.into(),
                    tokens: t,
                    ..JudgedPage::default()
                }
            })
            .collect();
        Report::from_judged(&judged, Some(ModelInfo::named(model)))
    }

    #[test]
    fn pages_that_changed_are_sorted_by_change() {
        let a = report(
            &[("p1", 5, 5), ("p2", 9, 1), ("p3", 10, 0), ("old", 1, 0)],
            "m@1",
        );
        let b = report(
            &[("p1", 9, 1), ("p2", 7, 3), ("p3", 10, 0), ("new", 1, 0)],
            "m@2",
        );
        let c = compare(&a, &b);
        assert_eq!(c.model_b.as_deref(), Some("m@2"));
        assert_eq!(c.better.len(), 1);
        assert_eq!(c.better[0].id, "p1");
        assert_eq!(c.better[0].role_accuracy_tokens.delta, 0.4);
        assert_eq!(c.worse[0].id, "p2");
        assert_eq!(c.unchanged, 1);
        assert_eq!(c.only_in_a, vec!["old".to_string()]);
        assert_eq!(c.only_in_b, vec!["new".to_string()]);
        let text = c.to_string();
        assert!(text.contains("Pages better in B"));
        assert!(text.contains("+0.4000"));
        let body = &c.roles_by_token[0];
        // Body tokens right in A: 5 + 9 + 10 + 1 of 31.
        assert_eq!(body.recall.a, 0.8065);
        assert_eq!(body.recall.delta, 0.0645);
    }
}
