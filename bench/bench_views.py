#!/usr/bin/env python3
"""Every view against a real `datasette serve` on 127.0.0.1, next to the same SQL run directly in sqlite3.

usage: python bench/bench_views.py DB [--requests 50] [--max-seconds 120] [--port 0] [--no-results]

DB should be named newstrace.db (as the README says), e.g. built by make_archive.py. The server is started
the way the README tells users to start it (its `datasette serve ... -m metadata.json --setting ...` line is
read from README.md; metadata.json from the repository root), bound to 127.0.0.1 on a free port.

For each view: one warm-up request, then --requests sequential requests (fewer if --max-seconds runs out;
the table says how many), p50 / p95 / max of the full response time. The SQL the view runs is captured
once from an in-process Datasette with the same metadata and settings but time limits of 60 s (so the
statements Datasette interrupts, e.g. a facet over its time limit, are captured too; datasette.tracer)
and then executed directly in sqlite3 (same connection functions, read-only) as many times, one query
after the other: that is the "raw SQL" column. Table views are also checked in their .json form for
facets reported as timed out and for a missing row count.
"""
import argparse
import asyncio
import json
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, datasette_command, ms, percentile, table, write_section  # noqa: E402
from textgen import COMMON_EN, COMMON_ZH, PLANTED, RARE_EN, RARE_ZH  # noqa: E402

TARGET_P95 = {"1%": 0.200, "30%": 1.000, None: 0.200}


def q(term):
    from urllib.parse import quote

    return quote(term)


