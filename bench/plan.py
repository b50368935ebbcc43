#!/usr/bin/env python3
"""The plan for 100 M pages on N machines, from the figures the other benches wrote into RESULTS.md (issue 13).

usage: python bench/plan.py [--pages 100000000] [--cores 16] [--months 12] [--workdir DIR] [--no-results]

Reads the sections it cites from RESULTS.md: `ingest-all` (per-page costs of one process on the evaluation
pages) and `ingest-cluster` (per-page costs on the cluster, writer throughput, tracing, partition sizes), the
newer of the two giving the CPU-hours; `partitioned-views-1000000` and `views-1000001` (serving). Measures one
thing itself, in this process: the processor time of one Datasette 0.65 permission check with 1 to 240
partitions served, their metadata as the plugin leaves it (every page of a partitioned archive pays a few such
checks, and Datasette's own pages of a partition pay one or two a table). When present, WORKDIR/
partitioned-1000000 (the 1M archive's partitioned copy) gives bytes per article of synthetic pages. Writes the
`plan-100m` section of RESULTS.md: CPU-hours, machines for a given wall time, partition sizes, writer
throughput, the archive-wide database's growth, serving, and where the next limit is.
"""
import argparse
import asyncio
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_WORKDIR, RESULTS, human_bytes, table, write_section  # noqa: E402

WORKER_STAGES = ("fetch", "decode", "extract", "analyze", "compress")
CHECK_PARTITIONS = (1, 12, 60, 240)
# a page of the plugin asks at most this many permission checks, at any number of partitions
# (tests/plugin/test_partitioned.py::test_permission_checks_do_not_grow_with_the_partitions)
PAGE_CHECKS = 30
# Datasette 0.65's own database page: two checks per table (views-initiatives-1000000: "50 tables")
DATABASE_PAGE_CHECKS = 100


# --- reading RESULTS.md ------------------------------------------------------------------------------------

def section(key, path=RESULTS):
    "The text of section `key` of RESULTS.md, or None."
    text = Path(path).read_text(encoding="utf-8")
    found = re.search(rf"<!-- bench:{re.escape(key)} -->\n(.*?)<!-- /bench:{re.escape(key)} -->", text, re.S)
    return found.group(1) if found else None


def header(text):
    "{'date': 'YYYY-MM-DD HH:MM', 'when': datetime, 'load': 'a / b / c at start' or as the section says it}."
    date = re.search(r"^- Date: (\d{4}-\d\d-\d\d \d\d:\d\d)", text, re.M)
    load = re.search(r"load average ([^\n]*?)(?: at start|\(|$)", text, re.M)
    return {"date": date.group(1) if date else "?",
            "when": datetime.strptime(date.group(1), "%Y-%m-%d %H:%M") if date else datetime.min,
            "load": load.group(1).strip().rstrip(",") if load else "?"}


def tables(text):
    "Every Markdown table of `text`: a list of (header cells, rows of cells)."
    out, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if current is None:
                current = (cells, [])
                out.append(current)
            elif not set(line.replace("|", "").strip()) <= {"-"}:
                current[1].append(cells)
        else:
            current = None
    return out


def stage_table(text, column):
    "{stage: value of `column`} from the first table with columns `stage` and `column`."
    for head, rows in tables(text):
        if head[0] == "stage" and column in head:
            i = head.index(column)
            return {row[0]: float(row[i]) for row in rows}
    return {}


def number(pattern, text, cast=float):
    found = re.search(pattern, text)
    return cast(found.group(1).replace(",", "")) if found else None


def ingest_all_costs(path=RESULTS):
    "Per stored page, ms by stage of `--workers 1` on the evaluation pages (section ingest-all), and its context."
    text = section("ingest-all", path)
    if not text:
        return None
    part = re.search(r"### eval-pages:(.*?)(?=\n### |\Z)", text, re.S)
    if not part:
        return None
    ms = stage_table(part.group(1), "ms/page")
    return {"source": "ingest-all", **header(text), "ms": ms, "pages": number(r"\((\d[\d,]*) stored", part.group(1), int),
            "bare_ms": number(r"bare trafilatura costs ([\d.]+) ms/page", part.group(1)),
            "speedup_w2": number(r"--workers 2 speed-up over --workers 1: \*\*([\d.]+)x", part.group(1)),
            "what": "one process (`newstrace ingest --workers 1`), evaluation pages"}


