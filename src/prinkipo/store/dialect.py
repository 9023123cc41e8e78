"""SQLite-flavoured SQL on PostgreSQL: the small dialect layer under :class:`PostgresStore`.

The store's areas (documents, entities, letters, findings, search …) write their SQL once, in the
portable subset SQLite and PostgreSQL share (``INSERT … ON CONFLICT … DO UPDATE … RETURNING``,
joins, subqueries, window functions, ``count``/``min``/``max``/``coalesce``) with SQLite's
``:name`` parameters. :class:`PgConnection` stands in for the ``sqlite3.Connection`` those methods
use (``self.conn.execute(sql, params).fetchone()``) and rewrites each statement once (cached):

=================================  ================================================
SQLite                             PostgreSQL
=================================  ================================================
``:name`` and ``?`` parameters     ``%(name)s`` and ``%s`` (literal ``%`` doubled)
``INSERT OR IGNORE INTO t …``      ``INSERT INTO t … ON CONFLICT DO NOTHING``
``a IS b`` / ``a IS NOT b``        ``IS NOT DISTINCT FROM`` / ``IS DISTINCT FROM``
``LIKE`` (ASCII case-insensitive)  ``ILIKE``
``ifnull(`` / ``instr(``           ``coalesce(`` / ``strpos(``
=================================  ================================================

Rows come back as :class:`Row`: a tuple that also answers ``row["name"]`` and ``keys()``, like
``sqlite3.Row``, so ``dict(row)`` and ``row == (1, "a")`` both work. Python ``bool`` values are
stored as 0/1 integers and ``numeric`` results (``sum`` of integers) come back as ``int``, as in
SQLite. What cannot be rewritten safely (``INSERT OR REPLACE``, FTS5 ``MATCH``, ``json_each``,
``json_group_array``, ``PRAGMA``) raises :class:`NotPortable`: the PostgreSQL store overrides
those methods with its own SQL (see ``store/postgres.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format

from prinkipo.errors import StoreError


class NotPortable(StoreError):
    """SQLite-only SQL reached the PostgreSQL store: that method needs a PostgreSQL version."""


# One token at a time: quoted strings and identifiers pass through untouched; the rest is code.
_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|[^'"-]+|-""")
_NOT_PORTABLE = re.compile(
    r"\b(?:INSERT\s+OR\s+(?:REPLACE|ABORT|FAIL|ROLLBACK)|REPLACE\s+INTO|PRAGMA|json_each|"
    r"json_group_array|json_group_object|GLOB)\b|\bMATCH\s*(?:[:?]|$)",
    re.IGNORECASE,
)
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![:\w]):([A-Za-z_]\w*)"), r"%(\1)s"),
    (re.compile(r"\?"), "%s"),
    (
        re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE),
        "IS DISTINCT FROM ",
    ),
    (
        re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE),
        "IS NOT DISTINCT FROM ",
    ),
    (re.compile(r"(?<!I)\bLIKE\b", re.IGNORECASE), "ILIKE"),
    (re.compile(r"\bifnull\s*\(", re.IGNORECASE), "coalesce("),
    (re.compile(r"\binstr\s*\(", re.IGNORECASE), "strpos("),
]
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """SQLite-flavoured SQL → the same statement for psycopg on PostgreSQL."""
    ignore = bool(_OR_IGNORE.match(sql))
    if ignore:
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1)
    out: list[str] = []
    for token in _TOKENS.findall(sql):
        if token[0] in "'\"" or token.startswith("--"):
            out.append(token.replace("%", "%%"))
            continue
        if _NOT_PORTABLE.search(token):
            raise NotPortable(
                f"SQLite-only SQL on PostgreSQL ({_NOT_PORTABLE.search(token)[0]!r}) in: "  # type: ignore[index]
                f"{' '.join(sql.split())[:200]}; give this method a PostgreSQL version in "
                "store/postgres.py"
            )
        token = token.replace("%", "%%")
        for pattern, repl in _REWRITES:
            token = pattern.sub(repl, token)
        out.append(token)
    result = "".join(out)
    if ignore:
        m = _RETURNING.search(result)
        cut = m.start() if m else len(result.rstrip().rstrip(";"))
        result = f"{result[:cut].rstrip()} ON CONFLICT DO NOTHING {result[cut:]}".rstrip()
    return result


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index = {n: i for i, n in enumerate(names)}
    return type("Row", (Row,), {"_names": names, "_index": index})


