"""What the country and initiative pages share: roles and their colours, the filters every format honours
(initiative, role, language, from, to) as SQL clauses, the newest articles a page at a time, the page URLs,
and the cells of Datasette's own tables that link to these pages."""
import datetime
import functools
import json
import re
import time
import weakref

from datasette.utils.asgi import BadRequest
from markupsafe import Markup

from .readiness import federated
from .render import query_string, read_int, read_text
from .urls import article_url, country_url, initiative_url  # noqa: F401 (re-exported for the page modules)

# Colouring by role: a country with several roles takes the first one in this order.
ROLES = ("host", "chair", "member", "joined", "signatory", "ratified", "party", "partner", "participant",
         "observer", "candidate", "withdrawn", "suspended", "expelled", "target", "mentioned")
# related roles share a hue: joining makes a member, ratifying and being a party follow signing
ROLE_COLORS = {
    "host": "#d55e00", "chair": "#e69f00", "member": "#0072b2", "joined": "#0072b2", "signatory": "#009e73",
    "ratified": "#009e73", "party": "#009e73", "partner": "#56b4e9", "participant": "#f0e442",
    "observer": "#f0e442", "candidate": "#56b4e9", "withdrawn": "#666666", "suspended": "#666666",
    "expelled": "#666666", "target": "#cc79a7", # named near the initiative without a role: drawn quietly, behind the roles
    "mentioned": "#e4e4e4",
}

FILTERS = ("initiative", "role", "language", "from", "to")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^[A-Z]{2}$")
PAGE_SIZE = 50  # the article and evidence lists: the latest 50, then ?page=2 ...
# a set of articles larger than this share of the archive is paged by walking articles by date (it meets
# 50 members soon); a smaller one is sorted whole (fewer rows than the walk would read)
SCAN_SHARE = 0.02

# the summary tables (ingest/store/schema.py) answer the months and surfaces when the date filters are whole
# months or years; a day-level filter goes to the mention rows, bounded by its dates
SUMMARY_CLAUSES = {
    "language": "s.language = :language",
    "from": "s.month >= :date_from AND s.month != ''",
    "to": "s.month < :date_to AND s.month != ''",
}
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
# "bounded walk": the walk over at most :scan of the newest articles, keeping the members ({members} read once into
# a list, not probed per article). The subquery's LIMIT keeps it a co-routine read in its ORDER BY (the index's
# order), which the outer LIMIT stops as soon as it has its rows; an outer ORDER BY would sort all :scan rows.
LATEST_BOUNDED_SQL = """
SELECT id FROM (SELECT a.id FROM articles a INDEXED BY idx_articles_published
                ORDER BY a.published DESC, a.id DESC LIMIT :scan)
WHERE id IN ({members}) LIMIT :limit OFFSET :offset
"""
# walking one article of the index costs about an eighth of looking one up by id to sort it (the join): measured
# 0.2 against 2 microseconds at 1M articles (bench/RESULTS.md, session 9)
WALK_PER_LOOKUP = 8
PARTICIPATION_ROWS_SQL = """
SELECT p.id, p.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind,
       p.country, c.name AS country_name, c.name_zh AS country_name_zh,
       p.role, p.status, p.valid_from, p.valid_to, p.evidence, p.method, p.confidence,
       p.article_id, a.title AS article_title, COALESCE(a.canonical_url, a.url) AS article_url,
       a.published, a.language, a.duplicate_of
FROM participation p JOIN articles a ON a.id = p.article_id
LEFT JOIN initiatives i ON i.id = p.initiative_id LEFT JOIN countries c ON c.code = p.country
WHERE p.article_id IN ({ids}) AND {owner} {where}
ORDER BY a.published DESC, p.article_id DESC, p.id
"""

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
        value = read_text(request, name)
        if value:
            filters[name] = value
    if "role" in filters and filters["role"] not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    for name in ("from", "to"):
        if name in filters:
            date_after(filters[name])  # validates
    return filters


def date_after(value):
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
    except OverflowError:
        raise BadRequest(f"dates go up to 9999-12-30, not {value}")
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
        params["date_to"] = date_after(filters["to"])
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
    return read_int(request, "page", 1, 1)


async def latest_ids(db, table, condition, params, size, filters, page, page_size=PAGE_SIZE, newest=None):
    """The ids of one page (`page_size` articles) of the newest articles having a row in `table` matching
    `condition` (alias m), under the article filters; and whether there is a next page. `size`: how many
    articles the set holds; `newest`: the largest article id when the page has read it already (summaries_state's
    newest_article), else read here. Both only estimate the set's share of the archive: how the page is found, never
    what it holds."""
    where, a_params = article_where(filters)
    total = (newest if newest is not None else (await db.execute("SELECT MAX(id) FROM articles")).first()[0]) or 0
    need, offset = page_size + 1, (page - 1) * page_size
    if size <= SCAN_SHARE * total and not where and not federated(db) and size > 0 and \
            (offset + need) * total / size * 2 <= WALK_PER_LOOKUP * size < total:
        # a smaller set whose first pages a walk of the newest articles meets (by its share of the archive, with a
        # margin of 2) for less than sorting the whole set would cost: walked up to that cost, sorted only if the
        # walk did not find the page (members bunched among older articles)
        rows = (await db.execute(LATEST_BOUNDED_SQL.format(
            members=f"SELECT m.article_id FROM {table} m WHERE {condition}"),
            {**params, "scan": WALK_PER_LOOKUP * size, "limit": need, "offset": offset})).rows
        if len(rows) == need:
            ids = [r[0] for r in rows]
            return ids[:page_size], True
    if size > SCAN_SHARE * total:
        sql = LATEST_WALK_SQL.format(
            members=f"EXISTS (SELECT 1 FROM {table} m WHERE m.article_id = a.id AND {condition})", where=where)
    else:
        sql = LATEST_JOIN_SQL.format(members=f"SELECT m.article_id FROM {table} m WHERE {condition}", where=where)
    rows = (await db.execute(sql, {**params, **a_params, "limit": page_size + 1,
                                   "offset": (page - 1) * page_size})).rows
    ids = [r[0] for r in rows]
    return ids[:page_size], len(ids) > page_size


def collapse_copies(rows):
    """Evidence rows with a republished copy's repeat of the same sentence folded into one: the row of the
    original article (duplicate_of NULL) is kept, with `copies` — how many copies said it again."""
    kept, by_key = [], {}
    for row in sorted(rows, key=lambda r: r.get("duplicate_of") is not None):
        key = (row.get("initiative_id"), row.get("country"), row.get("role"), row.get("evidence"))
        if key in by_key and row.get("duplicate_of") is not None:
            by_key[key]["copies"] += 1
            continue
        row = {**row, "copies": 0}
        by_key.setdefault(key, row)
        kept.append(row)
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(kept, key=lambda r: order.get(id(r), 0))


def id_list(ids):
    "ids are integers read from the database, never request values"
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def role_order(roles):
    return sorted(roles, key=lambda r: (ROLES.index(r) if r in ROLES else len(ROLES), r))


def filter_context(request, filters):
    return {
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None}) for k in filters},
        "color_urls": {c: "?" + query_string(request, color=c) for c in ("role", "articles")},
    }


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
