//! Character encoding of an HTML document, decided as a browser decides it.
//!
//! In: the document's bytes, the `charset` of an HTTP `Content-Type` header
//! when there is one, and the page URL (its top-level domain helps the
//! detector). Out: the [`Encoding`] to decode with, where that choice came
//! from, and the decoded text.
//!
//! Order, after the WHATWG encoding-sniffing algorithm: a byte-order mark; the
//! transport-layer hint (HTTP header); a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` found by the standard prescan (first
//! 1024 bytes, then — because many real pages declare late — up to
//! [`EXTENDED_PRESCAN`] bytes); and with no declaration, content detection
//! (chardetng, as Firefox does), which gives UTF-8 for valid UTF-8 and
//! otherwise a legacy encoding guessed from the bytes and the domain (so an
//! undeclared Arabic page in windows-1256 still decodes).
//!
//! One correction to the standard order, because crawls are full of wrong
//! labels: when the declared encoding is a legacy single-byte one but the
//! bytes are valid UTF-8 with non-ASCII characters in them, the page is
//! decoded as UTF-8. (Real legacy text is practically never valid UTF-8:
//! windows-1256 Arabic letters are all lead bytes followed by lead bytes.)

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How far the `<meta>` prescan looks at most.
pub const EXTENDED_PRESCAN: usize = 16 * 1024;

/// Where the chosen encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    /// The HTTP header (or a caller that knows, like a JSON `html` field).
    Hint,
    Meta,
    /// A declaration said a legacy encoding, but the bytes are UTF-8.
    Utf8Override,
    Detected,
    /// The caller forced it (`classify --encoding`), whatever the document says.
    Forced,
}

/// The outcome of sniffing.
#[derive(Debug, Clone, Copy)]
pub struct Sniffed {
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom: usize,
    #[cfg_attr(not(test), allow(dead_code))] // what the tests check
    pub source: Source,
}

/// Decide the encoding of `bytes`.
pub fn sniff(bytes: &[u8], hint: Option<&str>, url: Option<&str>) -> Sniffed {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return Sniffed {
            encoding,
            bom,
            source: Source::Bom,
        };
    }
    let declared = hint
        .and_then(|h| Encoding::for_label(h.trim().as_bytes()))
        .map(|e| (e, Source::Hint))
        .or_else(|| prescan(bytes).map(|e| (e, Source::Meta)));
    match declared {
        Some((e, source)) => {
            let e = if source == Source::Meta {
                meta_fixup(e)
            } else {
                e
            };
            if e != UTF_8 && e.is_single_byte() && is_non_ascii_utf8(bytes) {
                return Sniffed {
                    encoding: UTF_8,
                    bom: 0,
                    source: Source::Utf8Override,
                };
            }
            Sniffed {
                encoding: e,
                bom: 0,
                source,
            }
        }
        None => Sniffed {
            encoding: detect(bytes, url),
            bom: 0,
            source: Source::Detected,
        },
    }
}

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Some bytes were malformed in that encoding and became U+FFFD.
    pub lossy: bool,
}

/// Sniff and decode. With `cut`, the bytes are a prefix of a longer document:
/// an incomplete character at the very end is dropped, not flagged.
pub fn decode(bytes: &[u8], hint: Option<&str>, url: Option<&str>, cut: bool) -> Decoded {
    decode_sniffed(Cow::Borrowed(bytes), sniff(bytes, hint, url), cut)
}

/// [`decode`] of bytes the caller gives up: valid UTF-8 becomes the text in
/// place, without a copy.
pub(crate) fn decode_owned(
    bytes: Vec<u8>,
    hint: Option<&str>,
    url: Option<&str>,
    cut: bool,
) -> Decoded {
    let s = sniff(&bytes, hint, url);
    decode_sniffed(Cow::Owned(bytes), s, cut)
}

/// Decode in `encoding`, whatever the document says (its BOM is skipped when
/// it is that encoding's); as [`decode`] with `cut`.
pub fn decode_as(bytes: &[u8], encoding: &'static Encoding, cut: bool) -> Decoded {
    decode_sniffed(Cow::Borrowed(bytes), forced(bytes, encoding), cut)
}

