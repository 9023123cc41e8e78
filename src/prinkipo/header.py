"""Record → Document: what the header fields mean.

Field labels vary across decades of transcription ("Written", "Date", "First Published",
"Transcription/Markup" …); :data:`DATE_ROLES` maps the ones that carry dates. The date of a
``Source`` citation is the published date when no ``First Published``/``Published`` field gives
one. Every value keeps the field it came from, its span, and the method that read it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from prinkipo.dates import find_date, parse_date
from prinkipo.entities.authority import Authority
from prinkipo.errors import UnparseableDate
from prinkipo.model import Author, DateValue, Document, Field, Inferred, Record, Span
from prinkipo.sources import parse_source

#: canonical label → the spellings MIA's pages use (folded: lower case, "\\" read as "/")
LABELS: dict[str, tuple[str, ...]] = {
    "written": (
        "written",
        "written/first published",
        "date written",
        "scritto",
        "escrito",
        "geschrieben",
        "écrit",
        "ecrit",
        "kirjoitettu",
        "skrevet",
        "skrifaður",
    ),
    "date": ("date", "dated", "datum", "fecha", "data"),
    "delivered": (
        "delivered",
        "speech delivered",
        "given",
        "spoken",
        "speech",
        "pronunciado",
        "discours prononcé",
    ),
    "first published": (
        "first published",
        "first published in",
        "first printed",
        "printed",
        "originally published",
        "published",
        "publication",
        "first publication",
        "also published",
        "publicado",
        "pubblicato",
        "veröffentlicht",
        "erstveröffentlichung",
        "publié",
        "esmakordselt avaldatud",
        "fyrstur útgefandi",
    ),
    "republished": (
        "republished",
        "re-published",
        "retitled and reprinted",
        "reprinted",
        "this edition",
        "this version",
        "version",
        "english edition",
        "first published in english",
        "first published in full",
        "original ed.",
        "copied from",
        "originally from",
    ),
    "source": (
        "source",
        "source (unlabelled citation)",
        "sources",
        "source of text",
        "source text",
        "original source",
        "taken from",
        "from",
        "fonte",
        "fuente",
        "quelle",
        "fonte-traduzione",
    ),
    "translated": (
        "translated",
        "translation",
        "translated by",
        "translator",
        "translators",
        "english translation",
        "translated from french",
        "translated from german by",
        "translation from french",
        "translated into english",
        "translated & abridged",
        "alternative translation",
        "traducción",
        "traduzione",
        "übersetzung",
        "þýða við",
        "translation/english transcription",
        "english translation/html markup",
    ),
    "transcription": (
        "transcription",
        "transcribed",
        "transcribed by",
        "transcriber",
        "transcription/markup",
        "transcription/html markup",
        "transcribed/html markup",
        "transcription/html",
        "transcription/editing/html markup",
        "transcription/editing",
        "transcription & markup",
        "transcription & mark-up",
        "transcription & html markup",
        "transcription and mark-up",
        "transcription and markup",
        "transcribed & marked up",
        "transcribed and marked up",
        "transcribed and html markup",
        "transcription/xhtml markup",
        "transcription/proofing",
        "transcription/mark-up",
        "transcription/html mark-up",
        "transcribed, edited & formatted",
        "digitalisation, proof-reading & html markup",
        "digitalisation",
        "transcription/proofreader",
        "transcritpion",
        "transciption",
        "transcrition & marked-up",
        "transcription/html markup/minor editing",
        "transcription/markup & corrections",
        "transcribed/proofed/corrected",
        "original transcription",
        "original greek transcription",
        "english translation/transcription",
        "salvestanud",
        "trascrizione",
        "transcripción",
        "stafrænn texti við",
    ),
    "markup": (
        "markup",
        "html markup",
        "mark-up",
        "html",
        "html-markup",
        "html mark-up",
        "marked up",
        "marked up by",
        "xhtml markup",
        "markup/proofread",
        "editing",
        "editing/html markup",
        "reformatted",
        "copyedited",
        "re-marked up by",
        "markup/abstracted by",
    ),
    "proofread": (
        "proofread",
        "proofed",
        "proofreader",
        "proofreading",
        "proofread by",
        "proof-read",
        "proofed & corrected",
        "proofed and corrected",
        "editing and proofreading",
        "profreader",
    ),
    "online version": (
        "online version",
        "on-line publication",
        "pdf version",
        "on saadaval ka formaadis",
        "also available",
    ),
    "rights": (
        "copyleft",
        "public domain",
        "copyright",
        "copright",
        "pubic domain",
        "fair use",
        "pubblico dominio",
        "dominio público",
        "derechos",
        "licence",
        "license",
    ),
    "publisher": (
        "publisher",
        "publishers",
        "printer",
        "printed by",
        "series",
        "editorial",
        "verlag",
        "location",
        "editors",
        "editorial board",
    ),
    "author": ("author", "by", "written by", "speaker", "autor", "autore", "auteur"),
    "original title": ("original title", "título original", "titolo originale"),
    "recipient": ("to", "recipient"),
    "sent": ("sent",),
    "notes": (
        "note",
        "notes",
        "note.",
        "introduction",
        "further reading",
        "translator's note",
        "translator’s note",
        "publishers note",
        "note on naming",
        "full text",
        "documents",
        "obituary",
    ),
    "interview": ("interview", "discussed", "compiled by", "recorded"),
}
_FOLDED = {spelling: canon for canon, spellings in LABELS.items() for spelling in spellings}

#: canonical label → date role
DATE_ROLES: dict[str, str] = {
    "written": "written",
    "date": "written",
    "delivered": "delivered",
    "first published": "published",
}
SOURCE_LABELS = {"source"}
#: the name the HTML reader gives an unlabelled line it reads as the source, being clearly a
#: citation (a title in bold or italics, then a date, volume or number): the label is ours
UNLABELLED_SOURCE = "Source (unlabelled citation)"
#: the method recorded on the dates read from such a line
UNLABELLED_METHOD = "unlabelled-citation"


def canonical_label(label: str) -> str | None:
    """The canonical name of a header label as written ("Transcription\\HTML Markup" →
    "transcription"), or None for a label not in :data:`LABELS`."""
    folded = re.sub(r"\s+", " ", label.replace("\\", "/").replace("&amp;", "&").strip(" :").lower())
    return _FOLDED.get(folded) or _FOLDED.get(folded.rstrip("."))


_GENRE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("letter", re.compile(r"\b(?:letter|letters|lettre|brief|carta|письмо)\b", re.I)),
    ("speech", re.compile(r"\b(?:speech|address|lecture|rede|discours|речь)\b", re.I)),
    ("interview", re.compile(r"\binterview\b", re.I)),
    ("telegram", re.compile(r"\b(?:telegram|cable)\b", re.I)),
    ("resolution", re.compile(r"\b(?:resolution|theses|manifesto|programme|program)\b", re.I)),
    ("diary", re.compile(r"\bdiary\b", re.I)),
    ("poem", re.compile(r"\bpoem\b", re.I)),
]

_STOPWORDS: dict[str, set[str]] = {
    lang: set(words.split())
    for lang, words in {
        "en": "the and of to in that is was for with which this not are his have",
        "de": "der die und das nicht ist den von zu mit sich des auf für ein eine",
        "fr": "le la les et des est une que dans qui pour pas sur du au",
        "es": "el la los las y que en del por una con para es se no",
        "it": "il di che la per non una sono della con gli del le",
        "ru": "и в не на что с как по это из но за",
    }.items()
}


def fold_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip().lower())


def read_date(role: str, span: Span, field_name: str) -> DateValue:
    """A date from a field value: the whole value if it is a date, else the first date inside it."""
    try:
        parsed = parse_date(span.text)
        return DateValue(role, span.text, parsed, None, field_name, span.start, span.end)
    except UnparseableDate as whole:
        found = find_date(span.text)
        if found is None:
            return DateValue(role, span.text, None, whole.reason, field_name, span.start, span.end)
        parsed, start, end = found
        return DateValue(
            role,
            parsed.text,
            parsed,
            None,
            field_name,
            span.start + start,
            span.start + end,
            method="header-partial",
        )


def guess_language(paragraphs: Iterable[str]) -> str | None:
    """The language whose common words are most frequent in the first paragraphs, if clear."""
    words: list[str] = []
    for text in paragraphs:
        words.extend(re.findall(r"\w+", text.lower()))
        if len(words) > 400:
            break
    if len(words) < 20:
        return None
    counts = Counter(words)
    scores = {
        lang: sum(map(counts.__getitem__, stop & counts.keys()))
        for lang, stop in _STOPWORDS.items()
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 0.08 * len(words) else None


def _authors(record: Record, authority: Authority | None) -> list[Author]:
    span = record.author
    if span is None:
        field = next((f for f in record.fields if canonical_label(f.name) == "author"), None)
        span = field.value_span if field else None
    if span is None:
        return []
    if authority is not None:
        found = authority.lookup(span.text, kind="person")
        if len(found) == 1:
            return [
                Author(
                    span.text,
                    found[0].name,
                    span.start,
                    span.end,
                    found[0].key,
                    "authority-variant",
                    1.0,
                )
            ]
    return [Author(span.text, span.text, span.start, span.end)]


def _genre(record: Record, has_periodical: bool) -> Inferred | None:
    """The kind of work, from words in the title, dateline, closing notes and fields."""
    places: list[Span] = [s for s in (record.title, record.dateline) if s is not None]
    places += [Span(n.text, n.start, n.end) for n in record.notes if n.kind == "closing"]
    for span in places:
        for genre, pattern in _GENRE_WORDS:
            m = pattern.search(span.text)
            if m:
                evidence = Span(m.group(0), span.start + m.start(), span.start + m.end())
                return Inferred(genre, "keyword", 0.8, evidence)
    for f in record.fields:
        if canonical_label(f.name) == "delivered":
            return Inferred(
                "speech", "field-label", 0.9, Span(f.name, f.start, f.start + len(f.name))
            )
    if has_periodical:
        return Inferred("article", "periodical-source", 0.6, None)
    return None


def interpret(record: Record, authority: Authority | None = None) -> Document:
    """Turn a reader's Record into a Document."""
    dates: dict[str, DateValue] = {}
    source = None
    source_method = "header"
    for f in record.fields:
        label = canonical_label(f.name)
        role = DATE_ROLES.get(label) if label else None
        if role and role not in dates:
            dates[role] = read_date(role, f.value_span, f.name)
        if label in SOURCE_LABELS:
            # the first labelled source line; an unlabelled citation only where there is none
            unlabelled = f.name == UNLABELLED_SOURCE
            if source is None or (source_method == UNLABELLED_METHOD and not unlabelled):
                source = parse_source(f.value, f.value_start)
                source_method = UNLABELLED_METHOD if unlabelled else "header"
    if source and source.date and source_method != "header":
        source = replace(source, date=replace(source.date, method=source_method))
    if source and source.date and "published" not in dates:
        d = source.date
        dates["published"] = DateValue(
            "published", d.text, d.parsed, d.error, "Source", d.start, d.end, d.method
        )
    if record.dateline is not None:
        dates["dateline"] = read_date("dateline", record.dateline, "dateline")
    for note in record.notes:
        if note.kind == "closing" and "note" not in dates:
            found = find_date(note.text)
            if found:
                parsed, start, end = found
                dates["note"] = DateValue(
                    "note",
                    parsed.text,
                    parsed,
                    None,
                    "note",
                    note.start + start,
                    note.start + end,
                    "closing-note",
                )
    return Document(
        record=record,
        title=record.title.text if record.title else _field_value(record.fields, "title"),
        authors=_authors(record, authority),
        dates=dates,
        source=source,
        genre=_genre(record, bool(source and source.periodical)),
        language=record.language or guess_language(p.text for p in record.paragraphs),
    )


def _field_value(fields: list[Field], label: str) -> str | None:
    return next((f.value for f in fields if fold_label(f.name) == label), None)
