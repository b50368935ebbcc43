"""participation.latest_ids: a small set of articles (a country's evidence) is paged by a bounded walk of the newest
articles when that costs less than sorting the set, and by the sort when the walk does not meet the page. Either
way the page is the set's articles newest first (published DESC, id DESC; undated last), as the sort gives it:
checked against that order computed here, page by page, for a set spread over the archive (the walk answers),
one bunched among the oldest articles (the walk gives up, the sort answers) and one with undated articles."""
import sqlite3

import pytest
from datasette.app import Datasette

from newstrace.plugin import participation
from newstrace.plugin.participation import latest_ids

ARTICLES = 2000


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("walk") / "walk.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE articles (id INTEGER PRIMARY KEY, published TEXT);
        CREATE INDEX idx_articles_published ON articles(published);
        CREATE TABLE participation (id INTEGER PRIMARY KEY, country TEXT, article_id INTEGER);
        CREATE INDEX idx_participation_country ON participation(country, article_id);
    """)
    # dates out of id order, repeated (ties broken by id), some articles undated
    conn.executemany("INSERT INTO articles VALUES (?, ?)", [
        (i, None if i % 97 == 0 else f"2026-{1 + (i * 7919) % 12:02d}-{1 + (i * 104729) % 28:02d}")
        for i in range(1, ARTICLES + 1)])
    rows = []
    for i in range(1, ARTICLES + 1):
        if i % 50 == 0:
            rows.append(("SPREAD", i))  # 40 articles over the whole archive
        if i % 97 == 0 or i % 101 == 0:
            rows.append(("UNDATED", i))  # 20 undated and 19 dated
    oldest = [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE published IS NOT NULL ORDER BY published, id LIMIT 40")]
    rows += [("OLD", i) for i in oldest]  # the 40 oldest articles
    conn.executemany("INSERT INTO participation (country, article_id) VALUES (?, ?)", rows)
    conn.commit()
    expected = {}
    for code in ("SPREAD", "OLD", "UNDATED"):
        members = [r for r in conn.execute(
            "SELECT a.id, a.published FROM articles a WHERE a.id IN "
            "(SELECT article_id FROM participation WHERE country = ?)", [code])]
        expected[code] = [i for i, _ in sorted(members, key=lambda r: (r[1] is not None, r[1] or "", r[0]),
                                                reverse=True)]
    conn.close()
    return path, expected


def _recorded(db, monkeypatch):
    "The statements `db` runs from now on, in order (the real database answers them)."
    seen = []
    execute = db.execute

    async def recorded(sql, params=None, **kwargs):
        seen.append(sql)
        return await execute(sql, params, **kwargs)

    monkeypatch.setattr(db, "execute", recorded)
    return seen


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ["SPREAD", "OLD", "UNDATED"])
async def test_every_page_is_the_sets_newest_first(archive, code, monkeypatch):
    path, expected = archive
    ds = Datasette([str(path)])
    db = ds.get_database("walk")
    seen = _recorded(db, monkeypatch)
    size = len(expected[code])
    got, page, more = [], 1, True
    while more:
        ids, more = await latest_ids(db, "participation", "m.country = :code", {"code": code}, size, {}, page, 2)
        assert len(ids) == 2 or not more
        got += ids
        page += 1
    assert got == expected[code]
    walked = [s for s in seen if "LIMIT :scan" in s]
    sorted_ = [s for s in seen if "WHERE a.id IN" in s]
    assert walked, "the set is small enough for the bounded walk to be tried on its first page"
    if code == "OLD":  # every walk missed its page: each page was sorted
        assert len(sorted_) == page - 1
    if code == "SPREAD":  # the first page was found by the walk alone
        assert "LIMIT :scan" in seen[1] and "WHERE a.id IN" not in seen[2]


def test_the_walks_cost_model_is_the_documented_one():
    assert participation.WALK_PER_LOOKUP == 8 and participation.SCAN_SHARE == 0.02


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ["SPREAD", "OLD", "UNDATED"])
async def test_the_newest_id_given_is_the_one_read(archive, code, monkeypatch):
    "A page that has read the newest article id (the summaries' state) passes it: the same pages, one statement less."
    path, expected = archive
    db = Datasette([str(path)]).get_database("walk")
    seen = _recorded(db, monkeypatch)
    size = len(expected[code])
    for page in (1, 2, 5):
        read = await latest_ids(db, "participation", "m.country = :code", {"code": code}, size, {}, page, 2)
        given = await latest_ids(db, "participation", "m.country = :code", {"code": code}, size, {}, page, 2,
                                 newest=ARTICLES)
        assert given == read and given[0] == expected[code][(page - 1) * 2:page * 2]
    assert sum("MAX(id)" in s for s in seen) == 3  # only the calls without it read it
