"""The checks on real archive pages: a real page with an error planted into a copy is caught, and
the same pages as the archive has them raise no alarm.

Each test copies a handful of real MIA pages from the shared corpus (keeping their folders, which
the rules learn from), plants one error the way ``bench/checks.py`` does, ingests the copies into
a real SQLite archive and runs the rule.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from prinkipo.checks import run_checks
from prinkipo.checks.registry import Finding
from prinkipo.ingestion import ingest
from prinkipo.store import Store
from tests.conftest import need_corpus

TODAY = date(2026, 11, 25)


def copy_pages(tmp_path: Path, pages: list[str]) -> Path:
    """Copy real pages of ``mia-html`` (paths below it) into ``tmp_path/mia-html``."""
    corpus = need_corpus() / "mia-html"
    root = tmp_path / "mia-html"
    for rel in pages:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / rel, target)
    return root


def plant(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a copied page with ``new``."""
    path = root / rel
    raw = path.read_bytes()
    assert raw.count(old.encode()) == 1, f"{old!r} is not once in {rel}"
    path.write_bytes(raw.replace(old.encode(), new.encode()))


def checked(store: Store, root: Path, rule: str) -> list[Finding]:
    ingest(store, [root], check=False)
    return [f for f in run_checks(store, today=TODAY) if f.rule == rule]


# -- a volume learnt to the month ------------------------------------------------------------

#: Labour Monthly, 1931–1938: yearly volumes from January (Vol. 16 is 1934)
LABOUR_MONTHLY = [
    "archive/dutt/1931/05/x01.htm",
    "archive/frow/1931/06/x01.htm",
    "archive/wintringham/1932/05/x01.htm",
    "archive/wintringham/1932/08/x01.htm",
    "archive/dutt/1933/12/x01.htm",
    "archive/rothstein-andrew/1933/12/x01.htm",
    "archive/bradley/1934/03/x01.htm",
    "archive/wintringham/1934/08/air.htm",
    "archive/wintringham/1935/07/x01.htm",
    "archive/dutt/1936/02/x01.htm",
    "archive/dutt/1936/03/x01.htm",
    "archive/gallacher/1937/01/x01.htm",
    "archive/hill-christopher/1937/11/x01.htm",
    "archive/pollitt/1938/03/x01.htm",
]


def test_volume_one_out_caught_by_the_months_of_yearly_volumes(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, LABOUR_MONTHLY)
    plant(root, "archive/wintringham/1934/08/air.htm", "Vol. 16", "Vol. 17")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == ["mia-html/archive/wintringham/1934/08/air.htm"]
    f = found[0]
    assert "Labour Monthly Vol. 17 is dated August 1934" in f.message
    assert "fit volumes of twelve months" in f.message
    assert "Vol. 17 falls between December 1934 and January 1936" in f.message
    assert {e.path for e in f.evidence if e.path} <= {f"mia-html/{p}" for p in LABOUR_MONTHLY}
    # the date's one slip that fits Vol. 17 is offered (the volume or the date may be wrong)
    assert f.suggestion is not None and f.suggestion.old == "August 1934"
    assert f.suggestion.value == "August 1935"


def test_volumes_as_the_archive_has_them_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, LABOUR_MONTHLY)
    assert checked(store, root, "volume-date-mismatch") == []


# -- a header line the collection's template always has ---------------------------------------

#: J. P. Cannon's articles of 1929–1931, transcribed from one template: Written, First
#: Published, Transcription/HTML Markup, Public Domain
CANNON = [
    "archive/cannon/works/1929/apr/15.htm",
    "archive/cannon/works/1931/apr/needle.htm",
    "archive/cannon/works/1931/aug/freespeech.htm",
    "archive/cannon/works/1931/aug/wagecuts.htm",
    "archive/cannon/works/1931/jul/germany.htm",
    "archive/cannon/works/1931/jun/staff.htm",
    "archive/cannon/works/1931/mar/miller2.htm",
]
FREE_SPEECH = "archive/cannon/works/1931/aug/freespeech.htm"


def test_header_line_missing_from_its_template(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, CANNON)
    plant(root, FREE_SPEECH, '<span class="info">Written:</span> August 1931.<br />', "")
    found = checked(store, root, "missing-field")
    assert [f.path for f in found] == [f"mia-html/{FREE_SPEECH}"]
    f = found[0]
    assert f.severity == "info"
    assert "no Written line, which 6 of the 6 other pages of mia-html/archive/cannon/works" in (
        f.message
    )
    assert "First Published, Public Domain, Transcription/HTML Markup" in f.message
    siblings = [e for e in f.evidence if e.path]
    assert len(siblings) == 3 and all(e.field == "Written" and e.text for e in siblings)
    # the date under the title, which the template's other pages repeat in their Written line
    assert f.suggestion is not None and f.suggestion.value == "August 1931"


def test_header_lines_as_the_archive_has_them_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, CANNON)
    assert checked(store, root, "missing-field") == []


# -- a weekly's pace, and its weekday -------------------------------------------------------

