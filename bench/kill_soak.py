#!/usr/bin/env python3
"""kill -9 at random moments during ingest and reextract, then the same command again (issue 15).

usage: python bench/kill_soak.py [--ingest-kills 20] [--reextract-kills 10] [--seed 15] [--workdir DIR]
                                 [--no-results]

The sample corpus is served by its own server on 127.0.0.1 (no other network) and ingested as the demo does
(feed, sitemap and URL list). A clean run of each command gives the reference. Then, for --workers 1 and
--workers 2, N times: a fresh archive, `newstrace ingest` killed (SIGKILL to its process group, workers
included) at a point drawn uniformly over its work (a share of the articles written or re-extracted, or
the tracing at the end), then the same command run to its end;
and N times on a copy of the clean archive: `newstrace reextract` killed the same way, then run again.
After each, it checks: PRAGMA integrity_check, FTS5 integrity-check of both indexes, claim mentions without
a claim (NULL or a claim id that does not exist), the rows of every content table against the clean run,
the partition of mentions into claims against the clean run. A reader thread polls the searches a user
would make (English and Chinese, articles and claim mentions) on the archive throughout: during reextract
they must always find what they find in the clean archive; during an ingest, once a search found something
it must never find less. Prints a table and writes the `kill-soak` section of bench/RESULTS.md.
"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_WORKDIR, table, write_section  # noqa: E402

TABLES = ("articles", "snapshots", "article_versions", "claim_mentions", "claims", "claim_edges", "claim_redirects",
          "country_mentions", "article_countries", "participation", "initiative_claimed_counts", "canonical_claims")
SEARCHES = (("articles_fts", "minerals"), ("articles_fts", '"稀 土"'), ("claim_mentions_fts", "minerals"))


def ingest_command(db, server, workers):
    from newstrace.ingest.sample import sample_urls

    return [sys.executable, "-m", "newstrace.ingest.cli", "ingest", str(db), "--feed", server.url("/feed.xml"),
            "--sitemap", server.url("/sitemap.xml"), *sample_urls(server.base_url), "--allow-private", "--delay", "0",
            "--quiet", "--workers", str(workers)]


def reextract_command(db):
    return [sys.executable, "-m", "newstrace.ingest.cli", "reextract", str(db), "--quiet"]


def query(db, sql, params=()):
    with sqlite3.connect(db, timeout=60) as conn:
        return conn.execute(sql, params).fetchall()


def state(db):
    "What must equal the clean run: row counts, the claim partition, the searches."
    counts = {t: query(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}
    rows = query(db, "SELECT m.claim_id, a.url, m.sentence FROM claim_mentions m JOIN articles a ON a.id = m.article_id")
    by_claim = {}
    for claim_id, url, sentence in rows:
        by_claim.setdefault(claim_id, set()).add((url, sentence))
    return counts, {frozenset(v) for v in by_claim.values()}, searches(db)


def searches(db, conn=None):
    own = conn is None
    conn = conn or sqlite3.connect(db, timeout=60)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH ?", [q]).fetchone()[0]
                     for fts, q in SEARCHES)
    finally:
        if own:
            conn.close()


def checks(db):
    "(integrity ok, FTS ok, mentions without a claim)."
    integrity = query(db, "PRAGMA integrity_check") == [("ok",)]
    fts = True
    for name in ("articles", "claim_mentions"):
        try:
            query(db, f"INSERT INTO {name}_fts({name}_fts) VALUES('integrity-check')")
        except sqlite3.DatabaseError:
            fts = False
        fts = fts and query(db, f"SELECT COUNT(*) FROM {name}_fts_docsize") == query(db, f"SELECT COUNT(*) FROM {name}")
    orphans = query(db, "SELECT COUNT(*) FROM claim_mentions WHERE claim_id IS NULL OR claim_id NOT IN "
                        "(SELECT id FROM claims)")[0][0]
    return integrity, fts, orphans


class Reader(threading.Thread):
    "Polls the searches while a command writes; records what it saw."

    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.seen, self.errors = db, [], []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            if not Path(self.db).exists():
                time.sleep(0.01)
                continue
            try:
                conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=60)
                try:
                    self.seen.append(searches(self.db, conn))
                finally:
                    conn.close()
            except sqlite3.Error as err:
                if "no such table" not in str(err):  # the schema not written yet
                    self.errors.append(str(err))
            time.sleep(0.02)


def progress(db):
    "(articles written, articles waiting to be traced) as a reader sees them; (0, 0) before the schema exists."
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
        try:
            return (conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                    conn.execute("SELECT COUNT(*) FROM claim_trace_pending").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0, 0


def run_killed(command, point, db, rng, total):
    """Start the command and SIGKILL its process group at `point` (a share of the work): below 0.9, once that
    share of the articles is written (ingest) or re-extracted (reextract: waiting to be traced), then after a
    random 0-0.5 s; above, while the batch traces (every article written, some waiting), after 0-1.5 s. A
    moment of the clock would miss most runs on a machine whose load changes."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    target = int(point * total) if point < 0.9 else total
    reextract = "reextract" in command
    while proc.poll() is None:
        written, waiting = progress(db)
        reached = waiting >= target if reextract else written >= target
        if reached and (point < 0.9 or waiting):
            time.sleep(rng.uniform(0, 0.5 if point < 0.9 else 1.5))
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        return "finished"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return "killed"


def timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:5])} failed: {result.stderr[-2000:]}")
    return time.perf_counter() - start


def soak(args):
    from newstrace.ingest.sample import serve_sample

    rng = random.Random(args.seed)
    work = Path(args.workdir) / "kill-soak"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = []
    with serve_sample() as server:
        clean = work / "clean.db"
        command = ingest_command(clean, server, 1)
        clean_seconds = {1: timed(command)}
        reference = state(clean)
        for workers in (1, 2):
            if workers not in clean_seconds:
                ref2 = work / f"clean-{workers}.db"
                command = ingest_command(ref2, server, workers)
                clean_seconds[workers] = timed(command)
                assert state(ref2) == reference, "--workers 2 gives another archive than --workers 1"
            for i in range(args.ingest_kills):
                db = work / f"ingest-{workers}-{i}.db"
                command = ingest_command(db, server, workers)
                moment = rng.uniform(0.0, 1.0)
                reader = Reader(db)
                reader.start()
                outcome = run_killed(command, moment, db, rng, reference[0]["articles"])
                again = subprocess.run(command, capture_output=True, text=True)
                reader.stop.set()
                reader.join()
                results.append(judge(f"ingest --workers {workers}", moment, outcome, again.returncode, db, reference,
                                     reader, growing=True))
                remove(db)
        reextract_seconds = timed(reextract_command(shutil.copy(clean, work / "reextract-clean.db")))
        for i in range(args.reextract_kills):
            db = Path(shutil.copy(clean, work / f"reextract-{i}.db"))
            moment = rng.uniform(0.0, 1.0)
            reader = Reader(db)
            reader.start()
            outcome = run_killed(reextract_command(db), moment, db, rng, reference[0]["articles"])
            again = subprocess.run(reextract_command(db), capture_output=True, text=True)
            reader.stop.set()
            reader.join()
            results.append(judge("reextract", moment, outcome, again.returncode, db, reference, reader, growing=False))
            remove(db)
    return results, clean_seconds, reextract_seconds, reference


def remove(db):
    for path in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        path.unlink(missing_ok=True)


