"""`newstrace reextract`: derive everything again from the stored raw responses, without network."""
import functools
import multiprocessing

from tqdm import tqdm

from .. import store
from ..claims.trace.update import DEFAULT_MATCHER
from .worker import cause, process_body

LATEST_SNAPSHOTS = """
SELECT a.id, s.url, s.http_status, s.content_type, s.body, s.fetched_at, a.published
FROM articles a
JOIN snapshots s ON s.id = (
    SELECT id FROM snapshots WHERE article_id = a.id AND version = a.version ORDER BY id DESC LIMIT 1
)
ORDER BY a.id
"""

VERSION_SNAPSHOTS = """
SELECT v.id, v.article_id, v.version, s.url, s.content_type, s.body
FROM article_versions v JOIN snapshots s ON s.id = v.snapshot_id
"""

REMARK_DUPLICATES = """
UPDATE articles SET duplicate_of = (
    SELECT MIN(other.id) FROM articles other
    WHERE other.content_hash = articles.content_hash AND other.id < articles.id
)
"""


def _work(row, timeout=30.0):
    article_id, url, status, content_type, blob, fetched_at, published = row
    # the date stored before (perhaps a feed's pubDate) stands when the page itself gives none
    try:
        fetched = {"url": url, "final_url": url, "status": status, "content_type": content_type,
                   "body": store.decompress(blob), "fetched_at": fetched_at, "listed_date": published}
        return article_id, process_body(fetched, {"extract_timeout": timeout}), None
    except Exception as err:  # the article keeps what it had; the cause is logged as ingest logs it
        return article_id, None, cause(err)


def reextract_all(db, *, workers=1, progress=True, matcher=DEFAULT_MATCHER, timeout=30.0):
    """Every article derived again from its latest raw response, one transaction per article: its row, its
    search entries and derived rows change together, so readers never find the index empty and a killed
    run leaves a whole archive (run it again to finish)."""
    store.load_reference_data(db)
    total = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    # a second connection streams the snapshots while the first one writes
    reader = store.open_db(db.conn.execute("PRAGMA database_list").fetchone()[2])
    cursor = reader.conn.execute(LATEST_SNAPSHOTS)
    updated = failed = 0
    ids = set()
    for table in ("articles", "claim_mentions"):
        if not store.fts_in_sync(db, table):
            # each article's entries are replaced below; an index that does not match the rows is made
            # whole first, in one transaction (readers keep the old one until it commits)
            with db.conn:
                store.rebuild_fts(db, table)
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    work = functools.partial(_work, timeout=timeout)
    bar = tqdm(total=total, unit="article", disable=not progress)
    # rows are read here and handed to the workers a chunk at a time: sqlite objects stay in this thread
    while chunk := cursor.fetchmany(64):
        for article_id, result, error in (pool.map(work, chunk) if pool else map(work, chunk)):
            bar.update(1)
            if error:
                failed += 1
                stage, error_class, message, _ = error
                store.log_fetch(db, url=None, source="reextract", outcome="failed", stage=stage,
                                error_class=error_class, message=message, article_id=article_id)
                continue
            store.update_article_text(db, article_id, result["page"], result["derived"])
            ids.add(article_id)
            updated += 1
    bar.close()
    if pool:
        pool.close()
        pool.join()
    failed += _reextract_versions(db, reader, timeout)
    with db.conn:
        db.conn.execute(REMARK_DUPLICATES)
    from .batch import finish_batch

    finish_batch(db, ids, matcher=matcher)
    return {"updated": updated, "failed": failed}


def _reextract_versions(db, reader, timeout=30.0):
    """The text of each earlier version again from its snapshot. One that fails keeps its text and gets a
    fetch_log row (an unexpected error too: a damaged snapshot stops only itself, not the run). Returns how
    many failed."""
    from ..acquire import decode_body
    from ..extract import extract_page

    failed = 0
    for version_id, article_id, version, url, content_type, blob in reader.conn.execute(VERSION_SNAPSHOTS):
        try:
            html, _ = decode_body(store.decompress(blob), content_type)
            page = extract_page(html, url, timeout=timeout)
        except Exception as err:
            failed += 1
            stage, error_class, message, _ = cause(err)
            store.log_fetch(db, url=url, source="reextract", outcome="failed", stage=stage, error_class=error_class,
                            message=f"Version {version} kept its text: {message}", article_id=article_id)
            continue
        with db.conn:
            db["article_versions"].update(
                version_id, {"title": page.get("title"), "text": page["text"],
                             "content_hash": store.content_hash(page["text"])}
            )
    return failed
