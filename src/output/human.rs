//! The human format: a classified page laid out for a person on a terminal.
//!
//! In: a page, its block labels and [`HumanOptions`] (width, colour, how to
//! order right-to-left text). Out: a summary line for the page (its id, URL
//! and title, blocks, body words, the language mix of the body) followed by one
//! line per block — role, language, confidence (the winning role's
//! probability) and the block's text on one line, cut to the width with an
//! ellipsis — and a blank line.
//!
//! Block text is made safe and legible: white space runs (line breaks of a
//! block included) become one space, control characters (an `ESC` in a page
//! must not drive the terminal) become `�`, and explicit bidi controls are
//! dropped. Most terminals draw characters left to right in the order they
//! arrive, so by default a line with right-to-left text is reordered for
//! display ([`Bidi::Visual`], the Unicode bidi algorithm); terminals that run
//! the algorithm themselves want [`Bidi::Logical`].

use super::{plural, PageSummary};
use crate::label::Role;
use crate::page::Page;
use crate::BlockLabel;
use anstyle::{AnsiColor, Style};
use std::fmt::Write;
use unicode_width::UnicodeWidthChar;

/// How right-to-left text is put on the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bidi {
    /// Reordered into display order (for terminals without bidi support,
    /// most of them).
    #[default]
    Visual,
    /// Left in logical order (for terminals that reorder it themselves).
    Logical,
}

/// How [`human`] lays a page out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// Columns of a line; a block's text is cut to what is left of it.
    pub width: usize,
    /// Colour the lines with ANSI escapes.
    pub color: bool,
    /// How right-to-left text is ordered.
    pub bidi: Bidi,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            width: DEFAULT_WIDTH,
            color: false,
            bidi: Bidi::Visual,
        }
    }
}

/// Line width when the terminal's is unknown.
pub const DEFAULT_WIDTH: usize = 100;

/// Columns of a page's title in its summary line at most.
const TITLE_WIDTH: usize = 60;

/// Columns a block's text gets at the least, however narrow the terminal.
const MIN_TEXT_WIDTH: usize = 20;

/// Columns before a block's text: two of indent, role (6), language (5),
/// confidence (4), with a space between and two before the text.
const PREFIX_WIDTH: usize = 2 + 6 + 1 + 5 + 1 + 4 + 2;

fn role_style(role: Role) -> Style {
    let c = match role {
        Role::Body => AnsiColor::Green,
        Role::Chrome => AnsiColor::BrightBlack,
        Role::Nav => AnsiColor::Cyan,
        Role::Legal => AnsiColor::Magenta,
        Role::Ad => AnsiColor::Yellow,
    };
    Style::new().fg_color(Some(c.into()))
}

/// Append `text` in `style` (plain when colour is off).
fn styled(out: &mut String, color: bool, style: Style, text: &str) {
    if color && style != Style::new() {
        let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
    } else {
        out.push_str(text);
    }
}

