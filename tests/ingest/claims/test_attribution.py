"""Speakers, reporting chains and status on English fixtures written for these tests: each kind of error
issue 9 lists, with the exact speaker, chain, cited source, status, status_by and independence."""
from newstrace.ingest.claims import extract_claims


def row(claims, needle):
    found = [c for c in claims if needle in c["sentence"]]
    assert len(found) == 1, f"{needle!r}: {[(c['sentence'], c['speaker']) for c in claims]}"
    return found[0]


def who(c):
    return c["speaker"], c["chain"], c["cited_source"]


def test_intermediaries_in_the_chain():
    text = ("According to Reuters, the Delmont smelter closed on Monday.\n"
            "The smelter had employed 400 people, according to the Tamsin Courier.\n"
            "Fuel prices rose 5% in June, as reported by the Independent.\n"
            "\"We will reopen in spring,\" Omar Reyes told CBS News.\n"
            "Asked about the loan, Lena Voss told \"Morning Ledger\" co-host Ari Bell, \"We repaid every cent.\"\n"
            "Dr Kim Sato told NBC News' Today show the final count \"looks more like 600\".\n"
            "Speaking with the Harbor Herald on Friday, Pia Lund said the ferry would stop running.\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "According to Reuters")) == ("Reuters", ["Reuters"], "Reuters")
    assert row(claims, "According to Reuters")["attribution_mode"] == "secondhand_outlet"
    assert who(row(claims, "employed 400")) == ("Tamsin Courier", ["Tamsin Courier"], "Tamsin Courier")
    assert who(row(claims, "Fuel prices")) == ("The Independent", ["The Independent"], "The Independent")
    assert who(row(claims, "reopen in spring")) == ("Omar Reyes", ["Omar Reyes", "CBS News"], "CBS News")
    assert who(row(claims, "repaid every cent")) == ("Lena Voss", ["Lena Voss", "Ari Bell", "Morning Ledger"],
                                                     "Morning Ledger")
    assert who(row(claims, "looks more like")) == ("Kim Sato", ["Kim Sato", "Today", "NBC News"], "NBC News")
    assert who(row(claims, "ferry would stop")) == ("Pia Lund", ["Pia Lund", "Harbor Herald"], "Harbor Herald")


def test_nested_speech_is_one_row_with_the_whole_chain():
    text = "A senior official told Reuters that the minister said the mine would close in May.\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("the minister", ["the minister", "A senior official", "Reuters"], "Reuters")
    text = "Citing the Global Ice Registry, the agency noted that sea ice shrank 12% in a decade.\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("Global Ice Registry", ["Global Ice Registry", "the agency"], "the agency")


def test_platforms_reporters_and_republication_credits():
    text = ("On Twitter, Mira Holt said the bridge had been closed since noon.\n"
            "Holt tweeted that repairs would take a week.\n"
            "Gazette Weekly's Ivo Stan reports: the council has frozen the budget.\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "bridge had been closed")) == ("Mira Holt", ["Mira Holt", "Twitter"], "Twitter")
    assert who(row(claims, "repairs would take")) == ("Mira Holt", ["Mira Holt", "Twitter"], "Twitter")
    # a reporter relays: nobody is credited with the claim itself; the chain is reporter -> outlet
    assert who(row(claims, "frozen the budget")) == (None, ["Ivo Stan", "Gazette Weekly"], "Gazette Weekly")


def test_speakers_pronouns_offices_and_non_speech_verbs():
    text = ("Senator Dana Cole will not run again, her spokesman said.\n"
            "Coach Ben Ortiz praised the team. Rivers United scored twice and Ortiz added a second goal himself.\n"
            "The company offers 5G phones in six colours.\n"
            "Throgs Neck resident Alma Diaz, 55, said the rezoning angered her neighbours.\n"
            "The loggers told investigators that they heard a shot at night.\n"
            "They claimed that the hunter had walked ahead alone.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "will not run again")["speaker"] == "Dana Cole"
    assert not any("added a second goal" in c["sentence"] and c["speaker"] for c in claims)
    assert not any("offers 5G" in c["sentence"] and c["speaker"] for c in claims)
    assert row(claims, "rezoning angered")["speaker"] == "Alma Diaz (Throgs Neck resident)"
    assert who(row(claims, "heard a shot")) == ("The loggers", ["The loggers", "investigators"], "investigators")
    assert row(claims, "walked ahead alone")["speaker"] == "The loggers"


def test_pronoun_goes_to_the_person_the_text_is_about():
    text = ("Mayor Ruth Alder opened the hearing. Councillor Tom Vey asked about the budget.\n"
            "Alder then rejected the proposal. \"We cannot afford it,\" she said.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "cannot afford")["speaker"] == "Ruth Alder"


def test_status_hedges_verdicts_and_criticism():
    text = ("The minister reportedly resigned on Friday.\n"
            "Police said the two men allegedly robbed a store on Main Street.\n"
            "The mayor claimed on Tuesday that 300 jobs were created. We could find no evidence supporting this.\n"
            "Lawmakers questioned the agency's spending on travel.\n"
            "The company denied that it had shipped ore to the plant.\n")
    claims = extract_claims(text, "en")
    c = row(claims, "reportedly resigned")
    assert (c["verification_status"], c["status_by"], c["attribution_mode"]) == ("unverified", None, "anonymous")
    c = row(claims, "allegedly robbed")
    assert (c["verification_status"], c["speaker"], c["status_by"]) == ("unverified", "Police", None)
    # a fact-check's own verdict is read as disputing the claim, never as confirming it
    c = row(claims, "300 jobs")
    assert (c["verification_status"], c["hedge_text"]) == ("disputed", "We could find no evidence supporting this")
    assert not any(c["sentence"].startswith("We could find") for c in claims)
    assert row(claims, "questioned the agency")["verification_status"] == "none"
    c = row(claims, "denied")
    assert (c["verification_status"], c["status_by"], c["status_independent"]) == ("denied", "The company", 0)


def test_whose_confirmation():
    text = ("Acme Mining said output rose 20% in May. Acme director Jo Roe confirmed the figure. "
            "Analyst Li Wen disputed the figure.\n"
            "Harbor Steel said it shipped 40,000 tonnes. A company spokesman later confirmed the figure.\n"
            "The mayor said crime fell 8% last year, but police declined to confirm the figure.\n"
            "Brix Corp. said sales rose 12% in 2025, though the figure was disputed by two analysts.\n")
    claims = extract_claims(text, "en")
    # the origin's own director confirms, an independent analyst disputes: the independent verdict stands
    c = row(claims, "output rose 20%")
    assert (c["verification_status"], c["status_by"], c["status_independent"]) == ("disputed", "Analyst Li Wen", 1)
    assert not any(c["sentence"].startswith(("Acme director", "Analyst Li Wen")) for c in claims)
    c = row(claims, "40,000 tonnes")
    assert (c["verification_status"], c["status_by"], c["status_independent"]) == ("confirmed", "A company spokesman", 0)
    c = row(claims, "crime fell")
    assert (c["verification_status"], c["status_by"], c["status_independent"]) == ("unverified", "police", 1)
    c = row(claims, "sales rose 12%")
    assert (c["verification_status"], c["status_by"], c["status_independent"]) == ("disputed", "two analysts", 1)


def test_nested_speech_only_through_whom_it_was_told_and_that():
    # a long "told X ... that" still nests; a modal before the inner verb is advice, not a second voice
    text = "Ivo Renn told the council on a windy evening in the old hall that Lara Pohl said the toll rose 4%.\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("Lara Pohl", ["Lara Pohl", "Ivo Renn"], "Ivo Renn")
    [c] = extract_claims("Ivo Renn said officials should say the harbour toll rose 4% in March.\n", "en")
    assert who(c) == ("Ivo Renn", ["Ivo Renn"], None)


def test_reported_conditionals_and_views_are_attributed():
    # a conditional is no claim in the outlet's voice, but a speaker's conditional commitment is reported speech
    [c] = extract_claims("If the talks fail, tariffs will rise by 10%, Ivo Renn said.\n", "en")
    assert (c["speaker"], c["attribution_mode"]) == ("Ivo Renn", "indirect_speech")
    [c] = extract_claims("Many supporters see Mara Quinn as the stronger candidate for the port seat.\n", "en")
    assert (c["speaker"], c["attribution_mode"]) == ("Many supporters", "anonymous")


def test_subjects_with_appositives_progressives_and_documents():
    text = ("Senator Ada Brenn, Republican of Ohio, said the toll bridge would close in May.\n"
            "Mayor Ivo Renn, the city's top Democrat, on Tuesday called the fare rise \"unfair.\"\n"
            "Senator Lena Voss, Democrat of Maine, called over her shoulder, \"The vote is lost.\"\n"
            "The new forum, called HARBOR, will meet in June.\n"
            "Campaign officials have been promising a larger staff since March.\n"
            "Executives there indicate that the board will meet twice in June.\n"
            "The dust was sent to a lab, but a preliminary field test indicated it was harmless.\n"
            "According to emails unearthed in the inquiry, the mayor knew of the leak in 2019.\n"
            "Unionists can now campaign saying that they won the wage dispute.\n"
            "That was an expansion of Renn's familiar claims that the port lost 300 jobs.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "toll bridge")["speaker"] == "Ada Brenn (Republican of Ohio)"
    assert row(claims, "fare rise")["speaker"].startswith("Ivo Renn")
    c = row(claims, "vote is lost")
    assert (c["speaker"].split(" (")[0], c["attribution_mode"]) == ("Lena Voss", "direct_quote")
    assert not any("HARBOR" in c["sentence"] and c["speaker"] for c in claims)
    assert row(claims, "larger staff")["speaker"] == "Campaign officials"
    assert row(claims, "board will meet")["speaker"] == "Executives"
    assert row(claims, "field test")["speaker"] == "a preliminary field test"
    c = row(claims, "emails unearthed")
    assert (c["speaker"], c["chain"]) == ("emails unearthed in the inquiry", ["emails unearthed in the inquiry"])
    assert row(claims, "wage dispute")["speaker"] == "Unionists"
    assert row(claims, "300 jobs")["speaker"].startswith("Ivo Renn")  # the surname to the full name


def test_outlets_named_with_what_they_are_and_nouns_that_look_like_verbs():
    text = ("About 25 ferries a week dock at the pier, according to the Harbor Wire news agency.\n"
            "The town, along with parts of the northern states of Ohio and Iowa, was covered in smoke, "
            "according to local news reports.\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "25 ferries")) == ("Harbor Wire", ["Harbor Wire"], "Harbor Wire")
    c = row(claims, "covered in smoke")
    assert (c["speaker"], c["chain"]) == ("local news reports", ["local news reports"])


def test_first_mentions_coordinated_verbs_and_quotation_paragraphs():
    text = ("Sara Lund accepted the award on Sunday.\n"
            "Speaking through an interpreter, she said the festival would return in 2027.\n"
            "Asked about the prize by newspaper Nordposten, Lund laughed and simply said the jury had been generous.\n"
            "Speaking with the Valley Courier on Monday, his sister, Ines Roe said that he had left home at 8pm.\n"
            "“He took the tractor and the rifle. He went hunting every weekend.”\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "festival would return")) == ("Sara Lund", ["Sara Lund", "interpreter"], "interpreter")
    assert who(row(claims, "jury had been generous")) == ("Sara Lund", ["Sara Lund", "Nordposten"], "Nordposten")
    c = row(claims, "took the tractor")
    assert (c["speaker"], c["chain"], c["attribution_mode"]) == ("Ines Roe", ["Ines Roe", "Valley Courier"], "direct_quote")


def test_hedged_sentences_of_the_outlet_are_claims_with_their_hedge():
    text = ("The fire may have started in the kitchen, but police were unable to confirm details.\n"
            "Claims were made that the hunter had walked ahead of the others.\n"
            "It was understood that the ferry would stop running in May.\n"
            "The new filter appears to blur the faces of bystanders in every frame.\n"
            "What should readers do if the ferry stops?\n")
    claims = extract_claims(text, "en")
    c = row(claims, "kitchen")
    assert (c["verification_status"], c["hedge_text"]) == ("unverified", "police were unable to confirm details")
    for needle in ("walked ahead", "ferry would stop", "blur the faces"):
        assert row(claims, needle)["verification_status"] == "unverified", needle
    assert not any("readers" in c["sentence"] for c in claims)


def test_affiliations_after_names_reports_after_the_content_and_the_one_asked():
    text = ("“The flaw lets anyone read the files,” said Ines Varga with Nordsec in a Monday analysis.\n"
            "Pier Road is closed between Elm Street and Oak Lane, Harbor Police Department reported at 1:30 p.m. on Nov. 8.\n"
            "Judge Ana Ruiz joined the court in May. A reporter asked Ruiz, “What is the hardest part?” "
            "“Getting people to see their own biases,” she replied.\n"
            "As Ruiz herself said, “The most important thing is that I not be the last.”\n")
    claims = extract_claims(text, "en")
    assert row(claims, "read the files")["speaker"] == "Ines Varga"
    assert row(claims, "Pier Road")["speaker"] == "Harbor Police Department"
    assert row(claims, "own biases")["speaker"] == "Ana Ruiz"
    assert row(claims, "not be the last")["speaker"] in ("Ruiz", "Ana Ruiz")


def test_groups_in_places_bodies_named_before_and_parenthetical_adverbs():
    text = ("Police in Dayton said the bridge would stay closed until May.\n"
            "A man in Dayton said the water had risen above the rail overnight.\n"
            "Prosecutors said the driver had been charged with two counts.\n"
            "The Regional Water Trust oversees the flood levy for the valley. "
            "The trust said the county had not shared its repair plans.\n"
            "The Department of Water Resources inspected the dam in March. "
            "The department, however, said it could not publish the report until September.\n"
            "Ana Ruiz, the mayor, for her part, said the vote would go ahead.\n")
    claims = extract_claims(text, "en")
    # a group placed somewhere speaks, not the place; a group word is not a person's name
    assert row(claims, "bridge would stay")["speaker"] == "Police in Dayton"
    assert row(claims, "water had risen")["speaker"] == "A man in Dayton"
    assert row(claims, "two counts")["speaker"] == "Prosecutors"
    assert row(claims, "two counts")["attribution_mode"] == "anonymous"
    # "the trust", "the department": the body of that kind the article named before
    assert row(claims, "repair plans")["speaker"] == "Regional Water Trust"
    assert row(claims, "publish the report")["speaker"] == "Department of Water Resources"
    assert row(claims, "vote would go ahead")["speaker"].split(" (")[0] == "Ana Ruiz"


def test_requests_are_not_reported_words_and_they_means_the_group():
    text = ("Police said two fishermen found the body on Friday.\n"
            "The fishermen alleged that Costa had asked them to wait near the boat.\n"
            "They claimed that Costa had told them to stay behind.\n")
    claims = extract_claims(text, "en")
    # "asked them to wait" is a request: Costa is no speaker, the fishermen are (and "they" is them)
    assert who(row(claims, "wait near the boat")) == ("The fishermen", ["The fishermen"], None)
    assert row(claims, "wait near the boat")["verification_status"] == "unverified"
    assert who(row(claims, "stay behind")) == ("The fishermen", ["The fishermen"], None)


def test_embedded_posts_are_their_authors_words_through_the_platform():
    text = ("On Twitter, Ines Varga explains that the effect is achieved with a depth map of the face, which is then "
            "used to move the eyes, and she shows how the line across the nose bends when a pen is moved in front "
            "of the camera, which anyone can try at home.\n"
            "How the filter works: it simply maps the face and shifts the eyes.\n"
            "— Ines Varga   (@ivarga) July 3, 2019\n"
            "Here is a short clip of the judge walking in:\n"
            "The state's newest justice, Rosa Tenorio, heading into the courtroom. She is the first judge from the "
            "valley. pic.twitter.com/abc123\n"
            "— Dan Moll (@danmoll5) January 6, 2020\n")
    claims = extract_claims(text, "en")
    post = row(claims, "simply maps the face")
    assert who(post) == ("Ines Varga", ["Ines Varga", "Twitter"], "Twitter")
    assert post["attribution_mode"] == "direct_quote"
    assert who(row(claims, "first judge from the valley")) == ("Dan Moll", ["Dan Moll", "Twitter"], "Twitter")
    # the line that introduces a post is the outlet's, not the post's author's
    assert not any("short clip" in c["sentence"] and c["speaker"] == "Dan Moll" for c in claims)


def test_a_post_signed_by_an_outlets_account_is_the_outlets_through_the_platform():
    # an outlet's account goes to the outlets, not the voices: this raised IndexError before
    text = ("Officials confirmed the closure of the bridge on Monday after an inspection found cracks.\n"
            "\u201cThe bridge will stay closed for at least three weeks while engineers repair it.\u201d\n"
            "\u2014 Reuters (@Reuters) July 3, 2019\n")
    post = row(extract_claims(text, "en"), "stay closed")
    assert who(post) == ("Reuters", ["Reuters", "Twitter"], "Reuters")
    assert post["attribution_mode"] == "direct_quote"


def test_documents_credited_with_their_publisher():
    text = ("According to a blog post for GeoWatch, the Regional Weather Service predicts that rainfall will be "
            "40 to 50 percent below normal.\n"
            "Cases rose 12% last year, according to a report by the Tamsin Institute.\n"
            "Demand reached 50,270 megawatts in 2006, according to data from Valley Grid.\n"
            "Rents rose 8% last year, according to a survey of Americans.\n")
    claims = extract_claims(text, "en")
    assert who(row(claims, "rainfall")) == ("Regional Weather Service", ["Regional Weather Service", "GeoWatch"],
                                            "GeoWatch")
    assert who(row(claims, "Cases rose")) == ("Tamsin Institute", ["Tamsin Institute"], "Tamsin Institute")
    assert who(row(claims, "Demand reached")) == ("Valley Grid", ["Valley Grid"], "Valley Grid")
    # a survey of a group credits the survey, not the group as a speaker
    assert who(row(claims, "Rents rose")) == ("a survey of Americans", ["a survey of Americans"], "a survey of Americans")


def test_title_case_headlines_read_their_speech_verb():
    text = ("Ferry With 40 Tons Of Fuel Seized By Harbor Agents, Port Authority Says\n"
            "Agents seized the ferry on Sunday, officials said. The ferry had sailed from Tamsin on Friday.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "Ferry With 40 Tons")["speaker"] == "Port Authority"


def test_a_description_refers_back_to_the_one_person_it_described():
    text = ("Omar Haddad, the owner of the bakery, said a man stole the till.\n"
            "On Tuesday, the owner said the man came back twice.\n"
            "Ana Ruiz, a nurse at Mercy Hospital, said the ward was full. The nurse said two patients were moved.\n"
            "Jo Park, a nurse at Elm Clinic, said the clinic was closed. The nurse said it would reopen in May.\n")
    claims = extract_claims(text, "en")
    assert row(claims, "came back twice")["speaker"].split(" (")[0] == "Omar Haddad"
    assert row(claims, "two patients")["speaker"].split(" (")[0] == "Ana Ruiz"
    # two nurses described: "the nurse" is left as written rather than guessed
    assert row(claims, "reopen in May")["speaker"] == "The nurse"


def test_an_embedded_post_in_a_language_without_speech_rules_is_no_crash():
    # a signed post quoting a saying, in a language the speech rules do not read: an attribution but no
    # voice (it raised IndexError and the whole page failed)
    text = ("Die Stiftung wehrt sich gegen die Vorwürfe des Vereins, wie der Vorstand am Montag mitteilte.\n"
            "\"Wer nicht kämpft, hat schon verloren\" Spr 4,1 pic.twitter.com/abc123XYZ\n"
            "— Radio Nord (@RadioNord) April 29, 2021\n")
    claims = extract_claims(text, "de")
    assert all(c["speaker"] in (None, "Radio Nord") for c in claims)
