"""Claim tracing of a partitioned archive on the cluster, equal to the single-process tracer re-clustering
the whole archive (claims.trace.update_claims(db, None)) on the same mentions.

The single-process code does each step; Dask moves the data between them:

1. each partition's mentions with their tokens (tokens.features), on the worker that reads the file;
2. postings shuffled by block key: a block with 1 < df <= BLOCK_CAP goes with its members to each of them;
3. per mention (shuffled by mention): its shortlist, blocking._shortlist over those blocks — the same
   candidates as link_local, mentions ordered as the single-process tracer reads them (article id, id);
4. candidate pairs shuffled to the first of the two that listed the other, then to the second, with both
   mentions' rows in hand: blocking._linked decides, checked in the direction link_local checks it;
5. connected components of the links (blocking.Graph) here, in the client;
6. mentions shuffled by component: each claim's state (summary.fold) and reporting chain (chain.mention_edges);
7. ids and rows as update_claims gives them (update._votes, _assign_ids, _write into the archive-wide
   database, over a temporary claim_mentions of the mentions' keys), then every partition's claim_mentions
   get their claim ids (one task per partition).
"""
import time
from collections import defaultdict

from ..claims.trace import blocking, chain, summary, update
from ..claims.trace.rows import load_mentions, sentence_hash
from ..claims.trace.tokens import block_keys, features
from ..partitioned.layout import open_partition

# fields of a mention row the linking stage never reads (kept off the shuffles)
HEAVY_FIELDS = ("title", "url")


def _node(m):
    # the order in which the single-process tracer reads mentions (its loose list): article, then mention id
    return (m["article_id"], m["id"])


def load_partition(folder, key, matcher, originals):
    """The mentions of one partition as the tracer reads them, with tokens (and sentence vectors for the
    model matcher); `originals`: outlet of every article some article duplicates (it may be elsewhere)."""
    db = open_partition(folder, key)
    try:
        rows = load_mentions(db)
        model = update._matcher(matcher)
        for m in rows:
            if m.get("duplicate_of") is not None and m.get("original_outlet") is None:
                m["original_outlet"] = originals.get(m["duplicate_of"])
            m["_features"] = features(m)
            m["_hash"] = sentence_hash(m["sentence"])
            m["_node"] = _node(m)
            m["_partition"] = key
        if model is not None:
            with db.conn:
                blocking.attach_vectors(db, rows, model)
        rows.sort(key=lambda m: m["_node"])
        return rows
    finally:
        db.conn.close()


def load_partitions(folder, keys, matcher, originals):
    "The mentions of several partitions (one task reads a few files: fewer, larger pieces to shuffle)."
    rows = []
    for key in keys:
        rows += load_partition(folder, key, matcher, originals)
    return rows


def _postings(mentions):
    return [(key, m["_node"]) for m in mentions for key in block_keys(m["_features"])]


def _useful_block(group):
    "(key, members) of a block the shortlists can walk, or None."
    key, postings = group
    members = sorted({node for _, node in postings})
    if 1 < len(members) <= blocking.BLOCK_CAP:
        return key, members
    return None


def _block_sizes(block):
    key, members = block
    return [(node, key, len(members)) for node in members]


def _walk(group):
    "(node, the blocks its shortlist walks): rarest first until POSTINGS_BUDGET postings, as _shortlist does."
    node, items = group
    walked, spent = [], 0
    for _, key, df in sorted(items, key=lambda item: (item[2], item[1])):
        if spent >= blocking.POSTINGS_BUDGET:
            break
        walked.append(key)
        spent += df
    return node, walked


def _to_walkers(group):
    "A block and the mentions that walk it -> (mention, key, members) for each of them."
    key, items = group
    members = next((v for _, (kind, v) in items if kind == "block"), None)
    return [(node, key, members) for _, (kind, node) in items if kind == "walk"]


def _shortlist(group, min_hits):
    node, items = group
    postings = {key: members for _, key, members in items}
    found = blocking._shortlist(list(postings), postings.__getitem__, lambda k: len(postings[k]), node, min_hits)
    return node, found


