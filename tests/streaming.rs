//! Streaming use of `classify` (issue 8): path lists (`--paths`), one answer
//! line per JSON Lines input line on standard input, answers that arrive
//! while the input is still open, and `--partial-ok` for Spark `RDD.pipe`.

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

const ARABIC: &str = "أعلنت الحكومة اليوم عن خطة جديدة لتطوير التعليم في جميع المدارس الحكومية خلال العام الدراسي المقبل، وقال الوزير إن الخطة تشمل تدريب المعلمين.";

fn page(n: usize) -> Vec<u8> {
    format!("<html><body><nav><a href=/>Home</a></nav><p>Story {n}: oil prices climbed on Wednesday as producers met in Vienna to weigh output cuts, delegates said.</p><footer>© 2025 News Example</footer></body></html>").into_bytes()
}

/// A crawl directory: a gzip WARC of two pages, a WET file, an HTML page and
/// a text page.
fn crawl(dir: &std::path::Path) -> Vec<String> {
    let mut warc = gz(&warc_record("request", "q1", "", b"GET / HTTP/1.1\r\n\r\n"));
    for n in 1..=2 {
        warc.extend(gz(&warc_record(
            "response",
            &format!("p{n}"),
            RESP,
            &http("text/html; charset=utf-8", &page(n)),
        )));
    }
    let wet = gz(&warc_record(
        "conversion",
        "w1",
        "Content-Type: text/plain\r\n",
        format!("عاجل\n{ARABIC}").as_bytes(),
    ));
    let files: [(&str, Vec<u8>); 4] = [
        ("a.warc.gz", warc),
        ("b.warc.wet.gz", wet),
        ("c.html", format!("<p>{ARABIC}</p>").into_bytes()),
        ("d", b"Home | World\nA plain text page.".to_vec()),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p.display().to_string()
        })
        .collect()
}

#[test]
fn paths_list_gives_each_files_records_in_order() {
    let d = tempfile::tempdir().unwrap();
    let files = crawl(d.path());
    let missing = d.path().join("gone.warc.gz").display().to_string();
    // The lines classify gives each file on its own, in list order.
    let mut expected = String::new();
    for f in &files[..2] {
        expected += &stdout(&run_in(d.path(), &["classify", f], b""));
    }
    expected += &format!(
        "{{\"id\":\"{missing}\",\"error\":\"cannot read: No such file or directory (os error 2)\"}}\n"
    );
    for f in &files[2..] {
        expected += &stdout(&run_in(d.path(), &["classify", f], b""));
    }
    // A blank line is skipped, a CRLF line ending is not part of the path.
    let list = format!(
        "{}\n{}\r\n\n{missing}\n{}\n{}",
        files[0], files[1], files[2], files[3]
    );
    let out = run_in(d.path(), &["classify", "--paths", "-"], list.as_bytes());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), expected);
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        vec![
            "urn:uuid:p1".to_string(),
            "urn:uuid:p2".into(),
            "urn:uuid:w1".into(),
            missing.clone(),
            files[2].clone(),
            files[3].clone()
        ]
    );
    assert!(stderr(&out).contains("6 records read, 5 classified, 1 failed"));

    // The same list from a gzip file, with --partial-ok: same lines, exit 0.
    let list_gz = d.path().join("warc.paths.gz");
    std::fs::write(&list_gz, gz(list.as_bytes())).unwrap();
    let lp = list_gz.display().to_string();
    let out = run_in(d.path(), &["classify", "--paths", &lp, "--partial-ok"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), expected);
}

#[test]
fn unreadable_path_list_is_one_error_line() {
    let out = run(&["classify", "--paths", "no/such/list.txt"], b"");
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "no/such/list.txt");
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot read path list"));
    // --paths replaces the inputs on the command line.
    let out = run(
        &["classify", "--paths", "-", "examples/wire-story.txt"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_stdin_line_gets_one_answer_line_blank_ones_too() {
    let input = format!(
        "{}\n\n{}\n{{oops\n{}\n",
        r#"{"id":"h1","url":"https://a.example/1","html":"<nav><a href=/>Home</a></nav><p>Story one: oil prices climbed on Wednesday.</p>"}"#,
        serde_json::json!({"id": "h2", "url": "https://a.example/2", "html": format!("<p>{ARABIC}</p>")}),
        r#"{"id":"t1","text":"plain"}"#,
    );
    let out = run(&["classify", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    let got: Vec<(&str, bool)> = lines
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l.get("error").is_some()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("h1", false),
            ("-:2", true),
            ("h2", false),
            ("-:4", true),
            ("t1", false)
        ]
    );
    assert_eq!(lines[1]["error"], "empty record");
    assert_eq!(lines[2]["url"], "https://a.example/2");
    assert_eq!(lines[2]["blocks"][0]["text"], ARABIC);
    let out = run(&["classify", "--partial-ok", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_lines(&out).len(), 5);
}

#[test]
fn answers_arrive_while_stdin_is_still_open() {
    let mut child = bin()
        .args(["classify", "--batch", "1", "-"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut input = child.stdin.take().unwrap();
    let output = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    for id in ["first", "second"] {
        writeln!(input, r#"{{"id":"{id}","text":"Oil prices climb"}}"#).unwrap();
        input.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no answer to {id:?} while stdin is open"));
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["id"], id);
    }
    drop(input);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}
