"""Small pure helpers that shape library data for the templates (no HTML is built here).

Templates escape every string; these functions only cut text into pieces and compute numbers, so a
document's text can never become markup.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, NamedTuple


class Segment(NamedTuple):
    """A piece of a paragraph: plain text, or the text of one mention (a tuple: the page's
    template unpacks it)."""

    text: str
    mention: dict[str, Any] | None = None
    #: the mention's tooltip: entity, kind, method, confidence (plain text; the page escapes it)
    title: str = ""


def mention_title(m: dict[str, Any]) -> str:
    """What hovering a mention says: "Yakov Blumkin (person) · authority · confidence 0.93"."""
    if not m.get("entity_id"):
        return f"{m['kind']} · {m['method']}"
    out = f"{m.get('entity_name') or m['text']} ({m['kind']}) · {m['method']}"
    if m["confidence"] is not None:
        out += f" · confidence {m['confidence']:.2f}"
    return out


def paragraph_segments(paragraph: dict[str, Any], mentions: list[dict[str, Any]]) -> list[Segment]:
    """Cut a paragraph into plain and mentioned pieces.

    Mention offsets are file offsets (as the paragraph's ``start``); a mention that falls outside
    the paragraph, or overlaps one already placed, is left as plain text rather than mangled.
    """
    ordered = sorted(
        (m for m in mentions if m["start"] is not None and m["end"] is not None),
        key=lambda m: (m["start"], -m["end"]),
    )
    return _cut(paragraph, ordered, 0, len(ordered))


def document_segments(
    paragraphs: list[dict[str, Any]], mentions: list[dict[str, Any]]
) -> dict[int, list[Segment]]:
    """:func:`paragraph_segments` for every paragraph of a document, sorting the mentions once
    (a long text with thousands of mentions is cut in n log n, not paragraphs × mentions)."""
    ordered = sorted(
        (m for m in mentions if m["start"] is not None and m["end"] is not None),
        key=lambda m: (m["start"], -m["end"]),
    )
    starts = [m["start"] for m in ordered]
    out = {}
    for p in paragraphs:
        lo = bisect_left(starts, p["start"])
        hi = bisect_left(starts, p["start"] + len(p["text"]), lo)
        out[p["n"]] = _cut(p, ordered, lo, hi)
    return out


def _cut(
    paragraph: dict[str, Any], ordered: list[dict[str, Any]], lo: int, hi: int
) -> list[Segment]:
    """Cut one paragraph at the mentions ``ordered[lo:hi]`` (sorted by start, longest first)."""
    text, base = paragraph["text"], paragraph["start"]
    inside = [m for m in ordered[lo:hi] if base <= m["start"] < m["end"] <= base + len(text)]
    out: list[Segment] = []
    pos = 0
    for m in inside:
        start, end = m["start"] - base, m["end"] - base
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], m, mention_title(m)))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def bar_widths(rows: list[dict[str, Any]], key: str = "count") -> list[dict[str, Any]]:
    """Each row with ``pct``: its share of the largest value, for a bar chart in CSS."""
    top = max((r[key] for r in rows), default=0) or 1
    return [{**r, "pct": round(100 * r[key] / top, 1)} for r in rows]


def page_links(total: int, limit: int, offset: int) -> dict[str, Any]:
    """Previous/next offsets and the range shown, for a pager."""
    return {
        "first": offset + 1 if total else 0,
        "last": min(total, offset + limit),
        "total": total,
        "prev": max(0, offset - limit) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
    }


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def human_date(d: dict[str, Any] | None) -> str:
    """A date object as a reader would say it: "5 January 1930", "c. 1850", "1917/1918"."""
    if not d:
        return ""
    edtf = d.get("edtf")
    if not edtf:
        return str(d.get("text") or "")
    if "/" in edtf:
        start, _, end = edtf.partition("/")
        a = human_date({"edtf": start}) if start not in ("", "..") else ""
        b = human_date({"edtf": end}) if end not in ("", "..") else ""
        if a and b:
            return f"{a} – {b}"
        return f"by {b}" if b else f"from {a}" if a else str(d.get("text") or "")
    core = edtf.rstrip("?~%")
    parts = core.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        out = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    elif len(parts) == 2 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        out = f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    else:
        out = core
    if d.get("approximate") or edtf.endswith(("~", "%")):
        out = "c. " + out
    if d.get("uncertain") or edtf.endswith(("?", "%")):
        out += "?"
    return out
