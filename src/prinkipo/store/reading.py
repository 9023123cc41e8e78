"""Read-only figures the reading room shows: decades, authors, the timeline, original files."""

from __future__ import annotations

import sqlite3
from typing import Any

from prinkipo.errors import DocumentNotFound


class ReadingMixin:
    """Queries for the home page, the timeline and file downloads (mixed into ``Store``)."""

    conn: sqlite3.Connection

    def decade_counts(self) -> list[dict[str, Any]]:
        """Documents per decade of the middle of their date-of-writing range; undated last.

        "c. 1850" (1849–1851) counts in the 1850s, "1917/1918" in the 1910s. Portable SQL
        (SQLite and PostgreSQL): the middle is taken between the two years.
        """
        rows = self.conn.execute(
            "SELECT (CAST(substr(written_earliest, 1, 4) AS INTEGER)"
            " + CAST(substr(written_latest, 1, 4) AS INTEGER)) / 2 / 10 * 10 AS decade, count(*)"
            " FROM documents GROUP BY decade ORDER BY decade IS NULL, decade"
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
