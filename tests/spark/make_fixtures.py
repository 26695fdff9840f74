#!/usr/bin/env python3
"""Build the crawl fixtures of the Spark test from the repo's labelled pages.

Writes into OUTDIR, with no network and no shared data:
  news.warc.gz     gzip WARC (one member per record): warcinfo, and per page a
                   request, an HTML response (Arabic, English, bilingual; one
                   in windows-1256 named only in the HTTP header) and a
                   metadata record; one image response (not a page)
  news.warc.wet.gz WET: warcinfo and conversion (plain-text) records
  damaged.warc.gz  good response, a gzip member cut short, good response
  pages.jsonl      {"id","url","html"} records (and one bad and one blank
                   line) for the RDD.pipe check
  paths.txt        the three crawl files and one path that does not exist

With --bench OUT.warc.gz it writes instead one large gzip WARC for measuring
throughput: every labelled page of training-data (train and dev) rendered as
HTML, --repeat times, plus the WCXB HTML pages when --wcxb DIR is given.

The HTML is rendered from the labelled lines (chrome in a header div, nav as
links, body as paragraphs, legal in a footer, ads in an ad div), so the pages
have the shape of real portal pages. Everything is deterministic.
"""

import argparse
import gzip
import html
import io
import json
import os
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NS = uuid.UUID("6f1c5d2e-8a4b-4c3d-9e2f-0a1b2c3d4e5f")


def labelled_pages(split):
    """(url, [(role, lang, text)]) of every page of a training-data split, in path order."""
    base = os.path.join(ROOT, "training-data", split)
    for site in sorted(os.listdir(base)):
        d = os.path.join(base, site)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            url, lines = f"https://{site}/{name[:-4]}", []
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for raw in f.read().split("\n"):
                    if raw.startswith("# url:"):
                        url = raw[6:].strip()
                    elif raw.startswith("#") or "\t" not in raw:
                        continue
                    else:
                        labels, text = raw.split("\t", 1)
                        role, lang = labels.split()
                        lines.append((role, lang, text))
            yield url, lines


