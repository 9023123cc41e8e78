"""CSL-JSON, BibTeX and formatted citations, on the seed record and the shared corpus."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from click.testing import CliRunner

from prinkipo.anchors import paragraph_anchors, resolve_anchor
from prinkipo.checks import decide
from prinkipo.cli import cli
from prinkipo.errors import PrinkipoError
from prinkipo.export.bibtex import bibtex_entry, bibtex_fields, escape
from prinkipo.export.citations import (
    ATTRIBUTION,
    STYLE_DIR,
    UnknownStyle,
    cite,
    cited_document,
    csl_date,
    csl_item,
    csl_name,
    format_citation,
)
from prinkipo.ingestion import ingest
from prinkipo.store import Store

from .conftest import SHARED

SCHEMA_PATH = SHARED / "csl" / "csl-data.json"
SEED_NOTE = (
    "Leon Trotsky, ‘Opposition Serves the Bolshevik Revolution’, letter, The Militant, "
    "1 March 1920."
)


def csl_validator() -> jsonschema.Draft7Validator:
    if not SCHEMA_PATH.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the CSL schema is missing at {SCHEMA_PATH}")
        pytest.skip(f"CSL-JSON schema not found at {SCHEMA_PATH}")
    return jsonschema.Draft7Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def parse_bibtex(text: str) -> Any:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def fields_of(entry: Any) -> dict[str, str]:
    """An entry's decoded fields. pylatexenc reads LaTeX's \\textasciicircum as U+02C6 (the
    modifier letter); the TeX source means U+005E, so that one character is mapped back."""
    return {k: f.value.replace("\u02c6", "^") for k, f in entry.fields_dict.items()}


@pytest.fixture
def seeded(store: Store, seed_dir: Path) -> Store:
    ingest(store, [seed_dir])
    return store


def test_seed_chicago_note_reads_as_a_historian_writes_it(seeded: Store) -> None:
    doc = cited_document(seeded, 1)
    note = format_citation(doc, "chicago-note")
    assert note.text == SEED_NOTE
    assert note.html.count("<i>The Militant</i>") == 1
    assert note.bibliography_text == (
        "Trotsky, Leon. ‘Opposition Serves the Bolshevik Revolution’. Letter. The Militant, "
        "1 March 1920."
    )


def test_seed_chicago_note_follows_an_accepted_correction(seeded: Store) -> None:
    finding = seeded.findings(rule="published-before-written")[0]
    decide(seeded, finding["key"], "accepted", "an editor")
    doc = cited_document(seeded, 1)
    note = format_citation(doc, "chicago-note")
    assert note.text == SEED_NOTE.replace("1 March 1920", "1 March 1930")
    item = csl_item(doc)
    assert item["issued"] == {"date-parts": [[1930, 3, 1]]}
    assert item["custom"]["corrections"][0]["by"] == "an editor"
    assert "1 March 1930" in item["custom"]["source"]
    csl_validator().validate([item])


def test_seed_in_every_style_with_a_paragraph(seeded: Store) -> None:
    doc = cited_document(seeded, 1)
    assert format_citation(doc, "chicago-note", 3).text.endswith("1 March 1920, para. 3.")
    assert format_citation(doc, "chicago-author-date", 3).text == "(Trotsky [1930] 1920, para. 3)"
    mla = format_citation(doc, "mla", 3)
    assert mla.text == "(Trotsky, ‘Opposition Serves the Bolshevik Revolution’, par. 3)"
    assert "The Militant, III, no. 9, 1 Mar. 1920, p. 4." in mla.bibliography_text
    us = format_citation(doc, "chicago-note", locale="en-US")
    assert "March 1, 1920" in us.text and "“Opposition" in us.text


def test_unknown_style_and_missing_paragraph_are_refused(seeded: Store) -> None:
    doc = cited_document(seeded, 1)
    with pytest.raises(UnknownStyle, match="known styles: chicago-note"):
        format_citation(doc, "harvard")
    with pytest.raises(PrinkipoError, match="has no paragraph 9"):
        format_citation(doc, "mla", 9)


def test_shipped_styles_carry_their_attribution() -> None:
    source = (STYLE_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "https://citationstyles.org/" in source and "Attribution-ShareAlike 3.0" in source
    for csl in STYLE_DIR.glob("*.csl"):
        assert "creativecommons.org/licenses/by-sa/3.0" in csl.read_text(encoding="utf-8")
    assert "citationstyles.org" in ATTRIBUTION


def test_seed_csl_item_is_valid_and_complete(seeded: Store) -> None:
    item = csl_item(cited_document(seeded, 1))
    csl_validator().validate([item])
    assert item["type"] == "article-newspaper"
    assert item["author"] == [{"family": "Trotsky", "given": "Leon"}]
    assert item["issued"] == {"date-parts": [[1920, 3, 1]]}
    assert item["original-date"] == {"date-parts": [[1930, 1, 5]]}
    assert (item["container-title"], item["volume"], item["issue"], item["page"]) == (
        "The Militant",
        "III",
        "9",
        "4",
    )
    assert item["custom"]["source"] == "The Militant, Vol. III No. 9, 1 March 1920, p. 4."


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ({"text": "5 January 1930", "edtf": "1930-01-05"}, {"date-parts": [[1930, 1, 5]]}),
        ({"text": "March 1850", "edtf": "1850-03"}, {"date-parts": [[1850, 3]]}),
        ({"text": "c. 1650", "edtf": "1650~"}, {"date-parts": [[1650]], "circa": True}),
        (
            {"text": "12-17 April 1871", "edtf": "1871-04-12/1871-04-17"},
            {"date-parts": [[1871, 4, 12], [1871, 4, 17]]},
        ),
        ({"text": "1924-1936", "edtf": "1924/1936"}, {"date-parts": [[1924], [1936]]}),
        ({"text": "1840s", "edtf": "184X"}, {"date-parts": [[1840], [1849]]}),
        ({"text": "Summer 1850", "edtf": "1850-22"}, {"date-parts": [[1850]], "season": 2}),
        ({"text": "[1850?]", "edtf": "[1850?]"}, {"date-parts": [[1850]]}),
        ({"text": "not before 1928", "edtf": "1928/.."}, {"literal": "not before 1928"}),
        ({"text": "Lady Dya 17x3", "edtf": None, "error": "x"}, {"literal": "Lady Dya 17x3"}),
    ],
)
def test_csl_dates_from_edtf(date: dict[str, Any], expected: dict[str, Any]) -> None:
    converted = csl_date(date)
    assert converted == expected
    csl_validator().validate([{"id": "x", "type": "personal_communication", "issued": converted}])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Leon Trotsky", {"family": "Trotsky", "given": "Leon"}),
        ("V. I. Lenin", {"family": "Lenin", "given": "V. I."}),
        ("Escher, Alfred", {"family": "Escher", "given": "Alfred"}),
        (
            "Ludwig von Mises",
            {"family": "Mises", "given": "Ludwig", "non-dropping-particle": "von"},
        ),
        ("Militant", {"literal": "Militant"}),
        ("Communist International", {"family": "International", "given": "Communist"}),
    ],
)
def test_csl_names(name: str, expected: dict[str, str]) -> None:
    assert csl_name(name) == expected


def test_bibtex_reads_back_with_the_same_fields(seeded: Store) -> None:
    item = csl_item(cited_document(seeded, 1))
    library = parse_bibtex(bibtex_entry(item))
    (entry,) = library.entries
    assert entry.entry_type == "article" and entry.key == "trotsky1920opposition"
    assert fields_of(entry) == bibtex_fields(item)
    assert entry["date"] == "1920-03-01" and entry["origdate"] == "1930-01-05"


def test_bibtex_keeps_unicode_and_escapes_tex(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "odd.txt").write_text(
        "L. Trotsky\n\nProfits & Wages, 50% of $10_000 {draft} ~ ^ \\ # — Größe, Łódź\n\n"
        "Written: 3 March 1899.\nSource: Die Neue Zeit, Bd. 2 Nr. 12, 1899, S. 463–470.\n"
        "Ein Absatz über die Löhne.\n",
        encoding="utf-8",
    )
    ingest(store, [folder])
    item = csl_item(cited_document(store, 1))
    text = bibtex_entry(item)
    assert "Größe, Łódź" in text and r"50\% of \$10\_000 \{draft\}" in text
    (entry,) = parse_bibtex(text).entries
    assert fields_of(entry) == bibtex_fields(item)
    title = "Profits & Wages, 50% of $10_000 {draft} ~ ^ \\ # — Größe, Łódź"
    assert fields_of(entry)["title"] == title
    csl_validator().validate([item])


def test_escape_is_reversed_by_a_latex_decoder() -> None:
    raw = "a & b % c $ d # e _ f { g } h ~ i ^ j \\ k ü"
    (entry,) = parse_bibtex(f"@misc{{k, title = {{{escape(raw)}}}}}").entries
    assert fields_of(entry)["title"] == raw


def test_paragraph_anchor_survives_reingest(seeded: Store, seed_dir: Path) -> None:
    before = cite(seeded, 1, "chicago-note", 2)
    anchor = before["anchor"]
    record = next(seed_dir.iterdir())
    text = record.read_text(encoding="utf-8")
    first_body = text.index("Up to the very last moment")
    record.write_text(
        text[:first_body] + "A paragraph added by a later transcriber.\n\n" + text[first_body:],
        encoding="utf-8",
    )
    report = ingest(seeded, [seed_dir])
    assert report.updated == 1
    doc = cited_document(seeded, 1)
    texts = [p["text"] for p in doc["paragraphs"]]
    assert resolve_anchor(texts, anchor) == 3
    assert doc["paragraphs"][2]["anchor"] == anchor
    assert resolve_anchor(texts, "p3") == 3 and resolve_anchor(texts, "p-0000000000") is None


def test_duplicate_paragraphs_get_distinct_anchors() -> None:
    anchors = paragraph_anchors(["Same text.", "Other.", "same   TEXT."])
    assert anchors[0] != anchors[2] and anchors[2] == anchors[0] + "-2"


def test_cli_exports_are_valid_and_deterministic(
    seeded: Store, db_path: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    outputs = {}
    for fmt, name in (("csl-json", "a.json"), ("bibtex", "a.bib")):
        for n in (1, 2):
            out = tmp_path / f"{n}{name}"
            result = runner.invoke(cli, ["export", fmt, str(out), "--db", str(db_path), "--json"])
            assert result.exit_code == 0, result.output
            assert json.loads(result.stdout)["documents"] == 1
            outputs[(fmt, n)] = out.read_bytes()
        assert outputs[(fmt, 1)] == outputs[(fmt, 2)]
    items = json.loads(outputs[("csl-json", 1)])
    csl_validator().validate(items)
    assert len(parse_bibtex(outputs[("bibtex", 1)].decode()).entries) == 1


def test_cli_cite(seeded: Store, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["cite", "1", "--db", str(db_path)])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == SEED_NOTE
    result = CliRunner().invoke(cli, ["cite", "1", "--paragraph", "9", "--db", str(db_path)])
    assert result.exit_code == 2 and "has no paragraph 9" in result.stderr


def test_unknown_export_format_is_usage_error(seeded: Store, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "docx", "x", "--db", str(db_path)])
    assert result.exit_code == 2 and "csl-json" in result.output


@pytest.fixture(scope="session")
def corpus_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample of every corpus folder, read by whichever readers the package has."""
    from .conftest import SEED_FILE, need_corpus

    corpus = need_corpus()
    db = tmp_path_factory.mktemp("corpus") / "archive.db"
    files: list[Path] = [SEED_FILE]
    for folder in ("mia-html", "tei", "cmif"):
        found = sorted(p for p in (corpus / folder).rglob("*") if p.is_file())
        files += found[:: max(1, len(found) // 30)]
    from prinkipo.store import open_store

    with open_store(db) as store:
        ingest(store, files)
    return db


def test_every_ingested_corpus_document_exports(corpus_archive: Path, tmp_path: Path) -> None:
    from prinkipo.export.bibtex import export_bibtex
    from prinkipo.export.citations import export_csl_json
    from prinkipo.store import open_store

    with open_store(corpus_archive) as store:
        count = store.count_documents()
        assert export_csl_json(store, tmp_path / "all.json") == count
        assert export_bibtex(store, tmp_path / "all.bib") == count
        items = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
        csl_validator().validate(items)
        entries = parse_bibtex((tmp_path / "all.bib").read_text(encoding="utf-8")).entries
        assert len(entries) == count == len({e.key for e in entries})
        for entry, item in zip(entries, items, strict=True):
            assert fields_of(entry) == bibtex_fields(item)
        for item in items[:20]:
            doc = cited_document(store, item["custom"]["prinkipo-id"])
            assert format_citation(doc, "chicago-note").text


def test_citation_html_escapes_the_document_text() -> None:
    doc = {
        "id": 5,
        "title": 'A <script>alert(1)</script> & "co"',
        "authors": [{"name": "Karl Marx"}],
        "source": {"periodical": "Die Zeit", "date": {"text": "1 May 1850", "edtf": "1850-05-01"}},
        "files": [{"path": "x.txt", "sha256": "0"}],
        "paragraphs": [],
    }
    c = format_citation(doc)
    for markup in (c.html, c.bibliography_html):
        assert "<script>" not in markup and "&lt;script&gt;" in markup
        assert "<i>Die Zeit</i>" in markup
    assert "<script>" in c.text  # plain text stays text
