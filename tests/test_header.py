"""Record → Document: dates by role, the source, authors linked to the authority, genre."""

from __future__ import annotations

from prinkipo.entities.authority import demo_authority
from prinkipo.header import guess_language, interpret, read_date
from prinkipo.model import Span
from prinkipo.readers import read
from tests.conftest import SEED_FILE


def test_seed_document() -> None:
    doc = interpret(read(SEED_FILE.name, SEED_FILE.read_bytes()), demo_authority())
    assert doc.title == "Opposition Serves the Bolshevik Revolution"
    (author,) = doc.authors
    assert (author.name, author.as_written, author.entity_key) == (
        "Leon Trotsky",
        "L. Trotsky",
        "person:trotsky-leon",
    )
    written, published = doc.dates["written"], doc.dates["published"]
    assert written.parsed is not None and written.parsed.edtf == "1930-01-05"
    assert published.parsed is not None and published.parsed.edtf == "1920-03-01"
    assert published.source_field == "Source"
    assert doc.source is not None
    assert (doc.source.periodical, doc.source.volume, doc.source.number, doc.source.pages) == (
        "The Militant",
        "III",
        "9",
        "4",
    )
    assert doc.genre is not None and doc.genre.value == "letter"
    assert doc.genre.evidence is not None and doc.genre.evidence.text == "letter"
    assert doc.language == "en"


def test_unknown_author_stays_as_written_unlinked() -> None:
    data = b"A. Nobody\n\nA Title\n\nWritten: 1931\n\nSome text of the body here.\n"
    doc = interpret(read("x.txt", data), demo_authority())
    (author,) = doc.authors
    assert (author.name, author.entity_key, author.method) == ("A. Nobody", None, "as-written")


def test_unreadable_date_keeps_text_and_reason() -> None:
    value = read_date("written", Span("Unknown Date", 10, 22), "Written")
    assert value.parsed is None and value.text == "Unknown Date"
    assert value.error is not None and "no day, month or year" in value.error


def test_date_inside_a_longer_value_is_read_with_its_span() -> None:
    span = Span("1925–1928, Vienna, Leningrad, Dietskoye Seloe.", 100, 146)
    value = read_date("written", span, "Written")
    assert value.parsed is not None and value.parsed.edtf == "1925/1928"
    assert (value.start, value.end, value.method) == (100, 109, "header-partial")


def test_language_needs_enough_words() -> None:
    assert guess_language(["Die Arbeiter und die Bauern sind nicht mit der Partei, " * 3]) == "de"
    assert guess_language(["Too short."]) is None
