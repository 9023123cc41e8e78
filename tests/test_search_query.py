"""The query parser: what people type becomes a safe FTS5 expression, or a clear QueryError."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prinkipo.search import QueryError, parse_query
from prinkipo.search.query import MAX_QUERY_CHARS, MAX_TERMS, OPERATORS


@pytest.mark.parametrize(
    ("typed", "fts"),
    [
        ("revolution", '"revolution"'),
        ("Permanent Revolution", '"Permanent" AND "Revolution"'),
        ('"permanent revolution"', '"permanent revolution"'),
        ("revol*", '"revol"*'),
        ('"permanent rev"*', '"permanent rev"*'),
        ("trotsky OR bronstein", '"trotsky" OR "bronstein"'),
        ("stalin -bukharin", '"stalin" NOT "bukharin"'),
        ("stalin NOT bukharin", '"stalin" NOT "bukharin"'),
        ("a b -c -d", '("a" AND "b") NOT "c" NOT "d"'),
        ("(lenin OR trotsky) soviet", '("lenin" OR "trotsky") AND "soviet"'),
        ("NEAR(kamenev zinoviev, 5)", 'NEAR("kamenev" "zinoviev", 5)'),
        ("NEAR(kamenev zinoviev)", 'NEAR("kamenev" "zinoviev", 10)'),
        ("kamenev NEAR zinoviev", 'NEAR("kamenev" "zinoviev", 10)'),
        ("kamenev NEAR/3 zinoviev", 'NEAR("kamenev" "zinoviev", 3)'),
        ("and or not near", '"and" AND "or" AND "not" AND "near"'),
        ("a AND b", '"a" AND "b"'),
        ('say "hi', '"say" AND "hi"'),
        ("(unclosed", '"unclosed"'),
        ("closed)", '"closed"'),
        ("AND word", '"word"'),
        ("word OR", '"word"'),
        ("-only word", '"word" NOT "only"'),
        ("title:lenin", '"title:lenin"'),
        ('quote"inside', '"quote" AND "inside"'),
        ("Троцкий", '"Троцкий"'),
        ("Königsberg 🙂", '"Königsberg"'),
        ("tab\there\x00nul", '"tab" AND "here" AND "nul"'),
        ("'; DROP TABLE documents; --", '"DROP" AND "TABLE" AND "documents;"'),
        ("NEAR(a b, 99999)", 'NEAR("a" "b", 1000)'),
    ],
)
def test_queries_become_quoted_fts5(typed: str, fts: str) -> None:
    assert parse_query(typed).fts == fts


@pytest.mark.parametrize(
    ("typed", "note"),
    [
        ('"unclosed', "closed an unbalanced quote"),
        ("(unclosed", "closed an unbalanced bracket"),
        ("closed)", "ignored a closing bracket"),
        ("word OR", "dropped an OR with nothing after it"),
        ("-only word -other", None),
    ],
)
def test_mended_queries_say_what_was_mended(typed: str, note: str | None) -> None:
    notes = parse_query(typed).notes
    if note is None:
        assert notes == ()
    else:
        assert any(note in n for n in notes), notes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Empty query"),
        ("   ", "Empty query"),
        ("*", "Nothing to search for"),
        ("NEAR(", "Nothing to search for"),
        ("AND OR NOT", "Nothing to search for"),
        ('""', "Nothing to search for"),
        ("🙂🙂", "Nothing to search for"),
        ("-stalin", "Nothing to search for"),
        ("x" * (MAX_QUERY_CHARS + 1), "Query too long"),
        (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "at most 64"),
    ],
)
def test_queries_with_nothing_to_find_raise_a_clear_error(typed: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(typed)


def test_a_10000_character_query_is_refused_with_a_message() -> None:
    with pytest.raises(QueryError, match="10,000 characters"):
        parse_query("revolution " * 909 + "a")


def test_deep_brackets_do_not_recurse_without_end() -> None:
    q = parse_query("(" * 500 + "lenin" + ")" * 500)
    assert q.fts == '"lenin"'


def test_terms_are_the_words_to_highlight() -> None:
    q = parse_query('"permanent revolution" OR trotsky -stalin')
    assert [t.display() for t in q.terms] == ['"permanent revolution"', "trotsky"]


@pytest.fixture(scope="module")
def fts_conn() -> Iterator[sqlite3.Connection]:
    """A real FTS5 table with the archive's tokenizer, a few rows in it."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO t (text) VALUES (:text)",
        [
            {"text": "The permanent revolution and the Bolshevik party"},
            {"text": "Engels to J. Bloch in Königsberg, 1890"},
            {"text": "Троцкий и Сталин"},
        ],
    )
    yield conn
    conn.close()


_ALPHABET = st.sampled_from(
    [*list("abcXYZ \"()*-:^,.;'+/\\0123456789"), "AND", "OR", "NOT", "NEAR", "NEAR/2", "é", "ж"]
)
_QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(_ALPHABET, max_size=30).map("".join),
    st.lists(_ALPHABET, max_size=30).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(_QUERIES)
def test_any_text_is_a_valid_fts5_query_or_a_query_error(
    fts_conn: sqlite3.Connection, typed: str
) -> None:
    try:
        q = parse_query(typed)
    except QueryError:
        return
    # SQLite accepts every expression the parser makes: no OperationalError, ever
    fts_conn.execute("SELECT rowid FROM t WHERE t MATCH :q", {"q": q.fts}).fetchall()
    assert q.terms


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), min_size=1))
def test_plain_words_are_all_kept_in_order(words: list[str]) -> None:
    words = [unicodedata.normalize("NFC", w) for w in words[:MAX_TERMS]]
    words = [w for w in words if w not in OPERATORS and not w.startswith("NEAR/")]
    if not words:
        return
    q = parse_query(" ".join(words))
    assert [" ".join(t.words) for t in q.terms] == words
