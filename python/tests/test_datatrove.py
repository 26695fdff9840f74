"""The datatrove steps on a small WARC written here: annotator, filter, and
the example pipeline."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
warcio = pytest.importorskip("warcio")

from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402

import ghirbal  # noqa: E402
from conftest import HTML_PAGES, REPO, TEXT_PAGES, read_page  # noqa: E402
from ghirbal.datatrove import GhirbalAnnotator, GhirbalFilter  # noqa: E402

ARABIC = read_page(HTML_PAGES[0])  # an Arabic news article
ENGLISH = read_page(HTML_PAGES[3])  # an English WCXB page
TINY = b"<!doctype html><html><body><nav><a href='/'>Home</a> | <a href='/a'>About</a></nav></body></html>"
PAGES = {
    "https://ar.example/article": ARABIC,
    "https://en.example/page": ENGLISH,
    "https://tiny.example/": TINY,
}


@pytest.fixture(scope="module")
def warc_dir(tmp_path_factory) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    d = tmp_path_factory.mktemp("crawl")
    with open(d / "crawl.warc.gz", "wb") as f:
        w = WARCWriter(f, gzip=True)
        for url, body in PAGES.items():
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            w.write_record(req)
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = w.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"},
            )
            w.write_record(rec)
    return d


def stat(step, name: str) -> float:
    return step.stats[name].total


def read_docs(warc_dir: Path) -> list[Document]:
    return list(WarcReader(str(warc_dir))())


def test_warc_reader_gives_the_html(warc_dir):
    docs = read_docs(warc_dir)
    assert [d.metadata["url"] for d in docs] == list(PAGES)
    assert docs[0].text == ARABIC.decode()


def test_annotator_writes_metadata(warc_dir):
    docs = read_docs(warc_dir)
    step = GhirbalAnnotator(batch_size=2)
    out = list(step(iter(docs)))
    assert len(out) == 3
    for doc in out:
        a = doc.metadata["ghirbal"]
        # The same page alone, with its URL (where its links go depends on
        # it), gives the same annotation as in a batch.
        kind = "html" if ghirbal.looks_like_html(doc.text) else "text"
        rec = {kind: doc.text, "url": doc.metadata["url"]}
        want = ghirbal.default_classifier().annotate_many([rec])[0]
        assert a["blocks"] == want["blocks"]
        assert a["body_words"] == want["body_words"]
        assert a["body_langs"] == want["body_langs"]
        for b in a["blocks"][:20]:
            assert 0 <= b["start"] <= b["end"] <= len(doc.text)
    ar, en, tiny = (d.metadata["ghirbal"] for d in out)
    assert ar["body_lang"] == "ar" and ar["body_langs"]["ar"] > 0.9 and ar["body_words"] > 100
    assert en["body_lang"] == "en" and en["body_words"] > 100
    assert tiny["body_words"] == 0 and tiny["body_lang"] == "none"
    assert out[0].text == ARABIC.decode()  # keep="all"
    assert stat(step, "total") == 3 and stat(step, "forwarded") == 3
    assert stat(step, "body_lang_ar") == 1 and stat(step, "body_lang_none") == 1


def test_annotator_keep_body(warc_dir):
    docs = read_docs(warc_dir)
    step = GhirbalAnnotator(keep="body", blocks=False)
    out = list(step(iter(docs)))
    # The tiny page has no body: dropped.
    assert [d.metadata["url"] for d in out] == list(PAGES)[:2]
    assert out[0].text == ghirbal.body_text(ARABIC.decode(), html=True)
    assert "<" not in out[1].text[:200]
    assert "blocks" not in out[0].metadata["ghirbal"]
    assert stat(step, "dropped_empty_body") == 1 and stat(step, "dropped") == 1


def test_annotator_detects_text_documents():
    wire = read_page(TEXT_PAGES[0]).decode()
    docs = [Document(text=wire, id="w"), Document(text=ENGLISH.decode(), id="e")]
    out = list(GhirbalAnnotator(keep="body")(iter(docs)))
    assert out[0].text == ghirbal.body_text(wire, html=False)
    assert out[1].text == ghirbal.body_text(ENGLISH, html=True)


def test_filter_by_body_words_and_languages(warc_dir):
    docs = read_docs(warc_dir)
    kept = list(GhirbalFilter(languages=("ar",), min_body_words=50)(iter(docs)))
    assert [d.metadata["url"] for d in kept] == ["https://ar.example/article"]
    docs = read_docs(warc_dir)
    f = GhirbalFilter(languages=("ar", "en"), min_body_words=50, batch_size=8)
    kept = list(f(iter(docs)))
    assert [d.metadata["url"] for d in kept] == list(PAGES)[:2]
    assert stat(f, "dropped_too_few_body_words") == 1 and stat(f, "forwarded") == 2
    docs = read_docs(warc_dir)
    kept = list(GhirbalFilter(languages="en", min_body_words=0)(iter(docs)))
    assert [d.metadata["url"] for d in kept] == ["https://en.example/page"]
    with pytest.raises(ValueError, match="unknown body language"):
        GhirbalFilter(languages=("fr",))


def test_filter_reads_the_annotators_metadata(warc_dir):
    docs = list(GhirbalAnnotator()(iter(read_docs(warc_dir))))
    docs[0].metadata["ghirbal"]["body_words"] = 1  # what the filter must read
    kept = list(GhirbalFilter(min_body_words=50)(iter(docs)))
    assert [d.metadata["url"] for d in kept] == ["https://en.example/page"]


def test_steps_pickle_without_their_classifier():
    import pickle

    f = GhirbalFilter()
    f.filter(Document(text="<p>hello</p>", id="x"))
    g = pickle.loads(pickle.dumps(f))
    assert g.labeller._classifier is None
    assert g.filter(Document(text="<p>hello</p>", id="x")) == (False, "too_few_body_words")


def test_example_pipeline(warc_dir, tmp_path):
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "python" / "examples" / "warc_to_jsonl.py"),
            str(warc_dir),
            str(out),
            "--logs",
            str(tmp_path / "logs"),
        ],
        check=True,
        capture_output=True,
    )
    lines = [json.loads(x) for f in sorted(out.glob("*.jsonl*")) for x in _read(f).splitlines()]
    assert [x["metadata"]["url"] for x in lines] == list(PAGES)[:2]
    assert lines[0]["text"] == ghirbal.body_text(ARABIC, html=True)
    assert lines[0]["metadata"]["ghirbal"]["body_lang"] == "ar"


def _read(f: Path) -> str:
    data = f.read_bytes()
    return (gzip.decompress(data) if f.suffix == ".gz" else data).decode()
