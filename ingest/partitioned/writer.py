"""Writing pages into one partition (on a Dask worker, or wherever the partition file is): each page through
store.record_page, as a single-file ingest stores it, then given the archive's article id, both in one
transaction. Idempotent: a page this plan already wrote (a retried task, a re-run after a kill) is
recognised by its URL and left as it is."""
import time

from .. import store
from ..store.fts_check import repair_fts
from .layout import COUNTRY_INITIATIVES_SQL, PARTITIONED_SUMMARIES, ROLES_SQL, evidence_articles, open_partition

INDEX_SQL = """
SELECT id, url, final_url, canonical_url, content_hash, duplicate_of, COALESCE(sitename, hostname) AS outlet,
       published, published_month, language, title
FROM articles WHERE id IN ({ids})
"""
INDEX_COLUMNS = ("id", "url", "final_url", "canonical_url", "content_hash", "duplicate_of", "outlet", "published",
                 "published_month", "language", "title")


class _Joined:
    """A connection whose `with` blocks join the transaction already open (store.record_page commits its
    own; here the page and its new id must commit together)."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _JoinedDb:
    def __init__(self, db):
        self.conn = _Joined(db.conn)
        self._db = db

    def __getitem__(self, name):
        return self._db[name]


def article_tables(conn):
    "Tables with an article_id column (their rows follow an article that gets its archive id)."
    out = []
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                "AND sql NOT LIKE 'CREATE VIRTUAL%'"):
        if any(r[1] == "article_id" for r in conn.execute("SELECT * FROM pragma_table_info(?)", [name])):
            out.append(name)
    return out


def move_article(db, old_id, new_id, tables):
    "Give an article (and every row of it) another id, its full-text entry included."
    store.fts_delete(db, "articles", "id = ?", [old_id])
    db.conn.execute("UPDATE articles SET id = ? WHERE id = ?", [new_id, old_id])
    for table in tables:
        db.conn.execute(f"UPDATE [{table}] SET article_id = ? WHERE article_id = ?", [new_id, old_id])
    title, text = db.conn.execute("SELECT title, text FROM articles WHERE id = ?", [new_id]).fetchone()
    store.fts_insert(db, "articles", [{"id": new_id, "title": title, "text": text}])


def write_page(db, plan, result, tables):
    """Store one extracted page under its plan ({article_id, duplicate_of, new}). Returns
    {position, outcome, article_id} (outcome 'failed' with stage/error_class/message when it could not)."""
    task = result["task"]
    conn = db.conn
    try:
        with conn:
            outcome, article_id = store.record_page(_JoinedDb(db), task, result["fetched"], result["page"],
                                                    result["derived"])
            if outcome == "new" and article_id != plan["article_id"]:
                move_article(db, article_id, plan["article_id"], tables)
                article_id = plan["article_id"]
            if outcome == "new":
                conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [plan["duplicate_of"], article_id])
            elif plan["new"] and article_id == plan["article_id"]:
                outcome = "new"  # written by an earlier try of this task
    except Exception as err:  # the page's transaction rolled back; the batch goes on
        return {"position": plan["position"], "outcome": "failed", "article_id": None, "stage": "store",
                "error_class": type(err).__name__, "message": f"Could not store the page: {err}"}
    return {"position": plan["position"], "outcome": outcome, "article_id": article_id}


def write_partition(folder, key, archive_id, plans, *results, after=None):
    """Write a batch's pages of partition `key` (plans and results in the same order). `after`: the previous
    write of this partition (a Dask future passed only so that writes of one file never overlap)."""
    db = open_partition(folder, key, archive_id)
    try:
        repair_fts(db)  # an index some other tool rebuilt from the unspaced text
        tables = article_tables(db.conn)
        started = time.perf_counter()
        pages = [write_page(db, plan, result, tables) for plan, result in zip(plans, results)]
        report = partition_report(db, key, [p["article_id"] for p in pages if p["article_id"] is not None])
        report["pages"] = pages
        report["seconds"] = time.perf_counter() - started
        return report
    finally:
        db.conn.close()


def partition_report(db, key, article_ids=None):
    """What the archive-wide database keeps of a partition: its summaries (whole), the index rows of
    `article_ids` (None: every article), its size and months."""
    conn = db.conn
    report = {"key": key, "summaries": {}}
    for table in PARTITIONED_SUMMARIES:
        cursor = conn.execute(f"SELECT * FROM [{table}]")
        report["summaries"][table] = ([d[0] for d in cursor.description], cursor.fetchall())
    report["claimed"] = conn.execute("SELECT initiative_id, MAX(claimed), COUNT(*) FROM initiative_claimed_counts "
                                     "GROUP BY initiative_id").fetchall()
    report["roles"] = conn.execute(ROLES_SQL).fetchall()
    report["country_initiatives"] = conn.execute(COUNTRY_INITIATIVES_SQL).fetchall()
    report["country_articles"], report["initiative_articles"] = evidence_articles(conn)
    report["articles"], report["first_month"], report["last_month"] = conn.execute(
        "SELECT COUNT(*), MIN(published_month), MAX(published_month) FROM articles").fetchone()
    if article_ids is None:
        rows = conn.execute(INDEX_SQL.format(ids="SELECT id FROM articles")).fetchall()
    else:
        rows = []
        ids = sorted(set(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += conn.execute(INDEX_SQL.format(ids=", ".join("?" * len(chunk))), chunk).fetchall()
    report["index"] = rows
    return report
