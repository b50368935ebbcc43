"""What differs between Datasette 0.65 and the 1.0 alphas, in one place: the views call these, never the
version-specific APIs.

- permissions: 0.65 asks `permission_allowed` level by level (table, database, instance: the first level
  with an opinion decides, as its table page does); 1.0 resolves the hierarchy itself (`allowed` with a
  Resource).
- `expand_foreign_keys` takes the actor first in 1.0.
- hidden tables: 0.65 reads them from metadata (our `get_metadata` hook adds them), 1.0 from its config.
"""
import contextvars
import json

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
    return (await visibility(ds, actor, [database], ()))[database][0]


async def can_view_table(ds, actor, database, table):
    "What Datasette's table page checks (`execute-sql` plays no part)."
    return table in await visible_tables(ds, actor, database, [table])


async def visible_tables(ds, actor, database, tables):
    "The subset of `tables` the actor may see, as Datasette's table pages decide."
    return (await visibility(ds, actor, [database], tables))[database][1]


# --- many databases at once ------------------------------------------------------------------------------
#
# A partitioned archive's page reads dozens of databases (one a month), and each page used to ask Datasette
# about each of them and each table it reads there: hundreds of checks a request, each of which (0.65)
# deep-copies the whole metadata of every database served. `visibility` answers for all of a page's databases
# at once, and never asks the same question twice in a request (`permission_scope`, an ASGI wrapper, gives
# each request its own answers: metadata or plugins that change between requests are honoured).
#
# 0.65: where Datasette's own rules are the only ones (its default `permission_allowed` and no `get_metadata`
# plugin), an answer depends on the actor, the action, the table's name, the top-level metadata and that
# database's block of it: databases whose blocks are equal — the months of a partitioned archive, unless
# metadata says otherwise of one — are asked once, for one of them, and the answer holds for all. A denial
# written for one month makes its block differ: that month is then asked on its own. Where no table of a
# database has an allow block, the table level is not asked (it has no opinion). With any other permission
# plugin installed, every database and table is asked (once a request).
# 1.0: Datasette resolves permissions in SQL; the resources the actor may view are read in one query each
# for databases and tables, and only what that leaves out is asked one by one (`ds.allowed`).

_answers = contextvars.ContextVar("newstrace_permission_answers", default=None)
_DATASETTE_RULES = {"datasette.default_permissions"}


def permission_scope(app):
    "ASGI middleware: a request's permission answers are kept for that request only."
    async def wrapped(scope, receive, send):
        token = _answers.set({}) if scope.get("type") == "http" else None
        try:
            await app(scope, receive, send)
        finally:
            if token is not None:
                _answers.reset(token)
    return wrapped


def _actor_key(actor):
    return json.dumps(actor, sort_keys=True, default=repr)


async def _remember(memo, key, compute):
    if key not in memo:
        memo[key] = await compute()
    return memo[key]


async def visibility(ds, actor, databases, tables):
    """{database: (may the actor see the database, the subset of `tables` it may see there)} for several databases,
    as Datasette's database and table pages decide (0.65: the first level with an opinion, table then database
    then instance; 1.0: `view-database` and `view-table`)."""
    databases, tables = list(dict.fromkeys(databases)), list(dict.fromkeys(tables))
    memo = _answers.get()
    if memo is None:  # outside a request (a startup hook, a script): shared within this call only
        memo = {}
    if DATASETTE_1:
        return await _visibility_1(ds, actor, databases, tables, memo)
    return await _visibility_065(ds, actor, databases, tables, memo)


def _shares_answers(ds):
    "True when only Datasette's own rules decide (0.65), so equal metadata blocks give equal answers."
    from datasette.plugins import pm

    return ({i.plugin_name for i in pm.hook.permission_allowed.get_hookimpls()} <= _DATASETTE_RULES
            and not pm.hook.get_metadata.get_hookimpls())


def _tables_without_rules(ds, database):
    """True when no table of `database` has an allow block (its own `tables`, or the top-level ones it falls back to):
    Datasette 0.65's own table rule then has no opinion on any of them (the database level decides), and asking
    it would only deep-copy the metadata of every database served, once a table."""
    metadata = ds._metadata_local or {}
    blocks = [((metadata.get("databases") or {}).get(database) or {}).get("tables"), metadata.get("tables")]
    for block in blocks:
        if block is None:
            continue
        if not isinstance(block, dict):
            return False
        for config in block.values():
            if not isinstance(config, dict) or config.get("allow") is not None:
                return False
    return True


