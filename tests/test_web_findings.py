"""GET /api/findings and the findings on the document object, in-process."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


def test_api_findings_lists_finding_objects(client: TestClient) -> None:
    r = client.get("/api/findings")
    assert r.status_code == 200
    found = r.json()
    assert {f["rule"] for f in found} >= {"published-before-written", "volume-date-mismatch"}
    f = next(f for f in found if f["rule"] == "published-before-written")
    assert f["suggestion"]["value"] == "1 March 1930"
    assert f["evidence"][0] == {"field": "Source", "text": "1 March 1920", "start": 135, "end": 147}


@pytest.mark.parametrize(
    ("query", "rules"),
    [
        ("severity=error", {"published-before-written"}),
        ("severity=warning", {"volume-date-mismatch"}),
        ("rule=volume-date-mismatch", {"volume-date-mismatch"}),
        ("severity=info", set()),
        ("status=dismissed", set()),
    ],
)
def test_api_findings_filters(client: TestClient, query: str, rules: set[str]) -> None:
    assert {f["rule"] for f in client.get(f"/api/findings?{query}").json()} == rules


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("severity=fatal", "severity must be one of error, warning, info"),
        ("rule=%3Cscript%3E", "rule must be one of"),
        ("limit=0", "limit must be between 1 and 1000"),
        ("document=x", "document must be a whole number"),
    ],
)
def test_api_findings_bad_filters_are_400(client: TestClient, query: str, error: str) -> None:
    r = client.get(f"/api/findings?{query}")
    assert r.status_code == 400
    assert r.json()["ok"] is False and error in r.json()["error"]


def test_document_object_carries_its_findings(client: TestClient) -> None:
    doc = client.get("/api/documents/1").json()
    assert {f["rule"] for f in doc["findings"]} >= {"published-before-written"}


def test_api_rules(client: TestClient) -> None:
    rules = client.get("/api/rules").json()
    assert all(r["doc"] and r["severity"] for r in rules)
