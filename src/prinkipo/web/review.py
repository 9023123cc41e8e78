"""The findings review queue: readers see it, signed-in editors accept or dismiss.

``GET /findings`` lists what the checks found (filters: severity, rule, status, document).
Editors decide with a form (session + CSRF token) or through the API with a Bearer token:
``POST /api/findings/{id}/accept`` and ``/dismiss`` (JSON body optional: ``{"value", "note"}``);
without either, 401. A decision is the checks library's :func:`~prinkipo.checks.decide`: stored
apart from the findings, signed with the editor's name, kept across re-ingest.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from prinkipo.checks import RULES, SEVERITIES, decide
from prinkipo.errors import PrinkipoError
from prinkipo.objects import finding_object
from prinkipo.web.archive import Archive
from prinkipo.web.auth import _safe_next, editor_for_api, editor_for_form
from prinkipo.web.findings import STATUSES, findings_data
from prinkipo.web.render import page_links
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES

DECISIONS = {"accept": "accepted", "dismiss": "dismissed"}
MAX_TEXT = 2000


def _text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise PrinkipoError(f"{name} must be text of at most {MAX_TEXT} characters")
    return value


def routes(archive: Archive) -> list[Route]:
    def queue(request: Request) -> Response:
        data = findings_data(archive, request)
        params = {
            k: request.query_params[k]
            for k in ("severity", "rule", "status", "document")
            if request.query_params.get(k)
        }
        return TEMPLATES.TemplateResponse(
            request,
            "findings.html",
            {
                "page": data,
                "pager": page_links(data["total"], data["limit"], data["offset"]),
                "pager_query": urlencode(params) + "&" if params else "",
                "params": params,
                "rules": sorted(RULES),
                "severities": SEVERITIES,
                "statuses": STATUSES,
                "here": request.url.path + ("?" + request.url.query if request.url.query else ""),
                "section": "findings",
            },
        )

    async def decide_form(request: Request) -> Response:
        user, form = await editor_for_form(request)
        decision = DECISIONS[request.url.path.rsplit("/", 1)[-1]]
        decide(
            archive.store(),
            str(request.path_params["finding_id"]),
            decision,
            by=user.name,
            value=_text(form.get("value"), "value") if decision == "accepted" else None,
            note=_text(form.get("note"), "note"),
        )
        if archive.cache is not None:
            archive.cache.clear()
        return RedirectResponse(_safe_next(form.get("next")), status_code=303)

    async def decide_api(request: Request) -> Response:
        user = editor_for_api(request)
        decision = DECISIONS[request.url.path.rsplit("/", 1)[-1]]
        body: Any = {}
        raw = await request.body()
        if raw.strip():
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise PrinkipoError('The body must be JSON: {"value": …, "note": …}') from None
            if not isinstance(body, dict):
                raise PrinkipoError("The body must be a JSON object")
        after = decide(
            archive.store(),
            str(request.path_params["finding_id"]),
            decision,
            by=user.name,
            value=_text(body.get("value"), "value") if decision == "accepted" else None,
            note=_text(body.get("note"), "note"),
        )
        if archive.cache is not None:
            archive.cache.clear()
        return JSONResponse(finding_object(after))

    out = [Route("/findings", queue, name="findings")]
    for action in DECISIONS:
        out += [
            Route(f"/findings/{{finding_id:int}}/{action}", decide_form, methods=["POST"]),
            Route(f"/api/findings/{{finding_id:int}}/{action}", decide_api, methods=["POST"]),
        ]
    return out
