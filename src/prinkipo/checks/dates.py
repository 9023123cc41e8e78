"""Rules on a document's dates: against each other, the calendar, the author's life, its path."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from prinkipo.checks.facts import ArchiveFacts, DateFact, DocFacts, volume_number
from prinkipo.checks.fixes import Slip, date_slips, human, overlaps, slip_fix, slips_into
from prinkipo.checks.periodicals import volume_expectation
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule
from prinkipo.dates import MONTHS, SEASONS, parse_date
from prinkipo.errors import UnparseableDate

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
            return slip_fix(
                pub.field,
                pub.text,
                lambda x: x in slips and overlaps(x.earliest, x.latest, expect.lo, expect.hi),
                lambda x: (
                    f"{x.how} gives a date after writing that agrees with Vol. {s.volume} "
                    f"of {s.periodical}: {expect.basis}"
                ),
                0.85 if expect.learnt else 0.7,
            )
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
    latest = pub.latest
    others = [d for r, d in doc.dates.items() if r in ("dateline", "note") and _ok(d)]
    if not others:
        return None
    said = " and ".join(f"the {d.role} ({_t(d)})" for d in others)
    return slip_fix(
        written.field,
        written.text,
        lambda x: x.earliest <= latest and all(_agrees(x, d) for d in others),
        lambda x: f"{x.how} gives a date before publication that agrees with {said}",
        0.7,
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
        if d.precision == "year" and (d.method == "header-partial" or d.field == "Source"):
            continue  # a four-digit number inside a citation ("Fond 7670") is not a date
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
    its author died, so publication is only checked against birth. Either the date is wrong or
    the author is: the archive files Engels' introductions of 1891 under Marx, and the finding
    says so; a slip that puts the date inside the life is suggested where there is one.
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
                    f"{d.field} date {_t(d)} is before {a.name} was born ({a.birth}): the date "
                    "is wrong, or the author",
                    (_ev(d), author),
                    _slip_inside(d, birth[0], death[1] if death else None),
                )
            elif death and d.role in (*WRITING_ROLES, "dateline", "note") and d.earliest > death[1]:
                yield date_outside_life.finding(
                    doc,
                    f"{d.field} date {_t(d)} is after {a.name} died ({a.death}): the date is "
                    "wrong, or the author (a text of another's filed under this name)",
                    (_ev(d), author),
                    _slip_inside(d, birth[0] if birth else None, death[1]),
                )


def _slip_inside(d: DateFact, lo: date | None, hi: date | None) -> Suggestion | None:
    return slip_fix(
        d.field,
        d.text,
        lambda s: (lo is None or s.earliest >= lo) and (hi is None or s.latest <= hi),
        lambda s: f"{s.how} is the only such slip inside the author's life",
        0.5,
    )


@rule("dates-disagree", "warning")
def dates_disagree(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The date under the title, the header's dates and the closing note contradict each other.

    The closing note ("letter of January 5th, 1930") and the Written field name the same day;
    the dateline under the title must fall between the date of writing and of publication.
    """
    swapped = _swapped_pair(doc) or _slip_both_witnesses_agree_with(doc)
    if swapped is not None:
        yield swapped
        return
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
    # with no date of writing in the header, the date the text is signed off on stands in for it
    # (then only a slip is reported: a dateline may be the date of a later edition)
    signed = w is None and note is not None and _ok(note)
    if signed:
        w = note
    lower = w.earliest - DATELINE_BEFORE if w and w.earliest else None
    uppers = [d.latest + _after(d) for d in (w, pub) if d is not None and d.latest is not None]
    upper = max(uppers) if uppers else None
    if not ((lower and line.latest < lower) or (upper and line.earliest > upper)):
        return
    against = [d for d in (w, pub) if d is not None]
    fix = _majority_fix(doc, (line, *against)) or _pair_fix(line, against, _path_window(doc.path))
    fine = all(d.precision in ("day", "month") for d in (line, *against)) and not signed
    if fix is None and not fine:
        return  # years apart with no slip to explain it: more often a later edition than an error
    if _another_date_of_its_field(doc, line, against):
        return
    shown = " and ".join(
        f"{'the closing note' if d.role == 'note' else d.field} {_t(d)}" for d in against
    )
    yield dates_disagree.finding(
        doc,
        f"the date under the title, {_t(line)}, is outside {shown}",
        (_ev(line), *(_ev(d) for d in against)),
        fix,
    )


def _another_date_of_its_field(doc: DocFacts, line: DateFact, against: list[DateFact]) -> bool:
    """Whether the year under the title is named again in a field it was compared with, beside
    the date read from it: an edition the field gives too ("Published: in Solidarity Pamphlet
    33, June 1970; 2nd edn., August 1975" under "1975"), no disagreement."""
    assert line.earliest and line.latest
    if line.earliest.year != line.latest.year:
        return False
    year = re.compile(rf"(?<!\d){line.earliest.year}(?!\d)")
    return any(
        year.search(f.value.replace(d.text, " ", 1))
        for d in against
        for f in doc.fields
        if f.name == d.field and d.text in f.value
    )


