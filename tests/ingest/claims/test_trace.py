"""Claim tracing on real archives built with the project's storage code: exact clusters, variants, no false
links, EN<->ZH pairs, republished copies counted once, ids stable across re-runs, re-extraction and merges."""
import json
import sqlite3

import pytest

from newstrace.ingest import store
from newstrace.ingest.claims import trace
from newstrace.ingest.pipeline import finish_batch

# Fictional outlets and people; every sentence written for these tests.
# Each article: (key, site, published, lang, [(mention key, sentence, fields)], extra text)
Q = {
    "70": {"text": "about 70%", "value": 70.0, "unit": "%", "scale": None, "op": "~", "from": None, "to": None},
    "40pct": {"text": "40%", "value": 40.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None},
    "90": {"text": "90%", "value": 90.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None},
    "60": {"text": "60%", "value": 60.0, "unit": "%", "scale": None, "op": None, "from": None, "to": None},
    "40c": {"text": "40 countries", "value": 40.0, "unit": "countries", "scale": None, "op": None, "from": None,
            "to": None},
    "40zh": {"text": "40个国家", "value": 40.0, "unit": "国家", "scale": None, "op": None, "from": None, "to": None},
    "12": {"text": "12 refineries", "value": 12.0, "unit": "refineries", "scale": None, "op": None, "from": None,
           "to": None},
    "15p": {"text": "15 lithium projects", "value": 15.0, "unit": "projects", "scale": None, "op": None,
            "from": None, "to": None},
    "15m": {"text": "15 copper mines", "value": 15.0, "unit": "mines", "scale": None, "op": None, "from": None,
            "to": None},
}

HARBOR_1 = ("harbor1", "Harbor Ledger", "2026-02-03", "en", [
    ("share_en", "Minister Ana Ruiz said China controls about 70% of rare-earth mining and 90% of processing.",
     dict(claim_type="statistic", speaker="Ana Ruiz", speaker_text="Minister Ana Ruiz",
          attribution_mode="indirect_speech", quantities=[Q["70"], Q["90"]], chain=["Ana Ruiz"])),
    ("refineries", "The ministry plans to open 12 new refineries before the end of the decade.",
     dict(claim_type="commitment", speaker="Ana Ruiz", speaker_text="The ministry", attribution_mode="asserted",
          quantities=[Q["12"]])),
], "Photo: a mine at dusk.")

TRIBUNE = ("tribune", "Valley Tribune", "2026-02-05", "en", [
    ("share_cited", "China controls 70% of rare-earth mining and 90% of processing, according to the Harbor Ledger.",
     dict(claim_type="statistic", speaker="Ana Ruiz", cited_source="Harbor Ledger",
          attribution_mode="secondhand_outlet", verification_status="unverified",
          hedge_text="Those figures were not independently confirmed", hedge_scope="all",
          quantities=[Q["70"], Q["90"]], chain=["Ana Ruiz", "Harbor Ledger"])),
    ("shoppers", "About 70% of surveyed shoppers said grocery bills climbed again this winter.",
     dict(claim_type="statistic", attribution_mode="asserted", quantities=[Q["70"]])),
], "Those figures were not independently confirmed.")

EAST = ("east", "东方日报", "2026-02-06", "zh", [
    ("share_zh", "据港湾纪事报报道，中国控制着约70%的稀土开采和90%的加工。",
     dict(claim_type="statistic", cited_source="港湾纪事报", attribution_mode="secondhand_outlet",
          quantities=[Q["70"], Q["90"]], chain=["港湾纪事报"])),
    ("bloc_zh", "来自40个国家的贸易部长同意建立锂和钴的联合储备。",
     dict(claim_type="commitment", attribution_mode="asserted", quantities=[Q["40zh"]])),
    ("floors_zh", "万斯表示，美国将为关键矿产设定价格下限。",
     dict(claim_type="statement", speaker="JD Vance", speaker_text="万斯", attribution_mode="indirect_speech",
          chain=["JD Vance"])),
], "")

