"""HTML page -> article dict: trafilatura's main text and metadata, cleaned, dated, with languages."""
import re
import signal
import threading
import time
import unicodedata
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from courlan import normalize_url, validate_url
from htmldate import find_date
from trafilatura import bare_extraction
from trafilatura.settings import set_date_params
from trafilatura.utils import HTML_PARSER, load_html

try:
    # trafilatura's metadata steps, run here without the categories/tags/licence/URL steps we do not store
    # and with a quick date pass first (half its metadata time); with_metadata=True is the fallback should
    # these names move
    from trafilatura.metadata import (examine_meta, extract_author, extract_meta_json, extract_sitename,
                                      extract_title)
except ImportError:  # pragma: no cover
    examine_meta = None

from .clean import clean_text
from .language import detect_languages


class ExtractError(ValueError):
    "The page holds no article text; str(err) says why in a sentence."


class ExtractTimeout(ExtractError):
    "Extraction took longer than allowed."


class _Alarm(BaseException):
    # BaseException on purpose: trafilatura catches ValueError/Exception internally and would turn a
    # timeout raised inside it into an ordinary "no text" result.
    pass


# Chosen by measuring on trafilatura's 990 evaluation pages (scripts/eval_pages.py), not by taste.
TRAFILATURA_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": False,
    "favor_recall": False,
    "deduplicate": False,
}

EXCERPT_CHARS = 300

# Standard (Open Graph, schema.org, Dublin Core, common CMS) names of a publication-time <meta>, most
# specific first; read for the time of day, which htmldate drops.
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "published_time", "publishdate", "publish-date", "publish_date", "pubdate", "article.published",
    "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued",
    "dcterms.created", "date", "citation_publication_date",
)
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af\U00020000-\U0003134f]")
# possessive: nothing follows the word in the pattern, so backtracking into it could never change a match
_WORD = re.compile(r"[^\W_]++(?:['’.-][^\W_]++)*+")
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")
_MISSING = frozenset(("", "none", "null", "undefined", "nan"))


def _value(text):
    "A metadata string, or None for the empties trafilatura and CMSes write (including the string 'None')."
    if text is None:
        return None
    text = unicodedata.normalize("NFC", " ".join(str(text).split()))
    return None if text.lower() in _MISSING else text


def _elements(tree, *tags):
    """{tag: [elements]} in document order, below the root, in one walk of the tree (a walk per tag costs about
    as much as a walk for all of them)."""
    found = {tag: [] for tag in tags}
    for el in tree.iter(*tags):
        if el is not tree:
            found[el.tag].append(el)
    return found


def _meta_content(metas):
    "{name: content} of <meta> tags (the elements), names lowercased; first occurrence wins."
    found = {}
    for meta in metas:
        name = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if name and content:
            found.setdefault(name.strip().lower(), content.strip())
    return found


def _with_time(candidates):
    "The first candidate that is an ISO datetime with time of day, as isoformat(), or None."
    for value in candidates:
        value = value.strip()
        if not _HAS_TIME.match(value):
            continue
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            continue
        return parsed.isoformat()
    return None


def _published_datetime(tree, metas):
    "An ISO datetime with time of day from meta tags or JSON-LD, or None."
    moment = _with_time([metas[name] for name in _PUBLISHED_META if name in metas])
    if moment:
        return moment  # meta tags come first: the page's scripts and time elements are not walked
    candidates = []
    found = _elements(tree, "script", "time")
    for script in found["script"]:
        if script.get("type") == "application/ld+json":
            match = _JSONLD_PUBLISHED.search(script.text or "")
            if match:
                candidates.append(match.group(1))
    for time_el in found["time"]:
        if time_el.get("datetime") is not None and \
                (time_el.get("pubdate") is not None or time_el.get("itemprop") == "datePublished"):
            candidates.append(time_el.get("datetime"))
    return _with_time(candidates)


def _normalised(url):
    ok, parsed = validate_url(url)
    if not ok or not parsed:
        return None
    # a fragment names a place in the page, not another article
    return normalize_url(parsed).split("#", 1)[0]