def _answer_key(ds, database, shared):
    "What a database's answers are filed under: its metadata block where answers are shared, else its name."
    if not shared or database.startswith("_"):  # Datasette's own rules single out _internal by name
        return ("database", database)
    block = ((ds._metadata_local or {}).get("databases") or {}).get(database)
    return ("block", json.dumps(block, sort_keys=True, default=repr))


async def _visibility_065(ds, actor, databases, tables, memo):
    actor_key = _actor_key(actor)
    shared = _shares_answers(ds)

    async def ask(action, resource):
        return await ds.permission_allowed(actor, action, resource=resource, default=None)

    async def instance():
        found = await _remember(memo, (actor_key, "view-instance"), lambda: ask("view-instance", None))
        return True if found is None else found

    out, alike = {}, {}
    for database in databases:
        key = _answer_key(ds, database, shared)
        if key[0] == "block" and key in alike:
            # a database whose block is another's (the months of a partitioned archive): the same answers, which the
            # memo below would give table by table (sixty partitions, a few tables each: a millisecond a request)
            may_view, seen = alike[key]
            out[database] = (may_view, set(seen))
            continue
        silent = shared and _tables_without_rules(ds, database)

        async def database_level():
            found = await _remember(memo, (actor_key, "view-database", key),
                                    lambda: ask("view-database", database))
            return await instance() if found is None else found

        seen = set()
        for table in tables:
            found = None if silent else await _remember(memo, (actor_key, "view-table", key, table),
                                                        lambda: ask("view-table", (database, table)))
            if found is None:
                found = await database_level()
            if found:
                seen.add(table)
        out[database] = (await database_level(), seen)
        alike[key] = (out[database][0], frozenset(seen))
    return out


async def _visibility_1(ds, actor, databases, tables, memo):
    actor_key = _actor_key(actor)
    internal = ds.get_internal_database()

    async def allowed_sql(action, names):
        # the resources of `action` the actor may act on, among these databases: one query (an alpha without
        # allowed_resources_sql: none listed, each asked below)
        if not hasattr(ds, "allowed_resources_sql"):
            return set()
        sql, params = await ds.allowed_resources_sql(action=action, actor=actor)
        params = dict(params, _newstrace_names=json.dumps(names))
        query = f"SELECT parent, child FROM ({sql}) WHERE parent IN (SELECT value FROM json_each(:_newstrace_names))"
        # execute_fn, not execute: a permission answer is not a user's query, so sql_time_limit_ms must not cut it
        # (a 5 ms limit turned a search into a 500 'QueryInterrupted' here)
        rows = await internal.execute_fn(lambda conn: conn.execute(query, params).fetchall())
        return {(r[0], r[1]) for r in rows}

    want = [d for d in databases if (actor_key, "view-database", d) not in memo]
    if want:
        found = await allowed_sql("view-database", want)
        for d in want:
            memo[(actor_key, "view-database", d)] = (d, None) in found or None
    want = [d for d in databases if any((actor_key, "view-table", d, t) not in memo for t in tables)]
    if want and tables:
        found = await allowed_sql("view-table", want)
        for d in want:
            for t in tables:
                memo.setdefault((actor_key, "view-table", d, t), (d, t) in found or None)
    out = {}
    for d in databases:
        # what the query did not list (a table it does not know yet, say) is asked on its own
        if memo[(actor_key, "view-database", d)] is None:
            memo[(actor_key, "view-database", d)] = await ds.allowed(
                action="view-database", resource=DatabaseResource(d), actor=actor)
        seen = set()
        for t in tables:
            if memo[(actor_key, "view-table", d, t)] is None:
                memo[(actor_key, "view-table", d, t)] = await ds.allowed(
                    action="view-table", resource=TableResource(d, t), actor=actor)
            if memo[(actor_key, "view-table", d, t)]:
                seen.add(t)
        out[d] = (memo[(actor_key, "view-database", d)], seen)
    return out


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
