"""The world map of the country and initiative pages: boundaries shipped with the plugin (Natural Earth,
data/world.geojson), one row per country coloured by role or by number of articles, GeoJSON, and what
newstrace_map.js needs."""
import json
from functools import lru_cache
from importlib import resources

from datasette.utils import add_cors_headers
from datasette.utils.asgi import Response

from .participation import (ARTICLE_CLAUSES, ARTICLE_JOIN, PARTICIPATION_CLAUSES, ROLE_COLORS, ROLES, article_where,
                            country_url, month_exact, participation_where, role_order, summary_where)
from .compat import ensure_view_instance, plugin_config
from .readiness import federated
from .render import json_response, read_choice

NAMED_ONLY_COLOR = "#d9cbb0"  # in articles, with no role in any initiative
NO_DATA_COLOR = "#eeeeee"
# ColorBrewer's sequential YlGnBu scheme (Cynthia Brewer, colorbrewer2.org), in its own n-class form for n
# classes: the steps of a 3-class map are as far apart as the scheme allows, where slicing one 7-class ramp
# gave neighbouring blues a reader could not tell apart; the lightest class is yellow, not the grey of "no data"
COLOR_SCHEMES = {
    1: ("#2c7fb8",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
ARTICLE_COLORS = COLOR_SCHEMES[7]
SCHEME_NAME = "ColorBrewer YlGnBu"
# polygons smaller than this (square degrees: Luxembourg, Qatar, Fiji...) also get a marker to see and click
SMALL_AREA = 2.0

COUNTRIES_SQL = "SELECT code, name, name_zh, capital, capital_zh, lat, lng, blocs FROM countries"

# articles naming each country: the covering index on article_countries(country, article_id) answers it
# alone when no article filter is set
MAP_ARTICLES_SQL = """
SELECT ac.country AS code, COUNT(*) AS articles
FROM article_countries ac {join}
WHERE 1 = 1 {where}
GROUP BY ac.country
"""
MAP_ARTICLES_SUMMARY_SQL = """
SELECT s.country AS code, SUM(s.articles) AS articles
FROM country_month_counts s WHERE 1 = 1 {where}
GROUP BY s.country HAVING SUM(s.articles) > 0
"""
MAP_ROLES_SQL = """
SELECT p.country AS code, p.role, COUNT(DISTINCT p.article_id) AS articles,
       json_group_array(DISTINCT p.initiative_id) AS initiatives
FROM participation p {join}
WHERE p.country IS NOT NULL {where}
GROUP BY p.country, p.role
"""
MAP_ROLE_ARTICLES_SQL = """
SELECT p.country AS code, COUNT(DISTINCT p.article_id) AS articles
FROM participation p {join}
WHERE p.country IS NOT NULL {where}
GROUP BY p.country
"""
# the same roles from the summaries (a single file whose summaries are current, whole months): the articles of each
# (country, role) from country_role_counts, a country's initiatives from initiative_country_totals (no filter) or
# initiative_country_counts; with an initiative chosen, both from its initiative_country_counts rows. Without them,
# 10,000 discovered initiatives at 1M articles made the map read every participation row at each request.
MAP_ROLES_SUMMARY_SQL = """
SELECT s.country AS code, NULLIF(s.role, '') AS role, SUM(s.articles) AS articles
FROM country_role_counts s WHERE 1 = 1 {where}
GROUP BY s.country, s.role HAVING SUM(s.articles) > 0
"""
MAP_INITIATIVES_TOTALS_SQL = """
SELECT country AS code, json_group_array(initiative_id) AS initiatives
FROM initiative_country_totals WHERE rows > 0
GROUP BY country
"""
MAP_INITIATIVES_SUMMARY_SQL = """
SELECT s.country AS code, json_group_array(DISTINCT s.initiative_id) AS initiatives
FROM initiative_country_counts s WHERE 1 = 1 {where}
GROUP BY s.country HAVING SUM(s.articles) > 0
"""
# a partitioned archive's map without filters (plugin/federated.py: the archive-wide database): the roles as MAP_ROLES_SQL
# counts them, summed over each partition's partition_role_counts (an article is in one partition), and a country's
# initiatives from initiative_country_totals (MAP_INITIATIVES_TOTALS_SQL) — not each (country, role)'s, which
# would read every partition's initiative lists (json_each over them: 10,000 discovered initiatives at 1M articles)
MAP_PARTITION_ROLES_SQL = """
SELECT country AS code, role, SUM(articles) AS articles
FROM partition_role_counts GROUP BY country, role
"""
MAP_INITIATIVE_ROLES_SUMMARY_SQL = """
SELECT s.country AS code, NULLIF(s.role, '') AS role, SUM(s.articles) AS articles,
       json_group_array(DISTINCT s.initiative_id) AS initiatives
FROM initiative_country_counts s WHERE s.initiative_id = :initiative {where}
GROUP BY s.country, s.role HAVING SUM(s.articles) > 0
"""


@lru_cache(maxsize=1)
def boundaries():
    "The boundaries FeatureCollection, parsed once per process."
    return json.loads(resources.files(__package__).joinpath("data/world.geojson").read_text("utf-8"))


@lru_cache(maxsize=1)
def boundary_geometries():
    return {f["properties"]["code"]: f["geometry"] for f in boundaries()["features"]}


@lru_cache(maxsize=1)
def boundary_areas():
    return {f["properties"]["code"]: f["properties"].get("area", SMALL_AREA) for f in boundaries()["features"]}


async def country_table(db):
    return {r["code"]: dict(r, lat=_coordinate(r["lat"]), lng=_coordinate(r["lng"]))
            for r in (await db.execute(COUNTRIES_SQL)).rows}


def _coordinate(value):
    "A number or None: a malformed point in the gazetteer must not break the map for every country."
    return float(value) if isinstance(value, (int, float)) else None


def map_parts(archive):
    "(roles, article counts): which of the map's two sources the actor may see (archive.Archive)."
    return archive.sees("participation", "articles"), archive.sees("article_countries", "articles")


async def map_rows(db, datasette, filters, color_by, archive=None, summaries=True):
    """One row per country with articles or a role under the filters, coloured; plus the legend. With an
    `archive` (plugin/archive.py), what comes from tables its actor may not see is left out. `summaries`:
    whether the summary tables are current (readiness.summaries_state); if not, articles are counted from rows."""
    with_roles, with_counts = map_parts(archive) if archive else (True, True)
    article_filtered = any(k in filters for k in ARTICLE_CLAUSES)
    role_filtered = any(k in filters for k in PARTICIPATION_CLAUSES)
    where, params = participation_where(filters)
    join = ARTICLE_JOIN.format(alias="p") if article_filtered else ""
    role_counts = by_country = None
    if not with_roles:
        roles = []
    elif summaries and not filters and await _partition_roles(db):
        roles = (await db.execute(MAP_PARTITION_ROLES_SQL)).rows
        by_country = {r["code"]: r["initiatives"] for r in (await db.execute(MAP_INITIATIVES_TOTALS_SQL)).rows}
    elif summaries and month_exact(filters) and await _role_summaries(db, "initiative" not in filters):
        roles, by_country = await _summary_roles(db, filters)
        if "role" in filters:  # one role: a country's articles in it are MAP_ROLE_ARTICLES_SQL's count
            role_counts = [{"code": r["code"], "articles": r["articles"]} for r in roles]
    else:
        roles = (await db.execute(MAP_ROLES_SQL.format(join=join, where=where), params)).rows
    if not with_counts or role_filtered and not with_roles:
        counts = []
    elif role_filtered:
        counts = role_counts if role_counts is not None else (
            await db.execute(MAP_ROLE_ARTICLES_SQL.format(join=join, where=where), params)).rows
    elif month_exact(filters) and summaries:
        s_where, s_params = summary_where(filters)
        counts = (await db.execute(MAP_ARTICLES_SUMMARY_SQL.format(where=s_where), s_params)).rows
    else:
        a_where, a_params = article_where(filters)
        a_join = ARTICLE_JOIN.format(alias="ac") if article_filtered else ""
        counts = (await db.execute(MAP_ARTICLES_SQL.format(join=a_join, where=a_where), a_params)).rows
    countries = await country_table(db)
    areas = boundary_areas()
    by_code = {}

    def row_for(code):
        if code not in by_code:
            c = countries.get(code, {})
            by_code[code] = {
                "code": code, "name": c.get("name") or code, "name_zh": c.get("name_zh"),
                "articles": 0, "roles": {}, "top_role": None, "initiatives": [],
                "lat": c.get("lat"), "lng": c.get("lng"), "has_boundary": code in areas,
                "marker": areas.get(code, 0) < SMALL_AREA and c.get("lat") is not None,
                # (a plain string: Datasette's prefixed URL string looks up dir(str) on every method call)
                "url": str(country_url(datasette, db.name, code)) if code in countries else None,
            }
        return by_code[code]

    for r in counts:
        row_for(r["code"])["articles"] = r["articles"]
    gathered = {}  # a country's initiatives over its roles
    for r in roles:
        row = row_for(r["code"])
        row["roles"][r["role"]] = r["articles"]
        if by_country is None:
            gathered.setdefault(r["code"], set()).update(json.loads(r["initiatives"]))
    if by_country is not None:  # (the summaries give them once a country)
        gathered = {code: json.loads(by_country.get(code) or "[]") for code in {r["code"] for r in roles}}
    for code, ids in gathered.items():
        by_code[code]["initiatives"] = sorted({i for i in ids if i})
    for row in by_code.values():
        row["roles"] = {role: row["roles"][role] for role in role_order(row["roles"])}
        row["top_role"] = next(iter(row["roles"]), None)
    rows = sorted(by_code.values(), key=lambda r: (-r["articles"], r["name"]))
    legend = _colour(rows, color_by)
    return rows, legend


async def _role_summaries(db, every_initiative):
    """Whether the map's roles may be read from the summaries: a single file (a partitioned archive counts them in
    each partition) keeping country_role_counts when no initiative is chosen (an archive from before it: from the
    rows until `newstrace optimize` adds it)."""
    if federated(db):
        return False
    return await db.table_exists("country_role_counts" if every_initiative else "initiative_country_counts")


async def _partition_roles(db):
    """Whether a partitioned archive's unfiltered map reads its roles and initiatives from the archive-wide summaries:
    partition_role_counts and initiative_country_totals kept, and no partition left out for the actor (the totals
    are the whole archive's)."""
    if not federated(db) or getattr(db, "hidden", 0):
        return False
    tables = getattr(db, "wide_tables", ())
    return "partition_role_counts" in tables and "initiative_country_totals" in tables


async def _summary_roles(db, filters):
    """The map's roles from the summaries: MAP_ROLES_SQL's rows (code, role, articles, initiatives) counted ahead,
    and None; or, with no initiative chosen, (code, role, articles) rows and {code: its initiatives (JSON)}."""
    where, params = summary_where(filters)
    if "role" in filters:
        where += " AND s.role = :role"
        params["role"] = filters["role"]
    if "initiative" in filters:
        params["initiative"] = filters["initiative"]
        return (await db.execute(MAP_INITIATIVE_ROLES_SUMMARY_SQL.format(where=where), params)).rows, None
    roles = (await db.execute(MAP_ROLES_SUMMARY_SQL.format(where=where), params)).rows
    if where or not await db.table_exists("initiative_country_totals"):
        found = await db.execute(MAP_INITIATIVES_SUMMARY_SQL.format(where=where), params)
    else:
        found = await db.execute(MAP_INITIATIVES_TOTALS_SQL)
    return roles, {r["code"]: r["initiatives"] for r in found.rows}


def _colour(rows, color_by):
    "Sets row['color']; returns the legend [{label, color}] for what is on the map."
    if color_by == "role":
        present = {r["top_role"] for r in rows}
        for r in rows:
            r["color"] = ROLE_COLORS.get(r["top_role"], NAMED_ONLY_COLOR) if r["top_role"] else NAMED_ONLY_COLOR
        legend = [{"label": role, "color": ROLE_COLORS[role]} for role in ROLES if role in present]
        if None in present:
            legend.append({"label": "named in articles, no role", "color": NAMED_ONLY_COLOR})
        return legend
    bins = article_bins(max((r["articles"] for r in rows), default=0))
    for r in rows:
        r["color"] = NO_DATA_COLOR
        for low, _, color in bins:
            if r["articles"] >= low:
                r["color"] = color
    return [{"label": label, "color": color} for _, label, color in bins]


def article_bins(top):
    "[(lowest count, label, colour)] on a 1-2-5 scale up to `top`, at most len(ARTICLE_COLORS) classes."
    steps, n = [], 1
    while n <= max(top, 1):
        steps.append(n)
        n = n * 5 // 2 if str(n)[0] == "2" else n * 2
    while len(steps) > len(ARTICLE_COLORS):
        steps = steps[:1] + steps[2::2] if len(steps) % 2 == 0 else steps[::2]
    colors = COLOR_SCHEMES[len(steps)]
    bins = []
    for i, low in enumerate(steps):
        high = steps[i + 1] - 1 if i + 1 < len(steps) else top
        label = f"{low}" if high <= low else f"{low}–{high}"
        bins.append((low, label + (" article" if label == "1" else " articles"), colors[i]))
    return bins


def legend_texts(legend, color_by, _):
    "The legend and the map's own words in the reader's language (i18n.translator): data values stay as they are."
    for item in legend:
        if color_by == "articles":
            item["text"] = _("{range} articles", range=item["label"].rsplit(" ", 1)[0])
        else:
            item["text"] = _(item["label"])
    labels = {"role": _("Role"), "articles": _("Articles"), "no_data": _("no data")}
    return {"legend": legend, "labels": labels, "scheme": SCHEME_NAME if color_by == "articles" else None}


def geojson_collection(rows, legend, extra):
    "The map rows as GeoJSON: boundary polygons, a point where the country has none at this scale."
    geometries = boundary_geometries()
    features = []
    for r in rows:
        geometry = geometries.get(r["code"])
        if geometry is None and r["lat"] is not None and r["lng"] is not None:
            geometry = {"type": "Point", "coordinates": [r["lng"], r["lat"]]}
        properties = {k: v for k, v in r.items() if k not in ("lat", "lng")}
        features.append({"type": "Feature", "id": r["code"], "properties": properties, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "properties": {**extra, "legend": legend, "boundaries": boundaries()["properties"]},
        "features": features,
    }


def geojson_response(collection):
    return json_response(collection, content_type="application/geo+json; charset=utf-8")


def map_settings(datasette, database, data_url, color_by):
    "What newstrace_map.js needs, as data- attributes; tiles only when configured (offline by default)."
    config = plugin_config(datasette, database)
    return {
        "data_url": data_url,
        "world_url": datasette.urls.path("/-/newstrace/world.geojson"),
        "tile_url": config.get("tile_url") or "",
        "tile_attribution": config.get("tile_attribution") or "",
        "color_by": color_by,
        "map_js_url": datasette.urls.static_plugins("newstrace", "newstrace_map.js"),
        "map_css_url": datasette.urls.static_plugins("newstrace", "newstrace_map.css"),
    }


def read_color(request):
    return read_choice(request, "color", ("role", "articles"), "role")


async def world_view(datasette, request):
    await ensure_view_instance(datasette, request.actor)
    headers = {"cache-control": "max-age=86400"}
    if datasette.cors:  # a front-end drawing its own map fetches the boundaries too
        add_cors_headers(headers)
    return Response(
        json.dumps(boundaries(), ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
        headers=headers,
    )


ROUTES = [(r"^/-/newstrace/world\.geojson$", world_view)]
