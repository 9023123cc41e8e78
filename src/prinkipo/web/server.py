"""How ``prinkipo serve`` runs the reading room: uvicorn, tuned for a small machine.

uvloop's event loop and httptools' HTTP parser (each about half the per-request cost of the
pure-Python ones), no access log (a line per request is a fifth of a cached hit's cost), and
``workers`` processes when asked: each worker opens the archive itself, has its own response
cache, and notices the others' writes through SQLite's ``data_version``.
"""

from __future__ import annotations

import importlib.util
import os

import uvicorn
from starlette.applications import Starlette

from prinkipo.web.app import create_app

#: where a worker process finds the archive it serves (uvicorn starts workers from an import path)
DB_VARIABLE = "PRINKIPO_SERVE_DB"


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def server_options() -> dict[str, object]:
    """uvicorn's settings: the fast loop and parser when installed, quiet logs."""
    return {
        "loop": "uvloop" if _has("uvloop") else "asyncio",
        "http": "httptools" if _has("httptools") else "h11",
        "access_log": False,
        "log_level": "warning",
    }


def app_from_environment() -> Starlette:
    """The app a worker process serves (``PRINKIPO_SERVE_DB`` names the archive)."""
    return create_app(os.environ[DB_VARIABLE])


def serve(db: str, host: str, port: int, workers: int = 1) -> None:
    """Serve the archive at ``db`` on ``host:port`` until interrupted."""
    if workers <= 1:
        uvicorn.run(create_app(db), host=host, port=port, **server_options())  # type: ignore[arg-type]
        return
    create_app(db)  # create or migrate the archive once, before the workers open it
    os.environ[DB_VARIABLE] = db
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **server_options(),  # type: ignore[arg-type]
    )
