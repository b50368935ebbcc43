"""Where a text names or describes an initiative: catalogue and user names, editions of recurring events
(year, place), names the text coins ("the Nigeria-Ukraine Business Forum", 《…协定》), descriptions by their
parties ("a U.S.-Mexico action plan", "signed an agreement with South Africa", 中俄…伙伴关系), sanctions
regimes by their target, coalitions by their leader. Phrases with neither a name nor named parties
("expectations of a trade deal") are not initiatives.

discover(text, mentions, date) -> (initiatives {id: info}, spans [{id, start, end, how, ...}])
"""
import re
from bisect import bisect_left
from functools import lru_cache

from ..cache import regex  # re.compile, the compiled code kept across processes
from .catalogue import EVENT_KINDS, cues, find_known, known
from .spans import Intervals, Mentions
from ..countries.gazetteer import trie_pattern, word_start_finditer
from .names import acronym, described, edition, head_kinds, kind_of_head, slug

_CJK = re.compile(r"[\u3400-\u9fff]")
_YEAR = r"((?:19|20)\d{2})"


@lru_cache(maxsize=None)
def _rx():
    c = cues()
    # longest first; equal lengths in a fixed order (not the set's, which changes with each process's string
    # hashing), so the patterns are the same text in every process and cache.regex finds them
    heads_en = sorted({h for hs in c["heads_en"].values() for h in hs}, key=lambda h: (-len(h), h))
    heads_zh = sorted({h for hs in c["heads_zh"].values() for h in hs}, key=lambda h: (-len(h), h))
    head_alt = "|".join(re.escape(h).replace(r"\ ", r"[\s\-]+") for h in heads_en)
    dyad_kinds = {"agreement", "trade_deal", "action_plan", "partnership", "summit", "ministerial", "dialogue",
                  "forum", "corridor", "project", "alliance", "framework", "coalition"}
    dyad_heads = sorted((h for k, hs in c["heads_en"].items() if k in dyad_kinds for h in hs), key=len, reverse=True)
    dyad_alt = "|".join(re.escape(h).replace(r"\ ", r"[\s\-]+") for h in dyad_heads)
    cap = r"(?:[A-Z][A-Za-z'’\-]*|[A-Z]\.(?:[A-Z]\.)+|\d+(?:st|nd|rd|th)?)"
    conn = r"(?:of|the|for|and|on|de|du|des|&)"
    return {
        "head_en": regex(r"\b(?:%s)\b" % head_alt, re.I),
        "head_lower": regex(r"\b(?:%s)\b" % head_alt.lower()),
        "dyad_tail": regex(r"(?:['’]s?)?\s+((?:[a-z][a-z\-]*\s+){0,4}?)(%s)\b" % dyad_alt, re.I),
        "dyad_sep": regex(r"\s*[-–—/]\s*|\s+and\s+(?:the\s+)?|\s*,\s*(?:and\s+)?(?:the\s+)?"),
        "name": regex(r"\b%s(?:[ \t]+(?:%s[ \t]+)*%s)*" % (cap, conn, cap)),
        # a capitalised head noun: where a coined name can be (most articles have none, and the name pattern
        # itself would stop at every capital letter)
        # (a trie of the words: the same matches as their longest-first alternation, found faster; searched
        # by word_start_finditer, the leading \b checked apart, so the engine skips ahead to capitals)
        "cap_head": regex(r"(?:%s)\b" % trie_pattern(sorted(
            {h[0].upper() + h[1:] for h in heads_en if " " not in h and h.isalpha()}))),
        "acr_def": regex(r"\s*[(（]\s*([A-Z][A-Za-z0-9&\-]{1,9})\s*[)）]"),
        "generic": regex(c["generic_en"] + r"[\w\s\-]{0,40}$", re.I),
        "generic_words": set(c["generic_words_en"]),
        "generic_after": regex(c["generic_after_en"], re.I),
        "book": regex(r"《([^《》]{2,40}?)》"),
        "zh_treaty": regex(c["treaty_heads_zh"] + r"$"),
        "zh_heads": regex("|".join(map(re.escape, heads_zh))),
        "zh_domestic": regex(r"(?:法|条例|规定|办法|决定|意见|通知|报|杂志|日报)$"),
        "cop": regex(r"\bCOP[\s\-]?(\d{1,2})\b"),
        "sanction_en": regex(r"\b(sanctions?|embargo(?:es)?|blockade)\b((?:\s+[a-z]+){0,4}?)\s+(?:on|against|targeting|"
                             r"imposed on|placed on|slapped on)\s+(?:the\s+)?(?:an?\s+(?:[\w\-]+\s+){1,6}?[\w\-]+,\s+)?$",
                             re.I),
        "sanction_before": regex(r"\b(?:sanctions?|embargo)\b[^.;:]{0,60}?\b(?:those|measures|ones)\s+"
                                 r"(?:imposed\s+)?(?:on|against)\s+(?:the\s+)?$", re.I),
        "zh_sanction": regex(r"对(?:其)?$|制裁$"),
        # 朝鲜受到联合国安理会制裁, 古巴长期遭受美国的经济封锁
        "zh_sanction_under": regex(r"(?:长期|一直|仍然|仍|再次|也|已)?(?:因[^，。；]{0,15}?)?(?:受到|遭受|遭到|面临|承受)(?:了|着)?"
                                   r"([^，。；]{0,15}?)(?:的)?(?:经济|金融|贸易|武器|石油|单边|全面|严厉|新的|新一轮|多轮|"
                                   r"国际)*(制裁|禁运|封锁)"),
        # "North Korea, which is under UN sanctions", "Iran remains under a U.S. embargo"
        "sanction_under": regex(r"\s*,?\s*(?:(?:which|that)\s+)?(?:(?:is|was|are|were|has\s+been|have\s+been|had\s+been|"
                                r"remains|remained|remain|already|still|long|now|lived|lives|living|operated|operates|suffered|suffers|fell|falls|"
                                r"came|comes|put|placed|been|has|have|had)\s+){0,3}under\s+(?:an?\s+)?((?:(?:heavy|tough|"
                                r"crippling|harsh|sweeping|international|western|U\.?N\.?|U\.?S\.?|EU|American|European|"
                                r"multilateral|unilateral|economic|financial|new|arms)\s+){0,3})(sanctions|embargo)\b", re.I),
        "led": regex(r"\s*[-–]\s*(led|backed|headed)\s+((?:[a-z\-]+\s+){0,3}?)(coalition|alliance|"
                     r"intervention|mission|embargo|blockade|force|forces)\b", re.I),
        "verb_agree": regex(r"\b(signed|signs|sign|concluded|concludes|struck|strikes|reached|reaches|inked|"
                            r"sealed|clinched|agreed|agree|finali[sz]ed|announced|unveiled|launched|enacted|"
                            r"negotiated|drew up|drawn up|draw up|created|creating|create|forged|renewed|extended|"
                            r"adopted|approved)\s+"
                            r"(?:on\s+|to\s+|(?:talks|negotiations)\s+(?:on|for|over)\s+)?(an?|the|their|its|a\s+new)\s+"
                            r"((?:[a-z][a-z\-]*\s+){0,5}?)(%s)\b"
                            % dyad_alt, re.I),
    }


