#!/usr/bin/env bash
# Side-by-side benchmark: ghirbal against trafilatura, jusText, Resiliparse and
# readability-lxml on the same pages, in one run (see BENCHMARKS.md).
#
#   scripts/bench-peers.sh            # everything; prints the markdown table
#   scripts/bench-peers.sh --limit 20 # a quick check on the first 20 WCXB pages
#
# Builds ghirbal in release, makes (once) a virtual environment in
# target/bench-venv with the peers pinned in scripts/bench-requirements.txt,
# decompresses the WCXB pages of ../shared/data/wcxb-dev once into
# target/bench-data/wcxb-html/, writes the text corpus (training pages as WET
# records, >= 50 MB) and runs scripts/bench_peers.py. Needs python3 (with
# venv), network access to PyPI on the first run, and /usr/bin/time
# (`apt-get install time`). Extra arguments go to `bench_peers.py all`.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x /usr/bin/time ] || { echo "bench-peers: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[ -d ../shared/data/wcxb-dev/html ] || { echo "bench-peers: ../shared/data/wcxb-dev absent" >&2; exit 2; }

cargo build --release --quiet --bin ghirbal --example stages

venv=target/bench-venv
req=scripts/bench-requirements.txt
if ! cmp -s "$req" "$venv/.installed" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -r "$req"
    cp "$req" "$venv/.installed"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(free -g | awk '/Mem:/{print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "$(date -u +%Y-%m-%dT%H:%MZ), ghirbal $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" >&2
exec "$venv/bin/python" scripts/bench_peers.py all "$@"
