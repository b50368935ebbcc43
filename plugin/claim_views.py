"""Claim pages: one claim traced across articles, outlets and languages, and the list of claims.

/{db}/-/claims/{id}        the claim, its first appearance, a timeline (SVG, one mark per mention, a lane per
                           outlet), the reporting chain (SVG directed graph), each evidence sentence in
                           context with its hedge marked, the variant figures side by side.
                           .json (everything), .csv (the mentions), .jsonld (schema.org Claim / ClaimReview).
                           A merged claim's old id answers 302 to the surviving id, in every format.
/{db}/-/claims             claims, most mentioned first (?q= searches, ?status= ?type= ?article= filter)
Cells of claims.claim_text and of every claim id column link to the claim page.
"""
import datetime
import json

from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from newstrace.ingest.store.cjk import fts_query
from newstrace.ingest.claims.trace import canonical_speaker, chain_edges, outlet_of, variants

from .render import database_for, json_response, query_string, respond

CONTEXT_CHARS = 280
PAGE_SIZE = 50
# evidence sentences per page of a claim (?page=N); the timeline/chain/variants use every mention up to
# DETAIL_LIMIT, aggregates past it (lanes: the outlets with most mentions, the rest in one lane)
EVIDENCE_PAGE = 50
DETAIL_LIMIT = 200
TIMELINE_LANES = 12
CHAIN_GROUPS = 400
CHAIN_EDGES = 40
VARIANT_GROUPS = 300
SAMPLE_MENTIONS = 2000
STATUSES = ("confirmed", "unverified", "disputed", "denied", "none")
MODES = ("direct_quote", "secondhand_outlet", "indirect_speech", "anonymous", "asserted")
# a reviewer's rating: what schema.org ClaimReview carries (1 = false .. 5 = true)
RATINGS = {"confirmed": (5, "Confirmed"), "disputed": (2, "Disputed"), "denied": (1, "Denied")}

# --- SQL ---------------------------------------------------------------------------------------------

CLAIM_SQL = "SELECT * FROM claims WHERE id = :id"
REDIRECT_SQL = "SELECT new_id FROM claim_redirects WHERE old_id = :id"
# the evidence in context: SQLite's substr counts characters, as char_start/char_end do
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
       m.quantities, m.chain, m.extractor, m.confidence,
       a.title, a.url, a.canonical_url, a.published, a.language, a.duplicate_of,
       COALESCE(a.sitename, a.hostname) AS outlet, COALESCE(o.sitename, o.hostname) AS original_outlet,
       substr(a.text, max(m.char_start - :context, 0) + 1, min(m.char_start, :context)) AS before,
       substr(a.text, m.char_start + 1, m.char_end - m.char_start) AS span,
       substr(a.text, m.char_end + 1, 2 * :context) AS after
FROM page
JOIN claim_mentions m ON m.id = page.id
JOIN articles a ON a.id = m.article_id
LEFT JOIN articles o ON o.id = a.duplicate_of
ORDER BY page.sort_date, page.article_id, page.char_start
"""
MENTIONS_COUNT_SQL = "SELECT COUNT(*) FROM claim_mentions WHERE claim_id = :id"
# A claim can have tens of thousands of mentions in a large archive: past DETAIL_LIMIT the timeline, chain
# and variants are built from GROUP BY queries (a few hundred rows at most), not from every mention.
OUTLETS_SQL = """
SELECT COALESCE(outlet, 'unknown') AS outlet, COUNT(*) AS n FROM claim_mentions WHERE claim_id = :id
GROUP BY outlet
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
# without stored edges, and for the variant figures: the first SAMPLE mentions archived
SAMPLE = "m.id IN (SELECT id FROM claim_mentions WHERE claim_id = :id ORDER BY id LIMIT :sample)"
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
# the latest rated mention (what a ClaimReview reports), when not among the mentions already read
RATED_SQL = MENTIONS_SQL.replace(
    "WHERE m.claim_id = :id",
    "WHERE m.claim_id = :id AND m.verification_status IN ('confirmed', 'disputed', 'denied')"
    " AND (m.speaker IS NOT NULL OR m.cited_source IS NOT NULL) AND m.attribution_mode != 'anonymous'", 1
).replace("ORDER BY sort_date, m.article_id, m.char_start", "ORDER BY sort_date DESC, m.article_id DESC, m.char_start DESC")
ARTICLE_SQL = "SELECT id, title, url, canonical_url, published, COALESCE(sitename, hostname) AS outlet FROM articles WHERE id = :id"

