"""Findings, their evidence and suggested fixes, and the table of rules.

A rule is a small function ``(doc, archive) -> Iterable[Finding]`` registered with :func:`rule`,
which gives it a name and a severity; its docstring is what ``prinkipo check --rules`` and the
review queue show to explain it. To add a rule: write the function in the module of its family
(``dates.py``, ``periodicals.py``, ``text.py``, ``fields.py``), decorate it, and give it a test
with a real record that it catches and one it leaves alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from prinkipo.checks.facts import ArchiveFacts, DocFacts

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A stretch of text a finding rests on: in this document, or (``path`` set) in another."""

    field: str
    text: str
    start: int | None
    end: int | None
    path: str | None = None
    document_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.path is not None:
            out["path"] = self.path
            out["document_id"] = self.document_id
        return out


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A value to put in ``field`` instead of ``old`` (the evidence text it replaces), and why."""

    field: str
    value: str
    reason: str
    old: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "old": self.old,
            "reason": self.reason,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """Something wrong or suspicious in one document's record."""

    document_id: int
    path: str
    rule: str
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...]
    suggestion: Suggestion | None = None

    @property
    def key(self) -> str:
        """Stable identity: rule + file path + the document's own evidence (field and text).

        Offsets and evidence from other documents are left out on purpose: a reader that
        shifts offsets, or a new record of the same periodical, must not turn a dismissed
        finding into a "new" one.
        """
        own = [[e.field, e.text] for e in self.evidence if e.path is None]
        raw = json.dumps([self.rule, self.path, own], ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:20]

    def to_row(self) -> dict[str, Any]:
        """The store's row (JSON-ready evidence and suggestion)."""
        return {
            "key": self.key,
            "document_id": self.document_id,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "suggestion": self.suggestion.to_dict() if self.suggestion else None,
        }


RuleFunc = Callable[["DocFacts", "ArchiveFacts"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    severity: Severity
    func: RuleFunc
    doc: str = field(default="")

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    def finding(
        self,
        doc: DocFacts,
        message: str,
        evidence: Iterable[Evidence],
        suggestion: Suggestion | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            doc.id,
            doc.path,
            self.name,
            severity or self.severity,
            message,
            tuple(evidence),
            suggestion,
        )


#: every rule, by name, in the order they were registered
RULES: dict[str, Rule] = {}


def rule(name: str, severity: Severity) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Register a rule function under ``name`` with its default severity."""

    def register(func: Callable[..., Iterable[Finding]]) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name!r} is registered twice")
        r = Rule(name, severity, func, func.__doc__ or "")
        RULES[name] = r
        return r

    return register
