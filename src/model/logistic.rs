//! Multinomial logistic regression on sparse rows: the fitting half of the
//! model stage.
//!
//! In: a [`Sample`] (rows of a sparse feature matrix, (column, value)
//! entries, with a class and a weight each), the number of columns, the L2
//! weight `alpha` and an iteration budget.
//! Out: a dense weight matrix (column-major by class: `w[c * K + k]`) and one
//! intercept per class.
//!
//! The objective and the solver are `linfa-logistic`'s
//! (`MultiLogisticRegression`): minimise
//! `-Σ log softmax(x·W + b)[y] + α/2 · ‖W‖²` (the intercept is not
//! penalised) with argmin's L-BFGS (memory 10, Moré–Thuente line search,
//! gradient tolerance 1e-3), starting from zero (or a given start) and keeping the best
//! parameters seen. What differs is the data: `linfa-logistic` takes a dense
//! `ndarray` matrix, so every evaluation costs rows × columns × classes
//! (≈ 8,400 columns here, nearly all zero); here a row costs only its non-zero
//! entries (≈ 100–200), which makes training some 40× cheaper. A test checks
//! that both reach the same optimum on the same data.
//!
//! Each evaluation runs over fixed chunks of rows on the worker threads and
//! adds the chunks' sums in chunk order: the same rows give the same weights
//! to the last bit, whatever the number of threads.
//!
//! Several fits share one matrix: a sample names the rows it learns from
//! (the stacking folds' pages, then all of them, for pass one), and a
//! row's entries are added in the same order as in a matrix of the
//! sample's rows alone, so the fit is the same to the bit.

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use rayon::prelude::*;
use std::sync::Mutex;

/// Feature rows in compressed sparse row form, the zero entries left out.
#[derive(Debug, Clone)]
pub struct SparseRows {
    /// Row `r`'s entries are `cols[starts[r]..starts[r + 1]]`.
    starts: Vec<usize>,
    cols: Cols,
    vals: Vec<f32>,
}

/// Column numbers: 16 bits each while every column fits in 16 bits (the
/// default features have about 33,000 columns), which leaves a fifth less
/// to read per entry and makes an evaluation about 10 % faster; else 32.
#[derive(Debug, Clone)]
enum Cols {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Default for SparseRows {
    fn default() -> SparseRows {
        SparseRows::new()
    }
}

impl SparseRows {
    pub fn new() -> SparseRows {
        SparseRows::with_capacity(0, 0)
    }

    /// Room for `rows` rows of `entries` entries in all.
    pub fn with_capacity(rows: usize, entries: usize) -> SparseRows {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        SparseRows {
            starts,
            cols: Cols::Narrow(Vec::with_capacity(entries)),
            vals: Vec::with_capacity(entries),
        }
    }

    /// Append a row: its entries (a column may repeat: values add).
    pub fn push(&mut self, entries: impl IntoIterator<Item = (u32, f32)>) {
        for (c, v) in entries {
            if v != 0.0 {
                match &mut self.cols {
                    Cols::Narrow(cols) => match u16::try_from(c) {
                        Ok(c) => cols.push(c),
                        Err(_) => {
                            let mut wide = Vec::with_capacity(cols.capacity());
                            wide.extend(cols.iter().map(|&c| u32::from(c)));
                            wide.push(c);
                            self.cols = Cols::Wide(wide);
                        }
                    },
                    Cols::Wide(cols) => cols.push(c),
                }
                self.vals.push(v);
            }
        }
        self.starts.push(self.vals.len());
    }

    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The entries of row `r`.
    fn entries(&self, r: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let (a, b) = (self.starts[r], self.starts[r + 1]);
        let (narrow, wide) = match &self.cols {
            Cols::Narrow(c) => (&c[a..b], &[][..]),
            Cols::Wide(c) => (&[][..], &c[a..b]),
        };
        let cols = narrow
            .iter()
            .map(|&c| u32::from(c))
            .chain(wide.iter().copied());
        cols.zip(self.vals[a..b].iter().copied())
    }

