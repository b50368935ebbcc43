"""Feeds and sitemaps as the real web writes them, read politely (issue 15, items 6 and 11).

Every list is served by the sample server; none of its text is third-party."""
import sqlite3

import pytest

from newstrace.ingest.acquire import FetchError, feed_entries, sitemap_entries
from newstrace.ingest.sample import sample_pages, serve_sample

from tests.conftest import run_cli

UNDATED = "/undated/harbor-notes.html"
FEEDS = [p for p in sample_pages() if p["id"].startswith("feed-")]


@pytest.fixture(scope="module")
def server():
    with serve_sample() as server:
        yield server


def fetch_body(server, path):
    import httpx

    response = httpx.get(server.url(path))
    return response.content, response.headers.get("content-type")


def ingest(db, *args):
    return run_cli("ingest", db, "--allow-private", "--delay", "0", "--quiet", *args)


def log(db, sql="SELECT source, outcome, error_class, message, url FROM fetch_log ORDER BY id"):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


@pytest.mark.parametrize("feed", FEEDS, ids=lambda p: p["id"])
def test_real_world_feed_variants_give_their_items_with_dates(server, feed):
    "Unescaped '&', HTML entities, a BOM and blank lines, JSON Feed, Atom and RDF: 2 of 6 were read before."
    body, content_type = fetch_body(server, feed["path"])
    entries, refused = feed_entries(body, server.url(feed["path"]), content_type)
    assert refused == []
    by_path = {link.replace(server.base_url, "").split("?")[0]: date for link, date in entries}
    expected = {p["path"] for p in sample_pages() if p["id"] in feed["lists"]}
    assert set(by_path) == expected
    assert by_path[UNDATED].startswith("2026-02-07")


def test_a_malformed_feed_still_fails_with_its_cause(server):
    body, content_type = fetch_body(server, "/fail/malformed-feed.xml")
    with pytest.raises(FetchError) as caught:
        feed_entries(body, server.url("/fail/malformed-feed.xml"), content_type)
    assert caught.value.error_class == "FeedError" and "XML" in caught.value.message
    with pytest.raises(FetchError, match="Not an RSS, Atom or JSON feed"):
        feed_entries(b"<html><body><p>A page, not a feed.</p></body></html>", server.base_url)
    with pytest.raises(FetchError, match="not a JSON Feed"):
        feed_entries(b'{"items": "none"}', server.base_url)


def test_external_entities_in_a_feed_are_not_resolved(server):
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]><rss version="2.0">'
            b"<channel><item><title>&e;</title><link>http://a.example/story</link></item></channel></rss>")
    entries, _ = feed_entries(body, server.base_url)
    assert entries == [("http://a.example/story", None)]


@pytest.mark.parametrize("path", ["/sitemap.txt", "/sitemap.xml.gz", "/feeds/sitemap-dated.xml"])
def test_text_gzip_and_dated_sitemaps(server, path):
    body, _ = fetch_body(server, path)
    pages, nested, refused = sitemap_entries(body, server.url(path))
    assert nested == [] and refused == [] and pages
    entry = next(p for p in sample_pages() if p["path"] == path.replace(".gz", ""))
    assert {link.replace(server.base_url, "") for link, _ in pages} == {
        p["path"] for p in sample_pages() if p["id"] in entry["lists"]}
    if path == "/feeds/sitemap-dated.xml":
        assert dict(pages)[server.url(UNDATED)] == "2026-02-07T08:30:00+00:00"


def test_the_listed_date_dates_a_page_that_has_none_and_survives_reextract(tmp_path, server):
    db = tmp_path / "newstrace.db"
    result = ingest(db, "--feed", server.url("/feeds/bom.xml"), "--sitemap", server.url("/sitemap.txt"))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        query = "SELECT url, published, published_month FROM articles ORDER BY url"
        dated = dict((url, (p, m)) for url, p, m in conn.execute(query))
    assert dated[server.url(UNDATED)] == ("2026-02-07T08:30:00+00:00", "2026-02")
    # a page's own date wins over the feed's
    assert dated[server.url("/meridian/vance-price-floors.html")][0].startswith("2026-02-04")
    assert run_cli("reextract", db, "--quiet").returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT published FROM articles WHERE url = ?", [server.url(UNDATED)]).fetchone() == (
            "2026-02-07T08:30:00+00:00",)


