"""The archive file: opened (and brought up to the current schema), rows written with prepared statements,
raw responses hashed and compressed, statistics gathered and space given back."""
import contextlib
import hashlib
import json
import re
import time
import zlib

import sqlite_utils

from .schema import ADDED_COLUMNS, FACETS, FTS_TABLES, INITIATIVE_TOTALS_SCHEMA, ROLE_COUNTS_SCHEMA, SCHEMA
from .summaries import ROLE_COUNTS_REBUILD_SQL, ensure_summaries, rebuild_facet_counts, rebuild_initiative_totals


def open_db(path, extra_schema="", say=None):
    """The archive at `path`, created or brought up to the current schema (plus `extra_schema`, in the same step):
    added columns filled in, summaries and facet counts an older newstrace or a bulk loader left missing, stale or
    empty rebuilt (`say(text)` is told before a long rebuild)."""
    db = sqlite_utils.Database(path)
    # WAL lets a Datasette server read while an ingest writes; NORMAL sync is safe under WAL
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    missing = [table for table in FACETS if not db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", [f"{table}_facet_counts"]).fetchone()]
    untracked = not db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_trace_pending'").fetchone()
    migrate(db.conn)
    ensure_schema(db.conn, SCHEMA + extra_schema)
    if untracked and db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_mentions'").fetchone():
        # an archive from before the tracer's to-do list: mentions a killed run left unlinked are traced next
        with db.conn:
            db.conn.execute("INSERT OR IGNORE INTO claim_trace_pending(article_id) "
                            "SELECT DISTINCT article_id FROM claim_mentions WHERE claim_id IS NULL")
    for table in missing:  # an archive written before this summary existed
        if db.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            rebuild_facet_counts(db, table)
    load_reference_data(db)
    ensure_summaries(db, say)
    return db


_CREATED = re.compile(r"CREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER)\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.I)
_CREATED_INDEX = re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.I)
_DROPPED = re.compile(r"DROP\s+(?:TABLE|INDEX|TRIGGER)\s+IF\s+EXISTS\s+(\w+)", re.I)


def ensure_schema(conn, text=SCHEMA):
    """The archive's tables, indexes and triggers (`text`: schema.SCHEMA), written only when something is missing, and
    then in one transaction. Readers (Datasette, a search) must not see a schema changing under them: a
    statement parsed against one schema while the next DDL statement commits fails in the full-text
    index's constructor ('vtable constructor failed: articles_fts'), so an archive that has everything is
    not written at all, and a new one goes from no tables to all of them at once (issue 15)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if set(_CREATED.findall(text)) <= names and not names & set(_DROPPED.findall(text)):
        return False
    # an index added to an archive that has statistics (newstrace optimize) gets its own at once, in the same
    # transaction: without them the planner takes it for very selective and may prefer it to a covering index
    # (idx_participation_country_article over idx_participation_map for a country's initiatives: a table row read for
    # each of thousands of evidence rows). ANALYZE of one index reads that index only, and keeps the tables' sizes.
    analyze = "".join(f"ANALYZE [{name}];\n" for name in dict.fromkeys(_CREATED_INDEX.findall(text))
                      if name not in names) if "sqlite_stat1" in names else ""
    conn.executescript("BEGIN IMMEDIATE;\n" + text + "\n" + analyze + "COMMIT;")
    return True


def migrate(conn, backfills=None):
    """An archive written by an older newstrace gets the columns added since (schema.ADDED_COLUMNS), filled in, the
    initiative totals (schema.INITIATIVE_TOTALS_SCHEMA) counted from its summaries and the map's country_role_counts
    from its participation rows.
    `backfills` {(table, column): statement or None}: other statements for some (None: left empty, the caller
    fills them — a partitioned archive's archive-wide database has no articles to fill them from). Returns the
    (table, column) added."""
    added = []
    for table, column, declaration, backfill in ADDED_COLUMNS:
        columns = {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])}
        if columns and column not in columns:
            backfill = (backfills or {}).get((table, column), backfill)
            with conn:
                conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {declaration}")
                if backfill:
                    conn.execute(backfill)
            added.append((table, column))
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if {"initiative_month_counts", "initiative_country_counts"} <= names and not (
            set(_CREATED.findall(INITIATIVE_TOTALS_SCHEMA)) <= names):
        conn.executescript("BEGIN IMMEDIATE;\n" + INITIATIVE_TOTALS_SCHEMA + "\nCOMMIT;")
        with conn:
            rebuild_initiative_totals(conn)
    if {"summary_articles", "participation"} <= names and "country_role_counts" not in names:
        # the map's roles summary, counted from the rows under the months and languages the summaries use
        conn.executescript("BEGIN IMMEDIATE;\n" + ROLE_COUNTS_SCHEMA + "\n" + ROLE_COUNTS_REBUILD_SQL + ";\nCOMMIT;")
    return added


def load_reference_data(db):
    """Countries and initiatives from the data files (the shipped catalogue and the user's
    initiatives.json); re-run by reextract after users edit them."""
    from ..countries import gazetteer
    from ..initiatives.catalogue import known, user_initiatives

    user_kinds = {i["id"]: i.get("kind") for i in user_initiatives()}
    with db.conn:
        upsert(db.conn, "countries", gazetteer.country_rows(), "code")
        rows = [
            {
                "id": item["id"],
                "name_en": item.get("name_en"),
                "name_zh": item.get("name_zh"),
                "aliases": json.dumps(list(dict.fromkeys((item.get("acronyms") or []) + (item.get("aliases") or []))),
                                      ensure_ascii=False),
                "kind": user_kinds.get(item["id"]) or item.get("kind"),
                "successor_of": item.get("successor_of"),
                "description": item.get("description"),
                "source": item["source"],
                "parent": item.get("parent"),
                "parties": json.dumps(item.get("parties") or []),
                "members": json.dumps(item.get("members") or []),
                "members_as_of": item.get("members_as_of"),
                "members_source": item.get("members_source"),
            }
            for item in known().values()
        ]
        upsert(db.conn, "initiatives", rows, "id")


def upsert(conn, table, rows, pk):
    """Insert `rows` (dicts), or update the columns they carry where `pk` exists. Plain SQL, not sqlite-utils'
    upsert_all: that one first probes the database for ON CONFLICT support by creating and dropping a table,
    a schema change on every run that a reader's full-text search can fail on (issue 15)."""
    rows = list(rows)
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    sql = "INSERT INTO [{}] ({}) VALUES ({}) ON CONFLICT([{}]) DO UPDATE SET {}".format(
        table, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns), pk,
        ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk))
    conn.executemany(sql, [[row.get(c) for c in columns] for row in rows])


