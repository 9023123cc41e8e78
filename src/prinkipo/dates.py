"""Historical date strings → EDTF, with earliest/latest Gregorian days.

Archive headers write dates the way people do: "5 January 1930.", "March 1, 1918", "Summer 1850",
"c. 1650", "[1850?]", "4-8 September 1915", "1936–37", "not before 1928",
"13 (26) March 1917",
"25 October 1917 (O.S.)". :func:`parse_date` reads one such string and returns a :class:`ParsedDate`
that keeps the text as written, the EDTF (ISO 8601-2) form, the earliest and latest Gregorian day it
can mean, and the Julian reading of an Old Style date.

Choices, and why:

* The natural-language forms are read by the regular expressions below (a fast path: a few µs a
  date). Strings already in EDTF syntax that the fast path does not cover (intervals, ``193X``,
  seasons as ``1930-21``) go to the ``edtf`` library, behind a cache, because it is the reference
  implementation of the standard and costs milliseconds a parse.
* Old Style dates are converted with ``convertdate``'s Julian calendar; the EDTF and the bounds are
  Gregorian (EDTF has no calendar marker); the Julian reading is kept in ``ParsedDate.julian``.
  A dual date ("13 (26) March 1917") is checked: both halves must name the same day.
* ``earliest``/``latest`` are the bounds of what is written. An approximate date ("c. 1650",
  ``1650~``) is widened by one unit of its precision each side, so a filter on 1649 still finds it;
  an uncertain one ("1850?") is not widened: it is flagged.
* A season is read in the northern hemisphere: spring March–May, summer June–August, autumn
  September–November, winter from December of the year before to the end of February (the archive
  writes "Winter 1917" for both ends, so the bounds cover both readings).
* A date that cannot be read, or that names a day the calendar never had ("30 February 1930"),
  raises :class:`~prinkipo.errors.UnparseableDate` quoting the input. It never becomes a wrong date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from convertdate import julian as julian_calendar

from prinkipo.errors import UnparseableDate

Precision = Literal["day", "month", "season", "year", "decade", "century"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janv januar enero gennaio январь января",
        "february feb febr februar février fevrier febrero febbraio февраль февраля",
        "march mar märz maerz mars marzo март марта",
        "april apr avril abril aprile апрель апреля",
        "may mai mayo maggio май мая",
        "june jun juni juin junio giugno июнь июня",
        "july jul juli juillet julio luglio июль июля",
        "august aug août aout agosto август августа",
        "september sep sept septembre septiembre settembre сентябрь сентября",
        "october oct oktober octobre octubre ottobre октябрь октября",
        "november nov novembre noviembre ноябрь ноября",
        "december dec dez dezember décembre decembre diciembre dicembre декабрь декабря",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

SEASONS: dict[str, int] = {
    "spring": 21,
    "summer": 22,
    "autumn": 23,
    "fall": 23,
    "winter": 24,
    "frühjahr": 21,
    "frühling": 21,
    "sommer": 22,
    "herbst": 23,
    "printemps": 21,
    "été": 22,
    "automne": 23,
    "hiver": 24,
}

_MONTH = r"(?:" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_SEASON = r"(?:" + "|".join(sorted(map(re.escape, SEASONS), key=len, reverse=True)) + r")"
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
_YEAR = r"\d{3,4}"
_DASH = r"\s*(?:-|–|—|‒|/|\bto\b|\btill\b|\buntil\b|\bbis\b|\bau\b)\s*"


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as written, read into EDTF and Gregorian bounds.

    ``earliest``/``latest`` are None where the range is open ("not before 1928") or unknowable.
    """

    text: str
    edtf: str
    earliest: date | None
    latest: date | None
    precision: Precision
    calendar: Literal["gregorian", "julian"] = "gregorian"
    #: the Old Style (Julian) reading, ISO-like ("1917-10-25"), when the source used that calendar
    julian: str | None = None
    approximate: bool = False
    uncertain: bool = False
    #: written in square brackets: supplied by an editor, not by the source
    supplied: bool = False
    #: "not-before", "not-after" or None
    qualifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's date object."""
        out: dict[str, Any] = {
            "text": self.text,
            "edtf": self.edtf,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "calendar": self.calendar,
            "precision": self.precision,
        }
        if self.julian:
            out["julian"] = self.julian
        for flag in ("approximate", "uncertain", "supplied"):
            if getattr(self, flag):
                out[flag] = True
        if self.qualifier:
            out["qualifier"] = self.qualifier
        return out


