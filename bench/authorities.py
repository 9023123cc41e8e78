"""The authority the entity benchmarks link with: what `prinkipo entities load` would build.

The demo authority, the three registers in ../shared/corpus/authority (Escher people and places,
Schnitzler places), and the registers embedded in the Schnitzler letters (each letter's
listPerson/listPlace/listOrg), with same-as by external id and nearby places of one name merged.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from prinkipo.entities.authority import Authority, demo_authority, read_register, read_tei_refs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@lru_cache(maxsize=1)
def bench_authority() -> Authority:
    authority = demo_authority()
    for path in (
        "authority/escher/data/people/people.xml",
        "authority/escher/data/places/places.xml",
        "authority/schnitzler-briefe/data/indices/listplace.xml",
    ):
        authority.merge(read_register(CORPUS / path))
    for f in sorted((CORPUS / "tei/schnitzler-briefe/data/editions").glob("*.xml")):
        authority.merge(read_tei_refs(f, "schnitzler"))
    authority.dedupe_places()
    return authority


if __name__ == "__main__":
    from collections import Counter

    a = bench_authority()
    print(len(a), Counter(e.kind for e in a))
