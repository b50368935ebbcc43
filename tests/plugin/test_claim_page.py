"""What the claim page tells a fact-checker without hover: the chain graph with no edge through an unrelated
node (measured on every claim of the sample archive), full names, one node per resolved speaker, readable dates
in <time>, "not rated" for none, who said it first, the outlets in order (a copy counted once), who rated it
when and whether independently (claim_mentions.status_by / status_independent)."""
import re
import sqlite3

import pytest
from datasette.app import Datasette

from newstrace.plugin.chainlayout import edge_node_crossings, layered_layout, merge_speakers, wrap_label
from tests.ingest.claims.test_trace import build_archive, claim_of

CHAIN = re.compile(r'<svg class="newstrace-chain".*?</svg>', re.S)
RECT = re.compile(r'<g class="newstrace-node[^"]*" data-name="([^"]*)">\s*<rect x="([\d.]+)" y="([\d.]+)" '
                  r'width="([\d.]+)" height="([\d.]+)"')
EDGE = re.compile(r'<polyline class="newstrace-edge" data-source="([^"]*)" data-target="([^"]*)" points="([^"]*)"')


def drawn_graph(html):
    "The chain graph as drawn in the page: node boxes and edge polylines, read back from the SVG."
    svg = CHAIN.search(html)
    if not svg:
        return None
    nodes = [{"name": m[0], "x": float(m[1]), "y": float(m[2]), "width": float(m[3]), "height": float(m[4])}
             for m in RECT.findall(svg.group(0))]
    edges = [{"source": m[0], "target": m[1],
              "points": [[float(v) for v in p.split(",")] for p in m[2].split()]} for m in EDGE.findall(svg.group(0))]
    return {"nodes": nodes, "edges": edges}


