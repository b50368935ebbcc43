"""A partitioned archive served as one archive: the pages run their own SQL against `Federated`, which looks
like the single file's Datasette Database to them. Each statement is recognised by the module constant it
was formatted from (RULES) and answered either by the archive-wide database (claims, summaries with a
`partition` column, reference data) or by the partitions it concerns — pruned by the claim, country,
initiative or article ids it names — with their results combined as one file would have given them:
counts summed, groups merged, ordered pages merged and cut again, ranked search scored with the whole
archive's statistics (search_rank.py).

A statement no rule knows is an error (a test runs every page on a partitioned archive), not a guess."""
import asyncio
import heapq
import json
import re
import sqlite3
import weakref
from functools import lru_cache

from newstrace.ingest.partitioned.layout import FIRST_ARTICLES

from . import articles, claims, countries, geo, initiatives, overview, participation, search, search_rank


class _Index(dict):
    "column name -> position, shared by the rows of one result."
    __slots__ = ("names",)


@lru_cache(maxsize=1024)
def _index_of(columns):
    index = _Index((c, i) for i, c in reversed(list(enumerate(columns))))  # the first of a repeated name
    index.names = list(columns)
    return index


class Row:
    "A result row like sqlite3.Row: by index, by column name, dict(row)."

    __slots__ = ("_index", "_values")

    def __init__(self, columns, values):
        self._index = columns if isinstance(columns, _Index) else _index_of(tuple(columns))
        self._values = values if type(values) is tuple else tuple(values)

    @property
    def _columns(self):
        return self._index.names

    def keys(self):
        return list(self._index.names)

    def __getitem__(self, key):
        at = self._index.get(key) if type(key) is str else None
        if at is not None:
            return self._values[at]
        if isinstance(key, (int, slice)):
            return self._values[key]
        return self._values[self._index[key]]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __repr__(self):
        return f"Row({dict(zip(self._index.names, self._values))})"