/// [`decode_as`] of bytes the caller gives up, as [`decode_owned`].
pub(crate) fn decode_owned_as(bytes: Vec<u8>, encoding: &'static Encoding, cut: bool) -> Decoded {
    let s = forced(&bytes, encoding);
    decode_sniffed(Cow::Owned(bytes), s, cut)
}

fn forced(bytes: &[u8], encoding: &'static Encoding) -> Sniffed {
    let bom = match Encoding::for_bom(bytes) {
        Some((e, n)) if e == encoding => n,
        _ => 0,
    };
    Sniffed {
        encoding,
        bom,
        source: Source::Forced,
    }
}

/// Most input bytes decoded in one step. The decoder touches every memory
/// page of the room it is given, so it is given only what one step can fill:
/// room for the worst case of the whole document (3 bytes out per byte in)
/// would cost resident memory three times the page's size.
const DECODE_STEP: usize = 1 << 20;

fn decode_sniffed(mut bytes: Cow<'_, [u8]>, s: Sniffed, cut: bool) -> Decoded {
    let mut bom = s.bom;
    // Valid UTF-8 decodes to itself (and a cut page that is valid UTF-8
    // does not end inside a character): validated once, and owned bytes
    // become the text without a copy.
    if s.encoding == UTF_8 {
        let valid = |text| Decoded {
            text,
            encoding: s.encoding,
            lossy: false,
        };
        bytes = match bytes {
            Cow::Borrowed(b) => match std::str::from_utf8(&b[bom..]) {
                Ok(t) => return valid(t.to_owned()),
                Err(_) => Cow::Borrowed(b),
            },
            Cow::Owned(mut v) => {
                v.drain(..bom);
                bom = 0;
                match String::from_utf8(v) {
                    Ok(t) => return valid(t),
                    Err(e) => Cow::Owned(e.into_bytes()),
                }
            }
        };
    }
    let body = &bytes[bom..];
    let mut decoder = s.encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len());
    let mut lossy = false;
    let mut rest = body;
    loop {
        let step = &rest[..rest.len().min(DECODE_STEP)];
        let last = step.len() == rest.len() && !cut;
        let need = decoder
            .max_utf8_buffer_length(step.len())
            .unwrap_or(step.len().saturating_mul(3));
        if text.capacity() - text.len() < need {
            text.reserve_exact(need);
        }
        let (result, read, replaced) = decoder.decode_to_string(step, &mut text, last);
        lossy |= replaced;
        rest = &rest[read..];
        if result == encoding_rs::CoderResult::InputEmpty && read == step.len() && rest.is_empty() {
            break;
        }
    }
    Decoded {
        text,
        encoding: s.encoding,
        lossy,
    }
}

/// The WHATWG rule for encodings named by `<meta>`: UTF-16 cannot be
/// declared from inside the document, and x-user-defined means windows-1252.
fn meta_fixup(e: &'static Encoding) -> &'static Encoding {
    if e == UTF_16BE || e == UTF_16LE {
        UTF_8
    } else if e == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        e
    }
}

fn is_non_ascii_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Content detection for undeclared documents.
fn detect(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    if bytes.is_ascii() || std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    guess(bytes, url, chardetng::Utf8Detection::Allow)
}

/// chardetng's guess for `bytes`, helped by the URL's top-level domain
/// (shared with text pages, [`crate::read::decode`]).
pub(crate) fn guess(
    bytes: &[u8],
    url: Option<&str>,
    utf8: chardetng::Utf8Detection,
) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The detector needs no more than a good sample; keep detection cheap on huge pages.
    let sample = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(sample, sample.len() == bytes.len());
    let tld = url.and_then(tld);
    det.guess(tld.map(str::as_bytes), utf8)
}

/// The top-level domain of a URL's host, lower-cased.
fn tld(url: &str) -> Option<&str> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let t = host.rsplit('.').next()?;
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase())).then_some(t)
}

/// The WHATWG prescan for a `<meta>` encoding declaration.
pub fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    prescan_window(&bytes[..bytes.len().min(1024)])
        .or_else(|| prescan_window(&bytes[..bytes.len().min(EXTENDED_PRESCAN)]))
}

