"""ghirbal (غربال, "sieve") sifts crawled web pages.

It splits each page (plain text or HTML) into blocks and labels every block
twice: by role (``body``, ``chrome``, ``nav``, ``legal``, ``ad``) and by
language (``ar``, ``en``, ``mixed``, ``other``, ``none``), with a small
trained linear model embedded in the package. The records are exactly the
JSON records that the ``ghirbal classify`` command line prints, as Python
objects.

    >>> import ghirbal
    >>> record = ghirbal.classify_html("<p>Oil prices rose on Wednesday ...</p>")
    >>> [(b["role"], b["lang"]) for b in record["blocks"]]

The module-level functions use one shared :class:`Classifier` with the
embedded model; make your own ``Classifier(path)`` for another model.
``ghirbal.datatrove`` holds a datatrove annotator and filter.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from ._ghirbal import Classifier, InputError, ModelError, __version__, looks_like_html

__all__ = [
    "Classifier",
    "InputError",
    "ModelError",
    "__version__",
    "body_text",
    "classify_html",
    "classify_many",
    "classify_text",
    "default_classifier",
    "looks_like_html",
]


@functools.cache
def default_classifier() -> Classifier:
    """The shared classifier with the embedded model (made on first use)."""
    return Classifier()


def classify_text(
    text: str | bytes,
    id: str | None = None,
    url: str | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """:meth:`Classifier.classify_text` with the embedded model."""
    return default_classifier().classify_text(text, id=id, url=url, date=date)


def classify_html(
    html: str | bytes,
    id: str | None = None,
    url: str | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """:meth:`Classifier.classify_html` with the embedded model."""
    return default_classifier().classify_html(html, id=id, url=url, date=date)


def body_text(html_or_text: str | bytes, html: bool | None = None) -> str:
    """:meth:`Classifier.body_text` with the embedded model."""
    return default_classifier().body_text(html_or_text, html=html)


def classify_many(
    records: Iterable[dict[str, Any] | str | bytes], threads: int | None = None
) -> list[dict[str, Any]]:
    """:meth:`Classifier.classify_many` with the embedded model."""
    return default_classifier().classify_many(records, threads=threads)
