"""More kinds of attribution error from issue 9, on fixtures written for these tests: whom a statement was told
to, descriptive outlets, quotations credited by the sentence after them, the outlet that publishes the text,
described speakers resolved from later mentions, pronouns and documents. Exact speaker, chain, cited_source and
attribution mode."""
from newstrace.ingest.claims import extract_claims


def row(claims, needle):
    found = [c for c in claims if needle in c["sentence"]]
    assert len(found) == 1, f"{needle!r}: {[(c['sentence'], c['speaker']) for c in claims]}"
    return found[0]


def who(c):
    return c["speaker"], c["chain"], c["cited_source"]


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
