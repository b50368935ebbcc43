"""Page -> text + metadata: trafilatura's main text and metadata (page.py), cleaned of boilerplate lines
(clean.py), with the languages it is written in (language.py).

extract_page and its errors are loaded on first use (PEP 562): the analyses import only
clean.is_boilerplate_line from here, and the Datasette plugin, which imports them, need not load trafilatura.
"""
from .clean import clean_text, is_boilerplate_line, is_section_marker
from .language import detect_language, detect_languages

_PAGE = ("extract_page", "ExtractError", "ExtractTimeout", "word_count", "bounded")

__all__ = ["clean_text", "is_boilerplate_line", "is_section_marker", "detect_language", "detect_languages", *_PAGE]


def __getattr__(name):
    if name in _PAGE:
        from . import page

        return getattr(page, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
