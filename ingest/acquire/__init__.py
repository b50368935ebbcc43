"""Getting pages: what to read (sources.py), fetching over HTTP with limits (fetch.py), bytes to text
(decode.py)."""
from .decode import DecodeError, binary_reason, decode_body
from .fetch import FetchError, fetch, now_iso
from .sources import feed_links, is_url, path_tasks, read_local, sitemap_links, url_task

__all__ = ["DecodeError", "binary_reason", "decode_body", "FetchError", "fetch", "now_iso", "feed_links", "is_url",
           "path_tasks", "read_local", "sitemap_links", "url_task"]
