"""`newstrace reextract` brings an archive made by an older extractor to the new extraction (issue 9): the new
columns are filled, headline claims appear, and every claim whose sentence is still a claim keeps its id."""
import shutil
import sqlite3

from tests.conftest import run_cli

IDS = """SELECT a.url, m.char_start, m.sentence, COALESCE(r.new_id, m.claim_id) FROM claim_mentions m
JOIN articles a ON a.id = m.article_id LEFT JOIN claim_redirects r ON r.old_id = m.claim_id"""


# a page whose headline the body does not repeat (the sample corpus's pages all open with theirs)
HEADLINE_PAGE = """<html><head><title>Harbor council freezes ferry fares for 2027</title>
<meta property="og:title" content="Harbor council freezes ferry fares for 2027"></head><body><article>
<p>The vote was seven to two on Tuesday evening, after a debate of three hours in the old town hall.</p>
<p>Councillor Ada Brenn said the freeze would cost the city 1.2 million dollars a year.</p>
</article></body></html>"""


def test_reextract_upgrades_an_older_archive_and_keeps_claim_ids(sample_db, tmp_path):
    path = tmp_path / "older.db"
    shutil.copy(sample_db, path)
    page = tmp_path / "headline.html"
    page.write_text(HEADLINE_PAGE, encoding="utf-8")
    assert run_cli("ingest", path, page, "--quiet").returncode == 0
    conn = sqlite3.connect(path)
    before = {(url, sentence): claim for url, _, sentence, claim in conn.execute(IDS)}
    assert before and any(status is not None for (status,) in conn.execute("SELECT status_by FROM claim_mentions"))
    # as an older newstrace left it: no headline claims, no status_by columns
    with conn:
        conn.execute("DELETE FROM claim_mentions WHERE segment = 'title'")
        for column in ("status_by", "status_independent"):
            conn.execute(f"ALTER TABLE claim_mentions DROP COLUMN {column}")
        for column in ("status_by", "status_independent", "status_at"):
            conn.execute(f"ALTER TABLE claims DROP COLUMN {column}")
    conn.close()
    result = run_cli("reextract", path, "--quiet")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(path)
    after = {(url, sentence): claim for url, _, sentence, claim in conn.execute(IDS)}
    # the same sentences, the same claim ids
    kept = set(before) & set(after)
    assert len(kept) >= 0.9 * len(before)
    assert {key: after[key] for key in kept} == {key: before[key] for key in kept}
    # the new extraction's fields are there again
    assert conn.execute("SELECT COUNT(*) FROM claim_mentions WHERE segment = 'title'").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM claim_mentions WHERE status_by IS NOT NULL").fetchone()[0] > 0
    columns = [row[1] for row in conn.execute("PRAGMA table_info(claims)")]
    assert {"status_by", "status_independent", "status_at"} <= set(columns)
    conn.close()
