"""A partitioned archive written by an older newstrace (before issue 10's initiative columns and tables and issue 9's
claim status columns, as the 1M bench archive was): its initiative pages answer 503 naming the command — like a
single file's (test_readiness.py) — never 500, the pages that read nothing added since keep working, and
`newstrace optimize FOLDER` brings every file up to date in place, after which the pages answer as an archive
split at the current schema does. The sample archive split by `newstrace partition`, one real `datasette serve`."""
import json
import shutil
import sqlite3

import httpx
import pytest

from tests.conftest import METADATA, run_cli, serve_datasette
from tests.plugin.test_readiness import ISSUE_10_COLUMNS, comparable

# what an archive written before issues 9 and 10 lacks (tables, and columns of the tables it has)
OLD_TABLES = ("initiative_mentions", "initiative_redirects", "canonical_claims", "claim_trace_pending", "summary_state")
OLD_COLUMNS = {"initiatives": ISSUE_10_COLUMNS, "claims": ("status_by", "status_independent", "status_at"),
               "claim_mentions": ("status_by", "status_independent")}
INITIATIVE_PAGES = ("/-/initiatives", "/-/initiatives.json", "/-/initiatives/critical-minerals-ministerial",
                    "/-/initiatives/critical-minerals-ministerial.json")
OTHER_PAGES = ("/-/overview.json", "/-/countries.json", "/-/countries/CN.json", "/-/claims.json",
               "/-/search.json?q=rare", "/-/articles/1.json")


def without_status(data):
    "A page without issue 9's columns (an older newstrace did not record them: `newstrace reextract` does)."
    if isinstance(data, dict):
        return {k: without_status(v) for k, v in data.items() if k not in OLD_COLUMNS["claims"]}
    if isinstance(data, list):
        return [without_status(v) for v in data]
    return data


def make_old(folder):
    "Every file of the archive as an older newstrace wrote it."
    for path in sorted(folder.glob("*.db")):
        conn = sqlite3.connect(path)
        with conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for (index,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                         "tbl_name = 'initiatives' AND sql LIKE '%articles%'").fetchall():
                conn.execute(f"DROP INDEX {index}")
            for table in OLD_TABLES:
                if table in tables:
                    conn.execute(f"DROP TABLE {table}")
            if "partition_info" in tables:  # the schema it was written at
                conn.execute("UPDATE partition_info SET value = 'older' WHERE name = 'schema'")
            for table, columns in OLD_COLUMNS.items():
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                for column in columns:
                    if column in have:
                        # an index on the column came with it (idx_initiatives_series, ...): an older file had neither
                        for (index,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                                     "tbl_name = ? AND sql LIKE ?", (table, f"%{column}%")).fetchall():
                            conn.execute(f"DROP INDEX {index}")
                        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.close()


def lacks(path):
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        have = {r[1] for r in conn.execute("PRAGMA table_info(initiatives)")}
        return [t for t in ("initiative_mentions",) if t not in tables], [c for c in ISSUE_10_COLUMNS if c not in have]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def folders(sample_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("upgrade")
    # an older newstrace found no initiatives in the text: the same archive without them, split at the current schema
    single = root / "newstrace.db"
    shutil.copy(sample_db, single)
    conn = sqlite3.connect(single)
    with conn:
        assert conn.execute("DELETE FROM initiative_mentions").rowcount
    conn.close()
    current = root / "current" / "newstrace"
    result = run_cli("partition", single, current, "--quiet")
    assert result.returncode == 0, result.stderr
    old = root / "old" / "newstrace"
    shutil.copytree(current, old)
    make_old(old)
    return current, old


def get(url, status=200):
    r = httpx.get(url, timeout=60)
    assert r.status_code == status, (url, r.status_code, r.text[:600])
    return r


def test_an_old_partitioned_archive_answers_503_then_optimize_upgrades_it_in_place(folders):
    current, old = folders
    files = sorted(old.glob("*.db"))
    assert len(files) >= 3
    with serve_datasette(files, "-m", METADATA) as url, \
            serve_datasette(sorted(current.glob("*.db")), "-m", METADATA) as current_url:
        for page in INITIATIVE_PAGES:
            r = get(url + "/newstrace" + page, 503)
            if page.endswith(".json"):
                data = r.json()
                assert data["command"] == "newstrace optimize newstrace/"
                assert "initiatives.articles" in data["missing_columns"]
                assert "initiative_mentions" in data["missing_tables"]
            else:
                assert "This archive needs upgrading" in r.text and "newstrace optimize newstrace/" in r.text
        # the pages that read nothing added since keep working
        for page in OTHER_PAGES:
            get(url + "/newstrace" + page)
        assert get(url + "/newstrace/-/overview.json").json()["top_initiatives"] == \
            get(current_url + "/newstrace/-/overview.json").json()["top_initiatives"]

        # upgraded in place while the server runs; a partition still old keeps the 503
        result = run_cli("optimize", old)
        assert result.returncode == 0, result.stderr
        for path in files:
            assert lacks(path) == ([], []) or path.stem == "newstrace" and lacks(path)[1] == [], path
        conn = sqlite3.connect(old / "newstrace.db")
        seen = conn.execute("SELECT COUNT(*) FROM initiatives WHERE first_seen IS NOT NULL").fetchone()[0]
        conn.close()
        assert seen  # filled from the partitions' participation rows, as a single file's from its articles
        for page in INITIATIVE_PAGES + OTHER_PAGES:
            r = get(url + "/newstrace" + page)
            if page.endswith(".json") or ".json?" in page:
                mine = json.loads(r.text.replace(url, ""))
                theirs = json.loads(get(current_url + "/newstrace" + page).text.replace(current_url, ""))
                assert without_status(comparable(mine)) == without_status(comparable(theirs)), page
    # and again: nothing left to do
    assert run_cli("optimize", old).returncode == 0


def test_a_partition_left_old_keeps_the_503(folders, tmp_path):
    current, _ = folders
    folder = tmp_path / "newstrace"
    shutil.copytree(current, folder)
    partition = sorted(p for p in folder.glob("newstrace-*.db"))[-1]
    make_old_one = sqlite3.connect(partition)
    with make_old_one:
        make_old_one.execute("DROP TABLE initiative_mentions")
    make_old_one.close()
    with serve_datasette(sorted(folder.glob("*.db")), "-m", METADATA) as url:
        data = get(url + "/newstrace/-/initiatives.json", 503).json()
        assert data["missing_tables"] == ["initiative_mentions"] and data["missing_columns"] == []
        get(url + "/newstrace/-/countries.json")
