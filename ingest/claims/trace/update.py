"""The tracer's driver: update_claims re-clusters the claims a batch touched and writes them (claims,
claim_mentions.claim_id, claim_keys, claim_state, claim_edges, claim_redirects) with stable ids."""
import json
import re
from collections import Counter, defaultdict

from ... import store
from ...store import schema
from .blocking import Graph, attach_vectors, embeds_every_mention, ensure_df, index_blocks, link_local, link_stored
from .chain import EDGE_COLUMNS, edge_rows, earlier_date, mention_edges
from .rows import chunks, load_mentions, load_where_in, placeholders, select_in, sentence_hash, sentence_key
from .summary import STATE_MIN_MENTIONS, dump_state, fold, merge, summary_of
from .tokens import features, load_features

def _next_id(db):
    row = db.conn.execute("SELECT value FROM claim_trace_state WHERE name = 'next_claim_id'").fetchone()
    if row:
        return row[0]
    top = db.conn.execute(
        "SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM claims UNION ALL SELECT MAX(old_id) FROM claim_redirects "
        "UNION ALL SELECT MAX(claim_id) FROM claim_keys)"
    ).fetchone()[0]
    return (top or 0) + 1


def _assign_ids(db, clusters, votes):
    """Give each cluster an id: the old id most of its mentions had; merged claims keep the oldest id.

    clusters: [{"state", ...}], votes: [Counter(old id -> mentions)]. Returns (ids, {loser: survivor})."""
    owner = {}
    for i, counter in enumerate(votes):
        for old, n in counter.items():
            best = owner.get(old)
            # a tie goes to the cluster whose earliest mention has the smaller article id
            if best is None or (n, -clusters[i]["state"]["any"][0][1]) > (
                    votes[best][old], -clusters[best]["state"]["any"][0][1]):
                owner[old] = i
    next_id = _next_id(db)
    ids, redirects = [], {}
    owned_by = defaultdict(list)  # cluster -> the old ids it owns (one pass: a re-trace has thousands of each)
    for old, who in owner.items():
        owned_by[who].append(old)
    for i in range(len(clusters)):
        owned = sorted(owned_by.get(i, ()))
        if owned:
            ids.append(owned[0])
            for other in owned[1:]:
                redirects[other] = owned[0]
        else:
            ids.append(next_id)
            next_id += 1
    db.conn.execute("INSERT OR REPLACE INTO claim_trace_state(name, value) VALUES ('next_claim_id', ?)", [next_id])
    return ids, redirects


MATCHERS = ("rules", "cross", "model")
DEFAULT_MATCHER = "cross"


def _matcher(name):
    if name in (None, "rules"):
        return None
    if name == "cross":
        from .. import embed

        return embed.CROSS  # the model is loaded only if a cross-language pair needs it
    if name == "model":
        from .. import embed

        embed.model()  # fail now, with the install hint, rather than midway
        return embed
    raise ValueError(f"Unknown matcher {name!r}: use 'rules', 'cross' or 'model'.")


def _upgrade(db):
    """Archives traced with the earlier, larger layout (claim_blocks by article, claim_keys by hex hash, tokens
    as JSON): rewritten once, in one transaction."""
    conn = db.conn
    old_blocks = "article_id" in {r[1] for r in conn.execute("PRAGMA table_info(claim_blocks)")}
    old_keys = "sentence_hash" in {r[1] for r in conn.execute("PRAGMA table_info(claim_keys)")}
    if not (old_blocks or old_keys):
        return

    def create(table):
        for m in re.finditer(r"CREATE (TABLE|INDEX) IF NOT EXISTS (\w+)(?: ON (\w+))?[^;]*;", schema.CLAIMS_SCHEMA):
            if (m.group(3) or m.group(2)) == table:
                conn.execute(m.group(0))

    with conn:
        if old_keys:
            rows = conn.execute("SELECT article_id, sentence_hash, char_start, claim_id FROM claim_keys").fetchall()
            conn.execute("DROP TABLE claim_keys")
            create("claim_keys")
            conn.executemany("INSERT OR REPLACE INTO claim_keys(article_id, sentence_key, char_start, claim_id) "
                             "VALUES (?, ?, ?, ?)", [(a, sentence_key(h), s, c) for a, h, s, c in rows])
        if old_blocks:
            tokens = []
            for mention_id, text in conn.execute("SELECT mention_id, tokens FROM claim_features").fetchall():
                d = json.loads(text) if text.startswith("{") else None
                tokens.append((text if d is None else "\n".join(sorted(set(d["n"]) | set(d["s"]) | set(d["a"]))),
                               mention_id))
            conn.executemany("UPDATE claim_features SET tokens = ? WHERE mention_id = ?", tokens)
            conn.execute("DROP TABLE claim_blocks")
            create("claim_blocks")
            conn.executemany("INSERT OR IGNORE INTO claim_blocks(block, mention_id) VALUES (?, ?)",
                             [(b, mid) for text, mid in tokens for b in (text.split("\n") if text else ())])


