"""Pages of a partitioned archive answered from the archive-wide database alone where the single file reads one
index (issue 13: within 1.5x of the single file at 1M articles in 60 partitions): the claims list's q= from
claim_sentences (an index of the mentions' sentences, spaced CJK as a single file's), a country page's
initiatives and roles from partition_country_initiatives, the titles of the other articles an article page
shows from article_index.title — no partition asked, the answers the single file's. An archive written before
them answers the same by asking the partitions, and `newstrace optimize FOLDER` adds and fills them as
`newstrace partition` writes them. Datasette in this process over the sample archive and its split copy."""
import shutil
from collections import Counter
import sqlite3

import pytest

from tests.conftest import run_cli
from tests.ingest.cluster.conftest import assert_wide_bookkeeping, wide_bookkeeping
from tests.plugin.test_partitioned import partitioned, same  # noqa: F401 (the module's fixture)
from tests.plugin.test_partitioned_fanout import _counting, _datasettes

CLAIM_QUERIES = ["rare", "rare+earth", "%22rare+earth%22", "%E7%A8%80%E5%9C%9F", "price", "gallium", "china",
                 "export", "nothingmatchesthis", "rare+OR+gallium"]


def _column(sample_db, sql):
    "The first column of a statement on the single-file sample, as a list."
    conn = sqlite3.connect(sample_db)
    try:
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()


def _codes(sample_db):
    return _column(sample_db, "SELECT DISTINCT country FROM participation WHERE country IS NOT NULL ORDER BY 1")


def _article_ids(sample_db):
    return _column(sample_db, "SELECT id FROM articles ORDER BY id")


def _partition_reads(statements, pattern):
    "The statements sent to partitions whose text contains `pattern`."
    return [sql for name, sql in statements if name.startswith("newstrace-") and pattern in sql]


async def _pages(sample_db, folder, paths, no_partition=None):
    """Each path answers on the split archive in `folder` as on the single file; `no_partition`: a text no statement
    sent to a partition may contain (the part of the page read from the archive-wide database)."""
    one, many = _datasettes(sample_db, folder)
    for path in paths:
        _, statements = await _same_page(one, many, path)
        if no_partition:
            assert not _partition_reads(statements, no_partition), path
        one, many = _datasettes(sample_db, folder)


async def test_the_claims_list_q_reads_no_partition(sample_db, partitioned):  # noqa: F811
    paths = [f"/newstrace/-/claims.json?q={q}" for q in CLAIM_QUERIES]
    paths += ["/newstrace/-/claims.json?q=rare&_size=2&page=2", "/newstrace/-/claims.json?q=rare&status=confirmed"]
    await _pages(sample_db, partitioned, paths, no_partition="claim_mentions_fts")
    # it found something: claims whose own text does not match, through their mentions
    one, _ = _datasettes(sample_db, partitioned)
    assert (await one.client.get("/newstrace/-/claims.json?q=%E7%A8%80%E5%9C%9F")).json()["rows"]


async def test_a_country_pages_initiatives_read_no_partition(sample_db, partitioned):  # noqa: F811
    codes = _codes(sample_db)
    assert codes
    await _pages(sample_db, partitioned, [f"/newstrace/-/countries/{c}.json" for c in codes],
                 no_partition="GROUP BY p.initiative_id, p.role")
    # with a filter, from the partitions (the rows within it), the same answers
    await _pages(sample_db, partitioned, [f"/newstrace/-/countries/{codes[0]}.json?from=2026-02-01&to=2026-02-15",
                                          f"/newstrace/-/countries/{codes[0]}.json?language=en"])


