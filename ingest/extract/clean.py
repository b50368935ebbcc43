"""Text cleaning beyond trafilatura: boilerplate lines listed in data/boilerplate.json.

Two kinds of furniture: "lines" (cookie banners, credits, buttons, 'read also' links) are deleted from the
stored text; "markers" (section headings such as "Related" or 相关文章) are kept there, because extractors
use them to tell a page's main story from its related-story summaries, but are skipped like boilerplate.
"""
import json
import re
import re._constants as _sre
import re._parser as _sre_parse
from functools import lru_cache
from importlib import resources

from ..cache import regex  # re.compile, the compiled code kept across processes

# a line of separators and bullets is layout in any language; brackets, quotes and emoticons are not
# ("}" ends code, "=)" is a reader's smile), nor a Markdown table rule (trafilatura writes tables so)
_SEPARATORS = re.compile(r"[|•·\-–—_=*+~#.…/\\\s。]+")
_TABLE_RULE = re.compile(r"\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?")


@lru_cache(maxsize=None)
def _data():
    return json.loads(resources.files("newstrace.ingest").joinpath("data/boilerplate.json").read_text("utf-8"))


def _alternation(groups):
    return "|".join(f"(?:{p})" for items in groups.values() for p in items)


_END = r"\s*[.!。！:：]?"
_ASCII = tuple(map(chr, range(128)))


@lru_cache(maxsize=None)
def _matching(pattern):
    "The ASCII characters one-character `pattern` matches, case ignored (tried on each: exact)."
    rx = re.compile(pattern, re.IGNORECASE)
    return frozenset(a for a in _ASCII if rx.fullmatch(a))


# a character class's parts, written back as a pattern (tried on each ASCII character by _matching)
_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
               _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}
_CLASS_ITEMS = (_sre.LITERAL, _sre.RANGE, _sre.NEGATE)


def _class_item(op, av):
    if op == _sre.LITERAL:
        return re.escape(chr(av))
    if op == _sre.RANGE:
        return "%s-%s" % (re.escape(chr(av[0])), re.escape(chr(av[1])))
    if op == _sre.NEGATE:
        return "^"
    return _CATEGORIES[av]


def _first_ascii(items):
    """(the ASCII characters a match of the parsed sequence `items` can begin with, whether it can match
    empty), case ignored. Where unsure (categories, negated classes, anything unusual) it says any ASCII
    character: a superset is safe, it only filters less."""
    found = set()
    for op, av in items:
        if op == _sre.LITERAL:
            chars, empty = _matching(re.escape(chr(av))), False
        elif op == _sre.IN and all(o in _CLASS_ITEMS or o == _sre.CATEGORY and a in _CATEGORIES for o, a in av):
            chars, empty = _matching("[%s]" % "".join(_class_item(o, a) for o, a in av)), False
        elif op == _sre.SUBPATTERN and not av[2] & re.IGNORECASE:
            chars, empty = _first_ascii(av[-1])  # ((?-i:...) is left unsure: a negated class is not a superset)
        elif op == _sre.BRANCH:
            parts = [_first_ascii(seq) for seq in av[1]]
            chars, empty = set().union(*(c for c, _ in parts)), any(e for _, e in parts)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            chars, empty = _first_ascii(av[2])
            empty = empty or av[0] == 0
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            chars, empty = (), True  # consume nothing: what follows gives the first character
        else:
            chars, empty = _ASCII, True
        found.update(chars)
        if not empty:
            return found, False
    return found, True


@lru_cache(maxsize=None)
def _alternatives():
    """[(pattern, the ASCII characters a line it matches can begin with)] of the "lines" patterns, and of the
    "markers" patterns, in data order; a pattern that can match empty can begin a line with anything."""
    def firsts(groups):
        out = []
        for items in groups.values():
            for p in items:
                chars, empty = _first_ascii(_sre_parse.parse(p, re.IGNORECASE).data)
                out.append((p, frozenset(_ASCII) if empty else frozenset(chars)))
        return out
    data = _data()
    return firsts(data["lines"]), firsts(data.get("markers", {}))


