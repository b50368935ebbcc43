"""Is a sentence nobody is credited with a checkable claim? The outlet's own reports of events ("Police arrested
three men on Tuesday"), not its opinions, advice, questions, hopes, forecasts, promotions or explanations of how
things work; and is a short line without end punctuation (a headline, a subhead) a claim ("Russia denies
shooting down jet") or a label ("Eye in the sky")?

Finite verbs come from data/claim_verbs.json (common verbs of news reporting and their forms, irregular past
forms): a sentence that reports an event has one. A page whose sentences mostly do not report events (a
recipe, a how-to, a definition) gets no asserted claims at all (news_like).
"""
import json
import re
from functools import lru_cache
from importlib import resources

from ..countries.gazetteer import trie_pattern as _trie

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=None)
def lexicon():
    d = json.loads(resources.files("newstrace.ingest").joinpath("data/claim_verbs.json").read_text("utf-8"))
    past, present, base = set(), set(), set(d["base"]) | set(d["irregular"])
    for verb in d["base"]:
        past.add(_ed(verb))
        present.add(_s(verb))
    for verb, forms in d["irregular"].items():
        past.update(forms)
        present.add(_s(verb.split()[0]))
    present.update(("is", "are", "has", "have", "does", "says"))
    past.update(("was", "were", "had", "did"))
    return {"past": frozenset(past), "present": frozenset(present), "base": frozenset(base),
            "not_ed": frozenset(d["ed_not_verbs"]), "opinion": frozenset(d["opinion"]),
            "evaluative": frozenset(d["evaluative"]),
            "no_comment": re.compile("|".join(map(re.escape, d["no_comment"]))),
            "promo": re.compile("|".join(map(re.escape, d["promo"]))),
            "furniture": re.compile("|".join("(?:%s)" % p for p in d["furniture"] if not p.startswith("_comment"))),
            # the same patterns one by one (what _furniture asks): one anchored at the start is tried there only,
            # not at every position of the sentence as a branch of the alternation is
            "furniture_each": tuple(re.compile(p) for p in d["furniture"] if not p.startswith("_comment")),
            "open": re.compile("|".join(map(re.escape, d["open_question"]))),
            # the three cue lists as one trie (what _furniture asks: does any of them occur), one scan
            "cue_trie": re.compile(_trie(sorted(set(d["no_comment"] + d["promo"] + d["open_question"]))))}


def _ed(verb):
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):  # stop -> stopped, ban -> banned
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _s(verb):
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def tense(words):
    """'past' when a word is a past form of a verb, 'present' for a present form, else None. words: lowercase."""
    lex = lexicon()
    present = False
    for w in words:
        if w in lex["past"] or (len(w) > 5 and w.endswith("ed") and w not in lex["not_ed"]):
            return "past"
        if w in lex["present"]:
            present = True
    return "present" if present else None


# "may" only in lower case: "May" is a month
_SPECULATION = re.compile(r"\b(?:[Cc]ould|[Mm]ight|may|[Ww]ould|[Ss]hould|[Mm]ust|[Oo]ught)\b(?!\s+(?:not|n't|never)\b)")
_FIRST_SECOND = re.compile(r"\b(?:you|your|yours|i|we|our|ours|us|my|me|let's)\b", re.IGNORECASE)
_OPENS_CONDITIONAL = re.compile(r"^\W*(?:if|whether|unless|imagine|suppose|perhaps|maybe)\b", re.IGNORECASE)


def noise_of_view(masked, start):
    """noise() of a sentence that passes on a view nobody is named for ("there is broad agreement that action should
    be taken", "it is widely believed that prices could rise"): a modal after the view's cue (start) is the view's
    own, not the outlet's speculation; everything else is judged as noise() judges it (attr10)."""
    return noise(masked[:start] + _SPECULATION.sub("", masked[start:]))


def never(sentence):
    """A sentence that is no claim whoever says it: a conditional, an open question, a no-comment line, a
    promotion or page furniture, a fragment cut off with an ellipsis."""
    text = sentence.strip()
    if text.endswith(("…", "...")) or _OPENS_CONDITIONAL.match(text):
        return True
    return _furniture(text.lower())


@lru_cache(maxsize=512)
def _furniture(lowered):
    "A no-comment line, a promotion, an open question (cached: never() and noise() ask about the same sentence)."
    lex = lexicon()
    return lex["cue_trie"].search(lowered) is not None or any(rx.search(lowered) is not None
                                                             for rx in lex["furniture_each"])


