"""The seed page through `newstrace analyze` (plain text) and through `ingest` (as HTML, served over HTTP):
the claims, hedges, chains, countries and participation the issues name must come out of both."""
import json
import re
import sqlite3

import pytest

from tests.conftest import SEED, run_cli


@pytest.fixture(scope="module")
def analyzed(seed_text):
    result = run_cli("analyze", SEED)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    return {"text": out["text"], "claims": out["claims"], "countries": out["countries"],
            "participation": out["participation"], "mentions": out["country_mentions"]}


@pytest.fixture(scope="module")
def ingested(sample_db, seed_text):
    with sqlite3.connect(sample_db) as conn:
        conn.row_factory = sqlite3.Row
        [article] = conn.execute("SELECT * FROM articles WHERE url LIKE '%/seed.html'").fetchall()
        claims = [dict(r) for r in conn.execute("SELECT * FROM claim_mentions WHERE article_id = ?", [article["id"]])]
        for c in claims:
            c["quantities"] = json.loads(c["quantities"])
            c["chain"] = json.loads(c["chain"])
        participation = [dict(r, initiative=r["initiative_id"]) for r in conn.execute(
            "SELECT * FROM participation WHERE article_id = ?", [article["id"]])]
        mentions = [dict(r) for r in conn.execute("SELECT * FROM country_mentions WHERE article_id = ?",
                                                  [article["id"]])]
    return {"text": article["text"], "claims": claims, "countries": json.loads(article["countries"]),
            "participation": participation, "mentions": mentions}


@pytest.fixture(params=["analyze", "ingest"])
def seed(request):
    return request.getfixturevalue("analyzed" if request.param == "analyze" else "ingested")


def claim_with(seed, needle):
    found = [c for c in seed["claims"] if needle in c["sentence"]]
    assert found, f"no claim for {needle!r}"
    return found


def test_every_sentence_with_a_figure_or_quotation_is_a_claim(seed):
    for needle in ["more than 50 countries", "70% of rare earth", "$10 billion", "from 25% to 18%",
                   "more than $500 billion", "“This morning", "“outsourced our economic security", "超过50个国家",
                   "2100万美元"]:
        claim_with(seed, needle)


def test_reporting_chains(seed):
    daily_wire = claim_with(seed, "“This morning")[0]
    assert daily_wire["speaker"].startswith("JD Vance") and daily_wire["cited_source"] == "The Daily Wire"
    assert daily_wire["attribution_mode"] == "direct_quote"
    assert daily_wire["chain"][0].startswith("JD Vance") and daily_wire["chain"][-1] == "The Daily Wire"
    tribune = claim_with(seed, "“outsourced our economic security")[0]
    assert tribune["speaker"].startswith("Marco Rubio") and tribune["cited_source"] == "The Tribune"
    assert tribune["chain"][-1] == "The Tribune"


def test_three_hedges_mark_their_claims_unverified(seed):
    figures = claim_with(seed, "70% of rare earth")[0]
    assert figures["verification_status"] == "unverified" and "not independently confirmed" in figures["hedge_text"]
    assert {q["value"] for q in figures["quantities"]} >= {70, 90}
    purchases = claim_with(seed, "Chinese purchases of U.S. energy")[0]
    assert purchases["verification_status"] == "unverified" and "mutually confirmed readouts" in purchases["hedge_text"]
    india = [c for c in seed["claims"] if "key elements" in (c["hedge_text"] or "")]
    assert india and all(c["verification_status"] == "unverified" and c["hedge_scope"] == "part" for c in india)


def test_boilerplate_gives_no_claims(seed):
    for c in seed["claims"]:
        assert not re.search(r"cookie|AI 生成的图像|拒绝|隐私政策", c["sentence"])


def test_chinese_summaries_give_claims_with_speakers(seed):
    zh = [c for c in seed["claims"] if re.search(r"[\u4e00-\u9fff]{4}", c["sentence"])]
    assert len(zh) >= 5
    speakers = {c["speaker"] for c in zh if c["speaker"]}
    assert {"Jamieson Greer", "the White House"} <= speakers
    assert any("Department of State" in s for s in speakers)


def test_segments(seed):
    segments = {c["segment"] for c in seed["claims"]}
    assert segments == {"main", "related", "social"}
    assert claim_with(seed, "Skeptics decry")[0]["segment"] == "social"
    assert claim_with(seed, "2100万美元")[0]["segment"] == "related"


def test_countries(seed):
    assert {"US", "CN", "KR", "VE", "CA", "RU", "UA", "TW", "JP", "MX", "IN", "EU"} <= set(seed["countries"])
    surfaces = {m["surface"] for m in seed["mentions"]}
    assert {"美国", "中国", "韩国", "委内瑞拉", "加拿大", "俄罗斯", "北京", "华盛顿", "加拉加斯"} <= surfaces
    for m in seed["mentions"]:
        assert seed["text"][m["char_start"]:m["char_end"]] == m["surface"]


def roles(seed, initiative):
    return {(p["country"], p["role"]) for p in seed["participation"] if p["initiative"] == initiative}


def test_participation_rows_with_evidence(seed):
    assert ("US", "host") in roles(seed, "critical-minerals-ministerial")
    assert ("KR", "chair") in roles(seed, "forge")
    chair = [p for p in seed["participation"] if p["initiative"] == "forge" and p["role"] == "chair"][0]
    assert "韩国" in chair["evidence"] and chair["valid_to"]
    assert {"US", "EU", "JP"} <= {c for c, r in roles(seed, "us-eu-japan-price-floor-action-plans") if r != "mentioned"}
    assert {"US", "MX"} <= {c for c, r in roles(seed, "us-mexico-action-plan") if r != "mentioned"}
    assert {"US", "IN"} <= {c for c, r in roles(seed, "us-india-trade-agreement") if r != "mentioned"}
    assert any(c == "CN" and r == "target" for i in ("critical-minerals-trade-bloc", "critical-minerals-ministerial")
               for c, r in roles(seed, i))
    for p in seed["participation"]:
        assert p["evidence"] and seed["text"][p["char_start"]:p["char_end"]] == p["evidence"]
