"""The plain data every stage passes on.

``readers`` turn bytes into a :class:`Record` (what the file says, with spans);
``header`` turns a Record into a :class:`Document` (what it means: dates, source, authors, genre);
``store`` keeps Documents and hands back the same shapes. Offsets (``start``/``end``) are character
offsets into the decoded text of the file (:attr:`Record.text`), end exclusive.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple, TypeVar

from prinkipo.dates import ParsedDate

_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle instances as ``cls(*field values)``: ingest workers send every Document's spans,
    fields and notes to the writer, and a frozen dataclass's default state restores each field
    through ``object.__setattr__``, about twice as slow. (Mentions and paragraphs, the most
    numerous, are named tuples, which pickle faster still.)"""
    values = operator.attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the decoded file text."""

    text: str
    start: int
    end: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Field:
    """One header field as written: ``Written: 5 January 1930.``

    ``start``/``end`` cover the whole line; ``value_start``/``value_end`` the value alone.
    """

    name: str
    value: str
    start: int
    end: int
    value_start: int
    value_end: int

    @property
    def value_span(self) -> Span:
        return Span(self.value, self.value_start, self.value_end)


class Paragraph(NamedTuple):
    """A paragraph of the body (immutable; a named tuple for the reason :class:`Mention` is)."""

    n: int
    text: str
    start: int
    end: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Note:
    """A note outside the body: a closing note "(Excerpts from letter of …)" or a footnote."""

    kind: str
    text: str
    start: int
    end: int
    label: str | None = None
    #: the name or id of the note's anchor in the page (HTML footnotes: ``n1`` of ``<a name="n1">``)
    anchor: str | None = None


@dataclass(slots=True)
class Record:
    """What a reader found in one file, before any interpretation."""

    path: str
    format: str
    text: str
    encoding: str
    title: Span | None = None
    author: Span | None = None
    #: a line such as "(January 1930)" under the title
    dateline: Span | None = None
    fields: list[Field] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    language: str | None = None
    #: set by readers that recognise a non-work (an index page): the reason it is skipped
    skip_reason: str | None = None
    #: the work's canonical address on its site, when the path shows it (MIA pages)
    url: str | None = None
    #: letters the file describes itself (TEI/CMIF ``correspDesc``), before any inference
    letters: list[Letter] = field(default_factory=list)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class DateValue:
    """A date of the document (written, published …) with where it was read and how."""

    role: str
    text: str
    parsed: ParsedDate | None
    error: str | None
    source_field: str
    start: int
    end: int
    method: str = "header"

    def to_dict(self) -> dict[str, Any]:
        if self.parsed is not None:
            out = self.parsed.to_dict()
        else:
            out = {
                "text": self.text,
                "edtf": None,
                "earliest": None,
                "latest": None,
                "calendar": None,
                "error": self.error,
            }
        out.update(
            {
                "field": self.source_field,
                "start": self.start,
                "end": self.end,
                "method": self.method,
            }
        )
        return out


@dataclass(frozen=True, slots=True)
class SourceCitation:
    """Where the text was printed: "The Militant, Vol. III No. 9, 1 March 1920, p. 4."."""

    text: str
    start: int
    end: int
    periodical: str | None = None
    volume: str | None = None
    number: str | None = None
    date: DateValue | None = None
    pages: str | None = None
    #: anything left over that is not one of the parts above (publisher, place, title …)
    rest: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "periodical": self.periodical,
            "volume": self.volume,
            "number": self.number,
            "date": self.date.to_dict() if self.date else None,
            "pages": self.pages,
            "rest": self.rest,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Author:
    """An author as written, and the authority name it was linked to (if any)."""

    as_written: str
    name: str
    start: int
    end: int
    entity_key: str | None = None
    method: str = "as-written"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Inferred:
    """A value that is not written as such, with the evidence it rests on."""

    value: str
    method: str
    confidence: float
    evidence: Span | None

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {
            "value": self.value,
            "method": self.method,
            "confidence": self.confidence,
            "evidence": {"text": ev.text, "start": ev.start, "end": ev.end} if ev else None,
        }


class Mention(NamedTuple):
    """A name in a document and the entity it stands for, with the evidence and the method.

    ``start``/``end`` are offsets into the file's text (None where the passage is not a verbatim
    slice of it); ``passage_start``/``passage_end`` are offsets into the paragraph (``paragraph``
    is its number) or the header field (``field``) the name was found in.

    A named tuple, not a frozen dataclass: a document has about a hundred mentions, each made
    in an ingest worker and sent to the writer, and a tuple is built and pickled several times
    faster (a frozen dataclass sets each field through ``object.__setattr__``). Change one
    with ``m._replace(…)``.
    """

    text: str
    kind: str
    entity_key: str | None
    method: str
    confidence: float
    start: int | None
    end: int | None
    paragraph: int | None = None
    field: str | None = None
    passage_start: int = 0
    passage_end: int = 0
    #: the other entries the spelling could stand for, when there were several
    candidates: tuple[str, ...] = ()


@dataclass(slots=True)
class Document:
    """One work read from one file: what the record means."""

    record: Record
    title: str | None
    authors: list[Author]
    dates: dict[str, DateValue]
    source: SourceCitation | None
    genre: Inferred | None
    language: str | None
    mentions: list[Mention] = field(default_factory=list)
    #: the letter this document is, or the letters it lists or mentions (:mod:`prinkipo.letters`)
    letters: list[Letter] = field(default_factory=list)
    #: each paragraph's stable anchor (:mod:`prinkipo.anchors`), when computed already
    anchors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A file as read from disk."""

    path: str
    sha256: str
    size: int