async def test_an_article_pages_other_articles_read_no_partition(sample_db, partitioned):  # noqa: F811
    conn = sqlite3.connect(partitioned / "newstrace.db")
    home = dict(conn.execute("SELECT id, partition FROM article_index"))
    conn.close()
    ids = _article_ids(sample_db)
    one, many = _datasettes(sample_db, partitioned)
    async for article_id, _, statements in _article_pages(one, many, ids):
        # (Datasette's own statements aside: 1.0 asks each database about permissions)
        read = {name[len("newstrace-"):] for name, sql in statements if name.startswith("newstrace-") and
                " FROM articles " in sql}
        assert read <= {home[article_id]}, (article_id, read)


def _make_old(folder):
    "The archive-wide database as a newstrace from before these tables wrote it."
    conn = sqlite3.connect(folder / "newstrace.db")
    with conn:
        for trigger in ("facet_totals_insert", "facet_totals_delete", "facet_totals_update"):
            conn.execute(f"DROP TRIGGER {trigger}")
        for table in ("claim_sentences_fts", "claim_sentences", "partition_country_initiatives",
                      "partition_country_articles", "partition_initiative_articles", "facet_totals"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE article_index DROP COLUMN title")
    conn.close()


async def test_an_archive_from_before_answers_the_same_and_optimize_fills_them(sample_db, partitioned, tmp_path):  # noqa: F811
    old = tmp_path / "newstrace"
    shutil.copytree(partitioned, old)
    _make_old(old)
    paths = [f"/newstrace/-/claims.json?q={q}" for q in CLAIM_QUERIES[:5]]
    paths += [f"/newstrace/-/countries/{c}.json" for c in _codes(sample_db)[:4]]
    paths += [f"/newstrace/-/articles/{a}.json" for a in _article_ids(sample_db)[:12]]
    paths += [f"/newstrace/-/initiatives/{i}.json" for i in _initiative_ids(sample_db)[:6]]
    paths += ["/newstrace/-/overview.json", "/newstrace/-/search.json?q=rare"]
    await _pages(sample_db, old, paths)
    result = run_cli("optimize", old)
    assert result.returncode == 0, result.stderr
    assert_wide_bookkeeping(old)
    assert wide_bookkeeping(old) == wide_bookkeeping(partitioned)
    await _pages(sample_db, old, paths)


def test_split_keeps_them(partitioned):  # noqa: F811
    kept = wide_bookkeeping(partitioned)
    assert kept["claim_sentences"][0] and kept["partition_country_initiatives"][0]
    assert kept["partition_country_articles"][0] and kept["partition_initiative_articles"][0]
    assert kept["facet_totals"][0]
    assert all(title is not None for _, title in kept["titles"][0])
    assert_wide_bookkeeping(partitioned)


@pytest.mark.parametrize("query", ["稀土", "rare earth"])
def test_the_index_holds_spaced_cjk(partitioned, query):  # noqa: F811
    "claim_sentences_fts is written by newstrace's own code (a two-character Chinese word is found inside a run)."
    from newstrace.ingest.store.cjk import fts_query

    conn = sqlite3.connect(partitioned / "newstrace.db")
    try:
        found = conn.execute("SELECT COUNT(*) FROM claim_sentences_fts WHERE claim_sentences_fts MATCH ?",
                             [fts_query(query)]).fetchone()[0]
    finally:
        conn.close()
    assert found


async def test_a_hidden_partition_is_left_out_as_the_partitions_leave_it(sample_db, partitioned, tmp_path):  # noqa: F811
    """A month the actor may not see: the archive-wide tables answer for the partitions served only, as asking those
    partitions does (an archive from before the tables, under the same permissions)."""
    from datasette.app import Datasette

    from newstrace.plugin.compat import DATASETTE_1

    old = tmp_path / "newstrace"
    shutil.copytree(partitioned, old)
    _make_old(old)
    months = sorted(f.stem.split("-", 1)[1] for f in partitioned.glob("newstrace-*.db"))
    paths = [f"/newstrace/-/claims.json?q={q}" for q in CLAIM_QUERIES[:5]]
    paths += [f"/newstrace/-/countries/{c}.json" for c in _codes(sample_db)]
    paths += [f"/newstrace/-/articles/{a}.json" for a in _article_ids(sample_db)]
    paths += ["/newstrace/-/countries.json", "/newstrace/-/countries.json?color=articles"]
    paths += [f"/newstrace/-/initiatives/{i}.json" for i in _initiative_ids(sample_db)]
    paths += ["/newstrace/-/overview.json"]
    for hidden in (months[0], months[-1]):
        blocks = {"databases": {f"newstrace-{hidden}": {"allow": {"id": "root"}}}}

        def served(folder):
            files = [str(f) for f in sorted(folder.glob("*.db"))]
            return Datasette(files, config=blocks) if DATASETTE_1 else Datasette(files, metadata=blocks)
        new, before = served(partitioned), served(old)
        everything = Datasette([str(f) for f in sorted(partitioned.glob("*.db"))])
        differ = 0
        for path in paths:
            a, b = await before.client.get(path), await new.client.get(path)
            assert a.status_code == b.status_code, path
            if a.status_code == 200:
                same(a.json(), b.json(), path)
                differ += a.json() != (await everything.client.get(path)).json()
        assert differ  # the hidden month mattered


def test_an_index_rebuilt_by_another_tool_is_found_and_repaired(partitioned, tmp_path):  # noqa: F811
    """FTS5's own 'rebuild' (what `sqlite-utils rebuild-fts` runs) indexes the unspaced sentences: 稀土 inside a run
    is no longer found. `newstrace rebuild-fts FOLDER` finds claim_sentences_fts broken and builds it again."""
    from newstrace.ingest.store.cjk import fts_query
    from newstrace.ingest.store.fts_check import broken_fts

    folder = tmp_path / "newstrace"
    shutil.copytree(partitioned, folder)

    def found():
        conn = sqlite3.connect(folder / "newstrace.db")
        try:
            return conn.execute("SELECT COUNT(*) FROM claim_sentences_fts WHERE claim_sentences_fts MATCH ?",
                                [fts_query("稀土")]).fetchone()[0]
        finally:
            conn.close()
    before = found()
    conn = sqlite3.connect(folder / "newstrace.db")
    with conn:
        conn.execute("INSERT INTO claim_sentences_fts (claim_sentences_fts) VALUES ('rebuild')")
    assert "claim_sentences" in broken_fts(conn)
    conn.close()
    assert found() < before
    result = run_cli("rebuild-fts", folder)
    assert result.returncode == 0, result.stderr
    assert "claim_sentences" in result.stderr
    assert found() == before
    assert_wide_bookkeeping(folder)


def test_claim_sentences_of_a_partition_are_replaced_and_a_month_left_as_it_was_is_not_rewritten(tmp_path):
    from newstrace.ingest.partitioned.layout import open_wide, set_claim_sentences
    from newstrace.ingest.store.cjk import fts_query

    (tmp_path / "news").mkdir()
    conn = open_wide(tmp_path / "news" / "news.db").conn

    def claims_of(q):
        return sorted({r[0] for r in conn.execute(
            "SELECT claim_id FROM claim_sentences WHERE id IN (SELECT rowid FROM claim_sentences_fts WHERE "
            "claim_sentences_fts MATCH ?)", [fts_query(q)])})
    with conn:
        set_claim_sentences(conn, "2026-01", [(1, "中国稀土出口下降"), (2, "Rare earth prices rose")])
        set_claim_sentences(conn, "2026-02", [(2, "Rare earth prices rose again"), (3, "镓价格上涨")])
    assert claims_of("稀土") == [1] and claims_of("rare earth") == [2] and claims_of("镓") == [3]
    ids = conn.execute("SELECT id FROM claim_sentences ORDER BY id").fetchall()
    with conn:  # the same rows (in another order, repeated): nothing written
        set_claim_sentences(conn, "2026-01", [(2, "Rare earth prices rose"), (1, "中国稀土出口下降"), (1, "中国稀土出口下降")])
    assert conn.execute("SELECT id FROM claim_sentences ORDER BY id").fetchall() == ids
    with conn:  # traced again: claim 1 merged into 4, a sentence gone
        set_claim_sentences(conn, "2026-01", [(4, "中国稀土出口下降")])
    assert claims_of("稀土") == [4] and claims_of("rare earth") == [2] and claims_of("prices") == [2]
    with conn:
        set_claim_sentences(conn, "2026-02", [])
    assert claims_of("rare earth") == [] and claims_of("镓") == [] and claims_of("稀土") == [4]
    assert conn.execute("SELECT COUNT(*) FROM claim_sentences").fetchone()[0] == 1
    conn.close()


async def test_the_unfiltered_map_reads_summed_roles_and_the_initiative_totals(sample_db, partitioned):  # noqa: F811
    """The countries map without filters: roles summed from partition_role_counts and each country's initiatives from
    initiative_country_totals (the single file's summaries), no per-role initiative lists unpacked; with filters as
    before. The answers the single file's."""
    paths = ["/newstrace/-/countries.json", "/newstrace/-/countries.json?color=articles",
             "/newstrace/-/countries.json?role=host", "/newstrace/-/countries.geojson",
             "/newstrace/-/countries.json?language=zh", "/newstrace/-/countries.json?from=2026-02&to=2026-02"]
    one, many = _datasettes(sample_db, partitioned)
    for path in paths:
        _, statements = await _same_page(one, many, path)
        if "?" not in path or "color" in path:
            assert not [sql for name, sql in statements if "json_each(c.initiatives)" in sql], path
            assert not _partition_reads(statements, "participation"), path
        one, many = _datasettes(sample_db, partitioned)


def test_grouping_no_partition_at_all_is_no_rows():
    """A country whose rows are all in a month hidden from the actor: no partition is asked, and the grouped answer
    is empty, not a 500 (seen on the sample archive without ../shared: /-/countries/EU.json)."""
    from newstrace.plugin.federated import Results, grouped

    empty = grouped([], ["initiative_id", "role"], {"evidence": "sum"})
    assert list(empty.rows) == [] and list(empty.columns)[:2] == ["initiative_id", "role"]
    one = grouped([Results(["initiative_id", "role", "evidence"], [("x", "member", 2)]),
                   Results(["initiative_id", "role", "evidence"], [("x", "member", 3)])],
                  ["initiative_id", "role"], {"evidence": "sum"})
    assert [tuple(r) for r in one.rows] == [("x", "member", 5)]


def test_rows_merge_and_sort_in_sqlites_order_as_order_key_does():
    """sort_rows (merged, grouped) gives the order of order_key, SQLite's (NULL, numbers, text), ties in the order the
    rows came, ascending and descending alike — and SQLite's own ORDER BY agrees."""
    import heapq
    import random

    from newstrace.plugin.federated import Results, merged, order_key, sort_rows

    rng = random.Random(7)
    values = [None, 0, 1, 2.5, -3, "", "a", "B", "b", "中国", 10**15]
    columns = ["x", "y", "z"]
    values = [(rng.choice(values), rng.choice(values), i) for i in range(400)]
    rows = Results(columns, values).rows
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x, y, z)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", values)
    for spec in ([("x", "asc")], [("x", "desc"), ("y", "asc")], [("y", "desc"), ("x", "desc")]):
        expected = [tuple(r) for r in sorted(rows, key=order_key(spec))]
        assert [tuple(r) for r in sort_rows(list(rows), columns, spec)] == expected
        order = ", ".join(f"{c} {d}" for c, d in spec)
        assert conn.execute(f"SELECT x, y, z FROM t ORDER BY {order}, z").fetchall() == [
            tuple(r) for r in sort_rows(list(rows), columns, spec + [("z", "asc")])]
        # parts each in spec's order merge into the order of all of them (ties: the first part's first, as
        # heapq.merge gives them), cut where asked
        parts = [Results(columns, sorted(rows[i::3], key=order_key(spec))) for i in range(3)]
        whole = [tuple(r) for r in heapq.merge(*[p.rows for p in parts], key=order_key(spec))]
        assert [tuple(r) for r in merged(parts, spec, limit=50, offset=20).rows] == whole[20:70]
        assert sorted(whole, key=lambda r: r[2]) == sorted(expected, key=lambda r: r[2])
    assert sort_rows([], ["x"], [("missing", "asc")]) == []  # nothing found names no column


