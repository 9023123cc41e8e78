"""The checks: each rule on a record it must catch and on records it must leave alone.

Records are real plain-text files in the seed's format, written to a temp folder and ingested
into a real SQLite archive; the seed itself is the founding case.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from prinkipo.checks import RULES, decide, refresh_findings, run_checks
from prinkipo.checks.fixes import date_slips, swap_day_month
from prinkipo.checks.text import repair
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store

TODAY = date(2026, 11, 25)


def record(
    folder: Path,
    name: str,
    body: str = "",
    *,
    author: str = "Max Shachtman",
    title: str = "A Title",
    dateline: str | None = None,
    fields: dict[str, str] | None = None,
    notes: str = "",
) -> Path:
    """Write a plain-text record in the seed's layout."""
    lines = [author, "", title, ""]
    if dateline:
        lines += [f"({dateline})", ""]
    lines += [f"{k}: {v}" for k, v in (fields or {}).items()]
    text = body or (
        f"The text of {name} begins here, and it goes on for long enough to be a real text. "
        "It speaks of the congress, the party, the struggle and the press of the day, and of "
        "what the workers did about it. It ends where the article ends."
    )
    lines += [text, ""]
    if notes:
        lines += [notes, ""]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


MARKUP = {"Transcription/Markup": "Lenin Internet Archive."}


def findings_by_rule(store: Store, rule: str) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in run_checks(store, today=TODAY) if f.rule == rule]


def test_every_rule_has_a_name_a_severity_and_a_docstring() -> None:
    assert len(RULES) >= 10
    for name, r in RULES.items():
        assert r.name == name and r.severity in ("error", "warning", "info")
        assert len(r.doc.strip()) > 40, name


# -- the seed ---------------------------------------------------------------------------------


def test_seed_published_before_written_suggests_1930_from_the_authority(
    store: Store, seed_dir: Path
) -> None:
    ingest(store, [seed_dir])
    found = {f.rule: f for f in run_checks(store, today=TODAY)}
    f = found["published-before-written"]
    assert f.severity == "error"
    assert f.message == "Source date 1 March 1920 is before the date written, 5 January 1930"
    assert [(e.field, e.text) for e in f.evidence] == [
        ("Source", "1 March 1920"),
        ("Written", "5 January 1930"),
    ]
    text = (seed_dir / "000_4114f29613fc0492.txt").read_text(encoding="utf-8")
    for e in f.evidence:
        assert e.start is not None and text[e.start : e.end] == e.text
    assert f.suggestion is not None
    assert (f.suggestion.field, f.suggestion.value) == ("Source", "1 March 1930")
    reason = f.suggestion.reason
    assert "one-digit slip (1920 → 1930)" in reason and "after writing" in reason
    assert "Vol. III of The Militant" in reason and "curated authority" in reason
    assert found["volume-date-mismatch"].suggestion is not None


def test_findings_are_stored_after_ingest_and_shown_on_the_document(
    store: Store, seed_dir: Path
) -> None:
    ingest(store, [seed_dir])
    doc = document_object(store, 1)
    rules = {f["rule"] for f in doc["findings"]}
    assert {"published-before-written", "volume-date-mismatch"} <= rules
    f = next(f for f in doc["findings"] if f["rule"] == "published-before-written")
    assert set(f) >= {"id", "document_id", "rule", "severity", "message", "evidence", "suggestion"}
    assert f["status"] == "open" and f["document_id"] == 1


# -- learning a periodical's volumes from its other records -----------------------------------

MILITANT = [
    ("v1.txt", "Vol. VI No. 2", "7 January 1933"),
    ("v2.txt", "Vol. VI No. 10", "4 March 1933"),
    ("v3.txt", "Vol. VI No. 20", "13 May 1933"),
    ("v4.txt", "Vol. VI No. 30", "22 July 1933"),
    ("v5.txt", "Vol. VI No. 40", "26 August 1933"),
    ("v6.txt", "Vol. VI No. 50", "4 November 1933"),
    ("v7.txt", "Vol. VII No. 5", "3 February 1934"),
    ("v8.txt", "Vol. VII No. 20", "19 May 1934"),
    ("v9.txt", "Vol. VII No. 30", "28 July 1934"),
]


