"""Country mentions, document countries and participation on our own sentences, plus the seed page."""
import re
from pathlib import Path

import pytest

from newstrace.ingest.countries import (document_countries, extract_countries, extract_participation,
                                        load_initiatives)

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "seed-critical-minerals-ministerial.txt"


def codes(text, language=None, date=None):
    return {m["country"] for m in extract_countries(text, language, date=date)}


def by_surface(text):
    return {m["surface"]: m for m in extract_countries(text)}


# --- English names, aliases and kinds ------------------------------------------------------------

def test_short_forms_and_kinds():
    text = ("The U.S. and the USA are one country; America too. Britain and the UK met South Korea (the ROK) "
            "and Türkiye, once called Turkey. Tariffs on Indian goods fell. The State Department and the "
            "White House disagreed.")
    found = by_surface(text)
    assert {found[s]["country"] for s in ("U.S.", "USA", "America")} == {"US"}
    assert {found[s]["country"] for s in ("Britain", "UK")} == {"GB"}
    assert found["South Korea"]["country"] == found["ROK"]["country"] == "KR"
    assert found["Türkiye"]["country"] == found["Turkey"]["country"] == "TR"
    assert found["Indian"]["kind"] == "demonym" and found["Indian"]["reading"] == "modifier"
    assert found["State Department"]["kind"] == "institution" and found["State Department"]["country"] == "US"
    assert found["White House"]["reading"] == "government"


def test_offsets_index_the_text():
    text = "Ministers from Japan and Mexico met in Ottawa.\n\nCanada said it would join."
    for m in extract_countries(text):
        assert text[m["char_start"]:m["char_end"]] == m["surface"]
    assert codes(text) >= {"JP", "MX", "CA"}


def test_capital_readings():
    found = by_surface("Washington said on Monday it would respond. Later she flew to Beijing for a holiday.")
    assert found["Washington"]["reading"] == "government"
    assert found["Beijing"]["reading"] == "literal"
    # a literal capital does not place the article in the country; an acting one does
    assert document_countries(extract_countries("She spent a week in Beijing.")) == []
    assert document_countries(extract_countries("Moscow condemned the sanctions.")) == ["RU"]


def test_name_readings():
    found = by_surface("Brazil banned the imports. Her parents were born in Peru.")
    assert found["Brazil"]["reading"] == "government"
    assert found["Peru"]["reading"] == "literal"


def test_boilerplate_lines_are_skipped():
    text = "Photo: Reuters/France\nGermany signed the deal."
    assert codes(text) == {"DE"}


# --- ambiguity: blockers and context rules --------------------------------------------------------

def test_us_places_and_waters_are_not_countries():
    text = "Voters in New Mexico and New Jersey went to the polls. A cyclone formed over the Indian Ocean."
    assert codes(text) == set()


def test_people_named_like_countries():
    assert "JO" not in codes("Michael Jordan scored 40 points for the Bulls.")
    assert "TD" not in codes("Quarterback Chad Henderson threw two touchdowns. Chad said the team was ready.")
    assert "JO" in codes("King Abdullah said Jordan would host the talks in Amman.")


def test_georgia_state_vs_country():
    local = ("ATLANTA — The Georgia legislature passed the budget on Tuesday. Gov. Kemp said Georgia "
             "would invest in roads, as Alabama and Tennessee did last year.")
    assert "GE" not in codes(local)
    abroad = "Protesters filled the streets of Tbilisi as Georgia's government delayed EU talks."
    assert "GE" in codes(abroad)


def test_city_homonyms_in_us_local_news():
    text = ("The Paris, Texas, city council met Monday. Lebanon County commissioners and the sheriff "
            "discussed Athens, Ga., where the mayor spoke.")
    assert codes(text) & {"FR", "LB", "GR"} == set()
    assert "LB" in codes("Israel and Lebanon agreed to a ceasefire, Beirut said.")


def test_turkey_the_bird_and_spanish_the_language():
    assert "TR" not in codes("Thanksgiving Turkey prices rose. Turkey sandwiches sold out.")
    assert "ES" not in codes("The clerk speaks Spanish and English, and the forms are in Spanish.")
    assert "ES" in codes("Spanish exporters welcomed the ruling.")


