"""The command line, through click's CliRunner, on real archive files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from prinkipo.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_then_show_json_has_the_contract_fields(seed_dir: Path, db_path: Path) -> None:
    code, out, _ = run("ingest", str(seed_dir), "--db", str(db_path), "--json")
    assert code == 0
    assert json.loads(out) == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": [],
        "failed": [],
    }
    code, out, _ = run("show", "1", "--db", str(db_path), "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["authors"][0]["name"] == "Leon Trotsky"
    assert doc["authors"][0]["as_written"] == "L. Trotsky"
    assert doc["dates"]["written"]["edtf"] == "1930-01-05"
    assert doc["source"]["periodical"] == "The Militant"
    assert doc["source"]["date"]["edtf"] == "1920-03-01"
    assert doc["genre"] == "letter"
    assert {
        "id",
        "title",
        "authors",
        "genre",
        "language",
        "dates",
        "source",
        "letter",
        "fields",
        "paragraphs",
        "mentions",
        "findings",
        "files",
    } <= set(doc)


def test_second_ingest_reports_unchanged(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, out, _ = run("ingest", str(seed_dir), "--db", str(db_path))
    assert code == 0
    assert "1 files: 0 added, 0 updated, 1 unchanged, 0 skipped, 0 failed" in out


def test_list_and_show_plain(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, out, _ = run("list", "--db", str(db_path))
    assert code == 0 and "Opposition Serves the Bolshevik Revolution" in out and "1930-01-05" in out
    code, out, _ = run("list", "--db", str(db_path), "--json")
    assert json.loads(out)[0]["id"] == 1
    code, out, _ = run("show", "seed/000_4114f29613fc0492.txt", "--db", str(db_path))
    assert code == 0 and "Leon Trotsky (as written: L. Trotsky)" in out


def test_db_from_environment(seed_dir: Path, db_path: Path) -> None:
    result = CliRunner(env={"PRINKIPO_DB": str(db_path)}).invoke(cli, ["ingest", str(seed_dir)])
    assert result.exit_code == 0 and db_path.exists()


def test_show_unknown_document_exits_2_with_a_message(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, _, err = run("show", "99", "--db", str(db_path))
    assert code == 2 and "Document 99 not found" in err


def test_commands_on_a_missing_archive_say_so(tmp_path: Path) -> None:
    code, _, err = run("list", "--db", str(tmp_path / "nothing.db"))
    assert code == 2 and "no archive here" in err
    assert not (tmp_path / "nothing.db").exists()


def test_ingest_of_a_missing_path_is_bad_usage(tmp_path: Path) -> None:
    code, _, err = run("ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "a.db"))
    assert code == 2 and "does not exist" in err


def test_failed_files_are_named_on_stderr(seed_dir: Path, db_path: Path) -> None:
    (seed_dir / "empty.txt").write_bytes(b"")
    code, out, err = run("ingest", str(seed_dir), "--db", str(db_path))
    assert code == 0 and "1 failed" in out
    assert "seed/empty.txt: the file is empty" in err


def test_python_dash_m_and_console_script(seed_dir: Path, db_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "prinkipo", "ingest", str(seed_dir), "--db", str(db_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["added"] == 1
    exe = Path(sys.executable).parent / "prinkipo"
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "Usage: prinkipo" in done.stdout


def test_progress_bar_runs_to_the_end(seed_dir: Path, db_path: Path) -> None:
    code, out, _ = run("ingest", str(seed_dir), "--db", str(db_path), "--progress")
    assert code == 0 and "1 added" in out
