"""The reading room and the API: route modules are gathered in :func:`create_app`.

Every HTML page has a JSON twin under ``/api/``; both come from the same library call. Errors on
``/api/`` share one shape: ``{"ok": false, "status": 404, "error": "Document 99 not found"}``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import ClassVar

import anyio.to_thread
from starlette.applications import Starlette
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prinkipo.errors import PrinkipoError
from prinkipo.web import (
    auth,
    citations,
    cite_page,
    documents,
    entities,
    entity_pages,
    explore,
    exports,
    findings,
    home,
    letters,
    letters_page,
    openapi,
    review,
    search,
    search_page,
    timeline,
)
from prinkipo.web.archive import Archive
from prinkipo.web.cache import DropOnWrite, ResponseCache
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES

STATIC = Path(__file__).parent / "static"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class ArchiveId(IntegerConvertor):
    """``{name:int}`` in every route: 1 to 18 digits, what an SQLite integer holds; a longer
    number matches no route, so it is a 404 like any id that is not there (never a 500)."""

    regex = "[0-9]{1,18}"


register_url_convertor("int", ArchiveId())


#: threads that run the library's (blocking) calls. Work is CPU-bound Python under one GIL: more
#: threads add no speed but contend for the lock (at 40, anyio's default, a document costs a
#: third more CPU under 32 connections); a few let SQLite's own work, done without the GIL,
#: overlap, and keep one slow search from holding up every reader.
WORKER_THREADS = 4


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def create_app(db: str) -> Starlette:
    """The reading room over the archive at ``db``; route modules are listed here, one a line."""
    archive = Archive(db)
    archive.cache = ResponseCache(archive)
    routes = [
        *home.routes(archive),
        *documents.routes(archive),
        *entities.routes(archive),
        *timeline.routes(archive),
        *auth.routes(archive),
        *openapi.routes(),
        *citations.routes(archive),
        *exports.routes(archive),
        *cite_page.routes(archive),
        *search.routes(archive),
        *search_page.routes(archive),
        *entity_pages.routes(archive),
        *explore.routes(archive),
        *findings.routes(archive),
        *review.routes(archive),
        *letters.routes(archive),
        *letters_page.routes(archive),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), Middleware(DropOnWrite, archive=archive)],
        exception_handlers={PrinkipoError: _error, HTTPException: _error, Exception: _error},
        lifespan=_lifespan,
    )
    app.state.archive = archive
    return app


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response (pure ASGI)."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, PrinkipoError):
        status, message = exc.status, str(exc)
    elif isinstance(exc, HTTPException) and exc.status_code == 404:
        status, message = 404, f"{request.url.path[:200]} not found"
    elif isinstance(exc, HTTPException):
        status, message = exc.status_code, exc.detail or "Error"
    else:
        status, message = 500, "Internal error; it has been logged"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
    return TEMPLATES.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
