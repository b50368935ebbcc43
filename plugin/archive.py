"""Which databases are newstrace archives, and what of one an actor may read.

A database is an archive when its schema has the tables (and columns) the pages read, whatever its name:
every archive served gets the pages, other databases are left exactly as Datasette serves them (the routes
answer 404 there, cells and facets are Datasette's own). A page asks `archive_for` for its database: 403
where Datasette's own table page answers 403 for a table the page cannot do without (`needs`), and the
set of the other tables it reads (`reads`) that the actor may see, so that a page mixing them leaves out
what comes from the others.
"""
import time
import weakref

from datasette.utils.asgi import Forbidden, NotFound

from newstrace.ingest.store.schema import HIDDEN_TABLES

from . import compat, tablecounts

SINGLE_FILE = {
    "articles": ("id", "url", "canonical_url", "title", "published", "text"),
    "claims": ("id", "claim_text", "n_mentions"),
    "claim_mentions": ("id", "article_id", "claim_id", "sentence"),
    "countries": ("code", "name"),
    "initiatives": ("id", "name_en"),
    "participation": ("initiative_id", "country", "role", "article_id"),
}
# kind -> {table: columns it must have}, the first kind a schema has wins. A partitioned archive (issue 13,
# ingest/partitioned/layout.py) is an archive-wide database ("wide": claims, reference data, the article
# index; the pages read it through plugin/federated.py, which asks its partitions for the rest) and one
# "partition" a month (the single-file schema: its pages are that month's).
KINDS = {
    "wide": {
        "archive_info": ("name", "value"),
        "partitions": ("key", "file"),
        "article_index": ("id", "partition"),
        "claims": SINGLE_FILE["claims"],
        "countries": SINGLE_FILE["countries"],
        "initiatives": SINGLE_FILE["initiatives"],
    },
    "partition": {"partition_info": ("name", "value"), **SINGLE_FILE},
    "archive": SINGLE_FILE,
}
ARCHIVE_KINDS = ("archive", "partition", "wide")
# a database found not to be an archive is looked at again after this long (it may be one being built)
RECHECK_SECONDS = 5.0

SCHEMA_SQL = """
SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p
WHERE m.type IN ('table', 'view') AND m.name IN ({tables})
"""

_kinds = weakref.WeakKeyDictionary()  # Database -> (kind or None, checked at)


def kind_of(schema):
    "The kind of archive a schema {table: {columns}} is, or None."
    for kind, tables in KINDS.items():
        if all(set(columns) <= schema.get(table, set()) for table, columns in tables.items()):
            return kind
    return None


async def archive_kind(datasette, db):
    "The archive kind of a Database, or None; read from its schema once (a non-archive again after a while)."
    hit = _kinds.get(db)
    if hit and (hit[0] or time.monotonic() - hit[1] < RECHECK_SECONDS):
        return hit[0]
    names = sorted({t for tables in KINDS.values() for t in tables})
    sql = SCHEMA_SQL.format(tables=", ".join("?" for _ in names))
    schema = {}
    # execute_fn: reading the schema is the plugin's bookkeeping, not a user's query, so a small
    # sql_time_limit_ms must not interrupt it (at startup that stopped the server from starting)
    for table, column in await db.execute_fn(lambda conn: conn.execute(sql, names).fetchall()):
        schema.setdefault(table, set()).add(column)
    kind = kind_of(schema)
    _kinds[db] = (kind, time.monotonic())
    if kind and not hit:
        compat.hide_tables(datasette, db.name, HIDDEN_TABLES)
        tablecounts.bound(db)  # its database page counts no table past 10,000 rows (tablecounts.py)
    return kind


def known_kind(datasette, database):
    "The cached answer for a database name without a query: a kind, None (not an archive), or False (unknown)."
    db = datasette.databases.get(database)
    hit = _kinds.get(db) if db is not None else None
    if hit is None or (hit[0] is None and time.monotonic() - hit[1] >= RECHECK_SECONDS):
        return False
    return hit[0]


async def is_archive(datasette, database, kinds=ARCHIVE_KINDS):
    db = datasette.databases.get(database)
    return db is not None and await archive_kind(datasette, db) in kinds


class Archive:
    "A served archive as one request may read it."

    def __init__(self, db, kind, visible):
        self.db = db
        self.name = db.name
        self.kind = kind
        self.visible = frozenset(visible)

    def sees(self, *tables):
        "True when the actor may see every one of these tables."
        return all(t in self.visible for t in tables)


async def visible_tables(datasette, actor, database, tables):
    "The subset of `tables` the actor may see, as Datasette's table pages decide."
    return await compat.visible_tables(datasette, actor, database, tables)


async def archive_for(datasette, request, needs, reads=(), kinds=ARCHIVE_KINDS):
    """The archive the URL names, for a page that cannot do without the tables `needs` and also shows what
    it reads from `reads`: 404 when the database is missing or not an archive, 403 when a needed table is
    one whose table page would answer 403 (checked before the schema, so a 403 tells nothing about it)."""
    db = compat.get_database(datasette, request.url_vars["database"])
    seen = await visible_tables(datasette, request.actor, db.name, list(dict.fromkeys((*needs, *reads))))
    for table in needs:
        if table not in seen:
            raise Forbidden(f"You do not have permission to view the {table} table")
    kind = await archive_kind(datasette, db)
    if kind not in kinds:
        raise NotFound(f"{db.name} is not a newstrace archive")
    if kind == "wide":
        return await _partitioned(datasette, request.actor, db, needs, reads, seen)
    return Archive(db, kind, seen)


async def archive_db(datasette, actor, db, needs=("articles",), reads=()):
    """(the Database a page of `db` reads, the tables of needs + reads the actor may see), or None when a needed
    table is denied: `db` itself, or for a partitioned archive's archive-wide database the Federated view of
    the partitions the actor may read (the database page's overview lead asks this)."""
    seen = await visible_tables(datasette, actor, db.name, list(dict.fromkeys((*needs, *reads))))
    if not set(needs) <= seen:
        return None
    if await archive_kind(datasette, db) != "wide":
        return db, seen
    try:
        found = await _partitioned(datasette, actor, db, needs, reads, seen)
    except Forbidden:
        return None
    return found.db, found.visible


async def _partitioned(datasette, actor, db, needs, reads, seen):
    """The Archive of a partitioned archive's archive-wide database: its pages read the partitions through
    plugin/federated.py. A table kept in the partitions (articles, mentions, participation) counts as seen
    where Datasette's table page of every partition served would show it; a partition whose needed tables the
    actor may not see is left out (as its own pages would answer 403); none left: 403."""
    from .federated import federated

    fed, part_seen, refused = await federated(datasette, db, actor, tables=list(dict.fromkeys((*needs, *reads))),
                                              needs=needs)
    if refused and not fed.partitions:
        denied = sorted(set(needs) - part_seen - fed.wide_tables) or sorted(needs)
        raise Forbidden(f"You do not have permission to view the {denied[0]} table")
    visible = {t for t in seen if t in fed.wide_tables or t in part_seen}
    fed.visible = frozenset(visible)  # (what it may read ahead for the page: federated.article_first)
    return Archive(fed, "wide", visible)