def _which(d: DateFact) -> str:
    return "the date under the title" if d.role == "dateline" else f"its {d.field} date"


def _bare(d: DateFact) -> str:
    return d.text.strip(" .;,()[]")


def _swapped_pair(doc: DocFacts) -> Finding | None:
    """Two of the record's dates to the day, from different places, that are one day with day
    and month read the other way round ("8 February 1923" under the title, "2 August 1923" in
    the source): a slip in one of them, not chance (it is about one pair in 365). The one the
    folder of the file does not hold is the slip, and the other's reading its fix; where the
    folder does not tell, no fix is suggested."""
    days = [
        d
        for r, d in doc.dates.items()
        if r != "source" and _ok(d) and d.precision == "day" and d.earliest == d.latest
    ]
    for n, a in enumerate(days):
        for b in days[n + 1 :]:
            assert a.earliest is not None and b.earliest is not None
            if a.field == b.field or a.earliest == b.earliest:
                continue
            if (a.earliest.year, a.earliest.month, a.earliest.day) != (
                b.earliest.year,
                b.earliest.day,
                b.earliest.month,
            ):
                continue
            window = _path_window(doc.path)
            outside = [
                d for d in (a, b) if window is not None and not _in_window(d, window[0], window[1])
            ]
            odd = outside[0] if len(outside) == 1 else None
            other = b if odd is a else a
            fix = None
            if odd is not None:
                assert window is not None
                shown = window[2]
                fix = slip_fix(
                    odd.field,
                    odd.text,
                    lambda x: x.earliest == x.latest == other.earliest,  # noqa: B023 (used at once)
                    lambda x: (
                        f"{x.how} gives {_which(other)}, {_bare(other)}, in {shown}, "  # noqa: B023
                        "where the file is kept"
                    ),
                    0.6,
                )
            return dates_disagree.finding(
                doc,
                f"{_which(a)}, {_bare(a)}, and {_which(b)}, {_bare(b)}, are one day with day and "
                "month the other way round: one of them is most likely a slip",
                (_ev(a), _ev(b)),
                fix,
            )
    return None


def _slip_both_witnesses_agree_with(doc: DocFacts) -> Finding | None:
    """A date to the day that neither another date of the record nor the month folder it is
    kept in holds, where one slip (day and month the other way round, one digit of the year)
    gives a day that both hold: "Written: March 12, 1935" with "First Published: December,
    1935", kept under 1935/12; read "December 3, 1935", all three agree. One witness could be
    chance (a text written in March and printed in December); two that the same slip meets are
    not."""
    found = path_date(doc.path)
    if found is None or found[1] is None:
        return None
    lo, hi = _path_span(found[0], found[1])
    dated = [d for d in doc.dates.values() if _ok(d)]
    for d in dated:
        if d.precision != "day" or _in_window(d, lo, hi):
            continue
        for other in dated:
            if other.field == d.field or other.precision not in ("day", "month"):
                continue
            assert other.earliest is not None and other.latest is not None
            if _agrees_fact(d, other) or not overlaps(other.earliest, other.latest, lo, hi):
                continue
            fix = slip_fix(
                d.field,
                d.text,
                lambda x: (
                    overlaps(x.earliest, x.latest, lo, hi)
                    and _agrees(x, other)  # noqa: B023
                    # a day and month the other way round must give the other's very day: a
                    # month is too easy to hit (signed on 4 March, printed in April)
                    and (other.precision == "day" or not x.swap)  # noqa: B023
                ),
                lambda x: (
                    f"{x.how} gives {x.text}, which {_which(other)}, {_bare(other)}, "  # noqa: B023
                    f"and the folder {found[2]} both give"
                ),
                0.7,
            )
            if fix is None:
                continue
            return dates_disagree.finding(
                doc,
                f"{_which(d)}, {_bare(d)}, agrees neither with {_which(other)}, {_bare(other)}, "
                f"nor with the folder {found[2]} the file is kept in; one slip makes it agree "
                "with both",
                (_ev(d), _ev(other), Evidence("path", found[2], None, None)),
                fix,
            )
    return None


#: how much earlier than the date of writing the dateline may be, and later than publication
DATELINE_BEFORE = timedelta(days=7)
DATELINE_AFTER = timedelta(days=31)


def _after(d: DateFact) -> timedelta:
    """Slack after a date: a month (a monthly's issue appears after its cover date), a season
    more for a season ("Winter 1959" is read from December 1958)."""
    return DATELINE_AFTER + (timedelta(days=92) if d.precision == "season" else timedelta(0))


def _pair_fix(
    line: DateFact, against: list[DateFact], window: tuple[date, date, str] | None
) -> Suggestion | None:
    """A slip of the dateline that puts it between writing and publication, or of the other;
    where both sides have one, the folder the file is kept under says which is the odd one out
    (the one outside it)."""
    fixes = [
        (odd, fix)
        for odd, rest in [(line, against), *((d, [line]) for d in against)]
        if (fix := _agreeing_fix(odd, rest, 0.5)) is not None
    ]
    if len(fixes) > 1 and window is not None:
        fixes = [(odd, fix) for odd, fix in fixes if not _in_window(odd, window[0], window[1])]
    return fixes[0][1] if fixes else None


