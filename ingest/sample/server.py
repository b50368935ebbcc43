"""A local HTTP server for the bundled sample corpus and the pages that fail on purpose.

Used by `newstrace demo` and by the tests: pages are served from 127.0.0.1 on a random port, so everything
that needs absolute URLs (feed, sitemap, urls.txt) is templated with `{base}` at serve time, while each page's
outlet identity lives in its own canonical `.example` URL. What is served is described by
`sample/MANIFEST.json` (one entry per path); generated responses (slow, huge, redirect loops...) are named
there by a `handler` and implemented here.

The changing page: a path with `versions` in the manifest serves version 1 until `server.bump(path)`,
then version 2 (bumping again stays on the last version).
"""
import copy
import functools
import gzip
import html
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

MAX_SLOW_SECONDS = 120
CHUNK = 1 << 20


def _sample_dir():
    return resources.files("newstrace.ingest") / "sample"


def _read(rel):
    node = _sample_dir()
    for part in rel.split("/"):
        node = node / part
    return node.read_bytes()


@functools.lru_cache(maxsize=1)
def _manifest():
    return json.loads(_read("MANIFEST.json").decode("utf-8"))


@functools.lru_cache(maxsize=1)
def _routes():
    return {entry["path"]: entry for entry in _manifest()["pages"]}


def sample_pages():
    "The MANIFEST entries: articles, tricky pages, failures and lists (a copy: callers may change it)."
    return copy.deepcopy(_manifest()["pages"])


def sample_urls(base_url, kinds=("article",)):
    "Every good article page URL on a server at base_url (add kinds=('article', 'tricky') for the hard ones)."
    base = base_url.rstrip("/")
    return [base + entry["path"] for entry in _manifest()["pages"] if entry["kind"] in kinds]


def text_to_html(text, title=None):
    "Plain text as a minimal UTF-8 HTML page: each non-empty line becomes a <p> (for serving the seed)."
    paragraphs = "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">{head}</head>\n'
            f"<body><article>\n{paragraphs}\n</article></body></html>\n")


@functools.lru_cache(maxsize=4)
def _runaway_html(blocks, depth):
    # Many deeply nested blocks: lxml parses it quickly, trafilatura's tree walks take seconds.
    opening, closing = "<div>" * depth, "</div>" * depth
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Nested blocks</title></head>'
             "<body><article><h1>Nested blocks</h1>"]
    for i in range(blocks):
        parts.append(f"{opening}<p>Block {i}: a paragraph about mineral prices, supply chains and trade "
                     f"policy, buried {depth} levels deep.</p>{closing}")
    parts.append("<!-- sample page for newstrace --></article></body></html>")
    return "".join(parts).encode("utf-8")


_BIG_SENTENCES = (
    "Officials said exports of gallium rose from {a}% to {b}% on {month} {d}, while {n} tonnes of ore left the port.",
    "\u201cWe expect ${n} million in new orders by March {d},\u201d trade minister Lena Varga said on Tuesday.",
    "Those figures of {a}% and {n} tonnes could not be independently verified, according to the Harbor Ledger.",
    "据海关统计，{month}稀土出口增长{a}%，达到{n}万吨，官员表示该数据尚未得到证实。",
    "More than {d} countries of the Minerals Security Partnership pledged to buy {n} tonnes of lithium at ${b} "
    "per kilogram, and Japan and India joined the partnership.",
)


@functools.lru_cache(maxsize=8)
def _big_article_html(kb, shape):
    """An article of about kb kilobytes made of the sentences above with changing figures: shape 0 puts each
    sentence in its own paragraph, 1 all in one paragraph, 2 all in one run-on sentence."""
    months = ("January", "February", "March", "April", "May", "June")
    parts, size, i = [], 0, 0
    while size < kb * 1024:
        sentence = _BIG_SENTENCES[i % len(_BIG_SENTENCES)].format(
            a=10 + i % 80, b=5 + (i * 7) % 90, n=100 + (i * 37) % 9000, d=1 + i % 28, month=months[i % 6])
        if shape == 2:
            sentence = sentence.rstrip(".。").replace(". ", " ").replace("。", "，")
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 8
        i += 1
    separator = {0: "</p>\n<p>", 1: " ", 2: "; "}[shape]
    body = "<p>" + separator.join(html.escape(p, quote=False) for p in parts) + (".</p>" if shape == 2 else "</p>")
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A very long report on mineral '
            'figures</title></head><body><article><h1>A very long report on mineral figures</h1>'
            f"{body}</article></body></html>").encode("utf-8")


