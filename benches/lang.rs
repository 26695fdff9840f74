//! Throughput of language identification alone, on the embedded labelled
//! blocks (`tests/data/lang/blocks.jsonl`): every block, and only the blocks
//! of ten or more words. Criterion reports the throughput; a one-core MB/s
//! figure (10^6 bytes of UTF-8 text per second) is printed first.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ghirbal::__private::{parse_lang_set, word_count};
use ghirbal::Identifier;
use std::time::Instant;

fn blocks() -> Vec<String> {
    parse_lang_set(include_str!("../tests/data/lang/blocks.jsonl"))
        .expect("the labelled set parses")
        .into_iter()
        .map(|e| e.text)
        .collect()
}

fn run(id: &mut Identifier, texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| id.identify(black_box(t)).spans.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let all = blocks();
    let long: Vec<String> = all
        .iter()
        .filter(|t| word_count(t) >= 10)
        .cloned()
        .collect();
    let mut id = Identifier::new();
    for (name, texts) in [("all blocks", &all), ("10+ word blocks", &long)] {
        let bytes: usize = texts.iter().map(String::len).sum();
        run(&mut id, texts);
        let start = Instant::now();
        let mut rounds = 0;
        while start.elapsed().as_secs_f64() < 1.0 {
            black_box(run(&mut id, texts));
            rounds += 1;
        }
        let mbs = (bytes * rounds) as f64 / start.elapsed().as_secs_f64() / 1e6;
        println!(
            "lang/{name}: {} blocks, {bytes} bytes: {mbs:.1} MB/s on one core",
            texts.len()
        );
    }
    let mut g = c.benchmark_group("lang");
    for (name, texts) in [("all blocks", all), ("10+ word blocks", long)] {
        g.throughput(Throughput::Bytes(
            texts.iter().map(|t| t.len() as u64).sum(),
        ));
        g.bench_function(name, |b| b.iter(|| run(&mut id, &texts)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