def _agreeing_fix(odd: DateFact, rest: list[DateFact], confidence: float) -> Suggestion | None:
    """The one slip of ``odd`` that agrees with every date in ``rest`` (of several, the one that
    begins on the same day as they do: "Winter 1958", not "Winter 1959", for "Winter 1958")."""
    shown = ", ".join(f"{d.field} {_t(d)}" for d in rest)
    return slip_fix(
        odd.field,
        odd.text,
        lambda s: all(_agrees(s, d) for d in rest),
        lambda s: f"{s.how} makes it agree with {shown}",
        confidence,
        prefer=lambda s: all(s.earliest == d.earliest for d in rest),
    )


def _majority_fix(doc: DocFacts, disputed: tuple[DateFact, ...]) -> Suggestion | None:
    """When all the document's other dates agree, the slip of the odd one out that joins them."""
    dated = [d for d in doc.dates.values() if _ok(d) and d.role != "source"]
    for odd in disputed:
        rest = [d for d in dated if d is not odd and d.text != odd.text]
        if len(rest) < 2:
            continue
        fix = _agreeing_fix(odd, rest, 0.6)
        if fix is not None:
            return fix
    return None


#: the header field that holds the page's own title (the HTML reader's ``<title>``)
PAGE_TITLE = "page title"
#: the page's own date closes its title, in brackets: "… (October 1933)", or follows its
#: author before a colon: "Julio Antonio Mella (1926): …", "Mariategui, 1924: …"; a year
#: elsewhere in a title is usually what the text is about ("Kronstadt 1921")
_TITLE_DATE = re.compile(
    r"\(([^()]{4,40})\)\s*$|^[^():,]{2,60}(?:\(([^()]{4,40})\)|,\s*(1[5-9]\d\d))\s*:"
)


def page_title_date(doc: DocFacts) -> DateFact | None:
    """The page's own date in its title (see :data:`_TITLE_DATE`), if any."""
    f = next((f for f in doc.fields if f.name.strip().lower() == PAGE_TITLE), None)
    if f is None:
        return None
    m = _TITLE_DATE.search(f.value)
    if m is None:
        return None
    try:
        p = parse_date(next(g for g in m.groups() if g is not None))
    except UnparseableDate:
        return None
    group = next(g for g in (1, 2, 3) if m.group(g) is not None)
    start, end = m.start(group), m.end(group)
    if p.earliest is None or p.latest is None:
        return None
    return DateFact(
        "page title", p.text, p.edtf, p.earliest, p.latest, p.precision, f.name,
        f.start + start, f.start + end, None, p.approximate, p.qualifier, "header-partial",
    )  # fmt: skip


@rule("title-date-mismatch", "warning")
def title_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """The date in the page's own title and a header date differ by a slip of the pen.

    Archive pages repeat the date in their title ("Two American Congresses (October 1933)"),
    typed separately from the header, so the two rarely share a mistake. Only a difference that
    a one-digit or day/month slip explains is reported (a title may rightly name another date:
    the event the text is about), not a single year at year precision, and for the date of
    publication only when both are days or months, or it is earlier than the title's. Which of
    the two to correct is what the folder the file is kept in agrees with.
    """
    title = page_title_date(doc)
    if title is None:
        return
    precise = ("day", "month", "season")
    window = _path_window(doc.path)
    for role in ("dateline", "written", "published"):
        d = doc.dates.get(role)
        if d is None or not _ok(d) or _agrees_fact(title, d):
            continue
        assert d.earliest and d.latest and title.earliest and title.latest
        both_precise = d.precision in precise and title.precision in precise
        if (d.latest - d.earliest).days > 400:
            continue  # a span of years ("1929-1941") is a period, not the page's date
        if (
            role == "published"
            and d.earliest > title.latest
            and (not both_precise or (d.earliest - title.latest).days <= 400)
        ):
            continue  # printed within the year after the title's date: common, no mistake
        if not both_precise and abs(d.earliest.year - title.earliest.year) < 2:
            continue  # a year apart at year precision: written one year, dated the next
        fixes = [f for f in (_slip_between(d, title), _slip_between(title, d)) if f]
        if not fixes:
            continue
        if len(fixes) == 2 and window is not None:
            # the folder the file is kept in says which of the two is the odd one out
            lo, hi = window[0], window[1]
            right = [x for x in (d, title) if _in_window(x, lo, hi)]
            if len(right) == 1:
                fixes = [fixes[0] if right[0] is title else fixes[1]]
        fix = fixes[0] if len(fixes) == 1 else None
        yield title_date_mismatch.finding(
            doc,
            f"the page's title dates it {_t(title)}, its {d.field} field {_t(d)}",
            (_ev(d), _ev(title)),
            fix,
        )
        return


def _agrees_fact(a: DateFact, b: DateFact) -> bool:
    assert a.earliest and a.latest and b.earliest and b.latest
    return overlaps(a.earliest, a.latest, b.earliest, b.latest)


def _slip_between(odd: DateFact, other: DateFact) -> Suggestion | None:
    return slip_fix(
        odd.field,
        odd.text,
        lambda s: _agrees(s, other),
        lambda s: f"{s.how} makes it agree with the {other.field} ({_t(other)})",
        0.6,
    )


