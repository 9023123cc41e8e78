"""The citation page of a document (``/documents/{id}/cite``) and its TEI file.

Formatted citations come from :mod:`prinkipo.export.citations` (real CSL styles through
citeproc-py), BibTeX from :mod:`prinkipo.export.bibtex`, TEI from :mod:`prinkipo.export.tei`.
Rendering a CSL style takes tens to hundreds of milliseconds, so the document page shows BibTeX
at once and links here (and fills in the Chicago note from ``/api/documents/{id}/cite`` when
JavaScript runs).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from prinkipo.export.bibtex import bibtex_entry
from prinkipo.export.citations import (
    ATTRIBUTION,
    STYLES,
    cited_document,
    csl_item,
    format_citation,
)
from prinkipo.export.tei import build as build_tei
from prinkipo.export.tei import file_name
from prinkipo.web.archive import Archive, int_param
from prinkipo.web.templating import TEMPLATES

STYLE_LABELS = {
    "chicago-note": "Chicago (notes and bibliography)",
    "chicago-author-date": "Chicago (author-date)",
    "mla": "MLA",
}
_ITALIC = re.compile(r"<i>(.*?)</i>", re.S)
_TAG = re.compile(r"<[^>]+>")


def italic_pieces(rendered: str) -> list[tuple[str, bool]]:
    """Citeproc's HTML as (text, italic) pieces: only italics survive, the rest is plain text
    that the template escapes (so nothing from a record can become markup)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _ITALIC.finditer(rendered):
        if m.start() > pos:
            out.append((html.unescape(_TAG.sub("", rendered[pos : m.start()])), False))
        out.append((html.unescape(_TAG.sub("", m.group(1))), True))
        pos = m.end()
    if pos < len(rendered):
        out.append((html.unescape(_TAG.sub("", rendered[pos:])), False))
    return out


def bibtex_of(doc: dict[str, Any]) -> str:
    return bibtex_entry(csl_item(doc))


def routes(archive: Archive) -> list[Route]:
    def cite_page(request: Request) -> Response:
        store = archive.store()
        doc_id = store.resolve(str(request.path_params["doc_id"]))
        doc = cited_document(store, doc_id)
        paragraph = int_param(request, "paragraph", 0, 0, 10**6) or None
        styles = []
        for name in STYLES:
            f = format_citation(doc, name, paragraph)
            styles.append(
                {
                    "name": name,
                    "label": STYLE_LABELS.get(name, name),
                    "form": f.form,
                    "citation": italic_pieces(f.html),
                    "bibliography": italic_pieces(f.bibliography_html),
                }
            )
        anchor = doc["paragraphs"][paragraph - 1]["anchor"] if paragraph else None
        return TEMPLATES.TemplateResponse(
            request,
            "cite.html",
            {
                "doc": doc,
                "paragraph": paragraph,
                "anchor": anchor,
                "styles": styles,
                "bibtex": bibtex_of(doc),
                "attribution": ATTRIBUTION,
                "section": "documents",
            },
        )

    def tei(request: Request) -> Response:
        store = archive.store()
        doc_id = store.resolve(str(request.path_params["doc_id"]))
        path = store.original_file(doc_id)["path"]
        body = etree.tostring(
            build_tei(store, doc_id), xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return Response(
            body,
            media_type="application/tei+xml",
            headers={"content-disposition": f'attachment; filename="{file_name(doc_id, path)}"'},
        )

    return [
        Route("/documents/{doc_id:int}/cite", cite_page, name="cite"),
        Route("/documents/{doc_id:int}/tei", tei, name="tei"),
    ]
