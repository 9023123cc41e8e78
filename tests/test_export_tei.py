"""TEI export: one TEI P5 file per document, valid against tei_all (jing), and
TEI → prinkipo → TEI keeps every sender, recipient, place, date, authority URI and the metadata."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from prinkipo.export.tei import export_tei, file_name
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store, open_store
from tests.conftest import SHARED, need_corpus, need_shared
from tests.roundtrip import letter_keys

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store, Path]]:
    """The TEI corpus and the seed ingested, exported as TEI, and the export ingested again."""
    corpus = need_corpus()
    tmp = tmp_path_factory.mktemp("tei")
    with open_store(tmp / "a.db") as a, open_store(tmp / "b.db") as b:
        report = ingest(a, [corpus / "tei", SHARED / "seed"])
        assert report.failed == []
        out = tmp / "tei"
        assert export_tei(a, out) == a.count_documents() == 320
        assert ingest(b, [out]).added == 320
        yield a, b, out


def test_every_file_is_valid_tei_all(round_trip: tuple[Store, Store, Path]) -> None:
    _, _, out = round_trip
    jing = shutil.which("jing")
    if jing is None:
        pytest.fail("jing is missing: run scripts/setup-system.sh (as root) to install it")
    files = sorted(str(p) for p in out.glob("*.xml"))
    result = subprocess.run(
        [jing, str(need_shared(SHARED / "schemas" / "tei_all.rng")), *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[:3000]
    assert result.stdout == ""


def test_tei_round_trip_keeps_every_letter(round_trip: tuple[Store, Store, Path]) -> None:
    a, b, _ = round_trip
    before, after = letter_keys(a, absolute_only=False), letter_keys(b, absolute_only=False)
    assert sum(before.values()) > 300
    assert before == after
    # relative pointers such as Schnitzler's #pmb4986 are kept as written
    assert any(ref.startswith("#pmb") for key in before for p in key[0] if p for ref in p[1])


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": obj["title"],
        "authors": [a["as_written"] for a in obj["authors"]],
        "written": (obj["dates"].get("written") or {}).get("edtf"),
        "published": (obj["dates"].get("published") or {}).get("edtf"),
        "source": (obj["source"] or {}).get("text"),
        "language": obj["language"],
        "genre": obj["genre"],
        "paragraphs": [p["text"] for p in obj["paragraphs"]],
        "notes": [n["text"] for n in obj["notes"]],
    }


def test_tei_round_trip_keeps_the_metadata(round_trip: tuple[Store, Store, Path]) -> None:
    a, b, out = round_trip
    for summary in a.document_summaries():
        exported = f"{out.name}/{file_name(summary['id'], summary['path'])}"
        before = _meta(document_object(a, summary["id"]))
        after = _meta(document_object(b, b.resolve(exported)))
        assert before == after, summary["path"]


def test_seed_letter_and_mentioned_letter_in_tei(round_trip: tuple[Store, Store, Path]) -> None:
    a, b, out = round_trip
    doc_id = a.resolve("seed/000_4114f29613fc0492.txt")
    tree = etree.parse(str(out / file_name(doc_id, "seed/000_4114f29613fc0492.txt")))
    [mentioned] = tree.findall(f".//{TEI}correspDesc[@type='mentioned']")
    assert mentioned.findtext(f"{TEI}note[@type='carrier']/{TEI}persName") == "Blumkin"
    sender = mentioned.find(f"{TEI}correspAction[@type='sent']/{TEI}persName")
    assert sender is not None and sender.get("ref") == "http://www.wikidata.org/entity/Q33391"
    # linked mentions in the text are named, and the text itself is unchanged
    first = tree.find(f".//{TEI}body/{TEI}p")
    assert first is not None
    names = first.findall(f"{TEI}persName")
    assert "person:blumkin-yakov" in [n.get("key") for n in names]
    assert "".join(first.itertext()) == document_object(a, doc_id)["paragraphs"][0]["text"]
    # re-ingested: the mentioned letter keeps its carrier and its sentence, once
    again = b.resolve(f"{out.name}/{file_name(doc_id, 'seed/000_4114f29613fc0492.txt')}")
    rows = [r for r in b.letter_rows(document_id=again) if r["role"] == "mentioned"]
    assert len(rows) == 1
    assert [p["name"] for p in rows[0]["parties"] if p["role"] == "carrier"] == ["Blumkin"]
    assert rows[0]["evidence_text"].startswith("Through Blumkin I had sent")


def test_tei_export_on_both_backends(any_store: Store, seed_dir: Path, tmp_path: Path) -> None:
    ingest(any_store, [seed_dir])
    assert export_tei(any_store, tmp_path / "tei") == 1
    [path] = (tmp_path / "tei").glob("*.xml")
    tree = etree.parse(str(path))
    assert tree.findtext(f".//{TEI}title") == "Opposition Serves the Bolshevik Revolution"
    assert len(tree.findall(f".//{TEI}correspDesc")) == 2


def test_old_style_date_in_tei(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter.txt").write_text(
        "V. I. Lenin\nLetter to A. M. Gorky\n\nWritten: 25 October 1917 (O.S.)\n\n"
        "Dear Alexei Maximovich, the text of the letter.\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "a.db") as store:
        ingest(store, [folder])
        export_tei(store, tmp_path / "tei")
    [path] = (tmp_path / "tei").glob("*.xml")
    tree = etree.parse(str(path))
    dates = tree.findall(f".//{TEI}correspAction/{TEI}date")
    assert [(d.get("when"), d.get("calendar"), d.text) for d in dates] == [
        ("1917-11-07", "#julian", "25 October 1917 (O.S.)")
    ]
    assert (
        tree.find(
            f".//{TEI}calendarDesc/{TEI}calendar[@{{http://www.w3.org/XML/1998/namespace}}id='julian']"
        )
        is not None
    )
    jing = shutil.which("jing")
    assert jing is not None, "jing is missing: run scripts/setup-system.sh as root"
    result = subprocess.run(
        [jing, str(need_shared(SHARED / "schemas" / "tei_all.rng")), str(path)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
