"""prinkipo check, accept and dismiss, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from prinkipo.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_check_on_the_seed_exits_1_and_explains(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, out, _ = run("check", "--db", str(db_path))
    assert code == 1
    assert "published-before-written" in out
    assert "suggest Source: 1 March 1930" in out


def test_check_json_is_a_list_of_finding_objects(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, out, _ = run("check", "--db", str(db_path), "--json", "--doc", "1")
    assert code == 1
    found = json.loads(out)
    assert isinstance(found, list) and found
    shape = {"id", "document_id", "rule", "severity", "message", "evidence", "suggestion"}
    for f in found:
        assert shape <= set(f)
    code, out, _ = run("check", "--db", str(db_path), "--json", "--severity", "warning")
    assert code == 0 and {f["severity"] for f in json.loads(out)} == {"warning"}


def test_check_unknown_document_is_a_usage_error(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, _, err = run("check", "--db", str(db_path), "--doc", "99")
    assert code == 2 and "Document 99 not found" in err


def test_check_rules_lists_every_rule(db_path: Path) -> None:
    code, out, _ = run("check", "--rules", "--json")
    assert code == 0
    names = {r["name"] for r in json.loads(out)}
    assert {"published-before-written", "volume-date-mismatch", "mojibake"} <= names


def test_accept_then_check_is_clean(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    _, out, _ = run("check", "--db", str(db_path), "--json", "--rule", "published-before-written")
    key = json.loads(out)[0]["key"]
    code, out, _ = run("accept", key, "--db", str(db_path), "--by", "ed", "--json")
    assert code == 0
    assert json.loads(out)["decision"]["value"] == "1 March 1930"
    code, out, _ = run("check", "--db", str(db_path))
    assert code == 0 and "No findings." in out
    code, out, _ = run("show", "1", "--db", str(db_path), "--json")
    assert json.loads(out)["dates"]["published"]["edtf"] == "1930-03-01"


def test_dismiss_hides_the_finding(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    _, out, _ = run("check", "--db", str(db_path), "--json")
    ids = [str(f["id"]) for f in json.loads(out)]
    for i in ids:
        code, out, _ = run("dismiss", i, "--db", str(db_path), "--note", "fine")
        assert code == 0 and "dismissed" in out
    code, out, _ = run("check", "--db", str(db_path))
    assert code == 0 and "No findings." in out
    code, out, _ = run("check", "--db", str(db_path), "--status", "dismissed", "--json")
    assert len(json.loads(out)) == len(ids)


def test_accept_unknown_finding(seed_dir: Path, db_path: Path) -> None:
    run("ingest", str(seed_dir), "--db", str(db_path))
    code, _, err = run("accept", "nope", "--db", str(db_path))
    assert code == 2 and "Finding nope not found" in err
