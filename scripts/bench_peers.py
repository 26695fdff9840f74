#!/usr/bin/env python3
"""Side-by-side benchmark of ghirbal and the Python extractors people use instead.

Run through scripts/bench-peers.sh, which builds ghirbal, makes the virtual
environment with the pinned peers (scripts/bench-requirements.txt) and calls
`bench_peers.py all`. Subcommands:

  prepare   decompress the WCXB pages once (target/bench-data/wcxb-html/) and
            write the text corpus: the training pages, labels stripped, as WET
            `conversion` records, repeated to >= --min-mb MB
  peer      time one peer in-process over all pages (one child process per
            peer, so that /usr/bin/time sees its peak RSS); prints one JSON line
  all       run ghirbal and every peer on the same pages in this run, score
            body word-F1 (the WCXB metric) and print the table
  scaling   from per-page times (examples/stages --page-times), the speed-up
            `classify --threads N` can reach on N idle cores with its batches

Timing: a peer's clock runs over its loop (read a page, extract, write the
text), after the interpreter has started and imported the peer. ghirbal is one
process over all pages, timed from outside, start-up and model load included.
Wall-clock and CPU (user + sys) seconds are both kept: on a loaded machine the
CPU figures are the steadier ones, so the ratios use them.

The metric: word-level F1 over lower-cased `\\w+` tokens of the extracted text
against `ground_truth.main_content`, averaged over the pages that have one
(`ghirbal wcxb-eval` computes the same in Rust; the run checks they agree).
"""

import argparse
import ast
import collections
import gzip
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = ["trafilatura", "justext", "resiliparse", "readability"]


# --------------------------------------------------------------------- data

def prepare(wcxb, training, out, min_mb):
    """Decompress the WCXB pages and build the text corpus; skip what exists."""
    html_dir = os.path.join(out, "wcxb-html")
    os.makedirs(html_dir, exist_ok=True)
    src = os.path.join(wcxb, "html")
    names = sorted(f for f in os.listdir(src) if f.endswith(".html.gz"))
    have = set(os.listdir(html_dir))
    for f in names:
        dst = f[: -len(".gz")]
        if dst not in have:
            with gzip.open(os.path.join(src, f)) as r, open(os.path.join(html_dir, dst), "wb") as w:
                w.write(r.read())
    wet = os.path.join(out, "text-corpus.warc.wet")
    if not os.path.exists(wet) or os.path.getsize(wet) < min_mb * 1e6:
        pages = training_pages(training)
        tmp = wet + ".tmp"
        with open(tmp, "wb") as w:
            n, size, rep = 0, 0, 0
            while size < min_mb * 1e6:
                for pid, url, text in pages:
                    body = text.encode("utf-8")
                    head = (
                        "WARC/1.0\r\nWARC-Type: conversion\r\n"
                        f"WARC-Target-URI: {url or 'https://example.invalid/' + pid}\r\n"
                        "WARC-Date: 2025-01-01T00:00:00Z\r\n"
                        f"WARC-Record-ID: <urn:ghirbal-bench:{rep}:{pid}>\r\n"
                        "Content-Type: text/plain\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n"
                    ).encode()
                    w.write(head + body + b"\r\n\r\n")
                    n += 1
                    size += len(body)
                rep += 1
        os.replace(tmp, wet)
    return html_dir, wet


