"""The initiatives an article names: rows of `initiatives` for those the text found (source 'text'), kept
stable (an id is never renamed: a merge leaves a redirect), their first and last appearance, and one
`initiative_mentions` row per article and initiative."""
import json
import re

from .archive import insert_many

_CJK = re.compile(r"[\u3400-\u9fff]")


def redirects_for(db, ids):
    "{old id: surviving id} for the ids that were merged into another."
    ids = list(ids)
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(db.conn.execute(f"SELECT old_id, new_id FROM initiative_redirects WHERE old_id IN ({marks})", ids))


def write_initiatives(db, article_id, published, found):
    """Upsert the initiatives an article's analysis found and record where it names them; returns the
    redirects that apply to its rows ({old id: new id})."""
    redirect = redirects_for(db, [i["id"] for i in found])
    mentions = {}
    for item in found:
        iid = redirect.get(item["id"], item["id"])
        row = db.conn.execute("SELECT aliases, first_seen, last_seen, source FROM initiatives WHERE id = ?",
                              [iid]).fetchone()
        if row is None:
            name = item.get("name") or iid
            db.conn.execute(
                "INSERT INTO initiatives (id, name_en, name_zh, aliases, kind, source, first_seen, last_seen, series,"
                " year, place, parent, parties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [iid, None if _CJK.search(name) and not re.search(r"[A-Za-z]{3}", name) else name,
                 item.get("name_zh"), json.dumps(sorted(item.get("aliases") or []), ensure_ascii=False),
                 item.get("kind"), item.get("source") or "text", published, published, item.get("series"),
                 item.get("year"), item.get("place"), item.get("parent"), json.dumps(item.get("parties") or [])])
        else:
            aliases, first, last, source = row
            sets, values = [], []
            if source == "text":
                merged = sorted(set(json.loads(aliases or "[]")) | set(item.get("aliases") or []))
                sets.append("aliases = ?")
                values.append(json.dumps(merged, ensure_ascii=False))
            if published and (not first or published < first):
                sets.append("first_seen = ?")
                values.append(published)
            if published and (not last or published > last):
                sets.append("last_seen = ?")
                values.append(published)
            if sets:
                db.conn.execute(f"UPDATE initiatives SET {', '.join(sets)} WHERE id = ?", values + [iid])
        if iid not in mentions and item.get("char_start") is not None:
            mentions[iid] = {"article_id": article_id, "initiative_id": iid, "surface": item.get("surface"),
                             "char_start": item.get("char_start"), "char_end": item.get("char_end"),
                             "how": item.get("how")}
    insert_many(db, "initiative_mentions", mentions.values())
    return redirect
