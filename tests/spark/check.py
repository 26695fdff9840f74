#!/usr/bin/env python3
"""Check the Spark job's output against the single-machine CLI's.

    check.py --ghirbal BIN --fixtures DIR --cli CLI.jsonl --spark OUT [--body-only-out OUT2]

CLI.jsonl is `ghirbal classify` of the fixture files on one machine; OUT is
the Parquet written by spark/classify_crawl.py on the same paths. Every page
block must be one row with the same id, url, date, block index, offsets,
role, language, scores and text; every failed record one error row. Then,
in the same Spark session: the job again with --body-only, JSON output and an
explicit --model, and JSON Lines `{"id","url","html"}` records piped through
`ghirbal classify -` with Spark's own RDD.pipe (the JVM one, which fails a
task on a non-zero exit) and PySpark's, each answer line in input order.
Prints "N passed, M failed" and exits 1 on any failure.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "spark"))

import classify_crawl  # noqa: E402

CHECKS = {"passed": 0, "failed": 0}


def check(ok, what, detail=""):
    if ok:
        CHECKS["passed"] += 1
        print(f"ok    {what}")
    else:
        CHECKS["failed"] += 1
        print(f"FAIL  {what}\n      {detail}"[:4000])


def expected_rows(cli_lines, body_only=False):
    """The rows the CLI's output stands for (written here independently of the job)."""
    rows = []
    for line in cli_lines:
        rec = json.loads(line)
        key = (rec["id"], rec.get("url"), rec.get("date"))
        if "error" in rec:
            rows.append(("error",) + key + (None,) * 8 + (False, rec["error"]))
            continue
        blocks = [(i, b) for i, b in enumerate(rec["blocks"])
                  if not body_only or b["role"] == "body"]
        for i, b in blocks:
            rows.append(("block",) + key + (
                i, b["start"], b["end"], b["role"], b["lang"], b["role_scores"][b["role"]],
                b["lang_confidence"], b["text"], bool(rec.get("truncated")), None))
        if not blocks:
            rows.append(("empty",) + key + (None,) * 8 + (bool(rec.get("truncated")), None))
    return rows


def order(rows):
    return sorted(rows, key=lambda r: (r[1], -1 if r[4] is None else r[4]))


def compare(got, want, what):
    names = [c for c, _ in classify_crawl.COLUMNS]
    got, want = order(got), order(want)
    keys = [(r[1], r[4]) for r in got]
    check(len(set(keys)) == len(keys), f"{what}: no row twice")
    check(len(got) == len(want), f"{what}: {len(got)} rows, the CLI gives {len(want)}")
    bad = [(g, w) for g, w in zip(got, want) if g != w]
    detail = ""
    if bad:
        g, w = bad[0]
        detail = "; ".join(f"{n}: spark {a!r} cli {b!r}" for n, a, b in zip(names, g, w) if a != b)
    check(not bad, f"{what}: every row equals the CLI's, field for field "
          f"({len(bad)} differ)", detail)


