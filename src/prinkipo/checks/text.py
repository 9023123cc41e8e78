"""Rules on the text itself: mojibake, duplicates, footnote anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prinkipo.checks.facts import FILE_FINGERPRINT, ArchiveFacts, DocFacts
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

# UTF-8 bytes read as cp1252/latin-1: a lead byte (Â-ï) followed by continuation bytes as they look
# in cp1252 (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ, NBSP, ¡-¿).
_CONT = (
    "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d"
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e"
    "\u0178\u00a0-\u00bf\x80-\x9f"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|\u00e2\u20ac(?![{_CONT}])|\ufffd+"
    f"|(?<![^\\W\\d_])\u00c2(?=\\s|$)"
)
#: "Â" standing alone: a no-break space (C2 A0) read as Windows-1252 is "Â" and a no-break
#: space, and the space is often dropped or turned into a plain one ("Â" begins words only)
_LONE_C2 = "\u00c2"
#: "â€" alone: the bytes of ” (E2 80 9D) read as Windows-1252, which has no character for 9D, so
#: a decoder that drops what it cannot map leaves the first two
_LOST_9D = "\u00e2\u20ac"
#: what a repaired character may be: Latin, Greek, Cyrillic letters, general punctuation
_PLAUSIBLE = re.compile(r"^[\u00a0-\u024f\u0370-\u04ff\u2010-\u206f\u20ac]+$")
#: a cheap first look: no lead byte look-alike and no replacement character, no mojibake
_SUSPECT = re.compile("[\u00c2-\u00ef\ufffd]")
_CONT_CHARS = frozenset(
    chr(c)
    for c in [*range(0x80, 0xC0)]
    + [ord(x) for x in "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"]
    + [ord(x) for x in "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"]
    + [ord(x) for x in "\u0161\u203a\u0153\u017e\u0178"]
)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """The mojibake matches in ``text``: a scan for the rare lead characters, then a closer look
    (a character-class regex over the whole text is several times slower)."""
    end = -1
    for lead in _SUSPECT.finditer(text):
        at = lead.start()
        if at < end:
            continue
        after = text[at + 1 : at + 2]
        if lead.group(0) not in ("\ufffd", _LONE_C2) and after not in _CONT_CHARS:
            continue
        m = _MOJIBAKE.match(text, at)
        if m:
            end = m.end()
            yield m


_FOOTNOTE_ANCHOR = re.compile(r"\[(\d{1,3})\]")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
#: what comes before a bracketed number that is not a note mark: a month, for an editor's day
#: in a date ("July [19] 1870", "June [13]"), or a page count in a bibliography ("pp. 8+[1]",
#: "pp. [174]")
_BEFORE_A_DAY = re.compile(rf"\b(?:{_MONTHS})\s+$", re.I)
_BEFORE_PAGES = re.compile(r"(?:\+|\bpp?\.)\s*$")
#: a paragraph heading the notes at the end of a text ("Notes", "Footnote", "Editorial Notes",
#: "Notas", "Anmerkungen")
_NOTES_HEADING = re.compile(
    r"^\s*(?:\w+\s+)?(?:foot|end)?(?:notes?|notas?|anmerkungen)\s*:?\s*$", re.I
)
#: a note as a numbered paragraph under that heading ("1. Chas. O. Sherman was …")
_NUMBERED = re.compile(r"^\s*\[?(\d{1,3})[\].)]\s")


def repair(s: str) -> str | None:
    """The characters mojibake ``s`` was meant to be, if re-reading its bytes as UTF-8 gives any."""
    if s == _LOST_9D:
        return "\u201d"
    if s == _LONE_C2:
        return "\u00a0"
    for raw in (_sloppy_cp1252(s), _latin1(s)):
        try:
            fixed = raw.decode("utf-8") if raw is not None else None
        except UnicodeError:
            continue
        if fixed is not None and _PLAUSIBLE.match(fixed):
            return fixed
    return None


def _sloppy_cp1252(s: str) -> bytes | None:
    """``s`` as Windows-1252 bytes, where the five bytes it has no character for (81, 8D, 8F,
    90, 9D) were read as the control characters of the same number, as browsers read them."""
    out = bytearray()
    for c in s:
        try:
            out += c.encode("cp1252")
        except UnicodeEncodeError:
            if not "\x80" <= c <= "\x9f":
                return None
            out.append(ord(c))
    return bytes(out)


def _latin1(s: str) -> bytes | None:
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return None


@rule("mojibake", "warning")
def mojibake(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """Characters garbled by reading UTF-8 bytes as Windows-1252 ("â€™" for "’"), or lost (�).

    Each sequence found is re-read as UTF-8; only those that become ordinary letters or
    punctuation count, so "Fuß“" (real German) is left alone. The suggestion is the repaired text.
    """
    text = archive.texts.get(doc.id, "")
    if text.isascii():
        return
    hits: list[tuple[re.Match[str], str | None]] = []
    for m in _candidates(text):
        if m.group(0)[0] == "\ufffd":
            hits.append((m, None))
            continue
        fixed = repair(m.group(0))
        if fixed is not None:
            hits.append((m, fixed))
    if not hits:
        return
    first, fixed = hits[0]
    shown = ", ".join(sorted({m.group(0) for m, _ in hits})[:6])
    suggestion = None
    if fixed is not None:
        suggestion = Suggestion(
            "text",
            fixed,
            f"the bytes of {first.group(0)!r} read as UTF-8 are {fixed!r}; the file was decoded "
            f"as {doc.encoding or 'another encoding'} somewhere along the way",
            old=first.group(0),
            confidence=0.9,
        )
    yield mojibake.finding(
        doc,
        f"{len(hits)} garbled character sequence{'s' if len(hits) > 1 else ''} in the text "
        f"({shown})",
        tuple(Evidence("text", m.group(0), m.start(), m.end()) for m, _ in hits[:5]),
        suggestion,
    )


@rule("duplicate-text", "warning")
def duplicate_text(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The same text as another document, read from a different file.

    Texts are compared paragraph for paragraph as read (at least 200 letters); a shorter text
    (an index page) by the file's bytes. The first file (by id) is taken as the original; each
    later one is reported, naming it.
    """
    fp = archive.fingerprints.get(doc.id)
    if fp is None:
        return
    same = archive.by_fingerprint.get(fp, [])
    if len(same) < 2 or same[0] == doc.id:
        return
    first = archive.docs[same[0]]
    what = "file, byte for byte," if fp.startswith(FILE_FINGERPRINT) else "text"
    yield duplicate_text.finding(
        doc,
        f"the same {what} as {first.path}"
        + (f" and {len(same) - 2} more" if len(same) > 2 else ""),
        (
            Evidence("file", doc.path, None, None),
            Evidence("file", first.path, None, None, first.path, first.id),
        ),
    )


