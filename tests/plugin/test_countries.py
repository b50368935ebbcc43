"""Country participation pages on a real archive (schema, gazetteer rows and store.write_derived) served by
a real Datasette: every view in every format, filters honoured by all formats, 404s, escaping, cell labels."""
import csv
import io

import pytest
import sqlite_utils
from datasette.app import Datasette

from newstrace.ingest import store
from newstrace.ingest.countries import gazetteer
from newstrace.ingest.store.schema import SCHEMA

# Our own invented coverage (no sentence of the seed or the eval data): two initiatives, four articles.
INITIATIVES = [
    {"id": "andean-lithium-forum", "name_en": "Andean Lithium Forum", "name_zh": "安第斯锂论坛",
     "aliases": "[]", "kind": "event", "successor_of": None, "description": "A yearly ministers' meeting."},
    {"id": "pacific-battery-partnership", "name_en": "Pacific Battery Partnership", "name_zh": "太平洋电池伙伴关系",
     "aliases": "[]", "kind": "partnership", "successor_of": "andean-lithium-forum", "description": None},
    {"id": "quiet-accord", "name_en": "Quiet Accord", "name_zh": None, "aliases": "[]", "kind": "trade_deal",
     "successor_of": None, "description": None},
]

FORUM = "Peru hosted the Andean Lithium Forum in Lima, where Chile and Australia joined twelve countries."
SIGNING = "新加坡与日本签署了太平洋电池伙伴关系。"
CRITICS = "Critics said the forum was meant to counter <script>alert('map')</script> China, a U.S. analyst added."
FIJI = "Fiji became a member of the Pacific Battery Partnership, with the EU as partner; Russia stayed away."


def mention(text, surface, country, kind="name", reading="government"):
    start = text.index(surface)
    return {"country": country, "surface": surface, "char_start": start, "char_end": start + len(surface),
            "kind": kind, "reading": reading}


def part(initiative, country, role, text, **extra):
    return {"initiative": initiative, "country": country, "role": role, "status": extra.get("status", "announced"),
            "valid_from": extra.get("valid_from"), "valid_to": extra.get("valid_to"), "evidence": text,
            "char_start": 0, "char_end": len(text), "method": "test", "confidence": 0.9}


ARTICLES = [
    {"id": 1, "title": "Lithium ministers meet in Lima", "published": "2026-01-15", "language": "en", "text": FORUM,
     "derived": {
         "countries": ["AU", "CL", "PE"],
         "country_mentions": [mention(FORUM, "Peru", "PE"), mention(FORUM, "Lima", "PE", "capital", "literal"),
                              mention(FORUM, "Chile", "CL"), mention(FORUM, "Australia", "AU")],
         "participation": [part("andean-lithium-forum", "PE", "host", FORUM),
                           part("andean-lithium-forum", "CL", "member", FORUM),
                           part("andean-lithium-forum", "AU", "member", FORUM)],
         "claimed": {"andean-lithium-forum": 12}}},
    {"id": 2, "title": "电池伙伴关系签署", "published": "2026-02-03T08:00:00+08:00", "language": "zh", "text": SIGNING,
     "derived": {
         "countries": ["JP", "SG"],
         "country_mentions": [mention(SIGNING, "新加坡", "SG"), mention(SIGNING, "日本", "JP")],
         "participation": [part("pacific-battery-partnership", "SG", "signatory", SIGNING, status="signed"),
                           part("pacific-battery-partnership", "JP", "signatory", SIGNING, status="signed")]}},
    {"id": 3, "title": "Critics <b>of</b> the forum", "published": "2026-02-20", "language": "en", "text": CRITICS,
     "derived": {
         "countries": ["CN", "US"],
         "country_mentions": [mention(CRITICS, "China", "CN"), mention(CRITICS, "U.S.", "US", "name", "modifier")],
         "participation": [part("andean-lithium-forum", "CN", "target", CRITICS)]}},
    {"id": 4, "title": "Fiji joins", "published": "2026-03-05", "language": "en", "text": FIJI,
     "derived": {
         "countries": ["EU", "FJ", "RU"],
         "country_mentions": [mention(FIJI, "Fiji", "FJ"), mention(FIJI, "EU", "EU"), mention(FIJI, "Russia", "RU")],
         "participation": [part("pacific-battery-partnership", "FJ", "member", FIJI, valid_from="2026-03"),
                           part("pacific-battery-partnership", "EU", "partner", FIJI),
                           part("pacific-battery-partnership", "RU", "mentioned", FIJI)]}},
]

