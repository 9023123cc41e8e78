"""The letters page: every letter with its sender, recipient, places, date and carrier.

Built on :func:`prinkipo.web.letters.letters_data` (the same data as ``/api/letters``), filtered
by ``role`` (the letter a document is, letters a document lists, or letters it mentions) and
``document``; paged.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.web.archive import Archive
from prinkipo.web.letters import ROLES, letters_data
from prinkipo.web.render import page_links
from prinkipo.web.templating import TEMPLATES

ROLE_LABELS = {
    "self": "documents that are letters",
    "listed": "letters a calendar lists",
    "mentioned": "letters spoken of in a text",
}


def routes(archive: Archive) -> list[Route]:
    def letters_page(request: Request) -> Response:
        data = letters_data(archive, request)
        params = {
            k: request.query_params[k] for k in ("role", "document") if request.query_params.get(k)
        }
        return TEMPLATES.TemplateResponse(
            request,
            "letters.html",
            {
                "page": data,
                "pager": page_links(data["total"], data["limit"], data["offset"]),
                "pager_query": urlencode(params) + "&" if params else "",
                "params": params,
                "roles": [(r, ROLE_LABELS.get(r, r)) for r in ROLES],
                "section": "letters",
            },
        )

    return [Route("/letters", letters_page, name="letters")]
