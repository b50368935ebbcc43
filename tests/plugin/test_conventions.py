"""Datasette's JSON and CSV conventions on every custom page (`_shape`, `_size`, `_nl`, `_dl`, `_stream`,
`_header`, `_sort`, `next_url`, absolute links, CORS), one 400 with a message for every bad parameter, and
every link of every page answering 200 under a `base_url`."""
import csv
import io
import json
import re
import sqlite3
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from datasette.app import Datasette

from tests.conftest import METADATA, serve_datasette
from tests.plugin.routes import examples


@pytest.fixture(scope="module")
def ids(sample_db):
    with sqlite3.connect(sample_db) as conn:
        return {
            "claim": conn.execute("SELECT id FROM claims ORDER BY n_mentions DESC LIMIT 1").fetchone()[0],
            "initiative": conn.execute("SELECT initiative_id FROM participation GROUP BY 1 ORDER BY COUNT(*) DESC "
                                       "LIMIT 1").fetchone()[0],
            "claims": conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0],
            "initiatives": conn.execute("SELECT COUNT(*) FROM initiatives").fetchone()[0],
        }


@pytest.fixture
def ds(sample_db):
    return Datasette([str(sample_db)], settings={"max_returned_rows": 40})


def pages(ids):
    "(path, list key in the default JSON, whether it pages) for every custom list page."
    return [
        ("/newstrace/-/search", "rows", {"q": "rare"}),
        ("/newstrace/-/claims", "rows", {}),
        (f"/newstrace/-/claims/{ids['claim']}", "mentions", {}),
        ("/newstrace/-/countries", "rows", {}),
        ("/newstrace/-/countries/US", "participation", {}),
        ("/newstrace/-/initiatives", "rows", {}),
        (f"/newstrace/-/initiatives/{ids['initiative']}", "participation", {}),
    ]


def page_params(ids):
    return pytest.mark.parametrize("path,key,params", pages(ids), ids=lambda v: v if isinstance(v, str) else "")


async def each_page(ds, ids, check):
    for path, key, params in pages(ids):
        await check(path, key, params)


async def test_shapes(ds, ids):
    async def check(path, key, params):
        default = (await ds.client.get(path + ".json", params=params)).json()
        rows = default[key]
        assert rows, path
        assert default["ok"] is True and "next_url" in default
        assert (await ds.client.get(path + ".json", params={**params, "_shape": "objects"})).json()[key] == rows
        array = (await ds.client.get(path + ".json", params={**params, "_shape": "array"})).json()
        assert isinstance(array, list) and [r.get("id", r.get("code")) for r in array] == \
            [r.get("id", r.get("code")) for r in rows[:len(array)]]
        arrays = (await ds.client.get(path + ".json", params={**params, "_shape": "arrays"})).json()
        assert arrays["columns"] and all(isinstance(r, list) and len(r) == len(arrays["columns"])
                                         for r in arrays["rows"])
        keyed = (await ds.client.get(path + ".json", params={**params, "_shape": "object"})).json()
        assert isinstance(keyed, dict) and len(keyed) == len(array)
        nl = await ds.client.get(path + ".json", params={**params, "_shape": "array", "_nl": "on"})
        assert [json.loads(line) for line in nl.text.splitlines()] == array
        bad = await ds.client.get(path + ".json", params={**params, "_shape": "nonsense"})
        assert bad.status_code == 400 and "_shape" in bad.json()["error"]
    await each_page(ds, ids, check)


