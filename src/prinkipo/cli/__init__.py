"""The ``prinkipo`` command line: reads options, calls the library, prints.

One module per group of commands (``_documents.py``: ingest, list, show, serve); each registers
its commands on :data:`cli` with ``@cli.command`` and is imported at the bottom of this file.
Only this package imports click.

Exit codes (CONTRACT.md): 0 success; 1 the command ran and found problems it was asked about;
2 bad usage or unusable input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from prinkipo.errors import PrinkipoError
from prinkipo.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = (
    "Archive: a SQLite file, or a postgresql://user@host/dbname URL for a server database"
    " (default: $PRINKIPO_DB, else ./prinkipo.db)."
)


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db",
        envvar="PRINKIPO_DB",
        default="prinkipo.db",
        show_default=False,
        metavar="FILE|URL",
        help=DB_HELP,
    )(f)


def json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON (the contract's shapes)."
    )(f)


class PrinkipoCommandError(click.ClickException):
    exit_code = 2


def open_archive(db: str, create: bool = False) -> Store:
    try:
        return open_store(db, create=create)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="prinkipo")
def cli() -> None:
    """prinkipo: a structured, searchable, checkable, citable archive of historical writings.

    \b
    Start with:
      prinkipo ingest ../shared/seed/          read files into ./prinkipo.db
      prinkipo list                            the documents, one a line
      prinkipo show 1 --json                   one document, as JSON
      prinkipo serve                           the reading room on http://127.0.0.1:8000/

    Every command takes --db FILE or --db postgresql://… (default $PRINKIPO_DB, else
    ./prinkipo.db).
    """


# Command modules register themselves on import; keep this list sorted.
from prinkipo.cli import (  # noqa: E402, F401
    _checks,
    _copy,
    _documents,
    _entities,
    _export,
    _letters,
    _search,
    _users,
)
