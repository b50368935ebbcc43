"""The maps' colour scale and what the country and initiative pages count: ColorBrewer steps a reader can
tell apart (measured as CIELAB colour distance), the legend in the reader's language, a republished copy's
repeat of an evidence sentence shown once."""
import sqlite3

import pytest
from datasette.app import Datasette

from newstrace.plugin.geo import COLOR_SCHEMES, NO_DATA_COLOR, article_bins


def lab(hex_colour):
    "sRGB hex -> CIELAB (D65)."
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a, b):
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5


@pytest.mark.parametrize("top", [1, 2, 3, 4, 7, 12, 40, 150, 2000, 100000])
def test_neighbouring_classes_are_told_apart(top):
    bins = article_bins(top)
    colours = [c for _, _, c in bins]
    assert colours == list(COLOR_SCHEMES[len(colours)]), "ColorBrewer's own scheme for that many classes"
    for a, b in zip(colours, colours[1:]):
        assert delta_e(a, b) >= 10, (a, b)
    assert delta_e(colours[0], NO_DATA_COLOR) >= 10, "the lightest class is not the grey of 'no data'"
    lows = [low for low, _, _ in bins]
    assert lows == sorted(set(lows)) and lows[0] == 1


async def test_legend_speaks_the_readers_language(sample_db):
    ds = Datasette([str(sample_db)])
    en = (await ds.client.get("/newstrace/-/countries.json?color=articles")).json()
    assert en["scheme"] == "ColorBrewer YlGnBu" and en["labels"]["no_data"] == "no data"
    assert all(item["text"].endswith(("article", "articles")) for item in en["legend"])
    zh = (await ds.client.get("/newstrace/-/countries.json", headers={"Accept-Language": "zh-CN,zh;q=0.9"})).json()
    assert zh["labels"]["role"] == "角色" and any(item["text"] == "东道国" for item in zh["legend"])
    assert [i["label"] for i in zh["legend"]] == [i["label"] for i in
                                                 (await ds.client.get("/newstrace/-/countries.json")).json()["legend"]]


async def test_a_republished_copy_repeats_no_evidence(sample_db):
    ds = Datasette([str(sample_db)])
    with sqlite3.connect(sample_db) as conn:
        copied = conn.execute(
            "SELECT p.country, p.initiative_id FROM participation p JOIN articles a ON a.id = p.article_id "
            "WHERE a.duplicate_of IS NOT NULL LIMIT 1").fetchone()
    if copied is None:
        pytest.skip("no participation row in a republished copy")
    for path in (f"/newstrace/-/countries/{copied[0]}.json", f"/newstrace/-/initiatives/{copied[1]}.json"):
        rows = (await ds.client.get(path)).json()["participation"]
        keys = [(r["initiative_id"] if "initiative_id" in r else None, r["country"] if "country" in r else None,
                 r["role"], r["evidence"]) for r in rows]
        assert len(keys) == len(set(keys)), path
        assert any(r["copies"] for r in rows), path