async def test_size_and_next_url(ds, ids):
    async def check(path, key, params):
        one = (await ds.client.get(path + ".json", params={**params, "_size": "1"})).json()
        everything = (await ds.client.get(path + ".json", params={**params, "_size": "max"})).json()
        assert one["page_size"] == 1 and everything["page_size"] == 40
        by_article = path.endswith(("/countries/US", ids["initiative"]))
        # (the country and initiative pages page their evidence by article: one article, several rows)
        assert by_article or len(one[key]) <= 1
        if by_article:
            assert len({r["article_id"] for r in one[key]}) == 1 and one["next_url"]
            return
        if len(everything[key]) > 1:
            assert one["next"] == "2" and one["next_url"].startswith("http://localhost" + path + ".json?")
            second = (await ds.client.get(one["next_url"].replace("http://localhost", ""))).json()
            assert second[key] and second[key][0] == everything[key][1]
        for bad in ("0", "-1", "abc", "41", "99999999999999999999"):
            r = await ds.client.get(path + ".json", params={**params, "_size": bad})
            assert r.status_code == 400 and "_size" in r.json()["error"], (path, bad)
    await each_page(ds, ids, check)


async def test_csv_dl_header_stream(ds, ids, sample_db):
    async def check(path, key, params):
        plain = await ds.client.get(path + ".csv", params=params)
        assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/plain")
        assert "content-disposition" not in plain.headers
        download = await ds.client.get(path + ".csv", params={**params, "_dl": "1"})
        assert download.headers["content-type"].startswith("text/csv")
        assert download.headers["content-disposition"].startswith("attachment; filename=")
        assert download.text == plain.text
        rows = list(csv.reader(io.StringIO(plain.text)))
        headless = list(csv.reader(io.StringIO((await ds.client.get(path + ".csv", params={
            **params, "_header": "off"})).text)))
        assert headless == rows[1:]
        for row in rows[1:]:  # no JSON in cells, no relative links
            assert not any(cell.startswith(("[", "{")) for cell in row), row
            assert not any(cell.startswith("/") for cell in row), row
    await each_page(ds, ids, check)
    # _stream=on: every row, past the page size and past max_returned_rows
    small = Datasette([str(sample_db)], settings={"max_returned_rows": 10})
    page = list(csv.DictReader(io.StringIO((await small.client.get("/newstrace/-/claims.csv")).text)))
    streamed = list(csv.DictReader(io.StringIO((await small.client.get("/newstrace/-/claims.csv?_stream=on")).text)))
    assert len(page) == 10 and len(streamed) == ids["claims"] > 10
    assert len({r["id"] for r in streamed}) == ids["claims"]
    assert all(r["url"].startswith("http://localhost/newstrace/-/claims/") for r in streamed)
    nostream = Datasette([str(sample_db)], settings={"allow_csv_stream": False})
    r = await nostream.client.get("/newstrace/-/claims.csv?_stream=on")
    assert r.status_code == 400 and "stream" in r.text


async def test_sort_like_datasette(ds, ids):
    by_outlets = (await ds.client.get("/newstrace/-/claims.json", params={"_sort_desc": "n_outlets",
                                                                           "_size": "max"})).json()["rows"]
    counts = [r["n_outlets"] for r in by_outlets]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    by_first = (await ds.client.get("/newstrace/-/claims.json", params={"_sort": "first_seen"})).json()["rows"]
    dates = [r["first_seen"] for r in by_first if r["first_seen"]]
    assert dates == sorted(dates)
    names = (await ds.client.get("/newstrace/-/initiatives.json", params={"_sort": "id"})).json()["rows"]
    assert [r["id"] for r in names] == sorted(r["id"] for r in names)
    countries = (await ds.client.get("/newstrace/-/countries.json", params={"_sort": "name"})).json()["rows"]
    assert [r["name"].lower() for r in countries] == sorted(r["name"].lower() for r in countries)
    search = (await ds.client.get("/newstrace/-/search.json", params={"q": "rare", "_sort_desc": "published"})).json()
    published = [r["published"] for r in search["rows"] if r["published"]]
    assert published == sorted(published, reverse=True)
    for params in ({"_sort": "nonsense"}, {"_sort": "n_mentions", "_sort_desc": "n_mentions"}):
        r = await ds.client.get("/newstrace/-/claims.json", params=params)
        assert r.status_code == 400 and r.json()["error"]


