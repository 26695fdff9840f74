#!/usr/bin/env bash
# `classify --threads 1` against `--threads 2` on a shared machine: wait for a
# moment when two CPUs are really free (two processes busy-looping for 3 s get
# more than 5 CPU seconds between them), then time both alternately, twice,
# and check again afterwards (see BENCHMARKS.md, "Parallel").
#
#   scripts/bench-threads.sh [INPUT] [TRIES]
#
# INPUT defaults to the decompressed WCXB pages made by scripts/bench-peers.sh
# (target/bench-data/wcxb-html); TRIES (default 30) checks, ~20 s apart.
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-target/bench-data/wcxb-html}
tries=${2:-30}
cargo build --release --quiet --bin ghirbal

free_cpu() {  # CPU seconds two busy processes get in 3 s of wall time
    python3 - <<'PY'
import multiprocessing as mp, os, time
def burn(_):
    t = time.time()
    while time.time() - t < 3:
        pass
if __name__ == "__main__":
    c = os.times()
    with mp.Pool(2) as p:
        p.map(burn, [0, 0])
    print(f"{os.times().children_user - c.children_user + os.times().children_system - c.children_system:.2f}")
PY
}

for _ in $(seq "$tries"); do
    cpu=$(free_cpu)
    echo "$(date +%T) two busy processes: $cpu CPU s in 3 s; load $(cut -d' ' -f1-3 /proc/loadavg)"
    if awk "BEGIN{exit !($cpu > 5.0)}"; then
        for t in 1 2 1 2; do
            /usr/bin/time -f "  --threads $t: %e s wall, %U s user, %S s sys" \
                target/release/ghirbal classify --threads $t --format text -o "target/bench-data/threads-$t.txt" "$input" 2>&1 | tail -1
        done
        cmp -s target/bench-data/threads-1.txt target/bench-data/threads-2.txt && echo "  outputs identical"
        echo "  afterwards two busy processes got $(free_cpu) CPU s in 3 s"
        exit 0
    fi
    sleep 15
done
echo "no moment with two free CPUs found" >&2
exit 1
