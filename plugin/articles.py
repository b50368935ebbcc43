"""The article page: one article to read, with what newstrace found in it.

/{db}/-/articles/{id}                  title, outlet, author, dates, language, canonical link; the cleaned text
                                       with claim sentences (linked to their claim page), country mentions
                                       (linked to the country page) and hedges marked, participation rows beside
                                       the paragraph they were read from; its versions with a word-level diff
                                       (?from=N&to=M, default the last change); its raw snapshots; the claims it
                                       shares with other articles. .json (everything), .csv (one row per mark).
/{db}/-/articles/{id}/snapshots/{sid}  one raw response as a download: Content-Disposition attachment,
                                       text/plain, nosniff and a sandboxing CSP, so archived HTML never runs
                                       on the archive's origin.
Cells of Datasette's own articles tables (text, title, URLs) are shortened and link here (render_cell).
"""
import contextvars
import json
from html import escape as html_escape
import re
import zlib
from urllib.parse import parse_qs

from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup, escape

from newstrace.ingest.store.cjk import query_terms, snippet

from .i18n import language, time_tag, translator
from .marking import hedge_span, render
from .archive import archive_for
from .render import read_text, respond, url_int
from .textdiff import diff_html, diff_stats, word_diff
from .urls import article_url, claim_url, country_url, initiative_url

ARTICLE_SQL = """
SELECT id, url, final_url, canonical_url, title, author, sitename, hostname, published, language, languages,
       countries, word_count, content_hash, version, first_fetched, last_fetched, source, duplicate_of, text
FROM articles WHERE id = :id
"""
MENTIONS_SQL = """
SELECT m.id, m.claim_id, m.char_start, m.char_end, m.sentence, m.segment, m.claim_type, m.speaker, m.speaker_text,
       m.cited_source, m.attribution_mode, m.verification_status, m.hedge_text, m.hedge_scope, m.quantities,
       m.chain, c.claim_text, c.status AS claim_status, c.n_articles, c.n_outlets, c.first_article_id
FROM claim_mentions m LEFT JOIN claims c ON c.id = m.claim_id
WHERE m.article_id = :id
ORDER BY m.char_start, m.id
"""
COUNTRY_MENTIONS_SQL = """
SELECT m.id, m.country, m.surface, m.char_start, m.char_end, m.kind, m.reading, c.name, c.name_zh
FROM country_mentions m LEFT JOIN countries c ON c.code = m.country
WHERE m.article_id = :id
ORDER BY m.char_start, m.id
"""
PARTICIPATION_SQL = """
SELECT p.id, p.initiative_id, i.name_en AS initiative_name, i.name_zh AS initiative_name_zh, p.country,
       c.name AS country_name, c.name_zh AS country_name_zh, p.role, p.status, p.valid_from, p.valid_to,
       p.evidence, p.char_start, p.char_end, p.method, p.confidence
FROM participation p LEFT JOIN initiatives i ON i.id = p.initiative_id LEFT JOIN countries c ON c.code = p.country
WHERE p.article_id = :id
ORDER BY p.char_start, p.id
"""
VERSIONS_SQL = """
SELECT version, title, content_hash, snapshot_id, fetched_at, length(text) AS chars
FROM article_versions WHERE article_id = :id ORDER BY version
"""
VERSION_TEXT_SQL = "SELECT title, text FROM article_versions WHERE article_id = :id AND version = :version"
SNAPSHOTS_SQL = """
SELECT id, version, url, fetched_at, http_status, content_type, encoding, size, sha256
FROM snapshots WHERE article_id = :id ORDER BY id
"""
SNAPSHOT_SQL = "SELECT id, article_id, url, content_type, encoding, body FROM snapshots WHERE id = :sid AND article_id = :id"
# a few other articles for each shared claim: the first ones the claim's index yields, not all of them (a claim
# can be carried by tens of thousands of articles)
SHARED_SQL = """
SELECT c.id, c.claim_text, c.status, c.n_articles, c.n_outlets,
       (SELECT json_group_array(article_id) FROM (
          SELECT DISTINCT x.article_id FROM claim_mentions x
          WHERE x.claim_id = c.id AND x.article_id != :id LIMIT :per_claim)) AS others
FROM claims c WHERE c.id IN ({ids}) AND c.n_articles > 1
ORDER BY c.n_articles DESC, c.id
"""
OTHER_ARTICLES_SQL = """
SELECT id, title, COALESCE(sitename, hostname) AS outlet, published, language FROM articles WHERE id IN ({ids})
"""
# the same text at other URLs (syndicated copies): content_hash is indexed
COPIES_SQL = """
SELECT id, title, COALESCE(sitename, hostname) AS outlet, published FROM articles
WHERE content_hash = :hash AND id != :id ORDER BY id LIMIT 20
"""
ORIGINAL_SQL = "SELECT id, title, COALESCE(sitename, hostname) AS outlet, published FROM articles WHERE id = :id"

