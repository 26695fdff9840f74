//! Decoding: raw input bytes to text, without losing track of where each
//! character came from.
//!
//! In: the bytes of one plain-text page. Out: a `String`, an [`OffsetMap`] back
//! to the input bytes, and whether anything had to be replaced. UTF-8 (with or
//! without BOM) is the norm; UTF-16 with a BOM is honoured; invalid UTF-8 is
//! replaced by U+FFFD and flagged, never an error.

use crate::page::OffsetMap;

/// A decoded text page.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub offsets: OffsetMap,
    /// Some bytes were invalid and replaced by U+FFFD.
    pub lossy: bool,
}

/// Decode a text page: UTF-16 when it starts with a UTF-16 BOM, UTF-8 otherwise.
pub fn decode_text(bytes: &[u8]) -> Decoded {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, 2, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, 2, u16::from_be_bytes),
        _ => decode_utf8_lossy(bytes),
    }
}

/// UTF-8, replacing each maximal invalid sequence by U+FFFD.
pub fn decode_utf8_lossy(bytes: &[u8]) -> Decoded {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_owned(),
            offsets: OffsetMap::identity(),
            lossy: false,
        };
    }
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut offsets = OffsetMap::identity();
    let mut pos = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(s) => {
                text.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // SAFETY-free: from_utf8 guarantees this prefix is valid.
                text.push_str(std::str::from_utf8(&bytes[pos..pos + valid]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(bytes.len() - pos - valid);
                text.push('\u{FFFD}');
                pos += valid + bad;
                offsets.push(text.len(), pos);
            }
        }
    }
    Decoded {
        text,
        offsets,
        lossy: true,
    }
}

fn decode_utf16(body: &[u8], bom: usize, read: fn([u8; 2]) -> u16) -> Decoded {
    let units = body.chunks_exact(2).map(|c| read([c[0], c[1]]));
    let mut text = String::with_capacity(body.len());
    let mut offsets = OffsetMap::identity();
    let mut lossy = body.len() % 2 == 1;
    let mut original = bom;
    offsets.push(0, original);
    for r in char::decode_utf16(units) {
        let (c, width) = match r {
            Ok(c) => (c, c.len_utf16() * 2),
            Err(_) => {
                lossy = true;
                ('\u{FFFD}', 2)
            }
        };
        text.push(c);
        original += width;
        offsets.push(text.len(), original);
    }
    if body.len() % 2 == 1 {
        text.push('\u{FFFD}');
        offsets.push(text.len(), original + 1);
    }
    Decoded {
        text,
        offsets,
        lossy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_identity() {
        let d = decode_text("\u{FEFF}مرحبا hello".as_bytes());
        assert!(!d.lossy);
        assert_eq!(d.text, "\u{FEFF}مرحبا hello");
        assert_eq!(d.offsets.original(5), 5);
    }

    #[test]
    fn invalid_bytes_are_replaced_and_offsets_map_back() {
        let bytes = b"ab\xFFcd\xE2\x82zz";
        let d = decode_text(bytes);
        assert!(d.lossy);
        assert_eq!(d.text, "ab\u{FFFD}cd\u{FFFD}zz");
        let c = d.text.find('c').unwrap();
        assert_eq!(d.offsets.original(c), 3);
        let z = d.text.find('z').unwrap();
        assert_eq!(d.offsets.original(z), 7);
        assert_eq!(&bytes[d.offsets.original(z)..], b"zz");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "سلام hi".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_text(&bytes);
        assert_eq!(d.text, "سلام hi");
        assert!(!d.lossy);
        let h = d.text.find('h').unwrap();
        assert_eq!(d.offsets.original(h), 2 + 5 * 2);
    }
}
