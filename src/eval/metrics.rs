//! The measures every evaluation shares: precision, recall and F1 from
//! counts, the bag-of-words F1 of two texts, and confusion matrices rendered
//! as text or Markdown tables.
//!
//! In: counts (true positives, predicted and gold weight), token streams,
//! matrices `cells[gold][predicted]`. Out: [`Prf`]s, [`WordOverlap`]s, table
//! text.
//!
//! **Two word rules**, on purpose, both feeding [`word_overlap`]:
//! - the evaluation's own tokens ([`super::words`]: runs of Unicode
//!   alphanumerics, `_` and the Arabic-script marks of
//!   [`crate::lang::script`], lower-cased as whole words) count tokens,
//!   align predicted blocks with gold ones and give the report's body
//!   word-F1, so that every figure of `ghirbal eval` counts the same tokens;
//! - WCXB's rule ([`super::wcxb::words`]: lower-cased `\w+` tokens, the
//!   combining marks the benchmark's Python regex keeps, lower-cased
//!   character by character) is the benchmark's metric, used by
//!   `wcxb-eval`, `wcxb-convert` and [`super::wcxb::word_f1`], so that its
//!   figures compare with the ones published for other extractors.

use crate::label::{Lang, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::{self, Write};
use std::hash::Hash;

/// Precision, recall, F1 and support (gold weight) of one class, or of one
/// bag of words against another.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: f64,
}

impl Prf {
    /// The figures of `hits` right out of `predicted` weight, against `gold`
    /// weight; a ratio with nothing to divide by is 0.
    pub fn of(hits: f64, predicted: f64, gold: f64) -> Prf {
        let precision = ratio(hits, predicted);
        let recall = ratio(hits, gold);
        Prf {
            precision,
            recall,
            f1: f1(precision, recall),
            support: gold,
        }
    }
}

/// `a / b`, or 0 when `b` is not positive.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// The harmonic mean of precision and recall, 0 when both are.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// Bag-of-words overlap of a predicted text and a gold one.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WordOverlap {
    /// Tokens in both bags (multiset intersection).
    pub common: u32,
    pub predicted: u32,
    pub gold: u32,
}

impl WordOverlap {
    /// Precision, recall and F1 (support: the gold tokens); both bags empty
    /// is a perfect score.
    pub fn prf(&self) -> Prf {
        if self.predicted == 0 && self.gold == 0 {
            return Prf {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0,
                support: 0.0,
            };
        }
        Prf::of(self.common as f64, self.predicted as f64, self.gold as f64)
    }
}

/// The overlap of two bags of tokens, already normalised by one of the word
/// rules (see the module's documentation).
pub fn word_overlap<T: Eq + Hash>(
    gold: impl IntoIterator<Item = T>,
    predicted: impl IntoIterator<Item = T>,
) -> WordOverlap {
    let mut bag: HashMap<T, u32> = HashMap::new();
    let mut o = WordOverlap::default();
    for w in gold {
        *bag.entry(w).or_default() += 1;
        o.gold += 1;
    }
    for w in predicted {
        o.predicted += 1;
        if let Some(n) = bag.get_mut(&w) {
            if *n > 0 {
                *n -= 1;
                o.common += 1;
            }
        }
    }
    o
}

/// The roles' names in [`Role::ALL`] order: a role table's rows and columns.
pub fn role_names() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

/// The languages' names in [`Lang::ALL`] order.
pub fn lang_names() -> Vec<&'static str> {
    Lang::ALL.iter().map(|l| l.as_str()).collect()
}

/// A confusion matrix with the names of its classes, to render.
pub struct Confusion<'a> {
    /// Class names, in row and column order.
    pub names: &'a [&'a str],
    /// `cells[gold][predicted]`.
    pub cells: &'a [Vec<f64>],
    /// Gold weight without a predicted counterpart, by gold class: a
    /// `missed` column when any is positive.
    pub missed: Option<&'a [f64]>,
    /// Predicted weight without a gold counterpart, by predicted class: an
    /// `extra` row (and the `missed` column) when any is positive.
    pub extra: Option<&'a [f64]>,
}

