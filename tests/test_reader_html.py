"""The HTML reader on real MIA pages from the shared corpus and on pages made for hard cases."""

from __future__ import annotations

import pytest

from prinkipo.encoding import codec_for, decode
from prinkipo.errors import UnreadableFile
from prinkipo.header import canonical_label, interpret
from prinkipo.model import Record
from prinkipo.readers import detect, html, read
from tests.conftest import need_corpus


def _page(rel: str) -> Record:
    path = need_corpus() / "mia-html" / rel
    return read(f"mia-html/{rel}", path.read_bytes())


def _assert_spans(record: Record) -> None:
    text = record.text
    for f in record.fields:
        assert text[f.value_start : f.value_end] == f.value, f
        assert text[f.start : f.end].endswith(f.value), f
    for p in record.paragraphs:
        assert text[p.start : p.end] == p.text
    for n in record.notes:
        assert text[n.start : n.end] == n.text
    for span in (record.author, record.title, record.dateline):
        if span is not None:
            assert text[span.start : span.end] == span.text


def test_lenin_information_block() -> None:
    rec = _page("archive/lenin/works/1913/mar/22.htm")
    assert rec.format == "html" and rec.encoding == "utf-8"
    assert rec.url == "https://www.marxists.org/archive/lenin/works/1913/mar/22.htm"
    assert rec.title is not None and rec.title.text == "Big Achievement of the Chinese Republic"
    assert rec.author is not None and rec.author.text == "V. I. Lenin"
    names = [f.name for f in rec.fields]
    assert names[:2] == ["Page title", "Meta author"]
    assert {"Published", "Source", "Translated", "Transcription\\Markup", "Public Domain"} <= set(
        names
    )
    doc = interpret(rec)
    assert doc.dates["published"].parsed is not None
    assert doc.dates["published"].parsed.edtf == "1913-03-22"
    assert doc.source is not None and doc.source.pages == "29-30"
    assert rec.paragraphs[0].text.startswith("We know that the great Chinese Republic")
    assert rec.skip_reason is None
    _assert_spans(rec)


def test_etol_style_from_line_is_the_source() -> None:
    rec = _page("archive/higgins/1976/06/bristol.htm")
    fields = {f.name: f.value for f in rec.fields}
    assert fields["Source"].startswith("Spectator, 19 June 1976, p.13.")
    assert fields["Transcription"] == "Ted Crawford."
    assert rec.dateline is not None and rec.dateline.text == "(June 1976)"
    doc = interpret(rec)
    assert doc.source is not None and doc.source.pages == "13"
    assert doc.dates["published"].parsed is not None
    assert doc.dates["published"].parsed.edtf == "1976-06-19"
    assert next(n.text for n in rec.notes if n.kind == "navigation") == "MIA > Archive > Higgins"
    _assert_spans(rec)


def test_subtitle_naming_two_years_is_no_dateline_unless_it_ends_on_its_date() -> None:
    # "England in 1845 and in 1885" tells of a span of time, not of when the text was written
    rec = _page("archive/marx/works/1885/03/england-1845-1855.htm")
    assert rec.dateline is None or "1845" not in rec.dateline.text
    # "from 1905 to the present day (1937)" ends on its date: that is the dateline
    rec = _page("archive/arnot-page/1937/russ_rev_1/03.htm")
    assert rec.dateline is not None
    assert rec.dateline.text == "from 1905 to the present day (1937)"


def test_footnotes_keep_label_and_anchor() -> None:
    rec = _page("archive/marx/works/1848/communist-manifesto/ch01.htm")
    notes = [n for n in rec.notes if n.kind == "footnote"]
    assert (notes[0].label, notes[0].anchor) == ("1", "a1")
    assert notes[0].text.startswith("1. By bourgeoisie is meant")
    assert any(p.text.startswith("A spectre is haunting Europe") for p in rec.paragraphs[:2])
    # the breadcrumb line is navigation, not the first paragraph of the text
    assert not rec.paragraphs[0].text.startswith("MIA:")
    _assert_spans(rec)


