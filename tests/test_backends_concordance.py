"""The same concordance and the same search matches on SQLite and PostgreSQL, on real pages.

A historian's concordance lists the occurrences of a word in the archive: which database holds
it must not change them. Both backends index FTS5's own tokens (``store/fts5_text.py``), so each
query below must list the same lines (document, paragraph, and the marked text, which places
every match) and search must find the same documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from prinkipo.ingestion import ingest
from prinkipo.search import kwic, parse_query, search
from prinkipo.store import open_store
from prinkipo.store.copy import copy_archive
from tests.conftest import need_corpus
from tests.pgserver import PgServer

#: real mia-html pages: the Paris Commune and communism, surplus value (once as "the
#: -surplus value-which", a hyphen PostgreSQL's own parser would read as a compound word),
#: Rákosi and Łódź/Lodz (diacritics), Jaurès
PAGES = [
    "archive/newbold/1917/02/01.htm",
    "archive/munis/1980/09/poland.htm",
    "archive/fitzgerald/1910/modern_socialism.htm",
    "archive/fryer/1956/dec/preface.htm",
    "archive/lenin/works/1913/apr/rl-acc-capital-notes.htm",
]
TERMS = [
    "commune",  # a word: FTS5's Porter stems it "commun", as it does communism and community
    "communities",  # an inflected form
    '"surplus value"',  # a phrase
    "Rákosi",  # a name with diacritics (also matches "Rakosi")
    "lodz",  # and without them
    "capital*",  # a prefix
    "is",  # a short word FTS5 never stems (PostgreSQL's Snowball would make it "i")
    "NEAR(surplus labour, 5)",
    "trotsky OR stalin",
    "value -surplus",
]
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module")
def archives(
    pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """The pages ingested into a SQLite file and a PostgreSQL database."""
    corpus = need_corpus() / "mia-html"
    files = [corpus / p for p in PAGES]
    out = {
        "sqlite": str(tmp_path_factory.mktemp("concordance") / "archive.db"),
        "postgresql": pg_server.create_database("concordance"),
    }
    for target in out.values():
        with open_store(target) as store:
            ingest(store, files, check=False)
    yield out
    pg_server.drop_database(out["postgresql"])


def concordance(target: str, term: str) -> list[tuple[Any, ...]]:
    """(document path, paragraph n, left, match, right) of each line, and each paragraph's
    marked text (where every match starts and ends)."""
    with open_store(target) as store:
        paths = {d["id"]: d["path"] for d in store.document_summaries()}
        lines = [
            (paths[x["document_id"]], x["paragraph"], x["left"], x["match"], x["right"])
            for x in kwic(store, term, width=30)
        ]
        marked = [
            (paths[d], n, text) for d, n, text, _ in store.kwic_rows(parse_query(term).fts, 1000)
        ]
    return lines + marked


@pytest.mark.parametrize("term", TERMS)
def test_both_backends_list_the_same_concordance(archives: dict[str, str], term: str) -> None:
    found = {b: concordance(archives[b], term) for b in BACKENDS}
    assert found["sqlite"], f"{term!r} finds nothing in the pages: the test would prove nothing"
    assert found["postgresql"] == found["sqlite"]


def test_stemming_is_the_same_on_both_backends(archives: dict[str, str]) -> None:
    for backend in BACKENDS:
        with open_store(archives[backend]) as store:
            matched = {x["match"].lower() for x in kwic(store, "commune")}
            # FTS5's Porter stemmer (both backends) folds these together; Porter2 would not
            assert {"communism", "community"} <= matched, (backend, matched)
            # a phrase matches its hyphenated form too (FTS5 reads "-" as a separator)
            phrase = {x["match"].lower() for x in kwic(store, '"surplus value"')}
            assert phrase == {"surplus value", "surplus-value"}, backend


@pytest.mark.parametrize("term", TERMS)
def test_both_backends_find_the_same_documents(archives: dict[str, str], term: str) -> None:
    found = {}
    for backend in BACKENDS:
        with open_store(archives[backend]) as store:
            result = search(store, term, limit=50, engine="fts5")
            found[backend] = (result["total"], sorted(i["path"] for i in result["items"]))
    assert found["postgresql"] == found["sqlite"]


def test_a_copy_into_postgresql_indexes_the_same_tokens(
    archives: dict[str, str], pg_server: PgServer
) -> None:
    """``prinkipo copy`` writes no ``tsv`` of its own: the PostgreSQL store fills them after."""
    target = pg_server.create_database("concordance_copy")
    try:
        with open_store(archives["sqlite"]) as src, open_store(target) as dst:
            copy_archive(src, dst)
        for term in ('"surplus value"', "Rákosi", "commune"):
            assert concordance(target, term) == concordance(archives["sqlite"], term)
    finally:
        pg_server.drop_database(target)


def test_snippets_are_marked_as_fts5_marks_them(archives: dict[str, str]) -> None:
    """A paragraph's snippet is FTS5's ``snippet()`` on both backends (which paragraphs of a
    document are shown follows each backend's ranking): a phrase is marked once, as a whole."""
    shown: dict[str, dict[tuple[str, int], str]] = {}
    for backend in BACKENDS:
        with open_store(archives[backend]) as store:
            items = search(store, '"surplus value"', engine="fts5")["items"]
        shown[backend] = {
            (i["path"], s["paragraph"]): s["html"] for i in items for s in i["snippets"]
        }
    both = shown["sqlite"].keys() & shown["postgresql"].keys()
    assert both
    assert {k: shown["postgresql"][k] for k in both} == {k: shown["sqlite"][k] for k in both}
    assert any("<mark>surplus value</mark>" in v.lower() for v in shown["postgresql"].values())
