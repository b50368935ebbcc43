"""The claim page's pictures, apart from the request handling: the timeline (one mark per mention, coloured
by status, shaped by attribution mode, a lane per outlet; or one mark per outlet and month from aggregates)
and the reporting chain as a layered graph. Layouts are numbers the template draws as SVG."""
import datetime

from markupsafe import Markup, escape

from .chainlayout import layered_layout, merge_speakers

# the outlets with most mentions get a lane of their own on a large claim's timeline, the rest share one
TIMELINE_LANES = 12
# the colours (statuses) and shapes (attribution modes) of the marks, in the legend's order
STATUSES = ("confirmed", "unverified", "disputed", "denied", "none")
MODES = ("direct_quote", "secondhand_outlet", "indirect_speech", "anonymous", "asserted")


# --- timeline ----------------------------------------------------------------------------------------

def _date(value):
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def mark_shape(mode, x, y, r=6):
    "SVG geometry (numbers only) of a mark shaped by attribution mode."
    if mode == "direct_quote":
        return {"kind": "circle", "cx": x, "cy": y, "r": r}
    if mode == "secondhand_outlet":
        return {"kind": "rect", "x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r}
    if mode == "indirect_speech":
        pts = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    elif mode == "anonymous":
        pts = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
    else:  # asserted: the outlet's own voice
        pts = [(x - r, y - 2), (x + r, y - 2), (x + r, y + 2), (x - r, y + 2)]
    return {"kind": "polygon", "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)}


def timeline(mentions, width=760, lane_height=34, left=170, right=30, top=20):
    "Layout of the time axis: one lane per outlet, one mark per mention (undated ones at the far right)."
    lanes = []
    for m in mentions:
        if m["outlet"] not in lanes:
            lanes.append(m["outlet"])
    dates = [d for d in (_date(m["published"]) for m in mentions) if d]
    lo, hi = (min(dates), max(dates)) if dates else (None, None)
    if lo is not None and lo == hi:
        lo, hi = lo - datetime.timedelta(days=1), hi + datetime.timedelta(days=1)
    span = (hi - lo).days if lo else 1
    plot = width - left - right - 40  # the last 40 px hold undated mentions
    height = top + lane_height * len(lanes) + 40
    marks, stack = [], {}
    for m in mentions:
        d = _date(m["published"])
        x = left + (plot * (d - lo).days / span if d else plot + 25)
        lane = lanes.index(m["outlet"])
        # mentions on the same day in the same lane sit side by side
        n = stack.get((lane, round(x)), 0)
        stack[(lane, round(x))] = n + 1
        x += n * 13
        y = top + lane_height * lane + lane_height / 2
        status = m["verification_status"] if m["verification_status"] in STATUSES else "none"
        mode = m["attribution_mode"] if m["attribution_mode"] in MODES else "asserted"
        marks.append({
            "mention_id": m["id"], "x": round(x, 1), "y": y, "status": status, "mode": mode,
            "shape": mark_shape(mode, x, y), "date": m["published"], "outlet": m["outlet"],
            "title": "{} · {} · {} · {}: {}".format(m["published"] or "undated", m["outlet"], status,
                                                    mode.replace("_", " "), m["sentence"][:160]),
        })
    ticks = []
    if lo:
        n_ticks = min(6, span + 1)
        for i in range(n_ticks):
            day = lo + datetime.timedelta(days=round(span * i / max(n_ticks - 1, 1)))
            ticks.append({"x": round(left + plot * (day - lo).days / span, 1), "label": day.isoformat()})
    return {
        "width": width, "height": height, "left": left, "top": top, "axis_y": height - 30,
        "plot_right": left + plot, "lanes": [{"name": name, "y": top + lane_height * i + lane_height / 2}
                                             for i, name in enumerate(lanes)],
        "marks": marks, "ticks": ticks, "undated_x": left + plot + 25 if any(not _date(m["published"])
                                                                              for m in mentions) else None,
    }


# --- reporting chain ---------------------------------------------------------------------------------

def chain_graph(edges):
    """Layered layout of the 'reported by' graph (chainlayout.py): speakers on the left, each outlet right of
    its source, one node per resolved speaker, no edge through a node it does not join."""
    merged, aliases = merge_speakers(edges)
    kinds, order = {}, []
    for e in merged:
        for name, kind in ((e["source"], e["source_kind"]), (e["target"], e["target_kind"])):
            if name not in kinds:
                order.append(name)
            # a name some mention reports through is an outlet
            kinds[name] = "speaker" if kinds.get(name, kind) == "speaker" and kind == "speaker" else "outlet"
    nodes = [{"name": n, "kind": kinds[n], "aliases": sorted(a for a, c in aliases.items() if c == n)} for n in order]
    layout = layered_layout(nodes, merged)
    for e in layout["edges"]:
        e["stroke_width"] = min(1.5 + (e.get("n_mentions") or 1) * 0.5, 5)
        e["path"] = " ".join(f"{x},{y}" for x, y in e["points"])
    return layout


# --- large claims: the same pictures from aggregates ---------------------------------------------------

def _mark_svg(mark):
    "One aggregated timeline mark as SVG (the same classes and shapes the template draws for single mentions)."
    s = mark["shape"]
    cls = f"newstrace-mark newstrace-status-{mark['status']} newstrace-mode-{mark['mode']}"
    if s["kind"] == "circle":
        geometry = f'cx="{s["cx"]:.1f}" cy="{s["cy"]:.1f}" r="{s["r"]}"'
    elif s["kind"] == "rect":
        geometry = f'x="{s["x"]:.1f}" y="{s["y"]:.1f}" width="{s["width"]}" height="{s["height"]}"'
    else:
        geometry = f'points="{s["points"]}"'
    # numbers and fixed class names only, besides the escaped title (Markup.format costs 3x more here)
    return Markup(f'<g class="newstrace-mark-group" data-count="{int(mark["n"])}"><{s["kind"]} class="{cls}" '
                  f'{geometry}><title>{escape(mark["title"])}</title></{s["kind"]}></g>')


def timeline_lanes(per_outlet):
    "The outlets that get a lane of their own: those with most mentions ({outlet: mentions})."
    return sorted(per_outlet, key=lambda o: (-per_outlet[o], o))[:TIMELINE_LANES]


def timeline_from_groups(groups, per_outlet, width=760, lane_height=34, left=170, right=30, top=20):
    """The timeline of a claim with many mentions: one mark per (outlet lane, month), sized by its count,
    coloured by its most frequent status, shaped by its most frequent attribution mode. `groups` are
    TIMELINE_SQL's rows (outlet None: every outlet without a lane), `per_outlet` OUTLETS_SQL's counts."""
    kept = timeline_lanes(per_outlet)
    others = len(per_outlet) - len(kept)
    other_lane = f"{others} other outlets" if others else None
    lanes = kept + ([other_lane] if other_lane else [])
    cells = {}
    for g in groups:
        lane = g["outlet"] if g["outlet"] in kept else other_lane
        cell = cells.setdefault((lane, g["month"]), {"n": 0, "status": {}, "mode": {}})
        cell["n"] += g["n"]
        cell["status"][g["status"]] = cell["status"].get(g["status"], 0) + g["n"]
        cell["mode"][g["mode"]] = cell["mode"].get(g["mode"], 0) + g["n"]
    months = sorted({m for _, m in cells if m})
    dates = [_date(m + "-01") for m in months]
    lo, hi = (dates[0], dates[-1]) if dates else (None, None)
    if lo is not None and lo == hi:
        lo, hi = lo - datetime.timedelta(days=15), hi + datetime.timedelta(days=15)
    span = (hi - lo).days if lo else 1
    plot = width - left - right - 40
    height = top + lane_height * len(lanes) + 40
    biggest = max((c["n"] for c in cells.values()), default=1)
    marks = []
    for (lane, month), cell in sorted(cells.items(), key=lambda kv: (lanes.index(kv[0][0]), kv[0][1] or "9999")):
        d = _date(month + "-01") if month else None
        x = left + (plot * (d - lo).days / span if d else plot + 25)
        y = top + lane_height * lanes.index(lane) + lane_height / 2
        status = max(cell["status"], key=lambda k: (cell["status"][k], k or ""))
        status = status if status in STATUSES else "none"
        mode = max(cell["mode"], key=lambda k: (cell["mode"][k], k or ""))
        mode = mode if mode in MODES else "asserted"
        r = round(3 + 9 * (cell["n"] / biggest) ** 0.5, 1)
        counts = ", ".join(f"{k or 'none'} {v}" for k, v in sorted(cell["status"].items(), key=lambda kv: -kv[1]))
        mark = {"mention_id": None, "x": round(x, 1), "y": y, "status": status, "mode": mode, "n": cell["n"],
                "shape": mark_shape(mode, x, y, r), "date": month, "outlet": lane,
                "title": f"{month or 'undated'} · {lane} · {cell['n']} mention{'s' if cell['n'] != 1 else ''}"
                         f" · {counts}"}
        # up to lanes x months marks: written here, not by the template (a third of the page's time at 100k)
        mark["svg"] = _mark_svg(mark)
        marks.append(mark)
    ticks = []
    if lo:
        n_ticks = min(6, len(months)) or 1
        for i in range(n_ticks):
            day = lo + datetime.timedelta(days=round(span * i / max(n_ticks - 1, 1)))
            ticks.append({"x": round(left + plot * (day - lo).days / span, 1), "label": day.isoformat()[:7]})
    return {
        "width": width, "height": height, "left": left, "top": top, "axis_y": height - 30, "plot_right": left + plot,
        "lanes": [{"name": name, "y": top + lane_height * i + lane_height / 2} for i, name in enumerate(lanes)],
        "marks": marks, "ticks": ticks, "undated_x": left + plot + 25 if any(not m for _, m in cells) else None,
        "aggregated": True,
    }
