"""The countries map (/{db}/-/countries, also .geojson) and one page per country (/{db}/-/countries/{code}):
its initiatives with roles and evidence, mentions per month, articles. Every page is also .json and .csv."""
import heapq
import json
import weakref
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response
from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from .archive import archive_for
from .readiness import federated, has_column, require_schema, summaries_state
from .i18n import language, time_tag, translator
from .geo import COUNTRIES_SQL, legend_texts, geojson_collection, geojson_response, map_rows, map_settings, read_color
from .participation import (ARTICLE_CLAUSES, collapse_copies, ARTICLE_JOIN, PAGE_SIZE, PARTICIPATION_CLAUSES, PARTICIPATION_ROWS_SQL,
                            ROLE_COLORS, ROLES, article_where, country_url, filter_context, id_list, latest_ids,
                            month_exact, participation_where, read_filters, role_order, summary_where)
from .render import format_url, pages_of, read_paging, read_sort, respond

COUNTRY_SQL = COUNTRIES_SQL + " WHERE code = :code"
# ({articles}: the column, or NULL in an archive from before it was added)
INITIATIVE_NAMES_SQL = "SELECT id, name_en, name_zh, kind, {articles} AS articles FROM initiatives"
# the map page's filter offers the CHOICES in most articles: the rows with at least the CHOICES-th count (an index
# range), put in name order here; not every initiative sorted by name at each request (10,000 discovered ones)
CHOICE_ROWS_SQL = INITIATIVE_NAMES_SQL.format(articles="articles") + " WHERE articles >= :floor OR id = :chosen"
# what the map's cells are ordered and named by, for every initiative: read from schema idx_initiatives_map (narrow
# index entries, not the table's rows with their descriptions and aliases)
INITIATIVE_KEYS_SQL = "SELECT id, {articles} AS articles, name_en FROM initiatives"
# with ~10,000 initiatives found in the text (issue 10) the map page offers the ones in most articles in its
# filter (any other is one click away on its own page, which links here filtered) and names a country's
# initiatives up to a few, most articles first, with a link to the country page for the rest
CHOICES = 200
CELL_INITIATIVES = 5
LANGUAGES_SQL = "SELECT language, COUNT(*) AS n FROM articles WHERE language IS NOT NULL GROUP BY language ORDER BY n DESC"
# the same from the language facet's counts, kept by triggers on articles (schema FACETS): not a count of every
# article at each map page (1M articles); ties, which the count left in no stated order, by language
LANGUAGES_FACET_SQL = ("SELECT value AS language, n FROM articles_facet_counts WHERE facet = 'language' AND n > 0 "
                       "ORDER BY n DESC, value")

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
# the same on a single file, one row an initiative: its (initiative, role) groups counted from the index alone
# (schema idx_participation_map), then each initiative's roles gathered and its names read once — not an initiatives
# row looked up for every evidence row (CN at 1M articles with 10,000 discovered initiatives: 4,774 rows, 1,147
# groups, 256 initiatives; 2.8 -> 1.8 ms, and 256 rows to read instead of 1,147). A partitioned archive answers
# COUNTRY_INITIATIVES_SQL from its own summary.
COUNTRY_INITIATIVE_ROLES_SQL = """
SELECT g.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind, g.roles, g.evidence
FROM (SELECT initiative_id, json_group_array(role) AS roles, SUM(evidence) AS evidence
      FROM (SELECT p.initiative_id, p.role, COUNT(*) AS evidence
            FROM participation p {join}
            WHERE p.country = :code {where}
            GROUP BY p.initiative_id, p.role)
      GROUP BY initiative_id) g
LEFT JOIN initiatives i ON i.id = g.initiative_id
"""


# the tables the country pages read beside countries (what comes from one the actor may not see is left out)
READS = ("articles", "article_countries", "country_mentions", "participation", "initiatives")
# the tables whose current schema the map and a country page need (an older archive gets a 503 saying so)
MAP_TABLES = ("countries", "article_countries", "participation", "country_month_counts")
COUNTRY_TABLES = MAP_TABLES + ("country_mentions", "country_surface_counts")
MAP_COLUMNS = ["code", "name", "name_zh", "articles", "top_role", "roles", "initiatives", "lat", "lng", "color",
               "url"]
# ?_sort= / ?_sort_desc= on the map's table (most articles first by default)
MAP_SORTS = ("code", "name", "name_zh", "articles", "top_role")


