"""Initiatives found in English and Chinese text (our own invented sentences): every kind, names and
descriptions, acronym and long form, English and Chinese names, editions of recurring events kept apart,
generic phrases rejected, every role and the dates the text gives."""
import pytest

from newstrace.ingest.pipeline.analyze import analyze_text

DATE = "2026-03-10"


def found(text, date=DATE):
    d = analyze_text(text, None, date)
    return {i["id"]: i for i in d["initiatives"]}, d["participation"]


def roles(text, date=DATE):
    return {(r["initiative"], r["country"], r["role"]) for r in found(text, date)[1] if r["role"] != "mentioned"}


# (text, expected id, kind) — one per kind of the issue, in English and in Chinese
KINDS = [
    ("Ministers discussed the Paris Agreement on Tuesday.", "paris-agreement", "agreement"),
    ("The AUKUS partners met again.", "aukus", "alliance"),
    ("Leaders of the Quad spoke by phone.", "quad", "dialogue"),
    ("Ports along the Belt and Road were upgraded.", "belt-and-road", "initiative"),
    ("Farmers worry about NAFTA.", "nafta", "trade_deal"),
    ("The Minerals Security Partnership grew.", "minerals-security-partnership", "partnership"),
    ("Brazil and Argentina signed a water-sharing agreement in 2024.", "argentina-brazil-agreement-2024", "agreement"),
    ("Officials unveiled the U.S.-Mexico action plan.", "us-mexico-action-plan", "action_plan"),
    ("The Saudi-led coalition in Yemen struck a port.", "saudi-arabia-led-coalition-in-yemen", "coalition"),
    ("The EU extended its sanctions on Russia.", "sanctions-on-russia", "sanctions"),
    ("Traders watched the BRICS bloc.", "brics", "bloc"),
    ("Trucks crossed the China-Pakistan Economic Corridor.", "cpec", "corridor"),
    ("Ministers gathered for the Intergovernmental Lithium Forum in Lima.", "intergovernmental-lithium-forum", "forum"),
    ("The Kenya-Uganda Joint Commission met in Nairobi.", "kenya-uganda-joint-commission", "forum"),
    ("He spoke at the Shangri-La Dialogue in Singapore in 2024.", "shangri-la-dialogue-2024", "dialogue"),
    ("The DPRK-U.S. summit was postponed.", "north-korea-us-summit-2026", "summit"),
    ("Delegates left the 2019 G20 summit in Osaka.", "g20-summit-2019", "summit"),
    ("The Critical Minerals Ministerial closed.", "critical-minerals-ministerial", "ministerial"),
    ("Negotiators arrived for COP29 in Baku.", "cop29", "conference"),
    ("The World Trade Organization ruled on the case.", "wto", "organisation"),
    ("Brexit talks resumed.", "brexit", "process"),
    ("Nord Stream 2 was halted.", "nord-stream-2", "project"),
    ("各国代表讨论了《区域全面经济伙伴关系协定》。", "rcep", "trade_deal"),
    ("上合组织峰会闭幕。", "sco-summit-2026", "summit"),
    ("一带一路建设稳步推进。", "belt-and-road", "initiative"),
    ("北约秘书长发表讲话。", "nato", "alliance"),
    ("中美第一阶段经贸协议开始执行。", "us-china-phase-one", "trade_deal"),
    ("两国外长宣布中俄全面战略协作伙伴关系进入新阶段。", "china-russia-partnership", "partnership"),
    ("双方签署了《中国和智利关于锂矿合作的谅解备忘录》。", None, "agreement"),
    ("欧盟对俄罗斯实施新一轮制裁。", "sanctions-on-russia", "sanctions"),
]


@pytest.mark.parametrize("text,iid,kind", KINDS)
def test_each_kind(text, iid, kind):
    items, _ = found(text)
    if iid is None:
        assert any(i["kind"] == kind and i["source"] == "text" for i in items.values()), items
    else:
        assert iid in items, sorted(items)
        assert items[iid]["kind"] == kind


@pytest.mark.parametrize("text", [
    "Analysts voiced expectations of a trade deal between two other countries.",
    "The ministers promised a new era of cooperation.",
    "Both sides said multilateral frameworks matter and hoped for a possible agreement.",
    "The Annual International Conference on Batteries opened in Lyon.",
    "A group of 20 students visited the museum.",
    "He was cryptic (IMO) about it.",
    "市场对贸易协议的预期升温，双方开启合作新时代。",
])
def test_generic_phrases_are_not_initiatives(text):
    assert found(text)[0] == {}


