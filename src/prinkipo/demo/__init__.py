"""The built-in demo archive: the founding seed record and the curated authority.

``seed/`` holds the 1930 Trotsky letter the project was founded on, byte for byte
(Marxists Internet Archive; see ``SOURCE.md`` beside it).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from prinkipo.ingestion import IngestReport, ingest
from prinkipo.store import open_store


def build_demo(db: str | Path) -> IngestReport:
    """Ingest the demo records into the archive at ``db`` (idempotent)."""
    seed = resources.files("prinkipo.demo").joinpath("seed")
    with resources.as_file(seed) as folder, open_store(db) as store:
        return ingest(store, [folder])
