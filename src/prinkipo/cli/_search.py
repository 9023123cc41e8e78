"""search, kwic: finding things in the archive."""

from __future__ import annotations

import html
import re
from typing import Any

import click

from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError
from prinkipo.search import FACET_NAMES, FILTER_NAMES, SORTS, kwic, kwic_csv
from prinkipo.search.fulltext import ENGINES
from prinkipo.search.kwic import kwic_sql
from prinkipo.search.semantic import MODES, index, search_any, search_sql
from prinkipo.store import backend_of

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


@cli.command("search")
@click.argument("query")
@click.option(
    "--facet",
    "facets",
    multiple=True,
    metavar="NAME",
    help=f"Count results by NAME (repeatable): {', '.join(FACET_NAMES)}.",
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME=VALUE",
    help=f"Keep only documents where NAME is VALUE (repeatable; they combine): "
    f"{', '.join(FILTER_NAMES)}.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="fulltext",
    show_default=True,
    help="fulltext: the words; semantic: the meaning; hybrid: both, fused by rank.",
)
@click.option("--semantic", is_flag=True, help="Search by meaning (same as --mode semantic).")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="Full-text engine: auto is tantivy (a derived index beside the archive) where it is"
    " installed, else the archive's own FTS5 index.",
)
@click.option(
    "--sql",
    "show_sql",
    is_flag=True,
    help="Print the SQL the search runs on the --db archive's engine (SQLite or PostgreSQL);"
    " run nothing.",
)
@db_option
@json_option
def search_command(
    query: str,
    facets: tuple[str, ...],
    filters: tuple[str, ...],
    limit: int,
    offset: int,
    mode: str,
    semantic: bool,
    engine: str,
    show_sql: bool,
    db: str,
    as_json: bool,
) -> None:
    """Search the full text of the archive; best documents first, with snippets.

    \b
    QUERY syntax:
      revolution               a word; stemmed, so also revolutions, revolutionary
      "permanent revolution"   a phrase
      revol*                   words beginning so
      trotsky OR bronstein     either (AND is implied between words)
      stalin -bukharin         leave out (also: stalin NOT bukharin)
      NEAR(kamenev zinoviev, 5)  within five words of each other
    Case and accents do not matter. An unclosed quote or bracket is closed for you,
    and the search says what it mended.

    \b
    Filters: author=NAME, genre=letter, language=en, periodical=NAME,
      year=1930 and decade=1930s (written certainly then: the whole written date
      range inside it), from=1917-03 and to=1917-11 (written range overlaps),
      person=NAME and place=NAME (mentioned in it; NAME or the entity's key).
    Facets year and decade count a document under a year only when its written
    date range lies inside it; a range across years counts as "possible" in each.
    Facets person and place count the documents mentioning each entity.

    \b
    Ranking: with tantivy installed (a dependency of prinkipo) searches go
    through a derived index in ARCHIVE.tantivy/ beside the archive, built on the
    first search and brought up to date from the archive's log of changes before
    each search (the archive stays the source of truth; delete the folder freely).
    Without it, or with --engine fts5, SQLite's FTS5 index ranks every match,
    which is slower for common words. The JSON says which engine answered.

    \b
    --semantic ranks documents by what they are about rather than by the words:
    a small static embedding model shipped with prinkipo (distilled from
    all-MiniLM-L6-v2; nothing is downloaded). The first such search embeds the
    documents not yet embedded (or run `prinkipo index`). --mode hybrid fuses both
    rankings. Without the model (pip install 'prinkipo[semantic]'), --semantic
    fails with a message and --mode hybrid falls back to full text, saying so.

    \b
    Examples:
      prinkipo search "Blumkin letter"
      prinkipo search 'opposition -stalin' --facet author --facet decade
      prinkipo search revolution --filter decade=1930s --json
      prinkipo search strike --facet person --facet place --filter place=Petrograd
      prinkipo search '"permanent revolution"' --sql
      prinkipo search 'the state as an instrument of class rule' --semantic
    """
    mode = "semantic" if semantic else mode
    try:
        if show_sql:
            backend = backend_of(db)
            click.echo(search_sql(query, filters, facets, limit, offset, mode, engine, backend))
            return
        with open_archive(db) as store:
            result = search_any(store, query, filters, facets, limit, offset, mode, engine)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(result)
        return
    _print_result(result)