def test_acronym_and_long_form_are_one():
    items, rows = found("The Intergovernmental Lithium Forum (ILF) met in Lima. The ILF counts members including "
                        "Chile and Peru.")
    assert list(items) == ["intergovernmental-lithium-forum"]
    assert "ILF" in items["intergovernmental-lithium-forum"]["aliases"]
    assert {("intergovernmental-lithium-forum", "CL", "member"), ("intergovernmental-lithium-forum", "PE", "member")} \
        <= {(r["initiative"], r["country"], r["role"]) for r in rows}
    # a catalogue body by its acronym and its long form, spelled either way
    items, _ = found("The Organisation for Economic Co-operation and Development (OECD) said the OECD would act.")
    assert list(items) == ["oecd"]


def test_english_and_chinese_names_are_one():
    items, _ = found("NATO allies met. 北约盟国开会。The North Atlantic Treaty Organization agreed.")
    assert list(items) == ["nato"]
    assert {"NATO", "北约"} <= set(items["nato"]["aliases"])


def test_recurring_events_kept_apart_and_linked_to_their_series():
    items, _ = found("The G20 summit in Osaka in 2019 was calm; the G20 summit in Rome in 2021 was not. "
                     "COP22 and COP28 were climate conferences.")
    assert {"g20-summit-2019", "g20-summit-2021", "cop22", "cop28"} <= set(items)
    assert items["g20-summit-2019"]["series"] == items["g20-summit-2021"]["series"] == "g20-summit"
    assert items["g20-summit-2021"]["place"] == "Rome" and items["g20-summit-2021"]["year"] == 2021
    assert items["cop22"]["series"] == items["cop28"]["series"] == "un-climate-change-conference-cop"


ROLES_EN = [
    ("Chile will host the APEC summit in Santiago.", ("apec-summit-2026", "CL", "host")),
    ("Indonesia took over the ASEAN chair in January.", ("asean", "ID", "chair")),
    ("Norway, a NATO member, objected.", ("nato", "NO", "member")),
    ("Finland joined NATO in April 2023.", ("nato", "FI", "joined")),
    ("Ukraine has applied to join the European Union.", ("european-union", "UA", "candidate")),
    ("Peru and Chile signed a free trade agreement in Lima in 2006.", ("chile-peru-trade-deal-2006", "PE", "signatory")),
    ("Australia ratified the Regional Comprehensive Economic Partnership in 2021.", ("rcep", "AU", "ratified")),
    ("Under the U.S.-Mexico action plan, tariffs fall.", ("us-mexico-action-plan", "MX", "party")),
    ("Colombia, a NATO partner, sent observers.", ("nato", "CO", "partner")),
    ("Delegations from Kenya attended the 2019 G20 summit in Osaka.", ("g20-summit-2019", "KE", "participant")),
    ("The United States pulled out of the Paris Agreement in 2017.", ("paris-agreement", "US", "withdrawn")),
    ("The African Union suspended Mali after the coup.", ("african-union", "ML", "suspended")),
    ("Russia was expelled from the Council of Europe in March 2022.", ("council-of-europe", "RU", "expelled")),
    ("The EU imposed new sanctions on Russia over the war.", ("sanctions-on-russia", "RU", "target")),
    ("Switzerland holds observer status at the Arctic Council.", ("arctic-council", "CH", "observer")),
]
ROLES_ZH = [
    ("二十国集团峰会将在大阪举行，日本主办。", ("g20-summit-2026", "JP", "host")),
    ("上合组织峰会由哈萨克斯坦担任轮值主席国。", ("sco-summit-2026", "KZ", "chair")),
    ("中国是一带一路倡议的发起国。", ("belt-and-road", "CN", "member")),
    ("芬兰于2023年4月加入北约。", ("nato", "FI", "joined")),
    ("乌克兰申请加入欧盟。", ("european-union", "UA", "candidate")),
    ("中美两国签署了中美第一阶段经贸协议。", ("us-china-phase-one", "CN", "signatory")),
    ("澳大利亚批准了《区域全面经济伙伴关系协定》。", ("rcep", "AU", "ratified")),
    ("印度出席了上合组织峰会。", ("sco-summit-2026", "IN", "participant")),
    ("美国宣布退出《巴黎协定》。", ("paris-agreement", "US", "withdrawn")),
    ("非盟暂停了马里的成员资格。", ("african-union", "ML", "suspended")),
    ("俄罗斯被开除出欧洲委员会。", ("council-of-europe", "RU", "expelled")),
    ("欧盟对俄罗斯实施新一轮制裁。", ("sanctions-on-russia", "RU", "target")),
    ("瑞士作为观察员参加北极理事会会议。", ("arctic-council", "CH", "observer")),
]


