"""The one process that decides (the Dask client): which pages are new and which article they are, in the
order the sources listed them — the article index and the id counter live in the archive-wide database —
and what the partitions' writers reported, kept there (index rows, summaries, the fetch log)."""
from collections import defaultdict

from .. import store
from .layout import PARTITIONED_SUMMARIES, now, partition_key, set_country_initiatives, set_evidence_articles

FIND_SQL = """
SELECT id, partition, COALESCE(final_url, url) AS fetched, url IN ({marks}) OR final_url IN ({marks}) AS own
FROM article_index
WHERE canonical_url IN ({marks}) OR url IN ({marks}) OR final_url IN ({marks}) ORDER BY own DESC, id
"""
DUPLICATE_SQL = "SELECT id FROM article_index WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1"


def page_key(result):
    """The little a planner needs of a worker's result (the result itself stays on the worker)."""
    if not result["ok"]:
        return {k: result.get(k) for k in ("ok", "stage", "error_class", "message", "http_status", "robots")} | {
            "url": result["task"]["url"], "source": result["task"]["source"]}
    page, fetched = result["page"], result["fetched"]
    return {"ok": True, "url": fetched["url"], "final_url": fetched.get("final_url") or fetched["url"],
            "canonical_url": page.get("canonical_url"), "source": result["task"]["source"],
            "content_hash": store.content_hash(page["text"]), "published_month": page.get("published_month"),
            "status": fetched.get("status"), "fetched_at": fetched["fetched_at"], "timings": result.get("timings"),
            "robots": result.get("robots")}


class Planner:
    "Article ids and partitions for the pages of one ingest run, in source order."

    def __init__(self, archive):
        self.archive = archive
        self.conn = archive.wide.conn
        # pages planned in this run and not yet in the index: url -> (article id, partition)
        self.pending = {}
        self.hashes = {}
        top = self.conn.execute("SELECT MAX(id) FROM article_index").fetchone()[0] or 0
        self.next_id = max(int(archive.info("next_article_id", 1)), top + 1)

    def find(self, *urls, fetched=None):
        """The article one of `urls` is: stored at one of them, or under one of them as its canonical URL by a
        page of the same site as `fetched` (the page's own URL; default the first of `urls`) — a canonical
        URL another site's page declares is only its claim (store.known_article / store.record_page's rule)."""
        urls = [u for u in urls if u]
        if not urls:
            return None
        own_site = store.site(fetched or urls[0])
        marks = ", ".join("?" * len(urls))
        hits = [self.pending[u][:2] for u in urls
                if u in self.pending and (self.pending[u][2] or store.site(self.pending[u][3]) == own_site)]
        for article_id, partition, at, own in self.conn.execute(FIND_SQL.format(marks=marks), urls * 5):
            if own or store.site(at) == own_site:
                hits.append((article_id, partition))
                break
        return min(hits) if hits else None

    def plan(self, position, key):
        "{position, article_id, partition, new, duplicate_of} for a page that was extracted."
        found = self.find(key["url"], key["final_url"], key["canonical_url"], fetched=key["final_url"])
        if found:
            article_id, partition = found
            return {"position": position, "article_id": article_id, "partition": partition, "new": False,
                    "duplicate_of": None}
        article_id = self.next_id
        self.next_id += 1
        candidates = [row[0] for row in self.conn.execute(DUPLICATE_SQL, [key["content_hash"]])]
        if key["content_hash"] in self.hashes:
            candidates.append(self.hashes[key["content_hash"]])
        duplicate_of = min(candidates, default=None)
        if duplicate_of is None:
            self.hashes.setdefault(key["content_hash"], article_id)
        partition = partition_key(key["published_month"])
        for url in (key["canonical_url"], key["url"], key["final_url"]):
            if url:
                # (id, partition, fetched at this very URL, the URL it was fetched at)
                self.pending.setdefault(url, (article_id, partition, url in (key["url"], key["final_url"]),
                                              key["final_url"]))
        return {"position": position, "article_id": article_id, "partition": partition, "new": True,
                "duplicate_of": duplicate_of}

    def reserve(self):
        "Keep the id counter past every id handed out, before any writer uses them (a kill never reuses one)."
        with self.conn:
            self.archive.set_info("next_article_id", self.next_id)


def apply_report(archive, report):
    "A partition writer's report into the archive-wide database: index rows, summaries, size."
    conn = archive.wide.conn
    key = report["key"]
    with conn:
        conn.executemany(
            "INSERT OR REPLACE INTO article_index (id, partition, url, final_url, canonical_url, content_hash, "
            "duplicate_of, outlet, published, published_month, language, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(row[0], key, *row[1:]) for row in report["index"]])
        _summaries(conn, report)
        conn.execute("INSERT INTO partitions (key, file, articles, first_month, last_month, updated) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET articles = excluded.articles, "
                     "first_month = excluded.first_month, last_month = excluded.last_month, "
                     "updated = excluded.updated",
                     [key, archive.partition_file(key).name, report["articles"], report["first_month"],
                      report["last_month"], now()])
        archive.set_info("traced", 0)


def _summaries(conn, report):
    key = report["key"]
    for table in PARTITIONED_SUMMARIES:
        columns, rows = report["summaries"][table]
        conn.execute(f"DELETE FROM [{table}] WHERE partition = ?", [key])
        conn.executemany(
            "INSERT INTO [{}] (partition, {}) VALUES (?, {})".format(
                table, ", ".join(f"[{c}]" for c in columns), ", ".join("?" * len(columns))),
            [(key, *row) for row in rows])
    conn.execute("DELETE FROM initiative_claimed_max WHERE partition = ?", [key])
    conn.executemany("INSERT INTO initiative_claimed_max (partition, initiative_id, claimed, articles) "
                     "VALUES (?, ?, ?, ?)", [(key, *row) for row in report["claimed"]])
    conn.execute("DELETE FROM partition_role_counts WHERE partition = ?", [key])
    conn.executemany("INSERT INTO partition_role_counts (partition, country, role, articles, initiatives) "
                     "VALUES (?, ?, ?, ?, ?)", [(key, *row) for row in report["roles"]])
    if "country_initiatives" in report:
        set_country_initiatives(conn, key, report["country_initiatives"])
    if "country_articles" in report:
        set_evidence_articles(conn, key, report["country_articles"], report["initiative_articles"])


def apply_summaries(archive, report):
    "A partition's summaries (partition_report) into the archive-wide database, nothing else of its report."
    with archive.wide.conn:
        _summaries(archive.wide.conn, report)


def refresh_initiatives(archive):
    """initiatives.participants_claimed, _named and articles over every partition (store.refresh_initiative_counts'
    statement, over the partitions' summaries kept here)."""
    with archive.wide.conn:
        archive.wide.conn.execute(store.REFRESH_INITIATIVES_SQL.replace("initiative_claimed_counts",
                                                                        "initiative_claimed_max"))


def partition_groups(plans):
    "{partition: [plan, ...]} in source order."
    groups = defaultdict(list)
    for plan in plans:
        groups[plan["partition"]].append(plan)
    return groups
