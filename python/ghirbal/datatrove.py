"""ghirbal as datatrove pipeline steps.

* :class:`GhirbalAnnotator` labels every document's blocks and writes
  ``doc.metadata["ghirbal"]``; with ``keep="body"`` it also replaces
  ``doc.text`` by the body text.
* :class:`GhirbalFilter` keeps documents by the size and the languages of
  their body (e.g. an Arabic or English body of at least 50 words).

Each document is HTML or plain text, decided from its first bytes (as the
CLI's ``auto`` input format does) unless ``html=`` says: datatrove's
``WarcReader`` gives the page's HTML in ``doc.text``, a WET or JSONL reader
gives plain text.

``doc.metadata["ghirbal"]`` holds::

    {"blocks": [{"start": 0, "end": 36, "role": "chrome", "lang": "mixed"}, ...],
     "body_words": 412,          # white-space separated words of the body blocks
     "body_lang": "ar",          # the language of most body words ("none" if none)
     "body_langs": {"ar": 0.7, "en": 0.3},   # shares of body words, largest first
     "model": "default@2"}

``start``/``end`` are character offsets: into ``doc.text`` as it was read
(before ``keep="body"`` replaced it) for a plain-text document; for an HTML
document, into the text ghirbal extracted from it (its blocks joined by
newlines). A document that cannot be classified
gets ``{"error": "..."}`` instead and is counted in the ``ghirbal_error``
stat.

Both steps work on batches of documents (``batch_size``), labelled without
the GIL on ``threads`` threads (all cores when None). With datatrove running
several tasks on one machine, give each ``threads=1``.

Requires datatrove: ``pip install "ghirbal[datatrove]"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, cast

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.batching import batched
from datatrove.utils.typeshelper import StatHints

from . import Classifier, default_classifier, looks_like_html

__all__ = ["GhirbalAnnotator", "GhirbalFilter"]

#: The languages of a body's mix (``mixed`` blocks count by their spans).
MIX_LANGUAGES = ("ar", "en", "other")


class _Labeller:
    """What both steps share: the classifier (made where the step runs, not
    pickled with it) and the labelling of a batch of documents."""

    def __init__(self, model: str | None, html: bool | None, threads: int | None, key: str):
        self.model = model
        self.html = html
        self.threads = threads
        self.key = key
        self._classifier: Classifier | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_classifier"] = None
        return state

    def classifier(self) -> Classifier:
        if self._classifier is None:
            self._classifier = Classifier(self.model) if self.model else default_classifier()
        return self._classifier

    def record(self, doc: Document) -> dict[str, Any]:
        url = doc.metadata.get("url")
        rec: dict[str, Any] = {"id": str(doc.id)}
        if isinstance(url, str):
            rec["url"] = url
        if self.html is None:
            rec["html" if looks_like_html(doc.text) else "text"] = doc.text
        else:
            rec["html" if self.html else "text"] = doc.text
        return rec

    def annotate(self, docs: list[Document], body_text: bool) -> list[dict[str, Any]]:
        found = self.classifier().annotate_many(
            [self.record(d) for d in docs], threads=self.threads, body_text=body_text
        )
        out = [cast(dict[str, Any], a) for a in found]
        for a in out:
            # The document has its own id and url.
            a.pop("id", None)
            a.pop("url", None)
        return out


class GhirbalAnnotator(PipelineStep):
    """Labels every block of each document by role and language.

    Args:
        keep: ``"all"`` keeps ``doc.text`` as it is; ``"body"`` replaces it by
            the body blocks' text, one block a line, and drops documents
            whose body is empty (counted as ``dropped_empty_body``).
        model: a model file, or None for the embedded model.
        html: True if every document is HTML, False if plain text, None to
            decide per document from its first bytes.
        blocks: also write each block's offsets, role and language
            (``metadata["ghirbal"]["blocks"]``); False keeps only the page's
            figures.
        batch_size: documents labelled together.
        threads: threads per batch (all cores when None).
        metadata_key: the metadata field written.
    """

    name = "🪮 ghirbal"
    type = "🏷 - ANNOTATOR"

    def __init__(
        self,
        keep: Literal["all", "body"] = "all",
        model: str | None = None,
        html: bool | None = None,
        blocks: bool = True,
        batch_size: int = 64,
        threads: int | None = None,
        metadata_key: str = "ghirbal",
    ):
        super().__init__()
        if keep not in ("all", "body"):
            raise ValueError(f'keep must be "all" or "body", not {keep!r}')
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.keep = keep
        self.blocks = blocks
        self.batch_size = batch_size
        self.labeller = _Labeller(model, html, threads, metadata_key)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        key = self.labeller.key
        for batch in batched(data, self.batch_size):
            with self.track_time(unit="batch"):
                found = self.labeller.annotate(batch, body_text=self.keep == "body")
            for doc, a in zip(batch, found):
                self.stat_update(StatHints.total)
                if "error" in a:
                    self.stat_update("ghirbal_error")
                    doc.metadata[key] = {"error": a["error"]}
                    if self.keep == "body":
                        self.stat_update(StatHints.dropped)
                        continue
                    self.stat_update(StatHints.forwarded)
                    yield doc
                    continue
                body = a.pop("body_text", None)
                if not self.blocks:
                    del a["blocks"]
                doc.metadata[key] = a
                self.stat_update("body_words", value=a["body_words"])
                self.stat_update(f"body_lang_{a['body_lang']}")
                if self.keep == "body":
                    if not body:
                        self.stat_update(StatHints.dropped, "dropped_empty_body")
                        continue
                    doc.text = body
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc


class GhirbalFilter(BaseFilter):
    """Keeps documents whose body is long enough and in the wanted languages.

    A document is kept when its body has at least ``min_body_words`` words
    and at least ``min_language_share`` of them are in ``languages``
    (``None``: any language). It reads ``doc.metadata["ghirbal"]`` when a
    :class:`GhirbalAnnotator` wrote it earlier, and else labels the document
    (and writes that field). Dropped documents are counted by reason:
    ``dropped_too_few_body_words``, ``dropped_language``, ``dropped_ghirbal_error``.

    Args:
        languages: body languages to keep, among ``"ar"``, ``"en"``, ``"other"``.
        min_body_words: fewest body words kept.
        min_language_share: least share of body words in ``languages``.
        model, html, threads, metadata_key: as for :class:`GhirbalAnnotator`.
        exclusion_writer: a writer for the dropped documents.
        batch_size: documents labelled together.
    """

    name = "🪮 ghirbal filter"

    def __init__(
        self,
        languages: Iterable[str] | str | None = ("ar", "en"),
        min_body_words: int = 50,
        min_language_share: float = 0.5,
        model: str | None = None,
        html: bool | None = None,
        exclusion_writer: DiskWriter | None = None,
        batch_size: int = 64,
        threads: int | None = None,
        metadata_key: str = "ghirbal",
    ):
        super().__init__(exclusion_writer, batch_size)
        if isinstance(languages, str):
            languages = (languages,)
        self.languages = tuple(languages) if languages is not None else None
        for lang in self.languages or ():
            if lang not in MIX_LANGUAGES:
                raise ValueError(
                    f"unknown body language {lang!r}: one of {', '.join(MIX_LANGUAGES)}"
                )
        self.min_body_words = min_body_words
        self.min_language_share = min_language_share
        self.labeller = _Labeller(model, html, threads, metadata_key)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        key = self.labeller.key
        todo = [d for d in batch if key not in d.metadata]
        if todo:
            for doc, a in zip(todo, self.labeller.annotate(todo, body_text=False)):
                doc.metadata[key] = {"error": a["error"]} if "error" in a else a
        return [self._decide(d.metadata[key]) for d in batch]

    def _decide(self, a: dict[str, Any]) -> bool | tuple[bool, str]:
        if "error" in a:
            return False, "ghirbal_error"
        if a["body_words"] < self.min_body_words:
            return False, "too_few_body_words"
        if self.languages is not None:
            share = sum(a["body_langs"].get(lang, 0.0) for lang in self.languages)
            if share < self.min_language_share:
                return False, "language"
        return True
