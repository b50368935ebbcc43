#!/usr/bin/env python3
"""Ingest cost: `newstrace ingest` against bare trafilatura over the same files, in the same run.

usage: python bench/bench_ingest.py [--quick] [--rounds 2] [--workdir DIR] [--no-profile] [--no-results]
                                    [--corpus eval|text-heavy|generated|both|all]

Corpora: ../shared/eval/pages/ (trafilatura's 990 evaluation pages, read where they are, never copied), their
text-heavy half (`--corpus text-heavy`: the half with the most extracted text per KB of HTML, where the per-text
analysis weighs most; the split is computed once with bare trafilatura and kept in the workdir) and
600 pages from generate_pages.py. Per round, one after the other: `newstrace ingest DB SOURCE --workers 1`,
bare `trafilatura.extract(html_bytes, output_format="json", with_metadata=True)` over the same files, and
`newstrace ingest ... --workers 2`, each in its own process into a fresh database (wall time from process
start to exit, so imports count for both). Prints the ratio, pages/s, the peak RSS of every process
(main and workers) and the per-stage breakdown run_batch measures; one extra profiled run (cProfile)
splits the stages further (trafilatura vs cleaning, claims vs countries, FTS vs the rest of store).
--quick: 120 evaluation pages and 120 generated ones, one round, no profile.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, DEFAULT_WORKDIR, EVAL_PAGES, table, write_section  # noqa: E402

TARGET_RATIO = 1.4  # issue 9: the whole ingest within 1.4x bare trafilatura, on all pages and on the text-heavy half
TARGET_SPEEDUP = 1.7
TARGET_RSS_MB = 500

# (label, cProfile key): the finer breakdown of the stages, when those functions exist
PROFILE_ROWS = [
    ("read file (sources.read_local)", "acquire/sources.py:read_local"),
    ("decode (decode.decode_body)", "acquire/decode.py:decode_body"),
    ("extract_page, all", "extract/page.py:extract_page"),
    ("  trafilatura bare_extraction", "trafilatura/core.py:bare_extraction"),
    ("  cleaning (clean.clean_text)", "extract/clean.py:clean_text"),
    ("  language detection", "extract/language.py:detect_languages"),
    ("analyze_text, all", "pipeline/analyze.py:analyze_text"),
    ("  claims (claims.extract_claims)", "claims/extractor.py:extract_claims"),
    ("  countries (countries.extract_countries)", "countries/mentions.py:extract_countries"),
    ("  participation", "countries/participation.py:extract_participation"),
    ("store (store.record_page)", "store/articles.py:record_page"),
    ("  FTS (store.fts_insert)", "store/fts.py:fts_insert"),
    ("  derived rows (store.write_derived)", "store/derived.py:write_derived"),
    ("fetch_log rows (store.log_fetch)", "store/articles.py:log_fetch"),
    ("after the batch (batch.finish_batch)", "pipeline/batch.py:finish_batch"),
]


def text_heavy_half(files, workdir):
    """The half of `files` with the most extracted text per KB of HTML (bare trafilatura.extract), most first;
    cached in the workdir by file list."""
    import gzip
    import hashlib

    import trafilatura

    key = hashlib.sha1("\n".join(map(str, files)).encode()).hexdigest()[:12]
    cache = Path(workdir) / f"text-heavy-{key}.json"
    if cache.exists():
        return [Path(p) for p in json.loads(cache.read_text())]
    density = []
    for path in files:
        raw = Path(path).read_bytes()
        if str(path).endswith(".gz"):
            raw = gzip.decompress(raw)
        text = trafilatura.extract(raw) or ""
        density.append((len(text) / max(1.0, len(raw) / 1024), str(path)))
    density.sort(key=lambda x: (-x[0], x[1]))
    half = [p for _, p in density[:len(density) // 2]]
    cache.write_text(json.dumps(half))
    return [Path(p) for p in half]


def run_process(cmd, cpu=None):
    """(wall seconds, peak RSS in MB over the process and the children it waited for, exit code); `cpu`: a list
    the processor seconds (user + system) of the process and the children it waited for are appended to."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's rusage alone (not other helpers' processes)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode, err


def corpus_files(source):
    "The files `newstrace ingest SOURCE` would read, in its order (sources.path_tasks)."
    from newstrace.ingest.acquire import path_tasks

    return [task["path"] for task in path_tasks(str(source))]


