"""What to ingest: URLs, HTML files and folders, WARC records, feeds and sitemaps -> small task dicts.

A task is cheap to pass to a worker process: WARC records travel as (path, offset), not as bodies.
"""
import codecs
import email.utils
import gzip
import io
import json
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .fetch import FetchError, check_scheme

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_SITEMAP_DEPTH = 3


def is_url(value):
    return urlsplit(value).scheme.lower() in ("http", "https")


def url_task(url, source="url"):
    return {"kind": "http", "url": url.strip(), "source": source}


def path_tasks(value, on_error=None):
    """Tasks for a local source: an HTML file, a folder of them (and of WARC files), or a WARC file.

    A damaged WARC file raises a FetchError after the records read before the damage; inside a folder,
    on_error(path, err) is called instead (when given) and the walk goes on."""
    path = Path(value)
    if not path.exists():
        raise FetchError(f"No such file or folder: {value}.", error_class="FileNotFound")
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            name = child.name.lower()
            if not child.is_file():
                continue
            if name.endswith(HTML_SUFFIXES):
                yield file_task(child)
            elif name.endswith(WARC_SUFFIXES):
                try:
                    yield from warc_tasks(child)
                except FetchError as err:
                    if on_error is None:
                        raise
                    on_error(child, err)
        return
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        yield from warc_tasks(path)
    elif name.endswith(HTML_SUFFIXES):
        yield file_task(path)
    else:
        raise FetchError(
            f"{value} is neither an HTML file (.html, .html.gz), a folder nor a WARC file (.warc, .warc.gz).",
            error_class="UnsupportedSource",
        )


def file_task(path):
    path = Path(path).resolve()
    return {"kind": "file", "url": path.as_uri(), "path": str(path), "source": "file"}


def warc_tasks(path):
    from warcio.archiveiterator import ArchiveIterator

    path = Path(path).resolve()
    read = 0
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        try:
            for record in records:
                read += 1
                if record.format != "warc":
                    # warcio reads any text as old ARC records: this file is not a WARC file at all
                    raise ValueError("its records are not WARC records")
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url or not is_url(url):
                    continue
                yield {
                    "kind": "warc",
                    "url": url,
                    "path": str(path),
                    "offset": records.get_record_offset(),
                    "source": "warc",
                }
        except Exception as err:  # warcio's ArchiveLoadFailed, or worse on a truncated file
            raise FetchError(f"The WARC file {path.name} is damaged or truncated after {read - 1} records: "
                             f"{_warc_reason(err)}.", error_class="WARCError", path=str(path)) from None


def _warc_reason(err):
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:300].rstrip(".")


def read_local(task, max_bytes):
    "(body, headers, status) for a file or WARC task, read without the network."
    if task["kind"] == "file":
        path = Path(task["path"])
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"The file is {size:,} bytes, over the --max-bytes limit of {max_bytes:,}.",
                             error_class="TooLarge")
        body = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            body = _gunzip_capped(body, max_bytes)
        return body, {}, None
    from warcio.archiveiterator import ArchiveIterator

    with open(task["path"], "rb") as fh:
        fh.seek(task["offset"])
        try:
            record = next(iter(ArchiveIterator(fh)))
            stream = record.content_stream()
            body = stream.read(max_bytes + 1)
            short = len(body) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0
        except Exception as err:  # a damaged record
            raise FetchError(f"The WARC record cannot be read: {_warc_reason(err)}.", error_class="WARCError") from None
        if short:
            raise FetchError(f"The WARC record is cut short: the file ends {record.raw_stream.limit:,} bytes before "
                             "the record does (a truncated WARC file).", error_class="WARCError")
        if len(body) > max_bytes:
            raise FetchError(f"The archived response is over the --max-bytes limit of {max_bytes:,}.",
                             error_class="TooLarge")
        headers = {}
        status = None
        if record.http_headers:
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            status = int(record.http_headers.get_statuscode() or 0) or None
        if status and status >= 400:
            raise FetchError(f"The archived response is HTTP {status}.", error_class="HTTPError",
                             http_status=status)
        return body, headers, status


def _gunzip_capped(body, max_bytes):
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
        out = gz.read(max_bytes + 1)
    if len(out) > max_bytes:
        raise FetchError(f"The page unzips to more than the --max-bytes limit of {max_bytes:,}.",
                         error_class="TooLarge")
    return out


def _parse_xml(body, what):
    "An XML tree; a document that is not well-formed is read again leniently before giving up."
    if not body or not body.strip():
        raise FetchError(f"The {what} is empty.", error_class="FeedError", stage="decode")
    body = body.lstrip(codecs.BOM_UTF8).lstrip()
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as err:
        lenient = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
        try:
            root = etree.fromstring(body, parser=lenient)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise FetchError(f"The {what} is not well-formed XML: {err}.", error_class="FeedError",
                             stage="decode") from None
        return root


