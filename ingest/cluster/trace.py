"""Claim tracing of a partitioned archive on the cluster, equal to the single-process tracer re-clustering
the whole archive (claims.trace.update_claims(db, None)) on the same mentions.

The single-process code does each step; Dask tasks hold the data in shards (a block key's by a stable hash
of the key, a mention's by its id) and move it between them, worker to worker:

1. each partition's mentions with their tokens (tokens.features), read where the file is, sent to the shard
   of each mention and, as postings, to the shard of each block key;
2. per block shard: blocks carried by 1 < df <= BLOCK_CAP mentions; each member learns the block's size;
3. per mention shard: each mention's walk over its rarest blocks (_shortlist's, POSTINGS_BUDGET); the block
   shards send the members of the blocks walked; then its shortlist, blocking._shortlist itself — the same
   candidates as link_local, mentions ordered as the single-process tracer reads them (article id, id);
4. each mention goes to the shard of each candidate it listed, where blocking._linked decides the pair in
   the direction link_local checks it (from the earlier mention when it listed the other), once; with the
   cross-language matcher the pairs the rules left apart and blocking.needs_model picks are decided after
   the rules by their sentence vectors (blocking.attach_vectors, stored in the mentions' partitions);
5. connected components of the links (blocking.Graph) here, in the client;
6. mentions sent to the shard of their component: each claim's state (summary.fold) and chain
   (chain.mention_edges);
7. ids and rows as update_claims gives them (update._votes, _assign_ids, _write into the archive-wide
   database, over a temporary claim_mentions of the mentions' keys), then every partition's claim_mentions
   get their claim ids (one task per partition).
"""
import time
import uuid
import zlib
from collections import defaultdict

from ..claims.trace import blocking, chain, summary, update
from ..claims.trace.rows import load_mentions, select_in, sentence_hash
from ..claims.trace.tokens import block_keys, features
from ..partitioned.layout import (claim_sentence_rows, first_articles, open_partition, set_claim_sentences,
                                  wide_claim_samples)

# fields of a mention row the linking stage never reads (kept off the shuffles)
HEAVY_FIELDS = ("title", "url", "sentence", "hedge_text", "speaker_text")


def _node(m):
    # the order in which the single-process tracer reads mentions (its loose list): article, then mention id
    return (m["article_id"], m["id"])


def key_shard(key, shards):
    "A block key's shard: a hash that is the same in every process (str hash() is not)."
    return zlib.crc32(key.encode("utf-8")) % shards


def node_shard(node, shards):
    return (node[0] * 1_000_003 + node[1]) % shards


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
        if blocking.embeds_every_mention(model):
            with db.conn:
                blocking.attach_vectors(db, rows, model)
        return rows
    finally:
        db.conn.close()


def load_piece(folder, keys, matcher, originals, shards):
    """Stage 1: the mentions of a few partitions, split for the mention shards ({node: row} each) and the
    block shards ({key: [node]} each)."""
    rows = [[{} for _ in range(shards)], [defaultdict(list) for _ in range(shards)]]
    for key in keys:
        for m in load_partition(folder, key, matcher, originals):
            rows[0][node_shard(m["_node"], shards)][m["_node"]] = m
            for block in block_keys(m["_features"]):
                rows[1][key_shard(block, shards)][block].append(m["_node"])
    return [rows[0], [dict(d) for d in rows[1]]]


def block_shard(shards, *parts):
    """Stage 2: the blocks a shortlist can walk (1 < df <= BLOCK_CAP), kept here; and for each mention shard,
    {node: [(key, df)]} of its mentions' walkable blocks."""
    postings = defaultdict(list)
    for part in parts:
        for key, nodes in part.items():
            postings[key] += nodes
    blocks, sizes = {}, [defaultdict(list) for _ in range(shards)]
    for key, nodes in postings.items():
        members = sorted(set(nodes))
        if 1 < len(members) <= blocking.BLOCK_CAP:
            blocks[key] = members
            for node in members:
                sizes[node_shard(node, shards)][node].append((key, len(members)))
    return [blocks, [dict(d) for d in sizes]]


