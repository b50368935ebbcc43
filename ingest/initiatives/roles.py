"""A country's role in an initiative, read from the words between them in one sentence (English and
Chinese), and the date the text gives it.

Each rule is a pattern over the gap between a country mention and an initiative mention (country first:
"Finland joined NATO", "Saudi-led coalition", 韩国担任主席; initiative first: "NATO ally Germany", "hosted by
Japan", "summit in Osaka", 对俄制裁) or over the text right before the country ("sanctions on Iran",
"members (… and the European Union)"). The first rule that fits wins; a country with no rule is
`mentioned`. The rules and their cue words live in data/participation_cues.json (with their sources); this
module compiles them and holds the conditions a rule's `tag` names. The vocabulary is grammar (verbs, nouns
of membership), not knowledge of any initiative.
"""
import re
from functools import lru_cache

from ..cache import regex  # re.compile, the compiled code kept across processes
from .catalogue import EVENT_KINDS, data
from .spans import Mentions

ROLES = ("host", "chair", "member", "joined", "candidate", "signatory", "ratified", "party", "partner",
         "participant", "withdrawn", "suspended", "expelled", "target", "observer", "mentioned")
# when two rules give one country two roles in one sentence, the more specific one is kept
PRIORITY = {r: i for i, r in enumerate(("withdrawn", "expelled", "suspended", "candidate", "observer", "joined",
                                        "ratified", "signatory", "chair", "host", "target", "member", "partner",
                                        "party", "participant", "mentioned"))}
AGREEMENT_KINDS = {"agreement", "trade_deal", "action_plan", "project", "corridor", "process"}
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]

# the conditions this module checks for a rule's `tag` (data/participation_cues.json)
TAGS = {"before": {"pull", "apposition", "member_after", "alone", "dues", "between", "filed", "in_for", "launch", "owner",
                   "subject_at", "subject_any", "subject", "zh_chair_before", "member_after_zh", "zh_agreed",
                   "zh_passive_target", "zh_formed", "chair_after"},
        "after": {"event", "between_parties", "zh_host", "zh_host_after", "zh_chair"}}


def _pattern(entry, word):
    "An entry's regular expression: {cues} is its cue list, {w} one word."
    p = entry["pattern"]
    if "cues" in entry:
        p = p.replace("{cues}", "|".join(entry["cues"]))
    return p.replace("{w}", word)


@lru_cache(maxsize=None)
def _cues():
    """(rules {"before": [(role, regex, tag)], "after": [...]}, {name: regex}, participle roles) compiled from
    data/participation_cues.json; a role or tag this module does not know is an error, not a silent no-op."""
    d = data("participation_cues.json")
    rules = {}
    for side in ("before", "after"):
        rules[side] = []
        for r in d[side]:
            if r["role"] not in ROLES or r.get("tag") and r["tag"] not in TAGS[side]:
                raise ValueError("participation_cues.json: unknown role or tag in %s rule %r" % (side, r))
            rules[side].append((r["role"], regex(_pattern(r, d["word"]), re.I), r.get("tag")))
    cues = {name: regex(_pattern(c, d["word"]), re.I if "i" in c.get("flags", "") else 0)
            for name, c in d["cues"].items()}
    return rules, cues, d["participle_roles"]


def _cue(name):
    return _cues()[1][name]


def _compiled():
    rules = _cues()[0]
    return rules["before"], rules["after"]


