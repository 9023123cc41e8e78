"""Rules on a document's dates: against each other, the calendar, the author's life, its path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from prinkipo.checks.facts import ArchiveFacts, DateFact, DocFacts, volume_number
from prinkipo.checks.fixes import Slip, date_slips, overlaps
from prinkipo.checks.periodicals import volume_expectation
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

#: roles that say when the text was written or spoken
WRITING_ROLES = ("written", "delivered")


def _ok(d: DateFact | None) -> bool:
    return d is not None and d.earliest is not None and d.latest is not None


def _ev(d: DateFact) -> Evidence:
    text = d.text.rstrip(" .;,")
    return Evidence(d.field, text, d.start, d.start + len(text))


def _t(d: DateFact) -> str:
    return d.text.rstrip(" .;,")


def _agrees(s: Slip, d: DateFact) -> bool:
    assert d.earliest is not None and d.latest is not None
    return overlaps(s.earliest, s.latest, d.earliest, d.latest)


def _published_fix(
    doc: DocFacts, archive: ArchiveFacts, pub: DateFact, written: DateFact
) -> Suggestion | None:
    """Which one-digit or day/month slip of the published date puts it after writing."""
    assert written.earliest is not None
    slips = [
        s
        for s in date_slips(pub.text)
        if s.latest >= written.earliest and s.earliest <= archive.today
    ]
    s = doc.source
    vol = volume_number(s.volume) if s else None
    if s and s.periodical and vol is not None and pub.field == "Source":
        expect = volume_expectation(archive, s.periodical, vol, s.volume or "", doc.id)
        if expect is not None:
            fitting = [x for x in slips if overlaps(x.earliest, x.latest, expect.lo, expect.hi)]
            if len(fitting) == 1:
                x = fitting[0]
                return Suggestion(
                    pub.field,
                    x.text,
                    f"{x.how} gives a date after writing that agrees with Vol. {s.volume} of "
                    f"{s.periodical}: {expect.basis}",
                    old=pub.text,
                    confidence=0.85 if expect.learnt else 0.7,
                )
            return None
    if not slips:
        return None
    nearest = min(slips, key=lambda x: x.earliest)
    if (nearest.earliest - written.earliest).days > 3 * 366:
        return None
    return Suggestion(
        pub.field,
        nearest.text,
        f"{nearest.how} gives the nearest date after writing ({written.text}); nothing else in "
        "the record confirms it",
        old=pub.text,
        confidence=0.4,
    )


def _written_fix(doc: DocFacts, written: DateFact, pub: DateFact) -> Suggestion | None:
    """A slip of the written date that puts it before publication and agrees with the others."""
    assert pub.latest is not None
    others = [d for r, d in doc.dates.items() if r in ("dateline", "note") and _ok(d)]
    slips = [s for s in date_slips(written.text) if s.earliest <= pub.latest]
    fitting = [s for s in slips if others and all(_agrees(s, d) for d in others)]
    if len(fitting) != 1:
        return None
    x = fitting[0]
    said = " and ".join(f"the {d.role} ({_t(d)})" for d in others)
    return Suggestion(
        written.field,
        x.text,
        f"{x.how} gives a date before publication that agrees with {said}",
        old=written.text,
        confidence=0.7,
    )


@rule("published-before-written", "error")
def published_before_written(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The date of publication is before the date of writing (or of delivery).

    A text cannot be printed before it was written. Which of the two is wrong is reasoned out:
    the published date is suspect when it disagrees with what the periodical's volume says (learnt
    from other records, else the authority), the written date when the dateline or closing note
    contradict it. The fix suggested is the one-digit or day/month slip that makes everything agree.
    """
    pub = doc.dates.get("published")
    if pub is None or not _ok(pub):
        return
    assert pub.latest is not None
    for role in WRITING_ROLES:
        w = doc.dates.get(role)
        if w is None or not _ok(w):
            continue
        assert w.earliest is not None
        if pub.latest >= w.earliest:
            continue
        pub_first = _published_fix(doc, archive, pub, w)
        suggestion = pub_first or _written_fix(doc, w, pub)
        yield published_before_written.finding(
            doc,
            f"{pub.field} date {_t(pub)} is before the date {role}, {_t(w)}",
            (_ev(pub), _ev(w)),
            suggestion,
        )
        return


