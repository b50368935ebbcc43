"""How many statements a page of a partitioned archive sends to its partitions (issue 13: within 1.5x of the
single file at 1M articles in 60 partitions): a one-phrase search asks each partition once, a claim's mention
count and its mentions' page come from the partitions its counts name, the languages and claimed participant
counts from the archive-wide database — and the answers stay the single file's, also where the shortcuts run
out (a small page, a partition's share of a sample used up). Datasette in this process over the sample archive
and its `newstrace partition` copy; statements counted by wrapping each Database's execute."""
import json
import re
import sqlite3
from collections import Counter

import pytest

from tests.conftest import METADATA
from tests.plugin.test_partitioned import partitioned, same  # noqa: F401 (the module's fixture)


def _datasettes(sample_db, partitioned):  # noqa: F811
    from datasette.app import Datasette

    metadata = json.loads(open(METADATA).read())
    settings = {"sql_time_limit_ms": 20000}
    one = Datasette([str(sample_db)], metadata=metadata, settings=settings)
    many = Datasette([str(p) for p in sorted(partitioned.glob("*.db"))], metadata=metadata, settings=settings)
    return one, many


def _counting(ds, statements=None):
    """{database name: statements} of every execute on this instance's databases (counted, then run); each
    statement's text also appended to `statements` [(name, sql)] when given."""
    seen = Counter()
    for name, db in ds.databases.items():
        method = db.execute

        async def execute(sql, *args, _method=method, _name=name, **kwargs):
            seen[_name] += 1
            if statements is not None:
                statements.append((_name, sql))
            return await _method(sql, *args, **kwargs)
        db.execute = execute
    return seen


def _partition_names(ds):
    return [n for n in ds.databases if n.startswith("newstrace-")]


@pytest.mark.parametrize("query", ["rare", "gallium", "%E7%A8%80%E5%9C%9F", "price"])
async def test_a_one_phrase_search_asks_each_partition_once(sample_db, partitioned, query):  # noqa: F811
    one, many = _datasettes(sample_db, partitioned)
    path = f"/newstrace/-/search.json?q={query}"
    await many.client.get(path)  # warm (recognising the archive)
    statements = []
    _counting(many, statements)
    b = await many.client.get(path)
    a = await one.client.get(path)
    assert a.status_code == b.status_code == 200
    same(a.json(), b.json(), path)
    # (Datasette's own statements aside: 1.0 asks each database about permissions)
    ranking = Counter(name for name, sql in statements if "articles_fts" in sql)
    rows = Counter(name for name, sql in statements if "FROM articles WHERE id IN" in sql)
    for name in _partition_names(many):
        # its ranking and count in one statement, and the rows it holds of the page
        assert ranking[name] == 1 and rows[name] <= 1, (name, ranking[name], rows[name])


@pytest.mark.parametrize("query", ["rare", "the", "%E7%A8%80%E5%9C%9F", "china", "rare+earth", "price&language=en",
                                   "price&month=2026-02"])
async def test_small_pages_of_a_search_rank_as_the_single_file(sample_db, partitioned, query):  # noqa: F811
    "A page of one or two rows: each partition's first rows rarely prove the page, the others are asked again."
    one, many = _datasettes(sample_db, partitioned)
    for size in (1, 2, 5):
        for page in (1, 2, 3):
            path = f"/newstrace/-/search.json?q={query}&_size={size}&page={page}"
            a, b = await one.client.get(path), await many.client.get(path)
            assert a.status_code == b.status_code == 200, (path, b.text[:500])
            same(a.json(), b.json(), path)


@pytest.mark.parametrize("sort", ["_sort=published", "_sort_desc=published", "_sort=title", "_sort_desc=sitename",
                                  "_sort_desc=rank", "_sort=language"])
@pytest.mark.parametrize("query", ["rare", "the", "rare+earth", "price&language=en", "%E7%A8%80%E5%9C%9F"])
async def test_a_search_sorted_by_a_column_is_in_that_order(sample_db, partitioned, query, sort):  # noqa: F811
    "?_sort= / ?_sort_desc= on a partitioned archive: the rows in the column's order (ties by rank), as one file."
    one, many = _datasettes(sample_db, partitioned)
    for size, page in ((20, 1), (3, 1), (3, 2), (2, 4)):
        path = f"/newstrace/-/search.json?q={query}&{sort}&_size={size}&page={page}"
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200, (path, b.text[:500])
        same(a.json(), b.json(), path)
    column = sort.split("=")[1]
    rows = (await many.client.get(f"/newstrace/-/search.json?q={query}&{sort}")).json()["rows"]
    values = [r[column] for r in rows if r[column] is not None]
    assert len(values) > 1 and values == sorted(values, reverse=sort.startswith("_sort_desc")), values