@rule("unreadable-date", "warning")
def unreadable_date(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A date field whose value cannot be read as a date (or names a day that never was).

    Only values that try to be a date: holding a year, a decade, a month or a season name
    ("Published: Charles Kerr" names a publisher, and "Written: Unknown Date" says so).
    """
    for d in doc.dates.values():
        if d.edtf is None and d.role != "source" and _datish(d.text):
            yield unreadable_date.finding(
                doc,
                f"{d.field} date {d.text!r} cannot be read: {d.error or 'no date found'}",
                (_ev(d),),
            )


def _datish(text: str) -> bool:
    """Whether a value tries to be a date: a year, a decade ("30's"), a month or a season."""
    words = set(re.findall(r"[^\W\d_]+", text.lower()))
    year = re.search(r"(?<!\d)(?:1[5-9]\d\d|20[0-2]\d)(?!\d)|\b\d0['’]?s\b", text)
    return bool(year) or bool(words & (set(MONTHS) | set(SEASONS)))


# -- the date in the archive path -----------------------------------------------------------

_MONTH_DIRS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


_MONTHS = {m.lower() for m in calendar.month_name if m}


def path_date(path: str) -> tuple[int, int | None, str] | None:
    """The year (and month) a path files the document under: ``…/1933/10/x.htm`` → (1933, 10),
    ``…/1972/december/04.htm`` → (1972, 12)."""
    parts = path.split("/")[:-1]
    for i, part in enumerate(parts):
        if re.fullmatch(r"1[5-9]\d\d|20[0-2]\d", part):
            month = None
            nxt = parts[i + 1] if i + 1 < len(parts) else ""
            if re.fullmatch(r"0[1-9]|1[0-2]", nxt):
                month = int(nxt)
            elif nxt.lower() in _MONTH_DIRS or nxt.lower() in _MONTHS or nxt.lower() == "sept":
                month = _MONTH_DIRS[nxt.lower()[:3]]
            shown = "/".join(parts[i : i + (2 if month else 1)])
            return int(part), month, shown
    return None


#: "600120" (YYMMDD), and "68_01_30" as the Marx-Engels letters are named
_SIX_DIGITS = re.compile(r"(\d\d)[_-]?(\d\d)[_-]?(\d\d)")
_DAY_FILE = re.compile(r"(\d\d?)(?:-abs)?")


def file_day(path: str, found: tuple[int, int | None, str] | None = None) -> date | None:
    """The day a file is named after: ``…/1967/04/16.htm`` (a day under a month folder), or
    ``…/600120.htm`` or ``…/1868/letters/68_01_30.htm`` (YYMMDD, under no year folder or one
    of the same year)."""
    found = found if found is not None else path_date(path)
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        m = _SIX_DIGITS.fullmatch(stem)
        if m:
            yy, mm, dd = (int(x) for x in m.groups())
            century = found[0] // 100 * 100 if found else 1900
            if found and (century + yy) != found[0]:
                return None
            return date(century + yy, mm, dd)
        m = _DAY_FILE.fullmatch(stem)
        if m and found is not None and found[1] is not None:
            return date(found[0], found[1], int(m.group(1)))
    except ValueError:
        return None
    return None


_DATE_FOLDER = re.compile(
    r"\d{2,4}s?|xx|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*", re.I
)


def folder_of(path: str) -> str:
    """The folder a record's file is kept in."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def date_named(folder: str) -> bool:
    """Whether a folder is named after a date (``1933``, ``10``, ``oct``, ``1950s``, ``xx``)
    rather than after a work (``gentrot``)."""
    return bool(_DATE_FOLDER.fullmatch(folder.rsplit("/", 1)[-1]))


def in_date_folder(path: str) -> bool:
    """Whether a record sits in a year or month folder of its collection (``…/1933/10/x.htm``),
    not in a work's own folder (``…/1933/gentrot/ch07.htm``: a book's chapters)."""
    folder = folder_of(path)
    return date_named(folder) or folder == collection(path)


def named_day(path: str, found: tuple[int, int | None, str] | None = None) -> date | None:
    """The day a file's name is, as a date (``600120.htm``, ``…/letters/68_01_30.htm``), not a
    number under a month folder (``…/1939/11/01.htm`` may be the folder's first file)."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return file_day(path, found) if _SIX_DIGITS.fullmatch(stem) else None


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
    """A date disagrees with the year (and month) folder the file is kept under, in a
    collection that files that date there.

    Archives like the MIA file a work under a year and month (``archive/shachtma/1933/10/``),
    but which date that is (of writing, of publication, the date under the title) differs from
    one collection to the next. So it is learnt: where at least nine in ten of at least eight
    other records of the collection have, say, their publication date in their folder's month
    (a month either side allowed) or year, one that does not has a wrong date or a misfiled page.
    A collection too small to learn from borrows the whole archive's habit (the weaker one, as
    in a collection, where a slip puts a day or month right in a month folder), and only a date
    that a slip explains is reported there (for a publication, only one before the folder's date:
    the archive's records are nearly never published before it; or published more than three
    years after a month folder, by a slip that puts it in that very month, where the record's
    own date under the title or of writing agrees with the folder: "British Socialist, April
    1942" under 1912/04, dated 1912).
    As works are often printed long after they were written, only a publication before the
    folder's date, a writing after it, or a date that a one-digit or day/month slip would put in
    the folder (a day, month or season for publication and writing) is reported.
    A file named after a day (``1967/04/16.htm``, ``600120.htm``) is held to that day, and a
    date under the title to its folder's very month, where the archive's other such records
    nearly always agree and one slip (day and month read the wrong way round …) explains it.
    The date under the title of a page in a work's own folder (a book's chapter, headed "1917"
    … "1921" under ``1970/workers-control/``) is learnt apart from those of records filed in
    year and month folders, and held only to what the chapters teach; a year under the title
    that a header field names as an edition ("2nd edn., August 1975") passes.
    Where the Published line names only a publisher, the source's date is the publication's.
    A publication within half a year after a date of writing (or under the title) that the
    folder holds is the text printed after it was written, unless a slip puts it in that date.
    """
    day_finding = _file_day_mismatch(doc, archive) or _dateline_month_mismatch(doc, archive)
    if day_finding is not None:
        yield day_finding
        return
    window = _path_window(doc.path)
    if window is None:
        return
    lo, hi, shown = window
    habits = _path_habits(archive)
    group = collection(doc.path)
    for role, roles in PATH_ROLES.items():
        d = _role_date(doc, roles)
        if d is None or _in_window(d, lo, hi):
            continue
        if role == "dateline" and _another_date_of_its_field(
            doc, d, [x for x in doc.dates.values() if x is not d]
        ):
            continue
        kind = _habit_role(doc.path, role)
        said = "pages in the folders of works" if kind != role else "records"
        assert d.earliest is not None and d.latest is not None
        agree, n = habits.get((group, kind), (0, 0))
        others = n - 1  # this record is counted, and does not agree
        fixes = slips_into(d.text, lo, hi)
        explained = len(fixes) == 1 and d.precision in ("day", "month", "season")
        # years after a month folder, by a slip that puts it in that very month, which another
        # date of the record gives too: no reprint, a slip (in a collection of any size)
        later = (d.earliest - hi).days > REPRINT_YEARS * 365 and "/" in shown
        witness = _witness(doc, d, lo, hi) if role == "published" and explained and later else None
        # a weaker habit is enough where a slip puts a date to the day or month right in a
        # month folder, unless it is a publication after it (printed later: common)
        weak = explained and "/" in shown and not (role == "published" and d.earliest > hi)
        habit = others >= MIN_PATH_HABIT and (
            agree >= (WEAK_PATH_HABIT if weak else PATH_HABIT) * others
        )
        if witness is not None:
            learnt = f"{_said_date(witness)}, {_t(witness).strip('()[]')}, agrees with {shown}"
        elif habit:
            learnt = f"{agree} of the {others} other {said} in {group} have their {role} date "
            learnt += "in their folder"
        elif role == "published" and _into_its_very_month(d, doc.path, lo, hi):
            learnt = (
                f"one slip puts it in the very month of {shown}, years away: a reprint (or an "
                "earlier printing) in that very month would be chance"
            )
        elif others >= MIN_PATH_HABIT:
            continue
        else:
            # too few records to learn this collection's habit: the archive's, and a slip (the
            # archive's other records: this one is counted among them, and disagrees)
            a_all, n_all = habits.get(("", kind), (0, 0))
            if role == "published":
                # publication a year after the folder's date is too common to borrow; before
                # it, it is rare: a slip that puts it in the folder is reported
                a_all, n_all = _not_published_before(archive)
                if not (explained and d.latest < lo):
                    continue
                if n_all - 1 < 50 or a_all < PATH_HABIT * (n_all - 1):
                    continue
                learnt = f"{a_all} of the {n_all - 1} other records in the archive dated by "
                learnt += "publication and kept under a year are not published before it"
            else:
                if not (explained or (role == "dateline" and len(fixes) == 1)):
                    continue
                if n_all - 1 < 50 or a_all < (WEAK_PATH_HABIT if weak else PATH_HABIT) * (
                    n_all - 1
                ):
                    continue
                learnt = f"{a_all} of the {n_all - 1} other {said} in the archive have their "
                learnt += f"{role} date in their folder"
        # Works are often printed years after they were written, under the folder of writing:
        # only a publication *before* the folder, or a writing *after* it, is suspect; a date
        # under the title either way, when a slip explains it.
        if role == "published" and d.latest >= lo and not explained:
            continue
        if (
            role == "published"
            and d.earliest > hi
            and _printed_after_writing(doc, d, fixes, lo, hi)
        ):
            continue
        if role == "written" and d.earliest <= hi and not explained:
            continue
        if role == "dateline" and len(fixes) != 1:
            continue
        suggestion = None
        if len(fixes) == 1:
            x = fixes[0]
            suggestion = Suggestion(
                d.field,
                x.text,
                f"{x.how} puts it in {shown}, where the file is kept",
                old=d.text,
                confidence=0.6,
            )
        yield path_date_mismatch.finding(
            doc,
            f"the file is kept under {shown}, but its {role} date is {_t(d)}; {learnt}",
            (Evidence("path", shown, None, None), _ev(d)),
            suggestion,
        )
        return


#: a publication this many years after the folder's date is a reprint, or a slip of the year
REPRINT_YEARS = 3


#: how long after its writing a text is commonly first printed
PRINTING_DELAY = timedelta(days=183)


def _printed_after_writing(
    doc: DocFacts, pub: DateFact, fixes: list[Slip], lo: date, hi: date
) -> bool:
    """Whether a publication after the folder follows, within half a year, a date of writing (or
    under the title) that the folder holds: the folder is the date of writing, and the text was
    printed in the weeks after ("(December 1940)" under 1940/12, printed 1 February 1941). Not
    where a slip of the publication lands in that very date ("4 September 1960" under "(April
    1960)", which read the other way round is 9 April 1960): two witnesses then agree."""
    assert pub.earliest is not None
    return any(
        x is not pub
        and x.role in ("written", "delivered", "dateline", "note")
        and x.earliest is not None
        and x.latest is not None
        and overlaps(x.earliest, x.latest, lo, hi)
        and timedelta(0) <= pub.earliest - x.latest <= PRINTING_DELAY
        and not any(overlaps(f.earliest, f.latest, x.earliest, x.latest) for f in fixes)
        for x in doc.dates.values()
    )


