//! End-to-end tests of the `ghirbal` binary: the output contract, batch
//! behaviour, output formats, training, evaluation and errors.

mod common;

use common::*;
use serde_json::Value;

const ROLES: &[&str] = &["body", "chrome", "nav", "legal", "ad"];
const LANGS: &[&str] = &["ar", "en", "mixed", "other", "none"];
const DIRS: &[&str] = &["rtl", "ltr", "mixed", "neutral"];

/// Check one page object against the output contract and the input bytes.
fn check_contract(page: &Value, input: &[u8]) {
    assert!(page["id"].is_string());
    assert!(page["model"].as_str().unwrap().contains('@'));
    let blocks = page["blocks"].as_array().expect("blocks array");
    let mut last_end = 0;
    for b in blocks {
        let start = b["start"].as_u64().unwrap() as usize;
        let end = b["end"].as_u64().unwrap() as usize;
        assert!(
            start < end && start >= last_end,
            "ordered, non-overlapping: {b}"
        );
        last_end = end;
        let text = b["text"].as_str().unwrap();
        if page.get("lossy").is_none() {
            assert_eq!(
                &input[start..end],
                text.as_bytes(),
                "offsets point into the input"
            );
        }
        assert!(ROLES.contains(&b["role"].as_str().unwrap()));
        assert!(LANGS.contains(&b["lang"].as_str().unwrap()));
        assert!(DIRS.contains(&b["dir"].as_str().unwrap()));
        let scores = b["role_scores"].as_object().unwrap();
        let mut keys: Vec<&str> = scores.keys().map(String::as_str).collect();
        let mut want = ROLES.to_vec();
        keys.sort();
        want.sort();
        assert_eq!(keys, want, "all five role scores");
        let sum: f64 = scores.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-3, "scores sum to 1: {sum}");
        let best = scores
            .iter()
            .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
            .unwrap()
            .0;
        assert_eq!(best, b["role"].as_str().unwrap(), "role is the top score");
        let c = b["lang_confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
}

#[test]
fn classify_example_page_follows_the_contract() {
    let o = run(&["classify", "examples/wire-story.txt"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    assert!(
        stdout(&o).contains(r#""role_scores":{"body":"#),
        "role scores are written in role order"
    );
    let input = std::fs::read(root().join("examples/wire-story.txt")).unwrap();
    check_contract(&lines[0], &input);
    assert_eq!(lines[0]["id"], "examples/wire-story.txt");
    let blocks = lines[0]["blocks"].as_array().unwrap();
    // 34 raw lines: the headline broken one word per line (6 lines) is one
    // block, and so are two consecutive "Advertisement" lines.
    assert_eq!(blocks.len(), 28);
    let broken = blocks
        .iter()
        .find(|b| b["text"] == "Red\nSea\nshipping\ninsurers\nraise\npremiums")
        .expect("one-word lines form one block");
    assert_eq!(broken["lang"], "en");
    let by_text = |t: &str| blocks.iter().find(|b| b["text"] == t).unwrap();
    assert_eq!(by_text("عاجل")["lang"], "ar");
    assert_eq!(by_text("عاجل")["dir"], "rtl");
    let prev = by_text("السابق: Oil prices climb as OPEC+ meets in Vienna");
    assert_eq!(prev["lang"], "mixed");
    assert_eq!(prev["dir"], "mixed");
    assert_eq!(prev["spans"].as_array().unwrap().len(), 2);
    assert_eq!(by_text("Advertisement")["role"], "ad");
    assert_eq!(
        by_text("© 2025 الوادي نيوز. جميع الحقوق محفوظة")["role"],
        "legal"
    );
}

#[test]
fn every_visible_character_is_in_exactly_one_block() {
    let input = "\u{FEFF}عاجل\r\n\r\nHeadline one\n  continued here\n\u{00A0}\nA\nB\nC\n\u{200F}\nلا شيء\t\n© 2025 x\n";
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("p.txt");
    std::fs::write(&p, input).unwrap();
    let o = run(&["classify", p.to_str().unwrap()], b"");
    assert!(o.status.success());
    let page = &json_lines(&o)[0];
    check_contract(page, input.as_bytes());
    let mut covered = vec![false; input.len()];
    for b in page["blocks"].as_array().unwrap() {
        for c in b["start"].as_u64().unwrap()..b["end"].as_u64().unwrap() {
            assert!(!covered[c as usize]);
            covered[c as usize] = true;
        }
    }
    for (i, c) in input.char_indices() {
        if !ghirbal::__private::is_ignorable(c) {
            assert!(covered[i], "{c:?} at {i} is in no block");
        }
    }
}

#[test]
fn invalid_utf8_is_flagged_and_offsets_stay_in_the_input() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("bad.txt");
    let mut input = b"Good line here\n\xFF\xFEbroken \xC3 bytes\n".to_vec();
    input.extend_from_slice("عاجل\n".as_bytes());
    std::fs::write(&p, &input).unwrap();
    let o = run(&["classify", p.to_str().unwrap()], b"");
    assert!(o.status.success());
    let page = &json_lines(&o)[0];
    assert_eq!(page["lossy"], true);
    assert!(
        stderr(&o).contains(&format!(
            "ghirbal: lossy decoding: {}: bytes not valid UTF-8 were replaced by U+FFFD",
            p.display()
        )),
        "{}",
        stderr(&o)
    );
    let blocks = page["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 3);
    let last = &blocks[2];
    let (s, e) = (
        last["start"].as_u64().unwrap() as usize,
        last["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&input[s..e], "عاجل".as_bytes());
}

#[test]
fn batch_from_stdin_keeps_order_and_reports_bad_records() {
    let input = concat!(
        r#"{"id":"a","text":"عاجل\nOil prices climb"}"#,
        "\n",
        "{this is not json\n",
        r#"{"id":"c","url":"https://x.example/c","text":"Home\n© 2025 X"}"#,
        "\n",
        r#"{"id":"d"}"#,
        "\n"
    );
    let o = run(&["classify", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1), "some records failed");
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 4, "one line per input record");
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["blocks"].as_array().unwrap().len(), 2);
    assert_eq!(lines[1]["id"], "-:2");
    assert!(lines[1]["error"].as_str().unwrap().contains("invalid JSON"));
    assert_eq!(lines[2]["url"], "https://x.example/c");
    assert!(lines[3]["error"].as_str().unwrap().contains("text"));
    let err = stderr(&o);
    assert!(
        err.contains("4 records read, 2 classified, 2 failed"),
        "{err}"
    );
}

#[test]
fn plain_page_on_stdin() {
    let o = run(&["classify", "-"], "عاجل\nHome\n".as_bytes());
    assert!(o.status.success());
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "-");
}

#[test]
fn directories_are_read_recursively_in_path_order() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("b/c")).unwrap();
    std::fs::write(d.path().join("b/c/2.txt"), "two").unwrap();
    std::fs::write(d.path().join("a.txt"), "one").unwrap();
    std::fs::write(d.path().join("b/1.txt"), "three").unwrap();
    let o = run_in(d.path(), &["classify", "."], b"");
    assert!(o.status.success());
    let ids: Vec<String> = json_lines(&o)
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["./a.txt", "./b/1.txt", "./b/c/2.txt"]);
}

