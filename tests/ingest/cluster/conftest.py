"""A real Dask LocalCluster of 2 worker processes (one thread each) for the module's tests, closed after it;
archives compared row by row across a single file and a partitioned archive."""
import sqlite3
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def cluster():
    "A client of a 2-worker LocalCluster (tests pass its scheduler address to the CLI; killed workers restart)."
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.ERROR) as local, distributed.Client(local) as client:
        yield client


def connections(target):
    "sqlite3 connections to every file of an archive: [single] or [wide, partition...]."
    target = Path(target)
    if target.is_file():
        return [sqlite3.connect(target)]
    from newstrace.ingest.partitioned import wide_path

    wide = wide_path(target)
    return [sqlite3.connect(wide)] + [sqlite3.connect(p) for p in sorted(target.glob("*.db")) if p != wide]


def rows(target, sql):
    "The rows of `sql` over every file of the archive that has the tables it reads, sorted."
    out = []
    for conn in connections(target):
        try:
            out += conn.execute(sql).fetchall()
        except sqlite3.OperationalError as err:
            if "no such table" not in str(err):
                raise
        finally:
            conn.close()
    return sorted(out, key=repr)


# What "the same archive" means: every article's text, every claim, country and participation row (their
# own ids aside: a partition numbers its rows itself), and the partition of mentions into claims.
SAME = {
    "articles": "SELECT id, url, canonical_url, title, published, language, text, content_hash, duplicate_of, version "
                "FROM articles",
    "claim mentions": "SELECT article_id, char_start, char_end, sentence, claim_type, speaker, cited_source, "
                      "attribution_mode, verification_status, hedge_text, quantities, chain FROM claim_mentions",
    "country mentions": "SELECT article_id, country, surface, char_start, char_end, kind, reading FROM country_mentions",
    "participation": "SELECT article_id, initiative_id, country, role, status, valid_from, valid_to, evidence "
                     "FROM participation",
    "claims": "SELECT * FROM claims",
    "mention claims": "SELECT article_id, char_start, claim_id FROM claim_mentions",
    "claim edges": "SELECT * FROM claim_edges",
}


def claim_partition(target):
    "The mentions of each claim, as sets of (article id, char_start): ids aside, how mentions are grouped."
    groups = {}
    for article_id, start, claim_id in rows(target, "SELECT article_id, char_start, claim_id FROM claim_mentions"):
        groups.setdefault(claim_id, set()).add((article_id, start))
    return sorted(sorted(g) for g in groups.values())


def claim_bookkeeping(folder):
    """(claim_partitions as the archive-wide database keeps it, as the partitions' mentions give it): which
    partitions hold each claim's mentions, how many, and its first articles there."""
    from newstrace.ingest.partitioned import wide_path
    from newstrace.ingest.partitioned.layout import claim_partition_rows

    wide = sqlite3.connect(wide_path(folder))
    try:
        kept = sorted(wide.execute("SELECT claim_id, partition, n, first_articles FROM claim_partitions"))
        files = wide.execute("SELECT key, file FROM partitions").fetchall()
    finally:
        wide.close()
    return kept, sorted(row for key, file in files for row in claim_partition_rows(Path(folder) / file, key))


def role_bookkeeping(folder):
    "(partition_role_counts as the archive-wide database keeps it, as the partitions' participation rows give it)."
    from newstrace.ingest.partitioned import wide_path
    from newstrace.ingest.partitioned.layout import ROLES_SQL

    wide = sqlite3.connect(wide_path(folder))
    try:
        kept = sorted(wide.execute("SELECT partition, country, role, articles, initiatives FROM partition_role_counts"),
                      key=repr)
        files = wide.execute("SELECT key, file FROM partitions").fetchall()
    finally:
        wide.close()
    actual = []
    for key, file in files:
        conn = sqlite3.connect(Path(folder) / file)
        try:
            actual += [(key, *r) for r in conn.execute(ROLES_SQL)]
        finally:
            conn.close()
    return kept, sorted(actual, key=repr)


# words whose claims the archive-wide claim_sentences index must find as the partitions' mention indexes do
SENTENCE_QUERIES = ("rare", "rare earth", '"rare earth"', "稀土", "price", "gallium", "china", "export")


