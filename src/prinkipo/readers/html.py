"""Archive HTML pages (the Marxists Internet Archive's), read with lxml's HTML parser.

A page becomes a :class:`Record` whose :attr:`~Record.text` is the page as a reader sees it, one
block a paragraph: the page's ``<title>`` and ``meta author`` first (as the fields ``Page title``
and ``Meta author``), then the body's blocks in order. Every span is an offset into that text;
the original bytes are kept by the store. What the reader finds:

* **Header fields**, from the page's own metadata block: ``<p class="information">`` with
  ``<span class="info">`` labels (MIA's standard), ``<p class="info">`` with bold labels, the
  ETOL form (unlabelled lines "From *The Militant*, …", "Transcribed by …"), and unclassed
  paragraphs near the top whose lines start with a known label ("Written:", "Source:" …). Labels
  are kept as written (MIA spells them some forty ways); :func:`canonical_label` folds them.
* **Title, author, dateline**: the first ``<h1>`` (or ``class="title"``) is the title; the author
  is the heading that matches ``meta author`` or the short heading above the title, else the meta
  author itself; a short heading after the title holding a year is the dateline.
* **Paragraphs**: the body's blocks that are not header, navigation or notes.
* **Closing notes**: the sign-off that ends the text, a short last paragraph closing on a date
  ("Copenhagen, March 4, 1936"), is a closing note, as in the archive's plain-text records.
* **Footnotes**: blocks that start with an anchor (``<a name="n1" href="#f1">[1]</a>``) which the
  text links to, and the blocks under a "Notes" heading; each keeps its label and anchor.
* **Index and navigation pages**: a page whose text is mostly links and holds little prose is
  read but marked with :attr:`Record.skip_reason`, so it is not counted as a work; so is MIA's
  "File No Longer Available" stub for removed MECW pages, and its "File Not Found" error pages.
* **The canonical URL**: a path under ``mia-html/`` is the page's path on marxists.org.

Parser choice, measured on the 3,804 pages of ``mia-html`` (busy 2-core machine): a full walk of
every element ran at ~4,900 pages/s with lxml and ~7,100 with selectolax/lexbor; both are a small
part of the ~5 ms a page the whole ingest spends, and lxml's ``text``/``tail`` model and
``iterwalk`` keep the offsets exact without recursion on deeply nested broken markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from prinkipo.dates import find_date
from prinkipo.encoding import decode, looks_binary
from prinkipo.errors import UnreadableFile
from prinkipo.header import UNLABELLED_SOURCE, canonical_label
from prinkipo.model import Field, Note, Paragraph, Record, Span
from prinkipo.sources import parse_source

SITE = "https://www.marxists.org/"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_BLOCK = _set(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dd dt blockquote pre table tr td th center hr body"
    " section article header footer nav form address caption tbody thead tfoot main aside"
    " figure figcaption fieldset"
)
_SKIP = _set("script style head title noscript iframe object select button textarea")
_HEADINGS = _set("h1 h2 h3 h4 h5 h6")
#: classes MIA uses for navigation, page furniture and tables of contents
_NAV_CLASSES = _set(
    "toplink link footer updat next linkback toc index indexa indexb indexc indexd index-list"
    " t2h-foot skip skipb"
)
_INFO_CLASSES = frozenset({"information", "info"})
_NOTE_CLASSES = frozenset({"endnote", "notes", "pagenote", "pagenoteb", "foot", "notet"})
_NOTES_HEADING = re.compile(
    r"^\s*(?:foot|end|editor'?s?\s+|translator'?s?\s+)?notes?\s*:?\s*$|^\s*(?:anmerkungen|notas|"
    r"note|примечания|fußnoten|references)\s*:?\s*$",
    re.I,
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([-\w.]+)""", re.I)
_YEAR = re.compile(r"\b(?:1[4-9]\d\d|20[0-2]\d)\b")
#: a heading that ends on its date in brackets: "from 1905 to the present day (1937)"
_ENDS_ON_A_DATE = re.compile(r"[(\[][^()\[\]]*" + _YEAR.pattern + r"[^()\[\]]*[)\]]\W*$")
#: a heading that is a date and nothing else: "(November 1953)", "1975", "(6–7 March 1937)"
_ONLY_A_DATE = re.compile(
    r"^[\s()\[\].,;:/&?–—-]*(?:(?:\d{1,4}(?:st|nd|rd|th)?|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|"
    r"nov|dec|spring|summer|autumn|fall|winter|early|late|mid|c|ca|circa|and|to)"
    r"[\s()\[\].,;:/&?–—-]*)+$",
    re.I,
)
_FOOT_LABEL = re.compile(
    r"^\s*[\[(]?\s*([0-9]{1,3}[a-z]?|[*†‡§]+|[a-z]|[ivxlc]{1,6})\s*[\])]?\s*\.?\s*$", re.I
)
_SPACE = re.compile(r"\s+")

