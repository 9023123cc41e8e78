"""CMIF files from the shared corpus: letter indexes with no text, and their quirks."""

from __future__ import annotations

from pathlib import Path

from prinkipo.ingestion import ingest, parse
from prinkipo.store import Store
from tests.conftest import need_corpus


def _cmif(name: str) -> Path:
    return need_corpus() / "cmif" / "cmifun" / "data" / "cmi" / name


def _parse(path: Path):  # type: ignore[no-untyped-def]
    return parse(path.name, path.read_bytes(), None, None)


def test_megadigital_no_namespace_correspdesc() -> None:
    doc = _parse(_cmif("cmi__c18f10d8-bec2-40f2-8f85-e58743e4427d.xml"))
    assert doc.record.format == "cmif"
    assert doc.record.paragraphs == []
    assert doc.genre is not None and doc.genre.value == "letter-index"
    assert len(doc.letters) == 1098
    first = doc.letters[0]
    assert first.role == "listed"
    assert [(p.name, p.refs) for p in first.senders] == [
        ("Friedrich Engels", ("http://d-nb.info/gnd/118530380",))
    ]
    assert first.recipients[0].refs == ("http://d-nb.info/gnd/118578537",)
    assert first.sent_place is not None and first.sent_place.name == "Manchester"
    assert first.received_place is not None and first.received_place.name == "London"
    # <date> stays in the TEI namespace inside no-namespace correspAction: still read
    assert first.sent_date is not None and first.sent_date.attrs == {"when": "1867-10-11"}
    assert first.url == "https://megadigital.bbaw.de/briefe/detail.xql?id=M0000384"
    assert first.source is not None and first.source.startswith("Marx-Engels-Gesamtausgabe")


def test_lehndorff_tei_prefixed_elements_and_from_to() -> None:
    doc = _parse(_cmif("cmi__LEHNDORFF.xml"))
    assert len(doc.letters) == 936
    first = doc.letters[0]
    assert first.senders[0].name == "Albrecht von Hollen"
    assert first.sent_place is not None and first.sent_place.name == "Hohenwalde"
    assert first.sent_date is not None
    assert first.sent_date.attrs == {"from": "1885-05-01", "to": "1885-06-01"}
    assert first.sent_date.edtf == "1885-05-01/1885-06-01"
    assert first.sent_date.cert == "high"


def test_avhr_alternative_years_in_not_after() -> None:
    doc = _parse(_cmif("cmi__AVHR.xml"))
    noted = [x for x in doc.letters if x.sent_date and x.sent_date.note]
    assert len(noted) == 1
    d = noted[0].sent_date
    assert d is not None
    assert d.attrs == {"notBefore": "1841", "notAfter": "1843"}
    assert (d.earliest, d.latest) == ("1841-01-01", "1843-12-31")
    assert d.note is not None and '"1842|1843"' in d.note
    assert d.text == "1841|1842|1843"


def test_unknown_correspondent_and_empty_date() -> None:
    path = need_corpus() / "cmif" / "tei-sig-cmif" / "examples" / "example01_basic.xml"
    doc = _parse(path)
    assert len(doc.letters) == 3
    assert doc.letters[1].received_date is None  # "unknown date should be skipped"
    assert [p.name for p in doc.letters[2].recipients] == ["Pastenaci, E."]
    assert doc.letters[2].recipients[0].refs == ()


def test_exist_exception_file_is_recorded_as_failed(store: Store) -> None:
    path = _cmif("cmi__cd0d4061045a6af2974421c0efb08699.xml")
    report = ingest(store, [path])
    assert report.added == 0
    [failed] = report.failed
    assert failed["path"].endswith("cmi__cd0d4061045a6af2974421c0efb08699.xml")
    assert "not TEI or CMIF" in failed["error"]
    assert "error message" in failed["error"] and "XMLDB" in failed["error"]
