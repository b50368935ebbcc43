"""Country participation pages: the world map, one page per country and per initiative, cell labels.

/{db}/-/countries                 map + table of countries (coloured by role or by number of articles)
/{db}/-/countries/{code}          one country: initiatives with roles and evidence, mentions per month, articles
/{db}/-/initiatives               initiatives with participants named vs claimed
/{db}/-/initiatives/{id}          one initiative: participants by role with evidence, map, timeline
/-/newstrace/world.geojson        the boundaries (plugin/data/world.geojson, Natural Earth)
Every page is also .json and .csv; the map pages also .geojson. Filters are query parameters that every
format honours: initiative, role, language, from, to (YYYY, YYYY-MM or YYYY-MM-DD on articles.published).
"""
import datetime
import functools
import json
import re
import time
import weakref
from functools import lru_cache
from importlib import resources
from urllib.parse import urlencode

from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup

from .render import database_for, format_url, json_response, query_string, respond

# Colouring by role: a country with several roles takes the first one in this order.
ROLES = ("host", "chair", "member", "signatory", "partner", "participant", "target", "mentioned")
ROLE_COLORS = {
    "host": "#d55e00", "chair": "#e69f00", "member": "#0072b2", "signatory": "#009e73",
    "partner": "#56b4e9", "participant": "#f0e442", "target": "#cc79a7", "mentioned": "#999999",
}
NAMED_ONLY_COLOR = "#d9cbb0"  # in articles, with no role in any initiative
NO_DATA_COLOR = "#eeeeee"
ARTICLE_COLORS = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
# roles that make a country one of the participants an article's "more than 50 countries" counts
PARTICIPANT_ROLES = ("host", "chair", "member", "signatory", "partner", "participant")

FILTERS = ("initiative", "role", "language", "from", "to")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^[A-Z]{2}$")
PAGE_SIZE = 50  # the article and evidence lists: the latest 50, then ?page=2 ...
# a set of articles larger than this share of the archive is paged by walking articles by date (it meets
# 50 members soon); a smaller one is sorted whole (fewer rows than the walk would read)
SCAN_SHARE = 0.02
# polygons smaller than this (square degrees: Luxembourg, Qatar, Fiji...) also get a marker to see and click
SMALL_AREA = 2.0

# --- SQL (placeholders in braces take only the constant clauses below, never request values) ---------

COUNTRIES_SQL = "SELECT code, name, name_zh, capital, capital_zh, lat, lng, blocs FROM countries"
COUNTRY_SQL = COUNTRIES_SQL + " WHERE code = :code"
INITIATIVE_NAMES_SQL = "SELECT id, name_en, name_zh, kind FROM initiatives ORDER BY name_en, id"
LANGUAGES_SQL = "SELECT language, COUNT(*) AS n FROM articles WHERE language IS NOT NULL GROUP BY language ORDER BY n DESC"

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