#: MIA's top-level sections: a path holding one of these names is read from there as a site path
_SECTIONS = _set(
    "archive history subject reference glossary admin ebooks espanol deutsch francais italiano"
    " portugues russkij chinese nederlands svenska norsk dansk suomi eesti ellinika esperanto"
    " islenska polski magyar romana catala turkce arabic farsi japanese korean"
)
_SECTION_LANG = {
    "espanol": "es",
    "deutsch": "de",
    "francais": "fr",
    "italiano": "it",
    "portugues": "pt",
    "russkij": "ru",
    "nederlands": "nl",
    "svenska": "sv",
    "norsk": "no",
    "dansk": "da",
    "suomi": "fi",
    "eesti": "et",
    "ellinika": "el",
    "esperanto": "eo",
    "islenska": "is",
    "polski": "pl",
    "magyar": "hu",
    "romana": "ro",
    "catala": "ca",
    "turkce": "tr",
}

#: ETOL-style unlabelled header lines: leading phrase → field name
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(?:first\s+|originally\s+)?published\s+(?:in|as|by)\s+", re.I),
        "First Published",
    ),
    (re.compile(r"^(?:republished|reprinted)\s+(?:in|as|by)\s+", re.I), "Republished"),
    (
        re.compile(r"^(?:downloaded|copied)\s+(?:with\s+thanks\s+)?from\s+", re.I),
        "Copied from",
    ),
    (re.compile(r"^digit(?:al)?i[sz]ed\s+by\s+", re.I), "Transcription"),
    (re.compile(r"^translated\s+(?:and|&)\s+[\w\s-]{1,40}?\s+by\s+", re.I), "Translated"),
    (re.compile(r"^from\s+(?:the\s+(?=[A-Z]))?", re.I), "Source"),
    (
        re.compile(r"^(?:transcribed\s*(?:&|&amp;|and)\s*marked\s+up|transcribed)\s+by\s+", re.I),
        "Transcription",
    ),
    (re.compile(r"^(?:html\s+)?mark(?:ed)?[\s-]*up\s+by\s+", re.I), "Markup"),
    (re.compile(r"^translated\s+(?:from\s+\w+\s+)?by\s+", re.I), "Translated"),
    (re.compile(r"^proof-?read\s+by\s+", re.I), "Proofread"),
    (re.compile(r"^written\s+(?:in|on)\s+", re.I), "Written"),
    (re.compile(r"^(?:delivered|speech delivered)\s+(?:at|on|in)\s+", re.I), "Delivered"),
]
_LABEL = re.compile(r"^(?P<label>[A-ZÀ-ÞА-Я][^:\n]{0,45}?)\s*:\s*(?=\S)")


