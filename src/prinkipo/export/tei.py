"""TEI P5 export: one file per document, valid against ``tei_all.rng``.

Each file has the header fields (title, authors with their authority URIs, the source citation,
the language, the date of writing in ``creation``), a ``correspDesc`` for each letter the
document is, lists or mentions (``type="mentioned"``, with its carrier in
``<note type="carrier">``), the paragraphs of the text, and its notes in ``back``. Names keep the
``@ref`` URIs they came with, plus the archive authority's (Wikidata, VIAF, GND, GeoNames).
Dates go out as Gregorian W3C attributes with the text as written; an Old Style date says so
with ``calendar="#julian"`` (declared in ``profileDesc/calendarDesc``).

Re-ingesting an exported file gives the same title, authors, dates, source, language, letters
and paragraphs (``tests/test_export_tei.py`` checks it on the real corpus).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from prinkipo.export import Progress
from prinkipo.export.cmif import authority_uris, source_id
from prinkipo.letters import w3c_attrs
from prinkipo.model import Letter, LetterDate, Party
from prinkipo.objects import document_object
from prinkipo.store import Store
from prinkipo.store.letters import letter_from_row

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CERT = {"high", "medium", "low", "unknown"}
_EVIDENCE = {"internal", "external", "conjecture"}
_PAGE = 200


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str | None) -> Any:
    el = etree.SubElement(parent, f"{{{TEI}}}{name}", {k: v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def file_name(doc_id: int, path: str) -> str:
    """``00001-seed_000_4114f29613fc0492.xml``: the id keeps names unique, the path readable."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", path)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_")[:100]
    return f"{doc_id:05d}-{safe or 'document'}.xml"


def _party(parent: etree._Element, tag: str, p: Party, ids: dict[str, dict[str, str]]) -> None:
    refs = list(p.refs)
    refs += [u for u in authority_uris(p, ids) if u not in refs]
    cert = p.cert if p.cert in _CERT else None
    evidence = p.cert if p.cert in _EVIDENCE else None
    _el(parent, tag, p.name, ref=" ".join(refs), cert=cert, evidence=evidence)


def _date(parent: etree._Element, d: LetterDate) -> bool:
    """A ``date`` element; True when it is an Old Style date (calendar="#julian")."""
    attrs = w3c_attrs(d)
    julian = d.calendar == "julian"
    cert = d.cert if d.cert in _CERT else None
    evidence = d.cert if d.cert in _EVIDENCE else None
    _el(
        parent,
        "date",
        d.text or None,
        calendar="#julian" if julian else None,
        cert=cert,
        evidence=evidence,
        **attrs,
    )
    return julian


def _corresp(
    parent: etree._Element,
    letter: Letter,
    ids: dict[str, dict[str, str]],
    sources: dict[str, str],
) -> bool:
    source = "#" + sources[letter.source] if letter.source and letter.source in sources else None
    cd = _el(
        parent,
        "correspDesc",
        type="mentioned" if letter.role == "mentioned" else None,
        key=letter.key,
        ref=letter.url,
        source=source,
    )
    julian = False
    for kind in ("sent", "received"):
        sent = kind == "sent"
        people = letter.senders if sent else letter.recipients
        place = letter.sent_place if sent else letter.received_place
        date = letter.sent_date if sent else letter.received_date
        if not people and place is None and date is None:
            continue
        action = _el(cd, "correspAction", type=kind)
        for p in people:
            _party(action, "persName", p, ids)
        if place is not None:
            _party(action, "placeName", place, ids)
        if date is not None:
            julian = _date(action, date) or julian
    if len(cd) == 0:
        _el(cd, "note", "Nothing is known of this letter's sender, addressee, place or date.")
    if letter.carrier is not None:
        _party(_el(cd, "note", type="carrier"), "persName", letter.carrier, ids)
    if letter.role == "mentioned" and letter.evidence is not None:
        _el(cd, "note", letter.evidence.text, type="evidence")
    return julian


def _written(parent: etree._Element, d: dict[str, Any], wrap: bool = True) -> bool:
    """A document date (written, first published) as ``date``, in ``creation`` when ``wrap``."""
    value = LetterDate(
        text=d["text"],
        attrs={},
        edtf=d.get("edtf"),
        earliest=d.get("earliest"),
        latest=d.get("latest"),
        calendar=d.get("calendar") or "gregorian",
    )
    if not w3c_attrs(value):
        return False
    return _date(_el(parent, "creation") if wrap else parent, value)


