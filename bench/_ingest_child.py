"""Run `newstrace ingest ARGS...` in this process exactly as the console script does, then write what the
batch measured (per-stage seconds, counts), this process's peak RSS and the processor seconds of it and its
workers to OUT_JSON.

usage: python bench/_ingest_child.py OUT_JSON [--profile] ingest DB SOURCES... [--workers N]

Everything runs under `if __name__ == "__main__"`: `--cluster local:N` starts Dask workers with the
multiprocessing "spawn" method, which imports the parent's main module again in each worker (as
`__mp_main__`); unguarded, each worker ran this whole ingest again while it started (a second LocalCluster
that failed twice), and the benchmark charged that to the cluster. The `newstrace` console script has the
guard already.
"""
import json
import resource
import sys
import time


def main():
    out_path = sys.argv[1]
    profile = len(sys.argv) > 2 and sys.argv[2] == "--profile"
    args = sys.argv[3:] if profile else sys.argv[2:]
    started = time.perf_counter()

    from newstrace.ingest import cli as cli_module

    captured = {}
    original = cli_module.ingest_sources

    def recording_ingest_sources(*a, **kw):
        # the CLI's own function, called unchanged; we only keep the summary it returns
        summary = original(*a, **kw)
        captured.update(summary)
        return summary

    cli_module.ingest_sources = recording_ingest_sources
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    code = 0
    try:
        cli_module.cli.main(args, prog_name="newstrace")
    except SystemExit as exit:
        code = exit.code or 0
    if profiler:
        profiler.disable()
        import pstats

        stats = pstats.Stats(profiler)
        functions = {}
        for (filename, _line, name), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():
            key = "/".join(filename.split("/")[-2:]) + f":{name}"  # built-ins have no folder
            functions[key] = max(functions.get(key, 0.0), cumtime)
    else:
        functions = None
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    self_rss, children_rss = me.ru_maxrss, children.ru_maxrss
    with open(out_path, "w") as fh:
        json.dump({"exit": code, "in_process_seconds": time.perf_counter() - started,
                   "timings": dict(captured.get("timings", {})),
                   "counts": dict(captured.get("counts", {})),
                   "maxrss_main_kb": self_rss, "maxrss_workers_kb": children_rss,
                   # processor seconds (user + system) of this process and of the worker processes it waited for
                   "cpu_main_s": me.ru_utime + me.ru_stime, "cpu_workers_s": children.ru_utime + children.ru_stime,
                   "functions": functions}, fh)


if __name__ == "__main__":
    main()
