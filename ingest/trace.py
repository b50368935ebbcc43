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
from .store import schema

# A token carried by more mentions than this is too common to find candidates with ("china" in a
# China-trade archive); pairs must share rarer tokens as well.
BLOCK_CAP = 400
SQL_CHUNK = 500
# Inverted-index top-k: a mention's blocks are read rarest first until this many postings were read, and
# at most CANDIDATES mentions (most blocks shared first) are checked. A batch then costs the same whatever
# the archive's size, even when every mention of a one-topic archive shares some words with every other.
POSTINGS_BUDGET = 600
CANDIDATES = 24
# A claim's state keeps its article ids up to this many (to count n_articles exactly on a merge); beyond,
# they are counted in SQL when the claim changes.
STATE_ARTICLES = 200
# Most claims have one or two mentions: their state is folded again from those when needed, as cheap as
# reading it, so only claims of this many mentions or more keep one (it would be most of claim_state).
STATE_MIN_MENTIONS = 3

# Link thresholds on content tokens (quantity anchors left out): shared count, Dice, overlap coefficient.
SAME_FIGURE = (2, 0.30, 0.5)  # a quantity anchor in common: the words need only agree a little
VARIANT = (3, 0.50, 0.6)  # same unit, different value: the words must agree well
NO_FIGURE = (2, 0.55, 0.65)  # no figure in common
CROSS_UNCOVERED_WEIGHT = 0.5
# --matcher model: cosine similarity of the sentence embeddings that links a pair the rules did not, by
# what the figures say (calibrated on the test fixtures and scripts/eval_tatoeba.py).
MODEL_SAME_FIGURE = 0.60  # and one more token in common
MODEL_VARIANT = 0.80
MODEL_NO_FIGURE = 0.70  # and two tokens in common (translations of news sentences: about 0.63-0.77)
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
    # one line: stored tokens are kept one per line (dump_features)
    unit = " ".join(unit.split())
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


@lru_cache(maxsize=1 << 14)
def _name_tokens(name):
    "The tokens of a speaker's or outlet's name (names repeat from article to article: computed once)."
    drop_n, drop_s = set(), set()
    _latin_tokens(" x " + name, drop_n, drop_s)
    for m in _CJK_RUN.finditer(name):
        _cjk_tokens(m.group(0), drop_n, drop_s)
    return frozenset(drop_n), frozenset(drop_s)


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
        drop_n, drop_s = _name_tokens(cited)
        neutral -= drop_n
        surface -= drop_s
    # who speaks is one token (s:), not also the words of their name and title
    for said_by in (mention.get("speaker_text"), mention.get("speaker"), canonical_speaker(mention.get("speaker"))):
        # a long "speaker" is an extraction slip that swallowed the claim: keep its words
        if said_by and len(said_by) <= SPEAKER_MAX_CHARS and not any(c in said_by for c in ",(，（"):
            drop_n, drop_s = _name_tokens(said_by)
            neutral -= drop_n
            surface -= drop_s
    speaker = speaker_token(mention.get("speaker"))
    if speaker:
        neutral.add(speaker)
    anchors, units = _figures(mention.get("quantities"))
    return {"neutral": neutral, "surface": surface, "anchors": anchors, "units": units,
            "zh": bool(_HAS_CJK.search(sentence))}


def _figures(quantities):
    "Quantity anchors {'q:value:unit'} and {unit: {values}} of a mention's quantities (list or JSON)."
    quantities = quantities or []
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
    return anchors, dict(units)


def dump_features(f):
    """The stored form of a mention's tokens: its blocks, one per line. The units and the script are cheap to
    read again from the mention row, so they are not stored (the kind of a token is its prefix)."""
    return "\n".join(sorted(block_keys(f)))


def load_features(text, mention):
    "Features from dump_features' text and the mention row (its sentence and quantities)."
    neutral, surface, anchors = set(), set(), set()
    for token in text.split("\n") if text else ():
        kind = token[0]
        (anchors if kind == "q" else surface if kind in "wz" else neutral).add(token)
    return {"neutral": neutral, "surface": surface, "anchors": anchors,
            "units": _figures(mention.get("quantities"))[1],
            "zh": bool(_HAS_CJK.search(mention.get("sentence") or ""))}


def _units_of(m):
    "{unit: values} of a mention row: its features' when in hand, else from its quantities alone (cheaper)."
    f = m.get("_features")
    return f["units"] if f else _figures(m.get("quantities"))[1]


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


def similarity(fa, fb):
    """Dice similarity of two mentions' features as the rules see them: across languages the neutral tokens
    (and figures) only, a sentence's uncovered words counted at CROSS_UNCOVERED_WEIGHT."""
    if fa["zh"] != fb["zh"]:
        a, b = fa["neutral"] | fa["anchors"], fb["neutral"] | fb["anchors"]
        size = _cross_size(fa) + len(fa["anchors"]) + _cross_size(fb) + len(fb["anchors"])
    else:
        a, b = fa["neutral"] | fa["surface"] | fa["anchors"], fb["neutral"] | fb["surface"] | fb["anchors"]
        size = len(a) + len(b)
    return 2 * len(a & b) / size if size else 0.0