def _info(iid, **kw):
    return {"id": iid, "name": kw.get("name") or iid, "name_zh": kw.get("name_zh"), "aliases": set(),
            "kind": kw.get("kind") or "initiative", "source": kw.get("source") or "text",
            "parent": kw.get("parent"), "series": kw.get("series"), "year": kw.get("year"),
            "place": kw.get("place"), "parties": sorted(set(kw.get("parties") or [])), "host": kw.get("host"),
            "successor_of": kw.get("successor_of")}


class Found:
    "The initiatives and spans of one text, merged by id."

    def __init__(self):
        self.items, self.spans, self.taken, self.first_of_kind, self.ending = {}, [], Intervals(), {}, {}

    def add(self, info, start, end, surface, how, **extra):
        item = self.items.get(info["id"])
        if item is None:
            item = self.items[info["id"]] = info
        else:
            item["parties"] = sorted(set(item["parties"]) | set(info["parties"]))
            for k in ("year", "place", "host"):
                item[k] = item[k] or info.get(k)
        if surface and how in ("name", "acronym", "coined", "edition", "surface", "context"):
            item["aliases"].add(surface.strip())
        self.keep(dict({"id": info["id"], "start": start, "end": end, "how": how}, **extra))

    def keep(self, span):
        self.spans.append(span)
        self.ending[span["end"]] = span
        self.taken.add(span["start"], span["end"])
        self.first_of_kind.setdefault(self.items[span["id"]]["kind"], span)

    def covered(self, start, end):
        return self.taken.overlaps(start, end)


def _known_info(iid):
    item = known()[iid]
    return _info(iid, name=item.get("name_en") or item.get("name_zh"), name_zh=item.get("name_zh"),
                 kind=item.get("kind"), source=item["source"], parent=item.get("parent"),
                 parties=item.get("parties"), successor_of=item.get("successor_of"))


def _mentions_between(mentions, start, end):
    return mentions.within(start, end)


def _place_after(text, pos, mentions, limit=45):
    "A place named right after an event ('… summit in Osaka', 'held in Caracas'): (surface, country)."
    tail = text[pos:pos + limit]
    m = re.match(cues()["edition_place_en"], tail)
    if not m:
        m = re.match(r"\s*(?:\d{1,2}日|当天|今天|昨天|本周|下周|今年\d{1,2}月)?(?:将|正|已)?(?:在|于)?", tail)
    at = pos + m.end()
    for c in mentions.at(at):
        if c["kind"] in ("name", "capital"):
            return c["surface"], c["country"]
    return None, None


def _year_near(text, start, end):
    left = re.search(_YEAR + r"(?:年)?(?:['’]s)?\s*(?:[A-Z][\w\-]*\s+)?$", text[max(0, start - 14):start])
    if left:
        return int(left.group(1))
    return _year_after(text, end)


def _year_left(text, start):
    "Where '2019 ' or '2019年' right before a name begins (the edition's span takes it in)."
    m = re.search(_YEAR + r"(?:年|['’]s)?\s*$", text[max(0, start - 8):start])
    return start - (len(m.group(0))) if m else start


def _year_after(text, end):
    right = re.match(r"[^.。;\n]{0,30}?\b(?:in|of)\s+(?:[A-Z][a-z]+\s+)?" + _YEAR + r"\b", text[end:end + 45])
    return int(right.group(1)) if right else None


def _edition(found, text, mentions, date, series_id, start, end, surface, place_words=None):
    item = known()[series_id]
    year = _year_near(text, start, end)
    place, host = _place_after(text, end, mentions)
    place = place or place_words
    if not year and date and re.match(r"\d{4}", date):
        year = int(date[:4])
    if not year and not place:
        found.add(_known_info(series_id), start, end, surface, "name")
        return
    start = _year_left(text, start)
    # a Chinese place (在南非…举行) names the edition by its country's English name, as English text would
    label = place
    if place and host and _CJK.match(place):
        from .names import country_name

        label = country_name(host)
    iid, name = edition(series_id, item.get("name_en") or surface, year, label)
    zh = item.get("name_zh")
    found.add(_info(iid, name=name, name_zh=zh, kind=item["kind"], parent=item.get("parent"), series=series_id,
                    year=year, place=place, host=host), start, end, surface, "edition")


_ZH_NUM = r"[〇一二两三四五六七八九十百零\d]+"
# 第二十八届联合国气候变化大会 is COP28: the ordinal is the conference's number
_COP_ZH = re.compile(r"(?:《联合国气候变化框架公约》)?第(" + _ZH_NUM + r")(?:次|届)(?:联合国气候变化大会|缔约方大会)")
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _zh_number(s):
    "'28', '二十八', '三十', '十二' -> int (up to 999); None when it is not a number."
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in "十百":
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)
_ZH_ROUND = r"第" + _ZH_NUM + r"轮|新一轮"
_ZH_SUBJECT_GAP = re.compile(r"(?:已经?|将|再次|正式|宣布|决定|也|还|随后|当天|\d{1,2}日)*")
# an edition named by its body and an ordinal: 金砖国家领导人第十五次会晤, 二十国集团领导人第十八次峰会,
# 亚太经合组织第三十次领导人非正式会议, 上海合作组织成员国元首理事会第二十四次会议
_ZH_EDITION = re.compile(r"(?:成员国)?(?:元首理事会|首脑理事会)?(?:领导人)?第" + _ZH_NUM + r"(?:次|届)(?:领导人|首脑|元首)?(?:非正式)?"
                         r"(?:峰会|会晤|会议|首脑会议|元首理事会会议)")