impl Confusion<'_> {
    /// Whether some weight is unaligned (the table then has `missed` and
    /// `extra`).
    fn unaligned(&self) -> bool {
        self.missed
            .into_iter()
            .chain(self.extra)
            .flatten()
            .any(|&v| v > 0.0)
    }

    /// The matrix as aligned text columns, every line indented by two spaces.
    pub fn write_text(&self, f: &mut impl Write) -> fmt::Result {
        let unaligned = self.unaligned();
        write!(f, "  {:<8}", "")?;
        for n in self.names {
            write!(f, " {n:>8}")?;
        }
        if unaligned {
            write!(f, " {:>8}", "missed")?;
        }
        writeln!(f)?;
        for (i, row) in self.cells.iter().enumerate() {
            write!(f, "  {:<8}", self.names[i])?;
            for v in row {
                write!(f, " {v:>8.0}")?;
            }
            if let Some(m) = self.missed.filter(|_| unaligned) {
                write!(f, " {:>8.0}", m[i])?;
            }
            writeln!(f)?;
        }
        if let Some(e) = self.extra.filter(|_| unaligned) {
            write!(f, "  {:<8}", "extra")?;
            for v in e {
                write!(f, " {v:>8.0}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }

    /// The matrix as a Markdown table; with `bold`, the gold names and the
    /// diagonal (the right answers) in bold.
    pub fn write_markdown(&self, s: &mut impl Write, bold: bool) -> fmt::Result {
        let unaligned = self.unaligned();
        write!(s, "| gold \\ predicted |")?;
        for n in self.names {
            write!(s, " {n} |")?;
        }
        if unaligned {
            write!(s, " missed |")?;
        }
        writeln!(s)?;
        write!(s, "|---|")?;
        for _ in 0..self.names.len() + usize::from(unaligned) {
            write!(s, "---:|")?;
        }
        writeln!(s)?;
        for (i, row) in self.cells.iter().enumerate() {
            if bold {
                write!(s, "| **{}** |", self.names[i])?;
            } else {
                write!(s, "| {} |", self.names[i])?;
            }
            for (j, v) in row.iter().enumerate() {
                if bold && i == j {
                    write!(s, " **{v}** |")?;
                } else {
                    write!(s, " {v} |")?;
                }
            }
            if let Some(m) = self.missed.filter(|_| unaligned) {
                write!(s, " {} |", m[i])?;
            }
            writeln!(s)?;
        }
        if let Some(e) = self.extra.filter(|_| unaligned) {
            write!(s, "| *extra* |")?;
            for v in e {
                write!(s, " {v} |")?;
            }
            writeln!(s, " |")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_from_counts() {
        let p = Prf::of(8.0, 11.0, 8.0);
        assert_eq!((p.precision, p.recall, p.support), (8.0 / 11.0, 1.0, 8.0));
        assert_eq!(p.f1, 2.0 * (8.0 / 11.0) / (8.0 / 11.0 + 1.0));
        assert_eq!(
            Prf::of(0.0, 0.0, 3.0),
            Prf {
                support: 3.0,
                ..Prf::default()
            }
        );
    }

    #[test]
    fn bags_count_repeated_words_once_each() {
        let o = word_overlap(["the", "cat", "the", "mat"], ["the", "the", "the", "cat"]);
        assert_eq!(
            o,
            WordOverlap {
                common: 3,
                predicted: 4,
                gold: 4
            }
        );
        assert_eq!(word_overlap::<&str>([], []).prf().f1, 1.0);
        assert_eq!(word_overlap([], ["x"]).prf(), Prf::default());
        assert_eq!(word_overlap(["x"], []).prf().f1, 0.0);
    }

    #[test]
    fn tables_show_unaligned_weight_only_when_there_is_some() {
        let cells = vec![vec![3.0, 1.0], vec![0.0, 2.0]];
        let t = Confusion {
            names: &["a", "b"],
            cells: &cells,
            missed: Some(&[0.0, 4.0]),
            extra: Some(&[5.0, 0.0]),
        };
        let mut s = String::new();
        t.write_markdown(&mut s, true).unwrap();
        assert_eq!(
            s,
            "| gold \\ predicted | a | b | missed |\n|---|---:|---:|---:|\n\
             | **a** | **3** | 1 | 0 |\n| **b** | 0 | **2** | 4 |\n| *extra* | 5 | 0 | |\n"
        );
        let mut s = String::new();
        Confusion {
            missed: Some(&[0.0, 0.0]),
            extra: None,
            ..t
        }
        .write_text(&mut s)
        .unwrap();
        assert_eq!(
            s,
            "                  a        b\n  a               3        1\n  b               0        2\n"
        );
    }
}
