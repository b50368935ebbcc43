"""Summary and count tables kept beside the rows: the country and initiative pages' summaries, the facet
counts of the articles and claims pages, the initiatives' claimed and named participants."""
import datetime

from .schema import FACETS, INITIATIVE_PARTICIPANT_ROLES, facet_counts_rebuild

# What the summary tables count, as a number: raised when a statement below changes what a row means, so that
# an archive counted under the old meaning is rebuilt when newstrace next opens it and, until then, the pages
# do not read it (summary_state records the version an archive was counted under; none: before it was kept).
SUMMARY_VERSION = 1


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
          SELECT DISTINCT initiative_id, '' FROM participation WHERE article_id = :id AND initiative_id IS NOT NULL
          UNION
          SELECT DISTINCT initiative_id, '' FROM initiative_mentions WHERE article_id = :id)"""),
    "initiative_country_counts": ("initiative_id, role, country, month, language", "articles, evidence", """
        SELECT initiative_id, COALESCE(role, ''), country, :month, :language, 1, COUNT(*)
        FROM participation WHERE article_id = :id AND initiative_id IS NOT NULL AND country IS NOT NULL
        GROUP BY 1, 2, 3"""),
    "country_role_counts": ("country, role, month, language", "articles", """
        SELECT DISTINCT country, COALESCE(role, ''), :month, :language, 1
        FROM participation WHERE article_id = :id AND country IS NOT NULL"""),
}
# kept in a single file only: a partitioned archive's archive-wide database does not gather these from its partitions
# (ingest/partitioned/layout.PARTITIONED_SUMMARIES is made of SUMMARY_TABLES), so its pages do not read them
SINGLE_FILE_SUMMARIES = ("country_role_counts",)


def count_article(db, article_id, sign):
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


SUMMARY_TABLES = ("summary_articles",) + tuple(t for t in SUMMARY_ARTICLE_ROWS if t not in SINGLE_FILE_SUMMARIES)


def rebuild_summaries(db):
    """Makes the summary tables from scratch (an archive written before they existed, or a repair). The initiative
    totals are emptied first and counted again by their triggers as the summaries are written."""
    with db.conn:
        for table in TOTALS_TABLES:
            db.conn.execute(f"DELETE FROM {table}")
        for table in SUMMARY_TABLES + SINGLE_FILE_SUMMARIES:
            db.conn.execute(f"DELETE FROM {table}")
        db.conn.execute("INSERT INTO summary_articles SELECT id, COALESCE(published_month, ''), "
                        "COALESCE(language, '') FROM articles")
        for statement in REBUILD_SQL:
            db.conn.execute(statement)
        mark_summaries(db.conn)


# an initiative's totals over every article (schema.INITIATIVE_TOTALS_SCHEMA), kept by triggers from the summaries
TOTALS_TABLES = ("initiative_totals", "initiative_country_totals")
_PARTICIPANT = "role IN ({})".format(", ".join(f"'{r}'" for r in INITIATIVE_PARTICIPANT_ROLES))
REBUILD_TOTALS_SQL = ("DELETE FROM initiative_totals", "DELETE FROM initiative_country_totals", """
        INSERT INTO initiative_totals (initiative_id, articles, first_month, last_month)
          SELECT initiative_id, SUM(articles), MIN(NULLIF(month, '')), MAX(NULLIF(month, ''))
          FROM initiative_month_counts WHERE role = '' GROUP BY initiative_id""", f"""
        INSERT INTO initiative_country_totals (initiative_id, country, rows, participant_rows)
          SELECT initiative_id, country, COUNT(*), SUM({_PARTICIPANT})
          FROM initiative_country_counts GROUP BY initiative_id, country""")
# the same totals counted from the summaries, to compare (tests) or to fill initiative_totals with
TOTALS_RECOUNT_SQL = f"""
SELECT initiative_id, SUM(articles) AS articles, SUM(countries) AS countries,
       SUM(participants_named) AS participants_named, MIN(first_month) AS first_month, MAX(last_month) AS last_month
FROM (SELECT initiative_id, SUM(articles) AS articles, 0 AS countries, 0 AS participants_named,
             MIN(NULLIF(month, '')) AS first_month, MAX(NULLIF(month, '')) AS last_month
      FROM initiative_month_counts WHERE role = '' GROUP BY initiative_id
      UNION ALL
      SELECT initiative_id, 0, COUNT(DISTINCT country), COUNT(DISTINCT CASE WHEN {_PARTICIPANT} THEN country END),
             NULL, NULL
      FROM initiative_country_counts GROUP BY initiative_id)
