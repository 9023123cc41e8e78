"""Linking: which entity each name found in a document stands for, and how sure that is.

A spelling the authority carries for exactly one entry links at once. Where several entries
share it (namesakes, a surname, a place in two registers) the document decides: an entry named
in full elsewhere in the same document wins (co-mention), then one alive at the document's date
(nobody is written about before birth), then the one whose preferred name is this spelling.
Where nothing decides, the mention keeps every candidate and no link: a guess is not a fact.

Names the authority does not carry verbatim are tried against transliteration skeletons
(:func:`skeleton`) of the people whose names come from another script: Menjinsky, Menzhinsky,
Menschinski and Менжинский all reduce to ``mnsnsk``. What is left becomes a candidate entity
(``candidate:person:smirnov``), kept, counted and listed like any other.

Every :class:`~prinkipo.model.Mention` keeps its span, paragraph, method and confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from prinkipo.entities.authority import Authority, AuthorityEntry, fold, register_source
from prinkipo.entities.recognise import STOPWORDS, TITLES, Hit, Matcher, candidates
from prinkipo.model import Document, Mention

_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia"
#: Cyrillic → Latin, close to the common English scheme; the skeleton erases the differences
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        _LATIN.split(),
        strict=True,
    )
)
_SKELETON_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"^(?:j|y|i)(?=[aeou])", "i"),  # Jaroslawski, Yaroslavsky, Iaroslavskii
        (r"^(?:ye|je|ie)", "e"),  # Yemelyan, Emelian
        (r"(?:iy|ii|ij|yi|y)$", "i"),  # -sky, -skii, -skij, -skiy
        (r"(?:shch|sch|tsch|tch|zh|sh|ch|ts|tz|cz|sz|j|z|c|x)", "s"),  # every sibilant
        (r"(?:kh|q)", "k"),
        (r"(?:ph|ff)", "f"),
        (r"w", "v"),
        (r"(.)\1+", r"\1"),  # double letters
    ]
]


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A spelling-blind key for a transliterated surname: consonants after conflating schemes."""
    word = fold(name).split(" ")[-1] if name.strip() else ""
    word = "".join(_CYRILLIC.get(c, c) for c in word).replace("_", "")
    for pattern, repl in _SKELETON_RULES:
        word = pattern.sub(repl, word)
    return re.sub(r"[aeiouy]", "", word)


def _translit_entry(e: AuthorityEntry) -> bool:
    """Names that came to us through transliteration: a Cyrillic variant says so."""
    return e.kind == "person" and any(re.search(r"[А-Яа-яЁё]", n) for n in e.names)


#: the language of the letters a register was made for: a bare surname from the Escher register
#: ("Gordon", "Weber") says nothing about an English pamphlet
REGISTER_LANGUAGE = {"escher": "de", "schnitzler": "de", "pmb": "de"}

#: words that come before a German noun, not a name: indefinite articles, possessives,
#: demonstratives, numbers ("dieser Stamm", "mein Freund", "5 Franken")
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:ein|eine|einem|einen|einer|eines|kein|keine|keinem|keinen|keiner|mein|meine|meinem|"
    r"meinen|meiner|meines|dein|deine|deinem|deinen|deiner|sein|seine|seinem|seinen|seiner|"
    r"ihr|ihre|ihrem|ihren|ihrer|unser|unsere|unserem|unserm|unseren|unsern|unserer|euer|eure|"
    r"dieser|diese|dieses|diesem|diesen|jener|jene|jenes|jenem|jenen|welcher|welche|"
    r"hundert|tausend|million|millionen|mill|milliarden)|\d)[\s.]+$",
    re.IGNORECASE,
)
#: definite articles and their contractions: before a German noun or a place ("am Rhein"), but
#: not before a person's bare surname
_ARTICLE_BEFORE = re.compile(
    r"\b(?:der|die|das|dem|den|des|zum|zur|vom|beim|im|ins|am|ans)\s+$", re.IGNORECASE
)