def update_claims(db, article_ids=None, matcher=DEFAULT_MATCHER):
    """Re-cluster the claims touched by `article_ids` (None: all) after their mentions were (re)written.

    matcher "rules": tokens and lexicons only; "cross" (default): the rules, and the multilingual sentence model
    for mentions in different languages that share a figure or two neutral tokens; "model": the model for every
    candidate pair.
    Returns {"clusters": n, "mentions": n, "merged": n, "removed": n}."""
    model = _matcher(matcher)
    _upgrade(db)
    if article_ids is not None:
        article_ids = set(article_ids)
        # a batch that touches most of the archive re-clusters faster from scratch
        if len(article_ids) > 1 and 2 * len(article_ids) >= db.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
            article_ids = None
        elif not article_ids:
            return {"clusters": 0, "mentions": 0, "merged": 0, "removed": 0}
        else:
            article_ids = sorted(article_ids)
    with db.conn:
        if article_ids is None:
            db.conn.execute("DELETE FROM claim_state")
            fresh = load_mentions(db)
            old_keys = db.conn.execute("SELECT article_id, sentence_key, char_start, claim_id FROM claim_keys").fetchall()
            old_claims = {r[0] for r in db.conn.execute("SELECT id FROM claims")} | {k[3] for k in old_keys}
            dirty = set()
        else:
            ensure_df(db)
            fresh = load_where_in(db, "m.article_id", article_ids)
            old_keys = select_in(db, "SELECT article_id, sentence_key, char_start, claim_id FROM claim_keys "
                                   "WHERE article_id IN ({marks})", article_ids)
            # claims that had mentions in these articles may have lost some, and split: their other mentions
            # are clustered again; every other claim stays whole
            dirty = {k[3] for k in old_keys}
            old_claims = set(dirty)
        for m in fresh:
            m["_features"] = features(m)
            m["_hash"] = sentence_hash(m["sentence"])
        index_blocks(db, fresh, article_ids)
        loose = list(fresh)
        if dirty:
            batch = set(article_ids)
            members = [m for m in load_where_in(db, "m.claim_id", dirty) if m["article_id"] not in batch]
            _attach_features(db, members)
            loose += members
        if embeds_every_mention(model):
            attach_vectors(db, loose, model)
        graph = Graph()
        for i in range(len(loose)):
            graph.find(("m", i))
        link_local(loose, graph, model, db)
        linked_claims = set()
        if article_ids is not None and fresh:
            linked_claims, orphans = link_stored(db, fresh, {m["id"] for m in loose}, graph, model)
            linked_claims -= dirty
            for other_id, row in orphans.items():
                # a mention an interrupted run left without a claim: cluster it with the rest
                full = load_mentions(db, "m.id = ?", [other_id])
                if full:
                    full[0].update(_features=row["_features"], _hash=row["_hash"], _vector=row.get("_vector"))
                    graph.union(("o", other_id), ("m", len(loose)))
                    loose.append(full[0])
        clusters = _clusters(db, graph, loose, linked_claims)
        votes = _votes(clusters, old_keys)
        ids, redirects = _assign_ids(db, clusters, votes)
        removed = _write(db, clusters, ids, redirects, old_claims | linked_claims, article_ids)
        return {"clusters": len(clusters), "mentions": sum(c["state"]["n"] for c in clusters),
                "merged": len(redirects), "removed": removed}


def _clusters(db, graph, loose, linked_claims):
    "[{mentions (rows in hand), claims (whole stored claims), state}] per connected component."
    groups = defaultdict(lambda: {"mentions": [], "claims": [], "sizes": {}})
    for i, m in enumerate(loose):
        groups[graph.find(("m", i))]["mentions"].append(m)
    for cid in linked_claims:
        groups[graph.find(("c", cid))]["claims"].append(cid)
    states = _stored_states(db, linked_claims)
    out = []
    for group in groups.values():
        group["sizes"] = {c: states[c]["n"] for c in group["claims"]}
        group["edges"] = mention_edges(group["mentions"])
        group["new_names"] = None
        if len(group["claims"]) == 1:
            # one claim gaining mentions (the usual case): updated from its state and the new mentions
            base = states[group["claims"][0]]
            names = set(base["names"])
            group["state"] = fold(group["mentions"], base)
            group["new_names"] = sorted(set(group["state"]["names"]) - names)
        else:
            parts = [states[c] for c in group["claims"]]
            if group["mentions"]:
                parts.append(fold(group["mentions"]))
            group["state"] = parts[0] if len(parts) == 1 else merge(parts)
        out.append(group)
    # the order ids are handed out in: earliest first, so a batch's new ids follow publication order
    out.sort(key=lambda g: g["state"]["any"][0])
    return out


