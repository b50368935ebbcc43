#!/usr/bin/env python3
"""The views of a partitioned archive against the single file it was split from, side by side (issue 13).

usage: python bench/bench_partitioned.py [--articles 1000000] [--requests 30] [--workdir DIR] [--no-results]

The single file is WORKDIR/scale-N/newstrace.db (built by make_archive.py; never rebuilt here). Its
partitioned copy is WORKDIR/partitioned-N/newstrace (`newstrace partition`, one file a month, built once
when missing: check free disk first). Two `datasette serve` processes are started as the README says — one
over the file, one over every file of the partitioned archive — and every view of the plugin is requested
from both in turn (one warm-up each, then --requests alternating requests), p50 / p95 and the ratio of
partitioned to single (target <= 1.5x). A partition's own table page is timed beside the single file's
for reference (it searches one month, not the archive).
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_views import Server, pick_targets, readme_serve_args  # noqa: E402
from common import DEFAULT_WORKDIR, free_bytes, human_bytes, ms, percentile, table, write_section  # noqa: E402
from textgen import COMMON_EN, COMMON_ZH, PLANTED, RARE_EN, RARE_ZH  # noqa: E402

TARGET = 1.5


def views(picks, month):
    share = {t: f"{round(s * 100)}%" for t, s in PLANTED.items()}
    out = [(f"ranked search q={t} ({share[t]})", f"/-/search?q={quote(t)}") for t in (RARE_EN, COMMON_EN, RARE_ZH,
                                                                                     COMMON_ZH)]
    out += [(f"ranked search .json q={COMMON_EN}", f"/-/search.json?q={quote(COMMON_EN)}"),
            (f"ranked search q={RARE_EN}, language=en", f"/-/search?q={quote(RARE_EN)}&language=en"),
            ("overview", "/-/overview"), ("claims list", "/-/claims"),
            (f"claims list q={RARE_EN}", f"/-/claims?q={quote(RARE_EN)}")]
    if picks.get("claim"):
        cid, n = picks["claim"]
        out += [(f"claim page ({n:,} mentions)", f"/-/claims/{cid}"), ("claim page .json", f"/-/claims/{cid}.json")]
    out += [("countries map data (.json)", "/-/countries.json"), ("countries map page", "/-/countries")]
    if picks.get("country"):
        out.append((f"country page {picks['country'][0]}", f"/-/countries/{picks['country'][0]}"))
    out.append(("initiatives list", "/-/initiatives"))
    if picks.get("initiative"):
        out.append((f"initiative page {picks['initiative'][0]}", f"/-/initiatives/{picks['initiative'][0]}"))
    out.append(("article page", f"/-/articles/{max(1, picks.get('articles', 2) // 2)}"))
    return out


class FilesServer(Server):
    "`datasette serve` over several files (a partitioned archive's), otherwise as bench_views starts it."

    def __init__(self, files, opts, port=0):
        super().__init__(files[0], opts, port)
        at = self.cmd.index(str(files[0]))
        self.cmd[at:at + 1] = [str(f) for f in files]


def timed(client, url):
    t0 = time.perf_counter()
    r = client.get(url)
    return time.perf_counter() - t0, r.status_code


def split_if_missing(single, folder):
    if (folder / "newstrace.db").exists():
        import sqlite3

        wide = sqlite3.connect(f"file:{folder / 'newstrace.db'}?mode=ro", uri=True)
        try:
            unfinished = wide.execute("SELECT COUNT(*) FROM partitions WHERE articles = 0").fetchone()[0]
        finally:
            wide.close()
        if unfinished:
            raise SystemExit(f"{folder}: {unfinished} partitions were never finished (a stopped split); finish it "
                             f"with: newstrace partition {single} {folder} --resume")
        return
    need = single.stat().st_size * 1.15
    if free_bytes(folder.parent) < need:
        raise SystemExit(f"{human_bytes(free_bytes(folder.parent))} free under {folder.parent}; the partitioned copy "
                         f"needs about {human_bytes(need)}")
    from newstrace.ingest.partitioned.convert import split

    print(f"Splitting {single} into {folder}", file=sys.stderr, flush=True)
    split(single, folder)


def main(argv=None):
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    single = workdir / f"scale-{args.articles}" / "newstrace.db"
    folder = workdir / f"partitioned-{args.articles}" / "newstrace"
    if not single.exists():
        raise SystemExit(f"{single} is missing: build it with bench/run.py (see bench/README.md)")
    split_if_missing(single, folder)
    files = sorted(folder.glob("*.db"))
    opts, line = readme_serve_args()
    picks = pick_targets(single)
    month = sorted(f.stem for f in files if f.stem != "newstrace")[len(files) // 2].split("-", 1)[1]
    items = views(picks, month)
    results = []
    one, many = Server(single, opts), FilesServer(files, opts)
    with one, many, httpx.Client(timeout=300) as client:
        table_paths = [(f"articles ?_search={COMMON_EN} (single: all; partitioned: one month's partition)",
                        f"{one.base}/newstrace/articles?_search={quote(COMMON_EN)}",
                        f"{many.base}/newstrace-{month}/articles?_search={quote(COMMON_EN)}")]
        pairs = [(label, f"{one.base}/newstrace{path}", f"{many.base}/newstrace{path}") for label, path in items]
        for label, a, b in pairs + table_paths:
            status = (client.get(a).status_code, client.get(b).status_code)  # warm-up
            ta, tb = [], []
            start = time.monotonic()
            for _ in range(args.requests):
                t, sa = timed(client, a)
                ta.append(t)
                t, sb = timed(client, b)
                tb.append(t)
                status = (sa, sb)
                if time.monotonic() - start > 120:
                    break
            results.append({"label": label, "status": status, "single": ta, "partitioned": tb,
                            "reference": (label, a, b) in table_paths})
    rows = []
    ratios = []
    for r in results:
        p50a, p50b = percentile(r["single"], 50), percentile(r["partitioned"], 50)
        ratio = p50b / p50a if p50a else None
        if not r["reference"] and ratio is not None:
            ratios.append(ratio)
        verdict = "reference" if r["reference"] else ("ok" if ratio is not None and ratio <= TARGET else "MISSED")
        if r["status"] != (200, 200):
            verdict = f"HTTP {r['status']}"
        rows.append([r["label"], f"{ms(p50a)} / {ms(percentile(r['single'], 95))}",
                     f"{ms(p50b)} / {ms(percentile(r['partitioned'], 95))}",
                     f"{ratio:.2f}" if ratio else "-", verdict, len(r["single"])])
    import sqlite3

    wide = sqlite3.connect(f"file:{folder / 'newstrace.db'}?mode=ro", uri=True)
    n_partitions = wide.execute("SELECT COUNT(*) FROM partitions").fetchone()[0]
    wide.close()
    met = sum(1 for r in rows if r[4] == "ok")
    body = "\n".join([
        f"`python bench/bench_partitioned.py --articles {args.articles} --requests {args.requests}`: "
        f"{single} ({human_bytes(single.stat().st_size)}) against its partitioned copy {folder} "
        f"({n_partitions} partitions, {human_bytes(sum(f.stat().st_size for f in files))}); both served as the "
        f"README says (`{line}`), the partitioned one over all {len(files)} files. Requests alternate between "
        "the two servers.", "",
        table(["view", "single p50 / p95 ms", "partitioned p50 / p95 ms", "ratio (p50)", f"<= {TARGET}x", "requests"],
              rows), "",
        f"{met} of {len(ratios)} views within {TARGET}x; median ratio {statistics.median(ratios):.2f}." if ratios
        else "No views measured."]) + "\n"
    print(body)
    (folder.parent / "views.json").write_text(json.dumps(results))
    if not args.no_results:
        write_section(f"partitioned-views-{args.articles}", f"Partitioned archive, {args.articles:,} articles: views",
                      body)


if __name__ == "__main__":
    main()
