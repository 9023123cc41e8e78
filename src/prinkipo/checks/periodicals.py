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

import bisect
import calendar
import itertools
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from prinkipo.checks.facts import (
    ArchiveFacts,
    DateFact,
    DocFacts,
    Issue,
    SourceFact,
    issue_number,
    middle_day,
    periodical_key,
    volume_number,
)
from prinkipo.checks.fixes import Slip, date_slips, human, overlaps, slip_fix
from prinkipo.checks.registry import Evidence, Finding, Suggestion, rule

#: how far apart two records of one volume may lie (a volume is about a year)
VOLUME_SPAN = timedelta(days=366)
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
    #: from the order of volumes only (open on one side), not from records of the same volume
    order: bool = False


def _issue_evidence(issues: list[Issue], limit: int = 3) -> tuple[Evidence, ...]:
    return tuple(
        Evidence("Source", i.source_text, None, None, i.path, i.document_id) for i in issues[:limit]
    )


def _cited(sd: DateFact, src: SourceFact) -> tuple[Evidence, Evidence]:
    """A citation's date and the citation itself, as evidence."""
    return Evidence(sd.field, sd.text, sd.start, sd.end), Evidence(
        "Source", src.text, src.start, src.end
    )


class Run:
    """The records of one volume that lie within a volume's span of each other.

    One title can name several periodicals (The Militant of 1928–34 and of 1941–), so a volume
    number may have more than one run; a run of one record is no evidence and is not kept.

    What the rules ask of a run (its first and last day, its median, which records it holds) is
    worked out once, when it is made: a run is asked for every record of its periodical.
    """

    __slots__ = ("_left_out", "_sorted", "hi", "ids", "issues", "lo", "mid", "volume")

    def __init__(self, volume: int, issues: tuple[Issue, ...]) -> None:
        self.volume = volume
        self.issues = issues
        self.ids = frozenset(i.document_id for i in issues)
        if issues:
            self.lo = min(i.earliest for i in issues)
            self.hi = max(i.latest for i in issues)
            self.mid = date.fromordinal(int(statistics.median(i.mid.toordinal() for i in issues)))
        self._sorted: tuple[list[Issue], list[Issue], list[int], list[int]] | None = None
        self._left_out: tuple[int, Run] | None = None

    def __repr__(self) -> str:
        return f"Run(volume={self.volume!r}, issues={self.issues!r})"

    def without(self, document_id: int) -> Run:
        """The run less that record (the run itself where it holds none; the last one asked
        for is kept, as the rules of one record ask for it again and again)."""
        if document_id not in self.ids:
            return self
        if self._left_out is None or self._left_out[0] != document_id:
            left = tuple(i for i in self.issues if i.document_id != document_id)
            self._left_out = (document_id, Run(self.volume, left))
        return self._left_out[1]

    def _orders(self) -> tuple[list[Issue], list[Issue], list[int], list[int]]:
        if self._sorted is None:
            by_latest = sorted(self.issues, key=lambda i: i.latest)
            by_earliest = sorted(self.issues, key=lambda i: i.earliest)
            self._sorted = (
                by_latest,
                by_earliest,
                [i.latest.toordinal() for i in by_latest],
                [i.earliest.toordinal() for i in by_earliest],
            )
        return self._sorted

    def last_ending(self) -> list[Issue]:
        """Its two records that end last, in the order a stable sort by end puts them."""
        return self._orders()[0][-2:]

    def first_beginning(self) -> list[Issue]:
        """Its two records that begin first, in the order a stable sort by beginning puts them."""
        return self._orders()[1][:2]

    def ending_before(self, day: date) -> int:
        """How many of its records end before ``day``."""
        return bisect.bisect_left(self._orders()[2], day.toordinal())

    def beginning_after(self, day: date) -> int:
        """How many of its records begin after ``day``."""
        starts = self._orders()[3]
        return len(starts) - bisect.bisect_right(starts, day.toordinal())


def _core(issues: list[Issue]) -> list[Issue]:
    """The most records that fit in one volume's span (the densest window of time)."""
    best: list[Issue] = []
    start = 0
    for end in range(len(issues)):
        while issues[end].mid - issues[start].mid > VOLUME_SPAN:
            start += 1
        if end + 1 - start > len(best):
            best = issues[start : end + 1]
    return best


def _runs(archive: ArchiveFacts, key: str) -> dict[int, list[Run]]:
    """Each volume's runs (gaps longer than a volume split them), worked out once a periodical."""
    memo: dict[str, dict[int, list[Run]]] = archive.memo.setdefault("runs", {})
    if key not in memo:
        by_volume: dict[int, list[Issue]] = {}
        for i in archive.periodicals.by_key.get(key, []):
            by_volume.setdefault(i.volume, []).append(i)
        out: dict[int, list[Run]] = {}
        for volume, issues in by_volume.items():
            issues.sort(key=lambda i: (i.mid, i.number or 0))
            clusters: list[list[Issue]] = [[issues[0]]]
            for prev, cur in itertools.pairwise(issues):
                if cur.mid - prev.mid > VOLUME_SPAN:
                    clusters.append([])
                clusters[-1].append(cur)
            runs = [Run(volume, tuple(_core(c))) for c in clusters]
            out[volume] = [r for r in runs if len(r.issues) >= 2]
        memo[key] = out
    return memo[key]


def _run_holding(archive: ArchiveFacts, key: str, document_id: int) -> Run | None:
    """The run (of any volume) that holds the record, if one does (worked out once)."""
    memo: dict[str, dict[int, Run]] = archive.memo.setdefault("run-holding", {})
    if key not in memo:
        memo[key] = {
            i.document_id: r for rs in _runs(archive, key).values() for r in rs for i in r.issues
        }
    return memo[key].get(document_id)


#: how far apart in time neighbouring volumes' runs may be and still belong to one series
SERIES_GAP = timedelta(days=2 * 366)


def _supported(all_runs: dict[int, list[Run]], volume: int, run: Run) -> bool:
    """Whether a neighbouring volume has a run just before (or after) this one in time."""
    for u in (volume - 2, volume - 1, volume + 1, volume + 2):
        for other in all_runs.get(u, []):
            gap = run.mid - other.mid if u < volume else other.mid - run.mid
            if len(other.issues) >= 2 and timedelta(0) <= gap <= SERIES_GAP * abs(u - volume):
                return True
    return False


def _stray(all_runs: dict[int, list[Run]], volume: int, run: Run) -> bool:
    """A run that another run of the same volume outweighs: the other is borne out by the
    neighbouring volumes and this one is not, and it has no more records than this one (records
    sharing one wrong year; a larger run is more likely a second periodical of the same title)."""
    others = [
        r
        for r in all_runs.get(volume, [])
        if r is not run and len(r.issues) >= max(3, len(run.issues))
    ]
    if not others or _supported(all_runs, volume, run):
        return False
    return any(_supported(all_runs, volume, r) for r in others)


def _around(runs: dict[int, list[Run]], when: tuple[date, date] | None) -> dict[int, list[Run]]:
    """The runs within four years of ``when`` (all of them when it is None): one title may name
    two periodicals years apart (The Militant of 1928–1934 and that of 1941 on), each one
    series in its own time."""
    if when is None:
        return runs
    mid = when[0] + (when[1] - when[0]) / 2
    return {v: [r for r in rs if abs(r.mid - mid) <= VOLUME_MONTHS_NEAR] for v, rs in runs.items()}


def _one_series(runs: dict[int, list[Run]]) -> bool:
    """Whether the title names one periodical: one run a volume, later volumes later."""
    if any(len(rs) > 1 for rs in runs.values()):
        return False
    mids = [rs[0].mid for _, rs in sorted(runs.items()) if rs]
    return all(a <= b for a, b in itertools.pairwise(mids))


def _out_of_order(a: Issue, b: Issue) -> bool:
    assert a.number is not None and b.number is not None
    if a.number == b.number:
        return abs(a.mid - b.mid) > ISSUE_SLACK
    first, second = (a, b) if a.number < b.number else (b, a)
    return first.earliest > second.latest + ISSUE_SLACK


