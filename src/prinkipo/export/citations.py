"""Citations: every document as CSL-JSON, and as a formatted note or reference in a real CSL style.

:func:`csl_item` turns the contract's document object into one CSL-JSON item (valid against the
CSL-JSON schema): the type from what the document is (a piece in a periodical, a letter, a speech,
otherwise a manuscript), ``issued`` from the published date (else the date written) and
``original-date`` from the date written, both as ``date-parts`` with ``circa`` and ranges read from
the EDTF; ``container-title``, ``volume``, ``issue`` and ``page`` from the source citation;
``archive`` and ``URL`` from where the file came from. The EDTF itself, the source as printed, the
file's path and checksum ride along in ``custom``, so nothing is lost.

:func:`format_citation` renders an item with citeproc-py in Chicago notes-bibliography, Chicago
author-date or MLA, from the CSL styles shipped in ``export/styles/`` (CSL project, CC BY-SA 3.0:
see ``styles/SOURCE.md``), optionally pointing at one paragraph.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from prinkipo.anchors import paragraph_anchors
from prinkipo.errors import PrinkipoError
from prinkipo.objects import document_object
from prinkipo.store import Store

STYLE_DIR = Path(__file__).parent / "styles"

#: style name (API and CLI) → (CSL file stem, what the citation form is called)
STYLES: dict[str, tuple[str, str]] = {
    "chicago-note": ("chicago-notes-bibliography", "note"),
    "chicago-author-date": ("chicago-author-date", "in-text"),
    "mla": ("modern-language-association", "in-text"),
}
#: what every rendering must carry (the styles' licence asks for it)
ATTRIBUTION = (
    "Citation styles by the CSL project (https://citationstyles.org/), "
    "CC BY-SA 3.0; rendered with citeproc-py."
)
DEFAULT_LOCALE = "en-GB"

MIA_ARCHIVE = "Marxists Internet Archive"
_MIA_PATH = re.compile(r"(?:^|/)mia-html/(.+)$")

#: genre → CSL type for a document that was not printed in a periodical
#: (CSL has no "letter" type: a letter is a "personal_communication", Zotero's Letter)
_GENRE_TYPES = {
    "letter": "personal_communication",
    "telegram": "personal_communication",
    "speech": "speech",
    "interview": "interview",
}
_PARTICLES = {"von", "van", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "zu"}
_EDTF_POINT = re.compile(r"^(-?\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|XX))?(?:-(\d{2}|XX))?$")


class UnknownStyle(PrinkipoError):
    """A citation style name that prinkipo does not ship."""


# -- CSL-JSON -------------------------------------------------------------------------------


def csl_name(name: str) -> dict[str, str]:
    """A person's name as CSL: "Leon Trotsky" → family/given; "Escher, Alfred" keeps its order.

    A lower-case particle before the family name ("Ludwig von Mises") becomes the
    ``non-dropping-particle``; a name of one word (or an organisation) stays a ``literal``.
    """
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip():
            return {"family": family.strip(), "given": given.strip()}
    words = name.split(" ")
    if len(words) < 2 or not words[-1][:1].isupper():
        return {"literal": name}
    i = len(words) - 1
    while i > 1 and words[i - 1] in _PARTICLES:
        i -= 1
    out = {"family": words[-1], "given": " ".join(words[:i])}
    if i < len(words) - 1:
        out["non-dropping-particle"] = " ".join(words[i:-1])
    return out


def _edtf_point(text: str) -> tuple[list[int], list[int]] | None:
    """The earliest and latest date-parts of one EDTF point ("1930-01-05", "184X", "1850-22")."""
    m = _EDTF_POINT.match(text)
    if m is None:
        return None
    year, month, day = m.groups()
    if "X" in year:
        low, high = int(year.replace("X", "0")), int(year.replace("X", "9"))
        return [low], [high]
    y = int(year)
    if month is None or month == "XX":
        return [y], [y]
    mo = int(month)
    if mo > 12:  # a season (21-24): kept as the year; the season goes in "season"
        return [y], [y]
    if day is None or day == "XX":
        return [y, mo], [y, mo]
    return [y, mo, int(day)], [y, mo, int(day)]


def csl_date(date: dict[str, Any] | None) -> dict[str, Any] | None:
    """A contract date object as a CSL date: ``date-parts`` (one, or two for a range), ``circa``,
    ``season``; an unreadable or open-ended date keeps its text as ``literal``."""
    if not date:
        return None
    edtf = date.get("edtf")
    if not edtf:
        return {"literal": date["text"].strip(" .")} if date.get("text") else None
    bare = re.sub(r"[~?%\[\]]", "", edtf)
    ends = bare.split("/")
    points = [_edtf_point(e) for e in ends]
    if any(p is None for p in points) or len(ends) > 2:
        return {"literal": date["text"].strip(" .")}
    first, last = points[0], points[-1]
    assert first is not None and last is not None
    parts = [first[0]] if first[0] == last[1] else [first[0], last[1]]
    out: dict[str, Any] = {"date-parts": parts}
    if "~" in edtf or "%" in edtf or date.get("approximate"):
        out["circa"] = True
    season = re.fullmatch(r"-?\d{4}-(2[1-4])", ends[0]) if len(ends) == 1 else None
    if season:
        out["season"] = int(season.group(1)) - 20
    return out


def canonical_url(doc: dict[str, Any]) -> str | None:
    """The page's address on the web: the reader's canonical URL, or the MIA path rule."""
    for key in ("url", "canonical_url"):
        if isinstance(doc.get(key), str) and doc[key]:
            return str(doc[key])
    letter_url = (doc.get("letter") or {}).get("url")
    if isinstance(letter_url, str) and letter_url.startswith(("http://", "https://")):
        return letter_url
    for f in doc.get("files") or []:
        m = _MIA_PATH.search(f.get("path") or "")
        if m:
            return f"https://www.marxists.org/{m.group(1)}"
    return None


def csl_type(doc: dict[str, Any]) -> str:
    """The CSL item type that fits the document."""
    source = doc.get("source") or {}
    if source.get("periodical"):
        return "article-newspaper"
    return _GENRE_TYPES.get(doc.get("genre") or "", "manuscript")


def _dates(doc: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(issued, original) date objects: published if known, with the date written as original."""
    dates = doc.get("dates") or {}
    source = doc.get("source") or {}
    published = dates.get("published") or source.get("date")
    written = dates.get("written") or dates.get("delivered") or dates.get("dateline")
    written = written or dates.get("note") or (doc.get("letter") or {}).get("date")
    if published and published.get("edtf"):
        if written and written.get("edtf") and written["edtf"] != published["edtf"]:
            return published, written
        return published, None
    return written or published, None