def _into_its_very_month(d: DateFact, path: str, lo: date, hi: date) -> bool:
    """A publication to the day or month, years before or after its month folder, that exactly
    one slip puts in that very month ("November, 1955" under 1915/11)."""
    found = path_date(path)
    if found is None or found[1] is None or d.precision not in ("day", "month"):
        return False
    assert d.earliest is not None and d.latest is not None
    years = REPRINT_YEARS * 365
    if (d.earliest - hi).days <= years and (lo - d.latest).days <= years:
        return False
    first, last = _path_span(found[0], found[1])
    return len(slips_into(d.text, first, last)) == 1


def _witness(doc: DocFacts, pub: DateFact, lo: date, hi: date) -> DateFact | None:
    """Another date of the record (of writing, under the title, in the page's own title) that
    lies in the folder's window: with a slip that puts the publication there too, two of the
    record's own dates and its folder agree, and a publication years later by a one-digit slip
    is no reprint."""
    for role in ("written", "delivered", "dateline", PAGE_TITLE):
        d = page_title_date(doc) if role == PAGE_TITLE else doc.dates.get(role)
        if d is not None and d is not pub and d.field != pub.field and _ok(d):
            assert d.earliest is not None and d.latest is not None
            if _in_window(d, lo, hi) and (d.latest - d.earliest).days <= 366:
                return d
    return None


