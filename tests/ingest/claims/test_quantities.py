"""Figures on sentences written for these tests: each kind of error issue 9 lists (multi-word units and
currencies, ranges, European separators, names read as figures, number words and multipliers, changes
with from/to, ages and durations; Chinese numerals, 个百分点, 两国), and a huge input stays linear."""
import time

import pytest

from newstrace.ingest.claims.quantities import extract_quantities, zh_number


def figures(sentence, lang="en"):
    return [(q["value"], q["unit"], q["op"], q["from"], q["to"]) for q in extract_quantities(sentence, lang)]


@pytest.mark.parametrize("sentence, expected", [
    # multi-word currencies and units keep every word
    ("The ferry ticket now costs 250 Hong Kong dollars.", [(250.0, "HKD", None, None, None)]),
    ("The mill shipped 2.5 metric tons of pulp.", [(2.5, "tonne", None, None, None)]),
    ("The reserve covers 49.7 million square miles.", [(49.7e6, "square mile", None, None, None)]),
    ("Turnout rose by 3 percentage points.", [(3.0, "pp", None, None, None)]),
    # ranges keep both ends (value: the upper end)
    ("Fares will rise 30 to 60 percent.", [(60.0, "%", "range", 30.0, 60.0)]),
    ("The bridge will cost 120–150 million euros.", [(150e6, "EUR", "range", 120e6, 150e6)]),
    ("Officials expect between 100,000 and 200,000 visitors.", [(200000.0, "visitor", "range", 100000.0, 200000.0)]),
    ("Tickets sell for $350 to $600.", [(600.0, "USD", "range", 350.0, 600.0)]),
    ("The crew waited six to seven minutes.", [(7.0, "minute", "range", 6.0, 7.0)]),
    # European thousands separators
    ("The co-op sold 1.000 units in May.", [(1000.0, "unit", None, None, None)]),
    ("Der Verein hat 2.500.000 Mitglieder gezählt, 1.250,5 tonnes.", [(1250.5, "tonne", None, None, None)]),
    # numbers inside names are not figures
    ("She joined two Fortune 100 boards after the Apollo 13 exhibit.", []),
    ("He switched from a Galaxy S9 to a Stage 3 prototype.", []),
    # number words, multipliers and fractions
    ("Seven European firms signed the charter.", [(7.0, "firm", None, None, None)]),
    ("The new strain is three times as contagious.", [(3.0, "times", None, None, None)]),
    ("Exports doubled while imports grew tenfold.", [(2.0, "times", None, None, None), (10.0, "times", None, None, None)]),
    ("The plant burns half as much coal as it did.", [(0.5, "times", None, None, None)]),
    ("Two-thirds of the members voted yes.", [(0.6667, "fraction", None, None, None)]),
    # a change keeps where it started and where it ended
    ("The jobless rate rose to 4.1% from 3.9% in May.", [(4.1, "%", None, 3.9, 4.1)]),
    ("Support fell from 54% to 35%.", [(35.0, "%", None, 54.0, 35.0)]),
    # ages and durations
    ("A 15-year-old was detained, said Ruth Amsel, 52, of Dorrance.", [(15.0, "year", None, None, None),
                                                                       (52.0, "year", None, None, None)]),
    ("The council gave the firm two and a half years and a 14-day notice.", [(2.5, "year", None, None, None),
                                                                             (14.0, "day", None, None, None)]),
    # counted nouns: the noun, not the adjective before it, in the singular
    ("The district reported 350 new cases and 6,000 surgical masks.", [(350.0, "case", None, None, None),
                                                                      (6000.0, "mask", None, None, None)]),
    ("Four of the 12 crates were empty.", [(4.0, "crate", None, None, None), (12.0, "crate", None, None, None)]),
    ("Spain counted 157,000 cases and Portugal 43,600.", [(157000.0, "case", None, None, None),
                                                          (43600.0, "case", None, None, None)]),
    ("475 pounds of cocaine and a £5 million fine", [(475.0, "pound", None, None, None), (5e6, "GBP", None, None, None)]),
    ("The grant was US$171-million for a 1.2-billion-yuan dish.", [(171e6, "USD", None, None, None),
                                                                  (1.2e9, "CNY", None, None, None)]),
    ("It was 1.7°C warmer than the 1951 average.", [(1.7, "celsius", None, None, None)]),
    # dates, times, phone numbers and vague amounts are not figures
    ("On March 5 at 10:41 a.m. call 212-306-6794 about the hundreds of complaints.", []),
    ("She was elected at age 23 in 2019.", [(23.0, "year", None, None, None)]),
])
def test_english_figures(sentence, expected):
    assert figures(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("该项目投资一亿两千万美元。", [(1.2e8, "USD", None, None, None)]),
    ("失业率下降了三点五个百分点。", [(3.5, "pp", None, None, None)]),
    ("两国领导人举行会谈。", []),
    ("全市900多万人口受益。", [(9e6, "people", ">", None, None)]),
    ("新馆面积2.8万平方米。", [(28000.0, "square metre", None, None, None)]),
    ("月薪在6万至8万元之间。", [(80000.0, "CNY", "range", 60000.0, 80000.0)]),
    ("50多个市直部门通力合作。", [(50.0, "department", ">", None, None)]),
    ("全村安装了6个摄像头。", [(6.0, "camera", None, None, None)]),
    ("关税从25%降至18%。", [(18.0, "%", None, 25.0, 18.0)]),
    ("封城27天后，2021年3月8日起恢复。", [(27.0, "day", None, None, None)]),
    ("超过20个国家表示兴趣。", [(20.0, "country", ">", None, None)]),
])
def test_chinese_figures(sentence, expected):
    assert figures(sentence, "zh") == expected