fn prescan_window(b: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            // Ends at the first '>' preceded by "--", counting the opening dashes.
            let mut j = i + 4;
            loop {
                if j >= b.len() {
                    return None;
                }
                if b[j] == b'>' && j >= i + 4 && b[j - 1] == b'-' && b[j - 2] == b'-' {
                    break;
                }
                j += 1;
            }
            i = j + 1;
        } else if rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && matches!(rest[5], b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/')
        {
            i += 6;
            if let Some(e) = meta_declaration(b, &mut i) {
                return Some(meta_fixup(e));
            }
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic()
            || rest.len() > 2 && rest[1] == b'/' && rest[2].is_ascii_alphabetic()
        {
            i += 1;
            while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                i += 1;
            }
            while get_attribute(b, &mut i).is_some() {}
        } else if rest.len() > 1 && matches!(rest[1], b'!' | b'/' | b'?') {
            match memchr::memchr(b'>', &b[i..]) {
                Some(k) => i += k + 1,
                None => return None,
            }
        } else {
            i += 1;
        }
    }
    None
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// The attributes of one `<meta>` tag: its encoding, when it declares one.
fn meta_declaration(b: &[u8], i: &mut usize) -> Option<&'static Encoding> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<Option<&'static Encoding>> = None;
    while let Some((name, value)) = get_attribute(b, i) {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value.eq_ignore_ascii_case(b"content-type"),
            b"content" if charset.is_none() => {
                if let Some(c) = charset_from_content(&value) {
                    charset = Some(Encoding::for_label(c));
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Some(Encoding::for_label(&value));
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    match need_pragma {
        None => None,
        Some(true) if !got_pragma => None,
        _ => charset.flatten(),
    }
}

/// The WHATWG "get an attribute" step of the prescan: lower-cased name, raw value.
fn get_attribute(b: &[u8], i: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *i < b.len() && (is_space(b[*i]) || b[*i] == b'/') {
        *i += 1;
    }
    if *i >= b.len() || b[*i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    let mut value = Vec::new();
    loop {
        let &c = b.get(*i)?;
        if c == b'=' && !name.is_empty() {
            *i += 1;
            break;
        } else if is_space(c) {
            while *i < b.len() && is_space(b[*i]) {
                *i += 1;
            }
            if b.get(*i) != Some(&b'=') {
                return Some((name, value));
            }
            *i += 1;
            break;
        } else if c == b'/' || c == b'>' {
            return Some((name, value));
        } else {
            name.push(c.to_ascii_lowercase());
            *i += 1;
        }
    }
    while *i < b.len() && is_space(b[*i]) {
        *i += 1;
    }
    match b.get(*i) {
        None => None,
        Some(&q @ (b'"' | b'\'')) => {
            *i += 1;
            let end = memchr::memchr(q, &b[*i..])?;
            value.extend(b[*i..*i + end].iter().map(u8::to_ascii_lowercase));
            *i += end + 1;
            Some((name, value))
        }
        Some(b'>') => Some((name, value)),
        Some(_) => {
            while *i < b.len() && !is_space(b[*i]) && b[*i] != b'>' {
                value.push(b[*i].to_ascii_lowercase());
                *i += 1;
            }
            Some((name, value))
        }
    }
}

/// The charset named in a `content="text/html; charset=…"` value.
fn charset_from_content(v: &[u8]) -> Option<&[u8]> {
    let mut p = 0;
    loop {
        let k = memchr::memmem::find(&v[p..], b"charset")?;
        p += k + 7;
        let mut j = p;
        while j < v.len() && is_space(v[j]) {
            j += 1;
        }
        if v.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < v.len() && is_space(v[j]) {
            j += 1;
        }
        return match v.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &v[j + 1..])?;
                Some(&v[j + 1..j + 1 + end])
            }
            Some(_) => {
                let end = v[j..]
                    .iter()
                    .position(|&c| is_space(c) || c == b';')
                    .unwrap_or(v.len() - j);
                Some(&v[j..j + end])
            }
            None => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_everything() {
        let s = sniff(
            b"\xEF\xBB\xBF<meta charset=windows-1256>",
            Some("iso-8859-6"),
            None,
        );
        assert_eq!((s.encoding, s.bom, s.source), (UTF_8, 3, Source::Bom));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let e = |b: &[u8]| prescan(b).map(|e| e.name());
        assert_eq!(
            e(b"<html><head><meta charset=\"windows-1256\">"),
            Some("windows-1256")
        );
        assert_eq!(
            e(b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-6'>"),
            Some("ISO-8859-6")
        );
        // content without http-equiv does not count
        assert_eq!(e(b"<meta content='text/html; charset=ISO-8859-6'>"), None);
        // inside a comment does not count
        assert_eq!(
            e(b"<!-- <meta charset=koi8-r> --><meta charset=utf-8>"),
            Some("UTF-8")
        );
        // UTF-16 from meta means UTF-8
        assert_eq!(e(b"<meta charset=utf-16le>"), Some("UTF-8"));
        // an attribute value that merely mentions meta
        assert_eq!(e(b"<div title='<meta charset=koi8-r>'>"), None);
        assert_eq!(e(b"<meta name=x><p>"), None);
    }

    #[test]
    fn header_hint_beats_meta_but_not_real_utf8() {
        let b = "<meta charset=windows-1256><p>\u{e9}".as_bytes();
        let s = sniff(b, Some("iso-8859-1"), None);
        assert_eq!(s.source, Source::Utf8Override);
        let b = b"<meta charset=windows-1256><p>\xe9";
        let s = sniff(b, Some("iso-8859-6"), None);
        assert_eq!((s.encoding.name(), s.source), ("ISO-8859-6", Source::Hint));
    }

    #[test]
    fn undeclared_arabic_legacy_bytes_are_detected() {
        let text = "المملكة العربية السعودية تعلن عن خطة جديدة لتطوير التعليم في جميع المدارس الحكومية خلال العام المقبل";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let mut page = b"<html><body><p>".to_vec();
        page.extend_from_slice(&bytes);
        let d = decode(&page, None, Some("https://example.sa/a"), false);
        assert_eq!(d.encoding.name(), "windows-1256");
        assert!(d.text.contains(text));
        assert!(!d.lossy);
    }

    #[test]
    fn cut_documents_do_not_flag_a_split_character() {
        let b = "<p>سلام".as_bytes();
        let d = decode(&b[..b.len() - 1], Some("utf-8"), None, true);
        assert!(!d.lossy);
        assert_eq!(d.text, "<p>سلا");
    }

    #[test]
    fn decoding_in_steps_is_decoding_at_once() {
        // Characters split across step boundaries, malformed bytes, a BOM,
        // and pages cut inside a character, in single- and multi-byte
        // encodings; owned and borrowed bytes alike.
        let arabic = "<p>سلام عليكم ورحمة الله</p>\n".repeat(DECODE_STEP / 20);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in arabic.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (w1256, _, _) = encoding_rs::WINDOWS_1256.encode(&arabic);
        let mut bad_utf8 = arabic.clone().into_bytes();
        bad_utf8[DECODE_STEP - 1] = 0xFF;
        let mut bom_utf8 = b"\xEF\xBB\xBF".to_vec();
        bom_utf8.extend_from_slice(arabic.as_bytes());
        let cases: [(&[u8], &'static Encoding); 5] = [
            (&utf16, UTF_16LE),
            (&w1256, encoding_rs::WINDOWS_1256),
            (&bad_utf8, UTF_8),
            (&bom_utf8, UTF_8),
            (arabic.as_bytes(), UTF_8),
        ];
        for (bytes, e) in cases {
            for cut in [false, true] {
                let bytes = if cut {
                    &bytes[..bytes.len() - 1]
                } else {
                    bytes
                };
                let bom = Encoding::for_bom(bytes).map_or(0, |(_, n)| n);
                let mut whole = String::new();
                let mut decoder = e.new_decoder_without_bom_handling();
                whole.reserve(decoder.max_utf8_buffer_length(bytes.len()).unwrap());
                let (_, _, lossy) = decoder.decode_to_string(&bytes[bom..], &mut whole, !cut);
                for d in [
                    decode_as(bytes, e, cut),
                    decode_owned_as(bytes.to_vec(), e, cut),
                ] {
                    assert_eq!(
                        (d.text.len(), d.lossy),
                        (whole.len(), lossy),
                        "{}",
                        e.name()
                    );
                    assert!(d.text == whole, "{} cut {cut}", e.name());
                }
            }
        }
    }
}
