"""Quotations in a sentence: spans between paired or toggling marks (data/claim_cues.json), words really
said versus a scare-quoted word or a quoted name, and the sentence with quoted words masked out."""
import re
from functools import lru_cache

from .cues import CJK, WORD
from .sentences import cues


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


def quote_spans(text, start, end):
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


def quote_content(text, a, b):
    ol, cl = _mark_len(text, a, b)
    return text[a + ol:b - cl]


_SAID_AFTER = re.compile(r"\s*(?:said|says|asked|added|told|replied|(?:[A-Z][\w.'’\-]*\s+){1,3}(?:said|says|asked|added|told|replied)|(?:he|she|they|I|we)\s+(?:said|says|asked|added|told|replied))\b")


def is_real_quote(content, after=""):
    "Words someone said, not a scare-quoted word ('glamorous') or a quoted name ('Project Vault')."
    if CJK.search(content):
        return len(CJK.findall(content)) >= 6 or bool(re.search(r"[，,。！？]", content))
    words = WORD.findall(content)
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


def mask_quotes(text, s, e, quotes):
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
