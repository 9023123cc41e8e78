"""A small cache of rendered responses for readers, dropped whenever the archive changes.

Pages and JSON that every reader sees alike (a document, its page, a search page) are kept as
bytes, keyed by URL, for as long as the archive is unchanged. A change is noticed two ways:
SQLite's ``data_version`` moves when another connection commits (an ingest, ``prinkipo check``,
another worker thread's or worker process's write), and every request that may write (any method
but GET, HEAD and OPTIONS) clears the cache when it is done (:class:`DropOnWrite`). A response
made while the cache was cleared is not kept (it may have been read before the change). Signed-in
editors are never served from it (their pages carry their name and CSRF token). On a backend
without ``data_version`` (PostgreSQL, shared by many processes) nothing is cached. Bounded: at
most ``MAX_ENTRIES`` responses and ``MAX_BYTES`` in all, least recently used out first.
``PRINKIPO_WEB_CACHE=0`` turns it off (``bench/web.py`` measures both).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prinkipo.web.archive import Archive

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 2**20


class ResponseCache:
    """URL → (media type, body), least recently used out first, bounded in entries and bytes."""

    def __init__(
        self,
        archive: Archive,
        enabled: bool | None = None,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.archive = archive
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.enabled = (
            os.environ.get("PRINKIPO_WEB_CACHE", "1") != "0" if enabled is None else enabled
        )
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._seen = threading.local()
        #: moves on every clear(): a response begun before it is not kept
        self.generation = 0

    def clear(self) -> None:
        """Drop every response (the archive changed)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.generation += 1

    def _still_valid(self) -> bool:
        version = self.archive.store().data_version()
        if version is None:
            return False
        if getattr(self._seen, "version", version) != version:
            self.clear()
        self._seen.version = version
        return True

    def usable(self, request: Request) -> bool:
        return (
            self.enabled
            and request.method in ("GET", "HEAD")
            and "prinkipo_session" not in request.cookies
            and self._still_valid()
        )

    @property
    def size(self) -> tuple[int, int]:
        """(responses, bytes) held now."""
        with self._lock:
            return len(self._items), self._bytes

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, media_type: str, body: bytes, generation: int | None = None) -> None:
        """Keep a response; not if ``generation`` (when it was begun) is no longer current."""
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (media_type, body)
            self._bytes += len(body)
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def lookup(self, request: Request) -> tuple[str | None, tuple[str, bytes] | None]:
        """(key to store the response under, or None when not cacheable; the hit, if any)."""
        if not self.usable(request):
            return None, None
        key = request.url.path + "?" + request.url.query
        return key, self.get(key)


async def cached(
    cache: ResponseCache | None, request: Request, make: Callable[[], Response]
) -> Response:
    """``make()``'s response (run in a worker thread), or the same bytes from the cache."""
    key, hit = cache.lookup(request) if cache is not None else (None, None)
    if hit is not None:
        return Response(hit[1], media_type=hit[0], headers={"x-cache": "hit"})
    generation = cache.generation if cache is not None else 0
    response = await run_in_threadpool(make)
    if cache is not None and key is not None and response.status_code == 200:
        media = response.headers.get("content-type", "application/octet-stream")
        cache.put(key, media, bytes(response.body), generation)
    return response


class DropOnWrite:
    """Clears the archive's response cache after every request that may write (pure ASGI).

    Whatever a POST, PUT, PATCH or DELETE changed (a decision, a correction, a merge), no reader
    is served a page from before it; new write routes need not remember to clear the cache.
    """

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, app: ASGIApp, archive: Archive) -> None:
        self.app = app
        self.archive = archive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in self.SAFE:
            await self.app(scope, receive, send)
            return

        async def clear_then_send(message: Message) -> None:
            if message["type"] == "http.response.start":  # the write is done: before the reply
                self._clear()
            await send(message)

        try:
            await self.app(scope, receive, clear_then_send)
        finally:
            self._clear()  # and again: a reader's page begun meanwhile is not kept

    def _clear(self) -> None:
        if self.archive.cache is not None:
            self.archive.cache.clear()