def quote_noise(content):
    "Quoted words that state nothing checkable: a question, feelings and hopes, a fragment."
    text = content.strip().strip("\"“”'‘’ ")
    tokens = _WORD.findall(text)
    if len(tokens) < 3 or text.endswith(("?", "…", "...")) or re.search(r"\?[\"”']?\s*$", content.strip()):
        return True
    low = [t.lower() for t in tokens]
    if _DONE.search(text):
        return False  # "Honored to have offered the benediction today": the feeling wraps an act, which is checkable
    return bool(lexicon()["opinion"].intersection(low)) and len(tokens) < 25


# "proud to have served", "honoured to have offered": a completed act inside the feeling
_DONE = re.compile(r"\bto\s+have\s+(?:[a-z]+ed|been|won|met|made|led|seen|done|given|taken|written|built|spoken|become|"
                   r"brought|taught|held|run|sung|played)\b", re.IGNORECASE)


@lru_cache(maxsize=64)  # pure; asked twice of many sentences (directly and through asserted)
def noise(masked):
    """Is this (quotation-masked) English sentence, whoever says it, no claim: a question, a conditional, an
    instruction, the outlet talking to the reader or about itself, speculation, feelings, a no-comment line,
    a promotion?"""
    text = masked.strip()
    if not text or text.endswith(("?", "…", "...")) or _OPENS_CONDITIONAL.match(text):
        return True
    tokens = _WORD.findall(text)
    if not tokens:
        return True
    low = [t.lower() for t in tokens]
    lex = lexicon()
    if low[0] in lex["base"] and low[0] not in ("police", "officials", "experts") and tokens[0][0].isupper() \
            and (len(low) < 2 or low[1] not in lex["past"] and low[1] not in lex["present"]):
        return True  # "Add the flour", "Cover with a towel": an instruction
    if _FIRST_SECOND.search(text) or _SPECULATION.search(text):
        return True  # the outlet's own voice, advice, speculation
    if lex["opinion"].intersection(low) or lex["evaluative"].intersection(low):
        return True
    return _furniture(text.lower())


def asserted(masked):
    """Does the outlet assert a checkable fact in this (quotation-masked) English sentence?"""
    text = masked.strip()
    tokens = _WORD.findall(text)
    if len(tokens) < 5 or len(tokens) > 120 or noise(masked):
        return False
    low = [t.lower() for t in tokens]
    when = tense(low)
    if when == "past":
        return True
    if when == "present":
        # a present-tense sentence reports something checkable when it names someone, somewhere or a figure;
        # otherwise it explains how things work
        return any(t[0].isupper() for t in tokens[1:]) or bool(re.search(r"\d", text))
    return False


_HEADLINE_VERB_TO = re.compile(r"\bto\s+([a-z]+)\b")


def _balanced(text):
    depth = 0
    for ch in text:
        if ch in "“‘":
            depth += 1
        elif ch in "”’" and depth:
            depth -= 1
        elif ch == "”":
            return False
    return depth == 0 and text.count('"') % 2 == 0


def headline(line):
    """Is a short line without end punctuation a claim (a headline that states something)?"""
    text = line.strip()
    if not text or text.endswith(("?", ":")) or len(text) > 200 or not _balanced(text):
        return False
    tokens = _WORD.findall(text)
    if not 4 <= len(tokens) <= 25:
        return False
    low = [t.lower() for t in tokens]
    lex = lexicon()
    if _FIRST_SECOND.search(text) or lex["promo"].search(text.lower()) or lex["opinion"].intersection(low):
        return False
    if low[0] in lex["base"] and low[0] not in ("police",):
        return False  # "Make flavoured oil", "Follow our guide": an instruction
    for i, w in enumerate(low[1:], 1):
        if w in lex["present"] or w in lex["past"] and w not in ("set", "cut", "hit", "let") or \
                (w == "to" and i + 1 < len(low) and low[i + 1] in lex["base"]):
            return True
    return False


@lru_cache(maxsize=None)
def _sports():
    from .cues import cues

    sp = cues()["en"]["sports"]

    def rx(words, flags=re.IGNORECASE):
        # a trie: the same matches as the longest-first alternation, without trying every word at every word start
        return re.compile(r"\b(?:%s)\b" % _trie(sorted(set(words))), flags)

    # the strong terms again, case-sensitive, for lower-cased text (_lowered), when they are lower-case ASCII
    lower = all(w.isascii() and w == w.lower() for w in sp["strong"])
    return rx(sp["strong"]), rx(sp["strong"] + sp["play"]), rx(sp["result"]), rx(sp["strong"], 0) if lower else None


# the only characters a case-insensitive pattern matches an ASCII letter with that lower-case to something else
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(text):
    """text lower-cased when a case-sensitive pattern of lower-case ASCII words finds in it exactly what the
    case-insensitive one finds in text (every character lower-cases to one, keeping \\b, \\s and the ASCII
    letters' cases as the patterns fold them), else None. A case-insensitive pattern is several times slower."""
    low = text.lower()
    return low if len(low) == len(text) and _FOLDS_TO_ASCII.search(text) is None else None


