"""The ranked search page: /{db}/-/search?q= with bm25 relevance, highlighted snippets and filters."""
from markupsafe import Markup, escape

from newstrace.ingest.store.cjk import snippet

from .query import parse, translate
from .render import database_for, query_string, respond

PAGE_SIZE = 20

# bm25 weights: a match in the title counts five times one in the text
SEARCH_SQL = """
SELECT articles_fts.rowid AS id, bm25(articles_fts, 5.0, 1.0) AS rank
FROM articles_fts
{join}
WHERE articles_fts MATCH :query {filters}
ORDER BY rank
LIMIT :limit OFFSET :offset
"""

COUNT_SQL = """
SELECT COUNT(*) FROM articles_fts {join} WHERE articles_fts MATCH :query {filters}
"""

ROWS_SQL = """
SELECT id, title, url, canonical_url, sitename, published, published_month, language, text
FROM articles WHERE id IN ({ids})
"""

FILTERS = {
    "language": "a.language = :language",
    "site": "a.sitename = :site",
    "month": "a.published_month = :month",
}


async def search_view(datasette, request):
    db = await database_for(datasette, request)
    q = (request.args.get("q") or "").strip()
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    # words, "phrases", OR, -word (query.py); with ?translate=on each term also in the lexicon's other language
    parsed = parse(q)
    cross = request.args.get("translate") in ("on", "1")
    if cross:
        translate(parsed)
    params = {"query": parsed.fts(), "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    clauses = []
    for name, clause in FILTERS.items():
        value = request.args.get(name)
        if value:
            params[name] = value
            clauses.append(clause)
    join = "JOIN articles a ON a.id = articles_fts.rowid" if clauses else ""
    filters = "".join(" AND " + c for c in clauses)
    results, total = [], 0
    if q:
        ranked = (await db.execute(SEARCH_SQL.format(join=join, filters=filters), params)).rows
        total = (await db.execute(COUNT_SQL.format(join=join, filters=filters), params)).first()[0]
        if ranked:
            ids = [r["id"] for r in ranked]
            marks = ", ".join("?" for _ in ids)
            by_id = {r["id"]: r for r in (await db.execute(ROWS_SQL.format(ids=marks), ids)).rows}
            terms = parsed.terms()
            for r in ranked:
                row = by_id[r["id"]]
                results.append(
                    {
                        "id": row["id"],
                        "title": row["title"],
                        "url": row["canonical_url"] or row["url"],
                        "sitename": row["sitename"],
                        "published": row["published"],
                        "language": row["language"],
                        "rank": r["rank"],
                        "snippet": snippet(row["text"], terms),
                    }
                )
    data = {
        "database": db.name,
        "q": q,
        "filters": {k: request.args.get(k) for k in FILTERS if request.args.get(k)},
        "translate": cross,
        "expansions": parsed.expansions,
        "excluded": parsed.excluded,
        "total": total,
        "page": page,
        "page_size": PAGE_SIZE,
        "rows": results,
    }
    columns = ["id", "title", "url", "sitename", "published", "language", "rank", "snippet"]
    context = {
        "results": [dict(r, snippet=Markup(r["snippet"])) for r in results],
        "next_url": "?" + query_string(request, page=str(page + 1)) if page * PAGE_SIZE < total else None,
        "prev_url": "?" + query_string(request, page=str(page - 1)) if page > 1 else None,
        "filter_names": list(FILTERS),
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None, "page": None}) for k in FILTERS},
    }
    choices = (await filter_choices(db))["choices"]
    context["options"] = {name: options_html(values, request.args.get(name)) for name, values in choices.items()}
    return await respond(datasette, request, template="newstrace_search.html", data=data, rows=results,
                         columns=columns, filename=f"{db.name}-search", context=context)


# the filters' choices, from the facet counts the articles table keeps (no scan of the articles)
CHOICES_SQL = "SELECT value, n FROM articles_facet_counts WHERE facet = :facet ORDER BY {order} LIMIT :limit"


async def filter_choices(db):
    "The values the search page's filter controls offer: languages, the outlets with most articles, months."
    async def values(facet, order, limit):
        sql = CHOICES_SQL.format(order=order)
        return [dict(r) for r in (await db.execute(sql, {"facet": facet, "limit": limit})).rows]

    return {"choices": {"language": await values("language", "n DESC", 30),
                        "site": await values("sitename", "n DESC, value", 200),
                        "month": await values("published_month", "value DESC", 240)}}


def options_html(choices, selected):
    "A select's <option>s, written here: a few hundred outlets and months cost the template more than the SQL."
    return Markup("".join(
        f'<option value="{escape(c["value"])}"{" selected" if c["value"] == selected else ""}>'
        f'{escape(c["value"])} ({c["n"]:,})</option>' for c in choices))


ROUTES = [(r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json|csv))?$", search_view)]
