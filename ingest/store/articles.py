"""One page's rows: the article, its raw responses (snapshots), earlier versions and the fetch log, each
page in one transaction so a killed ingest leaves only whole pages behind."""
import functools
import ipaddress
import json
import re
from urllib.parse import urlsplit

from courlan import extract_domain, normalize_url

from .archive import atomic, compress, content_hash, insert, sha256, update
from .derived import write_derived
from .fts import fts_delete, fts_insert


ARTICLE_FIELDS = (
    "title", "author", "sitename", "hostname", "published", "published_month", "language", "text",
    "excerpt", "word_count",
)


def find_article(db, *urls):
    "The article stored at one of `urls` (as its url, final_url or canonical URL), or None."
    urls = [u for u in urls if u]
    if not urls:
        return None
    marks = ", ".join("?" for _ in urls)
    row = db.conn.execute(
        f"SELECT id FROM articles WHERE canonical_url IN ({marks}) OR url IN ({marks}) OR final_url IN ({marks}) "
        "ORDER BY id LIMIT 1",
        urls * 3,
    ).fetchone()
    return row[0] if row else None


def known_article(db, url):
    """The article a URL about to be fetched would give, or None: one fetched at that URL, or stored under it
    as its canonical URL by a page from the same site (a page on another site declaring it is only a claim,
    and must not stop the URL's own page from being fetched)."""
    row = db.conn.execute("SELECT id FROM articles WHERE url = ? OR final_url = ? ORDER BY id LIMIT 1",
                          [url, url]).fetchone()
    if row:
        return row[0]
    row = db.conn.execute("SELECT id, COALESCE(final_url, url) FROM articles WHERE canonical_url = ?", [url]).fetchone()
    return row[0] if row and site(row[1]) == site(url) else None


@functools.lru_cache(maxsize=4096)
def _site_of_host(host):
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    domain = extract_domain("http://" + host + "/") if "." in host else None
    return (domain or _MOBILE_PREFIX.sub("", host)).lower()


_MOBILE_PREFIX = re.compile(r"^(?:www\d*|m|amp|mobile)\.")


def site(url):
    """The site a URL belongs to, for deciding whom a canonical URL may speak for: the registered domain
    (news.example.co.uk -> example.co.uk, amp./m./www. variants alike), the host for an IP address, '' for
    a local file."""
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return _site_of_host(host) if host else ""


def _normal(url):
    return normalize_url(url).split("#", 1)[0] if url else url


def _identity(db, task, fetched, page):
    """(article_id or None, page, claim): which stored article this page is, under which canonical URL it
    is stored, and the canonical claim to record ((canonical_url, status, holder_id) or None).

    A canonical URL is trusted as the page's identity unless an article fetched from another site already
    holds it: then it is a claim (issue 15) — the page keeps its own URL as identity and never replaces
    the other site's article. A page fetched from the canonical URL's own site (or at that very URL) takes
    it back from an article of another site that had claimed it first."""
    own = [u for u in (fetched["url"], fetched.get("final_url")) if u]
    marks = ", ".join("?" for _ in own)
    row = db.conn.execute(f"SELECT id FROM articles WHERE url IN ({marks}) OR final_url IN ({marks}) "
                          "ORDER BY id LIMIT 1", own * 2).fetchone()
    if row:
        return row[0], page, None  # this very page again
    canonical = page.get("canonical_url")
    fetched_site = site(fetched.get("final_url") or fetched["url"])
    keys = list(dict.fromkeys(own + ([canonical] if canonical else [])))
    for _ in range(len(keys) + 1):
        # an article stored under one of the page's own URLs first, then one under its declared canonical
        holder = db.conn.execute(
            "SELECT id, COALESCE(final_url, url), canonical_url FROM articles WHERE canonical_url IN ({}) "
            "ORDER BY canonical_url = ?, id LIMIT 1".format(", ".join("?" for _ in keys)), keys + [canonical or ""]
        ).fetchone()
        if holder is None:
            cross = canonical and site(canonical) != fetched_site
            return None, page, ((canonical, "identity", None) if cross else None)
        holder_id, holder_fetched, held = holder
        holder_site = site(holder_fetched)
        if holder_site == fetched_site:
            return holder_id, page, None  # the same site's copy of it (AMP, mobile, tracking parameters)
        if not (held in own or (site(held) == fetched_site and holder_site != site(held))):
            break
        _give_back(db, holder_id, holder_fetched, held)  # then look again: the page may be another's too
    # a claim on another site's article: stored under its own URL, beside it, never over it
    identity = _normal(fetched.get("final_url") or fetched["url"])
    if db.conn.execute("SELECT 1 FROM articles WHERE canonical_url = ?", [identity]).fetchone():
        identity = fetched.get("final_url") or fetched["url"]
    page = dict(page, canonical_url=identity, hostname=urlsplit(identity).hostname or page.get("hostname"))
    return None, page, (canonical, "refused", holder_id)


