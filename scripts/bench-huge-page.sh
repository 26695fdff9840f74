#!/usr/bin/env bash
# Peak memory and CPU of `ghirbal classify` on one huge page: a 50 MB text
# page on one line (cut at the default 32 MiB page limit) and a ~30 MB HTML
# page (cut at the default 50,000 blocks); see BENCHMARKS.md.
#
#   scripts/bench-huge-page.sh                    # target/release/ghirbal, 3 runs
#   scripts/bench-huge-page.sh 5 /tmp/old-ghirbal target/release/ghirbal
#
# The number of runs comes first, then the binaries to compare (run in turn,
# so that the machine's load falls on each alike). The pages are made once
# in target/bench-data/ from the written pages of training-data/dev (a fixed
# seed: the same bytes every time). Prints the median user CPU seconds and
# the largest peak RSS of each; needs /usr/bin/time (`apt-get install time`).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
    cargo build --release --quiet --bin ghirbal
    bins=(target/release/ghirbal)
fi
[ -x /usr/bin/time ] || { echo "bench-huge-page: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
mkdir -p target/bench-data
text=target/bench-data/huge-oneline.txt
html=target/bench-data/huge-page.html
[ -f "$text" ] && [ -f "$html" ] || python3 - "$text" "$html" <<'PY'
import glob, html, random, sys
random.seed(7)
lines = []
for f in sorted(glob.glob('training-data/dev/*/*.txt')):
    for l in open(f, encoding='utf-8'):
        l = l.rstrip('\n')
        if l.startswith('#') or '\t' not in l:
            continue
        label, t = l.split('\t', 1)
        lines.append((label.split()[0], t))
with open(sys.argv[1], 'w', encoding='utf-8') as out:
    n = 0
    while n < 50_000_000:
        s = random.choice(lines)[1] + ' '
        out.write(s)
        n += len(s.encode())
    out.write('\n')
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write('<!doctype html><html><head><title>Big page</title></head><body>\n')
    n = k = 0
    while n < 30_000_000:
        k += 1
        parts = ['<div class="section s%d" id="sec%d">' % (k % 50, k)]
        parts.append('<nav class="menu"><ul>' + ''.join(
            '<li><a href="/p%d">%s</a></li>' % (j, html.escape(random.choice(lines)[1][:20]))
            for j in range(5)) + '</ul></nav>')
        parts.append('<article><h2>%s</h2>' % html.escape(random.choice(lines)[1][:60]))
        for _ in range(random.randint(3, 12)):
            role, t = random.choice(lines)
            tag = 'p' if role == 'body' else random.choice(['div', 'span', 'p', 'li'])
            parts.append('<%s class="%s">%s</%s>' % (tag, role, html.escape(t), tag))
        parts.append('</article><footer class="foot">&copy; 2025 Example. All rights reserved.</footer></div>\n')
        s = ''.join(parts)
        out.write(s)
        n += len(s.encode())
    out.write('</body></html>\n')
PY
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "ghirbal $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'), $runs runs, --threads 1"
echo
echo "| page | binary | user CPU s (median) | user CPU s (runs) | peak RSS MB (max) |"
echo "|---|---|---:|---|---:|"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for page in "$text" "$html"; do
    for r in $(seq "$runs"); do
        for i in "${!bins[@]}"; do
            /usr/bin/time -f '%U %M' -o "$tmp/t" "${bins[$i]}" classify --threads 1 --format json "$page" > /dev/null 2>&1
            cat "$tmp/t" >> "$tmp/runs-$i"
        done
    done
    for i in "${!bins[@]}"; do
        us=$(cut -d' ' -f1 "$tmp/runs-$i" | sort -n | tr '\n' ' ')
        med=$(cut -d' ' -f1 "$tmp/runs-$i" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        rss=$(cut -d' ' -f2 "$tmp/runs-$i" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}')
        echo "| $(basename "$page") | ${bins[$i]} | $med | $us| $rss |"
        rm "$tmp/runs-$i"
    done
done