#: The Militant, Vol. V, February–March 1941: Nos. 5 to 11, every Saturday
MILITANT_1941 = [
    "archive/padmore/1940/12/colony.htm",
    "archive/braverman/1941/02/hitler.htm",
    "archive/glass/1941/02/chiang1.htm",
    "archive/hansen/1941/02/reiss.htm",
    "archive/braverman/1941/03/leaselend.htm",
    "archive/glass/1941/03/8tharmy.htm",
    "archive/braverman/1941/03/revpast.htm",
    "archive/sedova-natalia/1941/03/terrorists.htm",
]


def test_issue_placed_by_the_weeklys_pace(store: Store, tmp_path: Path) -> None:
    # No. 5 has no lower number to be held to: the pace of Nos. 6–11 puts it on 1 February
    root = copy_pages(tmp_path, MILITANT_1941)
    plant(root, MILITANT_1941[0], "1 February 1941", "2 January 1941")
    found = checked(store, root, "issue-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{MILITANT_1941[0]}"]
    f = found[0]
    assert "come an issue every 7 days, which puts No. 5 around 1 February 1941" in f.message
    assert f.suggestion is not None and f.suggestion.value == "1 February 1941"
    assert "day and month read the wrong way round" in f.suggestion.reason


def test_weekly_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, MILITANT_1941)
    assert checked(store, root, "issue-date-mismatch") == []


#: Workers' Weekly, 1923–1925, cited by date alone ("Workers' Weekly, July 3, 1925"): Fridays
WORKERS_WEEKLY = [
    "archive/krupskaya/works/young-pioneers.htm",
    "archive/zinoviev/works/1923/11/23.htm",
    "archive/murphy-jt/1924/02/15.htm",
    "archive/hannington/1925/01/16.htm",
    "archive/jackson-ta/1925/02/13.htm",
    "archive/mcmanus/1925/04/17.htm",
    "archive/mcmanus/articles/1925/04/24.htm",
    "archive/murphy-jt/1925/08/14.htm",
    "archive/murphy-jt/1925/12/04.htm",
]


def test_weekday_learnt_from_citations_without_a_number(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, WORKERS_WEEKLY)
    plant(root, WORKERS_WEEKLY[0], "July 3, 1925", "March 7, 1925")
    found = checked(store, root, "issue-weekday")
    assert [f.path for f in found] == [f"mia-html/{WORKERS_WEEKLY[0]}"]
    f = found[0]
    assert "March 7, 1925, a Saturday" in f.message
    assert "7 of its 7 other issues" in f.message and "on a Friday" in f.message
    assert any(e.path for e in f.evidence)
    # two slips land on a Friday (March 7, 1924 and July 3, 1925): none is suggested, and a
    # finding without a slip to explain it is only info
    assert f.suggestion is None and f.severity == "info"


def test_weekdays_as_the_archive_has_them_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, WORKERS_WEEKLY)
    assert checked(store, root, "issue-weekday") == []


# -- a letter's file named after its day ----------------------------------------------------

#: the Marx-Engels letters, named YY_MM_DD, and Workers' Weekly pages named after their day
DAY_NAMED = [
    f"archive/marx/works/18{name[:2]}/letters/{name}.htm"
    for name in [
        "46_12_28",
        "52_03_05",
        "68_01_30",
        "71_04_12",
        "71_04_17",
        "71_11_23",
        "73_06_20",
        "75_03_18",
        "75_05_05",
        "77_11_10",
        "82_09_12",
        "84_03_24",
        "87_02_19",
        "90_08_05",
        "90_08_21",
        "90_09_21",
        "90_10_27",
        "93_07_14",
        "94_01_25",
    ]
] + WORKERS_WEEKLY[1:]
KUGELMANN = "archive/marx/works/1868/letters/68_01_30.htm"


def test_letter_dated_against_the_day_its_file_is_named_after(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, DAY_NAMED)
    plant(root, KUGELMANN, "30 January 1868</h3>", "30 January 1860</h3>")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{KUGELMANN}"]
    f = found[0]
    assert "the file is named 68_01_30.htm, 30 January 1868" in f.message
    assert f.suggestion is not None and f.suggestion.value == "30 January 1868"


def test_day_named_files_as_the_archive_has_them_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, DAY_NAMED)
    assert checked(store, root, "path-date-mismatch") == []


# -- the same issue cited in another volume -------------------------------------------------

#: Revolutionary History, Vol. 6 No. 1, Winter 1995/96, as seven pages cite it
REVOLUTIONARY_HISTORY = [
    "archive/hass/1994/xx/badowski.html",
    "archive/hass/1977/xx/openletter.html",
    "archive/hass/1992/xx/tinpoland.html",
    "archive/hass/1993/xx/histcpsuussr.html",
    "archive/higgins/1995/xx/prophetskids.htm",
    "archive/hirson/1995/xx/ancentrism.html",
    "archive/hirson/1995/xx/china.html",
]


def test_same_issue_cited_in_another_volume(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, REVOLUTIONARY_HISTORY)
    plant(root, REVOLUTIONARY_HISTORY[0], "Vol.&#160;6 No", "Vol.&#160;5 No")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{REVOLUTIONARY_HISTORY[0]}"]
    f = found[0]
    said = "6 other records of Revolutionary History cite that issue (Winter 1995/96, No. 1) as "
    assert said + "Vol. 6" in f.message
    assert len([e for e in f.evidence if e.path]) == 3
    assert f.suggestion is not None and (f.suggestion.old, f.suggestion.value) == (
        "Vol. 5",
        "Vol. 6",
    )