GROUP BY initiative_id
"""


def rebuild_initiative_totals(conn):
    """initiative_totals counted again from the summaries (in the caller's transaction): an archive from before
    they were kept (store.migrate), or a repair. The country pairs' trigger adds each initiative's countries."""
    for statement in REBUILD_TOTALS_SQL:
        conn.execute(statement)


def mark_summaries(conn):
    "Records that the summaries count every article under SUMMARY_VERSION (in the caller's transaction)."
    built = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    conn.executemany("INSERT OR REPLACE INTO summary_state (name, value) VALUES (?, ?)",
                     [("version", SUMMARY_VERSION), ("built", built)])


# what the pages (plugin/readiness.py) and open_db ask before trusting the summaries: two index lookups, not a
# count, so that it costs nothing on a million articles. An article written without write_derived (a bulk
# loader, a user's own INSERT) has an id above the last one counted; an emptied summary counts none.
SUMMARY_STATE_SQL = """
SELECT (SELECT value FROM summary_state WHERE name = 'version') AS version,
       (SELECT value FROM summary_state WHERE name = 'built') AS built,
       (SELECT MAX(article_id) FROM summary_articles) AS counted,
       (SELECT MAX(id) FROM articles) AS newest
"""


def summaries_current(version, counted, newest):
    """True when the summaries may be read: they count the newest article (or there is none) under this
    version's meaning. An archive from before summary_state (version None) is read when it counts the newest
    article: its summaries were kept article by article."""
    return counted == newest and (version is None or str(version) == str(SUMMARY_VERSION))


def ensure_summaries(db, say=None):
    """Rebuilds the summaries (and the initiatives' counts read from them) unless they are current and
    recorded as built under SUMMARY_VERSION; an empty archive is only marked. Returns True when it rebuilt.
    `say(text)`: told before a rebuild, which takes minutes on a million articles."""
    version, built, counted, newest = db.conn.execute(SUMMARY_STATE_SQL).fetchone()
    if str(version) == str(SUMMARY_VERSION) and counted == newest:
        return False
    if newest is None:  # nothing to count (leftovers of deleted articles are cleared)
        rebuild_summaries(db)
        return False
    if say:
        articles = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        why = "never built" if counted is None else ("built by an older newstrace" if counted == newest
                                                     else f"missing the articles after id {counted:,}")
        say(f"Building the summary tables of {articles:,} articles (they were {why})...")
    rebuild_summaries(db)
    refresh_initiative_counts(db)
    return True


# country_role_counts from the rows (summary_articles giving each article's month and language): also what
# store.migrate fills it with in an archive from before it
ROLE_COUNTS_REBUILD_SQL = """
        INSERT INTO country_role_counts
          SELECT x.country, x.role, s.month, s.language, COUNT(*) FROM (
            SELECT DISTINCT article_id, country, COALESCE(role, '') AS role FROM participation
            WHERE country IS NOT NULL) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY 1, 2, 3, 4"""
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
            SELECT DISTINCT article_id, initiative_id, '' FROM participation WHERE initiative_id IS NOT NULL
            UNION
            SELECT DISTINCT article_id, initiative_id, '' FROM initiative_mentions) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY 1, 2, 3, 4""", """
        INSERT INTO initiative_country_counts
          SELECT initiative_id, role, country, s.month, s.language, COUNT(*), SUM(rows) FROM (
            SELECT article_id, initiative_id, COALESCE(role, '') AS role, country, COUNT(*) AS rows
            FROM participation WHERE initiative_id IS NOT NULL AND country IS NOT NULL
            GROUP BY article_id, initiative_id, COALESCE(role, ''), country) x
          JOIN summary_articles s ON s.article_id = x.article_id
          GROUP BY 1, 2, 3, 4, 5""", ROLE_COUNTS_REBUILD_SQL)


def rebuild_facet_counts(db, table=None):
    "The facet counts kept by triggers (schema.FACETS) counted again from the whole table (or every table)."
    with db.conn:
        for name in [table] if table else FACETS:
            for statement in facet_counts_rebuild(name):
                db.conn.execute(statement)


def refresh_summaries(db):
    """After a batch: an archive that has articles not counted in the summaries (written before they
    existed, or by a bulk loader that bypasses write_derived) gets them rebuilt whole."""
    counted = db.conn.execute("SELECT COUNT(*) FROM summary_articles").fetchone()[0]
    total = db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    if counted != total:
        rebuild_summaries(db)


# (a partitioned archive runs it on its archive-wide database, over initiative_claimed_max)
REFRESH_INITIATIVES_SQL = """
UPDATE initiatives SET
  participants_claimed = (SELECT MAX(claimed) FROM initiative_claimed_counts c
                          WHERE c.initiative_id = initiatives.id),
  participants_named = (SELECT COUNT(DISTINCT country) FROM initiative_country_counts p
                        WHERE p.initiative_id = initiatives.id
                          AND p.role NOT IN ('', 'mentioned', 'target', 'withdrawn', 'expelled',
                                             'suspended', 'candidate')),
  articles = (SELECT SUM(articles) FROM initiative_month_counts s
              WHERE s.initiative_id = initiatives.id AND s.role = '')
"""


def refresh_initiative_counts(db):
    """Claimed participant counts (largest any article gives) beside the countries actually named, and the
    articles naming each initiative (from the summaries: a few thousand index lookups, not a scan)."""
    with db.conn:
        db.conn.execute(REFRESH_INITIATIVES_SQL)