def linked(ma, fa, mb, fb, sim=None):
    """Do two mentions state the same claim? (ma/mb: the mention rows, for their article ids; sim: the
    cosine similarity of their embeddings, with --matcher model)"""
    if _linked_by_rules(ma, fa, mb, fb):
        return True
    return sim is not None and _linked_by_model(ma, fa, mb, fb, sim)


def _linked_by_model(ma, fa, mb, fb, sim):
    if ma["article_id"] == mb["article_id"]:
        return False  # one article restates its own figures in several sentences about different things
    # the sentences must still name things in common (figures, concepts, countries, names)
    common = len((fa["neutral"] | fa["anchors"]) & (fb["neutral"] | fb["anchors"]))
    if fa["anchors"] & fb["anchors"]:
        return common >= 2 and sim >= MODEL_SAME_FIGURE
    if set(fa["units"]) & set(fb["units"]):
        return common >= 2 and sim >= MODEL_VARIANT
    return common >= 2 and sim >= MODEL_NO_FIGURE


def _linked_by_rules(ma, fa, mb, fb):
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


def _status_order(m):
    # an undated mention sets the status only when no dated one has an explicit status
    return [m.get("published") or "", m["article_id"], m.get("char_start") or 0]


def outlet_of(m):
    "The outlet a mention counts for: a republished copy counts as its original's outlet."
    return m.get("original_outlet") or m.get("outlet") or "unknown"


def variants(mentions):
    """Figures that differ between mentions: [{unit, values: [{value, texts, mention_ids, outlets}]}], only
    for units where some mentions disagree (neither's values contain the other's)."""
    by_unit = defaultdict(list)
    for m in mentions:
        for unit, values in _units_of(m).items():
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


def _path(m):
    "The reporting path of one mention: speaker -> credited outlet(s) -> this article's outlet (-> its copy)."
    chain = m.get("chain") or []
    if isinstance(chain, str):
        try:
            chain = json.loads(chain or "[]")
        except ValueError:
            chain = []
    path = [c for c in chain if isinstance(c, str) and c.strip()] if isinstance(chain, list) else []
    if not path:
        path = [p for p in (m.get("speaker"), m.get("cited_source")) if p]
    path = [canonical_speaker(p) if p == m.get("speaker") else p for p in path]
    here = outlet_of(m)
    if not path or path[-1] != here:
        path.append(here)
    if m.get("outlet") and m["outlet"] != here:
        path.append(m["outlet"])  # a republished copy: its original's outlet passed it on
    return [(a, b) for a, b in zip(path, path[1:]) if a != b]


def _outlet_names(m):
    return {outlet_of(m)} | {x for x in (m.get("outlet"), m.get("cited_source")) if x}


def chain_edges(mentions):
    """'Reported by' edges over a claim's mentions: speaker -> credited outlet(s) -> the article's outlet.

    Returns [{source, source_kind, target, target_kind, n_mentions, first_seen}]."""
    edges, names = _mention_edges(mentions), set()
    for m in mentions:
        names |= _outlet_names(m)
    return [dict(zip(EDGE_COLUMNS[1:], row)) for row in _edge_rows(edges, names)]


def _first(a, b):
    "The earlier of two publication dates, an undated one last."
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _mention_edges(mentions, edges=None):
    "{(source, target): [n mentions, first published]} over the mentions' reporting paths."
    edges = {} if edges is None else edges
    for m in mentions:
        for pair in _path(m):
            entry = edges.get(pair)
            if entry is None:
                edges[pair] = [1, m.get("published")]
            else:
                entry[0] += 1
                entry[1] = _first(entry[1], m.get("published"))
    return edges


def _edge_rows(edges, names):
    "(source, source_kind, target, target_kind, n_mentions, first_seen) rows; a name an outlet carries is an outlet."
    return [(a, "outlet" if a in names else "speaker", b, "outlet" if b in names else "speaker", n, first)
            for (a, b), (n, first) in edges.items()]


# A claim's state: everything its claims row and chain edges are computed from, such that the state of a
# union of mentions is the merge of the parts' states. A claim that gains mentions is then updated from its
# stored state and the new mentions alone, whatever its size. Orders are _order() as lists.

def new_state():
    return {"n": 0, "na": 0, "articles": [], "en": None, "any": None, "dated": None, "types": {},
            "speakers": {}, "langs": [], "outlets": [], "names": [], "latest": None, "statuses": [],
            "units": {}}


def _earlier(a, b):
    "The entry (a list starting with an order) that comes first; None loses."
    if a is None:
        return b
    if b is None:
        return a
    return a if a[0] <= b[0] else b


def _count(table, key, n, order):
    entry = table.get(key)
    if entry is None:
        table[key] = [n, order]
    else:
        entry[0] += n
        if order < entry[1]:
            entry[1] = order


def _add_values(units, unit, values):
    "Keep the distinct value sets of a unit while they form a chain by inclusion; 'x' once two disagree."
    sets = units.setdefault(unit, [])
    if sets == "x":
        return
    values = sorted(values)
    if values in sets:
        return
    new = set(values)
    for other in sets:
        other = set(other)
        if not (new <= other or other <= new):
            units[unit] = "x"
            return
    sets.append(values)