def test_one_issue_as_the_archive_cites_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, REVOLUTIONARY_HISTORY)
    assert checked(store, root, "volume-date-mismatch") == []


#: Labour Monthly, Vol. XXXV, March and April 1953
LABOUR_MONTHLY_1953 = [
    "archive/klugmann/1953/04/legacy.htm",
    "archive/dutt/articles/1953/04/stalin.htm",
    "archive/rothstein-andrew/1953/03/zionism.htm",
]


def test_one_record_of_the_same_issue_and_a_neighbour_of_its_volume(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, LABOUR_MONTHLY_1953)
    plant(root, LABOUR_MONTHLY_1953[0], "Vol. XXXV,", "Vol. XXXVI,")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{LABOUR_MONTHLY_1953[0]}"]
    f = found[0]
    assert "1 other record of Labour Monthly cites that issue (April 1953, No. 4) as Vol. XXXV" in (
        f.message
    )
    assert "1 other of Vol. XXXV lies within half a year of it, in order of number" in f.message
    assert {e.path for e in f.evidence if e.path} == {
        f"mia-html/{p}" for p in LABOUR_MONTHLY_1953[1:]
    }
    assert f.suggestion is not None and f.suggestion.value == "Vol. XXXV"


def test_one_issue_of_a_monthly_as_the_archive_cites_it_raises_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, LABOUR_MONTHLY_1953)
    assert checked(store, root, "volume-date-mismatch") == []


# -- one title, two periodicals --------------------------------------------------------------

#: The Militant of 1932–1934 (Vols. V–VII) and of 1941 (Vol. V again): one title, two series
MILITANT_TWO_SERIES = [
    "archive/mann-tom/1934/chenduxiu.htm",
    "archive/cannon/works/1932/jan/defeat.htm",
    "archive/shachtma/1932/02/spain2.htm",
    "archive/cannon/works/1932/apr/whysohot.htm",
    "archive/shachtma/1933/01/bernstein.htm",
    "archive/held-walter/1933/xx/4powerpact.htm",
    "archive/shachtma/1934/02/oneal.htm",
    "archive/nin/1934/04/alliance.htm",
    "archive/morrow-felix/1934/05/awp2.htm",
    "archive/glass/1934/05/ironheel.htm",
    "archive/held-walter/1934/06/su-league.htm",
    *MILITANT_1941,
]


def test_later_volume_before_an_earlier_one_within_one_series_of_a_title(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, MILITANT_TWO_SERIES)
    plant(root, MILITANT_TWO_SERIES[0], "Vol. VII No", "Vol. VIII No")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{MILITANT_TWO_SERIES[0]}"]
    assert "show Vol. VII still running on 2 June 1934, so Vol. VIII comes later" in (
        found[0].message
    )


def test_two_series_of_one_title_as_the_archive_has_them_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, MILITANT_TWO_SERIES)
    assert checked(store, root, "volume-date-mismatch") == []


# -- a volume of another time, on the wrong side of its neighbours ---------------------------

#: Labour Monthly in 1926–1953 and 1975; rothstein-andrew/1975/02/rpd.htm cites "Vol. 57, No.
#: 2, March 1953" (a real slip: Vol. 57 No. 2 is February 1975, as gollan/1975/02/dutt.htm has it)
LABOUR_MONTHLY_VOL_57 = [
    "archive/rothstein-andrew/1975/02/rpd.htm",
    "archive/bukharin/works/1926/01/x01.htm",
    "archive/bell/1930/02/x01.htm",
    "archive/bradley/1934/03/x01.htm",
    "archive/rothstein-andrew/1953/03/zionism.htm",
    "archive/dutt/articles/1953/04/stalin.htm",
    "archive/klugmann/1953/04/legacy.htm",
    "archive/gollan/1975/02/dutt.htm",
]


def test_volume_years_away_but_on_the_wrong_side_of_the_volumes_of_its_date(
    store: Store, tmp_path: Path
) -> None:
    # Vol. 57 is 1975, years from March 1953: alone that could be another periodical of the
    # same title; but Vol. XXXV still runs in April 1953, so a Vol. 57 of March 1953 is out of
    # the order of the very periodical of that time
    root = copy_pages(tmp_path, LABOUR_MONTHLY_VOL_57)
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{LABOUR_MONTHLY_VOL_57[0]}"]
    assert "show Vol. XXXV still running on 30 April 1953, so Vol. 57 comes later" in (
        found[0].message
    )


def test_that_volume_with_its_right_date_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, LABOUR_MONTHLY_VOL_57)
    plant(root, LABOUR_MONTHLY_VOL_57[0], "March 1953", "February 1975")
    assert checked(store, root, "volume-date-mismatch") == []


# -- two dates of one record, day and month the other way round ------------------------------

#: Kautsky, "Methods of Peace Making": 8 February 1923 under the title and in its Justice source
KAUTSKY_1923 = "archive/kautsky/1923/02/peace.htm"