# ---------------------------------------------------------------------------------------------
# Points: one day, month, season, year or decade, before qualifiers.


@dataclass(frozen=True, slots=True)
class _Point:
    year: int
    month: int | None = None
    day: int | None = None
    season: int | None = None
    decade: bool = False
    julian: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.season is not None:
            return "season"
        return "decade" if self.decade else "year"

    def edtf(self) -> str:
        if self.decade:
            return f"{self.year // 10:03d}X"
        if self.season is not None:
            return f"{self.year:04d}-{self.season}"
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def bounds(self) -> tuple[date, date]:
        y = self.year
        if self.decade:
            return date(y, 1, 1), date(y + 9, 12, 31)
        if self.season is not None:
            first, last = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}[self.season]
            if self.season == 24:
                return date(y - 1, 12, 1), _month_end(y, 2)
            return date(y, first, 1), _month_end(y, last)
        if self.month is None:
            return date(y, 1, 1), date(y, 12, 31)
        if self.day is None:
            return date(y, self.month, 1), _month_end(y, self.month)
        day = date(y, self.month, self.day)
        return day, day


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_day(text: str, year: int, month: int, day: int, julian: bool) -> None:
    if not 1 <= month <= 12:
        raise UnparseableDate(text, f"there is no month {month}")
    last = 29 if julian and month == 2 and year % 4 == 0 else calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise UnparseableDate(text, f"{name} {year} has no day {day} (it has {last})")


def _to_gregorian(text: str, p: _Point) -> tuple[_Point, str | None]:
    """Convert an Old Style point to Gregorian; returns the point and its Julian reading."""
    if not p.julian:
        return p, None
    if p.day is None or p.month is None:
        # A month or year in Old Style covers almost the same span; keep it, say it is Julian.
        return replace(p, julian=False), p.edtf()
    y, m, d = julian_calendar.to_gregorian(p.year, p.month, p.day)
    return _Point(y, m, d), f"{p.year:04d}-{p.month:02d}-{p.day:02d}"


# ---------------------------------------------------------------------------------------------
# Reading points from text.

_POINT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})", re.I), "dmy"),
    (re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})", re.I), "mdy"),
    (re.compile(rf"(?P<m>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})", re.I), "my"),
    (re.compile(rf"(?P<s>{_SEASON}),?\s+(?:of\s+)?(?P<y>{_YEAR})", re.I), "sy"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"), "iso"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])"), "isom"),
    (re.compile(r"(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})"), "dotted"),
    (re.compile(r"(?:the\s+)?(?P<y>\d{3}0)['’]?s"), "decade"),
    (re.compile(rf"(?P<y>{_YEAR})"), "y"),
]

# Forms that need a year from elsewhere (the other end of a range).
_PARTIAL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})", re.I), "dm"),
    (re.compile(rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY})", re.I), "md"),
    (re.compile(rf"(?P<m>{_MONTH})", re.I), "m"),
    (re.compile(rf"(?P<s>{_SEASON})", re.I), "s"),
    (re.compile(rf"(?P<d>{_DAY})", re.I), "d"),
]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _point_from_match(text: str, m: re.Match[str], kind: str, julian: bool) -> _Point:
    g = m.groupdict()
    if kind == "decade":
        return _Point(int(g["y"]), decade=True)
    if kind == "sy":
        return _Point(int(g["y"]), season=SEASONS[g["s"].lower()])
    year = int(g["y"])
    if year == 0:
        raise UnparseableDate(text, "there is no year 0")
    if kind == "y":
        return _Point(year, julian=julian)
    month = int(g["m"]) if kind in ("iso", "isom", "dotted") else _month(g["m"])
    if kind == "isom" or kind == "my":
        if not 1 <= month <= 12:
            raise UnparseableDate(text, f"there is no month {month}")
        return _Point(year, month, julian=julian)
    day = _day(g["d"])
    _check_day(text, year, month, day, julian)
    return _Point(year, month, day, julian=julian)


_PART_OF = re.compile(r"^(?:early|mid|middle of|late|end of|beginning of|start of)[- ]\s*", re.I)


def _read_point(text: str, part: str, julian: bool = False) -> _Point | None:
    # "mid-1846", "early 1920": the sub-year part is not kept, the year is (it is true of it).
    part = _PART_OF.sub("", part)
    for pattern, kind in _POINT_PATTERNS:
        m = pattern.fullmatch(part)
        if m:
            return _point_from_match(text, m, kind, julian)
    return None