class TransactionLost(RuntimeError):
    """SQLite rolled back a write group's whole transaction (a full disk, an I/O error) while one page was written:
    the pages written before it in the group are gone too, so the batch must stop (a re-run writes them)."""


class WriteGroup:
    """Consecutive pages of a batch written in one transaction, each in its own savepoint (store.atomic): a
    failed page rolls back alone and the batch goes on, a killed run still leaves whole pages only (it loses
    at most the group's pages, which a re-run writes again).

    Why: a commit per page (two, with its fetch_log row) rewrote the same B-tree pages each time, and FTS5
    wrote its pending entries out as a new segment (then merged them) at every commit and at every statement
    savepoint; together a third of the store stage on the evaluation pages. So the group's full-text entries
    are kept (fts.fts_insert) and inserted at its commit. It commits after `pages` pages or `seconds` since its
    first write, whichever comes first, and whenever the batch calls commit() before waiting for the network
    or a worker: readers see new pages within about that, and the write lock is not held while nothing is
    written."""

    def __init__(self, db, pages=100, seconds=0.5):
        self.db, self.pages, self.seconds = db, pages, seconds
        self.written, self.opened = 0, None
        self.fts = []  # [(table, [rowid, indexed values...])]: the group's full-text entries, written at commit

    def __enter__(self):
        self.db._newstrace_write_group = self
        return self

    def __exit__(self, *exc):
        # also on an error or an interrupt: the pages written so far are whole (a page that failed midway
        # was rolled back to its savepoint)
        try:
            self.commit()
        finally:
            del self.db._newstrace_write_group
        return False

    def begin(self):
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        if self.opened is None:
            self.opened = time.monotonic()

    def page_done(self, now=False):
        "After a page (and its log row) is written: commit if the group is full or old enough (or `now`)."
        self.written += 1
        if now or self.written >= self.pages or (
                self.opened is not None and time.monotonic() - self.opened >= self.seconds):
            self.commit()

    def defer_fts(self, table, values):
        self.fts.append((table, values))

    def holds_fts(self, table, rowids):
        "Whether entries of `table` for any of `rowids` are kept, not yet written."
        return any(t == table and any(v[0] in rowids for v in values) for t, values in self.fts)

    def flush_fts(self):
        "The full-text entries kept so far, written now (in the transaction, in the order they came)."
        from .fts import insert_fts_values

        by_table = {}
        for table, values in self.fts:
            by_table.setdefault(table, []).extend(values)
        self.fts = []
        for table, values in by_table.items():
            insert_fts_values(self.db, table, values)

    def commit(self):
        conn = self.db.conn
        if self.fts:
            self.begin()
            try:
                self.flush_fts()
            except BaseException:
                # pages without their search entries must not be committed: the group is lost, whole
                conn.rollback()
                self.written, self.opened = 0, None
                raise
        if conn.in_transaction:
            conn.commit()
        self.written, self.opened = 0, None


