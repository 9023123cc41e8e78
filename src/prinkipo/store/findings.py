"""The checks' findings and the human decisions on them (the store side of :mod:`prinkipo.checks`).

Two layers, kept apart:

* ``findings``: what the rules found the last time they ran over a document. Re-running the checks
  replaces a document's findings wholesale; it is derived data, like the extracted fields.
* ``finding_decisions``: an editor's *accepted* or *dismissed*, keyed by the finding's stable
  ``key`` (rule + the document's file path + the evidence it rests on; never a row id), so it
  survives re-ingest and re-checking. Nothing but an editor writes there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_FINDING_COLUMNS = (
    "f.id, f.key, f.document_id, fl.path, f.rule, f.severity, f.message, f.evidence,"
    " f.suggestion, d.decision, d.value, d.note, d.decided_by, d.decided_at"
)


def _finding_row(r: Sequence[Any]) -> dict[str, Any]:
    return {
        "id": r[0],
        "key": r[1],
        "document_id": r[2],
        "path": r[3],
        "rule": r[4],
        "severity": r[5],
        "message": r[6],
        "evidence": json.loads(r[7]),
        "suggestion": json.loads(r[8]) if r[8] else None,
        "status": r[9] or "open",
        "decision": (
            {"decision": r[9], "value": r[10], "note": r[11], "by": r[12], "at": r[13]}
            if r[9]
            else None
        ),
    }


#: the filters of :meth:`FindingsStore.findings`, each a fixed condition on a named parameter
_FILTERS = {
    "doc": "f.document_id = :doc",
    "severity": "f.severity = :severity",
    "rule": "f.rule = :rule",
    "status": "coalesce(d.decision, 'open') = :status",
}


def _where(params: dict[str, Any]) -> str:
    """``WHERE`` over the filters that are set (the SQL text is built from constants only)."""
    conds = [_FILTERS[k] for k, v in params.items() if k in _FILTERS and v is not None]
    return (" WHERE " + " AND ".join(conds)) if conds else ""


class FindingsStore:
    """Mixin for :class:`~prinkipo.store.sqlite.Store`: findings and decisions.

    Portable SQL only (no ``json_each``, no ``group_concat`` ordering), so the PostgreSQL store
    runs these methods unchanged through its dialect layer.
    """

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    # -- what the checks read ---------------------------------------------------------------

    def check_inputs(self) -> dict[str, list[tuple[Any, ...]]]:
        """Everything the rules look at, for every document, in one query per table.

        Returns rows grouped by table name; :mod:`prinkipo.checks.facts` turns them into
        per-document facts. Whole-archive reads are what make cross-document rules (learning a
        periodical's volumes from its other records, duplicates) cheap.
        """
        c = self.conn
        return {
            "documents": c.execute(
                "SELECT d.id, f.path, d.title, f.format, f.encoding, f.sha256 FROM documents d"
                " JOIN files f ON f.id = d.file_id ORDER BY d.id"
            ).fetchall(),
            "dates": c.execute(
                "SELECT document_id, role, text, edtf, earliest, latest, precision, field, start,"
                ' "end", error, approximate, uncertain, qualifier, method FROM document_dates'
            ).fetchall(),
            "sources": c.execute(
                'SELECT document_id, text, periodical, volume, number, pages, start, "end"'
                " FROM document_sources"
            ).fetchall(),
            "fields": c.execute(
                "SELECT document_id, name, value, value_start, value_end FROM document_fields"
                " ORDER BY document_id, n"
            ).fetchall(),
            "authors": c.execute(
                'SELECT a.document_id, a.as_written, a.name, a.entity_key, a.start, a."end",'
                " e.data FROM document_authors a LEFT JOIN entities e ON e.key = a.entity_key"
                " ORDER BY a.document_id, a.n"
            ).fetchall(),
            "notes": c.execute(
                'SELECT document_id, kind, label, text, start, "end" FROM notes'
                " ORDER BY document_id, n"
            ).fetchall(),
        }

    def document_text(self, document_id: int) -> str | None:
        """A document's decoded file text, or None when there is no such document."""
        row = self.conn.execute(
            "SELECT text FROM documents WHERE id = :d", {"d": document_id}
        ).fetchone()
        return None if row is None else str(row[0])

    def document_paragraphs_text(self, document_id: int) -> str:
        """A document's paragraphs joined by newlines, as :meth:`paragraph_texts` gives them."""
        rows = self.conn.execute(
            "SELECT text FROM paragraphs WHERE document_id = :d ORDER BY n", {"d": document_id}
        )
        return "\n".join(r[0] for r in rows)

    def paragraph_texts(self) -> Iterator[tuple[int, str]]:
        """(document id, its paragraphs joined by newlines) for every document, streamed."""
        rows = self.conn.execute("SELECT document_id, text FROM paragraphs ORDER BY document_id, n")
        current: int | None = None
        parts: list[str] = []
        for doc_id, text in rows:
            if doc_id != current:
                if current is not None:
                    yield current, "\n".join(parts)
                current, parts = doc_id, []
            parts.append(text)
        if current is not None:
            yield current, "\n".join(parts)

    def letter_places(self) -> list[tuple[Any, ...]]:
        """Every letter with a sender, a place of sending and a date: (letter id, document id,
        sender key or name, place key, place name, place evidence text/start/end, sent earliest,
        sent latest), for checking where a sender was."""
        return self.conn.execute(
            "SELECT l.id, l.document_id, coalesce(s.entity_key, s.name), p.entity_key, p.name,"
            " p.evidence_text, p.evidence_start, p.evidence_end, l.sent_earliest, l.sent_latest"
            " FROM letters l"
            " JOIN letter_parties s ON s.letter_id = l.id AND s.role = 'sender' AND s.n = 1"
            " JOIN letter_parties p ON p.letter_id = l.id AND p.role = 'sent_place' AND p.n = 1"
            " WHERE l.sent_earliest IS NOT NULL AND l.sent_latest IS NOT NULL"
            " ORDER BY l.id"
        ).fetchall()

    def original_bytes(self, document_id: int) -> bytes | None:
        """The bytes of the file a document was read from (as kept by ingest)."""
        row = self.conn.execute(
            "SELECT b.content FROM documents d JOIN files f ON f.id = d.file_id"
            " JOIN blobs b ON b.sha256 = f.sha256 WHERE d.id = :id",
            {"id": document_id},
        ).fetchone()
        return bytes(row[0]) if row else None

    def entity_data(self, kind: str) -> list[tuple[str, str, str]]:
        """(key, name, JSON data) of every entity of a kind (the authority's periodicals …)."""
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                "SELECT key, name, data FROM entities WHERE kind = :kind ORDER BY key",
                {"kind": kind},
            )
        ]

    # -- findings ---------------------------------------------------------------------------

    def replace_findings(
        self, document_ids: Iterable[int] | None, rows: list[dict[str, Any]]
    ) -> None:
        """Replace the findings of these documents (all documents when None) with ``rows``.

        Each row: ``key, document_id, rule, severity, message, evidence, suggestion`` (the last
        two JSON-ready). One transaction: readers never see a half-checked archive.
        """
        with self.transaction() as c:
            if document_ids is None:
                c.execute("DELETE FROM findings")
            else:
                c.executemany(
                    "DELETE FROM findings WHERE document_id = :id",
                    [{"id": i} for i in document_ids],
                )
            now = _now()
            c.executemany(
                "INSERT OR IGNORE INTO findings (key, document_id, rule, severity, message,"
                " evidence, suggestion, checked_at) VALUES (:key, :document_id, :rule, :severity,"
                " :message, :evidence, :suggestion, :now)",
                [
                    {
                        **r,
                        "evidence": json.dumps(r["evidence"], ensure_ascii=False),
                        "suggestion": (
                            json.dumps(r["suggestion"], ensure_ascii=False)
                            if r["suggestion"]
                            else None
                        ),
                        "now": now,
                    }
                    for r in rows
                ],
            )

    def findings(
        self,
        document_id: int | None = None,
        severity: str | None = None,
        rule: str | None = None,
        status: str | None = "open",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Stored findings, filtered; ``status`` is open, accepted, dismissed, or None for all."""
        params: dict[str, Any] = {
            "doc": document_id,
            "severity": severity,
            "rule": rule,
            "status": status,
            "limit": limit,
            "offset": offset,
        }
        page = " LIMIT :limit OFFSET :offset" if limit is not None else ""
        rows = self.conn.execute(
            f"SELECT {_FINDING_COLUMNS} FROM findings f"  # noqa: S608 (constants only)
            " JOIN documents doc ON doc.id = f.document_id JOIN files fl ON fl.id = doc.file_id"
            " LEFT JOIN finding_decisions d ON d.key = f.key"
            + _where(params)
            + " ORDER BY f.document_id, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1"
            " ELSE 2 END, f.rule, f.id" + page,
            {k: v for k, v in params.items() if v is not None},
        )
        return [_finding_row(r) for r in rows]

    def count_findings(
        self,
        severity: str | None = None,
        rule: str | None = None,
        status: str | None = "open",
    ) -> int:
        params = {"severity": severity, "rule": rule, "status": status}
        row = self.conn.execute(
            "SELECT count(*) FROM findings f LEFT JOIN finding_decisions d ON d.key = f.key"  # noqa: S608 (constants only)
            + _where(params),
            {k: v for k, v in params.items() if v is not None},
        ).fetchone()
        return int(row[0])

    def finding(self, ref: str) -> dict[str, Any] | None:
        """One stored finding by its id (digits) or its key."""
        where = "f.id = :ref" if ref.isdigit() and len(ref) < 18 else "f.key = :ref"
        row = self.conn.execute(
            f"SELECT {_FINDING_COLUMNS} FROM findings f"  # noqa: S608 (constants only)
            " JOIN documents doc ON doc.id = f.document_id JOIN files fl ON fl.id = doc.file_id"
            f" LEFT JOIN finding_decisions d ON d.key = f.key WHERE {where}"
            " ORDER BY f.id LIMIT 1",
            {"ref": int(ref) if where.startswith("f.id") else ref},
        ).fetchone()
        return _finding_row(row) if row else None

    # -- decisions (human corrections) ------------------------------------------------------

    def save_decision(
        self,
        finding: dict[str, Any],
        decision: str,
        decided_by: str,
        field: str | None = None,
        old: str | None = None,
        value: str | None = None,
        note: str | None = None,
    ) -> None:
        """Record an editor's decision on a finding (replacing an earlier one on the same key)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO finding_decisions (key, rule, path, decision, field, old, value,"
                " evidence, message, note, decided_by, decided_at) VALUES (:key, :rule, :path,"
                " :decision, :field, :old, :value, :evidence, :message, :note, :by, :now)"
                " ON CONFLICT (key) DO UPDATE SET decision = excluded.decision,"
                " field = excluded.field, old = excluded.old, value = excluded.value,"
                " evidence = excluded.evidence, message = excluded.message, note = excluded.note,"
                " decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                {
                    "key": finding["key"],
                    "rule": finding["rule"],
                    "path": finding["path"],
                    "decision": decision,
                    "field": field,
                    "old": old,
                    "value": value,
                    "evidence": json.dumps(finding["evidence"], ensure_ascii=False),
                    "message": finding["message"],
                    "note": note,
                    "by": decided_by,
                    "now": _now(),
                },
            )

    def corrections_for(self, path: str) -> list[dict[str, Any]]:
        """Accepted decisions with a value, for the document read from ``path``, oldest first."""
        rows = self.conn.execute(
            "SELECT key, rule, field, old, value, note, decided_by, decided_at"
            " FROM finding_decisions WHERE path = :path AND decision = 'accepted'"
            " AND value IS NOT NULL ORDER BY decided_at, key",
            {"path": path},
        )
        names = ("key", "rule", "field", "old", "value", "note", "by", "at")
        return [dict(zip(names, r, strict=True)) for r in rows]

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision ever recorded (the human layer), oldest first."""
        rows = self.conn.execute(
            "SELECT key, rule, path, decision, field, old, value, evidence, message, note,"
            " decided_by, decided_at FROM finding_decisions ORDER BY decided_at, key"
        )
        names = (
            "key",
            "rule",
            "path",
            "decision",
            "field",
            "old",
            "value",
            "evidence",
            "message",
            "note",
            "by",
            "at",
        )
        out = [dict(zip(names, r, strict=True)) for r in rows]
        for d in out:
            d["evidence"] = json.loads(d["evidence"])
        return out