def _read_partial(text: str, part: str, year: int, julian: bool) -> _Point | None:
    """A point with no year of its own ("4", "September", "Spring", "18 May"), given a year."""
    for pattern, kind in _PARTIAL_PATTERNS:
        m = pattern.fullmatch(part)
        if not m:
            continue
        g = m.groupdict()
        if kind == "s":
            return _Point(year, season=SEASONS[g["s"].lower()])
        if kind == "d":
            return None  # a bare day needs a month too: handled by the day-range patterns
        month = _month(g["m"])
        if kind == "m":
            return _Point(year, month, julian=julian)
        day = _day(g["d"])
        _check_day(text, year, month, day, julian)
        return _Point(year, month, day, julian=julian)
    return None


# ---------------------------------------------------------------------------------------------
# Qualifiers around the date.

_APPROX_PREFIX = re.compile(
    r"^(?:c\.|ca\.?|circa|approx\.?|approximately|about|around|um|vers|hacia|probably)\s*", re.I
)
_OLD_STYLE = re.compile(
    r"\s*[\(\[,]?\s*(?:O\.\s?S\.|Old Style|os|a\.\s?St\.|st\.\s?v\.|ст\.\s?ст\.)\s*[\)\]]?$", re.I
)
_NEW_STYLE = re.compile(
    r"\s*[\(\[,]?\s*(?:N\.\s?S\.|New Style|n\.\s?St\.|ст\.\s?н\.)\s*[\)\]]?$", re.I
)
_NOT_BEFORE = re.compile(r"^(?:not before|after|nach|après|no earlier than|from)\s+", re.I)
_NOT_AFTER = re.compile(r"^(?:not after|before|vor|avant|no later than|by)\s+", re.I)
_BETWEEN = re.compile(
    r"^(?:between|zwischen|entre)\s+(?P<a>.+?)\s+(?:and|und|et|y)\s+(?P<b>.+)$", re.I
)
_LEADING_WORDS = re.compile(r"^(?:on|in|dated|date|am|le|el|den)\s+", re.I)
_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\.?,?\s+",
    re.I,
)
_DUAL_PAREN = re.compile(
    rf"^(?P<d1>{_DAY})\s*\((?P<d2>{_DAY})\)\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})$"
    rf"|^(?P<m_>{_MONTH})\s+(?P<d1_>{_DAY})\s*\((?P<d2_>{_DAY})\),?\s+(?P<y_>{_YEAR})$",
    re.I,
)
_DUAL_CROSS = re.compile(
    rf"^(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})\s*[\(/]\s*(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s*\)?,?\s+(?P<y>{_YEAR})$"
    rf"|^(?P<m1_>{_MONTH})\s+(?P<d1_>{_DAY})\s*[\(/]\s*(?P<m2_>{_MONTH})\s+(?P<d2_>{_DAY})\s*\)?,?\s+(?P<y_>{_YEAR})$",
    re.I,
)
_DUAL_SLASH = re.compile(
    rf"^(?P<d1>{_DAY})\s*/\s*(?P<d2>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})$", re.I
)
_DAY_RANGE = re.compile(
    rf"^(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})$"
    rf"|^(?P<m_>{_MONTH})\s+(?P<d1_>{_DAY}){_DASH}(?P<d2_>{_DAY}),?\s+(?P<y_>{_YEAR})$",
    re.I,
)
_EDTF_SUBYEAR = re.compile(r"^\d{4}-(?:2[1-9]|3\d|4[01])$")
_EDTF_SYNTAX = re.compile(r"^[\d\-X/.~?%\[\]{},+]+$")


def _clean(text: str) -> str:
    s = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    s = re.sub(r"(?<=\d),(?=\d{4}\b)", ", ", s)  # "February 25,1922"
    s = s.strip(" .;:,")
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1].strip(" .;:,")
    return s


def _wrap(qual: str, edtf_text: str) -> str:
    return edtf_text + qual if qual else edtf_text


def _widen(p: Precision, lo: date, hi: date) -> tuple[date, date]:
    if p == "day":
        return lo - timedelta(days=1), hi + timedelta(days=1)
    if p in ("month", "season"):
        lo_m = date(lo.year - (lo.month == 1), (lo.month - 2) % 12 + 1, 1)
        hi_y, hi_m = hi.year + (hi.month == 12), hi.month % 12 + 1
        return lo_m, _month_end(hi_y, hi_m)
    if p == "decade":
        return date(lo.year - 10, 1, 1), date(hi.year + 10, 12, 31)
    return date(lo.year - 1, 1, 1), date(hi.year + 1, 12, 31)