COUNTRY_PARTICIPATION_SQL = """
SELECT p.id, p.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind,
       p.role, p.status, p.valid_from, p.valid_to, p.evidence, p.method, p.confidence,
       p.article_id, a.title AS article_title, COALESCE(a.canonical_url, a.url) AS article_url,
       a.published, a.language
FROM participation p JOIN articles a ON a.id = p.article_id
LEFT JOIN initiatives i ON i.id = p.initiative_id
WHERE p.country = :code {where}
ORDER BY i.name_en, p.initiative_id, p.role, a.published DESC, p.id
"""
# the summary tables (ingest/store/schema.py) answer the months and surfaces when the date filters are whole
# months or years; a day-level filter goes to the mention rows, bounded by its dates
SUMMARY_CLAUSES = {
    "language": "s.language = :language",
    "from": "s.month >= :date_from AND s.month != ''",
    "to": "s.month < :date_to AND s.month != ''",
}
COUNTRY_MONTHS_SUMMARY_SQL = """
SELECT NULLIF(s.month, '') AS month, SUM(s.articles) AS articles, SUM(s.mentions) AS mentions
FROM country_month_counts s WHERE s.country = :code {where}
GROUP BY s.month ORDER BY s.month
"""
COUNTRY_SURFACES_SUMMARY_SQL = """
SELECT s.surface, NULLIF(s.kind, '') AS kind, NULLIF(s.reading, '') AS reading, SUM(s.n) AS n
FROM country_surface_counts s WHERE s.country = :code {where}
GROUP BY s.surface, s.kind, s.reading ORDER BY n DESC, s.surface LIMIT 30
"""
COUNTRY_MONTHS_SQL = """
SELECT a.published_month AS month, COUNT(*) AS articles
FROM article_countries ac JOIN articles a ON a.id = ac.article_id
WHERE ac.country = :code {where}
GROUP BY a.published_month ORDER BY a.published_month
"""
COUNTRY_MENTION_MONTHS_SQL = """
SELECT a.published_month AS month, COUNT(*) AS mentions
FROM country_mentions m JOIN articles a ON a.id = m.article_id
WHERE m.country = :code {where}
GROUP BY a.published_month
"""
COUNTRY_SURFACES_SQL = """
SELECT m.surface, m.kind, m.reading, COUNT(*) AS n
FROM country_mentions m JOIN articles a ON a.id = m.article_id
WHERE m.country = :code {where}
GROUP BY m.surface, m.kind, m.reading ORDER BY n DESC, m.surface LIMIT 30
"""
# one page of the latest articles of a set ({members}: a SELECT of article ids, bound to :code or :id).
# "join": sort the set's articles; "walk": read articles newest first and keep the members.
LATEST_JOIN_SQL = """
SELECT a.id FROM articles a WHERE a.id IN ({members}) {where}
ORDER BY a.published DESC, a.id DESC LIMIT :limit OFFSET :offset
"""
LATEST_WALK_SQL = """
SELECT a.id FROM articles a INDEXED BY idx_articles_published WHERE {members} {where}
ORDER BY a.published DESC, a.id DESC LIMIT :limit OFFSET :offset
"""
COUNTRY_MEMBERS = "SELECT article_id FROM article_countries WHERE country = :code"
ARTICLE_ROWS_SQL = """
SELECT a.id, a.title, COALESCE(a.canonical_url, a.url) AS url, a.sitename, a.published, a.language,
       (SELECT COUNT(*) FROM country_mentions m WHERE m.article_id = a.id AND m.country = :code) AS mentions
FROM articles a WHERE a.id IN ({ids})
ORDER BY a.published DESC, a.id DESC
"""
COUNTRY_INITIATIVES_SQL = """
SELECT p.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind, p.role,
       COUNT(*) AS evidence
FROM participation p {join} LEFT JOIN initiatives i ON i.id = p.initiative_id
WHERE p.country = :code {where}
GROUP BY p.initiative_id, p.role
"""
PARTICIPATION_ROWS_SQL = """
SELECT p.id, p.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind,
       p.country, c.name AS country_name, c.name_zh AS country_name_zh,
       p.role, p.status, p.valid_from, p.valid_to, p.evidence, p.method, p.confidence,
       p.article_id, a.title AS article_title, COALESCE(a.canonical_url, a.url) AS article_url,
       a.published, a.language
FROM participation p JOIN articles a ON a.id = p.article_id
LEFT JOIN initiatives i ON i.id = p.initiative_id LEFT JOIN countries c ON c.code = p.country
WHERE p.article_id IN ({ids}) AND {owner} {where}
ORDER BY a.published DESC, p.article_id DESC, p.id
"""

