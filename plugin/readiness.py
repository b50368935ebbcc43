"""Whether an archive is ready for a page: its schema has what the page reads (an archive written by an older
newstrace answers 503 with the command that upgrades it, never a 500), and its summary tables are current
(when they are not — never built, emptied, or missing the articles a bulk loader added — the pages count
from the rows instead, and say so)."""
import sqlite3
import weakref
from functools import lru_cache
from pathlib import Path

from datasette.views.base import DatasetteError

from newstrace.ingest.store.schema import SCHEMA
from newstrace.ingest.store.summaries import SUMMARY_STATE_SQL, summaries_current

COLUMNS_SQL = """
SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name IN ({tables})
"""
# the summary tables the country and initiative pages read
SUMMARIES = ("summary_articles", "country_month_counts", "country_surface_counts", "initiative_month_counts",
             "initiative_country_counts")


@lru_cache(maxsize=1)
def schema_columns():
    "{table: [columns]} of the current schema, read from SCHEMA itself (an in-memory database)."
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(SCHEMA)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", [t])] for t in tables}
    finally:
        conn.close()


def federated(db):
    "A partitioned archive (plugin/federated.py): written by this newstrace's `newstrace partition`."
    return hasattr(db, "partitions")


def upgrade_command(db):
    if federated(db):  # the partitioned archive's folder (`newstrace optimize` upgrades every file of it)
        path = getattr(db.wide, "path", None)
        return f"newstrace optimize {Path(path).parent.name if path else 'ARCHIVE'}/"
    name = Path(db.path).name if getattr(db, "path", None) else "ARCHIVE.db"
    return f"newstrace optimize {name}"


# (Database, table) found at the current schema: a schema only moves forward, so asked once a server
_current = weakref.WeakKeyDictionary()


async def _lacks(db, names, own=None):
    """(missing tables, missing "table.column") of `names` in one Database; `own`: the tables that this file
    must hold (others it may lack: a partitioned archive keeps each table in one kind of file)."""
    wanted = schema_columns()
    done = _current.setdefault(db, set())
    names = [t for t in names if t in wanted and t not in done]
    if not names:
        return [], []
    found = {}
    for row in (await db.execute(COLUMNS_SQL.format(tables=", ".join("?" for _ in names)), names)).rows:
        found.setdefault(row["tbl"], set()).add(row["col"])
    missing = [t for t in names if t not in found and (own is None or t in own)]
    columns = [f"{t}.{c}" for t in names if t in found for c in wanted[t] if c not in found[t]]
    done.update(t for t in names if t not in missing and not any(c.startswith(t + ".") for c in columns))
    return missing, columns


async def schema_lacks(db, tables):
    """(missing tables, missing columns) of `tables` in the archive: a single file, or every file of a
    partitioned one — the archive-wide database for the tables it keeps, every partition for the rest and for
    the reference tables both have (a partition not yet upgraded answers as an old archive)."""
    if not federated(db):
        return await _lacks(db, tables)
    from newstrace.ingest.partitioned.layout import PARTITIONED_SUMMARIES, WIDE_TABLES

    on_wide = set(WIDE_TABLES) | set(PARTITIONED_SUMMARIES)
    missing, columns = await _lacks(db.wide, [t for t in tables if t in on_wide], on_wide)
    for part in db.partitions.values():
        more, cols = await _lacks(part, tables, set(schema_columns()) - (on_wide - {"countries", "initiatives"}))
        missing += [t for t in more if t not in missing]
        columns += [c for c in cols if c not in columns]
    return missing, columns


async def require_schema(db, tables, page):
    """Raises a 503 naming what `tables` lack in this archive (tables, columns of the current schema) and the
    command that adds them; nothing when the archive has them all."""
    missing, columns = await schema_lacks(db, tables)
    if not missing and not columns:
        return
    parts = ([f"the table{'s' if len(missing) > 1 else ''} {', '.join(missing)}"] if missing else []) + (
        [f"the column{'s' if len(columns) > 1 else ''} {', '.join(columns)}"] if columns else [])
    command = upgrade_command(db)
    raise DatasetteError(
        f"This archive was written by an older newstrace: it lacks {' and '.join(parts)}, which the {page} "
        f"reads. Run `{command}` (any newstrace command brings an archive up to date; the archive keeps every "
        f"row), then reload this page.",
        title="This archive needs upgrading", status=503,
        error_dict={"missing_tables": missing, "missing_columns": columns, "command": command})


async def has_column(db, table, column):
    "Whether `table` has `column` (an archive from before it was added has not; a partitioned one: in every file)."
    if federated(db):
        missing, columns = await schema_lacks(db, [table])
        return table not in missing and f"{table}.{column}" not in columns
    return bool((await db.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", [table, column])).rows)


async def summaries_state(db):
    """{"current": bool, "built", "counted_up_to", "newest_article", "message", "command"}: whether the summary
    tables may be read; when they were last built (UTC, None if not recorded); the newest article id they count
    and the archive's newest; when not current, what the page did instead ("message") and the command to run."""
    if federated(db):  # `newstrace partition` and its ingests keep the archive-wide summaries
        return {"current": True, "built": None, "counted_up_to": None, "newest_article": None, "message": None,
                "command": None}
    present = {r[0] for r in (await db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('summary_state', 'summary_articles')")).rows}
    if present == {"summary_state", "summary_articles"}:
        version, built, counted, newest = (await db.execute(SUMMARY_STATE_SQL)).first()
    else:
        version = built = counted = None
        newest = (await db.execute("SELECT MAX(id) FROM articles")).first()[0]
    current = "summary_articles" in present and summaries_current(version, counted, newest)
    message = command = None
    if not current:
        command = upgrade_command(db)
        why = ("were never built" if counted is None else
               f"count the articles up to id {counted:,} of {newest:,}" if newest and counted < newest else
               "were built by an older newstrace" if counted == newest else "are stale")
        message = (f"The summary tables of this archive {why}: the counts below are computed from the rows, "
                   f"which is slow on a large archive. Run `{command}` to build them.")
    return {"current": current, "built": built, "counted_up_to": counted, "newest_article": newest,
            "message": message, "command": command}
