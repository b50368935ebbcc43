"""Generate ingest/data/countries.json, country_aliases.json and country_blockers.json.

Run at build time only (needs the `build` extra: babel, pycountry, countryinfo):
    python scripts/build_gazetteer.py
Sources: ISO 3166 codes and US/Canadian subdivisions from pycountry; English and Chinese country
names (the short news forms 美国, 韩国) and Chinese names of time-zone exemplar cities from Babel's
CLDR data; capitals, capital coordinates, demonyms and alternative spellings from countryinfo; the
hand-written files in scripts/gazetteer_src/ for everything else (each notes its provenance).
"""
import gettext
import json
import re
from pathlib import Path

import babel
import countryinfo
import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(__file__).resolve().parent / "gazetteer_src"
OUT = ROOT / "ingest" / "data"

MIN_CAPITAL_POPULATION = 300_000
CJK = re.compile(r"[\u3400-\u9fff]")



# --- representative points: inside the country, where markers and labels go -----------------------------

BOUNDARIES = ROOT / "plugin" / "data" / "world.geojson"
HAND_POINTS = {k: v for k, v in json.loads((ROOT / "scripts" / "gazetteer_src" / "points_hand.json")
                                          .read_text("utf-8")).items() if not k.startswith("_")}


def _boundaries():
    "code -> list of outer rings [(lng, lat), ...] from the shipped Natural Earth boundaries (if built)."
    if not BOUNDARIES.exists():
        return {}
    shapes = {}
    for feature in json.loads(BOUNDARIES.read_text("utf-8"))["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        shapes[feature["properties"]["code"]] = [poly[0] for poly in polys]
    return shapes


def _inside(lng, lat, ring):
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lng < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def _pair(value):
    "countryinfo gives [lat, lng], or for a few territories a list of pairs (use the first) or garbage."
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        return value
    if isinstance(value, list) and value and isinstance(value[0], list):
        return _pair(value[0])
    return None


def _point_in_largest_ring(rings):
    "A point well inside the largest ring: the grid cell centre farthest from the ring's edge."
    ring = max(rings, key=lambda r: abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1]))))
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, best_d = None, -1.0
    for i in range(1, 40):
        for j in range(1, 40):
            x = min(xs) + (max(xs) - min(xs)) * i / 40
            y = min(ys) + (max(ys) - min(ys)) * j / 40
            if _inside(x, y, ring):
                d = min((x - px) ** 2 + (y - py) ** 2 for px, py in ring)
                if d > best_d:
                    best, best_d = (y, x), d
    return list(best) if best else [ys[0], xs[0]]


def representative_point(code, info, shapes):
    """The capital when it lies inside the country's drawn shape (countryinfo has a few wrong ones: Dili
    at New Delhi, The Valley in Nebraska); else a point inside its largest polygon; else the data's own."""
    candidates = [p for p in (_pair(info.get("capital_latlng")), _pair(info.get("latlng"))) if p]
    rings = shapes.get(code)
    if rings:
        for lat, lng in candidates:
            if any(_inside(lng, lat, ring) for ring in rings):
                return [lat, lng]
        return [round(v, 4) for v in _point_in_largest_ring(rings)]
    hand = HAND_POINTS.get(code)
    if hand:
        return hand
    return candidates[0] if candidates else [None, None]

def _lang(alias):
    return "zh" if CJK.search(alias) else "en"


def _countryinfo_by_code():
    "countryinfo has duplicate entries for a few codes (Wales, Holy See); keep the one with a demonym."
    by_code = {}
    for c in countryinfo.all_countries():
        info = c.info()
        code = (info.get("ISO") or {}).get("alpha2")
        if not code or info.get("name") == "Wales":
            continue
        if code not in by_code or (info.get("demonym") and not by_code[code].get("demonym")):
            by_code[code] = info
    return by_code


def _cldr_capitals_zh(ci):
    "Chinese capital names where CLDR has the capital as a time-zone exemplar city."
    zh = Locale("zh")
    out = {}
    for code, info in ci.items():
        capital = info.get("capital") or ""
        for tz in info.get("timezoneNames") or []:
            city_en = tz.split("/")[-1].replace("_", " ")
            if capital and city_en == capital:
                city = (zh.time_zones.get(tz) or {}).get("city")
                if city:
                    out[code] = city
    return out