INITIATIVES_SQL = """
SELECT id, name_en, name_zh, kind, successor_of, description, aliases FROM initiatives {where}
"""
INITIATIVE_SQL = INITIATIVES_SQL.format(where="WHERE id = :id")
SUCCESSORS_SQL = "SELECT id, name_en FROM initiatives WHERE successor_of = :id ORDER BY name_en"
INITIATIVE_STATS_SQL = """
SELECT p.initiative_id AS id,
       COUNT(DISTINCT CASE WHEN p.role IN ({participant_roles}) THEN p.country END) AS participants_named,
       COUNT(DISTINCT p.country) AS countries,
       COUNT(DISTINCT p.article_id) AS articles,
       MIN(a.published) AS first_seen, MAX(a.published) AS last_seen
FROM participation p JOIN articles a ON a.id = p.article_id
WHERE 1 = 1 {where}
GROUP BY p.initiative_id
"""
INITIATIVE_STATS_SUMMARY_SQL = """
SELECT s.initiative_id AS id,
       COUNT(DISTINCT CASE WHEN s.role IN ({participant_roles}) THEN s.country END) AS participants_named,
       COUNT(DISTINCT s.country) AS countries
FROM initiative_country_counts s WHERE 1 = 1 {where}
GROUP BY s.initiative_id
"""
INITIATIVE_ARTICLES_SUMMARY_SQL = """
SELECT s.initiative_id AS id, SUM(s.articles) AS articles,
       MIN(NULLIF(s.month, '')) AS first_month, MAX(NULLIF(s.month, '')) AS last_month
FROM initiative_month_counts s WHERE s.role = '' {where}
GROUP BY s.initiative_id
"""
# the first (last) dated article of an initiative within its first (last) month: a walk over one month
INITIATIVE_SEEN_SQL = """
SELECT a.published FROM articles a INDEXED BY idx_articles_published
WHERE a.published >= :month_start AND a.published < :month_end {where}
  AND EXISTS (SELECT 1 FROM participation p WHERE p.article_id = a.id AND p.initiative_id = :id)
ORDER BY a.published {order} LIMIT 1
"""
CLAIMED_SQL = """
SELECT c.initiative_id AS id, MAX(c.claimed) AS participants_claimed, COUNT(*) AS claiming_articles
FROM initiative_claimed_counts c {join}
WHERE 1 = 1 {where}
GROUP BY c.initiative_id
"""
INITIATIVE_CLAIMS_SQL = """
SELECT c.article_id, c.claimed, a.title AS article_title, COALESCE(a.canonical_url, a.url) AS article_url,
       a.published, a.language
FROM initiative_claimed_counts c JOIN articles a ON a.id = c.article_id
WHERE c.initiative_id = :id {where}
ORDER BY c.claimed DESC, a.published DESC
LIMIT 20
"""
INITIATIVE_COUNTRIES_SUMMARY_SQL = """
SELECT s.role, s.country, c.name AS country_name, c.name_zh AS country_name_zh,
       SUM(s.evidence) AS evidence, SUM(s.articles) AS articles
FROM initiative_country_counts s LEFT JOIN countries c ON c.code = s.country
WHERE s.initiative_id = :id {where}
GROUP BY s.role, s.country
"""
INITIATIVE_COUNTRIES_SQL = """
SELECT p.role, p.country, c.name AS country_name, c.name_zh AS country_name_zh,
       COUNT(*) AS evidence, COUNT(DISTINCT p.article_id) AS articles
FROM participation p JOIN articles a ON a.id = p.article_id LEFT JOIN countries c ON c.code = p.country
WHERE p.initiative_id = :id AND p.country IS NOT NULL {where}
GROUP BY p.role, p.country
"""
INITIATIVE_MONTHS_SUMMARY_SQL = """
SELECT NULLIF(month, '') AS month, SUM(articles) AS articles, (
         SELECT COUNT(DISTINCT s.country) FROM initiative_country_counts s
         WHERE s.initiative_id = :id AND s.month = m.month {where} {role_where}) AS countries
FROM (SELECT s.month, s.articles FROM initiative_month_counts s
      WHERE s.initiative_id = :id AND s.role = :role_key {where}) m
GROUP BY month ORDER BY month
"""
INITIATIVE_MONTHS_SQL = """
SELECT a.published_month AS month, COUNT(DISTINCT p.article_id) AS articles,
       COUNT(DISTINCT p.country) AS countries
FROM participation p JOIN articles a ON a.id = p.article_id
WHERE p.initiative_id = :id {where}
GROUP BY a.published_month ORDER BY a.published_month
"""
INITIATIVE_MEMBERS = "SELECT article_id FROM participation WHERE initiative_id = :id"
INITIATIVE_ROLE_MEMBERS = "SELECT article_id FROM participation WHERE initiative_id = :id AND role = :role"

ARTICLE_JOIN = "JOIN articles a ON a.id = {alias}.article_id"
ARTICLE_CLAUSES = {
    "language": "a.language = :language",
    "from": "a.published >= :date_from",
    "to": "a.published < :date_to",
}
PARTICIPATION_CLAUSES = {
    "initiative": "p.initiative_id = :initiative",
    "role": "p.role = :role",
}


# --- filters ---------------------------------------------------------------------------------------

def read_filters(request, names=FILTERS):
    "The filters given in the query string, checked: {name: value}."
    filters = {}
    for name in names:
        value = (request.args.get(name) or "").strip()
        if value:
            filters[name] = value
    if "role" in filters and filters["role"] not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    for name in ("from", "to"):
        if name in filters:
            _date_after(filters[name])  # validates
    return filters


