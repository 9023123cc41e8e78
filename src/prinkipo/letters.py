"""Letters: who wrote to whom, from where, when, and who carried it.

Every letter, from any format, ends as a :class:`~prinkipo.model.Letter`:

* TEI and CMIF files describe their letters in ``correspDesc``; the readers keep them as written
  (``method="tei-correspDesc"`` / ``"cmif"``), with the authority URIs of ``@ref``.
* Plain-text and MIA letters say it in their header and text. :func:`find_letters` infers the
  sender (the author), the date (the ``Written:`` field), the place (a closing note such as
  "(Excerpts from letter of January 5th, 1930 at Prinkipo, Turkey)"), and the recipient where a
  salutation or title names one. Every inferred value keeps its evidence span, method and
  confidence.
* A letter the text speaks of ("Through Blumkin I had sent an informative letter to Moscow for our
  friends, …") is recorded too, ``role="mentioned"``, with its carrier, destination and recipient
  as the sentence gives them and the sentence as evidence. Its date is bounded by the letter that
  mentions it: sent no later than that letter was written.

Dates of letters come from TEI's W3C attributes (``when``, ``notBefore``, ``notAfter``, ``from``,
``to``) when the source has them; :func:`letter_date` reads them (fast: no EDTF library), and
normalises what the schema would refuse (``notAfter="1842|1843"``) with a note saying so.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from prinkipo.dates import ParsedDate, find_date, parse_date
from prinkipo.entities.authority import Authority, fold, ref_key, register_source
from prinkipo.errors import UnparseableDate
from prinkipo.model import Document, Inferred, Letter, LetterDate, Party, Span

DATE_ATTRS = ("when", "notBefore", "notAfter", "from", "to")
_LOWER = {"notBefore", "from"}
_UPPER = {"notAfter", "to"}

_ISO = re.compile(
    r"^(?P<y>-?\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$"
)

#: names that say "unknown" rather than name someone (CMIF writes "Unknown")
UNKNOWN_NAMES = {"unknown", "unbekannt", "unbekannter", "unbekannte", "n.n.", "nn", "anonym", "?"}


def iso_bounds(value: str) -> tuple[str, date, date] | None:
    """(date part, first day, last day) of a W3C date value ("1814-12" → 1814-12-01…31)."""
    m = _ISO.match(value.strip())
    if m is None:
        return None
    year = int(m["y"])
    if year < 1:
        return None
    try:
        if m["d"]:
            day = date(year, int(m["m"]), int(m["d"]))
            return day.isoformat(), day, day
        if m["m"]:
            month = int(m["m"])
            last = calendar.monthrange(year, month)[1]
            return f"{m['y']}-{m['m']}", date(year, month, 1), date(year, month, last)
    except ValueError:
        return None
    return m["y"], date(year, 1, 1), date(year, 12, 31)


def letter_date(
    text: str,
    attrs: dict[str, str],
    *,
    calendar_name: str | None = None,
    method: str = "as-written",
    confidence: float = 1.0,
    evidence: Span | None = None,
    cert: str | None = None,
) -> LetterDate:
    """A letter's date from TEI dating attributes, or from its text when it has none."""
    attrs = {k: v.strip() for k, v in attrs.items() if k in DATE_ATTRS and v and v.strip()}
    if not attrs:
        return _from_text(text, method, confidence, evidence, cert)
    clean: dict[str, str] = {}
    notes: list[str] = []
    errors: list[str] = []
    lo: date | None = None
    hi: date | None = None
    for key in DATE_ATTRS:
        raw = attrs.get(key)
        if raw is None:
            continue
        options = [iso_bounds(v) for v in raw.split("|")]
        read = [o for o in options if o is not None]
        if not read or len(read) != len(options):
            errors.append(f'{key}="{raw}" is not a W3C date')
            continue
        if len(read) > 1:
            if key == "when":
                first = min(read, key=lambda o: o[1])
                last = max(read, key=lambda o: o[2])
                clean["notBefore"], clean["notAfter"] = first[0], last[0]
                notes.append(
                    f'when="{raw}" lists alternatives: read as notBefore="{first[0]}" '
                    f'notAfter="{last[0]}"'
                )
                lo, hi = _min(lo, first[1]), _max(hi, last[2])
                continue
            pick = max(read, key=lambda o: o[2]) if key in _UPPER else min(read, key=lambda o: o[1])
            notes.append(f'{key}="{raw}" lists alternatives: read as {key}="{pick[0]}"')
            read = [pick]
        value, first_day, last_day = read[0]
        clean.setdefault(key, value)
        if key == "when":
            lo, hi = first_day, last_day
        elif key in _LOWER:
            lo = _max(lo, first_day) if lo else first_day
        else:
            hi = _min(hi, last_day) if hi else last_day
    edtf = _edtf(clean)
    return LetterDate(
        text=text or _attr_text(attrs),
        attrs=clean,
        edtf=edtf,
        earliest=lo.isoformat() if lo else None,
        latest=hi.isoformat() if hi else None,
        calendar=_calendar(calendar_name),
        error="; ".join(errors) or None,
        note="; ".join(notes) or None,
        method=method,
        confidence=confidence,
        evidence=evidence,
        cert=cert,
    )


