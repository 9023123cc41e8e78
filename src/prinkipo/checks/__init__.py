"""Checks: find what is wrong in the records, show why, suggest the fix.

    run_checks(store)          → [Finding]   every rule over the archive (or some documents)
    refresh_findings(store)    → int         run them and store the findings (``prinkipo check``)
    decide(store, ref, ...)    → dict        an editor accepts or dismisses a finding

The rules live in one module per family (``dates``, ``periodicals``, ``fields``, ``text``), one
small function each, registered in :data:`RULES` with a name and a severity; the docstring of each
says what it checks and why. Rules see the whole archive (:mod:`prinkipo.checks.facts`), so what a
periodical's volumes mean, or which fields a collection always has, is learnt from the *other*
records.

A decision is a human correction and is stored apart from the findings (which are derived data,
replaced each time the checks run), keyed by rule + file path + evidence: re-ingesting or
re-checking never brings a dismissed finding back, and an accepted fix is applied whenever the
document is read (:func:`apply_corrections`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from prinkipo.checks import dates, fields, periodicals, text, works  # noqa: F401  (they register rules)
from prinkipo.checks.facts import ArchiveFacts, load_archive, volume_and_number
from prinkipo.checks.registry import (
    RULES,
    SEVERITIES,
    Evidence,
    Finding,
    Rule,
    Suggestion,
    rule,
)
from prinkipo.errors import PrinkipoError
from prinkipo.store import Store

__all__ = [
    "RULES",
    "SEVERITIES",
    "Evidence",
    "Finding",
    "FindingNotFound",
    "Rule",
    "Suggestion",
    "decide",
    "refresh_findings",
    "rule",
    "run_checks",
]


class FindingNotFound(PrinkipoError):
    """No stored finding has that id or key."""

    status = 404


def run_checks(
    store: Store,
    document_ids: Iterable[int] | None = None,
    rules: Iterable[str] | None = None,
    today: date | None = None,
    archive: ArchiveFacts | None = None,
) -> list[Finding]:
    """Every (or the named) rule over every (or the given) document; nothing is stored.

    A rule that fails on a document (a bug) does not end the run: it becomes an ``info``
    finding of rule ``check-failed`` naming the rule and the error.
    """
    archive = archive or load_archive(store, today)
    chosen = [RULES[r] for r in rules] if rules is not None else list(RULES.values())
    ids = list(archive.docs) if document_ids is None else list(document_ids)
    out: list[Finding] = []
    for doc_id in ids:
        doc = archive.docs.get(doc_id)
        if doc is None:
            continue
        for r in chosen:
            try:
                out.extend(r.func(doc, archive))
            except Exception as err:  # one broken rule must not hide the others' findings
                out.append(
                    Finding(
                        doc.id,
                        doc.path,
                        "check-failed",
                        "info",
                        f"rule {r.name} failed on this record ({type(err).__name__}: {err}); "
                        "please report it",
                        (),
                    )
                )
    return out


def refresh_findings(
    store: Store, document_ids: Iterable[int] | None = None, today: date | None = None
) -> list[Finding]:
    """Run the checks and replace the stored findings of those documents (all when None)."""
    ids = None if document_ids is None else list(document_ids)
    found = run_checks(store, ids, today=today)
    store.replace_findings(ids, [f.to_row() for f in found])
    return found


def decide(
    store: Store,
    ref: str,
    decision: str,
    by: str,
    value: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Accept or dismiss the stored finding ``ref`` (its id or key); returns the finding after.

    Accepting takes the finding's suggestion as the correction, unless ``value`` gives the
    editor's own; accepting a finding with neither only marks it as right (nothing to apply).
    """
    if decision not in ("accepted", "dismissed"):
        raise PrinkipoError(f"a decision is 'accepted' or 'dismissed', not {decision!r}")
    if not by.strip():
        raise PrinkipoError("a decision needs the name of who made it")
    found = store.finding(ref)
    if found is None:
        raise FindingNotFound(f"Finding {ref} not found")
    field = old = None
    if decision == "accepted":
        sugg = found["suggestion"] or {}
        value = value if value is not None else sugg.get("value")
        if value is not None:
            field = sugg.get("field") or _first_field(found)
            old = sugg.get("old") or _old_text(found, field)
    else:
        value = None
    store.save_decision(found, decision, by.strip(), field, old, value, note)
    after = store.finding(found["key"])
    assert after is not None
    if value is not None:
        # the record is now checked as corrected: findings the fix resolves go away
        refresh_findings(store, [found["document_id"]])
    return after


def _first_field(found: dict[str, Any]) -> str | None:
    own = [e for e in found["evidence"] if "path" not in e]
    return own[0]["field"] if own else None


def _old_text(found: dict[str, Any], field: str | None) -> str | None:
    for e in found["evidence"]:
        if "path" not in e and e["field"] == field:
            return str(e["text"])
    return None


def apply_corrections(obj: dict[str, Any], corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply accepted fixes to a document object (on read; the extracted layer stays as read).

    A corrected value replaces the evidence text in the field it names; a date read from that
    field is read again from the corrected text. Each change is listed in ``corrections`` with
    who made it, when, and the value it replaced.
    """
    from prinkipo.dates import parse_date
    from prinkipo.errors import UnparseableDate

    applied = []
    for c in corrections:
        field, old, new = c["field"], c["old"], c["value"]
        if not field or old is None:
            continue
        changed = False
        for f in obj.get("fields", []):
            if f["name"] == field and old in f["value"]:
                f["original"] = f.get("original", f["value"])
                f["value"] = f["value"].replace(old, new, 1)
                changed = True
        source = obj.get("source")
        dated = list(obj.get("dates", {}).values())
        if source and source.get("date"):
            dated.append(source["date"])
        if source and field == (source.get("date") or {}).get("evidence", {}).get("field"):
            if old in source["text"]:
                source["original_text"] = source.get("original_text", source["text"])
                source["text"] = source["text"].replace(old, new, 1)
                changed = True
            if old.startswith("Vol. ") and new.startswith("Vol. "):
                source.update(volume_and_number(new, source.get("number")))
        for d in dated:
            if d.get("evidence", {}).get("field") == field and d.get("text") == old:
                try:
                    p = parse_date(new).to_dict()
                except UnparseableDate:
                    continue
                original = {k: d[k] for k in ("text", "edtf", "earliest", "latest") if k in d}
                d.update(p)
                d["corrected"] = {"from": original, "by": c["by"], "at": c["at"], "key": c["key"]}
                changed = True
        if changed:
            applied.append(c)
    if applied:
        obj["corrections"] = applied
    return obj
