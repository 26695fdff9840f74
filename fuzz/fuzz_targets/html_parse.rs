//! Differential: any text parsed by the parser (ghirbal's tokenizer,
//! `src/read/html/tokenizer.rs`) and by the reference (html5ever's own
//! tokenizer), both feeding html5ever's tree builder, must give the same
//! tree, with scripting on and off. Trees where an attribute guard fired
//! are not compared: the reference cuts attributes with a light scan of the
//! text, the parser as it tokenizes, and on hostile markup the two can count
//! differently. Builds with `cargo +nightly build --release --bin
//! html_parse` here, or `cargo +nightly fuzz run html_parse`.
#![no_main]
use ghirbal::__private::{parse_html, parse_html_reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for scripting in [true, false] {
        let dom = parse_html(&text, scripting);
        let reference = parse_html_reference(&text, scripting);
        if dom.cut_attributes || reference.cut_attributes {
            continue;
        }
        assert_eq!(dom.dropped_tags, reference.dropped_tags);
        assert!(
            dom.same_tree(&reference),
            "trees differ (scripting {scripting}):\n{dom:#?}\n{reference:#?}"
        );
    }
});