@lru_cache(maxsize=256)
def _starting_with(ch):
    """(the "line" regex less the alternatives that cannot begin with ASCII character ch, or None when none
    can; a regex that matches a prefix of a line, for ch, wherever the "pieces" regex could match it).

    A whole-line match begins at the line's first character, and which alternative matches does not matter,
    only whether one does: so a content line ("The minister said ...") tries the few alternatives that can
    start with a t, not all of them. "pieces" is tried whole only when one of them begins the line."""
    lines, markers = _alternatives()
    keep = tuple(p for p, chars in lines if ch in chars)
    first = keep + tuple(p for p, chars in markers if ch in chars)
    return _compiled(keep, _END), _compiled(first, "")


@lru_cache(maxsize=None)
def _compiled(alternatives, end):
    "(?:a|b|...)end, case ignored; None for no alternatives. Cached by content: t and T share one regex."
    if not alternatives:
        return None
    return regex("(?:%s)%s" % ("|".join(f"(?:{p})" for p in alternatives), end), re.IGNORECASE)


@lru_cache(maxsize=None)
def _regexes():
    data = _data()
    lines = _alternation(data["lines"])
    markers = _alternation(data.get("markers", {}))
    end = _END
    return {
        "line": regex(rf"(?:{lines}){end}", re.IGNORECASE),
        "marker": regex(rf"(?:{markers}){end}", re.IGNORECASE) if markers else None,
        # several short pieces on one line ("Share Tweet Email", "由 AI 报道 AI 生成的图像"); only tried on
        # short lines, where the repetition cannot backtrack for long
        "pieces": regex(rf"(?:{lines}|{markers})(?:[\s|•·/,]+(?:{lines}|{markers}))+{end}"
                        if markers else rf"(?:{lines})(?:[\s|•·/,]+(?:{lines}))+{end}", re.IGNORECASE),
        "max_line": int(data.get("max_line_chars", 1000)),
        "max_pieces": int(data.get("max_pieces_line_chars", 80)),
    }


@lru_cache(maxsize=8192)
def _kind(stripped):
    """'marker', 'line' or None for a stripped, non-empty line.

    Cached: cleaning and then each extractor ask about the same lines of the same article."""
    rx = _regexes()
    if len(stripped) > rx["max_line"]:
        return None  # a paragraph that long is content even when it opens like a credit
    if _SEPARATORS.fullmatch(stripped):
        return None if _TABLE_RULE.fullmatch(stripped) else "line"
    if rx["marker"] is not None and rx["marker"].fullmatch(stripped):
        return "marker"
    if stripped[0] < "\x80" and rx["marker"] is not None:
        line, opens = _starting_with(stripped[0])
        pieces = opens is not None and len(stripped) <= rx["max_pieces"] and opens.match(stripped)
    else:
        line, pieces = rx["line"], len(stripped) <= rx["max_pieces"]
    if line is not None and line.fullmatch(stripped):
        return "line"
    if pieces and rx["pieces"].fullmatch(stripped):
        return "line"
    if stripped.startswith("|"):
        # a table row (trafilatura writes cells between pipes) whose every cell is furniture
        cells = [cell.strip() for cell in stripped.strip("|").split("|") if cell.strip()]
        if cells and all(_kind(cell) == "line" for cell in cells):
            return "line"
    return None


def is_boilerplate_line(line):
    "True when the whole (stripped) line is page furniture rather than content (section headings included)."
    stripped = line.strip()
    return not stripped or _kind(stripped) is not None


def is_section_marker(line):
    "True when the line is a section heading kept in the text (e.g. 'Related', '相关文章')."
    stripped = line.strip()
    return bool(stripped) and _kind(stripped) == "marker"


def clean_text(text):
    "Drop blank and boilerplate lines (section headings stay); one paragraph per line."
    kept = [line.rstrip() for line in text.splitlines() if line.strip() and _kind(line.strip()) != "line"]
    return "\n".join(kept).strip()
