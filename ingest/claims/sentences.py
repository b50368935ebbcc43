"""Sentence spans (English and Chinese) and page segments, as offsets into the text given.

Pure and cheap: one pass of precompiled regexes per paragraph. Offsets always index the caller's text, so
extractors can report evidence spans without copying or cleaning the article.
"""
import json
import re
from functools import lru_cache
from importlib import resources

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Candidate sentence ends: Western terminators followed by space/quote, or CJK terminators anywhere.
# Written to start with one character class: `re` then skips ahead to candidate characters in C instead of
# trying every branch at every position (five times faster); the branches follow the first character.
_END = re.compile(r"[.!?。！？…](?:(?<=[.!?])[.!?]*[\"'”’)\]]*(?=\s|$)|(?<=[。！？])[。！？]*[”’」』)）]*|(?<=…)…*[”’]?(?=\s))")
_ATTRIB_AFTER = re.compile(r"\s*(?:(?:[A-Z][\w.'’\-]*\s+){1,4})(?:said|says|told|added|asked|wrote|explained|insisted|recalled|replied|continued|argued|noted|tweeted|declared)\b")
_QUOTE_CLOSE = "\"'”’)]」』）"
_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=None)
def cues():
    "The claim cue data (ingest/data/claim_cues.json), loaded once per process."
    return json.loads(resources.files("newstrace.ingest").joinpath("data/claim_cues.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _abbrevs():
    "Known abbreviations, lowercased without their final full stop ('sen', 'u.s', 'calif')."
    return frozenset(a.rstrip(".").lower() for a in cues()["sentences"]["abbreviations"])


@lru_cache(maxsize=None)
def _zh_attrib_after():
    "A short Chinese attribution right after a closing quotation mark, ending its own sentence ('他说。')."
    verbs = sorted(cues()["zh"]["speech_verbs"], key=len, reverse=True)
    return re.compile(r"[^。！？“”「」『』\n]{1,20}?(?:%s)道?[。！？]" % "|".join(map(re.escape, verbs)))


_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Za-z]")


def _is_abbrev(before):
    """Is the token before a full stop an abbreviation: a known one, a single initial (J.) or dotted
    initials (U.S.)? One split and a set lookup: this runs for every full stop of every article."""
    parts = before.rsplit(None, 1)
    tok = parts[-1].lstrip("(\"“") if parts and not before[-1:].isspace() else ""
    return bool(tok) and (tok.lower() in _abbrevs() or _INITIALS.fullmatch(tok) is not None)


def cjk_share(s):
    "Share of CJK characters among letters: how Chinese a span is (mixed pages switch per sentence)."
    c = len(_CJK.findall(s))
    if not c:
        return 0.0
    return c / (c + len(_LATIN.findall(s)))


def sentence_lang(s, default=None):
    share = cjk_share(s)
    if share >= 0.3:
        return "zh"
    if _LATIN.search(s):
        return "en" if default in (None, "zh") else default
    return default or "en"


def split_sentences(text, start=0, end=None):
    """Sentence spans [(start, end)] inside text[start:end]; newlines are always boundaries.
    Spans are trimmed of surrounding whitespace; empty spans are dropped."""
    end = len(text) if end is None else end
    if text.find("\n", start, end) < 0:
        return _split_line(text, start, end) if start < end else []  # one line: most calls come per line
    spans = []
    for line in _LINE.finditer(text, start, end):
        spans.extend(_split_line(text, line.start(), line.end()))
    return spans


# the sentence spans of the last text's lines: the initiative finder splits the whole text and the claim
# extractor then splits it again line by line, so each line is split once (the text is held, so `is` is exact)
_LAST = (None, {})


def _split_line(text, ls, le):
    global _LAST
    last = _LAST
    if last[0] is not text:
        last = _LAST = (text, {})
    spans = last[1].get((ls, le))
    if spans is None:
        spans = last[1][ls, le] = _split_line_uncached(text, ls, le)
    return list(spans)


def _split_line_uncached(text, ls, le):
    out = []
    cur = ls
    for m in _END.finditer(text, ls, le):
        me = m.end()
        mark = m.group()
        if mark[0] == "." and len(mark.rstrip(_QUOTE_CLOSE)) == 1:
            before = text[max(ls, m.start() - 25):m.start()]
            after = text[me:me + 3].lstrip()
            # "U.S. Trade", "Sen. Rubio", "J. Smith": not an end unless the next word starts a sentence
            # after something that cannot be an abbreviation.
            if _is_abbrev(before):
                continue
            if after and after[0].islower():
                continue
            if after and after[0].isdigit() and text[m.start() - 1:m.start()].isdigit():
                continue
        if mark[-1] in "\"”’" and ("!" in mark or "?" in mark) and _ATTRIB_AFTER.match(text, me, min(le, me + 60)):
            continue  # '“It is time!” Smith said.' is one sentence
        if mark[0] in "。！？" and mark[-1] in "”」』" and _zh_attrib_after().match(text, me, min(le, me + 30)):
            continue  # '“……。”万斯对与会代表说。' is one sentence: the quotation and who said it
        if mark[0] in "!?" and me < le:
            # "?" inside an opening quotation followed by lowercase ("is it?" she asked) does not end it.
            nxt = text[me:me + 3].lstrip()
            if nxt and nxt[0].islower():
                continue
        out.append(_trim(text, cur, me))
        cur = me
    if cur < le:
        out.append(_trim(text, cur, le))
    return [s for s in out if s[1] > s[0]]


def _trim(text, s, e):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e)


@lru_cache(maxsize=None)
def _segment_regexes():
    seg = cues()["segments"]
    return [(name, re.compile(r"(?:%s)\s*[:：]?" % "|".join(pats), re.IGNORECASE)) for name, pats in seg.items()]


def segment_heading(line):
    "The segment a heading line opens ('related', 'social', 'main'), or None when it is not one."
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return None
    for name, rx in _segment_regexes():
        if rx.fullmatch(stripped):
            return name
    return None


def page_segments(text):
    """[(start, end, segment)] line spans with the segment each belongs to. An aggregator page keeps its
    main story first; a heading line such as "Related" or "相关文章" switches what follows."""
    out = []
    seg = "main"
    for m in re.finditer(r"[^\n]+", text):
        found = segment_heading(m.group())
        if found:
            seg = found
        out.append((m.start(), m.end(), seg))
    return out
