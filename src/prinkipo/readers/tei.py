"""TEI XML: letters and other works, namespaced (TEI P5) or not.

What is read: the ``teiHeader`` (title, author, sourceDesc/bibl or msIdentifier, language, the
first-edition date), the ``correspDesc`` of each letter (``correspAction`` sent/received with
``persName``, ``placeName``, ``date`` ``@when``/``@notBefore``/``@notAfter``/``@from``/``@to``, and
the ``@ref`` authority URIs, kept as written), the text's paragraphs and its notes.

The record's text is built from what was read: a few header lines (``Title:``, ``Author:``,
``Date:``, ``Source:`` …) then the paragraphs, separated by blank lines, then the notes; every
span points into it. A file with correspDesc and no text (a CMIF letter index) is read by
:mod:`prinkipo.readers.cmif`.

Parsing is safe by construction (:func:`parse_xml`): lxml with ``resolve_entities=False``,
``no_network=True``, ``load_dtd=False``, and any file that declares entities in its DOCTYPE
(entity-expansion "billion laughs" bombs, external entities pointing at local files or URLs) is
refused with a message naming the entities, before lxml sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from prinkipo.encoding import looks_binary
from prinkipo.entities.authority import fold
from prinkipo.errors import UnreadableFile
from prinkipo.letters import DATE_ATTRS, UNKNOWN_NAMES, letter_date
from prinkipo.model import Field, Letter, Note, Paragraph, Party, Record, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_ENTITY_DECL = re.compile(
    rb"<!ENTITY\s+(?:%\s*)?(?P<name>[^\s>]+)\s*(?P<kind>SYSTEM|PUBLIC)?", re.I
)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ROOT_TAG = re.compile(rb"<(?P<name>[A-Za-z_][\w.:-]*)[\s>/]")
_LANG3 = {
    "deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "ita": "it", "spa": "es",
    "rus": "ru", "nor": "no", "nob": "no", "nno": "no", "lat": "la", "nld": "nl", "dut": "nl",
}  # fmt: skip
#: elements whose text is a block of the body (a paragraph of the record)
BLOCKS = {
    "p", "ab", "head", "opener", "closer", "salute", "dateline", "signed", "postscript", "lg",
    "byline", "trailer", "epigraph", "argument", "address", "docAuthor", "docTitle", "l",
}  # fmt: skip
#: elements whose text is not part of the reading text
_SKIP = {"note", "del", "fw", "figDesc", "orig", "sic", "abbr", "teiHeader", "facsimile"}
_CHOICE_PREFERENCE = ("corr", "reg", "expan")


def local(el: etree._Element) -> str:
    """The local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def text_of(el: etree._Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join("".join(str(t) for t in el.itertext()).split())


def children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (c for c in el if local(c) == name)


def first(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first descendant along a path of local names (namespace-agnostic)."""
    for name in path:
        if el is None:
            return None
        el = next(children(el, name), None)
    return el


def descendants(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (d for d in el.iter() if local(d) == name)


def sniff(path: str, data: bytes) -> bool:
    """XML that is not HTML: TEI, CMIF, or something else a reader should name and refuse."""
    if looks_binary(data):
        return False
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return False
    if path.lower().endswith((".txt", ".text")) and not lowered.startswith((b"<?xml", b"<tei")):
        return False  # a transcription that opens with "<Editor's note>" is still text
    return head.startswith(b"<?xml") or bool(_ROOT_TAG.match(head)) or path.endswith(".xml")


def refuse_entities(path: str, data: bytes) -> None:
    """Raise UnreadableFile if the DOCTYPE declares entities (expansion bombs, external files)."""
    doctype = _DOCTYPE.search(data)
    if doctype is None:
        return
    decls = list(_ENTITY_DECL.finditer(data, doctype.start()))
    if not decls:
        return
    names = [d["name"].decode("utf-8", "replace") for d in decls[:5]]
    external = [d["name"].decode("utf-8", "replace") for d in decls if d["kind"]]
    more = f" and {len(decls) - 5} more" if len(decls) > 5 else ""
    what = (
        f"external entities ({', '.join(external[:5])}) that point at other files or URLs"
        if external
        else "internal entities, the shape of an entity-expansion ('billion laughs') bomb"
    )
    raise UnreadableFile(
        path,
        f"refused: its DOCTYPE declares {len(decls)} entit{'y' if len(decls) == 1 else 'ies'} "
        f"({', '.join(names)}{more}): {what}; prinkipo never expands entities or loads DTDs",
    )


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(path: str, data: bytes) -> etree._ElementTree:
    """Parse untrusted XML safely; raises UnreadableFile naming the file and the problem."""
    if not data.strip():
        raise UnreadableFile(path, "the file is empty")
    refuse_entities(path, data)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as err:
        raise UnreadableFile(path, f"not well-formed XML: {err}") from None
    if root is None:
        raise UnreadableFile(path, "no XML element in the file")
    return root.getroottree()


def read(path: str, data: bytes) -> Record:
    """Read a TEI file (a CMIF letter index is handed to the CMIF reader)."""
    from prinkipo.readers import cmif

    tree = parse_xml(path, data)
    root = tree.getroot()
    check_root(path, root)
    if cmif.is_cmif(root):
        return cmif.read_tree(path, tree)
    return read_tree(path, tree)


def check_root(path: str, root: etree._Element) -> None:
    name = local(root)
    if name in ("TEI", "teiCorpus"):
        return
    if name == "exception":
        found = first(root, "message")
        message = text_of(found if found is not None else root)
        raise UnreadableFile(
            path,
            f"not TEI or CMIF: the file is an error message from the server that produced it "
            f"(<exception>: {message[:200]})",
        )
    raise UnreadableFile(path, f"not TEI or CMIF: the root element is <{root.tag}>, not <TEI>")


# -- building the record's text ------------------------------------------------------------------


@dataclass
class TextBuilder:
    """Appends lines and blocks to the record text, handing back spans."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def field(self, record: Record, name: str, value: str) -> Field:
        start, _ = self.add(f"{name}: ")
        vs, ve = self.add(value)
        self.add("\n")
        f = Field(name, value, start, ve, vs, ve)
        record.fields.append(f)
        return f

    def text(self) -> str:
        return "".join(self.parts)


def read_tree(path: str, tree: etree._ElementTree) -> Record:
    root = tree.getroot()
    if local(root) == "teiCorpus":
        inner = next(children(root, "TEI"), None)
        if inner is None:
            raise UnreadableFile(path, "a teiCorpus with no TEI document in it")
        root = inner
    header = first(root, "teiHeader")
    if header is None:
        raise UnreadableFile(path, "TEI without a teiHeader")
    record = Record(path=path, format="tei", text="", encoding=tree.docinfo.encoding or "utf-8")
    ids = _id_index(root)
    title = _title(header)
    record.letters = [
        read_correspdesc(cd, "self", "tei-correspDesc", ids, title=title)
        for cd in header.iter(f"{{{TEI_NS}}}correspDesc", "correspDesc")
    ]
    b = TextBuilder()
    if title:
        s, e = b.add(title)
        record.title = Span(title, s, e)
        b.add("\n")
    author = first(header, "fileDesc", "titleStmt", "author")
    if author is not None and text_of(author):
        name = text_of(author)
        s, e = b.add(name)
        record.author = Span(name, s, e)
        b.add("\n")
    b.add("\n")
    sent = record.letters[0].sent_date if record.letters else None
    if sent is not None:
        b.field(record, "Date", sent.edtf or sent.text)
    else:
        creation = first(header, "profileDesc", "creation", "date")
        if creation is not None:
            value = creation.get("when") or text_of(creation)
            if value:
                b.field(record, "Date", value)
    first_edition = _first_edition_date(header)
    if first_edition:
        b.field(record, "First published", first_edition)
    source = _source(header)
    if source:
        b.field(record, "Source", source)
    record.language = _language(root, header)
    if record.language:
        b.field(record, "Language", record.language)
    b.add("\n")
    text = first(root, "text")
    if text is not None:
        _read_text(record, b, text)
    record.text = b.text()
    for letter in record.letters:
        if letter.evidence is not None and letter.evidence.start < 0:
            at = record.text.find(letter.evidence.text)
            end = at + len(letter.evidence.text)
            letter.evidence = Span(letter.evidence.text, at, end) if at >= 0 else None
    return record


def _id_index(root: etree._Element) -> dict[str, etree._Element]:
    return {el.get(XML_ID) or "": el for el in root.iter() if el.get(XML_ID)}


def _title(header: etree._Element) -> str | None:
    stmt = first(header, "fileDesc", "titleStmt")
    if stmt is None:
        return None
    titles = [t for t in children(stmt, "title") if text_of(t)]
    for want in (
        lambda t: t.get("level") == "a",
        lambda t: t.get("type") in (None, "main") and t.get("level") in (None, "m"),
        lambda t: t.get("type") != "iso-date",
    ):
        for t in titles:
            if want(t):
                return text_of(t)
    return text_of(titles[0]) if titles else None


def _source(header: etree._Element) -> str | None:
    desc = first(header, "fileDesc", "sourceDesc")
    if desc is None:
        return None
    for bibl in desc.iter(f"{{{TEI_NS}}}bibl", "bibl", f"{{{TEI_NS}}}biblStruct"):
        if bibl.get("type") == "firstEdition":
            continue
        value = text_of(bibl)
        if value:
            return value
    ident = next(desc.iter(f"{{{TEI_NS}}}msIdentifier", "msIdentifier"), None)
    if ident is not None and text_of(ident):
        return ", ".join(text_of(c) for c in ident if text_of(c))
    value = text_of(desc)
    return value or None


def _first_edition_date(header: etree._Element) -> str | None:
    desc = first(header, "fileDesc", "sourceDesc")
    if desc is None:
        return None
    for bibl in children(desc, "bibl"):
        if bibl.get("type") == "firstEdition":
            d = first(bibl, "date")
            if d is not None:
                return d.get("when") or text_of(d) or None
    return None


def _language(root: etree._Element, header: etree._Element) -> str | None:
    lang = first(header, "profileDesc", "langUsage", "language")
    code = (lang.get("ident") if lang is not None else None) or root.get(XML_LANG)
    if not code:
        text = first(root, "text")
        code = text.get(XML_LANG) if text is not None else None
    if not code:
        return None
    primary = code.split("-")[0].lower()
    return _LANG3.get(primary, primary)


# -- correspDesc ---------------------------------------------------------------------------------


def read_correspdesc(
    cd: etree._Element,
    role: str,
    method: str,
    ids: dict[str, etree._Element] | None = None,
    sources: dict[str, tuple[str, str | None]] | None = None,
    title: str | None = None,
) -> Letter:
    """One ``correspDesc`` as a Letter, every value as written (namespace-agnostic)."""
    source_id = (cd.get("source") or "").lstrip("#") or None
    letter = Letter(
        role="mentioned" if cd.get("type") == "mentioned" else role,
        key=cd.get("key") or cd.get(XML_ID),
        url=cd.get("ref"),
        source_id=source_id,
        method=method,
    )
    if sources and source_id and source_id in sources:
        letter.source, letter.source_type = sources[source_id]
    actions = [c for c in cd if local(c) == "correspAction"]
    typed = False
    sent = _pick(actions, "sent", last=False)
    received = _pick(actions, "received", last=True)
    for action, kind in ((sent, "sent"), (received, "received")):
        if action is None:
            continue
        for child in action:
            name = local(child)
            if name in ("persName", "orgName", "name"):
                party = read_party(child, method, ids)
                if party is None:
                    continue
                person_type = child.get("type")
                typed = typed or person_type in ("sender", "addressee")
                if person_type == "addressee" or (kind == "received" and person_type != "sender"):
                    letter.recipients.append(party)
                else:
                    letter.senders.append(party)
            elif name in ("placeName", "settlement"):
                place = read_party(child, method, ids)
                if place is None:
                    continue
                if kind == "sent" and letter.sent_place is None:
                    letter.sent_place = place
                elif kind == "received" and letter.received_place is None:
                    letter.received_place = place
            elif name == "date":
                attrs = {str(k): str(v) for k, v in child.attrib.items()}
                if not text_of(child) and not any(attrs.get(k) for k in DATE_ATTRS):
                    continue  # <date/>: no date given
                d = letter_date(
                    text_of(child),
                    attrs,
                    calendar_name=child.get("calendar"),
                    method=method,
                    cert=child.get("cert") or child.get("evidence"),
                )
                if kind == "sent" and letter.sent_date is None:
                    letter.sent_date = d
                elif kind == "received" and letter.received_date is None:
                    letter.received_date = d
    for note in children(cd, "note"):
        if note.get("type") == "carrier":
            person = next((c for c in note if local(c) in ("persName", "orgName", "name")), None)
            letter.carrier = read_party(person, method, ids) if person is not None else None
        elif note.get("type") == "evidence" and text_of(note):
            letter.evidence = Span(text_of(note), -1, -1)
    if typed and title:
        _reconcile_with_title(letter, title)
    return letter


_TITLE_FROM_TO = re.compile(r"^(?P<a>.+?)\s+(?:an|to|à)\s+(?P<b>.+?)(?:,|$)")


def _words(text: str) -> set[str]:
    return set(fold(text).split())


def _reconcile_with_title(letter: Letter, title: str) -> None:
    """Persons typed sender/addressee inside one correspAction that the title ("A an B") puts
    the other way round are moved, and their method says so (the Escher edition types them
    inverted, consistently)."""
    m = _TITLE_FROM_TO.match(title)
    if m is None:
        return
    a, b = _words(m["a"]), _words(m["b"])

    def only_in(p: Party, here: set[str], there: set[str]) -> bool:
        words = _words(p.name)
        return bool(words) and words <= here and not words <= there

    to_recipients = [p for p in letter.senders if only_in(p, b, a)]
    to_senders = [p for p in letter.recipients if only_in(p, a, b)]
    if not to_recipients and not to_senders:
        return
    moved = "tei-correspDesc, sender/addressee read from the title's order"
    letter.senders = [p for p in letter.senders if p not in to_recipients] + [
        replace(p, method=moved) for p in to_senders
    ]
    letter.recipients = [p for p in letter.recipients if p not in to_senders] + [
        replace(p, method=moved) for p in to_recipients
    ]


def _pick(actions: list[etree._Element], kind: str, last: bool) -> etree._Element | None:
    typed = [a for a in actions if a.get("type") == kind]
    main = [a for a in typed if not a.get("subtype")] or typed
    if not main:
        return None
    return main[-1] if last else main[0]


def read_party(
    el: etree._Element, method: str, ids: dict[str, etree._Element] | None = None
) -> Party | None:
    """A persName/placeName as a Party; None for an unknown one ("Unknown", empty, no @ref)."""
    name = text_of(el)
    refs = tuple((el.get("ref") or "").split())
    if not name and ids:
        for ref in refs:
            target = ids.get(ref.lstrip("#")) if ref.startswith("#") else None
            if target is not None:
                name = _name_of(target)
                break
    if not refs and (not name or name.casefold() in UNKNOWN_NAMES):
        return None
    return Party(
        name or (refs[0] if refs else ""),
        refs=refs,
        method=method,
        cert=el.get("cert") or el.get("evidence"),
    )


def _name_of(el: etree._Element) -> str:
    for want in ("persName", "placeName", "orgName", "name"):
        found = next(descendants(el, want), None)
        if found is not None and text_of(found):
            return text_of(found)
    return text_of(el)


# -- the text ------------------------------------------------------------------------------------


def _read_text(record: Record, b: TextBuilder, text: etree._Element) -> None:
    notes: list[etree._Element] = []
    n = 0
    for block in _blocks(text):
        value = _flatten(block, notes)
        if not value:
            continue
        n += 1
        s, e = b.add(value)
        b.add("\n\n")
        record.paragraphs.append(Paragraph(n, value, s, e))
    for note in _standalone_notes(text):
        notes.append(note)
    seen: set[int] = set()
    for note in notes:
        if id(note) in seen:
            continue
        seen.add(id(note))
        value = _flatten(note, [])
        if not value:
            continue
        label = note.get("n")
        s, e = b.add(f"[{label}] {value}" if label else value)
        b.add("\n\n")
        record.notes.append(Note(note.get("type") or "note", value, s, e, label))


def _blocks(el: etree._Element) -> Iterator[etree._Element]:
    """The outermost block elements under ``el``, in document order (notes are not blocks)."""
    for child in el:
        name = local(child)
        if not name or name in _SKIP:
            continue
        if name in BLOCKS:
            yield child
        else:
            yield from _blocks(child)


def _standalone_notes(el: etree._Element) -> Iterable[etree._Element]:
    """Notes that sit between blocks, not inside one."""
    for child in el:
        name = local(child)
        if name == "note":
            yield child
        elif name and name not in BLOCKS and name not in _SKIP:
            yield from _standalone_notes(child)


def _flatten(el: etree._Element, notes: list[etree._Element]) -> str:
    out: list[str] = []
    _walk(el, out, notes.append, top=True)
    text = "".join(out)
    text = re.sub(r"\s*\x00\s*", "", text)
    return " ".join(text.split())


def _walk(
    el: etree._Element,
    out: list[str],
    on_note: Callable[[etree._Element], None],
    top: bool = False,
) -> None:
    name = local(el)
    if not top and name == "note":
        on_note(el)
        return
    if not top and name in _SKIP:
        return
    if name == "lb":
        out.append("\x00" if el.get("break") == "no" else " ")
        return
    if name in ("pb", "cb", "milestone", "anchor", "gap", "graphic"):
        if name in ("pb", "cb"):
            out.append("\x00" if el.get("break") == "no" else " ")
        return
    if name == "choice":
        kids = [c for c in el if local(c)]
        pick = next((c for want in _CHOICE_PREFERENCE for c in kids if local(c) == want), None)
        if pick is None and kids:
            pick = kids[0]
        if pick is not None:
            _walk(pick, out, on_note, top=True)
        return
    if name == "space":
        out.append(" ")
        return
    if el.text and name:
        out.append(el.text)
    for child in el:
        if local(child):
            _walk(child, out, on_note)
            if name in BLOCKS and local(child) in BLOCKS:
                out.append(" ")
        if child.tail:
            out.append(child.tail)
