"""The reporting chain: who said a claim and which outlets passed it on (speaker -> credited outlet(s) ->
the article's outlet -> a republished copy), as weighted edges over a claim's mentions."""
import json

from .tokens import canonical_speaker

EDGE_COLUMNS = ("claim_id", "source", "source_kind", "target", "target_kind", "n_mentions", "first_seen")


def outlet_of(m):
    "The outlet a mention counts for: a republished copy counts as its original's outlet."
    return m.get("original_outlet") or m.get("outlet") or "unknown"


def _path(m):
    "The reporting path of one mention: speaker -> credited outlet(s) -> this article's outlet (-> its copy)."
    chain = m.get("chain") or []
    if isinstance(chain, str):
        try:
            chain = json.loads(chain or "[]")
        except ValueError:
            chain = []
    path = [c for c in chain if isinstance(c, str) and c.strip()] if isinstance(chain, list) else []
    if not path:
        path = [p for p in (m.get("speaker"), m.get("cited_source")) if p]
    path = [canonical_speaker(p) if p == m.get("speaker") else p for p in path]
    here = outlet_of(m)
    if not path or path[-1] != here:
        path.append(here)
    if m.get("outlet") and m["outlet"] != here:
        path.append(m["outlet"])  # a republished copy: its original's outlet passed it on
    return [(a, b) for a, b in zip(path, path[1:]) if a != b]


def outlet_names(m):
    return {outlet_of(m)} | {x for x in (m.get("outlet"), m.get("cited_source")) if x}


def chain_edges(mentions):
    """'Reported by' edges over a claim's mentions: speaker -> credited outlet(s) -> the article's outlet.

    Returns [{source, source_kind, target, target_kind, n_mentions, first_seen}]."""
    edges, names = mention_edges(mentions), set()
    for m in mentions:
        names |= outlet_names(m)
    return [dict(zip(EDGE_COLUMNS[1:], row)) for row in edge_rows(edges, names)]


def earlier_date(a, b):
    "The earlier of two publication dates, an undated one last."
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def mention_edges(mentions, edges=None):
    "{(source, target): [n mentions, first published]} over the mentions' reporting paths."
    edges = {} if edges is None else edges
    for m in mentions:
        for pair in _path(m):
            entry = edges.get(pair)
            if entry is None:
                edges[pair] = [1, m.get("published")]
            else:
                entry[0] += 1
                entry[1] = earlier_date(entry[1], m.get("published"))
    return edges


def edge_rows(edges, names):
    "(source, source_kind, target, target_kind, n_mentions, first_seen) rows; a name an outlet carries is an outlet."
    return [(a, "outlet" if a in names else "speaker", b, "outlet" if b in names else "speaker", n, first)
            for (a, b), (n, first) in edges.items()]
