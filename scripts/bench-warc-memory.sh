#!/usr/bin/env bash
# Peak memory of `ghirbal classify` on large WARC files, to show it stays
# bounded and flat in the input size (see BENCHMARKS.md).
#
#   scripts/bench-warc-memory.sh                 # 100 MB and 1000 MB WARCs, all cores
#   scripts/bench-warc-memory.sh 100 1000 --threads 1
#
# Sizes (MB on disk, gzip members) come first; other arguments go to
# `ghirbal classify`. The WARCs are made once by scripts/make_warc.py in
# target/bench-data/ from the WCXB pages of ../shared/data/wcxb-dev (response
# records with HTTP headers, the 743 pages repeated). Output goes to
# /dev/null; needs /usr/bin/time (`apt-get install time`).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=()
while [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; do sizes+=("$1"); shift; done
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
[ -x /usr/bin/time ] || { echo "bench-warc-memory: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin ghirbal
mkdir -p target/bench-data
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(free -g | awk '/Mem:/{print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "ghirbal $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'), classify args: ${*:-none}"
echo
echo "| WARC on disk MB | HTML MB | records | wall s | CPU s | pages/s (wall) | HTML MB/s (wall) | peak RSS MB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for mb in "${sizes[@]}"; do
    warc=target/bench-data/warc-$mb.warc.gz
    [ -f "$warc" ] || python3 scripts/make_warc.py "$warc" --mb "$mb" 2>/dev/null
    html_mb=$(python3 - "$warc" <<'PY'
import gzip, re, sys
n = 0
with gzip.open(sys.argv[1]) as f:
    for line in f:
        m = re.match(rb"Content-Length: (\d+)\r\n", line)
        if m and prev.startswith(b"Content-Type: text/html"):
            n += int(m.group(1))
        prev = line
print(f"{n / 1e6:.0f}")
PY
)
    log=$(mktemp)
    /usr/bin/time -v target/release/ghirbal classify "$@" "$warc" > /dev/null 2> "$log" || true
    records=$(grep -o '[0-9]* records\? read' "$log" | cut -d' ' -f1)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$log")
    rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$log")
    disk=$(( $(stat -c %s "$warc") / 1000000 ))
    awk -v d="$disk" -v h="$html_mb" -v r="$records" -v w="$wall" -v c="$cpu" -v m="$rss" \
        'BEGIN{printf "| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %d |\n", d, h, r, w, c, r/w, h/w, m}'
    if grep -q "[1-9][0-9]* failed" "$log"; then grep "ghirbal:" "$log" | sed "s/^/    /" >&2; fi
    rm -f "$log"
done