ALL = {"AU", "CL", "PE", "JP", "SG", "CN", "US", "EU", "FJ", "RU"}


def build_archive(path):
    "A real archive: the project's schema, the gazetteer's countries, our articles through write_derived."
    db = sqlite_utils.Database(path)
    db.conn.executescript(SCHEMA)
    with db.conn:
        db["countries"].upsert_all(gazetteer.country_rows(), pk="code")
        db["initiatives"].upsert_all(INITIATIVES, pk="id")
    for a in ARTICLES:
        with db.conn:
            url = f"https://news.example/{a['id']}"
            db["articles"].insert({
                "id": a["id"], "url": url, "canonical_url": url, "title": a["title"], "published": a["published"],
                "published_month": a["published"][:7], "language": a["language"], "text": a["text"],
                "sitename": "Example News",
            })
            store.write_derived(db, a["id"], a["derived"])
    store.refresh_initiative_counts(db)
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("countries") / "archive.db")


@pytest.fixture
def ds(archive):
    return Datasette([str(archive)])


async def get(ds, path, params=None, status=200):
    r = await ds.client.get(path, params=params)
    assert r.status_code == status, (path, params, r.status_code, r.text[:500])
    return r


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- the map page --------------------------------------------------------------------------------------

async def test_countries_json_rows_roles_and_colours(ds):
    data = (await get(ds, "/archive/-/countries.json")).json()
    rows = {r["code"]: r for r in data["rows"]}
    assert set(rows) == ALL
    assert rows["PE"]["name"] == "Peru" and rows["PE"]["name_zh"] == "秘鲁"
    assert rows["PE"]["top_role"] == "host" and rows["PE"]["color"] == "#d55e00"
    assert rows["CN"]["top_role"] == "target" and rows["CN"]["initiatives"] == ["andean-lithium-forum"]
    assert rows["US"]["top_role"] is None and rows["US"]["roles"] == {}
    assert rows["FJ"]["roles"] == {"member": 1} and rows["FJ"]["has_boundary"] and rows["FJ"]["marker"]
    assert not rows["SG"]["has_boundary"] and rows["SG"]["marker"]  # a marker, not a polygon
    assert not rows["PE"]["marker"] and not rows["RU"]["marker"]
    assert not rows["EU"]["has_boundary"] and rows["EU"]["name"] == "European Union"
    assert rows["PE"]["url"] == "http://localhost/archive/-/countries/PE"  # exports link absolutely
    assert all(r["articles"] == 1 for r in rows.values())
    labels = [item["label"] for item in data["legend"]]
    assert labels[:2] == ["host", "member"] and "named in articles, no role" in labels


async def test_countries_coloured_by_articles(ds):
    data = (await get(ds, "/archive/-/countries.json", {"color": "articles"})).json()
    assert data["color"] == "articles"
    assert [item["label"] for item in data["legend"]] == ["1 article"]
    assert {r["color"] for r in data["rows"]} == {data["legend"][0]["color"]}
    await get(ds, "/archive/-/countries.json", {"color": "rainbow"}, status=400)


@pytest.mark.parametrize("params, expected", [
    ({}, ALL),
    ({"initiative": "andean-lithium-forum"}, {"PE", "CL", "AU", "CN"}),
    ({"initiative": "pacific-battery-partnership", "role": "signatory"}, {"SG", "JP"}),
    ({"role": "member"}, {"CL", "AU", "FJ"}),
    ({"language": "zh"}, {"SG", "JP"}),
    ({"from": "2026-02", "to": "2026-02"}, {"SG", "JP", "CN", "US"}),
    ({"from": "2026-02-04"}, {"CN", "US", "EU", "FJ", "RU"}),
    ({"to": "2026-02-03"}, {"AU", "CL", "PE", "JP", "SG"}),
    ({"to": "2025"}, set()),
    ({"initiative": "quiet-accord"}, set()),
])
async def test_filters_hold_in_every_format(ds, params, expected):
    data = (await get(ds, "/archive/-/countries.json", params)).json()
    assert {r["code"] for r in data["rows"]} == expected
    assert data["filters"] == params
    assert {r["code"] for r in csv_rows((await get(ds, "/archive/-/countries.csv", params)).text)} == expected
    geo = await get(ds, "/archive/-/countries.geojson", params)
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert {f["id"] for f in geo.json()["features"]} == expected
    html = (await get(ds, "/archive/-/countries", params)).text
    table = html.split('newstrace-countries-table')[1]
    assert {code for code in ALL if f'href="/archive/-/countries/{code}"' in table} == expected


