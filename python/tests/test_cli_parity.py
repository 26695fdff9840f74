"""The Python records are the CLI's records, block by block, on the
repository's example pages: bytes as the CLI reads files, str as it reads
JSON Lines fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ghirbal
from conftest import HTML_PAGES, TEXT_PAGES, read_page


def assert_same_record(py: dict, cli: dict) -> None:
    assert [(b["role"], b["lang"]) for b in py["blocks"]] == [
        (b["role"], b["lang"]) for b in cli["blocks"]
    ], py["id"]
    for k, (a, b) in enumerate(zip(py["blocks"], cli["blocks"])):
        assert a == b, f"{py['id']} block {k}"
    assert py == cli


@pytest.fixture(scope="module")
def page_files(tmp_path_factory) -> dict[str, Path]:
    """Every example page as a file the CLI reads by its name (gunzipped)."""
    d = tmp_path_factory.mktemp("pages")
    files = {}
    for rel in TEXT_PAGES + HTML_PAGES:
        name = Path(rel).name.removesuffix(".gz")
        (d / name).write_bytes(read_page(rel))
        files[rel] = d / name
    return files


def test_text_bytes_equal_cli_file(cli, page_files):
    for rel in TEXT_PAGES:
        f = page_files[rel]
        (want,) = cli(str(f))
        got = ghirbal.classify_text(f.read_bytes(), id=str(f))
        assert_same_record(got, want)


def test_html_bytes_equal_cli_file(cli, page_files):
    files = [page_files[rel] for rel in HTML_PAGES]
    want = cli(*map(str, files))
    assert len(want) == len(files)
    for f, w in zip(files, want):
        assert_same_record(ghirbal.classify_html(f.read_bytes(), id=str(f)), w)


def test_str_pages_equal_cli_jsonl(cli, tmp_path):
    recs = [{"id": rel, "text": read_page(rel).decode()} for rel in TEXT_PAGES]
    recs += [
        {
            "id": rel,
            "url": f"https://example.org/{k}",
            "date": f"2025-01-0{k + 1}T00:00:00Z",
            "html": read_page(rel).decode(),
        }
        for k, rel in enumerate(HTML_PAGES)
    ]
    f = tmp_path / "pages.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
    want = cli(str(f))
    for r, w in zip(recs, want):
        if "text" in r:
            got = ghirbal.classify_text(r["text"], id=r["id"])
        else:
            got = ghirbal.classify_html(r["html"], id=r["id"], url=r["url"], date=r["date"])
        assert_same_record(got, w)
    # The same records in one batch, on two threads, keep their order.
    for got, w in zip(ghirbal.classify_many(recs, threads=2), want, strict=True):
        assert_same_record(got, w)


def test_body_text_is_the_cli_body(cli, page_files):
    files = [page_files[rel] for rel in TEXT_PAGES + HTML_PAGES]
    for f, rec in zip(files, cli(*map(str, files)), strict=True):
        body = [b["text"] for b in rec["blocks"] if b["role"] == "body"]
        assert ghirbal.body_text(f.read_bytes()) == "\n".join(body), f
        # The CLI's --format text holds these lines, whatever it puts around them.
        if body:
            assert "\n".join(body) + "\n" in cli(str(f), fmt="text")


def test_model_file_equals_cli_model_flag(cli, page_files, tmp_path):
    model = tmp_path / "model.json"
    model.write_text(ghirbal_default_model_json())
    f = page_files[HTML_PAGES[0]]
    (want,) = cli("--model", str(model), str(f))
    got = ghirbal.Classifier(str(model)).classify_html(f.read_bytes(), id=str(f))
    assert_same_record(got, want)


def ghirbal_default_model_json() -> str:
    from conftest import REPO

    return (REPO / "models" / "default.json").read_text()
