//! Helpers shared by the integration tests: run the real binary.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ghirbal"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `ghirbal ARGS` with `stdin`, in `dir`.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("binary runs");
    writer.join().unwrap();
    out
}

pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_in(&root(), args, stdin)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every line of stdout parsed strictly as JSON.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// The first `n` site directories of the training split: a small, real corpus
/// for training tests.
pub fn small_corpus(n: usize) -> Vec<String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("training-data/train"))
        .expect("training-data/train exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .take(n)
        .map(|p| p.display().to_string())
        .collect()
}

/// Fast training flags for tests (small hash space, few iterations).
pub const FAST: &[&str] = &[
    "--hash-bits",
    "8",
    "--max-iterations",
    "40",
    "--stack-folds",
    "2",
];
