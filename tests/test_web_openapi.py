"""Schemathesis over /api/openapi.json: generated requests to every API route find no 500."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from prinkipo.checks import refresh_findings
from prinkipo.ingestion import ingest
from prinkipo.search.semantic import index
from prinkipo.store import open_store
from prinkipo.web.app import create_app
from tests.conftest import ROOT, SEED_FILE

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

#: the app is made at import (schemathesis needs it to generate the tests); the archive behind it
#: is filled once, before the first test, by the fixture below
_FOLDER = Path(tempfile.mkdtemp(prefix="prinkipo-schemathesis-"))
# every xdist worker imports this module (and makes the folder), only one runs its tests
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
APP = create_app(str(_FOLDER / "schema.db"))


@pytest.fixture(scope="module", autouse=True)
def _archive() -> Iterator[None]:
    docs = _FOLDER / "docs"
    shutil.copytree(ROOT / "tests" / "data" / "search", docs, ignore=shutil.ignore_patterns("*.md"))
    shutil.copy(SEED_FILE, docs / SEED_FILE.name)
    with open_store(_FOLDER / "schema.db") as store:
        assert not ingest(store, [docs]).failed
        refresh_findings(store)
        index(store)  # meaning-based search set up, so generated mode=semantic requests run it
    yield
    shutil.rmtree(_FOLDER, ignore_errors=True)


schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_500(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call()
    case.validate_response(
        response,
        checks=(
            not_a_server_error,
            status_code_conformance,
            response_schema_conformance,
        ),
    )


def test_documented_parameters_and_answers() -> None:
    """What the routes accept and answer is in the document: ``all`` on the entities, the 503
    of a meaning-based search that cannot run here."""
    from starlette.testclient import TestClient

    doc = TestClient(APP).get("/api/openapi.json").json()
    entities = {p["name"] for p in doc["paths"]["/api/entities"]["get"]["parameters"]}
    assert {"kind", "all", "limit", "offset"} <= entities
    assert "503" in doc["paths"]["/api/search"]["get"]["responses"]
