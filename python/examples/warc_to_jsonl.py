"""Read WARC files with datatrove, keep the pages whose body is Arabic or
English and at least 50 words long, and write their body text as JSONL,
with ghirbal's labels in each document's metadata.

    pip install "ghirbal[datatrove]"
    python warc_to_jsonl.py CRAWL_DIR OUT_DIR [--glob '*.warc.gz'] [--tasks N]
"""

from __future__ import annotations

import argparse

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter

from ghirbal.datatrove import GhirbalAnnotator, GhirbalFilter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("warc_dir", help="folder of WARC files")
    ap.add_argument("out_dir", help="folder for the JSONL files")
    ap.add_argument("--glob", default="*.warc*", help="WARC files to read (default: %(default)s)")
    ap.add_argument("--tasks", type=int, default=1, help="datatrove tasks (processes)")
    ap.add_argument("--min-body-words", type=int, default=50)
    ap.add_argument("--logs", default=None, help="datatrove's logging folder")
    args = ap.parse_args()

    pipeline = [
        WarcReader(args.warc_dir, glob_pattern=args.glob),
        # The HTML of each response is in doc.text: label it, keep the body.
        # One thread per task when several tasks share the machine.
        GhirbalAnnotator(keep="body", html=True, threads=1 if args.tasks > 1 else None),
        # Reads the annotator's metadata: no second labelling.
        GhirbalFilter(languages=("ar", "en"), min_body_words=args.min_body_words),
        JsonlWriter(args.out_dir, compression=None),
    ]
    LocalPipelineExecutor(pipeline=pipeline, tasks=args.tasks, logging_dir=args.logs).run()


if __name__ == "__main__":
    main()
