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

/// Run `ghirbal ARGS` in the repository root with no standard input, these
/// environment variables set (`Some`) or removed (`None`), and the colour
/// variables of the test's own environment removed.
pub fn run_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut cmd = bin();
    cmd.args(args).current_dir(root()).stdin(Stdio::null());
    for k in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.output().expect("binary runs")
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

/// One WARC record (`WARC-Record-ID` `urn:uuid:ID`, target `https://news.example/ID`).
pub fn warc_record(kind: &str, id: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: https://news.example/{id}\r\nWARC-Date: 2025-03-12T10:00:0{}Z\r\n{extra}Content-Length: {}\r\n\r\n",
        id.len() % 10,
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response of content type `ct`.
pub fn http(ct: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

/// `b` as one gzip member.
pub fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// The `Content-Type` header line of a WARC `response` record.
pub const RESP: &str = "Content-Type: application/http; msgtype=response\r\n";
