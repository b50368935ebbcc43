"""TrieMatcher (the gazetteer's and the initiative catalogue's alias matcher) finds exactly what the one trie
regex over the same words finds: left-to-right non-overlapping matches, and the longest match at every start.
Checked with the real alias lists on texts built from them (overlapping, nested, glued and lower-case aliases)
and on the bundled sample pages."""
import random
import re
from pathlib import Path

from newstrace.ingest.countries import gazetteer
from newstrace.ingest.countries.gazetteer import TrieMatcher, trie_pattern
from newstrace.ingest.initiatives import catalogue
from newstrace.ingest.initiatives.catalogue import _every_start  # the reference: the longest match at every start

SAMPLE = Path(__file__).resolve().parents[3] / "ingest" / "sample" / "site"


def _texts(words, n=300, seed=7):
    rnd = random.Random(seed)
    glue = [" ", "", "-", ", ", " the ", "s ", "\n", "ing ", " and ", "a", "’s ", "。", "的"]
    filler = ["said", "talks", "in", "of", "trade", "minerals", "agreed", "state", "union", "china", "The"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 25)):
            w = rnd.choice(words) if rnd.random() < 0.6 else rnd.choice(filler)
            if rnd.random() < 0.2:
                w = w[:rnd.randint(1, max(1, len(w)))]  # a prefix of an alias
            if rnd.random() < 0.1:
                w = w.lower()
            parts.append(w + rnd.choice(glue))
        out.append("".join(parts))
    for page in sorted(SAMPLE.rglob("*.htm*"))[:20]:
        out.append(re.sub(r"<[^>]+>", " ", page.read_text("utf-8", errors="replace")))
    return out


def _check(words):
    rx = re.compile(trie_pattern(words))
    tm = TrieMatcher(words)
    assert tm.literal, "the lists hold words starting with a lower-case letter or a digit"
    assert len(tm.rxs) == 2, "capital and CJK first characters, in two regexes"
    texts = _texts(words)
    # and without CJK: the CJK regex finds nothing, the other all
    for text in texts + [re.sub("[\u3000-\U0010ffff]", "", text) for text in texts]:
        assert tm.finditer(text) == [m.span() for m in rx.finditer(text)], text
        assert [sp for sp in tm.every_start(text) if sp[1] > sp[0]] == _every_start(rx, text), text


def test_gazetteer_aliases_match_as_one_regex():
    _check(list(gazetteer.surfaces()))


def test_catalogue_names_match_as_one_regex():
    m = catalogue.matcher()
    _check(list(m["exact"]) + list(m["context"]))


def test_small_lists():
    for words in (["the Union", "the", "The Union", "Union"], ["ab", "abc", "b", "bc", "B"], ["x"], ["X"],
                  ["中国", "中", "China", "the Union", "中国China"], ["中国", "国"]):
        rx = re.compile(trie_pattern(words))
        tm = TrieMatcher(words)
        for text in ("the Union of the Unions", "abcabc bc B abx", "xXxX", "", "theUnion The Union",
                     "中国China中国 the Union中国国", "China中"):
            assert tm.finditer(text) == [m.span() for m in rx.finditer(text)]
            assert tm.every_start(text) == _every_start(rx, text)


def test_folded_names_after_a_letter_are_not_tried():
    "The folded-name regex skips starts inside a word: exactly those find_known's boundary test drops."
    m = catalogue.matcher()
    flex = {" ": r"[\s\-–—]+", "'": "['’]", "-": r"[\s\-–—]*"}
    plain = re.compile(m["folded_rx"].pattern.replace("(?<![a-jl-z0-9])", "", 1))
    assert plain.pattern != m["folded_rx"].pattern and flex
    words = [w for w in m["folded"]]
    for text in _texts(words) + ["\u212aabraham accords", "xabraham accords", "kabraham accords 1abraham accords"]:
        low = text.lower()
        if len(low) != len(text):
            continue
        want = [sp for sp in _every_start(plain, low) if catalogue._bounded(text, *sp)]
        got = [sp for sp in _every_start(m["folded_rx"], low) if catalogue._bounded(text, *sp)]
        assert got == want, text


def test_word_start_finditer_is_the_leading_word_boundary():
    "word_start_finditer(rx) finds what \\b + rx finds, for the initiative finder's capitalised head nouns."
    from newstrace.ingest.countries.gazetteer import word_start_finditer
    from newstrace.ingest.initiatives.discover import _rx

    rx = _rx()["cap_head"]
    bounded = re.compile(r"\b" + rx.pattern)
    heads = re.findall(r"[A-Z][a-z]+", rx.pattern)
    words = [h for h in heads] + ["Trade", "Critical", "Minerals", "the", "new", "Xa"]
    for text in _texts(words) + ["AAgreement Agreement", "Agreements Agreement_x", "_Accord Accord", "ÉAccord"]:
        assert [m.span() for m in word_start_finditer(rx, text)] == [m.span() for m in bounded.finditer(text)], text
    small = re.compile(r"said|sa")
    for text in ("unsaid said, sa-said", "", "saidsaid said"):
        assert [m.span() for m in word_start_finditer(small, text)] == \
            [m.span() for m in re.finditer(r"\b(?:said|sa)", text)]
