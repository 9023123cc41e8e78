"""Human corrections to entities are data: stored apart, and they hold after a re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from prinkipo.entities.corrections import BadCorrection, record
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store

SEED = "seed/000_4114f29613fc0492.txt"


def _keys(store: Store, text: str) -> list[str | None]:
    return [m["entity_key"] for m in document_object(store, 1)["mentions"] if m["text"] == text]


def _touch(seed_dir: Path) -> None:
    """Change the file so the next ingest re-reads it (a new closing line)."""
    f = next(seed_dir.iterdir())
    f.write_bytes(f.read_bytes() + b"\n(Transcribed again.)\n")


def test_corrections_hold_after_reingest(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    assert _keys(store, "October Revolution") == ["candidate:unknown:october-revolution"]

    record(store, "relink", {"path": SEED, "text": "Stalin", "paragraph": 3, "offset": 0,
                             "to": None}, author="editor")  # fmt: skip
    record(store, "merge", {"keep": "person:blumkin-yakov", "drop": "person:trilisser-meer"})
    record(store, "variant", {"key": "person:kornilov-lavr", "name": "Tseretelli"})
    record(store, "split", {"key": "organisation:gpu", "new_key": "organisation:ogpu",
                            "name": "G.P.U.", "variants": []})  # fmt: skip
    record(store, "merge", {"keep": "place:moscow", "drop": "candidate:unknown:october-revolution"})

    def check() -> None:
        assert _keys(store, "Stalin") == [
            "person:stalin-joseph",
            None,
            "person:stalin-joseph",
        ]  # only the mention in paragraph 3 was unlinked
        assert set(_keys(store, "Trilisser")) == {"person:blumkin-yakov"}
        assert _keys(store, "G.P.U.") == ["organisation:ogpu"]
        assert _keys(store, "October Revolution") == ["place:moscow"]

    check()
    assert store.entity("person:trilisser-meer")["merged_into"] == "person:blumkin-yakov"

    _touch(seed_dir)
    report = ingest(store, [seed_dir])
    assert report.updated == 1
    check()
    # the variant is used from the next ingest on: "Tseretelli" now names Kornilov too, so the
    # spelling is shared by two entries and the document's context cannot decide
    tser = next(m for m in document_object(store, 1)["mentions"] if m["text"] == "Tseretelli")
    assert set(tser["candidates"]) == {"person:tsereteli-irakli", "person:kornilov-lavr"}
    methods = {m["method"] for m in document_object(store, 1)["mentions"]}
    assert "human-relink" in methods
    assert len(store.entity_corrections()) == 5


@pytest.mark.parametrize(
    ("op", "data", "message"),
    [
        ("merge", {"keep": "person:nobody", "drop": "person:stalin-joseph"}, "no entity"),
        ("merge", {"keep": "person:stalin-joseph"}, "needs drop"),
        ("merge", {"keep": "person:stalin-joseph", "drop": "person:stalin-joseph"}, "already"),
        ("relink", {"path": SEED, "text": "Nobody", "to": None}, "no mention"),
        ("split", {"key": "place:moscow", "new_key": "place:moscow", "name": "M"}, "taken"),
        ("rename", {}, "unknown correction"),
    ],
)
def test_bad_corrections_are_refused(
    store: Store, seed_dir: Path, op: str, data: dict, message: str
) -> None:
    ingest(store, [seed_dir])
    with pytest.raises(BadCorrection, match=message):
        record(store, op, data)
    assert store.entity_corrections() == []
