"""The article page on real archives built by the real CLI from the sample corpus: every claim sentence, hedge
and country mention marked and linked, participation beside its paragraph, versions with a word diff, raw
snapshots only as downloads, the claims shared with other articles, cells of Datasette's own tables."""
import csv
import io
import json
import re
import sqlite3
import zlib

import httpx
import pytest
from datasette.app import Datasette
from markupsafe import escape

from newstrace.ingest.sample import sample_pages, serve_sample
from tests.conftest import run_cli

PAYLOAD = next(p for p in sample_pages() if "xss_payload" in p.get("features", []))
CHANGING = next(p for p in sample_pages() if p.get("versions"))


def rows(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def article_id(db, path):
    return rows(db, "SELECT id FROM articles WHERE url LIKE ?", ["%" + path])[0]["id"]


@pytest.fixture(scope="module")
def ds(sample_db):
    return Datasette([str(sample_db)])


@pytest.fixture(scope="module")
def versioned_db(tmp_path_factory):
    "The changing page archived twice: version 1, then (after the page changed) version 2."
    path = tmp_path_factory.mktemp("versions") / "newstrace.db"
    with serve_sample() as server:
        url = server.url(CHANGING["path"])
        first = run_cli("ingest", path, url, "--allow-private", "--delay", "0", "--quiet")
        assert first.returncode == 0, first.stderr
        server.bump(CHANGING["path"])
        second = run_cli("ingest", path, url, "--allow-private", "--delay", "0", "--quiet", "--refetch")
        assert second.returncode == 0, second.stderr
    return path


async def test_every_claim_sentence_and_country_mention_is_marked(ds, sample_db):
    checked = 0
    for a in rows(sample_db, "SELECT id FROM articles"):
        mentions = rows(sample_db, "SELECT id, claim_id, hedge_text FROM claim_mentions WHERE article_id = ?", [a["id"]])
        countries = rows(sample_db, "SELECT id, country FROM country_mentions WHERE article_id = ?", [a["id"]])
        r = await ds.client.get(f"/newstrace/-/articles/{a['id']}")
        assert r.status_code == 200
        html = r.text
        for m in mentions:
            assert f'id="mention-{m["id"]}"' in html
            assert f'<a class="newstrace-claim-badge" href="/newstrace/-/claims/{m["claim_id"]}"' in html
        for c in countries:
            assert re.search(rf'<a class="newstrace-country" id="country-mention-{c["id"]}" data-country="{c["country"]}" '
                             rf'href="/newstrace/-/countries/{c["country"]}"', html), c
        hedged = [m for m in mentions if m["hedge_text"]]
        assert html.count('<mark class="newstrace-hedge"') >= len({m["hedge_text"] for m in hedged})
        checked += len(mentions) + len(countries)
    assert checked > 100


async def test_article_page_facts_and_participation(ds, sample_db):
    aid = article_id(sample_db, "/capitolwire/vance-trade-zone.html")
    html = (await ds.client.get(f"/newstrace/-/articles/{aid}")).text
    assert "Capitol Wire" in html and "Marcus Bell" in html
    assert '<time datetime="2026-02-05T09:00:00+00:00"' in html and "5 Feb 2026, 09:00 UTC" in html
    assert 'href="https://capitolwire.example/2026/02/05/vance-urges-allies-into-minerals-trade-zone"' in html
    # South Korea chairs FORGE: the row sits beside the sentence it was read from, linked both ways
    [chair] = rows(sample_db, "SELECT id FROM participation WHERE article_id = ? AND role = 'chair'", [aid])
    note = re.search(r'<aside class="newstrace-participation-note">.*?</aside>', html[html.index("FORGE is chaired"):], re.S)
    assert note and f'id="participation-{chair["id"]}"' in note.group(0) and "/-/initiatives/forge" in note.group(0)
    assert "Claims shared with other articles" in html


async def test_article_json_and_csv(ds, sample_db):
    aid = article_id(sample_db, "/capitolwire/vance-trade-zone.html")
    data = (await ds.client.get(f"/newstrace/-/articles/{aid}.json")).json()
    assert data["article"]["id"] == aid and data["article"]["sitename"] == "Capitol Wire"
    n = rows(sample_db, "SELECT COUNT(*) AS n FROM claim_mentions WHERE article_id = ?", [aid])[0]["n"]
    assert len(data["claim_mentions"]) == n > 0
    assert all(m["claim_url"].startswith("/newstrace/-/claims/") for m in data["claim_mentions"])
    shared = data["shared_claims"]
    assert shared and all(c["n_articles"] > 1 and c["others"] for c in shared)
    assert all(o["id"] != aid for c in shared for o in c["others"])
    assert data["snapshots"] and data["snapshots"][0]["download_url"].endswith(f"/snapshots/{data['snapshots'][0]['id']}")
    csv_text = (await ds.client.get(f"/newstrace/-/articles/{aid}.csv")).text
    assert csv_text.splitlines()[0] == "kind,char_start,char_end,text,claim_id,country,status,speaker,url,segment"
    assert sum(1 for line in csv_text.splitlines() if line.startswith("claim,")) == n


async def test_syndicated_copy_names_its_original(ds, sample_db):
    copy = article_id(sample_db, "/pactrade/project-vault-loan.html")
    original = article_id(sample_db, "/meridian/exim-project-vault-loan.html")
    html = (await ds.client.get(f"/newstrace/-/articles/{copy}")).text
    assert "A republished copy of" in html and f'href="/newstrace/-/articles/{original}"' in html
    data = (await ds.client.get(f"/newstrace/-/articles/{original}.json")).json()
    assert [c["id"] for c in data["copies"]] == [copy]


async def test_payload_text_is_shown_as_text(ds, sample_db):
    aid = article_id(sample_db, PAYLOAD["path"])
    html = (await ds.client.get(f"/newstrace/-/articles/{aid}")).text
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(document.cookie)&gt;", "")
    assert "alert(&#34;gazette&#34;)" in html or "alert(&quot;gazette&quot;)" in html


async def test_raw_snapshot_is_a_download_that_cannot_render(ds, sample_db):
    aid = article_id(sample_db, PAYLOAD["path"])
    [snap] = rows(sample_db, "SELECT id, body FROM snapshots WHERE article_id = ?", [aid])
    r = await ds.client.get(f"/newstrace/-/articles/{aid}/snapshots/{snap['id']}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("sandbox")
    assert r.content == zlib.decompress(snap["body"])
    assert b"<script>window.__newstrace_xss" in r.content, "the raw bytes are kept as fetched"
    # another article's snapshot id under this article: not found
    other = rows(sample_db, "SELECT id FROM snapshots WHERE article_id != ? LIMIT 1", [aid])[0]["id"]
    assert (await ds.client.get(f"/newstrace/-/articles/{aid}/snapshots/{other}")).status_code == 404


@pytest.fixture(scope="module")
def headline_db(sample_db, tmp_path_factory):
    """The sample archive with a headline's claim as issue 9's extractor writes it: segment 'title', offsets into
    the article's title."""
    path = tmp_path_factory.mktemp("headline") / "newstrace.db"
    with sqlite3.connect(sample_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    with sqlite3.connect(path) as conn:
        aid, title = conn.execute("SELECT id, title FROM articles WHERE title IS NOT NULL AND length(title) > 20 "
                                  "ORDER BY id LIMIT 1").fetchone()
        claim = conn.execute("SELECT id FROM claims ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO claim_mentions (article_id, segment, sentence, char_start, char_end, claim_id, "
                     "claim_type, verification_status, attribution_mode) VALUES (?, 'title', ?, 0, ?, ?, 'statement', "
                     "'none', 'asserted')", [aid, title, len(title), claim])
        mid = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
    return path, aid, mid, claim, title


async def test_a_headline_claim_is_marked_on_the_title(headline_db):
    path, aid, mid, claim, title = headline_db
    ds = Datasette([str(path)])
    html = (await ds.client.get(f"/newstrace/-/articles/{aid}")).text
    h1 = re.search(r'<h1 class="newstrace-article-title">(.*?)</h1>', html, re.S).group(1)
    assert f'id="mention-{mid}"' in h1 and f'href="/newstrace/-/claims/{claim}"' in h1
    assert re.sub(r"<[^>]+>", "", h1).startswith(str(escape(title)))
    assert html.count(f'id="mention-{mid}"') == 1, "marked once, on the title, not at those offsets of the text"
    csv_rows = list(csv.DictReader(io.StringIO((await ds.client.get(f"/newstrace/-/articles/{aid}.csv")).text)))
    [row] = [r for r in csv_rows if r["kind"] == "claim" and r["segment"] == "title"]
    assert row["text"] == title and row["char_end"] == str(len(title))
    assert {r["segment"] for r in csv_rows if r is not row} <= {"text"}


async def test_unknown_article_and_bad_parameters(ds):
    assert (await ds.client.get("/newstrace/-/articles/999999")).status_code == 404
    # past SQLite's integers: a bad parameter, like a claim id (one 400 with a message for every one)
    assert (await ds.client.get("/newstrace/-/articles/99999999999999999999999")).status_code == 400
    assert (await ds.client.get("/newstrace/-/articles/1?from=abc")).status_code == 400
    assert (await ds.client.get("/newstrace/-/articles/1?from=7")).status_code == 400


async def test_versions_and_word_diff(versioned_db):
    ds = Datasette([str(versioned_db)])
    [a] = rows(versioned_db, "SELECT id, version FROM articles")
    assert a["version"] == 2
    html = (await ds.client.get(f"/newstrace/-/articles/{a['id']}")).text
    assert "Version 1 → version 2" in html
    assert "<ins>" in html and "<del>" in html or "<ins>" in html
    data = (await ds.client.get(f"/newstrace/-/articles/{a['id']}.json")).json()
    assert [v["version"] for v in data["versions"]] == [1, 2]
    diff = data["diff"]
    assert diff["from"] == 1 and diff["to"] == 2 and diff["added"] > 0
    old = rows(versioned_db, "SELECT text FROM article_versions WHERE article_id = ?", [a["id"]])[0]["text"]
    new = rows(versioned_db, "SELECT text FROM articles")[0]["text"]
    # the runs rebuild both texts exactly
    assert "".join(r["text"] for r in diff["runs"] if r["op"] != "ins") == old
    assert "".join(r["text"] for r in diff["runs"] if r["op"] != "del") == new
    same = (await ds.client.get(f"/newstrace/-/articles/{a['id']}.json?from=2&to=2")).json()["diff"]
    assert same["added"] == same["removed"] == 0
    # the version's row in Datasette's table links to this comparison
    table = (await ds.client.get("/newstrace/article_versions")).text
    assert f'href="/newstrace/-/articles/{a["id"]}?from=1#versions"' in table


async def test_table_and_row_pages_show_an_excerpt_linking_to_the_article(ds, sample_db):
    html = (await ds.client.get("/newstrace/articles?_size=50")).text
    ids = [r["id"] for r in rows(sample_db, "SELECT id FROM articles")]
    for i in ids:
        assert f'<a class="newstrace-read" href="/newstrace/-/articles/{i}">' in html
    longest = max(rows(sample_db, "SELECT text FROM articles"), key=lambda r: len(r["text"]))["text"]
    assert longest[-200:] not in html, "no cell prints a whole text"
    searched = (await ds.client.get("/newstrace/articles", params={"_search": "Solberg"})).text
    assert "<mark>Solberg</mark>" in searched, "a searched page shows the passage that matched"
    row = (await ds.client.get(f"/newstrace/articles/{ids[0]}")).text
    assert f'href="/newstrace/-/articles/{ids[0]}"' in row


async def test_search_claims_and_countries_link_to_the_article_page(ds, sample_db):
    search = (await ds.client.get("/newstrace/-/search", params={"q": "Solberg"})).text
    aid = article_id(sample_db, PAYLOAD["path"])
    assert f'href="/newstrace/-/articles/{aid}"' in search
    claim = rows(sample_db, "SELECT claim_id, article_id FROM claim_mentions LIMIT 1")[0]
    html = (await ds.client.get(f"/newstrace/-/claims/{claim['claim_id']}")).text
    assert f'/newstrace/-/articles/{claim["article_id"]}' in html
    country = (await ds.client.get("/newstrace/-/countries/KR")).text
    assert "/newstrace/-/articles/" in country


def test_snapshot_download_never_runs_script_in_chromium(page, datasette_url, sample_db):
    "The payload page's raw snapshot, clicked on the article page, downloads; nothing of it runs here."
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    aid = article_id(sample_db, PAYLOAD["path"])
    page.goto(f"{datasette_url}/newstrace/-/articles/{aid}")
    with page.expect_download() as info:
        page.click("a.newstrace-download")
    download = info.value
    body = open(download.path(), "rb").read()
    assert b"__newstrace_xss" in body
    # opening the snapshot's URL directly downloads it too, instead of showing it
    url = page.locator("a.newstrace-download").first.get_attribute("href")
    with page.expect_download():
        try:
            page.goto(datasette_url + url)
        except Exception as err:  # Chromium reports a navigation that became a download as an error
            assert "Download is starting" in str(err)
    assert page.evaluate("() => window.__newstrace_xss") is None
    assert dialogs == [] and page.errors == []
    assert "XSS" not in page.title()
    r = httpx.get(datasette_url + url)
    assert r.headers["content-disposition"].startswith("attachment")
    assert json.loads(httpx.get(f"{datasette_url}/newstrace/-/articles/{aid}.json").text)["article"]["id"] == aid
