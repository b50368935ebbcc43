"""The reporting chain as a layered graph (Sugiyama-style), laid out so that no edge crosses a node it does not
join: nodes in columns by their depth from the first speaker, an edge spanning several columns routed through
a free slot of each column between (a "dummy" point), nodes ordered in each column by the barycentre of their
neighbours to keep edge crossings few. Pure functions over plain data; drawing.py turns the result into SVG.

The result is also checked: `edge_node_crossings(layout)` counts segments that pass through a node's box other
than their own ends (the tests require 0)."""
import re

FONT_PX = 12
LINE_PX = 15
MAX_LINE_CHARS = 30  # a label longer than this wraps onto a second line (then "…"; the full name on hover)
SWEEPS = 8


def _units(text):
    "Width of a label in 'Latin character' units: a CJK character is about two."
    return sum(2 if re.match(r"[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]", ch) else 1 for ch in text)


def wrap_label(name, max_units=MAX_LINE_CHARS):
    "The name on at most two lines, cut with … only past that; words kept whole where there are spaces."
    if _units(name) <= max_units:
        return [name]
    words = name.split(" ")
    if len(words) > 1:
        first = ""
        for i, word in enumerate(words):
            candidate = (first + " " + word).strip()
            if _units(candidate) > max_units and first:
                rest = " ".join(words[i:])
                return [first, rest if _units(rest) <= max_units else _cut(rest, max_units)]
            first = candidate
    # no spaces (a Chinese name) or one long word: cut by width
    head = _cut(name, max_units, ellipsis=False)
    rest = name[len(head):]
    return [head, rest if _units(rest) <= max_units else _cut(rest, max_units)]


def _cut(text, max_units, ellipsis=True):
    out, used = "", 0
    for ch in text:
        used += _units(ch)
        if used > max_units - (1 if ellipsis else 0):
            return out + ("…" if ellipsis else "")
        out += ch
    return out


