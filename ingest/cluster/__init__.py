"""newstrace on a Dask cluster (the `[scale]` extra): connecting (client.py), ingest with the workers doing
the pages' work and writing a partitioned archive's partitions in parallel (ingest.py), and claim tracing
across the cluster with the single-process tracer's steps (trace.py)."""
from .client import ClusterUnavailable, check_spec, connect, worker_count
from .ingest import run_cluster_batch
from .trace import trace_archive

__all__ = ["ClusterUnavailable", "check_spec", "connect", "worker_count", "run_cluster_batch", "trace_archive"]
