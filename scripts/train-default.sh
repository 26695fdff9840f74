#!/usr/bin/env bash
# Train the shipped model and write its committed evaluation, in one run:
#   models/default.json        the model (5-fold cross-validation by site in
#                              its training.cross_validation)
#   models/default.cv.txt      the cross-validation report, one section per
#                              part: written text pages, real English HTML
#                              (WCXB), real Arabic HTML, all pages
#   models/default.wcxb.txt    WCXB body word-F1 of the out-of-fold labels
#                              (every page labelled by a model that never saw
#                              its host), on all pages and on eval-ids.txt
#   models/default.real.md     the same pages side by side with trafilatura,
#                              Readability, Resiliparse and jusText, and the
#                              real Arabic pages (needs the peers' venv:
#                              scripts/bench-peers.sh makes target/bench-venv;
#                              skipped when it is missing)
#   models/default.eval.md/.json   the dev split (read once per release)
# Usage: scripts/train-default.sh  (about 20 minutes on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
# The configuration chosen by cross-validation on train (models/README.md):
# the default features, pages weighted by 1/sqrt(pages of their site), and
# the written corpus rendered as HTML at weight 0.1, the written Arabic HTML
# pages (training-data/written-html) at weight 1; extra train flags may be
# given on the command line.
FLAGS=("$@")
cargo build --release --quiet
bin=target/release/ghirbal
work=target/train-default
mkdir -p "$work"
rm -rf "$work/rendered"
python3 scripts/render_corpus.py --train training-data/train --out "$work/rendered"
"$bin" train training-data/train --name default --folds 5 \
    --site-balance 0.5 --weighted "$work/rendered=0.1" --weighted training-data/written-html=1 ${FLAGS[@]+"${FLAGS[@]}"} \
    --cv-predictions "$work/oof.jsonl" --out models/default.json --verbose 2> "$work/train.log"
grep -v '^ghirbal: *[0-9.]* s ' "$work/train.log" > models/default.cv.txt
# The model is compiled in: rebuild before evaluating with it.
cargo build --release --quiet
{
    echo "Out-of-fold labels of 5-fold cross-validation by host (scripts/train-default.sh)."
    echo
    echo "All WCXB pages:"
    "$bin" wcxb-eval --predictions "$work/oof.jsonl" 2>/dev/null
    echo
    echo "The pages of training-data/wcxb/eval-ids.txt (never trained on by models before this one):"
    "$bin" wcxb-eval --predictions "$work/oof.jsonl" --ids training-data/wcxb/eval-ids.txt 2>/dev/null
} > models/default.wcxb.txt
if [ -x target/bench-venv/bin/python ]; then
    {
        echo "# Body text on real pages: ghirbal (out-of-fold) and its peers"
        echo
        echo "Produced by scripts/train-default.sh (scripts/real_peers.py). Metric: WCXB's word-level"
        echo "F1 (lower-cased \\w+ tokens, bag of words) of the extracted body against the gold,"
        echo "mean over pages; ghirbal's labels come from models that never saw the page's host."
        target/bench-venv/bin/python scripts/real_peers.py --oof "$work/oof.jsonl" \
            --wcxb ../shared/data/wcxb-dev --wcxb-labels training-data/train/wcxb \
            --eval-ids training-data/wcxb/eval-ids.txt \
            --arabic training-data/train/real-ar --per-page
    } > models/default.real.md
else
    echo "target/bench-venv missing: models/default.real.md not regenerated" >&2
fi
"$bin" eval training-data/dev --report-md models/default.eval.md --report-json models/default.eval.json
echo "done: models/default.json, default.cv.txt, default.wcxb.txt, default.real.md, default.eval.md/.json"
