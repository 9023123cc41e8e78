"""The archive store. ``open_store(target)`` gives a :class:`Store`; nothing else writes SQL.

``target`` is a SQLite file path (the default: one file is the whole archive) or a
``postgresql://user@host:port/dbname`` URL (a server database for large collections and teams:
:mod:`prinkipo.store.postgres`). Everything above the store works the same on both.
"""

from __future__ import annotations

from pathlib import Path

from prinkipo.errors import StoreError
from prinkipo.store.sqlite import FileState, Store
from prinkipo.store.sqlite import open_store as open_sqlite


def is_postgres_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def backend_of(target: str | Path) -> str:
    """``"postgresql"`` for a PostgreSQL URL, else ``"sqlite"`` (nothing is opened)."""
    return "postgresql" if is_postgres_url(target) else "sqlite"


def open_store(target: str | Path, create: bool = True) -> Store:
    """Open (and create or migrate) the archive at ``target``: a SQLite path or a PostgreSQL URL."""
    if is_postgres_url(target):
        try:
            from prinkipo.store.postgres import open_postgres
        except ImportError as err:
            raise StoreError(
                f"a PostgreSQL archive needs psycopg: pip install 'prinkipo[postgresql]' ({err})"
            ) from err

        return open_postgres(str(target), create=create)
    return open_sqlite(target, create=create)


__all__ = ["FileState", "Store", "backend_of", "is_postgres_url", "open_store"]
