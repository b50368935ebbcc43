"""A reader's search syntax turned into an FTS5 query for the spaced-CJK index: words (all must occur),
"exact phrases", OR between two terms, -word to leave out; and, when asked, each term widened with its
translations from the bilingual lexicon (ingest/data/claim_lexicon.json: rare earth ⇄ 稀土).

parse(q) -> list of groups (AND-ed); a group is alternatives (OR-ed), each a literal string (a word or a
phrase); exclusions apart. Request values only ever reach SQL as the bound MATCH string."""
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from datasette.utils.asgi import BadRequest

from newstrace.ingest.store.cjk import fts_text

TOKEN = re.compile(r'-?"[^"]*"?|\S+')
# how many lexicon translations one term may add (the lexicon lists inflections: "tariffs", "duties", ...)
MAX_EXPANSIONS = 6


@dataclass
class Query:
    groups: list = field(default_factory=list)      # [[term, ...], ...]: every group must match, any term of it
    excluded: list = field(default_factory=list)    # terms that must not occur
    expansions: list = field(default_factory=list)  # [{"term", "added": [...]}] when translations were added

    def terms(self):
        "The literal strings looked for (to highlight them)."
        return sorted({t for g in self.groups for t in g}, key=len, reverse=True)

    def fts(self):
        "The FTS5 MATCH expression; '\"\"' (matches nothing) when there is nothing to look for."
        if not self.groups:
            return '""'
        parts = []
        for group in self.groups:
            alternatives = [_phrase(t) for t in group]
            alternatives = [a for a in alternatives if a != '""']
            if not alternatives:
                continue
            parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
        if not parts:
            return '""'
        expression = " AND ".join(parts)
        for term in self.excluded:
            phrase = _phrase(term)
            if phrase != '""':
                expression = f"({expression}) NOT {phrase}"
        return expression


def _phrase(term):
    inner = term.replace('"', "")
    return '"%s"' % " ".join(fts_text(inner).split())


def parse(q):
    """Words, "phrases", OR and -exclusions. A lone OR, or one at either end, is a word ('or' is a stopword
    in English text anyway); a query of exclusions only is refused (it would list the whole archive)."""
    tokens = TOKEN.findall(q or "")
    query = Query()
    pending_or = False
    for i, token in enumerate(tokens):
        if token == "OR" and query.groups and i + 1 < len(tokens):
            pending_or = True
            continue
        negative = token.startswith("-") and len(token) > 1
        term = token[1:] if negative else token
        term = term.strip('"') if term.startswith('"') else term
        term = term.strip()
        if not term:
            continue
        if negative:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    if query.excluded and not query.groups:
        raise BadRequest("A search needs at least one word to look for, besides the -words to leave out.")
    return query


@lru_cache(maxsize=1)
def lexicon():
    "{lowercased surface: (concept, language)} and {concept: {en: [...], zh: [...]}} from the claims lexicon."
    data = json.loads(resources.files("newstrace.ingest").joinpath("data/claim_lexicon.json").read_text("utf-8"))
    concepts = data.get("concepts", {})
    surfaces = {}
    for concept, forms in concepts.items():
        for lang in ("en", "zh"):
            for form in forms.get(lang, []):
                surfaces.setdefault(form.casefold(), (concept, lang))
    return surfaces, concepts


def translate(query):
    """Each term that the lexicon knows gets its translations as alternatives: English terms their Chinese
    forms, Chinese terms their English ones (at most MAX_EXPANSIONS each). Adjacent single words that make a
    lexicon phrase ('rare' 'earth') are read together. Records what was added in query.expansions."""
    surfaces, concepts = lexicon()
    groups = _join_phrases(query.groups, surfaces)
    out = []
    for group in groups:
        widened = list(group)
        for term in group:
            found = surfaces.get(term.casefold())
            if not found:
                continue
            concept, lang = found
            other = "zh" if lang == "en" else "en"
            added = [f for f in concepts[concept].get(other, []) if f.casefold() not in {w.casefold() for w in widened}]
            added = added[:MAX_EXPANSIONS]
            if added:
                widened += added
                query.expansions.append({"term": term, "added": added})
        out.append(widened)
    query.groups = out
    return query


def _join_phrases(groups, surfaces):
    "Single-word groups that together form a lexicon phrase become one phrase ('rare', 'earth' -> 'rare earth')."
    out, i = [], 0
    while i < len(groups):
        joined = False
        if len(groups[i]) == 1:
            for span in (4, 3, 2):
                window = groups[i:i + span]
                if len(window) == span and all(len(g) == 1 for g in window):
                    phrase = " ".join(g[0] for g in window)
                    if phrase.casefold() in surfaces:
                        out.append([phrase])
                        i += span
                        joined = True
                        break
        if not joined:
            out.append(groups[i])
            i += 1
    return out