class Results:
    def __init__(self, columns, rows):
        self.columns = list(columns)
        index = _index_of(tuple(self.columns))
        # sqlite3.Row (what Datasette's execute gives) is kept: it answers by index, by name and dict() as Row does,
        # in C (the map page reads 10,000 initiatives' rows: wrapping each cost it a third of its time)
        self.rows = [r if type(r) is Row or type(r) is sqlite3.Row else Row(index, r) for r in rows]

    def first(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @classmethod
    def of(cls, results):
        "From a Datasette Results."
        return cls(results.columns, results.rows)


COUNTRY_KEYS_SQL = """
SELECT key FROM partitions p
WHERE EXISTS (SELECT 1 FROM country_month_counts c WHERE c.partition = p.key AND c.country = :code)
   OR EXISTS (SELECT 1 FROM partition_country_initiatives i WHERE i.country = :code AND i.partition = p.key)
ORDER BY key
"""


class Federated:
    """What the pages see of a partitioned archive: `name` is the archive-wide database's, `execute` answers the
    statements of RULES."""

    def __init__(self, datasette, wide, partitions):
        self.datasette, self.wide, self.partitions = datasette, wide, dict(sorted(partitions.items()))
        self.name = wide.name
        # partitions of the archive left out for this actor (federated()): the archive-wide tables that keep a
        # row per partition are then read for the partitions served only
        self.hidden = 0
        # what one statement learnt for the next of the same page (a search's count, from its ranking)
        self.cache = {}
        # {(partition, sql, params): Results} read ahead in a visit to that partition (article_first): `on` answers
        # those statements from here
        self.prefetched = {}

    async def table_names(self):
        names = set(await self.wide.table_names())
        for db in list(self.partitions.values())[:1]:
            names |= set(await db.table_names())
        return sorted(names)

    async def table_exists(self, name):
        return name in await self.table_names()

    async def execute(self, sql, params=None, **kwargs):
        handler = rule_for(sql)
        if handler is None:
            raise NotImplementedError("newstrace: this statement has no rule for a partitioned archive:\n" + sql)
        if params is None:
            params = {}
        return await handler(self, sql, dict(params) if isinstance(params, dict) else list(params))

    async def on_wide(self, sql, params=None):
        params = params or {}
        if self.hidden and isinstance(params, dict):
            sql = served_only(sql)
            params = dict(params, _served=json.dumps(sorted(self.partitions)))
        return Results.of(await self.wide.execute(sql, params))

    async def on(self, keys, sql, params=None):
        "[Results] of `sql` on the partitions `keys` (None: all), run side by side."
        keys = list(self.partitions) if keys is None else [k for k in keys if k in self.partitions]
        if self.prefetched:
            ahead = [self.prefetched.get((k, sql, _params_key(params))) for k in keys]
            if all(r is not None for r in ahead):
                return ahead
        found = await asyncio.gather(*(self.partitions[k].execute(sql, params or {}) for k in keys))
        return [Results.of(r) for r in found]

    async def on_fn(self, keys, fn, sql=""):
        """[fn(conn)] on the partitions `keys`, side by side: several statements in one visit to a partition's
        thread (what costs most when a page asks 60 partitions), under Datasette's sql_time_limit_ms as
        execute runs them (a statement it stops is QueryInterrupted, as there)."""
        from datasette.database import QueryInterrupted
        from datasette.utils import sqlite_timelimit

        limit = self.datasette.setting("sql_time_limit_ms")

        def timed(conn):
            with sqlite_timelimit(conn, limit):
                try:
                    return fn(conn)
                except sqlite3.OperationalError as e:
                    if e.args == ("interrupted",):
                        raise QueryInterrupted(e, sql, {})
                    raise
        return await asyncio.gather(*(self.partitions[k].execute_fn(timed) for k in keys))

    # --- which partitions a statement concerns ----------------------------------------------------------

    async def _keys(self, key, sql, params):
        "The partitions `sql` lists on the archive-wide database, asked once a page (an article page asks 6 times)."
        key = ("keys", *key)
        if key not in self.cache:
            self.cache[key] = [r[0] for r in (await self.on_wide(sql, params)).rows]
        return list(self.cache[key])

    async def keys_of_articles(self, ids):
        ids = sorted({int(i) for i in ids if i is not None})
        if not ids:
            return []
        return await self._keys(("articles", *ids), "SELECT DISTINCT partition FROM article_index WHERE id IN "
                                "(SELECT value FROM json_each(:ids))", {"ids": json.dumps(ids)})

    async def keys_of_claim(self, claim_id):
        return await self._keys(("claim", claim_id), "SELECT partition FROM claim_partitions WHERE claim_id = :id",
                                {"id": claim_id})

    async def keys_of_country(self, code):
        if "partition_country_initiatives" in getattr(self, "wide_tables", ()):
            # each partition asked by its key (the summaries' primary keys and the country index): the UNION below
            # scans initiative_country_counts, whose key leads with the partition and the initiative (10 ms for CN
            # at 1M articles); a country with participation rows in a partition has its rows there too
            return await self._keys(("country", code), COUNTRY_KEYS_SQL, {"code": code})
        return await self._keys(("country", code),
                                "SELECT DISTINCT partition FROM country_month_counts WHERE country = :code "
                                "UNION SELECT DISTINCT partition FROM initiative_country_counts WHERE country = :code",
                                {"code": code})

    async def keys_of_initiative(self, initiative_id):
        return await self._keys(("initiative", initiative_id),
                                "SELECT DISTINCT partition FROM initiative_month_counts WHERE initiative_id = :id "
                                "UNION SELECT partition FROM initiative_claimed_max WHERE initiative_id = :id",
                                {"id": initiative_id})

    async def originals(self, rows, id_column="duplicate_of", outlet_column="original_outlet"):
        "Fill the outlet of a republished copy's original where it is in another partition."
        wanted = {r[id_column] for r in rows if r[id_column] is not None and r[outlet_column] is None}
        if not wanted:
            return rows
        found = dict((await self.on_wide("SELECT id, outlet FROM article_index WHERE id IN (SELECT value FROM "
                                         "json_each(:ids))", {"ids": json.dumps(sorted(wanted))})).rows)
        out = []
        for r in rows:
            if r[id_column] is not None and r[outlet_column] is None and r[id_column] in found:
                values = list(r)
                values[r.keys().index(outlet_column)] = found[r[id_column]]
                r = Row(r.keys(), values)
            out.append(r)
        return out


def _params_key(params):
    "A statement's parameters as a dictionary key."
    if isinstance(params, dict):
        return tuple(sorted(params.items()))
    return tuple(params or ())


# the archive-wide tables with a row per partition (layout.PARTITIONED_SUMMARIES and the routing tables)
PER_PARTITION = ("country_month_counts", "country_surface_counts", "initiative_month_counts",
                 "initiative_country_counts", "articles_facet_counts", "initiative_claimed_max", "article_index",
                 "claim_partitions", "partition_role_counts", "partition_country_initiatives", "claim_sentences",
                 "partition_country_articles", "partition_initiative_articles")
_NOT_ALIAS = {"WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "GROUP", "ORDER", "LIMIT", "UNION", "USING", "AS"}
_PER_PARTITION_FROM = re.compile(r"\b(FROM|JOIN)\s+({})\b(\s+AS)?(\s+(\w+))?".format("|".join(PER_PARTITION)),
                                 re.I)


def served_only(sql):
    "`sql` reading the per-partition archive-wide tables for the partitions in :_served only."
    def sub(m):
        verb, table, as_, tail, alias = m.groups()
        inner = f"{verb} (SELECT * FROM {table} WHERE partition IN (SELECT value FROM json_each(:_served)))"
        if alias and (as_ or alias.upper() not in _NOT_ALIAS):
            return f"{inner} AS {alias}"
        return f"{inner} AS {table}{tail or ''}"
    return _PER_PARTITION_FROM.sub(sub, sql)


# --- combining -------------------------------------------------------------------------------------------

def _concat(parts):
    columns = next((p.columns for p in parts if p.columns), [])
    return columns, [r for p in parts for r in p.rows]


def _desc(value):
    "A sort key that reverses any value (None last when descending, as SQLite puts NULLs first ascending)."
    return _Reversed(value)


class _Reversed:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return _less(other.v, self.v)

    def __eq__(self, other):
        return self.v == other.v


def _less(a, b):
    # SQLite orders NULL before everything, numbers before text
    if a is None:
        return b is not None
    if b is None:
        return False
    if isinstance(a, str) != isinstance(b, str):
        return not isinstance(a, str)
    return a < b


class _Asc:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return _less(self.v, other.v)

    def __eq__(self, other):
        return self.v == other.v


def order_key(spec):
    "spec: [(column, 'asc'|'desc')] -> key function over rows."
    def key(row):
        return tuple(_Asc(row[c]) if d == "asc" else _desc(row[c]) for c, d in spec)
    return key


def _sql_key(value):
    "A native sort key in SQLite's order of types: NULL, numbers, text, blobs."
    if value is None:
        return (0, 0)
    if type(value) is str:
        return (2, value)
    if type(value) is bytes:
        return (3, value)
    return (1, value)


def sort_rows(rows, columns, spec):
    """`rows` (a list) sorted in place by spec [(column, 'asc'|'desc')] as order_key sorts them: one stable sort a
    column, the last first, on native keys (order_key's comparisons in Python cost a claim page 6 ms)."""
    if len(rows) < 2:  # (a statement that found nothing may not name spec's columns)
        return rows
    at = {c: i for i, c in reversed(list(enumerate(columns)))}
    for column, direction in reversed(spec):
        i = at[column]
        rows.sort(key=lambda r: _sql_key(r[i]), reverse=direction == "desc")
    return rows


def merged(parts, spec, limit=None, offset=0):
    "Rows of several ordered results as one ordered result, cut to [offset, offset+limit)."
    columns, rows = _concat(parts)
    # each part is in spec's order: a stable sort of them one after the other is their merge (as heapq.merge's)
    rows = sort_rows(rows, columns, spec) if spec else rows
    if limit is not None and limit >= 0:
        rows = rows[offset:offset + limit]
    elif offset:
        rows = rows[offset:]
    return Results(columns, rows)


def grouped(parts, keys, aggregates, spec=None, limit=None):
    """Rows grouped by `keys` over all parts; aggregates {column: 'sum'|'min'|'max'|'set'|'first'} ('set': a
    JSON array, unioned)."""
    columns, rows = _concat(parts)
    if not columns:  # no partition answered (every month that could hold rows is hidden from the actor): no groups
        return Results(list(keys) + [c for c in aggregates if c not in keys], [])
    at = {c: i for i, c in reversed(list(enumerate(columns)))}
    key_at = [at[c] for c in keys]
    folds = [(at[c], how) for c, how in aggregates.items() if c in at and how in ("sum", "min", "max", "set")]
    sets = [at[c] for c, how in aggregates.items() if c in at and how == "set"]
    groups = {}
    for row in rows:
        values = row._values if isinstance(row, Row) else tuple(row)
        k = tuple([values[i] for i in key_at])
        have = groups.get(k)
        if have is None:
            have = groups[k] = list(values)
            for i in sets:
                have[i] = set(json.loads(have[i] or "[]"))
            continue
        for i, how in folds:
            a, b = have[i], values[i]
            if how == "sum":
                have[i] = (a or 0) + (b or 0)
            elif how == "min":
                have[i] = b if a is None or (b is not None and _less(b, a)) else a
            elif how == "max":
                have[i] = b if a is None or (b is not None and _less(a, b)) else a
            else:
                a |= set(json.loads(b or "[]"))
    # every column of a repeated name takes the first's value, as a Row gives it
    same = [at[c] for c in columns]
    index = _index_of(tuple(columns))
    out = []
    for values in groups.values():
        for i in sets:
            values[i] = json.dumps(sorted(values[i], key=repr))
        out.append(Row(index, tuple(values[j] for j in same)))
    if spec:
        sort_rows(out, columns, spec)
    if limit is not None:
        out = out[:limit]
    return Results(columns, out)


def _ints(text):
    return [int(x) for x in re.findall(r"-?\d+", text or "")]


# --- rules -----------------------------------------------------------------------------------------------

def _template_regex(template):
    escaped = re.escape(template.strip())
    seen = set()

    def group(m):
        name = m.group(1)
        if name in seen:
            return f"(?P={name})"
        seen.add(name)
        return f"(?P<{name}>.*?)"

    pattern = re.sub(r"\\\{(\w+)\\\}", group, escaped)
    # whitespace is layout (an empty {filters} leaves two spaces, a trailing one is stripped)
    return re.compile(re.sub(r"(?:\\\s)+", lambda m: r"\s*", pattern), re.S)


@lru_cache(maxsize=4096)
def _match(sql):
    text = sql.strip()
    for template, handler in RULES:
        m = _template_regex_cached(template).fullmatch(text)
        if m:
            return handler, m.groupdict()
    return None, None


@lru_cache(maxsize=None)
def _template_regex_cached(template):
    return _template_regex(template)


def rule_for(sql):
    handler, parts = _match(sql)
    if handler is None:
        return None

    async def run(fed, sql, params):
        return await handler(fed, sql, params, parts)
    return run


async def wide(fed, sql, params, parts):
    return await fed.on_wide(sql, params)


def on_partitions(combine, keys=None):
    """A handler running the statement on the partitions `keys(fed, params, parts)` chose (all by default) and
    combining their results with `combine(parts_results, params, parts)`."""
    async def handler(fed, sql, params, parts):
        chosen = await keys(fed, params, parts) if keys else None
        results = await fed.on(chosen, sql, params)
        return combine(results, params, parts)
    return handler


def by(name):
    "Partitions from a parameter: 'claim', 'country', 'initiative', 'article'."
    async def keys(fed, params, parts):
        if name == "claim":
            return await fed.keys_of_claim(params["id"])
        if name == "country":
            return await fed.keys_of_country(params["code"])
        if name == "initiative":
            return await fed.keys_of_initiative(params["id"])
        return await fed.keys_of_articles([params["id"]])
    return keys


def by_initiative_month():
    """An initiative's partitions among those of the dates :month_start to :month_end (a partition is a month:
    the first / last dated article of a month is in that month's partition, or the undated one's odd dates)."""
    from newstrace.ingest.partitioned.layout import UNDATED

    async def keys(fed, params, parts):
        start, end = str(params["month_start"])[:7], str(params["month_end"])[:7]
        return [k for k in await fed.keys_of_initiative(params["id"]) if k == UNDATED or start <= k <= end]
    return keys


def by_ids(group="ids"):
    "Partitions of the article ids a statement lists (in its text, or bound as its ? parameters)."
    async def keys(fed, params, parts):
        return await fed.keys_of_articles(params if isinstance(params, list) else _ints(parts.get(group)))
    return keys


def total(results, params, parts):
    return Results(results[0].columns if results else ["n"], [[sum((r.first()[0] or 0) for r in results if r.first())]])


def largest(results, params, parts):
    values = [r.first()[0] for r in results if r.first() and r.first()[0] is not None]
    return Results(results[0].columns if results else ["n"], [[max(values) if values else None]])


def paged(handler_keys, spec, limit="limit", offset="offset"):
    "An ordered, paged statement: every partition gives its first offset+limit rows, merged and cut."
    async def handler(fed, sql, params, parts):
        chosen = await handler_keys(fed, params, parts) if handler_keys else None
        lim, off = params.get(limit), params.get(offset) or 0
        local = dict(params)
        if lim is not None and lim >= 0:
            local[limit], local[offset] = lim + off, 0
        results = await fed.on(chosen, sql, local)
        return merged(results, spec, lim if lim is not None and lim >= 0 else None, off)
    return handler


async def newest_first(fed, keys, sql, params, need, at_least=None, run=None):
    """[Results] of a statement ordered by `published DESC` (each partition giving its first `need` rows), read from
    as few partitions as give the archive's first `need`: the undated partition (odd dates sort anywhere, NULLs
    last) and the months newest first, until the months read hold `need` rows — a month's dates all begin with
    its key (published_month is published[:7]), so every row of an older month sorts after all of them."""
    from newstrace.ingest.partitioned.layout import UNDATED

    keys = list(fed.partitions) if keys is None else [k for k in keys if k in fed.partitions]
    months = sorted((k for k in keys if k != UNDATED), reverse=True)
    # `at_least` {partition: rows it gives at least} (the archive-wide summaries): the first round reads the
    # newest months that hold `need` by those counts, not one month at a time
    at, known = 1, 0
    if at_least and need is not None:
        at = 0
        while at < len(months) and (at == 0 or known < need):
            known += min(at_least.get(months[at], 0), need)
            at += 1
    first = [k for k in keys if k == UNDATED] + months[:at]
    run = run or fed.on
    results = await run(first, sql, params)
    got = sum(len(r) for k, r in zip(first, results) if k != UNDATED)
    step = 1
    while (need is None or got < need) and at < len(months):
        batch = months[at:at + step]
        more = await run(batch, sql, params)
        results += more
        got += sum(len(r) for r in more)
        at, step = at + len(batch), step * 2
    return results


def paged_newest(handler_keys, limit="limit", offset="offset", at_least=None, run=None):
    "paged() for a statement ordered by published DESC, id DESC: only the partitions that can hold the page."
    spec = [("published", "desc"), ("id", "desc")]

    async def handler(fed, sql, params, parts):
        chosen = await handler_keys(fed, params, parts) if handler_keys else None
        lim, off = params.get(limit), params.get(offset) or 0
        local = dict(params)
        need = None
        if lim is not None and lim >= 0:
            local[limit], local[offset] = lim + off, 0
            need = lim + off
        results = await newest_first(fed, chosen, sql, local, need, at_least, run)
        return merged(results, spec, lim if lim is not None and lim >= 0 else None, off)
    return handler


def group(keys, aggregates, spec=None, limit=None):
    def combine(results, params, parts):
        n = params.get(limit) if isinstance(limit, str) else limit
        return grouped(results, keys, aggregates, spec, n)
    return combine


def concat(spec=None):
    def combine(results, params, parts):
        columns, rows = _concat(results)
        if spec:
            rows = sorted(rows, key=order_key(spec))
        return Results(columns, rows)
    return combine


def first_of(results, params, parts):
    columns, rows = _concat(results)
    return Results(columns, rows[:1])


async def one_partition(fed, sql, params, parts):
    "What every partition answers alike (their schema is the single file's): one partition's rows, whole."
    results = await fed.on(list(fed.partitions)[:1], sql, params)
    return results[0] if results else Results([], [])


# --- statements that need more than a rule -----------------------------------------------------------------

async def claim_counts(fed, claim_id):
    "{partition: mentions of the claim} of the partitions served (claim_partitions, kept by the tracer)."
    key = ("claim_counts", claim_id)
    if key not in fed.cache:
        rows = (await fed.on_wide("SELECT partition, n FROM claim_partitions WHERE claim_id = :id",
                                  {"id": claim_id})).rows
        fed.cache[key] = {k: n for k, n in rows if k in fed.partitions}
    return fed.cache[key]


async def claim_mentions_count(fed, sql, params, parts):
    "A claim's mentions: claim_partitions counts them per partition (no partition read)."
    return Results(["n"], [[sum((await claim_counts(fed, params["id"])).values())]])


def date_order(fed, counts, descending, need):
    """A claim's partitions in the order of its mentions' dates (sort_date: a month's all begin with its key;
    the undated partition's odd dates sort anywhere, so it is always read): (the fewest that hold `need`
    mentions by their counts, the rest)."""
    from newstrace.ingest.partitioned.layout import UNDATED

    months = sorted((k for k in counts if k != UNDATED), reverse=descending)
    first = [k for k in counts if k == UNDATED]
    got = 0
    for at, k in enumerate(months):
        if need is not None and got >= need:
            return first, months[at:]
        first.append(k)
        got += counts[k]
    return first, []


RATED_STATUSES = ("confirmed", "disputed", "denied")
RATED_FILTER = "AND m.verification_status IN ('confirmed', 'disputed', 'denied')"
RATED_BY_FILTER = "AND m.status_by IS NOT NULL"
assert RATED_FILTER in claims.RATINGS_SQL and RATED_FILTER in claims.RATED_SQL and RATED_BY_FILTER in claims.RATED_SQL
# a claim's mentions counted per outlet, month, status and mode in each partition (idx_claim_mentions_claim_timeline
# alone): its outlets, its timeline and which partitions hold its rated mentions, one statement a partition
CLAIM_CELLS_SQL = """
SELECT COALESCE(outlet, 'unknown') AS outlet, published_month AS month, verification_status AS status,
       attribution_mode AS mode, COUNT(*) AS n
FROM claim_mentions WHERE claim_id = :id GROUP BY outlet, month, status, mode
"""


def packed(sql, columns):
    """`sql`'s rows as one JSON array of arrays (read with json.loads): one step of SQLite, not one a row. Python's
    sqlite3 lets go of the GIL at every step, and with a page's partitions read in several threads at once each
    row then waited for it (a claim's cells in 12 partitions: 18 ms side by side, 7 ms packed). For statements
    of numbers and text (JSON holds no BLOB)."""
    return f"SELECT json_group_array(json_array({', '.join(columns)})) FROM ({sql})"


CLAIM_CELLS_PACKED = packed(CLAIM_CELLS_SQL, ["outlet", "month", "status", "mode", "n"])


def _cells_fn(claim_id, share, sampled=None):
    """What claim_cells reads in one partition: (its CLAIM_CELLS_SQL rows, its first `share` of the sample, as tuples;
    and when the archive says how many of the claim's sample it holds (`sampled`, claim_sampled), the variant groups
    of those: (columns, rows) of grouped(VARIANT_GROUPS_SQL), else None)."""
    def fn(conn):
        cells = json.loads(conn.execute(CLAIM_CELLS_PACKED, {"id": claim_id}).fetchone()[0])
        if sampled is not None:  # the sample's part here is known: its groups, not its first keys
            found = json.loads(conn.execute(VARIANTS_PACKED, {"id": claim_id, "sample": sampled}).fetchone()[0]) \
                if sampled else []
            return [tuple(r) for r in cells], None, (VARIANTS_COLUMNS, [tuple(r) for r in found])
        firsts = json.loads(conn.execute(CLAIM_SAMPLE_PACKED, {"id": claim_id, "sample": share}).fetchone()[0])
        return [tuple(r) for r in cells], sorted(tuple(r) for r in firsts), None
    return fn


def grouped_sql(sql):
    """A claim's CHAIN_GROUPS_SQL or VARIANT_GROUPS_SQL as each partition runs it: its groups also by the copy's
    original (filled in where the original is in another partition), none cut before they are merged."""
    local = sql.replace(" AS n\nFROM", " AS n, a.duplicate_of AS _original\nFROM", 1)
    local = re.sub(r"(GROUP BY [^\n]*?) ORDER BY n DESC LIMIT :limit", r"\1, _original", local, count=1)
    assert local != sql and "_original\n" in local and ":limit" not in local, local
    return local


VARIANTS_SQL = grouped_sql(claims.VARIANT_GROUPS_SQL)
VARIANTS_COLUMNS = ["id", "quantities", "sentence", "speaker", "cited_source", "outlet", "original_outlet", "n",
                    "_original"]
VARIANTS_PACKED = packed(VARIANTS_SQL, VARIANTS_COLUMNS)


async def claim_sampled(fed, claim_id, n):
    """{partition: how many of the claim's first `n` mentions in article order it holds}, where that is known
    without reading them: all of them for a claim of at most `n`, else claim_samples (kept for n mentions by
    newstrace partition and every trace: ingest/partitioned/layout.py). None otherwise — an archive from before
    the table, another sample size, or months hidden from the actor (the sample is then the visible months')."""
    key = ("claim_sampled", claim_id, n)
    if key not in fed.cache:
        counts = await claim_counts(fed, claim_id)
        found = None
        if sum(counts.values()) <= n:
            found = dict(counts)
        elif not fed.hidden and "claim_samples" in getattr(fed, "wide_tables", ()):
            size = (await fed.on_wide("SELECT value FROM archive_info WHERE name = 'claim_sample'")).first()
            if size is not None and int(size[0]) == n:
                found = {k: 0 for k in counts}
                found.update({k: m for k, m in (await fed.on_wide(
                    "SELECT partition, sampled FROM claim_samples WHERE claim_id = :id", {"id": claim_id})).rows
                    if k in counts})
        fed.cache[key] = found
    return fed.cache[key]


async def claim_cells(fed, claim_id):
    """{partition: CLAIM_CELLS_SQL rows as (outlet, month, status, mode, n) tuples} of the partitions holding the
    claim's mentions, read once a page — in the same visit to each partition as its first share of the claim's
    sample (claim_sample), which the page asks for next; the partitions a page of its mentions visited have given
    them already (claim_mentions_page)."""
    key = ("claim_cells", claim_id)
    if key not in fed.cache:
        counts = await claim_counts(fed, claim_id)
        holders = sorted(counts)
        share = sample_shares(counts, claims.SAMPLE_MENTIONS)
        n = claims.SAMPLE_MENTIONS
        sampled = await claim_sampled(fed, claim_id, n)
        got = dict(fed.cache.get(("claim_cells_read", claim_id), {}))
        missing = [k for k in holders if k not in got]
        found = await asyncio.gather(*(fed.on_fn([k], _cells_fn(claim_id, share[k], None if sampled is None else
                                                                sampled.get(k, 0)), CLAIM_CELLS_SQL)
                                       for k in missing))
        got.update({k: r[0] for k, r in zip(missing, found)})
        fed.cache[key] = {k: got[k][0] for k in holders}
        if all(got[k][1] is not None for k in holders):
            fed.cache[("claim_sample_firsts", claim_id, n)] = {k: [r[:3] for r in got[k][1]] for k in holders}
        if sampled is not None and all(got[k][2] is not None for k in holders):
            # the variant groups of the sample, read in the same visits (claim_groups takes them from here)
            fed.cache[("claim_variant_rows", claim_id, n)] = {k: got[k][2] for k in holders}
    return fed.cache[key]


async def claim_outlets(fed, sql, params, parts):
    "OUTLETS_SQL's (outlet, n, first) from the claim's cells."
    out = {}
    for rows in (await claim_cells(fed, params["id"])).values():
        for outlet, month, _, _, n in rows:
            have = out.get(outlet)
            if have is None:
                out[outlet] = [outlet, n, month]
                continue
            have[1] += n
            if have[2] is None or (month is not None and month < have[2]):
                have[2] = month
    return Results(["outlet", "n", "first"], list(out.values()))


async def claim_timeline(fed, sql, params, parts):
    "TIMELINE_SQL's (lane outlet or NULL, month, status, mode, n) from the claim's cells."
    lanes = {v for k, v in params.items() if k.startswith("lane") and v is not None}
    out = {}
    for rows in (await claim_cells(fed, params["id"])).values():
        for outlet, month, status, mode, n in rows:
            key = (outlet if outlet in lanes else None, month, status, mode)
            out[key] = out.get(key, 0) + n
    return Results(["outlet", "month", "status", "mode", "n"], [[*k, n] for k, n in out.items()])


async def claim_mentions_page(fed, sql, params, parts):
    """The claim page's mentions in date order, a page at a time (with the originals' outlets filled in): from
    the partitions that hold the page by their months and the claim's counts per partition; a statement that
    also filters the mentions (by rating) reads the rest of them only when those were not enough."""
    descending = "sort_date DESC" in sql
    direction = "desc" if descending else "asc"
    spec = [("_sort", direction), ("article_id", direction), ("char_start", direction)]

    async def keys(fed, params, parts):
        if "article" in params:  # the first article's mention: its partition
            return await fed.keys_of_articles([params["article"]])
        lim, off = params.get("limit"), params.get("offset") or 0
        need = lim + off if lim is not None and lim >= 0 else None
        if RATED_FILTER in sql:  # the rated mentions: counted per partition by claim_cells
            counts = {k: sum(r[4] for r in rows if r[2] in RATED_STATUSES)
                      for k, rows in (await claim_cells(fed, params["id"])).items()}
            counts = {k: n for k, n in counts.items() if n}
        else:
            counts = await claim_counts(fed, params["id"])
        first, rest = date_order(fed, counts, descending, need)
        if not rest or RATED_BY_FILTER not in sql:  # every mention counted is one the statement reads
            return first
        return _Later(first, rest, need)

    async def handler(fed, sql, params, parts):
        chosen = await keys(fed, params, parts)
        lim, off = params.get("limit"), params.get("offset") or 0
        local = dict(params)
        if lim is not None and lim >= 0:
            local["limit"], local["offset"] = lim + off, 0
        if isinstance(chosen, _Later):
            results = await fed.on(chosen.first, sql, local)
            if sum(len(r) for r in results) < chosen.need:
                results += await fed.on(chosen.rest, sql, local)
        elif "article" in params or ("claim_cells", params["id"]) in fed.cache or lim is None or lim < 0:
            # (every mention read, a claim of few: the page needs no cells)
            results = await fed.on(chosen, sql, local)
        else:
            # the claim's cells and first sample share (claim_cells) read in the same visits, for the page's next
            # statements: those partitions are not visited again
            counts = await claim_counts(fed, params["id"])
            share = sample_shares(counts, claims.SAMPLE_MENTIONS)
            sampled = await claim_sampled(fed, params["id"], claims.SAMPLE_MENTIONS)

            def read(k):
                cells = _cells_fn(params["id"], share[k], None if sampled is None else sampled.get(k, 0)) \
                    if k in counts else None

                def fn(conn):
                    cursor = conn.execute(sql, local)
                    page = ([d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()])
                    return page, (cells(conn) if cells else None)
                return fn
            chosen = [k for k in chosen if k in fed.partitions]
            found = await asyncio.gather(*(fed.on_fn([k], read(k), sql) for k in chosen))
            read_ = fed.cache.setdefault(("claim_cells_read", params["id"]), {})
            results = []
            for k, ((page, extra),) in zip(chosen, found):
                results.append(Results(*page))
                if extra is not None:
                    read_[k] = extra
        return merged(results, spec, lim if lim is not None and lim >= 0 else None, off)
    local = dict(params)
    results = await handler(fed, sql.replace("SELECT m.id, m.article_id,", "SELECT COALESCE(a.published, '9999') "
                                                                            "AS _sort, m.id, m.article_id,", 1),
                            local, parts)
    rows = await fed.originals(results.rows)
    columns = [c for c in results.columns if c != "_sort"]
    return Results(columns, [[r[c] for c in columns] for r in rows])


CLAIM_SAMPLE_SQL = (f"SELECT article_id, char_start, id FROM claim_mentions WHERE claim_id = :id "
                    f"ORDER BY {claims.SAMPLE_ORDER} LIMIT :sample")


CLAIM_SAMPLE_AFTER_SQL = (f"SELECT article_id, char_start, id FROM claim_mentions WHERE claim_id = :id "
                          f"AND ({claims.SAMPLE_ORDER}) > (:after_article, :after_start, :after_id) "
                          f"ORDER BY {claims.SAMPLE_ORDER} LIMIT :sample")


CLAIM_SAMPLE_PACKED = packed(CLAIM_SAMPLE_SQL, ["article_id", "char_start", "id"])
CLAIM_SAMPLE_AFTER_PACKED = packed(CLAIM_SAMPLE_AFTER_SQL, ["article_id", "char_start", "id"])


async def read_packed(fed, key, sql, params):
    "The rows of a packed() statement in partition `key`, as tuples in order (the aggregate's order is SQLite's)."
    found = await fed.on_fn([key], lambda conn: json.loads(conn.execute(sql, params).fetchone()[0]), sql)
    return sorted(tuple(r) for r in found[0])


SAMPLE_SHARE_FLOOR = 16


def sample_shares(counts, n):
    "{partition: how many of a claim's first mentions it gives first}: twice its part of `n` by its counts."
    total = sum(counts.values()) or 1
    return {k: min(n, max(SAMPLE_SHARE_FLOOR, -(-2 * n * counts[k] // total))) for k in counts}


async def claim_sample(fed, claim_id, n):
    """[((article_id, char_start, id), partition)] of the archive's first `n` mentions of a claim in article order.
    Each partition holding some gives its first share (twice its part of `n` by its counts); one whose share
    ended before the `n`-th of all those read may hold more of them, and gives the rest after its last."""
    key = ("claim_sample", claim_id, n)
    if key in fed.cache:
        return fed.cache[key]
    counts = await claim_counts(fed, claim_id)
    holders = sorted(counts)
    share = sample_shares(counts, n)
    rows = fed.cache.get(("claim_sample_firsts", claim_id, n))  # read with the claim's cells
    if rows is None or set(rows) != set(holders):
        firsts = await asyncio.gather(*(read_packed(fed, k, CLAIM_SAMPLE_PACKED, {"id": claim_id, "sample": share[k]})
                                        for k in holders))
        rows = dict(zip(holders, firsts))
    sample = heapq.nsmallest(n, ((r, k) for k in holders for r in rows[k]))
    last = sample[-1][0] if len(sample) >= n else None
    more = [k for k in holders if len(rows[k]) >= share[k] and (last is None or rows[k][-1] < last)]
    if more:
        found = await asyncio.gather(*(read_packed(fed, k, CLAIM_SAMPLE_AFTER_PACKED, {
            "id": claim_id, "sample": n, "after_article": rows[k][-1][0], "after_start": rows[k][-1][1],
            "after_id": rows[k][-1][2]}) for k in more))
        sample = heapq.nsmallest(n, [*sample, *((r, k) for k, found_k in zip(more, found) for r in found_k)])
    fed.cache[key] = sample
    return sample


async def claim_groups(fed, sql, params, parts, keys, aggregates, spec):
    """A claim's mentions grouped (chain, variants) over its sample — the archive's first :sample mentions in
    article order, taken from every partition that holds some — with the originals' outlets filled in where
    the original is in another partition; groups merged, then ordered and cut as one file does."""
    read = fed.cache.get(("claim_variant_rows", params["id"], params["sample"])) if keys == VARIANT_KEYS else None
    if read is not None and sql == claims.VARIANT_GROUPS_SQL:
        # read with the claim's cells: each partition's groups over the part of the sample it holds
        results = [Results(*read[k]) for k in sorted(read) if read[k][0]]
    else:
        sample = await claim_sample(fed, params["id"], params["sample"])
        ids = {}
        for (_, _, mention_id), key in sample:
            ids.setdefault(key, []).append(mention_id)
        local = grouped_sql(sql).replace(claims.SAMPLE, "m.id IN (SELECT value FROM json_each(:ids))", 1)
        keys_ = sorted(ids)
        results = await asyncio.gather(*(fed.partitions[k].execute(local, {**params, "ids": json.dumps(ids[k])})
                                         for k in keys_))
        results = [Results.of(r) for r in results]
    columns, rows = _concat(results)  # the originals of every partition's copies found at once
    return finish_groups(fed, Results(columns, await fed.originals(rows, id_column="_original")), keys, aggregates,
                         spec, params)


def finish_groups(fed, result, keys, aggregates, spec, params):
    # one file's GROUP BY gives its groups in key order and ORDER BY n DESC keeps that order among equal counts
    combined = grouped([result], keys, aggregates, spec + [(k, "asc") for k in keys], params.get("limit"))
    kept = [i for i, c in enumerate(combined.columns) if c != "_original"]
    return Results([combined.columns[i] for i in kept], [[r[i] for i in kept] for r in combined.rows])


VARIANT_KEYS = ["quantities", "outlet", "original_outlet"]
async def chain_groups(fed, sql, params, parts):
    return await claim_groups(fed, sql, params, parts, ["chain", "speaker", "cited_source", "outlet", "original_outlet"],
                              {"published": "min", "n": "sum"}, [("n", "desc")])


async def variant_groups(fed, sql, params, parts):
    return await claim_groups(fed, sql, params, parts, VARIANT_KEYS,
                              {"id": "min", "sentence": "min", "speaker": "min", "cited_source": "min", "n": "sum"},
                              [("n", "desc")])


LIST_Q = claims.LIST_FILTERS["q"]
LIST_ARTICLE = claims.LIST_FILTERS["article"]
MENTION_CLAIMS_SQL = ("SELECT DISTINCT claim_id FROM claim_mentions WHERE id IN (SELECT rowid FROM claim_mentions_fts "
                      "WHERE claim_mentions_fts MATCH :q)")


# LIST_Q on the archive-wide database: claim_sentences holds each partition's distinct (claim, sentence) of its
# mentions, indexed as claim_mentions_fts (ingest/partitioned/layout.py)
WIDE_Q = ("(c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q) OR c.id IN (SELECT claim_id FROM "
          "claim_sentences WHERE id IN (SELECT rowid FROM claim_sentences_fts WHERE claim_sentences_fts MATCH :q)))")


async def claims_list(fed, sql, params, parts):
    "The claims list on the archive-wide database; what its filters ask of the mentions, from the partitions."
    where = parts.get("where") or ""
    if LIST_Q in where and "claim_sentences" in getattr(fed, "wide_tables", ()):
        # the claims whose mentions' sentences match, from the archive-wide index of them (no partition read)
        sql = sql.replace(LIST_Q, WIDE_Q)
    elif LIST_Q in where:
        # the list and its count ask the same of every partition: once a page
        found = fed.cache.get(("mention_claims", params["q"]))
        if found is None:
            found = set()
            for r in await fed.on(None, MENTION_CLAIMS_SQL, {"q": params["q"]}):
                found |= {row[0] for row in r.rows if row[0] is not None}
            fed.cache[("mention_claims", params["q"])] = found
        params["_q_claims"] = json.dumps(sorted(found))
        sql = sql.replace(LIST_Q, "(c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q) OR c.id IN "
                                  "(SELECT value FROM json_each(:_q_claims)))")
    if LIST_ARTICLE in where:
        found = set()
        for r in await fed.on(await fed.keys_of_articles([params["article"]]),
                              "SELECT DISTINCT claim_id FROM claim_mentions WHERE article_id = :article",
                              {"article": params["article"]}):
            found |= {row[0] for row in r.rows if row[0] is not None}
        params["_article_claims"] = json.dumps(sorted(found))
        sql = sql.replace(LIST_ARTICLE, "c.id IN (SELECT value FROM json_each(:_article_claims))")
    return await fed.on_wide(sql, params)


async def latest(fed, sql, params, parts):
    """The newest articles of a set, a page at a time (participation.latest_ids): each partition's newest
    offset+limit with their dates, merged."""
    members, where = parts.get("members") or "", parts.get("where") or ""
    whole = " ".join(f"{members} {where}".split())
    if whole in PARTICIPATION_MEMBERS:
        # (a walk's `WHERE {members} {where}` is one condition to the template's pattern, which gives it all to
        # `where`: without filters it is the members alone)
        members, where = whole, ""
    if ":code" in members:
        keys = await fed.keys_of_country(params["code"])
    elif ":id" in members:
        keys = await fed.keys_of_initiative(params["id"])
    else:
        keys = None
    dated = sql.replace("SELECT a.id FROM", "SELECT a.id, a.published FROM", 1)
    at_least = None
    plain = " ".join(members.split())
    if not where.strip() and plain in PARTICIPATION_MEMBERS:
        column = "country" if ":code" in plain else "initiative_id"
        value = {"v": params["code" if ":code" in plain else "id"]}
        exact = "partition_country_articles" if ":code" in plain else "partition_initiative_articles"
        if exact in getattr(fed, "wide_tables", ()):
            # a country's or an initiative's articles with evidence, each partition's exactly (kept with its
            # summaries): the first round reads the newest months that hold the page, and no other
            at_least = dict((await fed.on_wide(f"SELECT partition, articles FROM {exact} WHERE {column} = :v",
                                               value)).rows)
        else:
            # (an archive from before those counts) each partition's at least: its largest count of one
            # (initiative, role[, country]) in initiative_country_counts (an article counted once in a group)
            groups = "initiative_id, role" if ":code" in plain else "role, country"
            at_least = dict((await fed.on_wide(
                f"SELECT partition, MAX(n) FROM (SELECT partition, SUM(articles) AS n FROM initiative_country_counts "
                f"WHERE {column} = :v GROUP BY partition, {groups}) GROUP BY partition", value)).rows)
            if ":code" in plain and "partition_role_counts" in getattr(fed, "wide_tables", ()):
                # a country's articles with evidence of one role (any initiative, or none), each partition's largest:
                # a tighter bound where its evidence is spread over many initiatives
                for key, n in (await fed.on_wide("SELECT partition, MAX(articles) FROM partition_role_counts "
                                                 "WHERE country = :v GROUP BY partition", value)).rows:
                    at_least[key] = max(at_least.get(key) or 0, n or 0)
    run = None
    if not where.strip() and plain in PARTICIPATION_MEMBERS and not params.get("offset"):
        # (a first page: later ones would read the evidence of every article before theirs)
        run = _with_evidence(fed, "p.country = :code" if ":code" in plain else "p.initiative_id = :id",
                             {k: params[k] for k in ("code", "id") if k in params and f":{k}" in plain})
    handler = paged_newest(lambda *a: _const(keys), at_least=at_least, run=run)
    results = await handler(fed, dated, params, parts)
    return Results(["id"], [[r["id"]] for r in results.rows])


def _with_evidence(fed, owner, owner_params):
    """A runner for newest_first: each partition's newest articles of a country's / an initiative's evidence, and in
    the same visit their participation rows as the page asks for them next (PARTICIPATION_ROWS_SQL with this owner
    and no filter), kept in fed.cache[("evidence", owner, params)] {partition: {article id: rows}} for
    participation_rows."""
    store = fed.cache.setdefault(("evidence", owner, _params_key(owner_params)), {})

    async def run(keys, sql, params):
        keys = [k for k in keys if k in fed.partitions]

        def read(conn):
            cursor = conn.execute(sql, params)
            columns = [d[0] for d in cursor.description]
            rows = [tuple(r) for r in cursor.fetchall()]
            ids = sorted({r[0] for r in rows})
            found = ([], [])
            if ids:
                c2 = conn.execute(participation.PARTICIPATION_ROWS_SQL.format(
                    ids=", ".join(str(int(i)) for i in ids), owner=owner, where=""), owner_params)
                found = ([d[0] for d in c2.description], [tuple(r) for r in c2.fetchall()])
            return columns, rows, ids, found
        out = []
        for k, (columns, rows, ids, (e_columns, e_rows)) in zip(keys, await fed.on_fn(keys, read, sql)):
            at = e_columns.index("article_id") if e_columns else None
            by_article = {i: [] for i in ids}
            for r in e_rows:
                by_article[r[at]].append(r)
            store.setdefault(k, {}).update(by_article)
            if e_columns:
                store["_columns"] = e_columns
            out.append(Results(columns, rows))
        return out
    return run


EVIDENCE_ORDER = [("published", "desc"), ("article_id", "desc"), ("id", "asc")]


async def participation_rows(fed, sql, params, parts):
    """PARTICIPATION_ROWS_SQL: the rows read with the page's articles (latest, _with_evidence) when every article
    asked was, else from the articles' partitions."""
    # (the template's `{owner} {where}` is one condition to its pattern: read whole, it must be the owner alone)
    owner = " ".join(f"{parts.get('owner') or ''} {parts.get('where') or ''}".split())
    ids = _ints(parts.get("ids"))
    values = {k: params[k] for k in ("code", "id") if f":{k}" in owner and k in params}
    store = fed.cache.get(("evidence", owner, _params_key(values)))
    if store and ids and set(params) == set(values):
        rows, missing = [], False
        for i in ids:
            for k, by_article in store.items():
                if k != "_columns" and i in by_article:
                    rows += by_article[i]
                    break
            else:
                missing = True
                break
        if not missing and store.get("_columns"):
            return concat(EVIDENCE_ORDER)([Results(store["_columns"], rows)], params, parts)
    return await on_partitions(concat(EVIDENCE_ORDER), by_ids())(fed, sql, params, parts)


# participation.latest_ids' sets of a country's / an initiative's evidence, without filters
PARTICIPATION_MEMBERS = {"SELECT m.article_id FROM participation m WHERE m.country = :code",
                         "SELECT m.article_id FROM participation m WHERE m.initiative_id = :id",
                         "EXISTS (SELECT 1 FROM participation m WHERE m.article_id = a.id AND m.country = :code)",
                         "EXISTS (SELECT 1 FROM participation m WHERE m.article_id = a.id AND m.initiative_id = :id)"}


async def map_roles(fed, sql, params, parts):
    """The map's roles: unfiltered, from partition_role_counts (each partition's, kept with its summaries: counts
    summed, initiatives unioned; no partition read), else from every partition's participation rows."""
    if not (parts.get("join") or "").strip() and not (parts.get("where") or "").strip() and \
            "partition_role_counts" in getattr(fed, "wide_tables", ()):
        counts = await fed.on_wide("SELECT country AS code, role, SUM(articles) AS articles FROM partition_role_counts "
                                   "GROUP BY country, role")
        named = await fed.on_wide("SELECT DISTINCT c.country, c.role, j.value FROM partition_role_counts c, "
                                  "json_each(c.initiatives) j")
        sets = {}
        for country, role, value in named.rows:
            sets.setdefault((country, role), set()).add(value)
        return Results(["code", "role", "articles", "initiatives"], [
            [code, role, n, json.dumps(sorted(sets.get((code, role), ()), key=repr))] for code, role, n in counts.rows])
    return grouped(await fed.on(None, sql, params), ["code", "role"], {"articles": "sum", "initiatives": "set"})


async def country_initiatives(fed, sql, params, parts):
    """A country's initiatives and roles with their evidence: without filters from partition_country_initiatives
    (each partition's counts, kept with its summaries: summed; no partition read), else from its partitions."""
    if not (parts.get("join") or "").strip() and not (parts.get("where") or "").strip() and \
            "partition_country_initiatives" in getattr(fed, "wide_tables", ()):
        # grouped first, then each group's initiative named (not a name looked up for every partition's row)
        return await fed.on_wide(
            "SELECT g.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, i.kind, g.role, "
            "g.evidence FROM (SELECT initiative_id, role, SUM(evidence) AS evidence FROM partition_country_initiatives "
            "WHERE country = :code GROUP BY initiative_id, role) g LEFT JOIN initiatives i ON i.id = g.initiative_id",
            params)
    return await on_partitions(group(["initiative_id", "role"], {"evidence": "sum"}), by("country"))(
        fed, sql, params, parts)


async def max_id(fed, sql, params, parts):
    "The largest article id of the partitions served: the article index has every one."
    return await fed.on_wide("SELECT MAX(id) FROM article_index", {})


async def _const(value):
    return value


# the first and last dates from each partition's index on published (article_index has none: at 1M articles
# its MIN and MAX read every row, 2 s — past sql_time_limit_ms on a cold cache)
DATES_SQL = ("SELECT (SELECT MIN(published) FROM articles WHERE published IS NOT NULL) AS first, "
             "(SELECT MAX(published) FROM articles) AS last")


def facets(fed):
    """Where the archive's facet counts are read: facet_totals (every partition's summed, kept by triggers; one row a
    value), else — an archive from before it, or some partitions left out for the actor — articles_facet_counts
    summed here over the partitions served."""
    if "facet_totals" in getattr(fed, "wide_tables", ()) and not fed.hidden:
        return "facet_totals", "n", ""  # (one row a value: no grouping)
    return "articles_facet_counts", "SUM(n)", " GROUP BY value"


async def totals(fed, sql, params, parts):
    # the articles: each partition's count, kept with it (partitions.articles, written with its index rows by
    # apply_report) — counting the article index read a million rows
    articles = sum(n for key, n in (await fed.wide.execute("SELECT key, articles FROM partitions")).rows
                   if key in fed.partitions)
    counts = (await fed.on_wide("""
SELECT :articles AS articles,
       (SELECT COUNT(*) FROM claims) AS claims,
       (SELECT COUNT(DISTINCT value) FROM {table} WHERE facet = 'sitename') AS outlets,
       (SELECT COUNT(DISTINCT value) FROM {table} WHERE facet = 'countries') AS countries,
       (SELECT COUNT(*) FROM initiatives) AS initiatives""".format(table=facets(fed)[0]),
        {"articles": articles})).first()
    from newstrace.ingest.partitioned.layout import UNDATED

    # the earliest and latest dates are in the first and last months (a month's dates begin with its key) or
    # among the undated partition's odd ones
    months = sorted(k for k in fed.partitions if k != UNDATED)
    ends = [k for k in fed.partitions if k == UNDATED] + sorted(set(months[:1] + months[-1:]))
    dates = [r for result in await fed.on(ends, DATES_SQL) for r in result.rows]
    firsts = [r["first"] for r in dates if r["first"] is not None]
    lasts = [r["last"] for r in dates if r["last"] is not None]
    return Results([*counts.keys(), "first_published", "last_published"],
                   [[*counts, min(firsts, default=None), max(lasts, default=None)]])


async def claimed(fed, sql, params, parts):
    """Initiatives' claimed participant counts: without article filters from initiative_claimed_max (each
    partition's largest and its claiming articles, kept by the writers), else from every partition."""
    if (parts.get("join") or "").strip():
        return grouped(await fed.on(None, sql, params), ["id"], {"participants_claimed": "max",
                                                                 "claiming_articles": "sum"})
    return await fed.on_wide(
        "SELECT c.initiative_id AS id, MAX(c.claimed) AS participants_claimed, SUM(c.articles) AS claiming_articles "
        f"FROM initiative_claimed_max c WHERE 1 = 1 {parts.get('where') or ''} GROUP BY c.initiative_id", params)


async def languages(fed, sql, params, parts):
    "The articles' languages counted: the language facet's counts of every partition, summed (no partition read)."
    table, n, grouped_ = facets(fed)
    having = f" HAVING {n} > 0" if grouped_ else f" AND {n} > 0"
    return await fed.on_wide(f"SELECT value AS language, {n} AS n FROM {table} WHERE facet = 'language' "
                             f"AND value IS NOT NULL{grouped_}{having} ORDER BY n DESC, language")


async def facet_values(fed, sql, params, parts):
    table, n, grouped_ = facets(fed)
    return await fed.on_wide(f"SELECT value, {n} AS n FROM {table} WHERE facet = :facet{grouped_} "
                             "ORDER BY n DESC, value LIMIT :limit", params)


CLAIM_COLUMNS = ("claim_text", "claim_status", "n_articles", "n_outlets", "first_article_id")


async def facet_choices(fed, sql, params, parts):
    "A facet's values over the whole archive (each partition's counts summed), in the order asked."
    order = parts.get("order") or "n DESC"
    if "value" not in order:
        order += ", value"  # the single file's index order (facet, n DESC, value) breaks ties so
    table, n, grouped_ = facets(fed)
    return await fed.on_wide(f"SELECT value, {n} AS n FROM {table} WHERE facet = :facet{grouped_} "
                             f"ORDER BY {order} LIMIT :limit", params)


async def article_mentions(fed, sql, params, parts):
    """An article's claim mentions (its partition, whose claims table is empty) with their claims' columns (the
    archive-wide database)."""
    results = await fed.on(await fed.keys_of_articles([params["id"]]), sql, params)
    columns, rows = _concat(results)
    ids = sorted({r["claim_id"] for r in rows if r["claim_id"] is not None})
    found = {r["id"]: r for r in (await fed.on_wide(
        "SELECT id, claim_text, status AS claim_status, n_articles, n_outlets, first_article_id FROM claims "
        "WHERE id IN (SELECT value FROM json_each(:ids))", {"ids": json.dumps(ids)})).rows}
    out = []
    for r in rows:
        c = found.get(r["claim_id"])
        out.append([(c[k] if c is not None and k in CLAIM_COLUMNS else r[k]) for k in columns])
    return Results(columns, out)


# what an article page reads of its article's partition after the article itself (articles.article_view, each with
# {"id": article id}), and the tables it needs seen to ask: read in the same visit as ARTICLE_SQL (one trip to the
# partition's thread, not six) when the actor may see them, each answered from there when the page asks
ARTICLE_PREFETCH = ((articles.MENTIONS_SQL, ("claim_mentions", "claims")),
                    (articles.COUNTRY_MENTIONS_SQL, ("country_mentions", "countries")),
                    (articles.PARTICIPATION_SQL, ("participation", "initiatives", "countries")),
                    (articles.VERSIONS_SQL, ("article_versions",)),
                    (articles.SNAPSHOTS_SQL, ("snapshots",)))


async def article_first(fed, sql, params, parts):
    "ARTICLE_SQL in the article's partition, with what the article page reads next there (ARTICLE_PREFETCH)."
    keys = await fed.keys_of_articles([params["id"]])
    keys = [k for k in keys if k in fed.partitions][:1]  # an article is in one partition
    visible = getattr(fed, "visible", None)
    if not keys or visible is None or set(params) != {"id"}:
        return first_of(await fed.on(keys, sql, params), params, parts)
    later = [s for s, tables in ARTICLE_PREFETCH if set(tables) <= visible]

    def read(conn):
        out = []
        for statement in [sql, *later]:
            cursor = conn.execute(statement, params)
            out.append(([d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()]))
        return out
    found = (await fed.on_fn(keys, read, sql))[0]
    for statement, (columns, rows) in zip(later, found[1:]):
        fed.prefetched[(keys[0], statement, _params_key(params))] = Results(columns, rows)
    columns, rows = found[0]
    return Results(columns, rows[:1])


async def shared_claims(fed, sql, params, parts):
    "The claims an article shares with others (archive-wide), each with a few of the other articles."
    local = re.sub(r"\(SELECT json_group_array\(article_id\).*?\) AS others", "NULL AS others", sql, count=1,
                   flags=re.S)
    base = await fed.on_wide(local, params)
    claim_ids = [row["id"] for row in base.rows]
    per_claim = params["per_claim"]
    # claim_partitions keeps each partition's first FIRST_ARTICLES articles of a claim: the archive's first
    # per_claim + 1 (one may be this article) are among them, so no partition is read; an archive written before
    # first_articles (or a longer list asked) reads the partitions that hold the claim
    others, holders = {}, {}
    if claim_ids:
        try:
            rows = (await fed.on_wide(
                "SELECT claim_id, partition, first_articles FROM claim_partitions WHERE claim_id IN "
                "(SELECT value FROM json_each(:ids))", {"ids": json.dumps(claim_ids)})).rows
        except sqlite3.OperationalError:  # no first_articles yet (newstrace optimize FOLDER adds it)
            rows = [(claim_id, key, None) for claim_id, key in (await fed.on_wide(
                "SELECT claim_id, partition FROM claim_partitions WHERE claim_id IN (SELECT value FROM json_each(:ids))",
                {"ids": json.dumps(claim_ids)})).rows]
        firsts, unknown = {}, set()
        for claim_id, key, listed in rows:
            if key not in fed.partitions:
                continue
            holders.setdefault(key, []).append(claim_id)
            if listed is None or per_claim + 1 > FIRST_ARTICLES:
                unknown.add(claim_id)
            else:
                firsts.setdefault(claim_id, set()).update(json.loads(listed))
        for claim_id, ids in firsts.items():
            if claim_id not in unknown:
                others[claim_id] = {i for i in sorted(ids)[:per_claim + 1] if i != params["id"]}
        holders = {k: [c for c in claims_ if c in unknown] for k, claims_ in holders.items()}
    keys = [k for k in holders if holders[k]]
    statements = [" UNION ALL ".join(
        f"SELECT {int(c)} AS claim, article_id FROM (SELECT DISTINCT article_id FROM claim_mentions "
        f"WHERE claim_id = {int(c)} AND article_id != :id LIMIT :per_claim)" for c in sorted(holders[k])) for k in keys]
    found = await asyncio.gather(*(fed.partitions[k].execute(sql_k, {"id": params["id"], "per_claim": per_claim})
                                   for k, sql_k in zip(keys, statements)))
    for result in found:
        for claim_id, article_id in result.rows:
            others.setdefault(claim_id, set()).add(article_id)
    out = []
    for row in base.rows:
        values = list(row)
        # the first articles of the claim's index, as one file's would give them (article order)
        values[row.keys().index("others")] = json.dumps(sorted(others.get(row["id"], ()))[:params["per_claim"]])
        out.append(values)
    return Results(base.columns, out)


async def titled(fed):
    "Whether the archive's article_index has the articles' titles (an archive from before them: read in partitions)."
    if getattr(fed, "index_titled", None) is None:
        fed.index_titled = "title" in {r[1] for r in (await fed.wide.execute("PRAGMA table_info(article_index)")).rows}
    return fed.index_titled


async def other_articles(fed, sql, params, parts):
    "Articles by id (titles, outlets, dates): from the article index, else read in their partitions."
    if await titled(fed):
        return await fed.on_wide("SELECT id, title, outlet, published, language FROM article_index WHERE id IN "
                                 f"({', '.join(str(i) for i in _ints(parts.get('ids')))})")
    return await on_partitions(concat(), by_ids())(fed, sql, params, parts)


async def original(fed, sql, params, parts):
    if await titled(fed):
        return await fed.on_wide("SELECT id, title, outlet, published FROM article_index WHERE id = :id", params)
    return await on_partitions(first_of, by("article"))(fed, sql, params, parts)


async def copies(fed, sql, params, parts):
    "The same text at other URLs: found in the article index (with their titles), else read in their partitions."
    if await titled(fed):
        return await fed.on_wide("SELECT id, title, outlet, published FROM article_index WHERE content_hash = :hash "
                                 "AND id != :id ORDER BY id LIMIT 20", params)
    ids = [r[0] for r in (await fed.on_wide("SELECT id FROM article_index WHERE content_hash = :hash AND id != :id "
                                            "ORDER BY id LIMIT 20", params)).rows]
    if not ids:
        return Results(["id", "title", "outlet", "published"], [])
    results = await fed.on(await fed.keys_of_articles(ids), articles.OTHER_ARTICLES_SQL.format(
        ids=", ".join(str(i) for i in ids)).replace(", language FROM", " FROM"))
    return concat([("id", "asc")])(results, params, parts)


async def distinct_countries(fed, sql, params, parts, keys, spec=None):
    """Statements counting distinct countries per group over the rows (day-level filters): each partition gives
    the countries, unioned here."""
    local = sql.replace("COUNT(DISTINCT p.country) AS countries", "json_group_array(DISTINCT p.country) AS countries")
    local = local.replace("COUNT(DISTINCT CASE WHEN p.role IN", "json_group_array(DISTINCT CASE WHEN p.role IN")
    results = await fed.on(None, local, params)
    aggregates = {c: ("set" if c in ("countries", "participants_named") else
                      "min" if c == "first_seen" else "max" if c == "last_seen" else "sum")
                  for c in (results[0].columns if results else []) if c not in keys}
    out = grouped(results, keys, aggregates, spec)
    columns = out.columns
    rows = [[len([x for x in json.loads(r[c]) if x is not None]) if aggregates.get(c) == "set" else r[c]
             for c in columns] for r in out.rows]
    return Results(columns, rows)


from newstrace.ingest.partitioned.layout import DATED  # noqa: E402

assert DATED in initiatives.DATED_SQL  # partition_initiative_articles.dated counts exactly its rows


async def dated_roles(fed, sql, params, parts):
    """An initiative's roles dated in the text (DATED_SQL, a bounded sample): from the partitions that hold some by
    partition_initiative_articles (none read when it has none), else from every partition of the initiative."""
    if "partition_initiative_articles" in getattr(fed, "wide_tables", ()):
        keys = await fed._keys(("dated", params["id"]), "SELECT partition FROM partition_initiative_articles "
                               "WHERE initiative_id = :id AND dated > 0 ORDER BY partition", {"id": params["id"]})
    else:
        keys = await fed.keys_of_initiative(params["id"])
    return group_limit([("role", "asc"), ("country", "asc"), ("article_id", "asc")], initiatives.DATED_LIMIT)(
        await fed.on(keys, sql, params), params, parts)


CLAIMS_LIMIT = 20
assert initiatives.INITIATIVE_CLAIMS_SQL.rstrip().endswith(f"LIMIT {CLAIMS_LIMIT}")


async def initiative_claims(fed, sql, params, parts):
    """An initiative's articles claiming most participants, newest first among equal claims (INITIATIVE_CLAIMS_SQL,
    20 rows): only the partitions holding claimed counts of it (initiative_claimed_max), and without filters only
    those whose largest claim (and, among equal claims, whose month) can reach the first 20: the partitions by their
    largest claim first, newest first, until their claiming articles are 20; then any other whose largest claim
    beats the 20th row's, or equals it in a month not older than the 20th row's (a month's dates begin with its key)."""
    from newstrace.ingest.partitioned.layout import UNDATED

    spec = [("claimed", "desc"), ("published", "desc")]
    found = {k: (claimed, n) for k, claimed, n in (await fed.on_wide(
        "SELECT partition, claimed, articles FROM initiative_claimed_max WHERE initiative_id = :id",
        {"id": params["id"]})).rows if k in fed.partitions}
    keys = sorted(found)
    if (parts.get("where") or "").strip() or not keys:
        results = await fed.on(keys, sql, params)
    else:
        order = sorted((k for k in keys if k != UNDATED), key=lambda k: (-found[k][0], _Reversed(k)))
        first, known = [k for k in keys if k == UNDATED], 0
        for k in order:
            if known >= CLAIMS_LIMIT:
                break
            first.append(k)
            known += found[k][1]
        got = dict(zip(first, await fed.on(first, sql, params)))
        rows = sorted((r for k in sorted(got) for r in got[k].rows), key=order_key(spec))
        rest = [k for k in order if k not in got]
        if len(rows) >= CLAIMS_LIMIT:
            last = rows[CLAIMS_LIMIT - 1]
            month = (last["published"] or "")[:7] if last["published"] is not None else None
            rest = [k for k in rest if found[k][0] > last["claimed"] or (found[k][0] == last["claimed"] and (
                month is None or k >= month))]
        got.update(zip(rest, await fed.on(rest, sql, params)))
        results = [got[k] for k in sorted(got)]
    return group_limit(spec, CLAIMS_LIMIT)(results, params, parts)


async def initiative_stats(fed, sql, params, parts):
    return await distinct_countries(fed, sql, params, parts, ["id"])


async def initiative_months(fed, sql, params, parts):
    return await distinct_countries(fed, sql, params, parts, ["month"], [("month", "asc")])


async def search_ranked(fed, sql, params, parts):
    return await search_rank.ranked(fed, params, dict(parts, _sql=sql))


async def search_count(fed, sql, params, parts):
    "The count the ranking already made (search_rank.ranked), else every partition's, summed."
    known = fed.cache.get(search_rank.count_key(params, parts))
    if known is not None:
        return Results(["n"], [[known]])
    return total(await fed.on(None, sql, params), params, parts)


def _rules():
    by_article, by_country, by_initiative = by("article"), by("country"), by("initiative")
    P = on_partitions
    ids = by_ids()
    rules = [
        # search: ranked with the archive's statistics, counted, rows read where they are
        (search.SEARCH_SQL, search_ranked),
        (search.COUNT_SQL, search_count),
        (search.ROWS_SQL, P(concat(), ids)),
        (search.CHOICES_SQL, facet_choices),
        # claims: the claim and its chain on the archive-wide database; its mentions in their partitions
        (claims.CLAIM_SQL, wide), (claims.REDIRECT_SQL, wide), (claims.EDGES_SQL, wide),
        (claims.LIST_SQL, claims_list), (claims.LIST_COUNT_SQL, claims_list),
        (claims.MENTIONS_SQL, claim_mentions_page), (claims.RATED_SQL, claim_mentions_page),
        (claims.RATINGS_SQL, claim_mentions_page),
        (claims.MENTIONS_SQL.replace("WHERE m.claim_id = :id", "WHERE m.claim_id = :id AND m.article_id = :article", 1),
         claim_mentions_page),
        (claims.MENTIONS_COUNT_SQL, claim_mentions_count),
        (claims.OUTLETS_SQL, claim_outlets), (claims.TIMELINE_SQL, claim_timeline),
        (claims.CHAIN_GROUPS_SQL, chain_groups), (claims.VARIANT_GROUPS_SQL, variant_groups),
        (claims.COLUMNS_SQL, one_partition), (claims.CLAIM_COLUMNS_SQL, wide),
        (claims.ARTICLE_SQL, P(first_of, by_article)),
        # the countries map and pages
        (geo.COUNTRIES_SQL, wide), (countries.COUNTRY_SQL, wide), (countries.INITIATIVE_NAMES_SQL, wide),
        (countries.CHOICE_ROWS_SQL, wide), (countries.INITIATIVE_KEYS_SQL, wide),
        (countries.LANGUAGES_SQL, languages),
        (countries.COUNTRY_MONTHS_SUMMARY_SQL, wide), (countries.COUNTRY_SURFACES_SUMMARY_SQL, wide),
        (countries.COUNTRY_PARTICIPATION_SQL, P(concat([("initiative_name", "asc"), ("initiative_id", "asc"),
                                                        ("role", "asc"), ("published", "desc"), ("id", "asc")]),
                                                by_country)),
        (countries.COUNTRY_MONTHS_SQL, P(group(["month"], {"articles": "sum"}, [("month", "asc")]), by_country)),
        (countries.COUNTRY_MENTION_MONTHS_SQL, P(group(["month"], {"mentions": "sum"}), by_country)),
        (countries.COUNTRY_SURFACES_SQL, P(group(["surface", "kind", "reading"], {"n": "sum"},
                                                 [("n", "desc"), ("surface", "asc")], 30), by_country)),
        (countries.ARTICLE_ROWS_SQL, P(concat([("published", "desc"), ("id", "desc")]), ids)),
        (countries.COUNTRY_INITIATIVES_SQL, country_initiatives),
        (geo.MAP_ARTICLES_SUMMARY_SQL, wide),
        (geo.MAP_ARTICLES_SQL, P(group(["code"], {"articles": "sum"}))),
        (geo.MAP_ROLES_SQL, map_roles), (geo.MAP_PARTITION_ROLES_SQL, wide), (geo.MAP_INITIATIVES_TOTALS_SQL, wide),
        (geo.MAP_ROLE_ARTICLES_SQL, P(group(["code"], {"articles": "sum"}))),
        ("SELECT MAX(id) FROM articles", max_id),
        (participation.LATEST_JOIN_SQL, latest), (participation.LATEST_WALK_SQL, latest),
        (participation.PARTICIPATION_ROWS_SQL, participation_rows),
        # initiatives
        (initiatives.INITIATIVES_SQL, wide), (initiatives.SUCCESSORS_SQL, wide), (initiatives.REDIRECT_SQL, wide),
        (initiatives.EDITIONS_SQL, wide), (initiatives.RELATED_SQL, wide), (initiatives.NAMES_SQL, wide),
        (initiatives.LIST_IDS_SQL, wide), (initiatives.LIST_COUNT_SQL, wide), (initiatives.KINDS_SQL, wide),
        (initiatives.TIMELINE_SQL, wide), (initiatives.INITIATIVE_TOTALS_SQL, wide),
        # a bounded sample, in the order of the single file's index (initiative, role, country, article)
        (initiatives.DATED_SQL, dated_roles),
        (initiatives.INITIATIVE_STATS_SUMMARY_SQL, wide), (initiatives.INITIATIVE_ARTICLES_SUMMARY_SQL, wide),
        (initiatives.INITIATIVE_COUNTRIES_SUMMARY_SQL, wide), (initiatives.INITIATIVE_MONTHS_SUMMARY_SQL, wide),
        (initiatives.INITIATIVE_STATS_SQL, initiative_stats), (initiatives.INITIATIVE_MONTHS_SQL, initiative_months),
        (initiatives.INITIATIVE_SEEN_SQL.replace("{order}", "ASC"),
         P(ordered_one([("published", "asc")]), by_initiative_month())),
        (initiatives.INITIATIVE_SEEN_SQL.replace("{order}", "DESC"),
         P(ordered_one([("published", "desc")]), by_initiative_month())),
        (initiatives.CLAIMED_SQL, claimed),
        (initiatives.INITIATIVE_CLAIMS_SQL, initiative_claims),
        (initiatives.INITIATIVE_COUNTRIES_SQL, P(group(["role", "country"], {"evidence": "sum", "articles": "sum"}),
                                                 by_initiative)),
        # the article page: everything from the article's partition, its claims from the archive-wide database
        (articles.ARTICLE_SQL, article_first), (articles.MENTIONS_SQL, article_mentions),
        (articles.COUNTRY_MENTIONS_SQL, P(concat(), by_article)), (articles.PARTICIPATION_SQL, P(concat(), by_article)),
        (articles.VERSIONS_SQL, P(concat(), by_article)), (articles.VERSION_TEXT_SQL, P(first_of, by_article)),
        (articles.SNAPSHOTS_SQL, P(concat(), by_article)), (articles.SNAPSHOT_SQL, P(first_of, by_article)),
        (articles.SHARED_SQL, shared_claims),
        (articles.OTHER_ARTICLES_SQL, other_articles), (articles.COPIES_SQL, copies),
        (articles.ORIGINAL_SQL, original),
        # the overview
        (overview.TOTALS_SQL, totals), (overview.FACET_SQL, facet_values), (overview.TOP_CLAIMS_SQL, wide),
        (overview.TOP_INITIATIVES_SQL, wide), (overview.NAMED_INITIATIVES_SQL, wide),
        # (an archive from before initiatives.articles: counted from the rows, an article in one partition only)
        (overview.TOP_INITIATIVES_ROWS_SQL, uncut(group(["id"], {"articles": "sum"}, [("articles", "desc"), ("id", "asc")],
                                                        "limit"))),
        (overview.LATEST_SQL, paged_newest(None, offset="_none")),
    ]
    return rules


class _Later:
    "Partitions to read first, and the rest when the first gave fewer than `need` rows."

    def __init__(self, first, rest, need):
        self.first, self.rest, self.need = first, rest, need


def uncut(combine):
    "Every partition's whole result (its LIMIT :limit dropped), combined (and cut) by `combine`."
    async def handler(fed, sql, params, parts):
        local = re.sub(r"\s+LIMIT :limit\s*$", "", sql.strip())
        assert local != sql.strip(), sql
        return combine(await fed.on(None, local, params), params, parts)
    return handler


def ordered_one(spec):
    def combine(results, params, parts):
        return merged(results, spec, 1)
    return combine


def group_limit(spec, n):
    def combine(results, params, parts):
        columns, rows = _concat(results)
        return Results(columns, sorted(rows, key=order_key(spec))[:n])
    return combine


RULES = _rules()


# --- which databases are partitioned archives ------------------------------------------------------------

_roles = weakref.WeakKeyDictionary()


async def role(db):
    "('wide' | 'partition' | None, archive id, partition key) of a Datasette Database, read once."
    if db in _roles:
        return _roles[db]

    def read(conn):
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "archive_info" in names and "partitions" in names:
            row = conn.execute("SELECT value FROM archive_info WHERE name = 'archive_id'").fetchone()
            return "wide", row[0] if row else None, None
        if "partition_info" in names and "articles" in names:
            info = dict(conn.execute("SELECT name, value FROM partition_info").fetchall())
            return "partition", info.get("archive_id"), info.get("key")
        return None, None, None

    try:
        found = await db.execute_fn(read)
    except Exception:
        found = (None, None, None)
    _roles[db] = found
    return found


async def federated(datasette, db, actor=None, tables=(), needs=()):
    """For a partitioned archive's archive-wide database `db`: (a Federated over the partitions `actor` may
    read, the `tables` kept in partitions that the actor may see in every one of them, how many partitions
    were left out); None for any other database. A partition is left out when the actor may not see its
    database or one of the `needs` tables in it: what Datasette's own pages of that month would refuse."""
    from . import compat

    kind, archive_id, _ = await role(db)
    if kind != "wide":
        return None
    # the archive-wide tables, and whether article_index has the titles (an added column: in its CREATE statement),
    # in one statement a page
    schema = {name: sql or "" for name, sql in (await db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).rows}
    wide_tables = set(schema)
    wanted = [t for t in dict.fromkeys(tables) if t not in wide_tables]
    needed = {t for t in needs if t not in wide_tables}
    members = {}
    for name, other in list(datasette.databases.items()):
        other_kind, other_id, key = await role(other)
        if other_kind == "partition" and other_id == archive_id:
            members[name] = key
    # every partition's answers in one pass (compat.visibility: months with the same permissions asked once)
    answers = await compat.visibility(datasette, actor, list(members), wanted)
    partitions, seen, refused = {}, None, 0
    for name, key in members.items():
        may_view, visible = answers[name]
        if not needed <= visible or not may_view:
            refused += 1
            continue
        partitions[key] = datasette.databases[name]
        seen = visible if seen is None else seen & visible
    fed = Federated(datasette, db, partitions)
    fed.wide_tables = frozenset(wide_tables)
    fed.index_titled = bool(re.search(r"\btitle\b", schema.get("article_index", "")))
    fed.hidden = refused
    return fed, (set(wanted) if seen is None else seen), refused


async def wide_of(datasette, db):
    "The archive-wide database's name for a partition database, else None."
    kind, archive_id, _ = await role(db)
    if kind != "partition":
        return None
    for name, other in datasette.databases.items():
        if (await role(other))[:2] == ("wide", archive_id):
            return name
    return None


def to_archive(view):
    """A claims route on a partition database answers with a redirect to the archive's page (claims live in
    the archive-wide database); on any other database, the view itself."""
    from datasette.utils.asgi import Response

    async def wrapped(datasette, request):
        try:
            db = datasette.get_database(request.url_vars["database"])
        except KeyError:
            return await view(datasette, request)
        wide_name = await wide_of(datasette, db)
        if wide_name is None:
            return await view(datasette, request)
        prefix = datasette.urls.database(db.name)
        path = datasette.urls.database(wide_name) + request.path[len(prefix):]
        return Response.redirect(path + ("?" + request.query_string if request.query_string else ""), status=302)

    return wrapped

