"""Errors raised by prinkipo.

    PrinkipoError                 anything refused, with a message a person can act on
    ├── UnparseableDate           a date string that cannot be read, or names a day that never was
    ├── UnreadableFile            a file that cannot be decoded or parsed (empty, binary, broken)
    ├── UnsupportedFormat         a format name or file type no reader handles
    ├── DocumentNotFound          no document with that id or path
    ├── EntityNotFound            no entity with that id or key
    └── StoreError                the archive is missing, newer than this code, or not one

The command line turns these into messages and exit code 2; the web layer into the JSON error shape.
"""

from __future__ import annotations


class PrinkipoError(Exception):
    """Base class: prinkipo could not do what was asked, and the message says why."""

    #: HTTP status the web layer answers with.
    status = 400


class UnparseableDate(PrinkipoError, ValueError):
    """A date string that cannot be read, or that names a day that does not exist."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"Cannot read date {text!r}: {reason}")


class UnreadableFile(PrinkipoError):
    """A file that cannot be turned into a record."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class UnsupportedFormat(PrinkipoError):
    """A format name or a file type that no reader handles."""


class DocumentNotFound(PrinkipoError):
    """No document has that id or path."""

    status = 404


class EntityNotFound(PrinkipoError):
    """No entity has that id or key."""

    status = 404


class StoreError(PrinkipoError):
    """The archive database cannot be used as it is."""