# an edition named by its body, its place and a year: 2019年二十国集团大阪峰会 (the words between are the place,
# unless they are the meeting's own words: 领导人峰会, 特别峰会)
_ZH_PLACE_EDITION = re.compile(r"(?!领导人|首脑|成员国|外长|财长|部长|特别|紧急|非正式|年度|线上|视频|扩员|历届|本届|此次|这次|"
                               r"上届|下届|下一届|今年|明年|去年|峰会|会议)([\u4e00-\u9fff]{2,4}?)(?:领导人)?峰会")


@lru_cache(maxsize=None)
def _series_of():
    "{body id: the id of its recurring meeting} from the catalogue (g20 -> g20-summit)."
    out = {}
    for iid, item in known().items():
        if item.get("is_series") and item.get("parent") and item.get("kind") == "summit":
            out.setdefault(item["parent"], iid)
    return out


def _known(found, text, mentions, date):
    items = known()
    # 第二十八届联合国气候变化大会 is COP28 (its ordinal is its number), not this year's conference
    zh_cops = list(_COP_ZH.finditer(text)) if _CJK.search(text) else []
    for m in zh_cops:
        _cop(found, text, mentions, m)
    for start, end, iid, how in find_known(text):
        if zh_cops and found.covered(start, end):
            continue
        series = _series_of().get(iid)
        ordinal = series and _CJK.match(text, end - 1) and _ZH_EDITION.match(text, end)
        if ordinal:
            _edition(found, text, mentions, date, series, start, ordinal.end(), text[start:ordinal.end()])
            continue
        placed = series and _CJK.match(text, end - 1) and _ZH_PLACE_EDITION.match(text, end)
        if placed and _year_near(text, start, placed.end()):
            _edition(found, text, mentions, date, series, start, placed.end(), text[start:placed.end()],
                     place_words=placed.group(1))
            continue
        if items[iid].get("is_series"):
            _edition(found, text, mentions, date, iid, start, end, text[start:end])
        else:
            found.add(_known_info(iid), start, end, text[start:end], how)
    for m in _rx()["cop"].finditer(text) if "COP" in text else ():
        if not found.covered(m.start(), m.end()):
            _cop(found, text, mentions, m)


def _cop(found, text, mentions, m):
    n = _zh_number(m.group(1))
    if not n:
        return
    year = _year_near(text, m.start(), m.end())
    place, host = _place_after(text, m.end(), mentions)
    found.add(_info("cop%d" % n, name="UN Climate Change Conference COP%d" % n, name_zh="第%d届联合国气候变化大会" % n,
                    kind="conference", series="un-climate-change-conference-cop", parent="unfccc", year=year,
                    place=place, host=host), m.start(), m.end(), m.group(), "edition")


_RESOLUTION_EN = re.compile(r"\b(?:(?:UN|U\.N\.|United\s+Nations)\s+)?(?:Security\s+Council\s+)?[Rr]esolution\s+(?:No\.?\s*)?"
                            r"(\d{2,4})\b(?![/\-.]\d)")
_RESOLUTION_ZH = re.compile(r"第(\d{2,4})号决议")


def _resolutions(found, text):
    """UN Security Council resolutions by number ('Resolution 2231', 第2231号决议) where the text names the
    Council (a bare 'resolution 12' elsewhere is a parliament's or a company's)."""
    named = re.search(r"Security\s+Council|安理会|安全理事会", text)
    # the literal each pattern needs, looked for first: most texts name no resolution
    for rx in [rx for rx, needs in ((_RESOLUTION_EN, "esolution"), (_RESOLUTION_ZH, "号决议")) if needs in text]:
        for m in rx.finditer(text):
            explicit = "Security" in m.group()
            if not (explicit or named) or found.covered(m.start(), m.end()) and not explicit:
                continue
            n = m.group(1)
            found.add(_info("unsc-resolution-%s" % n, name="UN Security Council Resolution %s" % n,
                            name_zh="联合国安理会第%s号决议" % n, kind="resolution", parent="un-security-council"),
                      m.start(), m.end(), m.group(), "coined")


@lru_cache(maxsize=None)
def _marker_regexes():
    "(marker, its whole-word regex) for the international markers, compiled once (not looked up per name)."
    return [(mk, re.compile(r"\b%s\b" % re.escape(mk))) for mk in cues()["international_markers_en"]]


def _is_international(name, lead, inner, kind):
    """A coined name is an initiative between states when it joins two countries, or carries an
    international marker before its head ('Intergovernmental Joint Commission', 'International Court of
    Arbitration'), or is a treaty named after a place; not when it reads as domestic, academic or private."""
    c = cues()
    words = name.split()
    if any(w.strip(",;:’'s") in c["domestic_markers_en"] for w in words) or \
            any(d in name for d in c["domestic_markers_en"] if " " in d):
        return False
    countries = {m["country"] for m in inner}
    if len(countries) >= 2:
        return True
    head = lead[-1].lower()
    heads = head_kinds()
    # "Annual International Conference", "10th International Conference": academic, not between states
    if kind == "conference" and not re.search(r"Intergovernmental|Ministerial|United Nations|\bUN\b", name):
        return False
    joined = " ".join(lead)
    markers = [mk for mk, rx in _marker_regexes() if rx.search(joined)]
    if markers and head not in c["non_state_heads_en"]:
        return True
    if markers and head in ("court", "tribunal", "agency", "bank", "fund", "panel", "union", "community", "commission") \
            and re.search(r"\b(?:International|Intergovernmental|Inter-governmental)\b", " ".join(lead)):
        return True
    treaty = heads.get(head) in ("agreement", "trade_deal") and head not in ("deal", "arrangement", "compact")
    if treaty and (countries or re.match(r"(?:Treaty|Convention|Protocol|Charter) of [A-Z]", name)):
        return True
    return bool(re.search(r"\bAccords$", name) and len(words) >= 2)


