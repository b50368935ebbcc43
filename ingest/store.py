"""Writing the archive: one transaction per page, so a killed ingest leaves only whole pages behind."""
import hashlib
import json
import zlib

import sqlite_utils

from .cjk import fts_text
from .schema import ADDED_COLUMNS, FACETS, FTS_TABLES, SCHEMA, facet_counts_rebuild


def open_db(path):
    db = sqlite_utils.Database(path)
    # WAL lets a Datasette server read while an ingest writes; NORMAL sync is safe under WAL
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    missing = [table for table in FACETS if not db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", [f"{table}_facet_counts"]).fetchone()]
    migrate(db.conn)
    db.conn.executescript(SCHEMA)
    for table in missing:  # an archive written before this summary existed
        if db.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            rebuild_facet_counts(db, table)
    load_reference_data(db)
    return db


def migrate(conn):
    "An archive written by an older newstrace gets the columns added since (schema.ADDED_COLUMNS), filled in."
    for table, column, declaration, backfill in ADDED_COLUMNS:
        columns = {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])}
        if columns and column not in columns:
            with conn:
                conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] {declaration}")
                conn.execute(backfill)


def load_reference_data(db):
    "Countries and initiatives from the data files; re-run by reextract after users edit them."
    from . import gazetteer, participation

    with db.conn:
        db["countries"].upsert_all(gazetteer.country_rows(), pk="code")
        initiatives = participation.load_initiatives()
        rows = [
            {
                "id": item["id"],
                "name_en": item.get("name_en"),
                "name_zh": item.get("name_zh"),
                "aliases": json.dumps(item.get("aliases", []), ensure_ascii=False),
                "kind": item.get("kind"),
                "successor_of": item.get("successor_of"),
                "description": item.get("description"),
            }
            for item in initiatives
        ]
        db["initiatives"].upsert_all(rows, pk="id")


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


# --- FTS kept by hand: the index holds fts_text() of the values, see cjk.py ---------------------------

def fts_insert(db, table, rows):
    fts, columns = FTS_TABLES[table]
    sql = "INSERT INTO [{}](rowid, {}) VALUES (?, {})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    db.conn.executemany(sql, [[row["id"], *(fts_text(row.get(c)) for c in columns)] for row in rows])


def fts_delete(db, table, where, params):
    "Remove rows selected by `where` from the FTS index; must run before the rows themselves change."
    fts, columns = FTS_TABLES[table]
    rows = db.conn.execute(
        "SELECT id, {} FROM [{}] WHERE {}".format(", ".join(f"[{c}]" for c in columns), table, where), params
    ).fetchall()
    sql = "INSERT INTO [{0}]([{0}], rowid, {1}) VALUES ('delete', ?, {2})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    db.conn.executemany(sql, [[row[0], *(fts_text(v) for v in row[1:])] for row in rows])


def clear_fts(db, table):
    fts, _ = FTS_TABLES[table]
    db.conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('delete-all')")


def rebuild_fts(db, table):
    fts, columns = FTS_TABLES[table]
    clear_fts(db, table)
    cursor = db.conn.execute("SELECT id, {} FROM [{}]".format(", ".join(f"[{c}]" for c in columns), table))
    sql = "INSERT INTO [{}](rowid, {}) VALUES (?, {})".format(
        fts, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
    )
    while batch := cursor.fetchmany(1000):
        db.conn.executemany(sql, [[row[0], *(fts_text(v) for v in row[1:])] for row in batch])


# --- articles -------------------------------------------------------------------------------------------

ARTICLE_FIELDS = (
    "title", "author", "sitename", "hostname", "published", "published_month", "language", "text",
    "excerpt", "word_count",
)


def find_article(db, *urls):
    urls = [u for u in urls if u]
    if not urls:
        return None
    marks = ", ".join("?" for _ in urls)
    row = db.conn.execute(
        f"SELECT id FROM articles WHERE canonical_url IN ({marks}) OR url IN ({marks}) OR final_url IN ({marks}) "
        "ORDER BY id LIMIT 1",
        urls * 3,
    ).fetchone()
    return row[0] if row else None


