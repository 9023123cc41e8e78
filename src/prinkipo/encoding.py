"""Bytes → text, and the name of the encoding that was used.

Order, from what STACK.md learnt on the real archive: strict UTF-8 first (most files, and the
Latin-1-declared MIA pages that really hold UTF-8), then the charset the file declares if it decodes
cleanly and reads plausibly, then a guess restricted to the encodings this archive really uses (an
unrestricted guess read a windows-1252 German page as cp1250: ø → ř).

Declared charsets are read the way browsers read them (WHATWG): ``iso-8859-1`` and ``us-ascii``
mean windows-1252 (MIA's Latin-1 pages hold cp1252 quotes and dashes), and the typos seen in the
archive (``iso8850-1``, ``iso-8859``, ``utf-98`` …) are mapped to what they meant. A declaration is
not trusted when the text it gives mixes scripts inside a word ("Cafй": an English page declared
windows-1251 that is really windows-1252); the guess decides then.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from prinkipo.errors import UnreadableFile

_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_GUESSES = ["utf_8", "cp1252", "latin_1", "cp1251", "koi8_r", "iso8859_2"]
#: declared name (lower case) → the codec to use, for WHATWG aliases and the archive's typos
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859": "cp1252",
    "iso8850-1": "cp1252",
    "iso-8850-1": "cp1252",
    "x-user-defined": "cp1252",
    "rtf-8": "utf-8",
    "utrf-8": "utf-8",
    "iutf-8": "utf-8",
    "utf-98": "utf-8",
}
_OTHER = re.compile(r"[А-Яа-яЁёΑ-Ωα-ω]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[^\W\d_]+")
_MIXED = re.compile(r"[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z]|[A-Za-z][Α-Ωα-ω]|[Α-Ωα-ω][A-Za-z]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not a text file."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def codec_for(declared: str | None) -> str | None:
    """The Python codec for a declared charset name, or None when it names none we can use."""
    if not declared:
        return None
    name = declared.strip().strip("\"'").lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        if "utf" in name and "16" not in name:
            return "utf-8"  # rtf-8, utrf-8, iutf-8, utf-98: all meant UTF-8
        return None
    return "cp1252" if codec in ("latin-1", "ascii", "iso8859-1") else codec


def plausible(text: str) -> bool:
    """False when the text looks decoded wrongly: letters of two scripts meet inside a word
    ("Cafй"), or a few stray Cyrillic or Greek letters sit in Latin text ("а la")."""
    # one character class scans fast; _MIXED's alternation is slow on long Latin pages
    if not _OTHER.search(text):
        return True
    if _MIXED.search(text):
        return False
    other = len(_OTHER.findall(text))
    return other == 0 or other * 20 >= len(_LATIN.findall(text))


def decode(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; returns (text, encoding used). Raises UnreadableFile."""
    if not data.strip():
        raise UnreadableFile(path, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise UnreadableFile(
                path, f"the file has a UTF-16 mark but is not UTF-16 ({err})"
            ) from err
    if looks_binary(data):
        raise UnreadableFile(path, "the file is binary, not text (NUL or control bytes)")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = codec_for(declared)
    if codec and not codec.startswith("utf"):
        try:
            text = data.decode(codec)
            if plausible(text):
                return text, codec
        except UnicodeDecodeError:
            if codec == "cp1252":  # the five bytes cp1252 leaves undefined: Latin-1 proper
                return data.decode("latin-1"), "latin-1"
    return _guess(data)


def _guess(data: bytes) -> tuple[str, str]:
    """No usable declaration: windows-1252, unless that reads as Cyrillic bytes in Latin letters.

    A statistical detector cannot tell windows-1252 from its neighbours on an English page with a
    handful of curly quotes (charset-normalizer said cp1251 or iso8859-2 for the MIA pages of
    ``archive/weisbord/``), so the detector decides only between the Cyrillic code pages.
    """
    try:
        western, name = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        western, name = data.decode("latin-1"), "latin-1"
    if not _cyrillic_as_latin(western):
        return western, name
    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "iso8859_5", "mac_cyrillic"]).best()
    if best is None:
        return western, name
    return str(best), codecs.lookup(best.encoding).name


def _cyrillic_as_latin(text: str) -> bool:
    """Most words with a non-ASCII letter are made of nothing else: Cyrillic read as Latin-1."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if len(words) < 3:
        return False
    foreign = sum(1 for w in words if len(w) >= 3 and all(ord(c) > 127 for c in w))
    return foreign * 2 > len(words)