def _coined(found, text, mentions):
    "Names the text gives that the catalogue does not know: title-case phrases ending in a head noun."
    rx = _rx()
    heads = head_kinds()
    seen = set()
    for h in word_start_finditer(rx["cap_head"], text):
        # the title-case run around this head: searched in a window, not over the whole text
        lo = max(0, text.rfind("\n", 0, h.start()) + 1, h.start() - 160)
        m = next((m for m in rx["name"].finditer(text, lo, min(len(text), h.end() + 120))
                  if m.start() <= h.start() and h.end() <= m.end()), None)
        if m is None or m.span() in seen:
            continue
        seen.add(m.span())
        name = m.group().strip()
        start = m.start()
        # trim a sentence-initial article or preposition and trailing connectors
        lead = re.match(r"(?:The|A|An|In|At|On|For|By|To|From|With|Under|And|But|As|Of)\s+", name)
        if lead:
            name, start = name[lead.end():], start + lead.end()
        words = name.split()
        if len(words) < 2:
            continue
        # the name ends at its head noun, or at the of-phrase after it ("International Court of Arbitration")
        last = max((i for i, w in enumerate(words) if heads.get(w.lower().strip(",;:")) and
                    heads[w.lower().strip(",;:")] != "sanctions"), default=None)
        if last is None:
            continue
        if last + 1 < len(words) and words[last + 1] in ("of", "for", "on"):
            cut = name
        elif last == 0:
            continue
        else:
            cut = " ".join(words[:last + 1])
        end = start + len(cut)
        if found.covered(start, end):
            # a catalogue name inside a longer coined one ("NATO Mediterranean Dialogue" is known) is enough
            continue
        inner = _mentions_between(mentions, start, end)
        kind = heads.get(words[last].lower().strip(",;:"), "organisation")
        if not _is_international(cut, words[:last + 1], inner, kind):
            continue
        info = _info(slug(cut), name=cut, kind=kind, parties=[c["country"] for c in inner] if
                     len({c["country"] for c in inner}) >= 2 else [])
        if kind in EVENT_KINDS:
            place, host = _place_after(text, end, mentions)
            info.update(place=place, host=host)
        found.add(info, start, end, cut, "coined")
        d = rx["acr_def"].match(text, end)
        if d and d.group(1) == acronym(cut)[:len(d.group(1))] or d and d.group(1)[0] == cut[0]:
            found.items[info["id"]]["aliases"].add(d.group(1))
            found.keep({"id": info["id"], "start": d.start(1), "end": d.end(1), "how": "acronym"})


def _defined_acronyms(found, text):
    "Bare uses of an acronym the text defined ('… Partnership (MSP)', then 'the MSP')."
    defs = {a: iid for iid, item in found.items.items() for a in item["aliases"] if re.fullmatch(r"[A-Z][A-Za-z0-9&\-]{1,9}", a)
            and item["source"] == "text"}
    if not defs:
        return
    for m in re.finditer(r"\b(%s)\b" % "|".join(map(re.escape, defs)), text):
        if not found.covered(m.start(), m.end()):
            found.add(found.items[defs[m.group()]], m.start(), m.end(), m.group(), "acronym")


def _sub_initiatives(found, text):
    "A known body's own programme, partnership or dialogue named in lower case: 'a NATO individual partnership …'."
    heads = r"(partnership|cooperation programme|cooperation program|programme|program|dialogue|initiative|mission)"
    for s in [s for s in found.spans if s["how"] in ("acronym", "name")]:
        parent = found.items[s["id"]]
        if parent["kind"] not in ("organisation", "alliance", "bloc"):
            continue
        m = re.match(r"\s+((?:[a-z][a-z\-]+\s+(?:and\s+)?){1,5})%s\b" % heads, text[s["end"]:s["end"] + 90])
        if not m or re.search(r"\b(?:the|a|an|is|was|has|have|will|which|that|to|of|its)\b", m.group(1)):
            continue
        end = s["end"] + m.end()
        name = text[s["start"]:end]
        kind = "partnership" if "partner" in name or "cooperation" in name else kind_of_head(m.group(2))
        found.add(_info(slug(name), name=name, kind=kind, parent=parent["id"]), s["start"], end, name, "coined")


def _is_generic(text, start, end=None):
    "'hopes for a trade deal', 'a possible new agreement', 'a deal between two other countries': none in particular."
    rx = _rx()
    before = text[max(0, start - 60):start]
    if rx["generic"].search(before):
        return True
    if end is not None and rx["generic_after"].match(text, end):
        return True
    words = re.findall(r"[a-z]+", before.lower())[-2:]
    return any(w in rx["generic_words"] for w in words)


def _described_info(parties, kind, year=None, qualifier=None, surface=None):
    for item in known().values():  # a user entry with these parties and a head of this kind is that one
        if item.get("parties") and set(item["parties"]) == set(parties) and \
                any(kind_of_head(h) == kind for h in item.get("heads") or []):
            return _known_info(item["id"])
    iid, name, zh = described(parties, kind, year, qualifier)
    return _info(iid, name=name, name_zh=zh + (surface if surface and _CJK.search(surface) else ""), kind=kind,
                 parties=parties, year=year)


def _dyads(found, text, mentions, date=None):
    "Countries joined by dashes or 'and' right before a head noun: 'U.S.-Mexico action plan', 'DPRK-U.S. summit'."
    rx = _rx()
    runs, run = [], []
    for m in mentions:
        if m["kind"] in ("leader",) or _CJK.match(m["surface"]):
            continue
        if run and rx["dyad_sep"].fullmatch(text, run[-1]["char_end"], m["char_start"]):
            run.append(m)
            continue
        if len(run) > 1:
            runs.append(run)
        run = [m]
    if len(run) > 1:
        runs.append(run)
    for run in runs:
        codes = {m["country"] for m in run}
        tail = rx["dyad_tail"].match(text, run[-1]["char_end"])
        if len(codes) < 2 or not tail or re.search(r"\b(?:and|or|but|the|a|an|to|of|in|on|with|is|was)\b", tail.group(1)):
            continue
        start, end = run[0]["char_start"], tail.end()
        if found.covered(start, end) or _is_generic(text, start):
            continue
        kind = kind_of_head(tail.group(2))
        year = _year_near(text, start, end)
        if kind in EVENT_KINDS and not year and date and re.match(r"\d{4}", date):
            year = int(date[:4])  # a summit of two named parties: this year's, unless the text says otherwise
        info = _described_info(codes, kind, year if kind not in EVENT_KINDS else year, surface=text[start:end])
        if kind in EVENT_KINDS:
            place, host = _place_after(text, end, mentions)
            info.update(place=place, host=host)
        found.add(info, start, end, text[start:end], "surface", parties=codes)


