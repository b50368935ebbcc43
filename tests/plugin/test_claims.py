"""The claim pages on a real Datasette over a real traced archive: HTML, .json, .csv, .jsonld, redirects of
merged ids, 404s, escaping, the claims list and the links from tables and article pages."""
import csv
import io
import re

import pytest
from datasette.app import Datasette

from newstrace.ingest import store
from newstrace.ingest.claims import trace
from tests.ingest.claims.test_trace import (BRIDGE_A, BRIDGE_B, BRIDGE_C, FIXTURE, HARBOR_1, add_article, build_archive,
                                            claim_of)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "news.db"
    db, ids = build_archive(path)
    claims = {key: claim_of(db, ids, key) for key in ("share_en", "floors_en", "shoppers", "refineries", "bloc_en")}
    db.conn.close()
    return path, ids, claims


@pytest.fixture
def ds(archive):
    return Datasette([str(archive[0])])


async def test_claim_page_html(ds, archive):
    _, ids, claims = archive
    r = await ds.client.get(f"/news/-/claims/{claims['share_en']}")
    assert r.status_code == 200
    html = r.text
    assert html.count('class="newstrace-mark ') == 6  # one mark per mention
    lanes = re.findall(r'<g class="newstrace-lane">', html)
    assert len(lanes) == 5  # Harbor Ledger, Valley Tribune, 东方日报, Metro Daily, Coastal Wire
    assert "newstrace-status-confirmed" in html and "newstrace-mode-anonymous" in html
    assert 'class="newstrace-chain"' in html
    for node in ("Ana Ruiz", "Harbor Ledger", "Valley Tribune", "港湾纪事报", "东方日报"):
        assert f'data-name="{node}"' in html
    assert html.count('class="newstrace-edge"') == 4
    # the hedge sits in the sentence after the Tribune's mention: shown and marked there
    assert '<mark class="newstrace-hedge">Those figures were not independently confirmed</mark>' in html
    assert 'id="variants"' in html and "60%" in html
    assert "First appearance" in html and "Harbor Ledger story" in html
    assert "newstrace_claim.js" in html and "newstrace_claim.css" in html
    assert "mentions disagree" in html


async def test_claim_json_csv(ds, archive):
    _, ids, claims = archive
    data = (await ds.client.get(f"/news/-/claims/{claims['share_en']}.json")).json()
    assert data["claim"]["id"] == claims["share_en"]
    assert data["claim"]["languages"] == ["en", "zh"]
    assert data["first_appearance"]["article_id"] == ids["harbor1"]
    assert len(data["mentions"]) == 6
    assert {(e["source"], e["target"]) for e in data["chain"]} >= {("Ana Ruiz", "Harbor Ledger"),
                                                                   ("Harbor Ledger", "Valley Tribune")}
    assert [v["unit"] for v in data["variants"]] == ["%"]
    r = await ds.client.get(f"/news/-/claims/{claims['share_en']}.csv?_dl=1")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 6
    assert {row["outlet"] for row in rows} == {"Harbor Ledger", "Valley Tribune", "东方日报", "Metro Daily",
                                              "Coastal Wire"}
    # figures as their text, not JSON
    assert "70%" in rows[0]["quantities"] and not rows[0]["quantities"].startswith("[")


async def test_jsonld_claim_review_only_with_a_rating(ds, archive):
    _, ids, claims = archive
    r = await ds.client.get(f"/news/-/claims/{claims['share_en']}.jsonld")
    assert r.headers["content-type"].startswith("application/ld+json")
    review = r.json()
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Confirmed"
    assert review["author"]["name"] == "Ana Ruiz"
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["author"]["name"] == "Ana Ruiz"
    assert claim["datePublished"] == "2026-02-03"
    assert len(claim["appearance"]) == 6
    assert claim["firstAppearance"]["url"] == "http://harbor1.example/story"
    assert claim["firstAppearance"]["publisher"]["name"] == "Harbor Ledger"
    plain = (await ds.client.get(f"/news/-/claims/{claims['floors_en']}.jsonld")).json()
    assert plain["@type"] == "Claim" and "reviewRating" not in plain
    assert plain["author"]["name"] == "JD Vance"
    assert {a["inLanguage"] for a in plain["appearance"]} == {"en", "zh"}


async def test_unknown_and_bad_ids(ds):
    assert (await ds.client.get("/news/-/claims/999999")).status_code == 404
    assert (await ds.client.get("/news/-/claims/999999.json")).status_code == 404
    assert (await ds.client.get("/news/-/claims/abc")).status_code == 404
    assert (await ds.client.get("/nodb/-/claims/1")).status_code == 404


