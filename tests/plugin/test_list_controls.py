"""The custom lists' controls: column headers that sort (Datasette's ?_sort= / ?_sort_desc=), a page-size
choice (?_size=), the kind filter of the initiatives list, the search page's order links — each keeping the
page's other parameters and going back to page 1."""
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from datasette.app import Datasette

from newstrace.plugin import render
from tests.conftest import METADATA

# the lists sort and page with issue 11's helpers (render.read_sort / read_paging); until they are on main the
# headers only link (tested above)
with_list_helpers = pytest.mark.skipif(not hasattr(render, "read_sort"), reason="needs issue 11's render.read_sort")



def links(html, cls):
    return [h.replace("&amp;", "&") for h in re.findall(rf'<a class="{cls}" href="([^"]+)"', html)]


@pytest.fixture(scope="module")
def ds(sample_db):
    return Datasette([str(sample_db)])


@pytest.mark.parametrize("path, columns", [
    ("/newstrace/-/claims", {"claim_text", "claim_type", "speaker", "first_seen", "n_mentions", "n_outlets", "status"}),
    ("/newstrace/-/initiatives", {"name_en", "kind", "participants_named", "participants_claimed", "countries",
                                  "articles", "first_seen"}),
    ("/newstrace/-/countries", {"name", "articles", "top_role"}),
])
async def test_headers_sort_and_a_page_size_is_offered(ds, path, columns):
    html = (await ds.client.get(path, params={"page": "2", "language": "en"})).text
    found = {}
    for href in links(html, "newstrace-sort"):
        args = parse_qs(urlparse(href).query)
        column = (args.get("_sort") or args.get("_sort_desc"))[0]
        found[column] = args
        assert "page" not in args and args["language"] == ["en"], href
    assert set(found) == columns
    assert '<select name="_size"' in html
    # a sorted column says so and its header turns the order round
    sorted_html = (await ds.client.get(path, params={"_sort": sorted(columns)[0]})).text
    assert 'aria-sort="ascending"' in sorted_html
    assert f'_sort_desc={sorted(columns)[0]}' in sorted_html


async def test_search_orders_and_initiative_kinds(ds):
    html = (await ds.client.get("/newstrace/-/search", params={"q": "rare", "site": "Capitol Wire"})).text
    order = re.search(r'<p class="newstrace-sort-links">(.*?)</p>', html, re.S).group(1).replace("&amp;", "&")
    assert "_sort_desc=published" in order and "_sort=published" in order and "_sort=sitename" in order
    assert order.count("site=Capitol+Wire") == 5, "every order keeps the filters"
    listing = (await ds.client.get("/newstrace/-/initiatives")).text
    assert '<select name="kind">' in listing
    kinds = re.findall(r'<option value="([^"]+)">', listing.split('<select name="kind">')[1].split("</select>")[0])
    assert kinds and kinds == sorted(kinds)
    narrowed = (await ds.client.get("/newstrace/-/initiatives.json", params={"kind": kinds[0]})).json()
    assert narrowed["rows"] and {r["kind"] for r in narrowed["rows"]} == {kinds[0]}


def sort_key(value):
    # as render.Sort.apply: numbers before text, text without case; missing values last either way
    return (0, value) if isinstance(value, (int, float)) else (1, str(value).lower())


# the claims list sorts in SQL (SQLite's binary order, NULLs first ascending); the initiatives and countries lists
# sort a list in memory (render.Sort.apply: text without case, missing values last)
IN_SQL = {"/newstrace/-/claims"}


@with_list_helpers
@pytest.mark.parametrize("path", ["/newstrace/-/claims", "/newstrace/-/initiatives", "/newstrace/-/countries"])
async def test_every_sortable_header_sorts_the_rows(ds, path):
    "Each header's column, followed both ways, gives the rows in that column's order (.json of the same URL)."
    html = (await ds.client.get(path)).text
    columns = {(parse_qs(urlparse(h).query).get("_sort") or parse_qs(urlparse(h).query).get("_sort_desc"))[0]
               for h in links(html, "newstrace-sort")}
    assert columns
    key = (lambda v: v) if path in IN_SQL else sort_key
    varied = 0
    for column in sorted(columns):
        for arg, desc in (("_sort", False), ("_sort_desc", True)):
            rows = (await ds.client.get(path + ".json", params={arg: column, "_size": "max"})).json()["rows"]
            values = [r[column] for r in rows if r.get(column) is not None]
            assert values, (path, column)
            varied += len(set(map(str, values))) > 1
            assert values == sorted(values, key=key, reverse=desc), (path, arg, column)
            if path not in IN_SQL:
                present = [r.get(column) is not None for r in rows]
                assert present == sorted(present, reverse=True), (path, arg, column)
    assert varied >= len(columns), "most columns have values to order (each counted once per direction)"


@with_list_helpers
async def test_search_orders_sort_the_results(ds):
    for params, column, desc in (({"_sort_desc": "published"}, "published", True), ({"_sort": "published"}, "published", False),
                                 ({"_sort": "title"}, "title", False), ({"_sort": "sitename"}, "sitename", False)):
        rows = (await ds.client.get("/newstrace/-/search.json", params={"q": "rare", **params})).json()["rows"]
        values = [r[column] for r in rows if r[column] is not None]
        assert len(values) > 1 and values == sorted(values, key=sort_key, reverse=desc), params
    ranked = (await ds.client.get("/newstrace/-/search.json", params={"q": "rare"})).json()["rows"]
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked), "best match first by default"


@with_list_helpers
@pytest.mark.parametrize("path, args", [("/newstrace/-/claims", {}), ("/newstrace/-/initiatives", {}),
                                        ("/newstrace/-/search", {"q": "rare"})])
async def test_the_page_size_choice_is_honoured_and_shown(ds, path, args):
    html = (await ds.client.get(path, params={**args, "_size": "20"})).text
    choice = html.split('<select name="_size"')[1].split("</select>")[0]
    assert re.search(r'<option value="20" selected>', choice)
    data = (await ds.client.get(path + ".json", params={**args, "_size": "3"})).json()
    assert len(data["rows"]) == 3 and data["page_size"] == 3
    if "initiatives" not in path:  # (the initiatives list: once issue 10's version of its template lands)
        # without _size the page's own size is the one shown
        default = (await ds.client.get(path, params=args)).text.split('<select name="_size"')[1].split("</select>")[0]
        assert default.count(" selected") == 1


async def test_the_articles_facets_list_the_tables_facet_size(sample_db):
    """metadata.json's facet_size (10) on the articles table holds for the plugin's facets on Datasette 1.0 too
    (1.0 reads facet_size only from its configuration): a page of 50 articles stays a few screens."""
    ds = Datasette([str(sample_db)], metadata=json.loads(Path(METADATA).read_text(encoding="utf-8")))
    data = (await ds.client.get("/newstrace/articles.json", params={"_extra": "facet_results"})).json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # 1.0: {"results": {...}, "timed_out": [...]}
    assert facets
    longest = max(len(f["results"]) for f in facets.values())
    assert longest == 10, "the sample archive has more than 10 values of some facet, shown 10 at a time"
    assert any(f["truncated"] for f in facets.values())
    more = (await ds.client.get("/newstrace/articles.json", params={"_extra": "facet_results", "_facet_size": "20"})).json()
    more = more["facet_results"].get("results", more["facet_results"])
    assert max(len(f["results"]) for f in more.values()) > 10, "?_facet_size= still asks for more"