#[test]
fn unreadable_file_is_an_error_record_and_the_rest_goes_on() {
    let o = run(
        &["classify", "no/such/page.txt", "examples/wire-story.txt"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "no/such/page.txt");
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot read"));
    assert!(lines[1]["blocks"].is_array());
    assert!(stderr(&o).contains("no/such/page.txt"));
}

#[test]
fn text_format_prints_only_body_blocks() {
    let o = run(
        &["classify", "--format", "text", "examples/wire-story.txt"],
        b"",
    );
    assert!(o.status.success());
    let text = stdout(&o);
    let json = json_lines(&run(&["classify", "examples/wire-story.txt"], b""));
    let body: Vec<&str> = json[0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["role"] == "body")
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(!body.is_empty());
    assert_eq!(
        text,
        format!("\u{c}# examples/wire-story.txt\n{}\n\n", body.join("\n"))
    );
    assert!(!text.contains("Advertisement"));
}

/// JSON Lines input of two real-looking pages around a bad line: the
/// example page (a form feed inside a body line) and a short Arabic article
/// with a URL and a date.
fn two_pages_and_a_bad_line() -> String {
    let wire = std::fs::read_to_string(root().join("examples/wire-story.txt"))
        .unwrap()
        .replace(
            "Marine insurers have raised",
            "Marine insurers\u{c}have raised",
        );
    let ar = "الرئيسية | محليات | اقتصاد\n\
              أعلنت وزارة الطاقة أن التيار الكهربائي سيعود إلى جميع المناطق خلال ساعات، بعد إصلاح العطل في محطة التحويل الرئيسية.\n\
              وقال المتحدث باسم الوزارة إن فرق الصيانة تعمل منذ الصباح على إعادة الخدمة إلى الأحياء المتضررة، وإن الأولوية للمستشفيات والمدارس.\n\
              © 2025 الوادي نيوز. جميع الحقوق محفوظة";
    let mut s = serde_json::json!({"id": "a", "text": wire}).to_string();
    s.push_str("\n{broken\n");
    s.push_str(
        &serde_json::json!({"id": "b\tc", "url": "https://x.example/c",
            "date": "2025-03-12T10:00:00Z", "text": ar})
        .to_string(),
    );
    s.push('\n');
    s
}

#[test]
fn text_format_starts_every_page_with_a_form_feed_header() {
    let o = run(
        &["classify", "--format", "text", "-"],
        two_pages_and_a_bad_line().as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert_eq!(pages[0], "", "output starts with a form feed");
    assert_eq!(
        pages.len(),
        3,
        "a header per page, none for the bad record: {text:?}"
    );
    assert!(
        pages[1].starts_with("# a\nRed Sea shipping"),
        "{:?}",
        pages[1]
    );
    assert!(
        pages[1].contains("\nMarine insurers have raised"),
        "form feed in text is a space"
    );
    assert!(pages[1].ends_with(".\n\n"), "{:?}", pages[1]);
    assert!(
        pages[2].starts_with("# b c\thttps://x.example/c\nأعلنت وزارة"),
        "{:?}",
        pages[2]
    );
}

#[test]
fn jsonl_text_is_one_body_text_line_per_page_and_errors_stay_lines() {
    let mut input = two_pages_and_a_bad_line();
    input.push_str("{\"id\":\"d\",\"text\":\"\"}\n");
    let o = run(
        &["classify", "--format", "jsonl-text", "-"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 4, "{}", stdout(&o));
    let json = json_lines(&run(&["classify", "-"], input.as_bytes()));
    let body = |p: &Value| -> String {
        let blocks = p["blocks"].as_array().unwrap().iter();
        let body: Vec<&str> = blocks
            .filter(|b| b["role"] == "body")
            .map(|b| b["text"].as_str().unwrap())
            .collect();
        body.join("\n")
    };
    assert_eq!(
        lines[0],
        serde_json::json!({"id": "a", "lang": "en", "text": body(&json[0])})
    );
    assert_eq!(lines[1]["id"], "-:2");
    assert!(lines[1]["error"].is_string());
    assert_eq!(
        lines[2],
        serde_json::json!({"id": "b\tc", "url": "https://x.example/c",
            "date": "2025-03-12T10:00:00Z", "lang": "ar", "text": body(&json[2])})
    );
    assert_eq!(
        lines[3],
        serde_json::json!({"id": "d", "lang": "none", "text": ""})
    );
}

#[test]
fn output_file_is_written() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out.jsonl");
    let o = run(
        &[
            "classify",
            "examples/wire-story.txt",
            "--output",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 1);
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        1,
        "no temporary left"
    );
}

#[test]
fn training_is_deterministic_and_the_model_is_usable() {
    let d = tempfile::tempdir().unwrap();
    let corpus = small_corpus(3);
    let mut models = Vec::new();
    for name in ["m1.json", "m2.json"] {
        let out = d.path().join(name);
        let mut args: Vec<&str> = vec!["train"];
        args.extend(corpus.iter().map(String::as_str));
        args.extend(["--out", out.to_str().unwrap(), "--name", "test"]);
        args.extend(FAST);
        let o = run(&args, b"");
        assert!(o.status.success(), "{}", stderr(&o));
        models.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(
        models[0], models[1],
        "same data and seed give the same bytes"
    );
    let model: Value = serde_json::from_slice(&models[0]).unwrap();
    assert_eq!(model["format"], "ghirbal-model");
    assert_eq!(model["version"], 2);
    assert_eq!(model["roles"], serde_json::json!(ROLES));
    assert!(model["training"]["data_fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("fnv1a64:"));
    let m = d.path().join("m1.json");
    let o = run(
        &[
            "classify",
            "--model",
            m.to_str().unwrap(),
            "examples/wire-story.txt",
        ],
        b"",
    );
    assert!(o.status.success());
    assert_eq!(json_lines(&o)[0]["model"], "test@2");
}

#[test]
fn fewer_stacking_iterations_change_only_the_stacking_fits() {
    let d = tempfile::tempdir().unwrap();
    let corpus = small_corpus(3);
    let train = |name: &str, extra: &[&str]| -> Value {
        let out = d.path().join(name);
        let mut args: Vec<&str> = vec!["train"];
        args.extend(corpus.iter().map(String::as_str));
        args.extend(["--out", out.to_str().unwrap(), "--max-iterations", "20"]);
        args.extend(["--hash-bits", "8", "--stack-folds", "2"]);
        args.extend(extra);
        let o = run(&args, b"");
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
    };
    let plain = train("a.json", &[]);
    // As many stacking iterations as the others: the same model, and
    // nothing recorded.
    let same = train("b.json", &["--stack-iterations", "20"]);
    assert_eq!(plain, same);
    assert!(plain["training"].get("stack_iterations").is_none());
    assert_eq!(plain["training"]["warm_start"], true);
    // Fewer, without warm starts: pass one (fitted on all pages, from zero)
    // is unchanged, pass two (fitted on the stacking folds' probabilities)
    // is not, and the model says so.
    let cold = train("c.json", &["--no-warm-start"]);
    assert!(cold["training"].get("warm_start").is_none());
    let fewer = train("d.json", &["--stack-iterations", "2", "--no-warm-start"]);
    assert_eq!(fewer["training"]["stack_iterations"], 2);
    assert_eq!(cold["pass1"], fewer["pass1"]);
    assert_ne!(cold["pass2"], fewer["pass2"]);
    // Warm starts begin pass one at the stacking folds' mean: another
    // point within the same budget.
    assert_ne!(plain["pass1"], cold["pass1"]);
    let fewer_warm = train("e.json", &["--stack-iterations", "2"]);
    assert_ne!(plain["pass1"], fewer_warm["pass1"]);
}

#[test]
fn cross_validation_is_split_by_site() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.json");
    let corpus = small_corpus(4);
    let mut args: Vec<&str> = vec!["train"];
    args.extend(corpus.iter().map(String::as_str));
    args.extend(["--out", out.to_str().unwrap(), "--folds", "2"]);
    args.extend(FAST);
    let o = run(&args, b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("cross-validation, 2 folds by site"));
    let model: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    // One summary per part of the data, and one over all pages.
    let cv = &model["training"]["cross_validation"]["all pages"];
    assert!(model["training"]["cross_validation"]["written text pages"].is_object());
    assert_eq!(cv["split"], "site");
    assert_eq!(cv["folds"], 2);
    let f1 = cv["macro_f1_token"].as_f64().unwrap();
    assert!(f1 > 0.0 && f1 <= 1.0);
    // Too few sites for the folds asked is a clear error, not a silent fallback.
    let one = small_corpus(1);
    let o = run(
        &[
            "train",
            &one[0],
            "--out",
            out.to_str().unwrap(),
            "--folds",
            "5",
            "--hash-bits",
            "8",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot make 5 folds from 1 site"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn annotated_output_is_training_input() {
    let d = tempfile::tempdir().unwrap();
    let ann = d.path().join("page.txt");
    let o = run(
        &[
            "classify",
            "--format",
            "annotated",
            "examples/wire-story.txt",
        ],
        b"",
    );
    assert!(o.status.success());
    std::fs::write(&ann, &o.stdout).unwrap();
    // The annotated page reads back as the same blocks with the same labels.
    let pages = ghirbal::__private::load_corpus(&[&ann]).unwrap();
    assert_eq!(pages.len(), 1);
    let json = json_lines(&run(&["classify", "examples/wire-story.txt"], b""));
    let blocks = json[0]["blocks"].as_array().unwrap();
    assert_eq!(pages[0].roles.len(), blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        assert_eq!(pages[0].page.block_text(i), b["text"].as_str().unwrap());
        assert_eq!(pages[0].roles[i].as_str(), b["role"].as_str().unwrap());
    }
    // Corrected JSON Lines output is training input too.
    let jl = d.path().join("corrected.jsonl");
    std::fs::write(
        &jl,
        stdout(&run(&["classify", "examples/wire-story.txt"], b"")),
    )
    .unwrap();
    let pages = ghirbal::__private::load_corpus(&[&jl]).unwrap();
    assert_eq!(pages[0].roles.len(), blocks.len());
}

#[test]
fn eval_prints_figures_and_json() {
    let dev = root().join("training-data/dev");
    let o = run(&["eval", dev.to_str().unwrap(), "--json"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(r["pages"].as_u64().unwrap() > 10);
    for key in ["roles_by_block", "roles_by_token"] {
        let m = r[key]["macro_f1"].as_f64().unwrap();
        assert!(m > 0.5 && m <= 1.0, "{key} macro-F1 {m}");
        assert_eq!(r[key]["confusion"].as_array().unwrap().len(), 5);
    }
    assert!(r["lang_by_block"]["accuracy"].as_f64().unwrap() > 0.9);
    let o = run(&["eval", dev.to_str().unwrap()], b"");
    let text = stdout(&o);
    assert!(text.contains("macro-F1"));
    assert!(text.contains("confusion"));
}

#[test]
fn corrupt_and_foreign_models_are_fatal_with_the_file_named() {
    let d = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(root().join("models/default.json")).unwrap();
    let cases = [
        (
            "truncated.json",
            good[..good.len() / 2].to_string(),
            "not a valid ghirbal model",
        ),
        (
            "version.json",
            good.replacen("\"version\":2", "\"version\":7", 1),
            "format version 7 is not supported",
        ),
        (
            "shape.json",
            good.replacen("\"hash_bits\":", "\"hash_bits\":1", 1),
            "inconsistent",
        ),
        (
            "other.json",
            "{\"format\":\"onnx\"}".to_string(),
            "not a valid ghirbal model",
        ),
    ];
    for (name, content, want) in cases {
        let p = d.path().join(name);
        std::fs::write(&p, content).unwrap();
        let o = run(
            &[
                "classify",
                "--model",
                p.to_str().unwrap(),
                "examples/wire-story.txt",
            ],
            b"",
        );
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(err.contains(name), "{name}: {err}");
        assert!(err.contains(want), "{name}: {err}");
        assert!(o.stdout.is_empty());
    }
    let o = run(
        &[
            "classify",
            "--model",
            "missing.json",
            "examples/wire-story.txt",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json"));
    // Said once: "cannot read model PATH: …", not "cannot load model PATH: cannot read model PATH".
    assert_eq!(
        stderr(&o).matches("missing.json").count(),
        1,
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_labels_in_training_data_name_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("page.txt");
    std::fs::write(
        &p,
        "# site: x\nbody en\tA headline\nsidebar en\tWhat is this\n",
    )
    .unwrap();
    let out = d.path().join("m.json");
    let o = run(
        &["train", p.to_str().unwrap(), "--out", out.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:3: unknown role \"sidebar\"", p.display())),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn arguments_errors_exit_2() {
    let o = run(&["classify"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["classify", "--format", "xml", "x"], b"");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn limits_cut_pages_and_flag_them() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("big.txt");
    let mut page = String::new();
    for i in 0..200 {
        page.push_str(&format!("Line number {i} of a long page with words\n"));
    }
    std::fs::write(&p, &page).unwrap();
    let o = run(
        &["classify", p.to_str().unwrap(), "--max-page-bytes", "1000"],
        b"",
    );
    assert!(o.status.success());
    let l = &json_lines(&o)[0];
    assert_eq!(l["truncated"], true);
    let last_end = l["blocks"].as_array().unwrap().last().unwrap()["end"]
        .as_u64()
        .unwrap();
    assert!(last_end <= 1000);
    let o = run(&["classify", p.to_str().unwrap(), "--max-blocks", "5"], b"");
    let l = &json_lines(&o)[0];
    assert_eq!(l["truncated"], true);
    assert_eq!(l["blocks"].as_array().unwrap().len(), 5);
    let o = run(&["classify", p.to_str().unwrap()], b"");
    let l = &json_lines(&o)[0];
    assert!(l.get("truncated").is_none());
    assert_eq!(l["blocks"].as_array().unwrap().len(), 200);
}

#[test]
fn broken_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let mut child = bin()
        .args(["classify", "-", "--batch", "16"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..3000 {
            let line = format!("{{\"id\":\"{i}\",\"text\":\"عاجل\\nOil prices climb\"}}\n");
            if input.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"id\":\"0\""));
    drop(out);
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
}

#[test]
fn killed_training_leaves_the_previous_model_intact() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("model.json");
    std::fs::write(&out, b"previous model").unwrap();
    let train = root().join("training-data/train");
    let mut child = bin()
        .args([
            "train",
            train.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"previous model");
}

#[test]
fn text_and_html_pages_train_separate_passes() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.json");
    let corpus = small_corpus(2);
    let wcxb = root().join("training-data/train/wcxb");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&wcxb)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // The first WCXB pages that together have every role.
    let mut html: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in files {
        let pages = ghirbal::__private::load_corpus(&[&f]).unwrap();
        let new = pages[0].roles.iter().any(|r| !seen.contains(r));
        if new {
            seen.extend(pages[0].roles.iter().copied());
            html.push(f.display().to_string());
        }
        if seen.len() == 5 {
            break;
        }
    }
    assert_eq!(seen.len(), 5, "the WCXB pages have every role");
    let mut args: Vec<&str> = vec!["train"];
    args.extend(corpus.iter().map(String::as_str));
    args.extend(html.iter().map(String::as_str));
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(FAST);
    let o = run(&args, b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let m: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(
        m["html"]["pass1"]["weights"].is_string(),
        "HTML passes present"
    );
    assert_ne!(m["html"]["pass1"], m["pass1"]);
    assert_eq!(m["features"]["feature_set"], 11);
    assert_eq!(m["features"]["collapse_text_copies"], true);
    // The text passes' own options leave the HTML passes alone, bit for
    // bit: fewer stacking iterations for the text passes, and the text
    // passes reading the kind copies as the HTML passes do (a model of
    // feature set 10, as before the option).
    for (extra, key) in [
        (
            &["--text-stack-iterations", "2"][..],
            "text_stack_iterations",
        ),
        (&["--keep-text-copies"][..], "collapse_text_copies"),
    ] {
        let other = d.path().join("other.json");
        let mut args: Vec<&str> = vec!["train"];
        args.extend(corpus.iter().map(String::as_str));
        args.extend(html.iter().map(String::as_str));
        args.extend(["--out", other.to_str().unwrap()]);
        args.extend(FAST);
        args.extend(extra);
        let o = run(&args, b"");
        assert!(o.status.success(), "{}", stderr(&o));
        let o: Value = serde_json::from_slice(&std::fs::read(&other).unwrap()).unwrap();
        assert_eq!(o["html"], m["html"], "{extra:?}");
        assert_ne!(o["pass1"], m["pass1"], "{extra:?}");
        if key == "text_stack_iterations" {
            assert_eq!(o["training"][key], 2);
            assert_eq!(o["features"], m["features"]);
        } else {
            assert!(o["features"].get(key).is_none());
            assert_eq!(o["features"]["feature_set"], 10);
        }
    }
    // A text-only corpus has no HTML passes.
    let mut args: Vec<&str> = vec!["train"];
    args.extend(corpus.iter().map(String::as_str));
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(FAST);
    assert!(run(&args, b"").status.success());
    let m: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(m.get("html").is_none());
}

#[test]
fn a_directory_gives_its_page_files_and_an_empty_one_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = run(&["classify", empty.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no pages in"), "{}", stderr(&o));
    // A mixed directory: pages of every kind among code, notes, images and a VCS folder.
    let mixed = d.path().join("mixed");
    std::fs::create_dir_all(mixed.join(".git")).unwrap();
    std::fs::create_dir_all(mixed.join("sub")).unwrap();
    std::fs::write(mixed.join("a.txt"), "Oil prices climb as OPEC+ meets").unwrap();
    std::fs::write(mixed.join("sub/b.HTML"), "<p>Hello world.</p>").unwrap();
    std::fs::write(mixed.join("c.html.gz"), gz(b"<p>Gzipped page.</p>")).unwrap();
    std::fs::write(mixed.join("main.rs"), "fn main() {}").unwrap();
    std::fs::write(mixed.join("notes.md"), "# notes").unwrap();
    std::fs::write(mixed.join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
    std::fs::write(mixed.join(".hidden.txt"), "hidden").unwrap();
    std::fs::write(mixed.join(".git/HEAD.txt"), "ref").unwrap();
    let ids = |o: &std::process::Output| -> Vec<String> {
        let mut v: Vec<String> = json_lines(o)
            .iter()
            .map(|p| {
                let id = p["id"].as_str().unwrap();
                id.rsplit(['/', '\\']).next().unwrap().to_string()
            })
            .collect();
        v.sort();
        v
    };
    let o = run(&["classify", mixed.to_str().unwrap()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(ids(&o), ["a.txt", "b.HTML", "c.html.gz"]);
    let o = run(&["classify", "--all-files", mixed.to_str().unwrap()], b"");
    assert_eq!(
        ids(&o),
        [
            "a.txt",
            "b.HTML",
            "c.html.gz",
            "logo.png",
            "main.rs",
            "notes.md"
        ]
    );
}

/// The human format of the example page, without colour.
fn human_example(extra: &[&str], env: &[(&str, Option<&str>)]) -> String {
    let mut args = vec!["classify", "--format", "human"];
    args.extend(extra);
    args.push("examples/wire-story.txt");
    let o = run_env(&args, env);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn human_format_is_a_summary_and_a_line_per_block() {
    let text = human_example(&["--color", "never"], &[]);
    assert!(!text.contains('\u{1b}'), "no colour: {text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("examples/wire-story.txt  28 blocks, ")
            && lines[0].contains(" body words, en "),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + 28 + 1, "{text}");
    assert_eq!(lines[29], "", "a blank line ends the page");
    let json = json_lines(&run(&["classify", "examples/wire-story.txt"], b""));
    let blocks = json[0]["blocks"].as_array().unwrap();
    for (line, b) in lines[1..29].iter().zip(blocks) {
        let role = b["role"].as_str().unwrap();
        let conf = b["role_scores"][role].as_f64().unwrap();
        let head = format!("  {role:<6} {:<5} {conf:.2}  ", b["lang"].as_str().unwrap());
        assert!(line.starts_with(&head), "{line:?} should start {head:?}");
        assert!(line.chars().count() <= 100, "cut to 100 columns: {line}");
    }
    // Line breaks inside a block are spaces; long blocks end in an ellipsis.
    assert!(
        lines.iter().any(|l| l.starts_with("  body   en    ")
            && l[19..].starts_with("  Red Sea shipping insurers raise premiums again")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.ends_with('…')));
    // Arabic is in display order: the last letter of "عاجل" comes first.
    assert!(lines[2].ends_with("لجاع"), "{}", lines[2]);
    assert!(human_example(&["--color", "never", "--bidi", "logical"], &[]).contains("  عاجل\n"));
    // The width follows COLUMNS when the terminal's is unknown.
    let narrow = human_example(&["--color", "never"], &[("COLUMNS", Some("60"))]);
    assert!(narrow
        .lines()
        .all(|l| l.chars().count() <= 60 || !l.starts_with("  ")));
}

#[test]
fn human_format_colours_when_asked_and_honours_no_color() {
    let has_escapes = |t: &str| t.contains("\u{1b}[");
    assert!(has_escapes(&human_example(&["--color", "always"], &[])));
    // Into a pipe, `auto` does not colour, unless CLICOLOR_FORCE says so;
    // NO_COLOR (non-empty) wins over it.
    assert!(!has_escapes(&human_example(&[], &[])));
    let force = ("CLICOLOR_FORCE", Some("1"));
    assert!(has_escapes(&human_example(&[], &[force])));
    assert!(!has_escapes(&human_example(
        &[],
        &[force, ("NO_COLOR", Some("1"))]
    )));
    assert!(has_escapes(&human_example(
        &[],
        &[force, ("NO_COLOR", Some(""))]
    )));
    // `--color always` still colours with NO_COLOR: it is an explicit choice.
    assert!(has_escapes(&human_example(
        &["--color", "always"],
        &[("NO_COLOR", Some("1"))]
    )));
}

#[test]
fn a_pipe_gets_json_lines_and_a_terminal_the_human_format() {
    let o = run_env(
        &["classify", "examples/wire-story.txt"],
        &[("CLICOLOR_FORCE", Some("1"))],
    );
    assert!(o.status.success());
    assert_eq!(json_lines(&o).len(), 1, "JSON Lines into a pipe");
    // A real terminal: `script` (util-linux) runs the command on a pseudo-terminal.
    let script = std::process::Command::new("script")
        .arg("--version")
        .output();
    if !script.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("util-linux")) {
        eprintln!("skipped: the terminal half needs util-linux `script`");
        return;
    }
    let cmd = format!(
        "{} classify examples/wire-story.txt",
        env!("CARGO_BIN_EXE_ghirbal")
    );
    let o = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(root())
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("28 blocks"), "{text}");
    assert!(text.contains("\u{1b}["), "coloured on a terminal: {text}");
    assert!(!text.contains("\"blocks\""), "not JSON: {text}");
    // With -o, a terminal still gets JSON in the file.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("o.jsonl");
    let cmd = format!("{cmd} -o {}", out.display());
    let o = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(o.status.success());
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(serde_json::from_str::<Value>(file.trim()).is_ok(), "{file}");
}

/// Blocks of a legacy-encoded text page: each block's text is its bytes
/// decoded in `enc` (offsets are the input's).
fn check_legacy_page(page: &Value, input: &[u8], enc: &'static encoding_rs::Encoding) {
    assert!(page.get("lossy").is_none(), "{page}");
    for b in page["blocks"].as_array().unwrap() {
        let (s, e) = (
            b["start"].as_u64().unwrap() as usize,
            b["end"].as_u64().unwrap() as usize,
        );
        let (text, _, bad) = enc.decode(&input[s..e]);
        assert!(!bad);
        assert_eq!(text, b["text"].as_str().unwrap());
    }
}

#[test]
fn legacy_text_pages_are_detected_and_encoding_forces_one() {
    let d = tempfile::tempdir().unwrap();
    let ar = "عاجل: انقطاع مؤقت للكهرباء في عدة أحياء من العاصمة\n\
              الرئيسية | محليات | اقتصاد\n\
              أعلنت وزارة الطاقة أن التيار الكهربائي سيعود إلى جميع المناطق خلال ساعات، بعد إصلاح العطل في محطة التحويل الرئيسية.\n\
              © 2025 الوادي نيوز. جميع الحقوق محفوظة\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ar);
    let p1256 = d.path().join("ar-1256.txt");
    std::fs::write(&p1256, &bytes).unwrap();
    let fr = "Le café du théâtre a réouvert ses portes à Noël, après des années de travaux.\n\
              Société générale — communiqué de presse\n";
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(fr);
    let p1252 = d.path().join("fr-1252.txt");
    std::fs::write(&p1252, &latin).unwrap();
    let o = run(
        &["classify", p1256.to_str().unwrap(), p1252.to_str().unwrap()],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("lossy"), "{}", stderr(&o));
    let pages = json_lines(&o);
    let texts: Vec<&str> = pages[0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.join("\n") + "\n", ar);
    assert_eq!(pages[0]["blocks"][0]["lang"], "ar");
    check_legacy_page(&pages[0], &bytes, encoding_rs::WINDOWS_1256);
    assert!(pages[1]["blocks"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Le café du théâtre"));
    check_legacy_page(&pages[1], &latin, encoding_rs::WINDOWS_1252);
    // Forced: the Arabic page read as latin-1 is garbled (and says nothing).
    let o = run(
        &["classify", "--encoding", "latin1", p1256.to_str().unwrap()],
        b"",
    );
    assert!(o.status.success());
    let page = &json_lines(&o)[0];
    assert!(!page["blocks"][0]["text"].as_str().unwrap().contains("عاجل"));
    check_legacy_page(page, &bytes, encoding_rs::WINDOWS_1252);
    // Forced right, it reads as detected.
    let o = run(
        &["classify", "--encoding", "cp1256", p1256.to_str().unwrap()],
        b"",
    );
    assert_eq!(json_lines(&o)[0]["blocks"], pages[0]["blocks"]);
    // An HTML page is forced too, over its <meta>.
    let ph = d.path().join("p.html");
    let mut html = b"<meta charset=utf-8><p>".to_vec();
    html.extend_from_slice(&bytes);
    std::fs::write(&ph, &html).unwrap();
    let o = run(
        &[
            "classify",
            "--encoding",
            "windows-1256",
            ph.to_str().unwrap(),
        ],
        b"",
    );
    assert!(json_lines(&o)[0]["blocks"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("عاجل"));
    // An unknown label is an argument error.
    let o = run(
        &["classify", "--encoding", "klingon", p1256.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown encoding label \"klingon\""),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn html_pages_carry_their_title_and_date() {
    let d = tempfile::tempdir().unwrap();
    let body = "<p>Marine insurers have raised war-risk premiums for vessels crossing the southern Red Sea.</p>";
    let pages = [
        (
            "title.html",
            format!("<html><head><title>The  title</title><meta property=\"og:title\" content=\"OG\"><meta property=\"article:published_time\" content=\"2025-03-06T08:00:00Z\"></head><body><h1>H1</h1><time datetime=\"2001-01-01\">x</time>{body}"),
            Some("The title"),
            Some("2025-03-06T08:00:00Z"),
        ),
        (
            "og.html",
            format!("<head><meta property=\"og:title\" content=\"عاجل: OG title\"></head><h1>H1</h1><p>On <time datetime=\"2024-05-01T10:00\">1 May</time></p>{body}"),
            Some("عاجل: OG title"),
            Some("2024-05-01T10:00"),
        ),
        ("h1.html", format!("<h1>Red <em>Sea</em> shipping</h1>{body}"), Some("Red Sea shipping"), None),
        ("none.html", body.to_string(), None, None),
    ];
    let mut args = vec!["classify".to_string()];
    for (name, html, _, _) in &pages {
        let p = d.path().join(name);
        std::fs::write(&p, html).unwrap();
        args.push(p.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args, b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    for (line, (name, _, title, date)) in lines.iter().zip(&pages) {
        assert_eq!(line["title"].as_str(), *title, "{name}");
        assert_eq!(line["date"].as_str(), *date, "{name}");
        assert!(!line["blocks"].as_array().unwrap().is_empty());
    }
    // jsonl-text carries them too, and the human summary shows the title.
    let mut text_args = args.clone();
    text_args.insert(1, "--format=jsonl-text");
    let text = json_lines(&run(&text_args, b""));
    assert_eq!(text[0]["title"], "The title");
    assert_eq!(text[1]["date"], "2024-05-01T10:00");
    assert!(text[3].get("title").is_none() && text[3].get("date").is_none());
    let mut human_args = args.clone();
    human_args.insert(1, "--format=human");
    assert!(stdout(&run(&human_args, b"")).contains("  “The title”  "));
    // A WARC record's date comes first.
    let html = pages[0].1.as_bytes();
    let warc = warc_record("response", "t1", RESP, &http("text/html", html));
    let o = run(&["classify", "-"], &warc);
    let line = &json_lines(&o)[0];
    assert_eq!(line["date"], "2025-03-12T10:00:02Z");
    assert_eq!(line["title"], "The title");
}

#[test]
fn messages_count_in_the_singular_when_there_is_one() {
    let o = run(&["classify", "-"], b"{broken\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ghirbal: 1 record read, 0 classified, 1 failed"),
        "{}",
        stderr(&o)
    );
    // The evaluation of one labelled page: its text and Markdown reports.
    let d = tempfile::tempdir().unwrap();
    let gold = d.path().join("gold");
    std::fs::create_dir(&gold).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/report/gold/en-story.txt"),
        gold.join("en-story.txt"),
    )
    .unwrap();
    let o = run_in(d.path(), &["eval", "gold", "--report-md", "r.md"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("\n1 page, "), "{text}");
    assert!(text.contains("(WCXB style, mean of 1 page)"), "{text}");
    let md = std::fs::read_to_string(d.path().join("r.md")).unwrap();
    assert!(md.contains("count the 1 page ("), "{md}");
    assert!(md.contains("averaged over 1 page:"), "{md}");
}

#[test]
fn evaluation_defaults_work_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let o = run_in(elsewhere.path(), &["eval-lang", "--json"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(serde_json::from_slice::<Value>(&o.stdout).is_ok());
    // A path given is taken as given, and a missing one is named.
    let o = run_in(elsewhere.path(), &["eval-lang", "no/such/set.jsonl"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/set.jsonl"), "{}", stderr(&o));
    if !root().join("../shared/data/wcxb-dev/html").is_dir() {
        eprintln!("skipped: the wcxb-eval half needs ../shared/data/wcxb-dev");
        return;
    }
    let ids = elsewhere.path().join("ids.txt");
    std::fs::write(&ids, "0002\n").unwrap();
    let o = run_in(
        elsewhere.path(),
        &["wcxb-eval", "--json", "--ids", ids.to_str().unwrap()],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(report["overall"]["f1"].as_f64().is_some(), "{report}");
}

#[test]
fn completions_and_man_pages_are_printed() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell], b"");
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(
            script.contains("classify") && script.contains("encoding"),
            "{shell}"
        );
    }
    let o = run(&["completions", "tcsh"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["man"], b"");
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(
        page.contains(".TH ghirbal 1") && page.contains("classify"),
        "{page}"
    );
    let o = run(&["man", "classify"], b"");
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(
        page.contains(".TH ghirbal\\-classify 1") || page.contains(".TH ghirbal-classify 1"),
        "{page}"
    );
    assert!(page.contains("\\-\\-encoding"), "{page}");
    let o = run(&["man", "nope"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no command \"nope\""));
}