async def test_merged_id_redirects_in_every_format(tmp_path):
    path = tmp_path / "merged.db"
    db = store.open_db(str(path))
    a, b = add_article(db, BRIDGE_A), add_article(db, BRIDGE_B)
    trace.update_claims(db, [a, b])
    trace.update_claims(db, [add_article(db, BRIDGE_C)])
    old, new = db.conn.execute("SELECT old_id, new_id FROM claim_redirects").fetchone()
    db.conn.close()
    ds = Datasette([str(path)])
    for suffix in ("", ".json", ".csv", ".jsonld"):
        r = await ds.client.get(f"/merged/-/claims/{old}{suffix}?x=1")
        assert r.status_code == 302
        assert r.headers["location"] == f"/merged/-/claims/{new}{suffix}?x=1"
    assert (await ds.client.get(f"/merged/-/claims/{new}")).status_code == 200


async def test_page_text_is_escaped(tmp_path):
    evil = ("evil", "<b>Evil</b> Times", "2026-02-01", "en", [
        ("evil", 'The <script>alert("x")</script> fund will lend $5 to "<img src=x onerror=alert(1)>".',
         dict(claim_type="statistic", speaker="<i>Mallory</i>", cited_source="</svg><script>bad()</script>",
              hedge_text="<script>alert", attribution_mode="secondhand_outlet", verification_status="disputed",
              quantities=[{"text": "$5", "value": 5.0, "unit": "USD"}], chain=["<i>Mallory</i>"])),
    ], "")
    path = tmp_path / "evil.db"
    db = store.open_db(str(path))
    trace.update_claims(db, [add_article(db, evil)])
    claim_id = db.conn.execute("SELECT id FROM claims").fetchone()[0]
    db.conn.close()
    ds = Datasette([str(path)])
    html = (await ds.client.get(f"/evil/-/claims/{claim_id}")).text
    assert "<script>alert" not in html and "<script>bad" not in html and "<img src=x" not in html
    assert "<i>Mallory</i>" not in html and "&lt;i&gt;Mallory&lt;/i&gt;" in html
    assert '<mark class="newstrace-hedge">&lt;script&gt;alert</mark>' in html
    table = (await ds.client.get("/evil/claim_mentions")).text
    assert "<script>alert" not in table


async def test_claims_list(ds, archive):
    _, ids, claims = archive
    data = (await ds.client.get("/news/-/claims.json")).json()
    assert data["total"] == 5
    assert data["rows"][0]["id"] == claims["share_en"]  # most mentioned first
    counts = [row["n_mentions"] for row in data["rows"]]
    assert counts == sorted(counts, reverse=True)
    # Chinese search finds claims through their mentions' sentences
    zh = (await ds.client.get("/news/-/claims.json", params={"q": "稀土"})).json()
    assert [row["id"] for row in zh["rows"]] == [claims["share_en"]]
    en = (await ds.client.get("/news/-/claims.json", params={"q": "price floors"})).json()
    assert [row["id"] for row in en["rows"]] == [claims["floors_en"]]
    by_article = (await ds.client.get("/news/-/claims.json", params={"article": str(ids["harbor1"])})).json()
    assert {row["id"] for row in by_article["rows"]} == {claims["share_en"], claims["refineries"]}
    status = (await ds.client.get("/news/-/claims.csv", params={"status": "confirmed"})).text
    assert len(list(csv.DictReader(io.StringIO(status)))) == 1
    html = (await ds.client.get("/news/-/claims")).text
    assert f'href="/news/-/claims/{claims["share_en"]}"' in html


async def test_table_and_article_pages_link_to_claims(ds, archive):
    _, ids, claims = archive
    html = (await ds.client.get("/news/claim_mentions")).text
    assert f'href="/news/-/claims/{claims["share_en"]}"' in html
    edges = (await ds.client.get("/news/claim_edges")).text
    assert f'href="/news/-/claims/{claims["share_en"]}"' in edges
    # an article's row page lists its claim mentions through the foreign key
    row = (await ds.client.get(f"/news/articles/{ids['harbor1']}")).text
    assert f"/news/claim_mentions?article_id={ids['harbor1']}" in row


def test_fixture_covers_every_mark_shape():
    modes = {fields.get("attribution_mode") for article in FIXTURE for _, _, fields in article[4]}
    assert {"indirect_speech", "secondhand_outlet", "anonymous", "asserted"} <= modes
    assert HARBOR_1[1] == "Harbor Ledger"
