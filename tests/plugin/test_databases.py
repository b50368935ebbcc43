"""Several databases served together: the plugin acts on newstrace archives only. Another database keeps
Datasette's own cells and search (compared with a server running Datasette without the plugin), our routes
answer 404 there, and each of two archives served together gets its pages."""
import json
import re
import shutil
import sqlite3

import httpx
import pytest
import sqlite_utils

from tests.conftest import serve_datasette
from tests.plugin.routes import examples



@pytest.fixture(scope="module")
def other_db(tmp_path_factory):
    """A plain database whose tables happen to share names and columns with an archive's, with a Chinese
    full-text index built the usual way (sqlite-utils, unicode61: a run of Chinese characters is one token)."""
    path = tmp_path_factory.mktemp("other") / "other.db"
    db = sqlite_utils.Database(path)
    db["docs"].insert_all([
        {"id": 1, "body": "中国稀土产业 发展报告"},
        {"id": 2, "body": "稀土 出口 管制"},
        {"id": 3, "body": "rare earth processing"},
    ], pk="id")
    db["docs"].enable_fts(["body"], create_triggers=True)
    db["claims"].insert_all([{"id": 1, "claim_text": "a claim of another project"}], pk="id")
    db["claim_mentions"].insert_all([{"id": 1, "claim_id": 1, "sentence": "not ours"}], pk="id")
    db["participation"].insert_all([{"id": 1, "country": "US", "initiative_id": "forge"}], pk="id")
    db["countries"].insert_all([{"code": "US", "name": "somewhere else"}], pk="code")
    return path


@pytest.fixture(scope="module")
def archives(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two")
    a, b = folder / "alpha.db", folder / "beta.db"
    shutil.copy(sample_db, a)
    shutil.copy(sample_db, b)
    return a, b


@pytest.fixture(scope="module")
def together(archives, other_db):
    "A real `datasette serve alpha.db beta.db other.db` with the plugin."
    with serve_datasette([*archives, other_db]) as url:
        yield url


@pytest.fixture(scope="module")
def plain(other_db):
    "The same other.db served by Datasette without the plugin."
    with serve_datasette(other_db, plugin=False) as url:
        yield url


def test_our_routes_are_404_on_other_databases(together, sample_db):
    "Every route the plugin registers under a database, in every format (tests/plugin/routes.py)."
    pages = [e for e in examples(sample_db, database="{db}") if e.database]
    assert len(pages) >= 30
    with httpx.Client(base_url=together, timeout=60) as client:
        for e in pages:
            r = client.get(e.url.format(db="other"))
            assert r.status_code == 404, (e.url, r.text[:200])
            # the archives answer the same routes
            assert client.get(e.url.format(db="alpha")).status_code == 200, e.url


def rows_table(html):
    "The rows of a Datasette table page (what render_cell decides)."
    match = re.search(r'<table class="rows-and-columns">.*?</table>', html, re.S)
    assert match, html[:500]
    return match.group(0)


@pytest.mark.parametrize("table", ["claims", "claim_mentions", "participation", "countries"])
def test_other_tables_render_as_datasette_renders_them(together, plain, table):
    ours = httpx.get(f"{together}/other/{table}")
    theirs = httpx.get(f"{plain}/other/{table}")
    assert ours.status_code == theirs.status_code == 200
    assert rows_table(ours.text) == rows_table(theirs.text)
    assert "/-/claims/" not in rows_table(ours.text) and "/-/countries/" not in rows_table(ours.text)


@pytest.mark.parametrize("query", ["中国稀土产业", "稀土", "rare earth"])
def test_other_databases_search_as_plain_datasette(together, plain, query):
    params = {"_search": query, "_shape": "array", "_col": "body"}
    ours = httpx.get(f"{together}/other/docs.json", params=params)
    theirs = httpx.get(f"{plain}/other/docs.json", params=params)
    assert ours.status_code == theirs.status_code == 200
    assert ours.json() == theirs.json()
    assert ours.json(), "each query finds a row in plain Datasette"
    # and in the archive, where the spaced-CJK index finds Chinese words of any length
    found = httpx.get(f"{together}/alpha/articles.json", params={"_search": "稀土", "_shape": "array"}).json()
    assert found


def test_facets_act_only_on_archives(together, plain):
    ours = httpx.get(f"{together}/other/docs.json", params={"_facet_counts": "body", "_extra": "facet_results"})
    theirs = httpx.get(f"{plain}/other/docs.json", params={"_facet_counts": "body", "_extra": "facet_results"})
    assert ours.json().get("facet_results") == theirs.json().get("facet_results")
    archive = httpx.get(f"{together}/alpha/articles.json", params={"_facet_counts": "hostname",
                                                                   "_extra": "facet_results"}).json()
    facets = archive["facet_results"]
    facets = facets["results"] if "timed_out" in facets and isinstance(facets.get("results"), dict) else facets
    assert facets["hostname"]["results"]


def test_two_archives_each_get_their_pages(together, archives):
    with sqlite3.connect(archives[0]) as conn:
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    for name in ("alpha", "beta"):
        data = httpx.get(f"{together}/{name}/-/claims.json", params={"_size": "max"}).json()
        assert data["database"] == name and data["total"] == claims
        assert all(row["url"].startswith(f"{together}/{name}/-/claims/") for row in data["rows"])
    index = httpx.get(together + "/").text
    assert 'href="/alpha"' in index and 'href="/beta"' in index
    # the menu reaches each archive's pages, and no page of the other database
    for name in ("alpha", "beta"):
        for page in ("search", "claims", "countries", "initiatives"):
            assert f'href="/{name}/-/{page}"' in index
    assert "/other/-/" not in index


def test_hidden_bookkeeping_tables(together):
    from newstrace.ingest.store.schema import HIDDEN_TABLES

    page = httpx.get(f"{together}/alpha.json").json()
    shown = {t["name"] for t in page["tables"] if not t["hidden"]}
    assert "articles" in shown and "claims" in shown
    assert not shown & set(HIDDEN_TABLES), shown & set(HIDDEN_TABLES)
    # another database's tables are never hidden by the plugin
    other = httpx.get(f"{together}/other.json").json()
    assert {"claims", "docs"} <= {t["name"] for t in other["tables"] if not t["hidden"]}


async def test_metadata_facet_size_holds_on_both_versions(sample_db):
    "metadata.json's facet_size for a table (10 for articles) holds on Datasette 1.0 too (compat.move_facet_sizes)."
    from datasette.app import Datasette

    from tests.conftest import EXTRAS, METADATA, facet_results

    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    size = metadata["databases"]["newstrace"]["tables"]["articles"]["facet_size"]
    ds = Datasette([str(sample_db)], metadata=metadata)
    results = facet_results((await ds.client.get("/newstrace/articles.json?" + EXTRAS)).json())
    assert results and all(len(f["results"]) <= size for f in results.values())
    assert any(f["truncated"] for f in results.values()), "no facet has more values than the size: no test"