@pytest.mark.parametrize("text,row", ROLES_EN + ROLES_ZH)
def test_every_role(text, row):
    assert row in roles(text)


def test_roles_carry_the_dates_the_text_gives():
    rows = found("Finland joined NATO in April 2023. Korea will chair the forum until June; "
                 "the Intergovernmental Lithium Forum (ILF) is chaired by Korea until June.")[1]
    joined = next(r for r in rows if r["role"] == "joined")
    assert joined["valid_from"] == "2023-04"
    chair = next(r for r in rows if r["role"] == "chair")
    assert chair["valid_to"] == "2026-06" and chair["valid_from"] == DATE
    zh = next(r for r in found("韩国担任FORGE倡议主席直至6月。")[1] if r["role"] == "chair")
    assert zh["valid_to"] == "2026-06"
    # without a text date the role dates from the article
    assert next(r for r in found("Norway, a NATO member, objected.")[1])["valid_from"] == DATE


def test_a_passing_hope_is_not_a_listed_deal():
    # the case: hopes for a trade deal between two other countries are no US–India agreement
    assert roles("He hoped for a trade deal between two other countries, as India and the US watched.") == set()


def test_catalogue_membership_is_never_evidence():
    # NATO's members are on record in the catalogue; a sentence naming NATO alone gives no member rows
    assert roles("NATO issued a statement on Tuesday.") == set()


# Chinese news names an edition by its body and an ordinal and places it with a city after the country
ZH_EDITIONS = [
    ("金砖国家领导人第十六次会晤22日在俄罗斯喀山举行。", ("brics-summit-2026", "RU", "host")),
    ("二十国集团领导人第十九次峰会18日在巴西里约热内卢开幕。", ("g20-summit-2026", "BR", "host")),
    ("亚太经合组织第三十一次领导人非正式会议在秘鲁首都利马举行。", ("apec-summit-2026", "PE", "host")),
    ("中非合作论坛第九届部长级会议在中国北京召开。", ("focac-2026", "CN", "host")),
    # a meeting of named parties takes the article's year, as in English ("the China-Japan-South Korea summit")
    ("中日韩三国领导人会议在韩国首尔举行。", ("china-japan-south-korea-summit-2026", "KR", "host")),
]


@pytest.mark.parametrize("text,row", ZH_EDITIONS)
def test_chinese_editions_by_ordinal_and_their_hosts(text, row):
    items, _ = found(text)
    assert row[0] in items
    assert row in roles(text)
    if items[row[0]].get("series"):
        assert items[row[0]]["year"] == 2026  # the article's year; the body itself is not a second initiative
        assert not {"brics", "g20", "apec"} & set(items)


def test_chinese_edition_without_a_year_is_named_by_its_country_in_english():
    d = analyze_text("金砖国家领导人第十六次会晤在俄罗斯喀山举行。", "zh")
    assert [i["id"] for i in d["initiatives"]] == ["brics-summit-russia"]


def test_chinese_sanctions_rounds_and_who_imposes_them():
    assert {("sanctions-on-iran", "IR", "target"), ("sanctions-on-iran", "GB", "party")} <= \
        roles("英国对伊朗实施第三轮制裁。")
    # a country that is merely talked to (对话) is no target
    assert roles("英国对伊朗表示关切。") == set()


def test_security_council_resolutions_by_number():
    items, _ = found("The Security Council adopted Resolution 2799 on Friday; its resolution 2801 followed.")
    assert {"unsc-resolution-2799", "unsc-resolution-2801"} <= set(items)
    assert items["unsc-resolution-2799"]["parent"] == "un-security-council"
    assert "unsc-resolution-2799" in found("安理会一致通过第2799号决议。")[0]
    # a parliament's or an assembly's numbered resolution is not the Council's
    assert not [i for i in found("The city council passed resolution 12 on parking.")[0] if i.startswith("unsc")]
    assert not [i for i in found("The Security Council met. The General Assembly resolution 77/12 passed.")[0]
                if i.startswith("unsc")]


