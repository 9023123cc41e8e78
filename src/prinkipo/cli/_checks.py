"""check, accept, dismiss: what is wrong in the records, and an editor's decisions on it."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Any

import click

from prinkipo.checks import RULES, SEVERITIES, decide, refresh_findings
from prinkipo.cli import PrinkipoCommandError, cli, db_option, json_option, open_archive, print_json
from prinkipo.errors import PrinkipoError
from prinkipo.objects import finding_object

STATUSES = ("open", "accepted", "dismissed", "all")


@cli.command("check")
@db_option
@json_option
@click.option("--doc", "doc", metavar="DOC", help="Check only this document (id or path).")
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Only findings of this severity.",
)
@click.option(
    "--rule",
    "rule_name",
    type=click.Choice(list(RULES)),
    default=None,
    metavar="RULE",
    help="Only findings of this rule (see --rules).",
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="open",
    show_default=True,
    help="Which findings to show: open ones, those an editor accepted or dismissed, or all.",
)
@click.option("--rules", "list_rules", is_flag=True, help="List the rules and what each checks.")
def check_command(
    db: str,
    as_json: bool,
    doc: str | None,
    severity: str | None,
    rule_name: str | None,
    status: str,
    list_rules: bool,
) -> None:
    """Check the records for mistakes: show what is wrong, why, and the fix suggested.

    Runs every rule over the archive (or over --doc), stores the findings, and prints them.
    Rules learn from the whole archive: what a periodical's volume means in time comes from its
    other records. Exit status 1 when an open finding of severity error is shown.

    \b
    Examples:
      prinkipo check
      prinkipo check --doc 1 --json
      prinkipo check --severity error --rule published-before-written
      prinkipo check --rules
    Accept or dismiss a finding with `prinkipo accept ID` or `prinkipo dismiss ID`.
    """
    if list_rules:
        _print_rules(as_json)
        return
    with open_archive(db) as store:
        try:
            doc_id = store.resolve(doc) if doc is not None else None
            refresh_findings(store, None if doc_id is None else [doc_id])
            rows = store.findings(doc_id, severity, rule_name, None if status == "all" else status)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    found = [finding_object(r) for r in rows]
    if as_json:
        print_json(found)
    else:
        _print_findings(found)
    if any(f["severity"] == "error" and f["status"] == "open" for f in found):
        sys.exit(1)


def _print_rules(as_json: bool) -> None:
    items = [
        {"name": r.name, "severity": r.severity, "doc": textwrap.dedent(r.doc).strip()}
        for r in RULES.values()
    ]
    if as_json:
        print_json(items)
        return
    for r in RULES.values():
        click.echo(f"{r.name}  ({r.severity})")
        click.echo(textwrap.indent(textwrap.dedent("    " + r.doc.strip()).strip(), "    "))
        click.echo("")


def _print_findings(found: list[dict[str, Any]]) -> None:
    if not found:
        click.echo("No findings.")
        return
    for f in found:
        status = "" if f["status"] == "open" else f"  [{f['status']}]"
        click.echo(f"#{f['id']} {f['severity']:<7} {f['rule']}  {f['path']}{status}")
        click.echo(textwrap.fill(f["message"], 96, initial_indent="    ", subsequent_indent="    "))
        for e in f["evidence"]:
            where = f" in {e['path']}" if "path" in e else ""
            at = f" @{e['start']}" if e.get("start") is not None else ""
            click.echo(f"      {e['field']}{at}{where}: {e['text'][:120]}")
        s = f["suggestion"]
        if s:
            click.echo(f"    suggest {s['field']}: {s['value']}")
            click.echo(
                textwrap.fill(
                    "because " + s["reason"],
                    96,
                    initial_indent="      ",
                    subsequent_indent="      ",
                )
            )
    counts: dict[str, int] = {}
    for f in found:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    click.echo(", ".join(f"{n} {sev}" for sev, n in counts.items()))


def _who(by: str | None) -> str:
    return by or os.environ.get("PRINKIPO_EDITOR") or os.environ.get("USER") or "editor"


@cli.command("accept")
@click.argument("finding")
@db_option
@json_option
@click.option("--value", default=None, help="Your own corrected value instead of the suggestion.")
@click.option("--note", default=None, help="Why (kept with the decision).")
@click.option("--by", default=None, help="Who decides (default: $PRINKIPO_EDITOR, else $USER).")
def accept_command(
    finding: str, db: str, as_json: bool, value: str | None, note: str | None, by: str | None
) -> None:
    """Accept finding FINDING (its id or key) of `prinkipo check` and apply its fix.

    An editor's decision is a human correction: stored apart from what was extracted, keyed by
    the finding's rule, file path and evidence (never a row id), and kept across re-ingest. The
    suggested value (or your --value) is applied whenever the document is read, and the record is
    checked as corrected from then on.

    \b
    Examples:
      prinkipo accept 2
      prinkipo accept 2 --value "1 March 1930" --note "checked the scan"
    """
    _decide(db, as_json, finding, "accepted", _who(by), value, note)


@cli.command("dismiss")
@click.argument("finding")
@db_option
@json_option
@click.option("--note", default=None, help="Why it is not a mistake (kept with the decision).")
@click.option("--by", default=None, help="Who decides (default: $PRINKIPO_EDITOR, else $USER).")
def dismiss_command(finding: str, db: str, as_json: bool, note: str | None, by: str | None) -> None:
    """Dismiss finding FINDING (its id or key): it is not a mistake.

    Kept like any human correction (by rule, file path and evidence), so re-ingesting or
    re-checking never reports it again; `prinkipo check --status dismissed` lists them.
    """
    _decide(db, as_json, finding, "dismissed", _who(by), None, note)


def _decide(
    db: str,
    as_json: bool,
    ref: str,
    decision: str,
    by: str,
    value: str | None,
    note: str | None,
) -> None:
    with open_archive(db) as store:
        try:
            after = decide(store, ref, decision, by, value, note)
        except PrinkipoError as err:
            raise PrinkipoCommandError(str(err)) from err
    obj = finding_object(after)
    if as_json:
        print_json(obj)
        return
    d = obj["decision"] or {}
    applied = f": {d['value']}" if d.get("value") else ""
    click.echo(f"#{obj['id']} {obj['rule']} {obj['path']} {decision} by {d.get('by')}{applied}")
