"""The maps in a real Chromium against a real `datasette serve`, with every non-local request blocked:
polygons drawn and coloured, small states and the EU as markers, a legend, tooltips, clicks to a country."""
from urllib.parse import urlparse

import pytest

from tests.conftest import serve_datasette
from tests.plugin.test_countries import build_archive

HOST_COLOR = "#d55e00"  # Peru is the only host in the fixture archive
NO_DATA = "#eeeeee"
MENTIONED = "#e4e4e4"  # drawn quietly behind the roles


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    path = build_archive(tmp_path_factory.mktemp("map") / "archive.db")
    with serve_datasette(path) as url:
        yield url


@pytest.fixture
def offline_page(page):
    "The shared `page` fixture with everything not on 127.0.0.1 aborted and recorded."
    page.blocked = []

    def only_local(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    return page


def open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#newstrace-map[data-ready='1'], #newstrace-map[data-error]", timeout=20000)
    assert page.get_attribute("#newstrace-map", "data-error") is None, page.get_attribute("#newstrace-map", "data-error")
    return page.eval_on_selector_all("#newstrace-map svg path.leaflet-interactive",
                                     "paths => paths.map(p => p.getAttribute('fill'))")


def test_world_map_draws_coloured_polygons_offline(map_server, offline_page):
    page = offline_page
    fills = open_map(page, map_server + "/archive/-/countries")
    assert len(fills) >= 170, "one path per country boundary"
    # host (Peru), member, signatory, target, partner, the "named only" colour and the no-data grey
    assert {HOST_COLOR, "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d9cbb0", NO_DATA} <= set(fills)
    assert fills.count(NO_DATA) > 150
    # Singapore (no polygon at 1:110m), the EU and Fiji (a polygon too small to click) are circle markers
    markers = page.eval_on_selector_all(
        "#newstrace-map svg path.leaflet-interactive",
        "paths => paths.filter(p => /a[0-9.]+,[0-9.]+ 0 1,0/.test(p.getAttribute('d') || '')).length")
    assert markers == 3
    legend = page.locator(".newstrace-legend")
    assert legend.is_visible()
    text = legend.inner_text()
    assert "host" in text and "member" in text and "no data" in text
    assert page.locator(".leaflet-tile").count() == 0  # no tile server by default
    assert page.blocked == [] and page.errors == [] and page.console_errors == []


def test_map_coloured_by_articles_with_filter(map_server, offline_page):
    page = offline_page
    fills = open_map(page, map_server + "/archive/-/countries?color=articles&language=zh")
    coloured = [f for f in fills if f != NO_DATA]
    assert len(coloured) == 2 and len(set(coloured)) == 1  # Japan's polygon and Singapore's marker
    legend = page.locator(".newstrace-legend").inner_text()
    assert "1 article" in legend and "ColorBrewer YlGnBu" in legend
    assert set(page.get_attribute("#newstrace-map", "data-fitted").split(",")) == {"JP", "SG"}
    assert page.blocked == [] and page.errors == []


def test_hover_and_click_country_opens_its_page(map_server, offline_page):
    page = offline_page
    open_map(page, map_server + "/archive/-/countries")
    peru = page.locator(f"#newstrace-map path[fill='{HOST_COLOR}']")
    assert peru.count() == 1
    peru.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=5000)
    assert "Peru" in tooltip.inner_text() and "秘鲁" in tooltip.inner_text() and "host (1)" in tooltip.inner_text()
    peru.click()
    page.wait_for_url("**/archive/-/countries/PE", timeout=10000)
    assert "Peru" in page.locator("h1").inner_text()
    assert "Andean Lithium Forum" in page.content()
    assert page.blocked == [] and page.errors == []


def test_initiative_map_and_marker_click(map_server, offline_page):
    page = offline_page
    fills = open_map(page, map_server + "/archive/-/initiatives/pacific-battery-partnership")
    assert {"#009e73", "#0072b2", "#56b4e9", MENTIONED} <= set(fills)  # signatory, member, partner, mentioned
    assert HOST_COLOR not in fills  # Peru is not part of this one
    # the view fits the participants (Singapore, Japan, Fiji, the EU), not the country only mentioned (Russia)
    fitted = page.get_attribute("#newstrace-map", "data-fitted").split(",")
    assert set(fitted) == {"SG", "JP", "FJ", "EU"}
    legend = page.locator(".newstrace-legend").inner_text()
    assert legend.index("signatory") < legend.index("mentioned"), "roles first, 'mentioned' last and quiet"
    assert page.locator(".newstrace-legend").is_visible()
    eu = page.locator("#newstrace-map path[fill='#56b4e9']")  # the EU marker over Brussels
    assert eu.count() == 1
    eu.click()
    page.wait_for_url("**/archive/-/countries/EU", timeout=10000)
    assert "European Union" in page.locator("h1").inner_text()
    assert page.blocked == [] and page.errors == []
