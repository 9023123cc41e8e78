"""Shared fixtures: real SQLite files in temp dirs, a real PostgreSQL server, the seed, the corpus,
and the reading room in process (``client``, over ``seed_db``: a module overrides ``seed_db`` to
serve another archive).

``store`` is a SQLite archive. ``any_store`` (and ``archive_db``, its address) is parametrised over
both backends: a SQLite file and a fresh database on a throwaway PostgreSQL server started once per
test process (``pg_server``); use them for tests of behaviour both backends must share.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from prinkipo.ingestion import ingest
from prinkipo.store import Store, open_store
from prinkipo.web.app import create_app
from tests.pgserver import PgServer, find_pg_bin

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_FILE = ROOT / "src" / "prinkipo" / "demo" / "seed" / "000_4114f29613fc0492.txt"


def need_corpus() -> Path:
    """The shared corpus; tests may skip without it only outside CI."""
    return need_shared(CORPUS)


def need_shared(path: Path) -> Path:
    """A file or folder of ../shared (corpus, schemas, csl); skipped without it outside CI."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the shared data is missing at {path}")
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as s:
        yield s


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A folder named seed/ holding a copy of the founding record (so tests may change it)."""
    folder = tmp_path / "seed"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    return folder


@pytest.fixture
def seed_db(seed_dir: Path, db_path: Path) -> Path:
    """An archive file holding the founding record, checked (as ingest does)."""
    with open_store(db_path) as store:
        ingest(store, [seed_dir])
    return db_path


@pytest.fixture
def client(seed_db: Path) -> Iterator[TestClient]:
    """The reading room over ``seed_db``, in process; its errors are answers, never raised."""
    with TestClient(create_app(str(seed_db)), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server on 127.0.0.1 (installed by scripts/setup-system.sh)."""
    pg_bin = find_pg_bin()
    if pg_bin is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but PostgreSQL is not installed (scripts/setup-system.sh)")
        pytest.skip("PostgreSQL is not installed: run scripts/setup-system.sh as root")
    server = PgServer(pg_bin).start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where an archive lives, once for each backend: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_store(archive_db: str) -> Iterator[Store]:
    """An open archive, once for each backend."""
    with open_store(archive_db) as s:
        yield s
