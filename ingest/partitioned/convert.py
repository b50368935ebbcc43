"""Between the two forms of an archive: a single file split into a partitioned archive (one partition at a
time, or one task per partition on a cluster), and a partitioned archive merged back into one file.

Article ids, claims and their ids, versions and snapshots are kept; the full-text indexes are built again
by newstrace's own code (spaced CJK: store.rebuild_fts), never copied."""
import sqlite3
from pathlib import Path

from .. import store
from .layout import (UNDATED, Archive, open_partition, partition_key, wide_claim_firsts, wide_claim_samples,
                     wide_claim_sentences)
from .planner import apply_report, refresh_initiatives
from .writer import article_tables, partition_report

# the archive-wide tables copied as they are (claims and their traces, the log, reference data)
WIDE_COPY = ("claims", "claim_redirects", "claim_keys", "claim_state", "claim_edges", "claim_trace_state",
             "fetch_log", "countries", "initiatives", "initiative_redirects")
# bookkeeping a partition does not keep (the single-file tracer's incremental index): rebuilt after a merge
TRACER_INDEX = ("claim_blocks", "claim_block_df", "claim_features")


def _columns(conn, table, schema="main"):
    return [r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?, ?)", [table, schema])]


def _copy(conn, table, where="1", params=(), source="src", replace=False):
    "INSERT the rows of source.table matching `where` into main.table (the columns both have)."
    theirs = set(_columns(conn, table, source))
    columns = [c for c in _columns(conn, table) if c in theirs]
    if not columns:
        return 0
    names = ", ".join(f"[{c}]" for c in columns)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return conn.execute(f"{verb} INTO main.[{table}] ({names}) SELECT {names} FROM {source}.[{table}] WHERE {where}",
                        params).rowcount


def month_groups(source):
    "{partition key: [published_month values]} of a single-file archive."
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        months = [r[0] for r in conn.execute("SELECT DISTINCT published_month FROM articles")]
    finally:
        conn.close()
    groups = {}
    for month in months:
        groups.setdefault(partition_key(month), []).append(month)
    return groups


def split_partition(source, folder, key, months, archive_id=None):
    """Copy the articles of `months` (and every row of them) from the single file `source` into partition
    `key`, build its full-text indexes and summaries, and return its report (planner.apply_report)."""
    db = open_partition(folder, key, archive_id)
    conn = db.conn
    try:
        conn.execute("ATTACH DATABASE ? AS src", [str(source)])
        dated = [m for m in months if m is not None]
        where = " OR ".join((["published_month IN ({})".format(", ".join("?" * len(dated)))] if dated else [])
                            + (["published_month IS NULL"] if None in months else []))
        with conn:
            _copy(conn, "articles", where, dated)
            for table in article_tables(conn):
                if table in TRACER_INDEX or table == "summary_articles":
                    continue
                if table in {r[0] for r in conn.execute("SELECT name FROM src.sqlite_master WHERE type = 'table'")}:
                    _copy(conn, table, "article_id IN (SELECT id FROM main.articles)")
        conn.execute("DETACH DATABASE src")
        with conn:
            for table in ("articles", "claim_mentions"):
                store.rebuild_fts(db, table)
        store.rebuild_summaries(db)
        store.rebuild_facet_counts(db, "articles")
        store.optimize(db)
        return partition_report(db, key)
    finally:
        conn.close()


