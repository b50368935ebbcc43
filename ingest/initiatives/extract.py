"""The initiatives of one text and the participation rows their sentences state.

find_initiatives(text, mentions, language, date) -> {"initiatives": [...], "participation": [...],
"claimed": {id: n}}: discovery (discover.py) gives the initiatives and where they are named; each
sentence that names one (or refers back to one: "the coalition", "the forum", 该倡议) gives each country
it names a role (roles.py) with the dates the sentence states.
"""
from bisect import bisect_left
import re
from functools import lru_cache

from ..cache import regex  # re.compile, the compiled code kept across processes
from ..claims.sentences import split_sentences
from ..countries.mentions import is_people
from .catalogue import cues
from .discover import discover
from .roles import _list_members, party_role, role_dates, role_of
from .spans import Mentions, Nearby

_CLAIMED = re.compile(r"(?:more than|over|at least|nearly|almost|about|around|some|roughly|up to)?\s*(\d{1,3})\+?\s+"
                      r"(?:countries|nations|governments|economies|countries and organi[sz]ations)|(?:超过|逾|近|约|多达|超)?"
                      r"(\d{1,3})(?:多)?个(?:国家|经济体)", re.I)
_STATUSES = [("ended", r"\b(?:ended|expired|terminated|withdrew from|pulled out of|scrapped|collapsed)\b|结束|终止|退出|废除"),
             ("in_force", r"\b(?:enact(?:ed|ment)|in force|took effect|takes effect|entered into force|implemented)\b|生效|实施|施行"),
             ("signed", r"\b(?:signed|signing|reached|concluded|struck|sealed)\b|签署|签订|达成"),
             ("developing", r"\b(?:intends? to|will develop|to develop|developing|plans? to|propos(?:ed|ing|e)|explor(?:e|ing)|"
                            r"negotiat\w+|pursuing|pitching)\b|拟|计划|探索|谈判|推动|酝酿|寻求"),
             ("announced", r"\b(?:announced|announces|unveiled|launch(?:ed|ing|es)?|rolled out)\b|宣布|启动|推出|发布")]


@lru_cache(maxsize=None)
def _backrefs():
    c = cues()
    en = {k: regex(r"\b[Tt]he\s+(?:(?:[a-z\-]+)\s+){0,2}?(?:%s)\b" % v) for k, v in c["back_references_en"].items()}
    zh = {k: regex(v) for k, v in c["back_references_zh"].items()}
    return en, zh


def _status(sentence):
    for name, rx in _STATUSES:
        if re.search(rx, sentence, re.I):
            return name
    return "announced"


def _back_reference(text, s, e, recent, items):
    "A sentence that names no initiative but refers back to one: [(span)] for the latest of a fitting kind."
    en, zh = _backrefs()
    for iid in recent:
        kind = items[iid]["kind"]
        for rx in (en.get(kind), zh.get(kind)):
            m = rx.search(text, s, e) if rx else None
            if m:
                return [{"id": iid, "start": m.start(), "end": m.end(), "how": "backref"}]
    return []


@lru_cache(maxsize=None)
def _capitals():
    from ..countries import gazetteer

    out = {}
    for code, c in gazetteer.countries().items():
        for name in (c.get("capital_en"), c.get("capital_zh")):
            if name and code != "EU":
                out[name] = code
    return out


def _place_country(c):
    "A host is where the event is: Brussels hosting NATO is Belgium, though 'Brussels' may stand for the EU."
    return _capitals().get(c["surface"], c["country"])


def _zh_codes(surface):
    "Countries a Chinese name opens with as abbreviations: 美墨行动计划 -> {US, MX}."
    from .discover import _zh_abbrev

    abbrev, codes, i = _zh_abbrev(), set(), 0
    while i < len(surface):
        step = 2 if surface[i:i + 2] in abbrev else 1 if surface[i] in abbrev else 0
        if not step:
            break
        codes.add(abbrev[surface[i:i + step]])
        i += step
    return codes if len(codes) > 1 else set()