@pytest.mark.parametrize(
    "rel",
    [
        "archive/marx/works/date/index.htm",
        "archive/lenin/works/date/1907.htm",
        "archive/marx/works/1871/letters/index.htm",
    ],
)
def test_index_pages_are_recognised(rel: str) -> None:
    rec = _page(rel)
    assert rec.skip_reason is not None and "index" in rec.skip_reason


def test_mecw_removal_stub_is_not_a_work() -> None:
    need_corpus()
    stubs = [
        p
        for p in (need_corpus() / "mia-html/archive/marx/works").rglob("*.htm")
        if b"File No Longer Available" in p.read_bytes()[:3000]
    ]
    assert stubs
    rec = read(stubs[0].name, stubs[0].read_bytes())
    assert rec.skip_reason is not None and "No Longer Available" in rec.skip_reason


@pytest.mark.parametrize(
    "rel",
    [
        "archive/connolly/404.htm",  # "JCIA: File not found", once read as a work
        "archive/marx/letters/404.htm",  # "The letter you were looking for is not there!"
        "italiano/admin/404.htm",  # "File non trovato"
    ],
)
def test_the_sites_file_not_found_pages_are_not_works(rel: str) -> None:
    rec = _page(rel)
    assert rec.skip_reason is not None and "File Not Found" in rec.skip_reason


def test_a_work_that_says_not_found_in_its_text_is_still_a_work() -> None:
    body = "<p>" + "The committee's report was not found among his papers. " * 20 + "</p>"
    page = f"<html><head><title>Letter to Engels</title></head><body><h1>Letter</h1>{body}"
    rec = read("mia-html/archive/marx/letters/x.htm", page.encode())
    assert rec.skip_reason is None


@pytest.mark.parametrize(
    ("rel", "closing", "date"),
    [
        (
            "archive/marx/works/1871/civil-war-france/ch06.htm",
            "Office: 256 High Holborn Road, London, W.C., May 30, 1871",
            "1871-05-30",
        ),
        (
            "archive/held-walter/1936/04/peoplesfront.htm",
            "Walter HELD\nCopenhagen, March 4, 1936",
            "1936-03-04",
        ),
        (
            "archive/rakovsky/1930/08/5year3.htm",
            "Khristian Rakovsky\n27 July–7 August 1930",
            "1930-07-27/1930-08-07",
        ),
    ],
)
def test_the_sign_off_that_ends_the_text_is_a_closing_note(
    rel: str, closing: str, date: str
) -> None:
    rec = _page(rel)
    _assert_spans(rec)
    assert [n.text for n in rec.notes if n.kind == "closing"] == [closing]
    assert all(closing not in p.text for p in rec.paragraphs)
    note = interpret(rec).dates["note"]
    assert note.parsed is not None and note.parsed.edtf == date
    assert note.method == "closing-note"


@pytest.mark.parametrize(
    "rel",
    [
        # a citation closing an appendix ("Sotsial-Demokrat, No. 40, March 29, 1915.") and a
        # numbered note ("12. Lo stato operaio, March 1928.") are no sign-offs
        "archive/badayev/1929/duma/appendix.html",
        "archive/thalheimer/works/fascism.htm",
    ],
)
def test_a_citation_at_the_end_is_not_a_sign_off(rel: str) -> None:
    assert [n for n in _page(rel).notes if n.kind == "closing"] == []


@pytest.mark.parametrize(
    ("rel", "was", "author"),
    [
        # the heading above the title was a section or the site's name, not the author
        ("archive/froelich/1921/11/germany.html", "Economics", "Paul Frölich"),
        ("archive/bukharin/works/1922/05/prisoners.html", "Politics", "Nicolai Bukharin"),
        ("archive/bensaid/2005/11/party-period.htm", "Interview", "Daniel Bensaid"),
        # initials that sign an article are an author
        ("archive/shachtma/1929/09/tuel.htm", None, "M.S."),
    ],
)
def test_a_heading_above_the_title_is_the_author_only_when_it_reads_as_a_name(
    rel: str, was: str | None, author: str
) -> None:
    rec = _page(rel)
    assert rec.author is not None and rec.author.text == author != was
    assert rec.text[rec.author.start : rec.author.end] == author