def _give_back(db, holder_id, holder_fetched, held):
    "An article of another site that held a canonical URL gives it up: stored under its own URL from now on."
    identity = _normal(holder_fetched)
    if db.conn.execute("SELECT 1 FROM articles WHERE canonical_url = ?", [identity]).fetchone():
        identity = holder_fetched
    db.conn.execute("UPDATE articles SET canonical_url = ?, hostname = ? WHERE id = ?",
                    [identity, urlsplit(identity).hostname, holder_id])
    _record_claim(db, holder_id, held, "evicted", None)


def _record_claim(db, article_id, canonical_url, status, holder_id, at=None):
    from ..acquire import now_iso

    db.conn.execute("INSERT OR REPLACE INTO canonical_claims(article_id, canonical_url, status, holder_id, at) "
                    "VALUES (?, ?, ?, ?, ?)", [article_id, canonical_url, status, holder_id, at or now_iso()])


def record_page(db, task, fetched, page, derived):
    """Store one successfully extracted page. Returns (outcome, article_id).

    fetched: {url, final_url, status, headers, body, fetched_at, content_type, encoding}
    page: extract_page() output; derived: pipeline.analyze_text() output."""
    body = fetched["body"]
    body_sha = fetched.get("sha256") or sha256(body)
    text_hash = content_hash(page["text"])
    now = fetched["fetched_at"]
    # the article's countries go into its row at once: write_derived setting them afterwards rewrote the
    # whole row, text and all, and ran the facet-count trigger of every facet (0.4 ms of a text-heavy page)
    countries = json.dumps(derived.get("countries", []))
    with atomic(db):
        article_id, page, claim = _identity(db, task, fetched, page)
        if article_id is None:
            duplicate = db.conn.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1",
                [text_hash],
            ).fetchone()
            row = {f: page.get(f) for f in ARTICLE_FIELDS}
            row.update(
                url=fetched["url"],
                final_url=fetched.get("final_url") or fetched["url"],
                canonical_url=page.get("canonical_url") or fetched.get("final_url") or fetched["url"],
                languages=json.dumps(page.get("languages") or []),
                content_hash=text_hash,
                version=1,
                first_fetched=now,
                last_fetched=now,
                source=task["source"],
                duplicate_of=duplicate[0] if duplicate else None,
                countries=countries,
            )
            article_id = insert(db, "articles", row)
            _insert_snapshot(db, article_id, 1, fetched, body_sha)
            fts_insert(db, "articles", [{"id": article_id, **row}])
            write_derived(db, article_id, derived)
            if claim:
                _record_claim(db, article_id, *claim, at=now)
            db.conn.execute("UPDATE canonical_claims SET holder_id = ? WHERE canonical_url = ? AND status = 'evicted' "
                            "AND holder_id IS NULL", [article_id, row["canonical_url"]])
            return "new", article_id

        current = db.conn.execute(
            "SELECT version, content_hash, title, text, last_fetched FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        version, old_hash, old_title, old_text, old_fetched = current
        known_body = db.conn.execute(
            "SELECT 1 FROM snapshots WHERE article_id = ? AND sha256 = ? LIMIT 1", [article_id, body_sha]
        ).fetchone()
        if known_body or old_hash == text_hash:
            if not known_body:
                # the raw page changed (ads, tokens) but not its text: keep the response, no new version
                _insert_snapshot(db, article_id, version, fetched, body_sha)
            db.conn.execute("UPDATE articles SET last_fetched = ? WHERE id = ?", [now, article_id])
            return "unchanged", article_id

        previous_snapshot = db.conn.execute(
            "SELECT id FROM snapshots WHERE article_id = ? AND version = ? ORDER BY id DESC LIMIT 1",
            [article_id, version],
        ).fetchone()
        insert(
            db,
            "article_versions",
            {
                "article_id": article_id,
                "version": version,
                "title": old_title,
                "text": old_text,
                "content_hash": old_hash,
                "snapshot_id": previous_snapshot[0] if previous_snapshot else None,
                "fetched_at": old_fetched,
            }
        )
        fts_delete(db, "articles", "id = ?", [article_id])
        values = {f: page.get(f) for f in ARTICLE_FIELDS}
        values.update(
            final_url=fetched.get("final_url") or fetched["url"],
            languages=json.dumps(page.get("languages") or []),
            content_hash=text_hash,
            version=version + 1,
            last_fetched=now,
            countries=countries,
        )
        update(db, "articles", article_id, values)
        _insert_snapshot(db, article_id, version + 1, fetched, body_sha)
        fts_insert(db, "articles", [{"id": article_id, **values}])
        write_derived(db, article_id, derived)
        return "changed", article_id


def _insert_snapshot(db, article_id, version, fetched, body_sha):
    body = fetched["body"]
    insert(
        db,
        "snapshots",
        {
            "article_id": article_id,
            "version": version,
            "url": fetched.get("final_url") or fetched["url"],
            "fetched_at": fetched["fetched_at"],
            "http_status": fetched.get("status"),
            "headers": json.dumps(fetched.get("headers") or {}),
            "content_type": fetched.get("content_type"),
            "encoding": fetched.get("encoding"),
            "size": len(body),
            "sha256": body_sha,
            "body": fetched.get("body_z") or compress(body),
        }
    )


def update_article_text(db, article_id, page, derived):
    """reextract: new text and metadata from the same raw response; never a new version.

    The article's search entries are replaced in the same transaction as its row, so a reader always finds
    every article (with its old text or its new one) and a killed reextract leaves a whole index."""
    with db.conn:
        values = {f: page.get(f) for f in ARTICLE_FIELDS}
        values.update(languages=json.dumps(page.get("languages") or []), content_hash=content_hash(page["text"]))
        stored = db.conn.execute("SELECT canonical_url FROM articles WHERE id = ?", [article_id]).fetchone()
        if stored and page.get("canonical_url") and stored[0] != page["canonical_url"]:
            # stored under its own URL, not the canonical it claims (a canonical claim refused or given back)
            values["hostname"] = urlsplit(stored[0]).hostname or values.get("hostname")
        fts_delete(db, "articles", "id = ?", [article_id])
        update(db, "articles", article_id, values)
        fts_insert(db, "articles", [{"id": article_id, **values}])
        write_derived(db, article_id, derived)


def log_fetch(db, *, url, source, outcome, stage=None, error_class=None, message=None, http_status=None,
              article_id=None, at=None):
    from ..acquire import now_iso

    with atomic(db):
        insert(
            db,
            "fetch_log",
            {
                "at": at or now_iso(),
                "url": url,
                "source": source,
                "outcome": outcome,
                "stage": stage,
                "error_class": error_class,
                "message": message,
                "http_status": http_status,
                "article_id": article_id,
            }
        )
