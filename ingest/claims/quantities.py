"""Figures in a sentence (English and Chinese): percentages, money, measures, counts, ages, durations,
multiples and fractions, ranges and changes, comparisons.

extract_quantities(sentence, lang) -> [{text, value, unit, scale, op, from, to}]. `value` is the
normalised number (scale applied: "$10 billion" -> 1e10), `unit` an ISO currency code, "%", "pp"
(percentage points), a unit of measure ("tonne", "square kilometre", "year"), "times" (a multiple:
"twice", "tenfold"), "fraction" ("two-thirds") or the counted noun as written ("countries"); `scale` the
scale word as written ("billion", "万") or None, `op` a comparison (">", ">=", "<", "<=", "~"), "range"
for a range, or None; `from`/`to` the ends of a range ("30 to 60 percent", "6万至8万元": value is the upper
end) or of a change ("from 25% to 18%", "rose to 4.1% from 3.9%": value is where it ended).

Not figures: dates, years, clock times, phone numbers, numbers inside names ("G20", "COVID-19",
"Apollo 13", "Fortune 100", "Galaxy S9"), vague amounts ("hundreds", "dozens"), and a bare number with
nothing saying what it counts. Every pattern is matched once left to right and every lookup is by
position: the cost grows linearly with the sentence.
"""
import bisect
import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def units():
    return json.loads(resources.files("newstrace.ingest").joinpath("data/units.json").read_text("utf-8"))


def _alts(words):
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _q(text, value, unit, scale, op, frm=None, to=None):
    return {"text": text, "value": value, "unit": unit, "scale": scale, "op": op, "from": frm, "to": to}


def _START_LONGEST(span):
    return span[0], -span[1]


class _Spans:
    "Sorted, non-overlapping spans with an overlap test by bisection (linear overall, not quadratic)."

    def __init__(self, spans=()):
        # the lists add() builds from the spans in sorted order (which puts a later span before an earlier
        # one with the same start), without inserting one by one
        spans = sorted(spans, key=_START_LONGEST) if spans else ()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def add(self, s, e):
        i = bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)

    def hits(self, s, e):
        i = bisect.bisect_right(self.starts, e - 1)
        # spans are short and do not nest: the one starting last before e is the only candidate
        return i > 0 and self.ends[i - 1] > s


# --------------------------------------------------------------------------------------------- English

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.,]?\d)|\d+(?:\.\d+)?"


