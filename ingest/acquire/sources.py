"""What to ingest: URLs, HTML files and folders, WARC records, feeds and sitemaps -> small task dicts.

A task is cheap to pass to a worker process: WARC records travel as (path, offset), not as bodies.
"""
import gzip
import io
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


def path_tasks(value):
    "Tasks for a local source: an HTML file, a folder of them, or a WARC file."
    path = Path(value)
    if not path.exists():
        raise FetchError(f"No such file or folder: {value}.", error_class="FileNotFound")
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.name.lower().endswith(HTML_SUFFIXES):
                yield file_task(child)
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
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
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
        record = next(iter(ArchiveIterator(fh)))
        stream = record.content_stream()
        body = stream.read(max_bytes + 1)
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
    if not body or not body.strip():
        raise FetchError(f"The {what} is empty.", error_class="FeedError", stage="decode")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
        return etree.fromstring(body.lstrip(), parser=parser)
    except etree.XMLSyntaxError as err:
        raise FetchError(f"The {what} is not well-formed XML: {err}.", error_class="FeedError",
                         stage="decode") from None


def _local(tag):
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def feed_links(body, base_url):
    """(links, refused) from an RSS 2.0, RSS 1.0/RDF or Atom feed."""
    root = _parse_xml(body, "feed")
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise FetchError(f"Not an RSS or Atom feed (root element <{_local(root.tag)}>).",
                         error_class="FeedError", stage="decode")
    links = []
    for entry in root.iter():
        name = _local(entry.tag)
        if name not in ("item", "entry"):
            continue
        for child in entry:
            if _local(child.tag) != "link":
                continue
            href = child.get("href") or (child.text or "").strip()
            rel = child.get("rel", "alternate")
            if href and rel == "alternate":
                links.append(urljoin(base_url, href.strip()))
                break
    return _split_refused(links)


def sitemap_links(body, base_url):
    """(page links, nested sitemap links, refused) from a sitemap or sitemap index."""
    root = _parse_xml(body, "sitemap")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FetchError(f"Not a sitemap (root element <{kind}>).", error_class="FeedError", stage="decode")
    locs = [urljoin(base_url, (el.text or "").strip()) for el in root.iter() if _local(el.tag) == "loc" and el.text]
    good, refused = _split_refused(locs)
    if kind == "sitemapindex":
        return [], good, refused
    return good, [], refused


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