async def test_a_claims_mentions_come_from_the_partitions_that_hold_them(sample_db, partitioned, monkeypatch):  # noqa: F811
    """Past DETAIL_LIMIT: the count from claim_partitions (no partition read), a page of mentions from the
    partitions of its dates, the outlets, timeline and rated mentions' partitions from one statement a partition,
    the sample across partitions (each giving its share first, more when its share ran out) — every page and
    page size as the single file answers."""
    from newstrace.plugin import claims, federated

    monkeypatch.setattr(claims, "DETAIL_LIMIT", 1)
    monkeypatch.setattr(claims, "SAMPLE_MENTIONS", 5)
    monkeypatch.setattr(federated, "SAMPLE_SHARE_FLOOR", 1)
    one, many = _datasettes(sample_db, partitioned)
    conn = sqlite3.connect(sample_db)
    ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE n_mentions > 2 ORDER BY n_mentions DESC, id")]
    conn.close()
    assert ids
    varied = 0
    for claim_id in ids[:6]:
        for query in ("", "?_size=1", "?_size=1&page=2", "?_size=2&page=2", "?_size=1&page=3"):
            path = f"/newstrace/-/claims/{claim_id}.json{query}"
            a, b = await one.client.get(path), await many.client.get(path)
            assert a.status_code == b.status_code == 200, (path, b.text[:1000])
            same(a.json(), b.json(), path)
            varied += bool(a.json()["variants"])
        assert (await many.client.get(f"/newstrace/-/claims/{claim_id}")).status_code == 200
    # a sample holding every mention: the figures that differ between them (the variants) compared too
    monkeypatch.setattr(claims, "SAMPLE_MENTIONS", 50)
    for claim_id in ids[:6]:
        path = f"/newstrace/-/claims/{claim_id}.json"
        a, b = await one.client.get(path), await many.client.get(path)
        same(a.json(), b.json(), path)
        varied += bool(a.json()["variants"])
    assert varied
    monkeypatch.setattr(claims, "SAMPLE_MENTIONS", 5)
    # the count reads no partition, nor do the outlets and the timeline (the cells do); the first page of one
    # mention only the partitions that can hold it: the undated one and the claim's earliest month
    statements = []
    _counting(many, statements)
    assert (await many.client.get(f"/newstrace/-/claims/{ids[0]}?_size=1")).status_code == 200
    read = [(name, sql) for name, sql in statements if name.startswith("newstrace-")]
    assert read
    for sql in (claims.MENTIONS_COUNT_SQL, claims.OUTLETS_SQL, claims.TIMELINE_SQL):
        assert not [name for name, text in read if text.strip() == sql.strip()], sql
    # the archive counted its claim_samples for another sample size (2,000): the variant groups are then one statement
    # in each partition holding some of the sample, after the cells (with them, one visit: test_partitioned_wide)
    grouped = [name for name, text in read if "m.quantities NOT IN" in text]
    assert len(grouped) == len(set(grouped))
    assert len([name for name, text in read if text.strip() == federated.CLAIM_CELLS_SQL.strip()]) <= len(
        _partition_names(many))
    conn = sqlite3.connect(partitioned / "newstrace.db")
    months = sorted(k for (k,) in conn.execute("SELECT partition FROM claim_partitions WHERE claim_id = ? AND "
                                               "partition != 'undated'", [ids[0]]))
    conn.close()
    paged = {name for name, text in read if "WHERE m.claim_id = :id\n" in text}  # MENTIONS_SQL, no other filter
    assert paged <= {"newstrace-undated", f"newstrace-{months[0]}"}, (paged, months)


async def test_languages_and_claimed_counts_come_from_the_archive_wide_database(sample_db, partitioned):  # noqa: F811
    one, many = _datasettes(sample_db, partitioned)
    for path in ("/newstrace/-/countries.json", "/newstrace/-/initiatives.json"):
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200
        same(a.json(), b.json(), path)
    from newstrace.plugin import countries

    statements = []
    _counting(many, statements)
    assert (await many.client.get("/newstrace/-/initiatives.json")).status_code == 200
    assert (await many.client.get("/newstrace/-/countries.json")).status_code == 200
    # (Datasette's own statements aside: 1.0 asks each database about permissions)
    read = [sql for name, sql in statements if name.startswith("newstrace-")]
    assert not [sql for sql in read if "initiative_claimed_counts" in sql or sql.strip() == countries.LANGUAGES_SQL], read