async def filter_choices(db, archive=None, chosen=None):
    """The filters' choices: the CHOICES initiatives in most articles (and `chosen`), by name; languages; roles.
    Also "initiative_keys": every initiative's (-articles, id) by id, the order of the map's cells, and
    "initiative_name_index": its name_en by id (10,000 discovered initiatives: read once, neither sorted nor copied)."""
    articles = "articles" if await has_column(db, "initiatives", "articles") else "NULL"
    sees = not archive or archive.sees("initiatives")
    keyed = (await db.execute(INITIATIVE_KEYS_SQL.format(articles=articles))).rows if sees else []
    counts = [r[1] or 0 for r in keyed]
    # only the rows with at least the CHOICES-th largest count can be among the CHOICES: those are read and sorted
    # by name (NULL names first, as SQLite's ORDER BY name_en, id put them)
    floor = heapq.nlargest(CHOICES, counts)[-1] if len(counts) > CHOICES else 0
    every = [] if not sees else (await db.execute(CHOICE_ROWS_SQL, {"floor": floor, "chosen": chosen})).rows \
        if floor > 0 else (await db.execute(INITIATIVE_NAMES_SQL.format(articles=articles))).rows
    by_name = sorted(every, key=lambda r: (r[1] is not None, r[1] or "", r[0]))
    # (heapq.nlargest is sorted(..., reverse=True)[:n]: ties keep the rows' order, by name)
    top = {r[0] for r in heapq.nlargest(CHOICES, by_name, key=lambda r: r[4] or 0)} | {chosen}
    # (a partitioned archive answers LANGUAGES_SQL from its facet counts itself)
    counted = not federated(db) and await db.table_exists("articles_facet_counts")
    languages = [r["language"] for r in (await db.execute(LANGUAGES_FACET_SQL if counted else LANGUAGES_SQL)).rows
                 ] if not archive or archive.sees("articles") else []
    return {"initiative_choices": [dict(r) for r in by_name if r[0] in top], "language_choices": languages,
            "role_choices": list(ROLES), "initiative_keys": {r[0]: (-n, r[0]) for r, n in zip(keyed, counts)},
            "initiative_name_index": {r[0]: r[2] for r in keyed}}


def row_cells(row, shown, more, names, initiatives_url, _):
    """The map table's roles and initiatives cells of one row, escaped as the template escaped them: written here,
    not by the template, whose async rendering of 250 countries with up to 16 roles and 5 initiatives each cost
    more than the rest of the page (10,000 discovered initiatives at 1M articles)."""
    roles = "".join(f'<span class="newstrace-role newstrace-role-{escape(role)}">{escape(_(role))} ({escape(n)})</span> '
                    for role, n in row["roles"].items())
    base = escape(initiatives_url)
    links = ", ".join(f'<a href="{base}/{escape(do_urlencode(i))}">{escape(names.get(i, i))}</a>' for i in shown)
    if more:
        text = escape(_("and {n} more", n=more))
        links += f' <a class="newstrace-more" href="{escape(row["url"])}">{text}</a>' if row["url"] else f" {text}"
    return Markup(roles), Markup(links)


def _esc(value):
    """markupsafe.escape(value) as a str: the same five characters replaced, without a Markup object made for each
    value (a few thousand a country page)."""
    return str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace(
        "'", "&#39;").replace('"', "&#34;")


