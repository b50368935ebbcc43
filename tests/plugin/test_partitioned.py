"""A partitioned archive served by `datasette serve` over its files: every page of the plugin answers as the
single file's does (the same rows, counts and order; bm25 ranks equal to the last bits), search finds 稀土
and rare earth across partitions, links lead into the right partition."""
import json
import math
import re
import sqlite3

import httpx
import pytest

from tests.conftest import METADATA, run_cli, serve_datasette


@pytest.fixture(scope="module")
def partitioned(sample_db, tmp_path_factory):
    "The sample archive split into partitions, in a folder named like the file so the pages share the name."
    folder = tmp_path_factory.mktemp("split") / "newstrace"
    result = run_cli("partition", sample_db, folder, "--quiet")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def partitioned_url(partitioned):
    files = sorted(partitioned.glob("*.db"))
    assert len(files) >= 3  # the archive-wide database and at least two months
    with serve_datasette(*files, "-m", METADATA, "--setting", "facet_time_limit_ms", "1500") as url:
        yield url


def get(base, path, **params):
    response = httpx.get(base + path, params=params, timeout=60)
    return response


# what a page's `summaries` says of the file it read (readiness.summaries_state), not of the archive's rows: a
# partitioned archive's pages read no single summary_state
FILE_STATE = ("built", "counted_up_to", "newest_article")


def same(a, b, path=""):
    "JSON equal, floats to 1e-9 (bm25 recomputed from the archive's statistics differs in the last bits)."
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), path
    elif isinstance(a, dict) and isinstance(b, dict):
        assert set(a) == set(b), path
        for k in a:
            if path.endswith(".summaries") and k in FILE_STATE:
                continue
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def pages(sample_db):
    "Every page of the plugin on the sample archive: lists, and each claim, country, initiative and article."
    conn = sqlite3.connect(sample_db)
    claims = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id")]
    codes = [r[0] for r in conn.execute("SELECT DISTINCT country FROM article_countries ORDER BY 1")]
    initiatives = [r[0] for r in conn.execute("SELECT id FROM initiatives ORDER BY id")]
    article_ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    conn.close()
    out = ["/-/overview", "/-/claims", "/-/claims?q=rare", "/-/claims?q=%E7%A8%80%E5%9C%9F", "/-/claims?page=2",
           "/-/claims?status=confirmed", "/-/claims?article=1", "/-/countries", "/-/countries?color=articles",
           "/-/countries?from=2026-02&to=2026-02", "/-/countries?role=host", "/-/countries?language=zh",
           "/-/initiatives", "/-/initiatives?from=2026-02-01&to=2026-02-20",
           "/-/search?q=rare", "/-/search?q=rare+earth", "/-/search?q=%E7%A8%80%E5%9C%9F", "/-/search?q=gallium",
           "/-/search?q=rare&language=en", "/-/search?q=price&month=2026-02", "/-/search?q=the&page=2",
           "/-/search?q=rare+OR+gallium", "/-/search?q=rare+-china", "/-/search?q=%22price+floors%22",
           "/-/search?q=rare+earth&translate=on"]
    out += [f"/-/claims/{c}" for c in claims]
    out += [f"/-/countries/{c}" for c in codes] + [f"/-/countries/{codes[0]}?from=2026-02-01&to=2026-02-15"]
    out += [f"/-/initiatives/{i}" for i in initiatives]
    out += [f"/-/articles/{a}" for a in article_ids]
    return out


def test_every_page_answers_as_the_single_file_does(datasette_url, partitioned_url, sample_db):
    checked = 0
    for path in pages(sample_db):
        base, _, query = path.partition("?")
        json_path = base + ".json" + ("?" + query if query else "")
        one = get(datasette_url, "/newstrace" + json_path)
        many = get(partitioned_url, "/newstrace" + json_path)
        assert one.status_code == 200, json_path
        assert many.status_code == 200, (json_path, many.text[:2000])
        # links are absolute (issue 11): each server's own address left out
        same(json.loads(one.text.replace(datasette_url, "")), json.loads(many.text.replace(partitioned_url, "")),
             json_path)
        # and as a page a reader sees
        html = get(partitioned_url, "/newstrace" + path)
        assert html.status_code == 200, path
        checked += 1
    assert checked > 60


