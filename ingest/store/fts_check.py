"""The guard of the spaced-CJK full-text indexes: `sqlite-utils rebuild-fts` (or FTS5's own 'rebuild')
re-reads the stored text, whose Chinese is not spaced, and silently leaves an index where 稀土 is found
only as a whole run of characters: broken_fts tells (a few lookups), repair_fts builds the index again
with newstrace's own code."""
import re

from .cjk import _CJK, fts_query
from .fts import rebuild_fts
from .schema import FTS_TABLES

_CJK_RUN = re.compile(f"[{_CJK}]{{2,6}}")
# rows looked at for Chinese, Japanese or Korean text to check the index with, per table
SAMPLE = 2000
SAMPLES_SQL = {
    "articles": "SELECT id, title, text FROM articles WHERE language IN ('zh', 'ja', 'ko') LIMIT 20",
    "claim_mentions": "SELECT id, sentence FROM claim_mentions WHERE lang IN ('zh', 'ja', 'ko') LIMIT 20",
}


def _samples(conn, table, columns):
    "(rowid, a run of CJK characters in the row) for a few rows with one."
    rows = conn.execute(SAMPLES_SQL[table]).fetchall() if table in SAMPLES_SQL else []
    if not rows:
        rows = conn.execute("SELECT id, {} FROM [{}] LIMIT ?".format(", ".join(f"[{c}]" for c in columns), table),
                            [SAMPLE]).fetchall()
    found = []
    for row in rows:
        for value in row[1:]:
            m = _CJK_RUN.search(value or "")
            if m:
                found.append((row[0], m.group(0)))
                break
        if len(found) >= 3:
            break
    return found


def broken_fts(conn):
    """The newstrace tables (articles, claims, claim_mentions) whose full-text index was not built by
    newstrace, for an open sqlite3 connection; [] when every index is sound. A few rows holding Chinese (or
    Japanese, Korean) text are looked up by a run of their characters, as a search for it would: the spaced
    index finds them, an index of the unspaced text does not."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    broken = []
    for table, (fts, columns) in FTS_TABLES.items():
        if table not in names or fts not in names:
            continue
        for rowid, run in _samples(conn, table, columns):
            if conn.execute(f"SELECT 1 FROM [{fts}] WHERE [{fts}] MATCH ? AND rowid = ?",
                            [fts_query(run), rowid]).fetchone() is None:
                broken.append(table)
                break
    return broken


def repair_fts(db, tables=None):
    "Rebuild the given (default: the broken) indexes with the spaced-CJK text; returns the tables rebuilt."
    tables = broken_fts(db.conn) if tables is None else list(tables)
    if tables:
        with db.conn:
            for table in tables:
                rebuild_fts(db, table)
    return tables