def find_initiatives(text, mentions, language=None, date=None):
    if not text:
        return {"initiatives": [], "participation": [], "claimed": {}}
    sentences = split_sentences(text)
    items, spans = discover(text, mentions, date, sentences)
    if not items:
        return {"initiatives": [], "participation": [], "claimed": {}}
    mentions = Mentions(m for m in mentions if not is_people(m))
    span_starts = [sp["start"] for sp in spans]  # discover() gives them sorted by start
    rows, claimed, recent, since = [], {}, [], {}
    window = cues()["back_reference_window"]
    k = 0
    for n, (s, e) in enumerate(sentences):
        here = spans[bisect_left(span_starts, s):bisect_left(span_starts, e)]
        if not here:
            live = [i for i in recent if n - since[i] <= window]
            here = _back_reference(text, s, e, live, items)
            if not here:
                continue
        for sp in here:
            if sp["how"] != "backref":
                if sp["id"] in recent:
                    recent.remove(sp["id"])
                recent.insert(0, sp["id"])
                since[sp["id"]] = n
        succ = {items[sp["id"]].get("successor_of") for sp in here} - {None}
        if succ:
            here = [sp for sp in here if sp["id"] not in succ] or here
        sentence = text[s:e]
        near = Nearby(here)
        for cm in _CLAIMED.finditer(sentence):
            iid = near.nearest_start(s + cm.start())["id"]
            claimed[iid] = max(claimed.get(iid, 0), int(cm.group(1) or cm.group(2)))
        ms = Mentions(mentions.starting(s, e))
        found = {}

        def put(iid, country, role, method, conf):
            old = found.get((iid, country))
            from .roles import PRIORITY
            if old is None or PRIORITY[role] < PRIORITY[old[0]]:
                found[(iid, country)] = (role, method, conf)

        prior = None
        for c in ms:
            # a country in a list after one with a role shares it ("includes Mexico, the US, and Canada")
            if prior and _list_members(text, c, prior[0]) and prior[1] != "mentioned":
                put(prior[2], c["country"], prior[1], "cue", 0.8)
                prior = (c, prior[1], prior[2])
                continue
            # a country inside a described initiative's own words ("U.S.-Mexico action plan") is one of its parties
            inside = [sp for sp in near.around(c["char_start"], c["char_start"])
                      if sp["start"] <= c["char_start"] < sp["end"] and sp.get("parties")]
            if inside:
                continue
            prior = None
            for role, sp in role_of(text, s, e, c, here, items, ms, near):
                if sp["end"] <= c["char_start"]:
                    prior = (c, role, sp["id"])
                if role == "mentioned" and c["kind"] == "leader":
                    continue
                country = _place_country(c) if role == "host" else c["country"]
                put(sp["id"], country, role, "cue" if role != "mentioned" else
                    ("sentence" if sp["how"] != "backref" else "back_reference"), 0.8 if role != "mentioned" else 0.5)
        places = {(m["country"], m["surface"]) for m in ms}
        for sp in here:
            item = items[sp["id"]]
            parties = sp.get("parties") or (item["parties"] if sp["how"] != "backref" and item["source"] == "text" else ())
            if not parties and item["parties"] and sp["how"] != "backref":
                # a listed initiative with its parties: all of them named in the sentence, or in its own name (美墨…)
                named = {m["country"] for m in ms} | _zh_codes(text[sp["start"]:sp["end"]])
                if set(item["parties"]) <= named:
                    parties = item["parties"]
            for code in sorted(parties):
                put(sp["id"], code, party_role(item["kind"], text, s, e, sp), "parties", 0.75)
            if sp.get("target"):
                put(sp["id"], sp["target"], "target", "cue", 0.8)
            if sp.get("chair"):
                put(sp["id"], sp["chair"], "chair", "cue", 0.8)
            for imposer in sp.get("imposers") or ([sp["imposer"]] if sp.get("imposer") else []):
                put(sp["id"], imposer, "party", "cue", 0.7)
            if item.get("host") and (item["host"], item.get("place")) in places:
                put(sp["id"], item["host"], "host", "cue", 0.8)
        # "in the EU and NATO": a role given for one initiative holds for the one listed with it
        listed = {}  # initiative -> those listed right after it
        for a, b in zip(here, here[1:]):
            if re.fullmatch(r"\s*(?:,|and|or|、|和|及)\s*(?:the\s+)?", text[a["end"]:b["start"]]):
                listed.setdefault(a["id"], []).append(b["id"])
        for (iid, country), (role, method, conf) in list(found.items()):
            if role == "mentioned" or method != "cue":
                continue
            for other in listed.get(iid, ()):
                put(other, country, role, "cue", conf)
        # a bilateral event's other party attends it: the Nigeria-Ukraine forum held in Lagos
        for (iid, country), (role, _, _) in list(found.items()):
            if role == "host" and items[iid]["parties"]:
                for code in items[iid]["parties"]:
                    if code != country:
                        put(iid, code, "participant", "parties", 0.7)
        status = _status(sentence)
        for (iid, country), (role, method, conf) in found.items():
            valid_from, valid_to = role_dates(sentence, role, date)
            rows.append({"initiative": iid, "country": country, "role": role, "status": status,
                         "valid_from": valid_from, "valid_to": valid_to if role != "mentioned" else None,
                         "evidence": sentence, "char_start": s, "char_end": e, "method": method, "confidence": conf})
        k += 1
    first = {}
    for sp in spans:
        first.setdefault(sp["id"], sp)
    out = []
    for iid, item in items.items():
        aliases = sorted(a for a in item["aliases"] if a and a != item["name"])
        out.append({"id": iid, "name": item["name"], "name_zh": item.get("name_zh"), "aliases": aliases,
                    "kind": item["kind"], "source": item["source"], "parent": item.get("parent"),
                    "series": item.get("series"), "year": item.get("year"), "place": item.get("place"),
                    "parties": item.get("parties") or [], "char_start": first[iid]["start"] if iid in first else None,
                    "char_end": first[iid]["end"] if iid in first else None,
                    "surface": text[first[iid]["start"]:first[iid]["end"]] if iid in first else None,
                    "how": first[iid]["how"] if iid in first else None})
    return {"initiatives": out, "participation": rows, "claimed": claimed}
