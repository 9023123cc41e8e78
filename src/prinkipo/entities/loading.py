"""Loading authority files into an archive: JSON authorities, TEI registers, TEI letters, CMIF."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from prinkipo.entities.authority import Authority, read_tei_refs
from prinkipo.store import Store


def read_authority_file(path: Path) -> Authority:
    """The entries in one file: a JSON authority, or any TEI/CMIF file (registers and refs)."""
    if path.suffix.lower() == ".json":
        return Authority.load(path)
    return read_tei_refs(path)


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.suffix.lower() in (".xml", ".json") and f.is_file()
            )
        else:
            yield p


def load_paths(store: Store, paths: Iterable[Path]) -> dict[str, Any]:
    """Merge every file's entries into the archive's authority; a bad file is reported, not fatal.

    Same-as is decided by shared external ids (GND, Wikidata, VIAF, GeoNames, PMB) and, for
    places, by the same name within about 25 km (:meth:`Authority.dedupe_places`).
    """
    authority = Authority.from_json(store.authority_rows())
    report: dict[str, Any] = {"files": [], "failed": []}
    for f in _files(paths):
        try:
            found = read_authority_file(f)
        except (OSError, ValueError, KeyError, TypeError, etree.XMLSyntaxError) as err:
            report["failed"].append({"path": str(f), "error": f"{type(err).__name__}: {err}"})
            continue
        authority.merge(found)
        report["files"].append({"path": str(f), "entries": len(found)})
    authority.dedupe_places()
    store.load_authority(authority)
    store.retire_entities([(alias, e.key) for e in authority for alias in e.aliases])
    report["total"] = len(authority)
    return report
