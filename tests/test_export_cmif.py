"""CMIF export: valid against the CMIF schema, and CMIF → prinkipo → CMIF keeps every letter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from prinkipo.cli import cli
from prinkipo.export.cmif import export_cmif
from prinkipo.ingestion import ingest
from prinkipo.store import Store, open_store
from tests.conftest import SHARED, need_corpus, need_shared
from tests.roundtrip import letter_keys

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    rng = need_shared(SHARED / "schemas" / "cmi-customization.rng")
    return etree.RelaxNG(etree.parse(str(rng)))


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store, Path]]:
    """The CMIF corpus and the seed ingested, exported as CMIF, and that file ingested again."""
    corpus = need_corpus()
    tmp = tmp_path_factory.mktemp("cmif")
    with open_store(tmp / "a.db") as a, open_store(tmp / "b.db") as b:
        report = ingest(a, [corpus / "cmif", SHARED / "seed"])
        assert [f["path"] for f in report.failed] == [
            "cmif/cmifun/data/cmi/cmi__cd0d4061045a6af2974421c0efb08699.xml"
        ]
        out = tmp / "letters.xml"
        assert export_cmif(a, out) == a.count_documents()
        assert ingest(b, [out]).added == 1
        yield a, b, out


def test_export_validates_against_the_cmif_schema(
    round_trip: tuple[Store, Store, Path], schema: etree.RelaxNG
) -> None:
    _, _, out = round_trip
    tree = etree.parse(str(out))
    assert schema.validate(tree), schema.error_log
    # every correspDesc cites a bibl that exists (the Schematron's E0003), and has both actions
    ids = {b.get("{http://www.w3.org/XML/1998/namespace}id") for b in tree.iter(f"{TEI}bibl")}
    for cd in tree.iter(f"{TEI}correspDesc"):
        assert cd.get("source", "").lstrip("#") in ids
        assert [a.get("type") for a in cd.findall(f"{TEI}correspAction")] == ["sent", "received"]


def test_cmif_round_trip_keeps_every_letter(round_trip: tuple[Store, Store, Path]) -> None:
    a, b, _ = round_trip
    before, after = letter_keys(a, absolute_only=True), letter_keys(b, absolute_only=True)
    assert sum(before.values()) == a.count_letters() > 7700
    assert before == after


def test_unknown_correspondent_is_written_as_cmif_prescribes(
    round_trip: tuple[Store, Store, Path],
) -> None:
    a, _, out = round_trip
    tree = etree.parse(str(out))
    unknown = [p for p in tree.iter(f"{TEI}persName") if p.text == "Unknown"]
    no_sender = sum(
        1 for r in a.letter_rows() if not any(p["role"] == "sender" for p in r["parties"])
    )
    no_recipient = sum(
        1 for r in a.letter_rows() if not any(p["role"] == "recipient" for p in r["parties"])
    )
    assert len(unknown) == no_sender + no_recipient > 0
    assert all(p.get("ref") is None for p in unknown)


def test_quirks_are_normalised_on_the_way_out(round_trip: tuple[Store, Store, Path]) -> None:
    _, _, out = round_trip
    text = out.read_text(encoding="utf-8")
    assert "|" not in "".join(
        d.get("notAfter", "") for d in etree.parse(str(out)).iter(f"{TEI}date")
    )
    assert 'notBefore="1841" notAfter="1843"' in text
    # the mentioned letter goes out with its carrier and the sentence it comes from
    assert "carried by Blumkin" in text
    assert 'ref="http://www.wikidata.org/entity/Q649">Moscow<' in text


def test_export_is_deterministic(round_trip: tuple[Store, Store, Path], tmp_path: Path) -> None:
    a, _, out = round_trip
    again = tmp_path / "letters.xml"
    export_cmif(a, again)
    first = out.read_text(encoding="utf-8").replace(out.resolve().as_uri(), "URL")
    second = again.read_text(encoding="utf-8").replace(again.resolve().as_uri(), "URL")
    assert first == second


def test_old_style_dates_go_out_gregorian(tmp_path: Path, schema: etree.RelaxNG) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter.txt").write_text(
        "V. I. Lenin\nLetter to A. M. Gorky\n\nWritten: 25 October 1917 (O.S.)\n\n"
        "Dear Alexei Maximovich, the text of the letter.\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "a.db") as store:
        ingest(store, [folder])
        [row] = store.letter_rows()
        out = tmp_path / "letters.xml"
        export_cmif(store, out)
    assert schema.validate(etree.parse(str(out)))
    [date] = etree.parse(str(out)).findall(f".//{TEI}correspAction/{TEI}date")
    assert dict(date.attrib) == {"when": "1917-11-07"}
    assert [p["name"] for p in row["parties"] if p["role"] == "recipient"] == ["A. M. Gorky"]


def test_cli_export_cmif(tmp_path: Path, seed_dir: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "a.db")
    assert runner.invoke(cli, ["ingest", str(seed_dir), "--db", db]).exit_code == 0
    out = tmp_path / "out" / "letters.xml"
    result = runner.invoke(cli, ["export", "cmif", str(out), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"format": "cmif", "out": str(out), "documents": 1}
    assert out.read_text(encoding="utf-8").count("<correspDesc") == 2
    result = runner.invoke(cli, ["export", "nope", str(out), "--db", db])
    assert result.exit_code == 2


def test_cmif_export_on_both_backends(
    any_store: Store, seed_dir: Path, tmp_path: Path, schema: etree.RelaxNG
) -> None:
    ingest(any_store, [seed_dir])
    out = tmp_path / "letters.xml"
    assert export_cmif(any_store, out) == 1
    tree = etree.parse(str(out))
    assert schema.validate(tree), schema.error_log
    assert len(list(tree.iter(f"{TEI}correspDesc"))) == 2