    /// The largest column number, if any.
    fn max_col(&self) -> Option<u32> {
        match &self.cols {
            Cols::Narrow(c) => c.iter().max().map(|&c| u32::from(c)),
            Cols::Wide(c) => c.iter().max().copied(),
        }
    }
}

/// A column number as stored ([`Cols`]).
trait Col: Copy {
    fn index(self) -> usize;
}

impl Col for u16 {
    #[inline(always)]
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Col for u32 {
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
}

/// The rows one fit learns from: rows of a [`SparseRows`] picked by index,
/// with a class and a weight in the loss each.
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    rows: &'a SparseRows,
    picked: Vec<u32>,
    classes: Vec<u8>,
    weights: Vec<f32>,
}

impl<'a> Sample<'a> {
    /// An empty sample of `rows`' rows.
    pub fn new(rows: &'a SparseRows) -> Sample<'a> {
        Sample {
            rows,
            picked: Vec::new(),
            classes: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Learn from row `r` of the matrix, of class `class`, counting
    /// `weight` times in the loss (a weight of 1 gives the same fit, to the
    /// bit, as an unweighted row).
    pub fn push(&mut self, r: usize, class: usize, weight: f32) {
        assert!(r < self.rows.len(), "row {r} of {}", self.rows.len());
        self.picked
            .push(u32::try_from(r).expect("fewer than 2^32 rows"));
        self.classes.push(class as u8);
        self.weights.push(weight);
    }

    pub fn len(&self) -> usize {
        self.picked.len()
    }

    /// The entries of the sample's `i`-th row.
    fn entries(&self, i: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.rows.entries(self.picked[i] as usize)
    }
}

/// A fitted layer: `weights[c * classes + k]`, `intercept[k]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub weights: Vec<f32>,
    pub intercept: Vec<f32>,
    /// Solver iterations run.
    pub iterations: u64,
}

/// Why fitting failed.
#[derive(Debug)]
pub struct FitError(pub String);

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fit `classes` classes over `n_features` columns, starting from zero.
#[cfg(test)]
pub fn fit(
    rows: &Sample,
    n_features: usize,
    classes: usize,
    alpha: f32,
    max_iterations: u64,
) -> Result<Fitted, FitError> {
    fit_from(rows, n_features, classes, alpha, max_iterations, None)
}

/// [`fit`], starting from `init` (the weights, then the intercepts, as
/// [`Fitted`] holds them) when given: the objective is strictly convex, so
/// a start near the optimum changes where the solver stops (within its
/// tolerance), not the optimum, and takes fewer iterations.
pub fn fit_from(
    rows: &Sample,
    n_features: usize,
    classes: usize,
    alpha: f32,
    max_iterations: u64,
    init: Option<&[f32]>,
) -> Result<Fitted, FitError> {
    if let Some(c) = rows.rows.max_col().filter(|&c| c as usize >= n_features) {
        return Err(FitError(format!(
            "feature column {c} beyond {}",
            crate::output::plural(n_features, "column")
        )));
    }
    if rows.rows.vals.iter().any(|v| !v.is_finite()) {
        return Err(FitError("non-finite feature value".into()));
    }
    if rows.weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return Err(FitError("row weight not a finite number >= 0".into()));
    }
    if let Some(&k) = rows.classes.iter().find(|&&k| k as usize >= classes) {
        return Err(FitError(format!("class {k} beyond {classes} classes")));
    }
    let problem = Problem {
        rows,
        n_features,
        classes,
        alpha,
        chunk_rows: CHUNK_ROWS,
        last: Mutex::new(None),
        scratch: Mutex::new(Scratch::default()),
    };
    let size = (n_features + 1) * classes;
    let init = match init {
        Some(w) if w.len() != size => {
            return Err(FitError(format!(
                "start of {} values for {size} parameters",
                w.len()
            )))
        }
        Some(w) if w.iter().any(|v| !v.is_finite()) => {
            return Err(FitError("non-finite start value".into()))
        }
        Some(w) => Array1::from(w.to_vec()),
        None => Array1::<f32>::zeros(size),
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-3)
        .map_err(|e| FitError(e.to_string()))?;
    let result = Executor::new(problem, solver)
        .configure(|s| s.param(init.clone()).max_iters(max_iterations))
        .run()
        .map_err(|e| FitError(e.to_string()))?;
    let iterations = result.state().get_iter();
    let best = result.state.best_param.unwrap_or(init);
    let w = best.to_vec();
    let split = n_features * classes;
    Ok(Fitted {
        weights: w[..split].to_vec(),
        intercept: w[split..].to_vec(),
        iterations,
    })
}

/// A point, its cost and its gradient.
type Evaluated = (Array1<f32>, f32, Array1<f32>);

struct Problem<'a> {
    rows: &'a Sample<'a>,
    n_features: usize,
    classes: usize,
    alpha: f32,
    /// Rows per unit of parallel work ([`CHUNK_ROWS`]; smaller in tests).
    chunk_rows: usize,
    /// The line search asks for the cost and then the gradient at the same
    /// point: both come from one pass over the rows, kept here.
    last: Mutex<Option<Evaluated>>,
    /// Buffers reused by every evaluation.
    scratch: Mutex<Scratch>,
}

/// The padded weights, the padded gradient and one padded gradient per
/// worker thread, kept from one evaluation to the next instead of allocated
/// and zeroed afresh (each is about 1 MB; on `scripts/bench-train.sh 3000`
/// this saved about 12 % of the CPU time).
#[derive(Default)]
struct Scratch {
    wp: Vec<[f32; LANES]>,
    total: Vec<[f32; LANES]>,
    chunks: Vec<Vec<[f32; LANES]>>,
}

impl Problem<'_> {
    fn evaluate(&self, w: &Array1<f32>) -> (f32, Array1<f32>) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, cost, grad)) = last.as_ref() {
            if p == w {
                return (*cost, grad.clone());
            }
        }
        let (cost, grad) = self.cost_and_gradient(w.as_slice().expect("contiguous"));
        let grad = Array1::from(grad);
        *last = Some((w.clone(), cost, grad.clone()));
        (cost, grad)
    }

    fn cost_and_gradient(&self, w: &[f32]) -> (f32, Vec<f32>) {
        let k = self.classes;
        if k > LANES {
            return self.cost_and_gradient_any(w);
        }
        let split = self.n_features * k;
        let (weights, intercept) = w.split_at(split);
        // Weights padded to LANES per column: the compiler turns the row
        // loops into vector instructions. Sums run in the same order as
        // unpadded ones, so the results are the same.
        let mut scratch = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        let Scratch { wp, total, chunks } = &mut *scratch;
        wp.clear();
        wp.resize(self.n_features, [0.0f32; LANES]);
        for (p, w) in wp.iter_mut().zip(weights.chunks_exact(k)) {
            p[..k].copy_from_slice(w);
        }
        let wp = &wp[..];
        let mut b = [0.0f32; LANES];
        b[..k].copy_from_slice(intercept);
        // Rows in fixed chunks, on all worker threads; the chunks' sums are
        // added in chunk order, so the result does not depend on the number
        // of threads. The chunks go in waves of one per thread, each wave's
        // sums added to the total before the next: a few buffers that stay
        // in cache rather than one per chunk (on 10,000 pages, 26 MB
        // written and read again per evaluation).
        let n = self.rows.len();
        let n_chunks = n.div_ceil(self.chunk_rows).max(1);
        let width = rayon::current_num_threads().clamp(1, n_chunks);
        chunks.resize_with(width, Vec::new);
        total.clear();
        total.resize(self.n_features, [0.0f32; LANES]);
        let (mut loss, mut gb) = (0.0f64, [0.0f32; LANES]);
        for wave in (0..n_chunks).step_by(width) {
            let parts: Vec<(f64, [f32; LANES])> = chunks[..width.min(n_chunks - wave)]
                .par_iter_mut()
                .enumerate()
                .map(|(j, gp)| {
                    let i = wave + j;
                    gp.clear();
                    gp.resize(self.n_features, [0.0f32; LANES]);
                    let rows = (i * self.chunk_rows).min(n)..((i + 1) * self.chunk_rows).min(n);
                    let mut gb = [0.0f32; LANES];
                    let loss = padded_pass(self.rows, rows, wp, &b, k, gp, &mut gb);
                    (loss, gb)
                })
                .collect();
            for (j, ((l, b), g)) in parts.iter().zip(chunks.iter()).enumerate() {
                if wave + j == 0 {
                    // The first chunk's sums are the total's start, as they
                    // are (not 0 + them, which could differ in a zero's sign).
                    (loss, gb) = (*l, *b);
                    total.copy_from_slice(g);
                    continue;
                }
                loss += l;
                for (acc, x) in total.iter_mut().zip(g) {
                    for j in 0..LANES {
                        acc[j] += x[j];
                    }
                }
                for j in 0..LANES {
                    gb[j] += b[j];
                }
            }
        }
        let gp = &total[..];
        let mut grad = Vec::with_capacity(w.len());
        for g in gp.iter() {
            grad.extend_from_slice(&g[..k]);
        }
        grad.extend_from_slice(&gb[..k]);
        (self.regularise(weights, &mut grad, loss), grad)
    }

    /// The same for more classes than [`LANES`], unpadded.
    fn cost_and_gradient_any(&self, w: &[f32]) -> (f32, Vec<f32>) {
        let k = self.classes;
        let split = self.n_features * k;
        let (weights, intercept) = w.split_at(split);
        let mut grad = vec![0.0f32; w.len()];
        let mut loss = 0.0f64;
        let mut s = vec![0.0f32; k];
        for r in 0..self.rows.len() {
            s.copy_from_slice(intercept);
            for (c, v) in self.rows.entries(r) {
                let base = c as usize * k;
                for (sk, wk) in s.iter_mut().zip(&weights[base..base + k]) {
                    *sk += wk * v;
                }
            }
            let y = self.rows.classes[r] as usize;
            let wr = self.rows.weights[r];
            loss += f64::from(wr) * softmax_minus_onehot(&mut s, k, y);
            for sk in s.iter_mut() {
                *sk *= wr;
            }
            for (c, v) in self.rows.entries(r) {
                let base = c as usize * k;
                for (g, sk) in grad[base..base + k].iter_mut().zip(&s) {
                    *g += sk * v;
                }
            }
            for (g, sk) in grad[split..].iter_mut().zip(&s) {
                *g += sk;
            }
        }
        (self.regularise(weights, &mut grad, loss), grad)
    }

    /// Add the L2 term to the loss and the weights' gradient.
    fn regularise(&self, weights: &[f32], grad: &mut [f32], loss: f64) -> f32 {
        let mut norm = 0.0f64;
        for (g, &wi) in grad.iter_mut().zip(weights) {
            *g += self.alpha * wi;
            norm += f64::from(wi) * f64::from(wi);
        }
        (loss + 0.5 * f64::from(self.alpha) * norm) as f32
    }
}