def run_ingest(db, sources, workers, out_json, profile=False):
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, str(BENCH / "_ingest_child.py"), str(out_json)] + (["--profile"] if profile else []) + [
        "ingest", str(db), *map(str, sources), "--workers", str(workers), "--quiet"]
    cpu = []
    wall, rss, code, err = run_process(cmd, cpu)
    info = json.loads(Path(out_json).read_text()) if Path(out_json).exists() else {}
    if code not in (0, 2) or not info:
        raise RuntimeError(f"newstrace ingest failed (exit {code}): {err[-2000:]}")
    return {"wall": wall, "cpu": cpu[0], "rss_tree_mb": rss, "exit": code, **info}


def run_bare(files, workdir):
    listing = Path(workdir) / "bare-files.txt"
    listing.write_text("\n".join(map(str, files)) + "\n", encoding="utf-8")
    out = Path(workdir) / "bare.json"
    out.unlink(missing_ok=True)
    cpu = []
    wall, rss, code, err = run_process([sys.executable, str(BENCH / "_bare_child.py"), str(listing), str(out)], cpu)
    if code != 0:
        raise RuntimeError(f"bare trafilatura failed (exit {code}): {err[-2000:]}")
    return {"wall": wall, "cpu": cpu[0], "rss_tree_mb": rss, **json.loads(out.read_text())}


def bench_corpus(name, sources, files, workdir, rounds, profile):
    runs = {"bare": [], "ingest1": [], "ingest2": []}
    for r in range(rounds):
        print(f"  {name}: round {r + 1}/{rounds}", file=sys.stderr, flush=True)
        runs["ingest1"].append(run_ingest(workdir / f"{name}-w1.db", sources, 1, workdir / f"{name}-w1.json"))
        runs["bare"].append(run_bare(files, workdir))
        runs["ingest2"].append(run_ingest(workdir / f"{name}-w2.db", sources, 2, workdir / f"{name}-w2.json"))
    profiled = None
    if profile:
        print(f"  {name}: profiled run", file=sys.stderr, flush=True)
        profiled = run_ingest(workdir / f"{name}-prof.db", sources, 1, workdir / f"{name}-prof.json", profile=True)
    return {"name": name, "pages": len(files), "runs": runs, "profiled": profiled, "db": workdir / f"{name}-w1.db"}


