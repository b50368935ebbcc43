"""A canonical URL pointing to another site is a claim, not a fact (issue 15, item 4).

The sample server answers on 127.0.0.1 and on localhost: two hosts, so two sites, on one loopback server."""
import sqlite3

import pytest

from newstrace.ingest.sample import serve_sample
from newstrace.ingest.store import site

from tests.conftest import run_cli

VICTIM = "/meridian/vance-price-floors.html"
VICTIM_CANONICAL = "https://meridianledger.example/politics/2026/02/04/vance-pitches-minerals-price-floors"


@pytest.fixture(scope="module")
def server():
    with serve_sample() as server:
        yield server


def other_host(server, path):
    return server.url(path).replace("127.0.0.1", "localhost")


def ingest(db, *urls):
    result = run_cli("ingest", db, *urls, "--allow-private", "--delay", "0", "--quiet")
    assert result.returncode == 0, result.stderr
    return result


def rows(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def test_a_page_on_another_site_never_replaces_the_article_it_names(tmp_path, server):
    db = tmp_path / "newstrace.db"
    ingest(db, server.url(VICTIM))
    [before] = rows(db, "SELECT id, title, text, version, canonical_url FROM articles")
    assert before["canonical_url"] == VICTIM_CANONICAL
    ingest(db, other_host(server, "/fail/hijack.html"))  # no --refetch: it must not even count as known
    articles = rows(db, "SELECT id, title, text, version, canonical_url, hostname FROM articles ORDER BY id")
    assert len(articles) == 2
    assert {k: articles[0][k] for k in before} == before, "the victim's title, text and version are untouched"
    assert rows(db, "SELECT COUNT(*) AS n FROM article_versions") == [{"n": 0}]
    copycat = articles[1]
    assert copycat["title"] == "Price floors are dead, says unnamed source"
    assert copycat["canonical_url"].startswith("http://localhost:") and copycat["hostname"] == "localhost"
    assert rows(db, "SELECT article_id, canonical_url, status, holder_id FROM canonical_claims WHERE status != "
                    "'identity'") == [{"article_id": copycat["id"], "canonical_url": VICTIM_CANONICAL,
                                       "status": "refused", "holder_id": before["id"]}]
    # re-running both changes nothing, and reextract keeps each where it is
    ingest(db, server.url(VICTIM), other_host(server, "/fail/hijack.html"))
    assert run_cli("reextract", db, "--quiet").returncode == 0
    assert rows(db, "SELECT id, title, version, canonical_url, hostname FROM articles ORDER BY id") == [
        {k: a[k] for k in ("id", "title", "version", "canonical_url", "hostname")} for a in articles]


def test_the_first_claimant_does_not_keep_the_real_page_out(tmp_path, server):
    "A page claiming a URL first, then the page fetched at that URL: the URL's own page takes it back."
    db = tmp_path / "newstrace.db"
    real = other_host(server, "/capitolwire/vance-trade-zone.html")
    claimant = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Mirror of a trade zone story</title>"
                f"<link rel='canonical' href='{real}'></head><body><article><h1>Mirror</h1><p>"
                + "A mirror site copies stories about the minerals trade zone and claims them as its own. " * 6
                + "</p></article></body></html>")
    with serve_sample(extra_pages={"/mirror/story.html": claimant}) as mirror:
        ingest(db, mirror.url("/mirror/story.html"))
        [first] = rows(db, "SELECT id, canonical_url FROM articles")
        assert first["canonical_url"] == real  # nothing contradicted the claim yet
        ingest(db, real)  # not skipped as known: the claim came from another site
    articles = rows(db, "SELECT id, url, canonical_url, title FROM articles ORDER BY id")
    assert len(articles) == 2
    assert articles[0]["canonical_url"] == mirror.url("/mirror/story.html")
    assert articles[1]["canonical_url"] == "https://capitolwire.example/2026/02/05/vance-urges-allies-into-minerals-trade-zone"
    assert articles[1]["url"] == real and articles[1]["title"] != "Mirror of a trade zone story"
    assert rows(db, "SELECT article_id, status FROM canonical_claims WHERE status = 'evicted'") == [
        {"article_id": articles[0]["id"], "status": "evicted"}]


def test_same_site_variants_still_share_one_article(tmp_path, server):
    "AMP, mobile and tracking-parameter copies of a page on its own site stay one article."
    assert site("https://amp.example.co.uk/a") == site("https://www.example.co.uk/b") == "example.co.uk"
    assert site("http://127.0.0.1:8000/a") == "127.0.0.1" != site("http://localhost:8000/a")
    assert site("file:///tmp/a.html") == ""
    db = tmp_path / "newstrace.db"
    ingest(db, server.url(VICTIM), server.url(VICTIM + "?utm_source=feed"))
    assert rows(db, "SELECT COUNT(*) AS n FROM articles") == [{"n": 1}]
