#!/usr/bin/env python3
"""Check what headless Chromium drew for a ghirbal report or page viewer.

Usage: browser_check.py --kind report|viewer --dom DOM.html --png SHOT.png
                        [--expect-fail]

DOM checks read the facts the page's own script measured after layout and
wrote into <body data-layout="{...}"> (see src/eval/report/html.rs): blocks and
pages drawn, right-to-left blocks whose first letter sits at the right edge
of the block, left-to-right ones at the left edge, heatmap cells, reliability
diagrams, and that "mistakes only" shows exactly the mistakes.

Pixel checks decode the PNG screenshot (standard library only: zlib and
struct) and look for a non-blank page, the role colours of the page viewer
and, for the report, the dark blue of the confusion heatmap's diagonal.

With --expect-fail the script succeeds only if some check fails (used to make
sure the checks can fail at all). Exit code 0 on success, 1 otherwise.
"""

import argparse
import html
import json
import re
import struct
import sys
import zlib

# Role backgrounds of the page viewer (ROLE_COLOURS in src/eval/report/html.rs).
ROLE_BG = {
    "body": (0xD4, 0xF0, 0xC8),
    "chrome": (0xE4, 0xE4, 0xE4),
    "nav": (0xD3, 0xE2, 0xFA),
}


def read_png(path):
    """Width, height and rows of RGB(A) bytes of an 8-bit non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, head = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, ctype, _, _, interlace = head
    if depth != 8 or interlace != 0 or ctype not in (2, 6):
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        filt = raw[i]
        line = bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        if filt == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif filt == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif filt == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif filt == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        elif filt != 0:
            raise ValueError(f"{path}: bad filter type {filt}")
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def pixel_stats(path):
    width, height, bpp, rows = read_png(path)
    total = nonwhite = dark_blue = 0
    colours = set()
    role = {k: 0 for k in ROLE_BG}
    for line in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            total += 1
            if r < 245 or g < 245 or b < 245:
                nonwhite += 1
            colours.add((r >> 3, g >> 3, b >> 3))
            # The heatmap's right-answer diagonal (#08306b at 100%), not the
            # nav edge colour (#1565c0).
            if r < 60 and g < 90 and 90 < b < 170 and b - r > 60:
                dark_blue += 1
            for k, c in ROLE_BG.items():
                if abs(r - c[0]) <= 2 and abs(g - c[1]) <= 2 and abs(b - c[2]) <= 2:
                    role[k] += 1
    return {
        "width": width,
        "height": height,
        "nonwhite_share": nonwhite / max(total, 1),
        "colours": len(colours),
        "dark_blue": dark_blue,
        "role_pixels": role,
    }


def layout_facts(dom_path):
    with open(dom_path, encoding="utf-8") as f:
        dom = f.read()
    m = re.search(r'<body[^>]*\sdata-layout="([^"]*)"', dom)
    if not m:
        return dom, None
    return dom, json.loads(html.unescape(m.group(1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["report", "viewer"], required=True)
    ap.add_argument("--dom", required=True)
    ap.add_argument("--png")
    ap.add_argument("--expect-fail", action="store_true")
    args = ap.parse_args()

    failures = []

    def check(ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    dom, f = layout_facts(args.dom)
    check(f is not None, "the page's script ran and recorded layout facts (body[data-layout])")
    if f is not None:
        print("      facts: " + json.dumps(f, sort_keys=True))
        drawn = dom.count('class="blk ')
        check(f["blocks"] > 0 and f["blocks"] == drawn, f"page viewer present: {f['blocks']} blocks laid out, {drawn} in the DOM")
        check(f["pages"] > 0, f"page viewer shows {f['pages']} pages")
        check(f["arabicFirst"] > 0 and f["rtl"] == f["arabicFirst"], f"blocks starting with an Arabic letter are laid out right to left ({f['rtl']} of {f['arabicFirst']})")
        check(f["rtl"] > 0 and f["rtlRight"] == f["rtl"], f"and start at the right edge ({f['rtlRight']} of {f['rtl']})")
        check(f["ltr"] == f["latinFirst"], f"blocks starting with a Latin letter are laid out left to right ({f['ltr']} of {f['latinFirst']})")
        check(f["ltrLeft"] == f["ltr"], f"and start at the left edge ({f['ltrLeft']} of {f['ltr']})")
        check(f["blockTextDirDiffer"] == 0, f"each block's box (edge stripe) has its text's direction ({f['blockTextDirDiffer']} differ)")
        if args.kind == "report":
            check('id="viewer"' in dom and '<svg class="heatmap" id="heatmap-block"' in dom, "heatmap and page viewer in the DOM")
            check(f["heatmapCells"] >= 75, f"confusion heatmaps drawn ({f['heatmapCells']} cells)")
            check(f["reliability"] == 6, f"reliability diagrams drawn ({f['reliability']}: five roles and all)")
            check(f["errors"] > 0, f"{f['errors']} mistakes outlined")
            check(f.get("shownWithMistakesOnly") == f["errors"], f"'mistakes only' shows exactly the mistakes ({f.get('shownWithMistakesOnly')})")
            check(f.get("shownAll") == f["blocks"], "'show all' shows every block again")

    if args.png:
        p = pixel_stats(args.png)
        print("      pixels: " + json.dumps(p, sort_keys=True))
        check(p["nonwhite_share"] > 0.05 and p["colours"] > 40, f"screenshot is not blank ({p['nonwhite_share']:.1%} non-white, {p['colours']} colours)")
        check(p["role_pixels"]["body"] > 2000, f"body-coloured blocks visible ({p['role_pixels']['body']} px)")
        check(p["role_pixels"]["chrome"] + p["role_pixels"]["nav"] > 2000, "chrome/nav-coloured blocks visible")
        if args.kind == "report":
            check(p["dark_blue"] > 1500, f"heatmap diagonal visible ({p['dark_blue']} dark blue px)")

    if args.expect_fail:
        if failures:
            print(f"as expected, {len(failures)} check(s) failed on the broken page")
            return 0
        print("FAIL  the checks passed on a deliberately broken page")
        return 1
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
