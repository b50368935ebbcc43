"""The archive at a glance: /{db}/-/overview (and .json) — counts, languages, outlets, the most-traced claims, the
most active initiatives, the latest articles — and the same as the lead of Datasette's database page
(templates/database.html extends Datasette's own and shows it above the tables).

Every number comes from an index or a summary table (articles_facet_counts, initiative_month_counts), so the
page costs the same on a million articles as on twenty."""
from .archive import archive_db, archive_for, is_archive
from .readiness import has_column, summaries_state
from .render import respond
from .urls import article_url, claim_url, initiative_url

# what the overview reads beside articles: the parts from a table the actor may not see are left out
READS = ("articles_facet_counts", "claims", "initiatives", "initiative_month_counts", "participation")

TOTALS_SQL = """
SELECT (SELECT COUNT(*) FROM articles) AS articles,
       (SELECT COUNT(*) FROM claims) AS claims,
       (SELECT COUNT(*) FROM articles_facet_counts WHERE facet = 'sitename') AS outlets,
       (SELECT COUNT(*) FROM articles_facet_counts WHERE facet = 'countries') AS countries,
       (SELECT COUNT(*) FROM initiatives) AS initiatives,
       (SELECT MIN(published) FROM articles WHERE published IS NOT NULL) AS first_published,
       (SELECT MAX(published) FROM articles) AS last_published
"""
FACET_SQL = "SELECT value, n FROM articles_facet_counts WHERE facet = :facet ORDER BY n DESC, value LIMIT :limit"
TOP_CLAIMS_SQL = """
SELECT id, claim_text, claim_type, status, n_mentions, n_articles, n_outlets, first_seen FROM claims
ORDER BY n_mentions DESC, id LIMIT :limit
"""
# initiatives.articles is the SUM of initiative_month_counts over role '' (store.refresh_initiative_counts, after
# every batch, from the summaries): read through its index, not the summary of ~10,000 discovered initiatives
# grouped (100k articles with 10,000 discovered initiatives: 110 -> 1 ms)
TOP_INITIATIVES_SQL = """
SELECT id, name_en, name_zh, kind, articles FROM initiatives
WHERE articles > 0 ORDER BY articles DESC, id LIMIT :limit
"""
# an archive whose summaries are not current (readiness.summaries_state): the same counted from the rows
# ({named}: the articles naming an initiative without a role, where the archive has initiative_mentions)
TOP_INITIATIVES_ROWS_SQL = """
SELECT x.initiative_id AS id, i.name_en, i.name_zh, i.kind, COUNT(DISTINCT x.article_id) AS articles
FROM (SELECT initiative_id, article_id FROM participation WHERE initiative_id IS NOT NULL {named}) x
JOIN initiatives i ON i.id = x.initiative_id
GROUP BY x.initiative_id ORDER BY articles DESC, x.initiative_id LIMIT :limit
"""
NAMED_MENTIONS = "UNION SELECT initiative_id, article_id FROM initiative_mentions"
# ... and where the actor may not see participation: the initiatives that name most countries
NAMED_INITIATIVES_SQL = """
SELECT id, name_en, name_zh, kind, NULL AS articles FROM initiatives
ORDER BY COALESCE(participants_named, 0) DESC, id LIMIT :limit
"""
LATEST_SQL = """
SELECT id, title, COALESCE(sitename, hostname) AS outlet, published, language FROM articles
WHERE published IS NOT NULL ORDER BY published DESC, id DESC LIMIT :limit
"""
TOP = 8


async def overview_data(datasette, db, seen, limit=TOP):
    "The overview of the tables in `seen` (the ones the actor may see)."
    async def rows(sql, params, *tables):
        return [dict(r) for r in (await db.execute(sql, params)).rows] if set(tables) <= seen else []

    totals = dict((await db.execute(TOTALS_SQL)).first())
    for key, table in (("claims", "claims"), ("initiatives", "initiatives"), ("outlets", "articles_facet_counts"),
                       ("countries", "articles_facet_counts")):
        if table not in seen:
            totals[key] = None
    languages = await rows(FACET_SQL, {"facet": "language", "limit": 20}, "articles_facet_counts")
    outlets = await rows(FACET_SQL, {"facet": "sitename", "limit": 10}, "articles_facet_counts")
    claims = await rows(TOP_CLAIMS_SQL, {"limit": limit}, "claims")
    summaries = await summaries_state(db)
    if summaries["current"] and await has_column(db, "initiatives", "articles"):
        initiatives = await rows(TOP_INITIATIVES_SQL, {"limit": limit}, "initiatives", "initiative_month_counts")
    else:
        named = NAMED_MENTIONS if await db.table_exists("initiative_mentions") else ""
        initiatives = await rows(TOP_INITIATIVES_ROWS_SQL.format(named=named), {"limit": limit}, "initiatives",
                                 "participation")
    if not initiatives:
        initiatives = await rows(NAMED_INITIATIVES_SQL, {"limit": limit}, "initiatives")
    latest = await rows(LATEST_SQL, {"limit": limit}, "articles")
    table = datasette.urls.table(db.name, "articles")
    for item in languages:
        item["url"] = f"{table}?language={item['value']}"
    for item in outlets:
        item["url"] = f"{table}?sitename={item['value']}"
    for c in claims:
        c["url"] = claim_url(datasette, db.name, c["id"])
    for i in initiatives:
        i["url"] = initiative_url(datasette, db.name, i["id"])
    for a in latest:
        a["url"] = article_url(datasette, db.name, a["id"])
    return {"totals": totals, "languages": languages, "outlets": outlets, "top_claims": claims,
            "top_initiatives": initiatives, "latest_articles": latest, "summaries": summaries}


async def overview_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("articles",), reads=READS)
    db = archive.db
    data = {"database": db.name, **(await overview_data(datasette, db, archive.visible))}
    rows = [{"section": "claim", "id": c["id"], "label": c["claim_text"], "n": c["n_mentions"], "url": c["url"]}
            for c in data["top_claims"]]
    rows += [{"section": "initiative", "id": i["id"], "label": i["name_en"], "n": i["articles"], "url": i["url"]}
             for i in data["top_initiatives"]]
    rows += [{"section": "article", "id": a["id"], "label": a["title"], "n": None, "url": a["url"]}
             for a in data["latest_articles"]]
    return await respond(datasette, request, template="newstrace_overview.html", data=data, rows=rows,
                         columns=["section", "id", "label", "n", "url"], filename=f"{db.name}-overview")


async def database_lead(datasette, database, actor):
    """The overview for the database page's lead, or None for a database that is not a newstrace archive (or
    whose articles the actor may not see)."""
    if not await is_archive(datasette, database):
        return None
    found = await archive_db(datasette, actor, datasette.get_database(database), ("articles",), READS)
    if found is None:
        return None
    db, seen = found
    return await overview_data(datasette, db, seen, limit=5)


ROUTES = [(r"^/(?P<database>[^/]+)/-/overview(\.(?P<format>json|csv))?$", overview_view)]
