"""Copy a whole archive between stores: SQLite ↔ PostgreSQL, or either to another of its kind.

Every row of every table of the schema is copied with its ids, in foreign-key order, inside one
transaction on the destination: a copy that fails leaves the destination as empty as it was.
Search indexes are not copied but rebuilt by the destination (FTS5 rebuilt from the copied rows
on SQLite, generated ``tsvector`` columns on PostgreSQL). Both archives are at the latest schema
(``open_store`` migrates them), so the table list is the SQLite schema of this prinkipo.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prinkipo.errors import StoreError
from prinkipo.store.sqlite import Store
from prinkipo.store.sqlite import open_store as open_sqlite

#: rows read and written per batch
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    #: the primary key columns, for a stable order
    key: tuple[str, ...]


#: tables of derived state that the destination writes itself (its triggers fill the log of
#: changed documents while the documents are copied): not copied
DERIVED_TABLES = {"index_changes"}


def schema_tables() -> list[Table]:
    """The archive's tables (not FTS5's), parents before children, from a fresh SQLite schema."""
    with open_sqlite(":memory:") as s:
        conn = s.conn
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
            )
        ]
        shadows = _fts_shadow_tables(conn)
        names = [n for n in names if n not in shadows and n not in DERIVED_TABLES]
        parents = {
            n: {
                r[0]
                for r in conn.execute('SELECT "table" FROM pragma_foreign_key_list(:t)', {"t": n})
            }
            - {n}
            for n in names
        }
        tables = {}
        for n in names:
            info = conn.execute("SELECT name, pk FROM pragma_table_info(:t)", {"t": n}).fetchall()
            key = tuple(c for c, pk in sorted((r for r in info if r[1]), key=lambda r: r[1]))
            columns = tuple(r[0] for r in info)
            tables[n] = Table(n, columns, key or columns)
    ordered: list[Table] = []
    done: set[str] = set()
    while len(ordered) < len(tables):
        ready = [n for n in names if n not in done and parents[n] <= done]
        if not ready:
            raise StoreError(f"foreign keys form a cycle among {sorted(set(names) - done)}")
        for n in ready:
            ordered.append(tables[n])
            done.add(n)
    return ordered


def _fts_shadow_tables(conn: sqlite3.Connection) -> set[str]:
    virtual = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    suffixes = ("_data", "_idx", "_content", "_docsize", "_config", "_rowids", "_info")
    return {v + s for v in virtual for s in suffixes} | set(virtual)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(src: Store, table: Table) -> Iterator[list[tuple[object, ...]]]:
    cols = ", ".join(_quote(c) for c in table.columns)
    order = ", ".join(_quote(c) for c in table.key)
    cur = src.conn.execute(f"SELECT {cols} FROM {_quote(table.name)} ORDER BY {order}")  # noqa: S608
    while batch := cur.fetchmany(BATCH):
        yield [tuple(r) for r in batch]


def copy_archive(
    src: Store, dst: Store, on_table: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of ``src`` into the empty archive ``dst``; returns rows copied per table."""
    if src.schema_version != dst.schema_version:
        raise StoreError(
            f"{src.path} is at schema {src.schema_version}, {dst.path} at {dst.schema_version}"
        )
    tables = schema_tables()
    occupied = [t.name for t in tables if _count(dst, t.name)]
    if occupied:
        raise StoreError(
            f"{dst.path} is not empty (it has rows in {', '.join(occupied)}): copy into a new "
            "archive, so that nothing there is overwritten or mixed"
        )
    copied: dict[str, int] = {}
    with dst.transaction():
        _defer_foreign_keys(dst)
        for table in tables:
            n = 0
            for batch in _rows(src, table):
                _insert(dst, table, batch)
                n += len(batch)
            copied[table.name] = n
            if on_table:
                on_table(table.name, n)
        if dst.backend == "postgresql":
            _advance_identities(dst)
        dst.rebuild_fulltext()
    return copied


def _defer_foreign_keys(dst: Store) -> None:
    """Check foreign keys at commit, so rows that point at later rows of their table copy too."""
    if dst.backend == "postgresql":
        dst.conn.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        dst.conn.execute("PRAGMA defer_foreign_keys = ON")


def _insert(dst: Store, table: Table, rows: list[tuple[object, ...]]) -> None:
    cols = ", ".join(_quote(c) for c in table.columns)
    if dst.backend == "postgresql":
        from prinkipo.store.postgres import PostgresStore

        assert isinstance(dst, PostgresStore)
        with dst.pg.raw.cursor().copy(f"COPY {_quote(table.name)} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    names = ", ".join(f":c{i}" for i in range(len(table.columns)))
    dst.conn.executemany(
        f"INSERT INTO {_quote(table.name)} ({cols}) VALUES ({names})",  # noqa: S608
        [{f"c{i}": v for i, v in enumerate(row)} for row in rows],
    )


def _advance_identities(dst: Store) -> None:
    """Set each identity sequence past the highest id copied, so new rows get new ids."""
    identities = dst.conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in identities:
        dst.conn.execute(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), coalesce(max({_quote(column)}), 0) + 1,"  # noqa: S608
            f" false) FROM {_quote(table)}",
            {"t": _quote(table), "c": column},
        )


def _count(store: Store, table: str) -> int:
    row = store.conn.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()  # noqa: S608
    return int(row[0])
