"""Claim extraction on short fixture texts written for these tests (English and Chinese), the seed page
read at run time from ../shared, and bad input."""
import re
from pathlib import Path

import pytest

from newstrace.ingest.claims import extract_claims
from newstrace.ingest.claims.quantities import extract_quantities
from newstrace.ingest.claims.sentences import page_segments, split_sentences

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED = SHARED / "corpus" / "seed-critical-minerals-ministerial.txt"

FIELDS = {"sentence", "char_start", "char_end", "segment", "claim_type", "speaker", "speaker_text", "cited_source",
          "chain", "attribution_mode", "verification_status", "hedge_text", "hedge_scope", "quantities", "lang",
          "extractor", "confidence", "status_by", "status_independent"}

EN = (
    "Harbor Lithium plans new refinery\n"
    "\n"
    "Energy Minister Clara Ostrowski said Tuesday the government will cap export licences for cobalt. "
    "“We are not going to sell our future at a discount,” she told reporters, according to The Northern Ledger. "
    "Harbor Lithium Corp. said it would invest $2.5 billion in a refinery near Tamsin. "
    "The Northern Ledger reported that output fell from 40% to 31% last year; those figures were not "
    "independently confirmed. "
    "Industry groups called the plan “glamorous” but vague. "
    "Officials said more than 12 countries have asked to join the scheme. "
    "Is the plan realistic?\n"
    "Photo credit: Stock images\n"
)

ZH = (
    "东海矿业公司宣布投资3500万美元扩建选矿厂。"
    "该公司表示,新工厂将于明年投产。"
    "据海港日报报道,外交部长林晓东称超过20个国家已表示兴趣,但这一数字未经独立核实。"
)


def by_sentence(claims, needle):
    found = [c for c in claims if needle in c["sentence"]]
    assert found, f"no claim for {needle!r}: {[c['sentence'] for c in claims]}"
    return found[0]


def test_fields_and_offsets_en():
    claims = extract_claims(EN, "en")
    assert claims
    for c in claims:
        assert set(c) == FIELDS
        assert EN[c["char_start"]:c["char_end"]] == c["sentence"]
        assert c["extractor"] == "rules-v1" and 0 < c["confidence"] <= 1 and c["lang"] == "en"


def test_english_fixture_exact():
    claims = extract_claims(EN, "en")
    first = by_sentence(claims, "Clara Ostrowski said")
    assert (first["claim_type"], first["speaker"], first["speaker_text"], first["attribution_mode"]) == \
        ("commitment", "Clara Ostrowski (Energy Minister)", "Energy Minister Clara Ostrowski", "indirect_speech")
    quote = by_sentence(claims, "We are not going to sell")
    assert quote["claim_type"] == "quote" and quote["attribution_mode"] == "direct_quote"
    # a pronoun resolves to the full label; the chain and the tracer use the bare name
    assert quote["speaker"] == "Clara Ostrowski (Energy Minister)" and quote["speaker_text"] == "she"
    assert quote["cited_source"] == "The Northern Ledger"
    assert quote["chain"] == ["Clara Ostrowski", "The Northern Ledger"]
    money = by_sentence(claims, "Harbor Lithium Corp. said")
    assert money["claim_type"] == "statistic" and money["speaker"] == "Harbor Lithium Corp."
    assert money["quantities"] == [{"text": "$2.5 billion", "value": 2.5e9, "unit": "USD", "scale": "billion",
                                    "op": None, "from": None, "to": None}]
    stat = by_sentence(claims, "output fell")
    assert stat["attribution_mode"] == "secondhand_outlet" and stat["cited_source"] == "The Northern Ledger"
    assert stat["verification_status"] == "unverified" and stat["hedge_scope"] == "all"
    assert stat["hedge_text"] == "those figures were not independently confirmed"
    assert stat["quantities"][0]["from"] == 40 and stat["quantities"][0]["to"] == 31
    anon = by_sentence(claims, "Officials said")
    assert anon["attribution_mode"] == "anonymous" and anon["claim_type"] == "statistic"
    assert anon["quantities"][0]["op"] == ">" and anon["quantities"][0]["unit"] == "country"
    # a scare-quoted word is not a quotation; a question and a photo credit are not claims
    assert not any(c["claim_type"] == "quote" and "glamorous" in c["sentence"] for c in claims)
    assert not any("realistic?" in c["sentence"] or "Photo credit" in c["sentence"] for c in claims)
    # a headline without end punctuation is read (issue 9): the company's plan
    head = by_sentence(claims, "plans new refinery")
    assert (head["char_start"], head["attribution_mode"], head["speaker"]) == (0, "indirect_speech", "Harbor Lithium")


