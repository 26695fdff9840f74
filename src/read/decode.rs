//! Decoding: raw input bytes to text, without losing track of where each
//! character came from.
//!
//! In: the bytes of one plain-text page, and an encoding when the caller
//! forces one. Out: a `String`, an [`OffsetMap`] back to the input bytes,
//! the encoding used, and whether anything had to be replaced.
//!
//! The encoding, when not forced: a byte-order mark (UTF-8, UTF-16LE/BE);
//! else UTF-8 when the bytes are valid UTF-8, or mostly so (at least as many
//! valid non-ASCII characters as invalid sequences: a UTF-8 page with a few
//! stray bytes stays UTF-8, its bad bytes replaced by U+FFFD); else the
//! legacy encoding chardetng guesses from the bytes (and the URL's
//! top-level domain), as for undeclared HTML, so a windows-1256 Arabic or a
//! windows-1252 French page decodes. Undecodable bytes become U+FFFD and the
//! page is flagged lossy, never an error.

use crate::page::OffsetMap;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// A decoded text page.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The page's text.
    pub text: String,
    /// Offsets in `text` back to offsets in the input bytes.
    pub offsets: OffsetMap,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static Encoding,
    /// Some bytes were invalid and replaced by U+FFFD.
    pub lossy: bool,
}

/// Decode a text page, its encoding detected (see the module docs).
#[cfg(test)]
fn decode_text(bytes: &[u8]) -> Decoded {
    decode_text_as(bytes, None, None)
}

/// Decode a text page in `forced` when given (a BOM is then only skipped
/// when it is that encoding's), else in the encoding detected; `url` helps
/// detection.
pub fn decode_text_as(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    url: Option<&str>,
) -> Decoded {
    // Valid UTF-8 (the usual case) is UTF-8 whatever follows would say: a
    // UTF-16 BOM is no valid UTF-8, and a UTF-8 BOM stays in the text. One
    // validation instead of three passes.
    if forced.is_none_or(|e| e == UTF_8) {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Decoded {
                text: s.to_owned(),
                offsets: OffsetMap::identity(),
                encoding: UTF_8,
                lossy: false,
            };
        }
    }
    let bom = Encoding::for_bom(bytes);
    let encoding = match (forced, bom) {
        (Some(e), _) => e,
        (None, Some((e, _))) => e,
        (None, None) => detect(bytes, url),
    };
    let skip = match bom {
        Some((e, n)) if e == encoding && e != UTF_8 => n,
        _ => 0,
    };
    let body = &bytes[skip..];
    if encoding == UTF_16LE {
        decode_utf16(body, skip, u16::from_le_bytes, encoding)
    } else if encoding == UTF_16BE {
        decode_utf16(body, skip, u16::from_be_bytes, encoding)
    } else if encoding == UTF_8 {
        // A UTF-8 BOM stays in the text (offsets are then the input's own).
        decode_utf8_lossy(bytes)
    } else {
        decode_legacy(bytes, encoding)
    }
}

/// The encoding of bytes without a BOM: UTF-8 when they are (mostly) UTF-8,
/// else chardetng's guess.
fn detect(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    if is_mostly_utf8(bytes) {
        return UTF_8;
    }
    super::html::charset::guess(bytes, url, chardetng::Utf8Detection::Deny)
}

/// Whether bytes are UTF-8 with at most as many invalid sequences as valid
/// non-ASCII characters (a sequence cut by the end of the bytes does not
/// count: a page cut at a size limit ends that way).
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut pos = 0;
    loop {
        let (good, bad) = match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => (bytes.len() - pos, None),
            Err(e) => (e.valid_up_to(), Some(e.error_len())),
        };
        valid += bytes[pos..pos + good]
            .iter()
            .filter(|&&b| b >= 0xC0)
            .count();
        match bad {
            None | Some(None) => return invalid <= valid,
            Some(Some(n)) => {
                invalid += 1;
                pos += good + n;
            }
        }
    }
}