def _agreed(found, text, mentions, sentences):
    """'Venezuela signed an agreement with South Africa', 'the Kazakhstan and UAE governments concluded an
    agreement on …', 'an agreement between X and Y', 'a comprehensive strategic partnership with Vietnam'."""
    rx = _rx()
    starts = mentions.starts
    for s, e in sentences:
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        if lo == hi:
            continue  # (mentions.starting, without a call per sentence that names no country)
        with_leaders = Mentions(mentions[lo:hi])
        ms = Mentions(m for m in with_leaders if m["kind"] != "leader")
        for hm in _head_hits(text, s, e):
            hs, he, kind = hm
            if found.covered(hs, he) or _is_generic(text, hs, he) or _names_own_head(found, text, s, hs):
                continue
            if kind in EVENT_KINDS:
                # leaders meet: 'the summit between Putin and Trump', 'Trump and Kim met … for their first summit'
                _met(found, text, s, e, hs, he, kind, with_leaders)
                continue
            if not ms:
                continue
            after = text[he:min(e, he + 80)]
            before = text[max(s, hs - 160):hs]
            parties, how = set(), None
            w = re.match(r"\s+(?:\w+\s+){0,4}?(?:with|between)\s+(?:the\s+)?", after)
            partners = ms.at(he + w.end()) if w else []
            if partners:
                other = partners[0]
                parties.add(other["country"])
                nxt = [m for m in ms.starting(other["char_end"] + 1, other["char_end"] + 40) if
                       re.fullmatch(r"\s+and\s+(?:the\s+)?", text[other["char_end"]:m["char_start"]])]
                if nxt:
                    parties.add(nxt[0]["country"])
                else:
                    # the other side: the country the sentence is most about ("authorities in Tunis … Tunisian
                    # airbases … an agreement with Washington")
                    others = {}  # country -> (times named, -where first named)
                    for i, m in enumerate(ms.starting(s, hs)):
                        if m["char_end"] <= hs and m["country"] not in parties:
                            n, first = others.get(m["country"], (0, -i))
                            others[m["country"]] = (n + 1, first)
                    if others:
                        parties.add(max(others, key=others.get))
                how = "with"
            verb = rx["verb_agree"].search(before + text[hs:he])
            if verb and verb.end() == len(before) + he - hs:
                subj = [m for m in ms.starting(hs - 160, hs) if m["char_end"] <= hs - (len(before) - verb.start())]
                # the subject: the countries right before the verb ("the Kazakhstan and UAE governments")
                chain = []
                for m in reversed(subj):
                    gap = text[m["char_end"]:(chain[0]["char_start"] if chain else hs - (len(before) - verb.start()))]
                    if re.fullmatch(r"(?:['’]s)?\s*(?:,|and|,\s*and)?\s*(?:the\s+)?(?:(?:two\s+)?(?:governments?|"
                                    r"authorities|leaders|presidents|ministers|officials|sides|countries|nations)\s+)?"
                                    r"(?:\w+\s+){0,2}?", gap) if chain else re.fullmatch(
                                    r"(?:['’]s)?\s+(?:(?:governments?|authorities|leaders|officials|sides|two\s+"
                                    r"countries|president|government)\s+)?(?:\w+\s+){0,3}?|\s*,?\s*(?:\w+\s+){0,3}?", gap):
                        chain.insert(0, m)
                    else:
                        break
                if not chain:
                    # "China and Russia, which have … including creating a feasible roadmap"
                    rel = re.search(r"(?:^|[^\w])([A-Z][^,;]{0,60}?)\s+and\s+([A-Z][^,;]{0,40}?),\s+(?:which|who)\s+[^.;]{0,160}$",
                                    text[max(s, hs - 220):hs - (len(before) - verb.start())])
                    if rel:
                        base = max(s, hs - 220)
                        chain = ms.starting(base + rel.start(1), base + rel.end(2))
                parties |= {m["country"] for m in chain}
                how = how or "verb"
            if len(parties) < 2:
                continue
            year = _year_near(text, max(s, hs - 40), he) or _year_in(text[s:e])
            info = _described_info(parties, kind, year if kind in ("agreement", "trade_deal") else None,
                                   surface=text[hs:he])
            found.add(info, hs, he, text[hs:he] if kind == "partnership" else None, "surface", parties=parties)


# kinds whose name a head noun may follow as its own ("the AUKUS security pact", "the Paris climate agreement");
# a body's name before a head is a party instead ("the European Union trade agreement with Japan")
_OWN_HEAD_KINDS = {"agreement", "trade_deal", "action_plan", "alliance", "partnership", "framework", "initiative",
                   "corridor", "project", "process", "coalition", "dialogue", "sanctions"}


def _names_own_head(found, text, s, hs):
    "A head noun right after a named initiative of its family, at most two lower-case words between, is that one."
    lead = re.search(r"(?:\s+[a-z][a-z\-]*){0,2}\s+$", text[max(s, hs - 40):hs])
    span = found.ending.get(hs - len(lead.group(0)) if lead else hs)
    return bool(span) and found.items[span["id"]]["kind"] in _OWN_HEAD_KINDS


_MET_BEFORE = re.compile(r"\b(?:met|meet|meets|meeting|held|hold|holds|sat\s+down)\b(?:[^.;:]{0,50}?\b(?:for|at|in))?\s+"
                         r"(?:their|a|an|the)\s+(?:[a-z][a-z\-]*\s+){0,3}$", re.I)
_PLACE_VERB = re.compile(r"\b(?:took\s+place|takes\s+place|was\s+held|were\s+held|is\s+held|will\s+be\s+held|held|met|"
                         r"meet|meets|meeting|convened|opened)\s+in\s+(?:the\s+)?", re.I)


