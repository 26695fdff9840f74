//! A long paragraph of running prose with no links is `body` whatever the
//! page around it looks like: the same Arabic and English paragraphs placed
//! in a dozen real-looking layouts, classified by the real binary with the
//! embedded model.

mod common;

use common::*;
use serde_json::Value;

const EN: &str = "The water authority said on Tuesday that the new desalination plant on the \
northern coast would begin supplying the capital next spring, after two years of delays caused \
by a shortage of imported membranes and a dispute over the price of electricity. Engineers at \
the site told reporters that the first of four production lines had already passed its pressure \
tests, and that the remaining lines would follow at intervals of about six weeks.";

const AR: &str = "قالت هيئة المياه يوم الثلاثاء إن محطة التحلية الجديدة على الساحل الشمالي ستبدأ \
تزويد العاصمة بالمياه في الربيع المقبل، بعد عامين من التأخير بسبب نقص الأغشية المستوردة وخلاف \
على سعر الكهرباء. وأوضح المهندسون في الموقع للصحفيين أن أول خطوط الإنتاج الأربعة اجتاز اختبارات \
الضغط، وأن الخطوط الباقية ستلحق به على فترات تقارب ستة أسابيع، على أن تكتمل المرحلة الأولى قبل \
نهاية العام.";

/// Site furniture shared by the layouts: menus, a ticker, ads, a footer.
const MENU: &str =
    "<ul class=\"menu\"><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
<li><a href=\"/business\">Business</a></li><li><a href=\"/sport\">Sport</a></li></ul>";
const MENU_AR: &str =
    "<ul class=\"menu\"><li><a href=\"/\">الرئيسية</a></li><li><a href=\"/p\">سياسة</a></li>\
<li><a href=\"/e\">اقتصاد</a></li><li><a href=\"/s\">رياضة</a></li></ul>";
const FOOTER: &str = "<p>© 2025 Example Media. All rights reserved.</p>";
const TEASERS: &str = "<div class=\"grid\"><div class=\"card\"><a href=\"/a\"><h3>Rail strike ends after talks</h3></a></div>\
<div class=\"card\"><a href=\"/b\"><h3>Markets close higher on Friday</h3></a></div>\
<div class=\"card\"><a href=\"/c\"><h3>New stadium plans unveiled</h3></a></div></div>";

