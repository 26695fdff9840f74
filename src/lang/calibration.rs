//! Stage 6 — calibration: the confidence of a decision is the accuracy that
//! decisions of the same path and evidence level had on the dev half of the
//! labelled set (`ghirbal eval-lang --fit-calibration` refits this table:
//! Laplace-smoothed accuracy per cell, made non-decreasing in evidence within
//! a path by pooling adjacent violators).
//!
//! In: a [`Path`] and an [`Evidence`] level. Out: a probability.

use super::{Evidence, Path};

/// `TABLE[path][evidence]`, in [`Path::ALL`] and [`Evidence::ALL`] order.
pub(crate) const TABLE: [[f32; 4]; 9] = [
    [0.99, 0.99, 0.99, 0.99],
    [0.95, 0.95, 0.95, 0.95],
    [0.9, 0.93, 0.96, 0.99],
    [0.8, 0.85, 0.9, 0.97],
    [0.85, 0.85, 0.93, 0.99],
    [0.7, 0.75, 0.85, 0.97],
    [0.8, 0.8, 0.85, 0.95],
    [0.95, 0.95, 0.97, 0.99],
    [0.6, 0.6, 0.6, 0.6],
];

/// The calibrated confidence of a decision.
pub(crate) fn confidence(path: Path, evidence: Evidence) -> f32 {
    TABLE[path as usize][evidence as usize]
}
