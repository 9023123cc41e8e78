"""Document list and document pages, the original file, and their JSON twins under /api/."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.export.bibtex import bibtex_entry
from prinkipo.export.citations import csl_item
from prinkipo.objects import document_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.cache import cached
from prinkipo.web.render import document_segments, page_links
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES

#: what an original file is sent as: never as HTML, so a page's own scripts cannot run here
ORIGINAL_TYPES = {"text": "text/plain", "html": "text/plain", "tei": "application/xml"}


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

    async def api_document(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: JSONResponse(document_data(request)))

    def documents_page(request: Request) -> Response:
        data = documents_data(request)
        pager = page_links(data["total"], data["limit"], data["offset"])
        return TEMPLATES.TemplateResponse(
            request, "documents.html", {"page": data, "pager": pager, "section": "documents"}
        )

    def render_document(request: Request) -> Response:
        doc = document_data(request)
        ctx = document_context(doc)
        ctx["bibtex"] = bibtex_entry(csl_item(doc))
        return TEMPLATES.TemplateResponse(request, "document.html", ctx)

    async def document_page(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: render_document(request))

    def original(request: Request) -> Response:
        store = archive.store()
        f = store.original_file(store.resolve(str(request.path_params["doc_id"])))
        name = f["path"].rsplit("/", 1)[-1] or "original"
        media = ORIGINAL_TYPES.get(f["format"] or "", "application/octet-stream")
        if media.startswith("text/") and f["encoding"]:
            media += f"; charset={f['encoding']}"
        ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
        return Response(
            f["content"],
            media_type=media,
            headers={
                "content-disposition": f'attachment; filename="{ascii_name}"',
                "x-content-sha256": f["sha256"],
            },
        )

    return [
        Route("/documents", documents_page, name="documents"),
        Route("/documents/{doc_id:int}", document_page, name="document"),
        Route("/documents/{doc_id:int}/original", original, name="original"),
        Route("/api/documents", api_documents),
        Route("/api/documents/{doc_id:int}", api_document),
    ]


def document_context(doc: dict[str, Any]) -> dict[str, Any]:
    """The document page's data: the object, its paragraphs cut at mentions, field anchors."""
    field_anchor: dict[str, str] = {}
    for n, f in enumerate(doc["fields"], start=1):
        field_anchor.setdefault(f["name"].lower(), f"field-{n}")
    mentions = doc.get("mentions") or []
    return {
        "doc": doc,
        "segments": document_segments(doc["paragraphs"], mentions),
        "field_anchor": field_anchor,
        "section": "documents",
    }
