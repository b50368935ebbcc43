"""Identity: stable slugs, canonical names of described initiatives and of editions of recurring events,
acronyms of long names, and the head nouns' kinds.

An id is a pure function of what the text says (a catalogue or user id, the slug of a name, the sorted
parties and canonical head of a description, a series and its year or place), so `reextract` gives the
same ids again; merges across articles are recorded as redirects (resolve.py).
"""
import re
import unicodedata
from functools import lru_cache

from ..countries import gazetteer
from .catalogue import cues

_STOP = {"of", "the", "and", "for", "on", "in", "to", "de", "des", "du", "la", "le", "et", "&"}
# one canonical head per kind of description: "trade deal" and "trade agreement" are one initiative
CANONICAL_HEAD = {"agreement": "agreement", "trade_deal": "trade deal", "action_plan": "action plan",
                  "partnership": "partnership", "alliance": "alliance", "coalition": "coalition",
                  "summit": "summit", "ministerial": "ministerial", "conference": "conference", "forum": "forum",
                  "dialogue": "talks", "corridor": "corridor", "project": "project", "framework": "framework",
                  "initiative": "initiative", "bloc": "bloc", "sanctions": "sanctions", "process": "process",
                  "organisation": "organisation"}


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"['’.]", "", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if not s and name:  # a Chinese-only name: its characters' code points keep it stable and distinct
        s = "zh-" + "-".join("%x" % ord(ch) for ch in name if not ch.isspace())[:80]
    return s[:80].strip("-")


def acronym(name: str) -> str:
    "'Minerals Security Partnership' -> 'MSP' (initials of the significant words)."
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _STOP).upper()


def country_name(code: str) -> str:
    c = gazetteer.countries().get(code)
    if not c:
        return code
    return {"US": "US", "GB": "UK", "EU": "EU", "KP": "North Korea", "KR": "South Korea",
            "RU": "Russia", "IR": "Iran", "SY": "Syria", "VE": "Venezuela", "TW": "Taiwan"}.get(code, c["name_en"])


def country_name_zh(code: str) -> str:
    c = gazetteer.countries().get(code)
    return (c or {}).get("name_zh") or code


@lru_cache(maxsize=None)
def head_kinds():
    "{head noun (lower case, English or Chinese): kind}; the longest head wins when one holds another."
    out = {}
    for lang in ("heads_en", "heads_zh"):
        for kind, heads in cues()[lang].items():
            for h in heads:
                out.setdefault(h.lower(), kind)
    return out


def kind_of_head(head: str) -> str:
    return head_kinds().get(head.lower().strip(), "agreement")


def described(parties, kind, year=None, qualifier=None):
    """(id, name, name_zh) of an initiative known by its parties: 'Algeria–Tunisia agreement (2017)'."""
    codes = sorted(set(parties), key=lambda c: country_name(c))
    head = CANONICAL_HEAD.get(kind, kind)
    name = "–".join(country_name(c) for c in codes) + " " + head
    if qualifier:
        name += " " + qualifier
    zh = "".join(country_name_zh(c) for c in codes)
    iid = slug("-".join(country_name(c) for c in codes) + "-" + head + ("-" + qualifier if qualifier else ""))
    if year:
        name += " (%s)" % year
        iid += "-%s" % year
    return iid, name, zh


def edition(series_id, series_name, year=None, place=None):
    "(id, name) of one edition of a recurring event: year first, else place."
    detail = ", ".join(str(x) for x in (place, year) if x)
    iid = series_id + ("-%s" % year if year else "-" + slug(place) if place else "")
    return iid, "%s (%s)" % (series_name, detail) if detail else series_name