/// Columns of the padded weights: 8 × f32, one 256-bit vector.
const LANES: usize = 8;

/// Rows per unit of parallel work in one evaluation.
const CHUNK_ROWS: usize = 16_384;

/// One pass over the rows with padded weights: returns the loss, adds the
/// gradient to `gp` (weights) and `gb` (intercept). Uses AVX2 where the CPU
/// has it (same operations, wider registers: no fused multiply-add, so the
/// results do not depend on the CPU).
fn padded_pass(
    rows: &Sample,
    range: std::ops::Range<usize>,
    wp: &[[f32; LANES]],
    b: &[f32; LANES],
    k: usize,
    gp: &mut [[f32; LANES]],
    gb: &mut [f32; LANES],
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            return unsafe { padded_pass_avx2(rows, range, wp, b, k, gp, gb) };
        }
    }
    padded_pass_body(rows, range, wp, b, k, gp, gb)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn padded_pass_avx2(
    rows: &Sample,
    range: std::ops::Range<usize>,
    wp: &[[f32; LANES]],
    b: &[f32; LANES],
    k: usize,
    gp: &mut [[f32; LANES]],
    gb: &mut [f32; LANES],
) -> f64 {
    padded_pass_body(rows, range, wp, b, k, gp, gb)
}

#[inline(always)]
fn padded_pass_body(
    rows: &Sample,
    range: std::ops::Range<usize>,
    wp: &[[f32; LANES]],
    b: &[f32; LANES],
    k: usize,
    gp: &mut [[f32; LANES]],
    gb: &mut [f32; LANES],
) -> f64 {
    match &rows.rows.cols {
        Cols::Narrow(cols) => padded_rows(rows, cols, range, wp, b, k, gp, gb),
        Cols::Wide(cols) => padded_rows(rows, cols, range, wp, b, k, gp, gb),
    }
}

