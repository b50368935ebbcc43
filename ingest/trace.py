"""Claim tracing: cluster claim mentions (any article, any language) into claims with stable ids.

A mention becomes a set of tokens: language-neutral ones (quantity anchors `q:70:%`, lexicon concepts
`k:rare_earth`, countries `c:CN`, names `n:vance`, the speaker `s:jd vance`) and surface ones (English word
stems `w:`, Chinese character bigrams `z:`). Candidates share tokens (the `claim_blocks` index); a pair is
linked when its content overlaps enough — across languages only the neutral tokens count. Linked mentions
form a claim (connected components). The same figure with another value (both give a `%`, the values
differ, the words agree) is linked too and marks the claim `has_variants`.

Ids are stable: `claim_keys` remembers which claim each (article, sentence) belonged to; a new cluster
keeps the id most of its mentions had, two merged claims keep the older (smaller) id and
`claim_redirects` sends the other one there.
"""
import hashlib
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

from . import store

# A token carried by more mentions than this is too common to find candidates with ("china" in a
# China-trade archive); pairs must share rarer tokens as well.
BLOCK_CAP = 400
SQL_CHUNK = 500

# Link thresholds on content tokens (quantity anchors left out): shared count, Dice, overlap coefficient.
SAME_FIGURE = (2, 0.30, 0.5)  # a quantity anchor in common: the words need only agree a little
VARIANT = (3, 0.50, 0.6)  # same unit, different value: the words must agree well
NO_FIGURE = (2, 0.55, 0.65)  # no figure in common
CROSS_UNCOVERED_WEIGHT = 0.5
SPEAKER_MAX_CHARS = 40


# --- knowledge ------------------------------------------------------------------------------------------

def _read(name):
    try:
        return json.loads(resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=None)
def lexicon():
    return _read("claim_lexicon.json")


_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1 << 16)
def stem(word):
    "Crude English stemming, applied alike to text and lexicon forms, so only consistency matters."
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _words(text):
    return [m.group(0) for m in _WORD.finditer(text)]


@lru_cache(maxsize=None)
def _phrases():
    """English phrase table (tuple of stems -> token), Chinese table (form -> token), stopwords.

    A token None marks a form to drop (Chinese multi-character stopwords)."""
    lex = lexicon()
    en, zh = {}, {}

    def add_en(form, token):
        key = tuple(stem(w) for w in _words(form))
        if key and key not in en:
            en[key] = token

    def add_zh(form, token):
        if form and form not in zh:
            zh[form] = token

    for concept, forms in lex.get("concepts", {}).items():
        for f in forms.get("en", []):
            add_en(f, "k:" + concept)
        for f in forms.get("zh", []):
            add_zh(f, "k:" + concept)
    for canon, forms in _read("speakers.json").get("aliases", {}).items():
        token = "n:" + canon.lower()
        add_en(canon, token)
        for f in forms:
            (add_zh if _HAS_CJK.search(f) else add_en)(f, token)
    for alias in _read("country_aliases.json").get("aliases", []):
        if alias.get("kind") in ("name", "demonym", "capital", "institution", "side"):
            (add_zh if alias.get("lang") == "zh" else add_en)(alias["alias"], "c:" + alias["country"])
    stop_zh = set(lex.get("stopwords_zh", []))
    for w in stop_zh:
        if len(w) > 1:
            add_zh(w, None)
    stop_en = {stem(w) for w in lex.get("stopwords_en", [])} | set(lex.get("stopwords_en", []))
    # lengths of the phrases starting with each first word / character, longest first: most words start
    # none, so matching costs one lookup per word
    starts_en, starts_zh = defaultdict(set), defaultdict(set)
    for key in en:
        starts_en[key[0]].add(len(key))
    for key in zh:
        starts_zh[key[0]].add(len(key))
    starts_en = {k: sorted(v, reverse=True) for k, v in starts_en.items()}
    starts_zh = {k: sorted(v, reverse=True) for k, v in starts_zh.items()}
    return en, zh, stop_en, {w for w in stop_zh if len(w) == 1}, starts_en, starts_zh


@lru_cache(maxsize=None)
def _speaker_canon():
    out = {}
    for canon, forms in _read("speakers.json").get("aliases", {}).items():
        out[canon.lower()] = canon
        for f in forms:
            out[f.lower()] = canon
    return out