def test_exports_and_maps(datasette_url, partitioned_url):
    for path in ("/-/claims.csv", "/-/countries.geojson", "/-/search.csv?q=rare", "/-/countries/CN.csv",
                 "/-/initiatives/critical-minerals-ministerial.geojson"):
        one, many = get(datasette_url, "/newstrace" + path), get(partitioned_url, "/newstrace" + path)
        assert one.status_code == many.status_code == 200, path
        assert one.text.replace(datasette_url, "") == many.text.replace(partitioned_url, ""), path


@pytest.mark.parametrize("query", ["稀土", "rare earth"])
def test_search_finds_chinese_and_english_across_partitions(partitioned_url, sample_db, query):
    from newstrace.ingest.store.cjk import fts_query

    conn = sqlite3.connect(sample_db)
    expected = {r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                           [fts_query(query)])}
    conn.close()
    assert expected
    found = get(partitioned_url, "/newstrace/-/search.json", q=query).json()
    assert {r["id"] for r in found["rows"]} == expected and found["total"] == len(expected)
    from newstrace.ingest.partitioned import partition_key

    months = {partition_key((r["published"] or "")[:7]) for r in found["rows"]}
    # in each partition's own table page too (Datasette's search, through the plugin's escape_fts)
    for month in months:
        rows = get(partitioned_url, f"/newstrace-{month}/articles.json", _search=query, _shape="array").json()
        assert rows and {r["id"] for r in rows} <= expected


def test_links_lead_into_the_partition(partitioned_url):
    page = get(partitioned_url, "/newstrace/-/search", q="rare").text
    links = set(re.findall(r'href="(/newstrace/-/articles/\d+)"', page))
    assert links
    for link in links:
        assert get(partitioned_url, link).status_code == 200
    claim = get(partitioned_url, "/newstrace/-/claims.json").json()["rows"][0]
    assert claim["url"].startswith(partitioned_url + "/newstrace/-/claims/")  # absolute in the JSON (issue 11)
    assert httpx.get(claim["url"] + ".json", timeout=60).json()["mentions_total"] == claim["n_mentions"]


def test_the_archive_wide_database_holds_the_summed_facets(partitioned, sample_db):
    one = sqlite3.connect(sample_db)
    wide = sqlite3.connect(partitioned / "newstrace.db")
    assert sorted(one.execute("SELECT facet, value, n FROM articles_facet_counts").fetchall()) == \
        sorted(wide.execute("SELECT facet, value, SUM(n) FROM articles_facet_counts GROUP BY facet, value").fetchall())
    assert json.loads(json.dumps(one.execute("SELECT COUNT(*) FROM articles").fetchone())) == \
        list(wide.execute("SELECT COUNT(*) FROM article_index").fetchone())


def test_a_partitions_claim_pages_are_the_archives(partitioned, partitioned_url):
    month = sorted(f.stem for f in partitioned.glob("newstrace-*.db"))[0]
    response = httpx.get(f"{partitioned_url}/{month}/-/claims/1.json?page=1", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/newstrace/-/claims/1.json?page=1"


ONLY_ROOT = {"allow": {"id": "root"}}


def _served(partitioned, blocks):
    "Datasette in this process over every file of the partitioned archive, with these permission blocks."
    from datasette.app import Datasette

    from newstrace.plugin.compat import DATASETTE_1

    files = [str(f) for f in sorted(partitioned.glob("*.db"))]
    return Datasette(files, config=blocks) if DATASETTE_1 else Datasette(files, metadata=blocks)


async def _search(ds, actor, q="rare"):
    cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}
    return await ds.client.get(f"/newstrace/-/search.json?q={q}&_size=max", cookies=cookies)