_NOTE_LABEL = re.compile(r"^\s*\[?(\d{1,3})\*?[\].)]?(?:\s|$)")


def _footnote_labels(doc: DocFacts, body: str) -> set[str]:
    """The numbers of the record's footnotes: their labels, or the number they start with; and
    paragraphs that start with "[n]" (notes the reader kept in the body)."""
    labels: set[str] = set()
    for n in doc.notes:
        if n.kind == "editorial":
            # notes the reader took for the editor's (under a "Notes" heading): numbered ones
            # are footnotes all the same ("1. On May 19, Raveaux proposed …")
            m = _NUMBERED.match(n.text)
            labels.update([m.group(1)] if m else [])
        if n.kind != "footnote":
            continue
        label = (n.label or "").strip("[]() .*")
        m = _NOTE_LABEL.match(n.text)
        labels.update(x for x in (label, m.group(1) if m else "") if x)
    labels.update(re.findall(r"(?m)^\[(\d{1,3})\]", body))
    return labels | _notes_in_body(body)


def _notes_in_body(body: str) -> set[str]:
    """The numbers of the notes the reader kept in the body: numbered paragraphs after the
    last paragraph that heads them ("Footnote", "Notas", "Editorial Notes")."""
    paragraphs = body.split("\n")
    heads = [i for i, p in enumerate(paragraphs) if len(p) < 40 and _NOTES_HEADING.match(p)]
    if not heads:
        return set()
    return {m.group(1) for p in paragraphs[heads[-1] + 1 :] if (m := _NUMBERED.match(p))}


def _not_a_mark(body: str, mark: re.Match[str]) -> bool:
    """Whether a bracketed number is an editor's day in a date or a bibliography's page count."""
    at = mark.start()
    if _BEFORE_PAGES.search(body, max(0, at - 6), at):
        return True
    return int(mark.group(1)) <= 31 and bool(_BEFORE_A_DAY.search(body, max(0, at - 12), at))


def _linked_elsewhere(archive: ArchiveFacts, doc: DocFacts, labels: list[str]) -> set[str]:
    """Marks that link to another file (a book's notes page): their footnotes are there."""
    if archive.store is None or doc.format != "html":
        return set()
    raw = archive.store.original_bytes(doc.id)
    if raw is None:
        return set()
    html = raw.decode(doc.encoding or "utf-8", errors="replace")
    out = set()
    for label in labels:
        pattern = (
            r'<a\b[^>]*href\s*=\s*["\']?([^"\'#>\s]*)#[^>]*>\s*(?:<[^>]+>\s*)*\['
            + re.escape(label)
            + r"\]"
        )
        m = re.search(pattern, html, re.I)
        if m and m.group(1):
            out.add(label)
    return out


@rule("footnote-anchor-missing", "warning")
def footnote_anchor_missing(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A footnote mark in the text ("[3]") with no footnote of that number in the record.

    Footnotes are matched by their label or the number they start with; a mark that links to
    another page (a book's separate notes page) is not missing. With no footnotes at all, only
    a run of marks starting at [1] is taken for footnote marks (a lone "[4]" is often an
    editor's or a citation's).
    """
    body = archive.paragraphs.get(doc.id, "")
    marks = {
        m.group(1)
        for m in _FOOTNOTE_ANCHOR.finditer(body)
        if m.start() and body[m.start() - 1] != "\n" and not _not_a_mark(body, m)
    }
    if not marks:
        return
    labels = _footnote_labels(doc, body)
    missing = sorted(marks - labels, key=int)
    if not missing or (not labels and "1" not in marks):
        return
    missing = [x for x in missing if x not in _linked_elsewhere(archive, doc, missing)]
    if not missing:
        return
    notes = [n for n in doc.notes if n.kind == "footnote"]
    text = archive.texts.get(doc.id, "")
    evidence = []
    for label in missing[:5]:
        at = text.find(f"[{label}]")
        evidence.append(
            Evidence(
                "text",
                f"[{label}]",
                at if at >= 0 else None,
                at + len(label) + 2 if at >= 0 else None,
            )
        )
    yield footnote_anchor_missing.finding(
        doc,
        f"footnote mark{'s' if len(missing) > 1 else ''} "
        + ", ".join(f"[{x}]" for x in missing[:10])
        + (" …" if len(missing) > 10 else "")
        + f" with no footnote ({len(notes)} footnotes in the record)",
        evidence,
    )
