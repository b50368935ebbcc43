"""The initiatives list and an initiative page read initiative_totals when no date or language filter is set: the
same rows, counts and orders as counted from the summaries (the archive without the table), on a real Datasette
over a synthetic archive with discovered initiatives (bench/make_archive.py)."""
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from datasette.app import Datasette

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
PAGES = ["/-/initiatives.json?_size=max", "/-/initiatives.json?_size=max&all=1",
         "/-/initiatives.json?_size=max&_sort_desc=countries", "/-/initiatives.json?_size=max&_sort=participants_named",
         "/-/initiatives.json?_size=7&page=2&_sort_desc=participants_named", "/-/initiatives.json?source=text&_size=max",
         "/-/initiatives.json?_size=max&language=en"]


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    import make_archive

    folder = tmp_path_factory.mktemp("totals")
    path = folder / "newstrace.db"
    make_archive.build(path, 400, seed=6, progress=False)
    make_archive.finish(path, discovered=40)
    without = folder / "without" / "newstrace.db"
    without.parent.mkdir()
    shutil.copy(path, without)
    with sqlite3.connect(without) as conn:  # counted from the summaries, as before initiative_totals
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE 'initiative_totals_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DROP TABLE initiative_totals")
    return path, without


def datasette(path):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    return Datasette([str(path)], metadata=metadata, settings={"suggest_facets": False})


async def get(ds, path):
    r = await ds.client.get("/newstrace" + path)
    assert r.status_code == 200, (path, r.text[:300])
    data = r.json()
    for key in ("summaries", "next_url", "json_url"):
        data.pop(key, None)
    return data


async def test_the_list_and_pages_answer_as_counted_from_the_summaries(archives):
    path, without = archives
    a, b = datasette(path), datasette(without)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM initiatives WHERE source = 'text'").fetchone()[0] >= 40
    assert conn.execute("SELECT COUNT(*) FROM initiative_totals WHERE countries > 1").fetchone()[0] > 0
    for page in PAGES:
        assert await get(a, page) == await get(b, page), page
    listed = (await get(a, PAGES[0]))["rows"]
    assert any(r["countries"] > 1 and r["participants_named"] > 0 for r in listed)
    by_countries = [r["countries"] for r in (await get(a, PAGES[2]))["rows"]]
    assert by_countries == sorted(by_countries, reverse=True)
    top = conn.execute("SELECT initiative_id FROM initiative_totals ORDER BY countries DESC LIMIT 3").fetchall()
    for (iid,) in top:
        page = f"/-/initiatives/{iid}.json"
        one, other = await get(a, page), await get(b, page)
        assert one["initiative"] == other["initiative"] and one["participants"] == other["participants"], iid


def test_the_list_reads_its_page_and_kinds_from_indexes(archives):
    "The list's order and its kinds come from indexes (schema idx_initiatives_list, idx_initiatives_kind)."
    from newstrace.plugin import initiatives as views

    conn = sqlite3.connect(archives[0])
    sql = views.LIST_IDS_SQL.format(where=views.SEEN, order=views.LIST_ORDER)
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, {"limit": 101, "offset": 0}))
    assert "idx_initiatives_list" in plan and "TEMP B-TREE" not in plan, plan
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + views.KINDS_SQL))
    assert "idx_initiatives_kind" in plan, plan


def test_sorted_by_name_a_page_is_read_from_an_index_in_the_same_order(archives):
    """Sorted by name the list walks idx_initiatives_name (no "missing last" guard: a name is never NULL) and gives
    the order the guarded sort gave; the claimed counts of a page's initiatives come from their index."""
    from newstrace.plugin import initiatives as views

    conn = sqlite3.connect(archives[0])
    name = views.LIST_SORT_SQL["name_en"]
    for desc in (False, True):
        guarded = f"{name} IS NULL, {name} {'DESC' if desc else 'ASC'}, {views.LIST_ORDER}"
        ids = [[r[0] for r in conn.execute(views.LIST_IDS_SQL.format(where="1 = 1", order=order),
                                           {"limit": -1, "offset": 0})]
               for order in (guarded, views.LIST_NAME_ORDER[desc])]
        assert ids[0] == ids[1] and len(ids[0]) > 40
    sql = views.LIST_IDS_SQL.format(where=views.SEEN, order=views.LIST_NAME_ORDER[False])
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, {"limit": 101, "offset": 0}))
    assert "idx_initiatives_name" in plan and "TEMP B-TREE" not in plan, plan
    sql = views.CLAIMED_SQL.format(join="", where=" AND c.initiative_id IN (:i0, :i1)")
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, {"i0": "a", "i1": "b"}))
    assert "idx_initiative_claimed_counts_initiative" in plan, plan
