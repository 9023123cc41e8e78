"""The network (correspondence and co-mention) and the map (places, sending → receiving arcs).

Both pages draw in the browser from their JSON twins (``/api/network``, ``/api/map``) with the
vendored Cytoscape and Leaflet (world outline from world-atlas; no tile server, nothing fetched
from outside), and list the same data as tables for reading without JavaScript.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.objects import entity_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.cache import cached
from prinkipo.web.responses import JSONResponse
from prinkipo.web.templating import TEMPLATES

NETWORK_KINDS = ["person", "organisation"]
TOP_NODES = 45
FOCUS_EDGES = 40


def _focus(archive: Archive, request: Request) -> dict[str, Any] | None:
    entity_id = int_param(request, "focus", 0, 0, 2**62)
    if not entity_id:
        return None
    return entity_object(archive.store().entity(entity_id))


def network_data(archive: Archive, focus: dict[str, Any] | None) -> dict[str, Any]:
    """Nodes and edges: letters between correspondents, and entities named in the same documents.

    Node ids are ``e{entity id}`` for entities, ``n:{name}`` for a correspondent the authority
    does not know.
    """
    store = archive.store()
    fkey = focus["key"] if focus else None
    co = store.co_mentions(NETWORK_KINDS + (["place"] if focus else []), TOP_NODES, fkey)
    co = co[:FOCUS_EDGES] if focus else co
    letters = [
        c
        for c in store.correspondence()
        if fkey is None or fkey in (c["source_key"], c["target_key"])
    ][:300]
    keys = {k for c in co for k in (c["source"], c["target"])}
    keys |= {k for c in letters for k in (c["source_key"], c["target_key"]) if k}
    refs = store.entity_refs(sorted(keys))
    nodes: dict[str, dict[str, Any]] = {}

    def node(key: str | None, name: str) -> str:
        ref = refs.get(key) if key else None
        nid = f"e{ref['id']}" if ref else f"n:{name}"
        if nid not in nodes:
            nodes[nid] = {
                "id": nid,
                "label": ref["name"] if ref else name,
                "kind": ref["kind"] if ref else "correspondent",
                "entity_id": ref["id"] if ref else None,
                "focus": bool(key and key == fkey),
            }
        return nid

    edges = []
    for c in letters:
        a, b = node(c["source_key"], c["source_name"]), node(c["target_key"], c["target_name"])
        edges.append({"source": a, "target": b, "type": "letter", "weight": c["letters"]})
    for c in co:
        if c["source"] in refs and c["target"] in refs:
            a, b = node(c["source"], ""), node(c["target"], "")
            edges.append({"source": a, "target": b, "type": "co-mention", "weight": c["documents"]})
    if focus is not None:
        node(focus["key"], focus["name"])
    return {"focus": focus["id"] if focus else None, "nodes": list(nodes.values()), "edges": edges}


def map_data(archive: Archive, focus: dict[str, Any] | None) -> dict[str, Any]:
    """Places with coordinates and their counts, and letter arcs from sending to receiving place."""
    store = archive.store()
    places = []
    by_key: dict[str, dict[str, Any]] = {}
    for r in store.place_rows():
        coords = json.loads(r["data"]).get("coordinates")
        if not coords or len(coords) != 2:
            continue
        p = {
            "id": r["id"],
            "name": r["name"],
            "lat": coords[0],
            "lon": coords[1],
            "documents": r["documents"],
            "sent": r["sent"],
            "received": r["received"],
            "focus": False,
        }
        by_key[r["key"]] = p
        places.append(p)
    if focus is not None:
        near = {focus["key"]}
        for c in store.co_mentions(["place", focus["kind"]], 200, focus["key"]):
            near |= {c["source"], c["target"]}
        for lt in store.entity_letter_rows(focus["key"]):
            for role in ("sent_place", "received_place"):
                near |= {p["key"] for p in lt["parties"].get(role, []) if p["key"]}
        for key in near & set(by_key):
            by_key[key]["focus"] = True
    arcs = []
    for a in store.letter_arcs():
        src, dst = by_key.get(a["from_key"] or ""), by_key.get(a["to_key"] or "")
        if src and dst and src is not dst:
            arcs.append(
                {
                    "from": {k: src[k] for k in ("id", "name", "lat", "lon")},
                    "to": {k: dst[k] for k in ("id", "name", "lat", "lon")},
                    "letters": a["letters"],
                }
            )
    shown = [p for p in places if p["documents"] or p["sent"] or p["received"] or p["focus"]]
    return {"focus": focus["id"] if focus else None, "places": shown, "arcs": arcs}


def routes(archive: Archive) -> list[Route]:
    async def api_network(request: Request) -> Response:
        return await cached(
            archive.cache,
            request,
            lambda: JSONResponse(network_data(archive, _focus(archive, request))),
        )

    async def api_map(request: Request) -> Response:
        return await cached(
            archive.cache,
            request,
            lambda: JSONResponse(map_data(archive, _focus(archive, request))),
        )

    async def network_page(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: render_network(request))

    async def map_page(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: render_map(request))

    def render_network(request: Request) -> Response:
        focus = _focus(archive, request)
        data = network_data(archive, focus)
        labels = {n["id"]: n for n in data["nodes"]}
        return TEMPLATES.TemplateResponse(
            request,
            "network.html",
            {"focus": focus, "net": data, "nodes": labels, "section": "network"},
        )

    def render_map(request: Request) -> Response:
        focus = _focus(archive, request)
        data = map_data(archive, focus)
        return TEMPLATES.TemplateResponse(
            request, "map.html", {"focus": focus, "map": data, "section": "map"}
        )

    return [
        Route("/network", network_page, name="network"),
        Route("/map", map_page, name="map"),
        Route("/api/network", api_network),
        Route("/api/map", api_map),
    ]
