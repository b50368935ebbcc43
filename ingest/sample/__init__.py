"""The demo's sample corpus (site/, fail/, versions/, described page by page in MANIFEST.json) and the local
HTTP server that serves it (server.py) to `newstrace demo` and the tests."""
from .server import sample_pages, sample_urls, serve_sample, text_to_html

__all__ = ["sample_pages", "sample_urls", "serve_sample", "text_to_html"]
