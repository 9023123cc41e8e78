"""letters: who wrote to whom, from where, when, and who carried it."""

from __future__ import annotations

from typing import Any

import click

from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError
from prinkipo.objects import letter_object

ROLES = ("self", "listed", "mentioned")


@cli.command("letters")
@db_option
@json_option
@click.option(
    "--doc", "doc", default=None, metavar="DOC", help="Only the letters of this document."
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=None,
    help="self: the documents that are letters; listed: entries of letter indexes (CMIF); "
    "mentioned: letters a text speaks of.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
def letters_command(
    db: str, as_json: bool, doc: str | None, role: str | None, limit: int | None, offset: int
) -> None:
    """List letters: sender, recipient, place and date of sending, carrier.

    Letters come from TEI correspDesc and CMIF files as written (with their authority URIs), and
    from plain-text letters by inference: every inferred value carries its method, confidence
    and the text it rests on (see --json). A letter a text mentions ("Through Blumkin I had sent
    a letter to Moscow …") is listed too, with its carrier.

    \b
    Examples:
      prinkipo letters
      prinkipo letters --doc seed/000_4114f29613fc0492.txt --json
      prinkipo letters --role mentioned
    """
    with open_archive(db) as store:
        try:
            doc_id = store.resolve(doc) if doc else None
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
        rows = [letter_object(r) for r in store.letter_rows(doc_id, role, limit, offset)]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        click.echo(format_letter(r))


def _names(parties: list[dict[str, Any]]) -> str:
    return "; ".join(p["name"] for p in parties) or "?"


def format_letter(r: dict[str, Any]) -> str:
    date = (r["date"] or {}).get("edtf") or "—"
    line = f"{r['id']:>6}  {date:<12} {_names(r['senders'])} → {_names(r['recipients'])}"
    if r["place"]:
        line += f", from {r['place']['name']}"
    if r["received"]["place"]:
        line += f", to {r['received']['place']['name']}"
    if r["carrier"]:
        line += f", carried by {r['carrier']['name']}"
    if r["role"] != "self":
        line += f"  [{r['role']} in #{r['document_id']}]"
    return line