def _before_rule(text, c, span, kind, ms=Mentions()):
    "Role from the words between a country and the initiative named after it."
    gap_start, gap_end = c["char_end"], span["start"]
    if gap_end - gap_start > 240 or gap_end < gap_start:
        return None
    own = re.search(r"['’]s\s+$", text[gap_start:gap_end])
    if own:
        # "signed up to China's Belt and Road Initiative": the owner named before the initiative is part of its name
        owner = [m for m in ms.starting(gap_start, gap_end) if m["char_end"] == gap_start + own.start()]
        if owner:
            gap_end = owner[0]["char_start"]
    while gap_end > gap_start and text[gap_end - 1] in "“\"「『《":  # 加入"一带一路"倡议: the name's opening mark
        gap_end -= 1
    rules, _ = _compiled()
    if _CJK_RX.search(text, gap_start, gap_end) and (_cue("negated_zh").search(text, gap_start, gap_end) or
                                                     _cue("asks_zh").search(text, gap_start, gap_end)) or \
            _cue("negated_en").search(_cue("clause_en").split(text[gap_start:gap_end])[-1]):
        return None
    for role, rx, tag in rules:
        if not rx.fullmatch(text, gap_start, gap_end):
            continue
        if tag == "pull" and not _cue("pull_verb").search(text[max(0, c["char_start"] - 20):c["char_start"]]):
            continue
        if tag == "alone" and ms.starting(gap_start, gap_end):
            continue  # "its commitments under the WTO": its = the last country named before
        if tag == "dues" and not _cue("dues_after").match(text[span["end"]:span["end"] + 20]):
            continue
        if tag == "zh_chair_before" and not _cue("zh_chair_after").match(text[span["end"]:span["end"] + 6]):
            continue
        if tag == "member_after_zh" and not _cue("became_member_zh").match(text, span["end"]):
            continue
        if tag == "zh_agreed" and kind not in AGREEMENT_KINDS:
            continue
        if tag == "zh_passive_target" and not _cue("zh_passive_target_after").match(text[span["end"]:span["end"] + 12]):
            continue
        if tag == "apposition" and _cue("signatory_noun").search(text[gap_start:gap_end]):
            return "signatory"
        if tag == "zh_formed" and kind in AGREEMENT_KINDS:
            return "party"
        if role == "joined" and _cue("talks_after").match(text[span["end"]:span["end"] + 16]):
            return "participant"  # 加入…谈判, 'joined the RCEP negotiations': a party to the talks, not a member
        if tag == "member_after" and not _cue("member_after").match(text[span["end"]:span["end"] + 40]):
            continue
        if tag == "chair_after" and not _cue("chair_after").match(text[span["end"]:span["end"] + 30]):
            continue
        if tag == "filed" and not _cue("filed_by").search(text[max(0, c["char_start"] - 30):c["char_start"]]):
            continue
        if tag == "in_for" and not (kind in EVENT_KINDS and c["kind"] in ("name", "capital") and
                                    re.search(r"\b(?:in|at)\s+$", text[max(0, c["char_start"] - 4):c["char_start"]])):
            continue
        if tag in ("subject", "subject_any") and not (ms and ms[0] is c):
            continue
        if tag == "subject" and kind not in {"organisation"} | EVENT_KINDS:
            continue
        if tag == "subject_at" and _met_pair(text, ms, c, gap_start, gap_end):
            pass  # 'Biden met Xi Jinping at the APEC summit': both who meet are there
        elif tag in ("launch", "subject_at") and not (ms and ms[0] is c and not any(
                m["country"] != c["country"] for m in ms.starting(gap_start, gap_end))):
            continue  # the sentence's subject, nobody else named between
        if tag == "launch":
            role = "party" if kind in AGREEMENT_KINDS else "host" if kind in EVENT_KINDS else role
        if tag == "subject_at" and kind not in EVENT_KINDS:
            continue
        if tag == "owner":
            role = "party" if kind in AGREEMENT_KINDS else "host" if kind in EVENT_KINDS else role
        if tag == "between" and not _cue("war_between").search(text[max(0, c["char_start"] - 40):c["char_start"]]):
            continue
        after = text[span["end"]:span["end"] + 25]
        if role == "observer" and not _cue("observer_word").search(text[gap_start:span["end"] + 25]):
            continue
        if role == "member" and _cue("zh_copula").fullmatch(text[gap_start:gap_end]):
            if _cue("observer_zh").match(after):
                return "observer"
            if not _cue("member_zh").match(after):
                continue
            if kind in AGREEMENT_KINDS:
                return "party"  # 是伊核协议的缔约方
        if role == "member" and _cue("and_its").match(text[gap_start:gap_end]) and \
                not _cue("members_plural").search(text[span["start"]:span["end"] + 25]):
            continue
        if role == "member" and _cue("is_in_the").match(text[gap_start:gap_end]) \
                and kind not in ("organisation", "alliance", "bloc"):
            continue
        if role == "host" and kind not in EVENT_KINDS and not _cue("based").search(text[gap_start:gap_end]):
            continue
        if role == "participant" and _cue("litigation_verbs").search(text[gap_start:gap_end]) \
                and kind not in {"organisation"} | EVENT_KINDS:
            continue
        return role
    # "Norway, a NATO member" / "Colombia, a NATO partner" / "Germany, a NATO ally"
    if _cue("apposition_article").fullmatch(text[gap_start:gap_end]):
        after = text[span["end"]:span["end"] + 25]
        if _cue("partner_after").match(after):
            return "partner"
        if _cue("observer_after").match(after):
            return "observer"
        if _cue("member_noun").match(after):
            return "member"
    return None


def _met_pair(text, ms, c, gap_start, gap_end):
    "The sentence opens with one side meeting another ('Biden met Xi Jinping'): c is one of the two, nobody else between."
    if len(ms) < 2 or not _cue("met_with").fullmatch(text, ms[0]["char_end"], ms[1]["char_start"]):
        return False
    pair = (ms[0], ms[1])
    return any(c is m for m in pair) and all(any(m is p for p in pair) for m in ms.starting(gap_start, gap_end))


