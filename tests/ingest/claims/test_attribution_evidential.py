"""Kinds of attribution the extractor missed on issue 9's held-out attribution corpus (attr9), on fixtures written
for these tests (names and events invented): evidentials that pass on a view nobody is named for ("it seems likely
that", "appears certain to", "apparently") are attributions without a source, like "reportedly". Exact speaker,
chain and attribution mode."""
from newstrace.ingest.claims import extract_claims
from tests.ingest.claims.test_attribution import who

_LEAD = "The Delmont council met on Tuesday to debate the harbour budget.\n"


def _row(sentence):
    rows = [c for c in extract_claims(_LEAD + sentence + "\n", "en") if c["sentence"] == sentence]
    assert len(rows) == 1, rows
    return rows[0]


def test_evidentials_are_attributions_without_a_source():
    for sentence in ("It seems increasingly likely that Mayor Ada Brenn will win a second term.",
                     "The harbour levy appears certain to pass the council next week.",
                     "Councillor Ivo Renn seemed certain to leave the coalition.",
                     "The two candidates are certain to be pressed on the cost of the new locks.",
                     "The ruling appeared to leave other members ready to abandon the plan.",
                     "It looks like the budget will be dead on arrival."):
        c = _row(sentence)
        assert c["attribution_mode"] == "anonymous", sentence
        assert who(c) == (None, [], None), sentence


def test_seeing_and_showing_up_are_no_evidentials():
    # "appeared in court", "looked at", "what the field will look like": no inference is passed on
    for sentence in ("The suspect appeared in court in Delmont on Monday.",
                     "Nobody in Delmont knows what the field will look like in March."):
        rows = [c for c in extract_claims(_LEAD + sentence + "\n", "en") if c["sentence"] == sentence]
        assert all(c["attribution_mode"] == "asserted" for c in rows), rows


def test_a_named_speaker_keeps_the_claim():
    # the evidential inside a speaker's statement does not take it from them
    c = _row("Mayor Ada Brenn said the levy seems likely to pass.")
    assert who(c) == ("Ada Brenn", ["Ada Brenn"], None)
    assert c["attribution_mode"] == "indirect_speech"


def test_an_evidential_keeps_the_platform_it_names():
    c = _row("Users on Twitter appear to have found a flaw in the new harbour app.")
    assert c["attribution_mode"] == "anonymous"
    assert c["speaker"] is None and c["chain"] == ["Twitter"]


def test_a_particle_makes_a_speech_verb_an_act():
    # "called off a deal", "backed down": a thing done, not words; "called on" stays speech
    text = ("Delmont Shipping and Harbour Freight called off a 54 billion dollar merger after the regulator issued "
            "new rules.\nMayor Ada Brenn called on the council to act.\n")
    rows = extract_claims(text, "en")
    assert [c["speaker"] for c in rows] == [None, "Ada Brenn"]
    assert rows[0]["attribution_mode"] == "asserted"


def test_a_refusal_to_act_inside_a_report_is_the_reporters_claim():
    # "reported that X refused to release the names": the refusal is an act the reporter reports, X said nothing
    [c] = extract_claims("Ivo Renn reported that the Harbour Foundation refused to release the names of its "
                         "donors.\n", "en")
    assert who(c) == ("Ivo Renn", ["Ivo Renn"], None)
    assert c["attribution_mode"] == "indirect_speech"
    # a refusal to say something still nests: words (or their absence) are the inner party's
    [c] = extract_claims("Ivo Renn reported that the Harbour Foundation refused to say who its donors were.\n", "en")
    assert who(c) == ("Harbour Foundation", ["Harbour Foundation", "Ivo Renn"], "Ivo Renn")


def test_every_form_of_a_listed_speech_phrase():
    # "talked of" and "spoke about" were listed, "talks of" and "speaks of" were not
    for verb in ("talks of", "speaks of", "talked about", "is talking about"):
        [c] = extract_claims("Mayor Ada Brenn %s the cost of the new harbour locks.\n" % verb, "en")
        assert who(c) == ("Ada Brenn", ["Ada Brenn"], None), verb
        assert c["attribution_mode"] == "indirect_speech", verb