@lru_cache(maxsize=None)
def _surnames():
    "Last word of each known Latin-script name -> the name, when only one name ends so."
    counts = Counter(c.split()[-1].lower() for c in _read("speakers.json").get("aliases", {}) if c.split())
    return {c.split()[-1].lower(): c for c in _read("speakers.json").get("aliases", {})
            if c.split() and counts[c.split()[-1].lower()] == 1}


def canonical_speaker(name):
    "The one spelling of a speaker used for counting and display (万斯, Vance -> JD Vance)."
    if not name:
        return None
    name = " ".join(name.split())
    low = name.lower()
    return _speaker_canon().get(low) or _surnames().get(low) or name


def speaker_token(name):
    "Speakers match on the surname: 'JD Vance', 'Vance' and 万斯 are one speaker."
    canon = canonical_speaker(name)
    if not canon:
        return None
    if _HAS_CJK.search(canon):
        return "s:" + canon
    return "s:" + stem(_words(canon)[-1]) if _words(canon) else None


def norm_unit(unit):
    if not unit:
        return ""
    units = lexicon().get("units", {})
    if unit in units:
        return units[unit]
    low = unit.lower()
    if low in units:
        return units[low]
    return stem(low) if low.isascii() else low


def _num(value):
    return "%.6g" % float(value)


# --- features -------------------------------------------------------------------------------------------

def _latin_tokens(text, tokens, surface, at_start=True):
    en, _, stop_en, _, starts_en, _ = _phrases()
    words = _words(text)
    stems = [stem(w) for w in words]
    i = 0
    while i < len(words):
        for n in starts_en.get(stems[i], ()):
            if n > len(words) - i:
                continue
            token = en.get(tuple(stems[i:i + n]))
            # names and countries only when written as names: "told us" is not the US
            if token and (token[0] == "k" or words[i][0].isupper()) and (n > 1 or stems[i] not in stop_en):
                tokens.add(token)
                i += n
                break
        else:
            s = stems[i]
            if s not in stop_en and words[i].lower() not in stop_en and len(s) > 1:
                # a capitalised word inside the sentence is most likely a name: it may match across languages
                if (i or not at_start) and words[i][0].isupper():
                    tokens.add("n:" + s)
                else:
                    surface.add("w:" + s)
            i += 1


def _cjk_tokens(run, tokens, surface):
    _, zh, _, stop_zh1, _, starts_zh = _phrases()
    rest = []
    i = 0
    while i < len(run):
        for n in starts_zh.get(run[i], ()):
            if n > len(run) - i:
                continue
            piece = run[i:i + n]
            if piece in zh:
                token = zh[piece]
                if token:
                    tokens.add(token)
                rest.append(None)
                i += n
                break
        else:
            ch = run[i]
            rest.append(None if ch in stop_zh1 else ch)
            i += 1
    for a, b in zip(rest, rest[1:]):
        if a and b:
            surface.add("z:" + a + b)


def features(mention):
    """Tokens of one mention: {'neutral', 'surface', 'anchors', 'units', 'zh'}.

    `mention` needs sentence, quantities (list or JSON), speaker, cited_source."""
    sentence = mention.get("sentence") or ""
    neutral, surface = set(), set()
    last = 0
    for m in _CJK_RUN.finditer(sentence):
        _latin_tokens(sentence[last:m.start()], neutral, surface, at_start=last == 0)
        _cjk_tokens(m.group(0), neutral, surface)
        last = m.end()
    _latin_tokens(sentence[last:], neutral, surface, at_start=last == 0)
    # the outlet credited says who passed the claim on, not what the claim is
    cited = mention.get("cited_source")
    if cited:
        drop_n, drop_s = set(), set()
        _latin_tokens(" x " + cited, drop_n, drop_s)
        for m in _CJK_RUN.finditer(cited):
            _cjk_tokens(m.group(0), drop_n, drop_s)
        neutral -= drop_n
        surface -= drop_s
    # who speaks is one token (s:), not also the words of their name and title
    for said_by in (mention.get("speaker_text"), mention.get("speaker"), canonical_speaker(mention.get("speaker"))):
        # a long "speaker" is an extraction slip that swallowed the claim: keep its words
        if said_by and len(said_by) <= SPEAKER_MAX_CHARS and not any(c in said_by for c in ",(，（"):
            drop_n, drop_s = set(), set()
            _latin_tokens(" x " + said_by, drop_n, drop_s)
            for m in _CJK_RUN.finditer(said_by):
                _cjk_tokens(m.group(0), drop_n, drop_s)
            neutral -= drop_n
            surface -= drop_s
    speaker = speaker_token(mention.get("speaker"))
    if speaker:
        neutral.add(speaker)
    quantities = mention.get("quantities") or []
    if isinstance(quantities, str):
        try:
            quantities = json.loads(quantities)
        except ValueError:
            quantities = []
    anchors, units = set(), defaultdict(set)
    for q in quantities:
        if not isinstance(q, dict):
            continue
        unit = norm_unit(q.get("unit"))
        for key in ("value", "from", "to"):
            v = q.get(key)
            if isinstance(v, (int, float)):
                anchors.add(f"q:{_num(v)}:{unit}")
        if isinstance(q.get("value"), (int, float)):
            units[unit].add(_num(q["value"]))
    return {"neutral": neutral, "surface": surface, "anchors": anchors, "units": dict(units),
            "zh": bool(_HAS_CJK.search(sentence))}


