"""A small cache of rendered responses for readers, dropped whenever the archive changes.

Pages and JSON that every reader sees alike (a document, its page, a search page) are kept as
bytes, keyed by URL, for as long as the archive is unchanged. A change is noticed two ways:
SQLite's ``data_version`` moves when another connection commits (an ingest, ``prinkipo check``,
another worker thread's write), and the web app's own writes call :meth:`ResponseCache.clear`.
Signed-in editors are never served from it (their pages carry their name and CSRF token). On a
backend without ``data_version`` (PostgreSQL, shared by many processes) nothing is cached.
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

from prinkipo.web.archive import Archive

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 2**20


class ResponseCache:
    """URL → (media type, body), least recently used out first, bounded in entries and bytes."""

    def __init__(self, archive: Archive, enabled: bool | None = None) -> None:
        self.archive = archive
        self.enabled = (
            os.environ.get("PRINKIPO_WEB_CACHE", "1") != "0" if enabled is None else enabled
        )
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._bytes = 0
        self._seen = threading.local()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

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

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, media_type: str, body: bytes) -> None:
        if len(body) > MAX_BYTES // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._items[key] = (media_type, body)
            self._bytes += len(body)
            while len(self._items) > MAX_ENTRIES or self._bytes > MAX_BYTES:
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
    response = await run_in_threadpool(make)
    if cache is not None and key is not None and response.status_code == 200:
        media = response.headers.get("content-type", "application/octet-stream")
        cache.put(key, media, bytes(response.body))
    return response