COASTAL = ("coastal", "Coastal Wire", "2026-02-08", "en", [
    ("share_variant", "Officials said China now controls 60% of global rare-earth mining.",
     dict(claim_type="statistic", speaker_text="Officials", attribution_mode="anonymous", quantities=[Q["60"]])),
    ("bloc_en", "Trade ministers from 40 countries agreed to build joint stockpiles of lithium and cobalt.",
     dict(claim_type="commitment", attribution_mode="asserted", quantities=[Q["40c"]])),
    ("floors_en", "Vance said the United States would set price floors for critical minerals.",
     dict(claim_type="statement", speaker="JD Vance", speaker_text="Vance", attribution_mode="indirect_speech",
          chain=["JD Vance"])),
], "")

# republished word for word by another site: same text, so store.record_page marks it duplicate_of TRIBUNE
METRO = ("metro", "Metro Daily", "2026-02-07", "en", TRIBUNE[4], TRIBUNE[5])

HARBOR_2 = ("harbor2", "Harbor Ledger", "2026-02-10", "en", [
    ("share_confirmed", "The ministry confirmed that China controls 70% of rare-earth mining.",
     dict(claim_type="statistic", speaker="Ana Ruiz", speaker_text="The ministry",
          attribution_mode="indirect_speech", verification_status="confirmed",
          hedge_text="The ministry confirmed", quantities=[Q["70"]],
          # the minister's own ministry: the claim's origin confirming itself (issue 9: not independent)
          status_by="The ministry", status_independent=0)),
], "")

FIXTURE = [HARBOR_1, TRIBUNE, EAST, COASTAL, METRO, HARBOR_2]

DESIGNED = {
    "share": {"share_en", "share_cited", "share_zh", "share_variant", "share_confirmed", "share_cited@metro"},
    "refineries": {"refineries"},
    "shoppers": {"shoppers", "shoppers@metro"},
    "bloc": {"bloc_zh", "bloc_en"},
    "floors": {"floors_zh", "floors_en"},
}


def article_text(article):
    _, _, _, _, mentions, extra = article
    return " ".join([s for _, s, _ in mentions] + ([extra] if extra else []))


def mention_dicts(article):
    text = article_text(article)
    out = []
    for _, sentence, fields in article[4]:
        start = text.index(sentence)
        out.append({"sentence": sentence, "char_start": start, "char_end": start + len(sentence), "segment": "main",
                    "lang": article[3], "verification_status": "none", "extractor": "test", "confidence": 1.0,
                    **fields})
    return out


def add_article(db, article):
    "Store one fixture article through store.record_page, as an ingest does. Returns its id."
    key, site, published, lang = article[:4]
    url = f"http://{key}.example/story"
    text = article_text(article)
    fetched = {"url": url, "final_url": url, "status": 200, "headers": {}, "body": text.encode("utf-8"),
               "fetched_at": "2026-03-01T00:00:00+00:00", "content_type": "text/html"}
    page = {"title": f"{site} story", "text": text, "sitename": site, "hostname": f"{key}.example",
            "published": published, "published_month": published[:7] if published else None, "language": lang, "languages": [lang],
            "canonical_url": url}
    _, article_id = store.record_page(db, {"source": "test"}, fetched, page, {"claims": mention_dicts(article)})
    return article_id


def build_archive(path, articles=FIXTURE):
    "A real archive of the fixture articles with claims traced; returns (db, {article key: id})."
    db = store.open_db(str(path))
    ids = {a[0]: add_article(db, a) for a in articles}
    finish_batch(db, set(ids.values()))
    return db, ids


def mention_keys(db, ids):
    "claim_id -> set of fixture mention keys (key@article for mentions in a republished copy)."
    by_sentence = {}
    for article in FIXTURE:
        for key, sentence, _ in article[4]:
            by_sentence.setdefault(sentence, key)
    names = {v: k for k, v in ids.items()}
    out = {}
    for claim_id, sentence, article_id in db.conn.execute(
            "SELECT claim_id, sentence, article_id FROM claim_mentions"):
        key = by_sentence[sentence]
        if names[article_id] == "metro":
            key += "@metro"
        out.setdefault(claim_id, set()).add(key)
    return out


