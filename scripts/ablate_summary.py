#!/usr/bin/env python3
"""One line per ablation run (scripts/ablate.sh), from its cv.txt and wcxb.txt.

usage: ablate_summary.py RUN_DIR [RUN_DIR ...]

Columns: text = written text pages' role macro-F1 per block; wcxb = WCXB body
word-F1 of the out-of-fold labels (all pages); wcxb roles and ar roles = role
macro-F1 per block / per token on the real English (WCXB) and the other real
(Arabic) HTML pages; ar body = the Arabic pages' body word-F1, mean per page.
"""
import os
import re
import sys


def sections(text):
    """Part name -> its lines, for each `cross-validation, ... folds by site, PART:` section."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"ghirbal: cross-validation, \d+ folds by site, (.*):$", line)
        if m:
            cur = m.group(1)
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out


def part(secs, prefix):
    for name, lines in secs.items():
        if name.startswith(prefix):
            macros = [float(m.group(1)) for l in lines if (m := re.search(r"macro-F1 ([0-9.]+)", l))]
            body = [float(m.group(1)) for l in lines if (m := re.search(r"^Body word-F1.* F1 ([0-9.]+)", l))]
            return macros, body
    return [], []


def fmt(v):
    return f"{v:.4f}" if v is not None else "-"


def main():
    print(f"{'run':<24} {'text':>7} {'wcxb':>6} {'wcxb roles':>15} {'ar roles':>15} {'ar body':>8}")
    for d in sys.argv[1:]:
        with open(os.path.join(d, "cv.txt"), encoding="utf-8") as f:
            secs = sections(f.read())
        text, _ = part(secs, "written text pages")
        wroles, _ = part(secs, "real English HTML")
        aroles, abody = part(secs, "real HTML pages (other)")
        wcxb = None
        try:
            with open(os.path.join(d, "wcxb.txt"), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("overall"):
                        wcxb = float(line.split()[-1])
                        break
        except FileNotFoundError:
            pass
        roles = lambda m: f"{fmt(m[0] if m else None)}/{fmt(m[1] if len(m) > 1 else None)}"
        print(
            f"{os.path.basename(d.rstrip('/')):<24} {fmt(text[0] if text else None):>7} "
            f"{(f'{wcxb:.3f}' if wcxb is not None else '-'):>6} {roles(wroles):>15} "
            f"{roles(aroles):>15} {fmt(abody[0] if abody else None):>8}"
        )


if __name__ == "__main__":
    main()
