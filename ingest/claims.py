"""Claim mentions in an article (English and Chinese): who said what, who passed it on, was it confirmed.

extract_claims(text, language) -> [claim mention dict] (contract in docs/architecture.md). Rule- and
lexicon-based, pure and cheap: cue words live in data/claim_cues.json, titles and cross-language forms in
data/speakers.json, units in data/units.json. Only claims are returned: quotations attributed to someone,
figures, commitments, and reported speech; the article's own unattributed prose without a figure or a
commitment is not a claim.
"""
import re
from functools import lru_cache

from .extract import is_boilerplate_line
from .quantities import extract_quantities
from .sentences import cues, segment_heading, sentence_lang, split_sentences
from .speakers import (CAPSEQ, bare, classify_np, classify_zh, new_context, register_names,
                       register_outlet)

EXTRACTOR = "rules-v1"
_MAX_UNIT = 4000  # a merged multi-sentence quotation never grows beyond this many characters

_WORD = re.compile(r"[\w'’\-]+")
# words that open a described speaker ("the officials", "several aides"): the left_det pattern and its precheck
_DETERMINERS = ("the", "a", "an", "one", "two", "three", "four", "five", "several", "some", "many", "other", "most",
                "multiple", "his", "her", "their", "its", "this", "another")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _stem_index(stems):
    "Word-start stems indexed by their first two letters, for _has_stem."
    index = {}
    for st in stems:
        index.setdefault(st[:2], []).append(st)
    return {k: tuple(v) for k, v in index.items()}


def _has_stem(words, index):
    """Does a word start with one of the stems? A dict lookup per word instead of comparing every word with
    every stem: this precheck runs for every sentence."""
    for w in words:
        cands = index.get(w[:2])
        if cands and w.startswith(cands):
            return True
    return False


