#!/usr/bin/env python3
"""Render the written text pages of training-data/train into labelled HTML of many layouts.

usage: render_corpus.py [--train DIR] [--out DIR]

The written corpus teaches Arabic prose, chrome, legal and ad text; the HTML
passes learn from real pages, almost all English. This puts every written
page into HTML, with each line's labels on the element that holds it
(`data-ghirbal-role` / `data-ghirbal-lang`), in one of these layouts, chosen by
the SHA-1 of the page's path (deterministic):

- wordpress: header, nav menu, article, inline ad slots, sidebar of lists,
  footer (WordPress-like classes);
- aspnet: the whole page inside one `<form id="aspnetForm">`, ctl00 ids,
  spans and `<br>` line breaks, no semantic tags;
- table: a table layout (menu row, side column, content cell with `<br>`s);
- divsoup: nested divs with hashed class names, no semantic tags;
- teasers: menus and link lists as grids of teaser cards (`div.card > a > h3`),
  sponsored lists as widgets with `rel="sponsored"` links.

Menus of one line ("Home - News - Sport") become lists of links; other nav
lines are links; body lines are paragraphs (the first one a heading); ad lines
sit in ad slots. Pages keep their site (`ghirbal:site`), so cross-validation
by site keeps a rendering with its text page. Output: OUT/SITE/NAME-LAYOUT.html.
"""
import argparse
import hashlib
import html
import os
import re

LAYOUTS = ["wordpress", "aspnet", "table", "divsoup", "teasers"]
MENU_SEP = re.compile(r"\s+(?:-|–|\||·|•|/|»|›)\s+")


def read_page(path):
    meta, lines = {}, []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if raw.startswith("#"):
                m = re.match(r"#\s*(\w+):\s*(.*)", raw)
                if m:
                    meta[m.group(1)] = m.group(2).strip()
                continue
            if "\t" not in raw:
                continue
            labels, text = raw.split("\t", 1)
            parts = labels.split()
            if len(parts) != 2 or not text.strip():
                continue
            lines.append((parts[0], parts[1], text.strip()))
    return meta, lines


def h(x):
    return html.escape(x, quote=True)


def lab(role, lang):
    return f' data-ghirbal-role="{role}" data-ghirbal-lang="{lang}"'


class Page:
    def __init__(self, key):
        self.seed = int(hashlib.sha1(key.encode()).hexdigest(), 16)
        self.n = 0

    def pick(self, options):
        self.n += 1
        v = int(hashlib.sha1(f"{self.seed}:{self.n}".encode()).hexdigest(), 16)
        return options[v % len(options)]

    def cls(self):
        self.n += 1
        return hashlib.sha1(f"{self.seed}:c{self.n}".encode()).hexdigest()[:6]


def regions(lines):
    """Consecutive lines of one role: [(role, [(lang, text)])]."""
    out = []
    for role, lang, text in lines:
        if out and out[-1][0] == role:
            out[-1][1].append((lang, text))
        else:
            out.append((role, [(lang, text)]))
    return out


def menu_items(text):
    items = [t for t in MENU_SEP.split(text) if t.strip()]
    return items if len(items) >= 3 else [text]


ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]{2,}")


def item_lang(text, line_lang):
    """The language of one item cut out of a menu line labelled `line_lang`."""
    ar, lat = bool(ARABIC.search(text)), bool(LATIN.search(text))
    if ar and lat:
        return "mixed"
    if ar:
        return "ar" if line_lang in ("ar", "mixed") else line_lang
    if lat:
        return "en" if line_lang in ("en", "mixed") else line_lang
    return "none"


def links(p, role, lang, text, layout, sponsored=False):
    """A nav/ad line as links: a menu of one line becomes several items."""
    rel = ' rel="sponsored"' if sponsored else ""
    items = menu_items(text) if role == "nav" else [text]
    if len(items) > 1:
        lis = "".join(f'<li{lab(role, item_lang(t, lang))}><a href="/{p.cls()}"{rel}>{h(t)}</a></li>'
                      for t in items)
        return f"<ul>{lis}</ul>"
    if layout == "teasers":
        return f'<div class="card"{lab(role, lang)}><a href="/{p.cls()}"{rel}><h3>{h(text)}</h3></a></div>'
    return f'<li{lab(role, lang)}><a href="/{p.cls()}"{rel}>{h(text)}</a></li>'


def is_heading(text):
    return len(text.split()) <= 10 and not text.rstrip().endswith((".", "!", "?", "؟", "…", ":"))


def body_html(p, items, layout, first):
    out = []
    for k, (lang, text) in enumerate(items):
        if layout == "aspnet":
            out.append(f'<span id="ctl00_lbl{p.cls()}"{lab("body", lang)}>{h(text)}</span><br><br>')
        elif first and k == 0:
            out.append(f"<h1{lab('body', lang)}>{h(text)}</h1>")
        elif is_heading(text):
            out.append(f"<h2{lab('body', lang)}>{h(text)}</h2>")
        elif layout == "divsoup":
            out.append(f'<div class="{p.cls()}"{lab("body", lang)}>{h(text)}</div>')
        else:
            out.append(f"<p{lab('body', lang)}>{h(text)}</p>")
    return "".join(out)


