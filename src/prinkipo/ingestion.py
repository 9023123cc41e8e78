"""Ingest: files and folders → the archive, idempotent, crash-safe, never losing a file.

Each file read ends in exactly one of: added, updated, unchanged, skipped (a recognised non-work,
such as an index page) or failed (with a reason a person can act on). The archive path of a file
is its path relative to the parent of the folder (or file) named on the command line, so
``ingest ../shared/seed`` stores ``seed/000_4114f29613fc0492.txt`` wherever it is run from.

How the work is shared out, and why it is safe:

* The main process walks the folders, reads and hashes each file, and compares the hash with what
  the archive holds: an unchanged file costs one read and one SHA-256, nothing more.
* A changed or new file is parsed by a pool of worker processes (one per core; :func:`parse`,
  the reader then :data:`STEPS`), while the main process writes the documents already parsed.
  Results come back in file order through a bounded window, so memory stays flat however many
  files there are.
* Writes are grouped into transactions of up to :data:`BATCH_DOCUMENTS` documents or
  :data:`BATCH_SECONDS` seconds; each document sits in its own savepoint, so it is stored whole or
  not at all. A crash (even SIGKILL) loses at most the open batch; SQLite's journal rolls it back,
  and the next run finds those files unstored and ingests them: no duplicates, nothing half-done.
* A worker that dies on a file (a crash in a C library) is replaced; the files that were in
  flight are parsed again one at a time, so only the file that kills a worker is recorded failed.

To add a step to every document (entities, letters …), append a function
``step(doc: Document, authority: Authority | None) -> Document`` to :data:`STEPS` at import time
of a module that ``prinkipo.ingestion`` imports; steps run in the workers, in order.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prinkipo import readers
from prinkipo.anchors import paragraph_anchors
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
#: a transaction holds at most this many documents …
BATCH_DOCUMENTS = 200
#: … and stays open at most this long (other writers wait while it is open)
BATCH_SECONDS = 1.0
#: files parsed in the main process before a worker pool is worth starting
INLINE_FIRST = 24
#: files sent to a worker in one task
CHUNK_FILES = 8
#: files in flight per worker (bounds memory: each holds a file's bytes and, once parsed, its
#: document) …
WINDOW_PER_WORKER = 48
#: … and bytes of files in flight, all workers together (a chunk is sent early when it holds
#: this much, so one large file travels alone)
WINDOW_BYTES = 32 * 1024 * 1024
#: an ingest that has added this many documents, and at least as many as the archive held
#: when it began, is a bulk load: the store drops its deferrable indexes until the end
#: (``Store.defer_indexes``): at 100,000 pages that saves about a tenth of the ingest's time
DEFER_INDEXES_AFTER = 10_000

Step = Callable[[Document, Authority | None], Document]


def link_mentions(doc: Document, authority: Authority | None) -> Document:
    """Mentions of the authority's people, places … in the text (not for skipped pages)."""
    if authority is not None and not doc.record.skip_reason:
        doc.mentions = link_document(doc, authority)
    return doc


def find_letters(doc: Document, authority: Authority | None) -> Document:
    """Letters: sender, recipient, place, date of a document that is one (or lists them)."""
    enrich(doc, authority)
    return doc


def anchor_paragraphs(doc: Document, authority: Authority | None) -> Document:
    """Each paragraph's stable anchor, computed here in the worker, not by the single writer."""
    if not doc.record.skip_reason:
        doc.anchors = paragraph_anchors(p.text for p in doc.record.paragraphs)
    return doc


#: what every document goes through after its reader and :func:`~prinkipo.header.interpret`
STEPS: list[Step] = [link_mentions, find_letters, anchor_paragraphs]


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
    """A file to ingest: its archive path and where it is on disk (absolute)."""

    key: str
    location: str

    @property
    def source(self) -> Path:
        return Path(self.location)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Candidate]:
    """Every file under the given paths, in a stable order, hidden ones left out.

    Plain string paths, not pathlib: a re-ingest of an unchanged folder is mostly this walk.
    """
    for given in paths:
        real = os.path.realpath(given)
        prefix = os.path.basename(real) or real.strip("/")
        if not os.path.isdir(real):
            yield Candidate(prefix, real)
            continue
        skip = len(real.rstrip(os.sep)) + 1
        for dirpath, dirnames, filenames in os.walk(real):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            # os.walk joins onto `real` as given, so the part after it is the relative path
            rel = dirpath[skip:]
            folder = f"{prefix}/{rel.replace(os.sep, '/')}" if rel else prefix
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield Candidate(f"{folder}/{name}", os.path.join(dirpath, name))


