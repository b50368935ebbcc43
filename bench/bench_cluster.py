#!/usr/bin/env python3
"""Ingest on a Dask cluster against the same work in processes, side by side (issue 13).

usage: python bench/bench_cluster.py [--rounds 2] [--pages N] [--workdir DIR] [--no-results]

Per round, one after the other over the same files (../shared/eval/pages, read in place), each in its own
process into a fresh archive (wall time from process start to exit: imports and the LocalCluster's start
count): `newstrace ingest --workers 1`, `--workers 2`, `--cluster local:1` and `--cluster local:2` into one
file, and `--partitioned --cluster local:2` (partitions written on the workers, claims traced on the
cluster). Reports the speed-up of two cluster workers over one (target >= 1.7x), the cluster against
`--workers 2` (Dask's overhead: target <= 1.15x), and the per-page costs the plan for 100 M pages is built
on: CPU seconds per page by stage, writer throughput, tracing, bytes per article in partitions and in the
archive-wide database.
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import corpus_files, run_process  # noqa: E402
from common import BENCH, DEFAULT_WORKDIR, EVAL_PAGES, human_bytes, table, write_section  # noqa: E402

TARGET_SPEEDUP = 1.7
TARGET_OVERHEAD = 1.15
RUNS = (
    ("w1", "--workers 1", ["--workers", "1"]),
    ("w2", "--workers 2", ["--workers", "2"]),
    ("c1", "--cluster local:1", ["--cluster", "local:1"]),
    ("c2", "--cluster local:2", ["--cluster", "local:2"]),
    ("p2", "--partitioned --cluster local:2", ["--partitioned", "--cluster", "local:2"]),
)


def _clean(target):
    import shutil

    target = Path(target)
    if target.is_dir():
        shutil.rmtree(target)
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)


def run(workdir, key, options, sources):
    target = workdir / (f"{key}" if key.startswith("p") else f"{key}.db")
    _clean(target)
    out = workdir / f"{key}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(BENCH / "_ingest_child.py"), str(out), "ingest", str(target), *map(str, sources),
           *options, "--quiet"]
    wall, rss, code, err = run_process(cmd)
    info = json.loads(out.read_text()) if out.exists() else {}
    if code not in (0, 2) or not info:
        raise RuntimeError(f"{' '.join(options)} failed (exit {code}): {err[-2000:]}")
    return {"wall": wall, "rss_mb": rss, "target": str(target), **info}


def _cpu(run):
    "Processor seconds of a run: its process and the workers it waited for (bench/_ingest_child.py)."
    return run.get("cpu_main_s", 0.0) + run.get("cpu_workers_s", 0.0)


def sizes(folder):
    "Bytes of a partitioned archive: partitions and archive-wide database, per article."
    import sqlite3

    folder = Path(folder)
    wide = folder / f"{folder.name}.db"
    parts = [p for p in folder.glob("*.db") if p != wide]
    conn = sqlite3.connect(wide)
    articles = conn.execute("SELECT COUNT(*) FROM article_index").fetchone()[0] or 1
    conn.close()
    part_bytes = sum(p.stat().st_size for p in parts)
    return {"partitions": len(parts), "articles": articles, "partition_bytes": part_bytes,
            "wide_bytes": wide.stat().st_size, "per_article_partition": part_bytes / articles,
            "per_article_wide": wide.stat().st_size / articles,
            "largest_partition": max((p.stat().st_size for p in parts), default=0)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pages", type=int, default=None, help="Every k-th evaluation page, about this many.")
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR / "cluster"))
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    if not EVAL_PAGES.exists():
        print(f"{EVAL_PAGES} is absent: nothing to measure", file=sys.stderr)
        return None
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    files = corpus_files(EVAL_PAGES)
    sources = [EVAL_PAGES]
    if args.pages:
        files = files[::max(1, len(files) // args.pages)][:args.pages]
        sources = files
    runs = {key: [] for key, _, _ in RUNS}
    load = [__import__("os").getloadavg()[0]]
    for r in range(args.rounds):
        for key, label, options in RUNS:
            print(f"  round {r + 1}/{args.rounds}: {label}", file=sys.stderr, flush=True)
            runs[key].append(run(workdir, key, options, sources))
            load.append(__import__("os").getloadavg()[0])
    pages = len(files)
    med = {k: statistics.median(x["wall"] for x in v) for k, v in runs.items()}
    cpu = {k: statistics.median(_cpu(x) for x in v) for k, v in runs.items()}
    rows = [[label, " / ".join(f"{x['wall']:.1f}" for x in runs[key]), f"{pages / med[key]:.1f}",
             f"{med[key] / med['w2']:.2f}", f"{cpu[key]:.1f}", f"{cpu[key] / cpu['w1']:.2f}"] for key, label, _ in RUNS]
    stages = sorted({stage for v in runs.values() for x in v for stage in x["timings"]})
    stage_rows = [[label] + [f"{1000 * statistics.median(x['timings'].get(stage, 0.0) for x in runs[key]) / pages:.1f}"
                             for stage in stages] for key, label, _ in RUNS]
    speedup = [a["wall"] / b["wall"] for a, b in zip(runs["c1"], runs["c2"])]
    overhead = [a["wall"] / b["wall"] for a, b in zip(runs["c2"], runs["w2"])]
    overhead_p = [a["wall"] / b["wall"] for a, b in zip(runs["p2"], runs["w2"])]
    text = [f"{pages} evaluation pages; each run a fresh archive, in its own process. Load average (1 min) "
            f"{min(load):.1f}-{max(load):.1f} during the runs: the stage times below are wall time in the workers, "
            "and on a 2-core machine with other work two workers cannot get two cores.", "",
            table(["ingest", "wall s per round", "pages/s (median)", "time / --workers 2", "CPU s", "CPU / --workers 1"],
                  rows), "",
            "CPU s: processor seconds (user + system) of the run's process and every worker process it waited for "
            "(the LocalCluster's scheduler, nannies and workers included): what the cluster costs whatever the "
            "load. Stage times per page (ms, summed over pages as each batch measures them; wall time in the "
            "workers, so they grow with the load):", "",
            table(["ingest"] + stages, stage_rows), ""]
    s, o, op = statistics.median(speedup), statistics.median(overhead), statistics.median(overhead_p)
    text.append(f"- `--cluster local:2` over `--cluster local:1`: **{s:.2f}x** (rounds "
                f"{', '.join('%.2f' % x for x in speedup)}; target >= {TARGET_SPEEDUP}x: "
                f"{'met' if s >= TARGET_SPEEDUP else 'MISSED'})")
    text.append(f"- `--cluster local:2` against `--workers 2`: **{o:.2f}x** the time (rounds "
                f"{', '.join('%.2f' % x for x in overhead)}; target <= {TARGET_OVERHEAD}x: "
                f"{'met' if o <= TARGET_OVERHEAD else 'MISSED'})")
    text.append(f"- `--partitioned --cluster local:2` against `--workers 2`: {op:.2f}x the time (rounds "
                f"{', '.join('%.2f' % x for x in overhead_p)}): partitions written on the workers, claims traced "
                "on the cluster")
    last = runs["p2"][-1]
    stored = last["counts"].get("new", 0) or 1
    timings = dict(last["timings"])
    size = sizes(last["target"])
    text += ["", "Per-page costs (last partitioned run; seconds summed over pages as the batch measures them):", "",
             table(["stage", "seconds", "ms per stored page"],
                   [[k, f"{v:.2f}", f"{1000 * v / stored:.1f}"] for k, v in sorted(timings.items())]), "",
             f"- pages stored: {stored}; partitions: {size['partitions']} (largest {human_bytes(size['largest_partition'])})",
             f"- partition files: {human_bytes(size['per_article_partition'])} per article "
             f"(raw response, text, indexes); archive-wide database: {human_bytes(size['per_article_wide'])} per article",
             f"- writer throughput: {stored / timings.get('write', 1):.0f} pages/s per partition writer (record_page "
             "and the archive id, FTS included)"]
    body = (f"`python bench/bench_cluster.py --rounds {args.rounds}"
            + (f" --pages {args.pages}" if args.pages else "") + "` (runs alternate within each round)\n\n"
            + "\n".join(text) + "\n")
    print(body)
    figures = {"speedup": s, "overhead": o, "cpu": cpu, "overhead_partitioned": op, "timings": timings, "sizes": size,
               "pages": pages, "stored": stored, "load": [min(load), max(load)]}
    (workdir / "figures.json").write_text(json.dumps(figures, indent=1))
    if not args.no_results:
        write_section("ingest-cluster", "Ingest on a Dask cluster", body)
    return figures


if __name__ == "__main__":
    main()
