"""Figures issue 9's quantity measure still missed on real pages, one kind per test, on sentences written for
these tests: rates and a figure given in two units, names before a number (possessives, lower-case brands),
ordinal words and "a single", people counted by nationality or by what happened to them, a figure whose noun
comes before it, elliptic figures ("4,000 of them", "of whom"), ¥ by its sentence, and Chinese fractions, tenths,
halves, runs and populations."""
import pytest

from newstrace.ingest.claims.quantities import extract_quantities


def figures(sentence, lang="en"):
    return [(round(q["value"], 6), q["unit"], q["op"], q["from"], q["to"]) for q in extract_quantities(sentence, lang)]


@pytest.mark.parametrize("sentence, expected", [
    # a rate keeps both units; the same figure in a second unit is a second figure
    ("The new platters hold 2.4Tb per square inch.", [(2.4, "terabit per square inch", None, None, None)]),
    ("Trucks may carry 40 tonnes per axle group.", [(40.0, "tonne", None, None, None)]),
    ("The wind reached 120 km/h on the coast.", [(120.0, "kilometre per hour", None, None, None)]),
    ("Attachments of up to 20,480 KB/20 MB are refused.", [(20480.0, "kilobyte", "<=", None, None),
                                                         (20.0, "megabyte", "<=", None, None)]),
    # a possessive before a number is no name; a brand in lower case is
    ("The bloc's 27 members voted on Friday.", [(27.0, "member", None, None, None)]),
    ("Brazil's 26 states sent delegates.", [(26.0, "state", None, None, None)]),
    ("The iPhone 14 sells for $699 in Ohio.", [(699.0, "USD", None, None, None)]),
    ("An eBay 500 seller was fined.", []),
    # ordinal words count after a determiner; "first", a place in a sequence, a hyphenated rank do not
    ("She is the third Inuit woman to sit on the bench.", [(3.0, "woman", None, None, None)]),
    ("It was his fourth conviction since 2015.", [(4.0, "conviction", None, None, None)]),
    ("Prices rose for the second straight month and the first time in a year.", []),
    ("It is the second-largest port in the region.", []),
    ("Rescuers found a single survivor in the rubble.", [(1.0, "survivor", None, None, None)]),
    # people counted by nationality, or by what happened to them
    ("Nearly 3.1 million Canadians could lose coverage.", [(3.1e6, "people", "~", None, None)]),
    ("About 400 Chinese were flown home, on three Chinese airliners.", [(400.0, "people", "~", None, None),
                                                                        (3.0, "airliner", None, None, None)]),
    ("The quake left 31 dead and 112 injured.", [(31.0, "people", None, None, None), (112.0, "people", None, None, None)]),
    ("Medics counted two dead horses.", [(2.0, "horse", None, None, None)]),
    ('Officials warned "as many as 2,500" could die.', [(2500.0, "people", "<=", None, None)]),
    ("Officials said that 14 were killed.", [(14.0, "people", None, None, None)]),
    # the noun a figure counts, said before it
    ("The port town of 12,000 lost power.", [(12000.0, "people", None, None, None)]),
    ("The island's population is about 85,000.", [(85000.0, "people", "~", None, None)]),
    ("Jobless claims have topped 3 million.", [(3e6, "claim", None, None, None)]),
    ("That lifted the number of Kenyans on the register to 8.2 million.", [(8.2e6, "people", None, None, None)]),
    ("The index rose to 4,500 on Monday.", [(4500.0, None, None, None, None)]),  # a level: no noun to give it
    # elliptic figures: what the figure beside them counts
    ("Inspectors checked 9,000 boxes, 1,200 of them from abroad.", [(9000.0, "box", None, None, None),
                                                                   (1200.0, "box", None, None, None)]),
    ("The outbreak infected about 5,400, of whom 212 have died.", [(212.0, "people", None, None, None)]),
    ("A total of 4,100 nurses signed, while an estimated 900 were on leave.", [(4100.0, "nurse", None, None, None),
                                                                               (900.0, "nurse", None, None, None)]),
    ("Of the 12 clubs in the league, nine are in the capital.", [(12.0, "club", None, None, None),
                                                                (9.0, "club", None, None, None)]),
    # ¥ is the yuan unless its sentence is about Japan
    ("The lamps, worth ¥90,000, were taken from a Japanese shrine.", [(90000.0, "JPY", None, None, None)]),
    ("A Chinese buyer paid ¥90,000.", [(90000.0, "CNY", None, None, None)]),
    ("The lamps cost ¥90,000.", [(90000.0, "CNY", None, None, None)]),
    # a scale on both ends of a range; a glued "m" before people counts millions, before nothing metres
    ("Repairs could cost $1.5bn-$2bn.", [(2e9, "USD", "range", 1.5e9, 2e9)]),
    ("About 1.2m people lost power.", [(1.2e6, "people", "~", None, None)]),
    ("A million people marched on Sunday.", [(1e6, "people", None, None, None)]),
    # a change between bare figures; "more" before the counted noun; "a third" as an ordinal
    ("The toll climbed to 1,200 from 950 a day earlier.", [(1200.0, None, None, 950.0, 1200.0)]),
    ("The firm will hire 1,000 more engineers.", [(1000.0, "engineer", None, None, None)]),
    ("Exports fell for a third straight month.", []),
    ("Sales fell by a third.", [(0.3333, "fraction", None, None, None)]),
    # a range closed by a quotation mark keeps both ends (and "000" is not read again after the comma)
    ('Dr Li estimated "between 20,000 and 30,000" could die.', [(30000.0, "people", "range", 20000.0, 30000.0)]),
])
def test_english_kinds(sentence, expected):
    assert figures(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("超过三分之二的受访企业表示订单减少。", [(0.6667, "fraction", None, None, None)]),
    ("该市千分之五的家庭领取补贴。", [(0.005, "fraction", None, None, None)]),
    ("基金持有该公司两成股份。", [(20.0, "%", None, None, None)]),
    ("这一做法一成不变。", []),
    ("全年出口减少了一半。", [(0.5, "fraction", None, None, None)]),
    ("全省新增病例迎来9连降。", [(9.0, None, None, None, None)]),
    ("该县人口约45万。", [(450000.0, "people", "~", None, None)]),
    ("两国签署了三项协议。", [(3.0, "项", None, None, None)]),
])
def test_chinese_kinds(sentence, expected):
    assert figures(sentence, "zh") == expected
