"""Claim pages: one claim traced across articles, outlets and languages, and the list of claims.

/{db}/-/claims/{id}        the claim, its first appearance, a timeline (SVG, one mark per mention, a lane per
                           outlet), the reporting chain (SVG directed graph), each evidence sentence in
                           context with its hedge marked, the variant figures side by side.
                           .json (everything), .csv (the mentions), .jsonld (schema.org Claim / ClaimReview).
                           A merged claim's old id answers 302 to the surviving id, in every format.
/{db}/-/claims             claims, most mentioned first (?q= searches, ?status= ?type= ?article= filter)
Cells of claims.claim_text and of every claim id column link to the claim page.
"""
import json

from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup

from newstrace.ingest.claims.trace import chain_edges, outlet_of, variants
from newstrace.ingest.partitioned.layout import CLAIM_SAMPLE

from .factcheck import OPTIONAL_MENTION_COLUMNS, MAX_RATINGS, origin, ratings, travel, travel_from_counts, verdict
from .drawing import (MODES, STATUSES, TIMELINE_LANES, chain_graph, mark_shape, timeline, timeline_from_groups,
                      timeline_lanes)
from .jsonld import jsonld
from .archive import archive_for
from .render import (json_response, parse_int, query_string, read_paging, read_sort, read_text, respond,
                     url_int)
from .search import execute, search_query
from .urls import claim_url

CONTEXT_CHARS = 280
PAGE_SIZE = 50
# evidence sentences per page of a claim (?page=N); the timeline/chain/variants use every mention up to
# DETAIL_LIMIT, aggregates past it (lanes: the outlets with most mentions, the rest in one lane)
EVIDENCE_PAGE = 50
DETAIL_LIMIT = 200
CHAIN_GROUPS = 400
CHAIN_EDGES = 40
VARIANT_GROUPS = 300
SAMPLE_MENTIONS = CLAIM_SAMPLE  # (a partitioned archive counts its sample per partition for this size)

# --- SQL ---------------------------------------------------------------------------------------------

