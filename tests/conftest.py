"""Shared fixtures: real SQLite files in temp dirs, the seed record, the shared corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from prinkipo.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_FILE = ROOT / "src" / "prinkipo" / "demo" / "seed" / "000_4114f29613fc0492.txt"


def need_corpus() -> Path:
    """The shared corpus; tests may skip without it only outside CI."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the shared corpus is missing at {CORPUS}")
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


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