def training_pages(training):
    """Raw text of every labelled page (`ROLE LANG<TAB>line` files), labels stripped."""
    pages = []
    walk = [w for split in ("train", "dev") for w in sorted(os.walk(os.path.join(training, split)))]
    for d, _, files in walk:
        for f in sorted(files):
            # Labelled pages only (not training-data/wcxb/*-ids.txt).
            if not f.endswith(".txt"):
                continue
            path = os.path.join(d, f)
            cur, url, k = [], None, 0

            def flush():
                nonlocal cur, url, k
                if cur:
                    pages.append((f"{os.path.relpath(path, training)}#{k}", url, "\n".join(cur)))
                    k += 1
                cur, url = [], None

            with open(path, encoding="utf-8-sig") as fh:
                for line in fh.read().split("\n"):
                    line = line[:-1] if line.endswith("\r") else line
                    if line.startswith("#"):
                        key, _, value = line[1:].strip().partition(":")
                        if key.strip() in ("page", "id") and cur:
                            flush()
                        if key.strip() == "url" and value.strip():
                            url = value.strip()
                        continue
                    if not line.strip() and "\t" not in line:
                        cur.append("")
                    else:
                        cur.append(line.split("\t", 1)[1])
            flush()
    return pages


def html_files(html_dir, limit=None):
    files = sorted(f for f in os.listdir(html_dir) if f.endswith(".html"))
    return [os.path.join(html_dir, f) for f in files[:limit]]


# -------------------------------------------------------------------- peers

def make_peer(name):
    """The peer's extraction function: HTML bytes -> main text (str)."""
    if name == "trafilatura":
        import trafilatura

        return lambda b: trafilatura.extract(b) or ""
    if name == "justext":
        import justext

        stop = justext.get_stoplist("English")
        return lambda b: "\n".join(p.text for p in justext.justext(b, stop) if not p.is_boilerplate)
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import detect_encoding
        from resiliparse.parse.html import HTMLTree

        return lambda b: extract_plain_text(
            HTMLTree.parse_from_bytes(b, detect_encoding(b)), main_content=True
        )
    if name == "readability":
        import lxml.html
        from readability import Document

        def f(b):
            summary = Document(b).summary(html_partial=True)
            return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

        return f
    raise SystemExit(f"unknown peer {name}")


def run_peer(name, html_dir, out, limit):
    """Time one peer over all pages, in-process; one JSON line on stdout."""
    extract = make_peer(name)
    files = html_files(html_dir, limit)
    errors, nbytes = 0, 0
    w0, c0 = time.perf_counter(), time.process_time()
    with open(out, "w", encoding="utf-8") as w:
        for path in files:
            with open(path, "rb") as fh:
                b = fh.read()
            nbytes += len(b)
            try:
                text = extract(b)
            except Exception:  # a peer failing on a page scores 0 there
                errors += 1
                text = ""
            w.write(json.dumps({"id": os.path.basename(path), "text": text}) + "\n")
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    print(json.dumps({"tool": name, "pages": len(files), "bytes": nbytes,
                      "wall": wall, "cpu": cpu, "errors": errors}))


# ------------------------------------------------------------------ metric

WORD = re.compile(r"\w+")


def words(text):
    return WORD.findall(text.lower())


def word_f1(pred, gold):
    p, g = words(pred), words(gold)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    common = sum((collections.Counter(p) & collections.Counter(g)).values())
    if common == 0:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


def ground_truth(path):
    """`ground_truth` of a WCXB file: an object, or a JSON / Python-repr string of one."""
    with open(path, encoding="utf-8") as fh:
        gt = json.load(fh).get("ground_truth")
    if isinstance(gt, str):
        try:
            gt = json.loads(gt)
        except ValueError:
            gt = ast.literal_eval(gt)
    return gt if isinstance(gt, dict) else {}


def golds(wcxb):
    out = {}
    d = os.path.join(wcxb, "ground-truth")
    for f in os.listdir(d):
        main = ground_truth(os.path.join(d, f)).get("main_content")
        if isinstance(main, str):  # pages without a gold main text are not scored
            out[f[: -len(".json")] + ".html"] = main
    return out


def mean_f1(texts, gold):
    scores = [word_f1(texts.get(i, ""), g) for i, g in gold.items()]
    return sum(scores) / len(scores)


# ---------------------------------------------------------------- running

