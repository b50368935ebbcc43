"""`newstrace ingest` over real HTTP on 127.0.0.1: every source kind, versioning, idempotence."""
import gzip
import io
import json
import sqlite3

import pytest

from newstrace.ingest.sample import sample_pages, sample_urls, serve_sample

from tests.conftest import ingest_sample, run_cli

ARTICLES = [p for p in sample_pages() if p.get("kind") == "article"]


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def table_dump(db_path, table, skip=()):
    data = rows(db_path, f"SELECT * FROM [{table}] ORDER BY rowid")
    return [{k: v for k, v in r.items() if k not in skip} for r in data]


def test_sample_corpus_is_archived_whole(sample_db, sample_server):
    articles = rows(sample_db, "SELECT * FROM articles")
    by_canonical = {a["canonical_url"]: a for a in articles}
    assert len(articles) == len(ARTICLES) + (1 if any("/seed.html" in a["url"] for a in articles) else 0)
    # outlet identity comes from the page (canonical link, og:site_name), never from 127.0.0.1
    for a in articles:
        if "/seed.html" in a["url"]:
            continue
        assert a["canonical_url"].startswith("https://") and ".example/" in a["canonical_url"]
        assert a["hostname"].endswith(".example")
        assert a["sitename"] and a["title"] and a["text"]
        assert a["published"][:4] == "2026" and a["published_month"] == a["published"][:7]
        assert isinstance(json.loads(a["languages"]), list) and a["language"] in json.loads(a["languages"])
        assert "None" not in (a["author"], a["sitename"], a["title"], a["published"])
    assert {a["source"] for a in articles} >= {"feed", "sitemap"}
    assert len({a["sitename"] for a in articles}) >= 4
    assert {a["language"] for a in articles} >= {"en", "zh"}
    assert len(by_canonical) == len(articles)
    log = rows(sample_db, "SELECT outcome, COUNT(*) AS n FROM fetch_log GROUP BY outcome")
    assert {r["outcome"]: r["n"] for r in log} == {"new": len(articles)}


def test_every_page_keeps_its_raw_response(sample_db):
    snaps = rows(sample_db, "SELECT s.*, a.version AS aversion FROM snapshots s JOIN articles a ON a.id = s.article_id")
    assert len(snaps) == len(rows(sample_db, "SELECT id FROM articles"))
    import hashlib
    import zlib

    for s in snaps:
        body = zlib.decompress(s["body"])
        assert len(body) == s["size"] and hashlib.sha256(body).hexdigest() == s["sha256"]
        assert s["http_status"] == 200 and s["encoding"] and isinstance(json.loads(s["headers"]), dict)


def test_gbk_page_without_charset_is_decoded(sample_db):
    gbk = [p for p in ARTICLES if (p.get("encoding") or "").lower() in ("gbk", "gb18030", "gb2312")]
    assert gbk, "the corpus has a GBK page"
    for page in gbk:
        [article] = rows(sample_db, "SELECT * FROM articles WHERE url LIKE ?", ["%" + page["path"]])
        assert "\ufffd" not in article["text"] and article["language"] == "zh"
        for snippet in page.get("must_contain", []):
            assert snippet in article["text"]
        [snap] = rows(sample_db, "SELECT encoding FROM snapshots WHERE article_id = ?", [article["id"]])
        assert snap["encoding"] == "gb18030"


def test_boilerplate_is_removed_and_content_kept(sample_db):
    for page in ARTICLES:
        [article] = rows(sample_db, "SELECT text FROM articles WHERE url LIKE ?", ["%" + page["path"]])
        for snippet in page.get("must_contain", []):
            assert snippet in article["text"], (page["path"], snippet)
        for line in article["text"].splitlines():
            assert line.strip() not in ("AI 生成的图像", "拒绝", "Reject", "Accept")
            assert not line.startswith("We use cookies") and not line.startswith("此网站使用")


def test_republished_copy_points_to_the_original(sample_db):
    dupes = rows(sample_db, "SELECT a.id, a.duplicate_of, a.sitename, o.sitename AS original_site, a.text = o.text AS same "
                            "FROM articles a JOIN articles o ON o.id = a.duplicate_of")
    assert len(dupes) == 1
    [d] = dupes
    assert d["same"] and d["sitename"] != d["original_site"] and d["duplicate_of"] < d["id"]