CLAIM_SQL = "SELECT * FROM claims WHERE id = :id"
REDIRECT_SQL = "SELECT new_id FROM claim_redirects WHERE old_id = :id"
# the evidence in context: SQLite's substr counts characters, as char_start/char_end do; a headline's mention
# (segment 'title') indexes the article's title
MENTIONS_SQL = """
WITH page AS (
  -- the page's mention ids first, from indexes only; the article texts are read for these rows alone
  SELECT m.id, COALESCE(m.published, '9999') AS sort_date, m.article_id, m.char_start
  FROM claim_mentions m
  WHERE m.claim_id = :id
  ORDER BY sort_date, m.article_id, m.char_start
  LIMIT :limit OFFSET :offset
)
SELECT m.id, m.article_id, m.segment, m.sentence, m.char_start, m.char_end, m.lang, m.claim_type, m.speaker,
       m.speaker_text, m.cited_source, m.attribution_mode, m.verification_status, m.hedge_text, m.hedge_scope,
       m.quantities, m.chain, m.extractor, m.confidence{optional},
       a.title, a.url, a.canonical_url, a.published, a.language, a.duplicate_of,
       COALESCE(a.sitename, a.hostname) AS outlet, COALESCE(o.sitename, o.hostname) AS original_outlet,
       substr(CASE WHEN m.segment = 'title' THEN a.title ELSE a.text END,
              max(m.char_start - :context, 0) + 1, min(m.char_start, :context)) AS before,
       substr(CASE WHEN m.segment = 'title' THEN a.title ELSE a.text END,
              m.char_start + 1, m.char_end - m.char_start) AS span,
       substr(CASE WHEN m.segment = 'title' THEN a.title ELSE a.text END, m.char_end + 1, 2 * :context) AS after
FROM page
JOIN claim_mentions m ON m.id = page.id
JOIN articles a ON a.id = m.article_id
LEFT JOIN articles o ON o.id = a.duplicate_of
ORDER BY page.sort_date, page.article_id, page.char_start
"""
MENTIONS_COUNT_SQL = "SELECT COUNT(*) FROM claim_mentions WHERE claim_id = :id"
# A claim can have tens of thousands of mentions in a large archive: past DETAIL_LIMIT the timeline, chain
# and variants are built from GROUP BY queries (a few hundred rows at most), not from every mention.
# the first month, not the first date: idx_claim_mentions_claim_timeline answers it without reading the rows
OUTLETS_SQL = """
SELECT COALESCE(outlet, 'unknown') AS outlet, COUNT(*) AS n, MIN(published_month) AS first FROM claim_mentions
WHERE claim_id = :id GROUP BY outlet
"""
# the timeline's cells: one row per lane (the outlets bound to :lane0.. — unused ones NULL; every other
# outlet in lane NULL), month, status and mode: a few hundred rows where grouping by outlet gave thousands
TIMELINE_SQL = """
SELECT CASE WHEN COALESCE(outlet, 'unknown') IN ({lanes}) THEN COALESCE(outlet, 'unknown') END AS outlet,
       published_month AS month, verification_status AS status, attribution_mode AS mode, COUNT(*) AS n
FROM claim_mentions
WHERE claim_id = :id
GROUP BY 1, month, status, mode
""".format(lanes=", ".join(f":lane{i}" for i in range(TIMELINE_LANES)))
# the chain the tracer keeps per claim (every mention counted), strongest edges first
EDGES_SQL = """
SELECT source, source_kind, target, target_kind, n_mentions, first_seen FROM claim_edges WHERE claim_id = :id
ORDER BY n_mentions DESC, source, target LIMIT :limit
"""
# without stored edges, and for the variant figures: the first SAMPLE mentions archived — by article id, then
# place in the text (the order of idx_claim_mentions_claim_cover, so no sort; mention ids are a partition's own
# on a partitioned archive, article ids the archive's)
SAMPLE_ORDER = "article_id, char_start, id"
SAMPLE = f"m.id IN (SELECT id FROM claim_mentions WHERE claim_id = :id ORDER BY {SAMPLE_ORDER} LIMIT :sample)"
CHAIN_GROUPS_SQL = """
SELECT m.chain, m.speaker, m.cited_source, COALESCE(a.sitename, a.hostname) AS outlet,
       COALESCE(o.sitename, o.hostname) AS original_outlet, MIN(a.published) AS published, COUNT(*) AS n
FROM claim_mentions m JOIN articles a ON a.id = m.article_id LEFT JOIN articles o ON o.id = a.duplicate_of
WHERE {sample}
GROUP BY 1, 2, 3, 4, 5 ORDER BY n DESC LIMIT :limit
""".format(sample=SAMPLE)
VARIANT_GROUPS_SQL = """
SELECT MIN(m.id) AS id, m.quantities, MIN(m.sentence) AS sentence, MIN(m.speaker) AS speaker,
       MIN(m.cited_source) AS cited_source, COALESCE(a.sitename, a.hostname) AS outlet,
       COALESCE(o.sitename, o.hostname) AS original_outlet, COUNT(*) AS n
FROM claim_mentions m JOIN articles a ON a.id = m.article_id LEFT JOIN articles o ON o.id = a.duplicate_of
WHERE {sample} AND m.quantities NOT IN ('[]', '')
GROUP BY m.quantities, outlet, original_outlet ORDER BY n DESC LIMIT :limit
""".format(sample=SAMPLE)
# the first rated mentions (who rated it, when) of a claim with too many mentions to read
# (the statuses of the partial index idx_claim_mentions_claim_rated, which reads them in date order)
RATINGS_SQL = MENTIONS_SQL.replace(
    "WHERE m.claim_id = :id", "WHERE m.claim_id = :id AND m.verification_status IN ('confirmed', 'disputed', "
    "'denied')", 1)
COLUMNS_SQL = "SELECT name FROM pragma_table_info('claim_mentions')"
CLAIM_COLUMNS_SQL = "SELECT name FROM pragma_table_info('claims')"
# the latest rated mention (what a ClaimReview reports), when not among the mentions already read
RATED_SQL = MENTIONS_SQL.replace(
    "WHERE m.claim_id = :id",
    "WHERE m.claim_id = :id AND m.verification_status IN ('confirmed', 'disputed', 'denied')"
    " AND m.status_by IS NOT NULL AND m.status_independent = 1", 1
).replace("ORDER BY sort_date, m.article_id, m.char_start", "ORDER BY sort_date DESC, m.article_id DESC, m.char_start DESC")
ARTICLE_SQL = "SELECT id, title, url, canonical_url, published, COALESCE(sitename, hostname) AS outlet FROM articles WHERE id = :id"

