"""Rules on a record against the other records of its own work: a book's chapters, the speeches
of one congress, the parts of one pamphlet, kept together in one folder.

The pages of one work are typed one by one, and their headers repeat the same date ("MARCH 6-8,
1918" on every speech of the Seventh Congress): where the others agree, the odd one out carries a
slip of the pen, and the others say what it should be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from prinkipo.checks.facts import ArchiveFacts, DateFact, DocFacts
from prinkipo.checks.fixes import date_slips, overlaps
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

#: the roles whose dates a work's pages share
SHARED_ROLES = ("dateline", "written", "delivered", "published")
#: at least this many other pages of the folder must give a date of that role …
MIN_SIBLINGS = 4
#: … and at least this share of them the very same one
CONSENSUS = 0.8


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


Span = tuple[date, date]


def _consensus(archive: ArchiveFacts) -> dict[tuple[str, str], tuple[Span, int, list[DocFacts]]]:
    """For each folder and role: the date most of its pages give, how many give a date of that
    role, and the pages that give it (worked out once)."""
    if "work-dates" in archive.memo:
        return archive.memo["work-dates"]  # type: ignore[no-any-return]
    spans: dict[tuple[str, str], list[tuple[Span, DocFacts]]] = {}
    for d in archive.docs.values():
        for role in SHARED_ROLES:
            f = d.dates.get(role)
            if f is None or f.earliest is None or f.latest is None:
                continue
            spans.setdefault((_folder(d.path), role), []).append(((f.earliest, f.latest), d))
    out: dict[tuple[str, str], tuple[Span, int, list[DocFacts]]] = {}
    for key, items in spans.items():
        if len(items) <= MIN_SIBLINGS:
            continue
        ((top, _),) = Counter(s for s, _ in items).most_common(1)
        out[key] = (top, len(items), [d for s, d in items if s == top])
    archive.memo["work-dates"] = out
    return out


@rule("work-date-mismatch", "warning")
def work_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A page's date disagrees with the date the other pages of its work all give.

    The pages of one work kept in one folder (a book's chapters, a congress's speeches) often
    repeat one date in their headers. Where at least four in five of at least four other pages
    of the folder give the very same date (of writing, of delivery, of publication, or under
    the title) and this page gives another, which a one-digit slip or a day and month read the
    wrong way round would turn into theirs, this page's date is reported with theirs as the fix.
    A date that no slip explains is left alone: a chapter may rightly have a date of its own.
    """
    table = _consensus(archive)
    folder = _folder(doc.path)
    for role in SHARED_ROLES:
        mine = doc.dates.get(role)
        found = table.get((folder, role))
        if mine is None or mine.earliest is None or mine.latest is None or found is None:
            continue
        (lo, hi), n, agreeing = found
        others = [d for d in agreeing if d.id != doc.id]
        if n - 1 < MIN_SIBLINGS or len(others) < CONSENSUS * (n - 1):
            continue
        if overlaps(mine.earliest, mine.latest, lo, hi):
            continue
        fitting = [s for s in date_slips(mine.text) if overlaps(s.earliest, s.latest, lo, hi)]
        if len(fitting) != 1:
            continue
        slip = fitting[0]
        theirs = others[0].dates[role]
        text = mine.text.rstrip(" .;,")
        yield work_date_mismatch.finding(
            doc,
            f"its {_said(mine)} is {text}, but {len(others)} of the {n - 1} other pages in "
            f"{folder} give {theirs.text.rstrip(' .;,')}",
            (
                Evidence(mine.field, text, mine.start, mine.start + len(text)),
                *(_other(d, role) for d in others[:3]),
            ),
            Suggestion(
                mine.field,
                slip.text,
                f"{slip.how} gives the date the other pages of this work give",
                old=mine.text,
                confidence=0.75,
            ),
        )


def _said(d: DateFact) -> str:
    return "date under the title" if d.role == "dateline" else f"{d.field} date"


def _other(doc: DocFacts, role: str) -> Evidence:
    d = doc.dates[role]
    return Evidence(d.field, d.text, d.start, d.end, doc.path, doc.id)
