"""A country page writes the sections of initiatives with no evidence among its rows in Python
(countries.bare_section), the others through its template: both must give the same bytes, so the template's
own section (read from the template file, not copied) is rendered here beside bare_section. That template
(newstrace_country_initiatives.html) is rendered synchronously (countries.sync_environment) and put into the page
whole: the same bytes as Datasette's own async rendering of it, checked here with evidence, copies and dates."""
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from datasette.app import Datasette
from jinja2 import Environment

from newstrace.plugin.countries import bare_section, sync_environment
from newstrace.plugin.i18n import template_vars, translator

TEMPLATE = Path(__file__).resolve().parents[2] / "plugin" / "templates" / "newstrace_country_initiatives.html"
OPEN = "{% if item.id in bare_sections %}{{ bare_sections[item.id] }}{% else %}"
CLOSE = "{% endif %}{% endfor %}"

ITEMS = [
    {"id": "critical-minerals-trade-bloc", "name": "Critical Minerals Trade Bloc", "name_zh": "关键矿产贸易集团",
     "kind": "trade_deal", "roles": ["host", "member"], "evidence": 3},
    {"id": "a b/c&d", "name": 'A <b>"quoted"</b> & named', "name_zh": None, "kind": None, "roles": [], "evidence": 0},
    {"id": "中美-deal", "name": "中美第一阶段经贸协议", "name_zh": "中美第一阶段经贸协议", "kind": "my_own_kind",
     "roles": ["signatory", "target", "mentioned"], "evidence": 1},
]


def section_template():
    text = TEMPLATE.read_text(encoding="utf-8")
    start = text.index(OPEN) + len(OPEN)
    return text[start:text.index(CLOSE, start)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bare_section_is_the_templates_section(lang):
    _ = translator(lang)
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(section_template())
    urls = SimpleNamespace(database=lambda name: f"/prefix/{name}")
    for item in ITEMS:
        expected = template.render(item=item, by_initiative={item["id"]: []}, urls=urls, database="news",
                                   database_url="/prefix/news", _=_)
        assert str(bare_section(item, "/prefix/news", _)) == expected
    assert "&lt;b&gt;" in str(bare_section(ITEMS[1], "/prefix/news", _))  # page content stays escaped


EVIDENCE = [
    {"initiative_id": "critical-minerals-trade-bloc", "role": "host", "status": "in_force", "valid_from": "2019-05",
     "valid_to": None, "evidence": 'It said "<hosted>" the talks & more.', "article_id": 7, "article_title": None,
     "published": "2026-01-02T10:00:00", "article_url": "https://example.com/a?b=1&c=2", "copies": 2},
    {"initiative_id": "critical-minerals-trade-bloc", "role": "member", "status": None, "valid_from": None,
     "valid_to": "2026-06", "evidence": "Joined.", "article_id": 8, "article_title": "A <title>",
     "published": None, "article_url": None, "copies": 0},
]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_initiatives_rendered_synchronously_are_the_async_rendering(lang, tmp_path):
    sqlite3.connect(tmp_path / "news.db").close()
    ds = Datasette([str(tmp_path / "news.db")])
    await ds.invoke_startup()
    request = SimpleNamespace(args={"_lang": lang}, headers={}, cookies={}, url_vars={}, actor=None,
                              path="/news/-/countries/CN", query_string=f"_lang={lang}")
    env = ds.get_jinja_environment() if hasattr(ds, "get_jinja_environment") else ds.jinja_env
    context = {**template_vars(request), "urls": ds.urls, "database": "news", "database_url": ds.urls.database("news"),
               "initiatives": ITEMS,
               "by_initiative": {ITEMS[0]["id"]: EVIDENCE, ITEMS[1]["id"]: [], ITEMS[2]["id"]: EVIDENCE[1:]},
               "bare_sections": {ITEMS[1]["id"]: bare_section(ITEMS[1], ds.urls.database("news"),
                                                              translator(lang))}}
    name = "newstrace_country_initiatives.html"
    expected = await env.get_template(name).render_async(**context)
    got = sync_environment(ds, None).get_template(name).render(**context)
    assert got == expected
    assert "also in 2 republished copies" in got or lang == "zh"
    assert "&lt;hosted&gt;" in got and "a?b=1&amp;c=2" in got
