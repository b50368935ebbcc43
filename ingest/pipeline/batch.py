"""Running a batch of tasks: worker processes do the CPU work, this process alone writes the database.

Requests to one host are never in flight together and are spaced by `delay` seconds after the previous
one finished; local files and WARC records have no such limit (acquire.crawl.HostQueue, shared with the
cluster's batch).
"""
import contextlib
import gc
import multiprocessing
import queue
import time
from collections import Counter, defaultdict

from tqdm import tqdm

from .. import store
from ..acquire.crawl import HostQueue, host_delay, task_host
from ..claims.trace.update import DEFAULT_MATCHER
from .worker import process_task

# Python's cyclic garbage collector runs every 700 allocations by default; a page's extraction allocates
# hundreds of thousands of short-lived objects (lxml element proxies, strings), so it ran about nine times a
# page and then scanned the long-lived analysis tables as well: 5 % of a page's processor time. Rarer
# collections during a batch halve that; refcounting still frees everything without cycles at once, and the
# peak memory is unchanged (measured over 200 evaluation pages). Forked workers inherit the setting.
GC_THRESHOLD = (20000, 20, 10)


@contextlib.contextmanager
def rare_gc():
    "GC_THRESHOLD while the block runs (a batch here; a Dask task on a worker, which is not forked from us)."
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)

# Pages read from files or WARC records written per transaction (store.WriteGroup): at most this many, or this
# many seconds after the group's first write, and never across a wait for the network or a worker (pages from
# the web are committed one by one, as before). A commit per page (and another for its fetch_log row), each
# with its own full-text segment, cost 1.3 ms of a text-heavy evaluation page.
GROUP_PAGES = 100
GROUP_SECONDS = 0.5


def run_batch(db, tasks, options, *, workers=1, delay=1.0, refetch=False, progress=True, total=None, spacing=None,
              robots=None):
    """Ingest `tasks` (an iterable of task dicts). Returns {"counts": Counter, "timings": {...},
    "article_ids": set}. spacing: {host: time.monotonic() of the last request to it} made before the batch
    (feeds, sitemaps, robots.txt), so that the first page of a host waits for --delay too; robots: {host:
    what this process read of its robots.txt} (Robots.by_host()), whose Crawl-delay counts as well."""
    summary = {"counts": Counter(), "timings": defaultdict(float), "article_ids": set()}
    bar = tqdm(total=total, unit="page", disable=not progress, dynamic_ncols=True, leave=True)

    group = store.WriteGroup(db, pages=GROUP_PAGES, seconds=GROUP_SECONDS)

    def handle(result):
        t0 = time.perf_counter()
        outcome, article_id = write_result(db, result)
        # a commit now and then (counted in the store stage); a page from the web at once, as before: its
        # fetch took far longer than a commit, and a reader (or a kill) sees each page as soon as it is in
        group.page_done(now=result["task"].get("kind") == "http")
        summary["timings"]["store"] += time.perf_counter() - t0
        for stage, seconds in result.get("timings", {}).items():
            summary["timings"][stage] += seconds
        summary["counts"][outcome] += 1
        if article_id and outcome in ("new", "changed"):
            summary["article_ids"].add(article_id)
        bar.update(1)
        bar.set_postfix({k: v for k, v in summary["counts"].items()}, refresh=False)

    def known(task):
        if refetch:
            return False
        article_id = store.known_article(db, task["url"])
        if article_id is None:
            return False
        store.log_fetch(db, url=task["url"], source=task["source"], outcome="unchanged", article_id=article_id,
                        message="Already in the archive; not read again (use --refetch to fetch it again).")
        summary["counts"]["unchanged"] += 1
        group.page_done(now=task.get("kind") == "http")
        bar.update(1)
        return True

    fresh = (task for task in tasks if not known(task))
    with rare_gc(), group:  # committed at the end, an error or an interrupt included (whole pages only)
        if workers <= 1:
            _run_inline(fresh, options, delay, handle, spacing or {}, robots or {}, group)
        else:
            _run_pool(fresh, options, delay, handle, workers, spacing or {}, robots or {}, group)
    bar.close()
    t0 = time.perf_counter()
    finish_batch(db, summary["article_ids"], matcher=options.get("matcher", DEFAULT_MATCHER))
    summary["timings"]["trace"] += time.perf_counter() - t0
    return summary


