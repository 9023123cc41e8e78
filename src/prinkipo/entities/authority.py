"""The authority file: who and what the archive knows, with every spelling it has seen.

An authority entry is plain data (JSON): a stable ``key`` ("person:trotsky-leon"), a ``kind``
(person, place, organisation, periodical), a preferred ``name``, ``variants``, external ``ids``
(wikidata, viaf, gnd, geonames, pmb …), ``dates`` and, for places, ``coordinates``. The demo
archive ships a curated one (``prinkipo/demo/authority.json``), each fact with its source.

Registers are read from TEI (:func:`read_register`: ``listPerson``, ``listPlace``, ``listOrg`` as
the Escher and Schnitzler editions publish them, decimal-comma coordinates included) and from the
``@ref``/``@key`` of ``persName``/``placeName``/``orgName``/``rs`` in TEI letters and CMIF files
(:func:`read_tei_refs`). :meth:`Authority.merge` joins authorities: an entry that shares an
external id with one already known becomes an alias of it, never a second entity.

Names are compared in a folded form (:func:`fold`): case, diacritics, punctuation and spacing do
not matter, so "L. Trotsky", "l trotsky" and "L.Trotsky" meet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

KINDS = ("person", "place", "organisation", "periodical")

#: external id schemes that identify the same thing across authorities
SAME_AS_SCHEMES = ("wikidata", "gnd", "viaf", "geonames", "pmb")
#: ids that do not identify (links to articles about the thing)
_NOT_SAME_AS = ("wikipedia", "uri", "hls")


#: letters with a stroke, which Unicode does not decompose: "Krøyer" is "Kröyer" is "Kroyer"
_STROKES = dict(zip("øØłŁđĐıħĦŧŦ", "oollddihhtt", strict=True))


class _FoldTable(dict[int, str]):
    """``str.translate`` table: each character to exactly one folded character (length kept)."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in _STROKES:
            out = _STROKES[c]
        elif not (c.isalnum() or unicodedata.category(c) == "Mn"):
            out = " "
        else:
            base = "".join(
                x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)
            )
            low = base.lower() if base else c.lower()
            out = low if len(low) == 1 else (c.lower() if len(c.lower()) == 1 else c)
        self[code] = out
        return out


#: the one folding table, shared by names and texts so both sides fold alike
FOLD_TABLE = _FoldTable()
_FAST_FOLD: dict[int, str] = {}
_FAST_LIMIT = "\u3000"


def fold_chars(text: str) -> str:
    """``text`` folded character by character (same length): what :func:`fold` does before it
    drops punctuation and spacing. A plain table for the common scripts is built on first use
    (``str.translate`` is faster with a plain dict than with one that fills itself)."""
    if not _FAST_FOLD:
        _FAST_FOLD.update((i, FOLD_TABLE[i]) for i in range(ord(_FAST_LIMIT)))
    if text.isascii() or _ASTRAL.search(text) is None:
        return text.translate(_FAST_FOLD)
    return text.translate(FOLD_TABLE)


_ASTRAL = re.compile(f"[{_FAST_LIMIT}-\U0010ffff]")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """A name folded for comparison: no case, no diacritics, no punctuation, single spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    return " ".join(_WORD.findall(fold_chars(name)))


@dataclass(frozen=True, slots=True)
class AuthorityEntry:
    key: str
    kind: str
    name: str
    variants: tuple[str, ...] = ()
    ids: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    coordinates: tuple[float, float] | None = None
    note: str | None = None
    #: where the entry comes from: "builtin", a register file, "tei-ref", "candidate"
    origin: str = "builtin"
    #: other keys that name this same entry (merged registers, human merges)
    aliases: tuple[str, ...] = ()
    #: the register's own classification: a place's type ("area", "water", a GeoNames feature
    #: code such as "P.PPL"), a person's role in the edition ("correspondent", "mentioned")
    subtype: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "variants": list(self.variants),
            "ids": dict(self.ids),
            "dates": dict(self.dates),
            "coordinates": list(self.coordinates) if self.coordinates else None,
            "note": self.note,
            "origin": self.origin,
            "aliases": list(self.aliases),
        }
        if self.subtype is not None:
            out["subtype"] = self.subtype
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AuthorityEntry:
        coords = d.get("coordinates")
        return cls(
            key=d["key"],
            kind=d["kind"],
            name=d["name"],
            variants=tuple(d.get("variants") or ()),
            ids=dict(d.get("ids") or {}),
            dates=dict(d.get("dates") or {}),
            coordinates=(float(coords[0]), float(coords[1])) if coords else None,
            note=d.get("note"),
            origin=d.get("origin") or "builtin",
            aliases=tuple(d.get("aliases") or ()),
            subtype=d.get("subtype"),
        )


def _union(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    out = list(dict.fromkeys(a))
    out += [x for x in dict.fromkeys(b) if x not in out]
    return tuple(out)


def combine(keep: AuthorityEntry, other: AuthorityEntry) -> AuthorityEntry:
    """``keep`` with ``other``'s names, ids, dates and key folded in (``keep`` wins conflicts)."""
    names = [n for n in other.names if n != keep.name]
    aliases = _union(keep.aliases, [other.key, *other.aliases]) if other.key != keep.key else ()
    return replace(
        keep,
        variants=_union(keep.variants, names),
        ids={**other.ids, **keep.ids},
        dates={**other.dates, **keep.dates},
        coordinates=keep.coordinates or other.coordinates,
        note=keep.note or other.note,
        aliases=aliases or keep.aliases,
        subtype=keep.subtype or other.subtype,
    )