SHARED_PER_CLAIM = 4
SHARED_SHOWN = 20  # the HTML page lists the claims shared most widely; .json has them all
# segment: where char_start/char_end point — the text, or the title for a headline's claim (issue 9)
MARK_COLUMNS = ["kind", "char_start", "char_end", "text", "claim_id", "country", "status", "speaker", "url", "segment"]


def _json_list(value):
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def _ids(values):
    "Integers read from the database, never request values."
    return ", ".join(str(int(v)) for v in values) or "NULL"


def read_version(request, name):
    value = read_text(request, name)
    if value == "":
        return None
    if not value.isdigit() or len(value) > 9:
        raise BadRequest(f"{name} must be a version number")
    return int(value)


def read_article_id(request):
    return url_int(request, "article_id")


# what the article page reads beside articles: the parts from a table the actor may not see are left out
READS = ("claim_mentions", "claims", "country_mentions", "countries", "participation", "initiatives",
         "article_versions", "snapshots")


async def article_view(datasette, request):
    archive = await archive_for(datasette, request, needs=("articles",), reads=READS)
    db = archive.db
    article_id = read_article_id(request)
    row = (await db.execute(ARTICLE_SQL, {"id": article_id})).first()
    if row is None:
        raise NotFound(f"No article {article_id}")
    article = dict(row)
    article["languages"] = _json_list(article["languages"])
    article["countries"] = _json_list(article["countries"])
    text = article["text"] or ""
    params = {"id": article_id}

    async def rows(sql, *tables):
        return [dict(r) for r in (await db.execute(sql, params)).rows] if archive.sees(*tables) else []

    mentions = await rows(MENTIONS_SQL, "claim_mentions", "claims")
    countries = await rows(COUNTRY_MENTIONS_SQL, "country_mentions", "countries")
    participation = await rows(PARTICIPATION_SQL, "participation", "initiatives", "countries")
    versions = await rows(VERSIONS_SQL, "article_versions")
    snapshots = await rows(SNAPSHOTS_SQL, "snapshots")
    base = datasette.urls.database(db.name)
    for m in mentions:
        m["quantities"] = _json_list(m["quantities"])
        m["chain"] = _json_list(m["chain"])
        m["claim_url"] = claim_url(datasette, db.name, m["claim_id"]) if m["claim_id"] is not None else None
        found = hedge_span(text, m["hedge_text"], m["char_start"] or 0, m["char_end"] or 0) \
            if m.get("segment") != "title" else None  # a headline's offsets index the title
        m["hedge_start"], m["hedge_end"] = found or (None, None)
    for c in countries:
        c["url"] = country_url(datasette, db.name, c["country"]) if c["country"] else None
    for p in participation:
        p["initiative_url"] = initiative_url(datasette, db.name, p["initiative_id"]) if p["initiative_id"] else None
        p["country_url"] = country_url(datasette, db.name, p["country"]) if p["country"] else None
    for s in snapshots:
        s["download_url"] = f"{base}/-/articles/{article_id}/snapshots/{s['id']}"

    shared = await shared_claims(db, article_id, {m["claim_id"] for m in mentions if m["claim_id"] is not None})
    for claim in shared:
        claim["url"] = claim_url(datasette, db.name, claim["id"])
        for other in claim["others"]:
            other["url"] = article_url(datasette, db.name, other["id"])
    copies = [dict(r) for r in (await db.execute(COPIES_SQL, {"id": article_id, "hash": article["content_hash"]})).rows]
    original = None
    if article["duplicate_of"] is not None:
        found = (await db.execute(ORIGINAL_SQL, {"id": article["duplicate_of"]})).first()
        original = dict(found) if found else None
    for item in copies + ([original] if original else []):
        item["url"] = article_url(datasette, db.name, item["id"])

    diff = await version_diff(db, request, article, versions)
    fmt = request.url_vars.get("format")
    marks = mark_rows(text, mentions, countries)
    data = {
        "database": db.name,
        "article": article,
        "claim_mentions": mentions,
        "country_mentions": countries,
        "participation": participation,
        "versions": [*versions, {"version": article["version"], "title": article["title"],
                                 "content_hash": article["content_hash"], "snapshot_id": None,
                                 "fetched_at": article["last_fetched"], "chars": len(text), "current": True}],
        "snapshots": snapshots,
        "shared_claims": shared,
        "copies": copies,
        "original": original,
        "diff": diff,
    }
    context = {}
    if not fmt:
        lang = language(request)
        _ = translator(lang)
        context = {
            # the badges say "claim N" in the reader's language
            "marked_text": marked_html(text, mentions, countries, participation, _),
            "marked_title": marked_title(article["title"], mentions, _("claim")),
            "diff_html": diff_html(diff["runs"]) if diff else None,
            "claims_list_html": claims_list_html(mentions, _),
            "shared_html": shared_html(shared[:SHARED_SHOWN], _, lang),
            "shared_shown": SHARED_SHOWN,
            "article_css": datasette.urls.static_plugins("newstrace", "newstrace_article.css"),
            "claim_css": datasette.urls.static_plugins("newstrace", "newstrace_claim.css"),
            "claims_url": f"{base}/-/claims?article={article_id}",
            "row_url": datasette.urls.row(db.name, "articles", str(article_id)),
            "n_claims": len({m["claim_id"] for m in mentions if m["claim_id"] is not None}),
            "mention_countries": sorted({(c["country"], c["name"] or c["country"]) for c in countries if c["country"]},
                                        key=lambda c: c[1]),
        }
    return await respond(datasette, request, template="newstrace_article.html", data=data, rows=marks,
                         columns=MARK_COLUMNS, filename=f"{db.name}-article-{article_id}", context=context)


