"""The search page: full text with facets, snippets and paging, and a concordance tab.

The JSON is the search library's own (``/api/search``, ``/api/kwic`` in :mod:`.search`); this
page calls the same functions and draws their result. It works without JavaScript: facets,
filters, tabs, the ranking (words, meaning, both) and pages are plain links and a GET form.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.search import FACET_NAMES, SORTS, QueryError, kwic
from prinkipo.search.embedder import SemanticUnavailable
from prinkipo.web import search as search_api
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.cache import cached
from prinkipo.web.render import page_links
from prinkipo.web.templating import TEMPLATES

#: facets shown beside the results, in this order
PAGE_FACETS: list[str] = [
    f for f in ("author", "decade", "genre", "periodical", "person", "place") if f in FACET_NAMES
]
#: headings of the facets whose name is not heading enough
FACET_LABELS = {"person": "People mentioned", "place": "Places mentioned"}
PAGE_SIZE = 20
#: the ranking modes, in the order the page offers them, with their labels
MODE_LABELS = {"fulltext": "Words", "semantic": "Meaning", "hybrid": "Both"}
KWIC_LIMIT = 500
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def snippet_pieces(snippet_html: str) -> list[tuple[str, bool]]:
    """A snippet's HTML (escaped text with ``<mark>``) as (text, is_match) pieces.

    The text is unescaped here and escaped again by the template, so nothing the library
    returns is ever put into the page as markup.
    """
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARK.finditer(snippet_html):
        if m.start() > pos:
            pieces.append((html.unescape(snippet_html[pos : m.start()]), False))
        pieces.append((html.unescape(m.group(1)), True))
        pos = m.end()
    if pos < len(snippet_html):
        pieces.append((html.unescape(snippet_html[pos:]), False))
    return pieces


def _link(q: str, filters: list[str], **extra: Any) -> str:
    params: list[tuple[str, Any]] = [("q", q)] + [("filter", f) for f in filters]
    params += [(k, v) for k, v in extra.items() if v not in (None, "")]
    return "/search?" + urlencode(params)


def routes(archive: Archive) -> list[Route]:
    async def search_page(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: render(request))

    def render(request: Request) -> Response:
        params = request.query_params
        q = params.get("q", "")
        filters = [f for f in params.getlist("filter") if f.strip()]
        tab = "kwic" if params.get("tab") == "kwic" else "documents"
        mode = params.get("mode") or "fulltext"
        offset = int_param(request, "offset", 0, 0, 10**6)
        store = archive.store()
        why_not = search_api.semantic_unavailable(store)
        ctx: dict[str, Any] = {
            "q": q,
            "quick_q": q,
            "filters": filters,
            "tab": tab,
            "mode": mode,
            "modes": [
                (m, label, m == "fulltext" or why_not is None)
                for m, label in MODE_LABELS.items()
                if m in search_api.MODES
            ],
            "semantic_off": why_not,
            "section": "search",
            "facet_labels": FACET_LABELS,
            "result": None,
            "lines": None,
            "error": None,
        }
        status = 200
        if q.strip():
            try:
                if mode not in search_api.MODES:
                    raise QueryError(
                        f"The {mode[:20]!r} mode is not available in this archive; "
                        f"modes: {', '.join(search_api.MODES)}"
                    )
                if tab == "kwic":
                    sort = params.get("sort") or "document"
                    ctx["sort"] = sort if sort in SORTS else "document"
                    ctx["sorts"] = SORTS
                    ctx["lines"] = kwic(
                        store,
                        q,
                        width=int_param(request, "width", 50, 5, 300),
                        sort=ctx["sort"],
                        limit=KWIC_LIMIT,
                    )
                    ctx["kwic_limit"] = KWIC_LIMIT
                else:
                    result = search_api.run_search(
                        store, q, filters, PAGE_FACETS, PAGE_SIZE, offset, mode
                    )
                    ctx["result"] = result
                    ctx["pager"] = page_links(result["total"], PAGE_SIZE, offset)
                    ctx["pieces"] = {
                        (i["document_id"], s["paragraph"]): snippet_pieces(s["html"])
                        for i in result["items"]
                        for s in i["snippets"]
                    }
            except QueryError as err:
                ctx["error"], status = str(err), 400
            except SemanticUnavailable as err:
                ctx["error"], status = str(err), err.status
        ctx["link"] = lambda **kw: _link(
            q, kw.pop("filters", filters), mode=mode if mode != "fulltext" else None, **kw
        )
        return TEMPLATES.TemplateResponse(request, "search.html", ctx, status_code=status)

    return [Route("/search", search_page, name="search")]