/// The layouts: name and page, with `{P}` where the paragraph goes and
/// `{H}` for a headline.
fn layouts() -> Vec<(&'static str, String)> {
    vec![
        (
            "semantic article",
            format!("<header><nav>{MENU}</nav></header><main><article><h1>{{H}}</h1><p>{{P}}</p></article></main><footer>{FOOTER}</footer>"),
        ),
        (
            "ASP.NET page-wide form",
            format!("<form method=\"post\" action=\"./Default.aspx\" id=\"form1\"><div class=\"aspNetHidden\"></div>\
<div id=\"ctl00_Header\">{MENU}</div><div id=\"ctl00_ContentPlaceHolder1_pnlNews\"><span id=\"ctl00_lblTitle\">{{H}}</span>\
<div id=\"ctl00_ContentPlaceHolder1_lblBody\">{{P}}</div></div><div id=\"ctl00_Footer\">{FOOTER}</div></form>"),
        ),
        (
            "table layout",
            format!("<table width=\"100%\"><tr><td colspan=2>{MENU}</td></tr><tr><td width=\"160\" valign=top>\
<a href=\"/x\">Archive</a><br><a href=\"/y\">Contact</a></td><td class=\"content\"><b>{{H}}</b><br><br>{{P}}</td></tr>\
<tr><td colspan=2>{FOOTER}</td></tr></table>"),
        ),
        (
            "div soup with hashed classes",
            format!("<div class=\"x1a9f\"><div class=\"k2_3\">{MENU}</div><div class=\"q8z\"><div class=\"r7t_1\">{{H}}</div>\
<div class=\"m0w\"><div class=\"jx-41\">{{P}}</div></div></div><div class=\"zz9\">{FOOTER}</div></div>"),
        ),
        (
            "WordPress theme",
            format!("<div id=\"page\" class=\"site\"><header id=\"masthead\" class=\"site-header\"><nav class=\"main-navigation\">{MENU}</nav></header>\
<div id=\"content\" class=\"site-content\"><div class=\"entry-header\"><h1 class=\"entry-title\">{{H}}</h1></div><div class=\"entry-content\"><p>{{P}}</p>\
<div class=\"sharedaddy\"><h3>Share this:</h3></div></div></div><footer class=\"site-footer\">{FOOTER}</footer></div>"),
        ),
        (
            "sidebar of teasers",
            format!("<nav>{MENU}</nav><div class=\"row\"><div class=\"col-8\"><h1>{{H}}</h1><p>{{P}}</p></div>\
<aside class=\"col-4\"><h2>Most read</h2>{TEASERS}</aside></div>{FOOTER}"),
        ),
        (
            "br-separated text in one div",
            format!("{MENU}<div class=\"text\">{{H}}<br><br>{{P}}<br><br></div>{FOOTER}"),
        ),
        (
            "section between teaser grids",
            format!("<div class=\"top\">{MENU}</div>{TEASERS}<section class=\"story\"><h2>{{H}}</h2><div>{{P}}</div></section>{TEASERS}{FOOTER}"),
        ),
        (
            "ads around the paragraph",
            format!("{MENU}<div class=\"article-body\"><h1>{{H}}</h1><div class=\"ad-slot\">Advertisement</div><p>{{P}}</p>\
<div class=\"ad-slot\">Advertisement</div></div>{FOOTER}"),
        ),
        (
            "React streamed segment",
            format!("<div id=\"root\">{MENU}<template id=\"B:0\"></template><p>Loading…</p></div>{FOOTER}\
<div hidden id=\"S:0\"><article><h1>{{H}}</h1><p>{{P}}</p></article></div>"),
        ),
        (
            "old-school center and font",
            format!("<center>{MENU}<font size=\"4\"><b>{{H}}</b></font><p><font face=\"Arial\" size=\"2\">{{P}}</font></p>{FOOTER}</center>"),
        ),
        (
            "blockquote in a forum post",
            format!("{MENU}<div class=\"post\"><div class=\"author\">member42</div><div class=\"message\"><blockquote>{{P}}</blockquote></div></div>{FOOTER}"),
        ),
    ]
}

fn page(layout: &str, lang: &str, headline: &str, paragraph: &str) -> String {
    let body = layout.replace("{H}", headline).replace("{P}", paragraph);
    let (dir, menu_from, menu_to) = if lang == "ar" {
        ("rtl", MENU, MENU_AR)
    } else {
        ("ltr", "", "")
    };
    let body = if menu_from.is_empty() {
        body
    } else {
        body.replace(menu_from, menu_to)
    };
    format!("<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{headline}</title></head><body>{body}</body></html>")
}

#[test]
fn long_prose_is_body_in_every_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (k, (name, layout)) in layouts().iter().enumerate() {
        for (lang, headline, paragraph) in [
            (
                "en",
                "Desalination plant to supply the capital next spring",
                EN,
            ),
            ("ar", "محطة التحلية تزود العاصمة بالمياه في الربيع", AR),
        ] {
            let f = dir.path().join(format!("{k:02}-{lang}.html"));
            std::fs::write(&f, page(layout, lang, headline, paragraph)).unwrap();
            files.push((f, *name, lang, paragraph));
        }
    }
    let mut failures = Vec::new();
    for (f, name, lang, paragraph) in &files {
        let o = run(&["classify", f.to_str().unwrap()], b"");
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let rec: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        let probe = &paragraph[..60];
        let block = rec["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["text"].as_str().unwrap().contains(probe))
            .unwrap_or_else(|| panic!("{name} ({lang}): paragraph not in any block"));
        if block["role"] != "body" {
            failures.push(format!(
                "{name} ({lang}): {} {}",
                block["role"], block["role_scores"]
            ));
        }
    }
    assert!(failures.is_empty(), "not body:\n{}", failures.join("\n"));
}