def _conflicts(archive: ArchiveFacts, run: Run) -> dict[int, set[int]]:
    """For each numbered record of a run, the records it is out of order with (worked out once)."""
    memo: dict[tuple[int, int], dict[int, set[int]]] = archive.memo.setdefault("conflicts", {})
    key = (run.volume, run.issues[0].document_id)
    if key not in memo:
        numbered = [i for i in run.issues if i.number is not None]
        out: dict[int, set[int]] = {i.document_id: set() for i in numbered}
        for n, a in enumerate(numbered):
            for b in numbered[n + 1 :]:
                if _out_of_order(a, b):
                    out[a.document_id].add(b.document_id)
                    out[b.document_id].add(a.document_id)
        memo[key] = out
    return memo[key]


def _in_order(archive: ArchiveFacts, run: Run, document_id: int) -> list[Issue]:
    """The run's numbered records that are in order with every other one but ``document_id`` (a
    wrong record and those it contradicts are all left out, so it cannot make its correct
    neighbours look wrong)."""
    conflicts = _conflicts(archive, run)
    return [
        i
        for i in run.issues
        if i.number is not None
        and i.document_id != document_id
        and not (conflicts[i.document_id] - {document_id})
    ]


def _nearest_run(runs: list[Run], when: tuple[date, date] | None) -> Run | None:
    if not runs:
        return None
    if when is None:
        return runs[0] if len(runs) == 1 else None
    lo, hi = when
    fitting = [r for r in runs if overlaps(lo, hi, r.hi - VOLUME_SPAN, r.lo + VOLUME_SPAN)]
    if fitting:
        return fitting[0]
    return min(runs, key=lambda r: min(abs(r.mid - lo), abs(r.mid - hi)))


def volume_constraints(
    archive: ArchiveFacts,
    name: str,
    volume: int,
    volume_text: str,
    document_id: int,
    when: tuple[date, date] | None = None,
) -> list[Expectation]:
    """What the other records say about when ``volume`` of ``name`` ran, one statement each.

    A run of at least three other records of the same volume puts it within a volume's span
    (where a title has several runs of one volume, the one nearest ``when``). For a title that
    names one periodical (in the four years around ``when``), a later volume cannot be dated
    before the second-latest record of an earlier one (one stray record is not enough), nor an
    earlier one after the second-earliest of a later one. With no records to learn from, the
    authority's founding year.
    """
    key = periodical_key(name)
    if key is None:
        return []
    all_runs = _runs(archive, key)
    holding = _run_holding(archive, key, document_id)
    own = holding if holding is not None and holding.volume == volume else None
    stray = own is not None and _stray(all_runs, volume, own)
    # the other records' runs: only the run holding this record changes (the others have at
    # least two records each already)
    runs = dict(all_runs)
    if holding is not None:
        left = holding.without(document_id)
        runs[holding.volume] = [
            left if r is holding else r
            for r in all_runs[holding.volume]
            if not (stray and r is own) and (r is not holding or len(left.issues) >= 2)
        ]
    out: list[Expectation] = []
    if own is not None and len(own.issues) >= 3 and not stray:
        # it agrees with at least two other records of its volume, and nothing says that run
        # is the odd one out: that run is its volume
        same: Run | None = own.without(document_id)
    else:
        same = _nearest_run([r for r in runs.get(volume, []) if len(r.issues) >= 3], when)
    if same is not None:
        basis = (
            f"{len(same.issues)} other records of {name} put Vol. {volume_text} between "
            f"{human(same.lo)} and {human(same.hi)}"
        )
        out.append(
            Expectation(
                min(same.hi - VOLUME_SPAN, same.lo),
                max(same.lo + VOLUME_SPAN, same.hi),
                basis,
                _issue_evidence(list(same.issues)),
                True,
            )
        )
    series = _around(runs, when)
    if _one_series(series):
        # (each run's two last records, then the two last of those: as a stable sort of all
        # their records by end would give them)
        lower = sorted(
            (i for v, rs in series.items() if v < volume for r in rs for i in r.last_ending()),
            key=lambda i: i.latest,
        )
        if len(lower) >= 2:
            a, b = lower[-2], lower[-1]
            basis = (
                f"other records of {name} show Vol. {a.volume_text} still running on "
                f"{human(a.latest)}, so Vol. {volume_text} comes later"
            )
            out.append(
                Expectation(
                    a.latest - ISSUE_SLACK, date.max, basis, _issue_evidence([a, b]), True, True
                )
            )
        upper = sorted(
            (i for v, rs in series.items() if v > volume for r in rs for i in r.first_beginning()),
            key=lambda i: i.earliest,
        )
        if len(upper) >= 2:
            a, b = upper[1], upper[0]
            basis = (
                f"other records of {name} show Vol. {a.volume_text} running by "
                f"{human(a.earliest)}, so Vol. {volume_text} comes earlier"
            )
            out.append(
                Expectation(
                    date.min, a.earliest + ISSUE_SLACK, basis, _issue_evidence([a, b]), True, True
                )
            )
    yearly = _yearly(archive, key, volume, volume_text, document_id, name)
    if yearly is not None:
        out.append(yearly)
    months = _yearly_by_month(archive, key, volume, volume_text, document_id, name, when)
    if months is not None:
        out.append(months)
    between = _between_volumes(archive, key, volume, volume_text, document_id, name)
    if between is not None and same is None:
        out.append(between)
    others = len(archive.periodicals.by_key.get(key, [])) - (document_id in _issue_of(archive, key))
    if out or any(runs.values()) or others >= 3:
        return out
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
        out.append(
            Expectation(date(max(first, auth.founded), 1, 1), date(last, 12, 31), basis, (), False)
        )
    return out