def _letter_parties(doc: dict[str, Any], role: str) -> list[str]:
    """Names of the letter's ``senders`` or ``recipients`` (the document's own letter)."""
    parties = (doc.get("letter") or {}).get(role) or []
    return [str(p["name"]) for p in parties if isinstance(p, dict) and p.get("name")]


def csl_item(doc: dict[str, Any]) -> dict[str, Any]:
    """One document object (CONTRACT.md) as a CSL-JSON item."""
    item: dict[str, Any] = {"id": f"doc{doc['id']}", "type": csl_type(doc)}
    files = doc.get("files") or []
    if doc.get("title"):
        item["title"] = doc["title"]
    elif files:  # a supplied title, in square brackets as cataloguers write one
        item["title"] = f"[{Path(files[0]['path']).name}]"
    authors = [csl_name(a["name"]) for a in doc.get("authors") or [] if a.get("name")]
    if not authors:
        authors = [csl_name(n) for n in _letter_parties(doc, "senders")]
    if authors:
        item["author"] = authors
    if recipients := _letter_parties(doc, "recipients"):
        item["recipient"] = [csl_name(n) for n in recipients]
    issued, original = _dates(doc)
    custom: dict[str, Any] = {"prinkipo-id": doc["id"]}
    for key, value in (("issued", issued), ("original-date", original)):
        converted = csl_date(value)
        if converted and value:
            item[key] = converted
            custom[f"{key}-edtf"] = value.get("edtf")
            custom[f"{key}-text"] = value.get("text")
    source = doc.get("source") or {}
    for key, csl_key in (
        ("periodical", "container-title"),
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "page"),
    ):
        if source.get(key):
            item[csl_key] = str(source[key])
    if source.get("text"):
        custom["source"] = source["text"]
    if doc.get("genre") and item["type"] not in ("personal_communication", "speech", "interview"):
        item["genre"] = doc["genre"]
    if doc.get("language"):
        item["language"] = doc["language"]
    url = canonical_url(doc)
    if url:
        item["URL"] = url
        if url.startswith("https://www.marxists.org/"):
            item["archive"] = MIA_ARCHIVE
    if files:
        custom["path"] = files[0].get("path")
        custom["sha256"] = files[0].get("sha256")
    if doc.get("corrections"):
        custom["corrections"] = doc["corrections"]
    item["custom"] = custom
    return item


