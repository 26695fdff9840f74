//! Stage 6 — calibration: the confidence of a decision is the accuracy that
//! decisions of the same path and evidence level had on the dev half of the
//! labelled set. `ghirbal eval-lang --fit-calibration` prints this table
//! (see `eval::fit_calibration` for the method); a test fails when it is
//! not the fit of the current rules.
//!
//! In: a [`Path`] and an [`Evidence`] level. Out: a probability.

use super::{Evidence, Path};

/// `TABLE[path][evidence]`, in [`Path::ALL`] and [`Evidence::ALL`] order.
#[rustfmt::skip]
pub(crate) const TABLE: [[f32; 4]; 9] = [
    [0.9899, 0.9899, 0.9899, 0.9899], // no-words
    [0.9722, 0.9722, 0.9722, 0.9722], // foreign-script
    [0.9836, 0.9836, 0.9836, 0.995], // arabic
    [0.9932, 0.9932, 0.9932, 0.9932], // arabic-script-other
    [0.9798, 0.9798, 0.9798, 0.9932], // english
    [0.9936, 0.9936, 0.9936, 0.9936], // latin-other
    [0.9714, 0.9714, 0.9714, 0.9714], // arabizi
    [0.9778, 0.9778, 0.9778, 0.9909], // mixed
    [0.5, 0.5, 0.5, 0.5], // majority
];

/// The calibrated confidence of a decision.
pub(crate) fn confidence(path: Path, evidence: Evidence) -> f32 {
    TABLE[path as usize][evidence as usize]
}
