"""Full-text indexes kept by hand: each holds cjk.fts_text() of the values (spaced CJK), never the values
themselves, so it is written here and not by triggers or `sqlite-utils rebuild-fts`."""
from .cjk import fts_text
from .schema import FTS_TABLES


def fts_insert(db, table, rows):
    """Index `rows` ({id, column: value}). Inside a store.WriteGroup the entries are kept until the group
    commits (WriteGroup.defer_fts): FTS5 writes its pending entries out as a new segment at every statement
    savepoint, so a page's entries inserted with the page became one segment per page (and its merges), the
    largest part of storing a text-heavy page."""
    values = [[row["id"], *(fts_text(row.get(c)) for c in FTS_TABLES[table][1])] for row in rows]
    group = getattr(db, "_newstrace_write_group", None)
    if group is not None:
        group.defer_fts(table, values)
    else:
        insert_fts_values(db, table, values)


def insert_fts_values(db, table, values):
    "Index entries already in the index's form: [rowid, fts_text(column)...]."
    fts, columns = FTS_TABLES[table]
    sql = "INSERT INTO [{}](rowid, {}) VALUES (?, {})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    db.conn.executemany(sql, values)


def fts_delete(db, table, where, params):
    "Remove rows selected by `where` from the FTS index; must run before the rows themselves change."
    fts, columns = FTS_TABLES[table]
    rows = db.conn.execute(
        "SELECT id, {} FROM [{}] WHERE {}".format(", ".join(f"[{c}]" for c in columns), table, where), params
    ).fetchall()
    if not rows:
        return  # (write_derived asks for every page, new ones included)
    group = getattr(db, "_newstrace_write_group", None)
    if group is not None and group.holds_fts(table, {row[0] for row in rows}):
        group.flush_fts()  # an entry deleted must be in the index first
    sql = "INSERT INTO [{0}]([{0}], rowid, {1}) VALUES ('delete', ?, {2})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    db.conn.executemany(sql, [[row[0], *(fts_text(v) for v in row[1:])] for row in rows])


def clear_fts(db, table):
    fts, _ = FTS_TABLES[table]
    db.conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('delete-all')")


def rebuild_fts(db, table):
    """The index made again from the rows. Call it inside one transaction: readers then keep the old index
    until the new one is whole, never an empty one."""
    fts, columns = FTS_TABLES[table]
    clear_fts(db, table)
    cursor = db.conn.execute("SELECT id, {} FROM [{}]".format(", ".join(f"[{c}]" for c in columns), table))
    sql = "INSERT INTO [{}](rowid, {}) VALUES (?, {})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    while batch := cursor.fetchmany(1000):
        db.conn.executemany(sql, [[row[0], *(fts_text(v) for v in row[1:])] for row in batch])


def fts_in_sync(db, table):
    """Whether the index holds exactly one entry per row of `table` (what record_page and write_derived
    keep). An index emptied or left behind by hand is not, and deleting from it would corrupt it."""
    fts, _ = FTS_TABLES[table]
    indexed = db.conn.execute(f"SELECT COUNT(*) FROM [{fts}_docsize]").fetchone()[0]
    rows = db.conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
    if indexed != rows:
        return False
    return not db.conn.execute(f"SELECT 1 FROM [{fts}_docsize] d WHERE NOT EXISTS "
                               f"(SELECT 1 FROM [{table}] t WHERE t.id = d.id) LIMIT 1").fetchone()