def _alts(words):
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=None)
def _rx():
    c = cues()
    en, zh = c["en"], c["zh"]
    r = {}
    r["verb1"] = frozenset(v for v in en["speech_verbs"] if " " not in v)
    r["verb2"] = frozenset(v for v in en["speech_verbs"] if " " in v)
    phrases = {}
    for v in sorted(r["verb2"], key=lambda v: -len(v)):
        phrases.setdefault(v.split()[0], []).append(" ".join(v.split()))
    r["phrases"] = phrases  # first word -> phrases starting with it, longest first
    r["weak"] = frozenset(en["weak_verbs"])
    r["naming"] = frozenset(en["naming_verbs"])
    r["verb_first"] = r["verb1"] | frozenset(v.split()[0] for v in r["verb2"])
    r["according_first"] = frozenset(w.split()[0].lower() for w in en["according_to"])
    r["according_phrases"] = tuple(sorted({w.lower() for w in en["according_to"]}))
    r["aux_set"] = frozenset(a.lower() for a in en["aux"])
    r["passive"] = re.compile(r"\b(?:was|were|is|are|be|been|being|so|to|not)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
    r["according"] = re.compile(
        r"(?<![\w])(?:%s)\s+(?P<np>(?:reports? from\s+)?(?:the\s+|a\s+|an\s+|multiple\s+|several\s+|some\s+|local\s+|state\s+)?"
        r"(?:(?-i:%s)|[a-z][a-z\-]+(?:\s+[a-z][a-z\-]+){0,3})(?:['’]s\s+[\w\s]{1,30}?)?"
        # "a Democrat familiar with his remarks", "officials at the Pentagon": who they are, up to the clause end
        r"(?:\s+(?:familiar with|close to|with knowledge of|briefed on|involved in|at|of|from|for|with|in"
        # "an industry report published last month by the X Institute": the document and who wrote it
        r"|(?:published|released|issued|compiled|prepared|commissioned|produced|conducted)[^,.;:\"]{0,30}?\s+by)"
        r"\s+[^,.;:\"]{1,60}?)?)"
        r"(?=[,.;:]|\s+(?:that|on|in|said|and|which|who)\b|$)"
        % (_alts(en["according_to"]), CAPSEQ), re.IGNORECASE)
    r["outlet_verbs"] = frozenset(v.split()[0] for v in en["outlet_subject_verbs"])
    # Speaker phrases at the end of the text left of a speech verb.
    name_np = r"(?:%s)(?:\s*\([^)]{1,40}\))?" % CAPSEQ
    r["left_app"] = re.compile(
        r"(?:^|(?<=, )|(?<=; )|(?<=” )|(?<=\" )|(?<=that )|(?<=and )|(?<=but ))(?:(?:As|But|And|So|Then|Yet|Still)\s+)?"
        r"(?!(?:In|On|At|From|For|After|Before|During|With|By|As|When|While|Since|Under|Over)\s)"
        r"(?P<np>%s)\s*,\s*(?P<app>[^;:\"“”]{2,160}?),\s*$" % name_np)
    r["left_inner_name"] = re.compile(r"[\w’'],\s+(?P<np>%s),\s*$" % name_np)
    r["left_name"] = re.compile(r"(?P<np>%s)\s*$" % name_np)
    r["left_pron"] = re.compile(r"(?<![\w])(?P<np>he|she|they|it|we|i|who)\s*$", re.IGNORECASE)
    r["left_det"] = re.compile(
        r"(?:^|[,;:]\s*|[\"“”]\s*|\b(?:and|but|while|as|because|that|after|when|since|though)\s+)"
        r"(?P<np>(?:%s|(?-i:%s)['’]s)"
        r"\s+[^,;:\"“”()]{1,70}?)\s*$" % ("|".join(_DETERMINERS), CAPSEQ), re.IGNORECASE)
    r["left_bare"] = re.compile(r"(?:^|[,;:]\s*|[\"“”]\s*|\b(?:and|but|that|because|while|as)\s+)(?P<np>(?:(?:many|most|some|several|few|other|[A-Za-z][\w’'\-]*)\s+){0,2}[a-z\-]+s(?:\s+(?:with|of|from|in|at|for|close to)\s+[^,;:\"“”]{2,50})?)\s*$")
    r["det_set"] = frozenset(_DETERMINERS)
    r["group_heads"] = frozenset(w.lower() for w in en["group_heads"])
    r["time_set"] = frozenset(w.lower() for w in en["time_words"])
    tw = _alts(en["time_words"])
    # "on Tuesday", "last week", "Tuesday night": when, not who; skipped between a speaker and the verb
    r["time_tail"] = re.compile(r"(?:,\s*)?\s+(?:(?:on|last|this|next|early|late|earlier|later|in|by)\s+)?(?:(?:%s)\s+)?(?:%s)(?:\s+\d{1,2})?\s*,?$" % (tw, tw))
    # ", when contacted by Reuters," / ", in a statement," between a speaker and the verb
    r["paren_tail"] = re.compile(r",\s*(?:when|while|after|before|as|if|in|at|on|during|speaking|asked|reached|contacted|writing|responding|according)\b[^,;:\"]{1,80},\s*$")
    r["lead_particle"] = re.compile(r"^(?:Even|Only|But|And|So|Yet|Still|Now|Meanwhile|However|Instead|Indeed|Also)\s+")
    r["relative"] = re.compile(r"^(?P<head>[^,;:\"]{2,80}?)\s+(?:who|which|that)\s+[^,;:\"]{2,100}$")
    r["passive_cue"] = re.compile("|".join("(?:%s)" % p for p in en["passive_cues"]), re.IGNORECASE)
    # word-start stems of the agentless patterns, tested against the sentence's word set
    r["passive_pre"] = _stem_index(("expect", "believ", "thought", "report", "rumor", "rumour", "alleg", "understood",
                                    "seen", "viewed", "regard", "consider", "deemed", "project", "estimat", "forecast",
                                    "predict", "slated", "poised", "likely", "quoted", "widely"))
    r["right_np"] = re.compile(
        r"^\s*(?P<np>(?:(?:%s\s+)?(?:(?!(?:at|in|on|with|to|for|of|by|from|after|before|during|and|that|this|last)\b)[a-z\-]+\s+){1,3})?(?:%s)(?:\s*\([^)]{1,40}\))?"
        r"(?=[,.;:!?]|$|\s*\(|\s+(?:on|in|at|of|to|during|after|before|when|while|and|who|last|this|earlier|recently|told|said|says|wrote|added)\b)"
        r"|(?:the|a|an|one|another)\s+[^,.;:!?\"“”]{2,80}?(?=[,.;:!?]|$))"
        r"(?P<app>,\s*[^;:\"“”]{2,140}?(?:,|(?=[.!?]?\s*$)))?(?=[\s,.;:!?]|$)" % (CAPSEQ, CAPSEQ))
    r["colon"] = re.compile(r"(?P<np>%s)\s*:\s*$" % name_np)
    r["question_start"] = re.compile(r"^(?:%s)\b" % _alts(en["question_words"]), re.IGNORECASE)
    # run on the lowercased sentence (the patterns are lowercase): a case-insensitive alternation is slower
    r["commit_en"] = re.compile(r"\b(?:%s)\b" % "|".join(en["commitment"]))
    for lang, key in (("en", "en"), ("zh", "zh")):
        hed = c[key]["hedges"]
        flags = re.IGNORECASE if lang == "en" else 0
        # the English hedge and negation patterns run on the lowercased sentence: case-insensitive
        # alternations are several times slower in `re`
        r["hedge_" + lang] = [(status, re.compile(r"(?<![\w])(?:%s)" % "|".join(hed[status]) if lang == "en"
                                                  else "|".join(hed[status])))
                              for status in ("unverified", "denied", "disputed", "confirmed")]
        r["part_" + lang] = re.compile("(?:%s)" % "|".join(c[key]["hedge_part"]), flags)
        r["backref_" + lang] = re.compile(r"^(?:%s)" % "|".join(c[key]["back_reference"]), flags)
        r["negation_" + lang] = re.compile(c[key]["hedge_negation"])
    r["openers_en"] = en["hedge_clause_openers"]
    r["hedge_pre_zh"] = re.compile(_alts(zh["hedge_prefilter"]))
    # A noun phrase naming what a hedge qualifies ("the numbers", "the 70% number", "the mining figure",
    # "这些数字"): it may point back to an earlier sentence's claim.
    ref = en["reference"]
    r["ref_en"] = re.compile(
        r"(?<![\w])(?i:%s)\s+(?P<mods>(?:(?:[a-z][\w\-]*|\d[\d.,]*\s?%%?)\s+){0,3}?)(?P<noun>%s)(?![\w])"
        % (_alts(ref["determiners"]), _alts(ref["quantity_nouns"] + ref["claim_nouns"])))
    r["ref_qnouns_en"] = frozenset(ref["quantity_nouns"])
    r["ref_generic_en"] = frozenset(ref["generic_modifiers"])
    ref = zh["reference"]
    r["ref_zh"] = re.compile(r"(?:%s)(?P<mods>[^，,。；;、\s]{0,4}?)(?P<noun>%s)"
                             % (_alts(ref["determiners"]), _alts(ref["quantity_nouns"] + ref["claim_nouns"])))
    r["ref_qnouns_zh"] = frozenset(ref["quantity_nouns"])
    r["ref_generic_zh"] = frozenset()
    # literal stems of the commitment patterns (text before any regex syntax), for a cheap first pass
    stems = set()
    for pat in en["commitment"]:
        word = re.match(r"[a-z]+", pat).group()
        if pat[len(word):len(word) + 1] in ("?", "("):
            word = word[:-1]  # "plans?" and "commit(?:s|ted)?" start with "plan", "commi"
        stems.add(word)
    r["commit_pre"] = _stem_index(stems)
    # word-start stems of the hedge patterns, tested against the sentence's word set (cheaper than a scan)
    # word-start stems of each status's hedge patterns, indexed by their first two letters
    stems = {}
    for status, words in en["hedge_stems"].items():
        for st in words:
            stems.setdefault(st, set()).add(status)
    index = {}
    for st, statuses in stems.items():
        index.setdefault(st[:2], []).append((st, frozenset(statuses)))
    r["hedge_stems_en"] = {k: tuple(v) for k, v in index.items()}
    r["zh_verb"] = re.compile(_alts(zh["speech_verbs"]))
    r["zh_weak"] = frozenset(zh["weak_speech_verbs"])
    r["zh_according"] = [re.compile(p) for p in zh["according_to"]]
    r["zh_frame"] = [re.compile(p) for p in zh["source_frame"]]
    r["zh_commit"] = re.compile("(?:%s)(?!近)" % _alts(zh["commitment"]))
    r["zh_prefix"] = re.compile(r"(?:%s)+$" % "|".join(zh["clause_prefixes"]))
    r["zh_opener"] = re.compile(r"^(?:%s)+" % _alts(zh["clause_openers"]))
    r["zh_adverbial"] = re.compile(r"(?:在|于)[^,，;；。]{1,30}?(?:上|中|时|期间|里|内)?$")
    r["zh_subord"] = re.compile(r"(?:在|当)[^,，。]{1,40}?(?:后|之后|时|之际|以前|之前)[,，]")
    r["zh_addressee"] = re.compile(r"^(?P<np>[^，,]{2,12}?)(?:%s)[^，,]{1,12}$" % _alts(zh["addressee_markers"]))
    r["zh_subject"] = re.compile(r"^(?P<np>[^,，。;；]{1,24}?)(?=于|在|将|已|正|对|向|与|同|通过|周[一二三四五六日天]|本周|当天|%s)" % _alts(zh["speech_verbs"]))
    r["caption"] = re.compile(r"(?:%s)\s*[.。]?" % "|".join(c["captions"]["markers"]), re.IGNORECASE)
    # a sentence end, a closing quotation mark, or a colon that introduces what follows ("..., reporting:")
    r["terminal"] = re.compile(r"[.!?。！？…][\"'”’」』)）\]]*\s*$|[\"”」』]\s*$|\w\s*[:：]\s*$")
    return r


# ----------------------------------------------------------------------------------------------- quotes

@lru_cache(maxsize=None)
def _marks():
    """Quotation-mark pairs from data/claim_cues.json: (regex over every mark, opener -> closer for paired
    marks, set of toggling marks, marks that double as apostrophes, all marks longest first)."""
    pairs = [p for p in cues()["quotation_marks"]["pairs"] if p.get("enabled", True)]
    openers, toggles, apos = {}, set(), set()
    for p in pairs:
        if p["open"] == p["close"]:
            toggles.add(p["open"])
        else:
            openers[p["open"]] = p["close"]
        if p.get("apostrophe"):
            apos.update((p["open"], p["close"]))
    marks = sorted({p["open"] for p in pairs} | {p["close"] for p in pairs}, key=len, reverse=True)
    alts = []
    for mk in marks:
        # a closing mark that also writes apostrophes closes only when no letter follows ("Russia’s")
        alts.append(re.escape(mk) + (r"(?!\w)" if mk in apos and mk not in openers else ""))
    rx = re.compile("|".join(alts + [r"\n"]))
    return rx, openers, frozenset(toggles), frozenset(apos), tuple(marks)


def _quote_spans(text, start, end):
    """(open, close_end) spans of quotations in text[start:end]. Paired marks match by kind; toggling marks
    (straight double quotes) alternate. An opening mark that never closes yields nothing (no invented
    quotation); a line break closes nothing and cancels what is open."""
    rx, openers, toggles, apos, _ = _marks()
    spans = []
    open_at = closer = straight = None
    for m in rx.finditer(text, start, end):
        i, ch = m.start(), m.group()
        if open_at is None and ch in openers:
            if ch in apos and i > start and text[i - 1].isalnum():
                continue
            open_at, closer = i, openers[ch]
        elif open_at is not None and ch == closer:
            spans.append((open_at, m.end()))
            open_at = None
        elif ch in toggles and open_at is None:
            if straight is None:
                straight = i
            elif text.startswith(ch, straight):
                spans.append((straight, m.end()))
                straight = None
        elif ch == "\n":
            open_at = straight = None
    return spans


def _mark_len(text, a, b):
    "Lengths of the opening and closing marks of the quotation text[a:b] (two for `` and '')."
    marks = _marks()[4]
    ol = next((len(mk) for mk in marks if text.startswith(mk, a)), 1)
    cl = next((len(mk) for mk in marks if text.endswith(mk, 0, b) and b - len(mk) >= a + ol), 1)
    return ol, cl


def _inner(text, a, b):
    ol, cl = _mark_len(text, a, b)
    return text[a + ol:b - cl]


_SAID_AFTER = re.compile(r"\s*(?:said|says|asked|added|told|replied|(?:[A-Z][\w.'’\-]*\s+){1,3}(?:said|says|asked|added|told|replied)|(?:he|she|they|I|we)\s+(?:said|says|asked|added|told|replied))\b")


def _is_real_quote(content, after=""):
    "Words someone said, not a scare-quoted word ('glamorous') or a quoted name ('Project Vault')."
    if _CJK.search(content):
        return len(_CJK.findall(content)) >= 6 or bool(re.search(r"[，,。！？]", content))
    words = _WORD.findall(content)
    if words and re.search(r"[,!?]\s*$", content) and len(words) <= 2 and _SAID_AFTER.match(after):
        return True  # '"Safety," said Grimm': a short utterance, punctuated as speech
    if words and len(words) <= 2 and re.search(r"[!?]\s*$", content):
        return True  # '"Disgraceful!"': an exclamation is an utterance, not a scare-quoted word
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in ("of", "the", "and", "for", "a", "in", "to", "on"))
    if caps == len(words) and not re.search(r"[,.!?]\s*$", content):
        return False  # a title or a name: "Good Morning America", "Project Vault"
    return len(words) >= 3 or bool(re.search(r"[,.!?]\s*$", content))


