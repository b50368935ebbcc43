"""Ranked search over the partitions of an archive, scored as one index would score it.

FTS5's bm25 (https://www.sqlite.org/fts5.html#the_bm25_function; fts5_aux.c) gives an article, for each phrase
i of the query, IDF_i * F_i * (k1 + 1) / (F_i + k1 * (1 - b + b * D / avgdl)), summed and negated: F_i the
weighted hits of the phrase in the row, D the row's length in tokens, avgdl and IDF_i = ln((N - n_i + 0.5) /
(n_i + 0.5)) from the index's row count N and the n_i rows holding the phrase. Each partition is its own
index with its own N, n_i and avgdl, so its bm25 would rank a partition's articles against each other only.
Here N, n_i and avgdl are the archive's (sums over partitions: their row and token totals from FTS5's
averages record, n_i by counting); each partition's bm25 of phrase i alone gives F_i back (its own IDF and
avgdl are known and D is in FTS5's docsize table), and the score is computed again with the archive's
statistics — in SQL, in each partition, so only its best offset+limit rows leave it. The merged order is
the order one index over all the articles would give (tested against the single file)."""
import asyncio
import math
import re

from newstrace.ingest.partitioned.layout import partition_key

K1, B = 1.2, 0.75
WEIGHTS = re.compile(r"bm25\(articles_fts((?:,\s*[\d.]+)*)\)")
# FTS5 phrases in a MATCH expression: "quoted" (a doubled quote inside) or a bare word; operators apart
PHRASE = re.compile(r'"((?:[^"]|"")*)"|([^\s()"]+)')
OPERATORS = {"AND", "OR", "NOT"}

# one statement per partition before the ranking: its index's averages record (rows, tokens per column),
# how many rows hold each phrase, and how many rows match the query under the filters
FIRST_SQL = """
SELECT (SELECT block FROM articles_fts_data WHERE id = 1) AS averages{hits},
       {matches} AS matches
"""
MATCHES_SQL = "(SELECT COUNT(*) FROM articles_fts {join} WHERE articles_fts MATCH :query {filters})"


def varints(blob):
    "The unsigned varints (SQLite's encoding, which FTS5 uses) of a blob."
    out, value = [], 0
    for byte in blob or b"":
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            out.append(value)
            value = 0
    return out


def fts_size(blob):
    "A row's length in tokens, all columns: the sum of its FTS5 docsize varints (SQL function newstrace_fts_size)."
    return sum(varints(blob))


def phrases(query):
    "The phrases of an FTS5 query, in order, as FTS5 numbers them (operators and NEAR groups aside)."
    out = []
    for m in PHRASE.finditer(query or ""):
        if m.group(1) is not None:
            out.append('"' + m.group(1) + '"')
        elif m.group(2) not in OPERATORS and not m.group(2).startswith("NEAR"):
            out.append(m.group(2))
    return out


def idf(rows, hits):
    value = math.log((rows - hits + 0.5) / (hits + 0.5)) if rows else 0.0
    return value if value > 0 else 1e-6


