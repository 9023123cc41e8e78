"""GET /api/letters on a real app over a real archive (the seed)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


def test_api_letters(client: TestClient) -> None:
    body = client.get("/api/letters").json()
    assert body["total"] == 2
    letter, mentioned = body["items"]
    assert letter["sender"]["name"] == "Leon Trotsky"
    assert letter["place"]["name"] == "Prinkipo"
    assert mentioned["carrier"]["name"] == "Blumkin"
    assert mentioned["evidence"]["text"].startswith("Through Blumkin")
    only = client.get("/api/letters?role=mentioned&limit=1").json()
    assert [x["id"] for x in only["items"]] == [mentioned["id"]]
    assert only["total"] == 1
    by_doc = client.get(f"/api/letters?document={letter['document_id']}").json()
    assert by_doc["total"] == 2


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/letters?role=nope", 400, "role must be one of"),
        ("/api/letters?limit=0", 400, "limit must be between"),
        ("/api/letters?document=x", 400, "document must be a whole number"),
        ("/api/letters?document=99", 404, "Document 99 not found"),
    ],
)
def test_api_letters_errors(client: TestClient, url: str, status: int, error: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and error in body["error"]


def test_letters_are_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    names = [p["name"] for p in spec["paths"]["/api/letters"]["get"]["parameters"]]
    assert {"document", "role", "limit", "offset"} <= set(names)
