"""The countries map reads its roles from the summaries (country_role_counts, initiative_country_counts and
initiative_country_totals) when they are current and the date filters are whole months: the same rows, roles,
article counts, initiatives and colours as counted from the participation rows (the archive without those
tables), on a real Datasette over a synthetic archive with discovered initiatives (bench/make_archive.py)."""
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from datasette.app import Datasette

from newstrace.ingest import store
from newstrace.ingest.store.summaries import count_article

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    import make_archive

    folder = tmp_path_factory.mktemp("mapsum")
    path = folder / "newstrace.db"
    make_archive.build(path, 400, seed=8, progress=False)
    make_archive.finish(path, discovered=40)
    db = store.open_db(path)
    with db.conn:  # an article naming a country in one role in two initiatives (one article on the map), written
        # as write_derived writes it: the article's summaries taken away, its rows added, counted again
        article, country, role, initiative = db.conn.execute(
            "SELECT article_id, country, role, initiative_id FROM participation WHERE country IS NOT NULL "
            "ORDER BY id LIMIT 1").fetchone()
        other = db.conn.execute("SELECT id FROM initiatives WHERE id != ? AND source = 'text' ORDER BY id LIMIT 1",
                                [initiative]).fetchone()[0]
        count_article(db, article, -1)
        db.conn.execute("INSERT INTO participation (initiative_id, country, role, article_id, evidence, method) "
                        "VALUES (?, ?, ?, ?, 'test', 'cue')", [other, country, role, article])
        count_article(db, article, +1)
    db.conn.close()
    without = folder / "without" / "newstrace.db"
    without.parent.mkdir()
    shutil.copy(path, without)
    with sqlite3.connect(without) as conn:  # the map counted from the rows, as before the summary
        conn.execute("DROP TABLE country_role_counts")
        conn.execute("DROP TABLE initiative_country_counts")
    return path, without


def datasette(path):
    metadata = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
    return Datasette([str(path)], metadata=metadata, settings={"suggest_facets": False})


async def get(ds, path):
    r = await ds.client.get("/newstrace" + path)
    assert r.status_code == 200, (path, r.text[:300])
    if path.split("?")[0].endswith(".geojson"):
        return r.json()
    data = r.json()
    for key in ("summaries", "next_url", "json_url"):
        data.pop(key, None)
    return data


async def test_the_map_answers_as_counted_from_the_rows(archives):
    path, without = archives
    conn = sqlite3.connect(path)
    top, role = conn.execute("SELECT initiative_id, role FROM participation GROUP BY 1, 2 "
                             "ORDER BY COUNT(DISTINCT article_id) DESC LIMIT 1").fetchone()
    month = conn.execute("SELECT published_month FROM articles WHERE published_month IS NOT NULL "
                         "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    language = conn.execute("SELECT language FROM articles GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    # an article naming one country in one role in two initiatives: counted once on the map
    assert conn.execute("SELECT 1 FROM participation GROUP BY article_id, country, role "
                        "HAVING COUNT(DISTINCT initiative_id) > 1 LIMIT 1").fetchone()
    year = month[:4]
    pages = ["", f"?role={role}", f"?language={language}", f"?from={year}", f"?to={month}",
             f"?from={year}&to={month}&language={language}", f"?role={role}&language={language}&from={year}",
             f"?initiative={top}", f"?initiative={top}&role={role}", f"?initiative={top}&language={language}",
             f"?initiative={top}&role={role}&from={year}", "?initiative=no-such-initiative", "?role=observer",
             f"?from={month}-01", "?color=articles", f"?color=articles&role={role}"]
    a, b = datasette(path), datasette(without)
    assert (await a.client.get("/newstrace/-/countries.json")).json()["summaries"]["current"]
    for query in pages:
        for fmt in (".json", ".geojson"):
            page = f"/-/countries{fmt}{query}{'&' if query else '?'}_size=max"
            one, other = await get(a, page), await get(b, page)
            assert one == other, page
    every = (await get(a, "/-/countries.json?_size=max"))["rows"]
    assert sum(1 for r in every if r["roles"]) > 5 and sum(len(r["initiatives"]) for r in every) > 40
    chosen = (await get(a, f"/-/countries.json?initiative={top}&_size=max"))["rows"]
    assert chosen and all(r["initiatives"] == [top] for r in chosen if r["roles"])
    # the initiative page's map (.geojson) is the map of its initiative
    features = (await get(a, f"/-/initiatives/{top}.geojson"))["features"]
    assert features == (await get(b, f"/-/countries.geojson?initiative={top}&_size=max"))["features"]


def test_the_unfiltered_map_reads_no_participation_row(archives):
    "The summary statements' plans: the summaries' own keys, never the participation table or its indexes."
    from newstrace.plugin import geo

    conn = sqlite3.connect(archives[0])
    for sql in (geo.MAP_ROLES_SUMMARY_SQL.format(where=""), geo.MAP_INITIATIVES_TOTALS_SQL,
                geo.MAP_INITIATIVE_ROLES_SUMMARY_SQL.format(where="")):
        plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, {"initiative": "x"}))
        assert "participation" not in plan, plan
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN " + geo.MAP_INITIATIVE_ROLES_SUMMARY_SQL.format(where=""), {"initiative": "x"}))
    assert "initiative_id=?" in plan, plan