def same_answers(got, want):
    """Equal answer lines; an error line's stand-in id (`-:LINE`) counts lines
    per process, so under a pipe only its place and message must match."""
    def norm(line):
        d = json.loads(line)
        if "error" in d and d["id"].startswith("-:"):
            d["id"] = "-:N"
        return d

    return len(got) == len(want) and [norm(l) for l in got] == [norm(l) for l in want]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ghirbal", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--spark", required=True)
    a = ap.parse_args()
    fx = a.fixtures
    with open(a.cli, encoding="utf-8") as f:
        cli_lines = f.read().splitlines()

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("ghirbal-spark-check")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.log.level", "WARN")
             .getOrCreate())
    sc = spark.sparkContext

    # 1. The job's Parquet output against the CLI.
    got = [tuple(r) for r in spark.read.parquet(a.spark).collect()]
    want = expected_rows(cli_lines)
    compare(got, want, "parquet output")
    ids = {r[1] for r in got}
    cli_ids = [json.loads(l)["id"] for l in cli_lines]
    check(ids == set(cli_ids) and len(cli_ids) == 64,
          f"every record of the CLI is in the Spark output ({len(ids)} ids, CLI {len(cli_ids)})")
    langs = {r[8] for r in got if r[0] == "block"}
    check({"ar", "en"} <= langs, f"Arabic and English blocks ({sorted(langs)})")
    errors = [r for r in got if r[0] == "error"]
    damaged = [r for r in errors if "gzip" in r[13] or "truncated" in r[13]]
    check(len(damaged) == 1 and damaged[0][1].startswith("urn:uuid:")
          and damaged[0][2] is not None,
          "the cut WARC record is one error row with its record id and url", str(errors))
    missing = os.path.join(os.path.abspath(fx), "missing.warc.gz")
    check([r[1] for r in errors if "cannot read" in r[13]] == [missing],
          "the path that cannot be opened is one error row with the path as id", str(errors))
    # The damaged WARC is listed third: its good, cut and good records.
    good1, cut, good2 = (json.loads(l) for l in cli_lines[-4:-1])
    with_blocks = {r[1] for r in got if r[0] == "block"}
    check("error" in cut and good1["id"] in with_blocks and good2["id"] in with_blocks,
          "both good records around the cut one have their blocks")

    # 2. The job again: body only, JSON Lines, the model file shipped.
    out2 = os.path.join(os.path.dirname(os.path.abspath(a.spark)), "body-only")
    model = os.path.join(ROOT, "models", "default.json")
    sc.addPyFile(classify_crawl.__file__)  # its functions run on the executors
    classify_crawl.main(["--paths-from", os.path.join(fx, "paths.txt"), "--output", out2,
                         "--format", "json", "--body-only", "--model", model,
                         "--ghirbal", a.ghirbal, "--partitions", "2"])
    spark = SparkSession.builder.getOrCreate()
    sc = spark.sparkContext
    rows = []
    for name in sorted(os.listdir(out2)):
        if name.startswith("part-"):
            with open(os.path.join(out2, name), encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    rows.append(tuple(d.get(c, False if c == "truncated" else None)
                                      for c, _ in classify_crawl.COLUMNS))
    compare(rows, expected_rows(cli_lines, body_only=True), "--body-only JSON output")

    # 3. JSON Lines records through RDD.pipe: one answer line per input line, in order.
    jsonl = os.path.join(fx, "pages.jsonl")
    with open(jsonl, "rb") as f:
        data = f.read()
    n_in = data.count(b"\n")
    ref = subprocess.run([a.ghirbal, "classify", "-"], input=data, capture_output=True,
                         check=False).stdout.decode().splitlines()
    errs = [json.loads(l)["id"] for l in ref if "error" in json.loads(l)]
    check(len(ref) == n_in and errs == ["-:4", "-:7"],
          f"CLI: {len(ref)} answer lines for {n_in} input lines, the bad and the blank "
          f"line are error lines in place ({errs})")
    cmd = f"{a.ghirbal} classify --partial-ok --threads 1 -"
    jvm = list(sc.textFile(jsonl, 3)._jrdd.pipe(cmd).collect())
    check(same_answers(jvm, ref),
          f"Spark RDD.pipe (JVM): {len(jvm)} lines for {n_in} input lines, equal to the CLI's")
    lines = data.decode().split("\n")[:-1]
    py = sc.parallelize(lines, 3).pipe(cmd, checkCode=True).collect()
    check(same_answers(py, ref), f"PySpark RDD.pipe: {len(py)} lines equal to the CLI's")
    spark.stop()

    print(f"{CHECKS['passed']} passed, {CHECKS['failed']} failed")
    sys.exit(1 if CHECKS["failed"] else 0)


if __name__ == "__main__":
    main()