MORE_ROLES = [
    ("Portugal formally became NATO's 33rd member on Monday.", ("nato", "PT", "joined")),
    ("Chile signed the accession treaty to join the CPTPP in May.", ("cptpp", "CL", "joined")),
    ("Belarus suspended its participation in the Open Skies Treaty.", ("open-skies-treaty", "BY", "suspended")),
    ("Ghana will host the Africa Energy Summit in Accra.", ("africa-energy-summit", "GH", "host")),
]


ZH_MORE = [
    ("马来西亚正式成为金砖国家成员国。", ("brics", "MY", "joined")),
    ("泰国受邀加入金砖国家。", ("brics", "TH", "candidate")),
    ("老挝将于2026年担任东盟轮值主席国。", ("asean", "LA", "chair")),
    ("美国对委内瑞拉实施石油禁运。", ("embargo-on-venezuela", "VE", "target")),
    ("美国对委内瑞拉实施石油禁运。", ("embargo-on-venezuela", "US", "party")),
    ("中国和秘鲁签署了自由贸易协定升级议定书。", ("china-peru-trade-deal", "PE", "signatory")),
    ("印度尼西亚与澳大利亚建立全面战略伙伴关系。", ("australia-indonesia-partnership", "ID", "party")),
    ("俄罗斯暂停履行《新削减战略武器条约》。", ("new-start", "RU", "suspended")),
    ("法国、德国和英国是伊核协议的缔约方。", ("jcpoa", "FR", "party")),
    ("巴西将主办第三十届联合国气候变化大会。", ("cop30", "BR", "host")),
]


def test_chinese_refusals_give_no_role():
    assert roles("阿根廷宣布不加入金砖国家。") == set()
    assert roles("印度拒绝签署《区域全面经济伙伴关系协定》。") == set()
    assert ("brics", "AR", "joined") in roles("阿根廷宣布加入金砖国家。")


def test_chinese_cop_ordinal_is_the_conference_number():
    items, _ = found("第二十八届联合国气候变化大会在阿联酋迪拜举行。")
    assert set(items) == {"cop28"} and items["cop28"]["series"] == "un-climate-change-conference-cop"


EN_MORE = [
    ("Canada rejoined the Paris Agreement in 2021.", ("paris-agreement", "CA", "joined")),
    ("South Africa will hold the G20 presidency next year.", ("g20", "ZA", "chair")),
    ("Chile and the EU concluded negotiations on a free trade agreement.", ("chile-eu-trade-deal", "CL", "signatory")),
    ("India is the second-largest shareholder of the Asian Infrastructure Investment Bank.", ("aiib", "IN", "member")),
    ("Canada and New Zealand are members of the Five Eyes alliance.", ("five-eyes", "NZ", "member")),
]


def test_english_refusals_give_no_role_but_a_later_clause_does():
    assert roles("Argentina declined to join BRICS.") == set()
    assert roles("Japan did not sign the Paris Agreement.") == set()
    assert ("saudi-arabia-led-coalition-in-yemen", "GB", "partner") in \
        roles("Britain is not a party to the war in Yemen, but has backed the Saudi-led coalition in Yemen.")


def test_a_target_belongs_to_the_nearest_initiative():
    got = roles("Hungary blocked the EU's new sanctions package against Russia.")
    assert ("sanctions-on-russia", "RU", "target") in got
    assert ("european-union", "RU", "target") not in got


@pytest.mark.parametrize("text,row", MORE_ROLES + ZH_MORE + EN_MORE)
def test_more_phrasings_of_roles(text, row):
    "Phrasings met in news of other subjects than the dev set's (English and Chinese)."
    assert row in roles(text)


