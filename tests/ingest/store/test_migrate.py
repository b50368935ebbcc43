"""An archive written by an older newstrace opens with the columns added since, filled in; and the
columns copied from the article into claim_mentions agree with it after an ingest."""
import shutil
import sqlite3

from newstrace.ingest import store

COPIED = ("SELECT COUNT(*) FROM claim_mentions m JOIN articles a ON a.id = m.article_id "
          "WHERE m.published IS NOT a.published OR m.outlet IS NOT COALESCE(a.sitename, a.hostname) "
          "OR m.published_month IS NOT a.published_month")


def test_mentions_carry_their_articles_date_and_outlet(sample_db):
    conn = sqlite3.connect(sample_db)
    assert conn.execute("SELECT COUNT(*) FROM claim_mentions WHERE published IS NOT NULL "
                        "AND outlet IS NOT NULL").fetchone()[0] > 20
    assert conn.execute(COPIED).fetchone()[0] == 0
    conn.close()


def test_older_archive_gets_the_added_columns(sample_db, tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(sample_db, path)
    conn = sqlite3.connect(path)
    with conn:
        for index in ("idx_claim_mentions_claim_date", "idx_claim_mentions_claim_timeline",
                      "idx_claim_mentions_claim_rated"):
            conn.execute(f"DROP INDEX {index}")
        for column in ("published", "outlet", "status_by", "status_independent"):
            conn.execute(f"ALTER TABLE claim_mentions DROP COLUMN {column}")
        for column in ("status_by", "status_independent", "status_at"):
            conn.execute(f"ALTER TABLE claims DROP COLUMN {column}")
    conn.close()
    store.open_db(str(path)).conn.close()
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(claim_mentions)")]
    assert columns[-4:] == ["published", "outlet", "status_by", "status_independent"]
    assert [row[1] for row in conn.execute("PRAGMA table_info(claims)")][-3:] == ["status_by", "status_independent",
                                                                                 "status_at"]
    assert conn.execute(COPIED).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'idx_claim_mentions_claim_%'"
                        ).fetchone()[0] == 4
    conn.close()