LIST_SQL = """
SELECT c.id, c.claim_text, c.claim_type, c.speaker, c.first_seen, c.n_mentions, c.n_articles, c.n_outlets,
       c.languages, c.status, c.status_conflict, c.has_variants{claim_optional}
FROM claims c
WHERE 1 = 1 {where}
ORDER BY {order}
LIMIT :limit OFFSET :offset
"""
LIST_ORDER = "c.n_mentions DESC, c.n_outlets DESC, c.first_seen, c.id"
# ?_sort= / ?_sort_desc= on the list (most mentioned first by default)
LIST_SORTS = {c: f"c.{c}" for c in ("id", "claim_text", "claim_type", "speaker", "first_seen", "n_mentions",
                                     "n_articles", "n_outlets", "status", "status_conflict", "has_variants")}
# the claim list's q without the mention sentences, for an actor who may not see claim_mentions
Q_CLAIMS_ONLY = "c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q)"
LIST_COUNT_SQL = "SELECT COUNT(*) FROM claims c WHERE 1 = 1 {where}"
# request values only ever reach these clauses as parameters
LIST_FILTERS = {
    # a claim's text is English where it can be: its mentions' sentences find it in any language
    "q": "(c.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :q) OR c.id IN (SELECT claim_id FROM "
         "claim_mentions WHERE id IN (SELECT rowid FROM claim_mentions_fts WHERE claim_mentions_fts MATCH :q)))",
    "status": "c.status = :status",
    "type": "c.claim_type = :type",
    "speaker": "c.speaker = :speaker",
    "article": "c.id IN (SELECT claim_id FROM claim_mentions WHERE article_id = :article)",
}

MENTION_COLUMNS = ["id", "article_id", "published", "outlet", "lang", "segment", "sentence", "char_start", "char_end",
                   "claim_type", "speaker", "speaker_text", "cited_source", "attribution_mode",
                   "verification_status", "hedge_text", "hedge_scope", "status_by", "status_independent", "quantities",
                   "chain", "url", "title"]
LIST_COLUMNS = ["id", "claim_text", "claim_type", "speaker", "first_seen", "n_mentions", "n_articles", "n_outlets",
                "languages", "status", "status_conflict", "has_variants", "status_by", "status_independent", "url"]


# --- evidence in context -----------------------------------------------------------------------------

def context_pieces(before, span, after, hedge):
    """The sentence with its neighbours as [{text, sentence, hedge}] pieces; the template escapes them.

    The hedge is marked where it occurs — often in the next sentence ("Those figures were not ...")."""
    before, span, after = before or "", span or "", after or ""
    # start and end on a sentence boundary where the window was cut
    if len(before) >= CONTEXT_CHARS:
        cut = max(before.rfind(". ", 0, len(before) - 1), before.rfind("。"), before.rfind("\n"))
        if cut > 0:
            before = before[cut + 1:].lstrip()
    # the hedge may sit in the next sentence or two: show up to the end of its sentence
    at = after.find(hedge) if hedge and hedge not in span else -1
    limit = at + len(hedge) if at != -1 else min(len(after), CONTEXT_CHARS)
    if limit < len(after):
        ends = [i for i in (after.find(". ", limit), after.find("。", limit), after.find("\n", limit)) if i != -1]
        after = after[:min(ends) + 1] if ends else after[:limit]
    # mark the hedge once: in the sentence itself if it is there, else after it, else before it
    target = next((name for name, text in (("span", span), ("after", after), ("before", before))
                   if hedge and hedge in text), None)
    pieces = []
    for name, text in (("before", before), ("span", span), ("after", after)):
        if not text:
            continue
        is_sentence = name == "span"
        if name != target:
            pieces.append({"text": text, "sentence": is_sentence, "hedge": False})
            continue
        start = text.find(hedge)
        end = start + len(hedge)
        for part, is_hedge in ((text[:start], False), (text[start:end], True), (text[end:], False)):
            if part:
                pieces.append({"text": part, "sentence": is_sentence, "hedge": is_hedge})
    return pieces


def chain_from_groups(groups):
    "Reporting-chain edges weighted by how many mentions share each (chain, speaker, credit, outlet) group."
    edges = {}
    for g in groups:
        for e in chain_edges([g]):
            key = (e["source"], e["target"])
            have = edges.get(key)
            if have is None:
                edges[key] = {**e, "n_mentions": g["n"]}
            else:
                have["n_mentions"] += g["n"]
                if e["first_seen"] and (not have["first_seen"] or e["first_seen"] < have["first_seen"]):
                    have["first_seen"] = e["first_seen"]
    ranked = sorted(edges.values(), key=lambda e: (-e["n_mentions"], e["source"], e["target"]))
    return ranked[:CHAIN_EDGES]


