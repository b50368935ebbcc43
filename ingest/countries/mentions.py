"""Country mentions in English and Chinese news text, with the reading of each mention.

One scan of the gazetteer's compiled matcher finds candidates; the ambiguity rules in
data/country_blockers.json (people named Jordan, US states, city homonyms in local news, demonyms used
as languages) are then decided from the sentence and the document around each candidate.
"""
import re
from functools import lru_cache

from . import gazetteer
from ..extract import is_boilerplate_line

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.\-]*")
_CAP_TOKEN = re.compile(r"\s+([A-Z][A-Za-z'’\-]*\.?)")
# the previous capitalised word on the same line; "States." ending a sentence is no first name
_PREV_TOKEN = re.compile(r"([A-Z][A-Za-z'’\-]*(?:(?<=\b[A-Z][a-z])\.|(?<=\b[A-Z][a-z]{2})\.|(?<=\b[A-Z])\.)?)[ \t]+$")
_SENT_START = re.compile(r"(?:^|[.!?。！？\n]\s*|[\"“(]\s*)$")

# Readings of names and capitals decided by the words around them: these cue lists are grammar
# (prepositions, auxiliaries, speech and action verbs), not knowledge about particular countries.
_LITERAL_PREV = re.compile(
    r"(?:\b(?:in|into|inside|within|throughout|across|to|from|near|at|around|outside|via|through|"
    r"visit|visits|visited|visiting|toured|tour|reached|entered|leave|left|fled|flee|return(?:ed)?\s+to|"
    r"born\s+in|based\s+in|living\s+in|moved\s+to|traveled\s+to|travelled\s+to|arrived\s+in|"
    r"landed\s+in|north|south|east|west|northern|southern|eastern|western|parts?|regions?|areas?|"
    r"coast|capital|city|cities|province|provinces|territory|soil|streets|borders?|population|people|"
    r"citizens?|residents?|natives?|native|towns?|villages?|villagers)(?:\s+of)?\s+(?:the\s+)?)$",
    re.IGNORECASE)
_GOV_PREV = re.compile(
    r"(?:\b(?:by|with|against|between|versus|vs\.?|allies|ally|ties|relations|talks|deal|"
    r"agreement|treaty|(?:sanctions|pressure|tariffs?|embargo|attacks?|strikes?)\s+(?:on|against)|war|support|help|urged|urging|urge|accused|accusing|"
    r"told|asked|warned|pressed|persuade|convince|join|joined|beat|defeated|represented|represent|"
    r"representing|for|behalf\s+of|allies\s+of|recognized?|invaded|attacked|annexed|according\s+to|"
    r"(?:victory|victories|wins?|presence|goals|interests|invasion|occupation|defeat)\s+(?:\w+\s+)?(?:of|over)|"
    r"(?:sold|sell|sells|selling|sale\s+of\s+\w+|offered|offer|handed|ceded|given|lost(?:\s+\w+){0,3})\s+to|"
    r"(?:independence|purchased?|purchases|bought|taken|captured|seized|recognition|aid|imports?)\s+(?:\w+\s+){0,3}from)"
    r"\s+(?:the\s+)?(?:[A-Z][a-z]+\s+and\s+)?)$",
    re.IGNORECASE)
# a relation between governments makes even a capital the actor: "ties with Beijing and Moscow", "work with
# Washington and Tokyo", "pressure on Caracas" (plain prepositions leave a city a city)
_CAPITAL_GOV_PREV = re.compile(
    r"\b(?:ties|relations|relationship|talks|negotiations|dialogue|cooperation|work(?:ing|ed)?|deal|agreement|"
    r"pressure|sanctions|tariffs|dispute|rift)\s+(?:\w+\s+)?(?:with|on|against)\s+"
    r"(?:[A-Z][a-z]+\s+and\s+|[A-Z][a-z]+,\s+)*$", re.IGNORECASE)
_MOTION_FOR = re.compile(r"\b(?:left|leave|leaving|sailed|sail|bound|departed|depart|headed|head|set\s+off)\s+for\s+(?:the\s+)?$",
                         re.IGNORECASE)
