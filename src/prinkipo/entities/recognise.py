"""Finding names in text: every spelling the authority knows, and names it does not.

:class:`Matcher` folds a passage once (case, diacritics and punctuation away, character offsets
kept) and runs one Aho–Corasick automaton (``pyahocorasick``) over every folded name and variant
of the authority, so the cost does not grow with the size of the authority. A match counts only
on word boundaries and, unless the name itself is written in lower case ("von Lichnowsky"), only
where the text is capitalised: "the Opposition" is the organisation, "the opposition" is not.

:func:`candidates` adds names the authority does not know, each with the cue that found it: a
title ("Comrade Smirnov", "Herr Meyer"), initials ("A. B. Smirnov"), or a run of capitalised
words inside a sentence (not in German, where every noun is capitalised). No statistical model
is used: none installs offline from PyPI (see docs/entities.md), so these rules are the fallback
and say so in each candidate's ``method``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick

from prinkipo.entities.authority import Authority, fold, fold_chars


def _words(text: str) -> list[str]:
    return text.split()


#: single words never taken as a name on their own: sentence openers, months, days, pronouns
STOPWORDS = frozenset(
    fold(w)
    for w in _words(
        """
    a an and as at be but by for from he her his i if in is it its me my no not of on or our she
    so that the their them then there these they this those to up us was we were what when where
    which who why will with you your all any one two also after before since until while though
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday god lord sir mr mrs dr
    der die das den dem des ein eine und oder aber in im an am auf aus bei mit nach von vor zu zum
    zur ich du er sie es wir ihr mein dein sein lieber liebe herr frau
    le la les un une et ou mais de du des en au aux ce il elle nous vous
    """
    )
)

#: words that introduce a person's name
TITLES = frozenset(
    _words(
        """Comrade Comrades Mr Mrs Miss Ms Dr Doctor General Gen Colonel Col Captain Capt
    Lieutenant Professor Prof Herr Herrn Frau Fräulein Frl Genosse Genossin Genossen Citizen
    Citoyen Monsieur Mme Madame Mlle Sir Lady President Senator Tsar Czar Kaiser King Queen Prince
    Princess Count Countess Baron Minister Marshal Admiral Bishop Father Pastor Pfarrer Товарищ
    товарищ"""
    )
)
#: lower-case words allowed inside a name: "Ludwig van Beethoven", "Rosa de Luxemburgo"
PARTICLES = frozenset(_words("von van der den de du la le di da del dos y zu vom ten ter"))
_ORG_WORDS = re.compile(
    r"\b(?:Party|League|Committee|International|Union|Association|Congress|Bureau|Council|"
    r"Soviet|Soviets|Army|Government|Executive|Federation|Society|Club|Conference|Partei|Bund|"
    r"Verein|Komitee|Internationale)\b"
)
_PERIODICAL_WORDS = re.compile(
    r"\b(?:Gazette|Times|Zeitung|Review|Journal|Herald|Tribune|Post|Courier|Messenger|Bulletin|"
    r"Magazine|Zeitschrift|Blatt|Presse)\b"
)
_PLACE_WORDS = re.compile(
    r"\b(?:Street|Square|Island|Islands|River|Sea|Mountains|Bay|Strasse|Straße|Platz|Gasse)\b"
)
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r" {2,}")
_LEADING_ARTICLE = re.compile(r"^the\s+")


@dataclass(frozen=True, slots=True)
class Hit:
    """A stretch of a passage that names something: offsets into the passage, end exclusive."""

    start: int
    end: int
    text: str
    #: authority keys carrying this spelling (empty for a candidate)
    keys: tuple[str, ...]
    method: str
    kind: str | None = None
    #: how many words the spelling has (a full name is stronger evidence than a surname)
    words: int = 1
    #: for a short form of a name found earlier in the document: that name's entity key
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class _Pattern:
    folded: str
    keys: tuple[str, ...]
    lower_ok: bool
    inflected: bool = False


class FoldedText:
    """A passage folded for matching, with the way back to its character offsets.

    Folding keeps one character per character; only runs of spaces (what punctuation becomes)
    shrink to one, and the few runs are remembered to map offsets back.
    """

    __slots__ = ("_padded", "cum", "folded", "run_at")

    def __init__(self, text: str) -> None:
        self._padded = " " + fold_chars(text) + " "
        self.folded = _SPACES.sub(" ", self._padded)
        self.run_at: list[int] | None = None  # where each run of spaces stands in the folded text
        self.cum: list[int] = []  # characters dropped up to and including that run

    def _runs(self) -> list[int]:
        """The runs, found on first use (most passages have a few matches, some none)."""
        spans = [m.span() for m in _SPACES.finditer(self._padded)]
        self.cum = list(accumulate(e - s - 1 for s, e in spans))
        self.run_at = [s - c + (e - s - 1) for (s, e), c in zip(spans, self.cum, strict=True)]
        return self.run_at

    def original(self, i: int) -> int:
        """The offset in the passage of character ``i`` of the folded text."""
        run_at = self.run_at if self.run_at is not None else self._runs()
        k = bisect_left(run_at, i) - 1
        return i - 1 + (self.cum[k] if k >= 0 else 0)


class Matcher:
    """Every folded name and variant of an authority in one automaton."""

    def __init__(self, authority: Authority) -> None:
        self.authority = authority
        grouped: dict[str, list[str]] = {}
        lower: set[str] = set()
        for e in authority:
            for name in e.names:
                name = _LEADING_ARTICLE.sub("", name)  # "the Bolsheviks": the name is "Bolsheviks"
                f = fold(name)
                if not f or (" " not in f and (f in STOPWORDS or len(f) < 2)):
                    continue
                if f.isdigit():
                    continue
                keys = grouped.setdefault(f, [])
                if e.key not in keys:
                    keys.append(e.key)
                first = next((c for c in name if c.isalpha()), "")
                if first and first.islower():
                    lower.add(f)
        for f in list(grouped):  # "Wyß" is "Wyss", "Weissbad" is "Weißbad"
            alt = f.replace("ss", "ß") if "ss" in f else f.replace("ß", "ss")
            if alt != f and alt not in grouped:
                grouped[alt] = grouped[f]
                if f in lower:
                    lower.add(alt)
        self.patterns = [_Pattern(f, tuple(k), f in lower) for f, k in grouped.items()]
        # German genitives ("Basels", "Frankreichs", "Correntis"): the name with an -s, used
        # only in German texts and never where the inflected form is a name of its own
        registered = {e.key for e in authority if e.origin != "builtin"}
        self.patterns += [
            _Pattern(f + "s", tuple(k), f in lower, inflected=True)
            for f, k in grouped.items()
            if f[-1] not in "sxzß"
            and f + "s" not in grouped
            and len(f) > 2
            and any(key in registered for key in k)  # the curated names are English
        ]
        self.automaton = ahocorasick.Automaton()
        for i, p in enumerate(self.patterns):
            self.automaton.add_word(f" {p.folded} ", i)
        if self.patterns:
            self.automaton.make_automaton()

    def find(self, text: str, inflected: bool = False) -> list[Hit]:
        """Authority names in ``text``: leftmost, then longest, never overlapping.

        ``inflected`` also accepts the genitive -s of a name (for German texts).
        """
        if not self.patterns or not text:
            return []
        ft = FoldedText(text)
        raw: list[tuple[int, int, _Pattern]] = []
        for end, idx in self.automaton.iter(ft.folded):
            p = self.patterns[idx]
            if p.inflected and not inflected:
                continue
            start = ft.original(end - len(p.folded))
            if not p.lower_ok and not _capitalised(text, start):
                continue
            raw.append((start, ft.original(end - 1) + 1, p))
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        out: list[Hit] = []
        last_end = -1
        for s, e, p in raw:
            if s < last_end:
                continue
            e = _trim_end(text, s, e)
            method = "authority-inflected" if p.inflected else "authority"
            out.append(Hit(s, e, text[s:e], p.keys, method, None, p.folded.count(" ") + 1))
            last_end = e
        return out


def _capitalised(text: str, start: int) -> bool:
    c = text[start]
    return c.isupper() or not c.isalpha() or c.lower() == c.upper()


def _trim_end(text: str, s: int, e: int) -> int:
    """Take in the period that closes an abbreviation ("G.P.U.", "L. D. Trotsky" stays as is)."""
    if e < len(text) and text[e] == "." and re.fullmatch(r"(?:\w\.)+\w", text[s:e]):
        return e + 1
    return e


# -- names the authority does not know -------------------------------------------------------------

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][\w’'\-]*"
#: two or more capitalised words (one alone is every sentence's first word)
_NAME_RUN = re.compile(
    rf"{_CAP}(?:\s+(?:(?:{'|'.join(sorted(PARTICLES))})\s+)?{_CAP})+",
)
#: a surname: a capital and then at least one lower-case letter ("B.C.C.A." is no name)
_SURNAME = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ][a-zß-öø-ÿа-яё][\w’'\-]*"
_INITIALS = re.compile(  # the first initial spelled out, so the engine can skip ahead to it
    rf"[A-ZА-Я](?<!\w[A-ZА-Я])\.\s?(?:[A-ZА-Я]\.\s?){{0,2}}\s?"
    rf"(?:(?:{'|'.join(sorted(PARTICLES))})\s+)?{_SURNAME}"
)


def _trie(words: Iterable[str]) -> str:
    """A regular expression for any of ``words``, as a trie: each branch starts with a letter,
    which lets the regex engine skip ahead to the places where one could match."""

    def build(suffixes: list[str]) -> str:
        groups: dict[str, list[str]] = {}
        for w in suffixes:
            groups.setdefault(w[:1], []).append(w[1:])
        ends = "" in groups
        branches = [re.escape(c) + build(rest) for c, rest in sorted(groups.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")

    return build(sorted(set(words)))


#: a title and the name after it; the title's start is checked for a word boundary by hand
#: (a look-behind in front would keep the engine from skipping ahead)
_TITLE = re.compile(
    rf"(?P<title>{_trie(TITLES)})\.?\s+(?P<name>{_SURNAME}(?:\s+{_SURNAME}){{0,2}})"
)
#: words that follow a title without being a name: "General Secretary", "Minister of …"
ROLE_WORDS = frozenset(
    _words(
        """Secretary Secretaries Staff Committee Council Assembly Strike Election Elections
    Government Minister Ministers President Director Manager Editor Of Assistant Deputy Vice"""
    )
)
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»(\[]\s*$")


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def candidates(text: str, taken: list[Hit], language: str | None) -> list[Hit]:
    """Names in ``text`` that no authority hit covers, with the cue that found each."""
    spans = [(h.start, h.end) for h in taken]
    out: list[Hit] = []

    def add(s: int, e: int, method: str, kind: str | None) -> None:
        name = text[s:e]
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        name = name.rstrip("’'-")
        e = s + len(name)
        if _covered(spans, s, e):
            return
        words = [w for w in _WORD.findall(name) if w.lower() not in PARTICLES]
        if not words:
            return
        if len(words) == 1 and (fold(words[0]) in STOPWORDS or len(words[0]) < 3):
            return
        spans.append((s, e))
        out.append(Hit(s, e, name, (), method, kind, len(words)))

    for m in _TITLE.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        if m.group("name").split()[0] in ROLE_WORDS or m.group("name").split()[0] in TITLES:
            continue
        add(m.start("name"), m.end("name"), "candidate-title", "person")
    for m in _INITIALS.finditer(text):
        add(m.start(), m.end(), "candidate-initials", "person")
    if language != "de":
        for m in _NAME_RUN.finditer(text):
            s, e = m.start(), m.end()
            if spans and any(a <= s and e <= b for a, b in spans):
                continue  # inside a name found already ("Karl Marx"): nothing left to add
            words = m.group().split()
            # the first word of a sentence is capitalised anyway: drop it
            if s == 0 or _SENTENCE_END.search(text[max(0, s - 3) : s]):
                if len(words) < 3:
                    continue
                first = re.match(r"\S+\s+", text[s:e])
                if first is None:
                    continue
                s += first.end()
                words = words[1:]
            if len(words) < 2:
                continue
            add(s, e, "candidate-capitalised", _guess_kind(text[s:e]))
    out.sort(key=lambda h: h.start)
    return out


def _guess_kind(name: str) -> str | None:
    if _ORG_WORDS.search(name):
        return "organisation"
    if _PERIODICAL_WORDS.search(name):
        return "periodical"
    if _PLACE_WORDS.search(name):
        return "place"
    return None


def iter_words(text: str) -> Iterator[str]:
    return (m.group() for m in _WORD.finditer(text))