def test_rerun_changes_nothing_but_the_log(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    assert ingest_sample(db, sample_server).returncode == 0
    before = {t: table_dump(db, t) for t in ("articles", "snapshots", "article_versions", "claim_mentions",
                                             "claims", "country_mentions", "participation")}
    log_before = len(rows(db, "SELECT id FROM fetch_log"))
    again = ingest_sample(db, sample_server)
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 changed" in again.stderr
    for table, data in before.items():
        assert table_dump(db, table) == data, table
    log = rows(db, "SELECT outcome FROM fetch_log WHERE id > ?", [log_before])
    assert log and {r["outcome"] for r in log} == {"unchanged"}


def test_refetch_records_a_changed_page_as_a_new_version(tmp_path):
    db = tmp_path / "newstrace.db"
    changing = next(p for p in ARTICLES if p.get("versions"))
    with serve_sample() as server:
        url = server.url(changing["path"])
        assert run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet").returncode == 0
        [v1] = rows(db, "SELECT * FROM articles")
        same = run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet", "--refetch")
        assert same.returncode == 0 and "1 unchanged" in same.stderr
        assert rows(db, "SELECT COUNT(*) AS n FROM snapshots")[0]["n"] == 1
        server.bump(changing["path"])
        changed = run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet", "--refetch")
        assert changed.returncode == 0 and "1 changed" in changed.stderr
    [v2] = rows(db, "SELECT * FROM articles")
    assert v2["id"] == v1["id"] and v2["version"] == 2 and v2["text"] != v1["text"]
    assert v2["content_hash"] != v1["content_hash"] and v2["first_fetched"] == v1["first_fetched"]
    [old] = rows(db, "SELECT * FROM article_versions")
    assert (old["article_id"], old["version"], old["text"], old["content_hash"]) == (
        v1["id"], 1, v1["text"], v1["content_hash"])
    snaps = rows(db, "SELECT id, version FROM snapshots ORDER BY id")
    assert [s["version"] for s in snaps] == [1, 2] and old["snapshot_id"] == snaps[0]["id"]
    outcomes = [r["outcome"] for r in rows(db, "SELECT outcome FROM fetch_log ORDER BY id")]
    assert outcomes == ["new", "unchanged", "changed"]
    # the new text is what search finds
    hits = rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ['"Update"'])
    assert [h["rowid"] for h in hits] == [v2["id"]]


def test_redirect_records_the_final_url(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    url = sample_server.url("/go/vance-price-floors")
    assert run_cli("ingest", db, url, "--allow-private", "--delay", "0", "--quiet").returncode == 0
    [a] = rows(db, "SELECT url, final_url FROM articles")
    assert a["url"] == url and a["final_url"].endswith("/meridian/vance-price-floors.html")


def test_private_addresses_are_refused_without_the_option(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, sample_server.url("/meridian/vance-price-floors.html"), "--quiet")
    assert result.returncode == 2
    [log] = rows(db, "SELECT * FROM fetch_log")
    assert log["error_class"] == "SSRFBlocked" and "--allow-private" in log["message"]
    assert rows(db, "SELECT COUNT(*) AS n FROM articles")[0]["n"] == 0


def test_local_files_folders_and_gzip(tmp_path, sample_server):
    folder = tmp_path / "pages"
    folder.mkdir()
    import httpx

    pages = ARTICLES[:4]
    for i, page in enumerate(pages):
        body = httpx.get(sample_server.url(page["path"])).content
        if i == 0:
            (folder / "one.html.gz").write_bytes(gzip.compress(body))
        else:
            (folder / f"p{i}.html").write_bytes(body)
    single = tmp_path / "single.html"
    single.write_bytes(httpx.get(sample_server.url(ARTICLES[5]["path"])).content)
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, folder, single, "--quiet")
    assert result.returncode == 0, result.stderr
    articles = rows(db, "SELECT url, canonical_url, source FROM articles")
    assert len(articles) == 5 and {a["source"] for a in articles} == {"file"}
    assert all(a["url"].startswith("file://") and ".example/" in a["canonical_url"] for a in articles)
    missing = run_cli("ingest", db, tmp_path / "nope.html", "--quiet")
    assert missing.returncode == 2
    assert rows(db, "SELECT error_class FROM fetch_log WHERE outcome = 'failed'")[0]["error_class"] == "FileNotFound"