def test_hedge_in_next_sentence_attaches_back():
    text = ("The ministry said exports rose 18% in March. Those numbers could not be independently verified. "
            "Key elements of a second deal were not confirmed.")
    claims = extract_claims(text, "en")
    first = by_sentence(claims, "exports rose")
    assert first["verification_status"] == "unverified"
    assert first["hedge_text"] == "Those numbers could not be independently verified"
    assert not any(c["sentence"].startswith("Those numbers") for c in claims)


def test_part_scope_and_denial():
    text = ("Ambassador Rafael Oduya said the pact covers 30 mines, though key elements were not independently "
            "confirmed. The company denied that it had shipped ore to the plant.")
    claims = extract_claims(text, "en")
    c = by_sentence(claims, "30 mines")
    assert c["verification_status"] == "unverified" and c["hedge_scope"] == "part"
    d = by_sentence(claims, "denied")
    assert d["verification_status"] == "denied"


def test_chinese_fixture_exact():
    claims = extract_claims(ZH, "zh")
    for c in claims:
        assert ZH[c["char_start"]:c["char_end"]] == c["sentence"] and c["lang"] == "zh"
    a = by_sentence(claims, "3500万美元")
    assert a["claim_type"] == "statistic" and a["speaker"] == "东海矿业公司"
    assert a["quantities"][0]["value"] == 3.5e7 and a["quantities"][0]["unit"] == "USD"
    b = by_sentence(claims, "新工厂")
    assert b["speaker"] == "东海矿业公司" and b["speaker_text"] == "该公司" and b["claim_type"] == "commitment"
    c = by_sentence(claims, "超过20个国家")
    assert c["speaker"] == "林晓东" and c["cited_source"] == "海港日报"
    assert c["attribution_mode"] == "secondhand_outlet" and c["chain"] == ["林晓东", "海港日报"]
    assert c["verification_status"] == "unverified" and c["hedge_text"] == "但这一数字未经独立核实"
    assert c["quantities"][0]["op"] == ">" and c["quantities"][0]["unit"] == "country"


def test_cross_language_alias_and_title_resolution():
    text = ("美国副总统万斯表示,美国将与盟友合作。\n"
            "Vice President JD Vance met ministers on Monday. The vice president said the talks were useful.")
    claims = extract_claims(text, "en")
    assert by_sentence(claims, "万斯表示")["speaker"] == "JD Vance"
    c = by_sentence(claims, "talks were useful")
    assert c["speaker"] == "JD Vance" and c["speaker_text"] == "The vice president"


def test_quantities():
    q = extract_quantities
    assert q("about 70% of supply", "en")[0] == {"text": "about 70%", "value": 70.0, "unit": "%", "scale": None,
                                                 "op": "~", "from": None, "to": None}
    assert q("a loan of $10 billion", "en")[0]["value"] == 1e10
    assert q("投资2100万美元", "zh")[0]["value"] == 2.1e7
    assert q("超过50个国家", "zh")[0]["op"] == ">" and q("超过50个国家", "zh")[0]["value"] == 50
    assert q("more than 50 countries", "en")[0]["unit"] == "country"
    assert q("On February 4, 2026 the talks began", "en") == []
    assert q("2026年6月4日", "zh") == []
    assert q("the G20 and COVID-19", "en") == []


def test_segments_and_sentences():
    text = "Main text here.\nRelated\nOther story.\n人们在说什么\n网友称赞。"
    segs = [seg for _, _, seg in page_segments(text)]
    assert segs == ["main", "related", "related", "social", "social"]
    spans = split_sentences("Sen. Jo Ames met U.S. officials. They agreed.")
    assert len(spans) == 2


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "He said “this never closes and goes on and on about 40% of things",
    "“Unbalanced” quotes ” here said nobody “ and more",
    "word " * 2000,
    ("The officials said " + "and the plan " * 800 + "will cost $5 billion."),
    "no punctuation at all just words flowing on and on without any end in sight whatsoever",
    "混合 text 中文 and English 没有 punctuation",
])
def test_bad_input_no_crash_no_invention(text):
    claims = extract_claims(text, "en")
    for c in claims:
        assert text[c["char_start"]:c["char_end"]] == c["sentence"]
    if "$5 billion" not in text and "40%" not in text:
        assert claims == []