def _min(a: date | None, b: date) -> date:
    return b if a is None or b < a else a


def _max(a: date | None, b: date) -> date:
    return b if a is None or b > a else a


def _attr_text(attrs: dict[str, str]) -> str:
    return " ".join(f'{k}="{v}"' for k, v in attrs.items())


def _calendar(name: str | None) -> str:
    if name and "julian" in name.lower():
        return "julian"
    return "gregorian"


def _edtf(attrs: dict[str, str]) -> str | None:
    if "when" in attrs:
        return attrs["when"]
    lo = attrs.get("notBefore") or attrs.get("from")
    hi = attrs.get("notAfter") or attrs.get("to")
    if lo is None and hi is None:
        return None
    return f"{lo or '..'}/{hi or '..'}"


def _from_text(
    text: str, method: str, confidence: float, evidence: Span | None, cert: str | None
) -> LetterDate:
    try:
        parsed = parse_date(text)
    except UnparseableDate as err:
        return LetterDate(
            text, {}, None, None, None, error=err.reason, method=method,
            confidence=confidence, evidence=evidence, cert=cert,
        )  # fmt: skip
    return from_parsed(parsed, method, confidence, evidence, cert)


def from_parsed(
    parsed: ParsedDate,
    method: str,
    confidence: float,
    evidence: Span | None,
    cert: str | None = None,
) -> LetterDate:
    """A letter date from a date the header parser read (Old Style dates are already Gregorian)."""
    return LetterDate(
        text=parsed.text,
        attrs={},
        edtf=parsed.edtf,
        earliest=parsed.earliest.isoformat() if parsed.earliest else None,
        latest=parsed.latest.isoformat() if parsed.latest else None,
        calendar=parsed.calendar,
        julian=parsed.julian,
        method=method,
        confidence=confidence,
        evidence=evidence,
        cert=cert,
    )


def w3c_attrs(d: LetterDate) -> dict[str, str]:
    """The dating attributes to write for ``d`` in TEI/CMIF: Gregorian, schema-valid."""
    if d.attrs:
        return dict(d.attrs)
    if d.edtf is None:
        return {}
    if d.earliest and d.earliest == d.latest:
        return {"when": d.earliest}
    plain = re.fullmatch(r"\d{4}(?:-\d{2})?", d.edtf)
    if plain:
        return {"when": d.edtf}
    out = {}
    if d.earliest:
        out["notBefore"] = d.earliest
    if d.latest:
        out["notAfter"] = d.latest
    return out


# -- plain-text and MIA letters ---------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’)]*|$)", re.S)
_PLACE_IN_NOTE = re.compile(
    r"\bletters?\b[^()]*?\b(?:at|from|in)\s+(?P<place>[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)*)"
    r"(?:,\s*(?P<country>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*))?"
)
_RECIPIENT_IN_TITLE = re.compile(
    r"\b(?i:letters?|note|telegram)\s+to\s+(?:the\s+)?(?P<name>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|de|von|van))*)"
)
_SALUTE = re.compile(r"^(?:Dear|My dear|Dearest)\s+(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)")
_SEND = r"(?:had\s+|have\s+|has\s+)?(?:sent|forwarded|dispatched|transmitted|sent\s+off)"
_NAME = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}"
_CARRIER_FIRST = re.compile(
    rf"\b(?:[Tt]hrough|[Vv]ia|[Bb]y\s+way\s+of|[Bb]y\s+the\s+hand\s+of|[Ww]ith)\s+(?P<carrier>{_NAME})"
    rf",?\s+(?P<sender>I|we|he|she|they)\s+{_SEND}\b(?P<rest>[^.;:]*)"
)
_CARRIER_AFTER = re.compile(
    rf"\b(?P<sender>I|we|he|she|they)\s+{_SEND}\b(?P<rest>[^.;:]*?)\b(?:through|via|by\s+way\s+of"
    rf"|by\s+the\s+hand\s+of)\s+(?P<carrier>{_NAME})"
)
_LETTER_WORD = re.compile(r"\b(?:letter|note|message|missive)s?\b", re.I)
_LETTER_STEMS = ("letter", "note", "message", "missive")
_TO_PLACE = re.compile(r"\bto\s+(?P<place>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)")
_FOR_WHOM = re.compile(
    r"\b(?:for|to)\s+(?P<who>(?:our|my|his|her|their|the)\s+(?:[\w’'-]+\s+){0,2}?"
    r"(?:friends|comrades|family|wife|son|daughter|brother|sister|mother|father|colleagues|"
    r"supporters|followers))\b"
)


