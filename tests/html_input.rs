//! HTML, WARC and WET input through the real binary: encodings, broken and
//! hostile markup, crawl files with damage, format detection, and the WCXB
//! tools (those skip when `../shared/data` is absent).

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn blocks(page: &Value) -> Vec<(String, String, String)> {
    page["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["text"].as_str().unwrap().to_string(),
                b["role"].as_str().unwrap().to_string(),
                b["lang"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn texts(page: &Value) -> Vec<String> {
    blocks(page).into_iter().map(|b| b.0).collect()
}

const ARABIC: &str = "أعلنت الحكومة اليوم عن خطة جديدة لتطوير التعليم في جميع المدارس الحكومية خلال العام الدراسي المقبل، وقال الوزير إن الخطة تشمل تدريب المعلمين.";

fn legacy_page(charset_decl: &str, enc: &'static encoding_rs::Encoding) -> Vec<u8> {
    let page = format!("<!doctype html><html dir=rtl lang=ar><head>{charset_decl}<title>خبر</title></head><body><nav><a href=/>الرئيسية</a></nav><article><h1>خطة جديدة للتعليم</h1><p>{ARABIC}</p></article></body></html>");
    let (bytes, _, bad) = enc.encode(&page);
    assert!(!bad, "{} can encode the page", enc.name());
    bytes.into_owned()
}

fn classify_file(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    extra: &[&str],
) -> (std::process::Output, Vec<Value>) {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    let mut args = vec!["classify"];
    args.extend_from_slice(extra);
    let ps = p.display().to_string();
    args.push(&ps);
    let out = run_in(dir, &args, b"");
    let lines = json_lines(&out);
    (out, lines)
}

#[test]
fn arabic_windows_1256_page_decodes() {
    let d = tempfile::tempdir().unwrap();
    let page = legacy_page("<meta charset=\"windows-1256\">", encoding_rs::WINDOWS_1256);
    let (out, lines) = classify_file(d.path(), "a.html", &page, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let b = blocks(&lines[0]);
    assert_eq!(b[2].0, ARABIC);
    assert_eq!(b[0].0, "الرئيسية");
    assert!(b.iter().all(|x| x.2 == "ar"), "{b:?}");
    assert!(lines[0].get("lossy").is_none());
}

#[test]
fn iso_8859_6_page_decodes() {
    let d = tempfile::tempdir().unwrap();
    // ISO-8859-6 has no Arabic comma: write the sentence without it.
    let text = ARABIC.replace('،', ",");
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-6\"></head><body><p>".to_vec();
    let (a, _, bad) = encoding_rs::ISO_8859_6.encode(&text);
    assert!(!bad);
    page.extend_from_slice(&a);
    let (out, lines) = classify_file(d.path(), "b.htm", &page, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(texts(&lines[0]), vec![text]);
}

#[test]
fn rtl_page_blocks_are_rtl_and_undeclared_legacy_bytes_are_detected() {
    let d = tempfile::tempdir().unwrap();
    // No declaration at all: the detector must find windows-1256.
    let page = legacy_page("", encoding_rs::WINDOWS_1256);
    let (out, lines) = classify_file(d.path(), "c.html", &page, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bs = lines[0]["blocks"].as_array().unwrap();
    assert_eq!(bs[2]["text"], ARABIC);
    assert!(bs.iter().all(|b| b["dir"] == "rtl"), "{bs:?}");
}

#[test]
fn broken_markup_gives_the_blocks_a_browser_shows() {
    let d = tempfile::tempdir().unwrap();
    let html = "<html><body><div class=menu><ul><li><a href=/>Home<li><a href=/w>World</ul>\
        <p>First paragraph <b>bold <i>both</b> italic</i> end<p>Second paragraph\
        <table><tr><td>cell one<td>cell two</table></div>\
        <p>after </span></div></div> stray ends<script>document.write('<p>no')</script>\
        <p>unclosed <a href=x>link";
    let (out, lines) = classify_file(d.path(), "broken.html", html.as_bytes(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        texts(&lines[0]),
        vec![
            "Home",
            "World",
            "First paragraph bold both italic end",
            "Second paragraph",
            "cell one",
            "cell two",
            "after stray ends",
            "unclosed link"
        ]
    );
}

fn deep(n: usize) -> String {
    let mut s = String::with_capacity(n * 11 + 64);
    s.push_str("<html><body>");
    for _ in 0..n {
        s.push_str("<div>");
    }
    s.push_str("deep text");
    for _ in 0..n {
        s.push_str("</div>");
    }
    s.push_str("<p>after the deep part</p>");
    s
}

#[test]
fn nesting_a_million_deep_does_not_overflow_the_stack() {
    // In the library, on a thread with a normal 2 MiB stack.
    let html = deep(1_000_000);
    let t = std::time::Instant::now();
    let page = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || ghirbal::page_from_html("deep", None, html.as_bytes(), None))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(page.text, "deep text\nafter the deep part");
    assert!(t.elapsed().as_secs() < 30, "took {:?}", t.elapsed());
    // And through the binary.
    let d = tempfile::tempdir().unwrap();
    let (out, lines) = classify_file(d.path(), "deep.html", deep(1_000_000).as_bytes(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(texts(&lines[0]), vec!["deep text", "after the deep part"]);
}

#[test]
fn deep_inline_and_table_nesting_stay_fast() {
    let mut s = String::new();
    for i in 0..100_000 {
        s.push_str(if i % 3 == 0 {
            "<b>"
        } else if i % 3 == 1 {
            "<a href=#>"
        } else {
            "<table><tr><td>"
        });
    }
    s.push('x');
    let t = std::time::Instant::now();
    let page = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || ghirbal::page_from_html("deep", None, s.as_bytes(), None))
        .unwrap()
        .join()
        .unwrap();
    assert!(page.text.contains('x'));
    assert!(t.elapsed().as_secs() < 30, "took {:?}", t.elapsed());
}

fn article(n: usize) -> Vec<u8> {
    format!("<html><body><nav><a href=/>Home</a> <a href=/w>World</a></nav><p>Article {n}: oil prices climbed on Wednesday as producers met in Vienna to weigh further output cuts for the coming months, delegates said.</p><footer>© 2025 News Example. All rights reserved.</footer></body></html>").into_bytes()
}

#[test]
fn warc_gz_with_a_truncated_member_between_good_ones() {
    let d = tempfile::tempdir().unwrap();
    let mut f = gz(&warc_record(
        "warcinfo",
        "info",
        "Content-Type: application/warc-fields\r\n",
        b"software: test\r\n",
    ));
    f.extend(gz(&warc_record(
        "request",
        "req",
        "",
        b"GET /1 HTTP/1.1\r\nHost: news.example\r\n\r\n",
    )));
    f.extend(gz(&warc_record(
        "response",
        "page1",
        RESP,
        &http("text/html; charset=utf-8", &article(1)),
    )));
    f.extend(gz(&warc_record(
        "response",
        "img",
        RESP,
        &http("image/png", b"\x89PNG\r\n\x1a\n....."),
    )));
    let cut = gz(&warc_record(
        "response",
        "page2",
        RESP,
        &http("text/html", &article(2)),
    ));
    f.extend_from_slice(&cut[..cut.len() * 2 / 3]);
    // windows-1256 page whose charset is only in the HTTP header.
    let ar_html = format!("<p>{ARABIC}</p>");
    let (ar, _, _) = encoding_rs::WINDOWS_1256.encode(&ar_html);
    f.extend(gz(&warc_record(
        "response",
        "page3",
        RESP,
        &http("text/html; charset=windows-1256", &ar),
    )));
    let (out, lines) = classify_file(d.path(), "crawl.warc.gz", &f, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{lines:?}");
    assert_eq!(ids[0], "urn:uuid:page1");
    // The cut record's error carries its own record id and URL (its headers
    // were read before the member broke off).
    assert_eq!(ids[1], "urn:uuid:page2", "{lines:?}");
    assert_eq!(lines[1]["url"], "https://news.example/page2");
    assert_eq!(ids[2], "urn:uuid:page3");
    let errors: Vec<&Value> = lines.iter().filter(|l| l.get("error").is_some()).collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    let why = errors[0]["error"].as_str().unwrap();
    assert!(why.contains("gzip") || why.contains("truncated"), "{why}"); // either the inflater or the record check notices
    assert_eq!(lines[0]["url"], "https://news.example/page1");
    assert_eq!(lines[0]["date"], "2025-03-12T10:00:05Z");
    assert!(texts(&lines[0])[1].starts_with("Article 1: oil prices"));
    assert_eq!(texts(&lines[2]), vec![ARABIC]);
    let err = stderr(&out);
    assert!(
        err.contains("3 records read, 2 classified, 1 failed"),
        "{err}"
    );
    assert!(err.contains("3 crawl records skipped"), "{err}");
}

#[test]
fn plain_warc_with_a_lying_content_length_loses_only_that_record() {
    let d = tempfile::tempdir().unwrap();
    let mut f = warc_record("response", "p1", RESP, &http("text/html", &article(1)));
    let two = warc_record("response", "p2", RESP, &http("text/html", &article(2)));
    let s = String::from_utf8(two).unwrap();
    let n = s
        .split("Content-Length: ")
        .nth(1)
        .unwrap()
        .split('\r')
        .next()
        .unwrap()
        .to_string();
    let bigger = (n.parse::<usize>().unwrap() + 150).to_string();
    f.extend(
        s.replacen(
            &format!("Content-Length: {n}\r\n\r\nHTTP"),
            &format!("Content-Length: {bigger}\r\n\r\nHTTP"),
            1,
        )
        .into_bytes(),
    );
    f.extend(warc_record(
        "response",
        "p3",
        RESP,
        &http("text/html", &article(3)),
    ));
    let (out, lines) = classify_file(d.path(), "crawl.warc", &f, &[]);
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<(&str, bool)> = lines
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l.get("error").is_none()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("urn:uuid:p1", true),
            ("urn:uuid:p2", false),
            ("urn:uuid:p3", true)
        ]
    );
}

#[test]
fn wet_conversion_records_are_text_pages() {
    let d = tempfile::tempdir().unwrap();
    let mut f = gz(&warc_record("warcinfo", "info", "", b"isPartOf: test\r\n"));
    let text = format!("عاجل\n{ARABIC}\n© 2025 جميع الحقوق محفوظة");
    f.extend(gz(&warc_record(
        "conversion",
        "w1",
        "Content-Type: text/plain\r\n",
        text.as_bytes(),
    )));
    f.extend(gz(&warc_record("conversion", "w2", "Content-Type: text/plain\r\n", b"Home | World | Sport\nOil prices climb as OPEC+ meets in Vienna to weigh output cuts for the coming months, delegates said on Wednesday.")));
    let (out, lines) = classify_file(d.path(), "CC-MAIN-x.warc.wet.gz", &f, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "urn:uuid:w1");
    assert_eq!(
        texts(&lines[0]),
        vec![
            "عاجل".to_string(),
            ARABIC.to_string(),
            "© 2025 جميع الحقوق محفوظة".to_string()
        ]
    );
    assert_eq!(lines[1]["url"], "https://news.example/w2");
    // Offsets index the record's text.
    let b = &lines[0]["blocks"][1];
    let (s, e) = (
        b["start"].as_u64().unwrap() as usize,
        b["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text.as_bytes()[s..e], ARABIC.as_bytes());
}

#[test]
fn input_format_forces_and_sniffing_detects() {
    let d = tempfile::tempdir().unwrap();
    let html =
        b"<!DOCTYPE html><html><body><h1>Title here</h1><p>Para <b>one</b>.</p></body></html>";
    // `.txt` would be text; forced to HTML the tags are gone.
    let (_, lines) = classify_file(d.path(), "page.txt", html, &["--input-format", "html"]);
    assert_eq!(texts(&lines[0]), vec!["Title here", "Para one."]);
    let (_, lines) = classify_file(d.path(), "page2.txt", html, &[]);
    assert!(texts(&lines[0])[0].starts_with("<!DOCTYPE html>"));
    // No extension: sniffed; gzip: looked inside.
    let (_, lines) = classify_file(d.path(), "page", html, &[]);
    assert_eq!(texts(&lines[0]), vec!["Title here", "Para one."]);
    let (_, lines) = classify_file(d.path(), "page.html.gz", &gz(html), &[]);
    assert_eq!(texts(&lines[0]), vec!["Title here", "Para one."]);
    let (_, lines) = classify_file(d.path(), "blob.gz", &gz(html), &[]);
    assert_eq!(texts(&lines[0]), vec!["Title here", "Para one."]);
    // A WARC without a telling name, and WARC on standard input.
    let w = warc_record("response", "s1", RESP, &http("text/html", html));
    let (_, lines) = classify_file(d.path(), "records.bin", &w, &[]);
    assert_eq!(lines[0]["id"], "urn:uuid:s1");
    let out = run_in(
        d.path(),
        &["classify", "--input-format", "warc", "-"],
        &gz(&w),
    );
    assert_eq!(json_lines(&out)[0]["id"], "urn:uuid:s1");
    let out = run_in(d.path(), &["classify", "-"], html);
    assert_eq!(texts(&json_lines(&out)[0]), vec!["Title here", "Para one."]);
}

#[test]
fn json_lines_records_may_carry_html() {
    let d = tempfile::tempdir().unwrap();
    let input = concat!(
        r#"{"id":"h1","url":"https://a.example/","date":"2025-01-01","html":"<meta charset=windows-1256><p>مرحبا <b>بكم</b></p><p>© 2025</p>"}"#,
        "\n",
        r#"{"id":"t1","text":"plain text page"}"#,
        "\n",
        r#"{"id":"bad","html":"<p>x","text":"x"}"#,
        "\n"
    );
    let out = run_in(d.path(), &["classify", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(texts(&lines[0]), vec!["مرحبا بكم", "© 2025"]);
    assert_eq!(lines[0]["date"], "2025-01-01");
    assert_eq!(texts(&lines[1]), vec!["plain text page"]);
    assert!(lines[2]["error"].as_str().unwrap().contains("both"));
}

#[test]
fn labelled_html_pages_train_and_evaluate() {
    let d = tempfile::tempdir().unwrap();
    for (i, site) in ["a.example", "b.example", "c.example"].iter().enumerate() {
        let html = format!(
            "<html><head><meta name=ghirbal:url content=https://{site}/x></head><body data-ghirbal-role=chrome>\
             <nav data-ghirbal-role=nav><a href=/>Home</a> <a href=/w>World</a></nav>\
             <article data-ghirbal-role=body data-ghirbal-lang=en><p>Story {i}: oil prices climbed on Wednesday as producers met in Vienna to weigh output cuts.</p></article>\
             <div class=ad data-ghirbal-role=ad>Advertisement</div>\
             <footer data-ghirbal-role=legal>© 2025 {site}. All rights reserved.</footer><p>unlabelled? no: body is chrome</p></body></html>"
        );
        std::fs::write(d.path().join(format!("{i}.html")), html).unwrap();
    }
    let dir = d.path().display().to_string();
    let model = d.path().join("m.json").display().to_string();
    let mut args = vec!["train", &dir, "--out", &model];
    args.extend_from_slice(FAST);
    let out = run_in(d.path(), &args, b"");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 pages, 15 blocks, 3 sites"),
        "{}",
        stderr(&out)
    );
    let out = run_in(d.path(), &["eval", &dir, "--model", &model, "--json"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
}

fn wcxb_dir() -> Option<std::path::PathBuf> {
    let p = root().join("../shared/data/wcxb-dev");
    if p.join("html").is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: {} is absent", p.display());
        None
    }
}

#[test]
fn wcxb_convert_and_eval_on_a_few_pages() {
    let Some(data) = wcxb_dir() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let ids = d.path().join("ids.txt");
    std::fs::write(&ids, "0002\n0003\n# a comment\n0004\n").unwrap();
    let (data, ids_s) = (data.display().to_string(), ids.display().to_string());
    let out_dir = d.path().join("out").display().to_string();
    let out = run_in(
        d.path(),
        &[
            "wcxb-convert",
            "--data",
            &data,
            "--ids",
            &ids_s,
            "--out",
            &out_dir,
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(d.path().join("out/wcxb-convert-report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["pages_written"], 3);
    assert_eq!(report["pages_not_reading_back_identically"], 0);
    assert!(
        report["body_word_f1_of_the_labels"]["overall"]["f1"]
            .as_f64()
            .unwrap()
            > 0.8
    );
    // The labelled pages are training data.
    let out = run_in(d.path(), &["eval", &out_dir, "--json"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run_in(
        d.path(),
        &["wcxb-eval", "--data", &data, "--ids", &ids_s, "--json"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["overall"]["pages"], 3);
    let f1 = v["overall"]["f1"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f1));
}
