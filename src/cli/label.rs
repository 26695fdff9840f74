//! `ghirbal label-sheet` and `ghirbal label-apply`: correcting the labels of
//! HTML pages by hand.
//!
//! A sheet is one tab-separated line per block of a page — index, role,
//! language, where the block sits (tag, landmark, link density, class
//! tokens) and its text — proposed from the page's own `data-ghirbal-*`
//! labels when it has them, else by the model. A reader corrects the role and
//! language columns; `label-apply` writes the page back as labelled HTML
//! with the corrected labels. Rows are matched to blocks by index when the
//! texts agree, else by text in order, so a sheet still applies after the
//! extraction has changed a few blocks (unmatched blocks keep their old
//! labels and are counted).

use super::{load_model, Outcome};
use crate::output::plural;
use crate::page::Limits;
use crate::read::html::extract::Options;
use crate::read::html::HtmlPage;
use crate::{Classifier, Lang, Role};
use anyhow::{bail, Context};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct SheetArgs {
    /// HTML pages (labelled or not; `.gz` allowed).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Directory to write one `NAME.tsv` sheet per page to (pages of one
    /// name in different directories: `DIR~NAME.tsv`, then `NAME~2.tsv` …).
    #[arg(long)]
    out: PathBuf,
    /// Model that proposes labels for unlabelled pages (default: embedded).
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ApplyArgs {
    /// Corrected sheets.
    #[arg(required = true)]
    sheets: Vec<PathBuf>,
    /// Write the labelled pages into this directory (same file names as the
    /// sources) instead of over the `# source:` of each sheet.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Longest text shown per block, in characters.
const SHOWN_CHARS: usize = 400;

fn read_maybe_gz(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut v = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut v)
            .with_context(|| format!("cannot decompress {}", path.display()))?;
        Ok(v)
    } else {
        Ok(raw)
    }
}

/// A page file's name without `.html`/`.htm` and `.gz`.
fn page_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("page")
        .trim_end_matches(".gz")
        .trim_end_matches(".html")
        .trim_end_matches(".htm")
        .to_string()
}

/// The sheet name of the page at `path`: its [`page_name`]; when another
/// page of this run has that name, prefixed by the page's directory
/// (`sada-news~home`), and failing that numbered (`home~2`). Names are
/// compared case-insensitively, as some file systems do.
fn sheet_name(path: &Path, taken: &mut std::collections::HashSet<String>) -> String {
    let base = page_name(path);
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .map(|d| format!("{d}~{base}"));
    let candidates = std::iter::once(base.clone())
        .chain(parent)
        .chain((2..).map(|k| format!("{base}~{k}")));
    for name in candidates {
        if taken.insert(name.to_lowercase()) {
            return name;
        }
    }
    unreachable!("the numbered names never run out")
}

fn parse(path: &Path) -> anyhow::Result<HtmlPage> {
    let bytes = read_maybe_gz(path)?;
    // Pages without a `ghirbal:id` are named by their file name.
    let id = page_name(path);
    let mut p = crate::read::html::parse_page(
        &id,
        None,
        &bytes,
        None,
        &Limits::default(),
        Options {
            record_nodes: true,
            fallback: false,
        },
    );
    if let Some(h) = &p.extracted.head.id {
        p.page.id = h.clone();
    }
    if p.page.url.is_none() {
        p.page.url = p.extracted.head.url.clone();
    }
    Ok(p)
}

/// A block's text as a sheet shows it: one line, tabs as spaces, cut.
fn shown(text: &str) -> String {
    let mut s = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == SHOWN_CHARS {
            s.push('…');
            break;
        }
        match c {
            '\n' => s.push_str(" ⏎ "),
            '\t' | '\r' => s.push(' '),
            c => s.push(c),
        }
    }
    s
}

/// Where a block sits, for a reader: the innermost tags, heading or list
/// item, landmark, link density and the nearest class tokens.
fn place(b: &crate::page::Block) -> String {
    let Some(s) = b.structure.as_deref() else {
        return String::new();
    };
    let n = s.tag_path.len();
    let tags = s.tag_path[n.saturating_sub(2)..].join(">");
    let mut out = tags;
    if let Some(l) = &s.landmark {
        out.push_str(&format!(" [{l}]"));
    }
    if s.link_density > 0.0 {
        out.push_str(&format!(" ld={:.1}", s.link_density));
    }
    let cls: Vec<&str> = s.class_tokens.iter().take(4).map(|t| &**t).collect();
    if !cls.is_empty() {
        out.push_str(" .");
        out.push_str(&cls.join("."));
    }
    out
}

pub fn sheet(args: SheetArgs) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    // The model is loaded only if some page has blocks without labels.
    let mut model = None;
    // Sheet names given so far: two pages of one name (`a/home.html`,
    // `b/home.html`) get a sheet each, never one over the other.
    let mut taken = std::collections::HashSet::new();
    for f in &args.files {
        let p = parse(f)?;
        let labels = &p.extracted.labels;
        let predicted = if labels.iter().all(|(r, _)| r.is_some()) {
            None
        } else {
            if model.is_none() {
                model = Some(load_model(args.model.as_ref())?);
            }
            let m = model.as_deref().expect("loaded above");
            Some(Classifier::new(m).classify(&p.page))
        };
        let mut s = String::new();
        s.push_str("# ghirbal label sheet: edit the ROLE and LANG columns only (LABELS.md)\n");
        s.push_str(&format!("# source: {}\n", f.display()));
        if let Some(u) = &p.page.url {
            s.push_str(&format!("# url: {u}\n"));
        }
        s.push_str(&format!("# blocks: {}\n", p.page.blocks.len()));
        s.push_str("# N\tROLE\tLANG\tWHERE\tTEXT\n");
        for (i, (b, t)) in p.page.iter().enumerate() {
            let identified = || crate::lang::identify(t).lang.as_str().to_string();
            let (role, lang) = match (&labels[i], &predicted) {
                ((Some(r), Some(l)), _) => (r.clone(), l.clone()),
                ((None, _), Some(pr)) => (
                    pr[i].role.as_str().to_string(),
                    pr[i].lang.lang.as_str().to_string(),
                ),
                ((Some(r), None), _) => (r.clone(), identified()),
                ((None, _), None) => ("chrome".to_string(), identified()),
            };
            s.push_str(&format!(
                "{i}\t{role}\t{lang}\t{}\t{}\n",
                place(b),
                shown(t)
            ));
        }
        let out = args.out.join(format!("{}.tsv", sheet_name(f, &mut taken)));
        crate::io::write_atomic(&out, s.as_bytes())
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    eprintln!(
        "ghirbal: {} written to {}",
        plural(args.files.len(), "sheet"),
        args.out.display()
    );
    Ok(Outcome::Ok)
}

