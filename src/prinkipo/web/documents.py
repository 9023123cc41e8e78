"""Document list and document pages, and their JSON twins under /api/."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from prinkipo.objects import document_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.templating import TEMPLATES


def routes(archive: Archive) -> list[Route]:
    def documents_data(request: Request) -> dict[str, Any]:
        limit = int_param(request, "limit", 50, 1, 1000)
        offset = int_param(request, "offset", 0, 0, 10**9)
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

    return [
        Route("/", home, name="home"),
        Route("/documents/{doc_id:int}", document_page, name="document"),
        Route("/api/documents", api_documents),
        Route("/api/documents/{doc_id:int}", api_document),
    ]