def test_a_packed_statement_gives_the_rows_with_their_types():
    "packed(): one JSON value in place of the rows, numbers, text and NULLs as they were."
    import json

    from newstrace.plugin.federated import packed

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER, b REAL, c TEXT)")
    rows = [(1, 2.5, "x"), (None, None, None), (2**40, -0.0, '引号 "quoted" \\ and\nlines'), (3, 1e-7, "")]
    conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    found = json.loads(conn.execute(packed("SELECT a, b, c FROM t ORDER BY rowid", ["a", "b", "c"])).fetchone()[0])
    assert [tuple(r) for r in found] == conn.execute("SELECT a, b, c FROM t ORDER BY rowid").fetchall()
    assert [type(v) for v in found[0]] == [int, float, str]
    assert json.loads(conn.execute(packed("SELECT a FROM t WHERE 0", ["a"])).fetchone()[0]) == []


async def _same_page(one, many, path, only_ok=True):
    """`path` from the single file (`one`) and the split archive (`many`): the same status (200 unless `only_ok` is
    false) and, when 200, the same JSON. Returns the split archive's page (None when not 200) and the statements it
    ran for it."""
    statements = []
    _counting(many, statements)
    a, b = await one.client.get(path), await many.client.get(path)
    assert a.status_code == b.status_code and (a.status_code == 200 or not only_ok), (path, b.text[:500])
    if a.status_code != 200:
        return None, statements
    same(a.json(), b.json(), path)
    return b.json(), statements


