"""Build the benchmark archives: mia-html, and a 100,000-page replica of it.

``mia_archive(db)`` ingests ../shared/corpus/mia-html with the HTML reader when the archive has
one (``prinkipo.readers.READERS["html"]``). Until then it reads each page here, crudely: the
page's ``<p>`` texts become paragraphs and its "information" header becomes ``Label: value``
lines, written out as a plain-text record that the text reader and the header rules interpret
(real text, no synthetic data; only the page-to-record step is this file's own).

``replica_archive(db, pages)`` saves the same records again under ``replica/<k>/…`` paths until
the archive holds ``pages`` documents: real text at archive scale.

    .venv/bin/python bench/corpus.py /tmp/mia.db [/tmp/replica.db]
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from prinkipo.encoding import decode
from prinkipo.entities.authority import demo_authority
from prinkipo.errors import PrinkipoError
from prinkipo.ingestion import ingest, parse
from prinkipo.model import Document, FileInfo
from prinkipo.readers import READERS
from prinkipo.store import Store, open_store

CORPUS = Path(
    os.environ.get("PRINKIPO_CORPUS")
    or Path(__file__).resolve().parents[2] / "shared" / "corpus" / "mia-html"
)
_LABELLED = re.compile(r"([A-Z][\w /\\-]{2,30}):\s*(.*?)(?=(?:\s[A-Z][\w /\\-]{2,30}:\s)|$)")
HEADER_CLASSES = {"information", "info", "title", "footer", "updat", "link", "toc", "index"}


def html_to_record(path: Path) -> str | None:
    """A MIA page as a plain-text record (author, title, header lines, paragraphs), or None."""
    import lxml.html

    data = path.read_bytes()
    text, _ = decode(str(path), data)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"))
    except Exception:  # an unparseable page is left out, as the real reader would record it
        return None
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    title = _first(root, "//h1") or _first(root, "//h3") or _first(root, "//title") or path.stem
    author = (
        _first(root, "//h2") or path.parts[path.parts.index("archive") + 1].replace("-", " ")
        if "archive" in path.parts
        else (_first(root, "//h2") or "Marxists Internet Archive")
    )
    header = []
    for p in root.xpath('//p[@class="information"]'):
        flat = " ".join(p.text_content().split())
        for label, value in _LABELLED.findall(flat):
            header.append(f"{label}: {value.strip()}")
    paras = []
    for p in root.iter("p"):
        if (p.get("class") or "").lower() in HEADER_CLASSES:
            continue
        flat = " ".join(p.text_content().split())
        if len(flat) >= 20:
            paras.append(flat)
    if not paras:
        return None
    return "\n\n".join([author, title, "\n".join(header), *paras]) + "\n"


def _first(root: object, xpath: str) -> str | None:
    for el in root.xpath(xpath):  # type: ignore[attr-defined]
        flat = " ".join(el.text_content().split())
        if flat:
            return flat[:300]
    return None


def records() -> Iterator[tuple[str, bytes, str]]:
    """(archive path, bytes, format) of every page: the page itself where the archive has an
    HTML reader, else the page as a plain-text record."""
    for path in sorted(CORPUS.rglob("*.htm*")):
        key = "mia-html/" + str(path.relative_to(CORPUS))
        if "html" in READERS:
            yield key, path.read_bytes(), "html"
        elif (rec := html_to_record(path)) is not None:
            yield key, rec.encode("utf-8"), "text"


def documents() -> Iterator[tuple[str, bytes, Document]]:
    """(archive path, bytes, document) of every page that reads as a work."""
    authority = demo_authority()
    for key, data, fmt in records():
        try:
            doc = parse(key, data, fmt, authority)
        except PrinkipoError:
            continue
        if not doc.record.skip_reason:
            yield key, data, doc


def save(store: Store, key: str, data: bytes, doc: Document) -> None:
    info = FileInfo(key, hashlib.sha256(data).hexdigest(), len(data))
    store.save_document(info, key, data, doc)


def mia_archive(db: str) -> dict[str, float]:
    """Build (or reuse) the mia-html archive; returns what it took."""
    t0 = time.perf_counter()
    with open_store(db) as store:
        if store.count_documents() == 0:
            if "html" in READERS:
                ingest(store, [CORPUS])
            else:
                for key, data, doc in documents():
                    save(store, key, data, doc)
        n = store.count_documents()
    return {"documents": n, "seconds": time.perf_counter() - t0}


def replica_archive(db: str, pages: int = 100_000) -> dict[str, float]:
    """Build (or reuse) an archive of ``pages`` documents: mia-html's records over and over."""
    t0 = time.perf_counter()
    recs = list(documents())  # read once, saved many times: the figure is search, not reading
    if not recs:
        raise SystemExit(f"no pages read from {CORPUS}")
    with open_store(db) as store:
        n = store.count_documents()
        k = n // max(1, len(recs))
        while n < pages:
            for key, data, doc in recs:
                if n >= pages:
                    break
                save(store, f"replica/{k}/{key}", data, doc)
                n += 1
            k += 1
        n = store.count_documents()
    return {"documents": n, "seconds": time.perf_counter() - t0}


if __name__ == "__main__":
    print(mia_archive(sys.argv[1]))
    if len(sys.argv) > 2:
        print(replica_archive(sys.argv[2]))
