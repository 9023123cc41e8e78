"""The static edition: the whole archive as HTML files that need no server.

``prinkipo export site OUT/`` writes::

    index.html                 every document (written date, author, title, genre)
    documents/ID.html          one page per document: metadata, Chicago citation, paragraphs with
                               stable anchors, mentions linked to their entity pages
    entities/ID.html           one page per person, place, organisation … with its documents
    people.html places.html entities.html letters.html timeline.html search.html
    assets/                    site.css and search.js
    search/docs.js             the documents the search can return
    search/t/HEX.js            the search index, one file per two-letter term prefix

Every link is relative, nothing is fetched from outside, and the search works from ``file://``
(the index is loaded with ``<script>`` tags, which browsers allow on ``file://`` where ``fetch()``
and ES modules are refused; that is why the site does not use pagefind, whose client needs both).
Exporting twice gives identical bytes: everything is written in a fixed order, with no dates or
random ids. Pages are written one document at a time; only the search postings stay in memory.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from prinkipo.errors import PrinkipoError
from prinkipo.export import Progress
from prinkipo.export.citations import canonical_url, citation_html, cited_document, document_ids
from prinkipo.objects import entity_object, letter_object
from prinkipo.store import Store

HERE = Path(__file__).parent
MARKER = ".prinkipo-site"
SITE_TITLE = "prinkipo"
#: how much a word in the title or an author's name counts against one in the text
TITLE_WEIGHT = 20
_TOKEN = re.compile(r"[^\W_]+")
_PAGE_KINDS = {"person": "people.html", "place": "places.html"}
#: entities that get a page: recognised names the entity linker could not classify ("unknown")
#: are left out (tens of thousands of capitalised phrases in the MIA pages; not people or places)
ENTITY_KINDS = ("person", "place", "organisation", "periodical")


class SiteError(PrinkipoError):
    """The output folder cannot be used for a site."""


def fold(text: str) -> str:
    """Lower case without accents: how the index and the search box compare words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def terms(text: str) -> list[str]:
    """The words of ``text`` as the index keeps them (two characters or more)."""
    return [t for t in _TOKEN.findall(fold(text)) if len(t) > 1]


class SearchIndex:
    """Postings ``term → [doc, weight, doc, weight, …]`` built one document at a time."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)

    def add(self, doc: dict[str, Any], title: str, authors: str, date: str) -> None:
        n = len(self.docs)
        self.docs.append({"id": doc["id"], "t": title, "a": authors, "d": date})
        weights: Counter[str] = Counter()
        for t in terms(f"{title} {authors}"):
            weights[t] += TITLE_WEIGHT
        for p in doc.get("paragraphs") or []:
            weights.update(terms(p["text"]))
        for note in doc.get("notes") or []:
            weights.update(terms(note["text"]))
        for term, weight in weights.items():
            self.postings[term] += (n, min(weight, 999))

    def write(self, folder: Path) -> None:
        shard_dir = folder / "t"
        shard_dir.mkdir(parents=True)
        _write(folder / "docs.js", "window.PRINKIPO_DOCS = " + _json(self.docs) + ";\n")
        shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for term in sorted(self.postings):
            shards[term[:2]][term] = self.postings[term]
        for key in sorted(shards):
            name = key.encode("utf-8").hex()
            _write(
                shard_dir / f"{name}.js", f"prinkipoShard({_json(key)}, {_json(shards[key])});\n"
            )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "site_templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals["site_title"] = SITE_TITLE
    return env


def _prepare(out: Path) -> None:
    """An empty folder, or one this exporter wrote before (cleared); anything else is refused."""
    if out.exists():
        if not out.is_dir():
            raise SiteError(f"{out} is a file, not a folder")
        if any(out.iterdir()):
            if not (out / MARKER).is_file():
                raise SiteError(
                    f"{out} is not empty and was not written by prinkipo; "
                    "choose an empty or new folder"
                )
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("A static edition written by `prinkipo export site`.\n")


def _date_label(doc: dict[str, Any]) -> str:
    for role in ("written", "delivered", "published", "dateline", "note"):
        d = (doc.get("dates") or {}).get(role)
        if d and d.get("edtf"):
            return str(d["edtf"])
    return ""


def _segments(paragraph: dict[str, Any], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A paragraph cut into text and linked mentions (mentions never overlap one another here)."""
    text, start = paragraph["text"], paragraph["start"]
    out, at = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        a, b = m["start"] - start, m["end"] - start
        if a < at or b > len(text) or text[a:b] != m["text"]:
            continue  # a mention whose span does not match the paragraph text is left unlinked
        out.append({"text": text[at:a], "entity_id": None})
        out.append({"text": text[a:b], "entity_id": m["entity_id"]})
        at = b
    out.append({"text": text[at:], "entity_id": None})
    return [s for s in out if s["text"]]


def _letter_line(letter: dict[str, Any] | None) -> str:
    if not letter:
        return ""
    parts = []
    for label, key in (("from", "sender"), ("to", "recipient"), ("at", "place")):
        party = letter.get(key)
        if party and party.get("name"):
            parts.append(f"{label} {party['name']}")
    date = letter.get("date") or {}
    if date.get("text"):
        parts.append(f"dated {date['text']}")
    return ", ".join(parts)


