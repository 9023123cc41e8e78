"""The contract's JSON objects (CONTRACT.md), built from what the store returns.

The command line's ``--json`` and the HTTP API both use these, so the shapes are defined once.
"""

from __future__ import annotations

import json
from typing import Any

from prinkipo.anchors import paragraph_anchors
from prinkipo.checks import apply_corrections
from prinkipo.store import Store

#: the order dates are shown in: the date of writing first
ROLE_ORDER = ("written", "delivered", "published", "dateline", "note", "source")
_DATE_FLAGS = ("approximate", "uncertain", "supplied")


def date_object(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: row[k] for k in ("text", "edtf", "earliest", "latest", "calendar")}
    if row["edtf"] is None:
        out["error"] = row["error"]
    else:
        out["precision"] = row["precision"]
    if row["julian"]:
        out["julian"] = row["julian"]
    out.update({k: True for k in _DATE_FLAGS if row[k]})
    if row["qualifier"]:
        out["qualifier"] = row["qualifier"]
    out["evidence"] = {
        "field": row["field"],
        "start": row["start"],
        "end": row["end"],
        "method": row["method"],
    }
    return out


def mention_object(row: dict[str, Any]) -> dict[str, Any]:
    """A mention as the contract shows it: entity, text, span, paragraph, method, confidence."""
    out = {
        "entity_id": row.get("entity_id"),
        "entity_key": row["entity_key"],
        "kind": row["kind"],
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "paragraph": row["paragraph"],
        "field": row["field"],
        "passage_start": row["passage_start"],
        "passage_end": row["passage_end"],
        "method": row["method"],
        "confidence": row["confidence"],
    }
    if row.get("candidates"):
        out["candidates"] = row["candidates"]
    for extra in ("document_id", "document_title", "document_path", "entity_name"):
        if extra in row:
            out[extra] = row[extra]
    return out


def document_object(store: Store, doc_id: int) -> dict[str, Any]:
    """The document object of the contract."""
    rows = store.document_rows(doc_id)
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    ordered = sorted(rows["dates"], key=lambda d: (order.get(d["role"], len(order)), d["role"]))
    dates = {d["role"]: date_object(d) for d in ordered}
    letters = [
        letter_object(r)
        for role in ("self", "mentioned")
        for r in store.letter_rows(document_id=doc_id, role=role)
    ]
    source = rows["source"]
    if source is not None:
        source = {
            k: source[k]
            for k in ("text", "periodical", "volume", "number", "pages", "rest", "start", "end")
        }
        source["date"] = dates.pop("source", None)
    obj = {
        "id": rows["id"],
        "title": rows["title"],
        "url": rows["url"],
        "authors": [
            {
                "name": a["name"],
                "as_written": a["as_written"],
                "entity_id": a["entity_id"],
                "method": a["method"],
                "confidence": a["confidence"],
                "start": a["start"],
                "end": a["end"],
            }
            for a in rows["authors"]
        ],
        "genre": rows["genre"],
        "genre_evidence": json.loads(rows["genre_json"]) if rows["genre_json"] else None,
        "language": rows["language"],
        "dates": dates,
        "source": source,
        "letter": next((x for x in letters if x["role"] == "self"), None),
        "letters": letters,
        "listed_letters": store.count_letters(role="listed", document_id=doc_id),
        "fields": rows["fields"],
        "paragraphs": _with_anchors(rows["paragraphs"]),
        "notes": rows["notes"],
        "mentions": [mention_object(m) for m in store.document_mentions(doc_id)],
        "findings": [finding_object(f) for f in store.findings(doc_id, status=None)],
        "files": [{k: rows["file"][k] for k in ("path", "sha256", "size", "format", "encoding")}],
    }
    return apply_corrections(obj, store.corrections_for(rows["file"]["path"]))


def finding_object(row: dict[str, Any]) -> dict[str, Any]:
    """The contract's finding object (with its stable ``key``, ``status`` and any decision)."""
    return {
        k: row[k]
        for k in (
            "id",
            "key",
            "document_id",
            "path",
            "rule",
            "severity",
            "message",
            "evidence",
            "suggestion",
            "status",
            "decision",
        )
    }


def entity_object(row: dict[str, Any], store: Store | None = None) -> dict[str, Any]:
    """An entity: names, kind, ids, dates, coordinates, counts; with ``store``, its mentions."""
    out = {
        k: row[k]
        for k in (
            "id",
            "key",
            "kind",
            "name",
            "variants",
            "ids",
            "dates",
            "coordinates",
            "note",
            "origin",
            "aliases",
            "merged_into",
            "mention_count",
            "document_count",
        )
    }
    if store is not None:
        out["mentions"] = [mention_object(m) for m in store.mentions_of(row["key"])]
    return out


# -- letters ----------------------------------------------------------------------------------


def _evidence(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["evidence_text"] is None:
        return None
    return {
        "text": row["evidence_text"],
        "start": row["evidence_start"],
        "end": row["evidence_end"],
    }


def party_object(row: dict[str, Any]) -> dict[str, Any]:
    """A sender, recipient, place or carrier: name as written, authority URIs and entity."""
    out: dict[str, Any] = {
        "name": row["name"],
        "refs": row["refs"].split(),
        "entity_id": row.get("entity_id"),
        "entity_key": row["entity_key"],
        "method": row["method"],
        "confidence": row["confidence"],
        "evidence": _evidence(row),
    }
    if row["cert"]:
        out["cert"] = row["cert"]
    return out


def letter_date_object(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"text": row["as_written"]}
    out.update({k: row[k] for k in ("edtf", "earliest", "latest", "calendar")})
    out["attrs"] = json.loads(row["attrs"])
    for k in ("julian", "error", "note", "cert"):
        if row[k]:
            out[k] = row[k]
    out.update(
        {"method": row["method"], "confidence": row["confidence"], "evidence": _evidence(row)}
    )
    return out


def letter_object(row: dict[str, Any]) -> dict[str, Any]:
    """One letter (``GET /api/letters``, ``prinkipo letters --json``, ``document.letter``)."""
    by_role: dict[str, list[dict[str, Any]]] = {}
    for p in row["parties"]:
        by_role.setdefault(p["role"], []).append(party_object(p))
    dates = {d["action"]: letter_date_object(d) for d in row["dates"]}

    def one(role: str) -> dict[str, Any] | None:
        found = by_role.get(role)
        return found[0] if found else None

    return {
        "id": row["id"],
        "document_id": row["document_id"],
        "document": {"title": row["document_title"], "path": row["document_path"]},
        "role": row["role"],
        "sender": one("sender"),
        "senders": by_role.get("sender", []),
        "recipient": one("recipient"),
        "recipients": by_role.get("recipient", []),
        "place": one("sent_place"),
        "date": dates.get("sent"),
        "received": {"place": one("received_place"), "date": dates.get("received")},
        "carrier": one("carrier"),
        "key": row["key"],
        "url": row["url"],
        "source": row["source"],
        "method": row["method"],
        "confidence": row["confidence"],
        "evidence": _evidence(row),
    }


def _with_anchors(paragraphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each paragraph with its stable content anchor (see :mod:`prinkipo.anchors`).

    Ingest stores the anchors; a document stored before they were (an older archive) has them
    computed here instead.
    """
    if all(p.get("anchor") for p in paragraphs):
        return paragraphs
    anchors = paragraph_anchors(p["text"] for p in paragraphs)
    return [{**p, "anchor": a} for p, a in zip(paragraphs, anchors, strict=True)]
