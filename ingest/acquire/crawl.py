"""Crawling politely: robots.txt respected, requests to one host spaced by --delay, and feeds and sitemaps
followed with a memory of what was read and a cap on how much (issue 15).

Robots rules are read with Protego (RFC 9309: the longest matching rule wins, Allow beats Disallow on a
tie). A robots.txt that answers 4xx allows everything; one that cannot be read (5xx, no connection, timeout)
disallows the whole site, as the RFC says, and its pages fail with that cause.
"""
import time
from collections import defaultdict, deque
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from .fetch import ROBOTS_AGENT, FetchError, fetch
from .sources import MAX_SITEMAP_DEPTH, feed_entries, sitemap_entries, url_task

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB of it
# a site's robots.txt Crawl-delay is honoured (when longer than --delay) up to this many seconds a request:
# more would let one line of a robots.txt stall a batch for hours (Crawl-delay: 3600)
MAX_CRAWL_DELAY = 30.0
MAX_SITEMAPS = 1000  # sitemap documents read per ingest run, every level together (--max-sitemaps)


def host_key(url):
    "The key requests are spaced by (the batch uses the same): scheme-less host and port."
    return urlsplit(url).netloc.lower()


@lru_cache(maxsize=256)
def _crawl_delay(text):
    from protego import Protego

    try:
        value = Protego.parse(text).crawl_delay(ROBOTS_AGENT)
    except ValueError:
        return None
    return min(float(value), MAX_CRAWL_DELAY) if value and float(value) > 0 else None


def host_delay(delay, known):
    """Seconds between two requests to a host: --delay, or the Crawl-delay its robots.txt asks of our agent
    when that is longer (at most MAX_CRAWL_DELAY). `known` is what Robots.export() gives for the host."""
    crawl = _crawl_delay(known[1]) if known and known[0] == "text" else None
    return max(delay or 0.0, crawl) if crawl else delay


BUFFERED_TASKS = 2000  # tasks read ahead of the workers, to find another host's while one waits for its delay


def task_host(task):
    "The host a task's request goes to (its politeness key), None for local files and WARC records."
    return host_key(task["url"]) if task["kind"] == "http" else None


class HostQueue:
    """The tasks of a batch on their way to workers (a process pool or a Dask cluster): requests to one host
    are never in flight together and are spaced by `delay` seconds after the previous one ended; local
    files and WARC records go as soon as there is room. `spacing` is {host: time.monotonic() of the last
    request to it} made before the batch (feeds, sitemaps, robots.txt), so a host's first page waits too.

    The caller sends what ready() yields, and reports each answer with done(); what a worker learnt of a
    site's robots.txt rides on the next task of that host (as task["robots"]), so it is not read again, and
    its Crawl-delay, when longer than `delay`, spaces that host's requests (host_delay). `robots` is
    {host: Robots.export()} of what this process read already (feeds, sitemaps)."""

    def __init__(self, tasks, delay, spacing=None, buffered=BUFFERED_TASKS, robots=None):
        self.tasks, self.delay, self.buffered = iter(tasks), delay, buffered
        self.local, self.by_host = deque(), defaultdict(deque)
        self.robots = dict(robots or {})  # host -> what this process or a worker learnt of its robots.txt
        self.busy = set()
        self.next_time = {host: last + host_delay(delay, self.robots.get(host))
                          for host, last in (spacing or {}).items()}
        self.exhausted = False

    def ready(self, room, hosts_need_room=True):
        """Yield the tasks that may be sent now: at most one per idle host whose delay has passed, then local
        ones while room() (called before each) says there is room. hosts_need_room=False sends a host's task
        even without room (a pool queues it; each host has one at most)."""
        while not self.exhausted and len(self.local) + sum(map(len, self.by_host.values())) < self.buffered:
            task = next(self.tasks, None)
            if task is None:
                self.exhausted = True
                break
            host = task_host(task)
            (self.by_host[host] if host else self.local).append(task)
        now = time.monotonic()
        for host, pending in self.by_host.items():
            if pending and host not in self.busy and self.next_time.get(host, 0) <= now and \
                    (not hosts_need_room or room()):
                self.busy.add(host)
                task = pending.popleft()
                yield dict(task, robots=self.robots[host]) if host in self.robots else task
        while self.local and room():
            yield self.local.popleft()

    def done(self, task, robots=None):
        "A task's answer came back: its host may have the next request after the delay."
        host = task_host(task)
        if host:
            if robots is not None:
                self.robots[host] = robots
            self.busy.discard(host)
            self.next_time[host] = time.monotonic() + host_delay(self.delay, self.robots.get(host))

    @property
    def waiting(self):
        "Tasks read and not sent yet."
        return bool(self.local) or any(self.by_host.values())

    def wake_in(self, longest=1.0):
        """Seconds until a task held back by its host's delay alone may go (at most `longest`): how long the
        caller may wait for answers before calling ready() again. The other tasks waiting go when an answer
        frees room or their host, and an answer ends the wait anyway."""
        now = time.monotonic()
        times = [self.next_time.get(host, 0) - now for host, pending in self.by_host.items()
                 if pending and host not in self.busy and self.next_time.get(host, 0) > now]
        return min([longest] + [max(0.01, t) for t in times])