def fold(mentions, state=None):
    """The state of `mentions` (mention rows; _features used where present), added to `state`."""
    s = state or new_state()
    langs, outlets, names, statuses = set(s["langs"]), set(s["outlets"]), set(s["names"]), set(s["statuses"])
    articles = set(s["articles"]) if s["articles"] is not None else None
    for m in mentions:
        order = list(_order(m))
        s["n"] += 1
        if articles is not None:
            articles.add(m["article_id"])
        lang = m.get("lang") or m.get("language")
        entry = [order, m.get("sentence") or "", m.get("claim_type"), m["article_id"]]
        if (lang or "").startswith("en"):
            s["en"] = _earlier(s["en"], entry)
        s["any"] = _earlier(s["any"], entry)
        if m.get("published"):
            s["dated"] = _earlier(s["dated"], [order, m["published"], m["article_id"]])
        if m.get("claim_type"):
            _count(s["types"], m["claim_type"], 1, order)
        if m.get("speaker"):
            _count(s["speakers"], canonical_speaker(m["speaker"]), 1, order)
        if lang:
            langs.add(lang)
        outlets.add(outlet_of(m))
        names |= _outlet_names(m)
        status = m.get("verification_status")
        if status not in (None, "", "none"):
            statuses.add(status)
            when = _status_order(m)
            if s["latest"] is None or when >= s["latest"][0]:
                s["latest"] = [when, status]
        for unit, values in _units_of(m).items():
            _add_values(s["units"], unit, values)
    s["langs"], s["outlets"], s["names"], s["statuses"] = sorted(langs), sorted(outlets), sorted(names), sorted(statuses)
    if articles is not None:
        s["articles"] = sorted(articles)
        s["na"] = len(articles)
    else:
        s["na"] = None
    return s


def merge(states):
    "The state of the union of the (disjoint) mention sets the states describe."
    s = new_state()
    langs, outlets, names, statuses = set(), set(), set(), set()
    articles = set()
    for t in states:
        s["n"] += t["n"]
        if articles is not None and t.get("articles") is not None:
            articles.update(t["articles"])
        else:
            articles = None
        for key in ("en", "any", "dated"):
            s[key] = _earlier(s[key], t[key])
        for key in ("types", "speakers"):
            for name, (n, order) in t[key].items():
                _count(s[key], name, n, order)
        langs.update(t["langs"])
        outlets.update(t["outlets"])
        names.update(t["names"])
        statuses.update(t["statuses"])
        if t["latest"] is not None and (s["latest"] is None or t["latest"][0] >= s["latest"][0]):
            s["latest"] = t["latest"]
        for unit, sets in t["units"].items():
            if sets == "x":
                s["units"][unit] = "x"
            else:
                for values in sets:
                    _add_values(s["units"], unit, values)
    s["langs"], s["outlets"], s["names"], s["statuses"] = sorted(langs), sorted(outlets), sorted(names), sorted(statuses)
    s["articles"] = sorted(articles) if articles is not None else None
    s["na"] = len(articles) if articles is not None else None
    return s


def summary_of(s):
    "The claims row (without id) of a state."
    canonical = s["en"] or s["any"]
    claim_type = canonical[2]
    types = s["types"]
    if types:
        top = max(n for n, _ in types.values())
        if not (claim_type in types and types[claim_type][0] == top):
            claim_type = min((order, t) for t, (n, order) in types.items() if n == top)[1]
    speaker = None
    if s["speakers"]:
        top = max(n for n, _ in s["speakers"].values())
        # prefer a Latin-script spelling among the most frequent, then the one met first
        speaker = min((bool(_HAS_CJK.search(name)), order, name) for name, (n, order) in s["speakers"].items()
                      if n == top)[2]
    dated = s["dated"]
    return {
        "claim_text": canonical[1],
        "claim_type": claim_type,
        "speaker": speaker,
        "first_seen": dated[1] if dated else None,
        "first_seen_month": dated[1][:7] if dated else None,
        "first_article_id": dated[2] if dated else s["any"][3],
        "n_mentions": s["n"],
        "n_articles": s["na"],
        "n_outlets": len(s["outlets"]),
        "languages": json.dumps(s["langs"]),
        "status": s["latest"][1] if s["latest"] else "none",
        "status_conflict": int(len(s["statuses"]) > 1),
        "has_variants": int(any(v == "x" for v in s["units"].values())),
    }


def summarise(mentions):
    "The claims row (without id) for one cluster of mention rows."
    return summary_of(fold(mentions))


def _dump_state(s):
    # the article list is what grows with a claim: kept only while small, counted in SQL beyond that
    if s["articles"] is not None and len(s["articles"]) > STATE_ARTICLES:
        s = dict(s, articles=None)
    return json.dumps(s, ensure_ascii=False, separators=(",", ":"))


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


def sentence_hash(sentence):
    return hashlib.sha1(" ".join((sentence or "").split()).encode("utf-8")).hexdigest()[:16]


def sentence_key(hash_hex):
    "A sentence_hash as a small integer (44 bits: stored in 6 bytes; it only tells sentences of one article apart)."
    return int(hash_hex[:11], 16)


