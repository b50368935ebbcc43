"""A killed ingest, a reader during an ingest, hostile page text, and re-extraction without network."""
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import httpx

from newstrace.ingest.sample import sample_urls, serve_sample

from tests.conftest import METADATA, ingest_sample, run_cli, serve_datasette


def query(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def assert_fts_consistent(db):
    # the index holds the spaced form of the text (cjk.py), so only its own structure is checked, and that
    # it holds one document per article
    assert query(db, "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')") == []
    assert query(db, "SELECT COUNT(*) FROM articles_fts_docsize")[0][0] == query(db, "SELECT COUNT(*) FROM articles")[0][0]


def test_kill_9_then_rerun_leaves_a_whole_archive(tmp_path):
    db = tmp_path / "newstrace.db"
    with serve_sample() as server:
        urls = sample_urls(server.base_url)
        # the slow page keeps the ingest busy so the kill lands mid-batch
        listing = "\n".join(urls[:8] + [server.url("/fail/slow?seconds=30")] + urls[8:]) + "\n"
        proc = subprocess.Popen(
            [sys.executable, "-m", "newstrace.ingest.cli", "ingest", str(db), "--urls", "-", "--allow-private",
             "--delay", "0", "--quiet", "--timeout", "60"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )
        proc.stdin.write(listing)
        proc.stdin.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any("/fail/slow" in p for p in server.requests):
                break
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        partial = query(db, "SELECT COUNT(*) FROM articles")[0][0]
        assert 0 < partial < len(urls)
        assert query(db, "PRAGMA integrity_check") == [("ok",)]
        rerun = run_cli("ingest", db, "--urls", "-", "--allow-private", "--delay", "0", "--quiet",
                        input="\n".join(urls) + "\n")
        assert rerun.returncode == 0, rerun.stderr
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "SELECT COUNT(*), COUNT(DISTINCT canonical_url), COUNT(DISTINCT url) FROM articles")[0] == (
        len(urls), len(urls), len(urls))
    assert query(db, "SELECT COUNT(*) FROM snapshots")[0][0] == len(urls)
    # the search index holds each article once
    assert query(db, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'minerals'")[0][0] == \
        query(db, "SELECT COUNT(*) FROM articles WHERE title || text LIKE '%minerals%'")[0][0]
    assert_fts_consistent(db)


def test_datasette_reads_while_ingest_writes(tmp_path):
    db = tmp_path / "newstrace.db"
    from newstrace.ingest import store

    store.open_db(str(db)).conn.close()  # creates the schema
    statuses, stop = [], threading.Event()

    def poll(base):
        with httpx.Client() as client:
            while not stop.is_set():
                for path in ("/newstrace/articles.json?_search=minerals", "/newstrace/-/search.json?q=稀土",
                             "/newstrace/fetch_log.json", "/newstrace/articles?_facet=sitename",
                             "/newstrace/-/countries.json"):
                    try:
                        statuses.append(client.get(base + path, timeout=30).status_code)
                    except httpx.HTTPError as err:  # a reader that cannot read is a failure too
                        statuses.append(repr(err))

    with serve_datasette(db, "-m", METADATA) as base:
        reader = threading.Thread(target=poll, args=(base,))
        reader.start()
        try:
            with serve_sample() as sample:
                result = ingest_sample(db, sample)
        finally:
            stop.set()
            reader.join()
    assert result.returncode == 0, result.stderr
    assert len(statuses) > 8
    assert set(statuses) == {200}


def test_script_in_titles_and_text_is_escaped_everywhere(datasette_url, sample_db):
    [(article_id, title)] = query(sample_db, "SELECT id, title FROM articles WHERE title LIKE '%<script>%'")
    pages = [
        f"/newstrace/articles/{article_id}",
        "/newstrace/articles?_search=floor",
        "/newstrace/-/search?q=floor",
        "/newstrace/articles?_facet=sitename",
    ]
    claim_ids = query(sample_db, "SELECT DISTINCT claim_id FROM claim_mentions WHERE article_id = ? AND claim_id "
                                 "IS NOT NULL", [article_id])
    pages += [f"/newstrace/-/claims/{c}" for (c,) in claim_ids[:3]]
    for path in pages:
        r = httpx.get(datasette_url + path)
        assert r.status_code == 200, path
        assert "<script>alert(1)</script>" not in r.text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in httpx.get(datasette_url + pages[0]).text
    data = httpx.get(datasette_url + f"/newstrace/articles/{article_id}.json?_shape=array").json()
    assert data[0]["title"] == title  # the data itself is kept as written


def test_reextract_recomputes_everything_from_raw_responses(tmp_path):
    db = tmp_path / "newstrace.db"
    with serve_sample() as server:
        assert ingest_sample(db, server).returncode == 0
    # the server is gone: reextract must not need the network
    before = query(db, "SELECT id, title, text, version, content_hash FROM articles ORDER BY id")
    claims_before = query(db, "SELECT article_id, sentence, claim_id FROM claim_mentions ORDER BY id")
    countries_before = query(db, "SELECT article_id, country, char_start FROM country_mentions ORDER BY id")
    with sqlite3.connect(db) as conn:
        # as if an older extractor had produced worse results
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('delete-all')")
        conn.execute("UPDATE articles SET text = 'stale', title = 'stale', countries = '[]'")
        conn.execute("DELETE FROM claim_mentions")
        conn.execute("DELETE FROM country_mentions")
    result = run_cli("reextract", db, "--quiet")
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT id, title, text, version, content_hash FROM articles ORDER BY id") == before
    assert query(db, "SELECT COUNT(*) FROM article_versions")[0][0] == 0, "re-extraction never makes versions"
    assert query(db, "SELECT article_id, sentence, claim_id FROM claim_mentions ORDER BY id") == claims_before
    assert query(db, "SELECT article_id, country, char_start FROM country_mentions ORDER BY id") == countries_before
    assert query(db, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", ['"稀 土"'])[0][0] > 0
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert_fts_consistent(db)


def test_reextract_with_workers_and_edited_initiatives_keeps_ids(tmp_path):
    db = tmp_path / "newstrace.db"
    with serve_sample() as server:
        assert ingest_sample(db, server).returncode == 0
    ids = query(db, "SELECT id, canonical_url FROM articles ORDER BY id")
    claims = query(db, "SELECT id, claim_text FROM claims ORDER BY id")
    result = run_cli("reextract", db, "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT id, canonical_url FROM articles ORDER BY id") == ids
    assert query(db, "SELECT id, claim_text FROM claims ORDER BY id") == claims, "claim ids are stable"


def test_reextract_logs_a_damaged_snapshot_and_goes_on(tmp_path):
    "A snapshot that no longer decompresses (a damaged blob) is one failure with its cause, not the end of the run."
    from newstrace.ingest.sample import sample_pages

    changing = next(p for p in sample_pages() if p.get("versions"))
    db = tmp_path / "newstrace.db"
    with serve_sample() as server:
        url = server.url(changing["path"])
        others = [u for u in sample_urls(server.base_url) if u != url][:2]
        assert run_cli("ingest", db, url, *others, "--allow-private", "--delay", "0", "--quiet").returncode == 0
        server.bump(changing["path"])
        assert run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet", "--refetch").returncode == 0
    [(article_id, version_id, old_text)] = query(db, "SELECT article_id, id, text FROM article_versions")
    with sqlite3.connect(db) as conn:
        # the old version's snapshot, and another article's latest one, damaged
        conn.execute("UPDATE snapshots SET body = x'00ff00ff' WHERE id = (SELECT snapshot_id FROM article_versions)")
        conn.execute("UPDATE snapshots SET body = x'00ff00ff' WHERE article_id = (SELECT MAX(id) FROM articles)")
        conn.execute("UPDATE articles SET title = 'stale' WHERE id = (SELECT MIN(id) FROM articles)")
    result = run_cli("reextract", db, "--quiet")
    assert result.returncode == 2, result.stderr
    assert "2 failed" in result.stderr
    failed = query(db, "SELECT source, stage, error_class, message, article_id FROM fetch_log "
                       "WHERE outcome = 'failed' ORDER BY article_id")
    assert len(failed) == 2 and all(f[0] == "reextract" and f[3].startswith(("Unexpected error", "Version"))
                                    for f in failed), failed
    assert {f[4] for f in failed} == {article_id, query(db, "SELECT MAX(id) FROM articles")[0][0]}
    assert any(f[3].startswith("Version 1 kept its text") for f in failed), failed
    # the version kept its text, every other article was re-extracted, and the run finished its work
    assert query(db, "SELECT text FROM article_versions WHERE id = ?", [version_id]) == [(old_text,)]
    assert query(db, "SELECT title FROM articles WHERE title = 'stale'") == []
    assert query(db, "SELECT COUNT(*) FROM claim_trace_pending")[0][0] == 0
    assert_fts_consistent(db)
