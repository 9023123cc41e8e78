"""Rules on what a record has: fields every record needs, and those its collection always has."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prinkipo.checks.dates import collection
from prinkipo.checks.facts import ArchiveFacts, DocFacts
from prinkipo.checks.registry import Evidence, Finding, rule

#: slots a collection may habitually fill; each is (name shown, test)
SLOTS = ("title", "author", "written date", "source", "published date", "date under the title")
#: the share of a collection's other records that must have a slot before its absence is flagged
HABIT = 0.9
#: and how many other records that collection must have
MIN_COLLECTION = 8


def slots(doc: DocFacts) -> set[str]:
    """The slots this record fills."""
    have = set()
    if doc.title:
        have.add("title")
    if doc.authors:
        have.add("author")
    if "written" in doc.dates or "delivered" in doc.dates:
        have.add("written date")
    if doc.source is not None:
        have.add("source")
    if "published" in doc.dates:
        have.add("published date")
    if "dateline" in doc.dates:
        have.add("date under the title")
    return have


def _habits(archive: ArchiveFacts) -> dict[str, tuple[int, Counter[str]]]:
    if "habits" in archive.memo:
        return archive.memo["habits"]  # type: ignore[no-any-return]
    out: dict[str, tuple[int, Counter[str]]] = {}
    for d in archive.docs.values():
        n, counts = out.get(collection(d.path), (0, Counter()))
        counts.update(slots(d))
        out[collection(d.path)] = (n + 1, counts)
    archive.memo["habits"] = out
    return out


@rule("missing-field", "warning")
def missing_field(doc: DocFacts, archive: ArchiveFacts) -> Iterator[Finding]:
    """A field every record needs (a title, a date), or one its collection always has, is missing.

    A record with no title or no date of any kind cannot be cited. Beyond those, what a
    collection's records habitually carry (its author's pages all have a Source line, say) is
    learnt from the collection's other records: when at least nine in ten of at least eight others
    have it, its absence here is reported.
    """
    have = slots(doc)
    if "title" not in have:
        yield missing_field.finding(doc, "the record has no title", (Evidence("title", "", 0, 0),))
    if not doc.dates:
        yield missing_field.finding(
            doc, "the record has no date of any kind", (Evidence("date", "", 0, 0),)
        )
    total, counts = _habits(archive).get(collection(doc.path), (0, Counter()))
    others = total - 1
    if others < MIN_COLLECTION:
        return
    for slot in SLOTS:
        if slot in have or slot == "title":
            continue
        with_it = counts[slot]  # doc lacks it, so every count is another record's
        if with_it >= HABIT * others:
            yield missing_field.finding(
                doc,
                f"no {slot}, which {with_it} of the {others} other records in "
                f"{collection(doc.path) or 'this folder'} have",
                (Evidence(slot, "", None, None),),
            )
