//! `report.html` and the page viewer: one self-contained file each (inline
//! CSS, SVG and a little JavaScript; nothing is fetched), readable offline.
//!
//! The report holds the summary, per-role tables, confusion heatmaps (click a
//! cell to see its blocks), reliability diagrams per role, language figures,
//! the most confident mistakes and the pages worst first; beside it, the
//! page viewer draws every page as its blocks in order, coloured by predicted
//! role, mistakes outlined with the gold label shown, each block with its own
//! `dir` so Arabic lays out right to left, probabilities on hover, and
//! filters by role, language and mistakes.
//!
//! After layout, the script records facts about what the browser drew in the
//! `data-layout` attribute of `<body>` (blocks; blocks that start with an
//! Arabic letter, how many of them are laid out right to left and start at
//! the right edge; the same for Latin and left to right; heatmap cells …), so
//! a headless browser test can check the rendering from a DOM dump.

use super::{fig, Evaluation, ViewBlock, ViewPage};
use crate::eval::{Reliability, Report};
use crate::label::{Dir, Lang, Role};
use crate::output::plural;
use std::fmt::Write;

/// Background and edge colour of each role, in [`Role::ALL`] order.
pub const ROLE_COLOURS: [(&str, &str); Role::COUNT] = [
    ("#d4f0c8", "#2e7d32"),
    ("#e4e4e4", "#6d6d6d"),
    ("#d3e2fa", "#1565c0"),
    ("#f8e9bf", "#a67c00"),
    ("#f9d3e4", "#ad1457"),
];