def _requests(shortlist):
    node, others = shortlist
    return [((min(node, other), max(node, other)), node) for other in others]


def _direction(group):
    """(first, second): link_local checks a pair from the earlier mention's side when that one listed the
    other, else from the later one's."""
    (a, b), listers = group
    listers = {lister for _, lister in listers}
    return (a, b) if a in listers else (b, a)


def _slim(m):
    return {k: v for k, v in m.items() if k not in HEAVY_FIELDS}


def _with_first(group):
    "Group of (first, [('check', second) ..., ('row', mention)]) -> (second, ('pair', first row))."
    _, items = group
    row = next((v for _, (kind, v) in items if kind == "row"), None)
    return [(second, ("pair", row)) for _, (kind, second) in items if kind == "check"]


def _linked_pairs(group, matcher):
    _, items = group
    row = next((v for _, (kind, v) in items if kind == "row"), None)
    model = update._matcher(matcher)
    out = []
    for _, (kind, first) in items:
        if kind == "pair" and blocking._linked(first, row, model):
            out.append((first["_node"], row["_node"]))
    return out


def _cluster(group):
    "One component's state, chain edges and the keys of its mentions (what update._write needs)."
    root, items = group
    mentions = sorted((m for _, m in items), key=lambda m: m["_node"])
    return {
        "root": root,
        "state": summary.fold(mentions),
        "edges": chain.mention_edges(mentions),
        "mentions": [{"node": m["_node"], "partition": m["_partition"], "id": m["id"], "article_id": m["article_id"],
                      "char_start": m["char_start"], "claim_id": m.get("claim_id"), "_hash": m["_hash"]}
                     for m in mentions],
    }


def set_claim_ids(folder, key, assignments):
    "claim_mentions.claim_id of one partition: [(claim id, mention id)]."
    db = open_partition(folder, key)
    try:
        with db.conn:
            db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?", assignments)
        return len(assignments)
    finally:
        db.conn.close()


