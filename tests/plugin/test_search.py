"""Search in English and Chinese: the articles table page (HTML, .json, .csv) and the ranked search page."""
import csv
import io
import re
import sqlite3

import httpx
import pytest

from tests.conftest import EXTRAS, facet_results


def ids_where(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return sorted(r[0] for r in conn.execute(sql, params))


def containing(db_path, query):
    "Articles holding every word of `query`: CJK words anywhere, English words with their inflections."
    patterns = [re.compile(re.escape(w) if re.search(r"[\u4e00-\u9fff]", w) else rf"\b{re.escape(w)}(s|es|ed)?\b",
                           re.IGNORECASE) for w in query.split()]
    with sqlite3.connect(db_path) as conn:
        return sorted(i for i, t in conn.execute("SELECT id, title || ' ' || text FROM articles")
                      if all(p.search(t) for p in patterns))


@pytest.mark.parametrize("term", ["稀土", "中国", "关键矿产", "rare earth", "price floors"])
def test_table_search_filters_rows_in_json(datasette_url, sample_db, term):
    expected = containing(sample_db, term)
    total = ids_where(sample_db, "SELECT id FROM articles")
    assert expected and len(expected) < len(total), "the corpus must have pages with and without the term"
    r = httpx.get(f"{datasette_url}/newstrace/articles.json",
                  params={"_search": term, "_shape": "array", "_col": "id", "_size": "max"})
    assert r.status_code == 200
    assert sorted(row["id"] for row in r.json()) == expected


def test_table_search_in_csv_and_html(datasette_url, sample_db):
    expected = containing(sample_db, "稀土")
    r = httpx.get(f"{datasette_url}/newstrace/articles.csv", params={"_search": "稀土", "_size": "max"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(int(row["id"]) for row in rows) == expected
    page = httpx.get(f"{datasette_url}/newstrace/articles", params={"_search": "稀土"})
    assert page.status_code == 200
    assert f"{len(expected)} row" in page.text


def test_chinese_search_finds_the_chinese_pages(datasette_url, sample_db):
    zh = ids_where(sample_db, "SELECT id FROM articles WHERE language = 'zh' AND text LIKE '%中国%'")
    r = httpx.get(f"{datasette_url}/newstrace/articles.json",
                  params={"_search": "中国", "_shape": "array", "_col": "language", "_size": "max"})
    found = r.json()
    assert zh and set(zh) <= {row["id"] for row in found}


def test_ranked_search_page(datasette_url, sample_db):
    r = httpx.get(f"{datasette_url}/newstrace/-/search.json", params={"q": "rare earth"})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == len(data["rows"]) > 0
    ranks = [row["rank"] for row in data["rows"]]
    assert ranks == sorted(ranks), "best (lowest bm25) first"
    assert all("<mark>" in row["snippet"] for row in data["rows"])
    html = httpx.get(f"{datasette_url}/newstrace/-/search", params={"q": "稀土"})
    assert html.status_code == 200 and "<mark>稀土</mark>" in html.text


def test_ranked_search_filters_and_csv(datasette_url, sample_db):
    all_rows = httpx.get(f"{datasette_url}/newstrace/-/search.json", params={"q": "中国"}).json()["rows"]
    zh_only = httpx.get(f"{datasette_url}/newstrace/-/search.json", params={"q": "中国", "language": "zh"}).json()
    assert zh_only["rows"] and all(row["language"] == "zh" for row in zh_only["rows"])
    assert len(zh_only["rows"]) <= len(all_rows)
    site = all_rows[0]["sitename"]
    by_site = httpx.get(f"{datasette_url}/newstrace/-/search.json", params={"q": "中国", "site": site}).json()
    assert by_site["rows"] and {row["sitename"] for row in by_site["rows"]} == {site}
    month = httpx.get(f"{datasette_url}/newstrace/-/search.json", params={"q": "中国", "month": "1999-01"}).json()
    assert month["rows"] == [] and month["total"] == 0
    r = httpx.get(f"{datasette_url}/newstrace/-/search.csv", params={"q": "rare earth", "_dl": "1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0].startswith("id,title,url")


def test_search_input_is_escaped(datasette_url):
    r = httpx.get(f"{datasette_url}/newstrace/-/search", params={"q": '<script>alert("x")</script>'})
    assert r.status_code == 200
    assert '<script>alert("x")</script>' not in r.text


def test_plugin_is_listed(datasette_url):
    plugins = httpx.get(f"{datasette_url}/-/plugins.json").json()
    assert "newstrace" in {p["name"] for p in plugins}


def test_default_facets_of_the_articles_table(datasette_url, sample_db):
    data = httpx.get(f"{datasette_url}/newstrace/articles.json?{EXTRAS}&_search=稀土").json()
    facets = facet_results(data)
    assert {"sitename", "language", "published_month", "author", "published", "countries"} <= set(facets)
    assert not any(f.get("truncated") is None and f.get("timed_out") for f in facets.values())
    assert data.get("facets_timed_out", []) == []
    with sqlite3.connect(sample_db) as conn:
        expected = dict(conn.execute(
            "SELECT c.country, COUNT(*) FROM article_countries c JOIN articles a ON a.id = c.article_id "
            "WHERE a.title || a.text LIKE '%稀土%' GROUP BY c.country").fetchall())
    counted = {r["value"]: r["count"] for r in facets["countries"]["results"]}
    assert counted == {k: v for k, v in expected.items() if k in counted} and counted