def test_undeclared_cp1252_page_reads_its_quotes() -> None:
    rec = _page("archive/weisbord/conquest28.htm")
    assert rec.encoding == "cp1252"
    assert "’" in rec.text


def test_english_page_declared_windows_1251_is_read_as_windows_1252() -> None:
    rec = _page("archive/deleon/works/1907/answers/11-rice.html")
    assert rec.encoding == "cp1252"
    assert "à la" in rec.text


def _html(body: str, charset: str | None = None) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset
        else ""
    )
    return f"<html><head>{meta}<title>T</title></head><body>{body}</body></html>"


GERMAN = (
    "<h2>Clara Zetkin</h2><h1>Über die Straße</h1>"
    '<p class="information"><span class="info">Geschrieben:</span> März 1919<br>'
    '<span class="info">Quelle:</span> Die Gleichheit, Nr. 12, 1919.</p>'
    "<p>Die Arbeiterinnen gehen über die Straße, schön und gemütlich, nach Köln und Zürich; "
    "so beginnt es, und es geht weiter mit mehr Text über die Frauenfrage im Jahr 1919.</p>"
)
RUSSIAN = (
    "<h2>В. И. Ленин</h2><h1>Пролетарии всех стран</h1>"
    "<p>Пролетарии всех стран, соединяйтесь! Это письмо было написано в январе 1930 года, "
    "и оно говорит о многом, что важно для рабочего движения во всех странах мира.</p>"
)


def test_windows_1252_page() -> None:
    data = _html(GERMAN, "windows-1252").encode("cp1252")
    rec = read("de.htm", data)
    assert rec.encoding == "cp1252"
    assert rec.title is not None and rec.title.text == "Über die Straße"
    assert {f.name: f.value for f in rec.fields}["Quelle"] == "Die Gleichheit, Nr. 12, 1919."
    doc = interpret(rec)
    assert doc.source is not None and doc.source.number == "12"
    assert doc.dates["written"].parsed is not None
    assert doc.dates["written"].parsed.edtf == "1919-03"


@pytest.mark.parametrize("charset", ["koi8-r", None])
def test_koi8_r_page_declared_or_not(charset: str | None) -> None:
    rec = read("ru.htm", _html(RUSSIAN, charset).encode("koi8_r"))
    assert rec.encoding == "koi8-r"
    assert rec.title is not None and rec.title.text == "Пролетарии всех стран"
    assert rec.author is not None and rec.author.text == "В. И. Ленин"


def test_invalid_utf8_declared_utf8_is_read_not_refused() -> None:
    data = _html(GERMAN, "utf-8").encode("utf-8") + b"<p>broken \xff\xfe bytes</p>"
    rec = read("bad.htm", data)
    assert rec.encoding == "cp1252"  # the whole file read one way, never a mix
    assert rec.paragraphs


def test_truncated_page_keeps_what_is_there() -> None:
    full = _html(GERMAN).encode("utf-8")
    cut = full[: full.index(b"Frauenfrage")]
    rec = read("cut.htm", cut)
    assert rec.paragraphs and rec.paragraphs[-1].text.endswith("mehr Text über die")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n", "empty"), (b"\x00\x01\x02PNG" * 50, "binary")],
)
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        read("x.htm", data)


def test_markup_with_no_text_is_refused_with_the_reason() -> None:
    with pytest.raises(UnreadableFile, match="no text"):
        read("x.htm", b"<html><body><div></div></body></html>")


