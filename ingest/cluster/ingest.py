"""`newstrace ingest --cluster`: the batch of pipeline/batch.py with Dask workers doing the work.

Each page is one task (pipeline.worker.process_task: fetch or read, decode, extract, analyze) wherever
Dask places it; WARC records and files are separate tasks already (acquire/sources.py). Politeness is
decided here, in the one client (acquire.crawl.HostQueue, as for --workers), so it holds whichever worker
fetches: a host never has two requests in flight and waits `delay` seconds after one finished.

Into a single file, the results come back and this process writes them as --workers does: in source order,
several pages a transaction (store.WriteGroup), committed whenever no result is waiting. Into a
partitioned archive, results stay on the workers: this process plans them in source order (ids,
partitions: partitioned/planner.py), and one task per partition and batch writes them on a worker
(partitioned/writer.py), partitions in parallel; then the claims are traced on the cluster (trace.py).
"""
import contextlib
import time
from collections import Counter, defaultdict

from tqdm import tqdm

from .. import store
from ..acquire.crawl import HostQueue, task_host
from ..claims.trace.update import DEFAULT_MATCHER
from ..partitioned.layout import Archive
from ..partitioned.planner import Planner, apply_report, page_key, partition_groups, refresh_initiatives
from ..partitioned.writer import write_partition
from ..pipeline.batch import GROUP_PAGES, GROUP_SECONDS, rare_gc, write_result
from ..pipeline.worker import process_task
from .client import worker_count

# pages a partition writer takes at once (a batch is planned when this many in source order are done)
WRITE_BATCH = 200
# local pages (files, WARC records: no host to be polite to) one Dask task carries at most into a single file. Each task
# costs the scheduler, the client and the worker a few ms of processor time whatever its size — about 10 ms a
# page with one page a task, measured against --workers on the 990 evaluation pages (bench/bench_cluster.py),
# when a page takes 35 ms to extract; a web page is one task, its host's turn decided here.
TASK_PAGES = 16


def process_tasks(tasks, options):
    "pipeline.worker.process_task over several tasks, on one worker: their results in order."
    # a Dask worker is spawned, not forked from the batch: it would collect garbage as often as Python's
    # defaults say (pipeline/batch.py: GC_THRESHOLD)
    with rare_gc():
        return [process_task(task, options) for task in tasks]


def process_page(task, options):
    "process_task with the batch's garbage collection, one page whose result stays on its worker."
    with rare_gc():
        return process_task(task, options)


class _SingleFile:
    "Results come back to this process, which writes them into one SQLite file."

    def __init__(self, client, db):
        self.client, self.db = client, db
        self.robots = None  # the robots.txt the last page's worker read
        # results are written in source order, as one process writes them (the same article ids): a task done
        # before an earlier one waits here
        self.held = {}  # position -> result
        self.next_position = 0
        # a commit per page (and another for its fetch_log row) took a third of the store stage, in this one
        # process that every worker waits for (pipeline/batch.py: GROUP_PAGES)
        self.group = store.WriteGroup(db, pages=GROUP_PAGES, seconds=GROUP_SECONDS)

    def writing(self):
        "The batch's writes: committed at the end, an error or an interrupt included (whole pages only)."
        return self.group

    def idle(self):
        "Nothing to write for now: readers see the pages so far, and the write lock is free."
        if self.unsaved():
            self.group.commit()

    def unsaved(self):
        return self.group.opened is not None

    def known(self, task):
        article_id = store.known_article(self.db, task["url"])
        if article_id is not None:
            store.log_fetch(self.db, url=task["url"], source=task["source"], outcome="unchanged",
                            article_id=article_id,
                            message="Already in the archive; not read again (use --refetch to fetch it again).")
            self.group.page_done(now=task.get("kind") == "http")
        return article_id is not None

    # results come back here: several local pages may share a task
    task_pages = TASK_PAGES

    def submit(self, tasks, options):
        return self.client.submit(process_tasks, tasks, options, pure=False)

    def done(self, positions, future, summary):
        """Take the results of a task's pages and write those next in source order; returns how many were written.
        (self.robots: what the task's last page's worker read of its site's robots.txt.)"""
        results = future.result()
        for position, result in zip(positions, results):
            self.held[position] = result
        self.robots = results[-1].get("robots") if results else None
        written = 0
        while self.next_position in self.held:
            self._write(self.held.pop(self.next_position), summary)
            self.next_position += 1
            written += 1
        return written

    def _write(self, result, summary):
        t0 = time.perf_counter()
        outcome, article_id = write_result(self.db, result)
        self.group.page_done(now=result["task"].get("kind") == "http")  # a page from the web at once, as there
        summary["timings"]["store"] += time.perf_counter() - t0  # as pipeline.run_batch measures it
        summary["counts"][outcome] += 1
        for stage, seconds in result.get("timings", {}).items():
            summary["timings"][stage] += seconds
        if article_id and outcome in ("new", "changed"):
            summary["article_ids"].add(article_id)

    def waiting(self):
        return []

    def flush(self, summary, final=False):
        return 0

    def finish(self, summary, matcher):
        from ..pipeline.batch import finish_batch

        finish_batch(self.db, summary["article_ids"], matcher=matcher)


