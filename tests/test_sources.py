"""Source citations from real MIA headers, split into periodical, volume, number, date, pages."""

from __future__ import annotations

import pytest

from prinkipo.sources import parse_source


@pytest.mark.parametrize(
    ("text", "periodical", "volume", "number", "edtf", "pages"),
    [
        (
            "The Militant, Vol. III No. 9, 1 March 1920, p. 4.",
            "The Militant",
            "III",
            "9",
            "1920-03-01",
            "4",
        ),
        (
            "in International Council Correspondence Vol. 1, no.4, January 1935, pp 15-25.",
            "International Council Correspondence",
            "1",
            "4",
            "1935-01",
            "15-25",
        ),
        (
            "Neue Rheinische Zeitung, No. 14, 14 June 1848.",
            "Neue Rheinische Zeitung",
            None,
            "14",
            "1848-06-14",
            None,
        ),
        ("in Solidarity, III, 9 (June 1965)", "Solidarity", "III", "9", "1965-06", None),
        ("Justice, 20th August, 1898, p.6.", "Justice", None, None, "1898-08-20", "6"),
        ("Militant, issue 39, July 1968", "Militant", None, "39", "1968-07", None),
        (
            "New International, Vol. 2 No. 3, April 1935, pp. 108–111",
            "New International",
            "2",
            "3",
            "1935-04",
            "108–111",
        ),
        # mia-html/archive/morrow-felix/1942/04/leninwar.htm: the words before "from" are not
        # the periodical's name
        (
            "A review from Fourth International, New York, Vol. 3 No. 4, April 1942, pp. 102–107.",
            "Fourth International",
            "3",
            "4",
            "1942-04",
            "102–107",
        ),
        (
            "Reprinted from Labour Monthly, Vol. 4 No. 2, February 1923",
            "Labour Monthly",
            "4",
            "2",
            "1923-02",
            None,
        ),
    ],
)
def test_periodical_citations(
    text: str, periodical: str, volume: str | None, number: str | None, edtf: str, pages: str | None
) -> None:
    c = parse_source(text)
    assert (c.periodical, c.volume, c.number, c.pages) == (periodical, volume, number, pages)
    assert c.date is not None and c.date.parsed is not None and c.date.parsed.edtf == edtf
    assert c.text == text.strip()


def test_a_book_is_not_taken_for_a_periodical() -> None:
    c = parse_source("Lawrence & Wishart, London, 1937.")
    assert c.periodical is None
    assert c.rest == "Lawrence & Wishart, London, 1937."
    assert c.date is not None and c.date.parsed is not None and c.date.parsed.edtf == "1937"


def test_spans_are_offsets_in_the_file() -> None:
    line = "Source: The Militant, Vol. III No. 9, 1 March 1920, p. 4."
    c = parse_source(line[8:], offset=8)
    assert line[c.start : c.end] == c.text
    assert c.date is not None and line[c.date.start : c.date.end] == "1 March 1920"


@pytest.mark.parametrize(
    ("value", "date"),
    [
        # real Source lines of mia-html whose first number is not a year
        ("The Living Age, Vol. 315–Number 4083, 1922.", "1922"),
        ("La Petite Republique, No 7670, 7671, 7672; 14, 15, 16 April 1897.", "16 April 1897"),
        ("Raya Dunayevskaya Archive (#2906)", None),
        # archives' call numbers
        ("RGASPI, f. 325, op. 1, d. 1920, l. 3", None),
        ("Hoover Institution, Box 1917, folder 12", None),
        ("Trotsky Archives, Houghton Library, bMS Russ 13.1 (8045)", None),
        ("Pathfinder Press (1972)", "1972"),
    ],
)
def test_call_numbers_and_issue_numbers_are_not_years(value: str, date: str | None) -> None:
    cite = parse_source(value)
    assert (cite.date.text if cite.date else None) == date
