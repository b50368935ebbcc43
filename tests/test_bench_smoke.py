"""The bench scripts work: a tiny generated corpus and a 200-article synthetic archive (no timing asserted)."""
import gzip
import json
import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))


def test_generated_pages_are_varied_html(tmp_path):
    import generate_pages

    paths = generate_pages.generate(tmp_path, pages=40, seed=3)
    assert len(paths) == 40
    names = " ".join(p.name for p in paths)
    assert ".html.gz" in names and "-gbk" in names
    assert {"news", "blog", "table", "aggregator", "release"} <= {p.name.split("-")[2].split(".")[0] for p in paths}
    gbk = next(p for p in paths if "-gbk" in p.name)
    body = gbk.read_bytes()
    body = gzip.decompress(body) if gbk.name.endswith(".gz") else body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "<p>" in body.decode("gbk")


def test_make_archive_200(tmp_path):
    import make_archive

    db = tmp_path / "newstrace.db"
    info = make_archive.build(db, 200, seed=5, claims="synthetic", progress=False)
    assert info["counts"]["articles"] == 200
    conn = sqlite3.connect(db)
    langs = dict(conn.execute("SELECT language, COUNT(*) FROM articles GROUP BY language").fetchall())
    assert 15 <= langs.get("zh", 0) <= 70 and langs["en"] > langs.get("zh", 0)
    assert conn.execute("SELECT COUNT(DISTINCT sitename) FROM articles").fetchone()[0] > 30
    # every stored offset points at what it says, as the extractors' contract requires
    for text, start, end, surface in conn.execute(
            "SELECT a.text, m.char_start, m.char_end, m.surface FROM country_mentions m JOIN articles a ON a.id = m.article_id"):
        assert text[start:end] == surface
    for text, start, end, sentence in conn.execute(
            "SELECT a.text, m.char_start, m.char_end, m.sentence FROM claim_mentions m JOIN articles a ON a.id = m.article_id"):
        assert text[start:end] == sentence
    # planted terms are found through the CJK-aware index, at about the stated rate
    from newstrace.ingest.store.cjk import fts_query

    common = conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", [fts_query("储备")]).fetchone()[0]
    assert 30 <= common <= 95
    top = conn.execute("SELECT MAX(n_mentions) FROM claims").fetchone()[0]
    assert top and top > 3
    assert json.loads(Path(str(db) + ".bench.json").read_text())["complete"]
    conn.close()


def test_months_narrows_the_publication_dates_to_the_newest_months(tmp_path):
    import make_archive

    db = tmp_path / "newstrace.db"
    info = make_archive.build(db, 300, seed=5, claims="synthetic", progress=False, jobs=2, months=12)
    conn = sqlite3.connect(db)
    months = [r[0] for r in conn.execute("SELECT DISTINCT published_month FROM articles ORDER BY 1")]
    conn.close()
    # a year ending in February 2026, every month of it in 300 articles (about 25 a month)
    assert months == [f"2025-{m:02d}" for m in range(3, 13)] + ["2026-01", "2026-02"]
    assert info["months"] == 12


def test_bulk_and_page_by_page_write_the_same_rows(tmp_path):
    import make_archive

    a, b = tmp_path / "a.db", tmp_path / "b.db"
    make_archive.build(a, 60, seed=9, mode="bulk", claims="synthetic", progress=False)
    make_archive.build(b, 60, seed=9, mode="pages", claims="synthetic", progress=False)
    ca, cb = sqlite3.connect(a), sqlite3.connect(b)
    for table in ("articles", "snapshots", "claim_mentions", "country_mentions", "article_countries",
                  "participation", "claims"):
        rows_a = ca.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        rows_b = cb.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        assert rows_a == rows_b, table
    # the bulk loader writes no summaries; finish() counts them as the pages' write_derived does, and marks them
    for table in ("summary_articles", "country_month_counts", "country_surface_counts", "initiative_month_counts",
                  "initiative_country_counts"):
        rows_a = sorted(ca.execute(f"SELECT * FROM {table}").fetchall())
        assert rows_a and rows_a == sorted(cb.execute(f"SELECT * FROM {table}").fetchall()), table
    assert ca.execute("SELECT value FROM summary_state WHERE name = 'version'").fetchone()[0] == 1
    assert ca.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'stockpile'").fetchone() == \
        cb.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'stockpile'").fetchone()