def _score_sql(n, weights, join, filters, whole, order=None):
    """The archive-scored rank of each matching row of one partition; :idf_g{i}, :idf_l{i}, :avgdl_g, :avgdl_l
    bound. `whole`: the query is one phrase and no filter, so the phrase's rows are the matches. `order`: an
    article column's ORDER BY (search.SORTS, e.g. 'a.published DESC'), the rank breaking its ties: the rows come
    in that order, with the column as _order."""
    w = ", ".join(str(x) for x in weights)
    column = order[0] if order and order[0] != "rank" else None
    parts, terms = [], []
    for i in range(n):
        parts.append(f"p{i} AS MATERIALIZED (SELECT rowid AS id, bm25(articles_fts{', ' + w if w else ''}) AS s "
                     f"FROM articles_fts WHERE articles_fts MATCH :phrase{i})")
        f = f"(k.kl / ((-:idf_l{i} * {K1 + 1} / p{i}.s) - 1))"
        terms.append(f"CASE WHEN p{i}.s IS NULL THEN 0 ELSE :idf_g{i} * {f} * {K1 + 1} / ({f} + k.kg) END")
    if whole:
        hits, joins = "", " ".join(f"JOIN p{i} ON p{i}.id = k.id" for i in range(n))
        source = "p0"
    else:
        hits = (f"hits AS MATERIALIZED (SELECT articles_fts.rowid AS id FROM articles_fts {join} "
                f"WHERE articles_fts MATCH :query {filters}),\n")
        joins = " ".join(f"LEFT JOIN p{i} ON p{i}.id = k.id" for i in range(n))
        source = "hits"
    return f"""
WITH {hits}{", ".join(parts)},
d AS (SELECT {source}.id, newstrace_fts_size(docsize.sz) AS dl
      FROM {source} JOIN articles_fts_docsize docsize ON docsize.id = {source}.id),
k AS (SELECT id, {K1} * (1 - {B} + {B} * dl / :avgdl_l) AS kl, {K1} * (1 - {B} + {B} * dl / :avgdl_g) AS kg FROM d)
SELECT k.id, -({' + '.join(terms) or '0'}) AS rank{', ' + column + ' AS _order' if column else ''} FROM k {joins}
{'JOIN articles a ON a.id = k.id' if column else ''}
ORDER BY {order[0] + ' ' + order[1] + ', ' if order else ''}rank, k.id
LIMIT :limit
"""


def _first_sql(n, join, filters, counted):
    hits = "".join(f",\n       (SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH :phrase{i}) AS h{i}"
                   for i in range(n))
    return FIRST_SQL.format(hits=hits, matches=MATCHES_SQL.format(join=join, filters=filters) if counted else "0")


# a query of one phrase (most searches: a word, a "quoted phrase", a Chinese term): one statement per
# partition gives its statistics and its best rows by its own bm25, which orders them as the archive's would up
# to a bounded factor (one_phrase); a partition whose unseen rows provably rank below the archive's best is
# not asked again
CANDIDATES_SQL = """
WITH c AS (SELECT articles_fts.rowid AS id, bm25(articles_fts{weights}) AS s FROM articles_fts {join}
           WHERE articles_fts MATCH :query {filters} ORDER BY s, articles_fts.rowid LIMIT :limit)
SELECT (SELECT block FROM articles_fts_data WHERE id = 1) AS averages,
       (SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH :phrase0) AS h0,
       {matches} AS matches, c.id, c.s, newstrace_fts_size(d.sz) AS dl
FROM (SELECT 1) LEFT JOIN c LEFT JOIN articles_fts_docsize d ON d.id = c.id
ORDER BY c.s, c.id
"""


def count_key(params, parts):
    "What identifies a query's count: the COUNT_SQL that follows the ranking reads it from the first round."
    return ("count", parts.get("join") or "", parts.get("filters") or "",
            tuple(sorted((k, v) for k, v in params.items() if k not in ("limit", "offset"))))