def _mask(text, s, e, quotes):
    """The sentence with quoted words blanked and every quotation mark written as '"' (same length), so cue
    words inside a quotation are not read and later patterns see one kind of mark."""
    if not quotes:
        return text[s:e]
    chars = list(text[s:e])
    for qs, qe in quotes:
        ol, cl = _mark_len(text, qs, qe)
        for i in range(max(qs, s), min(qe, e)):
            chars[i - s] = '"' if i < qs + ol or i >= qe - cl else " "
    return "".join(chars)


# -------------------------------------------------------------------------------------- English speakers

def _strip_tail(left, rx):
    """Drop what stands between a speaker and the verb: auxiliaries and adverbs ('has also', 'later'), time
    ('on Tuesday', 'last week') and an interrupting clause (', when contacted by Reuters,')."""
    aux = rx["aux_set"]
    left = left.rstrip()
    while left:
        words = left[-40:].split()
        if len(words) >= 2 and (words[-2] + " " + words[-1]).lower() in aux:
            cut = len(words[-2]) + len(words[-1]) + 1
        elif words and (words[-1].lower() in aux or (words[-1].endswith("ly") and words[-1].islower() and len(words[-1]) > 4)):
            cut = len(words[-1])
        else:
            m = None
            if words and words[-1].rstrip(",").lower() in rx["time_set"]:
                m = rx["time_tail"].search(left[-60:])
            if not m and left.endswith(","):
                m = rx["paren_tail"].search(left[-100:])
            if not m:
                break
            cut = len(m.group())
        left = left[:-cut].rstrip()
    return left


