#!/usr/bin/env python3
"""Body text on real pages, ghirbal's out-of-fold labels side by side with the peers.

usage: real_peers.py --oof OOF.jsonl [--wcxb DIR [--wcxb-labels DIR]] [--eval-ids FILE] [--arabic DIR ...]

- WCXB pages: every peer extracts the main text of the raw page
  (`DIR/html/ID.html.gz`); ghirbal's body is the `body` blocks of its record in
  OOF.jsonl (`ghirbal train --folds K --cv-predictions OOF.jsonl`, so each page
  was labelled by a model that never saw its host). Scored by the benchmark's
  word-level F1 (lower-cased `\\w+` tokens, bag of words) against
  `main_content`, mean over pages: on all pages, and on the pages of
  `--eval-ids` (the pages the earlier models never trained on). With
  `--wcxb-labels training-data/train/wcxb`, the training labels' own body is
  scored the same way, overall and per page type: where `LABELS.md` and the
  benchmark's gold disagree (bylines, product reviews, a listing's item
  lines), no model that learns the labels can score above it.
- Labelled real pages (`--arabic DIR`, labelled HTML): the gold body is the
  text under `data-ghirbal-role="body"`; the same metric, mean and minimum over
  pages. Peers read the labelled page itself (its visible text and markup are
  the original page's, with scripts, styles and hidden elements left out).

Run it with the peers' venv (scripts/bench-peers.sh makes target/bench-venv).
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from bench_peers import ground_truth, make_peer, word_f1  # noqa: E402

PEERS = ["trafilatura", "readability", "resiliparse", "justext"]


def read(path):
    with open(path, "rb") as f:
        b = f.read()
    return gzip.decompress(b) if b[:2] == b"\x1f\x8b" else b


def oof_bodies(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if "blocks" in r:
                out[r["id"]] = "\n".join(b["text"] for b in r["blocks"] if b["role"] == "body")
    return out


def gold_body(html_bytes):
    """Text whose nearest labelled ancestor says body."""
    import lxml.html

    root = lxml.html.fromstring(html_bytes)
    parts = []

    def role_of(el):
        while el is not None:
            r = el.get("data-ghirbal-role") if isinstance(el.tag, str) else None
            if r:
                return r.strip()
            el = el.getparent()
        return None

    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title"):
            continue
        if el.text and role_of(el) == "body":
            parts.append(el.text)
        for child in el:
            if child.tail and role_of(el) == "body":
                parts.append(child.tail)
    return " ".join(parts)


def page_id(html_bytes, fallback):
    m = re.search(rb'<meta name="ghirbal:id" content="([^"]*)"', html_bytes)
    return m.group(1).decode() if m else fallback


def peer_texts(names, pages, language="English"):
    """{peer: {id: text}} for pages {id: html bytes}."""
    out = {}
    for name in names:
        if name == "justext":
            import justext

            stop = justext.get_stoplist(language)

            def extract(b, stop=stop):
                return "\n".join(p.text for p in justext.justext(b, stop) if not p.is_boilerplate)
        else:
            extract = make_peer(name)
        texts = {}
        for i, b in pages.items():
            try:
                texts[i] = extract(b) or ""
            except Exception:  # a peer failing on a page scores 0 there
                texts[i] = ""
        out[name] = texts
    return out


def by_type(wcxb, gold, labelled, scores):
    """Mean word-F1 per WCXB page type on the pages that have training labels."""
    types = {}
    for i in gold:
        with open(os.path.join(wcxb, "ground-truth", i + ".json"), encoding="utf-8") as fh:
            t = (json.load(fh).get("_internal") or {}).get("page_type") or {}
        types[i] = t.get("primary", "?") if isinstance(t, dict) else str(t)
    ids = [i for i in gold if i in labelled]
    names = list(scores)
    print(f"\nWCXB dev by page type, the {len(ids)} pages with training labels\n")
    print("| page type | pages | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for t in sorted(set(types[i] for i in ids)) + ["all"]:
        sel = [i for i in ids if t in ("all", types[i])]
        cells = " | ".join(f"{sum(scores[n][i] for i in sel) / len(sel):.3f}" for n in names)
        print(f"| {t} | {len(sel)} | {cells} |")


def table(title, rows):
    print(f"\n{title}\n")
    print("| tool | pages | mean word-F1 | min | pages < 0.80 |")
    print("|---|---:|---:|---:|---:|")
    for tool, scores in rows:
        v = list(scores.values())
        print(f"| {tool} | {len(v)} | {sum(v) / len(v):.3f} | {min(v):.3f} | {sum(x < 0.8 for x in v)} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oof", required=True)
    ap.add_argument("--wcxb")
    ap.add_argument("--eval-ids")
    ap.add_argument(
        "--wcxb-labels",
        help="labelled WCXB pages (training-data/train/wcxb): score their own body labels "
        "against the gold too, the ceiling for a model that learns LABELS.md",
    )
    ap.add_argument("--arabic", action="append", default=[])
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--per-page", action="store_true")
    ap.add_argument("--language", default="Arabic", help="jusText stoplist for the labelled pages")
    a = ap.parse_args()
    bodies = oof_bodies(a.oof)
    peers = [p for p in a.peers.split(",") if p]
    if a.wcxb:
        gold, pages = {}, {}
        for f in sorted(os.listdir(os.path.join(a.wcxb, "ground-truth"))):
            i = f[: -len(".json")]
            main = ground_truth(os.path.join(a.wcxb, "ground-truth", f)).get("main_content")
            # Pages ghirbal has no labels for (no text block to label) score 0.
            if isinstance(main, str):
                gold[i] = main
                pages[i] = read(os.path.join(a.wcxb, "html", i + ".html.gz"))
        texts = peer_texts(peers, pages)
        texts = {"ghirbal (out-of-fold, by host)": {i: bodies.get(i, "") for i in gold}, **texts}
        labelled = {}
        if a.wcxb_labels:
            for f in sorted(os.listdir(a.wcxb_labels)):
                if ".htm" in f:
                    b = read(os.path.join(a.wcxb_labels, f))
                    labelled[page_id(b, f.split(".")[0])] = gold_body(b)
            texts["the training labels' own body (LABELS.md)"] = labelled
        scores = {t: {i: word_f1(x.get(i, ""), g) for i, g in gold.items()} for t, x in texts.items()}
        table(f"WCXB dev, all {len(gold)} pages with a gold main text", list(scores.items()))
        if labelled:
            by_type(a.wcxb, gold, labelled, scores)
        if a.eval_ids:
            keep = {l.strip() for l in open(a.eval_ids) if l.strip() and not l.startswith("#")}
            table(
                f"WCXB dev, the {len(keep & set(gold))} pages of {os.path.basename(a.eval_ids)}",
                [(t, {i: v for i, v in s.items() if i in keep}) for t, s in scores.items()],
            )
    for d in a.arabic:
        gold, pages = {}, {}
        for f in sorted(os.listdir(d)):
            if ".htm" not in f:
                continue
            b = read(os.path.join(d, f))
            i = page_id(b, f)
            gold[i] = gold_body(b)
            pages[i] = b
        texts = peer_texts(peers, pages, a.language)
        texts = {"ghirbal (out-of-fold, by site)": {i: bodies.get(i, "") for i in gold}, **texts}
        scores = {t: {i: word_f1(x.get(i, ""), g) for i, g in gold.items()} for t, x in texts.items()}
        table(f"Labelled real pages in {d} ({len(gold)} pages): body word-F1", list(scores.items()))
        if a.per_page:
            for i in gold:
                print(i, " ".join(f"{t.split()[0]}={s[i]:.2f}" for t, s in scores.items()))


if __name__ == "__main__":
    main()