def cluster_costs(path=RESULTS):
    "What section ingest-cluster measured: per stored page by stage, writer, sizes, scaling."
    text = section("ingest-cluster", path)
    if not text:
        return None
    sizes = re.search(r"partition files: ([\d.]+ [KMGT]?B) per article.*?archive-wide database: ([\d.]+ [KMGT]?B) "
                      r"per article", text)
    return {"source": "ingest-cluster", **header(text), "ms": stage_table(text, "ms per stored page"),
            "pages": number(r"pages stored: (\d+)", text, int),
            "partitions": number(r"partitions: (\d+) \(largest", text, int),
            "per_article": _bytes(sizes.group(1)) if sizes else None,
            "per_article_wide": _bytes(sizes.group(2)) if sizes else None,
            "writer_rate": number(r"writer throughput: ([\d,.]+) pages/s", text),
            "speedup": number(r"`--cluster local:2` over `--cluster local:1`: \*\*([\d.]+)x", text),
            "overhead": number(r"`--cluster local:2` against `--workers 2`: \*\*([\d.]+)x", text),
            "what": "the last `--partitioned --cluster local:2` run"}


def _bytes(text):
    value, unit = text.split()
    return float(value) * 1024 ** ["B", "KB", "MB", "GB", "TB"].index(unit)


def serving_figures(path=RESULTS):
    text = section("partitioned-views-1000000", path)
    out = {}
    if text:
        out.update(header(text))
        for head, rows in tables(text):
            if head and head[0] == "view":
                out["views"] = {row[0]: row for row in rows}
        out["within"] = re.search(r"(\d+ of \d+) views within 1\.5x; median ratio (\d+\.\d+)", text)
        out["partitions"] = number(r"\((\d+) partitions,", text, int)
    single = section("views-1000001", path)
    if single:
        out["database_page"] = re.search(r"database page with the overview as its lead ([\d.]+) / ([\d.]+) ms", single)
        out["single_date"] = header(single)["date"]
    return out


# --- the one measurement: a permission check's cost as partitions are added --------------------------------

def hidden_tables():
    from newstrace.ingest.store.schema import HIDDEN_TABLES

    return len(HIDDEN_TABLES)


def permission_check_ms(partitions=CHECK_PARTITIONS, repeat=100):
    """{partitions served: ms of processor time of one `view-table` check} on Datasette 0.65, each partition's
    metadata as the plugin writes it (its hidden tables); None on Datasette 1.0 (permissions resolved in SQL)."""
    from datasette.app import Datasette
    from datasette.database import Database

    from newstrace.ingest.store.schema import HIDDEN_TABLES
    from newstrace.plugin import compat

    if compat.DATASETTE_1:
        return None

    async def measure(n):
        ds = Datasette(metadata={})
        for i in range(n):
            name = f"news-{i:03d}"
            ds.add_database(Database(ds, is_memory=True, memory_name=f"plan-{name}"), name=name)
            compat.hide_tables(ds, name, HIDDEN_TABLES)
        await ds.invoke_startup()
        times = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(repeat):
                await ds.permission_allowed(None, "view-table", resource=("news-000", "articles"), default=None)
            times.append((time.process_time() - started) / repeat * 1000)
        return statistics.median(times)

    return {n: asyncio.run(measure(n)) for n in partitions}


# --- the plan ----------------------------------------------------------------------------------------------

