"""Reasoning out a fix for a wrong date: the slips people make when they copy one.

A transcriber who types "1920" for "1930" changed one digit; one who writes "10 July" for "7
October" read a numeric date the other way round. :func:`date_slips` lists the dates such a slip
could have come from, each with the words that explain it; the rules keep those that agree with
everything else the archive knows, and suggest one only when exactly one survives.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from prinkipo.checks.registry import Suggestion
from prinkipo.dates import MONTHS, parse_date
from prinkipo.errors import UnparseableDate

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_MONTH_NAME = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.I)
_DAY = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?(?!\d)")


@dataclass(frozen=True, slots=True)
class Slip:
    """A reading of a date text that a common slip would explain."""

    text: str
    earliest: date
    latest: date
    how: str
    #: day and month read the wrong way round (not a digit of the year)
    swap: bool = False


def _parsed(text: str) -> tuple[date, date] | None:
    try:
        p = parse_date(text)
    except UnparseableDate:
        return None
    if p.earliest is None or p.latest is None:
        return None
    return p.earliest, p.latest


def date_slips(text: str) -> list[Slip]:
    """Dates ``text`` may have meant: one digit of the year changed, or day and month swapped."""
    out: list[Slip] = []
    m = _YEAR.search(text)
    if m:
        year = m.group(1)
        for i in range(4):
            for digit in "0123456789":
                if digit == year[i] or (i == 0 and digit == "0"):
                    continue
                new_year = year[:i] + digit + year[i + 1 :]
                new = text[: m.start()] + new_year + text[m.end() :]
                bounds = _parsed(new)
                if bounds:
                    out.append(Slip(new, *bounds, f"a one-digit slip ({year} → {new_year})"))
    swapped = swap_day_month(text)
    if swapped:
        bounds = _parsed(swapped)
        if bounds:
            out.append(Slip(swapped, *bounds, "day and month read the wrong way round", swap=True))
    return out


def swap_day_month(text: str) -> str | None:
    """ "10 July 1933" → "7 October 1933" (only for English month names and days up to 12)."""
    mm = _MONTH_NAME.search(text)
    if not mm:
        return None
    month = MONTHS[mm.group(1).lower()]
    rest = text[: mm.start()] + "\0" * len(mm.group(0)) + text[mm.end() :]
    dm = next((d for d in _DAY.finditer(rest) if int(d.group(1)) <= 31), None)
    if dm is None:
        return None
    day = int(dm.group(1))
    if day > 12 or day == month or month > 31:
        return None
    new_month = calendar.month_name[day]
    if mm.group(1)[0].islower():
        new_month = new_month.lower()
    pieces = [(dm.start(1), dm.end(1), str(month)), (mm.start(), mm.end(), new_month)]
    out = text
    for start, end, value in sorted(pieces, reverse=True):
        out = out[:start] + value + out[end:]
    return out


def overlaps(lo1: date, hi1: date, lo2: date, hi2: date) -> bool:
    return lo1 <= hi2 and lo2 <= hi1


def slips_into(text: str, lo: date, hi: date) -> list[Slip]:
    """The slips of ``text`` that fall in ``lo`` – ``hi`` (a folder's year or month). Where a
    winter spans two years, two slips may touch one year ("Winter 1957" and "Winter 1958" both
    reach into 1958, "Winter 1959" too); the one that names the window's year is meant."""
    fixes = [s for s in date_slips(text) if overlaps(s.earliest, s.latest, lo, hi)]
    if len(fixes) > 1 and lo.year == hi.year:
        naming = [s for s in fixes if str(lo.year) in _YEAR.findall(s.text)]
        if len(naming) == 1:
            return naming
    return fixes


def human(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def slip_fix(
    field: str,
    old: str,
    keep: Callable[[Slip], bool],
    reason: Callable[[Slip], str],
    confidence: float,
    prefer: Callable[[Slip], bool] | None = None,
) -> Suggestion | None:
    """The fix for the date ``old`` (in ``field``) when exactly one of its slips passes ``keep``
    (or, of several, exactly one passes ``prefer``): that slip, with ``reason(slip)`` as why;
    None when no slip, or more than one, does."""
    fitting = [s for s in date_slips(old) if keep(s)]
    if len(fitting) > 1 and prefer is not None:
        fitting = [s for s in fitting if prefer(s)]
    if len(fitting) != 1:
        return None
    x = fitting[0]
    return Suggestion(field, x.text, reason(x), old=old, confidence=confidence)