def militant(folder: Path, extra: list[tuple[str, str, str]]) -> None:
    for name, issue, when in MILITANT + extra:
        record(
            folder,
            name,
            fields={"Source": f"The Militant, {issue}, {when}, p. 4."},
        )


def test_volume_learnt_from_other_records(store: Store, tmp_path: Path) -> None:
    militant(tmp_path / "m", [("bad.txt", "Vol. VI No. 46", "7 October 1943")])
    ingest(store, [tmp_path / "m"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in found] == ["m/bad.txt"]
    f = found[0]
    assert "other records of The Militant put Vol. VI between" in f.message
    assert any(e.path == "m/v1.txt" for e in f.evidence)
    assert f.suggestion is not None and f.suggestion.value == "7 October 1933"


def test_changed_volume_suggests_the_volume_of_its_date(store: Store, tmp_path: Path) -> None:
    militant(tmp_path / "m", [("bad.txt", "Vol. IX No. 46", "7 October 1933")])
    ingest(store, [tmp_path / "m"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    # Vol. IX has no records; learnt offsets (or none) must not flag the originals
    assert all(f.path == "m/bad.txt" for f in found)


def test_issue_out_of_order_catches_day_and_month_swapped(store: Store, tmp_path: Path) -> None:
    militant(tmp_path / "m", [("bad.txt", "Vol. VI No. 46", "10 July 1933")])
    ingest(store, [tmp_path / "m"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "issue-date-mismatch"]
    assert [f.path for f in found] == ["m/bad.txt"]
    assert "No. 40 is 26 August 1933" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "7 October 1933"


def test_clean_periodical_run_has_no_findings(store: Store, tmp_path: Path) -> None:
    militant(tmp_path / "m", [])
    ingest(store, [tmp_path / "m"])
    assert run_checks(store, today=TODAY) == []


# -- dates ------------------------------------------------------------------------------------


def test_date_outside_the_authors_life(store: Store, tmp_path: Path) -> None:
    record(tmp_path / "r", "late.txt", author="Karl Marx", fields={"Written": "12 May 1948"})
    record(tmp_path / "r", "early.txt", author="Karl Marx", fields={"Written": "12 May 1808"})
    record(tmp_path / "r", "ok.txt", author="Karl Marx", fields={"Written": "12 May 1848"})
    ingest(store, [tmp_path / "r"])
    found = findings_by_rule(store, "date-outside-life")
    assert sorted(p for p, _ in found) == ["r/early.txt", "r/late.txt"]
    assert any(
        "after Karl Marx died (1883-03-14): the date is wrong, or the author" in m for _, m in found
    )


def test_date_in_the_future(store: Store, tmp_path: Path) -> None:
    record(tmp_path / "r", "f.txt", fields={"Written": "5 January 2930"})
    ingest(store, [tmp_path / "r"])
    assert [p for p, _ in findings_by_rule(store, "date-in-future")] == ["r/f.txt"]


def test_unreadable_date(store: Store, tmp_path: Path) -> None:
    record(tmp_path / "r", "u.txt", fields={"Written": "30 February 1930"})
    ingest(store, [tmp_path / "r"])
    found = findings_by_rule(store, "unreadable-date")
    assert found and "February 1930 has no day 30" in found[0][1]


def test_closing_note_disagreeing_with_written(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "r",
        "n.txt",
        dateline="January 1930",
        fields={"Written": "5 January 1930."},
        notes="(Excerpts from letter of January 5th, 1920 at Prinkipo, Turkey)",
    )
    ingest(store, [tmp_path / "r"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "dates-disagree"]
    assert len(found) == 1
    assert found[0].suggestion is not None
    assert found[0].suggestion.value == "January 5th, 1930"


def test_dateline_after_publication(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "r",
        "d.txt",
        dateline="October 1943",
        fields={"Source": "The Militant, Vol. VI No. 46, 7 October 1933, p. 4."},
    )
    ingest(store, [tmp_path / "r"])
    assert [p for p, _ in findings_by_rule(store, "dates-disagree")] == ["r/d.txt"]


def test_path_date_mismatch_learnt_from_the_collection(store: Store, tmp_path: Path) -> None:
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]
    for n, month in enumerate(months, start=1):
        record(
            tmp_path / "a" / "1933" / f"{n:02d}",
            "ok.txt",
            body=f"Text {n}. " * 40,
            fields={"Written": f"7 {month} 1933"},
        )
    record(tmp_path / "a" / "1933" / "10", "x.txt", fields={"Written": "7 October 1943"})
    record(tmp_path / "b" / "1933" / "10", "y.txt", fields={"Written": "7 October 1943"})
    ingest(store, [tmp_path / "a", tmp_path / "b"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "path-date-mismatch"]
    # b/ has no habit to learn from: its record is left alone
    assert [f.path for f in found] == ["a/1933/10/x.txt"]
    assert "9 of the 9 other records in a have their written date" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "7 October 1933"


def test_small_collection_held_to_the_archives_habit_where_a_slip_explains_it(
    store: Store, tmp_path: Path
) -> None:
    # sixty one-record collections, five in six with the date of writing in its month folder:
    # too weak a habit to hold any date to, but enough for one a slip puts in the folder's
    # very month (October 1974 under 1934/10)
    for n in range(60):
        year = 1900 + n
        written = f"7 March {year}" if n % 6 else f"7 June {year - 11}"
        record(
            tmp_path / f"c{n:02d}" / str(year) / "03",
            "x.txt",
            body=f"Text {n}. " * 40,
            fields={"Written": written},
        )
    record(tmp_path / "z" / "1934" / "10", "x.txt", fields={"Written": "7 October 1974"})
    record(tmp_path / "y" / "1934" / "10", "x.txt", fields={"Written": "7 October 1929"})
    ingest(store, sorted(tmp_path.iterdir()))
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "path-date-mismatch"]
    # (y/'s October 1929 is no slip of October 1934: nothing explains it, and it is let be)
    assert [f.path for f in found] == ["z/1934/10/x.txt"]
    f = found[0]
    assert "50 of the 61 other records in the archive have their written date" in f.message
    assert f.suggestion is not None and f.suggestion.value == "7 October 1934"


def test_date_slips() -> None:
    texts = {s.text for s in date_slips("1 March 1920")}
    assert {"1 March 1930", "1 March 1820", "1 March 1921"} <= texts
    assert "1 March 1920" not in texts
    assert swap_day_month("10 July 1933") == "7 October 1933"
    assert swap_day_month("July 10, 1933") == "October 7, 1933"
    assert swap_day_month("25 July 1933") is None


# -- fields and text --------------------------------------------------------------------------


def test_missing_field_learnt_from_the_collection(store: Store, tmp_path: Path) -> None:
    for i in range(9):
        record(
            tmp_path / "c",
            f"{i}.txt",
            body=f"Text number {i}. " * 30,
            fields={"Source": f"Labor Action, Vol. 4 No. {i + 1}, {i + 1} March 1940."},
        )
    record(tmp_path / "c", "dropped.txt", body="Another text entirely. " * 30, fields={})
    ingest(store, [tmp_path / "c"])
    found = findings_by_rule(store, "missing-field")
    paths = {p for p, _ in found}
    assert paths == {"c/dropped.txt"}
    assert any(
        "no source or first publication, which 9 of the 9 other records in c" in m for _, m in found
    )


def test_missing_field_in_a_works_folder_held_to_its_collection(
    store: Store, tmp_path: Path
) -> None:
    kerensky = tmp_path / "kerensky"
    for i in range(9):
        record(
            kerensky / "1917",
            f"x{i}.txt",
            body=f"Article number {i}. " * 30,
            fields={"Source": f"Collected Articles, p. {i + 10}."},
        )
    for i in range(1, 4):
        record(
            kerensky / "1919" / "prelude",
            f"ch0{i}.txt",
            body=f"Chapter number {i}. " * 30,
            fields={"Source": "The Prelude To Bolshevism", "Transcriber": "Zdravko."},
        )
    record(
        kerensky / "1919" / "prelude",
        "ch04.txt",
        body="Chapter four entirely. " * 30,
        fields={"Transcriber": "Zdravko."},
    )
    # a book's chapter whose folder holds nothing else says nothing of what its pages carry
    bukharin = tmp_path / "bukharin"
    for i in range(9):
        record(
            bukharin / "1925",
            f"x{i}.txt",
            body=f"Speech number {i}. " * 30,
            fields={"Source": f"Collected Speeches, p. {i + 10}."},
        )
    record(bukharin / "1933" / "book", "ch01.txt", body="A lone chapter. " * 30, fields=MARKUP)
    ingest(store, [kerensky, bukharin])
    # (the articles cite a source with no date, under a year: each is told so, as `info`)
    found = [
        (p, m)
        for p, m in findings_by_rule(store, "missing-field")
        if not m.startswith("no date of writing or publication")
    ]
    assert [p for p, _ in found] == ["kerensky/1919/prelude/ch04.txt"]
    assert "12 of the 12 other records in kerensky" in found[0][1]


def test_undated_record_with_a_header_dated_by_its_path(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "guevara" / "1967" / "04",
        "16.txt",
        fields={"Publisher": "The Executive Secretariat of the OSPAAAL.", "Markup": "J. Navas."},
    )
    record(tmp_path / "guevara" / "1967" / "04", "ch1.txt", fields={"Markup": "J. Navas."})
    ingest(store, [tmp_path / "guevara"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "missing-field"]
    assert [f.path for f in found] == ["guevara/1967/04/16.txt"]
    f = found[0]
    assert f.severity == "info" and "files it under 1967/04 (April 1967)" in f.message
    assert f.suggestion is not None and f.suggestion.value == "April 1967"
    assert [e.field for e in f.evidence] == ["date", "Publisher", "path"]


def test_duplicate_text(store: Store, tmp_path: Path) -> None:
    body = "The same long text, word for word, in two files of the archive. " * 6
    record(tmp_path / "d", "a.txt", body=body, fields={"Written": "1 May 1930"})
    record(tmp_path / "d", "b.txt", body=body, fields={"Written": "1 May 1930"})
    record(tmp_path / "d", "c.txt", fields={"Written": "1 May 1930"})
    ingest(store, [tmp_path / "d"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "duplicate-text"]
    assert [f.path for f in found] == ["d/b.txt"]
    assert found[0].evidence[1].path == "d/a.txt"


def test_mojibake(store: Store, tmp_path: Path) -> None:
    body = "The workersâ€™ party didnâ€™t wait for the Zürich congress. " * 5
    record(tmp_path / "t", "m.txt", body=body, fields={"Written": "1 May 1930"})
    record(tmp_path / "t", "ok.txt", body="Fuß“ and Zürich, naïve café, L’Âge d’or — fine. " * 8)
    ingest(store, [tmp_path / "t"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "mojibake"]
    assert [f.path for f in found] == ["t/m.txt"]
    assert found[0].suggestion is not None and found[0].suggestion.value == "’"
    text = (tmp_path / "t" / "m.txt").read_text(encoding="utf-8")
    e = found[0].evidence[0]
    assert e.start is not None and text[e.start : e.end] == "â€™"


@pytest.mark.parametrize(
    ("garbled", "meant"),
    # "â€": ” read as Windows-1252 by a decoder that dropped the byte 9D it has no character for
    # "â€\x9d", "Ã\x81": the bytes Windows-1252 has no character for, read as control characters
    [
        ("Ã©", "é"),
        ("â€œ", "“"),
        ("Ã¼", "ü"),
        ("Ð¿", "п"),
        ("Ãœ", "Ü"),
        ("â€", "”"),
        ("â€\x9d", "”"),
        ("Ã\x81", "Á"),
        # "Â" alone: a no-break space (C2 A0) whose second byte became a plain space or was lost
        ("Â", "\u00a0"),
    ],
)
def test_repair(garbled: str, meant: str) -> None:
    assert repair(garbled) == meant


def test_footnote_anchor_without_footnote(store: Store, tmp_path: Path) -> None:
    body = "As he said,[1] and as he said again,[2] the text goes on for a while here. " * 3
    record(tmp_path / "f", "x.txt", body=body, notes="[1] The first note.")
    ingest(store, [tmp_path / "f"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "footnote-anchor-missing"]
    assert len(found) == 1 and found[0].evidence[0].text == "[2]"


# -- decisions --------------------------------------------------------------------------------


def test_dismissed_finding_stays_dismissed_across_reingest(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    f = store.findings(rule="volume-date-mismatch")[0]
    decide(store, str(f["id"]), "dismissed", "tester", note="checked")
    assert store.findings(rule="volume-date-mismatch") == []
    # the file changes elsewhere; re-ingest updates the document, the decision holds
    path = seed_dir / "000_4114f29613fc0492.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", "utf-8")
    report = ingest(store, [seed_dir])
    assert report.updated == 1
    assert store.findings(rule="volume-date-mismatch") == []
    again = store.findings(rule="volume-date-mismatch", status="dismissed")
    assert again and again[0]["key"] == f["key"]


def test_accepted_fix_is_applied_and_kept_across_reingest(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    f = store.findings(rule="published-before-written")[0]
    decide(store, f["key"], "accepted", "tester")
    doc = document_object(store, 1)
    assert doc["dates"]["published"]["edtf"] == "1930-03-01"
    assert doc["dates"]["published"]["corrected"]["from"]["text"] == "1 March 1920"
    assert "1 March 1930" in doc["source"]["text"]
    assert doc["corrections"][0]["by"] == "tester"
    # the record is checked as corrected: both date findings are resolved
    assert store.findings() == []
    path = seed_dir / "000_4114f29613fc0492.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nOne more paragraph.\n", "utf-8")
    ingest(store, [seed_dir])
    assert document_object(store, 1)["dates"]["published"]["edtf"] == "1930-03-01"
    assert store.findings() == []


def test_decide_rejects_bad_input(store: Store, seed_dir: Path) -> None:
    from prinkipo.errors import PrinkipoError

    ingest(store, [seed_dir])
    with pytest.raises(PrinkipoError, match="Finding 999 not found"):
        decide(store, "999", "dismissed", "tester")
    with pytest.raises(PrinkipoError, match="'accepted' or 'dismissed'"):
        decide(store, "1", "maybe", "tester")


def test_refresh_for_one_document_leaves_the_others(store: Store, tmp_path: Path) -> None:
    record(tmp_path / "r", "a.txt", fields={"Written": "5 January 2930"})
    record(tmp_path / "r", "b.txt", fields={"Written": "6 January 2930"})
    ingest(store, [tmp_path / "r"], check=False)
    assert store.findings() == []
    refresh_findings(store, [1], today=TODAY)
    assert {f["document_id"] for f in store.findings()} == {1}
    refresh_findings(store, today=TODAY)
    assert {f["document_id"] for f in store.findings()} == {1, 2}


def test_checks_and_decisions_on_both_backends(any_store: Store, seed_dir: Path) -> None:
    ingest(any_store, [seed_dir])
    found = {f["rule"]: f for f in any_store.findings()}
    assert {"published-before-written", "volume-date-mismatch"} <= set(found)
    f = found["volume-date-mismatch"]
    decide(any_store, f["key"], "dismissed", "tester")
    assert [x["rule"] for x in any_store.findings()] == ["published-before-written"]
    decide(any_store, str(found["published-before-written"]["id"]), "accepted", "tester")
    assert any_store.findings() == []
    assert sorted(d["decision"] for d in any_store.decisions()) == ["accepted", "dismissed"]
    doc = document_object(any_store, 1)
    assert doc["dates"]["published"]["edtf"] == "1930-03-01"


def test_title_date_mismatch_and_which_side_to_fix(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "a" / "1933" / "10",
        "t.txt",
        fields={
            "Page title": "Two Congresses (October 1933)",
            "Source": "The Militant, Vol. VI No. 46, 7 October 1943, p. 4.",
        },
    )
    record(
        tmp_path / "a" / "1933" / "10",
        "ok.txt",
        body="Another text. " * 30,
        fields={
            "Page title": "Reprinted (October 1933)",
            "Source": "The Militant, Vol. VI No. 47, 14 October 1933, p. 4.",
        },
    )
    ingest(store, [tmp_path / "a"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "title-date-mismatch"]
    assert [f.path for f in found] == ["a/1933/10/t.txt"]
    assert found[0].suggestion is not None
    assert (found[0].suggestion.field, found[0].suggestion.value) == ("Source", "7 October 1933")


def test_date_owned_by_another_volume(store: Store, tmp_path: Path) -> None:
    from prinkipo.checks.facts import load_archive
    from prinkipo.checks.periodicals import date_owner

    militant(tmp_path / "m", [("bad.txt", "Vol. IX No. 20", "13 May 1933")])
    ingest(store, [tmp_path / "m"])
    archive = load_archive(store, TODAY)
    bad = next(d for d in archive.docs.values() if d.path == "m/bad.txt")
    found = date_owner(archive, "The Militant", 9, bad.id, (date(1933, 5, 13), date(1933, 5, 13)))
    assert found is not None
    run, own = found
    assert run.volume == 6 and own == 0 and len(run.issues) == 6
    flagged = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in flagged] == ["m/bad.txt"]


def test_yearly_volumes_learnt_across_volumes(store: Store, tmp_path: Path) -> None:
    for n, (vol, year) in enumerate([("4", 1940), ("5", 1941), ("6", 1942), ("7", 1943)]):
        record(
            tmp_path / "l",
            f"{n}.txt",
            body=f"Text {n}. " * 40,
            fields={"Source": f"Labor Action, Vol. {vol} No. 3, 20 January {year}."},
        )
    record(tmp_path / "l", "bad.txt", fields={"Source": "Labor Action, Vol. 9 No. 3, 20 May 1941."})
    ingest(store, [tmp_path / "l"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in found] == ["l/bad.txt"]


def test_letter_place_conflict_learnt_from_the_senders_other_letters(
    store: Store, tmp_path: Path
) -> None:
    # a CMIF file written for this test: three letters of Marx on 20 March 1866, one from London
    shutil.copy(Path(__file__).parent / "data" / "cmif-marx-margate.xml", tmp_path / "letters.xml")
    ingest(store, [tmp_path / "letters.xml"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "letter-place-conflict"]
    assert len(found) == 1
    assert "1866-03-20 was written at London" in found[0].message
    assert "2 other letters of the same sender that day were written at Margate" in (
        found[0].message
    )


# -- a periodical's weekday, numbering straight through, undated citations ------------------


def test_issue_weekday_learnt_from_the_other_issues(store: Store, tmp_path: Path) -> None:
    # every other issue is a Saturday; 8 December 1933 is a Friday: "12 August" read backwards
    militant(tmp_path / "m", [("bad.txt", "Vol. VI", "8 December 1933")])
    ingest(store, [tmp_path / "m"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "issue-weekday"]
    assert [f.path for f in found] == ["m/bad.txt"]
    f = found[0]
    assert "a Friday" in f.message and "9 of its 9 other issues" in f.message
    assert "on a Saturday" in f.message and f.severity == "warning"
    assert f.suggestion is not None and f.suggestion.value == "12 August 1933"
    assert any(e.path == "m/v1.txt" for e in f.evidence)


def test_issues_numbered_straight_through(store: Store, tmp_path: Path) -> None:
    issues = [("0", "28 January 1982"), ("14", "4 October 1982"), ("30", "6 June 1983")]
    issues += [("60", "20 August 1984"), ("90", "4 November 1985")]
    for n, (number, when) in enumerate(issues):
        record(
            tmp_path / "iv",
            f"{n}.txt",
            fields={"Source": f"International Viewpoint, No. {number}, {when}, pp. 10–11."},
        )
    record(
        tmp_path / "iv",
        "bad.txt",
        fields={"Source": "International Viewpoint, No. 52, 7 May 1987, pp. 15–16."},
    )
    ingest(store, [tmp_path / "iv"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "issue-date-mismatch"]
    assert [f.path for f in found] == ["iv/bad.txt"]
    assert "No. 30 is 6 June 1983, No. 60 is 20 August 1984" in found[0].message
    assert found[0].suggestion is not None and found[0].suggestion.value == "7 May 1984"


def test_undated_citation_checked_by_the_pages_own_date(store: Store, tmp_path: Path) -> None:
    months = ["January", "March", "June", "September"]
    for vol, year in (("5", 1944), ("6", 1945)):
        for n, month in enumerate(months):
            record(
                tmp_path / "fi",
                f"v{vol}-{n}.txt",
                fields={"Source": f"Fourth International, Vol.{vol} No.{n + 1}, {month} {year}."},
            )
    record(
        tmp_path / "fi",
        "japan.txt",
        dateline="April 1944",
        fields={"Source": "Fourth International, Vol.6 No.4, pp.112-118."},
    )
    ingest(store, [tmp_path / "fi"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in found] == ["fi/japan.txt"]
    assert "the citation gives no date" in found[0].message
    s = found[0].suggestion
    assert s is not None and (s.field, s.old, s.value) == ("Source", "Vol. 6", "Vol. 5")


# -- the other pages of a work ------------------------------------------------------------------


def test_work_date_mismatch_learnt_from_the_works_other_pages(store: Store, tmp_path: Path) -> None:
    for n in range(1, 9):
        record(tmp_path / "7thcong", f"{n:02}.txt", dateline="March 6-8, 1918", fields=MARKUP)
    record(tmp_path / "7thcong", "09.txt", dateline="March 6-8, 1910", fields=MARKUP)
    record(tmp_path / "7thcong", "10.txt", dateline="June 3-8, 1918", fields=MARKUP)
    # a chapter may rightly have a date of its own: no slip turns it into theirs
    record(tmp_path / "7thcong", "11.txt", dateline="April 1918", fields=MARKUP)
    ingest(store, [tmp_path / "7thcong"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "work-date-mismatch"]
    assert sorted((f.path, f.suggestion.value if f.suggestion else None) for f in found) == [
        ("7thcong/09.txt", "(March 6-8, 1918)"),
        ("7thcong/10.txt", "(March 6-8, 1918)"),
    ]
    assert "8 of the 10 other pages" in found[0].message


def test_file_named_after_a_day(store: Store, tmp_path: Path) -> None:
    for day in range(1, 22):
        record(
            tmp_path / "castro" / "1960" / "01",
            f"{day:02}.txt",
            body=f"Speech of the {day} of January. " * 20,
            fields={"Written": f"January {day}, 1960"},
        )
    record(
        tmp_path / "castro" / "1960" / "01",
        "25.txt",
        body="Speech of the twenty-fifth. " * 20,
        fields={"Written": "January 25, 1930"},
    )
    ingest(store, [tmp_path / "castro"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "path-date-mismatch"]
    assert [f.path for f in found] == ["castro/1960/01/25.txt"]
    assert "the file is named 25.txt, 25 January 1960" in found[0].message
    assert "21 of the 22 records in the archive" in found[0].message
    s = found[0].suggestion
    assert s is not None and (s.field, s.value) == ("Written", "January 25, 1960")


def test_dateline_and_source_disagree_the_folder_says_which(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "miliband" / "1958" / "xx",
        "governs.txt",
        dateline="Winter 1958",
        fields={"Source": "Universities & Left Review, No.3, Winter 1951, pp.iii-iv."},
    )
    ingest(store, [tmp_path / "miliband"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "dates-disagree"]
    assert len(found) == 1
    s = found[0].suggestion
    assert s is not None and (s.field, s.old, s.value) == ("Source", "Winter 1951", "Winter 1958")


def test_work_date_order_of_numbered_pages(store: Store, tmp_path: Path) -> None:
    years = ["1893-1898", "1898-1901", "1901-1902", "1903", "1903-1904", "1905-1907"]
    years += ["1902", "1908", "1909-1910"]  # rol07: "1907" with one digit slipped
    for n, when in enumerate(years, 1):
        record(
            tmp_path / "rol",
            f"rol{n:02}.txt",
            body=f"Chapter {n} of the memoir. " * 20,
            dateline=when,
            fields=MARKUP,
        )
    ingest(store, [tmp_path / "rol"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "work-date-order"]
    assert [f.path for f in found] == ["rol/rol07.txt"]
    assert "out of order with 3 other numbered pages" in found[0].message
    # 1905, 1906, 1907 and 1908 would all fit between its neighbours: no fix is guessed
    assert found[0].suggestion is None


def test_dateline_held_to_its_folders_very_month(store: Store, tmp_path: Path) -> None:
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    for n in range(52):
        month = n % 8 + 1
        record(
            tmp_path / "many" / f"19{20 + n // 8}" / f"{month:02}",
            f"x{n}.txt",
            body=f"Article {n} of the collection. " * 20,
            dateline=f"{n % 28 + 1} {months[month - 1]} 19{20 + n // 8}",
            fields=MARKUP,
        )
    record(
        tmp_path / "pouliop" / "1924" / "05",
        "x01.txt",
        dateline="5th of June 1924",
        fields={"First Published": "Rizospastis, 1924.", **MARKUP},
    )
    ingest(store, [tmp_path / "many", tmp_path / "pouliop"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "path-date-mismatch"]
    assert [f.path for f in found] == ["pouliop/1924/05/x01.txt"]
    assert "52 of the 53 dates under the title" in found[0].message
    s = found[0].suggestion
    assert s is not None and s.value.strip("()") == "6th of May 1924"


def test_volume_and_number_read_the_wrong_way_round(store: Store, tmp_path: Path) -> None:
    issues = [("20", "15 March 1922"), ("25", "5 April 1922"), ("30", "25 April 1922")]
    issues += [("40", "9 June 1922"), ("50", "21 July 1922")]
    for number, when in issues:
        record(
            tmp_path / "inprecorr",
            f"n{number}.txt",
            body=f"Number {number} of the correspondence. " * 20,
            fields={"Source": f"International Press Correspondence, Vol. 2 No. {number}, {when}."},
        )
    record(
        tmp_path / "inprecorr",
        "browder.txt",
        fields={"Source": "International Press Correspondence, Vol. 27 No. 2, 12 April 1922."},
    )
    ingest(store, [tmp_path / "inprecorr"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in found] == ["inprecorr/browder.txt"]
    assert "but Vol. 2 No. 27 does" in found[0].message
    s = found[0].suggestion
    assert s is not None and (s.old, s.value) == ("Vol. 27 No. 2", "Vol. 2 No. 27")
    # accepted, the citation reads Vol. 2 No. 27 and the finding is resolved
    refresh_findings(store, today=TODAY)
    stored = store.findings(rule="volume-date-mismatch")[0]
    decide(store, stored["key"], "accepted", "tester")
    doc = document_object(store, stored["document_id"])
    assert (doc["source"]["volume"], doc["source"]["number"]) == ("2", "27")
    assert store.findings(rule="volume-date-mismatch") == []


def test_volume_placed_between_its_neighbours(store: Store, tmp_path: Path) -> None:
    cited = [("13", "June 1931"), ("15", "December 1933"), ("19", "April 1937")]
    cited += [("16", "August 1934"), ("20", "March 1938")]
    for n, (vol, when) in enumerate(cited):
        record(
            tmp_path / "lm",
            f"{n}.txt",
            body=f"Article {n} of the monthly. " * 20,
            fields={"Source": f"Labour Monthly, Vol. {vol}, {when}, No. 6."},
        )
    record(
        tmp_path / "lm",
        "air.txt",
        fields={"Source": "Labour Monthly, Vol. 17, August 1934, No. 8, pp. 497-501."},
    )
    ingest(store, [tmp_path / "lm"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "volume-date-mismatch"]
    assert [f.path for f in found] == ["lm/air.txt"]
    assert "a volume every 11 months" in found[0].message
    assert "Vol. 17 falls around" in found[0].message


def test_weekday_written_beside_the_date(store: Store, tmp_path: Path) -> None:
    record(
        tmp_path / "bax",
        "stanley.txt",
        dateline="9 July 1892",
        fields={"Source": "Justice, Saturday, 7th September 1892, p.1."},
    )
    record(
        tmp_path / "bax",
        "fine.txt",
        body="Another article of the weekly, long enough to be a real text of its own. " * 4,
        fields={"Source": "Justice, Saturday, 9th July 1892, p.1."},
    )
    ingest(store, [tmp_path / "bax"])
    found = [f for f in run_checks(store, today=TODAY) if f.rule == "weekday-mismatch"]
    assert [f.path for f in found] == ["bax/stanley.txt"]
    f = found[0]
    assert "7th September 1892 was a Wednesday" in f.message
    assert [e.text for e in f.evidence] == ["Saturday", "7th September 1892"]
    assert f.suggestion is not None and f.suggestion.value == "9th July 1892"
