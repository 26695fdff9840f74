//! Any text as a labelled page (training input): parse errors are values.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ghirbal::__private::parse_annotated(text, "fuzz.txt");
        let _ = ghirbal::__private::parse_jsonl(text, "fuzz.jsonl");
    }
});
