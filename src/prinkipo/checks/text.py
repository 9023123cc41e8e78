"""Rules on the text itself: mojibake, duplicates, footnote anchors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prinkipo.checks.facts import ArchiveFacts, DocFacts
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

# UTF-8 bytes read as cp1252/latin-1: a lead byte (Â-ï) followed by continuation bytes as they look
# in cp1252 (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ, NBSP, ¡-¿).
_CONT = (
    "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d"
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e"
    "\u0178\u00a0-\u00bf\x80-\x9f"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|\ufffd+")
#: what a repaired character may be: Latin, Greek, Cyrillic letters, general punctuation
_PLAUSIBLE = re.compile(r"^[\u00a0-\u024f\u0370-\u04ff\u2010-\u206f\u20ac]+$")
_FOOTNOTE_ANCHOR = re.compile(r"\[(\d{1,3})\]")


def repair(s: str) -> str | None:
    """The characters mojibake ``s`` was meant to be, if re-reading its bytes as UTF-8 gives any."""
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = s.encode(enc).decode("utf-8")
        except UnicodeError:
            continue
        if _PLAUSIBLE.match(fixed):
            return fixed
    return None


@rule("mojibake", "warning")
def mojibake(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """Characters garbled by reading UTF-8 bytes as Windows-1252 ("â€™" for "’"), or lost (�).

    Each sequence found is re-read as UTF-8; only those that become ordinary letters or
    punctuation count, so "Fuß“" (real German) is left alone. The suggestion is the repaired text.
    """
    text = archive.texts.get(doc.id, "")
    hits: list[tuple[re.Match[str], str | None]] = []
    for m in _MOJIBAKE.finditer(text):
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

    Texts are compared with spacing and case folded (at least 200 letters). The first file (by
    id) is taken as the original; each later one is reported, naming it.
    """
    fp = archive.fingerprints.get(doc.id)
    if fp is None:
        return
    same = archive.by_fingerprint.get(fp, [])
    if len(same) < 2 or same[0] == doc.id:
        return
    first = archive.docs[same[0]]
    yield duplicate_text.finding(
        doc,
        f"the same text as {first.path}" + (f" and {len(same) - 2} more" if len(same) > 2 else ""),
        (
            Evidence("file", doc.path, None, None),
            Evidence("file", first.path, None, None, first.path, first.id),
        ),
    )


@rule("footnote-anchor-missing", "warning")
def footnote_anchor_missing(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A footnote mark in the text ("[3]") with no footnote of that number in the record."""
    notes = [n for n in doc.notes if n.kind == "footnote"]
    labels = {(n.label or "").strip("[]() .") for n in notes}
    body = archive.paragraphs.get(doc.id, "")
    marks = {m.group(1) for m in _FOOTNOTE_ANCHOR.finditer(body)}
    if not marks:
        return
    missing = sorted(marks - labels, key=int)
    if not missing:
        return
    # With no footnotes at all, bracketed numbers are as often citations or editors' marks:
    # only a run starting at 1 is taken for footnote marks.
    if not notes and "1" not in marks:
        return
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
        + f" with no footnote ({len(notes)} footnotes in the record)",
        evidence,
    )
