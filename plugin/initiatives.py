"""The initiatives (/{db}/-/initiatives: participants named vs claimed) and one page per initiative
(/{db}/-/initiatives/{id}: participants by role with evidence, map, timeline). Also .json and .csv, the
initiative page .geojson."""
import json
from urllib.parse import urlencode

from datasette.utils.asgi import BadRequest, NotFound, Response

from .geo import geojson_collection, geojson_response, map_rows, map_settings, read_color
from .archive import archive_for
from .readiness import federated, require_schema, summaries_state
from .participation import (ARTICLE_JOIN, PAGE_SIZE, PARTICIPATION_ROWS_SQL, ROLE_COLORS, article_where, collapse_copies,
                            date_after, filter_context, id_list, initiative_url, latest_ids, month_exact,
                            participation_where, read_filters, role_order, summary_where)
from .render import pages_of, read_paging, read_sort, read_text, respond

# roles that make a country one of the participants an article's "more than 50 countries" counts
PARTICIPANT_ROLES = ("host", "chair", "member", "joined", "signatory", "ratified", "party", "partner",
                     "participant", "observer")
LIST_PAGE_SIZE = 100
SOURCES = ("catalogue", "user", "text")

INITIATIVES_SQL = """
SELECT id, name_en, name_zh, kind, successor_of, description, aliases, source, first_seen, last_seen, series,
       year, place, parent, parties, members, members_as_of, members_source, articles AS articles_total
FROM initiatives {where}
"""
INITIATIVE_SQL = INITIATIVES_SQL.format(where="WHERE id = :id")
SUCCESSORS_SQL = "SELECT id, name_en FROM initiatives WHERE successor_of = :id ORDER BY name_en"
REDIRECT_SQL = "SELECT new_id FROM initiative_redirects WHERE old_id = :id"
EDITIONS_SQL = """
SELECT id, name_en, name_zh, year, place, first_seen FROM initiatives WHERE series = :id
ORDER BY year DESC, first_seen DESC LIMIT 200
"""
RELATED_SQL = "SELECT id, name_en, name_zh, kind FROM initiatives WHERE parent = :id ORDER BY articles DESC, name_en LIMIT 200"
NAMES_SQL = "SELECT id, name_en FROM initiatives WHERE id IN ({ids})"
# membership over time: each country's roles with the first and last month an article states them
TIMELINE_SQL = """
SELECT s.country, c.name AS country_name, s.role, MIN(NULLIF(s.month, '')) AS first_month,
       MAX(NULLIF(s.month, '')) AS last_month, SUM(s.articles) AS articles
FROM initiative_country_counts s LEFT JOIN countries c ON c.code = s.country
WHERE s.initiative_id = :id AND s.role NOT IN ('', 'mentioned') {where}
GROUP BY s.country, s.role ORDER BY first_month, s.country
"""
# the same from the rows (summaries not built, or a day-level date range)
TIMELINE_ROWS_SQL = """
SELECT p.country, c.name AS country_name, p.role, MIN(a.published_month) AS first_month,
       MAX(a.published_month) AS last_month, COUNT(DISTINCT p.article_id) AS articles
FROM participation p JOIN articles a ON a.id = p.article_id LEFT JOIN countries c ON c.code = p.country
WHERE p.initiative_id = :id AND p.country IS NOT NULL AND p.role NOT IN ('', 'mentioned') {where}
GROUP BY p.country, p.role ORDER BY first_month, p.country
"""
DATED_LIMIT = 500
# roles with a date of their own in the text ("joined in 2023", "until June"), a bounded sample
DATED_SQL = """
SELECT p.country, p.role, p.valid_from, p.valid_to, p.evidence, p.article_id, a.published
FROM participation p JOIN articles a ON a.id = p.article_id
WHERE p.initiative_id = :id AND p.role NOT IN ('mentioned') AND (p.valid_to IS NOT NULL OR
      p.valid_from IS NOT NULL AND a.published IS NOT NULL AND substr(a.published, 1, length(p.valid_from)) != p.valid_from)
LIMIT {limit}
""".format(limit=DATED_LIMIT)
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
# without date or language filters: one row an initiative, kept by triggers from the summaries (store schema
# INITIATIVE_TOTALS_SCHEMA), instead of every month, language, role and country row of the initiatives listed
INITIATIVE_TOTALS_SQL = """
SELECT initiative_id AS id, participants_named, countries, articles, first_month AS first_seen, last_month AS last_seen
FROM initiative_totals WHERE initiative_id IN ({ids})
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


LIST_WHERE = {
    "kind": "kind = :kind",
    "source": "source = :source",
    "q": "(instr(lower(COALESCE(name_en, '')), lower(:q)) OR instr(COALESCE(name_zh, ''), :q) "
         "OR instr(lower(aliases), lower(:q)) OR instr(id, lower(:q)))",
}
# a catalogue entry no article has named yet is background, listed only with ?all=1 (or when searched for)
SEEN = "(COALESCE(articles, 0) > 0 OR source IS NULL OR source = 'user')"
# the same when the summaries (which initiatives.articles is counted from) are not built: asked of the rows
SEEN_ROWS = ("(EXISTS (SELECT 1 FROM participation p WHERE p.initiative_id = initiatives.id) OR EXISTS (SELECT 1 "
             "FROM initiative_mentions m WHERE m.initiative_id = initiatives.id) OR source IS NULL OR source = 'user')")
LIST_IDS_SQL = """
SELECT id FROM initiatives WHERE {where} ORDER BY {order}
LIMIT :limit OFFSET :offset
"""
# (the archive indexes this order: schema idx_initiatives_list; keep the two the same)
LIST_ORDER = "COALESCE(articles, 0) DESC, lower(COALESCE(name_en, name_zh, id)), id"
# sorted by name, ties as LIST_ORDER breaks them (schema idx_initiatives_name indexes the ascending order). The name
# is never NULL (an initiative's id is its slug), so no "missing last" guard keeps the sort off the index.
LIST_NAME_ORDER = {False: "lower(COALESCE(name_en, name_zh, id)) ASC, COALESCE(articles, 0) DESC, id",
                   True: "lower(COALESCE(name_en, name_zh, id)) DESC, COALESCE(articles, 0) DESC, id"}
# columns kept on the initiatives row sort in SQL before paging (10,000 discovered initiatives are not counted
# to show 100); the counts under filters (participants, countries) sort the whole filtered list in memory
LIST_SORT_SQL = {"id": "id", "name_en": "lower(COALESCE(name_en, name_zh, id))", "name_zh": "name_zh",
                 "kind": "kind", "source": "source", "year": "year", "articles": "COALESCE(articles, 0)",
                 "first_seen": "first_seen", "last_seen": "last_seen"}
# ... and, where the archive keeps initiative_totals, the counts it holds (an initiative without a row has none)
LIST_SORT_TOTALS_SQL = {column: f"COALESCE((SELECT t.{column} FROM initiative_totals t "
                                f"WHERE t.initiative_id = initiatives.id), 0)"
                        for column in ("participants_named", "countries")}
LIST_COUNT_SQL = "SELECT COUNT(*) FROM initiatives WHERE {where}"
KINDS_SQL = "SELECT DISTINCT kind FROM initiatives WHERE kind IS NOT NULL ORDER BY kind"
# the tables the initiative pages read beside initiatives (what comes from one the actor may not see is left out)
READS = ("participation", "articles", "initiative_claimed_counts", "countries", "article_countries")
# the tables whose current schema the initiative pages need (an archive from before issue 10 gets a 503 saying so)
TABLES = ("initiatives", "initiative_mentions", "initiative_redirects", "participation", "initiative_claimed_counts",
          "initiative_month_counts", "initiative_country_counts", "countries")
LIST_COLUMNS = ["id", "name_en", "name_zh", "kind", "source", "successor_of", "parent", "series", "year", "place",
                "participants_named", "participants_claimed", "countries", "articles", "first_seen", "last_seen",
                "description", "url"]
# ?_sort= / ?_sort_desc= on the list (most articles first by default)
LIST_SORTS = ("id", "name_en", "name_zh", "kind", "source", "year", "participants_named", "participants_claimed",
              "countries", "articles", "first_seen", "last_seen")


def list_where(request, filters, summaries=True):
    """(WHERE clause on initiatives, params) for the list's own filters: q, kind, source, all. `summaries`: whether
    the summary tables (and initiatives.articles, counted from them) are current."""
    clauses, params = [], {}
    for name in ("q", "kind", "source"):
        value = read_text(request, name)
        if not value:
            continue
        if name == "source" and value not in SOURCES:
            raise BadRequest(f"source must be one of {', '.join(SOURCES)}")
        filters[name] = value
        clauses.append(LIST_WHERE[name])
        params[name] = value
    if read_text(request, "all") in ("1", "on", "true", "yes"):
        filters["all"] = "1"
    elif "q" not in filters:
        clauses.append(SEEN if summaries else SEEN_ROWS)
    return " AND ".join(clauses) or "1 = 1", params


async def initiatives_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("initiatives",), reads=READS)
    db = archive.db
    await require_schema(db, TABLES, "initiatives list")
    summaries = await summaries_state(db)
    filters = read_filters(request, ("language", "from", "to"))
    where, params = list_where(request, filters, summaries["current"])
    sort = read_sort(request, LIST_SORTS, None)
    paging = read_paging(datasette, request, LIST_PAGE_SIZE)
    dated = any(k in filters for k in ("language", "from", "to"))
    totals = summaries["current"] and await has_totals(db)
    sorts = {**LIST_SORT_SQL, **(LIST_SORT_TOTALS_SQL if totals else {})}
    # initiatives.articles is counted from the summaries: without them the list is counted from the rows
    in_sql = summaries["current"] and (sort is None or (sort.column in sorts and not dated))
    order = LIST_ORDER
    if sort and in_sql and sort.column == "name_en":
        order = LIST_NAME_ORDER[sort.desc]
    elif sort and in_sql:  # missing values last either way, as Sort.apply does
        order = f"{sorts[sort.column]} IS NULL, " + sort.order_by(sorts, LIST_ORDER)
    if not in_sql:
        # counts under article filters, or sorted by a count: every listed initiative counted, sorted, paged here
        ids = [r[0] for r in (await db.execute(LIST_IDS_SQL.format(where=where, order=order), {
            **params, "limit": -1, "offset": 0})).rows]
        every = await initiative_rows(db, filters, ids=ids, archive=archive, summaries=summaries["current"])
        every.sort(key=lambda r: (-(r["articles"] or 0), (r["name_en"] or r["name_zh"] or r["id"]).lower(), r["id"]))
        if sort:
            sort.apply(every)
        total, listed = len(every), pages_of(every)
    else:
        total = (await db.execute(LIST_COUNT_SQL.format(where=where), params)).first()[0]
        listed = None

    async def fetch(page, size):
        if listed:
            rows, more = await listed(page, size)
        else:
            # one page of ids in the initiatives' own order, then counts for those only
            ids = [r[0] for r in (await db.execute(LIST_IDS_SQL.format(where=where, order=order), {
                **params, "limit": size + 1, "offset": (page - 1) * size})).rows]
            more = len(ids) > size
            rows = await initiative_rows(db, filters, ids=ids[:size], archive=archive, summaries=summaries["current"])
            position = {iid: n for n, iid in enumerate(ids)}
            rows.sort(key=lambda r: position[r["id"]])
        for r in rows:
            r["url"] = initiative_url(datasette, db.name, r["id"])
        return rows, more

    rows, more = await fetch(paging.page, paging.size)
    kinds = [r[0] for r in (await db.execute(KINDS_SQL)).rows]
    data = {"database": db.name, "filters": filters, "sort": sort.column if sort and not sort.desc else None,
            "sort_desc": sort.column if sort and sort.desc else None, "total": total, "summaries": summaries,
            "rows": rows}
    names = {r["id"]: r["name_en"] or r["id"] for r in rows}
    missing = sorted({r[k] for r in rows for k in ("successor_of", "parent", "series") if r.get(k)} - set(names))
    if missing:
        marks = ", ".join(f":n{i}" for i in range(len(missing)))
        names.update({r[0]: r[1] or r[0] for r in (await db.execute(
            NAMES_SQL.format(ids=marks), {f"n{i}": v for i, v in enumerate(missing)})).rows})
    context = {**filter_context(request, filters), "countries_url": datasette.urls.database(db.name) + "/-/countries",
               "names": names, "kinds": kinds, "sources": SOURCES, "q": filters.get("q", "")}
    return await respond(datasette, request, template="newstrace_initiatives.html", data=data, rows=rows,
                         columns=LIST_COLUMNS, filename=f"{db.name}-initiatives", context=context, paging=paging,
                         more=more, fetch=fetch)


async def initiative_rows(db, filters, initiative_id=None, ids=None, archive=None, summaries=True):
    """Initiatives (one, or the given ids) with their counts under the article filters; with an `archive`,
    counts from tables its actor may not see are left out. `summaries`: whether the summary tables are current
    (if not, counted from the rows)."""
    ids = [initiative_id] if initiative_id else list(ids or [])
    if not ids:
        return []
    id_params = {f"i{n}": iid for n, iid in enumerate(ids)}
    marks = ", ".join(f":{k}" for k in id_params)
    rows = [dict(r) for r in (await db.execute(INITIATIVES_SQL.format(where=f"WHERE id IN ({marks})"), id_params)).rows]
    roles = ", ".join(f"'{r}'" for r in PARTICIPANT_ROLES)  # constants, not request values
    one = " AND {}.initiative_id IN (%s)" % marks
    where, params = article_where(filters)
    params.update(id_params)
    dated = any(k in filters for k in ("language", "from", "to"))
    if archive and not archive.sees("participation", "articles"):
        stats = {}
    elif summaries and not dated and await has_totals(db):
        stats = {r["id"]: dict(r) for r in (await db.execute(INITIATIVE_TOTALS_SQL.format(ids=marks), id_params)).rows}
    elif month_exact(filters) and summaries:
        s_where, s_params = summary_where(filters)
        s_params.update(id_params)
        stats = {r["id"]: dict(r) for r in (await db.execute(INITIATIVE_STATS_SUMMARY_SQL.format(
            participant_roles=roles, where=s_where + one.format("s")), s_params)).rows}
        for r in (await db.execute(INITIATIVE_ARTICLES_SUMMARY_SQL.format(where=s_where + one.format("s")),
                                   s_params)).rows:
            item = stats.setdefault(r["id"], {})
            item["articles"] = r["articles"]
            item["first_seen"], item["last_seen"] = r["first_month"], r["last_month"]
            if dated and len(ids) == 1:
                # one initiative: the first and last dates, a walk over the articles of those months only
                for key, month, order in (("first_seen", r["first_month"], "ASC"), ("last_seen", r["last_month"], "DESC")):
                    if month:
                        found = (await db.execute(INITIATIVE_SEEN_SQL.format(where=where, order=order), {
                            **params, "id": r["id"], "month_start": month, "month_end": date_after(month)})).first()
                        item[key] = found[0] if found else month
    else:
        stats = {r["id"]: dict(r) for r in (await db.execute(INITIATIVE_STATS_SQL.format(
            participant_roles=roles, where=where + one.format("p")), params)).rows}
    join = ARTICLE_JOIN.format(alias="c") if where else ""
    claimed = {r["id"]: dict(r) for r in (await db.execute(
        CLAIMED_SQL.format(join=join, where=where + one.format("c")), params)).rows
    } if not archive or archive.sees("initiative_claimed_counts", "articles") else {}
    for r in rows:
        r["aliases"] = json.loads(r["aliases"] or "[]")
        r["parties"] = json.loads(r.get("parties") or "[]")
        r["members"] = json.loads(r.get("members") or "[]")
        s = stats.get(r["id"], {})
        first, last = s.get("first_seen"), s.get("last_seen")
        if not dated and r.get("first_seen"):  # kept exact with every article written
            first, last = r["first_seen"], r["last_seen"] or last
        r.update(participants_named=s.get("participants_named", 0), countries=s.get("countries", 0),
                 articles=s.get("articles", 0) or 0, first_seen=first, last_seen=last,
                 participants_claimed=claimed.get(r["id"], {}).get("participants_claimed"))
        r.pop("articles_total", None)
    rows.sort(key=lambda r: (-r["articles"], (r["name_en"] or r["id"]).lower()))
    return rows


async def has_totals(db):
    """Whether the archive keeps initiative_totals: a single file written by this newstrace, or a partitioned
    archive's archive-wide database (its triggers keep them from every partition's summaries) read whole — not
    when some partitions are left out for the actor, whose counts the totals hold."""
    if federated(db):
        return not db.hidden and "initiative_totals" in getattr(db, "wide_tables", ())
    return await db.table_exists("initiative_totals")


async def initiative_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("initiatives",), reads=READS)
    db = archive.db
    await require_schema(db, TABLES, "initiative page")
    summaries = await summaries_state(db)
    initiative_id = request.url_vars["id"]
    known = (await db.execute(INITIATIVE_SQL, {"id": initiative_id})).first()
    if known is None:
        moved = (await db.execute(REDIRECT_SQL, {"id": initiative_id})).first()
        if moved:  # merged into another initiative: its page, in the same format, with the same filters
            fmt = request.url_vars.get("format")
            target = initiative_url(datasette, db.name, moved[0]) + ("." + fmt if fmt else "")
            return Response.redirect(target + ("?" + request.query_string if request.query_string else ""), status=302)
        raise NotFound(f"Unknown initiative: {initiative_id}")
    filters = read_filters(request, ("role", "language", "from", "to"))
    paging = read_paging(datasette, request, PAGE_SIZE)
    page = paging.page
    sees_evidence = archive.sees("participation", "articles")
    initiative = (await initiative_rows(db, filters, initiative_id, archive=archive, summaries=summaries["current"]))[0]
    where, params = participation_where(filters)
    params["id"] = initiative_id
    a_where, a_params = article_where(filters)
    a_params["id"] = initiative_id
    claims = [dict(r) for r in (await db.execute(INITIATIVE_CLAIMS_SQL.format(where=a_where), a_params)).rows
              ] if archive.sees("initiative_claimed_counts", "articles") else []
    role = filters.get("role")
    use_summaries = month_exact(filters) and summaries["current"]
    if not sees_evidence:
        months, countries = [], []
    elif use_summaries:
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
    # (months count the articles naming it, also by a mention alone; its countries' evidence rows bound the articles
    # with evidence closer: latest_ids' estimate, which picks how the page is found, never what it holds)
    if sum(c["evidence"] for c in countries):
        size = min(size, sum(c["evidence"] for c in countries))
    role_clause = " AND m.role = :role" if role else ""

    async def fetch(page, page_size):
        "The evidence of one page of the newest articles (what the CSV holds)."
        if not sees_evidence:
            return [], False
        ids, more = await latest_ids(db, "participation", "m.initiative_id = :id" + role_clause,
                                     {"id": initiative_id, **({"role": role} if role else {})}, size, filters, page,
                                     page_size, summaries["newest_article"])
        return collapse_copies([dict(r) for r in (await db.execute(PARTICIPATION_ROWS_SQL.format(
            ids=id_list(ids), owner="p.initiative_id = :id", where=" AND p.role = :role" if role else ""),
            {"id": initiative_id, **({"role": role} if role else {})})).rows]), more

    participation, more = await fetch(page, paging.size)
    evidence = {}
    for p in participation:
        evidence.setdefault((p["role"], p["country"]), []).append(
            {k: p[k] for k in ("id", "evidence", "status", "valid_from", "valid_to", "article_id", "article_title",
                               "article_url", "published", "language", "method", "confidence", "copies")})
    participants = []
    for r in role_order({c["role"] for c in countries}):
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
    # where it sits: its series (an edition of a recurring event) or its editions, its parent and its organs
    editions = [dict(r) for r in (await db.execute(EDITIONS_SQL, {"id": initiative_id})).rows]
    children = [dict(r) for r in (await db.execute(RELATED_SQL, {"id": initiative_id})).rows]
    linked = [v for v in (initiative.get("series"), initiative.get("parent")) if v]
    names = {}
    if linked:
        names = {r[0]: r[1] or r[0] for r in (await db.execute(NAMES_SQL.format(
            ids=", ".join(f":n{i}" for i in range(len(linked)))), {f"n{i}": v for i, v in enumerate(linked)})).rows}
    series = {"id": initiative["series"], "name": names.get(initiative["series"])} if initiative.get("series") else None
    parent = {"id": initiative["parent"], "name": names.get(initiative["parent"])} if initiative.get("parent") else None
    # membership over time: each country's roles, first and last month stated, and the roles the text dates
    if not summaries["current"]:
        t_sql, (t_where, t_params) = TIMELINE_ROWS_SQL, article_where(filters)
    else:
        t_sql, (t_where, t_params) = TIMELINE_SQL, summary_where(filters) if month_exact(filters) else ("", {})
    # (both read from participation: left out for an actor who may not see it)
    timeline = [dict(r) for r in (await db.execute(t_sql.format(where=t_where),
                                                   {**t_params, "id": initiative_id})).rows] if sees_evidence else []
    dated = sorted((dict(r) for r in (await db.execute(DATED_SQL, {"id": initiative_id})).rows),
                   key=lambda r: (r["valid_from"] or "", r["country"])) if sees_evidence else []
    on_record = {"members": initiative["members"], "as_of": initiative.get("members_as_of"),
                 "source": initiative.get("members_source")} if initiative["members"] else None
    data = {
        "database": db.name, "initiative": initiative, "filters": filters,
        "participants_named": initiative["participants_named"],
        "participants_claimed": initiative["participants_claimed"],
        "claims": claims, "participants": participants, "months": months,
        "successor_of": successor_of, "successors": successors, "participation": participation,
        "series": series, "parent": parent, "editions": editions, "children": children, "timeline": timeline,
        "dated_roles": dated, "members_on_record": on_record, "summaries": summaries,
    }
    columns = ["country", "country_name", "role", "status", "valid_from", "valid_to", "evidence", "article_id",
               "article_title", "article_url", "published", "language", "method", "confidence"]
    map_filters = {**filters, "initiative": initiative_id}
    map_url = datasette.urls.database(db.name) + "/-/countries.json?" + urlencode(
        {**map_filters, "color": read_color(request), **({"_lang": request.args["_lang"]}
                                                          if request.args.get("_lang") else {})})

    async def geojson():
        rows, legend = await map_rows(db, datasette, map_filters, read_color(request), archive, summaries["current"])
        return geojson_response(geojson_collection(rows, legend, {"database": db.name, "filters": map_filters}))

    map_geojson = await geojson() if request.url_vars.get("format") == "geojson" else None
    context = {
        **filter_context(request, filters),
        **map_settings(datasette, db.name, map_url, read_color(request)),
        "max_month": max((m["articles"] for m in months), default=0),
        "initiatives_url": datasette.urls.database(db.name) + "/-/initiatives",
        "role_colors": ROLE_COLORS,
    }
    return await respond(datasette, request, template="newstrace_initiative.html", data=data, rows=participation,
                         columns=columns, filename=f"{db.name}-initiative-{initiative_id}"
                         + (f"-page-{page}" if page > 1 else ""), context=context,
                         formats={"geojson": lambda: map_geojson}, paging=paging, more=more, fetch=fetch)


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/initiatives(\.(?P<format>json|csv))?$", initiatives_view),
    (r"^/(?P<database>[^/]+)/-/initiatives/(?P<id>[A-Za-z0-9_\-]+?)(\.(?P<format>json|csv|geojson))?$",
     initiative_view),
]
