"""Candidates: the claim_blocks index (each mention's tokens as postings, with document frequencies) read
as an inverted index, top-k; candidate pairs checked with linking.linked and joined in a union-find."""
from collections import Counter, defaultdict

from .linking import linked, model_could_link
from .rows import chunks, placeholders, select_in, sentence_hash
from .tokens import block_keys, dump_features, load_features

# A token carried by more mentions than this is too common to find candidates with ("china" in a
# China-trade archive); pairs must share rarer tokens as well.
BLOCK_CAP = 400

# Inverted-index top-k: a mention's blocks are read rarest first until this many postings were read, and
# at most CANDIDATES mentions (most blocks shared first) are checked. A batch then costs the same whatever
# the archive's size, even when every mention of a one-topic archive shares some words with every other.
POSTINGS_BUDGET = 600
CANDIDATES = 24


class Graph:
    "Union-find over nodes: ('m', mention index) for mentions in hand, ('c', claim id) for whole claims."

    def __init__(self):
        self.parent = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _weight(key, matcher):
    "A shared figure counts twice for the cross-language matcher: 'the same claim, figures equal' is a candidate."
    return 2 if key.startswith("q:") and getattr(matcher, "cross_only", False) else 1


def _shortlist(keys, postings_of, df_of, self_id, min_hits=2, matcher=None):
    """Candidates for one mention, inverted-index top-k: walk its blocks rarest first (blocks carried by more
    than BLOCK_CAP mentions are useless), stop past POSTINGS_BUDGET postings, keep those sharing two of the
    blocks walked, most shared first, at most CANDIDATES."""
    hits = Counter()
    spent = 0
    cross = getattr(matcher, "cross_only", False)
    walk = [(df, k) for k in keys if 1 < (df := df_of(k)) <= BLOCK_CAP]
    walk.sort()  # (document frequency, block): the same order as sorting the blocks by that key
    for df, key in walk:
        if spent >= POSTINGS_BUDGET:
            break
        members = postings_of(key)
        spent += len(members)
        # Counter.update counts in C: this loop was the tracer's largest cost on a batch of text-heavy pages
        hits.update(members)
        if cross and key.startswith("q:"):
            hits.update(members)  # _weight: a shared figure counts twice for the cross-language matcher
    hits.pop(self_id, None)
    found = [(n, other) for other, n in hits.items() if n >= min_hits]
    found.sort(key=lambda x: (-x[0], x[1]))
    return [other for _, other in found[:CANDIDATES]]


def link_local(mentions, graph, matcher, db=None):
    "Link the mentions in hand among themselves (each against its shortlist)."
    index = defaultdict(list)
    for i, m in enumerate(mentions):
        for key in block_keys(m["_features"]):
            index[key].append(i)
    checked = set()
    deferred = []
    df = {key: len(members) for key, members in index.items()}
    for i, m in enumerate(mentions):
        for j in _shortlist(block_keys(m["_features"]), index.__getitem__, df.__getitem__, i,
                            _min_hits(matcher), matcher):
            pair = (i, j) if i < j else (j, i)
            if pair in checked or graph.find(("m", i)) == graph.find(("m", j)):
                continue
            checked.add(pair)
            if _linked(m, mentions[j], matcher):
                graph.union(("m", i), ("m", j))
            elif needs_model(m, mentions[j], matcher):
                deferred.append(pair)
    if deferred and db is not None:
        # the cross-language pairs the rules left apart: their sentences embedded once, in one call
        attach_vectors(db, [mentions[k] for k in sorted({k for p in deferred for k in p})], matcher)
        for i, j in deferred:
            if graph.find(("m", i)) != graph.find(("m", j)) and _linked(mentions[i], mentions[j], matcher):
                graph.union(("m", i), ("m", j))


def needs_model(a, b, matcher):
    """Does the default (cross-language) matcher ask the model about this pair: mentions in different languages
    that share a figure, or two language-neutral tokens (figures, concepts, countries, names), and that the
    rules left apart. The model vouches for the rest of the sentence being the same claim. A pair with fewer
    than two such tokens in all (one shared figure, nothing else) is not asked: the model could not link it
    (linking._linked_by_model), so its sentences are not embedded for it."""
    if matcher is None or not getattr(matcher, "cross_only", False):
        return False
    fa, fb = a["_features"], b["_features"]
    if fa["zh"] == fb["zh"] or a["article_id"] == b["article_id"]:
        return False
    if not (fa["anchors"] & fb["anchors"] or len(fa["neutral"] & fb["neutral"]) >= 2):
        return False
    return model_could_link(fa, fb)


