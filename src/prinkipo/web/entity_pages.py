"""People, places, organisations and periodicals: an index per kind and a page per entity.

The JSON twins are the entities API (``/api/entities?kind=``, ``/api/entities/{id}``, in
:mod:`.entities`); the entity page adds the mentions in their context, the letters, and the
entities most often mentioned in the same documents.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.objects import entity_object
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.cache import cached
from prinkipo.web.render import page_links
from prinkipo.web.templating import TEMPLATES

#: URL segment → (entity kind, heading)
INDEXES = {
    "people": ("person", "People"),
    "places": ("place", "Places"),
    "organisations": ("organisation", "Organisations"),
    "periodicals": ("periodical", "Periodicals"),
}
SECTION_OF_KIND = {kind: name for name, (kind, _) in INDEXES.items()}
CONTEXT = 90
MAX_MENTIONS = 300

#: where an external id leads (opened by the reader's browser, never fetched by the server)
ID_URLS = {
    "wikidata": "https://www.wikidata.org/wiki/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "gnd": "https://d-nb.info/gnd/{}",
    "geonames": "https://www.geonames.org/{}",
}


def mention_context(m: dict[str, Any]) -> dict[str, str] | None:
    """The words around a mention in its paragraph: {"left", "match", "right"}."""
    text = m.get("paragraph_text")
    if not text or m.get("passage_start") is None:
        return None
    a, b = int(m["passage_start"]), int(m["passage_end"])
    if not 0 <= a < b <= len(text):
        return None
    left = text[max(0, a - CONTEXT) : a]
    right = text[b : b + CONTEXT]
    if a > CONTEXT and " " in left:
        left = "…" + left[left.index(" ") + 1 :]
    if b + CONTEXT < len(text) and " " in right:
        right = right[: right.rindex(" ")] + "…"
    return {"left": left, "match": text[a:b], "right": right}


def entity_page_data(archive: Archive, entity_id: int) -> dict[str, Any]:
    """Everything the entity page shows."""
    store = archive.store()
    entity = entity_object(store.entity(entity_id))
    key = entity["key"]
    by_doc: dict[int, dict[str, Any]] = {}
    for m in store.mentions_of(key, limit=MAX_MENTIONS):
        doc = by_doc.setdefault(
            m["document_id"],
            {"id": m["document_id"], "title": m["document_title"], "mentions": [], "fields": []},
        )
        if m.get("paragraph") is None:
            doc["fields"].append(m.get("field") or "header")
        else:
            doc["mentions"].append({"paragraph": m["paragraph"], "context": mention_context(m)})
    pairs = store.co_mentions(["person", "place", "organisation", "periodical"], 200, key)
    others = [p["target"] if p["source"] == key else p["source"] for p in pairs]
    refs = store.entity_refs(others)
    co = [
        {**refs[k], "documents": p["documents"]}
        for k, p in zip(others, pairs, strict=True)
        if k in refs
    ][:30]
    letters = store.entity_letter_rows(key)
    keys = {p["key"] for lt in letters for ps in lt["parties"].values() for p in ps if p["key"]}
    return {
        "entity": entity,
        "documents": list(by_doc.values()),
        "mentions_shown": sum(len(d["mentions"]) + len(d["fields"]) for d in by_doc.values()),
        "co_mentioned": co,
        "letters": letters,
        "letter_refs": store.entity_refs(sorted(keys)),
    }


def routes(archive: Archive) -> list[Route]:
    def index_for(name: str) -> Any:
        kind, heading = INDEXES[name]

        def index(request: Request) -> Response:
            limit = int_param(request, "limit", 100, 1, 1000)
            offset = int_param(request, "offset", 0, 0, 10**9)
            store = archive.store()
            rows = [entity_object(r) for r in store.entity_summaries(kind, True, limit, offset)]
            total = store.count_entities(kind, True)
            return TEMPLATES.TemplateResponse(
                request,
                "entities.html",
                {
                    "kind": kind,
                    "heading": heading,
                    "items": rows,
                    "pager": page_links(total, limit, offset),
                    "pager_query": f"limit={limit}&" if limit != 100 else "",
                    "section": name,
                },
            )

        return index

    async def entity_page(request: Request) -> Response:
        return await cached(archive.cache, request, lambda: render_entity(request))

    def render_entity(request: Request) -> Response:
        data = entity_page_data(archive, request.path_params["entity_id"])
        data["section"] = SECTION_OF_KIND.get(data["entity"]["kind"], "")
        data["id_urls"] = ID_URLS
        return TEMPLATES.TemplateResponse(request, "entity.html", data)

    return [
        *[Route(f"/{name}", index_for(name), name=name) for name in INDEXES],
        Route("/entities/{entity_id:int}", entity_page, name="entity"),
    ]
