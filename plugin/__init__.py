"""newstrace's Datasette plugin: CJK-aware search, claim tracing and country participation views."""
from datasette import hookimpl

from newstrace.ingest.store.cjk import fts_query

from . import claims, countries, facets, geo, initiatives, participation, search


@hookimpl(trylast=True)
def prepare_connection(conn):
    # Replaces Datasette's escape_fts (registered by its own hook, so ours must run last): table pages
    # with ?_search= then find Chinese words in the spaced-CJK index.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl
def register_facet_classes():
    return [facets.JsonValuesFacet, facets.CountsFacet]


@hookimpl
def register_routes():
    return search.ROUTES + claims.ROUTES + geo.ROUTES + countries.ROUTES + initiatives.ROUTES


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    cell = claims.render_cell(value, column, table, database, datasette, row=row)
    if cell is None:
        cell = participation.render_cell(value, column, table, database, datasette)
    return cell


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins("newstrace", "newstrace.css")]