def embeds_every_mention(matcher):
    """The model matcher compares the embeddings of every candidate pair; the cross-language one (cross_only)
    embeds only the mentions of the pairs needs_model picks, after the rules."""
    return matcher is not None and not getattr(matcher, "cross_only", False)


def _min_hits(matcher):
    # the model can vouch for a pair that shares one block only (a translation the lexicon barely covers)
    return 1 if embeds_every_mention(matcher) else 2


def _linked(a, b, matcher):
    sim = None
    if matcher is not None and a.get("_vector") is not None and b.get("_vector") is not None:
        sim = float(a["_vector"] @ b["_vector"])
    return linked(a, a["_features"], b, b["_features"], sim=sim)


def ensure_df(db):
    "Archives traced before the df table existed: count once."
    if db.conn.execute("SELECT 1 FROM claim_block_df LIMIT 1").fetchone() is None and \
            db.conn.execute("SELECT 1 FROM claim_blocks LIMIT 1").fetchone() is not None:
        db.conn.execute("INSERT INTO claim_block_df(block, n) SELECT block, COUNT(*) FROM claim_blocks GROUP BY block")


def link_stored(db, fresh, exclude, graph, matcher):
    """Link the fresh mentions (graph nodes ('m', i)) to stored mentions outside `exclude`; a stored mention
    that belongs to a claim joins the graph as that whole claim. Returns {claim id} linked and the stored
    mentions without a claim that were linked (rows, to be clustered with the rest)."""
    keys = set()
    for m in fresh:
        keys |= block_keys(m["_features"])
    df = dict(select_in(db, "SELECT block, n FROM claim_block_df WHERE block IN ({marks})", keys))
    # each mention's walk, decided on document frequencies alone: one postings query for the whole batch
    wanted = set()
    walks = []
    for m in fresh:
        walk, spent = [], 0
        for key in sorted((k for k in block_keys(m["_features"]) if 1 < df.get(k, 0) <= BLOCK_CAP),
                          key=lambda k: (df[k], k)):
            if spent >= POSTINGS_BUDGET:
                break
            walk.append(key)
            spent += df[key]
        walks.append(walk)
        wanted.update(walk)
    postings = defaultdict(list)
    for block, mention_id in select_in(db, "SELECT block, mention_id FROM claim_blocks WHERE block IN ({marks})", wanted):
        if mention_id not in exclude:
            postings[block].append(mention_id)
    shortlists = []
    for m, walk in zip(fresh, walks):
        hits = Counter()
        for key in walk:
            w = _weight(key, matcher)
            for member in postings.get(key, ()):
                hits[member] += w
        found = sorted(((n, other) for other, n in hits.items() if n >= _min_hits(matcher)),
                       key=lambda x: (-x[0], x[1]))
        shortlists.append([other for _, other in found[:CANDIDATES]])
    ids = {other for s in shortlists for other in s}
    if not ids:
        return set(), {}
    stored = {}
    for mid, aid, claim_id, tokens, sentence, quantities in select_in(
            db, "SELECT f.mention_id, m.article_id, m.claim_id, f.tokens, m.sentence, m.quantities "
                "FROM claim_features f JOIN claim_mentions m ON m.id = f.mention_id WHERE f.mention_id IN ({marks})",
            ids):
        stored[mid] = {"id": mid, "article_id": aid, "claim_id": claim_id, "_tokens": tokens, "sentence": sentence,
                       "quantities": quantities, "_hash": sentence_hash(sentence) if matcher is not None else None}
    if embeds_every_mention(matcher):
        attach_vectors(db, list(stored.values()), matcher)
    claims, orphans = set(), {}
    deferred = []

    def join(i, other, node):
        graph.union(("m", i), node)
        if other["claim_id"] is not None:
            claims.add(other["claim_id"])
        else:
            orphans[other["id"]] = other

    for i, (m, shortlist) in enumerate(zip(fresh, shortlists)):
        for other_id in shortlist:
            other = stored.get(other_id)
            if other is None:
                continue
            node = ("c", other["claim_id"]) if other["claim_id"] is not None else ("o", other_id)
            # most of a shortlist is often one claim: once linked to it, its other mentions need no check
            if graph.find(("m", i)) == graph.find(node):
                continue
            if "_features" not in other:
                other["_features"] = load_features(other["_tokens"], other)
            if _linked(m, other, matcher):
                join(i, other, node)
            elif needs_model(m, other, matcher):
                deferred.append((i, other, node))
    if deferred:
        for other in {id(o): o for _, o, _ in deferred}.values():
            if other.get("_hash") is None:
                other["_hash"] = sentence_hash(other["sentence"])
        attach_vectors(db, [fresh[i] for i in sorted({i for i, _, _ in deferred})] +
                       list({id(o): o for _, o, _ in deferred}.values()), matcher)
        for i, other, node in deferred:
            if graph.find(("m", i)) != graph.find(node) and _linked(fresh[i], other, matcher):
                join(i, other, node)
    return claims, orphans


