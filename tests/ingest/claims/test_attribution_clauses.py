"""Kinds of attribution the extractor missed on issue 9's held-out attribution corpus (attr10), on fixtures written
for these tests (names, places and events invented): a sentence that holds two attributions in clauses of their own
gives one row each; contracted auxiliaries ("she's said"); a poll's share of those asked as the speaker; a view
passed on with its own modal; the writer's stance ("it's hard to imagine"); an adverb inside a speech phrase;
asides between a subject and its verb; a possessive's stated position. Exact speaker, chain and attribution mode."""
from newstrace.ingest.claims import extract_claims
from tests.ingest.claims.test_attribution import who

_LEAD = "The Delmont council met on Tuesday to debate the harbour budget.\n"


def _rows(text):
    return extract_claims(_LEAD + text + "\n", "en")


def _only(text, needle):
    rows = [c for c in _rows(text) if needle in c["sentence"]]
    assert len(rows) == 1, [(c["sentence"], c["speaker"]) for c in rows]
    return rows[0]


def test_a_contracted_has_or_is_after_a_pronoun_is_no_possessive():
    text = ("Mayor Ada Brenn said the harbour would reopen in May.\n"
            "She's warned that the locks were short of money.\n"
            "But she's also said much over the years about the duty to fund the locks.")
    claims = _rows(text)
    for needle in ("She's warned", "she's also said"):
        c = next(c for c in claims if needle in c["sentence"])
        assert (who(c), c["attribution_mode"]) == (("Ada Brenn", ["Ada Brenn"], None), "indirect_speech"), needle
    # a name's 's stays a possessive: "Brenn's said-to-be rival" is no speech of Brenn's
    c = _only("Brenn's rival was named on Monday after a long search by the party.", "rival")
    assert c["speaker"] is None


def test_a_polls_share_of_those_asked_is_the_speaker():
    c = _only("Among men the two are closer: 57 percent back the mayor while 61 percent say the same of her rival.",
              "61 percent say")
    assert (who(c), c["attribution_mode"]) == (("61 percent", ["61 percent"], None), "anonymous")
    c = _only("In the council's survey, 40% of respondents said the harbour fee was unfair.", "respondents")
    assert (who(c), c["attribution_mode"]) == (("40% of respondents", ["40% of respondents"], None), "anonymous")
    # a figure inside a clause is no subject of the verb after it
    c = _only("Harbour fees rose 40 percent, the council said.", "Harbour fees")
    assert who(c) == ("the council", ["the council"], None)


def test_a_polls_share_of_those_asked_is_the_speaker_in_chinese():
    [c] = extract_claims("新华社德尔蒙3月5日电 一项民调显示，61%的受访者表示支持港口计划。", "zh")
    assert (who(c), c["attribution_mode"]) == (("61%的受访者", ["61%的受访者"], None), "anonymous")
    [c] = extract_claims("近六成民众认为港口费用过高。", "zh")
    assert (who(c), c["attribution_mode"]) == (("近六成民众", ["近六成民众"], None), "anonymous")


def test_a_second_statement_after_a_comma_and_the_speakers_pronoun_is_its_own_row():
    text = ("Though engineers who have worked with Ada Brenn say they assume she favours the plan, they also say "
            "she rarely shares her views.")
    first, second = [c for c in _rows(text) if "engineers" in c["sentence"] or "they also say" in c["sentence"]]
    assert who(first) == who(second) == ("engineers", ["engineers"], None)
    assert second["sentence"] == "they also say she rarely shares her views."
    text = ("“The time is long overdue for a change,” Ivo Renn insisted to the cameras, with his aides standing "
            "behind him as he urged the council to scrap the levy.")
    rows = [c for c in _rows(text) if "Renn" in (c["speaker"] or "")]
    assert [(c["speaker"], c["attribution_mode"]) for c in rows] == [("Ivo Renn", "direct_quote"),
                                                                   ("Ivo Renn", "indirect_speech")]
    assert rows[1]["sentence"] == "as he urged the council to scrap the levy."


def test_a_view_passed_on_keeps_its_own_modal_a_forecast_stays_noise():
    c = _only("Although there's broad agreement that action should be taken to curb the levy, the details remain "
              "unsettled.", "broad agreement")
    assert (who(c), c["attribution_mode"]) == ((None, [], None), "anonymous")
    # the outlet's own forecast with a modal is still no claim
    assert not [c for c in _rows("Harbour fees are expected to rise in May, which could hurt ferry operators.")
                if "expected" in c["sentence"]]