def render_html(lines, charset="utf-8"):
    """An HTML page of labelled lines (`charset` None: no <meta charset>)."""
    e = html.escape
    title = e(lines[0][2]) if lines else ""
    rtl = sum(1 for _, lang, _ in lines if lang == "ar") * 2 > len(lines)
    out = [
        f'<!DOCTYPE html><html lang="{"ar" if rtl else "en"}" dir="{"rtl" if rtl else "ltr"}">',
        "<head>" + (f'<meta charset="{charset}">' if charset else "")
        + f"<title>{title}</title></head><body>",
    ]
    for role, _, text in lines:
        t = e(text)
        if role == "nav":
            out.append(f'<nav class="menu"><a href="/s">{t}</a></nav>')
        elif role == "chrome":
            out.append(f'<div class="header-widget">{t}</div>')
        elif role == "legal":
            out.append(f'<footer class="site-footer"><p>{t}</p></footer>')
        elif role == "ad":
            out.append(f'<div class="ad-slot">{t}</div>')
        else:
            out.append(f"<p>{t}</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def warc_record(kind, rid, url, date, block, content_type=None):
    """One WARC/1.1 record, uncompressed."""
    head = [
        "WARC/1.1",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{rid}>",
        f"WARC-Date: {date}",
    ]
    if url:
        head.append(f"WARC-Target-URI: {url}")
    if content_type:
        head.append(f"Content-Type: {content_type}")
    head.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http_response(body, content_type):
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def member(record):
    """One gzip member (fixed mtime: identical bytes on every run)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(record)
    return buf.getvalue()


def rid(name):
    return str(uuid.uuid5(NS, name))


def date(i):
    return f"2025-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"


def warcinfo(name):
    return member(
        warc_record("warcinfo", rid(name + "/info"), None, date(0),
                    f"software: ghirbal fixtures\r\nisPartOf: {name}\r\n".encode(),
                    "application/warc-fields")
    )


def response_members(key, i, url, page, charset="utf-8"):
    """Request, response and metadata members of one page."""
    body = page.encode("cp1256" if charset == "windows-1256" else charset)
    req = f"GET {url} HTTP/1.1\r\nHost: example\r\n\r\n".encode()
    return (
        member(warc_record("request", rid(key + "/req"), url, date(i), req,
                           "application/http; msgtype=request"))
        + member(warc_record("response", rid(key), url, date(i),
                             http_response(body, f"text/html; charset={charset}"),
                             "application/http; msgtype=response"))
        + member(warc_record("metadata", rid(key + "/meta"), url, date(i),
                             b"fetchTimeMs: 120\r\n", "application/warc-fields"))
    )


def fixtures(out):
    pages = list(labelled_pages("dev"))
    os.makedirs(out, exist_ok=True)

    # news.warc.gz: 40 HTML pages of every kind; the first Arabic page that
    # windows-1256 can encode is sent in it, named only in the HTTP header.
    data = warcinfo("news")
    legacy = None
    for i, (url, lines) in enumerate(pages[:40]):
        page, charset = render_html(lines), "utf-8"
        if legacy is None and any(lang == "ar" for _, lang, _ in lines):
            try:
                render_html(lines, None).encode("cp1256")
                page, charset, legacy = render_html(lines, None), "windows-1256", i
            except UnicodeEncodeError:
                pass
        data += response_members(f"news/{i}", i, url, page, charset)
    assert legacy is not None, "no page windows-1256 can encode"
    data += member(warc_record("response", rid("news/img"), "https://img.example/a.png", date(1),
                               http_response(b"\x89PNG\r\n\x1a\n....", "image/png"),
                               "application/http; msgtype=response"))
    write(out, "news.warc.gz", data)

    # news.warc.wet.gz: 20 plain-text conversion records.
    data = warcinfo("wet")
    for i, (url, lines) in enumerate(pages[40:60]):
        text = "\n".join(t for _, _, t in lines).encode()
        data += member(warc_record("conversion", rid(f"wet/{i}"), url, date(i), text, "text/plain"))
    write(out, "news.warc.wet.gz", data)

    # damaged.warc.gz: good, truncated member, good.
    data = warcinfo("damaged")
    for i, (url, lines) in enumerate(pages[60:63]):
        m = response_members(f"damaged/{i}", i, url, render_html(lines))
        if i == 1:
            resp = member(warc_record("response", rid(f"damaged/{i}"), url, date(i),
                                      http_response(render_html(lines).encode(), "text/html"),
                                      "application/http; msgtype=response"))
            m = resp[: len(resp) * 2 // 3]
        data += m
    write(out, "damaged.warc.gz", data)

    # pages.jsonl: HTML records for RDD.pipe, a bad line and a blank line among them.
    recs = []
    for i, (url, lines) in enumerate(pages[63:71]):
        recs.append(json.dumps({"id": f"page-{i}", "url": url, "html": render_html(lines)},
                               ensure_ascii=False))
    recs.insert(3, '{"id": "broken", "html": ')
    recs.insert(6, "")
    write(out, "pages.jsonl", ("\n".join(recs) + "\n").encode())

    names = ["news.warc.gz", "news.warc.wet.gz", "damaged.warc.gz", "missing.warc.gz"]
    listing = "".join(os.path.join(os.path.abspath(out), n) + "\n" for n in names)
    write(out, "paths.txt", listing.encode())


def bench(path, repeat, wcxb):
    """One large gzip WARC: all labelled pages × repeat, then WCXB pages."""
    pages = list(labelled_pages("train")) + list(labelled_pages("dev"))
    n, html_bytes = 0, 0
    with open(path, "wb") as f:
        f.write(warcinfo("bench"))
        for r in range(repeat):
            for i, (url, lines) in enumerate(pages):
                page = render_html(lines)
                html_bytes += len(page.encode())
                f.write(response_members(f"bench/{r}/{i}", i, url, page))
                n += 1
        if wcxb:
            d = os.path.join(wcxb, "html")
            for i, name in enumerate(sorted(os.listdir(d))):
                body = gzip.open(os.path.join(d, name)).read()
                html_bytes += len(body)
                url = f"https://wcxb.example/{name.split('.')[0]}"
                f.write(member(warc_record("response", rid(f"wcxb/{name}"), url, date(i),
                                           http_response(body, "text/html"),
                                           "application/http; msgtype=response")))
                n += 1
    print(f"{path}: {n} HTML pages, {html_bytes / 1e6:.1f} MB of HTML, "
          f"{os.path.getsize(path) / 1e6:.1f} MB on disk", file=sys.stderr)


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", help="directory for the test fixtures")
    ap.add_argument("--bench", metavar="OUT.warc.gz", help="write one large WARC instead")
    ap.add_argument("--repeat", type=int, default=10, help="copies of the labelled pages (--bench)")
    ap.add_argument("--wcxb", metavar="DIR", help="also the WCXB HTML pages of DIR (--bench)")
    a = ap.parse_args()
    if a.bench:
        bench(a.bench, a.repeat, a.wcxb)
    elif a.outdir:
        fixtures(a.outdir)
    else:
        ap.error("give OUTDIR or --bench OUT.warc.gz")


if __name__ == "__main__":
    main()
