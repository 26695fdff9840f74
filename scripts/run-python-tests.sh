#!/usr/bin/env bash
# Tests of the Python package (python/): a fresh venv in target/py-venv,
# `pip install "./python[datatrove]"` (builds the extension from source with
# maturin), the CLI binary the tests compare against, then pytest; first
# the extension crate's rustfmt and clippy.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/py-venv
rm -rf "$venv"
python3 -m venv "$venv"
# The extension crate's own checks (the root's cargo fmt and clippy do not
# see it), then the CLI the tests compare against.
cargo fmt --check --manifest-path python/Cargo.toml
CARGO_TARGET_DIR="$PWD/target" cargo clippy --quiet --manifest-path python/Cargo.toml \
    --all-targets -- -D warnings
cargo build --release --bin ghirbal
# The extension shares the CLI's build folder: the crates they have in
# common are built once.
CARGO_TARGET_DIR="$PWD/target" "$venv/bin/pip" install -q --disable-pip-version-check \
    "./python[datatrove]" pytest
GHIRBAL_BIN="$PWD/target/release/ghirbal" "$venv/bin/python" -m pytest -q python/tests