def _said_date(d: DateFact) -> str:
    if d.role == PAGE_TITLE:
        return "the date in the page's title"
    return "the date under the title" if d.role == "dateline" else f"its {d.field} date"


def _not_published_before(archive: ArchiveFacts) -> tuple[int, int]:
    """Of the archive's records with a date of publication, kept under a year (or month)
    folder: how many are not published before the folder's date, of how many (worked out
    once). Works are printed after they are written, so nearly all."""
    if "not-published-before" not in archive.memo:
        agree = n = 0
        for d in archive.docs.values():
            window = _path_window(d.path)
            fact = _role_date(d, PATH_ROLES["published"])
            if window is not None and fact is not None and fact.latest is not None:
                agree += fact.latest >= window[0]
                n += 1
        archive.memo["not-published-before"] = (agree, n)
    return archive.memo["not-published-before"]  # type: ignore[no-any-return]


#: the date under the title falls in the very month of its folder in this share, at least, of
#: at least this many records of the archive, for a slip into that month to be reported
EXACT_MONTH_HABIT = 0.95
MIN_EXACT_MONTH = 50


def _exact_month_habit(archive: ArchiveFacts) -> tuple[int, int]:
    """Of the records in a month folder with a date under the title to the day or month: how
    many give the folder's very month, of how many (worked out once)."""
    if "exact-month" not in archive.memo:
        agree = n = 0
        for d in archive.docs.values():
            found = path_date(d.path)
            line = d.dates.get("dateline")
            if found is None or found[1] is None or line is None or not _ok(line):
                continue
            if line.precision in ("day", "month"):
                lo, hi = _path_span(found[0], found[1])
                agree += _in_window(line, lo, hi)
                n += 1
        archive.memo["exact-month"] = (agree, n)
    return archive.memo["exact-month"]  # type: ignore[no-any-return]