def _date_after(value):
    "The first date string after a year, month or day (the exclusive end of `to`)."
    if not DATE.match(value):
        raise BadRequest("dates are YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        if len(value) == 4:
            return str(int(value) + 1)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            if not 1 <= month <= 12:
                raise ValueError
            return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
        return (datetime.date.fromisoformat(value) + datetime.timedelta(days=1)).isoformat()
    except ValueError:
        raise BadRequest(f"not a date: {value}")


def article_where(filters):
    "(AND-clauses on articles a, params) for language/from/to."
    clauses, params = [], {}
    if "language" in filters:
        params["language"] = filters["language"]
    if "from" in filters:
        params["date_from"] = filters["from"]
    if "to" in filters:
        params["date_to"] = _date_after(filters["to"])
    for name, clause in ARTICLE_CLAUSES.items():
        if name in filters:
            clauses.append(clause)
    return "".join(" AND " + c for c in clauses), params


def participation_where(filters):
    where, params = article_where(filters)
    for name, clause in PARTICIPATION_CLAUSES.items():
        if name in filters:
            where += " AND " + clause
            params[name] = filters[name]
    return where, params


def month_exact(filters):
    "True when the date filters are whole years or months: the summary tables answer them exactly."
    return all(len(filters[k]) != 10 for k in ("from", "to") if k in filters)


def summary_where(filters):
    "(AND-clauses on a summary table s, params) for language/from/to (month_exact filters only)."
    _, params = article_where(filters)
    return "".join(" AND " + c for name, c in SUMMARY_CLAUSES.items() if name in filters), params


def read_page(request):
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        raise BadRequest("page must be a number")
    if page < 1:
        raise BadRequest("page must be 1 or more")
    return page


async def latest_ids(db, table, condition, params, size, filters, page):
    """The ids of one page of the newest articles having a row in `table` matching `condition` (alias m),
    under the article filters; and whether there is a next page. `size`: how many articles the set holds."""
    where, a_params = article_where(filters)
    total = (await db.execute("SELECT MAX(id) FROM articles")).first()[0] or 0
    if size > SCAN_SHARE * total:
        sql = LATEST_WALK_SQL.format(
            members=f"EXISTS (SELECT 1 FROM {table} m WHERE m.article_id = a.id AND {condition})", where=where)
    else:
        sql = LATEST_JOIN_SQL.format(members=f"SELECT m.article_id FROM {table} m WHERE {condition}", where=where)
    rows = (await db.execute(sql, {**params, **a_params, "limit": PAGE_SIZE + 1,
                                   "offset": (page - 1) * PAGE_SIZE})).rows
    ids = [r[0] for r in rows]
    return ids[:PAGE_SIZE], len(ids) > PAGE_SIZE


def page_links(request, page, more):
    here = request.path
    return {
        "page": page, "page_size": PAGE_SIZE,
        "next_url": here + "?" + query_string(request, page=str(page + 1)) if more else None,
        "prev_url": here + "?" + query_string(request, page=str(page - 1) if page > 2 else None) if page > 1 else None,
    }


def with_link(response, links, request):
    # the next page in every format (a CSV has no room for a link)
    if links["next_url"] and request.url_vars.get("format") in ("json", "csv"):
        response.headers["link"] = f'<{links["next_url"]}>; rel="next"'
    return response


def id_list(ids):
    "ids are integers read from the database, never request values"
    return ", ".join(str(int(i)) for i in ids) or "NULL"


# --- reference data ----------------------------------------------------------------------------------

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


def country_url(datasette, database, code):
    return datasette.urls.database(database) + "/-/countries/" + code


def initiative_url(datasette, database, initiative_id):
    return datasette.urls.database(database) + "/-/initiatives/" + initiative_id


def article_page(datasette, database, article_id):
    return datasette.urls.row(database, "articles", str(article_id))


# --- map data ----------------------------------------------------------------------------------------

async def map_rows(db, datasette, filters, color_by):
    """One row per country with articles or a role under the filters, coloured; plus the legend."""
    article_filtered = any(k in filters for k in ARTICLE_CLAUSES)
    role_filtered = any(k in filters for k in PARTICIPATION_CLAUSES)
    where, params = participation_where(filters)
    join = ARTICLE_JOIN.format(alias="p") if article_filtered else ""
    roles = (await db.execute(MAP_ROLES_SQL.format(join=join, where=where), params)).rows
    if role_filtered:
        counts = await db.execute(MAP_ROLE_ARTICLES_SQL.format(join=join, where=where), params)
    elif month_exact(filters):
        s_where, s_params = summary_where(filters)
        counts = await db.execute(MAP_ARTICLES_SUMMARY_SQL.format(where=s_where), s_params)
    else:
        a_where, a_params = article_where(filters)
        a_join = ARTICLE_JOIN.format(alias="ac") if article_filtered else ""
        counts = await db.execute(MAP_ARTICLES_SQL.format(join=a_join, where=a_where), a_params)
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
                "url": country_url(datasette, db.name, code) if code in countries else None,
            }
        return by_code[code]

    for r in counts.rows:
        row_for(r["code"])["articles"] = r["articles"]
    for r in roles:
        row = row_for(r["code"])
        row["roles"][r["role"]] = r["articles"]
        row["initiatives"] = sorted(set(row["initiatives"]) | {i for i in json.loads(r["initiatives"]) if i})
    for row in by_code.values():
        row["roles"] = {role: row["roles"][role] for role in _role_order(row["roles"])}
        row["top_role"] = next(iter(row["roles"]), None)
    rows = sorted(by_code.values(), key=lambda r: (-r["articles"], r["name"]))
    legend = _colour(rows, color_by)
    return rows, legend


def _role_order(roles):
    return sorted(roles, key=lambda r: (ROLES.index(r) if r in ROLES else len(ROLES), r))


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
    colors = ARTICLE_COLORS[len(ARTICLE_COLORS) - len(steps):] if len(steps) > 1 else ARTICLE_COLORS[-1:]
    bins = []
    for i, low in enumerate(steps):
        high = steps[i + 1] - 1 if i + 1 < len(steps) else top
        label = f"{low}" if high <= low else f"{low}–{high}"
        bins.append((low, label + (" article" if label == "1" else " articles"), colors[i]))
    return bins


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
    config = datasette.plugin_config("newstrace", database=database) or {}
    return {
        "data_url": data_url,
        "world_url": datasette.urls.path("/-/newstrace/world.geojson"),
        "tile_url": config.get("tile_url") or "",
        "tile_attribution": config.get("tile_attribution") or "",
        "color_by": color_by,
        "map_js_url": datasette.urls.static_plugins("newstrace", "newstrace_map.js"),
        "map_css_url": datasette.urls.static_plugins("newstrace", "newstrace_map.css"),
    }