class Authority:
    """A set of entries with a folded-name index, an external-id index and key aliases."""

    def __init__(self, entries: Iterable[AuthorityEntry] = ()) -> None:
        self.entries: dict[str, AuthorityEntry] = {}
        self._alias: dict[str, str] = {}
        self._by_id: dict[tuple[str, str], str] = {}
        self._by_name: dict[str, list[str]] | None = None
        for e in entries:
            self.add(e)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[AuthorityEntry]:
        return iter(self.entries.values())

    def add(self, entry: AuthorityEntry) -> str:
        """Add or merge an entry; returns the key it is known by (an earlier same-as wins)."""
        self._by_name = None
        self.__dict__.pop("_linker", None)
        target = self.resolve(entry.key)
        if target is None:
            target = next(
                (
                    k
                    for s, v in entry.ids.items()
                    if s not in _NOT_SAME_AS and (k := self._by_id.get((s, v))) is not None
                ),
                None,
            )
        if target is not None and self.entries[target].kind == entry.kind:
            merged = combine(self.entries[target], entry)
        else:
            target, merged = entry.key, entry
        self.entries[target] = merged
        for alias in (entry.key, *entry.aliases):
            if alias != target:
                self._alias[alias] = target
        for scheme, value in merged.ids.items():
            self._by_id.setdefault((scheme, value), target)
        return target

    def merge(self, other: Authority) -> Authority:
        """Fold every entry of ``other`` into this authority (in place); returns self."""
        for e in other:
            self.add(e)
        return self

    def resolve(self, key: str) -> str | None:
        """The key an entry is kept under, following aliases; None when unknown."""
        seen = 0
        while key not in self.entries:
            nxt = self._alias.get(key)
            if nxt is None or seen > 32:
                return None
            key, seen = nxt, seen + 1
        return key

    def get(self, key: str) -> AuthorityEntry | None:
        k = self.resolve(key)
        return self.entries[k] if k else None

    def by_id(self, scheme: str, value: str) -> AuthorityEntry | None:
        k = self._by_id.get((scheme, value))
        return self.entries[k] if k else None

    def remove(self, key: str) -> None:
        """Drop an entry (its aliases go with it)."""
        self._by_name = None
        self.__dict__.pop("_linker", None)
        self.entries.pop(key, None)
        self._alias = {a: t for a, t in self._alias.items() if t != key}
        self._by_id = {i: t for i, t in self._by_id.items() if t != key}

    def alias(self, old: str, new: str) -> None:
        """Make ``old`` another name for the entry kept under ``new``."""
        self._alias[old] = new

    def name_index(self) -> dict[str, list[str]]:
        """Folded name → keys of the entries that carry it."""
        if self._by_name is None:
            index: dict[str, list[str]] = {}
            for e in self.entries.values():
                for name in e.names:
                    keys = index.setdefault(fold(name), [])
                    if e.key not in keys:
                        keys.append(e.key)
            self._by_name = index
        return self._by_name

    def lookup(self, name: str, kind: str | None = None) -> list[AuthorityEntry]:
        """Entries whose name or a variant folds to the same form as ``name``."""
        found = [self.entries[k] for k in self.name_index().get(fold(name), [])]
        return [e for e in found if kind is None or e.kind == kind]

    def dedupe_places(self, degrees: float = 0.25) -> int:
        """Merge places that share a name and lie within ``degrees`` of each other (Zürich in
        two registers, Petrograd and St. Petersburg); the earlier entry keeps its key, the later
        one's becomes an alias. Returns how many were merged."""
        seen: dict[str, list[str]] = {}
        merged = 0
        for e in list(self.entries.values()):
            if e.kind != "place" or e.coordinates is None or e.key not in self.entries:
                continue
            target = None
            for n in e.names:
                for k in seen.get(fold(n), []):
                    t = self.resolve(k)
                    if (
                        t
                        and t != e.key
                        and _near(self.entries[t].coordinates, e.coordinates, degrees)
                    ):
                        target = t
                        break
                if target:
                    break
            if target is None:
                for n in e.names:
                    seen.setdefault(fold(n), []).append(e.key)
                continue
            self._fold_into(target, e)
            for n in e.names:
                seen.setdefault(fold(n), []).append(target)
            merged += 1
        merged += self._adopt_coordinates()
        return merged

    def _fold_into(self, target: str, e: AuthorityEntry) -> None:
        """Merge entry ``e`` into ``target``: names, ids and its key go over."""
        self.entries[target] = combine(self.entries[target], e)
        self.remove(e.key)
        self.alias(e.key, target)
        for scheme, value in e.ids.items():
            self._by_id[(scheme, value)] = target

    def _adopt_coordinates(self) -> int:
        """A place without coordinates and the one place of that name that has them are one
        (the curated "Lima" and the register's Lima, Peru); the first entry keeps its key."""
        located: dict[str, list[str]] = {}
        for e in self.entries.values():
            if e.kind == "place" and e.coordinates is not None:
                located.setdefault(fold(e.name), []).append(e.key)
        merged = 0
        for e in list(self.entries.values()):
            if e.kind != "place" or e.coordinates is not None or e.key not in self.entries:
                continue
            keys = [k for k in located.get(fold(e.name), []) if k in self.entries]
            if len(keys) != 1:
                continue
            other = self.entries[keys[0]]
            self.entries[e.key] = combine(e, other)
            self.remove(other.key)
            self.alias(other.key, e.key)
            for scheme, value in other.ids.items():
                self._by_id[(scheme, value)] = e.key
            located[fold(e.name)] = [e.key]
            merged += 1
        return merged

    def copy(self) -> Authority:
        new = Authority()
        new.entries = dict(self.entries)
        new._alias = dict(self._alias)
        new._by_id = dict(self._by_id)
        return new

    def to_json(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entries.values()]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> Authority:
        return cls(AuthorityEntry.from_dict(d) for d in data)

    @classmethod
    def load(cls, path: str | Path) -> Authority:
        """An authority from a JSON file (a list of entries, or ``{"entries": [...]}``)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_json(data["entries"] if isinstance(data, dict) else data)


def _near(a: tuple[float, float] | None, b: tuple[float, float] | None, degrees: float) -> bool:
    return a is not None and b is not None and abs(a[0] - b[0]) + abs(a[1] - b[1]) <= degrees


def demo_authority() -> Authority:
    """The curated authority shipped with the demo archive."""
    text = resources.files("prinkipo.demo").joinpath("authority.json").read_text(encoding="utf-8")
    return Authority.from_json(json.loads(text)["entries"])


# -- TEI registers -------------------------------------------------------------------------------

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
    "remove_comments": True,
}
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_ELEMENT_KIND = {"person": "person", "place": "place", "org": "organisation"}
_NAME_ELEMENT = {"person": "persName", "place": "placeName", "org": "orgName"}
#: placeName/persName types that are not names of the thing (annotations, sort keys)
_NOT_A_NAME = {"add", "none", "sort", "reg-sort"}
_PMB = re.compile(r"(?:^#?|/entity/)pmb?(\d+)/?$|pmb\.acdh\.oeaw\.ac\.at/entity/(\d+)")


_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: etree._Element, skip: tuple[str, ...] = ("add",)) -> str:
    """The element's text without the named children (e.g. Escher's ``<add>`` remarks)."""
    parts = [el.text or ""]
    for child in el:
        if _local(child.tag) not in skip:
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c.tag) == name]


def parse_xml(path: str | Path) -> etree._Element:
    """Parse an XML file safely (no entities, no network, no DTD)."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    return etree.parse(str(path), parser).getroot()


