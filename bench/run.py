#!/usr/bin/env python3
"""Run the benchmarks of issue 5 and update bench/RESULTS.md.

usage: python bench/run.py [--quick] [--reuse] [--sizes 10000,100000,1000000] [--skip ingest,views,size]
                           [--workdir DIR] [--requests 50]

1. ingest cost (bench_ingest.py): newstrace ingest vs bare trafilatura, workers, RSS, stages;
2. scale (make_archive.py + bench_views.py): a synthetic archive of each size, every view over HTTP against
   `datasette serve` and its SQL in sqlite3;
3. size (bench_size.py): bytes per article for the ingested real pages and for each archive.

--quick: ingest over 120 + 120 pages, one 2,000-article archive, 20 requests per view (about a minute
when the machine is otherwise idle); it checks the harness and reports in bench/RESULTS.quick.md (not
committed), so the full-run sections of RESULTS.md stay as they are. --reuse keeps an archive built before with the same size and seed
(WORKDIR/scale-N/newstrace.db with its .bench.json); building 1M articles takes long.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import DEFAULT_WORKDIR, QUICK_RESULTS  # noqa: E402


def claims_mode(n, choice):
    "Tracing (trace.finish_batch) up to 10k articles; synthetic claims above, where tracing dominates the build."
    if choice != "default":
        return choice
    return "auto" if n <= 10_000 else "synthetic"


def archive(workdir, n, reuse, seed=1, claims="default", jobs=2):
    import make_archive

    db = workdir / f"scale-{n}" / "newstrace.db"
    meta = Path(str(db) + ".bench.json")
    if reuse and db.exists() and meta.exists():
        info = json.loads(meta.read_text())
        if info.get("complete") and info.get("articles") == n and info.get("seed") == seed:
            print(f"Reusing {db} ({n:,} articles)", file=sys.stderr)
            # indexes added to the schema since it was built, and statistics
            steps = make_archive.finish(db)
            if steps:
                print("  finished: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()), file=sys.stderr)
            return db, None
    print(f"Building {db} ({n:,} articles)", file=sys.stderr, flush=True)
    info = make_archive.build(db, n, seed=seed, claims=claims_mode(n, claims), jobs=jobs)
    make_archive.report(db, info)
    return db, info


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--sizes", default=None, help="Archive sizes, comma separated (default 10000,100000,1000000).")
    parser.add_argument("--skip", default="", help="Comma separated: ingest, views, size.")
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--claims", choices=("default", "auto", "trace", "synthetic"), default="default",
                        help="Claims of the archives: default traces up to 10k articles, synthetic above.")
    parser.add_argument("--jobs", type=int, default=2, help="Generator processes of the archive build.")
    parser.add_argument("--max-seconds", type=float, default=None, help="Per view (default 120, quick 5).")
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="A Datasette setting added to the README's for the view benchmark.")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in (args.sizes or ("2000" if args.quick else "10000,100000,1000000")).split(",")]
    requests = args.requests or (20 if args.quick else 50)
    started = time.monotonic()
    if args.quick:
        # the committed RESULTS.md keeps its full-run sections: a quick run reports elsewhere
        common.use_results(QUICK_RESULTS)

    if "ingest" not in skip:
        import bench_ingest

        print("== ingest cost", file=sys.stderr, flush=True)
        bench_ingest.main((["--quick"] if args.quick else []) + ["--workdir", str(workdir / "ingest")])
        if "size" not in skip:
            import bench_size

            for name in ("eval-pages", "generated-pages"):
                db = workdir / "ingest" / f"{name}-w1.db"
                if db.exists():
                    bench_size.report(db, f"ingested {name}" + (" (quick subset)" if args.quick else ""))

    if "views" not in skip or "size" not in skip:
        import bench_size
        import bench_views

        for n in sizes:
            print(f"== scale: {n:,} articles", file=sys.stderr, flush=True)
            db, _ = archive(workdir, n, args.reuse, claims=args.claims, jobs=args.jobs)
            if "views" not in skip:
                budget = args.max_seconds or (5 if args.quick else 120)
                out = bench_views.measure(db, requests, max_seconds=budget, extra_settings=args.setting)
                bench_views.write_views_section(out, requests)
            if "size" not in skip:
                bench_size.report(db, f"synthetic archive {n} articles")
    if "views" not in skip:
        import summary

        summary.main(["--workdir", str(workdir)] + (["--sizes", ",".join(map(str, sizes))] if args.quick else []))
    print(f"Done in {time.monotonic() - started:.0f} s; results in {common.results_path()}", file=sys.stderr)


if __name__ == "__main__":
    main()
