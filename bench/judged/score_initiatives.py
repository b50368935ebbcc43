#!/usr/bin/env python3
"""Score `newstrace analyze` on the hand-annotated initiatives dev set (issue 10).

Gold: bench/judged/initiatives.jsonl (guidelines: INITIATIVES_GUIDELINES.md). It refers to articles by id and
holds no third-party text; the texts are read from ../shared beside the repository:
  gwn      ../shared/eval/countries/gwn.jsonl            `text` of the line whose `id` matches
  polnear  ../shared/eval/claims/polnear_train_sample.jsonl  `text` of the line whose `article` matches
  pages    ../shared/eval/pages/ (gzip HTML)              page_text() below, for the annotation;
                                                          decode_page() is what `analyze --html` is given
  seed     ../shared/corpus/<file>                        the file, UTF-8

usage:
  python bench/judged/score_initiatives.py                 # run `newstrace analyze --jsonl` on every article, score
  python bench/judged/score_initiatives.py --keep OUT.jsonl   # ... and keep the analyze output
  python bench/judged/score_initiatives.py --output OUT.jsonl # score an analyze output made before
  python bench/judged/score_initiatives.py --errors        # also list, per article, missed and spurious names/pairs
  python bench/judged/score_initiatives.py --json          # the figures as JSON
  python bench/judged/score_initiatives.py --strict        # initiatives matched by their names only
  python bench/judged/score_initiatives.py sample-pages    # redo the selection of real pages, compare with gold
  python bench/judged/score_initiatives.py check           # only check text/span hashes against ../shared

Analyze ids are "<set>:<id>" (pages are given as {"id", "html"}, the rest as {"id", "text"}).

Measures (per set, per language, overall; counts beside every ratio):
  initiatives  per article, a predicted initiative matches a gold one when one of its names equals one of
               the gold's (name + aliases) after norm(), or one is the acronym of the other. Predicted
               initiatives are read from the output's `initiatives` list ({id, name, aliases, kind, source});
               where an output has none, from the ids in `participation` named through initiatives.json.
               An initiative the gold describes by its parties (a `parties` list, no name of its own: "Venezuela's
               agreement with South Africa") also matches a predicted one with the same parties (the output's
               `parties`) and a kind of the same family (agreements, deals and plans; events; partnerships;
               alliances, coalitions and blocs), unless both give a year and the years differ: a name such as
               "Venezuela–South Africa diamond mining agreement" is the annotator's wording, not the text's.
               P = predicted that match a gold / predicted; R = gold matched / gold; `dup` = predicted that
               match a gold initiative another prediction already matched (identity not merged).
  pairs        (initiative, country) with a role other than `mentioned`; a predicted pair counts when its
               initiative matches the gold initiative and the country is the same.
  roles        over matched pairs: the predicted role (the most frequent non-`mentioned` role of the pair's
               rows) is in ACCEPT of one of the gold roles of that pair.
  seed rows    issue 10's rows on the source page, pass / fail each.
"""
import argparse
import collections
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GOLD = os.path.join(HERE, "initiatives.jsonl")
CATALOGUE = os.path.join(REPO, "ingest", "data", "initiatives.json")

# Which predicted roles count as right for a gold role (INITIATIVES_GUIDELINES.md, "Role equivalences").
ACCEPT = {
    "host": {"host"},
    "chair": {"chair"},
    "member": {"member", "joined"},
    "joined": {"joined", "member"},
    "candidate": {"candidate"},
    "signatory": {"signatory", "party", "ratified"},
    "ratified": {"ratified", "party"},
    "party": {"party", "signatory", "ratified", "partner"},
    "partner": {"partner", "party"},
    "participant": {"participant"},
    "withdrawn": {"withdrawn"},
    "suspended": {"suspended"},
    "expelled": {"expelled"},
    "target": {"target"},
    "observer": {"observer"},
}
# a partner of a partnership is one of its members ("signed on as a partner" of the MSP)
PARTNERSHIP_KINDS = {"partnership"}