def test_two_dates_of_a_record_with_day_and_month_swapped(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, [KAUTSKY_1923])
    plant(root, KAUTSKY_1923, "</strong>, 8 February 1923", "</strong>, 2 August 1923")
    found = checked(store, root, "dates-disagree")
    assert len(found) == 1
    f = found[0]
    assert (
        "the date under the title, 8 February 1923, and its Source date, 2 August 1923, are one "
        "day with day and month the other way round"
    ) in f.message
    # the folder (1923/02) holds the date under the title: the source's date is the slip
    assert f.suggestion is not None
    assert (f.suggestion.field, f.suggestion.old, f.suggestion.value) == (
        "Source",
        "2 August 1923",
        "8 February 1923",
    )


def test_that_record_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, [KAUTSKY_1923])
    assert checked(store, root, "dates-disagree") == []


# -- a publication decades after its folder, by a one-digit slip -----------------------------

#: Bauer, "Buried Hopes": British Socialist, April 1912, under 1912/04, dated (1912)
BAUER_1912 = "archive/bauer/1912/04/buried-hopes.htm"


def test_publication_decades_late_by_a_slip_the_record_itself_contradicts(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, [BAUER_1912])
    plant(
        root,
        BAUER_1912,
        "British Socialist</strong>, April 1912",
        "British Socialist</strong>, April 1942",
    )
    found = checked(store, root, "path-date-mismatch")
    assert len(found) == 1
    assert "its published date is April 1942; the date under the title, 1912, agrees" in (
        found[0].message
    )
    s = found[0].suggestion
    assert s is not None and (s.old, s.value) == ("April 1942", "April 1912")


def test_that_publication_as_the_archive_has_it_raises_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, [BAUER_1912])
    assert checked(store, root, "path-date-mismatch") == []


# -- a weekday learnt from a few years of issues, all on one day -----------------------------

#: Workers' Life, 1927–1929: eight issues on a Friday, and murphy-jt/1929/03/13.htm on a
#: Wednesday ("March 13, 1929")
WORKERS_LIFE = [
    "archive/murphy-jt/1929/03/13.htm",
    "archive/murphy-jt/1927/03/04.htm",
    "archive/inkpin/1927/03/11.htm",
    "archive/murphy-jt/1927/05/27.htm",
    "archive/murphy-jt/1927/07/15b.htm",
    "archive/murphy-jt/1928/03/02.htm",
    "archive/murphy-jt/1928/05/18.htm",
    "archive/murphy-jt/1929/10/11.htm",
    "archive/burns-emile/1929/10/18.htm",
]


def test_weekday_of_every_issue_of_a_few_years(store: Store, tmp_path: Path) -> None:
    # too few issues within a year of it; all eight of the years around fall on a Friday
    root = copy_pages(tmp_path, WORKERS_LIFE)
    found = checked(store, root, "issue-weekday")
    assert [f.path for f in found] == [f"mia-html/{WORKERS_LIFE[0]}"]
    assert "8 of its 8 other issues between 4 March 1927 and 18 October 1929" in found[0].message
    assert found[0].severity == "info"  # no slip explains it: a special issue is as likely


def test_those_issues_on_their_weekday_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, WORKERS_LIFE)
    plant(root, WORKERS_LIFE[0], "March 13, 1929", "March 15, 1929")
    assert checked(store, root, "issue-weekday") == []


# -- an issue that another volume's numbering puts at its date --------------------------------

#: The Communist Review, 1923: Vol. 4 No. 1 in May, No. 2 in June, No. 7 in November
COMMUNIST_REVIEW = [
    "archive/newbold/1923/01/pol_sit_gb.htm",
    "archive/newbold/1923/01/com_labour_party.htm",
    "archive/semashko/1923/06/health.htm",
    "archive/paul-william/articles/1923/11/x01.htm",
    "archive/murphy-jt/1923/10/euro_crisis.htm",
]


def test_volume_whose_number_and_date_fit_another_volumes_numbering(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, COMMUNIST_REVIEW)
    plant(root, COMMUNIST_REVIEW[-1], "Vol. 4, No. 6", "Vol. 5, No. 6")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{COMMUNIST_REVIEW[-1]}"]
    f = found[0]
    assert "Vol. 5 No. 6 is dated October 1923, but no other record of Vol. 5" in f.message
    assert "No. 2 is June 1923, No. 7 is November 1923" in f.message
    assert f.suggestion is not None and f.suggestion.value == "Vol. 4"
    assert f.suggestion.old == "Vol. 5"


def test_that_numbering_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, COMMUNIST_REVIEW)
    assert checked(store, root, "volume-date-mismatch") == []


# -- one issue cited with two dates a year apart -----------------------------------------------

ADELPHI = ["archive/murphy-jt/1933/07/conference.htm", "archive/murphy-jt/1934/07/transition.htm"]


def test_same_volume_and_number_a_year_apart_reports_both(store: Store, tmp_path: Path) -> None:
    # Vol. 6 No. 4 (July 1933) turned into Vol. 8 No. 4, which the other record dates July 1934:
    # with one record on each side, either may be wrong
    root = copy_pages(tmp_path, ADELPHI)
    plant(root, ADELPHI[0], "Vol. 6, No. 4", "Vol. 8, No. 4")
    found = checked(store, root, "issue-date-mismatch")
    assert sorted(f.path for f in found) == [f"mia-html/{p}" for p in ADELPHI]
    assert all(f.severity == "info" and f.suggestion is None for f in found)
    mine = next(f for f in found if f.path.endswith("conference.htm"))
    assert "Vol. 8 No. 4 is dated July 1933" in mine.message
    assert "cites Vol. 8 No. 4 as July 1934; one of the two is wrong" in mine.message


