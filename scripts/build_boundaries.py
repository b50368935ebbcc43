"""Generate plugin/data/world.geojson: country boundaries for the newstrace map pages.

Run at build time only (needs npm, plus the `build` extra for pycountry and babel):
    python scripts/build_boundaries.py [--scale 110m|50m] [--topojson path/to/countries-110m.json]

Source: Natural Earth admin-0 countries (public domain, https://www.naturalearthdata.com/), as the
TopoJSON files of the npm package `world-atlas` (ISC licence, https://github.com/topojson/world-atlas),
fetched with `npm pack` into a temporary folder. The TopoJSON arcs are decoded here, features keyed by
ISO 3166-1 alpha-2 (`properties.code`, from the ISO numeric ids through pycountry), English and Chinese
names from Babel's CLDR data, coordinates rounded to 3 decimals (about 100 m, far below what the 1:110m
scale draws). Nothing is downloaded at run time: the plugin serves this file.
"""
import argparse
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "plugin" / "data" / "world.geojson"
PRECISION = 3

# Natural Earth features that carry no ISO numeric id in world-atlas. Kosovo uses the user-assigned code
# XK (as the EU, CLDR and most data providers do); the de facto entities in Cyprus and Somalia are drawn
# as part of the ISO country they belong to de jure, so a map colours the whole island/country.
# Siachen Glacier (disputed) and the Australian Indian Ocean territories (two ISO codes in one feature,
# 1:50m only) are left out.
NAME_CODES = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def fetch_topojson(scale):
    "countries-<scale>.json from the world-atlas npm package, unpacked in a temporary folder."
    tmp = Path(tempfile.mkdtemp(prefix="world-atlas-"))
    out = subprocess.run(["npm", "pack", "world-atlas@2", "--silent"], cwd=tmp, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tarfile.open(tmp / out) as tar:
        tar.extractall(tmp, filter="data")
    version = json.loads((tmp / "package" / "package.json").read_text())["version"]
    return json.loads((tmp / "package" / f"countries-{scale}.json").read_text()), f"world-atlas@{version}"


def decode_arcs(topology):
    "Absolute [lng, lat] points of every arc (quantized topologies store deltas)."
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [tuple(p[:2]) for p in arc]
        arcs.append(points)
    return arcs


def stitch(arcs, indexes):
    "One ring from arc indexes; ~i means arc i reversed, and consecutive arcs share their end point."
    ring = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


# --- antimeridian ------------------------------------------------------------------------------------
# world-atlas rejoined the rings Natural Earth cuts at 180°, so Russia's Chukotka and Fiji hop from +180
# to -180 inside one ring and Leaflet draws a stripe across the whole map. Unwrap such rings into
# continuous longitudes, then cut them back into one piece per 360° window.

def unwrap(ring):
    out = [ring[0]]
    shift = 0.0
    for x, y in ring[1:]:
        dx = x + shift - out[-1][0]
        if dx > 180:
            shift -= 360
        elif dx < -180:
            shift += 360
        out.append((x + shift, y))
    return out


def clip_half(ring, x0, keep_right):
    "Sutherland-Hodgman against the vertical line x = x0 (ring closed, first == last)."
    inside = (lambda p: p[0] >= x0) if keep_right else (lambda p: p[0] <= x0)
    out = []
    for a, b in zip(ring, ring[1:]):
        if inside(b):
            if not inside(a):
                out.append(_cross(a, b, x0))
            out.append(b)
        elif inside(a):
            out.append(_cross(a, b, x0))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _cross(a, b, x0):
    t = (x0 - a[0]) / (b[0] - a[0])
    return (x0, a[1] + t * (b[1] - a[1]))


def split_ring(ring):
    """[(window k, ring shifted back by -360k)] for a ring that may cross +-180 or circle a pole."""
    if not any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:])):
        return [(0, ring)]
    flat = unwrap(ring)
    if abs(flat[-1][0] - flat[0][0]) > 180:
        # circles a pole (Antarctica): close it along the pole instead of back across the map
        pole = -90.0 if sum(y for _, y in flat) < 0 else 90.0
        flat = flat + [(flat[-1][0], pole), (flat[0][0], pole), flat[0]]
    xs = [x for x, _ in flat]
    pieces = []
    for k in range(math.floor((min(xs) + 180) / 360), math.ceil((max(xs) - 180) / 360) + 1):
        part = clip_half(clip_half(flat, -180 + 360 * k, True), 180 + 360 * k, False)
        if len(part) >= 4 and abs(_area(part)) > 1e-9:
            pieces.append((k, [(x - 360 * k, y) for x, y in part]))
    return pieces