/// A page in the human format (lines end with `\n`; a blank line ends it).
pub fn human(page: &Page, labels: &[BlockLabel], opts: &HumanOptions) -> String {
    let mut out = String::with_capacity(128 + 120 * labels.len());
    let s = PageSummary::of(page, labels);
    styled(
        &mut out,
        opts.color,
        Style::new().bold(),
        &one_line(&page.id),
    );
    if let Some(u) = &page.url {
        out.push_str("  ");
        styled(&mut out, opts.color, Style::new().underline(), &one_line(u));
    }
    if let Some(t) = &page.title {
        out.push_str("  ");
        let title = display_line(t, TITLE_WIDTH, opts.bidi);
        styled(
            &mut out,
            opts.color,
            Style::new().italic(),
            &format!("“{title}”"),
        );
    }
    let _ = write!(
        out,
        "  {}, {} body {}",
        plural(s.blocks, "block"),
        s.body_words,
        if s.body_words == 1 { "word" } else { "words" }
    );
    let mix = s.body_mix();
    if !mix.is_empty() {
        out.push(',');
        for (lang, share) in mix {
            let _ = write!(out, " {lang} {:.0}%", share * 100.0);
        }
    }
    if page.lossy {
        styled(&mut out, opts.color, AnsiColor::Red.on_default(), ", lossy");
    }
    if page.truncated {
        styled(
            &mut out,
            opts.color,
            AnsiColor::Red.on_default(),
            ", truncated",
        );
    }
    out.push('\n');
    let room = opts.width.saturating_sub(PREFIX_WIDTH).max(MIN_TEXT_WIDTH);
    for ((_, text), l) in page.iter().zip(labels) {
        out.push_str("  ");
        styled(
            &mut out,
            opts.color,
            role_style(l.role),
            &format!("{:<6}", l.role.as_str()),
        );
        let _ = write!(
            out,
            " {:<5} {:.2}  ",
            l.lang.lang.as_str(),
            l.scores[l.role.index()]
        );
        let line = display_line(text, room, opts.bidi);
        let text_style = if l.role == Role::Body {
            Style::new()
        } else {
            Style::new().dimmed()
        };
        styled(&mut out, opts.color, text_style, &line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Whether a character is an explicit bidi control (marks, embeddings,
/// overrides, isolates): dropped from displayed text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` on one line: white space runs become one space, control
/// characters `�`, bidi controls nothing.
fn one_line(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !s.is_empty();
            continue;
        }
        if is_bidi_control(c) || c == '\u{FEFF}' {
            continue;
        }
        if space {
            s.push(' ');
            space = false;
        }
        s.push(if c.is_control() { '\u{FFFD}' } else { c });
    }
    s
}

/// A block's text as displayed: on one line, at most `room` columns (cut
/// with `…` at its logical end), in the order `bidi` asks for.
fn display_line(text: &str, room: usize, bidi: Bidi) -> String {
    let line = one_line(text);
    let mut cols = 0;
    let mut cut = None;
    for (i, c) in line.char_indices() {
        let w = c.width().unwrap_or(0);
        if cols + w > room.saturating_sub(1) && cut.is_none() {
            cut = Some(i);
        }
        cols += w;
        if cols > room {
            break;
        }
    }
    let line = match cut {
        Some(i) if cols > room => format!("{}…", line[..i].trim_end()),
        _ => line,
    };
    match bidi {
        Bidi::Logical => line,
        Bidi::Visual => visual(&line),
    }
}

/// `line` (no line breaks) in display order: the runs of the Unicode bidi
/// algorithm, right-to-left ones reversed by character with the marks that
/// follow it (harakat stay on their letter) and brackets mirrored.
fn visual(line: &str) -> String {
    if !line.chars().any(is_rtl_char) {
        return line.to_string();
    }
    let info = unicode_bidi::BidiInfo::new(line, None);
    let mut out = String::with_capacity(line.len());
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let text = &line[run.clone()];
            if !levels[run.start].is_rtl() {
                out.push_str(text);
                continue;
            }
            let mut clusters: Vec<&str> = Vec::new();
            let mut start = 0;
            for (i, c) in text.char_indices().skip(1) {
                if c.width() != Some(0) {
                    clusters.push(&text[start..i]);
                    start = i;
                }
            }
            clusters.push(&text[start..]);
            for cl in clusters.into_iter().rev() {
                let mut chars = cl.chars();
                if let Some(base) = chars.next() {
                    out.push(mirror(base));
                    out.extend(chars);
                }
            }
        }
    }
    out
}

/// The mirrored form of a bracket, drawn in a right-to-left run.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        _ => c,
    }
}

/// Whether a character is of a right-to-left script (the only text that
/// needs reordering).
fn is_rtl_char(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_line_safe_and_cut_with_an_ellipsis() {
        assert_eq!(one_line("a\n b\t\tc\u{1b}[31m"), "a b c\u{FFFD}[31m");
        assert_eq!(one_line("\u{202E}abc\u{202C}"), "abc");
        let cut = display_line(&"word ".repeat(40), 20, Bidi::Logical);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.chars().count() <= 20, "{cut}");
        assert_eq!(display_line("short", 20, Bidi::Logical), "short");
        assert_eq!(
            display_line(&"x".repeat(20), 20, Bidi::Logical),
            "x".repeat(20)
        );
        // Wide characters count two columns.
        let wide = display_line(&"漢".repeat(30), 20, Bidi::Logical);
        assert!(wide.chars().count() <= 10, "{wide}");
    }

    #[test]
    fn arabic_is_reordered_for_display_and_latin_left_alone() {
        assert_eq!(visual("Oil prices"), "Oil prices");
        // Right-to-left: the first letter in logical order is drawn last.
        assert_eq!(visual("عاجل"), "لجاع");
        let mixed = visual("السابق: Oil prices");
        assert!(mixed.starts_with("Oil prices"), "{mixed}");
        assert!(mixed.ends_with("قباسلا"), "{mixed}");
        assert_eq!(display_line("عاجل", 20, Bidi::Logical), "عاجل");
        // A shadda stays on its letter; brackets face the right way.
        assert_eq!(visual("عمّان"), "نامّع");
        assert_eq!(visual("(عاجل)"), "(لجاع)");
    }
}
