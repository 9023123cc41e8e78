"""Entities, their mentions in documents, and the human corrections to them (SQL only here).

Entities are keyed by a stable ``key`` ("person:trotsky-leon", "place:pmb:50"); their row ids
stay the same across re-ingests because rows are upserted by key. Mentions are the extracted
layer, rewritten with their document; corrections (``entity_corrections``) are stored apart and
never touched by an ingest, which re-applies them (see :mod:`prinkipo.entities.corrections`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prinkipo.errors import EntityNotFound
from prinkipo.model import Mention

if TYPE_CHECKING:
    from prinkipo.entities.authority import Authority


_MENTION_COLUMNS = (
    'document_id, entity_key, kind, text, start, "end", paragraph, field, passage_start,'
    " passage_end, method, confidence, candidates, corrected"
)


def _mention_row(doc_id: int, m: Mention) -> dict[str, Any]:
    return {
        "d": doc_id,
        "key": m.entity_key,
        "kind": m.kind,
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "paragraph": m.paragraph,
        "field": m.field,
        "ps": m.passage_start,
        "pe": m.passage_end,
        "method": m.method,
        "confidence": m.confidence,
        "candidates": json.dumps(list(m.candidates)) if m.candidates else None,
        "corrected": int(m.method.startswith("human")),
    }


class EntityStore:
    """Mixin for :class:`~prinkipo.store.Store`: entities, mentions, corrections."""

    conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # provided by the Store

    # -- authority ----------------------------------------------------------------------------

    def load_authority(self, authority: Authority, origin: str | None = None) -> None:
        """Upsert authority entries by key (ids of existing entities never change)."""
        with self.transaction():
            self._upsert_entities(authority, origin)

    def _upsert_entities(self, authority: Authority, origin: str | None) -> None:
        # only new or changed entries are written: an upsert that changes nothing would still
        # use up identity values on PostgreSQL, and ids must come out the same on both backends
        stored = dict(self.conn.execute("SELECT key, data || '|' || origin FROM entities"))
        rows = []
        for e in authority:
            data = json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False)
            row_origin = origin or e.origin
            if stored.get(e.key) != f"{data}|{row_origin}":
                rows.append(
                    {
                        "key": e.key,
                        "kind": e.kind,
                        "name": e.name,
                        "data": data,
                        "origin": row_origin,
                    }
                )
        self.conn.executemany(
            "INSERT INTO entities (key, kind, name, data, origin) VALUES"
            " (:key, :kind, :name, :data, :origin) ON CONFLICT (key) DO UPDATE SET"
            " kind = excluded.kind, name = excluded.name, data = excluded.data,"
            " origin = excluded.origin",
            rows,
        )

    def authority_rows(self) -> list[dict[str, Any]]:
        """Every stored authority entry (not candidates), as the entry's JSON object."""
        rows = self.conn.execute(
            "SELECT data FROM entities WHERE origin != 'candidate' ORDER BY id"
        )
        return [json.loads(r[0]) for r in rows]

    def entity_ids(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        rows = self.conn.execute(
            "SELECT key, id FROM entities WHERE key IN (SELECT value FROM json_each(:keys))",
            {"keys": json.dumps(keys)},
        )
        return {r[0]: int(r[1]) for r in rows}

    def retire_entities(self, pairs: list[tuple[str, str]]) -> None:
        """Mark each (key, merged into) entity as merged, where it is not marked so already."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE entities SET merged_into = :into WHERE key = :key"
                " AND (merged_into IS NULL OR merged_into != :into)",
                [{"key": k, "into": into} for k, into in pairs if k != into],
            )

    def retire_entity(self, key: str, merged_into: str | None) -> None:
        """Mark an entity as merged into another (its row and id stay, for old links)."""
        self.conn.execute(
            "UPDATE entities SET merged_into = :into WHERE key = :key",
            {"key": key, "into": merged_into},
        )

    # -- mentions -----------------------------------------------------------------------------

    def _insert_mentions(self, doc_id: int, mentions: Iterable[Mention]) -> None:
        """Write a document's mentions (inside the caller's transaction), candidates included."""
        rows = [_mention_row(doc_id, m) for m in mentions]
        self.conn.execute("DELETE FROM mentions WHERE document_id = :d", {"d": doc_id})
        # derived search indexes re-read this document (store/migrations.py: index_changes)
        self.conn.execute("INSERT INTO index_changes (document_id) VALUES (:d)", {"d": doc_id})
        new = {r["key"]: r for r in rows if r["key"] and r["key"].startswith("candidate:")}
        for k in self._known_keys(list(new)):
            del new[k]
        if new:
            self._add_candidates(
                [
                    {
                        "key": k,
                        "kind": r["kind"],
                        "name": r["text"],
                        "data": json.dumps(
                            {"key": k, "kind": r["kind"], "name": r["text"], "origin": "candidate"},
                            ensure_ascii=False,
                        ),
                    }
                    for k, r in sorted(new.items())
                ]
            )
        self.conn.executemany(
            f"INSERT INTO mentions ({_MENTION_COLUMNS}) VALUES (:d, :key, :kind, :text, :start,"  # noqa: S608
            " :end, :paragraph, :field, :ps, :pe, :method, :confidence, :candidates, :corrected)",
            rows,
        )

    #: the statement that adds candidate entities (a name no authority entry has)
    ADD_CANDIDATES = (
        "INSERT INTO entities (key, kind, name, data, origin) VALUES"
        " (:key, :kind, :name, :data, 'candidate') ON CONFLICT (key) DO NOTHING"
    )

    def _add_candidates(self, rows: list[dict[str, Any]]) -> None:
        """Add candidate entities, in the caller's transaction (one writer at a time here)."""
        self.conn.executemany(self.ADD_CANDIDATES, rows)

    def _known_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            params = {f"k{n}": k for n, k in enumerate(chunk)}
            marks = ", ".join(f":{p}" for p in params)
            sql = f"SELECT key FROM entities WHERE key IN ({marks})"  # noqa: S608
            found.update(r[0] for r in self.conn.execute(sql, params))
        return found

    def replace_mentions(self, doc_id: int, mentions: Iterable[Mention]) -> None:
        """Replace one document's mentions in a transaction of its own."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._insert_mentions(doc_id, mentions)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def document_mentions(self, doc_id: int) -> list[dict[str, Any]]:
        """A document's mentions in reading order (the order they were found), with entity ids."""
        return self._mention_dicts(
            "SELECT m.*, e.id AS entity_id, e.name AS entity_name FROM mentions m"
            " LEFT JOIN entities e ON e.key = m.entity_key WHERE m.document_id = :d"
            " ORDER BY m.id",
            {"d": doc_id},
        )

    def _mention_dicts(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        rows = cur.fetchall()  # first: PostgreSQL in a pipeline knows the columns only then
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r, strict=True)) for r in rows]  # faster than sqlite3.Row
        for m in out:
            m["candidates"] = json.loads(m["candidates"]) if m["candidates"] else []
        return out

    def mentions_of(self, key: str, limit: int = 500) -> list[dict[str, Any]]:
        """Mentions linked to an entity, with the document's title and path."""
        return self._mention_dicts(
            "SELECT m.*, d.title AS document_title, f.path AS document_path,"
            " p.text AS paragraph_text FROM mentions m"
            " JOIN documents d ON d.id = m.document_id JOIN files f ON f.id = d.file_id"
            " LEFT JOIN paragraphs p ON p.document_id = m.document_id AND p.n = m.paragraph"
            " WHERE m.entity_key = :key"
            " ORDER BY m.document_id, m.id LIMIT :limit",
            {"key": key, "limit": limit},
        )

    def relink_mentions(self, from_key: str, to_key: str | None) -> int:
        """Point every mention of one entity at another; returns how many moved."""
        cur = self.conn.execute(
            "UPDATE mentions SET entity_key = :to, method = 'human-merge', confidence = 1.0,"
            " corrected = 1 WHERE entity_key = :from",
            {"from": from_key, "to": to_key},
        )
        return cur.rowcount

    def set_mention_entities(self, updates: list[tuple[int, str | None, str]]) -> None:
        """(mention id, entity key, method) for each mention a correction moved."""
        self.conn.executemany(
            "UPDATE mentions SET entity_key = :key, method = :method, confidence = 1.0,"
            " corrected = 1 WHERE id = :id",
            [{"id": i, "key": k, "method": m} for i, k, m in updates],
        )

    def mentions_in_path(self, path: str) -> list[dict[str, Any]]:
        return self._mention_dicts(
            "SELECT m.* FROM mentions m JOIN documents d ON d.id = m.document_id"
            " JOIN files f ON f.id = d.file_id WHERE f.path = :path ORDER BY m.id",
            {"path": path},
        )

    def mention_texts(self, key: str) -> list[tuple[int, str]]:
        rows = self.conn.execute(
            "SELECT id, text FROM mentions WHERE entity_key = :key", {"key": key}
        )
        return [(int(r[0]), r[1]) for r in rows]

    # -- entities -----------------------------------------------------------------------------

    def entity_summaries(
        self,
        kind: str | None = None,
        mentioned_only: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Entities with their mention and document counts, most mentioned first."""
        rows = self.conn.execute(
            "SELECT e.id, e.key, e.kind, e.name, e.origin, e.data, count(m.id) AS n,"
            " count(DISTINCT m.document_id) AS docs, e.merged_into FROM entities e"
            " LEFT JOIN mentions m ON m.entity_key = e.key"
            " WHERE (:kind IS NULL OR e.kind = :kind) AND e.merged_into IS NULL"
            " GROUP BY e.id HAVING (:all = 1 OR count(m.id) > 0)"
            " ORDER BY count(m.id) DESC, e.name, e.id LIMIT :limit OFFSET :offset",
            {
                "kind": kind,
                "all": int(not mentioned_only),
                "limit": -1 if limit is None else limit,
                "offset": offset,
            },
        )
        return [_entity_dict(r) for r in rows]

    def count_entities(self, kind: str | None = None, mentioned_only: bool = True) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM entities e WHERE (:kind IS NULL OR e.kind = :kind)"
            " AND e.merged_into IS NULL"
            " AND (:all = 1 OR EXISTS (SELECT 1 FROM mentions m WHERE m.entity_key = e.key))",
            {"kind": kind, "all": int(not mentioned_only)},
        ).fetchone()
        return int(row[0])

    def entity(self, ref: str | int) -> dict[str, Any]:
        """One entity by id or key; raises EntityNotFound."""
        sql = (
            "SELECT e.id, e.key, e.kind, e.name, e.origin, e.data,"
            " (SELECT count(*) FROM mentions m WHERE m.entity_key = e.key),"
            " (SELECT count(DISTINCT document_id) FROM mentions m WHERE m.entity_key = e.key),"
            " e.merged_into FROM entities e WHERE "
        )
        if isinstance(ref, int) or str(ref).isdigit():
            number = int(ref)
            if not 0 <= number < 2**63:  # no row has it, and SQLite cannot even be asked
                raise EntityNotFound(f"Entity {ref} not found")
            row = self.conn.execute(sql + "e.id = :ref", {"ref": number}).fetchone()
        else:
            row = self.conn.execute(sql + "e.key = :ref", {"ref": ref}).fetchone()
        if row is None:
            raise EntityNotFound(f"Entity {ref} not found")
        return _entity_dict(row)

    # -- corrections --------------------------------------------------------------------------

    def add_entity_correction(self, op: str, data: dict[str, Any], author: str | None) -> int:
        row = self.conn.execute(
            "INSERT INTO entity_corrections (op, data, author, created_at)"
            " VALUES (:op, :data, :author, :now) RETURNING id",
            {
                "op": op,
                "data": json.dumps(data, sort_keys=True, ensure_ascii=False),
                "author": author,
                "now": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        ).fetchone()
        return int(row[0])

    def entity_corrections(self) -> list[dict[str, Any]]:
        """Every correction, oldest first: ``{"id", "op", "author", "created_at", **data}``."""
        rows = self.conn.execute(
            "SELECT id, op, data, author, created_at FROM entity_corrections ORDER BY id"
        )
        return [
            {"id": r[0], "op": r[1], "author": r[3], "created_at": r[4], **json.loads(r[2])}
            for r in rows
        ]


def _entity_dict(r: tuple[Any, ...] | sqlite3.Row) -> dict[str, Any]:
    data = json.loads(r[5])
    return {
        "id": r[0],
        "key": r[1],
        "kind": r[2],
        "name": r[3],
        "origin": r[4],
        "variants": data.get("variants", []),
        "ids": data.get("ids", {}),
        "dates": data.get("dates", {}),
        "coordinates": data.get("coordinates"),
        "note": data.get("note"),
        "aliases": data.get("aliases", []),
        "merged_into": r[8],
        "mention_count": r[6],
        "document_count": r[7],
    }