def _citation(line: str, pos: int, titles: list[tuple[int, int]]) -> int | None:
    """Where a citation begins in an unlabelled first line of a page's information block, if
    the line is clearly one: a title set in bold or italics (a periodical's or a book's, as
    the archive sets them), followed by a date, a volume or an issue number ("Clara Zetkin,
    **Justice**, 9th October 1909, p. 7."; "*Introduction* to **Blood, Sweat and Tears**,
    London 1985."). The citation is read from that title on (the words before it name the
    author, the article or the part)."""
    end = pos + len(line.rstrip())
    inside = [
        (s - pos, e - pos)
        for s, e in titles
        if pos <= s < e <= end and re.search(r"[^\W\d_]{2}", line[s - pos : e - pos])
    ]
    # the last title that a date, volume or number follows: the periodical ("*Methods of Peace
    # Making*, **Justice**, 8 February 1923": the article's title comes first)
    for s, e in sorted(inside, reverse=True):
        cited = parse_source(line[s:])
        after = cited.date is not None and cited.date.start >= e - s
        if cited.volume or cited.number or after:
            return s
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (``<meta charset>``, ``http-equiv`` or the XML declaration)."""
    head = data[:4096]
    m = _XML_ENCODING.match(head)
    if m is None:
        at = head.lower().find(b"charset")
        if at < 0:
            return None
        start = head.rfind(b"<", 0, at)
        m = _CHARSET.match(head, start) if start >= 0 else None
    return m.group(1).decode("ascii", "replace") if m else None


def sniff(path: str, data: bytes) -> bool:
    """HTML: an .htm/.html name, or markup that opens like an HTML page."""
    if path.lower().endswith((".htm", ".html", ".xhtml", ".shtml")):
        return True
    if looks_binary(data):
        return False
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<?xml") and b"<html" in head
    )


def site_url(path: str) -> str | None:
    """The page's address on marxists.org, from its archive path, when the path shows it.

    ``mia-html/archive/lenin/works/1917/staterev/ch01.htm`` →
    ``https://www.marxists.org/archive/lenin/works/1917/staterev/ch01.htm``. Without a
    ``mia-html`` folder, the path from MIA's first top-level section (``archive``, ``history`` …).
    """
    parts = path.replace("\\", "/").split("/")
    if "mia-html" in parts[:-1]:
        rest = parts[len(parts) - parts[::-1].index("mia-html") :]
        return SITE + "/".join(rest)
    for i, part in enumerate(parts[:-1]):
        if part in _SECTIONS:
            return SITE + "/".join(parts[i:])
    return None


# -- the walk: HTML tree → blocks of normalised text -----------------------------------------


@dataclass(slots=True)
class _Block:
    tag: str
    classes: frozenset[str]
    #: classes of this block and every block around it
    context: frozenset[str]
    parts: list[str] = field(default_factory=list)
    length: int = 0
    link_chars: int = 0
    #: (start, end) of label-like inline elements: span.info, strong, b
    marks: list[tuple[int, int]] = field(default_factory=list)
    #: (start, end) of titles set in italics: em, i, cite
    titles: list[tuple[int, int]] = field(default_factory=list)
    #: (name-or-id, href, start, end) of every <a>
    anchors: list[tuple[str | None, str | None, int, int]] = field(default_factory=list)
    space: bool = True

    def add(self, raw: str | None) -> None:
        if not raw:
            return
        # str.split() splits on the same whitespace as \s (NBSP included), faster than re.sub
        words = raw.split()
        if not words:
            if not self.space:
                self.parts.append(" ")
                self.length += 1
                self.space = True
            return
        text = " ".join(words)
        if raw[0].isspace() and not self.space:
            text = " " + text
        if raw[-1].isspace():
            text += " "
        self.parts.append(text)
        self.length += len(text)
        self.space = text.endswith(" ")

    def newline(self) -> None:
        if self.length == 0:
            return
        if self.space:  # drop the space before a line break
            last = self.parts[-1][:-1]
            self.parts[-1] = last
            self.length -= 1
        self.parts.append("\n")
        self.length += 1
        self.space = True

    def text(self) -> str:
        return "".join(self.parts)


def _classes(el: Any) -> frozenset[str]:
    c = el.get("class")
    return (
        frozenset(c.lower().replace('"', " ").replace("“", " ").replace("”", " ").split())
        if c
        else frozenset()
    )


def _walk(body: Any) -> list[_Block]:
    """Every block of the body in document order, with its text, links and anchors."""
    out: list[_Block] = []
    stack: list[_Block] = [_Block("body", frozenset(), frozenset())]
    open_inline: list[tuple[Any, int, str]] = []  # (element, start, kind)
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if event == "start":
            if tag in _SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in _BLOCK and el is not body:
                cls = _classes(el)
                stack.append(_Block(tag, cls, stack[-1].context | cls))
                stack[-1].add(el.text)
                continue
            cur = stack[-1]
            if tag == "br":
                cur.newline()
            elif tag == "a":
                open_inline.append((el, cur.length, "a"))
            elif tag in ("strong", "b") or (tag == "span" and "info" in _classes(el)):
                open_inline.append((el, cur.length, "mark"))
            elif tag in ("em", "i", "cite"):
                open_inline.append((el, cur.length, "title"))
            cur.add(el.text)
            continue
        # end
        if tag in _SKIP or not tag:
            stack[-1].add(el.tail)
            continue
        if tag in _BLOCK and el is not body:
            done = stack.pop()
            if done.parts:
                out.append(done)
            stack[-1].space = True
            stack[-1].add(el.tail)
            continue
        cur = stack[-1]
        if open_inline and open_inline[-1][0] is el:
            _, start, kind = open_inline.pop()
            if kind == "a":
                href = el.get("href")
                if href:
                    cur.link_chars += cur.length - start
                cur.anchors.append((el.get("name") or el.get("id"), href, start, cur.length))
            elif kind == "title":
                cur.titles.append((start, cur.length))
            else:
                cur.marks.append((start, cur.length))
        cur.add(el.tail)
    if stack and stack[0].parts:
        out.append(stack[0])
    return out


# -- the record --------------------------------------------------------------------------------


class _Text:
    """The record text, built block by block; each block a paragraph of its own."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int:
        if self.length:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start


