#!/usr/bin/env python3
"""Database bytes per article, split into text, FTS, raw snapshots, derived tables, indexes.

usage: python bench/bench_size.py DB [DB ...] [--label NAME ...] [--no-results]

Uses SQLite's dbstat virtual table (page bytes per table and index); when this SQLite lacks it, falls back
to the file size and the stored lengths only. Target (issue 5): database <= 1.3 x (text + compressed raw
responses), where text is the UTF-8 bytes of articles.text and raw is the stored (compressed) bodies.
"""
import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import human_bytes, table, write_section  # noqa: E402

TARGET = 1.3
TEXT, FTS, RAW, DERIVED, LOG, REF = ("text (articles, article_versions)", "FTS (every *_fts shadow table)",
                                     "raw snapshots", "derived (claims, countries, participation)", "fetch log",
                                     "reference (countries, initiatives)")
TRACE = "tracing working tables and their indexes (claim_blocks, _block_df, _features, _keys, _edges, _state)"
TOP_OBJECTS = 16
TABLES = {"articles": TEXT, "article_versions": TEXT, "snapshots": RAW, "claim_mentions": DERIVED,
          "claims": DERIVED, "claim_redirects": DERIVED, "country_mentions": DERIVED, "article_countries": DERIVED,
          "participation": DERIVED, "initiative_claimed_counts": DERIVED, "fetch_log": LOG, "countries": REF,
          "initiatives": REF}
INDEX_LABEL = {TEXT: "indexes on articles", RAW: "raw snapshots", DERIVED: "indexes on derived tables",
               LOG: "fetch log", REF: "reference (countries, initiatives)"}


def categorise(name):
    if "_fts" in name:
        return FTS
    if name in TABLES:
        return TABLES[name]
    if name.startswith(("claim_", "idx_claim_blocks", "idx_claim_features", "idx_claim_keys", "idx_claim_edges",
                        "sqlite_autoindex_claim_")) and not name.startswith(("claim_mentions", "claim_redirects")) \
            and not name.startswith("idx_claim_mentions"):
        return TRACE  # the tracer's working tables: what clustering needs, not what the views read
    if name.startswith("sqlite_autoindex_"):
        owner = name[len("sqlite_autoindex_"):].rsplit("_", 1)[0]
    elif name.startswith("idx_"):
        rest = name[4:]
        owner = max((t for t in TABLES if rest.startswith(t + "_")), key=len, default=None)
    else:
        owner = None
    if owner in TABLES:
        return INDEX_LABEL[TABLES[owner]]
    if owner and owner.startswith("claim_") or name.startswith("idx_claim_"):
        return INDEX_LABEL[DERIVED]
    return "other (schema)"


def measure(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    text = conn.execute("SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM articles").fetchone()[0]
    raw = conn.execute("SELECT COALESCE(SUM(LENGTH(body)), 0), COALESCE(SUM(size), 0) FROM snapshots").fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    file_bytes = conn.execute("PRAGMA page_count").fetchone()[0] * page_size
    split, objects = {}, {}
    try:
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            label = categorise(name)
            split[label] = split.get(label, 0) + size
            objects[name] = size
        accounted = sum(split.values())
        if file_bytes > accounted:
            split["free pages (freelist)"] = file_bytes - accounted
    except sqlite3.OperationalError:
        split = None
    conn.close()
    return {"path": str(path), "articles": articles, "text": text, "raw_compressed": raw[0], "raw_size": raw[1],
            "file": file_bytes, "split": split, "objects": objects}


def render(m):
    n = max(1, m["articles"])
    base = m["text"] + m["raw_compressed"]
    ratio = m["file"] / base if base else float("nan")
    lines = [f"{m['articles']:,} articles, database {human_bytes(m['file'])} = {m['file'] / n:,.0f} bytes/article; "
             f"text {human_bytes(m['text'])}, raw responses {human_bytes(m['raw_size'])} stored compressed as "
             f"{human_bytes(m['raw_compressed'])}; database / (text + compressed raw) = **{ratio:.2f}** "
             f"(target <= {TARGET}: {'met' if ratio <= TARGET else 'MISSED'})", ""]
    if m["split"]:
        rows = [[label, human_bytes(size), f"{size / n:,.0f}", f"{100 * size / m['file']:.1f} %"]
                for label, size in sorted(m["split"].items(), key=lambda kv: -kv[1])]
        lines.append(table(["part", "bytes", "bytes/article", "share"], rows))
        top = sorted(m.get("objects", {}).items(), key=lambda kv: -kv[1])[:TOP_OBJECTS]
        rows = [[name, categorise(name).split(" (")[0], human_bytes(size), f"{size / n:,.0f}",
                 f"{100 * size / m['file']:.1f} %"] for name, size in top]
        lines += ["", f"Largest tables and indexes (top {TOP_OBJECTS}):", "",
                  table(["table or index", "part", "bytes", "bytes/article", "share"], rows)]
    else:
        lines.append("(this SQLite has no dbstat table: no split)")
    return "\n".join(lines) + "\n", ratio


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dbs", nargs="+")
    parser.add_argument("--label", action="append", default=[])
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    for i, db in enumerate(args.dbs):
        label = args.label[i] if i < len(args.label) else Path(db).stem
        report(db, label, write=not args.no_results)


def report(db, label, write=True):
    m = measure(db)
    text, ratio = render(m)
    print(f"### {label}\n{text}")
    if write:
        write_section(f"size-{label}", f"Size: {label}", f"`python bench/bench_size.py {db}`\n\n" + text)
    return m, ratio


if __name__ == "__main__":
    main()