async def test_filtered_counts_and_roles(ds):
    data = (await get(ds, "/archive/-/countries.json", {"initiative": "pacific-battery-partnership"})).json()
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["EU"]["roles"] == {"partner": 1} and rows["RU"]["top_role"] == "mentioned"
    assert [i["label"] for i in data["legend"]] == ["member", "signatory", "partner", "mentioned"]


async def test_bad_filters_are_400(ds):
    await get(ds, "/archive/-/countries.json", {"role": "emperor"}, status=400)
    await get(ds, "/archive/-/countries.json", {"from": "last week"}, status=400)
    await get(ds, "/archive/-/countries.json", {"to": "2026-13"}, status=400)
    await get(ds, "/archive/-/countries.csv", {"to": "2026-02-30"}, status=400)


async def test_geojson_geometries(ds):
    features = {f["id"]: f for f in (await get(ds, "/archive/-/countries.geojson")).json()["features"]}
    assert features["PE"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features["SG"]["geometry"]["type"] == "Point"
    lng, lat = features["EU"]["geometry"]["coordinates"]
    assert 2 < lng < 6 and 49 < lat < 52  # Brussels
    assert features["RU"]["geometry"]["type"] == "MultiPolygon"
    for ring in (r for poly in features["RU"]["geometry"]["coordinates"] for r in poly):
        assert all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:])), "a ring crosses the antimeridian"
    assert features["PE"]["properties"]["name"] == "Peru" and features["PE"]["properties"]["color"]


async def test_map_page_html(ds):
    html = (await get(ds, "/archive/-/countries", {"language": "en"})).text
    # Leaflet only through datasette-leaflet's template variables, the boundaries from the plugin
    assert 'data-leaflet="/-/static-plugins/datasette-leaflet/leaflet-v1.7.1.js"' in html
    assert "/-/static-plugins/datasette-leaflet/leaflet-v1.7.1.css" in html
    assert 'data-world="/-/newstrace/world.geojson"' in html
    assert 'data-data="/archive/-/countries.json?language=en"' in html
    assert 'data-tile-url=""' in html  # no tile server unless configured
    assert "newstrace_map.js" in html and "unpkg" not in html and "http://" not in html.split("<body")[0]
    assert "秘鲁" in html and "Andean Lithium Forum" in html
    assert "/archive/-/countries.geojson?language=en" in html


async def test_tiles_only_when_configured(archive):
    ds = Datasette([str(archive)], metadata={"plugins": {"newstrace": {
        "tile_url": "http://127.0.0.1:9/{z}/{x}/{y}.png", "tile_attribution": "local <tiles>"}}})
    html = (await get(ds, "/archive/-/countries")).text
    assert 'data-tile-url="http://127.0.0.1:9/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="local &lt;tiles&gt;"' in html


async def test_world_boundaries_route(ds):
    r = await get(ds, "/-/newstrace/world.geojson")
    world = r.json()
    codes = {f["properties"]["code"] for f in world["features"]}
    assert {"US", "CN", "RU", "FJ", "XK", "PE"} <= codes and "SG" not in codes
    assert "Natural Earth" in world["properties"]["source"] and "public domain" in world["properties"]["licence"]


# --- one country -----------------------------------------------------------------------------------------

