"""An archive the pages cannot trust as it is: summary tables emptied or missing articles (the pages count from
the rows, say so and name the command), an archive from before discovered initiatives (the initiative pages
answer 503 naming the command, never 500); `newstrace optimize` brings both up to date. Real archives (the
country tests' articles through write_derived), one real `datasette serve` over HTTP."""
import re
import shutil
import sqlite3

import httpx
import pytest

from tests.conftest import METADATA, run_cli, serve_datasette
from tests.plugin.test_countries import build_archive

SUMMARIES = ("summary_articles", "country_month_counts", "country_surface_counts", "initiative_month_counts",
             "initiative_country_counts")
# the columns and tables issue 10 added (an archive written before it has none of them)
ISSUE_10_COLUMNS = ("source", "first_seen", "last_seen", "series", "year", "place", "parent", "parties", "members",
                    "members_as_of", "members_source", "articles")
PAGES = ("/-/countries.json", "/-/countries/PE.json", "/-/countries/PE.json?from=2026-01&to=2026-02",
         "/-/initiatives.json", "/-/initiatives.json?language=en", "/-/initiatives/andean-lithium-forum.json",
         "/-/initiatives/pacific-battery-partnership.json?from=2026", "/-/overview.json")
NOTICE = re.compile(r'<p class="newstrace-notice"[^>]*>(.*?)</p>', re.S)


def comparable(data):
    "A page's JSON without what differs between two databases serving the same rows (names, URLs, state)."
    if isinstance(data, dict):
        return {k: comparable(v) for k, v in data.items()
                if k not in ("database", "summaries", "url", "next_url", "first_seen", "last_seen")}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readiness")
    current = build_archive(folder / "current.db")
    paths = {"current": current}
    for name in ("emptied", "stale", "pre10"):
        paths[name] = folder / f"{name}.db"
        shutil.copy(current, paths[name])
    conn = sqlite3.connect(paths["emptied"])
    with conn:  # what the 1M bench archive had: the tables there, every one empty
        for table in SUMMARIES:
            conn.execute(f"DELETE FROM {table}")
    conn.close()
    conn = sqlite3.connect(paths["stale"])
    with conn:  # an article written without write_derived (a bulk loader, a user's own INSERT)
        conn.execute("INSERT INTO articles (id, url, canonical_url, title, published, published_month, language, "
                     "text) VALUES (5, 'https://news.example/5', 'https://news.example/5', 'Bulk', '2026-04-01', "
                     "'2026-04', 'en', 'Peru again.')")
        conn.execute("INSERT INTO article_countries (article_id, country) VALUES (5, 'PE')")
    conn.close()
    conn = sqlite3.connect(paths["pre10"])
    with conn:  # the schema before issue 10: no discovered-initiative tables or columns
        for (index,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                                     "'initiatives' AND sql IS NOT NULL").fetchall():
            conn.execute(f"DROP INDEX {index}")  # (every index of the table came with or after issue 10)
        conn.execute("DROP TABLE initiative_mentions")
        conn.execute("DROP TABLE initiative_redirects")
        for column in ISSUE_10_COLUMNS:
            conn.execute(f"ALTER TABLE initiatives DROP COLUMN {column}")
    conn.close()
    return paths


@pytest.fixture(scope="module")
def server(archives):
    with serve_datasette([archives[n] for n in ("current", "emptied", "stale", "pre10")], "-m", METADATA) as url:
        yield url


def get(url, status=200):
    r = httpx.get(url, timeout=60)
    assert r.status_code == status, (url, r.status_code, r.text[:400])
    return r


def test_current_summaries_are_read_without_a_notice(server):
    for page in PAGES:
        data = get(f"{server}/current{page}").json()
        assert data["summaries"]["current"] is True and data["summaries"]["message"] is None, page
    assert not NOTICE.search(get(f"{server}/current/-/countries/PE").text)