class BareSections:
    """A country page's sections of initiatives with no evidence among this page's rows, as the template writes them
    (the template writes the others): for a country in 256 initiatives (10,000 discovered at 1M articles), the
    template's async rendering of these sections was about a sixth of the page's processor time. The parts that
    repeat from section to section (a role's label, a kind, a count) are written once a page."""

    def __init__(self, database_url, _):
        self._ = _
        self.base = f'{_esc(database_url)}/-/initiatives/'
        self.more = f', {_esc(_("from the newest articles on this page"))}'
        self.roles, self.kinds, self.counts = {}, {}, {}

    def _roles(self, roles):
        key = tuple(roles)
        text = self.roles.get(key)
        if text is None:
            text = self.roles[key] = "".join(
                f'<span class="newstrace-role newstrace-role-{_esc(role)}">{_esc(self._(role))}</span> '
                for role in roles)
        return text

    def _kind(self, kind):
        text = self.kinds.get(kind)
        if text is None:
            text = self.kinds[kind] = f'<small>{_esc(self._(kind.replace("_", " ")))}</small>' if kind else ""
        return text

    def _count(self, n):
        text = self.counts.get(n)
        if text is None:
            text = self.counts[n] = _esc(self._("{n} evidence sentences", n=n)) + (self.more if n > 0 else "")
        return text

    def __call__(self, item):
        zh = f'<span class="newstrace-zh" lang="zh">{_esc(item["name_zh"])}</span>' if item["name_zh"] else ""
        return Markup(
            f'\n<section class="newstrace-initiative">\n'
            f'  <h3><a href="{self.base}{_esc(do_urlencode(item["id"]))}">{_esc(item["name"])}</a>\n'
            f'    {zh}\n    {self._kind(item["kind"])}\n    {self._roles(item["roles"])}\n'
            f'    <small>{self._count(item["evidence"])}</small></h3>\n'
            f'  <ul class="newstrace-evidence">\n  \n  </ul>\n</section>\n')


def bare_section(item, database_url, _):
    "One section of BareSections (a page writes all of its sections with one BareSections)."
    return BareSections(database_url, _)(item)


_sync_environments = weakref.WeakKeyDictionary()


def sync_environment(datasette, request):
    """Datasette's template environment for this request (its loader, so a --template-dir override still applies;
    its filters and options), rendering synchronously: a page part with hundreds of small sections (a country's
    initiatives) is rendered here in one call, not through the async rendering's per-section awaits."""
    env = datasette.get_jinja_environment(request) if hasattr(datasette, "get_jinja_environment") \
        else datasette.jinja_env
    overlay = _sync_environments.get(env)
    if overlay is None:
        overlay = _sync_environments[env] = env.overlay(enable_async=False)
    return overlay


async def countries_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("countries",), reads=READS)
    db = archive.db
    await require_schema(db, MAP_TABLES, "countries map")
    filters = read_filters(request)
    color_by = read_color(request)
    sort = read_sort(request, MAP_SORTS, None)
    paging = read_paging(datasette, request, datasette.setting("max_returned_rows"))
    summaries = await summaries_state(db)
    every, legend = await map_rows(db, datasette, filters, color_by, archive, summaries["current"])
    if sort:
        sort.apply(every)
    fetch = pages_of(every)
    rows, more = await fetch(paging.page, paging.size)
    data = {"database": db.name, "filters": filters, "color": color_by,
            **legend_texts(legend, color_by, translator(language(request))),
            "total_countries": len(every), "summaries": summaries, "rows": rows}
    columns = MAP_COLUMNS
    if request.url_vars.get("format"):  # the page's filters and cells are HTML only (10,000 initiatives to read)
        return await respond(datasette, request, template="newstrace_countries.html", data=data, rows=rows,
                             columns=columns, filename=f"{db.name}-countries", formats=_formats(
                                 db, filters, color_by, rows, legend), paging=paging, more=more, fetch=fetch, key="code")
    choices = await filter_choices(db, archive, filters.get("initiative"))
    keys, every_name = choices.pop("initiative_keys"), choices.pop("initiative_name_index")
    # each row's initiatives in most articles first (ties by id), CELL_INITIATIVES of them named on the page (all
    # in the JSON): the first few of each row picked (heapq.nsmallest is sorted(...)[:n]), not every row sorted
    for r in rows:
        keys.update((i, (0, i)) for i in r["initiatives"] if i not in keys)  # (not an initiatives row: no articles)
    shown = {r["code"]: heapq.nsmallest(CELL_INITIATIVES, r["initiatives"], key=keys.__getitem__) for r in rows}
    more = {r["code"]: len(r["initiatives"]) - CELL_INITIATIVES for r in rows
            if len(r["initiatives"]) > CELL_INITIATIVES}
    names = {i: every_name.get(i) or i for i in
             {i for ids in shown.values() for i in ids} | {filters.get("initiative")} if i}
    initiatives_url = datasette.urls.database(db.name) + "/-/initiatives"
    _ = translator(language(request))
    context = {
        **choices,
        **filter_context(request, filters),
        **map_settings(datasette, db.name, format_url(request, "json"), color_by),
        "initiative_cells": shown, "initiative_more": more, "initiative_names": names,
        "initiatives_url": initiatives_url,
        "row_cells": {r["code"]: row_cells(r, shown.get(r["code"], r["initiatives"]), more.get(r["code"]), names,
                                           initiatives_url, _) for r in rows},
    }
    return await respond(
        datasette, request, template="newstrace_countries.html", data=data, rows=rows, columns=columns,
        filename=f"{db.name}-countries", context=context, formats=_formats(db, filters, color_by, rows, legend),
        paging=paging, more=more, fetch=fetch, key="code",
    )


