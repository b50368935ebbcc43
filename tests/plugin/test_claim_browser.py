"""A claim page in a real Chromium (Debian's, via Playwright) against a real `datasette serve`: the timeline
marks and the reporting-chain graph render, the page script runs, and no page error is raised."""
import sqlite3

import pytest

from tests.conftest import serve_datasette
from tests.ingest.claims.test_trace import build_archive, claim_of


@pytest.fixture(scope="module")
def claim_server(tmp_path_factory):
    "datasette serve on a traced fixture archive; yields (base url, {mention key: claim id})."
    path = tmp_path_factory.mktemp("browser") / "news.db"
    db, ids = build_archive(path)
    claims = {key: claim_of(db, ids, key) for key in ("share_en", "floors_en", "refineries")}
    db.conn.close()
    with serve_datasette(path) as url:
        yield url, claims


@pytest.fixture
def tab(page):
    "conftest's page (Debian chromium) and the page errors it records."
    yield page, page.errors


def _box_ok(locator):
    box = locator.bounding_box()
    return box is not None and box["width"] > 0 and box["height"] > 0


def test_claim_page_renders_timeline_and_chain(claim_server, tab):
    url, claims = claim_server
    page, errors = tab
    response = page.goto(f"{url}/news/-/claims/{claims['share_en']}")
    assert response.status == 200
    marks = page.locator("svg.newstrace-timeline .newstrace-mark")
    assert marks.count() == 6
    assert all(_box_ok(marks.nth(i)) for i in range(6))
    # the page script ran and counted the marks it wired up
    page.wait_for_selector('svg.newstrace-timeline[data-ready="6"]')
    nodes = page.locator("svg.newstrace-chain .newstrace-node")
    assert sorted(nodes.nth(i).get_attribute("data-name") for i in range(nodes.count())) == sorted(
        ["Ana Ruiz", "Harbor Ledger", "Valley Tribune", "Metro Daily", "港湾纪事报", "东方日报"])
    assert all(_box_ok(nodes.nth(i)) for i in range(nodes.count()))
    edges = page.locator("svg.newstrace-chain .newstrace-edge")
    assert edges.count() == 4 and all(_box_ok(edges.nth(i)) for i in range(4))
    # pointing at a mark highlights its evidence
    first = marks.nth(0)
    mention = first.get_attribute("data-mention")
    first.hover()
    assert "newstrace-active" in page.locator(f"#mention-{mention}").get_attribute("class")
    assert page.locator("mark.newstrace-hedge").count() >= 2
    assert page.locator(".newstrace-legend").is_visible()
    assert errors == []


def test_claims_list_leads_to_claim_pages(claim_server, tab):
    url, claims = claim_server
    page, errors = tab
    page.goto(f"{url}/news/-/claims")
    page.click(f'a[href="/news/-/claims/{claims["floors_en"]}"]')
    page.wait_for_selector("svg.newstrace-timeline")
    assert page.locator("svg.newstrace-timeline .newstrace-mark").count() == 2
    assert page.locator("svg.newstrace-chain .newstrace-node").count() == 3  # JD Vance -> two outlets
    page.goto(f"{url}/news/-/claims/{claims['refineries']}")
    assert page.locator("svg.newstrace-timeline .newstrace-mark").count() == 1
    assert errors == []


def test_sample_archive_claim_page(datasette_url, sample_db, tab):
    "The most widely carried claim of the bundled sample corpus, ingested by the real pipeline."
    with sqlite3.connect(sample_db) as conn:
        row = conn.execute("SELECT id, n_mentions FROM claims ORDER BY n_mentions DESC, id LIMIT 1").fetchone()
    if row is None:
        pytest.skip("the sample archive has no claims")
    page, errors = tab
    assert page.goto(f"{datasette_url}/newstrace/-/claims/{row[0]}").status == 200
    assert page.locator("svg.newstrace-timeline .newstrace-mark").count() == row[1]
    assert errors == []