async def _article_pages(one, many, ids):
    "Each article's page (.json), as _same_page checks it: the id, the split archive's page, its statements."
    for article_id in ids:
        page, statements = await _same_page(one, many, f"/newstrace/-/articles/{article_id}.json")
        yield article_id, page, statements


def _initiative_ids(sample_db):
    return _column(sample_db, "SELECT DISTINCT initiative_id FROM participation WHERE initiative_id IS NOT NULL "
                              "ORDER BY 1")


async def test_an_initiative_page_asks_only_the_partitions_holding_its_dated_roles_and_claims(sample_db, partitioned):  # noqa: F811
    """An initiative page's roles dated in the text from the partitions partition_initiative_articles says hold some,
    its claiming articles from those initiative_claimed_max names (none asked when it has none), the newest
    articles with evidence from the months that hold the page (exact counts): the single file's answers."""
    from newstrace.plugin import initiatives

    conn = sqlite3.connect(partitioned / "newstrace.db")
    dated = {(i, k) for k, i in conn.execute("SELECT partition, initiative_id FROM partition_initiative_articles "
                                             "WHERE dated > 0")}
    claimed = {(i, k) for k, i in conn.execute("SELECT partition, initiative_id FROM initiative_claimed_max")}
    conn.close()
    ids = _initiative_ids(sample_db)
    assert ids and dated and claimed  # the sample has both, so the test reads something
    one, many = _datasettes(sample_db, partitioned)
    dated_text = " ".join(initiatives.DATED_SQL.split()[:4])
    claims_text = "c.claimed, a.title AS article_title"
    asked = {"dated": 0, "claims": 0}
    for initiative_id in ids:
        for query in ("", "?language=en"):
            path = f"/newstrace/-/initiatives/{initiative_id}.json{query}"
            _, statements = await _same_page(one, many, path)
            for name, sql in statements:
                key = name[len("newstrace-"):]
                if name.startswith("newstrace-") and dated_text in " ".join(sql.split()):
                    assert (initiative_id, key) in dated, (path, key)
                    asked["dated"] += 1
                if name.startswith("newstrace-") and claims_text in sql:
                    assert (initiative_id, key) in claimed, (path, key)
                    asked["claims"] += 1
            one, many = _datasettes(sample_db, partitioned)
    assert asked["dated"] and asked["claims"]