#: shorter skeletons collide with ordinary words ("French" and Frunze are both "frns")
MIN_SKELETON = 5
#: adjectives of peoples and languages are not surnames: "English", "Russian", "Japanese"
_DEMONYM = re.compile(r"(?:ish|ese|ian|ean|ic|ist|ism)$")
_CAPITALISED_WORD = re.compile(
    r"[A-ZÀ-ÖØ-ÞА-ЯЁ](?<!\w[A-ZÀ-ÖØ-ÞА-ЯЁ])[a-zß-öø-ÿа-яё]{4,}\b"  # a capital first: fast
)


def _year(text: str | None) -> int | None:
    m = re.search(r"\d{4}", text or "")
    return int(m.group()) if m else None


def _alive(e: AuthorityEntry, year: int | None) -> bool:
    """Not born after the document's year; for a person of a register also grown up by then
    and not long dead (letters are about the living)."""
    if year is None:
        return True
    born = _year(e.dates.get("birth"))
    if born is not None and born > year:
        return False
    if e.kind != "person" or e.origin == "builtin":
        return True
    died = _year(e.dates.get("death"))
    return (born is None or year - born >= 18) and (died is None or died >= year - 1)


#: words of a register's biography worth comparing with a document: capitalised, five letters up
_BIO_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{4,}")


def _best_context(pool: list[AuthorityEntry], words: frozenset[str]) -> set[str]:
    """The entry whose biography shares most names with the document (two at least, and more
    than any other entry's): the railway director in a letter about the railway."""
    scores = []
    for e in pool:
        bio = set(fold(" ".join(_BIO_WORD.findall(e.note))).split()) if e.note else set()
        scores.append((len(bio & words), e.key))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 2 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return set()
    return {scores[0][1]}


#: the word before a name that says what the person is: "Regierungspräsident Weber",
#: "Bürgermeister Stehlin", "unserm Gesandten Pioda" (a courtesy title in between is skipped)
_ROLE_BEFORE = re.compile(
    r"([A-ZÄÖÜ][a-zäöüß]{4,}(?:[A-ZÄÖÜ][a-zäöüß]+)?)\.?\s+(?:(?:Hrn|Hr|Herrn|Herr)\.?\s*)?$"
)


def _role_fit(role: str, bio: str) -> int:
    """How well a role word agrees with a biography: the letters it shares with the words of the
    biography (old spellings aside), counting a word inside the role ("Präsident" in
    "Regierungspräsident"), the role's stem inside a word ("Gesandte" in
    "Tagsatzungsgesandter") or a shared beginning ("Regierungs…"), each of six letters at least."""
    r = old_spelling(role)
    stem = r[:-2] if len(r) > 7 else r
    total = 0
    for w in {old_spelling(word) for word in _BIO_WORD.findall(bio)}:
        if len(w) >= 6 and w in r:
            total += len(w)
        elif len(stem) >= 6 and stem in w:
            total += len(stem)
        else:
            n = 0
            for a, b in zip(w, r, strict=False):
                if a != b:
                    break
                n += 1
            total += n if n >= 6 else 0
    return total


def _populated(e: AuthorityEntry) -> bool:
    """A town or village (GeoNames P.*, the Escher register's located places)."""
    return e.kind == "place" and (e.subtype or "").startswith(("P.", "approximate"))


def _water(e: AuthorityEntry) -> bool:
    """A river or lake (the Escher register's "water", GeoNames H.*)."""
    return e.kind == "place" and (e.subtype or "").startswith(("water", "H."))


def _words_regex(words: Iterable[str], plural_only: bool = False) -> re.Pattern[str] | None:
    """Any of ``words`` followed by a plural or genitive -s (group 2; optional unless
    ``plural_only``). The word before is checked by the caller (:func:`_whole`): a pattern that
    starts with the words lets the regex engine skip ahead to them."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if not alternatives:
        return None
    return re.compile(rf"({alternatives})({'s' if plural_only else 's?'})(?!\w)")


def _whole(text: str, start: int) -> bool:
    """A match at ``start`` begins a word."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


