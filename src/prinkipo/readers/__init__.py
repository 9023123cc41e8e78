"""Readers: one module per input format, each turning a file's bytes into a :class:`Record`.

To add a format: write ``readers/NAME.py`` with ``read(path: str, data: bytes) -> Record``
and ``sniff(path: str, data: bytes) -> bool``, then add it to :data:`READERS` below.
``detect`` asks each reader's ``sniff`` in order; ``--format`` skips detection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prinkipo.errors import UnsupportedFormat
from prinkipo.model import Record
from prinkipo.readers import cmif, html, tei, text


@dataclass(frozen=True)
class Reader:
    name: str
    read: Callable[[str, bytes], Record]
    sniff: Callable[[str, bytes], bool]


READERS: dict[str, Reader] = {
    "html": Reader("html", html.read, html.sniff),
    "tei": Reader("tei", tei.read, tei.sniff),
    "text": Reader("text", text.read, text.sniff),
    "cmif": Reader("cmif", cmif.read, cmif.sniff),
}


def detect(path: str, data: bytes) -> str:
    """The name of the reader for this file; raises UnsupportedFormat when none claims it."""
    for reader in READERS.values():
        if reader.sniff(path, data):
            return reader.name
    raise UnsupportedFormat(
        f"{path}: no reader for this kind of file (known: {', '.join(READERS)})"
    )


def read(path: str, data: bytes, fmt: str | None = None) -> Record:
    """Read a file with the named reader, or the one :func:`detect` picks."""
    name = fmt or detect(path, data)
    if name not in READERS:
        raise UnsupportedFormat(f"unknown format {name!r}; choose one of: {', '.join(READERS)}")
    return READERS[name].read(path, data)
