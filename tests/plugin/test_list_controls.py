"""The custom lists' controls: column headers that sort (Datasette's ?_sort= / ?_sort_desc=), a page-size
choice (?_size=), the kind filter of the initiatives list, the search page's order links — each keeping the
page's other parameters and going back to page 1."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from datasette.app import Datasette



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
