"""An article's text with its claim sentences, country mentions and hedges marked: pure functions from the text
and character spans to escaped HTML, apart from the request handling (articles.py).

Spans may nest or overlap (a country inside a claim sentence, two voices on one sentence, a hedge in the next
sentence): the text is cut at every span boundary and each piece is wrapped in the marks that cover it, in a
fixed order (claim outside, hedge, country inside), so the HTML is always well nested."""
import re
from html import escape as html_escape

from markupsafe import Markup

# nesting order, outermost first
KINDS = ("claim", "hedge", "country")
# how far after a claim sentence its hedge may be found ("Those figures were not confirmed." follows it)
HEDGE_WINDOW = 600


def hedge_span(text, hedge, start, end):
    """(start, end) of `hedge` for the claim sentence text[start:end]: inside it, else the first occurrence in
    the next HEDGE_WINDOW characters, else the last one before it; None when the text does not hold it."""
    if not hedge:
        return None
    at = text.find(hedge, start, max(end, start + len(hedge)) + HEDGE_WINDOW)
    if at == -1:
        at = text.rfind(hedge, max(0, start - HEDGE_WINDOW), end)
    return (at, at + len(hedge)) if at != -1 else None


def paragraphs(text, spans):
    """Cut `text` into paragraphs (at newlines) of pieces (start, end, [spans covering it], outermost first).

    `spans`: dicts with `start`, `end`, `kind` (one of KINDS) and anything the renderer needs; spans outside
    the text are dropped."""
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= len(text)]
    cuts = {0, len(text)}
    for s in spans:
        cuts.update((s["start"], s["end"]))
    breaks = {}
    for m in re.finditer(r"\n+", text):
        cuts.update((m.start(), m.end()))
        breaks[m.start()] = m.end()
    cuts = sorted(cuts)
    starting = {}
    for s in spans:
        starting.setdefault(s["start"], []).append(s)
    order = {kind: i for i, kind in enumerate(KINDS)}
    active, out, para = [], [], []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s["end"] > a] + starting.get(a, [])
        if breaks.get(a) == b:  # a run of newlines: the paragraph ends (a span across it goes on in the next)
            if para:
                out.append(para)
            para = []
            continue
        para.append((a, b, sorted(active, key=lambda s: (order[s["kind"]], s["start"], -s["end"]))))
    if para:
        out.append(para)
    return out


def render(text, spans, wrap, after=None, aside=None):
    """The marked text as <p> elements (escaped: only `wrap`/`after`/`aside` markup is trusted).

    wrap(span) -> (open tag, close tag); after(span) -> markup put right after the span's last piece (a claim's
    badge linking to its claim page); aside(start, end) -> markup put after the paragraph text[start:end]
    (participation rows read from it). Built as plain strings (escape() is the only way text gets in): a
    page of 200 claims has thousands of pieces."""
    out = []
    for para in paragraphs(text, spans):
        html = []
        for a, b, covering in para:
            opens, closes = [], []
            for span in covering:
                open_tag, close_tag = wrap(span)
                opens.append(str(open_tag))
                closes.append(str(close_tag))
            html.append("".join(opens) + html_escape(text[a:b]) + "".join(reversed(closes)))
            if after:
                for span in covering:
                    if span["end"] == b or (span["end"] > b and _ends_in_break(text, b, span["end"])):
                        html.append(str(after(span) or ""))
        out.append("<p>" + "".join(html) + "</p>")
        if aside:
            note = aside(para[0][0], para[-1][1])
            if note:
                out.append(str(note))
    return Markup("\n".join(out))


def _ends_in_break(text, at, end):
    "A span whose remaining characters are only newlines ends here for the reader."
    return not text[at:end].strip("\n")