class _Partitioned:
    "Results stay on the workers; planned here in source order, written by one task per partition."

    def __init__(self, client, archive):
        self.client, self.archive = client, archive
        self.robots = None
        self.planner = Planner(archive)
        self.archive_id = archive.info("archive_id")
        self.keys = {}  # position -> (page key, result future) once done
        self.next_position = 0
        self.writes = {}  # write future -> (plans, {position: (key, result future)})
        self.last_write = {}  # partition -> its latest write future

    def known(self, task):
        found = self.planner.find(task["url"])
        if found:
            store.log_fetch(self.archive.wide, url=task["url"], source=task["source"], outcome="unchanged",
                            article_id=found[0],
                            message="Already in the archive; not read again (use --refetch to fetch it again).")
        return bool(found)

    # a page's result stays on its worker until a partition writer takes it: one page a task
    task_pages = 1
    held = ()  # (nothing held here: the results wait on the workers, self.keys holds only their keys)

    def writing(self):
        return contextlib.nullcontext()  # the partition writers commit their own

    def idle(self):
        pass

    def unsaved(self):
        return False

    def submit(self, tasks, options):
        (task,) = tasks
        result = self.client.submit(process_page, task, options, pure=False)
        key = self.client.submit(page_key, result, pure=False)
        key.result_future = result
        return key

    def done(self, positions, future, summary):
        if future in self.writes:
            return self._written(future, summary)
        (position,) = positions
        key = future.result()
        self.robots = key.get("robots")
        for stage, seconds in (key.get("timings") or {}).items():
            summary["timings"][stage] += seconds
        self.keys[position] = (key, future.result_future)
        return 0

    def waiting(self):
        return list(self.writes)

    def flush(self, summary, final=False):
        "Plan and send to the writers the pages done so far in source order (WRITE_BATCH at a time)."
        ready = []
        while self.next_position in self.keys:
            ready.append(self.next_position)
            self.next_position += 1
            if len(ready) >= WRITE_BATCH and not final:
                break
        if not ready:
            return 0
        if len(ready) < WRITE_BATCH and not final:
            # wait for more unless this is all there is
            self.next_position = ready[0]
            return 0
        failed = 0
        plans, results = [], {}
        for position in ready:
            key, result = self.keys.pop(position)
            if not key["ok"]:
                store.log_fetch(self.archive.wide, url=key["url"], source=key["source"], outcome="failed",
                                stage=key["stage"], error_class=key["error_class"], message=key["message"],
                                http_status=key.get("http_status"))
                summary["counts"]["failed"] += 1
                failed += 1
                continue
            plan = self.planner.plan(position, key)
            plans.append(plan)
            results[position] = (key, result)
        self.planner.reserve()
        for partition, group in partition_groups(plans).items():
            self.archive.register(partition)
            previous = self.last_write.get(partition)
            write = self.client.submit(write_partition, str(self.archive.folder), partition, self.archive_id, group,
                                       *[results[p["position"]][1] for p in group], after=previous, pure=False)
            self.last_write[partition] = write
            self.writes[write] = (group, {p["position"]: results[p["position"]] for p in group})
        return failed

    def _written(self, future, summary):
        group, keys = self.writes.pop(future)
        report = future.result()
        apply_report(self.archive, report)
        summary["timings"]["write"] += report.get("seconds", 0.0)
        for page in report["pages"]:
            key = keys[page["position"]][0]
            if page["outcome"] == "failed":
                store.log_fetch(self.archive.wide, url=key["url"], source=key["source"], outcome="failed",
                                stage=page["stage"], error_class=page["error_class"], message=page["message"])
            else:
                store.log_fetch(self.archive.wide, url=key["url"], source=key["source"], outcome=page["outcome"],
                                article_id=page["article_id"], http_status=key.get("status"), at=key["fetched_at"])
                if page["outcome"] in ("new", "changed"):
                    summary["article_ids"].add(page["article_id"])
            summary["counts"][page["outcome"]] += 1
        if self.last_write.get(report["key"]) is future:
            del self.last_write[report["key"]]
        return len(report["pages"])

    def finish(self, summary, matcher):
        refresh_initiatives(self.archive)
        from .trace import trace_archive

        if summary["article_ids"] or not self.archive.info("traced"):
            trace_archive(self.client, self.archive, matcher=matcher)


