//! Any bytes as a WARC or WET file (plain or gzip): the reader yields records
//! or errors, never panics, and always ends.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(data.to_vec()));
    let mut r = ghirbal::WarcReader::new("fuzz.warc", src, 1 << 16);
    let mut n = 0;
    while let Some(rec) = r.next_record() {
        n += 1;
        assert!(n <= data.len() + 1, "more records than bytes");
        if let Ok(rec) = rec {
            let _ = rec.header("WARC-Type");
        }
    }
});
