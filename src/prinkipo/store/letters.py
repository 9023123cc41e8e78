"""Letters in the archive: one row per letter, its parties (senders, recipients, places, carrier)
and its dates (sent, received), each with the method and evidence that produced it.

A letter belongs to the document it is (``role='self'``), lists it (``'listed'``, a CMIF index) or
mentions it (``'mentioned'``); re-saving a document replaces its letters in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from prinkipo.model import Letter, LetterDate, Party, Span

_PARTY_ROLES = ("sender", "recipient", "sent_place", "received_place", "carrier")


def _ev(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"et": None, "es": None, "ee": None}
    return {"et": span.text, "es": span.start, "ee": span.end}


class LettersMixin:
    conn: sqlite3.Connection

    def save_letters(self, doc_id: int, letters: list[Letter]) -> None:
        """Replace the letters of a document (call inside the document's transaction)."""
        c = self.conn
        c.execute("DELETE FROM letters WHERE document_id = :d", {"d": doc_id})
        for n, letter in enumerate(letters, start=1):
            sent = letter.sent_date
            letter_id = int(
                c.execute(
                    "INSERT INTO letters (document_id, n, role, key, url, source, source_id,"
                    " source_type, method, confidence, evidence_text, evidence_start,"
                    " evidence_end, sent_earliest, sent_latest) VALUES (:d, :n, :role, :key,"
                    " :url, :source, :source_id, :source_type, :method, :confidence, :et, :es,"
                    " :ee, :se, :sl) RETURNING id",
                    {
                        "d": doc_id,
                        "n": n,
                        "role": letter.role,
                        "key": letter.key,
                        "url": letter.url,
                        "source": letter.source,
                        "source_id": letter.source_id,
                        "source_type": letter.source_type,
                        "method": letter.method,
                        "confidence": letter.confidence,
                        "se": sent.earliest if sent else None,
                        "sl": sent.latest if sent else None,
                        **_ev(letter.evidence),
                    },
                ).fetchone()[0]
            )
            parties: list[tuple[str, int, Party]] = []
            parties += [("sender", i, p) for i, p in enumerate(letter.senders, start=1)]
            parties += [("recipient", i, p) for i, p in enumerate(letter.recipients, start=1)]
            for role, one in (
                ("sent_place", letter.sent_place),
                ("received_place", letter.received_place),
                ("carrier", letter.carrier),
            ):
                if one is not None:
                    parties.append((role, 1, one))
            c.executemany(
                "INSERT INTO letter_parties (letter_id, role, n, name, refs, entity_key, cert,"
                " method, confidence, evidence_text, evidence_start, evidence_end) VALUES"
                " (:l, :role, :n, :name, :refs, :key, :cert, :method, :confidence, :et, :es, :ee)",
                [
                    {
                        "l": letter_id,
                        "role": role,
                        "n": i,
                        "name": p.name,
                        "refs": " ".join(p.refs),
                        "key": p.entity_key,
                        "cert": p.cert,
                        "method": p.method,
                        "confidence": p.confidence,
                        **_ev(p.evidence),
                    }
                    for role, i, p in parties
                ],
            )
            c.executemany(
                "INSERT INTO letter_dates (letter_id, action, as_written, attrs, edtf, earliest,"
                " latest, calendar, julian, error, note, cert, method, confidence, evidence_text,"
                " evidence_start, evidence_end) VALUES (:l, :action, :text, :attrs, :edtf,"
                " :earliest, :latest, :calendar, :julian, :error, :note, :cert, :method,"
                " :confidence, :et, :es, :ee)",
                [
                    _date_row(letter_id, action, d)
                    for action, d in (
                        ("sent", letter.sent_date),
                        ("received", letter.received_date),
                    )
                    if d is not None
                ],
            )

    def count_letters(self, role: str | None = None, document_id: int | None = None) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM letters WHERE (:role IS NULL OR role = :role)"
            " AND (:doc IS NULL OR document_id = :doc)",
            {"role": role, "doc": document_id},
        ).fetchone()
        return int(row[0])

    def letter_rows(
        self,
        document_id: int | None = None,
        role: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Letters as plain rows, each with ``parties`` and ``dates`` lists, in document order."""
        c = self.conn
        params = {
            "doc": document_id,
            "role": role,
            "limit": 2**62 if limit is None else limit,
            "offset": offset,
        }
        c.row_factory = sqlite3.Row
        try:
            letters = [
                dict(r)
                for r in c.execute(
                    "SELECT l.*, f.path AS document_path, d.title AS document_title"
                    " FROM letters l JOIN documents d ON d.id = l.document_id"
                    " JOIN files f ON f.id = d.file_id"
                    " WHERE l.id IN (SELECT x.id FROM letters x"
                    "   WHERE (:doc IS NULL OR x.document_id = :doc)"
                    "   AND (:role IS NULL OR x.role = :role)"
                    "   ORDER BY x.document_id, x.n LIMIT :limit OFFSET :offset)"
                    " ORDER BY l.document_id, l.n",
                    params,
                )
            ]
            if not letters:
                return []
            parties: dict[int, list[dict[str, Any]]] = {}
            for r in c.execute(
                "SELECT p.*, e.id AS entity_id FROM letter_parties p"
                " LEFT JOIN entities e ON e.key = p.entity_key"
                " WHERE p.letter_id IN (SELECT x.id FROM letters x"
                "   WHERE (:doc IS NULL OR x.document_id = :doc)"
                "   AND (:role IS NULL OR x.role = :role)"
                "   ORDER BY x.document_id, x.n LIMIT :limit OFFSET :offset)"
                " ORDER BY p.letter_id, p.role, p.n",
                params,
            ):
                parties.setdefault(r["letter_id"], []).append(dict(r))
            dates: dict[int, list[dict[str, Any]]] = {}
            for r in c.execute(
                "SELECT t.* FROM letter_dates t"
                " WHERE t.letter_id IN (SELECT x.id FROM letters x"
                "   WHERE (:doc IS NULL OR x.document_id = :doc)"
                "   AND (:role IS NULL OR x.role = :role)"
                "   ORDER BY x.document_id, x.n LIMIT :limit OFFSET :offset)",
                params,
            ):
                dates.setdefault(r["letter_id"], []).append(dict(r))
        finally:
            c.row_factory = None
        for r in letters:
            r["parties"] = parties.get(r["id"], [])
            r["dates"] = dates.get(r["id"], [])
        return letters

    def letter_document_ids(
        self, roles: tuple[str, ...] = ("self", "listed", "mentioned")
    ) -> list[int]:
        """The documents that have letters of these roles, in id order."""
        rows = self.conn.execute(
            "SELECT document_id, role FROM letters GROUP BY document_id, role ORDER BY document_id"
        ).fetchall()
        out: list[int] = []
        for doc_id, role in rows:
            if role in roles and (not out or out[-1] != doc_id):
                out.append(int(doc_id))
        return out

    def authority_ids(self, keys: list[str]) -> dict[str, dict[str, str]]:
        """External ids (wikidata, viaf, gnd, geonames …) of authority entries, by entity key."""
        out: dict[str, dict[str, str]] = {}
        for key in sorted(set(keys)):
            row = self.conn.execute(
                "SELECT data FROM entities WHERE key = :key", {"key": key}
            ).fetchone()
            if row is not None:
                data = json.loads(row[0])
                ids = data.get("ids") or {}
                out[key] = {str(k): str(v) for k, v in ids.items()}
        return out

    def last_ingest(self) -> str | None:
        """When a file was last ingested (ISO 8601): a stable date for exports."""
        row = self.conn.execute("SELECT max(ingested_at) FROM files").fetchone()
        return str(row[0]) if row and row[0] else None

    def letter_stats(self) -> dict[str, int]:
        """How many letters have a sender, a recipient, a place and a date of sending."""
        row = self.conn.execute(
            "SELECT count(*),"
            " sum(CASE WHEN EXISTS (SELECT 1 FROM letter_parties p WHERE p.letter_id = l.id"
            "   AND p.role = 'sender') THEN 1 ELSE 0 END),"
            " sum(CASE WHEN EXISTS (SELECT 1 FROM letter_parties p WHERE p.letter_id = l.id"
            "   AND p.role = 'recipient') THEN 1 ELSE 0 END),"
            " sum(CASE WHEN EXISTS (SELECT 1 FROM letter_parties p WHERE p.letter_id = l.id"
            "   AND p.role = 'sent_place') THEN 1 ELSE 0 END),"
            " sum(CASE WHEN EXISTS (SELECT 1 FROM letter_dates t WHERE t.letter_id = l.id"
            "   AND t.action = 'sent' AND t.edtf IS NOT NULL) THEN 1 ELSE 0 END)"
            " FROM letters l"
        ).fetchone()
        keys = ("letters", "with_sender", "with_recipient", "with_place", "with_date")
        return {k: int(v or 0) for k, v in zip(keys, row, strict=True)}


def _date_row(letter_id: int, action: str, d: LetterDate) -> dict[str, Any]:
    return {
        "l": letter_id,
        "action": action,
        "text": d.text,
        "attrs": json.dumps(d.attrs),
        "edtf": d.edtf,
        "earliest": d.earliest,
        "latest": d.latest,
        "calendar": d.calendar,
        "julian": d.julian,
        "error": d.error,
        "note": d.note,
        "cert": d.cert,
        "method": d.method,
        "confidence": d.confidence,
        **_ev(d.evidence),
    }


def letter_from_row(row: dict[str, Any]) -> Letter:
    """Rebuild a Letter from :meth:`LettersMixin.letter_rows` output (for the exporters)."""

    def span(r: dict[str, Any]) -> Span | None:
        if r["evidence_text"] is None:
            return None
        return Span(r["evidence_text"], r["evidence_start"], r["evidence_end"])

    letter = Letter(
        role=row["role"],
        key=row["key"],
        url=row["url"],
        source=row["source"],
        source_id=row["source_id"],
        source_type=row["source_type"],
        method=row["method"],
        confidence=row["confidence"],
        evidence=span(row),
    )
    for p in row["parties"]:
        party = Party(
            p["name"],
            tuple(p["refs"].split()),
            p["method"],
            p["confidence"],
            span(p),
            p["entity_key"],
            p["cert"],
        )
        if p["role"] == "sender":
            letter.senders.append(party)
        elif p["role"] == "recipient":
            letter.recipients.append(party)
        else:
            setattr(letter, p["role"], party)
    for d in row["dates"]:
        value = LetterDate(
            text=d["as_written"],
            attrs=json.loads(d["attrs"]),
            edtf=d["edtf"],
            earliest=d["earliest"],
            latest=d["latest"],
            calendar=d["calendar"],
            julian=d["julian"],
            error=d["error"],
            note=d["note"],
            method=d["method"],
            confidence=d["confidence"],
            evidence=span(d),
            cert=d["cert"],
        )
        if d["action"] == "sent":
            letter.sent_date = value
        else:
            letter.received_date = value
    return letter