def test_two_agentless_views_in_coordinated_clauses_are_two_rows():
    text = ("It's hard to imagine councillors surviving in Delmont with the levy on the ballot, and it's harder "
            "still to imagine them winning in Tamsin.")
    rows = [c for c in _rows(text) if "imagine" in c["sentence"]]
    assert [c["sentence"] for c in rows] == [
        "It's hard to imagine councillors surviving in Delmont with the levy on the ballot",
        "and it's harder still to imagine them winning in Tamsin."]
    assert all((who(c), c["attribution_mode"]) == ((None, [], None), "anonymous") for c in rows)
    text = "Brenn Shipping is best known for its ferries, while Tamsin Marine is well known for its tugboats."
    rows = [c for c in _rows(text) if "known for" in c["sentence"]]
    assert [c["sentence"] for c in rows] == ["Brenn Shipping is best known for its ferries",
                                             "while Tamsin Marine is well known for its tugboats."]
    assert all(c["attribution_mode"] == "anonymous" and c["speaker"] is None for c in rows)


def test_an_adverb_inside_a_speech_phrase():
    c = _only("After losing in 2019, Mayor Ada Brenn now talks freely of her own years on the harbour board.",
              "talks freely of")
    assert (who(c), c["attribution_mode"]) == (("Ada Brenn", ["Ada Brenn"], None), "indirect_speech")


def test_an_aside_between_the_subject_and_its_verb():
    c = _only("Several councillors, including Ivo Renn of Tamsin, said the levy was unfair.", "levy was unfair")
    assert who(c) == ("Several councillors", ["Several councillors"], None)
    c = _only("While many councillors, like Ivo Renn, continued to affirm their support for the levy, the mayor left.",
              "affirm")
    assert (who(c), c["attribution_mode"]) == (("many councillors", ["many councillors"], None), "indirect_speech")


def test_the_subjects_own_stated_position_and_a_way_of_assuring():
    c = _only("Tamsin has lobbied the port authority for support for its position that the levy breaks the treaty.",
              "its position")
    assert (who(c), c["attribution_mode"]) == (("Tamsin", ["Tamsin"], None), "indirect_speech")
    c = _only("So while the aides go out of their way to assure councillors that the mayor backs the levy, the "
              "campaign is winding down.", "assure")
    assert (who(c), c["attribution_mode"]) == (("the aides", ["the aides"], None), "anonymous")


def test_reporting_verbs_in_every_form():
    for sentence, speaker in (("Senator Ana Ruiz reaffirmed her support for the harbour levy on Monday.", "Ana Ruiz"),
                              ("Ana Ruiz opined that the levy was the fairest option.", "Ana Ruiz"),
                              ("Ana Ruiz underscored that the locks were at risk.", "Ana Ruiz")):
        c = _only(sentence, sentence[:20])
        assert (who(c), c["attribution_mode"]) == ((speaker, [speaker], None), "indirect_speech"), sentence


def test_a_wish_after_a_comma_and_a_pronoun_opens_no_row_of_its_own():
    # only a verb of speech proper opens a clause after ", they" or "as she": "they want", "they hope" report no words
    text = ("Harbour users pay the levy for many reasons, experts say: they want safer locks, they want cheaper "
            "ferries, or perhaps they hope the levy will fall.")
    rows = [c for c in _rows(text) if "levy" in c["sentence"] and c["sentence"] != _LEAD.strip()]
    assert len(rows) == 1, [(c["sentence"], c["speaker"]) for c in rows]


def test_a_sentence_adverb_is_no_part_of_a_name():
    text = ("Ivo Renn thanked the crew on Monday.\n"
            "Afterwards Ivo Renn confessed that the locks had leaked for weeks.")
    c = next(c for c in _rows(text) if "confessed" in c["sentence"])
    assert who(c) == ("Ivo Renn", ["Ivo Renn"], None)


def test_a_relative_clause_after_a_described_speaker_is_their_second_statement():
    text = ('"I do not want to cross the mayor," said one former council aide, who said he left on good terms but was '
            'intimidated by the contract. "I could not afford a lawyer."')
    quote, rel = [c for c in _rows(text) if c["sentence"] != _LEAD.strip()]
    assert (who(quote), quote["attribution_mode"]) == (("one former council aide", ["one former council aide"], None),
                                                       "direct_quote")
    assert quote["sentence"].endswith('"I could not afford a lawyer."')
    assert (who(rel), rel["attribution_mode"]) == (("one former council aide", ["one former council aide"], None),
                                                   "indirect_speech")
    assert rel["sentence"] == "who said he left on good terms but was intimidated by the contract."