# the template's own cells before countries.row_cells wrote them (kept here to hold the two to the same bytes)
TEMPLATE_CELLS = (
    """{% for role, n in row.roles.items() %}<span class="newstrace-role newstrace-role-{{ role }}">{{ _(role) }} """
    """({{ n }})</span> {% endfor %}|{% for i in shown %}<a href="{{ initiatives_url }}/{{ i|urlencode }}">"""
    """{{ names.get(i, i) }}</a>{% if not loop.last %}, {% endif %}{% endfor %}{% if more %}{% if row.url %} """
    """<a class="newstrace-more" href="{{ row.url }}">{{ _("and {n} more", n=more) }}</a>{% else %} """
    """{{ _("and {n} more", n=more) }}{% endif %}{% endif %}""")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_cells_are_written_as_the_template_wrote_them(archives, lang):
    from jinja2 import Environment

    from newstrace.plugin.countries import row_cells
    from newstrace.plugin.i18n import translator

    _ = translator(lang)
    rows = (await get(datasette(archives[0]), "/-/countries.json?_size=max"))["rows"]
    template = Environment(autoescape=True).from_string(TEMPLATE_CELLS)
    names = {"bench-x": 'A <b>"quoted"</b> & named', "bench y/z": "spaced"}
    checked = 0
    for row in rows + [{"roles": {"member": 2, None: 1}, "url": None}]:
        for shown, more in ((row.get("initiatives", [])[:5], len(row.get("initiatives", [])) - 5),
                            (["bench-x", "bench y/z", "plain"], 3), ([], None)):
            more = more if more and more > 0 else None
            roles, links = row_cells(row, shown, more, names, "/newstrace/-/initiatives", _)
            expected = template.render(row=row, shown=shown, more=more, names=names,
                                       initiatives_url="/newstrace/-/initiatives", _=_)
            assert f"{roles}|{links}" == expected
            checked += 1
    assert checked > 30 and any(r["roles"] for r in rows)


def reference_choices(conn, n, chosen=None):
    "The map filter's initiatives as 8ec50d0 picked them: every initiative sorted by name, the n in most articles."
    import heapq

    conn.row_factory = sqlite3.Row
    every = conn.execute("SELECT id, name_en, name_zh, kind, articles AS articles FROM initiatives "
                         "ORDER BY name_en, id").fetchall()
    top = {r["id"] for r in heapq.nlargest(n, every, key=lambda r: r["articles"] or 0)} | {chosen}
    return [dict(r) for r in every if r["id"] in top], {r["id"]: r for r in every}


