"""A killed run is finished by running the same command again: nothing untraced, nothing counted twice.

issue 15, item 2 (tracing resumable) and item 7 (reextract never leaves search empty); the soak that kills
at random moments many times is bench/kill_soak.py, this is its small version."""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from newstrace.ingest.sample import sample_urls, serve_sample

from tests.conftest import run_cli

SLOW = "/fail/slow?seconds=30"


def query(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def counts(db):
    return {table: query(db, f"SELECT COUNT(*) FROM {table}")[0][0]
            for table in ("articles", "snapshots", "claim_mentions", "claims", "country_mentions", "participation",
                          "claim_edges")}


def clusters(db):
    "Each claim as the set of (article URL, sentence) of its mentions: ids aside, the same partition."
    rows = query(db, "SELECT m.claim_id, a.url, m.sentence FROM claim_mentions m JOIN articles a ON a.id = m.article_id")
    by_claim = {}
    for claim_id, url, sentence in rows:
        by_claim.setdefault(claim_id, set()).add((url, sentence))
    return {frozenset(v) for v in by_claim.values()}


def ingest_command(db, workers=1):
    return [sys.executable, "-m", "newstrace.ingest.cli", "ingest", str(db), "--urls", "-", "--allow-private",
            "--delay", "0", "--quiet", "--timeout", "3", "--workers", str(workers)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_killed_ingest_is_traced_by_the_next_run(tmp_path, workers):
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    with serve_sample() as server:
        urls = sample_urls(server.base_url)
        # the slow page keeps the batch busy after the first pages are committed, before any tracing (one
        # request to a host at a time, so with two workers too)
        listing = "\n".join(urls[:8] + [server.url(SLOW)] + urls[8:]) + "\n"
        proc = subprocess.Popen(ingest_command(killed, workers), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        proc.stdin.write(listing)
        proc.stdin.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("/fail/slow" in p for p in server.requests):
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # kill -9 of the command and its workers
        proc.wait()
        assert query(killed, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id IS NULL")[0][0] > 0
        assert query(killed, "SELECT COUNT(*) FROM claim_trace_pending")[0][0] == 8
        again = subprocess.run(ingest_command(killed, workers), input=listing, capture_output=True, text=True,
                               timeout=600)
        assert again.returncode == 2, again.stderr  # the slow page times out: the one failure
        reference = subprocess.run(ingest_command(clean), input=listing, capture_output=True, text=True,
                                   timeout=600)
        assert reference.returncode == 2, reference.stderr
    assert query(killed, "PRAGMA integrity_check") == [("ok",)]
    assert query(killed, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id IS NULL") == [(0,)]
    assert query(killed, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id NOT IN (SELECT id FROM claims)") == [(0,)]
    assert query(killed, "SELECT COUNT(*) FROM claim_trace_pending") == [(0,)]
    assert counts(killed) == counts(clean)
    assert clusters(killed) == clusters(clean)


def search_counts(db):
    "What a reader's searches find: English and Chinese, articles and claim mentions."
    return [query(db, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", [q])[0][0]
            for q in ("minerals", '"稀 土"')] + [
        query(db, "SELECT COUNT(*) FROM claim_mentions_fts WHERE claim_mentions_fts MATCH 'minerals'")[0][0]]


def assert_index_whole(db):
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    for table in ("articles", "claim_mentions"):
        assert query(db, f"INSERT INTO {table}_fts({table}_fts) VALUES('integrity-check')") == []
        assert query(db, f"SELECT COUNT(*) FROM {table}_fts_docsize") == query(db, f"SELECT COUNT(*) FROM {table}")
    assert query(db, "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'minerals'") == \
        query(db, "SELECT COUNT(*) FROM articles WHERE title || ' ' || text LIKE '%minerals%'")


def test_reextract_never_empties_search_and_a_kill_leaves_it_whole(tmp_path):
    "225 of 229 searches found nothing while reextract ran, and a kill left the index empty."
    db, clean = tmp_path / "newstrace.db", tmp_path / "clean.db"
    with serve_sample() as server:
        listing = "\n".join(sample_urls(server.base_url)) + "\n"
        for path in (db, clean):
            result = subprocess.run(ingest_command(path), input=listing, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr
    expected = search_counts(db)
    assert min(expected) > 0
    seen, stop = [], threading.Event()

    def reader():
        conn = sqlite3.connect(db, timeout=30)
        while not stop.is_set():
            seen.append(conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH '\"稀 土\"'")
                        .fetchone()[0])
            time.sleep(0.01)
        conn.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        # killed once some articles are re-extracted (each leaves its id in the tracer's to-do list)
        proc = subprocess.Popen([sys.executable, "-m", "newstrace.ingest.cli", "reextract", str(db), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and \
                query(db, "SELECT COUNT(*) FROM claim_trace_pending")[0][0] < 5:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_index_whole(db)
        assert search_counts(db) == expected
        again = run_cli("reextract", db, "--quiet")
        assert again.returncode == 0, again.stderr
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 20 and min(seen) > 0, "a reader found the index empty"
    assert run_cli("reextract", clean, "--quiet").returncode == 0
    assert_index_whole(db)
    assert search_counts(db) == expected
    assert query(db, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id IS NULL") == [(0,)]
    assert query(db, "SELECT COUNT(*) FROM claim_trace_pending") == [(0,)]
    assert counts(db) == counts(clean)
    assert clusters(db) == clusters(clean)
