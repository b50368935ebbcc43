"""What differs between Datasette 0.65 and the 1.0 alphas, in one place: the views call these, never the
version-specific APIs.

- permissions: 0.65 asks `permission_allowed` level by level (table, database, instance: the first level
  with an opinion decides, as its table page does); 1.0 resolves the hierarchy itself (`allowed` with a
  Resource).
- `expand_foreign_keys` takes the actor first in 1.0.
- hidden tables: 0.65 reads them from metadata (our `get_metadata` hook adds them), 1.0 from its config.
"""
import weakref

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

_hidden = weakref.WeakKeyDictionary()  # 0.65: datasette -> {database: [tables]}, served by get_metadata


def hide_tables(ds, database, tables):
    "Mark `tables` of `database` hidden (from the database page and the index), as metadata's `hidden` does."
    if DATASETTE_1:
        config = ds.config if ds.config is not None else {}
        db_tables = config.setdefault("databases", {}).setdefault(database, {}).setdefault("tables", {})
        for table in tables:
            db_tables.setdefault(table, {}).setdefault("hidden", True)
        ds.config = config
    else:
        _hidden.setdefault(ds, {})[database] = list(tables)


def hidden_metadata(ds):
    "0.65's get_metadata: the hidden flags hide_tables recorded (merged into metadata.json's)."
    by_db = _hidden.get(ds) or {}
    if not by_db:
        return {}
    return {"databases": {name: {"tables": {t: {"hidden": True} for t in tables}} for name, tables in by_db.items()}}


def plugin_config(ds, database):
    """newstrace's plugin configuration for a database, falling back to the top level (1.0a41 drops the
    fallback once the database has any configuration of its own, hidden tables included)."""
    return ds.plugin_config("newstrace", database=database) or ds.plugin_config("newstrace") or {}