def walks(shards, *parts):
    """Stage 3a, per mention shard: the blocks each mention's shortlist walks (rarest first, until
    POSTINGS_BUDGET postings, as _shortlist walks them), as requests {key: [node]} to each block shard."""
    requests = [defaultdict(list) for _ in range(shards)]
    sizes = defaultdict(list)
    for part in parts:
        for node, items in part.items():
            sizes[node] += items
    for node, items in sizes.items():
        spent = 0
        for key, df in sorted(items, key=lambda item: (item[1], item[0])):
            if spent >= blocking.POSTINGS_BUDGET:
                break
            requests[key_shard(key, shards)][key].append(node)
            spent += df
    return [dict(d) for d in requests]


def members(shards, blocks, *requests):
    "Stage 3b, per block shard: the members of each block walked, for the walking mention's shard."
    out = [defaultdict(dict) for _ in range(shards)]
    for part in requests:
        for key, nodes in part.items():
            for node in nodes:
                out[node_shard(node, shards)][node][key] = blocks[key]
    return [dict(d) for d in out]


def shortlists(shards, matcher, rows_parts, *member_parts):
    """Stage 3c/4a, per mention shard: each mention's shortlist (blocking._shortlist over the blocks it walked),
    kept here with the shard's rows; and each mention's row sent to the shard of every candidate it listed."""
    rows = {}
    for part in rows_parts:
        rows.update(part)
    walked = defaultdict(dict)
    for part in member_parts:
        for node, found in part.items():
            walked[node].update(found)
    model = update._matcher(matcher)
    min_hits = blocking._min_hits(model)
    lists, out = {}, [[] for _ in range(shards)]
    for node, postings in walked.items():
        found = blocking._shortlist(list(postings), postings.__getitem__, lambda k: len(postings[k]), node, min_hits,
                                    model)
        lists[node] = set(found)
        if found:
            slim = {k: v for k, v in rows[node].items() if k not in HEAVY_FIELDS}
            for other in found:
                out[node_shard(other, shards)].append((node, other, slim))
    return [{"rows": rows, "lists": lists}, out]


def links(folder, matcher, local, *parts):
    """Stage 4b, per mention shard: the pairs whose second mention lives here, each decided once, from the
    side link_local decides it: the earlier mention when it listed the later one, else the later one; as in
    link_local, the pairs the rules left apart that the cross-language matcher asks the model about are
    decided last, their mentions embedded together. Returns (edges, the shard's mentions) for the graph."""
    model = update._matcher(matcher)
    rows, lists = local["rows"], local["lists"]
    edges, deferred = [], []
    for part in parts:
        for a, b, a_row in part:
            # a listed b; b is here. a < b: link_local checks it from a. a > b: from a, unless b listed a too
            if a > b and a in lists.get(b, ()):
                continue
            if blocking._linked(a_row, rows[b], model):
                edges.append((a, b))
            elif blocking.needs_model(a_row, rows[b], model):
                deferred.append((a, b, a_row))
    if deferred:
        attach_vectors(folder, {id(m): m for _, b, a_row in deferred for m in (a_row, rows[b])}.values(), model)
        edges += [(a, b) for a, b, a_row in deferred if blocking._linked(a_row, rows[b], model)]
    return edges, list(rows)


def attach_vectors(folder, mentions, model):
    """blocking.attach_vectors for mentions of several partitions: each partition's embeddings read from and
    stored in its own claim_embeddings (a mention sent without its sentence reads it there)."""
    by_partition = defaultdict(list)
    for m in mentions:
        by_partition[m["_partition"]].append(m)
    for key, group in sorted(by_partition.items()):
        db = open_partition(folder, key)
        try:
            sentences = dict(select_in(db, "SELECT id, sentence FROM claim_mentions WHERE id IN ({marks})",
                                       [m["id"] for m in group if m.get("sentence") is None]))
            for m in group:
                if m.get("sentence") is None:
                    m["sentence"] = sentences.get(m["id"])
            with db.conn:
                blocking.attach_vectors(db, group, model)
        finally:
            db.conn.close()