class Row(tuple[Any, ...]):
    """A result row: a tuple that also answers ``row["column"]`` and ``keys()``."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}  # noqa: RUF012 (set per result shape by _row_class)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                key = self._index[key]
            except KeyError:
                raise IndexError(f"No item with that key: {key!r}") from None
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    cls = _row_class(tuple(d.name for d in desc))
    return lambda values: cls(values)


class Cursor:
    """The part of ``sqlite3.Cursor`` the store uses."""

    def __init__(self, cur: psycopg.ClientCursor[Any]) -> None:
        self._cur = cur

    # sqlite3 answers None / [] for a statement without rows; psycopg raises. In a pipeline
    # (a transaction) the result arrives on the first fetch, so ask, don't look at description.
    def fetchone(self) -> Any:
        try:
            return self._cur.fetchone()
        except psycopg.ProgrammingError:
            return None

    def fetchall(self) -> list[Any]:
        try:
            return self._cur.fetchall()
        except psycopg.ProgrammingError:
            return []

    def fetchmany(self, size: int = 1) -> list[Any]:
        try:
            return self._cur.fetchmany(size)
        except psycopg.ProgrammingError:
            return []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """Stands in for the ``sqlite3.Connection`` of the store's methods, on a psycopg connection.

    Autocommit, as the SQLite store (``isolation_level=None``): ``Store.transaction()`` opens and
    closes transactions. ``raw`` is the psycopg connection, for PostgreSQL-only SQL.
    """

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw
        #: accepted for ``sqlite3`` compatibility; every row is already a :class:`Row`
        self.row_factory: Any = None

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> Cursor:
        cur = self.raw.cursor()
        cur.execute(translate(sql), _params(params))
        return Cursor(cur)  # type: ignore[arg-type]

    def executemany(self, sql: str, seq: Sequence[Mapping[str, Any] | Sequence[Any]]) -> Cursor:
        cur = self.raw.cursor()
        rows = [_params(p) for p in seq]
        copy = _as_copy(sql)
        if copy is not None and len(rows) > 1 and all(isinstance(r, Mapping) for r in rows):
            statement, names = copy
            with cur.copy(statement) as out:
                for row in rows:
                    out.write_row(tuple(row[n] for n in names))  # type: ignore[call-overload]
        elif rows:
            cur.executemany(translate(sql), rows)
        return Cursor(cur)  # type: ignore[arg-type]

    def close(self) -> None:
        self.raw.close()

    def __del__(self) -> None:
        # as sqlite3 does: a store dropped without close() closes its connection quietly (the
        # web app keeps one store per worker thread for the life of the process)
        raw = getattr(self, "raw", None)
        if raw is not None and not raw.closed:
            raw.close()


#: ``INSERT INTO t (a, b) VALUES (:a, :b)``: nothing but named parameters into listed columns
_PLAIN_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>\w+)\s*\((?P<columns>[\w\s,\"]+)\)\s*VALUES\s*"
    r"\((?P<values>\s*:\w+\s*(?:,\s*:\w+\s*)*)\)\s*;?\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=256)
def _as_copy(sql: str) -> tuple[str, tuple[str, ...]] | None:
    """``COPY t (a, b) FROM STDIN`` and the parameter names in column order, for a plain
    multi-row INSERT (no ``ON CONFLICT``, ``RETURNING``, expressions or ``OR IGNORE``); None
    otherwise. COPY gives the same rows, defaults, constraints and triggers as the INSERTs, at
    about a third of the client's and two thirds of the server's CPU per row (one statement
    instead of one per row)."""
    m = _PLAIN_INSERT.match(sql)
    if m is None:
        return None
    names = tuple(v.strip()[1:] for v in m["values"].split(","))
    columns = [c.strip() for c in m["columns"].split(",")]
    if len(names) != len(columns):
        return None
    return f"COPY {m['table']} ({', '.join(columns)}) FROM STDIN", names


def _params(params: Mapping[str, Any] | Sequence[Any]) -> Mapping[str, Any] | Sequence[Any]:
    if isinstance(params, Mapping):
        return params
    return list(params)


class _BoolAsInt(Dumper):
    """SQLite has no booleans: True is stored as 1, so the two backends hold the same values."""

    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericAsNumber(Loader):
    """``sum()`` of integers is ``numeric`` in PostgreSQL; give back int (or float), as SQLite."""

    format = Format.TEXT

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def connect(url: str) -> psycopg.Connection[Any]:
    """A psycopg connection set up for the dialect layer: autocommit, client-side binding."""
    conn = psycopg.connect(
        url, autocommit=True, cursor_factory=psycopg.ClientCursor, row_factory=_row_factory
    )
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _NumericAsNumber)
    return conn