def parse_geo(text: str) -> tuple[float, float] | None:
    """Latitude and longitude from a TEI ``<geo>`` ("48,2 16,37" with decimal commas too)."""
    t = text.strip()
    parts = t.split()
    if len(parts) != 2 and t.count(",") == 1 and " " not in t:
        parts = t.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = (float(p.replace(",", ".")) for p in parts)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return (round(lat, 6), round(lon, 6))


def _person_names(el: etree._Element) -> tuple[str | None, list[str]]:
    main: str | None = None
    variants: list[str] = []
    for pn in _children(el, "persName"):
        if pn.get("type") in _NOT_A_NAME:
            continue
        forename = " ".join(_text(f) for f in _children(pn, "forename"))
        surname = " ".join(_text(s) for s in _children(pn, "surname"))
        if forename or surname:
            full = f"{forename} {surname}".strip()
            names = [full, surname, f"{surname}, {forename}" if forename and surname else ""]
            names += person_name_forms(forename, surname)
        else:
            full = _text(pn)
            names = [full]
            if "," in full:
                sur, fore = (x.strip() for x in full.split(",", 1))
                names += [f"{fore} {sur}".strip(), sur]
        if not full:
            continue
        if main is None:
            main = full
        variants += [n for n in names if n]
    return main, variants


