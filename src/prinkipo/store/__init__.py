"""The archive store. ``open_store(path)`` gives a :class:`Store`; nothing else writes SQL."""

from prinkipo.store.sqlite import FileState, Store, open_store

__all__ = ["FileState", "Store", "open_store"]
