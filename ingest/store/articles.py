"""One page's rows: the article, its raw responses (snapshots), earlier versions and the fetch log, each
page in one transaction so a killed ingest leaves only whole pages behind."""
import json

from .archive import compress, content_hash, insert, sha256, update
from .derived import write_derived
from .fts import fts_delete, fts_insert


ARTICLE_FIELDS = (
    "title", "author", "sitename", "hostname", "published", "published_month", "language", "text",
    "excerpt", "word_count",
)


def find_article(db, *urls):
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


def record_page(db, task, fetched, page, derived):
    """Store one successfully extracted page. Returns (outcome, article_id).

    fetched: {url, final_url, status, headers, body, fetched_at, content_type, encoding}
    page: extract_page() output; derived: pipeline.analyze_text() output."""
    body = fetched["body"]
    body_sha = fetched.get("sha256") or sha256(body)
    text_hash = content_hash(page["text"])
    now = fetched["fetched_at"]
    with db.conn:
        article_id = find_article(db, page.get("canonical_url"), fetched["url"], fetched.get("final_url"))
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
            )
            article_id = insert(db, "articles", row)
            _insert_snapshot(db, article_id, 1, fetched, body_sha)
            fts_insert(db, "articles", [{"id": article_id, **row}])
            write_derived(db, article_id, derived)
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
        fts_delete(db, "articles", "id = ?", [article_id])
        update(db, "articles", article_id, values)
        fts_insert(db, "articles", [{"id": article_id, **values}])
        write_derived(db, article_id, derived)


def log_fetch(db, *, url, source, outcome, stage=None, error_class=None, message=None, http_status=None,
              article_id=None, at=None):
    from ..acquire import now_iso

    with db.conn:
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