#: a capitalised word right before a name
_FORENAME_BEFORE = re.compile(r"(?<![\w.])([A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+) $")

#: the end of a sentence before a word: its capital says nothing
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”(\[–—-])\s*$")


#: a capitalised word, hyphenated parts included ("Muotta-thal", "Beer-Hofmann")
_CAPITALISED_NAME = re.compile(
    r"[A-ZÀ-ÖØ-ÞА-ЯЁ](?<![\w-][A-ZÀ-ÖØ-ÞА-ЯЁ])[^\W\d_]{2,}(?:-[^\W\d_]+)*(?![\w-])"
)

_OLD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"ß", "ss"),
        (r"sch", "S"),
        (r"(?:ck|ch|c|q)", "k"),  # Coblenz, Constanz, Interlachen, Lucmanier
        (r"(?:th|dt|d)", "t"),  # Emmenthal, Waat for Waadt, Altorf for Altdorf
        (r"(?:tz|z)", "s"),  # Stanz for Stans
        (r"(?:ph|v)", "f"),
        (r"(?:ie|y)", "i"),  # Rapperswyl
        (r"(?<=[aeiou])h(?![aeiou])", ""),  # lengthening h
        (r"(?<=[aou])e", ""),  # Waeggis
        (r"(.)\1+", r"\1"),  # Argau for Aargau, Muotta for Muota
    ]
]


@lru_cache(maxsize=1 << 16)
def old_spelling(name: str) -> str:
    """A key blind to the spelling reforms of German place and family names since the 1800s
    ("Egypten" and "Ägypten", "Wäggis" and "Weggis" too)."""
    word = fold(name.replace("ä", "e").replace("Ä", "E")).replace(" ", "")
    for pattern, repl in _OLD_RULES:
        word = pattern.sub(repl, word)
    return word