def attach_vectors(db, mentions, matcher):
    "Embeddings by sentence hash: stored ones read, the others computed in one call and stored."
    import numpy as np

    hashes = {m["_hash"] for m in mentions}
    have = {h: np.frombuffer(v, dtype=np.float16).astype(np.float32)
            for h, name, v in select_in(db, "SELECT sentence_hash, model, vector FROM claim_embeddings "
                                          "WHERE sentence_hash IN ({marks})", hashes) if name == matcher.NAME}
    missing = {}
    for m in mentions:
        if m["_hash"] not in have and m.get("sentence") is not None:
            missing.setdefault(m["_hash"], m["sentence"])
    if missing:
        vectors = matcher.embed(list(missing.values()))
        rows = []
        for h, v in zip(missing, vectors):
            v16 = v.astype(np.float16)
            have[h] = v16.astype(np.float32)
            rows.append((h, matcher.NAME, v16.tobytes()))
        db.conn.executemany("INSERT OR REPLACE INTO claim_embeddings(sentence_hash, model, vector) VALUES (?, ?, ?)",
                            rows)
    for m in mentions:
        m["_vector"] = have.get(m["_hash"])


def index_blocks(db, mentions, article_ids):
    "(Re)write the blocks, document frequencies and stored tokens of `mentions` (those of `article_ids`)."
    if article_ids is None:
        for table in ("claim_blocks", "claim_block_df", "claim_features"):
            db.conn.execute(f"DELETE FROM {table}")
    else:
        # the old mentions' rows are gone by now: their stored tokens say which postings to delete (through
        # the primary key, so the postings need no index by article)
        gone, postings = Counter(), []
        for mention_id, tokens in select_in(db, "SELECT mention_id, tokens FROM claim_features "
                                              "WHERE article_id IN ({marks})", article_ids):
            for block in tokens.split("\n") if tokens else ():
                gone[block] += 1
                postings.append((block, mention_id))
        db.conn.executemany("DELETE FROM claim_blocks WHERE block = ? AND mention_id = ?", postings)
        db.conn.executemany("UPDATE claim_block_df SET n = n - ? WHERE block = ?", [(n, b) for b, n in gone.items()])
        for chunk in chunks(article_ids):
            db.conn.execute(f"DELETE FROM claim_features WHERE article_id IN ({placeholders(chunk)})", chunk)
    added = Counter()
    rows = []
    for m in mentions:
        for key in block_keys(m["_features"]):
            rows.append((key, m["id"]))
            added[key] += 1
    db.conn.executemany("INSERT OR IGNORE INTO claim_blocks(block, mention_id) VALUES (?, ?)", rows)
    db.conn.executemany("INSERT INTO claim_block_df(block, n) VALUES (?, ?) "
                        "ON CONFLICT(block) DO UPDATE SET n = n + excluded.n", list(added.items()))
    db.conn.executemany("INSERT OR REPLACE INTO claim_features(mention_id, article_id, tokens) VALUES (?, ?, ?)",
                        [(m["id"], m["article_id"], dump_features(m["_features"])) for m in mentions])