async def ranked(fed, params, parts):
    """The SEARCH_SQL rows (id, rank) of the archive: the partitions' best, scored with the archive's statistics
    (all partitions count for them, also those a month filter leaves out)."""
    from .federated import Results, merged

    join, filters = parts.get("join") or "", parts.get("filters") or ""
    keys = list(fed.partitions)
    wanted_keys = [k for k in keys if k == partition_key(params["month"])] if params.get("month") else keys
    found = WEIGHTS.search(parts.get("_sql") or "")
    weights = [float(x) for x in re.findall(r"[\d.]+", found.group(1))] if found else [5.0, 1.0]
    wanted = phrases(params["query"])
    bound = dict(params, **{f"phrase{i}": p for i, p in enumerate(wanted)})
    order = column_order(parts.get("order"))
    if order is None and len(wanted) == 1 and params["query"].strip() == wanted[0]:
        return await one_phrase(fed, params, parts, keys, wanted_keys, weights, bound)
    first = await asyncio.gather(*(fed.partitions[k].execute(_first_sql(len(wanted), join, filters, k in wanted_keys),
                                                             bound) for k in keys))
    stats = {}
    for k, r in zip(keys, first):
        row = r.first()
        values = varints(row[0]) if row[0] is not None else []
        stats[k] = {"rows": values[0] if values else 0, "tokens": sum(values[1:]),
                    "hits": [row[1 + i] for i in range(len(wanted))], "matches": row[-1]}
    fed.cache[count_key(params, parts)] = sum(s["matches"] for s in stats.values())
    rows_total = sum(s["rows"] for s in stats.values())
    tokens_total = sum(s["tokens"] for s in stats.values())
    if not rows_total:
        return Results(["id", "rank"], [])
    avgdl_g = tokens_total / rows_total
    idf_g = [idf(rows_total, sum(s["hits"][i] for s in stats.values())) for i in range(len(wanted))]
    limit = params["limit"] + (params.get("offset") or 0)
    # one phrase, no filter: its rows are the matches (FTS5 asked once, not twice)
    whole = len(wanted) == 1 and not filters.strip() and params["query"].strip() == wanted[0]
    sql = _score_sql(len(wanted), weights, join, filters, whole, order)
    runs = []
    for k in wanted_keys:
        st = stats[k]
        if not st["matches"]:
            continue
        local = dict(bound, limit=limit, avgdl_g=avgdl_g, avgdl_l=st["tokens"] / st["rows"])
        for i in range(len(wanted)):
            local[f"idf_g{i}"] = idf_g[i]
            local[f"idf_l{i}"] = idf(st["rows"], st["hits"][i])
        runs.append(fed.partitions[k].execute(sql, local))
    results = [Results.of(r) for r in await asyncio.gather(*runs)]
    if order is None:
        return merged(results, [("rank", "asc"), ("id", "asc")], params["limit"], params.get("offset") or 0)
    # sorted by an article column (?_sort=published): merged in its order, the rank breaking ties, as one file
    first = "rank" if order[0] == "rank" else "_order"
    page = merged(results, [(first, order[1].lower()), ("rank", "asc"), ("id", "asc")], params["limit"],
                  params.get("offset") or 0)
    return Results(["id", "rank"], [[r["id"], r["rank"]] for r in page.rows])


ORDER = re.compile(r"\s*(a\.\w+|rank)\s+(ASC|DESC)\s*,\s*rank\s*", re.I)


def column_order(order):
    """(column, 'ASC'|'DESC') of a SEARCH_SQL ordered by an article column (search.SORTS), or by rank worst first,
    then rank; None for the best match first."""
    m = ORDER.fullmatch(order or "")
    if not m or (m.group(1) == "rank" and m.group(2).upper() == "ASC"):
        return None
    return m.group(1), m.group(2).upper()


def _stats(row, n):
    values = varints(row[0]) if row[0] is not None else []
    return {"rows": values[0] if values else 0, "tokens": sum(values[1:]), "hits": [row[1 + i] for i in range(n)],
            "matches": row[1 + n]}


