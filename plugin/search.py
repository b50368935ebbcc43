"""The ranked search page: /{db}/-/search?q= with bm25 relevance, highlighted snippets and filters."""
from markupsafe import Markup

from newstrace.ingest.store.cjk import fts_query, query_terms, snippet

from .archive import archive_for
from .render import Sort, query_string, read_paging, read_sort, read_text, respond

PAGE_SIZE = 20

# bm25 weights: a match in the title counts five times one in the text
SEARCH_SQL = """
SELECT articles_fts.rowid AS id, bm25(articles_fts, 5.0, 1.0) AS rank
FROM articles_fts
{join}
WHERE articles_fts MATCH :query {filters}
ORDER BY {order}
LIMIT :limit OFFSET :offset
"""
# ?_sort= / ?_sort_desc= (best match first by default); ties keep the relevance order
SORTS = {"rank": "rank", "published": "a.published", "title": "a.title", "sitename": "a.sitename",
         "language": "a.language"}
COLUMNS = ["id", "title", "url", "sitename", "published", "language", "rank", "snippet"]

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
    archive = await archive_for(datasette, request, needs=("articles",))
    db = archive.db
    q = read_text(request, "q")
    paging = read_paging(datasette, request, PAGE_SIZE)
    sort = read_sort(request, SORTS, Sort("rank", False))
    params = {"query": fts_query(q)}
    clauses = []
    for name, clause in FILTERS.items():
        value = read_text(request, name)
        if value:
            params[name] = value
            clauses.append(clause)
    # the count joins the articles only for the filters; the ranking also to sort by an article column
    count_join = "JOIN articles a ON a.id = articles_fts.rowid" if clauses else ""
    join = count_join or ("JOIN articles a ON a.id = articles_fts.rowid" if sort.column != "rank" else "")
    filters = "".join(" AND " + c for c in clauses)
    terms = query_terms(q)
    ranked_sql = SEARCH_SQL.format(join=join, filters=filters, order=sort.order_by(SORTS, "rank"))

    async def fetch(page, size):
        if not q:
            return [], False
        ranked = (await db.execute(ranked_sql, {**params, "limit": size + 1, "offset": (page - 1) * size})).rows
        more, ranked = len(ranked) > size, ranked[:size]
        if not ranked:
            return [], more
        ids = [r["id"] for r in ranked]
        marks = ", ".join("?" for _ in ids)
        by_id = {r["id"]: r for r in (await db.execute(ROWS_SQL.format(ids=marks), ids)).rows}
        rows = []
        for r in ranked:
            row = by_id[r["id"]]
            rows.append({
                "id": row["id"], "title": row["title"], "url": row["canonical_url"] or row["url"],
                "sitename": row["sitename"], "published": row["published"], "language": row["language"],
                "rank": r["rank"], "snippet": snippet(row["text"], terms),
            })
        return rows, more

    results, more = await fetch(paging.page, paging.size)
    total = (await db.execute(COUNT_SQL.format(join=count_join, filters=filters), params)).first()[0] if q else 0
    data = {
        "database": db.name,
        "q": q,
        "filters": {k: request.args.get(k) for k in FILTERS if request.args.get(k)},
        "sort": sort.column if not sort.desc else None,
        "sort_desc": sort.column if sort.desc else None,
        "total": total,
        "rows": results,
    }
    context = {
        "results": [dict(r, snippet=Markup(r["snippet"])) for r in results],
        "filter_names": list(FILTERS),
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None, "page": None}) for k in FILTERS},
    }
    return await respond(datasette, request, template="newstrace_search.html", data=data, rows=results,
                         columns=COLUMNS, filename=f"{db.name}-search", context=context, paging=paging, more=more,
                         fetch=fetch)


ROUTES = [(r"^/(?P<database>[^/]+)/-/search(\.(?P<format>json|csv))?$", search_view)]
