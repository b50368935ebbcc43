#!/usr/bin/env python3
"""Helper for judging pages (prints third-party text to the terminal; stores none of it in the repo).

usage:
  judge_tool.py survey OUT.jsonl       reference text, length and a language guess for every evaluation page
                                       (OUT is a scratch file outside the repository: it holds page text)
  judge_tool.py sample SURVEY.jsonl    the sampling order of CLAIMS_GUIDELINES.md (seeded shuffle of the
                                       English candidates; every Chinese candidate)
  judge_tool.py show ID [ID ...]       the page's reference text as numbered sentences
  judge_tool.py build NOTES.txt SAMPLE.jsonl OUT.jsonl
                                       judged notes (kept outside the repository: they quote anchors) to
                                       offsets + hashes + labels (the format of claims_pages.jsonl)

Notes format, one page after another:
  @ PAGE-ID
  SPAN | kind | speaker | intermediaries | hedge | quantities
  N SPAN | why                          (a sentence that is not a claim, for error analysis)
SPAN: sentence number from `show` ("12"), a run of sentences ("12-13"), or part of one sentence
("12/first words..last words", either side may be empty = sentence start / end).
kind: f(act) n(figure) q(uote) c(ommitment); speaker "-" for none, or "Canonical Name=alias=alias" where
the page itself names the same person or body otherwise ("California ISO", "HCSO"); speaker and intermediaries "-" for none, intermediaries
comma-separated nearest the speaker first; hedge "cue/status" or "-"; quantities ";"-separated
"VALUE UNIT" or "FROM~TO UNIT" (UNIT "-" for a bare count).
"""
import gzip
import json
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from reference import reference_text, sha1  # noqa: E402

PAGES = HERE.parents[2] / "shared" / "eval" / "pages"
if not PAGES.is_dir():
    PAGES = HERE.parents[1].parent / "shared" / "eval" / "pages"
SEED = 9
MIN_CHARS, MAX_CHARS = 300, 7000  # exhaustive judging of a page longer than this is not practical
EN_FUNCTION_WORDS = set("the of and to in a is that for it was on with as he said be by at are from his an have "
                        "has this but not they were had which their its who been".split())
_CJK = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_WORD = re.compile(r"[A-Za-z]+")


def list_pages():
    out = subprocess.run([sys.executable, str(PAGES / "score_pages.py"), "list"], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def page_text(page_id):
    for item in list_pages():
        if item["id"] == page_id:
            return reference_text(gzip.decompress(Path(item["path"]).read_bytes()))
    raise SystemExit(f"no page {page_id!r}")


def guess_language(text):
    "en, zh, other: a rough filter before the judge's own reading (CLAIMS_GUIDELINES.md, Sample)."
    chars = len(re.sub(r"\s", "", text)) or 1
    if len(_CJK.findall(text)) / chars > 0.3 and not _KANA.search(text) and not _HANGUL.search(text):
        return "zh"
    words = [w.lower() for w in _WORD.findall(text)]
    if words and sum(w in EN_FUNCTION_WORDS for w in words) / len(words) >= 0.15:
        return "en"
    return "other"


def survey(out_path):
    with open(out_path, "w", encoding="utf8") as out:
        for item in list_pages():
            text = reference_text(gzip.decompress(Path(item["path"]).read_bytes()))
            out.write(json.dumps({"id": item["id"], "lang": guess_language(text), "chars": len(text),
                                  "sha1": sha1(text), "text": text}, ensure_ascii=False) + "\n")


def sample(survey_path):
    rows = [json.loads(line) for line in open(survey_path, encoding="utf8")]
    en = sorted(r["id"] for r in rows if r["lang"] == "en" and MIN_CHARS <= r["chars"] <= MAX_CHARS)
    zh = sorted(r["id"] for r in rows if r["lang"] == "zh")
    random.Random(SEED).shuffle(en)
    for i, page_id in enumerate(en):
        print(json.dumps({"order": i, "lang": "en", "id": page_id}))
    for page_id in zh:
        print(json.dumps({"lang": "zh", "id": page_id}))


_ABBREV = set("mr mrs ms dr st gov sen rep gen col lt sgt prof jr sr inc corp co ltd no vs jan feb mar apr "
              "jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m etc fig".split())


def sentences(text):
    "(start, end) of sentences: a judging aid only; a span may be any part of the text."
    out, start = [], 0
    for m in re.finditer(r"\n+|[.!?]+[\"'”’)]*(?=\s)|[。！？]+[”’」』）]*", text):
        end = m.end()
        if m.group()[0] == ".":
            word = re.search(r"([\w.]+)\.[\"'”’)]*$", text[start:end])
            nxt = text[end:end + 3].lstrip()
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1) or nxt[:1].islower():
                continue
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        start = end
    if text[start:].strip():
        s = start + len(text[start:]) - len(text[start:].lstrip())
        out.append((s, len(text.rstrip())))
    return out


