"""One initiative across articles: after a batch, initiatives the text found that are another's name
(an acronym found alone in one article and beside its long form in another; a spelling of a catalogue
name) are merged into it. The merged id keeps working through `initiative_redirects`, like claims."""
import json
import re

from .catalogue import fold

MOVED = ("participation", "initiative_mentions", "initiative_claimed_counts")


def _keys(row):
    names = [row["name_en"], row["name_zh"]] + json.loads(row["aliases"] or "[]")
    return {fold(n) for n in names if n}


def merges(rows):
    """{old id: new id} for text-found initiatives that share a name with another: a catalogue or user
    entry wins, then the one whose own name is longest (the long form over an acronym)."""
    owner, out = {}, {}
    rank = {"user": 0, "catalogue": 1}
    ordered = sorted(rows, key=lambda r: (rank.get(r["source"], 2), -len(r["name_en"] or r["name_zh"] or ""), r["id"]))
    for row in ordered:
        keys = _keys(row)
        # an edition (G20 summit 2019) shares its series' words but is its own initiative
        keys = {k for k in keys if k} if not row["series"] else {fold(row["name_en"] or row["id"])}
        target = next((owner[k] for k in sorted(keys) if k in owner and owner[k] != row["id"]), None)
        if target and row["source"] == "text" and not row["series"]:
            out[row["id"]] = target
            continue
        for k in keys:
            if len(k) >= 2 and not re.fullmatch(r"\d+", k):
                owner.setdefault(k, row["id"])
    return out


def resolve_initiatives(db):
    "Merge duplicate text-found initiatives archive-wide; returns {old id: new id}."
    conn = db.conn
    cols = ["id", "name_en", "name_zh", "aliases", "source", "series"]
    rows = [dict(zip(cols, r)) for r in conn.execute(
        "SELECT id, name_en, name_zh, aliases, source, series FROM initiatives")]
    found = merges(rows)
    if not found:
        return {}
    with conn:
        for old, new in found.items():
            for table in MOVED:
                if table == "initiative_claimed_counts":
                    conn.execute("INSERT OR REPLACE INTO initiative_claimed_counts (article_id, initiative_id, claimed) "
                                 "SELECT article_id, ?, claimed FROM initiative_claimed_counts WHERE initiative_id = ?",
                                 [new, old])
                    conn.execute("DELETE FROM initiative_claimed_counts WHERE initiative_id = ?", [old])
                else:
                    conn.execute(f"UPDATE {table} SET initiative_id = ? WHERE initiative_id = ?", [new, old])
            old_row = conn.execute("SELECT aliases, first_seen, last_seen, name_en FROM initiatives WHERE id = ?",
                                   [old]).fetchone()
            new_row = conn.execute("SELECT aliases, first_seen, last_seen, source FROM initiatives WHERE id = ?",
                                   [new]).fetchone()
            if old_row and new_row:
                firsts = [d for d in (old_row[1], new_row[1]) if d]
                lasts = [d for d in (old_row[2], new_row[2]) if d]
                aliases = json.loads(new_row[0] or "[]")
                if new_row[3] == "text":
                    aliases = sorted(set(aliases) | set(json.loads(old_row[0] or "[]")) | {old_row[3]} - {None})
                conn.execute("UPDATE initiatives SET aliases = ?, first_seen = ?, last_seen = ? WHERE id = ?",
                             [json.dumps(aliases, ensure_ascii=False), min(firsts) if firsts else None,
                              max(lasts) if lasts else None, new])
            conn.execute("UPDATE initiative_redirects SET new_id = ? WHERE new_id = ?", [new, old])
            conn.execute("INSERT OR REPLACE INTO initiative_redirects (old_id, new_id) VALUES (?, ?)", [old, new])
            conn.execute("DELETE FROM initiatives WHERE id = ?", [old])
    return found
