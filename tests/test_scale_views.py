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

ROOT = Path(__file__).resolve().parents[1]
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
    from newstrace.plugin import claim_views

    # the same code paths as 50 per page / aggregates past 200, on a 400-article archive
    monkeypatch.setattr(claim_views, "EVIDENCE_PAGE", 5)
    monkeypatch.setattr(claim_views, "DETAIL_LIMIT", 8)
    return claim_views


def datasette(path):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    return Datasette([str(path)], metadata=metadata, settings={"suggest_facets": False})


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
    assert r.headers["link"].startswith(f"</newstrace/-/claims/{top}.csv?page=3>")
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
    data = (await ds.client.get(f"/newstrace/articles.json?_facet_size=300&{facet}")).json()
    assert "timed out" not in (await ds.client.get(f"/newstrace/articles?{facet}")).text
    countries = {r["value"]: r["count"] for r in data["facet_results"]["countries"]["results"]}
    expected = dict(conn.execute("SELECT j.value, COUNT(*) FROM articles, json_each(articles.countries) j "
                                 "GROUP BY j.value").fetchall())
    assert countries == expected and data["facet_results"]["countries"]["type"] == "json_values"
    # filtered by a search: counted through the link table for the matching articles only
    data = (await ds.client.get(f"/newstrace/articles.json?_search=stockpile&_facet_size=300&{facet}")).json()
    countries = {r["value"]: r["count"] for r in data["facet_results"]["countries"]["results"]}
    from newstrace.ingest.cjk import fts_query

    expected = dict(conn.execute(
        "SELECT j.value, COUNT(*) FROM articles, json_each(articles.countries) j WHERE articles.id IN "
        "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) GROUP BY j.value", [fts_query("stockpile")]))
    assert countries == expected and sum(countries.values()) > 0
    # choosing a value filters the table with Datasette's arraycontains, and the facet follows
    pick = max(countries, key=countries.get)
    toggle = next(r for r in data["facet_results"]["countries"]["results"] if r["value"] == pick)["toggle_url"]
    assert f"countries__arraycontains={pick}" in toggle
    # claims.languages: json_each over the column alone
    data = (await ds.client.get("/newstrace/claims.json")).json()
    langs = {r["value"]: r["count"] for r in data["facet_results"]["languages"]["results"]}
    expected = dict(conn.execute("SELECT j.value, COUNT(*) FROM claims, json_each(claims.languages) j "
                                 "GROUP BY j.value").fetchall())
    assert langs == expected
    conn.close()
