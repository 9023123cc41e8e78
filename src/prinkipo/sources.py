"""Source citations: "The Militant, Vol. III No. 9, 1 March 1920, p. 4." → its parts.

The archive writes them by hand, so the parts are found by pattern, each where it stands: volume
("Vol. III", "Volume 2", "Bd. 4"), number ("No. 9", "Nr. 12", "issue 39", "#8"), pages ("p. 4",
"pp. 108–111", "S. 463-624"), the first readable date, and the periodical: the words before the
first of these. A citation with neither volume, number nor a day or month is not taken for a
periodical (it is usually a book or a publisher: "Lawrence & Wishart, London, 1937"); its words stay
in ``rest``. The raw string is always kept.
"""

from __future__ import annotations

import re
from datetime import date as _date

from prinkipo.dates import ParsedDate, find_date
from prinkipo.model import DateValue, SourceCitation

_VOLUME = re.compile(r"\b(?:Vol(?:ume)?|Bd|Band|Tome|Jg|Jahrgang)\.?\s*(?P<v>[IVXLC]+|\d+)\b", re.I)
_NUMBER = re.compile(
    r"(?:\b(?:No|Nos|Number|Nr|Num|Issue|n°|nº)\.?\s*|#\s*)(?P<n>\d+[a-z]?(?:\s*[-–/&]\s*\d+)?)\b",
    re.I,
)
_PAGES = re.compile(
    r"(?:\b(?:pp|p|pages?|S|pg)\.?\s*)(?P<p>[\dxivlc]+[a-z]?(?:\s*(?:[-–&]|,\s*(?=\d))\s*[\dxivlc]+)*)\b"
)
_BARE_ISSUE = re.compile(r"^(?P<v>[IVXLC]+|\d{1,3}),\s*(?P<n>\d{1,4})\b")
#: an archive's call number ("RGASPI, f. 325, op. 1, d. 1920, l. 3", "Box 1917, folder 12"): its
#: numbers are not years
_CALL_NUMBER = re.compile(
    r"\b(?:f|op|d|l|ll|fond|opis|delo|list|box|folder|file|item|carton|reel|bms|ms)\.?\s*\d+[a-z]?\b",
    re.I,
)
_LEAD = re.compile(
    r"^(?:(?:first\s+)?(?:published\s+)?(?:in|as|by)"
    # "A review from Fourth International", "Reprinted from Labour Monthly", "From …"
    r"|(?:an?\s+)?(?:(?:english\s+)?translation|translated|review|reprinted|extracts?|excerpts?"
    r"|taken|abridged|reproduced|copied)?\s*from)\s+",
    re.I,
)


def parse_source(value: str, offset: int = 0) -> SourceCitation:
    """Split a citation into its parts; ``offset`` is where ``value`` starts in the file."""
    text = value.strip()
    offset += len(value) - len(value.lstrip())
    cut: list[int] = [len(text)]

    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    m = _VOLUME.search(text)
    if m:
        volume = m.group("v")
        cut.append(m.start())
    m = _NUMBER.search(text)
    if m:
        number = m.group("n")
        cut.append(m.start())
    m = _PAGES.search(text)
    if m and m.start() > 0:
        pages = re.sub(r"\s+", "", m.group("p"))
        cut.append(m.start())

    date = None
    found = _source_date(text)
    if found:
        parsed, start, end = found
        cut.append(start)
        date = DateValue(
            "source", parsed.text, parsed, None, "Source", offset + start, offset + end
        )

    head = text[: min(cut)].strip(" ,;:.(")
    comma = head.find(",")
    lead = head[:comma] if comma > 0 else head
    after = head[comma + 1 :].strip() if comma > 0 else ""
    bare = _BARE_ISSUE.match(after)
    if bare and volume is None and number is None:
        volume, number = bare.group("v"), bare.group("n")
    periodical = _LEAD.sub("", lead).strip(" ,;:.") or None
    is_periodical = bool(
        volume or number or (date and date.parsed and date.parsed.precision in ("day", "month"))
    )
    rest = text if not is_periodical else (after if after and not bare else None)
    return SourceCitation(
        text=text,
        start=offset,
        end=offset + len(text),
        periodical=periodical if is_periodical else None,
        volume=volume,
        number=number,
        date=date,
        pages=pages,
        rest=rest or None,
    )


def _source_date(text: str) -> tuple[ParsedDate, int, int] | None:
    """The first readable date of a citation that is not a call number's number and not after
    this year ("bMS Russ 13.1 (8045)" is Houghton's item 8045, not a year)."""
    masked = _CALL_NUMBER.sub(lambda m: " " * len(m.group(0)), text)
    while (found := find_date(masked)) is not None:
        parsed, start, end = found
        if parsed.earliest is None or parsed.earliest.year <= _date.today().year:
            return found
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return None
