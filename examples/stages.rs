//! Throughput of the pipeline stage by stage on real input, one thread, no
//! output: read + decode + segment; then language identification added; then
//! the whole `classify` (features and the two-pass model); and `classify`
//! without language identification (every block given `none`), to show what
//! language identification costs end to end.
//!
//! `cargo run --release --example stages -- [--page-times FILE] INPUT...` (any
//! input `classify` takes); prints one JSON line per stage: pages, payload
//! bytes, wall and CPU seconds. Used by `scripts/bench-peers.sh` for the text
//! corpus. With `--page-times`, also writes `bytes seconds` per page of the
//! classify stage (page built and labelled, what a `classify` worker does
//! but for formatting the output line), from which `scripts/bench_peers.py scaling` works out how
//! `--threads N` batches would share the pages among N cores.

use ghirbal::__private::Extractor;
use ghirbal::{identify_blocks, Classifier, Lang, LangInfo, Limits, Page};
use ghirbal::{InputFormat, Payload, Records};
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

#[derive(Clone, Copy)]
enum Stage {
    Segment,
    Language,
    Classify,
    ClassifyWithoutLanguage,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Segment => "read + decode + segment",
            Stage::Language => "+ language identification",
            Stage::Classify => "classify (segment + language + features + model)",
            Stage::ClassifyWithoutLanguage => "classify without language identification",
        }
    }
}

/// CPU time of this (single-threaded) process so far, in seconds, from the
/// scheduler's nanosecond count; falls back to wall time elsewhere.
fn cpu_seconds(start: Instant) -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| start.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn payload_len(p: &Payload) -> usize {
    match p {
        Payload::Text(b) => b.len(),
        Payload::Str(s) => s.len(),
        Payload::Html { bytes, .. } => bytes.len(),
    }
}

fn main() {
    let mut inputs: Vec<String> = std::env::args().skip(1).collect();
    let mut page_times = None;
    if inputs.first().map(String::as_str) == Some("--page-times") && inputs.len() > 1 {
        let path = inputs.remove(1);
        inputs.remove(0);
        let f = std::fs::File::create(&path).expect("page-times file");
        page_times = Some(std::io::BufWriter::new(f));
    }
    assert!(
        !inputs.is_empty(),
        "usage: stages [--page-times FILE] INPUT..."
    );
    let model = ghirbal::default_model().expect("default model");
    let limits = Limits::default();
    let origin = Instant::now();
    for stage in [
        Stage::Segment,
        Stage::Language,
        Stage::Classify,
        Stage::ClassifyWithoutLanguage,
    ] {
        let mut classifier = Classifier::new(model);
        let mut extractor = Extractor::new();
        let (mut pages, mut bytes) = (0usize, 0usize);
        let t = Instant::now();
        let c = cpu_seconds(origin);
        for rec in Records::open_as(&inputs, &limits, InputFormat::Auto) {
            let Ok(payload) = rec.payload else { continue };
            pages += 1;
            let len = payload_len(&payload);
            bytes += len;
            let started = Instant::now();
            let page = payload.into_page(&rec.id, rec.url.as_deref(), &limits);
            match stage {
                Stage::Segment => {}
                Stage::Language => {
                    black_box(identify_blocks(&page));
                }
                Stage::Classify => {
                    black_box(classifier.classify(&page));
                    if let Some(w) = page_times.as_mut() {
                        writeln!(w, "{len} {}", started.elapsed().as_secs_f64()).unwrap();
                    }
                }
                Stage::ClassifyWithoutLanguage => {
                    let langs = no_language(&page);
                    let rows = extractor.rows(&page, &langs, model.features());
                    black_box(model.predict_page(&rows));
                }
            }
            black_box(page);
        }
        if let Some(w) = page_times.as_mut() {
            w.flush().unwrap();
        }
        let seconds = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds(origin) - c;
        println!(
            "{}",
            serde_json::json!({
                "stage": stage.name(),
                "pages": pages,
                "bytes": bytes,
                "seconds": seconds,
                "cpu": cpu,
            })
        );
    }
}

/// Every block `none`, as if language identification were switched off.
fn no_language(page: &Page) -> Vec<LangInfo> {
    // An empty text is identified as `none` with no words.
    let none = ghirbal::identify("");
    debug_assert_eq!(none.lang, Lang::None);
    vec![none; page.blocks.len()]
}
