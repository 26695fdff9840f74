#!/usr/bin/env bash
# One ablation run: cross-validation by site on training data only, with the
# shipped configuration plus the extra `ghirbal train` flags given, then the
# real-page scores of its out-of-fold labels. Nothing here reads dev.
#
# Usage: scripts/ablate.sh NAME [train flags ...]
#   e.g. scripts/ablate.sh base
#        scripts/ablate.sh seed7 --seed 7
#        scripts/ablate.sh no-ctx --no-container-context
#
# Writes target/ablate/NAME/:
#   cv.txt     the cross-validation report (written text pages, real English
#              HTML, real Arabic HTML, all pages: per-role F1 and macro-F1)
#   oof.jsonl  the out-of-fold labels (each page labelled by a model that
#              never saw its site)
#   wcxb.txt   WCXB body word-F1 of those labels (`ghirbal wcxb-eval`)
#   real.md    the same pages and the real Arabic pages side by side with the
#              peers (scripts/real_peers.py; needs target/bench-venv, made by
#              scripts/bench-peers.sh; skipped when it is missing)
# and prints one summary line: NAME, text macro-F1, WCXB body, WCXB and
# Arabic role macro-F1 (block/token), Arabic body per page.
#
# FOLDS (default 3), THREADS (default 1) and WRITTEN_WEIGHT (the weight of
# training-data/written-html, default 1) come from the environment; the
# fits are deterministic whatever THREADS is. One run takes 5-10 minutes on
# one core. Compare two runs on two seeds before believing a difference of
# less than 0.01: that is the noise floor of these figures (models/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/ablate.sh NAME [train flags ...]}
shift
folds=${FOLDS:-3}
threads=${THREADS:-1}
cargo build --release --quiet
bin=target/release/ghirbal
out=target/ablate/$name
mkdir -p "$out"
rendered=target/train-default/rendered
if [ ! -d "$rendered" ]; then
    python3 scripts/render_corpus.py --train training-data/train --out "$rendered"
fi
# --cv-only writes nothing to --out, but the flag is required.
"$bin" train training-data/train --name "$name" --folds "$folds" --cv-only \
    --site-balance 0.5 --weighted "$rendered=0.1" --weighted "training-data/written-html=${WRITTEN_WEIGHT:-1}" \
    --threads "$threads" "$@" \
    --cv-predictions "$out/oof.jsonl" --out "$out/unused.json" --verbose 2> "$out/train.log"
grep -v '^ghirbal: *[0-9.]* s ' "$out/train.log" > "$out/cv.txt"
"$bin" wcxb-eval --predictions "$out/oof.jsonl" > "$out/wcxb.txt" 2>/dev/null
if [ -x target/bench-venv/bin/python ]; then
    target/bench-venv/bin/python scripts/real_peers.py --oof "$out/oof.jsonl" \
        --wcxb ../shared/data/wcxb-dev --arabic training-data/train/real-ar \
        --peers "" > "$out/real.md" 2>/dev/null || true
fi
python3 scripts/ablate_summary.py "$out"
