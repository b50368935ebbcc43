"""Claims and countries extracted from the ingested sample corpus, against the expectations its MANIFEST
records for every page (countries present and absent, the 70 %/90 % chain, participation roles)."""
import json
import sqlite3

import pytest

from newstrace.ingest.sample import sample_pages

ARTICLES = [p for p in sample_pages() if p.get("kind") == "article"]


def fetch(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def article(db, path):
    [row] = fetch(db, "SELECT * FROM articles WHERE url LIKE ?", ["%" + path])
    return row


@pytest.mark.parametrize("page", ARTICLES, ids=lambda p: p["path"])
def test_article_countries_match_the_manifest(sample_db, page):
    row = article(sample_db, page["path"])
    found = set(json.loads(row["countries"]))
    assert set(page.get("countries") or []) <= found
    assert not set(page.get("not_countries") or []) & found
    indexed = {r["country"] for r in fetch(sample_db, "SELECT country FROM article_countries WHERE article_id = ?",
                                           [row["id"]])}
    assert indexed == found


def test_chinese_country_names_and_traps(sample_db):
    mentions = fetch(sample_db, "SELECT surface, country FROM country_mentions")
    by_surface = {}
    for m in mentions:
        by_surface.setdefault(m["surface"], set()).add(m["country"])
    for surface, code in [("日本", "JP"), ("墨西哥", "MX"), ("印度", "IN"), ("欧盟", "EU"), ("美国", "US"),
                          ("中国", "CN"), ("韩国", "KR"), ("白俄罗斯", "BY"), ("印度尼西亚", "ID")]:
        assert by_surface.get(surface) == {code}, surface
    assert "印度洋" not in by_surface, "the Indian Ocean is no mention of India"


def roles(db, initiative):
    return {(r["country"], r["role"]) for r in fetch(
        db, "SELECT country, role FROM participation WHERE initiative_id = ?", [initiative])}


def test_participation_in_the_sample_corpus(sample_db):
    assert ("US", "host") in roles(sample_db, "critical-minerals-ministerial")
    assert ("KR", "chair") in roles(sample_db, "forge")
    chairs = fetch(sample_db, "SELECT p.*, a.language FROM participation p JOIN articles a ON a.id = p.article_id "
                              "WHERE initiative_id = 'forge' AND role = 'chair'")
    assert {c["language"] for c in chairs} >= {"en", "zh"}, "said in English and in Chinese"
    assert any(c["valid_to"] and c["valid_to"].startswith("2026-06") for c in chairs)
    assert {"MX", "US"} <= {c for c, r in roles(sample_db, "us-mexico-action-plan") if r != "mentioned"}
    assert {"US", "IN"} <= {c for c, r in roles(sample_db, "us-india-trade-agreement") if r != "mentioned"}
    # the sample corpus says it in Chinese, with China before the cue: "中国…被普遍视为这一贸易集团所针对的对象"
    assert ("CN", "target") in roles(sample_db, "critical-minerals-trade-bloc")
    [ministerial] = fetch(sample_db, "SELECT * FROM initiatives WHERE id = 'critical-minerals-ministerial'")
    assert ministerial["participants_claimed"] == 50
    assert 1 <= ministerial["participants_named"] < 50
    for p in fetch(sample_db, "SELECT p.evidence, p.char_start, p.char_end, a.text FROM participation p "
                              "JOIN articles a ON a.id = p.article_id"):
        assert p["text"][p["char_start"]:p["char_end"]] == p["evidence"]


def test_participation_on_the_seed_page(sample_db, seed_text):
    "Only the seed page (../shared) says that the ministerial is aimed at China (旨在…打破中国…的垄断)."
    assert any(c == "CN" and r == "target" for c, r in roles(sample_db, "critical-minerals-ministerial"))


def test_the_70_90_figure_is_one_traced_claim(sample_db):
    chain = [p for p in ARTICLES if p.get("claim_70_90")]
    ids = {article(sample_db, p["path"])["id"]: p["claim_70_90"] for p in chain}
    mentions = fetch(sample_db, "SELECT * FROM claim_mentions WHERE article_id IN ({}) AND quantities LIKE '%70%' "
                                "OR article_id IN ({}) AND quantities LIKE '%60%'".format(
                                    ",".join(map(str, ids)), ",".join(map(str, ids))))
    claim_ids = {m["claim_id"] for m in mentions if m["article_id"] in ids and '"value": 90' in m["quantities"]}
    assert len(claim_ids) == 1, "every outlet's version, in English and Chinese, is one claim"
    [claim] = fetch(sample_db, "SELECT * FROM claims WHERE id = ?", [claim_ids.pop()])
    assert claim["has_variants"] == 1
    assert set(json.loads(claim["languages"])) == {"en", "zh"}
    assert claim["n_outlets"] >= 4
    first = article(sample_db, next(p["path"] for p in chain if p["claim_70_90"]["role"] == "origin"))
    assert claim["first_article_id"] == first["id"]
    # each page's own status for the figure: the first of its mentions in the claim, as the MANIFEST says
    statuses = {}
    for m in fetch(sample_db, "SELECT * FROM claim_mentions WHERE claim_id = ? ORDER BY article_id, char_start",
                   [claim["id"]]):
        if m["article_id"] in ids:
            statuses.setdefault(m["article_id"], m["verification_status"])
    assert statuses == {a: p["verification"] for a, p in ids.items()}
    # no false link: every mention of the claim states a share of 60, 70 or 90 per cent
    for m in fetch(sample_db, "SELECT * FROM claim_mentions WHERE claim_id = ?", [claim["id"]]):
        shares = {q["value"] for q in json.loads(m["quantities"]) if q["unit"] == "%"}
        assert shares and shares <= {60, 70, 90}, m["sentence"]
    # the most recent explicit status by publication date: the March follow-up confirms the figure
    assert claim["status"] == "confirmed" and claim["status_conflict"] == 1


def mentions_of(db, path):
    return fetch(db, "SELECT m.* FROM claim_mentions m JOIN articles a ON a.id = m.article_id WHERE a.url LIKE ? "
                     "ORDER BY m.char_start", ["%" + path])


def mention(db, path, needle):
    found = [m for m in mentions_of(db, path) if needle in m["sentence"]]
    assert len(found) == 1, (needle, [m["sentence"] for m in mentions_of(db, path)])
    m = found[0]
    m["chain"] = json.loads(m["chain"]) if m["chain"] else []
    return m


def fields(m, *names):
    return tuple(m[n] for n in names)


KEY = ("claim_type", "speaker", "cited_source", "attribution_mode", "verification_status", "hedge_text", "hedge_scope")


def test_origin_credits_the_report_author(sample_db):
    m = mention(sample_db, "/meridian/vance-price-floors.html", "70% of rare-earth mining")
    assert fields(m, *KEY) == ("statistic", "Halvorsen Materials Institute", "Halvorsen Materials Institute",
                               "secondhand_outlet", "none", None, None)
    assert m["chain"] == ["Halvorsen Materials Institute"]
    q = mention(sample_db, "/meridian/vance-price-floors.html", "we intend to enforce it")
    assert fields(q, "claim_type", "speaker", "attribution_mode") == ("quote", "JD Vance", "direct_quote")


def test_next_sentence_hedge_refers_back_en(sample_db):
    path = "/capitolwire/vance-trade-zone.html"
    m = mention(sample_db, path, "70% of rare-earth mining")
    assert fields(m, *KEY) == ("statistic", "The Meridian Ledger", "The Meridian Ledger", "secondhand_outlet",
                               "unverified", "Capitol Wire could not verify the numbers", "all")
    # the hedge sentence qualifies the figure; it is no claim of its own
    assert not [x for x in mentions_of(sample_db, path) if "could not verify" in x["sentence"]]


def test_next_sentence_hedge_refers_back_zh(sample_db):
    path = "/kuangguan/xitu-zhanbi.html"
    m = mention(sample_db, path, "约70%")
    assert fields(m, *KEY) == ("statistic", "The Meridian Ledger", "The Meridian Ledger", "secondhand_outlet",
                               "unverified", "但这些数字未经独立核实", "all")
    assert m["lang"] == "zh" and m["chain"] == ["The Meridian Ledger"]
    # 该报 is the paper named before; the quotation and '万斯对与会代表说' are one sentence, said by Vance
    paper = mention(sample_db, path, "该报称")
    assert paper["cited_source"] == "The Meridian Ledger" and paper["attribution_mode"] == "secondhand_outlet"
    quote = mention(sample_db, path, "我们打算执行它")
    assert quote["sentence"].endswith("万斯对与会代表说。")
    assert fields(quote, "claim_type", "speaker", "speaker_text", "attribution_mode") == \
        ("quote", "JD Vance", "万斯", "direct_quote")


def test_variant_figure(sample_db):
    m = mention(sample_db, "/pactrade/allies-weigh-rare-earth-costs.html", "about 60%")
    assert fields(m, "claim_type", "cited_source", "attribution_mode", "verification_status") == \
        ("statistic", "The Meridian Ledger", "secondhand_outlet", "none")
    assert [q["value"] for q in json.loads(m["quantities"])] == [60, 90]


def test_dispute_applies_to_the_figure_it_names(sample_db):
    path = "/northreview/rare-earth-share-disputed.html"
    m = mention(sample_db, path, "One statistic")
    # "disputes the mining figure": the 70% mining share, not the 90% processing share
    assert fields(m, *KEY) == ("statistic", None, None, "asserted", "disputed", "disputes the mining figure", "part")
    who = mention(sample_db, path, "disputes the mining figure")
    assert who["speaker"] == "Tomas Lindqvist (commodities analyst at Kestrel Research)"
    assert who["verification_status"] == "disputed"
    quote = mention(sample_db, path, "The 70% number")
    assert fields(quote, "claim_type", "speaker_text", "attribution_mode", "verification_status", "hedge_scope") == \
        ("quote", "he", "direct_quote", "disputed", "part")
    assert quote["speaker"] == who["speaker"]
    # "did not challenge the processing figure" is no dispute
    assert mention(sample_db, path, "did not challenge")["verification_status"] == "none"


def test_confirmation_applies_to_the_restated_figure(sample_db):
    path = "/capitolwire/rare-earth-figures-confirmed.html"
    hedge = "New data released on Monday by the Halvorsen Materials Institute confirm the figures"
    m = mention(sample_db, path, "In February")
    # the restatement said the figures were unverified at the time; the article then says they are confirmed
    assert fields(m, "claim_type", "verification_status", "hedge_text", "hedge_scope") == \
        ("statistic", "confirmed", hedge, "all")
    marsh = mention(sample_db, path, "Our survey for 2025")
    assert fields(marsh, "claim_type", "speaker", "attribution_mode", "verification_status", "hedge_text") == \
        ("quote", "Helena Marsh (institute's director of research)", "direct_quote", "confirmed", hedge)
    assert mention(sample_db, path, "closer to 60%")["verification_status"] == "none"


def test_the_republished_copy_counts_once_as_an_outlet(sample_db):
    [copy] = fetch(sample_db, "SELECT * FROM articles WHERE duplicate_of IS NOT NULL")
    shared = fetch(sample_db, "SELECT c.* FROM claims c JOIN claim_mentions m ON m.claim_id = c.id "
                              "WHERE m.article_id = ? GROUP BY c.id", [copy["id"]])
    assert shared
    for claim in shared:
        sites = {r["sitename"] for r in fetch(sample_db, "SELECT DISTINCT a.sitename FROM claim_mentions m JOIN "
                                                         "articles a ON a.id = m.article_id WHERE m.claim_id = ? "
                                                         "AND a.duplicate_of IS NULL", [claim["id"]])}
        assert claim["n_outlets"] == len(sites)