def _stored_states(db, claim_ids):
    states = {cid: json.loads(s) for cid, s in
              select_in(db, "SELECT claim_id, state FROM claim_state WHERE claim_id IN ({marks})", claim_ids)}
    missing = set(claim_ids) - set(states)
    if missing:
        # small claims (STATE_MIN_MENTIONS) and claims traced before states were kept: folded from their mentions
        by_claim = defaultdict(list)
        for m in load_where_in(db, "m.claim_id", missing):
            by_claim[m["claim_id"]].append(m)
        for cid in missing:
            states[cid] = fold(by_claim[cid])
    return states


def _votes(clusters, old_keys):
    "Per cluster, the old ids its mentions had (a whole stored claim votes with all its mentions)."
    by_hash = {(k[0], k[1]): k[3] for k in old_keys}
    by_start = {}
    for k in old_keys:
        by_start.setdefault((k[0], k[2]), k[3])
    votes = []
    for c in clusters:
        counter = Counter()
        for cid in c["claims"]:
            counter[cid] += c["sizes"][cid]
        for m in c["mentions"]:
            old = by_hash.get((m["article_id"], sentence_key(m["_hash"])))
            if old is None:
                old = by_start.get((m["article_id"], m["char_start"]))
            if old is None:
                old = m.get("claim_id")
            if old is not None:
                counter[old] += 1
        votes.append(counter)
    return votes


def _attach_features(db, mentions):
    "Stored tokens where a mention has them (computed once, when it was traced), computed otherwise."
    stored = dict(select_in(db, "SELECT mention_id, tokens FROM claim_features WHERE mention_id IN ({marks})",
                          [m["id"] for m in mentions]))
    for m in mentions:
        text = stored.get(m["id"])
        m["_features"] = load_features(text, m) if text is not None else features(m)
        m["_hash"] = sentence_hash(m["sentence"])


CLAIM_COLUMNS = ("id", "claim_text", "claim_type", "speaker", "first_seen", "first_seen_month", "first_article_id",
                 "n_mentions", "n_articles", "n_outlets", "languages", "status", "status_conflict", "has_variants",
                 "status_by", "status_independent", "status_at")