def dump_features(f):
    return json.dumps({"n": sorted(f["neutral"]), "s": sorted(f["surface"]), "a": sorted(f["anchors"]),
                       "u": {k: sorted(v) for k, v in f["units"].items()}, "z": f["zh"]}, ensure_ascii=False)


def load_features(text):
    d = json.loads(text)
    return {"neutral": set(d["n"]), "surface": set(d["s"]), "anchors": set(d["a"]),
            "units": {k: set(v) for k, v in d["u"].items()}, "zh": d["z"]}


def block_keys(f):
    return f["neutral"] | f["surface"] | f["anchors"]


def _passes(a, b, limits, strict=False, sizes=None):
    need, dice_min, overlap_min = limits
    if not a or not b:
        return False
    common = a & b
    # the speaker places a claim but does not say what it is, countries only half: the rest must agree too
    if sum(0 if t[0] == "s" else 0.5 if t[0] == "c" else 1 for t in common) < need:
        return False
    size_a, size_b = sizes or (len(a), len(b))
    dice = 2 * len(common) / (size_a + size_b)
    overlap = len(common) / min(size_a, size_b)
    if limits is SAME_FIGURE and not strict:
        return dice >= dice_min or overlap >= overlap_min
    return dice >= dice_min and overlap >= overlap_min


def _cross_size(f):
    """Size of a mention seen across languages: its neutral tokens plus a share of the words the lexicon did
    not cover — a sentence that says much more than its few lexicon words must not look identical."""
    words = len(f["surface"]) / 2 if f["zh"] else len(f["surface"])
    return len(f["neutral"]) + CROSS_UNCOVERED_WEIGHT * words


def linked(ma, fa, mb, fb):
    "Do two mentions state the same claim? (ma/mb: the mention rows, for their article ids)"
    sizes = None
    if fa["zh"] != fb["zh"]:
        a, b = fa["neutral"], fb["neutral"]
        sizes = (_cross_size(fa), _cross_size(fb))
    else:
        a, b = fa["neutral"] | fa["surface"], fb["neutral"] | fb["surface"]
    same_article = ma["article_id"] == mb["article_id"]
    if fa["anchors"] & fb["anchors"]:
        # one article names a figure in several sentences about different things: ask more of the words
        return _passes(a, b, SAME_FIGURE, strict=same_article and fa["zh"] == fb["zh"], sizes=sizes)
    if set(fa["units"]) & set(fb["units"]):
        # the same kind of figure with other values: a variant, never inside one article
        return not same_article and _passes(a, b, VARIANT, sizes=sizes)
    return _passes(a, b, NO_FIGURE, sizes=sizes)


# --- claim summaries --------------------------------------------------------------------------------------

def _order(m):
    return (m.get("published") or "9999", m["article_id"], m.get("char_start") or 0)


def outlet_of(m):
    "The outlet a mention counts for: a republished copy counts as its original's outlet."
    return m.get("original_outlet") or m.get("outlet") or "unknown"


