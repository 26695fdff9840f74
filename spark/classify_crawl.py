#!/usr/bin/env python3
"""Label every block of a crawl's WARC/WET files on Apache Spark with ghirbal.

The driver reads the list of paths and spreads it over partitions (one path
per partition by default). Each partition runs the ghirbal binary once,
`ghirbal classify --paths -`, and writes its paths to the binary's standard
input; the output lines (one JSON object per page record, in order) are parsed
by Spark's JSON reader and turned into rows: one row per block, or one `error`
row for a record that could not be read (a damaged WARC record, a path that
cannot be opened), or one `empty` row for a page without blocks (or, with
--body-only, without body blocks), so that every record shows up in the
output. The labels are exactly those of the
single-machine CLI: the same binary and model make them.

    spark-submit --master yarn spark/classify_crawl.py \\
        --ghirbal target/x86_64-unknown-linux-musl/release/ghirbal \\
        --paths-from warc.paths --output hdfs:///crawl/blocks

The binary and the model are shipped to the executors with SparkContext.addFile
when they exist on the driver (or pass them to spark-submit with --files and
name them by file name); otherwise --ghirbal is taken as a path installed on
every worker. The WARC/WET paths must be readable as files on the workers
(a shared or mounted file system): ghirbal opens them itself.

Output columns: kind (block | empty | error), id, url, date, block (index of
the block in its page), start, end (byte offsets, as in the CLI output), role,
lang, confidence (probability of the chosen role), lang_confidence, text,
truncated (the page was cut by ghirbal's limits), error.
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import threading

COLUMNS = [
    ("kind", "string"),
    ("id", "string"),
    ("url", "string"),
    ("date", "string"),
    ("block", "int"),
    ("start", "bigint"),
    ("end", "bigint"),
    ("role", "string"),
    ("lang", "string"),
    ("confidence", "double"),
    ("lang_confidence", "double"),
    ("text", "string"),
    ("truncated", "boolean"),
    ("error", "string"),
]

# Bytes of ghirbal's standard error kept for the message of a failed task.
STDERR_TAIL = 16 * 1024


# ghirbal's output lines as Spark reads them (the fields the rows need).
PAGE_SCHEMA = (
    "id string, url string, date string, error string, truncated boolean, "
    "blocks array<struct<start: bigint, end: bigint, text: string, role: string, "
    "lang: string, role_scores: map<string, double>, lang_confidence: double>>"
)


def block_rows(pages, body_only):
    """One row per block of the page lines (`PAGE_SCHEMA`), one per error,
    one per page without (body) blocks; columns as `COLUMNS`."""
    from pyspark.sql import functions as F

    # Number the blocks before filtering: `block` is the index in the page.
    blocks = F.transform("blocks", lambda b, i: F.struct(i.alias("i"), b.alias("b")))
    if body_only:
        blocks = F.filter(blocks, lambda x: x["b"]["role"] == "body")
    x = F.col("x")
    b = x["b"]
    kind = (F.when(F.col("error").isNotNull(), "error")
            .when(x.isNull(), "empty").otherwise("block"))
    cols = {
        "kind": kind,
        "id": F.col("id"),
        "url": F.col("url"),
        "date": F.col("date"),
        "block": x["i"],
        "start": b["start"],
        "end": b["end"],
        "role": b["role"],
        "lang": b["lang"],
        "confidence": F.element_at(b["role_scores"], b["role"]),
        "lang_confidence": b["lang_confidence"],
        "text": b["text"],
        "truncated": F.coalesce(F.col("truncated"), F.lit(False)),
        "error": F.col("error"),
    }
    assert list(cols) == [c for c, _ in COLUMNS]
    exploded = pages.select("*", F.explode_outer(blocks).alias("x"))
    return exploded.select([c.cast(t).alias(n) for (n, t), c in zip(COLUMNS, cols.values())])


def resolve(path, shipped):
    """Where an executor finds a file: shipped with addFile or --files
    (looked up by file name), else `path` itself or a command on PATH."""
    if shipped:
        from pyspark import SparkFiles

        name = os.path.basename(path)
        for cand in (SparkFiles.get(name), os.path.join(os.getcwd(), name)):
            if os.path.isfile(cand):
                return cand
    if os.path.isfile(path):
        return path
    found = shutil.which(path)
    if found:
        return found
    raise FileNotFoundError(f"{path} is neither shipped to this executor nor installed on it")


def executable(path):
    """`path`, made executable if a file transfer lost its mode bits."""
    if not os.access(path, os.X_OK):
        os.chmod(path, os.stat(path).st_mode | 0o755)
    return path


def classify_partition(paths, opts, counter):
    """The output lines of one ghirbal process over the files `paths`: one
    JSON object per page record, in order."""
    paths = list(paths)
    if not paths:
        return
    from pyspark import TaskContext

    ctx = TaskContext.get()
    threads = max(1, ctx.cpus() if ctx is not None else 1)
    cmd = [executable(resolve(opts["ghirbal"], opts["ship_ghirbal"])), "classify",
           "--paths", "-", "--partial-ok", "--threads", str(threads)]
    if opts["model"]:
        cmd += ["--model", resolve(opts["model"], opts["ship_model"])]
    cmd += opts["extra"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    tail = bytearray()

    def feed():
        try:
            for p in paths:
                proc.stdin.write(p.encode() + b"\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass  # ghirbal ended early; its exit status says why

    def drain():
        for line in proc.stderr:
            sys.stderr.buffer.write(line)  # executor log
            tail.extend(line)
            del tail[:-STDERR_TAIL]
        sys.stderr.flush()

    workers = [threading.Thread(target=feed, daemon=True),
               threading.Thread(target=drain, daemon=True)]
    for w in workers:
        w.start()
    try:
        for line in proc.stdout:
            counter.add(1)
            yield line.decode()
        status = proc.wait()
        for w in workers:
            w.join()
        if status != 0:
            # Not a record error (those are rows): bad model, crash, killed.
            # Failing the task lets Spark retry it, then reports it.
            raise RuntimeError(f"{' '.join(cmd)} exited with status {status}: "
                               f"{tail.decode(errors='replace').strip()}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def read_list(spark, name):
    """Lines of a path list: a local file (gzip allowed), else a Hadoop path."""
    if os.path.isfile(name):
        with open(name, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        return data.decode().splitlines()
    return spark.sparkContext.textFile(name).collect()


def normalise(path, prefix):
    """A path as a worker's ghirbal opens it: absolute, without `file://`."""
    path = prefix + path
    if path.startswith("file://"):
        path = path[len("file://"):]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", path):
        raise SystemExit(
            f"classify_crawl: {path}: ghirbal reads files the workers can open; "
            "mount that storage on the workers (or copy the files) and list local paths")
    return os.path.abspath(path)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Label every block of WARC/WET files on Spark with ghirbal.",
        epilog="Output columns: " + ", ".join(n for n, _ in COLUMNS))
    ap.add_argument("paths", nargs="*", help="WARC/WET (or HTML, text) files")
    ap.add_argument("--paths-from", action="append", default=[], metavar="LIST",
                    help="file listing paths, one per line (local or Hadoop path; .gz ok)")
    ap.add_argument("--path-prefix", default="",
                    help="prepended to every listed path (e.g. the mount point of a crawl)")
    ap.add_argument("--output", required=True, help="output directory")
    ap.add_argument("--format", choices=["parquet", "json"], default="parquet",
                    help="Parquet (default) or JSON Lines")
    ap.add_argument("--mode", choices=["error", "overwrite", "append"], default="error",
                    help="what to do when the output exists (default: fail)")
    ap.add_argument("--ghirbal", default="ghirbal",
                    help="the ghirbal binary: shipped to the executors when it exists here, "
                         "else a path (or command) installed on every worker")
    ap.add_argument("--model", help="model file, shipped like --ghirbal (default: embedded)")
    ap.add_argument("--no-ship", action="store_true",
                    help="never ship --ghirbal/--model: they are installed on the workers")
    ap.add_argument("--body-only", action="store_true", help="keep only body blocks")
    ap.add_argument("--partitions", type=int,
                    help="number of partitions (default: one per path)")
    ap.add_argument("--ghirbal-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `ghirbal classify`, written with = "
                         "(e.g. --ghirbal-arg=--max-page-bytes=8000000)")
    return ap.parse_args(argv)