def _formats(db, filters, color_by, rows, legend):
    extra = {"database": db.name, "filters": filters, "color": color_by}
    return {"geojson": lambda: geojson_response(geojson_collection(rows, legend, extra))}


async def country_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("countries",), reads=READS)
    db = archive.db
    await require_schema(db, COUNTRY_TABLES, "country page")
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
    paging = read_paging(datasette, request, PAGE_SIZE)
    page, size = paging.page, paging.size
    a_where, a_params = article_where(filters)
    a_params["code"] = code
    sees_mentions = archive.sees("country_mentions", "article_countries", "articles")
    sees_evidence = archive.sees("participation", "articles")
    summaries = await summaries_state(db)
    if not sees_mentions:
        months, surfaces = [], []
    elif month_exact(filters) and summaries["current"]:
        s_where, s_params = summary_where(filters)
        s_params["code"] = code
        months = [dict(r) for r in (await db.execute(COUNTRY_MONTHS_SUMMARY_SQL.format(where=s_where), s_params)).rows
                  if r["articles"] or r["mentions"]]
        surfaces = [dict(r) for r in
                    (await db.execute(COUNTRY_SURFACES_SUMMARY_SQL.format(where=s_where), s_params)).rows]
    else:  # a day-level date range, or summaries not built: the rows within it
        months = {r["month"]: {"month": r["month"], "articles": r["articles"], "mentions": 0}
                  for r in (await db.execute(COUNTRY_MONTHS_SQL.format(where=a_where), a_params)).rows}
        for r in (await db.execute(COUNTRY_MENTION_MONTHS_SQL.format(where=a_where), a_params)).rows:
            months.setdefault(r["month"], {"month": r["month"], "articles": 0, "mentions": 0})["mentions"] = r["mentions"]
        months = sorted(months.values(), key=lambda m: m["month"] or "")
        surfaces = [dict(r) for r in (await db.execute(COUNTRY_SURFACES_SQL.format(where=a_where), a_params)).rows]
    articles_total = sum(m["articles"] for m in months)
    newest = summaries["newest_article"]  # (read with the summaries' state; None on a partitioned archive)
    ids, more = await latest_ids(db, "article_countries", "m.country = :code", {"code": code}, articles_total,
                                 filters, page, size, newest) if sees_mentions else ([], False)
    articles = [dict(r) for r in (await db.execute(ARTICLE_ROWS_SQL.format(ids=id_list(ids)), {"code": code})).rows]
    # initiatives and roles over all the evidence; the evidence itself from the newest articles, a page at a time
    where, params = participation_where(filters)
    params["code"] = code
    join = ARTICLE_JOIN.format(alias="p") if any(k in filters for k in ARTICLE_CLAUSES) else ""
    initiatives = {}
    if not sees_evidence:
        evidence_rows = []
    elif federated(db):
        evidence_rows = (await db.execute(COUNTRY_INITIATIVES_SQL.format(join=join, where=where), params)).rows
    else:
        evidence_rows = []
        for r in (await db.execute(COUNTRY_INITIATIVE_ROLES_SQL.format(join=join, where=where), params)).rows:
            initiatives[r[0]] = {"id": r[0], "name": r[1] or r[0], "name_zh": r[2], "kind": r[3],
                                 "roles": json.loads(r[4]), "evidence": r[5]}
    for r in evidence_rows:
        item = initiatives.setdefault(r["initiative_id"], {
            "id": r["initiative_id"], "name": r["initiative_name"] or r["initiative_id"],
            "name_zh": r["initiative_name_zh"], "kind": r["kind"], "roles": [], "evidence": 0,
        })
        item["roles"].append(r["role"])
        item["evidence"] += r["evidence"]
    for item in initiatives.values():
        item["roles"] = role_order(item["roles"])
    p_filters = {k: v for k, v in filters.items() if k in PARTICIPATION_CLAUSES}
    p_where = "".join(" AND " + PARTICIPATION_CLAUSES[k] for k in p_filters)
    evidence_size = sum(i["evidence"] for i in initiatives.values())

    async def fetch(page, size):
        "The evidence of one page of the newest articles (what the CSV holds)."
        if not sees_evidence:
            return [], False
        e_ids, e_more = await latest_ids(db, "participation", "m.country = :code" + p_where.replace("p.", "m."),
                                         {"code": code, **p_filters}, evidence_size, filters, page, size, newest)
        return collapse_copies([dict(r) for r in (await db.execute(
            PARTICIPATION_ROWS_SQL.format(ids=id_list(e_ids), owner="p.country = :code", where=p_where),
            {"code": code, **p_filters})).rows]), e_more

    participation, e_more = await fetch(page, size)
    initiatives = dict(sorted(initiatives.items(), key=lambda kv: ((kv[1]["name"] or "").lower(), kv[0])))
    database_url, _ = datasette.urls.database(db.name), translator(language(request))
    by_initiative = {i: [] for i in initiatives}
    for p in participation:
        if p["initiative_id"] in by_initiative:
            by_initiative[p["initiative_id"]].append(p)
    data = {
        "database": db.name, "country": country, "filters": filters,
        "initiatives": list(initiatives.values()), "participation": participation,
        "months": months, "articles_total": articles_total,
        "surfaces": surfaces, "articles": articles, "summaries": summaries,
    }
    columns = ["initiative_id", "initiative_name", "role", "status", "valid_from", "valid_to", "evidence",
               "article_id", "article_title", "article_url", "published", "language", "method", "confidence"]
    filename = f"{db.name}-country-{code}" + (f"-page-{page}" if page > 1 else "")
    if request.url_vars.get("format"):  # the sections are HTML only
        return await respond(datasette, request, template="newstrace_country.html", data=data, rows=participation,
                             columns=columns, filename=filename, paging=paging, more=more or e_more, fetch=fetch)
    bare = BareSections(database_url, _)
    bare_sections = {i: bare(item) for i, item in initiatives.items() if not by_initiative[i]}
    initiatives_html = Markup(sync_environment(datasette, request).get_template(
        "newstrace_country_initiatives.html").render(
        initiatives=data["initiatives"], by_initiative=by_initiative, bare_sections=bare_sections,
        urls=datasette.urls, database=db.name, database_url=database_url, _=_,
        nt_time=lambda value, date_only=False: time_tag(
            value, language(request), date_only)))
    context = {
        **filter_context(request, filters),
        "surface_groups": surface_groups(surfaces),
        "initiatives_html": initiatives_html,
        "max_month": max((m["articles"] for m in months), default=0),
        "countries_url": datasette.urls.database(db.name) + "/-/countries",
        "all_articles_url": datasette.urls.table(db.name, "articles") + "?" + urlencode(
            {"countries__arraycontains": code}),
        "role_colors": ROLE_COLORS,
        "first_index": paging.offset + 1,
    }
    return await respond(datasette, request, template="newstrace_country.html", data=data, rows=participation,
                         columns=columns, filename=filename, context=context, paging=paging, more=more or e_more,
                         fetch=fetch)


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/countries(\.(?P<format>json|csv|geojson))?$", countries_view),
    (r"^/(?P<database>[^/]+)/-/countries/(?P<code>[A-Za-z]{2})(\.(?P<format>json|csv))?$", country_view),
]


def surface_groups(surfaces):
    """'How articles name it' in words: one item per surface form (most mentions first), with what it was read
    as — the place, the government, a modifier — and how it was matched (a name, a demonym, a capital ...)."""
    groups = {}
    for s in surfaces:
        g = groups.setdefault(s["surface"], {"surface": s["surface"], "n": 0, "readings": {}, "kinds": [],
                                             "cjk": any("\u3400" <= ch <= "\u9fff" for ch in s["surface"] or "")})
        g["n"] += s["n"]
        if s["reading"]:
            g["readings"][s["reading"]] = g["readings"].get(s["reading"], 0) + s["n"]
        if s["kind"] and s["kind"] not in g["kinds"]:
            g["kinds"].append(s["kind"])
    for g in groups.values():
        g["readings"] = [{"reading": r, "n": n} for r, n in sorted(g["readings"].items(), key=lambda kv: (-kv[1], kv[0]))]
    return sorted(groups.values(), key=lambda g: (-g["n"], g["surface"]))
