"""The reading room in Debian's chromium at a desktop (1366x900) and a phone (390x844) size, against a real
`datasette serve` of the sample archive: every custom page without horizontal scroll on the phone and one
click from every other, the articles table page with 50 rows shorter than 6 screens, the claim page's chain
graph without an edge through a node, the article page marking every claim sentence and country mention."""
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import METADATA, serve_datasette

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
# the pages every page links to: (name, path under the database), as the navigation bar lists them
HUBS = [("overview", "/-/overview"), ("search", "/-/search"), ("claims", "/-/claims"),
        ("countries", "/-/countries"), ("initiatives", "/-/initiatives"), ("articles", "/articles")]


def one(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()


def custom_pages(db):
    "Every custom page of the sample archive, on its richest row."
    claim = one(db, "SELECT id FROM claims ORDER BY n_outlets DESC, n_mentions DESC, id LIMIT 1")[0]
    article = one(db, "SELECT article_id FROM claim_mentions GROUP BY article_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
    return [("database", ""), ("overview", "/-/overview"), ("search", "/-/search?q=rare+earth"),
            ("claims", "/-/claims"), ("claim", f"/-/claims/{claim}"), ("countries", "/-/countries"),
            ("country", "/-/countries/KR"), ("initiatives", "/-/initiatives"), ("initiative", "/-/initiatives/forge"),
            ("article", f"/-/articles/{article}"), ("articles-table", "/articles")]


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(request, browser):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page, width, height
    context.close()


def settle(page):
    page.wait_for_load_state("networkidle")
    if page.locator(".newstrace-map").count():
        page.wait_for_selector(".newstrace-map[data-ready], .newstrace-map[data-error]", timeout=20000)


def test_every_page_fits_the_screen_and_reaches_every_other(sized, datasette_url, sample_db):
    page, width, _ = sized
    base = f"{datasette_url}/newstrace"
    for name, path in custom_pages(sample_db):
        response = page.goto(base + path)
        assert response.status == 200, name
        settle(page)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}: {scroll} px wide at {width} px"
        # one click: a visible link to each of the hub pages
        for hub, hub_path in HUBS:
            link = page.locator(f'.newstrace-nav a[href^="/newstrace{hub_path}"]')
            assert link.count() >= 1 and link.first.is_visible(), f"{name} -> {hub}"
        assert page.locator("p.crumbs a").first.is_visible(), name
    assert page.errors == []


def test_a_click_on_the_nav_lands_on_the_page(sized, datasette_url, sample_db):
    page, _, _ = sized
    page.goto(f"{datasette_url}/newstrace/-/overview")
    for hub, hub_path in HUBS[1:]:
        page.click(f'.newstrace-nav a[data-page="{hub}"]')
        page.wait_for_load_state("domcontentloaded")
        assert page.url.split("?")[0].endswith("/newstrace" + hub_path)
        assert page.locator(".newstrace-nav").count() == 1
    assert page.errors == []


@pytest.fixture(scope="module")
def fifty_articles(tmp_path_factory):
    "A synthetic archive of 60 articles of news length (bench/make_archive.py: median 600 words), served."
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import make_archive

    path = tmp_path_factory.mktemp("fifty") / "newstrace.db"
    make_archive.build(path, 60, seed=3, claims="synthetic", progress=False)
    with serve_datasette(path, "-m", METADATA, "--setting", "default_page_size", "50") as url:
        yield url


def test_articles_table_with_50_rows_is_shorter_than_6_screens(sized, fifty_articles):
    page, width, height = sized
    page.goto(f"{fifty_articles}/newstrace/articles?_size=50")
    assert page.locator("table.rows-and-columns tbody tr").count() == 50
    tall = page.evaluate("() => document.documentElement.scrollHeight")
    assert tall < 6 * height, f"{tall} px at {width}x{height}"
    # each text cell is an excerpt leading to the article page
    assert page.locator("td.col-text a.newstrace-read").count() == 50
    assert page.errors == []


def test_chain_graph_has_no_edge_through_a_node_as_drawn(page, datasette_url, sample_db):
    "Measured on the geometry Chromium draws (getBBox of each node, the points of each edge)."
    with sqlite3.connect(sample_db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE n_outlets > 1 ORDER BY n_outlets DESC LIMIT 8")]
    measured = 0
    for claim_id in ids:
        page.goto(f"{datasette_url}/newstrace/-/claims/{claim_id}")
        if not page.locator("svg.newstrace-chain").count():
            continue
        crossings = page.evaluate("""() => {
          const boxes = [...document.querySelectorAll('svg.newstrace-chain .newstrace-node')].map(g => {
            const b = g.querySelector('rect').getBBox();
            return {name: g.dataset.name, x0: b.x + 0.5, y0: b.y + 0.5, x1: b.x + b.width - 0.5, y1: b.y + b.height - 0.5};
          });
          const hits = (p, q, b) => {
            let t0 = 0, t1 = 1; const dx = q.x - p.x, dy = q.y - p.y;
            for (const [pp, qq] of [[-dx, p.x - b.x0], [dx, b.x1 - p.x], [-dy, p.y - b.y0], [dy, b.y1 - p.y]]) {
              if (pp === 0) { if (qq < 0) return false; continue; }
              const t = qq / pp;
              if (pp < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
              if (t0 > t1) return false;
            }
            return t1 - t0 > 1e-9;
          };
          let n = 0;
          for (const e of document.querySelectorAll('svg.newstrace-chain .newstrace-edge')) {
            const pts = [...e.points];
            for (const b of boxes) {
              if (b.name === e.dataset.source || b.name === e.dataset.target) continue;
              if (pts.slice(1).some((q, i) => hits(pts[i], q, b))) n++;
            }
          }
          return n;
        }""")
        assert crossings == 0, claim_id
        measured += 1
    assert measured >= 3
    assert page.errors == []


def test_article_page_marks_every_claim_sentence_and_country_mention(sized, datasette_url, sample_db):
    page, width, _ = sized
    with sqlite3.connect(sample_db) as conn:
        for (article,) in conn.execute("SELECT id FROM articles WHERE id IN (SELECT article_id FROM claim_mentions) "
                                       "ORDER BY id LIMIT 6"):
            mentions = {r[0] for r in conn.execute("SELECT id FROM claim_mentions WHERE article_id = ?", [article])}
            countries = {r[0] for r in conn.execute("SELECT id FROM country_mentions WHERE article_id = ?", [article])}
            page.goto(f"{datasette_url}/newstrace/-/articles/{article}")
            marked = set(page.eval_on_selector_all(".newstrace-claim-sentence[id^=mention-]",
                                                   "els => els.map(e => +e.id.slice(8))"))
            assert marked == mentions, article
            named = set(page.eval_on_selector_all("a.newstrace-country[id^=country-mention-]",
                                                  "els => els.map(e => +e.id.slice(16))"))
            assert named == countries, article
            # what is marked is visible and leads to its claim page
            first = page.locator(".newstrace-claim-sentence").first
            assert first.is_visible()
            claims = {r[0] for r in conn.execute("SELECT claim_id FROM claim_mentions WHERE article_id = ?", [article])}
            linked = set(page.eval_on_selector_all("a.newstrace-claim-badge", "els => els.map(e => +e.href.split('/').pop())"))
            assert linked == claims, article
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.errors == []


def test_pages_in_chinese(page, datasette_url, sample_db):
    page.goto(f"{datasette_url}/newstrace/-/overview?_lang=zh")
    assert page.locator("h1").inner_text() == "档案概览"
    assert page.locator('.newstrace-nav a[data-page="claims"]').inner_text() == "说法"
    page.click(".newstrace-lang-switch")
    assert page.locator("h1").inner_text() == "The archive at a glance"
    context = page.context.browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    zh = context.new_page()
    claim = one(sample_db, "SELECT id FROM claims ORDER BY n_mentions DESC LIMIT 1")[0]
    zh.goto(f"{datasette_url}/newstrace/-/claims/{claim}")
    assert "传播路径" in zh.content() and "报道链" in zh.content()
    context.close()