async def test_no_edge_crosses_a_node_on_the_sample_archive(sample_db):
    ds = Datasette([str(sample_db)])
    with sqlite3.connect(sample_db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM claims")]
    drawn = 0
    for claim_id in ids:
        graph = drawn_graph((await ds.client.get(f"/newstrace/-/claims/{claim_id}")).text)
        if graph is None or not graph["edges"]:
            continue
        drawn += 1
        assert edge_node_crossings(graph) == 0, claim_id
    assert drawn >= 10, "the sample archive has chains to draw"


def test_the_layout_routes_long_edges_around_nodes():
    # a speaker reported by A, A by B, B by C, and the speaker straight by C: the straight line would cut
    # through A and B
    edges = [{"source": s, "target": t, "n_mentions": 1} for s, t in
             [("Ana Ruiz", "Outlet A"), ("Outlet A", "Outlet B"), ("Outlet B", "Outlet C"), ("Ana Ruiz", "Outlet C"),
              ("Outlet A", "Outlet C")]]
    nodes = [{"name": n, "kind": "outlet"} for n in ("Ana Ruiz", "Outlet A", "Outlet B", "Outlet C")]
    layout = layered_layout(nodes, edges)
    assert edge_node_crossings(layout) == 0
    # the measure sees a line through a box: the old layout drew Ana Ruiz -> Outlet C straight through Outlet A
    boxes = [{"name": n, "x": x, "y": 16, "width": 160, "height": 30} for n, x in
             (("Ana Ruiz", 16), ("Outlet A", 206), ("Outlet C", 396))]
    straight = {"nodes": boxes, "edges": [{"source": "Ana Ruiz", "target": "Outlet C", "points": [[176, 31], [392, 31]]}]}
    assert edge_node_crossings(straight) == 1
    # a cycle (A credits B, B credits A) is drawn too, one edge reversed
    cyc = layered_layout([{"name": "A", "kind": "outlet"}, {"name": "B", "kind": "outlet"}],
                         [{"source": "A", "target": "B"}, {"source": "B", "target": "A"}])
    assert len(cyc["edges"]) == 2 and sum(e["reversed"] for e in cyc["edges"]) == 1


def test_one_node_per_resolved_speaker():
    def edge(a, b, n=1):
        return {"source": a, "source_kind": "speaker", "target": b, "target_kind": "outlet", "n_mentions": n,
                "first_seen": None}

    merged, aliases = merge_speakers([edge("Marco Rubio (R-Fla.)", "Capitol Wire", 2), edge("Marco Rubio", "Capitol Wire"),
                                      edge("Rubio", "The Northern Review"), edge("Tomas Lindqvist", "Daily"),
                                      edge("Tomas Lindqvist of Kestrel Research", "Daily"),
                                      edge("Office of the Trade Representative", "Daily")])
    sources = sorted({e["source"] for e in merged})
    assert sources == ["Marco Rubio (R-Fla.)", "Office of the Trade Representative",
                       "Tomas Lindqvist of Kestrel Research"]
    assert aliases["Rubio"] == aliases["Marco Rubio"] == "Marco Rubio (R-Fla.)"
    assert next(e for e in merged if e["target"] == "Capitol Wire")["n_mentions"] == 3


def test_labels_wrap_instead_of_being_cut():
    assert wrap_label("Halvorsen Materials Institute") == ["Halvorsen Materials Institute"]
    assert wrap_label("Office of the United States Trade Representative") == [
        "Office of the United States", "Trade Representative"]
    assert "".join(wrap_label("中华人民共和国商务部新闻发言人")) == "中华人民共和国商务部新闻发言人"


@pytest.fixture(scope="module")
def rated_archive(tmp_path_factory):
    "The tracer's fixture archive, with who rated each rated mention (the claims issue's columns) set."
    path = tmp_path_factory.mktemp("rated") / "news.db"
    db, ids = build_archive(path)
    claims = {key: claim_of(db, ids, key) for key in ("share_en", "shoppers")}
    columns = {r[1] for r in db.conn.execute("PRAGMA table_info(claim_mentions)")}
    for name, kind in (("status_by", "TEXT"), ("status_independent", "INTEGER")):
        if name not in columns:
            db.conn.execute(f"ALTER TABLE claim_mentions ADD COLUMN {name} {kind}")
    db.conn.execute("UPDATE claim_mentions SET status_by = 'Ana Ruiz', status_independent = 0 "
                    "WHERE verification_status = 'confirmed'")
    db.conn.execute("UPDATE claim_mentions SET status_by = 'Valley Tribune', status_independent = 1 "
                    "WHERE verification_status = 'unverified'")
    db.conn.commit()
    db.conn.close()
    return path, ids, claims


async def test_the_page_says_who_rated_it_when_and_whether_independent(rated_archive):
    path, ids, claims = rated_archive
    ds = Datasette([str(path)])
    html = (await ds.client.get(f"/news/-/claims/{claims['share_en']}")).text
    summary = html[html.index("How it travelled"):html.index("Timeline")]
    assert "First appearance" in summary and "<strong>Ana Ruiz</strong>" in summary and "Harbor Ledger" in summary
    # outlets in the order they carried it, the republished copy said to be one
    order = [o for o in re.findall(r"<li><strong>([^<]+)</strong>", summary)]
    assert order[0] == "Harbor Ledger" and order.index("Valley Tribune") < order.index("东方日报")
    assert "Metro Daily" in order and "republished copy of Valley Tribune (not another outlet)" in summary
    ratings = summary[summary.index("Rated"):]
    assert re.search(r"confirmed</span> by <strong>Ana Ruiz</strong> <span class=\"newstrace-not-independent\">"
                     r"the claim&#39;s own source — not independent", ratings)
    assert re.search(r"unverified</span> by <strong>Valley Tribune</strong> <span class=\"newstrace-independent\">"
                     r"independent of the claim&#39;s source", ratings)
    assert '<time datetime="2026-02-10" title="2026-02-10">10 Feb 2026</time>' in ratings
    data = (await ds.client.get(f"/news/-/claims/{claims['share_en']}.json")).json()
    assert [r["by"] for r in data["ratings"]] == ["Valley Tribune", "Valley Tribune", "Ana Ruiz"]
    assert [r["independent"] for r in data["ratings"]] == [True, True, False]
    assert data["travel"][0]["outlet"] == "Harbor Ledger"
    names = {n["name"] for n in data["chain_graph"]["nodes"]}
    assert {"Ana Ruiz", "Harbor Ledger", "Valley Tribune"} <= names


async def test_not_rated_readable_dates_and_no_hover_only_signs(sample_db):
    ds = Datasette([str(sample_db)])
    with sqlite3.connect(sample_db) as conn:
        unrated = conn.execute("SELECT id FROM claims WHERE status = 'none' OR status IS NULL LIMIT 1").fetchone()[0]
    html = (await ds.client.get(f"/newstrace/-/claims/{unrated}")).text
    assert "not rated" in html and ">none<" not in html
    assert re.search(r'<time datetime="2026-\d\d-\d\dT[^"]+" title="[^"]+">\d+ \w{3} 2026', html)
    listing = (await ds.client.get("/newstrace/-/claims?_size=100")).text
    assert ">none<" not in listing and "not rated" in listing
    for sign in re.findall(r'<span class="newstrace-conflict"[^>]*>([^<]*)</span>', listing):
        assert "disagree" in sign, "≠ is explained on the page, not only on hover"
