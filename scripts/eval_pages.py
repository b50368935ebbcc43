#!/usr/bin/env python3
"""Score the text newstrace stores (decode_body + extract_page) on trafilatura's 990 evaluation pages.

usage: python scripts/eval_pages.py [--out DIR] [--workers 2] [--no-baseline] [--limit N]

Writes DIR/ours.jsonl (and DIR/baseline.jsonl: bare trafilatura.extract on the raw bytes, the scorer's own
baseline) as {"id", "text"} lines, runs ../shared/eval/pages/score_pages.py on them and prints
precision / recall / F1 for both, the pages whose text holds U+FFFD among those not valid UTF-8, and the mean
CPU time per page of each (process time: other load on the machine does not count). Needs ../shared beside
the repository (evaluation data is never copied in).
"""
import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "pages"
SCORER = PAGES / "score_pages.py"
_SCORE_LINE = re.compile(r"pages=(\d+) precision=([\d.]+) recall=([\d.]+) F1=([\d.]+)")


def list_pages():
    out = subprocess.run([sys.executable, str(SCORER), "list"], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def _one(item, baseline):
    from newstrace.ingest.acquire.decode import DecodeError, decode_body
    from newstrace.ingest.extract import ExtractError, extract_page

    body = gzip.decompress(Path(item["path"]).read_bytes())
    try:
        body.decode("utf-8")
        valid_utf8 = True
    except UnicodeDecodeError:
        valid_utf8 = False
    start = time.process_time()
    error = None
    try:
        html, encoding = decode_body(body)
        text = extract_page(html, item["id"])["text"]
    except (DecodeError, ExtractError) as err:
        text, encoding, error = "", None, str(err)
    ours_s = time.process_time() - start
    row = {"id": item["id"], "text": text, "encoding": encoding, "error": error, "valid_utf8": valid_utf8,
           "ours_s": ours_s}
    if baseline:
        import trafilatura
        start = time.process_time()
        row["baseline_text"] = trafilatura.extract(body, include_comments=False, include_tables=True) or ""
        row["bare_s"] = time.process_time() - start
    return row


def _score(path):
    out = subprocess.run([sys.executable, str(SCORER), "score", str(path)], capture_output=True, text=True,
                         check=True)
    match = _SCORE_LINE.search(out.stdout)
    if not match:
        raise RuntimeError(f"unexpected scorer output: {out.stdout!r} {out.stderr!r}")
    return {"pages": int(match.group(1)), "precision": float(match.group(2)), "recall": float(match.group(3)),
            "f1": float(match.group(4))}


def run(out_dir, workers=2, baseline=True, limit=None):
    "Extract, write and score; returns a dict of figures (see main for what is printed)."
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    items = list_pages()[:limit] if limit else list_pages()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(_one, items, [baseline] * len(items), chunksize=8))
    ours_path = out_dir / "ours.jsonl"
    with open(ours_path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({"id": row["id"], "text": row["text"]}, ensure_ascii=False) + "\n")
    result = {
        "ours": _score(ours_path),
        "non_utf8_pages": sum(1 for r in rows if not r["valid_utf8"]),
        "fffd_non_utf8": [r["id"] for r in rows if not r["valid_utf8"] and "\ufffd" in r["text"]],
        "errors": {r["id"]: r["error"] for r in rows if r["error"]},
        "encodings": sorted({r["encoding"] for r in rows if r["encoding"]}),
        "ours_ms_per_page": 1000 * sum(r["ours_s"] for r in rows) / len(rows),
    }
    if baseline:
        base_path = out_dir / "baseline.jsonl"
        with open(base_path, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({"id": row["id"], "text": row["baseline_text"]}, ensure_ascii=False) + "\n")
        result["baseline"] = _score(base_path)
        result["bare_ms_per_page"] = 1000 * sum(r["bare_s"] for r in rows) / len(rows)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="folder for ours.jsonl / baseline.jsonl (default: a temporary one)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="skip bare trafilatura (documented: F1 0.926)")
    parser.add_argument("--limit", type=int, help="only the first N pages (quick checks; scores stay over 990)")
    args = parser.parse_args()
    if not SCORER.is_file():
        sys.exit(f"evaluation pages not found at {PAGES}")
    out_dir = args.out or tempfile.mkdtemp(prefix="newstrace-eval-pages-")
    started = time.time()
    result = run(out_dir, args.workers, not args.no_baseline, args.limit)
    fig = lambda s: f"precision {s['precision']:.3f} / recall {s['recall']:.3f} / F1 {s['f1']:.3f}"
    print(f"ours (decode_body + extract_page): {fig(result['ours'])}  "
          f"{result['ours_ms_per_page']:.1f} CPU ms/page")
    if "baseline" in result:
        print(f"baseline (bare trafilatura.extract): {fig(result['baseline'])}  "
              f"{result['bare_ms_per_page']:.1f} CPU ms/page")
    print(f"pages not valid UTF-8: {result['non_utf8_pages']}, with U+FFFD in our text: "
          f"{len(result['fffd_non_utf8'])} {result['fffd_non_utf8']}")
    print(f"pages without text: {len(result['errors'])}; encodings used: {', '.join(result['encodings'])}")
    print(f"output in {out_dir} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