_GOV_NEXT = re.compile(
    r"^(?:['’]s?\s+(?:\w+\s+)?(?:government|president|prime|foreign|leaders?|leadership|military|army|navy|"
    r"forces|troops|officials?|ministry|minister|ambassador|embassy|delegation|diplomats?|authorities|"
    r"regime|decision|position|policy|policies|stance|response|move|plan|plans|offer|demands?|refusal|"
    r"team|squad|national|side|coach|win|victory|defeat|dominance|support|allies|interests|strategy|"
    r"parliament|congress|senate|central\s+bank|administration)\b"
    r"|\s*(?:,\s*(?:which|who)\s+)?(?:has|have|had|will|would|could|should|must|may|might|is|was|also|"
    r"then|now|still|already|later|recently|did|does|do|has\s+since|cannot|can|won't|wouldn't|"
    r"didn't|doesn't|isn't|wasn't)?\s*(?:not\s+|also\s+|never\s+|just\s+)?"
    r"(?:said|says|say|saying|announced?|announces|condemn(?:ed|s)?|accus(?:ed|es)|agreed?|agrees|sign(?:ed|s)?|"
    r"reject(?:ed|s)?|warn(?:ed|s)?|impos(?:ed|es)|wants?|wanted|plans?|planned|vow(?:ed|s)|urg(?:ed|es)|"
    r"denie[sd]|deny|demand(?:ed|s)?|claim(?:ed|s)?|threaten(?:ed|s)?|sanction(?:ed|s)?|launch(?:ed|es)|"
    r"won|wins|beat|beats|lost|loses|defeated|competed|competes|qualified|played|plays|finished|"
    r"invaded|invades|attacked|attacks|declared|declares|recognized|recognizes|responded|responds|"
    r"retaliated|insisted|insists|argued|argues|pledged|pledges|promised|promises|decided|decides|"
    r"refused|refuses|blamed|blames|called|calls|expelled|expels|joined|joins|sent|sends|ordered|orders|"
    r"asked|asks|told|tells|seeks|sought|needs|needed|supports?|supported|opposes|opposed|backed|backs|"
    r"criticized|criticised|hit|hits|cut|cuts|raised|raises|bought|buys|sold|sells|struck|strikes|"
    r"imported|imports|exported|exports|banned|bans|approved|approves|ratified|adopted|considers|"
    r"considered|hopes|hoped|believes|believed|expects|expected|proposed|proposes|offered|offers|"
    r"intends?|intended|must|withdrew|withdraws|became|joins|voted|votes|hosted|hosts|boycotted|"
    r"summoned|protested|objected|welcomed|welcomes|praised|praises|confirmed|confirms|invested)\b)",
    re.IGNORECASE)
_LITERAL_NEXT = re.compile(r"^(?:,\s*where\b|\s+(?:where|-based)\b|-based|['’]s?\s+(?:most\s+|best|leading|top|largest|"
                           r"biggest|oldest|greatest|finest|first|richest|poorest|highest|longest|famous|"
                           r"popular|youth|people|population|citizens|amateur)|['’]s?\s+(?:\w+\s+)?(?:north|south|east|west|"
                           r"northern|southern|eastern|western|capital|largest|biggest|coast|border|borders|"
                           r"population|cities|city|regions?|provinces?|soil|territory|mountains|streets|"
                           r"countryside|weather|climate)\b)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^['’]s?\b")
_FUNCTION_WORDS = {"and", "or", "in", "on", "at", "to", "from", "of", "for", "with", "is", "was", "are", "were",
                   "which", "who", "that", "where", "when", "as", "by", "but", "than", "into", "after", "before",
                   "during", "until", "since", "through", "under", "over", "between", "among", "about", "itself",
                   "alone", "too", "also", "itself", "then", "now", "so", "while", "because", "if", "not"}
_VERB_BEFORE = re.compile(r"\b(?:beat|beats|beating|invade|invades|against|versus|vs\.?|sanction|recognize|recognise|"
                          r"defeat|defeats|join|joins|represent|represents|urge|urges|pressure|pressures|invite|"
                          r"invites|help|helps|support|supports|accuse|accuses|lost\s+to|lose\s+to|lost\s+\w+\s+\w+\s+to)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_NOT_VERB_S = re.compile(r"(?:ss|us|is|ics|ews|ries|ies|ps)$")


_IRREGULAR_PAST = {"took", "left", "fell", "broke", "made", "gave", "sent", "won", "lost", "held", "began", "came",
                   "became", "went", "got", "kept", "ran", "sold", "bought", "brought", "built", "drew", "fought",
                   "found", "hit", "led", "met", "paid", "put", "said", "saw", "set", "sought", "spent", "stood",
                   "struck", "told", "thought", "threw", "withdrew", "wrote", "used", "beat", "chose", "forbade",
                   "rose", "shot", "swore", "took", "understood", "wants", "seems"}
_GOV_NOUN_NEXT = re.compile(r"^\s+(?:national\s+)?(?:team|side|squad|government|authorities|officials|delegation|"
                            r"forces|troops|military|army|navy|regime|leadership|administration)\b")


def _looks_like_verb(word):
    "Cheap stand-in for a tagger: modal/auxiliary, past tense or 3rd-person -s right after a name."
    if word in _IRREGULAR_PAST:
        return True
    if word in ("has", "had", "have", "will", "would", "could", "should", "must", "may", "might", "did",
                "does", "can", "cannot", "then", "also", "later", "soon", "again", "only", "finally", "now"):
        return True
    if word.endswith("ed") and len(word) > 4:
        return True
    return word.endswith("s") and len(word) > 3 and not _NOT_VERB_S.search(word)


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or|/|&)\s+(?:the\s+)?")
_DATELINE_NEXT = re.compile(r"^\s*(?:\(|—|–|-{1,2}\s|,\s*[A-Z][a-z]+\.?\s+\d|:)")
_ZH_GOV_NEXT = re.compile(r"^(?:政府|方面|当局|总统|总理|外交部|商务部|国务院|官员|表示|称|宣布|谴责|认为|强调|决定|要求|呼吁|"
                          r"指责|拒绝|同意|签署|希望|将|已|正|也|曾|不会|不)")