def _met(found, text, s, e, hs, he, kind, ms):
    """A meeting of two countries' leaders or governments, described: 'the summit between Vladimir Putin and
    Donald Trump', 'Trump and Kim met in Singapore for their first summit' -> a summit with its two parties,
    its year and the country of its place."""
    parties, first = [], None
    between = re.match(r"\s+(?:of|between)\s+(?:the\s+)?(?:(?:leaders?|heads?\s+of\s+state|presidents?|prime\s+ministers?)"
                       r"\s+of\s+(?:the\s+)?)?", text[he:e])
    if between:
        at = he + between.end()  # the first side, perhaps after a first name ('Joe Biden')
        a = [m for m in ms.starting(at, at + 25) if re.fullmatch(r"(?:[A-Z][\w.\-]*\s+){0,2}", text[at:m["char_start"]])][:1]
        if a:
            b = [m for m in ms.starting(a[0]["char_end"], a[0]["char_end"] + 60)
                 if re.fullmatch(r"\s+and\s+(?:the\s+)?(?:[A-Za-z.\-]+\s+){0,3}?", text[a[0]["char_end"]:m["char_start"]])]
            if b:
                parties, first = [a[0], b[0]], a[0]
    if not parties:
        verb = _MET_BEFORE.search(text, max(s, hs - 90), hs)
        if verb:
            subj = [m for m in ms.starting(s, verb.start())]
            codes = {m["country"] for m in subj}
            # exactly two sides named before the verb, and only they: 'their summit', or leaders who meet
            leaders = all(m["kind"] == "leader" for m in subj) or re.search(r"\bleaders?\s+of\b", text[s:verb.start()], re.I)
            if len(codes) == 2 and (re.search(r"\btheir\b", text[verb.start():hs]) or leaders):
                parties, first = subj, subj[0]
    codes = {m["country"] for m in parties}
    if len(codes) != 2:
        return
    year = _year_near(text, hs, he) or _year_in(text[s:e])
    place = _PLACE_VERB.search(text, first["char_start"], e)
    host = None
    if place:
        at = [c for c in ms.at(place.end()) if c["kind"] in ("name", "capital") and c["country"] not in codes] or \
             [c for c in ms.at(place.end()) if c["kind"] in ("name", "capital")]
        host = at[0] if at else None
    info = _described_info(codes, kind, year)
    if host:
        info.update(place=host["surface"], host=host["country"])
    found.add(info, hs, he, None, "surface", parties=sorted(codes))


def _year_in(sentence):
    m = re.search(r"\b(?:[Ii]n|[Ss]ince)\s+(?:[A-Z][a-z]+\s+)?" + _YEAR + r"\b", sentence)
    return int(m.group(1)) if m else None


class _Shifted:
    "A match in a lower-cased slice, read back in the text's own offsets and letters."

    def __init__(self, m, offset, text):
        self._start, self._end, self._text = m.start() + offset, m.end() + offset, text

    def start(self):
        return self._start

    def end(self):
        return self._end

    def group(self):
        return self._text[self._start:self._end]


def _head_hits(text, s, e):
    "(start, end, kind) of 'an agreement', 'a comprehensive strategic partnership', 'a feasible roadmap' …"
    heads = head_kinds()
    out = []
    lowered = text[s:e].lower()
    if len(lowered) != e - s:
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text[s:e])
    for m in _rx()["head_lower"].finditer(lowered):
        m = _Shifted(m, s, text)
        head = re.sub(r"[\s\-]+", " ", m.group().lower())
        kind = heads.get(head)
        if kind not in ("agreement", "trade_deal", "action_plan", "partnership", "framework", "summit") or head in \
                ("charter", "declaration", "arrangement", "compact", "convention", "protocol", "framework",
                 "mechanism", "network", "regime", "architecture"):
            continue
        if text[m.start():m.start() + 1].isupper() and m.start() > s + 1 and text[m.start() - 2] not in ".\n":
            continue  # part of a capitalised name, found as a name
        # the adjectives right before the head belong to it ("a comprehensive strategic partnership")
        det = re.search(r"\b(?:an?|the|their|its|this)\s+((?:(?!and\b|or\b|of\b|with\b)[a-z][a-z\-]*\s+){0,5})$",
                        text[max(s, m.start() - 80):m.start()])
        start = m.start() - (len(det.group(1)) if det else 0)
        out.append((start, m.end(), kind))
    return out


def _sanctions(found, text, mentions):
    "'sanctions on Russia', 'an embargo on Qatar', 'those against Iran', 对俄制裁 -> Sanctions on <country>."
    rx = _rx()
    for m in mentions:
        if m["kind"] == "leader":
            continue
        before = text[max(0, m["char_start"] - 80):m["char_start"]]
        hit = rx["sanction_en"].search(before) or rx["sanction_before"].search(before)
        zh = _CJK.match(m["surface"]) and (re.search(r"对$", text[max(0, m["char_start"] - 1):m["char_start"]]) and
                                           re.match(r"(?:的|(?:实施|实行|进行|采取|施加|发起|出台|宣布|延长|扩大|加强)了?)?(?:" + _ZH_ROUND + r"|单边|全面|经济|金融|"
                                                    r"严厉|新的|更多|进一步|贸易|武器|石油)*(?:制裁|禁运|封锁)",
                                                    text[m["char_end"]:m["char_end"] + 12]) or
                                           re.search(r"制裁$", text[max(0, m["char_start"] - 2):m["char_start"]]))
        under = None if hit or zh else rx["zh_sanction_under" if _CJK.match(m["surface"]) else "sanction_under"].match(
            text, m["char_end"])
        if not hit and not zh and not under:
            continue
        start = m["char_start"] - (len(before) - hit.start()) if hit else m["char_start"] - 1
        end = m["char_end"]
        if under:  # the span is the sanctions' own words, after the country
            start, end = under.start(1) if under.group(1) else under.start(2), under.end(2)
            word = {"禁运": "embargo", "封锁": "blockade", "制裁": "sanctions"}.get(under.group(2), under.group(2).lower())
        elif hit:
            word = hit.group(1).lower() if hit.lastindex else "sanctions"
        else:  # 对古巴实施禁运 / 封锁
            tail = re.match(r"[^，。；]{0,10}?(制裁|禁运|封锁)", text[m["char_end"]:m["char_end"] + 14])
            word = {"禁运": "embargo", "封锁": "blockade"}.get(tail.group(1) if tail else "", "sanctions")
        if word == "blockade" and re.search(r"(?:经济|金融|贸易|商业)封锁", text[max(0, end - 6):end + 6]):
            word = "embargo"  # 经济封锁: an embargo, not a naval blockade
        noun = "Embargo" if word.startswith("embargo") else "Blockade" if word == "blockade" else "Sanctions"
        from .names import country_name, country_name_zh

        iid = slug("%s on %s" % (noun, country_name(m["country"])))
        info = _info(iid, name="%s on %s" % (noun, country_name(m["country"])), kind="sanctions",
                     name_zh="对%s%s" % (country_name_zh(m["country"]), "禁运" if noun == "Embargo" else "制裁"))
        info["target"] = m["country"]
        extra = {}
        imposer = re.search(r"(?:^|[^\w])(\S+)\s+(?:\w+\s+){0,6}?(?:imposed|slapped|levied|placed|maintains|maintained|"
                            r"announced|tightened|lifted|eased)\s+(?:\w+\s+){0,4}?$", text[max(0, start - 120):start])
        if under:  # "under a U.S. embargo": the country in the sanctions' own words imposes them
            subj = [c for c in mentions.starting(start, end) if c["country"] != m["country"]]
            if subj:
                extra["imposer"] = subj[0]["country"]
        elif imposer:
            subj = [c for c in mentions.starting(start - 120, start) if c["country"] != m["country"]]
            if subj:
                extra["imposer"] = subj[0]["country"]
        elif zh:
            # 欧盟对俄罗斯实施…制裁: the country right before 对 imposes them
            subj = [c for c in mentions.starting(start - 12, start) if c["char_end"] <= start and
                    c["country"] != m["country"] and _ZH_SUBJECT_GAP.fullmatch(text, c["char_end"], start)]
            if subj:
                extra["imposer"] = subj[-1]["country"]
                # 美国和欧盟对伊朗实施…制裁: each of a list before 对
                more = [c for c in mentions.starting(start - 40, subj[-1]["char_start"]) if c["country"] != m["country"]]
                joined = [subj[-1]]
                for c in reversed(more):
                    if re.fullmatch(r"\s*(?:、|和|与|及|以及|同)\s*", text[c["char_end"]:joined[-1]["char_start"]]):
                        joined.append(c)
                    else:
                        break
                if len(joined) > 1:
                    extra["imposers"] = [c["country"] for c in joined]
        found.add(info, start, end, None, "surface", target=m["country"], **extra)