def person_name_forms(forename: str, surname: str) -> list[str]:
    """Initialled forms of a name: "L. Trotsky", "L. D. Trotsky", "Trotsky, L."."""
    if not forename or not surname:
        return []
    initials = [w[0] + "." for w in re.split(r"[\s-]+", forename) if w and w[0].isalpha()]
    if not initials:
        return []
    forms = [
        f"{initials[0]} {surname}",
        f"{' '.join(initials)} {surname}",
        f"{surname}, {' '.join(initials)}",
    ]
    first = forename.split()[0]
    if first != forename and len(first) > 2:
        forms.append(f"{first} {surname}")  # "Bernhard Philippi" for Bernhard Eunom Philippi
    return forms


def _register_entry(el: etree._Element, source: str) -> AuthorityEntry | None:
    tag = _local(el.tag)
    kind = _ELEMENT_KIND[tag]
    xml_id = el.get(_XML_ID) or el.get("n")
    if not xml_id:
        return None
    ids: dict[str, str] = {}
    m = _PMB.search(xml_id)
    key = f"{kind}:pmb:{m.group(1) or m.group(2)}" if m else f"{kind}:{source}:{xml_id}"
    if m:
        ids["pmb"] = m.group(1) or m.group(2)
    if el.get("n") and not m:
        ids[source] = el.get("n", "")
    if tag == "person":
        main, variants = _person_names(el)
    else:
        names = [
            (_text(pn), pn.get("type"))
            for pn in _children(el, _NAME_ELEMENT[tag])
            if pn.get("type") not in _NOT_A_NAME
        ]
        names = [(n, t) for n, t in names if n]
        main = names[0][0] if names else None
        variants = [n for n, _ in names[1:]]
        bare = _PARENTHESIS.sub("", main) if main else None
        if main and bare and bare != main:  # "Paris (F)": the name is Paris, (F) a remark
            variants, main = [main, *variants], bare
    if not main:
        return None
    for idno in _children(el, "idno"):
        scheme = (idno.get("subtype") or idno.get("type") or "").lower()
        value = (idno.text or "").strip()
        if value and scheme in ("gnd", "wikidata", "geonames", "viaf", "pmb", "wikipedia", "uri"):
            ids.setdefault(scheme, _id_value(scheme, value))
    dates: dict[str, str] = {}
    for role in ("birth", "death", "floruit"):
        for d in _children(el, role):
            when = next((x.get("when") for x in d.iter() if x.get("when")), None)
            text = when or _text(d)
            if text:
                dates.setdefault(role, text)
    coords = None
    for loc in _children(el, "location"):
        if loc.get("type") in (None, "coords"):
            for geo in _children(loc, "geo"):
                coords = coords or parse_geo(geo.text or "")
    subtype = el.get("type") or next(
        (_text(d) for d in _children(el, "desc") if d.get("type") == "entity_type"), None
    )
    if kind == "place" and subtype == "mountain" and _SAINT.match(main):
        # "St. Gotthard": the pass is "der Gotthard" in letters
        variants.append(_SAINT.sub("", main))
    if kind == "place" and subtype == "mountain" and re.fullmatch(r"\w{3,}pass", main):
        variants.append(main[:-4])  # "Stosspass": "über den Stoss"
    bio = next((_text(n) for n in _children(el, "note") if n.get("type") == "bio"), None)
    return AuthorityEntry(
        key=key,
        kind=kind,
        name=main,
        variants=tuple(v for v in dict.fromkeys(variants) if v != main),
        ids=ids,
        dates=dates,
        coordinates=coords,
        note=bio or None,
        origin=source,
        subtype=subtype or None,
    )


_SAINT = re.compile(r"^(?:St|Sankt|San|Santa|Saint)\.?\s+(?=\w{4})")