def enrich(doc: Document, authority: Authority | None = None) -> None:
    """Set ``doc.letters`` (and the genre, where the letter evidence is stronger than the
    header's guess): a TEI file with correspDesc is a letter, a CMIF file a letter index, and a
    plain-text or MIA page whose title or dateline reads "<author> to <someone>" a letter."""
    fmt = doc.record.format
    if fmt == "cmif":
        doc.genre = Inferred("letter-index", "cmif", 1.0, None)
    elif any(letter.role == "self" for letter in doc.record.letters):
        doc.genre = Inferred("letter", "tei-correspDesc", 1.0, None)
    else:
        found = letter_evidence(doc)
        if found is not None and (doc.genre is None or found.confidence > doc.genre.confidence):
            doc.genre = found
    doc.letters = find_letters(doc, authority)


#: "Engels to C. Schmidt In Berlin", "Karl Marx to Ludwig Kugelmann, 30 January 1868"
_TOKEN = (
    r"(?:(?!In\b|Concerning\b|On\b|About\b|Regarding\b|And\b)[A-Z][\w.’'-]*"
    r"|von|van|de|der|du|la|le|zu)"
)
_FROM_TO = re.compile(
    rf"^(?:(?:Letter|Letters)\s+from\s+)?(?P<sender>{_TOKEN}(?:[ -]{_TOKEN})*)\s+to\s+"
    rf"(?P<recipient>(?:the\s+)?{_TOKEN}(?:\s+{_TOKEN})*)"
    rf"(?:\s+[Ii]n\s+(?P<where>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?))?"
)
_DATELINE_PLACE = re.compile(r"^\[?(?P<place>[A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)?)\]?,?\s*$")


def _from_to(doc: Document, by_author: bool = True) -> tuple[Span, re.Match[str]] | None:
    """The "<sender> to <someone>" line of a letter (title or dateline); with ``by_author``, only
    one whose sender is the document's author."""
    rec = doc.record
    authors = [_words(a.name) | _words(a.as_written) for a in doc.authors]
    for span in (rec.title, rec.dateline):
        if span is None:
            continue
        m = _FROM_TO.match(span.text)
        if m is None:
            continue
        sender = _words(m["sender"])
        if not by_author or any(sender and (sender <= a or a <= sender) for a in authors if a):
            return span, m
    return None


#: words that say an "author" line is not a person (a series title, a page error)
_NOT_A_PERSON = {"letter", "letters", "archive", "internet", "marxists", "file", "found",
                 "correspondence", "collected", "works", "writings", "selected"}  # fmt: skip
#: salutations that name nobody
_GENERIC = {"sir", "sirs", "madam", "comrade", "comrades", "friend", "friends", "colleague",
            "colleagues", "editor", "editors", "all"}  # fmt: skip


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 1}


def letter_evidence(doc: Document) -> Inferred | None:
    """Why a plain-text or HTML document is a letter, if it is one."""
    found = _from_to(doc)
    if found is not None:
        span, m = found
        line = Span(m.group(0), span.start, span.start + m.end())
        return Inferred("letter", "from-to-line", 0.9, line)
    parts = doc.record.path.replace("\\", "/").split("/")
    if "letters" in parts[:-1] and (
        doc.record.dateline is not None or _salutation(doc) or _from_to(doc, by_author=False)
    ):
        return Inferred("letter", "path-letters-and-salutation-or-dateline", 0.7, None)
    return None