def _months(partitioned):
    return sorted(f.stem.split("-", 1)[1] for f in partitioned.glob("newstrace-*.db"))


async def test_a_partition_the_actor_may_not_see_is_left_out(partitioned):
    "Its month's rows leave the archive's pages exactly where Datasette's own pages of that file answer 403."
    from newstrace.ingest.partitioned import partition_key

    open_ds = _served(partitioned, {})
    everything = (await _search(open_ds, None)).json()
    months = {partition_key((r["published"] or "")[:7]) for r in everything["rows"]}
    hidden = sorted(months)[0]
    for blocks in ({"databases": {f"newstrace-{hidden}": ONLY_ROOT}},
                   {"databases": {f"newstrace-{hidden}": {"tables": {"articles": ONLY_ROOT}}}}):
        ds = _served(partitioned, blocks)
        assert (await ds.client.get(f"/newstrace-{hidden}/articles.json")).status_code == 403
        seen = (await _search(ds, None)).json()
        kept = [r["id"] for r in everything["rows"] if partition_key((r["published"] or "")[:7]) != hidden]
        assert [r["id"] for r in seen["rows"]] == kept and seen["total"] == len(kept) < everything["total"]
        assert (await _search(ds, {"id": "root"})).json()["total"] == everything["total"]
        # the archive-wide counts are those of the partitions served (the hidden month's are not in them)
        wide = sqlite3.connect(partitioned / "newstrace.db")
        n_hidden = wide.execute("SELECT COUNT(*) FROM article_index WHERE partition = ?", [hidden]).fetchone()[0]
        n_all = wide.execute("SELECT COUNT(*) FROM article_index").fetchone()[0]
        wide.close()
        totals = (await ds.client.get("/newstrace/-/overview.json")).json()["totals"]
        assert totals["articles"] == n_all - n_hidden


async def test_articles_denied_in_every_partition_is_a_403_like_the_table_pages(partitioned):
    blocks = {"databases": {f"newstrace-{m}": {"tables": {"articles": ONLY_ROOT}} for m in _months(partitioned)}}
    ds = _served(partitioned, blocks)
    assert (await _search(ds, None)).status_code == 403
    assert (await _search(ds, {"id": "root"})).status_code == 200
    # the claims (archive-wide) stay open; the database page's overview leaves the articles out
    assert (await ds.client.get("/newstrace/-/claims.json")).status_code == 200
    assert (await ds.client.get("/newstrace")).status_code == 200


@pytest.mark.parametrize("edges", ["stored", "none"])
async def test_a_large_claims_aggregates_answer_as_the_single_files(partitioned, sample_db, tmp_path, monkeypatch,
                                                                    edges):
    """Past DETAIL_LIMIT mentions the claim page reads aggregates: the chain groups (when no claim_edges are
    stored) and the variants of the claim's first SAMPLE_MENTIONS mentions, with a copy's original outlet. On a
    partitioned archive the sample is taken across partitions and an original in another partition still named
    (a 1M-article claim page was a 500 here). The limits are lowered so the sample claims take that path."""
    import shutil

    from datasette.app import Datasette

    from newstrace.plugin import claims

    monkeypatch.setattr(claims, "DETAIL_LIMIT", 1)
    monkeypatch.setattr(claims, "SAMPLE_MENTIONS", 3)
    (tmp_path / "one").mkdir()
    single = shutil.copy(sample_db, tmp_path / "one" / "newstrace.db")
    folder = shutil.copytree(partitioned, tmp_path / "many" / "newstrace")
    if edges == "none":
        for path in (single, folder / "newstrace.db"):
            with sqlite3.connect(path) as conn:
                conn.execute("DELETE FROM claim_edges")
    conn = sqlite3.connect(single)
    ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE n_mentions > 3 ORDER BY id")]
    copied = conn.execute("SELECT COUNT(*) FROM claim_mentions m JOIN articles a ON a.id = m.article_id "
                          "WHERE a.duplicate_of IS NOT NULL").fetchone()[0]
    conn.close()
    assert ids and copied, "the sample has claims past the lowered limits and republished copies"
    metadata = json.loads(open(METADATA).read())
    one = Datasette([str(single)], metadata=metadata)
    many = Datasette([str(p) for p in sorted(folder.glob("*.db"))], metadata=metadata)
    for claim_id in ids:
        a = await one.client.get(f"/newstrace/-/claims/{claim_id}.json")
        b = await many.client.get(f"/newstrace/-/claims/{claim_id}.json")
        assert a.status_code == 200 and b.status_code == 200, (claim_id, b.text[:2000])
        assert a.json()["sample_mentions"] == 3
        same(a.json(), b.json(), f"claim {claim_id}")
        assert (await many.client.get(f"/newstrace/-/claims/{claim_id}")).status_code == 200