def clusters(db, ids):
    return sorted(map(frozenset, mention_keys(db, ids).values()), key=sorted)


def claim_of(db, ids, key):
    for claim_id, keys in mention_keys(db, ids).items():
        if key in keys:
            return claim_id
    raise KeyError(key)


@pytest.fixture
def archive(tmp_path):
    db, ids = build_archive(tmp_path / "trace.db")
    yield db, ids
    db.conn.close()


def test_designed_clusters_exactly(archive):
    db, ids = archive
    assert clusters(db, ids) == sorted(map(frozenset, DESIGNED.values()), key=sorted)
    assert all(row[0] is not None for row in db.conn.execute("SELECT claim_id FROM claim_mentions"))


def test_shared_number_is_no_link(archive):
    db, ids = archive
    # "about 70% of surveyed shoppers" shares 70 % with the rare-earth claim but says something else
    assert claim_of(db, ids, "shoppers") != claim_of(db, ids, "share_en")


def test_claim_row_counts_status_and_variants(archive):
    db, ids = archive
    row = db["claims"].get(claim_of(db, ids, "share_en"))
    assert row["claim_text"] == HARBOR_1[4][0][1]  # the earliest English mention
    assert row["claim_type"] == "statistic"
    assert row["speaker"] == "Ana Ruiz"
    assert row["first_seen"] == "2026-02-03" and row["first_seen_month"] == "2026-02"
    assert row["first_article_id"] == ids["harbor1"]
    assert row["n_mentions"] == 6 and row["n_articles"] == 6
    # Harbor Ledger (twice), Valley Tribune (+ its copy on Metro Daily), 东方日报, Coastal Wire
    assert row["n_outlets"] == 4
    assert json.loads(row["languages"]) == ["en", "zh"]
    # the latest explicit status (Feb 10) is the ministry confirming its own minister: the outlets' "not
    # independently confirmed" (Feb 5, Feb 7) comes first (issue 9: independent verdicts, then the outlets', then
    # the origin's own word)
    assert (row["status"], row["status_by"], row["status_independent"], row["status_at"]) == \
        ("unverified", None, None, "2026-02-07")
    assert row["status_conflict"] == 1
    assert row["has_variants"] == 1  # 60 % against 70 %
    shoppers = db["claims"].get(claim_of(db, ids, "shoppers"))
    assert (shoppers["n_mentions"], shoppers["n_articles"], shoppers["n_outlets"]) == (2, 2, 1)
    assert shoppers["status"] == "none" and shoppers["status_conflict"] == 0 and shoppers["has_variants"] == 0


def test_cross_language_pairs(archive):
    db, ids = archive
    floors = db["claims"].get(claim_of(db, ids, "floors_zh"))
    assert json.loads(floors["languages"]) == ["en", "zh"]
    assert floors["claim_text"] == COASTAL[4][2][1]  # English wording, though the Chinese came first
    assert floors["speaker"] == "JD Vance"
    assert floors["first_seen"] == "2026-02-06"
    bloc = db["claims"].get(claim_of(db, ids, "bloc_en"))
    assert json.loads(bloc["languages"]) == ["en", "zh"] and bloc["has_variants"] == 0


def test_variants_side_by_side(archive):
    db, ids = archive
    mentions = trace.load_mentions(db, "m.claim_id = ?", [claim_of(db, ids, "share_en")])
    found = trace.variants(mentions)
    assert [v["unit"] for v in found] == ["%"]
    # every figure of the disputed unit, with who carries it
    assert [e["value"] for e in found[0]["values"]] == [60.0, 70.0, 90.0]
    assert found[0]["values"][0]["outlets"] == ["Coastal Wire"]
    assert len(found[0]["values"][1]["mention_ids"]) == 5