async def test_an_articles_shared_claims_come_from_the_archive_wide_database(sample_db, partitioned, tmp_path):  # noqa: F811
    """The article page's claims shared with other articles, each with its first others: from claim_partitions'
    first_articles (no partition read but the article's own, and those of the others it shows) — as the single
    file answers; an archive written before first_articles answers the same by asking the partitions, and
    `newstrace optimize FOLDER` adds and fills it."""
    import shutil

    from tests.conftest import run_cli
    from tests.ingest.cluster.conftest import claim_bookkeeping

    conn = sqlite3.connect(sample_db)
    shared = [r[0] for r in conn.execute(
        "SELECT DISTINCT m.article_id FROM claim_mentions m JOIN claims c ON c.id = m.claim_id WHERE c.n_articles > 1 "
        "ORDER BY c.n_articles DESC, m.article_id")]
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    conn.close()
    assert len(shared) > 5
    one, many = _datasettes(sample_db, partitioned)
    for article_id in ids:
        path = f"/newstrace/-/articles/{article_id}.json"
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200, (path, b.text[:500])
        same(a.json(), b.json(), path)
    conn = sqlite3.connect(partitioned / "newstrace.db")
    home = dict(conn.execute("SELECT id, partition FROM article_index"))
    conn.close()
    for article_id in shared[:5]:
        statements = []
        _counting(many, statements)
        data = (await many.client.get(f"/newstrace/-/articles/{article_id}.json")).json()
        assert data["shared_claims"] and any(c["others"] for c in data["shared_claims"])
        shown = {home[o["id"]] for c in data["shared_claims"] for o in c["others"]}
        # (Datasette's own statements aside: 1.0 asks each database about permissions)
        read = {name[len("newstrace-"):] for name, sql in statements if name.startswith("newstrace-") and
                re.search(r"\b(articles|claim_mentions)\b", sql)}
        assert read <= {home[article_id]} | shown, (article_id, read)
        assert not [sql for name, sql in statements if "SELECT DISTINCT article_id FROM claim_mentions" in sql]
        one, many = _datasettes(sample_db, partitioned)

    # written before first_articles: the partitions holding the claims are asked, with the same answers
    old = tmp_path / "newstrace"
    shutil.copytree(partitioned, old)
    conn = sqlite3.connect(old / "newstrace.db")
    with conn:
        conn.execute("ALTER TABLE claim_partitions DROP COLUMN first_articles")
    conn.close()
    one, many = _datasettes(sample_db, old)
    for article_id in shared[:5]:
        path = f"/newstrace/-/articles/{article_id}.json"
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200, (path, b.text[:500])
        same(a.json(), b.json(), path)
    result = run_cli("optimize", old)
    assert result.returncode == 0, result.stderr
    kept, actual = claim_bookkeeping(old)
    assert kept == actual and all(row[3] is not None for row in kept)
    assert kept == claim_bookkeeping(partitioned)[0]


def _roles(folder):
    conn = sqlite3.connect(folder / "newstrace.db")
    try:
        return sorted(conn.execute("SELECT partition, country, role, articles, initiatives FROM partition_role_counts"))
    finally:
        conn.close()


async def test_the_maps_roles_come_from_the_archive_wide_database(sample_db, partitioned, tmp_path):  # noqa: F811
    """The countries map without filters: its roles from partition_role_counts (no partition's participation read),
    as the single file counts them; with filters from the partitions. An archive written before the table gets it
    filled by `newstrace optimize FOLDER`, as `newstrace partition` writes it."""
    import shutil

    from tests.conftest import run_cli

    assert _roles(partitioned)
    one, many = _datasettes(sample_db, partitioned)
    paths = ("/newstrace/-/countries.json", "/newstrace/-/countries.json?color=articles",
             "/newstrace/-/countries.json?role=host", "/newstrace/-/countries.json?from=2026-02&to=2026-02")
    for path in paths:
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200, (path, b.text[:500])
        same(a.json(), b.json(), path)
    statements = []
    _counting(many, statements)
    assert (await many.client.get(paths[0])).status_code == 200
    assert (await many.client.get("/newstrace/-/countries")).status_code == 200
    assert not [name for name, sql in statements if name.startswith("newstrace-") and "FROM participation" in sql]

    old = tmp_path / "newstrace"
    shutil.copytree(partitioned, old)
    conn = sqlite3.connect(old / "newstrace.db")
    with conn:
        conn.execute("DROP TABLE partition_role_counts")
    conn.close()
    one, many = _datasettes(sample_db, old)
    for path in paths:  # (read from the partitions until then)
        a, b = await one.client.get(path), await many.client.get(path)
        same(a.json(), b.json(), path)
    result = run_cli("optimize", old)
    assert result.returncode == 0, result.stderr
    assert _roles(old) == _roles(partitioned)


async def test_the_initiatives_list_reads_the_archive_wide_totals(sample_db, partitioned):  # noqa: F811
    """Without date or language filters the initiatives list and pages read initiative_totals of the archive-wide
    database (kept by its triggers from every partition's summaries), as a single file reads its own — and answer
    as the single file, in every sort the totals serve."""
    from newstrace.plugin import initiatives

    one, many = _datasettes(sample_db, partitioned)
    paths = ["/newstrace/-/initiatives.json", "/newstrace/-/initiatives.json?_sort_desc=countries",
             "/newstrace/-/initiatives.json?_sort_desc=participants_named", "/newstrace/-/initiatives.json?_sort=articles",
             "/newstrace/-/initiatives.json?language=en"]
    for path in paths:
        a, b = await one.client.get(path), await many.client.get(path)
        assert a.status_code == b.status_code == 200, (path, b.text[:500])
        same(a.json(), b.json(), path)
    statements = []
    _counting(many, statements)
    assert (await many.client.get(paths[0])).status_code == 200
    wide = [sql for name, sql in statements if name == "newstrace"]
    assert any("FROM initiative_totals" in sql for sql in wide)
    stats = initiatives.INITIATIVE_STATS_SUMMARY_SQL.split("{participant_roles}")[0]  # the summary rows, not read
    assert not [sql for sql in wide if sql.startswith(stats)]
