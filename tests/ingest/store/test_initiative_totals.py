"""initiative_totals (one row an initiative: the initiatives list's counts without filters) stays equal to a recount
from the summaries, and from the rows themselves, after an ingest, a reextract, an article taken away, a summaries
rebuild and in an archive from before it (store.migrate fills it). Real archives: the sample corpus ingested by
the real CLI."""
import shutil
import sqlite3

from newstrace.ingest import store
from newstrace.ingest.store.schema import INITIATIVE_PARTICIPANT_ROLES
from newstrace.ingest.store.summaries import count_article
from tests.conftest import run_cli

ROLES = ", ".join(f"'{r}'" for r in INITIATIVE_PARTICIPANT_ROLES)
# the same totals from the rows an ingest writes (no summary table involved)
RAW_SQL = f"""
SELECT i.id, (SELECT COUNT(*) FROM (SELECT article_id FROM participation WHERE initiative_id = i.id
                                   UNION SELECT article_id FROM initiative_mentions WHERE initiative_id = i.id)),
       (SELECT COUNT(DISTINCT country) FROM participation WHERE initiative_id = i.id AND country IS NOT NULL),
       (SELECT COUNT(DISTINCT country) FROM participation WHERE initiative_id = i.id AND country IS NOT NULL
                                                             AND role IN ({ROLES})),
       (SELECT MIN(a.published_month) FROM articles a WHERE a.id IN (
            SELECT article_id FROM participation WHERE initiative_id = i.id
            UNION SELECT article_id FROM initiative_mentions WHERE initiative_id = i.id)),
       (SELECT MAX(a.published_month) FROM articles a WHERE a.id IN (
            SELECT article_id FROM participation WHERE initiative_id = i.id
            UNION SELECT article_id FROM initiative_mentions WHERE initiative_id = i.id))
FROM initiatives i
"""


def kept(conn):
    "initiative_totals, leaving out initiatives no article names any more (their row stays, at zero)."
    return {r[0]: tuple(r[1:]) for r in conn.execute(
        "SELECT initiative_id, articles, countries, participants_named, first_month, last_month FROM initiative_totals "
        "WHERE articles > 0 OR countries > 0")}


def recount(conn):
    return {r[0]: tuple(r[1:]) for r in conn.execute(store.TOTALS_RECOUNT_SQL)}


def from_rows(conn):
    return {r[0]: tuple(r[1:]) for r in conn.execute(RAW_SQL) if r[1]}


def assert_totals_true(path):
    conn = sqlite3.connect(path)
    try:
        totals = kept(conn)
        assert totals, "the sample corpus names initiatives"
        assert totals == recount(conn)
        assert totals == from_rows(conn)
    finally:
        conn.close()


def test_an_ingest_keeps_the_totals(sample_db):
    assert_totals_true(sample_db)
    conn = sqlite3.connect(sample_db)
    assert conn.execute("SELECT COUNT(*) FROM initiative_totals WHERE countries > 0").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM initiative_totals WHERE participants_named > 0").fetchone()[0] > 0


def test_reextract_keeps_the_totals(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    with sqlite3.connect(path) as conn:  # as if an older extractor had found other participants
        conn.execute("DELETE FROM participation WHERE id IN (SELECT id FROM participation ORDER BY id LIMIT 5)")
    result = run_cli("reextract", path, "--quiet")
    assert result.returncode == 0, result.stderr
    assert_totals_true(path)
    with sqlite3.connect(sample_db) as a, sqlite3.connect(path) as b:
        assert kept(a) == kept(b)


def test_articles_taken_away_leave_the_totals_true(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    db = store.open_db(path)
    named = [r[0] for r in db.conn.execute(
        "SELECT DISTINCT article_id FROM participation WHERE country IS NOT NULL ORDER BY article_id LIMIT 3")]
    with db.conn:
        for article_id in named:  # what write_derived does first, then the rows and the article itself
            count_article(db, article_id, -1)
            for table in store.DERIVED_TABLES:
                db.conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
    db.conn.close()
    assert_totals_true(path)
    with sqlite3.connect(sample_db) as a, sqlite3.connect(path) as b:
        assert kept(a) != kept(b)


def test_a_summaries_rebuild_and_an_older_archive_get_them_counted(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    db = store.open_db(path)
    store.rebuild_summaries(db)
    db.conn.close()
    assert_totals_true(path)
    with sqlite3.connect(path) as conn:  # an archive written before initiative_totals
        for name in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                "AND name LIKE 'initiative_totals_%'")]:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE initiative_totals")
        conn.execute("DROP TABLE initiative_country_totals")
    conn = sqlite3.connect(path)
    store.migrate(conn)
    conn.close()
    assert_totals_true(path)
    result = run_cli("optimize", path)
    assert result.returncode == 0, result.stderr
    assert_totals_true(path)