def test_washington_state_and_newspaper():
    assert codes("The Washington Post reported on apple farms in Washington state.") == set()


# --- Chinese --------------------------------------------------------------------------------------

def test_chinese_names_found():
    text = "日本、墨西哥和印度的代表与欧盟官员在会上讨论了合作。"
    assert codes(text, "zh") >= {"JP", "MX", "IN", "EU"}


def test_chinese_longest_match_and_blockers():
    assert codes("白俄罗斯总统访问了明斯克以外的地区。", "zh") == {"BY"}
    assert codes("印度尼西亚的镍矿出口增长。", "zh") == {"ID"}
    assert codes("一艘货船在印度洋航行。", "zh") == set()
    assert "CN" not in codes("许多发展中国家希望获得投资。", "zh")
    assert "US" not in codes("南美国家与北美国家举行会谈。", "zh")


def test_chinese_institutions_and_sides():
    found = {m["surface"]: m for m in extract_countries("美国国务院发表声明。国务院常务会议召开。美方、中方和韩方均表示欢迎。")}
    assert found["美国国务院"]["country"] == "US"
    assert found["国务院"]["country"] == "CN"
    assert {found[s]["country"] for s in ("美方", "中方", "韩方")} == {"US", "CN", "KR"}
    assert found["美方"]["kind"] == "side"


def test_leader_terms_with_date():
    assert codes("习近平会见了来访的客人。", "zh") == {"CN"}
    assert "US" not in codes("Biden spoke to reporters.", date="2026-02-01")
    assert "US" in codes("Biden spoke to reporters.", date="2022-02-01")


# --- participation on our own sentences -----------------------------------------------------------

def rows_for(text, date=None):
    found = extract_participation(text, extract_countries(text), date=date)
    return found["participation"], found["claimed"]


def test_initiatives_data_is_well_formed():
    items = load_initiatives()
    ids = {i["id"] for i in items}
    assert {"critical-minerals-ministerial", "forge", "minerals-security-partnership", "project-vault",
            "us-eu-japan-price-floor-action-plans", "us-mexico-action-plan", "us-india-trade-agreement"} <= ids
    for i in items:
        assert re.fullmatch(r"[a-z0-9-]+", i["id"])
        assert i["kind"] in {"event", "initiative", "partnership", "action_plan", "trade_deal", "reserve"}
        assert i["successor_of"] in ids | {None}


def test_host_chair_member_target_and_claimed():
    text = ("Delegations from more than 40 countries attended the Critical Minerals Ministerial hosted by "
            "the Japanese government in Tokyo. The FORGE initiative, chaired by Australia until September, "
            "counts members including Chile, Peru and Kenya. Officials said the initiative aims to counter "
            "China's grip on graphite.")
    rows, claimed = rows_for(text, date="2026-03-10")
    got = {(r["initiative"], r["country"], r["role"]) for r in rows}
    assert ("critical-minerals-ministerial", "JP", "host") in got
    assert ("forge", "AU", "chair") in got
    assert {("forge", c, "member") for c in ("CL", "PE", "KE")} <= got
    assert ("forge", "CN", "target") in got  # "the initiative" in the next sentence refers back
    chair = next(r for r in rows if r["role"] == "chair")
    assert chair["valid_to"] == "2026-09"
    assert claimed["critical-minerals-ministerial"] == 40
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["evidence"]


def test_chair_until_month_without_date_keeps_the_text():
    rows, _ = rows_for("The FORGE initiative is chaired by Canada until March.")
    chair = next(r for r in rows if r["role"] == "chair")
    assert chair["country"] == "CA" and "March" in chair["valid_to"]


def test_dyads_give_both_countries():
    rows, _ = rows_for("Negotiators signed the U.S.–Mexico action plan on Friday.")
    got = {(r["initiative"], r["country"], r["role"]) for r in rows}
    assert got >= {("us-mexico-action-plan", "US", "signatory"), ("us-mexico-action-plan", "MX", "signatory")}
    rows, _ = rows_for("双方官员讨论了美墨行动计划的落实。")
    assert {r["country"] for r in rows if r["initiative"] == "us-mexico-action-plan"} >= {"US", "MX"}