def wide_bookkeeping(folder):
    """{what: (as the archive-wide database keeps it, as the partitions give it)} for the tables added for issue 13's
    views: claim_sentences (its rows, and the claims its full-text index finds for SENTENCE_QUERIES),
    partition_country_initiatives, partition_country_articles, partition_initiative_articles and article_index.title."""
    from newstrace.ingest.partitioned import wide_path
    from newstrace.ingest.partitioned.layout import (CLAIM_SENTENCES_SQL, COUNTRY_ARTICLES_SQL, COUNTRY_INITIATIVES_SQL,
                                                     INITIATIVE_ARTICLES_SQL)
    from newstrace.ingest.store.cjk import fts_query

    wide = sqlite3.connect(wide_path(folder))
    try:
        files = wide.execute("SELECT key, file FROM partitions").fetchall()
        kept = {
            "claim_sentences": sorted(wide.execute("SELECT partition, claim_id, sentence FROM claim_sentences"), key=repr),
            "partition_country_initiatives": sorted(wide.execute(
                "SELECT partition, country, initiative_id, role, evidence FROM partition_country_initiatives"), key=repr),
            "titles": sorted(wide.execute("SELECT id, title FROM article_index")),
            "partition_country_articles": sorted(wide.execute(
                "SELECT partition, country, articles FROM partition_country_articles"), key=repr),
            "partition_initiative_articles": sorted(wide.execute(
                "SELECT partition, initiative_id, articles, dated FROM partition_initiative_articles"), key=repr),
            "facet_totals": sorted(wide.execute("SELECT facet, value, n, parts FROM facet_totals"), key=repr),
        }
        for q in SENTENCE_QUERIES:
            kept[q] = sorted({r[0] for r in wide.execute(
                "SELECT claim_id FROM claim_sentences WHERE id IN (SELECT rowid FROM claim_sentences_fts WHERE "
                "claim_sentences_fts MATCH ?)", [fts_query(q)])})
    finally:
        wide.close()
    actual = {k: [] for k in kept}
    found = {q: set() for q in SENTENCE_QUERIES}
    for key, file in files:
        conn = sqlite3.connect(Path(folder) / file)
        try:
            actual["claim_sentences"] += [(key, *r) for r in conn.execute(CLAIM_SENTENCES_SQL)]
            actual["partition_country_initiatives"] += [(key, *r) for r in conn.execute(COUNTRY_INITIATIVES_SQL)]
            actual["titles"] += conn.execute("SELECT id, title FROM articles").fetchall()
            actual["partition_country_articles"] += [(key, *r) for r in conn.execute(COUNTRY_ARTICLES_SQL)]
            actual["partition_initiative_articles"] += [(key, *r) for r in conn.execute(INITIATIVE_ARTICLES_SQL)]
            for q in SENTENCE_QUERIES:
                found[q] |= {r[0] for r in conn.execute(
                    "SELECT claim_id FROM claim_mentions WHERE claim_id IS NOT NULL AND id IN (SELECT rowid FROM "
                    "claim_mentions_fts WHERE claim_mentions_fts MATCH ?)", [fts_query(q)])}
        finally:
            conn.close()
    facets = {}
    for key, file in files:
        conn = sqlite3.connect(Path(folder) / file)
        try:
            for facet, value, n in conn.execute("SELECT facet, value, n FROM articles_facet_counts"):
                have = facets.setdefault((facet, value), [0, 0])
                have[0] += n
                have[1] += 1
        finally:
            conn.close()
    actual["facet_totals"] = [(facet, value, n, parts) for (facet, value), (n, parts) in facets.items()]
    for k in ("claim_sentences", "partition_country_initiatives", "titles", "partition_country_articles",
              "partition_initiative_articles", "facet_totals"):
        actual[k] = sorted(actual[k], key=repr) if k != "titles" else sorted(actual[k])
    for q in SENTENCE_QUERIES:
        actual[q] = sorted(found[q])
    return {k: (kept[k], actual[k]) for k in kept}


def assert_wide_bookkeeping(folder):
    for what, (kept, actual) in wide_bookkeeping(folder).items():
        assert kept == actual, f"{what}: the archive-wide database is not what the partitions hold"


def assert_same_archive(single, partitioned):
    for name, sql in SAME.items():
        a, b = rows(single, sql), rows(partitioned, sql)
        assert len(a) == len(b), f"{name}: {len(a)} rows in one file, {len(b)} partitioned"
        assert a == b, f"{name} differ"
    assert claim_partition(single) == claim_partition(partitioned)
    if Path(partitioned).is_dir():
        kept, actual = claim_bookkeeping(partitioned)
        assert kept and all(row[3] is not None for row in kept)
        assert kept == actual, "claim_partitions is not what the partitions hold"
        kept, actual = role_bookkeeping(partitioned)
        assert kept == actual, "partition_role_counts is not what the partitions hold"
        assert_wide_bookkeeping(partitioned)
