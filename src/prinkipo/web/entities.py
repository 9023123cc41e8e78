"""The entities API: ``/api/entities?kind=`` and ``/api/entities/{id}`` (JSON only here)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.entities.authority import KINDS
from prinkipo.errors import PrinkipoError
from prinkipo.objects import entity_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse

_KINDS = (*KINDS, "unknown")


def routes(archive: Archive) -> list[Route]:
    def api_entities(request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in _KINDS:
            raise PrinkipoError(f"kind must be one of {', '.join(_KINDS)}, not {kind[:40]!r}")
        every = request.query_params.get("all", "") in ("1", "true", "yes")
        limit = int_param(request, "limit", 100, 1, 1000)
        offset = int_param(request, "offset", 0, 0, 10**9)
        store = archive.store()
        rows = store.entity_summaries(kind, not every, limit, offset)
        return JSONResponse(
            {
                "items": [entity_object(r) for r in rows],
                "total": store.count_entities(kind, not every),
                "limit": limit,
                "offset": offset,
            }
        )

    def api_entity(request: Request) -> Response:
        store = archive.store()
        return JSONResponse(entity_object(store.entity(request.path_params["entity_id"]), store))

    return [
        Route("/api/entities", api_entities),
        Route("/api/entities/{entity_id:int}", api_entity),
    ]
