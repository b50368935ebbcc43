"""Every table newstrace writes. Names and columns are a public interface (see README.md)."""

ARCHIVE_SCHEMA = """
-- the long columns last: reading any column before them never touches their overflow pages (comments stay
-- outside the column lists: SQLite's ALTER TABLE ... DROP COLUMN rewrites that text and fails on them)
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    canonical_url TEXT NOT NULL UNIQUE,
    title TEXT,
    author TEXT,
    sitename TEXT,
    hostname TEXT,
    published TEXT,
    published_month TEXT,
    language TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    countries TEXT NOT NULL DEFAULT '[]',
    word_count INTEGER,
    content_hash TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    first_fetched TEXT,
    last_fetched TEXT,
    source TEXT,
    duplicate_of INTEGER REFERENCES articles(id),
    excerpt TEXT,
    text TEXT
);
CREATE INDEX IF NOT EXISTS idx_articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS idx_articles_final_url ON articles(final_url);
CREATE INDEX IF NOT EXISTS idx_articles_content_hash ON articles(content_hash);
-- outlet and month lead two composite indexes (replacing single-column ones): a reader's facet clicks
-- (sitename=, published_month=, language=) are then counted, faceted and sorted by date inside an index
-- instead of looking up tens of thousands of article rows (1M articles, the largest outlet: 61,705 rows)
DROP INDEX IF EXISTS idx_articles_sitename;
DROP INDEX IF EXISTS idx_articles_published_month;
CREATE INDEX IF NOT EXISTS idx_articles_site_month ON articles(sitename, published_month, language, published);
CREATE INDEX IF NOT EXISTS idx_articles_month_language ON articles(published_month, language, published);
CREATE INDEX IF NOT EXISTS idx_articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published);
-- Datasette's date facet groups by date(published): this index answers it without sorting (1M articles:
-- 370 -> 85 ms)
CREATE INDEX IF NOT EXISTS idx_articles_published_date ON articles(date(published));
CREATE INDEX IF NOT EXISTS idx_articles_author ON articles(author);

CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id),
    version INTEGER,
    url TEXT,
    fetched_at TEXT,
    http_status INTEGER,
    headers TEXT,
    content_type TEXT,
    encoding TEXT,
    size INTEGER,
    sha256 TEXT,
    body BLOB
);
CREATE INDEX IF NOT EXISTS idx_snapshots_article ON snapshots(article_id);
CREATE INDEX IF NOT EXISTS idx_snapshots_sha256 ON snapshots(sha256);

CREATE TABLE IF NOT EXISTS article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    title TEXT,
    text TEXT,
    content_hash TEXT,
    snapshot_id INTEGER REFERENCES snapshots(id),
    fetched_at TEXT,
    UNIQUE (article_id, version)
);

CREATE TABLE IF NOT EXISTS fetch_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    url TEXT,
    source TEXT,
    outcome TEXT NOT NULL,
    stage TEXT,
    error_class TEXT,
    message TEXT,
    http_status INTEGER,
    article_id INTEGER REFERENCES articles(id)
);
CREATE INDEX IF NOT EXISTS idx_fetch_log_url ON fetch_log(url);

-- A canonical URL a page declared on another site than the one it was fetched from is a claim, kept here.
-- status: identity (the article is stored under it: no article of another site held it), refused (an
-- article fetched from another site holds it, holder_id: this page is stored under its own URL beside it,
-- never over it), evicted (this article held it until the page fetched from that site itself arrived,
-- holder_id; it is now stored under its own URL).
CREATE TABLE IF NOT EXISTS canonical_claims (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    canonical_url TEXT NOT NULL,
    status TEXT NOT NULL,
    holder_id INTEGER REFERENCES articles(id),
    at TEXT,
    PRIMARY KEY (article_id, canonical_url)
);
CREATE INDEX IF NOT EXISTS idx_canonical_claims_url ON canonical_claims(canonical_url);
CREATE INDEX IF NOT EXISTS idx_fetch_log_outcome ON fetch_log(outcome);

-- External-content FTS: the index holds CJK characters spaced out (see cjk.py), the text itself lives
-- once, in articles. Never run 'rebuild' on these: it would index the unspaced text.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content="articles", content_rowid="id", tokenize="porter unicode61 remove_diacritics 2"
);

-- indexes for scale (bench)
-- The short columns of every article in one covering index: searches, counts and facets over many
-- matching articles (and the claim page's joins) read it instead of the wide rows holding the text
-- (bench/RESULTS.md: a 30 % search at 100k articles, count 91 -> 18 ms, a facet 84 -> 39 ms).
CREATE INDEX IF NOT EXISTS idx_articles_cover ON articles(
    id, sitename, language, published_month, author, published, hostname, duplicate_of, countries
);
"""

