//! Hostile input through the real binary: pathological pages stay linear,
//! control characters never break the JSON or drive the terminal, UTF-16
//! pages are honoured.

mod common;

use common::*;
use std::time::Instant;

/// Seconds `classify` takes on `page`.
fn classify_time(dir: &std::path::Path, name: &str, page: &[u8]) -> f64 {
    let p = dir.join(name);
    std::fs::write(&p, page).unwrap();
    let t = Instant::now();
    let o = run(&["classify", p.to_str().unwrap(), "--threads", "1"], b"");
    let secs = t.elapsed().as_secs_f64();
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    secs
}

/// Time grows linearly with size on pathological pages: 4× the bytes may not
/// take more than 8× the time (quadratic work would take 16×).
#[test]
fn pathological_pages_take_linear_time() {
    let d = tempfile::tempdir().unwrap();
    type Shape = (&'static str, fn(usize) -> Vec<u8>);
    let shapes: [Shape; 4] = [
        ("one-line", |n| "x".repeat(n).into_bytes()),
        ("one-line-words", |n| {
            "كلمة word ".repeat(n / 14).into_bytes()
        }),
        ("one-char-lines", |n| "a\n".repeat(n / 2).into_bytes()),
        ("one-word-lines", |n| "Oil\n".repeat(n / 4).into_bytes()),
    ];
    for (name, make) in shapes {
        let small = classify_time(d.path(), name, &make(250_000));
        let big = classify_time(d.path(), name, &make(1_000_000));
        assert!(
            big < 8.0 * small.max(0.05),
            "{name}: 250 kB in {small:.2}s, 1 MB in {big:.2}s"
        );
    }
}

#[test]
fn control_characters_and_nul_bytes_stay_escaped() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("ctl.txt");
    std::fs::write(
        &p,
        "bell\x07 nul\x00 esc\x1b[31m red\nعاجل\x00\n\x7f del \u{85} nel",
    )
    .unwrap();
    let o = run(&["classify", p.to_str().unwrap()], b"");
    assert!(o.status.success());
    let raw = stdout(&o);
    assert!(
        !raw.bytes().any(|b| b < 0x20 && b != b'\n'),
        "raw control bytes in output"
    );
    assert_eq!(raw.matches('\n').count(), 1, "one line");
    let page = &json_lines(&o)[0];
    let texts: Vec<&str> = page["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(texts[0].contains('\u{0}'), "NUL kept, escaped: {texts:?}");
}

#[test]
fn utf16_pages_are_decoded() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "عاجل\nOil prices climb\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&p, &bytes).unwrap();
    let o = run(&["classify", p.to_str().unwrap()], b"");
    assert!(o.status.success());
    let page = &json_lines(&o)[0];
    let blocks = page["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["text"], "عاجل");
    assert_eq!(blocks[0]["lang"], "ar");
    // Offsets point into the UTF-16 input bytes.
    assert_eq!(blocks[0]["start"], 2);
    assert_eq!(blocks[0]["end"], 2 + 4 * 2);
}

#[test]
fn the_human_format_never_passes_control_characters_to_the_terminal() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("ctl.txt");
    let mut page = "bell\x07 esc\x1b]0;title\x07 csi\x1b[2J\nعاجل\u{202E}override\u{202C} (مرحبا)\u{651}\n\x7f\u{85}\u{9b}31m"
        .as_bytes()
        .to_vec();
    page.extend_from_slice(b"\xFF\xC3\n");
    page.extend_from_slice("漢字".repeat(200).as_bytes());
    std::fs::write(&p, &page).unwrap();
    for extra in [&[][..], &["--bidi", "logical"], &["--color", "always"]] {
        let mut args = vec!["classify", "--format", "human"];
        args.extend(extra);
        args.push(p.to_str().unwrap());
        let o = run(&args, b"");
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        let coloured = extra.contains(&"always");
        for c in text.chars() {
            let allowed = c == '\n' || (coloured && c == '\u{1b}');
            assert!(!c.is_control() || allowed, "{c:?} in {text:?}");
            assert!(
                !('\u{202A}'..='\u{202E}').contains(&c),
                "bidi control in {text:?}"
            );
        }
        if coloured {
            // Every escape is one of ours: ESC [ digits (;digits)* m.
            for esc in text.split('\u{1b}').skip(1) {
                let sgr = esc.strip_prefix('[').and_then(|r| r.split_once('m'));
                assert!(
                    sgr.is_some_and(|(p, _)| p.chars().all(|c| c.is_ascii_digit() || c == ';')),
                    "{esc:?}"
                );
            }
        }
    }
}
