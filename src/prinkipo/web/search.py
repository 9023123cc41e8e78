"""GET /api/search and GET /api/kwic: the search library as JSON (the HTML page is the web's).

Meaning-based search (``mode=semantic`` or ``hybrid``) needs the model's packages and an index
that ``prinkipo index`` builds once. A search embeds the few documents an ingest added since
(at most :data:`EMBED_ON_REQUEST`) itself; it never builds the whole index inside a request.
Without model or index, ``semantic`` is a 503 that says what to do, and ``hybrid`` is full text
with that reason in ``notes``; the page shows its toggle switched off with the same sentence.
"""

from __future__ import annotations

import weakref
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.errors import PrinkipoError
from prinkipo.search import SORTS, kwic, kwic_csv
from prinkipo.search.embedder import SemanticUnavailable, load_embedder
from prinkipo.search.semantic import MODES, missing_vectors, search_any
from prinkipo.store import Store
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse

__all__ = ["EMBED_ON_REQUEST", "MODES", "routes", "run_search", "semantic_unavailable"]

#: documents a search may embed itself (added since the index was built); more wait for
#: ``prinkipo index``
EMBED_ON_REQUEST = 50


#: store → ((its data_version, the limit) when last asked, the answer): asking costs a scan of
#: the vectors (10 ms on 3,500 documents), so it is asked again only once the archive changed
_ASKED: weakref.WeakKeyDictionary[Store, tuple[tuple[int, int], str | None]] = (
    weakref.WeakKeyDictionary()
)


def semantic_unavailable(store: Store) -> str | None:
    """Why meaning-based search cannot run on this archive now (a sentence), or None if it can."""
    version = store.data_version()
    key = (version, EMBED_ON_REQUEST) if version is not None else None
    asked = _ASKED.get(store)
    if asked is not None and asked[0] == key:
        return asked[1]
    why = _why_not(store)
    if key is not None:
        _ASKED[store] = (key, why)
    return why


def _why_not(store: Store) -> str | None:
    try:
        model = load_embedder().name
    except SemanticUnavailable as err:
        return str(err)
    if not store.has_vectors(model):
        return (
            "this archive has no meaning-based index yet: it is built once with"
            " `prinkipo index` (every document is embedded), and then search by meaning works"
        )
    waiting = len(missing_vectors(store, model, EMBED_ON_REQUEST + 1))
    if waiting > EMBED_ON_REQUEST:
        return (
            f"more than {EMBED_ON_REQUEST} documents were added since the meaning-based index"
            " was built: `prinkipo index` brings it up to date"
        )
    return None


def run_search(
    store: Store,
    q: str,
    filters: list[str],
    facets: list[str],
    limit: int,
    offset: int,
    mode: str,
    engine: str = "auto",
) -> dict[str, Any]:
    """The search object of ``mode``; a meaning-based mode this archive cannot run is refused
    (``semantic``: :class:`SemanticUnavailable`, a 503) or left out (``hybrid``: full text,
    the reason in ``notes``); ``engine`` picks the full-text engine (auto, tantivy, fts5)."""
    if mode not in MODES:
        raise PrinkipoError(f"Unknown mode {mode[:40]!r}; modes: {', '.join(MODES)}")
    why = semantic_unavailable(store) if mode != "fulltext" else None
    if why is not None and mode == "semantic":
        raise SemanticUnavailable(f"Search by meaning is not available: {why}")
    result = search_any(
        store, q, filters, facets, limit, offset, "fulltext" if why is not None else mode, engine
    )
    if why is not None:
        result["notes"].append(f"meaning-based part left out: {why}")
    return result


def routes(archive: Archive) -> list[Route]:
    def api_search(request: Request) -> Response:
        """``?q=&facet=&filter=NAME=VALUE&limit=&offset=&mode=&engine=``: the contract's search
        object (``engine``: auto, tantivy or fts5, for full text)."""
        params = request.query_params
        result = run_search(
            archive.store(),
            params.get("q", ""),
            filters=params.getlist("filter"),
            facets=[f for v in params.getlist("facet") for f in v.split(",") if f],
            limit=int_param(request, "limit", 20, 1, 1000),
            offset=int_param(request, "offset", 0, 0, 10**6),
            mode=params.get("mode") or "fulltext",
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
