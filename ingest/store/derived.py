"""The rows derived from one article's text: claim mentions, country mentions, the article's countries,
participation and claimed counts, written in the page's transaction with the summaries they feed."""
import json

from .archive import insert_many
from .fts import fts_delete, fts_insert
from .initiatives import write_initiatives
from .summaries import count_article


DERIVED_TABLES = ("claim_mentions", "country_mentions", "article_countries", "participation",
                  "initiative_claimed_counts", "initiative_mentions")


def write_derived(db, article_id, derived, fts=True):
    """Replace everything derived from one article's text (call inside the page's transaction, after the
    article row is written: mentions copy its date and outlet)."""
    published, published_month, outlet, stored_countries = db.conn.execute(
        "SELECT published, published_month, COALESCE(sitename, hostname), countries FROM articles WHERE id = ?",
        [article_id]
    ).fetchone() or (None, None, None, None)
    if fts:
        fts_delete(db, "claim_mentions", "article_id = ?", [article_id])
    count_article(db, article_id, -1)
    for table in DERIVED_TABLES:
        db.conn.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
    claims = [
        {
            "article_id": article_id,
            "segment": c.get("segment"),
            "sentence": c["sentence"],
            "char_start": c["char_start"],
            "char_end": c["char_end"],
            "lang": c.get("lang"),
            "published_month": published_month,
            "published": published,
            "outlet": outlet,
            "claim_type": c.get("claim_type"),
            "speaker": c.get("speaker"),
            "speaker_text": c.get("speaker_text"),
            "cited_source": c.get("cited_source"),
            "attribution_mode": c.get("attribution_mode"),
            "verification_status": c.get("verification_status"),
            "hedge_text": c.get("hedge_text"),
            "hedge_scope": c.get("hedge_scope"),
            "quantities": json.dumps(c.get("quantities") or [], ensure_ascii=False),
            "chain": json.dumps(c.get("chain") or [], ensure_ascii=False),
            "extractor": c.get("extractor"),
            "confidence": c.get("confidence"),
            "status_by": c.get("status_by"),
            "status_independent": c.get("status_independent"),
        }
        for c in derived.get("claims", [])
    ]
    if claims:
        insert_many(db, "claim_mentions", claims)
    if claims and fts:
        rows = db.conn.execute(
            "SELECT id, sentence FROM claim_mentions WHERE article_id = ? ORDER BY id", [article_id]
        ).fetchall()
        fts_insert(db, "claim_mentions", [{"id": r[0], "sentence": r[1]} for r in rows])
    mentions = derived.get("country_mentions", [])
    if mentions:
        insert_many(
            db,
            "country_mentions",
            [{"article_id": article_id, **{k: m.get(k) for k in
                                           ("country", "surface", "char_start", "char_end", "kind", "reading")}}
             for m in mentions],
        )
    countries = derived.get("countries", [])
    if countries:
        insert_many(db, "article_countries", ({"article_id": article_id, "country": c} for c in countries))
    # record_page wrote them with the row already: an UPDATE rewrites the whole row (text and all) and runs
    # the facet-count trigger, and even one that matches no row is a statement with triggers to run (about
    # 0.1 ms a page in all), so it runs only for a change
    if stored_countries != json.dumps(countries):
        db.conn.execute("UPDATE articles SET countries = ? WHERE id = ?", [json.dumps(countries), article_id])
    redirect = write_initiatives(db, article_id, published, derived.get("initiatives") or [])
    participation = derived.get("participation", [])
    if participation:
        insert_many(
            db,
            "participation",
            [{
                "initiative_id": redirect.get(p["initiative"], p["initiative"]),
                "country": p["country"],
                "role": p.get("role"),
                "status": p.get("status"),
                "valid_from": p.get("valid_from"),
                "valid_to": p.get("valid_to"),
                "article_id": article_id,
                "evidence": p.get("evidence"),
                "char_start": p.get("char_start"),
                "char_end": p.get("char_end"),
                "method": p.get("method"),
                "confidence": p.get("confidence"),
            } for p in participation],
        )
    claimed = derived.get("claimed", {})
    if claimed:
        insert_many(
            db,
            "initiative_claimed_counts",
            [{"article_id": article_id, "initiative_id": redirect.get(k, k), "claimed": v} for k, v in claimed.items()],
        )
    count_article(db, article_id, +1)
    # the tracer's to-do list, committed with the mentions it concerns (pipeline.batch.finish_batch empties it)
    db.conn.execute("INSERT OR IGNORE INTO claim_trace_pending(article_id) VALUES (?)", [article_id])
