"""CMIF 1.1 export: every letter of the archive as a ``correspDesc``, for correspSearch.

The file validates against the CMIF RELAX NG schema (``cmi-customization.rng``): a ``titleStmt``
with ``editor``, a ``publicationStmt`` (publisher, ``idno type="url"``, date, licence), one
``sourceDesc/bibl`` (``type`` online/print/hybrid, ``xml:id``) per source the letters cite, and
in ``profileDesc`` one ``correspDesc source="#…"`` per letter with its ``correspAction``\\ s.

What goes out, and how:

* names as written, with the authority URIs the source gave (absolute ``http(s)`` ones: a
  ``#pmb146`` pointer means nothing outside its edition) and those of the archive's authority
  entry (Wikidata, VIAF, GND, GeoNames ids);
* an unknown sender or addressee as ``<persName>Unknown</persName>``, as CMIF prescribes;
* dates as Gregorian W3C attributes: Old Style dates go out converted (CMIF has no calendar
  attribute), normalised values (``notAfter="1842|1843"`` → ``"1843"``) as normalised on reading;
* ``cert="low"`` and ``evidence="conjecture"`` where the source said so (the only values the
  schema allows);
* a letter known only from a mention in another (the seed's letter sent through Blumkin) with a
  ``note`` saying where it is mentioned and who carried it.

The editor is ``$PRINKIPO_EDITOR`` (else ``$USER``); the file's URL (``idno``) is where it was
written, until it is published somewhere else. Exporting twice gives identical bytes: the
publication date is the archive's latest ingest.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from lxml import etree

from prinkipo.export import Progress
from prinkipo.letters import w3c_attrs
from prinkipo.model import Letter, Party
from prinkipo.store import Store
from prinkipo.store.letters import letter_from_row

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
UNKNOWN = "Unknown"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"

#: authority id kinds → URI prefix
ID_URIS = {
    "wikidata": "http://www.wikidata.org/entity/",
    "viaf": "http://viaf.org/viaf/",
    "gnd": "https://d-nb.info/gnd/",
    "geonames": "http://www.geonames.org/",
    "lcnaf": "http://id.loc.gov/authorities/names/",
    "bnf": "https://data.bnf.fr/ark:/12148/",
}
_NS = uuid.UUID("6f1d7c3e-4a1b-5c2d-9e8f-7a6b5c4d3e2f")


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str | None) -> Any:
    el = etree.SubElement(parent, f"{{{TEI}}}{name}", {k: v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def authority_uris(party: Party, ids: dict[str, dict[str, str]]) -> list[str]:
    """The party's absolute authority URIs: as the source gave them, then the archive's."""
    out = [r for r in party.refs if r.startswith(("http://", "https://"))]
    for kind, value in sorted(ids.get(party.entity_key or "", {}).items()):
        prefix = ID_URIS.get(kind)
        if prefix and value:
            uri = value if value.startswith("http") else prefix + value
            if uri not in out:
                out.append(uri)
    return out


def _cert_attrs(party: Party) -> dict[str, str]:
    if party.cert == "low":
        return {"cert": "low"}
    if party.cert == "conjecture":
        return {"evidence": "conjecture"}
    return {}


def _name(parent: etree._Element, tag: str, party: Party, ids: dict[str, dict[str, str]]) -> None:
    refs = authority_uris(party, ids)
    _el(parent, tag, party.name, ref=" ".join(refs), **_cert_attrs(party))


def _action(
    parent: etree._Element, kind: str, letter: Letter, ids: dict[str, dict[str, str]]
) -> None:
    sent = kind == "sent"
    people = letter.senders if sent else letter.recipients
    place = letter.sent_place if sent else letter.received_place
    date = letter.sent_date if sent else letter.received_date
    action = _el(parent, "correspAction", type=kind)
    if people:
        for p in people:
            _name(action, "persName", p, ids)
    else:
        _el(action, "persName", UNKNOWN)
    if place is not None:
        _name(action, "placeName", place, ids)
    if date is not None:
        attrs = w3c_attrs(date)
        if attrs:
            _el(action, "date", **attrs)


def source_id(text: str) -> str:
    """A stable xml:id (an NCName holding a UUID, as CMIF recommends) for a source citation."""
    return f"cmif-{uuid.uuid5(_NS, text)}"


def _source_of(letter: Letter, row: dict[str, Any]) -> tuple[str, str]:
    """(citation, bibl type) of the source a letter comes from."""
    if letter.source:
        kind = letter.source_type if letter.source_type in ("online", "print", "hybrid") else None
        return letter.source, kind or "print"
    title = row["document_title"] or row["document_path"]
    return f"{title}. prinkipo archive: {row['document_path']}", "online"


def build(
    store: Store,
    *,
    title: str = "Letters in the prinkipo archive",
    editor: str = "prinkipo",
    publisher: str = "prinkipo",
    url: str = "file:///cmif.xml",
    on_progress: Progress | None = None,
) -> tuple[etree._ElementTree, int, int]:
    """The CMIF tree for the archive: (tree, documents, letters)."""
    root = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI})  # type: ignore[dict-item]
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    stmt = _el(file_desc, "titleStmt")
    _el(stmt, "title", title)
    _el(stmt, "editor", editor)
    pub = _el(file_desc, "publicationStmt")
    _el(pub, "publisher", publisher)
    _el(pub, "idno", url, type="url")
    date_el = _el(pub, "date")
    availability = _el(pub, "availability")
    _el(availability, "licence", "CC BY 4.0", target=LICENCE)
    source_desc = _el(file_desc, "sourceDesc")
    profile = _el(header, "profileDesc")
    text = _el(root, "text")
    _el(_el(text, "body"), "p")

    sources: dict[str, str] = {}
    doc_ids = store.letter_document_ids()
    letters = 0
    for done, doc_id in enumerate(doc_ids, start=1):
        rows = store.letter_rows(document_id=doc_id)
        keys = [p["entity_key"] for r in rows for p in r["parties"] if p["entity_key"]]
        ids = store.authority_ids(keys)
        for row in rows:
            letter = letter_from_row(row)
            citation, kind = _source_of(letter, row)
            if citation not in sources:
                sources[citation] = source_id(citation)
                _el(source_desc, "bibl", citation, type=kind, **{XML_ID: sources[citation]})
            cd = _el(
                profile,
                "correspDesc",
                source="#" + sources[citation],
                ref=letter.url if letter.url and letter.url.startswith("http") else None,
                key=letter.key,
            )
            _action(cd, "sent", letter, ids)
            _action(cd, "received", letter, ids)
            if letter.role == "mentioned":
                _el(cd, "note", _mention_note(letter, row))
            letters += 1
        if on_progress:
            on_progress(done, len(doc_ids))
    if not sources:
        _el(source_desc, "bibl", "prinkipo archive (no letters)", type="online",
            **{XML_ID: source_id("")})  # fmt: skip
    date_el.set("when", store.last_ingest() or "1970-01-01T00:00:00+00:00")
    return root.getroottree(), len(doc_ids), letters


def _mention_note(letter: Letter, row: dict[str, Any]) -> str:
    where = row["document_title"] or row["document_path"]
    note = f"Known from a mention in “{where}” ({row['document_path']})"
    if letter.carrier is not None:
        note += f"; carried by {letter.carrier.name}"
    if letter.evidence is not None:
        note += f": “{letter.evidence.text}”"
    return note


def export_cmif(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    """Write the archive's letters as one CMIF file at ``out``; returns the documents exported."""
    editor = os.environ.get("PRINKIPO_EDITOR") or os.environ.get("USER") or "prinkipo"
    tree, docs, _ = build(store, editor=editor, url=out.resolve().as_uri(), on_progress=on_progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return docs
