"""Bytes → text, and the name of the encoding that was used.

Order, from what STACK.md learnt on the real archive: strict UTF-8 first (most files), then the
charset the file declares if it decodes cleanly, then a guess restricted to the encodings this
archive really uses (an unrestricted guess read a windows-1252 German page as cp1250: ø → ř).
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from prinkipo.errors import UnreadableFile

_GUESSES = ["utf_8", "cp1252", "latin_1", "cp1251", "koi8_r", "iso8859_2"]


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not a text file."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; returns (text, encoding used). Raises UnreadableFile."""
    if not data.strip():
        raise UnreadableFile(path, "the file is empty")
    if looks_binary(data):
        raise UnreadableFile(path, "the file is binary, not text (NUL or control bytes)")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            name = codecs.lookup(declared).name
            if name not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
                return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data, cp_isolation=_GUESSES).best()
    if best is None:
        return data.decode("cp1252", errors="replace"), "cp1252 (with replacements)"
    return str(best), codecs.lookup(best.encoding).name
