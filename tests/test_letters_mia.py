"""Letters on Marxists Internet Archive pages: sender, addressee, places and date from the title,
the dateline and the salutation, each with its evidence (real pages from the shared corpus)."""

from __future__ import annotations

from prinkipo.entities.authority import demo_authority
from prinkipo.ingestion import parse
from prinkipo.model import Document
from tests.conftest import need_corpus

LETTERS = "mia-html/archive/marx/works"


def _doc(key: str) -> Document:
    return parse(key, (need_corpus() / key).read_bytes(), None, demo_authority())


def test_engels_to_schmidt_in_berlin() -> None:
    doc = _doc(f"{LETTERS}/1890/letters/90_08_05.htm")
    assert doc.genre is not None and (doc.genre.value, doc.genre.method) == (
        "letter",
        "from-to-line",
    )
    [letter] = doc.letters
    text = doc.record.text
    assert [p.entity_key for p in letter.senders] == ["person:engels-friedrich"]
    [to] = letter.recipients
    assert (to.name, to.method) == ("C. Schmidt", "from-to-line")
    assert to.evidence is not None and text[to.evidence.start : to.evidence.end] == "C. Schmidt"
    assert letter.received_place is not None and letter.received_place.name == "Berlin"
    place = letter.sent_place
    assert place is not None and (place.name, place.method) == ("London", "dateline-place")
    assert (
        place.evidence is not None and text[place.evidence.start : place.evidence.end] == "London"
    )
    assert letter.sent_date is not None and letter.sent_date.edtf == "1890-08-05"


def test_supplied_place_and_salutation() -> None:
    doc = _doc(f"{LETTERS}/1871/letters/71_04_17.htm")
    [letter] = doc.letters
    assert letter.sent_place is not None
    assert (letter.sent_place.name, letter.sent_place.method) == (
        "London",
        "dateline-place-supplied",
    )
    assert letter.sent_place.confidence < 0.8
    assert [(p.name, p.method) for p in letter.recipients] == [("Kugelmann", "salutation")]


def test_title_names_a_sender_other_than_the_page_author() -> None:
    doc = _doc(f"{LETTERS}/1887/letters/87_02_19.htm")
    [letter] = doc.letters
    assert [(p.name, p.method) for p in letter.senders] == [("Engels", "from-to-line")]
    assert [p.name for p in letter.recipients] == ["Nikolai Danielson"]


def test_no_guess_where_the_page_names_nobody() -> None:
    """Cannon's "Letters to a Historian": the heading above the title is the series, not an
    author, so the author is the name before the page title's colon; 'Dear Sir' names no one,
    so the addressee stays unknown rather than wrong."""
    doc = _doc("mia-html/archive/cannon/works/letters/fall55.htm")
    assert doc.record.author is not None and doc.record.author.text == "James P. Cannon"
    assert doc.record.text[doc.record.author.start : doc.record.author.end] == "James P. Cannon"
    [letter] = doc.letters
    assert [p.name for p in letter.senders] == ["James P. Cannon"]
    assert letter.senders[0].method == "author-of-letter"
    assert letter.recipients == []
    assert letter.sent_date is not None and letter.sent_date.edtf == "1954-07-22"
