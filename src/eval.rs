//! Evaluation: how well predicted labels match gold labels.
//!
//! In: labelled pages and a model (or already predicted labels). Out: a
//! [`Report`]: per-role precision, recall, F1 and support, per block and
//! weighted by tokens; macro-F1; role confusion matrices; language accuracy
//! and confusions; per-page figures, worst first. Printable as text, and
//! serialisable as JSON for machines.

use crate::corpus::LabelledPage;
use crate::label::{Lang, Role};
use crate::{BlockLabel, Classifier, Model};
use serde::Serialize;
use std::fmt;

/// Gold and predicted labels of one block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    pub gold_role: Role,
    pub pred_role: Role,
    pub gold_lang: Lang,
    pub pred_lang: Lang,
    /// `\w+` tokens in the block (the token weight).
    pub tokens: usize,
}

/// Judged blocks of one page.
#[derive(Debug, Clone)]
pub struct JudgedPage {
    pub id: String,
    pub blocks: Vec<Judged>,
}

/// Number of `\w+` tokens of a text (Unicode alphanumerics and `_`).
pub fn count_tokens(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        let w = c.is_alphanumeric() || c == '_' || crate::lang::script(c) == crate::lang::Script::ArabicJoiner;
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// Judge a page's predicted labels against its gold labels.
pub fn judge(page: &LabelledPage, labels: &[BlockLabel]) -> JudgedPage {
    let blocks = page
        .page
        .iter()
        .zip(labels)
        .zip(page.roles.iter().zip(&page.langs))
        .map(|(((_, text), l), (&gr, &gl))| Judged {
            gold_role: gr,
            pred_role: l.role,
            gold_lang: gl,
            pred_lang: l.lang.lang,
            tokens: count_tokens(text),
        })
        .collect();
    JudgedPage {
        id: page.page.id.clone(),
        blocks,
    }
}

/// Classify and judge every page.
pub fn evaluate(model: &Model, pages: &[LabelledPage]) -> Report {
    let mut c = Classifier::new(model);
    let judged: Vec<JudgedPage> = pages
        .iter()
        .map(|p| judge(p, &c.classify(&p.page)))
        .collect();
    Report::new(&judged, Some(model))
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: f64,
}

/// Per-role figures, a confusion matrix and macro-F1, under one weighting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleScores {
    pub roles: Vec<(Role, Prf)>,
    pub macro_f1: f64,
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, in role order.
    pub confusion: Vec<Vec<f64>>,
}

/// Language accuracy and confusion under one weighting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangScores {
    pub accuracy: f64,
    /// `confusion[gold][predicted]`, in language order.
    pub confusion: Vec<Vec<f64>>,
}

/// One page's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageScore {
    pub id: String,
    pub blocks: usize,
    pub role_accuracy: f64,
    pub role_accuracy_tokens: f64,
    pub lang_accuracy: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub training_data: Option<String>,
    pub pages: usize,
    pub blocks: usize,
    pub tokens: usize,
    pub roles_by_block: RoleScores,
    pub roles_by_token: RoleScores,
    pub lang_by_block: LangScores,
    pub lang_by_token: LangScores,
    /// Pages, worst role accuracy (by tokens) first.
    pub per_page: Vec<PageScore>,
}

fn role_scores(blocks: &[&Judged], weight: impl Fn(&Judged) -> f64) -> RoleScores {
    let mut conf = vec![vec![0.0f64; Role::COUNT]; Role::COUNT];
    for b in blocks {
        conf[b.gold_role.index()][b.pred_role.index()] += weight(b);
    }
    let total: f64 = conf.iter().flatten().sum();
    let correct: f64 = (0..Role::COUNT).map(|i| conf[i][i]).sum();
    let mut roles = Vec::new();
    let mut f1s = Vec::new();
    for r in Role::ALL {
        let i = r.index();
        let tp = conf[i][i];
        let gold: f64 = conf[i].iter().sum();
        let pred: f64 = conf.iter().map(|row| row[i]).sum();
        let precision = if pred > 0.0 { tp / pred } else { 0.0 };
        let recall = if gold > 0.0 { tp / gold } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        if gold > 0.0 {
            f1s.push(f1);
        }
        roles.push((
            *r,
            Prf {
                precision,
                recall,
                f1,
                support: gold,
            },
        ));
    }
    RoleScores {
        roles,
        macro_f1: if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f64>() / f1s.len() as f64
        },
        accuracy: if total > 0.0 { correct / total } else { 0.0 },
        confusion: conf,
    }
}

fn lang_scores(blocks: &[&Judged], weight: impl Fn(&Judged) -> f64) -> LangScores {
    let mut conf = vec![vec![0.0f64; Lang::COUNT]; Lang::COUNT];
    for b in blocks {
        conf[b.gold_lang.index()][b.pred_lang.index()] += weight(b);
    }
    let total: f64 = conf.iter().flatten().sum();
    let correct: f64 = (0..Lang::COUNT).map(|i| conf[i][i]).sum();
    LangScores {
        accuracy: if total > 0.0 { correct / total } else { 0.0 },
        confusion: conf,
    }
}

