"""country_role_counts (the countries map's roles: articles per country and role, under each month and language)
stays equal to a count from the participation rows after an ingest, a reextract, an article taken away, a
summaries rebuild, and in an archive from before it (store.migrate fills it; `newstrace optimize` keeps it).
Real archives: the sample corpus ingested by the real CLI."""
import shutil
import sqlite3

from newstrace.ingest import store
from newstrace.ingest.store.summaries import count_article
from tests.conftest import run_cli

# the same counts from the rows an ingest writes (no summary table involved)
RAW_SQL = """
SELECT p.country, COALESCE(p.role, ''), COALESCE(a.published_month, ''), COALESCE(a.language, ''),
       COUNT(DISTINCT p.article_id)
FROM participation p JOIN articles a ON a.id = p.article_id
WHERE p.country IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


def kept(conn):
    return {tuple(r[:4]): r[4] for r in conn.execute(
        "SELECT country, role, month, language, articles FROM country_role_counts WHERE articles != 0")}


def from_rows(conn):
    return {tuple(r[:4]): r[4] for r in conn.execute(RAW_SQL)}


def assert_counts_true(path):
    conn = sqlite3.connect(path)
    try:
        counts = kept(conn)
        assert counts, "the sample corpus gives countries roles"
        assert counts == from_rows(conn)
        assert not conn.execute("SELECT 1 FROM country_role_counts WHERE articles <= 0").fetchone(), \
            "no row left at zero"
    finally:
        conn.close()


def test_an_ingest_keeps_the_counts(sample_db):
    assert_counts_true(sample_db)


def test_reextract_keeps_the_counts(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    db = store.open_db(path)
    with db.conn:  # as if an older extractor had found other participants (written as write_derived writes)
        rows = db.conn.execute("SELECT id, article_id FROM participation ORDER BY id LIMIT 5").fetchall()
        for article_id in {a for _, a in rows}:
            count_article(db, article_id, -1)
        db.conn.executemany("DELETE FROM participation WHERE id = ?", [[i] for i, _ in rows])
        for article_id in {a for _, a in rows}:
            count_article(db, article_id, +1)
    db.conn.close()
    assert_counts_true(path)
    with sqlite3.connect(sample_db) as a, sqlite3.connect(path) as b:
        assert kept(a) != kept(b)
    result = run_cli("reextract", path, "--quiet")
    assert result.returncode == 0, result.stderr
    assert_counts_true(path)
    with sqlite3.connect(sample_db) as a, sqlite3.connect(path) as b:
        assert kept(a) == kept(b)


def test_articles_taken_away_leave_the_counts_true(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    db = store.open_db(path)
    named = [r[0] for r in db.conn.execute(
        "SELECT DISTINCT article_id FROM participation WHERE country IS NOT NULL ORDER BY article_id LIMIT 3")]
    with db.conn:
        for article_id in named:  # what write_derived does first, then the rows
            count_article(db, article_id, -1)
            for table in store.DERIVED_TABLES:
                db.conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
    db.conn.close()
    assert_counts_true(path)
    with sqlite3.connect(sample_db) as a, sqlite3.connect(path) as b:
        assert kept(a) != kept(b)


def test_a_summaries_rebuild_and_an_older_archive_get_them_counted(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    db = store.open_db(path)
    store.rebuild_summaries(db)
    db.conn.close()
    assert_counts_true(path)
    with sqlite3.connect(path) as conn:  # an archive written before country_role_counts
        conn.execute("DROP TABLE country_role_counts")
    conn = sqlite3.connect(path)
    store.migrate(conn)
    conn.close()
    assert_counts_true(path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE country_role_counts")
    result = run_cli("optimize", path)  # what the README tells a user of an older archive to run
    assert result.returncode == 0, result.stderr
    assert_counts_true(path)
