"""One page from source to storable parts. Runs in worker processes: no database access here."""
import time

from ..acquire import DecodeError, FetchError, decode_body, fetch, listed_date, now_iso, read_local, robots_for
from ..acquire.crawl import host_delay
from ..extract import ExtractError, ExtractTimeout, bounded, extract_page
from ..store import compress, sha256
from .analyze import analyze_text


class AnalysisTimeout(ExtractTimeout):
    "The analyses of one page's text took longer than allowed (an ExtractTimeout, so reextract skips it too)."


class AnalysisFailed(Exception):
    "An analysis raised on one page's text: logged at stage `analyze`, under the Python exception's name."

    def __init__(self, err):
        super().__init__(f"Unexpected error in the analyses: {err}")
        self.error_class = type(err).__name__


def process_task(task, options):
    """Fetch or read, decode, extract and analyze one task.

    Returns {"ok": True, "task", "fetched", "page", "derived", "timings"} or
    {"ok": False, "task", "stage", "error_class", "message", "http_status"}; with "robots" (what was
    learnt of the site's robots.txt, for the batch to hand to the next task of that host) for web pages."""
    learnt = {}
    result = _process_task(task, options, learnt)
    if learnt.get("robots") is not None:
        result["robots"] = learnt["robots"]
    return result


def _process_task(task, options, learnt):
    timings = {}
    try:
        not_before = task.get("not_before")
        if not_before:
            time.sleep(max(0.0, not_before - time.time()))
        t0 = time.perf_counter()
        if task["kind"] == "http":
            robots = robots_for(options)
            robots.learn(task["url"], task.get("robots"))  # what the batch already knows of this site
            asked = robots.fetched
            try:
                robots.check(task["url"])
            finally:
                learnt["robots"] = robots.export(task["url"])
            wait = host_delay(options.get("delay"), learnt["robots"])
            if robots.fetched > asked and wait:
                time.sleep(wait)  # robots.txt was a request to this host too (and may ask for a Crawl-delay)
            response = fetch(
                task["url"],
                timeout=options["timeout"],
                max_bytes=options["max_bytes"],
                allow_private=options.get("allow_private", False),
                allowed=robots.check,
            )
            fetched = {
                "url": task["url"],
                "final_url": response.final_url,
                "status": response.status,
                "headers": response.headers,
                "body": response.body,
                "fetched_at": response.fetched_at,
                "content_type": response.content_type,
            }
        else:
            body, headers, status = read_local(task, options["max_bytes"])
            fetched = {
                "url": task["url"],
                "final_url": task["url"],
                "status": status,
                "headers": headers,
                "body": body,
                "fetched_at": now_iso(),
                "content_type": headers.get("content-type"),
            }
        timings["fetch"] = time.perf_counter() - t0
        fetched["listed_date"] = task.get("date")
        return {"ok": True, "task": task, **process_body(fetched, options, timings)}
    except Exception as err:  # a bug or a page we did not foresee too: logged, and the batch goes on
        return failure(task, *cause(err))


def cause(err):
    "(stage, error_class, message, http_status) of a page's failure, in the README's vocabulary."
    if isinstance(err, FetchError):
        return err.stage, err.error_class, err.message, err.http_status
    if isinstance(err, DecodeError):
        return "decode", "DecodeError", str(err), None
    if isinstance(err, AnalysisTimeout):
        return "analyze", "AnalysisTimeout", str(err), None
    if isinstance(err, ExtractTimeout):
        return "extract", "ExtractTimeout", str(err), None
    if isinstance(err, AnalysisFailed):
        return "analyze", err.error_class, str(err), None
    if isinstance(err, ExtractError):
        return "extract", "EmptyExtraction", str(err), None
    return "extract", type(err).__name__, f"Unexpected error: {err}", None


def process_body(fetched, options, timings=None):
    "decode -> extract -> analyze for a response already in hand (ingest and reextract share this)."
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    html, encoding = decode_body(fetched["body"], fetched.get("content_type"))
    fetched["encoding"] = encoding
    t1 = time.perf_counter()
    timeout = options.get("extract_timeout", 30)
    page = extract_page(html, fetched.get("final_url") or fetched["url"], timeout=timeout)
    if not page.get("published") and fetched.get("listed_date"):
        # the page gives no date: the feed's pubDate or the sitemap's lastmod is the best there is
        published = listed_date(fetched["listed_date"])
        page.update(published=published, published_month=published[:7] if published else None)
    t2 = time.perf_counter()
    # the analysers are linear in the text, and bounded all the same: a page never holds a worker longer
    # than --timeout in analysis (issue 15)
    limit = options.get("analyze_timeout", timeout)
    try:
        derived = bounded(lambda: analyze_text(page["text"], page.get("language"), page.get("published"),
                                               page.get("title")), limit,
                          AnalysisTimeout(f"Analysing the text (claims, countries, participation) took more than "
                                          f"{limit:g} seconds of processor time and was stopped."))
    except AnalysisTimeout:
        raise
    except Exception as err:  # a bug in an analysis: say so, rather than blame the extraction
        raise AnalysisFailed(err) from err
    t3 = time.perf_counter()
    # hashing and compressing the raw response here keeps that work in the worker processes
    fetched["sha256"] = sha256(fetched["body"])
    fetched["body_z"] = compress(fetched["body"])
    timings.update(decode=t1 - t0, extract=t2 - t1, analyze=t3 - t2, compress=time.perf_counter() - t3)
    return {"fetched": fetched, "page": page, "derived": derived, "timings": timings}


def failure(task, stage, error_class, message, http_status=None):
    return {
        "ok": False,
        "task": task,
        "stage": stage,
        "error_class": error_class,
        "message": message,
        "http_status": http_status,
    }
