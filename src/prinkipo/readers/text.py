"""Plain-text transcriptions with a header of fields, like the seed record::

    L. Trotsky                                      ← author
    Opposition Serves the Bolshevik Revolution      ← title
    (January 1930)                                  ← dateline
    Written: 5 January 1930.                        ← header fields, one a line
    Source: The Militant, Vol. III No. 9, …
    Up to the very last moment …                    ← body: paragraphs split at blank lines
    (Excerpts from letter of January 5th, 1930 …)   ← closing notes: whole paragraphs in brackets
    [1] …                                           ← footnotes

Every span is an offset into the decoded text with line ends normalised to ``\\n``.
"""

from __future__ import annotations

import re

from prinkipo.encoding import decode, looks_binary
from prinkipo.errors import UnreadableFile
from prinkipo.model import Field, Note, Paragraph, Record, Span

_FIELD = re.compile(
    r"^(?P<label>[A-Z][A-Za-z]*(?:[ /\\&-]+[A-Za-z]+){0,3})[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$"
)
_DATELINE = re.compile(r"^\(([^()]{2,80})\)$")
_CLOSING = re.compile(r"^\((?P<body>.+)\)$", re.S)
_FOOTNOTE = re.compile(r"^\[(?P<label>\d{1,3}|[a-z*†])\][ \t]+(?P<body>.+)$", re.S)
_SUFFIXES = (".txt", ".text", "")


def sniff(path: str, data: bytes) -> bool:
    """Plain text: not binary, not markup."""
    if looks_binary(data):
        return False
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<!doctype", b"<html", b"<tei")):
        return False
    return path.lower().endswith(_SUFFIXES) or b"<" not in head[:200]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the newline."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def read(path: str, data: bytes) -> Record:
    """Read a plain-text record. Raises UnreadableFile when there is nothing to read."""
    raw, encoding = decode(path, data)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    record = Record(path=path, format="text", text=text, encoding=encoding)
    lines = _lines(text)
    i = _read_preamble(record, lines)
    i = _read_fields(record, lines, i)
    _read_body(record, lines, i)
    if not record.paragraphs and not record.fields:
        raise UnreadableFile(path, "no header fields and no paragraphs: nothing to read")
    return record


def _span(text: str, start: int, end: int) -> Span:
    value = text[start:end]
    lead = len(value) - len(value.lstrip())
    trail = len(value) - len(value.rstrip())
    return Span(value.strip(), start + lead, end - trail)


def _read_preamble(record: Record, lines: list[tuple[int, int]]) -> int:
    """Author, title and dateline: the short lines before the first header field."""
    text, i = record.text, 0
    found: list[Span] = []
    while i < len(lines) and len(found) < 4:
        start, end = lines[i]
        line = text[start:end].strip()
        if _FIELD.match(line) or len(line) > 200:
            break
        if line:
            found.append(_span(text, start, end))
        i += 1
    if i >= len(lines) or len(found) == 4 or not _FIELD.match(text[slice(*lines[i])].strip()):
        return 0  # no header: the whole file is body
    plain = []
    for span in found:
        if _DATELINE.match(span.text) and record.dateline is None:
            record.dateline = span
        else:
            plain.append(span)
    if len(plain) >= 2:
        record.author, record.title = plain[0], plain[1]
    elif plain:
        record.title = plain[0]
    return i


def _read_fields(record: Record, lines: list[tuple[int, int]], i: int) -> int:
    """Header fields, one a line; blank lines between them are allowed."""
    text = record.text
    while i < len(lines):
        start, end = lines[i]
        m = _FIELD.match(text[start:end])
        if m is None:
            if text[start:end].strip():
                break  # the first line of the body
            i += 1
            continue
        record.fields.append(
            Field(
                name=m.group("label").strip(),
                value=m.group("value"),
                start=start,
                end=start + m.end("value"),
                value_start=start + m.start("value"),
                value_end=start + m.end("value"),
            )
        )
        i += 1
    return i


def _read_body(record: Record, lines: list[tuple[int, int]], i: int) -> None:
    text, blocks, current = record.text, [], []
    for start, end in lines[i:]:
        if text[start:end].strip():
            current.append((start, end))
        elif current:
            blocks.append((current[0][0], current[-1][1]))
            current = []
    if current:
        blocks.append((current[0][0], current[-1][1]))

    spans = [_span(text, s, e) for s, e in blocks]
    # Closing notes and footnotes sit after the last paragraph of the body.
    tail = len(spans)
    while tail > 0 and (
        _CLOSING.match(spans[tail - 1].text) or _FOOTNOTE.match(spans[tail - 1].text)
    ):
        tail -= 1
    for span in spans[tail:]:
        foot = _FOOTNOTE.match(span.text)
        if foot:
            record.notes.append(
                Note("footnote", foot.group("body"), span.start, span.end, foot.group("label"))
            )
        else:
            record.notes.append(Note("closing", span.text, span.start, span.end))
    for n, span in enumerate(spans[:tail], start=1):
        record.paragraphs.append(Paragraph(n, span.text.replace("\n", " "), span.start, span.end))