async def shared_claims(db, article_id, claim_ids):
    "The article's claims other articles carry too, each with a few of those articles."
    if not claim_ids:
        return []
    rows = [dict(r) for r in (await db.execute(SHARED_SQL.format(ids=_ids(sorted(claim_ids))),
                                                {"id": article_id, "per_claim": SHARED_PER_CLAIM})).rows]
    wanted = {i for r in rows for i in _json_list(r["others"])}
    found = {}
    if wanted:
        found = {r["id"]: dict(r) for r in (await db.execute(OTHER_ARTICLES_SQL.format(ids=_ids(sorted(wanted))))).rows}
    for r in rows:
        r["others"] = [found[i] for i in _json_list(r["others"]) if i in found]
    return rows


async def version_diff(db, request, article, versions):
    """The word-level diff between two versions (?from=&to=; default: the last change), or None without
    earlier versions."""
    current = article["version"]
    known = {v["version"] for v in versions} | {current}
    old, new = read_version(request, "from"), read_version(request, "to")
    if not versions and old is None and new is None:
        return None
    new = current if new is None else new
    if old is None:
        earlier = sorted(v for v in known if v < new)
        old = earlier[-1] if earlier else None
    for name, value in (("from", old), ("to", new)):
        if value is not None and value not in known:
            raise BadRequest(f"{name}: this article has no version {value} (versions: "
                             f"{', '.join(map(str, sorted(known)))})")
    if old is None:
        return None

    async def text_of(version):
        if version == current:
            return article["title"], article["text"] or ""
        row = (await db.execute(VERSION_TEXT_SQL, {"id": article["id"], "version": version})).first()
        return row["title"], row["text"] or ""

    (old_title, old_text), (new_title, new_text) = await text_of(old), await text_of(new)
    runs = word_diff(old_text, new_text)
    return {"from": old, "to": new, "title_from": old_title, "title_to": new_title,
            "runs": runs, **diff_stats(runs)}


def mark_spans(text, mentions, countries):
    "The spans the text is marked with: claim sentences, their hedges, country mentions."
    spans = []
    for m in mentions:
        if m["char_start"] is None or m["char_end"] is None or m.get("segment") == "title":
            continue  # a headline's claim (segment 'title') indexes the title, not the text
        spans.append({"kind": "claim", "start": m["char_start"], "end": m["char_end"], "mention": m})
        if m["hedge_start"] is not None:
            spans.append({"kind": "hedge", "start": m["hedge_start"], "end": m["hedge_end"], "mention": m})
    for c in countries:
        if c["char_start"] is not None and c["char_end"] is not None:
            spans.append({"kind": "country", "start": c["char_start"], "end": c["char_end"], "mention": c})
    return spans


