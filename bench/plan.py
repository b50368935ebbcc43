#!/usr/bin/env python3
"""The plan for 100 M pages on N machines, from the per-page costs bench_cluster.py measured (issue 13).

usage: python bench/plan.py [--pages 100000000] [--cores 16] [--months 12] [--workdir DIR] [--no-results]

Reads WORKDIR/cluster/figures.json (bench_cluster.py) and, when present, WORKDIR/partitioned-1000000 (the
1M archive's partitioned copy: bytes per article of synthetic, text-only pages). Writes the `plan-100m`
section of RESULTS.md: CPU-hours by stage, machines for a given wall time, partition sizes, writer
throughput, the archive-wide database's growth, and where the next limit is.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_WORKDIR, human_bytes, table, write_section  # noqa: E402

WORKER_STAGES = ("fetch", "decode", "extract", "analyze", "compress")


def plan(figures, pages, cores, months, synthetic=None):
    t = figures["timings"]
    stored = figures["stored"]
    per_page = {k: t.get(k, 0.0) / stored for k in (*WORKER_STAGES, "write", "trace")}
    worker_cpu = sum(per_page[k] for k in WORKER_STAGES)
    write_s, trace_s = per_page["write"], per_page["trace"]
    size = figures["sizes"]
    per_article = size["per_article_partition"]
    per_article_wide = size["per_article_wide"]
    lines = []
    lines.append(f"Measured per stored page (bench_cluster.py, {stored} real pages, the last `--partitioned "
                 f"--cluster local:2` run): extraction and analysis on the workers "
                 + ", ".join(f"{k} {1000 * per_page[k]:.1f} ms" for k in WORKER_STAGES)
                 + f" — **{1000 * worker_cpu:.1f} ms of CPU**; writing into a partition {1000 * write_s:.1f} ms "
                 f"(one writer per partition at a time); tracing the whole archive on the cluster "
                 f"{1000 * trace_s:.1f} ms (wall, 2 workers, re-run after every ingest that added pages). Partition "
                 f"files {human_bytes(per_article)} per article (raw response compressed, text, search index, "
                 f"claims, countries), the archive-wide database {human_bytes(per_article_wide)} per article."
                 + (f" Measured at load {figures['load'][0]:.1f}-{figures['load'][1]:.1f} on 2 cores: stage times are "
                    "wall time in the workers and overstate the CPU by about the load over the cores."
                    if figures.get("load") and figures["load"][1] > 2.5 else ""))
    if synthetic:
        lines.append(f"The 1M-article synthetic archive split by month: {synthetic['partitions']} partitions, "
                     f"{human_bytes(synthetic['per_article'])} per article (small raw pages by design).")
    cpu_hours = pages * worker_cpu / 3600
    rows = []
    for machines in (5, 10, 25, 50, 100):
        workers = machines * cores
        hours = cpu_hours / workers
        rows.append([machines, workers, f"{hours:.1f}", f"{pages / (hours * 3600):,.0f}"])
    month_pages = pages / months
    writer_rate = 1 / write_s if write_s else float("inf")
    lines += ["", f"**{pages:,} pages** take **{cpu_hours:,.0f} CPU-hours** of extraction and analysis "
                  f"({1000 * worker_cpu:.1f} ms a page). On machines of {cores} cores, one Dask worker a core "
                  "(pages are independent tasks; measured scaling 2 workers / 1 in the section above):", "",
              table(["machines", "workers", "hours", "pages/s needed from fetching or WARC reading"], rows), "",
              f"**Storage.** {human_bytes(pages * per_article)} of partitions for {pages:,} pages like the "
              f"evaluation pages; over {months} months of publication, partitions of "
              f"~{month_pages:,.0f} pages, {human_bytes(month_pages * per_article)} each. The archive-wide "
              f"database grows by {human_bytes(per_article_wide)} per article: "
              f"{human_bytes(pages * per_article_wide)} at {pages:,} (the article index, claim keys, claims).",
              "",
              f"**Writers.** One writer per partition file at a time, {writer_rate:,.0f} pages/s each (measured): "
              f"a month of {month_pages:,.0f} pages needs {month_pages / writer_rate / 3600:.1f} writer-hours, "
              f"so {months} months written in parallel finish in that time — as long as pages are spread over "
              "months. **The next limit**: a crawl of one month (tens of millions of pages published in it) puts "
              "them all into one partition and its single writer; such months need sub-partitions (month x a "
              "hash of the URL): the planner assigns partitions and the plugin finds a claim's, country's or "
              "article's partitions in the archive-wide tables, so only the search's month filter would learn "
              "the new keys.",
              "",
              "**Tracing.** The cluster tracer re-clusters every mention after each ingest that added pages (its "
              "result equals the single-process tracer's over the archive, whatever the batches were). Its "
              "linking runs on the workers, but the connected components, the claims' ids and rows and the "
              "article index are handled by the one client and the one archive-wide database: at 100 M pages "
              "(about 5 claim mentions a page on real news, 500 M mentions) the client would hold every "
              "mention's key (~200 bytes: ~100 GB). Before that scale: connected components on the cluster "
              "(label propagation over the link edges), claims written per shard of claim ids, and an "
              "incremental trace (candidates of the new mentions only, as the single-process tracer's batch "
              "mode does) so that a day's pages do not cost a re-trace of the archive.",
              "",
              "**Serving.** Closed months are immutable files (`-i`, `datasette inspect`) copied once to every "
              "read replica; a search reads every partition (its first statement per partition is a few ms, so "
              "hundreds of monthly partitions per search are the next limit of the views: coarser partitions "
              "for old years, or a term-to-partition index in the archive-wide database, would bound it). "
              "Before that: each page asks Datasette whether the actor may see every partition and the tables "
              "it reads there, and Datasette 0.65 deep-copies its whole metadata (every served database's "
              "hidden tables) for each table check — per request a cost that grows with the square of the "
              "partitions (most of the partitioned overview's time at 60 partitions, in a profile): serve "
              "coarser partitions, or per-actor answers cached for a request's partitions at once."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000_000)
    parser.add_argument("--cores", type=int, default=16)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    figures_path = workdir / "cluster" / "figures.json"
    if not figures_path.exists():
        raise SystemExit(f"{figures_path} is missing: run bench/bench_cluster.py first")
    figures = json.loads(figures_path.read_text())
    synthetic = None
    folder = workdir / "partitioned-1000000" / "newstrace"
    if (folder / "newstrace.db").exists():
        files = list(folder.glob("*.db"))
        synthetic = {"partitions": len(files) - 1,
                     "per_article": sum(f.stat().st_size for f in files) / 1_000_000}
    body = (f"`python bench/plan.py --pages {args.pages} --cores {args.cores} --months {args.months}` (from the "
            "figures of the `ingest-cluster` section)\n\n" + plan(figures, args.pages, args.cores, args.months,
                                                                    synthetic))
    print(body)
    if not args.no_results:
        write_section("plan-100m", f"Plan: {args.pages:,} pages on N machines", body)


if __name__ == "__main__":
    main()
