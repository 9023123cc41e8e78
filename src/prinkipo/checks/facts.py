"""What the rules look at: each document's stored metadata, and what the archive as a whole knows.

:func:`load_archive` reads the whole archive in one query per table (so checking 4,000 documents
takes seconds, not minutes) and builds:

* :class:`DocFacts` per document: dates, source citation, fields, authors (with authority life
  dates), notes;
* :class:`PeriodicalRuns`: for each periodical, the (volume, number, date) of every record that
  cites it, from which a record's volume and issue are checked against *the other* records;
* the authority's periodicals (founding years), for archives too small to learn from;
* the fingerprint of every document's text, for duplicates.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from prinkipo.dates import names_one_winter_across_years, parse_date
from prinkipo.entities.authority import fold
from prinkipo.errors import UnparseableDate
from prinkipo.store import Store


@dataclass(frozen=True, slots=True)
class DateFact:
    role: str
    text: str
    edtf: str | None
    earliest: date | None
    latest: date | None
    precision: str | None
    field: str
    start: int
    end: int
    error: str | None
    approximate: bool
    qualifier: str | None
    #: how it was read: "header" (the whole field), "header-partial" (a date inside it) …
    method: str = "header"


@dataclass(frozen=True, slots=True)
class SourceFact:
    text: str
    periodical: str | None
    volume: str | None
    number: str | None
    pages: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FieldFact:
    name: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AuthorFact:
    as_written: str
    name: str
    key: str | None
    start: int
    end: int
    birth: str | None
    death: str | None


@dataclass(frozen=True, slots=True)
class NoteFact:
    kind: str
    label: str | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class DocFacts:
    id: int
    path: str
    title: str | None
    format: str | None
    encoding: str | None
    dates: dict[str, DateFact] = field(default_factory=dict)
    source: SourceFact | None = None
    fields: list[FieldFact] = field(default_factory=list)
    authors: list[AuthorFact] = field(default_factory=list)
    notes: list[NoteFact] = field(default_factory=list)
    #: dates the record gives that the checks leave aside (a bare year in a citation, which may
    #: be a call number): the record is not undated for all that
    set_aside: dict[str, DateFact] = field(default_factory=dict)


# -- periodicals ----------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def volume_number(text: str | None) -> int | None:
    """ "III" → 3, "12" → 12; None for anything else."""
    if not text:
        return None
    t = text.strip().upper()
    if t.isdigit():
        return int(t)
    if not t or any(c not in _ROMAN for c in t):
        return None
    total = 0
    for i, c in enumerate(t):
        v = _ROMAN[c]
        total += -v if i + 1 < len(t) and _ROMAN[t[i + 1]] > v else v
    return total if 0 < total < 400 else None


def volume_and_number(fix: str, number: str | None) -> dict[str, str | None]:
    """The volume (and number, if it says one) of a corrected citation: "Vol. 2 No. 27"."""
    m = re.match(r"Vol\.\s*(\S+?)(?:,?\s+No\.\s*(\S+))?$", fix)
    if m is None:
        return {"volume": fix[5:], "number": number}
    return {"volume": m.group(1), "number": m.group(2) or number}


def issue_number(text: str | None) -> int | None:
    """ "9" → 9, "46-47" → 46 (the first of a double issue); None if it starts with no digit."""
    m = re.match(r"\d+", text or "")
    return int(m.group(0)) if m else None


def periodical_key(name: str | None) -> str | None:
    """A periodical's name folded for grouping: "The Militant" and "Militant" meet."""
    if not name:
        return None
    k = fold(name)
    k = re.sub(r"^(?:from|in)\s+", "", k)
    k = re.sub(r"^(?:the|la|le|les|die|der|das|el)\s+", "", k)
    return k or None


