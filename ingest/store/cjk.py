"""Full-text search that finds Chinese words of any length.

SQLite's unicode61 tokenizer keeps a run of Han characters as one token, so 稀土 inside 中国稀土产业 is
never found; the trigram tokenizer misses every two-character word. We index CJK text with each character
as its own token (spaces inserted) and rewrite queries so that a CJK word becomes a phrase of characters:
稀土 -> "稀 土", which matches those characters next to each other anywhere in the text.
"""
import html
import re

_CJK = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0002ffff"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
# Datasette's escape_fts splits the same way: on whitespace, keeping "quoted phrases" whole
_QUERY_BITS = re.compile(r'\s+|(".*?")')


def fts_text(value):
    "The form of a text that goes into the index."
    if not value:
        return value or ""
    if not _HAS_CJK.search(value):
        return value
    # each CJK character as " c " (so a run "稀土" is " 稀  土 "); one call per run, not per character:
    # rebuilding a month's index spent 40% of its time here
    return _CJK_RUN.sub(_spaced, value)


def _spaced(match):
    return " " + "  ".join(match.group()) + " "


def _phrase(bit):
    inner = bit.strip('"').replace('"', "")
    return '"%s"' % " ".join(fts_text(inner).split())


def _phrases(query):
    "The distinct phrases of a query, in order: a word said twice asks for nothing more."
    query = query or ""
    if query.count('"') % 2:
        query += '"'
    bits = [b for b in _QUERY_BITS.split(query) if b and b != '""']
    return [p for p in dict.fromkeys(_phrase(b) for b in bits) if p != '""']


def fts_query(query):
    """A user's search words as an FTS5 query: every word or "quoted phrase" must occur.

    Replaces Datasette's escape_fts (same rules for Latin text) so the articles table page, its .json and
    .csv find Chinese words too. Repeated words are asked for once ("lithium " x 2,000 is one term)."""
    # an empty phrase matches nothing, where an empty query would be a syntax error
    return " ".join(_phrases(query)) or '""'


# What one search may ask of the index (issue 15): each phrase is one more posting list walked for every
# candidate row, each CJK character one more token in its phrase.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 16
MAX_QUERY_TOKENS = 64


class QueryTooLarge(ValueError):
    "A search that asks for more than one query may; str(err) says what to shorten."


def bounded_fts_query(query):
    """fts_query(query) after checking the search stays within MAX_QUERY_CHARS characters, MAX_QUERY_TERMS
    distinct words or phrases and MAX_QUERY_TOKENS tokens; raises QueryTooLarge otherwise."""
    query = query or ""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"The search is {len(query):,} characters long; at most {MAX_QUERY_CHARS} are allowed.")
    phrases = _phrases(query)
    if len(phrases) > MAX_QUERY_TERMS:
        raise QueryTooLarge(f"The search has {len(phrases)} different words or phrases; at most {MAX_QUERY_TERMS} "
                            "are allowed.")
    tokens = sum(len(p.strip('"').split()) for p in phrases)
    if tokens > MAX_QUERY_TOKENS:
        raise QueryTooLarge(f"The search has {tokens} words and Chinese, Japanese or Korean characters; at most "
                            f"{MAX_QUERY_TOKENS} are allowed.")
    return " ".join(phrases) or '""'


def query_terms(query):
    "The literal strings a query looks for, to highlight them in text shown to people."
    if not query:
        return []
    if query.count('"') % 2:
        query += '"'
    terms = [b.strip('"') for b in _QUERY_BITS.split(query) if b and b.strip('"')]
    return sorted(set(terms), key=len, reverse=True)


def _terms_regex(terms):
    if not terms:
        return None
    parts = []
    for term in terms:
        escaped = re.escape(term)
        # Latin words match at word starts (the tokenizer's view); CJK anywhere
        parts.append(escaped if _HAS_CJK.search(term) else r"\b" + escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


def snippet(text, terms, width=220):
    """HTML-escaped excerpt of `text` around the first match of `terms`, matches wrapped in <mark>.

    Done in Python because FTS5's snippet() would re-tokenize the unspaced stored text."""
    text = text or ""
    regex = _terms_regex(terms)
    match = regex.search(text) if regex else None
    if match:
        start = max(0, match.start() - width // 3)
        # do not start mid-word in Latin text
        if start and not _HAS_CJK.match(text[start]):
            space = text.find(" ", start, match.start())
            start = space + 1 if space != -1 else start
    else:
        start = 0
    end = min(len(text), start + width)
    window = text[start:end]
    pieces, last = [], 0
    if regex:
        for m in regex.finditer(window):
            pieces.append(html.escape(window[last:m.start()]))
            pieces.append("<mark>%s</mark>" % html.escape(m.group(0)))
            last = m.end()
    pieces.append(html.escape(window[last:]))
    out = "".join(pieces).replace("\n", " ")
    return ("…" if start else "") + out + ("…" if end < len(text) else "")