def _after_rule(text, span, c, kind):
    "Role from the words between an initiative and a country named after it."
    gap_start, gap_end = span["end"], c["char_start"]
    if gap_end - gap_start > 200 or gap_end < gap_start:
        return None
    if text[gap_start:gap_start + 1] in ")）":  # "… Forum (ILF) is chaired by Korea"
        gap_start += 1
    role = _after_gap(text, span, c, kind, gap_start, gap_end)
    if role:
        return role
    # the clause nearest the country: "FORGE, chaired by Australia until September, counts members including Chile"
    for comma in reversed([m.end() for m in re.finditer(r"[,，]", text[gap_start:gap_end])]):
        role = _after_gap(text, span, c, kind, gap_start + comma, gap_end)
        if role in ("member", "partner", "party", "target"):
            return role
    return None


def _after_gap(text, span, c, kind, gap_start, gap_end):
    _, rules = _compiled()
    for role, rx, tag in rules:
        if tag == "zh_host":
            # 峰会将在大阪举行: the place between 在 and 举行
            if rx.search(text, max(gap_start, gap_end - 3), gap_end) and _cue("host_zh").match(text, c["char_end"]) and \
                    (gap_end - gap_start <= 6 or _cue("zh_event_gap").fullmatch(text, gap_start, gap_end)):
                return role
            continue
        if tag == "zh_host_after":
            if rx.fullmatch(text, gap_start, gap_end) and _cue("zh_hosts_after").match(text[c["char_end"]:c["char_end"] + 6]):
                return role
            continue
        if tag == "zh_chair":
            if rx.fullmatch(text, gap_start, gap_end) and _cue("chair_zh").match(text[c["char_end"]:c["char_end"] + 12]):
                return role
            continue
        if not rx.fullmatch(text, gap_start, gap_end):
            continue
        if tag == "event" and (kind not in EVENT_KINDS or c["kind"] not in ("name", "capital")):
            continue
        if tag == "between_parties" and (kind not in AGREEMENT_KINDS or _cue("conflict_words").search(text[gap_start:gap_end])):
            continue
        if role == "member" and _cue("ally_after").match(text, gap_start) and kind not in ("alliance",):
            return "partner"
        if role == "member" and _cue("partners_gap").match(text[gap_start:gap_end]) and kind not in ("coalition",):
            return "partner"
        if role == "member" and _cue("includes").search(text[gap_start:gap_end]) and \
                kind in AGREEMENT_KINDS:
            return "party"
        if role == "member" and _cue("zh_members_gap").fullmatch(text[gap_start:gap_end]) is None and \
                _CJK_RX.search(text[gap_start:gap_end]):
            continue
        return role
    return None


_CJK_RX = re.compile(r"[\u3400-\u9fff]")


def _list_members(text, c, prior):
    "A country in a list after one with a role ('EU countries — Austria, Slovakia, Cyprus and Greece')."
    return prior and _cue("list_separator").fullmatch(text[prior["char_end"]:c["char_start"]])


def _member_paren(text, s, c):
    "'… with 156 members (155 States and the European Union)': the countries inside the parenthesis."
    return _cue("members_paren").search(text[max(s, c["char_start"] - 80):c["char_start"]])


def _participle(text, s, span):
    "'20 years after joining the Mediterranean Dialogue, Tunisia entered …': the role of the clause's subject."
    m = _cue("participle").search(text[max(s, span["start"] - 60):span["start"]])
    return _cues()[2].get(re.sub(r"\s+", " ", m.group(1).lower())) if m else None


# how far from a country mention a rule reads: the gap before an initiative (240, and a list's next member), after
# one (200); beyond it no rule fits and only the nearest initiative is `mentioned`
_REACH_BEFORE, _REACH_AFTER = 340, 240


def role_of(text, s, e, c, spans, items, ms, near=None):
    """[(role, span)] for country mention `c` in sentence [s, e) with initiative `spans` (or `near`, a
    spans.Nearby of them): for each initiative the first rule that fits; when none fits, [("mentioned",
    nearest initiative)]."""
    out = []
    if not isinstance(ms, Mentions):
        ms = Mentions(ms)
    reach = near.around(c["char_start"] - _REACH_AFTER, c["char_end"] + _REACH_BEFORE) if near else spans
    for span in reach:
        kind = items[span["id"]]["kind"]
        role = None
        if span.get("target") == c["country"] and abs(span["end"] - c["char_end"]) < 3:
            role = "target"
        elif span.get("chair") == c["country"] and span["start"] <= c["char_start"] < span["end"]:
            role = "chair"
        elif c["char_end"] <= span["start"]:
            role = _before_rule(text, c, span, kind, ms)
            if role is None:
                # "the Russian and Venezuelan delegations attending …": a list shares its last member's role
                # "法国、德国和英国是…的缔约方": walk the list to its member nearest the initiative
                prev = c
                while role is None:
                    nxt = ms.starting(prev["char_end"], span["start"])[:1]
                    if not (nxt and _list_members(text, nxt[0], prev)):
                        break
                    role = _before_rule(text, nxt[0], span, kind, ms)
                    role = None if role == "host" else role
                    prev = nxt[0]
        elif span["end"] <= c["char_start"]:
            role = _after_rule(text, span, c, kind)
            if role is None and _member_paren(text, s, c) and kind in ("organisation", "alliance", "bloc"):
                role = "member"
            if role is None:
                p = _participle(text, s, span)
                first = ms.starting(span["end"], e + 1)[:1]
                if p and first and first[0] is c and re.search(r",\s*(?:the\s+)?$", text[span["end"]:c["char_start"]][-12:] or ","):
                    role = p
        if role == "target" and span["end"] <= c["char_start"] and any(
                span["end"] <= o["start"] < c["char_start"] for o in reach if o is not span):
            role = None  # "the EU's new sanctions against Russia": the sanctions' target, not the EU's
        if role:
            out.append((role, span))
    if out:
        return out
    if near:
        return [("mentioned", near.nearest(c["char_start"], c["char_end"]))]
    return [("mentioned", min(spans, key=lambda sp: _distance(c, sp)))]


