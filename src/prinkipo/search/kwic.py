"""Keyword in context: every occurrence of a word or phrase, with the text either side.

The occurrences are the full-text index's own (FTS5 ``highlight()``), so a concordance finds
exactly what a search finds: ``revolution`` also lists "revolutions", ``"permanent revolution"``
only the phrase, and accents and case are folded the same way.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from prinkipo.search.query import QueryError, parse_query
from prinkipo.store import Store
from prinkipo.store.search import MARK_CLOSE, MARK_OPEN, Statement, kwic_statement, script

SORTS = ("document", "left", "right", "match")
#: most paragraphs read for one concordance
MAX_PARAGRAPHS = 50_000
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
#: whitespace that collapsing would change (a paragraph with none is cut as it is)
_RUNS = ("  ", "\n", "\t", "\r", "\xa0", "\u2009", "\u202f", "\x0b", "\x0c")
_MARK = re.compile(f"{MARK_OPEN}(.*?){MARK_CLOSE}", re.S)


def kwic_query(text: str, limit: int = MAX_PARAGRAPHS) -> Statement:
    """The statement a concordance runs on SQLite (nothing runs)."""
    return kwic_statement(parse_query(text).fts, limit)


def kwic_sql(text: str, backend: str = "sqlite", limit: int = MAX_PARAGRAPHS) -> str:
    """The SQL a concordance runs on an archive of ``backend``, as a script (nothing runs)."""
    return script([kwic_query(text, limit)], backend)


def kwic(
    store: Store,
    text: str,
    width: int = 40,
    sort: str = "document",
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Concordance lines ``{"document_id", "title", "paragraph", "left", "match", "right"}``.

    :param width: characters of context each side (whitespace runs count as one space)
    :param sort: ``document`` (archive order), ``left`` (by the words just before, nearest
        first), ``right`` (by the words just after) or ``match`` (by the matched text)
    :param limit: at most this many lines (after sorting)
    """
    if not 1 <= width <= 500:
        raise QueryError(f"width must be between 1 and 500 characters, not {width}")
    if sort not in SORTS:
        raise QueryError(f"Unknown sort {sort!r}; sorts: {', '.join(SORTS)}")
    query = parse_query(text)
    lines: list[dict[str, Any]] = []
    # in archive order the first ``limit`` lines lie in at most ``limit`` paragraphs
    most = min(MAX_PARAGRAPHS, limit) if sort == "document" and limit else MAX_PARAGRAPHS
    for doc_id, n, marked, title in store.kwic_rows(query.fts, most):
        lines.extend(_lines(doc_id, n, title, marked, width))
    if sort != "document":
        lines.sort(key=_SORT_KEYS[sort])
    return lines[:limit] if limit is not None else lines


def _lines(doc_id: int, n: int, title: str | None, marked: str, width: int) -> list[dict[str, Any]]:
    # where each match lies in the unmarked text: each earlier mark pair shifted it by two
    plain = marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    # collapse whitespace only where there is some to collapse (fast: most paragraphs have none)
    spaced = any(w in plain for w in _RUNS)
    out = []
    for k, m in enumerate(_MARK.finditer(marked)):
        a = m.start() - 2 * k
        b = a + len(m.group(1))
        if spaced:
            left, match, right = (
                _left(plain, a, width),
                _SPACE.sub(" ", plain[a:b]),
                _right(plain, b, width),
            )
        else:
            left, match, right = plain[max(0, a - width) : a], plain[a:b], plain[b : b + width]
        out.append(
            {
                "document_id": doc_id,
                "title": title,
                "paragraph": n,
                "left": left,
                "match": match,
                "right": right,
            }
        )
    return out


def _left(text: str, end: int, width: int) -> str:
    """``width`` characters before ``end``, whitespace runs read as one space."""
    take = 2 * width
    while True:
        start = max(0, end - take)
        piece = _SPACE.sub(" ", text[start:end])
        if len(piece) >= width or start == 0:
            return piece[-width:] if width < len(piece) else piece
        take *= 4


def _right(text: str, start: int, width: int) -> str:
    take = 2 * width
    while True:
        end = min(len(text), start + take)
        piece = _SPACE.sub(" ", text[start:end])
        if len(piece) >= width or end == len(text):
            return piece[:width]
        take *= 4


def _left_key(line: dict[str, Any]) -> tuple[list[str], str]:
    return (_WORD.findall(line["left"].casefold())[::-1], line["match"].casefold())


def _right_key(line: dict[str, Any]) -> tuple[list[str], str]:
    return (_WORD.findall(line["right"].casefold()), line["match"].casefold())


def _match_key(line: dict[str, Any]) -> tuple[str, int, int]:
    return (line["match"].casefold(), line["document_id"], line["paragraph"])


_SORT_KEYS = {"left": _left_key, "right": _right_key, "match": _match_key}

CSV_COLUMNS = ("document_id", "title", "paragraph", "left", "match", "right")


def kwic_csv(lines: list[dict[str, Any]]) -> str:
    """Concordance lines as CSV (a header row, then one row a line)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    return buf.getvalue()