def _terminal(snippet_html: str) -> str:
    bold = _MARK.sub(lambda m: click.style(m.group(1), bold=True, underline=True), snippet_html)
    return html.unescape(bold)


def _print_result(result: dict[str, Any]) -> None:
    for note in result["notes"]:
        click.echo(f"note: {note}", err=True)
    shown = len(result["items"])
    first = result["offset"] + 1 if shown else 0
    click.echo(f"{result['total']} documents match; {first}–{result['offset'] + shown} shown.")
    for item in result["items"]:
        click.echo("")
        title = item["title"] or item["path"]
        click.echo(
            click.style(f"#{item['document_id']}  {title}", bold=True) + f"  ({item['score']})"
        )
        for s in item["snippets"]:
            click.echo(f"  [{s['paragraph']}] {_terminal(s['html'])}")
    for name, values in result["facets"].items():
        click.echo(f"\n{name}:")
        for v in values:
            extra = f" (+{v['possible']} possible)" if v.get("possible") else ""
            click.echo(f"  {v['count']:>6}{extra}  {v['value'] or '(none)'}")


@cli.command("kwic")
@click.argument("term")
@click.option(
    "--width",
    type=click.IntRange(1, 500),
    default=40,
    show_default=True,
    help="Characters of context each side.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="document",
    show_default=True,
    help="Order lines by document, by the words before (left) or after (right).",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many lines.")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print CSV: document_id, title, paragraph, left, match, right.",
)
@click.option(
    "--sql",
    "show_sql",
    is_flag=True,
    help="Print the SQL the concordance runs on the --db archive's engine; run nothing.",
)
@db_option
@json_option
def kwic_command(
    term: str,
    width: int,
    sort: str,
    limit: int | None,
    as_csv: bool,
    show_sql: bool,
    db: str,
    as_json: bool,
) -> None:
    """Keyword in context: every occurrence of TERM with the text either side.

    TERM is a word, a "phrase" or any search query (see `prinkipo search --help`);
    occurrences are the ones search finds (stemmed, case and accents folded).

    \b
    Examples:
      prinkipo kwic proletariat --sort left
      prinkipo kwic '"dictatorship of the proletariat"' --width 60
      prinkipo kwic revolution --csv > revolution.csv
    """
    try:
        if show_sql:
            click.echo(kwic_sql(term, backend_of(db)))
            return
        with open_archive(db) as store:
            lines = kwic(store, term, width, sort, limit)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    if as_json:
        print_json(
            [
                {k: ln[k] for k in ("document_id", "left", "match", "right", "paragraph", "title")}
                for ln in lines
            ]
        )
    elif as_csv:
        click.echo(kwic_csv(lines), nl=False)
    else:
        for ln in lines:
            left = ln["left"].rjust(width)
            click.echo(
                f"{ln['document_id']:>6}:{ln['paragraph']:<4} {left} "
                + click.style(ln["match"], bold=True)
                + f" {ln['right']}"
            )


@cli.command("index")
@db_option
@json_option
def index_command(db: str, as_json: bool) -> None:
    """Bring the search indexes up to date: full text, then meaning.

    The full-text index (tantivy, in ARCHIVE.tantivy/ beside the archive) is re-indexed
    for the documents changed since it was built, or built anew; then every document
    not yet embedded is embedded for meaning-based search with the static model
    shipped with prinkipo (no download). Searches do both themselves, as needed; run
    this after a large ingest so that the first search is quick. The JSON is the
    meaning-based report with the full-text one under "fulltext" (null without tantivy).
    """
    from prinkipo.search import tantivy_index

    try:
        with open_archive(db) as store:
            fulltext = tantivy_index.refresh(store) if tantivy_index.usable(store) else None
            report = index(store)
    except PrinkipoError as err:
        raise PrinkipoCommandError(str(err)) from err
    out = {**report.to_dict(), "fulltext": fulltext}
    if as_json:
        print_json(out)
        return
    if fulltext:
        click.echo(
            f"full text: {fulltext['documents']} documents in {fulltext['folder']}"
            + (" (already up to date)" if fulltext["was_current"] else "")
            + f", {fulltext['seconds']} s"
        )
    click.echo(
        f"{out['documents']} documents embedded ({out['paragraphs']} paragraphs,"
        f" {out['seconds']} s, {out['paragraphs_per_second']} paragraphs/s) with {out['model']}"
    )