def summarise(result):
    runs, pages = result["runs"], result["pages"]
    med = {k: statistics.median(r["wall"] for r in v) for k, v in runs.items()}
    ratios = [i["wall"] / b["wall"] for i, b in zip(runs["ingest1"], runs["bare"])]
    speedups = [a["wall"] / b["wall"] for a, b in zip(runs["ingest1"], runs["ingest2"])]
    counts = runs["ingest1"][-1]["counts"]
    rows = []
    for key, label in (("bare", "bare trafilatura.extract"), ("ingest1", "newstrace ingest --workers 1"),
                       ("ingest2", "newstrace ingest --workers 2")):
        last = runs[key][-1]
        rows.append([label, " / ".join(f"{r['wall']:.1f}" for r in runs[key]), f"{pages / med[key]:.1f}",
                     f"{last['maxrss_main_kb'] / 1024:.0f}",
                     f"{last['maxrss_workers_kb'] / 1024:.0f}" if key == "ingest2" else "-"])
    text = [f"### {result['name']}: {pages} pages "
            f"({counts.get('new', 0)} stored, {counts.get('failed', 0)} failed, {counts.get('unchanged', 0)} unchanged)",
            "", table(["process", "wall s per round", "pages/s (median)", "peak RSS main MB",
                       "peak RSS per worker MB"], rows), ""]
    ratio, speedup = statistics.median(ratios), statistics.median(speedups)
    peak = max(max(r["maxrss_main_kb"], r.get("maxrss_workers_kb", 0)) for v in runs.values() for r in v) / 1024
    text.append(f"- ingest / bare trafilatura, one process: **{ratio:.2f}x** (rounds: "
                f"{', '.join('%.2f' % x for x in ratios)}; target <= {TARGET_RATIO}x: "
                f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    cpu_ratios = [i["cpu"] / b["cpu"] for i, b in zip(runs["ingest1"], runs["bare"])]
    text.append(f"- the same in processor time (user + system, the process and its children; steadier than wall "
                f"time on a loaded machine): {statistics.median(cpu_ratios):.2f}x (rounds: "
                f"{', '.join('%.2f' % x for x in cpu_ratios)}; processor s bare / ingest: "
                f"{' / '.join('%.1f' % b['cpu'] for b in runs['bare'])} / "
                f"{' / '.join('%.1f' % i['cpu'] for i in runs['ingest1'])})")
    text.append(f"- --workers 2 speed-up over --workers 1: **{speedup:.2f}x** (rounds: "
                f"{', '.join('%.2f' % x for x in speedups)}; target >= {TARGET_SPEEDUP}x: "
                f"{'met' if speedup >= TARGET_SPEEDUP else 'MISSED'})")
    text.append(f"- largest peak RSS of any process: {peak:.0f} MB (target < {TARGET_RSS_MB} MB: "
                f"{'met' if peak < TARGET_RSS_MB else 'MISSED'})")
    # per-stage breakdown of the last one-worker run (seconds summed over pages, as run_batch measures)
    last = runs["ingest1"][-1]
    stages = dict(last["timings"])
    accounted = sum(stages.values())
    stages["startup, task listing, fetch_log, other"] = max(0.0, last["wall"] - accounted)
    text += ["", "Per-stage time of the last `--workers 1` run (run_batch's own timings):", "",
             table(["stage", "seconds", "share", "ms/page"],
                   [[k, f"{v:.2f}", f"{100 * v / last['wall']:.0f} %", f"{1000 * v / pages:.1f}"]
                    for k, v in stages.items()]), ""]
    bare_per_page = 1000 * (runs["bare"][-1]["wall"]) / pages
    text.append(f"For scale: bare trafilatura costs {bare_per_page:.1f} ms/page in the same round, startup included.")
    prof = result.get("profiled")
    if prof and prof.get("functions"):
        funcs = prof["functions"]
        total = prof["wall"]
        rows = [[label, f"{funcs[key]:.2f}", f"{100 * funcs[key] / total:.0f} %"] for label, key in PROFILE_ROWS
                if key in funcs]
        missing = [label.strip() for label, key in PROFILE_ROWS if key not in funcs]
        text += ["", f"Finer split from one cProfile'd run (cumulative seconds; profiling adds overhead, so read "
                     f"the shares, not the absolute times; wall {total:.1f} s):", "",
                 table(["function", "cum s", "share of wall"], rows)]
        if missing:
            text.append(f"\nNot present in this build: {', '.join(missing)}.")
    return "\n".join(text) + "\n", {"ratio": ratio, "speedup": speedup, "peak_mb": peak}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR / "ingest"))
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-results", action="store_true")
    parser.add_argument("--corpus", choices=("eval", "text-heavy", "generated", "both", "all"), default="both",
                        help="both: the evaluation pages and the generated ones; all: also the text-heavy half")
    args = parser.parse_args(argv)
    if args.quick:
        import common

        common.use_results(common.QUICK_RESULTS)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rounds = args.rounds or (1 if args.quick else 2)
    profile = not args.no_profile and not args.quick
    subset = 120 if args.quick else None
    sections, figures = [], {}
    from generate_pages import generate

    corpora = []
    if args.corpus in ("eval", "text-heavy", "both", "all"):
        if EVAL_PAGES.exists():
            files = corpus_files(EVAL_PAGES)
            if args.corpus in ("eval", "both", "all"):
                if subset:
                    picked = files[:: max(1, len(files) // subset)][:subset]
                    corpora.append(("eval-pages", picked, picked))
                else:
                    corpora.append(("eval-pages", [EVAL_PAGES], files))
            if args.corpus in ("text-heavy", "all"):
                heavy = text_heavy_half(files, workdir)
                if subset:
                    heavy = heavy[:subset]
                corpora.append(("eval-pages-text-heavy", heavy, heavy))
        else:
            print(f"{EVAL_PAGES} is absent: skipping the evaluation pages", file=sys.stderr)
    if args.corpus in ("generated", "both", "all"):
        gen_dir = workdir / "generated-pages"
        if not gen_dir.exists() or len(list(gen_dir.iterdir())) != 600:
            import shutil

            shutil.rmtree(gen_dir, ignore_errors=True)
            generate(gen_dir, 600)
        files = corpus_files(gen_dir)
        if subset:
            files = files[:subset]
            corpora.append(("generated-pages", files, files))
        else:
            corpora.append(("generated-pages", [gen_dir], files))
    for name, sources, files in corpora:
        result = bench_corpus(name, sources, files, workdir, rounds, profile)
        text, figures[name] = summarise(result)
        print(text)
        sections.append(text)
    cmd = "python bench/bench_ingest.py" + (" --quick" if args.quick else "") + (
        f" --corpus {args.corpus}" if args.corpus != "both" else "")
    body = (f"`{cmd}` ({rounds} round{'s' if rounds > 1 else ''}, alternating ingest -w1 / bare / ingest -w2; "
            "the machine is shared with other work, so single rounds are noisy)\n\n" + "\n".join(sections))
    if not args.no_results:
        which = "" if args.corpus == "both" else "-" + args.corpus
        write_section("ingest" + which + ("-quick" if args.quick else ""),
                      "Ingest cost" + (f" ({args.corpus})" if which else "") + (" (quick)" if args.quick else ""),
                      body)
    return figures


if __name__ == "__main__":
    main()
