"""The row counts an archive's database page (and Datasette's index page) show, without reading a million rows.

Datasette 0.65 counts every table of a database page with `select count(*) from [table]` under a 5 ms limit,
but SQLite answers that with one instruction that walks the table's whole b-tree (the limit is checked between
instructions, never inside it): on the 1M-article archive the page spent ~1.6 s of CPU counting, most of it in
the full-text index's blob table (bench/RESULTS.md, issue 12). Datasette 1.0 caps the count at `count_limit`
rows instead. On an archive this module gives both the same bounded answer, cheaply:

- a table holding more than COUNT_LIMIT rows is "many" (0.65: None, which it shows as "Many rows"; 1.0:
  count_limit + 1, which it shows as ">10,000 rows"). Whether it is that big is read from the statistics
  `newstrace optimize` gathers (sqlite_stat1) when it has them, else from counting at most COUNT_LIMIT + 1 rows;
- the full-text indexes (the virtual tables and their shadow tables, all hidden) are not counted (None), as 0.65
  already answered for the virtual tables, whose count it interrupted;
- every other table is counted exactly: it holds at most COUNT_LIMIT rows.
"""
from functools import partial

COUNT_LIMIT = 10_000  # Datasette 1.0's Database.count_limit
FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

TABLES_SQL = "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
# the row count ANALYZE recorded for each table (the first number of its own or its indexes' stat)
STAT_SQL = "SELECT tbl, MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl"
BOUNDED_SQL = "SELECT COUNT(*) FROM (SELECT 1 FROM [{table}] LIMIT {limit})"


def bounded_counts(conn, limit=COUNT_LIMIT):
    """{table: rows, or None for a full-text index, or limit + 1 for a table with more than `limit` rows}."""
    tables = conn.execute(TABLES_SQL).fetchall()
    virtual = [name for name, sql in tables if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    fts = set(virtual) | {name for name, _ in tables for v in virtual
                          if name.startswith(v) and name[len(v):] in FTS_SHADOWS}
    names = [name for name, _ in tables]
    stats = dict(conn.execute(STAT_SQL).fetchall()) if "sqlite_stat1" in names else {}
    counts = {}
    for name in names:
        if name in fts:
            counts[name] = None
        elif (stats.get(name) or 0) > limit:
            counts[name] = limit + 1
        else:
            counts[name] = conn.execute(BOUNDED_SQL.format(table=name.replace("]", "]]"), limit=limit + 1)
                                        ).fetchone()[0]
    return counts


async def archive_table_counts(db, limit=None):
    """Database.table_counts for an archive (the argument, Datasette's time limit per count, is not needed: no
    count here reads more than COUNT_LIMIT + 1 rows). 'Many' is said the way the running Datasette says it."""
    cap = getattr(db, "count_limit", COUNT_LIMIT)
    counts = await db.execute_fn(partial(bounded_counts, limit=cap))
    many = cap + 1 if hasattr(db, "count_limit") else None
    return {name: (many if n is not None and n > cap else n) for name, n in counts.items()}


def bound(db):
    """Make the database page of `db` (an archive) count its tables this way: a mutable database only (Datasette
    counts an immutable one once, at startup)."""
    if db.is_mutable and not getattr(db, "_newstrace_counts", False):
        db.table_counts = partial(archive_table_counts, db)
        db._newstrace_counts = True