# --- pages -------------------------------------------------------------------------------------------

def _parse(row):
    out = dict(row)
    for key in ("quantities", "chain", "languages"):
        if key in out and isinstance(out[key], str):
            try:
                out[key] = json.loads(out[key])
            except ValueError:
                out[key] = []
    return out


# what the claim page reads beside claims; an actor who may not see one of them gets the page without it
CLAIM_READS = ("claim_mentions", "articles", "claim_edges", "claim_redirects")
# mention fields read from the article (its text around the sentence, its title and links)
ARTICLE_FIELDS = ("title", "url", "canonical_url", "duplicate_of", "original_outlet", "before", "after", "language")


def _without_article(m):
    return {**m, **{k: None for k in ARTICLE_FIELDS if k in m}}


async def claim_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("claims",), reads=CLAIM_READS)
    db = archive.db
    fmt = request.url_vars.get("format")
    claim_id = url_int(request, "claim_id")
    row = (await db.execute(CLAIM_SQL, {"id": claim_id})).first()
    if row is None:
        moved = (await db.execute(REDIRECT_SQL, {"id": claim_id})).first() if archive.sees("claim_redirects") else None
        if moved is None:
            raise NotFound(f"No claim {claim_id}")
        target = claim_url(datasette, db.name, moved[0], fmt)
        return Response.redirect(target + ("?" + request.query_string if request.query_string else ""), status=302)
    claim = _parse(row)
    paging = read_paging(datasette, request, EVIDENCE_PAGE)
    page, size = paging.page, paging.size
    sees_mentions, sees_articles = archive.sees("claim_mentions"), archive.sees("articles")
    total = (await db.execute(MENTIONS_COUNT_SQL, {"id": claim_id})).first()[0] if sees_mentions else 0
    base = {"id": claim_id, "context": CONTEXT_CHARS}
    # who rated a mention, and whether independently: read where the archive has those columns
    present = {r[0] for r in (await db.execute(COLUMNS_SQL)).rows}
    optional = "".join(f", m.{c}" for c in OPTIONAL_MENTION_COLUMNS if c in present)

    def sql(text):
        return text.replace("{optional}", optional)

    async def read_mentions(text, params):
        "Mention rows (with the article's text around them only for an actor who may see articles)."
        rows = [_parse(r) for r in (await db.execute(sql(text), {**base, **params})).rows]
        return rows if sees_articles else [_without_article(m) for m in rows]

    async def fetch(page, size):
        rows = await read_mentions(MENTIONS_SQL, {"limit": size, "offset": (page - 1) * size}) if sees_mentions else []
        return [{k: m.get(k) for k in MENTION_COLUMNS} for m in rows], page * size < total

    # every mention when there are few (exact timeline, chain, variants); the page's slice otherwise
    complete = total <= DETAIL_LIMIT
    if complete:
        everything = await read_mentions(MENTIONS_SQL, {"limit": -1, "offset": 0}) if sees_mentions else []
        mentions = everything[paging.offset:paging.offset + size]
    else:
        mentions = await read_mentions(MENTIONS_SQL, {"limit": size, "offset": paging.offset})
    first = None
    if claim["first_article_id"] is not None and sees_articles:
        first_row = (await db.execute(ARTICLE_SQL, {"id": claim["first_article_id"]})).first()
        first = dict(first_row) if first_row else None
    first_mention = None
    if first:
        pool = everything if complete else mentions
        first_mention = next((m for m in pool if m["article_id"] == first["id"]), None)
        if first_mention is None and not complete:
            # the first article's sentence: the first page holds it unless dates are missing
            rows = (await db.execute(sql(MENTIONS_SQL).replace("WHERE m.claim_id = :id",
                                                          "WHERE m.claim_id = :id AND m.article_id = :article", 1),
                                     {**base, "article": first["id"], "limit": 1, "offset": 0})).rows
            first_mention = _parse(rows[0]) if rows else None
    html = not fmt  # the timeline is drawn only on the HTML page
    if complete:
        edges = chain_edges(everything)
        found_variants = variants(everything)
        tl = timeline(everything) if html else None
        outlets = sorted({outlet_of(m) for m in everything})
        ld_mentions = everything
        travelled = travel(everything)
        rated_by = ratings(everything)
    else:  # (only with claim_mentions visible: total is 0 otherwise)
        outlet_rows = (await db.execute(OUTLETS_SQL, {"id": claim_id})).rows
        per_outlet = {r["outlet"]: r["n"] for r in outlet_rows}
        travelled = travel_from_counts(outlet_rows)
        rated_by = ratings(await read_mentions(RATINGS_SQL, {"limit": MAX_RATINGS, "offset": 0}))
        tl = None
        if html:
            lanes = timeline_lanes(per_outlet)
            bound = {f"lane{i}": lanes[i] if i < len(lanes) else None for i in range(TIMELINE_LANES)}
            groups = (await db.execute(TIMELINE_SQL, {"id": claim_id, **bound})).rows
            tl = timeline_from_groups(groups, per_outlet)
        edges = [dict(r) for r in (await db.execute(EDGES_SQL, {"id": claim_id, "limit": CHAIN_EDGES})).rows
                 ] if archive.sees("claim_edges") else []
        sampled = {"id": claim_id, "sample": SAMPLE_MENTIONS}
        if not edges:
            chain_groups = [_parse(r) for r in (await db.execute(CHAIN_GROUPS_SQL, {**sampled,
                                                                                     "limit": CHAIN_GROUPS})).rows]
            edges = chain_from_groups(chain_groups)
        variant_groups = [_parse(r) for r in (await db.execute(VARIANT_GROUPS_SQL, {**sampled,
                                                                                     "limit": VARIANT_GROUPS})).rows]
        found_variants = variants(variant_groups)
        outlets = sorted(per_outlet)
        rated = await read_mentions(RATED_SQL, {"limit": 1, "offset": 0}) \
            if "status_by" in present else []  # an archive from before issue 9 names no rater
        ld_mentions = mentions + rated
    evidence = []
    for m in mentions:
        evidence.append({
            **{k: m[k] for k in MENTION_COLUMNS if k in m},
            **{k: m[k] for k in OPTIONAL_MENTION_COLUMNS if k in m},
            "original_outlet": m["original_outlet"], "duplicate_of": m["duplicate_of"],
            "context": context_pieces(m["before"], m["span"], m["after"], m["hedge_text"]),
        })
    graph = chain_graph(edges)
    pages = max(1, -(-total // size))
    here = claim_url(datasette, db.name, claim_id)
    data = {
        "database": db.name,
        "claim": claim,
        "first_appearance": {
            "article_id": first["id"], "title": first["title"], "url": first["canonical_url"] or first["url"],
            "outlet": first["outlet"], "published": first["published"],
            "sentence": first_mention["sentence"] if first_mention else None,
        } if first else None,
        "outlets": outlets,
        "mentions_total": total,
        "pages": pages,
        # False: the timeline counts every mention by outlet and month, the chain is claim_edges' strongest
        # edges (or those of the first SAMPLE_MENTIONS mentions), the variants those of that sample
        "complete": complete,
        "sample_mentions": None if complete else min(total, SAMPLE_MENTIONS),
        "mentions": evidence,
        "chain": edges,
        # the graph as drawn: one node per resolved speaker (full names; the labels it merged as aliases)
        "chain_graph": {"nodes": [{k: n[k] for k in ("name", "kind", "aliases")} for n in graph["nodes"]],
                        "edges": [{k: e[k] for k in ("source", "target", "n_mentions")} for e in graph["edges"]]},
        "variants": found_variants,
        # what a fact-checker reads first (factcheck.py)
        "origin": origin(first, first_mention),
        "travel": travelled,
        "ratings": rated_by,
        "verdict": verdict(claim),
    }
    rows = [{k: m.get(k) for k in MENTION_COLUMNS} for m in mentions]
    page_url = datasette.absolute_url(request, here)
    ld = jsonld(claim, ld_mentions, first_mention or (ld_mentions[0] if ld_mentions else None), page_url)
    context = {
        "timeline": tl,
        "graph": graph,
        "statuses": STATUSES,
        "modes": [(mode, mark_shape(mode, 10, 10)) for mode in MODES],
        "jsonld_type": ld["@type"],
        "first_index": paging.offset + 1,
        "claim_css": datasette.urls.static_plugins("newstrace", "newstrace_claim.css"),
        "claim_js": datasette.urls.static_plugins("newstrace", "newstrace_claim.js"),
    }
    response = await respond(
        datasette, request, template="newstrace_claim.html", data=data, rows=rows, columns=MENTION_COLUMNS,
        filename=f"{db.name}-claim-{claim_id}" + (f"-page-{page}" if pages > 1 else ""), context=context,
        formats={"jsonld": lambda: json_response(ld, content_type="application/ld+json; charset=utf-8")},
        paging=paging, more=page < pages, fetch=fetch,
    )
    return response


async def claims_list(datasette, request):
    archive = await archive_for(datasette, request, needs=("claims",), reads=("claim_mentions",))
    db = archive.db
    paging = read_paging(datasette, request, PAGE_SIZE)
    # who rated a claim, and whether independently: listed (and sortable) where the archive has those columns
    claim_columns = {r[0] for r in (await db.execute(CLAIM_COLUMNS_SQL)).rows}
    optional = [c for c in ("status_by", "status_independent") if c in claim_columns]
    claim_optional = "".join(f", c.{c}" for c in optional)
    sorts = {**LIST_SORTS, **{c: f"c.{c}" for c in optional}}
    sort = read_sort(request, sorts, None)
    params = {}
    clauses, filters = [], {}
    for name, clause in LIST_FILTERS.items():
        value = read_text(request, name)
        if not value:
            continue
        if name == "article":
            if not archive.sees("claim_mentions"):
                raise Forbidden("You do not have permission to view the claim_mentions table")
            value = str(parse_int("article", value, 0))
        if name == "q":
            params[name] = search_query(value)
            if not params[name]:
                continue
            if not archive.sees("claim_mentions"):
                clause = Q_CLAIMS_ONLY
        else:
            params[name] = value
        filters[name] = value
        clauses.append(clause)
    where = "".join(" AND " + c for c in clauses)
    order = sort.order_by(sorts, "c.id") if sort else LIST_ORDER
    list_sql = LIST_SQL.format(where=where, order=order, claim_optional=claim_optional)

    async def fetch(page, size):
        rows = [_parse(r) for r in (await execute(db, list_sql, {**params, "limit": size + 1,
                                                                 "offset": (page - 1) * size})).rows]
        for r in rows:
            r["url"] = claim_url(datasette, db.name, r["id"])
        return rows[:size], len(rows) > size

    rows, more = await fetch(paging.page, paging.size)
    total = (await execute(db, LIST_COUNT_SQL.format(where=where), params)).first()[0]
    data = {"database": db.name, "filters": filters, "sort": sort.column if sort and not sort.desc else None,
            "sort_desc": sort.column if sort and sort.desc else None, "total": total, "rows": rows}
    context = {
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None, "page": None}) for k in LIST_FILTERS},
        "statuses": STATUSES,
        "claim_css": datasette.urls.static_plugins("newstrace", "newstrace_claim.css"),
    }
    return await respond(datasette, request, template="newstrace_claims.html", data=data, rows=rows,
                         columns=LIST_COLUMNS, filename=f"{db.name}-claims", context=context, paging=paging,
                         more=more, fetch=fetch)


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/claims/(?P<claim_id>\d+)(\.(?P<format>json|csv|jsonld))?$", claim_view),
    (r"^/(?P<database>[^/]+)/-/claims(\.(?P<format>json|csv))?$", claims_list),
]

