"""Draw the TEI part of the entity gold file from the editions' own annotations.

The Escher and Schnitzler editors marked every person, place and organisation in their letters
by hand (``persName``/``placeName``/``orgName`` with ``@key``, ``rs`` with ``@ref``). This script
takes the paragraphs of chosen letters, their text as a reader sees it (line breaks joined,
editorial notes and deletions left out), and each annotation's span in that text, kind and
entity key (resolved against the registers). A span counts as a *name* when it shares a word
with one of the entity's names (a genitive ``-s`` aside); "Papst" for Pius IX, "Bruder" or the
adjective "Zürcher" are the editors' descriptions, kept in the file with ``"name": false``.

    .venv/bin/python bench/gold_tei.py > /tmp/tei_gold.json
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from authorities import bench_authority

from prinkipo.entities.authority import Authority, fold, parse_xml, ref_key

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_KINDS = {"persName": "person", "placeName": "place", "orgName": "organisation"}
_RS = {"person": "person", "place": "place", "org": "organisation"}
_SKIP = {"note", "del", "sic", "orig", "fw", "figure"}


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


class _Walker:
    """Text of a paragraph with the spans of the annotated elements in it."""

    def __init__(self, source: str) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, Any]] = []
        self.source = source

    def add(self, text: str | None) -> None:
        if not text:
            return
        text = re.sub(r"\s+", " ", text)
        if self.length == 0 or (self.parts and self.parts[-1].endswith(" ")):
            text = text.lstrip(" ") if self.length == 0 or self.parts[-1].endswith(" ") else text
        if text:
            self.parts.append(text)
            self.length += len(text)

    def walk(self, el: etree._Element) -> None:
        tag = _local(el.tag)
        if tag in _SKIP:
            self.add(el.tail)
            return
        if tag == "lb":
            if el.get("break") != "no":
                self.add(" ")
            self.add(el.tail)
            return
        kind = _KINDS.get(tag) or (_RS.get(el.get("type") or "") if tag == "rs" else None)
        ref = el.get("ref") or el.get("key")
        start = self.length
        self.add(el.text)
        for child in el:
            self.walk(child)
        if kind and ref:
            self.spans.append({"start": start, "end": self.length, "kind": kind, "ref": ref,
                               "ref_attr": "ref" if el.get("ref") else "key"})  # fmt: skip
        self.add(el.tail)

    def text(self) -> str:
        return "".join(self.parts)


def _key(kind: str, ref: str, attr: str, source: str, authority: Authority) -> tuple[str, bool]:
    """The canonical key of an annotation and whether the authority knows it."""
    if attr == "key":
        e = authority.by_id(source, ref)
        return (e.key, True) if e else (f"{kind}:{source}-key:{ref}", False)
    k = ref_key(kind, ref.split()[0], source)
    resolved = authority.resolve(k)
    return (resolved, True) if resolved else (k, False)


def _is_name(text: str, key: str, authority: Authority) -> bool:
    """A first guess, corrected by hand through NOT_NAMES / NAMES below."""
    if text in NOT_NAMES:
        return False
    if text in NAMES:
        return True
    e = authority.get(key)
    if not text or not text[0].isupper():
        return False
    if e is None:
        return True
    words = {re.sub(r"s$", "", w) for w in fold(text).split()}
    names = {re.sub(r"s$", "", w) for n in e.names for w in fold(n).split()}
    return any(difflib.SequenceMatcher(None, w, n).ratio() >= 0.75 for w in words for n in names)


#: spans the editors linked that are descriptions, pronouns or adjectives, not names (read by hand)
NOT_NAMES = {
    "Belgisches", "Belgier", "Emmenthaler", "Entlebucher", "Europäer", "Freund", "Freunde",
    "Hoftheater", "Motzstr. 78 Berlin W.", "Neuchâteler", "Osten der Schweiz",
    "Rothschild'scher", "Sohn", "Staatsanwaltschaft", "Waatländer",
    "Wien VIII. Florianigasse 47/49 Stiege II. Thüre 25",
}  # fmt: skip
#: spans that are names though they share no spelling with the register's (read by hand)
NAMES = {
    "Alpen", "Andreas", "Arthur Schnitzler", "Berlin", "Bill Sharp", "Bragel", "Brahm",
    "Burgtheater", "Carl Weiss Theaters", "Deutschland", "Egypten", "Emmenthal", "Entlebuch",
    "Gotthard", "Hauenstein", "Herzl", "Heyden", "Ischl", "Jurco", "Liesl", "Loris", "Lucmanier",
    "Nationalzeitung", "Neuchâtel", "Reichstag", "Rhein", "Richard", "Salomé", "Stoß",
    "Tgl. Rdsch.", "Wedekind", "Wien", "Wyß", "de Martino", "von Jurco",
}  # fmt: skip


def letter(path: Path, source: str, authority: Authority, max_paragraphs: int = 12) -> dict:
    root = parse_xml(path)
    body = next(el for el in root.iter() if _local(el.tag) == "body")
    year = None
    for el in root.iter():
        parent = el.getparent()
        if (
            _local(el.tag) == "date"
            and parent is not None
            and _local(parent.tag) == "correspAction"
            and (when := el.get("when") or el.get("notBefore") or el.get("when-iso"))
        ):
            year = int(when[:4]) if when[:4].isdigit() else None
            break
    paragraphs: list[dict[str, Any]] = []
    for n, p in enumerate((p for p in body.iter() if _local(p.tag) == "p"), start=1):
        if any(_local(a.tag) == "note" for a in p.iterancestors()):
            continue
        w = _Walker(source)
        w.add(p.text)
        for child in p:
            w.walk(child)
        text = w.text()
        mentions = []
        for s in w.spans:
            # trim the whitespace the walker may have left at a span's edges
            start, end = s["start"], s["end"]
            while start < end and text[start] == " ":
                start += 1
            while end > start and text[end - 1] == " ":
                end -= 1
            surface = text[start:end]
            if not surface:
                continue
            key, known = _key(s["kind"], s["ref"], s["ref_attr"], source, authority)
            inside_word = (end < len(text) and text[end].isalnum()) or (
                start > 0 and text[start - 1].isalnum()
            )
            mentions.append(
                {
                    "start": start,
                    "end": end,
                    "text": surface,
                    "kind": s["kind"],
                    "key": key,
                    "in_authority": known,
                    "name": _is_name(surface, key, authority) and not inside_word,
                    "checked": "editor",
                }
            )
        if mentions:
            paragraphs.append({"n": n, "text": text, "mentions": mentions})
        if len(paragraphs) >= max_paragraphs:
            break
    return {
        "path": str(path.relative_to(CORPUS)),
        "corpus": source,
        "language": "de",
        "year": year,
        "paragraphs": paragraphs,
    }


def choose(folder: Path, count: int) -> list[Path]:
    """The letters with the most annotated names, ties by path (deterministic)."""
    scored = []
    for f in sorted(folder.glob("*.xml")):
        data = f.read_text(encoding="utf-8")
        body = data[data.find("<body") :]
        body = body[: body.find("<back")] if "<back" in body else body
        n = len(
            re.findall(
                r"<(?:persName|placeName|orgName)\b[^>]*\b(?:key|ref)=|<rs\b[^>]*\btype=\"(?:person|place|org)\"",
                body,
            )
        )
        scored.append((-n, str(f), f))
    return [f for _, _, f in sorted(scored)[:count]]


def main() -> None:
    authority = bench_authority()
    docs = []
    for folder, source, count in (
        (CORPUS / "tei/escher/data/briefe", "escher", 8),
        (CORPUS / "tei/schnitzler-briefe/data/editions", "schnitzler", 8),
    ):
        for f in choose(folder, count):
            docs.append(letter(f, source, authority))
    json.dump(docs, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