/// One corrected row of a sheet.
struct Row {
    index: usize,
    role: Role,
    lang: Lang,
    text: String,
}

fn read_sheet(path: &Path) -> anyhow::Result<(PathBuf, Vec<Row>)> {
    let s =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut source = None;
    let mut rows = Vec::new();
    for (n, line) in s.lines().enumerate() {
        let at = || format!("{}:{}", path.display(), n + 1);
        if let Some(rest) = line.strip_prefix("# source: ") {
            source = Some(PathBuf::from(rest.trim()));
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(5, '\t').collect();
        if cols.len() < 5 {
            bail!("{}: expected 5 tab-separated columns", at());
        }
        let index = cols[0].trim().parse().with_context(at)?;
        let role: Role = cols[1]
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{}: {e}", at()))?;
        let lang: Lang = cols[2]
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{}: {e}", at()))?;
        rows.push(Row {
            index,
            role,
            lang,
            text: cols[4].to_string(),
        });
    }
    let source = source.with_context(|| format!("{}: no '# source:' line", path.display()))?;
    Ok((source, rows))
}

/// For each block, the sheet row that labels it: by index when the shown
/// texts agree, else the next row in order with the same text.
fn match_rows(shown: &[String], rows: &[Row]) -> Vec<Option<usize>> {
    let by_index = rows.len() == shown.len()
        && rows
            .iter()
            .enumerate()
            .all(|(i, r)| r.index == i && r.text == shown[i]);
    if by_index {
        return (0..rows.len()).map(Some).collect();
    }
    let mut out = vec![None; shown.len()];
    let mut next = 0;
    for (i, s) in shown.iter().enumerate() {
        if let Some(k) = rows[next..].iter().position(|r| &r.text == s) {
            out[i] = Some(next + k);
            next += k + 1;
        }
    }
    out
}

pub fn apply(args: ApplyArgs) -> anyhow::Result<Outcome> {
    let mut unmatched_total = 0;
    for sheet in &args.sheets {
        let (source, rows) = read_sheet(sheet)?;
        let p = parse(&source)?;
        let shown_texts: Vec<String> = p.page.iter().map(|(_, t)| shown(t)).collect();
        let matched = match_rows(&shown_texts, &rows);
        let mut labels: Vec<(String, String)> = Vec::with_capacity(matched.len());
        let mut unmatched = 0;
        for (i, m) in matched.iter().enumerate() {
            match m {
                Some(k) => labels.push((
                    rows[*k].role.as_str().to_string(),
                    rows[*k].lang.as_str().to_string(),
                )),
                None => {
                    unmatched += 1;
                    let (r, l) = &p.extracted.labels[i];
                    let t = p.page.block_text(i);
                    labels.push((
                        r.clone().unwrap_or_else(|| "chrome".into()),
                        l.clone()
                            .unwrap_or_else(|| crate::lang::identify(t).lang.as_str().into()),
                    ));
                }
            }
        }
        let refs: Vec<(&str, &str)> = labels
            .iter()
            .map(|(r, l)| (r.as_str(), l.as_str()))
            .collect();
        let mut html = Vec::new();
        crate::read::html::serialize::write_labelled(&mut html, &p, &refs)
            .with_context(|| format!("cannot serialise {}", source.display()))?;
        let back = crate::corpus::parse_labelled_html(&html, &source.display().to_string())
            .map_err(|e| anyhow::anyhow!("{}: does not read back: {e}", source.display()))?;
        if back.page.text != p.page.text
            || !back
                .roles
                .iter()
                .map(|r| r.as_str())
                .eq(refs.iter().map(|l| l.0))
        {
            bail!(
                "{}: labelled page does not read back identically",
                source.display()
            );
        }
        let target = match &args.out {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                dir.join(source.file_name().context("source has no file name")?)
            }
            None => source.clone(),
        };
        let bytes = if target.extension().is_some_and(|e| e == "gz") {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(&html)?;
            e.finish()?
        } else {
            html
        };
        crate::io::write_atomic(&target, &bytes)
            .with_context(|| format!("cannot write {}", target.display()))?;
        if unmatched > 0 {
            eprintln!(
                "ghirbal: {}: {unmatched} of {} matched no sheet row and kept {} labels",
                sheet.display(),
                plural(matched.len(), "block"),
                if unmatched == 1 { "its" } else { "their" }
            );
        }
        unmatched_total += unmatched;
    }
    eprintln!(
        "ghirbal: {} applied, {} unmatched",
        plural(args.sheets.len(), "sheet"),
        plural(unmatched_total, "block")
    );
    Ok(Outcome::Ok)
}