# dates and qualifiers between the country and the verb (于2019年3月正式…), and the states a country is in
DATED_GAPS = [
    ("卢森堡于2019年3月宣布暂停履行《开放天空条约》。", ("open-skies-treaty", "LU", "suspended")),
    ("黑山于2017年6月5日正式加入北约。", ("nato", "ME", "joined")),
    ("葡萄牙于2024年11月正式成为金砖国家成员。", ("brics", "PT", "joined")),
    ("希腊于2015年7月正式脱离欧元区。", ("eurozone", "GR", "withdrawn")),
    ("越南担任2027年东盟轮值主席国。", ("asean", "VN", "chair")),
    ("挪威于2018年5月被开除出北极理事会。", ("arctic-council", "NO", "expelled")),
    ("伊朗与六国于2015年达成的伊朗核问题全面协议遭到破坏。", ("jcpoa", "IR", "party")),
    ("Montenegro became the 29th member of NATO in 2017.", ("nato", "ME", "joined")),
    ("Bulgaria became the 27th member state of the European Union.", ("european-union", "BG", "joined")),
    ("Serbia has been a candidate for EU membership since 2012.", ("european-union", "RS", "candidate")),
    ("Iceland belongs to the Nordic Council.", ("nordic-council", "IS", "member")),
]


@pytest.mark.parametrize("text,row", DATED_GAPS)
def test_roles_across_dates_and_qualifiers(text, row):
    assert row in roles(text)


def test_the_country_a_role_names_is_the_doer_not_the_one_asked():
    assert roles("德国在柏林的一次会议上敦促伙伴加入北约。") == set()
    assert roles("日本呼吁各国签署《巴黎协定》。") == set()
    # "but belongs to": the subject of a later clause is not the initiative before it
    assert ("eea", "EU", "member") not in roles("Iceland is not in the European Union but belongs to the EEA.")


SANCTIONED = [
    ("Venezuela, which is under U.S. sanctions, sold oil to India.", ("sanctions-on-venezuela", "VE", "target")),
    ("Venezuela, which is under U.S. sanctions, sold oil to India.", ("sanctions-on-venezuela", "US", "party")),
    ("Syria remains under an EU arms embargo.", ("embargo-on-syria", "SY", "target")),
    ("叙利亚长期受到欧盟的制裁。", ("sanctions-on-syria", "SY", "target")),
    ("叙利亚长期受到美国的经济制裁。", ("sanctions-on-syria", "US", "party")),
    ("古巴长期遭受美国的经济封锁。", ("embargo-on-cuba", "CU", "target")),
    ("欧盟对白俄罗斯实施了第五轮制裁。", ("sanctions-on-belarus", "BY", "target")),
]


@pytest.mark.parametrize("text,row", SANCTIONED)
def test_a_country_under_sanctions_is_their_target(text, row):
    "Sanctions named after the country they target ('X, which is under UN sanctions', 受到…制裁, 遭受…封锁)."
    assert row in roles(text)


def test_an_economic_blockade_is_one_embargo_in_both_languages():
    assert "embargo-on-cuba" in found("古巴长期遭受美国的经济封锁。")[0]
    assert "embargo-on-cuba" in found("Cuba has lived under a U.S. embargo for decades.")[0]


MORE_EN_2 = [
    # an owner named before the initiative is part of its name, not the end of the verb's object
    ("Greece signed up to China's Belt and Road Initiative in 2018.", ("belt-and-road", "GR", "joined")),
    # an apposition naming the countries' standing, the list walked to it
    ("Canada, Chile and Peru, three of the parties to the CPTPP, met in Lima.", ("cptpp", "CA", "party")),
    ("Poland and Hungary, both members of the European Union, objected.", ("european-union", "PL", "member")),
    ("Egypt has been invited to join BRICS.", ("brics", "EG", "candidate")),
    ("Bolivia walked out of the UNASUR talks in 2018.", ("unasur", "BO", "withdrawn")),
    ("The Camp David Accords made peace between Egypt and Israel.", ("camp-david-accords", "EG", "party")),
]


@pytest.mark.parametrize("text,row", MORE_EN_2)
def test_owners_appositions_invitations_and_sides(text, row):
    assert row in roles(text)


def test_a_war_between_two_countries_does_not_make_them_parties():
    assert not {r for r in roles("The trade deal could spark a trade war between China and Japan.") if r[2] == "party"}


def test_a_head_noun_after_a_named_initiative_is_that_initiative():
    items, _ = found("Britain, Australia and the United States unveiled the AUKUS security pact in 2021.")
    assert set(items) == {"aukus"}
    # a body's name before a head is not its own head: a described agreement with its parties
    items, _ = found("The European Union signed a trade agreement with Japan in 2018.")
    assert [i for i in items if i != "european-union"]