@contextlib.contextmanager
def atomic(db):
    """One page's writes, whole or not at all: its own transaction (`with db.conn`), or inside a WriteGroup a
    savepoint in the group's transaction."""
    group = getattr(db, "_newstrace_write_group", None)
    if group is None:
        with db.conn:
            yield
        return
    conn = db.conn
    group.begin()
    # the full-text entries kept before this page: a page rolled back takes its own entries with it, and
    # those an fts_delete wrote out during it (rolled back too) are kept again
    kept = list(group.fts)
    conn.execute("SAVEPOINT newstrace_page")
    try:
        yield
    except BaseException:
        if not conn.in_transaction:
            group.fts = []
            raise TransactionLost("SQLite rolled back the transaction of the pages being written; stopping "
                                  "(run the same command again to write them).")
        conn.execute("ROLLBACK TO newstrace_page")
        conn.execute("RELEASE newstrace_page")
        group.fts = kept
        raise
    conn.execute("RELEASE newstrace_page")


def insert(db, table, row):
    "One row with a prepared statement: the hot path skips sqlite-utils' per-call table introspection."
    cursor = db.conn.execute(
        "INSERT INTO [{}] ({}) VALUES ({})".format(table, ", ".join(f"[{c}]" for c in row), ", ".join("?" * len(row))),
        list(row.values()),
    )
    return cursor.lastrowid


def insert_many(db, table, rows):
    rows = list(rows)
    if rows:
        columns = list(rows[0])
        db.conn.executemany(
            "INSERT INTO [{}] ({}) VALUES ({})".format(table, ", ".join(f"[{c}]" for c in columns),
                                                      ", ".join("?" * len(columns))),
            [[r[c] for c in columns] for r in rows],
        )


def update(db, table, row_id, values):
    db.conn.execute(
        "UPDATE [{}] SET {} WHERE id = ?".format(table, ", ".join(f"[{c}] = ?" for c in values)),
        [*values.values(), row_id],
    )


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def content_hash(text):
    # trafilatura's simhash fingerprint cannot see edits in Chinese text; hash the normalised text instead
    return hashlib.sha256(" ".join((text or "").split()).encode("utf-8")).hexdigest()


def compress(body):
    # level 3: within 10 % of level 6's size at less than half its time (measured on the eval pages)
    return zlib.compress(body, 3)


def decompress(blob):
    return zlib.decompress(blob) if blob is not None else b""


def compact(db):
    "Each full-text index merged into one segment (FTS5 'optimize'), then VACUUM."
    names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    with db.conn:
        for fts_table, _ in FTS_TABLES.values():
            if fts_table not in names:
                continue
            db.conn.execute(f"INSERT INTO [{fts_table}] ([{fts_table}]) VALUES ('optimize')")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("VACUUM")


def optimize(db, sample=400):
    """ANALYZE, then give the query planner each table's real average row size (a `sz=N` argument in
    sqlite_stat1, https://www.sqlite.org/fileformat2.html#stat1tab). SQLite otherwise guesses the size
    from the declared column types — a few bytes for TEXT — and at a million articles it looked up the
    10 KB article rows instead of the covering index of their short columns (a search matching 30 %:
    count 424 -> 137 ms, a facet 506 -> 199 ms; bench/RESULTS.md). ANALYZE alone rewrites the statistics
    without the sizes, so run this instead of it. Returns {table: average bytes}."""
    import random

    conn = db.conn
    conn.execute("ANALYZE")
    virtual = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' AND sql NOT LIKE '%WITHOUT ROWID%'")
        if not any(row[0].startswith(v + "_") for v in virtual)]  # FTS5's own tables
    sizes = {}
    rng = random.Random(0)
    with conn:
        for table in tables:
            columns = [row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])]
            top = conn.execute(f"SELECT MAX(rowid) FROM [{table}]").fetchone()[0]
            if not top or not columns:
                continue
            # bytes of every value plus SQLite's record header and cell overhead (about 1 + 1 per column)
            width = " + ".join(f"COALESCE(LENGTH(CAST([{c}] AS BLOB)), 0)" for c in columns) + f" + {len(columns) + 4}"
            seen = [conn.execute(f"SELECT {width} FROM [{table}] WHERE rowid >= ? ORDER BY rowid LIMIT 1",
                                 [rng.randint(1, top)]).fetchone() for _ in range(sample)]
            seen = [row[0] for row in seen if row]
            if not seen:
                continue
            size = max(2, round(sum(seen) / len(seen)))
            stat = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND idx IS NOT NULL LIMIT 1",
                                [table]).fetchone()
            rows = int(stat[0].split()[0]) if stat else conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
            conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx IS NULL", [table])
            conn.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ?)", [table, f"{rows} sz={size}"])
            sizes[table] = size
    conn.execute("ANALYZE sqlite_master")  # this connection reloads the statistics
    return sizes
