"""articles_facet_counts and claims_facet_counts: the whole-table counts behind the two pages' facets, kept
by triggers — true after an ingest, a re-fetch, a re-extraction (the tracer rewrites claims), users' own
UPDATEs and DELETEs, and rebuilt for an archive written before they existed."""
import shutil
import sqlite3

from tests.conftest import ingest_sample, run_cli

from newstrace.ingest import store


def counts(path, table="articles"):
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute(f"SELECT facet, value, n FROM {table}_facet_counts"))
    finally:
        conn.close()


def rebuilt(path, table="articles"):
    db = store.open_db(str(path))
    store.rebuild_facet_counts(db, table)
    db.conn.close()
    return counts(path, table)


def test_counts_stay_true_through_every_writer(sample_db, sample_server, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    kept = counts(path)
    facets = {facet for facet, _, _ in kept}
    assert facets == {"sitename", "language", "published_month", "author", "date(published)", "countries"}
    assert dict(((f, v), n) for f, v, n in kept)[("language", "zh")] >= 3
    assert kept == rebuilt(path)

    claims = counts(path, "claims")
    assert {facet for facet, _, _ in claims} >= {"claim_type", "status", "first_seen_month", "status_conflict",
                                                 "has_variants", "languages"}
    # integers stay integers, as Datasette's own facets return them
    assert {type(v) for f, v, _ in claims if f in ("status_conflict", "has_variants")} == {int}
    assert claims == rebuilt(path, "claims")

    # a re-fetch of everything (the changing page gets a new version) and a re-extraction
    assert ingest_sample(path, sample_server, "--refetch").returncode in (0, 2)
    assert run_cli("reextract", path, "--quiet").returncode == 0
    kept = counts(path)
    assert kept == rebuilt(path)
    assert counts(path, "claims") == rebuilt(path, "claims")

    # users' own edits: a changed site name and countries, an invalid array, a deleted article
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE articles SET sitename = 'Renamed', countries = '[\"NZ\"]' WHERE id = 1")
        conn.execute("UPDATE articles SET countries = 'not json' WHERE id = 2")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM articles WHERE id = 3")
    conn.close()
    kept = counts(path)
    assert ("sitename", "Renamed", 1) in kept and ("countries", "NZ", 1) in kept
    assert kept == rebuilt(path)
    assert all(n > 0 for _, _, n in kept)


def test_an_archive_without_the_summary_gets_it_when_opened(sample_db, tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(sample_db, path)
    expected = counts(path)
    conn = sqlite3.connect(path)
    expected_claims = counts(path, "claims")
    with conn:
        for table in ("articles", "claims"):
            for name in ("insert", "delete", "update"):
                conn.execute(f"DROP TRIGGER {table}_facet_counts_{name}")
            conn.execute(f"DROP TABLE {table}_facet_counts")
    conn.close()
    store.open_db(str(path)).conn.close()
    assert counts(path) == expected and counts(path, "claims") == expected_claims
