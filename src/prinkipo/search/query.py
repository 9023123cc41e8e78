"""What a person types into the search box, turned into a safe SQLite FTS5 expression.

The syntax is the one search boxes teach::

    revolution               a word (stemmed: also revolutions, revolutionary …)
    "permanent revolution"   a phrase, words side by side
    revol*                   a prefix ("…"* for a phrase prefix)
    trotsky OR bronstein     either; AND is implied between words, and may be written
    stalin -bukharin         the first without the second (also: stalin NOT bukharin)
    (a OR b) c               grouping
    NEAR(kamenev zinoviev, 5)  words within five words of each other (also: kamenev NEAR zinoviev)

Operators are upper case; lower-case ``and``/``or``/``not``/``near`` are words. Nothing a person
types reaches FTS5 as syntax: every word and phrase is re-written as a quoted FTS5 string, so a
stray ``:``, ``^``, ``*`` or SQL fragment is only text. Mistakes are mended, not refused (an
unclosed quote or bracket is closed, an operator with nothing to work on is dropped) and each
mend is reported in :attr:`ParsedQuery.notes`. Only a query with nothing to look for, or one
too long to be a search, raises :class:`QueryError`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from prinkipo.errors import PrinkipoError

#: longest query accepted, in characters
MAX_QUERY_CHARS = 2000
#: most words and phrases one query may hold
MAX_TERMS = 64
#: words apart for NEAR when no distance is given (FTS5's own default)
NEAR_DEFAULT = 10
NEAR_MAX = 1000
#: deepest bracket nesting kept
MAX_DEPTH = 16

OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class QueryError(PrinkipoError):
    """A search query that cannot be searched for; the message says why and what to do."""


# -- the syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase (``words`` side by side), optionally a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        text = " ".join(self.words).replace('"', '""')
        return f'"{text}"' + ("*" if self.prefix else "")

    def display(self) -> str:
        text = " ".join(self.words)
        quoted = f'"{text}"' if len(self.words) > 1 else text
        return quoted + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Near:
    terms: tuple[Term, ...]
    distance: int = NEAR_DEFAULT

    def fts(self) -> str:
        return f"NEAR({' '.join(t.fts() for t in self.terms)}, {self.distance})"


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]
    #: what must not be there (FTS5's NOT is binary: ``(items) NOT (a) NOT (b)``)
    exclude: tuple[Node, ...] = ()

    def fts(self) -> str:
        inner = " AND ".join(_group(i) for i in self.items)
        if len(self.items) > 1 and self.exclude:
            inner = f"({inner})"
        return inner + "".join(f" NOT {_group(x)}" for x in self.exclude)


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]

    def fts(self) -> str:
        return " OR ".join(_group(i) for i in self.items)


Node = Term | Near | And | Or


def _group(node: Node) -> str:
    if isinstance(node, Term | Near):
        return node.fts()
    if isinstance(node, And) and len(node.items) == 1 and not node.exclude:
        return _group(node.items[0])
    return f"({node.fts()})"


def _terms(node: Node) -> list[Term]:
    """The positive words and phrases of a query (what a highlighter should mark)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Near):
        return list(node.terms)
    out: list[Term] = []
    for item in node.items:
        out.extend(_terms(item))
    return out


def _count(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Near):
        return len(node.terms)
    extra = sum(_count(x) for x in node.exclude) if isinstance(node, And) else 0
    return sum(_count(i) for i in node.items) + extra


# -- the result -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query as typed, the FTS5 expression it became, and what was mended on the way."""

    text: str
    tree: Node
    notes: tuple[str, ...] = ()

    @property
    def fts(self) -> str:
        """The FTS5 MATCH expression: pass it as a bound parameter, never spliced into SQL."""
        return self.tree.fts()

    @property
    def terms(self) -> list[Term]:
        return _terms(self.tree)

    @property
    def plain(self) -> str:
        """The positive words, space-separated: the text a meaning-based search embeds."""
        return " ".join(" ".join(t.words) for t in self.terms)