def _parse(data: bytes, text: str, path: str) -> Any:
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError) as err:
        raise UnreadableFile(path, f"the HTML parser could not read it ({err})") from err
    if root is None:
        raise UnreadableFile(path, "no HTML in the file")
    return root


def read(path: str, data: bytes) -> Record:
    """Read an archive HTML page. Raises UnreadableFile when there is nothing to read."""
    raw, encoding = decode(path, data, declared_charset(data))
    root = _parse(data, raw, path)
    body = root.find("body")
    if body is None:
        body = root
    blocks = [b for b in _walk(body) if b.text().strip()]
    out = _Text()
    record = Record(path=path, format="html", text="", encoding=encoding, url=site_url(path))
    record.language = _language(root, path)
    meta_author = _head_fields(root, out, record)
    _Page(record, out, blocks, meta_author).read()
    record.text = "".join(out.parts)
    _fallbacks(record, meta_author)
    if not record.paragraphs and not record.fields:
        raise UnreadableFile(path, "the page has no text: no header fields and no paragraphs")
    return record


def _fallbacks(record: Record, meta_author: Span | None) -> None:
    """No author heading: the meta author, else the name before the colon of the page title
    ("N. Bukharin: The Political Prisoners"). No title heading: the page title, less that name.
    """
    if record.author is None and meta_author is not None:
        record.author = meta_author
    if record.author is None:
        page = next((f for f in record.fields if f.name == "Page title"), None)
        if page is not None:
            span = page.value_span
            head, sep, _ = span.text.partition(": ")
            if sep and _name_like(head, _context_words(record)):
                record.author = Span(head, span.start, span.start + len(head))
    if record.title is None:
        page = next((f for f in record.fields if f.name == "Page title"), None)
        if page is not None:
            span = page.value_span
            head, sep, tail = span.text.partition(": ")
            if sep and tail.strip() and len(head.split()) <= 4:
                cut = len(head) + len(sep)
                span = Span(tail, span.start + cut, span.end)
            record.title = span


def _language(root: Any, path: str) -> str | None:
    lang: str | None = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*", lang.strip()):
        code = lang.strip().split("-")[0].split("_")[0].lower()
        if code != "en" or not any(p in _SECTION_LANG for p in path.split("/")):
            return code
    for part in path.replace("\\", "/").split("/"):
        if part in _SECTION_LANG:
            return _SECTION_LANG[part]
    return None