def export_site(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    """Write the static edition of ``store`` into the folder ``out``; returns the documents."""
    out = Path(out)
    _prepare(out)
    env = _environment()
    for asset in sorted((HERE / "site_assets").iterdir()):
        (out / "assets").mkdir(exist_ok=True)
        shutil.copyfile(asset, out / "assets" / asset.name)
    entities = _entity_pages(store)
    entity_ids = {e["id"] for e in entities}
    ids = document_ids(store)
    index = SearchIndex()
    rows = []
    (out / "documents").mkdir()
    page = env.get_template("document.html")
    for n, doc_id in enumerate(ids, start=1):
        doc = cited_document(store, doc_id)
        rows.append(_write_document(out, page, doc, entity_ids, index))
        if on_progress:
            on_progress(n, len(ids))
    index.write(out / "search")
    _render(env, out / "index.html", "index.html", docs=rows)
    _render(env, out / "search.html", "search.html")
    _write_entities(store, env, out, entities, {r["id"]: r["title"] for r in rows})
    _write_letters(store, env, out, {r["id"]: r["title"] for r in rows})
    _write_timeline(env, out, rows)
    return len(ids)


def _render(env: Environment, path: Path, template: str, root: str = "", **context: Any) -> None:
    _write(path, env.get_template(template).render(root=root, **context))


def _write_document(
    out: Path, page: Any, doc: dict[str, Any], entity_ids: set[int], index: SearchIndex
) -> dict[str, Any]:
    title = doc.get("title") or Path(doc["files"][0]["path"]).name
    authors = ", ".join(a["name"] for a in doc.get("authors") or [])
    date = _date_label(doc)
    by_paragraph: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in doc.get("mentions") or []:
        if m.get("entity_id") in entity_ids and m.get("paragraph") and not m.get("field"):
            by_paragraph[m["paragraph"]].append(m)
    paragraphs = [
        {**p, "segments": _segments(p, by_paragraph.get(p["n"], []))}
        for p in doc.get("paragraphs") or []
    ]
    note, bibliography = citation_html(doc)
    html = page.render(
        root="../",
        doc=doc,
        title=title,
        paragraphs=paragraphs,
        note=note,
        bibliography=bibliography,
        url=canonical_url(doc),
        letter=_letter_line(doc.get("letter")),
        entity_pages=entity_ids,
    )
    _write(out / "documents" / f"{doc['id']}.html", html)
    index.add(doc, title, authors, date)
    return {
        "id": doc["id"],
        "title": title,
        "authors": authors,
        "date": date,
        "genre": doc.get("genre") or "",
    }


def _entity_pages(store: Store) -> list[dict[str, Any]]:
    """Every entity mentioned somewhere (people, places, organisations …), by id."""
    listing = getattr(store, "entity_summaries", None)
    if listing is None:
        return []
    found = [e for e in listing(mentioned_only=True) if e["kind"] in ENTITY_KINDS]
    return sorted(found, key=lambda e: e["id"])


def _write_entities(
    store: Store,
    env: Environment,
    out: Path,
    entities: list[dict[str, Any]],
    titles: dict[int, str],
) -> None:
    (out / "entities").mkdir()
    page = env.get_template("entity.html")
    for e in entities:
        full = entity_object(store.entity(e["id"]), store)
        docs: dict[int, dict[str, Any]] = {}
        for m in full.get("mentions") or []:
            d = m.get("document_id")
            if d not in titles:
                continue
            if d not in docs:
                docs[d] = {"id": d, "title": titles[d], "count": 0, "anchor": None}
            docs[d]["count"] += 1
        _write(
            out / "entities" / f"{e['id']}.html",
            page.render(root="../", entity=full, documents=sorted(docs.values(), key=_by_id)),
        )
    by_name = sorted(entities, key=lambda e: (fold(e["name"]), e["id"]))
    for kind, name in _PAGE_KINDS.items():
        chosen = [e for e in by_name if e["kind"] == kind]
        _render(env, out / name, "entities.html", heading=name[:-5].capitalize(), entities=chosen)
    others = [e for e in by_name if e["kind"] not in _PAGE_KINDS]
    _render(env, out / "entities.html", "entities.html", heading="Other names", entities=others)


def _by_id(d: dict[str, Any]) -> int:
    return int(d["id"])


def _write_letters(store: Store, env: Environment, out: Path, titles: dict[int, str]) -> None:
    rows = getattr(store, "letter_rows", None)
    letters = [letter_object(r) for r in rows()] if rows else []
    shown = []
    for letter in letters:
        if letter["document_id"] not in titles:
            continue
        shown.append(
            {
                "document_id": letter["document_id"],
                "title": titles[letter["document_id"]],
                "date": ((letter.get("date") or {}).get("edtf") or "")
                or (letter.get("date") or {}).get("text", ""),
                "sender": _name(letter.get("sender")),
                "recipient": _name(letter.get("recipient")),
                "place": _name(letter.get("place")),
            }
        )
    _render(env, out / "letters.html", "letters.html", letters=shown)


def _name(party: dict[str, Any] | None) -> str:
    return str(party.get("name") or "") if party else ""


def _write_timeline(env: Environment, out: Path, rows: Iterable[dict[str, Any]]) -> None:
    dated = sorted((r for r in rows if r["date"][:4].isdigit()), key=lambda r: (r["date"], r["id"]))
    years: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in dated:
        years[r["date"][:4]].append(r)
    _render(
        env, out / "timeline.html", "timeline.html", years=sorted(years.items()), count=len(dated)
    )