def _left_speaker(left, rx, weak):
    "The speaker phrase ending right before a speech verb: (np, speaker_text) or None."
    left = _strip_tail(left[-200:], rx)  # a speaker phrase is short; bounding the window keeps regexes linear
    tail = left[-40:]
    if len(left) > 40:
        tail = tail[tail.find(" ") + 1:]  # whole words only: the pattern starts at a word boundary
    if not left or rx["passive"].search(tail + " "):
        return None
    comma = left.endswith(",")  # the appositive patterns end in a comma: skip them cheaply otherwise
    m = rx["left_app"].search(left) if comma else None
    if m and not re.search(r"[”\"]\s*,?\s*$", left):
        app = m.group("app").strip()
        # "Trump's attorney, Alan Garten," names the speaker second
        inner = re.fullmatch(CAPSEQ, app)
        if inner and len(app.split()) >= 2:
            return app, left[m.start("np"):].rstrip(", "), None
        return m.group("np"), (m.group("np") + ", " + app), app
    m = rx["left_inner_name"].search(left) if comma else None
    if m and len(m.group("np").split()) >= 2:
        return m.group("np"), left[max(0, left.rfind(",", 0, m.start("np") - 1) + 1):].strip(" ,"), None
    # "Republicans who have praised him warned": the head before a relative clause speaks
    cut = max(left.rfind(c) for c in ",;:\"") + 1
    clause = left[cut:].strip()
    m = rx["relative"].match(clause)
    if m and not re.search(r"\bthat\s", clause[:m.end("head") + 6]):
        left = left[:cut] + " " + m.group("head")
        clause = m.group("head")
    m = rx["lead_particle"].match(clause)
    if m:
        left = left[:len(left) - len(clause)] + clause[m.end():]
    last = left[-40:].rsplit(None, 1)[-1] if left.strip() else ""
    for key in ("left_name", "left_pron", "left_det", "left_bare"):
        # the last word decides whether a name or a pronoun can end here: skip those searches otherwise
        if key == "left_name" and not (last[:1].isupper() or last.endswith(")")):
            continue
        if key == "left_pron" and last.lower() not in _PRONOUNS:
            continue
        if key == "left_det":
            # the phrase opens with a determiner or a possessive within its 70 characters: skip the search
            # when the tail holds neither
            seg = left[-80:]
            if rx["det_set"].isdisjoint(_TOKENS.findall(seg.lower())) and "'s " not in seg and "’s " not in seg:
                continue
        m = rx[key].search(left[-110:])
        if m:
            np = m.group("np")
            if key == "left_det" and (len(np.split()) > 12 or re.search(r"\b(?:is|are|was|were|has|have|had|to|and|or|of|the|a)$", np)):
                continue
            if key == "left_name" and m.start() > 0 and left[-110:][m.start() - 1:m.start()] in "-/":
                continue
            if key == "left_name":
                # "Northern Gazette columnist Ida Brandt": an organisation and a role noun before the name
                pre = _ROLE_BEFORE.search(left[-110:][:m.start()])
                if pre:
                    np = pre.group("pre") + np
                    return np, np, None
            if key in ("left_det", "left_bare") and not rx["verb1"].isdisjoint(np.lower().split()[1:-1]):
                continue  # "Officials said members (will report)": the phrase holds another attribution
            if weak and key in ("left_det", "left_bare") and not _group_head(np, rx):
                continue  # "the plan expects": only people believe, expect and want
            if key == "left_pron" and np.lower() == "who":
                # "said Weaver, who said ...": the relative pronoun is the name right before it
                ante = rx["left_name"].search(left[:m.start()].rstrip().rstrip(",").rstrip()[-80:])
                if ante:
                    return ante.group("np"), np, None
            return np, np, None
    return None


def _group_head(np, rx):
    "The head noun of an unnamed group of people ('legal experts', 'many Trump supporters'), or None."
    words = re.split(r"\s+(?:with|of|from|in|at|for|close to|who|familiar|released|published|conducted|issued|obtained|"
                     r"reviewed|commissioned|carried)(?:\s|$)", np, maxsplit=1)[0].split()
    return words and words[-1].lower() in rx["group_heads"] and words[-1]


def _right_speaker(right, rx):
    m = rx["right_np"].match(right)
    if not m:
        return None
    np = m.group("np").strip()
    app = (m.group("app") or "").strip(" ,")
    if app and re.match(r"(?:\w+ing|that|and|but|as|while|because|in|on|at|during|after|before|when|though|although|according|if|with)\b", app) \
            or re.match(r"(?:who|which)\s+(?:\w+\s+){0,2}(?:said|says|told|added|wrote)\b", app):
        app = ""  # "said Trump, adding that ...": the rest of the sentence, not a description
    if app and re.fullmatch(r"(?:%s)" % CAPSEQ, app.strip(" ,")) and not np[:1].isupper():
        return app.strip(" ,"), np + ", " + app, None  # "said the company's chief, Jane Roe"
    return np, (np + (", " + app if app else "")), (app or None)


_TOKENS = re.compile(r"[a-z]+")

_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i", "who"))


def _verb_hits(masked, rx, words=None):
    """Speech-verb occurrences [(start, end, verb)], words and phrases ('issued a statement'). The sentence's
    word set meets the verb set first (one C-level operation); only the few words in both are looked up."""
    found_words = rx["verb_first"].intersection(_TOKENS.findall(masked) if words is None else words)
    if not found_words:
        return []
    single, phrases = rx["verb1"], rx["phrases"]
    n = len(masked)
    hits = []
    for w in found_words:
        i = masked.find(w)
        while i >= 0:
            e = i + len(w)
            if (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] == "-")) and \
                    (e >= n or not (masked[e].isalnum() or masked[e] == "-")):
                hit = None
                for ph in phrases.get(w, ()):
                    pe = i + len(ph)
                    if masked.startswith(ph, i) and (pe >= n or not masked[pe].isalnum()):
                        hit = (i, pe, ph)
                        break
                if hit is None and w in single:
                    hit = (i, e, w)
                if hit:
                    hits.append(hit)
            i = masked.find(w, e)
    hits.sort()
    # a phrase covers the words inside it ("called on" is one cue, not "called" and "on")
    out = []
    for h in hits:
        if out and h[0] < out[-1][1]:
            continue
        out.append(h)
    return out