def test_a_self_listing_sitemap_index_is_read_a_bounded_number_of_times(tmp_path, server):
    "20 variants of itself, three levels deep: 8,421 fetches before; now each sitemap once, and a cap."
    db = tmp_path / "newstrace.db"
    before = len(server.requests)
    result = ingest(db, "--sitemap", server.url("/fail/sitemap-fanout.xml"), "--sitemap",
                    server.url("/fail/sitemap-fanout.xml"), "--max-sitemaps", "25")
    requests = server.requests[before:]
    assert result.returncode == 2, result.stderr
    assert sum("/fail/sitemap-fanout.xml" in p for p in requests) == 24  # and /sitemap.txt once: 25 in all
    assert sum(p == "/sitemap.txt" for p in requests) == 1
    [limit] = [r for r in log(db) if r["outcome"] == "failed"]
    assert limit["error_class"] == "SitemapLimit" and "--max-sitemaps" in limit["message"]
    assert {r["url"].replace(server.base_url, "") for r in log(db) if r["outcome"] == "new"} == {
        "/meridian/vance-price-floors.html", UNDATED}


def test_delay_spaces_sitemap_and_robots_requests_too(tmp_path, server):
    db = tmp_path / "newstrace.db"
    start = len(server.requests)
    result = run_cli("ingest", db, "--allow-private", "--quiet", "--delay", "0.4", "--max-sitemaps", "4",
                     "--sitemap", server.url("/fail/sitemap-fanout.xml?n=2"))
    assert result.returncode in (0, 2), result.stderr
    times = server.request_times[start:]
    paths = server.requests[start:]
    assert paths[0] == "/robots.txt" and any("sitemap-fanout" in p for p in paths[1:])
    gaps = [b - a for a, b in zip(times, times[1:])]
    # robots.txt, four sitemaps and the two pages they list, each 0.4 s after the one before
    assert len(gaps) == 6 and min(gaps) >= 0.35, list(zip(paths, gaps))


def test_robots_txt_is_respected_unless_ignored(tmp_path, server):
    db = tmp_path / "newstrace.db"
    page = server.url("/private/draft-notes.html")
    result = ingest(db, page, server.url("/meridian/vance-price-floors.html"))
    assert result.returncode == 2
    [refused] = [r for r in log(db) if r["outcome"] == "failed"]
    assert refused["error_class"] == "RobotsDisallowed" and "--ignore-robots" in refused["message"]
    assert "/private/draft-notes.html" not in server.requests
    result = ingest(db, page, "--ignore-robots")
    assert result.returncode == 0, result.stderr
    assert log(db)[-1]["outcome"] == "new"


@pytest.mark.parametrize("status", [503, 429])
def test_an_unreadable_robots_txt_stops_its_site(tmp_path, status):
    "RFC 9309: a robots.txt answering 5xx (or 429) means the whole site is disallowed, with that cause."
    db = tmp_path / "newstrace.db"
    page = "/meridian/vance-price-floors.html"
    with serve_sample(extra_pages={"/robots.txt": ("busy", "text/plain", status)}) as server:
        result = ingest(db, server.url(page), server.url("/capitolwire/rare-earth-figures-confirmed.html"))
        requests = list(server.requests)
        # --ignore-robots neither reads it nor stops at it
        ignored = ingest(tmp_path / "ignored.db", server.url(page), "--ignore-robots")
        assert ignored.returncode == 0, ignored.stderr
        assert server.requests[len(requests):] == [page]
    assert result.returncode == 2, result.stderr
    assert requests == ["/robots.txt"]  # read once for the site; no page of it fetched
    failed = log(db, "SELECT error_class, message, http_status FROM fetch_log WHERE outcome = 'failed'")
    assert len(failed) == 2
    for row in failed:
        assert row["error_class"] == "HTTPError"
        assert "Could not read the robots.txt" in row["message"] and "--ignore-robots" in row["message"]
        assert row["http_status"] == status


@pytest.mark.parametrize("robots", [("", "text/plain", 404), ("", "text/plain", 200), ("gone", "text/plain", 410)])
def test_a_missing_or_empty_robots_txt_allows_everything(tmp_path, robots):
    db = tmp_path / "newstrace.db"
    with serve_sample(extra_pages={"/robots.txt": robots}) as server:
        result = ingest(db, server.url("/meridian/vance-price-floors.html"))
        assert result.returncode == 0, result.stderr
        assert server.requests == ["/robots.txt", "/meridian/vance-price-floors.html"]
