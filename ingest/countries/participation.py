"""Which countries take part in which initiative, in what role, with the sentence as evidence.

Initiatives and cue phrases are data (data/initiatives.json, data/participation_cues.json). An
initiative is in sight in a sentence that names it (or one of its aliases), that names all its parties
next to one of its head nouns ("the United States, the European Commission and Japan intend to develop
action plans"), that holds a dyad with such a head ("U.S.-Mexico action plan", 美墨行动计划), or in the
next sentence or two when that refers back ("the initiative", 该倡议).
"""
from bisect import bisect_left
import json
import re
from functools import lru_cache
from importlib import resources

from .gazetteer import trie_pattern
from ..claims.sentences import split_sentences

_WORDCH = re.compile(r"[A-Za-z0-9]")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_STRENGTH = {"host": 5, "chair": 5, "signatory": 4, "partner": 4, "member": 3, "target": 3, "participant": 2,
             "mentioned": 0}


def _data(name):
    return json.loads(resources.files("newstrace.ingest").joinpath("data/" + name).read_text("utf-8"))


@lru_cache(maxsize=None)
def load_initiatives() -> list[dict]:
    return _data("initiatives.json")["initiatives"]


@lru_cache(maxsize=None)
def _cues():
    c = _data("participation_cues.json")
    roles = []
    for r in c["roles"]:
        roles.append({**r, "gap_rx": re.compile(r.get("gap") or c["gap_after"])})
    # all role cues in one regex with a named group per rule: one scan per sentence
    role_rx = re.compile("|".join("(?P<r%d>%s)" % (i, r["pattern"]) for i, r in enumerate(c["roles"])), re.IGNORECASE)
    return {
        "roles": roles,
        "role_rx": role_rx,
        "list_sep": re.compile(c["list_separator"]),
        "dyad_sep": re.compile(c["dyad_separator"]),
        "abbrev": c["zh_abbreviations"],
        "statuses": [(name, re.compile(p, re.IGNORECASE)) for name, p in c["statuses"]],
        "default_status": c["default_status"],
        "party_roles": c["party_roles"],
        "backref": re.compile("%s|%s" % (c["back_references"]["en"], c["back_references"]["zh"]), re.IGNORECASE),
        "window": c["back_reference_window"],
        "claimed": re.compile("%s|%s" % (c["claimed"]["en"], c["claimed"]["zh"]), re.IGNORECASE),
        "until_en": re.compile(c["until"]["en"], re.IGNORECASE),
        "until_zh": re.compile(c["until"]["zh"]),
    }


@lru_cache(maxsize=None)
def _initiative_matchers():
    """One regex for all aliases (case-insensitive; all-capital acronyms such as FORGE or MSP exact),
    one for head nouns, one for Chinese abbreviation dyads before a head noun (美墨行动计划)."""
    exact, folded, heads = {}, {}, {}
    for item in load_initiatives():
        for alias in [item.get("name_en"), item.get("name_zh")] + list(item.get("aliases", [])):
            if not alias:
                continue
            if alias.isupper() or re.fullmatch(r"[A-Z0-9]+", alias):
                exact[alias] = item["id"]
            else:
                folded[_fold(alias)] = item["id"]
        for h in item.get("heads", []):
            heads.setdefault(_fold(h), set()).add(item["id"])
    flex = {" ": r"[\s\-–—]+"}
    alias_rx = re.compile(r"%s|(?i:%s)" % (trie_pattern(list(exact)), trie_pattern(list(folded), flex)))
    head_rx = re.compile("(?i:%s)" % "|".join(_flex(h) for h in sorted(heads, key=len, reverse=True)))
    abbrev = _cues()["abbrev"]
    zh_heads = [h for h in heads if re.search(r"[\u3400-\u9fff]", h)]
    dyad_zh = re.compile(r"((?:%s){2,4})(?:关键矿产|矿产|双边)?(?=%s)" % (
        "|".join(sorted(abbrev, key=len, reverse=True)), "|".join(zh_heads))) if zh_heads else None
    return {"exact": exact, "folded": folded, "alias": alias_rx, "heads": heads, "head": head_rx,
            "dyad_zh": dyad_zh}


def _fold(s):
    return re.sub(r"[\s\-–—]+", " ", s.lower()).strip()


def _flex(alias):
    "An alias pattern where spaces and hyphens are interchangeable ('price-floor' / 'price floor')."
    return r"[\s\-–—]*".join(re.escape(p) for p in re.split(r"[\s\-–—]+", alias.strip()))


def _initiative_of(surface):
    m = _initiative_matchers()
    return m["exact"].get(surface) or m["folded"].get(_fold(surface))


