"""The extractor's cue words compiled once per process: speech verbs, credit phrases ("according to",
据…报道), hedges and their negations, commitments, references back, in English and Chinese
(data/claim_cues.json; name patterns from speakers.py). cue_patterns() -> {name: compiled pattern or set}."""
import re
from functools import lru_cache

from .sentences import cues
from .speakers import CAPSEQ

WORD = re.compile(r"[\w'’\-]+")
# words that open a described speaker ("the officials", "several aides"): the left_det pattern and its precheck
_DETERMINERS = ("the", "a", "an", "one", "two", "three", "four", "five", "several", "some", "many", "other", "most",
                "multiple", "his", "her", "their", "its", "this", "another", "that", "these", "those")
CJK = re.compile(r"[\u4e00-\u9fff]")
# what a named source is, written after its name ("the Associated Press news agency", "the Sahan Journal newspaper")
_OUTLET_KIND = r"(?:news\s+agency|wire\s+service|newspaper|news\s+site|website|broadcaster|magazine|tabloid|daily)"
OUTLET_KIND_TAIL = re.compile(r"\s+%s$" % _OUTLET_KIND, re.IGNORECASE)
TOKENS = re.compile(r"[a-z]+")


def _stem_index(stems):
    "Word-start stems indexed by their first two letters, for has_stem."
    index = {}
    for st in stems:
        index.setdefault(st[:2], []).append(st)
    return {k: tuple(v) for k, v in index.items()}


def stem_finder(index):
    """A pattern that finds, in lower-cased text, every word (a run of a-z, as TOKENS reads words) that
    has_stem(index) would find a stem for, the whole word as its match: one scan in C instead of a lookup per
    word. The trie of the stems matches wherever one of them opens a word; a one-letter stem only answers a
    one-letter word, as in the index (keyed by two letters); a stem that is no run of a-z starts no word."""
    from ..countries.gazetteer import trie_pattern

    stems = {st for sts in index.values() for st in sts} if index else set()
    long = sorted(st for st in stems if len(st) > 1 and TOKENS.fullmatch(st))
    short = sorted(st for st in stems if len(st) == 1 and TOKENS.fullmatch(st))
    alts = ([trie_pattern(long)] if long else []) + (["[%s](?![a-z])" % "".join(short)] if short else [])
    return re.compile(r"(?<![a-z])(?:%s)[a-z]*" % "|".join(alts)) if alts else re.compile(r"(?!)")


