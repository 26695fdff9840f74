//! Any bytes as a model file: loading must fail cleanly or give a model that
//! predicts without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = ghirbal::Model::from_json(text) {
        let page = ghirbal::page_from_text("fuzz", None, "عاجل\nHome\n© 2025".as_bytes());
        let _ = ghirbal::Classifier::new(&m).classify(&page);
    }
});