def _canonical_url(links, metas, url):
    """Canonical link (of the <link> elements), else og:url, resolved and normalised; a bare site root is ignored
    for a deep url."""
    candidates = [link.get("href") for link in links
                  if link.get("href") is not None and "canonical" in (link.get("rel") or "").lower().split()]
    candidates.append(metas.get("og:url"))
    page_has_path = bool(url and urlsplit(url).path.strip("/"))
    for href in candidates:
        href = (href or "").strip()
        if not href:
            continue
        absolute = urljoin(url, href) if url else href
        normal = _normalised(absolute)
        if not normal:
            continue
        # templates that put the home page in every canonical would merge all articles into one
        if page_has_path and not urlsplit(normal).path.strip("/") and not urlsplit(normal).query:
            continue
        return normal
    return (_normalised(url) or url) if url else None


def _excerpt(text, description):
    if description and len(description) >= 40:
        return description
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > EXCERPT_CHARS // 2 else cut).rstrip() + "…"


_NAV_CHECK_WORDS = 150


def _only_navigation(text, tree, title, words=None):
    """True when every line is a link's text or the title: trafilatura's fallbacks return a menu when a page
    has no article. Only short texts are checked, as an article is never mostly menu. words: word_count(text)."""
    if (word_count(text) if words is None else words) > _NAV_CHECK_WORDS:
        return False
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    title = " ".join((title or "").split())
    return all(" ".join(line.split()) in links or " ".join(line.split()) == title
               for line in text.splitlines() if line.strip())


def word_count(text):
    "Words, with each CJK character counted as one (those scripts do not separate words)."
    cjk = len(_CJK_CHAR.findall(text))
    return cjk + len(_WORD.findall(_CJK_CHAR.sub(" ", text) if cjk else text))


def _on_alarm(signum, frame):
    raise _Alarm()


# (timer, its signal): wall-clock time, or the CPU time this process spends (which other processes on a
# busy machine do not eat into)
_CLOCKS = {"real": ("ITIMER_REAL", "SIGALRM"), "cpu": ("ITIMER_PROF", "SIGPROF")}


def _run_bounded(func, timeout, clock="real"):
    """func() with a time limit; raises _Alarm past it. A signal timer in the main thread; in another thread (a
    Dask worker's task) a watchdog thread raises it (deadline.py)."""
    if not timeout:
        return func()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        from .deadline import run_with_deadline

        return run_with_deadline(func, timeout, _Alarm, clock)
    timer, signum = (getattr(signal, name) for name in _CLOCKS[clock])
    previous = signal.signal(signum, _on_alarm)
    outer_delay, outer_interval = signal.setitimer(timer, timeout)
    started = time.monotonic() if clock == "real" else time.process_time()
    try:
        return func()
    finally:
        signal.setitimer(timer, 0)
        signal.signal(signum, previous)
        if outer_delay:
            # a caller's own alarm keeps running for what is left of it
            spent = (time.monotonic() if clock == "real" else time.process_time()) - started
            signal.setitimer(timer, max(outer_delay - spent, 0.001), outer_interval)


def bounded(func, timeout, error, clock="cpu"):
    """func() stopped after `timeout` seconds of this process's CPU time by default (in a thread other than the
    main one, as in a Dask worker: that thread's); raises `error` then. Bounds each page's analysis like its
    extraction, without a busy machine turning a slow moment into a failure."""
    try:
        return _run_bounded(func, timeout, clock)
    except _Alarm:
        raise error from None