def build():
    en, zh, zh_hant = Locale("en"), Locale("zh"), Locale("zh_Hant")
    zh_iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    ci = _countryinfo_by_code()
    hand = json.loads((SRC / "aliases_hand.json").read_text("utf-8"))
    capitals_zh = json.loads((SRC / "capitals_zh.json").read_text("utf-8"))
    eu = json.loads((SRC / "eu.json").read_text("utf-8"))["EU"]
    cldr_caps = _cldr_capitals_zh(ci)

    countries, aliases = [], []

    def add(alias, code, kind, **extra):
        alias = alias.strip()
        if alias:
            aliases.append({"alias": alias, "country": code, "kind": kind, "lang": _lang(alias), **extra})

    shapes = _boundaries()
    for c in pycountry.countries:
        code = c.alpha_2
        info = ci.get(code, {})
        name_en = en.territories.get(code) or getattr(c, "common_name", None) or c.name
        name_zh = zh.territories.get(code) or zh_iso.gettext(c.name)
        capital = info.get("capital") or None
        if isinstance(capital, list):  # countryinfo gives a list for a few (Vatican)
            capital = capital[0] if capital else None
        point = representative_point(code, info, shapes)
        countries.append({
            "code": code, "alpha3": c.alpha_3, "numeric": c.numeric,
            "name_en": name_en, "name_zh": name_zh,
            "capital_en": capital, "capital_zh": capitals_zh.get(code) or cldr_caps.get(code),
            "lat": point[0], "lng": point[1],
            "blocs": ["EU"] if code in eu else [],
        })
        names = {name_en, c.name, getattr(c, "common_name", None) or "", getattr(c, "official_name", None) or ""}
        for alt in info.get("altSpellings") or []:
            # two/three-letter codes collide with words (IN, IS, AM, ME) and non-Latin spellings
            # never appear in English news; the hand file adds the safe ones (US, UK, UAE)
            if len(alt) > 3 and not re.search(r"[^\x00-\u024f]", alt):
                names.add(alt)
        for n in names:
            if n and "," not in n:
                add(n, code, "name")
        for n in {name_zh, zh_hant.territories.get(code) or "", zh_iso.gettext(c.name)}:
            if n and n != c.name:
                add(n, code, "name")
        if info.get("demonym"):
            add(info["demonym"], code, "demonym")
        # capitals of tiny territories are mostly people's names in news (Victoria, Douglas, Stanley)
        if capital and (info.get("population") or 0) >= MIN_CAPITAL_POPULATION:
            add(capital, code, "capital")
        if capitals_zh.get(code) or cldr_caps.get(code):
            add(capitals_zh.get(code) or cldr_caps.get(code), code, "capital")

    countries.append({"code": "EU", "alpha3": None, "numeric": None, "name_en": en.territories["EU"],
                      "name_zh": zh.territories["EU"], "capital_en": "Brussels", "capital_zh": "布鲁塞尔",
                      "lat": 50.8466, "lng": 4.3528, "blocs": [], "bloc": True, "members": eu})

    for code, kinds in hand["countries"].items():
        for kind, items in kinds.items():
            for item in items:
                if kind == "people":
                    add(item, code, "demonym", people=True)
                elif isinstance(item, dict):
                    item = dict(item)
                    add(item.pop("alias"), code, kind, **item)
                else:
                    add(item, code, kind)

    hand_surfaces = {}
    for code, kinds in hand["countries"].items():
        for items in kinds.values():
            for item in items:
                hand_surfaces.setdefault(item["alias"] if isinstance(item, dict) else item, set()).add(code)
    population = {code: info.get("population") or 0 for code, info in ci.items()}
    owners = {}
    for a in aliases:
        owners.setdefault(a["alias"], set()).add(a["country"])
    drop = {tuple(d.split(":", 1)) for d in hand["drop"]}
    for alias, codes in owners.items():
        if len(codes) < 2:
            continue
        # a surface shared by several countries ("American": US and the Northern Mariana Islands) goes to
        # the country the hand file names, else to the most populous one
        keep = hand_surfaces.get(alias) or {max(codes, key=lambda c: population.get(c, 0))}
        drop |= {(c, alias) for c in codes - keep}
    seen, unique = set(), []
    for a in aliases:
        key = (a["alias"], a["country"], a["kind"], a.get("valid_from"))
        if (a["country"], a["alias"]) in drop or key in seen:
            continue
        seen.add(key)
        unique.append(a)
    # an alias listed both as a name and as a leader/institution keeps its most specific kind only once per country
    unique.sort(key=lambda a: (a["country"], a["kind"], a["alias"]))

    blockers = json.loads((SRC / "blockers.json").read_text("utf-8"))
    us_states = sorted(s.name for s in pycountry.subdivisions.get(country_code="US") if s.type == "State")
    ca_provinces = sorted(s.name for s in pycountry.subdivisions.get(country_code="CA"))
    blockers["us_states"] = us_states
    blockers["ca_provinces"] = ca_provinces
    blockers["_source"] += " US states and Canadian provinces: pycountry (ISO 3166-2)."

    versions = "babel %s (CLDR %s), pycountry, countryinfo" % (babel.__version__, babel.core.get_cldr_version())
    write("countries.json", {
        "_source": "Generated by scripts/build_gazetteer.py from %s; capital_zh from CLDR time-zone cities and scripts/gazetteer_src/capitals_zh.json; lat/lng is the capital (a point inside the country, unlike a centroid); EU membership from scripts/gazetteer_src/eu.json." % versions,
        "countries": countries})
    write("country_aliases.json", {
        "_source": "Generated by scripts/build_gazetteer.py from %s and scripts/gazetteer_src/aliases_hand.json. kind: name|demonym|capital|institution|side|leader; people=true marks plural demonyms naming people; leaders carry valid_from/valid_to (terms of office)." % versions,
        "aliases": unique})
    write("country_blockers.json", blockers)


def write(name, data):
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", OUT / name)


if __name__ == "__main__":
    build()
