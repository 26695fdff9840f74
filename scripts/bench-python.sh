#!/usr/bin/env bash
# The Python package in-process against trafilatura and Resiliparse
# (scripts/bench_python.py; BENCHMARKS.md, "Python, in-process"). Makes
# target/bench-python-venv once (the package built from python/, the peers
# pinned in scripts/bench-requirements.txt; PyPI), then runs the benchmark.
# Extra arguments go to bench_python.py (--limit N for a quick check).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench-python-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    # The pip of Python 3.11.7 fails on the pinned extras (lxml[html-clean]).
    "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/bench-requirements.txt
fi
# The package as it is now, rebuilt each run (cheap when nothing changed).
CARGO_TARGET_DIR="$PWD/target" "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
exec "$venv/bin/python" scripts/bench_python.py "$@"
