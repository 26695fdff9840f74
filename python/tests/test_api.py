"""The Python API: text and HTML paths, bytes and str, batches, annotations
and clean errors."""

from __future__ import annotations

import threading

import pytest

import ghirbal
from conftest import HTML_PAGES, REPO, TEXT_PAGES, read_page

WIRE = read_page(TEXT_PAGES[0])
ARTICLE = read_page(HTML_PAGES[0])


def labels(rec: dict) -> list[tuple[str, str]]:
    return [(b["role"], b["lang"]) for b in rec["blocks"]]


def test_record_fields():
    rec = ghirbal.classify_text(WIRE, id="wire", url="https://example.org/wire")
    assert list(rec) == ["id", "url", "blocks", "model"]
    assert rec["id"] == "wire" and rec["url"] == "https://example.org/wire"
    assert rec["model"] == ghirbal.Classifier().model
    b = rec["blocks"][0]
    assert list(b)[:6] == ["start", "end", "text", "role", "lang", "role_scores"]
    assert set(b["role_scores"]) == {"body", "chrome", "nav", "legal", "ad"}
    assert abs(sum(b["role_scores"].values()) - 1) < 1e-3
    assert {x["role"] for x in rec["blocks"]} >= {"body", "chrome"}
    assert any(x["lang"] == "ar" for x in rec["blocks"])
    assert any(x["lang"] == "en" for x in rec["blocks"])
    assert ghirbal.classify_text("")["blocks"] == []
    assert ghirbal.classify_text("")["id"] == ""
    dated = ghirbal.classify_html("<p>x</p>", id="d", date="2025-03-06T10:00:00Z")
    assert list(dated)[:2] == ["id", "date"] and dated["date"] == "2025-03-06T10:00:00Z"


def test_bytes_and_str_give_the_same_labels():
    assert ghirbal.classify_text(WIRE) == ghirbal.classify_text(WIRE.decode())
    assert ghirbal.classify_html(ARTICLE) == ghirbal.classify_html(ARTICLE.decode())


def test_html_and_text_paths_differ_and_are_detected():
    html = "<html><body><nav><a href='/'>Home</a></nav><p>" + "Oil prices rose. " * 30 + "</p></body></html>"
    as_html = ghirbal.classify_html(html)
    as_text = ghirbal.classify_text(html)
    assert "<p>" not in "".join(b["text"] for b in as_html["blocks"])
    assert "<p>" in "".join(b["text"] for b in as_text["blocks"])
    assert ghirbal.looks_like_html(html) and ghirbal.looks_like_html(html.encode())
    assert not ghirbal.looks_like_html(WIRE)
    assert ghirbal.body_text(html) == ghirbal.body_text(html, html=True)
    assert ghirbal.body_text(WIRE) == ghirbal.body_text(WIRE, html=False)
    assert ghirbal.body_text(ARTICLE, html=False) != ghirbal.body_text(ARTICLE)


def test_body_text_is_the_body_blocks():
    rec = ghirbal.classify_html(ARTICLE)
    body = [b["text"] for b in rec["blocks"] if b["role"] == "body"]
    assert body
    assert ghirbal.body_text(ARTICLE) == "\n".join(body)
    assert ghirbal.body_text("") == ""


def test_classify_many_order_threads_and_ids():
    pages = [read_page(p) for p in TEXT_PAGES + HTML_PAGES]
    recs = [{"id": f"p{k}", "html" if p.lstrip().startswith(b"<") else "text": p} for k, p in enumerate(pages)]
    # More records than one batch (256), so that batches keep the order too.
    many = recs * 40
    one = ghirbal.classify_many(iter(many), threads=1)
    assert [r["id"] for r in one] == [r["id"] for r in many]
    assert ghirbal.classify_many(many, threads=2) == one
    assert ghirbal.classify_many(many) == one
    singles = [
        ghirbal.classify_html(r["html"], id=r["id"]) if "html" in r else ghirbal.classify_text(r["text"], id=r["id"])
        for r in recs
    ]
    assert one[: len(recs)] == singles
    # Bare pages and ids: positions, ints in decimal.
    bare = ghirbal.classify_many([WIRE.decode(), ARTICLE, {"id": 7, "text": "x"}, {"text": "y"}])
    assert [r["id"] for r in bare] == ["0", "1", "7", "3"]
    assert labels(bare[0]) == labels(ghirbal.classify_text(WIRE))
    assert labels(bare[1]) == labels(ghirbal.classify_html(ARTICLE))
    assert ghirbal.classify_many([]) == []