def record_page(db, task, fetched, page, derived):
    """Store one successfully extracted page. Returns (outcome, article_id).

    fetched: {url, final_url, status, headers, body, fetched_at, content_type, encoding}
    page: extract_page() output; derived: pipeline.analyze_text() output."""
    body = fetched["body"]
    body_sha = fetched.get("sha256") or sha256(body)
    text_hash = content_hash(page["text"])
    now = fetched["fetched_at"]
    with db.conn:
        article_id = find_article(db, page.get("canonical_url"), fetched["url"], fetched.get("final_url"))
        if article_id is None:
            duplicate = db.conn.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1",
                [text_hash],
            ).fetchone()
            row = {f: page.get(f) for f in ARTICLE_FIELDS}
            row.update(
                url=fetched["url"],
                final_url=fetched.get("final_url") or fetched["url"],
                canonical_url=page.get("canonical_url") or fetched.get("final_url") or fetched["url"],
                languages=json.dumps(page.get("languages") or []),
                content_hash=text_hash,
                version=1,
                first_fetched=now,
                last_fetched=now,
                source=task["source"],
                duplicate_of=duplicate[0] if duplicate else None,
            )
            article_id = insert(db, "articles", row)
            _insert_snapshot(db, article_id, 1, fetched, body_sha)
            fts_insert(db, "articles", [{"id": article_id, **row}])
            write_derived(db, article_id, derived)
            return "new", article_id

        current = db.conn.execute(
            "SELECT version, content_hash, title, text, last_fetched FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        version, old_hash, old_title, old_text, old_fetched = current
        known_body = db.conn.execute(
            "SELECT 1 FROM snapshots WHERE article_id = ? AND sha256 = ? LIMIT 1", [article_id, body_sha]
        ).fetchone()
        if known_body or old_hash == text_hash:
            if not known_body:
                # the raw page changed (ads, tokens) but not its text: keep the response, no new version
                _insert_snapshot(db, article_id, version, fetched, body_sha)
            db.conn.execute("UPDATE articles SET last_fetched = ? WHERE id = ?", [now, article_id])
            return "unchanged", article_id

        previous_snapshot = db.conn.execute(
            "SELECT id FROM snapshots WHERE article_id = ? AND version = ? ORDER BY id DESC LIMIT 1",
            [article_id, version],
        ).fetchone()
        insert(
            db,
            "article_versions",
            {
                "article_id": article_id,
                "version": version,
                "title": old_title,
                "text": old_text,
                "content_hash": old_hash,
                "snapshot_id": previous_snapshot[0] if previous_snapshot else None,
                "fetched_at": old_fetched,
            }
        )
        fts_delete(db, "articles", "id = ?", [article_id])
        values = {f: page.get(f) for f in ARTICLE_FIELDS}
        values.update(
            final_url=fetched.get("final_url") or fetched["url"],
            languages=json.dumps(page.get("languages") or []),
            content_hash=text_hash,
            version=version + 1,
            last_fetched=now,
        )
        update(db, "articles", article_id, values)
        _insert_snapshot(db, article_id, version + 1, fetched, body_sha)
        fts_insert(db, "articles", [{"id": article_id, **values}])
        write_derived(db, article_id, derived)
        return "changed", article_id


def _insert_snapshot(db, article_id, version, fetched, body_sha):
    body = fetched["body"]
    insert(
        db,
        "snapshots",
        {
            "article_id": article_id,
            "version": version,
            "url": fetched.get("final_url") or fetched["url"],
            "fetched_at": fetched["fetched_at"],
            "http_status": fetched.get("status"),
            "headers": json.dumps(fetched.get("headers") or {}),
            "content_type": fetched.get("content_type"),
            "encoding": fetched.get("encoding"),
            "size": len(body),
            "sha256": body_sha,
            "body": fetched.get("body_z") or compress(body),
        }
    )


def update_article_text(db, article_id, page, derived):
    """reextract: new text and metadata from the same raw response; never a new version.

    The search indexes are left alone: reextract empties and rebuilds them whole, so an index that an
    older version filled differently cannot get in the way."""
    with db.conn:
        values = {f: page.get(f) for f in ARTICLE_FIELDS}
        values.update(languages=json.dumps(page.get("languages") or []), content_hash=content_hash(page["text"]))
        update(db, "articles", article_id, values)
        write_derived(db, article_id, derived, fts=False)


def log_fetch(db, *, url, source, outcome, stage=None, error_class=None, message=None, http_status=None,
              article_id=None, at=None):
    from .acquire import now_iso

    with db.conn:
        insert(
            db,
            "fetch_log",
            {
                "at": at or now_iso(),
                "url": url,
                "source": source,
                "outcome": outcome,
                "stage": stage,
                "error_class": error_class,
                "message": message,
                "http_status": http_status,
                "article_id": article_id,
            }
        )


# --- derived tables -------------------------------------------------------------------------------------

DERIVED_TABLES = ("claim_mentions", "country_mentions", "article_countries", "participation",
                  "initiative_claimed_counts")


def write_derived(db, article_id, derived, fts=True):
    """Replace everything derived from one article's text (call inside the page's transaction, after the
    article row is written: mentions copy its date and outlet)."""
    published, published_month, outlet = db.conn.execute(
        "SELECT published, published_month, COALESCE(sitename, hostname) FROM articles WHERE id = ?", [article_id]
    ).fetchone() or (None, None, None)
    if fts:
        fts_delete(db, "claim_mentions", "article_id = ?", [article_id])
    _count_article(db, article_id, -1)
    for table in DERIVED_TABLES:
        db.conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
    claims = [
        {
            "article_id": article_id,
            "segment": c.get("segment"),
            "sentence": c["sentence"],
            "char_start": c["char_start"],
            "char_end": c["char_end"],
            "lang": c.get("lang"),
            "published_month": published_month,
            "published": published,
            "outlet": outlet,
            "claim_type": c.get("claim_type"),
            "speaker": c.get("speaker"),
            "speaker_text": c.get("speaker_text"),
            "cited_source": c.get("cited_source"),
            "attribution_mode": c.get("attribution_mode"),
            "verification_status": c.get("verification_status"),
            "hedge_text": c.get("hedge_text"),
            "hedge_scope": c.get("hedge_scope"),
            "quantities": json.dumps(c.get("quantities") or [], ensure_ascii=False),
            "chain": json.dumps(c.get("chain") or [], ensure_ascii=False),
            "extractor": c.get("extractor"),
            "confidence": c.get("confidence"),
        }
        for c in derived.get("claims", [])
    ]
    if claims:
        insert_many(db, "claim_mentions", claims)
    if claims and fts:
        rows = db.conn.execute(
            "SELECT id, sentence FROM claim_mentions WHERE article_id = ? ORDER BY id", [article_id]
        ).fetchall()
        fts_insert(db, "claim_mentions", [{"id": r[0], "sentence": r[1]} for r in rows])
    mentions = derived.get("country_mentions", [])
    if mentions:
        insert_many(
            db,
            "country_mentions",
            [{"article_id": article_id, **{k: m.get(k) for k in
                                           ("country", "surface", "char_start", "char_end", "kind", "reading")}}
             for m in mentions],
        )
    countries = derived.get("countries", [])
    if countries:
        insert_many(db, "article_countries", ({"article_id": article_id, "country": c} for c in countries))
    db.conn.execute("UPDATE articles SET countries = ? WHERE id = ?", [json.dumps(countries), article_id])
    participation = derived.get("participation", [])
    if participation:
        insert_many(
            db,
            "participation",
            [{
                "initiative_id": p["initiative"],
                "country": p["country"],
                "role": p.get("role"),
                "status": p.get("status"),
                "valid_from": p.get("valid_from"),
                "valid_to": p.get("valid_to"),
                "article_id": article_id,
                "evidence": p.get("evidence"),
                "char_start": p.get("char_start"),
                "char_end": p.get("char_end"),
                "method": p.get("method"),
                "confidence": p.get("confidence"),
            } for p in participation],
        )
    claimed = derived.get("claimed", {})
    if claimed:
        insert_many(
            db,
            "initiative_claimed_counts",
            [{"article_id": article_id, "initiative_id": k, "claimed": v} for k, v in claimed.items()],
        )
    _count_article(db, article_id, +1)


# --- summary tables (schema.py: country_month_counts ...) ----------------------------------------------
# Each statement adds one article's rows (sign +1) or takes them away (sign -1) under the month and
# language it was counted under; summary_articles remembers those, since an update of the article row
# has already happened when write_derived runs.

SUMMARY_ARTICLE_ROWS = {
    "country_month_counts": ("country, month, language", "articles, mentions", """
        SELECT country, :month, :language, SUM(a), SUM(n) FROM (
          SELECT country, 1 AS a, 0 AS n FROM article_countries WHERE article_id = :id
          UNION ALL
          SELECT country, 0, 1 FROM country_mentions WHERE article_id = :id AND country IS NOT NULL)
        GROUP BY country"""),
    "country_surface_counts": ("country, month, language, surface, kind, reading", "n", """
        SELECT country, :month, :language, COALESCE(surface, ''), COALESCE(kind, ''), COALESCE(reading, ''),
               COUNT(*)
        FROM country_mentions WHERE article_id = :id AND country IS NOT NULL
        GROUP BY 1, 4, 5, 6"""),
    "initiative_month_counts": ("initiative_id, role, month, language", "articles", """
        SELECT initiative_id, role, :month, :language, 1 FROM (
          SELECT DISTINCT initiative_id, role FROM participation
          WHERE article_id = :id AND initiative_id IS NOT NULL AND role IS NOT NULL AND role != ''
          UNION
          SELECT DISTINCT initiative_id, '' FROM participation WHERE article_id = :id AND initiative_id IS NOT NULL)"""),
    "initiative_country_counts": ("initiative_id, role, country, month, language", "articles, evidence", """
        SELECT initiative_id, COALESCE(role, ''), country, :month, :language, 1, COUNT(*)
        FROM participation WHERE article_id = :id AND initiative_id IS NOT NULL AND country IS NOT NULL
        GROUP BY 1, 2, 3"""),
}


def _count_article(db, article_id, sign):
    "Adds (+1) or removes (-1) one article's derived rows in the summary tables."
    if sign < 0:
        row = db.conn.execute("SELECT month, language FROM summary_articles WHERE article_id = ?",
                              [article_id]).fetchone()
        if row is None:
            return
        month, language = row
    else:
        row = db.conn.execute("SELECT published_month, language FROM articles WHERE id = ?", [article_id]).fetchone()
        month, language = (row[0] or "", row[1] or "") if row else ("", "")
    params = {"id": article_id, "month": month, "language": language}
    for table, (keys, values, select) in SUMMARY_ARTICLE_ROWS.items():
        columns = keys.split(", ") + values.split(", ")
        named = "SELECT " + ", ".join(f"column{i + 1} AS {c}" for i, c in enumerate(columns)) + \
            " FROM (VALUES(" + ", ".join("NULL" for _ in columns) + ")) WHERE 0 UNION ALL " + select
        sets = ", ".join(f"{v} = {v} + excluded.{v}" for v in values.split(", "))
        picked = ", ".join(keys.split(", ") + [f"{'-' if sign < 0 else ''}{v}" for v in values.split(", ")])
        db.conn.execute(
            f"INSERT INTO {table} ({keys}, {values}) SELECT {picked} FROM ({named}) WHERE true "
            f"ON CONFLICT DO UPDATE SET {sets}", params)
        if sign < 0:
            first = keys.split(", ")[0]
            zero = " AND ".join(f"{v} <= 0" for v in values.split(", "))
            # only the keys this article touched: the tables are small, but this runs for every page
            db.conn.execute(f"DELETE FROM {table} WHERE {first} IN (SELECT {first} FROM ({named})) AND {zero}",
                            params)
    if sign < 0:
        db.conn.execute("DELETE FROM summary_articles WHERE article_id = ?", [article_id])
    else:
        db.conn.execute("INSERT OR REPLACE INTO summary_articles (article_id, month, language) VALUES (?, ?, ?)",
                        [article_id, month, language])


SUMMARY_TABLES = ("summary_articles",) + tuple(SUMMARY_ARTICLE_ROWS)


def rebuild_summaries(db):
    "Makes the summary tables from scratch (an archive written before they existed, or a repair)."
    with db.conn:
        for table in SUMMARY_TABLES:
            db.conn.execute(f"DELETE FROM {table}")
        db.conn.execute("INSERT INTO summary_articles SELECT id, COALESCE(published_month, ''), "
                        "COALESCE(language, '') FROM articles")
        for statement in REBUILD_SQL:
            db.conn.execute(statement)


REBUILD_SQL = ("""
        INSERT INTO country_month_counts
          SELECT country, s.month, s.language, SUM(a), SUM(n) FROM (
            SELECT article_id, country, 1 AS a, 0 AS n FROM article_countries
            UNION ALL
            SELECT article_id, country, 0, 1 FROM country_mentions WHERE country IS NOT NULL) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY country, s.month, s.language""", """
        INSERT INTO country_surface_counts
          SELECT m.country, s.month, s.language, COALESCE(m.surface, ''), COALESCE(m.kind, ''),
                 COALESCE(m.reading, ''), COUNT(*)
          FROM country_mentions m JOIN summary_articles s ON s.article_id = m.article_id
          WHERE m.country IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6""", """
        INSERT INTO initiative_month_counts
          SELECT initiative_id, role, s.month, s.language, COUNT(*) FROM (
            SELECT DISTINCT article_id, initiative_id, role FROM participation
            WHERE initiative_id IS NOT NULL AND role IS NOT NULL AND role != ''
            UNION
            SELECT DISTINCT article_id, initiative_id, '' FROM participation WHERE initiative_id IS NOT NULL) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY 1, 2, 3, 4""", """
        INSERT INTO initiative_country_counts
          SELECT initiative_id, role, country, s.month, s.language, COUNT(*), SUM(rows) FROM (
            SELECT article_id, initiative_id, COALESCE(role, '') AS role, country, COUNT(*) AS rows
            FROM participation WHERE initiative_id IS NOT NULL AND country IS NOT NULL
            GROUP BY article_id, initiative_id, COALESCE(role, ''), country) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY 1, 2, 3, 4, 5""")


def rebuild_facet_counts(db, table=None):
    "The facet counts kept by triggers (schema.FACETS) counted again from the whole table (or every table)."
    with db.conn:
        for name in [table] if table else FACETS:
            for statement in facet_counts_rebuild(name):
                db.conn.execute(statement)


def compact(db):
    "Each full-text index merged into one segment (FTS5 'optimize'), then VACUUM."
    with db.conn:
        for fts_table, _ in FTS_TABLES.values():
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


def refresh_summaries(db):
    """After a batch: an archive that has articles not counted in the summaries (written before they
    existed, or by a bulk loader that bypasses write_derived) gets them rebuilt whole."""
    counted = db.conn.execute("SELECT COUNT(*) FROM summary_articles").fetchone()[0]
    total = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    if counted != total:
        rebuild_summaries(db)


def refresh_initiative_counts(db):
    "Claimed participant counts (largest any article gives) beside the countries actually named."
    with db.conn:
        db.conn.execute(
            """
            UPDATE initiatives SET
              participants_claimed = (SELECT MAX(claimed) FROM initiative_claimed_counts c
                                      WHERE c.initiative_id = initiatives.id),
              participants_named = (SELECT COUNT(DISTINCT country) FROM participation p
                                    WHERE p.initiative_id = initiatives.id
                                      AND p.role NOT IN ('mentioned', 'target'))
            """
        )
