"""The authority file: who and what the archive knows, with every spelling it has seen.

An authority entry is plain data (JSON): a stable ``key`` ("person:trotsky-leon"), a ``kind``
(person, place, organisation, periodical), a preferred ``name``, ``variants``, external ``ids``
(wikidata, viaf, gnd, geonames), ``dates`` and, for places, ``coordinates``. The demo archive ships
a curated one (``prinkipo/demo/authority.json``), each fact with its source.

Names are compared in a folded form (:func:`fold`): case, diacritics, punctuation and spacing do
not matter, so "L. Trotsky", "l trotsky" and "L.Trotsky" meet.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


def fold(name: str) -> str:
    """A name folded for comparison: no case, no diacritics, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", stripped.casefold()).strip()


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "name": self.name,
            "variants": list(self.variants),
            "ids": dict(self.ids),
            "dates": dict(self.dates),
            "coordinates": list(self.coordinates) if self.coordinates else None,
            "note": self.note,
        }


class Authority:
    """A set of entries with a folded-name index."""

    def __init__(self, entries: list[AuthorityEntry]) -> None:
        self.entries = {e.key: e for e in entries}
        self._by_name: dict[str, list[str]] = {}
        for e in entries:
            for name in (e.name, *e.variants):
                keys = self._by_name.setdefault(fold(name), [])
                if e.key not in keys:
                    keys.append(e.key)

    def lookup(self, name: str, kind: str | None = None) -> list[AuthorityEntry]:
        """Entries whose name or a variant folds to the same form as ``name``."""
        found = [self.entries[k] for k in self._by_name.get(fold(name), [])]
        return [e for e in found if kind is None or e.kind == kind]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> Authority:
        return cls(
            [
                AuthorityEntry(
                    key=d["key"],
                    kind=d["kind"],
                    name=d["name"],
                    variants=tuple(d.get("variants", ())),
                    ids=dict(d.get("ids", {})),
                    dates=dict(d.get("dates", {})),
                    coordinates=tuple(d["coordinates"]) if d.get("coordinates") else None,
                    note=d.get("note"),
                )
                for d in data
            ]
        )

    @classmethod
    def load(cls, path: str | Path) -> Authority:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def demo_authority() -> Authority:
    """The curated authority shipped with the demo archive."""
    text = resources.files("prinkipo.demo").joinpath("authority.json").read_text(encoding="utf-8")
    return Authority.from_json(json.loads(text)["entries"])
