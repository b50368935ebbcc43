"""The row counts of an archive's database page (plugin/tablecounts.py): exact up to 10,000 rows, "many" past that
without reading the table, the full-text index's tables not counted; a database that is not an archive keeps
Datasette's own counts. Real Datasette over archives built by bench/make_archive.py."""
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from datasette.app import Datasette

from newstrace.plugin.compat import DATASETTE_1
from newstrace.plugin.tablecounts import COUNT_LIMIT

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
MANY = COUNT_LIMIT + 1 if DATASETTE_1 else None  # how the running Datasette says "more than 10,000 rows"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    import make_archive

    path = tmp_path_factory.mktemp("counts") / "newstrace.db"
    make_archive.build(path, 60, seed=5, progress=False)
    make_archive.finish(path)
    return path


def datasette(*paths):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    return Datasette([str(p) for p in paths], metadata=metadata, settings={"suggest_facets": False})


async def page_counts(ds, name):
    r = await ds.client.get(f"/{name}.json?_show_hidden=1")
    assert r.status_code == 200
    return {t["name"]: t["count"] for t in r.json()["tables"]}


def fts_tables(conn):
    virtual = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n for n in names for v in virtual if n == v or n.startswith(v + "_")}


async def test_small_tables_are_counted_exactly_and_the_full_text_index_not(archive):
    counts = await page_counts(datasette(archive), "newstrace")
    conn = sqlite3.connect(archive)
    fts = fts_tables(conn)
    assert {"articles_fts", "articles_fts_data", "claim_mentions_fts_idx"} <= fts
    for table, n in counts.items():
        if table in fts:
            assert n is None, table
        else:
            assert n == conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0], table
    assert counts["articles"] == 60


@pytest.mark.parametrize("analyzed", ["before", "after"])
async def test_a_table_past_10000_rows_is_many(archive, tmp_path, analyzed):
    # statistics gathered while the table was small (counted, at most 10,001 rows read) or after it grew (not read)
    path = tmp_path / "newstrace.db"
    shutil.copy(archive, path)
    conn = sqlite3.connect(path)
    if analyzed == "before":
        conn.execute("ANALYZE")
    with conn:
        conn.executemany("INSERT INTO initiative_redirects (old_id, new_id) VALUES (?, 'x')",
                         [(f"old-{i}",) for i in range(COUNT_LIMIT + 5)])
    if analyzed == "after":
        conn.execute("ANALYZE")
    conn.close()
    ds = datasette(path)
    counts = await page_counts(ds, "newstrace")
    assert counts["initiative_redirects"] == MANY
    assert counts["articles"] == 60
    html = (await ds.client.get("/newstrace")).text
    assert ("&gt;10,000 rows" if DATASETTE_1 else "Many rows") in html


async def test_a_database_that_is_not_an_archive_keeps_datasettes_counts(archive, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO t (id) VALUES (?)", [(i,) for i in range(COUNT_LIMIT + 5)])
    conn.close()
    ds = datasette(archive, other)
    assert (await page_counts(ds, "other"))["t"] in (COUNT_LIMIT + 5, COUNT_LIMIT + 1)  # 0.65 exact, 1.0 capped
    assert (await page_counts(ds, "newstrace"))["articles"] == 60