async def one_phrase(fed, params, parts, keys, wanted_keys, weights, bound):
    """ranked() for a query that is one phrase. Each partition's bm25 is -idf_l * F * (k1 + 1) / (F + kl) and the
    archive's -idf_g * F * (k1 + 1) / (F + kg), kl and kg of the row's length D over the partition's or the
    archive's average: their ratio is idf_g / idf_l * (F + kl) / (F + kg), and (F + kl) / (F + kg) lies between 1
    and avgdl_g / avgdl_l whatever F and D. So a row outside a partition's first `limit` by its own bm25 scores at
    most |bm25 of its last| * idf_g / idf_l * max(1, avgdl_g / avgdl_l) for the archive; a partition whose bound
    is below the archive's `limit`-th score has given all its rows of the page (most partitions, when there are
    many). Each partition's first rows are scored again with the archive's statistics (as the SQL of
    _score_sql does); the others are asked with _score_sql, exactly as before."""
    from .federated import Results, merged

    join, filters = parts.get("join") or "", parts.get("filters") or ""
    limit = params["limit"] + (params.get("offset") or 0)
    w = "".join(f", {x}" for x in weights)
    matches = MATCHES_SQL.format(join=join, filters=filters) if filters.strip() else "NULL"
    candidates_sql = CANDIDATES_SQL.format(weights=w, join=join, filters=filters, matches=matches)
    stats_sql = _first_sql(1, join, filters, False)
    local = dict(bound, limit=limit)
    found = await asyncio.gather(*(fed.partitions[k].execute(candidates_sql if k in wanted_keys else stats_sql,
                                                             local) for k in keys))
    stats, rows = {}, {}
    for k, r in zip(keys, found):
        first = r.first()
        stats[k] = _stats(first, 1)
        if k in wanted_keys:
            if stats[k]["matches"] is None:  # no filter: the phrase's rows are the matches
                stats[k]["matches"] = stats[k]["hits"][0]
            rows[k] = [(row["id"], row["s"], row["dl"]) for row in r.rows if row["id"] is not None]
        else:
            stats[k]["matches"] = 0
    fed.cache[count_key(params, parts)] = sum(s["matches"] for s in stats.values())
    rows_total = sum(s["rows"] for s in stats.values())
    if not rows_total:
        return Results(["id", "rank"], [])
    avgdl_g = sum(s["tokens"] for s in stats.values()) / rows_total
    idf_g = idf(rows_total, sum(s["hits"][0] for s in stats.values()))
    scored, bounds = [], {}
    for k, got in rows.items():
        st = stats[k]
        if not got:
            continue
        avgdl_l = st["tokens"] / st["rows"]
        idf_l = idf(st["rows"], st["hits"][0])
        for row_id, s, dl in got:
            kl = K1 * (1 - B + B * dl / avgdl_l)
            kg = K1 * (1 - B + B * dl / avgdl_g)
            if s:
                f = kl / ((-idf_l * (K1 + 1) / s) - 1)
                rank = -(idf_g * f * (K1 + 1) / (f + kg))
            else:
                rank = -0.0
            scored.append((row_id, rank))
        if len(got) >= limit:  # rows may be left: their bound (a little above it, for rounding)
            bounds[k] = -got[-1][1] * idf_g / idf_l * max(1.0, avgdl_g / avgdl_l) * (1 + 1e-9)
    scored.sort(key=lambda r: (r[1], r[0]))
    kth = -scored[limit - 1][1] if len(scored) >= limit else None
    again = [k for k, most in bounds.items() if kth is None or most >= kth]
    if again:
        sql = _score_sql(1, weights, join, filters, not filters.strip())
        exact = await asyncio.gather(*(fed.partitions[k].execute(sql, dict(
            bound_params(bound, stats[k], avgdl_g, [idf_g]), limit=limit)) for k in again))
        scored = [r for r in scored if r[0] not in _ids(rows, again)]
        scored += [(row["id"], row["rank"]) for r in exact for row in r.rows]
    return merged([Results(["id", "rank"], [list(r) for r in sorted(scored, key=lambda r: (r[1], r[0]))])],
                  [("rank", "asc"), ("id", "asc")], params["limit"], params.get("offset") or 0)


def _ids(rows, keys):
    return {row_id for k in keys for row_id, _, _ in rows.get(k, ())}


def bound_params(bound, st, avgdl_g, idf_g):
    "The parameters of _score_sql for one partition."
    local = dict(bound, avgdl_g=avgdl_g, avgdl_l=st["tokens"] / st["rows"])
    for i, value in enumerate(idf_g):
        local[f"idf_g{i}"] = value
        local[f"idf_l{i}"] = idf(st["rows"], st["hits"][i])
    return local