CLAIMS_SCHEMA = """
-- status_by, status_independent, status_at: where status comes from (independent verdicts first, then the
-- outlets' own word, then the claim's origin's own); comments stay outside the column list, which SQLite
-- rewrites when a column is dropped
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    claim_text TEXT,
    claim_type TEXT,
    speaker TEXT,
    first_seen TEXT,
    first_seen_month TEXT,
    first_article_id INTEGER REFERENCES articles(id),
    n_mentions INTEGER,
    n_articles INTEGER,
    n_outlets INTEGER,
    languages TEXT NOT NULL DEFAULT '[]',
    status TEXT,
    status_conflict INTEGER NOT NULL DEFAULT 0,
    has_variants INTEGER NOT NULL DEFAULT 0,
    status_by TEXT,
    status_independent INTEGER,
    status_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_claims_type ON claims(claim_type);
CREATE INDEX IF NOT EXISTS idx_claims_status ON claims(status);
CREATE INDEX IF NOT EXISTS idx_claims_speaker ON claims(speaker);

-- published and outlet (COALESCE(sitename, hostname)) are the article's, copied like published_month: a
-- claim page orders and groups its mentions from indexes instead of joining every one to its article.
-- status_by / status_independent: who confirmed, disputed, denied or declined to confirm in this mention, and
-- whether that party is independent of the claim's origin (1), its own word (0) or unknown (NULL)
CREATE TABLE IF NOT EXISTS claim_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    segment TEXT,
    sentence TEXT,
    char_start INTEGER,
    char_end INTEGER,
    lang TEXT,
    published_month TEXT,
    claim_type TEXT,
    speaker TEXT,
    speaker_text TEXT,
    cited_source TEXT,
    attribution_mode TEXT,
    verification_status TEXT,
    hedge_text TEXT,
    hedge_scope TEXT,
    quantities TEXT NOT NULL DEFAULT '[]',
    chain TEXT NOT NULL DEFAULT '[]',
    claim_id INTEGER REFERENCES claims(id),
    extractor TEXT,
    confidence REAL,
    published TEXT,
    outlet TEXT,
    status_by TEXT,
    status_independent INTEGER
);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_article ON claim_mentions(article_id);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_claim ON claim_mentions(claim_id);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_type ON claim_mentions(claim_type);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_status ON claim_mentions(verification_status);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_mode ON claim_mentions(attribution_mode);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_speaker ON claim_mentions(speaker);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_cited ON claim_mentions(cited_source);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_lang ON claim_mentions(lang);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_month ON claim_mentions(published_month);

-- When two claims merge the older id survives; links to the other keep working through this table.
CREATE TABLE IF NOT EXISTS claim_redirects (
    old_id INTEGER PRIMARY KEY,
    new_id INTEGER NOT NULL REFERENCES claims(id)
);

-- Which claim each mention belonged to, by (article, sentence key) and (article, char_start): mentions
-- are deleted and re-inserted on every re-ingest/reextract, so this is what keeps claim ids stable.
-- sentence_key: trace.sentence_key, an integer from the sentence hash (the by-start lookup is done in Python
-- over the article's rows, so the primary key serves both).
CREATE TABLE IF NOT EXISTS claim_keys (
    article_id INTEGER NOT NULL,
    sentence_key INTEGER NOT NULL,
    char_start INTEGER,
    claim_id INTEGER NOT NULL,
    PRIMARY KEY (article_id, sentence_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_claim_keys_claim ON claim_keys(claim_id);

-- Blocking index of the clustering: the language-neutral and surface tokens of each mention (postings read
-- rarest block first, so the key is (block, mention_id)). A re-ingested article's postings are deleted
-- through this key, from the tokens claim_features kept: no index by article.
CREATE TABLE IF NOT EXISTS claim_blocks (
    block TEXT NOT NULL,
    mention_id INTEGER NOT NULL,
    PRIMARY KEY (block, mention_id)
) WITHOUT ROWID;

-- How many mentions carry each block: lets a batch pick a mention's rarest blocks without counting postings.
CREATE TABLE IF NOT EXISTS claim_block_df (
    block TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;

-- What the claims row is computed from, kept so that a claim gaining mentions is updated without reading
-- all its old ones (claims/trace/summary.py: counts, earliest mentions, outlets, statuses, figures, chain edges; JSON).
-- Only claims of trace.STATE_MIN_MENTIONS mentions or more: a smaller one is folded again from its mentions.
CREATE TABLE IF NOT EXISTS claim_state (
    claim_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL
);

-- Sentence embeddings of the optional model matcher (--matcher model), by sentence hash: computed once per
-- sentence, kept across re-ingest and reextract. float16, 512 values.
CREATE TABLE IF NOT EXISTS claim_embeddings (
    sentence_hash TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
) WITHOUT ROWID;

-- The tokens of each mention (trace.dump_features: its blocks, one per line), so a batch need not recompute
-- its neighbours' and knows which postings to delete when the mention's article is traced again.
CREATE TABLE IF NOT EXISTS claim_features (
    mention_id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_claim_features_article ON claim_features(article_id);

-- The reporting chain of a claim: "reported by" edges speaker -> outlet(s) -> the article's outlet.
CREATE TABLE IF NOT EXISTS claim_edges (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    source TEXT NOT NULL,
    source_kind TEXT,
    target TEXT NOT NULL,
    target_kind TEXT,
    n_mentions INTEGER,
    first_seen TEXT,
    PRIMARY KEY (claim_id, source, target)
);

-- Counters of the tracer (next claim id: ids are never reused, so a saved link never shows another claim).
CREATE TABLE IF NOT EXISTS claim_trace_state (
    name TEXT PRIMARY KEY,
    value INTEGER
);

-- Articles whose mentions were (re)written and not yet traced: filled in each page's own transaction, emptied
-- after the tracer has committed. A killed ingest or reextract leaves them here and the next run traces them.
CREATE TABLE IF NOT EXISTS claim_trace_pending (
    article_id INTEGER PRIMARY KEY
);

CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(
    claim_text, content="claims", content_rowid="id", tokenize="porter unicode61 remove_diacritics 2"
);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_mentions_fts USING fts5(
    sentence, content="claim_mentions", content_rowid="id", tokenize="porter unicode61 remove_diacritics 2"
);

-- indexes for scale (bench)
-- a claim page orders, pages and groups its mentions (timeline by outlet and month) from this index alone
CREATE INDEX IF NOT EXISTS idx_claim_mentions_claim_cover ON claim_mentions(
    claim_id, article_id, char_start, verification_status, attribution_mode, published_month
);
-- a claim page's evidence in date order, a page at a time, and its timeline's GROUP BY, from indexes
-- alone (a claim of 28,636 mentions at 1M articles: page 38 -> 1 ms, timeline 60 -> 8 ms; bench/RESULTS.md);
-- the latest rated mention from a partial index of the few rated ones
CREATE INDEX IF NOT EXISTS idx_claim_mentions_claim_date ON claim_mentions(
    claim_id, COALESCE(published, '9999'), article_id, char_start
);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_claim_timeline ON claim_mentions(
    claim_id, outlet, published_month, verification_status, attribution_mode
);
CREATE INDEX IF NOT EXISTS idx_claim_mentions_claim_rated ON claim_mentions(
    claim_id, COALESCE(published, '9999'), article_id, char_start
) WHERE verification_status IN ('confirmed', 'disputed', 'denied');
-- the claims table's default order (sort_desc n_mentions): its first page without sorting every claim
CREATE INDEX IF NOT EXISTS idx_claims_n_mentions ON claims(n_mentions);
-- a click on one of the claims page's facets (their counts come from claims_facet_counts); the languages
-- index served only the whole-table facet, and languages__arraycontains cannot use an index
CREATE INDEX IF NOT EXISTS idx_claims_first_seen_month ON claims(first_seen_month);
CREATE INDEX IF NOT EXISTS idx_claims_status_conflict ON claims(status_conflict);
CREATE INDEX IF NOT EXISTS idx_claims_has_variants ON claims(has_variants);
DROP INDEX IF EXISTS idx_claims_languages;
"""

