"""Getting pages: what to read (sources.py), fetching over HTTP with limits (fetch.py), politely — robots.txt,
per-host delay, feeds and sitemaps followed with a cap (crawl.py) —, bytes to text (decode.py)."""
from .decode import DecodeError, binary_reason, decode_body
from .fetch import FetchError, fetch, now_iso
from .sources import (feed_entries, feed_links, is_url, listed_date, path_tasks, read_local, sitemap_entries,
                      sitemap_links, url_task)
from .crawl import Lists, Pacer, Robots, robots_for

__all__ = ["DecodeError", "binary_reason", "decode_body", "FetchError", "fetch", "now_iso", "feed_entries",
           "feed_links", "is_url", "listed_date", "path_tasks", "read_local", "sitemap_entries", "sitemap_links",
           "url_task", "Lists", "Pacer", "Robots", "robots_for"]