def _metadata(tree, canonical):
    "trafilatura's own metadata sequence (metadata.extract_metadata) minus the fields we do not keep."
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a single token is a handle or a CMS placeholder more often than a name
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura's JSON-LD reader trips on malformed JSON-LD; the rest still counts
        pass
    if not found.title:
        found.title = extract_title(tree)
    if not found.author:
        found.author = extract_author(tree)
    # htmldate's quick pass (meta tags, JSON-LD, URL, time elements) finds most dates; the extensive pass
    # over the whole text costs about ten times more, so it only runs when the quick one finds nothing
    found.date = find_date(tree, url=canonical, **set_date_params(False)) or \
        find_date(tree, url=canonical, **set_date_params(True))
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif canonical:
        found.sitename = _SITE_FROM_URL.match(canonical)[1] if _SITE_FROM_URL.match(canonical) else None
    # the full host of the article's own URL (news.example.org, not the registered domain example.org)
    found.hostname = (urlsplit(canonical).hostname or None) if canonical else None
    found.clean_and_trim()
    return found


# the tags a flat extraction keeps: the head's metadata and the blocks text is written in
_FLAT_KEEP = frozenset(("html", "head", "title", "meta", "link", "body", "article", "main", "h1", "h2", "h3", "h4",
                        "h5", "h6", "p", "br", "li", "time", "script"))
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>")


def _too_deep():
    "Whether the last parse stopped at libxml2's depth limit (256): everything nested deeper was dropped."
    return any("Excessive depth" in entry.message for entry in HTML_PARSER.error_log)


def _flatten(html):
    "The page without its containers (div, span, section, table...): each becomes a line break."
    def keep(match):
        return match.group(0) if match.group(2).lower() in _FLAT_KEEP else "\n"
    return _TAG.sub(keep, html)


def _extract(html, url):
    tree = load_html(html)
    if tree is not None and _too_deep():
        # more than 256 levels of nesting: lxml silently drops what is deeper, so read the page flat
        tree = load_html(_flatten(html))
    if tree is None:
        raise ExtractError("The page is not HTML that can be parsed.")
    head = _elements(tree, "meta", "link")
    metas = _meta_content(head["meta"])
    canonical = _canonical_url(head["link"], metas, url)
    if examine_meta is None:  # pragma: no cover
        doc = bare_extraction(tree, url=url, with_metadata=True, **TRAFILATURA_OPTIONS)
        return tree, metas, canonical, doc, doc
    meta = _metadata(tree, canonical)
    doc = bare_extraction(tree, url=canonical or url, **TRAFILATURA_OPTIONS)
    return tree, metas, canonical, meta, doc


def extract_page(html, url=None, *, timeout=30.0):
    """Article dict from an HTML page (see docs/architecture.md); raises ExtractError when there is no
    article text and ExtractTimeout when it takes longer than timeout seconds."""
    if not html or not html.strip():
        raise ExtractError("The page is empty.")
    try:
        tree, metas, canonical, meta, doc = _run_bounded(lambda: _extract(html, url), timeout)
    except _Alarm:
        raise ExtractTimeout(f"Extraction took longer than {timeout:g} seconds and was stopped.") from None
    # NFC like trafilatura.extract's own output: bare_extraction leaves the page's mix of composed and
    # decomposed characters, and search or matching on the stored text would miss one or the other
    raw = unicodedata.normalize("NFC", (doc.text if doc is not None else "") or "")
    if not raw.strip():
        raise ExtractError("No article text was found on the page (empty, navigation only or not an article).")
    text = clean_text(raw)
    if not text:
        raise ExtractError("The page text is only boilerplate (cookie notices, buttons, captions).")
    words = word_count(text)
    if _only_navigation(text, tree, meta.title, words):
        raise ExtractError("The page has only navigation links and headings, no article text.")

    published = _value(meta.date)
    moment = _published_datetime(tree, metas)
    if moment and (not published or moment.startswith(published[:10])):
        published = moment
    languages = detect_languages(text)
    return {
        "title": _value(meta.title),
        "author": _value(meta.author),
        "sitename": _value(meta.sitename),
        "hostname": _value(meta.hostname) or (_value(urlsplit(url).hostname) if url else None),
        "published": published,
        "published_month": published[:7] if published else None,
        "canonical_url": canonical,
        "language": languages[0] if languages else None,
        "languages": languages,
        "text": text,
        "excerpt": _excerpt(text, _value(meta.description)),
        "word_count": words,
    }