class _Index:
    """What the rules learn of one periodical's volume-numbered records, worked out once, so
    that leaving one record out of it costs little (never a scan of all its records).

    Every list keeps the records' order in the archive (``by_key``), as the rules' evidence
    is the first records that bear a statement out."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issue_of = {i.document_id: i for i in issues}
        #: the records citing each issue: (first day, last day, number)
        self.same_issue: dict[tuple[date, date, int | None], list[Issue]] = {}
        for i in issues:
            self.same_issue.setdefault((i.earliest, i.latest, i.number), []).append(i)
        self.count = Counter(i.volume for i in issues)
        #: year less volume number, of all records and of each volume's
        self.offsets: Counter[int] = Counter(i.mid.year - i.volume for i in issues)
        self.volume_offsets: dict[int, Counter[int]] = {}
        #: each volume's records, in the archive's order, with their place in it
        self.by_volume: dict[int, list[tuple[int, Issue]]] = {}
        for n, i in enumerate(issues):
            self.volume_offsets.setdefault(i.volume, Counter())[i.mid.year - i.volume] += 1
            self.by_volume.setdefault(i.volume, []).append((n, i))
        #: the first four records of each volume, in the archive's order (the first three
        #: records of any set of volumes, less one record, are among them)
        self.firsts = [i for _, i in sorted(p for rs in self.by_volume.values() for p in rs[:4])]
        #: the median day (ordinal) of each volume's records
        self.medians = {
            v: statistics.median(i.mid.toordinal() for _, i in rs)
            for v, rs in self.by_volume.items()
        }
        #: each volume's records dated to the month (two, or a season), by their middle day: the
        #: days, and the months less twelve a volume as runs of one value (value, first, end)
        self.monthly: dict[int, tuple[list[int], list[tuple[int, int, int]]]] = {}
        for v, rs in self.by_volume.items():
            dated = sorted((i for _, i in rs if _monthly(i)), key=lambda i: i.mid)
            days = [i.mid.toordinal() for i in dated]
            groups: list[tuple[int, int, int]] = []
            for n, i in enumerate(dated):
                off = _month(i.mid) - 12 * v
                if groups and groups[-1][0] == off:
                    groups[-1] = (off, groups[-1][1], n + 1)
                else:
                    groups.append((off, n, n + 1))
            self.monthly[v] = (days, groups)

    def first_others(
        self, document_id: int, keep: Callable[[Issue], bool], limit: int = 3
    ) -> list[Issue]:
        """The first ``limit`` records (but this one) that ``keep`` keeps, where ``keep`` keeps
        or leaves whole volumes."""
        out = [i for i in self.firsts if i.document_id != document_id and keep(i)]
        return out[:limit]


def _index(archive: ArchiveFacts, key: str) -> _Index:
    memo: dict[str, _Index] = archive.memo.setdefault("periodical-index", {})
    if key not in memo:
        memo[key] = _Index(archive.periodicals.by_key.get(key, []))
    return memo[key]


def _issue_of(archive: ArchiveFacts, key: str) -> dict[int, Issue]:
    return _index(archive, key).issue_of


def _median(counts: dict[int, int]) -> float:
    """The median of a multiset of whole numbers given as counts (as ``statistics.median``
    of the numbers themselves gives it)."""
    items = sorted((v, c) for v, c in counts.items() if c > 0)
    n = sum(c for _, c in items)

    def nth(k: int) -> int:
        for v, c in items:
            if k < c:
                return v
            k -= c
        raise IndexError(k)

    return nth(n // 2) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


def _monthly(i: Issue) -> bool:
    return (i.latest - i.earliest).days <= 92  # a month, two, or a season ("Summer 1957")


#: two volumes this far apart that give the same year less volume number show yearly volumes
FAR_APART = 5


def _yearly(
    archive: ArchiveFacts, key: str, volume: int, volume_text: str, document_id: int, name: str
) -> Expectation | None:
    """Yearly volumes, learnt: when nine in ten of the other records, in at least three other
    volumes, give the same year less volume number (within a year), this volume falls in that
    year too. Two other volumes are enough where they lie at least five volumes apart and give
    the very same year less volume number (the Journal of Political Economy's Vol. 12 is 1904
    and its Vol. 30 is 1922: chance would rarely line them up so)."""
    ix = _index(archive, key)
    mine = ix.issue_of.get(document_id)
    mine = mine if mine is not None and mine.volume != volume else None
    offsets = Counter(ix.offsets)
    offsets.subtract(ix.volume_offsets.get(volume, Counter()))
    count = Counter(ix.count)
    count[volume] = 0
    if mine is not None:
        offsets[mine.mid.year - mine.volume] -= 1
        count[mine.volume] -= 1
    volumes = {v for v, c in count.items() if c > 0}
    n = sum(count.values())
    distinct = [o for o, c in offsets.items() if c > 0]
    if len(volumes) < 3 and not (
        len(volumes) == 2 and max(volumes) - min(volumes) >= FAR_APART and len(distinct) == 1
    ):
        return None
    m = int(_median(offsets))
    if sum(c for o, c in offsets.items() if abs(o - m) <= 1) < 0.9 * n:
        return None
    first, last = volume + m - 1, volume + m + 1
    if not 1 <= first <= 9998:
        return None
    basis = (
        f"the other records of {name} ({n}, in {len(volumes)} "
        f"volumes) all give a year of about the volume number + {m}: yearly volumes, so "
        f"Vol. {volume_text} falls in {first}–{last}"
    )
    evidence = ix.first_others(document_id, lambda i: i.volume != volume)
    return Expectation(
        date(first, 1, 1), date(last, 12, 31), basis, _issue_evidence(evidence), True, True
    )


#: yearly volumes learnt to the month: at least this many other records dated to the month …
MIN_VOLUME_MONTHS = 5
#: … in at least this many volumes, within this many volumes and days of the record (near: a
#: periodical may change its volumes, as Labour Monthly went from half-yearly to yearly ones) …
VOLUME_MONTHS_VOLUMES = 3
VOLUME_MONTHS_RANGE = 6
#: … of which those within this many volumes must fit as well as the rest
VOLUME_MONTHS_CLOSE = 3
#: … in at least this many volumes, within a dozen volumes and this many days of the record …
VOLUME_MONTHS_NEAR = timedelta(days=4 * 366)
#: … nearly all of which (this share: six in seven; a periodical's records carry a wrong one now
#: and then) fit volumes of twelve months that begin in one month
VOLUME_MONTHS_SHARE = 0.85


def _month(d: date) -> int:
    """Months since the year 0 (for arithmetic on months)."""
    return d.year * 12 + d.month - 1


def _month_start(m: int) -> date:
    return date(m // 12, m % 12 + 1, 1)


def _month_end(m: int) -> date:
    return _month_start(m + 1) - timedelta(days=1)


#: a record this many months or more apart from the next at the end of a volume's window
#: stands apart from the rest
APART = 3


def _yearly_by_month(
    archive: ArchiveFacts,
    key: str,
    volume: int,
    volume_text: str,
    document_id: int,
    name: str,
    when: tuple[date, date] | None,
) -> Expectation | None:
    """Yearly volumes learnt to the month: a periodical whose volumes each run twelve months
    from the same month (January, or July for Labour Monthly before 1928) puts each issue's
    month, less twelve months a volume, in one window of twelve months. Where at least six in
    seven of at least five other records dated to the month (two, or a season: a quarterly's
    "Summer 1957"), in at least three volumes within six of this one (this one among them, or
    some before it and some after) and four years of its date, fit such a window (and so do
    as many of those within three volumes of it: a periodical may change its rhythm, as Labour
    Monthly's half-yearly volumes became yearly ones in 1925), this volume must fit it too (a
    month's slack either side for a cover date): Vol. 17 of a periodical whose Vol. 16 is 1934
    cannot be dated August 1934. Tighter than :func:`_yearly`, which allows a year either way
    and so misses a volume one out."""
    mid = None if when is None else when[0] + (when[1] - when[0]) / 2
    ix = _index(archive, key)
    mine = ix.issue_of.get(document_id)
    near = VOLUME_MONTHS_NEAR.days

    def in_time(i: Issue) -> bool:
        return mid is None or abs(i.mid - mid) <= VOLUME_MONTHS_NEAR

    # each volume near this one: the slice of its records dated to the month that lies within
    # four years of the date, and how many of them give each month less twelve a volume
    slices: dict[int, tuple[int, int]] = {}
    counts: Counter[int] = Counter()
    per_volume: dict[int, list[tuple[int, int]]] = {}
    for v in range(volume - VOLUME_MONTHS_RANGE, volume + VOLUME_MONTHS_RANGE + 1):
        if v not in ix.monthly:
            continue
        days, groups = ix.monthly[v]
        lo, hi = 0, len(days)
        if mid is not None:
            lo = bisect.bisect_left(days, mid.toordinal() - near)
            hi = bisect.bisect_right(days, mid.toordinal() + near)
        spread = []
        g = max(0, bisect.bisect_right([g[1] for g in groups], lo) - 1)
        while g < len(groups) and groups[g][1] < hi:
            off, first, end = groups[g]
            c = min(end, hi) - max(first, lo)
            if c > 0:
                spread.append((off, c))
                counts[off] += c
            g += 1
        slices[v] = (lo, hi)
        per_volume[v] = spread
    if mine is not None and mine.volume in slices and _monthly(mine) and in_time(mine):
        off = _month(mine.mid) - 12 * mine.volume
        counts[off] -= 1
        per_volume[mine.volume] = [
            (o, c - (o == off)) for o, c in per_volume[mine.volume] if c - (o == off) > 0
        ]
    total = sum(counts.values())
    volumes = {v for v, spread in per_volume.items() if spread}
    if total < MIN_VOLUME_MONTHS or len(volumes) < VOLUME_MONTHS_VOLUMES:
        return None
    if not min(volumes) <= volume <= max(volumes):
        return None  # beyond the volumes it knows: the periodical may have changed its volumes
    windows = _twelve_month_windows(counts)
    size, inside_lo, inside_hi, _ = windows[0]
    if size < VOLUME_MONTHS_SHARE * total:
        return None
    # the nearest volumes must fit as well as the farther ones: volumes further off may run to
    # another rhythm (Labour Monthly's half-yearly volumes before 1925)
    near_spread = [
        (o, c)
        for v, spread in per_volume.items()
        if abs(v - volume) <= VOLUME_MONTHS_CLOSE
        for o, c in spread
    ]
    near_total = sum(c for _, c in near_spread)
    near_fit = sum(c for o, c in near_spread if inside_lo <= o <= inside_hi)
    if near_fit < VOLUME_MONTHS_SHARE * near_total:
        return None
    # any month that keeps the fitting records within one volume's twelve months, and one
    # month's slack (of each window that fits as many); a record at either end that stands
    # apart from the rest is let go (it may be the wrong one: a record a volume out can
    # stretch the window, and must not make a correct record look wrong)
    first = 12 * volume + min(w[3][1] for w in windows) - 11 - 1
    last = 12 * volume + max(w[3][0] for w in windows) + 11 + 1
    if first < 12 or last >= 12 * 9999:
        return None
    fits = {
        v for v, spread in per_volume.items() if any(inside_lo <= o <= inside_hi for o, _ in spread)
    }

    def used(i: Issue) -> bool:
        return (
            i.document_id != document_id
            and _monthly(i)
            and in_time(i)
            and inside_lo <= _month(i.mid) - 12 * i.volume <= inside_hi
        )

    # the first records that fit, nearest volumes first (in the archive's order within each
    # distance): the evidence
    shown: list[Issue] = []
    for d in range(VOLUME_MONTHS_RANGE + 1):
        found: list[tuple[int, Issue]] = []
        for v in {volume - d, volume + d} & fits:
            found.extend(itertools.islice(((n, i) for n, i in ix.by_volume[v] if used(i)), 3))
        shown.extend(i for _, i in sorted(found, key=lambda p: p[0]))
        if len(shown) >= 3:
            break
    basis = (
        f"{size} of the {total} other records of {name} dated to the month or season in the "
        f"volumes around it ({len(fits)} volumes) fit volumes of twelve "
        f"months from one month to the next, so Vol. {volume_text} falls between "
        f"{calendar.month_name[_month_start(first).month]} {_month_start(first).year} and "
        f"{calendar.month_name[_month_start(last).month]} {_month_start(last).year}"
    )
    return Expectation(_month_start(first), _month_end(last), basis, _issue_evidence(shown), True)


def _twelve_month_windows(counts: Counter[int]) -> list[tuple[int, int, int, tuple[int, int]]]:
    """The windows of twelve months that hold the most offsets (months less twelve a volume),
    over a multiset of offsets given as counts: each as (size, first offset, last offset, (its
    first offset, or the second where the first stands APART from it; its last, or the one
    before where the last stands apart)), in order."""
    vals = sorted(v for v, c in counts.items() if c > 0)
    prefix = list(itertools.accumulate((counts[v] for v in vals), initial=0))
    out: list[tuple[int, int, int, tuple[int, int]]] = []
    start = 0
    for end, x in enumerate(vals):
        while x - vals[start] > 11:
            start += 1
        size = prefix[end + 1] - prefix[start]
        if out and size < out[0][0]:
            continue
        a = vals[start]
        inner = (a, x)
        if size >= 2:  # (a window that holds the most holds at least five: see above)
            second = a if counts[a] >= 2 else vals[start + 1]
            before_last = x if counts[x] >= 2 else vals[end - 1]
            inner = (
                second if abs(second - a) >= APART else a,
                before_last if abs(before_last - x) >= APART else x,
            )
        if out and size > out[0][0]:
            out = []
        out.append((size, a, x, inner))
    return out


#: how many volumes either side of a volume give the pace of the series around it
PACE_RANGE = 12
#: the span of time a volume may take, for the volumes to be taken as regular (days)
VOLUME_LENGTH = (150, 400)


def _between_volumes(
    archive: ArchiveFacts, key: str, volume: int, volume_text: str, document_id: int, name: str
) -> Expectation | None:
    """Where a volume falls by the pace of the volumes around it in the other records: a line
    through the median date of each other volume within a dozen of it (at least three, on both
    sides), when the volumes come at a regular pace (half a year to a year each) and every one
    of them lies within half a volume and three months of the line. Labour Monthly's volumes
    of 1923–1937 put Vol. 17 in 1935, give or take nine months."""
    ix = _index(archive, key)
    # (the record's own volume is left out, and with it the record)
    points = [
        (v, median)
        for v, median in ix.medians.items()
        if v != volume and abs(v - volume) <= PACE_RANGE
    ]
    if len(points) < 3 or min(points)[0] > volume or max(points)[0] < volume:
        return None
    n = len(points)
    mean_v = sum(v for v, _ in points) / n
    mean_d = sum(d for _, d in points) / n
    var = sum((v - mean_v) ** 2 for v, _ in points)
    pace = sum((v - mean_v) * (d - mean_d) for v, d in points) / var
    if not VOLUME_LENGTH[0] <= pace <= VOLUME_LENGTH[1]:
        return None
    slack = pace / 2 + 92
    if any(abs(mean_d + (v - mean_v) * pace - d) > slack for v, d in points):
        return None  # not one regular series around this volume
    mid = date.fromordinal(round(mean_d + (volume - mean_v) * pace))
    basis = (
        f"the other records of {name} in {n} volumes around it come a volume every "
        f"{round(pace / 30.4)} months: Vol. {volume_text} falls around {human(mid)}"
    )
    around = {v for v, _ in points}
    evidence = ix.first_others(-1, lambda i: i.volume in around)
    return Expectation(
        mid - timedelta(days=slack),
        mid + timedelta(days=slack),
        basis,
        _issue_evidence(evidence),
        True,
    )


def volume_expectation(
    archive: ArchiveFacts,
    name: str,
    volume: int,
    volume_text: str,
    document_id: int,
    when: tuple[date, date] | None = None,
) -> Expectation | None:
    """All of :func:`volume_constraints` at once; None when there are none, or they conflict."""
    parts = volume_constraints(archive, name, volume, volume_text, document_id, when)
    if not parts:
        return None
    lo, hi = max(p.lo for p in parts), min(p.hi for p in parts)
    if lo > hi:
        return None
    return Expectation(
        lo,
        hi,
        "; ".join(p.basis for p in parts),
        tuple(e for p in parts for e in p.evidence),
        all(p.learnt for p in parts),
    )


def issue_expectation(
    archive: ArchiveFacts,
    name: str,
    volume: int,
    number: int,
    document_id: int,
    when: tuple[date, date],
) -> Expectation | None:
    """Between the dates of the nearest lower and higher issue numbers of the same volume run."""
    key = periodical_key(name)
    if key is None:
        return None
    run = _nearest_run(_runs(archive, key).get(volume, []), when)
    if run is None:
        return None
    return _between(archive, run, name, number, document_id, f" Vol. {run.issues[0].volume_text}")


def _between(
    archive: ArchiveFacts,
    run: Run,
    name: str,
    number: int,
    document_id: int,
    shown_volume: str,
    min_paced: int | None = None,
) -> Expectation | None:
    kept = _in_order(archive, run, document_id)
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
    shown = ", ".join(f"No. {i.number} is {i.date_text}" for i in used[:2])
    basis = f"in the other records of {name}{shown_volume}, {shown}"
    paced = _paced(kept, number, MIN_PACED if min_paced is None else min_paced)
    if paced is not None and paced[0] <= hi and lo <= paced[1]:
        lo, hi = max(lo, paced[0]), min(hi, paced[1])
        basis += f"; {paced[2]}"
    return Expectation(lo, hi, basis, _issue_evidence(used), learnt=True)


#: issues at a regular pace: at least this many other records of a run …
MIN_PACED = 4
#: … whose dates lie on a line through their numbers, a week to two months an issue, none
#: further from it than a pace or the slack …
PACE_DAYS = (6.0, 62.0)
#: … and the number checked no further than this many issues beyond the first or last of them
PACE_REACH = 8


def _paced(kept: list[Issue], number: int, min_numbers: int) -> tuple[date, date, str] | None:
    """Where issue ``number`` falls when the run's other issues come at a regular pace: a weekly
    whose Nos. 6 to 51 are each seven days apart puts No. 5 on the Saturday before No. 6, which
    the neighbouring numbers alone cannot (No. 5 has none below it). The line through the
    other records' numbers and dates (least squares) gives the day, within the largest distance
    of any of them from the line and the usual slack."""
    points = [(i.number, i.mid.toordinal()) for i in kept if i.number is not None]
    numbers = {n for n, _ in points}
    if len(numbers) < min_numbers or not min(numbers) - PACE_REACH <= number <= max(numbers) + (
        PACE_REACH
    ):
        return None
    mean_n = sum(n for n, _ in points) / len(points)
    mean_d = sum(d for _, d in points) / len(points)
    var = sum((n - mean_n) ** 2 for n, _ in points)
    if var == 0:
        return None
    pace = sum((n - mean_n) * (d - mean_d) for n, d in points) / var
    if not PACE_DAYS[0] <= pace <= PACE_DAYS[1]:
        return None
    off = max(abs(mean_d + (n - mean_n) * pace - d) for n, d in points)
    if off > max(pace, ISSUE_SLACK.days):
        return None  # not one regular pace (a break, a change of schedule)
    at = round(mean_d + (number - mean_n) * pace)
    slack = round(off) + ISSUE_SLACK.days
    said = (
        f"the {len(points)} others come an issue every {pace:.0f} days, which puts No. {number} "
        f"around {human(date.fromordinal(at))}"
    )
    return date.fromordinal(at - slack), date.fromordinal(at + slack), said


#: the share of a title's unvolumed issues that may be out of order with another and still be
#: taken for one numbering
SERIES_DISORDER = 0.1


def _series(archive: ArchiveFacts, key: str) -> Run | None:
    """A periodical's issues cited by number without a volume, in date order (worked out once)."""
    memo: dict[str, Run | None] = archive.memo.setdefault("series", {})
    if key not in memo:
        issues = sorted(archive.periodicals.unvolumed.get(key, []), key=lambda i: i.mid)
        memo[key] = Run(0, tuple(issues)) if len(issues) >= 4 else None
    return memo[key]


def series_expectation(
    archive: ArchiveFacts, name: str, number: int, document_id: int
) -> Expectation | None:
    """For issues numbered straight through: between the dates of the nearest lower and higher
    numbers among the other records (those in order with all the rest).

    A title is taken to number its issues straight through when at least three other records
    cite it by number alone and at most one in ten of them is out of order with another (a
    title whose numbers start again each year, or that names two periodicals, has many more).
    Both a lower and a higher number are needed: one neighbour alone could be the wrong one.
    """
    key = periodical_key(name)
    run = _series(archive, key) if key else None
    if run is None:
        return None
    conflicts = _conflicts(archive, run)
    others = [i for i in run.issues if i.document_id != document_id and i.number is not None]
    disorder = [i for i in others if conflicts[i.document_id] - {document_id}]
    if len(disorder) > SERIES_DISORDER * len(others):
        return None
    expect = _between(archive, run, name, number, document_id, "")
    if expect is None or expect.lo == date.min or expect.hi == date.max:
        return None
    return expect


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
    """The one volume whose runs of other records lie around this date, if exactly one."""
    key = periodical_key(name)
    if key is None:
        return None
    hits = set()
    for runs in _runs(archive, key).values():
        for run in runs:
            r = run.without(document_id)
            if len(r.issues) >= 3 and overlaps(day_lo, day_hi, r.lo, r.hi):
                hits.add(r.issues[0].volume_text)
    return hits.pop() if len(hits) == 1 else None


#: further than this from what the other records say, with no slip to explain it, a citation is
#: more likely of another periodical of the same title than a mistake: it is not reported
FAR = timedelta(days=3 * 365)


#: how many times more records another volume must have at a date to own it
OWNER_RATIO = 3


def date_owner(
    archive: ArchiveFacts, name: str, volume: int, document_id: int, when: tuple[date, date]
) -> tuple[Run, int] | None:
    """Another volume whose run of records spans this date, outnumbering this volume there.

    A periodical prints one volume at a time: where a run of at least four other records of
    Vol. 2 has two or more on each side of a date and this volume has (with this record left
    out) at most a third as many records around it, the date belongs to Vol. 2. Returns that run
    and this volume's count.
    """
    key = periodical_key(name)
    if key is None:
        return None
    mid = middle_day(*when)
    runs = _runs(archive, key)
    own = sum(
        len(r.without(document_id).issues)
        for r in runs.get(volume, [])
        if r.lo - VOLUME_SPAN <= mid <= r.hi + VOLUME_SPAN
    )
    owners = []
    for v, rs in runs.items():
        if v == volume:
            continue
        for r in rs:
            inside = r.without(document_id)
            before = sum(i.latest < mid for i in inside.issues)
            after = sum(i.earliest > mid for i in inside.issues)
            if len(inside.issues) >= max(4, OWNER_RATIO * own) and min(before, after) >= 2:
                owners.append(inside)
    if len(owners) != 1:
        return None
    return owners[0], own


#: at least this many other records must bear out the volume of the same issue …
MIN_SAME_ISSUE = 2
#: … each citing it, or a neighbouring number of that volume within this many days
SAME_ISSUE_NEAR = timedelta(days=183)


def _the_volume_of_that_issue(name: str, issue: str, shown: str, vol_text: str) -> Suggestion:
    return Suggestion(
        "Source",
        f"Vol. {shown}",
        f"the other records of {name} cite the same issue, {issue}, as Vol. {shown}",
        old=f"Vol. {vol_text}",
        confidence=0.7,
    )


def _same_issue_in_another_volume(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str
) -> Finding | None:
    """The very issue this record cites (same date, same number) is in another volume in the
    other records.

    Six records cite Revolutionary History, Winter 1995, No. 1 as Vol. 6: a seventh citing it
    as Vol. 5 has the volume wrong (or the date and number). One record of the same issue is
    enough where another record of that volume, within half a year and in order by its number
    (Labour Monthly Vol. XXXV No. 3 in March 1953 for No. 4 in April), bears it out and this
    record's volume has no other record within half a year. Every other record citing the
    issue must give that one volume."""
    src, sd = doc.source, doc.dates.get("source")
    key = periodical_key(name)
    if src is None or sd is None or key is None or sd.earliest is None or sd.latest is None:
        return None
    number = issue_number(src.number)
    same = [
        i
        for i in _index(archive, key).same_issue.get((sd.earliest, sd.latest, number), [])
        if i.document_id != doc.id
    ]
    volumes = {i.volume for i in same}
    if not same or len(volumes) != 1 or vol in volumes:
        return None
    issues = [i for i in archive.periodicals.by_key.get(key, []) if i.document_id != doc.id]
    other = same[0].volume
    # (by the first day each date allows: a winter is read to the next one's end, see facts.py)
    when = sd.earliest
    near = [
        i
        for i in issues
        if i.volume == other
        and i not in same
        and abs(i.earliest - when) <= SAME_ISSUE_NEAR
        and number is not None
        and i.number is not None
        and i.number != number
        and (i.number - number) * (i.earliest - when).days > 0
    ]
    if len(same) < MIN_SAME_ISSUE and (
        len(same) + len(near) < MIN_SAME_ISSUE
        or any(i.volume == vol and abs(i.earliest - when) <= SAME_ISSUE_NEAR for i in issues)
    ):
        return None  # (one record of the issue, and this volume has records of its own near)
    shown = same[0].volume_text
    issue = f"{sd.text.rstrip(' .;,')}{f', No. {src.number}' if number is not None else ''}"
    said = f"{len(same)} other record{'s' if len(same) > 1 else ''} of {name} cite"
    said += f"{'' if len(same) > 1 else 's'} that issue ({issue}) as Vol. {shown}"
    if near:
        one = len(near) == 1
        said += (
            f", and {len(near)} other{'' if one else 's'} of Vol. {shown} "
            f"{'lies' if one else 'lie'} within half a year of it, in order of number"
        )
    return volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} is dated {sd.text.rstrip(' .;,')}, but {said}",
        (
            *_cited(sd, src),
            *_issue_evidence([*same, *near]),
        ),
        _the_volume_of_that_issue(name, issue, shown, vol_text),
    )