def test_unbalanced_quote_is_not_a_quote():
    claims = extract_claims("He said “this never closes and goes on about 40% of things.", "en")
    assert all(c["attribution_mode"] != "direct_quote" for c in claims)


@pytest.mark.skipif(not SEED.exists(), reason="../shared/corpus absent")
def test_seed_page():
    text = SEED.read_text(encoding="utf-8")
    claims = extract_claims(text, "en")
    sentences = " ".join(c["sentence"] for c in claims)
    # every sentence with a figure or a quotation (outside captions and boilerplate) is found
    lines = [l for l in text.splitlines() if l.strip()]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "生成的图像" in nxt or "生成的图像" in line:
            continue
        for s in re.split(r"(?<=[.。;])\s*", line):
            if re.search(r"\d+%|\$\d|\d+万|超过\d+|more than \d+|“[^”]*[a-z]+ [a-z]+ [a-z]+[^”]*”", s):
                assert s.strip()[:40] in sentences, s
    chains = [c["chain"] for c in claims]
    assert ["JD Vance", "The Daily Wire"] in chains
    assert ["Marco Rubio", "The Tribune"] in chains
    unverified = [c for c in claims if c["verification_status"] == "unverified"]
    assert any("70%" in c["sentence"] and "not independently confirmed" in c["hedge_text"] for c in unverified)
    assert any("mutually confirmed readouts" in c["hedge_text"] for c in unverified)
    india = [c for c in unverified if "key elements" in c["hedge_text"]]
    assert india and india[0]["hedge_scope"] == "part"
    assert not any("cookie" in c["sentence"] or "生成的图像" in c["sentence"] for c in claims)
    zh = [c for c in claims if c["lang"] == "zh"]
    zh_speakers = {c["speaker_text"] for c in zh} | {c["speaker"] for c in zh}
    assert {"格里尔", "白宫", "美国国务院"} <= zh_speakers
    related_at = text.index("相关文章")
    social_at = text.index("人们在说什么")
    for c in claims:
        expected = "related" if c["char_start"] > related_at else "social" if c["char_start"] > social_at else "main"
        assert c["segment"] == expected, c["sentence"]
    rubio = [c for c in claims if "outsourced our economic security" in c["sentence"]]
    assert rubio[0]["claim_type"] == "quote" and rubio[0]["speaker"] == "Marco Rubio"
    assert not any(c["claim_type"] == "quote" and "“excellent”" in c["sentence"] for c in claims)


def test_archive_quote_styles_and_subjects():
    # wire/newspaper archive marks, an adverb and a time phrase between speaker and verb, an interrupting
    # clause, a relative clause after the subject, an unnamed group, an agentless attribution
    text = ("``We will not sign this treaty,'' Ines Varga said.\n"
            "''The port is closed until spring,'' added Tomas Reyes, the harbour master.\n"
            "Minister Oskar Lind however said on Tuesday that the tariff would stay.\n"
            "The Harbor Board, when contacted by the Ledger, said the figures were wrong.\n"
            "Farmers who have lost contracts warned that prices would fall.\n"
            "Shipments could double next year, trade analysts say.\n"
            "The new terminal is expected to open in May.\n")
    claims = extract_claims(text, "en")
    by = {c["sentence"][:12]: c for c in claims}
    assert by["``We will no"]["attribution_mode"] == "direct_quote" and by["``We will no"]["speaker"] == "Ines Varga"
    reyes = by["''The port i"]
    # two apostrophes are not a default quotation mark (inches, seconds): reported speech, not a direct quote
    assert reyes["attribution_mode"] == "indirect_speech" and reyes["speaker"] == "Tomas Reyes (harbour master)"
    assert reyes["speaker_text"] == "Tomas Reyes, the harbour master"  # as written
    assert by["Minister Osk"]["speaker"] == "Oskar Lind"
    assert by["The Harbor B"]["speaker"] == "The Harbor Board"
    assert by["Farmers who "]["speaker"] == "Farmers"
    assert by["Shipments co"]["attribution_mode"] == "anonymous"
    assert by["The new term"]["attribution_mode"] == "anonymous" and by["The new term"]["speaker"] is None