def _dateline_month_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Finding | None:
    """A date under the title in the month next to its folder's, which one slip (a day and month
    read the wrong way round, most often) puts in the folder's very month, where the archive's
    datelines nearly always fall; unless another date of the record agrees with it as it is."""
    found = path_date(doc.path)
    line = doc.dates.get("dateline")
    if found is None or found[1] is None or line is None or not _ok(line):
        return None
    if line.precision not in ("day", "month"):
        return None
    lo, hi = _path_span(found[0], found[1])
    window = _path_window(doc.path)
    if _in_window(line, lo, hi) or window is None or not _in_window(line, window[0], window[1]):
        return None  # (further off, the collection's habit says more: see below)
    others = [d for d in doc.dates.values() if d is not line and _ok(d)]
    if any(d.precision in ("day", "month") and _agrees_fact(d, line) for d in others):
        return None
    agree, n = _exact_month_habit(archive)
    if n - 1 < MIN_EXACT_MONTH or agree < EXACT_MONTH_HABIT * (n - 1):
        return None
    shown = found[2]
    fix = slip_fix(
        line.field,
        line.text,
        lambda s: overlaps(s.earliest, s.latest, lo, hi),
        lambda s: f"{s.how} puts it in {shown}, where the file is kept",
        0.6,
    )
    if fix is None:
        return None
    return path_date_mismatch.finding(
        doc,
        f"the file is kept under {shown}, but the date under its title is {_t(line)}; {agree} "
        f"of the {n} dates under the title in the archive's month folders fall in that very month",
        (Evidence("path", shown, None, None), _ev(line)),
        fix,
    )


#: a file named after a day is taken at its word when this share of at least this many other
#: records so named, with a date to the day, give that very day
FILE_DAY_HABIT = 0.9
MIN_FILE_DAY = 20


def _file_day_habit(archive: ArchiveFacts) -> tuple[int, int]:
    """Of the records whose file is named after a day (``1967/04/16.htm``, ``600120.htm``) and
    that give a date to the day: how many give that day, of how many (worked out once)."""
    if "file-days" not in archive.memo:
        agree = n = 0
        for d in archive.docs.values():
            day = file_day(d.path)
            days = [f.earliest for f in d.dates.values() if f.earliest and f.earliest == f.latest]
            if day is not None and days:
                agree += day in days
                n += 1
        archive.memo["file-days"] = (agree, n)
    return archive.memo["file-days"]  # type: ignore[no-any-return]


def _file_day_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Finding | None:
    """A date to the day that a slip turns into the day the file is named after, where the
    archive's files so named nearly always give their own day."""
    day = file_day(doc.path)
    if day is None:
        return None
    dated = [d for d in doc.dates.values() if _ok(d) and d.earliest == d.latest]
    if not dated or any(d.earliest == day for d in dated):
        return None
    agree, n = _file_day_habit(archive)
    if n - 1 < MIN_FILE_DAY or agree < FILE_DAY_HABIT * (n - 1):
        return None
    name = doc.path.rsplit("/", 1)[-1]
    for d in dated:
        fix = slip_fix(
            d.field,
            d.text,
            lambda s: s.earliest == s.latest == day,
            lambda s: f"{s.how} gives the day the file is named after ({name})",
            0.6,
        )
        if fix is None:
            continue
        return path_date_mismatch.finding(
            doc,
            f"the file is named {name}, {human(day)}, but its {d.role} date is {_t(d)}; {agree} "
            f"of the {n} records in the archive whose file is named after a day give that day",
            (Evidence("path", name, None, None), _ev(d)),
            fix,
        )
    return None


#: which dates a collection may file its records under, and the roles that give each
PATH_ROLES: dict[str, tuple[str, ...]] = {
    "published": ("published", "source"),
    "written": ("written", "delivered"),
    "dateline": ("dateline",),
}
#: a collection files by a date when this share of at least this many other records agree
PATH_HABIT = 0.9
MIN_PATH_HABIT = 8
#: the habit enough where a slip explains the date
WEAK_PATH_HABIT = 0.6


def _role_date(doc: DocFacts, roles: tuple[str, ...]) -> DateFact | None:
    return next((doc.dates[r] for r in roles if _ok(doc.dates.get(r))), None)


def _in_window(d: DateFact, lo: date, hi: date) -> bool:
    assert d.earliest is not None and d.latest is not None
    return overlaps(d.earliest, d.latest, lo, hi) or (d.latest - d.earliest).days > 3660


def _path_window(path: str) -> tuple[date, date, str] | None:
    """The days a path's year (and month) folder covers, a month either side for a month."""
    found = path_date(path)
    if found is None:
        return None
    year, month, shown = found
    lo, hi = _path_span(year, month)
    if month is not None:
        lo = date.fromordinal(lo.toordinal() - 31)
        hi = date.fromordinal(hi.toordinal() + 31)
    return lo, hi, shown


def _habit_role(path: str, role: str) -> str:
    """The kind of date a habit is learnt for: the date under the title of a page in a work's
    own folder (a book's chapter, headed "1917" … "1921" under ``1970/workers-control/``) is
    learnt apart from the datelines of the records filed in year and month folders."""
    return "chapter dateline" if role == "dateline" and not in_date_folder(path) else role


