"""Read-only figures the reading room shows: decades, authors, the timeline, original files."""

from __future__ import annotations

import sqlite3
from typing import Any

from prinkipo.errors import DocumentNotFound

_KIND_SLOTS = ("k0", "k1", "k2", "k3")

#: entity pairs named in the same documents, among the entities named in the most documents
_CO_MENTIONS = """
WITH picked AS (
    SELECT entity_key FROM mentions
    WHERE entity_key IS NOT NULL AND kind IN (:k0, :k1, :k2, :k3)
    GROUP BY entity_key ORDER BY count(DISTINCT document_id) DESC, entity_key LIMIT :top
),
dm AS (
    SELECT DISTINCT document_id, entity_key FROM mentions
    WHERE entity_key IN (SELECT entity_key FROM picked)
)
SELECT a.entity_key, b.entity_key, count(*) AS n
FROM dm a JOIN dm b ON a.document_id = b.document_id AND a.entity_key < b.entity_key
GROUP BY a.entity_key, b.entity_key
ORDER BY n DESC, a.entity_key, b.entity_key
LIMIT 400
"""


#: the entities named in the same documents as one entity (the focus), most documents first
_CO_MENTIONS_OF = """
SELECT CAST(:focus AS TEXT), m.entity_key, count(DISTINCT m.document_id) AS n
FROM mentions m
WHERE m.document_id IN (SELECT document_id FROM mentions WHERE entity_key = CAST(:focus AS TEXT))
  AND m.entity_key IS NOT NULL AND m.entity_key <> CAST(:focus AS TEXT)
  AND m.kind IN (:k0, :k1, :k2, :k3)
GROUP BY m.entity_key
ORDER BY n DESC, m.entity_key
LIMIT :top
"""


