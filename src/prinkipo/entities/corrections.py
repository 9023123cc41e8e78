"""Human corrections to entities: data stored apart, re-applied after every ingest.

Four kinds, each a small JSON object keyed by stable identities (entity keys, the archive path of
a file and the text and place of a mention), never by row ids that a re-ingest changes:

``{"op": "merge", "keep": KEY, "drop": KEY}``
    two entries are one: the dropped one's names and ids join the kept one, its key becomes an
    alias, its mentions move.
``{"op": "split", "key": KEY, "new_key": KEY, "name": NAME, "variants": [NAME, ...]}``
    some spellings of an entry name someone else: they move to a new entry of the same kind.
``{"op": "relink", "path": PATH, "text": TEXT, "paragraph": N, "field": F, "offset": N, "to": KEY}``
    one mention stands for another entity (``"to": null``: for none).
``{"op": "variant", "key": KEY, "name": NAME}``
    another spelling of an entry.

The ingest applies them in order: merges, splits and variants to the authority before linking,
relinks to the mentions of the file they name. :func:`record` stores one and applies it to the
mentions already in the archive at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from prinkipo.entities.authority import Authority, AuthorityEntry, combine, demo_authority, fold
from prinkipo.errors import PrinkipoError
from prinkipo.model import Mention
from prinkipo.store import Store

OPS = ("merge", "split", "relink", "variant")
_REQUIRED = {
    "merge": ("keep", "drop"),
    "split": ("key", "new_key", "name"),
    "relink": ("path", "text", "to"),
    "variant": ("key", "name"),
}


class BadCorrection(PrinkipoError):
    """A correction that cannot be applied as given."""


def validate(op: str, data: dict[str, Any], authority: Authority) -> None:
    """Refuse a correction that names an unknown entity or lacks a field."""
    if op not in OPS:
        raise BadCorrection(f"unknown correction {op!r}; choose one of: {', '.join(OPS)}")
    missing = [f for f in _REQUIRED[op] if f not in data]
    if missing:
        raise BadCorrection(f"{op} needs {', '.join(missing)}")
    for field in ("keep", "drop", "key"):
        if field == "drop" and str(data.get("drop", "")).startswith("candidate:"):
            continue
        if field in data and authority.resolve(data[field]) is None:
            raise BadCorrection(f"{op}: no entity with key {data[field]!r}")
    if op == "merge" and authority.resolve(data["keep"]) == authority.resolve(data["drop"]):
        raise BadCorrection(f"merge: {data['keep']} and {data['drop']} are already one entity")
    if op == "split" and authority.get(data["new_key"]) is not None:
        raise BadCorrection(f"split: key {data['new_key']!r} is taken")
    to = data.get("to")
    known = to is None or str(to).startswith("candidate:") or authority.resolve(to) is not None
    if op == "relink" and not known:
        raise BadCorrection(f"relink: no entity with key {to!r}")


def apply_to_authority(authority: Authority, corrections: list[dict[str, Any]]) -> Authority:
    """A copy of ``authority`` with every merge, split and variant applied, in order."""
    out = authority.copy()
    for c in corrections:
        op = c["op"]
        if op == "variant":
            key = out.resolve(c["key"])
            if key is not None:
                e = out.entries[key]
                if c["name"] not in e.names:
                    out.entries[key] = replace(e, variants=(*e.variants, c["name"]))
        elif op == "merge":
            keep, drop = out.resolve(c["keep"]), out.resolve(c["drop"])
            if keep is not None and drop is None and c["drop"].startswith("candidate:"):
                out.alias(c["drop"], keep)  # a name nobody knew is this entry
                continue
            if keep is None or drop is None or keep == drop:
                continue
            merged = combine(out.entries[keep], out.entries[drop])
            out.remove(drop)
            out.entries[keep] = merged
            out.alias(drop, keep)
        elif op == "split":
            key = out.resolve(c["key"])
            if key is None or out.get(c["new_key"]) is not None:
                continue
            old = out.entries[key]
            moved = {fold(c["name"]), *(fold(v) for v in c.get("variants", []))}
            out.entries[key] = replace(
                old, variants=tuple(v for v in old.variants if fold(v) not in moved)
            )
            out.add(
                AuthorityEntry(
                    key=c["new_key"],
                    kind=c.get("kind") or old.kind,
                    name=c["name"],
                    variants=tuple(c.get("variants", [])),
                    origin="correction",
                )
            )
    out.__dict__["corrections"] = [c for c in corrections if c["op"] == "relink"]
    return out


def apply_relinks(
    path: str, mentions: list[Mention], relinks: list[dict[str, Any]]
) -> list[Mention]:
    """The mentions of the file at ``path`` with its relink corrections applied."""
    mine = [r for r in relinks if r["path"] == path]
    if not mine:
        return mentions
    out = list(mentions)
    for r in mine:
        i = _find(out, r)
        if i is not None:
            out[i] = out[i]._replace(
                entity_key=r["to"], method="human-relink", confidence=1.0, candidates=()
            )
    return out


def _find(mentions: list[Mention], r: dict[str, Any]) -> int | None:
    """The mention a relink names: same text in the same passage, nearest to its offset."""
    same = [
        (abs(m.passage_start - int(r.get("offset") or 0)), i)
        for i, m in enumerate(mentions)
        if m.text == r["text"]
        and m.paragraph == r.get("paragraph")
        and (r.get("paragraph") is not None or m.field == r.get("field"))
    ]
    return min(same)[1] if same else None


def archive_authority(store: Store, base: Authority | None = None) -> Authority:
    """The authority an ingest links with: ``base`` (the demo one), what the archive holds
    (registers loaded with ``prinkipo entities load``), then every correction."""
    base = base or demo_authority()
    store.load_authority(base)
    authority = Authority.from_json(store.authority_rows())
    authority.dedupe_places()  # the demo's Zurich and a register's Zürich are one place
    corrected = apply_to_authority(authority, store.entity_corrections())
    store.load_authority(corrected)
    store.retire_entities([(alias, e.key) for e in corrected for alias in e.aliases])
    return corrected


def record(store: Store, op: str, data: dict[str, Any], author: str | None = None) -> int:
    """Store a correction and apply it to the archive's mentions now; returns its id."""
    authority = Authority.from_json(store.authority_rows())
    authority = apply_to_authority(authority, store.entity_corrections())
    validate(op, data, authority)
    with store.transaction():
        cid = store.add_entity_correction(op, data, author)
        if op == "merge":
            keep = authority.resolve(data["keep"])
            drop = authority.resolve(data["drop"]) or data["drop"]
            assert keep
            store.relink_mentions(drop, keep)
            store.retire_entity(drop, keep)
        elif op == "split":
            key = authority.resolve(data["key"])
            moved = {fold(data["name"]), *(fold(v) for v in data.get("variants", []))}
            store.set_mention_entities(
                [
                    (mid, data["new_key"], "human-split")
                    for mid, text in store.mention_texts(key or data["key"])
                    if fold(text) in moved
                ]
            )
        elif op == "relink":
            rows = store.mentions_in_path(data["path"])
            mentions = [_row_mention(r) for r in rows]
            i = _find(mentions, data)
            if i is None:
                raise BadCorrection(
                    f"relink: no mention {data['text']!r} in {data['path']}"
                    + (f" paragraph {data['paragraph']}" if data.get("paragraph") else "")
                )
            store.set_mention_entities([(rows[i]["id"], data["to"], "human-relink")])
    corrected = apply_to_authority(
        Authority.from_json(store.authority_rows()), store.entity_corrections()
    )
    store.load_authority(corrected)
    return cid


def _row_mention(r: dict[str, Any]) -> Mention:
    return Mention(
        text=r["text"],
        kind=r["kind"],
        entity_key=r["entity_key"],
        method=r["method"],
        confidence=r["confidence"],
        start=r["start"],
        end=r["end"],
        paragraph=r["paragraph"],
        field=r["field"],
        passage_start=r["passage_start"],
        passage_end=r["passage_end"],
    )
