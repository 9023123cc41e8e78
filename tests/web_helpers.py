"""Small builders the web tests share: a folder of plain-text records, an archive, a client."""

from __future__ import annotations

from pathlib import Path

from prinkipo.ingestion import ingest
from prinkipo.store import open_store


def record(author: str, title: str, written: str, body: str, source: str | None = None) -> str:
    """A plain-text record in the MIA layout the text reader reads."""
    header = f"Written: {written}\n" + (f"Source: {source}\n" if source else "")
    return f"{author}\n\n{title}\n\n{header}\n{body}\n"


def build_archive(folder: Path, db: Path, records: dict[str, str]) -> Path:
    """Write ``records`` (file name → text) into ``folder`` and ingest them into ``db``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in records.items():
        (folder / name).write_text(text, encoding="utf-8")
    with open_store(db) as store:
        report = ingest(store, [folder])
    assert not report.failed, report.failed
    return db
