"""Type stubs of the ghirbal package (its native part is ``ghirbal._ghirbal``)."""

from collections.abc import Iterable
from os import PathLike
from typing import Any, Literal, TypedDict, final

from typing_extensions import NotRequired

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

__version__: str

# Types of the records (for annotations only: not importable at run time).

Role = Literal["body", "chrome", "nav", "legal", "ad"]
Lang = Literal["ar", "en", "mixed", "other", "none"]

class RoleScores(TypedDict):
    body: float
    chrome: float
    nav: float
    legal: float
    ad: float

class Span(TypedDict):
    start: int
    end: int
    lang: Lang

class Block(TypedDict):
    """One block of a record, as ``ghirbal classify`` writes it.

    ``start`` and ``end`` are byte offsets, as in the CLI's records: for a
    plain-text page, into the input (the UTF-8 encoding of a ``str``); for an
    HTML page, into its extracted text (the blocks' UTF-8 text joined by
    newlines). Spans' offsets likewise.
    """

    start: int
    end: int
    text: str
    role: Role
    lang: Lang
    role_scores: RoleScores
    dir: Literal["rtl", "ltr", "mixed", "neutral"]
    lang_detail: NotRequired[str]
    lang_confidence: float
    spans: NotRequired[list[Span]]

class Record(TypedDict):
    """The JSON record of ``ghirbal classify`` as Python objects.

    ``lossy`` and ``truncated`` appear only when true; ``url``, ``title``
    and ``date`` only when known. Fields the command line adds later appear
    here too.
    """

    id: str
    url: NotRequired[str]
    title: NotRequired[str]
    date: NotRequired[str]
    blocks: list[Block]
    model: str
    lossy: NotRequired[bool]
    truncated: NotRequired[bool]

class ErrorRecord(TypedDict):
    """A record of a batch that could not be classified (as the CLI's error line)."""

    id: str
    url: NotRequired[str]
    error: str

class AnnotatedBlock(TypedDict):
    """A block of an annotation: offsets in characters of the page's text
    (a plain-text page's own text; an HTML page's extracted text, its blocks
    joined by newlines)."""

    start: int
    end: int
    role: Role
    lang: Lang

class Annotation(TypedDict):
    id: str
    url: NotRequired[str]
    blocks: list[AnnotatedBlock]
    body_words: int
    body_lang: Lang
    body_langs: dict[str, float]
    model: str
    truncated: NotRequired[bool]
    body_text: NotRequired[str]

class ModelError(ValueError):
    """A model file that cannot be read or is not a valid ghirbal model; the
    message names the file."""

class InputError(ValueError):
    """Input that cannot be classified: a wrong type, text that is not valid
    Unicode, a bad argument. The message says which and why."""

InputRecord = dict[str, Any] | str | bytes

