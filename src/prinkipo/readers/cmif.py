"""CMIF: the Correspondence Metadata Interchange Format, a TEI file of ``correspDesc`` only.

A CMIF file is one document with no text: a letter index. Its title, editor, publisher, URL and
bibliographic sources become header fields; each ``correspDesc`` becomes a letter
(``role="listed"``) with the ``sourceDesc/bibl`` it cites.

Quirks of real files this reader takes in its stride: ``correspDesc``/``correspAction``/``persName``
in no namespace while ``date`` stays in the TEI namespace (MEGAdigital); ``tei:``-prefixed
elements (Lehndorff); ``notAfter="1842|1843"`` (edition humboldt digital, read as the latest of
the alternatives, with a note); an eXist ``<exception>`` error message saved as the CMIF file
(refused, naming the server's message).
"""

from __future__ import annotations

from lxml import etree

from prinkipo.model import Record, Span
from prinkipo.readers import tei
from prinkipo.readers.tei import TEI_NS, XML_ID, children, first, local, text_of


def sniff(path: str, data: bytes) -> bool:
    """CMIF is claimed by the TEI reader's sniff and told apart after parsing; see is_cmif."""
    return False


def is_cmif(root: etree._Element) -> bool:
    """A TEI file whose text has no words and whose correspDesc cite a source (``@source``).

    A TEI letter without a transcription (metadata only, no ``@source``) stays a TEI letter.
    """
    if local(root) != "TEI":
        return False
    header = first(root, "teiHeader")
    if header is None:
        return False
    text = first(root, "text")
    if text is not None and text_of(text):
        return False
    return any(cd.get("source") for cd in header.iter(f"{{{TEI_NS}}}correspDesc", "correspDesc"))


def read(path: str, data: bytes) -> Record:
    """Read a CMIF file (``--format cmif``): any TEI with correspDesc, text ignored."""
    tree = tei.parse_xml(path, data)
    tei.check_root(path, tree.getroot())
    return read_tree(path, tree)


def read_tree(path: str, tree: etree._ElementTree) -> Record:
    root = tree.getroot()
    record = Record(path=path, format="cmif", text="", encoding=tree.docinfo.encoding or "utf-8")
    header = first(root, "teiHeader")
    assert header is not None
    b = tei.TextBuilder()
    stmt = first(header, "fileDesc", "titleStmt")
    title_el = first(stmt, "title")
    title = text_of(title_el) if title_el is not None else ""
    if title:
        s, e = b.add(title)
        record.title = Span(title, s, e)
        b.add("\n\n")
    if stmt is not None:
        for editor in children(stmt, "editor"):
            name = " ".join(
                " ".join(str(t) for t in [editor.text, *(c.tail for c in editor)] if t).split()
            )
            if name:
                b.field(record, "Editor", name)
    pub = first(header, "fileDesc", "publicationStmt")
    if pub is not None:
        for publisher in children(pub, "publisher"):
            if text_of(publisher):
                b.field(record, "Publisher", text_of(publisher))
        idno = first(pub, "idno")
        if idno is not None and text_of(idno):
            b.field(record, "URL", text_of(idno))
        licence = first(pub, "availability", "licence")
        if licence is not None and licence.get("target"):
            b.field(record, "Licence", licence.get("target") or "")
    sources: dict[str, tuple[str, str | None]] = {}
    desc = first(header, "fileDesc", "sourceDesc")
    if desc is not None:
        for bibl in children(desc, "bibl"):
            value = text_of(bibl)
            if value:
                b.field(record, "Edition", value)
            sources[bibl.get(XML_ID) or ""] = (value, bibl.get("type"))
    record.letters = [
        tei.read_correspdesc(cd, "listed", "cmif", None, sources)
        for cd in header.iter(f"{{{TEI_NS}}}correspDesc", "correspDesc")
    ]
    if len(sources) == 1:
        only = next(iter(sources.values()))
        for letter in record.letters:
            if letter.source is None:
                letter.source, letter.source_type = only
    record.text = b.text()
    return record
