"""The archive at a glance: /{db}/-/overview (and .json) — counts, languages, outlets, the most-traced claims, the
most active initiatives, the latest articles — and the same as the lead of Datasette's database page
(templates/database.html extends Datasette's own and shows it above the tables).

Every number comes from an index or a summary table (articles_facet_counts, initiative_month_counts), so the
page costs the same on a million articles as on twenty."""
import time
import weakref

from .render import database_for, respond
from .urls import article_url, claim_url, initiative_url

ARCHIVE_TABLES = {"articles", "claims", "claim_mentions", "countries", "participation"}

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
TOP_INITIATIVES_SQL = """
SELECT s.initiative_id AS id, i.name_en, i.name_zh, i.kind, SUM(s.articles) AS articles
FROM initiative_month_counts s JOIN initiatives i ON i.id = s.initiative_id
WHERE s.role = '' GROUP BY s.initiative_id ORDER BY articles DESC, s.initiative_id LIMIT :limit
"""
# an archive whose summaries are empty (made before they existed): the initiatives that name most countries
NAMED_INITIATIVES_SQL = """
SELECT id, name_en, name_zh, kind, NULL AS articles FROM initiatives
ORDER BY COALESCE(participants_named, 0) DESC, id LIMIT :limit
"""
LATEST_SQL = """
SELECT id, title, COALESCE(sitename, hostname) AS outlet, published, language FROM articles
WHERE published IS NOT NULL ORDER BY published DESC, id DESC LIMIT :limit
"""
TOP = 8


_archives = weakref.WeakKeyDictionary()  # Database -> (is an archive, checked at)
RECHECK_SECONDS = 30.0


async def is_archive(db):
    "Whether a database has the archive's tables (asked once per half minute: every table page asks)."
    hit = _archives.get(db)
    if hit is not None and time.monotonic() - hit[1] < RECHECK_SECONDS:
        return hit[0]
    answer = ARCHIVE_TABLES <= set(await db.table_names())
    _archives[db] = (answer, time.monotonic())
    return answer


async def overview_data(datasette, db, limit=TOP):
    totals = dict((await db.execute(TOTALS_SQL)).first())
    languages = [dict(r) for r in (await db.execute(FACET_SQL, {"facet": "language", "limit": 20})).rows]
    outlets = [dict(r) for r in (await db.execute(FACET_SQL, {"facet": "sitename", "limit": 10})).rows]
    claims = [dict(r) for r in (await db.execute(TOP_CLAIMS_SQL, {"limit": limit})).rows]
    initiatives = [dict(r) for r in (await db.execute(TOP_INITIATIVES_SQL, {"limit": limit})).rows]
    if not initiatives:
        initiatives = [dict(r) for r in (await db.execute(NAMED_INITIATIVES_SQL, {"limit": limit})).rows]
    latest = [dict(r) for r in (await db.execute(LATEST_SQL, {"limit": limit})).rows]
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
            "top_initiatives": initiatives, "latest_articles": latest}


async def overview_view(datasette, request):
    db = await database_for(datasette, request)
    data = {"database": db.name, **(await overview_data(datasette, db))}
    rows = [{"section": "claim", "id": c["id"], "label": c["claim_text"], "n": c["n_mentions"], "url": c["url"]}
            for c in data["top_claims"]]
    rows += [{"section": "initiative", "id": i["id"], "label": i["name_en"], "n": i["articles"], "url": i["url"]}
             for i in data["top_initiatives"]]
    rows += [{"section": "article", "id": a["id"], "label": a["title"], "n": None, "url": a["url"]}
             for a in data["latest_articles"]]
    return await respond(datasette, request, template="newstrace_overview.html", data=data, rows=rows,
                         columns=["section", "id", "label", "n", "url"], filename=f"{db.name}-overview")


async def database_lead(datasette, database):
    "The overview for the database page's lead, or None for a database that is not a newstrace archive."
    try:
        db = datasette.get_database(database)
    except KeyError:
        return None
    if not await is_archive(db):
        return None
    return await overview_data(datasette, db, limit=5)


ROUTES = [(r"^/(?P<database>[^/]+)/-/overview(\.(?P<format>json|csv))?$", overview_view)]