def _wrap(span):
    "The span's tags; its first piece also carries its anchor (claim and country evidence elsewhere link to it)."
    tags = span.get("tags")
    if tags is None:
        first = _tags(span, True)
        span["tags"] = _tags(span, False)
        return first
    return tags


def _e(value):
    "Escaped text for an attribute or element (markupsafe's C escape; codes too, defensively)."
    if isinstance(value, int):
        return str(value)
    return html_escape("" if value is None else str(value))


# f-strings over escape(): a page of 200 claims builds thousands of these tags
def _tags(span, first):
    m = span["mention"]
    if span["kind"] == "claim":
        status = m["verification_status"] or "none"
        anchor = f' id="mention-{_e(m["id"])}"' if first else ""
        return (f'<span class="newstrace-claim-sentence newstrace-status-border-{_e(status)}"{anchor} '
                f'data-mention="{_e(m["id"])}" data-claim="{_e(m["claim_id"])}">', "</span>")
    if span["kind"] == "hedge":
        return f'<mark class="newstrace-hedge" data-mention="{_e(m["id"])}">', "</mark>"
    title = m["name"] or m["country"]
    if m.get("name_zh"):
        title = f"{title} · {m['name_zh']}"
    title = f"{title} ({m['kind']}, {m['reading']})" if m["kind"] else title
    if m["url"]:
        anchor = f' id="country-mention-{_e(m["id"])}"' if first else ""
        return (f'<a class="newstrace-country"{anchor} data-country="{_e(m["country"])}" href="{_e(m["url"])}" '
                f'title="{_e(title)}">', "</a>")
    return f'<span class="newstrace-country" title="{_e(title)}">', "</span>"


def _badge(span, word="claim"):
    "After a claim sentence: a small link to its claim page, saying its status and how far it travelled."
    if span["kind"] != "claim":
        return None
    m = span["mention"]
    if not m["claim_url"]:
        return ""
    others = (m["n_articles"] or 1) - 1
    label = f"{word} {m['claim_id']}" + (f" · +{others}" if others > 0 else "")
    title = (m["claim_text"] or m["sentence"] or "")[:200]
    return (f' <a class="newstrace-claim-badge" href="{_e(m["claim_url"])}" data-mention="{_e(m["id"])}" '
            f'title="{_e(title)}">{_e(label)}</a>')


def _english(label, **values):
    return label.format(**values) if values else label


def marked_html(text, mentions, countries, participation, _=_english):
    "The text marked (render), a claim's badge after its sentence, participation rows after their paragraph."
    spans = mark_spans(text, mentions, countries)
    rows_at = sorted((p for p in participation if p["char_start"] is not None), key=lambda p: p["char_start"])

    def aside(start, end):
        here = [p for p in rows_at if start <= p["char_start"] < end]
        if not here:
            return None
        items = Markup("").join(
            Markup('<li id="participation-{id}"><span class="newstrace-role newstrace-role-{role}">{role_label}</span> '
                   '{country} · {initiative}{valid}</li>').format(
                id=p["id"], role=p["role"] or "", role_label=_(p["role"]) if p["role"] else "",
                country=_link(p["country_url"], p["country_name"] or p["country"] or "?"),
                initiative=_link(p["initiative_url"], p["initiative_name"] or p["initiative_id"] or "?"),
                valid=Markup(" <small>{} – {}</small>").format(p["valid_from"] or "…", p["valid_to"] or "…")
                if p["valid_from"] or p["valid_to"] else "")
            for p in here)
        return Markup('<aside class="newstrace-participation-note"><ul>{}</ul></aside>').format(items)

    badged = set()

    def badge(span):
        # two voices on one sentence are two mentions of one claim: one badge
        key = (span["end"], span["mention"].get("claim_id")) if span["kind"] == "claim" else None
        if key is None or key in badged:
            return None
        badged.add(key)
        return _badge(span, _("claim"))

    return render(text, spans, _wrap, after=badge, aside=aside)


def marked_title(title, mentions, word="claim"):
    """The headline with its claim marked (issue 9's segment 'title': a title the text does not repeat, its
    offsets into the title), linked to the claim page like the sentences of the text; None when it has none."""
    spans = [{"kind": "claim", "start": m["char_start"], "end": m["char_end"], "mention": m} for m in mentions
             if m.get("segment") == "title" and m["char_start"] is not None and m["char_end"] is not None
             and 0 <= m["char_start"] < m["char_end"] <= len(title or "")]
    if not spans:
        return None
    html = str(render(title, spans, _wrap, after=lambda span: _badge(span, word)))
    # one line of the page's <h1>: render's paragraphs become spaces (the title itself is escaped text)
    return Markup(html.replace("</p>\n<p>", " ").removeprefix("<p>").removesuffix("</p>"))