def _guess_type(path):
    if path.endswith(".xml"):
        return "application/xml; charset=utf-8"
    if path.endswith(".txt"):
        return "text/plain; charset=utf-8"
    if path.endswith(".json"):
        return "application/json"
    return "text/html; charset=utf-8"


class SampleServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, extra_pages=None):
        super().__init__(address, _Handler)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self.requests = []
        self.request_times = []  # time.monotonic() of each request, for tests of --delay
        self.cut_short = []  # the paths whose client hung up before the response was complete
        self.extra_pages = dict(extra_pages or {})
        self._bumps = {}
        self._lock = threading.Lock()

    def url(self, path):
        return self.base_url + ("" if path.startswith("/") else "/") + path

    def bump(self, path):
        "Move a changing page to its next version; returns the version number (1-based) now served."
        path = urlsplit(path).path if "://" in path else path
        entry = _routes().get(path)
        if not entry or "versions" not in entry:
            raise ValueError(f"{path} has no versions to bump to")
        with self._lock:
            self._bumps[path] = min(self._bumps.get(path, 0) + 1, len(entry["versions"]) - 1)
            return self._bumps[path] + 1

    def version_file(self, entry):
        with self._lock:
            return entry["versions"][self._bumps.get(entry["path"], 0)]["file"]

    def handle_error(self, request, client_address):
        # clients hanging up on slow or huge responses is the point of those pages: stay quiet
        pass


