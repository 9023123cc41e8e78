"""The contract's JSON objects (CONTRACT.md), built from what the store returns.

The command line's ``--json`` and the HTTP API both use these, so the shapes are defined once.
"""

from __future__ import annotations

import json
from typing import Any

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
        "letter": None,
        "fields": rows["fields"],
        "paragraphs": rows["paragraphs"],
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