def test_speaker_labels_carry_the_first_description():
    text = ("“We need the hearing now,” said Sen. Alma Ruiz (D-Ore.).\n"
            "Pablo Ferri, a historian at Lakeview College, said the vote was close.\n"
            "Ferri said it would be repeated. He added that turnout fell.\n"
            "Northern Gazette columnist Ida Brandt wrote that the plan was late.\n"
            "“It is too early,” Ruiz said.\n")
    claims = extract_claims(text, "en")
    speakers = [c["speaker"] for c in claims]
    assert speakers[0] == "Alma Ruiz (D-Ore.)"
    assert by_sentence(claims, "vote was close")["speaker"] == "Pablo Ferri (historian at Lakeview College)"
    assert by_sentence(claims, "repeated")["speaker"] == "Pablo Ferri (historian at Lakeview College)"
    assert by_sentence(claims, "Ida Brandt")["speaker"] == "Ida Brandt (Northern Gazette columnist)"
    late = by_sentence(claims, "too early")
    assert late["speaker"] == "Alma Ruiz (D-Ore.)" and late["chain"] == ["Alma Ruiz"]
    assert all(not s.endswith(".") for s in speakers)


def test_one_row_per_distinct_attribution():
    text = ("Mayor Lena Oduya said the bridge would reopen in May, adding that repairs cost $4 million, "
            "and calling on the province to pay half.")
    claims = extract_claims(text, "en")
    keys = [(c["char_start"], c["char_end"], c["speaker"]) for c in claims]
    assert len(keys) == len(set(keys)) == 3  # the sentence, then each statement in a clause of its own
    assert [c["sentence"] for c in claims[1:]] == ["adding that repairs cost $4 million",
                                                   "and calling on the province to pay half."]


def test_naming_verb_and_surname_resolution():
    text = ("The new council, called BRIDGE, replaces the old trade forum.\n"
            "Harlan Foods LLC said sales rose 8% in March.\n"
            "Harlan said the figure was wrong.\n")
    claims = extract_claims(text, "en")
    assert not any("BRIDGE" in (c["speaker"] or "") for c in claims)
    assert by_sentence(claims, "figure was wrong")["speaker"] == "Harlan"  # a person, not "Harlan Foods LLC"


def test_quotation_continues_after_an_introducing_colon():
    text = "The Harbor Times described the talks, reporting:\n\n\"The delegates left early. Nothing was signed.\"\n"
    claims = extract_claims(text, "en")
    assert len(claims) == 1 and claims[0]["attribution_mode"] == "direct_quote"
    assert claims[0]["sentence"].endswith("Nothing was signed.\"")


def test_chinese_negated_confirmation_and_source_frames():
    text = ("据《港湾纪事报》报道,该公司投资了3000万美元,但这一说法尚未得到独立证实。\n"
            "据海峡日报3月5日报道,两国将签署协议。\n"
            "新华社援引知情人士称,谈判已经结束。\n")
    claims = extract_claims(text, "zh")
    a = by_sentence(claims, "3000万美元")
    assert a["verification_status"] == "unverified" and a["cited_source"] == "港湾纪事报"
    b = by_sentence(claims, "两国将签署协议")
    assert b["cited_source"] == "海峡日报"
    c = by_sentence(claims, "谈判已经结束")
    assert c["cited_source"] == "新华社" or c["cited_source"] == "Xinhua"
    assert c["attribution_mode"] == "secondhand_outlet"
    for x in claims:
        assert not (x["speaker"] or "").startswith("据") and not (x["cited_source"] or "").startswith("据")


def test_english_negated_confirmation():
    text = ("Officials said exports rose 12% in May, though there was no independent confirmation of the figure.\n"
            "The company said output doubled to 40 tonnes; this has never been confirmed by regulators.\n")
    claims = extract_claims(text, "en")
    assert by_sentence(claims, "exports rose")["verification_status"] == "unverified"
    assert by_sentence(claims, "output doubled")["verification_status"] == "unverified"