def test_size_report_splits_the_file(tmp_path):
    import bench_size
    import make_archive

    db = tmp_path / "newstrace.db"
    make_archive.build(db, 50, seed=2, claims="synthetic", progress=False)
    m = bench_size.measure(db)
    assert m["articles"] == 50 and m["text"] > 0 and m["raw_compressed"] > 0
    if m["split"] is not None:
        assert m["split"][bench_size.FTS] > 0
        assert abs(sum(m["split"].values()) - m["file"]) < 4096 * 4


def test_views_against_a_real_server_and_the_summary_table(tmp_path):
    "bench_views measures every view over HTTP (no timing asserted); summary.py puts the sizes side by side."
    import bench_views
    import make_archive
    import summary

    db = tmp_path / "scale-80" / "newstrace.db"
    db.parent.mkdir()
    make_archive.build(db, 80, seed=6, claims="synthetic", progress=False)
    out = bench_views.measure(str(db), requests=2, max_seconds=5, progress=False)
    assert all(r["status"] == 200 for r in out["results"]), [(r["label"], r["status"]) for r in out["results"]]
    labels = [r["label"] for r in out["results"]]
    assert any(label.startswith("articles, 3 facet values chosen") for label in labels)
    assert all(len(r["times"]) == 2 for r in out["results"])
    bench_views.write_views_section(out, 2, write=False)
    text = summary.render(summary.load_runs(tmp_path))
    assert "80 articles" in text and "| claim page " in text and "| country page " in text
    assert text.count("\n") == len({summary.view_key(label) for label in labels}) + 1


def test_a_quick_run_never_writes_over_the_full_run_results(tmp_path):
    "run.py --quick reports in RESULTS.quick.md; RESULTS.md (the committed full runs) stays as it is."
    import common
    import run

    before = common.RESULTS.read_bytes()
    try:
        run.main(["--quick", "--skip", "ingest,views,size", "--workdir", str(tmp_path)])
        assert common.results_path() == common.QUICK_RESULTS
        common.write_section("views-2000", "Views at 2,000 articles", "a quick run's table")
        assert common.RESULTS.read_bytes() == before
        assert "a quick run's table" in common.QUICK_RESULTS.read_text(encoding="utf-8")
    finally:
        common.use_results(common.RESULTS)
        common.QUICK_RESULTS.unlink(missing_ok=True)


def test_the_quick_summary_shows_only_the_sizes_it_ran(tmp_path):
    import summary

    for n in (2000, 1_000_000):
        folder = tmp_path / f"scale-{n}"
        folder.mkdir()
        (folder / "newstrace.db.views.json").write_text(json.dumps({"articles": n, "results": []}))
    assert [r["articles"] for r in summary.load_runs(tmp_path, {2000})] == [2000]
    assert [r["articles"] for r in summary.load_runs(tmp_path)] == [2000, 1_000_000]


def test_probe_article_gives_the_article_page_its_worst_case(tmp_path):
    "bench/probe_article.py: one article carrying the most-mentioned claims, added once, served whole."
    import asyncio

    import make_archive
    from datasette.app import Datasette
    from probe_article import ensure_probe

    db = tmp_path / "newstrace.db"
    make_archive.build(db, 40, seed=4, claims="synthetic", progress=False)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    wanted = min(50, conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0])
    conn.close()
    aid = ensure_probe(db, mentions=50)
    assert ensure_probe(db, mentions=50) == aid, "idempotent"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == before + 1
    text, = conn.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()
    rows = conn.execute("SELECT char_start, char_end, sentence FROM claim_mentions WHERE article_id = ?", [aid]).fetchall()
    assert len(rows) == wanted and all(text[s:e] == sentence for s, e, sentence in rows)
    for start, end, surface in conn.execute("SELECT char_start, char_end, surface FROM country_mentions "
                                            "WHERE article_id = ?", [aid]):
        assert text[start:end] == surface
    conn.close()

    async def page():
        ds = Datasette([str(db)])
        return (await ds.client.get(f"/newstrace/-/articles/{aid}")).text

    html = asyncio.run(page())
    assert html.count('class="newstrace-claim-sentence') >= wanted and "Version 1 → version 2" in html