def variants(mentions):
    """Figures that differ between mentions: [{unit, values: [{value, texts, mention_ids, outlets}]}], only
    for units where some mentions disagree (neither's values contain the other's)."""
    by_unit = defaultdict(list)
    for m in mentions:
        f = m.get("_features") or features(m)
        for unit, values in f["units"].items():
            by_unit[unit].append((m, values))
    out = []
    for unit, rows in sorted(by_unit.items()):
        sets = [frozenset(v) for _, v in rows]
        disagree = any(not (x <= y or y <= x) for i, x in enumerate(sets) for y in sets[i + 1:])
        if not disagree:
            continue
        values = {}
        for m, vals in rows:
            qs = m.get("quantities") or []
            if isinstance(qs, str):
                qs = json.loads(qs or "[]")
            for q in qs:
                if not isinstance(q, dict) or norm_unit(q.get("unit")) != unit:
                    continue
                if not isinstance(q.get("value"), (int, float)):
                    continue
                entry = values.setdefault(_num(q["value"]), {"value": float(q["value"]), "texts": [],
                                                             "mention_ids": [], "outlets": []})
                if q.get("text") and q["text"] not in entry["texts"]:
                    entry["texts"].append(q["text"])
                if m["id"] not in entry["mention_ids"]:
                    entry["mention_ids"].append(m["id"])
                if outlet_of(m) not in entry["outlets"]:
                    entry["outlets"].append(outlet_of(m))
        out.append({"unit": unit, "values": sorted(values.values(), key=lambda e: e["value"])})
    return out


def chain_edges(mentions):
    """'Reported by' edges over a claim's mentions: speaker -> credited outlet(s) -> the article's outlet.

    Returns [{source, source_kind, target, target_kind, n_mentions, first_seen}]."""
    outlets = ({outlet_of(m) for m in mentions} | {m["outlet"] for m in mentions if m.get("outlet")}
               | {m["cited_source"] for m in mentions if m.get("cited_source")})
    edges = {}
    for m in sorted(mentions, key=_order):
        chain = m.get("chain") or []
        if isinstance(chain, str):
            chain = json.loads(chain or "[]")
        path = [c for c in chain if isinstance(c, str) and c.strip()]
        if not path:
            path = [p for p in (m.get("speaker"), m.get("cited_source")) if p]
        path = [canonical_speaker(p) if p == m.get("speaker") else p for p in path]
        here = outlet_of(m)
        if not path or path[-1] != here:
            path.append(here)
        if m.get("outlet") and m["outlet"] != here:
            path.append(m["outlet"])  # a republished copy: its original's outlet passed it on
        for a, b in zip(path, path[1:]):
            if a == b:
                continue
            key = (a, b)
            if key not in edges:
                edges[key] = {"source": a, "source_kind": "outlet" if a in outlets else "speaker",
                              "target": b, "target_kind": "outlet" if b in outlets else "speaker",
                              "n_mentions": 0, "first_seen": m.get("published")}
            edges[key]["n_mentions"] += 1
    return list(edges.values())


def summarise(mentions):
    "The claims row (without id) for one cluster of mention rows."
    ordered = sorted(mentions, key=_order)
    english = [m for m in ordered if (m.get("lang") or m.get("language") or "").startswith("en")]
    canonical = (english or ordered)[0]
    types = Counter(m.get("claim_type") for m in ordered if m.get("claim_type"))
    claim_type = canonical.get("claim_type")
    if types:
        top = max(types.values())
        claim_type = claim_type if types.get(claim_type) == top else types.most_common(1)[0][0]
    speakers = Counter(canonical_speaker(m.get("speaker")) for m in ordered if m.get("speaker"))
    speaker = None
    if speakers:
        top = max(speakers.values())
        # prefer a Latin-script spelling among the most frequent
        speaker = sorted((s for s, n in speakers.items() if n == top), key=lambda s: (bool(_HAS_CJK.search(s)),))[0]
    dated = [m for m in ordered if m.get("published")]
    first = dated[0] if dated else ordered[0]
    explicit = [m for m in ordered if m.get("verification_status") not in (None, "", "none")]
    langs = sorted({(m.get("lang") or m.get("language")) for m in ordered if (m.get("lang") or m.get("language"))})
    return {
        "claim_text": canonical["sentence"],
        "claim_type": claim_type,
        "speaker": speaker,
        "first_seen": first.get("published") if dated else None,
        "first_seen_month": first["published"][:7] if dated else None,
        "first_article_id": first["article_id"],
        "n_mentions": len(ordered),
        "n_articles": len({m["article_id"] for m in ordered}),
        "n_outlets": len({outlet_of(m) for m in ordered}),
        "languages": json.dumps(langs),
        "status": explicit[-1]["verification_status"] if explicit else "none",
        "status_conflict": int(len({m["verification_status"] for m in explicit}) > 1),
        "has_variants": int(bool(variants(ordered))),
    }


