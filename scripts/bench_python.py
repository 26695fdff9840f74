"""In-process benchmark of the ghirbal Python package against trafilatura and
Resiliparse on the WCXB pages of ../shared/data/wcxb-dev (BENCHMARKS.md,
"Python, in-process").

    scripts/bench-python.sh            # makes the venv, then runs this
    scripts/bench-python.sh --limit 50 # a quick check

Every tool gets the same pages as HTML bytes already in memory (read and
gunzipped before any timing) and is timed in this process over its loop with
time.process_time() (CPU seconds of all the process's threads) and
time.perf_counter() (wall). ghirbal runs as `classify_many` (the CLI's full
records as Python dicts) with one thread, for a per-core figure, and with all
cores, and as a single-threaded loop of `body_text` calls. The peers are
called as in scripts/bench_peers.py: trafilatura `extract(html_bytes)`,
Resiliparse `extract_plain_text(HTMLTree.parse_from_bytes(b,
detect_encoding(b)), main_content=True)`. Body word-F1 is the WCXB metric
over the held-out pages (training-data/wcxb/eval-ids.txt), as in the
side-by-side table.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench_peers  # noqa: E402  (its peers and its metric)

import ghirbal  # noqa: E402


def load(wcxb: Path, limit: int | None) -> dict[str, bytes]:
    files = sorted((wcxb / "html").glob("*.html.gz"))[:limit]
    return {f.name.removesuffix(".gz"): gzip.decompress(f.read_bytes()) for f in files}


def timed(f):
    w0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - w0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wcxb", default=str(REPO.parent / "shared" / "data" / "wcxb-dev"))
    ap.add_argument("--limit", type=int, default=None, help="first N pages only")
    a = ap.parse_args()
    wcxb = Path(a.wcxb)
    if not (wcxb / "html").is_dir():
        raise SystemExit(f"bench_python: {wcxb}/html absent")
    pages = load(wcxb, a.limit)
    nbytes = sum(map(len, pages.values()))
    held_out = set((REPO / "training-data" / "wcxb" / "eval-ids.txt").read_text().split())
    gold = {k: v for k, v in bench_peers.golds(str(wcxb)).items() if k.removesuffix(".html") in held_out and k in pages}
    load_avg = " ".join(open("/proc/loadavg").read().split()[:3])
    print(
        f"pages: {len(pages)} ({nbytes / 1e6:.1f} MB of HTML), F1 over {len(gold)} held-out pages; "
        f"{os.cpu_count()} cores, load average {load_avg}; ghirbal {ghirbal.__version__} "
        f"({ghirbal.default_classifier().model})",
        file=sys.stderr,
    )

    c = ghirbal.Classifier()
    records = [{"id": k, "html": b} for k, b in pages.items()]
    c.classify_text("warm-up")  # the model is parsed on first use
    rows = []

    def body_of(rec: dict) -> str:
        return "\n".join(b["text"] for b in rec["blocks"] if b["role"] == "body")

    for threads in (1, None):
        out, wall, cpu = timed(lambda: c.classify_many(records, threads=threads))
        texts = {r["id"]: body_of(r) for r in out}
        rows.append(("ghirbal", "`classify_many` (full records)", threads or os.cpu_count(), wall, cpu, texts))
    out, wall, cpu = timed(lambda: {k: c.body_text(b, html=True) for k, b in pages.items()})
    rows.append(("ghirbal", "`body_text` loop", 1, wall, cpu, out))
    assert out == rows[0][5], "body_text and the body blocks of classify_many differ"

    for name, call in (
        ("trafilatura", "`extract(html_bytes)`"),
        ("Resiliparse", "`extract_plain_text(…, main_content=True)`"),
    ):
        extract = bench_peers.make_peer(name.lower())

        def loop():
            texts = {}
            for k, b in pages.items():
                try:
                    texts[k] = extract(b)
                except Exception:  # a peer failing on a page scores 0 there
                    texts[k] = ""
            return texts

        out, wall, cpu = timed(loop)
        rows.append((name, call, 1, wall, cpu, out))

    ref = len(pages) / rows[0][4]
    print("| tool | call | threads | pages | CPU s | wall s | pages per CPU s | pages/s (wall) | ghirbal `classify_many` 1 thread ÷ tool (per CPU s) | body word-F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tool, call, threads, wall, cpu, texts in rows:
        per_cpu = len(pages) / cpu
        ratio = "" if tool == "ghirbal" else f"{ref / per_cpu:.1f}×"
        f1 = bench_peers.mean_f1(texts, gold) if gold else float("nan")
        print(
            f"| {tool} | {call} | {threads} | {len(pages)} | {cpu:.2f} | {wall:.2f} | "
            f"{per_cpu:.1f} | {len(pages) / wall:.1f} | {ratio} | {f1:.3f} |"
        )


if __name__ == "__main__":
    main()
