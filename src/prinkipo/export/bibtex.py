"""BibTeX (biblatex flavour) from the CSL-JSON items of :mod:`prinkipo.export.citations`.

Unicode is kept as it is (biblatex, biber and Zotero read UTF-8); only the characters that mean
something to TeX are escaped (``& % $ # _ { } ~ ^ \\``), so every value reads back unchanged through
a LaTeX-decoding parser. Dates go in ``date``/``origdate`` as EDTF (biblatex reads ranges, ``~``
and ``?``), with ``year``/``month`` beside them for classic BibTeX styles. Keys are
``family`` + ``year`` + first title word, with ``a``, ``b`` … added on a clash within one export.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prinkipo.export.citations import cited_document, csl_item, document_ids
from prinkipo.store import Store

#: CSL type → BibTeX entry type
ENTRY_TYPES = {
    "article-newspaper": "article",
    "personal_communication": "letter",
    "speech": "misc",
    "interview": "misc",
    "manuscript": "unpublished",
}
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_STOP = {"the", "a", "an", "on", "of", "to", "in", "and", "la", "le", "les", "der", "die", "das"}
#: the order fields are written in
FIELD_ORDER = (
    "author",
    "title",
    "journal",
    "volume",
    "number",
    "pages",
    "date",
    "year",
    "month",
    "origdate",
    "type",
    "howpublished",
    "url",
    "language",
    "note",
)


def escape(value: str) -> str:
    """A value as TeX text: TeX's special characters escaped, everything else as it is."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], value)


def _name(name: dict[str, str]) -> str:
    """A CSL name as BibTeX writes it: "von Mises, Ludwig"; a literal name stays one piece."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(x for x in (name.get("non-dropping-particle"), name["family"]) if x)
    return f"{family}, {name['given']}" if name.get("given") else family


def _author_field(item: dict[str, Any]) -> str:
    """The author list as TeX: names escaped, a literal (organisation) name braced whole."""
    return " and ".join(
        "{" + escape(n["literal"]) + "}" if "literal" in n else escape(_name(n))
        for n in item["author"]
    )


def bibtex_fields(item: dict[str, Any]) -> dict[str, str]:
    """The fields of one CSL item as BibTeX values, before TeX escaping (what a reader gets
    back after decoding: authors joined with ``and``)."""
    fields: dict[str, str] = {}
    if item.get("author"):
        fields["author"] = " and ".join(_name(n) for n in item["author"])
    simple = {
        "title": "title",
        "container-title": "journal",
        "volume": "volume",
        "issue": "number",
        "page": "pages",
        "URL": "url",
        "language": "language",
        "genre": "type",
    }
    for csl_key, key in simple.items():
        if item.get(csl_key):
            fields[key] = str(item[csl_key])
    custom = item.get("custom") or {}
    if item.get("archive"):
        fields["howpublished"] = str(item["archive"])
    if custom.get("issued-edtf"):
        fields["date"] = custom["issued-edtf"]
    if custom.get("original-date-edtf"):
        fields["origdate"] = custom["original-date-edtf"]
    parts = (item.get("issued") or {}).get("date-parts")
    if parts:
        fields["year"] = str(parts[0][0])
        if len(parts) == 1 and len(parts[0]) > 1:
            fields["month"] = str(parts[0][1])
    if custom.get("source"):
        fields["note"] = "Source: " + str(custom["source"])
    return fields


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def bibtex_key(item: dict[str, Any]) -> str:
    """``trotsky1920opposition``: family name, year, first significant title word (ASCII)."""
    author = (item.get("author") or [{}])[0]
    who = _ascii(author.get("family") or author.get("literal") or "") or "anon"
    parts = (item.get("issued") or {}).get("date-parts")
    year = str(parts[0][0]) if parts else "nd"
    words = [w for w in re.findall(r"\w+", item.get("title") or "") if w.lower() not in _STOP]
    word = _ascii(words[0]) if words else ""
    return f"{who[:20]}{year}{word[:20]}" or item["id"]


def bibtex_entry(item: dict[str, Any], key: str | None = None) -> str:
    """One CSL item as a BibTeX entry."""
    fields = bibtex_fields(item)
    entry_type = ENTRY_TYPES.get(item["type"], "misc")
    lines = [f"@{entry_type}{{{key or bibtex_key(item)},"]
    for name in FIELD_ORDER:
        if name in fields:
            value = _author_field(item) if name == "author" else escape(fields[name])
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def unique_keys(items: Iterable[dict[str, Any]]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(key, item) with clashing keys told apart by ``a``, ``b`` … in order."""
    used: dict[str, int] = {}
    for item in items:
        base = bibtex_key(item)
        n = used.get(base, 0)
        used[base] = n + 1
        yield (base if n == 0 else f"{base}{_suffix(n)}"), item


def _suffix(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def export_bibtex(store: Store, out: Path, on_progress: Any = None) -> int:
    """Write every document as a BibTeX entry to ``out``, one at a time."""
    ids = document_ids(store)
    items = (csl_item(cited_document(store, doc_id)) for doc_id in ids)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("% Exported by prinkipo. UTF-8; use biblatex/biber or a Unicode-aware BibTeX.\n\n")
        for n, (key, item) in enumerate(unique_keys(items), start=1):
            f.write(bibtex_entry(item, key))
            f.write("\n")
            if on_progress:
                on_progress(n, len(ids))
    return len(ids)