def _color_by(request):
    value = request.args.get("color") or "role"
    if value not in ("role", "articles"):
        raise BadRequest("color must be role or articles")
    return value


async def filter_choices(db):
    initiatives = [dict(r) for r in (await db.execute(INITIATIVE_NAMES_SQL)).rows]
    languages = [r["language"] for r in (await db.execute(LANGUAGES_SQL)).rows]
    return {"initiative_choices": initiatives, "language_choices": languages, "role_choices": list(ROLES)}


def filter_context(request, filters):
    return {
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None}) for k in filters},
        "color_urls": {c: "?" + query_string(request, color=c) for c in ("role", "articles")},
    }


# --- pages -------------------------------------------------------------------------------------------

async def countries_view(datasette, request):
    db = await database_for(datasette, request)
    filters = read_filters(request)
    color_by = _color_by(request)
    rows, legend = await map_rows(db, datasette, filters, color_by)
    data = {"database": db.name, "filters": filters, "color": color_by, "legend": legend,
            "total_countries": len(rows), "rows": rows}
    columns = ["code", "name", "name_zh", "articles", "top_role", "roles", "initiatives", "lat", "lng", "color"]
    choices = await filter_choices(db)
    context = {
        **choices,
        **filter_context(request, filters),
        **map_settings(datasette, db.name, format_url(request, "json"), color_by),
        "initiative_names": {i["id"]: i["name_en"] or i["id"] for i in choices["initiative_choices"]},
        "initiatives_url": datasette.urls.database(db.name) + "/-/initiatives",
    }
    extra = {"database": db.name, "filters": filters, "color": color_by}
    return await respond(
        datasette, request, template="newstrace_countries.html", data=data, rows=rows, columns=columns,
        filename=f"{db.name}-countries", context=context,
        formats={"geojson": lambda: geojson_response(geojson_collection(rows, legend, extra))},
    )


async def country_view(datasette, request):
    db = await database_for(datasette, request)
    code = request.url_vars["code"]
    if code != code.upper():
        fmt = request.url_vars.get("format")
        target = country_url(datasette, db.name, code.upper()) + (f".{fmt}" if fmt else "")
        return Response.redirect(target + ("?" + request.query_string if request.query_string else ""))
    country = (await db.execute(COUNTRY_SQL, {"code": code})).first()
    if country is None:
        raise NotFound(f"Unknown country code: {code}")
    country = dict(country, blocs=json.loads(country["blocs"] or "[]"))
    filters = read_filters(request)
    page = read_page(request)
    a_where, a_params = article_where(filters)
    a_params["code"] = code
    if month_exact(filters):
        s_where, s_params = summary_where(filters)
        s_params["code"] = code
        months = [dict(r) for r in (await db.execute(COUNTRY_MONTHS_SUMMARY_SQL.format(where=s_where), s_params)).rows
                  if r["articles"] or r["mentions"]]
        surfaces = [dict(r) for r in
                    (await db.execute(COUNTRY_SURFACES_SUMMARY_SQL.format(where=s_where), s_params)).rows]
    else:  # a day-level date range: the rows within it
        months = {r["month"]: {"month": r["month"], "articles": r["articles"], "mentions": 0}
                  for r in (await db.execute(COUNTRY_MONTHS_SQL.format(where=a_where), a_params)).rows}
        for r in (await db.execute(COUNTRY_MENTION_MONTHS_SQL.format(where=a_where), a_params)).rows:
            months.setdefault(r["month"], {"month": r["month"], "articles": 0, "mentions": 0})["mentions"] = r["mentions"]
        months = sorted(months.values(), key=lambda m: m["month"] or "")
        surfaces = [dict(r) for r in (await db.execute(COUNTRY_SURFACES_SQL.format(where=a_where), a_params)).rows]
    articles_total = sum(m["articles"] for m in months)
    ids, more = await latest_ids(db, "article_countries", "m.country = :code", {"code": code}, articles_total,
                                 filters, page)
    articles = [dict(r) for r in (await db.execute(ARTICLE_ROWS_SQL.format(ids=id_list(ids)), {"code": code})).rows]
    # initiatives and roles over all the evidence; the evidence itself from the newest articles, a page at a time
    where, params = participation_where(filters)
    params["code"] = code
    join = ARTICLE_JOIN.format(alias="p") if any(k in filters for k in ARTICLE_CLAUSES) else ""
    initiatives = {}
    for r in (await db.execute(COUNTRY_INITIATIVES_SQL.format(join=join, where=where), params)).rows:
        item = initiatives.setdefault(r["initiative_id"], {
            "id": r["initiative_id"], "name": r["initiative_name"] or r["initiative_id"],
            "name_zh": r["initiative_name_zh"], "kind": r["kind"], "roles": [], "evidence": 0,
        })
        item["roles"].append(r["role"])
        item["evidence"] += r["evidence"]
    for item in initiatives.values():
        item["roles"] = _role_order(item["roles"])
    p_filters = {k: v for k, v in filters.items() if k in PARTICIPATION_CLAUSES}
    p_where = "".join(" AND " + PARTICIPATION_CLAUSES[k] for k in p_filters)
    evidence_size = sum(i["evidence"] for i in initiatives.values())
    e_ids, e_more = await latest_ids(db, "participation", "m.country = :code" + p_where.replace("p.", "m."),
                                     {"code": code, **p_filters}, evidence_size, filters, page)
    participation = [dict(r) for r in (await db.execute(
        PARTICIPATION_ROWS_SQL.format(ids=id_list(e_ids), owner="p.country = :code", where=p_where),
        {"code": code, **p_filters})).rows]
    links = page_links(request, page, more or e_more)
    initiatives = dict(sorted(initiatives.items(), key=lambda kv: ((kv[1]["name"] or "").lower(), kv[0])))
    data = {
        "database": db.name, "country": country, "filters": filters,
        "initiatives": list(initiatives.values()), "participation": participation,
        "months": months, "articles_total": articles_total,
        "surfaces": surfaces, "articles": articles, **links,
    }
    columns = ["initiative_id", "initiative_name", "role", "status", "valid_from", "valid_to", "evidence",
               "article_id", "article_title", "article_url", "published", "language", "method", "confidence"]
    context = {
        **filter_context(request, filters),
        "by_initiative": {i: [p for p in participation if p["initiative_id"] == i] for i in initiatives},
        "max_month": max((m["articles"] for m in months), default=0),
        "countries_url": datasette.urls.database(db.name) + "/-/countries",
        "all_articles_url": datasette.urls.table(db.name, "articles") + "?" + urlencode(
            {"countries__arraycontains": code}),
        "role_colors": ROLE_COLORS,
        "first_index": (page - 1) * PAGE_SIZE + 1,
    }
    response = await respond(datasette, request, template="newstrace_country.html", data=data, rows=participation,
                             columns=columns, filename=f"{db.name}-country-{code}" + (f"-page-{page}" if page > 1 else ""),
                             context=context)
    return with_link(response, links, request)