def _salutation(doc: Document) -> Party | None:
    """ "Dear Kugelmann" in the first paragraphs: the addressee as the letter greets them."""
    rec = doc.record
    for p in rec.paragraphs[:5]:
        m = _SALUTE.match(rec.text[p.start : p.end])
        if m and not set(fold(m["name"]).split()) <= _GENERIC:
            span = Span(rec.text[p.start : p.end], p.start, p.end)
            return _party_from_match(span, m, "name", "salutation", 0.6)
    return None


def find_letters(doc: Document, authority: Authority | None = None) -> list[Letter]:
    """The letters of a document: those its file describes, the letter it is, and those it
    mentions. Names are linked to the authority where it knows them."""
    letters = list(doc.record.letters)
    if not letters and doc.genre is not None and doc.genre.value == "letter":
        letters.append(_self_letter(doc, authority))
    known = {x.evidence.text for x in letters if x.role == "mentioned" and x.evidence}
    host = next((x for x in letters if x.role == "self"), None)
    letters.extend(
        x
        for x in _mentioned_letters(doc, authority, host)
        if x.evidence is None or x.evidence.text not in known
    )
    source = register_source(doc.record.path)
    return [_link(letter, authority, source) for letter in letters]


def _author_party(doc: Document, authority: Authority | None) -> Party | None:
    if not doc.authors:
        return None
    a = doc.authors[0]
    return Party(
        a.name,
        method="author-of-letter",
        confidence=0.9,
        evidence=Span(a.as_written, a.start, a.end),
        entity_key=a.entity_key,
    )


def _self_letter(doc: Document, authority: Authority | None) -> Letter:
    """The letter a plain-text/MIA document is, from its header and closing notes."""
    rec = doc.record
    letter = Letter(role="self", method="header-and-text", confidence=0.8)
    named = _from_to(doc, by_author=False)
    sender = _author_party(doc, authority)
    if named is not None and _from_to(doc) is None:
        # the line names a sender who is not the page's author: the line is explicit
        line, found = named
        letter.senders.append(_party_from_match(line, found, "sender", "from-to-line", 0.8))
    elif sender is not None and not _words(sender.name) & _NOT_A_PERSON:
        letter.senders.append(sender)
    written = doc.dates.get("written") or doc.dates.get("note") or doc.dates.get("dateline")
    if written is not None and written.parsed is not None:
        letter.sent_date = from_parsed(
            written.parsed,
            f"date-{written.role}",
            1.0 if written.role == "written" else 0.8,
            Span(written.text, written.start, written.end),
        )
    notes = [Span(n.text, n.start, n.end) for n in rec.notes if n.kind == "closing"]
    spans = [s for s in (rec.dateline, rec.title) if s is not None] + notes
    for span in spans:
        place = _PLACE_IN_NOTE.search(span.text)
        if place:
            letter.sent_place = _party_from_match(span, place, "place", "closing-note-place", 0.8)
            break
    if named is not None:
        line, found = named
        letter.recipients.append(_party_from_match(line, found, "recipient", "from-to-line", 0.9))
        if found["where"]:
            letter.received_place = _party_from_match(line, found, "where", "from-to-line-in", 0.8)
    else:
        for span in [s for s in (rec.title, rec.dateline) if s is not None] + notes:
            m = _RECIPIENT_IN_TITLE.search(span.text)
            if m:
                letter.recipients.append(_party_from_match(span, m, "name", "letter-to-title", 0.8))
                break
    if not letter.recipients:
        greeted = _salutation(doc)
        if greeted is not None:
            letter.recipients.append(greeted)
    if letter.sent_place is None and rec.dateline is not None:
        letter.sent_place = _dateline_place(rec.dateline)
    return letter


def _dateline_place(dateline: Span) -> Party | None:
    """ "London, August 5, 1890" or "[London] April 12, 1871": the place before the date."""
    found = find_date(dateline.text)
    if found is None:
        return None
    head = dateline.text[: found[1]]
    m = _DATELINE_PLACE.match(head.strip())
    if m is None:
        return None
    at = dateline.start + dateline.text.index(m["place"])
    supplied = head.strip().startswith("[")
    return Party(
        m["place"],
        method="dateline-place-supplied" if supplied else "dateline-place",
        confidence=0.7 if supplied else 0.85,
        evidence=Span(m["place"], at, at + len(m["place"])),
    )


def _party_from_match(
    span: Span, m: re.Match[str], group: str, method: str, confidence: float
) -> Party:
    start, end = span.start + m.start(group), span.start + m.end(group)
    return Party(m.group(group), method=method, confidence=confidence,
                 evidence=Span(m.group(group), start, end))  # fmt: skip


