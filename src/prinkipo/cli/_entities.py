"""entities: who and what the archive's documents name, the authority, and corrections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.entities.authority import KINDS
from prinkipo.errors import PrinkipoError
from prinkipo.objects import entity_object

KIND_CHOICES = [*KINDS, "unknown"]


@cli.group("entities", invoke_without_command=True)
@click.option("--kind", type=click.Choice(KIND_CHOICES), default=None, help="Only this kind.")
@click.option(
    "--all", "show_all", is_flag=True, help="Every entity of the authority, not only those named."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@db_option
@json_option
@click.pass_context
def entities_command(
    ctx: click.Context, kind: str | None, show_all: bool, limit: int | None, db: str, as_json: bool
) -> None:
    """People, places, organisations and periodicals the documents name.

    Without a subcommand, lists the entities mentioned in the archive, most mentioned first:
    id, kind, mentions, documents, preferred name, key. Names are found by the archive's
    authority (every variant spelling and transliteration it knows: Menjinsky = Menzhinsky =
    Менжинский) and by rules for names it does not know (titles such as "Comrade", initials,
    runs of capitalised words); those become candidate entities (kind from the cue, or
    "unknown"). No statistical model is used: none installs offline, and nothing is downloaded.

    \b
    Examples:
      prinkipo entities --kind person
      prinkipo entities show person:menzhinsky-vyacheslav --json
      prinkipo entities load ../shared/corpus/authority/escher/data/people/people.xml
      prinkipo entities merge person:trotsky-leon candidate:person:bronstein
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_archive(db) as store:
        rows = store.entity_summaries(kind, mentioned_only=not show_all, limit=limit)
    if as_json:
        print_json([entity_object(r) for r in rows])
        return
    for r in rows:
        click.echo(
            f"{r['id']:>6}  {r['kind']:<12} {r['mention_count']:>5} {r['document_count']:>4}  "
            f"{r['name'][:40]:<40} {r['key']}"
        )


@entities_command.command("show")
@click.argument("entity")
@db_option
@json_option
def show_entity(entity: str, db: str, as_json: bool) -> None:
    """One entity (ENTITY is its id or key), its names, ids and every mention."""
    with open_archive(db) as store:
        try:
            obj = entity_object(store.entity(entity), store)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(obj)
        return
    click.echo(f"#{obj['id']}  {obj['name']}  ({obj['kind']}, {obj['key']})")
    if obj["variants"]:
        click.echo(f"  also      {'; '.join(obj['variants'][:20])}")
    for scheme, value in obj["ids"].items():
        click.echo(f"  {scheme:<9} {value}")
    for role, value in obj["dates"].items():
        click.echo(f"  {role:<9} {value}")
    for m in obj["mentions"]:
        where = f"¶{m['paragraph']}" if m["paragraph"] is not None else m["field"]
        click.echo(
            f"  doc {m['document_id']:>4} {where:<8} {m['text']!r}  {m['method']} "
            f"{m['confidence']:.2f}"
        )


@entities_command.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@json_option
def load_command(paths: tuple[Path, ...], db: str, as_json: bool) -> None:
    """Add authority files to the archive: JSON authorities, TEI registers, TEI letters, CMIF.

    A TEI listPerson/listPlace/listOrg (the Escher and Schnitzler registers) gives entries with
    names, dates, coordinates and GND/Wikidata/GeoNames/PMB ids; a TEI letter or CMIF file gives
    the people and places its header names with a @ref. An entry sharing an external id with one
    already known joins it. Re-ingest (or re-run) to link documents with the new entries.
    """
    from prinkipo.entities.loading import load_paths

    with open_archive(db, create=True) as store:
        try:
            report = load_paths(store, paths)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(report)
    else:
        for item in report["files"]:
            click.echo(f"{item['entries']:>6}  {item['path']}")
        for item in report["failed"]:
            click.echo(f"  failed: {item['path']}: {item['error']}", err=True)
        click.echo(f"{report['total']} entries in the archive's authority")


def _correct(db: str, op: str, data: dict[str, Any], author: str | None, as_json: bool) -> None:
    from prinkipo.entities.corrections import record

    with open_archive(db) as store:
        try:
            cid = record(store, op, data, author)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json({"id": cid, "op": op, **data})
    else:
        click.echo(f"correction {cid}: {op} {json.dumps(data, ensure_ascii=False)}")


_author = click.option("--author", default=None, help="Who made the correction (kept with it).")


@entities_command.command("merge")
@click.argument("keep")
@click.argument("drop")
@_author
@db_option
@json_option
def merge_command(keep: str, drop: str, author: str | None, db: str, as_json: bool) -> None:
    """Merge entity DROP into KEEP (keys): one person, place or body under two entries.

    Stored as a correction apart from extracted data and re-applied after every ingest.
    DROP may be a candidate (a name the authority did not know).
    """
    _correct(db, "merge", {"keep": keep, "drop": drop}, author, as_json)


@entities_command.command("split")
@click.argument("key")
@click.argument("new_key")
@click.argument("name")
@click.option("--variant", "variants", multiple=True, help="Another spelling that moves too.")
@_author
@db_option
@json_option
def split_command(
    key: str,
    new_key: str,
    name: str,
    variants: tuple[str, ...],
    author: str | None,
    db: str,
    as_json: bool,
) -> None:
    """Split NAME (and --variant spellings) off entity KEY into a new entity NEW_KEY."""
    data = {"key": key, "new_key": new_key, "name": name, "variants": list(variants)}
    _correct(db, "split", data, author, as_json)


@entities_command.command("relink")
@click.argument("path")
@click.argument("text")
@click.argument("to")
@click.option("--paragraph", type=int, default=None, help="Paragraph number of the mention.")
@click.option(
    "--field", default=None, help="Header field of the mention (when not in a paragraph)."
)
@click.option("--offset", type=int, default=0, help="Offset of the mention in its passage.")
@_author
@db_option
@json_option
def relink_command(
    path: str,
    text: str,
    to: str,
    paragraph: int | None,
    field: str | None,
    offset: int,
    author: str | None,
    db: str,
    as_json: bool,
) -> None:
    """Link the mention TEXT in the file PATH to entity TO (a key, or "none" for no entity)."""
    data = {
        "path": path,
        "text": text,
        "to": None if to == "none" else to,
        "paragraph": paragraph,
        "field": field,
        "offset": offset,
    }
    _correct(db, "relink", data, author, as_json)


@entities_command.command("variant")
@click.argument("key")
@click.argument("name")
@_author
@db_option
@json_option
def variant_command(key: str, name: str, author: str | None, db: str, as_json: bool) -> None:
    """Add NAME as another spelling of entity KEY (used from the next ingest on)."""
    _correct(db, "variant", {"key": key, "name": name}, author, as_json)
