#!/usr/bin/env python3
"""How much claim extraction + tracing adds per article, against trafilatura's own extraction time.

usage: python scripts/bench_trace.py [--synthetic 1000,4000] [--singles 150] [--matcher rules|model]

Two corpora, each traced two ways: every article in one batch (`trace.update_claims(db, all ids)`), and one
article per batch (store the page, trace it, next page: a daily ingest of a growing archive).
- sample: the bundled sample corpus, fetched from the local sample server and run through the real pipeline
  (`pipeline.process_body`, `store.record_page`); trafilatura = `trafilatura.extract(html, output_format=
  "json", with_metadata=True)` on the same bytes.
- synthetic: one-topic articles from bench/textgen.py (five claim templates about minerals trade, Zipf
  repeats: most mentions share many tokens with thousands of others), N articles traced in one batch, then
  `--singles` more traced one per batch on top of that archive; trafilatura on an HTML page of each text.
Scratch databases go to a temporary folder. Prints one table; nothing is written to the repository.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _ms(seconds):
    return f"{1000 * seconds:.2f}"


def bare_trafilatura(body, rounds=3):
    import trafilatura

    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        trafilatura.extract(body, output_format="json", with_metadata=True)
        spent = time.perf_counter() - t0
        best = spent if best is None else min(best, spent)
    return best


def sample_items():
    "[(task, fetched, page, derived, trafilatura s, claims s)] for every article of the sample corpus."
    from newstrace.ingest.claims import extract_claims
    from newstrace.ingest.acquire import fetch
    from newstrace.ingest.pipeline import process_body
    from newstrace.ingest.sample import sample_urls, serve_sample

    out = []
    with serve_sample() as server:
        for url in sample_urls(server.base_url):
            r = fetch(url, allow_private=True)
            fetched = {"url": url, "final_url": r.final_url, "status": r.status, "headers": r.headers,
                       "body": r.body, "fetched_at": r.fetched_at, "content_type": r.content_type}
            result = process_body(dict(fetched), {"extract_timeout": 30})
            page = result["page"]
            t0 = time.perf_counter()
            for _ in range(3):
                extract_claims(page["text"], page.get("language"))
            claims_s = (time.perf_counter() - t0) / 3
            out.append(({"source": "bench", "url": url}, result["fetched"], page, result["derived"],
                        bare_trafilatura(r.body), claims_s))
    return out


def synthetic_items(n, seed=1):
    "textgen articles as record_page takes them, with a full HTML page of each text for trafilatura."
    from make_archive import synth
    from textgen import TextGen

    gen = TextGen(seed=seed)
    items = []
    for i in range(n):
        task, fetched, page, derived, _ = synth(gen, i, max(1000, n // 3), ())
        items.append((task, fetched, page, derived))
    return items


def html_of(page):
    paragraphs = "".join(f"<p>{p}</p>" for p in page["text"].split("\n\n"))
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{page['title']}</title></head><body>"
            f"<nav><a href=/>Home</a> <a href=/world>World</a></nav><article><h1>{page['title']}</h1>"
            f"{paragraphs}</article><footer>Contact us</footer></body></html>").encode("utf-8")


def trace_timings(items, singles_from, matcher, workdir, label):
    """Store items[:singles_from] and trace them in one batch (timed), then store and trace each of the
    rest alone (timed). Returns (batch s, n batch, [single s])."""
    from newstrace.ingest import store
    from newstrace.ingest.claims import trace

    db = store.open_db(str(Path(workdir) / f"{label}.db"))
    ids = [store.record_page(db, task, fetched, page, derived)[1] for task, fetched, page, derived in
           (it[:4] for it in items[:singles_from])]
    t0 = time.perf_counter()
    trace.update_claims(db, set(ids), matcher=matcher)
    batch = time.perf_counter() - t0
    singles = []
    for task, fetched, page, derived in (it[:4] for it in items[singles_from:]):
        _, aid = store.record_page(db, task, fetched, page, derived)
        t0 = time.perf_counter()
        trace.update_claims(db, [aid], matcher=matcher)
        singles.append(time.perf_counter() - t0)
    mentions = db.conn.execute("SELECT COUNT(*) FROM claim_mentions").fetchone()[0]
    claims = db.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    db.conn.close()
    return batch, len(ids), singles, mentions, claims


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", default="1000,4000", help="archive sizes (articles) for the synthetic run")
    parser.add_argument("--singles", type=int, default=150, help="one-article batches timed on top of each")
    parser.add_argument("--matcher", default="rules", choices=("rules", "model"))
    args = parser.parse_args(argv)
    from newstrace.ingest.claims import trace

    # data files load once per process, before anything is timed (as in a long ingest)
    trace.features({"sentence": "China said 70% 中国表示", "quantities": [], "speaker": "Vance"})
    rows = []
    with tempfile.TemporaryDirectory(prefix="newstrace-bench-trace-") as workdir:
        sample = sample_items()
        n = len(sample)
        traf = sum(it[4] for it in sample) / n
        claims_s = sum(it[5] for it in sample) / n
        batch, nb, _, mentions, claims = trace_timings(sample, n, args.matcher, workdir, "sample-batch")
        _, _, singles, _, _ = trace_timings(sample, 0, args.matcher, workdir, "sample-single")
        rows.append(("sample", n, mentions, claims, traf, claims_s, batch / nb, statistics.mean(singles),
                     max(singles)))
        # the synthetic claims come with the text: the extractor's cost is the sample's per-article figure
        for size in (int(s) for s in args.synthetic.split(",") if s):
            items = synthetic_items(size + args.singles)
            traf_syn = statistics.mean(bare_trafilatura(html_of(it[2]), rounds=1) for it in items[:100])
            batch, nb, singles, mentions, claims = trace_timings(items, size, args.matcher, workdir, f"syn-{size}")
            rows.append((f"synthetic {size}+{args.singles}", size + args.singles, mentions, claims, traf_syn,
                         claims_s, batch / nb, statistics.mean(singles), max(singles)))
    head = ("corpus", "articles", "mentions", "claims", "trafilatura ms/art", "claims ms/art",
            "trace ms/art (one batch)", "trace ms/art (1-article batches)", "max 1-article ms",
            "(claims+trace 1-art) / trafilatura")
    print(f"matcher: {args.matcher}")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, arts, mentions, claims, traf, cl, tb, ts, tmax in rows:
        print(f"| {name} | {arts} | {mentions} | {claims} | {_ms(traf)} | {_ms(cl)} | {_ms(tb)} | {_ms(ts)} | "
              f"{_ms(tmax)} | {(cl + ts) / traf:.2f} |")


if __name__ == "__main__":
    main()