# --- the database side ------------------------------------------------------------------------------------

MENTIONS_SQL = """
SELECT m.id, m.article_id, m.segment, m.sentence, m.char_start, m.char_end, m.lang, m.claim_type, m.speaker,
       m.speaker_text, m.cited_source, m.attribution_mode, m.verification_status, m.hedge_text, m.hedge_scope,
       m.quantities, m.chain, m.claim_id, a.published, a.language, a.url, a.title,
       COALESCE(a.sitename, a.hostname) AS outlet, a.duplicate_of,
       COALESCE(o.sitename, o.hostname) AS original_outlet
FROM claim_mentions m
JOIN articles a ON a.id = m.article_id
LEFT JOIN articles o ON o.id = a.duplicate_of
WHERE {where}
"""

BLOCK_DF_SQL = "SELECT block, COUNT(*) FROM claim_blocks WHERE block IN ({marks}) GROUP BY block"
BLOCK_HITS_SQL = "SELECT block, mention_id FROM claim_blocks WHERE block IN ({marks})"
KEYS_FOR_ARTICLES_SQL = "SELECT DISTINCT claim_id FROM claim_keys WHERE article_id IN ({marks})"
CLAIM_MENTION_IDS_SQL = "SELECT id FROM claim_mentions WHERE claim_id IN ({marks})"
OLD_KEYS_SQL = "SELECT article_id, sentence_hash, char_start, claim_id FROM claim_keys WHERE article_id IN ({marks})"


def sentence_hash(sentence):
    return hashlib.sha1(" ".join((sentence or "").split()).encode("utf-8")).hexdigest()[:16]