def trace_archive(client, archive, matcher="rules", npartitions=None):
    """Re-cluster every claim mention of the archive on the cluster. Returns {"clusters", "mentions",
    "merged", "removed", "timings"}."""
    import dask
    import dask.bag as dbag

    timings = {}
    t0 = time.perf_counter()
    update._matcher(matcher)  # fail here, with the install hint, before any work is sent
    parts = archive.partitions()
    wide = archive.wide
    originals = dict(wide.conn.execute(
        "SELECT i.id, i.outlet FROM article_index i WHERE i.id IN "
        "(SELECT duplicate_of FROM article_index WHERE duplicate_of IS NOT NULL)").fetchall())
    n = npartitions or max(1, min(64, len(client.scheduler_info().get("workers", {}))))
    folder = str(archive.folder)
    originals_future = client.scatter([originals], broadcast=True)[0]
    keys = sorted(parts)
    pieces = min(len(keys), 4 * n) or 1
    mentions = dbag.from_delayed([dask.delayed(load_partitions)(folder, keys[i::pieces], matcher, originals_future)
                                  for i in range(pieces)]).persist()
    min_hits = blocking._min_hits(update._matcher(matcher))
    blocks = (mentions.map_partitions(_postings)
              .groupby(lambda p: p[0], shuffle="tasks", npartitions=n)
              .map(_useful_block).filter(lambda b: b is not None)).persist()
    # each mention's walk needs only its blocks' sizes; then the members of the blocks it walks
    walks = (blocks.map(_block_sizes).flatten()
             .groupby(lambda item: item[0], shuffle="tasks", npartitions=n)
             .map(_walk))
    wanted = dbag.concat([walks.map(lambda w: [(key, ("walk", w[0])) for key in w[1]]).flatten(),
                          blocks.map(lambda b: (b[0], ("block", b[1])))])
    shortlists = (wanted.groupby(lambda t: t[0], shuffle="tasks", npartitions=n).map(_to_walkers).flatten()
                  .groupby(lambda item: item[0], shuffle="tasks", npartitions=n)
                  .map(_shortlist, min_hits))
    checks = (shortlists.map(_requests).flatten()
              .groupby(lambda r: r[0], shuffle="tasks", npartitions=n)
              .map(_direction))
    slim = mentions.map(_slim)
    firsts = dbag.concat([checks.map(lambda c: (c[0], ("check", c[1]))),
                          slim.map(lambda m: (m["_node"], ("row", m)))])
    seconds = dbag.concat([
        firsts.groupby(lambda t: t[0], shuffle="tasks", npartitions=n).map(_with_first).flatten(),
        slim.map(lambda m: (m["_node"], ("row", m)))])
    links = (seconds.groupby(lambda t: t[0], shuffle="tasks", npartitions=n)
             .map(_linked_pairs, matcher).flatten())
    edges, nodes = dask.compute(links, mentions.map(lambda m: m["_node"]))
    timings["link"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    graph = blocking.Graph()
    for node in nodes:
        graph.find(node)
    for a, b in edges:
        graph.union(a, b)
    roots = {node: graph.find(node) for node in nodes}
    roots_future = client.scatter([roots], broadcast=True)[0]
    clusters = (mentions.map(lambda m, roots: (roots[m["_node"]], m), roots_future)
                .groupby(lambda t: t[0], shuffle="tasks", npartitions=n)
                .map(_cluster)).compute()
    del mentions  # the persisted rows are released on the workers
    timings["summaries"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    result, assignments = write_claims(wide, clusters)
    timings["write"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.gather([client.submit(set_claim_ids, folder, key, assignments.get(key, []), pure=False)
                   for key in parts])
    with wide.conn:
        archive.set_info("traced", 1)
    timings["partitions"] = time.perf_counter() - t0
    result["timings"] = timings
    return result


def write_claims(wide, found):
    """The components' claims into the archive-wide database, with update_claims' own id assignment and
    writer; returns (its counts, {partition: [(claim id, mention id)]})."""
    conn = wide.conn
    clusters = []
    keys = {}  # temporary mention id -> (partition, mention id)
    for c in found:
        mentions = []
        for m in c["mentions"]:
            temp_id = len(keys) + 1
            keys[temp_id] = (m["partition"], m["id"])
            mentions.append(dict(m, id=temp_id))
        clusters.append({"mentions": mentions, "claims": [], "sizes": {}, "edges": c["edges"], "new_names": None,
                         "state": c["state"]})
    # the order update._clusters hands ids out in
    clusters.sort(key=lambda g: g["state"]["any"][0])
    old_keys = conn.execute("SELECT article_id, sentence_key, char_start, claim_id FROM claim_keys").fetchall()
    old_claims = {r[0] for r in conn.execute("SELECT id FROM claims")} | {k[3] for k in old_keys}
    conn.execute("DROP TABLE IF EXISTS temp.claim_mentions")
    conn.execute("CREATE TEMP TABLE claim_mentions (id INTEGER PRIMARY KEY, article_id INTEGER, claim_id INTEGER)")
    conn.executemany("INSERT INTO temp.claim_mentions (id, article_id, claim_id) VALUES (?, ?, ?)",
                     [(m["id"], m["article_id"], m["claim_id"]) for c in clusters for m in c["mentions"]])
    with conn:
        conn.execute("DELETE FROM claim_state")
        votes = update._votes(clusters, old_keys)
        ids, redirects = update._assign_ids(wide, clusters, votes)
        removed = update._write(wide, clusters, ids, redirects, old_claims, None)
        assignments = defaultdict(list)
        per_partition = defaultdict(int)
        for temp_id, claim_id in conn.execute("SELECT id, claim_id FROM temp.claim_mentions"):
            partition, mention_id = keys[temp_id]
            assignments[partition].append((claim_id, mention_id))
            per_partition[(claim_id, partition)] += 1
        conn.execute("DELETE FROM claim_partitions")
        conn.executemany("INSERT INTO claim_partitions (claim_id, partition, n) VALUES (?, ?, ?)",
                         [(cid, p, k) for (cid, p), k in per_partition.items()])
    conn.execute("DROP TABLE temp.claim_mentions")
    return ({"clusters": len(clusters), "mentions": len(keys), "merged": len(redirects), "removed": removed},
            dict(assignments))
