#!/usr/bin/env python3
"""Print the counts of training-data/ (pages, sites, labelled lines by role and
language, pages by kind) as Markdown, for training-data/README.md.

Usage: python3 scripts/corpus_stats.py [training-data]
"""
import collections
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "training-data")
ROLES = ["body", "chrome", "nav", "legal", "ad"]
LANGS = ["ar", "en", "mixed", "other", "none"]
line_re = re.compile(r"^(\w+) (\w+)\t")

for split in ["train", "dev"]:
    d = root / split
    if not d.is_dir():
        continue
    pages = sorted(d.glob("**/*.txt"))
    sites = {p.parent.name for p in pages}
    kinds = collections.Counter()
    cells = collections.Counter()
    for p in pages:
        text = p.read_text(encoding="utf-8")
        m = re.search(r"^# kind: (\S+)", text, re.M)
        kinds[m.group(1) if m else "?"] += 1
        for line in text.split("\n"):
            m = line_re.match(line)
            if m:
                cells[(m.group(1), m.group(2))] += 1
    print(f"### {split}: {len(pages)} pages, {len(sites)} sites\n")
    print("| kind | pages |\n|---|---|")
    for k, n in sorted(kinds.items()):
        print(f"| {k} | {n} |")
    print()
    print("| lines | " + " | ".join(LANGS) + " | total |")
    print("|---|" + "---|" * (len(LANGS) + 1))
    for r in ROLES:
        row = [cells[(r, l)] for l in LANGS]
        print(f"| {r} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    tot = [sum(cells[(r, l)] for r in ROLES) for l in LANGS]
    print("| total | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |\n")