def middle_day(first: date, last: date) -> date:
    """The day halfway between two days (the earlier one, when they are an odd number apart)."""
    return date.fromordinal((first.toordinal() + last.toordinal()) // 2)


@dataclass(frozen=True, slots=True)
class Issue:
    """One record's citation of a periodical issue, with the date it gives."""

    document_id: int
    path: str
    volume: int
    volume_text: str
    number: int | None
    earliest: date
    latest: date
    date_text: str
    date_start: int
    date_end: int
    source_text: str
    #: the middle day of the date (worked out once: the periodical rules ask for it often)
    mid: date = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mid", middle_day(self.earliest, self.latest))

    def evidence_text(self) -> str:
        return self.source_text


@dataclass(slots=True)
class PeriodicalRuns:
    """Every dated, volume-numbered citation of each periodical in the archive."""

    by_key: dict[str, list[Issue]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: citations with an issue number and no volume ("International Viewpoint, No. 52"), for
    #: periodicals that number their issues straight through (volume 0 in each)
    unvolumed: dict[str, list[Issue]] = field(default_factory=dict)
    #: citations dated to the day with neither volume nor number ("The Communist, March 12,
    #: 1921"): they say nothing of numbering, but show on which weekday a periodical came out
    unnumbered: dict[str, list[Issue]] = field(default_factory=dict)
    #: citations dated only to a year, with a volume and a number ("Revolutionary History,
    #: Vol. 9 No. 4, 2008"): too loose to learn a volume's time from, but the same number of
    #: the same year is one issue
    yearly: dict[str, list[Issue]] = field(default_factory=dict)

    def others(self, key: str, document_id: int) -> list[Issue]:
        return [i for i in self.by_key.get(key, []) if i.document_id != document_id]


@dataclass(frozen=True, slots=True)
class PeriodicalAuthority:
    key: str
    name: str
    founded: int | None
    ceased: int | None
    note: str | None


@dataclass(frozen=True, slots=True)
class LetterPlace:
    """Where and when a letter says its sender wrote it."""

    letter_id: int
    document_id: int
    sender: str
    place_key: str | None
    place: str
    evidence: str | None
    start: int | None
    end: int | None
    earliest: date
    latest: date

    @property
    def where(self) -> str:
        return self.place_key or fold(self.place)


class StoredTexts:
    """Document id → a text the store reads when a rule asks for it.

    The whole archive's texts would not fit in memory at scale (100,000 pages are gigabytes);
    the last document's is kept, since the rules of one document ask for it in turn.
    """

    def __init__(self, read: Callable[[int], str | None]) -> None:
        self._read = read
        self._last: tuple[int, str | None] | None = None

    def get(self, doc_id: int, default: str = "") -> str:
        if self._last is None or self._last[0] != doc_id:
            self._last = (doc_id, self._read(doc_id))
        text = self._last[1]
        return default if text is None else text


@dataclass(slots=True)
class ArchiveFacts:
    docs: dict[int, DocFacts]
    periodicals: PeriodicalRuns
    authority_periodicals: dict[str, PeriodicalAuthority]
    #: document id → the text fingerprint of its paragraphs (None when too short to compare)
    fingerprints: dict[int, str | None]
    #: fingerprint → document ids having it, in id order
    by_fingerprint: dict[str, list[int]]
    #: document id → the decoded file text (for text rules; read when asked)
    texts: StoredTexts
    #: document id → its paragraphs joined (read when asked)
    paragraphs: StoredTexts
    today: date
    #: what rules derive once from the whole archive (a collection's habits …), by name
    memo: dict[str, Any] = field(default_factory=dict)
    #: the store, for the few rules that must look at a file's original bytes
    store: Store | None = None
    #: sender (authority key, else name folded) → the letters they sent with a place and a date
    letters_by_sender: dict[str, list[LetterPlace]] = field(default_factory=dict)
    #: document id → its letters with a sender, a place and a date
    letters_by_document: dict[int, list[LetterPlace]] = field(default_factory=dict)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _winter(edtf: str | None, latest: date | None, text: str) -> date | None:
    """A winter's latest day, for checking: "Winter 1955" is read as December 1954 – February
    1955, but periodicals also use it for the winter that begins in December 1955; the checks
    take both, so neither reading is called a mistake ("Winter 1955–56" names one of them)."""
    m = re.fullmatch(r"(\d{4})-24", edtf or "")
    if latest is None or m is None or names_one_winter_across_years(text):
        return latest
    year = int(m.group(1))
    return date(year + 1, 3, 1) - timedelta(days=1)


def _year(value: Any) -> int | None:
    m = re.match(r"-?\d{1,4}", str(value or ""))
    return int(m.group(0)) if m else None


#: the fingerprint of a file whose text is too short to fingerprint: its bytes' hash
FILE_FINGERPRINT = "file:"


def fingerprint(paragraphs: str) -> str | None:
    """The identity of a text's paragraphs, as read (the readers already fold spacing); None
    when it is too short to tell a work from boilerplate (under 200 letters in its first 1,000
    characters). Folding case or spacing again here cost seconds on the whole corpus and found
    no more duplicates in it."""
    if len(paragraphs) < 200 or sum(map(str.isalpha, paragraphs[:1000])) < 200:
        return None
    return hashlib.sha1(paragraphs.encode()).hexdigest()


def load_archive(store: Store, today: date | None = None) -> ArchiveFacts:
    """Read everything the rules need from the store (one query per table)."""
    rows = store.check_inputs()
    docs = {r[0]: DocFacts(r[0], r[1], r[2], r[3], r[4]) for r in rows["documents"]}
    for r in rows["dates"]:
        d = docs.get(r[0])
        if d is not None:
            latest = _winter(r[3], _day(r[5]), r[2])
            d.dates[r[1]] = DateFact(
                r[1], r[2], r[3], _day(r[4]), latest, r[6], r[7], r[8], r[9],
                r[10], bool(r[11]), r[13], r[14],
            )  # fmt: skip
    for r in rows["sources"]:
        if r[0] in docs:
            docs[r[0]].source = SourceFact(*r[1:])
    for r in rows["fields"]:
        if r[0] in docs:
            docs[r[0]].fields.append(FieldFact(*r[1:]))
    for r in rows["authors"]:
        if r[0] in docs:
            data = json.loads(r[6]) if r[6] else {}
            life = data.get("dates") or {}
            docs[r[0]].authors.append(
                AuthorFact(r[1], r[2], r[3], r[4], r[5], life.get("birth"), life.get("death"))
            )
    for r in rows["notes"]:
        if r[0] in docs:
            docs[r[0]].notes.append(NoteFact(*r[1:]))

    for d in docs.values():
        _drop_call_numbers(d)
    _apply_decisions(docs, store.decisions())
    # one streamed pass for the fingerprints; texts themselves are read per document later
    fingerprints: dict[int, str | None] = dict.fromkeys(docs)
    by_fp: dict[str, list[int]] = defaultdict(list)
    for doc_id, joined in store.paragraph_texts():
        if doc_id in docs:
            fingerprints[doc_id] = fingerprint(joined or "")
    # a text too short to tell from boilerplate (an index page) is still the same file when its
    # bytes are: the file's own hash stands in
    file_hashes = {r[0]: r[5] for r in rows["documents"]}
    for doc_id in docs:
        fp = fingerprints.get(doc_id) or (
            f"{FILE_FINGERPRINT}{file_hashes[doc_id]}" if file_hashes.get(doc_id) else None
        )
        fingerprints[doc_id] = fp
        if fp:
            by_fp[fp].append(doc_id)

    by_sender: dict[str, list[LetterPlace]] = defaultdict(list)
    by_document: dict[int, list[LetterPlace]] = defaultdict(list)
    for r in store.letter_places():
        e, lt = _day(r[8]), _day(r[9])
        if e is None or lt is None or not r[2] or not r[4]:
            continue
        sender = r[2] if ":" in r[2] else fold(r[2])
        lp = LetterPlace(r[0], r[1], sender, r[3], r[4], r[5], r[6], r[7], e, lt)
        by_sender[sender].append(lp)
        by_document[r[1]].append(lp)
    return ArchiveFacts(
        letters_by_sender=dict(by_sender),
        letters_by_document=dict(by_document),
        docs=docs,
        periodicals=_periodical_runs(docs),
        authority_periodicals=_authority_periodicals(store),
        fingerprints=fingerprints,
        by_fingerprint=dict(by_fp),
        texts=StoredTexts(store.document_text),
        paragraphs=StoredTexts(store.document_paragraphs_text),
        today=today or date.today(),
        store=store,
    )


_CALL_NUMBER = re.compile(r"[#/\\]\s*$|\d\s*$")


def _drop_call_numbers(doc: DocFacts) -> None:
    """A "year" read from a citation that is part of a call number ("CH-BAR#J1.67#1000/1363"),
    or from one that cites no periodical issue, is not taken for a date by the checks (the
    stored record keeps it as read)."""
    s = doc.source
    if s is None:
        return
    for role in ("source", "published"):
        d = doc.dates.get(role)
        if d is None or d.field != "Source" or d.precision != "year":
            continue
        if s.volume is None and s.number is None:
            # a bare year in a citation that is not a periodical's issue: an archive's call
            # number ("ZPH 1681"), a person's life dates ("Tillich, Paul, 1886‒1965") as often
            # as a year of publication
            doc.set_aside[role] = doc.dates.pop(role)
            continue
        spots = [m.start() for m in re.finditer(re.escape(d.text), s.text)]
        if spots and all(
            _CALL_NUMBER.search(s.text[:at]) or re.match(r"\s*[#/\\\d]", s.text[at + len(d.text) :])
            for at in spots
        ):
            doc.set_aside[role] = doc.dates.pop(role)


def _apply_decisions(docs: dict[int, DocFacts], decisions: list[dict[str, Any]]) -> None:
    """Check the records as corrected: an accepted fix replaces the value it corrected."""
    by_path = {d.path: d for d in docs.values()}
    for c in decisions:
        doc = by_path.get(c["path"])
        if doc is None or c["decision"] != "accepted" or not c["value"] or c["old"] is None:
            continue
        old, new = c["old"], c["value"]
        for role, d in list(doc.dates.items()):
            if d.field == c["field"] and d.text == old:
                try:
                    p = parse_date(new)
                except UnparseableDate:
                    continue
                doc.dates[role] = replace(
                    d, text=new, edtf=p.edtf, earliest=p.earliest, latest=p.latest,
                    precision=p.precision, error=None,
                )  # fmt: skip
        s = doc.source
        if s is not None and c["field"] == "Source" and old in s.text:
            parts = {"volume": s.volume, "number": s.number}
            if old.startswith("Vol. ") and new.startswith("Vol. "):
                parts = volume_and_number(new, s.number)
            doc.source = replace(
                s, text=s.text.replace(old, new, 1), volume=parts["volume"], number=parts["number"]
            )


def _periodical_runs(docs: dict[int, DocFacts]) -> PeriodicalRuns:
    runs = PeriodicalRuns()
    for d in docs.values():
        s = d.source
        key = periodical_key(s.periodical) if s else None
        sd = d.dates.get("source")
        if s is None or key is None or sd is None or sd.earliest is None or sd.latest is None:
            continue
        vol = volume_number(s.volume)
        number = issue_number(s.number)
        if sd.precision == "day" and vol is None and number is None:
            bucket = runs.unnumbered
        elif sd.precision == "year" and vol is not None and number is not None:
            bucket = runs.yearly
        elif sd.precision in ("day", "month", "season") and (vol, number) != (None, None):
            bucket = runs.by_key if vol is not None else runs.unvolumed
        else:
            continue
        shown = "" if bucket is runs.unnumbered else s.volume or ""
        issue = Issue(
            d.id, d.path, vol or 0, shown, number, sd.earliest, sd.latest, sd.text, sd.start,
            sd.end, s.text,
        )  # fmt: skip
        bucket.setdefault(key, []).append(issue)
        runs.names.setdefault(key, s.periodical or key)
    return runs


def _authority_periodicals(store: Store) -> dict[str, PeriodicalAuthority]:
    out: dict[str, PeriodicalAuthority] = {}
    for key, name, raw in store.entity_data("periodical"):
        data = json.loads(raw)
        dates = data.get("dates") or {}
        entry = PeriodicalAuthority(
            key, name, _year(dates.get("founded")), _year(dates.get("ceased")), data.get("note")
        )
        for n in (name, *data.get("variants", ())):
            k = periodical_key(n)
            if k:
                out.setdefault(k, entry)
    return out