def views(db_name, picks):
    """(label, path, search share or None, kind): kind 'table' gets the .json facet/count check."""
    d = f"/{db_name}"
    share = {t: f"{round(s * 100)}%" for t, s in PLANTED.items()}
    out = [
        ("articles, no search (metadata facets)", f"{d}/articles", None, "table"),
        (f"articles ?_search={RARE_EN}", f"{d}/articles?_search={q(RARE_EN)}", share[RARE_EN], "table"),
        (f"articles ?_search={COMMON_EN}", f"{d}/articles?_search={q(COMMON_EN)}", share[COMMON_EN], "table"),
        (f"articles ?_search={RARE_ZH}", f"{d}/articles?_search={q(RARE_ZH)}", share[RARE_ZH], "table"),
        (f"articles ?_search={COMMON_ZH}", f"{d}/articles?_search={q(COMMON_ZH)}", share[COMMON_ZH], "table"),
        ("articles + Datasette's own facets (_facet= sitename, language, published_month)",
         f"{d}/articles?_facet=sitename&_facet=language&_facet=published_month", None, "table"),
        (f"articles.json ?_search={RARE_EN}", f"{d}/articles.json?_search={q(RARE_EN)}", share[RARE_EN], "table"),
        (f"articles.csv ?_search={COMMON_EN}", f"{d}/articles.csv?_search={q(COMMON_EN)}", share[COMMON_EN], "csv"),
        (f"ranked search q={RARE_EN}", f"{d}/-/search?q={q(RARE_EN)}", share[RARE_EN], "page"),
        (f"ranked search q={COMMON_EN}", f"{d}/-/search?q={q(COMMON_EN)}", share[COMMON_EN], "page"),
        (f"ranked search q={RARE_ZH}", f"{d}/-/search?q={q(RARE_ZH)}", share[RARE_ZH], "page"),
        (f"ranked search q={COMMON_ZH}", f"{d}/-/search?q={q(COMMON_ZH)}", share[COMMON_ZH], "page"),
        (f"ranked search .json q={COMMON_EN}", f"{d}/-/search.json?q={q(COMMON_EN)}", share[COMMON_EN], "page"),
        (f"ranked search .csv q={RARE_EN}", f"{d}/-/search.csv?q={q(RARE_EN)}", share[RARE_EN], "page"),
        ("claims table (metadata facets)", f"{d}/claims", None, "table"),
    ]
    if picks.get("facet_values"):
        # a reader narrowing the table with three facet clicks; every default facet recounted for them
        site, month = picks["facet_values"]
        out.insert(6, ("articles, 3 facet values chosen (language, sitename, published_month)",
                       f"{d}/articles?language=en&sitename={q(site)}&published_month={q(month)}", None, "table"))
    if picks.get("claim"):
        cid, n = picks["claim"]
        out += [(f"claim page, {n:,} mentions", f"{d}/-/claims/{cid}", None, "page"),
                (f"claim page .json, {n:,} mentions", f"{d}/-/claims/{cid}.json", None, "page")]
    if picks.get("article"):
        aid, n = picks["article"]
        out += [(f"article page, {n} claim mentions", f"{d}/-/articles/{aid}", None, "page"),
                (f"article page .json, {n} claim mentions", f"{d}/-/articles/{aid}.json", None, "page")]
    out += [("database page (the overview leads it)", d, None, "page"), ("overview page", f"{d}/-/overview", None, "page")]
    out.append(("countries map data (.json)", f"{d}/-/countries.json", None, "page"))
    out.append(("countries map page", f"{d}/-/countries", None, "page"))
    if picks.get("country"):
        code, n = picks["country"]
        out.append((f"country page {code} ({n:,} articles)", f"{d}/-/countries/{code}", None, "page"))
    if picks.get("initiative"):
        iid, n = picks["initiative"]
        out.append((f"initiative page {iid} ({n:,} rows)", f"{d}/-/initiatives/{iid}", None, "page"))
    out.append(("initiatives list", f"{d}/-/initiatives", None, "page"))
    out.append(("initiatives list .json, kind=summit", f"{d}/-/initiatives.json?kind=summit", None, "page"))
    out.append(("initiatives list, q=partnership", f"{d}/-/initiatives?q=partnership", None, "page"))
    if picks.get("discovered"):
        iid, n = picks["discovered"]
        out.append((f"discovered initiative page ({n:,} articles)", f"{d}/-/initiatives/{iid}", None, "page"))
    if picks.get("discovered_small"):
        iid, n = picks["discovered_small"]
        out.append((f"discovered initiative page, small ({n:,} articles)", f"{d}/-/initiatives/{iid}", None, "page"))
    if picks.get("discovered_count"):
        # the list's far pages and the discovered ones alone (10,000 at 1M: issue 10)
        last = max(1, -(-picks["discovered_count"] // 100))
        out.append(("initiatives list .json, source=text", f"{d}/-/initiatives.json?source=text", None, "page"))
        out.append((f"initiatives list, page {last} of 100", f"{d}/-/initiatives?page={last}", None, "page"))
        out.append(("initiatives list sorted by name", f"{d}/-/initiatives?_sort=name_en", None, "page"))
    return out


def pick_targets(path):
    "The claim with most mentions, the most-mentioned country, the initiative with most participation rows."
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    picks = {}
    try:
        row = conn.execute("SELECT id, n_mentions FROM claims ORDER BY n_mentions DESC LIMIT 1").fetchone()
        if row and row[1]:
            picks["claim"] = row
        row = conn.execute("SELECT country, COUNT(*) n FROM article_countries GROUP BY country ORDER BY n DESC "
                           "LIMIT 1").fetchone()
        if row:
            picks["country"] = row
        row = conn.execute("SELECT initiative_id, COUNT(*) n FROM participation GROUP BY initiative_id "
                           "ORDER BY n DESC LIMIT 1").fetchone()
        if row:
            picks["initiative"] = row
        try:  # the text-found initiative named in most articles (archives with initiative discovery)
            row = conn.execute("SELECT id, articles FROM initiatives WHERE source = 'text' "
                               "ORDER BY articles DESC LIMIT 1").fetchone()
            if row and row[1]:
                picks["discovered"] = row
            row = conn.execute("SELECT id, articles FROM initiatives WHERE source = 'text' AND articles > 0 "
                               "ORDER BY articles, id LIMIT 1").fetchone()
            if row:
                picks["discovered_small"] = row
            picks["discovered_count"] = conn.execute("SELECT COUNT(*) FROM initiatives WHERE source = 'text'"
                                                     ).fetchone()[0]
        except sqlite3.OperationalError:
            pass
        site = conn.execute("SELECT sitename FROM articles WHERE sitename IS NOT NULL GROUP BY sitename "
                            "ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
        month = conn.execute("SELECT published_month FROM articles WHERE published_month IS NOT NULL "
                             "GROUP BY published_month ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
        if site and month:
            picks["facet_values"] = (site[0], month[0])
        picks["articles"] = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0] or 0
        # the article page's worst case: the probe article (probe_article.py, --probe-article) when there is one
        from probe_article import PROBE_URL

        row = conn.execute("SELECT a.id, (SELECT COUNT(*) FROM claim_mentions m WHERE m.article_id = a.id) "
                           "FROM articles a WHERE a.canonical_url = ?", [PROBE_URL]).fetchone()
        if row:
            picks["article"] = row
    finally:
        conn.close()
    return picks


# --- how users start the server -------------------------------------------------------------------------

def readme_serve_args():
    """The options of the README's `datasette serve` line (after the database), e.g. -m metadata.json
    --setting facet_time_limit_ms 500. Falls back to '-m metadata.json' when the README has no such line."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("datasette serve ") or line.startswith("datasette "):
            words = shlex.split(line)
            words = words[2:] if words[1] == "serve" else words[1:]
            dbs = [w for w in words if w.endswith(".db")]
            opts = [w for w in words if w not in dbs]
            return opts, line
    return ["-m", "metadata.json"], None


def settings_from(opts):
    settings, metadata = {}, None
    it = iter(range(len(opts)))
    for i in it:
        if opts[i] == "--setting":
            settings[opts[i + 1]] = opts[i + 2]
            next(it), next(it)
        elif opts[i] in ("-m", "--metadata"):
            metadata = opts[i + 1]
            next(it)
    return settings, metadata


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db, opts, port=0):
        self.port = port or free_port()
        opts = [str(REPO / o) if o == "metadata.json" else o for o in opts]
        self.cmd = datasette_command() + ["serve", str(db), *opts, "--host", "127.0.0.1", "--port", str(self.port)]
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        import httpx

        self.log = open(Path("/tmp") / f"newstrace-bench-datasette-{self.port}.log", "w")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"datasette exited ({self.proc.returncode}); see {self.log.name}")
            try:
                if httpx.get(self.base + "/-/versions.json", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("datasette did not start within 120 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# --- raw SQL --------------------------------------------------------------------------------------------

async def capture_sql(db, metadata, settings, paths):
    "{path: [(sql, params)]} as an in-process Datasette with the same configuration runs them."
    from datasette.app import Datasette
    from datasette.tracer import capture_traces

    # generous limits here: a query Datasette interrupts leaves no trace, and the raw column should show
    # what a timed-out facet or count would really cost
    settings = {**_typed(settings), "sql_time_limit_ms": 60_000, "facet_time_limit_ms": 60_000,
                "facet_suggest_time_limit_ms": 60_000}
    ds = Datasette([str(db)], metadata=metadata, settings=settings)
    await ds.invoke_startup()
    name = Path(db).stem
    out = {}
    for path in paths:
        traces = []
        with capture_traces(traces):
            response = await ds.client.get(path)
        out[path] = {"status": response.status_code,
                     "queries": [(t["sql"], t.get("params")) for t in traces
                                 if t.get("type") == "sql" and t.get("database") == name and not t.get("executescript")]}
    return out


def _typed(settings):
    typed = {}
    for k, v in settings.items():
        if str(v).lower() in ("on", "off", "true", "false", "1", "0") and k not in ("facet_time_limit_ms",):
            if str(v).lower() in ("on", "off", "true", "false"):
                typed[k] = str(v).lower() in ("on", "true")
                continue
        try:
            typed[k] = int(v)
        except ValueError:
            typed[k] = v
    return typed


def raw_connection(db):
    from datasette.app import Datasette
    from datasette.plugins import pm

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    ds = Datasette([], memory=False)
    # the functions Datasette and our plugin register (escape_fts with the CJK rewrite, ...)
    pm.hook.prepare_connection(conn=conn, database=Path(db).stem, datasette=ds)
    return conn


def time_raw(conn, queries, n, budget):
    times, errors = [], set()
    start = time.monotonic()
    for _ in range(n):
        t0 = time.perf_counter()
        for sql, params in queries:
            try:
                conn.execute(sql, params or {}).fetchall()
            except sqlite3.Error as err:
                errors.add(str(err)[:80])
        times.append(time.perf_counter() - t0)
        if time.monotonic() - start > budget:
            break
    return times, errors


# --- the run --------------------------------------------------------------------------------------------

def measure(db, requests=50, max_seconds=120.0, port=0, progress=True, extra_settings=(), only=()):
    """extra_settings: (name, value) pairs added to the README's options (to measure a recommendation
    before the README adopts it; the results say so)."""
    import httpx

    db = Path(db).resolve()
    opts, readme_line = readme_serve_args()
    for name, value in extra_settings:
        opts = opts + ["--setting", name, str(value)]
    settings, metadata_name = settings_from(opts)
    metadata = json.loads((REPO / metadata_name).read_text(encoding="utf-8")) if metadata_name and (
        REPO / metadata_name).exists() else {}
    picks = pick_targets(db)
    items = [v for v in views(db.stem, picks) if not only or any(o in v[0] for o in only)]
    sql = asyncio.run(capture_sql(db, metadata, settings, [p for _, p, _, _ in items]))
    conn = raw_connection(db)
    results = []
    with Server(db, opts, port) as server, httpx.Client(base_url=server.base, timeout=120) as client:
        for label, path, share, kind in items:
            first = time.perf_counter()
            response = client.get(path)
            first = time.perf_counter() - first
            status = response.status_code
            notes = []
            times = []
            if status != 200:
                # a cold page cache can push a large search past sql_time_limit_ms: say so, then time the
                # warm requests all the same
                notes.append(f"first request HTTP {status}")
                status = client.get(path).status_code
            if status == 200:
                start = time.monotonic()
                for _ in range(requests):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append(time.perf_counter() - t0)
                    if r.status_code != 200:
                        notes.append(f"HTTP {r.status_code} during the run")
                        break
                    if time.monotonic() - start > max_seconds:
                        break
                if kind == "table":
                    notes += table_checks(client, path)
            else:
                notes.append(f"HTTP {status}")
            queries = sql[path]["queries"]
            raw, errors = time_raw(conn, queries, max(len(times), 5), max_seconds / 2) if queries else ([], set())
            if errors:
                notes.append("raw SQL errors: " + "; ".join(sorted(errors)))
            results.append({"label": label, "path": path, "share": share, "status": status, "first": first,
                            "times": times, "raw": raw, "queries": len(queries), "notes": notes,
                            "sql": queries})
            if progress:
                print(f"  {label}: n={len(times)} p50={ms(percentile(times, 50))} ms raw={ms(percentile(raw, 50))} ms "
                      f"{' '.join(notes)}", file=sys.stderr, flush=True)
    conn.close()
    return {"db": str(db), "articles": picks.get("articles"), "results": results, "readme_line": readme_line,
            "extra_settings": list(extra_settings),
            "serve": " ".join(server.cmd[len(datasette_command()):]).replace(str(REPO) + "/", "")}


def table_checks(client, path):
    """Facets Datasette gave up on (its HTML page lists them; 0.65's .json just leaves them out) and a
    missing row count (the .json's filtered_table_rows_count)."""
    base, _, query = path.partition("?")
    plain = re.sub(r"\.(json|csv)$", "", base)
    suffix = ("?" + query) if query else ""
    notes = []
    page = client.get(plain + suffix).text
    timed_out = re.search(r"These facets timed out:\s*(.*?)</p>", page, re.S)
    if timed_out:
        notes.append("facets timed out: " + re.sub(r"<[^>]+>|\s+", " ", timed_out.group(1)).strip())
    data = client.get(plain + ".json" + suffix).json()
    if data.get("filtered_table_rows_count") is None:
        notes.append("row count missing")
    return notes


def verdict(r):
    if r["status"] != 200 or not r["times"]:
        return "-"
    p95, p50 = percentile(r["times"], 95), percentile(r["times"], 50)
    ok = [p95 <= TARGET_P95.get(r["share"], 0.2)]
    raw50 = percentile(r["raw"], 50) if r["raw"] else None
    if raw50 is not None:
        ok.append(p50 <= 1.5 * raw50 + 0.020)
    ok.append(not any(n.startswith(("facets timed out", "row count missing", "first request HTTP")) for n in r["notes"]))
    return "ok" if all(ok) else "MISSED"


def render(out):
    rows = []
    for r in out["results"]:
        t = r["times"]
        raw50 = percentile(r["raw"], 50) if r["raw"] else None
        ratio = f"{percentile(t, 50) / raw50:.1f}x" if t and raw50 else ""
        rows.append([r["label"], r["share"] or "", len(t), ms(percentile(t, 50)), ms(percentile(t, 95)),
                     ms(max(t)) if t else None, ms(r["first"]), r["queries"], ms(raw50),
                     ms(percentile(r["raw"], 95)), ratio, verdict(r), "; ".join(r["notes"])])
    text = table(["view", "matches", "n", "p50 ms", "p95 ms", "max ms", "first ms", "SQL queries", "raw SQL p50 ms",
                  "raw p95 ms", "view/SQL p50", "targets", "notes"], rows)
    return text


def slowest_queries(out, limit=8):
    "The single statements that cost most in the raw runs: where to look first."
    import statistics

    conn = raw_connection(out["db"])
    seen, timed = set(), []
    for r in out["results"]:
        for sql_text, params in r["sql"]:
            key = (sql_text, json.dumps(params, sort_keys=True, default=str))
            if key in seen:
                continue
            seen.add(key)
            samples = []
            for _ in range(3):
                t0 = time.perf_counter()
                try:
                    conn.execute(sql_text, params or {}).fetchall()
                except sqlite3.Error:
                    break
                samples.append(time.perf_counter() - t0)
            if samples:
                timed.append((statistics.median(samples), r["label"], sql_text, params))
    conn.close()
    timed.sort(reverse=True)
    lines = []
    for seconds, label, sql_text, params in timed[:limit]:
        one_line = re.sub(r"\s+", " ", sql_text)[:400]
        lines.append(f"- {seconds * 1000:.0f} ms ({label}): `{one_line}` params `{json.dumps(params, ensure_ascii=False)[:120]}`")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=120.0, help="Per view, for the timed requests.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="A Datasette setting added to the README's (e.g. suggest_facets off).")
    parser.add_argument("--no-results", action="store_true")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="Measure only the views whose label contains TEXT (repeatable); printed, not written to "
                             "RESULTS.md or DB.views.json (a section holds every view).")
    parser.add_argument("--probe-article", action="store_true",
                        help="First add the article page's worst case, an article with 200 claim mentions, to DB "
                             "(bench/probe_article.py: once, idempotent) so that the article page is measured on it.")
    args = parser.parse_args(argv)
    if args.probe_article:
        from probe_article import ensure_probe

        ensure_probe(args.db)
    out = measure(args.db, args.requests, args.max_seconds, args.port, extra_settings=args.setting, only=args.only)
    if args.only:
        print(render(out))
        return out
    write_views_section(out, args.requests, not args.no_results)
    return out


def write_views_section(out, requests, write=True):
    # kept beside the database, so a section can be rendered again without re-measuring
    Path(out["db"] + ".views.json").write_text(json.dumps(out, default=str), encoding="utf-8")
    text = render(out)
    slow = slowest_queries(out)
    n = out["articles"]
    extra = out.get("extra_settings")
    added = (" **Settings added to the README's for this run: " + ", ".join(f"{k} {v}" for k, v in extra) + ".**"
             if extra else "")
    body = (f"Server: `datasette {out['serve']}` (README line: `{out['readme_line']}`).{added} {requests} requests per view "
            f"after one warm-up (\"first\"), sequential, full response read. Targets: p95 <= 200 ms (1 % terms and "
            f"pages without search), <= 1 s (30 % terms); view p50 <= 1.5 x raw SQL p50 + 20 ms; no facet timed out, "
            f"no count missing.\n\n" + text + "\n\nSlowest single statements (raw sqlite3, median of 3):\n\n" + slow + "\n")
    print(text)
    print(slow)
    if write:
        suffix = "-" + "-".join(f"{k}-{v}" for k, v in extra) if extra else ""
        write_section(f"views-{n}{suffix}", f"Views at {n:,} articles" + (" (" + ", ".join(f"{k} {v}" for k, v in extra)
                                                                        + ")" if extra else ""), body)


if __name__ == "__main__":
    main()
