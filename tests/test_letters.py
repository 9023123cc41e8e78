"""Letters: the seed's letter and the letter it mentions, W3C dates, the store, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from prinkipo.cli import cli
from prinkipo.ingestion import ingest
from prinkipo.letters import letter_date, w3c_attrs
from prinkipo.objects import document_object
from prinkipo.store import Store
from tests.conftest import SEED_FILE


def _seed_letters(store: Store, seed_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    ingest(store, [seed_dir])
    doc = document_object(store, store.resolve("seed/" + SEED_FILE.name))
    return [doc["letter"], *[x for x in doc["letters"] if x["role"] == "mentioned"]]


def test_seed_is_a_letter_from_trotsky_at_prinkipo(store: Store, seed_dir: Path) -> None:
    letter, _ = _seed_letters(store, seed_dir)
    text = SEED_FILE.read_text(encoding="utf-8")
    assert letter["role"] == "self"
    assert letter["sender"]["entity_key"] == "person:trotsky-leon"
    assert letter["sender"]["evidence"]["text"] == "L. Trotsky"
    assert letter["place"]["name"] == "Prinkipo"
    assert letter["place"]["entity_key"] == "place:prinkipo"
    ev = letter["place"]["evidence"]
    assert text[ev["start"] : ev["end"]] == "Prinkipo"
    assert letter["place"]["method"] == "closing-note-place"
    assert letter["date"]["edtf"] == "1930-01-05"
    assert letter["date"]["evidence"]["text"] == "5 January 1930."
    assert letter["recipient"] is None  # the text does not name one: no guess


def test_seed_mentions_a_letter_carried_by_blumkin(store: Store, seed_dir: Path) -> None:
    _, mentioned = _seed_letters(store, seed_dir)
    text = SEED_FILE.read_text(encoding="utf-8")
    sentence = mentioned["evidence"]
    assert sentence["text"].startswith("Through Blumkin I had sent an informative letter to Moscow")
    assert sentence["text"].endswith("the perspective of a long delay.")
    assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    carrier = mentioned["carrier"]
    assert (carrier["name"], carrier["entity_key"]) == ("Blumkin", "person:blumkin-yakov")
    assert text[carrier["evidence"]["start"] : carrier["evidence"]["end"]] == "Blumkin"
    assert mentioned["sender"]["entity_key"] == "person:trotsky-leon"
    assert mentioned["received"]["place"]["entity_key"] == "place:moscow"
    assert mentioned["recipient"]["name"] == "our friends"
    # sent before the letter that mentions it ("had sent"): no later than 5 January 1930
    assert mentioned["date"]["attrs"] == {"notAfter": "1930-01-05"}
    assert mentioned["date"]["method"] == "before-mentioning-letter"
    for part in (carrier, mentioned["sender"], mentioned["recipient"]):
        assert part["method"] and 0 < part["confidence"] <= 1


@pytest.mark.parametrize(
    ("attrs", "edtf", "earliest", "latest"),
    [
        ({"when": "1867-10-11"}, "1867-10-11", "1867-10-11", "1867-10-11"),
        ({"when": "1814-12"}, "1814-12", "1814-12-01", "1814-12-31"),
        ({"notBefore": "1810-07-11", "notAfter": "1810-07-18"}, "1810-07-11/1810-07-18",
         "1810-07-11", "1810-07-18"),
        ({"notBefore": "1932-12-20"}, "1932-12-20/..", "1932-12-20", None),
        ({"when": "2022-01-31T11:33:42.687176"}, "2022-01-31", "2022-01-31", "2022-01-31"),
        ({"when": "1841|1843"}, "1841/1843", "1841-01-01", "1843-12-31"),
    ],
)  # fmt: skip
def test_letter_dates_from_w3c_attributes(
    attrs: dict[str, str], edtf: str, earliest: str, latest: str | None
) -> None:
    d = letter_date("", attrs)
    assert (d.edtf, d.earliest, d.latest) == (edtf, earliest, latest)
    assert d.error is None


def test_bad_attribute_is_an_error_not_a_date() -> None:
    d = letter_date("s.d.", {"when": "0000-00-00"})
    assert d.edtf is None and d.error is not None and "0000-00-00" in d.error
    assert w3c_attrs(d) == {}


def test_old_style_text_date_goes_out_gregorian() -> None:
    d = letter_date("25 October 1917 (O.S.)", {})
    assert d.calendar == "julian" and d.julian == "1917-10-25"
    assert w3c_attrs(d) == {"when": "1917-11-07"}


def test_reingest_replaces_letters(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    before = store.count_letters()
    path = seed_dir / SEED_FILE.name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = ingest(store, [seed_dir])
    assert report.updated == 1
    assert store.count_letters() == before == 2


def test_cli_letters(db_path: Path, seed_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(seed_dir), "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(cli, ["letters", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "Leon Trotsky" in result.output and "carried by Blumkin" in result.output
    result = runner.invoke(cli, ["letters", "--json", "--role", "mentioned", "--db", str(db_path)])
    rows = json.loads(result.output)
    assert [r["carrier"]["name"] for r in rows] == ["Blumkin"]
    result = runner.invoke(cli, ["letters", "--doc", "nope", "--db", str(db_path)])
    assert result.exit_code == 2 and "Document nope not found" in result.output


def test_letters_on_both_backends(any_store: Store, seed_dir: Path) -> None:
    ingest(any_store, [seed_dir])
    rows = any_store.letter_rows()
    assert [r["role"] for r in rows] == ["self", "mentioned"]
    assert [p["name"] for p in rows[1]["parties"] if p["role"] == "carrier"] == ["Blumkin"]
    assert any_store.letter_rows(role="mentioned", limit=1)[0]["id"] == rows[1]["id"]
    assert any_store.letter_stats() == {
        "letters": 2,
        "with_sender": 2,
        "with_recipient": 1,
        "with_place": 1,
        "with_date": 2,
    }


def test_parties_link_to_authority_entries_by_their_ref(store: Store, tmp_path: Path) -> None:
    """Schnitzler's #pmb146 links to the PMB place register's entry; GND refs to GND entries."""
    from prinkipo.entities.loading import load_paths
    from tests.conftest import need_corpus

    corpus = need_corpus()
    load_paths(store, [corpus / "authority" / "schnitzler-briefe" / "data" / "indices"])
    letter = corpus / "tei" / "schnitzler-briefe" / "data" / "editions" / "L00001.xml"
    ingest(store, [letter])
    [row] = store.letter_rows()
    places = {p["role"]: p for p in row["parties"] if p["role"].endswith("place")}
    assert places["sent_place"]["refs"] == "#pmb146"
    assert places["sent_place"]["entity_key"] == "place:pmb:146"
    assert places["received_place"]["entity_key"] == "place:pmb:50"