def test_chinese_chair_host_target():
    text = "日本外务省举办了关键矿产部长级会议。会上启动FORGE倡议，由加拿大担任主席直至9月，旨在对抗中国的主导地位。"
    rows, _ = rows_for(text, date="2026-05-01")
    got = {(r["initiative"], r["country"], r["role"]) for r in rows}
    assert ("critical-minerals-ministerial", "JP", "host") in got
    assert ("forge", "CA", "chair") in got
    assert ("forge", "CN", "target") in got
    assert next(r for r in rows if r["role"] == "chair")["valid_to"] == "2026-09"


def test_no_initiative_in_sight_no_rows():
    rows, claimed = rows_for("Germany and France discussed the weather. Spain joined them later.")
    assert rows == [] and claimed == {}


# --- the seed page --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("../shared is absent")
    text = SEED.read_text("utf-8")
    mentions = extract_countries(text)
    return text, mentions, extract_participation(text, mentions, date="2026-02-04")


def test_seed_chinese_mentions(seed):
    text, mentions, _ = seed
    zh = {m["surface"]: m["country"] for m in mentions}
    for surface, code in {"美国": "US", "中国": "CN", "韩国": "KR", "委内瑞拉": "VE", "加拿大": "CA",
                          "俄罗斯": "RU", "北京": "CN", "华盛顿": "US", "加拉加斯": "VE"}.items():
        assert zh.get(surface) == code, surface


def test_seed_document_countries(seed):
    _, mentions, _ = seed
    assert {"US", "CN", "KR", "VE", "CA", "RU", "UA", "TW", "JP", "MX", "IN", "EU"} <= set(document_countries(mentions))


def _roles(seed):
    return {(r["initiative"], r["country"], r["role"]) for r in seed[2]["participation"]}


def test_seed_us_hosts_the_ministerial(seed):
    assert ("critical-minerals-ministerial", "US", "host") in _roles(seed)


def test_seed_south_korea_chairs_forge_until_june(seed):
    chair = [r for r in seed[2]["participation"] if r["role"] == "chair"]
    assert [(r["initiative"], r["country"], r["valid_to"]) for r in chair] == [("forge", "KR", "2026-06")]
    assert "韩国" in chair[0]["evidence"]


def test_seed_price_floor_action_plans(seed):
    got = {r["country"] for r in seed[2]["participation"]
           if r["initiative"] == "us-eu-japan-price-floor-action-plans" and r["role"] != "mentioned"}
    assert got == {"US", "EU", "JP"}


def test_seed_us_mexico_action_plan(seed):
    rows = [r for r in seed[2]["participation"] if r["initiative"] == "us-mexico-action-plan"]
    assert {r["country"] for r in rows} == {"US", "MX"}
    assert all(r["status"] == "in_force" and "Mexico" in r["evidence"] for r in rows)


def test_seed_us_india_trade_deal(seed):
    got = {r["country"] for r in seed[2]["participation"]
           if r["initiative"] == "us-india-trade-agreement" and r["role"] != "mentioned"}
    assert got == {"US", "IN"}


def test_seed_china_is_the_target(seed):
    targets = {(r["initiative"], r["country"]) for r in seed[2]["participation"] if r["role"] == "target"}
    assert ("critical-minerals-trade-bloc", "CN") in targets
    assert ("critical-minerals-ministerial", "CN") in targets
    assert {c for _, c in targets} == {"CN"}


def test_seed_other_countries_mentioned_with_sentence(seed):
    text, mentions, found = seed
    named = {m["country"] for m in mentions}
    assert {"VE", "RU", "UA", "TW", "CA"} <= named
    for r in found["participation"]:
        assert r["evidence"] and text[r["char_start"]:r["char_end"]] == r["evidence"]
    assert found["claimed"]["critical-minerals-ministerial"] == 50