BAD = [
    ("/newstrace/-/claims", {"page": str(2 ** 63)}),
    ("/newstrace/-/claims", {"page": "abc"}),
    ("/newstrace/-/claims", {"page": "0"}),
    ("/newstrace/-/search", {"q": "rare", "page": "abc"}),
    ("/newstrace/-/search", {"q": "rare", "page": str(2 ** 63)}),
    ("/newstrace/-/search", {"q": "ra\x00re"}),
    ("/newstrace/-/claims", {"q": "ra\x00re"}),
    ("/newstrace/-/claims", {"article": "x"}),
    ("/newstrace/-/claims/{claim}", {"page": "abc"}),
    (f"/newstrace/-/claims/{2 ** 63}", {}),
    (f"/newstrace/-/claims/{10 ** 30}", {}),
    ("/newstrace/-/countries", {"from": "9999-12-31"}),
    ("/newstrace/-/countries", {"to": "9999-12-31"}),
    ("/newstrace/-/countries", {"color": "purple"}),
    ("/newstrace/-/countries", {"role": "emperor"}),
    ("/newstrace/-/countries/US", {"page": "abc"}),
    ("/newstrace/-/countries/US", {"page": str(2 ** 63)}),
    ("/newstrace/-/countries/US", {"to": "9999-12-31"}),
    ("/newstrace/-/initiatives", {"from": "2026-13"}),
    ("/newstrace/-/initiatives", {"_sort": "nonsense"}),
    ("/newstrace/-/initiatives/{initiative}", {"page": "abc"}),
    ("/newstrace/-/initiatives/{initiative}", {"to": "9999-12-31"}),
    ("/newstrace/-/search", {"q": "-rare"}),
    ("/newstrace/-/search", {"q": "rare", "language": "e\x00n"}),
    ("/newstrace/-/search", {"q": "rare", "_size": "abc"}),
    ("/newstrace/-/articles/1", {"from": "abc"}),
    (f"/newstrace/-/articles/{2 ** 63}", {}),
]


@pytest.mark.parametrize("path,params", BAD, ids=[f"{p} {q}" for p, q in BAD])
@pytest.mark.parametrize("fmt", ["", ".json", ".csv"])
async def test_bad_parameters_are_a_400_with_a_message(ds, ids, path, params, fmt):
    r = await ds.client.get(path.format(**ids) + fmt, params=params)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    if fmt == ".json":
        assert r.json()["ok"] is False and r.json()["error"]
    else:  # Datasette's error page (0.65), or the message as text (1.0 for .csv)
        assert r.text.strip()


# parameters every page either ignores or refuses with a 400 (never a 500)
ODD = [{"page": "abc"}, {"page": str(2 ** 63)}, {"_size": "abc"}, {"_size": str(10 ** 30)}, {"_sort": "nonsense"},
       {"_sort_desc": "nonsense"}, {"_shape": "nonsense"}, {"_stream": "on", "_dl": "on"}, {"q": "ra\x00re"},
       {"from": "9999-12-31"}, {"to": "2026-13"}]


async def test_odd_parameters_on_every_route_are_never_a_500(ds, sample_db):
    "Every route the plugin registers (tests/plugin/routes.py), in every format: a page or a 400 with a message."
    refused = 0
    for e in examples(sample_db):
        for params in ODD:
            r = await ds.client.get(e.url, params=params)
            assert r.status_code in (200, 400), (e.url, params, r.status_code, r.text[:300])
            if r.status_code == 400:
                refused += 1
                assert r.text.strip(), (e.url, params)
                if e.fmt == "json":
                    assert r.json()["ok"] is False and r.json()["error"], (e.url, params)
    assert refused  # the test can fail: some of these are refused


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            return  # Datasette 0.65's own index page doubles base_url in it (core, not the plugin)
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[name])