/// How many of the most confident mistakes the report lists.
const CONFIDENT_MISTAKES: usize = 15;

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","DejaVu Sans",Arial,sans-serif;color:#1d1d1f;background:#fff}
header{padding:10px 20px;border-bottom:1px solid #ddd;background:#fafafa}
h1{font-size:19px;margin:0 0 2px}
h2{font-size:15px;margin:18px 0 6px}
.model{color:#555;font-size:12px;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.card{border:1px solid #ddd;border-radius:6px;padding:4px 10px;background:#fff;min-width:104px}
.card b{display:block;font-size:18px}
.card span{font-size:11px;color:#666}
.split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.figures{padding:0 18px 40px;border-right:1px solid #ddd;min-width:0;overflow-x:auto}
.viewer{position:sticky;top:0;height:100vh;overflow:auto;padding:0 16px 40px;background:#fff}
.solo .viewer{position:static;height:auto;max-width:1100px;margin:0 auto}
@media (max-width:1000px){.split{display:block}.viewer{position:static;height:auto}}
table{border-collapse:collapse;font-size:12px;margin:4px 0 8px}
th,td{border:1px solid #e2e2e2;padding:2px 6px;text-align:end;white-space:nowrap}
th:first-child,td:first-child,td.l{text-align:start}
td.snip{white-space:normal;max-width:340px;text-align:start}
th{background:#f5f5f5}
.note{font-size:12px;color:#555;max-width:760px}
.plots{display:flex;flex-wrap:wrap;gap:6px}
svg text{font:11px system-ui,sans-serif}
svg .cell{cursor:pointer}
.controls{position:sticky;top:0;background:#fff;padding:10px 0 6px;z-index:2;border-bottom:1px solid #eee;display:flex;flex-wrap:wrap;gap:10px;align-items:center;font-size:12px}
.controls select{font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0;font-size:12px;align-items:center}
.sw{display:inline-block;padding:0 8px;border-radius:3px;border-inline-start:5px solid}
.sw.miss{background:#fff;outline:2px solid #d50000}
.sw.lmiss{background:#fff;outline:2px dashed #ef6c00}
.sw.extra{background:#fff;outline:2px dotted #555}
.sw.miss,.sw.lmiss,.sw.extra{border-inline-start:0}
.pg{margin:12px 0 20px}
.pg h3{font-size:13px;margin:0 0 6px;padding:4px 0;border-bottom:1px solid #eee;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.pg h3 .figs{font-weight:normal;color:#555;font-size:12px}
.pg h3 .url{font-weight:normal;color:#777;font-size:11px;overflow-wrap:anywhere}
.blk{position:relative;margin:3px 0;padding:3px 8px;border-radius:3px;border-inline-start:5px solid}
.tx{white-space:pre-wrap;overflow-wrap:anywhere}
.blk[lang=ar] .tx{font-size:15px}
.blk.miss{outline:2px solid #d50000;outline-offset:1px}
.blk.lmiss:not(.miss){outline:2px dashed #ef6c00;outline-offset:1px}
.blk.extra{outline:2px dotted #555;outline-offset:1px}
.gold{display:block;font-size:11px;font-weight:600;color:#b00000}
.conf{display:none;position:absolute;top:-9px;right:6px;background:#333;color:#fff;font-size:11px;padding:0 5px;border-radius:3px;z-index:1;direction:ltr}
.blk:hover .conf{display:block}
.blk:target{box-shadow:0 0 0 4px #ffd600}
.err{color:#b00000;font-size:12px}
"#;

const JS: &str = r#"
(function(){
"use strict";
function $(id){return document.getElementById(id);}
var blocks=Array.prototype.slice.call(document.querySelectorAll('#viewer .blk'));
var pages=Array.prototype.slice.call(document.querySelectorAll('#viewer .pg'));
function val(id){var e=$(id);return e?e.value:'';}
function apply(){
  var r=val('f-role'),g=val('f-gold'),l=val('f-lang'),m=$('f-miss'),miss=!!(m&&m.checked),shown=0;
  blocks.forEach(function(b){
    var d=b.dataset;
    var ok=(!r||d.role===r)&&(!g||d.gold===g)&&(!l||d.lang===l)&&(!miss||d.err==='1');
    b.hidden=!ok;if(ok){shown++;}
  });
  pages.forEach(function(p){p.hidden=!p.querySelector('.blk:not([hidden])')&&!p.querySelector('.err');});
  var c=$('f-count');if(c){c.textContent=shown+' of '+blocks.length+' blocks shown';}
  return shown;
}
['f-role','f-gold','f-lang','f-miss'].forEach(function(id){var e=$(id);if(e){e.addEventListener('change',apply);}});
var reset=$('f-reset');
if(reset){reset.addEventListener('click',function(){
  ['f-role','f-gold','f-lang'].forEach(function(id){var e=$(id);if(e){e.value='';}});
  var m=$('f-miss');if(m){m.checked=false;}apply();});}
Array.prototype.forEach.call(document.querySelectorAll('svg .cell[data-gold]'),function(c){
  c.addEventListener('click',function(){
    $('f-gold').value=c.getAttribute('data-gold');$('f-role').value=c.getAttribute('data-pred');
    $('f-lang').value='';$('f-miss').checked=false;apply();$('viewer').scrollTop=0;
    $('viewer').scrollIntoView();});
});
// A link to a block hidden by a filter shows everything again first.
Array.prototype.forEach.call(document.querySelectorAll("a[href^='#b']"),function(a){
  a.addEventListener('click',function(){
    var t=$(a.getAttribute('href').slice(1));
    if(t&&(t.hidden||t.parentNode.hidden)){reset.click();}
  });
});
function facts(){
  var f={blocks:blocks.length,pages:pages.length,errors:0,arabicFirst:0,rtl:0,rtlRight:0,latinFirst:0,ltr:0,ltrLeft:0,blockTextDirDiffer:0,
    heatmapCells:document.querySelectorAll('svg.heatmap .cell').length,
    reliability:document.querySelectorAll('svg.reliability').length};
  blocks.forEach(function(b){
    if(b.dataset.err==='1'){f.errors++;}
    var tx=b.querySelector('.tx'),n=tx&&tx.firstChild;
    if(!n||n.nodeType!==3){return;}
    var i=n.data.search(/\S/);if(i<0){return;}
    var ch=n.data.charAt(i),box=tx.getBoundingClientRect();
    var rg=document.createRange();rg.setStart(n,i);rg.setEnd(n,i+1);
    var rc=rg.getBoundingClientRect();if(!rc.width&&!rc.height){return;}
    var rtl=getComputedStyle(tx).direction==='rtl';
    if(getComputedStyle(b).direction!==getComputedStyle(tx).direction){f.blockTextDirDiffer++;}
    if(/[\u0621-\u064A]/.test(ch)){
      f.arabicFirst++;
      if(rtl){f.rtl++;if(box.right-rc.right<=3){f.rtlRight++;}}
    }else if(/[A-Za-z]/.test(ch)){
      f.latinFirst++;
      if(!rtl){f.ltr++;if(rc.left-box.left<=3){f.ltrLeft++;}}
    }
  });
  var m=$('f-miss');
  if(m){m.checked=true;f.shownWithMistakesOnly=apply();m.checked=false;f.shownAll=apply();}
  document.body.setAttribute('data-layout',JSON.stringify(f));
}
apply();facts();
})();
"#;

fn head(s: &mut String, title: &str) {
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n",
        esc(title)
    );
}

fn tail(s: &mut String) {
    let _ = write!(s, "<script>{JS}</script>\n</body>\n</html>\n");
}

/// The HTML evaluation report: figures and the page viewer, worst pages first.
pub fn report(ev: &Evaluation) -> String {
    let r = &ev.report;
    let mut s = String::with_capacity(1 << 20);
    let model = r
        .model
        .as_ref()
        .map(|m| m.identity.clone())
        .unwrap_or_else(|| "unknown model".into());
    head(&mut s, &format!("ghirbal evaluation — {model}"));
    s.push_str("<body data-kind=\"report\">\n<header>\n<h1>ghirbal evaluation</h1>\n");
    let mut ident = vec![format!("model <b>{}</b>", esc(&model))];
    if let Some(m) = &r.model {
        if let Some(v) = m.feature_set {
            ident.push(format!("feature set {v}"));
        }
        if let Some(t) = &m.training_data {
            ident.push(format!("training data {}", esc(t)));
        }
        if let Some(w) = &m.weights {
            ident.push(format!("model file {}", esc(w)));
        }
    }
    if let Some(g) = &r.gold_data {
        ident.push(format!("gold data {}", esc(g)));
    }
    let _ = writeln!(s, "<div class=\"model\">{}</div>", ident.join(" · "));
    s.push_str("<div class=\"cards\" id=\"summary\">");
    let m = &r.summary;
    for (label, value) in [
        ("pages", r.pages.to_string()),
        ("blocks", r.blocks.to_string()),
        ("tokens", r.tokens.to_string()),
        ("macro-F1 (blocks)", fig(m.macro_f1_block)),
        ("macro-F1 (tokens)", fig(m.macro_f1_token)),
        ("body F1 (tokens)", fig(m.body_f1_token)),
        ("body word-F1", fig(m.body_word_f1)),
        ("language accuracy", fig(m.lang_accuracy_block)),
        (
            "calibration error",
            r.calibration.last().map(|c| fig(c.ece)).unwrap_or_default(),
        ),
    ] {
        let _ = write!(
            s,
            "<div class=\"card\"><b>{value}</b><span>{label}</span></div>"
        );
    }
    s.push_str("</div>\n</header>\n<main class=\"split\">\n<div class=\"figures\">\n");
    figures(&mut s, ev);
    s.push_str("</div>\n");
    viewer_section(&mut s, &ev.pages, true);
    s.push_str("</main>\n");
    tail(&mut s);
    s
}

/// The page viewer alone, for pages labelled without gold labels.
pub fn viewer(title: &str, model: Option<&str>, pages: &[ViewPage]) -> String {
    let mut s = String::with_capacity(1 << 18);
    head(&mut s, title);
    s.push_str("<body data-kind=\"viewer\" class=\"solo\">\n<header>\n");
    let _ = writeln!(s, "<h1>{}</h1>", esc(title));
    let blocks: usize = pages.iter().map(|p| p.blocks.len()).sum();
    let mut counts = [0usize; Role::COUNT];
    for b in pages.iter().flat_map(|p| &p.blocks) {
        counts[b.role.index()] += 1;
    }
    let _ = write!(
        s,
        "<div class=\"model\">model <b>{}</b> · {} · {}:",
        esc(model.unwrap_or("unknown")),
        plural(pages.len(), "page"),
        plural(blocks, "block")
    );
    for r in Role::ALL {
        let _ = write!(s, " {} {r}", counts[r.index()]);
    }
    s.push_str("</div>\n</header>\n<main>\n");
    viewer_section(&mut s, pages, false);
    s.push_str("</main>\n");
    tail(&mut s);
    s
}

fn figures(s: &mut String, ev: &Evaluation) {
    let r = &ev.report;
    let g = &r.segmentation;
    s.push_str("<section id=\"roles\"><h2>Roles</h2>\n<table><tr><th>role</th><th>P (blocks)</th><th>R (blocks)</th><th>F1 (blocks)</th><th>support</th><th>P (tokens)</th><th>R (tokens)</th><th>F1 (tokens)</th><th>support</th></tr>\n");
    for ((role, b), (_, t)) in r.roles_by_block.roles.iter().zip(&r.roles_by_token.roles) {
        let (bg, edge) = ROLE_COLOURS[role.index()];
        let _ = writeln!(
            s,
            "<tr><td><span class=\"sw\" style=\"background:{bg};border-color:{edge}\">{role}</span></td><td>{}</td><td>{}</td><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td><td><b>{}</b></td><td>{}</td></tr>",
            fig(b.precision), fig(b.recall), fig(b.f1), b.support,
            fig(t.precision), fig(t.recall), fig(t.f1), t.support
        );
    }
    let _ = writeln!(
        s,
        "<tr><td>macro</td><td></td><td></td><td><b>{}</b></td><td></td><td></td><td></td><td><b>{}</b></td><td></td></tr></table>",
        fig(r.roles_by_block.macro_f1),
        fig(r.roles_by_token.macro_f1)
    );
    let _ = writeln!(
        s,
        "<p class=\"note\">Per block: the {} of {} whose predicted blocks are the gold blocks. Per token: gold tokens aligned to the predicted blocks' tokens on every page ({} aligned, {} missed, {} extra). Body word-F1 (WCXB style): <b>{}</b> (precision {}, recall {}, mean of {}).</p></section>",
        g.pages_matching, plural(r.pages, "page"), g.tokens_aligned, g.tokens_missed, g.tokens_extra,
        fig(r.body_words.f1), fig(r.body_words.precision), fig(r.body_words.recall), plural(r.body_words.pages, "page")
    );

    s.push_str("<section id=\"confusion\"><h2>Role confusion</h2>\n<p class=\"note\">Rows gold, columns predicted; colour is the share of the gold row (blue: right, red: wrong). Click a cell to show its blocks in the viewer.</p><div class=\"plots\">\n");
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    heatmap(
        s,
        "heatmap-block",
        "per block",
        &roles,
        &r.roles_by_block.confusion,
        true,
    );
    heatmap(
        s,
        "heatmap-token",
        "per token",
        &roles,
        &r.roles_by_token.confusion,
        true,
    );
    s.push_str("</div></section>\n");

    s.push_str("<section id=\"calibration\"><h2>Reliability (confidence against accuracy)</h2>\n<p class=\"note\">Blocks by predicted role, in bins of the predicted role's probability: bars are the share that was right, the dark tick the mean confidence; a calibrated model's bars reach the diagonal.</p><div class=\"plots\">\n");
    for c in &r.calibration {
        reliability(s, c);
    }
    s.push_str("</div></section>\n");

    let _ = writeln!(
        s,
        "<section id=\"language\"><h2>Language</h2>\n<p class=\"note\">Accuracy {} per block, {} per token.</p><div class=\"plots\">",
        fig(r.lang_by_block.accuracy),
        fig(r.lang_by_token.accuracy)
    );
    let langs: Vec<&str> = Lang::ALL.iter().map(|l| l.as_str()).collect();
    heatmap(
        s,
        "heatmap-lang",
        "language per block",
        &langs,
        &r.lang_by_block.confusion,
        false,
    );
    s.push_str("</div>\n<table><tr><th>words</th><th>blocks</th><th>accuracy</th><th>confusions (gold → predicted)</th></tr>\n");
    for b in &r.lang_by_length {
        let mut errs = Vec::new();
        for (gi, row) in b.confusion.iter().enumerate() {
            for (pi, &v) in row.iter().enumerate() {
                if gi != pi && v > 0.0 {
                    errs.push(format!("{} → {}: {v}", Lang::ALL[gi], Lang::ALL[pi]));
                }
            }
        }
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            esc(&b.words),
            b.blocks,
            fig(b.accuracy),
            esc(&errs.join(", "))
        );
    }
    s.push_str("</table></section>\n");

    confident_mistakes(s, &ev.pages);
    page_table(s, r);
}

/// Red for wrong cells, blue for right ones, darker with the row share.
fn cell_colour(share: f64, diagonal: bool) -> String {
    let t = share.clamp(0.0, 1.0);
    let (from, to) = if diagonal {
        ((239.0, 245.0, 252.0), (8.0, 48.0, 107.0))
    } else {
        ((255.0, 245.0, 240.0), (165.0, 15.0, 21.0))
    };
    // A faint mistake is still visible: wrong cells start at a fifth of the scale.
    let t = if !diagonal && share > 0.0 {
        0.2 + 0.8 * t
    } else {
        t
    };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(from.0, to.0),
        mix(from.1, to.1),
        mix(from.2, to.2)
    )
}

fn heatmap(
    s: &mut String,
    id: &str,
    title: &str,
    labels: &[&str],
    m: &[Vec<f64>],
    clickable: bool,
) {
    let n = labels.len();
    let (cw, ch, left, top) = (54.0, 30.0, 56.0, 34.0);
    let w = left + cw * n as f64 + 4.0;
    let h = top + ch * n as f64 + 22.0;
    let _ = write!(
        s,
        "<svg class=\"heatmap\" id=\"{id}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"confusion {}\">",
        esc(title)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"12\" text-anchor=\"middle\" font-weight=\"600\">{} — predicted →</text>",
        left + cw * n as f64 / 2.0,
        esc(title)
    );
    for (j, l) in labels.iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{l}</text>",
            left + cw * (j as f64 + 0.5),
            top - 6.0
        );
    }
    for (i, row) in m.iter().enumerate() {
        let total: f64 = row.iter().sum();
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            top + ch * (i as f64 + 0.5) + 4.0,
            labels[i]
        );
        for (j, &v) in row.iter().enumerate() {
            let share = if total > 0.0 { v / total } else { 0.0 };
            let fill = cell_colour(share, i == j);
            let (x, y) = (left + cw * j as f64, top + ch * i as f64);
            let data = if clickable {
                format!(" data-gold=\"{}\" data-pred=\"{}\"", labels[i], labels[j])
            } else {
                String::new()
            };
            let _ = write!(
                s,
                "<rect class=\"cell\"{data} x=\"{x}\" y=\"{y}\" width=\"{cw}\" height=\"{ch}\" fill=\"{fill}\" stroke=\"#fff\"><title>gold {} → predicted {}: {v} ({:.1}% of gold {})</title></rect>",
                labels[i],
                labels[j],
                share * 100.0,
                labels[i]
            );
            let colour = if share > 0.45 { "#fff" } else { "#222" };
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{colour}\" pointer-events=\"none\">{v}</text>",
                x + cw / 2.0,
                y + ch / 2.0 + 4.0
            );
        }
    }
    let _ = writeln!(s, "<text x=\"4\" y=\"{}\">rows: gold</text></svg>", h - 6.0);
}

fn reliability(s: &mut String, c: &Reliability) {
    let (w, h, x0, y0, pw, ph) = (212.0, 200.0, 30.0, 22.0, 156.0, 150.0);
    let edge = Role::ALL
        .iter()
        .find(|r| r.as_str() == c.role)
        .map(|r| ROLE_COLOURS[r.index()].1)
        .unwrap_or("#444");
    let _ = write!(
        s,
        "<svg class=\"reliability\" id=\"reliability-{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"reliability {}\">",
        esc(&c.role),
        esc(&c.role)
    );
    let _ = write!(
        s,
        "<text x=\"2\" y=\"13\" font-weight=\"600\">{} · {} · ECE {}</text>",
        esc(&c.role),
        plural(c.blocks, "block"),
        fig(c.ece)
    );
    let _ = write!(
        s,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{pw}\" height=\"{ph}\" fill=\"#fafafa\" stroke=\"#bbb\"/>"
    );
    let _ = write!(
        s,
        "<line x1=\"{x0}\" y1=\"{}\" x2=\"{}\" y2=\"{y0}\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>",
        y0 + ph,
        x0 + pw
    );
    for b in &c.bins {
        let (Some(acc), Some(conf)) = (b.accuracy, b.confidence) else {
            continue;
        };
        let bx = x0 + pw * b.lower;
        let bw = pw * (b.upper - b.lower);
        let bh = ph * acc;
        let _ = write!(
            s,
            "<rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{edge}\" fill-opacity=\"0.55\" stroke=\"{edge}\"><title>confidence {:.1}–{:.1}: {}, mean confidence {}, accuracy {}</title></rect>",
            y0 + ph - bh,
            bw - 1.0,
            b.lower,
            b.upper,
            plural(b.blocks, "block"),
            fig(conf),
            fig(acc)
        );
        let cy = y0 + ph * (1.0 - conf);
        let _ = write!(
            s,
            "<line x1=\"{bx:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" stroke=\"#222\" stroke-width=\"2\"/>",
            bx + bw - 1.0
        );
    }
    for (v, label) in [(0.0, "0"), (0.5, "0.5"), (1.0, "1")] {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
            x0 - 3.0,
            y0 + ph * (1.0 - v) + 4.0,
            x0 + pw * v,
            y0 + ph + 13.0
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">confidence → (bars: accuracy)</text></svg>",
        x0 + pw / 2.0,
        h - 2.0
    );
}

fn confident_mistakes(s: &mut String, pages: &[ViewPage]) {
    let mut ms: Vec<(f32, usize, usize)> = Vec::new();
    for (pi, p) in pages.iter().enumerate() {
        for (bi, b) in p.blocks.iter().enumerate() {
            if b.is_role_error() {
                if let Some(c) = b.confidence() {
                    ms.push((c, pi, bi));
                }
            }
        }
    }
    if ms.is_empty() {
        return;
    }
    ms.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
    });
    s.push_str("<section id=\"mistakes\"><h2>Most confident mistakes</h2>\n<table><tr><th>confidence</th><th>predicted</th><th>gold</th><th>block</th><th>page</th></tr>\n");
    for &(c, pi, bi) in ms.iter().take(CONFIDENT_MISTAKES) {
        let p = &pages[pi];
        let b = &p.blocks[bi];
        let gold = b.gold.map(|g| g.0.as_str()).unwrap_or("");
        let snippet: String = b.text.chars().take(90).collect();
        let more = if b.text.chars().count() > 90 {
            "…"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<tr><td>{c:.3}</td><td>{}</td><td>{gold}</td><td class=\"snip\"><a href=\"#b{pi}-{bi}\" dir=\"auto\">{}{more}</a></td><td class=\"l\">{}</td></tr>",
            b.role,
            esc(&snippet),
            esc(&p.id)
        );
    }
    s.push_str("</table></section>\n");
}

fn page_table(s: &mut String, r: &Report) {
    s.push_str("<section id=\"page-table\"><h2>Pages, worst first</h2>\n<table><tr><th>#</th><th>page</th><th>blocks</th><th>role acc. (tokens)</th><th>role errors</th><th>body word-F1</th><th>lang. acc. (tokens)</th></tr>\n");
    for (i, p) in r.per_page.iter().enumerate() {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"l\"><a href=\"#pg{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&p.id),
            p.blocks,
            fig(p.role_accuracy_tokens),
            p.role_errors.map(|e| e.to_string()).unwrap_or_else(|| "–".into()),
            fig(p.body_word_f1),
            fig(p.lang_accuracy_tokens)
        );
    }
    s.push_str("</table></section>\n");
}

fn options(s: &mut String, id: &str, label: &str, values: &[&str]) {
    let _ = write!(
        s,
        "<label>{label} <select id=\"{id}\"><option value=\"\">any</option>"
    );
    for v in values {
        let _ = write!(s, "<option value=\"{v}\">{v}</option>");
    }
    s.push_str("</select></label>");
}

fn viewer_section(s: &mut String, pages: &[ViewPage], gold: bool) {
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let langs: Vec<&str> = Lang::ALL.iter().map(|l| l.as_str()).collect();
    s.push_str("<section class=\"viewer\" id=\"viewer\">\n<div class=\"controls\">");
    options(s, "f-role", "predicted role", &roles);
    if gold {
        options(s, "f-gold", "gold role", &roles);
    }
    options(s, "f-lang", "language", &langs);
    if gold {
        s.push_str("<label><input type=\"checkbox\" id=\"f-miss\"> mistakes only</label>");
    }
    s.push_str("<button type=\"button\" id=\"f-reset\">show all</button> <span id=\"f-count\"></span></div>\n<div class=\"legend\">");
    for r in Role::ALL {
        let (bg, edge) = ROLE_COLOURS[r.index()];
        let _ = write!(
            s,
            "<span class=\"sw\" style=\"background:{bg};border-color:{edge}\">{r}</span>"
        );
    }
    if gold {
        s.push_str("<span class=\"sw miss\">wrong role</span><span class=\"sw lmiss\">wrong language</span><span class=\"sw extra\">not in gold</span>");
    }
    s.push_str(" hover a block for its probabilities</div>\n");
    for (pi, p) in pages.iter().enumerate() {
        page(s, pi, p);
    }
    s.push_str("</section>\n");
}

fn page(s: &mut String, pi: usize, p: &ViewPage) {
    let _ = write!(
        s,
        "<section class=\"pg\" id=\"pg{pi}\" data-page=\"{}\"><h3><span>#{} {}</span>",
        esc(&p.id),
        pi + 1,
        esc(&p.id)
    );
    if let Some(u) = &p.url {
        let _ = write!(s, "<span class=\"url\">{}</span>", esc(u));
    }
    match &p.score {
        Some(sc) => {
            let blocks = match sc.role_errors {
                Some(e) => plural(e, "role error"),
                None => format!(
                    "segmented differently: {} missed, {} extra",
                    plural(sc.tokens_missed, "gold token"),
                    sc.tokens_extra
                ),
            };
            let _ = write!(
                s,
                "<span class=\"figs\">role accuracy {} (tokens) · {blocks} · body word-F1 {} · language {}</span>",
                fig(sc.role_accuracy_tokens),
                fig(sc.body_word_f1),
                fig(sc.lang_accuracy_tokens)
            );
        }
        None => {
            let _ = write!(
                s,
                "<span class=\"figs\">{}</span>",
                plural(p.blocks.len(), "block")
            );
        }
    }
    s.push_str("</h3>\n");
    if let Some(e) = &p.error {
        let _ = writeln!(s, "<p class=\"err\">{}</p>", esc(e));
    }
    let judged = p.score.is_some();
    for (bi, b) in p.blocks.iter().enumerate() {
        block(s, pi, bi, b, judged);
    }
    s.push_str("</section>\n");
}

/// The direction of the first strong character (what `dir="auto"` would
/// pick), so a mixed block and its edge stripe follow its text.
fn first_strong(text: &str) -> Option<&'static str> {
    use unicode_bidi::BidiClass::{AL, L, R};
    text.chars()
        .find_map(|c| match unicode_bidi::bidi_class(c) {
            L => Some("ltr"),
            R | AL => Some("rtl"),
            _ => None,
        })
}

/// One block; `judged`: the page has gold labels, so a block without any is
/// text the gold page does not have.
fn block(s: &mut String, pi: usize, bi: usize, b: &ViewBlock, judged: bool) {
    let (bg, edge) = ROLE_COLOURS[b.role.index()];
    let dir = match b.dir {
        Dir::Rtl => "rtl",
        Dir::Ltr => "ltr",
        Dir::Mixed | Dir::Neutral => first_strong(&b.text).unwrap_or("auto"),
    };
    let lang_attr = match b.lang {
        Lang::Ar => " lang=\"ar\"",
        Lang::En => " lang=\"en\"",
        _ => "",
    };
    let role_err = b.is_role_error();
    let lang_err = b.is_lang_error();
    let extra = judged && b.gold.is_none();
    let mut class = format!("blk r-{}", b.role);
    if extra {
        class.push_str(" extra");
    }
    if role_err {
        class.push_str(" miss");
    }
    if lang_err {
        class.push_str(" lmiss");
    }
    let mut tip = format!("predicted {}", b.role);
    if let Some(sc) = b.scores {
        let mut order: Vec<Role> = Role::ALL.to_vec();
        order.sort_by(|x, y| sc[y.index()].total_cmp(&sc[x.index()]));
        let parts: Vec<String> = order
            .iter()
            .map(|r| format!("{r} {:.3}", sc[r.index()]))
            .collect();
        tip = format!("role: {}", parts.join(" · "));
    }
    let _ = write!(tip, "\nlanguage: {}", b.lang);
    if let Some(c) = b.lang_confidence {
        let _ = write!(tip, " ({c:.2})");
    }
    if let Some((gr, gl)) = b.gold {
        let _ = write!(tip, "\ngold: {gr} / {gl}");
    }
    let (gold_role, gold_lang) = b
        .gold
        .map(|(r, l)| (r.as_str(), l.as_str()))
        .unwrap_or(("", ""));
    let _ = write!(
        s,
        "<div class=\"{class}\" id=\"b{pi}-{bi}\" dir=\"{dir}\"{lang_attr} style=\"background:{bg};border-color:{edge}\" data-role=\"{}\" data-lang=\"{}\" data-gold=\"{gold_role}\" data-gold-lang=\"{gold_lang}\" data-err=\"{}\" title=\"{}\">",
        b.role,
        b.lang,
        u8::from(role_err || lang_err || extra),
        esc(&tip)
    );
    let conf = b
        .confidence()
        .map(|c| format!("{} {c:.2}", b.role))
        .unwrap_or_else(|| b.role.to_string());
    // The badges carry their own `dir`, so `dir="auto"` resolves from the
    // block's text, not from them.
    let _ = write!(s, "<span class=\"conf\" dir=\"ltr\">{conf}</span>");
    if extra {
        s.push_str("<span class=\"gold\" dir=\"ltr\">not in the gold page (extra text)</span>");
    }
    if role_err || lang_err {
        let mut g = Vec::new();
        if role_err {
            g.push(format!("gold role: {gold_role}"));
        }
        if lang_err {
            g.push(format!("gold language: {gold_lang} (predicted {})", b.lang));
        }
        let _ = write!(
            s,
            "<span class=\"gold\" dir=\"ltr\">{}</span>",
            g.join(" · ")
        );
    }
    let _ = writeln!(
        s,
        "<div class=\"tx\" dir=\"{dir}\">{}</div></div>",
        esc(&b.text)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vb(text: &str, role: Role, dir: Dir, gold: Option<(Role, Lang)>) -> ViewBlock {
        ViewBlock {
            text: text.into(),
            role,
            lang: Lang::Ar,
            scores: Some([0.7, 0.1, 0.1, 0.05, 0.05]),
            lang_confidence: Some(0.9),
            dir,
            gold,
        }
    }

    #[test]
    fn blocks_carry_direction_labels_and_mistakes() {
        let p = ViewPage {
            id: "a<b>".into(),
            url: None,
            blocks: vec![
                vb("عاجل", Role::Body, Dir::Rtl, Some((Role::Chrome, Lang::Ar))),
                vb(
                    "Oil & gas",
                    Role::Body,
                    Dir::Ltr,
                    Some((Role::Body, Lang::En)),
                ),
            ],
            score: None,
            error: None,
        };
        let h = viewer("t", Some("m@1"), std::slice::from_ref(&p));
        assert!(h.contains("id=\"pg0\" data-page=\"a&lt;b&gt;\""));
        assert!(h.contains("class=\"blk r-body miss\" id=\"b0-0\" dir=\"rtl\" lang=\"ar\""));
        assert!(h.contains("data-gold=\"chrome\""));
        assert!(h.contains("gold role: chrome"));
        assert!(h.contains("class=\"blk r-body lmiss\" id=\"b0-1\" dir=\"ltr\""));
        assert!(h.contains("Oil &amp; gas"));
        assert_eq!(first_strong("© 2025 الوادي | Al Wadi"), Some("rtl"));
        assert_eq!(first_strong("2025 Al Wadi الوادي"), Some("ltr"));
        assert_eq!(first_strong("2025 — 12"), None);
        assert!(h.contains("title=\"role: body 0.700 · chrome 0.100"));
        // Self-contained: nothing is fetched.
        for needle in ["src=", "href=\"http", "@import", "url("] {
            assert!(!h.contains(needle), "{needle}");
        }
    }

    #[test]
    fn heatmap_colours_rights_blue_and_wrongs_red() {
        assert_eq!(cell_colour(1.0, true), "#08306b");
        assert_eq!(cell_colour(0.0, false), "#fff5f0");
        assert_ne!(cell_colour(0.01, false), "#fff5f0");
        let mut s = String::new();
        heatmap(
            &mut s,
            "h",
            "t",
            &["a", "b"],
            &[vec![3.0, 1.0], vec![0.0, 2.0]],
            true,
        );
        assert_eq!(s.matches("class=\"cell\"").count(), 4);
        assert!(s.contains("data-gold=\"a\" data-pred=\"b\""));
        assert!(s.contains("gold a → predicted b: 1 (25.0% of gold a)"));
    }
}
