"""Text cleaning beyond trafilatura: boilerplate lines listed in data/boilerplate.json.

Two kinds of furniture: "lines" (cookie banners, credits, buttons, 'read also' links) are deleted from the
stored text; "markers" (section headings such as "Related" or 相关文章) are kept there, because extractors
use them to tell a page's main story from its related-story summaries, but are skipped like boilerplate.
"""
import json
import re
from functools import lru_cache
from importlib import resources

# a line of separators and bullets is layout in any language; brackets, quotes and emoticons are not
# ("}" ends code, "=)" is a reader's smile), nor a Markdown table rule (trafilatura writes tables so)
_SEPARATORS = re.compile(r"[|•·\-–—_=*+~#.…/\\\s。]+")
_TABLE_RULE = re.compile(r"\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?")


@lru_cache(maxsize=None)
def _data():
    return json.loads(resources.files("newstrace.ingest").joinpath("data/boilerplate.json").read_text("utf-8"))


def _alternation(groups):
    return "|".join(f"(?:{p})" for items in groups.values() for p in items)


@lru_cache(maxsize=None)
def _regexes():
    data = _data()
    lines = _alternation(data["lines"])
    markers = _alternation(data.get("markers", {}))
    end = r"\s*[.!。！:：]?"
    return {
        "line": re.compile(rf"(?:{lines}){end}", re.IGNORECASE),
        "marker": re.compile(rf"(?:{markers}){end}", re.IGNORECASE) if markers else None,
        # several short pieces on one line ("Share Tweet Email", "由 AI 报道 AI 生成的图像"); only tried on
        # short lines, where the repetition cannot backtrack for long
        "pieces": re.compile(rf"(?:{lines}|{markers})(?:[\s|•·/,]+(?:{lines}|{markers}))+{end}"
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
    if rx["line"].fullmatch(stripped):
        return "line"
    if len(stripped) <= rx["max_pieces"] and rx["pieces"].fullmatch(stripped):
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
