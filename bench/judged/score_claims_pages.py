#!/usr/bin/env python3
"""Score claim extraction on hand-judged real pages (issue 9's table), English and Chinese.

usage:
  python bench/judged/score_claims_pages.py                   run `newstrace analyze --html --jsonl` on the
                                                              judged pages, then score its output
  python bench/judged/score_claims_pages.py --output OUT.jsonl score an existing analyze output
  options: --save OUT.jsonl (keep the analyze output), --newstrace PATH (the executable; default: the one
  beside this Python, else on PATH), --details (per-page and per-claim lines for error analysis),
  --errors (the misses grouped by measure, with the page text of each: speaker or intermediary wrong,
  quantities wrong, predictions matching no gold claim, gold claims not found; printed only, never
  stored), --no-drift-check (skip recomputing the reference text)

The judgements (claims_pages.jsonl) are character offsets into the reference text of reference.py, with
SHA-1 hashes of each page's text and each span: the drift check recomputes them and says which pages moved
(their spans then score against the wrong text; re-judge or fix the recipe before trusting the figures).
The rules of judging are in CLAIMS_GUIDELINES.md; the measures below follow issue 9.

Matching: a predicted claim matches a gold claim when its `sentence` holds >= 60 % of the gold span's tokens
(words; for CJK, characters) — as ../shared/eval/claims/score_attributions.py — one to one, best overlap
first. Every predicted claim counts for precision, whatever its attribution_mode.

Needs ../shared/eval/pages beside the repository (the pages are never copied in); exits 0 when it scored.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from reference import decode_html, reference_text, sha1  # noqa: E402

GOLD = HERE / "claims_pages.jsonl"
THRESHOLD = 0.6
VALUE_TOLERANCE = 0.005

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_NAME_STOP = {"the", "of", "a", "an", "and", "for", "in", "on", "at", "news", "said", "says"}


def find_pages_dir():
    for base in (HERE.parents[1].parent, HERE.parents[1], Path.cwd().parent, Path.cwd()):
        candidate = base / "shared" / "eval" / "pages"
        if (candidate / "score_pages.py").is_file():
            return candidate
    return None


def list_pages(pages_dir):
    out = subprocess.run([sys.executable, str(pages_dir / "score_pages.py"), "list"], capture_output=True,
                         text=True, check=True).stdout
    return {d["id"]: d["path"] for d in map(json.loads, filter(str.strip, out.splitlines()))}


def tokens(text):
    return [t.lower() for t in _TOKEN.findall(text or "")]


def coverage(gold_tokens, pred_token_set):
    if not gold_tokens:
        return 0.0
    return sum(t in pred_token_set for t in gold_tokens) / len(gold_tokens)


# --- names -------------------------------------------------------------------------------------------

def _is_cjk(text):
    return bool(re.search(f"[{_CJK}]", text or ""))


def speaker_right(gold_name, predicted, lang, aliases=()):
    """Issue 9's rule: the gold speaker's last word is in the predicted speaker (Chinese: the whole gold
    name is in it). The gold may list aliases, other names the page itself gives the same person or body
    ("California ISO", "HCSO"): the same rule applies to each."""
    if not predicted:
        return False
    for name in (gold_name, *(aliases or ())):
        if lang == "zh" or _is_cjk(name):
            if name in predicted:
                return True
            continue
        words = tokens(name)
        if words and words[-1] in set(tokens(predicted)):
            return True
    return False


def _acronym(name):
    return "".join(w[0] for w in tokens(name) if w not in _NAME_STOP)


def intermediary_found(name, pred_names):
    """An intermediary (an outlet or a person a claim is reported through) is found when one of the
    predicted cited_source/chain entries holds all its significant words, or its acronym ("Associated
    Press" ~ "AP"), or (Chinese) the name itself."""
    for pred in pred_names:
        if not pred:
            continue
        if _is_cjk(name):
            if name in pred:
                return True
            continue
        want = [w for w in tokens(name) if w not in _NAME_STOP] or tokens(name)
        have = set(tokens(pred))
        if want and all(w in have for w in want):
            return True
        acronym = _acronym(name)
        if len(acronym) >= 2 and acronym in have:
            return True
    return False


def _names(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # tolerate a richer chain shape ({"name": ..., "kind": ...})
        return [str(v) for v in value.values() if isinstance(v, str)]
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def predicted_names(claim, gold_has_speaker=True):
    """The names a prediction gives as intermediaries: cited_source and the chain past its first entry (the
    chain starts with the speaker). When the gold claim has no speaker (the outlet only relays, "according to
    Reuters, ..."), the chain's first entry counts too: the relaying outlet is then the first link."""
    chain = claim.get("chain")
    chain = chain if isinstance(chain, list) else _names(chain)
    if gold_has_speaker and chain:
        chain = chain[1:]
    return _names(claim.get("cited_source")) + _names(chain)


# --- status ------------------------------------------------------------------------------------------

FAMILY = {"unverified": "doubt", "disputed": "against", "denied": "against", "confirmed": "for"}


def status_family(status):
    return FAMILY.get((status or "none").lower())


# --- quantities --------------------------------------------------------------------------------------

_UNIT_SYNONYMS = {
    "%": "percent", "per cent": "percent", "pct": "percent", "percentage": "percent", "百分之": "percent",
    "$": "USD", "usd": "USD", "dollar": "USD", "us$": "USD", "us dollar": "USD", "美元": "USD",
    "£": "GBP", "gbp": "GBP", "pound sterling": "GBP", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "¥": "CNY", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "元": "CNY", "人民币": "CNY", "jpy": "JPY", "yen": "JPY",
    "ton": "tonne", "tonne": "tonne", "metric ton": "tonne", "t": "tonne", "吨": "tonne",
    "person": "people", "people": "people", "persons": "people", "人": "people",
    "percentage point": "percentage point", "pp": "percentage point", "个百分点": "percentage point",
    "lb": "pound", "lbs": "pound", "pound": "pound", "mi": "mile", "km": "kilometre", "kilometer": "kilometre",
    "yr": "year", "years": "year", "year-old": "year",
    "kg": "kilogram", "kilo": "kilogram", "kilogramme": "kilogram", "公斤": "kilogram", "千克": "kilogram",
    "°c": "celsius", "degree celsius": "celsius", "degrees celsius": "celsius", "℃": "celsius",
    "°f": "fahrenheit", "degree fahrenheit": "fahrenheit", "degrees fahrenheit": "fahrenheit",
    "m": "metre", "meter": "metre", "metre": "metre", "米": "metre",
    "km2": "square kilometre", "sq km": "square kilometre", "square kilometer": "square kilometre",
    "平方公里": "square kilometre", "平方千米": "square kilometre",
    "m2": "square metre", "sq m": "square metre", "square meter": "square metre", "平方米": "square metre",
    "tb": "terabyte", "kb": "kilobyte", "mb": "megabyte", "gb": "gigabyte",
    "rs": "INR", "inr": "INR", "rupee": "INR", "₹": "INR", "年": "year", "天": "day", "日": "day",
    "个月": "month", "月": "month", "周": "week", "小时": "hour", "分钟": "minute",
}


def normalise_unit(unit):
    if unit is None:
        return None
    u = " ".join(str(unit).strip().lower().split())
    if u in ("", "none", "null", "count", "number"):
        return None
    if u in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[u]
    if u.endswith("s") and not u.endswith("ss") and u[:-1] in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[u[:-1]]
    if u.endswith("ies"):
        u = u[:-3] + "y"
    elif u.endswith("s") and not u.endswith("ss") and len(u) > 3:
        u = u[:-1]
    return u


def _close(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if a == b:
        return True
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b))


def quantity_found(gold_q, pred_qs, *, check_unit=True):
    gold_unit = normalise_unit(gold_q.get("unit"))
    for p in pred_qs:
        if not isinstance(p, dict):
            continue
        if check_unit and normalise_unit(p.get("unit")) != gold_unit:
            continue
        if "from" in gold_q and gold_q.get("from") is not None:
            if _close(p.get("from"), gold_q["from"]) and _close(p.get("to"), gold_q["to"]):
                return True
        elif _close(p.get("value"), gold_q.get("value")):
            return True
        elif p.get("from") is not None and _close(p.get("from"), gold_q.get("value")):
            # a change "from 54% to 35%" is judged as two values (guidelines, section 7); a prediction gives it as
            # one quantity whose `from` is the first of them
            return True
    return False


# --- scoring -----------------------------------------------------------------------------------------

def match_page(gold_claims, preds, lang):
    """[(gold index, pred index, coverage)] one to one, best coverage first."""
    pred_sets = [set(tokens(p.get("sentence") or p.get("text") or "")) for p in preds]
    pairs = []
    for gi, g in enumerate(gold_claims):
        for pi, ps in enumerate(pred_sets):
            c = coverage(g["_tokens"], ps)
            if c >= THRESHOLD:
                # equal overlap (several rows on one sentence): prefer the row whose speaker agrees, then the
                # row closest in length
                agrees = bool(g.get("speaker")) and speaker_right(g["speaker"], preds[pi].get("speaker"), lang,
                                                                  g.get("speaker_aliases"))
                pairs.append((round(c, 6), agrees, -abs(len(ps) - len(set(g["_tokens"]))), gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for c, _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, c))
    return out


class Tally:
    def __init__(self):
        self.n = defaultdict(int)

    def add(self, key, ok=True, by=1):
        self.n[key + "_n"] += by
        if ok:
            self.n[key + "_ok"] += by

    def ratio(self, key):
        n, ok = self.n[key + "_n"], self.n[key + "_ok"]
        return (ok / n if n else None), ok, n


MEASURES = [
    ("intermediary", "intermediary in cited_source/chain"),
    ("intermediary_each", "  (each intermediary, not each claim)"),
    ("intermediary_loose", "  (anywhere in the chain, speaker slot included)"),
    ("speaker", "speaker right"),
    ("precision", "claim precision"),
    ("recall", "claim recall"),
    ("hedge", "hedges caught"),
    ("quantities", "quantities right"),
    ("quantity_values", "  (values only, units ignored)"),
]
EXTRA = [
    ("recall_attributed", "recall: attributed claims (speaker or via)"),
    ("recall_asserted", "recall: claims the outlet asserts"),
    ("recall_headline", "recall: headline claims"),
    ("recall_fact", "recall: facts"),
    ("recall_figure", "recall: figures"),
    ("recall_quote", "recall: quotes"),
    ("recall_commitment", "recall: commitments"),
    ("speaker_spurious", "speaker given where the outlet asserts (lower is better)"),
    ("hedge_leak", "status set on a claim with no gold hedge (lower is better)"),
    ("status_by", "status_by given on hedged matched claims"),
    ("non_claim_taken", "marked non-claims taken as claims (lower is better)"),
]


def _short(text, n=220):
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def _pred_q(q):
    rng = f" from={q.get('from')} to={q.get('to')}" if q.get("from") is not None else ""
    return f"{q.get('text')!r}={q.get('value')} {q.get('unit')}{rng}"


def _gold_q(q):
    if q.get("from") is not None:
        return f"{q['from']}..{q.get('to')} {q.get('unit')}"
    return f"{q.get('value')} {q.get('unit')}"


def error_line(page, g, p, results):
    "One miss of the speaker or intermediary measure, with the span (read locally, never stored)."
    span = " ".join(page["_text"][g["start"]:g["end"]].split())
    pred = ("UNMATCHED" if p is None else
            f"speaker={p.get('speaker')!r} speaker_text={p.get('speaker_text')!r} chain={p.get('chain')!r} "
            f"cited_source={p.get('cited_source')!r} mode={p.get('attribution_mode')}")
    wrong = ",".join(k for k in ("speaker", "intermediary") if k in results and not results[k])
    return (f"MISS[{wrong}] {page['id']} @{g['start']} gold speaker={g.get('speaker')!r} "
            f"via={g.get('intermediaries') or []}\n    text: {span[:400]}\n    pred: {pred}")


def score(gold_pages, outputs, details=False, errors=None):
    """errors: a dict to fill with the misses by kind ("speaker", "quantities", "spurious", "missed"): lines for
    --errors."""
    tallies = defaultdict(Tally)  # by "en", "zh", "all", "news", "noise"
    has_status_by = False
    lines = []
    for page in gold_pages:
        lang, stratum = page["lang"], page.get("stratum", "news")
        keys = (lang, "all", f"{lang}/{stratum}")
        out = outputs.get(page["id"])
        preds = [c for c in ((out or {}).get("claims") or []) if isinstance(c, dict)]
        golds = page["claims"]
        matches = match_page(golds, preds, lang)
        by_gold = {gi: (pi, c) for gi, pi, c in matches}
        matched_preds = {pi for _, pi, _ in matches}
        for k in keys:
            t = tallies[k]
            t.add("precision", by=len(preds), ok=False)
            t.n["precision_ok"] += len(matched_preds)
            t.n["recall_n"] += len(golds)
            t.n["recall_ok"] += len(matches)
        if out is None:
            lines.append(f"MISSING OUTPUT {page['id']}")
        for gi, g in enumerate(golds):
            hit = by_gold.get(gi)
            p = preds[hit[0]] if hit else None
            if "status_by" in (p or {}):
                has_status_by = True
            results = {}
            if g.get("intermediaries"):
                names = predicted_names(p, bool(g.get("speaker"))) if p else []
                found = [intermediary_found(x, names) for x in g["intermediaries"]]
                results["intermediary"] = all(found)
                loose = predicted_names(p, False) if p else []
                results["intermediary_loose"] = all(intermediary_found(x, loose) for x in g["intermediaries"])
                for f in found:
                    for k in keys:
                        tallies[k].add("intermediary_each", f)
            if p is not None and g.get("speaker"):
                results["speaker"] = speaker_right(g["speaker"], p.get("speaker"), lang, g.get("speaker_aliases"))
                if lang == "zh":
                    for k in keys:
                        tallies[k].add("zh_speaker", results["speaker"])
            if p is not None and not g.get("speaker") and not g.get("intermediaries"):
                for k in keys:
                    tallies[k].add("speaker_spurious", bool(p.get("speaker")))
            # recall broken down: by kind, attributed or asserted, headline or body
            first_line_end = page["_text"].find("\n")
            breakdown = [f"recall_{g['kind']}",
                         "recall_attributed" if g.get("speaker") or g.get("intermediaries") else "recall_asserted"]
            if first_line_end < 0 or g["start"] < first_line_end:
                breakdown.append("recall_headline")
            for key in breakdown:
                for k in keys:
                    tallies[k].add(key, p is not None)
            if g.get("hedge"):
                fam = status_family(g["hedge"].get("status"))
                got = status_family(p.get("verification_status")) if p else None
                results["hedge"] = p is not None and got is not None and got == fam
                if p is not None and (p.get("verification_status") or "none") != "none":
                    for k in keys:
                        tallies[k].add("status_by", bool(p.get("status_by")))
            elif p is not None:
                for k in keys:
                    tallies[k].add("hedge_leak", (p.get("verification_status") or "none") != "none")
            if p is not None and g.get("quantities"):
                pq = p.get("quantities") or []
                results["quantities"] = all(quantity_found(q, pq) for q in g["quantities"])
                results["quantity_values"] = all(quantity_found(q, pq, check_unit=False) for q in g["quantities"])
            for key, ok in results.items():
                for k in keys:
                    tallies[k].add(key, ok)
            if errors is not None:
                span = page["_text"][g["start"]:g["end"]]
                if p is None:
                    errors.setdefault("missed", []).append(
                        f"{page['id']} @{g['start']} {g['kind']} | {_short(span)}")
                elif results.get("quantities") is False:
                    pq = p.get("quantities") or []
                    lost = [_gold_q(q) for q in g["quantities"] if not quantity_found(q, pq)]
                    kind = "value" if not results["quantity_values"] else "unit"
                    errors.setdefault("quantities", []).append(
                        f"{page['id']} @{g['start']} [{kind}] lost {lost} | got {[_pred_q(q) for q in pq]}"
                        f" | {_short(span)}")
            if errors is not None and any(k in results and not results[k] for k in ("speaker", "intermediary")):
                errors.setdefault("speaker", []).append(error_line(page, g, p, results))
            if details:
                flags = " ".join(f"{k}={'ok' if v else 'WRONG'}" for k, v in results.items())
                pred_desc = (f"speaker={p.get('speaker')!r} chain={p.get('chain')!r} "
                             f"status={p.get('verification_status')} q={[(q.get('value'), q.get('unit')) for q in (p.get('quantities') or [])]}"
                             if p else "UNMATCHED")
                lines.append(f"  gold {page['id']} [{g['start']},{g['end']}) {g['kind']} speaker={g.get('speaker')!r} "
                             f"via={g.get('intermediaries') or []} hedge={g.get('hedge')} "
                             f"q={[(q.get('value', (q.get('from'), q.get('to'))), q.get('unit')) for q in g.get('quantities') or []]}"
                             f" | {pred_desc} {flags}")
        nc_tokens = [tokens(page["_text"][n["start"]:n["end"]]) for n in page.get("non_claims") or []]
        for nt in nc_tokens:
            taken = any(coverage(nt, set(tokens(preds[pi].get("sentence") or ""))) >= THRESHOLD
                        for pi in range(len(preds)) if pi not in matched_preds)
            for k in keys:
                tallies[k].add("non_claim_taken", taken)
        if errors is not None:
            for pi, p in enumerate(preds):
                if pi not in matched_preds:
                    errors.setdefault("spurious", []).append(
                        f"{page['id']} ({stratum}) @{p.get('char_start')} {p.get('claim_type')}/"
                        f"{p.get('attribution_mode')} speaker={p.get('speaker')!r} | {_short(p.get('sentence'))}")
        if details:
            for pi, p in enumerate(preds):
                if pi not in matched_preds:
                    lines.append(f"  spurious {page['id']} [{p.get('char_start')},{p.get('char_end')}) "
                                 f"type={p.get('claim_type')} mode={p.get('attribution_mode')} speaker={p.get('speaker')!r}")
            lines.append(f"page {page['id']} ({lang}/{stratum}): gold {len(golds)} predicted {len(preds)} "
                         f"matched {len(matches)}")
    return tallies, has_status_by, lines


def fmt(ratio):
    value, ok, n = ratio
    return "   n/a" if value is None else f"{value:6.2f} ({ok}/{n})"


def report(tallies, has_status_by, n_pages):
    cols = [c for c in ("en", "zh", "all") if c in tallies]
    print("judged pages: " + ", ".join(f"{c} {n_pages.get(c, 0)}" for c in cols if c != "all"))
    print(f"{'measure':58s}" + "".join(f"{c:>18s}" for c in cols))
    rows = MEASURES + [("zh_speaker", "Chinese speaker right")] + EXTRA
    for key, label in rows:
        if key == "status_by" and not has_status_by:
            continue
        if key == "recall_attributed":
            print("diagnostics (not in issue 9's table):")
        print(f"{label:58s}" + "".join(f"{fmt(tallies[c].ratio(key)):>18s}" for c in cols))
    strata = sorted(k for k in tallies if "/" in k)
    if strata:
        print("\nby stratum (precision, recall):")
        for k in strata:
            print(f"  {k:12s} precision {fmt(tallies[k].ratio('precision'))}  recall {fmt(tallies[k].ratio('recall'))}")


def load_gold(pages_dir, check_drift=True):
    pages = [json.loads(line) for line in open(GOLD, encoding="utf8") if line.strip()]
    paths = list_pages(pages_dir)
    drifted = []
    for page in pages:
        text = reference_text(gzip.decompress(Path(paths[page["id"]]).read_bytes()))
        page["_text"] = text
        page["_path"] = paths[page["id"]]
        if check_drift and sha1(text) != page["ref_sha1"]:
            drifted.append(page["id"])
        for c in page["claims"]:
            span = text[c["start"]:c["end"]]
            if check_drift and sha1(span) != c["sha1"] and page["id"] not in drifted:
                drifted.append(page["id"])
            c["_tokens"] = tokens(span)
    return pages, drifted


def run_newstrace(pages, exe, save=None):
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        with open(inp, "w", encoding="utf8") as f:
            for page in pages:
                html, _ = decode_html(gzip.decompress(Path(page["_path"]).read_bytes()))
                f.write(json.dumps({"id": page["id"], "html": html}, ensure_ascii=False) + "\n")
        out_path = Path(save) if save else Path(tmp) / "out.jsonl"
        with open(inp, encoding="utf8") as fin, open(out_path, "w", encoding="utf8") as fout:
            subprocess.run([exe, "analyze", "--html", "--jsonl", "-"], stdin=fin, stdout=fout, check=True)
        return read_outputs(out_path)


def read_outputs(path):
    outputs = {}
    for line in open(path, encoding="utf8"):
        if line.strip():
            d = json.loads(line)
            outputs[d.get("id")] = d
    return outputs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", help="score this `newstrace analyze --jsonl` output instead of running it")
    ap.add_argument("--save", help="keep the analyze output in this file")
    ap.add_argument("--newstrace", help="the newstrace executable")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list the misses by kind with their text (not stored)")
    ap.add_argument("--no-drift-check", action="store_true")
    args = ap.parse_args(argv)
    pages_dir = find_pages_dir()
    if pages_dir is None:
        print("../shared/eval/pages not found beside the repository: nothing to score", file=sys.stderr)
        return 2
    pages, drifted = load_gold(pages_dir, check_drift=not args.no_drift_check)
    if drifted:
        print(f"WARNING: the reference text moved on {len(drifted)} page(s) (different trafilatura/lxml?): "
              + ", ".join(drifted), file=sys.stderr)
    if args.output:
        outputs = read_outputs(args.output)
    else:
        exe = args.newstrace or str(Path(sys.executable).with_name("newstrace"))
        if not os.path.exists(exe):
            exe = shutil.which("newstrace")
        if not exe:
            print("newstrace not found: pass --newstrace or --output", file=sys.stderr)
            return 2
        outputs = run_newstrace(pages, exe, args.save)
    errors = {} if args.errors else None
    tallies, has_status_by, lines = score(pages, outputs, details=args.details, errors=errors)
    for line in lines:
        print(line)
    for kind, title in (("speaker", "speaker or intermediary wrong"),
                        ("quantities", "quantities wrong on matched claims ([value]: a value lost; [unit]: only "
                                       "a unit)"),
                        ("spurious", "predicted claims matching no gold claim"),
                        ("missed", "gold claims not found")):
        if errors is not None:
            print(f"\n== {title}: {len(errors.get(kind, []))}")
            for line in errors.get(kind, []):
                print("  " + line)
    n_pages = defaultdict(int)
    for p in pages:
        n_pages[p["lang"]] += 1
    n_claims = defaultdict(int)
    for p in pages:
        n_claims[p["lang"]] += len(p["claims"])
    print("gold claims: " + ", ".join(f"{k} {v}" for k, v in sorted(n_claims.items())))
    report(tallies, has_status_by, n_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
