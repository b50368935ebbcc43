"""A killed run is finished by running the same command again: nothing untraced, nothing counted twice.

issue 15, item 2 (tracing resumable) and item 7 (reextract never leaves search empty); the soak that kills
at random moments many times is scripts/kill_soak.py, this is its small version."""
import signal
import sqlite3
import subprocess
import sys
import time

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


def ingest_command(db):
    return [sys.executable, "-m", "newstrace.ingest.cli", "ingest", str(db), "--urls", "-", "--allow-private",
            "--delay", "0", "--quiet", "--timeout", "3"]


def test_a_killed_ingest_is_traced_by_the_next_run(tmp_path):
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    with serve_sample() as server:
        urls = sample_urls(server.base_url)
        # the slow page keeps the batch busy after the first pages are committed, before any tracing
        listing = "\n".join(urls[:8] + [server.url(SLOW)] + urls[8:]) + "\n"
        proc = subprocess.Popen(ingest_command(killed), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True)
        proc.stdin.write(listing)
        proc.stdin.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("/fail/slow" in p for p in server.requests):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert query(killed, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id IS NULL")[0][0] > 0
        assert query(killed, "SELECT COUNT(*) FROM claim_trace_pending")[0][0] == 8
        again = subprocess.run(ingest_command(killed), input=listing, capture_output=True, text=True, timeout=600)
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
