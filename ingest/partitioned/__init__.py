"""The partitioned archive: one SQLite file per month of publication plus one archive-wide database
(layout.py), pages written into a partition by whoever holds it (writer.py) as planned by one process
(planner.py), and conversion from and to a single file (convert.py). Needs no Dask: the plugin reads it."""
from .layout import (UNDATED, Archive, is_partitioned, open_partition, open_wide, partition_key, partition_role,
                     wide_path)
from .planner import Planner, apply_report, page_key, refresh_initiatives
from .writer import partition_report, write_partition

__all__ = ["UNDATED", "Archive", "is_partitioned", "open_partition", "open_wide", "partition_key", "partition_role",
           "wide_path", "Planner", "apply_report", "page_key", "refresh_initiatives", "partition_report",
           "write_partition"]
