"""Snippets and match marks made in Python, with the analyzer of the index that found them.

The tantivy index (:mod:`.tantivy_index`) says which paragraphs of a document match best; this
module marks the matches in their text and cuts a window around the densest stretch, the way
FTS5's ``snippet()`` does, without asking FTS5 (whose ``snippet()`` beside ``bm25()`` reads the
whole posting list of every query word again for every document: slow for common words). A word
matches when the analyzer (case and accents folded, English stem) turns it into the same term as
a query word; a prefix matches the terms that begin with it (as the index expands it); a phrase
matches its words side by side. Words under ``NOT`` are never marked.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from prinkipo.search.query import Term
from prinkipo.store.search import MARK_CLOSE, MARK_OPEN

#: words of context in a snippet (FTS5's snippet() was given the same)
SNIPPET_WORDS = 40
#: words shown before the first match of the chosen stretch
LEAD_WORDS = 6
_WORD = re.compile(r"[^\W_]+")

Analyze = Callable[[str], list[str]]


def fold(word: str) -> str:
    """Lower case, accents off (a prefix is compared with words folded so)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One query word or phrase: each word's term, the last maybe a folded prefix."""

    terms: tuple[str, ...]
    prefix: bool


class Highlighter:
    """Marks a query's words and phrases in text, as terms of ``analyze``."""

    def __init__(self, terms: list[Term], analyze: Analyze) -> None:
        self._analyze = analyze
        self._cache: dict[str, str] = {}
        patterns = []
        for t in terms:
            words = [w for word in t.words for w in _WORD.findall(word)]
            if not words:
                continue
            if t.prefix:  # as the index expands a prefix: terms beginning with the folded word
                head = tuple(self.term(w) for w in words[:-1])
                patterns.append(_Pattern((*head, fold(words[-1])), True))
            else:
                patterns.append(_Pattern(tuple(self.term(w) for w in words), False))
        self.patterns = [p for p in patterns if all(p.terms)]

    def term(self, word: str) -> str:
        """The index term of one word ('' when the analyzer drops it)."""
        got = self._cache.get(word)
        if got is None:
            got = "".join(self._analyze(word))
            self._cache[word] = got
        return got

    def matches(self, text: str) -> list[tuple[int, int, int, int, int]]:
        """(first word, last word + 1, start, end, pattern) of each match, in text order, not
        overlapping; words are counted as :data:`_WORD` finds them."""
        return self._scan(text)[1]

    def _scan(
        self, text: str
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int, int, int, int]]]:
        spans = [m.span() for m in _WORD.finditer(text)]
        terms = self._analyze(text)
        if len(terms) != len(spans):  # the analyzer split or dropped differently: word by word
            terms = [self.term(text[a:b]) for a, b in spans]
        found: list[tuple[int, int, int, int, int]] = []
        firsts = {p.terms[0] for p in self.patterns if not p.prefix or len(p.terms) > 1}
        prefixes = tuple(p.terms[0] for p in self.patterns if p.prefix and len(p.terms) == 1)
        n_words, taken = len(terms), 0
        if prefixes:
            starts = [i for i, t in enumerate(terms) if t in firsts or t.startswith(prefixes)]
        else:
            starts = [i for i, t in enumerate(terms) if t in firsts]
        for i in starts:
            if i < taken:  # inside the phrase matched just before
                continue
            for k, p in enumerate(self.patterns):
                n = len(p.terms)
                if i + n <= n_words and _match_at(terms, i, p):
                    found.append((i, i + n, spans[i][0], spans[i + n - 1][1], k))
                    taken = i + n
                    break
        return spans, found

    def mark(self, text: str) -> str:
        """The whole text with every match between MARK_OPEN and MARK_CLOSE."""
        return _marked(text, self.matches(text), 0, len(text))

    def snippet(self, text: str, words: int = SNIPPET_WORDS) -> str:
        """A stretch of ``words`` words around the densest run of matches (most different query
        words, then most matches), marked, with '…' where it was cut; the whole text when short."""
        spans, found = self._scan(text)
        if len(spans) <= words:
            return _marked(text, found, 0, len(text))
        best, best_key = 0, (-1, -1)
        ends = [f[1] for f in found]
        for k, f in enumerate(found):
            first = max(0, f[0] - LEAD_WORDS)
            last = bisect_right(ends, first + words)
            inside = found[k:last]
            key = (len({g[4] for g in inside}), len(inside))
            if key > best_key:
                best, best_key = first, key
        first = min(best, len(spans) - words)
        last = first + words - 1
        start = spans[first][0] if first else 0
        end = spans[last][1] if last < len(spans) - 1 else len(text)
        cut = "…" if start else ""
        return cut + _marked(text, found, start, end) + ("…" if end < len(text) else "")


def _match_at(terms: list[str], i: int, p: _Pattern) -> bool:
    last = len(p.terms) - 1
    for k, want in enumerate(p.terms):
        got = terms[i + k]
        if got != want and not (p.prefix and k == last and got.startswith(want)):
            return False
    return True


def _marked(text: str, found: list[tuple[int, int, int, int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for _, _, a, b, _ in found:
        if a < start or b > end:
            continue
        out += [text[pos:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        pos = b
    out.append(text[pos:end])
    return "".join(out)