def _counting(ds):
    """Count what the pages ask Datasette about permissions: every call of its permission API on this instance
    (0.65: permission_allowed, each one a run of every permission_allowed hook; 1.0: allowed_many, which
    allowed() calls, and the one-query allowed_resources_sql). Counted by wrapping the instance's own methods,
    which still answer: a permission_allowed plugin counting its calls would itself be a permission rule, and
    with one installed every partition is asked on its own (compat.visibility)."""
    from newstrace.plugin.compat import DATASETTE_1

    calls = {"n": 0}
    for name in (("allowed_many", "allowed_resources_sql") if DATASETTE_1 else ("permission_allowed",)):
        method = getattr(ds, name)

        def counted(*args, _method=method, **kwargs):
            calls["n"] += 1
            return _method(*args, **kwargs)
        setattr(ds, name, counted)
    return calls


COUNTED_PAGES = ["/newstrace/-/overview", "/newstrace/-/overview.json", "/newstrace/-/search.json?q=rare",
                 "/newstrace/-/search?q=rare", "/newstrace/-/claims.json", "/newstrace/-/countries.json",
                 "/newstrace/-/initiatives.json", "/newstrace", "/newstrace/claims"]


async def test_permission_checks_do_not_grow_with_the_partitions(partitioned):
    """A page of a partitioned archive asks Datasette about permissions as often with one partition served as with
    all of them: the months' answers are decided in one pass (a month's permissions are asked once for all the
    months configured alike), not once a partition and table (611 checks for one 1M-article page before)."""
    from datasette.app import Datasette

    from newstrace.plugin.compat import DATASETTE_1

    conn = sqlite3.connect(partitioned / "newstrace.db")
    first = conn.execute("SELECT MIN(id) FROM article_index WHERE partition = "
                         "(SELECT MIN(partition) FROM article_index)").fetchone()[0]
    conn.close()
    wide, months = partitioned / "newstrace.db", sorted(partitioned.glob("newstrace-*.db"))
    assert len(months) >= 2  # without ../shared the sample corpus spans two months
    counts = {}
    for served in (months[:1], months):
        ds = Datasette([str(f) for f in [wide, *served]], **({"config": {}} if DATASETTE_1 else {"metadata": {}}))
        # the first month served holds this article
        pages = COUNTED_PAGES + [f"/newstrace/-/articles/{first}", f"/newstrace/-/articles/{first}.json"]
        for path in pages:  # warm: recognising an archive is once a process, not a request
            assert (await ds.client.get(path)).status_code == 200, path
        calls = _counting(ds)
        for path in pages:
            before = calls["n"]
            assert (await ds.client.get(path)).status_code == 200, path
            counts.setdefault(path, []).append(calls["n"] - before)
    for path, (one, many) in counts.items():
        assert many == one, f"{path}: {one} permission checks with one partition, {many} with {len(months)}"
        if "/-/" in path:  # the plugin's pages (Datasette's own database page asks about each of its tables)
            assert one <= 30, (path, one)