def _area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2


def fix_polygon(rings):
    "A polygon (outer ring + holes) as one or more polygons that stay within -180..180."
    outer = split_ring(rings[0])
    if len(outer) == 1 and outer[0][0] == 0 and outer[0][1] is rings[0]:
        return [rings]
    polygons = {k: [part] for k, part in outer}
    for hole in rings[1:]:
        for k, part in split_ring(hole):
            if k in polygons:
                polygons[k].append(part)
    return list(polygons.values())


# --- output ------------------------------------------------------------------------------------------

def rounded(ring):
    out = []
    for x, y in ring:
        p = [round(x, PRECISION), round(y, PRECISION)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def polygons_of(geometry, arcs):
    polys = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    out = []
    for poly in polys:
        for fixed in fix_polygon([stitch(arcs, r) for r in poly]):
            outer = rounded(fixed[0])
            if outer:  # a sliver that vanishes when rounded is dropped with its holes
                out.append([outer] + [h for h in (rounded(h) for h in fixed[1:]) if h])
    return out


def code_for(geometry):
    name = geometry.get("properties", {}).get("name")
    if name in NAME_CODES:
        return NAME_CODES[name]
    gid = geometry.get("id")
    country = pycountry.countries.get(numeric=str(gid).zfill(3)) if gid is not None else None
    return country.alpha_2 if country else None


def build(topology, source):
    arcs = decode_arcs(topology)
    en, zh = Locale("en").territories, Locale("zh").territories
    by_code, skipped = {}, []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        code = code_for(geometry)
        if not code or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            skipped.append(name)
            continue
        feature = by_code.setdefault(code, {"polygons": [], "parts": []})
        feature["polygons"].extend(polygons_of(geometry, arcs))
        feature["parts"].append(name)
    features = []
    for code in sorted(by_code):
        polys = by_code[code]["polygons"]
        # area in square degrees: the map adds a marker where a polygon is too small to see or click
        area = sum(abs(_area(p[0])) - sum(abs(_area(h)) for h in p[1:]) for p in polys)
        properties = {"code": code, "name": en.get(code, by_code[code]["parts"][0]), "name_zh": zh.get(code),
                      "area": round(area, 2)}
        if len(by_code[code]["parts"]) > 1:
            properties["natural_earth_parts"] = by_code[code]["parts"]
        geometry = ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
                    else {"type": "MultiPolygon", "coordinates": polys})
        features.append({"type": "Feature", "id": code, "properties": properties, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "properties": {
            "source": f"Natural Earth admin-0 countries via the npm package {source} (TopoJSON)",
            "source_url": "https://github.com/topojson/world-atlas",
            "licence": "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/); "
                       "world-atlas packaging: ISC licence, Copyright 2013-2019 Michael Bostock",
            "generator": "scripts/build_boundaries.py (arcs decoded, rings split at the antimeridian, "
                         f"coordinates rounded to {PRECISION} decimals, names from CLDR via Babel)",
            "skipped": sorted(n for n in skipped if n),
        },
        "features": features,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="110m", choices=["110m", "50m"])
    parser.add_argument("--topojson", type=Path, help="a local countries-*.json instead of npm pack")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.topojson:
        topology, source = json.loads(args.topojson.read_text()), f"world-atlas ({args.topojson.name})"
    else:
        topology, source = fetch_topojson(args.scale)
    collection = build(topology, f"{source}, countries-{args.scale}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} countries, {args.out.stat().st_size:,} bytes; "
          f"skipped {collection['properties']['skipped']}", file=sys.stderr)


if __name__ == "__main__":
    main()
