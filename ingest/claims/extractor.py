"""Claim mentions in an article (English and Chinese): who said what, who passed it on, was it confirmed.

extract_claims(text, language) -> [claim mention dict] (contract in docs/architecture.md). Rule- and
lexicon-based, pure and cheap: cue words live in data/claim_cues.json, titles and cross-language forms in
data/speakers.json, units in data/units.json. Only claims are returned: quotations attributed to someone,
figures, commitments, and reported speech; the article's own unattributed prose without a figure or a
commitment is not a claim.
"""
import bisect
import itertools
import re

from ..extract import is_boilerplate_line
from .attribution import en_attributions, en_cited, zh_attributions, zh_cited
from .cues import CJK, TOKENS, WORD, cue_patterns, has_stem
from .hedges import find_hedge, refer_hedge, spread_statuses
from .quantities import extract_quantities
from .quotes import is_real_quote, mask_quotes, quote_content, quote_spans
from .sentences import segment_heading, sentence_lang, split_sentences
from .speakers import bare, new_context, register_names

EXTRACTOR = "rules-v1"
_MAX_UNIT = 4000  # a merged multi-sentence quotation never grows beyond this many characters
_INTRODUCES = re.compile(r'[^",;.]{0,40}:\s*"')


def extract_claims(text, language=None):
    "Claim mentions of an article text (see module doc and docs/architecture.md)."
    if not text or not text.strip():
        return []
    rx = cue_patterns()
    ctx = new_context()
    ctx.update(_unit=0, _recent=[], _events=[])
    claims = []
    segment = "main"
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    prev_para_quote = None  # (claim) when the previous paragraph ended with a direct quotation
    for idx, (ls, le) in enumerate(nonblank):
        line = text[ls:le]
        heading = segment_heading(line)
        if heading:
            segment = heading
            prev_para_quote = None
            continue
        if is_boilerplate_line(line) or rx["caption"].fullmatch(line.strip()):
            continue
        nxt = text[nonblank[idx + 1][0]:nonblank[idx + 1][1]].strip() if idx + 1 < len(nonblank) else ""
        if nxt and rx["caption"].fullmatch(nxt) and len(line) <= 250 and len(split_sentences(line)) <= 2:
            continue  # a short line right above an image marker is its caption
        if not rx["terminal"].search(line[-12:]) and len(WORD.findall(line)) < 25 and len(CJK.findall(line)) < 40:
            register_names(line, ctx)
            continue  # a heading, a button, a label: no sentence to make a claim
        para_claims = []
        quotes = quote_spans(text, ls, le)
        index = _QuoteIndex(quotes)
        for ss, se in _units(text, ls, le, index):
            sentence_quotes = index.within(ss, se)
            result = _analyse(text, ss, se, sentence_quotes, segment, language, ctx, rx,
                              para_claims, prev_para_quote if not para_claims else None)
            if isinstance(result, tuple):
                if result[1] not in para_claims:
                    para_claims.append(result[1])
                continue
            if isinstance(result, list):
                para_claims.extend(result)
                claims.extend(result)
        last = para_claims[-1] if para_claims else None
        # a paragraph that ends in a quotation, or in an attribution that introduces one ("..., reporting:"),
        # may go on in the next paragraph
        prev_para_quote = last if last and (last["attribution_mode"] == "direct_quote" or (
            last["attribution_mode"] != "asserted" and last["sentence"].rstrip().endswith(":"))) else None
    if ctx["_events"]:
        spread_statuses(claims, ctx["_events"])
    return claims