# the roles that make a country one of an initiative's participants (plugin/initiatives.py PARTICIPANT_ROLES)
INITIATIVE_PARTICIPANT_ROLES = ("host", "chair", "member", "joined", "signatory", "ratified", "party", "partner",
                                "participant", "observer")

COUNTRIES_SCHEMA = """
CREATE TABLE IF NOT EXISTS countries (
    code TEXT PRIMARY KEY,
    name TEXT,
    name_zh TEXT,
    alpha3 TEXT,
    numeric TEXT,
    capital TEXT,
    capital_zh TEXT,
    lat REAL,
    lng REAL,
    blocs TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS initiatives (
    id TEXT PRIMARY KEY,
    name_en TEXT,
    name_zh TEXT,
    aliases TEXT NOT NULL DEFAULT '[]',
    kind TEXT,
    successor_of TEXT REFERENCES initiatives(id),
    description TEXT,
    participants_claimed INTEGER,
    participants_named INTEGER,
    source TEXT,
    first_seen TEXT,
    last_seen TEXT,
    series TEXT,
    year INTEGER,
    place TEXT,
    parent TEXT,
    parties TEXT NOT NULL DEFAULT '[]',
    members TEXT NOT NULL DEFAULT '[]',
    members_as_of TEXT,
    members_source TEXT,
    articles INTEGER
);
CREATE INDEX IF NOT EXISTS idx_initiatives_articles ON initiatives(articles DESC);
-- the initiatives list's own order (plugin/initiatives.py LIST_ORDER) and its kinds: a page of 10,000 discovered
-- initiatives read in order from the index, not sorted whole (100k archive: 5.9 -> 0.1 ms; page 50: 25 -> 0.6 ms)
CREATE INDEX IF NOT EXISTS idx_initiatives_list ON initiatives(COALESCE(articles, 0) DESC,
    lower(COALESCE(name_en, name_zh, id)), id);
CREATE INDEX IF NOT EXISTS idx_initiatives_kind ON initiatives(kind);
-- ... and sorted by name (plugin/initiatives.py LIST_NAME_ORDER): a page read in order, not every initiative sorted
CREATE INDEX IF NOT EXISTS idx_initiatives_name ON initiatives(lower(COALESCE(name_en, name_zh, id)),
    COALESCE(articles, 0) DESC, id);
-- an initiative page's editions, organs and successors (plugin/initiatives.py EDITIONS_SQL, RELATED_SQL,
-- SUCCESSORS_SQL): the few initiatives pointing at it, not a scan of every initiative (10,000 discovered ones at
-- 1M articles); partial, as most initiatives have none
CREATE INDEX IF NOT EXISTS idx_initiatives_series ON initiatives(series) WHERE series IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_initiatives_parent ON initiatives(parent) WHERE parent IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_initiatives_successor_of ON initiatives(successor_of) WHERE successor_of IS NOT NULL;
-- the countries map page orders and names each country's initiatives by these (plugin/countries.py
-- INITIATIVE_KEYS_SQL): every initiative read from narrow index entries, not its row with description and aliases
CREATE INDEX IF NOT EXISTS idx_initiatives_map ON initiatives(id, articles, name_en);

-- an initiative merged into another (an acronym found alone, then with its long form): old ids keep working
CREATE TABLE IF NOT EXISTS initiative_redirects (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL
);

-- where an article names an initiative (with or without a country in the sentence): its articles and
-- first appearance come from here
CREATE TABLE IF NOT EXISTS initiative_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    initiative_id TEXT NOT NULL,
    surface TEXT,
    char_start INTEGER,
    char_end INTEGER,
    how TEXT
);
CREATE INDEX IF NOT EXISTS idx_initiative_mentions_article ON initiative_mentions(article_id);
CREATE INDEX IF NOT EXISTS idx_initiative_mentions_initiative ON initiative_mentions(initiative_id, article_id);

CREATE TABLE IF NOT EXISTS country_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    country TEXT REFERENCES countries(code),
    surface TEXT,
    char_start INTEGER,
    char_end INTEGER,
    kind TEXT,
    reading TEXT
);
CREATE INDEX IF NOT EXISTS idx_country_mentions_article ON country_mentions(article_id);
CREATE INDEX IF NOT EXISTS idx_country_mentions_country ON country_mentions(country);

CREATE TABLE IF NOT EXISTS article_countries (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    country TEXT NOT NULL REFERENCES countries(code),
    PRIMARY KEY (article_id, country)
);
CREATE INDEX IF NOT EXISTS idx_article_countries_country ON article_countries(country, article_id);

CREATE TABLE IF NOT EXISTS participation (
    id INTEGER PRIMARY KEY,
    initiative_id TEXT REFERENCES initiatives(id),
    country TEXT REFERENCES countries(code),
    role TEXT,
    status TEXT,
    valid_from TEXT,
    valid_to TEXT,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    evidence TEXT,
    char_start INTEGER,
    char_end INTEGER,
    method TEXT,
    confidence REAL
);
CREATE INDEX IF NOT EXISTS idx_participation_article ON participation(article_id);
CREATE INDEX IF NOT EXISTS idx_participation_initiative ON participation(initiative_id, role);
CREATE INDEX IF NOT EXISTS idx_participation_country ON participation(country);
-- covers the map's role aggregation (country -> roles per initiative)
CREATE INDEX IF NOT EXISTS idx_participation_map ON participation(country, role, initiative_id, article_id);
-- a country's evidence articles in id order, from narrow entries: the country page pages them newest first from
-- this list (plugin/participation.py latest_ids: the set read once, a list built from it), which idx_participation_map
-- gives in (role, initiative) order and four times as wide (CN at 1M articles, 4,774 rows: 1.25 -> 0.46 ms)
CREATE INDEX IF NOT EXISTS idx_participation_country_article ON participation(country, article_id);

-- "more than 50 countries" said of an initiative in an article: kept beside the countries actually named
CREATE TABLE IF NOT EXISTS initiative_claimed_counts (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    initiative_id TEXT NOT NULL REFERENCES initiatives(id),
    claimed INTEGER NOT NULL,
    PRIMARY KEY (article_id, initiative_id)
);
-- the initiatives list's and an initiative page's claimed counts (initiatives.CLAIMED_SQL, INITIATIVE_CLAIMS_SQL)
-- for the initiatives shown, not a scan of every article's claims
CREATE INDEX IF NOT EXISTS idx_initiative_claimed_counts_initiative
    ON initiative_claimed_counts(initiative_id, claimed, article_id);

-- indexes for scale (bench)
-- a country page's surface and month aggregations read this index, not the mention rows
CREATE INDEX IF NOT EXISTS idx_country_mentions_cover ON country_mentions(country, article_id, surface, kind, reading);
-- an initiative page's participants by role and its evidence, from the index alone
CREATE INDEX IF NOT EXISTS idx_participation_initiative_cover ON participation(initiative_id, role, country, article_id);

-- summaries kept by store.write_derived in each page's transaction (store.rebuild_summaries makes them
-- from scratch): the country and initiative pages aggregate these instead of hundreds of thousands of
-- rows. month and language are '' when the article has none (primary key columns cannot be NULL).
-- what each article was counted under, so that a re-extraction removes exactly what it added
CREATE TABLE IF NOT EXISTS summary_articles (
    article_id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    language TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS country_month_counts (
    country TEXT NOT NULL,
    month TEXT NOT NULL,
    language TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (country, month, language)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS country_surface_counts (
    country TEXT NOT NULL,
    month TEXT NOT NULL,
    language TEXT NOT NULL,
    surface TEXT NOT NULL,
    kind TEXT NOT NULL,
    reading TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (country, month, language, surface, kind, reading)
) WITHOUT ROWID;
-- role '' counts the articles naming the initiative (a participation row or an initiative_mentions row)
CREATE TABLE IF NOT EXISTS initiative_month_counts (
    initiative_id TEXT NOT NULL,
    role TEXT NOT NULL,
    month TEXT NOT NULL,
    language TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, role, month, language)
) WITHOUT ROWID;
-- what the summaries were built under (store.summaries: name 'version' = SUMMARY_VERSION, 'built' = when
-- rebuild_summaries last counted every article, UTC); the pages read the summaries only when they are current
CREATE TABLE IF NOT EXISTS summary_state (
    name TEXT PRIMARY KEY,
    value
);
CREATE TABLE IF NOT EXISTS initiative_country_counts (
    initiative_id TEXT NOT NULL,
    role TEXT NOT NULL,
    country TEXT NOT NULL,
    month TEXT NOT NULL,
    language TEXT NOT NULL,
    articles INTEGER NOT NULL,
    evidence INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, role, country, month, language)
) WITHOUT ROWID;
-- an initiative page's countries per month (initiatives.INITIATIVE_MONTHS_SUMMARY_SQL): without it each month
-- read every row of the initiative (the 1M bench's largest initiative: 1,041 ms, with it a few)
CREATE INDEX IF NOT EXISTS idx_initiative_country_counts_month
    ON initiative_country_counts(initiative_id, month, country, role, language);
"""

