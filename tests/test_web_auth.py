"""Editors: `prinkipo users`, scrypt hashes, sign-in with CSRF, sessions; readers need nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from prinkipo.auth import WeakPassword, digest, hash_password, verify_password
from prinkipo.cli import cli
from prinkipo.store import open_store

PASSWORD = "correct horse battery"


def add_editor(db: Path, name: str = "ada", password: str = PASSWORD) -> None:
    result = CliRunner().invoke(
        cli, ["users", "add", name, "--password-stdin", "--db", str(db)], input=password + "\n"
    )
    assert result.exit_code == 0, result.output


@pytest.fixture
def seed_db(seed_db: Path) -> Path:
    """The seed archive with an editor (conftest's ``client`` serves it)."""
    add_editor(seed_db)
    return seed_db


def sign_in(client: TestClient, name: str = "ada", password: str = PASSWORD) -> int:
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    r = client.post(
        "/signin",
        data={"csrf": csrf.group(1), "name": name, "password": password, "next": "/documents/1"},
        follow_redirects=False,
    )
    return r.status_code


def test_password_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = hash_password(PASSWORD), hash_password(PASSWORD)
    assert a.startswith("scrypt$16384$8$1$") and a != b
    assert verify_password(PASSWORD, a) and not verify_password(PASSWORD + "x", a)
    assert not verify_password(PASSWORD, "md5$abc")
    with pytest.raises(WeakPassword):
        hash_password("short")


def test_users_cli_adds_lists_and_refuses_duplicates(db_path: Path) -> None:
    add_editor(db_path)
    runner = CliRunner()
    again = runner.invoke(
        cli, ["users", "add", "ada", "--password-stdin", "--db", str(db_path)], input=PASSWORD
    )
    assert again.exit_code == 2 and "already exists" in again.output
    weak = runner.invoke(
        cli, ["users", "add", "bob", "--password-stdin", "--db", str(db_path)], input="123"
    )
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output
    listed = runner.invoke(cli, ["users", "list", "--json", "--db", str(db_path)])
    assert '"name": "ada"' in listed.output and "scrypt" not in listed.output
    with open_store(db_path) as store:
        user = store.user("ada")
        assert user is not None and verify_password(PASSWORD, user.password_hash)


def test_users_token_prints_a_token_the_archive_keeps_only_hashed(db_path: Path) -> None:
    add_editor(db_path)
    out = CliRunner().invoke(cli, ["users", "token", "ada", "--db", str(db_path)])
    token = out.output.strip()
    assert out.exit_code == 0 and len(token) >= 40
    with open_store(db_path) as store:
        user = store.user_for_token(digest(token))
        assert user is not None and user.name == "ada"
        assert store.user_for_token(token) is None
    unknown = CliRunner().invoke(cli, ["users", "token", "nobody", "--db", str(db_path)])
    assert unknown.exit_code == 2 and "No editor named 'nobody'" in unknown.output


def test_editor_signs_in_and_out(client: TestClient) -> None:
    assert sign_in(client) == 303
    page = client.get("/documents/1").text
    assert "ada ·" in page and 'action="/signout"' in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    assert client.post("/signout", data={"csrf": "forged"}).status_code == 403
    out = client.post("/signout", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    assert "ada ·" not in client.get("/").text


def test_wrong_password_is_refused_without_saying_which_part(client: TestClient) -> None:
    assert sign_in(client, password="wrong password!") == 401
    assert sign_in(client, name="nobody") == 401
    assert "prinkipo_session" not in client.cookies


def test_sign_in_needs_its_csrf_cookie(client: TestClient) -> None:
    r = client.post("/signin", data={"csrf": "x", "name": "ada", "password": PASSWORD})
    assert r.status_code == 403


def test_session_cookie_is_httponly_and_strict(client: TestClient) -> None:
    form = client.get("/signin").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    r = client.post(
        "/signin",
        data={
            "csrf": csrf.group(1),
            "name": "ada",
            "password": PASSWORD,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert "prinkipo_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert r.headers["location"] == "/"