# -- lexing -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    kind: str  # WORD PHRASE OP LPAREN RPAREN COMMA MINUS
    value: str = ""
    prefix: bool = False


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEAR_SLASH = re.compile(r"NEAR/(\d+)")


def normalise(text: str) -> str:
    """NFC, control and format characters and lone surrogates made spaces."""
    text = _SURROGATE.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub(" ", text)


def _has_token(text: str) -> bool:
    """Whether the full-text tokenizer will find anything to index in ``text``."""
    return any(ch.isalnum() for ch in text)


def _lex(text: str, notes: list[str]) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                notes.append("closed an unbalanced quote at the end of the query")
                end = n
            phrase = text[i + 1 : end]
            i = end + 1
            prefix = i < n and text[i] == "*"
            if prefix:
                i += 1
            toks.append(_Tok("PHRASE", phrase, prefix))
        elif ch in "()":
            toks.append(_Tok("LPAREN" if ch == "(" else "RPAREN"))
            i += 1
        elif ch == ",":
            toks.append(_Tok("COMMA"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '"(),':
                j += 1
            toks.extend(_word(text[i:j]))
            i = j
    return toks


def _word(raw: str) -> list[_Tok]:
    if raw in OPERATORS or _NEAR_SLASH.fullmatch(raw):
        return [_Tok("OP", raw)]
    out: list[_Tok] = []
    if raw.startswith("-") and len(raw) > 1:
        out.append(_Tok("MINUS"))
        raw = raw.lstrip("-")
    prefix = raw.endswith("*")
    raw = raw.rstrip("*")
    out.append(_Tok("WORD", raw, prefix))
    return out


# -- parsing ----------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the tokens; never raises on odd input, only mends and notes."""

    def __init__(self, toks: list[_Tok], notes: list[str]) -> None:
        self.toks = toks
        self.i = 0
        self.notes = notes
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.peek() is not None:  # a stray ")" ends or_expr early: skip it, go on
            tok = self.take()
            if tok.kind == "RPAREN":
                self.notes.append("ignored a closing bracket with no opening one")
            parts = [x for x in (node, self.or_expr()) if x is not None]
            node = _and(parts, []) if parts else None
        return node

    def or_expr(self) -> Node | None:
        items = []
        first = self.and_expr()
        if first is not None:
            items.append(first)
        while (tok := self.peek()) is not None and tok.kind == "OP" and tok.value == "OR":
            self.take()
            nxt = self.and_expr()
            if nxt is None:
                self.notes.append("dropped an OR with nothing after it")
            else:
                items.append(nxt)
        if first is None and items:
            self.notes.append("dropped an OR with nothing before it")
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node | None:
        include: list[Node] = []
        exclude: list[Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "RPAREN" or (tok.kind == "OP" and tok.value == "OR"):
                break
            negate = False
            if tok.kind == "MINUS" or (tok.kind == "OP" and tok.value == "NOT"):
                self.take()
                negate = True
            elif tok.kind == "OP" and tok.value == "AND":
                self.take()
                if not include and not exclude:
                    self.notes.append("dropped an AND with nothing before it")
                continue
            node = self.unary()
            if node is None:
                if negate:
                    self.notes.append("dropped a NOT with nothing after it")
                continue
            (exclude if negate else include).append(node)
        if exclude and not include:
            self.notes.append(
                "left out "
                + ", ".join(_display(x) for x in exclude)
                + ": a search needs something to look for, not only words to leave out"
            )
            exclude = []
        if not include:
            return None
        return _and(include, exclude)

    def unary(self) -> Node | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == "LPAREN" and self.depth >= MAX_DEPTH:
            self.take()  # brackets past this depth only group what they already group
            self.notes.append(f"ignored brackets nested deeper than {MAX_DEPTH}")
            return None
        if tok.kind == "LPAREN":
            self.take()
            self.depth += 1
            node = self.or_expr()
            self.depth -= 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == "RPAREN":
                self.take()
            else:
                self.notes.append("closed an unbalanced bracket at the end of the query")
            return node
        if tok.kind == "OP" and (tok.value == "NEAR" or tok.value.startswith("NEAR/")):
            return self.near_call()
        if tok.kind in ("WORD", "PHRASE"):
            self.take()
            term = _term(tok)
            return self.near_infix(term) if term is not None else None
        if tok.kind == "COMMA":
            self.take()
            return None
        self.take()  # a stray operator where a word should be
        if tok.kind == "OP":
            self.notes.append(f"dropped {tok.value} with nothing before it")
        return None

    def near_infix(self, left: Term) -> Node:
        """``a NEAR b`` / ``a NEAR/5 b``: the infix forms older engines taught."""
        tok = self.peek()
        if tok is None or tok.kind != "OP" or not tok.value.startswith("NEAR"):
            return left
        nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
        if nxt is None or nxt.kind not in ("WORD", "PHRASE"):
            return left  # "NEAR(" is a call: the caller's loop takes it as the next item
        self.take()
        distance = _near_distance(tok.value, self.notes)
        self.take()
        right = _term(nxt)
        if right is None:
            return left
        return Near((left, right), distance)

    def near_call(self) -> Node | None:
        op = self.take()
        distance = _near_distance(op.value, self.notes)
        tok = self.peek()
        if tok is None or tok.kind != "LPAREN":
            self.notes.append("dropped a NEAR with nothing to work on")
            return None
        self.take()
        terms: list[Term] = []
        while (tok := self.peek()) is not None and tok.kind != "RPAREN":
            self.take()
            if tok.kind == "COMMA":
                after = self.peek()
                if after is not None and after.kind == "WORD" and after.value.isdigit():
                    distance = min(int(self.take().value), NEAR_MAX)
            elif tok.kind in ("WORD", "PHRASE"):
                term = _term(tok)
                if term is not None:
                    terms.append(term)
            # anything else inside NEAR(…) (operators, brackets) is only punctuation here
        if self.peek() is None:
            self.notes.append("closed an unbalanced NEAR( at the end of the query")
        else:
            self.take()
        if not terms:
            self.notes.append("dropped a NEAR( with no words in it")
            return None
        if len(terms) == 1:
            return terms[0]
        return Near(tuple(terms), distance)


def _near_distance(op: str, notes: list[str]) -> int:
    m = _NEAR_SLASH.fullmatch(op)
    return min(int(m.group(1)), NEAR_MAX) if m else NEAR_DEFAULT


def _term(tok: _Tok) -> Term | None:
    words = tuple(tok.value.split())
    if not words or not _has_token(tok.value):
        return None
    return Term(words, tok.prefix)


def _and(include: list[Node], exclude: list[Node]) -> Node:
    if len(include) == 1 and not exclude:
        return include[0]
    return And(tuple(include), tuple(exclude))


def _display(node: Node) -> str:
    return " ".join(t.display() for t in _terms(node))


def parse_query(text: str) -> ParsedQuery:
    """Parse a search box's text into a :class:`ParsedQuery` with its FTS5 expression.

    :raises QueryError: when nothing in it can be searched for, or it is far too long.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"Query too long: {len(text):,} characters (at most {MAX_QUERY_CHARS:,}); "
            "search for the few words that matter"
        )
    notes: list[str] = []
    clean = normalise(text)
    tree = _Parser(_lex(clean, notes), notes).parse()
    if tree is None:
        shown = text.strip()[:60]
        raise QueryError(
            f"Nothing to search for in {shown!r}: type a word or a quoted phrase"
            if shown
            else "Empty query: type a word or a quoted phrase to search for"
        )
    if _count(tree) > MAX_TERMS:
        raise QueryError(
            f"Query has {_count(tree)} words and phrases (at most {MAX_TERMS}); "
            "search for fewer at a time"
        )
    return ParsedQuery(text=text, tree=tree, notes=tuple(dict.fromkeys(notes)))


@dataclass(frozen=True, slots=True)
class Filter:
    """``NAME=VALUE`` narrowing a search (``author=L. Trotsky``, ``decade=1930``)."""

    name: str
    value: str


@dataclass(slots=True)
class SearchRequest:
    """Everything one search asks for."""

    query: ParsedQuery
    filters: list[Filter] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    limit: int = 20
    offset: int = 0
