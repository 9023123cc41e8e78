"""GET /api/letters: letters as JSON (the reading room's letters page is built on the same data)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.errors import PrinkipoError
from prinkipo.objects import letter_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse

ROLES = ("self", "listed", "mentioned")


def letters_data(archive: Archive, request: Request) -> dict[str, Any]:
    """Letters, paged, filtered by ``document`` (an id) and ``role`` (self, listed, mentioned)."""
    role = request.query_params.get("role") or None
    if role is not None and role not in ROLES:
        raise PrinkipoError(f"role must be one of {', '.join(ROLES)}, not {role[:40]!r}")
    store = archive.store()
    raw_doc = request.query_params.get("document")
    doc = store.resolve(str(int_param(request, "document", 0, 0, 2**62))) if raw_doc else None
    limit = int_param(request, "limit", 100, 1, 1000)
    offset = int_param(request, "offset", 0, 0, 10**9)
    rows = store.letter_rows(doc, role, limit, offset)
    return {
        "items": [letter_object(r) for r in rows],
        "total": store.count_letters(role=role, document_id=doc),
        "limit": limit,
        "offset": offset,
    }


def routes(archive: Archive) -> list[Route]:
    def api_letters(request: Request) -> Response:
        return JSONResponse(letters_data(archive, request))

    return [Route("/api/letters", api_letters)]
