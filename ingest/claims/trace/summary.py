"""A claim's summary (its claims row: text, type, speaker, first seen, counts, status, conflict, variants)
and the state it is computed from, which merges: a claim gaining mentions is updated from its stored state
and the new mentions alone."""
import json
from collections import defaultdict

from .chain import outlet_names, outlet_of
from .tokens import HAS_CJK, canonical_speaker, norm_unit, number_key, units_of

# A claim's state keeps its article ids up to this many (to count n_articles exactly on a merge); beyond,
# they are counted in SQL when the claim changes.
STATE_ARTICLES = 200
# Most claims have one or two mentions: their state is folded again from those when needed, as cheap as
# reading it, so only claims of this many mentions or more keep one (it would be most of claim_state).
STATE_MIN_MENTIONS = 3


def _order(m):
    return (m.get("published") or "9999", m["article_id"], m.get("char_start") or 0)


def _status_order(m):
    # an undated mention sets the status only when no dated one has an explicit status
    return [m.get("published") or "", m["article_id"], m.get("char_start") or 0]


def variants(mentions):
    """Figures that differ between mentions: [{unit, values: [{value, texts, mention_ids, outlets}]}], only
    for units where some mentions disagree (neither's values contain the other's)."""
    by_unit = defaultdict(list)
    for m in mentions:
        for unit, values in units_of(m).items():
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
                entry = values.setdefault(number_key(q["value"]), {"value": float(q["value"]), "texts": [],
                                                             "mention_ids": [], "outlets": []})
                if q.get("text") and q["text"] not in entry["texts"]:
                    entry["texts"].append(q["text"])
                if m["id"] not in entry["mention_ids"]:
                    entry["mention_ids"].append(m["id"])
                if outlet_of(m) not in entry["outlets"]:
                    entry["outlets"].append(outlet_of(m))
        out.append({"unit": unit, "values": sorted(values.values(), key=lambda e: e["value"])})
    return out


# A claim's state: everything its claims row and chain edges are computed from, such that the state of a
# union of mentions is the merge of the parts' states. A claim that gains mentions is then updated from its
# stored state and the new mentions alone, whatever its size. Orders are _order() as lists.

def new_state():
    return {"n": 0, "na": 0, "articles": [], "en": None, "any": None, "dated": None, "types": {},
            "speakers": {}, "langs": [], "outlets": [], "names": [], "latest": None, "statuses": [],
            "units": {}, "tiers": {}}


# a claim's status: the latest independent verdict, else the latest where independence is unknown (the outlets'
# own word: "could not be verified"), else the latest by the claim's origin itself (its speaker, source,
# organisation or spokespeople)
TIER_ORDER = ("1", "n", "0")


def _tier(m):
    value = m.get("status_independent")
    return "n" if value is None else str(int(value))


def _keep_tier(tiers, tier, entry):
    have = tiers.get(tier)
    if have is None or entry[0] >= have[0]:
        tiers[tier] = entry


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
        names |= outlet_names(m)
        status = m.get("verification_status")
        if status not in (None, "", "none"):
            statuses.add(status)
            when = _status_order(m)
            if s["latest"] is None or when >= s["latest"][0]:
                s["latest"] = [when, status]
            _keep_tier(s.setdefault("tiers", {}), _tier(m), [when, status, m.get("status_by"), m.get("published")])
        for unit, values in units_of(m).items():
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
        for tier, entry in (t.get("tiers") or {}).items():
            _keep_tier(s["tiers"], tier, entry)
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
        speaker = min((bool(HAS_CJK.search(name)), order, name) for name, (n, order) in s["speakers"].items()
                      if n == top)[2]
    dated = s["dated"]
    tiers = s.get("tiers") or {}
    tier = next((t for t in TIER_ORDER if t in tiers), None)
    chosen = tiers[tier] if tier else None
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
        "status": chosen[1] if chosen else (s["latest"][1] if s["latest"] else "none"),
        "status_by": chosen[2] if chosen else None,
        "status_independent": None if tier in (None, "n") else int(tier),
        "status_at": chosen[3] if chosen else None,
        "status_conflict": int(len(s["statuses"]) > 1),
        "has_variants": int(any(v == "x" for v in s["units"].values())),
    }


def summarise(mentions):
    "The claims row (without id) for one cluster of mention rows."
    return summary_of(fold(mentions))


def dump_state(s):
    # the article list is what grows with a claim: kept only while small, counted in SQL beyond that
    if s["articles"] is not None and len(s["articles"]) > STATE_ARTICLES:
        s = dict(s, articles=None)
    return json.dumps(s, ensure_ascii=False, separators=(",", ":"))