def judge(mode, moment, outcome, returncode, db, reference, reader, growing):
    integrity, fts, orphans = checks(db)
    got = state(db)
    seen = reader.seen
    if growing:
        # from the first search that found something on, no search finds less than before
        shrank = sum(1 for a, b in zip(seen, seen[1:]) if any(y < x for x, y in zip(a, b)))
        found = [False] * len(SEARCHES)  # per search: has it found something yet
        empty = 0
        for s in seen:
            empty += any(found[j] and not n for j, n in enumerate(s))
            found = [f or bool(n) for f, n in zip(found, s)]
    else:
        shrank = sum(1 for s in seen if s != reference[2])
        empty = sum(1 for s in seen if 0 in s)
    return {"mode": mode, "moment": moment, "outcome": outcome, "rerun": returncode, "integrity": integrity,
            "fts": fts, "orphans": orphans, "counts": got[0] == reference[0], "claims": got[1] == reference[1],
            "search": got[2] == reference[2], "reads": len(seen), "shrank": shrank, "empty": empty,
            "reader_errors": len(reader.errors), "errors": sorted(set(reader.errors))[:3],
            "diff": {k: (v, reference[0][k]) for k, v in got[0].items() if v != reference[0][k]}}


def report(results, clean_seconds, reextract_seconds, reference):
    rows = []
    for mode in dict.fromkeys(r["mode"] for r in results):
        rs = [r for r in results if r["mode"] == mode]
        rows.append([
            mode, len(rs), sum(r["outcome"] == "killed" for r in rs),
            f"{sum(r['rerun'] == 0 for r in rs)}/{len(rs)}",
            f"{sum(r['integrity'] and r['fts'] for r in rs)}/{len(rs)}",
            max(r["orphans"] for r in rs),
            f"{sum(r['counts'] for r in rs)}/{len(rs)}",
            f"{sum(r['claims'] for r in rs)}/{len(rs)}",
            f"{sum(r['search'] for r in rs)}/{len(rs)}",
            sum(r["reads"] for r in rs), sum(r["shrank"] for r in rs), sum(r["empty"] for r in rs),
            sum(r["reader_errors"] for r in rs),
        ])
    headers = ["command", "runs", "killed mid-run", "rerun exit 0", "integrity + FTS ok", "max mentions without claim",
               "row counts = clean", "claims = clean", "searches = clean", "reader searches", "found less",
               "found nothing", "reader errors"]
    text = table(headers, rows)
    text += (f"\n\nClean run: ingest {clean_seconds[1]:.1f} s (--workers 1), {clean_seconds[2]:.1f} s (--workers 2); "
             f"reextract {reextract_seconds:.1f} s; {reference[0]['articles']} articles, "
             f"{reference[0]['claim_mentions']} claim mentions, {reference[0]['claims']} claims. Kill points drawn "
             "uniformly over the work: once that share of the articles is written (ingest) or re-extracted "
             "(reextract), or, for the top tenth, while the batch traces. 'found less': a reader's search finding "
             "fewer articles than its previous search (ingest) or than the clean archive (reextract); 'found nothing': a search finding "
             "nothing after it had found something (ingest) or at all (reextract).")
    bad = [r for r in results if not (r["integrity"] and r["fts"] and not r["orphans"] and r["counts"] and r["claims"]
                                      and r["search"] and r["rerun"] == 0 and not r["shrank"] and not r["empty"]
                                      and not r["reader_errors"])]
    for r in bad:
        text += f"\n- failed: {r['mode']} killed at {r['moment']:.2f} of the work: {r}"
    return text, not bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ingest-kills", type=int, default=20)
    parser.add_argument("--reextract-kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workdir", default=os.environ.get("NEWSTRACE_BENCH_DIR", DEFAULT_WORKDIR))
    parser.add_argument("--no-results", action="store_true", help="Print only; do not write bench/RESULTS.md.")
    args = parser.parse_args()
    results, clean_seconds, reextract_seconds, reference = soak(args)
    text, ok = report(results, clean_seconds, reextract_seconds, reference)
    print(text)
    if not args.no_results:
        write_section("kill-soak", "kill -9 during ingest and reextract, then the same command again (issue 15)",
                      f"`python bench/kill_soak.py --ingest-kills {args.ingest_kills} --reextract-kills "
                      f"{args.reextract_kills} --seed {args.seed}`\n\n" + text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
