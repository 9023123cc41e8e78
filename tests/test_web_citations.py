"""GET /api/documents/{id}/cite: the citation object over HTTP, and its errors."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


def test_cite_chicago_note_with_a_paragraph_anchor(client: TestClient) -> None:
    r = client.get("/api/documents/1/cite?style=chicago-note&paragraph=2")
    assert r.status_code == 200
    body = r.json()
    assert body["citation"]["text"].endswith("The Militant, 1 March 1920, para. 2.")
    assert body["anchor"].startswith("p-")
    assert body["url"] == f"http://testserver/documents/1#{body['anchor']}"
    assert body["csl"]["type"] == "article-newspaper"
    page = client.get("/documents/1").text
    assert f'id="{body["anchor"]}"' in page


def test_cite_defaults_and_styles(client: TestClient) -> None:
    assert client.get("/api/documents/1/cite").json()["style"] == "chicago-note"
    mla = client.get("/api/documents/1/cite?style=mla&locale=en-US").json()
    assert mla["citation"]["text"].startswith("(Trotsky, “Opposition")


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/documents/99/cite", 404, "Document 99 not found"),
        ("/api/documents/1/cite?style=harvard", 400, "No citation style 'harvard'"),
        ("/api/documents/1/cite?paragraph=99", 400, "has no paragraph 99"),
        ("/api/documents/1/cite?paragraph=x", 400, "paragraph must be a whole number"),
        ("/api/documents/1/cite?locale=xx-YY", 400, "No locale 'xx-YY'"),
        ("/api/documents/1/cite?style=" + "a" * 5000, 400, "too long"),
    ],
)
def test_cite_errors_have_the_one_shape(
    client: TestClient, url: str, status: int, error: str
) -> None:
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert body["ok"] is False and body["status"] == status and error in body["error"]


@pytest.mark.parametrize(
    ("fmt", "media", "start"),
    [
        ("csl-json", "application/vnd.citationstyles.csl+json", b"["),
        ("bibtex", "application/x-bibtex; charset=utf-8", b"% Exported by prinkipo"),
        ("site", "application/zip", b"PK"),
    ],
)
def test_api_export_answers_the_file(
    client: TestClient, fmt: str, media: str, start: bytes
) -> None:
    r = client.get(f"/api/export/{fmt}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == media
    assert r.content.startswith(start)
    assert f"prinkipo-{fmt}." in r.headers["content-disposition"]


def test_api_export_unknown_format_is_a_400(client: TestClient) -> None:
    r = client.get("/api/export/docx")
    assert r.status_code == 400
    assert r.json()["error"].startswith("No exporter for 'docx'; known formats: bibtex")