async def initiatives_view(datasette, request):
    db = await database_for(datasette, request)
    filters = read_filters(request, ("language", "from", "to"))
    rows = await initiative_rows(db, filters)
    kind = (request.args.get("kind") or "").strip()
    if kind:
        filters["kind"] = kind
        rows = [r for r in rows if r["kind"] == kind]
    for r in rows:
        r["url"] = initiative_url(datasette, db.name, r["id"])
    data = {"database": db.name, "filters": filters, "rows": rows}
    columns = ["id", "name_en", "name_zh", "kind", "successor_of", "participants_named", "participants_claimed",
               "countries", "articles", "first_seen", "last_seen", "description"]
    context = {**filter_context(request, filters), "countries_url": datasette.urls.database(db.name) + "/-/countries",
               "names": {r["id"]: r["name_en"] or r["id"] for r in rows}}
    return await respond(datasette, request, template="newstrace_initiatives.html", data=data, rows=rows,
                         columns=columns, filename=f"{db.name}-initiatives", context=context)


async def initiative_rows(db, filters, initiative_id=None):
    base = INITIATIVES_SQL.format(where="WHERE id = :id" if initiative_id else "")
    rows = [dict(r) for r in (await db.execute(base, {"id": initiative_id})).rows]
    marks = ", ".join(f"'{r}'" for r in PARTICIPANT_ROLES)  # constants, not request values
    one = " AND {}.initiative_id = :id" if initiative_id else ""
    where, params = article_where(filters)
    params["id"] = initiative_id
    if month_exact(filters):
        s_where, s_params = summary_where(filters)
        s_params["id"] = initiative_id
        stats = {r["id"]: dict(r) for r in (await db.execute(INITIATIVE_STATS_SUMMARY_SQL.format(
            participant_roles=marks, where=s_where + one.format("s")), s_params)).rows}
        for r in (await db.execute(INITIATIVE_ARTICLES_SUMMARY_SQL.format(where=s_where + one.format("s")),
                                   s_params)).rows:
            item = stats.setdefault(r["id"], {})
            item["articles"] = r["articles"]
            # the first and last dates: a walk over the articles of the first and last month only
            for key, month, order in (("first_seen", r["first_month"], "ASC"), ("last_seen", r["last_month"], "DESC")):
                if month:
                    found = (await db.execute(INITIATIVE_SEEN_SQL.format(where=where, order=order), {
                        **params, "id": r["id"], "month_start": month, "month_end": _date_after(month)})).first()
                    item[key] = found[0] if found else None
    else:
        stats = {r["id"]: dict(r) for r in (await db.execute(INITIATIVE_STATS_SQL.format(
            participant_roles=marks, where=where + one.format("p")), params)).rows}
    join = ARTICLE_JOIN.format(alias="c") if where else ""
    claimed = {r["id"]: dict(r) for r in (await db.execute(
        CLAIMED_SQL.format(join=join, where=where + one.format("c")), params)).rows}
    for r in rows:
        r["aliases"] = json.loads(r["aliases"] or "[]")
        s = stats.get(r["id"], {})
        r.update(participants_named=s.get("participants_named", 0), countries=s.get("countries", 0),
                 articles=s.get("articles", 0), first_seen=s.get("first_seen"), last_seen=s.get("last_seen"),
                 participants_claimed=claimed.get(r["id"], {}).get("participants_claimed"))
    rows.sort(key=lambda r: (-r["articles"], (r["name_en"] or r["id"]).lower()))
    return rows