def links_of(html):
    parser = Links()
    parser.feed(html)
    return parser.links


def test_every_link_answers_under_base_url(sample_db):
    """A real server under base_url /prefix/, crawled from its index: every link of ours and Datasette's
    starts with /prefix/ and answers 200 (facet links included: the prefix is never doubled)."""
    with serve_datasette(sample_db, "-m", METADATA, "--setting", "base_url", "/prefix/",
                         "--setting", "facet_time_limit_ms", "1500") as url:
        with sqlite3.connect(sample_db) as conn:
            claim = conn.execute("SELECT id FROM claims ORDER BY n_mentions DESC LIMIT 1").fetchone()[0]
        start = ["/prefix/", "/prefix/newstrace", "/prefix/newstrace/articles", "/prefix/newstrace/claims",
                 f"/prefix/newstrace/-/claims/{claim}", "/prefix/newstrace/-/search?q=rare"]
        queue, seen, checked, core = list(start), set(), 0, set()
        shapes = set()
        while queue and checked < 400:
            path = queue.pop(0)
            # one visit per path and set of parameter names: facet values differ, links do not
            parts = urlsplit(path)
            shape = (parts.path, tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k)))
            if shape in shapes:
                continue
            shapes.add(shape)
            r = httpx.get(url + path, follow_redirects=True, timeout=30)
            checked += 1
            assert r.status_code == 200, (path, r.status_code, r.text[:200])
            if not r.headers.get("content-type", "").startswith("text/html"):
                continue
            for link in links_of(r.text):
                absolute = urljoin(url + path, link)
                if not absolute.startswith(url):
                    continue  # another site (an article's source)
                target = absolute[len(url):].split("#")[0]
                assert target.startswith("/prefix/"), (path, link)
                if target.startswith("/prefix/prefix/") and "/-/" not in path:
                    core.add(target)  # Datasette's own table page doubles it in some export links
                    continue
                assert not target.startswith("/prefix/prefix/"), (path, link)
                if target not in seen and ".csv" not in target and "_stream" not in target:
                    seen.add(target)
                    queue.append(target)
        print(f"{len(core)} links of Datasette's own pages double base_url (core, not the plugin)")
        custom = {s[0] for s in shapes if "/-/" in s[0]}
        for page in ("search", "claims", "countries", "initiatives", "overview"):
            assert f"/prefix/newstrace/-/{page}" in custom, custom
        assert any(p.startswith("/prefix/newstrace/-/articles/") for p in custom)
        assert any(p.startswith("/prefix/newstrace/-/countries/") for p in custom)
        assert any(p.startswith("/prefix/newstrace/-/initiatives/") for p in custom)
        # the facet links of the articles page
        data = httpx.get(url + "/prefix/newstrace/articles.json?_extra=facet_results").json()
        facets = data["facet_results"]
        facets = facets["results"] if "timed_out" in facets and isinstance(facets.get("results"), dict) else facets
        toggles = [v["toggle_url"] for f in facets.values() for v in f["results"]]
        assert toggles and all(re.match(re.escape(url) + r"/prefix/newstrace/articles", t) for t in toggles)
        for toggle in toggles[:5]:
            assert httpx.get(toggle).status_code == 200


def test_cors_on_every_custom_page(sample_db, ids):
    "Every export of every registered route (tests/plugin/routes.py) sends CORS headers under --cors."
    exports = [e for e in examples(sample_db) if e.fmt or not e.database]  # the world map's boundaries too
    assert {"json", "csv", "geojson", "jsonld"} <= {e.fmt for e in exports}
    with serve_datasette(sample_db, "--cors") as url:
        for e in exports:
            r = httpx.get(url + e.url, timeout=60)
            assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*", e.url
    with serve_datasette(sample_db) as url:
        assert "access-control-allow-origin" not in httpx.get(url + "/newstrace/-/claims.json").headers
