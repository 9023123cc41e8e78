"""The home page: the collection at a glance (counts, decades, authors, latest findings)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.objects import finding_object
from prinkipo.web.archive import Archive
from prinkipo.web.render import bar_widths
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES


def overview(archive: Archive) -> dict[str, Any]:
    """What the home page shows, as the JSON twin returns it."""
    store = archive.store()
    counts = store.counts()
    total = counts["documents"]
    return {
        "counts": {
            "documents": counts["documents"],
            "files": counts["files"],
            "paragraphs": counts["paragraphs"],
            "entities": counts["entities"],
        },
        "decades": store.decade_counts(),
        "authors": store.author_counts(15),
        "findings": [finding_object(f) for f in store.findings(status="open", limit=6)],
        "recent": store.document_summaries(8, max(0, total - 8))[::-1],
    }


def routes(archive: Archive) -> list[Route]:
    def api_overview(request: Request) -> Response:
        return JSONResponse(overview(archive))

    def home(request: Request) -> Response:
        data = overview(archive)
        dated = [d for d in data["decades"] if d["decade"] is not None]
        undated = sum(d["count"] for d in data["decades"] if d["decade"] is None)
        return TEMPLATES.TemplateResponse(
            request,
            "index.html",
            {
                "o": data,
                "decades": bar_widths(dated),
                "undated": undated,
                "authors": bar_widths(data["authors"]),
                "section": "home",
            },
        )

    return [Route("/", home, name="home"), Route("/api/overview", api_overview)]
