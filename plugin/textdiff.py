"""Word-level differences between two versions of an article's text (CJK compared character by character, other
scripts word by word), as runs the template shows with <del>/<ins>."""
import difflib
import re

from markupsafe import Markup, escape

# a word, one CJK character (no spaces between Chinese words), or a run of whitespace
TOKEN = re.compile(r"\s+|[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]|[^\s\u3400-\u9fff\uf900-\ufaff"
                   r"\u3040-\u30ff\uac00-\ud7af]+")
# words are compared only inside paragraphs that changed (paragraphs matched first: the work stays near-linear
# for an article whose edits are local); a changed block larger than this is shown as removed and added whole
MAX_TOKENS = 4_000


def tokens(text):
    return TOKEN.findall(text or "")


def word_diff(old, new):
    """[{op: "same"|"del"|"ins", text}] turning `old` into `new`; adjacent runs of one op are merged."""
    return _by_lines(old or "", new or "")


def _ops(a, b):
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield "same", "".join(a[i1:i2])
        else:
            if i2 > i1:
                yield "del", "".join(a[i1:i2])
            if j2 > j1:
                yield "ins", "".join(b[j1:j2])


def _by_lines(old, new):
    "Long texts: paragraphs matched first, words compared only inside the changed paragraphs."
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("same", "".join(a[i1:i2])))
        else:
            left, right = tokens("".join(a[i1:i2])), tokens("".join(b[j1:j2]))
            if len(left) + len(right) > MAX_TOKENS:
                out += [("del", "".join(a[i1:i2])), ("ins", "".join(b[j1:j2]))]
            else:
                out += list(_ops(left, right))
    return _merge(out)


def _merge(ops):
    runs = []
    for op, text in ops:
        if not text:
            continue
        if runs and runs[-1]["op"] == op:
            runs[-1]["text"] += text
        else:
            runs.append({"op": op, "text": text})
    return runs


def diff_stats(runs):
    "Words removed and added (whitespace not counted)."
    count = {"del": 0, "ins": 0}
    for run in runs:
        if run["op"] in count:
            count[run["op"]] += sum(1 for t in tokens(run["text"]) if not t.isspace())
    return {"removed": count["del"], "added": count["ins"]}


def diff_html(runs):
    "The runs as HTML: removed words in <del>, added ones in <ins> (text escaped)."
    tags = {"del": ("<del>", "</del>"), "ins": ("<ins>", "</ins>"), "same": ("", "")}
    return Markup("".join(tags[r["op"]][0] + str(escape(r["text"])) + tags[r["op"]][1] for r in runs))