def game_report(text):
    """Is the page a game report: at least a quarter of its sentences (and five) use game vocabulary, with three
    different strong terms ('rebounds', 'free throws', 'quarter')?"""
    strong, _, _, strong_low = _sports()
    sample = text[:20000]
    low = _lowered(sample) if strong_low is not None else None
    if low is not None:
        sample, strong = low, strong_low  # the same terms, lower-case (only counted lower-cased)
    # a sentence's terms are terms of the sample (sentences end at white space, where no term does): fewer
    # than five in all, or fewer than three different ones, and no split is needed (most pages)
    terms = strong.findall(sample)
    if len(terms) < 5 or len({t.lower() for t in terms}) < 3:
        return False
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", sample) if len(s) > 30]
    hits = [strong.findall(s) for s in sentences]
    with_terms = sum(1 for h in hits if h)
    distinct = {t.lower() for h in hits for t in h}
    return with_terms >= 5 and with_terms >= 0.25 * len(sentences) and len(distinct) >= 3


def play_by_play(masked):
    "On a game report: a sentence about the play or in-game figures, not the result, the standings or a signing."
    _, play, result, _ = _sports()
    return bool(play.search(masked)) and not result.search(masked)


def news_like(text):
    """Does the page report events (news, wire copy, releases) rather than explain or instruct? A past-tense
    verb in at least a quarter of its sentences, or attribution verbs."""
    sample = text[:20000]
    # the attribution verbs, dates and "you" of the sample counted in one scan (their words never overlap, so
    # each count is what its own pattern's findall gives)
    said = when = you = 0
    for m in _COUNTED.finditer(sample):
        kind = m.lastgroup
        if kind == "said":
            said += 1
            if said == 3:
                return True  # (what every test below answers then: news pages stop here, before the split)
        elif kind == "when":
            when += 1
        else:
            you += 1
    sentences = [s for s in _SENTENCE_GAP.split(sample) if len(s) > 30]
    if len(sentences) < 6:
        return True  # too little text to tell a how-to from a news brief: read it as news
    if you > 0.5 * len(sentences):
        return False  # written to the reader: a how-to, a recipe, an advertisement
    if said >= 2 or when < 2:
        return said >= 2
    # the tense of every sentence is the dear part: asked only when the counts above leave it open, and only
    # until a quarter of the sentences are past, or too few are left for that
    need, past, left = 0.25 * len(sentences), 0, len(sentences)
    for s in sentences:
        left -= 1
        # (an ASCII sentence is lower-cased once: the same words, lower-case, as lower-casing each word)
        if _past(_WORD.findall(s.lower()) if s.isascii() else [w.lower() for w in _WORD.findall(s)]):
            past += 1
            if past >= need:
                return True
        elif past + left < need:
            return False
    return False


def _past(words):
    "tense(words) == 'past', with set operations where they can answer."
    lex = lexicon()
    return not lex["past"].isdisjoint(words) or any(len(w) > 5 and w.endswith("ed") and w not in lex["not_ed"]
                                                    for w in words)


# where news_like splits a page into sentences: white space after an end mark, or line breaks. (Written to start
# with one character class, so `re` skips ahead in C to white space; the same matches as
# r"(?<=[.!?。！？])\s+|\n+": the first branch is tried first at every position, as there)
_SENTENCE_GAP = re.compile(r"\s(?:(?<=[.!?。！？]\s)\s*|(?<=\n)\n*)")


def dated(masked):
    "Does the sentence say when (a year, a month, a weekday, 'last week')? On a page that is not news, a fact needs it."
    return _WHEN.search(masked) is not None


def reports_speech(text):
    "Does the page report anyone's words at all ('said', 'told', 'according to')? A definition or a recipe does not."
    return _SAID.search(text[:50000]) is not None or len(text) < 600


_SAID_WORDS = (r"said|says|told|tells|according to|reported|reports|announced|confirmed|stated|warned|"
               r"wrote|writes|claimed|denied|insisted|argued|alleged|testified|tweeted")
_WHEN_WORDS = (r"(?:19|20)\d\d|January|February|March|April|May|June|July|August|September|October|November|"
               r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|"
               r"last (?:week|month|year|night)|this (?:week|month|year)|earlier this|on Monday")
_SAID = re.compile(r"\b(?:%s)\b" % _SAID_WORDS)
_WHEN = re.compile(r"\b(?:%s)\b" % _WHEN_WORDS)
# _SAID, _WHEN and the reader addressed ("you", any case) in one pattern, for news_like's counts
_COUNTED = re.compile(r"\b(?:(?P<said>%s)|(?P<when>%s)|(?P<you>(?i:you|your)))\b" % (_SAID_WORDS, _WHEN_WORDS))
