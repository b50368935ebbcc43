"""Figures in a sentence (English and Chinese): percentages, money, counts, ranges, comparisons.

extract_quantities(sentence, lang) -> [{text, value, unit, scale, op, from, to}]. `value` is the
normalised number (scale applied: "$10 billion" -> 1e10), `scale` the scale word as written ("billion",
"万") or None, `op` a comparison (">", ">=", "<", "<=", "~") or None, `from`/`to` the ends of a change
("from 25% to 18%"). Dates, years, times and numbers inside names ("G20", "COVID-19") are not figures.
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


@lru_cache(maxsize=None)
def _en():
    u = units()
    ops_en = {k: v for k, v in u["ops"].items() if re.match(r"[a-z]", k)}
    cur_sym = _alts(u["currency_symbols"])
    scales = _alts([k for k in u["scales"] if re.match(r"[a-z]", k)])
    cur_words = _alts([k for k in u["currency_words"] if re.match(r"[a-z]", k)])
    pct = _alts(u["percent_words"])
    months = _alts(u["months"])
    num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    one = (
        r"(?P<cur>%s)?\s?(?P<num>%s)(?P<plus>\+)?"
        r"(?:\s?(?P<scale>%s)\b)?"
        r"(?:\s?(?P<pct>%%|%s\b)|\s(?P<curw>%s)\b|\s(?P<unit>[a-z][a-z\-]{2,20}))?"
    ) % (cur_sym, num, scales, pct, cur_words)
    quant = re.compile(r"(?<![\w\-.$/])(?:(?P<op>%s)\s+)?%s" % (_alts(ops_en), one), re.IGNORECASE)
    rng = re.compile(r"\bfrom\s+(?P<a>[^\s]{1,20}(?:\s(?:%s))?)\s+to\s+(?P<b>[^\s]{1,20}(?:\s(?:%s))?)" % (scales, scales),
                     re.IGNORECASE)
    date = re.compile(r"\b(?:%s)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:%s)\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
                      % (months, months))
    return quant, rng, date, set(u["not_units_en"])


@lru_cache(maxsize=None)
def _zh():
    u = units()
    zh_num_chars = "".join(u["zh_digits"]) + "".join(u["zh_small_units"])
    scales = _alts([k for k in u["scales"] if not re.match(r"[a-z]", k)])
    curw = _alts([k for k in u["currency_words"] if not re.match(r"[a-z]", k)])
    ops_pre = _alts([k for k in u["ops"] if not re.match(r"[a-z]", k) and k not in ("以上", "以下", "左右", "多", "余")])
    ops_post = "以上|以下|左右|多|余"
    mw = _alts(u["zh_measure_words"])
    nouns = _alts(u["zh_count_nouns"])
    num = r"\d+(?:[.,]\d+)*|[%s]{2,}|[二两三四五六七八九十百千]" % zh_num_chars
    quant = re.compile(
        r"(?P<op>%s)?(?P<cur>[$¥￥€£])?(?P<num>%s)(?P<scale>%s)?(?P<post>%s)?"
        r"(?:(?P<pct>%%|％)|(?P<curw>%s)|(?P<mw>%s)(?P<noun>%s)?)"
        % (ops_pre, num, scales, ops_post, curw, mw, nouns))
    pct_words = re.compile(r"百分之(?P<num>[\d.]+|[%s]+)" % zh_num_chars)
    rng = re.compile(r"从(?P<a>[^,，。从到至]{1,12}?)(?:下调|上调|降|升|增|减|提高|降低|增加|减少|削减)?(?:到|至)(?P<b>[^,，。]{1,12}?)(?=[,，。;；\s]|$|的)")
    date = re.compile(r"\d{1,4}\s?[年月日号]|[一二三四五六七八九十]{1,3}[月日号]|周[一二三四五六日天]|星期")
    return quant, pct_words, rng, date


def _zh_number(s):
    "Chinese numerals ('五十', '两千一百', '三') or Arabic digits -> float; None if unparsable."
    s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        pass
    u = units()
    digits, small = u["zh_digits"], u["zh_small_units"]
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


def _num(s):
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _q(text, value, unit, scale, op, frm=None, to=None):
    return {"text": text, "value": value, "unit": unit, "scale": scale, "op": op, "from": frm, "to": to}


_DIGIT = re.compile(r"\d")


def extract_quantities(sentence, lang="en"):
    "Figures in one sentence; lang 'zh' uses the Chinese patterns (English patterns run for Latin text too)."
    if not sentence:
        return []
    out = []
    if lang == "zh":
        out.extend(_zh_quantities(sentence))
    if _DIGIT.search(sentence):  # the English patterns all need a digit
        out.extend(_en_quantities(sentence, skip=[(q["_s"], q["_e"]) for q in out]))
    out.sort(key=lambda q: q["_s"])
    for q in out:
        del q["_s"], q["_e"]
    return out


class _Spans:
    """The union of (start, end) spans, kept as sorted disjoint intervals: whether a span overlaps it costs a
    bisection, not a scan, so a long run of text without sentence breaks stays linear (issue 15)."""

    def __init__(self, spans=()):
        self.starts, self.ends = [], []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, a, b):
        lo = bisect.bisect_right(self.ends, a)  # the first interval that ends after a
        hi = bisect.bisect_left(self.starts, b)  # past the last one that starts before b
        if lo < hi:
            a, b = min(a, self.starts[lo]), max(b, self.ends[hi - 1])
        self.starts[lo:hi] = [a]
        self.ends[lo:hi] = [b]

    def overlaps(self, s, e):
        i = bisect.bisect_left(self.starts, e) - 1  # the last interval starting before e
        return i >= 0 and self.ends[i] > s


def _first_within(found, starts, removed, lo, hi):
    "The first quantity (in start order) starting in [lo, hi) and not merged away yet, or None."
    i = bisect.bisect_left(starts, lo)
    while i < len(found) and starts[i] < hi:
        if id(found[i]) not in removed:
            return found[i]
        i += 1
    return None


def _merge_ranges(rng, s, found, make):
    """ "from 25% to 18%": one change, not two figures. found is in start order; make(m, qa, qb) builds the
    merged quantity."""
    starts = [q["_s"] for q in found]
    removed, merged = set(), []
    for m in rng.finditer(s):
        qa = _first_within(found, starts, removed, m.start("a"), m.end("a"))
        qb = _first_within(found, starts, removed, m.start("b"), m.end("b"))
        if qa and qb:
            removed.update((id(qa), id(qb)))
            merged.append(make(m, qa, qb))
    return [q for q in found if id(q) not in removed] + merged


def _en_quantities(s, skip=()):
    quant, rng, date, not_units = _en()
    u = units()
    dates = _Spans((m.start(), m.end()) for m in date.finditer(s))
    skip = _Spans(skip)
    found = []
    for m in quant.finditer(s):
        st, en = m.start(), m.end()
        if skip.overlaps(st, en) or dates.overlaps(m.start("num"), m.end("num")):
            continue
        value = _num(m.group("num"))
        if value is None:
            continue
        cur = m.group("cur")
        scale = m.group("scale")
        if scale and scale.lower() in ("m", "b", "k") and not cur:
            scale = None  # "5 m" is metres more often than millions without a currency sign
        unit = None
        ends = [m.end("num"), m.end("plus") if m.group("plus") else 0, m.end("scale") if scale else 0]
        if cur:
            unit = u["currency_symbols"].get(cur) or u["currency_symbols"].get(cur.upper())
        if m.group("pct"):
            unit = "%" if "point" not in m.group("pct").lower() else "pp"
            ends.append(m.end("pct"))
        elif m.group("curw"):
            unit = u["currency_words"][m.group("curw").lower()]
            ends.append(m.end("curw"))
        elif m.group("unit") and not unit and m.group("unit").lower() not in not_units:
            unit = m.group("unit").lower()
            ends.append(m.end("unit"))
        en = max(ends)
        raw_num = m.group("num")
        # Years, and bare numbers with nothing saying what they count, are not statistics.
        if not cur and not m.group("pct") and not m.group("curw") and not scale:
            if re.fullmatch(r"(?:1[89]|20)\d\d", raw_num) and not m.group("op"):
                continue
            if unit is None:
                continue
        if scale:
            value *= u["scales"][scale.lower()]
        op = u["ops"][m.group("op").lower()] if m.group("op") else (">=" if m.group("plus") else None)
        found.append(dict(_q(s[st:en].strip(), value, unit, scale, op), _s=st, _e=en))
    return _merge_ranges(rng, s, found, lambda m, qa, qb: dict(
        _q(s[m.start():qb["_e"]], qb["value"], qb["unit"] or qa["unit"], qb["scale"] or qa["scale"], qb["op"],
           qa["value"], qb["value"]), _s=m.start(), _e=qb["_e"]))


def _zh_quantities(s):
    quant, pct_words, rng, date = _zh()
    u = units()
    dates = _Spans((m.start(), m.end()) for m in date.finditer(s))
    found = []
    for m in quant.finditer(s):
        if dates.overlaps(m.start("num"), m.end("num")):
            continue
        value = _zh_number(m.group("num"))
        if value is None:
            continue
        # A lone "一"-like numeral is usually a word ("一次会议"); only digits or multi-character numerals count.
        scale = m.group("scale")
        if scale:
            value *= u["scales"][scale]
        unit = None
        if m.group("pct"):
            unit = "%"
        elif m.group("curw"):
            unit = u["currency_words"][m.group("curw")]
        elif m.group("cur"):
            unit = u["currency_symbols"].get(m.group("cur"))
        elif m.group("noun"):
            unit = u["zh_count_nouns"][m.group("noun")]
        elif m.group("mw"):
            unit = u["zh_count_nouns"].get(m.group("mw"), m.group("mw"))
        op = m.group("op") or m.group("post")
        if not m.group("noun") and not m.group("post") and s[m.end():m.end() + 2] in ("以上", "左右", "以下"):
            op = s[m.end():m.end() + 2]
        found.append(dict(_q(m.group(), value, unit, scale, u["ops"].get(op) if op else None),
                          _s=m.start(), _e=m.end()))
    taken = _Spans((q["_s"], q["_e"]) for q in found)
    for m in pct_words.finditer(s):
        v = _zh_number(m.group("num"))
        if v is not None and not taken.overlaps(m.start(), m.end()):
            found.append(dict(_q(m.group(), v, "%", None, None), _s=m.start(), _e=m.end()))
            taken.add(m.start(), m.end())
    found.sort(key=lambda q: q["_s"])  # the range merge below looks quantities up by position
    return _merge_ranges(rng, s, found, lambda m, qa, qb: dict(
        _q(s[m.start():qb["_e"]], qb["value"], qb["unit"] or qa["unit"], qb["scale"], qb["op"],
           qa["value"], qb["value"]), _s=m.start(), _e=qb["_e"]))
