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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from prinkipo.entities.authority import Authority, AuthorityEntry, fold, register_source
from prinkipo.entities.recognise import Hit, Matcher, candidates
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
    r"dieser|diese|dieses|diesem|diesen|jener|jene|jenes|jenem|jenen|welcher|welche)|\d)[\s.]+$",
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
_CAPITALISED_WORD = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]{4,}\b")


def _year(text: str | None) -> int | None:
    m = re.search(r"\d{4}", text or "")
    return int(m.group()) if m else None


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
        #: first names of the people the authority knows in full ("Emma", "Peter", "Johann")
        self.forenames: set[str] = set()
        for e in authority:
            if e.kind == "person":
                for n in e.names:
                    words = fold(n).split()
                    if len(words) >= 2 and len(words[0]) > 2 and "," not in n:
                        self.forenames.add(words[0])
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
        per_passage: list[tuple[Passage, list[Hit]]] = []
        for p in items:
            found_here = self.matcher.find(p.text, inflected=language == "de")
            hits = [u for h in found_here if (u := self._usable(h, language, p.text, collection))]
            hits += candidates(p.text, hits, language)
            hits += self._transliterated(p.text, hits)
            per_passage.append((p, hits))
        short = self._short_forms(h for _, hits in per_passage for h in hits)
        found: list[tuple[Passage, Hit]] = []
        for p, hits in per_passage:
            hits += self._coreferent(p.text, hits, short)
            found += [(p, h) for h in sorted(hits, key=lambda h: h.start)]
        strong = self._strong_keys(h for _, h in found)
        return [self._mention(p, h, strong, year, collection) for p, h in found]

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
        self, text: str, taken: list[Hit], short: dict[str, tuple[str, str]]
    ) -> list[Hit]:
        """Later bare surnames of people named in full earlier ("Andre Malraux" … "Malraux")."""
        if not short:
            return []
        out: list[Hit] = []
        for m in _CAPITALISED_WORD.finditer(text):
            s, e = m.start(), m.end()
            target = short.get(m.group())
            if target is None or any(h.start < e and s < h.end for h in [*taken, *out]):
                continue
            out.append(Hit(s, e, m.group(), (), "candidate-coreference", target[1], 1, target[0]))
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
            if person_noun:
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
    def _other_edition(e: AuthorityEntry, collection: str | None) -> bool:
        """A person of another edition's register: "Hugo" in a Schnitzler letter is not the
        Escher register's Gustav Hugo."""
        return (
            e.kind == "person"
            and collection in REGISTER_LANGUAGE
            and e.origin in REGISTER_LANGUAGE
            and e.origin != collection
        )

    def _survives(self, key: str, noun: bool, person_noun: bool) -> bool:
        e = self.authority.get(key)
        if e is None or e.origin == "builtin":
            return e is not None
        return not (noun or (person_noun and e.kind == "person"))

    def _transliterated(self, text: str, taken: list[Hit]) -> list[Hit]:
        """Single capitalised words the authority does not carry but whose skeleton it knows."""
        if not self.skeletons:
            return []
        out = []
        for m in _CAPITALISED_WORD.finditer(text):
            keys = self.skeletons.get(skeleton(m.group()), ())
            if len(keys) != 1 or _DEMONYM.search(m.group()):
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

    def _mention(
        self, p: Passage, h: Hit, strong: set[str], year: int | None, collection: str | None
    ) -> Mention:
        key, method, conf, kind, others = self._choose(h, strong, year, collection)
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

    def _choose(
        self, h: Hit, strong: set[str], year: int | None, collection: str | None = None
    ) -> tuple[str | None, str, float, str, tuple[str, ...]]:
        if not h.keys:
            return self._candidate(h)
        entries = [e for k in h.keys if (e := self.authority.get(k)) is not None]
        if len(entries) == 1:
            e = entries[0]
            conf = 0.95 if h.words >= 2 else (0.9 if e.origin == "builtin" else 0.8)
            return e.key, h.method, conf, e.kind, ()
        keys = tuple(e.key for e in entries)
        in_doc = [e for e in entries if e.key in strong]
        if len(in_doc) == 1:
            return in_doc[0].key, "authority-context", 0.85, in_doc[0].kind, keys
        pool = in_doc or entries
        if year is not None:
            alive = [e for e in pool if (_year(e.dates.get("birth")) or 0) <= year]
            if len(alive) == 1:
                return alive[0].key, "authority-date", 0.75, alive[0].kind, keys
            pool = alive or pool
        own = [e for e in pool if collection is not None and e.origin == collection]
        if len(own) == 1:
            return own[0].key, "authority-collection", 0.7, own[0].kind, keys
        pool = own or pool
        folded = fold(h.text)
        named = [e for e in pool if fold(e.name) == folded]
        if len(named) == 1:
            return named[0].key, "authority-preferred", 0.7, named[0].kind, keys
        curated = [e for e in pool if e.origin == "builtin"]
        if len(curated) == 1:
            return curated[0].key, "authority-curated", 0.7, curated[0].kind, keys
        notable = [
            e for e in pool if e.kind == "person" and {"gnd", "wikidata", "viaf"} & e.ids.keys()
        ]
        if len(notable) == 1:
            return notable[0].key, "authority-notable", 0.6, notable[0].kind, keys
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