def test_chinese_numerals():
    # cn2an 0.5.24 gives the same values on these forms; it is not needed for them (see quantities.zh_number)
    assert [zh_number(s) for s in ("一亿两千万", "三点五", "两千一百", "十五", "一百二十万", "三千五百万", "两")] == \
        [1.2e8, 3.5, 2100.0, 15.0, 1.2e6, 3.5e7, 2.0]
    assert zh_number("万") is not None and zh_number("点五") == 0.5 and zh_number("三点") is None


def test_huge_input_stays_linear():
    "A page with no sentence break is one 'sentence': the cost must grow with its length, not its square."
    unit = "Output fell from 40% to 31% while 350 new flats, 99 of which sold for $2.5 billion, and seven firms "
    small, big = unit * 150, unit * 1200
    for text in (small, big):  # warm the compiled patterns
        extract_quantities(text[:2000])
    t0 = time.process_time()
    n_small = len(extract_quantities(small))
    t1 = time.process_time()
    n_big = len(extract_quantities(big))
    t2 = time.process_time()
    assert n_big == 8 * n_small
    # 8x the text: linear is ~8x the time; quadratic would be ~64x (CPU time, generous bound for noise)
    assert (t2 - t1) < 25 * max(t1 - t0, 0.005)


def test_a_figure_after_a_capitalised_word_with_a_unit_is_a_figure():
    # a weekday or a headline's capitals before a number with a unit; names with numbers stay out
    assert [(q["value"], q["unit"]) for q in extract_quantities("Agents found Sunday 475 pounds of cocaine.")] == \
        [(475.0, "pound")]
    assert [(q["value"], q["unit"]) for q in extract_quantities("New Platters Promise 80TB Hard Drives")] == \
        [(80.0, "terabyte")]
    assert [(q["value"], q["unit"]) for q in extract_quantities("On Sunday 12 people were hurt.")] == [(12.0, "people")]
    for text in ("Apollo 13 returned safely.", "Boeing 737 jets were grounded.", "Galaxy S9 sales fell."):
        assert extract_quantities(text) == [], text


def test_counted_nouns_after_describing_words():
    # up to three describing words (names among them) before the counted noun; an acronym's plural counts
    cases = {"Two natural gas power plants shut down on Friday.": [(2.0, "plant")],
             "She served three Ohio Native American tribes.": [(3.0, "tribe")],
             "The museum and three NGOs organised it.": [(3.0, "ngo")],
             "Three Texas cities voted.": [(3.0, "city")]}
    for text, expected in cases.items():
        assert [(q["value"], q["unit"]) for q in extract_quantities(text)] == expected, text


def test_ordinals_that_count():
    assert [(q["value"], q["unit"]) for q in extract_quantities("This is the 16th case on smuggling since 2022.")] == \
        [(16.0, "case")]
    assert [(q["value"], q["unit"]) for q in extract_quantities("It is the 7th national treasure that we buy.")] == \
        [(7.0, "treasure")]
    # a place in a calendar, a match, a building or a name is not a count
    for text in ("It was an 18th century painting.", "He scored in the 90th minute.", "She lives on the 3rd floor.",
                 "The 13th Council district voted.", "On the 16th of May it rained."):
        assert extract_quantities(text) == [], text


def test_a_bound_on_one_unit_of_time_and_ages_in_police_blotters():
    def qs(text):
        return [(q["value"], q["unit"], q["op"]) for q in extract_quantities(text)]
    assert qs("Goats ruled this island for over a century.") == [(100.0, "year", ">")]
    assert qs("It can add up to an hour to the procedure.") == [(1.0, "hour", "<=")]
    assert qs("For over a year, the museum has tried to buy it.") == [(1.0, "year", ">")]
    assert qs("Every day a year passes.") == []
    assert qs("A male juvenile, 16, Elmvale, was arrested for theft.") == [(16.0, "year", None)]
    assert qs("A man, 34, of Springfield was cited.") == [(34.0, "year", None)]


@pytest.mark.parametrize("ascii_sentence", [
    "He said prices doubled to twice the level of 2019 in half a decade.",
    "Output grew 3 times over a decade, six to seven minutes a day.",
    "The crash injured 40 people, of whom 12 were children; 4-fold more than over a year.",
])
def test_word_prefilters_on_non_ascii_text(ascii_sentence):
    "Curly quotes and dashes (most real sentences) run the same patterns as ASCII text: the same figures."
    curly = "\u201c" + ascii_sentence.replace(", ", " \u2014 ", 1) + "\u201d"
    assert figures(curly) == figures(ascii_sentence) != []


def test_letters_that_case_fold_to_ascii_still_match():
    "'ſ' (long s) and the Kelvin sign match 's' and 'k' case-insensitively: such text runs every pattern."
    assert figures("It grew 3 time\u017f in \u201ctwo\u201d years.") == figures('It grew 3 times in "two" years.')
    assert (2.0, "times", None, None, None) in figures("Sales rose to twice the 12 tonnes, \u212aelvin said.")