def test_bad_records_are_error_records():
    out = ghirbal.classify_many(
        [
            {"id": "a", "text": "fine"},
            {"id": "b"},
            {"id": "c", "text": "x", "html": "<p>x</p>"},
            {"id": "d", "url": "https://e.x/d", "text": 5},
            42,
            {"id": 1.5, "text": "x"},
            {"id": "g", "text": "\ud800"},
            {"id": "h", "url": 3, "text": "x"},
            {"id": "i", "text": "still fine"},
        ],
        threads=2,
    )
    assert "blocks" in out[0] and "blocks" in out[-1]
    assert out[1] == {"id": "b", "error": 'record has no "text" or "html" field'}
    assert out[2] == {"id": "c", "error": 'record has both "text" and "html" fields'}
    assert out[3] == {"id": "d", "url": "https://e.x/d", "error": '"text" must be str or bytes, not int'}
    assert out[4] == {"id": "4", "error": "a record must be a dict, str or bytes, not int"}
    assert out[5]["error"] == '"id" must be str or int, not float'
    assert "not valid Unicode" in out[6]["error"]
    assert out[7]["error"] == '"url" must be str or None, not int'


def test_annotate_many_offsets_words_and_mix():
    text = WIRE.decode()
    (a,) = ghirbal.default_classifier().annotate_many([{"id": "w", "text": text}], body_text=True)
    rec = ghirbal.classify_text(text)
    assert [(b["role"], b["lang"]) for b in a["blocks"]] == labels(rec)
    # Offsets in characters: the slices are the blocks.
    for b, r in zip(a["blocks"], rec["blocks"]):
        assert text[b["start"] : b["end"]] == r["text"]
    body = [b["text"] for b in rec["blocks"] if b["role"] == "body"]
    assert a["body_words"] == sum(len(t.split()) for t in body)
    assert a["body_text"] == ghirbal.body_text(text)
    assert abs(sum(a["body_langs"].values()) - 1) < 1e-3
    assert a["body_lang"] == max(a["body_langs"], key=a["body_langs"].get)
    assert list(a["body_langs"].values()) == sorted(a["body_langs"].values(), reverse=True)
    # Bytes: characters of the decoded text.
    (b,) = ghirbal.default_classifier().annotate_many([{"text": WIRE}])
    assert b["blocks"] == a["blocks"]
    # HTML: characters of the extracted text, the blocks joined by newlines.
    (h,) = ghirbal.default_classifier().annotate_many([ARTICLE.decode()])
    assert h["body_lang"] == "ar" and h["body_words"] > 100 and "body_text" not in h
    rec = ghirbal.classify_html(ARTICLE)
    page_text = "\n".join(b["text"] for b in rec["blocks"])
    assert len(h["blocks"]) == len(rec["blocks"])
    for b, r in zip(h["blocks"], rec["blocks"]):
        assert page_text[b["start"] : b["end"]] == r["text"]
    (e,) = ghirbal.default_classifier().annotate_many([{"id": "x"}])
    assert "error" in e