LIST_SQL = """
SELECT c.id, c.claim_text, c.claim_type, c.speaker, c.first_seen, c.n_mentions, c.n_articles, c.n_outlets,
       c.languages, c.status, c.status_conflict, c.has_variants
FROM claims c
WHERE 1 = 1 {where}
ORDER BY c.n_mentions DESC, c.n_outlets DESC, c.first_seen, c.id
LIMIT :limit OFFSET :offset
"""
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
                   "verification_status", "hedge_text", "hedge_scope", "quantities", "chain", "url", "title"]
LIST_COLUMNS = ["id", "claim_text", "claim_type", "speaker", "first_seen", "n_mentions", "n_articles", "n_outlets",
                "languages", "status", "status_conflict", "has_variants", "url"]


def _claims_path(datasette, database, claim_id, fmt=None):
    return "{}/-/claims/{}{}".format(datasette.urls.database(database), claim_id, "." + fmt if fmt else "")


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


# --- timeline ----------------------------------------------------------------------------------------

def _date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _shape(mode, x, y, r=6):
    "SVG geometry (numbers only) of a mark shaped by attribution mode."
    if mode == "direct_quote":
        return {"kind": "circle", "cx": x, "cy": y, "r": r}
    if mode == "secondhand_outlet":
        return {"kind": "rect", "x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r}
    if mode == "indirect_speech":
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    elif mode == "anonymous":
        pts = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
    else:  # asserted: the outlet's own voice
        pts = [(x - r, y - 2), (x + r, y - 2), (x + r, y + 2), (x - r, y + 2)]
    return {"kind": "polygon", "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)}


def timeline(mentions, width=760, lane_height=34, left=170, right=30, top=20):
    "Layout of the time axis: one lane per outlet, one mark per mention (undated ones at the far right)."
    lanes = []
    for m in mentions:
        if m["outlet"] not in lanes:
            lanes.append(m["outlet"])
    dates = [d for d in (_date(m["published"]) for m in mentions) if d]
    lo, hi = (min(dates), max(dates)) if dates else (None, None)
    if lo is not None and lo == hi:
        lo, hi = lo - datetime.timedelta(days=1), hi + datetime.timedelta(days=1)
    span = (hi - lo).days if lo else 1
    plot = width - left - right - 40  # the last 40 px hold undated mentions
    height = top + lane_height * len(lanes) + 40
    marks, stack = [], {}
    for m in mentions:
        d = _date(m["published"])
        x = left + (plot * (d - lo).days / span if d else plot + 25)
        lane = lanes.index(m["outlet"])
        # mentions on the same day in the same lane sit side by side
        n = stack.get((lane, round(x)), 0)
        stack[(lane, round(x))] = n + 1
        x += n * 13
        y = top + lane_height * lane + lane_height / 2
        status = m["verification_status"] if m["verification_status"] in STATUSES else "none"
        mode = m["attribution_mode"] if m["attribution_mode"] in MODES else "asserted"
        marks.append({
            "mention_id": m["id"], "x": round(x, 1), "y": y, "status": status, "mode": mode,
            "shape": _shape(mode, x, y), "date": m["published"], "outlet": m["outlet"],
            "title": "{} · {} · {} · {}: {}".format(m["published"] or "undated", m["outlet"], status,
                                                    mode.replace("_", " "), m["sentence"][:160]),
        })
    ticks = []
    if lo:
        n_ticks = min(6, span + 1)
        for i in range(n_ticks):
            day = lo + datetime.timedelta(days=round(span * i / max(n_ticks - 1, 1)))
            ticks.append({"x": round(left + plot * (day - lo).days / span, 1), "label": day.isoformat()})
    return {
        "width": width, "height": height, "left": left, "top": top, "axis_y": height - 30,
        "plot_right": left + plot, "lanes": [{"name": name, "y": top + lane_height * i + lane_height / 2}
                                             for i, name in enumerate(lanes)],
        "marks": marks, "ticks": ticks, "undated_x": left + plot + 25 if any(not _date(m["published"])
                                                                              for m in mentions) else None,
    }


# --- reporting chain ---------------------------------------------------------------------------------

def chain_graph(edges, col_width=190, row_height=54, node_width=160, node_height=30, pad=16):
    "Layered layout of the 'reported by' graph: speakers on the left, each outlet right of its source."
    names = []
    kinds = {}
    for e in edges:
        for name, kind in ((e["source"], e["source_kind"]), (e["target"], e["target_kind"])):
            if name not in kinds:
                names.append(name)
            kinds[name] = "speaker" if kinds.get(name, kind) == "speaker" and kind == "speaker" else "outlet"
    depth = {n: 0 for n in names}
    # longest path from a source; bounded passes so a cycle (A cites B, B cites A) cannot loop forever
    for _ in range(len(names)):
        changed = False
        for e in edges:
            if depth[e["target"]] < depth[e["source"]] + 1 <= len(names):
                depth[e["target"]] = depth[e["source"]] + 1
                changed = True
        if not changed:
            break
    columns = {}
    nodes = {}
    for n in names:
        row = columns.setdefault(depth[n], [])
        row.append(n)
        nodes[n] = {"name": n, "kind": kinds[n], "x": pad + depth[n] * col_width,
                    "y": pad + (len(row) - 1) * row_height, "width": node_width, "height": node_height}
    drawn = []
    for e in edges:
        a, b = nodes[e["source"]], nodes[e["target"]]
        x1, y1 = a["x"] + a["width"], a["y"] + a["height"] / 2
        x2, y2 = b["x"], b["y"] + b["height"] / 2
        if b["x"] <= a["x"]:  # a backward edge (cycle): leave from the bottom
            x1, y1, x2, y2 = a["x"] + a["width"] / 2, a["y"] + a["height"], b["x"] + b["width"] / 2, b["y"] + b["height"]
        drawn.append({**e, "x1": round(x1, 1), "y1": round(y1, 1), "x2": round(x2 - 4, 1), "y2": round(y2, 1),
                      "stroke_width": min(1.5 + e["n_mentions"] * 0.5, 5)})
    width = pad * 2 + (max(depth.values(), default=0) + 1) * col_width
    height = pad * 2 + max((len(c) for c in columns.values()), default=1) * row_height
    return {"width": width, "height": height, "nodes": list(nodes.values()), "edges": drawn}


# --- large claims: the same pictures from aggregates ---------------------------------------------------

def _mark_svg(mark):
    "One aggregated timeline mark as SVG (the same classes and shapes the template draws for single mentions)."
    s = mark["shape"]
    cls = f"newstrace-mark newstrace-status-{mark['status']} newstrace-mode-{mark['mode']}"
    if s["kind"] == "circle":
        geometry = f'cx="{s["cx"]:.1f}" cy="{s["cy"]:.1f}" r="{s["r"]}"'
    elif s["kind"] == "rect":
        geometry = f'x="{s["x"]:.1f}" y="{s["y"]:.1f}" width="{s["width"]}" height="{s["height"]}"'
    else:
        geometry = f'points="{s["points"]}"'
    # numbers and fixed class names only, besides the escaped title (Markup.format costs 3x more here)
    return Markup(f'<g class="newstrace-mark-group" data-count="{int(mark["n"])}"><{s["kind"]} class="{cls}" '
                  f'{geometry}><title>{escape(mark["title"])}</title></{s["kind"]}></g>')


def timeline_lanes(per_outlet):
    "The outlets that get a lane of their own: those with most mentions ({outlet: mentions})."
    return sorted(per_outlet, key=lambda o: (-per_outlet[o], o))[:TIMELINE_LANES]


def timeline_from_groups(groups, per_outlet, width=760, lane_height=34, left=170, right=30, top=20):
    """The timeline of a claim with many mentions: one mark per (outlet lane, month), sized by its count,
    coloured by its most frequent status, shaped by its most frequent attribution mode. `groups` are
    TIMELINE_SQL's rows (outlet None: every outlet without a lane), `per_outlet` OUTLETS_SQL's counts."""
    kept = timeline_lanes(per_outlet)
    others = len(per_outlet) - len(kept)
    other_lane = f"{others} other outlets" if others else None
    lanes = kept + ([other_lane] if other_lane else [])
    cells = {}
    for g in groups:
        lane = g["outlet"] if g["outlet"] in kept else other_lane
        cell = cells.setdefault((lane, g["month"]), {"n": 0, "status": {}, "mode": {}})
        cell["n"] += g["n"]
        cell["status"][g["status"]] = cell["status"].get(g["status"], 0) + g["n"]
        cell["mode"][g["mode"]] = cell["mode"].get(g["mode"], 0) + g["n"]
    months = sorted({m for _, m in cells if m})
    dates = [_date(m + "-01") for m in months]
    lo, hi = (dates[0], dates[-1]) if dates else (None, None)
    if lo is not None and lo == hi:
        lo, hi = lo - datetime.timedelta(days=15), hi + datetime.timedelta(days=15)
    span = (hi - lo).days if lo else 1
    plot = width - left - right - 40
    height = top + lane_height * len(lanes) + 40
    biggest = max((c["n"] for c in cells.values()), default=1)
    marks = []
    for (lane, month), cell in sorted(cells.items(), key=lambda kv: (lanes.index(kv[0][0]), kv[0][1] or "9999")):
        d = _date(month + "-01") if month else None
        x = left + (plot * (d - lo).days / span if d else plot + 25)
        y = top + lane_height * lanes.index(lane) + lane_height / 2
        status = max(cell["status"], key=lambda k: (cell["status"][k], k or ""))
        status = status if status in STATUSES else "none"
        mode = max(cell["mode"], key=lambda k: (cell["mode"][k], k or ""))
        mode = mode if mode in MODES else "asserted"
        r = round(3 + 9 * (cell["n"] / biggest) ** 0.5, 1)
        counts = ", ".join(f"{k or 'none'} {v}" for k, v in sorted(cell["status"].items(), key=lambda kv: -kv[1]))
        mark = {"mention_id": None, "x": round(x, 1), "y": y, "status": status, "mode": mode, "n": cell["n"],
                "shape": _shape(mode, x, y, r), "date": month, "outlet": lane,
                "title": f"{month or 'undated'} · {lane} · {cell['n']} mention{'s' if cell['n'] != 1 else ''}"
                         f" · {counts}"}
        # up to lanes x months marks: written here, not by the template (a third of the page's time at 100k)
        mark["svg"] = _mark_svg(mark)
        marks.append(mark)
    ticks = []
    if lo:
        n_ticks = min(6, len(months)) or 1
        for i in range(n_ticks):
            day = lo + datetime.timedelta(days=round(span * i / max(n_ticks - 1, 1)))
            ticks.append({"x": round(left + plot * (day - lo).days / span, 1), "label": day.isoformat()[:7]})
    return {
        "width": width, "height": height, "left": left, "top": top, "axis_y": height - 30, "plot_right": left + plot,
        "lanes": [{"name": name, "y": top + lane_height * i + lane_height / 2} for i, name in enumerate(lanes)],
        "marks": marks, "ticks": ticks, "undated_x": left + plot + 25 if any(not m for _, m in cells) else None,
        "aggregated": True,
    }


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


# --- JSON-LD -----------------------------------------------------------------------------------------

def _creative_work(m):
    work = {"@type": "CreativeWork", "url": m.get("canonical_url") or m.get("url"), "headline": m.get("title"),
            "datePublished": m.get("published"), "inLanguage": m.get("lang") or m.get("language")}
    if m.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": m["outlet"]}
    return {k: v for k, v in work.items() if v is not None}


def jsonld(claim, mentions, first, page_url):
    appearances, seen = [], set()
    for m in mentions:
        if m["article_id"] not in seen:
            seen.add(m["article_id"])
            appearances.append(_creative_work(m))
    item = {"@type": "Claim", "@id": page_url, "text": claim["claim_text"], "datePublished": claim["first_seen"],
            "appearance": appearances}
    if claim["speaker"]:
        item["author"] = {"@type": "Person", "name": claim["speaker"]}
    if first:
        item["firstAppearance"] = _creative_work(first)
    # a rating exists only when a named source confirmed, disputed or denied the claim
    rated = [m for m in mentions if m["verification_status"] in RATINGS and (m["speaker"] or m["cited_source"])
             and m["attribution_mode"] != "anonymous"]
    if not rated:
        return {"@context": "https://schema.org", **{k: v for k, v in item.items() if v is not None}}
    review = rated[-1]
    value, name = RATINGS[review["verification_status"]]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim["claim_text"],
        "itemReviewed": {k: v for k, v in item.items() if v is not None},
        "author": {"@type": "Organization" if not review["speaker"] else "Person",
                   "name": canonical_speaker(review["speaker"]) or review["cited_source"]},
        "datePublished": review["published"],
        "url": review.get("canonical_url") or review.get("url"),
        "reviewBody": review["hedge_text"] or review["sentence"],
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                         "alternateName": name},
    }


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