/// [`padded_pass_body`] over rows whose columns are `cols`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn padded_rows<C: Col>(
    rows: &Sample,
    cols: &[C],
    range: std::ops::Range<usize>,
    wp: &[[f32; LANES]],
    b: &[f32; LANES],
    k: usize,
    gp: &mut [[f32; LANES]],
    gb: &mut [f32; LANES],
) -> f64 {
    let m = rows.rows;
    let mut loss = 0.0f64;
    for r in range {
        let picked = rows.picked[r] as usize;
        let (start, end) = (m.starts[picked], m.starts[picked + 1]);
        let (cols, vals) = (&cols[start..end], &m.vals[start..end]);
        let mut s = *b;
        add_scores(&mut s, cols, vals, wp);
        let y = rows.classes[r] as usize;
        let wr = rows.weights[r];
        loss += f64::from(wr) * softmax_minus_onehot(&mut s, k, y);
        let mut d = [0.0f32; LANES];
        for l in 0..k.min(LANES) {
            d[l] = s[l] * wr;
        }
        add_gradient(gp, cols, vals, &d);
        for l in 0..LANES {
            gb[l] += d[l];
        }
    }
    loss
}

/// `s += Σ wp[c] · v` over a row's entries, in order.
#[inline(always)]
fn add_scores<C: Col>(s: &mut [f32; LANES], cols: &[C], vals: &[f32], wp: &[[f32; LANES]]) {
    for (&c, &v) in cols.iter().zip(vals) {
        let wc = &wp[c.index()];
        for l in 0..LANES {
            s[l] += wc[l] * v;
        }
    }
}