def test_those_two_issues_as_the_archive_has_them_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, ADELPHI)
    assert checked(store, root, "issue-date-mismatch") == []


# -- the page's own title as a witness of its folder's date -------------------------------------

MELLA = "archive/mella/1926/december/0001.htm"


def test_publication_decades_after_its_month_folder_against_the_pages_title(
    store: Store, tmp_path: Path
) -> None:
    # "Julio Antonio Mella (1926): …" and the folder 1926/december agree; Aurora, Dec. 1976 is a
    # one-digit slip, not a reprint
    root = copy_pages(tmp_path, [MELLA])
    plant(root, MELLA, "Dec. 1926", "Dec. 1976")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{MELLA}"]
    assert "the date in the page's title, 1926, agrees with 1926/december" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "Dec. 1926"


def test_that_page_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, [MELLA])
    assert checked(store, root, "path-date-mismatch") == []


# -- a slot that every other record of a small folder has ----------------------------------------

BRONZE_AGE = [f"archive/childe/1930/bronzeage/ch0{n}.htm" for n in range(1, 8)]


def test_chapter_without_the_line_all_its_siblings_have(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, BRONZE_AGE)
    plant(
        root,
        BRONZE_AGE[4],
        '<span class="info">First Published</span>: by Cambridge University Press, 1930<br />',
        "",
    )
    found = checked(store, root, "missing-field")
    assert {f.path for f in found} == {f"mia-html/{BRONZE_AGE[4]}"}
    # (that line held the chapter's only date, too)
    assert sorted(f.message for f in found) == [
        f"no {slot}, which 6 of the 6 other records in mia-html/archive/childe/1930/bronzeage have"
        for slot in ("date", "source or first publication")
    ]


def test_those_chapters_as_the_archive_has_them_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, BRONZE_AGE)
    assert checked(store, root, "missing-field") == []


# -- a slip that two witnesses agree on --------------------------------------------------------

GLASS = "archive/glass/1935/12/minutes.htm"


def test_day_that_one_slip_puts_in_both_another_date_and_the_folder(
    store: Store, tmp_path: Path
) -> None:
    root = copy_pages(tmp_path, [GLASS])
    plant(root, GLASS, "Written:</span> December 3, 1935", "Written:</span> December 3, 1933")
    found = checked(store, root, "dates-disagree")
    assert [f.path for f in found] == [f"mia-html/{GLASS}"]
    f = found[0]
    assert f.message == (
        "its Written date, December 3, 1933, agrees neither with its First Published date, "
        "December, 1935, nor with the folder 1935/12 the file is kept in; one slip makes it "
        "agree with both"
    )
    assert f.suggestion is not None
    assert (f.suggestion.old, f.suggestion.value) == ("December 3, 1933", "December 3, 1935")
    assert "one-digit slip" in f.suggestion.reason


def test_day_and_month_swapped_into_another_dates_month_is_not_enough(
    store: Store, tmp_path: Path
) -> None:
    # "March 12, 1935" read the other way round is 3 December, in the month of publication and
    # of the folder; but a text written in March and printed in December is as likely (Walter
    # Held signed "Copenhagen, March 4, 1936" a text printed in April 1936)
    root = copy_pages(tmp_path, [GLASS])
    plant(root, GLASS, "Written:</span> December 3, 1935", "Written:</span> March 12, 1935")
    assert checked(store, root, "dates-disagree") == []


def test_that_record_with_its_right_day_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, [GLASS])
    assert checked(store, root, "dates-disagree") == []


def test_year_slip_in_a_real_citation_against_the_date_under_the_title(
    store: Store, tmp_path: Path
) -> None:
    # as the archive has it: "(19 May 1922)" under the title, kept under 1922/05, and "From
    # International Press Correspondence, Vol. 2 No. 38, 19 May 1923"
    page = "archive/meyer/1922/05/kpd-uf.html"
    root = copy_pages(tmp_path, [page])
    found = checked(store, root, "dates-disagree")
    assert [f.path for f in found] == [f"mia-html/{page}"]
    assert found[0].suggestion is not None
    assert (found[0].suggestion.old, found[0].suggestion.value) == ("19 May 1923", "19 May 1922")


def test_three_numbers_of_another_volume_on_one_line_place_the_issue(
    store: Store, tmp_path: Path
) -> None:
    # Vol. 4 No. 1 in May, No. 2 in June and No. 6 in October 1923 put No. 7 in November 1923:
    # "Volume 6, November 1923, No. 7" with no other record of Vol. 6 has its volume wrong
    root = copy_pages(tmp_path, COMMUNIST_REVIEW)
    plant(root, "archive/paul-william/articles/1923/11/x01.htm", "Volume 4,", "Volume 6,")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == ["mia-html/archive/paul-william/articles/1923/11/x01.htm"]
    assert "the 4 others come an issue every 31 days" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "Vol. 4"


# -- the pages either side of a work's page ---------------------------------------------------

CIVIL_WAR = [f"archive/marx/works/1871/civil-war-france/ch0{n}.htm" for n in range(1, 7)]


