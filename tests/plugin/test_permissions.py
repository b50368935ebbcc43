"""Permissions: every custom route, in every format, answers what Datasette's own table page answers the same
actor for the table the page is about (403 where it does), and a page mixing tables leaves out what comes
from a table the actor may not see. Allow blocks on each table, on the database and on the instance, and
execute-sql denied; for an actor and for anonymous."""
import sqlite3

import pytest
from datasette.app import Datasette

from newstrace.plugin import routes
from newstrace.plugin.compat import DATASETTE_1
from tests.plugin.routes import examples

ROOT = {"id": "root"}
ONLY_ROOT = {"allow": {"id": "root"}}


def route_table(db):
    """(route, the tables it cannot do without) for every route the plugin registers under a database, in every
    format (tests/plugin/routes.py reads them from the plugin: a new page is checked without being listed)."""
    return [(e.url, e.about) for e in examples(db) if e.database]


def test_every_route_has_examples(sample_db):
    "Each registered route is exercised here, in each of its formats (examples() fails on one it cannot write)."
    found = examples(sample_db)
    assert {e.pattern for e in found} == {pattern for pattern, _ in routes()}
    assert {"", "json", "csv"} <= {e.fmt for e in found}
    assert len(route_table(sample_db)) >= 30


def configured(db, blocks):
    "A Datasette over the archive with these permission blocks (metadata in 0.65, configuration in 1.0)."
    if DATASETTE_1:
        return Datasette([str(db)], config=blocks)
    return Datasette([str(db)], metadata=blocks)


def tables(**allow):
    return {"databases": {"newstrace": {"tables": {t: block for t, block in allow.items()}}}}


CONFIGS = {
    "open": {},
    "articles": tables(articles=ONLY_ROOT),
    "claims": tables(claims=ONLY_ROOT),
    "countries": tables(countries=ONLY_ROOT),
    "initiatives": tables(initiatives=ONLY_ROOT),
    "claim_mentions": tables(claim_mentions=ONLY_ROOT),
    "participation": tables(participation=ONLY_ROOT),
    "snapshots": tables(snapshots=ONLY_ROOT),
    "every table": tables(**{t: ONLY_ROOT for t in ("articles", "claims", "claim_mentions", "countries",
                                                    "initiatives", "participation")}),
    "database": {"databases": {"newstrace": ONLY_ROOT}},
    "instance": ONLY_ROOT,
    "execute-sql": {"allow_sql": False},
}


async def get(ds, path, actor):
    cookies = {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}
    return await ds.client.get(path, cookies=cookies)


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("actor", [None, ROOT, {"id": "someone"}], ids=["anonymous", "root", "someone"])
async def test_routes_answer_what_table_pages_answer(sample_db, config, actor):
    ds = configured(sample_db, CONFIGS[config])
    expected = {}
    pages = route_table(sample_db)
    for table in sorted({t for _, about in pages for t in about}):
        expected[table] = (await get(ds, f"/newstrace/{table}.json", actor)).status_code
        assert expected[table] in (200, 403)
    for route, about in pages:
        r = await get(ds, route, actor)
        assert r.status_code == max(expected[t] for t in about), (config, actor, route, r.text[:300])
    # routes outside any database (the map's boundaries) need only the instance
    instance = (await get(ds, "/.json", actor)).status_code
    for e in examples(sample_db):
        if not e.database:
            assert (await get(ds, e.url, actor)).status_code == instance, e.url


def _article_texts(db):
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT title, url, canonical_url FROM articles").fetchall()
    return {v for row in rows for v in row if v and len(v) > 12}


async def test_mixed_pages_leave_out_articles_the_actor_may_not_see(sample_db):
    "Claims and countries stay open, articles are root's: no article title or URL on any other page."
    ds = configured(sample_db, tables(articles=ONLY_ROOT))
    secrets = _article_texts(sample_db)
    assert secrets
    for route, about in route_table(sample_db):
        if "articles" in about:
            continue
        for actor in (None, {"id": "someone"}):
            r = await get(ds, route, actor)
            assert r.status_code == 200, route
            leaked = [s for s in secrets if s in r.text]
            assert not leaked, (route, leaked[:3])
        # root sees them again: the test can fail
    claim_route = next(r for r, about in route_table(sample_db) if about == ("claims",) and r.endswith(".json")
                       and "/claims/" in r)
    as_root = await get(ds, claim_route, ROOT)
    assert any(s in as_root.text for s in secrets)


async def test_claim_page_without_mentions_or_edges(sample_db):
    ds = configured(sample_db, tables(claim_mentions=ONLY_ROOT, claim_edges=ONLY_ROOT))
    claim_route = next(r for r, t in route_table(sample_db) if "/claims/" in r and r.endswith(".json"))
    anonymous = (await get(ds, claim_route, None)).json()
    assert anonymous["mentions"] == [] and anonymous["mentions_total"] == 0 and anonymous["chain"] == []
    root = (await get(ds, claim_route, ROOT)).json()
    assert root["mentions"] and root["mentions_total"] > 0 and root["chain"]
    # the list: searching the mention sentences is root's; filtering by article needs them too
    assert (await get(ds, "/newstrace/-/claims.json?article=1", None)).status_code == 403
    assert (await get(ds, "/newstrace/-/claims.json?article=1", ROOT)).status_code == 200


async def test_country_and_initiative_pages_without_participation(sample_db):
    ds = configured(sample_db, tables(participation=ONLY_ROOT))
    for actor, empty in ((None, True), (ROOT, False)):
        country = (await get(ds, "/newstrace/-/countries/US.json", actor)).json()
        assert (country["participation"] == [] and country["initiatives"] == []) is empty
        assert country["articles"], "the articles naming the country are not participation rows"
        world = (await get(ds, "/newstrace/-/countries.json", actor)).json()
        assert (not any(r["roles"] for r in world["rows"])) is empty
        assert any(r["articles"] for r in world["rows"])
        listing = (await get(ds, "/newstrace/-/initiatives.json", actor)).json()
        assert (not any(r["participants_named"] for r in listing["rows"])) is empty
        csv = (await get(ds, "/newstrace/-/countries/US.csv", actor)).text
        assert (len(csv.strip().splitlines()) == 1) is empty


async def test_navigation_shows_only_pages_the_actor_may_open(sample_db):
    ds = configured(sample_db, tables(claims=ONLY_ROOT))
    anonymous = (await get(ds, "/newstrace", None)).text
    root = (await get(ds, "/newstrace", ROOT)).text
    assert 'href="/newstrace/-/search"' in anonymous and 'href="/newstrace/-/search"' in root
    assert 'href="/newstrace/-/claims"' not in anonymous and 'href="/newstrace/-/claims"' in root