def test_warc_records(tmp_path, sample_server):
    import httpx
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    pages = ARTICLES[6:9]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in pages:
            r = httpx.get(sample_server.url(page["path"]))
            headers = StatusAndHeaders("200 OK", [("Content-Type", r.headers["content-type"])], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://archive.example{page['path']}", "response",
                                                          payload=io.BytesIO(r.content), http_headers=headers))
        r404 = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://archive.example/gone", "response",
                                                      payload=io.BytesIO(b"gone"), http_headers=r404))
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, path, "--quiet")
    assert result.returncode == 2, result.stderr
    articles = rows(db, "SELECT url, source FROM articles ORDER BY id")
    assert [a["url"] for a in articles] == [f"https://archive.example{p['path']}" for p in pages]
    assert {a["source"] for a in articles} == {"warc"}
    [failed] = rows(db, "SELECT * FROM fetch_log WHERE outcome = 'failed'")
    assert failed["url"] == "https://archive.example/gone" and failed["http_status"] == 404


def test_url_list_from_stdin_and_workers(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    urls = sample_urls(sample_server.base_url)
    result = run_cli("ingest", db, "--urls", "-", "--allow-private", "--delay", "0", "--workers", "2", "--quiet",
                     input="# sample pages\n" + "\n".join(urls) + "\nnot a url\n")
    assert result.returncode == 2
    assert rows(db, "SELECT COUNT(*) AS n FROM articles")[0]["n"] == len(urls)
    [bad] = rows(db, "SELECT * FROM fetch_log WHERE outcome = 'failed'")
    assert bad["url"] == "not a url" and bad["error_class"] == "UnsupportedScheme"


def test_delay_spaces_requests_to_one_host(tmp_path):
    db = tmp_path / "newstrace.db"
    with serve_sample() as server:
        urls = sample_urls(server.base_url)[:3]
        result = run_cli("ingest", db, *urls, "--allow-private", "--delay", "0.7", "--workers", "2", "--quiet")
        assert result.returncode == 0
        times, paths = server.request_times, server.requests
    # robots.txt once (the first worker reads it, the batch hands it on to the other), then the pages
    assert len(times) == 4 and paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.7


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_robots_crawl_delay_longer_than_delay_spaces_requests(tmp_path, workers):
    robots = ("User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n", "text/plain; charset=utf-8")
    with serve_sample(extra_pages={"/robots.txt": robots}) as server:
        urls = sample_urls(server.base_url)[:3]
        result = run_cli("ingest", tmp_path / "newstrace.db", *urls, "--allow-private", "--delay", "0.2",
                         "--workers", workers, "--quiet")
        assert result.returncode == 0, result.stderr
        times, paths = server.request_times, server.requests
    assert len(times) == 4 and paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert min(b - a for a, b in zip(times, times[1:])) >= 1.0  # robots.txt, then each page: 1 s apart


def test_summary_and_exit_status(tmp_path, sample_server):
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, sample_server.url("/meridian/vance-price-floors.html"),
                     sample_server.url("/fail/404"), "--allow-private", "--delay", "0", "--quiet")
    assert result.returncode == 2
    assert "1 new, 0 changed, 0 unchanged, 1 failed" in result.stderr
    assert "fetch_log" in result.stderr


def test_stored_text_is_what_the_evaluated_extractor_gives(tmp_path, shared):
    "scripts/eval_pages.py scores decode_body + extract_page; ingest must store exactly that text."
    import shutil

    from newstrace.ingest.acquire.decode import decode_body
    from newstrace.ingest.extract import extract_page

    pages = sorted((shared / "eval" / "pages" / "eval").glob("*.html.gz"))[:12]
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in pages:
        shutil.copy(page, folder / page.name)
    db = tmp_path / "newstrace.db"
    result = run_cli("ingest", db, folder, "--quiet")
    assert result.returncode in (0, 2), result.stderr
    stored = {r["url"]: r["text"] for r in rows(db, "SELECT url, text FROM articles")}
    assert len(stored) >= 10
    for page in pages:
        url = (folder / page.name).resolve().as_uri()
        if url in stored:
            html, _ = decode_body(gzip.decompress(page.read_bytes()))
            assert stored[url] == extract_page(html, url)["text"]
