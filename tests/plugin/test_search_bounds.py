"""Ranked search is no denial-of-service lever (issue 15, item 3): what one query may ask is bounded, and a
query Datasette's time limit stops is a clear 400, like the table page's, never a 500."""
import sqlite3

import httpx
import pytest
from datasette.app import Datasette
from datasette.database import QueryInterrupted

from newstrace.plugin import archive

from newstrace.ingest import store
from newstrace.ingest.store.cjk import MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_QUERY_TOKENS, bounded_fts_query, fts_query

from tests.conftest import serve_datasette

ROUTES = ("/newstrace/-/search.json?q=", "/newstrace/-/claims.json?q=")


def test_the_query_builder_bounds_terms_tokens_and_length():
    assert fts_query("lithium " * 2000) == '"lithium"'  # a repeated word is asked for once
    assert bounded_fts_query("lithium " * 60) == '"lithium"'
    assert bounded_fts_query("稀土 rare earth") == '"稀 土" "rare" "earth"'
    with pytest.raises(ValueError, match="characters long"):
        bounded_fts_query("lithium " * 2000)
    with pytest.raises(ValueError, match="different words"):
        bounded_fts_query(" ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1)))
    with pytest.raises(ValueError, match="Chinese"):
        bounded_fts_query("稀土" * (MAX_QUERY_TOKENS // 2 + 1))
    assert len("x" * MAX_QUERY_CHARS) == MAX_QUERY_CHARS


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("q,words", [("lithium " * 2000, "characters long"),
                                    (" ".join(f"mineral{i}" for i in range(40)), "different words"),
                                    ("稀土产业" * 20, "characters")])
def test_an_oversized_search_is_a_400_with_its_reason(datasette_url, route, q, words):
    response = httpx.get(datasette_url + route + q, timeout=60)
    assert response.status_code == 400, response.text[:300]
    assert words in response.text


def test_a_search_within_bounds_still_works(datasette_url):
    response = httpx.get(datasette_url + "/newstrace/-/search.json", params={"q": "minerals minerals 稀土"})
    assert response.status_code == 200


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    "Sixty thousand short articles that all match one word: enough work to outlast a 5 ms time limit."
    path = tmp_path_factory.mktemp("big") / "newstrace.db"
    db = store.open_db(str(path))
    rows = [{"id": i, "url": f"https://big.example/{i}", "canonical_url": f"https://big.example/{i}",
             "title": f"Report {i}", "text": f"Lithium shipments number {i} left port {i % 97} with cargo {i % 13}."}
            for i in range(1, 60_001)]
    with db.conn:
        db.conn.executemany("INSERT INTO articles (id, url, canonical_url, title, text) VALUES (?, ?, ?, ?, ?)",
                            [(r["id"], r["url"], r["canonical_url"], r["title"], r["text"]) for r in rows])
        store.fts_insert(db, "articles", rows)
    db.conn.close()
    return path


def test_a_search_stopped_by_the_time_limit_is_a_400(big_archive):
    with serve_datasette(big_archive, "--setting", "sql_time_limit_ms", "5") as url:
        response = httpx.get(url + "/newstrace/-/search.json", params={"q": "lithium cargo"}, timeout=60)
        assert response.status_code == 400, response.text[:300]
        assert "sql_time_limit_ms" in response.text
        html = httpx.get(url + "/newstrace/-/search", params={"q": "lithium cargo"}, timeout=60)
        assert html.status_code == 400 and "took longer" in html.text



@pytest.mark.asyncio
async def test_a_tiny_time_limit_does_not_interrupt_recognising_an_archive(tmp_path):
    """Recognising an archive reads its schema (at startup, and on a database attached later): the plugin's
    own bookkeeping, which a user's sql_time_limit_ms must not interrupt (CI once saw the server die at
    startup with a 5 ms limit). Extra tables make that read outlast 1 ms: a thousand did on one machine, not on a
    faster one, so the schema grows until a user's query of it is interrupted. In-process, since Datasette
    1.0a41's own startup schema refresh is itself interrupted by such a limit on such a file."""
    path = tmp_path / "newstrace.db"
    store.open_db(str(path)).conn.close()
    made = 0
    for tables in (1000, 4000, 16000, 64000):
        conn = sqlite3.connect(path)
        with conn:
            for i in range(made, tables):
                conn.execute(f"CREATE TABLE notes_{i} (id INTEGER PRIMARY KEY, note TEXT)")
        conn.close()
        made = tables
        datasette = Datasette([str(path)], settings={"sql_time_limit_ms": 1})
        served = datasette.get_database("newstrace")
        try:  # what a user's query of the same schema gets: the limit bites
            await served.execute(archive.SCHEMA_SQL.format(tables="?"), ["articles"])
        except QueryInterrupted:
            break
    else:
        pytest.fail(f"a schema of {made} extra tables was read within 1 ms: the limit never bit")
    assert await archive.archive_kind(datasette, served) == "archive"
