"""Text cleaning beyond trafilatura: boilerplate lines listed in data/boilerplate.json."""
import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def _boilerplate_regex():
    data = json.loads(resources.files(__package__).joinpath("data/boilerplate.json").read_text("utf-8"))
    patterns = [p for lang, items in data["lines"].items() for p in items]
    return re.compile(r"(?:%s)\s*[.!。！]?" % "|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_boilerplate_line(line):
    "True when the whole (stripped) line is page furniture rather than content."
    stripped = line.strip()
    return not stripped or bool(_boilerplate_regex().fullmatch(stripped))


def clean_text(text):
    "Drop boilerplate lines; keep paragraph breaks."
    kept = [line.rstrip() for line in text.splitlines() if not is_boilerplate_line(line)]
    return "\n".join(kept).strip()
