"""Ingest: files and folders → the archive, idempotent, never losing a file.

Each file read ends in exactly one of: added, updated, unchanged, skipped (a recognised non-work,
such as an index page) or failed (with a reason a person can act on). A file whose bytes did not
change since the last ingest is only hashed. The archive path of a file is its path relative to the
parent of the folder (or file) named on the command line, so ``ingest ../shared/seed`` stores
``seed/000_4114f29613fc0492.txt`` wherever it is run from.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prinkipo import readers
from prinkipo.entities.authority import Authority
from prinkipo.entities.corrections import archive_authority
from prinkipo.entities.link import link_document
from prinkipo.errors import PrinkipoError
from prinkipo.header import interpret
from prinkipo.letters import enrich
from prinkipo.model import Document, FileInfo
from prinkipo.store import Store

#: files larger than this are recorded as failed, with their hash, not read
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.skipped) + len(self.failed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to ingest: its archive path and where it is on disk."""

    key: str
    source: Path


def iter_files(paths: Iterable[str | Path]) -> Iterator[Candidate]:
    """Every regular file under the given paths, in a stable order, hidden ones left out."""
    for given in paths:
        root = Path(given)
        base = root.resolve().parent
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith("."):
                        p = Path(dirpath) / name
                        yield Candidate(_key(p, base), p)
        else:
            yield Candidate(_key(root, base), root)


def _key(p: Path, base: Path) -> str:
    absolute = Path(os.path.abspath(p))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.name


def parse(key: str, data: bytes, fmt: str | None, authority: Authority | None) -> Document:
    """Read and interpret one file's bytes, mentions included (pure: no store, no disk)."""
    record = readers.read(key, data, fmt)
    doc = interpret(record, authority)
    if authority is not None and not record.skip_reason:
        doc.mentions = link_document(doc, authority)
    enrich(doc, authority)
    return doc


def _hash_file(path: Path) -> tuple[FileInfo | None, bytes | None]:
    """(info, bytes) of a file; bytes is None when it is too large to read whole."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        return FileInfo(str(path), h.hexdigest(), size), None
    data = path.read_bytes()
    return FileInfo(str(path), hashlib.sha256(data).hexdigest(), len(data)), data


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    fmt: str | None = None,
    authority: Authority | None = None,
    on_file: Callable[[str, str], None] | None = None,
    check: bool = True,
) -> IngestReport:
    """Ingest files and folders into ``store``; ``on_file(path, outcome)`` follows progress.

    When any document was added or updated, the checks run over the archive afterwards and its
    findings are stored (``check=False`` leaves that to ``prinkipo check``).
    """
    authority = archive_authority(store, authority)
    known = store.file_states()
    report = IngestReport()
    for cand in iter_files(paths):
        outcome = _ingest_one(store, cand, fmt, authority, known, report)
        if on_file:
            on_file(cand.key, outcome)
    if check and (report.added or report.updated):
        from prinkipo.checks import refresh_findings

        refresh_findings(store)
    return report


def _ingest_one(
    store: Store,
    cand: Candidate,
    fmt: str | None,
    authority: Authority,
    known: dict[str, Any],
    report: IngestReport,
) -> str:
    key, source = cand.key, str(cand.source.resolve())
    try:
        info, data = _hash_file(cand.source)
    except OSError as err:
        report.failed.append({"path": key, "error": f"cannot read the file: {err.strerror or err}"})
        return "failed"
    assert info is not None
    info = FileInfo(key, info.sha256, info.size)
    state = known.get(key)
    if state is not None and state.sha256 == info.sha256 and state.status != "failed":
        if state.status == "skipped":
            report.skipped.append({"path": key, "reason": state.reason or "not a work"})
            return "skipped"
        report.unchanged += 1
        return "unchanged"
    if data is None:
        reason = f"file too large: {info.size / 2**20:.0f} MB (limit {MAX_FILE_BYTES // 2**20} MB)"
        store.record_failure(info, source, None, reason)
        report.failed.append({"path": key, "error": reason})
        return "failed"
    try:
        doc = parse(key, data, fmt, authority)
    except PrinkipoError as err:
        reason = getattr(err, "reason", None) or str(err)
        store.record_failure(info, source, data, reason)
        report.failed.append({"path": key, "error": reason})
        return "failed"
    except Exception as err:  # a reader bug must not end the batch; the file is kept
        reason = f"internal error while reading ({type(err).__name__}: {err}); please report it"
        store.record_failure(info, source, data, reason)
        report.failed.append({"path": key, "error": reason})
        return "failed"
    if doc.record.skip_reason:
        store.record_failure(
            info, source, data, doc.record.skip_reason, status="skipped", fmt=doc.record.format
        )
        report.skipped.append({"path": key, "reason": doc.record.skip_reason})
        return "skipped"
    _, created = store.save_document(info, source, data, doc)
    if created:
        report.added += 1
        return "added"
    report.updated += 1
    return "updated"
