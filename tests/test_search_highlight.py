"""Snippets marked in Python with the tantivy index's analyzer (prinkipo.search.highlight)."""

from __future__ import annotations

import pytest

from prinkipo.search import parse_query
from prinkipo.search.highlight import Highlighter
from prinkipo.store.search import MARK_CLOSE, MARK_OPEN

tantivy_index = pytest.importorskip("prinkipo.search.tantivy_index")
pytest.importorskip("tantivy")


def marked(query: str, text: str, words: int | None = None) -> str:
    h = Highlighter(parse_query(query).terms, tantivy_index._analyzer().analyze)
    out = h.mark(text) if words is None else h.snippet(text, words)
    return out.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        (
            "revolutions",
            "The Revolution and its revolutionaries.",
            "The [Revolution] and its revolutionaries.",
        ),
        (
            "revol*",
            "The Revolution, revolutionaries, revolt.",
            "The [Revolution], [revolutionaries], [revolt].",
        ),
        ("königsberg", "In KONIGSBERG and Königsberg.", "In [KONIGSBERG] and [Königsberg]."),
        (
            '"dictatorship of the proletariat"',
            "The dictatorship of the proletariat, not the proletariat's dictatorship.",
            "The [dictatorship of the proletariat], not the proletariat's dictatorship.",
        ),
        ("stalin -bukharin", "Stalin and Bukharin.", "[Stalin] and Bukharin."),
        ("NEAR(kamenev zinoviev, 5)", "Kamenev and Zinoviev", "[Kamenev] and [Zinoviev]"),
        ("'; DROP TABLE x", "drop the table", "[drop] the [table]"),
    ],
)
def test_marks_what_the_index_matches(query: str, text: str, expected: str) -> None:
    assert marked(query, text) == expected


def test_a_snippet_is_cut_around_the_densest_matches() -> None:
    text = " ".join(["filler"] * 100 + ["Trotsky", "met", "Blumkin"] + ["filler"] * 100)
    snip = marked("trotsky blumkin", text, words=12)
    assert snip.startswith("…") and snip.endswith("…")
    assert "[Trotsky] met [Blumkin]" in snip
    assert len(snip.split()) <= 12 + 1
    assert marked("trotsky", "Trotsky wrote.", words=12) == "[Trotsky] wrote."
