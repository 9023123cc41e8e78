"""export, cite: the archive in other formats, and one document cited."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError
from prinkipo.export import EXPORTERS, Progress, exporter
from prinkipo.export.citations import STYLES


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(sorted(EXPORTERS)))
@click.argument("out", type=click.Path(path_type=Path))
@db_option
@json_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when the terminal is interactive).",
)
def export_command(fmt: str, out: Path, db: str, as_json: bool, progress: bool | None) -> None:
    """Write the whole archive as FORMAT to OUT (a file; a folder for `tei` and `site`).

    \b
    Formats:
      csl-json   one CSL-JSON array (Zotero, Pandoc, citeproc): every document with its type,
                 dates (with circa and ranges), periodical, volume, issue, page and URL
      bibtex     biblatex entries, UTF-8, TeX specials escaped
      cmif       one CMIF 1.1 file (correspSearch's letter index) with every letter: sender,
                 addressee, places, dates (Gregorian), authority URIs; "Unknown" where the
                 correspondent is; valid against the CMIF schema. Editor: $PRINKIPO_EDITOR.
      tei        one TEI P5 file per document in the folder OUT: header, correspDesc of its
                 letters (with carriers), paragraphs and notes; valid against tei_all
      site       a static edition: every document, person and place page, letters, a timeline
                 and a search that works from file:// or any static host (no server)

    Documents are written one at a time; exporting twice gives identical bytes.

    \b
    Examples:
      prinkipo export csl-json archive.json
      prinkipo export bibtex archive.bib
      prinkipo export cmif letters.xml
      prinkipo export tei tei/
      prinkipo export site edition/      then open edition/index.html
    """
    with open_archive(db) as store:
        run = exporter(fmt)
        show_bar = (sys.stderr.isatty() if progress is None else progress) and not as_json
        try:
            if show_bar:
                count = _with_bar(fmt, lambda tick: run(store, out, tick))
            else:
                count = run(store, out, None)
        except (PrinkipoError, OSError) as err:
            raise PrinkipoCommandError(f"{out}: {err}") from err
    if as_json:
        print_json({"format": fmt, "out": str(out), "documents": count})
    else:
        click.echo(f"{count} document{'' if count == 1 else 's'} exported as {fmt} to {out}")


def _with_bar(label: str, work: Callable[[Progress], int]) -> int:
    from rich import progress as rp

    columns = (
        rp.TextColumn(label),
        rp.BarColumn(),
        rp.MofNCompleteColumn(),
        rp.TimeRemainingColumn(),
    )
    with rp.Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(tick)


@cli.command("cite")
@click.argument("doc")
@click.option(
    "--style",
    type=click.Choice(list(STYLES)),
    default="chicago-note",
    show_default=True,
    help="Citation style.",
)
@click.option("--paragraph", type=click.IntRange(min=1), default=None, help="Cite this paragraph.")
@click.option(
    "--locale",
    type=click.Choice(["en-GB", "en-US"]),
    default="en-GB",
    show_default=True,
    help="Date and quotation conventions: en-GB writes 1 March 1920, en-US March 1, 1920.",
)
@db_option
@json_option
def cite_command(
    doc: str, style: str, paragraph: int | None, locale: str, db: str, as_json: bool
) -> None:
    """Cite one document (DOC: its id or path) as a note or in-text citation and a reference.

    \b
    Examples:
      prinkipo cite 1
      prinkipo cite 1 --style mla --paragraph 3
      prinkipo cite 1 --json
    """
    from prinkipo.export.citations import cite

    with open_archive(db) as store:
        try:
            obj = cite(store, store.resolve(doc), style, paragraph, locale)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(obj)
        return
    click.echo(obj["citation"]["text"])
    click.echo(obj["citation"]["bibliography"]["text"])