def chrome_html(p, items, layout):
    tag = "span" if layout == "aspnet" else "div"
    out = []
    for lang, text in items:
        if len(text.split()) <= 4 and p.pick([True, False]):
            out.append(f'<{tag} class="{p.pick(["share", "btn", "widget", p.cls()])}"{lab("chrome", lang)}>'
                       f'<a href="#">{h(text)}</a></{tag}>')
        else:
            out.append(f'<{tag} class="{p.pick(["meta", "ticker", "site-name", p.cls()])}"{lab("chrome", lang)}>{h(text)}</{tag}>')
    return "".join(out)


def legal_html(items, layout):
    tag = "span" if layout == "aspnet" else "p"
    br = "<br>" if layout == "aspnet" else ""
    return "".join(f"<{tag}{lab('legal', lang)}>{h(t)}</{tag}>{br}" for lang, t in items)


def ad_html(p, items, layout):
    if all(len(t.split()) <= 3 for _, t in items):
        return "".join(f'<div class="{p.pick(["ad-slot", "advert", "dfp-ad", p.cls()])}"{lab("ad", lang)}>{h(t)}</div>'
                       for lang, t in items)
    inner = "".join(links(p, "ad", lang, t, layout, sponsored=True) for lang, t in items)
    wrap = "div" if layout == "teasers" else "ul"
    return f'<div class="{p.pick(["promoted", "sponsored-links", p.cls()])}"><{wrap}>{inner}</{wrap}></div>'


def nav_html(p, items, layout):
    inner = "".join(links(p, "nav", lang, t, layout) for lang, t in items)
    if layout == "teasers":
        return f'<div class="grid">{inner}</div>'
    return f"<ul class=\"{p.pick(['menu', 'links', p.cls()])}\">{inner}</ul>"


def render(meta, lines, layout, key):
    p = Page(key)
    regs = regions(lines)
    body_idx = [i for i, (r, _) in enumerate(regs) if r == "body"]
    first_body, last_body = (body_idx[0], body_idx[-1]) if body_idx else (len(regs), -1)
    head, main, tail = [], [], []
    seen_body = False
    for i, (role, items) in enumerate(regs):
        if role == "body":
            frag = body_html(p, items, layout, not seen_body)
            seen_body = True
        elif role == "nav":
            frag = nav_html(p, items, layout)
        elif role == "chrome":
            frag = chrome_html(p, items, layout)
        elif role == "legal":
            frag = legal_html(items, layout)
        else:
            frag = ad_html(p, items, layout)
        (head if i < first_body else tail if i > last_body else main).append(frag)
    head, main, tail = "".join(head), "".join(main), "".join(tail)
    if layout == "wordpress":
        page = (f'<div id="page" class="site"><header id="masthead" class="site-header">{head}</header>'
                f'<div id="content" class="site-content"><main id="main"><article class="post">'
                f'<div class="entry-content">{main}</div></article></main></div>'
                f'<footer class="site-footer">{tail}</footer></div>')
    elif layout == "aspnet":
        page = (f'<form method="post" action="./Default.aspx" id="aspnetForm"><div class="aspNetHidden"></div>'
                f'<div id="ctl00_divHeader">{head}</div><div id="ctl00_ContentPlaceHolder1_pnlMain">{main}</div>'
                f'<div id="ctl00_divFooter">{tail}</div></form>')
    elif layout == "table":
        page = (f'<table width="100%" cellpadding="0"><tr><td colspan="2">{head}</td></tr>'
                f'<tr><td width="20%"></td><td class="content">{main}</td></tr>'
                f'<tr><td colspan="2">{tail}</td></tr></table>')
    elif layout == "divsoup":
        page = (f'<div class="{p.cls()}"><div class="{p.cls()}">{head}</div><div class="{p.cls()}">'
                f'<div class="{p.cls()}">{main}</div></div><div class="{p.cls()}">{tail}</div></div>')
    else:
        page = (f'<div class="wrapper"><div class="top">{head}</div><section class="story">{main}</section>'
                f'<div class="bottom">{tail}</div></div>')
    lang = "ar" if sum(l == "ar" for _, l, _ in lines) * 2 >= len(lines) else "en"
    d = ' dir="rtl"' if lang == "ar" else ""
    site = meta.get("site", "")
    url = meta.get("url", "")
    return (f'<!DOCTYPE html><html lang="{lang}"{d}><head><meta charset="utf-8">'
            f'<meta name="ghirbal:id" content="{h(key)}"><meta name="ghirbal:site" content="{h(site)}">'
            f'<meta name="ghirbal:url" content="{h(url)}"></head><body>{page}</body></html>\n')


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default=os.path.join(root, "training-data", "train"))
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    n = 0
    for site in sorted(os.listdir(a.train)):
        d = os.path.join(a.train, site)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".txt"):
                continue
            meta, lines = read_page(os.path.join(d, f))
            if not lines or "site" not in meta:
                continue
            key = f"render/{site}/{f[:-4]}"
            layout = LAYOUTS[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(LAYOUTS)]
            os.makedirs(os.path.join(a.out, site), exist_ok=True)
            out = os.path.join(a.out, site, f"{f[:-4]}-{layout}.html")
            tmp = out + ".tmp"
            with open(tmp, "w", encoding="utf-8") as w:
                w.write(render(meta, lines, layout, key))
            os.replace(tmp, out)
            n += 1
    print(f"{n} pages rendered into {a.out}")


if __name__ == "__main__":
    main()
