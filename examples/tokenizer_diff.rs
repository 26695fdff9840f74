//! Compare the document trees built with ghirbal's tokenizer and with
//! html5ever's own, page by page: `cargo run --release --example
//! tokenizer_diff -- FILE_OR_DIR…` (`.gz` files are gunzipped). Prints the
//! pages whose trees differ and exits 1 if any does.

use std::io::Read;
use std::path::{Path, PathBuf};

fn files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(p)
            .expect("readable directory")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        v.sort();
        for f in v {
            files(&f, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        files(Path::new(&a), &mut paths);
    }
    let mut bad = 0;
    for p in &paths {
        let mut bytes = Vec::new();
        let f = std::fs::File::open(p).expect("readable file");
        if p.extension().is_some_and(|e| e == "gz") {
            flate2::read::MultiGzDecoder::new(f)
                .read_to_end(&mut bytes)
                .expect("gzip");
        } else {
            std::io::BufReader::new(f)
                .read_to_end(&mut bytes)
                .expect("read");
        }
        let text = ghirbal::html::charset::decode(&bytes, None, None, false).text;
        for scripting in [true, false] {
            let ours = ghirbal::html::dom::parse_with(&text, scripting);
            let theirs = ghirbal::html::dom::parse_with_html5ever_tokenizer(&text, scripting);
            let (a, b) = (ours.outline(), theirs.outline());
            if a != b {
                if std::env::var_os("SHOW").is_some() {
                    for (x, y) in a.lines().zip(b.lines()) {
                        if x != y {
                            println!("ours:   {x}\ntheirs: {y}");
                            break;
                        }
                    }
                }
                bad += 1;
                println!("{} (scripting {scripting}): trees differ", p.display());
            }
        }
    }
    println!("{} pages, {bad} differences", paths.len());
    std::process::exit(i32::from(bad > 0));
}