def by_component(shards, local, roots):
    "Stage 6a: each mention's row to the shard of its component."
    out = [defaultdict(list) for _ in range(shards)]
    for node, row in local["rows"].items():
        root = roots[node]
        out[node_shard(root, shards)][root].append(row)
    return [dict(d) for d in out]


def components(*parts):
    "Stage 6b: each component's state, chain edges and the keys of its mentions (what update._write needs)."
    groups = defaultdict(list)
    for part in parts:
        for root, rows in part.items():
            groups[root] += rows
    out = []
    for root, rows in groups.items():
        rows.sort(key=lambda m: m["_node"])
        out.append({
            "root": root,
            "state": summary.fold(rows),
            "edges": chain.mention_edges(rows),
            "mentions": [{"node": m["_node"], "partition": m["_partition"], "id": m["id"],
                          "article_id": m["article_id"], "char_start": m["char_start"], "claim_id": m.get("claim_id"),
                          "_hash": m["_hash"]} for m in rows],
        })
    return out


def set_claim_ids_of(folder, groups):
    """set_claim_ids for a few partitions in one task: [(partition, assignments)]. Returns {partition: its
    claim_sentences rows} (the archive-wide database keeps them)."""
    return {key: set_claim_ids(folder, key, assignments) for key, assignments in groups}


def set_claim_ids(folder, key, assignments):
    """claim_mentions.claim_id of one partition: [(claim id, mention id)]. Returns the partition's claim_sentences
    rows as they are now (layout.claim_sentence_rows)."""
    db = open_partition(folder, key)
    try:
        with db.conn:
            db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?", assignments)
            # the single-file tracer's queue of articles to trace (filled by store.write_derived): traced now
            if db["claim_trace_pending"].exists():
                db.conn.execute("DELETE FROM claim_trace_pending")
        return claim_sentence_rows(db.conn)
    finally:
        db.conn.close()


def part(value, *index):
    "value[i][j]...: a part of a task's result."
    for i in index:
        value = value[i]
    return value


class _Stages:
    """Tasks with keys of their own (a re-run never meets an earlier run's results) and parts picked worker-side.

    Each task is a round trip through the scheduler, and the stages follow one another: on a loaded machine a
    round trip costs far more than the work of a small archive, so a part is picked by one task whatever its
    depth, and per-partition work goes in a few tasks of several partitions (as the loading does)."""

    def __init__(self, client):
        self.client, self.run = client, uuid.uuid4().hex[:12]

    def submit(self, name, i, fn, *args):
        return self.client.submit(fn, *args, key=f"newstrace-trace-{name}-{self.run}-{i}", pure=False)

    def pick(self, future, *index):
        "A part of a task's result, taken on the worker that holds it (one task)."
        return self.client.submit(part, future, *index, key=f"{future.key}-{'-'.join(map(str, index))}", pure=False)