def show(page_id):
    text = page_text(page_id)
    print(f"# {page_id} chars={len(text)} sha1={sha1(text)}")
    for n, (s, e) in enumerate(sentences(text)):
        print(f"[{n}] {text[s:e]}")


KINDS = {"f": "fact", "n": "figure", "q": "quote", "c": "commitment"}


def _span(text, sents, spec):
    if "/" in spec:
        num, anchors = spec.split("/", 1)
        s, e = sents[int(num)]
        first, _, last = anchors.partition("..")
        sub = text[s:e]
        a = sub.index(first) if first else 0
        if first and sub.count(first) > 1:
            raise ValueError(f"anchor {first!r} not unique")
        b = (sub.index(last, a) + len(last)) if last else len(sub)
        return s + a, s + b
    if "-" in spec:
        x, y = spec.split("-")
        return sents[int(x)][0], sents[int(y)][1]
    return sents[int(spec)]


def _quantity(item):
    value, _, unit = item.strip().partition(" ")
    unit = unit.strip()
    unit = None if unit in ("", "-") else unit
    if "~" in value:
        a, b = value.split("~")
        return {"from": float(a), "to": float(b), "unit": unit}
    return {"value": float(value), "unit": unit}


def build(notes_path, sample_path, out_path):
    sample = {d["id"]: d for d in map(json.loads, open(sample_path, encoding="utf8"))}
    pages, current = [], None
    texts = {}
    for number, raw in enumerate(open(notes_path, encoding="utf8"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("@ "):
                pid = line[2:].strip()
                text = texts.get(pid) or page_text(pid)
                current = {"id": pid, "lang": sample[pid]["lang"], "stratum": sample[pid]["stratum"],
                           "ref_sha1": sha1(text), "ref_chars": len(text), "claims": [], "non_claims": []}
                current["_text"], current["_sents"] = text, sentences(text)
                pages.append(current)
                continue
            text, sents = current["_text"], current["_sents"]
            if line.startswith("N "):
                spec, _, why = line[2:].partition("|")
                s, e = _span(text, sents, spec.strip())
                current["non_claims"].append({"start": s, "end": e, "sha1": sha1(text[s:e]), "why": why.strip()})
                continue
            fields = [f.strip() for f in line.split("|")]
            fields += ["-"] * (6 - len(fields))
            spec, kind, speaker, via, hedge, qs = fields[:6]
            s, e = _span(text, sents, spec)
            speaker, *aliases = [x.strip() for x in speaker.split("=")]
            claim = {"start": s, "end": e, "sha1": sha1(text[s:e]), "kind": KINDS[kind],
                     "speaker": None if speaker == "-" else speaker, "speaker_aliases": aliases,
                     "intermediaries": [] if via == "-" else [v.strip() for v in via.split(",")],
                     "hedge": None, "quantities": []}
            if hedge != "-":
                cue, _, status = hedge.rpartition("/")
                assert status in ("unverified", "disputed", "denied", "confirmed"), status
                claim["hedge"] = {"cue": cue, "status": status}
            if qs != "-":
                claim["quantities"] = [_quantity(q) for q in qs.split(";") if q.strip()]
            current["claims"].append(claim)
        except Exception as err:  # say where, then stop: a judged file must be exact
            raise SystemExit(f"{notes_path}:{number}: {err}: {line}")
    with open(out_path, "w", encoding="utf8") as out:
        for page in pages:
            page.pop("_text"), page.pop("_sents")
            page["claims"].sort(key=lambda c: (c["start"], c["end"]))
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
    print(f"{len(pages)} pages, {sum(len(p['claims']) for p in pages)} claims", file=sys.stderr)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "survey":
        survey(sys.argv[2])
    elif cmd == "sample":
        sample(sys.argv[2])
    elif cmd == "show":
        for page_id in sys.argv[2:]:
            show(page_id)
    elif cmd == "build":
        build(*sys.argv[2:5])
    else:
        print(__doc__)
