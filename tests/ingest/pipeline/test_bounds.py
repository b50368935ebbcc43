"""A page's analysis grows linearly with its text and is bounded all the same (issue 15, item 5).

Any future extractor must pass these: the work is counted (lines of newstrace code run), never timed, and the
bound is the code's own, reported in fetch_log with its cause."""
import sqlite3
import sys
import time

import httpx
import pytest

from newstrace.ingest.extract import extract_page
from newstrace.ingest.pipeline.analyze import analyze_text
from newstrace.ingest.pipeline.worker import process_task
from newstrace.ingest.sample import serve_sample

from tests.conftest import run_cli


@pytest.fixture(scope="module")
def server():
    with serve_sample() as server:
        yield server


def page_text(server, kb, shape):
    url = server.url(f"/fail/big-article.html?kb={kb}&shape={shape}")
    return extract_page(httpx.get(url).text, url)["text"]


def work(func):
    "How many lines of newstrace's ingest code func() runs (loops inside comprehensions included)."
    count = [0]

    def local(frame, event, arg):
        if event == "line":
            count[0] += 1
        return local

    def calls(frame, event, arg):
        return local if "/ingest/" in frame.f_code.co_filename.replace("\\", "/") else None

    sys.settrace(calls)
    try:
        func()
    finally:
        sys.settrace(None)
    return count[0]


@pytest.mark.parametrize("shape", [0, 1, 2], ids=["paragraphs", "one-paragraph", "one-sentence"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_analysis_work_grows_linearly(server, shape, language):
    "Four times the text, about four times the work (quantity parsing was quadratic: 17 KB 1.3 s, 70 KB 12 s)."
    small, large = page_text(server, 8, shape), page_text(server, 32, shape)
    assert 3.5 < len(large) / len(small) < 4.5
    analyze_text("warm up the caches", language)
    ratio = work(lambda: analyze_text(large, language)) / work(lambda: analyze_text(small, language))
    assert ratio < 4.8, f"analysis work grew {ratio:.1f}x for 4x the text"


def test_analysis_is_bounded_per_page(server):
    task = {"kind": "http", "url": server.url("/fail/big-article.html?kb=300&shape=1"), "source": "url"}
    options = {"timeout": 30, "max_bytes": 20_000_000, "allow_private": True, "extract_timeout": 60,
               "analyze_timeout": 0.01}
    result = process_task(task, options)
    assert not result["ok"]
    assert (result["stage"], result["error_class"]) == ("analyze", "AnalysisTimeout")
    assert "0.01 seconds" in result["message"]


def test_analysis_is_bounded_in_a_thread_too(server):
    "Outside the main thread (a Dask worker's task thread), where no signal timer fires, a watchdog stops it."
    import threading

    task = {"kind": "http", "url": server.url("/fail/big-article.html?kb=300&shape=1"), "source": "url"}
    out = {}
    for stage, bounds in (("analyze", {"extract_timeout": 60, "analyze_timeout": 0.01}),
                          ("extract", {"extract_timeout": 0.01, "analyze_timeout": 60})):
        options = {"timeout": 30, "max_bytes": 20_000_000, "allow_private": True, **bounds}
        thread = threading.Thread(target=lambda: out.update(result=process_task(task, options)))
        thread.start()
        thread.join()
        result = out["result"]
        assert (result["stage"], result["error_class"]) == \
            (stage, {"analyze": "AnalysisTimeout", "extract": "ExtractTimeout"}[stage])
        assert "0.01 seconds" in result["message"]


def test_a_deadline_in_a_thread_never_reaches_past_its_work():
    "Work that ends as its deadline passes is stopped or not, but the thread is never interrupted after it."
    import threading

    from newstrace.ingest.extract.page import _Alarm, _run_bounded

    def spin():
        end = time.perf_counter() + 0.002
        while time.perf_counter() < end:
            pass
        return 1

    out = {"stopped": 0, "done": 0}

    def many():
        for _ in range(1000):
            try:
                out["done"] += _run_bounded(spin, 0.002, "real")
            except _Alarm:
                out["stopped"] += 1
        spin_until = time.perf_counter() + 0.2  # a stray alarm would arrive here
        while time.perf_counter() < spin_until:
            pass
        out["finished"] = True

    thread = threading.Thread(target=many)
    thread.start()
    thread.join()
    assert out.get("finished") and out["stopped"] + out["done"] == 1000


def test_a_300_kb_page_is_ingested_within_its_timeout(tmp_path, server):
    db = tmp_path / "newstrace.db"
    url = server.url("/fail/big-article.html?kb=300&shape=1")
    result = run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet", "--timeout", "120",
                     timeout=300)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT outcome, stage, error_class FROM fetch_log").fetchall()
        mentions = conn.execute("SELECT COUNT(*) FROM claim_mentions").fetchone()[0]
    assert result.returncode == 0, (result.stderr, rows)
    assert rows == [("new", None, None)] and mentions > 1000


def test_reextract_past_its_timeout_keeps_the_article_and_logs_the_cause(tmp_path, server):
    "reextract bounds each page like ingest and says why in ingest's words (it wrote 'ExtractError' for all)."
    db = tmp_path / "newstrace.db"
    url = server.url("/fail/big-article.html?kb=120&shape=0")
    result = run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet", "--timeout", "120", timeout=300)
    assert result.returncode == 0, result.stderr
    query = "SELECT id, title, text, version FROM articles"
    with sqlite3.connect(db) as conn:
        before = conn.execute(query).fetchall()
    result = run_cli("reextract", db, "--quiet", "--timeout", "0.1", timeout=300)
    assert result.returncode == 2, result.stderr
    assert "1 failed" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute(query).fetchall() == before
        [failed] = conn.execute("SELECT source, stage, error_class, message, article_id FROM fetch_log "
                                "WHERE outcome = 'failed'").fetchall()
        assert conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'gallium'").fetchone()[0] == 1
    assert failed[0] == "reextract" and failed[4] == before[0][0]
    assert failed[1:3] in (("extract", "ExtractTimeout"), ("analyze", "AnalysisTimeout")), failed
    assert "0.1 seconds" in failed[3]


def test_a_failing_analysis_is_logged_at_its_stage(server, monkeypatch):
    "An analysis that raises fails its page at stage `analyze` (not `extract`), with the exception's name."
    from newstrace.ingest.pipeline import worker

    def broken(*args, **kwargs):
        return [][0]

    monkeypatch.setattr(worker, "analyze_text", broken)
    task = {"kind": "http", "url": server.url("/fail/big-article.html?kb=8&shape=0"), "source": "url"}
    result = process_task(task, {"timeout": 30, "max_bytes": 20_000_000, "allow_private": True})
    assert not result["ok"]
    assert (result["stage"], result["error_class"]) == ("analyze", "IndexError")
    assert result["message"].startswith("Unexpected error in the analyses:")