class _Context:
    """What a document says that helps choose between namesakes."""

    def __init__(
        self, strong: set[str], year: int | None, collection: str | None, texts: list[str]
    ) -> None:
        #: entries named in full, unambiguously, somewhere in the document
        self.strong = strong
        self.year = year
        self.collection = collection
        self._texts = texts
        self._words: frozenset[str] | None = None
        #: surname → the person the document's role words point to (:meth:`Linker._roles`)
        self.roles: dict[str, str] = {}

    @property
    def words(self) -> frozenset[str]:
        """Folded capitalised words of the document (compared with the registers' biographies);
        read only when a namesake needs them."""
        if self._words is None:
            self._words = frozenset(
                w for t in self._texts for w in fold(" ".join(_BIO_WORD.findall(t))).split()
            )
        return self._words


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of a document searched for names: a paragraph, a header field, a note."""

    text: str
    #: where the text starts in the file's text, or None when it is not a verbatim slice
    start: int | None
    paragraph: int | None
    field: str | None


class Linker:
    """Recognition and linking over one authority; build once, use for many documents."""

    def __init__(self, authority: Authority) -> None:
        self.authority = authority
        self.matcher = Matcher(authority)
        self.skeletons: dict[str, list[str]] = {}
        #: capitalised word → whether its skeleton is one transliterated person's (a cache)
        self._translit_words: dict[str, bool] = {}
        #: first names of the people the authority knows in full ("Emma", "Peter", "Johann")
        #: (words more often first than last in the names of people: "Paul", not "Welti")
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for e in authority:
            if e.kind == "person":
                for n in {e.name, *(v for v in e.variants if "," not in v and "." not in v)}:
                    words = fold(n).split()
                    if len(words) >= 2 and len(words[0]) > 2:
                        first[words[0]] = first.get(words[0], 0) + 1
                        last[words[-1]] = last.get(words[-1], 0) + 1
        self.forenames = set(first)
        #: first names that are seldom surnames: no bare one is guessed to be a surname
        self.given_names = {w for w, n in first.items() if n > last.get(w, 0)}
        #: old_spelling(name) → keys, for the single-word names of the registers
        self.old_spellings: dict[str, list[str]] = {}
        for e in authority:
            if e.origin == "builtin" or e.kind != "place":
                continue  # surnames are too close to German words ("Liebe", "Freitag")
            for n in e.names:
                if " " in n.strip() or "," in n:
                    continue
                sk = old_spelling(n)
                if len(sk) >= 4:
                    keys = self.old_spellings.setdefault(sk, [])
                    if e.key not in keys:
                        keys.append(e.key)
        for e in authority:
            if _translit_entry(e):
                for n in e.names:
                    sk = skeleton(n)
                    if len(sk) >= MIN_SKELETON:
                        keys = self.skeletons.setdefault(sk, [])
                        if e.key not in keys:
                            keys.append(e.key)

    # -- one document ------------------------------------------------------------------------

    def link_document(self, doc: Document) -> list[Mention]:
        """Every mention in a document's title, header fields, paragraphs and notes."""
        collection = register_source(doc.record.path)
        return self.link_passages(passages(doc), doc.language, _doc_year(doc), collection)

    def link_passages(
        self,
        items: Iterable[Passage],
        language: str | None = None,
        year: int | None = None,
        collection: str | None = None,
    ) -> list[Mention]:
        """Mentions in the passages of one document, written in ``language`` about ``year``;
        ``collection`` names the edition it belongs to ("escher"), whose register it favours."""
        german = language == "de"
        per_passage: list[tuple[Passage, list[Hit]]] = []
        for p in items:
            found_here = self.matcher.find(p.text, inflected=german)
            hits = [u for h in found_here if (u := self._usable(h, language, p.text, collection))]
            hits = [self._with_forename(p.text, h) for h in hits]
            if german:
                hits += self._old_spellings(p.text, hits, collection)
            hits += candidates(p.text, hits, language)
            hits += self._transliterated(p.text, hits)
            per_passage.append((p, hits))
        all_hits = [h for _, hits in per_passage for h in hits]
        short = self._short_forms(all_hits)
        surnames = self._surnames(all_hits)
        found: list[tuple[Passage, Hit]] = []
        # a surname the automaton found on its own (and kept) is found already: only its
        # plural is looked for; the name as written and in capitals ("LIEBKNECHT" in a heading)
        forms = {f: v for k, v in surnames.items() for f in (k, k.upper())}
        kept = {h.text for h in all_hits if h.words == 1 and h.keys}
        known = [f for f in forms if f in kept]
        by_surname = [
            r
            for r in (
                _words_regex([f for f in forms if f not in known]),
                _words_regex(known, plural_only=True),
            )
            if r is not None
        ]
        surnames = forms
        by_short = _words_regex(short)
        for p, hits in per_passage:
            if by_surname:
                hits = self._by_surname(p.text, hits, surnames, by_surname, german)
            if by_short is not None:
                hits += self._coreferent(p.text, hits, short, by_short)
            found += [(p, h) for h in sorted(hits, key=lambda h: h.start)]
        ctx = _Context(
            self._strong_keys(h for _, h in found),
            year,
            collection,
            [p.text for p, _ in per_passage],
        )
        ctx.roles = self._roles(found, ctx)
        return [self._mention(p, h, ctx) for p, h in found]

    def _roles(self, found: list[tuple[Passage, Hit]], ctx: _Context) -> dict[str, str]:
        """Surname → the namesake whose biography fits the role the document gives one of its
        mentions ("Regierungspräsident Weber": the Weber who presided over the government);
        one person per surname in a document, so the other mentions follow."""
        out: dict[str, str] = {}
        clash: set[str] = set()
        for p, h in found:
            if h.words != 1 or len(h.keys) < 2 or h.start < 6:
                continue
            m = _ROLE_BEFORE.search(p.text, max(0, h.start - 60), h.start)
            if m is None or m.group(1) in TITLES:
                continue
            pool = [
                e
                for k in h.keys
                if (e := self.authority.get(k)) is not None
                and e.kind == "person"
                and e.note
                and not self._other_edition(e, ctx.collection)
                and _alive(e, ctx.year)
            ]
            scores = sorted(
                ((_role_fit(m.group(1), e.note or ""), e.key) for e in pool), reverse=True
            )
            if not scores or scores[0][0] == 0:
                continue
            if len(scores) > 1 and scores[1][0] == scores[0][0]:
                continue
            surname = fold(h.text)
            if out.setdefault(surname, scores[0][1]) != scores[0][1]:
                clash.add(surname)
        for c in clash:
            del out[c]
        return out

    def _with_forename(self, text: str, h: Hit) -> Hit:
        """A surname with the first name before it, when that is the person's first name in
        another spelling: "Serge Orjonikidze" for Sergo Ordzhonikidze."""
        if h.words != 1 or len(h.keys) != 1 or h.start < 3:
            return h
        m = _FORENAME_BEFORE.search(text, max(0, h.start - 30), h.start)
        if m is None:
            return h
        e = self.authority.get(h.keys[0])
        if e is None or e.kind != "person" or " " not in e.name:
            return h
        first = e.name.split()[0]
        if skeleton(m.group(1)) != skeleton(first) or fold(m.group(1))[:1] != fold(first)[:1]:
            return h
        return replace(h, start=m.start(1), text=text[m.start(1) : h.end], words=2)

    def _surnames(self, hits: list[Hit]) -> dict[str, str]:
        """Surname (as written) → key of the people the authority knows who are named
        unambiguously in this document: a later bare "Morris" is the "William Morris" above."""
        out: dict[str, str] = {}
        clash: set[str] = set()
        for h in hits:
            if len(h.keys) != 1 or not h.method.startswith("authority"):
                continue
            e = self.authority.get(h.keys[0])
            if e is None or e.kind != "person":
                continue
            last = h.text.split()[-1]
            if len(last) < 3 or not last[0].isupper() or fold(last) in STOPWORDS:
                continue
            if out.setdefault(last, e.key) != e.key:
                clash.add(last)
        for c in clash:
            del out[c]
        return out

    def _by_surname(
        self,
        text: str,
        hits: list[Hit],
        surnames: dict[str, str],
        patterns: list[re.Pattern[str]],
        german: bool,
    ) -> list[Hit]:
        """Bare surnames, not otherwise known, of people named in full elsewhere in the document
        ("William Morris" … "Morris", "the Zinovievs"; namesakes among the authority's are left
        to :meth:`_choose`)."""
        out = list(hits)
        for pattern in patterns:
            for m in pattern.finditer(text):
                s, e = m.start(), m.end()
                if not _whole(text, s) or any(h.start < e and s < h.end for h in out):
                    continue
                if german and _NOUN_BEFORE.search(text, 0, s):
                    continue  # "einen Bahr" is no Hermann Bahr
                key = surnames[m.group(1)]
                out.append(Hit(s, e, m.group(), (key,), "authority-surname", "person"))
        return out

    def _old_spellings(self, text: str, taken: list[Hit], collection: str | None) -> list[Hit]:
        """Register names in a German letter's own spelling: "Argau" for Aargau, "Coblenz"
        for Koblenz, "Rapperswyl", "Emmenthal", "Altorf" (:func:`old_spelling`); a hyphenated
        word is tried whole and then part by part ("Emmenthal-Entlebucher Bahn")."""
        out: list[Hit] = []
        for m in _CAPITALISED_NAME.finditer(text):
            s, e = m.start(), m.end()
            if any(h.start < e and s < h.end for h in taken):
                continue
            hit = self._old_spelling(text, s, e, collection)
            if hit is None and "-" in m.group():
                at = s
                for part in m.group().split("-"):
                    if part[:1].isupper():
                        hit = self._old_spelling(text, at, at + len(part), collection)
                        if hit is not None:
                            break
                    at += len(part) + 1
            if hit is not None:
                out.append(hit)
        return out

    def _old_spelling(self, text: str, s: int, e: int, collection: str | None) -> Hit | None:
        word = text[s:e]
        keys = self.old_spellings.get(old_spelling(word), [])
        if not keys and word.endswith("s"):
            keys = self.old_spellings.get(old_spelling(word[:-1]), [])
        entries = [
            entry
            for k in keys
            if (entry := self.authority.get(k)) is not None
            and not self._other_edition(entry, collection, places=True)
        ]
        if not entries or _NOUN_BEFORE.search(text, 0, s):
            return None
        if _SENTENCE_START.search(text, max(0, s - 3), s):
            return None  # "Wollen Sie …" is no Wohlen
        if any(_populated(entry) for entry in entries) and _ARTICLE_BEFORE.search(text, 0, s):
            return None  # a town takes no article
        # several places of one old spelling (Coblenz: Koblenz AG and Koblenz am Rhein) are
        # namesakes like any other, left to the document to decide
        return Hit(s, e, word, tuple(entry.key for entry in entries), "authority-spelling")

    def _short_forms(self, hits: Iterable[Hit]) -> dict[str, tuple[str, str]]:
        """Surname → (key, kind) of the unknown people named in full in this document."""
        out: dict[str, tuple[str, str]] = {}
        for h in hits:
            if h.keys or h.words < 2 or h.method == "transliteration":
                continue
            kind = self._candidate_kind(h)
            if kind != "person":
                continue
            last = h.text.split()[-1]
            if _CAPITALISED_WORD.fullmatch(last):
                out.setdefault(last, (candidate_key(kind, h.text), kind))
        return out

    def _coreferent(
        self,
        text: str,
        taken: list[Hit],
        short: dict[str, tuple[str, str]],
        found: re.Pattern[str],
    ) -> list[Hit]:
        """Later bare surnames of people named in full earlier ("Andre Malraux" … "Malraux")."""
        out: list[Hit] = []
        for m in found.finditer(text):
            if m.group(2):
                continue  # only the surname as written
            s, e = m.start(), m.end()
            if not _whole(text, s) or any(h.start < e and s < h.end for h in [*taken, *out]):
                continue
            key, kind = short[m.group(1)]
            out.append(Hit(s, e, m.group(), (), "candidate-coreference", kind, 1, key))
        return out

    def _candidate_kind(self, h: Hit) -> str | None:
        """The kind of an unknown name: from its cue, else a known first name says person."""
        if h.kind is not None:
            return h.kind
        first = fold(h.text).split(" ")[0]
        return "person" if h.words >= 2 and first in self.forenames else None

    def _usable(
        self, h: Hit, language: str | None, text: str = "", collection: str | None = None
    ) -> Hit | None:
        """The hit with only the entries it can stand for in a text of this language.

        A bare surname from a register of another language's letters ("Gordon", "Weber" from
        the Escher register, in an English pamphlet), or a person of another edition's register,
        is no evidence: such a hit is dropped, and the rules for unknown names see the text.
        """
        if h.words > 1 or language is None:
            return h
        if language == "de":
            noun = _NOUN_BEFORE.search(text, 0, h.start) is not None
            person_noun = noun or _ARTICLE_BEFORE.search(text, 0, h.start) is not None
            if person_noun and not h.text.endswith(("'s", "’s")):
                # "dieser Stamm", "mein Freund", "5 Franken", "die Kammer": a German noun; a
                # bare name of a register's person never follows an article, a place may
                kept = tuple(k for k in h.keys if self._survives(k, noun, person_noun))
                if kept != h.keys:
                    h = replace(h, keys=kept)
                if not kept:
                    return None
        keys = tuple(
            k
            for k in h.keys
            if (e := self.authority.get(k)) is not None
            and REGISTER_LANGUAGE.get(e.origin, language) == language
            and not self._other_edition(e, collection)
        )
        if keys == h.keys:
            return h
        return replace(h, keys=keys) if keys else None

    @staticmethod
    def _other_edition(e: AuthorityEntry, collection: str | None, places: bool = False) -> bool:
        """A person (or, with ``places``, a place) of another edition's register: "Hugo" in a
        Schnitzler letter is not the Escher register's Gustav Hugo."""
        return (
            (e.kind == "person" or (places and e.kind == "place"))
            and collection in REGISTER_LANGUAGE
            and e.origin in REGISTER_LANGUAGE
            and e.origin != collection
        )

    def _survives(self, key: str, noun: bool, person_noun: bool) -> bool:
        e = self.authority.get(key)
        if e is None or e.origin == "builtin":
            return e is not None
        # a town or village takes no article ("in der Kammer", "der Wald" are nouns)
        return not (noun or (person_noun and (e.kind == "person" or _populated(e))))

    def _transliterated(self, text: str, taken: list[Hit]) -> list[Hit]:
        """Single capitalised words the authority does not carry but whose skeleton it knows."""
        if not self.skeletons:
            return []
        out = []
        known = self._translit_words
        for m in _CAPITALISED_WORD.finditer(text):
            word = m.group()
            hit = known.get(word)
            if hit is None:
                keys = self.skeletons.get(skeleton(word), ())
                hit = known[word] = len(keys) == 1 and not _DEMONYM.search(word)
            if not hit:
                continue
            s, e = m.start(), m.end()
            if not any(h.start < e and s < h.end for h in taken):
                out.append(Hit(s, e, m.group(), (), "transliteration", "person"))
        return out

    def _strong_keys(self, hits: Iterable[Hit]) -> set[str]:
        """Entries named unambiguously by a full (several-word) name somewhere in the document."""
        out: set[str] = set()
        for h in hits:
            if h.method.startswith("authority") and h.words >= 2 and len(h.keys) == 1:
                out.add(h.keys[0])
        return out

    def _mention(self, p: Passage, h: Hit, ctx: _Context) -> Mention:
        key, method, conf, kind, others = self._choose(h, ctx)
        start = p.start + h.start if p.start is not None else None
        return Mention(
            text=h.text,
            kind=kind,
            entity_key=key,
            method=method,
            confidence=conf,
            start=start,
            end=start + (h.end - h.start) if start is not None else None,
            paragraph=p.paragraph,
            field=p.field,
            passage_start=h.start,
            passage_end=h.end,
            candidates=others,
        )

    def _choose(self, h: Hit, ctx: _Context) -> tuple[str | None, str, float, str, tuple[str, ...]]:
        """The entry a hit stands for: the only one, else the one the document points to."""
        if not h.keys:
            return self._candidate(h)
        entries = [e for k in h.keys if (e := self.authority.get(k)) is not None]
        if len(entries) == 1:
            e = entries[0]
            conf = 0.95 if h.words >= 2 else (0.9 if e.origin == "builtin" else 0.8)
            if h.method in ("authority-surname", "authority-spelling"):
                conf = 0.75
            return e.key, h.method, conf, e.kind, ()
        keys = tuple(e.key for e in entries)
        year, collection = ctx.year, ctx.collection
        rules: list[tuple[str, float, Callable[[AuthorityEntry], bool]]] = [
            ("authority-context", 0.85, lambda e: e.key in ctx.strong),
            (
                "authority-collection",
                0.75,
                lambda e: not self._other_edition(e, collection, places=True),
            ),
            ("authority-date", 0.75, lambda e: _alive(e, year)),
            ("authority-role", 0.7, lambda e: ctx.roles.get(fold(h.text)) == e.key),
            (
                "authority-collection",
                0.7,
                lambda e: collection is not None and e.origin == collection,
            ),
            ("authority-context", 0.65, lambda e: e.key in _best_context(pool, ctx.words)),
            ("authority-preferred", 0.7, lambda e: fold(e.name) == fold(h.text)),
            ("authority-curated", 0.7, lambda e: e.origin == "builtin"),
            ("authority-preferred", 0.65, lambda e: not _water(e)),
            (
                "authority-notable",
                0.6,
                lambda e: e.kind == "person" and bool({"gnd", "wikidata", "viaf"} & e.ids.keys()),
            ),
        ]
        if h.words == 1 and fold(h.text) in self.given_names:
            rules = rules[:2]  # "Paul", "Ernst", "Simon": a first name is no surname to guess
        pool = entries
        for method, conf, keep in rules:
            narrowed = [e for e in pool if keep(e)]
            if len(narrowed) == 1:
                return narrowed[0].key, method, conf, narrowed[0].kind, keys
            pool = narrowed or pool
        kinds = {e.kind for e in pool}
        kind = kinds.pop() if len(kinds) == 1 else "unknown"
        return None, "authority-ambiguous", 0.0, kind, keys

    def _candidate(self, h: Hit) -> tuple[str | None, str, float, str, tuple[str, ...]]:
        if h.ref is not None:
            return h.ref, h.method, 0.5, h.kind or "unknown", ()
        if h.kind in (None, "person"):
            sk = skeleton(h.text)
            keys = self.skeletons.get(sk, []) if len(sk) >= MIN_SKELETON else []
            if len(keys) == 1:
                e = self.authority.entries[keys[0]]
                return e.key, "transliteration", 0.7, e.kind, ()
        kind = self._candidate_kind(h) or "unknown"
        key = candidate_key(kind, h.text)
        merged = self.authority.resolve(key)
        if merged is not None:  # a person merged this unknown name into an entry
            return merged, "human-merge", 1.0, self.authority.entries[merged].kind, ()
        return key, h.method, 0.5, kind, ()