def test_emptied_summaries_are_counted_from_the_rows_and_said(server):
    for page in PAGES:
        data = get(f"{server}/emptied{page}").json()
        assert data["summaries"]["current"] is False, page
        assert data["summaries"]["counted_up_to"] is None and data["summaries"]["newest_article"] == 4
        assert "newstrace optimize emptied.db" in data["summaries"]["message"]
        # the same figures the summaries give, from the rows
        assert comparable(data) == comparable(get(f"{server}/current{page}").json()), page
    country = get(f"{server}/emptied/-/countries/PE.json").json()
    assert [(m["month"], m["articles"], m["mentions"]) for m in country["months"]] == [("2026-01", 1, 2)]
    initiative = get(f"{server}/emptied/-/initiatives/andean-lithium-forum.json").json()
    assert {(t["country"], t["role"]) for t in initiative["timeline"]} == {("PE", "host"), ("CL", "member"),
                                                                           ("AU", "member"), ("CN", "target")}
    listed = {r["id"]: r["articles"] for r in get(f"{server}/emptied/-/initiatives.json").json()["rows"]}
    assert listed == {"andean-lithium-forum": 2, "pacific-battery-partnership": 2, "quiet-accord": 0}
    for page in ("/-/countries/PE", "/-/countries", "/-/initiatives", "/-/initiatives/andean-lithium-forum",
                 "/-/overview", ""):
        notice = NOTICE.search(get(f"{server}/emptied{page}").text)
        assert notice and "<code>newstrace optimize emptied.db</code>" in notice.group(1), page
    zh = NOTICE.search(get(f"{server}/emptied/-/countries/PE?_lang=zh").text).group(1)
    assert "汇总表" in zh


def test_an_article_the_summaries_do_not_count_makes_them_stale(server):
    data = get(f"{server}/stale/-/countries/PE.json").json()
    assert data["summaries"]["current"] is False
    assert (data["summaries"]["counted_up_to"], data["summaries"]["newest_article"]) == (4, 5)
    assert "up to id 4 of 5" in data["summaries"]["message"]
    # counted from the rows: the article the summaries miss is there
    assert ("2026-04", 1) in [(m["month"], m["articles"]) for m in data["months"]]


def test_an_archive_from_before_discovered_initiatives_gets_503_naming_the_command(server):
    for page in ("/-/initiatives", "/-/initiatives.json", "/-/initiatives/andean-lithium-forum",
                 "/-/initiatives/andean-lithium-forum.json", "/-/initiatives/andean-lithium-forum.geojson",
                 "/-/initiatives.csv"):
        r = get(f"{server}/pre10{page}", status=503)
        assert "newstrace optimize pre10.db" in r.text, page
    error = get(f"{server}/pre10/-/initiatives.json", status=503).json()
    assert error["ok"] is False and error["command"] == "newstrace optimize pre10.db"
    assert error["missing_tables"] == ["initiative_mentions", "initiative_redirects"]
    assert "initiatives.source" in error["missing_columns"] and "initiatives.articles" in error["missing_columns"]
    assert "older newstrace" in error["error"]
    page = get(f"{server}/pre10/-/initiatives", status=503).text
    assert "This archive needs upgrading" in page and "Traceback" not in page
    # the pages that read nothing issue 10 added keep working
    for page in ("/-/countries", "/-/countries/PE.json", "/-/overview", ""):
        get(f"{server}/pre10{page}")


def test_newstrace_optimize_brings_both_up_to_date(server, archives):
    for name in ("emptied", "stale", "pre10"):
        result = run_cli("optimize", archives[name])
        assert result.returncode == 0, result.stderr
        assert "Building the summary tables of" in result.stderr, name
        conn = sqlite3.connect(archives[name])
        state = dict(conn.execute("SELECT name, value FROM summary_state"))
        assert state["version"] == 1 and re.match(r"\d{4}-\d\d-\d\dT", state["built"])
        conn.close()
    for page in PAGES:
        for name in ("emptied", "pre10"):
            data = get(f"{server}/{name}{page}").json()
            assert data["summaries"]["current"] is True, (name, page)
            # (the command also loaded the shipped catalogue, which the lists and the overview show)
            if "/-/initiatives.json" not in page and "overview" not in page:
                assert comparable(data) == comparable(get(f"{server}/current{page}").json()), (name, page)
    months = get(f"{server}/stale/-/countries/PE.json").json()["months"]
    assert ("2026-04", 1) in [(m["month"], m["articles"]) for m in months]
    assert get(f"{server}/stale/-/countries/PE.json").json()["summaries"]["current"] is True
    # once built, another command does not count them again
    assert "Building the summary tables" not in run_cli("optimize", archives["emptied"]).stderr