def document_ids(store: Store) -> list[int]:
    """Every document id, in order."""
    return [int(r["id"]) for r in store.document_summaries()]


def iter_documents(store: Store) -> Iterator[dict[str, Any]]:
    """Document objects one at a time (exports stream; they never hold the archive)."""
    for doc_id in document_ids(store):
        yield cited_document(store, doc_id)


def cited_document(store: Store, doc_id: int) -> dict[str, Any]:
    """The document object a citation is made from (human corrections applied, where stored)."""
    return document_object(store, doc_id)


def export_csl_json(store: Store, out: Path, on_progress: Any = None) -> int:
    """Write every document as one CSL-JSON array to ``out``, one item at a time."""
    ids = document_ids(store)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("[")
        for n, doc_id in enumerate(ids, start=1):
            item = csl_item(cited_document(store, doc_id))
            f.write("\n" if n == 1 else ",\n")
            f.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
            if on_progress:
                on_progress(n, len(ids))
        f.write("\n]\n")
    return len(ids)


# -- formatted citations --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormattedCitation:
    """A citation in one style: the note (or in-text citation) and the bibliography entry."""

    style: str
    form: str
    text: str
    html: str
    bibliography_text: str
    bibliography_html: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "form": self.form,
            "text": self.text,
            "html": self.html,
            "bibliography": {"text": self.bibliography_text, "html": self.bibliography_html},
            "attribution": ATTRIBUTION,
        }


_LOCK = threading.Lock()
#: the item fields citeproc-py understands (it refuses "custom" and "citation-key")
_NOT_FOR_CITEPROC = ("custom", "citation-key")


@lru_cache(maxsize=16)
def _style(name: str, locale: str) -> Any:
    from citeproc import CitationStylesStyle

    _patch_citeproc()
    return CitationStylesStyle(str(STYLE_DIR / f"{STYLES[name][0]}.csl"), locale, validate=False)


def _finish(rendered: Any, fmt: Any) -> str:
    from citeproc import formatter

    return _safe_html(str(rendered)) if fmt is formatter.html else str(rendered)


def _render(
    item: dict[str, Any], name: str, locale: str, paragraph: int | None, html_only: bool = False
) -> list[str]:
    """[citation, bibliography entry] in plain text, then in HTML (HTML only if asked)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    data = {k: v for k, v in item.items() if k not in _NOT_FOR_CITEPROC}
    out = []
    with _LOCK:
        style = _style(name, locale)
        for fmt in (formatter.html,) if html_only else (formatter.plain, formatter.html):
            # two bibliographies: citeproc-py carries a citation's locator into the entry
            extra = {"locator": Locator("paragraph", str(paragraph))} if paragraph else {}
            cite_bib = CitationStylesBibliography(style, CiteProcJSON([data]), fmt)
            citation = Citation([CitationItem(data["id"], **extra)])
            cite_bib.register(citation)
            out.append(_finish(cite_bib.cite(citation, lambda _item: None), fmt))
            plain_bib = CitationStylesBibliography(style, CiteProcJSON([data]), fmt)
            plain_bib.register(Citation([CitationItem(data["id"])]))
            entries = plain_bib.bibliography()
            out.append(_finish(entries[0], fmt) if entries else "")
    return out


#: the markup citeproc-py's HTML formatter writes; everything else in its output is text
_CITEPROC_TAGS = re.compile(
    r"&lt;(/?(?:i|b|l|u|sup|sub)|span style=&quot;font-variant:small-caps;&quot;|/span)&gt;"
)


def _safe_html(rendered: str) -> str:
    """citeproc-py's HTML with the item's own text escaped (it copies variables in raw: a title
    holding ``<script>`` would run). Escapes everything, then gives back the formatter's tags."""
    return _CITEPROC_TAGS.sub(
        lambda m: "<" + html.unescape(m.group(1)) + ">",
        html.escape(html.unescape(rendered), quote=True),
    )