@pytest.mark.parametrize("later", [40, 60])
async def test_an_initiatives_claiming_articles_come_from_the_months_that_can_hold_the_first_20(
        sample_db, partitioned, tmp_path, later):  # noqa: F811
    """21 articles of the biggest month claim 60 participants of an initiative, the next month's one claims `later`:
    the first 20 are all in the biggest month when `later` is fewer (the next month is not asked), and the next
    month's comes first when it equals them (newer, asked) — the single file's 20 either way."""
    single, folder = tmp_path / "newstrace.db", tmp_path / "split" / "newstrace"
    shutil.copy(sample_db, single)
    shutil.copytree(partitioned, folder)
    wide = sqlite3.connect(folder / "newstrace.db")
    months = sorted((n, k) for k, n in wide.execute("SELECT key, articles FROM partitions WHERE key != 'undated'"))
    wide.close()
    assert len(months) >= 2 and months[-1][0] > 21
    big = months[-1][1]
    other = max(k for _, k in months if k != big)
    assert other > big  # (the sample: February's articles, one of March)
    initiative = _initiative_ids(sample_db)[0]
    rows = []
    for key, claimed, n in ((big, 60, 21), (other, later, 1)):
        conn = sqlite3.connect(folder / f"newstrace-{key}.db")
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE published IS NOT NULL ORDER BY id LIMIT ?", [n])]
        with conn:
            conn.execute("DELETE FROM initiative_claimed_counts WHERE initiative_id = ?", [initiative])
            conn.executemany("INSERT INTO initiative_claimed_counts (article_id, initiative_id, claimed) VALUES (?, ?, ?)",
                             [(i, initiative, claimed) for i in ids])
        conn.close()
        rows += [(i, initiative, claimed) for i in ids]
    conn = sqlite3.connect(single)
    with conn:
        conn.execute("DELETE FROM initiative_claimed_counts WHERE initiative_id = ? AND article_id IN (SELECT id FROM "
                     "articles WHERE published_month IN (?, ?))", [initiative, big, other])
        conn.executemany("INSERT INTO initiative_claimed_counts (article_id, initiative_id, claimed) VALUES (?, ?, ?)",
                         rows)
    conn.close()
    for target in (single, folder):
        result = run_cli("optimize", target)
        assert result.returncode == 0, result.stderr
    one, many = _datasettes(single, folder)
    page, statements = await _same_page(one, many, f"/newstrace/-/initiatives/{initiative}.json")
    assert len(page["claims"]) == 20
    asked = {name[len("newstrace-"):] for name, sql in statements
             if name.startswith("newstrace-") and "c.claimed, a.title AS article_title" in sql}
    assert (other in asked) == (later == 60), asked
    assert big in asked


