#!/usr/bin/env bash
# Open the HTML evaluation report (and the page viewer) in headless Chromium
# and check what it drew: a non-blank screenshot, the confusion heatmap, the
# page viewer, Arabic blocks laid out right to left, working filters.
#
#   scripts/browser-test.sh            # output in target/browser-test/
#   GHIRBAL_BROWSER_OUT=DIR scripts/browser-test.sh
#
# Installs Chromium with apt when it is missing (Debian package `chromium`).
# Prints the screenshot's path at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${GHIRBAL_BROWSER_OUT:-target/browser-test}
case $out in /*) ;; *) out=$root/$out ;; esac

find_chromium() {
    local c
    for c in chromium chromium-browser google-chrome-stable google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if ! chrome=$(find_chromium); then
    echo "browser-test: Chromium not found; installing it with apt" >&2
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
    chrome=$(find_chromium)
fi
echo "browser-test: $("$chrome" --version 2>/dev/null || echo "$chrome")"

cargo build --quiet
bin=$root/target/debug/ghirbal

rm -rf "$out"
mkdir -p "$out"
"$bin" eval training-data/dev --report "$out/report" >/dev/null
"$bin" view examples/wire-story.txt >"$out/view.html"
# A deliberately broken copy: block text forced to the left. The checks must
# catch it, or they would prove nothing.
sed 's|</head>|<style>.tx{text-align:left!important}</style></head>|' \
    "$out/report/report.html" >"$out/broken.html"

flags=(--headless --no-sandbox --disable-gpu --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --hide-scrollbars --window-size=1400,1000)

# chromium_run ARGS...: one browser run with a fresh profile; its log is kept.
chromium_run() {
    local profile status
    profile=$(mktemp -d "$out/profile.XXXXXX")
    status=0
    timeout 180 "$chrome" "${flags[@]}" --user-data-dir="$profile" "$@" \
        2>>"$out/chromium.log" || status=$?
    rm -rf "$profile"
    return "$status"
}

shot=$out/report.png
chromium_run --screenshot="$shot" "file://$out/report/report.html" >/dev/null
chromium_run --dump-dom "file://$out/report/report.html" >"$out/report.dom.html"
chromium_run --screenshot="$out/view.png" "file://$out/view.html" >/dev/null
chromium_run --dump-dom "file://$out/view.html" >"$out/view.dom.html"
chromium_run --dump-dom "file://$out/broken.html" >"$out/broken.dom.html"

echo "== report.html"
python3 scripts/browser_check.py --kind report --dom "$out/report.dom.html" --png "$shot"
echo "== view.html"
python3 scripts/browser_check.py --kind viewer --dom "$out/view.dom.html" --png "$out/view.png"
echo "== broken copy (must fail)"
python3 scripts/browser_check.py --kind report --dom "$out/broken.dom.html" --expect-fail

echo "browser-test: passed"
echo "browser-test: screenshot $shot"