def _layers(names, edges):
    """Depth of each node: the longest path from a node without incoming edges; edges that close a cycle are
    reversed first (found by a depth-first search), so every remaining edge points to a deeper column."""
    succ = {n: [] for n in names}
    for e in edges:
        succ[e[0]].append(e[1])
    state, reversed_edges = {}, set()

    def visit(start):
        stack = [(start, iter(succ[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state.get(child) == 1:
                    reversed_edges.add((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(succ[child])))
                    break
            else:
                state[node] = 2
                stack.pop()

    for n in names:
        if n not in state:
            visit(n)
    forward = [(b, a) if (a, b) in reversed_edges else (a, b) for a, b in edges if a != b]
    depth = {n: 0 for n in names}
    for _ in range(len(names)):
        changed = False
        for a, b in forward:
            if depth[b] < depth[a] + 1:
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    return depth, forward, reversed_edges


def _crossings(columns, links):
    "Edge crossings between adjacent columns, for the ordering heuristic."
    total = 0
    for k in range(len(columns) - 1):
        pos_a = {n: i for i, n in enumerate(columns[k])}
        pos_b = {n: i for i, n in enumerate(columns[k + 1])}
        pairs = [(pos_a[a], pos_b[b]) for a, b in links if a in pos_a and b in pos_b]
        for i in range(len(pairs)):
            for j in range(i + 1, len(pairs)):
                if (pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0:
                    total += 1
    return total


def _order(columns, links):
    "Barycentre sweeps, down and up, keeping the ordering with fewest crossings."
    best, best_score = [list(c) for c in columns], _crossings(columns, links)
    preds, succs = {}, {}
    for a, b in links:
        succs.setdefault(a, []).append(b)
        preds.setdefault(b, []).append(a)
    current = [list(c) for c in columns]
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        ks = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for k in ks:
            ref = current[k - 1] if down else current[k + 1]
            pos = {n: i for i, n in enumerate(ref)}
            neighbours = preds if down else succs

            def key(item):
                i, n = item
                near = [pos[m] for m in neighbours.get(n, []) if m in pos]
                return (sum(near) / len(near) if near else i, i)

            current[k] = [n for _, n in sorted(enumerate(current[k]), key=key)]
        score = _crossings(current, links)
        if score < best_score:
            best, best_score = [list(c) for c in current], score
    return best


def layered_layout(nodes, edges, col_gap=56, row_height=52, pad=14):
    """nodes: [{name, kind, ...}] (names unique); edges: [{source, target, ...}].

    Returns {width, height, nodes: [node + x, y, width, height, lines], edges: [edge + points, reversed]} where
    `points` is the polyline [[x, y], ...] from the source's right side to the target's left side."""
    names = [n["name"] for n in nodes]
    pairs = [(e["source"], e["target"]) for e in edges]
    depth, forward, reversed_edges = _layers(names, pairs)
    n_cols = max(depth.values(), default=0) + 1
    # long edges: a dummy point in each column they pass
    columns = [[] for _ in range(n_cols)]
    for n in names:
        columns[depth[n]].append(n)
    links, routes = [], {}
    for a, b in dict.fromkeys(forward):
        chain = [a]
        for k in range(depth[a] + 1, depth[b]):
            dummy = ("dummy", a, b, k)
            columns[k].append(dummy)
            chain.append(dummy)
        chain.append(b)
        routes[(a, b)] = chain
        links += list(zip(chain, chain[1:]))
    columns = _order(columns, links)
    # column widths from their longest label
    info = {n["name"]: n for n in nodes}
    lines = {name: wrap_label(name) for name in names}
    widths = []
    for col in columns:
        longest = max((_units(line) for n in col if not isinstance(n, tuple) for line in lines[n]), default=6)
        widths.append(min(max(longest * FONT_PX * 0.6 + 18, 72), MAX_LINE_CHARS * FONT_PX * 0.6 + 18))
    xs, x = [], pad
    for w in widths:
        xs.append(x)
        x += w + col_gap
    tallest = max((len(c) for c in columns), default=1)
    height = pad * 2 + tallest * row_height
    placed, points = [], {}
    for k, col in enumerate(columns):
        top = pad + (tallest - len(col)) * row_height / 2  # columns centred on each other
        for i, n in enumerate(col):
            cy = top + i * row_height + row_height / 2
            if isinstance(n, tuple):
                points[n] = (xs[k], xs[k] + widths[k], cy)
                continue
            h = 30 if len(lines[n]) == 1 else 42
            placed.append({**info[n], "x": round(xs[k], 1), "y": round(cy - h / 2, 1), "width": round(widths[k], 1),
                           "height": h, "lines": lines[n], "column": k})
            points[n] = (xs[k], xs[k] + widths[k], cy)
    drawn = []
    for e in edges:
        a, b = e["source"], e["target"]
        if a == b:
            continue
        flipped = (a, b) in reversed_edges
        chain = routes[(b, a) if flipped else (a, b)]
        path = []
        for i, n in enumerate(chain):
            left, right, cy = points[n]
            if i == 0:
                path.append([right, cy])
            elif i == len(chain) - 1:
                path.append([left, cy])
            else:  # pass straight through the dummy's slot
                path += [[left, cy], [right, cy]]
        if flipped:
            path.reverse()
        drawn.append({**e, "points": [[round(px, 1), round(py, 1)] for px, py in path], "reversed": flipped})
    return {"width": round(x - col_gap + pad, 1), "height": round(height, 1), "nodes": placed, "edges": drawn}


def _segment_hits_box(p, q, box, margin=0.5):
    "Does the segment p-q pass through the inside of box (x, y, width, height), shrunk by `margin`?"
    x0, y0 = box["x"] + margin, box["y"] + margin
    x1, y1 = box["x"] + box["width"] - margin, box["y"] + box["height"] - margin
    # Liang-Barsky clipping
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-9


def edge_node_crossings(layout):
    "How many (edge, node) pairs have the edge passing through a node it does not start or end at."
    count = 0
    for e in layout["edges"]:
        pts = e["points"]
        for node in layout["nodes"]:
            if node["name"] in (e["source"], e["target"]):
                continue
            if any(_segment_hits_box(pts[i], pts[i + 1], node) for i in range(len(pts) - 1)):
                count += 1
    return count


# --- one node per resolved speaker -------------------------------------------------------------------------

# a description after the name: "Tomas Lindqvist of Kestrel Research", "Ana Ruiz, an analyst at ..."
_TAIL = re.compile(r"\s*(?:\(|,\s|\s(?:of|at|from|with)\s).*$")


def _bare(name):
    "The name without a description in parentheses ('Marco Rubio (R-Fla.)' -> 'Marco Rubio')."
    return name.split(" (")[0].strip() if name else name


def merge_speakers(edges):
    """Edges with each person drawn once: labels of one speaker ('Marco Rubio (R-Fla.)', 'Marco Rubio', 'Rubio'
    when only one speaker has that surname) become the fullest label; parallel edges are added up.

    Returns (edges, aliases {label: the label it was merged into})."""
    speakers = {n for e in edges for n, kind in ((e["source"], e["source_kind"]), (e["target"], e["target_kind"]))
                if kind == "speaker"}
    by_key = {}
    for name in speakers:
        by_key.setdefault(_bare(name).casefold(), []).append(name)
    # "Tomas Lindqvist of Kestrel Research" is Tomas Lindqvist when that name is a speaker of its own (a head
    # that is no other speaker's name, "Office" of "Office of the USTR", is left alone)
    for key in list(by_key):
        head = _TAIL.sub("", key).strip()
        if head != key and head in by_key:
            by_key[head] += by_key.pop(key)
    canonical = {}
    for names in by_key.values():
        # the label with a description says most; then the longest
        best = max(names, key=lambda n: (n != _bare(n) or bool(_TAIL.search(n)), len(n), n))
        for n in names:
            canonical[n] = best
    full = {}
    for key, names in by_key.items():
        if " " in key:
            full.setdefault(key.split()[-1], set()).add(canonical[names[0]])
    for key, names in by_key.items():
        if " " not in key and len(full.get(key, ())) == 1:  # a surname alone, one person with that surname
            target = next(iter(full[key]))
            for n in names:
                canonical[n] = target
    merged = {}
    for e in edges:
        source = canonical.get(e["source"], e["source"]) if e["source_kind"] == "speaker" else e["source"]
        target = canonical.get(e["target"], e["target"]) if e["target_kind"] == "speaker" else e["target"]
        if source == target:
            continue
        have = merged.get((source, target))
        if have is None:
            merged[(source, target)] = {**e, "source": source, "target": target}
        else:
            have["n_mentions"] = (have.get("n_mentions") or 0) + (e.get("n_mentions") or 0)
            firsts = [d for d in (have.get("first_seen"), e.get("first_seen")) if d]
            have["first_seen"] = min(firsts) if firsts else None
    aliases = {n: c for n, c in canonical.items() if n != c}
    return list(merged.values()), aliases