def run_cluster_batch(client, target, tasks, options, *, delay=1.0, refetch=False, progress=True, total=None,
                      spacing=None, robots=None):
    """Ingest `tasks` on the cluster into `target` (a sqlite-utils Database, or a partitioned Archive).
    Returns {"counts", "timings", "article_ids"} like pipeline.run_batch; `spacing` as there ({host: monotonic
    time of the last request made to it before the batch: feeds, sitemaps, robots.txt}) and `robots` ({host:
    what was read of its robots.txt}) as there."""
    sink = _Partitioned(client, target) if isinstance(target, Archive) else _SingleFile(client, target)
    summary = {"counts": Counter(), "timings": defaultdict(float), "article_ids": set()}
    bar = tqdm(total=total, unit="page", disable=not progress, dynamic_ncols=True, leave=True)
    workers = worker_count(client)

    def advance(n):
        if n:
            bar.update(n)
            bar.set_postfix(dict(summary["counts"]), refresh=False)

    def known(task):
        if refetch or not sink.known(task):
            return False
        summary["counts"]["unchanged"] += 1
        advance(1)
        return True

    queued = HostQueue((task for task in tasks if not known(task)), delay, spacing, robots=robots)
    with sink.writing():
        _run(sink, queued, options, workers, advance, summary)
    bar.close()
    t0 = time.perf_counter()
    sink.finish(summary, options.get("matcher", DEFAULT_MATCHER))
    summary["timings"]["trace"] += time.perf_counter() - t0
    return summary


# how long the single-file writer waits for a result with pages not yet committed (as pipeline/batch.py's pool)
COMMIT_AFTER = 0.05


def _run(sink, queued, options, workers, advance, summary):
    window = 2 * workers + 2
    inflight = {}  # future -> [(position, task)] of its pages
    position = 0
    from distributed import wait

    def submit(group):
        nonlocal position
        inflight[sink.submit(group, options)] = [(position + i, task) for i, task in enumerate(group)]
        position += len(group)

    while True:
        # room for `window` tasks of up to sink.task_pages local pages each; a web page goes alone
        room = window * sink.task_pages
        group = []
        for task in queued.ready(lambda: sum(map(len, inflight.values())) + len(group) + len(sink.held) < room):
            if task_host(task) or sink.task_pages == 1:
                submit([task])
                continue
            group.append(task)
            # the last pages in smaller tasks, so that no worker waits at the end for another's long task
            size = sink.task_pages if not queued.exhausted else \
                max(1, min(sink.task_pages, len(queued.local) // workers))
            if len(group) >= size:
                submit(group)
                group = []
        if group:
            submit(group)
        writes = sink.waiting()
        if not inflight and not queued.waiting and queued.exhausted:
            advance(sink.flush(summary, final=True))
            if not sink.waiting():
                break
            writes = sink.waiting()
        pool = list(inflight) + writes
        # each wait() is a round trip through the client's event loop: woken by an answer, or when a host's delay
        # lets a task go (waking every 50 ms while local files waited for room cost the client 3-5 % of a core)
        if not pool:
            sink.idle()  # a wait for a host's turn ahead
            time.sleep(queued.wake_in(0.05))
            continue
        try:
            done, _ = wait(pool, timeout=queued.wake_in(COMMIT_AFTER if sink.unsaved() else 1.0),
                           return_when="FIRST_COMPLETED")
        except TimeoutError:
            done = ()
            sink.idle()  # no worker done for a while
        for future in done:
            if future in inflight:
                pages = inflight.pop(future)
                advance(sink.done([pos for pos, _ in pages], future, summary))
                for _, task in pages:
                    queued.done(task, sink.robots)
            else:
                advance(sink.done(None, future, summary))
        advance(sink.flush(summary))
