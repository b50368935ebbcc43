"""What keeps the views usable on a large archive, on a real Datasette over a synthetic archive (bench/):
the claim page's evidence is paged the same way in HTML, .json and .csv, a claim with many mentions gets
its timeline and chain from aggregates, and the json_values facet counts what the stock array facet counts."""
import csv
import io
import json
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from tests.conftest import EXTRAS, facet_results, filtered_count

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    import make_archive

    path = tmp_path_factory.mktemp("scale") / "newstrace.db"
    make_archive.build(path, 400, seed=4, claims="synthetic", progress=False)
    conn = sqlite3.connect(path)
    top, n = conn.execute("SELECT id, n_mentions FROM claims ORDER BY n_mentions DESC LIMIT 1").fetchone()
    ids = [r[0] for r in conn.execute("SELECT id FROM claim_mentions WHERE claim_id = ?", [top])]
    conn.close()
    assert n >= 12, "the Zipf claim pool should give one claim many mentions"
    return path, top, n, ids


@pytest.fixture
def small_pages(monkeypatch):
    from newstrace.plugin import claims as claim_views

    # the same code paths as 50 per page / aggregates past 200, on a 400-article archive
    monkeypatch.setattr(claim_views, "EVIDENCE_PAGE", 5)
    monkeypatch.setattr(claim_views, "DETAIL_LIMIT", 8)
    return claim_views


def datasette(path, **settings):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    # these tests check what the facets count, not how fast: Datasette's default 200 ms facet limit drops a facet
    # ("timed out") when a loaded machine deschedules the test process mid-statement (seen in full-suite runs)
    return Datasette([str(path)], metadata=metadata,
                     settings={"suggest_facets": False, "facet_time_limit_ms": 10000, **settings})


