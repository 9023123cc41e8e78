"""Full-text search over a real archive: ranking, snippets, facets, filters, hostile queries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prinkipo.ingestion import ingest
from prinkipo.search import QueryError, build_query, search
from prinkipo.store import Store, open_store

DATA = Path(__file__).parent / "data" / "search"
SEED = Path(__file__).parent.parent / "src" / "prinkipo" / "demo" / "seed"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """Five real MIA texts and the seed letter, ingested the ordinary way, on each backend."""
    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("search") / "archive.db")
    else:
        path = request.getfixturevalue("pg_server").create_database("search")
    with open_store(path) as store:
        report = ingest(store, [*sorted(DATA.glob("*.txt")), SEED])
        assert report.added == 6, report.failed
        yield store


def titles(result: dict) -> list[str]:
    return [item["title"] for item in result["items"]]


def test_a_word_finds_the_documents_that_hold_it_best_first(archive: Store) -> None:
    r = search(archive, "bourgeoisie")
    assert r["total"] >= 1
    assert titles(r)[0].startswith("Manifesto of the Communist Party")
    scores = [i["score"] for i in r["items"]]
    assert scores == sorted(scores, reverse=True)


def test_stemming_finds_other_forms_of_a_word(archive: Store) -> None:
    # the letter says "materialist"; "revolutionary" also matches "revolution"
    assert search(archive, "revolutions")["total"] == search(archive, "revolution")["total"]


def test_case_and_accents_are_folded(archive: Store) -> None:
    assert search(archive, "KONIGSBERG")["total"] == 1
    assert search(archive, "königsberg")["total"] == 1


def test_titles_are_searched_and_weigh_more(archive: Store) -> None:
    r = search(archive, "ultralefts")
    assert titles(r)[0].startswith("Ultralefts in General")


def test_a_phrase_needs_its_words_side_by_side(archive: Store) -> None:
    phrase = search(archive, '"materialist conception of history"')
    assert titles(phrase) == ["Engels to J. Bloch In Königsberg"]
    reversed_ = search(archive, '"history conception materialist"')
    assert reversed_["total"] == 0


def test_prefix_boolean_and_near(archive: Store) -> None:
    assert search(archive, "proletar*")["total"] >= search(archive, "proletariat")["total"]
    both = search(archive, "bloch OR blumkin")
    assert {
        "Engels to J. Bloch In Königsberg",
        "Opposition Serves the Bolshevik Revolution",
    } <= set(titles(both))
    without = search(archive, "trotsky -blumkin", limit=50)
    assert "Opposition Serves the Bolshevik Revolution" not in titles(without)
    near = search(archive, "NEAR(blumkin constantinople, 5)")
    assert titles(near) == ["Opposition Serves the Bolshevik Revolution"]
    assert search(archive, "NEAR(blumkin bourgeoisie, 3)")["total"] == 0


def test_snippets_are_escaped_html_with_marks(archive: Store) -> None:
    r = search(archive, "Blumkin")
    item = r["items"][0]
    assert "<mark>Blumkin</mark>" in item["snippet"]
    assert 1 <= len(item["snippets"]) <= 3
    assert all("<script" not in s["html"] for s in item["snippets"])
    assert item["paragraphs_matched"] >= 3
    assert {"document_id", "title", "score", "snippet"} <= set(item)


def test_result_object_has_the_contract_shape(archive: Store) -> None:
    r = search(archive, "party", facets=["author"], limit=2, offset=1)
    assert {"query", "total", "items", "facets"} <= set(r)
    assert r["query"] == "party" and r["limit"] == 2 and r["offset"] == 1
    assert len(r["items"]) <= 2
    assert all({"value", "count"} <= set(v) for v in r["facets"]["author"])


def test_pages_do_not_overlap(archive: Store) -> None:
    everything = [i["document_id"] for i in search(archive, "the", limit=50)["items"]]
    pages = [
        i["document_id"]
        for o in (0, 2, 4)
        for i in search(archive, "the", limit=2, offset=o)["items"]
    ]
    assert pages == everything[:6]


def test_facets_count_documents_under_the_query(archive: Store) -> None:
    r = search(archive, "the", facets=["author", "genre", "periodical", "language"], limit=50)
    authors = {v["value"]: v["count"] for v in r["facets"]["author"]}
    assert authors["Leon Trotsky"] == 3
    assert sum(v["count"] for v in r["facets"]["language"]) == r["total"]
    assert {"value": "The Militant", "count": 1} in r["facets"]["periodical"]


def test_year_facet_is_honest_about_a_range_across_years(archive: Store) -> None:
    r = search(archive, "bourgeoisie OR blumkin", facets=["year", "decade"])
    years = {v["value"]: v for v in r["facets"]["year"]}
    # the Manifesto was written December 1847 – January 1848: possible in both, certain in neither
    assert years["1847"] == {"value": "1847", "count": 0, "possible": 1}
    assert years["1848"] == {"value": "1848", "count": 0, "possible": 1}
    assert years["1930"]["count"] == 1
    decades = {v["value"]: v for v in r["facets"]["decade"]}
    assert decades["1840s"]["count"] == 1


def test_filters_narrow_and_combine(archive: Store) -> None:
    everyone = search(archive, "the", limit=50)["total"]
    trotsky = search(archive, "the", filters=["author=Leon Trotsky"], limit=50)
    assert trotsky["total"] == 3 < everyone
    # the name as written matches too (only the seed letter writes "L. Trotsky")
    assert search(archive, "the", filters=["author=L. Trotsky"])["total"] == 1
    both = search(archive, "the", filters=["author=Leon Trotsky", "decade=1930s"], limit=50)
    assert sorted(titles(both)) == [
        "Opposition Serves the Bolshevik Revolution",
        "Ultralefts in General and Incurable Ultralefts in Particular",
    ]
    assert search(archive, "the", filters=["year=1937"])["total"] == 1
    # year= means certainly then: the Manifesto's 1847–1848 range is in neither year
    assert search(archive, "bourgeoisie", filters=["year=1848"])["total"] == 0
    # from/to mean possibly then: the range overlaps
    assert search(archive, "bourgeoisie", filters=["from=1848", "to=1848"])["total"] == 1


@pytest.mark.parametrize(
    ("filters", "facets", "message"),
    [
        (["nonsense=1"], [], "Unknown filter 'nonsense'"),
        (["author"], [], "is not NAME=VALUE"),
        (["author="], [], "is not NAME=VALUE"),
        ([], ["colour"], "Unknown facet 'colour'"),
    ],
)
def test_unknown_filters_and_facets_say_which_exist(
    archive: Store, filters: list[str], facets: list[str], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        search(archive, "the", filters=filters, facets=facets)


HOSTILE = [
    '"unbalanced',
    "AND",
    "OR OR OR lenin",
    "NEAR(",
    "NEAR(lenin",
    "*",
    "lenin*)*(",
    "x" * 10_000,
    "revolution " * 1000,
    "'; DROP TABLE documents; --",
    "1 OR 1=1",
    "\" OR rowid MATCH '*' --",
    "paragraphs_fts:lenin",
    "{lenin trotsky}",
    "^lenin",
    "\x00\x01\x1b[31m",
    "🙂 revolution",
    "Троцкий",
    "-",
    "- - -",
    "(((",
    ")))",
    ",,,",
]


@pytest.mark.parametrize("typed", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_give_results_or_a_query_error(archive: Store, typed: str) -> None:
    try:
        r = search(archive, typed, facets=["author", "year"])
    except QueryError as err:
        assert str(err)
    else:
        assert r["total"] >= 0
    assert archive.count_documents() == 6


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_text_searches_or_raises_query_error(archive: Store, typed: str) -> None:
    with contextlib.suppress(QueryError):
        search(archive, typed, facets=["author"], limit=3)


def test_build_query_shows_sql_with_the_query_as_a_parameter() -> None:
    plan = build_query("'; DROP TABLE documents; --", ["author=Robert'); --"], ["author"])
    sql = plan.sql()
    assert "MATCH :q" in sql
    assert "DROP TABLE" not in sql.split("-- hits", 1)[1].split("\n", 1)[1].split(";\n")[0]
    assert plan.query.fts == '"DROP" AND "TABLE" AND "documents;"'


def test_a_changed_title_is_found_by_its_new_words(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    record = (DATA / "bloch.txt").read_text()
    (folder / "bloch.txt").write_text(record)
    with open_store(tmp_path / "a.db") as store:
        ingest(store, [folder])
        assert search(store, "Königsberg")["total"] == 1
        (folder / "bloch.txt").write_text(record.replace("In Königsberg", "In Memel"))
        ingest(store, [folder])
        assert search(store, "memel")["items"][0]["title"] == "Engels to J. Bloch In Memel"
        assert search(store, "Königsberg")["total"] == 0