def test_model_errors_name_the_file(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(ghirbal.ModelError, match="missing.json"):
        ghirbal.Classifier(str(missing))
    bad = tmp_path / "corrupt.json"
    bad.write_text('{"format": "ghirbal-model", "version": ')
    with pytest.raises(ghirbal.ModelError, match="corrupt.json") as e:
        ghirbal.Classifier(bad)
    assert isinstance(e.value, ValueError)
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    with pytest.raises(ghirbal.ModelError, match="other.json"):
        ghirbal.Classifier(other)
    with pytest.raises(ghirbal.InputError, match="model must be a path"):
        ghirbal.Classifier(5)
    # A copy of the embedded model is the embedded model.
    copy = tmp_path / "copy.json"
    copy.write_text((REPO / "models" / "default.json").read_text())
    assert ghirbal.Classifier(copy).classify_text(WIRE) == ghirbal.classify_text(WIRE)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ghirbal.classify_text(3), "text must be str or bytes, not int"),
        (lambda: ghirbal.classify_html(None), "html must be str or bytes, not NoneType"),
        (lambda: ghirbal.classify_html(["<p>"]), "html must be str or bytes, not list"),
        (lambda: ghirbal.classify_text("x", id=5), "id must be str or None, not int"),
        (lambda: ghirbal.classify_text("x", url=b"u"), "url must be str or None, not bytes"),
        (lambda: ghirbal.classify_html("x", date=20250101), "date must be str or None, not int"),
        (lambda: ghirbal.classify_text("\ud800"), "text is not valid Unicode"),
        (lambda: ghirbal.body_text(1.5), "html_or_text must be str or bytes, not float"),
        (lambda: ghirbal.body_text("x", html="yes"), "html must be True, False or None"),
        (lambda: ghirbal.classify_many(5), "records must be an iterable"),
        (lambda: ghirbal.classify_many([], threads=0), "threads must be a positive int"),
        (lambda: ghirbal.classify_many([], threads="2"), "threads must be a positive int"),
        (lambda: ghirbal.classify_many([], threads=-1), "threads must be a positive int"),
        (lambda: ghirbal.looks_like_html(3), "page must be str or bytes"),
    ],
)
def test_bad_input_raises_input_error(call, message):
    with pytest.raises(ghirbal.InputError, match=message) as e:
        call()
    assert isinstance(e.value, ValueError)


def test_a_failing_iterable_raises_its_own_error():
    def records():
        yield {"text": "x"}
        raise KeyError("from the iterable")

    with pytest.raises(KeyError, match="from the iterable"):
        ghirbal.classify_many(records())


def test_threads_share_a_classifier():
    c = ghirbal.Classifier()
    want = c.classify_html(ARTICLE)
    got = []

    def work():
        got.append(c.classify_html(ARTICLE))

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got == [want] * 4


def test_labelling_releases_the_gil():
    # A Python thread notes the time as it runs; it can run in the middle of
    # a call only if the call has released the GIL (Rust code holding it
    # never yields it).
    import time

    seen, stop = [], threading.Event()

    def ticker():
        while not stop.is_set():
            seen.append(time.perf_counter())
            time.sleep(0)

    pages = [{"html": ARTICLE}] * 20
    t = threading.Thread(target=ticker)
    t.start()
    try:
        for call in (
            lambda: ghirbal.classify_many(pages, threads=1),
            lambda: ghirbal.default_classifier().annotate_many(pages, threads=2),
            lambda: ghirbal.body_text(ARTICLE * 10, html=True),
        ):
            t0 = time.perf_counter()
            call()
            t1 = time.perf_counter()
            middle = [x for x in seen if t0 + (t1 - t0) / 4 < x < t1 - (t1 - t0) / 4]
            assert middle, f"no Python thread ran during {t1 - t0:.2f} s"
    finally:
        stop.set()
        t.join()


def test_hostile_pages_do_not_crash():
    pages = [
        b"\x00\xff\xfe" * 1000,
        "<" * 10_000,
        "<div>" * 5_000,
        "\u202e" + "ع" * 10_000,
        b"\xef\xbb\xbf<html><meta charset=windows-1256>\xc7\xe1\xda\xd1\xc8\xed\xc9",
        "\n" * 100_000,
    ]
    for p in pages:
        for f in (ghirbal.classify_text, ghirbal.classify_html, ghirbal.body_text):
            f(p)
    assert ghirbal.classify_text(b"\xff\xfeA\x00")["blocks"] is not None


def test_classifiers_pickle_as_their_model_path(tmp_path):
    import pickle

    c = pickle.loads(pickle.dumps(ghirbal.Classifier()))
    assert c.classify_text(WIRE) == ghirbal.classify_text(WIRE)
    copy = tmp_path / "copy.json"
    copy.write_text((REPO / "models" / "default.json").read_text())
    c = pickle.loads(pickle.dumps(ghirbal.Classifier(copy)))
    assert c.model == ghirbal.Classifier().model
    assert c.__reduce__()[1] == (copy,)


def test_module_functions_share_one_classifier():
    assert ghirbal.default_classifier() is ghirbal.default_classifier()
    assert repr(ghirbal.default_classifier()).startswith("ghirbal.Classifier(model=")
    assert ghirbal.__version__
    assert ghirbal.Classifier.classify_many.__doc__