ZH_MORE_2 = [
    ("希腊于2018年加入“一带一路”倡议。", ("belt-and-road", "GR", "joined")),  # the name's opening mark
    ("韩国宣布加入《区域全面经济伙伴关系协定》谈判。", ("rcep", "KR", "participant")),  # the talks, not the pact
    ("Norway joined the RCEP negotiations.", ("rcep", "NO", "participant")),
    ("美国、日本、印度和澳大利亚组成的“四方安全对话”机制举行会议。", ("quad", "IN", "member")),
    ("英国和加拿大对白俄罗斯实施新一轮制裁。", ("sanctions-on-belarus", "GB", "party")),  # each of a list before 对
    ("英国和加拿大对白俄罗斯实施新一轮制裁。", ("sanctions-on-belarus", "CA", "party")),
    ("肯尼亚将于明年主办非洲联盟峰会。", ("au-summit", "KE", "host")),  # a body's summit by its Chinese name
    # a passive target: the cue comes after the initiative
    ("俄罗斯长期被外界视为北约所针对的主要对象。", ("nato", "RU", "target")),
]


@pytest.mark.parametrize("text,row", ZH_MORE_2)
def test_more_chinese_phrasings(text, row):
    assert row in roles(text, date=None)


def test_a_chinese_edition_by_place_and_year_is_the_english_one():
    zh, _ = found("2019年二十国集团大阪峰会举行。", date=None)
    en, _ = found("The G20 summit in Osaka in 2019 ended.", date=None)
    assert set(zh) == set(en) == {"g20-summit-2019"}
    assert zh["g20-summit-2019"]["place"] == "大阪"
    # the meeting's own words are not a place
    assert "g20-summit" in found("二十国集团领导人峰会举行。", date=None)[0]


def test_a_bilateral_summit_described_by_the_leaders_who_meet():
    items, rows = found("Macron and Friedrich Merz met in Berlin for their first summit in May 2025.", date=None)
    assert list(items) == ["france-germany-summit-2025"]
    got = {(r["country"], r["role"]) for r in rows if r["role"] != "mentioned"}
    assert {("DE", "host"), ("FR", "participant")} <= got
    items, _ = found("The summit between President Biden and Xi Jinping took place in Bali in 2022.", date=None)
    assert list(items) == ["china-us-summit-2022"]
    items, _ = found("A summit of the leaders of Japan and China was held in Beijing in 2019.", date=None)
    assert list(items) == ["china-japan-summit-2019"]
    # people who are not leaders meeting at a summit make no summit of their countries
    assert not found("Bankers from China and the US met for the annual summit in Davos.", date=None)[0]


def test_a_bilateral_summit_is_one_across_languages_and_kept_apart_by_year():
    en, _ = found("The China-US summit was held in Bali in November 2022.", date=None)
    zh, _ = found("中美元首会晤于2022年11月在巴厘岛举行。", date=None)
    assert set(en) == set(zh) == {"china-us-summit-2022"}
    assert "china-us-summit-2023" in found("中美元首会晤于2023年11月在旧金山举行。", date=None)[0]


def test_both_sides_of_a_meeting_at_an_event_take_part_in_it():
    got = roles("Putin met Xi Jinping at the SCO summit, while India stayed away.", date=None)
    assert {("sco-summit", "RU", "participant"), ("sco-summit", "CN", "participant")} <= got
    assert not {r for r in got if r[1] == "IN"}
    got = roles("Japan's prime minister met his Indian counterpart at the G7 summit.", date=None)
    assert {("g7-summit", "JP", "participant"), ("g7-summit", "IN", "participant")} <= got


def test_two_leaders_meeting_in_chinese_is_the_summit_english_names():
    zh, rows = found("2024年习近平同普京在北京举行会晤。", date=None)
    en, _ = found("Putin and Xi Jinping met in Beijing for their summit in 2024.", date=None)
    assert set(zh) == set(en) == {"china-russia-summit-2024"}
    assert {("CN", "host"), ("RU", "participant")} <= {(r["country"], r["role"]) for r in rows}
    # talks of ministers are not a summit
    assert not found("中俄两国外长在北京举行会谈。", date=None)[0]