class Pacer:
    "Requests made from this process to one host, spaced by `delay` seconds after the previous one ended."

    def __init__(self, delay):
        self.delay = delay
        self.last = {}  # host -> time.monotonic() when its last request ended
        self.robots = None  # the Robots read in this process (robots_for): a site's Crawl-delay counts too

    def wait(self, url):
        last = self.last.get(host_key(url))
        delay = host_delay(self.delay, self.robots.export(url)) if self.robots else self.delay
        if last is not None and delay:
            time.sleep(max(0.0, last + delay - time.monotonic()))

    def done(self, url):
        self.last[host_key(url)] = time.monotonic()


class Robots:
    """robots.txt of each site, fetched once and kept; check(url) raises a FetchError when the URL may not
    be fetched. ignore=True (--ignore-robots) allows everything and fetches nothing."""

    def __init__(self, *, timeout=30.0, allow_private=False, ignore=False, pacer=None):
        self.timeout, self.allow_private, self.ignore, self.pacer = timeout, allow_private, ignore, pacer
        self._rules = {}  # origin -> Protego parser, None (allow all) or the FetchError that stops the site
        self._known = {}  # origin -> what export() hands to another process: ("text", str) | ("allow",) | error
        self.fetched = 0  # robots.txt files requested by this object

    @staticmethod
    def origin(url):
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    def export(self, url):
        "What this process learnt of url's site (picklable), for learn() in another process; None if nothing."
        return self._known.get(self.origin(url))

    def by_host(self):
        "{host: export()} of every site read so far (for the batch: HostQueue's robots)."
        return {host_key(origin): known for origin, known in self._known.items()}

    def learn(self, url, known):
        "Take what another process read of url's site's robots.txt, so it is not fetched again here."
        origin = self.origin(url)
        if known is None or origin in self._rules:
            return
        if known[0] == "text":
            from protego import Protego

            self._rules[origin] = Protego.parse(known[1])
        elif known[0] == "allow":
            self._rules[origin] = None
        else:
            self._rules[origin] = FetchError(known[1], error_class=known[2], http_status=known[3])
        self._known[origin] = known

    def check(self, url):
        if self.ignore:
            return
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.path == "/robots.txt":
            return
        origin = self.origin(url)
        if origin not in self._rules:
            self._rules[origin] = self._read(origin)
        rules = self._rules[origin]
        if isinstance(rules, FetchError):
            raise FetchError(rules.message, error_class=rules.error_class, http_status=rules.http_status)
        if rules is not None and not rules.can_fetch(url, ROBOTS_AGENT):
            raise FetchError(f"The robots.txt of {parts.hostname} does not allow {ROBOTS_AGENT} to fetch this page; "
                             "pass --ignore-robots to archive it anyway.", error_class="RobotsDisallowed")

    def _read(self, origin):
        from protego import Protego

        url = origin + "/robots.txt"
        host = urlsplit(origin).hostname
        if self.pacer:
            self.pacer.wait(url)
        self.fetched += 1
        try:
            response = fetch(url, timeout=self.timeout, max_bytes=ROBOTS_MAX_BYTES, allow_private=self.allow_private)
        except FetchError as err:
            if err.error_class == "SSRFBlocked":
                stop = err  # the page itself would be refused in the same words
            elif err.error_class == "HTTPError" and 400 <= (err.http_status or 0) < 500 and err.http_status != 429:
                self._known[origin] = ("allow",)
                return None  # no robots.txt: everything is allowed
            else:
                stop = FetchError(f"Could not read the robots.txt of {host}, so none of its pages are fetched "
                                  f"(RFC 9309; --ignore-robots skips it): {err.message}", error_class=err.error_class,
                                  http_status=err.http_status)
            self._known[origin] = ("error", stop.message, stop.error_class, stop.http_status)
            return stop
        finally:
            if self.pacer:
                self.pacer.done(url)
        text = response.body.decode("utf-8", errors="replace")
        self._known[origin] = ("text", text)
        return Protego.parse(text)