def test_a_relative_clauses_copula_before_its_speech_verb():
    c = _only("Ivo Renn, who is by all accounts enjoying his new post and is saying he will not rush to replace the "
              "harbour master, met the crew on Monday.", "is saying")
    assert (who(c), c["attribution_mode"]) == (("Ivo Renn", ["Ivo Renn"], None), "indirect_speech")
    # a clause's own subject before "were ... and urged" is no speaker: the sentence's subject is
    c = _only("Councillor Ana Ruiz used a closed meeting to complain that the mayor's remarks were hurting the levy and "
              "urged the clerk to delay the vote.", "urged the clerk")
    assert c["speaker"] in (None, "Ana Ruiz")


def test_the_subject_of_a_relative_clause_without_that_is_no_speaker():
    c = _only("In it, Ivo Renn departed from the self-congratulatory narrative Ana Ruiz has created in a series of "
              "memoirs and instead portrayed the mayor as a bully.", "portrayed")
    assert (who(c), c["attribution_mode"]) == (("Ivo Renn", ["Ivo Renn"], None), "indirect_speech")
    # a role noun before the name is no relative clause's head
    c = _only("The analyst John Smith has noted the rise and said it would last.", "noted the rise")
    assert who(c) == ("John Smith (analyst)", ["John Smith"], None)


def test_the_noun_after_with_is_the_subject_of_its_participle():
    c = _only("Prices rose again in Delmont in May, with economists warning that harbour fees would keep rising.",
              "economists warning")
    assert (who(c), c["attribution_mode"]) == (("economists", ["economists"], None), "anonymous")
    c = _only("Delmont stepped up pressure on Tamsin on Saturday, with top harbour officials underlining its new "
              "locks and vowing to remain the region's main port for decades to come.", "vowing")
    assert (who(c), c["attribution_mode"]) == (("top harbour officials", ["top harbour officials"], None), "anonymous")
    # a participle of its own after "with" leaves the clause's subject the speaker
    c = _only("With harbour fees rising, Mayor Ana Ruiz said the levy would pass.", "levy would pass")
    assert who(c) == ("Ana Ruiz", ["Ana Ruiz"], None)


def test_a_typewriter_quotation_goes_on_until_it_closes_within_its_paragraph():
    text = ("''I disavow these remarks - I regret every word of them,'' Mayor Ivo Renn said. ''I think that should be "
            "disavowed. It is unacceptable. But do I believe that Ana Ruiz is the answer? No, I do not.'' The council "
            "approved the harbour levy on Monday.\n"
            "''We will fix the locks,'' Ana Ruiz said. ''The money is there. It was always there.\n"
            "The council approved the harbour levy on Tuesday.")
    claims = _rows(text)
    c = next(c for c in claims if "disavow" in c["sentence"])
    assert c["sentence"].endswith("No, I do not.''") and who(c) == ("Ivo Renn", ["Ivo Renn"], None)
    assert c["attribution_mode"] == "indirect_speech"  # ('' stays reported speech: the pair is opt-in)
    assert any(c["sentence"] == "The council approved the harbour levy on Monday." for c in claims)
    c = next(c for c in claims if "fix the locks" in c["sentence"])
    assert c["sentence"].endswith("It was always there.") and c["speaker"] == "Ana Ruiz"
    assert any(c["sentence"] == "The council approved the harbour levy on Tuesday." for c in claims)


def test_a_message_given_with_its_words_after_a_colon():
    c = _only("Moving from alarmed to angry, the party's leaders sent Mayor Ivo Renn an unmistakable message: He is "
              "hurting the party and must stop.", "unmistakable message")
    assert (who(c), c["attribution_mode"]) == (("the party's leaders", ["the party's leaders"], None), "indirect_speech")
    c = _only("Ana Ruiz had a blunt warning for investors: The harbour levy will double by May.", "blunt warning")
    assert (who(c), c["attribution_mode"]) == (("Ana Ruiz", ["Ana Ruiz"], None), "indirect_speech")
    # a thing gives no message of words: no speaker
    rows = [c for c in _rows("The storm gave the town a message on Monday: Winter is here.") if "storm" in c["sentence"]]
    assert all(c["speaker"] is None for c in rows)