def _chunks(items, size=SQL_CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(chunk):
    return ", ".join("?" for _ in chunk)


def _rows(db, sql, params):
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_mentions(db, where="1", params=()):
    return _rows(db, MENTIONS_SQL.format(where=where), params)


def _load_where_in(db, column, values):
    out = []
    for chunk in _chunks(sorted(values)):
        out += load_mentions(db, f"{column} IN ({_marks(chunk)})", chunk)
    return out


def _select(db, sql, values):
    "Rows of `sql` (with one {marks} placeholder) over `values`, a chunk at a time."
    out = []
    for chunk in _chunks(sorted(values)):
        out += db.conn.execute(sql.format(marks=_marks(chunk)), chunk).fetchall()
    return out


class _Graph:
    "Union-find over nodes: ('m', mention index) for mentions in hand, ('c', claim id) for whole claims."

    def __init__(self):
        self.parent = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _shortlist(keys, postings_of, df_of, self_id, min_hits=2):
    """Candidates for one mention, inverted-index top-k: walk its blocks rarest first (blocks carried by more
    than BLOCK_CAP mentions are useless), stop past POSTINGS_BUDGET postings, keep those sharing two of the
    blocks walked, most shared first, at most CANDIDATES."""
    hits = Counter()
    spent = 0
    for key in sorted((k for k in keys if 1 < df_of(k) <= BLOCK_CAP), key=lambda k: (df_of(k), k)):
        if spent >= POSTINGS_BUDGET:
            break
        members = postings_of(key)
        spent += len(members)
        hits.update(members)
    hits.pop(self_id, None)
    found = [(n, other) for other, n in hits.items() if n >= min_hits]
    found.sort(key=lambda x: (-x[0], x[1]))
    return [other for _, other in found[:CANDIDATES]]


def _link_local(mentions, graph, matcher):
    "Link the mentions in hand among themselves (each against its shortlist)."
    index = defaultdict(list)
    for i, m in enumerate(mentions):
        for key in block_keys(m["_features"]):
            index[key].append(i)
    checked = set()
    for i, m in enumerate(mentions):
        for j in _shortlist(block_keys(m["_features"]), index.__getitem__, lambda k: len(index[k]), i,
                            _min_hits(matcher)):
            pair = (i, j) if i < j else (j, i)
            if pair in checked or graph.find(("m", i)) == graph.find(("m", j)):
                continue
            checked.add(pair)
            if _linked(m, mentions[j], matcher):
                graph.union(("m", i), ("m", j))


def _min_hits(matcher):
    # the model can vouch for a pair that shares one block only (a translation the lexicon barely covers)
    return 1 if matcher is not None else 2


def _linked(a, b, matcher):
    sim = None
    if matcher is not None and a.get("_vector") is not None and b.get("_vector") is not None:
        sim = float(a["_vector"] @ b["_vector"])
    return linked(a, a["_features"], b, b["_features"], sim=sim)


def _ensure_df(db):
    "Archives traced before the df table existed: count once."
    if db.conn.execute("SELECT 1 FROM claim_block_df LIMIT 1").fetchone() is None and \
            db.conn.execute("SELECT 1 FROM claim_blocks LIMIT 1").fetchone() is not None:
        db.conn.execute("INSERT INTO claim_block_df(block, n) SELECT block, COUNT(*) FROM claim_blocks GROUP BY block")


def _link_stored(db, fresh, exclude, graph, matcher):
    """Link the fresh mentions (graph nodes ('m', i)) to stored mentions outside `exclude`; a stored mention
    that belongs to a claim joins the graph as that whole claim. Returns {claim id} linked and the stored
    mentions without a claim that were linked (rows, to be clustered with the rest)."""
    keys = set()
    for m in fresh:
        keys |= block_keys(m["_features"])
    df = dict(_select(db, "SELECT block, n FROM claim_block_df WHERE block IN ({marks})", keys))
    # each mention's walk, decided on document frequencies alone: one postings query for the whole batch
    wanted = set()
    walks = []
    for m in fresh:
        walk, spent = [], 0
        for key in sorted((k for k in block_keys(m["_features"]) if 1 < df.get(k, 0) <= BLOCK_CAP),
                          key=lambda k: (df[k], k)):
            if spent >= POSTINGS_BUDGET:
                break
            walk.append(key)
            spent += df[key]
        walks.append(walk)
        wanted.update(walk)
    postings = defaultdict(list)
    for block, mention_id in _select(db, "SELECT block, mention_id FROM claim_blocks WHERE block IN ({marks})", wanted):
        if mention_id not in exclude:
            postings[block].append(mention_id)
    shortlists = []
    for m, walk in zip(fresh, walks):
        hits = Counter()
        for key in walk:
            hits.update(postings.get(key, ()))
        found = sorted(((n, other) for other, n in hits.items() if n >= _min_hits(matcher)),
                       key=lambda x: (-x[0], x[1]))
        shortlists.append([other for _, other in found[:CANDIDATES]])
    ids = {other for s in shortlists for other in s}
    if not ids:
        return set(), {}
    stored = {}
    for mid, aid, claim_id, tokens, sentence, quantities in _select(
            db, "SELECT f.mention_id, m.article_id, m.claim_id, f.tokens, m.sentence, m.quantities "
                "FROM claim_features f JOIN claim_mentions m ON m.id = f.mention_id WHERE f.mention_id IN ({marks})",
            ids):
        stored[mid] = {"id": mid, "article_id": aid, "claim_id": claim_id, "_tokens": tokens, "sentence": sentence,
                       "quantities": quantities, "_hash": sentence_hash(sentence) if matcher is not None else None}
    if matcher is not None:
        _attach_vectors(db, list(stored.values()), matcher)
    claims, orphans = set(), {}
    for i, (m, shortlist) in enumerate(zip(fresh, shortlists)):
        for other_id in shortlist:
            other = stored.get(other_id)
            if other is None:
                continue
            node = ("c", other["claim_id"]) if other["claim_id"] is not None else ("o", other_id)
            # most of a shortlist is often one claim: once linked to it, its other mentions need no check
            if graph.find(("m", i)) == graph.find(node):
                continue
            if "_features" not in other:
                other["_features"] = load_features(other["_tokens"], other)
            if _linked(m, other, matcher):
                graph.union(("m", i), node)
                if other["claim_id"] is not None:
                    claims.add(other["claim_id"])
                else:
                    orphans[other_id] = other
    return claims, orphans


def _attach_vectors(db, mentions, matcher):
    "Embeddings by sentence hash: stored ones read, the others computed in one call and stored."
    import numpy as np

    hashes = {m["_hash"] for m in mentions}
    have = {h: np.frombuffer(v, dtype=np.float16).astype(np.float32)
            for h, name, v in _select(db, "SELECT sentence_hash, model, vector FROM claim_embeddings "
                                          "WHERE sentence_hash IN ({marks})", hashes) if name == matcher.NAME}
    missing = {}
    for m in mentions:
        if m["_hash"] not in have and m.get("sentence") is not None:
            missing.setdefault(m["_hash"], m["sentence"])
    if missing:
        vectors = matcher.embed(list(missing.values()))
        rows = []
        for h, v in zip(missing, vectors):
            v16 = v.astype(np.float16)
            have[h] = v16.astype(np.float32)
            rows.append((h, matcher.NAME, v16.tobytes()))
        db.conn.executemany("INSERT OR REPLACE INTO claim_embeddings(sentence_hash, model, vector) VALUES (?, ?, ?)",
                            rows)
    for m in mentions:
        m["_vector"] = have.get(m["_hash"])


def _index(db, mentions, article_ids):
    "(Re)write the blocks, document frequencies and stored tokens of `mentions` (those of `article_ids`)."
    if article_ids is None:
        for table in ("claim_blocks", "claim_block_df", "claim_features"):
            db.conn.execute(f"DELETE FROM {table}")
    else:
        # the old mentions' rows are gone by now: their stored tokens say which postings to delete (through
        # the primary key, so the postings need no index by article)
        gone, postings = Counter(), []
        for mention_id, tokens in _select(db, "SELECT mention_id, tokens FROM claim_features "
                                              "WHERE article_id IN ({marks})", article_ids):
            for block in tokens.split("\n") if tokens else ():
                gone[block] += 1
                postings.append((block, mention_id))
        db.conn.executemany("DELETE FROM claim_blocks WHERE block = ? AND mention_id = ?", postings)
        db.conn.executemany("UPDATE claim_block_df SET n = n - ? WHERE block = ?", [(n, b) for b, n in gone.items()])
        for chunk in _chunks(article_ids):
            db.conn.execute(f"DELETE FROM claim_features WHERE article_id IN ({_marks(chunk)})", chunk)
    added = Counter()
    rows = []
    for m in mentions:
        for key in block_keys(m["_features"]):
            rows.append((key, m["id"]))
            added[key] += 1
    db.conn.executemany("INSERT OR IGNORE INTO claim_blocks(block, mention_id) VALUES (?, ?)", rows)
    db.conn.executemany("INSERT INTO claim_block_df(block, n) VALUES (?, ?) "
                        "ON CONFLICT(block) DO UPDATE SET n = n + excluded.n", list(added.items()))
    db.conn.executemany("INSERT OR REPLACE INTO claim_features(mention_id, article_id, tokens) VALUES (?, ?, ?)",
                        [(m["id"], m["article_id"], dump_features(m["_features"])) for m in mentions])


def _next_id(db):
    row = db.conn.execute("SELECT value FROM claim_trace_state WHERE name = 'next_claim_id'").fetchone()
    if row:
        return row[0]
    top = db.conn.execute(
        "SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM claims UNION ALL SELECT MAX(old_id) FROM claim_redirects "
        "UNION ALL SELECT MAX(claim_id) FROM claim_keys)"
    ).fetchone()[0]
    return (top or 0) + 1


def _assign_ids(db, clusters, votes):
    """Give each cluster an id: the old id most of its mentions had; merged claims keep the oldest id.

    clusters: [{"state", ...}], votes: [Counter(old id -> mentions)]. Returns (ids, {loser: survivor})."""
    owner = {}
    for i, counter in enumerate(votes):
        for old, n in counter.items():
            best = owner.get(old)
            # a tie goes to the cluster whose earliest mention has the smaller article id
            if best is None or (n, -clusters[i]["state"]["any"][0][1]) > (
                    votes[best][old], -clusters[best]["state"]["any"][0][1]):
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
    return ids, redirects


def _matcher(name):
    if name in (None, "rules"):
        return None
    if name == "model":
        from .claims import embed

        embed.model()  # fail now, with the install hint, rather than midway
        return embed
    raise ValueError(f"Unknown matcher {name!r}: use 'rules' or 'model'.")


def _upgrade(db):
    """Archives traced with the earlier, larger layout (claim_blocks by article, claim_keys by hex hash, tokens
    as JSON): rewritten once, in one transaction."""
    conn = db.conn
    old_blocks = "article_id" in {r[1] for r in conn.execute("PRAGMA table_info(claim_blocks)")}
    old_keys = "sentence_hash" in {r[1] for r in conn.execute("PRAGMA table_info(claim_keys)")}
    if not (old_blocks or old_keys):
        return

    def create(table):
        for m in re.finditer(r"CREATE (TABLE|INDEX) IF NOT EXISTS (\w+)(?: ON (\w+))?[^;]*;", schema.CLAIMS_SCHEMA):
            if (m.group(3) or m.group(2)) == table:
                conn.execute(m.group(0))

    with conn:
        if old_keys:
            rows = conn.execute("SELECT article_id, sentence_hash, char_start, claim_id FROM claim_keys").fetchall()
            conn.execute("DROP TABLE claim_keys")
            create("claim_keys")
            conn.executemany("INSERT OR REPLACE INTO claim_keys(article_id, sentence_key, char_start, claim_id) "
                             "VALUES (?, ?, ?, ?)", [(a, sentence_key(h), s, c) for a, h, s, c in rows])
        if old_blocks:
            tokens = []
            for mention_id, text in conn.execute("SELECT mention_id, tokens FROM claim_features").fetchall():
                d = json.loads(text) if text.startswith("{") else None
                tokens.append((text if d is None else "\n".join(sorted(set(d["n"]) | set(d["s"]) | set(d["a"]))),
                               mention_id))
            conn.executemany("UPDATE claim_features SET tokens = ? WHERE mention_id = ?", tokens)
            conn.execute("DROP TABLE claim_blocks")
            create("claim_blocks")
            conn.executemany("INSERT OR IGNORE INTO claim_blocks(block, mention_id) VALUES (?, ?)",
                             [(b, mid) for text, mid in tokens for b in (text.split("\n") if text else ())])


def update_claims(db, article_ids=None, matcher="rules"):
    """Re-cluster the claims touched by `article_ids` (None: all) after their mentions were (re)written.

    matcher "model" adds sentence-embedding similarity as a link signal (needs newstrace[model]).
    Returns {"clusters": n, "mentions": n, "merged": n, "removed": n}."""
    model = _matcher(matcher)
    _upgrade(db)
    if article_ids is not None:
        article_ids = set(article_ids)
        # a batch that touches most of the archive re-clusters faster from scratch
        if len(article_ids) > 1 and 2 * len(article_ids) >= db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
            article_ids = None
        elif not article_ids:
            return {"clusters": 0, "mentions": 0, "merged": 0, "removed": 0}
        else:
            article_ids = sorted(article_ids)
    with db.conn:
        if article_ids is None:
            db.conn.execute("DELETE FROM claim_state")
            fresh = load_mentions(db)
            old_keys = db.conn.execute("SELECT article_id, sentence_key, char_start, claim_id FROM claim_keys").fetchall()
            old_claims = {r[0] for r in db.conn.execute("SELECT id FROM claims")} | {k[3] for k in old_keys}
            dirty = set()
        else:
            _ensure_df(db)
            fresh = _load_where_in(db, "m.article_id", article_ids)
            old_keys = _select(db, "SELECT article_id, sentence_key, char_start, claim_id FROM claim_keys "
                                   "WHERE article_id IN ({marks})", article_ids)
            # claims that had mentions in these articles may have lost some, and split: their other mentions
            # are clustered again; every other claim stays whole
            dirty = {k[3] for k in old_keys}
            old_claims = set(dirty)
        for m in fresh:
            m["_features"] = features(m)
            m["_hash"] = sentence_hash(m["sentence"])
        _index(db, fresh, article_ids)
        loose = list(fresh)
        if dirty:
            batch = set(article_ids)
            members = [m for m in _load_where_in(db, "m.claim_id", dirty) if m["article_id"] not in batch]
            _attach_features(db, members)
            loose += members
        if model is not None:
            _attach_vectors(db, loose, model)
        graph = _Graph()
        for i in range(len(loose)):
            graph.find(("m", i))
        _link_local(loose, graph, model)
        linked_claims = set()
        if article_ids is not None and fresh:
            linked_claims, orphans = _link_stored(db, fresh, {m["id"] for m in loose}, graph, model)
            linked_claims -= dirty
            for other_id, row in orphans.items():
                # a mention an interrupted run left without a claim: cluster it with the rest
                full = load_mentions(db, "m.id = ?", [other_id])
                if full:
                    full[0].update(_features=row["_features"], _hash=row["_hash"], _vector=row.get("_vector"))
                    graph.union(("o", other_id), ("m", len(loose)))
                    loose.append(full[0])
        clusters = _clusters(db, graph, loose, linked_claims)
        votes = _votes(clusters, old_keys)
        ids, redirects = _assign_ids(db, clusters, votes)
        removed = _write(db, clusters, ids, redirects, old_claims | linked_claims, article_ids)
        return {"clusters": len(clusters), "mentions": sum(c["state"]["n"] for c in clusters),
                "merged": len(redirects), "removed": removed}


def _clusters(db, graph, loose, linked_claims):
    "[{mentions (rows in hand), claims (whole stored claims), state}] per connected component."
    groups = defaultdict(lambda: {"mentions": [], "claims": [], "sizes": {}})
    for i, m in enumerate(loose):
        groups[graph.find(("m", i))]["mentions"].append(m)
    for cid in linked_claims:
        groups[graph.find(("c", cid))]["claims"].append(cid)
    states = _stored_states(db, linked_claims)
    out = []
    for group in groups.values():
        group["sizes"] = {c: states[c]["n"] for c in group["claims"]}
        group["edges"] = _mention_edges(group["mentions"])
        group["new_names"] = None
        if len(group["claims"]) == 1:
            # one claim gaining mentions (the usual case): updated from its state and the new mentions
            base = states[group["claims"][0]]
            names = set(base["names"])
            group["state"] = fold(group["mentions"], base)
            group["new_names"] = sorted(set(group["state"]["names"]) - names)
        else:
            parts = [states[c] for c in group["claims"]]
            if group["mentions"]:
                parts.append(fold(group["mentions"]))
            group["state"] = parts[0] if len(parts) == 1 else merge(parts)
        out.append(group)
    # the order ids are handed out in: earliest first, so a batch's new ids follow publication order
    out.sort(key=lambda g: g["state"]["any"][0])
    return out


def _stored_states(db, claim_ids):
    states = {cid: json.loads(s) for cid, s in
              _select(db, "SELECT claim_id, state FROM claim_state WHERE claim_id IN ({marks})", claim_ids)}
    missing = set(claim_ids) - set(states)
    if missing:
        # small claims (STATE_MIN_MENTIONS) and claims traced before states were kept: folded from their mentions
        by_claim = defaultdict(list)
        for m in _load_where_in(db, "m.claim_id", missing):
            by_claim[m["claim_id"]].append(m)
        for cid in missing:
            states[cid] = fold(by_claim[cid])
    return states


def _votes(clusters, old_keys):
    "Per cluster, the old ids its mentions had (a whole stored claim votes with all its mentions)."
    by_hash = {(k[0], k[1]): k[3] for k in old_keys}
    by_start = {}
    for k in old_keys:
        by_start.setdefault((k[0], k[2]), k[3])
    votes = []
    for c in clusters:
        counter = Counter()
        for cid in c["claims"]:
            counter[cid] += c["sizes"][cid]
        for m in c["mentions"]:
            old = by_hash.get((m["article_id"], sentence_key(m["_hash"])))
            if old is None:
                old = by_start.get((m["article_id"], m["char_start"]))
            if old is None:
                old = m.get("claim_id")
            if old is not None:
                counter[old] += 1
        votes.append(counter)
    return votes


def _attach_features(db, mentions):
    "Stored tokens where a mention has them (computed once, when it was traced), computed otherwise."
    stored = dict(_select(db, "SELECT mention_id, tokens FROM claim_features WHERE mention_id IN ({marks})",
                          [m["id"] for m in mentions]))
    for m in mentions:
        text = stored.get(m["id"])
        m["_features"] = load_features(text, m) if text is not None else features(m)
        m["_hash"] = sentence_hash(m["sentence"])


CLAIM_COLUMNS = ("id", "claim_text", "claim_type", "speaker", "first_seen", "first_seen_month", "first_article_id",
                 "n_mentions", "n_articles", "n_outlets", "languages", "status", "status_conflict", "has_variants")
EDGE_COLUMNS = ("claim_id", "source", "source_kind", "target", "target_kind", "n_mentions", "first_seen")


def _write(db, clusters, ids, redirects, old_claims, article_ids):
    "Store the clusters under their ids; returns how many old claims vanished."
    gone = set(old_claims) - set(ids)
    # a claim that only grew keeps its edges: its new mentions' edges are added in SQL
    grown = {cid for cid, c in zip(ids, clusters) if c["new_names"] is not None and c["claims"] == [cid]}
    # merged claims' edges are read before they are deleted
    merged_edges = defaultdict(dict)
    for cid, c in zip(ids, clusters):
        if cid not in grown and c["claims"]:
            for a, b, n, first in _select(db, "SELECT source, target, n_mentions, first_seen FROM claim_edges "
                                              "WHERE claim_id IN ({marks})", c["claims"]):
                entry = merged_edges[cid].get((a, b))
                if entry is None:
                    merged_edges[cid][(a, b)] = [n, first]
                else:
                    entry[0] += n
                    entry[1] = _first(entry[1], first)
    stale = sorted(set(ids) | gone)
    for chunk in _chunks(stale):
        marks = _marks(chunk)
        store.fts_delete(db, "claims", f"id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claims WHERE id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claim_state WHERE claim_id IN ({marks})", chunk)
    rewritten = sorted(set(stale) - grown)
    for chunk in _chunks(rewritten):
        db.conn.execute(f"DELETE FROM claim_edges WHERE claim_id IN ({_marks(chunk)})", chunk)
    if article_ids is None:
        db.conn.execute("DELETE FROM claim_keys")
    else:
        for chunk in _chunks(article_ids):
            db.conn.execute(f"DELETE FROM claim_keys WHERE article_id IN ({_marks(chunk)})", chunk)
    rows, mention_ids, keys, edges, added_edges, kinds, states, moved = [], [], [], [], [], [], [], []
    count_articles = []
    for cid, c in zip(ids, clusters):
        s = c["state"]
        for m in c["mentions"]:
            mention_ids.append((cid, m["id"]))
            keys.append((m["article_id"], sentence_key(m["_hash"]), m["char_start"], cid))
        # whole claims merged into this one move over in SQL, without being read
        moved += [(cid, old) for old in c["claims"] if old != cid]
        row = {"id": cid, **summary_of(s)}
        if row["n_articles"] is None:
            count_articles.append(cid)
        rows.append(row)
        names = set(s["names"])
        if cid in grown:
            added_edges += [(cid, *row) for row in _edge_rows(c["edges"], names)]
            kinds += [(cid, name) for name in c["new_names"]]
        else:
            both = merged_edges.get(cid, {})
            for pair, (n, first) in c["edges"].items():
                entry = both.get(pair)
                if entry is None:
                    both[pair] = [n, first]
                else:
                    entry[0] += n
                    entry[1] = _first(entry[1], first)
            edges += [(cid, *row) for row in _edge_rows(both, names)]
        if s["n"] >= STATE_MIN_MENTIONS:
            states.append((cid, _dump_state(s)))
    db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?", mention_ids)
    db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE claim_id = ?", moved)
    db.conn.executemany("UPDATE claim_keys SET claim_id = ? WHERE claim_id = ?", moved)
    db.conn.executemany(
        "INSERT OR REPLACE INTO claim_keys(article_id, sentence_key, char_start, claim_id) VALUES (?, ?, ?, ?)", keys
    )
    if count_articles:
        counted = dict(_select(db, "SELECT claim_id, COUNT(DISTINCT article_id) FROM claim_mentions "
                                   "WHERE claim_id IN ({marks}) GROUP BY claim_id", count_articles))
        for row in rows:
            if row["n_articles"] is None:
                row["n_articles"] = counted.get(row["id"], 0)
    db.conn.executemany("INSERT OR REPLACE INTO claims({}) VALUES ({})".format(", ".join(CLAIM_COLUMNS), _marks(CLAIM_COLUMNS)),
                        [[row[k] for k in CLAIM_COLUMNS] for row in rows])
    store.fts_insert(db, "claims", rows)
    db.conn.executemany("INSERT OR REPLACE INTO claim_state(claim_id, state) VALUES (?, ?)", states)
    db.conn.executemany("INSERT OR REPLACE INTO claim_edges({}) VALUES ({})".format(", ".join(EDGE_COLUMNS), _marks(EDGE_COLUMNS)),
                        edges)
    db.conn.executemany(
        "INSERT INTO claim_edges({}) VALUES ({}) ON CONFLICT(claim_id, source, target) DO UPDATE SET "
        "n_mentions = n_mentions + excluded.n_mentions, first_seen = CASE WHEN first_seen IS NULL "
        "THEN excluded.first_seen WHEN excluded.first_seen IS NULL THEN first_seen "
        "ELSE MIN(first_seen, excluded.first_seen) END".format(", ".join(EDGE_COLUMNS), _marks(EDGE_COLUMNS)),
        added_edges)
    # a name that became an outlet of the claim is an outlet node in its old edges too
    db.conn.executemany("UPDATE claim_edges SET source_kind = 'outlet' WHERE claim_id = ? AND source = ?", kinds)
    db.conn.executemany("UPDATE claim_edges SET target_kind = 'outlet' WHERE claim_id = ? AND target = ?", kinds)
    for loser, survivor in redirects.items():
        db.conn.execute("UPDATE claim_redirects SET new_id = ? WHERE new_id = ?", [survivor, loser])
        db.conn.execute("INSERT OR REPLACE INTO claim_redirects(old_id, new_id) VALUES (?, ?)", [loser, survivor])
    # an id that lives again is no longer redirected
    db.conn.executemany("DELETE FROM claim_redirects WHERE old_id = ?", [(cid,) for cid in ids])
    vanished = sorted(gone - set(redirects))
    for chunk in _chunks(vanished):
        db.conn.execute(f"DELETE FROM claim_redirects WHERE new_id IN ({_marks(chunk)})", chunk)
    return len(vanished)


def resolve(db, claim_id):
    "The id a (possibly merged) claim id now lives at, or None."
    row = db.conn.execute("SELECT new_id FROM claim_redirects WHERE old_id = ?", [claim_id]).fetchone()
    return row[0] if row else None