async def initiative_view(datasette, request):
    db = await database_for(datasette, request)
    initiative_id = request.url_vars["id"]
    known = (await db.execute(INITIATIVE_SQL, {"id": initiative_id})).first()
    if known is None:
        raise NotFound(f"Unknown initiative: {initiative_id}")
    filters = read_filters(request, ("role", "language", "from", "to"))
    page = read_page(request)
    initiative = (await initiative_rows(db, filters, initiative_id))[0]
    where, params = participation_where(filters)
    params["id"] = initiative_id
    a_where, a_params = article_where(filters)
    a_params["id"] = initiative_id
    claims = [dict(r) for r in (await db.execute(INITIATIVE_CLAIMS_SQL.format(where=a_where), a_params)).rows]
    role = filters.get("role")
    if month_exact(filters):
        s_where, s_params = summary_where(filters)
        s_params.update(id=initiative_id, role=role, role_key=role or "")
        role_where = " AND s.role = :role" if role else ""
        months = [dict(r) for r in (await db.execute(INITIATIVE_MONTHS_SUMMARY_SQL.format(
            where=s_where, role_where=role_where), s_params)).rows if r["articles"]]
        countries = [dict(r) for r in (await db.execute(INITIATIVE_COUNTRIES_SUMMARY_SQL.format(
            where=s_where + role_where), s_params)).rows if r["evidence"]]
    else:
        months = [dict(r) for r in (await db.execute(INITIATIVE_MONTHS_SQL.format(where=where), params)).rows]
        countries = [dict(r) for r in (await db.execute(INITIATIVE_COUNTRIES_SQL.format(where=where), params)).rows]
    # evidence: every row of the newest articles, a page of articles at a time
    size = sum(m["articles"] for m in months)
    role_clause = " AND m.role = :role" if role else ""
    ids, more = await latest_ids(db, "participation", "m.initiative_id = :id" + role_clause,
                                 {"id": initiative_id, **({"role": role} if role else {})}, size, filters, page)
    participation = [dict(r) for r in (await db.execute(PARTICIPATION_ROWS_SQL.format(
        ids=id_list(ids), owner="p.initiative_id = :id", where=" AND p.role = :role" if role else ""),
        {"id": initiative_id, **({"role": role} if role else {})})).rows]
    links = page_links(request, page, more)
    evidence = {}
    for p in participation:
        evidence.setdefault((p["role"], p["country"]), []).append(
            {k: p[k] for k in ("id", "evidence", "status", "valid_from", "valid_to", "article_id", "article_title",
                               "article_url", "published", "language", "method", "confidence")})
    participants = []
    for r in _role_order({c["role"] for c in countries}):
        group = [{"code": c["country"], "name": c["country_name"] or c["country"], "name_zh": c["country_name_zh"],
                  "evidence_total": c["evidence"], "articles": c["articles"],
                  "evidence": evidence.get((r, c["country"]), [])}
                 for c in countries if c["role"] == r]
        participants.append({"role": r, "countries": sorted(group, key=lambda c: c["name"])})
    successor_of = None
    if initiative["successor_of"]:
        prior = (await db.execute(INITIATIVE_SQL, {"id": initiative["successor_of"]})).first()
        successor_of = {"id": initiative["successor_of"], "name": prior["name_en"] if prior else None}
    successors = [dict(r) for r in (await db.execute(SUCCESSORS_SQL, {"id": initiative_id})).rows]
    data = {
        "database": db.name, "initiative": initiative, "filters": filters,
        "participants_named": initiative["participants_named"],
        "participants_claimed": initiative["participants_claimed"],
        "claims": claims, "participants": participants, "months": months,
        "successor_of": successor_of, "successors": successors, "participation": participation, **links,
    }
    columns = ["country", "country_name", "role", "status", "valid_from", "valid_to", "evidence", "article_id",
               "article_title", "article_url", "published", "language", "method", "confidence"]
    map_filters = {**filters, "initiative": initiative_id}
    map_url = datasette.urls.database(db.name) + "/-/countries.json?" + urlencode(
        {**map_filters, "color": _color_by(request)})

    async def geojson():
        rows, legend = await map_rows(db, datasette, map_filters, _color_by(request))
        return geojson_response(geojson_collection(rows, legend, {"database": db.name, "filters": map_filters}))

    map_geojson = await geojson() if request.url_vars.get("format") == "geojson" else None
    context = {
        **filter_context(request, filters),
        **map_settings(datasette, db.name, map_url, _color_by(request)),
        "max_month": max((m["articles"] for m in months), default=0),
        "initiatives_url": datasette.urls.database(db.name) + "/-/initiatives",
        "role_colors": ROLE_COLORS,
    }
    response = await respond(datasette, request, template="newstrace_initiative.html", data=data, rows=participation,
                             columns=columns, filename=f"{db.name}-initiative-{initiative_id}"
                             + (f"-page-{page}" if page > 1 else ""), context=context,
                             formats={"geojson": lambda: map_geojson})
    return with_link(response, links, request)


