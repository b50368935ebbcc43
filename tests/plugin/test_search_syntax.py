"""The search page's syntax on the sample archive: OR, -word, "phrases", the cross-language option with its
expansion shown, filter controls and the one-line help; the parser on its own."""
import re
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.utils.asgi import BadRequest

from newstrace.plugin.query import parse, translate


def matching(db, *patterns, exclude=()):
    "Ids of articles whose title or text matches every pattern and none of `exclude` (case-insensitive)."
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, title || ' ' || text FROM articles").fetchall()
    return sorted(i for i, t in rows if all(re.search(p, t, re.I) for p in patterns)
                  and not any(re.search(p, t, re.I) for p in exclude))


@pytest.fixture(scope="module")
def ds(sample_db):
    return Datasette([str(sample_db)])


async def found(ds, **params):
    r = await ds.client.get("/newstrace/-/search.json", params={**params, "_size": "100"})
    assert r.status_code == 200, r.text
    data = r.json()
    ids = {row["id"] for row in data["rows"]}
    page = 2
    while data.get("next_url") or len(ids) < data["total"]:  # every page
        r = await ds.client.get("/newstrace/-/search.json", params={**params, "page": str(page)})
        data = r.json()
        if not data["rows"]:
            break
        ids |= {row["id"] for row in data["rows"]}
        page += 1
    return sorted(ids)


async def test_or_finds_either(ds, sample_db):
    solberg, halvorsen = matching(sample_db, r"\bSolberg"), matching(sample_db, r"\bHalvorsen")
    assert solberg and halvorsen and not set(solberg) & set(halvorsen)
    assert await found(ds, q="Solberg OR Halvorsen") == sorted(set(solberg) | set(halvorsen))
    # without OR both words must occur
    assert await found(ds, q="Solberg Halvorsen") == []


async def test_minus_leaves_a_word_out(ds, sample_db):
    both = matching(sample_db, r"\brare\b", r"\bVance")
    assert both
    assert await found(ds, q="rare -Vance") == matching(sample_db, r"\brare\b", exclude=[r"\bVance"])
    r = await ds.client.get("/newstrace/-/search", params={"q": "-Vance"})
    assert r.status_code == 400 and "at least one word" in r.text


async def test_phrases_keep_their_words_together(ds, sample_db):
    phrase = await found(ds, q='"price floors"')
    words = await found(ds, q="price floors")
    assert phrase == matching(sample_db, r"\bprices?[- ]floors?\b")  # the index stems: floor, floors
    assert set(phrase) <= set(words)


async def test_cross_language_option_finds_both_and_says_what_it_added(ds, sample_db):
    english, chinese = await found(ds, q="rare earth"), await found(ds, q="稀土")
    assert english and chinese and set(chinese) - set(english)
    both = await found(ds, q="rare earth", translate="on")
    assert set(english) | set(chinese) <= set(both)
    assert set(both) <= set(matching(sample_db, r"rare[- ]earths?|稀土")) | set(english)
    data = (await ds.client.get("/newstrace/-/search.json", params={"q": "rare earth", "translate": "on"})).json()
    assert data["expansions"] == [{"term": "rare earth", "added": ["稀土"]}]
    html = (await ds.client.get("/newstrace/-/search", params={"q": "rare earth", "translate": "on"})).text
    assert "Also searched, from the bilingual lexicon:" in html and "rare earth → 稀土" in html
    back = (await ds.client.get("/newstrace/-/search.json", params={"q": "稀土", "translate": "on"})).json()
    assert back["expansions"][0]["added"][0] == "rare earth"


async def test_filters_are_controls_and_the_help_is_one_line(ds, sample_db):
    html = (await ds.client.get("/newstrace/-/search", params={"q": "rare"})).text
    for name in ("language", "site", "month"):
        assert f'<select name="{name}">' in html
    assert '<input type="checkbox" name="translate"' in html
    assert 'a OR b for either; -word to leave a word out.' in html
    with sqlite3.connect(sample_db) as conn:
        outlet = conn.execute("SELECT sitename FROM articles GROUP BY sitename ORDER BY COUNT(*) DESC").fetchone()[0]
    assert f'<option value="{outlet}">' in html
    chosen = (await ds.client.get("/newstrace/-/search", params={"q": "rare", "site": outlet})).text
    assert f'<option value="{outlet}" selected>' in chosen


def test_parser():
    q = parse('rare earth OR 稀土 "price floor" -Vance')
    assert q.groups == [["rare"], ["earth", "稀土"], ["price floor"]] and q.excluded == ["Vance"]
    assert q.fts() == '("rare" AND ("earth" OR "稀 土") AND "price floor") NOT "Vance"'
    assert parse("OR rare OR").groups == [["OR"], ["rare"], ["OR"]], "a dangling OR is a word"
    assert parse('"unclosed phrase').groups == [["unclosed phrase"]]
    assert parse("").fts() == '""'
    with pytest.raises(BadRequest):
        parse("-only -minus")
    t = translate(parse("rare earth prices"))
    assert t.groups[0][:2] == ["rare earth", "稀土"] and t.expansions[0]["term"] == "rare earth"
