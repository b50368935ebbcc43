"""Run `newstrace ingest ARGS...` in this process exactly as the console script does, then write what the
batch measured (per-stage seconds, counts) and this process's peak RSS to OUT_JSON.

usage: python bench/_ingest_child.py OUT_JSON [--profile] ingest DB SOURCES... [--workers N]
"""
import json
import resource
import sys
import time

out_path = sys.argv[1]
profile = len(sys.argv) > 2 and sys.argv[2] == "--profile"
args = sys.argv[3:] if profile else sys.argv[2:]
started = time.perf_counter()

from newstrace.ingest import cli as cli_module  # noqa: E402

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
self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out_path, "w") as fh:
    json.dump({"exit": code, "in_process_seconds": time.perf_counter() - started,
               "timings": dict(captured.get("timings", {})),
               "counts": dict(captured.get("counts", {})),
               "maxrss_main_kb": self_rss, "maxrss_workers_kb": children_rss,
               "functions": functions}, fh)