def trace_archive(client, archive, matcher=update.DEFAULT_MATCHER, shards=None):
    """Re-cluster every claim mention of the archive on the cluster. Returns {"clusters", "mentions",
    "merged", "removed", "timings"}."""
    timings = {}
    t0 = time.perf_counter()
    update._matcher(matcher)  # fail here, with the install hint, before any work is sent
    parts = archive.partitions()
    wide = archive.wide
    originals = dict(wide.conn.execute(
        "SELECT i.id, i.outlet FROM article_index i WHERE i.id IN "
        "(SELECT duplicate_of FROM article_index WHERE duplicate_of IS NOT NULL)").fetchall())
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    n = shards or workers
    folder = str(archive.folder)
    stages = _Stages(client)
    keys = sorted(parts)
    pieces = max(1, min(len(keys), 2 * workers))
    originals_future = client.scatter(originals, broadcast=True, hash=False) if originals else {}
    loaded = [stages.submit("load", i, load_piece, folder, keys[i::pieces], matcher, originals_future, n)
              for i in range(pieces)]
    rows_for = [[stages.pick(f, 0, j) for f in loaded] for j in range(n)]
    blocks = [stages.submit("blocks", j, block_shard, n, *[stages.pick(f, 1, j) for f in loaded]) for j in range(n)]
    walked = [stages.submit("walks", m, walks, n, *[stages.pick(b, 1, m) for b in blocks]) for m in range(n)]
    found = [stages.submit("members", j, members, n, stages.pick(blocks[j], 0), *[stages.pick(w, j) for w in walked])
             for j in range(n)]
    lists = [stages.submit("shortlists", m, shortlists, n, matcher, rows_for[m], *[stages.pick(f, m) for f in found])
             for m in range(n)]
    local = [stages.pick(x, 0) for x in lists]
    linked = client.gather([stages.submit("links", m, links, folder, matcher, local[m],
                                          *[stages.pick(x, 1, m) for x in lists]) for m in range(n)])
    edges = [e for shard_edges, _ in linked for e in shard_edges]
    nodes = [node for _, shard_nodes in linked for node in shard_nodes]
    timings["link"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    graph = blocking.Graph()
    for node in nodes:
        graph.find(node)
    for a, b in edges:
        graph.union(a, b)
    roots = [{} for _ in range(n)]
    for node in nodes:
        roots[node_shard(node, n)][node] = graph.find(node)
    scattered = client.scatter(roots, hash=False)  # one round trip for every shard's part
    routed = [stages.submit("route", m, by_component, n, local[m], scattered[m]) for m in range(n)]
    clusters = [c for shard in client.gather([stages.submit("components", c, components,
                                                             *[stages.pick(r, c) for r in routed]) for c in range(n)])
                for c in shard]
    del loaded, rows_for, blocks, walked, found, lists, local, linked, routed, scattered
    timings["summaries"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    result, assignments = write_claims(wide, clusters)
    timings["write"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sentences = client.gather([stages.submit("claim-ids", i, set_claim_ids_of, folder,
                                             [(key, assignments.get(key, [])) for key in keys[i::pieces]])
                               for i in range(pieces)])
    with wide.conn:
        for found in sentences:
            for key, rows in found.items():
                set_claim_sentences(wide.conn, key, rows)
        archive.set_info("traced", 1)
    wide_claim_samples(wide, folder)  # (the partitions hold the claims' new ids now)
    timings["partitions"] = time.perf_counter() - t0
    result["timings"] = timings
    return result


def write_claims(wide, found):
    """The components' claims into the archive-wide database, with update_claims' own id assignment and
    writer; returns (its counts, {partition: [(claim id, mention id)]})."""
    conn = wide.conn
    clusters = []
    keys = {}  # temporary mention id -> (partition, mention id)
    # update._clusters meets the components in the order of their first mention as it reads them (a headline's
    # mention and the text's first sentence may share an article and a char_start: the sort below ties)
    for c in sorted(found, key=lambda c: tuple(c["mentions"][0]["node"])):
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
        articles = defaultdict(set)
        for temp_id, claim_id, article_id in conn.execute("SELECT id, claim_id, article_id FROM temp.claim_mentions"):
            partition, mention_id = keys[temp_id]
            assignments[partition].append((claim_id, mention_id))
            per_partition[(claim_id, partition)] += 1
            articles[(claim_id, partition)].add(article_id)
        conn.execute("DELETE FROM claim_partitions")
        conn.executemany("INSERT INTO claim_partitions (claim_id, partition, n, first_articles) VALUES (?, ?, ?, ?)",
                         [(cid, p, k, first_articles(articles[(cid, p)])) for (cid, p), k in per_partition.items()])
    conn.execute("DROP TABLE temp.claim_mentions")
    return ({"clusters": len(clusters), "mentions": len(keys), "merged": len(redirects), "removed": removed},
            dict(assignments))