def _same_issue_of_a_year(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str
) -> Finding | None:
    """A citation dated only to a year whose number, in that year, at least two other records
    give in one other volume, where this volume has no other record that year: "Revolutionary
    History, Vol. 10 No. 4, 2008", while nine records cite Vol. 9 No. 4, 2008. No. 4 of one
    year is one issue (a volume with more than one No. 4 in a year would have other records
    in it that year: then it is let pass)."""
    src, sd = doc.source, doc.dates.get("source")
    if src is None or sd is None or sd.precision != "year" or sd.earliest is None:
        return None  # (asked of every citation: the cheap test first)
    key = periodical_key(name)
    number = issue_number(src.number)
    if key is None or number is None:
        return None
    year = sd.earliest.year
    others = [
        i
        for i in archive.periodicals.yearly.get(key, [])
        if i.document_id != doc.id and i.earliest.year == year
    ]
    if any(i.volume == vol for i in others):
        return None
    same = [i for i in others if i.number == number]
    volumes = {i.volume for i in same}
    if len(same) < MIN_SAME_ISSUE or len(volumes) != 1:
        return None
    shown = same[0].volume_text
    issue = f"No. {src.number}, {sd.text.rstrip(' .;,')}"
    return volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} is dated {sd.text.rstrip(' .;,')}, but {len(same)} other records "
        f"of {name} cite that issue ({issue}) as Vol. {shown}, and none cites Vol. {vol_text} "
        f"in {year}",
        (*_cited(sd, src), *_issue_evidence(same)),
        _the_volume_of_that_issue(name, issue, shown, vol_text),
    )