def parse(key: str, data: bytes, fmt: str | None, authority: Authority | None) -> Document:
    """Read and interpret one file's bytes, then run :data:`STEPS` (pure: no store, no disk)."""
    record = readers.read(key, data, fmt)
    doc = interpret(record, authority)
    for step in STEPS:
        doc = step(doc, authority)
    return doc


# -- reading and hashing (main process) ------------------------------------------------------


@dataclass(slots=True)
class _Job:
    """A file read and hashed, waiting to be parsed and stored."""

    key: str
    source: str
    info: FileInfo
    data: bytes


def _read(cand: Candidate) -> tuple[FileInfo, bytes | None]:
    """(info, bytes) of a regular file; bytes is None when it is too large to read whole.

    Raises OSError (with a message) for anything that is not a readable regular file: a FIFO
    or a device would block or never end.
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer; on a regular file it changes nothing
    fd = os.open(cand.location, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file (mode {stat.filemode(st.st_mode)})")
        if st.st_size > MAX_FILE_BYTES:
            h = hashlib.sha256()
            while chunk := os.read(fd, 1 << 20):
                h.update(chunk)
            return FileInfo(cand.key, h.hexdigest(), st.st_size), None
        # plain os.read of the stat'ed size, plus a byte to notice a file that grew meanwhile
        data = os.read(fd, st.st_size + 1)
        if len(data) > st.st_size:
            parts = [data]
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
    finally:
        os.close(fd)
    return FileInfo(cand.key, hashlib.sha256(data).hexdigest(), len(data)), data


# -- parsing (worker processes) ----------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _init_worker(fmt: str | None, authority: Authority | None) -> None:
    _worker_state["fmt"] = fmt
    _worker_state["authority"] = authority


def _parse_outcome(
    key: str, data: bytes, fmt: str | None, authority: Authority | None
) -> tuple[Document | None, str | None]:
    """(document, None) or (None, reason): a bad file never raises out of here."""
    try:
        return parse(key, data, fmt, authority), None
    except PrinkipoError as err:
        return None, getattr(err, "reason", None) or str(err)
    except RecursionError:
        return None, "the file is nested too deeply to read"
    except Exception as err:  # a reader bug must not end the batch; the file is kept
        return None, f"internal error while reading ({type(err).__name__}: {err}); please report it"


_Outcome = tuple[Document | None, str | None]


def _parse_in_worker(key: str, data: bytes) -> _Outcome:
    return _parse_outcome(key, data, _worker_state["fmt"], _worker_state["authority"])


def _parse_chunk_in_worker(items: list[tuple[str, bytes]]) -> list[_Outcome]:
    return [_parse_in_worker(key, data) for key, data in items]


class _Parser:
    """Parses jobs in order: inline for a handful, then in a pool of worker processes.

    Jobs go to the pool in chunks of :data:`CHUNK_FILES` files: one task per file left the
    workers idle between files while the pool's feeder thread in this process waited for the
    interpreter lock, about a tenth of the run. At most :data:`WINDOW_PER_WORKER` files per
    worker (and :data:`WINDOW_BYTES` of them) are in flight, so a slow file at the head of the
    line holds up the writer but not the other workers.
    """

    def __init__(self, fmt: str | None, authority: Callable[[], Authority], workers: int) -> None:
        self.fmt, self.workers = fmt, workers
        self._authority_of = authority
        self._authority: Authority | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.window: deque[tuple[list[_Job], Future[list[_Outcome]]]] = deque()
        self.chunk: list[_Job] = []
        self.in_flight = 0  # files in the window
        self.in_flight_bytes = 0
        self.inline = 0

    def __enter__(self) -> _Parser:
        return self

    @property
    def authority(self) -> Authority:
        """Built on the first file that needs parsing: a re-ingest of unchanged files needs none."""
        if self._authority is None:
            self._authority = self._authority_of()
        return self._authority

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, job: _Job) -> Iterator[tuple[_Job, Document | None, str | None]]:
        """Queue a job; yields the jobs finished meanwhile, in submission order."""
        if self.pool is None and (self.workers <= 0 or self.inline < INLINE_FIRST):
            self.inline += 1
            yield job, *_parse_outcome(job.key, job.data, self.fmt, self.authority)
            return
        self.chunk.append(job)
        self.in_flight += 1
        self.in_flight_bytes += len(job.data)
        if len(self.chunk) >= CHUNK_FILES or self.in_flight_bytes >= WINDOW_BYTES:
            yield from self._send()
        while self.window and (
            self.in_flight >= self.workers * WINDOW_PER_WORKER
            or self.in_flight_bytes >= WINDOW_BYTES
        ):
            yield from self._pop()

    def drain(self) -> Iterator[tuple[_Job, Document | None, str | None]]:
        yield from self._send()
        while self.window:
            yield from self._pop()

    def _send(self) -> Iterator[tuple[_Job, Document | None, str | None]]:
        """Hand the open chunk to the pool."""
        if not self.chunk:
            return
        jobs, self.chunk = self.chunk, []
        if self.pool is None:
            self.pool = self._new_pool(self.workers)
        try:
            future = self.pool.submit(_parse_chunk_in_worker, [(j.key, j.data) for j in jobs])
        except BrokenProcessPool:  # a worker died since the last result came back
            yield from self._recover([j for c, _ in self.window for j in c] + jobs)
            return
        self.window.append((jobs, future))

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self.fmt, self.authority)
        )

    def _pop(self) -> Iterator[tuple[_Job, Document | None, str | None]]:
        jobs, future = self.window.popleft()
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            yield from self._recover(jobs + [j for c, _ in self.window for j in c])
            return
        self._settled(jobs)
        for job, outcome in zip(jobs, outcomes, strict=True):
            yield job, *outcome

    def _settled(self, jobs: list[_Job]) -> None:
        self.in_flight -= len(jobs)
        self.in_flight_bytes -= sum(len(j.data) for j in jobs)

    def _recover(self, jobs: list[_Job]) -> Iterator[tuple[_Job, Document | None, str | None]]:
        """A worker died: parse each job that was in flight alone, to find the one to blame."""
        self.window.clear()
        self._settled(jobs)
        assert self.pool is not None
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        for job in jobs:
            with self._new_pool(1) as alone:
                try:
                    yield job, *alone.submit(_parse_in_worker, job.key, job.data).result()
                except BrokenProcessPool:
                    yield job, None, "the reader crashed on this file (its process died)"


# -- writing (main process) --------------------------------------------------------------------


class _Writer:
    """Writes outcomes into the store, in batched transactions of savepoint-wrapped documents."""

    def __init__(
        self,
        store: Store,
        report: IngestReport,
        on_file: Callable[[str, str], None] | None,
        defer_after: int | None = None,
    ):
        self.store, self.report, self.on_file = store, report, on_file
        self.stack = ExitStack()
        self.open_since: float | None = None
        self.in_batch = 0
        #: documents added before the writer drops the deferrable indexes (None: never)
        self.defer_after = defer_after
        self.deferred = False

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        # On an error the batch is rolled back by the transaction's own exit.
        self.stack.__exit__(*exc)  # type: ignore[arg-type]

    def done(self, key: str, outcome: str) -> None:
        if self.on_file:
            self.on_file(key, outcome)

    def _begin(self) -> None:
        if self.open_since is None:
            self.stack = ExitStack()
            self.stack.enter_context(self.store.transaction())
            self.open_since = time.monotonic()
            self.in_batch = 0

    def _tick(self) -> None:
        self.in_batch += 1
        assert self.open_since is not None
        if self.in_batch >= BATCH_DOCUMENTS or time.monotonic() - self.open_since > BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.open_since is not None:
            self.stack.close()
            self.open_since = None
            if (
                not self.deferred
                and self.defer_after is not None
                and self.report.added >= self.defer_after
            ):
                self.store.defer_indexes()
                self.deferred = True

    def failure(self, job: _Job, data: bytes | None, reason: str, status: str = "failed") -> None:
        self._begin()
        self.store.record_failure(job.info, job.source, data, reason, status=status)
        self._tick()

    def write(self, job: _Job, doc: Document | None, error: str | None) -> None:
        key = job.key
        if doc is None:
            reason = error or "unreadable"
            self.failure(job, job.data, reason)
            self.report.failed.append({"path": key, "error": reason})
            self.done(key, "failed")
            return
        if doc.record.skip_reason:
            self._begin()
            self.store.record_failure(
                job.info, job.source, job.data, doc.record.skip_reason, "skipped", doc.record.format
            )
            self._tick()
            self.report.skipped.append({"path": key, "reason": doc.record.skip_reason})
            self.done(key, "skipped")
            return
        self._begin()
        _, created = self.store.save_document(job.info, job.source, job.data, doc)
        self._tick()
        if created:
            self.report.added += 1
        else:
            self.report.updated += 1
        self.done(key, "added" if created else "updated")


def default_workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    fmt: str | None = None,
    authority: Authority | None = None,
    on_file: Callable[[str, str], None] | None = None,
    workers: int | None = None,
    check: bool = True,
) -> IngestReport:
    """Ingest files and folders into ``store``; ``on_file(path, outcome)`` follows progress.

    ``workers`` is the number of parsing processes (default: one per core; 0 parses in this
    process, in file order, which tests use to act between files). When any document was added
    or updated, the checks run over the archive afterwards and its findings are stored
    (``check=False`` leaves that to ``prinkipo check``).
    """
    base = authority
    store.restore_indexes()  # left missing by a bulk ingest that was killed
    known = store.file_states()
    report = IngestReport()
    n_workers = default_workers() if workers is None else workers
    held = sum(1 for state in known.values() if state.document_id is not None)
    with (
        store.bulk_writing(),
        _Writer(store, report, on_file, max(DEFER_INDEXES_AFTER, held)) as writer,
        _Parser(fmt, lambda: archive_authority(store, base), n_workers) as parser,
    ):
        for cand in iter_files(paths):
            job = _prepare(cand, known, report, writer)
            if job is not None:
                for done, doc, error in parser.submit(job):
                    writer.write(done, doc, error)
        for done, doc, error in parser.drain():
            writer.write(done, doc, error)
        writer.commit()
    store.restore_indexes()
    if check and (report.added or report.updated):
        from prinkipo.checks import refresh_findings

        refresh_findings(store)
    return report


def _prepare(
    cand: Candidate, known: dict[str, Any], report: IngestReport, writer: _Writer
) -> _Job | None:
    """Read and hash a file; settle it at once when it is unchanged, unreadable or too large."""
    key = cand.key
    try:
        loc = cand.location
        source = os.path.realpath(loc) if os.path.islink(loc) else loc
        info, data = _read(cand)
    except OSError as err:
        report.failed.append({"path": key, "error": f"cannot read the file: {err.strerror or err}"})
        writer.done(key, "failed")
        return None
    state = known.get(key)
    if state is not None and state.sha256 == info.sha256 and state.status != "failed":
        if state.status == "skipped":
            report.skipped.append({"path": key, "reason": state.reason or "not a work"})
            writer.done(key, "skipped")
        else:
            report.unchanged += 1
            writer.done(key, "unchanged")
        return None
    if data is None:
        reason = f"file too large: {info.size / 2**20:.0f} MB (limit {MAX_FILE_BYTES // 2**20} MB)"
        job = _Job(key, source, info, b"")
        writer.failure(job, None, reason)
        report.failed.append({"path": key, "error": reason})
        writer.done(key, "failed")
        return None
    return _Job(key, source, info, data)