@lru_cache(maxsize=None)
def _en():
    u = units()
    ops = {k: v for k, v in u["ops"].items() if re.match(r"[a-z]", k)}
    cur_sym = _alts(u["currency_symbols"])
    scales = _alts([k for k in u["scales"] if re.match(r"[a-z]", k)])
    words = {k: v for k, v in u["number_words_en"].items()}
    numw = _alts(words)
    # one figure: [op] [currency] number-or-number-word [range end] [scale]; what it counts is read after it
    one = (r"(?:(?P<op>%s)\s+)?(?P<cur>%s)?\s?(?:(?P<num>%s)|(?P<word>(?i:%s))(?:-(?P<word2>%s))?)"
           r"(?:(?P<scale0>%s)(?=\s?(?:-|–|—)\s?(?:%s)?\d))?"
           r"(?:(?P<rsep>\s?(?:-|–|—)\s?|\s+to\s+|\s+and\s+)(?P<cur2>%s)?\s?(?P<num2>%s)"
           r"(?:\s?(?P<scale1>%s)\b)?(?=[\s,.;:%%)\-\"”’']|$))?"
           r"(?:[\s\-]?(?P<scale>%s)\b)?(?P<plus>\+)?") % (
        _alts(ops), cur_sym, _NUM, numw, numw, scales, cur_sym, cur_sym, _NUM, scales, scales)
    quant = re.compile(r"(?<![\w.,$/#:\-])" + one, re.IGNORECASE)
    unit_words = {k: v for k, v in u["units_en"].items() if not k.startswith("_")}
    cur_words = {k: v for k, v in u["currency_words"].items() if re.match(r"[a-z]", k)}
    pct = _alts(u["percent_words"])
    # what follows a number: a percent sign or word, a currency word, a unit of measure (longest phrase first)
    after = re.compile(
        r"(?:\s?(?P<pct>%%|(?i:%s)\b)|[\s\-]?(?P<curw>(?i:%s))\b|\s?(?P<unit>(?i:%s))(?![\w°])"
        r"|-(?P<hy>[a-z]+)(?P<old>-old)?\b"
        # the counted noun after up to three describing words ("two natural gas power plants", "three NGOs")
        r"|\s(?P<noun>(?:[A-Za-z][A-Za-z\-']*\s){0,3}(?:[a-z][a-z\-']{2,}|[A-Z]{2,}s\b)))" % (
            pct, _alts(cur_words), _alts(unit_words)))
    plurals = {k: v for k, v in u["irregular_plurals_en"].items() if not k.startswith("_")}
    months = _alts(u["months"])
    date = re.compile(
        r"\b(?:%s)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:%s)\b|\b\d{1,2}:\d{2}\b"
        r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(?:\s?[ap]\.?m\.?)(?!\w)|\(?\b\d{3}\)?[\s\-.]\d{3}[\-.]\d{4}\b"
        r"|\b\d{3}-\d{4}\b" % (months, months), re.IGNORECASE)
    mult = u["multipliers_en"]
    multipliers = {k: ("times", v) for k, v in mult["times"].items()}
    multipliers.update({k: ("fraction", v) for k, v in mult["fraction"].items()})
    not_frac = [w for w in mult["_ordinal_not_fraction"] if not w.startswith("_comment")]
    ordinal_next = re.compile(r"\s+(?:%s)s?\b" % _alts(not_frac), re.IGNORECASE)
    multi = re.compile(r"(?<![\w\-])(?:%s)(?![\w\-])" % _alts(multipliers), re.IGNORECASE)
    nfold = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)-?fold\b|(?<![\w.])(\d+(?:\.\d+)?)\s+times\b", re.IGNORECASE)
    # "half a decade", "two and a half years", "four of the 12 boxes"
    half = re.compile(r"(?<![\w\-])(?:a\s+)?half\s+(?:a|an)\s+(?P<u>decade|century|year|month|week|day|hour|dozen|million|billion)\b"
                      r"|(?<![\w\-])a\s+half[\s\-](?P<u2>century|decade)\b", re.IGNORECASE)
    and_half = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
    of_total = re.compile(r"(?<![\w.,\-])(?P<n>\d[\d,]*|%s)\s+(?:of|out of)\s+(?:the\s+|its\s+|their\s+)?(?=\d)" % numw, re.IGNORECASE)
    # "the 16th case", "the 7th national treasure": an ordinal that counts (CLAIMS_GUIDELINES: figures)
    ordinal = re.compile(r"(?<![\w.,\-])(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?P<np>(?:[a-z][a-z\-]*\s+){0,2}[a-z][a-z\-]{2,})")
    # "over a century", "up to an hour", "for nearly a decade": a bound on one unit of time is a figure
    op_one = re.compile(r"(?<![\w\-])(?P<op>%s)\s+(?:a|an)\s+(?P<u>century|decade|year|month|week|day|hour|minute)\b"
                        % _alts([k for k in ops if k not in ("some", "an estimated")]), re.IGNORECASE)
    # "Lopiano, 52," and, in police blotters, "a male juvenile, 16, Taylorville" / "a man, 34, of Springfield"
    age = re.compile(r"(?:[A-Z][\w'’\-]+|\b(?:man|woman|boy|girl|juvenile|male|female|teen|teenager|driver|resident|"
                     r"victim|suspect|passenger|pedestrian|motorist|mother|father|son|daughter|husband|wife)),\s+"
                     r"(?P<n>\d{1,3})(?=,\s|\s+of\b)"
                     r"|(?<![\w])(?:aged|at\s+age|age)\s+(?P<n2>\d{1,3})(?![\w.,]\d)")
    ordw = {k: v for k, v in u["ordinal_words_en"].items() if not k.startswith("_")}
    # "the second Native American judge", "his third win": an ordinal word after a determiner counts
    ord_word = re.compile(r"(?<![\w\-])(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+(?P<n>%s)\s+(?P<np>(?:[A-Z][\w\-]*\s+){0,3}"
                          r"(?:[a-z][a-z\-]*\s+){0,2}[a-z][a-z\-]{2,})" % _alts(ordw))
    # "a single animal": one, said outright
    single = re.compile(r"(?<![\w\-])a\s+single\s+(?P<np>(?:[a-z][a-z\-]*\s+){0,2}[a-z][a-z\-]{2,})")
    # a rate ("1.14Tb per square inch", "3 tonnes per hectare") and the same figure in a second unit ("51,200 KB/50 MB")
    per = re.compile(r"\s?(?:per|/)\s?(?P<u>%s)(?![\w°])" % _alts(unit_words), re.IGNORECASE)
    alt = re.compile(r"\s?/\s?(?P<n>%s)" % _NUM)
    # "a city of 50,000", "a population of 1.4 billion": a bare figure that counts people
    populace = re.compile(r"\b(?:population|community|city|town|village|suburb|nation)\s+(?:of|is|was|stands\s+at|"
                          r"reached|tops|topped|exceeds|exceeded)\s+(?:(?:about|around|nearly|almost|some|roughly|"
                          r"more\s+than|over|just\s+over|under|fewer\s+than|less\s+than|an\s+estimated)\s+)?$",
                          re.IGNORECASE)
    # "claims had topped 6 million", "the number of Americans out of work ... to 16.8 million": the noun a bare figure counts
    level = re.compile(r"\b(?P<noun>[a-z][a-z\-]{2,}s)\s+(?:(?:has|have|had)\s+)?(?:topped|reached|hit|exceeded|surpassed|"
                       r"passed|crossed|totalled|totaled|numbered|stood\s+at|rose\s+to|fell\s+to|climbed\s+to|"
                       r"dropped\s+to|increased\s+to|decreased\s+to|grew\s+to|jumped\s+to)\s+"
                       r"(?:(?:about|around|nearly|almost|some|roughly|more\s+than|over|just\s+over)\s+)?$")
    number_of = re.compile(r"\bnumber\s+of\s+(?P<noun>(?:[A-Za-z][a-z\-]*\s+){0,2}?[A-Za-z][a-z\-]{2,}s)\b")
    out = {"quant": quant, "after": after, "date": date, "ops": ops, "units": unit_words, "cur_words": cur_words,
            "words": words, "not_units": frozenset(u["not_units_en"]), "multi": multi, "multipliers": multipliers,
            "nfold": nfold, "age": age, "ordinal": ordinal, "op_one": op_one, "measures": frozenset(unit_words.values()), "plurals": plurals,
            "half": half, "and_half": and_half, "of_total": of_total,
            "ord_word": ord_word, "ord_values": ordw, "single": single, "per": per, "alt": alt,
            "bare_word": re.compile(r"(?<![\w\-])(?P<n>%s)(?=\s+(?:of\s+(?:which|them|those|these)|were|are|have|had|"
                                    r"died)\b)" % _alts(k for k in words if " " not in k), re.IGNORECASE),
            "cur_context": {k: {code: re.compile(r"\b(?:%s)\b" % _alts(ws)) for code, ws in v.items()}
                            for k, v in u["currency_context_en"].items() if not k.startswith("_")},
            # '"between 100,000 and 200,000" could die', '12 were killed': a bare figure that counts people
            "people_after": re.compile(r"[\"”’']?,?\s+(?:(?:could|would|will|may|might|have|had|has)\s+)?(?:have\s+)?"
                                       r"(?:die|died|dead|were\s+(?:killed|injured|hurt|wounded|arrested|evacuated|rescued|"
                                       r"missing|displaced|infected)|are\s+(?:dead|missing|infected)|lost\s+their\s+lives)\b"),
            "ordinal_next": ordinal_next,
            "populace": populace, "level": level, "number_of": number_of,
            "demonyms": frozenset(w.lower() for w in u["demonyms_en"]["plural"]),
            "word_to": re.compile(r"(?<![\w\-])(%s)\s+to\s+" % _alts(k for k in words if " " not in k), re.IGNORECASE)}
    # the lower-case twins of the two patterns run on every sentence with a figure (None: run the pattern)
    out["twins"] = {"quant": _twin(quant), "date": _twin(date)}
    return out