class _QuoteIndex:
    """A line's quotation spans sorted by start, so each sentence finds its own by bisection instead of
    scanning the line's (a page that is one long line stays linear; issue 15)."""

    def __init__(self, quotes):
        self.quotes = quotes
        self.order = sorted(range(len(quotes)), key=lambda i: quotes[i][0])
        self.starts = [quotes[i][0] for i in self.order]
        self.reach = list(itertools.accumulate((quotes[i][1] for i in self.order), max))

    def within(self, s, e):
        "The quotations inside [s, e], in the order quote_spans gave them."
        lo, hi = bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)
        return [self.quotes[i] for i in sorted(self.order[lo:hi]) if self.quotes[i][1] <= e]

    def spans(self, pos):
        "Whether a quotation runs over pos (starts before it and ends after it)."
        i = bisect.bisect_left(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


def _units(text, ls, le, index):
    "Sentence spans of a line, with a quotation that runs over sentence ends kept in one unit."
    spans = split_sentences(text, ls, le)
    out = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            if index.spans(pe) and e - ps <= _MAX_UNIT:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _analyse(text, ss, se, quotes, segment, language, ctx, rx, para_claims, prev_para_quote):
    sentence = text[ss:se]
    ctx["_unit"] += 1
    written = sentence_lang(sentence, language)
    # the cue lexicons are English and Chinese; other languages go through the English path, where only
    # the language-neutral rules (quotation marks, figures) can fire
    lang = written if written in ("en", "zh") else "en"
    real = [(a, b) for a, b in quotes if is_real_quote(quote_content(text, a, b), text[b:b + 40])]
    masked = mask_quotes(text, ss, se, quotes)
    core = masked.strip()
    if lang == "en":
        low = masked.lower()
        words = set(TOKENS.findall(low))  # one tokenisation shared by the verb, cue and hedge tests
        attributions = en_attributions(masked, ctx, rx, words)
        cited = en_cited(masked, ctx, rx, words, low)
    else:
        words = None
        attributions = zh_attributions(masked, ctx, rx)
        cited = zh_cited(masked, ctx, rx)
    hedge = find_hedge(sentence, masked, lang, rx, words)
    is_question = core.endswith(("?", "？")) and not (real and attributions)
    starts_quoted = masked.lstrip()[:1] == '"' 
    # A quotation sentence with no attribution of its own continues the last quotation (same paragraph,
    # or a paragraph that is nothing but the quotation going on).
    if real and not attributions and starts_quoted:
        last = para_claims[-1] if para_claims else None
        only_quote = masked.replace('"', "").replace("“", "").replace("”", "").strip(" ,.") == ""
        if last is None and prev_para_quote is not None and only_quote:
            last = prev_para_quote
        intro = last is not None and last is prev_para_quote and last["sentence"].rstrip().endswith(":")
        if last and (last["attribution_mode"] == "direct_quote" or intro) and last["char_end"] <= ss \
                and se - last["char_start"] <= _MAX_UNIT:
            if intro:
                last["attribution_mode"], last["claim_type"] = "direct_quote", "quote"
            last["char_end"] = se
            last["sentence"] = text[last["char_start"]:se]
            last["quantities"].extend(extract_quantities(sentence, lang))
            return ("merged", last)
    if is_question:
        register_names(sentence, ctx)
        return None
    quantities = extract_quantities(sentence, lang)
    # A hedge naming an earlier claim ("Those figures could not be verified.") qualifies that claim; a
    # sentence that is nothing but that hedge is no claim of its own.
    if hedge and refer_hedge(sentence, quantities, hedge, lang, ctx, rx) and not attributions and not real:
        return None
    outlets = []
    voices = []  # (verb position, speaker, kind, speaker_text): one claim each when a sentence holds several
    for pos, spk, k, stext, verb in attributions:
        if k == "outlet":
            if spk not in outlets:
                outlets.append(spk)
            continue
        if any(v[1] == spk and v[2] == k and (spk is not None or v[3] == stext) for v in voices):
            continue  # one row per distinct attribution: "X said A, adding B" is one speaker's claim
        voices.append((pos, spk, k, stext))
    for spk, k, ctext in cited:
        if k in ("outlet", "document", "reports"):
            if spk not in outlets:
                outlets.append(spk)
        elif not voices:
            voices.append((0, spk, k, ctext))
    if not voices and outlets:
        voices.append((0, outlets[0], "outlet", outlets[0]))
    if not voices and lang == "en" and has_stem(words, rx["passive_pre"]):
        m = rx["passive_cue"].search(masked)
        if m:  # "is expected to", "was quoted as saying", "reportedly": said by someone the text does not name
            voices.append((m.start(), None, "anonymous", m.group().strip()))
    if lang == "en":
        # the full commitment pattern only runs when one of its first words is present
        commit = has_stem(words, rx["commit_pre"]) and rx["commit_en"].search(sentence.lower())
    else:
        commit = rx["zh_commit"].search(sentence)
    if not voices and not quantities and not commit:
        register_names(sentence, ctx)
        return None
    status, htext, scope = ("none", None, None)
    if hedge:
        status, htext, scope, _ = hedge
    # Each quotation belongs to the voice whose verb is nearest; the other voices report without quoting.
    # A quotation belongs to the verb right after it ('"...," Smith said') or else to the last verb before it.
    quoted_voices = set()
    for qa, qb in real:
        if not voices:
            continue
        # a verb that opens a quotation of its own ('Trump said: "..."') does not take the one before it
        after = [i for i, v in enumerate(voices) if 0 <= v[0] - (qb - ss) <= 40
                 and not _INTRODUCES.match(masked, v[0])]
        before = [i for i, v in enumerate(voices) if v[0] < qa - ss]
        quoted_voices.add(after[0] if after else before[-1] if before else 0)
    out = []
    for i, (_, speaker, kind, speaker_text) in enumerate(voices or [(0, None, None, None)]):
        attributed = kind is not None
        if i in quoted_voices and attributed:
            mode = "direct_quote"
        elif outlets:
            mode = "secondhand_outlet"
        elif kind in ("person", "org", "described", "pronoun-unresolved", "continued"):
            mode = "indirect_speech"
        elif kind in ("anonymous", "reports"):
            mode = "anonymous"
        else:
            mode = "asserted"
        ctype = ("quote" if i in quoted_voices and attributed else "statistic" if quantities else
                 "commitment" if commit else "statement")
        if kind == "person" and speaker:
            ctx["last_speaker"] = bare(speaker)
        chain = ([bare(speaker)] if speaker and kind != "outlet" else []) + outlets
        confidence = {"direct_quote": 0.9, "secondhand_outlet": 0.85, "indirect_speech": 0.75,
                      "anonymous": 0.7, "asserted": 0.6}[mode]
        if kind in ("pronoun-unresolved", "continued"):
            confidence -= 0.15
        out.append({
            "sentence": sentence, "char_start": ss, "char_end": se, "segment": segment,
            "claim_type": ctype, "speaker": speaker, "speaker_text": speaker_text,
            "cited_source": outlets[0] if outlets else None, "chain": chain,
            "attribution_mode": mode, "verification_status": status, "hedge_text": htext, "hedge_scope": scope,
            "quantities": [dict(q) for q in quantities], "lang": written, "extractor": EXTRACTOR,
            "confidence": round(confidence, 2),
        })
    register_names(sentence, ctx)
    recent = ctx["_recent"]
    recent.extend((ctx["_unit"], c) for c in out)
    if len(recent) > 12:
        del recent[:-12]
    return out
