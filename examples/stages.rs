//! Throughput of the pipeline stage by stage on real input, one thread, no
//! output: read + decode + segment; then language identification added; then
//! the whole `classify` (features and the two-pass model); and `classify`
//! without language identification (every block given `none`), to show what
//! language identification costs end to end.
//!
//! `cargo run --release --example stages -- INPUT...` (any input `classify`
//! takes); prints one JSON line per stage: pages, payload bytes, wall and CPU
//! seconds. Used by `scripts/bench-peers.sh` for the text corpus.

use ghirbal::features::Extractor;
use ghirbal::input::{InputFormat, Payload, Records};
use ghirbal::lang::WordCounts;
use ghirbal::{identify_blocks, Classifier, Lang, LangInfo, Limits, Page};
use std::hint::black_box;
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
    let inputs: Vec<String> = std::env::args().skip(1).collect();
    assert!(!inputs.is_empty(), "usage: stages INPUT...");
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
            bytes += payload_len(&payload);
            let page = payload.into_page(&rec.id, rec.url.as_deref(), &limits);
            match stage {
                Stage::Segment => {}
                Stage::Language => {
                    black_box(identify_blocks(&page));
                }
                Stage::Classify => {
                    black_box(classifier.classify(&page));
                }
                Stage::ClassifyWithoutLanguage => {
                    let langs = no_language(&page);
                    let rows = extractor.rows(&page, &langs, &model.features);
                    black_box(model.predict_page(&rows));
                }
            }
            black_box(page);
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
    let none = LangInfo {
        lang: Lang::None,
        detail: None,
        confidence: 0.0,
        spans: Vec::new(),
        words: WordCounts::default(),
    };
    vec![none; page.blocks.len()]
}