def test_page_dated_by_a_slip_between_two_pages_of_one_date(store: Store, tmp_path: Path) -> None:
    # ch01 and ch02 are the addresses of July and September 1870; ch03–ch06 say "May, 1871"
    root = copy_pages(tmp_path, CIVIL_WAR)
    plant(root, CIVIL_WAR[4], "May, 1871", "May, 1873")
    found = checked(store, root, "work-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{CIVIL_WAR[4]}"]
    assert "the pages beside it in its work, ch04.htm and ch06.htm, both give May, 1871" in (
        found[0].message
    )
    assert found[0].suggestion is not None and found[0].suggestion.value == "May, 1871"


SEVENTH_CONGRESS = [f"archive/lenin/works/1918/7thcong/{n:02}.htm" for n in range(1, 19)]


def test_page_between_two_slips_is_not_the_odd_one(store: Store, tmp_path: Path) -> None:
    # as the archive has it: 03.htm, 04.htm and 06.htm say "MARCH 6-8, 1910", the other 15
    # pages 1918; 05.htm, between two of the slips, is right
    root = copy_pages(tmp_path, SEVENTH_CONGRESS)
    found = checked(store, root, "work-date-mismatch")
    assert sorted(f.path.rsplit("/", 1)[-1] for f in found) == ["03.htm", "04.htm", "06.htm"]


# -- "Winter 1955–56": one winter, not two -----------------------------------------------------

#: The New International, 1951–1958: yearly volumes (Vol. XXI is 1955)
NEW_INTERNATIONAL = [
    "archive/shachtma/1951/01/britlabgov.html",
    "archive/rosmer/1951/xx/nataliat.html",
    "archive/zinoviev/works/1916/war/2eras2.html",
    "archive/rosmer/1955/xx/moscow.htm",
    "archive/rosmer/1955/xx/moscow2.html",
    "archive/rosmer/1955/xx/moscow3.html",
    "archive/rosmer/1955/xx/moscow4.html",
    "archive/rawick/1957/xx/roosevelt.html",
    "archive/rawick/1958/xx/newdeal.html",
]


def test_volume_one_out_dated_by_a_winter_across_two_years(store: Store, tmp_path: Path) -> None:
    # "Vol. XXI No. 4, Winter 1955–56" made Vol. XX: read as both winters of 1955 (December
    # 1954 to February 1956), the date would still touch Vol. XX's year
    root = copy_pages(tmp_path, NEW_INTERNATIONAL)
    plant(root, "archive/rosmer/1955/xx/moscow3.html", "Vol. XXI No. 4", "Vol. XX No. 4")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == ["mia-html/archive/rosmer/1955/xx/moscow3.html"]
    assert "New International Vol. XX is dated Winter 1955–56" in found[0].message


def test_those_winters_as_the_archive_has_them_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, NEW_INTERNATIONAL)
    assert checked(store, root, "volume-date-mismatch") == []


# -- the sign-off that ends a page ------------------------------------------------------------


def test_date_under_the_title_against_the_pages_sign_off(store: Store, tmp_path: Path) -> None:
    # the Address of the General Council ends "Office: 256 High Holborn Road, London, W.C., May
    # 30, 1871"; the page has no Written line, so the sign-off stands in for it
    root = copy_pages(tmp_path, [CIVIL_WAR[5]])
    plant(root, CIVIL_WAR[5], "May, 1871", "May, 1873")
    found = checked(store, root, "dates-disagree")
    assert [f.message for f in found] == [
        "the date under the title, May, 1873, is outside the closing note May 30, 1871"
    ]
    assert found[0].suggestion is not None and found[0].suggestion.value == "May, 1871"


def test_a_sign_off_that_contradicts_the_written_line(store: Store, tmp_path: Path) -> None:
    # as the archive has it: "Written: 24 April 1946", signed "Mexico, D.F., June 1947"
    page = "archive/sedova-natalia/1947/06/openletter.html"
    root = copy_pages(tmp_path, [page])
    found = checked(store, root, "dates-disagree")
    assert [f.message for f in found] == [
        "the closing note dates it June 1947, the Written field 24 April 1946"
    ]


# -- a publication years from its month folder, by one slip into that very month ---------------

MACLEAN = "archive/maclean/1915/11/clyde-unrest.htm"


def test_publication_decades_off_by_a_slip_into_its_folders_very_month(
    store: Store, tmp_path: Path
) -> None:
    # "Vanguard, November, 1955" under 1915/11 (no other date on the page to witness it): a
    # reprint forty years later in that very month would be chance; one digit explains it
    root = copy_pages(tmp_path, [MACLEAN])
    plant(root, MACLEAN, "November, 1915", "November, 1955")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{MACLEAN}"]
    assert "one slip puts it in the very month of 1915/11, years away" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "November, 1915"


def test_that_source_as_the_archive_has_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, [MACLEAN])
    assert checked(store, root, "path-date-mismatch") == []


# -- the same file twice, too short a text to compare ------------------------------------------

INDEX_PAGE = "history/ussr/art/photography/arts/index.htm"