def _head_fields(root: Any, out: _Text, record: Record) -> Span | None:
    """``<title>`` and ``meta author`` as the first fields; returns the meta author's span."""
    head = root.find("head")
    if head is None:
        return None
    author: Span | None = None
    title_el = head.find("title")
    title = _SPACE.sub(" ", "".join(title_el.itertext())).strip() if title_el is not None else ""
    meta = ""
    for m in head.iter("meta"):
        if (m.get("name") or "").strip().lower() == "author":
            meta = _SPACE.sub(" ", m.get("content") or "").strip()
            break
    for name, value in (("Page title", title), ("Meta author", meta)):
        if value:
            line = f"{name}: {value}"
            start = out.add(line)
            vs = start + len(name) + 2
            record.fields.append(Field(name, value, start, start + len(line), vs, vs + len(value)))
            if name == "Meta author":
                author = Span(value, vs, vs + len(value))
    return author


#: the site's "File Not Found" page, in the languages of MIA's sections
_NOT_FOUND = re.compile(
    r"\b(?:file|page|document)\s+(?:not\s+found|non\s+trovato|no\s+encontrad[oa]|introuvable"
    r"|nicht\s+gefunden)\b|^\W*404\W*$",
    re.I,
)


#: words that a heading naming a section, a site or a genre has, and an author's name has not
_NOT_NAMES = frozenset(
    [
        "archive",
        "archives",
        "internet",
        "interview",
        "index",
        "contents",
        "chapter",
        "section",
        "part",
        "letter",
        "letters",
        "speech",
        "article",
        "works",
        "collected",
        "selected",
        "introduction",
        "preface",
        "appendix",
        "notes",
        "reference",
        "biographies",
        "volunteers",
        "admin",
    ]
)


def _context_words(record: Record) -> set[str]:
    """The words of a page's path and page title, folded: what a one-word name must be among."""
    page = next((f.value for f in record.fields if f.name == "Page title"), "")
    return {_fold(w) for w in re.split(r"[\W_]+", f"{record.path} {page}") if w}


def _name_like(text: str, context: set[str]) -> bool:
    """Whether a heading or a page title's head reads as an author's name ("J. T. Murphy",
    "G.V. Plekhanov", "M.S."), not a book's title, a section ("Economics") or the site's name;
    a single word ("Engels") only where the page's path or title has it too."""
    t = text.strip()
    names = [n for n in _NAME_LIST.split(t) if n]
    if 1 < len(names) <= 4 and len(t) <= 100 and len(t.split()) > 6:
        # co-authors too many words for one name ("Natalia Sedova, G. Munis & Benjamin
        # Péret"): each a name of at least two words ("Imperialism, A Study" is none)
        return all(len(n.split()) > 1 and _name_like(n, context) for n in names)
    words = t.split()
    if not 1 <= len(words) <= 6 or len(t) > 60 or any(ch.isdigit() for ch in t):
        return False
    if any(ch in t for ch in ':;“”"«»„/()[]') or re.search(r"['’]s?\b\s", t + " "):
        return False
    if any(w.lower().strip(".,") in _NOT_NAMES for w in words):
        return False
    if not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
        return False
    return len(words) > 1 or _fold(t) in context or bool(re.fullmatch(r"(?:[A-Z]\.){1,4}", t))


#: between the names of co-authors
_NAME_LIST = re.compile(r"\s*,\s*|\s+(?:&|and|\+)\s+")
#: lower-case words inside names (Henri de Man, Carl von Ossietzky)
_PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "y",
        "und",
        "and",
        "&",
        "et",
        "al.",
    ]
)


def _fold(text: str) -> str:
    return re.sub(r"[^a-zа-яё]", "", text.lower())


#: a sign-off is at most this long, with at most this much before its date
SIGN_OFF_CHARS = 160
SIGN_OFF_LEAD = 90
_CITATION_WORDS = re.compile(r"\b(?:vol|no|nr|pp?|issue|page)\b\.?\s*\d|^\s*\d+\.\s", re.I)