def candidate_key(kind: str, text: str) -> str:
    """The key of a name no authority knows: ``candidate:person:smirnov``."""
    return f"candidate:{kind}:{fold(text).replace(' ', '-')}"


def passages(doc: Document) -> list[Passage]:
    """The title, header fields, paragraphs and notes of a document, each with its offset."""
    rec, out = doc.record, []
    full = rec.text

    def verbatim(text: str, start: int, end: int) -> int | None:
        return start if full[start:end] == text else None

    for name, span in (("author", rec.author), ("title", rec.title), ("dateline", rec.dateline)):
        if span is not None:
            out.append(Passage(span.text, verbatim(span.text, span.start, span.end), None, name))
    for f in rec.fields:
        out.append(Passage(f.value, verbatim(f.value, f.value_start, f.value_end), None, f.name))
    for para in rec.paragraphs:
        out.append(Passage(para.text, verbatim(para.text, para.start, para.end), para.n, None))
    for n in rec.notes:
        out.append(Passage(n.text, verbatim(n.text, n.start, n.end), None, n.kind))
    return out


def _doc_year(doc: Document) -> int | None:
    for role in ("written", "dateline", "note", "published"):
        d = doc.dates.get(role)
        if d is not None and d.parsed is not None and d.parsed.latest is not None:
            return d.parsed.latest.year
    return None


def link_document(doc: Document, authority: Authority) -> list[Mention]:
    """Recognise and link the mentions of one document (the ingest step).

    Relink corrections carried by the authority (see :func:`~prinkipo.entities.corrections.
    archive_authority`) for this document's file are applied last.
    """
    from prinkipo.entities.corrections import apply_relinks

    mentions = linker_for(authority).link_document(doc)
    relinks = authority.__dict__.get("corrections") or []
    return apply_relinks(doc.record.path, mentions, relinks)


def linker_for(authority: Authority) -> Linker:
    """The authority's linker, built on first use and kept on the authority."""
    linker = authority.__dict__.get("_linker")
    if linker is None:
        linker = authority.__dict__["_linker"] = Linker(authority)
    return linker


__all__ = ["Linker", "Matcher", "Passage", "candidate_key", "link_document", "skeleton"]
