"""More kinds of attribution error from issue 9, on fixtures written for these tests: whom a statement was told
to, descriptive outlets, quotations credited by the sentence after them, the outlet that publishes the text,
described speakers resolved from later mentions, pronouns and documents. Exact speaker, chain, cited_source and
attribution mode."""
from newstrace.ingest.claims import extract_claims
from tests.ingest.claims.test_attribution import row, who


def test_told_names_the_recipient_never_the_speaker():
    # a slip of the pen ("said X, ..., told Y") or not: whoever follows "told" was told
    text = ("“The canal is the last one of its kind in the region,” said Jean Roe, adviser to the mayor, "
            "told Harbor Herald.\n")
    [c] = extract_claims(text, "en")
    assert who(c) == ("Jean Roe (adviser to the mayor)", ["Jean Roe", "Harbor Herald"], "Harbor Herald")
    assert c["attribution_mode"] == "direct_quote"


def test_an_outlet_described_rather_than_named_keeps_its_noun():
    text = ("At a town hall in March, Delmont students raised concerns about cameras in dormitories, according to "
            "the college's student newspaper.\n")
    [c] = extract_claims(text, "en")
    assert who(c) == ("Delmont students", ["Delmont students", "the college's student newspaper"],
                      "the college's student newspaper")
    assert c["attribution_mode"] == "secondhand_outlet"
    # a named outlet still drops what it is
    [c] = extract_claims("Fuel prices rose 4% in May, according to the Tamsin Courier newspaper.\n", "en")
    assert who(c) == ("Tamsin Courier", ["Tamsin Courier"], "Tamsin Courier")
    # "raised concerns" credits people, not a thing that causes concern
    [c] = extract_claims("The new rota raised concerns among nurses at the Delmont clinic last month.\n", "en") or [None]
    assert c is None or c["speaker"] is None


def test_a_bare_attribution_after_a_quotation_credits_it_and_this_newspaper_is_the_publisher():
    text = ("Speaking with the Riverside Chronicle on Friday, the farmer's brother, Anil Persaud, said the boat "
            "left at dawn. “He went out at five and he never came back. The river was too high that night.” "
            "Persaud told this newspaper.\n"
            "The Riverside Chronicle understands that the search was called off on Sunday.\n")
    claims = extract_claims(text, "en")
    c = row(claims, "never came back")
    assert who(c) == ("Anil Persaud", ["Anil Persaud", "Riverside Chronicle"], "Riverside Chronicle")
    assert c["attribution_mode"] == "direct_quote"
    # without the text naming itself, "this newspaper" names nobody
    claims = extract_claims("“The river was too high that night.” Persaud told this newspaper.\n", "en")
    assert [who(c) for c in claims] == [("Persaud", ["Persaud"], None)]


def test_described_and_group_speakers_before_the_verb():
    lead = "Police said on Monday that two men were arrested in Delmont.\n"
    cases = {
        # a relative clause after the head: the head speaks
        "The logger who stayed behind claimed that the hunter died before dawn.\n": "The logger",
        # a group placed by a preposition other than in/at
        "Staff on temporary contracts said they could not refuse extra shifts.\n": "Staff on temporary contracts",
        # a group after a subordinating word, with a time phrase before the verb
        "The curfew comes after health officials this week said cases had doubled in the city.\n": "health officials",
        # a body whose name holds a plural possessive, with a time phrase before "that"
        ("The Citizens’ Transit Trust, which oversees the sales tax, complained in July that the county kept it in "
         "the dark.\n"): "Citizens’ Transit Trust",
        # a document with a participle phrase: the document, not the journal that printed it
        ("A new research paper published in the Journal of Forest Ecology suggests that tenure rights protect "
         "carbon sinks.\n"): "A new research paper",
        # ... and the body that issued it
        "The study released by the Delmont Institute last week found that 40% of bridges need repair.\n":
            "Delmont Institute",
    }
    for sentence, speaker in cases.items():
        claims = [c for c in extract_claims(lead + sentence, "en") if c["char_start"] >= len(lead)]
        assert [c["speaker"] for c in claims] == [speaker], sentence
        assert claims[0]["attribution_mode"] in ("indirect_speech", "anonymous"), sentence