def test_the_analysis_bench_tells_identical_output_from_changed(tmp_path):
    "bench_analyze --compare: a page whose analysis changed, or is missing, fails the byte-identity check."
    import bench_analyze
    from newstrace.ingest.pipeline.analyze import analyze_text

    text = "Exports rose 12 percent in May, the ministry said on Tuesday."
    page = {"text": text, "language": "en", "title": None, "published": "2024-06-04"}
    line = bench_analyze._line("a.html", page, analyze_text(text, "en", "2024-06-04"))
    ref = tmp_path / "ref.jsonl"
    ref.write_text(line + "\n", encoding="utf-8")
    assert bench_analyze._compare({"a.html": line}, ref) == ([], [])
    other = dict(page, text=text.replace("12", "13"))
    changed = bench_analyze._line("a.html", other, analyze_text(other["text"], "en", "2024-06-04"))
    assert bench_analyze._compare({"a.html": changed}, ref) == (["a.html"], [])
    assert bench_analyze._compare({}, ref) == ([], ["a.html"])


def test_the_ingest_child_does_nothing_when_a_spawned_worker_imports_it(tmp_path):
    # multiprocessing's "spawn" (Dask's nannies use it) runs the parent's main module again as __mp_main__ in
    # each new worker: the bench child must not start a second ingest there
    import runpy

    out = tmp_path / "out.json"
    argv = sys.argv
    sys.argv = ["_ingest_child.py", str(out), "ingest", str(tmp_path / "x.db"), str(tmp_path), "--quiet"]
    try:
        runpy.run_path(str(Path(__file__).resolve().parent.parent / "bench" / "_ingest_child.py"),
                       run_name="__mp_main__")
    finally:
        sys.argv = argv
    assert not out.exists() and not (tmp_path / "x.db").exists()


def test_the_plan_reads_the_sections_it_cites_and_counts_the_permission_checks():
    "bench/plan.py reads the figures the other benches wrote (their formats are its input) and measures a check."
    import plan

    costs, cluster, serving = plan.ingest_all_costs(), plan.cluster_costs(), plan.serving_figures()
    for found in (costs, cluster):
        assert set(plan.WORKER_STAGES) <= set(found["ms"]) and found["pages"] and found["date"] != "?"
    assert cluster["writer_rate"] and cluster["per_article"] and cluster["per_article_wide"]
    assert serving["views"] and serving["within"] and serving["partitions"]
    checks = plan.permission_check_ms(partitions=(1, 4), repeat=3)
    if checks is not None:  # Datasette 0.65
        assert set(checks) == {1, 4} and all(ms > 0 for ms in checks.values())
    text = plan.plan(costs, cluster, serving, checks, 100_000_000, 16, 12)
    assert "CPU-hours" in text and "**Serving.**" in text and "`partitioned-views-1000000`" in text
    if checks is not None:
        assert "**Permission checks.**" in text


def test_a_section_is_rewritten_in_its_place(tmp_path):
    "Rewriting one section leaves the others where they are (RESULTS.md's later sections were placed by hand)."
    import re

    import common

    path = tmp_path / "RESULTS.md"
    for key in ("views-2000", "ingest", "plan-100m"):
        common.write_section(key, key, f"first {key}", path=path)
    before = re.findall(r"<!-- bench:([^ >]+) -->", path.read_text())
    assert before == ["ingest", "views-2000", "plan-100m"]
    text = path.read_text()
    # a section moved by hand after the others
    moved = re.search(r"<!-- bench:views-2000 -->.*?<!-- /bench:views-2000 -->\n", text, re.S).group(0)
    path.write_text(text.replace(moved, "") + moved)
    common.write_section("views-2000", "views-2000", "second", path=path)
    common.write_section("ingest-cluster", "ingest-cluster", "new", path=path)
    assert re.findall(r"<!-- bench:([^ >]+) -->", path.read_text()) == ["ingest", "ingest-cluster", "plan-100m",
                                                                        "views-2000"]
    assert "second" in path.read_text() and "first views-2000" not in path.read_text()