async def test_an_article_page_reads_its_partition_in_one_visit(sample_db, partitioned):  # noqa: F811
    """The article page's own statements (its mentions, countries, participation, versions, snapshots) read in the
    visit that reads the article: none sent to the partition on its own; the page the single file's. An actor who
    may not see the snapshots and versions gets the page the single file gives under the same rule."""
    from datasette.app import Datasette

    from newstrace.plugin import articles
    from newstrace.plugin.compat import DATASETTE_1

    own = [" ".join(s.split()) for s in (articles.ARTICLE_SQL, articles.MENTIONS_SQL, articles.COUNTRY_MENTIONS_SQL,
                                          articles.PARTICIPATION_SQL, articles.VERSIONS_SQL, articles.SNAPSHOTS_SQL)]
    ids = _article_ids(sample_db)
    one, many = _datasettes(sample_db, partitioned)
    snapshots = 0
    async for article_id, page, statements in _article_pages(one, many, ids):
        snapshots += len(page["snapshots"])
        sent = [" ".join(sql.split()) for name, sql in statements if name.startswith("newstrace-")]
        assert not [s for s in sent if s in own], (article_id, sent)
    assert snapshots  # (so that leaving them out below is seen)
    files = sorted(partitioned.glob("*.db"))
    deny = {"snapshots": {"allow": False}, "article_versions": {"allow": False}}

    def served(paths):
        blocks = {"databases": {p.stem: {"tables": deny} for p in paths}}
        return Datasette([str(p) for p in paths], config=blocks) if DATASETTE_1 else \
            Datasette([str(p) for p in paths], metadata=blocks)
    one, many = served([sample_db]), served(files)
    for article_id in ids:
        path = f"/newstrace/-/articles/{article_id}.json"
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code, path
        if a.status_code == 200:
            same(a.json(), b.json(), path)
            assert not a.json()["snapshots"]