def _dual(text: str, s: str) -> ParsedDate | None:
    """Old Style / New Style pairs: "13 (26) March 1917", "October 25 (November 7), 1917"."""
    m = _DUAL_PAREN.match(s) or _DUAL_SLASH.match(s)
    if m:
        g = {k.rstrip("_"): v for k, v in m.groupdict().items() if v}
        year, month = int(g["y"]), _month(g["m"])
        d1, d2 = _day(g["d1"]), _day(g["d2"])
        _check_day(text, year, month, d1, julian=True)
        gy, gm, gd = julian_calendar.to_gregorian(year, month, d1)
        if (gm, gd) == (month, d2) or (gd == d2 and gm == month % 12 + 1):
            return _julian_result(text, year, month, d1, gy, gm, gd)
        if _DUAL_SLASH.match(s) and d2 == d1 + 1:
            return None  # "13/14 November 1922": a night, read as a range below
        if _DUAL_SLASH.match(s):
            return None
        raise UnparseableDate(
            text, f"Old Style {d1} is {gd} {calendar.month_name[gm]} New Style, not {d2}"
        )
    m = _DUAL_CROSS.match(s)
    if m:
        g = {k.rstrip("_"): v for k, v in m.groupdict().items() if v}
        year = int(g["y"])
        m1, m2, d1, d2 = _month(g["m1"]), _month(g["m2"]), _day(g["d1"]), _day(g["d2"])
        _check_day(text, year, m1, d1, julian=True)
        gy, gm, gd = julian_calendar.to_gregorian(year, m1, d1)
        if (gm, gd) != (m2, d2):
            raise UnparseableDate(
                text,
                f"Old Style {d1} {calendar.month_name[m1]} is {gd} {calendar.month_name[gm]} "
                f"New Style, not {d2} {calendar.month_name[m2]}",
            )
        return _julian_result(text, year, m1, d1, gy, gm, gd)
    return None


def _julian_result(text: str, y: int, m: int, d: int, gy: int, gm: int, gd: int) -> ParsedDate:
    day = date(gy, gm, gd)
    return ParsedDate(
        text=text,
        edtf=day.isoformat(),
        earliest=day,
        latest=day,
        precision="day",
        calendar="julian",
        julian=f"{y:04d}-{m:02d}-{d:02d}",
    )