@rule("date-in-future", "error")
def date_in_future(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A date that has not happened yet (its earliest possible day is after today)."""
    for d in doc.dates.values():
        if d.earliest is not None and d.earliest > archive.today and d.role != "source":
            yield date_in_future.finding(
                doc,
                f"{d.field} date {_t(d)} is in the future",
                (_ev(d),),
                _slip_before(d, archive.today),
            )


def _slip_before(d: DateFact, limit: date) -> Suggestion | None:
    slips = [s for s in date_slips(d.text) if s.latest <= limit]
    if not slips:
        return None
    x = max(slips, key=lambda s: s.latest)
    return Suggestion(
        d.field, x.text, f"{x.how}; nothing else confirms it", old=d.text, confidence=0.3
    )


def _life_year(value: str | None) -> tuple[date, date] | None:
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        d = date(y, int(m.group(2)), int(m.group(3)))
        return d, d
    if m.group(2):
        mo = int(m.group(2))
        return date(y, mo, 1), date(y + (mo == 12), mo % 12 + 1, 1)
    return date(y, 1, 1), date(y, 12, 31)


@rule("date-outside-life", "error")
def date_outside_life(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A date of writing after the author's death, or any date before the author's birth.

    Life dates come from the authority the author was linked to. A text may be published after
    its author died, so publication is only checked against birth.
    """
    for a in doc.authors:
        birth, death = _life_year(a.birth), _life_year(a.death)
        if birth is None and death is None:
            continue
        for d in doc.dates.values():
            if not _ok(d):
                continue
            assert d.earliest is not None and d.latest is not None
            author = Evidence("Author", a.as_written, a.start, a.end)
            if birth and d.latest < birth[0]:
                yield date_outside_life.finding(
                    doc,
                    f"{d.field} date {_t(d)} is before {a.name} was born ({a.birth})",
                    (_ev(d), author),
                    _slip_inside(d, birth[0], death[1] if death else None),
                )
            elif death and d.role in (*WRITING_ROLES, "dateline", "note") and d.earliest > death[1]:
                yield date_outside_life.finding(
                    doc,
                    f"{d.field} date {_t(d)} is after {a.name} died ({a.death})",
                    (_ev(d), author),
                    _slip_inside(d, birth[0] if birth else None, death[1]),
                )


def _slip_inside(d: DateFact, lo: date | None, hi: date | None) -> Suggestion | None:
    slips = [
        s
        for s in date_slips(d.text)
        if (lo is None or s.earliest >= lo) and (hi is None or s.latest <= hi)
    ]
    if len(slips) != 1:
        return None
    x = slips[0]
    return Suggestion(
        d.field, x.text, f"{x.how} is the only such slip inside the author's life", d.text, 0.5
    )


@rule("dates-disagree", "warning")
def dates_disagree(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The date under the title, the header's dates and the closing note contradict each other.

    The closing note ("letter of January 5th, 1930") and the Written field name the same day;
    the dateline under the title must fall between the date of writing and of publication.
    """
    w = next((doc.dates[r] for r in WRITING_ROLES if _ok(doc.dates.get(r))), None)
    pub = doc.dates.get("published")
    pub = pub if _ok(pub) else None
    note = doc.dates.get("note")
    if w is not None and note is not None and _ok(note):
        assert note.earliest and note.latest and w.earliest and w.latest
        if not overlaps(note.earliest, note.latest, w.earliest, w.latest):
            yield dates_disagree.finding(
                doc,
                f"the closing note dates it {_t(note)}, the {w.field} field {_t(w)}",
                (_ev(note), _ev(w)),
                _majority_fix(doc, (note, w)),
            )
    line = doc.dates.get("dateline")
    if line is None or not _ok(line):
        return
    assert line.earliest and line.latest
    lower = w.earliest if w else None
    uppers = [d.latest for d in (w, pub) if d is not None and d.latest is not None]
    upper = max(uppers) if uppers else None
    if (lower and line.latest < lower) or (upper and line.earliest > upper):
        against = [d for d in (w, pub) if d is not None]
        shown = " and ".join(f"{d.field} {_t(d)}" for d in against)
        yield dates_disagree.finding(
            doc,
            f"the date under the title, {_t(line)}, is outside {shown}",
            (_ev(line), *(_ev(d) for d in against)),
            _majority_fix(doc, (line, *against)),
        )


def _majority_fix(doc: DocFacts, disputed: tuple[DateFact, ...]) -> Suggestion | None:
    """When all the document's other dates agree, the slip of the odd one out that joins them."""
    dated = [d for d in doc.dates.values() if _ok(d) and d.role != "source"]
    for odd in disputed:
        rest = [d for d in dated if d is not odd and d.text != odd.text]
        if len(rest) < 2:
            continue
        fitting = [s for s in date_slips(odd.text) if all(_agrees(s, d) for d in rest)]
        if len(fitting) == 1:
            x = fitting[0]
            return Suggestion(
                odd.field,
                x.text,
                f"{x.how} makes it agree with " + ", ".join(f"{d.field} {_t(d)}" for d in rest),
                old=odd.text,
                confidence=0.6,
            )
    return None


@rule("unreadable-date", "warning")
def unreadable_date(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A date field whose value cannot be read as a date (or names a day that never was)."""
    for d in doc.dates.values():
        if d.edtf is None and d.role != "source":
            yield unreadable_date.finding(
                doc,
                f"{d.field} date {d.text!r} cannot be read: {d.error or 'no date found'}",
                (_ev(d),),
            )


# -- the date in the archive path -----------------------------------------------------------

_MONTH_DIRS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def path_date(path: str) -> tuple[int, int | None, str] | None:
    """The year (and month) a path files the document under: ``…/1933/10/x.htm`` → (1933, 10)."""
    parts = path.split("/")[:-1]
    for i, part in enumerate(parts):
        if re.fullmatch(r"1[5-9]\d\d|20[0-2]\d", part):
            month = None
            nxt = parts[i + 1] if i + 1 < len(parts) else ""
            if re.fullmatch(r"0[1-9]|1[0-2]", nxt):
                month = int(nxt)
            elif nxt.lower()[:3] in _MONTH_DIRS and len(nxt) <= 4:
                month = _MONTH_DIRS[nxt.lower()[:3]]
            shown = "/".join(parts[i : i + (2 if month else 1)])
            return int(part), month, shown
    return None


def collection(path: str) -> str:
    """The folder that holds a collection: the path up to its first year folder."""
    parts = path.split("/")[:-1]
    for i, part in enumerate(parts):
        if re.fullmatch(r"1[5-9]\d\d|20[0-2]\d", part):
            return "/".join(parts[:i])
    return "/".join(parts)


def _path_span(year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(end.toordinal() - 1)


@rule("path-date-mismatch", "warning")
def path_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The year (and month) folder the file is kept under agrees with none of its dates.

    Archives like the MIA file a work under the year and month it was written or published
    (``archive/shachtma/1933/10/``). A record none of whose dates falls in that folder's month
    (a month either side allowed) or year has either a wrong date or a misfiled page.
    """
    found = path_date(doc.path)
    if found is None:
        return
    year, month, shown = found
    lo, hi = _path_span(year, month)
    if month is not None:
        lo = date.fromordinal(lo.toordinal() - 31)
        hi = date.fromordinal(hi.toordinal() + 31)
    dated = [d for d in doc.dates.values() if _ok(d)]
    if not dated:
        return
    for d in dated:
        assert d.earliest and d.latest
        if overlaps(d.earliest, d.latest, lo, hi) or (d.latest - d.earliest).days > 3660:
            return
    target = min(dated, key=lambda d: min(abs(d.earliest - lo), abs(d.latest - hi)))  # type: ignore[operator]
    fixes = [s for s in date_slips(target.text) if overlaps(s.earliest, s.latest, lo, hi)]
    suggestion = None
    if len(fixes) == 1:
        x = fixes[0]
        suggestion = Suggestion(
            target.field,
            x.text,
            f"{x.how} puts it in {shown}, where the file is kept",
            old=target.text,
            confidence=0.5,
        )
    yield path_date_mismatch.finding(
        doc,
        f"the file is kept under {shown}, but its dates are "
        + ", ".join(f"{d.field} {_t(d)}" for d in dated),
        (Evidence("path", shown, None, None), *(_ev(d) for d in dated)),
        suggestion,
    )