@final
class Classifier:
    """Labels pages with one model: the embedded one, or one read from a file.

    Thread-safe; every call releases the GIL while it labels. Pickles as the
    path of its model file, which is read again where it is unpickled.
    """

    def __new__(cls, model: str | PathLike[str] | None = None) -> Classifier:
        """A classifier with the model in the file ``model``, or with the
        embedded model when ``model`` is None.

        Raises :class:`ModelError` (naming the file) when the file cannot be
        read or is not a ghirbal model.
        """

    def __reduce__(self) -> tuple[type[Classifier], tuple[str | None]]:
        """Pickles as its model file's path (None: the embedded model)."""

    @property
    def model(self) -> str:
        """The model's identity, ``name@version``, as in every record."""

    def classify_text(
        self,
        text: str | bytes,
        id: str | None = None,
        url: str | None = None,
        date: str | None = None,
    ) -> Record:
        """The record ``ghirbal classify`` prints for the plain-text page ``text``.

        ``bytes`` are read as the CLI reads a text file (decoded, with
        offsets into the bytes); a ``str`` as the CLI reads a JSON Lines
        ``text`` field. ``id`` defaults to ``""``; ``url`` and ``date`` (a
        capture date, as ``WARC-Date``) go into the record as given.
        Raises :class:`InputError` on a wrong type.
        """

    def classify_html(
        self,
        html: str | bytes,
        id: str | None = None,
        url: str | None = None,
        date: str | None = None,
    ) -> Record:
        """The record ``ghirbal classify`` prints for the HTML page ``html``.

        ``bytes`` are read as the CLI reads an HTML file (charset from the
        BOM, ``<meta charset>`` or the bytes themselves); a ``str`` as the
        CLI reads a JSON Lines ``html`` field (already Unicode: a
        ``<meta charset>`` inside does not re-decode it).
        Raises :class:`InputError` on a wrong type.
        """

    def body_text(self, html_or_text: str | bytes, html: bool | None = None) -> str:
        """The text of the page's body blocks, one block a line (the text the
        CLI's ``--format text`` prints for the page, without the lines it puts
        around it).

        ``html=None`` decides from the first bytes, as the CLI's ``auto``
        input format does (``<!doctype html``, ``<html``, ``<p`` … after white
        space and a BOM).
        """

    def classify_many(
        self, records: Iterable[InputRecord], threads: int | None = None
    ) -> list[Record | ErrorRecord]:
        """The records of many pages, in input order.

        A record is a dict ``{"id"?, "url"?, "date"?, "text" | "html"}`` (the
        CLI's JSON Lines record; ``text``/``html`` may be ``str`` or ``bytes``;
        ``id`` defaults to the record's position, an int id is written in
        decimal) or a bare page (``str``/``bytes``, HTML or text decided from
        its first bytes, id its position). A record that cannot be read
        (no page, both fields, a wrong type) gives an error record
        ``{"id", "url"?, "error"}`` in its place, as the CLI's error line,
        instead of stopping the batch.

        The iterable is read in batches of 256 records (fewer when they hold
        8 MiB of pages); each batch is labelled without the GIL on
        ``threads`` threads (all cores when None; 1 runs on the calling
        thread). The results are one list: for a stream larger than memory,
        call it on successive slices (giving ids, since positions count from
        0 in each call).
        """

    def annotate_many(
        self,
        records: Iterable[InputRecord],
        threads: int | None = None,
        body_text: bool = False,
    ) -> list[Annotation | ErrorRecord]:
        """Compact annotations of many pages (records as in
        :meth:`classify_many`), in input order: each block's offsets, role
        and language; the body's word count (white-space separated words of
        the body blocks); the body's language mix ``body_langs`` (shares of
        body words by language, ``none`` left out, largest first; a mixed
        block's words count for the language of the span each is in) and its
        main language ``body_lang``; with ``body_text=True`` also the body
        text as :meth:`body_text` gives it.

        Offsets are characters of the page's text: for a plain-text ``str``
        page, ``text[start:end]`` is the block; for an HTML page, they index
        its extracted text (the blocks joined by newlines, which is
        ``body_text`` when every block is body).
        """

def looks_like_html(page: str | bytes) -> bool:
    """Whether ``page`` starts as an HTML document does (the CLI's ``auto``
    input format: ``<!doctype html``, ``<html``, ``<p`` … after white space
    and a BOM): how :meth:`Classifier.body_text` and bare records decide."""

def default_classifier() -> Classifier:
    """The shared classifier with the embedded model (made on first use)."""

def classify_text(
    text: str | bytes, id: str | None = None, url: str | None = None, date: str | None = None
) -> Record:
    """:meth:`Classifier.classify_text` with the embedded model."""

def classify_html(
    html: str | bytes, id: str | None = None, url: str | None = None, date: str | None = None
) -> Record:
    """:meth:`Classifier.classify_html` with the embedded model."""

def body_text(html_or_text: str | bytes, html: bool | None = None) -> str:
    """:meth:`Classifier.body_text` with the embedded model."""

def classify_many(
    records: Iterable[InputRecord], threads: int | None = None
) -> list[Record | ErrorRecord]:
    """:meth:`Classifier.classify_many` with the embedded model."""