_ZH_LITERAL_PREV = re.compile(r"(?:在|于|到|赴|从|自|往|前往|抵达|访问|位于|境内)$")
_ZH_LITERAL_NEXT = re.compile(r"^(?:境内|国内|各地|首都|北部|南部|东部|西部|中部|城市|地区|全国)")
_LANG_VERB = re.compile(r"\b(?:speaks?|speaking|spoke|spoken|fluent|translated|translate|written|dubbed|subtitled)\s+(?:in\s+|into\s+)?(?:fluent\s+)?$", re.IGNORECASE)
_LANG_JOIN = re.compile(r"^\s*(?:$|[,.;:)!?\"”]|and\b|or\b|as\b|at\b|with\b|well\b|fluently\b|—)")


@lru_cache(maxsize=None)
def _rules():
    b = gazetteer.blockers()
    lang = b["language"]
    local = b["local_homonyms"]
    states = [s for s in b["us_states"] + b["ca_provinces"] if s not in local]
    return {
        "person_prone": set(b["person_prone"]),
        "not_name": set(b["person_prev_not_name"]),
        "keep_next": set(b["keep_next"]),
        "languages": set(lang["languages"]),
        "lang_prev": re.compile(r"(?:^|\s)(?:%s)\s+$" % "|".join(re.escape(w) for w in sorted(lang["prev"], key=len, reverse=True)), re.IGNORECASE),
        "lang_next": re.compile(r"^(?:\s+|-)(?:%s)\b" % "|".join(re.escape(w.lstrip("-")) for w in lang["next"]), re.IGNORECASE),
        "lang_words": gazetteer.words_regex(lang["languages"]),
        "local": {k: {"country": gazetteer.words_regex(v["country_cues"]) if v["country_cues"] else None,
                      "local": gazetteer.words_regex(v["local_cues"]) if v["local_cues"] else None}
                  for k, v in local.items()},
        "local_min": b.get("local_min_cues", 2),
        "us_local": gazetteer.words_regex(states + b["us_local_cues"]),
        "state_after": re.compile(r"^,\s*(?:%s)(?![A-Za-z])" % "|".join(
            re.escape(s) for s in sorted(b["us_states"] + b["ca_provinces"] + [c for c in b["us_local_cues"] if c.endswith(".")],
                                         key=len, reverse=True))),
        "blocks": {blk["surface"]: {
            "next": set(blk.get("next", [])), "prev": set(blk.get("prev", [])),
            "sentence": gazetteer.words_regex(blk["sentence"]) if blk.get("sentence") else None}
            for blk in b["context_blocks"]},
    }


def _sentence_bounds(text, start, end):
    s = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), text.rfind("。", 0, start)) + 1
    e_candidates = [i for i in (text.find(". ", end), text.find("\n", end), text.find("。", end)) if i != -1]
    return s, (min(e_candidates) if e_candidates else len(text))


def _next_word(text, end):
    m = _WORD.match(text, end + (1 if text[end:end + 1] in " -" else 0)) if end < len(text) else None
    return m.group().rstrip(".,'’") if m else ""


