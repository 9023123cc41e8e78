"""The plain-text reader on the founding record and on records made for the hard cases."""

from __future__ import annotations

import pytest

from prinkipo.errors import UnreadableFile
from prinkipo.readers import detect, read
from tests.conftest import SEED_FILE


def test_seed_preamble_fields_body_and_closing_note() -> None:
    record = read(SEED_FILE.name, SEED_FILE.read_bytes())
    assert record.format == "text" and record.encoding == "utf-8"
    assert record.author is not None and record.author.text == "L. Trotsky"
    assert record.title is not None
    assert record.title.text == "Opposition Serves the Bolshevik Revolution"
    assert record.dateline is not None and record.dateline.text == "(January 1930)"
    assert [(f.name, f.value) for f in record.fields] == [
        ("Written", "5 January 1930."),
        ("Source", "The Militant, Vol. III No. 9, 1 March 1920, p. 4."),
    ]
    assert len(record.paragraphs) == 4
    assert record.paragraphs[0].text.startswith("Up to the very last moment Blumkin")
    assert [n.text for n in record.notes] == [
        "(Excerpts from letter of January 5th, 1930 at Prinkipo, Turkey)"
    ]


def test_every_span_points_at_its_text() -> None:
    record = read(SEED_FILE.name, SEED_FILE.read_bytes())
    text = record.text
    for f in record.fields:
        assert text[f.start : f.end] == f"{f.name}: {f.value}"
        assert text[f.value_start : f.value_end] == f.value
    for p in record.paragraphs:
        assert text[p.start : p.end] == p.text
    for n in record.notes:
        assert text[n.start : n.end] == n.text
    for span in (record.author, record.title, record.dateline):
        assert span is not None and text[span.start : span.end] == span.text


def test_crlf_latin1_wrapped_paragraphs_and_footnotes() -> None:
    data = (
        "V. I. Lenin\r\n\r\nA Letter to a Comrade\r\n\r\nWritten: 1902\r\n"
        "Translated: Jos\xe9 Garc\xeda\r\n\r\nThe first line of a\r\nwrapped paragraph.\r\n\r\n"
        "Second paragraph.[1]\r\n\r\n[1] A footnote.\r\n"
    ).encode("cp1252")
    record = read("lenin.txt", data)
    assert record.encoding in ("cp1252", "windows-1252", "latin-1", "iso8859-1")
    assert [f.name for f in record.fields] == ["Written", "Translated"]
    assert record.fields[1].value == "José García"
    assert [p.text for p in record.paragraphs] == [
        "The first line of a wrapped paragraph.",
        "Second paragraph.[1]",
    ]
    assert [(n.kind, n.label, n.text) for n in record.notes] == [("footnote", "1", "A footnote.")]


def test_a_file_without_header_is_all_body() -> None:
    record = read("plain.txt", b"Just a paragraph of text.\n\nAnd another one.\n")
    assert record.fields == [] and record.title is None
    assert len(record.paragraphs) == 2


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 20, "binary"),
    ],
)
def test_unreadable_files_name_the_problem(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile) as err:
        read("bad.txt", data, "text")
    assert "bad.txt" in str(err.value) and reason in str(err.value)


def test_detect_refuses_what_no_reader_handles() -> None:
    from prinkipo.errors import UnsupportedFormat

    with pytest.raises(UnsupportedFormat):
        detect("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_a_text_file_that_opens_with_an_angle_bracket_is_read_as_text() -> None:
    data = (
        b"<Note by the transcriber: the first page of the manuscript is lost.>\n\n"
        b"Written: 5 January 1930\n\nDear Comrades,\n\nThe letter goes on here.\n"
    )
    assert detect("notes/letter.txt", data) == "text"
    rec = read("notes/letter.txt", data)
    assert rec.format == "text"
    assert any(p.text == "The letter goes on here." for p in rec.paragraphs)
    assert [f.value for f in rec.fields if f.name == "Written"] == ["5 January 1930"]
    # a .txt that is really XML is still XML
    tei = b"<?xml version='1.0'?><TEI xmlns='http://www.tei-c.org/ns/1.0'/>"
    assert detect("x.txt", tei) == "tei"