def _path_habits(archive: ArchiveFacts) -> dict[tuple[str, str], tuple[int, int]]:
    """For each collection and kind of date: how many records agree with their path, of how many."""
    if "path-habits" not in archive.memo:
        tally: dict[tuple[str, str], list[int]] = {}
        for d in archive.docs.values():
            window = _path_window(d.path)
            if window is None:
                continue
            for role, roles in PATH_ROLES.items():
                fact = _role_date(d, roles)
                if fact is not None:
                    agrees = _in_window(fact, window[0], window[1])
                    kind = _habit_role(d.path, role)
                    for group in (collection(d.path), ""):  # "": the whole archive
                        t = tally.setdefault((group, kind), [0, 0])
                        t[0] += agrees
                        t[1] += 1
        archive.memo["path-habits"] = {k: (a, n) for k, (a, n) in tally.items()}
    return archive.memo["path-habits"]  # type: ignore[no-any-return]


#: how close in time (days) other letters must be to say where their sender was: the same day
#: (a day either side finds journeys: Marx wrote from London on 15 March 1866 and from Margate
#: on the 16th)
WHERE_WINDOW = 0


@rule("letter-place-conflict", "warning")
def letter_place_conflict(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A letter's place contradicts where its sender was on that day, by their other letters.

    Learnt from the archive's other letters of the same sender (by authority id, else by name):
    when at least two of them, dated to the same day as this one, were written at one other
    place and none at this letter's place, this letter's place (or its date) is suspect. Only
    letters dated to within three days are compared: a month says nothing of a journey.
    """
    shown = 0
    for mine in archive.letters_by_document.get(doc.id, []):
        if (mine.latest - mine.earliest).days > 2:
            continue
        lo = date.fromordinal(mine.earliest.toordinal() - WHERE_WINDOW)
        hi = date.fromordinal(mine.latest.toordinal() + WHERE_WINDOW)
        near = [
            o
            for o in archive.letters_by_sender.get(mine.sender, [])
            if o.letter_id != mine.letter_id
            and (o.latest - o.earliest).days <= 2
            and overlaps(o.earliest, o.latest, lo, hi)
        ]
        if not near or any(o.where == mine.where for o in near):
            continue
        places: dict[str, list[Any]] = {}
        for o in near:
            places.setdefault(o.where, []).append(o)
        if len(places) != 1:
            continue  # they disagree among themselves too: a journey, not a mistake
        others = next(iter(places.values()))
        if len(others) < 2:
            continue
        yield letter_place_conflict.finding(
            doc,
            f"this letter of {mine.earliest.isoformat()} was written at {mine.place}, but "
            f"{len(others)} other letters of the same sender that day were written at "
            f"{others[0].place}",
            (
                Evidence("sent place", mine.evidence or mine.place, mine.start, mine.end),
                Evidence("sent date", mine.earliest.isoformat(), None, None),
                *(
                    Evidence(
                        "sent place",
                        o.evidence or o.place,
                        o.start,
                        o.end,
                        archive.docs[o.document_id].path if o.document_id in archive.docs else None,
                        o.document_id,
                    )
                    for o in others[:3]
                ),
            ),
        )
        shown += 1
        if shown >= 5:
            return


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAMED_DAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\W{1,3}$", re.I)


@rule("weekday-mismatch", "warning")
def weekday_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A date that falls on another day of the week than the weekday written beside it.

    "Justice, Saturday, 9th July 1892": the weekday is written by whoever had the issue or the
    letter in hand, so where it disagrees with the day of the date, one of the two was copied
    wrongly; the fix suggested is the one slip of the date (one digit, or day and month read
    the wrong way round) that falls on the weekday written (of several, the one the record's
    other dates agree with).
    """
    seen = set()
    for d in doc.dates.values():
        if d.precision != "day" or d.earliest is None or d.earliest != d.latest:
            continue
        value = next((f for f in doc.fields if f.name == d.field), None)
        if value is None or (d.field, d.text) in seen:
            continue
        seen.add((d.field, d.text))
        at = value.value.find(d.text)
        named = _NAMED_DAY.search(value.value[max(0, at - 14) : at]) if at >= 0 else None
        if named is None:
            continue
        weekday = _WEEKDAYS.index(named.group(1).lower())
        named_at = value.start + max(0, at - 14) + named.start(1)
        if d.earliest.weekday() == weekday:
            continue
        name = named.group(1)
        fix = _weekday_fix(doc, d, weekday, name)
        day_name = calendar.day_name[d.earliest.weekday()]
        yield weekday_mismatch.finding(
            doc,
            f"{d.field} gives {name}, {_t(d)}, but {_t(d)} was a {day_name}",
            (
                Evidence(d.field, name, named_at, named_at + len(name)),
                _ev(d),
            ),
            fix,
        )


def _weekday_fix(doc: DocFacts, d: DateFact, weekday: int, name: str) -> Suggestion | None:
    """The one slip of ``d`` that falls on ``weekday`` (of several, the one the record's other
    dates to the day or month agree with)."""
    others = [o for o in doc.dates.values() if o.text != d.text and _ok(o)]
    others = [o for o in others if o.precision in ("day", "month")]
    agreeing = " that agrees with the record's other dates" if others else ""
    return slip_fix(
        d.field,
        d.text,
        lambda s: s.earliest == s.latest and s.earliest.weekday() == weekday,
        lambda s: f"{s.how} gives {s.text}, a {name.capitalize()}{agreeing}",
        0.6,
        prefer=lambda s: bool(others) and all(_agrees(s, o) for o in others),
    )