def _prev_word(text, start):
    m = re.search(r"([A-Za-z'’\-]+)\W{0,2}$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


def _doc_local_score(text, cache):
    if "us_local" not in cache:
        cache["us_local"] = len({m.group() for m in _rules()["us_local"].finditer(text)})
    return cache["us_local"]


def _is_person(text, start, end, surface, rules):
    "A first name before (Michael Jordan) or a surname after (Chad Johnson) makes it a person or a brand."
    prev = _PREV_TOKEN.search(text[max(0, start - 25):start])
    if prev and prev.group(1) not in rules["not_name"] and not prev.group(1).isupper():
        word = prev.group(1)
        # a capitalised sentence opener is a name unless it reads like another word ("Neighbouring Chad")
        at_start = _SENT_START.search(text[max(0, start - 25):start - len(prev.group(0))])
        if not (at_start and re.search(r"(?:ing|ed|ly|['’]s)$", word)) and not word.endswith(("'s", "’s")):
            return True
    if surface.isupper() and len(surface) > 3:
        return False
    nxt = _CAP_TOKEN.match(text, end)
    if nxt and nxt.group(1).rstrip(".") not in rules["keep_next"] and nxt.group(1) not in rules["keep_next"]:
        return True
    return False


def _is_local_homonym(text, start, end, entry, doc_codes, cache, rules):
    "A city or state of the same name in US/Canadian local news (Paris, Texas; Athens, Ga.; Georgia)."
    if rules["state_after"].match(text, end):
        return True
    spec = rules["local"].get(entry["alias"].title() if entry["alias"].isupper() else entry["alias"])
    if spec is None:
        return False
    key = ("local", entry["alias"])
    if key not in cache:
        country_hits = len(spec["country"].findall(text)) if spec["country"] else 0
        local_hits = len(spec["local"].findall(text)) if spec["local"] else 0
        cache[key] = (country_hits, local_hits)
    country_hits, local_hits = cache[key]
    other_names = doc_codes.get(entry["country"], 0)
    if country_hits or other_names:
        return local_hits > country_hits + other_names
    return local_hits > 0 or _doc_local_score(text, cache) >= rules["local_min"]


def _is_language(text, start, end, surface, rules):
    if surface not in rules["languages"]:
        return False
    if rules["lang_next"].match(text, end):
        return True
    before = text[max(0, start - 25):start]
    after = text[end:end + 12]
    if _LANG_VERB.search(before):
        return True
    if rules["lang_prev"].search(before) and _LANG_JOIN.match(after):
        return True
    # "English and Spanish", "in French or English": English is no country's alias, so coordination
    # with it marks a language
    near = text[max(0, start - 14):start] + " " + text[end:end + 14]
    return bool(re.search(r"\bEnglish\s+(?:and|or)\s*$", before) or re.match(r"^\s*(?:and|or)\s+English\b", after)) \
        and "English" in near


def _context_blocked(text, start, end, surface, rules):
    blk = rules["blocks"].get(surface)
    if not blk:
        return False
    if blk["next"] and _next_word(text, end) in blk["next"]:
        return True
    if blk["prev"] and _prev_word(text, start) in blk["prev"]:
        return True
    if blk["sentence"]:
        s, e = _sentence_bounds(text, start, end)
        if blk["sentence"].search(text, s, e):
            return True
    return False


def _reading(text, start, end, entry):
    kind = entry["kind"]
    if kind in ("institution", "side", "leader"):
        return "government"
    if kind == "demonym":
        return "literal" if entry.get("people") else "modifier"
    if entry["lang"] != "en":
        before, after = text[max(0, start - 4):start], text[end:end + 4]
        if _ZH_GOV_NEXT.match(after):
            return "government"
        if _ZH_LITERAL_PREV.search(before) or _ZH_LITERAL_NEXT.match(after):
            return "literal"
        return "government" if kind == "capital" else "unknown"
    before = text[max(0, start - 40):start]
    after = text[end:end + 60]
    surface = text[start:end]
    if surface.isupper() and len(surface) > 3 and _DATELINE_NEXT.match(after) and \
            (start == 0 or text[start - 1] == "\n"):
        return "literal"
    if _LITERAL_NEXT.match(after):
        return "literal"
    if _GOV_NEXT.match(after):
        return "government"
    if kind == "capital" and _CAPITAL_GOV_PREV.search(before):
        return "government"
    if kind == "capital":
        # a capital is the place unless it acts ("Moscow said"): the prepositions that make a country
        # name an actor ("talks with Russia") leave a city a city ("between London and Amsterdam")
        return "literal"
    if _POSSESSIVE.match(after):
        # "Russia's war", "Ethiopia's Dibaba": the country as an actor or owner unless a place noun follows
        return "government"
    if _MOTION_FOR.search(before):
        return "literal"
    if _GOV_PREV.search(before):
        return "government"
    if _LITERAL_PREV.search(before):
        return "literal"
    if _GOV_NOUN_NEXT.match(after):
        return "government"
    nxt = re.match(r"^\s+(?:[a-z]+ly\s+|first\s+|never\s+|already\s+|also\s+|later\s+|then\s+|once\s+)?([a-z]+)", after)
    if nxt and _looks_like_verb(nxt.group(1)):
        return "government"
    nxt = re.match(r"^\s+([a-z]+)", after)
    if re.search(r"\b[a-z]+(?:ed|ing)\s+(?:the\s+)?$", before) or _VERB_BEFORE.search(before):
        # the object of an action ("beating Uganda", "invited Mexico") is the state acted upon
        return "government"
    if nxt and nxt.group(1) not in _FUNCTION_WORDS:
        # "U.S. energy", "China trade": a name used as a noun modifier
        return "modifier"
    if re.search(r"(?:^|[.!?;:]\s+|\n)$", before) or re.search(r"\b(?:and|but|as|while|when|after|because|that|if|since|until)\s+$", before):
        return "government"
    return "literal"


def _in_term(entry, date):
    if not date or entry["kind"] != "leader":
        return True
    return any((not f or f <= date) and (not t or date < t) for f, t in entry.get("terms", [(None, None)]))


def extract_countries(text: str, language: str | None = None, date: str | None = None) -> list[dict]:
    """Country mentions {country, surface, char_start, char_end, kind, reading}; offsets index `text`.
    `date` (ISO, optional) limits leaders to their terms of office."""
    if not text:
        return []
    rules = _rules()
    furniture = {}  # line start -> is the line boilerplate: only the lines holding a candidate are asked
    candidates = []
    for start, end, surface, entry in gazetteer.find_aliases(text):
        if entry["country"] is None:
            continue
        ls = text.rfind("\n", 0, start) + 1
        if ls not in furniture:
            le = text.find("\n", start)
            furniture[ls] = is_boilerplate_line(text[ls:le if le >= 0 else len(text)])
        if furniture[ls]:
            continue
        candidates.append((start, end, surface, entry))
    # how often each country is named by other surfaces: evidence for the country reading of a homonym
    doc_codes = {}
    for _, _, surface, entry in candidates:
        if entry["kind"] in ("name", "demonym", "institution", "side") and surface not in rules["local"]:
            doc_codes[entry["country"]] = doc_codes.get(entry["country"], 0) + 1
    cache = {}
    persons = set()
    out = []
    for start, end, surface, entry in candidates:
        plain = surface.title() if surface.isupper() and len(surface) > 3 else surface
        if not _in_term(entry, date):
            continue
        if entry["kind"] in ("leader", "capital") or plain in rules["person_prone"]:
            if _is_person(text, start, end, surface, rules):
                if entry["kind"] != "leader":
                    persons.add(surface)
                continue
        if _context_blocked(text, start, end, surface, rules):
            continue
        if entry["kind"] == "demonym" and _is_language(text, start, end, surface, rules):
            continue
        if entry["kind"] in ("name", "capital") and entry["lang"] == "en" and \
                _is_local_homonym(text, start, end, entry, doc_codes, cache, rules):
            continue
        reading = _reading(text, start, end, entry)
        if out and entry["kind"] in ("name", "capital") and out[-1]["kind"] in ("name", "capital") and \
                _LIST_GAP.fullmatch(text, out[-1]["char_end"], start):
            # "in Belgium and France", "Italy, France, Germany": a list shares its first item's reading
            reading = out[-1]["reading"]
        out.append({"country": entry["country"], "surface": surface, "char_start": start, "char_end": end,
                    "kind": entry["kind"], "reading": reading})
    if persons:
        # once "Chad Johnson" is in the story, a bare "Chad said" is him, unless placed by a preposition
        out = [m for m in out if m["surface"] not in persons or
               re.search(r"\b(?:in|to|from|of|visit(?:ed)?|across)\s+$", text[max(0, m["char_start"] - 12):m["char_start"]])]
    return out


def is_people(mention):
    "True for plural demonyms naming people ('Mexicans'), which say nothing about the state."
    entry = gazetteer.surfaces().get(mention["surface"])
    return bool(entry and entry.get("people"))


def document_countries(mentions) -> list[str]:
    """Sorted codes an article is about, for facets and the map. Capitals count when they stand for a
    government or head a dateline; people nouns and leaders alone do not place an article."""
    codes = set()
    for m in mentions:
        kind = m["kind"]
        if kind == "leader" or (kind == "demonym" and is_people(m)):
            continue
        if kind == "capital" and m["reading"] != "government" and not m["surface"].isupper():
            continue
        codes.add(m["country"])
    return sorted(codes)
