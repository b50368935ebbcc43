"""The partitioned archive on disk: a folder of SQLite files that one Datasette serves as one archive.

    news/news.db            the archive-wide database: what spans articles (claims and their traces,
                            initiatives, countries, summaries and facet counts of every partition, the
                            article index that routes an article id or URL to its partition, fetch_log)
    news/news-2026-03.db    one partition per month of publication ('undated' for articles without a
                            date): articles, snapshots, versions, their claim/country/participation rows
                            and full-text indexes, in the single-file schema (its cross-article tables
                            stay empty)

Article ids are the archive's (one counter, kept in the archive-wide database); the ids of a
partition's other rows are the partition's own.
"""
import datetime
import functools
import hashlib
import json
import re
import uuid
from pathlib import Path

import sqlite_utils

from .. import store
from ..store import schema

FORMAT = 1
UNDATED = "undated"
MONTH = re.compile(r"^\d{4}-\d{2}$")

# the tables of store.schema that live in the archive-wide database, as they are in a single file
WIDE_TABLES = ("fetch_log", "claims", "claim_redirects", "claim_keys", "claim_state", "claim_edges",
               "claim_trace_state", "claims_fts", "countries", "initiatives", "initiative_redirects")
# summary tables of the partitions, kept in the archive-wide database with a `partition` column (the
# country and initiative pages SUM them over partitions exactly as they SUM them over months)
PARTITIONED_SUMMARIES = tuple(t for t in store.SUMMARY_TABLES if t != "summary_articles") + ("articles_facet_counts",)