async def test_country_page_formats(ds):
    data = (await get(ds, "/archive/-/countries/PE.json")).json()
    assert data["country"]["name"] == "Peru" and data["articles_total"] == 1
    assert [(i["id"], i["roles"]) for i in data["initiatives"]] == [("andean-lithium-forum", ["host"])]
    assert data["participation"][0]["evidence"] == FORUM and data["participation"][0]["article_id"] == 1
    assert data["months"] == [{"month": "2026-01", "articles": 1, "mentions": 2}]
    assert {s["surface"] for s in data["surfaces"]} == {"Peru", "Lima"}
    assert [a["id"] for a in data["articles"]] == [1]
    rows = csv_rows((await get(ds, "/archive/-/countries/PE.csv")).text)
    assert [(r["initiative_id"], r["role"], r["evidence"]) for r in rows] == [("andean-lithium-forum", "host", FORUM)]
    html = (await get(ds, "/archive/-/countries/PE")).text
    assert "Andean Lithium Forum" in html and "秘鲁" in html and "Lithium ministers meet in Lima" in html
    assert 'href="/archive/-/articles/1"' in html and 'href="/archive/-/initiatives/andean-lithium-forum"' in html


async def test_country_page_filters_and_eu(ds):
    data = (await get(ds, "/archive/-/countries/JP.json", {"language": "en"})).json()
    assert data["participation"] == [] and data["articles"] == [] and data["months"] == []
    eu = (await get(ds, "/archive/-/countries/EU.json")).json()
    assert eu["country"]["name"] == "European Union"
    assert [(p["initiative_id"], p["role"]) for p in eu["participation"]] == [("pacific-battery-partnership", "partner")]
    await get(ds, "/archive/-/countries/EU")


async def test_country_codes_404_and_lowercase(ds):
    await get(ds, "/archive/-/countries/ZZ", status=404)
    await get(ds, "/archive/-/countries/ZZ.json", status=404)
    await get(ds, "/archive/-/countries/USA", status=404)
    await get(ds, "/nope/-/countries", status=404)
    r = await ds.client.get("/archive/-/countries/pe.json?language=en")
    assert r.status_code == 302 and r.headers["location"] == "/archive/-/countries/PE.json?language=en"


async def test_evidence_is_escaped(ds):
    for path in ("/archive/-/countries/CN", "/archive/-/initiatives/andean-lithium-forum"):
        html = (await get(ds, path)).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;map&#39;)&lt;/script&gt;" in html
    html = (await get(ds, "/archive/-/countries/US")).text
    assert "Critics &lt;b&gt;of&lt;/b&gt; the forum" in html and "<b>of</b>" not in html
    data = (await get(ds, "/archive/-/countries/CN.json")).json()
    assert data["participation"][0]["evidence"] == CRITICS  # the data itself is kept as written


# --- initiatives -------------------------------------------------------------------------------------

async def test_initiatives_list(ds):
    data = (await get(ds, "/archive/-/initiatives.json")).json()
    rows = {r["id"]: r for r in data["rows"]}
    assert set(rows) == {"andean-lithium-forum", "pacific-battery-partnership", "quiet-accord"}
    forum = rows["andean-lithium-forum"]
    assert (forum["participants_named"], forum["participants_claimed"], forum["countries"], forum["articles"]) == (3, 12, 4, 2)
    assert rows["pacific-battery-partnership"]["participants_named"] == 4  # SG, JP, FJ, EU; not Russia
    assert rows["quiet-accord"]["articles"] == 0 and rows["quiet-accord"]["participants_claimed"] is None
    csv_ids = {r["id"] for r in csv_rows((await get(ds, "/archive/-/initiatives.csv")).text)}
    assert csv_ids == set(rows)
    zh = (await get(ds, "/archive/-/initiatives.json", {"language": "zh"})).json()
    assert {r["id"]: r["participants_named"] for r in zh["rows"]}["andean-lithium-forum"] == 0
    kind = (await get(ds, "/archive/-/initiatives.json", {"kind": "event"})).json()
    assert [r["id"] for r in kind["rows"]] == ["andean-lithium-forum"]
    html = (await get(ds, "/archive/-/initiatives")).text
    assert "安第斯锂论坛" in html and 'href="/archive/-/initiatives/quiet-accord"' in html
    assert "succeeds" in html