@pytest.mark.parametrize("n", [1, 7, 40, 200, 100_000])
async def test_the_filter_offers_the_initiatives_in_most_articles_as_sorting_every_one_did(archives, monkeypatch, n):
    """The filter's initiatives come from the rows with at least the n-th largest count (ties at the edge broken by
    name, as sorting every initiative by name did), with a chosen one from further down."""
    from newstrace.plugin import countries

    monkeypatch.setattr(countries, "CHOICES", n)
    conn = sqlite3.connect(archives[0])
    low = conn.execute("SELECT id FROM initiatives ORDER BY COALESCE(articles, 0), id LIMIT 1").fetchone()[0]
    counts = [r[0] for r in conn.execute("SELECT COALESCE(articles, 0) FROM initiatives ORDER BY 1 DESC")]
    if n == 200:  # initiatives with as many articles as the 200th left out: the edge's ties are broken by name
        assert counts[n - 1] in counts[n:]
    db = datasette(archives[0]).get_database("newstrace")
    for chosen in (None, low):
        got = await countries.filter_choices(db, chosen=chosen)
        expected, _ = reference_choices(conn, n, chosen)
        assert got["initiative_choices"] == expected, (n, chosen)


@pytest.mark.parametrize("cell", [1, 2, 5])
async def test_each_country_names_its_initiatives_in_most_articles_first(archives, monkeypatch, cell):
    "The map page names each country's CELL_INITIATIVES initiatives in most articles (ties by id), as sorting did."
    from newstrace.plugin import countries
    from newstrace.plugin.countries import row_cells
    from newstrace.plugin.i18n import translator

    monkeypatch.setattr(countries, "CELL_INITIATIVES", cell)

    ds = datasette(archives[0])
    rows = (await get(ds, "/-/countries.json?_size=max"))["rows"]
    html = (await ds.client.get("/newstrace/-/countries?_size=max")).text
    _, index = reference_choices(sqlite3.connect(archives[0]), 200)
    checked = 0
    for row in rows:
        ordered = sorted(row["initiatives"], key=lambda i: (-((index[i]["articles"] if i in index else 0) or 0), i))
        shown, more = ordered[:cell], len(ordered) - cell
        names = {i: (index[i]["name_en"] if i in index else None) or i for i in shown}
        row = dict(row, url=row["url"] and row["url"].replace("http://localhost", ""))  # (the JSON's are absolute)
        _roles, links = row_cells(row, shown, more if more > 0 else None, names, "/newstrace/-/initiatives",
                                  translator("en"))
        assert str(links) in html, row["code"]
        checked += more > 0
    assert checked > 3 or cell == 5  # (this small archive names at most five initiatives with a country)


def test_the_initiative_lookups_read_indexes(archives):
    """An initiative page's editions, organs and successors and the map's keys and choices come from indexes on
    initiatives (schema idx_initiatives_series, _parent, _successor_of, _map, _articles), not a scan of its rows."""
    from newstrace.plugin import countries, initiatives

    conn = sqlite3.connect(archives[0])

    def plan(sql, params=None):
        return " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params or {}))

    assert "idx_initiatives_series" in plan(initiatives.EDITIONS_SQL, {"id": "x"})
    assert "idx_initiatives_parent" in plan(initiatives.RELATED_SQL, {"id": "x"})
    assert "idx_initiatives_successor_of" in plan(initiatives.SUCCESSORS_SQL, {"id": "x"})
    assert "COVERING INDEX idx_initiatives_map" in plan(countries.INITIATIVE_KEYS_SQL.format(articles="articles"))
    assert "idx_initiatives_articles" in plan(countries.CHOICE_ROWS_SQL, {"floor": 3, "chosen": "x"})


async def test_the_language_choices_come_from_the_facet_counts(archives):
    "The map filter's languages are the language facet's counts (no article read), as counting the articles gave."
    from newstrace.plugin import countries

    conn = sqlite3.connect(archives[0])
    expected = [r[0] for r in conn.execute(countries.LANGUAGES_SQL)]
    assert len(expected) > 1
    got = await countries.filter_choices(datasette(archives[0]).get_database("newstrace"))
    assert got["language_choices"] == expected
    plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + countries.LANGUAGES_FACET_SQL))
    assert "articles_facet_counts" in plan and "SCAN articles" not in plan, plan