WIDE_SCHEMA = """
CREATE TABLE IF NOT EXISTS archive_info (
    name TEXT PRIMARY KEY,
    value
);
-- one row per partition file (file: its name beside this database)
CREATE TABLE IF NOT EXISTS partitions (
    key TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    first_month TEXT,
    last_month TEXT,
    updated TEXT
);
-- every article: its partition, and what finds it again (URLs, content hash for republished copies)
CREATE TABLE IF NOT EXISTS article_index (
    id INTEGER PRIMARY KEY,
    partition TEXT NOT NULL,
    url TEXT,
    final_url TEXT,
    canonical_url TEXT,
    content_hash TEXT,
    duplicate_of INTEGER,
    outlet TEXT,
    published TEXT,
    published_month TEXT,
    language TEXT,
    title TEXT
);
CREATE INDEX IF NOT EXISTS idx_article_index_url ON article_index(url);
CREATE INDEX IF NOT EXISTS idx_article_index_final_url ON article_index(final_url);
CREATE INDEX IF NOT EXISTS idx_article_index_canonical_url ON article_index(canonical_url);
CREATE INDEX IF NOT EXISTS idx_article_index_content_hash ON article_index(content_hash, duplicate_of, id);
CREATE INDEX IF NOT EXISTS idx_article_index_partition ON article_index(partition);
-- which partitions hold a claim's mentions (the claim page reads only those); first_articles: the claim's first
-- FIRST_ARTICLES articles in the partition (a JSON array of ids, ascending), so that the articles sharing a claim
-- are found here without asking every partition that holds it
CREATE TABLE IF NOT EXISTS claim_partitions (
    claim_id INTEGER NOT NULL,
    partition TEXT NOT NULL,
    n INTEGER NOT NULL,
    first_articles TEXT,
    PRIMARY KEY (claim_id, partition)
) WITHOUT ROWID;
-- for each claim with more mentions than a claim page samples (CLAIM_SAMPLE, archive_info 'claim_sample'), how many
-- of its first CLAIM_SAMPLE mentions in article order (plugin/claims.py SAMPLE_ORDER) each partition holds: the page
-- reads exactly those in each partition, in the same visit as the claim's counts (a partition holding none: no row)
CREATE TABLE IF NOT EXISTS claim_samples (
    claim_id INTEGER NOT NULL,
    partition TEXT NOT NULL,
    sampled INTEGER NOT NULL,
    PRIMARY KEY (claim_id, partition)
) WITHOUT ROWID;
-- the countries map's roles per partition, as its unfiltered statement (plugin/geo.py MAP_ROLES_SQL) counts them in
-- one file: a country's articles with evidence of a role, and the initiatives named (a JSON array); an article is in
-- one partition, so the counts add up and the initiatives are the union
CREATE TABLE IF NOT EXISTS partition_role_counts (
    partition TEXT NOT NULL,
    country TEXT NOT NULL,
    role TEXT,
    articles INTEGER NOT NULL,
    initiatives TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_partition_role_counts_partition ON partition_role_counts(partition);
-- a country page's initiatives and roles, as its unfiltered statement (plugin/countries.py COUNTRY_INITIATIVES_SQL)
-- counts them in one file: the participation rows of each (country, initiative, role) per partition (NULLs kept)
CREATE TABLE IF NOT EXISTS partition_country_initiatives (
    partition TEXT NOT NULL,
    country TEXT NOT NULL,
    initiative_id TEXT,
    role TEXT,
    evidence INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_partition_country_initiatives ON partition_country_initiatives(country, partition);
CREATE INDEX IF NOT EXISTS idx_partition_country_initiatives_partition ON partition_country_initiatives(partition);
-- the claims list's q= over the mention sentences without asking every partition: each partition's distinct
-- (claim, sentence) of its traced mentions, indexed as a single file indexes claim_mentions.sentence (spaced
-- CJK, store.cjk.fts_text; the same tokenizer): a claim has a sentence matching q here exactly when it has a mention
-- matching q in one file
CREATE TABLE IF NOT EXISTS claim_sentences (
    id INTEGER PRIMARY KEY,
    partition TEXT NOT NULL,
    claim_id INTEGER NOT NULL,
    sentence TEXT
);
CREATE INDEX IF NOT EXISTS idx_claim_sentences_partition ON claim_sentences(partition);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_sentences_fts USING fts5(
    sentence, content="claim_sentences", content_rowid="id", tokenize="porter unicode61 remove_diacritics 2"
);
-- the articles with evidence of a country / of an initiative per partition (participation rows naming it, the articles
-- participation.latest_ids pages through without filters: exact counts, so that a page of the newest reads only the
-- newest months that hold it), and an initiative's roles dated in the text (plugin/initiatives.py DATED_SQL's rows:
-- a partition without any is not asked for them)
CREATE TABLE IF NOT EXISTS partition_country_articles (
    partition TEXT NOT NULL,
    country TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (country, partition)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_partition_country_articles_partition ON partition_country_articles(partition);
CREATE TABLE IF NOT EXISTS partition_initiative_articles (
    partition TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    articles INTEGER NOT NULL,
    dated INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, partition)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_partition_initiative_articles_partition ON partition_initiative_articles(partition);
-- initiatives' claimed participant counts per partition ("more than 50 countries": the largest any article gives)
CREATE TABLE IF NOT EXISTS initiative_claimed_max (
    partition TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    claimed INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (partition, initiative_id)
) WITHOUT ROWID;
"""