INITIATIVE_TOTALS_SCHEMA = """
-- An initiative's totals over every article (the initiatives list and an initiative page without date or language
-- filters read these, one row an initiative, instead of its month-by-month summary rows: 10,000 discovered
-- initiatives at 1M articles). Kept by the triggers below from the two summaries above, so every writer of the
-- summaries (write_derived, rebuild_summaries, a bulk loader's counting) keeps them; store.rebuild_initiative_totals
-- counts them again from the summaries (an archive from before them, a repair).
--   articles: articles naming it (initiative_month_counts, role ''); first_month/last_month: of those, dated;
--   countries: countries named with it in any role; participants_named: in a participant role
--   (INITIATIVE_PARTICIPANT_ROLES, as the list counts them)
CREATE TABLE IF NOT EXISTS initiative_totals (
    initiative_id TEXT PRIMARY KEY,
    articles INTEGER NOT NULL DEFAULT 0,
    countries INTEGER NOT NULL DEFAULT 0,
    participants_named INTEGER NOT NULL DEFAULT 0,
    first_month TEXT,
    last_month TEXT
) WITHOUT ROWID;
-- how many initiative_country_counts rows each (initiative, country) has, in any role and in a participant role:
-- a country is counted once, while it has one
CREATE TABLE IF NOT EXISTS initiative_country_totals (
    initiative_id TEXT NOT NULL,
    country TEXT NOT NULL,
    rows INTEGER NOT NULL,
    participant_rows INTEGER NOT NULL,
    PRIMARY KEY (initiative_id, country)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS initiative_totals_country_insert AFTER INSERT ON initiative_country_counts BEGIN
    INSERT INTO initiative_country_totals (initiative_id, country, rows, participant_rows)
    VALUES (NEW.initiative_id, NEW.country, 1, NEW.role IN ({roles}))
    ON CONFLICT DO UPDATE SET rows = rows + 1, participant_rows = participant_rows + (NEW.role IN ({roles}));
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_country_delete AFTER DELETE ON initiative_country_counts BEGIN
    UPDATE initiative_country_totals SET rows = rows - 1, participant_rows = participant_rows - (OLD.role IN ({roles}))
    WHERE initiative_id = OLD.initiative_id AND country = OLD.country;
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_pair_insert AFTER INSERT ON initiative_country_totals BEGIN
    INSERT INTO initiative_totals (initiative_id, countries, participants_named)
    VALUES (NEW.initiative_id, NEW.rows > 0, NEW.participant_rows > 0)
    ON CONFLICT DO UPDATE SET countries = countries + (NEW.rows > 0),
                              participants_named = participants_named + (NEW.participant_rows > 0);
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_pair_update AFTER UPDATE ON initiative_country_totals BEGIN
    UPDATE initiative_totals SET countries = countries + (NEW.rows > 0) - (OLD.rows > 0),
        participants_named = participants_named + (NEW.participant_rows > 0) - (OLD.participant_rows > 0)
    WHERE initiative_id = NEW.initiative_id;
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_month_insert AFTER INSERT ON initiative_month_counts
WHEN NEW.role = '' BEGIN
    INSERT INTO initiative_totals (initiative_id, articles, first_month, last_month)
    VALUES (NEW.initiative_id, NEW.articles, NULLIF(NEW.month, ''), NULLIF(NEW.month, ''))
    ON CONFLICT DO UPDATE SET articles = articles + NEW.articles,
        first_month = CASE WHEN NEW.month = '' THEN first_month ELSE MIN(COALESCE(first_month, NEW.month), NEW.month) END,
        last_month = CASE WHEN NEW.month = '' THEN last_month ELSE MAX(COALESCE(last_month, NEW.month), NEW.month) END;
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_month_update AFTER UPDATE OF articles ON initiative_month_counts
WHEN NEW.role = '' BEGIN
    UPDATE initiative_totals SET articles = articles + NEW.articles - OLD.articles
    WHERE initiative_id = NEW.initiative_id;
END;
CREATE TRIGGER IF NOT EXISTS initiative_totals_month_delete AFTER DELETE ON initiative_month_counts
WHEN OLD.role = '' BEGIN
    UPDATE initiative_totals SET articles = articles - OLD.articles,
        first_month = (SELECT MIN(NULLIF(month, '')) FROM initiative_month_counts
                       WHERE initiative_id = OLD.initiative_id AND role = ''),
        last_month = (SELECT MAX(NULLIF(month, '')) FROM initiative_month_counts
                      WHERE initiative_id = OLD.initiative_id AND role = '')
    WHERE initiative_id = OLD.initiative_id;
END;
""".replace("{roles}", ", ".join(f"'{r}'" for r in INITIATIVE_PARTICIPANT_ROLES))
COUNTRIES_SCHEMA += INITIATIVE_TOTALS_SCHEMA

