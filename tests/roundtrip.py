"""What a round trip must keep of each letter: senders, recipients, places, dates, URIs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from prinkipo.export.cmif import authority_uris
from prinkipo.letters import w3c_attrs
from prinkipo.model import LetterDate, Party
from prinkipo.store import Store
from prinkipo.store.letters import letter_from_row

Key = tuple[Any, ...]


def letter_keys(store: Store, absolute_only: bool) -> Counter[Key]:
    """Every letter as (senders, recipients, sent place, received place, sent, received date).

    A name is (name, authority URIs): the refs the source gave (only absolute ones when
    ``absolute_only``, as CMIF keeps) and the archive authority's.
    """
    rows = store.letter_rows()
    keys = [p["entity_key"] for r in rows for p in r["parties"] if p["entity_key"]]
    ids = store.authority_ids(keys)

    def party(p: Party | None) -> Key | None:
        if p is None:
            return None
        uris = authority_uris(p, ids)
        refs = uris if absolute_only else list(dict.fromkeys([*p.refs, *uris]))
        return (p.name, tuple(refs))

    def date(d: LetterDate | None) -> Key:
        return tuple(sorted(w3c_attrs(d).items())) if d else ()

    out: Counter[Key] = Counter()
    for r in rows:
        x = letter_from_row(r)
        out[
            (
                tuple(party(p) for p in x.senders),
                tuple(party(p) for p in x.recipients),
                party(x.sent_place),
                party(x.received_place),
                date(x.sent_date),
                date(x.received_date),
            )
        ] += 1
    return out