async def test_a_pages_evidence_rows_come_with_its_newest_articles(sample_db, partitioned):  # noqa: F811
    """A country's or an initiative's evidence: the first page's participation rows read in the visits that find its
    newest articles (no statement of their own), later pages and filtered ones from the articles' partitions — every
    page the single file's."""
    one, many = _datasettes(sample_db, partitioned)
    pages = [f"/newstrace/-/countries/{c}.json" for c in _codes(sample_db)]
    pages += [f"/newstrace/-/initiatives/{i}.json" for i in _initiative_ids(sample_db)]
    first = 0
    for page in pages:
        for query in ("", "?_size=1", "?_size=1&page=2", "?_size=2&page=2", "?language=en", "?role=member"):
            path = page + query
            got, statements = await _same_page(one, many, path, only_ok=False)
            if got is None:
                continue
            rows = _partition_reads(statements, "a.title AS article_title, COALESCE(a.canonical_url, a.url)")
            rows = [sql for sql in rows if "FROM participation p JOIN articles a" in sql]
            if query in ("", "?_size=1") and (got.get("participation") or []):
                assert not rows, path
                first += 1
            one, many = _datasettes(sample_db, partitioned)
    assert first


async def test_a_claim_pages_partitions_are_visited_at_most_twice(sample_db, partitioned, monkeypatch):  # noqa: F811
    """A large claim's page (past DETAIL_LIMIT): the partitions holding its page of mentions give its cells and first
    sample share in the same visit, the others in one of their own; then those holding some of the sample give its
    variant groups — two visits at most to each, one when the part of the sample each holds is known (claim_samples,
    or a claim no larger than the sample), the single file's page. (Reading every sampled mention's details
    in the first visit instead, twice as many as the sample keeps, cost more than the second visit: 22 against 14
    ms over 12 partitions at 1M articles.)"""
    from newstrace.plugin import claims, federated

    monkeypatch.setattr(claims, "DETAIL_LIMIT", 1)
    monkeypatch.setattr(claims, "SAMPLE_MENTIONS", 5)
    monkeypatch.setattr(federated, "SAMPLE_SHARE_FLOOR", 1)
    conn = sqlite3.connect(sample_db)
    found = conn.execute("SELECT id, n_mentions FROM claims WHERE n_mentions > 2 ORDER BY n_mentions DESC, id").fetchall()
    conn.close()
    mentions = dict(found)
    small = [c for c, n in found if n <= claims.SAMPLE_MENTIONS]
    ids = [c for c, _ in found[:3]] + small[:3]
    assert len(ids) == 6 and small
    for claim_id in ids:
        for query in ("", "?_size=1", "?_size=2&page=2"):
            one, many = _datasettes(sample_db, partitioned)
            visits = Counter()
            for name, db in many.databases.items():
                if name.startswith("newstrace-"):
                    method = db.execute_fn

                    async def counted(fn, *args, _method=method, _name=name, **kwargs):
                        if getattr(fn, "__name__", "") == "timed":
                            visits[_name] += 1
                        return await _method(fn, *args, **kwargs)
                    db.execute_fn = counted
                    plain = db.execute

                    async def executed(sql, *args, _method=plain, _name=name, **kwargs):
                        # a page of the claim's mentions on its own (the first article's own mention and the rated
                        # ones aside)
                        if "WITH page AS" in sql and ":article" not in sql and federated.RATED_FILTER not in sql \
                                and federated.RATED_BY_FILTER not in sql:
                            visits[_name] += 1
                        if "AS _original" in sql:  # a partition's groups of the sample (federated.grouped_sql)
                            visits[_name] += 1
                        return await _method(sql, *args, **kwargs)
                    db.execute = executed
            path = f"/newstrace/-/claims/{claim_id}.json{query}"
            a, b = await one.client.get(path), await many.client.get(path)
            assert a.status_code == b.status_code == 200, (path, b.text[:500])
            same(a.json(), b.json(), path)
            # a claim whose sample is all its mentions (as one counted in claim_samples): its groups come with its
            # counts, one visit; past it (another sample size than the archive counted), two at most
            most = 1 if mentions[claim_id] <= claims.SAMPLE_MENTIONS else 2
            assert visits and max(visits.values()) <= most, (path, visits)


