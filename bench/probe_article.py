#!/usr/bin/env python3
"""The article page's worst case for bench_views.py: one article with 200 claim mentions (synthetic archives
have at most ~15), added to an existing archive once, idempotently.

usage: python bench/probe_article.py DB [--mentions 200]

The probe is an ordinary article (canonical URL PROBE_URL, sitename "Reading room probe", dated like the
newest article) whose text is 200 sentences — the texts of the archive's most-mentioned claims, so each of its
mentions belongs to a claim that thousands of other articles share (the page's heaviest query) —, with a
country mention in every sentence naming a country, 10 participation rows, an earlier version (the diff) and
a raw snapshot. It is written in one transaction with the store's own helpers (FTS rows in the spaced-CJK
form, compressed snapshot), and the claims it carries count it (n_mentions, n_articles + 1). Running it again
finds the probe and changes nothing. It adds one article to a million: no other view's figures move.
"""
import argparse
import json
import sqlite3
import sys

PROBE_URL = "https://reading-room-probe.invalid/article-with-200-claim-mentions"
SITENAME = "Reading room probe"


def find_probe(conn):
    row = conn.execute("SELECT id FROM articles WHERE canonical_url = ?", [PROBE_URL]).fetchone()
    return row[0] if row else None


def ensure_probe(path, mentions=200):
    "The probe's article id, writing it first when the archive has none."
    from newstrace.ingest.store.archive import compress, content_hash, sha256
    from newstrace.ingest.store.cjk import fts_text
    from newstrace.ingest.store.schema import FTS_TABLES

    conn = sqlite3.connect(str(path), timeout=120)
    try:
        found = find_probe(conn)
        if found is not None:
            return found
        claims = conn.execute("SELECT id, claim_text, claim_type, speaker FROM claims WHERE claim_text IS NOT NULL "
                              "ORDER BY n_mentions DESC LIMIT ?", [mentions]).fetchall()
        countries = conn.execute("SELECT code, name FROM countries WHERE length(name) > 4 ORDER BY code").fetchall()
        initiatives = [r[0] for r in conn.execute("SELECT id FROM initiatives ORDER BY id LIMIT 5")]
        published = conn.execute("SELECT MAX(published) FROM articles").fetchone()[0] or "2026-01-01"
        sentences, spans, text = [], [], ""
        for i, (claim_id, claim_text, _, _) in enumerate(claims):
            sentence = claim_text.strip()
            if not sentence.endswith((".", "。", "”", '"', "!", "?")):
                sentence += "."
            if text:
                text += "\n" if i % 5 == 0 else " "
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
            sentences.append(sentence)
        country_mentions = []
        for code, name in countries:
            at = text.find(name)
            while at != -1 and len(country_mentions) < 400:
                country_mentions.append((code, name, at, at + len(name)))
                at = text.find(name, at + len(name))
        codes = sorted({c[0] for c in country_mentions})
        aid = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM articles").fetchone()[0]
        mid = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM claim_mentions").fetchone()[0]
        title = f"Reading room probe: {len(claims)} claims in one article"
        body = ("<html><head><title>" + title + "</title></head><body><article>"
                + "".join(f"<p>{p}</p>" for p in text.split("\n")) + "</article></body></html>").encode("utf-8")
        earlier = text.rsplit("\n", 1)[0]
        with conn:
            conn.execute(
                "INSERT INTO articles (id, url, final_url, canonical_url, title, author, sitename, hostname, published,"
                " published_month, language, languages, text, excerpt, word_count, content_hash, version,"
                " first_fetched, last_fetched, source, duplicate_of, countries)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', '[\"en\"]', ?, ?, ?, ?, 2, ?, ?, 'url', NULL, ?)",
                [aid, PROBE_URL, PROBE_URL, PROBE_URL, title, "Bench", SITENAME, "reading-room-probe.invalid",
                 published, published[:7], text, sentences[0][:200] if sentences else "", len(text.split()),
                 content_hash(text), published, published, json.dumps(codes)])
            fts, columns = FTS_TABLES["articles"]
            conn.execute(f"INSERT INTO [{fts}] (rowid, {', '.join(columns)}) VALUES (?, ?, ?)",
                         [aid, fts_text(title), fts_text(text)])
            cur = conn.execute(
                "INSERT INTO snapshots (article_id, version, url, fetched_at, http_status, headers, content_type,"
                " encoding, size, sha256, body) VALUES (?, 2, ?, ?, 200, '{}', 'text/html; charset=utf-8', 'utf-8',"
                " ?, ?, ?)", [aid, PROBE_URL, published, len(body), sha256(body), compress(body)])
            conn.execute("INSERT INTO article_versions (article_id, version, title, text, content_hash, snapshot_id,"
                         " fetched_at) VALUES (?, 1, ?, ?, ?, ?, ?)",
                         [aid, title, earlier, content_hash(earlier), cur.lastrowid, published])
            fts_m, columns_m = FTS_TABLES["claim_mentions"]
            for n, ((claim_id, _, claim_type, speaker), (start, end), sentence) in enumerate(zip(claims, spans, sentences)):
                status = ("none", "unverified", "confirmed", "disputed")[n % 4]
                conn.execute(
                    "INSERT INTO claim_mentions (id, article_id, segment, sentence, char_start, char_end, lang,"
                    " published_month, claim_type, speaker, speaker_text, attribution_mode, verification_status,"
                    " quantities, chain, claim_id, extractor, confidence, published, outlet)"
                    " VALUES (?, ?, 'main', ?, ?, ?, 'en', ?, ?, ?, ?, 'indirect_speech', ?, '[]', ?, ?, 'probe', 1.0,"
                    " ?, ?)",
                    [mid + n, aid, sentence, start, end, published[:7], claim_type, speaker, speaker, status,
                     json.dumps([speaker] if speaker else []), claim_id, published, SITENAME])
                conn.execute(f"INSERT INTO [{fts_m}] (rowid, {', '.join(columns_m)}) VALUES (?, ?)",
                             [mid + n, fts_text(sentence)])
                conn.execute("UPDATE claims SET n_mentions = n_mentions + 1, n_articles = n_articles + 1 WHERE id = ?",
                             [claim_id])
            conn.executemany("INSERT INTO country_mentions (article_id, country, surface, char_start, char_end, kind,"
                             " reading) VALUES (?, ?, ?, ?, ?, 'name', 'government')",
                             [(aid, *c) for c in country_mentions])
            conn.executemany("INSERT INTO article_countries (article_id, country) VALUES (?, ?)",
                             [(aid, code) for code in codes])
            for n, (code, _, start, _) in enumerate(country_mentions[:10]):
                if not initiatives:
                    break
                para = next(s for s in spans if s[0] <= start < s[1] or start < s[0])
                conn.execute("INSERT INTO participation (initiative_id, country, role, status, article_id, evidence,"
                             " char_start, char_end, method, confidence) VALUES (?, ?, 'member', 'announced', ?, ?, ?, ?,"
                             " 'probe', 1.0)", [initiatives[n % len(initiatives)], code, aid, text[para[0]:para[1]],
                                                para[0], para[1]])
        return aid
    finally:
        conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--mentions", type=int, default=200)
    args = parser.parse_args(argv)
    aid = ensure_probe(args.db, args.mentions)
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    n = conn.execute("SELECT COUNT(*) FROM claim_mentions WHERE article_id = ?", [aid]).fetchone()[0]
    print(f"probe article {aid}: {n} claim mentions", file=sys.stderr)


if __name__ == "__main__":
    main()