def _distance(c, span):
    return span["start"] - c["char_end"] if c["char_end"] <= span["start"] else c["char_start"] - span["end"]


def party_role(kind, text, s, e, span):
    "The role of a described initiative's parties: signed, ratified, took part, or simply a side."
    if kind in EVENT_KINDS or kind == "dialogue":
        return "participant"
    if kind in ("coalition", "alliance", "bloc", "organisation"):
        return "member"
    if kind in AGREEMENT_KINDS or kind == "partnership":
        # the verb must be the initiative's own: "signed an agreement", "the accord was signed in March"
        near = text[max(s, span["start"] - 40):min(e, span["end"] + 30)]
        if _cue("ratified").search(near):
            return "ratified"
        if _cue("signed").search(near):
            return "signatory"
    return "party"


# --- dates ----------------------------------------------------------------------------------------------

_DATE_EN = re.compile(r"\b(?:in|In|since|Since|on|On|from|From|by|By)\s+(?:(?:early|late|mid-?)\s*)?"
                      r"(?:(January|February|March|April|May|June|July|August|September|October|November|December)"
                      r"(?:\s+(\d{1,2}))?(?:,)?\s*)?((?:19|20)\d{2})?\b")
_DATE_ZH = re.compile(r"((?:19|20)\d{2})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?")
_UNTIL_EN = re.compile(r"\b(?:until|till|through)\s+(?:the\s+end\s+of\s+)?(January|February|March|April|May|June|July|"
                       r"August|September|October|November|December)?(?:\s+)?((?:19|20)\d{2})?", re.I)
_UNTIL_ZH = re.compile(r"(?:直至|直到|至)((?:19|20)\d{2})?年?(\d{1,2})月")


def role_dates(sentence, role, date):
    """(valid_from, valid_to) the sentence gives a role ('joined in April 2023', 'signed in 2019', 'until June',
    直至6月); `date` (the article's ISO date) fills a missing year and is valid_from when the text gives none."""
    start = end = None
    m = _UNTIL_EN.search(sentence)
    zh = _UNTIL_ZH.search(sentence)
    if zh:
        # without an article date to find its year, the text's own words ("直至6月") are kept
        end = _ym(zh.group(1), zh.group(2), date, future=True) or zh.group(0)
    elif m and (m.group(1) or m.group(2)):
        end = _ym(m.group(2), _MONTHS.index(m.group(1).lower()) + 1 if m.group(1) else None, date, future=True) \
            or m.group(0)
    for dm in _DATE_EN.finditer(sentence):
        month, day, year = dm.group(1), dm.group(2), dm.group(3)
        if m and m.start() <= dm.start() < m.end():
            continue
        if year or month:
            if not year and not date:
                continue
            mo = _MONTHS.index(month.lower()) + 1 if month else None
            start = _ym(year, mo, date, future=False)
            if start and day and mo:
                start += "-%02d" % int(day)
            break
    if not start:
        dz = _DATE_ZH.search(sentence)
        if dz:
            start = dz.group(1) + ("-%02d" % int(dz.group(2)) if dz.group(2) else "")
            if dz.group(2) and dz.group(3):
                start += "-%02d" % int(dz.group(3))
    return start or (date[:10] if date else None), end


def _ym(year, month, date, future):
    if year and not month:
        return str(year)
    if not month:
        return None
    if year:
        return "%s-%02d" % (year, int(month))
    if date and re.match(r"\d{4}-\d{2}", date):
        y, mo = int(date[:4]), int(date[5:7])
        if future and int(month) < mo:
            y += 1
        if not future and int(month) > mo:
            y -= 1
        return "%d-%02d" % (y, int(month))
    return None
