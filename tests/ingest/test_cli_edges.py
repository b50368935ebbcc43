"""The command's edges: broken WARC files, WARC files in folders, no source, a mistyped scheme, a database
in a missing folder, the demo on a taken port, and the first causes of failures on screen (issue 15,
item 10)."""
import io
import socket
import sqlite3
import subprocess
import sys

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest.sample import sample_pages

from tests.conftest import run_cli

PAGES = [p for p in sample_pages() if p["kind"] == "article"][:3]


def sample_bytes(page):
    from importlib import resources

    node = resources.files("newstrace.ingest") / "sample"
    for part in page["file"].split("/"):
        node = node / part
    return node.read_bytes()


def write_warc(path, pages, gzip=False):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for page in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", page.get("content_type", "text/html"))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://archive.example{page['path']}", "response",
                                                          payload=io.BytesIO(sample_bytes(page)),
                                                          http_headers=headers))
    return path


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


def test_damaged_warc_files_fail_alone_and_the_batch_goes_on(tmp_path):
    good = write_warc(tmp_path / "good.warc", PAGES[:1])
    whole = write_warc(tmp_path / "whole.warc", PAGES[1:3]).read_bytes()
    truncated = tmp_path / "truncated.warc"
    # the second record cut in the middle of its HTTP body: the first one is still read
    second = whole.index(b"WARC/1.0", 10)
    truncated.write_bytes(whole[:second + (len(whole) - second) // 2])
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not a WARC file at all\n" * 20)
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, garbage, truncated, good, "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    urls = {a["url"] for a in rows(db, "SELECT url FROM articles")}
    assert f"https://archive.example{PAGES[0]['path']}" in urls, "the source after the broken ones is ingested"
    assert f"https://archive.example{PAGES[1]['path']}" in urls, "what the truncated file held before the cut"
    failed = rows(db, "SELECT url, error_class, message FROM fetch_log WHERE outcome = 'failed'")
    assert {f["error_class"] for f in failed} == {"WARCError"}
    assert any(f["url"].endswith("garbage.warc") for f in failed)
    assert any(f["url"].endswith("truncated.warc") or f["url"].startswith("https://archive.example") for f in failed)
    assert all(f["message"][0].isupper() and f["message"].endswith(".") for f in failed)


def test_a_warc_file_inside_a_folder_is_ingested(tmp_path):
    folder = tmp_path / "saved"
    (folder / "crawl").mkdir(parents=True)
    write_warc(folder / "crawl" / "part.warc.gz", PAGES[:2], gzip=True)
    (folder / "page.html").write_bytes(sample_bytes(PAGES[2]))
    (folder / "broken.warc").write_bytes(b"not a warc\n")
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, folder, "--quiet")
    assert result.returncode == 2, result.stderr
    assert rows(db, "SELECT source, COUNT(*) AS n FROM articles GROUP BY source ORDER BY source") == [
        {"source": "file", "n": 1}, {"source": "warc", "n": 2}]
    [failed] = rows(db, "SELECT url, error_class FROM fetch_log WHERE outcome = 'failed'")
    assert failed["url"].endswith("broken.warc") and failed["error_class"] == "WARCError"


def test_no_source_is_an_error_not_a_silent_success(tmp_path):
    db = tmp_path / "new.db"
    result = run_cli("ingest", db)
    assert result.returncode == 1 and "Nothing to ingest" in result.stderr and not db.exists()


def test_a_mistyped_scheme_is_not_called_a_missing_file(tmp_path):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, "htp://example.org/story", "--quiet")
    assert result.returncode == 2
    [failed] = rows(db, "SELECT error_class, message FROM fetch_log")
    assert failed["error_class"] == "UnsupportedScheme" and "'htp'" in failed["message"]
    assert "No such file" not in failed["message"]


def test_a_database_in_a_missing_folder_gets_a_sentence(tmp_path):
    result = run_cli("ingest", tmp_path / "no" / "such" / "newstrace.db", "https://example.org/")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "does not exist" in result.stderr
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("plain text, not SQLite\n" * 100)
    result = run_cli("reextract", not_a_db)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "cannot be opened" in result.stderr


def test_the_demo_on_a_taken_port_says_so_before_building(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "newstrace.ingest.cli", "demo", "--db", str(tmp_path / "d.db"),
                                 "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "already in use" in result.stderr
    assert "Serving on" not in result.stderr and not (tmp_path / "d.db").exists()


def test_the_first_causes_of_failure_are_on_screen(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    urls = [sample_server.url(p) for p in ("/fail/404", "/fail/500", "/fail/document.pdf")]
    result = run_cli("ingest", db, *urls, "--allow-private", "--delay", "0", "--quiet")
    assert result.returncode == 2
    assert f"failed: {urls[0]} — HTTPError: The server answered HTTP 404" in result.stderr
    assert "DecodeError" in result.stderr and "fetch_log" in result.stderr