ROLE_COUNTS_SCHEMA = """
-- the countries map's roles: articles giving a country a role (in any initiative; role '' when the row has none)
-- counted once per (country, role), which the per-initiative rows above cannot give (an article naming a country
-- as a member of two initiatives is one article). The map with 10,000 discovered initiatives at 1M articles read
-- every participation row for it at each request (bench/RESULTS.md). A single file's summary only: a partitioned
-- archive's archive-wide database does not keep it (its map counts roles in each partition). store.migrate fills
-- it in an archive from before it.
CREATE TABLE IF NOT EXISTS country_role_counts (
    country TEXT NOT NULL,
    role TEXT NOT NULL,
    month TEXT NOT NULL,
    language TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (country, role, month, language)
) WITHOUT ROWID;
"""
COUNTRIES_SCHEMA += ROLE_COUNTS_SCHEMA

# The values the `articles` and `claims` table pages facet on by default (metadata.json, facet type
# "counts" in plugin/facets.py), counted for the whole table in `<table>_facet_counts`: with no filter a
# page reads these few rows instead of grouping a million rows once per facet (bench/RESULTS.md). Triggers
# keep them, so every writer — ingest, reextract, the tracer, a user's own UPDATE — keeps them true.
# (facet name, expression over the row, the column it reads, whether that column is a JSON array)
FACETS = {
    "articles": (
        ("sitename", "{row}.sitename", "sitename", False),
        ("language", "{row}.language", "language", False),
        ("published_month", "{row}.published_month", "published_month", False),
        ("author", "{row}.author", "author", False),
        ("date(published)", "date({row}.published)", "published", False),
        ("countries", "{row}.countries", "countries", True),
    ),
    "claims": (
        ("claim_type", "{row}.claim_type", "claim_type", False),
        ("status", "{row}.status", "status", False),
        ("speaker", "{row}.speaker", "speaker", False),
        ("first_seen_month", "{row}.first_seen_month", "first_seen_month", False),
        ("status_conflict", "{row}.status_conflict", "status_conflict", False),
        ("has_variants", "{row}.has_variants", "has_variants", False),
        ("languages", "{row}.languages", "languages", True),
    ),
}