# every partition's facet counts summed: the single file's articles_facet_counts (facet, value, n), which the overview
# and the search page's filter choices read without grouping each partition's rows (at 100k articles in 60 partitions
# the outlets' sum alone read 11,600 rows a search page). Kept by the triggers below from the partitions' rows in
# articles_facet_counts, so every writer of those keeps it; parts: how many partitions have a row of the value (it is
# listed while one has, as the sum over partitions lists it). After the summary tables (wide_schema).
FACET_TOTALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS facet_totals (
    facet TEXT NOT NULL,
    value NOT NULL,
    n INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_facet_totals_n ON facet_totals(facet, n DESC, value);
CREATE TRIGGER IF NOT EXISTS facet_totals_insert AFTER INSERT ON articles_facet_counts BEGIN
    INSERT INTO facet_totals (facet, value, n, parts) VALUES (NEW.facet, NEW.value, NEW.n, 1)
    ON CONFLICT DO UPDATE SET n = n + NEW.n, parts = parts + 1;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_delete AFTER DELETE ON articles_facet_counts BEGIN
    UPDATE facet_totals SET n = n - OLD.n, parts = parts - 1 WHERE facet = OLD.facet AND value = OLD.value;
    DELETE FROM facet_totals WHERE facet = OLD.facet AND value = OLD.value AND parts = 0;
END;
CREATE TRIGGER IF NOT EXISTS facet_totals_update AFTER UPDATE ON articles_facet_counts BEGIN
    UPDATE facet_totals SET n = n - OLD.n, parts = parts - 1 WHERE facet = OLD.facet AND value = OLD.value;
    DELETE FROM facet_totals WHERE facet = OLD.facet AND value = OLD.value AND parts = 0;
    INSERT INTO facet_totals (facet, value, n, parts) VALUES (NEW.facet, NEW.value, NEW.n, 1)
    ON CONFLICT DO UPDATE SET n = n + NEW.n, parts = parts + 1;
END;
"""
FACET_TOTALS_FILL_SQL = ("INSERT INTO facet_totals (facet, value, n, parts) SELECT facet, value, SUM(n), COUNT(*) "
                         "FROM articles_facet_counts GROUP BY facet, value")

PARTITION_SCHEMA = """
CREATE TABLE IF NOT EXISTS partition_info (
    name TEXT PRIMARY KEY,
    value
);
"""


def _statements(text):
    "CREATE statements of a schema text, one by one (triggers kept whole)."
    out, current = [], []
    for line in text.splitlines():
        if not current and (not line.strip() or line.strip().startswith("--")):
            continue
        current.append(line)
        joined = "\n".join(current)
        if line.rstrip().endswith(";") and (not joined.lstrip().upper().startswith("CREATE TRIGGER")
                                             or line.strip().upper() == "END;"):
            out.append(joined)
            current = []
    return out


def _target(statement):
    m = re.search(r"CREATE (?:VIRTUAL )?(TABLE|INDEX|TRIGGER) IF NOT EXISTS (\w+)(?:.*?\bON (\w+))?", statement, re.S)
    if not m:
        m = re.search(r"DROP INDEX IF EXISTS (\w+)", statement)
        return None if not m else ("DROP", m.group(1))
    kind, name, on = m.groups()
    return kind, (on if kind in ("INDEX", "TRIGGER") else name)


def _with_partition(statement):
    "A summary table's CREATE with a leading `partition` column, also first in its primary key."
    statement = re.sub(r"\(\n", "(\n    partition TEXT NOT NULL,\n", statement, count=1)
    statement = statement.replace("PRIMARY KEY (", "PRIMARY KEY (partition, ")
    return statement


def wide_schema():
    "Every CREATE statement of the archive-wide database."
    out = [WIDE_SCHEMA]
    for statement in _statements(schema.SCHEMA):
        target = _target(statement)
        if target is None or target[0] == "DROP":
            continue
        kind, table = target
        if table in WIDE_TABLES:
            out.append(statement)
        elif table in PARTITIONED_SUMMARIES and kind in ("TABLE", "INDEX"):
            out.append(_with_partition(statement) if kind == "TABLE" else statement)
        elif table == "claims_facet_counts" or (kind == "TRIGGER" and table == "claims"):
            out.append(statement)
    out.append(FACET_TOTALS_SCHEMA)
    return "\n".join(out)


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def partition_key(published_month):
    "The partition an article of this month belongs to."
    return published_month if published_month and MONTH.match(published_month) else UNDATED


def is_partitioned(path):
    "A folder holding a partitioned archive's archive-wide database."
    return wide_path(path) is not None


def wide_path(path):
    "The archive-wide database of the archive in folder `path`, or None."
    folder = Path(path)
    if not folder.is_dir():
        return None
    preferred = folder / f"{folder.stem}.db"
    candidates = [preferred] + sorted(p for p in folder.glob("*.db") if p != preferred)
    for candidate in candidates:
        if candidate.exists() and _role(candidate) == "wide":
            return candidate
    return None


def _role(path):
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM archive_info WHERE name = 'role'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


class Archive:
    """A partitioned archive in a folder: the archive-wide database (`wide`, opened by this process) and
    the partition files (opened by whoever writes them, often a Dask worker)."""

    def __init__(self, folder, create=False):
        self.folder = Path(folder)
        found = wide_path(self.folder)
        if found is None:
            if not create:
                raise FileNotFoundError(f"{folder} is not a partitioned newstrace archive")
            self.folder.mkdir(parents=True, exist_ok=True)
            found = self.folder / f"{self.folder.stem}.db"
        self.path = found
        self.name = found.stem
        self.wide = open_wide(found)

    def partition_file(self, key):
        return self.folder / f"{self.name}-{key}.db"

    def partitions(self):
        "{key: path} of the partitions written so far."
        return {key: self.folder / file for key, file in self.wide.conn.execute(
            "SELECT key, file FROM partitions ORDER BY key")}

    def info(self, name, default=None):
        row = self.wide.conn.execute("SELECT value FROM archive_info WHERE name = ?", [name]).fetchone()
        return row[0] if row else default

    def set_info(self, name, value):
        self.wide.conn.execute("INSERT OR REPLACE INTO archive_info (name, value) VALUES (?, ?)", [name, value])

    def register(self, key):
        "Record a partition file (called before it is first written)."
        with self.wide.conn:
            self.wide.conn.execute("INSERT OR IGNORE INTO partitions (key, file, updated) VALUES (?, ?, ?)",
                                   [key, self.partition_file(key).name, now()])

    def close(self):
        self.wide.conn.close()


# how many of a claim's first articles claim_partitions keeps per partition (the article page shows 4 others)
FIRST_ARTICLES = 8
# claim_partitions' rows of one partition, read from its mentions (newstrace partition, the upgrade of an archive
# written before first_articles); the cluster tracer writes the same from the mentions it traced
CLAIM_PARTITIONS_SQL = f"""
SELECT claim_id, COUNT(*) AS n,
       (SELECT json_group_array(article_id) FROM (SELECT DISTINCT x.article_id FROM claim_mentions x
          WHERE x.claim_id = m.claim_id ORDER BY x.article_id LIMIT {FIRST_ARTICLES})) AS first_articles
FROM claim_mentions m WHERE claim_id IS NOT NULL GROUP BY claim_id
"""


def first_articles(article_ids):
    "claim_partitions.first_articles of a claim's article ids in one partition."
    return dumps(sorted(set(article_ids))[:FIRST_ARTICLES])


def claim_partition_rows(path, key):
    "[(claim_id, partition, n, first_articles)] of the partition file `path`."
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(cid, key, n, firsts) for cid, n, firsts in conn.execute(CLAIM_PARTITIONS_SQL)]
    finally:
        conn.close()


# the mentions a claim page samples (plugin/claims.py SAMPLE_MENTIONS): claim_samples counts them per partition
CLAIM_SAMPLE = 2000
CLAIM_SAMPLE_KEYS_SQL = ("SELECT article_id, char_start, id FROM claim_mentions WHERE claim_id = ? "
                         "ORDER BY article_id, char_start, id LIMIT ?")


def wide_claim_samples(db, folder, size=None):
    """claim_samples, from claim_partitions (current) and the partitions' mentions: for each claim past `size`
    mentions, its first `size` in article order over the archive, counted per partition (article ids are the
    archive's, so each partition's first `size` hold all of them it has)."""
    import heapq
    import sqlite3
    from collections import Counter

    size = size or CLAIM_SAMPLE
    holders = {}
    for claim_id, key in db.conn.execute(
            "SELECT claim_id, partition FROM claim_partitions WHERE claim_id IN (SELECT claim_id FROM claim_partitions "
            "GROUP BY claim_id HAVING SUM(n) > ?)", [size]).fetchall():
        holders.setdefault(key, []).append(claim_id)
    files = dict(db.conn.execute("SELECT key, file FROM partitions").fetchall())
    found = {}
    for key, claim_ids in sorted(holders.items()):
        path = Path(folder) / files.get(key, "")
        if key not in files or not path.exists():
            continue
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for claim_id in claim_ids:
                found.setdefault(claim_id, []).extend(
                    (*row, key) for row in conn.execute(CLAIM_SAMPLE_KEYS_SQL, [claim_id, size]))
        finally:
            conn.close()
    rows = [(claim_id, key, n) for claim_id, keys in found.items()
            for key, n in Counter(k[-1] for k in heapq.nsmallest(size, keys)).items()]
    with db.conn:
        db.conn.execute("DELETE FROM claim_samples")
        db.conn.executemany("INSERT INTO claim_samples (claim_id, partition, sampled) VALUES (?, ?, ?)", rows)
        db.conn.execute("INSERT OR REPLACE INTO archive_info (name, value) VALUES ('claim_sample', ?)", [size])


def wide_claim_firsts(db, folder):
    """claim_partitions.first_articles of an archive written before it, from every partition's mentions (the
    rows' counts are written again with them: the same statement counts them)."""
    rows = []
    for key, file in db.conn.execute("SELECT key, file FROM partitions").fetchall():
        if (folder / file).exists():
            rows += claim_partition_rows(folder / file, key)
    with db.conn:
        db.conn.execute("DELETE FROM claim_partitions")
        db.conn.executemany("INSERT INTO claim_partitions (claim_id, partition, n, first_articles) VALUES (?, ?, ?, ?)",
                            rows)


# partition_role_counts' rows of one partition (its report, partition_report; and wide_roles for an archive written
# before the table)
ROLES_SQL = ("SELECT country, role, COUNT(DISTINCT article_id), json_group_array(DISTINCT initiative_id) FROM participation "
             "WHERE country IS NOT NULL GROUP BY country, role")


def wide_roles(db, folder):
    "partition_role_counts of an archive written before it, from every partition's participation rows."
    import sqlite3

    rows = []
    for key, file in db.conn.execute("SELECT key, file FROM partitions").fetchall():
        if not (folder / file).exists():
            continue
        conn = sqlite3.connect(f"file:{folder / file}?mode=ro", uri=True)
        try:
            rows += [(key, *r) for r in conn.execute(ROLES_SQL)]
        finally:
            conn.close()
    with db.conn:
        db.conn.execute("DELETE FROM partition_role_counts")
        db.conn.executemany("INSERT INTO partition_role_counts (partition, country, role, articles, initiatives) "
                            "VALUES (?, ?, ?, ?, ?)", rows)


# partition_country_initiatives' rows of one partition (its report, partition_report; wide_country_initiatives for an
# archive written before the table): plugin/countries.py COUNTRY_INITIATIVES_SQL's groups, per country
COUNTRY_INITIATIVES_SQL = ("SELECT country, initiative_id, role, COUNT(*) FROM participation WHERE country IS NOT NULL "
                           "GROUP BY country, initiative_id, role")
# claim_sentences' rows of one partition: the distinct sentences of each claim's mentions
CLAIM_SENTENCES_SQL = "SELECT DISTINCT claim_id, sentence FROM claim_mentions WHERE claim_id IS NOT NULL"


def _each_partition(db, folder, read):
    "{key: read(conn)} of every partition file of the archive, opened read-only."
    import sqlite3

    out = {}
    for key, file in db.conn.execute("SELECT key, file FROM partitions").fetchall():
        if not (folder / file).exists():
            continue
        conn = sqlite3.connect(f"file:{folder / file}?mode=ro", uri=True)
        try:
            out[key] = read(conn)
        finally:
            conn.close()
    return out


def set_country_initiatives(conn, key, rows):
    "partition_country_initiatives of partition `key`: [(country, initiative_id, role, evidence)] (caller's transaction)."
    conn.execute("DELETE FROM partition_country_initiatives WHERE partition = ?", [key])
    conn.executemany("INSERT INTO partition_country_initiatives (partition, country, initiative_id, role, evidence) "
                     "VALUES (?, ?, ?, ?, ?)", [(key, *row) for row in rows])


def wide_country_initiatives(db, folder):
    "partition_country_initiatives of an archive written before it, from every partition's participation rows."
    found = _each_partition(db, folder, lambda conn: conn.execute(COUNTRY_INITIATIVES_SQL).fetchall())
    with db.conn:
        db.conn.execute("DELETE FROM partition_country_initiatives")
        for key, rows in found.items():
            set_country_initiatives(db.conn, key, rows)


def set_claim_sentences(conn, key, rows):
    """claim_sentences of partition `key` replaced by `rows` [(claim_id, sentence)], its full-text index with them
    (spaced CJK, as store.fts writes a single file's), in the caller's transaction."""
    from ..store.cjk import fts_text

    old = conn.execute("SELECT id, claim_id, sentence FROM claim_sentences WHERE partition = ?", [key]).fetchall()
    rows = sorted({tuple(r) for r in rows}, key=repr)
    if sorted(((claim_id, text) for _, claim_id, text in old), key=repr) == rows:
        return  # a month the trace left as it was: its index is not written again
    old = [(i, text) for i, _, text in old]
    conn.executemany("INSERT INTO claim_sentences_fts (claim_sentences_fts, rowid, sentence) VALUES ('delete', ?, ?)",
                     [(i, fts_text(text)) for i, text in old])
    conn.execute("DELETE FROM claim_sentences WHERE partition = ?", [key])
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM claim_sentences").fetchone()[0]
    rows = [(top + i + 1, key, claim_id, text) for i, (claim_id, text) in enumerate(rows)]
    conn.executemany("INSERT INTO claim_sentences (id, partition, claim_id, sentence) VALUES (?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO claim_sentences_fts (rowid, sentence) VALUES (?, ?)",
                     [(i, fts_text(text)) for i, _, _, text in rows])


# partition_country_articles' and partition_initiative_articles' rows of one partition (its report, partition_report;
# wide_evidence_articles for an archive written before the tables). DATED: plugin/initiatives.py DATED_SQL's condition
# (the plugin asserts that it is the same)
DATED = ("p.role NOT IN ('mentioned') AND (p.valid_to IS NOT NULL OR\n      p.valid_from IS NOT NULL AND a.published IS "
         "NOT NULL AND substr(a.published, 1, length(p.valid_from)) != p.valid_from)")
COUNTRY_ARTICLES_SQL = ("SELECT p.country, COUNT(DISTINCT p.article_id) FROM participation p JOIN articles a "
                        "ON a.id = p.article_id WHERE p.country IS NOT NULL GROUP BY p.country")
INITIATIVE_ARTICLES_SQL = ("SELECT p.initiative_id, COUNT(DISTINCT p.article_id), "
                           f"COALESCE(SUM(CASE WHEN {DATED} THEN 1 ELSE 0 END), 0) FROM participation p "
                           "JOIN articles a ON a.id = p.article_id WHERE p.initiative_id IS NOT NULL GROUP BY p.initiative_id")


def evidence_articles(conn):
    "(country rows, initiative rows) of partition_country_articles / partition_initiative_articles of an open partition."
    return conn.execute(COUNTRY_ARTICLES_SQL).fetchall(), conn.execute(INITIATIVE_ARTICLES_SQL).fetchall()


def set_evidence_articles(conn, key, countries, initiatives):
    """partition_country_articles [(country, articles)] and partition_initiative_articles [(initiative_id, articles,
    dated)] of partition `key` (caller's transaction)."""
    conn.execute("DELETE FROM partition_country_articles WHERE partition = ?", [key])
    conn.executemany("INSERT INTO partition_country_articles (partition, country, articles) VALUES (?, ?, ?)",
                     [(key, *row) for row in countries])
    conn.execute("DELETE FROM partition_initiative_articles WHERE partition = ?", [key])
    conn.executemany("INSERT INTO partition_initiative_articles (partition, initiative_id, articles, dated) "
                     "VALUES (?, ?, ?, ?)", [(key, *row) for row in initiatives])


def wide_evidence_articles(db, folder):
    "partition_country_articles and partition_initiative_articles of an archive written before them, from every partition."
    found = _each_partition(db, folder, evidence_articles)
    with db.conn:
        db.conn.execute("DELETE FROM partition_country_articles")
        db.conn.execute("DELETE FROM partition_initiative_articles")
        for key, (countries, initiatives) in found.items():
            set_evidence_articles(db.conn, key, countries, initiatives)


def claim_sentence_rows(conn):
    "claim_sentences' rows [(claim_id, sentence)] of an open partition."
    return conn.execute(CLAIM_SENTENCES_SQL).fetchall()


def wide_claim_sentences(db, folder):
    """claim_sentences (and its index) from every partition's mentions: an archive written before it, a split (whose
    mentions keep the single file's claims)."""
    found = _each_partition(db, folder, claim_sentence_rows)
    with db.conn:
        db.conn.execute("DELETE FROM claim_sentences")
        db.conn.execute("INSERT INTO claim_sentences_fts (claim_sentences_fts) VALUES ('delete-all')")
        for key in sorted(found):
            set_claim_sentences(db.conn, key, found[key])


def wide_titles(db, folder):
    "article_index.title of an archive written before it, from every partition's articles."
    found = _each_partition(db, folder, lambda conn: conn.execute("SELECT title, id FROM articles").fetchall())
    with db.conn:
        for rows in found.values():
            db.conn.executemany("UPDATE article_index SET title = ? WHERE id = ?", rows)


# an added column the single file fills from its articles: here from the partitions' (wide_seen)
WIDE_BACKFILLS = {("initiatives", "first_seen"): None, ("initiatives", "last_seen"): None}
SEEN_SQL = ("SELECT p.initiative_id, MIN(a.published), MAX(a.published) FROM participation p "
            "JOIN articles a ON a.id = p.article_id WHERE p.initiative_id IS NOT NULL GROUP BY p.initiative_id")


def open_wide(path):
    """The archive-wide database, created or brought up to the current schema (an archive written by an older
    newstrace: the columns added since, filled in from the partitions where the single file fills them from
    its articles)."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    added = store.migrate(db.conn, WIDE_BACKFILLS)
    had = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    older = "partitions" in had and "partition_role_counts" not in had
    # tables added since (issue 13's views): filled from the partitions once the schema has them
    missing = {t for t in ("partition_country_initiatives", "claim_sentences", "partition_country_articles",
                           "facet_totals", "claim_samples") if t not in had} if "partitions" in had \
        else set()
    untitled = "article_index" in had and "title" not in {r[1] for r in db.conn.execute(
        "PRAGMA table_info(article_index)")}
    store.ensure_schema(db.conn, wide_schema())  # one step, only when something is missing: readers see no DDL
    # initiative_totals and the triggers keeping them from the summaries, from the first open on (migrate adds
    # them where the summary tables exist: a new archive has them only now)
    store.migrate(db.conn, WIDE_BACKFILLS)
    if older:
        wide_roles(db, Path(path).parent)
    if set(added) & set(WIDE_BACKFILLS):
        wide_seen(db, Path(path).parent)
    if untitled:
        with db.conn:
            db.conn.execute("ALTER TABLE article_index ADD COLUMN title TEXT")
        wide_titles(db, Path(path).parent)
    if "partition_country_initiatives" in missing:
        wide_country_initiatives(db, Path(path).parent)
    if "claim_sentences" in missing:
        wide_claim_sentences(db, Path(path).parent)
    if "partition_country_articles" in missing:
        wide_evidence_articles(db, Path(path).parent)
    if "facet_totals" in missing:
        with db.conn:
            db.conn.execute("DELETE FROM facet_totals")
            db.conn.execute(FACET_TOTALS_FILL_SQL)
    if "first_articles" not in {r[1] for r in db.conn.execute("PRAGMA table_info(claim_partitions)")}:
        with db.conn:
            db.conn.execute("ALTER TABLE claim_partitions ADD COLUMN first_articles TEXT")
        wide_claim_firsts(db, Path(path).parent)
    if "claim_samples" in missing:
        wide_claim_samples(db, Path(path).parent)
    with db.conn:
        for name, value in (("role", "wide"), ("format", FORMAT), ("archive_id", uuid.uuid4().hex),
                            ("partition_by", "month"), ("created", now())):
            db.conn.execute("INSERT OR IGNORE INTO archive_info (name, value) VALUES (?, ?)", [name, value])
    store.load_reference_data(db)
    return db


def wide_seen(db, folder):
    """initiatives.first_seen and last_seen of the archive-wide database from every partition's participation
    rows (what schema.ADDED_COLUMNS fills them with in a single file)."""
    import sqlite3

    seen = {}
    for (file,) in db.conn.execute("SELECT file FROM partitions").fetchall():
        if not (folder / file).exists():
            continue
        conn = sqlite3.connect(f"file:{folder / file}?mode=ro", uri=True)
        try:
            for iid, first, last in conn.execute(SEEN_SQL):
                a, b = seen.get(iid, (None, None))
                seen[iid] = (min((x for x in (a, first) if x is not None), default=None),
                             max((x for x in (b, last) if x is not None), default=None))
        finally:
            conn.close()
    with db.conn:
        db.conn.executemany("UPDATE initiatives SET first_seen = ?, last_seen = ? WHERE id = ?",
                            [(first, last, iid) for iid, (first, last) in seen.items()])


@functools.lru_cache(maxsize=1)
def fingerprint():
    "The schema and reference data a partition was last brought up to (store.open_db does it, slowly)."
    from ..countries import gazetteer, participation

    digest = hashlib.sha256(schema.SCHEMA.encode("utf-8"))
    for rows in (gazetteer.country_rows(), participation.load_initiatives()):
        digest.update(json.dumps(rows, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()[:16]


_WIDE = {}  # folder -> its archive-wide database, as found by wide_path


def _known_wide(folder):
    """wide_path(folder), remembered by a process that opens many partitions of the archive (a Dask worker
    writing or tracing them): wide_path opens candidate files to read their role, once per folder here."""
    wide = _WIDE.get(str(folder))
    if wide is None or not wide.exists():
        wide = _WIDE[str(folder)] = wide_path(folder)
    return wide


def open_partition(folder, key, archive_id=None, say=None, thorough=False):
    """A partition file (the single-file schema plus partition_info), created when missing; one already at
    the current schema and reference data is opened without store.open_db's work (a writer opens it once
    per batch) unless `thorough` (newstrace optimize: whatever the file says, its schema is checked)."""
    folder = Path(folder)
    wide = _known_wide(folder)
    path = folder / f"{wide.stem}-{key}.db"
    if path.exists() and not thorough:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA busy_timeout=30000")
        try:
            row = db.conn.execute("SELECT value FROM partition_info WHERE name = 'schema'").fetchone()
        except Exception:
            row = None
        if row and row[0] == fingerprint():
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            return db
        db.conn.close()
    db = store.open_db(path, extra_schema=PARTITION_SCHEMA, say=say)
    with db.conn:
        for name, value in (("role", "partition"), ("key", key), ("archive", wide.name),
                            ("archive_id", archive_id)):
            if value is not None:
                db.conn.execute("INSERT OR IGNORE INTO partition_info (name, value) VALUES (?, ?)", [name, value])
        db.conn.execute("INSERT OR REPLACE INTO partition_info (name, value) VALUES ('schema', ?)", [fingerprint()])
    return db


def partition_role(conn):
    "'wide', 'partition' or None for an open sqlite3 connection (how the plugin tells them apart)."
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "archive_info" in names and "partitions" in names:
        return "wide"
    if "partition_info" in names and "articles" in names:
        return "partition"
    return None


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