def _link(url, label):
    return Markup('<a href="{}">{}</a>').format(url, label) if url else escape(label)


def _short(text, n):
    text = text or ""
    return text if len(text) <= n else text[:n - 1] + "…"


def claims_list_html(mentions, _):
    "The side list of the article's claims (one item per mention: a ¶ to its sentence, the claim, who, status)."
    items = []
    for m in mentions:
        label = _e(_short(m["claim_text"] or m["sentence"], 140))
        claim = f'<a href="{_e(m["claim_url"])}">{label}</a>' if m["claim_url"] else label
        who = _e(m["speaker"] or _("no named speaker"))
        if m["cited_source"] and m["cited_source"] != m["speaker"]:
            who += " · " + _e(_("via {source}", source=m["cited_source"]))
        status = m["verification_status"] or "none"
        items.append(f'<li><a href="#mention-{_e(m["id"])}" title="{_e(_("to the sentence"))}">¶</a> {claim}<br>'
                     f'<small>{who} · <span class="newstrace-status newstrace-status-{_e(status)}">'
                     f'{_e(_("status_" + status))}</span></small></li>')
    return Markup("".join(items))


def shared_html(shared, _, lang):
    "The claims other articles carry too, each with a few of them."
    items = []
    for c in shared:
        others = "".join(
            f'<li><a href="{_e(o["url"])}">{_e(o["title"] or o["id"])}</a> <small>{_e(o["outlet"] or "")}'
            + (", " + str(time_tag(o["published"], lang, date_only=True)) if o["published"] else "")
            + "</small></li>" for o in c["others"])
        items.append(f'<li><a href="{_e(c["url"])}">{_e(_short(c["claim_text"], 120))}</a> <small>'
                     f'{_e(_("in {n} articles, {o} outlets", n=c["n_articles"], o=c["n_outlets"]))}</small>'
                     f"<ul>{others}</ul></li>")
    return Markup("".join(items))


def mark_rows(text, mentions, countries):
    "The .csv: one row per mark, in text order."
    rows = []
    for m in mentions:
        rows.append({"kind": "claim", "char_start": m["char_start"], "char_end": m["char_end"],
                     "text": m["sentence"], "claim_id": m["claim_id"], "country": None,
                     "status": m["verification_status"], "speaker": m["speaker"], "url": m["claim_url"],
                     "segment": "title" if m.get("segment") == "title" else "text"})
        if m["hedge_start"] is not None:
            rows.append({"kind": "hedge", "char_start": m["hedge_start"], "char_end": m["hedge_end"],
                         "text": m["hedge_text"], "claim_id": m["claim_id"], "country": None,
                         "status": m["verification_status"], "speaker": None, "url": m["claim_url"],
                         "segment": "text"})
    for c in countries:
        rows.append({"kind": "country", "char_start": c["char_start"], "char_end": c["char_end"],
                     "text": c["surface"], "claim_id": None, "country": c["country"], "status": None,
                     "speaker": None, "url": c["url"], "segment": "text"})
    rows.sort(key=lambda r: (r["char_start"] if r["char_start"] is not None else -1, r["kind"]))
    return rows


async def snapshot_view(datasette, request):
    """One raw response, as stored, only ever as a download: the bytes are the publisher's HTML, which must
    not run as a page of the archive (no text/html, attachment, nosniff, and a CSP sandbox should a browser
    render it anyway)."""
    db = (await archive_for(datasette, request, needs=("articles", "snapshots"))).db
    article_id = read_article_id(request)
    sid = url_int(request, "snapshot_id")
    row = (await db.execute(SNAPSHOT_SQL, {"id": article_id, "sid": sid})).first()
    if row is None:
        raise NotFound(f"No snapshot {sid} of article {article_id}")
    body = row["body"] or b""
    try:
        body = zlib.decompress(body)
    except zlib.error:
        pass  # stored uncompressed
    charset = row["encoding"] or "utf-8"
    safe_charset = "".join(ch for ch in charset if ch.isalnum() or ch in "-_") or "utf-8"
    # the saved file keeps its kind (it opens from the reader's disk, never from this origin)
    extension = "html" if "html" in (row["content_type"] or "html") else "txt"
    return Response(
        body,
        status=200,
        content_type=f"text/plain; charset={safe_charset}",
        headers={
            "content-disposition": f'attachment; filename="article-{article_id}-snapshot-{int(sid)}.{extension}"',
            "x-content-type-options": "nosniff",
            "content-security-policy": "sandbox; default-src 'none'",
            "cache-control": "private, max-age=3600",
        },
    )


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/articles/(?P<article_id>\d+)(\.(?P<format>json|csv))?$", article_view),
    (r"^/(?P<database>[^/]+)/-/articles/(?P<article_id>\d+)/snapshots/(?P<snapshot_id>\d+)$", snapshot_view),
]


