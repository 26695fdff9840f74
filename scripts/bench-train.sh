#!/usr/bin/env bash
# Training time on 10,000 labelled pages, one thread (issue 6 target: < 60 s).
#
# The corpus's written text pages (training-data/train, WCXB pages left out)
# are repeated under new site names until there are PAGES of them (default
# 10,000), written once to target/bench-data/train-PAGES/. Then
# `ghirbal train --threads 1 --verbose` runs on one core (taskset) under
# /usr/bin/time -v; the script prints the phases, wall and CPU time, peak RSS.
#
#   scripts/bench-train.sh [PAGES [TRAIN FLAGS...]]   e.g. 10000 --stack-iterations 50
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
shift || true
out=target/bench-data/train-$pages
cargo build --release --quiet
if [ ! -f "$out/.done" ]; then
  rm -rf "$out"
  python3 - "$pages" "$out" <<'PY'
import os, sys, glob
n, out = int(sys.argv[1]), sys.argv[2]
src = sorted(p for p in glob.glob("training-data/train/*/*.txt"))
written = 0
copy = 0
while written < n:
    for p in src:
        if written >= n:
            break
        site = os.path.basename(os.path.dirname(p))
        name = f"{site}~{copy}"
        lines = open(p, encoding="utf-8").read().splitlines(keepends=True)
        lines = [f"# site: {name}\n" if l.startswith("# site:") else l for l in lines]
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, os.path.basename(p)), "w", encoding="utf-8") as f:
            f.writelines(lines)
        written += 1
    copy += 1
open(os.path.join(out, ".done"), "w").close()
print(f"wrote {written} pages from {len(src)} originals to {out}", file=sys.stderr)
PY
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%RZ), ghirbal $(git rev-parse --short HEAD)" >&2
/usr/bin/time -v taskset -c 0 target/release/ghirbal train --threads 1 --verbose "$out" \
  --out target/bench-data/train-$pages.model.json "$@" 2> >(grep -E "ghirbal|Elapsed|User time|System time|Maximum resident" >&2)