def main(argv=None):
    a = parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("ghirbal-classify-crawl").getOrCreate()
    sc = spark.sparkContext
    raw = list(a.paths)
    for name in a.paths_from:
        raw.extend(read_list(spark, name))
    paths = [normalise(p.strip("\r\n"), a.path_prefix) for p in raw if p.strip()]
    if not paths:
        raise SystemExit("classify_crawl: no input paths")

    def ship(path):
        if path and not a.no_ship and os.path.isfile(path):
            sc.addFile(os.path.abspath(path))
            return True
        return bool(path) and not a.no_ship  # maybe shipped by spark-submit --files

    opts = {
        "ghirbal": a.ghirbal,
        "ship_ghirbal": ship(a.ghirbal),
        "model": a.model,
        "ship_model": ship(a.model),
        "extra": list(a.ghirbal_arg),
    }
    records = sc.accumulator(0)
    n = a.partitions or len(paths)
    lines = sc.parallelize(paths, n).mapPartitions(
        lambda it: classify_partition(it, opts, records))
    # Parsed on the JVM: far cheaper per block than Python rows.
    pages = spark.read.schema(PAGE_SCHEMA).option("mode", "FAILFAST").json(lines)
    writer = block_rows(pages, a.body_only).write.mode(a.mode)
    if a.format == "parquet":
        writer.parquet(a.output)
    else:
        writer.json(a.output)
    print(f"classify_crawl: {len(paths)} paths in {n} partitions: {records.value} records "
          f"-> {a.output} ({a.format})", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
