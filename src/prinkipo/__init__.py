"""prinkipo: historical writings and letters as a structured, searchable, checkable archive."""

from prinkipo.dates import ParsedDate, parse_date
from prinkipo.errors import (
    DocumentNotFound,
    PrinkipoError,
    StoreError,
    UnparseableDate,
    UnreadableFile,
    UnsupportedFormat,
)
from prinkipo.ingestion import IngestReport, ingest
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store

__all__ = [
    "DocumentNotFound",
    "IngestReport",
    "ParsedDate",
    "PrinkipoError",
    "Store",
    "StoreError",
    "UnparseableDate",
    "UnreadableFile",
    "UnsupportedFormat",
    "document_object",
    "ingest",
    "open_store",
    "parse_date",
]
