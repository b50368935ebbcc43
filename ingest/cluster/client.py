"""Connecting to Dask: a scheduler's address (tcp://host:8786) or `local:N`, a LocalCluster of N worker
processes on this machine (one thread each: the work is CPU-bound Python)."""
import contextlib
import logging
import re

LOCAL = re.compile(r"^local(?::(\d+))?$")


class ClusterUnavailable(RuntimeError):
    pass


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterUnavailable("--cluster needs Dask: pip install 'newstrace[scale]'") from None
    return distributed


def check_spec(spec):
    "A readable error for a malformed --cluster value (before anything starts)."
    if LOCAL.match(spec or ""):
        if LOCAL.match(spec).group(1) == "0":
            raise ValueError("local:N needs at least one worker")
        return
    if not re.match(r"^(tcp|tls|ucx|inproc|ws|wss)://\S+$", spec or "") and not re.match(r"^[\w.-]+:\d+$", spec or ""):
        raise ValueError(f"--cluster takes a scheduler address (tcp://host:8786) or local:N, not {spec!r}")


@contextlib.contextmanager
def connect(spec, workers=None):
    """A distributed.Client for `spec`; a LocalCluster it started is closed on exit."""
    check_spec(spec)
    distributed = _distributed()
    local = LOCAL.match(spec)
    if local:
        n = int(local.group(1) or workers or 2)
        with _local_cluster(distributed, n) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    with distributed.Client(spec if "://" in spec else f"tcp://{spec}") as client:
        yield client


# a worker process imports the whole pipeline (trafilatura, lxml, the analyses' data) before it reports to the
# scheduler: on a loaded machine that took longer than Dask's 30 s and the LocalCluster failed to start
# ("Nanny failed to start", seen once in bench_cluster.py at load 7 on 2 cores)
START_TIMEOUT = "120s"
START_TRIES = 2

# A LocalCluster's housekeeping, set for batch work: Dask's defaults serve its dashboard and interactive use
# (newstrace starts no dashboard, and no one reads a worker's profile). Measured idle on this 2-core machine,
# processor seconds per 30 s, defaults -> these: scheduler and nannies (this process) 1.47 -> 0.22, each worker
# 1.76 -> 0.12 — about 6 % of a core per process taken from the pages' work all along the batch. The event
# loops' tick (every 20 ms on the scheduler, each nanny and each worker, to log a blocked loop) and the
# worker's statistical profiler (a stack sample every 10 ms) cost the most; the system and memory monitors
# (psutil every 0.5 s and 0.1 s) the rest. A remote cluster keeps its own settings (README: deploying).
LOCAL_CONFIG = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def _local_cluster(distributed, n):
    import dask

    for attempt in range(1, START_TRIES + 1):
        try:
            with dask.config.set({"distributed.comm.timeouts.connect": START_TIMEOUT, **LOCAL_CONFIG}):
                return distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                                dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        except (RuntimeError, OSError, TimeoutError) as err:
            if attempt == START_TRIES:
                raise ClusterUnavailable(f"the local Dask cluster of {n} workers did not start "
                                         f"({START_TRIES} tries): {err}") from err
            logging.getLogger("newstrace").warning("the local Dask cluster did not start (%s); starting it again", err)


def worker_count(client):
    return max(1, len(client.scheduler_info().get("workers", {})))
