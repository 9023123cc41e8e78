"""Exports: the archive written out in another format, one module per format.

Each exporter is a function ``(store, out, on_progress) -> int`` registered by format name in
:data:`EXPORTERS`: it writes ``out`` (a file, or a folder for ``site``), calls
``on_progress(done, total)`` as it goes when given one, streams rather than holding the archive in
memory, and returns how many documents it wrote. To add a format: write ``export/NAME.py`` with such
a function and add one line to :data:`EXPORTERS` below; ``prinkipo export NAME OUT`` then finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prinkipo.errors import UnsupportedFormat
from prinkipo.store import Store

#: ``on_progress(done, total)``
Progress = Callable[[int, int], None]
Exporter = Callable[[Store, Path, Progress | None], int]


def _cmif(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    from prinkipo.export.cmif import export_cmif

    return export_cmif(store, out, on_progress)


def _tei(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    from prinkipo.export.tei import export_tei

    return export_tei(store, out, on_progress)


def _csl_json(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    from prinkipo.export.citations import export_csl_json

    return export_csl_json(store, out, on_progress)


def _bibtex(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    from prinkipo.export.bibtex import export_bibtex

    return export_bibtex(store, out, on_progress)


def _site(store: Store, out: Path, on_progress: Progress | None = None) -> int:
    from prinkipo.export.site import export_site

    return export_site(store, out, on_progress)


#: format name → exporter (imports are deferred so one format's dependencies never load another's)
EXPORTERS: dict[str, Exporter] = {
    "bibtex": _bibtex,
    "cmif": _cmif,
    "csl-json": _csl_json,
    "site": _site,
    "tei": _tei,
}


def exporter(name: str) -> Exporter:
    """The exporter registered as ``name``; :class:`UnsupportedFormat` names the ones there are."""
    try:
        return EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(EXPORTERS))
        raise UnsupportedFormat(f"No exporter for {name!r}; known formats: {known}") from None
