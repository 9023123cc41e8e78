"""`prinkipo entities` and /api/entities over a real archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from prinkipo.cli import cli
from prinkipo.ingestion import ingest
from prinkipo.store import open_store
from prinkipo.web.app import create_app
from tests.conftest import need_corpus


@pytest.fixture
def archive(seed_dir: Path, db_path: Path) -> Path:
    with open_store(db_path) as store:
        ingest(store, [seed_dir])
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_cli_lists_entities_by_kind(archive: Path) -> None:
    code, out = run("entities", "--kind", "person", "--json", "--db", str(archive))
    assert code == 0
    people = json.loads(out)
    assert {p["kind"] for p in people} == {"person"}
    blumkin = people[0]
    assert blumkin["key"] == "person:blumkin-yakov" and blumkin["mention_count"] == 10
    code, out = run("entities", "--db", str(archive))
    assert code == 0 and "Vyacheslav Menzhinsky" in out and "The Militant" in out


def test_cli_shows_one_entity_with_mentions(archive: Path) -> None:
    code, out = run(
        "entities", "show", "person:menzhinsky-vyacheslav", "--json", "--db", str(archive)
    )
    assert code == 0
    obj = json.loads(out)
    assert "Менжинский" in obj["variants"] and len(obj["mentions"]) == 2
    assert obj["mentions"][0]["document_id"] == 1 and obj["mentions"][0]["text"] == "Menjinsky"
    code, out = run("entities", "show", "person:nobody", "--db", str(archive))
    assert code == 2 and "Entity person:nobody not found" in out


def test_cli_corrections(archive: Path) -> None:
    drop = "candidate:unknown:october-revolution"
    code, out = run("entities", "merge", "person:stalin-joseph", drop, "--db", str(archive))
    assert code == 0 and "correction 1: merge" in out
    code, out = run(
        "entities", "merge", "person:nobody", "person:stalin-joseph", "--db", str(archive)
    )
    assert code == 2 and "no entity with key 'person:nobody'" in out
    code, out = run("entities", "variant", "person:stalin-joseph", "Koba", "--db", str(archive))
    assert code == 0


def test_cli_loads_registers(tmp_path: Path) -> None:
    corpus = need_corpus()
    db = str(tmp_path / "a.db")
    places = corpus / "authority/schnitzler-briefe/data/indices/listplace.xml"
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI><listPlace><place", encoding="utf-8")
    code, out = run("entities", "load", str(places), str(bad), "--json", "--db", db)
    assert code == 0, out
    report = json.loads(out)
    assert report["files"][0]["entries"] > 2000
    assert report["failed"][0]["path"] == str(bad)
    code, out = run("entities", "show", "place:pmb:50", "--json", "--db", db)
    assert json.loads(out)["coordinates"] == [48.208333, 16.373056]


@pytest.fixture
def client(archive: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(archive)), raise_server_exceptions=False) as c:
        yield c


def test_api_entities(client: TestClient) -> None:
    body = client.get("/api/entities?kind=place").json()
    assert {e["name"] for e in body["items"]} >= {"Constantinople", "Moscow", "Prinkipo"}
    assert body["total"] == len(body["items"])
    entity_id = next(e["id"] for e in body["items"] if e["name"] == "Moscow")
    one = client.get(f"/api/entities/{entity_id}").json()
    assert one["key"] == "place:moscow" and one["coordinates"] == [55.7558, 37.6173]
    m = one["mentions"][0]
    assert m["document_id"] == 1 and m["text"] == "Moscow" and m["paragraph"] == 4


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/entities/99999", 404, "Entity 99999 not found"),
        ("/api/entities/9223372036854775808", 404, "not found"),
        ("/api/entities?kind=dragon", 400, "kind must be one of"),
        ("/api/entities?limit=-1", 400, "limit must be between"),
    ],
)
def test_api_entity_errors_have_one_shape(
    client: TestClient, url: str, status: int, error: str
) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.json()["ok"] is False and error in r.json()["error"]


def test_document_object_carries_mentions(client: TestClient) -> None:
    doc = client.get("/api/documents/1").json()
    m = next(m for m in doc["mentions"] if m["text"] == "Menjinsky")
    assert m["entity_id"] and m["start"] == 616 and m["end"] == 625 and m["paragraph"] == 1