def _en_attributions(masked, ctx, rx, words=None):
    """Speech-verb attributions in a masked English sentence: [(verb_start, speaker, kind, speaker_text)]."""
    out = []
    for vs, ve, verb in _verb_hits(masked, rx, words):
        left, right = masked[:vs], masked[ve:]
        weak = verb in rx["weak"]
        found = None
        lstrip = left.rstrip()
        if verb in rx["naming"] and lstrip.endswith(","):
            continue  # "the new forum, called FORGE, ...": a name given, not words said
        ing = verb.split()[0].endswith("ing")
        if ing and out and lstrip.endswith(","):
            # "X said ..., calling on Congress to act": the same speaker goes on; what follows is who is addressed
            _, spk, k, st, _ = out[-1]
            out.append((vs, spk, k, st, verb))
            continue
        # the left side ends in a comma or a closing quotation mark ('"...," said X', 'X, an analyst, said')
        comma = lstrip.endswith(",")
        quote_comma = comma and lstrip[:-1].rstrip()[-1:] in _QUOTE_CHARS
        after_quote = comma or lstrip[-1:] in _QUOTE_CHARS
        if comma and not quote_comma:
            # "Cruz, now a presidential contender, proposed": a subject with its appositive before the verb
            cand = _left_speaker(left, rx, False)
            if cand and cand[2]:
                found = cand
            elif not ing:
                # "And Trump, said Sunshine, doesn't forgive": a named speaker inverted after the verb
                cand = _right_speaker(right, rx)
                if cand and cand[0][:1].isupper():
                    found = cand
        # (the name and pronoun tests look at the tail only: both are anchored at the end)
        if found is None and after_quote and not ing \
                and not rx["left_name"].search((_strip_tail(lstrip.rstrip(",").rstrip(), rx) or "x")[-110:]) \
                and not rx["left_pron"].search(lstrip[-8:]):
            found = _right_speaker(right, rx)
        if found is None:
            # a weak verb ("expects", "promises") takes a described subject only with a complement after it
            # ('"...," the website explains': the quotation before it is the complement)
            takes_np = not weak or bool(_COMPLEMENT.match(right)) \
                or bool(_QUOTE_BEFORE.search(left[-120:]))
            found = _left_speaker(left, rx, not takes_np)
        if found is None and verb.endswith("ing") and not out:
            # "X issued a statement saying ...", "X struck a measured tone, saying ...": the clause subject speaks
            m = _CLAUSE_SUBJECT.search(left[-160:])
            if m:
                found = (m.group("np"), m.group("np"), None)
        if found is None and not after_quote:
            found = _right_speaker(right, rx) if re.match(r"\s*(?:Sen\.|Rep\.|Gov\.|the\s)", right) and \
                re.search(r"[”\"],?\s*$", left.rstrip()) else None
        if found is None:
            continue
        np, stext, app = found
        speaker, kind = classify_np(np, ctx, description=app)
        if kind is None:
            continue
        if weak and kind == "described" and not _group_head(np, rx):
            continue
        if kind == "outlet" and verb not in rx["outlet_verbs"] and verb not in ("said", "says", "wrote", "reported"):
            kind = "org"
        out.append((vs, speaker, kind, stext if kind != "pronoun-unresolved" else np, verb))
    m = _COLON_QUOTE.search(masked) if not out and ":" in masked else None
    if m:
        speaker, kind = classify_np(m.group("np"), ctx)
        if kind:
            out.append((m.start("np"), speaker, kind, m.group("np"), ":"))
    return out


_ROLE_BEFORE = re.compile(r"(?:^|[,;:]\s+|[\"”]\s+)(?P<pre>%s\s+(?:(?!(?:the|a|an|of|and|or|to|in|on|at|for|with|by|from|that|said|says|was|were|is|are|has|have|had)\s)[a-z\-]+\s+){1,3})$" % CAPSEQ)
_QUOTE_CHARS = "”\"’'"
_COMPLEMENT = re.compile(r"\s+(?:that|to|[“\"]|:)|:")
_INTRODUCES = re.compile(r'[^",;.]{0,40}:\s*"')
_QUOTE_BEFORE = re.compile(r'"\s+[^"]{1,80}$')  # a quotation closes before the subject
_CLAUSE_SUBJECT = re.compile(
    r"(?:^|[,;]\s+)(?P<np>%s|[Hh]e|[Ss]he|They|(?:[Tt]he|[Aa]n?)\s+[a-z\-]+(?:\s+(?:for|of|at)\s+%s)?)\s+"
    r"(?:(?:also|then|earlier|later|previously|again|has|have|had|[a-z]+ly)\s+){0,2}"
    r"(?:[a-z]+(?:ed|s)|said|told|struck|made|gave|took|went|spoke|wrote|held|met|sent|put|broke|led|won|lost|became|began|came|left|kept|thought|set|sought|did)\b[^;\"]*$"
    % (CAPSEQ, CAPSEQ))
_COLON_QUOTE = re.compile(r"(?:^|[.;]\s+)(?P<np>%s)\s*:\s*[“\"]" % CAPSEQ)


_DOC_BY = re.compile(r"\b(?:report|study|survey|analysis|estimate|data|figures|paper|review|assessment|audit|census)\b"
                     r"[^,;:]*?\bby\s+(?:the\s+)?(?P<org>%s)$" % CAPSEQ)


def _en_cited(masked, ctx, rx, words, low=None):
    "Outlets or documents credited with 'according to X', 'reported by X': [(speaker, kind, text)]."
    out = []
    if rx["according_first"].isdisjoint(words):
        return out
    low = masked.lower() if low is None else low
    # the credit phrases are found as substrings first and the pattern is tried only there: scanning every
    # position with a case-insensitive alternation is the slow part
    starts = []
    for ph in rx["according_phrases"]:
        i = low.find(ph)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                starts.append(i)
            i = low.find(ph, i + 1)
    end = -1
    for i in sorted(starts):
        m = rx["according"].match(masked, i) if i >= end else None
        if not m:
            continue
        end = m.end()
        np = m.group("np").strip()
        if np.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$|\b(?:Inc|Corp|Co|Ltd)\.$", np):
            np = np[:-1]
        np_clean = re.sub(r"^reports? from\s+", "", np, flags=re.IGNORECASE)
        by = _DOC_BY.search(np_clean)
        if by:
            # a document credited with its author: the author is the source the chain names
            speaker, kind = classify_np(by.group("org"), ctx)
            if kind in ("org", "outlet", "person"):
                out.append((speaker, "document", np_clean))
                continue
        speaker, kind = classify_np(np_clean, ctx)
        if kind is None and re.search(r"\b(?:report|statement|document|filing|letter|memo|data|analysis|study|survey|poll|transcript|readout|release|figures)\b", np, re.IGNORECASE):
            speaker, kind = np_clean, "document"
        if kind is None:
            continue
        if np_clean != np:
            kind = "outlet" if kind in ("outlet", "described", "anonymous", "reports", "org", None) else kind
        out.append((speaker, kind, np_clean))
    return out