def _write(db, clusters, ids, redirects, old_claims, article_ids):
    "Store the clusters under their ids; returns how many old claims vanished."
    gone = set(old_claims) - set(ids)
    # a claim that only grew keeps its edges: its new mentions' edges are added in SQL
    grown = {cid for cid, c in zip(ids, clusters) if c["new_names"] is not None and c["claims"] == [cid]}
    # merged claims' edges are read before they are deleted
    merged_edges = defaultdict(dict)
    for cid, c in zip(ids, clusters):
        if cid not in grown and c["claims"]:
            for a, b, n, first in select_in(db, "SELECT source, target, n_mentions, first_seen FROM claim_edges "
                                              "WHERE claim_id IN ({marks})", c["claims"]):
                entry = merged_edges[cid].get((a, b))
                if entry is None:
                    merged_edges[cid][(a, b)] = [n, first]
                else:
                    entry[0] += n
                    entry[1] = earlier_date(entry[1], first)
    stale = sorted(set(ids) | gone)
    for chunk in chunks(stale):
        marks = placeholders(chunk)
        store.fts_delete(db, "claims", f"id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claims WHERE id IN ({marks})", chunk)
        db.conn.execute(f"DELETE FROM claim_state WHERE claim_id IN ({marks})", chunk)
    rewritten = sorted(set(stale) - grown)
    for chunk in chunks(rewritten):
        db.conn.execute(f"DELETE FROM claim_edges WHERE claim_id IN ({placeholders(chunk)})", chunk)
    if article_ids is None:
        db.conn.execute("DELETE FROM claim_keys")
    else:
        for chunk in chunks(article_ids):
            db.conn.execute(f"DELETE FROM claim_keys WHERE article_id IN ({placeholders(chunk)})", chunk)
    rows, mention_ids, keys, edges, added_edges, kinds, states, moved = [], [], [], [], [], [], [], []
    count_articles = []
    for cid, c in zip(ids, clusters):
        s = c["state"]
        for m in c["mentions"]:
            mention_ids.append((cid, m["id"]))
            keys.append((m["article_id"], sentence_key(m["_hash"]), m["char_start"], cid))
        # whole claims merged into this one move over in SQL, without being read
        moved += [(cid, old) for old in c["claims"] if old != cid]
        row = {"id": cid, **summary_of(s)}
        if row["n_articles"] is None:
            count_articles.append(cid)
        rows.append(row)
        names = set(s["names"])
        if cid in grown:
            added_edges += [(cid, *row) for row in edge_rows(c["edges"], names)]
            kinds += [(cid, name) for name in c["new_names"]]
        else:
            both = merged_edges.get(cid, {})
            for pair, (n, first) in c["edges"].items():
                entry = both.get(pair)
                if entry is None:
                    both[pair] = [n, first]
                else:
                    entry[0] += n
                    entry[1] = earlier_date(entry[1], first)
            edges += [(cid, *row) for row in edge_rows(both, names)]
        if s["n"] >= STATE_MIN_MENTIONS:
            states.append((cid, dump_state(s)))
    db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE id = ?", mention_ids)
    db.conn.executemany("UPDATE claim_mentions SET claim_id = ? WHERE claim_id = ?", moved)
    db.conn.executemany("UPDATE claim_keys SET claim_id = ? WHERE claim_id = ?", moved)
    db.conn.executemany(
        "INSERT OR REPLACE INTO claim_keys(article_id, sentence_key, char_start, claim_id) VALUES (?, ?, ?, ?)", keys
    )
    if count_articles:
        counted = dict(select_in(db, "SELECT claim_id, COUNT(DISTINCT article_id) FROM claim_mentions "
                                   "WHERE claim_id IN ({marks}) GROUP BY claim_id", count_articles))
        for row in rows:
            if row["n_articles"] is None:
                row["n_articles"] = counted.get(row["id"], 0)
    db.conn.executemany("INSERT OR REPLACE INTO claims({}) VALUES ({})".format(", ".join(CLAIM_COLUMNS), placeholders(CLAIM_COLUMNS)),
                        [[row[k] for k in CLAIM_COLUMNS] for row in rows])
    store.fts_insert(db, "claims", rows)
    db.conn.executemany("INSERT OR REPLACE INTO claim_state(claim_id, state) VALUES (?, ?)", states)
    db.conn.executemany("INSERT OR REPLACE INTO claim_edges({}) VALUES ({})".format(", ".join(EDGE_COLUMNS), placeholders(EDGE_COLUMNS)),
                        edges)
    db.conn.executemany(
        "INSERT INTO claim_edges({}) VALUES ({}) ON CONFLICT(claim_id, source, target) DO UPDATE SET "
        "n_mentions = n_mentions + excluded.n_mentions, first_seen = CASE WHEN first_seen IS NULL "
        "THEN excluded.first_seen WHEN excluded.first_seen IS NULL THEN first_seen "
        "ELSE MIN(first_seen, excluded.first_seen) END".format(", ".join(EDGE_COLUMNS), placeholders(EDGE_COLUMNS)),
        added_edges)
    # a name that became an outlet of the claim is an outlet node in its old edges too
    db.conn.executemany("UPDATE claim_edges SET source_kind = 'outlet' WHERE claim_id = ? AND source = ?", kinds)
    db.conn.executemany("UPDATE claim_edges SET target_kind = 'outlet' WHERE claim_id = ? AND target = ?", kinds)
    for loser, survivor in redirects.items():
        db.conn.execute("UPDATE claim_redirects SET new_id = ? WHERE new_id = ?", [survivor, loser])
        db.conn.execute("INSERT OR REPLACE INTO claim_redirects(old_id, new_id) VALUES (?, ?)", [loser, survivor])
    # an id that lives again is no longer redirected
    db.conn.executemany("DELETE FROM claim_redirects WHERE old_id = ?", [(cid,) for cid in ids])
    vanished = sorted(gone - set(redirects))
    for chunk in chunks(vanished):
        db.conn.execute(f"DELETE FROM claim_redirects WHERE new_id IN ({placeholders(chunk)})", chunk)
    return len(vanished)


def resolve(db, claim_id):
    "The id a (possibly merged) claim id now lives at, or None."
    row = db.conn.execute("SELECT new_id FROM claim_redirects WHERE old_id = ?", [claim_id]).fetchone()
    return row[0] if row else None
