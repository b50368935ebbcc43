#!/usr/bin/env python3
"""Per-page analysis cost: analyze_text (claims, countries, participation) against bare trafilatura on the
same pages, in one process, page by page, in the same run.

usage: python bench/bench_analyze.py [--corpus eval|text-heavy|both] [--rounds 2] [--limit N]
                                     [--write OUT.jsonl] [--compare REF.jsonl] [--profile]

Each page of ../shared/eval/pages/ (or of its text-heavy half, as bench_ingest.py splits it) is read once;
round 1 runs our extraction on it (decode_body + extract_page, timed) and keeps the page. Every round then
alternates, page by page, bare `trafilatura.extract(html_bytes, output_format="json", with_metadata=True)` (the
baseline of bench_ingest.py) and `analyze_text(text, language, published, title)` as ingest calls it, so a
machine that gets busier or quieter weighs on both alike; times are this process's CPU time
(time.process_time), which other processes on a busy machine do not inflate. Printed per round: ms/page of each, and
analyze / bare — the share of the ingest budget (issue 9: the whole ingest within 1.4x bare) analysis takes.

--write writes every page's analysis (the output `newstrace analyze` builds from it, with the page's
language, title, date and a hash of its text) as JSON lines, sorted keys; --compare checks a run against
such a file and exits 1 when any page differs: a speed change must leave the output byte-identical.
--profile: one extra cProfile'd pass of analyze_text, top functions by own time.
"""
import argparse
import gzip
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_WORKDIR, EVAL_PAGES, environment_lines, table  # noqa: E402


# this process's CPU time: on a shared machine other processes' load does not count against either side
_clock = time.process_time


def _body(path):
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if str(path).endswith(".gz") else raw


def _files(corpus, workdir, limit):
    from bench_ingest import corpus_files, text_heavy_half

    files = corpus_files(EVAL_PAGES)
    picked = {"eval": files, "text-heavy": None, "both": files}[corpus]
    if corpus == "text-heavy":
        picked = text_heavy_half(files, workdir)
    if limit:
        picked = picked[:: max(1, len(picked) // limit)][:limit]
    return picked


def _line(name, page, derived):
    record = {"page": name, "language": page.get("language"), "title": page.get("title"),
              "published": page.get("published"),
              "text_sha1": hashlib.sha1(page["text"].encode("utf-8")).hexdigest(), "analysis": derived}
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _compare(lines, ref_path):
    ref = {}
    with open(ref_path, encoding="utf-8") as fh:
        for line in fh:
            ref[json.loads(line)["page"]] = line.rstrip("\n")
    differ = [name for name, line in lines.items() if ref.get(name) != line]
    missing = sorted(set(ref) - set(lines))
    return differ, missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("eval", "text-heavy", "both"), default="both",
                        help="both: the evaluation pages, and their text-heavy half reported apart")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="every k-th page, N pages in all")
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR / "ingest"),
                        help="where bench_ingest.py keeps its text-heavy split")
    parser.add_argument("--write", help="write each page's analysis here (JSON lines)")
    parser.add_argument("--compare", help="a file --write wrote before: exit 1 when any page's output differs")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    if not EVAL_PAGES.exists():
        sys.exit(f"{EVAL_PAGES} is absent: nothing to measure")
    Path(args.workdir).mkdir(parents=True, exist_ok=True)

    import trafilatura

    from newstrace.ingest.acquire import decode_body
    from newstrace.ingest.extract import ExtractError, extract_page
    from newstrace.ingest.pipeline.analyze import analyze_text

    files = _files("eval" if args.corpus == "both" else args.corpus, args.workdir, args.limit)
    heavy = set(map(str, _files("text-heavy", args.workdir, None))) if args.corpus == "both" else None
    for line in environment_lines():
        print(line)
    print(f"- Pages: {len(files)} ({args.corpus}), {args.rounds} rounds\n")

    pages = {}  # name -> (page, body)
    lines = {}
    rows = []
    for rnd in range(1, args.rounds + 1):
        bare = {}
        ours_extract = {}
        analyse = {}
        for path in files:
            name = Path(path).name
            body = _body(path)
            t0 = _clock()
            trafilatura.extract(body, output_format="json", with_metadata=True)
            bare[name] = _clock() - t0
            if rnd == 1:
                t0 = _clock()
                try:
                    html, _ = decode_body(body, None)
                    page = extract_page(html, Path(path).resolve().as_uri())
                except ExtractError:
                    page = None
                ours_extract[name] = _clock() - t0
                pages[name] = page
            page = pages[name]
            if page is None:
                continue
            t0 = _clock()
            derived = analyze_text(page["text"], page.get("language"), page.get("published"), page.get("title"))
            analyse[name] = _clock() - t0
            if rnd == 1 and (args.write or args.compare):
                lines[name] = _line(name, page, derived)
        groups = [("all", list(bare))]
        if heavy is not None:
            groups.append(("text-heavy", [Path(p).name for p in files if str(p) in heavy]))
        for label, names in groups:
            n = len(names)
            b = sum(bare[k] for k in names)
            a = sum(analyse.get(k, 0.0) for k in names)
            e = sum(ours_extract.get(k, 0.0) for k in names) if rnd == 1 else None
            rows.append([rnd, label, n, f"{b / n * 1000:.1f}", f"{e / n * 1000:.1f}" if e is not None else "",
                         f"{a / n * 1000:.1f}", f"{a / b:.3f}", f"{(e + a) / b:.2f}" if e is not None else ""])
    print(table(["round", "pages", "n", "bare ms/page", "extract_page ms/page", "analyze ms/page",
                 "analyze / bare", "(extract+analyze) / bare"], rows))

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for page in pages.values():
            if page is not None:
                analyze_text(page["text"], page.get("language"), page.get("published"), page.get("title"))
        prof.disable()
        print()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)

    status = 0
    if args.write:
        with open(args.write, "w", encoding="utf-8") as fh:
            for name in sorted(lines):
                fh.write(lines[name] + "\n")
        print(f"\nwrote {len(lines)} pages' analyses to {args.write}")
    if args.compare:
        differ, missing = _compare(lines, args.compare)
        print(f"\ncompared with {args.compare}: {len(lines) - len(differ)} of {len(lines)} pages identical"
              + (f"; differ: {', '.join(sorted(differ)[:10])}" if differ else "")
              + (f"; absent from this run: {len(missing)}" if missing else ""))
        status = 1 if differ or missing else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