impl Report {
    /// Figures of judged pages (pooled over all blocks).
    pub fn new(pages: &[JudgedPage], model: Option<&Model>) -> Report {
        let all: Vec<&Judged> = pages.iter().flat_map(|p| &p.blocks).collect();
        let tokens = |b: &Judged| b.tokens as f64;
        let mut per_page: Vec<PageScore> = pages
            .iter()
            .map(|p| {
                let bs: Vec<&Judged> = p.blocks.iter().collect();
                let n = bs.len().max(1) as f64;
                let tok: f64 = bs.iter().map(|b| b.tokens as f64).sum();
                PageScore {
                    id: p.id.clone(),
                    blocks: bs.len(),
                    role_accuracy: bs.iter().filter(|b| b.gold_role == b.pred_role).count() as f64 / n,
                    role_accuracy_tokens: if tok > 0.0 {
                        bs.iter()
                            .filter(|b| b.gold_role == b.pred_role)
                            .map(|b| b.tokens as f64)
                            .sum::<f64>()
                            / tok
                    } else {
                        1.0
                    },
                    lang_accuracy: bs.iter().filter(|b| b.gold_lang == b.pred_lang).count() as f64 / n,
                }
            })
            .collect();
        per_page.sort_by(|a, b| {
            a.role_accuracy_tokens
                .total_cmp(&b.role_accuracy_tokens)
                .then_with(|| a.id.cmp(&b.id))
        });
        Report {
            model: model.map(Model::identity),
            training_data: model.map(|m| m.training.data_fingerprint.clone()),
            pages: pages.len(),
            blocks: all.len(),
            tokens: all.iter().map(|b| b.tokens).sum(),
            roles_by_block: role_scores(&all, |_| 1.0),
            roles_by_token: role_scores(&all, tokens),
            lang_by_block: lang_scores(&all, |_| 1.0),
            lang_by_token: lang_scores(&all, tokens),
            per_page,
        }
    }
}

fn write_roles(f: &mut fmt::Formatter<'_>, title: &str, s: &RoleScores) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "  {:<8} {:>9} {:>9} {:>9} {:>10}",
        "role", "precision", "recall", "f1", "support"
    )?;
    for (r, p) in &s.roles {
        writeln!(
            f,
            "  {:<8} {:>9.4} {:>9.4} {:>9.4} {:>10.0}",
            r.as_str(),
            p.precision,
            p.recall,
            p.f1,
            p.support
        )?;
    }
    writeln!(f, "  macro-F1 {:.4}   accuracy {:.4}", s.macro_f1, s.accuracy)?;
    write!(f, "  confusion (rows gold, columns predicted):\n  {:<8}", "")?;
    for r in Role::ALL {
        write!(f, " {:>8}", r.as_str())?;
    }
    writeln!(f)?;
    for (i, row) in s.confusion.iter().enumerate() {
        write!(f, "  {:<8}", Role::ALL[i].as_str())?;
        for v in row {
            write!(f, " {v:>8.0}")?;
        }
        writeln!(f)?;
    }
    Ok(())
}

fn write_langs(f: &mut fmt::Formatter<'_>, title: &str, s: &LangScores) -> fmt::Result {
    writeln!(f, "{title}: accuracy {:.4}", s.accuracy)?;
    write!(f, "  {:<8}", "")?;
    for l in Lang::ALL {
        write!(f, " {:>8}", l.as_str())?;
    }
    writeln!(f)?;
    for (i, row) in s.confusion.iter().enumerate() {
        write!(f, "  {:<8}", Lang::ALL[i].as_str())?;
        for v in row {
            write!(f, " {v:>8.0}")?;
        }
        writeln!(f)?;
    }
    Ok(())
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.model {
            writeln!(f, "model {m}")?;
        }
        writeln!(
            f,
            "{} pages, {} blocks, {} tokens\n",
            self.pages, self.blocks, self.tokens
        )?;
        write_roles(f, "Roles, per block", &self.roles_by_block)?;
        writeln!(f)?;
        write_roles(f, "Roles, weighted by tokens", &self.roles_by_token)?;
        writeln!(f)?;
        write_langs(f, "Language, per block", &self.lang_by_block)?;
        writeln!(f)?;
        write_langs(f, "Language, weighted by tokens", &self.lang_by_token)?;
        writeln!(f, "\nWorst pages (role accuracy by tokens):")?;
        for p in self.per_page.iter().take(10) {
            writeln!(
                f,
                "  {:.3}  {:.3} lang  {:>4} blocks  {}",
                p.role_accuracy_tokens, p.lang_accuracy, p.blocks, p.id
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(g: Role, p: Role, tokens: usize) -> Judged {
        Judged {
            gold_role: g,
            pred_role: p,
            gold_lang: Lang::En,
            pred_lang: Lang::En,
            tokens,
        }
    }

    #[test]
    fn figures_by_block_and_by_token() {
        let page = JudgedPage {
            id: "p".into(),
            blocks: vec![
                j(Role::Body, Role::Body, 30),
                j(Role::Body, Role::Nav, 10),
                j(Role::Nav, Role::Nav, 2),
                j(Role::Ad, Role::Ad, 1),
            ],
        };
        let r = Report::new(&[page], None);
        let body = r.roles_by_block.roles[0].1;
        assert_eq!(body.precision, 1.0);
        assert_eq!(body.recall, 0.5);
        let body_t = r.roles_by_token.roles[0].1;
        assert!((body_t.recall - 0.75).abs() < 1e-12);
        assert_eq!(r.roles_by_block.confusion[0][2], 1.0);
        // Three roles present: body, nav, ad.
        let nav_f1 = 2.0 * 0.5 * 1.0 / 1.5;
        let body_f1 = 2.0 * 1.0 * 0.5 / 1.5;
        assert!((r.roles_by_block.macro_f1 - (nav_f1 + body_f1 + 1.0) / 3.0).abs() < 1e-12);
        assert_eq!(r.tokens, 43);
    }

    #[test]
    fn tokens_are_word_runs() {
        assert_eq!(count_tokens("Oil prices, 2025!"), 3);
        assert_eq!(count_tokens("الأخبارُ العاجلة"), 2);
        assert_eq!(count_tokens("— | —"), 0);
    }
}
