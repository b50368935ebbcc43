"""Generate ingest/data/initiatives_catalogue.json: the shipped catalogue of well-known multilateral
organisations, groupings, agreements and recurring events that seeds initiative discovery.

Run at build time only (needs the `build` extra):
    python scripts/build_initiatives_catalogue.py
Sources (each entry's members carry theirs):
  scripts/initiatives_src/catalogue.txt  hand-written: English and Chinese names, acronyms, kinds, parents
  scripts/initiatives_src/members.txt    hand-written member lists with their date and source
  worldcountrygroups 0.5.0 (PyPI, MIT)   member lists of groupings ("wcg:<gid>")
  country_converter 1.3.2 (PyPI, GPL-3)  UN and OECD members with their year of accession ("coco:<column>")
Catalogue membership is background for the initiative page, never evidence of participation.
"""
import csv
import json
import re
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(__file__).resolve().parent / "initiatives_src"
OUT = ROOT / "ingest" / "data" / "initiatives_catalogue.json"
WCG = "worldcountrygroups 0.5.0 (PyPI), data/groups/{}.json"
COCO = "country_converter 1.3.2 (PyPI), country_data.tsv column {}"


def split(field, sep):
    return [x.strip() for x in field.split(sep) if x.strip()]


def hand_members():
    lists = {}
    for line in (SRC / "members.txt").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, as_of, source, codes = [x.strip() for x in line.split("|")]
        members = []
        for item in codes.split():
            code, _, dates = item.partition("@")
            joined, _, left = dates.partition("/")
            members.append({"country": code, "from": joined or None, "to": left or None})
        lists[key] = {"members": members, "as_of": as_of, "source": source}
    return lists


def wcg_members(gid):
    data = json.loads(resources.files("worldcountrygroups").joinpath("data/groups/%s.json" % gid).read_text("utf-8"))
    codes = sorted({c["iso2"] for c in data["countries"] if c.get("iso2") and re.fullmatch(r"[A-Z]{2}", c["iso2"])})
    return {"members": [{"country": c, "from": None, "to": None} for c in codes],
            "as_of": "2026-03 (package release; the list itself is undated)", "source": WCG.format(gid)}


def coco_members(column):
    rows = csv.DictReader(resources.files("country_converter").joinpath("country_data.tsv")
                          .read_text("utf-8").splitlines(), delimiter="\t")
    members = []
    for r in rows:
        value = (r.get(column) or "").strip()
        if value and value != "nan" and re.fullmatch(r"[A-Z]{2}", r["ISO2"]):
            members.append({"country": r["ISO2"], "from": value if re.fullmatch(r"\d{4}", value) else None,
                            "to": None})
    return {"members": sorted(members, key=lambda m: m["country"]),
            "as_of": "2025-10 (package release)", "source": COCO.format(column)}


def alias_entry(text):
    "'~the Alliance' needs its initiative named elsewhere in the article; '@a/b' a context word instead."
    needs_context = text.startswith("~")
    text = text.lstrip("~")
    alias, _, context = text.partition("@")
    if not needs_context:
        return alias, None
    return alias, {"alias": alias, "context": context.split("/") if context else None}


def main():
    hand = hand_members()
    items = []
    for line in (SRC / "catalogue.txt").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = [x.strip() for x in line.split("|")]
        iid, kind, parent, members, acronyms, names_en, names_zh = fields
        series = kind.startswith("series:")
        kind = kind.split(":")[-1]
        en, context = [], []
        for text in split(names_en, ";"):
            alias, ctx = alias_entry(text)
            (context.append(ctx) if ctx else en.append(alias))
        zh = split(names_zh, ";")
        item = {"id": iid, "kind": kind, "is_series": series, "parent": parent or None,
                "name_en": en[0] if en else None, "name_zh": zh[0] if zh else None,
                "acronyms": [a.rstrip("?") for a in split(acronyms, ",")], "aliases": en[1:] + zh[1:],
                "context_aliases": context + [{"alias": a.rstrip("?"), "context": None}
                                              for a in split(acronyms, ",") if a.endswith("?")]}
        item["acronyms"] = [a for a in item["acronyms"] if a + "?" not in split(acronyms, ",")]
        if members:
            how, _, key = members.partition(":")
            got = hand[key] if how == "hand" else wcg_members(key) if how == "wcg" else coco_members(key)
            item.update(members=got["members"], members_as_of=got["as_of"], members_source=got["source"])
            if how == "hand" and len(got["members"]) == 2 and kind in ("agreement", "trade_deal", "corridor", "project",
                                                                      "alliance", "process"):
                # a bilateral arrangement: its two sides are its parties (named together they are read as such)
                item["parties"] = [m["country"] for m in got["members"]]
        items.append(item)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(i["parent"] in ids for i in items if i["parent"]), "unknown parent"
    out = {"_source": "Generated by scripts/build_initiatives_catalogue.py from scripts/initiatives_src/catalogue.txt "
                      "(names: hand-written from the bodies' official English names and the Chinese names used by "
                      "the PRC Ministry of Foreign Affairs and Xinhua), scripts/initiatives_src/members.txt, "
                      "worldcountrygroups 0.5.0 and country_converter 1.3.2 (members; each entry names its list's "
                      "source and date). Membership here is background, never evidence of participation.",
           "initiatives": items}
    # one entry a line: readable diffs when a list changes
    OUT.write_text('{\n "_source": %s,\n "initiatives": [\n%s\n ]\n}\n' % (
        json.dumps(out["_source"], ensure_ascii=False),
        ",\n".join("  " + json.dumps(i, ensure_ascii=False) for i in items)), "utf-8")
    print("wrote %s: %d initiatives, %d with members" % (OUT, len(items), sum(1 for i in items if i.get("members"))))


if __name__ == "__main__":
    main()