def test_a_quotation_cited_from_others_stays_with_its_writer():
    text = ('"The president did not pick a nominee to please any constituency," wrote Gazette bureau chief Ana Ruiz, '
            "citing participants in the meeting.\n")
    [c] = extract_claims(text, "en")
    assert c["speaker"] == "Ana Ruiz (Gazette bureau chief)" and c["attribution_mode"] == "direct_quote"
    # without a quotation, the cited source said it and the writer passed it on
    text = "The agency noted that sea ice shrank 12% in a decade, citing the Global Ice Registry.\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("Global Ice Registry", ["Global Ice Registry", "The agency"], "The agency")


def test_a_report_credited_to_its_body_and_told_its_authors():
    text = ("Part-time lecturers are paid less than cleaners, says a new report.\n"
            "The report by the Lecturers Guild claims universities rely on hourly contracts.\n"
            "The Office for Colleges declined to comment on it.\n"
            "One lecturer told the authors she had been given a contract a day before term began.\n"
            "The report shows that 12,000 staff were on hourly contracts last year.\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "rely on hourly")) == ("Lecturers Guild", ["Lecturers Guild"], None)
    # "the authors" of the report the text credited, not the body named last
    assert who(row(claims, "One lecturer")) == ("One lecturer", ["One lecturer", "Lecturers Guild"],
                                                "Lecturers Guild")
    assert who(row(claims, "12,000 staff")) == ("Lecturers Guild (report)", ["Lecturers Guild"], None)


def test_a_title_in_the_headline_is_the_person_named_with_it_below():
    text = ("Region at risk of a new wave as cases surge elsewhere, Health Agency Director warns\n"
            "The region cannot ignore the risk of further surges, warns Regional Health Agency (RHA) Director "
            "Mara Okafor as she urged countries to close vaccination gaps.\n")
    claims = extract_claims(text, "en")
    assert [(c["speaker"], c["chain"]) for c in claims] == [
        ("Mara Okafor (Regional Health Agency Director)", ["Mara Okafor"]),
        ("Mara Okafor (Regional Health Agency Director)", ["Mara Okafor"])]
    assert claims[0]["speaker_text"] == "Health Agency Director"


def test_they_and_the_men_are_the_group_the_text_is_about():
    text = ("Police said the two loggers who guided the hunter were questioned.\n"
            "Relatives said that he knew the forest well.\n"
            "The loggers told investigators that the hunter walked ahead alone.\n"
            "The men alleged that around midnight they heard a shot.\n"
            "They claimed too that they heard a second shot.\n"
            "But the blackouts left some of the state’s energy experts bewildered. They said that the utilities had "
            "plenty of power.\n")
    claims = extract_claims(text, "en")
    # whom the loggers told is not who "they" are; the group the text went on about is
    assert row(claims, "walked ahead")["chain"] == ["The loggers", "investigators"]
    assert row(claims, "around midnight")["speaker"] == "The loggers"
    assert row(claims, "second shot")["speaker"] == "The loggers"
    assert row(claims, "plenty of power")["speaker"] == "energy experts"


def test_he_is_the_person_the_last_sentence_was_about():
    text = ("Vice-President Mike Pence said testing would expand next week.\n"
            "Presumptive Democratic nominee Joe Biden joined growing calls on Thursday for the release of racial data.\n"
            "He said the pandemic had cast a spotlight on inequity.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "joined growing calls")["speaker"] == "Joe Biden"
    assert row(claims, "cast a spotlight")["speaker"] == "Joe Biden"


def test_a_pronoun_inside_what_someone_said_does_not_take_the_claim():
    text = ("The Office for Colleges published its figures on Monday.\n"
            "Ines Mora, the MP for Delmont, who sits on the education committee, said it showed that hourly contracts were spreading.\n")
    claims = extract_claims(text, "en")
    c = row(claims, "hourly contracts")
    assert (c["speaker"], c["chain"]) == ("Ines Mora (MP for Delmont, who sits on the education committee)",
                                          ["Ines Mora"])


def test_a_quotation_inside_a_pledge_is_not_the_next_clause_s():
    text = ("Transit chief Ana Ruiz, who was suspended on Friday, pledged in July that the line “would meet the gold "
            "standard,” but trust members questioned whether it could.\n")
    claims = extract_claims(text, "en")
    assert [(c["speaker"], c["attribution_mode"]) for c in claims] == [
        ("Ana Ruiz (who was suspended on Friday)", "direct_quote"), ("trust members", "anonymous")]


def test_a_source_line_under_a_list_and_a_named_poll():
    text = ("Black residents account for half of all cases, officials said on Monday.\n"
            "- 31% of those in hospital are Black residents\n"
            "- 64% of deaths in the county were Black residents\n"
            "Source: Delmont County Health Department, state records\n"
            "But according to a new Gazette Tracker poll, his support among young voters fell from 50% in May to 38%.\n")
    claims = extract_claims(text, "en")
    for needle in ("31% of those", "64% of deaths"):
        c = row(claims, needle)
        assert (c["speaker"], c["chain"], c["attribution_mode"]) == (
            "Delmont County Health Department", ["Delmont County Health Department"], "indirect_speech")
    c = row(claims, "his support")
    assert (c["speaker"], c["chain"]) == ("a new Gazette Tracker poll", ["a new Gazette Tracker poll"])
    # a list without a source line stays the outlet's own
    claims = extract_claims("Figures for the year:\n- 31% of those in hospital are Black residents\n", "en")
    assert all(c["speaker"] is None for c in claims)


def test_words_quoted_in_the_outlet_s_sentence_are_the_speaker_s_account():
    text = ("Dr Mara Okafor, the agency's director, said cases were rising in six countries.\n"
            "However, with 200 million people yet to receive a shot, vaccination gaps “will keep our region at risk "
            "during future waves.”\n"
            "The so-called “booster gap” is widest in rural areas.\n"
            "One such document includes a clause that bars staff from “speaking about the agency in public.”\n")
    claims = extract_claims(text, "en")
    c = row(claims, "vaccination gaps")
    assert (c["speaker"], c["chain"]) == ("Mara Okafor (agency's director)", ["Mara Okafor"])
    # a scare quote of a few words, and a document's own wording, are nobody's account
    assert all(c["speaker"] is None for c in claims if "booster gap" in c["sentence"])
    assert all(c["speaker"] is None for c in claims if "One such document" in c["sentence"])


def test_zh_an_adverb_between_the_body_and_its_verb_is_not_part_of_its_name():
    text = "为做好汛期安全工作，市应急管理局专门下发通知，要求各区县在本周内完成对全部水库的排查。\n"
    [c] = extract_claims(text, "zh")
    assert (c["speaker"], c["chain"], c["attribution_mode"]) == ("市应急管理局", ["市应急管理局"], "indirect_speech")
    text = "市交通委员会正式宣布，地铁三号线将于下月起延长运营时间。\n"
    [c] = extract_claims(text, "zh")
    assert c["speaker"] == "市交通委员会"


def test_an_unnamed_spokesperson_speaks_for_the_body_and_so_does_the_release():
    text = ("Jo Ames, the union general secretary, said students would be shocked.\n"
            "But a spokesperson for the Colleges Employers’ Association (CEA) said its members had cut zero-hours "
            "contracts.\n"
            "“CEA has worked with the unions to understand employment across the sector,” he said.\n"
            "Customs and Border Protection announced Tuesday that agents seized 200 kilos of cocaine off the coast.\n"
            "On May 8, Marine Interdiction agents patrolled the ramp. According to the release, agents inspected the "
            "occupants of a vessel.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "zero-hours")["speaker"] == "Colleges Employers’ Association"
    assert row(claims, "CEA has worked")["speaker"] == "Colleges Employers’ Association"
    assert row(claims, "200 kilos")["speaker"] == "Customs and Border Protection"
    c = row(claims, "According to the release")
    assert (c["speaker"], c["chain"]) == ("Customs and Border Protection (release)", ["Customs and Border Protection"])


def test_they_allegedly_goes_on_with_the_account_of_the_group_that_gave_it():
    text = ("Two fishermen have since claimed that they saw the ferry sink near the harbour wall.\n"
            "The fishermen told investigators that the engine failed on Friday night.\n"
            "After a short wait, they rowed to the wreck and allegedly pulled the skipper out of the water.\n"
            "As a result, they reportedly decided to leave the boat and swim to shore.\n")
    claims = extract_claims(text, "en")
    # an adverb between the subject and the verb is not part of the speaker ("have since claimed")
    assert row(claims, "saw the ferry")["speaker"] == "Two fishermen"
    for needle in ("pulled the skipper", "swim to shore"):
        c = row(claims, needle)
        assert (c["speaker"], c["chain"], c["speaker_text"]) == ("The fishermen", ["The fishermen"], "they")
        assert (c["attribution_mode"], c["verification_status"]) == ("indirect_speech", "unverified")
    # with no group's account just before it, "reportedly" credits nobody the text names
    [c] = extract_claims("The harbour was closed on Monday and the mayor reportedly ordered an inquiry.\n", "en")
    assert (c["speaker"], c["attribution_mode"], c["verification_status"]) == (None, "anonymous", "unverified")


def test_findings_of_researchers_are_theirs_and_a_shared_sentiment_is_speech():
    claims = extract_claims("Researchers found the fake app being spread through text messages in March.\n"
                            "Researchers have also spotted a new banking trojan called Redfin that steals passwords.\n"
                            "Omar Pell shared that sentiment on Tuesday.\n", "en")
    assert [(c["speaker"], c["chain"]) for c in claims] == [
        ("Researchers", ["Researchers"]), ("Researchers", ["Researchers"]), ("Omar Pell", ["Omar Pell"])]
    # what police find is an event the outlet reports, not their claim
    for text in ("Police found a burned car near the quarry on Sunday.\n",
                 "Police identified the victim as a local teacher.\n"):
        assert all(c["speaker"] is None for c in extract_claims(text, "en"))


def test_a_partial_quotation_in_reported_speech_is_the_speakers_words():
    text = ("Mayor Dana Kell mocked the council's plan on Tuesday, saying it would leave the town \"without any "
            "strength.\"\n"
            "Kell said she had an \"excellent\" meeting with the governor.\n"
            "Kell has vowed to \"fight on,\" and her office has tried to delay the vote.\n"
            "Kell has called the tax \"unfair\" in the past.\n"
            "The council approved the so-called \"Harbor Fund\" in March.\n"
            "Kell said the \"Harbor Fund\" would be audited.\n")
    claims = extract_claims(text, "en")
    for needle in ("strength", "fight on"):
        c = row(claims, needle)
        assert (c["speaker"], c["attribution_mode"], c["claim_type"]) == ("Dana Kell", "direct_quote", "quote")
    # a single quoted word is a scare quote; a naming verb labels ("called the tax 'unfair'"); a quoted name is no one's words: reported speech stays
    assert row(claims, "unfair")["attribution_mode"] != "direct_quote"
    assert row(claims, "excellent")["attribution_mode"] == "indirect_speech"
    c = row(claims, "would be audited")
    assert (c["speaker"], c["attribution_mode"]) == ("Dana Kell", "indirect_speech")
    assert row(claims, "so-called")["speaker"] is None


def test_a_feeling_that_wraps_a_completed_act_is_a_claim_and_keeps_its_platform():
    text = ("The new justice took the oath at noon in the court's chamber in Olympia, the court said.\n\n"
            "Honored to have offered the benediction today at this historic ceremony.\n\n"
            "— Dov Kessel (@dovkessel) January 6, 2020\n")
    c = row(extract_claims(text, "en"), "benediction")
    assert who(c) == ("Dov Kessel", ["Dov Kessel", "Twitter"], "Twitter")
    assert c["attribution_mode"] == "direct_quote"
    # the feeling alone states nothing
    text = ("The new justice took the oath at noon in the court's chamber in Olympia, the court said.\n\n"
            "Honored to be here today at this historic ceremony.\n\n"
            "— Dov Kessel (@dovkessel) January 6, 2020\n")
    assert not any("Honored" in c["sentence"] for c in extract_claims(text, "en"))


def test_zh_findings_of_researchers_and_a_group_going_on_with_its_account():
    [c] = extract_claims("研究人员发现，这款假冒应用在三月通过短信大量传播。\n", "zh")
    assert (c["speaker"], c["chain"], c["attribution_mode"]) == ("研究人员", ["研究人员"], "indirect_speech")
    # what police find is an event, not their claim
    assert all(c["speaker"] is None for c in extract_claims("警方发现一辆烧毁的汽车停在采石场附近。\n", "zh"))
    text = "两名渔民告诉警方，渡轮周五晚上在港口附近沉没。他们据称随后划船到沉船处，把船长救出水面。\n"
    claims = extract_claims(text, "zh")
    c = row(claims, "他们据称")
    # 据称 is "reportedly", never the tail of a speaker ("他们据"): the group's account goes on, unconfirmed
    assert (c["speaker"], c["speaker_text"], c["chain"]) == ("两名渔民", "他们", ["两名渔民"])
    assert (c["attribution_mode"], c["verification_status"]) == ("indirect_speech", "unverified")


def test_a_post_signed_by_an_outlet_credits_the_outlet_and_does_not_fail():
    # (an embedded post whose account is an outlet gives no speaking voice: this used to raise IndexError)
    text = ("The ferry service resumed on Monday after a week of repairs.\n\n"
            "The harbour board has approved a new timetable for the summer, with two extra crossings a day.\n\n"
            "— Harbor Herald (@harborherald) July 3, 2019\n")
    c = row(extract_claims(text, "en"), "new timetable")
    assert who(c) == ("Harbor Herald", ["Harbor Herald", "Twitter"], "Harbor Herald")  # through the platform, as a person's post
    assert c["attribution_mode"] == "secondhand_outlet"


def test_a_person_credited_with_according_to_keeps_the_description():
    c = row(extract_claims("Ad sales will fall next year, according to Brian Weller, an analyst at Norcross "
                           "Research Group.\n", "en"), "Ad sales")
    assert (c["speaker"], c["chain"]) == ("Brian Weller (analyst at Norcross Research Group)", ["Brian Weller"])
    c = row(extract_claims("The fund's fees are far too high, according to Jason Dell, who was an informal adviser to "
                           "the Holm campaign.\n", "en"), "fees")
    assert c["speaker"] == "Jason Dell (who was an informal adviser to the Holm campaign)"
    # nested speech in the past stays a chain: the council said it, through the mayor
    c = row(extract_claims("Mayor Ann Roe said that the council announced the new budget on Friday.\n", "en"), "budget")
    assert (c["speaker"], c["chain"]) == ("the council", ["the council", "Ann Roe"])


def test_a_capitalised_preposition_is_never_the_subject_of_an_ing_clause():
    text = ("For months, Governor Ana Ruiz has stayed out of the race between the two candidates, arguing she did not "
            "want to tip the scales.\n")
    claims = extract_claims(text, "en")
    assert [c["speaker"] for c in claims] == ["Ana Ruiz"]
    assert claims[0]["chain"] == ["Ana Ruiz"]


def test_a_speakers_second_statement_in_a_clause_of_its_own_is_its_own_row():
    # ", adding that ...": the first row keeps the sentence, the second spans its clause and its figures
    claims = extract_claims("“The bridge will reopen in May,” said Mayor Ana Ruiz, adding that the repairs had cost "
                            "the town $4 million.\n", "en")
    assert [(c["sentence"][:12], c["speaker"], c["chain"], c["attribution_mode"]) for c in claims] == [
        ("“The bridge ", "Ana Ruiz", ["Ana Ruiz"], "direct_quote"),
        ("adding that ", "Ana Ruiz", ["Ana Ruiz"], "indirect_speech")]
    assert claims[1]["sentence"] == "adding that the repairs had cost the town $4 million."
    assert [q["value"] for q in claims[1]["quantities"]] == [4000000.0]
    # ", urging X to ...": told to an outlet, both statements go through it
    claims = extract_claims("“We expect a long winter,” Ruiz told the Harbor Herald, urging residents to “stock up "
                            "on fuel now.”\n", "en")
    assert [(c["sentence"][:8], c["speaker"], c["chain"], c["cited_source"]) for c in claims] == [
        ("“We expe", "Ruiz", ["Ruiz", "Harbor Herald"], "Harbor Herald"),
        ("urging r", "Ruiz", ["Ruiz", "Harbor Herald"], "Harbor Herald")]
    assert [c["attribution_mode"] for c in claims] == ["direct_quote", "direct_quote"]
    # ", who said ...": a relative clause with a statement of its own
    claims = extract_claims("“The levee held,” said engineer Tom Hale, who said the river had risen “two metres in a "
                            "single night.”\n", "en")
    assert [(c["sentence"][:9], c["speaker"], c["chain"]) for c in claims] == [
        ("“The leve", "Tom Hale", ["Tom Hale"]), ("who said ", "Tom Hale", ["Tom Hale"])]
    # the relative clause first: "X, who estimates that A, described B, he said"
    claims = extract_claims("Roffman, who estimates that his costs were “in the seven figures,” described the year "
                            "as “horrendous. It really affects your health,” he said.\n", "en")
    assert [(c["sentence"][:13], c["speaker"]) for c in claims] == [("Roffman, who ", "Roffman"),
                                                                    ("who estimates", "Roffman")]
    # a coordinated verb with no subject of its own goes on with the speaker before it
    claims = extract_claims("Kell attacked the plan at a rally, calling it “a waste of money,” and then announced that "
                            "she would vote against it.\n", "en")
    assert [c["speaker"] for c in claims] == ["Kell", "Kell"]
    assert claims[-1]["sentence"] == "and then announced that she would vote against it."
    # ", while also saying that ...": a participle after a linking word
    claims = extract_claims("Mayor Ana Ruiz spoke on Monday.\n\n“We will have to get used to a lot of that,” she added, "
                            "while also saying that she expects to win the vote.\n", "en")
    assert [(c["sentence"][:16], c["speaker"], c["attribution_mode"]) for c in claims if c["speaker"]] == [
        ("“We will have to", "Ana Ruiz", "direct_quote"), ("while also sayin", "Ana Ruiz", "indirect_speech")]
    # a coordinated clause with the speaker as its pronoun subject
    claims = extract_claims("Mayor Ana Ruiz said the bridge would reopen in May, but she also warned that the repairs "
                            "could run over budget.\n", "en")
    assert [(c["sentence"][:14], c["speaker"], c["chain"]) for c in claims] == [
        ("Mayor Ana Ruiz", "Ana Ruiz", ["Ana Ruiz"]), ("but she also w", "Ana Ruiz", ["Ana Ruiz"])]


def test_a_second_verb_with_nothing_said_of_its_own_gives_no_second_row():
    # a request ("asking for anonymity") is no statement; the quotation after it goes on the quotation's row
    text = ("“If I were a resident, I would want answers,” said a council member, asking for anonymity to speak "
            "freely. “They have spent twice the budget and have nothing to show for it.”\n")
    [c] = extract_claims(text, "en")
    assert (c["speaker"], c["attribution_mode"]) == ("a council member", "direct_quote")
    assert c["sentence"].endswith("nothing to show for it.”")
    # the verb before only names what the one after says
    [c] = extract_claims("Mayor Dana Kell mocked the plan on Tuesday, saying it would cost too much.\n", "en")
    assert c["speaker"] == "Dana Kell"
    # words said inside the first statement (no clause of their own) stay one row
    [c] = extract_claims("Ruiz said she had told the board that the bridge would reopen in May.\n", "en")
    assert (c["speaker"], c["chain"]) == ("Ruiz", ["Ruiz"])


def test_what_a_speaker_says_someone_should_do_is_no_speech_of_theirs():
    # "the council should not confirm": a speech verb after a modal in someone's statement is its content
    [c] = extract_claims("Shortly after the vote, Mayor Ana Ruiz issued a statement saying that the council should not "
                         "confirm a new auditor until after the election.\n", "en")
    assert (c["speaker"], c["chain"], c["attribution_mode"]) == ("Ana Ruiz", ["Ana Ruiz"], "indirect_speech")
    # "that the council announced": nested speech, one row, through the one who told it
    [c] = extract_claims("Mayor Ana Ruiz said that the council announced the new budget on Friday.\n", "en")
    assert (c["speaker"], c["chain"]) == ("the council", ["the council", "Ana Ruiz"])