def plan(costs, cluster, serving, checks, pages, cores, months, synthetic=None):
    lines = []
    sources = [c for c in (costs, cluster) if c and c["ms"]]
    used = max(sources, key=lambda c: c["when"])
    per_page = {k: used["ms"].get(k, 0.0) / 1000 for k in WORKER_STAGES}
    worker_cpu = sum(per_page.values())
    lines.append("Measured per stored page, ms (wall time of each stage as the batch measures it), from the sections "
                 "above; the newer gives the plan's CPU-hours:")
    lines.append("")
    stages = list(WORKER_STAGES) + ["store", "write", "trace"]
    lines.append(table(["stage"] + [f"`{c['source']}` ({c['date']} UTC, load {c['load']}; {c['pages']} pages, "
                                    f"{c['what']})" for c in sources],
                       [[k] + [f"{c['ms'][k]:.1f}" if k in c["ms"] else "-" for c in sources] for k in stages]
                       + [["**extraction and analysis**"] + [f"**{sum(c['ms'].get(k, 0.0) for k in WORKER_STAGES):.1f}**"
                                                            for c in sources]]))
    lines.append("")
    note = ("Both were measured on a 2-core machine, each at the load its column gives: a stage's wall time is its "
            "processor time plus the waits for a core, so on a loaded machine the CPU-hours below are an upper bound")
    if costs and costs.get("bare_ms"):
        note += (f" (in the `ingest-all` round, bare `trafilatura.extract` took {costs['bare_ms']:.1f} ms a page; "
                 "40.5 ms idle in November's `ingest` section, on other hardware)")
    lines.append(note + ".")
    if synthetic:
        lines.append(f"The 1M-article synthetic archive split by month: {synthetic['partitions']} partitions, "
                     f"{human_bytes(synthetic['per_article'])} per article (small raw pages by design).")
    cpu_hours = pages * worker_cpu / 3600
    rows = []
    for machines in (5, 10, 25, 50, 100):
        workers = machines * cores
        hours = cpu_hours / workers
        rows.append([machines, workers, f"{hours:.1f}", f"{pages / (hours * 3600):,.0f}"])
    scaling = []
    if cluster and cluster.get("speedup"):
        scaling.append(f"`--cluster local:2` {cluster['speedup']:.2f}x `local:1` and {cluster['overhead']:.2f}x the "
                       f"time of `--workers 2` in `ingest-cluster`")
    if costs and costs.get("speedup_w2"):
        scaling.append(f"`--workers 2` {costs['speedup_w2']:.2f}x `--workers 1` in `ingest-all`")
    lines += ["", f"**{pages:,} pages** take **{cpu_hours:,.0f} CPU-hours** of extraction and analysis "
                  f"({1000 * worker_cpu:.1f} ms a page, `{used['source']}`). On machines of {cores} cores, one Dask "
                  "worker a core (pages are independent tasks; measured on 2 cores: "
                  + "; ".join(scaling) + "):", "",
              table(["machines", "workers", "hours", "pages/s needed from fetching or WARC reading"], rows)]
    if cluster and cluster.get("per_article"):
        per_article, per_article_wide = cluster["per_article"], cluster["per_article_wide"]
        month_pages = pages / months
        writer_rate = cluster["writer_rate"]
        lines += ["",
                  f"**Storage** (`ingest-cluster`: {cluster['pages']} evaluation pages in {cluster['partitions']} "
                  f"partitions). {human_bytes(pages * per_article)} of partitions for {pages:,} pages like the "
                  f"evaluation pages ({human_bytes(per_article)} an article: raw response compressed, text, search "
                  f"index, claims, countries); over {months} months of publication, partitions of "
                  f"~{month_pages:,.0f} pages, {human_bytes(month_pages * per_article)} each. The archive-wide "
                  f"database grows by {human_bytes(per_article_wide)} per article: "
                  f"{human_bytes(pages * per_article_wide)} at {pages:,} (the article index, claim keys, claims).",
                  "",
                  f"**Writers.** One writer per partition file at a time, {writer_rate:,.0f} pages/s each (`ingest-"
                  f"cluster`, {cluster['ms'].get('write', 0):.1f} ms a page, loaded; a single file's store step "
                  + (f"{costs['ms']['store']:.1f} ms a page in `ingest-all`" if costs and "store" in costs["ms"] else "")
                  + f"): a month of {month_pages:,.0f} pages needs {month_pages / writer_rate / 3600:.1f} "
                  f"writer-hours, so {months} months written in parallel finish in that time — as long as pages are "
                  "spread over months. **The next limit**: a crawl of one month (tens of millions of pages published "
                  "in it) puts them all into one partition and its single writer; such months need sub-partitions "
                  "(month x a hash of the URL): the planner assigns partitions and the plugin finds a claim's, "
                  "country's or article's partitions in the archive-wide tables, so only the search's month filter "
                  "would learn the new keys."]
    trace_ms = cluster["ms"].get("trace") if cluster else None
    lines += ["",
              "**Tracing.** The cluster tracer re-clusters every mention after each ingest that added pages (its "
              "result equals the single-process tracer's over the archive, whatever the batches were)"
              + (f": {trace_ms:.1f} ms a page of the archive in `ingest-cluster` (wall, 2 workers)" if trace_ms else "")
              + (f", against {costs['ms']['trace']:.1f} ms a page for one process's incremental trace of its batch in "
                 "`ingest-all`" if costs and "trace" in costs["ms"] else "")
              + ". Its linking runs on the workers, but the connected components, the claims' ids and rows and the "
              "article index are handled by the one client and the one archive-wide database: at 100 M pages "
              "(about 5 claim mentions a page on real news, 500 M mentions) the client would hold every "
              "mention's key (~200 bytes: ~100 GB). Before that scale: connected components on the cluster "
              "(label propagation over the link edges), claims written per shard of claim ids, and an "
              "incremental trace (candidates of the new mentions only, as the single-process tracer's batch "
              "mode does) so that a day's pages do not cost a re-trace of the archive."]
    lines += ["", _serving(serving, checks, months)]
    return "\n".join(lines) + "\n"