def test_they_is_the_group_the_sentence_already_named():
    # "The pilots said A, and they warned B": the pilots again, not a group named in an earlier sentence
    text = ("Mayor Ada Brenn met the harbour engineers on Monday.\nThe pilots said the channel was too shallow, and "
            "they warned that ships could run aground.\n")
    _, first, second = extract_claims(text, "en")
    assert (first["speaker"], second["speaker"]) == ("The pilots", "The pilots")
    assert second["speaker_text"] == "they" and second["chain"] == ["The pilots"]
    assert second["sentence"] == "and they warned that ships could run aground."


def test_a_clause_opener_is_not_part_of_the_speaker_text():
    text = "Though harbour officials who worked with Ivo Renn say he favours the levy, he has never said so.\n"
    c = extract_claims(text, "en")[0]
    assert (c["speaker"], c["speaker_text"]) == ("harbour officials", "harbour officials")


def test_a_name_and_a_colon_before_quoted_words_is_the_headline_convention():
    [c] = extract_claims("Ada Brenn: Harbour levy ‘a tax on every worker in Delmont.’\n", "en")
    assert who(c) == ("Ada Brenn", ["Ada Brenn"], None)
    assert c["attribution_mode"] == "direct_quote"
    [c] = extract_claims("Report: Delmont harbour board paid its chairman twice the agreed fee.\n", "en")
    assert (c["speaker"], c["attribution_mode"]) == ("Report", "anonymous")
    # a place, a label, a title-case clause with a verb in it: nobody speaks
    for text in ("Hong Kong: Protesters clash with police near the harbour.\n",
                 "Delmont Board Rejects Levy: Mayor ‘will not pay one more cent’ for the harbour.\n"):
        assert all(c["speaker"] is None for c in extract_claims(text, "en")), text


def test_a_view_or_a_reputation_nobody_is_named_for():
    for sentence in ("There are concerns about the harbour board's record and its lack of a paper trail.",
                     "There was outrage over the new harbour levy in Delmont.",
                     "Delmont Shipping is best known for its ferries to the islands."):
        c = _row(sentence)
        assert c["attribution_mode"] == "anonymous", sentence
        assert who(c) == (None, [], None), sentence


def test_a_name_inside_an_embedded_question_or_a_temporal_clause_says_nothing():
    # "conversations about what exactly X wants": a question about X, not X's statement
    text = ("Senior aides have held calls with the mayor's office, starting conversations about what exactly Ada "
            "Brenn wants in the harbour plan.\n")
    assert all(c["speaker"] is None for c in extract_claims(text, "en"))
    # "... before voters weighed in.": a moment in time, nothing said; the first speaker keeps the sentence
    text = "For months, Ada Brenn has stayed out of the race, arguing she did not want to tip the scales before " \
           "voters weighed in.\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("Ada Brenn", ["Ada Brenn"], None)
    # "which is why X indicate that ...": no question, X speaks
    [c] = extract_claims("The audience is older, which is why executives there indicate that the family values "
                         "Kelly.\n", "en")
    assert c["speaker"] == "executives"


def test_a_clause_before_a_name_is_no_role_description():
    # "The levy passed after Ada Brenn said": "levy passed after" is no role of hers
    c = extract_claims("The levy passed after Ada Brenn said it would fund the harbour.\n", "en")[0]
    assert (c["speaker"], c["speaker_text"]) == ("Ada Brenn", "Ada Brenn")
    c = extract_claims("The retired harbour pilot Ida Brandt said the levy was fair.\n", "en")[0]
    assert c["speaker"] == "Ida Brandt (retired harbour pilot)"


def test_what_after_a_word_that_asks_opens_a_question_elsewhere_it_is_what_was_said():
    text = "Asked what she thought of the levy, Ada Brenn said, \"It is a tax on every worker in Delmont.\"\n"
    [c] = extract_claims(text, "en")
    assert who(c) == ("Ada Brenn", ["Ada Brenn"], None)
    # a free relative: "what X is saying" is X's statement, reported
    text = "If you go with what Mayor Ada Brenn is saying, the levy will double by May.\n"
    [c] = extract_claims(text, "en")
    assert c["speaker"] == "Ada Brenn"


def test_the_subject_of_a_verb_before_to_speaks_the_infinitive():
    # subject control: "continue to insist", "were quick to point out", "did not hesitate to report"
    for verb in ("continue to insist", "were quick to point out", "don't hesitate to report", "tried to argue",
                 "have long claimed"):
        [c] = extract_claims("The harbour pilots %s that the channel is too shallow for tankers.\n" % verb, "en")
        assert (c["speaker"], c["speaker_text"]) == ("The harbour pilots", "The harbour pilots"), verb
    # "used to support": a habit, not words
    text = "The council ran ads reminding voters that their leaders used to support the harbour levy.\n"
    assert all(c["speaker"] != "their leaders" for c in extract_claims(text, "en"))