def _owned_by_another_volume(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str
) -> Iterator[Finding]:
    sd = doc.dates["source"]
    assert sd.earliest is not None and sd.latest is not None and doc.source is not None
    found = date_owner(archive, name, vol, doc.id, (sd.earliest, sd.latest))
    if found is None:
        return
    run, own = found
    other = run.issues[0].volume_text
    basis = (
        f"{len(run.issues)} other records of {name} between {human(run.lo)} and {human(run.hi)} "
        f"are in Vol. {other}, and {own or 'none'} in Vol. {vol_text} around that date"
    )
    yield volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} is dated {sd.text.rstrip(' .;,')}, but {basis}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            *_issue_evidence(list(run.issues)),
        ),
        Suggestion(
            "Source",
            f"Vol. {other}",
            f"the other records of {name} dated around {sd.text.rstrip(' .;,')} are in "
            f"Vol. {other}",
            old=f"Vol. {vol_text}",
            confidence=0.6,
        ),
    )


#: another volume's numbering is looked for this many volumes either side of the one cited,
#: and its pace is taken from this many numbers (three on one line: No. 1 in May, No. 2 in June,
#: No. 6 in October)
NUMBERING_RANGE = 3
MIN_PACED_ELSEWHERE = 3


def _numbered_in_another_volume(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str
) -> Finding | None:
    """The issue number and date fit another volume's numbering exactly, and the volume cited
    has no other record within a volume's span of that date.

    The Communist Review's Vol. 4 has No. 2 in June 1923 and No. 7 in November 1923: a record
    citing "Vol. 5, No. 6, October 1923" names the very issue that Vol. 4's numbering puts in
    October 1923. Only a number that the other volume's records (those in order with each other)
    bound on both sides, or whose regular pace puts it at that date, is taken; and exactly one
    volume within three of the one cited must fit."""
    src, sd = doc.source, doc.dates.get("source")
    key = periodical_key(name)
    if src is None or sd is None or key is None or sd.earliest is None or sd.latest is None:
        return None
    number = issue_number(src.number)
    if number is None:
        return None
    when = (sd.earliest, sd.latest)
    mid = middle_day(sd.earliest, sd.latest)
    ix = _index(archive, key)
    if any(
        i.document_id != doc.id and abs(i.mid - mid) <= VOLUME_SPAN
        for _, i in ix.by_volume.get(vol, [])
    ):
        return None  # this volume has records of its own here (a volume may begin mid-year)
    fits: list[tuple[Run, Expectation]] = []
    for u, runs in _runs(archive, key).items():
        if u == vol or abs(u - vol) > NUMBERING_RANGE:
            continue
        run = _nearest_run(runs, when)
        if run is None:
            continue
        shown = f" Vol. {run.issues[0].volume_text}"
        expect = _between(archive, run, name, number, doc.id, shown, MIN_PACED_ELSEWHERE)
        if expect is None or expect.lo == date.min or expect.hi == date.max:
            continue
        if overlaps(sd.earliest, sd.latest, expect.lo, expect.hi):
            fits.append((run, expect))
    if len(fits) != 1:
        return None
    run, expect = fits[0]
    other = run.issues[0].volume_text
    return volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} No. {src.number} is dated {sd.text.rstrip(' .;,')}, but no "
        f"other record of Vol. {vol_text} lies within a year of it, and the numbering of Vol. "
        f"{other} puts No. {src.number} at that date: {expect.basis}",
        (
            *_cited(sd, src),
            *expect.evidence,
        ),
        Suggestion(
            "Source",
            f"Vol. {other}",
            f"the other records of {name} number Vol. {other} so that its No. {src.number} "
            f"falls at {sd.text.rstrip(' .;,')}",
            old=f"Vol. {vol_text}",
            confidence=0.6,
        ),
    )


