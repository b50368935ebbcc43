"""What differs between Datasette 0.65 and the 1.0 alphas, in one place: the views call these, never the
version-specific APIs.

- permissions: 0.65 asks `permission_allowed` level by level (table, database, instance: the first level
  with an opinion decides, as its table page does); 1.0 resolves the hierarchy itself (`allowed` with a
  Resource).
- `expand_foreign_keys` takes the actor first in 1.0.
- hidden tables: 0.65 reads them from metadata (our `get_metadata` hook adds them), 1.0 from its config.
"""
import datasette
from datasette.utils.asgi import Forbidden, NotFound

DATASETTE_1 = not datasette.__version__.startswith("0.")

if DATASETTE_1:
    from datasette.resources import DatabaseResource, TableResource


async def can_view_instance(ds, actor):
    if DATASETTE_1:
        return await ds.allowed(action="view-instance", actor=actor)
    return await _cascade(ds, actor, [("view-instance", None)])


async def can_view_database(ds, actor, database):
    "What Datasette's database page checks."
    if DATASETTE_1:
        return await ds.allowed(action="view-database", resource=DatabaseResource(database), actor=actor)
    return await _cascade(ds, actor, [("view-database", database), ("view-instance", None)])


async def can_view_table(ds, actor, database, table):
    "What Datasette's table page checks (`execute-sql` plays no part)."
    if DATASETTE_1:
        return await ds.allowed(action="view-table", resource=TableResource(database, table), actor=actor)
    return await _cascade(ds, actor, [("view-table", (database, table)), ("view-database", database),
                                      ("view-instance", None)])


async def visible_tables(ds, actor, database, tables):
    "The subset of `tables` the actor may see (can_view_table for each, the shared levels asked once)."
    if DATASETTE_1:
        return {t for t in tables if await can_view_table(ds, actor, database, t)}
    seen, fallback = set(), None
    for table in tables:
        ok = await ds.permission_allowed(actor, "view-table", resource=(database, table), default=None)
        if ok is None:
            if fallback is None:
                fallback = await _cascade(ds, actor, [("view-database", database), ("view-instance", None)])
            ok = fallback
        if ok:
            seen.add(table)
    return seen


async def _cascade(ds, actor, checks):
    # Datasette 0.65's ensure_permissions: the first check that returns an opinion decides
    for action, resource in checks:
        ok = await ds.permission_allowed(actor, action, resource=resource, default=None)
        if ok is not None:
            return ok
    return True


async def ensure_view_instance(ds, actor):
    if not await can_view_instance(ds, actor):
        raise Forbidden("view-instance")


def get_database(ds, route):
    "The database a URL names (its route, tilde-encoded in URLs), or a 404."
    try:
        return ds.get_database(route=route)
    except KeyError:
        raise NotFound(f"Database not found: {route}")


async def expand_foreign_keys(ds, actor, database, table, column, values):
    if DATASETTE_1:
        return await ds.expand_foreign_keys(actor, database, table, column, values)
    return await ds.expand_foreign_keys(database, table, column, values)


# --- hidden tables ------------------------------------------------------------------------------------

def hide_tables(ds, database, tables):
    """Mark `tables` of `database` hidden (from the database page and the index), as metadata's `hidden` does.
    Written into what Datasette reads it from: 1.0 its configuration, 0.65 its local metadata (a
    get_metadata hook would be merged into every metadata() call, permission checks included)."""
    if DATASETTE_1:
        if ds.config is None:
            ds.config = {}
        config = ds.config
    else:
        config = ds._metadata_local
    db_tables = config.setdefault("databases", {}).setdefault(database, {}).setdefault("tables", {})
    for table in tables:
        db_tables.setdefault(table, {}).setdefault("hidden", True)


def move_facet_sizes(ds):
    """1.0a41 reads a table's `facet_size` from its configuration only, and (unlike `facets` and the other table
    settings) does not move it there from metadata.json: move it, so metadata.json's sizes hold on both."""
    if not DATASETTE_1:
        return
    for database, settings in ((ds._metadata_local or {}).get("databases") or {}).items():
        for table, table_settings in (settings.get("tables") or {}).items():
            if "facet_size" in table_settings:
                if ds.config is None:
                    ds.config = {}
                tables = ds.config.setdefault("databases", {}).setdefault(database, {}).setdefault("tables", {})
                tables.setdefault(table, {}).setdefault("facet_size", table_settings["facet_size"])


def plugin_config(ds, database):
    """newstrace's plugin configuration for a database, falling back to the top level (1.0a41 drops the
    fallback once the database has any configuration of its own, hidden tables included)."""
    return ds.plugin_config("newstrace", database=database) or ds.plugin_config("newstrace") or {}
