"""False alarms the checks no longer raise on real archive pages, each beside a real mistake of
the same kind that they still report.

The pages are judged in ``bench/data/checks_judged.tsv`` (``bench/checks_precision.py``); each
test copies a few of them from the shared corpus (keeping their folders), ingests the copies
into a real SQLite archive and runs the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prinkipo.checks.facts import load_archive
from prinkipo.checks.fields import slots
from prinkipo.dates import find_date
from prinkipo.ingestion import ingest
from prinkipo.store import Store
from tests.conftest import need_corpus
from tests.test_checks_corpus import TODAY, checked, copy_pages, plant

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


# -- a header that gives no date --------------------------------------------------------------


def test_a_header_line_holding_a_year_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    pages = [
        # "Publisher: Communist Party of Great Britain, … dated 1 November 1939"
        "archive/dutt/1939/11/01.htm",
        # "Source: The Communist, February 25,1922."
        "archive/dutt/articles/1922/02/25.htm",
        # "Publisher: Foreign Languages Publishing House, Moscow, 1950"
        "archive/bulganin/1949/12/21.htm",
        # the header's only "Source" line is a quotation's: "D'yachenko in Ekonomscheskaya
        # zhizn', 29 June and 2 July." (no year), but the text is signed off "Khristian
        # Rakovsky / 27 July–7 August 1930": the page says when
        "archive/rakovsky/1930/08/5year3.htm",
    ]
    root = copy_pages(tmp_path, pages)
    assert checked(store, root, "missing-field") == []


def test_a_header_line_dating_another_book_leaves_the_page_undated(
    store: Store, tmp_path: Path
) -> None:
    page = "history/usa/workers/black-panthers/1966/10/15.htm"
    root = copy_pages(tmp_path, [page])
    # its Written line dropped, the Source line's year is a later book's, not the page's
    plant(root, page, '<span class="info">Written:</span> October 15, 1966', "")
    found = checked(store, root, "missing-field")
    assert [f.path for f in found] == [f"mia-html/{page}"]
    assert "War Against the Panthers" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "October 1966"


# -- what a record's header says, unlabelled --------------------------------------------------


def _slots_of(store: Store, root: Path) -> dict[str, set[str]]:
    ingest(store, [root], check=False)
    archive = load_archive(store, TODAY)
    return {d.path.split("/", 1)[1]: slots(d) for d in archive.docs.values()}


def test_an_unlabelled_header_line_that_says_where_the_text_comes_from_is_its_source(
    store: Store, tmp_path: Path
) -> None:
    told = [
        # "International Press Correspondence, Vol. 2 No. 102, 24 November 1922, p. 821."
        "archive/zetkin/1922/11/speech-conclusion.htm",
        # "Originally issued on 19 July 1937. Reproduced from Fight, vol.1, no.10, …"
        "archive/munis/1937/07/program.htm",
        # "Anonymous internal document, 1969."
        "archive/sedgwick/1969/xx/focument.html",
    ]
    # only "Downloaded with thanks from Endpage.com." and the transcriber's credit
    untold = "archive/glaberman/1996/xx/reuther.htm"
    found = _slots_of(store, copy_pages(tmp_path, [*told, untold]))
    assert all("source or first publication" in found[p] for p in told)
    assert "source or first publication" not in found[untold]


def test_a_dropped_written_line_is_reported_though_the_publisher_line_has_the_year(
    store: Store, tmp_path: Path
) -> None:
    corpus = need_corpus() / "mia-html"
    pages = [str(p.relative_to(corpus)) for p in (corpus / "archive/lozovsky").rglob("*.htm")]
    page = "archive/lozovsky/1920/russrevunion.htm"
    root = copy_pages(tmp_path, pages)
    # left: "Publisher: The Union Publishing Association, New York, 1920."
    plant(root, page, '<span class="info">Written: </span>1920', "")
    found = checked(store, root, "missing-field")
    assert [(f.path, f.message[:8]) for f in found] == [(f"mia-html/{page}", "no date,")]


# -- the date under the title and the header's ---------------------------------------------


def test_a_date_under_the_title_that_its_field_names_as_an_edition_raises_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    pages = [
        # "1975"; "Published: in Solidarity Pamphlet 33, June 1970; 2nd edn., August 1975."
        "archive/brinton/1970/irrational-politics.htm",
        # "1939"; "Published: … in 1937 and 1938 … and later, in 1939, as a separate pamphlet."
        "archive/wagner/1939/bolshevism.htm",
        # "(December 1937)"; "From Socialist Appeal, Vol. 1 No. 20, 25 December 1925": a slip
        "archive/glass/1937/12/panay.htm",
    ]
    found = checked(store, copy_pages(tmp_path, pages), "dates-disagree")
    assert [f.path for f in found] == ["mia-html/archive/glass/1937/12/panay.htm"]


def test_the_date_under_the_title_is_the_heading_that_is_only_a_date(
    store: Store, tmp_path: Path
) -> None:
    headings = {
        # "Resolution Approved by the Fourth World Congress of 1954", then "(November 1953)"
        "archive/pablo/1953/11/stalinism.html": "(November 1953)",
        # "Conservative Politics and the Miners' Strike 1984-5", then "(August 1985)"
        "archive/saville/1985/08/miners.htm": "(August 1985)",
        # "A Letter to a Friend in Germany in February, 1919", then "(November 1919)"
        "archive/radek/1919/11/06.htm": "(November 1919)",
    }
    root = copy_pages(tmp_path, list(headings))
    assert checked(store, root, "path-date-mismatch") == []
    lines = {
        d.path.split("/", 1)[1]: d.dates["dateline"].text for d in load_archive(store).docs.values()
    }
    assert lines == headings


# -- a date inside a citation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("in Solidarity (London) Pamphlet 54. July 1978.", "July 1978"),  # no day 54
        ("Socialist Workers Party Bulletin, No.1 February 1977.", "February 1977"),  # issue 1
        ("The Social Democrat, Vol. XIII No. 10 October 1909;", "October 1909"),
        ("The Militant, Vol. III No. 9, 1 March 1920, p. 4.", "1 March 1920"),
        ("Pathfinder Press (1972)", "1972"),
        ("31 February 1920", None),  # a slip: not read as February 1920
    ],
)
def test_a_number_before_a_month_that_is_no_day(text: str, found: str | None) -> None:
    got = find_date(text)
    assert (got[0].text if got else None) == found


def test_an_issue_number_read_as_a_day_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    # "(December 1976)"; "Socialist Workers Party Bulletin, No.1 February 1977": written, then
    # published, and not on "1 February 1977", which a day/month slip would put in 1976/12
    # (the whole collection: its other records teach that it files by publication)
    corpus = need_corpus() / "mia-html"
    pages = [str(p.relative_to(corpus)) for p in (corpus / "archive/sedgwick").rglob("*.htm*")]
    found = checked(store, copy_pages(tmp_path, pages), "path-date-mismatch")
    assert "mia-html/archive/sedgwick/1976/12/fraud.htm" not in [f.path for f in found]


# -- the author ---------------------------------------------------------------------------------


def test_co_authors_named_above_the_title_are_the_authors(store: Store, tmp_path: Path) -> None:
    # (seven words: too many for one name, so each is read as one)
    pages = {
        "archive/sedova-natalia/1947/06/fi-danger.html": (
            "Natalia Sedova, G. Munis & Benjamin Péret"
        ),
        "archive/rakovsky/1930/04/situation.htm": "Christian Rakovsky, V. Kossior & N. Muralov",
    }
    ingest(store, [copy_pages(tmp_path, list(pages))], check=False)
    found = {d.path.split("/", 1)[1]: d.authors for d in load_archive(store).docs.values()}
    assert {p: [a.as_written for a in found[p]] for p in pages} == {
        p: [name] for p, name in pages.items()
    }


# -- a record under a year folder with a source but no date ------------------------------------


def test_issue_cited_without_a_date_under_a_year_folder(store: Store, tmp_path: Path) -> None:
    # "Source: The Communist International, No. 4 (New Series), pp. 18-40": no date on the
    # page, which the archive files under 1924
    rel = "archive/zetkin/1924/xx/activity.htm"
    root = copy_pages(tmp_path, [rel])
    found = checked(store, root, "missing-field")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert found[0].severity == "info"
    assert found[0].message.endswith("though the archive files it under 1924")
    assert found[0].suggestion is not None and found[0].suggestion.value == "1924"


def test_a_page_title_holding_the_folders_year_dates_the_page(store: Store, tmp_path: Path) -> None:
    pages = [
        # <title>CPGB: Political Report (1957)</title>, under 1957
        "archive/gollan/1957/congress/pol_report.htm",
        # <title> Colonialism and Modernization by Karl Marx 1862</title>, under 1862/07
        "archive/marx/works/1862/07/colonialism-modernization.htm",
    ]
    root = copy_pages(tmp_path, pages)
    assert checked(store, root, "missing-field") == []


def test_letter_named_after_its_day_with_no_date_left(store: Store, tmp_path: Path) -> None:
    # Marx to Kugelmann, 17 April 1871, with its header and the date above the letter gone: the
    # archive names the file after the day ("71_04_17.htm"), so the record lacks what the
    # archive knows
    rel = "archive/marx/works/1871/letters/71_04_17.htm"
    root = copy_pages(tmp_path, [rel])
    page = root / rel
    raw = page.read_bytes()
    start = raw.index(b'<span class="info">Written:')
    end = raw.index(b'<p class="sig">')
    page.write_bytes(raw[:start] + b"</p>\n" + raw[end:])
    found = checked(store, root, "missing-field")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert "files it under 1871/71_04_17.htm (17 April 1871)" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "17 April 1871"


def test_that_letter_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, ["archive/marx/works/1871/letters/71_04_17.htm"])
    assert checked(store, root, "missing-field") == []
