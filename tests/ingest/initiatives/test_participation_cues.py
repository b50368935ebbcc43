"""The role cues of participation live in data/participation_cues.json (issue 10's rule: knowledge in data files,
with its source): roles.py compiles them from there, every entry is read, and an edit to the file changes what
is found — in English and in Chinese."""
import copy
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from newstrace.ingest.initiatives import discover, roles
from newstrace.ingest.pipeline.analyze import analyze_text

SHIPPED = json.loads(resources.files("newstrace.ingest").joinpath("data/participation_cues.json").read_text("utf-8"))


def found_roles(text, date=None):
    return {(r["initiative"], r["country"], r["role"]) for r in analyze_text(text, None, date)["participation"]
            if r["role"] != "mentioned"}


@pytest.fixture
def cues(monkeypatch):
    """Edit a copy of the shipped cue file: roles.py reads whatever data('participation_cues.json') gives."""
    edited = copy.deepcopy(SHIPPED)
    real = roles.data
    monkeypatch.setattr(roles, "data", lambda name: edited if name == "participation_cues.json" else real(name))
    roles._cues.cache_clear()
    yield edited
    roles._cues.cache_clear()


def _rule(data, side, role, cue):
    return next(r for r in data[side] if r["role"] == role and cue in r.get("cues", []))


def test_the_file_notes_its_source_and_format():
    assert "UN Treaty Collection" in SHIPPED["_source"] and "{cues}" in SHIPPED["_format"]


def test_every_role_but_mentioned_has_rules_in_the_file():
    in_file = {r["role"] for side in ("before", "after") for r in SHIPPED[side]}
    assert in_file == set(roles.ROLES) - {"mentioned"}
    assert {r["lang"] for r in SHIPPED["before"]} == {"en", "zh"} and {r["lang"] for r in SHIPPED["after"]} == {"en", "zh"}


def test_every_entry_of_the_file_is_read():
    # the top-level entries: the rules, the named cues and the participle roles by roles.py, the Chinese
    # abbreviations by discover.py; nothing else (the dead entries of an earlier layout are gone)
    assert set(SHIPPED) == {"_source", "_format", "word", "before", "after", "cues", "participle_roles",
                            "zh_abbreviations"}
    source = Path(roles.__file__).read_text("utf-8")
    assert set(re.findall(r'_cue\("(\w+)"\)', source)) == set(SHIPPED["cues"])
    assert {r["tag"] for side in ("before", "after") for r in SHIPPED[side] if "tag" in r} == \
        roles.TAGS["before"] | roles.TAGS["after"]
    for tag in roles.TAGS["before"] | roles.TAGS["after"]:
        assert '"%s"' % tag in source.split("TAGS = ", 1)[1].split("\n\n", 1)[1]  # each tag's condition is coded
    assert "participation_cues.json" in Path(discover.__file__).read_text("utf-8")


def test_rules_compile_from_the_file():
    rules, named, participle = roles._cues()
    assert [(r, t) for r, _, t in rules["before"]] == [(r["role"], r.get("tag")) for r in SHIPPED["before"]]
    assert [(r, t) for r, _, t in rules["after"]] == [(r["role"], r.get("tag")) for r in SHIPPED["after"]]
    joined = _rule(SHIPPED, "before", "joined", "joined")
    rx = next(x for r, x, _ in rules["before"] if r == "joined" and "joined" in x.pattern)
    assert "{cues}" not in rx.pattern and "{w}" not in rx.pattern and rx.flags & re.I
    assert rx.pattern == roles._pattern(joined, SHIPPED["word"])
    assert participle == SHIPPED["participle_roles"]
    assert not named["zh_copula"].flags & re.I and named["negated_en"].flags & re.I


def test_a_cue_added_to_the_file_gives_its_role(cues):
    text_en, text_zh = "Finland enlisted in NATO in 2023.", "芬兰于2023年入伙北约。"
    assert ("nato", "FI", "joined") not in found_roles(text_en)
    assert ("nato", "FI", "joined") not in found_roles(text_zh)
    _rule(cues, "before", "joined", "joined")["cues"].append(r"enlisted\s+in")
    _rule(cues, "before", "joined", "加入")["cues"].append("入伙")
    roles._cues.cache_clear()
    assert ("nato", "FI", "joined") in found_roles(text_en)
    assert ("nato", "FI", "joined") in found_roles(text_zh)


def test_a_cue_removed_from_the_file_is_no_longer_found(cues):
    text = "Finland joined NATO in April 2023."
    assert ("nato", "FI", "joined") in found_roles(text)
    for rule in cues["before"]:
        if rule["role"] == "joined" and "cues" in rule:
            rule["cues"] = [c for c in rule["cues"] if c != "joined"]
    roles._cues.cache_clear()
    assert ("nato", "FI", "joined") not in found_roles(text)


def test_the_zh_passive_target_rule_is_read_from_the_file(cues):
    text = "俄罗斯长期被外界视为北约所针对的主要对象。"
    assert ("nato", "RU", "target") in found_roles(text)
    cues["before"] = [r for r in cues["before"] if r.get("tag") != "zh_passive_target"]
    roles._cues.cache_clear()
    assert ("nato", "RU", "target") not in found_roles(text)


def test_the_condition_of_a_tag_is_read_from_the_file(cues):
    # the passive target needs its cue after the initiative (所针对的对象); a cue word added there is honoured
    text = "俄罗斯长期被外界视为北约所围堵的主要对象。"
    assert ("nato", "RU", "target") not in found_roles(text)
    cues["cues"]["zh_passive_target_after"]["cues"].append("围堵")
    roles._cues.cache_clear()
    assert ("nato", "RU", "target") in found_roles(text)


def test_an_unknown_role_or_tag_in_the_file_is_an_error(cues):
    cues["before"].append({"role": "overlord", "lang": "en", "pattern": r"\s+rules\s+"})
    roles._cues.cache_clear()
    with pytest.raises(ValueError, match="unknown role or tag"):
        roles._cues()
    cues["before"][-1] = {"role": "member", "lang": "en", "pattern": r"\s+x\s+", "tag": "no_such_condition"}
    roles._cues.cache_clear()
    with pytest.raises(ValueError, match="unknown role or tag"):
        roles._cues()
