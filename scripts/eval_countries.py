"""Score country extraction on ../shared/eval/countries (GeoWebNews and ReLocaR).

    python scripts/eval_countries.py [--out DIR] [--min-p 0.95 --min-r 0.97 --min-acc 0.80]

Writes DIR/gwn_out.jsonl ({"id", "countries"} per line, as `newstrace analyze --jsonl` would) and
DIR/relocar_out.jsonl ({"id", "reading"}), runs the shared score_countries.py on the first, and prints
mention-level recall by the corpus' reading type, ReLocaR accuracy/coverage and ms per article.
Exit status 1 when a target is missed.
"""
import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newstrace.ingest.countries import document_countries, extract_countries

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "countries"
# GWN types whose spans must not be found as country mentions (README: negatives)
NEGATIVE_TYPES = {"Language", "Homonym", "Demonym"}


def run_gwn(out_dir):
    rows = [json.loads(line) for line in open(SHARED / "gwn.jsonl", encoding="utf-8")]
    t0 = time.perf_counter()
    results = [(r, extract_countries(r["text"], "en")) for r in rows]
    ms = (time.perf_counter() - t0) * 1000 / len(rows)
    out = out_dir / "gwn_out.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for r, mentions in results:
            f.write(json.dumps({"id": r["id"], "countries": document_countries(mentions)}) + "\n")
    # mention level: offset overlap and same code, by the corpus' reading type
    found = collections.Counter()
    total = collections.Counter()
    matched_pred = 0
    n_pred = 0
    for r, mentions in results:
        gold = [m for m in r["mentions"] if m["iso2"] or m["type"] in NEGATIVE_TYPES]
        for g in gold:
            key = g["type"] + ("" if g["iso2"] else " (negative)")
            total[key] += 1
            hit = any(p["char_start"] < g["end"] and g["start"] < p["char_end"] and
                      (not g["iso2"] or p["country"] == g["iso2"]) for p in mentions)
            found[key] += hit
        gold_pos = [g for g in r["mentions"] if g["iso2"]]
        for p in mentions:
            n_pred += 1
            matched_pred += any(p["char_start"] < g["end"] and g["start"] < p["char_end"] and p["country"] == g["iso2"]
                                for g in gold_pos)
    return out, ms, found, total, matched_pred, n_pred


def run_relocar(out_dir):
    rows = [json.loads(line) for line in open(SHARED / "relocar.jsonl", encoding="utf-8")]
    scored = correct = unknown = 0
    out = out_dir / "relocar_out.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            if not r["iso2"] or r["reading"] == "mixed":
                continue
            mentions = extract_countries(r["text"], "en")
            hit = [m for m in mentions if m["char_start"] < r["end"] and r["start"] < m["char_end"]]
            reading = hit[0]["reading"] if hit else "unknown"
            if reading not in ("literal", "government"):
                reading = "unknown"
            f.write(json.dumps({"id": r["id"], "reading": reading}) + "\n")
            scored += 1
            unknown += reading == "unknown"
            correct += (reading == "government") == (r["reading"] == "metonymic") and reading != "unknown"
    return out, scored, correct / scored, 1 - unknown / scored


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("--min-p", default="0.95")
    ap.add_argument("--min-r", default="0.97")
    ap.add_argument("--min-acc", type=float, default=0.80)
    args = ap.parse_args(argv)
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="eval_countries_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    gwn_out, ms, found, total, matched_pred, n_pred = run_gwn(out_dir)
    scorer = subprocess.run([sys.executable, str(SHARED / "score_countries.py"), str(SHARED / "gwn.jsonl"),
                             str(gwn_out), "countries", args.min_p, args.min_r, "GWN document level"])
    print(f"GWN mention level: precision {matched_pred / n_pred:.3f} ({matched_pred}/{n_pred} predicted spans "
          "overlap a gold span of the same country)")
    for key in sorted(total):
        print(f"  {key:32s} found {found[key]:4d}/{total[key]:4d} = {found[key] / total[key]:.3f}")
    print(f"speed: {ms:.2f} ms/article (extract_countries, {len(total) and 'GWN texts'})")
    rel_out, scored, acc, coverage = run_relocar(out_dir)
    print(f"ReLocaR literal vs government: accuracy {acc:.3f} over {scored} rows, coverage {coverage:.3f}")
    print("outputs:", gwn_out, rel_out)
    ok = scorer.returncode == 0 and acc >= args.min_acc
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