# -- letters ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    """A sender, recipient, place or carrier of a letter: the name as written, and where it came
    from. ``refs`` are the authority URIs the source gave (TEI ``@ref``), kept as written;
    ``entity_key`` the archive's authority entry when one was linked."""

    name: str
    refs: tuple[str, ...] = ()
    method: str = "as-written"
    confidence: float = 1.0
    evidence: Span | None = None
    entity_key: str | None = None
    #: TEI ``@cert`` / ``@evidence`` as the source wrote them ("high", "conjecture" …)
    cert: str | None = None


@dataclass(frozen=True, slots=True)
class LetterDate:
    """When a letter was sent or received.

    ``attrs`` are the TEI dating attributes (``when``, ``notBefore``, ``notAfter``, ``from``,
    ``to``) in valid W3C form, after any normalisation; ``note`` says what was normalised.
    ``edtf``/``earliest``/``latest`` are Gregorian. ``julian`` is the Old Style reading, if any.
    """

    text: str
    attrs: dict[str, str]
    edtf: str | None
    earliest: str | None
    latest: str | None
    calendar: str = "gregorian"
    julian: str | None = None
    error: str | None = None
    note: str | None = None
    method: str = "as-written"
    confidence: float = 1.0
    evidence: Span | None = None
    cert: str | None = None


@dataclass(slots=True)
class Letter:
    """One act of correspondence.

    ``role``: ``self`` (the document is this letter, or contains it), ``listed`` (an entry in a
    letter index such as a CMIF file) or ``mentioned`` (a letter the text speaks of).
    """

    role: str
    senders: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    sent_place: Party | None = None
    sent_date: LetterDate | None = None
    received_place: Party | None = None
    received_date: LetterDate | None = None
    carrier: Party | None = None
    #: the letter's identifier in its source: correspDesc ``@key`` / ``@xml:id``
    key: str | None = None
    #: the letter's URL in its source (correspDesc ``@ref``)
    url: str | None = None
    #: the bibliographic source (CMIF ``sourceDesc/bibl``) the letter is listed in
    source: str | None = None
    source_id: str | None = None
    source_type: str | None = None
    method: str = "as-written"
    confidence: float = 1.0
    #: for a mentioned letter: the sentence that speaks of it
    evidence: Span | None = None