#: the page's own dates that may stand in for a citation that gives none, best first
PAGE_ROLES = ("published", "dateline")


def _undated_citation(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str
) -> Iterator[Finding]:
    """A citation with a volume but no date ("Fourth International, Vol.5 No.4"): the page's own
    date (of publication, else under the title) stands in for it, but only a volume that the
    other records put at that very date, a volume or two away, is taken as evidence: a page
    may be dated by its writing, long before a reprint."""
    page = next(
        (
            d
            for r in PAGE_ROLES
            if (d := doc.dates.get(r)) is not None
            and d.field != "Source"
            and d.earliest is not None
            and d.latest is not None
            and d.precision in ("day", "month")
        ),
        None,
    )
    if page is None or doc.source is None:
        return
    assert page.earliest is not None and page.latest is not None
    other = _volume_for_date(archive, name, page.earliest, page.latest, doc.id)
    n = volume_number(other)
    if other is None or n is None or n == vol or abs(n - vol) > 2:
        return
    expect = volume_expectation(archive, name, vol, vol_text, doc.id, (page.earliest, page.latest))
    if expect is None or overlaps(page.earliest, page.latest, expect.lo, expect.hi):
        return
    shown = page.text.strip(" .;,()[]")
    yield volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} (the citation gives no date) is cited for a page dated {shown}, "
        f"but {expect.basis}; the other records put {shown} in Vol. {other}",
        (
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            Evidence(page.field, page.text, page.start, page.end),
            *expect.evidence,
        ),
        Suggestion(
            "Source",
            f"Vol. {other}",
            f"the other records of {name} dated around {shown} are in Vol. {other}",
            old=f"Vol. {vol_text}",
            confidence=0.5,
        ),
    )


def _swapped_volume_and_number(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, when: tuple[date, date]
) -> Finding | None:
    """ "Vol. 27 No. 2" for "Vol. 2 No. 27": the citation fits the other records of the
    periodical, volume and issue alike, once its volume and number change places."""
    src, sd = doc.source, doc.dates.get("source")
    number = issue_number(src.number) if src else None
    if src is None or sd is None or number is None or number == vol or number > 400:
        return None
    expect = volume_expectation(archive, name, number, str(number), doc.id, when)
    issue = issue_expectation(archive, name, number, vol, doc.id, when)
    if expect is None or issue is None or not expect.learnt:
        return None
    if not (overlaps(*when, expect.lo, expect.hi) and overlaps(*when, issue.lo, issue.hi)):
        return None
    shown = sd.text.rstrip(" .;,")
    return volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {src.volume} No. {src.number} does not fit its date, {shown}, but Vol. "
        f"{number} No. {vol} does: {expect.basis}; {issue.basis}",
        (
            Evidence("Source", src.text, src.start, src.end),
            Evidence(sd.field, sd.text, sd.start, sd.end),
            *expect.evidence[:2],
            *issue.evidence[:2],
        ),
        Suggestion(
            "Source",
            f"Vol. {number} No. {vol}",
            "the volume and the issue number read the wrong way round; so read, the citation "
            "agrees with the other records of the periodical",
            old=f"Vol. {src.volume} No. {src.number}",
            confidence=0.6,
        ),
    )