def _serving(serving, checks, months):
    out = ("**Serving.** Closed months are immutable files (`-i`, `datasette inspect`) copied once to every read "
           "replica; every page of the archive reads the partitions it needs, a search every partition.")
    views = serving.get("views") or {}
    if views:
        def p50(name):
            row = next((r for key, r in views.items() if key.startswith(name)), None)
            if not row:
                return None
            return f"{row[0]} {row[1].split('/')[0].strip()} -> {row[2].split('/')[0].strip()} ms ({row[3]}x)"

        picked = [p50(n) for n in ("overview", "article page", "claim page (", "ranked search q=lanthanide (1%)",
                                   "ranked search q=stockpile (30%)", "countries map page")]
        out += (f" Measured at 1M articles in {serving.get('partitions') or '?'} partitions (`partitioned-views-1000000`, "
                f"{serving.get('date')} UTC, load {serving.get('load')}): "
                + (f"{serving['within'].group(1)} views within 1.5x of the single file, median ratio "
                   f"{serving['within'].group(2)}; " if serving.get("within") else "")
                + "p50 single -> partitioned: " + "; ".join(p for p in picked if p) + ". What costs more "
                "partitioned is one or two statements in each partition a page reads (that section says which), so "
                "hundreds of monthly partitions are a limit of the views: coarser partitions for old years, or a "
                "term-to-partition index in the archive-wide database, would bound it.")
    if checks:
        one, most = checks[min(checks)], checks[max(checks)]
        per_partition = (most - one) / (max(checks) - min(checks))
        out += (" **Permission checks.** A page of the plugin asks Datasette about permissions a fixed number of times "
                f"whatever the partitions (at most {PAGE_CHECKS}, tests/plugin/test_partitioned.py; 611 for one page at "
                f"1M before), but on Datasette 0.65 each check copies the metadata of every database served (the "
                f"plugin hides {hidden_tables()} tables of each partition there), so a check costs more with every partition served — measured here "
                "(processor ms a check, median of 5 x 100, this process): "
                + ", ".join(f"{n} partition{'s' if n > 1 else ''} {ms:.2f}" for n, ms in checks.items())
                + f" (~{per_partition:.3f} ms a partition). A page's checks: up to "
                + ", ".join(f"{PAGE_CHECKS * ms:,.0f} ms at {n}" for n, ms in checks.items() if n > 1)
                + f"; Datasette's own database page of one partition (about {DATABASE_PAGE_CHECKS} checks, two a "
                "table) " + ", ".join(f"{DATABASE_PAGE_CHECKS * ms / 1000:.2f} s at {n}" for n, ms in checks.items()
                                      if n > 1))
        if serving.get("database_page"):
            out += (f" (the single file's database page, where these checks are most of the work: "
                    f"{serving['database_page'].group(1)} / {serving['database_page'].group(2)} ms p50 / p95 idle at "
                    f"1M, `views-1000001`)")
        at_months = one + per_partition * (months - min(checks))
        out += (f". With the plan's {months} monthly partitions a page's checks cost up to {PAGE_CHECKS * at_months:,.0f} "
                "ms; at a few hundred partitions per Datasette process they are the cost that grows fastest: serve "
                "coarser partitions (a year of old months in one file), or several Datasette processes each over a "
                "range of months, or Datasette 1.0 (the plugin reads there the resources an actor may view in one "
                "query each for databases and tables; not measured here).")
    else:
        out += (" Permission checks: a page asks a fixed number whatever the partitions (at most "
                f"{PAGE_CHECKS}, tested); on Datasette 1.0 an actor's permissions are resolved in one SQL query.")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000_000)
    parser.add_argument("--cores", type=int, default=16)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR))
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    costs, cluster = ingest_all_costs(), cluster_costs()
    if not ((costs and costs["ms"]) or (cluster and cluster["ms"])):
        raise SystemExit("RESULTS.md has neither an `ingest-all` nor an `ingest-cluster` section: run "
                         "bench/bench_ingest.py --corpus all or bench/bench_cluster.py first")
    synthetic = None
    folder = Path(args.workdir) / "partitioned-1000000" / "newstrace"
    if (folder / "newstrace.db").exists():
        files = list(folder.glob("*.db"))
        synthetic = {"partitions": len(files) - 1,
                     "per_article": sum(f.stat().st_size for f in files) / 1_000_000}
    body = (f"`python bench/plan.py --pages {args.pages} --cores {args.cores} --months {args.months}` (from the "
            "sections of this file it names; the permission checks measured by the script)\n\n"
            + plan(costs, cluster, serving_figures(), permission_check_ms(), args.pages, args.cores, args.months,
                   synthetic))
    print(body)
    if not args.no_results:
        write_section("plan-100m", f"Plan: {args.pages:,} pages on N machines", body)
    return body


if __name__ == "__main__":
    main()