async def test_initiative_page(ds):
    data = (await get(ds, "/archive/-/initiatives/pacific-battery-partnership.json")).json()
    assert data["initiative"]["name_en"] == "Pacific Battery Partnership"
    by_role = {g["role"]: [c["code"] for c in g["countries"]] for g in data["participants"]}
    assert by_role == {"member": ["FJ"], "signatory": ["JP", "SG"], "partner": ["EU"], "mentioned": ["RU"]}
    assert [g["role"] for g in data["participants"]] == ["member", "signatory", "partner", "mentioned"]
    assert data["successor_of"] == {"id": "andean-lithium-forum", "name": "Andean Lithium Forum"}
    assert data["months"] == [{"month": "2026-02", "articles": 1, "countries": 2},
                              {"month": "2026-03", "articles": 1, "countries": 3}]
    fiji = next(c for g in data["participants"] for c in g["countries"] if c["code"] == "FJ")
    assert fiji["evidence"][0]["valid_from"] == "2026-03" and fiji["evidence"][0]["article_id"] == 4
    forum = (await get(ds, "/archive/-/initiatives/andean-lithium-forum.json")).json()
    assert (forum["participants_named"], forum["participants_claimed"]) == (3, 12)
    assert forum["claims"][0]["claimed"] == 12 and forum["claims"][0]["article_id"] == 1
    assert [s["id"] for s in forum["successors"]] == ["pacific-battery-partnership"]
    rows = csv_rows((await get(ds, "/archive/-/initiatives/pacific-battery-partnership.csv")).text)
    assert sorted(r["country"] for r in rows) == ["EU", "FJ", "JP", "RU", "SG"]
    geo = (await get(ds, "/archive/-/initiatives/pacific-battery-partnership.geojson")).json()
    assert {f["id"] for f in geo["features"]} == {"EU", "FJ", "JP", "RU", "SG"}
    html = (await get(ds, "/archive/-/initiatives/pacific-battery-partnership")).text
    assert 'data-data="/archive/-/countries.json?initiative=pacific-battery-partnership&amp;color=role"' in html
    assert "Fiji" in html and "新加坡与日本签署了太平洋电池伙伴关系。" in html and "2026-03" in html
    assert 'href="/archive/-/articles/4"' in html


async def test_initiative_filters_and_404(ds):
    data = (await get(ds, "/archive/-/initiatives/pacific-battery-partnership.json", {"role": "signatory"})).json()
    assert [g["role"] for g in data["participants"]] == ["signatory"]
    rows = csv_rows((await get(ds, "/archive/-/initiatives/pacific-battery-partnership.csv", {"language": "en"})).text)
    assert sorted(r["country"] for r in rows) == ["EU", "FJ", "RU"]
    geo = (await get(ds, "/archive/-/initiatives/pacific-battery-partnership.geojson", {"language": "zh"})).json()
    assert {f["id"] for f in geo["features"]} == {"JP", "SG"}
    await get(ds, "/archive/-/initiatives/no-such-thing", status=404)
    await get(ds, "/archive/-/initiatives/no-such-thing.json", status=404)
    await get(ds, "/archive/-/initiatives/no-such-thing.geojson", status=404)


# --- cells in Datasette's own pages --------------------------------------------------------------------

async def test_cells_link_codes_with_names(ds):
    html = (await get(ds, "/archive/participation")).text
    assert '<a href="/archive/-/countries/PE" title="PE · 秘鲁">Peru</a>' in html
    assert '<a href="/archive/-/initiatives/andean-lithium-forum" title="andean-lithium-forum">Andean Lithium Forum</a>' in html
    html = (await get(ds, "/archive/country_mentions")).text
    assert '<a href="/archive/-/countries/SG" title="SG · 新加坡">Singapore</a>' in html
    html = (await get(ds, "/archive/article_countries")).text
    assert '<a href="/archive/-/countries/EU" title="EU · 欧盟">European Union</a>' in html
    html = (await get(ds, "/archive/articles/4")).text
    assert 'href="/archive/-/countries/FJ"' in html and "Fiji" in html
    html = (await get(ds, "/archive/initiatives")).text  # successor_of (id is the row link)
    assert '<a href="/archive/-/initiatives/andean-lithium-forum" title="andean-lithium-forum">' in html
    html = (await get(ds, "/archive/countries/PE")).text
    assert '<a href="/archive/-/countries/PE"' in html
    # the JSON API keeps the raw codes
    rows = (await get(ds, "/archive/participation.json", {"_shape": "array"})).json()
    assert {r["country"] for r in rows} == ALL - {"US"}