# -------------------------------------------------------------------------------------- Chinese speakers

def _zh_attributions(masked, ctx, rx):
    out = []
    # "在特朗普声称……后," is background, not who speaks in this sentence
    work = rx["zh_subord"].sub(lambda m: "　" * len(m.group()), masked)
    for v in rx["zh_verb"].finditer(work):
        verb = v.group()
        before = work[:v.start()]
        clause_start = max(before.rfind(p) for p in ",，;；:：。　\"") + 1  # "“……”万斯说": after the quotation
        np = before[clause_start:].strip()
        np = rx["zh_prefix"].sub("", rx["zh_opener"].sub("", np))
        np = rx["zh_adverbial"].sub("", np).strip() if rx["zh_adverbial"].search(np) and not rx["zh_adverbial"].fullmatch(np) else np
        np = rx["zh_prefix"].sub("", np)
        if not np:
            m = rx["zh_subject"].match(work.lstrip("　"))
            np = m.group("np") if m else ""
            np = rx["zh_prefix"].sub("", rx["zh_opener"].sub("", np))
        m = rx["zh_addressee"].match(np) if np else None
        if m and classify_zh(m.group("np"), ctx, register=False)[1] is not None:
            np = m.group("np")  # 万斯对与会代表说: Vance spoke, the delegates listened
        if not np or len(np) > 24 or np.endswith("被"):
            continue  # "也被认为": a passive, said by nobody named
        if np.startswith("由"):
            continue
        np = _zh_source(np, rx)
        if not np:
            continue
        speaker, kind = classify_zh(np, ctx)
        if kind is None:
            continue
        if verb in rx["zh_weak"] and kind not in ("person", "org", "outlet", "anonymous"):
            continue
        if verb in ("报道", "援引") and kind in ("org", "person") and len(np) <= 12 and re.search(r"(?:社|报|网|台|媒体)$", np):
            kind = "outlet"
        out.append((v.start(), speaker, kind, np, verb))
    return out


def _zh_source(src, rx):
    """A credited source without its frame: 据《港湾纪事报》3月5日报道 -> 港湾纪事报; a name given with its
    original in brackets (子午线报（The Meridian Ledger）) keeps the original, which other languages share."""
    m = re.search(r"[（(]([A-Za-z][^（()）]*)[)）]", src)
    if m:
        return m.group(1).strip()
    prev = None
    while src != prev:
        prev = src
        for p in rx["zh_frame"]:
            src = p.sub("", src).strip()
    return src


def _zh_cited(masked, ctx, rx):
    out = []
    for p in rx["zh_according"]:
        for m in p.finditer(masked):
            src = _zh_source(m.group("src").strip(), rx)
            if not src or src.startswith("由"):
                continue
            speaker, kind = classify_zh(src, ctx, register=False)
            if kind in (None, "outlet", "org"):
                register_outlet(ctx, speaker or src)
            out.append((speaker or src, "outlet", src))
        if out:
            break
    return out


# ----------------------------------------------------------------------------------------------- hedges

def _hedge(sentence, masked, lang, rx, words=None):
    """(status, hedge_text, scope, clause_start) for the first verification cue, or None."""
    if lang == "en":
        low = masked.lower()
        if words is None:
            words = set(_TOKENS.findall(low))
        # only the statuses whose cue words start a word of the sentence are tried: the full patterns are
        # slow alternations, and most sentences hold no verification word at all
        index, hit = rx["hedge_stems_en"], set()
        for w in words:
            for st, statuses in index.get(w[:2], ()):
                if w.startswith(st):
                    hit |= statuses
        if not hit:
            return None
        if len(low) != len(masked):
            low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in masked)  # keep the offsets
    elif not rx["hedge_pre_zh"].search(masked):
        return None
    else:
        low, hit = masked, None
    negation = rx["negation_" + lang]
    for status, pat in rx["hedge_" + lang]:
        if hit is not None and status not in hit:
            continue
        m = next((m for m in pat.finditer(low) if status == "unverified"
                  or not negation.search(low, max(0, m.start() - 40), m.start())), None)
        if not m:
            # "not independently confirmed", "did not challenge the figure", "尚未得到独立证实": a negated
            # confirmation or dispute is neither (the unverified patterns carry their own negation)
            continue
        cs = 0
        if lang == "en":
            for op in rx["openers_en"]:
                k = masked.rfind(op, 0, m.start())
                if k >= 0:
                    cs = max(cs, k + len(op))
        else:
            k = max(masked.rfind(p, 0, m.start()) for p in ",，;；")
            cs = k + 1 if k >= 0 else 0
        end = len(sentence.rstrip().rstrip(".。!！"))
        if cs == 0 and lang == "en":
            # no clause break before the cue: the hedge is the comma-clause holding it
            k = masked.rfind(",", 0, m.start())
            cs = k + 1 if k >= 0 else 0
            nxt = masked.find(",", m.end())
            end = nxt if nxt >= 0 else end
        text = sentence[cs:end].strip()
        scope = "part" if rx["part_" + lang].search(text) else "all"
        return status, text, scope, cs
    return None


# ----------------------------------------------------------------------------------- references back

_WINDOW = 3  # a hedge points back at most this many sentences: further away, the reader loses the referent
_STOP = frozenset("of the and with from for that this than into over about near some most their its his her "
                  "which who were was are is has have had been said says percent per cent".split())


def _qkey(q):
    return (q["value"], q["unit"])


def _reference(htext, lang, rx):
    """What a hedge names as the thing it qualifies: {"quantity": needs figures, "values": figures it names,
    "anchors": content words it names} or None when it names nothing that can stand for an earlier claim."""
    m = rx["ref_" + lang].search(htext)
    if m:
        mods = m.group("mods").strip()
        values = {q["value"] for q in extract_quantities(mods, lang)} if any(ch.isdigit() for ch in mods) else set()
        if lang == "en":
            anchors = tuple(w for w in mods.lower().split()
                            if len(w) > 2 and w not in rx["ref_generic_en"] and not w[0].isdigit())
        else:
            anchors = (mods,) if len(_CJK.findall(mods)) >= 2 else ()
        return {"quantity": m.group("noun") in rx["ref_qnouns_" + lang] or bool(values), "values": values,
                "anchors": anchors}
    if rx["backref_" + lang].search(htext):
        return {"quantity": False, "values": set(), "anchors": ()}  # "This has never been confirmed."
    return None