def timed(cmd, stdout=None, env=None):
    """Run `cmd` under /usr/bin/time -v; (stdout text, seconds wall, seconds cpu, peak RSS MB)."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=stdout or subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
    err = r.stderr.decode(errors="replace")
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{err[-3000:]}")

    def field(name):
        m = re.search(rf"{re.escape(name)}: (.*)", err)
        return m.group(1).strip()

    h, m, s = ([0, 0] + field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))[-3:]
    wall = float(h) * 3600 + float(m) * 60 + float(s)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    out = r.stdout.decode("utf-8", errors="replace") if stdout is None else None
    return out, wall, cpu, rss, err


def ghirbal_pages_from_json(path):
    """Per-page body text from `classify` JSON Lines, as `--format text` prints it."""
    texts, joined = {}, []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            body = "".join(b["text"] + "\n" for b in rec.get("blocks", []) if b["role"] == "body") + "\n"
            texts[os.path.basename(rec["id"])] = body
            if "blocks" not in rec:
                continue
            # `--format text` starts a page with a form-feed header line.
            clean = lambda t: re.sub("[\x00-\x1f\x7f-\x9f]", " ", t)
            header = "\f# " + clean(rec["id"]) + ("\t" + clean(rec["url"]) if "url" in rec else "")
            joined.append(header + "\n" + body.replace("\f", " "))
    return texts, "".join(joined)


def run_all(a):
    ghirbal = os.path.join(ROOT, "target", "release", "ghirbal")
    out = os.path.join(a.data, "out")
    os.makedirs(out, exist_ok=True)
    html_dir, wet = prepare(a.wcxb, a.training, a.data, a.min_mb)
    files = html_files(html_dir, a.limit)
    if a.limit:  # a quick run: the first pages only, in a directory of their own
        sub = os.path.join(a.data, f"wcxb-html-{a.limit}")
        os.makedirs(sub, exist_ok=True)
        for f in files:
            dst = os.path.join(sub, os.path.basename(f))
            if not os.path.exists(dst):
                os.link(f, dst)
        html_dir = sub
    html_bytes = sum(os.path.getsize(f) for f in files)
    # Body word-F1 on the WCXB pages ghirbal never trained on
    # (training-data/wcxb/eval-ids.txt); all pages are timed.
    with open(os.path.join(ROOT, "training-data", "wcxb", "eval-ids.txt"), encoding="utf-8") as fh:
        held_out = {line.strip() + ".html" for line in fh if line.strip()}
    gold = {k: v for k, v in golds(a.wcxb).items()
            if k in held_out and os.path.exists(os.path.join(html_dir, k))}
    rows = []

    def row(corpus, tool, threads, pages, nbytes, wall, cpu, rss, f1=None, note=""):
        rows.append(dict(corpus=corpus, tool=tool, threads=threads, pages=pages, bytes=nbytes,
                         wall=wall, cpu=cpu, rss=rss, f1=f1, note=note))
        print(f"  {corpus:5} {tool:28} {pages / wall:8.1f} pages/s wall, {pages / cpu:8.1f} pages/s cpu,"
              f" {rss:6.0f} MB" + (f", F1 {f1:.3f}" if f1 is not None else ""), file=sys.stderr, flush=True)

    # (a) HTML pages: ghirbal, then each peer, on the same files.
    print(f"HTML: {len(files)} WCXB pages, {html_bytes / 1e6:.1f} MB, in {html_dir}", file=sys.stderr)
    json_out = os.path.join(out, "ghirbal-html.jsonl")
    _, wall, cpu, rss, _ = timed([ghirbal, "classify", "--threads", "1", "--output", json_out, html_dir])
    texts, joined = ghirbal_pages_from_json(json_out)
    # The shipped model trains on every WCXB page, so its own labels here are
    # training-set labels: its quality figure is the out-of-fold one (labels
    # from models that never saw the page's host), read from --oof.
    f1 = None
    if a.oof:
        oof = {}
        with open(a.oof, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line) if line.strip() else {}
                if "blocks" in r:
                    oof[r["id"] + ".html"] = "\n".join(
                        b["text"] for b in r["blocks"] if b["role"] == "body")
        f1 = mean_f1(oof, gold)
    row("html", "ghirbal (JSON, all labels)", 1, len(files), html_bytes, wall, cpu, rss, f1,
        "F1 out-of-fold" if f1 is not None else "")
    for threads in (1, a.threads):
        txt_out = os.path.join(out, f"ghirbal-html-{threads}.txt")
        _, wall, cpu, rss, _ = timed([ghirbal, "classify", "--threads", str(threads), "--format", "text",
                                      "--output", txt_out, html_dir])
        with open(txt_out, encoding="utf-8") as fh:
            if fh.read() != joined:
                raise SystemExit(f"{txt_out} differs from the body blocks of {json_out}")
        row("html", "ghirbal --format text", threads, len(files), html_bytes, wall, cpu, rss, f1)
    if f1 is not None:
        rust = subprocess.run([ghirbal, "wcxb-eval", "--data", a.wcxb, "--json", "--ids",
                               ids_file(out, gold), "--predictions", a.oof],
                              capture_output=True, text=True, check=True)
        rust_f1 = json.loads(rust.stdout).get("overall", {}).get("f1")
    else:
        rust_f1 = None
    if rust_f1 is not None and abs(rust_f1 - f1) > 0.002:
        print(f"warning: ghirbal wcxb-eval says F1 {rust_f1:.4f}, this harness {f1:.4f}", file=sys.stderr)
    for peer in PEERS:
        peer_out = os.path.join(out, f"{peer}-html.jsonl")
        cmd = [sys.executable, os.path.abspath(__file__), "peer", peer, "--pages", html_dir, "--out", peer_out]
        stdout, _, _, rss, _ = timed(cmd)
        res = json.loads(stdout.strip().splitlines()[-1])
        with open(peer_out, encoding="utf-8") as fh:
            texts = {r["id"]: r["text"] for r in map(json.loads, fh)}
        note = f"{res['errors']} pages failed" if res["errors"] else ""
        row("html", peer, 1, res["pages"], res["bytes"], res["wall"], res["cpu"], rss,
            mean_f1(texts, gold), note)

    # (b) Text pages (WET conversion records): ghirbal only; no peer takes text.
    wet_pages, wet_bytes = wet_size(wet)
    print(f"text: {wet_pages} pages, {wet_bytes / 1e6:.1f} MB of page text, in {wet}", file=sys.stderr)
    for threads in (1, a.threads):
        _, wall, cpu, rss, _ = timed([ghirbal, "classify", "--threads", str(threads), "--output",
                                      os.path.join(out, f"ghirbal-text-{threads}.jsonl"), wet])
        row("text", "ghirbal (JSON, all labels)", threads, wet_pages, wet_bytes, wall, cpu, rss)
    stages = os.path.join(ROOT, "target", "release", "examples", "stages")
    times = os.path.join(out, "page-times-text.txt")
    stdout, wall, cpu, rss, _ = timed([stages, "--page-times", times, wet])
    for st in map(json.loads, stdout.strip().splitlines()):
        row("text", f"stages: {st['stage']}", 1, st["pages"], st["bytes"], st["seconds"], st["cpu"], rss,
            note="in-process, no output")
    html_times = os.path.join(out, "page-times-html.txt")
    timed([stages, "--page-times", html_times, html_dir])
    print_table(rows, a)
    print()
    for name, t in (("html", html_times), ("text", times)):
        print(f"`--threads {a.threads}` on {a.threads} idle cores, {name}: at most "
              f"{scaling(t, a.threads):.2f}× one thread (classify's batches, measured per-page times, "
              "list scheduling; reading and writing overlap and are left out)")


BATCH_RECORDS, BATCH_BYTES = 256, 8 << 20  # as in src/cli/classify.rs


def scaling(path, workers):
    """Speed-up of `workers` threads over one: each batch (classify's rule)
    handed out page by page to the first free worker; a batch ends when its
    slowest worker does."""
    with open(path) as fh:
        pages = [(int(b), float(s)) for b, s in (line.split() for line in fh)]
    total, span, i = sum(s for _, s in pages), 0.0, 0
    while i < len(pages):
        free, n, size = [0.0] * workers, 0, 0
        while i < len(pages) and n < BATCH_RECORDS and size < BATCH_BYTES:
            k = free.index(min(free))
            free[k] += pages[i][1]
            size += pages[i][0]
            n += 1
            i += 1
        span += max(free)
    return total / span


def ids_file(out, gold):
    p = os.path.join(out, "ids.txt")
    with open(p, "w") as w:
        w.write("".join(k[: -len(".html")] + "\n" for k in sorted(gold)))
    return p


def wet_size(wet):
    pages, size = 0, 0
    with open(wet, "rb") as fh:
        for line in fh:
            if line.startswith(b"Content-Length:"):
                pages += 1
                size += int(line.split(b":")[1])
    return pages, size


def print_table(rows, a):
    ghirbal_cpu = next(r for r in rows if r["corpus"] == "html" and r["tool"] == "ghirbal --format text"
                       and r["threads"] == 1)
    g_rate = ghirbal_cpu["pages"] / ghirbal_cpu["cpu"]
    print("| corpus | tool | threads | pages | MB | wall s | CPU s | cores busy (CPU ÷ wall) | pages/s (wall) "
          "| MB/s (wall) | pages/s per CPU s | MB/s per CPU s | peak RSS MB | ghirbal ÷ tool (pages per CPU s) "
          "| body word-F1 | note |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        rate = r["pages"] / r["cpu"]
        ratio = f"{g_rate / rate:.1f}×" if r["corpus"] == "html" and not r["tool"].startswith("ghirbal") else ""
        f1 = f"{r['f1']:.3f}" if r["f1"] is not None else ""
        print(f"| {r['corpus']} | {r['tool']} | {r['threads']} | {r['pages']} | {r['bytes'] / 1e6:.1f} "
              f"| {r['wall']:.2f} | {r['cpu']:.2f} | {r['cpu'] / r['wall']:.2f} | {r['pages'] / r['wall']:.1f} "
              f"| {r['bytes'] / 1e6 / r['wall']:.2f} | {rate:.1f} | {r['bytes'] / 1e6 / r['cpu']:.2f} "
              f"| {r['rss']:.0f} | {ratio} | {f1} | {r['note']} |")
    with open(os.path.join(a.data, "out", "results.json"), "w") as w:
        json.dump(rows, w, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("prepare", "all"):
        s = sub.add_parser(name)
        s.add_argument("--wcxb", default=os.path.join(ROOT, "..", "shared", "data", "wcxb-dev"))
        s.add_argument("--training", default=os.path.join(ROOT, "training-data"))
        s.add_argument("--data", default=os.path.join(ROOT, "target", "bench-data"))
        s.add_argument("--min-mb", type=float, default=50)
        s.add_argument("--threads", type=int, default=os.cpu_count())
        s.add_argument("--limit", type=int, help="only the first N WCXB pages (a quick check)")
        s.add_argument("--oof", help="ghirbal's out-of-fold labels of the WCXB pages "
                       "(train --folds 5 --cv-predictions); without it no F1 is shown for ghirbal")
    s = sub.add_parser("scaling")
    s.add_argument("page_times")
    s.add_argument("--threads", type=int, default=2)
    s = sub.add_parser("peer")
    s.add_argument("name", choices=PEERS)
    s.add_argument("--pages", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--limit", type=int)
    a = p.parse_args()
    if a.cmd == "prepare":
        print(prepare(a.wcxb, a.training, a.data, a.min_mb))
    elif a.cmd == "scaling":
        print(f"{scaling(a.page_times, a.threads):.3f}")
    elif a.cmd == "peer":
        run_peer(a.name, a.pages, a.out, a.limit)
    else:
        run_all(a)


if __name__ == "__main__":
    main()
