"""GET /api/search and GET /api/kwic: the search library as JSON (the HTML page is the web's)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.errors import PrinkipoError
from prinkipo.search import SORTS, kwic, kwic_csv
from prinkipo.search.semantic import MODES, search_any
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse

__all__ = ["MODES", "routes"]


def routes(archive: Archive) -> list[Route]:
    def api_search(request: Request) -> Response:
        """``?q=&facet=&filter=NAME=VALUE&limit=&offset=&mode=&engine=``: the contract's search
        object (``engine``: auto, tantivy or fts5, for full text)."""
        params = request.query_params
        mode = params.get("mode") or "fulltext"
        if mode not in MODES:
            raise PrinkipoError(f"Unknown mode {mode[:40]!r}; modes: {', '.join(MODES)}")
        result = search_any(
            archive.store(),
            params.get("q", ""),
            filters=params.getlist("filter"),
            facets=[f for v in params.getlist("facet") for f in v.split(",") if f],
            limit=int_param(request, "limit", 20, 1, 1000),
            offset=int_param(request, "offset", 0, 0, 10**6),
            mode=mode,
            engine=params.get("engine") or "auto",
        )
        return JSONResponse(result)

    def api_kwic(request: Request) -> Response:
        """``?q=&width=&sort=&limit=&format=json|csv``: concordance lines."""
        params = request.query_params
        sort = params.get("sort") or "document"
        if sort not in SORTS:
            raise PrinkipoError(f"Unknown sort {sort[:40]!r}; sorts: {', '.join(SORTS)}")
        fmt = params.get("format") or "json"
        if fmt not in ("json", "csv"):
            raise PrinkipoError(f"Unknown format {fmt[:40]!r}; formats: json, csv")
        lines = kwic(
            archive.store(),
            params.get("q", ""),
            width=int_param(request, "width", 40, 1, 500),
            sort=sort,
            limit=int_param(request, "limit", 1000, 1, 100_000),
        )
        if fmt == "csv":
            return Response(
                kwic_csv(lines),
                media_type="text/csv; charset=utf-8",
                headers={"content-disposition": 'attachment; filename="kwic.csv"'},
            )
        return JSONResponse(lines)

    return [
        Route("/api/search", api_search),
        Route("/api/kwic", api_kwic),
    ]
