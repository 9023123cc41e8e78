"""The findings review queue: readers read it; only a signed-in editor or a token decides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from starlette.testclient import TestClient

from prinkipo.checks import refresh_findings
from prinkipo.cli import cli
from prinkipo.store import open_store
from tests.test_web_auth import PASSWORD, add_editor, sign_in


@pytest.fixture
def seed_db(seed_db: Path) -> Path:
    """The seed archive with an editor (conftest's ``client`` serves it)."""
    add_editor(seed_db)
    return seed_db


def finding_id(client: TestClient, rule: str = "published-before-written") -> int:
    items = client.get("/api/findings").json()
    return next(f["id"] for f in items if f["rule"] == rule)


def test_readers_see_the_queue_without_the_buttons(client: TestClient) -> None:
    page = BeautifulSoup(client.get("/findings").text, "html.parser")
    messages = [a.select_one("b").text for a in page.select("article.finding")]
    assert any("1 March 1920 is before the date written" in m for m in messages)
    assert not page.select("article form")
    assert page.find("a", string="sign in")["href"] == "/signin?next=/findings"
    assert "1 March 1920 is before" in client.get("/").text  # latest findings on the home page


def test_a_reader_cannot_decide(client: TestClient) -> None:
    fid = finding_id(client)
    form = client.post(f"/findings/{fid}/accept", data={"csrf": "x"})
    assert form.status_code == 401 and "Editors only" in form.text
    api = client.post(f"/api/findings/{fid}/accept")
    assert api.status_code == 401
    assert api.json() == {"ok": False, "status": 401, "error": api.json()["error"]}
    bad = client.post(f"/api/findings/{fid}/dismiss", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert client.get("/api/findings").json()[0]["status"] == "open"


def test_an_editor_accepts_a_fix_and_the_document_reads_corrected(
    seed_db: Path, client: TestClient
) -> None:
    fid = finding_id(client)
    assert sign_in(client) == 303
    page = client.get("/findings").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf and f'action="/findings/{fid}/accept"' in page
    forged = client.post(f"/findings/{fid}/accept", data={"csrf": "forged"})
    assert forged.status_code == 403
    r = client.post(
        f"/findings/{fid}/accept",
        data={"csrf": csrf.group(1), "value": "1 March 1930", "next": "/findings"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/findings"
    open_rules = [f["rule"] for f in client.get("/api/findings").json()]
    assert "published-before-written" not in open_rules  # the fix resolved it
    with open_store(seed_db) as store:
        (correction,) = store.corrections_for("seed/000_4114f29613fc0492.txt")
    assert (correction["value"], correction["by"]) == ("1 March 1930", "ada")
    doc = client.get("/api/documents/1").json()
    assert doc["source"]["date"]["edtf"] == "1930-03-01"


def test_an_api_token_dismisses_and_the_finding_stays_dismissed(
    seed_db: Path, client: TestClient
) -> None:
    token = CliRunner().invoke(cli, ["users", "token", "ada", "--db", str(seed_db)]).output.strip()
    fid = finding_id(client, "volume-date-mismatch")
    r = client.post(
        f"/api/findings/{fid}/dismiss",
        headers={"Authorization": f"Bearer {token}"},
        json={"note": "checked against the printed volume"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "dismissed" and body["decision"]["by"] == "ada"
    assert fid not in [f["id"] for f in client.get("/api/findings").json()]
    with open_store(seed_db) as store:
        refresh_findings(store)
    assert "volume-date-mismatch" not in [f["rule"] for f in client.get("/api/findings").json()]


@pytest.mark.parametrize("body", [b"{", b"[1]", b'{"note": 5}'])
def test_bad_api_bodies_are_400s(seed_db: Path, client: TestClient, body: bytes) -> None:
    token = CliRunner().invoke(cli, ["users", "token", "ada", "--db", str(seed_db)]).output.strip()
    fid = finding_id(client)
    r = client.post(
        f"/api/findings/{fid}/dismiss",
        headers={"Authorization": f"Bearer {token}"},
        content=body,
    )
    assert r.status_code == 400 and r.json()["ok"] is False


def test_unknown_finding_is_404_for_an_editor(seed_db: Path, client: TestClient) -> None:
    token = CliRunner().invoke(cli, ["users", "token", "ada", "--db", str(seed_db)]).output.strip()
    r = client.post("/api/findings/999/accept", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404


def test_password_is_not_enough_without_a_session(client: TestClient) -> None:
    fid = finding_id(client)
    r = client.post(f"/api/findings/{fid}/accept", auth=("ada", PASSWORD))
    assert r.status_code == 401
