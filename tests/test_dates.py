"""parse_date over real archive date strings (tests/data/dates.json) and the hard cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from edtf import parse_edtf
from hypothesis import given
from hypothesis import strategies as st

from prinkipo import PrinkipoError, UnparseableDate, parse_date
from prinkipo.dates import find_date

TABLE = json.loads((Path(__file__).parent / "data" / "dates.json").read_text(encoding="utf-8"))


def test_table_has_at_least_sixty_real_dates() -> None:
    assert len(TABLE["dates"]) >= 60


@pytest.mark.parametrize("case", TABLE["dates"], ids=lambda c: c["text"])
def test_real_archive_dates(case: dict[str, str]) -> None:
    parsed = parse_date(case["text"])
    assert parsed.text == case["text"]
    assert parsed.edtf == case["edtf"]
    assert str(parsed.earliest) == case["earliest"]
    assert str(parsed.latest) == case["latest"]
    assert parsed.julian == case.get("julian")


@pytest.mark.parametrize("case", TABLE["dates"], ids=lambda c: c["text"])
def test_every_edtf_we_write_is_valid_edtf(case: dict[str, str]) -> None:
    # The edtf library is the reference implementation: it must read what we produce.
    parse_edtf(parse_date(case["text"]).edtf)


@pytest.mark.parametrize("case", TABLE["unreadable"], ids=lambda c: c["text"])
def test_real_unreadable_dates_raise(case: dict[str, str]) -> None:
    with pytest.raises(UnparseableDate) as err:
        parse_date(case["text"])
    assert repr(case["text"]) in str(err.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("30 February 1930", "February 1930 has no day 30"),
        ("29 February 1900", "February 1900 has no day 29"),
        ("31 April 1917", "April 1917 has no day 31"),
        ("32 January 1920", "no day 32"),
        ("0 March 1920", "no day 0"),
        ("1930-13-01", ""),
        ("", "empty"),
        ("   ", "empty"),
        ("yesterday", "no day, month or year"),
        ("13 (27) March 1917", "Old Style 13 is 26 March New Style, not 27"),
        ("1937–1936", "ends before it begins"),
        ("Winter 1986/67", "ends before it begins"),
    ],
)
def test_impossible_dates_are_refused_not_guessed(text: str, reason: str) -> None:
    with pytest.raises(UnparseableDate) as err:
        parse_date(text)
    assert reason in str(err.value)
    assert isinstance(err.value, PrinkipoError)


def test_malformed_date_is_a_value_error_too() -> None:
    with pytest.raises(ValueError):
        parse_date("30 February 1930")


@pytest.mark.parametrize(
    ("text", "edtf", "earliest", "latest", "julian"),
    [
        (
            "25 October 1917 (O.S.)",
            "1917-11-07",
            date(1917, 11, 7),
            date(1917, 11, 7),
            "1917-10-25",
        ),
        (
            "October 25 (November 7), 1917",
            "1917-11-07",
            date(1917, 11, 7),
            date(1917, 11, 7),
            "1917-10-25",
        ),
        (
            "29 February 1900 (O.S.)",
            "1900-03-13",
            date(1900, 3, 13),
            date(1900, 3, 13),
            "1900-02-29",
        ),
        (
            "18 February 1720 Old Style",
            "1720-02-29",
            date(1720, 2, 29),
            date(1720, 2, 29),
            "1720-02-18",
        ),
    ],
)
def test_old_style_dates_convert_and_keep_the_julian_reading(
    text: str, edtf: str, earliest: date, latest: date, julian: str
) -> None:
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.earliest, parsed.latest, parsed.julian) == (
        edtf,
        earliest,
        latest,
        julian,
    )
    assert parsed.calendar == "julian"


@pytest.mark.parametrize(
    ("text", "edtf", "earliest", "latest", "flags"),
    [
        ("c. 1650", "1650~", date(1649, 1, 1), date(1651, 12, 31), {"approximate"}),
        ("[1850?]", "1850?", date(1850, 1, 1), date(1850, 12, 31), {"uncertain", "supplied"}),
        ("1850?", "1850?", date(1850, 1, 1), date(1850, 12, 31), {"uncertain"}),
        ("not before 1928", "1928/..", date(1928, 1, 1), None, set()),
        ("not after 12 May 1930", "../1930-05-12", None, date(1930, 5, 12), set()),
        ("4-8 September 1915", "1915-09-04/1915-09-08", date(1915, 9, 4), date(1915, 9, 8), set()),
        ("1905-1907", "1905/1907", date(1905, 1, 1), date(1907, 12, 31), set()),
        ("Winter 1917", "1917-24", date(1916, 12, 1), date(1917, 2, 28), set()),
        # one winter across two years (New International, "Winter 1955–56"), and a span of them
        ("Winter 1955–56", "1956-24", date(1955, 12, 1), date(1956, 2, 29), set()),
        ("Winter 1999/2000", "2000-24", date(1999, 12, 1), date(2000, 2, 29), set()),
        ("Winter 1955–57", "1955-24/1957", date(1954, 12, 1), date(1957, 12, 31), set()),
        ("193X", "193X", date(1930, 1, 1), date(1939, 12, 31), set()),
        ("1930-21", "1930-21", date(1930, 3, 1), date(1930, 5, 31), set()),
        ("(January 1930)", "1930-01", date(1930, 1, 1), date(1930, 1, 31), set()),
    ],
)
def test_precision_approximation_uncertainty_and_open_ranges(
    text: str, edtf: str, earliest: date | None, latest: date | None, flags: set[str]
) -> None:
    parsed = parse_date(text)
    assert (parsed.edtf, parsed.earliest, parsed.latest) == (edtf, earliest, latest)
    for flag in ("approximate", "uncertain", "supplied"):
        assert getattr(parsed, flag) is (flag in flags)


@pytest.mark.parametrize(
    ("text", "span", "edtf"),
    [
        ("The Militant, Vol. III No. 9, 1 March 1920, p. 4.", "1 March 1920", "1920-03-01"),
        # mia-html/archive/dutt/articles/1922/02/25.htm: no space after the comma
        ("The Communist, February 25,1922.", "February 25,1922", "1922-02-25"),
        (
            "New International, Vol. XXI No. 4, Winter 1955–56, pp. 236–239.",
            "Winter 1955–56",
            "1956-24",
        ),
    ],
)
def test_find_date_inside_a_citation_gives_its_span(text: str, span: str, edtf: str) -> None:
    found = find_date(text)
    assert found is not None
    parsed, start, end = found
    assert text[start:end] == span
    assert parsed.edtf == edtf


def test_to_dict_is_the_contract_date_object() -> None:
    out = parse_date("5 January 1930.").to_dict()
    assert out == {
        "text": "5 January 1930.",
        "edtf": "1930-01-05",
        "earliest": "1930-01-05",
        "latest": "1930-01-05",
        "calendar": "gregorian",
        "precision": "day",
    }


@given(st.text(max_size=60))
def test_any_string_either_parses_consistently_or_raises_unparseable(text: str) -> None:
    try:
        parsed = parse_date(text)
    except UnparseableDate:
        return
    if parsed.earliest and parsed.latest:
        assert parsed.earliest <= parsed.latest


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2100, 12, 31)))
def test_written_out_days_round_trip(day: date) -> None:
    for text in (f"{day.day} {day:%B} {day.year}", f"{day:%B} {day.day}, {day.year}"):
        parsed = parse_date(text)
        assert parsed.earliest == parsed.latest == day
