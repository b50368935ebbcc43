#!/usr/bin/env python3
"""Build a synthetic archive of N articles through newstrace's own storage code, for the scale benchmark.

usage: python bench/make_archive.py --articles N --db PATH [--seed 1] [--mode bulk|pages]
                                    [--claims auto|trace|synthetic] [--resume]

Distributions (stated in the issue, see textgen.py for the text itself):
- article length log-normal, median 600 words (sigma 0.6, clipped to 60..8000); 20 % Chinese;
- 200 outlets (Zipf-weighted), published dates uniform over 5 years (2021-03 .. 2026-02; --months N: the
  last N months of that window, e.g. 12 for a year of 2025-03 .. 2026-02);
- claims per article Poisson(3), drawn Zipf from a pool of max(1000, N/3) claims, so a few claims have
  thousands of mentions; country mentions Poisson(4), Zipf over the gazetteer;
- 1 article in 20 has 3-8 participation rows (and 3 in 10 of those a claimed participant count);
- planted search terms: "lanthanide" and "钨砂" in ~1 % of articles, "stockpile" and "储备" in ~30 %;
- raw snapshot: a small HTML page (title and first paragraphs), compressed as store.compress does.

--mode pages stores every article with store.record_page (exactly what an ingest does, one transaction
per page); --mode bulk (default) writes the same rows chunk by chunk in one transaction per 2,000
articles, using store's own fts_insert / compress / content_hash, so 1M articles build in reasonable
time. Claim clustering: `trace` runs the project's finish_batch (trace.update_claims); `synthetic`
fills `claims` from the known claim of each mention; `auto` uses trace when it is importable, up to 10,000
articles, and synthetic claims above (as run.py does: tracing 1M articles' 3M mentions in one process needed
more than 13 GB and was still growing when stopped).
Writes PATH.bench.json (what was built) beside the database and a section of bench/RESULTS.md.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import free_bytes, human_bytes, table, write_section  # noqa: E402
from textgen import TextGen  # noqa: E402

# measured on the 10k archive (bench/RESULTS.md); used to refuse a build the disk cannot hold
BYTES_PER_ARTICLE = 14_000
CHUNK = 2000


def open_archive(path):
    """store.open_db; while the gazetteer / participation modules have not landed, the same schema and
    pragmas without reference data (reported, so a run says which path it took)."""
    from newstrace.ingest import store

    try:
        return store.open_db(str(path)), None
    except ImportError as err:
        import sqlite_utils

        from newstrace.ingest.store.schema import SCHEMA

        db = sqlite_utils.Database(str(path))
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.conn.executescript(SCHEMA)
        return db, f"store.open_db failed ({err}); schema created directly, reference data from the gazetteer file"


def ensure_reference(db, gen):
    "Countries and initiatives rows the synthetic articles point to (when open_db could not load them)."
    if not db.conn.execute("SELECT 1 FROM countries LIMIT 1").fetchone():
        with db.conn:
            db["countries"].insert_all(
                ({"code": c["code"], "name": c["name_en"], "name_zh": c["name_zh"], "alpha3": c["alpha3"],
                  "numeric": c["numeric"], "capital": c["capital_en"], "capital_zh": c["capital_zh"],
                  "lat": c["lat"], "lng": c["lng"], "blocs": json.dumps(c.get("blocs") or [])}
                 for c in gen.countries), pk="code", replace=True)
    rows = db.conn.execute("SELECT id, coalesce(name_en, id) FROM initiatives ORDER BY id").fetchall()
    if not rows:
        rows = [(f"bench-initiative-{i}", f"the Bench Initiative {i}") for i in range(1, 7)]
        with db.conn:
            db["initiatives"].insert_all(({"id": i, "name_en": n, "kind": "bench"} for i, n in rows), pk="id")
    return [{"id": i, "name": n} for i, n in rows]


def synth(gen, number, claim_pool, initiatives):
    "One synthetic page as record_page takes it: (task, fetched, page, derived, article)."
    from newstrace.ingest import store

    art = gen.article(claim_pool, initiatives)
    outlet = gen.outlet()
    published = gen.date()
    url = f"https://{outlet['hostname']}/news/{published[:7]}/story-{number}"
    paragraphs = art["text"].split("\n\n")
    raw = ("<!doctype html><html><head><meta charset=utf-8><title>{t}</title>"
           "<link rel=canonical href=\"{u}\"><meta property=\"og:site_name\" content=\"{s}\"></head>"
           "<body><article><h1>{t}</h1><p>{p}</p></article></body></html>").format(
        t=art["title"], u=url, s=outlet["sitename"], p="</p><p>".join(paragraphs[:2]))
    body = raw.encode("utf-8")
    fetched_at = published + "T12:00:00+00:00"
    task = {"kind": "http", "url": url, "source": "url"}
    fetched = {"url": url, "final_url": url, "status": 200, "headers": {"content-type": "text/html; charset=utf-8"},
               "body": body, "fetched_at": fetched_at, "content_type": "text/html; charset=utf-8",
               "encoding": "utf-8"}
    page = {"title": art["title"], "author": None, "sitename": outlet["sitename"], "hostname": outlet["hostname"],
            "published": published, "published_month": published[:7], "language": art["language"],
            "languages": [art["language"]], "text": art["text"], "excerpt": art["text"][:300],
            "word_count": art["word_count"], "canonical_url": url}
    derived = {"claims": art["claims"], "countries": art["countries"], "country_mentions": art["country_mentions"],
               "participation": art["participation"], "claimed": art["claimed"]}
    return task, fetched, page, derived, store


ARTICLE_COLUMNS = ("id", "url", "final_url", "canonical_url", "title", "author", "sitename", "hostname", "published",
                   "published_month", "language", "languages", "text", "excerpt", "word_count", "content_hash",
                   "version", "first_fetched", "last_fetched", "source", "duplicate_of", "countries")
SNAPSHOT_COLUMNS = ("article_id", "version", "url", "fetched_at", "http_status", "headers", "content_type",
                    "encoding", "size", "sha256", "body")
MENTION_COLUMNS = ("id", "article_id", "segment", "sentence", "char_start", "char_end", "lang", "published_month",
                   "claim_type", "speaker", "speaker_text", "cited_source", "attribution_mode",
                   "verification_status", "hedge_text", "hedge_scope", "quantities", "chain", "claim_id",
                   "extractor", "confidence", "published", "outlet")


def _insert(db, table_name, columns, rows):
    if rows:
        db.conn.executemany("INSERT INTO [{}] ({}) VALUES ({})".format(
            table_name, ", ".join(columns), ", ".join("?" for _ in columns)), rows)


def prepare_chunk(items, first_article, link_claims):
    """The rows record_page + write_derived write for new articles, as parameter lists (no database needed,
    so a worker process can build them). Same columns and the same store helpers (content_hash, compress,
    sha256, fts_text); mention ids are numbered from 0 here and offset by write_chunk."""
    from newstrace.ingest import store
    from newstrace.ingest.store.cjk import fts_text

    rows = {k: [] for k in ("articles", "snapshots", "mentions", "cmentions", "acountries", "parts", "claimed",
                            "fts_articles", "fts_mentions")}
    aid = first_article - 1
    local_mention = 0
    for task, fetched, page, derived, _ in items:
        aid += 1
        row = {c: page.get(c) for c in store.ARTICLE_FIELDS}
        row.update(id=aid, url=fetched["url"], final_url=fetched["final_url"], canonical_url=page["canonical_url"],
                   languages=json.dumps(page["languages"]), content_hash=store.content_hash(page["text"]), version=1,
                   first_fetched=fetched["fetched_at"], last_fetched=fetched["fetched_at"], source=task["source"],
                   duplicate_of=None, countries=json.dumps(derived["countries"]))
        rows["articles"].append([row[c] for c in ARTICLE_COLUMNS])
        rows["fts_articles"].append([aid, fts_text(row.get("title")), fts_text(row.get("text"))])
        body = fetched["body"]
        rows["snapshots"].append([aid, 1, fetched["url"], fetched["fetched_at"], 200, json.dumps(fetched["headers"]),
                                  fetched["content_type"], fetched["encoding"], len(body), store.sha256(body),
                                  store.compress(body)])
        for c in derived["claims"]:
            rows["mentions"].append([local_mention, aid, c["segment"], c["sentence"], c["char_start"], c["char_end"],
                                     c["lang"], page["published_month"], c["claim_type"], c["speaker"],
                                     c["speaker_text"], None, c["attribution_mode"], c["verification_status"], None,
                                     None, json.dumps(c["quantities"], ensure_ascii=False),
                                     json.dumps(c["chain"], ensure_ascii=False),
                                     c["key"] + 1 if link_claims else None, c["extractor"], c["confidence"],
                                     page["published"], page["hostname"] if page["sitename"] is None else page["sitename"]])
            rows["fts_mentions"].append([local_mention, fts_text(c["sentence"])])
            local_mention += 1
        for m in derived["country_mentions"]:
            rows["cmentions"].append([aid, m["country"], m["surface"], m["char_start"], m["char_end"], m["kind"],
                                      m["reading"]])
        for code in derived["countries"]:
            rows["acountries"].append([aid, code])
        for p in derived["participation"]:
            rows["parts"].append([p["initiative"], p["country"], p["role"], p["status"], None, None, aid,
                                  p["evidence"], p["char_start"], p["char_end"], p["method"], p["confidence"]])
        for initiative, count in derived["claimed"].items():
            rows["claimed"].append([aid, initiative, count])
    rows["next_article"] = aid + 1
    return rows


def write_chunk(db, rows, next_mention):
    "One transaction for a prepared chunk; returns the next free mention id."
    from newstrace.ingest.store.schema import FTS_TABLES

    for r in rows["mentions"]:
        r[0] += next_mention
    for r in rows["fts_mentions"]:
        r[0] += next_mention
    fts_a, cols_a = FTS_TABLES["articles"]
    fts_m, cols_m = FTS_TABLES["claim_mentions"]
    with db.conn:
        _insert(db, "articles", ARTICLE_COLUMNS, rows["articles"])
        _insert(db, "snapshots", SNAPSHOT_COLUMNS, rows["snapshots"])
        _insert(db, fts_a, ("rowid",) + cols_a, rows["fts_articles"])
        _insert(db, "claim_mentions", MENTION_COLUMNS, rows["mentions"])
        _insert(db, fts_m, ("rowid",) + cols_m, rows["fts_mentions"])
        _insert(db, "country_mentions", ("article_id", "country", "surface", "char_start", "char_end", "kind",
                                         "reading"), rows["cmentions"])
        _insert(db, "article_countries", ("article_id", "country"), rows["acountries"])
        _insert(db, "participation", ("initiative_id", "country", "role", "status", "valid_from", "valid_to",
                                      "article_id", "evidence", "char_start", "char_end", "method", "confidence"),
                rows["parts"])
        _insert(db, "initiative_claimed_counts", ("article_id", "initiative_id", "claimed"), rows["claimed"])
    return next_mention + len(rows["mentions"])


def bulk_write(db, items, next_article, next_mention, link_claims):
    "prepare_chunk + write_chunk in this process."
    rows = prepare_chunk(items, next_article, link_claims)
    return rows["next_article"], write_chunk(db, rows, next_mention)


# --- parallel generation (--jobs N): workers generate and prepare chunks, this process only writes -------

_WORKER = {}


def _worker_init(seed, claim_pool, initiatives, link_claims, months=60):
    _WORKER.update(gen=TextGen(seed=seed, months=months), seed=seed, claim_pool=claim_pool, initiatives=initiatives,
                   link_claims=link_claims)


def _worker_chunk(job):
    first_article, n = job
    w = _WORKER
    gen = w["gen"]
    # each chunk has its own stream, so the archive does not depend on which worker made which chunk
    gen.rng.seed(w["seed"] * 1_000_003 + first_article)
    t0 = time.perf_counter()
    items = [synth(gen, first_article + i, w["claim_pool"], w["initiatives"]) for i in range(n)]
    items = [(task, fetched, page, derived, None) for task, fetched, page, derived, _ in items]
    rows = prepare_chunk(items, first_article, w["link_claims"])
    rows["seconds"] = time.perf_counter() - t0
    return rows


def synthetic_claims(db):
    "claims rows from the known claim of every mention (what a perfect trace would produce)."
    from newstrace.ingest import store

    with db.conn:
        db.conn.execute("DELETE FROM claims")
        db.conn.execute("""
            INSERT INTO claims (id, claim_text, claim_type, speaker, first_seen, first_seen_month, first_article_id,
                                n_mentions, n_articles, n_outlets, languages, status)
            SELECT m.claim_id, MIN(m.sentence), MIN(m.claim_type), MIN(m.speaker), MIN(a.published),
                   MIN(a.published_month), MIN(m.article_id), COUNT(*), COUNT(DISTINCT m.article_id),
                   COUNT(DISTINCT a.sitename), json_group_array(DISTINCT m.lang), 'none'
            FROM claim_mentions m JOIN articles a ON a.id = m.article_id
            WHERE m.claim_id IS NOT NULL GROUP BY m.claim_id
        """)
        store.rebuild_fts(db, "claims")


def build(path, articles, seed=1, mode="bulk", claims="auto", resume=False, progress=True, jobs=0, months=60):
    from newstrace.ingest import store

    path = Path(path)
    meta_path = Path(str(path) + ".bench.json")
    if path.exists() and not resume:
        for suffix in ("", "-wal", "-shm", ".bench.json"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    need = articles * BYTES_PER_ARTICLE * 1.2 + 200_000_000
    free = free_bytes(path.parent)
    if free < need:
        sys.exit(f"Not enough free disk for {articles:,} articles at {path.parent}: about {human_bytes(need)} "
                 f"needed (measured {human_bytes(BYTES_PER_ARTICLE)} per article, plus 20 % and 200 MB for "
                 f"building), {human_bytes(free)} free. Choose another --db location or a smaller --articles.")
    path.parent.mkdir(parents=True, exist_ok=True)
    timings = {}
    t0 = time.perf_counter()
    db, fallback = open_archive(path)
    gen = TextGen(seed=seed, months=months)
    initiatives = ensure_reference(db, gen)
    timings["open"] = time.perf_counter() - t0
    if claims == "auto" and articles > 10_000:
        claims = "synthetic"
    if claims == "auto":
        try:
            from newstrace.ingest.claims import trace  # noqa: F401
            claims = "trace"
        except ImportError:
            claims = "synthetic"
    claim_pool = max(1000, articles // 3)
    have = db.conn.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM articles").fetchone()
    next_mention = db.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM claim_mentions").fetchone()[0]
    done, next_article = have[0], have[1] + 1
    if done:
        gen.rng.seed(seed * 1_000_003 + done)  # resuming: new articles, not a replay of the first ones
    t0 = time.perf_counter()
    gen_seconds = 0.0
    last_report = time.monotonic()
    ids = []

    def progress_line():
        rate = done / max(time.perf_counter() - t0, 1e-9)
        print(f"  {done:,}/{articles:,} articles, {rate:,.0f}/s, ETA {(articles - done) / max(rate, 1e-9) / 60:.1f} min",
              file=sys.stderr, flush=True)

    if mode == "bulk":
        # a bigger page cache keeps the growing indexes (FTS, url, canonical_url) in memory while building
        db.execute("PRAGMA cache_size=-1000000")
    if mode == "bulk" and jobs:
        import multiprocessing

        plan, first = [], next_article
        while done + sum(n for _, n in plan) < articles:
            n = min(CHUNK, articles - done - sum(n for _, n in plan))
            plan.append((first, n))
            first += n
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs, initializer=_worker_init,
                      initargs=(seed, claim_pool, initiatives, claims == "synthetic", months)) as pool:
            for rows in pool.imap(_worker_chunk, plan):
                gen_seconds += rows["seconds"]
                start = rows["articles"][0][0]
                next_mention = write_chunk(db, rows, next_mention)
                next_article = rows["next_article"]
                ids.extend(range(start, next_article))
                done += next_article - start
                if progress and time.monotonic() - last_report > 15:
                    last_report = time.monotonic()
                    progress_line()
    while done < articles:
        n = min(CHUNK if mode == "bulk" else 200, articles - done)
        g0 = time.perf_counter()
        items = [synth(gen, next_article + i, claim_pool, initiatives) for i in range(n)]
        gen_seconds += time.perf_counter() - g0
        if mode == "bulk":
            first = next_article
            next_article, next_mention = bulk_write(db, items, next_article, next_mention, claims == "synthetic")
            ids.extend(range(first, next_article))
        else:
            for task, fetched, page, derived, _ in items:
                outcome, aid = store.record_page(db, task, fetched, page, derived)
                ids.append(aid)
                next_article = aid + 1
        done += n
        if progress and time.monotonic() - last_report > 15:
            last_report = time.monotonic()
            progress_line()
    if mode == "bulk" and jobs:
        # generation ran in the workers beside the writes: "store" is this process's wall time
        # generation ran in the workers, overlapped with the writes: "store" is this process's wall time
        timings["generate"] = gen_seconds
        timings["store"] = time.perf_counter() - t0
    else:
        timings["generate"] = gen_seconds
        timings["store"] = time.perf_counter() - t0 - gen_seconds
    if mode == "pages" and claims == "synthetic":
        _link_claims_by_sentence(db, gen, claim_pool)
    t0 = time.perf_counter()
    claim_note = claims
    if claims == "trace":
        from newstrace.ingest.pipeline import finish_batch

        try:
            finish_batch(db, set(ids))
        except Exception as err:  # report and fall back: the views still need claims to show
            claim_note = f"trace failed ({type(err).__name__}: {err}); synthetic"
            _link_claims_by_sentence(db, gen, claim_pool)
            synthetic_claims(db)
    else:
        synthetic_claims(db)
        with db.conn:  # the synthetic claims stand for the tracer's work: nothing is left to trace
            db.conn.execute("DELETE FROM claim_trace_pending")
        store.refresh_initiative_counts(db)
    timings["claims"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["checkpoint"] = time.perf_counter() - t0
    db.conn.close()
    t0 = time.perf_counter()
    finish(path, claims_synthetic=claim_note != "trace")
    timings["indexes, optimize"] = time.perf_counter() - t0
    import sqlite3

    db = sqlite3.connect(str(path))
    counts = {t: db.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0]
              for t in ("articles", "claim_mentions", "claims", "country_mentions", "participation")}
    size = path.stat().st_size
    info = {"articles": articles, "seed": seed, "months": months, "mode": mode, "claims": claim_note, "jobs": jobs, "fallback": fallback,
            "timings": timings, "counts": counts, "bytes": size, "complete": True}
    meta_path.write_text(json.dumps(info, indent=1), encoding="utf-8")
    db.close()
    return info


def synthetic_edges(db):
    """claim_edges as trace keeps them, for synthetic claims: speaker -> the article's outlet (the synthetic
    chains are [speaker]), counted over every mention, so a claim page reads its chain as it does after
    a real trace."""
    with db.conn:
        db.conn.execute("DELETE FROM claim_edges")
        db.conn.execute("""
            INSERT INTO claim_edges (claim_id, source, source_kind, target, target_kind, n_mentions, first_seen)
            SELECT m.claim_id, m.speaker, 'speaker', COALESCE(a.sitename, a.hostname), 'outlet', COUNT(*),
                   MIN(a.published)
            FROM claim_mentions m JOIN articles a ON a.id = m.article_id
            WHERE m.claim_id IS NOT NULL AND m.speaker IS NOT NULL
            GROUP BY m.claim_id, m.speaker, COALESCE(a.sitename, a.hostname)
        """)


# initiatives the text found, as an ingest of real news would leave them: one per 100 articles (10,000 at 1M),
# Zipf-named (a few in thousands of articles, most in one or two), a tenth of them editions of a series
DISCOVERED_PER_ARTICLES = 100
DISCOVERED_KINDS = ("agreement", "trade_deal", "partnership", "forum", "summit", "sanctions", "coalition",
                    "action_plan", "dialogue", "organisation")
BENCH_ROLES = ("member", "party", "signatory", "participant", "host", "chair", "joined", "target", "mentioned")


def discovered_initiatives(db, seed=7, count=None):
    """Text-found initiatives with their initiative_mentions and participation rows, written through the
    same columns an ingest fills (source 'text', first/last seen, series/year for editions), then the
    initiative summaries and counts rebuilt. `count`: how many (default one per DISCOVERED_PER_ARTICLES articles).
    Returns how many were made."""
    import random

    from newstrace.ingest import store
    from newstrace.ingest.store.summaries import REBUILD_SQL

    conn = db.conn
    top = conn.execute("SELECT MAX(id) FROM articles").fetchone()[0] or 0
    count = count or top // DISCOVERED_PER_ARTICLES
    if count < 10:
        return 0
    rng = random.Random(seed)
    codes = [r[0] for r in conn.execute("SELECT code FROM countries WHERE code != 'EU' ORDER BY code")]
    series = [r[0] for r in conn.execute("SELECT id FROM initiatives WHERE id LIKE '%-summit' ORDER BY id")] or [None]
    rows, mentions, parts = [], [], []
    for n in range(1, count + 1):
        kind = DISCOVERED_KINDS[n % len(DISCOVERED_KINDS)]
        a, b = rng.sample(codes, 2)
        edition = n % 10 == 0 and series[0]
        if edition:
            sid, year = series[n % len(series)], 2021 + n % 6
            iid, name = f"{sid}-{year}-{n}", f"{sid} ({year}) #{n}"
        else:
            sid = year = None
            iid, name = f"bench-{a.lower()}-{b.lower()}-{kind}-{n}", f"{a}–{b} {kind.replace('_', ' ')} #{n}"
        rows.append((iid, name, json.dumps([f"{a}-{b} {kind} {n}"]), kind, "text", sid, year, json.dumps([a, b])))
        # Zipf: initiative n is named in about N/(n*H) articles; every one at least once
        k = max(1, int(top * 0.2 / (n * 9.8)))
        for article in rng.sample(range(1, top + 1), min(k, top)):
            mentions.append((article, iid, name, 0, len(name), "coined"))
            if rng.random() < 0.3:
                role = rng.choice(BENCH_ROLES)
                parts.append((iid, rng.choice((a, b)), role, "announced", article,
                              f"{a} and {b} announced the {name}.", "cue", 0.8))
    with conn:
        conn.executemany("INSERT OR IGNORE INTO initiatives (id, name_en, aliases, kind, source, series, year, parties)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO initiative_mentions (article_id, initiative_id, surface, char_start, char_end,"
                         " how) VALUES (?, ?, ?, ?, ?, ?)", mentions)
        conn.executemany("INSERT INTO participation (initiative_id, country, role, status, article_id, evidence,"
                         " method, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", parts)
        conn.execute("UPDATE participation SET valid_from = (SELECT a.published FROM articles a "
                     "WHERE a.id = participation.article_id) WHERE valid_from IS NULL AND method = 'cue'")
        counted = conn.execute("SELECT 1 FROM summary_articles LIMIT 1").fetchone()
        if counted:
            # the summaries of participation and initiative mentions (the map's roles too), counted again
            fed = ("initiative_month_counts", "initiative_country_counts", "country_role_counts")
            for table in fed:
                conn.execute(f"DELETE FROM {table}")
            for statement in REBUILD_SQL:
                if statement.split("INSERT INTO", 1)[1].split()[0] in fed:
                    conn.execute(statement)
        for column, agg in (("first_seen", "MIN"), ("last_seen", "MAX")):
            conn.execute(f"UPDATE initiatives SET {column} = (SELECT {agg}(a.published) FROM initiative_mentions m "
                         f"JOIN articles a ON a.id = m.article_id WHERE m.initiative_id = initiatives.id) "
                         f"WHERE source = 'text'")
    if not counted:
        # the bulk loader writes no summaries; an ingest's finish_batch would make them (refresh_summaries)
        store.rebuild_summaries(db)
    store.refresh_initiative_counts(db)
    return count


def finish(path, claims_synthetic=None, discovered=None):
    """What an archive needs before it is served: the schema's current indexes, triggers and summaries
    (CREATE ... IF NOT EXISTS, so an archive built before one was added gets it; the summary tables counted
    unless store.ensure_summaries finds them current), synthetic claim_edges
    when tracing was not run, and `newstrace optimize` — the README tells users to run it after a large
    ingest: without statistics and row sizes SQLite reads the wide article rows instead of the covering
    index. Returns seconds per step."""
    import sqlite3

    from newstrace.ingest import store
    from newstrace.ingest.store.schema import FACETS, SCHEMA

    class _Db:  # store's functions want db.conn
        pass

    steps = {}
    conn = sqlite3.connect(str(path))
    wrapper = _Db()
    wrapper.conn = conn
    try:
        t0 = time.perf_counter()
        conn.execute("PRAGMA cache_size=-1000000")
        missing = [table for table in FACETS if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = ?", [f"{table}_facet_counts"]).fetchone()]
        store.migrate(conn)
        conn.executescript(SCHEMA)
        steps["indexes"] = time.perf_counter() - t0
        if missing:
            t0 = time.perf_counter()
            for table in missing:
                store.rebuild_facet_counts(wrapper, table)
            steps["facet counts"] = time.perf_counter() - t0
        if claims_synthetic is None:
            claims_synthetic = not conn.execute("SELECT 1 FROM claim_blocks LIMIT 1").fetchone()
        if claims_synthetic and not conn.execute("SELECT 1 FROM claim_edges LIMIT 1").fetchone():
            t0 = time.perf_counter()
            synthetic_edges(wrapper)
            steps["edges"] = time.perf_counter() - t0
        if not conn.execute("SELECT 1 FROM initiatives WHERE source = 'text' LIMIT 1").fetchone():
            t0 = time.perf_counter()
            n = discovered_initiatives(wrapper, count=discovered)
            if n:
                steps[f"discovered initiatives ({n:,})"] = time.perf_counter() - t0
        # the bulk loader writes no summaries (write_derived does, per page): counted here as open_db would
        t0 = time.perf_counter()
        if store.ensure_summaries(wrapper):
            steps["summaries"] = time.perf_counter() - t0
        # statistics with row sizes, and for every index (one the schema added since has none)
        optimized = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() and \
            conn.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'articles' AND idx IS NULL AND stat LIKE '% sz=%'"
                         ).fetchone() and not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles' AND name NOT IN "
                "(SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL) LIMIT 1").fetchone()
        if not optimized:
            t0 = time.perf_counter()
            # full statistics: with PRAGMA analysis_limit=2000 the 1M archive's planner went back to the wide
            # article rows for `id IN (search)` (a 1 % search: 150 ms instead of about 30)
            store.optimize(wrapper)
            steps["optimize"] = time.perf_counter() - t0
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return steps


def _link_claims_by_sentence(db, gen, claim_pool):
    "For mentions stored without a claim id: the claim whose sentence they are (keys are deterministic)."
    sentences = {}
    for key in range(claim_pool):
        for lang in ("en", "zh"):
            sentences.setdefault(gen.claim_sentence(key, lang)["sentence"], key + 1)
    rows = db.conn.execute("SELECT id, sentence FROM claim_mentions WHERE claim_id IS NULL").fetchall()
    with db.conn:
        db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?",
                            [(sentences.get(s), i) for i, s in rows])


def report(path, info, write=True):
    t = info["timings"]
    total = sum(v for k, v in t.items() if not (k == "generate" and info.get("jobs")))
    rows = [[f"{info['articles']:,}", info["mode"] + (f", {info['jobs']} generator processes" if info.get("jobs") else ""),
             info["claims"], f"{t['generate']:.1f}", f"{t['store']:.1f}",
             f"{t['claims']:.1f}", f"{total:.1f}", f"{info['articles'] / total:,.0f}", human_bytes(info["bytes"]),
             f"{info['bytes'] / info['articles']:,.0f}"]]
    text = table(["articles", "mode", "claims", "generate s", "store s", "claims s", "total s", "articles/s",
                  "db size", "bytes/article"], rows)
    counts = ", ".join(f"{k} {v:,}" for k, v in info["counts"].items())
    notes = [f"Rows: {counts}."]
    if info.get("fallback"):
        notes.append(f"Note: {info['fallback']}.")
    jobs = f" --jobs {info['jobs']}" if info.get("jobs") else ""
    claims = f" --claims {info['claims']}" if info["claims"] in ("synthetic", "trace") else ""
    months = f" --months {info['months']}" if info.get("months", 60) != 60 else ""
    body = (f"`python bench/make_archive.py --articles {info['articles']} --db {path} --mode {info['mode']}{jobs}{claims}{months}`\n\n"
            + text + "\n\n" + "\n".join(notes) + "\n")
    print(text)
    print("\n".join(notes))
    if write:
        write_section(f"archive-{info['articles']}", f"Synthetic archive, {info['articles']:,} articles", body)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="How many articles to build (not with --finish).")
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=("bulk", "pages"), default="bulk")
    parser.add_argument("--claims", choices=("auto", "trace", "synthetic"), default="auto")
    parser.add_argument("--jobs", type=int, default=0,
                        help="Generator processes for --mode bulk (0: generate in this process, the same rows as "
                             "--mode pages; N: chunks generated in N workers with per-chunk seeds).")
    parser.add_argument("--months", type=int, default=60,
                        help="Publication dates over the last N months up to February 2026 (default 60, five years; "
                             "a partitioned copy has one partition a month).")
    parser.add_argument("--resume", action="store_true", help="Keep the articles already in --db and add the rest.")
    parser.add_argument("--no-results", action="store_true", help="Do not write bench/RESULTS.md.")
    parser.add_argument("--finish", action="store_true",
                        help="Build nothing: bring the archive --db to what the views are measured on (finish(): "
                             "current schema and summaries, ~1 discovered initiative per 100 articles when it has "
                             "none, statistics) and print the seconds per step.")
    parser.add_argument("--discovered", type=int, default=None,
                        help="How many text-found initiatives finish() adds to an archive that has none (default: "
                             f"one per {DISCOVERED_PER_ARTICLES} articles, 10,000 at 1M).")
    args = parser.parse_args(argv)
    if args.finish:
        for step, seconds in finish(args.db, discovered=args.discovered).items():
            print(f"{step}: {seconds:.1f} s")
        return
    if not args.articles:
        parser.error("--articles is required (or --finish)")
    info = build(args.db, args.articles, seed=args.seed, mode=args.mode, claims=args.claims, resume=args.resume,
                 jobs=args.jobs, months=args.months)
    report(args.db, info, write=not args.no_results)


if __name__ == "__main__":
    main()
