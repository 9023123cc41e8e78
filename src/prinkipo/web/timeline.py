"""The timeline: documents (and letters, as they land) over time, uncertain dates drawn as ranges.

The picture is an SVG built on the server, so it shows without JavaScript. Each item spans the
earliest to the latest day its date allows: "5 January 1930" is a dot, "January 1930" a month-long
bar, "c. 1850" or "1917/1918" a longer, hatched bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.errors import PrinkipoError
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES

MAX_ITEMS = 400
WIDTH, LEFT, RIGHT, LANE, TOP = 1000, 14, 14, 11, 30


@dataclass(frozen=True, slots=True)
class Mark:
    """One drawn item: where, how wide, and what it links to."""

    x: float
    width: float
    y: float
    point: bool
    uncertain: bool
    kind: str
    href: str
    label: str


def timeline_items(
    archive: Archive, year_from: int | None, year_to: int | None
) -> list[dict[str, Any]]:
    """Dated items whose range meets [year_from, year_to], earliest first."""
    store = archive.store()
    items = [
        {
            "kind": "letter" if d["genre"] == "letter" else "document",
            "id": d["document_id"],
            "href": f"/documents/{d['document_id']}",
            "title": d["title"],
            "authors": d["authors"],
            "date": d["date"],
        }
        for d in store.dated_documents()
    ]
    items += [
        {
            "kind": "letter",
            "id": lt["letter_id"],
            "href": f"/documents/{lt['document_id']}#letters",
            "title": f"A letter {'listed' if lt['role'] == 'listed' else 'mentioned'} in "
            f"“{lt['title'] or 'Untitled'}”",
            "authors": [],
            "date": lt["date"],
        }
        for lt in store.dated_letters()
    ]
    items.sort(key=lambda i: (i["date"]["earliest"], i["date"]["latest"]))
    lo = f"{year_from:04d}-01-01" if year_from is not None else None
    hi = f"{year_to:04d}-12-31" if year_to is not None else None
    return [
        i
        for i in items
        if (lo is None or i["date"]["latest"] >= lo) and (hi is None or i["date"]["earliest"] <= hi)
    ]


def layout(items: list[dict[str, Any]], year_from: int, year_to: int) -> dict[str, Any]:
    """Pack items into lanes and place them on a horizontal time axis (SVG units)."""
    start, end = date(year_from, 1, 1).toordinal(), date(year_to, 12, 31).toordinal() + 1
    scale = (WIDTH - LEFT - RIGHT) / max(1, end - start)

    def x_of(day: int) -> float:
        return LEFT + (min(max(day, start), end) - start) * scale

    lanes: list[float] = []
    marks: list[Mark] = []
    for item in items[:MAX_ITEMS]:
        d = item["date"]
        a = date.fromisoformat(d["earliest"]).toordinal()
        b = date.fromisoformat(d["latest"]).toordinal() + 1
        x0, x1 = x_of(a), x_of(b)
        point = d["earliest"] == d["latest"]
        w = max(x1 - x0, 2.0)
        lane = next((n for n, used in enumerate(lanes) if used + 3 <= x0), len(lanes))
        if lane == len(lanes):
            lanes.append(0.0)
        lanes[lane] = x0 + (7 if point else w)
        marks.append(
            Mark(
                x=round(x0, 2),
                width=round(w, 2),
                y=TOP + lane * LANE,
                point=point,
                uncertain=(not point) or d.get("approximate", False) or d.get("uncertain", False),
                kind=item["kind"],
                href=item["href"],
                label=f"{item['title'] or 'Untitled'} — {d['text']}"
                f" ({d['earliest']} to {d['latest']})",
            )
        )
    span = year_to - year_from + 1
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span / s <= 12)
    first = year_from + (-year_from) % step
    ticks = [
        {"x": round(x_of(date(y, 1, 1).toordinal()), 2), "year": y}
        for y in range(first, year_to + 1, step)
    ]
    height = TOP + max(1, len(lanes)) * LANE + 16
    return {"marks": marks, "ticks": ticks, "height": height, "width": WIDTH}


def _years(request: Request, items_all: list[dict[str, Any]]) -> tuple[int, int]:
    year_from = int_param(request, "from", 0, 1, 2999) or None
    year_to = int_param(request, "to", 0, 1, 2999) or None
    if year_from and year_to and year_from > year_to:
        raise PrinkipoError(f"from ({year_from}) is after to ({year_to})")
    years = [int(i["date"]["earliest"][:4]) for i in items_all] + [
        int(i["date"]["latest"][:4]) for i in items_all
    ]
    lo = year_from or (min(years) if years else 1900)
    hi = year_to or (max(years) if years else 1950)
    return lo, max(lo, hi)


def routes(archive: Archive) -> list[Route]:
    def data(request: Request) -> dict[str, Any]:
        year_from = int_param(request, "from", 0, 1, 2999) or None
        year_to = int_param(request, "to", 0, 1, 2999) or None
        items = timeline_items(archive, year_from, year_to)
        lo, hi = _years(request, items)
        return {"from": lo, "to": hi, "total": len(items), "items": items}

    def api_timeline(request: Request) -> Response:
        return JSONResponse(data(request))

    def timeline_page(request: Request) -> Response:
        d = data(request)
        picture = layout(d["items"], d["from"], d["to"])
        decades = sorted({int(i["date"]["earliest"][:3]) * 10 for i in d["items"]})
        return TEMPLATES.TemplateResponse(
            request,
            "timeline.html",
            {
                "t": d,
                "svg": picture,
                "decades": decades,
                "max_items": MAX_ITEMS,
                "section": "timeline",
            },
        )

    return [
        Route("/timeline", timeline_page, name="timeline"),
        Route("/api/timeline", api_timeline),
    ]