/// `gp[c] += d · v` over a row's entries, in order.
#[inline(always)]
fn add_gradient<C: Col>(gp: &mut [[f32; LANES]], cols: &[C], vals: &[f32], d: &[f32; LANES]) {
    for (&c, &v) in cols.iter().zip(vals) {
        let gc = &mut gp[c.index()];
        for l in 0..LANES {
            gc[l] += d[l] * v;
        }
    }
}

/// Turn the first `k` scores into softmax probabilities minus the one-hot
/// class `y` (the gradient of the loss by the scores), and return the loss
/// `-log softmax[y]`.
#[inline(always)]
fn softmax_minus_onehot(s: &mut [f32], k: usize, y: usize) -> f64 {
    let max = s[..k].iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sy = s[y] - max;
    let mut sum = 0.0f32;
    for sk in s[..k].iter_mut() {
        *sk = (*sk - max).exp();
        sum += *sk;
    }
    // -log softmax[y] = log Σ exp(s - max) - (s[y] - max)
    let loss = f64::from(sum.ln() - sy);
    for sk in s[..k].iter_mut() {
        *sk /= sum;
    }
    s[y] -= 1.0;
    loss
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f32>;
    type Output = f32;

    fn cost(&self, w: &Self::Param) -> Result<f32, argmin::core::Error> {
        Ok(self.evaluate(w).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f32>;
    type Gradient = Array1<f32>;

    fn gradient(&self, w: &Self::Param) -> Result<Array1<f32>, argmin::core::Error> {
        Ok(self.evaluate(w).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::prelude::*;
    use linfa_logistic::MultiLogisticRegression;
    use ndarray::Array2;

    /// Rows with their classes and weights, owning their matrix.
    #[derive(Default)]
    struct Labelled {
        x: SparseRows,
        classes: Vec<usize>,
        weights: Vec<f32>,
    }

    impl Labelled {
        fn push(&mut self, entries: impl IntoIterator<Item = (u32, f32)>, class: usize) {
            self.push_weighted(entries, class, 1.0);
        }

        fn push_weighted(
            &mut self,
            entries: impl IntoIterator<Item = (u32, f32)>,
            class: usize,
            weight: f32,
        ) {
            self.x.push(entries);
            self.classes.push(class);
            self.weights.push(weight);
        }

        fn len(&self) -> usize {
            self.x.len()
        }

        fn row(&self, r: usize) -> Vec<(u32, f32)> {
            self.x.entries(r).collect()
        }

        /// Every row, in order.
        fn sample(&self) -> Sample<'_> {
            let mut s = Sample::new(&self.x);
            for (r, (&k, &w)) in self.classes.iter().zip(&self.weights).enumerate() {
                s.push(r, k, w);
            }
            s
        }
    }

    /// Deterministic sparse rows whose class depends on a few columns, with
    /// noise: 400 rows, 60 columns, 5 classes.
    fn data() -> (Labelled, Array2<f32>, Array1<usize>) {
        let (n, d, k) = (400, 60, 5);
        let mut state = 0x2545F4914F6CDD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut rows = Labelled::default();
        let mut dense = Array2::<f32>::zeros((n, d));
        let mut y = Array1::<usize>::zeros(n);
        for r in 0..n {
            let class = (next() % k as u64) as usize;
            let mut entries = Vec::new();
            for _ in 0..6 {
                // Mostly columns tied to the class, some anywhere.
                let c = if next() % 3 == 0 {
                    next() % d as u64
                } else {
                    (class * 7 + (next() % 7) as usize) as u64
                } as u32;
                let v = 0.5 + (next() % 100) as f32 / 100.0;
                entries.push((c, v));
                dense[[r, c as usize]] += v;
            }
            rows.push(entries, class);
            y[r] = class;
        }
        (rows, dense, y)
    }

    #[test]
    fn reaches_linfa_logistics_optimum_on_the_same_data() {
        let (rows, dense, y) = data();
        let ours = fit(&rows.sample(), 60, 5, 0.3, 200).unwrap();
        let theirs = MultiLogisticRegression::<f32>::default()
            .alpha(0.3)
            .max_iterations(200)
            .gradient_tolerance(1e-3)
            .fit(&Dataset::new(dense, y))
            .unwrap();
        let w = theirs.params();
        let mut max_diff = 0.0f32;
        for c in 0..60 {
            for k in 0..5 {
                max_diff = max_diff.max((ours.weights[c * 5 + k] - w[[c, k]]).abs());
            }
        }
        // Softmax ignores a constant added to every intercept (they are not
        // penalised), so compare them centred.
        let centre = |b: &[f32]| {
            let m = b.iter().sum::<f32>() / b.len() as f32;
            b.iter().map(|v| v - m).collect::<Vec<_>>()
        };
        let theirs_b = centre(&theirs.intercept().to_vec());
        for (a, b) in centre(&ours.intercept).iter().zip(&theirs_b) {
            max_diff = max_diff.max((a - b).abs());
        }
        eprintln!("max weight difference {max_diff}");
        let scale = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(scale > 0.5, "the data teaches something (max |w| {scale})");
        assert!(
            max_diff < 0.02 * scale,
            "weights differ by {max_diff} (largest weight {scale})"
        );
    }

    /// The test data's problem, in chunks of 64 rows (seven chunks).
    fn problem<'a>(rows: &'a Sample<'a>) -> Problem<'a> {
        Problem {
            rows,
            n_features: 60,
            classes: 5,
            alpha: 0.3,
            chunk_rows: 64,
            last: Mutex::new(None),
            scratch: Mutex::new(Scratch::default()),
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (rows, _, _) = data();
        let sample = rows.sample();
        let p = problem(&sample);
        let w: Vec<f32> = (0..61 * 5)
            .map(|i| ((i * 37 % 11) as f32 - 5.0) / 20.0)
            .collect();
        let (cost, g) = p.cost_and_gradient(&w);
        // The padded (vectorised) path and the plain one agree.
        let (cost_any, g_any) = p.cost_and_gradient_any(&w);
        assert!((cost - cost_any).abs() < 1e-3 * cost.abs());
        assert!(g.iter().zip(&g_any).all(|(a, b)| (a - b).abs() < 1e-3));
        for &i in &[0usize, 7, 36, 149, 299, 300, 304] {
            let h = 1e-2;
            let (mut a, mut b) = (w.clone(), w.clone());
            a[i] += h;
            b[i] -= h;
            let numeric = (p.cost_and_gradient(&a).0 - p.cost_and_gradient(&b).0) / (2.0 * h);
            assert!(
                (numeric - g[i]).abs() < 0.05 * g[i].abs().max(1.0),
                "column {i}: analytic {} numeric {numeric}",
                g[i]
            );
        }
    }

    #[test]
    fn chunked_sums_do_not_depend_on_the_number_of_threads() {
        let (rows, _, _) = data();
        let sample = rows.sample();
        let p = problem(&sample);
        let w: Vec<f32> = (0..61 * 5)
            .map(|i| ((i * 13 % 7) as f32 - 3.0) / 10.0)
            .collect();
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| p.cost_and_gradient(&w))
        };
        let one = on(1);
        assert_eq!(one, on(3));
        // Seven chunks: the chunked sums agree with one sequential pass up
        // to rounding.
        let (l, g) = Problem {
            chunk_rows: 1 << 20,
            last: Mutex::new(None),
            scratch: Mutex::new(Scratch::default()),
            ..p
        }
        .cost_and_gradient(&w);
        assert!((l - one.0).abs() < 1e-3 * l.abs());
        assert!(g.iter().zip(&one.1).all(|(a, b)| (a - b).abs() < 1e-3));
    }

    #[test]
    fn same_rows_give_the_same_weights_and_bad_columns_are_refused() {
        let (rows, _, _) = data();
        assert_eq!(
            fit(&rows.sample(), 60, 5, 0.3, 50).unwrap(),
            fit(&rows.sample(), 60, 5, 0.3, 50).unwrap()
        );
        assert!(fit(&rows.sample(), 30, 5, 0.3, 50).is_err());
        assert!(fit(&rows.sample(), 60, 3, 0.3, 50).is_err());
    }

    /// The largest difference between two weight vectors.
    fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
        a.iter()
            .zip(b)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max)
    }

    #[test]
    fn a_warm_start_reaches_the_same_optimum_in_fewer_iterations() {
        let (rows, _, _) = data();
        let cold = fit(&rows.sample(), 60, 5, 0.3, 200).unwrap();
        // Start from the optimum of half the rows, as pass one starts from
        // its stacking folds.
        let mut half = Labelled::default();
        for r in (0..rows.len()).step_by(2) {
            half.push(rows.row(r), rows.classes[r]);
        }
        let h = fit(&half.sample(), 60, 5, 0.3, 200).unwrap();
        let start: Vec<f32> = h.weights.iter().chain(&h.intercept).copied().collect();
        let warm = fit_from(&rows.sample(), 60, 5, 0.3, 200, Some(&start)).unwrap();
        assert!(
            warm.iterations < cold.iterations,
            "{} vs {}",
            warm.iterations,
            cold.iterations
        );
        let max_diff = max_abs_diff(&cold.weights, &warm.weights);
        assert!(max_diff < 0.02, "weights differ by {max_diff}");
        // A start of the wrong size, or not finite, is refused.
        assert!(fit_from(&rows.sample(), 60, 5, 0.3, 200, Some(&start[1..])).is_err());
        let mut bad = start.clone();
        bad[3] = f32::NAN;
        assert!(fit_from(&rows.sample(), 60, 5, 0.3, 200, Some(&bad)).is_err());
    }

    #[test]
    fn picked_rows_fit_as_the_same_rows_copied() {
        let (rows, _, _) = data();
        // Every third row left out, the others weighted.
        let mut copied = Labelled::default();
        let weight = |r: usize| 1.0 + (r % 2) as f32;
        let mut picked = Sample::new(&rows.x);
        for r in (0..rows.len()).filter(|r| r % 3 != 1) {
            copied.push_weighted(rows.row(r), rows.classes[r], weight(r));
            picked.push(r, rows.classes[r], weight(r));
        }
        assert_eq!(
            fit(&picked, 60, 5, 0.3, 100).unwrap(),
            fit(&copied.sample(), 60, 5, 0.3, 100).unwrap()
        );
    }

    #[test]
    fn wide_and_narrow_columns_fit_the_same() {
        let (mut rows, _, _) = data();
        let narrow = fit(&rows.sample(), 60, 5, 0.3, 50).unwrap();
        let Cols::Narrow(cols) = &rows.x.cols else {
            panic!("60 columns fit in 16 bits")
        };
        rows.x.cols = Cols::Wide(cols.iter().map(|&c| u32::from(c)).collect());
        assert_eq!(fit(&rows.sample(), 60, 5, 0.3, 50).unwrap(), narrow);
        // A column beyond 16 bits widens the matrix, keeping every entry.
        let mut m = SparseRows::new();
        m.push([(3, 1.0), (0, 0.0), (65_535, 2.0)]);
        m.push([(70_000, 3.0), (1, 4.0)]);
        assert!(matches!(m.cols, Cols::Wide(_)));
        assert_eq!(m.entries(0).collect::<Vec<_>>(), [(3, 1.0), (65_535, 2.0)]);
        assert_eq!(m.entries(1).collect::<Vec<_>>(), [(70_000, 3.0), (1, 4.0)]);
        assert_eq!(m.max_col(), Some(70_000));
    }

    /// The rows of `data()` again, row `r` pushed with `weight(r)` (and
    /// left out where that is `None`).
    fn reweighted(weight: impl Fn(usize) -> Option<f32>) -> Labelled {
        let (rows, _, _) = data();
        let mut out = Labelled::default();
        for r in 0..rows.len() {
            if let Some(w) = weight(r) {
                out.push_weighted(rows.row(r), rows.classes[r], w);
            }
        }
        out
    }

    #[test]
    fn row_weights_count_rows_that_many_times() {
        let (rows, _, _) = data();
        let plain = fit(&rows.sample(), 60, 5, 0.3, 200).unwrap();
        // Weight 1 is the unweighted fit, to the bit.
        assert_eq!(
            fit(&reweighted(|_| Some(1.0)).sample(), 60, 5, 0.3, 200).unwrap(),
            plain
        );
        // Weight 0 is as if the row were not there (one chunk: same sums).
        let zero = fit(
            &reweighted(|r| Some(if r % 3 == 0 { 0.0 } else { 1.0 })).sample(),
            60,
            5,
            0.3,
            200,
        );
        let absent = fit(
            &reweighted(|r| (r % 3 != 0).then_some(1.0)).sample(),
            60,
            5,
            0.3,
            200,
        );
        assert_eq!(zero.unwrap().weights, absent.unwrap().weights);
        // Weight 2 is the row twice (up to the solver's tolerance).
        let (twice_rows, _, _) = data();
        let mut twice = Labelled::default();
        for r in 0..twice_rows.len() {
            for _ in 0..if r % 4 == 0 { 2 } else { 1 } {
                twice.push(twice_rows.row(r), twice_rows.classes[r]);
            }
        }
        let doubled = fit(
            &reweighted(|r| Some(if r % 4 == 0 { 2.0 } else { 1.0 })).sample(),
            60,
            5,
            0.3,
            200,
        )
        .unwrap();
        let twice = fit(&twice.sample(), 60, 5, 0.3, 200).unwrap();
        let diff = max_abs_diff(&doubled.weights, &twice.weights);
        assert!(diff < 2e-2, "max weight difference {diff}");
        assert_ne!(doubled.weights, plain.weights);
        // A negative or non-finite weight is refused.
        assert!(fit(&reweighted(|_| Some(-1.0)).sample(), 60, 5, 0.3, 50).is_err());
        assert!(fit(&reweighted(|_| Some(f32::NAN)).sample(), 60, 5, 0.3, 50).is_err());
    }
}
