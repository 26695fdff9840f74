//! Throughput of the text pipeline, per stage and end to end, on the repo's
//! own pages (the labelled corpus, read as raw text). Criterion prints MiB/s
//! (`thrpt`) for each stage, and the time to load the default model; run
//! with `cargo bench --bench classify`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ghirbal::__private::Extractor;
use ghirbal::{identify_blocks, page_from_text, Classifier};

/// Raw text of every labelled page of the corpus (labels stripped).
fn corpus_pages() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
    let pages = ghirbal::__private::load_corpus(&[root.join("train"), root.join("dev")])
        .expect("corpus loads");
    pages.into_iter().map(|p| p.page.text).collect()
}

fn stages(c: &mut Criterion) {
    let texts = corpus_pages();
    let bytes: usize = texts.iter().map(String::len).sum();
    let model = ghirbal::default_model().expect("default model");
    let pages: Vec<_> = texts
        .iter()
        .map(|t| page_from_text("bench", None, t.as_bytes()))
        .collect();
    let langs: Vec<_> = pages.iter().map(identify_blocks).collect();
    let blocks: usize = pages.iter().map(|p| p.blocks.len()).sum();
    eprintln!(
        "corpus: {} pages, {} blocks, {:.2} MB",
        pages.len(),
        blocks,
        bytes as f64 / 1e6
    );

    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("decode+segment", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(page_from_text("bench", None, t.as_bytes()));
            }
        })
    });
    g.bench_function("language", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(identify_blocks(p));
            }
        })
    });
    g.bench_function("features", |b| {
        let mut ex = Extractor::new();
        b.iter(|| {
            for (p, l) in pages.iter().zip(&langs) {
                black_box(ex.rows(p, l, model.features()));
            }
        })
    });
    let rows: Vec<_> = {
        let mut ex = Extractor::new();
        pages
            .iter()
            .zip(&langs)
            .map(|(p, l)| ex.rows(p, l, model.features()))
            .collect()
    };
    g.bench_function("predict", |b| {
        b.iter(|| {
            for r in &rows {
                black_box(model.predict_page(r));
            }
        })
    });
    // Labelling's path against rows built first: the same probabilities.
    g.bench_function("features+predict (rows)", |b| {
        let mut ex = Extractor::new();
        b.iter(|| {
            for (p, l) in pages.iter().zip(&langs) {
                black_box(model.predict_page(&ex.rows(p, l, model.features())));
            }
        })
    });
    g.bench_function("features+predict (walked)", |b| {
        let mut ex = Extractor::new();
        b.iter(|| {
            for (p, l) in pages.iter().zip(&langs) {
                black_box(model.predict_entries(
                    &mut ex.features(p, l, model.features()),
                    false,
                    &[],
                ));
            }
        })
    });
    g.bench_function("end-to-end", |b| {
        let mut cl = Classifier::new(model);
        b.iter(|| {
            for t in &texts {
                let page = page_from_text("bench", None, t.as_bytes());
                let labels = cl.classify(&page);
                black_box(ghirbal::json_line(&page, &labels, "bench"));
            }
        })
    });
    g.finish();
}

/// Parsing and validating the embedded default model (what every run pays
/// before its first page).
fn model_load(c: &mut Criterion) {
    c.bench_function("model load (default model JSON)", |b| {
        b.iter(|| black_box(ghirbal::Model::from_json(ghirbal::DEFAULT_MODEL_JSON).unwrap()))
    });
}

criterion_group!(benches, stages, model_load);
criterion_main!(benches);
