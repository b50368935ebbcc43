"""Bare trafilatura over a list of files, the baseline of the ingest benchmark.

usage: python bench/_bare_child.py FILE_LIST OUT_JSON
Each file is read (and gunzipped when it ends in .gz) and passed as bytes to
trafilatura.extract(html_bytes, output_format="json", with_metadata=True), nothing else.
"""
import gzip
import json
import resource
import sys
import time

started = time.perf_counter()
import trafilatura  # noqa: E402

paths = [line.rstrip("\n") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
extracted = 0
for path in paths:
    with open(path, "rb") as fh:
        body = fh.read()
    if path.endswith(".gz"):
        body = gzip.decompress(body)
    if trafilatura.extract(body, output_format="json", with_metadata=True):
        extracted += 1
with open(sys.argv[2], "w") as fh:
    json.dump({"pages": len(paths), "extracted": extracted, "in_process_seconds": time.perf_counter() - started,
               "maxrss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, fh)
