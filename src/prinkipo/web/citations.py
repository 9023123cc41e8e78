"""Citations over HTTP: ``GET /api/documents/{id}/cite?style=&paragraph=&locale=``.

Answers the citation object of ``prinkipo cite --json`` (note or in-text citation, bibliography
entry, the CSL-JSON item), plus ``url``: the document's page in this reading room, pointing at the
paragraph's stable anchor when a paragraph is cited.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.errors import PrinkipoError
from prinkipo.export.citations import DEFAULT_LOCALE, cite
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse


def routes(archive: Archive) -> list[Route]:
    def api_cite(request: Request) -> Response:
        store = archive.store()
        doc_id = store.resolve(str(request.path_params["doc_id"]))
        style = request.query_params.get("style") or "chicago-note"
        locale = request.query_params.get("locale") or DEFAULT_LOCALE
        paragraph = int_param(request, "paragraph", 0, 0, 10**6) or None
        if len(style) > 64 or len(locale) > 16:
            raise PrinkipoError("style or locale is too long")
        obj = cite(store, doc_id, style, paragraph, locale)
        page = str(request.url_for("document", doc_id=doc_id))
        obj["url"] = f"{page}#{obj['anchor']}" if obj["anchor"] else page
        return JSONResponse(obj)

    return [Route("/api/documents/{doc_id:int}/cite", api_cite)]
