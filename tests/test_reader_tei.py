"""The TEI reader on real edition files, a non-namespaced fixture, and hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from prinkipo.errors import UnreadableFile
from prinkipo.ingestion import parse
from prinkipo.readers import detect, tei
from tests.conftest import need_corpus

DATA = Path(__file__).parent / "data" / "xml"


def _parse(path: Path, key: str | None = None):  # type: ignore[no-untyped-def]
    return parse(key or path.name, path.read_bytes(), None, None)


def test_schnitzler_letter_header_correspdesc_and_text() -> None:
    path = need_corpus() / "tei" / "schnitzler-briefe" / "data" / "editions" / "L00001.xml"
    doc = _parse(path)
    rec = doc.record
    assert rec.format == "tei"
    assert doc.title == "Fedor Mamroth an Arthur Schnitzler, 2. 8. 1889"
    assert rec.author is not None and rec.author.text == "Mamroth, Fedor"
    assert doc.language == "de"
    assert doc.genre is not None and (doc.genre.value, doc.genre.method) == (
        "letter",
        "tei-correspDesc",
    )
    assert doc.dates["written"].parsed is not None
    assert doc.dates["written"].parsed.edtf == "1889-08-02"
    [letter] = doc.letters
    assert letter.role == "self"
    assert [(p.name, p.refs) for p in letter.senders] == [("Mamroth, Fedor", ("#pmb4986",))]
    assert [(p.name, p.refs) for p in letter.recipients] == [("Schnitzler, Arthur", ("#pmb2121",))]
    assert letter.sent_place is not None and letter.sent_place.name == "Frankfurt am Main"
    assert letter.sent_place.refs == ("#pmb146",)
    assert letter.received_place is not None and letter.received_place.name == "Wien"
    assert letter.sent_date is not None and letter.sent_date.attrs == {"when": "1889-08-02"}
    received = letter.received_date
    assert received is not None
    assert received.attrs == {"notBefore": "1889-08-03", "notAfter": "1889-08-07"}
    assert (received.earliest, received.latest) == ("1889-08-03", "1889-08-07")
    assert received.cert == "conjecture"
    # the text: paragraphs without the commentary notes, which are kept as notes
    assert rec.paragraphs and "Der Sohn" in rec.text
    assert any(n.kind == "commentary" and "Sommer" in n.text for n in rec.notes)
    for p in rec.paragraphs:
        assert rec.text[p.start : p.end] == p.text
    for f in rec.fields:
        assert rec.text[f.value_start : f.value_end] == f.value


def test_escher_inverted_sender_and_addressee_follow_the_title() -> None:
    folder = need_corpus() / "tei" / "escher" / "data" / "briefe"
    doc = _parse(folder / "K_0004_von_Beckh_August_an_Escher_1864-12-00.xml")
    [letter] = doc.letters
    assert [p.name for p in letter.senders] == ["August von Beckh"]
    assert [p.name for p in letter.recipients] == ["Alfred Escher"]
    assert "title" in letter.senders[0].method
    assert letter.sent_date is not None and letter.sent_date.text == "[Dezember 1864]"
    # "Anonym" is an unknown correspondent, not a person
    doc = _parse(folder / "K_0002_Anonym_an_Escher_1877-02-00.xml")
    assert doc.letters[0].senders == []
    assert [p.name for p in doc.letters[0].recipients] == ["Alfred Escher"]


def test_more_than_one_sender_and_participdesc_refs() -> None:
    folder = need_corpus() / "tei" / "tei-sig-correspDesc" / "examples"
    doc = _parse(folder / "example04_more-than-one-sender.xml")
    assert doc.record.format == "tei"  # no @source: a letter, not a CMIF index
    assert len(doc.letters[0].senders) == 8
    assert doc.letters[0].sent_date is not None
    assert doc.letters[0].sent_date.edtf == "1898-01-22"
    doc = _parse(folder / "example13_correspDesc-pointing-to-participDesc.xml")
    letter = doc.letters[0]
    assert letter.senders[0].refs == ("#BS",) and letter.senders[0].name != "#BS"


def test_non_namespaced_tei() -> None:
    path = DATA / "no-namespace-letter.xml"
    assert detect(path.name, path.read_bytes()) == "tei"
    doc = _parse(path)
    [letter] = doc.letters
    assert letter.senders[0].refs == ("http://d-nb.info/gnd/118530380",)
    assert letter.received_place is not None and letter.received_place.name == "London"
    texts = [p.text for p in doc.record.paragraphs]
    assert texts[0] == "Lieber Mohr,"
    assert (
        texts[1]
        == "Erster Absatz mit einer Anmerkung und einer Zeile, die bricht: Manchester Straße."
    )
    assert [(n.label, n.text) for n in doc.record.notes] == [("1", "Die Anmerkung.")]
    assert doc.language == "de"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("billion-laughs.xml", ["10 entities", "lol4 and 5 more", "billion laughs"]),
        ("external-entity.xml", ["secret", "external entities"]),
    ],
)
def test_hostile_xml_is_refused_with_a_clear_error(name: str, words: list[str]) -> None:
    path = DATA / name
    with pytest.raises(UnreadableFile) as err:
        tei.read(name, path.read_bytes())
    message = str(err.value)
    assert message.startswith(f"{name}: refused")
    for w in words:
        assert w in message
    assert "root:" not in message  # nothing of /etc/passwd


def test_the_parser_itself_never_expands_entities() -> None:
    """Defence in depth: even past the DOCTYPE check, lxml is told not to expand or fetch."""
    data = (DATA / "billion-laughs.xml").read_bytes()
    with pytest.raises(etree.XMLSyntaxError, match="amplification"):
        etree.fromstring(data, tei.safe_parser())
    data = (DATA / "external-entity.xml").read_bytes()
    root = etree.fromstring(data, tei.safe_parser())
    assert "root:" not in "".join(root.itertext())


def test_broken_and_foreign_xml_name_the_problem() -> None:
    with pytest.raises(UnreadableFile, match="not well-formed XML"):
        tei.read("a.xml", b"<TEI><teiHeader></TEI>")
    with pytest.raises(UnreadableFile, match="root element is <root>"):
        tei.read("b.xml", b"<root/>")
    with pytest.raises(UnreadableFile, match="empty"):
        tei.read("c.xml", b"  ")


def test_eltec_novel_is_a_work_without_letters() -> None:
    path = need_corpus() / "tei" / "eltec-eng" / "level1" / "ENG18652_Carroll.xml"
    doc = _parse(path)
    assert doc.letters == []
    assert doc.title == "Alice's Adventures in Wonderland : ELTeC edition"
    assert doc.language == "en"
    assert len(doc.record.paragraphs) > 500
    assert doc.dates["published"].parsed is not None
    assert doc.dates["published"].parsed.edtf == "1865"