def _range(text: str, s: str, julian: bool) -> tuple[_Point, _Point] | None:
    m = _DAY_RANGE.match(s)
    if m:
        g = {k.rstrip("_"): v for k, v in m.groupdict().items() if v}
        year, month = int(g["y"]), _month(g["m"])
        d1, d2 = _day(g["d1"]), _day(g["d2"])
        _check_day(text, year, month, d1, julian)
        _check_day(text, year, month, d2, julian)
        return _Point(year, month, d1, julian=julian), _Point(year, month, d2, julian=julian)
    m = _BETWEEN.match(s)
    parts = [m.group("a"), m.group("b")] if m else re.split(_DASH, s, maxsplit=1)
    if len(parts) != 2:
        return None
    a_text, b_text = parts[0].strip(" ,"), parts[1].strip(" ,")
    b = _read_point(text, b_text, julian)
    if b is None and re.fullmatch(r"\d{2}", b_text):
        a0 = _read_point(text, a_text, julian)
        if a0 is not None and a0.precision == "year":
            b = _Point(a0.year // 100 * 100 + int(b_text), julian=julian)
    if b is None:
        return None
    a = _read_point(text, a_text, julian) or _read_partial(text, a_text, b.year, julian)
    if a is None and re.fullmatch(_DAY, a_text) and b.day is not None:
        a = _Point(b.year, b.month, _day(a_text), julian=julian)
        _check_day(text, a.year, a.month or 1, a.day or 1, julian)
    if a is None:
        return None
    return a, b


@lru_cache(maxsize=4096)
def _parse_edtf_syntax(text: str, s: str) -> ParsedDate:
    """Strings already in EDTF syntax: the reference library reads them."""
    from edtf import parse_edtf  # imported here: it costs ~100 ms at import time
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(s)
    except EDTFParseException as err:
        raise UnparseableDate(text, "not a date this archive reads, nor valid EDTF") from err

    def to_date(value: Any) -> date | None:
        if isinstance(value, float):  # ±inf: an open end
            return None
        return date(value.tm_year, value.tm_mon, value.tm_mday)

    try:
        lo, hi = to_date(parsed.lower_strict()), to_date(parsed.upper_strict())
    except (ValueError, OverflowError) as err:
        raise UnparseableDate(text, "its bounds are not real days") from err
    if lo and hi and lo > hi:
        raise UnparseableDate(text, "it ends before it begins")
    precision: Precision = "day" if s.count("-") >= 2 and "/" not in s else "year"
    if "X" in s:
        precision = "decade" if s.endswith("X") and s.count("X") == 1 else "century"
    return ParsedDate(
        text=text,
        edtf=str(parsed),
        earliest=lo,
        latest=hi,
        precision=precision,
        approximate="~" in s or "%" in s,
        uncertain="?" in s or "%" in s,
    )


def parse_date(text: str) -> ParsedDate:
    """Read one historical date string.

    :param text: the date as written ("5 January 1930.", "c. 1650", "13 (26) March 1917").
    :raises UnparseableDate: when it cannot be read or names a day that does not exist.
    """
    return _parse_cached(text)


#: "Winter 1955–56": the one winter across the turn of those two years
_WINTER_ACROSS = re.compile(r"\b(winter),?\s+(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})$", re.I)


def names_one_winter_across_years(text: str) -> bool:
    """Whether a date is written as one winter across two years ("Winter 1955–56")."""
    return _WINTER_ACROSS.search(_clean(text)) is not None


def _one_winter(m: re.Match[str]) -> str:
    """ "Winter 1955–56" as "Winter 1956" (a winter is named by the year it ends in, see the
    module's notes); years further apart are a range, with both years in full."""
    first, second = int(m.group(2)), m.group(3)
    following = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if len(second) == 2 and following <= first and first % 100 == 99:
        following += 100  # "Winter 1999–00" (a later year written before it cannot be read)
    if following == first + 1:
        return f"{m.group(1)} {following}"
    return f"{m.group(1)} {first}–{following}"  # a span of years, read as a range


@lru_cache(maxsize=65536)
def _parse_cached(text: str) -> ParsedDate:
    if not isinstance(text, str):
        raise UnparseableDate(repr(text), "not a string")
    s = _clean(text)
    if not s:
        raise UnparseableDate(text, "it is empty")
    if len(s) > 120:
        raise UnparseableDate(text[:120] + "…", "too long to be one date")

    s = _WINTER_ACROSS.sub(_one_winter, s)
    supplied = False
    if s.startswith("[") and s.endswith("]"):
        supplied, s = True, _clean(s[1:-1])
    approximate = uncertain = False
    if s.endswith("(?)") or s.endswith("?"):
        uncertain, s = True, _clean(s.removesuffix("(?)").removesuffix("?"))
    if s.endswith("~"):
        approximate, s = True, _clean(s[:-1])
    s = _WEEKDAY.sub("", _LEADING_WORDS.sub("", s))
    m = _APPROX_PREFIX.match(s)
    if m:
        approximate, s = True, _clean(s[m.end() :])
    if s.startswith("[") and s.endswith("]"):
        supplied, s = True, _clean(s[1:-1])

    julian = False
    if _OLD_STYLE.search(s):
        julian, s = True, _clean(_OLD_STYLE.sub("", s))
    elif _NEW_STYLE.search(s):
        s = _clean(_NEW_STYLE.sub("", s))

    qualifier = None
    for pattern, name in ((_NOT_BEFORE, "not-before"), (_NOT_AFTER, "not-after")):
        m = pattern.match(s)
        if m:
            qualifier, s = name, _clean(s[m.end() :])
            break

    result = _read(text, s, julian, approximate, uncertain)
    if qualifier == "not-before":
        result = replace(result, edtf=f"{result.edtf.split('/')[0]}/..", latest=None)
    elif qualifier == "not-after":
        result = replace(result, edtf=f"../{result.edtf.split('/')[-1]}", earliest=None)
    return replace(result, supplied=supplied, qualifier=qualifier)


def _read(text: str, s: str, julian: bool, approximate: bool, uncertain: bool) -> ParsedDate:
    qual = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    if not julian:
        dual = _dual(text, s)
        if dual is not None:
            return replace(dual, approximate=approximate, uncertain=uncertain)

    point = _read_point(text, s, julian)
    if point is not None:
        point, julian_text = _to_gregorian(text, point)
        lo, hi = point.bounds()
        if approximate:
            lo, hi = _widen(point.precision, lo, hi)
        return ParsedDate(
            text=text,
            edtf=_wrap(qual, point.edtf()),
            earliest=lo,
            latest=hi,
            precision=point.precision,
            calendar="julian" if julian else "gregorian",
            julian=julian_text,
            approximate=approximate,
            uncertain=uncertain,
        )

    if _EDTF_SUBYEAR.match(s):
        return _parse_edtf_syntax(text, s + qual)

    pair = _range(text, s, julian)
    if pair is not None:
        (a, ja), (b, jb) = _to_gregorian(text, pair[0]), _to_gregorian(text, pair[1])
        lo, hi = a.bounds()[0], b.bounds()[1]
        if lo > hi:
            raise UnparseableDate(text, "it ends before it begins")
        if approximate:
            lo, hi = _widen(a.precision, lo, hi)
        precision = a.precision if a.precision == b.precision else "year"
        return ParsedDate(
            text=text,
            edtf=f"{_wrap(qual, a.edtf())}/{_wrap(qual, b.edtf())}",
            earliest=lo,
            latest=hi,
            precision=precision,
            calendar="julian" if julian else "gregorian",
            julian=f"{ja}/{jb}" if ja and jb else None,
            approximate=approximate,
            uncertain=uncertain,
        )

    if _EDTF_SYNTAX.match(s) and re.search(r"\d{3}", s):
        parsed = _parse_edtf_syntax(text, s + qual)
        return parsed
    raise UnparseableDate(text, "no day, month or year this archive can read")


# ---------------------------------------------------------------------------------------------
# Finding a date inside a longer string ("The Militant, Vol. III No. 9, 1 March 1920, p. 4.").

_FIND = re.compile(
    rf"(?:(?:c\.|ca\.|circa)\s*)?"
    rf"(?:"
    rf"{_DAY}\s*\({_DAY}\)\s+{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+{_DAY}\s*\({_DAY}\),?\s+{_YEAR}"
    rf"|{_DAY}\s+{_MONTH}{_DASH}{_DAY}\s+{_MONTH},?\s+{_YEAR}"  # 27 July–7 August 1930
    rf"|{_MONTH}\s+{_DAY}{_DASH}{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # July 27–August 7, 1930
    rf"|{_DAY}(?:{_DASH}{_DAY})?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+{_DAY}(?:{_DASH}{_DAY})?(?:,\s*|\s+){_YEAR}"
    rf"|(?:{_MONTH}{_DASH})?{_MONTH},?\s+{_YEAR}"
    rf"|winter,?\s+\d{{4}}\s*[-–—/]\s*(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_SEASON},?\s+{_YEAR}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?<![\d.])\d{{4}}(?:\s*[-–]\s*(?:\d{{4}}|\d{{2}}))?(?![\d])"
    rf")"
    rf"(?:\s*\((?:O\.\s?S\.|N\.\s?S\.|Old Style|New Style)\))?",
    re.I,
)


#: an issue number just before a day-like number: "No.1 February 1977" is issue 1 of February
_ISSUE_NO = re.compile(r"\b(?:No|Nr|Nos)\.?\s*$|#\s*$", re.I)


def find_date(text: str) -> tuple[ParsedDate, int, int] | None:
    """The first readable date inside ``text``, with its character span; None if there is none.

    A stretch led by a number that is no day ("Pamphlet 54. July 1978") is searched again from
    its next character, so the date after the number is found ("July 1978"), as it is after a
    number right after "No.", an issue's ("No.1 February 1977" is February 1977); a day the
    month does not have ("31 February 1920") is a slip, and nothing inside it is taken."""
    pos = 0
    while (m := _FIND.search(text, pos)) is not None:
        at, pos = m.start(), m.end()
        lead = re.match(r"\d\d?(?!\d)", m.group(0))
        if lead and (int(lead.group(0)) > 31 or _ISSUE_NO.search(text, max(0, at - 5), at)):
            pos = at + len(lead.group(0))  # a number, not a day: look again after it
            continue
        if at > 0 and text[at - 1].isalpha():
            continue
        try:
            return parse_date(m.group(0)), at, m.end()
        except UnparseableDate:
            continue
    return None