def _status(sentence):
    cues = _cues()
    for name, rx in cues["statuses"]:
        if rx.search(sentence):
            return name
    return cues["default_status"]


def _until(sentence, date):
    "Month an office or role ends: 'until June' / 直至6月 -> 2026-06 relative to the article date, else the text."
    cues = _cues()
    m = cues["until_en"].search(sentence)
    month = year = None
    if m:
        month, year, text = _MONTHS.index(m.group(1).title()) + 1, m.group(2), m.group(0)
    else:
        m = cues["until_zh"].search(sentence)
        if m:
            month, year, text = int(m.group(2)), m.group(1), m.group(0)
    if not month:
        return None
    if year:
        return "%s-%02d" % (year, month)
    if date and re.match(r"\d{4}-\d{2}", date):
        y, mo = int(date[:4]), int(date[5:7])
        return "%d-%02d" % (y + (1 if month < mo else 0), month)
    return text


def _mentions_in(mentions, s, e):
    return [m for m in mentions if s <= m["char_start"] and m["char_end"] <= e]


def _dyads(text, s, e, ms):
    """Countries joined by hyphens or dashes right before a head noun ('U.S.–Mexico action plan'),
    and Chinese abbreviation dyads (美墨行动计划): [(codes, start, end)]."""
    cues, mt = _cues(), _initiative_matchers()
    out = []
    run = []
    for m in ms:
        if run and cues["dyad_sep"].fullmatch(text, run[-1]["char_end"], m["char_start"]):
            run.append(m)
            continue
        if len(run) > 1:
            out.append(run)
        run = [m]
    if len(run) > 1:
        out.append(run)
    found = []
    for run in out:
        tail = text[run[-1]["char_end"]:min(e, run[-1]["char_end"] + 60)]
        hm = mt["head"].search(tail)
        if hm and hm.start() <= 40:
            found.append(({m["country"] for m in run}, run[0]["char_start"], run[-1]["char_end"] + hm.end()))
    if mt["dyad_zh"]:
        for dm in mt["dyad_zh"].finditer(text, s, e):
            chars, codes, i = dm.group(1), set(), 0
            while i < len(chars):
                two = chars[i:i + 2]
                if two in cues["abbrev"]:
                    codes.add(cues["abbrev"][two])
                    i += 2
                else:
                    codes.add(cues["abbrev"][chars[i]])
                    i += 1
            if len(codes) > 1:
                found.append((codes, dm.start(), dm.end()))
    return found


def _sight(text, s, e, ms, alias_hits, head_hits):
    """Initiatives named in the sentence: {id: [(start, end), ...]} and dyad parties {id: codes}."""
    mt = _initiative_matchers()
    by_id = {}
    for am in alias_hits:
        if not (s <= am.start() < e):
            continue
        iid = _initiative_of(am.group())
        if iid:
            by_id.setdefault(iid, []).append((am.start(), am.end()))
    named = {m["country"] for m in ms}
    items = {i["id"]: i for i in load_initiatives()}
    dyad_parties = {}
    for codes, ds, de in _dyads(text, s, e, ms):
        for iid, item in items.items():
            if set(item.get("parties") or []) == codes and item.get("heads"):
                by_id.setdefault(iid, []).append((ds, de))
                dyad_parties[iid] = codes
    for hm in head_hits:
        if not (s <= hm.start() < e):
            continue
        for iid in mt["heads"].get(_fold(hm.group()), ()):
            parties = set(items[iid].get("parties") or [])
            if parties and parties <= named and iid not in by_id:
                by_id.setdefault(iid, []).append((hm.start(), hm.end()))
    # a predecessor named beside its successor ("FORGE, the successor of the MSP") is only a reference
    for iid in list(by_id):
        pred = items[iid].get("successor_of")
        if pred in by_id:
            del by_id[pred]
    return by_id, dyad_parties


def _cue_hits(text, s, e, ms):
    "[(role, mention, cue_start)] from the cue patterns around country mentions in the sentence."
    cues = _cues()
    hits = []
    for cm in cues["role_rx"].finditer(text, s, e):
        rule = cues["roles"][int(cm.lastgroup[1:])]
        if True:
            if rule["country"] == "after":
                pos = cm.end()
                chain = []
                for m in ms:
                    if m["char_start"] < pos:
                        continue
                    gap_ok = (rule["gap_rx"].fullmatch(text, pos, m["char_start"]) if not chain else
                              cues["list_sep"].fullmatch(text, pos, m["char_start"]))
                    if not gap_ok:
                        break
                    chain.append(m)
                    pos = m["char_end"]
                    if not rule.get("list"):
                        break
                hits.extend((rule["role"], m, cm.start()) for m in chain)
            else:
                before = [m for m in ms if m["char_end"] <= cm.start()]
                if before:
                    m = before[-1]
                    # "由韩国担任主席" / "美国国务院于周三举办": the country right before the cue
                    if rule["gap_rx"].fullmatch(text, m["char_end"], cm.start()):
                        hits.append((rule["role"], m, cm.start()))
    return hits


