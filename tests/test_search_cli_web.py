"""Concordance, and search and kwic through the command line and the JSON API."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from prinkipo.cli import cli
from prinkipo.ingestion import ingest
from prinkipo.search import QueryError, kwic, kwic_csv, search
from prinkipo.store import Store, open_store
from prinkipo.web.app import create_app

DATA = Path(__file__).parent / "data" / "search"
SEED = Path(__file__).parent.parent / "src" / "prinkipo" / "demo" / "seed"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The search texts and the seed, on each backend: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("kwic") / "archive.db")
    else:
        path = request.getfixturevalue("pg_server").create_database("kwic")
    with open_store(path) as store:
        ingest(store, [*sorted(DATA.glob("*.txt")), SEED])
    return path


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# -- concordance ------------------------------------------------------------------------------


def test_kwic_lists_every_occurrence_with_context(store: Store) -> None:
    lines = kwic(store, "Blumkin", width=20)
    seed_text = (SEED / "000_4114f29613fc0492.txt").read_text()
    assert len(lines) == seed_text.count("Blumkin")
    for ln in lines:
        assert ln["match"] == "Blumkin"
        assert len(ln["left"]) <= 20 and len(ln["right"]) <= 20
        assert f"{ln['left']}{ln['match']}{ln['right']}" in " ".join(seed_text.split())


def test_kwic_of_a_phrase_marks_the_whole_phrase(store: Store) -> None:
    lines = kwic(store, '"materialist conception of history"', width=10)
    assert [ln["match"] for ln in lines] == ["materialist conception of history"]
    assert lines[0]["document_id"] and lines[0]["paragraph"] == 1


def test_kwic_finds_what_search_finds_stemmed(store: Store) -> None:
    matches = {ln["match"].lower() for ln in kwic(store, "party")}
    assert matches == {"party", "parties"}


def test_kwic_sorts_by_left_and_right_context(store: Store) -> None:
    right = kwic(store, "the", sort="right")
    after = [[w.casefold() for w in re.findall(r"\w+", ln["right"])] for ln in right]
    assert after == sorted(after)
    left = kwic(store, "the", sort="left")
    assert len(left) == len(right) > 100
    before = [[w.casefold() for w in reversed(re.findall(r"\w+", ln["left"]))] for ln in left]
    assert before == sorted(before)


def test_kwic_csv_has_a_header_and_a_row_a_line(store: Store) -> None:
    lines = kwic(store, "Blumkin")
    rows = list(csv.DictReader(io.StringIO(kwic_csv(lines))))
    assert len(rows) == len(lines)
    assert rows[0]["match"] == "Blumkin" and int(rows[0]["document_id"]) == lines[0]["document_id"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"width": 0}, "width must be"), ({"sort": "sideways"}, "Unknown sort"), ({}, "Nothing")],
)
def test_kwic_refuses_bad_options_clearly(store: Store, kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        kwic(store, "lenin" if kwargs else "*", **kwargs)


# -- command line -----------------------------------------------------------------------------


def test_cli_search_prints_documents_and_facets(db: Path) -> None:
    code, out, _ = run("search", "Blumkin", "--facet", "author", "--db", str(db))
    assert code == 0
    assert "1 documents match" in out and "Opposition Serves" in out and "Leon Trotsky" in out


def test_cli_search_json_is_the_search_object(db: Path) -> None:
    code, out, _ = run(
        "search",
        "the",
        "--json",
        "--limit",
        "2",
        "--facet",
        "decade",
        "--filter",
        "author=Leon Trotsky",
        "--db",
        str(db),
    )
    assert code == 0
    body = json.loads(out)
    assert body["total"] == 3 and len(body["items"]) == 2
    assert body["facets"]["decade"]


def test_cli_search_sql_prints_without_an_archive(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    code, out, _ = run("search", '"permanent revolution"', "--sql", "--db", str(missing))
    assert code == 0
    assert "paragraphs_fts MATCH :q" in out and "'\"permanent revolution\"'" in out
    assert not missing.exists()


def test_cli_sql_prints_the_statements_of_the_archives_engine(db: str, store: Store) -> None:
    """--sql names the engine of --db and prints what its store runs: on PostgreSQL the one
    statement of a search (it runs, and answers as the search does), no FTS5 anywhere."""
    from prinkipo.search.fulltext import build_query
    from prinkipo.store.pg_search import statements_run

    query, facets = "Blumkin OR revolution", ["--facet", "author", "--facet", "genre"]
    code, out, _ = run("search", query, *facets, "--sql", "--db", db)
    assert code == 0
    postgres = db.startswith("postgresql://")
    assert out.startswith("-- postgresql" if postgres else "-- where the tantivy")
    assert ("ts_rank_cd(p.tsv" in out) is postgres and ("MATCH :q" in out) is not postgres
    code, out, _ = run(
        "search", query, "--semantic", "--filter", "genre=letter", "--sql", "--db", db
    )
    assert code == 0 and ("json_array_elements" in out) is postgres and ":f0" in out
    code, out, _ = run("kwic", '"permanent revolution"', "--sql", "--db", db)
    # PostgreSQL finds the paragraphs by FTS5's terms; FTS5 marks them (in memory)
    assert code == 0 and ("p.tsv @@ q.q" in out and "'perman' <-> 'revolut'" in out) is postgres
    assert ("highlight(paragraphs_fts" in out) is not postgres
    if postgres:
        plan = build_query(query, facets=["author", "genre"], limit=10)
        (statement,) = statements_run(plan.statements)
        assert statement.sql in run("search", query, *facets, "--sql", "--db", db)[1]
        row = store.conn.execute(statement.sql, statement.params).fetchone()
        result = search(store, query, facets=["author", "genre"], limit=10, engine="fts5")
        assert row[0] == result["total"] > 0
        assert [h[0] for h in row[1]] == [i["document_id"] for i in result["items"]]


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "x" * 10_000])
def test_cli_search_bad_query_exits_2_with_a_message(db: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--db", str(db)])
    assert result.exit_code == 2
    assert "Error:" in result.output and "Traceback" not in result.output


def test_cli_kwic_text_json_and_csv(db: Path) -> None:
    code, out, _ = run("kwic", "Blumkin", "--width", "15", "--db", str(db))
    assert code == 0 and out.count("Blumkin") >= 5
    code, out, _ = run("kwic", "Blumkin", "--json", "--db", str(db))
    first = json.loads(out)[0]
    assert {"document_id", "left", "match", "right", "paragraph"} <= set(first)
    code, out, _ = run("kwic", "Blumkin", "--csv", "--sort", "right", "--db", str(db))
    assert out.splitlines()[0] == "document_id,title,paragraph,left,match,right"


# -- JSON API ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


def test_api_search_matches_the_library(client: TestClient, db: Path) -> None:
    r = client.get(
        "/api/search",
        params={"q": "the", "facet": ["author", "year"], "limit": 3, "filter": "decade=1930s"},
    )
    assert r.status_code == 200
    with open_store(db) as store:
        expected = search(store, "the", ["decade=1930s"], ["author", "year"], 3)
    assert r.json() == expected


def test_api_kwic_json_and_csv(client: TestClient) -> None:
    lines = client.get("/api/kwic", params={"q": "Blumkin", "width": 10}).json()
    assert lines and all(ln["match"] == "Blumkin" for ln in lines)
    r = client.get("/api/kwic", params={"q": "Blumkin", "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text.startswith("document_id,title,paragraph,left,match,right")


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": "NEAR("},
        {"q": "*"},
        {"q": "((("},
        {"q": ""},
        {},
        {"q": "x" * 10_000},
        {"q": "\x00"},
        {"q": "lenin", "filter": "nope=1"},
        {"q": "lenin", "facet": "nope"},
        {"q": "lenin", "limit": "many"},
        {"q": "lenin", "mode": "telepathy"},
    ],
)
def test_api_search_hostile_input_is_a_400_in_the_error_shape(
    client: TestClient, params: dict
) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["status"] == 400 and body["error"]


@pytest.mark.parametrize(
    "q", ["'; DROP TABLE documents; --", "🙂 revolution", "Троцкий", "OR OR lenin", "((lenin", "^x"]
)
def test_api_search_odd_queries_answer_200(client: TestClient, q: str) -> None:
    r = client.get("/api/search", params={"q": q, "facet": "author"})
    assert r.status_code == 200, r.text
    assert r.json()["total"] >= 0


@pytest.mark.parametrize(
    "params", [{"q": "*"}, {"q": "lenin", "sort": "up"}, {"q": "a", "width": "0"}]
)
def test_api_kwic_bad_input_is_a_400(client: TestClient, params: dict) -> None:
    r = client.get("/api/kwic", params=params)
    assert r.status_code == 400 and r.json()["ok"] is False