async def world_view(datasette, request):
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    return Response(
        json.dumps(boundaries(), ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
        headers={"cache-control": "max-age=86400"},
    )


ROUTES = [
    (r"^/-/newstrace/world\.geojson$", world_view),
    (r"^/(?P<database>[^/]+)/-/countries(\.(?P<format>json|csv|geojson))?$", countries_view),
    (r"^/(?P<database>[^/]+)/-/countries/(?P<code>[A-Za-z]{2})(\.(?P<format>json|csv))?$", country_view),
    (r"^/(?P<database>[^/]+)/-/initiatives(\.(?P<format>json|csv))?$", initiatives_view),
    (r"^/(?P<database>[^/]+)/-/initiatives/(?P<id>[A-Za-z0-9_\-]+?)(\.(?P<format>json|csv|geojson))?$",
     initiative_view),
]


# --- cells in Datasette's own table pages -------------------------------------------------------------

COUNTRY_COLUMNS = {
    "participation": {"country"}, "country_mentions": {"country"}, "article_countries": {"country"},
    "countries": {"code"}, "articles": {"countries"},
}
INITIATIVE_COLUMNS = {
    "participation": {"initiative_id"}, "initiative_claimed_counts": {"initiative_id"},
    "initiatives": {"id", "successor_of"},
}
LABEL_TTL = 30.0
_labels = weakref.WeakKeyDictionary()  # datasette -> {database: (loaded at, countries, initiatives)}


async def labels(datasette, database):
    "Country and initiative names for cell labels, cached briefly per database."
    cache = _labels.setdefault(datasette, {})
    hit = cache.get(database)
    if hit and time.monotonic() - hit[0] < LABEL_TTL:
        return hit[1], hit[2]
    db = datasette.get_database(database)
    countries = {r[0]: (r[1], r[2]) for r in (await db.execute("SELECT code, name, name_zh FROM countries")).rows}
    initiatives = {r[0]: r[1] for r in (await db.execute("SELECT id, name_en FROM initiatives")).rows}
    cache[database] = (time.monotonic(), countries, initiatives)
    return countries, initiatives


def _country_link(datasette, database, code, countries):
    return _country_link_html(datasette, database, code, *countries[code])


@functools.lru_cache(maxsize=4096)
def _country_link_html(datasette, database, code, name, name_zh):
    # an articles page shows a few hundred of these: formatted once per country (a third of the page's
    # own time at 1M articles when formatted per cell)
    return Markup('<a href="{}" title="{}">{}</a>').format(
        country_url(datasette, database, code), f"{code}" + (f" · {name_zh}" if name_zh else ""), name or code)


def render_cell(value, column, table, database, datasette):
    is_country = column in COUNTRY_COLUMNS.get(table, ())
    is_initiative = column in INITIATIVE_COLUMNS.get(table, ())
    if not (is_country or is_initiative) or value in (None, ""):
        return None
    # a foreign key Datasette has expanded arrives as {"value": ..., "label": ...}
    raw = value["value"] if isinstance(value, dict) else value
    if not isinstance(raw, str):
        return None

    async def cell():
        try:
            countries, initiatives = await labels(datasette, database)
        except Exception:  # a database without the country tables: leave the cell to Datasette
            return None
        if is_initiative:
            if raw not in initiatives:
                return None
            return Markup('<a href="{}" title="{}">{}</a>').format(
                initiative_url(datasette, database, raw), raw, initiatives[raw] or raw)
        if table == "articles":  # the JSON array of codes
            try:
                codes = json.loads(raw)
            except ValueError:
                return None
            if not isinstance(codes, list):
                return None
            links = [_country_link(datasette, database, c, countries) if c in countries else Markup.escape(c)
                     for c in codes if isinstance(c, str)]
            return Markup(", ").join(links) if links else None
        if CODE.match(raw) and raw in countries:
            return _country_link(datasette, database, raw, countries)
        return None

    return cell