async def test_a_claims_sample_counted_per_partition_gives_the_single_files_page(sample_db, partitioned, tmp_path,  # noqa: F811
                                                                                 monkeypatch):
    """claim_samples: how many of a claim's first N mentions in article order each partition holds, as the single file
    orders them; with it, a claim page past DETAIL_LIMIT reads its variant groups in the same visit as its counts, and
    they are the single file's. Another sample size than the one counted: the page reads the sample as before."""
    from collections import Counter

    from newstrace.ingest.partitioned.layout import open_wide, wide_claim_samples
    from newstrace.plugin import claims, federated

    folder = tmp_path / "news"
    shutil.copytree(partitioned, folder)
    size = 3
    wide = open_wide(folder / "newstrace.db")
    wide_claim_samples(wide, folder, size=size)
    kept = {(c, k): n for c, k, n in wide.conn.execute("SELECT claim_id, partition, sampled FROM claim_samples")}
    wide.conn.close()
    single = sqlite3.connect(sample_db)
    where = dict(sqlite3.connect(folder / "newstrace.db").execute("SELECT id, partition FROM article_index"))
    expected = {}
    big = [c for (c,) in single.execute("SELECT claim_id FROM claim_mentions GROUP BY claim_id HAVING COUNT(*) > ?",
                                        [size])]
    assert big
    for claim_id in big:
        first = single.execute("SELECT article_id FROM claim_mentions WHERE claim_id = ? ORDER BY article_id, "
                               "char_start, id LIMIT ?", [claim_id, size]).fetchall()
        expected.update({(claim_id, k): n for k, n in Counter(where[a] for (a,) in first).items()})
    single.close()
    assert kept == expected

    monkeypatch.setattr(claims, "DETAIL_LIMIT", 1)
    for sample, precounted in ((size, True), (size + 1, False)):
        monkeypatch.setattr(claims, "SAMPLE_MENTIONS", sample)
        for claim_id in big[:4]:
            one, many = _datasettes(sample_db, folder)
            path = f"/newstrace/-/claims/{claim_id}.json"
            a, b = await one.client.get(path), await many.client.get(path)
            assert a.status_code == b.status_code == 200, (path, b.text[:500])
            same(a.json(), b.json(), path)
            fed = (await federated.federated(many, many.databases["newstrace"]))[0]
            await federated.claim_cells(fed, claim_id)
            assert (("claim_variant_rows", claim_id, sample) in fed.cache) is precounted
