#!/usr/bin/env python3
"""zh->en retrieval P@1 on ../shared/eval/claims/tatoeba_cmn_eng_first300.tsv: for each Chinese sentence, is
its English translation the most similar of the 300 English sentences?

usage: python scripts/eval_tatoeba.py [--file TSV] [--matcher cross,rules,model]

- cross (the default matcher, `--matcher cross`): across languages the tracer links what the rules link and,
  for pairs that share a figure or two language-neutral tokens, what the multilingual sentence model says is
  the same sentence: its similarity across languages is the model's cosine (ingest/claims/embed.py).
- rules: the rules-only matcher's similarity (trace.similarity: Dice over the language-neutral tokens —
  figures, lexicon concepts, countries, names —, uncovered words counted half).
  A hit needs the translation strictly on top: a tie at the top is a miss (all-zero rows are common).
- model: cosine similarity of the sentence model (every pair; `--matcher model`).
The file is read at run time from ../shared beside the repository; nothing of it is copied.
"""
import argparse
import csv
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "claims" / "tatoeba_cmn_eng_first300.tsv"


def read_pairs(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["cmn"], r["eng"]) for r in rows if r.get("cmn") and r.get("eng")]


def p_at_1(scores):
    "scores[i][j]: similarity of Chinese i to English j. Returns (strict P@1, P@1 counting ties as hits)."
    strict = loose = 0
    for i, row in enumerate(scores):
        top = max(row)
        if row[i] == top:
            loose += 1
            if sum(1 for s in row if s == top) == 1:
                strict += 1
    return strict / len(scores), loose / len(scores)


def rules_scores(pairs):
    from newstrace.ingest.claims import trace

    zh = [trace.features({"sentence": c, "quantities": []}) for c, _ in pairs]
    en = [trace.features({"sentence": e, "quantities": []}) for _, e in pairs]
    return [[trace.similarity(a, b) for b in en] for a in zh]


def model_scores(pairs):
    from newstrace.ingest.claims import embed

    zh = embed.embed([c for c, _ in pairs])
    en = embed.embed([e for _, e in pairs])
    return (zh @ en.T).tolist()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", default=str(DEFAULT))
    parser.add_argument("--matcher", default="cross,rules,model")
    args = parser.parse_args(argv)
    if not Path(args.file).exists():
        print(f"{args.file} not found (the evaluation data lives in ../shared beside the repository)", file=sys.stderr)
        return 1
    pairs = read_pairs(args.file)
    print(f"{len(pairs)} zh-en pairs from {args.file}")
    print("| matcher | P@1 (strict) | P@1 (ties count) | seconds |")
    print("|---|---|---|---|")
    for name in args.matcher.split(","):
        t0 = time.perf_counter()
        if name == "rules":
            scores = rules_scores(pairs)
        elif name in ("model", "cross"):
            from newstrace.ingest.claims.embed import ModelUnavailable

            try:
                scores = model_scores(pairs)
            except ModelUnavailable as err:
                print(f"| model | - | - | {err} |")
                continue
        else:
            parser.error(f"unknown matcher {name}")
        strict, loose = p_at_1(scores)
        print(f"| {name} | {strict:.3f} | {loose:.3f} | {time.perf_counter() - t0:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