def _sign_off(text: str) -> bool:
    """Whether a paragraph is a sign-off: short, closing on a date to the day or month, with
    only a place or a name before it."""
    if len(text) > SIGN_OFF_CHARS or _CITATION_WORDS.search(text):
        return False
    found = find_date(text)
    if found is None:
        return False
    parsed, start, end = found
    if parsed.precision not in ("day", "month", "season") or start > SIGN_OFF_LEAD:
        return False
    return not text[end:].strip(" .;,)]\n")


def _prose(block: _Block, text: str) -> int:
    return len(text) - block.link_chars


class _Page:
    """Classify the blocks of one page and put them into the record."""

    def __init__(
        self, record: Record, out: _Text, blocks: list[_Block], meta_author: Span | None
    ) -> None:
        self.record, self.out, self.blocks = record, out, blocks
        self.meta_author = meta_author
        self.texts = [b.text().strip() for b in blocks]
        # Anchors the page links to (href="#x"): a block starting with one of them is a note.
        self.targets = {
            href[1:] for b in blocks for _, href, _, _ in b.anchors if href and href.startswith("#")
        }

    def read(self) -> None:
        first_prose = next(
            (
                i
                for i, (b, t) in enumerate(zip(self.blocks, self.texts, strict=True))
                if b.tag not in _HEADINGS
                and not self._is_info(b, t, 0, 0)
                and _prose(b, t) >= 150
                and not (b.context & _NAV_CLASSES)
            ),
            len(self.blocks),
        )
        roles = self._title_author_dateline(min(first_prose, 30))
        in_notes = False
        last = ""  # what the block before was: "footnote", "paragraph" …
        prose_chars = link_chars = long_prose = 0
        for i, (b, text) in enumerate(zip(self.blocks, self.texts, strict=True)):
            role = roles.get(i)
            if role is not None:
                self._add_span(role, b, text)
                last = role
                continue
            linky = b.link_chars * 10 >= len(text) * 7
            label, anchor = self._footnote_label(b, text)
            if label is not None:
                last = self._add_note("footnote", text, label, anchor)
            elif b.tag in _HEADINGS and _NOTES_HEADING.match(text):
                in_notes = True
                last = self._add_note("heading", text)
            elif self._is_info(b, text, i, first_prose):
                self._add_fields(b)
                last = "header"
            elif b.context & _INFO_CLASSES and not linky:
                # a note in MIA's information style after the text began: a footnote's next
                # paragraph, or an editor's note
                last = self._add_note("footnote" if last == "footnote" else "editorial", text)
            elif b.context & _NAV_CLASSES or linky:
                link_chars += len(text)
                last = self._add_note("navigation", text)
            elif (b.classes & _NOTE_CLASSES) or (in_notes and b.tag not in _HEADINGS):
                last = self._add_note("footnote", text)
            else:
                if b.tag in _HEADINGS:
                    in_notes = False
                n = len(self.record.paragraphs) + 1
                start = self.out.add(text)
                self.record.paragraphs.append(Paragraph(n, text, start, start + len(text)))
                prose = _prose(b, text)
                prose_chars += prose
                long_prose += prose if prose >= 200 else 0
                link_chars += b.link_chars
                last = "paragraph"
        self._closing_notes()
        self.record.skip_reason = self._skip_reason(prose_chars, link_chars, long_prose)

    def _closing_notes(self) -> None:
        """The sign-off that ends the text ("Copenhagen, March 4, 1936", "Office: 256 High
        Holborn Road, London, W.C., May 30, 1871"): its last paragraph (or two), when short and
        closing on a date to the day or month, with no more than a place or a name before the
        date, and no volume, number or pages (a citation). It becomes a closing note, as the
        bracketed notes that close the archive's plain-text records do, so its date is read."""
        paragraphs = self.record.paragraphs
        closing: list[Paragraph] = []
        while len(closing) < 2 and len(paragraphs) > 1:
            last = paragraphs[-1]
            if not _sign_off(last.text):
                break
            closing.append(paragraphs.pop())
        for p in reversed(closing):
            self.record.notes.append(Note("closing", p.text, p.start, p.end))

    # -- header ---------------------------------------------------------------------------------

    def _is_info(self, b: _Block, text: str, i: int, first_prose: int) -> bool:
        """A block of header fields: MIA's information block, or labelled lines near the top."""
        marked = bool(b.classes & _INFO_CLASSES) or (
            "info" in b.context and b.tag not in _HEADINGS and b.tag != "blockquote"
        )
        if marked and i <= first_prose:
            return True
        if not marked and (
            i >= 30 or b.tag not in ("p", "div", "td", "blockquote", "center", "body")
        ):
            return False  # most blocks of a page: settled before reading their lines
        lines = text.split("\n")
        known = sum(
            1 for line in lines if (m := _LABEL.match(line)) and canonical_label(m["label"])
        )
        if marked:
            return known > 0
        return known >= 1 and known * 2 >= len(lines)

    def _title_author_dateline(self, head_end: int) -> dict[int, str]:
        head = [
            i
            for i in range(head_end)
            if (
                self.blocks[i].tag in _HEADINGS
                or self.blocks[i].classes & {"title", "author", "date"}
            )
            and not self.blocks[i].context & (_NAV_CLASSES | _INFO_CLASSES)
            and len(self.texts[i]) <= 300
        ]
        roles: dict[int, str] = {}
        title = next((i for i in head if self.blocks[i].tag == "h1"), None)
        if title is None:
            title = next((i for i in head if "title" in self.blocks[i].classes), None)
        author = None
        if self.meta_author is not None:
            want = _fold(self.meta_author.text)
            author = next(
                (
                    i
                    for i in head
                    if i != title
                    and want
                    and (f := _fold(self.texts[i]))
                    and (f == want or (len(f) > 3 and (f in want or want.endswith(f))))
                ),
                None,
            )
        if author is None:
            author = next((i for i in head if "author" in self.blocks[i].classes), None)
        if title is None:
            title = next((i for i in head if i != author), None)
        if (
            author is None
            and title is not None
            and title - 1 in head
            and _name_like(self.texts[title - 1], _context_words(self.record))
        ):
            author = title - 1
        if title is not None:
            roles[title] = "title"
            dated = [
                i
                for i in head
                if i > title
                and i != author
                and len(self.texts[i]) <= 100
                and _YEAR.search(self.texts[i])
            ]
            # a heading that is only a date before one that holds a year among words (a
            # subtitle: "Resolution Approved by the Fourth World Congress of 1954")
            only = [i for i in dated if _ONLY_A_DATE.match(self.texts[i])]
            # a subtitle naming two years tells of a span of time ("England in 1845 and in
            # 1885"), unless it ends on its date ("from 1905 to the present day (1937)")
            dated = [
                i
                for i in dated
                if i in only
                or len(set(_YEAR.findall(self.texts[i]))) == 1
                or _ENDS_ON_A_DATE.search(self.texts[i])
            ]
            dateline = next(iter(only or dated), None)
            if dateline is not None:
                roles[dateline] = "dateline"
        if author is not None:
            roles[author] = "author"
        return roles

    def _add_span(self, role: str, b: _Block, text: str) -> None:
        flat = text.replace("\n", " ")
        start = self.out.add(flat)
        span = Span(flat, start, start + len(flat))
        if role == "title":
            self.record.title = span
        elif role == "author":
            self.record.author = span
        else:
            self.record.dateline = span

    def _add_fields(self, b: _Block) -> None:
        """One field a line; a line with no label continues the field before it."""
        full = b.text()
        lead = len(full) - len(full.lstrip())
        text = full.strip()
        start = self.out.add(text)
        marks = [(s - lead, e - lead) for s, e in b.marks]
        titles = [(s - lead, e - lead) for s, e in b.titles + b.marks]
        pos = 0
        for line in text.split("\n"):
            self._add_line(line, start + pos, pos, marks, titles)
            pos += len(line) + 1

    def _add_line(
        self,
        line: str,
        at: int,
        pos: int,
        marks: list[tuple[int, int]],
        titles: list[tuple[int, int]],
    ) -> None:
        fields = self.record.fields
        stripped = line.strip()
        if not stripped:
            return
        lead = len(line) - len(line.lstrip())
        mark = next((m for m in marks if m[0] == pos + lead and m[1] > m[0]), None)
        label = value_at = None
        if mark is not None:
            cand = line[lead : mark[1] - pos].strip()
            if cand.rstrip(":").strip() and (cand.endswith(":") or canonical_label(cand)):
                label = cand.rstrip(":").strip()
                rest = line[mark[1] - pos :]
                value_at = mark[1] - pos + (len(rest) - len(rest.lstrip(" :")))
        if label is None:
            m = _LABEL.match(stripped)
            if m and (canonical_label(m["label"]) or len(m["label"].split()) <= 3):
                label = m["label"].strip()
                value_at = lead + m.end()
        if label is None:
            for pattern, name in _PHRASES:
                pm = pattern.match(stripped)
                if pm:
                    label, value_at = name, lead + pm.end()
                    break
        if label is None and pos == 0:
            cited = _citation(line, pos, titles)
            if cited is not None:  # the citation always holds its title, so it is not empty
                label, value_at = UNLABELLED_SOURCE, cited
        if label is not None and value_at is not None and line[value_at:].strip():
            value = line[value_at:].rstrip()
            fields.append(
                Field(
                    label,
                    value,
                    at + lead,
                    at + len(line.rstrip()),
                    at + value_at,
                    at + value_at + len(value),
                )
            )
            return
        if label is not None:  # a label with nothing after it
            return
        if (
            fields
            and fields[-1].value_end == at - 1
            and fields[-1].name
            not in (
                "Page title",
                "Meta author",
            )
        ):
            prev = fields[-1]
            end = at + len(line.rstrip())
            value = self.out_text(prev.value_start, end)
            fields[-1] = Field(prev.name, value, prev.start, end, prev.value_start, end)
            return
        self.record.notes.append(Note("header", stripped, at + lead, at + lead + len(stripped)))

    def out_text(self, start: int, end: int) -> str:
        return "".join(self.out.parts)[start:end]

    # -- notes and pages that are not works ----------------------------------------------------

    def _footnote_label(self, b: _Block, text: str) -> tuple[str | None, str | None]:
        for name, href, start, end in b.anchors[:2]:
            if start > 3:
                break
            label_text = text[start:end] if end <= len(text) else ""
            m = _FOOT_LABEL.match(label_text)
            if name and name in self.targets and m:
                return m.group(1), name
            if href and href.startswith("#") and m and (name or start == 0):
                return m.group(1), name or href[1:]
        return None, None

    def _add_note(
        self, kind: str, text: str, label: str | None = None, anchor: str | None = None
    ) -> str:
        start = self.out.add(text)
        self.record.notes.append(Note(kind, text, start, start + len(text), label, anchor))
        return kind

    def _skip_reason(self, prose: int, links: int, long_prose: int) -> str | None:
        """Why this page is not a work: a removal stub, or an index (mostly links, no prose).

        Prose is text outside links; a work has paragraphs of it (200 characters or more),
        an index page has lines of titles and dates between its links.
        """
        title = self.record.title.text if self.record.title else ""
        if "no longer available" in title.lower() or any(
            "File No Longer Available" in t for t in self.texts[:5]
        ):
            return "a stub for a page removed from the site (MECW: File No Longer Available)"
        page_title = next((f.value for f in self.record.fields if f.name == "Page title"), "")
        if _NOT_FOUND.search(page_title) or any(
            len(t) <= 40 and _NOT_FOUND.search(t) for t in self.texts[:8]
        ):
            return "the site's error page for a missing file (File Not Found), not a work"
        total = prose + links
        if total == 0:
            return None if self.record.fields else "the page has no text of its own"
        ratio = links / total
        entries = len(self.record.paragraphs)
        if (
            (long_prose < 600 and ratio >= 0.25)
            or (long_prose < 2000 and ratio >= 0.7)
            or (long_prose < 300 and links and entries >= 15)
        ):
            return (
                f"an index or navigation page: {ratio:.0%} of its text is links, "
                f"{long_prose:,} characters in paragraphs of prose"
            )
        return None
