//! Property tests of the text segmenter over generated pages.

use ghirbal::{__private::is_ignorable, segment};
use proptest::prelude::*;

/// Pieces real pages are made of, including the awkward ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\u{00A0}".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("\u{200F}".to_string()),
        Just("\u{202B}".to_string()),
        Just("عاجل".to_string()),
        Just("الأخبار".to_string()),
        Just("Oil".to_string()),
        Just("prices climb".to_string()),
        Just("©".to_string()),
        Just("12/03/2025".to_string()),
        Just("ـ".to_string()),
        Just("\u{FFFD}".to_string()),
        "[a-zA-Z0-9 ]{1,12}",
        "\\PC{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_visible_character_is_in_exactly_one_block(
        parts in proptest::collection::vec(piece(), 0..60)
    ) {
        let text: String = parts.concat();
        let blocks = segment(&text);
        let mut owner = vec![usize::MAX; text.len()];
        let mut prev_end = 0;
        for (k, b) in blocks.iter().enumerate() {
            prop_assert!(b.start < b.end, "non-empty");
            prop_assert!(b.start >= prev_end, "ordered and disjoint");
            prop_assert!(text.is_char_boundary(b.start) && text.is_char_boundary(b.end));
            let t = &text[b.start..b.end];
            prop_assert!(!is_ignorable(t.chars().next().unwrap()), "starts visible");
            prop_assert!(!is_ignorable(t.chars().next_back().unwrap()), "ends visible");
            prop_assert_eq!(b.lines as usize, t.split('\n').count());
            for o in owner.iter_mut().take(b.end).skip(b.start) {
                *o = k;
            }
            prev_end = b.end;
        }
        for (i, c) in text.char_indices() {
            if !is_ignorable(c) {
                prop_assert!(owner[i] != usize::MAX, "{:?} at {} in no block", c, i);
            }
        }
    }

    #[test]
    fn blocks_never_span_a_blank_line(parts in proptest::collection::vec(piece(), 0..40)) {
        let text: String = parts.concat();
        for b in segment(&text) {
            for line in text[b.start..b.end].split('\n') {
                prop_assert!(line.chars().any(|c| !is_ignorable(c)), "blank line inside {:?}", &text[b.start..b.end]);
            }
        }
    }
}