def test_detect_picks_html_by_name_and_by_content() -> None:
    assert detect("a/b.htm", b"<p>x</p>") == "html"
    assert detect("a/b", b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert detect("a/b.txt", b"Plain words.\n") == "text"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("mia-html/archive/lenin/index.htm", "https://www.marxists.org/archive/lenin/index.htm"),
        ("copy/mia-html/history/x.htm", "https://www.marxists.org/history/x.htm"),
        ("lenin/works/x.htm", None),
        ("somewhere/archive/marx/y.htm", "https://www.marxists.org/archive/marx/y.htm"),
    ],
)
def test_site_url(path: str, url: str | None) -> None:
    assert html.site_url(path) == url


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("Transcription\\HTML Markup", "transcription"),
        ("Transcribed/HTML Markup", "transcription"),
        ("Transcription/Markup", "transcription"),
        ("First Published", "first published"),
        ("Proofed", "proofread"),
        ("Copyleft", "rights"),
        ("Public Domain", "rights"),
        ("Scritto", "written"),
        ("Written by", "author"),
        ("Marx to Engels", None),
    ],
)
def test_label_spellings(label: str, canonical: str | None) -> None:
    assert canonical_label(label) == canonical


@pytest.mark.parametrize(
    ("declared", "codec"),
    [
        ("iso-8859-1", "cp1252"),
        ("ISO8850-1", "cp1252"),
        ("iso-8859", "cp1252"),
        ("utf-98", "utf-8"),
        ("rtf-8", "utf-8"),
        ("windows-1251", "cp1251"),
        ("nonsense", None),
    ],
)
def test_declared_charset_typos(declared: str, codec: str | None) -> None:
    assert codec_for(declared) == codec


def test_utf16_declared_on_ascii_bytes_reads_as_utf8() -> None:
    text, enc = decode("x.htm", b"<p>plain</p>", "utf-16")
    assert (text, enc) == ("<p>plain</p>", "utf-8")


def test_every_span_points_at_its_text_on_a_sample_of_the_corpus() -> None:
    pages = sorted((need_corpus() / "mia-html").rglob("*.htm*"))[::40]
    for page in pages:
        try:
            rec = read(str(page), page.read_bytes())
        except UnreadableFile:
            continue
        _assert_spans(rec)


def test_an_unlabelled_citation_line_is_read_as_the_source() -> None:
    # "Clara Zetkin, <strong>Justice</strong>, 9th October 1909, p. 7." opens the information
    # block with no label: a title in bold and a date after it make it clearly the source
    rec = _page("archive/zetkin/1909/10/09.htm")
    _assert_spans(rec)
    cited = [f for f in rec.fields if canonical_label(f.name) == "source"]
    assert [(f.name, f.value) for f in cited] == [
        ("Source (unlabelled citation)", "Justice, 9th October 1909, p. 7.")
    ]
    doc = interpret(rec)
    assert doc.source is not None and doc.source.periodical == "Justice"
    assert doc.source.date is not None and doc.source.date.method == "unlabelled-citation"
    published = doc.dates["published"]
    assert published.parsed is not None and published.parsed.edtf == "1909-10-09"
    assert published.method == "unlabelled-citation"
    # a book introduction: "<em>Introduction</em> to <strong>Blood, Sweat and Tears</strong>,
    # photographs of the miners' strike, London 1985." is its source too (no periodical); read
    # from the last title a date follows
    doc = interpret(_page("archive/foot-paul/1985/xx/miners.html"))
    assert doc.source is not None and doc.source.periodical is None
    assert doc.source.text.startswith("Blood, Sweat and Tears, photographs")
    assert doc.dates["published"].text == "1985"


def test_an_unlabelled_line_that_is_no_citation_stays_a_note() -> None:
    # "Transcript of a meeting." (no title, no date) and a page with a labelled Source line
    rec = _page("archive/widgery/1987/xx/sex-soc.htm")
    assert not [f for f in rec.fields if canonical_label(f.name) == "source"]
    doc = interpret(_page("archive/lenin/works/1913/mar/22.htm"))  # "Source: Lenin Collected …"
    assert doc.source is not None and doc.source.text.startswith("Lenin Collected Works")
    assert doc.source.date is not None and doc.source.date.method == "header"
