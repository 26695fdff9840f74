//! Throughput of the HTML pipeline: parsing and block extraction alone, and
//! parsing plus classification, on real pages — the first 100 WCXB pages in
//! `../shared/data/wcxb-dev` when present, else a page generated here.
//! Prints pages/s and MB/s of one plain pass first, then Criterion's figures
//! (`thrpt` in MiB/s); run with `cargo bench --bench html`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ghirbal::Classifier;
use std::io::Read;
use std::time::Instant;

fn pages() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/wcxb-dev/html");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let out: Vec<Vec<u8>> = files
        .iter()
        .take(100)
        .filter_map(|p| {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(std::fs::File::open(p).ok()?)
                .read_to_end(&mut v)
                .ok()?;
            Some(v)
        })
        .collect();
    if !out.is_empty() {
        eprintln!(
            "html bench: {} WCXB pages from {}",
            out.len(),
            dir.display()
        );
        return out;
    }
    eprintln!(
        "html bench: {} absent, using a generated page",
        dir.display()
    );
    let mut s = String::from("<html><body><nav><ul>");
    for i in 0..40 {
        s.push_str(&format!("<li><a href=/s{i}>Section {i}</a></li>"));
    }
    s.push_str("</ul></nav><article>");
    for i in 0..60 {
        s.push_str(&format!("<p class=para>Paragraph {i}: oil prices climbed on Wednesday as producers met in Vienna to weigh further output cuts, <a href=#>delegates</a> said. أعلنت الحكومة اليوم عن خطة جديدة.</p>"));
    }
    s.push_str("</article><footer>© 2025 Example</footer></body></html>");
    vec![s.into_bytes()]
}

fn html(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let model = ghirbal::default_model().expect("default model");
    for (name, classify) in [
        ("parse + blocks", false),
        ("parse + blocks + classify", true),
    ] {
        let mut cl = Classifier::new(model);
        let t = Instant::now();
        for p in &pages {
            let page = ghirbal::page_from_html("b", None, p, None);
            if classify {
                black_box(cl.classify(&page));
            }
            black_box(page);
        }
        let s = t.elapsed().as_secs_f64();
        eprintln!(
            "html bench, {name}, one thread: {:.1} pages/s, {:.1} MB/s",
            pages.len() as f64 / s,
            bytes as f64 / 1e6 / s
        );
    }
    let mut g = c.benchmark_group("html");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse_blocks", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(ghirbal::page_from_html("b", None, p, None));
            }
        })
    });
    g.bench_function("parse_blocks_classify", |b| {
        let mut cl = Classifier::new(model);
        b.iter(|| {
            for p in &pages {
                let page = ghirbal::page_from_html("b", None, p, None);
                black_box(cl.classify(&page));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, html);
criterion_main!(benches);