def test_a_typewriter_quotation_goes_on_in_the_next_sentence():
    # news archives write quotations ''...'': the next sentence's '' quotation (its "I" is the speaker's) goes on
    text = ("''The levy is a tax on workers,'' said Mayor Ada Brenn of Delmont, in a statement. ''After much thought, "
            "I have concluded that the harbour board has not shown the care needed'' to run the port.\n")
    [c] = extract_claims(text, "en")
    assert c["speaker"] == "Ada Brenn of Delmont" and c["sentence"] == text.strip()
    assert c["attribution_mode"] == "indirect_speech"  # (the '' pair stays opt-in as a quotation mark)
    # a sentence with a speaker of its own outside the quotation is its own claim
    text = ("''The levy is a tax on workers,'' said Mayor Ada Brenn. ''It will pass,'' Ivo Renn replied.\n")
    assert [c["speaker"] for c in extract_claims(text, "en")] == ["Ada Brenn", "Ivo Renn"]


def test_a_possessors_claim_inside_anothers_statement_is_its_own_attribution():
    text = ("The council has lobbied other towns to back the judges' statement that their ruling must be binding, a "
            "call echoed by Delmont on Saturday.\n")
    assert [c["speaker"] for c in extract_claims(text, "en")] == ["the judges", "Delmont"]
    rows = extract_claims("Mayor Ada Brenn rejected Ivo Renn's claim that the levy would double.\n", "en")
    assert [c["speaker"] for c in rows] == ["Ada Brenn", "Ivo Renn"]
    # alone in its sentence it is the one attribution, as before
    [c] = extract_claims("Ivo Renn's claim that the levy would double was repeated on Monday.\n", "en")
    assert c["speaker"] == "Ivo Renn"


def test_media_people_are_groups_that_speak():
    [c] = extract_claims("Its hosts don't hesitate to report that the science is still in question.\n", "en")
    assert (c["speaker"], c["attribution_mode"]) == ("Its hosts", "anonymous")


def test_a_relative_clause_ending_in_a_quoted_phrase_keeps_its_head_as_the_speaker():
    for text in ("Mr. Tolle, who owns the ferry \"Sea Star,\" portrayed the harbour board as reckless.\n",
                 "Mr. Tolle, who owns the ferry ''Sea Star,'' portrayed the harbour board as reckless.\n"):
        c = extract_claims("Councillor Ivo Tolle spoke on Monday.\n" + text, "en")[-1]
        assert c["speaker"].startswith("Ivo Tolle (who owns the ferry"), (text, c["speaker"])
        assert c["chain"] == ["Ivo Tolle"]


def test_junk_speakers_from_the_second_pass_stay_out():
    # "appears to the daemon" sees, "seemingly random" qualifies a word: no evidential
    for sentence in ("Because the connection is tunnelled, it actually appears to the rsync daemon to be coming "
                     "from a local process.", "Fast radio bursts occur in seemingly random places across the sky."):
        rows = [c for c in extract_claims(_LEAD + sentence + "\n", "en") if c["sentence"] == sentence]
        assert all(c["attribution_mode"] != "anonymous" for c in rows), sentence
    # a contracted pronoun is the pronoun; a capitalised adverb is no name; another language's label is no speaker
    for text in ("We're talking about meat produced with growth hormones.\n", "I'd recommend the slim image.\n"):
        assert all(c["attribution_mode"] == "asserted" for c in extract_claims(text, "en")), text
    [c] = extract_claims("The harbour pilots met on Monday. They're saying the channel is too shallow.\n", "en")[1:]
    assert (c["speaker"], c["speaker_text"]) == ("harbour pilots", "They")
    text = "Helpfully, the error message quotes our code and tries to explain the problem, pointing out the line.\n"
    assert all(c["speaker"] is None for c in extract_claims(text, "en"))
    text = "Zweiter Akt: Der Verband lässt eine Umfrage „nach der Akzeptanz“ durchführen.\n"
    assert all(c["speaker"] is None for c in extract_claims(text, "de"))