def _sentences(text: str, base: int) -> list[Span]:
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append(Span(body, base + m.start() + lead, base + m.start() + lead + len(body)))
    return out


def _mentioned_letters(
    doc: Document, authority: Authority | None, host: Letter | None
) -> list[Letter]:
    """Letters the text speaks of, sent through a named carrier."""
    rec = doc.record
    found: list[Letter] = []
    for p in rec.paragraphs:
        raw = rec.text[p.start : p.end]
        low = raw.lower()  # most paragraphs name no letter: plain substring tests settle them
        if not any(word in low for word in _LETTER_STEMS) or not _LETTER_WORD.search(raw):
            continue
        for sentence in _sentences(raw, p.start):
            if not _LETTER_WORD.search(sentence.text):
                continue
            m = _CARRIER_FIRST.search(sentence.text) or _CARRIER_AFTER.search(sentence.text)
            if m is None:
                continue
            found.append(_mentioned(doc, authority, host, sentence, m))
    return found


def _mentioned(
    doc: Document,
    authority: Authority | None,
    host: Letter | None,
    sentence: Span,
    m: re.Match[str],
) -> Letter:
    def span(group: str, match: re.Match[str] = m, offset: int = 0) -> Span:
        s = sentence.start + offset + match.start(group)
        return Span(match.group(group), s, s + len(match.group(group)))

    letter = Letter(role="mentioned", method="sentence-pattern", confidence=0.8, evidence=sentence)
    letter.carrier = Party(
        m.group("carrier"), method="sentence-pattern", confidence=0.8, evidence=span("carrier")
    )
    if m.group("sender") in ("I", "we"):
        author = _author_party(doc, authority)
        if author is not None:
            letter.senders.append(
                Party(
                    author.name,
                    method="first-person-of-author",
                    confidence=0.8,
                    evidence=span("sender"),
                    entity_key=author.entity_key,
                )
            )
    rest, rest_at = m.group("rest"), m.start("rest")
    to = _TO_PLACE.search(rest)
    if to:
        letter.received_place = Party(
            to.group("place"), method="sentence-pattern", confidence=0.7,
            evidence=span("place", to, rest_at),
        )  # fmt: skip
    who = _FOR_WHOM.search(rest)
    if who:
        letter.recipients.append(
            Party(who.group("who"), method="sentence-pattern", confidence=0.6,
                  evidence=span("who", who, rest_at))
        )  # fmt: skip
    host_date = host.sent_date if host is not None else None
    if host_date is not None and host_date.latest and re.search(r"\bhad\b", m.group(0)):
        letter.sent_date = LetterDate(
            text=f"no later than {host_date.text.rstrip('. ')}",
            attrs={"notAfter": host_date.latest},
            edtf=f"../{host_date.latest}",
            earliest=None,
            latest=host_date.latest,
            method="before-mentioning-letter",
            confidence=0.7,
            evidence=sentence,
        )
    return letter


def _link(letter: Letter, authority: Authority | None, source: str) -> Letter:
    """Link parties to authority entries: by their ``@ref`` (the same PMB, GND, VIAF, Wikidata or
    GeoNames id, or the edition's own pointer) where they have one, else by a unique name."""
    if authority is None:
        return letter

    def link(p: Party | None, kind: str) -> Party | None:
        if p is None or p.entity_key is not None:
            return p
        key = _by_ref(p, kind, authority, source) if p.refs else _by_name(p, kind, authority)
        return replace(p, entity_key=key) if key else p

    letter.senders = [q for q in (link(p, "person") for p in letter.senders) if q]
    letter.recipients = [q for q in (link(p, "person") for p in letter.recipients) if q]
    letter.carrier = link(letter.carrier, "person")
    letter.sent_place = link(letter.sent_place, "place")
    letter.received_place = link(letter.received_place, "place")
    return letter


def _by_ref(p: Party, kind: str, authority: Authority, source: str) -> str | None:
    for ref in p.refs:
        key = ref_key(kind, ref, source)
        entry = authority.get(key)
        if entry is None:
            scheme, value = key.split(":", 2)[1:]
            entry = authority.by_id(scheme, value)
        if entry is not None and entry.kind == kind:
            return entry.key
    return None


def _by_name(p: Party, kind: str, authority: Authority) -> str | None:
    found = authority.lookup(p.name, kind=kind)
    return found[0].key if len(found) == 1 else None
