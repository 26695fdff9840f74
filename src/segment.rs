//! Segmenter for plain text (Common Crawl WET style).
//!
//! In: the decoded text of a page. Out: its [`Block`]s in order.
//!
//! Rules, in the words of `LABELS.md`:
//! - every line with visible characters starts a block of its own: blocks are
//!   separated by line breaks, blank lines, or lines holding only whitespace
//!   (NBSP included) and invisible marks (BOM, bidi controls, zero-width);
//! - an indented line (starting with whitespace) continues the block above it;
//! - consecutive lines of one word each (a headline broken one word per line,
//!   a menu one item per line) form one block.
//!
//! A block starts at its first and ends after its last visible character, so
//! every visible character of the page belongs to exactly one block.

use crate::lang::Script;
use crate::page::{Block, Limits};

/// Longest line, in characters, that still counts as "one word".
const MAX_WORD_LINE_CHARS: usize = 40;

/// Whitespace, or a mark that is invisible on its own: it neither makes a line
/// non-blank nor starts or ends a block.
pub fn is_ignorable(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{FEFF}' | '\u{00AD}' | '\u{061C}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}')
}

/// One raw line's visible content.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Visible content `[start, end)`; `start == end` for a blank line.
    start: usize,
    end: usize,
    indented: bool,
    one_word: bool,
    /// Scripts of the line's letters: bit 0 Arabic, bit 1 any other.
    scripts: u8,
}

fn scan_line(text: &str, line_start: usize, line_end: usize) -> Line {
    let s = &text[line_start..line_end];
    let mut first = None;
    let mut last = 0;
    let mut inner_space = false;
    let mut scripts = 0u8;
    let mut chars = 0usize;
    let mut pending_space = false;
    for (i, c) in s.char_indices() {
        if is_ignorable(c) {
            if first.is_some() && c.is_whitespace() {
                pending_space = true;
            }
            continue;
        }
        if first.is_none() {
            first = Some(i);
        }
        if pending_space {
            inner_space = true;
            pending_space = false;
        }
        scripts |= match crate::lang::script(c) {
            Script::Arabic => 1,
            Script::Latin | Script::Hebrew | Script::OtherLetter => 2,
            _ => 0,
        };
        chars += 1;
        last = i + c.len_utf8();
    }
    match first {
        None => Line {
            start: line_end,
            end: line_end,
            indented: false,
            one_word: false,
            scripts: 0,
        },
        Some(f) => Line {
            start: line_start + f,
            end: line_start + last,
            indented: s.chars().next().is_some_and(char::is_whitespace),
            one_word: !inner_space && scripts != 0 && chars <= MAX_WORD_LINE_CHARS,
            scripts,
        },
    }
}

/// Split a plain-text page into blocks with the default [`Limits`].
///
/// ```
/// let text = "Home\nNews\nSport\n\nOil prices rose on Wednesday\n  as delegates met.\n";
/// let blocks: Vec<&str> = ghirbal::segment(text).iter().map(|b| &text[b.start..b.end]).collect();
/// // One-word lines make one block; an indented line continues the one above.
/// assert_eq!(blocks, ["Home\nNews\nSport", "Oil prices rose on Wednesday\n  as delegates met."]);
/// ```
pub fn segment(text: &str) -> Vec<Block> {
    segment_with(text, &Limits::default()).0
}

/// Split a plain-text page into blocks; the flag tells whether `max_blocks`
/// cut the page short.
pub fn segment_with(text: &str, limits: &Limits) -> (Vec<Block>, bool) {
    let blocks = segment_lines(text);
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        if b.end - b.start <= limits.max_block_bytes {
            out.push(b);
        } else {
            split_long(text, b, limits.max_block_bytes.max(16), &mut out);
        }
        if out.len() >= limits.max_blocks {
            out.truncate(limits.max_blocks);
            return (out, true);
        }
    }
    (out, false)
}

