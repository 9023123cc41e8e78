"""The OpenAPI document at /api/openapi.json, built from the routes the app really has.

Every ``/api/`` route is listed with its path parameters (typed from the route's converters) and
the query parameters described in :data:`QUERY`; a route this table does not know yet is still
listed, with its path parameters, so the document never lags behind the app.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any

from starlette.convertors import IntegerConvertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from prinkipo.web.responses import JSONResponse

INT = {"type": "integer"}
STR = {"type": "string"}


def _q(name: str, schema: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": text,
        **extra,
    }


PAGING = [
    _q("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "At most this many items."),
    _q("offset", {"type": "integer", "minimum": 0}, "Skip this many items first."),
]

#: path → (summary, query parameters) for the contract's endpoints and the reading room's own
QUERY: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "/api/documents": ("Document summaries, paged: {items, total}", PAGING),
    "/api/documents/{doc_id}": ("One document object (CONTRACT.md)", []),
    "/api/documents/{doc_id}/cite": (
        "The document cited: note or in-text citation, bibliography entry, CSL-JSON item",
        [
            _q(
                "style",
                {"type": "string", "enum": ["chicago-note", "chicago-author-date", "mla"]},
                "Citation style (default chicago-note).",
            ),
            _q("paragraph", {"type": "integer", "minimum": 1}, "Cite this paragraph."),
            _q("locale", {"type": "string", "enum": ["en-GB", "en-US"]}, "Date conventions."),
        ],
    ),
    "/api/export/{format}": (
        "The whole archive exported: csl-json, bibtex, cmif as a file; tei, site as a zip",
        [],
    ),
    "/api/overview": ("The collection at a glance: counts, decades, authors, findings", []),
    "/api/timeline": (
        "Dated documents and letters with the earliest and latest day their dates allow",
        [
            _q("from", {"type": "integer", "minimum": 1, "maximum": 2999}, "First year."),
            _q("to", {"type": "integer", "minimum": 1, "maximum": 2999}, "Last year."),
        ],
    ),
    "/api/search": (
        "Full-text (or semantic, hybrid) search with facets and snippets",
        [
            _q("q", STR, "The query."),
            _q("facet", STR, "A facet to count (repeatable)."),
            _q("filter", STR, "NAME=VALUE (repeatable)."),
            *PAGING,
            _q("mode", {"type": "string", "enum": ["fulltext", "semantic", "hybrid"]}, "Ranking."),
            _q(
                "engine",
                {"type": "string", "enum": ["auto", "tantivy", "fts5"]},
                "Full-text engine (auto: tantivy where installed).",
            ),
        ],
    ),
    "/api/kwic": (
        "Keyword in context: every occurrence with its context",
        [_q("q", STR, "Word or phrase."), _q("width", INT, "Characters each side.")],
    ),
    "/api/entities": (
        "People, places, organisations and periodicals",
        [
            _q("kind", STR, "person, place, organisation or periodical."),
            _q(
                "all",
                {"type": "string", "enum": ["1", "true", "yes", "0", "false", "no"]},
                "1, true or yes: every entity of the authority, also those no document mentions"
                " (default: only the mentioned).",
            ),
            *PAGING,
        ],
    ),
    "/api/entities/{entity_id}": ("One entity with variants, ids and mentions", []),
    "/api/letters": (
        "Letters with sender, recipient, places, dates and carrier, paged: {items, total}",
        [
            _q("document", INT, "Only the letters of this document (its id)."),
            _q(
                "role",
                {"type": "string", "enum": ["self", "listed", "mentioned"]},
                "self: documents that are letters; listed: CMIF entries; mentioned: in a text.",
            ),
            *PAGING,
        ],
    ),
    "/api/findings": (
        "Finding objects",
        [_q("severity", STR, "error, warning or info."), _q("rule", STR, "A rule name."), *PAGING],
    ),
    "/api/findings/{finding_id}/accept": (
        "Accept a finding (its suggested fix, or the JSON body's value); needs an editor",
        [],
    ),
    "/api/findings/{finding_id}/dismiss": ("Dismiss a finding; needs an editor", []),
    "/api/network": (
        "Correspondence and co-mention graph: nodes and edges",
        [_q("focus", {"type": "integer", "minimum": 1}, "An entity id: its own network.")],
    ),
    "/api/map": (
        "Places with coordinates, their documents and letters, and letter arcs",
        [_q("focus", {"type": "integer", "minimum": 1}, "An entity id: its places marked.")],
    ),
}

#: path → responses beyond the common ones (status → description)
MORE_RESPONSES: dict[str, dict[str, str]] = {
    "/api/search": {
        "503": "Search by meaning is not available here: its model is not installed, or the"
        " archive has no meaning-based index (`prinkipo index` builds it)",
    },
}

ERROR = {
    "type": "object",
    "required": ["ok", "status", "error"],
    "properties": {"ok": {"type": "boolean"}, "status": INT, "error": STR},
}


def _path_params(route: Route) -> tuple[str, list[dict[str, Any]]]:
    path, params = re.sub(r"{(\w+):\w+}", r"{\1}", route.path), []
    for name, convertor in route.param_convertors.items():
        schema = (
            {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
            if isinstance(convertor, IntegerConvertor)
            else STR
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return path, params


def _responses(write: bool, path: str) -> dict[str, Any]:
    err = {"content": {"application/json": {"schema": ERROR}}}
    out: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": {}}}},
        "400": {"description": "Bad request", **err},
        "404": {"description": "Not found", **err},
    }
    for status, text in MORE_RESPONSES.get(path, {}).items():
        out[status] = {"description": text, **err}
    if write:
        out["401"] = {"description": "No editor signed in and no Bearer token", **err}
        out["403"] = {"description": "Wrong CSRF token", **err}
        out["409"] = {"description": "Conflict", **err}
    return out


def build(routes: list[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI 3.1 document for these routes."""
    paths: dict[str, Any] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith("/api/"):
            continue
        if route.path == "/api/openapi.json" or not route.include_in_schema:
            continue
        path, params = _path_params(route)
        summary, query = QUERY.get(path, (path, []))
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            write = method != "GET"
            op: dict[str, Any] = {
                "summary": summary,
                "operationId": method.lower() + re.sub(r"[/{}]+", "_", path).rstrip("_"),
                "parameters": params + ([] if write else query),
                "responses": _responses(write, path),
            }
            if write:
                op["security"] = [{"bearer": []}]
                op["requestBody"] = {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"value": STR, "note": STR},
                            }
                        }
                    },
                }
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "prinkipo",
            "version": version("prinkipo"),
            "description": "The archive's JSON API. Errors: {ok: false, status, error}.",
        },
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def routes() -> list[Route]:
    def openapi(request: Request) -> Response:
        cached = getattr(request.app.state, "openapi", None)
        if cached is None:
            cached = request.app.state.openapi = build(request.app.routes)
        return JSONResponse(cached)

    return [Route("/api/openapi.json", openapi, include_in_schema=False)]