def _coalitions(found, text, mentions):
    "'the Saudi-led coalition fighting in Yemen', 'U.S.-led coalition', 'the US and its coalition partners'."
    rx = _rx()
    from .names import country_name

    for m in mentions:
        led = rx["led"].match(text, m["char_end"])
        if not led or led.group(3).lower() not in ("coalition", "alliance"):
            continue
        end = m["char_start"] + (led.end() - m["char_end"]) + (m["char_end"] - m["char_start"])
        qual = re.match(r"\s+(?:\w+\s+){0,2}?(?:in|against)\s+(?:the\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)",
                        text[end:end + 60])
        qualifier = None
        if qual:
            inner = mentions.at(end + qual.start(1))
            qualifier = ("in " + country_name(inner[0]["country"])) if inner else "against " + qual.group(1)
        leader = country_name(m["country"])
        name = "%s-led coalition%s" % (leader, " " + qualifier if qualifier else "")
        found.add(_info(slug(name), name=name, kind="coalition"), m["char_start"], end,
                  text[m["char_start"]:end], "surface", chair=m["country"])
    most_named = False
    for cm in re.finditer(r"\b(?:its|their)\s+coalition\s+(?:partners|allies|members)\b|\bcoalition\s+(?:forces|troops|"
                          r"partners|aircraft|air\s*strikes?|airstrikes?|warplanes|jets|members)\b", text) \
            if "coalition" in text else ():
        if found.covered(cm.start(), cm.end()):
            continue
        at = cm.start() + cm.group().index("coalition")
        led = found.first_of_kind.get("coalition")
        if led:
            found.add(found.items[led["id"]], at, cm.end(), None, "backref")
            continue
        where = [c for c in mentions.starting(cm.end(), cm.end() + 80) if
                 re.search(r"\b(?:in|over)\s+(?:the\s+)?$", text[max(0, c["char_start"] - 8):c["char_start"]])]
        if not where:
            if most_named is False:  # the country the article names most, counted once
                counts = {}
                for c in mentions:
                    if c["kind"] in ("name", "capital"):
                        counts[c["country"]] = counts.get(c["country"], 0) + 1
                most_named = max(counts, key=counts.get) if counts else None
            where_code = most_named
        else:
            where_code = where[0]["country"]
        if not where_code:
            continue
        name = "Coalition in %s" % country_name(where_code)
        found.add(_info(slug(name), name=name, kind="coalition"), at, cm.end(), "coalition", "surface")


def _zh(found, text, mentions, date=None):
    "Chinese: 《…协定》 titles, abbreviation dyads before a head (中俄全面战略协作伙伴关系, 中美峰会)."
    rx = _rx()
    for m in rx["book"].finditer(text):
        inner = m.group(1)
        if found.covered(m.start(), m.end()) or rx["zh_domestic"].search(inner) or not rx["zh_treaty"].search(inner):
            continue
        head = rx["zh_heads"].findall(inner)
        kind = kind_of_head(head[-1]) if head else "agreement"
        inside = _mentions_between(mentions, m.start(), m.end())
        found.add(_info(slug(inner), name=inner, name_zh=inner, kind=kind,
                        parties=[c["country"] for c in inside] if len({c["country"] for c in inside}) >= 2 else []),
                  m.start(), m.end(), inner, "coined")
    abbrev = _zh_abbrev()
    if not _CJK.search(text):
        return
    for m in _zh_dyad().finditer(text):
        if found.covered(m.start(), m.end()):
            continue
        codes, i, chars = [], 0, m.group(1)
        while i < len(chars):
            two = chars[i:i + 2]
            step = 2 if two in abbrev else 1
            codes.append(abbrev[chars[i:i + step]])
            i += step
        if len(set(codes)) < 2:
            continue
        kind = kind_of_head(m.group(3))
        if kind in ("organisation", "conference", "sanctions"):
            continue
        year = re.search(_YEAR + r"年[^。]{0,6}$", text[max(0, m.start() - 12):m.start()])
        year = int(year.group(1)) if year else None
        if kind in EVENT_KINDS:
            # a meeting of two named parties is kept apart by its year, as in English (中美元首会晤于2023年11月…)
            after = re.match(r"(?:将|已|正)?于?" + _YEAR + r"年", text[m.end():m.end() + 10])
            year = year or (int(after.group(1)) if after else None) or \
                (int(date[:4]) if date and re.match(r"\d{4}", date) else None)
        info = _described_info(set(codes), kind, year if kind in ("agreement", "trade_deal") or kind in EVENT_KINDS
                               else None, surface=m.group())
        found.add(info, m.start(), m.end(), m.group(), "surface", parties=set(codes))