def has_stem(words, index):
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
def cue_patterns():
    c = cues()
    en, zh = c["en"], c["zh"]
    r = {}
    # stance adjectives ('were hopeful that') are read as weak verbs that take only a that-clause
    r["stance"] = frozenset(en.get("stance_adjectives", ()))
    r["verb1"] = frozenset(v for v in en["speech_verbs"] if " " not in v) | r["stance"]
    r["verb2"] = frozenset(v for v in en["speech_verbs"] if " " in v)
    phrases = {}
    for v in sorted(r["verb2"], key=lambda v: -len(v)):
        phrases.setdefault(v.split()[0], []).append(" ".join(v.split()))
    r["phrases"] = phrases  # first word -> phrases starting with it, longest first
    r["weak"] = frozenset(en["weak_verbs"]) | r["stance"]
    r["naming"] = frozenset(en["naming_verbs"])
    r["complement"] = frozenset(en["complement_verbs"])
    r["strict_complement"] = frozenset(en["strict_complement_verbs"])
    r["finding"] = frozenset(en["finding_verbs"])
    r["finders"] = frozenset(en["finders"])
    r["verb_first"] = r["verb1"] | frozenset(v.split()[0] for v in r["verb2"])
    r["according_first"] = frozenset(w.split()[0].lower() for w in en["according_to"])
    r["according_phrases"] = tuple(sorted({w.lower() for w in en["according_to"]}))
    r["aux_set"] = frozenset(a.lower() for a in en["aux"])
    r["passive"] = re.compile(r"\b(?:was|were|is|are|be|been|being|so|to|not)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
    r["according"] = re.compile(
        r"(?<![\w])(?:%s)\s+(?P<np>(?:reports? from\s+)?(?:the\s+|a\s+|an\s+|multiple\s+|several\s+|some\s+|local\s+|state\s+)?"
        # "the Associated Press news agency": a name and what it is; "a new CBS News Tracker poll": a named document
        r"(?:(?:(?:new|latest|recent|separate|fresh|annual)\s+)?(?-i:%s)(?:\s+%s|\s+(?:poll|survey|study|report|"
        r"analysis|data|estimates?|figures|census|tally|count|forecast))?|[a-z][a-z\-]+(?:\s+[a-z][a-z\-]+){0,3})(?:['’]s\s+[\w\s]{1,30}?)?"
        # "a Democrat familiar with his remarks", "officials at the Pentagon": who they are, up to the clause end
        r"(?:\s+(?:familiar with|close to|with knowledge of|briefed on|involved in|at|of|from|for|with|in|by"
        # "an industry report published last month by the X Institute": the document and who wrote it
        r"|(?:published|released|issued|compiled|prepared|commissioned|produced|conducted)[^,.;:\"]{0,30}?\s+by)"
        r"\s+[^,.;:\"]{1,60}?)?)"
        r"(?=[,.;:]|\s+(?:that|on|in|said|and|which|who)\b|$)"
        % (_alts(en["according_to"]), CAPSEQ, _OUTLET_KIND), re.IGNORECASE)
    r["document"] = re.compile(r"\b(?:%s)\b" % _alts(en["document_nouns"]), re.IGNORECASE)
    # "A new research paper published in X journal suggests": the document, not the journal that printed it
    r["doc_subject"] = re.compile(
        r"(?:^|[,;:]\s*|\b(?:and|but|that|while|as|after|when)\s+)(?P<np>(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir|"
        r"[Oo]ne)\s+(?:[\w\-]+\s+){0,3}?(?:%s))\s+(?:published|released|issued|conducted|commissioned|carried\s+out|"
        r"compiled|prepared|produced|led|funded|presented|posted)\b[^,;:\"“”]{0,120}$" % _alts(en["document_nouns"]))
    r["outlet_verbs"] = frozenset(v.split()[0] for v in en["outlet_subject_verbs"])
    r["platforms"] = {k: v for k, v in en["platforms"].items() if not k.startswith("_")}
    r["platform_verbs"] = dict(en["platform_verbs"])
    r["generic_recipients"] = frozenset(en["generic_recipients"])
    # Speaker phrases at the end of the text left of a speech verb.
    name_np = r"(?:%s)(?:\s*\([^)]{1,40}\))?" % CAPSEQ
    r["left_app"] = re.compile(
        r"(?:^|(?<=, )|(?<=; )|(?<=” )|(?<=\" )|(?<=that )|(?<=and )|(?<=but ))(?:(?:As|But|And|So|Then|Yet|Still)\s+)?"
        r"(?!(?:In|On|At|From|For|After|Before|During|With|By|As|When|While|Since|Under|Over)\s|(?:However|Meanwhile|"
        r"Moreover|Furthermore|Nevertheless|Nonetheless|Instead|Indeed|Separately|Additionally|Still|Also|Now|Then|"
        r"Earlier|Later|Today|Yesterday)\s*,)"
        # ("Transportation chief Eulois Cleckley, who ..., pledged": a role before the name)
        r"(?P<np>(?:%s\s+(?:[a-z\-]+\s+){1,2})?%s)\s*,\s*(?P<app>[^;:\"“”]{2,200}?(?:\"[^\"“”]{1,80}\"[^;:\"“”]{0,160}?)?),\s*$" % (CAPSEQ, name_np))
    r["left_inner_name"] = re.compile(r"[\w’'],\s+(?P<np>%s),\s*$" % name_np)
    r["left_name"] = re.compile(r"(?P<np>%s)\s*$" % name_np)
    r["left_pron"] = re.compile(r"(?<![\w])(?P<np>he|she|they|it|we|i|who)\s*$", re.IGNORECASE)
    r["left_det"] = re.compile(
        # ('' closes a typewriter quotation: "Recalling ''...,'' the statement urged")
        r"(?:^|[,;:]\s*|[\"“”]\s*|''\s*|\b(?:and|but|while|as|because|that|after|when|since|though|why)\s+)"
        r"(?P<np>(?:%s|(?-i:%s)['’]s)"
        r"\s+[^,;:\"“”()]{1,70}?)\s*$" % ("|".join(_DETERMINERS), CAPSEQ), re.IGNORECASE)
    # a bare plural group ("health officials", "staff on short-term contracts"), after a clause boundary
    r["left_bare"] = re.compile(r"(?:^|[,;:]\s*|[\"“”]\s*|''\s*|\b(?:and|but|that|because|while|as|after|before|when|since|"
                                r"until|though|although|if|where|why)\s+)(?P<np>(?:(?:many|most|some|several|few|other|"
                                r"[A-Za-z][\w’'\-]*)\s+){0,2}(?:(?<=^)[A-Z])?(?:[a-z\-]+s|[a-z\-]+men|(?i:staff|police|people|personnel|"
                                r"faculty|crew|clergy))(?:\s+(?:with|of|from|in|at|for|on|across|near|outside|under|close to)\s+"
                                r"[^,;:\"“”]{2,50})?)(?:\s+there)?\s*$")
    r["det_set"] = frozenset(_DETERMINERS)
    r["group_heads"] = frozenset(w.lower() for w in en["group_heads"])
    r["time_set"] = frozenset(w.lower() for w in en["time_words"])
    tw = _alts(en["time_words"])
    # "on Tuesday", "last week", "Tuesday night": when, not who; skipped between a speaker and the verb
    r["time_tail"] = re.compile(r"(?:,\s*)?\s+(?:(?:on|last|this|next|early|late|earlier|later|in|by)\s+)?(?:(?:%s)\s+)?(?:%s)(?:\s+\d{1,2})?\s*,?$" % (tw, tw))
    # ", when contacted by Reuters," / ", in a statement," / ", looking for a way out," between a speaker and the verb
    # (and ", like Mr. Ryan," / ", including two mayors,": a comparison or a list aside the subject, attr10)
    r["paren_tail"] = re.compile(r",\s*(?:when|while|after|before|as|if|in|at|on|during|speaking|asked|reached|contacted|writing|responding|according|of|like|unlike|including|such\s+as|along\s+with|[a-z]{3,}ing)\b[^,;:\"]{1,80},\s*$")
    # "The department, however, said": a parenthetical adverb between the subject and the verb
    r["adverb_tail"] = re.compile(r",\s*(?:%s)\s*,\s*$" % _alts(en.get("parenthetical_adverbs", ("however",))),
                                  re.IGNORECASE)
    r["lead_particle"] = re.compile(r"^(?:Even|Only|But|And|So|Yet|Still|Now|Meanwhile|However|Instead|Indeed|Also)\s+")
    r["relative"] = re.compile(r"^(?P<head>[^,;:\"]{2,80}?)\s+(?:who|which|that)\s+[^,;:\"]{2,100}$")
    r["passive_cue"] = re.compile("|".join("(?:%s)" % p for p in en["passive_cues"]), re.IGNORECASE)
    # word-start stems of the agentless patterns, tested against the sentence's word set
    r["passive_pre"] = _stem_index(("expect", "believ", "thought", "report", "rumor", "rumour", "alleg", "understood",
                                    "seen", "viewed", "regard", "consider", "deemed", "project", "estimat", "forecast",
                                    "predict", "slated", "poised", "likely", "quoted", "widely", "known", "concern", "fear",
                                    "speculat", "worries", "agreement", "disagreement", "doubt", "consensus", "suspicion",
                                    "outrage", "expectation",
                                    # evidentials (attr9): one stem test for both cue lists
                                    "seem", "appear", "look", "certain", "sure", "bound", "destined",
                                    # the writer's stance ("it's hard to imagine") (attr10)
                                    "hard", "difficult", "easy", "easier", "impossible"))
    r["passive_find"] = stem_finder(r["passive_pre"])
    # "sent Mr. Trump an unmistakable message: He is ...": a noun of saying, then its words after a colon (attr10)
    r["message_colon"] = re.compile(r"\b(?:a|an|the|this|that|his|her|its|their)\s+(?:[a-z\-]+\s+){0,2}(?P<noun>%s)"
                                    r"(?:\s+(?:for|to)\s+[^:;,\"]{1,40})?\s*:\s+(?=[\"“A-Z])"
                                    % _alts(en.get("message_nouns", ())) if en.get("message_nouns") else r"(?!)")
    # "China has lobbied for support for its position that ...": the subject's own stated position (attr10)
    r["own_view"] = re.compile(r"\b(?:its|his|her|their)\s+(?:own\s+|long-held\s+|stated\s+|official\s+)?(?P<noun>%s)\s+that\b"
                               % _alts(en.get("own_view_nouns", ())) if en.get("own_view_nouns") else r"(?!)")
    # the agentless cues that forecast ("is expected to", "are slated to"): what follows is the outlet's own future,
    # noise when it speculates; the others pass on a view whose modal is its own (attr10)
    r["forecast_cue"] = re.compile(r"\b(?:%s)" % "|".join(en.get("forecast_cue_stems", ())) if en.get("forecast_cue_stems") else r"(?!)",
                                   re.IGNORECASE)
    # evidentials ("it seems likely that", "appears certain to", "apparently"): sourceless attributions (attr9)
    r["evidential"] = re.compile("|".join("(?:%s)" % p for p in en.get("evidential_cues", ())) or r"(?!)", re.IGNORECASE)
    r["right_np"] = re.compile(
        r"^\s*(?P<np>(?:(?:%s\s+)?(?:(?!(?:at|in|on|with|to|for|of|by|from|after|before|during|and|that|this|last)\b)[a-z\-]+\s+){1,3})?(?:%s)"
        # (an acronym inside the name: "Pan American Health Organization (PAHO) Director Carissa F. Etienne")
        r"(?:\s*\([A-Z][A-Za-z]{1,7}\)\s+(?:%s))?(?:\s*\([^)]{1,40}\))?"
        r"(?=[,.;:!?]|$|\s*\(|\s+(?:on|in|at|of|to|with|from|for|during|after|before|when|while|as|and|who|last|this|earlier|recently|told|said|says|wrote|added)\b)"
        r"|(?:the|a|an|one|another)\s+[^,.;:!?\"“”]{2,80}?(?=[,.;:!?]|$))"
        r"(?P<app>,\s*[^;:\"“”]{2,140}?(?:,|(?=[.!?]?\s*$)))?(?=[\s,.;:!?]|$)" % (CAPSEQ, CAPSEQ, CAPSEQ))
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
    r["commit_find"] = stem_finder(r["commit_pre"])
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
    r["hedge_find_en"] = stem_finder({k: tuple(st for st, _ in v) for k, v in index.items()})
    r["zh_verb"] = re.compile(_alts(zh["speech_verbs"]))
    r["zh_anon_frame"] = re.compile("|".join(zh["anonymous_frames"]))
    r["zh_reporter_frame"] = re.compile("|".join(zh["reporter_frames"]))
    r["zh_noise"] = re.compile("|".join(zh["noise"]["patterns"]))
    r["zh_anchor"] = re.compile(zh["checkable"]["anchor"])
    r["zh_place"] = re.compile(zh["checkable"]["place"])
    r["zh_event"] = re.compile(zh["checkable"]["event"])
    r["zh_weak"] = frozenset(zh["weak_speech_verbs"])
    r["zh_finding"] = frozenset(zh["finding_verbs"])
    r["zh_finders"] = tuple(zh["finders"])
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
