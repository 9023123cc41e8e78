"""GET /api/findings: the checks' findings as JSON (the review page is the reading room's)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.checks import RULES, SEVERITIES
from prinkipo.errors import PrinkipoError
from prinkipo.objects import finding_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse

STATUSES = ("open", "accepted", "dismissed", "all")


def _choice(request: Request, name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        raise PrinkipoError(f"{name} must be one of {', '.join(allowed)}, not {raw[:40]!r}")
    return raw


def findings_data(archive: Archive, request: Request) -> dict[str, Any]:
    """Stored findings, filtered by ``severity``, ``rule``, ``status`` and ``document``."""
    severity = _choice(request, "severity", SEVERITIES)
    rule = _choice(request, "rule", list(RULES))
    status = _choice(request, "status", STATUSES) or "open"
    doc = int_param(request, "document", 0, 0, 2**62) or None
    limit = int_param(request, "limit", 100, 1, 1000)
    offset = int_param(request, "offset", 0, 0, 10**9)
    store = archive.store()
    wanted = None if status == "all" else status
    rows = store.findings(doc, severity, rule, wanted, limit, offset)
    return {
        "items": [finding_object(r) for r in rows],
        "total": store.count_findings(severity, rule, wanted) if doc is None else len(rows),
        "limit": limit,
        "offset": offset,
    }


def routes(archive: Archive) -> list[Route]:
    def api_findings(request: Request) -> Response:
        return JSONResponse(findings_data(archive, request)["items"])

    def api_rules(request: Request) -> Response:
        return JSONResponse(
            [{"name": r.name, "severity": r.severity, "doc": r.doc.strip()} for r in RULES.values()]
        )

    return [
        Route("/api/findings", api_findings),
        Route("/api/rules", api_rules),
    ]
