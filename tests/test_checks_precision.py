"""False alarms the checks no longer raise on real archive pages, each beside a real mistake of
the same kind that they still report.

The pages are judged in ``bench/data/checks_judged.tsv`` (``bench/checks_precision.py``); each
test copies a few of them from the shared corpus (keeping their folders), ingests the copies
into a real SQLite archive and runs the rule.
"""

from __future__ import annotations

from pathlib import Path

from prinkipo.store import Store
from tests.test_checks_corpus import checked, copy_pages

# -- footnote marks --------------------------------------------------------------------------


def test_notes_under_a_notes_heading_and_brackets_that_are_no_marks_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    pages = [
        # notes the reader keeps as the editor's: "Notes" then "1. On May 19, Raveaux …"
        "archive/marx/works/1848/06/01b.htm",
        # notes kept in the body: "Footnote" then "1. Chas. O. Sherman was …"
        "archive/deleon/works/1907/answers/04-giovannitti.html",
        # an editor's day in a date: "The war plot of July [19] 1870"
        "archive/marx/works/1871/civil-war-france/ch01.htm",
        # page counts in a bibliography: "8vo. pp. 8+[1]", "pp. [174]"
        "archive/fryer/biblio.htm",
    ]
    root = copy_pages(tmp_path, pages)
    assert checked(store, root, "footnote-anchor-missing") == []


def test_a_note_numbered_wrong_is_still_reported(store: Store, tmp_path: Path) -> None:
    # the note anchored as 8 is labelled "3." ("Protégé of Gorky. Novelist and playwright.")
    root = copy_pages(tmp_path, ["archive/serge/1945/07/diary5.htm"])
    found = checked(store, root, "footnote-anchor-missing")
    assert [(f.path, [e.text for e in f.evidence]) for f in found] == [
        ("mia-html/archive/serge/1945/07/diary5.htm", ["[8]"])
    ]