# columns holding a claim id, per table
CLAIM_ID_COLUMNS = {"claim_mentions": "claim_id", "claim_edges": "claim_id"}


def render_cell(value, column, table, database, datasette, row=None):
    """Claim ids link to the claim page; so does claims.claim_text when the caller passes the row (the id
    column of `claims` is Datasette's own row link and never reaches this hook)."""
    if table in CLAIM_ID_COLUMNS and column == CLAIM_ID_COLUMNS[table] or (
            table == "claim_redirects" and column in ("old_id", "new_id")):
        label = None
        if isinstance(value, dict):  # an expanded foreign key: {"value", "label"}
            value, label = value.get("value"), value.get("label")
        if value is None or not str(value).isdigit():
            return None
        text = f"{value} · {label}" if label and str(label) != str(value) else str(value)
        if len(text) > 120:
            text = text[:119] + "…"
        return Markup('<a href="{}" title="trace this claim">{}</a>').format(
            claim_url(datasette, database, value), text)
    if table == "claims" and column == "claim_text" and isinstance(value, str) and row is not None:
        try:
            claim_id = row["id"]
        except (KeyError, IndexError, TypeError):
            return None
        return Markup('<a href="{}" title="trace this claim">{}</a>').format(
            claim_url(datasette, database, claim_id), value)
    return None