@rule("volume-date-mismatch", "warning")
def volume_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A periodical's volume number does not agree with the date of the issue cited.

    What each volume of a periodical means in time is learnt from the archive's other records
    of the same periodical (or, with none, from the authority's founding year). The suggestion is
    the date a one-digit or day/month slip would give inside the volume's time, else the volume
    the other records put at that date. Where at least two other records cite the very same
    issue (date and number) in one other volume, that volume is suggested.
    A date years from what the volume's own records say is more likely another periodical of the
    same title and is let pass, unless the volumes of that very time (one series there) put
    this volume on the other side of a date within a year of it (Labour Monthly Vol. 57 dated
    March 1953, while Vol. XXXV still ran in April 1953).
    """
    parts = _source_parts(doc)
    sd = doc.dates.get("source")
    if parts is not None and sd is None:
        yield from _undated_citation(doc, archive, *parts[:3])
    if parts is None or sd is None or sd.earliest is None or sd.latest is None:
        return
    name, vol, vol_text, _ = parts
    same_of_a_year = _same_issue_of_a_year(doc, archive, name, vol, vol_text)
    if same_of_a_year is not None:
        yield same_of_a_year
        return
    when = (sd.earliest, sd.latest)
    expect = volume_expectation(archive, name, vol, vol_text, doc.id, when)
    if expect is None or overlaps(sd.earliest, sd.latest, expect.lo, expect.hi):
        same = _same_issue_in_another_volume(doc, archive, name, vol, vol_text)
        if same is None:
            same = _numbered_in_another_volume(doc, archive, name, vol, vol_text)
        if same is not None:
            yield same
            return
        yield from _owned_by_another_volume(doc, archive, name, vol, vol_text)
        return
    constraints = volume_constraints(archive, name, vol, vol_text, doc.id, when)
    broken = [c for c in constraints if not overlaps(sd.earliest, sd.latest, c.lo, c.hi)]
    said = Expectation(
        expect.lo,
        expect.hi,
        "; ".join(c.basis for c in broken),
        tuple(e for c in broken for e in c.evidence),
        expect.learnt,
    )
    assert doc.source is not None
    written = doc.dates.get("written")
    slips = _fitting_slips(sd.text, expect, written.earliest if written else None, archive.today)
    suggestion = None
    other = _volume_for_date(archive, name, sd.earliest, sd.latest, doc.id)
    near = other is not None and abs((volume_number(other) or 0) - vol) <= 3
    far = (sd.latest.toordinal() < expect.lo.toordinal() - FAR.days) or (
        sd.earliest.toordinal() > expect.hi.toordinal() + FAR.days
    )
    swapped = _swapped_volume_and_number(doc, archive, name, vol, when)
    if swapped is not None:
        yield swapped
        return
    # the numbering of the very years around the date (one series there) puts this volume on
    # the other side of a date within a year of it: the same periodical, mis-numbered
    wrong_side = any(
        c.order
        and (
            (sd.latest < c.lo and (c.lo - sd.latest) <= VOLUME_SPAN)
            or (sd.earliest > c.hi and (sd.earliest - c.hi) <= VOLUME_SPAN)
        )
        for c in broken
    )
    if far and not wrong_side and (all(c.order for c in broken) or (not slips and not near)):
        return  # years from the other volumes: another periodical of the same title, likelier
    suggestion = slip_fix(
        sd.field,
        sd.text,
        lambda x: x in slips,
        lambda x: f"{x.how} gives {x.text}, which agrees with Vol. {vol_text}: {expect.basis}",
        0.8 if expect.learnt else 0.6,
    )
    if suggestion is None and other and near and other != vol_text:
        suggestion = Suggestion(
            sd.field,
            f"Vol. {other}",
            f"the other records of {name} dated around {sd.text} are in Vol. {other}",
            old=f"Vol. {vol_text}",
            confidence=0.6,
        )
    yield volume_date_mismatch.finding(
        doc,
        f"{name} Vol. {vol_text} is dated {sd.text.rstrip(' .;,')}, but {said.basis}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            *said.evidence,
        ),
        suggestion,
    )


@rule("issue-date-mismatch", "warning")
def issue_date_mismatch(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """An issue number is out of order with its date among the same volume's other issues.

    Within one volume, a higher issue number never comes earlier: the date cited must lie between
    the dates of the nearest lower and higher numbers in the archive's other records (ten days'
    slack). Catches a day and month read the wrong way round, which the volume alone cannot.
    A periodical cited by number alone ("International Viewpoint, No. 52") is taken to number
    its issues straight through when its other records, at least three, are nearly all in order.
    """
    src = doc.source
    sd = doc.dates.get("source")
    if src is None or src.periodical is None or sd is None or sd.earliest is None:
        return
    assert sd.latest is not None
    number = issue_number(src.number)
    if number is None:
        return
    name, vol, vol_text = src.periodical, volume_number(src.volume), src.volume or ""
    when = (sd.earliest, sd.latest)
    if vol is None:
        expect = series_expectation(archive, name, number, doc.id)
    else:
        vol_expect = volume_expectation(archive, name, vol, vol_text, doc.id, when)
        if vol_expect and not overlaps(sd.earliest, sd.latest, vol_expect.lo, vol_expect.hi):
            return  # the volume rule has it
        expect = issue_expectation(archive, name, vol, number, doc.id, when)
        if expect is None:
            yield from _same_number_other_date(doc, archive, name, vol, vol_text, number)
            return
    if expect is None or overlaps(sd.earliest, sd.latest, expect.lo, expect.hi):
        return
    assert doc.source is not None
    slips = _fitting_slips(sd.text, expect, None, archive.today)
    suggestion = slip_fix(
        sd.field,
        sd.text,
        lambda x: x in slips,
        lambda x: f"{x.how} gives {x.text}, which fits No. {src.number}: {expect.basis}",
        0.7,
    )
    yield issue_date_mismatch.finding(
        doc,
        f"{name}{f' Vol. {vol_text}' if vol is not None else ''} No. {src.number} is dated "
        f"{sd.text.rstrip(' .;,')}, out of order: {expect.basis}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            Evidence("Source", doc.source.text, doc.source.start, doc.source.end),
            *expect.evidence,
        ),
        suggestion,
    )


#: the same issue cited with dates this far apart is one citation wrong, not a reprint …
SAME_NUMBER_FAR = timedelta(days=2 * 366 + 31)


def _same_number_other_date(
    doc: DocFacts, archive: ArchiveFacts, name: str, vol: int, vol_text: str, number: int
) -> Iterator[Finding]:
    """The same volume and number cited elsewhere with another date, a year or two off (the same
    month) or by one slip, where the volume has too few records to order its numbers.

    The Adelphi's Vol. 8 No. 4 cannot be both July 1933 and July 1934. Where the other records
    citing that issue agree with each other and are at least two, this record is the odd one
    and one slip of its date that gives theirs is suggested; where there is one, either may be
    wrong: both are reported (as ``info``), unless the other's date is the one its volume's
    other records contradict (the volume rule reports that one)."""
    sd, src = doc.dates["source"], doc.source
    assert sd.earliest is not None and sd.latest is not None and src is not None
    key = periodical_key(name)
    if key is None:
        return
    ix = _index(archive, key)
    others = [
        i for _, i in ix.by_volume.get(vol, []) if i.number == number and i.document_id != doc.id
    ]
    if not others or any(abs(a.mid - b.mid) > ISSUE_SLACK for a in others for b in others):
        return
    ref = others[0]
    mid = middle_day(sd.earliest, sd.latest)
    gap = abs(ref.mid - mid)
    if gap <= ISSUE_SLACK or gap > SAME_NUMBER_FAR:
        return
    slips = [
        x for x in date_slips(sd.text) if overlaps(x.earliest, x.latest, ref.earliest, ref.latest)
    ]
    same_month = (mid.month == ref.mid.month) and (sd.latest - sd.earliest).days <= 31
    if not slips and not same_month:
        return
    if len(others) == 1:
        theirs = volume_expectation(
            archive, name, vol, vol_text, ref.document_id, (ref.earliest, ref.latest)
        )
        if theirs is not None and not overlaps(ref.earliest, ref.latest, theirs.lo, theirs.hi):
            return  # the volume rule reports the other record
    issue = f"Vol. {vol_text} No. {src.number}"
    said = (
        f"{len(others)} other records of {name} cite {issue} as {ref.date_text}"
        if len(others) > 1
        else f"another record of {name} cites {issue} as {ref.date_text}; one of the two is wrong"
    )
    suggestion = None
    if len(others) > 1:
        suggestion = slip_fix(
            sd.field,
            sd.text,
            lambda x: x in slips,
            lambda x: f"{x.how} gives {x.text}, the date the other records give {issue}",
            0.7,
        )
    yield issue_date_mismatch.finding(
        doc,
        f"{name} {issue} is dated {sd.text.rstrip(' .;,')}, but {said}",
        (
            *_cited(sd, src),
            *_issue_evidence(others),
        ),
        suggestion,
        severity=None if len(others) > 1 else "info",
    )


#: a periodical's habit of publishing on one weekday: this share of at least this many other
#: issues dated to the day, within this many days of the record's date
WEEKDAY_HABIT = 0.9
MIN_WEEKDAY = 6
WEEKDAY_WINDOW = timedelta(days=400)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _dated_issues(archive: ArchiveFacts, key: str) -> list[Issue]:
    """A periodical's issues dated to the day (with a volume, a number or neither), in date
    order (worked out once)."""
    memo: dict[str, list[Issue]] = archive.memo.setdefault("dated-issues", {})
    if key not in memo:
        issues = [
            *archive.periodicals.by_key.get(key, []),
            *archive.periodicals.unvolumed.get(key, []),
            *archive.periodicals.unnumbered.get(key, []),
        ]
        memo[key] = sorted((i for i in issues if i.earliest == i.latest), key=lambda i: i.earliest)
    return memo[key]


class _Window:
    """A periodical's issues dated to the day within some days of a date, one record left out:
    counted by weekday from :class:`_Weekdays`, not listed."""

    def __init__(self, days: _Weekdays, a: int, b: int, left_out: int | None) -> None:
        self.days, self.a, self.b, self.left_out = days, a, b, left_out
        inside = left_out is not None and a <= left_out < b
        self.count = b - a - inside
        kept = [n for n in (a, a + 1, b - 2, b - 1) if a <= n < b and n != left_out]
        self.first = days.issues[kept[0]].earliest if kept else date.max
        self.last = days.issues[kept[-1]].earliest if kept else date.min

    def _range(self, weekday: int) -> list[int]:
        """Where this weekday's issues lie in the window (the record left out): a slice of the
        weekday's positions, as (first, end) in :attr:`_Weekdays.by_weekday`."""
        at = self.days.by_weekday[weekday]
        return [bisect.bisect_left(at, self.a), bisect.bisect_left(at, self.b)]

    def _counted(self, weekday: int) -> tuple[int, int]:
        """How many issues of the window fall on ``weekday``, and where the first of them is."""
        at = self.days.by_weekday[weekday]
        i, j = self._range(weekday)
        first = next((n for n in at[i : min(i + 2, j)] if n != self.left_out), self.b)
        return j - i - self._holds(weekday, i, j), first

    def _holds(self, weekday: int, i: int, j: int) -> bool:
        if self.left_out is None:
            return False
        at = self.days.by_weekday[weekday]
        k = bisect.bisect_left(at, self.left_out, i, j)
        return k < j and at[k] == self.left_out

    def most_common(self) -> tuple[int, int]:
        """The weekday most issues fall on, and how many (of equal counts, the weekday of the
        earliest issue, as ``Counter.most_common`` over the issues in date order gives it)."""
        best = max(
            ((w, *self._counted(w)) for w in range(7)),
            key=lambda t: (t[1], -t[2]),
        )
        return best[0], best[1]

    def on(self, weekday: int) -> list[Issue]:
        at = self.days.by_weekday[weekday]
        i, j = self._range(weekday)
        return [self.days.issues[n] for n in at[i:j] if n != self.left_out]