def test_a_short_page_copied_under_another_name_is_the_same_file(
    store: Store, tmp_path: Path
) -> None:
    # an index page's text is too short to tell from boilerplate; its bytes are the same
    root = copy_pages(tmp_path, [INDEX_PAGE])
    shutil.copy(root / INDEX_PAGE, root / INDEX_PAGE.replace("index.htm", "index-copy.htm"))
    found = checked(store, root, "duplicate-text")
    # (the file ingested first, "index-copy.htm" by name, is taken for the original)
    copy = INDEX_PAGE.replace("index.htm", "index-copy.htm")
    assert [(f.path, f.message) for f in found] == [
        (f"mia-html/{INDEX_PAGE}", f"the same file, byte for byte, as mia-html/{copy}")
    ]


# -- a winter slip, and a book's chapter headings ---------------------------------------------

#: John Saville's articles, each dated under its title in its year folder
SAVILLE = [
    "archive/saville/1957/xx/dogma.htm",
    "archive/saville/1957/xx/welfare.htm",
    "archive/saville/1958/xx/labourhist.htm",
    "archive/saville/1959/xx/pelling.htm",
    "archive/saville/1959/xx/westfife.htm",
    "archive/saville/1964/xx/encounter.htm",
    "archive/saville/1965/xx/income.htm",
    "archive/saville/1967/xx/labourgov.htm",
    "archive/saville/1969/xx/primacc.htm",
    "archive/saville/1970/xx/1970s.htm",
]


def test_winter_slipped_out_of_its_year_folder(store: Store, tmp_path: Path) -> None:
    # "Winter 1953" slips into 1958 two ways ("Winter 1958" and "Winter 1959" both reach into
    # it); the one that names the folder's year is the fix
    root = copy_pages(tmp_path, SAVILLE)
    rel = "archive/saville/1958/xx/labourhist.htm"
    plant(root, rel, "<h3>(Winter 1958)</h3>", "<h3>(Winter 1953)</h3>")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert found[0].suggestion is not None
    assert found[0].suggestion.value == "(Winter 1958)"


def test_those_winters_in_their_folders_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, SAVILLE)
    assert checked(store, root, "path-date-mismatch") == []


#: Maurice Brinton: articles dated under their title, and a book ("The Bolsheviks and
#: Workers' Control", 1970) whose chapters are headed by the years they tell of
BRINTON_BOOK = [f"archive/brinton/1970/workers-control/0{n}.htm" for n in range(1, 7)]
BRINTON = [
    "archive/brinton/1960/10/socialism-reaffirmed.htm",
    "archive/brinton/1961/05/organization.htm",
    "archive/brinton/1961/05/paris-commune.htm",
    "archive/brinton/1965/06/balkanization-utopia.htm",
    "archive/brinton/1965/06/workers-power.htm",
    "archive/brinton/1967/04/as-we-see-it.htm",
    "archive/brinton/1967/11/mett.htm",
    "archive/brinton/1968/05/reform-revolution.htm",
    "archive/brinton/1968/12/capitalism-socialism.htm",
    "archive/brinton/1969/03/implications.htm",
    "archive/brinton/1969/07/question-power.htm",
    "archive/brinton/1970/irrational-politics.htm",
    *BRINTON_BOOK,
]


def test_chapter_headings_do_not_hide_a_slip_in_an_articles_dateline(
    store: Store, tmp_path: Path
) -> None:
    # the book's chapters, headed 1917 … 1921 under 1970, are not datelines: they do not
    # weaken what the articles teach (their date under the title is their folder's year)
    root = copy_pages(tmp_path, BRINTON)
    rel = "archive/brinton/1969/07/question-power.htm"
    plant(root, rel, "<h3>1969</h3>", "<h3>1961</h3>")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert found[0].suggestion is not None and found[0].suggestion.value == "1969"


def test_chapter_headings_and_a_named_edition_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    # nor are the chapter headings held to a folder the chapters do not keep, nor a second
    # edition the Published line names ("June 1970; 2nd edn., August 1975" under "1975")
    root = copy_pages(tmp_path, BRINTON)
    assert checked(store, root, "path-date-mismatch") == []


# -- the source's date where the Published line names only a publisher ------------------------


def _all_pages(folder: str) -> list[str]:
    corpus = need_corpus() / "mia-html"
    return sorted(
        str(p.relative_to(corpus)) for p in (corpus / folder).rglob("*.htm*") if p.is_file()
    )


def test_source_date_held_to_the_folder_where_published_names_a_publisher(
    store: Store, tmp_path: Path
) -> None:
    # "Published: the Socialist Workers Party (Britain)" gives no date: the collection's
    # "From … March 1986" line is the date of publication, and Harman's are in their folders
    pages = _all_pages("archive/harman")
    root = copy_pages(tmp_path, pages)
    rel = "archive/harman/1986/xx/eastwest.htm"
    plant(root, rel, "No.1</em>, March 1986.", "No.1</em>, March 1926.")
    found = checked(store, root, "path-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert "March 1926" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "March 1986"


def test_harmans_pages_as_the_archive_has_them_raise_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, _all_pages("archive/harman"))
    assert checked(store, root, "path-date-mismatch") == []


def test_printed_weeks_after_the_month_it_was_written_raises_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    # Padmore's "(December 1940)", filed under 1940/12, printed in The Militant on 1 February
    # 1941: day and month the other way round would put it in the folder, but nothing says
    # they are; the folder is the month of writing
    root = copy_pages(tmp_path, _all_pages("archive/padmore"))
    assert checked(store, root, "path-date-mismatch") == []