def test_chain_edges(archive):
    db, ids = archive
    edges = {(r["source"], r["target"]): r for r in
             db["claim_edges"].rows_where("claim_id = ?", [claim_of(db, ids, "share_en")])}
    assert ("Ana Ruiz", "Harbor Ledger") in edges
    assert ("Harbor Ledger", "Valley Tribune") in edges
    assert edges[("Harbor Ledger", "Valley Tribune")]["n_mentions"] == 2  # the copy folds into its original
    assert edges[("Ana Ruiz", "Harbor Ledger")]["source_kind"] == "speaker"
    assert edges[("Harbor Ledger", "Valley Tribune")]["source_kind"] == "outlet"
    assert ("港湾纪事报", "东方日报") in edges
    assert edges[("Valley Tribune", "Metro Daily")]["n_mentions"] == 1  # the republished copy
    assert len(edges) == 4  # the anonymous Coastal Wire mention has no chain


def test_fts_in_sync(archive):
    db, ids = archive
    hit = db.conn.execute("SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?", ['"price floors"']).fetchall()
    assert [r[0] for r in hit] == [claim_of(db, ids, "floors_en")]
    n_fts = db.conn.execute("SELECT COUNT(*) FROM claims_fts").fetchone()[0]
    assert n_fts == db.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]


def snapshot(db):
    return {r[0]: r[1:] for r in db.conn.execute(
        "SELECT id, claim_text, n_mentions, n_outlets, status, has_variants FROM claims")}


def membership(db):
    return sorted(db.conn.execute("SELECT article_id, sentence, claim_id FROM claim_mentions").fetchall())


def test_ids_stable_across_reruns_and_reextract(archive):
    db, ids = archive
    before, members = snapshot(db), membership(db)
    trace.update_claims(db)  # full re-run
    assert snapshot(db) == before and membership(db) == members
    # re-extraction rewrites every mention row (new mention ids) and re-traces those articles only
    for article in FIXTURE:
        with db.conn:
            store.write_derived(db, ids[article[0]], {"claims": mention_dicts(article)})
    trace.update_claims(db, [ids["tribune"], ids["east"]])
    trace.update_claims(db, set(ids.values()))
    assert snapshot(db) == before and membership(db) == members
    assert db.conn.execute("SELECT COUNT(*) FROM claim_redirects").fetchone()[0] == 0


def test_incremental_equals_full(tmp_path):
    # one article per batch, in publication order, as a daily ingest would see them
    db = store.open_db(str(tmp_path / "inc.db"))
    ids = {}
    for article in FIXTURE:
        ids[article[0]] = add_article(db, article)
        finish_batch(db, {ids[article[0]]})
    incremental = clusters(db, ids)
    assert incremental == sorted(map(frozenset, DESIGNED.values()), key=sorted)
    # every column of the claims and their chain edges, kept up to date batch by batch from stored states
    rows = db.conn.execute("SELECT * FROM claims ORDER BY id").fetchall()
    edges = sorted(db.conn.execute("SELECT * FROM claim_edges").fetchall())
    trace.update_claims(db)
    assert clusters(db, ids) == incremental
    assert db.conn.execute("SELECT * FROM claims ORDER BY id").fetchall() == rows
    assert sorted(db.conn.execute("SELECT * FROM claim_edges").fetchall()) == edges


BRIDGE_A = ("fundA", "Harbor Ledger", "2026-03-01", "en", [
    ("fund_lithium", "The new fund will finance 15 lithium projects in Chile, Ruiz said.",
     dict(claim_type="statistic", speaker="Ana Ruiz", attribution_mode="indirect_speech", quantities=[Q["15p"]])),
], "")
BRIDGE_B = ("fundB", "Coastal Wire", "2026-03-02", "en", [
    ("fund_copper", "The new fund will finance 15 copper mines in Peru.",
     dict(claim_type="statistic", attribution_mode="asserted", quantities=[Q["15m"]])),
], "")
BRIDGE_C = ("fundC", "Valley Tribune", "2026-03-03", "en", [
    ("fund_both", "The new fund will finance 15 lithium projects in Chile and 15 copper mines in Peru.",
     dict(claim_type="statistic", attribution_mode="asserted", quantities=[Q["15p"], Q["15m"]])),
], "")