class _Weekdays:
    """A periodical's issues dated to the day, in date order, with where each weekday's are."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        self.days = [i.earliest.toordinal() for i in issues]
        self.by_weekday: list[list[int]] = [[] for _ in range(7)]
        self.position: dict[int, int] = {}
        for n, i in enumerate(issues):
            self.by_weekday[i.earliest.weekday()].append(n)
            self.position.setdefault(i.document_id, n)

    def around(self, day: date, span: timedelta, document_id: int) -> _Window:
        a = bisect.bisect_left(self.days, (day - span).toordinal())
        b = bisect.bisect_right(self.days, (day + span).toordinal())
        return _Window(self, a, b, self.position.get(document_id))


def _weekdays(archive: ArchiveFacts, key: str) -> _Weekdays:
    memo: dict[str, _Weekdays] = archive.memo.setdefault("weekdays", {})
    if key not in memo:
        memo[key] = _Weekdays(_dated_issues(archive, key))
    return memo[key]


def _numbered_in_order(
    doc: DocFacts, archive: ArchiveFacts, name: str, when: tuple[date, date]
) -> bool:
    """Whether the record's issue number puts it, by the other records' numbers, at its date."""
    src = doc.source
    number = issue_number(src.number) if src else None
    if src is None or number is None:
        return False
    vol = volume_number(src.volume)
    if vol is None:
        expect = series_expectation(archive, name, number, doc.id)
    else:
        expect = issue_expectation(archive, name, vol, number, doc.id, when)
    return expect is not None and overlaps(*when, expect.lo, expect.hi)


def _on(day: date, weekday: int, lo: date, hi: date) -> date | None:
    """``day`` if it falls on ``weekday`` between ``lo`` and ``hi``."""
    return day if day.weekday() == weekday and lo <= day <= hi else None


@rule("issue-weekday", "warning")
def issue_weekday(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """An issue dated on another weekday than the periodical's other issues of that time.

    A weekly comes out on one day of the week: where at least nine in ten of at least six other
    records of the same periodical (numbered or not), dated to the day within about a year of
    this one and some of them before it, some after, fall on one weekday and this one does
    not, its date is suspect (a special issue is the exception; and a record whose issue number
    puts it at its date, by the numbers of the others, is left alone: the schedule changed, as
    The Militant's did in 1933). Where too few issues lie within a year of it, the issues of the
    four years around stand in, if every one of them (at least six) falls on one weekday.
    The fix suggested is the one slip (one digit, or day and month read the wrong way round)
    that lands on that weekday within the time of those records; with none, the finding is only
    ``info``: a special issue or a change of schedule is as likely.
    """
    src = doc.source
    sd = doc.dates.get("source")
    key = periodical_key(src.periodical) if src else None
    if src is None or key is None or sd is None or sd.earliest is None:
        return
    if sd.earliest != sd.latest:
        return
    day = sd.earliest
    days = _weekdays(archive, key)
    near = days.around(day, WEEKDAY_WINDOW, doc.id)
    if near.count < MIN_WEEKDAY or not near.first < day < near.last:
        # too few near it: all the issues of four years around, where every one of them falls
        # on one weekday (Commonweal's eight issues of 1886–1889 are all Saturdays)
        near = days.around(day, VOLUME_MONTHS_NEAR, doc.id)
        if near.count < MIN_WEEKDAY or not near.first < day < near.last:
            return  # (a habit on one side of the date only may be another periodical's, later)
        if near.most_common()[1] < near.count:
            return
    weekday, count = near.most_common()
    if weekday == day.weekday() or count < WEEKDAY_HABIT * near.count:
        return
    if _numbered_in_order(doc, archive, src.periodical or "", (day, day)):
        return  # its issue number agrees with its date: a change of schedule, not a slip
    lo, hi = near.first - ISSUE_SLACK, near.last + ISSUE_SLACK
    suggestion = slip_fix(
        sd.field,
        sd.text,
        lambda x: (
            x.earliest == x.latest and x.earliest.weekday() == weekday and lo <= x.earliest <= hi
        ),
        lambda x: f"{x.how} gives {x.text}, a {WEEKDAYS[weekday]} like the other issues",
        0.6,
    )
    on_day = near.on(weekday)
    yield issue_weekday.finding(
        doc,
        f"{src.periodical} is dated {sd.text.rstrip(' .;,')}, a {WEEKDAYS[day.weekday()]}, but "
        f"{count} of its {near.count} other issues between {human(near.first)} and "
        f"{human(near.last)} in the archive are dated on a {WEEKDAYS[weekday]}",
        (
            Evidence(sd.field, sd.text, sd.start, sd.end),
            *_issue_evidence([on_day[0], on_day[len(on_day) // 2], on_day[-1]]),
        ),
        suggestion,
        # with no slip to explain it, a special issue or a change of schedule is as likely
        severity=None if suggestion else "info",
    )