def _local(tag):
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def listed_date(value):
    """An ISO date (YYYY-MM-DD, or a full timestamp in UTC when the time is given) from a feed's or a
    sitemap's date, or None. Accepts W3C datetimes (sitemaps, Atom, JSON Feed) and RFC 822 (RSS)."""
    if not value:
        return None
    if isinstance(value, time.struct_time):
        moment = datetime(*value[:6], tzinfo=timezone.utc)
        return moment.isoformat() if value[3:6] != (0, 0, 0) else moment.date().isoformat()
    value = str(value).strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if len(value) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat()


def feed_entries(body, base_url, content_type=None):
    """([(link, date)], refused) from an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document. XML feeds are
    read by feedparser, which also reads what real feeds get wrong (unescaped '&', HTML entities, a
    byte-order mark or blank lines before the declaration); date is the item's published (or updated)
    date, kept as the article's date when its page has none."""
    if not body or not body.strip():
        raise FetchError("The feed is empty.", error_class="FeedError", stage="decode")
    start = body.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    if start == b"{" or "json" in (content_type or "").lower():
        return _json_feed(body, base_url)
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url,
                                                      "content-type": content_type or "application/xml"})
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if problem is not None:
            raise FetchError(f"The feed is not well-formed XML and no item could be read from it ({problem}).",
                             error_class="FeedError", stage="decode")
        if not parsed.version:
            raise FetchError("Not an RSS, Atom or JSON feed.", error_class="FeedError", stage="decode")
    found = []
    for entry in parsed.entries:
        href = entry.get("link")
        for link in entry.get("links", ()):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                href = link["href"]
                break
        if href:
            date = entry.get("published_parsed") or entry.get("updated_parsed")
            found.append((urljoin(base_url, href.strip()), listed_date(date)))
    return _split_refused_entries(found)


def _json_feed(body, base_url):
    "JSON Feed 1.0/1.1 (https://www.jsonfeed.org/version/1.1/): items' url (or external_url) and dates."
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise FetchError(f"The feed is neither XML nor valid JSON: {err}.", error_class="FeedError",
                         stage="decode") from None
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise FetchError("The JSON document is not a JSON Feed (no version naming jsonfeed.org, or no items).",
                         error_class="FeedError", stage="decode")
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        href = item.get("url") or item.get("external_url")
        if isinstance(href, str) and href.strip():
            found.append((urljoin(base_url, href.strip()),
                          listed_date(item.get("date_published") or item.get("date_modified"))))
    return _split_refused_entries(found)


def feed_links(body, base_url):
    """(links, refused) from an RSS, Atom or JSON feed (feed_entries without the dates)."""
    entries, refused = feed_entries(body, base_url)
    return [link for link, _ in entries], refused


def sitemap_entries(body, base_url, max_bytes=50_000_000):
    """([(page link, lastmod)], nested sitemap links, refused) from an XML sitemap or sitemap index,
    gzipped or not, or a text sitemap (one URL a line; https://www.sitemaps.org/protocol.html)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip_capped(body, max_bytes)
        except (OSError, EOFError, zlib.error) as err:
            raise FetchError(f"The sitemap is gzip-compressed but cannot be unpacked: {err}.",
                             error_class="FeedError", stage="decode") from None
    text_start = body.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    if text_start and text_start != b"<":
        lines = body.decode("utf-8-sig", errors="replace").splitlines()
        links = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        if not all(urlsplit(link).scheme and " " not in link for link in links):
            raise FetchError("The sitemap is neither XML nor a text list of URLs, one a line.",
                             error_class="FeedError", stage="decode")
        pages, refused = _split_refused_entries([(urljoin(base_url, link), None) for link in links])
        return pages, [], refused
    root = _parse_xml(body, "sitemap")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FetchError(f"Not a sitemap (root element <{kind}>).", error_class="FeedError", stage="decode")
    found = []
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in entry:
            if _local(child.tag) == "loc" and child.text:
                loc = child.text.strip()
            elif _local(child.tag) == "lastmod" and child.text:
                lastmod = listed_date(child.text)
        if loc:
            found.append((urljoin(base_url, loc), lastmod))
    good, refused = _split_refused_entries(found)
    if kind == "sitemapindex":
        return [], [link for link, _ in good], refused
    return good, [], refused


def sitemap_links(body, base_url):
    """(page links, nested sitemap links, refused) from a sitemap or sitemap index (sitemap_entries without
    the dates)."""
    pages, nested, refused = sitemap_entries(body, base_url)
    return [link for link, _ in pages], nested, refused


def _split_refused_entries(entries):
    "(entries, refused links): one entry per link, the first kept; links that are not http(s) refused."
    good, refused = _split_refused([link for link, _ in entries])
    dates = {}
    for link, date in entries:
        dates.setdefault(link, date)
    return [(link, dates[link]) for link in good], refused


def _split_refused(links):
    good, refused, seen = [], [], set()
    for link in links:
        if link in seen:
            continue
        seen.add(link)
        try:
            check_scheme(link)
            good.append(link)
        except FetchError:
            refused.append(link)
    return good, refused
