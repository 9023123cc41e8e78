"""copy: move a whole archive between a SQLite file and a PostgreSQL database, either way."""

from __future__ import annotations

import click

from prinkipo.cli import (
    PrinkipoCommandError,
    cli,
    db_option,
    json_option,
    open_archive,
    print_json,
)
from prinkipo.errors import PrinkipoError
from prinkipo.store.copy import copy_archive


@cli.command("copy")
@click.argument("archives", nargs=-1, required=True, metavar="[SOURCE] DEST")
@db_option
@json_option
@click.pass_context
def copy_command(ctx: click.Context, archives: tuple[str, ...], db: str, as_json: bool) -> None:
    """Copy the whole archive SOURCE (default: --db) into the new, empty archive DEST.

    Each is a SQLite file or a postgresql://user@host/dbname URL: move a one-file archive onto a
    server, or take a one-file snapshot of a server archive. Every row is copied with its ids
    (documents, files and their original bytes, dates, entities, corrections …) in one
    transaction, so a copy that fails leaves DEST empty; search indexes are rebuilt by DEST.
    DEST must hold no archive data yet (a new file, or a new database from `createdb`).

    \b
    Examples:
      prinkipo copy archive.db postgresql://editor@db.example.org/archive
      prinkipo copy postgresql://editor@db.example.org/archive snapshot.db
      PRINKIPO_DB=postgresql://editor@db/archive prinkipo copy snapshot.db
    """
    if len(archives) > 2:
        raise click.UsageError("give at most two archives: [SOURCE] DEST")
    if (
        len(archives) == 2
        and ctx.get_parameter_source("db") is click.core.ParameterSource.COMMANDLINE
    ):
        raise click.UsageError("give SOURCE as an argument or as --db, not both")
    source, dest = archives if len(archives) == 2 else (db, archives[0])
    if source == dest:
        raise PrinkipoCommandError("SOURCE and DEST are the same archive")
    with open_archive(source) as src, open_archive(dest, create=True) as dst:
        try:
            copied = copy_archive(src, dst)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
        where = dst.path
    if as_json:
        print_json({"source": src.path, "dest": where, "rows": copied})
        return
    click.echo(f"copied {sum(copied.values())} rows from {src.path} to {where}:")
    for table, n in copied.items():
        click.echo(f"  {table:<20} {n:>9}")
