"""users add / passwd / token / list: the editors who may correct the archive."""

from __future__ import annotations

import sys

import click

from prinkipo.auth import digest, hash_password, new_secret
from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError


@cli.group("users")
def users_group() -> None:
    """Editors: who may accept findings and correct the archive in the reading room.

    Readers need no account. An editor signs in on /signin with a password; scripts use an API
    token (`Authorization: Bearer TOKEN`) for the write endpoints.

    \b
    Examples:
      prinkipo users add ada                       asks for the password twice
      printf '%s' "$PW" | prinkipo users add ada --password-stdin
      prinkipo users token ada --label laptop      prints a new API token once
    """


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.read().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_group.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def users_add(name: str, password_stdin: bool, db: str) -> None:
    """Create the editor NAME (the password is hashed with scrypt; at least 10 characters)."""
    if not name.strip() or len(name) > 100:
        raise PrinkipoCommandError("NAME must be 1 to 100 characters")
    password = _read_password(password_stdin)
    try:
        hashed = hash_password(password)
        with open_archive(db, create=True) as store:
            store.add_user(name, hashed)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    click.echo(f"Editor {name!r} added to {db}.")


@users_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
def users_passwd(name: str, password_stdin: bool, db: str) -> None:
    """Set a new password for the editor NAME."""
    password = _read_password(password_stdin)
    try:
        hashed = hash_password(password)
        with open_archive(db) as store:
            store.set_password(name, hashed)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    click.echo(f"Password of {name!r} changed.")


@users_group.command("token")
@click.argument("name")
@click.option("--label", default="api", show_default=True, help="What the token is for.")
@db_option
def users_token(name: str, label: str, db: str) -> None:
    """Create an API token for NAME and print it (only once: the archive keeps its hash)."""
    token = new_secret()
    try:
        with open_archive(db) as store:
            store.add_token(name, digest(token), label)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    click.echo(token)


@users_group.command("list")
@db_option
@json_option
def users_list(db: str, as_json: bool) -> None:
    """List the editors (names and when they were added; never their secrets)."""
    with open_archive(db) as store:
        rows = [{"name": u.name, "created_at": u.created_at} for u in store.users()]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(f"{r['name']:<24} {r['created_at']}")
