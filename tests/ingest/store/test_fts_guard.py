"""The guard of the spaced-CJK index: `sqlite-utils rebuild-fts` silently breaks Chinese search; newstrace
finds such an index and rebuilds it (newstrace rebuild-fts, and before every ingest)."""
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from newstrace.ingest.store.cjk import fts_query
from newstrace.ingest.store.fts_check import broken_fts
from tests.conftest import run_cli


def found(path, query, fts="articles_fts"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH ?", [fts_query(query)]).fetchone()[0]
    finally:
        conn.close()


def sqlite_utils_rebuild(path, *tables):
    exe = Path(sys.executable).with_name("sqlite-utils")
    subprocess.run([str(exe), "rebuild-fts", str(path), *tables], check=True, capture_output=True)


def test_rebuild_fts_repairs_what_sqlite_utils_broke(sample_db, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    before = found(path, "稀土"), found(path, "rare earth"), found(path, "稀土", "claim_mentions_fts")
    assert before[0] > 0 and before[1] > 0 and before[2] > 0
    assert broken_fts(sqlite3.connect(path)) == []
    sqlite_utils_rebuild(path, "articles", "claim_mentions")
    assert found(path, "稀土") < before[0]  # the breakage this guards against
    assert broken_fts(sqlite3.connect(path)) == ["articles", "claim_mentions"]
    result = run_cli("rebuild-fts", path)
    assert result.returncode == 0 and "rebuilt articles, claim_mentions" in result.stderr
    assert (found(path, "稀土"), found(path, "rare earth"), found(path, "稀土", "claim_mentions_fts")) == before
    assert "sound" in run_cli("rebuild-fts", path).stderr


def test_ingest_rebuilds_a_broken_index_first(sample_db, sample_server, tmp_path):
    path = tmp_path / "newstrace.db"
    shutil.copy(sample_db, path)
    before = found(path, "稀土")
    sqlite_utils_rebuild(path, "articles")
    result = run_cli("ingest", path, sample_server.url("/meridian/vance-price-floors.html"), "--allow-private",
                     "--delay", "0", "--quiet")
    assert result.returncode == 0 and "full-text index of articles" in result.stderr
    assert found(path, "稀土") == before


def test_every_file_of_a_partitioned_archive_is_checked(sample_db, tmp_path):
    parts = tmp_path / "news"
    assert run_cli("partition", sample_db, parts, "--quiet").returncode == 0
    # a month with Chinese text: rebuilt from the plain text, only its index differs from the spaced one
    partition = next(p for p in sorted(parts.glob("news-*.db")) if sqlite3.connect(p).execute(
        "SELECT 1 FROM articles WHERE language LIKE 'zh%' LIMIT 1").fetchone())
    sqlite_utils_rebuild(partition, "articles")
    result = run_cli("rebuild-fts", parts)
    assert result.returncode == 0
    assert f"{partition}: rebuilt articles" in result.stderr and "1 full-text indexes rebuilt" in result.stderr