def _chunks(items, size=SQL_CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _rows(db, sql, params):
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_mentions(db, where="1", params=()):
    return _rows(db, MENTIONS_SQL.format(where=where), params)


def _load_by_ids(db, ids):
    out = []
    for chunk in _chunks(sorted(ids)):
        out += load_mentions(db, "m.id IN (%s)" % ", ".join("?" for _ in chunk), chunk)
    return out


def _select_ids(db, sql, values):
    out = set()
    for chunk in _chunks(values):
        out.update(r[0] for r in db.conn.execute(sql.format(marks=", ".join("?" for _ in chunk)), chunk))
    return out


def _candidates(db, keys):
    "Mention ids sharing at least two usable blocks with `keys` (blocks above BLOCK_CAP are skipped)."
    usable = set()
    for chunk in _chunks(keys):
        for block, n in db.conn.execute(BLOCK_DF_SQL.format(marks=", ".join("?" for _ in chunk)), chunk):
            if n <= BLOCK_CAP:
                usable.add(block)
    hits = Counter()
    for chunk in _chunks(usable):
        for _, mention_id in db.conn.execute(BLOCK_HITS_SQL.format(marks=", ".join("?" for _ in chunk)), chunk):
            hits[mention_id] += 1
    return {mid for mid, n in hits.items() if n >= 2}


def _components(mentions):
    "Connected components of the link graph among `mentions` (each with _features)."
    index = defaultdict(list)
    for i, m in enumerate(mentions):
        for key in block_keys(m["_features"]):
            index[key].append(i)
    parent = list(range(len(mentions)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    shared = defaultdict(Counter)
    for key, members in index.items():
        if len(members) > BLOCK_CAP:
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                shared[a][b] += 1
    for a, counts in shared.items():
        for b, n in counts.items():
            if n < 2 or find(a) == find(b):
                continue
            if linked(mentions[a], mentions[a]["_features"], mentions[b], mentions[b]["_features"]):
                parent[find(a)] = find(b)
    groups = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[find(i)].append(m)
    return list(groups.values())


def _next_id(db):
    row = db.conn.execute("SELECT value FROM claim_trace_state WHERE name = 'next_claim_id'").fetchone()
    if row:
        return row[0]
    top = db.conn.execute(
        "SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM claims UNION ALL SELECT MAX(old_id) FROM claim_redirects "
        "UNION ALL SELECT MAX(claim_id) FROM claim_keys)"
    ).fetchone()[0]
    return (top or 0) + 1


def _assign_ids(db, clusters, old_keys):
    """Give each cluster an id: the old id most of its mentions had; merged claims keep the oldest id.

    Returns (ids per cluster, {loser: survivor} redirects, old ids no cluster kept)."""
    by_hash = {(k[0], k[1]): k[3] for k in old_keys}
    by_start = {}
    for k in old_keys:
        by_start.setdefault((k[0], k[2]), k[3])
    votes = []
    for cluster in clusters:
        counter = Counter()
        for m in cluster:
            old = by_hash.get((m["article_id"], m["_hash"]))
            if old is None:
                old = by_start.get((m["article_id"], m["char_start"]))
            if old is not None:
                counter[old] += 1
        votes.append(counter)
    owner = {}
    for i, counter in enumerate(votes):
        for old, n in counter.items():
            best = owner.get(old)
            if best is None or (n, -min(_order(m) for m in clusters[i])[1]) > (
                    votes[best][old], -min(_order(m) for m in clusters[best])[1]):
                owner[old] = i
    next_id = _next_id(db)
    ids, redirects = [], {}
    for i in range(len(clusters)):
        owned = sorted(old for old, who in owner.items() if who == i)
        if owned:
            ids.append(owned[0])
            for other in owned[1:]:
                redirects[other] = owned[0]
        else:
            ids.append(next_id)
            next_id += 1
    db.conn.execute("INSERT OR REPLACE INTO claim_trace_state(name, value) VALUES ('next_claim_id', ?)", [next_id])
    all_old = {k[3] for k in old_keys}
    return ids, redirects, all_old - set(ids) - set(redirects)


def update_claims(db, article_ids=None):
    """Re-cluster the claims touched by `article_ids` (None: all) after their mentions were (re)written.

    Returns {"clusters": n, "mentions": n, "merged": n, "removed": n}."""
    if article_ids is not None:
        article_ids = set(article_ids)
        # a batch that touches most of the archive re-clusters faster from scratch
        if len(article_ids) > 1 and 2 * len(article_ids) >= db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
            article_ids = None
    with db.conn:
        if article_ids is None:
            db.conn.execute("DELETE FROM claim_blocks")
            db.conn.execute("DELETE FROM claim_features")
            fresh = load_mentions(db)
            scope = fresh
            old_keys = db.conn.execute("SELECT article_id, sentence_hash, char_start, claim_id FROM claim_keys").fetchall()
            old_claims = {r[0] for r in db.conn.execute("SELECT id FROM claims")} | {k[3] for k in old_keys}
        else:
            article_ids = sorted(set(article_ids))
            if not article_ids:
                return {"clusters": 0, "mentions": 0, "merged": 0, "removed": 0}
            for chunk in _chunks(article_ids):
                for table in ("claim_blocks", "claim_features"):
                    db.conn.execute(f"DELETE FROM {table} WHERE article_id IN (%s)" % ", ".join("?" for _ in chunk),
                                    chunk)
            fresh = []
            for chunk in _chunks(article_ids):
                fresh += load_mentions(db, "m.article_id IN (%s)" % ", ".join("?" for _ in chunk), chunk)
            scope = None
        for m in fresh:
            m["_features"] = features(m)
            m["_hash"] = sentence_hash(m["sentence"])
        db.conn.executemany(
            "INSERT INTO claim_blocks(block, mention_id, article_id) VALUES (?, ?, ?)",
            [(key, m["id"], m["article_id"]) for m in fresh for key in block_keys(m["_features"])],
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO claim_features(mention_id, article_id, tokens) VALUES (?, ?, ?)",
            [(m["id"], m["article_id"], dump_features(m["_features"])) for m in fresh],
        )
        if scope is None:
            scope = _incremental_scope(db, article_ids, fresh)
            claim_ids = {m["claim_id"] for m in scope if m.get("claim_id")}
            old_claims = claim_ids | _select_ids(db, KEYS_FOR_ARTICLES_SQL, article_ids)
            scope_articles = sorted({m["article_id"] for m in scope} | set(article_ids))
            old_keys = []
            for chunk in _chunks(scope_articles):
                old_keys += db.conn.execute(OLD_KEYS_SQL.format(marks=", ".join("?" for _ in chunk)), chunk).fetchall()
            old_keys = [k for k in old_keys if k[3] in old_claims]
        clusters = _components(scope)
        ids, redirects, removed = _assign_ids(db, clusters, old_keys)
        _write(db, clusters, ids, redirects, removed, old_claims)
        return {"clusters": len(clusters), "mentions": len(scope), "merged": len(redirects), "removed": len(removed)}


def _attach_features(db, mentions):
    "Stored tokens where a mention has them (computed once, when it was traced), computed otherwise."
    stored = {}
    for chunk in _chunks([m["id"] for m in mentions]):
        stored.update(db.conn.execute(
            "SELECT mention_id, tokens FROM claim_features WHERE mention_id IN (%s)" % ", ".join("?" for _ in chunk),
            chunk).fetchall())
    for m in mentions:
        text = stored.get(m["id"])
        m["_features"] = load_features(text) if text else features(m)


def _incremental_scope(db, article_ids, fresh):
    """The mentions to re-cluster: the new ones, every mention of a claim they link to, and every mention
    of a claim that had mentions in these articles (it may have lost some and split)."""
    fresh_ids = {m["id"] for m in fresh}
    keys = set()
    for m in fresh:
        keys |= block_keys(m["_features"])
    candidate_ids = _candidates(db, keys) - fresh_ids
    candidates = _load_by_ids(db, candidate_ids)
    _attach_features(db, candidates)
    index = defaultdict(list)
    for m in candidates:
        for key in block_keys(m["_features"]):
            index[key].append(m)
    touched_claims = _select_ids(db, KEYS_FOR_ARTICLES_SQL, article_ids)
    by_id = {m["id"]: m for m in candidates}
    for m in fresh:
        seen = Counter()
        for key in block_keys(m["_features"]):
            for other in index.get(key, ()):
                seen[other["id"]] += 1
        for other_id, n in seen.items():
            other = by_id[other_id]
            if n >= 2 and other.get("claim_id") and other["claim_id"] not in touched_claims:
                if linked(m, m["_features"], other, other["_features"]):
                    touched_claims.add(other["claim_id"])
    member_ids = _select_ids(db, CLAIM_MENTION_IDS_SQL, touched_claims) - fresh_ids
    members = _load_by_ids(db, member_ids)
    _attach_features(db, members)
    scope = fresh + members
    for m in scope:
        m.setdefault("_features", features(m))
        m.setdefault("_hash", sentence_hash(m["sentence"]))
    # mentions left without a claim by an interrupted run are picked up too
    return scope


def _write(db, clusters, ids, redirects, removed, old_claims):
    gone = set(old_claims) - set(ids)
    stale = sorted(set(ids) | gone)
    for chunk in _chunks(stale):
        marks = ", ".join("?" for _ in chunk)
        store.fts_delete(db, "claims", f"id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claims WHERE id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claim_edges WHERE claim_id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claim_keys WHERE claim_id IN ({marks})", chunk)
    rows, mention_ids, keys, edges = [], [], [], []
    for cid, cluster in zip(ids, clusters):
        rows.append({"id": cid, **summarise(cluster)})
        for m in cluster:
            mention_ids.append((cid, m["id"]))
            keys.append((m["article_id"], m["_hash"], m["char_start"], cid))
        for e in chain_edges(cluster):
            edges.append({"claim_id": cid, **e})
    if rows:
        db["claims"].insert_all(rows, pk="id", replace=True)
        store.fts_insert(db, "claims", rows)
    db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?", mention_ids)
    db.conn.executemany(
        "INSERT OR REPLACE INTO claim_keys(article_id, sentence_hash, char_start, claim_id) VALUES (?, ?, ?, ?)", keys
    )
    if edges:
        db["claim_edges"].insert_all(edges, pk=("claim_id", "source", "target"), replace=True)
    for loser, survivor in redirects.items():
        db.conn.execute("UPDATE claim_redirects SET new_id = ? WHERE new_id = ?", [survivor, loser])
        db.conn.execute("INSERT OR REPLACE INTO claim_redirects(old_id, new_id) VALUES (?, ?)", [loser, survivor])
    for cid in ids:
        # an id that lives again is no longer redirected
        db.conn.execute("DELETE FROM claim_redirects WHERE old_id = ?", [cid])
    vanished = sorted(gone - set(redirects))
    for chunk in _chunks(vanished):
        marks = ", ".join("?" for _ in chunk)
        db.conn.execute(f"DELETE FROM claim_redirects WHERE new_id IN ({marks})", chunk)


def resolve(db, claim_id):
    "The id a (possibly merged) claim id now lives at, or None."
    row = db.conn.execute("SELECT new_id FROM claim_redirects WHERE old_id = ?", [claim_id]).fetchone()
    return row[0] if row else None
