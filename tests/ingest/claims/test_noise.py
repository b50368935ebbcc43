"""Noise that is no claim whoever reads it (issue 9): a how-to, recipe or definition page's own steps, specs and
figures; page furniture a news page leaves in its text (teasers cut off before "more", update stamps, image
credits, footnoted disclaimers, look-alike-letter advertisements, copyright and sponsor lines) — on fixtures
written for these tests, English and Chinese, beside the claims that must stay."""
from newstrace.ingest.claims import extract_claims

NEWS = ("Flooding closed the Harlow bridge on Monday, officials said.\n"
        "The council voted on Tuesday to fund repairs worth $2.5 million, according to the Harlow Gazette.\n"
        "Police arrested three men in Dunmore last week.\n")


def sentences(text, lang="en"):
    return [c["sentence"] for c in extract_claims(text, lang)]


def test_a_how_to_page_gives_no_claims_of_its_own():
    page = ("How to bake a rye loaf at home\n"
            "Baking rye bread is easier than you think, and you only need a few things.\n"
            "Mix the flour, salt and 350 ml of warm water in a large bowl.\n"
            "Knead the dough for 10 minutes until it is smooth.\n"
            "- Once the dough has doubled in size, shape it into a loaf.\n"
            "Bake in a preheated oven at 220°C for 40 minutes.\n"
            "Leave it to cool for at least an hour before you slice it.\n"
            "You can keep the loaf for three days in a paper bag.\n"
            "Rye has been grown in northern Europe for centuries.\n")
    assert extract_claims(page, "en") == []
    # a dated figure the page reports stays a claim
    dated = "In 2019, the Harlow Bakery sold 12,000 rye loaves.\n"
    assert sentences(page + dated) == [dated.strip()]


def test_a_definition_page_gives_no_claims():
    page = ("What is a supply chain? Definition and meaning\n"
            "A supply chain is the network of firms that make and deliver a product.\n"
            "The model is comprised of three elements: suppliers, makers and buyers.\n"
            "These four stages are planning, sourcing, making and delivering.\n"
            "Each stage adds cost, and each link can fail when demand changes quickly.\n"
            "A good manager watches every link of the chain and plans for delays.\n"
            "Suppliers provide the raw materials that makers turn into finished goods.\n"
            "Buyers include shops, other firms and the public, who pay for what they receive.\n"
            "A short chain is easier to manage, while a long one is often cheaper to run.\n"
            "Most large firms use software to track orders, stock and deliveries in real time.\n")
    assert extract_claims(page, "en") == []


def test_page_furniture_in_a_news_page_is_no_claim():
    furniture = [
        "Harlow Gazette – The only bridge in the county to have been rebuilt twice is the Harlow bridge.... more",
        "Update March 3rd, 9:15AM ET: Added comment from the mayor.",
        "Correction: An earlier version misspelled the mayor's name.",
        "Featured image by Dana Holt/Harlow Gazette.",
        "Photo courtesy of the Harlow Fire Department.",
        "*Estimated value calculated by the Gazette and not by the council.",
        "Terms apply to the offers listed on this page.",
        "This article is the copyrighted property of the Harlow Gazette.",
        "This series was produced with support from the Regional Press Fund.",
        # look-alike Cyrillic letters inside Latin words: an advertisement hiding from filters
        "Аdvеrtіѕе wіth thе most rеаd news site in Harlow tоdау.",
    ]
    base = sentences(NEWS)
    assert len(base) == 3
    for line in furniture:
        assert sentences(NEWS + line + "\n") == base, line


def test_a_bullet_is_not_a_footnote_and_a_credited_photo_claim_stays():
    text = NEWS + ("* We have received reports that ferries to Dunmore resumed on Wednesday.\n"
                   "A photo by the agency showed the bridge under water on Monday, officials said.\n")
    got = sentences(text)
    assert "* We have received reports that ferries to Dunmore resumed on Wednesday." in got
    assert "A photo by the agency showed the bridge under water on Monday, officials said." in got


def test_chinese_news_keeps_its_figures_and_furniture_stays_out():
    text = ("新华社北京3月3日电 国家统计局3日发布数据显示，全国粮食产量达6.9亿吨，比上年增长1.3%。\n"
            "三分之二的受访企业表示订单减少，两成企业计划扩大投资。\n"
            "责任编辑：王明\n")
    rows = extract_claims(text, "zh")
    figures = [(q["value"], q["unit"]) for c in rows for q in c["quantities"]]
    assert (6.9e8, "tonne") in figures and (1.3, "%") in figures
    assert (0.6667, "fraction") in figures and (20.0, "%") in figures
    assert not any("责任编辑" in c["sentence"] for c in rows)


def test_furniture_patterns_one_by_one_agree_with_their_alternation():
    "never()/noise() try the furniture patterns one by one: the same answer as the one alternation."
    from newstrace.ingest.claims.checkworthy import _furniture, lexicon, never

    lex = lexicon()
    sentences = ["The council approved the budget on Tuesday... read more", "Updated at 10:42 GMT: the vote passed.",
                 "Editor's note: this story has been corrected.", "*Bonus value is paid as credit.", "* a bullet",
                 "Photo by Jane Roe for the Herald.", "Featured image courtesy of the ministry.",
                 "Cheap pills \u0440harmacy here.", "The minister said the talks would continue.",
                 "Subscribe to our newsletter.", "It remains unclear whether the deal will hold.", "…", "",
                 "A photo of the minister, updated: none", "More than 40 people died, officials said."]
    for s in sentences:
        low = s.strip().lower()
        want = lex["cue_trie"].search(low) is not None or lex["furniture"].search(low) is not None
        assert _furniture(low) == want, s
    assert never("Updated at 10:42 GMT: the vote passed.") and not never("The minister said the talks would continue.")


def test_game_report_and_news_like_read_lower_cased_text_as_the_case_insensitive_patterns():
    "game_report and news_like match lower-cased text case-sensitively where that finds the same; else as before."
    from newstrace.ingest.claims.checkworthy import _lowered, game_report, news_like

    game = ("The Hawks led by 12 at HALFTIME. Jones had 14 Rebounds and 9 assists before the break. "
            "Smith hit two Free Throws late in the fourth quarter. The Hawks won 101-96 in overtime. "
            "Lee added a layup and a dunk in the third quarter. Their coach praised the rebounding afterwards. ") * 2
    assert _lowered(game) == game.lower() and game_report(game)
    assert game_report("\u201c" + game + "\u201d")  # curly quotes: still lower-cased
    # a long s or the Kelvin sign folds to an ASCII letter: such a text is read as it is, case-insensitively
    assert _lowered(game + " \u017f") is None and game_report(game + " \u017f")
    assert _lowered("\u0130stanbul") is None  # lower-cases to two characters
    how_to = ("You can bake the bread at home. Your oven should be hot before you start. "
              "Mix the flour and water until you get a dough. Knead it for ten minutes on your table. "
              "Let it rise for an hour while you wait patiently. Bake it for forty minutes and let it cool. ")
    assert not news_like(how_to) and not news_like(how_to.upper().replace("YOU", "You"))
    assert not news_like(how_to + " \u212a")