def _array(expr):
    # a hand-edited, invalid array must not make the UPDATE fail: it is counted as empty
    return f"json_each(CASE WHEN json_valid({expr}) THEN {expr} ELSE '[]' END)"


def _facet_values(table, row):
    "One (facet, value) row per faceted value of the row `row` (NEW or OLD) of `table`."
    parts = []
    for name, expr, _, is_array in FACETS[table]:
        expr = expr.format(row=row)
        parts.append(f"SELECT '{name}', j.value FROM {_array(expr)} AS j" if is_array
                     else f"SELECT '{name}' AS facet, {expr} AS value")
    return " UNION ALL ".join(parts)


def _facet_trigger(table, event, rows):
    body = []
    for row, sign in rows:
        values = _facet_values(table, row)
        body.append(f"INSERT INTO {table}_facet_counts (facet, value, n) SELECT facet, value, {sign} FROM "
                    f"({values}) WHERE value IS NOT NULL ON CONFLICT DO UPDATE SET n = n + {sign};")
        if sign < 0:
            # only the rows this row touched: a whole-table scan would cost a million authors per write
            body.append(f"DELETE FROM {table}_facet_counts WHERE n <= 0 AND (facet, value) IN "
                        f"(SELECT facet, value FROM ({values}));")
    return f"CREATE TRIGGER IF NOT EXISTS {table}_facet_counts_{event.split()[0].lower()} " \
           f"AFTER {event} ON {table} BEGIN\n    " + "\n    ".join(body) + "\nEND;\n"


