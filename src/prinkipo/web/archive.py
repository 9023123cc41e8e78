"""What every route module shares: the archive handle and query-parameter helpers."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from starlette.requests import Request

from prinkipo.errors import PrinkipoError
from prinkipo.store import Store, open_store

if TYPE_CHECKING:
    from prinkipo.web.cache import ResponseCache


class Archive:
    """One store connection per worker thread (SQLite connections are not shared)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()
        #: rendered responses for readers (set by create_app; None: no caching)
        self.cache: ResponseCache | None = None
        open_store(db).close()  # create or migrate once, up front

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.db)
        return store


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PrinkipoError(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not low <= value <= high:
        raise PrinkipoError(f"{name} must be between {low} and {high}, not {value}")
    return value