async def test_malformed_point_does_not_break_the_map(archive, tmp_path):
    copy = tmp_path / "archive.db"
    copy.write_bytes(archive.read_bytes())
    db = sqlite_utils.Database(copy)
    db.execute("UPDATE countries SET lat = '[1.3, 103.8]' WHERE code = 'SG'")
    db.conn.commit()
    db.conn.close()
    ds = Datasette([str(copy)])
    rows = {r["code"]: r for r in (await get(ds, "/archive/-/countries.json")).json()["rows"]}
    assert rows["SG"]["lat"] is None and not rows["SG"]["marker"]
    features = {f["id"]: f for f in (await get(ds, "/archive/-/countries.geojson")).json()["features"]}
    assert features["SG"]["geometry"] is None and features["JP"]["geometry"]["type"] in ("Polygon", "MultiPolygon")


# --- summary tables kept by write_derived ---------------------------------------------------------------

RAW_SUMMARIES = {
    "country_month_counts": """
        SELECT ac.country, COALESCE(a.published_month, ''), COALESCE(a.language, ''), COUNT(*),
               (SELECT COUNT(*) FROM country_mentions m JOIN articles b ON b.id = m.article_id
                WHERE m.country = ac.country AND COALESCE(b.published_month, '') = COALESCE(a.published_month, '')
                  AND COALESCE(b.language, '') = COALESCE(a.language, ''))
        FROM article_countries ac JOIN articles a ON a.id = ac.article_id GROUP BY 1, 2, 3""",
    "country_surface_counts": """
        SELECT m.country, COALESCE(a.published_month, ''), COALESCE(a.language, ''), m.surface, m.kind, m.reading,
               COUNT(*)
        FROM country_mentions m JOIN articles a ON a.id = m.article_id GROUP BY 1, 2, 3, 4, 5, 6""",
    "initiative_month_counts": """
        SELECT p.initiative_id, r.role, COALESCE(a.published_month, ''), COALESCE(a.language, ''),
               COUNT(DISTINCT p.article_id)
        FROM participation p JOIN articles a ON a.id = p.article_id
        JOIN (SELECT DISTINCT role FROM participation UNION SELECT '') r ON r.role IN (p.role, '')
        GROUP BY 1, 2, 3, 4""",
    "initiative_country_counts": """
        SELECT p.initiative_id, p.role, p.country, COALESCE(a.published_month, ''), COALESCE(a.language, ''),
               COUNT(DISTINCT p.article_id), COUNT(*)
        FROM participation p JOIN articles a ON a.id = p.article_id GROUP BY 1, 2, 3, 4, 5""",
}


def summaries(db):
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in RAW_SUMMARIES}


def raw_summaries(db):
    return {t: sorted(db.execute(sql).fetchall()) for t, sql in RAW_SUMMARIES.items()}


def test_summaries_match_the_raw_aggregates(tmp_path):
    path = build_archive(tmp_path / "summary.db")
    db = sqlite_utils.Database(path)
    kept = summaries(db.conn)
    assert kept == raw_summaries(db.conn)
    assert ("PE", "2026-01", "en", 1, 2) in kept["country_month_counts"]
    assert ("pacific-battery-partnership", "", "2026-03", "en", 1) in kept["initiative_month_counts"]
    # a re-extraction moves article 4 to another month and language and drops Russia: the counts follow
    with db.conn:
        db.conn.execute("UPDATE articles SET published = '2025-12-30', published_month = '2025-12', "
                        "language = 'zh' WHERE id = 4")
        derived = dict(ARTICLES[3]["derived"], countries=["EU", "FJ"],
                       country_mentions=ARTICLES[3]["derived"]["country_mentions"][:2],
                       participation=ARTICLES[3]["derived"]["participation"][:2])
        store.write_derived(db, 4, derived)
    kept = summaries(db.conn)
    assert kept == raw_summaries(db.conn)
    assert not [r for r in kept["country_month_counts"] if r[0] == "RU"]
    assert ("FJ", "2025-12", "zh", 1, 1) in kept["country_month_counts"]
    # rebuilt from scratch: the same rows
    store.rebuild_summaries(db)
    assert summaries(db.conn) == kept
    # an archive written before the tables existed is filled after its next batch
    with db.conn:
        db.conn.execute("DELETE FROM summary_articles WHERE article_id = 1")
    store.refresh_summaries(db)
    assert summaries(db.conn) == kept