/// Decode in a legacy (non-UTF) encoding, anchoring the offset map after
/// every character whose UTF-8 length differs from its length in the input.
fn decode_legacy(bytes: &[u8], encoding: &'static Encoding) -> Decoded {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut offsets = OffsetMap::identity();
    let mut lossy = false;
    // Fed one byte at a time: the text grows exactly when a character ends,
    // which is where decoded and original offsets are known to correspond.
    let mut shift = 0isize;
    for (i, b) in bytes.iter().enumerate() {
        let last = i + 1 == bytes.len();
        let mut src = std::slice::from_ref(b);
        loop {
            let need = decoder.max_utf8_buffer_length(src.len()).unwrap_or(16);
            text.reserve(need.max(4));
            let (result, read, replaced) = decoder.decode_to_string(src, &mut text, last);
            lossy |= replaced;
            src = &src[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        let now = text.len() as isize - (i + 1) as isize;
        if now != shift {
            offsets.push(text.len(), i + 1);
            shift = now;
        }
    }
    if bytes.is_empty() {
        let _ = decoder.decode_to_string(b"", &mut text, true);
    }
    Decoded {
        text,
        offsets,
        encoding,
        lossy,
    }
}

/// UTF-8, replacing each maximal invalid sequence by U+FFFD.
pub fn decode_utf8_lossy(bytes: &[u8]) -> Decoded {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_owned(),
            offsets: OffsetMap::identity(),
            encoding: UTF_8,
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
        encoding: UTF_8,
        lossy: true,
    }
}

fn decode_utf16(
    body: &[u8],
    bom: usize,
    read: fn([u8; 2]) -> u16,
    encoding: &'static Encoding,
) -> Decoded {
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
        encoding,
        lossy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_identity() {
        assert!(decode_text(b"").text.is_empty());
        let d = decode_text("\u{FEFF}مرحبا hello".as_bytes());
        assert!(!d.lossy);
        assert_eq!(d.text, "\u{FEFF}مرحبا hello");
        assert_eq!(d.offsets.original(5), 5);
    }

    #[test]
    fn invalid_bytes_are_replaced_and_offsets_map_back() {
        // Mostly UTF-8 (two valid letters, two bad sequences): still UTF-8.
        let bytes = "ñé ab\u{1}"
            .as_bytes()
            .iter()
            .chain(b"\xFFcd\xE2\x82zz")
            .copied();
        let bytes: Vec<u8> = bytes.collect();
        let d = decode_text(&bytes);
        assert!(d.lossy);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.text, "ñé ab\u{1}\u{FFFD}cd\u{FFFD}zz");
        let c = d.text.find('c').unwrap();
        assert_eq!(d.offsets.original(c), 9);
        let z = d.text.find('z').unwrap();
        assert_eq!(d.offsets.original(z), 13);
        assert_eq!(&bytes[d.offsets.original(z)..], b"zz");
    }

    #[test]
    fn legacy_pages_are_detected_and_offsets_map_back() {
        let ar = "المملكة العربية السعودية تعلن عن خطة جديدة لتطوير التعليم في جميع المدارس الحكومية خلال العام المقبل\nعاجل: 12 خبر";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(ar);
        let d = decode_text(&bytes);
        assert_eq!(d.encoding.name(), "windows-1256");
        assert!(!d.lossy);
        assert_eq!(d.text, ar);
        for (i, _) in ar.char_indices() {
            // Every character's offset maps to its byte (one per character).
            assert_eq!(d.offsets.original(i), ar[..i].chars().count());
        }
        let fr =
            "Le café du théâtre a réouvert ses portes à Noël, après des années de travaux coûteux.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(fr);
        let d = decode_text(&bytes);
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_eq!(d.text, fr);
        let e = fr.find("années").unwrap();
        assert_eq!(&bytes[d.offsets.original(e)..][..6], b"ann\xE9es");
        // Forced: windows-1256 bytes read as windows-1252 are not lossy, but garbled.
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("عاجل");
        let d = decode_text_as(&bytes, Some(encoding_rs::WINDOWS_1252), None);
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_ne!(d.text, "عاجل");
        // Bytes a legacy encoding does not map are replaced and flagged.
        let d = decode_text_as(b"a\xFFb", Some(encoding_rs::WINDOWS_1253), None);
        assert!(d.lossy);
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(d.offsets.original(d.text.len() - 1), 2);
    }

    #[test]
    fn a_page_cut_inside_a_character_stays_utf8() {
        let b = "plain text then سلام".as_bytes();
        let d = decode_text(&b[..b.len() - 1]);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with("plain text then سل"));
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
