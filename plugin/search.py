"""The ranked search page: /{db}/-/search?q= with bm25 relevance, highlighted snippets and filters."""
from datasette.database import QueryInterrupted
from datasette.utils.asgi import BadRequest
from markupsafe import Markup, escape

from newstrace.ingest.store.cjk import (MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_QUERY_TOKENS, QueryTooLarge,
                                       bounded_fts_query, fts_text, snippet)

from .archive import archive_for
from .query import parse, translate
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


INTERRUPTED = ("The search took longer than this server allows (Datasette's sql_time_limit_ms) and was stopped: "
               "search for fewer or rarer words, or narrow it with a filter.")


def search_query(q):
    "The FTS5 query for ?q=, or a 400 saying what to shorten when it asks for too much (cjk.MAX_QUERY_*)."
    try:
        return bounded_fts_query(q)
    except QueryTooLarge as err:
        raise BadRequest(str(err))


def bounded_parse(q):
    """parse(q) with what one search may ask bounded like bounded_fts_query (cjk.MAX_QUERY_*): a repeated
    word or group is asked for once, and too long a query, too many terms or tokens are a 400 with the
    reason. Translations (?translate=on) add at most query.MAX_EXPANSIONS a term on top."""
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(f"The search is {len(q):,} characters long; at most {MAX_QUERY_CHARS} are allowed.")
    parsed = parse(q)
    parsed.groups = [list(g) for g in dict.fromkeys(tuple(dict.fromkeys(g)) for g in parsed.groups)]
    parsed.excluded = list(dict.fromkeys(parsed.excluded))
    terms = set(parsed.excluded).union(*parsed.groups)
    if len(terms) > MAX_QUERY_TERMS:
        raise BadRequest(f"The search has {len(terms)} different words or phrases; at most {MAX_QUERY_TERMS} "
                         "are allowed.")
    tokens = sum(len(fts_text(t).split()) for t in terms)
    if tokens > MAX_QUERY_TOKENS:
        raise BadRequest(f"The search has {tokens} words and Chinese, Japanese or Korean characters; at most "
                         f"{MAX_QUERY_TOKENS} are allowed.")
    return parsed


PAGE_INTERRUPTED = ("This page's query took longer than this server allows (Datasette's sql_time_limit_ms) and was "
                    "stopped: narrow it with a filter or ask for a smaller page.")


def interrupted_is_400(view):
    """A custom page whose query Datasette's time limit stopped (any of its statements, not only the search's own)
    answers 400 with the reason, as Datasette's table pages do, never 500."""
    async def wrapped(datasette, request):
        try:
            return await view(datasette, request)
        except QueryInterrupted:
            raise BadRequest(PAGE_INTERRUPTED)
    return wrapped


async def execute(db, sql, params):
    "db.execute under Datasette's time limit; a search it stops is the asker's 400, not the server's 500."
    try:
        return await db.execute(sql, params)
    except QueryInterrupted:
        raise BadRequest(INTERRUPTED)


async def search_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("articles",), reads=("articles_facet_counts",))
    db = archive.db
    q = read_text(request, "q")
    paging = read_paging(datasette, request, PAGE_SIZE)
    sort = read_sort(request, SORTS, Sort("rank", False))
    # words, "phrases", OR, -word (query.py); with ?translate=on each term also in the lexicon's other language
    parsed = bounded_parse(q)
    cross = read_text(request, "translate") in ("on", "1")
    if cross:
        translate(parsed)
    params = {"query": parsed.fts()}
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
    terms = parsed.terms()
    ranked_sql = SEARCH_SQL.format(join=join, filters=filters, order=sort.order_by(SORTS, "rank"))

    async def fetch(page, size):
        if not q:
            return [], False
        ranked = (await execute(db, ranked_sql, {**params, "limit": size + 1, "offset": (page - 1) * size})).rows
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
    total = (await execute(db, COUNT_SQL.format(join=count_join, filters=filters), params)).first()[0] if q else 0
    data = {
        "database": db.name,
        "q": q,
        "filters": {k: request.args.get(k) for k in FILTERS if request.args.get(k)},
        "translate": cross,
        "expansions": parsed.expansions,
        "excluded": parsed.excluded,
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
    # the filters' choices come from the facet counts: none offered to an actor who may not see that table
    choices = (await filter_choices(db))["choices"] if archive.sees("articles_facet_counts") else {}
    context["options"] = {name: options_html(choices.get(name, ()), request.args.get(name)) for name in FILTERS}
    return await respond(datasette, request, template="newstrace_search.html", data=data, rows=results,
                         columns=COLUMNS, filename=f"{db.name}-search", context=context, paging=paging, more=more,
                         fetch=fetch)


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
