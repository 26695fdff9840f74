"""Shared fixtures: the repository, its example pages, and the real CLI."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: Example pages of the repository: a plain-text page and HTML pages (real
#: Arabic pages of several sites, English WCXB pages of several types).
TEXT_PAGES = ["examples/wire-story.txt"]
HTML_PAGES = [
    "training-data/train/real-ar/sputniknews-arabic_2020-03-17_egypt-corona.html.gz",
    "training-data/train/real-ar/elbilad.net_homepage.html.gz",
    "training-data/train/real-ar/salla-store-protech_refund-policy.html.gz",
    "training-data/train/wcxb/0002.html.gz",
    "training-data/train/wcxb/0003.html.gz",
    "training-data/train/wcxb/0010.html.gz",
    "training-data/train/wcxb/0024.html.gz",
]


def read_page(rel: str) -> bytes:
    data = (REPO / rel).read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


@pytest.fixture(scope="session")
def ghirbal_bin() -> Path:
    """The CLI binary: $GHIRBAL_BIN, or target/release/ghirbal (built if missing)."""
    path = Path(os.environ.get("GHIRBAL_BIN", REPO / "target" / "release" / "ghirbal"))
    if not path.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "ghirbal"], cwd=REPO, check=True
        )
    return path


@pytest.fixture(scope="session")
def cli(ghirbal_bin: Path):
    """Run `ghirbal classify --format FORMAT ARGS...` and give its output
    (JSON: one dict a line)."""

    def run(*args: str, fmt: str = "json") -> list[dict] | str:
        out = subprocess.run(
            [str(ghirbal_bin), "classify", "--format", fmt, *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if fmt != "json":
            return out
        return [json.loads(line) for line in out.splitlines()]

    return run
