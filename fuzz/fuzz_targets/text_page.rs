//! Any bytes as a plain-text page: decode, segment, identify, classify and
//! write JSON; must never panic, and the output must stay valid JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ghirbal::Limits {
        max_page_bytes: 1 << 16,
        max_block_bytes: 512,
        max_blocks: 500,
    };
    let page = ghirbal::page_from_text_with("fuzz", None, data, &limits);
    for b in &page.blocks {
        assert!(b.start < b.end && b.end <= page.text.len());
    }
    let model = ghirbal::default_model().expect("default model");
    let labels = ghirbal::Classifier::new(model).classify(&page);
    let line = ghirbal::json_line(&page, &labels, "fuzz");
    let v: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(v["blocks"].as_array().map(Vec::len), Some(page.blocks.len()));
});
