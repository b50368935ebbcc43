"""Pages written in one transaction (store.WriteGroup, what run_batch uses for files and WARC records): each
page still whole or absent, its full-text entries (kept until the group commits) with it."""
import sqlite3

import pytest

from newstrace.ingest import store
from newstrace.ingest.store import derived as derived_module


def page(n, text):
    task = {"kind": "file", "url": f"file:///pages/{n}.html", "source": "file"}
    fetched = {"url": task["url"], "final_url": task["url"], "status": 200, "headers": {}, "body": text.encode(),
               "fetched_at": f"2026-01-0{n}T00:00:00+00:00", "content_type": "text/html", "encoding": "utf-8"}
    extracted = {"title": f"Title {n}", "text": text, "language": "en", "languages": ["en"], "hostname": None,
                 "published": "2026-01-01", "published_month": "2026-01", "word_count": len(text.split())}
    derived = {"claims": [{"sentence": text, "char_start": 0, "char_end": len(text), "lang": "en"}],
               "countries": ["CN"], "country_mentions": [], "participation": [], "claimed": {}}
    return task, fetched, extracted, derived


def search(db, table, words):
    return sorted(r[0] for r in db.conn.execute(f"SELECT rowid FROM [{table}] WHERE [{table}] MATCH ?", [words]))


def index_whole(db):
    for table in ("articles", "claim_mentions"):
        fts = store.schema.FTS_TABLES[table][0]
        db.conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('integrity-check')")
        assert store.fts_in_sync(db, table)


def test_a_failing_page_rolls_back_alone_with_its_search_entries(tmp_path, monkeypatch):
    db = store.open_db(str(tmp_path / "a.db"))
    real = derived_module.write_initiatives
    calls = []

    def fail_on_second(*args):
        calls.append(1)
        if len(calls) == 2:  # page 2, after its article row, mentions and search entries were written
            raise RuntimeError("boom")
        return real(*args)

    monkeypatch.setattr(derived_module, "write_initiatives", fail_on_second)
    with store.WriteGroup(db) as group:
        store.record_page(db, *page(1, "lithium exports fell"))
        with pytest.raises(RuntimeError):
            store.record_page(db, *page(2, "cobalt prices rose"))
        store.record_page(db, *page(3, "lithium mines opened"))
        assert group.fts, "the search entries wait for the commit"
    assert not db.conn.in_transaction
    urls = [r[0] for r in db.conn.execute("SELECT url FROM articles ORDER BY id")]
    assert urls == ["file:///pages/1.html", "file:///pages/3.html"]
    assert db.conn.execute("SELECT COUNT(*) FROM claim_mentions WHERE article_id NOT IN (SELECT id FROM articles)"
                           ).fetchone()[0] == 0
    ids = [r[0] for r in db.conn.execute("SELECT id FROM articles ORDER BY id")]
    assert search(db, "articles_fts", "lithium") == ids
    assert search(db, "articles_fts", "cobalt") == []
    assert len(search(db, "claim_mentions_fts", "lithium")) == 2
    index_whole(db)


def test_a_page_changed_twice_in_one_group_leaves_one_entry(tmp_path):
    db = store.open_db(str(tmp_path / "b.db"))
    with store.WriteGroup(db):
        store.record_page(db, *page(1, "lithium exports fell"))
        # the same URL again with other text: its entry (not yet written) must be in the index to be deleted
        assert store.record_page(db, *page(1, "graphite exports fell"))[0] == "changed"
    assert search(db, "articles_fts", "lithium") == []
    assert search(db, "articles_fts", "graphite") == [1]
    index_whole(db)


def test_entries_written_out_by_a_page_that_rolls_back_are_kept(tmp_path, monkeypatch):
    db = store.open_db(str(tmp_path / "c.db"))
    with store.WriteGroup(db):
        store.record_page(db, *page(1, "lithium exports fell"))
        # a change of page 1 writes page 1's pending entry out (fts_delete), then fails: rolled back with it
        monkeypatch.setattr(derived_module, "write_initiatives",
                            lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
        with pytest.raises(RuntimeError):
            store.record_page(db, *page(1, "graphite exports fell"))
        monkeypatch.undo()
        store.record_page(db, *page(2, "nickel exports fell"))
    assert search(db, "articles_fts", "lithium") == [1]
    assert search(db, "articles_fts", "graphite") == []
    assert search(db, "articles_fts", "exports") == [1, 2]
    index_whole(db)


def test_a_group_never_committed_leaves_nothing(tmp_path):
    path = str(tmp_path / "d.db")
    db = store.open_db(path)
    group = store.WriteGroup(db).__enter__()
    store.record_page(db, *page(1, "lithium exports fell"))
    store.log_fetch(db, url="file:///pages/1.html", source="file", outcome="new", article_id=1)
    # killed here: the transaction is never committed
    other = sqlite3.connect(path)
    assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert other.execute("SELECT COUNT(*) FROM fetch_log").fetchone()[0] == 0
    other.close()
    group.__exit__(None, None, None)
    other = sqlite3.connect(path)
    assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    assert other.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'lithium'").fetchone()[0] == 1


def test_the_group_commits_when_full(tmp_path):
    path = str(tmp_path / "e.db")
    db = store.open_db(path)
    with store.WriteGroup(db, pages=2, seconds=3600) as group:
        for n in (1, 2, 3):
            store.record_page(db, *page(n, f"text number {n}"))
            group.page_done()
        other = sqlite3.connect(path)
        assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2  # the first two, committed
        assert other.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'number'").fetchone()[0] == 2
        other.close()
    assert db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    index_whole(db)
