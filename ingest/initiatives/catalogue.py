"""The known initiatives: the shipped catalogue (data/initiatives_catalogue.json) and the user's own list
(data/initiatives.json, which wins on a shared id), with one compiled matcher for all their names.

Names match case-insensitively with spaces and hyphens interchangeable and British/American spellings
alike; acronyms, single words and Chinese names match exactly. A context alias ("the Alliance", "the
Commission") counts only where its initiative (or its parent or a child) is named elsewhere in the text.
"""
import json
import re
from functools import lru_cache
from importlib import resources

from ..cache import regex  # re.compile, the compiled code kept across processes
from ..countries.gazetteer import TrieMatcher, trie_pattern
from .spans import Intervals

_WORDCH = re.compile(r"[A-Za-z0-9\u00C0-\u024F]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# spelling variants treated as one name (Organization/Organisation, Center/Centre ...)
_SPELLINGS = [("organization", "organisation"), ("center", "centre"), ("program", "programme"),
              ("defense", "defence"), ("labor", "labour"), ("cooperation", "co-operation")]
# user kinds of initiatives.json's first version, in the catalogue's vocabulary
_USER_KINDS = {"event": "ministerial", "reserve": "initiative"}
EVENT_KINDS = {"summit", "ministerial", "conference", "forum", "dialogue"}


def data(name):
    return json.loads(resources.files("newstrace.ingest").joinpath("data/" + name).read_text("utf-8"))


@lru_cache(maxsize=None)
def cues():
    return data("initiative_cues.json")


@lru_cache(maxsize=None)
def user_initiatives() -> list[dict]:
    "The user's initiatives.json entries as written."
    return data("initiatives.json")["initiatives"]


@lru_cache(maxsize=None)
def known() -> dict:
    """{id: entry} for every catalogue and user initiative. An entry has id, kind, source ('catalogue' |
    'user'), name_en, name_zh, acronyms, aliases, context_aliases, parent, is_series, parties, heads,
    successor_of, description and, for catalogue entries with a list on record, members."""
    out = {}
    for item in data("initiatives_catalogue.json")["initiatives"]:
        out[item["id"]] = dict(item, source="catalogue", parties=item.get("parties") or [], heads=[],
                               successor_of=None, description=None)
    # a body's summits by its Chinese names (非洲联盟 -> 非洲联盟峰会, 非盟领导人会议), as Chinese news writes them
    taken = {n for i in out.values() for n in [i.get("name_zh")] + list(i.get("aliases") or []) if n}
    for item in out.values():
        if item.get("is_series") and item.get("kind") == "summit" and item.get("parent") in out:
            body = out[item["parent"]]
            names = [n for n in [body.get("name_zh")] + list(body.get("aliases") or []) if n and _CJK.match(n)]
            extra = [n + suffix for n in names for suffix in ("峰会", "领导人峰会", "首脑会议", "领导人会议")
                     if n + suffix not in taken]
            item["aliases"] = list(item.get("aliases") or []) + extra
            taken.update(extra)
    for item in user_initiatives():
        base = out.get(item["id"], {})
        aliases = list(item.get("aliases") or [])
        acronyms = [a for a in aliases if re.fullmatch(r"[A-Z][A-Z0-9+\-]{1,9}", a)]
        out[item["id"]] = {
            **base, "id": item["id"], "source": "user",
            "kind": _USER_KINDS.get(item.get("kind"), item.get("kind") or base.get("kind") or "initiative"),
            "name_en": item.get("name_en") or base.get("name_en"), "name_zh": item.get("name_zh") or base.get("name_zh"),
            "acronyms": sorted(set(base.get("acronyms", [])) | set(acronyms)),
            "aliases": [a for a in aliases if a not in acronyms] + list(base.get("aliases", [])),
            "context_aliases": base.get("context_aliases", []), "parent": item.get("parent") or base.get("parent"),
            "is_series": bool(item.get("is_series", base.get("is_series", False))),
            "parties": list(item.get("parties") or []), "heads": list(item.get("heads") or []),
            "successor_of": item.get("successor_of"), "description": item.get("description"),
            "members": base.get("members"), "members_as_of": base.get("members_as_of"),
            "members_source": base.get("members_source"),
        }
    return out


def fold(s):
    "Case, spacing, hyphens, dots and spelling variants folded: the key two spellings of one name share."
    s = s.lower().replace("’", "'").replace(".", "").replace("&", " and ")
    s = re.sub(r"[\s\-–—]+", " ", s).strip()
    for a, b in _SPELLINGS:
        s = re.sub(r"\b%s\b" % b, a, s)
    return s


def _variants(alias):
    "Lower-case spellings of a name for the matcher (the lookup folds them back to one key)."
    out = {alias.lower().replace("’", "'"), alias.lower().replace(".", "")}
    for a, b in _SPELLINGS + [("and", "&")]:
        for x, y in ((a, b), (b, a)):
            out |= {re.sub(r"\b%s\b" % re.escape(x), y, v) for v in list(out)}
    return out


def _exact(alias):
    "Acronyms, single words and Chinese names match as written."
    return bool(_CJK.search(alias)) or alias.isupper() or not re.search(r"[\s\-–]", alias.strip())


@lru_cache(maxsize=None)
def matcher():
    """{"exact_rx", "folded_rx", "exact": {surface: id}, "folded": {folded: id}, "context": {surface: (id,
    context words)}}: exact names and context aliases as written, the others case-insensitive."""
    exact, folded, context, lowered, lower_ok = {}, {}, {}, set(), set()
    for iid, item in known().items():
        names = [item.get("name_en"), item.get("name_zh")] + list(item.get("acronyms") or []) + \
            list(item.get("aliases") or [])
        for alias in filter(None, names):
            if _exact(alias):
                exact.setdefault(alias, iid)
            else:
                folded.setdefault(fold(alias), iid)
                lowered |= _variants(alias)
                if alias.islower():
                    lower_ok.add(fold(alias))
        for c in item.get("context_aliases") or []:
            alias = c["alias"]
            for form in {alias, alias[:1].upper() + alias[1:]}:  # "the Alliance" / "The Alliance"
                context.setdefault(form, (iid, c.get("context")))
    flex = {" ": r"[\s\-–—]+", "'": "['’]", "-": r"[\s\-–—]*"}
    return {"exact_rx": TrieMatcher(list(exact) + list(context)),
            # matched against the lower-cased text: a case-sensitive pattern lets the engine skip ahead. A
            # match starting inside a word is dropped by _bounded, so none is tried after a letter or digit
            # (only those that are one whatever they were lower-cased from: "k" may be the Kelvin sign)
            "folded_rx": regex(r"(?<![a-jl-z0-9])(?:%s)" % trie_pattern(sorted(lowered), flex)),
            "exact": exact, "folded": folded, "context": context, "lower_ok": lower_ok}


def _in_caps_run(text, start, end):
    "An acronym inside an all-capital headline ('WHO WILL PAY') is a word, not a name."
    left = text[max(0, start - 30):start].split()[-2:]
    right = text[end:end + 30].split()[:2]
    caps = [w for w in left + right if re.fullmatch(r"[A-Z]{3,}\W*", w)]
    return len(caps) >= 2


def _every_start(rx, text):
    """The longest match at every position where one starts — so "the Commonwealth" does not hide
    "Commonwealth of Independent States" — with `search`, which skips ahead in C between matches."""
    pos, out = 0, []
    while True:
        m = rx.search(text, pos)
        if m is None:
            return out
        if m.end() > m.start():
            out.append(m.span())
        pos = m.start() + 1


def _bounded(text, start, end):
    surface = text[start:end]
    if _CJK.match(surface):
        return True
    return not (start and _WORDCH.match(text, start - 1)) and not (end < len(text) and _WORDCH.match(text, end))


def find_known(text):
    """[(start, end, id, how)] for every name of a known initiative in `text`; how is 'name', 'acronym' or
    'context'. Longest match where names overlap; English names on word boundaries."""
    m = matcher()
    found = []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): offsets must stay the text's
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    found += [span for span in m["exact_rx"].every_start(text) if span[1] > span[0] and _bounded(text, *span)]
    found += [span for span in _every_start(m["folded_rx"], lowered) if _bounded(text, *span)]
    # longest names first; a shorter one overlapping a longer one is part of it
    found.sort(key=lambda se: (se[0] - se[1], se[0]))
    taken, hits, pending, named = Intervals(), [], [], set()
    items = known()
    for start, end in found:
        if taken.overlaps(start, end):
            continue
        surface = text[start:end]
        iid = m["exact"].get(surface)
        if iid is None and surface not in m["context"]:
            key = fold(surface)
            iid = m["folded"].get(key)
            # "a group of 20 people" is no Group of 20: a capitalised name needs a capital in the text
            if iid is not None and surface.islower() and key not in m["lower_ok"]:
                continue
        if iid is None:
            if surface in m["context"]:
                pending.append((start, end, surface))
                taken.add(start, end)
            continue
        acronym = surface in (items[iid].get("acronyms") or [])
        if acronym and _in_caps_run(text, start, end):
            continue
        hits.append((start, end, iid, "acronym" if acronym else "name"))
        named.add(iid)
        taken.add(start, end)
    # (a scan of the whole catalogue: only when a context alias waits for it)
    family = named | {items[i].get("parent") for i in named} | \
        {i for i, item in items.items() if item.get("parent") in named} if pending else set()
    for start, end, surface in pending:
        iid, ctx = m["context"][surface]
        weak_acronym = surface.isupper() and " " not in surface
        if (iid in named if weak_acronym else iid in family) or (ctx and any(w in text for w in ctx)):
            hits.append((start, end, iid, "context"))
    return sorted(hits)
