"""Search and facets in a real Chromium against a real Datasette server."""
import sqlite3


def count_rows(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


def test_searching_chinese_in_the_articles_page_finds_the_chinese_pages(page, datasette_url, sample_db):
    page.goto(f"{datasette_url}/newstrace/articles")
    page.fill("input[name=_search]", "稀土")
    page.locator("input[name=_search]").press("Enter")
    page.wait_for_load_state("networkidle")
    assert "_search=" in page.url
    shown = sorted(int(t) for t in page.locator("table.rows-and-columns tbody td.col-id").all_inner_texts())
    with sqlite3.connect(sample_db) as conn:
        expected = sorted(r[0] for r in conn.execute("SELECT id FROM articles WHERE title || text LIKE '%稀土%'"))
        chinese = {r[0] for r in conn.execute("SELECT id FROM articles WHERE language = 'zh'")}
    assert shown == expected
    assert chinese & set(shown), "the Chinese pages are among the hits"
    assert page.errors == []


def test_ranked_search_page_highlights_snippets(page, datasette_url):
    page.goto(f"{datasette_url}/newstrace/-/search")
    page.fill("input[name=q]", "price floors")
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator("li.newstrace-result")
    assert results.count() > 0
    marks = page.locator(".newstrace-snippet mark")
    assert marks.count() >= results.count()
    assert {m.lower() for m in marks.all_inner_texts()} & {"price", "floors", "prices", "floor"}
    # the highlight is visible: a real background colour
    colour = marks.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.errors == []


def test_a_facet_click_narrows_the_rows(page, datasette_url, sample_db):
    page.goto(f"{datasette_url}/newstrace/articles")
    total = page.locator("table.rows-and-columns tbody tr").count()
    facet = page.locator(".facet-info[data-column=language] li a").first
    label = facet.inner_text()
    facet.click()
    page.wait_for_load_state("networkidle")
    assert "language=" in page.url
    language = page.url.split("language=")[1].split("&")[0]
    narrowed = page.locator("table.rows-and-columns tbody tr").count()
    expected = count_rows(sample_db, "SELECT COUNT(*) FROM articles WHERE language = ?", [language])
    assert 0 < narrowed == expected < total, label
    assert page.errors == []