def politely(url, *, options, robots, pacer, max_bytes=None):
    "fetch(url) after robots.txt allowed it (and each redirect) and the host's delay has passed."
    robots.check(url)
    pacer.wait(url)
    try:
        return fetch(url, timeout=options["timeout"], max_bytes=max_bytes or options["max_bytes"],
                     allow_private=options.get("allow_private", False), allowed=robots.check)
    finally:
        pacer.done(url)


_ROBOTS = {}


def robots_for(options, pacer=None):
    """The process's Robots for these options: shared by the feed and sitemap reader, the pages fetched in
    this process and (inherited when they fork) the worker processes, so each robots.txt is read once."""
    key = (options.get("timeout", 30.0), bool(options.get("allow_private")), bool(options.get("ignore_robots")))
    robots = _ROBOTS.get(key)
    if robots is None:
        robots = _ROBOTS[key] = Robots(timeout=key[0], allow_private=key[1], ignore=key[2])
    if pacer is not None:
        robots.pacer = pacer
        pacer.robots = robots
    return robots


class Lists:
    """Feeds and sitemaps of one ingest run, read into page tasks. Every sitemap read is remembered across
    levels and roots (a sitemap index listing itself or its own variants is read once each), at most
    `max_sitemaps` are read in all, and each request waits for its host's delay and robots.txt."""

    def __init__(self, options, robots, pacer, fail, max_sitemaps=MAX_SITEMAPS):
        self.options, self.robots, self.pacer, self.fail = options, robots, pacer, fail
        self.max_sitemaps = max_sitemaps
        self.seen = set()
        self.read = 0

    def feed(self, url):
        try:
            response = politely(url, options=self.options, robots=self.robots, pacer=self.pacer)
            entries, refused = feed_entries(response.body, response.final_url, response.content_type)
        except FetchError as err:
            self.fail(url, "feed", err)
            return []
        self._refuse(refused, url, "feed")
        return [dict(url_task(link, "feed"), date=date) for link, date in entries]

    def sitemap(self, url):
        tasks, queue, skipped = [], [(url, 0)], 0
        while queue:
            current, depth = queue.pop(0)
            if current in self.seen:
                continue
            if self.read >= self.max_sitemaps:
                skipped += 1
                continue
            self.seen.add(current)
            self.read += 1
            try:
                response = politely(current, options=self.options, robots=self.robots, pacer=self.pacer)
                pages, nested, refused = sitemap_entries(response.body, response.final_url, self.options["max_bytes"])
            except FetchError as err:
                self.fail(current, "sitemap", err)
                continue
            self._refuse(refused, current, "sitemap")
            tasks.extend(dict(url_task(link, "sitemap"), date=date) for link, date in pages)
            if depth < MAX_SITEMAP_DEPTH:
                queue.extend((child, depth + 1) for child in nested)
            elif nested:
                self.fail(current, "sitemap", FetchError(
                    f"A sitemap index {MAX_SITEMAP_DEPTH + 1} levels deep: the {len(nested)} sitemaps it lists "
                    "are not read.", error_class="SitemapLimit", stage="fetch"))
        if skipped:
            self.fail(url, "sitemap", FetchError(
                f"Stopped after reading {self.max_sitemaps} sitemaps (--max-sitemaps): {skipped} more listed "
                "were not read.", error_class="SitemapLimit", stage="fetch"))
        return tasks

    def _refuse(self, refused, listed_in, kind):
        for link in refused:
            self.fail(link, kind, FetchError(f"Refused a {link.split(':', 1)[0]}: link listed in {listed_in}; only "
                                             "http(s) pages are fetched.", error_class="UnsupportedScheme"))