def test_publication_whose_slip_lands_in_the_month_under_the_title(
    store: Store, tmp_path: Path
) -> None:
    # "(April 1960)" under 1960/04, printed "4 September 1960": read the other way round,
    # 9 April 1960, in the very month under the title; Pearce's are printed in their folder
    root = copy_pages(tmp_path, _all_pages("archive/pearce"))
    rel = "archive/pearce/1960/04/young-socialists.htm"
    plant(root, rel, "Newsletter</strong>, 9 April 1960.", "Newsletter</strong>, 4 September 1960.")
    # (the collection has one real finding of its own: "Spring 1961" under 1961/10)
    found = [f for f in checked(store, root, "path-date-mismatch") if rel in f.path]
    assert len(found) == 1
    assert found[0].suggestion is not None and found[0].suggestion.value == "9 April 1960"


# -- yearly volumes learnt from volumes further off -------------------------------------------


def test_volume_one_out_caught_by_a_december_five_volumes_off(store: Store, tmp_path: Path) -> None:
    # Labour Monthly Vol. 20 dated November 1937: the volumes around it (Vol. 19 in January
    # 1937, Vol. 20 in March 1938) leave the month its volumes begin open; Vol. 15 in December
    # 1933 closes it: volumes of January to December, and Vol. 20 is 1938
    root = copy_pages(tmp_path, LABOUR_MONTHLY)
    rel = "archive/hill-christopher/1937/11/x01.htm"
    plant(root, rel, "Vol. 19, November", "Vol. 20, November")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert "Vol. 20 falls between December 1937 and January 1939" in found[0].message


#: Labour Monthly's records of 1921–1930: half-yearly volumes until 1924 (Vol. 4 is the first
#: half of 1923), then yearly ones (Vol. 10 is 1928)
LABOUR_MONTHLY_1920S = [
    "archive/paul-william/reviews/1923/03/crime.htm",
    "archive/wintringham/1923/05/x01.htm",
    "archive/dutt-clemens/1923/10/x01.htm",
    "archive/murphy-jt/1924/06/x01.htm",
    "archive/dutt-clemens/1925/07/x01.htm",
    "archive/paul-william/articles/1925/09/x01.htm",
    "archive/bukharin/works/1926/01/x01.htm",
    "archive/paul-william/articles/1926/02/x01.htm",
    "archive/burns-emile/1926/07/nearing.htm",
    "archive/dutt-clemens/1926/08/x01.htm",
    "archive/dutt-clemens/1926/09/x01.htm",
    "archive/dutt-clemens/1926/12/x01.htm",
    "archive/spratt/1927/10/x01.htm",
    "archive/dutt-clemens/1927/11/x01.htm",
    "archive/dutt-clemens/1927/12/x01.htm",
    "archive/dutt-clemens/1928/03/x01.htm",
    "archive/dutt-clemens/1928/06/x01.htm",
    "archive/wintringham/1928/09/rationalisation.htm",
    "archive/dutt-clemens/1929/01/x01.htm",
    "archive/dutt-clemens/1929/05/x01.htm",
    "archive/dutt-clemens/1929/07/x01.htm",
    "archive/dutt-clemens/1929/12/x01.htm",
]


def test_half_yearly_volumes_beside_yearly_ones_raise_no_alarm(
    store: Store, tmp_path: Path
) -> None:
    # the yearly volumes from 1925 on do not speak for Vol. 4 of 1923: the volumes nearest it
    # run to another rhythm
    root = copy_pages(tmp_path, LABOUR_MONTHLY_1920S)
    assert checked(store, root, "volume-date-mismatch") == []


# -- one issue of a year, cited in another volume ----------------------------------------------

#: Pierre Broué's articles reprinted in Revolutionary History, Vol. 9 No. 4, 2008 (dated only
#: to the year)
REVOLUTIONARY_HISTORY_2008 = [
    "archive/broue/1962/xx/bolshparty.html",
    "archive/broue/1972/xx/defence.html",
    "archive/broue/1980/01/bloc.html",
    "archive/broue/1988/xx/landau.html",
    "archive/broue/1993/xx/sedov.html",
]


def test_issue_of_a_year_cited_in_another_volume(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, REVOLUTIONARY_HISTORY_2008)
    rel = "archive/broue/1988/xx/landau.html"
    plant(root, rel, "Vol.&#160;9 No.&#160;4</a>, 2008", "Vol.&#160;10 No.&#160;4</a>, 2008")
    found = checked(store, root, "volume-date-mismatch")
    assert [f.path for f in found] == [f"mia-html/{rel}"]
    assert "4 other records of Revolutionary History cite that issue (No. 4, 2008) as Vol. 9" in (
        found[0].message
    )
    assert found[0].suggestion is not None and found[0].suggestion.value == "Vol. 9"


def test_that_issue_as_the_archive_cites_it_raises_no_alarm(store: Store, tmp_path: Path) -> None:
    root = copy_pages(tmp_path, REVOLUTIONARY_HISTORY_2008)
    assert checked(store, root, "volume-date-mismatch") == []
