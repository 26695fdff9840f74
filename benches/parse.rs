//! Throughput of parsing alone: decoded HTML text to a `Dom`, with the
//! parser (ghirbal's tokenizer, `src/read/html/tokenizer.rs`, before
//! html5ever's tree builder) and with the reference (html5ever's own
//! tokenizer), on every WCXB page of
//! `../shared/data/wcxb-dev/html` (skipped when absent). Times are the
//! thread's CPU time (`/proc/thread-self/schedstat`, wall time where that is
//! missing), the median of `PARSE_BENCH_ROUNDS` rounds (default 3), so a
//! busy machine slows the figures little. Also counts the pages whose trees
//! differ between the two, with scripting on and off. Run with `cargo bench --bench parse`.

use ghirbal::__private::{decode_html, parse_html, parse_html_reference, Dom};
use std::hint::black_box;
use std::io::Read;
use std::time::Instant;

/// CPU time of this thread in seconds, or wall time since `start`.
fn cpu_seconds(start: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(|| start.elapsed().as_secs_f64(), |ns| ns as f64 / 1e9)
}

fn texts() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/wcxb-dev/html");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(std::fs::File::open(p).ok()?)
                .read_to_end(&mut v)
                .ok()?;
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, decode_html(&v, None, None, false).text))
        })
        .collect()
}

/// A parser: decoded text and scripting on or off to a tree.
type Parser = fn(&str, bool) -> Dom;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The nodes as `Debug` prints them, one a line, without how each tendril
/// is stored (inline, owned or shared differ between the tokenizers, not the
/// text).
fn tree(dom: &Dom) -> String {
    let mut s = format!("{dom:#?}");
    for storage in ["(owned: ", "(shared: ", "(inline: "] {
        s = s.replace(storage, "(");
    }
    s
}

fn main() {
    let texts = texts();
    if texts.is_empty() {
        eprintln!("parse bench: no WCXB pages, nothing measured");
        return;
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let rounds: usize = std::env::var("PARSE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let parsers: [(&str, Parser); 2] = [
        ("html5ever tokenizer (reference)", parse_html_reference),
        ("ghirbal tokenizer", parse_html),
    ];
    let mut rates = Vec::new();
    for (name, parse) in parsers {
        let times: Vec<f64> = (0..rounds)
            .map(|_| {
                let wall = Instant::now();
                let t0 = cpu_seconds(wall);
                for (_, t) in &texts {
                    black_box(parse(black_box(t), true));
                }
                cpu_seconds(wall) - t0
            })
            .collect();
        let s = median(times);
        let rate = bytes as f64 / 1e6 / s;
        rates.push(rate);
        println!(
            "parse bench, {name}: {} pages, {:.1} MB decoded, {s:.3} CPU s, {rate:.1} MB/s (median of {rounds})",
            texts.len(),
            bytes as f64 / 1e6
        );
    }
    println!("parse bench: speed-up {:.2}x", rates[1] / rates[0]);
    // With PARSE_BENCH_DUMP=DIR, both trees of each differing page go to
    // DIR/NAME.SCRIPTING.new and DIR/NAME.SCRIPTING.ref, one node a line.
    let dump = std::env::var_os("PARSE_BENCH_DUMP").map(std::path::PathBuf::from);
    let mut differ = Vec::new();
    for (name, t) in &texts {
        for scripting in [true, false] {
            let (new, reference) = (parse_html(t, scripting), parse_html_reference(t, scripting));
            if new.same_tree(&reference) {
                continue;
            }
            differ.push(format!("{name} (scripting {scripting})"));
            if let Some(dir) = &dump {
                for (ext, dom) in [("new", &new), ("ref", &reference)] {
                    let lines = tree(dom).replace("}, Node {", "},\nNode {");
                    let file = dir.join(format!("{name}.{scripting}.{ext}"));
                    std::fs::write(file, lines).expect("dump written");
                }
            }
        }
    }
    println!(
        "parse bench: {} of {} trees (pages × scripting on, off) differ from the reference (the first: {:?})",
        differ.len(),
        2 * texts.len(),
        &differ[..differ.len().min(20)]
    );
}