async def test_claim_evidence_is_paged_in_every_format(archive, small_pages):
    path, top, n, ids = archive
    ds = datasette(path)
    seen, page, pages = [], 1, None
    while True:
        r = await ds.client.get(f"/newstrace/-/claims/{top}.json?page={page}")
        data = r.json()
        assert data["mentions_total"] == n and data["page"] == page and data["complete"] is False
        pages = data["pages"]
        assert len(data["mentions"]) == (5 if page < pages else n - 5 * (pages - 1))
        seen += [m["id"] for m in data["mentions"]]
        if page < pages:
            assert data["next_url"].endswith(f".json?page={page + 1}")
            assert r.headers["link"] == f'<{data["next_url"]}>; rel="next"'
        else:
            assert data["next_url"] is None
        page += 1
        if page > pages:
            break
    assert sorted(seen) == sorted(ids)  # every mention once, across the pages
    assert pages == -(-n // 5)
    # the CSV of page 2 holds the same mentions as the JSON of page 2
    r = await ds.client.get(f"/newstrace/-/claims/{top}.csv?page=2")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == seen[5:10]
    assert r.headers["link"].startswith(f"<http://localhost/newstrace/-/claims/{top}.csv?page=3>")
    html = (await ds.client.get(f"/newstrace/-/claims/{top}?page=2")).text
    assert f"Mentions 6–10 of {n}" in html
    assert f'href="/newstrace/-/claims/{top}?page=3" rel="next"' in html
    assert f'href="/newstrace/-/claims/{top}?page=1" rel="prev"' in html
    assert html.count('class="newstrace-mention ') == 5


async def test_large_claim_timeline_and_chain_from_aggregates(archive, small_pages):
    path, top, n, _ = archive
    ds = datasette(path)
    html = (await ds.client.get(f"/newstrace/-/claims/{top}")).text
    counts = [int(c) for c in __import__("re").findall(r'class="newstrace-mark-group" data-count="(\d+)"', html)]
    # one mark per outlet lane and month, and together they account for every mention
    assert sum(counts) == n and max(counts) >= 1
    data = (await ds.client.get(f"/newstrace/-/claims/{top}.json")).json()
    # the chain's edges into outlets carry every mention (each mention ends at its article's outlet)
    assert data["chain"] and sum(e["n_mentions"] for e in data["chain"] if e["source_kind"] == "speaker") <= n
    ld = (await ds.client.get(f"/newstrace/-/claims/{top}.jsonld")).json()
    assert ld["@context"] == "https://schema.org"


async def test_small_claim_keeps_one_mark_per_mention(archive):
    path, _, _, _ = archive
    conn = sqlite3.connect(path)
    claim, n = conn.execute("SELECT id, n_mentions FROM claims WHERE n_mentions BETWEEN 2 AND 40 "
                            "ORDER BY n_mentions DESC LIMIT 1").fetchone()
    conn.close()
    html = (await datasette(path).client.get(f"/newstrace/-/claims/{claim}")).text
    assert html.count('data-mention="') >= 2 * n  # mark and evidence item per mention
    assert "newstrace-pager" not in html


async def test_json_values_facet_counts_like_the_data(archive):
    path, _, _, _ = archive
    ds = datasette(path)
    conn = sqlite3.connect(path)
    # countries is not a default facet of articles (README): asked for with the link table, as JSON
    facet = "_facet_json_values=" + quote(json.dumps({"column": "countries", "table": "article_countries",
                                                      "value": "country"}))
    data = (await ds.client.get(f"/newstrace/articles.json?{EXTRAS}&_facet_size=300&{facet}")).json()
    assert "timed out" not in (await ds.client.get(f"/newstrace/articles?{facet}")).text
    countries = {r["value"]: r["count"] for r in facet_results(data)["countries"]["results"]}
    expected = dict(conn.execute("SELECT j.value, COUNT(*) FROM articles, json_each(articles.countries) j "
                                 "GROUP BY j.value").fetchall())
    assert countries == expected and facet_results(data)["countries"]["type"] == "json_values"
    # filtered by a search: counted through the link table for the matching articles only
    data = (await ds.client.get(f"/newstrace/articles.json?_search=stockpile&_facet_size=300&{facet}")).json()
    countries = {r["value"]: r["count"] for r in facet_results(data)["countries"]["results"]}
    from newstrace.ingest.store.cjk import fts_query

    expected = dict(conn.execute(
        "SELECT j.value, COUNT(*) FROM articles, json_each(articles.countries) j WHERE articles.id IN "
        "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) GROUP BY j.value", [fts_query("stockpile")]))
    assert countries == expected and sum(countries.values()) > 0
    # choosing a value filters the table with Datasette's arraycontains, and the facet follows
    pick = max(countries, key=countries.get)
    toggle = next(r for r in facet_results(data)["countries"]["results"] if r["value"] == pick)["toggle_url"]
    assert f"countries__arraycontains={pick}" in toggle
    # claims.languages, a counts facet now: the same counts as json_each over every row
    data = (await ds.client.get(f"/newstrace/claims.json?{EXTRAS}")).json()
    langs = {r["value"]: r["count"] for r in facet_results(data)["languages"]["results"]}
    expected = dict(conn.execute("SELECT j.value, COUNT(*) FROM claims, json_each(claims.languages) j "
                                 "GROUP BY j.value").fetchall())
    assert langs == expected
    conn.close()


def _expected_counts(conn, where="", params=()):
    "What each default facet of articles should count, straight from the rows."
    exprs = {"sitename": "sitename", "language": "language", "published_month": "published_month",
             "author": "author", "published": "date(published)"}
    out = {}
    for name, expr in exprs.items():
        out[name] = dict(conn.execute(f"SELECT {expr}, COUNT(*) FROM articles WHERE {expr} IS NOT NULL {where} "
                                      f"GROUP BY 1", params).fetchall())
    out["countries"] = dict(conn.execute(f"SELECT j.value, COUNT(*) FROM articles, json_each(articles.countries) j "
                                         f"WHERE 1 {where} GROUP BY 1", params).fetchall())
    return out


async def test_counts_facets_count_what_the_rows_hold(archive):
    """The articles page's default facets ("counts": one statement for all of them, the summary table
    when unfiltered) give the counts and the filter links Datasette's own facets give."""
    from newstrace.ingest.store.cjk import fts_query

    path, _, _, _ = archive
    ds = datasette(path, trace_debug=True)
    conn = sqlite3.connect(path)
    search = " AND articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
    for query, where, params in [("", "", ()), ("_search=stockpile", search, (fts_query("stockpile"),)),
                                 ("_search=储备", search, (fts_query("储备"),)),
                                 ("language=zh", " AND language = 'zh'", ())]:
        r = await ds.client.get(f"/newstrace/articles.json?{EXTRAS}&_facet_size=max&_size=1&{query}")
        facets = facet_results(r.json())
        expected = _expected_counts(conn, where, params)
        assert set(facets) == set(expected)
        for name, values in expected.items():
            assert facets[name]["type"] == "counts"
            assert {v["value"]: v["count"] for v in facets[name]["results"]} == values, (query, name)
        assert sum(expected["countries"].values()) > 0 and len(expected["sitename"]) > 1
    # the unfiltered page reads the summary the triggers keep, not the rows
    whole = (await ds.client.get(f"/newstrace/articles.json?{EXTRAS}&_facet_size=3&_size=1&_trace=1")).json()
    traced = " ".join(q["sql"] for q in whole["_trace"]["traces"])
    assert "articles_facet_counts" in traced
    # a value's link filters like the stock facets (date facet: __date; countries: __arraycontains)
    results = facet_results(whole)
    assert "&published__date=" in results["published"]["results"][0]["toggle_url"]
    assert "countries__arraycontains=" in results["countries"]["results"][0]["toggle_url"]
    site = results["sitename"]["results"][0]
    picked = (await ds.client.get(site["toggle_url"].replace("http://localhost", "") + f"&_size=1&{EXTRAS}")).json()
    assert filtered_count(picked) == site["count"]
    assert [v["selected"] for v in facet_results(picked)["sitename"]["results"]] == [True]
    # the claims page's facets: the same facet type over claims_facet_counts, integers as integers
    claims = facet_results((await ds.client.get(f"/newstrace/claims.json?{EXTRAS}&_facet_size=max&_size=1")).json())
    for column in ("claim_type", "status", "status_conflict", "has_variants"):
        assert claims[column]["type"] == "counts"
        assert {v["value"]: v["count"] for v in claims[column]["results"]} == dict(conn.execute(
            f"SELECT {column}, COUNT(*) FROM claims WHERE {column} IS NOT NULL GROUP BY 1"))
    assert {v["value"]: v["count"] for v in claims["languages"]["results"]} == dict(conn.execute(
        "SELECT j.value, COUNT(*) FROM claims, json_each(claims.languages) j GROUP BY 1"))
    # asked for in the URL, for a column the summary does not hold
    hosts = (await ds.client.get(f"/newstrace/articles.json?{EXTRAS}&_facet_counts=hostname&_facet_size=max&_size=1")).json()
    assert {v["value"]: v["count"] for v in facet_results(hosts)["hostname"]["results"]} == dict(
        conn.execute("SELECT hostname, COUNT(*) FROM articles WHERE hostname IS NOT NULL GROUP BY 1"))
    conn.close()


def test_optimize_gives_the_planner_row_sizes(archive, tmp_path):
    "`newstrace optimize`: statistics plus each table's row size, and searches read the covering index."
    import shutil

    from click.testing import CliRunner

    from newstrace.ingest.cli import cli

    path = tmp_path / "copy.db"
    shutil.copy(archive[0], path)
    result = CliRunner().invoke(cli, ["optimize", str(path)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(path)
    stat = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles' AND idx IS NULL").fetchone()[0]
    rows, size = stat.split()
    assert int(rows) == conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    average = conn.execute("SELECT AVG(LENGTH(CAST(text AS BLOB))) FROM articles").fetchone()[0]
    assert size.startswith("sz=") and int(size[3:]) > average
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT language, COUNT(*) FROM articles WHERE id IN "
        "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'stockpile') GROUP BY language"))
    # the short columns come from an index, not from the rows holding the text
    assert "USING COVERING INDEX" in plan and "INTEGER PRIMARY KEY" not in plan
    # run again (after a further ingest), compacting: one size row per table, replaced; searches unchanged
    search = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
    from newstrace.ingest.store.cjk import fts_query

    found = [conn.execute(search, [fts_query(term)]).fetchall() for term in ("stockpile", "储备")]
    conn.close()
    result = CliRunner().invoke(cli, ["optimize", "--vacuum", str(path)])
    assert result.exit_code == 0 and "bytes" in result.output, result.output
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'articles' AND idx IS NULL").fetchone()[0] == 1
    assert [conn.execute(search, [fts_query(term)]).fetchall() for term in ("stockpile", "储备")] == found
    assert all(found) and conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