def _anchor_pos(sentence, anchor):
    "Where an anchor word (or its stem: 'mining' ~ 'mined') starts in a sentence, or -1."
    stem = anchor[:5] if len(anchor) > 6 else anchor
    for m in re.finditer(re.escape(stem), sentence, re.IGNORECASE):
        if m.start() == 0 or not sentence[m.start() - 1].isalnum():
            return m.start()
    return -1


def _figure_positions(c):
    "[(position, quantity)] of a claim's figures in its sentence."
    out, sent = [], c["sentence"]
    for q in c["quantities"]:
        i = sent.find(q["text"])
        if i >= 0:
            out.append((i, q))
    return out


def _refer_back(ref, ctx):
    """The earlier claim (within the window, most recent first) that a hedge's reference fits, and the keys
    of the figures it names: a named figure must be among the claim's, an anchor word must be in its
    sentence (the figure it names is the one right before that word: 'about 70% of rare-earth mining')."""
    unit = ctx["_unit"]
    for u, c in reversed(ctx["_recent"]):
        if unit - u > _WINDOW:
            break
        qs = c["quantities"]
        if ref["quantity"] and not qs:
            continue
        if ref["values"]:
            chosen = {_qkey(q) for q in qs if q["value"] in ref["values"]}
        elif ref["anchors"] and qs:
            chosen = set()
            spots = _figure_positions(c)
            for a in ref["anchors"]:
                p = _anchor_pos(c["sentence"], a)
                if p < 0 or not spots:
                    continue
                before = [x for x in spots if x[0] < p]
                i, q = before[-1] if before else min(spots, key=lambda x: x[0] - p)
                chosen.add(_qkey(q))
        elif ref["anchors"]:
            chosen = {None} if all(_anchor_pos(c["sentence"], a) >= 0 for a in ref["anchors"]) else set()
        else:
            chosen = {_qkey(q) for q in qs}
        if chosen:
            return c, chosen - {None}
    return None, None


def _context_words(c, keys):
    "Content words right after the named figures in the claim's sentence ('70% of rare-earth mining')."
    words = set()
    for i, q in _figure_positions(c):
        if _qkey(q) in keys:
            tail = c["sentence"][i + len(q["text"]):i + len(q["text"]) + 40].lower()
            words.update(w for w in _WORD.findall(tail)[:4] if len(w) > 3 and w not in _STOP)
    return words


def _refer_hedge(sentence, quantities, hedge, lang, ctx, rx):
    """A hedge that names an earlier claim ('Capitol Wire could not verify the numbers', 'disputes the mining
    figure', '但这些数字未经独立核实') qualifies that claim; a later statement in the article about the
    same figures overrides an earlier one. Returns True when the hedge went to an earlier claim."""
    status, htext, scope, _ = hedge
    ref = _reference(htext, lang, rx)
    if ref is None:
        return False
    if quantities and not {q["value"] for q in quantities} <= ref["values"]:
        return False  # the sentence gives figures of its own: the hedge is about them
    target, chosen = _refer_back(ref, ctx)
    if target is None:
        return False
    keys = {_qkey(q) for q in target["quantities"]}
    part = scope == "part" or bool(chosen and keys - chosen)
    target["verification_status"], target["hedge_text"] = status, htext
    target["hedge_scope"] = "part" if part else "all"
    if chosen:
        words = _context_words(target, chosen) | {a.lower() for a in ref["anchors"]}
        ctx["_events"].append((target, status, htext, chosen, words))
    return True


def _spread_statuses(claims, events):
    """A verification statement about figures applies to the article's other mentions of the same figures
    (two shared figures, or one with a shared word next to it), where no status was said of them."""
    for target, status, htext, keys, words in events:
        for c in claims:
            if c is target or c["verification_status"] != "none" or c["segment"] != target["segment"]:
                continue
            own = {_qkey(q) for q in c["quantities"]}
            shared = own & keys
            if len(shared) >= 2 or (shared and words & set(_WORD.findall(c["sentence"].lower()))):
                c["verification_status"], c["hedge_text"] = status, htext
                c["hedge_scope"] = "part" if own - keys else "all"


# ---------------------------------------------------------------------------------------------- extract

def extract_claims(text, language=None):
    "Claim mentions of an article text (see module doc and docs/architecture.md)."
    if not text or not text.strip():
        return []
    rx = _rx()
    ctx = new_context()
    ctx.update(_unit=0, _recent=[], _events=[])
    claims = []
    segment = "main"
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    prev_para_quote = None  # (claim) when the previous paragraph ended with a direct quotation
    for idx, (ls, le) in enumerate(nonblank):
        line = text[ls:le]
        heading = segment_heading(line)
        if heading:
            segment = heading
            prev_para_quote = None
            continue
        if is_boilerplate_line(line) or rx["caption"].fullmatch(line.strip()):
            continue
        nxt = text[nonblank[idx + 1][0]:nonblank[idx + 1][1]].strip() if idx + 1 < len(nonblank) else ""
        if nxt and rx["caption"].fullmatch(nxt) and len(line) <= 250 and len(split_sentences(line)) <= 2:
            continue  # a short line right above an image marker is its caption
        if not rx["terminal"].search(line[-12:]) and len(_WORD.findall(line)) < 25 and len(_CJK.findall(line)) < 40:
            register_names(line, ctx)
            continue  # a heading, a button, a label: no sentence to make a claim
        para_claims = []
        quotes = _quote_spans(text, ls, le)
        for ss, se in _units(text, ls, le, quotes):
            sentence_quotes = [(a, b) for a, b in quotes if a >= ss and b <= se]
            result = _analyse(text, ss, se, sentence_quotes, segment, language, ctx, rx,
                              para_claims, prev_para_quote if not para_claims else None)
            if isinstance(result, tuple):
                if result[1] not in para_claims:
                    para_claims.append(result[1])
                continue
            if isinstance(result, list):
                para_claims.extend(result)
                claims.extend(result)
        last = para_claims[-1] if para_claims else None
        # a paragraph that ends in a quotation, or in an attribution that introduces one ("..., reporting:"),
        # may go on in the next paragraph
        prev_para_quote = last if last and (last["attribution_mode"] == "direct_quote" or (
            last["attribution_mode"] != "asserted" and last["sentence"].rstrip().endswith(":"))) else None
    if ctx["_events"]:
        _spread_statuses(claims, ctx["_events"])
    return claims


