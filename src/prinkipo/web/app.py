"""Routes of the reading room and the API, all listed in :func:`create_app`.

Every HTML page has a JSON twin under ``/api/``; both come from the same library call. Errors on
``/api/`` share one shape: ``{"ok": false, "status": 404, "error": "Document 99 not found"}``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prinkipo.errors import PrinkipoError
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class Archive:
    """One store connection per worker thread (SQLite connections are not shared)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()
        open_store(db).close()  # create or migrate once, up front

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.db)
        return store


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PrinkipoError(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not low <= value <= high:
        raise PrinkipoError(f"{name} must be between {low} and {high}, not {value}")
    return value


def create_app(db: str) -> Starlette:
    archive = Archive(db)

    def documents_data(request: Request) -> dict[str, Any]:
        limit = _int_param(request, "limit", 50, 1, 1000)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        store = archive.store()
        return {
            "items": store.document_summaries(limit, offset),
            "total": store.count_documents(),
            "limit": limit,
            "offset": offset,
        }

    def document_data(request: Request) -> dict[str, Any]:
        store = archive.store()
        ref = request.path_params["doc_id"]
        return document_object(store, store.resolve(str(ref)))

    def api_documents(request: Request) -> Response:
        return JSONResponse(documents_data(request))

    def api_document(request: Request) -> Response:
        return JSONResponse(document_data(request))

    def home(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(request, "index.html", {"page": documents_data(request)})

    def document_page(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(request, "document.html", {"doc": document_data(request)})

    routes = [
        Route("/", home, name="home"),
        Route("/documents/{doc_id:int}", document_page, name="document"),
        Route("/api/documents", api_documents),
        Route("/api/documents/{doc_id:int}", api_document),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={PrinkipoError: _error, HTTPException: _error, Exception: _error},
    )


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
    elif isinstance(exc, HTTPException):
        status, message = exc.status_code, exc.detail or "Error"
    else:
        status, message = 500, "Internal error; it has been logged"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
    return TEMPLATES.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )
