"""A periodical's volume and issue numbers against its dates, learnt from its other records.

A periodical numbers its volumes and issues in order of time: The Militant's Vol. III is 1930,
and its No. 46 comes after its No. 40. The archive holds many records citing the same periodical,
so what a volume or an issue number should mean is learnt from *the other* records (never from
the record under check). Only agreeing records are used: a volume's records are kept when at least
three of them lie within about a year of their median date, so one wrong record cannot make its
correct neighbours look wrong. With too few records, the curated authority's founding year stands
in (yearly volumes from the founding year), and the finding says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from prinkipo.checks.facts import (
    ArchiveFacts,
    DocFacts,
    Issue,
    issue_number,
    periodical_key,
    volume_number,
)
from prinkipo.checks.fixes import Slip, date_slips, human, overlaps
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

#: how far apart two records of one volume may lie (a volume is about a year)
VOLUME_SPAN = timedelta(days=400)
#: slack around the dates of neighbouring issue numbers (weeklies dated on the cover vs printed)
ISSUE_SLACK = timedelta(days=10)


@dataclass(frozen=True, slots=True)
class Expectation:
    """Where a volume (or issue) should lie in time, and what says so."""

    lo: date
    hi: date
    basis: str
    evidence: tuple[Evidence, ...]
    learnt: bool


def _issue_evidence(issues: list[Issue], limit: int = 3) -> tuple[Evidence, ...]:
    return tuple(
        Evidence("Source", i.source_text, None, None, i.path, i.document_id) for i in issues[:limit]
    )


def _agreeing(issues: list[Issue]) -> list[Issue]:
    """The records of one volume that lie within a volume's span of their median date."""
    if len(issues) < 3:
        return []
    median = date.fromordinal(int(statistics.median(i.mid.toordinal() for i in issues)))
    kept = [i for i in issues if abs(i.mid - median) <= VOLUME_SPAN]
    return sorted(kept, key=lambda i: (i.mid, i.number or 0)) if len(kept) >= 3 else []


def _out_of_order(a: Issue, b: Issue) -> bool:
    assert a.number is not None and b.number is not None
    if a.number == b.number:
        return abs(a.mid - b.mid) > ISSUE_SLACK
    first, second = (a, b) if a.number < b.number else (b, a)
    return first.earliest > second.latest + ISSUE_SLACK


def _in_order(issues: list[Issue]) -> list[Issue]:
    """The issues that are in order with every other one (a wrong record and those it
    contradicts are all left out, so it cannot make its correct neighbours look wrong)."""
    return [a for a in issues if not any(_out_of_order(a, b) for b in issues if b is not a)]


def volume_expectation(
    archive: ArchiveFacts, name: str, volume: int, volume_text: str, document_id: int
) -> Expectation | None:
    """Where ``volume`` of periodical ``name`` lies, from other records, else the authority."""
    key = periodical_key(name)
    if key is None:
        return None
    same = [i for i in archive.periodicals.others(key, document_id) if i.volume == volume]
    kept = _agreeing(same)
    if kept:
        lo, hi = min(i.earliest for i in kept), max(i.latest for i in kept)
        basis = (
            f"{len(kept)} other records of {name} put Vol. {volume_text} between "
            f"{human(lo)} and {human(hi)}"
        )
        return Expectation(
            hi - VOLUME_SPAN, lo + VOLUME_SPAN, basis, _issue_evidence(kept), learnt=True
        )
    auth = archive.authority_periodicals.get(key)
    if auth is not None and auth.founded is not None:
        first, last = auth.founded + volume - 2, auth.founded + volume
        basis = (
            f"the curated authority has {auth.name} founded in {auth.founded}; with yearly volumes "
            f"Vol. {volume_text} falls in {first}–{last} (no other records of it in the archive "
            "to learn from)"
        )
        if auth.note:
            basis += f"; its note: “{auth.note}”"
        return Expectation(
            date(max(first, auth.founded), 1, 1), date(last, 12, 31), basis, (), learnt=False
        )
    return None


def issue_expectation(
    archive: ArchiveFacts, name: str, volume: int, number: int, document_id: int
) -> Expectation | None:
    """Between the dates of the nearest lower and higher issue numbers of the same volume."""
    key = periodical_key(name)
    if key is None:
        return None
    same = [i for i in archive.periodicals.others(key, document_id) if i.volume == volume]
    kept = _in_order([i for i in _agreeing(same) if i.number is not None])
    if len(kept) < 2:
        return None
    lower = [i for i in kept if i.number is not None and i.number < number]
    upper = [i for i in kept if i.number is not None and i.number > number]
    equal = [i for i in kept if i.number == number]
    if equal:
        lo = min(i.earliest for i in equal) - ISSUE_SLACK
        hi = max(i.latest for i in equal) + ISSUE_SLACK
        used = equal
    else:
        if not lower and not upper:
            return None
        below = max(lower, key=lambda i: (i.number or 0, i.earliest)) if lower else None
        above = min(upper, key=lambda i: (i.number or 0, i.latest)) if upper else None
        lo = below.earliest - ISSUE_SLACK if below else date.min
        hi = above.latest + ISSUE_SLACK if above else date.max
        used = [i for i in (below, above) if i is not None]
    shown = ", ".join(f"No. {i.number} is {i.date_text}" for i in used)
    basis = f"in the other records of {name} Vol. {used[0].volume_text}, {shown}"
    return Expectation(lo, hi, basis, _issue_evidence(used), learnt=True)