class _Handler(BaseHTTPRequestHandler):
    server_version = "newstrace-sample/1"
    sys_version = ""

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _respond(self, head):
        server = self.server
        server.requests.append(self.path)
        server.request_times.append(time.monotonic())
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            if path in server.extra_pages:
                self._extra(server.extra_pages[path], path, head)
            elif path in _routes():
                self._entry(_routes()[path], query, head)
            elif path == "/":
                self._send(200, "text/html; charset=utf-8", self._index(), head)
            else:
                self._send(404, "text/html; charset=utf-8", b"<html><body><h1>404 Not Found</h1></body></html>", head)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            server.cut_short.append(self.path)

    def _send(self, status, content_type, body, head, extra_headers=()):
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _extra(self, value, path, head):
        content_type, status = _guess_type(path), 200
        if isinstance(value, tuple):
            value, content_type, status = (*value, 200)[:3]
        body = value.encode("utf-8") if isinstance(value, str) else value
        self._send(status, content_type, body, head)

    def _index(self):
        links = "\n".join(f'<li><a href="{html.escape(url)}">{html.escape(url)}</a></li>'
                          for url in sample_urls(self.server.base_url))
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>newstrace sample corpus</title></head>'
                f"<body><h1>newstrace sample corpus</h1><ul>\n{links}\n</ul></body></html>").encode("utf-8")

    def _entry(self, entry, query, head):
        handler = entry.get("handler")
        if handler is None:
            rel = self.server.version_file(entry) if "versions" in entry else entry["file"]
            body = _read(rel)
            if entry.get("template"):
                body = body.replace(b"{base}", self.server.base_url.encode("ascii"))
            return self._send(200, entry["content_type"], body, head)
        params = dict(entry.get("params", {}))
        for key in params:
            if key in query:
                try:
                    params[key] = type(params[key])(float(query[key]))
                except ValueError:
                    pass
        getattr(self, "_h_" + handler)(entry, params, head)

    def _h_status(self, entry, params, head):
        status = entry["status"]
        body = f"<html><body><h1>{status} {self.responses.get(status, ('',))[0]}</h1></body></html>"
        self._send(status, "text/html; charset=utf-8", body.encode("utf-8"), head)

    def _h_redirect(self, entry, params, head):
        self._send(entry["status"], "text/html; charset=utf-8", b"", head,
                   [("Location", self.server.base_url + entry["location"])])

    def _h_empty(self, entry, params, head):
        self._send(200, entry["content_type"], b"", head)

    def _h_hangup(self, entry, params, head):
        self.close_connection = True  # the request was read; no status line, no headers, no body

    def _h_big_article(self, entry, params, head):
        self._send(200, entry["content_type"], _big_article_html(int(params["kb"]), int(params["shape"])), head)

    def _h_gzip(self, entry, params, head):
        source = _routes()[entry["of"]]
        body = _read(source["file"])
        if source.get("template"):
            body = body.replace(b"{base}", self.server.base_url.encode("ascii"))
        self._send(200, entry["content_type"], gzip.compress(body, mtime=0), head)

    def _h_fanout(self, entry, params, head):
        n, v = int(params["n"]), int(params["v"])
        path = self.server.base_url + entry["path"]
        children = [f"{path}?n={n}&amp;v={v * n + i + 1}" for i in range(n)]
        children.append(self.server.base_url + "/sitemap.txt")
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9">\n' + "".join(f"  <sitemap><loc>{c}</loc></sitemap>\n" for c in children)
                + "</sitemapindex>\n")
        self._send(200, "application/xml; charset=utf-8", body.encode("utf-8"), head)

    def _h_deep(self, entry, params, head):
        depth = int(params["depth"])
        body = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lithium barges and the nesting '
                'of a page builder</title></head><body><article><h1>Lithium barges and the nesting of a page builder'
                "</h1>" + "<div>" * depth + "<p>Barges of lithium concentrate waited a second week for berths, the "
                "harbor master said, in a paragraph a page builder buried three hundred levels deep.</p>"
                + "</div>" * depth + "<p>The final paragraph after the nest says the queue should clear once the "
                "new crane works.</p><!-- sample page for newstrace --></article></body></html>")
        self._send(200, entry["content_type"], body.encode("utf-8"), head)

    def _h_runaway(self, entry, params, head):
        self._send(200, entry["content_type"], _runaway_html(params["blocks"], params["depth"]), head)

    def _h_slow(self, entry, params, head):
        seconds = max(0.0, min(float(params["seconds"]), MAX_SLOW_SECONDS))
        body = b"<html><head><title>Slow</title></head><body><p>Too late.</p></body></html>"
        if not params["trickle"]:
            time.sleep(seconds)
            return self._send(200, "text/html; charset=utf-8", body, head)
        end = time.monotonic() + seconds
        if params["headers"]:
            # the status line and headers one byte at a time: a read timeout restarts with every byte
            self.close_connection = True
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Padding: " + b"x" * 4096:
                if time.monotonic() >= end:
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
            self.wfile.write(b"\r\n\r\n" + body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if head:
            return
        while time.monotonic() < end:
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.5)
        self.wfile.write(body)

    def _h_huge(self, entry, params, head):
        total = int(params["mb"]) * CHUNK
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if params["declared"]:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        if head:
            return
        # one chunk reused: the body is never held in memory, whatever its size
        start = b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Huge</title></head><body>'
        filler = b"<p>" + b"x" * 1017 + b"</p>\n"
        chunk = filler * (CHUNK // len(filler))
        chunk += b" " * (CHUNK - len(chunk))
        self.wfile.write(start)
        sent = len(start)
        while sent + CHUNK <= total:
            self.wfile.write(chunk)
            sent += CHUNK
        self.wfile.write(b" " * (total - sent))


@contextmanager
def serve_sample(port: int = 0, extra_pages=None, host="127.0.0.1"):
    """Yield a SampleServer (ThreadingHTTPServer in a daemon thread) with .base_url ("http://127.0.0.1:PORT"),
    .url(path), .bump(path) and .requests (the paths requested, for tests). extra_pages maps a path to a
    body (str is sent as UTF-8), a (body, content_type) pair or a (body, content_type, status) triple; it adds
    or overrides paths."""
    server = SampleServer((host, port), extra_pages)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="newstrace-sample-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