def split(source, folder, *, client=None, progress=None, resume=False):
    """A single-file archive `source` as a new partitioned archive in `folder`. With a Dask `client`, one
    task per partition. `resume`: finish a split that was stopped (the partitions whose reports reached the
    archive-wide database are kept, the others written again). Returns the Archive."""
    folder = Path(folder)
    source_name = str(Path(source).resolve())
    if folder.exists() and any(folder.iterdir()):
        if not resume:
            raise FileExistsError(f"{folder} exists and is not empty (--resume finishes a split that was stopped)")
        try:
            archive = Archive(folder)
        except FileNotFoundError:
            raise FileExistsError(f"{folder} is not empty and holds no partitioned archive to resume")
        if archive.info("split_from", source_name) != source_name:
            raise FileExistsError(f"{folder} was split from {archive.info('split_from')}, not {source_name}")
    else:
        archive = Archive(folder, create=True)
    with archive.wide.conn:
        archive.set_info("split_from", source_name)
    archive_id = archive.info("archive_id")
    groups = month_groups(source)
    done = {key for key, n in archive.wide.conn.execute("SELECT key, articles FROM partitions") if n}
    for key in groups:
        archive.register(key)
    todo = sorted((key, months) for key, months in groups.items() if key not in done)
    for key, _ in todo:
        # a partition the stopped run left half written (its report never arrived) is written again
        for suffix in ("", "-wal", "-shm"):
            Path(f"{archive.partition_file(key)}{suffix}").unlink(missing_ok=True)
    if progress:
        for key in sorted(done & set(groups)):
            progress({"key": key, "resumed": True})
    if client is not None:
        futures = [client.submit(split_partition, str(source), str(folder), key, months, archive_id, pure=False)
                   for key, months in todo]
        reports = (f.result() for f in futures)
    else:
        reports = (split_partition(source, folder, key, months, archive_id) for key, months in todo)
    for report in reports:
        apply_report(archive, report)
        if progress:
            progress(report)
    _copy_wide_from(archive, source)
    with archive.wide.conn:
        top = archive.wide.conn.execute("SELECT MAX(id) FROM article_index").fetchone()[0] or 0
        archive.set_info("next_article_id", top + 1)
        archive.set_info("traced", 1)
    _claim_partitions(archive)
    return archive


def _copy_wide_from(archive, source):
    conn = archive.wide.conn
    conn.execute("ATTACH DATABASE ? AS src", [str(source)])
    try:
        with conn:
            for table in WIDE_COPY:
                conn.execute(f"DELETE FROM main.[{table}]")
                _copy(conn, table, replace=True)
            store.rebuild_fts(archive.wide, "claims")
    finally:
        conn.execute("DETACH DATABASE src")
    store.rebuild_facet_counts(archive.wide, "claims")
    refresh_initiatives(archive)


def _claim_partitions(archive):
    wide_claim_firsts(archive.wide, archive.folder)
    wide_claim_samples(archive.wide, archive.folder)
    wide_claim_sentences(archive.wide, archive.folder)


def merge(folder, target, *, progress=None):
    """A partitioned archive as one new SQLite file `target`. Article ids are kept; the rows of other tables
    get new ids where partitions' ids collide. The tracer's bookkeeping is rebuilt (update_claims over the
    whole archive keeps every claim id)."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists")
    archive = Archive(folder)
    db = store.open_db(target)
    conn = db.conn
    for key, path in archive.partitions().items():
        conn.execute("ATTACH DATABASE ? AS src", [str(path)])
        try:
            with conn:
                offsets = {}
                tables = [t for t in article_tables(conn) if t not in TRACER_INDEX and t != "summary_articles"]
                _copy(conn, "articles")
                for table in tables:
                    if "id" in _columns(conn, table):
                        offsets[table] = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM main.[{table}]").fetchone()[0]
                for table in tables:
                    columns = [c for c in _columns(conn, table) if c in set(_columns(conn, table, "src"))]
                    picked = []
                    for c in columns:
                        if c == "id" and table in offsets:
                            picked.append(f"[id] + {int(offsets[table])}")
                        elif c == "snapshot_id":
                            picked.append(f"[snapshot_id] + {int(offsets.get('snapshots', 0))}")
                        else:
                            picked.append(f"[{c}]")
                    conn.execute("INSERT INTO main.[{}] ({}) SELECT {} FROM src.[{}]".format(
                        table, ", ".join(f"[{c}]" for c in columns), ", ".join(picked), table))
        finally:
            conn.execute("DETACH DATABASE src")
        if progress:
            progress(key)
    conn.execute("ATTACH DATABASE ? AS src", [str(archive.path)])
    try:
        with conn:
            for table in WIDE_COPY:
                conn.execute(f"DELETE FROM main.[{table}]")
                _copy(conn, table, replace=True)
    finally:
        conn.execute("DETACH DATABASE src")
    with conn:
        for table in ("articles", "claim_mentions", "claims"):
            store.rebuild_fts(db, table)
    store.rebuild_summaries(db)
    store.rebuild_facet_counts(db)
    store.refresh_initiative_counts(db)
    from ..claims import update_claims

    update_claims(db, None)
    store.optimize(db)
    archive.close()
    return db


__all__ = ["UNDATED", "split", "split_partition", "merge", "month_groups"]