class ReadingMixin:
    """Queries for the home page, the timeline and file downloads (mixed into ``Store``)."""

    conn: sqlite3.Connection

    def decade_counts(self) -> list[dict[str, Any]]:
        """Documents per decade of the middle of their date-of-writing range; undated last.

        "c. 1850" (1849–1851) counts in the 1850s, "1917/1918" in the 1910s. Portable SQL
        (SQLite and PostgreSQL): the middle is taken between the two years.
        """
        rows = self.conn.execute(
            "SELECT decade, count(*) FROM (SELECT (CAST(substr(written_earliest, 1, 4) AS INTEGER)"
            " + CAST(substr(written_latest, 1, 4) AS INTEGER)) / 2 / 10 * 10 AS decade"
            " FROM documents) t GROUP BY decade ORDER BY decade IS NULL, decade"
        )
        return [{"decade": r[0], "count": int(r[1])} for r in rows]

    def author_counts(self, limit: int = 20) -> list[dict[str, Any]]:
        """The authors with most documents: name, entity id (when linked), count."""
        rows = self.conn.execute(
            "SELECT a.name, e.id, count(DISTINCT a.document_id) AS n FROM document_authors a"
            " LEFT JOIN entities e ON e.key = a.entity_key GROUP BY a.name, e.id"
            " ORDER BY n DESC, a.name LIMIT :limit",
            {"limit": limit},
        )
        return [{"name": r[0], "entity_id": r[1], "count": int(r[2])} for r in rows]

    def dated_documents(self) -> list[dict[str, Any]]:
        """Every document with a readable date of writing, its bounds and how sure it is."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.genre, dd.text, dd.edtf, dd.earliest, dd.latest,"
            " dd.precision, dd.approximate, dd.uncertain"
            " FROM documents d JOIN document_dates dd"
            " ON dd.document_id = d.id AND dd.role = 'written'"
            " WHERE dd.earliest IS NOT NULL AND dd.latest IS NOT NULL ORDER BY dd.earliest, d.id"
        )
        authors: dict[int, list[str]] = {}
        for doc_id, name in self.conn.execute(
            "SELECT document_id, name FROM document_authors ORDER BY document_id, n"
        ):
            authors.setdefault(doc_id, []).append(name)
        return [
            {
                "document_id": r[0],
                "title": r[1],
                "genre": r[2],
                "date": {
                    "text": r[3],
                    "edtf": r[4],
                    "earliest": r[5],
                    "latest": r[6],
                    "precision": r[7],
                    "approximate": bool(r[8]),
                    "uncertain": bool(r[9]),
                },
                "authors": authors.get(r[0], []),
            }
            for r in rows
        ]

    def original_file(self, doc_id: int) -> dict[str, Any]:
        """The bytes a document was read from, with their path, format and encoding."""
        row = self.conn.execute(
            "SELECT f.path, f.format, f.encoding, f.sha256, b.content FROM documents d"
            " JOIN files f ON f.id = d.file_id JOIN blobs b ON b.sha256 = f.sha256"
            " WHERE d.id = :id",
            {"id": doc_id},
        ).fetchone()
        if row is None:
            raise DocumentNotFound(f"Document {doc_id} not found")
        return {
            "path": row[0],
            "format": row[1],
            "encoding": row[2],
            "sha256": row[3],
            "content": bytes(row[4]),
        }

    # -- network, map and entity pages (portable SQL: SQLite and PostgreSQL) -----------------

    def co_mentions(
        self, kinds: list[str], top: int = 60, focus: str | None = None
    ) -> list[dict[str, Any]]:
        """Pairs of entities mentioned in the same documents, with how many documents.

        Among the ``top`` entities of these kinds by documents (bounded work on any archive); with
        ``focus`` (an entity key), the ``top`` entities named with it instead.
        """
        if len(kinds) > len(_KIND_SLOTS):
            raise ValueError(f"at most {len(_KIND_SLOTS)} kinds")
        params: dict[str, Any] = {"top": top, "focus": focus}
        params.update({slot: None for slot in _KIND_SLOTS})
        params.update(dict(zip(_KIND_SLOTS, kinds, strict=False)))
        rows = self.conn.execute(_CO_MENTIONS if focus is None else _CO_MENTIONS_OF, params)
        return [{"source": r[0], "target": r[1], "documents": int(r[2])} for r in rows]

    def correspondence(self) -> list[dict[str, Any]]:
        """Sender → recipient pairs over all letters, by entity key or else the name written."""
        return [
            {
                "source_key": a_key,
                "source_name": a_name,
                "target_key": b_key,
                "target_name": b_name,
                "letters": n,
            }
            for a_key, a_name, b_key, b_name, n in self._party_pairs("sender", "recipient")
        ]

    def letter_arcs(self) -> list[dict[str, Any]]:
        """Place of sending → place of receipt, counted over letters that name both."""
        return [
            {"from_key": a_key, "from": a_name, "to_key": b_key, "to": b_name, "letters": n}
            for a_key, a_name, b_key, b_name, n in self._party_pairs("sent_place", "received_place")
        ]

    def _party_pairs(self, first: str, second: str) -> list[tuple[Any, Any, Any, Any, int]]:
        """(key, name) of a letter's ``first`` party → (key, name) of its ``second``, with how
        many letters name both; most letters first, at most 2000 pairs."""
        rows = self.conn.execute(
            "SELECT s.entity_key, s.name, r.entity_key, r.name, count(DISTINCT s.letter_id)"
            " FROM letter_parties s JOIN letter_parties r"
            " ON r.letter_id = s.letter_id AND r.role = :second"
            " WHERE s.role = :first"
            " GROUP BY s.entity_key, s.name, r.entity_key, r.name"
            " ORDER BY count(DISTINCT s.letter_id) DESC, s.name, r.name LIMIT 2000",
            {"first": first, "second": second},
        )
        return [(r[0], r[1], r[2], r[3], int(r[4])) for r in rows]

    def place_rows(self) -> list[dict[str, Any]]:
        """Every place entity with its data, documents naming it and letters sent or received."""
        rows = self.conn.execute(
            "SELECT e.id, e.key, e.name, e.data,"
            " (SELECT count(DISTINCT m.document_id) FROM mentions m WHERE m.entity_key = e.key),"
            " (SELECT count(DISTINCT p.letter_id) FROM letter_parties p"
            "  WHERE p.entity_key = e.key AND p.role = 'sent_place'),"
            " (SELECT count(DISTINCT p.letter_id) FROM letter_parties p"
            "  WHERE p.entity_key = e.key AND p.role = 'received_place')"
            " FROM entities e WHERE e.kind = 'place' AND e.merged_into IS NULL ORDER BY e.name"
        )
        return [
            {
                "id": r[0],
                "key": r[1],
                "name": r[2],
                "data": r[3],
                "documents": int(r[4]),
                "sent": int(r[5]),
                "received": int(r[6]),
            }
            for r in rows
        ]

    def entity_letters(self, key: str, limit: int = 200) -> list[int]:
        """Ids of the letters an entity sent, received, carried, or was the place of."""
        rows = self.conn.execute(
            "SELECT DISTINCT letter_id FROM letter_parties WHERE entity_key = :key"
            " ORDER BY letter_id LIMIT :limit",
            {"key": key, "limit": limit},
        )
        return [int(r[0]) for r in rows]

    def entity_refs(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """Id, name and kind of the entities with these keys."""
        if not keys:
            return {}
        marks = ",".join(f":k{i}" for i in range(len(keys)))
        rows = self.conn.execute(
            f"SELECT key, id, name, kind FROM entities WHERE key IN ({marks})",  # noqa: S608
            {f"k{i}": k for i, k in enumerate(keys)},
        )
        return {r[0]: {"id": r[1], "name": r[2], "kind": r[3]} for r in rows}

    def entity_letter_rows(self, key: str, limit: int = 200) -> list[dict[str, Any]]:
        """Letters an entity takes part in (as sender, recipient, place or carrier), with the
        senders and recipients of each and its date of sending; oldest first."""
        letters = self.conn.execute(
            "SELECT l.id, l.document_id, d.title, l.role, l.sent_earliest, l.sent_latest,"
            " min(p.role) FROM letters l JOIN documents d ON d.id = l.document_id"
            " JOIN letter_parties p ON p.letter_id = l.id AND p.entity_key = :key"
            " GROUP BY l.id, l.document_id, d.title, l.role, l.sent_earliest, l.sent_latest"
            " ORDER BY l.sent_earliest, l.id LIMIT :limit",
            {"key": key, "limit": limit},
        ).fetchall()
        if not letters:
            return []
        ids = [int(r[0]) for r in letters]
        marks = ",".join(f":i{n}" for n in range(len(ids)))
        parties: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for lid, role, name, ekey in self.conn.execute(
            "SELECT letter_id, role, name, entity_key FROM letter_parties WHERE letter_id IN"  # noqa: S608
            f" ({marks}) ORDER BY letter_id, role, n",
            {f"i{n}": i for n, i in enumerate(ids)},
        ):
            parties.setdefault(lid, {}).setdefault(role, []).append({"name": name, "key": ekey})
        return [
            {
                "id": r[0],
                "document_id": r[1],
                "title": r[2],
                "letter_role": r[3],
                "earliest": r[4],
                "latest": r[5],
                "as": r[6],
                "parties": parties.get(int(r[0]), {}),
            }
            for r in letters
        ]

    def dated_letters(self) -> list[dict[str, Any]]:
        """Letters a document lists or mentions (not the letters documents are) with a closed
        date of sending, earliest first."""
        rows = self.conn.execute(
            "SELECT l.id, l.document_id, d.title, l.role, l.sent_earliest, l.sent_latest,"
            " t.as_written, t.edtf FROM letters l JOIN documents d ON d.id = l.document_id"
            " LEFT JOIN letter_dates t ON t.letter_id = l.id AND t.action = 'sent'"
            " WHERE l.role <> 'self' AND l.sent_earliest IS NOT NULL"
            " AND l.sent_latest IS NOT NULL ORDER BY l.sent_earliest, l.id"
        )
        return [
            {
                "letter_id": r[0],
                "document_id": r[1],
                "title": r[2],
                "role": r[3],
                "date": {"text": r[6] or "", "edtf": r[7], "earliest": r[4], "latest": r[5]},
            }
            for r in rows
        ]

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version``: changes when another connection commits (None on
        a backend without it). The reading room's cache uses it to notice outside writes."""
        if getattr(self, "backend", "sqlite") != "sqlite":
            return None
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
