"""The mention rows the tracer reads (with their article's date and outlet), sentence keys, and queries
over many ids a chunk at a time."""
import hashlib

SQL_CHUNK = 500

MENTIONS_SQL = """
SELECT m.id, m.article_id, m.segment, m.sentence, m.char_start, m.char_end, m.lang, m.claim_type, m.speaker,
       m.speaker_text, m.cited_source, m.attribution_mode, m.verification_status, m.hedge_text, m.hedge_scope,
       m.quantities, m.chain, m.claim_id, m.status_by, m.status_independent, a.published, a.language, a.url, a.title,
       COALESCE(a.sitename, a.hostname) AS outlet, a.duplicate_of,
       COALESCE(o.sitename, o.hostname) AS original_outlet
FROM claim_mentions m
JOIN articles a ON a.id = m.article_id
LEFT JOIN articles o ON o.id = a.duplicate_of
WHERE {where}
"""


def sentence_hash(sentence):
    return hashlib.sha1(" ".join((sentence or "").split()).encode("utf-8")).hexdigest()[:16]


def sentence_key(hash_hex):
    "A sentence_hash as a small integer (44 bits: stored in 6 bytes; it only tells sentences of one article apart)."
    return int(hash_hex[:11], 16)


def chunks(items, size=SQL_CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def placeholders(chunk):
    return ", ".join("?" for _ in chunk)


def _rows(db, sql, params):
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_mentions(db, where="1", params=()):
    return _rows(db, MENTIONS_SQL.format(where=where), params)


def load_where_in(db, column, values):
    out = []
    for chunk in chunks(sorted(values)):
        out += load_mentions(db, f"{column} IN ({placeholders(chunk)})", chunk)
    return out


def select_in(db, sql, values):
    "Rows of `sql` (with one {marks} placeholder) over `values`, a chunk at a time."
    out = []
    for chunk in chunks(sorted(values)):
        out += db.conn.execute(sql.format(marks=placeholders(chunk)), chunk).fetchall()
    return out
