"""Bad input gets a clear error and nothing is lost: every failure is a fetch_log row, the batch goes on."""
import sqlite3

import pytest

from newstrace.ingest.sample import sample_pages

from tests.conftest import run_cli

GOOD = "/meridian/vance-price-floors.html"


def log_rows(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM fetch_log ORDER BY id")]


def article_count(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def ingest(db, server, *paths, options=()):
    urls = [server.url(p) for p in paths]
    return run_cli("ingest", db, *urls, "--allow-private", "--delay", "0", "--quiet", *options)


@pytest.mark.parametrize(
    "path,stage,error_class,status,words",
    [
        ("/fail/404", "fetch", "HTTPError", 404, "HTTP 404"),
        ("/fail/410", "fetch", "HTTPError", 410, "HTTP 410"),
        ("/fail/500", "fetch", "HTTPError", 500, "HTTP 500"),
        ("/fail/redirect-loop", "fetch", "RedirectLoop", None, "Redirect loop"),
        ("/fail/document.pdf", "decode", "DecodeError", None, "PDF"),
        ("/fail/pdf-as-html.html", "decode", "DecodeError", None, "PDF"),
        ("/fail/data.json", "decode", "DecodeError", None, "JSON"),
        ("/fail/image.png", "decode", "DecodeError", None, "image"),
        ("/fail/empty", "extract", "EmptyExtraction", None, ""),
        ("/fail/boilerplate-only.html", "extract", "EmptyExtraction", None, ""),
    ],
)
def test_failure_is_logged_with_its_cause_and_the_batch_goes_on(tmp_path, sample_server, path, stage, error_class,
                                                                status, words):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, path, GOOD)
    assert result.returncode == 2, result.stderr
    assert article_count(db) == 1, "the good page in the same batch is archived"
    [failed] = [r for r in log_rows(db) if r["outcome"] == "failed"]
    assert failed["url"] == sample_server.url(path)
    assert (failed["stage"], failed["error_class"]) == (stage, error_class)
    if status:
        assert failed["http_status"] == status
    assert failed["message"] and failed["message"][0].isupper() and failed["message"].endswith(".")
    assert words.lower() in failed["message"].lower()
    assert failed["article_id"] is None


def test_connection_refused(tmp_path):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, "http://127.0.0.1:9/", "--allow-private", "--quiet")
    assert result.returncode == 2
    [failed] = log_rows(db)
    assert failed["error_class"] == "ConnectionError" and "refused" in failed["message"].lower()


def test_slow_server_times_out(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, "/fail/slow?seconds=5", options=("--timeout", "1"))
    assert result.returncode == 2
    [failed] = log_rows(db)
    assert failed["error_class"] == "Timeout" and "1 s" in failed["message"]


def test_trickling_server_is_cut_by_the_total_deadline(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, "/fail/slow?seconds=6&trickle=1", options=("--timeout", "1.5"))
    assert result.returncode == 2
    [failed] = log_rows(db)
    assert failed["error_class"] == "Timeout"


@pytest.mark.parametrize("declared", ["0", "1"])
def test_huge_body_stops_reading_at_max_bytes(tmp_path, sample_server, declared):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, f"/fail/huge?declared={declared}", options=("--max-bytes", "2000000"))
    assert result.returncode == 2
    [failed] = log_rows(db)
    assert failed["error_class"] == "TooLarge" and "2,000,000" in failed["message"]


def test_runaway_extraction_is_bounded(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, "/fail/runaway.html", GOOD, options=("--timeout", "1"))
    assert result.returncode == 2
    failed = [r for r in log_rows(db) if r["outcome"] == "failed"]
    assert [(r["stage"], r["error_class"]) for r in failed] == [("extract", "ExtractTimeout")]
    assert article_count(db) == 1


def test_malformed_feed(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, "--feed", sample_server.url("/fail/malformed-feed.xml"), "--allow-private",
                     "--quiet")
    assert result.returncode == 2
    [failed] = log_rows(db)
    assert (failed["source"], failed["error_class"]) == ("feed", "FeedError")
    assert "XML" in failed["message"]


@pytest.mark.parametrize("option,path", [("--feed", "/fail/bad-links-feed.xml"),
                                         ("--sitemap", "/fail/bad-links-sitemap.xml")])
def test_feed_and_sitemap_links_with_other_schemes_are_refused(tmp_path, sample_server, option, path):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, option, sample_server.url(path), "--allow-private", "--delay", "0", "--quiet")
    assert result.returncode == 2
    rows = log_rows(db)
    refused = [r for r in rows if r["outcome"] == "failed"]
    assert {r["url"].split(":", 1)[0] for r in refused} == {"file", "javascript", "data"}
    assert all(r["error_class"] == "UnsupportedScheme" for r in refused)
    assert [r["outcome"] for r in rows if r["outcome"] != "failed"] == ["new"], "the good link is still ingested"


@pytest.mark.parametrize("page", [p for p in sample_pages() if p.get("kind") == "tricky"], ids=lambda p: p["path"])
def test_hard_pages_still_give_an_article(tmp_path, sample_server, page):
    db = tmp_path / "newstrace.db"
    result = ingest(db, sample_server, page["path"])
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        text, = conn.execute("SELECT text FROM articles").fetchone()
    assert "\ufffd" not in text
    for snippet in page.get("must_contain", []):
        assert snippet in text