def _units(text, ls, le, quotes):
    "Sentence spans of a line, with a quotation that runs over sentence ends kept in one unit."
    spans = split_sentences(text, ls, le)
    out = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            if any(a < pe < b for a, b in quotes) and e - ps <= _MAX_UNIT:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _analyse(text, ss, se, quotes, segment, language, ctx, rx, para_claims, prev_para_quote):
    sentence = text[ss:se]
    ctx["_unit"] += 1
    written = sentence_lang(sentence, language)
    # the cue lexicons are English and Chinese; other languages go through the English path, where only
    # the language-neutral rules (quotation marks, figures) can fire
    lang = written if written in ("en", "zh") else "en"
    real = [(a, b) for a, b in quotes if _is_real_quote(_inner(text, a, b), text[b:b + 40])]
    masked = _mask(text, ss, se, quotes)
    core = masked.strip()
    if lang == "en":
        low = masked.lower()
        words = set(_TOKENS.findall(low))  # one tokenisation shared by the verb, cue and hedge tests
        attributions = _en_attributions(masked, ctx, rx, words)
        cited = _en_cited(masked, ctx, rx, words, low)
    else:
        words = None
        attributions = _zh_attributions(masked, ctx, rx)
        cited = _zh_cited(masked, ctx, rx)
    hedge = _hedge(sentence, masked, lang, rx, words)
    is_question = core.endswith(("?", "？")) and not (real and attributions)
    starts_quoted = masked.lstrip()[:1] == '"' 
    # A quotation sentence with no attribution of its own continues the last quotation (same paragraph,
    # or a paragraph that is nothing but the quotation going on).
    if real and not attributions and starts_quoted:
        last = para_claims[-1] if para_claims else None
        only_quote = masked.replace('"', "").replace("“", "").replace("”", "").strip(" ,.") == ""
        if last is None and prev_para_quote is not None and only_quote:
            last = prev_para_quote
        intro = last is not None and last is prev_para_quote and last["sentence"].rstrip().endswith(":")
        if last and (last["attribution_mode"] == "direct_quote" or intro) and last["char_end"] <= ss \
                and se - last["char_start"] <= _MAX_UNIT:
            if intro:
                last["attribution_mode"], last["claim_type"] = "direct_quote", "quote"
            last["char_end"] = se
            last["sentence"] = text[last["char_start"]:se]
            last["quantities"].extend(extract_quantities(sentence, lang))
            return ("merged", last)
    if is_question:
        register_names(sentence, ctx)
        return None
    quantities = extract_quantities(sentence, lang)
    # A hedge naming an earlier claim ("Those figures could not be verified.") qualifies that claim; a
    # sentence that is nothing but that hedge is no claim of its own.
    if hedge and _refer_hedge(sentence, quantities, hedge, lang, ctx, rx) and not attributions and not real:
        return None
    outlets = []
    voices = []  # (verb position, speaker, kind, speaker_text): one claim each when a sentence holds several
    for pos, spk, k, stext, verb in attributions:
        if k == "outlet":
            if spk not in outlets:
                outlets.append(spk)
            continue
        if any(v[1] == spk and v[2] == k and (spk is not None or v[3] == stext) for v in voices):
            continue  # one row per distinct attribution: "X said A, adding B" is one speaker's claim
        voices.append((pos, spk, k, stext))
    for spk, k, ctext in cited:
        if k in ("outlet", "document", "reports"):
            if spk not in outlets:
                outlets.append(spk)
        elif not voices:
            voices.append((0, spk, k, ctext))
    if not voices and outlets:
        voices.append((0, outlets[0], "outlet", outlets[0]))
    if not voices and lang == "en" and _has_stem(words, rx["passive_pre"]):
        m = rx["passive_cue"].search(masked)
        if m:  # "is expected to", "was quoted as saying", "reportedly": said by someone the text does not name
            voices.append((m.start(), None, "anonymous", m.group().strip()))
    if lang == "en":
        # the full commitment pattern only runs when one of its first words is present
        commit = _has_stem(words, rx["commit_pre"]) and rx["commit_en"].search(sentence.lower())
    else:
        commit = rx["zh_commit"].search(sentence)
    if not voices and not quantities and not commit:
        register_names(sentence, ctx)
        return None
    status, htext, scope = ("none", None, None)
    if hedge:
        status, htext, scope, _ = hedge
    # Each quotation belongs to the voice whose verb is nearest; the other voices report without quoting.
    # A quotation belongs to the verb right after it ('"...," Smith said') or else to the last verb before it.
    quoted_voices = set()
    for qa, qb in real:
        if not voices:
            continue
        # a verb that opens a quotation of its own ('Trump said: "..."') does not take the one before it
        after = [i for i, v in enumerate(voices) if 0 <= v[0] - (qb - ss) <= 40
                 and not _INTRODUCES.match(masked, v[0])]
        before = [i for i, v in enumerate(voices) if v[0] < qa - ss]
        quoted_voices.add(after[0] if after else before[-1] if before else 0)
    out = []
    for i, (_, speaker, kind, speaker_text) in enumerate(voices or [(0, None, None, None)]):
        attributed = kind is not None
        if i in quoted_voices and attributed:
            mode = "direct_quote"
        elif outlets:
            mode = "secondhand_outlet"
        elif kind in ("person", "org", "described", "pronoun-unresolved", "continued"):
            mode = "indirect_speech"
        elif kind in ("anonymous", "reports"):
            mode = "anonymous"
        else:
            mode = "asserted"
        ctype = ("quote" if i in quoted_voices and attributed else "statistic" if quantities else
                 "commitment" if commit else "statement")
        if kind == "person" and speaker:
            ctx["last_speaker"] = bare(speaker)
        chain = ([bare(speaker)] if speaker and kind != "outlet" else []) + outlets
        confidence = {"direct_quote": 0.9, "secondhand_outlet": 0.85, "indirect_speech": 0.75,
                      "anonymous": 0.7, "asserted": 0.6}[mode]
        if kind in ("pronoun-unresolved", "continued"):
            confidence -= 0.15
        out.append({
            "sentence": sentence, "char_start": ss, "char_end": se, "segment": segment,
            "claim_type": ctype, "speaker": speaker, "speaker_text": speaker_text,
            "cited_source": outlets[0] if outlets else None, "chain": chain,
            "attribution_mode": mode, "verification_status": status, "hedge_text": htext, "hedge_scope": scope,
            "quantities": [dict(q) for q in quantities], "lang": written, "extractor": EXTRACTOR,
            "confidence": round(confidence, 2),
        })
    register_names(sentence, ctx)
    recent = ctx["_recent"]
    recent.extend((ctx["_unit"], c) for c in out)
    if len(recent) > 12:
        del recent[:-12]
    return out
