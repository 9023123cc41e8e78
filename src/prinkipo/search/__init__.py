"""Search the archive: full text with facets and snippets, concordance, and meaning.

``parse_query`` (query.py) reads what a person types; ``build_query``/``search`` (fulltext.py)
rank documents with FTS5's BM25; ``kwic`` (kwic.py) lists every occurrence in context. The SQL
lives in :mod:`prinkipo.store.search`.
"""

from prinkipo.search.fulltext import FACET_NAMES, FILTER_NAMES, QueryPlan, build_query, search
from prinkipo.search.kwic import SORTS, kwic, kwic_csv, kwic_query
from prinkipo.search.query import ParsedQuery, QueryError, parse_query

__all__ = [
    "FACET_NAMES",
    "FILTER_NAMES",
    "SORTS",
    "ParsedQuery",
    "QueryError",
    "QueryPlan",
    "build_query",
    "kwic",
    "kwic_csv",
    "kwic_query",
    "parse_query",
    "search",
]