def _facet_counts_schema(table):
    columns = ", ".join(sorted({column for _, _, column, _ in FACETS[table]}))
    # value has no type: integers (status_conflict) stay integers, as Datasette's own facets return them
    return f"""
CREATE TABLE IF NOT EXISTS {table}_facet_counts (
    facet TEXT NOT NULL,
    value NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_{table}_facet_counts_n ON {table}_facet_counts(facet, n DESC, value);
""" + _facet_trigger(table, "INSERT", [("NEW", 1)]) + _facet_trigger(table, "DELETE", [("OLD", -1)]) + \
        _facet_trigger(table, f"UPDATE OF {columns}", [("OLD", -1), ("NEW", 1)])


def facet_counts_rebuild(table):
    "The statements that count `table`'s facets again from its rows (an older archive, or a repair)."
    statements = [f"DELETE FROM {table}_facet_counts"]
    for name, expr, _, is_array in FACETS[table]:
        expr = expr.format(row="t")
        if is_array:
            statements.append(f"INSERT INTO {table}_facet_counts (facet, value, n) SELECT '{name}', j.value, "
                              f"COUNT(*) FROM {table} AS t, {_array(expr)} AS j WHERE j.value IS NOT NULL GROUP BY 2")
        else:
            statements.append(f"INSERT INTO {table}_facet_counts (facet, value, n) SELECT '{name}', {expr}, "
                              f"COUNT(*) FROM {table} AS t WHERE {expr} IS NOT NULL GROUP BY 2")
    return statements


