"""The reading room and API: in-process for every route, and a real server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from prinkipo.checks import decide
from prinkipo.demo import build_demo
from prinkipo.ingestion import ingest
from prinkipo.store import open_store
from prinkipo.web.app import create_app


def test_api_documents_lists_with_total(client: TestClient) -> None:
    r = client.get("/api/documents?limit=10&offset=0")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1 and body["items"][0]["title"].startswith("Opposition")


def test_api_document_is_the_document_object(client: TestClient) -> None:
    doc = client.get("/api/documents/1").json()
    assert doc["id"] == 1 and doc["dates"]["written"]["edtf"] == "1930-01-05"
    assert doc["source"]["volume"] == "III"


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        ("/api/documents/99", 404, "Document 99 not found"),
        ("/api/documents?limit=abc", 400, "limit must be a whole number"),
        ("/api/documents?limit=0", 400, "limit must be between 1 and 1000"),
        ("/api/nowhere", 404, "/api/nowhere not found"),
    ],
)
def test_every_api_error_has_one_shape(
    client: TestClient, url: str, status: int, error: str
) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.json() == {"ok": False, "status": status, "error": r.json()["error"]}
    assert error in r.json()["error"]


def test_home_and_document_pages(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "Opposition Serves the Bolshevik Revolution" in home.text
    page = client.get("/documents/1")
    assert page.status_code == 200
    assert 'id="p4"' in page.text and "The Militant" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/documents/99").status_code == 404


def test_document_text_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "A <b>Person</b>\n\n<script>alert(1)</script> Title\n\nWritten: 1931\n\n"
        '<img src=x onerror=alert(2)> "quoted" \' body\n',
        encoding="utf-8",
    )
    db = tmp_path / "h.db"
    with open_store(db) as store:
        ingest(store, [folder])
    with TestClient(create_app(str(db))) as c:
        html = c.get("/documents/1").text + c.get("/").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_builds_the_demo_archive_and_answers_on_loopback(tmp_path: Path) -> None:
    port, db = _free_port(), tmp_path / "demo.db"
    exe = Path(sys.executable).parent / "prinkipo"
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/documents/1", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert r.status_code == 200
        assert r.json()["authors"][0]["as_written"] == "L. Trotsky"
        assert "Opposition Serves" in httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert b"building the demo archive" in err


def test_serve_with_two_workers_sees_writes_in_every_worker(tmp_path: Path) -> None:
    """Each worker process has its own cache; a write from outside reaches all of them."""
    port, db = _free_port(), tmp_path / "demo.db"
    build_demo(str(db))
    exe = Path(sys.executable).parent / "prinkipo"
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/documents/1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        open_findings = {
            f["id"] for f in httpx.get(url, timeout=5).json()["findings"] if f["status"] == "open"
        }
        for _ in range(8):  # a new connection each time: both workers answer and cache
            assert httpx.get(url, timeout=5).status_code == 200
        with open_store(db) as store:
            finding = store.findings(document_id=1, status="open")[0]
            decide(store, str(finding["id"]), "dismissed", by="someone")
        assert finding["id"] in open_findings
        for _ in range(8):
            doc = httpx.get(url, timeout=5).json()
            assert {f["id"]: f["status"] for f in doc["findings"]}[finding["id"]] == "dismissed"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
