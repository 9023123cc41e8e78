"""ingest, list, show, serve: getting files in and documents out."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError
from prinkipo.ingestion import IngestReport, ingest
from prinkipo.objects import document_object
from prinkipo.readers import READERS
from prinkipo.store import Store, is_postgres_url


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(READERS)),
    default=None,
    help="Read every file with this reader instead of detecting the format.",
)
@db_option
@json_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when the terminal is interactive).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes that parse files while this one writes (default: one per core; "
    "0 parses here, one file after another).",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Run the checks over the archive afterwards. Several ingest processes writing one"
    " server archive at once: give them --no-check and run `prinkipo check` once after.",
)
def ingest_command(
    paths: tuple[Path, ...],
    fmt: str | None,
    db: str,
    as_json: bool,
    progress: bool | None,
    workers: int | None,
    check: bool,
) -> None:
    """Read files or folders into the archive.

    Formats are detected from each file: archive HTML pages (.htm/.html, such as the Marxists
    Internet Archive's; index and navigation pages are recognised and reported as skipped),
    plain-text records like the seed, TEI letters and works, and CMIF letter indexes (one
    document each, its letters listed, no text). Re-running is safe: unchanged files are only
    hashed, changed files update their document in place (same id), and a file that cannot be
    read is recorded with the reason while the rest of the batch goes on. Files are parsed in
    parallel and written in batches; an ingest that is interrupted (even killed) leaves the
    archive consistent, and running it again finishes the job.

    \b
    Examples:
      prinkipo ingest ../shared/seed/
      prinkipo ingest ../shared/corpus/mia-html --db mia.db
      prinkipo ingest letters/ --json --db archive.db
    """
    with open_archive(db, create=True) as store:
        show_bar = sys.stderr.isatty() if progress is None else progress
        report = _run_ingest(store, paths, fmt, show_bar and not as_json, workers, check)
    if as_json:
        print_json(report.to_dict())
    else:
        click.echo(_summary(report))
        for item in report.failed:
            click.echo(f"  failed: {item['path']}: {item['error']}", err=True)


def _run_ingest(
    store: Store,
    paths: tuple[Path, ...],
    fmt: str | None,
    bar: bool,
    workers: int | None,
    check: bool = True,
) -> IngestReport:
    if not bar:
        return ingest(store, paths, fmt, workers=workers, check=check)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from prinkipo.ingestion import iter_files

    total = sum(1 for _ in iter_files(paths))
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar_:
        task = bar_.add_task("ingest", total=total)
        return ingest(
            store,
            paths,
            fmt,
            on_file=lambda _p, _o: bar_.advance(task),
            workers=workers,
            check=check,
        )


def _summary(r: IngestReport) -> str:
    return (
        f"{r.files} files: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, "
        f"{len(r.skipped)} skipped, {len(r.failed)} failed"
    )


@cli.command("list")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
def list_command(db: str, as_json: bool, limit: int | None, offset: int) -> None:
    """List the documents, one a line: id, written date, author, title."""
    with open_archive(db) as store:
        rows = store.document_summaries(limit, offset)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        author = ", ".join(a["name"] for a in r["authors"]) or "—"
        written = (r["written"] or {}).get("edtf") or "—"
        click.echo(f"{r['id']:>6}  {written:<12} {author[:24]:<24} {r['title'] or r['path']}")


@cli.command("show")
@click.argument("doc")
@db_option
@json_option
def show_command(doc: str, db: str, as_json: bool) -> None:
    """Show one document. DOC is its id or the path it was ingested from.

    \b
    Examples:
      prinkipo show 1
      prinkipo show seed/000_4114f29613fc0492.txt --json
    """
    with open_archive(db) as store:
        try:
            obj = document_object(store, store.resolve(doc))
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(obj)
        return
    click.echo(_format_document(obj))


def _format_document(obj: dict[str, Any]) -> str:
    lines = [f"#{obj['id']}  {obj['title'] or '(untitled)'}"]
    for a in obj["authors"]:
        written = f" (as written: {a['as_written']})" if a["as_written"] != a["name"] else ""
        lines.append(f"  author     {a['name']}{written}")
    if obj["genre"]:
        lines.append(f"  genre      {obj['genre']}")
    for role, d in obj["dates"].items():
        value = d["edtf"] or f"unreadable: {d.get('error')}"
        lines.append(f"  {role:<10} {value}   ({d['text']})")
    s = obj["source"]
    if s:
        parts = [f"{k} {s[k]}" for k in ("periodical", "volume", "number", "pages") if s[k]]
        lines.append(f"  source     {s['text']}")
        if parts:
            lines.append(f"             {'; '.join(parts)}")
    lines.append(f"  file       {obj['files'][0]['path']} ({obj['files'][0]['encoding']})")
    lines.append("")
    for p in obj["paragraphs"]:
        lines.append(f"[{p['n']}] {p['text']}")
        lines.append("")
    for n in obj["notes"]:
        lines.append(f"  note: {n['text']}")
    return "\n".join(lines).rstrip()


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes. More than one uses more cores (each keeps its own cache); with"
    " SQLite, one or two per core.",
)
def serve_command(db: str, host: str, port: int, workers: int) -> None:
    """Serve the reading room and the JSON API.

    With no archive file at --db, builds the built-in demo archive there first (the founding
    seed record and the curated authority) and serves that. A postgresql:// database is served
    as it is (its tables are created if it has none). Runs on uvicorn with uvloop and httptools,
    without an access log. PRINKIPO_WEB_CACHE=0 turns off the readers' response cache.
    """
    from prinkipo.demo import build_demo
    from prinkipo.web.server import serve

    if not is_postgres_url(db) and db != ":memory:" and not os.path.exists(db):
        click.echo(f"No archive at {db}: building the demo archive there.", err=True)
        build_demo(db)
    if db == ":memory:" and workers > 1:
        raise click.UsageError("--workers above 1 needs an archive file, not :memory:")
    click.echo(f"prinkipo reading room on http://{host}:{port}/  (archive: {db})", err=True)
    serve(db, host, port, workers)