# capitalised words before a number that are not the name it belongs to ("In 2019", "About 40")
_NOT_NAME = frozenset("a an the in on at by of for from to with and or but about around nearly almost over under some "
                      "just only all more less than up down between among since after before during until per "
                      "rs us hk no nos number page pages chapter room rooms their his her its our my your this that these "
                      "those every each another other both any no nearly roughly approximately another further another "
                      "when while as if then so yet also still even now today yesterday last next first since within "
                      "across against among around through toward towards via including including plus minus "
                      "is are was were has have had will would can could may might must should said says".split())
_VAGUE = frozenset("hundreds thousands millions billions dozens scores tens".split())
_PLURAL_NOT = frozenset("this is was has his its us bus gas news series species status thus plus less".split())


def _number(s):
    "A digit string as written -> float ('1,000', '1.000' European thousands, '1.000,5')."
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _word_value(m, words, group="word"):
    w = m.group(group)
    if not w:
        return None
    v = words.get(w.lower())
    w2 = m.group(group + "2") if group == "word" else None
    if v is not None and w2:
        v += words.get(w2.lower(), 0)  # "twenty-five"
    return None if v is None else float(v)


def _singular(noun, plurals):
    "'cases' -> 'case', 'breaches' -> 'breach', 'municipalities' -> 'municipality', 'men' -> 'man'."
    if noun in plurals:
        return plurals[noun]
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes", "zes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")):
        return noun[:-1]
    return noun


def _counted_noun(phrase, not_units, plurals=(), demonyms=()):
    """The counted noun in the words after a figure ('new cases of' -> 'cases', 'European firms' -> 'firms'):
    the first plural among up to three lowercase words, else one word that is not a function word."""
    words = phrase.split()
    if len(words) > 1 and words[0].lower() in ("more", "fewer", "extra", "additional") and words[1].lower() not in not_units:
        words = words[1:]  # "1,000 more engineers"
    for i, w in enumerate(words):
        lw = w.lower()
        if lw in not_units:
            words = words[:i]
            break
    if not words:
        return None
    for i, w in enumerate(words):
        lw = w.lower().strip("'")
        if lw in demonyms and (lw.endswith("s") or i + 1 == len(words)):
            return "people"  # "2.2 million Americans", "300 Chinese were": people (not "300 Chinese firms")  # "2.2 million Americans", "three Britons": people counted by where they are from
        if plurals and plurals.get(lw) == "people" and lw not in ("people", "persons") and i + 1 < len(words):
            continue  # "40 injured" are people, "two dead birds" are birds
        if w[:1].isupper() and not re.fullmatch(r"[A-Z]{2,}s", w):
            continue  # "three Texas cities": a name describes the noun; an acronym's plural ("NGOs") counts
        if lw in plurals or len(lw) > 3 and lw.endswith("s") and not lw.endswith(("ss", "us", "is")) and lw not in _PLURAL_NOT:
            return lw
    return words[0].lower() if len(words) == 1 else None


# after an ordinal: where the counted noun's phrase ends; and nouns an ordinal names a place in a calendar, a
# sequence or an address with ("the 18th century", "the 90th minute", "the 3rd floor"), not a count
_ORDINAL_STOP = frozenset("on of in for to at since from that which who with by this ever and or is was has".split())
_ORDINAL_NOT = frozenset("century centuries anniversary birthday minute minutes inning round floor street avenue place "
                         "percentile grade amendment district ward precinct edition annual day week month year time "
                         "quarter half row seed spot".split())


def _ordinal_noun(phrase):
    words = []
    for w in phrase.split():
        if w in _ORDINAL_STOP:
            break
        words.append(w)
    if not words or words[-1] in _ORDINAL_NOT or words[0] in _ORDINAL_NOT:
        return None
    return words[-1]


_WEEKDAYS = frozenset(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue",
                       "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"))


try:
    from re._casefix import _EXTRA_CASES  # characters `re` folds to more than their lower and upper case
except ImportError:  # (a private table: without it no pattern with a non-ASCII cased letter gets a twin)
    _EXTRA_CASES = None