def test_dispute_two_sentences_later_names_one_figure():
    text = ("Lakeshore Bank said copper output rose 12% and nickel output fell 4% last year.\n"
            "Many traders watched the numbers closely.\n"
            "Ana Ruiz, an economist at Delta Research, challenges the copper figure. "
            "“The 12% copper rise counts one mine twice,” Ruiz said.\n"
            "She did not dispute the nickel figure, which she said was close to 4%.\n")
    claims = extract_claims(text, "en")
    first = by_sentence(claims, "copper output rose")
    assert (first["verification_status"], first["hedge_scope"]) == ("disputed", "part")
    assert first["hedge_text"] == "challenges the copper figure"
    # the quotation restates the figure the dispute names: the dispute spreads to it
    assert by_sentence(claims, "counts one mine twice")["verification_status"] == "disputed"
    # a negated dispute is none, and the other figure is not touched
    assert by_sentence(claims, "nickel figure")["verification_status"] == "none"


def test_confirmation_overrides_an_earlier_hedge_and_window():
    text = ("Last month the Bay Courier reported that exports reached $3 billion, though the figure was not "
            "independently confirmed at the time. New customs data confirm the figure.\n"
            "Officials said imports rose 7%.\n"
            "Ports stayed open. Roads were busy. Rail lines ran late. Weather was mild.\n"
            "Those numbers could not be verified.\n")
    claims = extract_claims(text, "en")
    a = by_sentence(claims, "exports reached")
    assert a["verification_status"] == "confirmed" and a["hedge_text"] == "New customs data confirm the figure"
    # four sentences later a hedge no longer reaches the figure
    assert by_sentence(claims, "imports rose")["verification_status"] == "none"


def test_chinese_hedge_refers_back_through_the_paper():
    text = ("据《港湾纪事报》报道，该国锂产量增长了30%。该报称数据来自海关，但这些数据尚未得到独立证实。\n"
            "“我们会继续扩产。”林晓东对记者说。\n")
    claims = extract_claims(text, "zh")
    a = by_sentence(claims, "30%")
    assert a["verification_status"] == "unverified" and a["hedge_text"] == "但这些数据尚未得到独立证实"
    b = by_sentence(claims, "该报称")
    assert b["cited_source"] == "港湾纪事报" and b["attribution_mode"] == "secondhand_outlet"
    c = by_sentence(claims, "继续扩产")
    assert c["sentence"].endswith("林晓东对记者说。") and c["speaker"] == "林晓东"
    assert c["attribution_mode"] == "direct_quote"


def test_referring_hedges_on_bad_input():
    long = "The figures were disputed " + "and the numbers " * 800 + "were not confirmed."
    for text in (long, "Those numbers could not be verified.", "该数据有误。", "the numbers " * 50):
        claims = extract_claims(text, "en")
        assert all(c["verification_status"] in ("none", "unverified", "disputed", "denied", "confirmed") for c in claims)
    assert extract_claims("Those numbers could not be verified.", "en") == []


def test_game_reports_keep_the_result_not_the_play_by_play():
    # a game report written for this test: the outlet's play-by-play and in-game figures are no claims
    game = ("The Harbor Gulls beat the Valley Rams 98-91 on Friday and improved to 6-2.\n"
            "Mara Lind scored 12 points in the first quarter, hitting two three-pointers.\n"
            "Lind grabbed five rebounds before halftime and added four assists.\n"
            "The Rams cut the lead to three in the third quarter with a run of layups.\n"
            "Tess Orr came off the bench and made both free throws late in the fourth quarter.\n"
            "Ana Voss blocked two shots and hit a jumper at the buzzer to end the first half.\n"
            "The Gulls signed guard Ivo Kern to a two-year contract on Saturday.\n")
    got = [c["sentence"] for c in extract_claims(game, "en")]
    assert any("beat the Valley Rams" in s for s in got)
    assert any("two-year contract" in s for s in got)
    assert not any(w in s for s in got for w in ("rebounds", "free throws", "layups", "three-pointers", "jumper")), got
    # business news with quarters and figures is no game report
    earnings = ("Delmont Mining reported a 12% rise in first-quarter profit on Tuesday.\n"
                "Revenue in the quarter rose to $4.1 billion, the company said.\n"
                "Its shares fell 3% in the first half of the session.\n"
                "Analysts had expected profit of $310 million for the quarter.\n"
                "The company said it would pay a dividend of 20 cents a share.\n")
    assert len(extract_claims(earnings, "en")) == 5
