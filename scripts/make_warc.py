#!/usr/bin/env python3
"""Write a gzip WARC (one gzip member per record) of at least --mb megabytes
on disk, from the HTML pages of a directory (the WCXB pages by default),
repeated as often as needed: a warcinfo record, then one `response` record
per page copy, each with its own WARC-Record-ID and a 200 HTTP header.

Usage: make_warc.py OUT.warc.gz --mb 1000 [--pages DIR]
"""

import argparse
import gzip
import os
import sys
import uuid
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def member(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: gzip wrapper
    return c.compress(data) + c.flush()


def record(kind, headers, body):
    head = f"WARC/1.0\r\nWARC-Type: {kind}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body + b"\r\n\r\n"


def pages(d):
    for f in sorted(os.listdir(d)):
        p = os.path.join(d, f)
        if f.endswith(".html.gz"):
            with gzip.open(p) as fh:
                yield f[: -len(".html.gz")], fh.read()
        elif f.endswith(".html"):
            with open(p, "rb") as fh:
                yield f[: -len(".html")], fh.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, required=True, help="size on disk to reach, in MB")
    ap.add_argument("--pages", default=os.path.join(ROOT, "..", "shared", "data", "wcxb-dev", "html"))
    ap.add_argument("--level", type=int, default=1, help="gzip level of each member")
    a = ap.parse_args()
    src = list(pages(a.pages))
    if not src:
        sys.exit(f"make_warc: no .html or .html.gz pages in {a.pages}")
    rng = uuid.UUID("6a0c1b1e-0000-4000-8000-000000000000").int
    n, raw, tmp = 0, 0, a.out + ".tmp"
    with open(tmp, "wb") as w:
        info = b"software: ghirbal scripts/make_warc.py\r\nformat: WARC File Format 1.0\r\n"
        w.write(member(record("warcinfo", [("WARC-Date", "2025-01-01T00:00:00Z"),
                                           ("Content-Type", "application/warc-fields")], info), a.level))
        while w.tell() < a.mb * 1e6:
            for pid, html in src:
                http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                        + f"Content-Length: {len(html)}\r\n\r\n".encode() + html)
                rid = uuid.UUID(int=(rng + n) % (1 << 128))
                rec = record("response", [
                    ("WARC-Date", "2025-01-01T00:00:00Z"),
                    ("WARC-Record-ID", f"<urn:uuid:{rid}>"),
                    ("WARC-Target-URI", f"https://wcxb.example/{pid}?copy={n // len(src)}"),
                    ("Content-Type", "application/http; msgtype=response"),
                ], http)
                w.write(member(rec, a.level))
                n += 1
                raw += len(html)
                if w.tell() >= a.mb * 1e6:
                    break
    os.replace(tmp, a.out)
    print(f"{a.out}: {n} response records, {raw / 1e6:.0f} MB of HTML, "
          f"{os.path.getsize(a.out) / 1e6:.0f} MB on disk", file=sys.stderr)


if __name__ == "__main__":
    main()
