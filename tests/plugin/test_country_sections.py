"""A country page writes the sections of initiatives with no evidence among its rows in Python
(countries.bare_section), the others through its template: both must give the same bytes, so the template's
own section (read from the template file, not copied) is rendered here beside bare_section."""
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment

from newstrace.plugin.countries import bare_section
from newstrace.plugin.i18n import translator

TEMPLATE = Path(__file__).resolve().parents[2] / "plugin" / "templates" / "newstrace_country.html"
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
        expected = template.render(item=item, by_initiative={item["id"]: []}, urls=urls, database="news", _=_)
        assert str(bare_section(item, "/prefix/news", _)) == expected
    assert "&lt;b&gt;" in str(bare_section(ITEMS[1], "/prefix/news", _))  # page content stays escaped