def finish_batch(db, article_ids, matcher=DEFAULT_MATCHER):
    """Work that spans articles: claim clustering (matcher: 'rules', 'cross' or 'model'), one identity per
    initiative (merges with redirects) and initiative counts.

    Also traces what an interrupted run left untraced (claim_trace_pending), so running the same command
    again finishes a killed one."""
    from ..claims import update_claims
    from ..initiatives.resolve import resolve_initiatives

    pending = {row[0] for row in db.conn.execute("SELECT article_id FROM claim_trace_pending")}
    article_ids = set(article_ids) | pending
    update_claims(db, article_ids, matcher=matcher)
    with db.conn:
        ids = sorted(article_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            db.conn.execute("DELETE FROM claim_trace_pending WHERE article_id IN ({})".format(
                ", ".join("?" * len(chunk))), chunk)
    if resolve_initiatives(db):
        store.rebuild_summaries(db)  # merged initiatives' counts added together
    store.refresh_summaries(db)
    store.refresh_initiative_counts(db)


def write_result(db, result):
    task = result["task"]
    if not result["ok"]:
        store.log_fetch(
            db,
            url=task["url"],
            source=task["source"],
            outcome="failed",
            stage=result["stage"],
            error_class=result["error_class"],
            message=result["message"],
            http_status=result.get("http_status"),
        )
        return "failed", None
    try:
        outcome, article_id = store.record_page(db, task, result["fetched"], result["page"], result["derived"])
    except store.TransactionLost:
        raise  # the pages written before it are gone as well: stop
    except Exception as err:  # the page's transaction rolled back; the batch goes on
        store.log_fetch(db, url=task["url"], source=task["source"], outcome="failed", stage="store",
                        error_class=type(err).__name__, message=f"Could not store the page: {err}")
        return "failed", None
    store.log_fetch(db, url=task["url"], source=task["source"], outcome=outcome, article_id=article_id,
                    http_status=result["fetched"].get("status"), at=result["fetched"]["fetched_at"])
    return outcome, article_id


def _run_inline(tasks, options, delay, handle, spacing, robots, group=None):
    last_done, robots = dict(spacing), dict(robots)
    for task in tasks:
        host = task_host(task)
        wait = host_delay(delay, robots.get(host))
        if group is not None and (task.get("kind") == "http" or task.get("not_before")):
            group.commit()  # a request (or a wait) ahead: readers see the pages so far, the lock is free
        if host and wait and host in last_done:
            time.sleep(max(0.0, last_done[host] + wait - time.monotonic()))
        result = process_task(task, options)
        if host:
            last_done[host] = time.monotonic()
            if result.get("robots") is not None:
                robots[host] = result["robots"]
        handle(result)


def _run_pool(tasks, options, delay, handle, workers, spacing, robots, group=None):
    queued = HostQueue(tasks, delay, spacing, robots=robots)
    results = queue.Queue()
    inflight = 0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, maxtasksperchild=500) as pool:
        while True:
            for task in queued.ready(lambda: inflight < workers * 2, hosts_need_room=False):
                inflight += 1
                pool.apply_async(process_task, (task, options), callback=results.put,
                                 error_callback=lambda err, task=task: results.put(_crashed(task, err)))
            if not inflight and not queued.waiting and queued.exhausted:
                break
            timeout = 0.05 if queued.waiting else 1.0
            open_group = group is not None and group.opened is not None
            try:
                result = results.get(timeout=min(timeout, 0.05) if open_group else timeout)
            except queue.Empty:
                if open_group:
                    group.commit()  # no worker done for a while: readers see the pages so far, the lock is free
                continue
            inflight -= 1
            queued.done(result["task"], result.get("robots"))
            handle(result)


def _crashed(task, err):
    return {
        "ok": False,
        "task": task,
        "stage": "extract",
        "error_class": type(err).__name__,
        "message": f"The worker process failed on this page: {err}",
        "http_status": None,
    }