def build(store: Store, doc_id: int) -> etree._ElementTree:
    """The TEI tree of one document."""
    obj = document_object(store, doc_id)
    rows = store.letter_rows(document_id=doc_id)
    letters = [letter_from_row(r) for r in rows]
    keys = [p["entity_key"] for r in rows for p in r["parties"] if p["entity_key"]]
    author_keys = [a["entity_key"] for a in store.document_rows(doc_id)["authors"]]
    keys += [k for k in author_keys if k]
    ids = store.authority_ids(keys)

    root = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI})  # type: ignore[dict-item]
    if obj["language"]:
        root.set(XML_LANG, obj["language"])
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    stmt = _el(file_desc, "titleStmt")
    _el(stmt, "title", obj["title"] or obj["files"][0]["path"])
    for a, key in zip(obj["authors"], author_keys, strict=False):
        author = Party(a["as_written"], entity_key=key)
        _el(stmt, "author", a["as_written"], ref=" ".join(authority_uris(author, ids)))
    pub = _el(file_desc, "publicationStmt")
    _el(pub, "publisher", "prinkipo")
    _el(pub, "idno", obj["files"][0]["path"], type="path")
    if obj.get("url"):
        _el(pub, "idno", obj["url"], type="URI")
    source_desc = _el(file_desc, "sourceDesc")
    sources: dict[str, str] = {}
    for letter in letters:
        if letter.source and letter.source not in sources:
            sources[letter.source] = source_id(letter.source)
            _el(source_desc, "bibl", letter.source, type=letter.source_type,
                **{XML_ID: sources[letter.source]})  # fmt: skip
    if obj["source"]:
        _el(source_desc, "bibl", obj["source"]["text"])
    published = obj["dates"].get("published")
    if published and published.get("edtf") and published["evidence"]["field"] != "Source":
        first = _el(source_desc, "bibl", type="firstEdition")
        _written(first, published, wrap=False)
    if len(source_desc) == 0:
        _el(source_desc, "p")  # nothing is known of the source

    profile = _el(header, "profileDesc")
    julian = False
    written = obj["dates"].get("written")
    if written and written.get("edtf"):
        julian = _written(profile, written) or julian
    if obj["language"]:
        _el(_el(profile, "langUsage"), "language", ident=obj["language"])
    for letter in letters:
        julian = _corresp(profile, letter, ids, sources) or julian
    if julian:
        cal = _el(_el(profile, "calendarDesc"), "calendar", **{XML_ID: "julian"})
        _el(cal, "p", "Julian calendar (Old Style); @when and the other dating attributes give "
            "the Gregorian date.")  # fmt: skip
    if len(profile) == 0:
        header.remove(profile)

    text = _el(root, "text")
    body = _el(text, "body")
    mentions: dict[int, list[dict[str, Any]]] = {}
    for m in store.document_mentions(doc_id):
        key = m.get("entity_key") or ""
        if m.get("paragraph") and key and not key.startswith("candidate:") and m["kind"] in _TAGS:
            mentions.setdefault(m["paragraph"], []).append(m)
    mention_ids = store.authority_ids([m["entity_key"] for ms in mentions.values() for m in ms])
    for p in obj["paragraphs"]:
        _paragraph(body, p, mentions.get(p["n"], []), mention_ids)
    if not obj["paragraphs"]:
        _el(body, "p")
    if obj["notes"]:
        div = _el(_el(text, "back"), "div", type="notes")
        for note in obj["notes"]:
            _el(div, "note", note["text"], type=note["kind"], n=note["label"])
    return root.getroottree()


#: entity kind → the TEI element that names it
_TAGS = {
    "person": "persName",
    "place": "placeName",
    "organisation": "orgName",
    "periodical": "title",
}


def _paragraph(
    body: etree._Element,
    p: dict[str, Any],
    mentions: list[dict[str, Any]],
    ids: dict[str, dict[str, str]],
) -> None:
    """A ``p`` with ``persName``/``placeName``/``orgName``/``title`` around its linked mentions
    (``@key`` the archive's entity, ``@ref`` its authority URIs)."""
    el = _el(body, "p", n=str(p["n"]))
    text: str = p["text"]
    pos = 0
    last: Any = None

    def put(chunk: str) -> None:
        if last is None:
            el.text = (el.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk

    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = m["start"] - p["start"], m["end"] - p["start"]
        if start < pos or end > len(text) or text[start:end] != m["text"]:
            continue  # overlapping, or not where the paragraph has it: leave the text plain
        put(text[pos:start])
        refs = authority_uris(Party(m["text"], entity_key=m["entity_key"]), ids)
        attrs = {"key": m["entity_key"], "ref": " ".join(refs) or None}
        if m["kind"] == "periodical":
            attrs["level"] = "j"
        last = _el(el, _TAGS[m["kind"]], text[start:end], **attrs)
        pos = end
    put(text[pos:])


def export_tei(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    """Write one TEI file per document into the folder ``out``; returns how many."""
    out.mkdir(parents=True, exist_ok=True)
    total = store.count_documents()
    done = 0
    offset = 0
    while True:
        page = store.document_summaries(_PAGE, offset)
        if not page:
            break
        offset += len(page)
        for summary in page:
            tree = build(store, summary["id"])
            target = out / file_name(summary["id"], summary["path"])
            tree.write(str(target), xml_declaration=True, encoding="UTF-8", pretty_print=True)
            done += 1
            if on_progress:
                on_progress(done, total)
    return done