def _nearest(by_id, pos):
    "The initiative named closest before a cue (else the first one named after it)."
    best, best_d = None, None
    for iid, spans in by_id.items():
        for a, b in spans:
            d = pos - b if b <= pos else 10_000 + a - pos
            if best_d is None or d < best_d:
                best, best_d = iid, d
    return best


def extract_participation(text: str, mentions: list[dict], language: str | None = None,
                          date: str | None = None) -> dict:
    """{"participation": [rows], "claimed": {initiative_id: number}}. `mentions` are extract_countries'
    output for the same text; `date` (ISO) resolves 'until June' to a year-month."""
    if not text:
        return {"participation": [], "claimed": {}}
    cues = _cues()
    mt = _initiative_matchers()
    # one pass over the whole text for names and head nouns; most articles name no initiative at all
    alias_hits = [m for m in mt["alias"].finditer(text)
                  if not (m.start() and _WORDCH.match(text, m.start() - 1)) and not _WORDCH.match(text, m.end())]
    head_hits = list(mt["head"].finditer(text))
    if not alias_hits and not head_hits and not (mt["dyad_zh"] and mt["dyad_zh"].search(text)):
        return {"participation": [], "claimed": {}}
    items = {i["id"]: i for i in load_initiatives()}
    mentions = sorted(mentions, key=lambda m: m["char_start"])
    # each sentence looks only at the mentions and hits that start inside it (bisected, not scanned: a long
    # page stays linear; issue 15)
    starts = [m["char_start"] for m in mentions]
    alias_starts, head_starts = [m.start() for m in alias_hits], [m.start() for m in head_hits]
    rows, claimed = [], {}
    last_ids, since = {}, 99
    for s, e in split_sentences(text):
        ms = _mentions_in(mentions[bisect_left(starts, s):bisect_left(starts, e)], s, e)
        by_id, dyad_parties = _sight(text, s, e, ms,
                                     alias_hits[bisect_left(alias_starts, s):bisect_left(alias_starts, e)],
                                     head_hits[bisect_left(head_starts, s):bisect_left(head_starts, e)])
        explicit = bool(by_id)
        if not by_id and last_ids and since < cues["window"] and cues["backref"].search(text, s, e):
            # "the initiative" / 该倡议 points at the initiative named last before it
            latest = max(last_ids, key=lambda iid: max(b for _, b in last_ids[iid]))
            by_id = {latest: [(s, s)]}
        if explicit:
            last_ids, since = by_id, 0
        else:
            since += 1
        if not by_id:
            continue
        sentence = text[s:e]
        status = _status(sentence)
        for cm in cues["claimed"].finditer(text, s, e):
            n = int(cm.group(1) or cm.group(2))
            iid = _nearest(by_id, cm.start())
            claimed[iid] = max(claimed.get(iid, 0), n)
        found = {}  # (initiative, country) -> (role, method, confidence, extra)

        def put(iid, country, role, method, conf, **extra):
            key = (iid, country)
            if key not in found or _STRENGTH[role] > _STRENGTH[found[key][0]]:
                found[key] = (role, method, conf, extra)

        for role, m, pos in _cue_hits(text, s, e, ms):
            iid = _nearest(by_id, pos)
            extra = {}
            if role == "chair":
                extra["valid_to"] = _until(sentence, date)
            put(iid, m["country"], role, "cue", 0.8, **extra)
        for iid in by_id:
            parties = dyad_parties.get(iid) or set(items[iid].get("parties") or [])
            named = {m["country"] for m in ms}
            if parties and parties <= named | set(dyad_parties.get(iid, ())):
                role = cues["party_roles"].get(status, cues["party_roles"]["default"])
                for c in sorted(parties):
                    put(iid, c, role, "dyad" if iid in dyad_parties else "parties", 0.75)
            for m in ms:
                put(iid, m["country"], "mentioned", "sentence" if explicit else "back_reference", 0.5)
        for (iid, country), (role, method, conf, extra) in found.items():
            rows.append({
                "initiative": iid, "country": country, "role": role, "status": status,
                "valid_from": extra.get("valid_from"), "valid_to": extra.get("valid_to"),
                "evidence": sentence, "char_start": s, "char_end": e, "method": method, "confidence": conf,
            })
    return {"participation": rows, "claimed": claimed}