def _source_parts(doc: DocFacts) -> tuple[str, int, str, int | None] | None:
    s = doc.source
    if s is None or s.periodical is None:
        return None
    vol = volume_number(s.volume)
    if vol is None:
        return None
    return s.periodical, vol, s.volume or "", issue_number(s.number)


def _fitting_slips(
    text: str, expect: Expectation, not_before: date | None, today: date
) -> list[Slip]:
    return [
        s
        for s in date_slips(text)
        if overlaps(s.earliest, s.latest, expect.lo, expect.hi)
        and (not_before is None or s.latest >= not_before)
        and s.earliest <= today
    ]


def _volume_for_date(
    archive: ArchiveFacts, name: str, day_lo: date, day_hi: date, document_id: int
) -> str | None:
    """The one volume whose agreeing records lie around this date, if exactly one."""
    key = periodical_key(name)
    if key is None:
        return None
    by_volume: dict[int, list[Issue]] = {}
    for i in archive.periodicals.others(key, document_id):
        by_volume.setdefault(i.volume, []).append(i)
    hits = []
    for issues in by_volume.values():
        kept = _agreeing(issues)
        if kept and overlaps(
            day_lo, day_hi, min(i.earliest for i in kept), max(i.latest for i in kept)
        ):
            hits.append(kept[0].volume_text)
    return hits[0] if len(hits) == 1 else None


@rule("volume-date-mismatch", "warning")
def volume_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A periodical's volume number does not agree with the date of the issue cited.

    What each volume of a periodical means in time is learnt from the archive's other records
    of the same periodical (or, with none, from the authority's founding year). The suggestion is
    the date a one-digit or day/month slip would give inside the volume's time, else the volume
    the other records put at that date.
    """
    parts = _source_parts(doc)
    sd = doc.dates.get("source")
    if parts is None or sd is None or sd.earliest is None or sd.latest is None:
        return
    name, vol, vol_text, _ = parts
    expect = volume_expectation(archive, name, vol, vol_text, doc.id)
    if expect is None or overlaps(sd.earliest, sd.latest, expect.lo, expect.hi):
        return
    assert doc.source is not None
    written = doc.dates.get("written")
    slips = _fitting_slips(sd.text, expect, written.earliest if written else None, archive.today)
    suggestion = None
    if len(slips) == 1:
        s = slips[0]
        suggestion = Suggestion(
            sd.field,
            s.text,
            f"{s.how} gives {s.text}, which agrees with Vol. {vol_text}: {expect.basis}",
            old=sd.text,
            confidence=0.8 if expect.learnt else 0.6,
        )
    else:
        other = _volume_for_date(archive, name, sd.earliest, sd.latest, doc.id)
        if other and other != vol_text:
            suggestion = Suggestion(
                sd.field,
                f"Vol. {other}",
                f"the other records of {name} dated around {sd.text} are in Vol. {other}",
                old=f"Vol. {vol_text}",
                confidence=0.6,
            )
    yield volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} is dated {sd.text.rstrip(' .;,')}, but {expect.basis}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            *expect.evidence,
        ),
        suggestion,
    )


@rule("issue-date-mismatch", "warning")
def issue_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """An issue number is out of order with its date among the same volume's other issues.

    Within one volume, a higher issue number never comes earlier: the date cited must lie between
    the dates of the nearest lower and higher numbers in the archive's other records (ten days'
    slack). Catches a day and month read the wrong way round, which the volume alone cannot.
    """
    parts = _source_parts(doc)
    sd = doc.dates.get("source")
    if parts is None or sd is None or sd.earliest is None or sd.latest is None:
        return
    name, vol, vol_text, number = parts
    if number is None:
        return
    vol_expect = volume_expectation(archive, name, vol, vol_text, doc.id)
    if vol_expect and not overlaps(sd.earliest, sd.latest, vol_expect.lo, vol_expect.hi):
        return  # the volume rule has it
    expect = issue_expectation(archive, name, vol, number, doc.id)
    if expect is None or overlaps(sd.earliest, sd.latest, expect.lo, expect.hi):
        return
    assert doc.source is not None
    slips = _fitting_slips(sd.text, expect, None, archive.today)
    suggestion = None
    if len(slips) == 1:
        s = slips[0]
        suggestion = Suggestion(
            sd.field,
            s.text,
            f"{s.how} gives {s.text}, which fits No. {doc.source.number}: {expect.basis}",
            old=sd.text,
            confidence=0.7,
        )
    yield issue_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} No. {doc.source.number} is dated {sd.text.rstrip(' .;,')}, "
        f"out of order: {expect.basis}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            *expect.evidence,
        ),
        suggestion,
    )