def citation_html(doc: dict[str, Any], style: str = "chicago-note") -> tuple[str, str]:
    """(citation, bibliography entry) as HTML: what a static page shows (half the work)."""
    note, entry = _render(csl_item(doc), style, DEFAULT_LOCALE, None, html_only=True)
    return note, entry


def format_citation(
    doc: dict[str, Any],
    style: str = "chicago-note",
    paragraph: int | None = None,
    locale: str = DEFAULT_LOCALE,
) -> FormattedCitation:
    """The document cited in ``style`` (see :data:`STYLES`), at ``paragraph`` when given.

    ``locale`` picks the date and quotation conventions: ``en-GB`` (the default) writes dates
    as the archive prints them ("1 March 1920"), ``en-US`` as "March 1, 1920".
    """
    if style not in STYLES:
        known = ", ".join(STYLES)
        raise UnknownStyle(f"No citation style {style!r}; known styles: {known}")
    if locale not in ("en-GB", "en-US"):
        raise UnknownStyle(f"No locale {locale!r}; known: en-GB, en-US")
    if paragraph is not None and not 1 <= paragraph <= len(doc.get("paragraphs") or []):
        raise PrinkipoError(
            f"Document {doc['id']} has no paragraph {paragraph} "
            f"(it has {len(doc.get('paragraphs') or [])})"
        )
    text, btext, html, bhtml = _render(csl_item(doc), style, locale, paragraph)
    return FormattedCitation(style, STYLES[style][1], _tidy(text), html, _tidy(btext), bhtml)


def _tidy(text: str) -> str:
    return " ".join(text.split())


def cite(
    store: Store,
    doc_id: int,
    style: str = "chicago-note",
    paragraph: int | None = None,
    locale: str = DEFAULT_LOCALE,
) -> dict[str, Any]:
    """The citation object of the CLI's ``cite --json`` and the API's ``/cite``."""
    doc = cited_document(store, doc_id)
    formatted = format_citation(doc, style, paragraph, locale)
    return {
        "document_id": doc_id,
        "style": style,
        "locale": locale,
        "paragraph": paragraph,
        "anchor": paragraph_anchor_of(doc, paragraph) if paragraph else None,
        "citation": formatted.to_dict(),
        "csl": csl_item(doc),
    }


def paragraph_anchor_of(doc: dict[str, Any], paragraph: int) -> str:
    """The stable anchor of paragraph ``paragraph`` (1-based) of a document object."""
    return paragraph_anchors(p["text"] for p in doc["paragraphs"])[paragraph - 1]


_PATCHED = False


def _patch_citeproc() -> None:
    """Two citeproc-py (0.11) departures from the CSL 1.0.2 specification, corrected here,
    and one cache.

    - ``cs:label`` must render nothing when its variable is empty; citeproc-py renders the term
      anyway (Chicago then prints a stray "Edition").
    - ``initialize="false"`` on ``cs:name`` must keep given names whole; citeproc-py reduces
      them to initials whenever ``initialize-with`` is set (Chicago then prints "L. Trotsky").
    - Rendering runs the same XPath queries over the (unchanging) style tree again and again:
      about half of the time of a Chicago note. The answers are kept per element and query (the
      cache holds the element proxies, so lxml hands back the same objects and the keys stay
      valid).
    """
    global _PATCHED
    if _PATCHED:
        return
    import citeproc.model as model
    from citeproc.source import VariableError

    label_process = model.Label.process

    def process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        var = variable or self.get("variable")
        if var and var != "locator":
            try:
                item.reference[var.replace("-", "_")]
            except VariableError:
                return None
        return label_process(self, item, variable, *args, **kwargs)

    name_initialize = model.Name.initialize

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if self.get("initialize") == "false":
            return given
        return str(name_initialize(self, given, mark, context))

    xpath_search = model.CitationStylesElement.xpath_search
    answers: dict[tuple[Any, str], Any] = {}

    def cached_xpath_search(self: Any, expression: str) -> Any:
        key = (self, expression)
        found = answers.get(key)
        if found is None:
            found = answers[key] = xpath_search(self, expression)
        return found

    model.Label.process = process
    model.Name.initialize = initialize
    model.CitationStylesElement.xpath_search = cached_xpath_search
    _PATCHED = True
