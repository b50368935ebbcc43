import sqlite3

import pytest

from newstrace.ingest.store.cjk import fts_query, fts_text, query_terms, snippet

DOCS = {
    1: "美国宣布与盟友合作建立关键矿产供应链，减少对中国稀土的依赖。",
    2: "Ministers discussed rare earth supply chains and price floors in Washington.",
    3: "The weather in Paris was mild; no minerals were discussed.",
    4: "中国外交部发言人表示，将继续推动对话。",
    5: "Price data on earth-moving equipment is rare.",
}


@pytest.fixture
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", [(k, fts_text(v)) for k, v in DOCS.items()])
    return conn


def search(conn, q):
    return sorted(r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [fts_query(q)]))


@pytest.mark.parametrize(
    "q,expected",
    [
        ("稀土", [1]),
        ("中国", [1, 4]),
        ("关键矿产", [1]),
        ("矿产 美国", [1]),
        ("rare earth", [2, 5]),
        ('"rare earth"', [2]),
        ('"price floors"', [2]),
        ("Washington", [2]),
        ("稀土 Washington", []),
        ("外交", [4]),
    ],
)
def test_search_finds_words_of_any_length_and_filters_rows(conn, q, expected):
    assert search(conn, q) == expected


def test_query_rewrite():
    assert fts_query("稀土") == '"稀 土"'
    assert fts_query('rare "price floors"') == '"rare" "price floors"'
    assert fts_query('unbalanced "quote') == '"unbalanced" "quote"'
    assert fts_query("") == fts_query("\"") == "\"\""
    # FTS syntax in user input is neutralised, never a syntax error
    assert fts_query("NEAR(a b) OR -x*") in ('"NEAR(a" "b)" "OR" "-x*"',)


def test_fts_syntax_is_never_an_error(conn):
    for q in ['a OR', 'NOT', '"', '***', 'col:稀土', '(((', '稀土*', "AND OR NOT"]:
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [fts_query(q)]).fetchall()


def test_snippet_highlights_and_escapes():
    text = "Intro. <script>alert(1)</script> China controls about 70% of rare earth mining."
    out = snippet(text, query_terms("rare earth"))
    assert "<mark>rare</mark> <mark>earth</mark>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    zh = snippet("我们讨论了稀土和关键矿产的问题。", query_terms("稀土"))
    assert "<mark>稀土</mark>" in zh


def test_index_form_spaces_every_cjk_character_and_nothing_else():
    # the form existing indexes were built with: each CJK character (kana, Han, Hangul, supplementary Han)
    # as " c ", every other character as it is
    assert fts_text("中国稀土 rare-earth 稀土") == " 中  国  稀  土  rare-earth  稀  土 "
    assert fts_text("かな한국𠀀x") == " か  な  한  국  𠀀 x"
    assert fts_text("Ａ〇・ー") == "Ａ〇 ・  ー "  # full-width Latin and 〇 (outside the ranges) stay as they are
    assert fts_text("plain") == "plain" and fts_text(None) == "" and fts_text("") == ""