def _twin(rx):
    """rx (case-insensitive) as a case-sensitive pattern over lower-cased text, or None when that could match
    differently. Case-insensitive matching is several times slower in `re`; over text lower-cased where
    lower-casing and re's case folding agree (see `low` in _en_quantities), the lower-cased pattern finds
    exactly the same spans: every literal and class compares the lower-cased character."""
    pat, twin = rx.pattern, None
    cased = [c for c in pat if not c.isascii() and c.lower() != c.upper()]
    if rx.flags & re.IGNORECASE and "(?-i" not in pat and not re.search(r"\\[A-Zxu0-9]", pat) and (
            not cased or _EXTRA_CASES is not None and all(
                len(c.lower()) == 1 and ord(c.lower()) not in _EXTRA_CASES and ord(c) not in _EXTRA_CASES
                for c in cased)):
        low = pat.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=").replace("(?i:", "(?:")
        twin = re.compile(low, rx.flags & ~re.IGNORECASE)
    return twin


def _finditer(rx, twin, s, low):
    """rx.finditer(s): the matches found by rx's lower-case twin over low (s lower-cased, or None) and read
    again from s at the same place (so their groups hold the text as written)."""
    if twin is None or low is None:
        return rx.finditer(s)
    match = rx.match
    return (match(s, m.start()) for m in twin.finditer(low))


def _en_quantities(s, skip=None):
    r = _en()
    u = units()
    skip = skip or _Spans()
    # Patterns that cannot match are not run: each needs a digit or a word of its own. Case-insensitive
    # patterns are tested against the lower-cased text only where lower-casing and the patterns' case folding
    # agree on the (lower-case ASCII) words asked about: ASCII text, or text without the four characters
    # that fold to an ASCII letter ("İ", "ı", "ſ", the Kelvin sign); other text runs every pattern.
    digit = _DIGIT.search(s) is not None
    low = s.lower() if s.isascii() or _FOLDS_TO_ASCII.search(s) is None else None

    def has(*words):
        return low is None or any(w in low for w in words)

    twins = r["twins"]
    if not digit:
        dates = _Spans()
    elif low is None or twins["date"] is None:
        dates = _Spans(m.span() for m in r["date"].finditer(s))
    else:
        dates = _Spans(m.span() for m in twins["date"].finditer(low))
    found = []
    taken = _Spans()

    def add(q, st, en):
        found.append(dict(q, _s=st, _e=en))
        taken.add(st, en)

    for m in r["multi"].finditer(s) if has(*r["multipliers"]) else ():
        kind, value = r["multipliers"][m.group().lower()]
        if kind == "fraction" and r["ordinal_next"].match(s, m.end()):
            continue  # "for a third straight month": an ordinal
        if m.group().lower() == "double" and not re.match(r"\s+(?:the|its|their|what|that)\b", s[m.end():]):
            continue  # "a double murder": a multiple only as "double the ..."
        add(_q(m.group(), float(value), kind, None, None), m.start(), m.end())
    for m in r["nfold"].finditer(s) if digit and has("fold", "times") else ():
        if taken.hits(m.start(), m.end()):
            continue
        add(_q(m.group(), float(m.group(1) or m.group(2)), "times", None, None), m.start(), m.end())
    for m in r["op_one"].finditer(s) if has(*_ONE_UNIT) else ():
        if skip.hits(m.start(), m.end()) or taken.hits(m.start(), m.end()):
            continue
        word = m.group("u").lower()
        value, unit = {"century": (100.0, "year"), "decade": (10.0, "year")}.get(word, (1.0, word))
        q = _q(m.group(), value, unit, None, None)
        q["op"] = r["ops"][re.sub(r"\s+", " ", m.group("op").lower())]
        add(q, m.start(), m.end())
    for m in r["ordinal"].finditer(s) if digit else ():
        if skip.hits(m.start(), m.end()) or taken.hits(m.start(), m.end()) or dates.hits(m.start(), m.end()):
            continue
        noun = _ordinal_noun(m.group("np"))
        if noun:
            add(_q(m.group(), float(m.group("n")), _singular(noun, r["plurals"]), None, None), m.start(), m.end())
    for rx, value_of in ((r["ord_word"], lambda m: r["ord_values"][m.group("n").lower()]),
                         (r["single"] if "single" in s else None, lambda m: 1)):
        if rx is None:
            continue
        for m in rx.finditer(s):
            if skip.hits(m.start(), m.end()) or taken.hits(m.start(), m.end()):
                continue
            noun = _ordinal_noun(m.group("np"))
            if noun and noun[0].islower() and noun not in _VAGUE:
                st = m.start("n") if "n" in rx.groupindex else m.start()
                en = m.start("np") + m.group("np").find(noun) + len(noun)
                add(_q(s[st:en], float(value_of(m)), _singular(noun, r["plurals"]), None, None), st, en)
    for m in r["age"].finditer(s) if digit else ():
        g = "n" if m.group("n") else "n2"
        st, en = m.span(g)
        if not dates.hits(st, en) and not taken.hits(st, en) and 0 < int(m.group(g)) < 120:
            add(_q(m.group(g), float(m.group(g)), "year", None, None), st, en)
    for m in r["half"].finditer(s) if has("half") else ():
        if taken.hits(m.start(), m.end()):
            continue
        word = (m.group("u") or m.group("u2")).lower()
        value, unit = {"decade": (5.0, "year"), "century": (50.0, "year"), "year": (0.5, "year"), "month": (0.5, "month"),
                       "week": (0.5, "week"), "day": (0.5, "day"), "hour": (0.5, "hour"), "dozen": (6.0, None),
                       "million": (5e5, None), "billion": (5e8, None)}[word]
        if unit:
            add(_q(m.group(), value, unit, None, None), m.start(), m.end())
    for m in _finditer(r["quant"], twins["quant"], s, low):
        st, en = m.start(), m.end()
        num_s, num_e = (m.span("num") if m.group("num") else m.span("word"))
        if skip.hits(st, en) or taken.hits(num_s, num_e) or dates.hits(num_s, num_e):
            continue
        cur, scale = m.group("cur"), m.group("scale") or m.group("scale1") or m.group("scale0")
        if m.group("num"):
            value = _number(m.group("num"))
        else:
            value = _word_value(m, r["words"])
        if value is None:
            continue
        raw = m.group("num")
        before = s[max(0, st - 30):st]
        prev = re.search(r"([A-Za-z][\w'’.&]*)[\s\-]$", before)
        # "Apollo 13", "Fortune 100", "Stage 3": a number inside a name (decided below: "found Sunday 475 pounds",
        # "Platters Promise 80TB" are figures, a unit of measure or a currency says so)
        # a possessive is no name ("the EU's 27 members"); a name may start in lower case ("iPhone 15")
        named = bool(raw and not cur and prev and any(ch.isupper() for ch in prev.group(1))
                     and not re.search(r"['’]s?$", prev.group(1))
                     and prev.group(1).lower().rstrip(".") not in _NOT_NAME and prev.group(1) not in _months()
                     and prev.group(1).rstrip(".") not in _WEEKDAYS and not m.group("op"))
        glued = None
        if scale and scale.lower() in ("m", "b", "k") and not cur:
            # "5 m" is metres more often than millions without a currency sign; "1.2m people" is millions
            glued, scale = (scale if s[m.start("scale") - 1:m.start("scale")].isdigit() else None), None
        half = r["and_half"].match(s, en)
        if half:
            value += 0.5  # "two and a half years"
            en = half.end()
        tail = r["after"].match(s, en)
        unit, end = None, en
        if cur:
            unit = u["currency_symbols"].get(cur.strip()) or u["currency_symbols"].get(cur.strip().upper())
            if cur.strip() in r["cur_context"]:
                unit = _currency_in_context(s, cur.strip(), unit, r["cur_context"])
        word_number = m.group("word") is not None
        g = None
        if tail:
            g = next(k for k in ("pct", "hy", "curw", "unit", "noun") if tail.group(k) is not None)
            text = tail.group(g)
            if g == "pct":
                unit, end = ("pp" if "point" in text.lower() else "%"), tail.end()
            elif g == "hy" and not unit:
                base = text.lower()
                unit, end = r["units"].get(base) or _singular(base, r["plurals"]), tail.end()
            elif g == "curw" and not unit:
                code = r["cur_words"][text.lower()]
                if text.lower() in ("pounds",) and not scale and not re.search(r"\bsterling\b", s[tail.end():tail.end() + 12]):
                    code = "pound"  # "475 pounds of cocaine": weight, unless millions of them
                unit, end = code, tail.end()
            elif g == "unit" and not unit:
                phrase = text.lower()
                if phrase == "in" and not re.match(r"in\b|\s?in\.?(?=\s?[(,;)]|$)", s[en:en + 5]):
                    pass  # "5 in the race", "age 23 in 2019": a preposition
                elif len(phrase) == 1 and s[en:en + 1] == " ":
                    pass  # "5 m", "5 C": one letter is a unit only written against the number ("5m", "1.7°C")
                else:
                    unit, end = r["units"][phrase], tail.end()
                    if re.fullmatch(r"[KMGTP]b", text):
                        unit = {"K": "kilobit", "M": "megabit", "G": "gigabit", "T": "terabit", "P": "petabit"}[text[0]]
                    if unit in ("decade", "century"):
                        value, unit = value * (10 if unit == "decade" else 100), "year"
                    rate = r["per"].match(s, end)
                    if rate:
                        second = r["units"][rate.group("u").lower()]
                        if second != unit:
                            unit, end = "%s per %s" % (unit, second), rate.end()
            elif g == "noun" and not unit:
                noun = _counted_noun(text, r["not_units"], r["plurals"], r["demonyms"])
                if noun == "people" and "people" not in text.lower():
                    unit = "people"
                    last = [w for w in text.split() if w.lower() in r["demonyms"]][0]
                    end = en + 1 + text.find(last) + len(last)
                elif noun and noun not in _VAGUE:
                    unit = _singular(noun, r["plurals"])
                    end = en + 1 + text.lower().find(noun) + len(noun)
                    if glued and (unit != noun or noun in r["plurals"]):
                        scale = glued  # "1.2m people", "3k runners": a plural counted, so a scale
        if named and not (unit and g in ("pct", "curw", "unit")):
            continue
        if not unit and not cur:
            unit = _counted_before(s, st, r) or ("people" if r["people_after"].match(s, end) else None)
        if not unit and not cur and not scale and not (raw and _CHANGE_BARE.search(s, max(0, st - 40), st)):
            continue  # a bare number: nothing says what it counts (unless a change: "climbed to 1,200 from 950")
        measure = unit in r["measures"] or unit in ("%", "pp")
        if raw and re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not cur and not scale and not m.group("op") and not measure:
            continue  # a year ("in 2019 cases rose")
        if word_number and (not unit and not scale or value == 1 and not scale and not measure):
            continue  # "one of the", "one person said": a number word counts with a unit of measure or a noun
        if scale:
            mult = u["scales"][scale.lower()]
        else:
            mult = 1
        value *= mult
        op = r["ops"][re.sub(r"\s+", " ", m.group("op").lower())] if m.group("op") else (">=" if m.group("plus") else None)
        frm = to = None
        if m.group("num2"):
            second = _number(m.group("num2"))
            sep = m.group("rsep").strip().lower()
            if second is not None and (sep != "and" or re.search(r"\bbetween\s+$", s[max(0, st - 12):st], re.I)
                                       or (m.group("op") or "").lower() == "between"):
                scale1 = m.group("scale0") or m.group("scale1")
                first = _number(raw) if raw else value
                first *= u["scales"][scale1.lower()] if scale1 else mult
                second *= mult
                if first <= second or sep == "to":
                    frm, to, value, op = first, second, second, "range"
            elif sep == "and":
                # "2 and 3": two figures, not a range; the first only here
                en = m.start("rsep")
                end = max(end, en) if unit else en
        text_end = max(end, en)
        add(_q(s[st:text_end].strip(), value, unit, scale, op, frm, to), st, text_end)
        if g == "unit" and unit in r["measures"]:
            other = r["alt"].match(s, text_end)
            tail2 = other and r["after"].match(s, other.end())
            if tail2 and tail2.group("unit") and _number(other.group("n")) is not None:
                # "over 51,200 KB/50 MB": the same figure in a second unit
                u2 = r["units"][tail2.group("unit").lower()]
                add(_q(s[other.start("n"):tail2.end()], _number(other.group("n")), u2, None, op), other.start("n"),
                    tail2.end())
    # word ranges: "six to seven minutes"
    _word_ranges(s, found, r)
    _changes(s, found)
    _elliptic(s, found, r, dates, taken)
    found.sort(key=lambda q: q["_s"])
    return found


def _currency_in_context(s, symbol, default, context):
    "'¥40,000 ... at a Japanese hospital': the currency the sentence's words point to, when only one of them does."
    hits = [code for code, rx in context[symbol].items() if rx.search(s)]
    return hits[0] if len(hits) == 1 else default


def _counted_before(s, st, r):
    """What a figure with nothing after it counts, said before it: 'a city of 50,000' (people), 'claims had topped
    6 million', 'the number of Americans out of work ... rose to 16.8 million'. Looks back a bounded stretch."""
    before = s[max(0, st - 80):st]
    if r["populace"].search(before):
        return "people"
    m = r["level"].search(before)
    if m is None:
        ms = list(r["number_of"].finditer(s, max(0, st - 120), st))
        m = ms[-1] if ms and not re.search(r"[.;:]", s[ms[-1].end():st]) else None
    if m is None:
        return None
    noun = m.group("noun").split()[-1]
    if noun.lower() in r["demonyms"]:
        return "people"
    if noun[0].isupper() or noun.lower() in r["not_units"] or noun.lower() in _VAGUE:
        return None
    return _singular(noun.lower(), r["plurals"])


@lru_cache(maxsize=None)
def _months():
    return frozenset(units()["months"])


def _word_ranges(s, found, r):
    "'six to seven minutes': the first number word took no unit; joined with the next figure as a range."
    if not found:
        return  # nothing to join with
    by_end = {q["_e"]: q for q in found}
    by_start = {q["_s"]: q for q in found}
    for m in r["word_to"].finditer(s):
        nxt = by_start.get(m.end())
        if nxt is None or m.end(1) in by_end or nxt["from"] is not None:
            continue
        first = r["words"][m.group(1).lower()]
        nxt.update({"from": float(first), "to": nxt["value"], "op": "range", "text": s[m.start():nxt["_e"]],
                    "_s": m.start()})


def _elliptic(s, found, r, dates, taken):
    """Numbers that count what a figure beside them counts: 'four of the 12 boxes', '350 new apartments, 99 of
    which', 'Spain has 157,000 cases and Italy 143,600'."""
    extra = []
    for m in _WHOM.finditer(s) if "whom" in s else ():
        g = "n" if m.group("n") else "n2"
        st, en = m.span(g)
        if not taken.hits(st, en) and not dates.hits(st, en):
            # "nearly 162,000, of whom 7,844 have died", "12, of whom ...": whom counts people
            extra.append(dict(_q(m.group(g), _number(m.group(g)), "people", None, None), _s=st, _e=en))
            taken.add(st, en)
    found.sort(key=lambda q: q["_s"])
    if not found:
        found.extend(extra)
        return
    by_start = {q["_s"]: q for q in found}
    for m in r["of_total"].finditer(s):
        nxt = by_start.get(m.end())
        if nxt is None or not nxt["unit"] or taken.hits(m.start("n"), m.end("n")):
            continue
        n = m.group("n")
        value = _number(n) if n[0].isdigit() else r["words"].get(n.lower())
        if value is not None:
            extra.append(dict(_q(n, float(value), nxt["unit"], None, None), _s=m.start("n"), _e=m.end("n")))
    units_seen = [q for q in found if q["unit"] and q["unit"] not in ("%", "pp", "times", "fraction") and q["from"] is None]
    seen_ends = [q["_e"] for q in units_seen]
    extra_starts = {e["_s"] for e in extra}
    if units_seen:
        for m in _BARE.finditer(s):
            st, en = m.span("n")
            if taken.hits(st, en) or dates.hits(st, en) or st in extra_starts:
                continue
            raw = m.group("n")
            if re.fullmatch(r"(?:1[89]|20)\d\d", raw) or ("," not in raw and len(raw) < 2):
                continue
            k = bisect.bisect_right(seen_ends, st)
            prev = units_seen[:k][-1:] if k else []
            if not prev or s[en:en + 2].strip()[:1].isalpha() and not re.match(
                    r"\s+(?:of\s+(?:which|them|those|these)|he|she|they|it|the\s+day|were|was|are|have|had|died)\b", s[en:]):
                continue
            extra.append(dict(_q(raw, _number(raw), prev[-1]["unit"], None, None), _s=st, _e=en))
        for m in r["bare_word"].finditer(s):
            st, en = m.span("n")
            k = bisect.bisect_right(seen_ends, st)
            if k and not taken.hits(st, en) and st not in extra_starts:
                # "Among the 10 municipalities ..., seven are also on the list"
                extra.append(dict(_q(m.group("n"), float(r["words"][m.group("n").lower()]), units_seen[k - 1]["unit"],
                                     None, None), _s=st, _e=en))
    found.extend(extra)


_WHOM = re.compile(r"\bof\s+whom\s+(?:(?:about|nearly|almost|some|more\s+than|over|at\s+least)\s+)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\w.,%°])"
                   r"|(?<![\w.,$£€¥/#:\-])(?P<n2>\d{1,3}(?:,\d{3})+|\d+)\s+of\s+whom\b")
_BARE = re.compile(r"(?<![\w.,$£€¥/#:\-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\w.,%°/\-]*\w)(?!\s?%)")


def _changes(s, found):
    """'from 25% to 18%' and 'rose to 4.1% from 3.9%': the two figures are one change (value: where it
    ended); 'from 500 to 600 people' without a verb of change stays a range."""
    found.sort(key=lambda q: q["_s"])
    out, i = [], 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        merged = _change(s, a, b) if b is not None else None
        if merged:
            out.append(merged)
            i += 2
        else:
            out.append(a)
            i += 1
    found[:] = out


_CHANGE_BARE = re.compile(
    r"\b(?:rose|fell|climbed|dropped|declined|increased|decreased|grew|jumped|slipped|rising|falling|slid|surged|"
    r"plunged|eased|soared|tumbled)\s+(?:(?:to|from)\s+\S+\s+)?(?:to|from|by)\s+$", re.IGNORECASE)
_VERB_TO = re.compile(r"\b(?:rose|fell|climbed|dropped|declined|increased|decreased|grew|jumped|slipped|rising|falling|up|"
                      r"down|cut|raised|lowered|reduced|slid|surged|plunged|eased)\s+to\s*$", re.IGNORECASE)


def _change(s, a, b):
    if a["from"] is not None or b["from"] is not None or (a["unit"] != b["unit"] and a["unit"] and b["unit"]):
        return None
    between = s[a["_e"]:b["_s"]]
    if len(between) > 40:
        return None
    lead = s[max(0, a["_s"] - 6):a["_s"]].lower()
    unit = a["unit"] or b["unit"]
    if re.search(r"\bfrom\s*$", lead) and re.fullmatch(r"\s*(?:[a-z]+\s+){0,3}?to\s*", between, re.I):
        st = a["_s"] - len(lead) + lead.rfind("from")
        return dict(_q(s[st:b["_e"]], b["value"], unit, b["scale"] or a["scale"], b["op"], a["value"], b["value"]),
                    _s=st, _e=b["_e"])
    if re.search(r"\bto\s*$", lead) and re.fullmatch(r"\s*(?:[a-z]+\s+){0,3}?from\s*", between, re.I) \
            and _VERB_TO.search(s, max(0, a["_s"] - 20), a["_s"]):
        return dict(_q(s[a["_s"]:b["_e"]], a["value"], unit, a["scale"] or b["scale"], a["op"], b["value"], a["value"]),
                    _s=a["_s"], _e=b["_e"])
    return None


# --------------------------------------------------------------------------------------------- Chinese

_ZH_NUM = "零〇一二两三四五六七八九十百千万亿点"


@lru_cache(maxsize=None)
def _zh():
    u = units()
    scales = _alts([k for k in u["scales"] if not re.match(r"[a-z]", k)])
    curw = _alts([k for k in u["currency_words"] if not re.match(r"[a-z]", k)])
    ops_pre = _alts([k for k in u["ops"] if not re.match(r"[a-z]", k) and k not in ("以上", "以下", "左右", "多", "余")])
    zh_units = {k: v for k, v in u["zh_units"].items() if not k.startswith("_")}
    mw = _alts(u["zh_measure_words"])
    nouns = _alts(u["zh_count_nouns"])
    num = r"\d+(?:[.,]\d+)*|[%s]+" % _ZH_NUM
    quant = re.compile(
        r"(?P<op>%s)?(?P<cur>[$¥￥€£])?(?P<num>%s)(?P<post1>多|余)?(?P<scale>%s)?(?P<post>多|余)?"
        r"(?:(?:至|到|-|—|~|～)(?P<cur2>[$¥￥€£])?(?P<num2>%s)(?P<scale2>%s)?)?"
        r"(?:(?P<pct>%%|％)|(?P<unit>%s)|(?P<curw>%s)|(?P<mw>%s)(?P<noun>%s)?|(?P<noun2>%s))?"
        % (ops_pre, num, scales, num, scales, _alts(zh_units), curw, mw, nouns, nouns))
    pct_words = re.compile(r"百分之(?P<num>[\d.]+|[%s]+)" % _ZH_NUM)
    rng = re.compile(r"从(?P<a>[^,，。从到至]{1,12}?)(?:下调|上调|降|升|增|减|提高|降低|增加|减少|削减)?(?:到|至)(?P<b>[^,，。]{1,12}?)(?=[,，。;；\s]|$|的)")
    date = re.compile(r"\d{4}\s?年|\d{1,4}\s?[月日号]|[一二三四五六七八九十]{1,3}[月日号]|周[一二三四五六日天]|星期[一二三四五六日天]"
                      r"|[〇零一二三四五六七八九]{4}年|\d{1,2}[:：]\d{2}|[一二三四五六七八九十]+点(?:[一二三四五六七八九十]+分|半|钟)")
    return quant, pct_words, rng, date, zh_units


@lru_cache(maxsize=None)
def _zh_nouns():
    return re.compile(_alts(units()["zh_count_nouns"]))


def zh_number(s):
    """Chinese numerals with 万 and 亿 sections ('一亿两千万' 1.2e8, '三点五' 3.5, '两千一百' 2100) or digits
    ('2.8万' is the caller's: digits here) -> float; None if unparsable."""
    s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        pass
    u = units()
    digits, small = u["zh_digits"], u["zh_small_units"]
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = zh_number(whole) if whole else 0.0
        if w is None or not frac or any(ch not in digits for ch in frac):
            return None
        return w + float("0." + "".join(str(digits[ch]) for ch in frac))
    total = 0.0
    for big, size in (("亿", 1e8), ("万", 1e4)):
        if big in s:
            head, _, s = s.partition(big)
            v = _section(head or "一", digits, small)
            if v is None:
                return None
            total += v * size
    if s:
        v = _section(s, digits, small)
        if v is None:
            return None
        total += v
    return total


def _section(s, digits, small):
    "A numeral below 万: '两千一百' 2100, '十五' 15, '三' 3, '一二三' (digits read one by one) 123."
    if all(ch in digits for ch in s):
        return float("".join(str(digits[ch]) for ch in s)) if len(s) > 1 else float(digits[s])
    total, cur = 0, 0
    for ch in s:
        if ch in digits:
            cur = digits[ch]
        elif ch in small:
            total += (cur or 1) * small[ch]
            cur = 0
        else:
            return None
    return float(total + cur)


def _zh_quantities(s):
    quant, pct_words, rng, date, zh_units = _zh()
    u = units()
    dates = _Spans((m.start(), m.end()) for m in date.finditer(s))
    found = []
    for m in quant.finditer(s):
        if dates.hits(m.start("num"), m.end("num")):
            continue
        raw = m.group("num")
        if re.fullmatch(r"[%s]" % _ZH_NUM, raw) and raw not in "两二三四五六七八九十":
            continue
        if raw[0] in "点万亿" or raw.endswith("点"):
            continue
        value = zh_number(raw)
        if value is None:
            continue
        scale = m.group("scale")
        if scale:
            value *= u["scales"][scale]
        unit = None
        if m.group("pct"):
            unit = "%"
        elif m.group("unit"):
            unit = zh_units[m.group("unit")]
            if m.group("unit") == "万吨":
                value *= 1e4
        elif m.group("curw"):
            unit = u["currency_words"][m.group("curw")]
        elif m.group("cur"):
            unit = u["currency_symbols"].get(m.group("cur"))
        elif m.group("mw"):
            # "50多个市直部门": the counted noun may follow a few characters of description; the last one is the head
            near = list(_zh_nouns().finditer(s, m.end("mw"), m.end("mw") + 5))
            unit = u["zh_count_nouns"][near[-1].group()] if near else u["zh_count_nouns"].get(m.group("mw"), m.group("mw"))
        elif m.group("noun2"):
            unit = u["zh_count_nouns"][m.group("noun2")]
        if unit is None and _ZH_POPULATION.search(s, max(0, m.start() - 8), m.start()):
            unit = "people"  # "人口900多万": a population counts people
        if unit is None:
            continue  # a bare numeral: "两国", "一次" are words, not figures
        if unit in ("year",) and re.fullmatch(r"\d{4}|[〇零一二三四五六七八九]{4}", raw):
            continue
        if unit == "day" and m.group("unit") == "日":
            continue  # "8日": a date
        post = m.group("post") or m.group("post1")
        op = m.group("op") or post
        if not post and s[m.end():m.end() + 2] in ("以上", "左右", "以下"):
            op = s[m.end():m.end() + 2]
        frm = to = None
        if m.group("num2"):
            second = zh_number(m.group("num2"))
            if second is not None:
                s2 = m.group("scale2") or scale
                second *= u["scales"][s2] if s2 else 1
                first = zh_number(raw) * (u["scales"][scale] if scale else (u["scales"][s2] if s2 else 1))
                frm, to, value = first, second, second
                op = "range"
        found.append(dict(_q(m.group(), value, unit, scale or m.group("scale2"),
                             "range" if op == "range" else (u["ops"].get(op) if op else None), frm, to),
                          _s=m.start(), _e=m.end()))
    spans = _Spans((q["_s"], q["_e"]) for q in found)
    for m in pct_words.finditer(s):
        v = zh_number(m.group("num"))
        if v is not None and not spans.hits(m.start(), m.end()):
            found.append(dict(_q(m.group(), v, "%", None, None), _s=m.start(), _e=m.end()))
    for m in _ZH_EXTRA.finditer(s):
        if spans.hits(m.start(), m.end()) or dates.hits(m.start(), m.end()):
            continue
        if m.group("d"):
            d, n = zh_number(m.group("d")), zh_number(m.group("n"))
            if not d or n is None:
                continue
            q = _q(m.group(), round(n / d, 4), "fraction", None, None)  # "三分之二" two-thirds
        elif m.group("c"):
            v = zh_number(m.group("c"))
            if v is None:
                continue
            q = _q(m.group(), v * 10, "%", None, None)  # "两成": tenths
        elif m.group("half"):
            q = _q(m.group(), 0.5, "fraction", None, None)  # "一半"
        else:
            v = zh_number(m.group("k"))
            if v is None:
                continue
            q = _q(m.group(), v, None, None, None)  # "15连降": fifteen in a row
        found.append(dict(q, _s=m.start(), _e=m.end()))
    found.sort(key=lambda q: q["_s"])
    starts = [q["_s"] for q in found]
    for m in rng.finditer(s):
        i = bisect.bisect_left(starts, m.start("a"))
        j = bisect.bisect_left(starts, m.start("b"))
        if i < len(found) and found[i]["_s"] < m.end("a") and j < len(found) and found[j]["_s"] < m.end("b") and i != j:
            qa, qb = found[i], found[j]
            if qa.get("_gone") or qb.get("_gone"):
                continue
            merged = dict(_q(s[m.start():qb["_e"]], qb["value"], qb["unit"] or qa["unit"], qb["scale"], qb["op"],
                             qa["value"], qb["value"]), _s=m.start(), _e=qb["_e"])
            qa["_gone"] = True
            qb.clear()
            qb.update(merged)
    return [q for q in found if not q.get("_gone")]


_ZH_POPULATION = re.compile(r"人口(?:总数|总量)?(?:约|达|为|有|超过|逾|近|已达)?$")
# fractions ("三分之二"; 百分之 is a percent, read above), tenths ("两成"), a half ("一半"), a run ("15连降")
_ZH_EXTRA = re.compile(
    r"(?P<d>[一二两三四五六七八九十千万]+|\d+)分之(?P<n>[一二两三四五六七八九十点]+|\d+(?:\.\d+)?)"
    r"|(?<![\d一二两三四五六七八九十百千万亿点])(?P<c>[一二两三四五六七八九]|[1-9])成(?![为员功立绩本果交长都了不型品年就熟])"
    r"|(?P<half>一半)"
    r"|(?P<k>\d+|[一二两三四五六七八九十]+)连(?:降|涨|跌|增|胜|败|升|减|冠)")
_DIGIT = re.compile(r"\d")
# the only characters a case-insensitive pattern matches an ASCII letter with that lower-case to something else
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWER_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=None)
def _hint_words():
    "Words that can start an English figure without a digit (number words, multiples, fractions), split to parts."
    u = units()
    words = set()
    for phrase in list(u["number_words_en"]) + [k for k in u["multipliers_en"]["times"]] + \
            [k for k in u["multipliers_en"]["fraction"]] + ["half", "decade", "century", "single"] + \
            [k for k in u["ordinal_words_en"] if not k.startswith("_")]:
        words.update(_LOWER_WORD.findall(phrase.lower()))
    words.discard("a")
    words.discard("of")
    words.discard("as")
    return frozenset(words)


def _has_hint(sentence):
    "Could the sentence hold an English figure? A digit, or a number word (one set lookup per word)."
    if _DIGIT.search(sentence) is not None:
        return True
    words = _LOWER_WORD.findall(sentence.lower())
    return not _hint_words().isdisjoint(words) or not _ONE_UNIT.isdisjoint(words) and _en()["op_one"].search(sentence) is not None


# the units "over a century" / "up to an hour" bound (the op_one pattern runs only when one of them is there)
_ONE_UNIT = frozenset(("century", "decade", "year", "month", "week", "day", "hour", "minute"))


def extract_quantities(sentence, lang="en"):
    "Figures in one sentence; lang 'zh' uses the Chinese patterns (English patterns run for Latin text too)."
    if not sentence:
        return []
    out = []
    if lang == "zh":
        out.extend(_zh_quantities(sentence))
    if (lang != "zh" and _has_hint(sentence)) or (lang == "zh" and _DIGIT.search(sentence)):
        out.extend(_en_quantities(sentence, skip=_Spans((q["_s"], q["_e"]) for q in out)))
    out.sort(key=lambda q: q["_s"])
    for q in out:
        del q["_s"], q["_e"]
    return out