# --- cells of Datasette's own pages ----------------------------------------------------------------------

EXCERPT_CHARS = 110
DESCRIPTION_CHARS = 50  # articles.excerpt: the page's own summary, shorter still
URL_CHARS = 40
URL_COLUMNS = ("url", "final_url", "canonical_url")
# the ?_search= of the table page being rendered (set by the plugin's asgi_wrapper): the text cell then shows
# the passage that matched, not the first lines
searched = contextvars.ContextVar("newstrace_searched", default="")


def _row_value(row, key):
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    # a foreign key Datasette has expanded arrives as {"value": ..., "label": ...}
    return value.get("value") if isinstance(value, dict) else value


def _short_url(value):
    "example.org/path… : the host and the start of the path, for a cell (the full URL on hover)."
    shown = re.sub(r"^https?://(www\.)?", "", value)
    return shown if len(shown) <= URL_CHARS else shown[:URL_CHARS - 1] + "…"


def render_cell(value, column, table, database, datasette, row=None):
    """articles.text (and article_versions.text): a short excerpt — the matching passage on a searched page —
    with a link to the article page; articles.title links there too; URLs are shortened (full on hover)."""
    if table == "articles" and column in ("text", "excerpt", "title") or (
            table == "article_versions" and column == "text"):
        if not isinstance(value, str):
            return None
        article_id = _row_value(row, "id" if table == "articles" else "article_id")
        if article_id is None:
            return None
        url = article_url(datasette, database, article_id)
        # f-strings over escape(): a table page renders hundreds of these cells
        if column == "title":
            return Markup(f'<a class="newstrace-title-link" href="{_e(url)}">{_e(value)}</a>')
        if table == "article_versions":
            version = _row_value(row, "version")
            url += f"?from={int(version)}#versions" if isinstance(version, int) else "#versions"
        if column == "excerpt":  # the page's own summary: shortened, the text cell beside it has the link
            return Markup(f'<span class="newstrace-excerpt" title="{_e(value)}">'
                          f'{snippet(value, [], width=DESCRIPTION_CHARS)}</span>')
        excerpt = snippet(value, query_terms(searched.get()), width=EXCERPT_CHARS)
        label = "read →" if table == "articles" else "compare →"
        return Markup(f'<span class="newstrace-excerpt">{excerpt} <a class="newstrace-read" href="{_e(url)}">'
                      f'{label}</a></span>')
    if table in ("articles", "snapshots", "fetch_log") and column in URL_COLUMNS and isinstance(value, str) \
            and value.startswith(("http://", "https://")):
        return Markup(f'<a class="newstrace-url" href="{_e(value)}" title="{_e(value)}" '
                      f'rel="nofollow noopener noreferrer">{_e(_short_url(value))}</a>')
    if table == "snapshots" and column == "body":
        sid, article_id = _row_value(row, "id"), _row_value(row, "article_id")
        if sid is None or article_id is None:
            return None
        size = len(value) if isinstance(value, (bytes, str)) else 0
        href = f"{datasette.urls.database(database)}/-/articles/{int(article_id)}/snapshots/{int(sid)}"
        return Markup(f'<a class="newstrace-download" href="{_e(href)}" download>download ({size:,} bytes '
                      f'compressed)</a>')
    return None


def search_wrapper(app):
    "ASGI middleware: remembers the ?_search= of the request for render_cell (which is not given the request)."
    async def wrapped(scope, receive, send):
        token = None
        if scope.get("type") == "http":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            value = (query.get("_search") or [""])[0]
            token = searched.set(value[:500])
        try:
            await app(scope, receive, send)
        finally:
            if token is not None:
                searched.reset(token)
    return wrapped