/// Cut an over-long block into pieces of at most `max` bytes, preferring the
/// last whitespace before the limit; every piece starts and ends on a visible
/// character.
fn split_long(text: &str, b: Block, max: usize, out: &mut Vec<Block>) {
    let mut start = b.start;
    while start < b.end {
        let mut end = if b.end - start <= max {
            b.end
        } else {
            let mut cut = start + max;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let window = &text[start..cut];
            match window.rfind(char::is_whitespace) {
                Some(ws) if ws > max / 2 => start + ws,
                _ => cut,
            }
        };
        // Trim invisible characters at both ends of the piece.
        let piece = &text[start..end];
        let lead = piece.len() - piece.trim_start_matches(is_ignorable).len();
        let trail = piece.len() - piece.trim_end_matches(is_ignorable).len();
        let (s, e) = (start + lead, end - trail);
        if s < e {
            let lines = text[s..e].matches('\n').count() as u32 + 1;
            out.push(Block::new(s, e, lines));
        }
        if end <= start {
            end = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        start = end;
    }
}

fn segment_lines(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // State of the open block: whether the previous raw line belongs to it, and
    // whether all its lines are one-word lines.
    let mut open = false;
    let mut open_is_word_run = false;
    // Scripts of the open word run: a run of one-word lines is one broken
    // headline only while its words share a script; a vertical menu whose
    // items alternate Arabic and English is one block per item.
    let mut run_scripts = 0u8;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    while line_start <= text.len() {
        let line_end = memchr::memchr(b'\n', &bytes[line_start..])
            .map(|i| line_start + i)
            .unwrap_or(text.len());
        let line = scan_line(text, line_start, line_end);
        if line.start == line.end {
            open = false;
        } else {
            let joins = open
                && match blocks.last() {
                    Some(_) if open_is_word_run => {
                        (line.one_word && line.scripts == run_scripts) || line.indented
                    }
                    Some(_) => line.indented,
                    None => false,
                };
            if joins {
                let b = blocks.last_mut().expect("open block exists");
                b.end = line.end;
                b.lines += 1;
                open_is_word_run &= line.one_word;
            } else {
                blocks.push(Block::new(line.start, line.end, 1));
                open_is_word_run = line.one_word;
                run_scripts = line.scripts;
            }
            open = true;
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        segment(t).iter().map(|b| &t[b.start..b.end]).collect()
    }

    #[test]
    fn consecutive_lines_are_separate_blocks() {
        let t = "© 2025 Al Wadi\r\nجميع الحقوق محفوظة\nPrivacy Policy\n\n\u{00A0}\nTerms of use";
        assert_eq!(
            texts(t),
            vec![
                "© 2025 Al Wadi",
                "جميع الحقوق محفوظة",
                "Privacy Policy",
                "Terms of use"
            ]
        );
    }

    #[test]
    fn indented_continuation_joins() {
        let t = "First line of a paragraph\n   continues here\nNext block";
        assert_eq!(
            texts(t),
            vec!["First line of a paragraph\n   continues here", "Next block"]
        );
    }

    #[test]
    fn one_word_lines_form_one_block() {
        let t = "Oil prices climb as OPEC+ meets\nOil\nprices\nclimb\nShare this\nعاجل";
        let b = segment(t);
        assert_eq!(&t[b[1].start..b[1].end], "Oil\nprices\nclimb");
        assert_eq!(b[1].lines, 3);
        assert_eq!(b.len(), 4);
    }

    #[test]
    fn one_word_lines_of_different_scripts_are_separate_blocks() {
        let t = "Home\nالرئيسية\nNews\nأخبار\nسياسة\nاقتصاد\nSport";
        assert_eq!(
            texts(t),
            vec!["Home", "الرئيسية", "News", "أخبار\nسياسة\nاقتصاد", "Sport"]
        );
    }

    #[test]
    fn bidi_marks_and_bom_are_not_content() {
        let t = "\u{FEFF}\u{200F}عاجل\u{200F}\n\u{200E}\n12/03/2025";
        assert_eq!(texts(t), vec!["عاجل", "12/03/2025"]);
    }

    #[test]
    fn long_blocks_are_cut_and_block_count_is_capped() {
        let long = "word ".repeat(100);
        let limits = Limits {
            max_block_bytes: 64,
            max_blocks: 1000,
            ..Limits::default()
        };
        let (b, truncated) = segment_with(&long, &limits);
        assert!(!truncated);
        assert!(b.len() >= 8);
        assert!(b.iter().all(|x| x.end - x.start <= 64));
        let covered: usize = b
            .iter()
            .map(|x| long[x.start..x.end].matches("word").count())
            .sum();
        assert_eq!(covered, 100);
        let no_space = "ع".repeat(100);
        let (b, _) = segment_with(&no_space, &limits);
        assert!(b
            .iter()
            .all(|x| no_space.is_char_boundary(x.start) && x.end - x.start <= 64));
        assert_eq!(
            b.iter().map(|x| x.end - x.start).sum::<usize>(),
            no_space.len()
        );
        let many = "a b\n".repeat(50);
        let (b, truncated) = segment_with(
            &many,
            &Limits {
                max_blocks: 10,
                ..limits
            },
        );
        assert!(truncated);
        assert_eq!(b.len(), 10);
    }

    #[test]
    fn empty_and_blank_pages_have_no_blocks() {
        assert!(segment("").is_empty());
        assert!(segment(" \n\t\n\u{00A0}\r\n").is_empty());
    }
}