async def claim_view(datasette, request):
    db = await database_for(datasette, request)
    fmt = request.url_vars.get("format")
    claim_id = int(request.url_vars["claim_id"])
    row = (await db.execute(CLAIM_SQL, {"id": claim_id})).first()
    if row is None:
        moved = (await db.execute(REDIRECT_SQL, {"id": claim_id})).first()
        if moved is None:
            raise NotFound(f"No claim {claim_id}")
        target = _claims_path(datasette, db.name, moved[0], fmt)
        return Response.redirect(target + ("?" + request.query_string if request.query_string else ""), status=302)
    claim = _parse(row)
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    total = (await db.execute(MENTIONS_COUNT_SQL, {"id": claim_id})).first()[0]
    base = {"id": claim_id, "context": CONTEXT_CHARS}
    # every mention when there are few (exact timeline, chain, variants); the page's slice otherwise
    complete = total <= DETAIL_LIMIT
    if complete:
        everything = [_parse(r) for r in (await db.execute(MENTIONS_SQL, {**base, "limit": -1, "offset": 0})).rows]
        mentions = everything[(page - 1) * EVIDENCE_PAGE:page * EVIDENCE_PAGE]
    else:
        mentions = [_parse(r) for r in (await db.execute(
            MENTIONS_SQL, {**base, "limit": EVIDENCE_PAGE, "offset": (page - 1) * EVIDENCE_PAGE})).rows]
    first = None
    if claim["first_article_id"] is not None:
        first_row = (await db.execute(ARTICLE_SQL, {"id": claim["first_article_id"]})).first()
        first = dict(first_row) if first_row else None
    first_mention = None
    if first:
        pool = everything if complete else mentions
        first_mention = next((m for m in pool if m["article_id"] == first["id"]), None)
        if first_mention is None and not complete:
            # the first article's sentence: the first page holds it unless dates are missing
            rows = (await db.execute(MENTIONS_SQL.replace("WHERE m.claim_id = :id",
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
    else:
        per_outlet = {r["outlet"]: r["n"] for r in (await db.execute(OUTLETS_SQL, {"id": claim_id})).rows}
        tl = None
        if html:
            lanes = timeline_lanes(per_outlet)
            bound = {f"lane{i}": lanes[i] if i < len(lanes) else None for i in range(TIMELINE_LANES)}
            groups = (await db.execute(TIMELINE_SQL, {"id": claim_id, **bound})).rows
            tl = timeline_from_groups(groups, per_outlet)
        edges = [dict(r) for r in (await db.execute(EDGES_SQL, {"id": claim_id, "limit": CHAIN_EDGES})).rows]
        sampled = {"id": claim_id, "sample": SAMPLE_MENTIONS}
        if not edges:
            chain_groups = [_parse(r) for r in (await db.execute(CHAIN_GROUPS_SQL, {**sampled,
                                                                                     "limit": CHAIN_GROUPS})).rows]
            edges = chain_from_groups(chain_groups)
        variant_groups = [_parse(r) for r in (await db.execute(VARIANT_GROUPS_SQL, {**sampled,
                                                                                     "limit": VARIANT_GROUPS})).rows]
        found_variants = variants(variant_groups)
        outlets = sorted(per_outlet)
        rated = [_parse(r) for r in (await db.execute(RATED_SQL, {**base, "limit": 1, "offset": 0})).rows]
        ld_mentions = mentions + rated
    evidence = []
    for m in mentions:
        evidence.append({
            **{k: m[k] for k in MENTION_COLUMNS if k in m},
            "original_outlet": m["original_outlet"], "duplicate_of": m["duplicate_of"],
            "context": context_pieces(m["before"], m["span"], m["after"], m["hedge_text"]),
        })
    pages = max(1, -(-total // EVIDENCE_PAGE))
    here = _claims_path(datasette, db.name, claim_id)
    fmt_suffix = "." + fmt if fmt else ""
    next_url = here + fmt_suffix + "?" + query_string(request, page=str(page + 1)) if page < pages else None
    prev_url = here + fmt_suffix + "?" + query_string(request, page=str(page - 1)) if page > 1 else None
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
        "page": page,
        "pages": pages,
        "page_size": EVIDENCE_PAGE,
        "next_url": next_url,
        "prev_url": prev_url,
        # False: the timeline counts every mention by outlet and month, the chain is claim_edges' strongest
        # edges (or those of the first SAMPLE_MENTIONS mentions), the variants those of that sample
        "complete": complete,
        "sample_mentions": None if complete else min(total, SAMPLE_MENTIONS),
        "mentions": evidence,
        "chain": edges,
        "variants": found_variants,
    }
    rows = [{k: m.get(k) for k in MENTION_COLUMNS} for m in mentions]
    page_url = datasette.absolute_url(request, here)
    ld = jsonld(claim, ld_mentions, first_mention or (ld_mentions[0] if ld_mentions else None), page_url)
    context = {
        "timeline": tl,
        "graph": chain_graph(edges) if html else None,
        "statuses": STATUSES,
        "modes": [(mode, _shape(mode, 10, 10)) for mode in MODES],
        "jsonld_type": ld["@type"],
        "first_index": (page - 1) * EVIDENCE_PAGE + 1,
        "claim_css": datasette.urls.static_plugins("newstrace", "newstrace_claim.css"),
        "claim_js": datasette.urls.static_plugins("newstrace", "newstrace_claim.js"),
    }
    response = await respond(
        datasette, request, template="newstrace_claim.html", data=data, rows=rows, columns=MENTION_COLUMNS,
        filename=f"{db.name}-claim-{claim_id}" + (f"-page-{page}" if pages > 1 else ""), context=context,
        formats={"jsonld": lambda: json_response(ld, content_type="application/ld+json; charset=utf-8")},
    )
    # the next page of mentions in every format (a CSV has no room for a link)
    if next_url and fmt in ("json", "csv"):
        response.headers["link"] = f'<{next_url}>; rel="next"'
    return response


async def claims_list(datasette, request):
    db = await database_for(datasette, request)
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    params = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    clauses, filters = [], {}
    for name, clause in LIST_FILTERS.items():
        value = (request.args.get(name) or "").strip()
        if not value:
            continue
        if name == "article" and not value.isdigit():
            continue
        params[name] = fts_query(value) if name == "q" else value
        if name == "q" and not params[name]:
            continue
        filters[name] = value
        clauses.append(clause)
    where = "".join(" AND " + c for c in clauses)
    rows = [_parse(r) for r in (await db.execute(LIST_SQL.format(where=where), params)).rows]
    total = (await db.execute(LIST_COUNT_SQL.format(where=where), params)).first()[0]
    for r in rows:
        r["url"] = _claims_path(datasette, db.name, r["id"])
    data = {"database": db.name, "filters": filters, "total": total, "page": page, "page_size": PAGE_SIZE,
            "rows": rows}
    context = {
        "next_url": "?" + query_string(request, page=str(page + 1)) if page * PAGE_SIZE < total else None,
        "prev_url": "?" + query_string(request, page=str(page - 1)) if page > 1 else None,
        "remove_filter_urls": {k: "?" + query_string(request, **{k: None, "page": None}) for k in LIST_FILTERS},
        "statuses": STATUSES,
        "claim_css": datasette.urls.static_plugins("newstrace", "newstrace_claim.css"),
    }
    return await respond(datasette, request, template="newstrace_claims.html", data=data, rows=rows,
                         columns=LIST_COLUMNS, filename=f"{db.name}-claims", context=context)


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
            _claims_path(datasette, database, value), text)
    if table == "claims" and column == "claim_text" and isinstance(value, str) and row is not None:
        try:
            claim_id = row["id"]
        except (KeyError, IndexError, TypeError):
            return None
        return Markup('<a href="{}" title="trace this claim">{}</a>').format(
            _claims_path(datasette, database, claim_id), value)
    return None
