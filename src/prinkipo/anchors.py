"""Stable paragraph anchors: a citation to a paragraph that survives re-ingest.

A paragraph's number changes when a transcriber adds or splits a paragraph above it; its text
rarely does. So the anchor is taken from the text: ``p-`` and ten hex digits of the SHA-256 of the
paragraph with its whitespace collapsed and case folded (a re-typed line break or a changed capital
keeps the anchor). Two identical paragraphs in one document get ``-2``, ``-3`` … in reading order.
Pages also keep ``#p3``-style number anchors; :func:`resolve_anchor` accepts both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

_NUMBERED = re.compile(r"p(\d+)")


def paragraph_anchor(text: str) -> str:
    """The content anchor of one paragraph's text (without the duplicate suffix)."""
    norm = " ".join(text.split()).casefold()  # the same as collapsing r"\s+" and stripping
    return "p-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:10]


def paragraph_anchors(texts: Iterable[str]) -> list[str]:
    """The anchors of a document's paragraphs, in order, unique within the document."""
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        base = paragraph_anchor(text)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def resolve_anchor(texts: Sequence[str], anchor: str) -> int | None:
    """The paragraph number (1-based) an anchor points at now, or None if no paragraph has it.

    ``anchor`` is a content anchor (``p-1a2b3c4d5e``) or a number anchor (``p3``).
    """
    numbered = _NUMBERED.fullmatch(anchor)
    if numbered:
        n = int(numbered.group(1))
        return n if 1 <= n <= len(texts) else None
    for n, a in enumerate(paragraph_anchors(texts), start=1):
        if a == anchor:
            return n
    return None