FACET_COUNTS_SCHEMA = "".join(_facet_counts_schema(table) for table in FACETS)

SCHEMA = ARCHIVE_SCHEMA + CLAIMS_SCHEMA + COUNTRIES_SCHEMA + FACET_COUNTS_SCHEMA

# Columns added to a table after archives were written with it: (table, column, declaration, backfill).
# store.migrate adds them to an older archive, before SCHEMA creates the indexes that use them.
ADDED_COLUMNS = tuple(
    ("initiatives", column, declaration, "SELECT 1") for column, declaration in (
        ("source", "TEXT"), ("first_seen", "TEXT"), ("last_seen", "TEXT"), ("series", "TEXT"), ("year", "INTEGER"),
        ("place", "TEXT"), ("parent", "TEXT"), ("parties", "TEXT NOT NULL DEFAULT '[]'"),
        ("members", "TEXT NOT NULL DEFAULT '[]'"), ("members_as_of", "TEXT"), ("members_source", "TEXT"))
    if column not in ("first_seen", "last_seen")
) + (
    ("initiatives", "articles", "INTEGER", """UPDATE initiatives SET articles = (
        SELECT SUM(articles) FROM initiative_month_counts s WHERE s.initiative_id = initiatives.id AND s.role = '')"""),
) + tuple(
    ("initiatives", column, "TEXT", f"""UPDATE initiatives SET {column} = (
        SELECT {agg}(a.published) FROM participation p JOIN articles a ON a.id = p.article_id
        WHERE p.initiative_id = initiatives.id)""") for column, agg in (("first_seen", "MIN"), ("last_seen", "MAX"))
) + (
    ("claim_mentions", "published", "TEXT",
     "UPDATE claim_mentions SET published = (SELECT published FROM articles a WHERE a.id = claim_mentions.article_id)"),
    ("claim_mentions", "outlet", "TEXT",
     "UPDATE claim_mentions SET outlet = (SELECT COALESCE(sitename, hostname) FROM articles a "
     "WHERE a.id = claim_mentions.article_id)"),
    # issue 9: who confirmed or disputed, and whether independently (`newstrace reextract` fills them in)
    ("claim_mentions", "status_by", "TEXT", "UPDATE claim_mentions SET status_by = NULL WHERE 0"),
    ("claim_mentions", "status_independent", "INTEGER", "UPDATE claim_mentions SET status_independent = NULL WHERE 0"),
    ("claims", "status_by", "TEXT", "UPDATE claims SET status_by = NULL WHERE 0"),
    ("claims", "status_independent", "INTEGER", "UPDATE claims SET status_independent = NULL WHERE 0"),
    ("claims", "status_at", "TEXT", "UPDATE claims SET status_at = NULL WHERE 0"),
)

# (table, fts table, columns) for the CJK-aware indexes kept by store/fts.py
FTS_TABLES = {
    "articles": ("articles_fts", ("title", "text")),
    "claims": ("claims_fts", ("claim_text",)),
    "claim_mentions": ("claim_mentions_fts", ("sentence",)),
    # a partitioned archive's archive-wide index of its mentions' sentences (ingest/partitioned/layout.py)
    "claim_sentences": ("claim_sentences_fts", ("sentence",)),
}

# Bookkeeping tables: hidden from Datasette's database page in every archive (plugin/archive.py hides
# them; the README promises it). A table added for the machinery rather than for readers goes here.
HIDDEN_TABLES = (
    "claim_keys", "claim_blocks", "claim_block_df", "claim_features", "claim_state", "claim_embeddings",
    "claim_trace_state", "claim_trace_pending", "summary_articles", "country_month_counts", "country_surface_counts",
    "initiative_month_counts", "initiative_country_counts", "summary_state", "initiative_totals",
    "initiative_country_totals", "country_role_counts",
) + tuple(f"{table}_facet_counts" for table in FACETS)