_ZH_PAIR_GAP = re.compile(r"\s*(?:和|与|同|及|、)\s*")
_ZH_AGREE = re.compile(r"(?:两国)?(?:政府|双方)?[^，。；、]{0,6}?(?:签署|签订|达成|缔结|建立|宣布建立|升级为|续签)(?:了)?"
                       r"(?:一项|一份)?([^，。；]{0,14}?)")
_ZH_DESCRIBED_KINDS = {"agreement", "trade_deal", "action_plan", "partnership", "framework", "corridor", "project"}


@lru_cache(maxsize=None)
def _zh_agree():
    return regex(_ZH_AGREE.pattern + "(%s)" % _rx()["zh_heads"].pattern)


def _zh_agreed(found, text, mentions, sentences):
    "Two countries named in full, then what they signed or set up: 中国和新加坡签署了…协定, 越南与日本建立…伙伴关系."
    for a, b in zip(mentions, mentions[1:]):
        if not (_CJK.match(a["surface"]) and _CJK.match(b["surface"])) or a["country"] == b["country"] or \
                not _ZH_PAIR_GAP.fullmatch(text, a["char_end"], b["char_start"]):
            continue
        verb = _zh_agree().match(text, b["char_end"])
        if not verb:
            continue
        kind = kind_of_head(verb.group(2))
        start, end = verb.start(1), verb.end(2)
        if kind not in _ZH_DESCRIBED_KINDS or found.covered(start, end):
            continue
        parties = {a["country"], b["country"]}
        year = re.search(_YEAR + r"年", text[max(0, a["char_start"] - 12):end])
        info = _described_info(parties, kind, int(year.group(1)) if year and kind in ("agreement", "trade_deal")
                               else None, surface=text[start:end])
        found.add(info, start, end, text[start:end], "surface", parties=parties)


_ZH_MET = re.compile(r"(?:两国元首|两国领导人)?[^，。；]{0,14}?(?:举行|进行)(?:了)?(?:首次|第[〇一二两三四五六七八九十\d]{1,3}次|双边|"
                     r"非正式)?(会晤|峰会|首脑会晤|元首会晤)")


def _zh_met(found, text, mentions, date):
    """Two leaders who meet: 习近平同普京在莫斯科举行会晤 -> a summit of their two countries, kept apart by year as in
    English ('X and Y met in Moscow for a summit'), hosted by the country of the place (在<capital>)."""
    for a, b in zip(mentions, mentions[1:]):
        if a["kind"] != "leader" or b["kind"] != "leader" or a["country"] == b["country"] or \
                not (_CJK.match(a["surface"]) and _CJK.match(b["surface"])) or \
                not _ZH_PAIR_GAP.fullmatch(text, a["char_end"], b["char_start"]):
            continue
        met = _ZH_MET.match(text, b["char_end"])
        if not met or found.covered(met.start(1), met.end(1)):
            continue
        year = re.search(_YEAR + r"年", text[max(0, a["char_start"] - 12):met.end()])
        year = int(year.group(1)) if year else (int(date[:4]) if date and re.match(r"\d{4}", date) else None)
        info = _described_info({a["country"], b["country"]}, "summit", year)
        place = [c for c in mentions.starting(b["char_end"], met.start(1)) if c["kind"] in ("name", "capital")
                 and text[c["char_start"] - 1:c["char_start"]] == "在"]
        if place:
            info.update(place=place[0]["surface"], host=place[0]["country"])
        found.add(info, met.start(1), met.end(1), None, "surface", parties={a["country"], b["country"]})


@lru_cache(maxsize=None)
def _zh_dyad():
    return regex(r"((?:%s){2,4})(?![洲东])([\u3400-\u9fff]{0,8}?)(%s)" % (
        "|".join(sorted(_zh_abbrev(), key=len, reverse=True)), _rx()["zh_heads"].pattern))


@lru_cache(maxsize=None)
def _zh_abbrev():
    from .catalogue import data

    return data("participation_cues.json")["zh_abbreviations"]


@lru_cache(maxsize=None)
def _user_heads():
    "(entry, compiled head nouns) for the user's entries with parties and heads."
    return [(item, regex("|".join(r"(?<![A-Za-z])%s(?![A-Za-z])" % re.escape(h).replace(r"\ ", r"[\s\-]+")
                                  for h in sorted(item["heads"], key=len, reverse=True)), re.I))
            for item in known().values() if item["source"] == "user" and item.get("parties") and item.get("heads")]


def _user_parties(found, text, mentions, sentences):
    "A user entry's parties all named in one sentence with one of its head nouns (initiatives.json 'heads')."
    named_in = []
    if not _user_heads() or len(mentions) < 2:
        return  # no entry to look for, or too few countries named for any
    starts = mentions.starts
    for s, e in sentences:
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        if hi - lo < 2:
            continue  # (most sentences: one country or none, never two different ones)
        named = {m["country"] for m in mentions[lo:hi]}
        if len(named) >= 2:
            named_in.append((s, e, named))
    for item, heads in _user_heads() if named_in else ():
        for s, e, named in named_in:
            if not set(item["parties"]) <= named:
                continue
            for h in heads.finditer(text, s, e):
                if not found.covered(h.start(), h.end()) and not _is_generic(text, h.start(), h.end()):
                    found.add(_known_info(item["id"]), h.start(), h.end(), None, "surface", parties=set(item["parties"]))


def discover(text, mentions, date=None, sentences=()):
    """(initiatives {id: info}, spans) for one text; `mentions` are extract_countries' output for it,
    `sentences` its sentence spans, `date` the article's ISO date (editions without a year take its year)."""
    found = Found()
    mentions = Mentions(mentions)
    _known(found, text, mentions, date)
    _sub_initiatives(found, text)
    _resolutions(found, text)
    _coined(found, text, mentions)
    _defined_acronyms(found, text)
    _sanctions(found, text, mentions)
    _coalitions(found, text, mentions)
    _dyads(found, text, mentions, date)
    _zh(found, text, mentions, date)
    _user_parties(found, text, mentions, sentences)
    if _CJK.search(text):
        _zh_agreed(found, text, mentions, sentences)
        _zh_met(found, text, mentions, date)
    _agreed(found, text, mentions, sentences)
    found.spans.sort(key=lambda s: (s["start"], -s["end"]))
    return found.items, found.spans