def test_merge_keeps_older_id_and_redirects(tmp_path):
    db = store.open_db(str(tmp_path / "merge.db"))
    a, b = add_article(db, BRIDGE_A), add_article(db, BRIDGE_B)
    trace.update_claims(db, [a, b])
    first = {r[0]: r[1] for r in db.conn.execute("SELECT article_id, claim_id FROM claim_mentions")}
    assert first[a] != first[b], "two claims before the bridge"
    older, newer = sorted(first.values())
    c = add_article(db, BRIDGE_C)
    trace.update_claims(db, [c])
    after = {r[0]: r[1] for r in db.conn.execute("SELECT article_id, claim_id FROM claim_mentions")}
    assert set(after.values()) == {older}
    assert db.conn.execute("SELECT old_id, new_id FROM claim_redirects").fetchall() == [(newer, older)]
    assert trace.resolve(db, newer) == older
    assert db["claims"].count == 1
    # ids are never reused: the next new claim gets a fresh one
    d = add_article(db, HARBOR_2)
    trace.update_claims(db, [d])
    new_id = db.conn.execute("SELECT claim_id FROM claim_mentions WHERE article_id = ?", [d]).fetchone()[0]
    assert new_id > newer


def test_vanished_claim_is_removed(archive):
    db, ids = archive
    gone = claim_of(db, ids, "refineries")
    with db.conn:
        # a re-extraction that no longer finds the refinery pledge
        store.write_derived(db, ids["harbor1"], {"claims": mention_dicts(HARBOR_1)[:1]})
    trace.update_claims(db, [ids["harbor1"]])
    assert not db.conn.execute("SELECT 1 FROM claims WHERE id = ?", [gone]).fetchone()
    assert not db.conn.execute("SELECT 1 FROM claims_fts WHERE rowid = ?", [gone]).fetchone()
    assert db["claims"].get(claim_of(db, ids, "share_en"))["n_mentions"] == 6


def test_empty_and_odd_input(tmp_path):
    db = store.open_db(str(tmp_path / "odd.db"))
    assert trace.update_claims(db)["clusters"] == 0
    assert trace.update_claims(db, [])["clusters"] == 0
    odd = ("odd", None, None, "en", [
        ("long", "x" * 10000, dict(quantities="not json")),
        ("mixed", "“Unbalanced quote 稀土 mixed 70 % ¥", dict(quantities=[{"value": "seventy"}, None])),
    ], "")
    aid = add_article(db, odd)
    trace.update_claims(db, [aid])
    rows = db.conn.execute("SELECT first_seen, n_outlets, status FROM claims").fetchall()
    assert rows and all(r == (None, 1, "none") for r in rows)


def test_features_cross_language_tokens():
    en = trace.features({"sentence": "China controls about 70% of rare-earth mining.", "quantities": [Q["70"]]})
    zh = trace.features({"sentence": "中国控制着约70%的稀土开采。", "quantities": [Q["70"]]})
    assert {"c:CN", "k:control", "k:rare_earth", "k:mining"} <= en["neutral"] & zh["neutral"]
    assert en["anchors"] == zh["anchors"] == {"q:70:%"}
    told = trace.features({"sentence": "He told us the plan.", "quantities": []})
    assert "c:US" not in told["neutral"]  # a pronoun is not a country


def test_sqlite_file_is_plain(tmp_path):
    # the traced archive opens with the standard library alone (datasette, sqlite3 CLI)
    db, _ = build_archive(tmp_path / "plain.db")
    db.conn.close()
    with sqlite3.connect(tmp_path / "plain.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == len(DESIGNED)
