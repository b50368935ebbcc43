"""newstrace's Datasette plugin: CJK-aware search, claim tracing and country participation views."""
from datasette import hookimpl

from newstrace.ingest.store.cjk import fts_query

from . import (articles, claims, countries, facets, federated, geo, i18n, initiatives, overview, participation,
               search, search_rank)
from .urls import page_links


@hookimpl(trylast=True)
def prepare_connection(conn):
    # Replaces Datasette's escape_fts (registered by its own hook, so ours must run last): table pages
    # with ?_search= then find Chinese words in the spaced-CJK index.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    # a row's length in tokens from FTS5's docsize table (ranked search over a partitioned archive)
    conn.create_function("newstrace_fts_size", 1, search_rank.fts_size, deterministic=True)


@hookimpl
def register_facet_classes():
    return [facets.JsonValuesFacet, facets.CountsFacet]


@hookimpl
def register_routes():
    # a partition of a partitioned archive holds no claims: its claim pages are the archive's
    claim_routes = [(pattern, federated.to_archive(view)) for pattern, view in claims.ROUTES]
    return (search.ROUTES + claim_routes + geo.ROUTES + countries.ROUTES + initiatives.ROUTES
            + articles.ROUTES + overview.ROUTES)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    cell = claims.render_cell(value, column, table, database, datasette, row=row)
    if cell is None:
        cell = articles.render_cell(value, column, table, database, datasette, row=row)
    if cell is None:
        cell = participation.render_cell(value, column, table, database, datasette)
    return cell


@hookimpl
def extra_template_vars(template, database, request, datasette):
    # the pages' labels in the reader's language (i18n.py), the navigation bar's links; on an archive's
    # database page, the overview that leads it
    values = i18n.template_vars(request)
    values["newstrace_pages"] = lambda name: page_links(datasette, name)
    values["newstrace_lang_url"] = i18n.switch_url(request)
    if template not in ("database.html", "table.html", "row.html") or not database:
        return values

    async def archive_values():
        if template == "database.html":
            values["newstrace_overview"] = await overview.database_lead(datasette, database)
        else:
            db = datasette.databases.get(database)
            values["newstrace_archive"] = db is not None and await overview.is_archive(db)
        return values

    return archive_values


@hookimpl
def asgi_wrapper():
    return articles.search_wrapper


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins("newstrace", "newstrace.css")]
