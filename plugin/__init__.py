"""newstrace's Datasette plugin: CJK-aware search, claim tracing and country participation views.

It acts on newstrace archives only (plugin/archive.py recognises them by their schema): other databases
served beside them keep Datasette's own search, cells and facets, and the plugin's routes answer 404 there.
"""
from datasette import hookimpl

from newstrace.ingest.store.cjk import fts_query

from . import (archive, articles, claims, compat, countries, facets, federated, geo, i18n, initiatives, navigation,
               overview, participation, search, search_rank)
from .urls import page_links


@hookimpl(trylast=True)
def prepare_connection(conn, database, datasette):
    # On an archive, replace Datasette's escape_fts (registered by its own hook, so ours must run last):
    # table pages with ?_search= then find Chinese words in the spaced-CJK index. Other databases keep
    # Datasette's own, since their indexes are not spaced.
    names = sorted({t for tables in archive.KINDS.values() for t in tables})
    schema = {}
    for table, column in conn.execute(archive.SCHEMA_SQL.format(tables=", ".join("?" for _ in names)), names):
        schema.setdefault(table, set()).add(column)
    if archive.kind_of(schema):
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)
        # a row's length in tokens from FTS5's docsize table (ranked search over a partitioned archive)
        conn.create_function("newstrace_fts_size", 1, search_rank.fts_size, deterministic=True)


@hookimpl
def startup(datasette):
    compat.move_facet_sizes(datasette)

    async def recognise():
        # recognising an archive hides its bookkeeping tables (archive.archive_kind)
        for name, db in list(datasette.databases.items()):
            if not name.startswith("_"):
                await archive.archive_kind(datasette, db)
    return recognise


@hookimpl
def register_facet_classes():
    return [facets.JsonValuesFacet, facets.CountsFacet]


def routes():
    # a partition of a partitioned archive holds no claims: its claim pages are the archive's
    claim_routes = [(pattern, federated.to_archive(view)) for pattern, view in claims.ROUTES]
    return [(pattern, search.interrupted_is_400(view)) for pattern, view in
            search.ROUTES + claim_routes + geo.ROUTES + countries.ROUTES + initiatives.ROUTES
            + articles.ROUTES + overview.ROUTES]


@hookimpl
def register_routes():
    return routes()


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is None:
        return None
    kind = archive.known_kind(datasette, database)
    if kind is False:  # not looked at yet: look, then render
        async def later():
            if await archive.is_archive(datasette, database):
                return await _cell(row, value, column, table, database, datasette)
            return None
        return later
    if kind not in archive.ARCHIVE_KINDS:
        return None
    return _cell_now(row, value, column, table, database, datasette)


def _cell_now(row, value, column, table, database, datasette):
    cell = claims.render_cell(value, column, table, database, datasette, row=row)
    if cell is None:
        cell = articles.render_cell(value, column, table, database, datasette, row=row)
    if cell is None:
        cell = participation.render_cell(value, column, table, database, datasette)
    return cell


async def _cell(row, value, column, table, database, datasette):
    cell = _cell_now(row, value, column, table, database, datasette)
    return await cell() if callable(cell) else cell


@hookimpl
def menu_links(datasette, actor, request):
    return navigation.menu_links(datasette, actor)


@hookimpl
def database_actions(datasette, actor, database, request):
    return navigation.database_actions(datasette, actor, database)


@hookimpl
def table_actions(datasette, actor, database, table, request):
    return navigation.table_actions(datasette, actor, database)


@hookimpl
def extra_template_vars(template, database, request, datasette):
    # the pages' labels in the reader's language (i18n.py), the navigation bar's links (the custom pages only
    # for an actor who may open them); on an archive's database page, the overview that leads it
    values = i18n.template_vars(request)
    values["newstrace_lang_url"] = i18n.switch_url(request)
    values["nt_query"] = i18n.query_url(request)
    name = database or (request.url_vars.get("database") if request else None)

    async def with_pages():
        allowed = {link["href"] for link in await navigation.page_links(datasette, request.actor, name)} \
            if name and request else set()
        values["newstrace_pages"] = lambda db: [
            link for link in page_links(datasette, db) if db != name or "/-/" not in link["url"]
            or link["url"] in allowed]
        if template == "database.html" and database:
            values["newstrace_overview"] = await overview.database_lead(datasette, database, request.actor)
        elif template in ("table.html", "row.html") and database:
            # an archive's table and row pages get its navigation bar (templates/table.html, row.html)
            values["newstrace_archive"] = await archive.is_archive(datasette, database)
        return values

    return with_pages


@hookimpl
def asgi_wrapper():
    # each request keeps its own permission answers (compat.visibility) and its ?_search= (render_cell)
    return lambda app: compat.permission_scope(articles.search_wrapper(app))


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins("newstrace", "newstrace.css")]