def _id_value(scheme: str, value: str) -> str:
    """The bare id from a URL: "https://d-nb.info/gnd/118577166" → "118577166"."""
    if scheme in ("gnd", "wikidata", "geonames", "viaf", "pmb"):
        return value.rstrip("/").rsplit("/", 1)[-1]
    return value


def read_register(path: str | Path, source: str | None = None) -> Authority:
    """Entries from a TEI ``listPerson``/``listPlace``/``listOrg`` (anywhere in the file).

    ``source`` names the register in keys ("escher" → ``person:escher:Locher-Friedrich``);
    PMB ids (``pmb123``) are kept as ``place:pmb:123`` whatever the file. Nested places (a
    birth place inside a person) are not entries of their own.
    """
    return read_register_tree(parse_xml(path), source or register_source(path))


def register_source(path: str | Path) -> str:
    """A short register name from a path: ".../escher/data/people/people.xml" → "escher"."""
    parts = [p.lower() for p in Path(path).parts]
    for name in ("escher", "schnitzler", "tillich", "spener"):
        if any(name in p for p in parts):
            return name
    return Path(path).stem.lower()


_REF_ELEMENTS = {
    "persName": "person",
    "placeName": "place",
    "orgName": "organisation",
    "settlement": "place",
}
_RS_TYPES = {"person": "person", "place": "place", "org": "organisation"}


def ref_key(kind: str, ref: str, source: str) -> str:
    """A stable entity key from a TEI/CMIF ``@ref``: PMB, GND, VIAF, Wikidata, GeoNames, local."""
    r = ref.strip().split()[0]
    m = _PMB.search(r)
    if m:
        return f"{kind}:pmb:{m.group(1) or m.group(2)}"
    for scheme, marker in (
        ("gnd", "d-nb.info/gnd/"),
        ("viaf", "viaf.org/viaf/"),
        ("wikidata", "wikidata.org/"),
        ("geonames", "geonames.org/"),
    ):
        if marker in r:
            value = r.split(marker, 1)[1].strip("/").split("/")[-1 if scheme == "wikidata" else 0]
            return f"{kind}:{scheme}:{value}"
    return f"{kind}:{source}:{r.lstrip('#')}"


def read_tei_refs(path: str | Path, source: str | None = None) -> Authority:
    """Entities named with an ``@ref`` (or Escher's ``@key``) in a TEI letter or a CMIF file.

    Each ``persName``/``placeName``/``orgName``/``rs`` with a reference in the header (a letter's
    ``correspDesc``, a CMIF file's) gives an entry keyed by it (:func:`ref_key`) named as written
    there; registers embedded in the file (a letter's ``listPerson``) are read with their dates
    and coordinates. References in the body are mentions, not authority data: they are left to
    recognition (and serve as gold in ``bench/entities.py``).
    """
    src = source or register_source(path)
    root = parse_xml(path)
    out = read_register_tree(root, src)
    header = next((el for el in root.iter() if _local(el.tag) == "teiHeader"), root)
    for el in header.iter():
        tag = _local(el.tag)
        kind = _RS_TYPES.get(el.get("type") or "") if tag == "rs" else _REF_ELEMENTS.get(tag)
        if kind is None:
            continue
        parent = el.getparent()
        if parent is not None and _local(parent.tag) in ("person", "place", "org"):
            continue  # a register's own name, read above
        ref = el.get("ref") or el.get("key")
        text = _text(el, skip=("add", "note"))
        if not ref or not text or len(text) > 120:
            continue
        key = ref_key(kind, ref, src) if el.get("ref") else f"{kind}:{src}-key:{ref}"
        names = [text]
        if "," in text and kind == "person":
            sur, fore = (x.strip() for x in text.split(",", 1))
            names = [f"{fore} {sur}".strip(), text, sur]
        scheme, value = key.split(":", 2)[1:]
        ids = {src if scheme == f"{src}-key" else scheme: value}
        out.add(
            AuthorityEntry(
                key=key,
                kind=kind,
                name=names[0],
                variants=tuple(names[1:]),
                ids=ids,
                origin="tei-ref",
            )
        )
    return out


def read_register_tree(root: etree._Element, source: str) -> Authority:
    out = Authority()
    for el in root.iter():
        tag = _local(el.tag)
        parent = el.getparent()
        if (
            tag in _ELEMENT_KIND
            and parent is not None
            and _local(parent.tag) in ("listPerson", "listPlace", "listOrg")
        ):
            entry = _register_entry(el, source)
            if entry is not None:
                out.add(entry)
    return out