# issue 10: "US host of the ministerial, South Korea chair of FORGE until June, Japan/EU/Mexico/India as
# parties of their plans"
SEED_ROWS = [
    ("critical-minerals-ministerial", "US", "host", None),
    ("forge", "KR", "chair", "06"),
    ("us-eu-japan-price-floor-action-plans", "JP", "party", None),
    ("us-eu-japan-price-floor-action-plans", "EU", "party", None),
    ("us-mexico-action-plan", "MX", "party", None),
    ("us-india-trade-agreement", "IN", "party", None),
]

_STOP = {"of", "the", "and", "for", "on", "in", "to", "de", "des", "du", "la", "le", "et"}


# ---------------------------------------------------------------- texts


def shared_dir(arg=None):
    for cand in (arg, os.environ.get("NEWSTRACE_SHARED"), os.path.join(os.path.dirname(REPO), "shared"),
                 os.path.join(REPO, "..", "shared")):
        if cand and os.path.isdir(os.path.join(cand, "eval")):
            return os.path.abspath(cand)
    sys.exit("../shared (the evaluation data) is not beside the repository; pass --shared DIR")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode_page(raw: bytes) -> str:
    """Fixed, code-independent decoding: UTF-8 if valid, else the <meta> charset if it decodes, else GB18030
    if it decodes, else cp1252 with replacement."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(raw[:4096])
    if m:
        try:
            return raw.decode(m.group(1).decode("ascii").lower())
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def page_text(path: str) -> str:
    """The text the page annotations (offsets, text_sha1) refer to: decode_page + trafilatura.extract with
    these fixed options (trafilatura 2.3.1 when annotated)."""
    import trafilatura

    html = decode_page(gzip.decompress(open(path, "rb").read()))
    return trafilatura.extract(html, include_comments=False, include_tables=True, deduplicate=False,
                               favor_precision=False, favor_recall=False, with_metadata=False) or ""


def page_paths(shared):
    out = subprocess.run([sys.executable, os.path.join(shared, "eval", "pages", "score_pages.py"), "list"],
                         capture_output=True, text=True, check=True).stdout
    return {d["id"]: d["path"] for d in map(json.loads, out.splitlines())}


def load_sources(gold, shared):
    """{(set, id): (text, html_or_None)} for every gold article."""
    need = {(g["set"], g["id"]) for g in gold}
    out = {}
    with open(os.path.join(shared, "eval", "countries", "gwn.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if ("gwn", d["id"]) in need:
                out[("gwn", d["id"])] = (d["text"], None)
    with open(os.path.join(shared, "eval", "claims", "polnear_train_sample.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if ("polnear", d["article"]) in need:
                out[("polnear", d["article"])] = (d["text"], None)
    if any(s == "pages" for s, _ in need):
        paths = page_paths(shared)
        for s, i in need:
            if s == "pages" and i in paths:
                html = decode_page(gzip.decompress(open(paths[i], "rb").read()))
                out[(s, i)] = (page_text(paths[i]), html)
    for s, i in need:
        if s == "seed":
            with open(os.path.join(shared, "corpus", i), encoding="utf-8") as f:
                out[(s, i)] = (f.read(), None)
    missing = need - set(out)
    if missing:
        sys.exit("articles not found in %s: %s" % (shared, sorted(missing)[:5]))
    return out


def sha1(s):
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def check_hashes(gold, sources):
    bad = []
    for g in gold:
        text = sources[(g["set"], g["id"])][0]
        if sha1(text) != g["text_sha1"]:
            bad.append("%s %s: text differs from the annotated one" % (g["set"], g["id"]))
            continue
        for p in g["participation"]:
            s, e = p["span"]
            if sha1(text[s:e]) != p["span_sha1"]:
                bad.append("%s %s: span %s differs" % (g["set"], g["id"], p["span"]))
    return bad


# ---------------------------------------------------------------- names


def norm(name: str) -> str:
    "Case, punctuation, a leading 'the' and whitespace normalised; 'U.S.' == 'US'."
    s = unicodedata.normalize("NFKC", name).lower()
    s = re.sub(r"[.'’]", "", s)
    s = re.sub(r"[\W_]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def name_forms(names):
    "Normalised names; a trailing parenthesis is also an alias of its own ('Project Vault (Strategic ...)')."
    out = set()
    for n in names:
        if not n:
            continue
        out.add(norm(n))
        m = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$", n)
        if m:
            out.add(norm(m.group(1)))
            if len(m.group(2)) >= 3 and not re.fullmatch(r"[\d\s–\-,]+", m.group(2)):
                out.add(norm(m.group(2)))
    out.discard("")
    return out


def acronyms(names):
    return {"".join(w[0] for w in re.findall(r"[A-Za-z]+", n) if w.lower() not in _STOP).upper()
            for n in names if n and len(re.findall(r"[A-Za-z]+", n)) > 1}


def caps_forms(names):
    "Names written as an acronym: 'NATO', 'U.N.', 'EU'."
    out = set()
    for n in names:
        c = re.sub(r"[.\s]", "", n or "")
        if re.fullmatch(r"[A-Z]{2,8}", c):
            out.add(c)
    return out


KIND_FAMILIES = [{"agreement", "trade_deal", "action_plan", "project", "corridor"},
                 {"summit", "ministerial", "conference", "forum", "dialogue"}, {"partnership"},
                 {"alliance", "coalition", "bloc"}]


STRICT = False  # --strict: names only, as before described initiatives could match by their parties


def parties_match(pred, gold):
    "A described gold initiative and a prediction with the same parties, a kind of one family, no other year."
    if not gold.get("parties") or not pred.get("parties") or set(pred["parties"]) != set(gold["parties"]):
        return False
    if pred.get("year") and gold.get("year") and int(pred["year"]) != int(gold["year"]):
        return False
    return any(pred.get("kind") in f and gold.get("kind") in f for f in KIND_FAMILIES)


def names_match(a, b):
    if name_forms(a) & name_forms(b):
        return True
    return bool(acronyms(a) & caps_forms(b)) or bool(acronyms(b) & caps_forms(a))


# ---------------------------------------------------------------- predictions


def load_catalogue():
    try:
        with open(CATALOGUE, encoding="utf-8") as f:
            items = json.load(f)["initiatives"]
    except OSError:
        from importlib import resources
        items = json.loads(resources.files("newstrace.ingest").joinpath("data/initiatives.json")
                           .read_text("utf-8"))["initiatives"]
    return {i["id"]: [i.get("name_en"), i.get("name_zh")] + list(i.get("aliases") or []) for i in items}


def predicted_initiatives(out, catalogue):
    "{predicted id: [names]} — the output's `initiatives` list, else the participation ids via the catalogue."
    found = {}
    for it in out.get("initiatives") or []:
        found[it["id"]] = [it.get("name")] + list(it.get("aliases") or [])
        found[it["id"]] = NamesOf(found[it["id"]], it)
    for row in out.get("participation") or []:
        if row["initiative"] not in found:
            found[row["initiative"]] = catalogue.get(row["initiative"], [row["initiative"]])
    return found


class NamesOf(list):
    "A predicted initiative's names, carrying the output object (parties, kind, year) for parties_match."

    def __init__(self, names, item):
        super().__init__(names)
        self.item = item


def run_analyze(gold, sources, keep=None):
    exe = shutil.which("newstrace", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if not exe:
        sys.exit("`newstrace` is not installed in this environment (pip install -e .)")
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for g in gold:
                text, html = sources[(g["set"], g["id"])]
                doc = {"id": "%s:%s" % (g["set"], g["id"])}
                if html is not None:
                    doc["html"] = html
                else:
                    doc["text"] = text
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        outp = keep or os.path.join(tmp, "out.jsonl")
        with open(inp, encoding="utf-8") as fin, open(outp, "w", encoding="utf-8") as fout:
            subprocess.run([exe, "analyze", "--jsonl", "-"], stdin=fin, stdout=fout, check=True)
        return read_output(outp)


def read_output(path):
    outs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                outs[str(d["id"])] = d
    return outs


# ---------------------------------------------------------------- scoring


def role_ok(pred_role, gold_roles, kind):
    for g in gold_roles:
        ok = set(ACCEPT.get(g, {g}))
        if kind in PARTNERSHIP_KINDS and g in ("partner", "member", "joined"):
            ok |= {"partner", "member", "joined"}
        if pred_role in ok:
            return True
    return False


def score_article(g, out, catalogue):
    gold_inits = g["initiatives"]
    gold_names = {i["key"]: [i["name"]] + list(i.get("aliases") or []) for i in gold_inits}
    gold_items = {i["key"]: i for i in gold_inits}
    kinds = {i["key"]: i["kind"] for i in gold_inits}
    pred = predicted_initiatives(out, catalogue) if out else {}
    to_gold, matched, dup = {}, set(), 0
    for pid, names in pred.items():
        hit = next((k for k, gn in gold_names.items() if names_match(names, gn)), None)
        if hit is None and isinstance(names, NamesOf) and not STRICT:
            hit = next((k for k, gi in gold_items.items() if parties_match(names.item, gi)), None)
        to_gold[pid] = hit
        if hit is not None:
            if hit in matched:
                dup += 1
            matched.add(hit)
    gpairs = collections.defaultdict(set)
    for p in g["participation"]:
        if p["role"] != "mentioned":
            gpairs[(p["initiative"], p["country"])].add(p["role"])
    prows = collections.defaultdict(list)
    for row in (out or {}).get("participation") or []:
        if row.get("role") == "mentioned":
            continue
        key = to_gold.get(row["initiative"]) or "pred:" + row["initiative"]
        prows[(key, row["country"])].append(row["role"])
    tp, roles_ok, confusion = 0, 0, collections.Counter()
    for pair, rl in prows.items():
        if pair in gpairs:
            tp += 1
            role = collections.Counter(rl).most_common(1)[0][0]
            ok = role_ok(role, gpairs[pair], kinds.get(pair[0]))
            roles_ok += ok
            confusion[("/".join(sorted(gpairs[pair])), role)] += 1
    return {
        "gold_inits": len(gold_inits), "pred_inits": len(pred),
        "pred_matched": sum(1 for v in to_gold.values() if v is not None), "gold_matched": len(matched),
        "dup": dup, "gold_pairs": len(gpairs), "pred_pairs": len(prows), "pair_tp": tp, "roles_ok": roles_ok,
        "confusion": confusion,
        "errors": {
            "missed": [gold_names[k][0] for k in gold_names if k not in matched],
            "spurious": [pred[p][0] or p for p, k in to_gold.items() if k is None],
            "missed_pairs": sorted("%s/%s" % pr for pr in gpairs if pr not in prows),
            "spurious_pairs": sorted("%s/%s" % pr for pr in prows if pr not in gpairs),
        },
    }


def seed_checks(gold, outs, catalogue):
    results = []
    for g in gold:
        if g["set"] != "seed":
            continue
        out = outs.get("seed:" + g["id"]) or {}
        gold_names = {i["key"]: [i["name"]] + list(i.get("aliases") or []) for i in g["initiatives"]}
        pred = predicted_initiatives(out, catalogue)
        for key, country, role, month in SEED_ROWS:
            pids = {pid for pid, names in pred.items() if names_match(names, gold_names[key])}
            rows = [r for r in out.get("participation") or [] if r["initiative"] in pids and r["country"] == country]
            got = sorted({r["role"] for r in rows})
            ok = any(r["role"] in ACCEPT[role] for r in rows)
            detail = "roles %s" % (got or "none")
            if month and ok:
                ends = sorted({str(r.get("valid_to")) for r in rows if r["role"] in ACCEPT[role]})
                ok = any(re.match(r"\d{4}-%s" % month, e) or "%d月" % int(month) in e or "June" in e for e in ends)
                detail += ", valid_to %s" % ends
            results.append(("%s %s %s%s" % (key, country, role, " until month %s" % month if month else ""), ok, detail))
    return results


def ratio(a, b):
    return "%.3f" % (a / b) if b else "-"


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def summarize(stats):
    t = collections.Counter()
    for s in stats:
        for k, v in s.items():
            if isinstance(v, int):
                t[k] += v
    t["articles"] = len(stats)
    return t


def figures(t):
    "The figures as numbers; a ratio with nothing to divide by is None."
    def rat(a, b):
        return round(a / b, 3) if b else None

    p, r = rat(t["pred_matched"], t["pred_inits"]), rat(t["gold_matched"], t["gold_inits"])
    pp, pr = rat(t["pair_tp"], t["pred_pairs"]), rat(t["pair_tp"], t["gold_pairs"])
    return {
        "articles": t["articles"],
        "initiatives": {"gold": t["gold_inits"], "predicted": t["pred_inits"], "predicted_correct": t["pred_matched"],
                        "gold_found": t["gold_matched"], "duplicates": t["dup"], "precision": p, "recall": r,
                        "f1": round(f1(p or 0.0, r or 0.0), 3)},
        "pairs": {"gold": t["gold_pairs"], "predicted": t["pred_pairs"], "correct": t["pair_tp"],
                  "precision": pp, "recall": pr, "f1": round(f1(pp or 0.0, pr or 0.0), 3)},
        "roles": {"matched_pairs": t["pair_tp"], "correct": t["roles_ok"], "accuracy": rat(t["roles_ok"], t["pair_tp"])},
    }


def print_table(groups):
    cols = ("%-13s %5s | %-9s %-9s %-6s %-6s %3s | %-9s %-9s %-6s %-6s | %-9s %-6s")
    print(cols % ("", "", "initiatives", "", "", "", "", "pairs", "", "", "", "roles", ""))
    head = cols % ("group", "arts", "ok/pred", "ok/gold", "P", "R", "dup", "ok/pred", "ok/gold", "P", "R", "ok/pairs",
                   "acc")
    print(head)
    print("-" * len(head))
    for name, t in groups:
        print(cols % (
            name, t["articles"], "%d/%d" % (t["pred_matched"], t["pred_inits"]),
            "%d/%d" % (t["gold_matched"], t["gold_inits"]), ratio(t["pred_matched"], t["pred_inits"]),
            ratio(t["gold_matched"], t["gold_inits"]), t["dup"], "%d/%d" % (t["pair_tp"], t["pred_pairs"]),
            "%d/%d" % (t["pair_tp"], t["gold_pairs"]), ratio(t["pair_tp"], t["pred_pairs"]),
            ratio(t["pair_tp"], t["gold_pairs"]), "%d/%d" % (t["roles_ok"], t["pair_tp"]),
            ratio(t["roles_ok"], t["pair_tp"])))


# ---------------------------------------------------------------- page selection

_STOPWORDS = set("the of and to in a is that for it on was with as by are be this from at have an not or which but "
                 "has were they their".split())
# pages that may name an international initiative (used to over-sample them, not to annotate)
_CUE = re.compile(r"\b(treaty|agreement|accord|summit|alliance|NATO|United Nations|U\.?N\.? |European Union|\bEU\b|"
                  r"sanctions?|G7|G20|G-20|WTO|World Trade Organi[sz]ation|coalition|Brexit|trade deal|pact|IMF|"
                  r"World Bank|OPEC|ASEAN|NAFTA|Security Council|ministerial|Paris Agreement|Belt and Road)\b")


def select_pages(shared):
    """The real pages in the dev set: every Chinese page (≥ 50 ideographs making ≥ 15 % of the non-space
    characters, no kana) and 36 English ones (≥ 150 words, > 25 % of them among 25 English stopwords):
    all those matching _CUE plus 24 of the rest drawn with random.Random(10)."""
    zh, cue, rest = [], [], []
    for url, path in sorted(page_paths(shared).items()):
        text = page_text(path)
        ideo = len(re.findall(r"[\u4e00-\u9fff]", text))
        kana = len(re.findall(r"[\u3040-\u30ff]", text))
        if ideo >= 50 and kana == 0 and ideo >= 0.15 * len(re.sub(r"\s", "", text)):
            zh.append(url)
            continue
        words = re.findall(r"[A-Za-z']+", text.lower())
        if len(words) >= 150 and sum(w in _STOPWORDS for w in words) / len(words) > 0.25:
            (cue if _CUE.search(text) else rest).append(url)
    rest = sorted(rest)
    random.Random(10).shuffle(rest)
    return sorted(zh), sorted(cue) + sorted(rest[:24])


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", nargs="?", default="score", choices=["score", "check", "sample-pages"])
    ap.add_argument("--gold", default=GOLD)
    ap.add_argument("--shared", help="the folder holding eval/ and corpus/ (default: ../shared)")
    ap.add_argument("--output", help="score this `newstrace analyze --jsonl` output instead of running it")
    ap.add_argument("--keep", help="write the analyze output here")
    ap.add_argument("--errors", action="store_true", help="list missed and spurious initiatives and pairs")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--strict", action="store_true", help="match initiatives by names only (no parties match)")
    args = ap.parse_args()

    global STRICT
    STRICT = args.strict
    shared = shared_dir(args.shared)
    with open(args.gold, encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]

    if args.command == "sample-pages":
        zh, en = select_pages(shared)
        have = {g["id"] for g in gold if g["set"] == "pages"}
        for label, ids in (("zh", zh), ("en", en)):
            print("%s: %d pages, %d in gold" % (label, len(ids), len(set(ids) & have)))
            for u in ids:
                print("  %s %s" % ("ok " if u in have else "NEW", u))
        extra = have - set(zh) - set(en)
        print("gold pages not selected now: %d %s" % (len(extra), sorted(extra)))
        return

    sources = load_sources(gold, shared)
    bad = check_hashes(gold, sources)
    for b in bad:
        print("WARNING: " + b, file=sys.stderr)
    if args.command == "check":
        print("%d articles, %d hash mismatches" % (len(gold), len(bad)))
        sys.exit(1 if bad else 0)

    catalogue = load_catalogue()
    outs = read_output(args.output) if args.output else run_analyze(gold, sources, args.keep)
    stats = []
    for g in gold:
        s = score_article(g, outs.get("%s:%s" % (g["set"], g["id"])), catalogue)
        s["set"], s["lang"], s["id"] = g["set"], g["lang"], g["id"]
        stats.append(s)

    groups = [("set=" + k, summarize([s for s in stats if s["set"] == k])) for k in ("gwn", "polnear", "pages", "seed")]
    groups += [("lang=" + k, summarize([s for s in stats if s["lang"] == k])) for k in ("en", "zh", "mixed")]
    groups += [("all", summarize(stats)), ("all but seed", summarize([s for s in stats if s["set"] != "seed"]))]
    seed = seed_checks(gold, outs, catalogue)
    if args.json:
        print(json.dumps({"groups": {n: figures(t) for n, t in groups},
                          "seed_rows": [{"row": r, "pass": ok, "detail": d} for r, ok, d in seed],
                          "hash_mismatches": bad}, indent=1))
        return
    print("initiatives: P = predicted matching a gold / predicted, R = gold found / gold; pairs exclude `mentioned`;"
          " role accuracy over matched pairs")
    print_table(groups)
    conf = collections.Counter()
    for s in stats:
        conf.update(s["confusion"])
    if conf:
        print("\nroles on matched pairs (gold -> predicted): " +
              ", ".join("%s->%s %d" % (g, p, n) for (g, p), n in sorted(conf.items())))
    print("\nsource page rows (issue 10):")
    for row, ok, detail in seed:
        print("  %s  %-60s %s" % ("PASS" if ok else "FAIL", row, detail))
    if args.errors:
        print("\nper article (names are the annotation's and the system's; no article text):")
        for s in stats:
            e = s["errors"]
            if any(e.values()):
                print("  %s %s" % (s["set"], s["id"]))
                for k in ("missed", "spurious", "missed_pairs", "spurious_pairs"):
                    if e[k]:
                        print("    %-15s %s" % (k, "; ".join(map(str, e[k]))))


if __name__ == "__main__":
    main()