async def test_a_table_denied_in_one_partition_leaves_the_pages(partitioned):
    """A table a page reads beside its own (country mentions, on the article page) denied in one month only: the
    pages leave it out for that actor, as they do when it is denied in the single file; other months configured
    alike still share their answers, and root sees it all."""
    month = _months(partitioned)[0]
    conn = sqlite3.connect(partitioned / f"newstrace-{month}.db")
    article = conn.execute("SELECT article_id FROM country_mentions ORDER BY article_id LIMIT 1").fetchone()[0]
    conn.close()
    other_month = _months(partitioned)[-1]
    conn = sqlite3.connect(partitioned / f"newstrace-{other_month}.db")
    other = conn.execute("SELECT article_id FROM country_mentions ORDER BY article_id LIMIT 1").fetchone()[0]
    conn.close()
    ds = _served(partitioned, {"databases": {f"newstrace-{month}": {"tables": {"country_mentions": ONLY_ROOT}}}})
    assert (await ds.client.get(f"/newstrace-{month}/country_mentions.json")).status_code == 403
    assert (await ds.client.get(f"/newstrace-{other_month}/country_mentions.json")).status_code == 200
    root = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}
    for article_id in (article, other):
        anonymous = (await ds.client.get(f"/newstrace/-/articles/{article_id}.json")).json()
        assert anonymous["article"]["id"] == article_id and anonymous["country_mentions"] == []
        assert (await ds.client.get(f"/newstrace/-/articles/{article_id}.json", cookies=root)).json()[
            "country_mentions"]
    # the month's own pages and the partitions' count: the month is still read for its articles
    seen = (await _search(ds, None)).json()
    assert seen["total"] == (await _search(_served(partitioned, {}), None)).json()["total"]


def _deny_month_plugin(month):
    "A permission plugin of a deployment's own: anonymous may not view one month's database."
    from datasette import hookimpl

    class DenyMonth:
        __name__ = "newstrace_test_deny_month"

        @staticmethod
        @hookimpl
        def permission_allowed(actor, action, resource):
            if action == "view-database" and resource == f"newstrace-{month}" and not actor:
                return False
            return None
    return DenyMonth()


async def test_a_permission_plugin_deciding_one_partition_is_honoured(partitioned):
    """A plugin's own rule (no metadata says so) denying one month: answers are then not shared between months
    that look alike in metadata, and that month's rows leave the archive's pages."""
    from datasette.plugins import pm

    from newstrace.ingest.partitioned import partition_key
    from newstrace.plugin.compat import DATASETTE_1

    if DATASETTE_1:
        pytest.skip("1.0 has no permission_allowed hook; its permission_resources_sql rules are read in SQL")
    everything = (await _search(_served(partitioned, {}), None)).json()
    months = sorted({partition_key((r["published"] or "")[:7]) for r in everything["rows"]})
    hidden = months[-1]
    plugin = _deny_month_plugin(hidden)
    pm.register(plugin, name="newstrace_test_deny_month")
    try:
        ds = _served(partitioned, {})
        assert (await ds.client.get(f"/newstrace-{hidden}/articles.json")).status_code == 403
        seen = (await _search(ds, None)).json()
        kept = [r["id"] for r in everything["rows"] if partition_key((r["published"] or "")[:7]) != hidden]
        assert [r["id"] for r in seen["rows"]] == kept and seen["total"] == len(kept) < everything["total"]
        assert (await _search(ds, {"id": "root"})).json()["total"] == everything["total"]
    finally:
        pm.unregister(plugin)


async def test_the_menu_lists_a_partitioned_archive_once(partitioned):
    "Datasette's menu links the archive's pages, not one set a month; a month's own pages are on its database page."
    ds = _served(partitioned, {})
    page = (await ds.client.get("/newstrace/-/claims")).text
    assert 'href="/newstrace/-/search"' in page
    assert not re.findall(r'href="/newstrace-[^"/]+/-/', page)
    month = _months(partitioned)[0]
    assert f'href="/newstrace-{month}/-/search"' in (await ds.client.get(f"/newstrace-{month}")).text
