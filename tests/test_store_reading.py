"""The reading room's store queries and editors' tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prinkipo.anchors import paragraph_anchors
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store
from prinkipo.store.users import UserExists
from tests.conftest import SEED_FILE
from tests.web_helpers import record


@pytest.fixture
def filled(any_store: Store, tmp_path: Path) -> Store:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "c.txt").write_text(record("Karl Marx", "Roughly", "c. 1850", "Text."), "utf-8")
    assert not ingest(any_store, [folder]).failed
    return any_store


def test_decades_and_authors(filled: Store) -> None:
    assert filled.decade_counts() == [{"decade": 1850, "count": 1}, {"decade": 1930, "count": 1}]
    assert {a["name"] for a in filled.author_counts()} == {"Leon Trotsky", "Karl Marx"}


def test_dated_documents_carry_their_ranges(filled: Store) -> None:
    rows = {r["title"]: r for r in filled.dated_documents()}
    assert rows["Roughly"]["date"]["earliest"] < "1850-01-01" < rows["Roughly"]["date"]["latest"]
    assert rows["Roughly"]["authors"] == ["Karl Marx"]


def test_original_file_bytes(filled: Store) -> None:
    doc_id = filled.resolve("docs/" + SEED_FILE.name)
    assert filled.original_file(doc_id)["content"] == SEED_FILE.read_bytes()


def test_co_mentions_correspondence_and_places(filled: Store) -> None:
    pairs = filled.co_mentions(["person"], 50)
    keys = {frozenset((p["source"], p["target"])) for p in pairs}
    assert frozenset(("person:blumkin-yakov", "person:trilisser-meer")) in keys
    focused = filled.co_mentions(["person", "place"], 50, "person:blumkin-yakov")
    assert focused and all("person:blumkin-yakov" in (p["source"], p["target"]) for p in focused)
    places = {p["name"]: p for p in filled.place_rows()}
    assert places["Prinkipo"]["sent"] == 1 and places["Moscow"]["received"] == 1
    carried = filled.entity_letter_rows("person:blumkin-yakov")
    assert [r["as"] for r in carried] == ["carrier"]
    assert isinstance(filled.correspondence(), list) and isinstance(filled.letter_arcs(), list)


def test_users_tokens_and_sessions(any_store: Store) -> None:
    user = any_store.add_user("ada", "scrypt$hash")
    with pytest.raises(UserExists):
        any_store.add_user("ada", "scrypt$other")
    any_store.add_token("ada", "d" * 64, "laptop")
    assert any_store.user_for_token("d" * 64) == user
    any_store.add_session("s" * 64, user, "csrf", "2999-01-01T00:00:00+00:00")
    session = any_store.session("s" * 64)
    assert session is not None and session.user.name == "ada" and session.csrf == "csrf"
    any_store.add_session("e" * 64, user, "csrf", "2000-01-01T00:00:00+00:00")
    assert any_store.session("e" * 64) is None  # expired
    any_store.end_session("s" * 64)
    assert any_store.session("s" * 64) is None


def test_paragraph_anchors_are_stored_at_ingest(filled: Store) -> None:
    """Stored once when read, on both backends, and the same as computing them from the text."""
    doc_id = filled.resolve("docs/" + SEED_FILE.name)
    rows = filled.document_rows(doc_id)["paragraphs"]
    assert rows and all(r["anchor"] for r in rows)
    assert [r["anchor"] for r in rows] == paragraph_anchors(r["text"] for r in rows)


def test_an_archive_stored_before_anchors_still_gets_them(filled: Store) -> None:
    doc_id = filled.resolve("docs/" + SEED_FILE.name)
    with filled.transaction() as c:  # as the migration adding the column leaves older rows
        c.execute("UPDATE paragraphs SET anchor = NULL WHERE document_id = :d", {"d": doc_id})
    paragraphs = document_object(filled, doc_id)["paragraphs"]
    assert [p["anchor"] for p in paragraphs] == paragraph_anchors(p["text"] for p in paragraphs)
