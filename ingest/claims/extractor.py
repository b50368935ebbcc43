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
from .attribution import (_left_speaker, en_attributions, en_channels, en_cited, en_citing, own_outlet, refusal_of_act,
                          typewriter_continues, zh_attributions, zh_channels, zh_cited)
from .cues import CJK, TOKENS, WORD, cue_patterns
from .hedges import find_hedge, hedge_party, independence, is_verdict_only, refer_hedge, spread_statuses
from .quantities import extract_quantities
from .checkworthy import (asserted, dated, game_report, headline, never, news_like, noise, noise_of_view, play_by_play,
                          quote_noise, reports_speech)
from .quotes import is_real_quote, mask_quotes, quote_content, quote_spans
from .sentences import segment_heading, sentence_lang, split_sentences
from .speakers import (bare, classify_np, classify_zh, new_context, note_group, note_subject, register_names,
                       title_holder)

EXTRACTOR = "rules-v1"
_MAX_UNIT = 4000  # a merged multi-sentence quotation never grows beyond this many characters
_NEW_CLAUSE = re.compile(r"[,;]?\s*(?:but|and|while|although|though|yet|whereas)\s")
_INTRODUCES = re.compile(r'[^",;.]{0,40}:\s*"')


def extract_claims(text, language=None, title=None):
    """Claim mentions of an article text (see module doc and docs/architecture.md). A title that the text does
    not repeat is read as a headline: its claim has segment "title" and offsets into the title."""
    if not text or not text.strip():
        return []
    rx = cue_patterns()
    ctx = new_context()
    ctx.update(_unit=0, _recent=[], _events=[], _news=news_like(text), _headline=False, _prev_voice=None,
               _game=None,  # (is the page a game report: read the first time a sentence asks, _is_game)
               _reporting=None, _page=text,  # (whether the page reports speech: asked of few pages, read then)
               _zh_news=bool(_ZH_NEWS.search(text[:20000])), _own_outlet=own_outlet(text))
    claims = []
    segment = "main"
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    head = title.strip() if title else ""
    if head and not is_boilerplate_line(head) and not any(
            " ".join(text[s:e].split()) == " ".join(head.split()) for s, e in nonblank[:6]):
        ts = title.find(head)
        ctx["_headline"] = True
        found = _analyse(title, ts, ts + len(head), quote_spans(title, ts, ts + len(head)), "title", language, ctx,
                         rx, [], None)
        ctx["_headline"] = False
        if isinstance(found, list):
            claims.extend(found)
    prev_para_quote = None  # (claim) when the previous paragraph ended with a direct quotation
    posts = _embedded_posts(text, nonblank)
    for idx, (ls, le) in enumerate(nonblank):
        line = text[ls:le]
        heading = segment_heading(line)
        if heading:
            segment = heading
            prev_para_quote = ctx["_prev_voice"] = None
            continue
        if is_boilerplate_line(line) or rx["caption"].fullmatch(line.strip()):
            continue
        nxt = text[nonblank[idx + 1][0]:nonblank[idx + 1][1]].strip() if idx + 1 < len(nonblank) else ""
        sig = posts.get(idx)
        if sig:
            spk, kind = classify_np(sig, ctx)
            ctx["_tweet"] = (spk, kind if kind in ("person", "org", "outlet") else None, sig,
                             rx["platforms"].get("twitter", "Twitter"))
        else:
            ctx["_tweet"] = None
        if nxt and rx["caption"].fullmatch(nxt) and len(line) <= 250 and len(split_sentences(line)) <= 2:
            continue  # a short line right above an image marker is its caption
        ends = _LINK.sub("", line[-80:]).rstrip() if "/" in line[-80:] else line  # "... heritage. pic.twitter.com/x"
        if not rx["terminal"].search(ends[-12:]) and len(WORD.findall(line)) < 25 and len(CJK.findall(line)) < 40:
            if ctx["_news"] and sentence_lang(line, language) == "en" and headline(line) and segment == "main":
                # a headline or subhead that states something ("Russia denies shooting down jet")
                ctx["_headline"] = True
                found = _analyse(text, *_trimmed(text, ls, le), quote_spans(text, ls, le), segment, language, ctx, rx,
                                 [], None)
                ctx["_headline"] = False
                if isinstance(found, list):
                    claims.extend(found)
                continue
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
        # whose account a paragraph that is only a quotation goes on with ("X said that ... / “...”")
        ctx["_prev_voice"] = last if last and last["speaker"] and last["attribution_mode"] in (
            "indirect_speech", "direct_quote") and last["lang"] == "en" else None
    _credit_listed(text, nonblank, claims, ctx)
    for c in claims:
        # a headline's "PAHO Director warns": the person the text names with that title further down
        holder = c["speaker"] and c["lang"] == "en" and title_holder(c["speaker"], ctx)
        if holder:
            if c["chain"] and c["chain"][0] == bare(c["speaker"]):
                c["chain"][0] = bare(holder)
            c["speaker"] = holder
    if ctx["_events"]:
        spread_statuses(claims, ctx["_events"])
    return [c for c in claims if not _empty_quote(c)]


def _credit_listed(text, lines, claims, ctx):
    """A 'Source: CDC, Chicago Department of Public Health' line under a list of figures credits the list items
    above it ('- 33% of those hospitalised are ...') to its first source, when the outlet asserted them."""
    for idx, (s, e) in enumerate(lines):
        m = _SOURCE_LINE.match(text, s, e)
        if not m or idx == 0:
            continue
        name = re.split(r"\s*[,;]\s*|\s+and\s+", m.group("src").strip(" ."))[0]
        j, start = idx - 1, None
        while j >= 0 and _BULLET.match(text, lines[j][0], lines[j][1]):
            start, j = lines[j][0], j - 1
        if start is None or not name:
            continue
        speaker, kind = classify_np(name, ctx, register=False)
        if kind not in ("org", "outlet", "person", "anonymous", "described"):
            speaker, kind = name, "org"
        for c in claims:
            if start <= c["char_start"] < s and c["speaker"] is None and c["attribution_mode"] == "asserted":
                c.update(speaker=speaker, speaker_text=text[s:e].strip(), chain=[bare(speaker)],
                         attribution_mode="indirect_speech")


_SOURCE_LINE = re.compile(r"\s*(?:Sources?|Data|Figures)\s*:\s*(?P<src>[^\n]{2,120})$")
_BULLET = re.compile(r"\s*[-•*–·]\s+\S")


# the signature line under an embedded post as Twitter's embed code renders it: "— Name (@handle) July 3, 2019"
_POST_SIGNATURE = re.compile(r"^[—–-]\s*(?P<name>[^()\n@]{2,60}?)\s*\(@\w{1,30}\)\s*"
                             r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})\s*$")



def _embedded_posts(text, lines):
    """{line index: author} for the lines of embedded posts: the lines right above a signature line, up to a
    post's length (280 characters and its links) and never a line that introduces it ('X tweeted:')."""
    posts = {}
    for idx, (s, e) in enumerate(lines):
        if text[s:e].lstrip()[:1] not in "—–-":
            continue
        sig = _POST_SIGNATURE.match(text[s:e].strip())
        if not sig:
            continue
        size, j = 0, idx - 1
        while j >= 0 and idx - j <= 4:
            line = text[lines[j][0]:lines[j][1]].strip()
            size += len(_LINK.sub("", line))
            if line.endswith(":") or size > 280 or j in posts:
                break
            posts[j] = sig.group("name").strip()
            j -= 1
    return posts


# speech verbs as title-case headlines write them (only on headlines: elsewhere a capital starts a name)
_TITLE_VERB = re.compile(r"(?<=\s)(?:Says|Said|Warns|Tells|Told|Claims|Announces|Confirms|Denies|Reports|Admits|Insists)(?=\s|$)")
_LINK = re.compile(r"\b(?:https?://|pic\.twitter\.com/)\S+")
_CLOSE = re.compile(r"[”\"](?=[^”\"]*$)")


def _partial_quote(content):
    """A phrase of the speaker's quoted in reported speech: two to eight words, some lower-case (a name or a title
    is capitalised; a single quoted word is a scare quote or a label: 'an “excellent” call')."""
    words = WORD.findall(content)
    return 2 <= len(words) <= 8 and any(w[0].islower() for w in words)


def _empty_quote(c):
    "A quoted sentence that states nothing checkable (a question, feelings, a fragment), English only."
    if c["attribution_mode"] != "direct_quote" or c["lang"] != "en":
        return False
    spans = quote_spans(c["sentence"], 0, len(c["sentence"]))
    if spans and not any(is_real_quote(quote_content(c["sentence"], a, b), c["sentence"][b:b + 40]) for a, b in spans):
        return False  # only partial quotations: the reported speech around them is the claim
    sentence = c["sentence"]
    m = _CLOSE.search(sentence)
    content = sentence[:m.start()] if m and m.start() > 3 else sentence
    return quote_noise(content)


class _NeedsOne:
    "A pattern searched only where one of the characters every match holds occurs (most pages have none)."

    def __init__(self, rx, chars):
        self.rx, self.chars = rx, chars

    def search(self, s):
        return self.rx.search(s) if any(ch in s for ch in self.chars) else None


# a Chinese page that reports news: a dateline, a reporter, a wire, a date
_ZH_NEWS = _NeedsOne(re.compile(r"记者|报道|新华社|日电|通讯员|\d{1,2}月\d{1,2}日|发布会|表示|获悉"), "记报新日通月发表获")


def _trimmed(text, s, e):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


class _QuoteIndex:
    """A line's quotation spans sorted by start, so each sentence finds its own by bisection instead of
    scanning the line's (a page that is one long line stays linear; issue 15)."""

    def __init__(self, quotes):
        self.quotes = quotes
        if not quotes:
            self.order = self.starts = self.reach = ()  # (most lines quote nobody)
            return
        self.order = sorted(range(len(quotes)), key=lambda i: quotes[i][0])
        self.starts = [quotes[i][0] for i in self.order]
        self.reach = list(itertools.accumulate((quotes[i][1] for i in self.order), max))

    def within(self, s, e):
        "The quotations inside [s, e], in the order quote_spans gave them."
        if not self.quotes:
            return []
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
        if out and e - s < 120 and _BARE_ATTRIBUTION.match(text, s, e) and text[out[-1][0]:out[-1][1]].rstrip()[-1:] in "”\"" \
                and e - out[-1][0] <= _MAX_UNIT:
            # '“... did it.” Deyal told this newspaper.': an attribution with nothing of its own credits the
            # quotation before it
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


# a sentence that is only an attribution: a short subject, a speech verb, whom and when ("He said.",
# "Deyal told this newspaper.", "the ministry said on Monday.")
_BARE_ATTRIBUTION = re.compile(r"\s*(?:[A-Z][\w.'’\-]*|[Tt]he\s+[a-z]+)(?:\s+[\w.'’\-]+){0,5}?\s+"
                               r"(?:said|says|told|tells|added|adds|wrote|writes|explained|stated|noted|recalled|"
                               r"replied|insisted|continued|concluded)(?:\s+[\w.'’\-]+){0,6}[.!]\s*$")


# a republication or a platform credit ("KVELLER via JTA —", "on Twitter", "tweeted"): intermediaries without a speaker
_RELAY_CUE = re.compile(r"\b(?:via|through|on|tweeted|tweets|tweeting|retweeted|posted)\s")
# an interview, remarks or an op-ed as the place words were said ("in an interview with CNN"), and the subject and
# first verb of a sentence that names no speech verb ("X, a senator, defended the plan in an interview with ...")
_INTERVIEW = re.compile(r"\b(?:in|during)\s+(?:an?|his|her|their)\s+(?:[\w\-]+\s+){0,2}(?:interview|conversation|appearance|"
                        r"remarks|op-ed|column|statement)\s+(?:with|to|on|for|in)\s")
_SUBJECT_VERB = re.compile(r"\s*(?P<subj>[A-Z][^;:\"]{1,160}?)\s+(?:(?:also|then|later|again|[a-z]+ly)\s+)?"
                           r"(?P<v>(?!(?:the|a|an|of|in|on|at|for|with|to|and|or|who|which|that)\b)[a-z]{3,}(?:ed|d)|gave|made|"
                           r"took|went|spoke|wrote|did|held|sent|put|struck|kept|came)\b")
_ASKED_WHOM = re.compile(r"\basked\s+(?P<np>(?:[A-Z][\w.'’\-]*\s+){0,3}[A-Z][\w'’\-]+)")


def lang_hint_en(masked):
    "Latin letters: the English path's patterns may apply."
    return not CJK.search(masked[:200])


def _dropped_unread(masked, low, hedge, cited, ctx, rx):
    """An English sentence nobody is credited with, on a page that is not news, that says no date: the keep test
    below drops it, and nothing on the way there can act (no hedge to give a verdict, no cited source, no
    passive credit or evidential to give it a voice). It is dropped as never() would drop it, without the dear tests
    first."""
    return not hedge and not cited and not ctx["_news"] and not dated(masked) and not (
        rx["passive_find"].search(low) and (rx["passive_cue"].search(masked) or rx["evidential"].search(masked)))


def _is_game(ctx):
    "game_report of the page, read the first time a sentence asks."
    if ctx["_game"] is None:
        ctx["_game"] = game_report(ctx["_page"])
    return ctx["_game"]


def _reports(ctx):
    "reports_speech of the page, read the first time a sentence asks (a scan of up to 50,000 characters)."
    if ctx["_reporting"] is None:
        ctx["_reporting"] = reports_speech(ctx["_page"])
    return ctx["_reporting"]


def _figures(found, sentence, lang):
    "The figures of the sentence: found already, or read now (extract_quantities is pure: when is no matter)."
    return extract_quantities(sentence, lang) if found is None else found


def _analyse(text, ss, se, quotes, segment, language, ctx, rx, para_claims, prev_para_quote):
    sentence = text[ss:se]
    ctx["_unit"] += 1
    written = sentence_lang(sentence, language)
    # the cue lexicons are English and Chinese; other languages go through the English path, where only
    # the language-neutral rules (quotation marks, figures) can fire
    lang = written if written in ("en", "zh") else "en"
    real = [(a, b) for a, b in quotes if is_real_quote(quote_content(text, a, b), text[b:b + 40])]
    masked = mask_quotes(text, ss, se, quotes)
    if ctx["_headline"] and _TITLE_VERB.search(masked):
        # a headline in title case ("..., CBP Says", "Minister Warns Of ..."): its speech verb read as one
        masked = _TITLE_VERB.sub(lambda m: m.group().lower(), masked)
    core = masked.strip()
    note_subject(masked, ctx, ctx["_unit"])  # "Senator Dana Cole ..., her spokesman said": who the sentence is about
    if "?" in sentence and lang_hint_en(masked):  # (the cheap test first)
        m = _ASKED_WHOM.search(masked)
        if m:  # "a reporter asked Montoya-Lewis, '...?'": the one asked is who answers next ("she replied")
            whom, kind = classify_np(m.group("np"), ctx)
            if kind == "person" and whom:
                ctx["last_subject"], ctx["_subject_at"] = bare(whom), ctx["_unit"] + 0.5
    if lang == "en":
        low = masked.lower()
        words = set(TOKENS.findall(low))  # one tokenisation shared by the verb, cue and hedge tests
        attributions = en_attributions(masked, ctx, rx, words)
        cited = en_cited(masked, ctx, rx, words, low)
        note_group(masked, words, ctx, ctx["_unit"])  # after this sentence's own speakers: a later "they"
    else:
        words = None
        attributions = zh_attributions(masked, ctx, rx)
        cited = zh_cited(masked, ctx, rx)
        if not attributions:
            m = rx["zh_reporter_frame"].search(masked)
            if m:  # "记者从市应急管理局获悉": the office is the source, the outlet's reporter passed it on
                spk, kind = classify_zh(m.group("src"), ctx)
                if kind:
                    attributions = [(m.start(), spk, kind, m.group("src"), "获悉")]
    hedge = find_hedge(sentence, masked, lang, rx, words)
    is_question = core.endswith(("?", "？")) and not (real and attributions)
    starts_quoted = masked.lstrip()[:1] == '"' 
    # A quotation sentence with no attribution of its own continues the last quotation (same paragraph,
    # or a paragraph that is nothing but the quotation going on).
    if real and not attributions and starts_quoted:
        last = para_claims[-1] if para_claims else None
        if last is not None and last["attribution_mode"] != "direct_quote":
            # the same sentence's quotation row, before a row for the speaker's second statement in it
            last = next((c for c in reversed(para_claims) if c["char_end"] == last["char_end"]
                         and c["attribution_mode"] == "direct_quote" and c["speaker"] == last["speaker"]), last)
        only_quote = masked.replace('"', "").replace("“", "").replace("”", "").strip(" ,.") == ""
        if last is None and prev_para_quote is not None and only_quote:
            last = prev_para_quote
        intro = last is not None and last is prev_para_quote and last["sentence"].rstrip().endswith(":")
        if last and (last["attribution_mode"] == "direct_quote" or intro) and last["char_end"] <= ss \
                and se - last["char_start"] <= _MAX_UNIT:
            if intro:
                last["attribution_mode"], last["claim_type"] = "direct_quote", "quote"
            # the quotation goes on: one claim for the whole quotation, as attribution corpora count it
            last["char_end"] = se
            last["sentence"] = text[last["char_start"]:se]
            last["quantities"].extend(extract_quantities(sentence, lang))
            return ("merged", last)
    tw = ctx.get("_tw_open")
    if tw is not None and (not para_claims or para_claims[-1] is not tw):
        tw = ctx["_tw_open"] = None  # (a new paragraph, or another claim since)
    if lang == "en" and tw is not None and not sentence.lstrip().startswith("''") and se - tw["char_start"] <= _MAX_UNIT:
        # "''B. C? No.''": the sentences of a typewriter quotation opened before and not yet closed go on with it
        # (attr10)
        tw["char_end"], tw["sentence"] = se, text[tw["char_start"]:se]
        tw["quantities"].extend(extract_quantities(sentence, lang))
        if "''" in sentence:
            ctx["_tw_open"] = None
        return ("merged", tw)
    if lang == "en" and para_claims and sentence.lstrip().startswith("''") and typewriter_continues(
            sentence, [a[0] for a in attributions], para_claims[-1], ss) and se - para_claims[-1]["char_start"] <= _MAX_UNIT:
        # "''A,'' said X. ''B.''": an archive's typewriter quotation goes on (its "I" is the speaker's own): one claim
        last = para_claims[-1]
        last["char_end"], last["sentence"] = se, text[last["char_start"]:se]
        last["quantities"].extend(extract_quantities(sentence, lang))
        # (a quotation that runs past this sentence stays open for the next ones)
        ctx["_tw_open"] = last if sentence.count("''") % 2 == 1 else None
        return ("merged", last)
    prev = ctx.get("_prev_voice")
    continued_via = None
    if real and not attributions and starts_quoted and not para_claims and prev is not None and lang == "en" \
            and masked.replace('"', "").replace("“", "").replace("”", "").strip(" ,.") == "":
        # a paragraph that is nothing but a quotation, after one that credits someone: their words go on
        # ("Deyal said that he had left ... / “He left on Thursday night ...”"), one claim per sentence
        attributions = [(0, prev["speaker"], "continued", prev["speaker_text"] or prev["speaker"], None)]
        continued_via = prev["chain"][1:]
    elif real and not attributions and lang == "en" and not starts_quoted:
        # the outlet's sentence quotes words without saying whose ('..., vaccination gaps “will keep our region at
        # risk.”'): the speaker whose account the paragraph (or the one before) gives; a scare quote of a few
        # words is nobody's statement
        last = para_claims[-1] if para_claims else prev
        if last is not None and last["speaker"] and last["lang"] == "en" and last["attribution_mode"] in (
                "direct_quote", "indirect_speech") and any(
                len(WORD.findall(quote_content(text, a, b))) >= 4 for a, b in real) \
                and not rx["document"].search(masked[:60]):  # ("One such document includes a “...” clause")
            attributions = [(0, last["speaker"], "continued", last["speaker_text"] or last["speaker"], None)]
            continued_via = last["chain"][1:]
    tweet = ctx.get("_tweet")
    if tweet and not attributions and tweet[1] and not (lang == "en" and never(masked)):
        # an embedded post signed on the next line ("— Dave Schukin (@schukin) July 3, 2019"): its author's own
        # words, passed on through the platform
        attributions = [(0, tweet[0], tweet[1], tweet[2], "posted")]
        continued_via = [tweet[3]]
    if is_question or (lang == "en" and not attributions and (_dropped_unread(masked, low, hedge, cited, ctx, rx)
                                                              or never(masked))):
        register_names(sentence, ctx)
        return None
    # the sentence's figures, read when a test first needs them (_figures): most sentences of a page that is not
    # news are dropped before any does
    quantities = None
    # A hedge naming an earlier claim ("Those figures could not be verified.") qualifies that claim; a
    # sentence that is nothing but that hedge is no claim of its own.
    status_by = None
    if hedge:
        # who gave the verdict is a real mention: remembered, so "he said" next resolves to them
        classify = (lambda np: classify_np(np, ctx)) if lang == "en" else (lambda np: classify_zh(np, ctx))
        status_by = hedge_party(masked, hedge, attributions, lang, classify)
    if hedge and refer_hedge(sentence, (quantities := _figures(quantities, sentence, lang)), hedge, lang, ctx, rx,
                             status_by) and not real and (
            not attributions or all(hedge[4][0] - 2 <= a[0] <= hedge[4][1] for a in attributions)):
        # the sentence is the verdict on an earlier claim ("Analyst Li Wen disputed the figure"): no claim of its own
        register_names(sentence, ctx)
        return None
    if hedge and not attributions and not real and is_verdict_only(sentence, hedge, lang, rx):
        register_names(sentence, ctx)
        return None  # "Those numbers could not be verified." with nothing before it to qualify
    outlets = []
    voices = []  # (verb position, speaker, kind, speaker_text, via): one claim each when a sentence holds several
    clauses = {}  # verb position -> start of the clause of a speaker's second statement in the sentence
    for pos, spk, k, stext, verb in attributions:
        if k == "outlet":
            if spk not in outlets:
                outlets.append(spk)
            continue
        same = [v for v in voices if (v[1] == spk or v[1] and spk and bare(v[1]) == bare(spk)) and v[2] == k
                and (spk is not None or v[3] == stext)]
        if same and spk != same[-1][1]:
            # "Pohl, who recalled ..., said": the relative pronoun's name and the described name are one speaker
            spk = max(spk, same[-1][1], key=len)
            for v in same:
                v[1] = spk
        if same:
            # "X said A, adding B", "..., urging them to B", "X, who estimates that B, said": the same speaker's
            # second statement in a clause of its own is its own claim, spanning that clause; otherwise (its
            # words go on inside the first) one row
            cs = _own_clause(masked, same[-1][0], pos) if lang == "en" and spk and (
                _says_something(masked, pos) or verb not in rx["weak"] and _OWN_SUBJECT.search(masked, max(0, pos - 60), pos)) \
                else None  # (", but he also warned China against ...": a clause with its own subject is a statement)
            if cs is not None and verb in rx["weak"] and _PRONOUN_JOIN.match(masked, cs):
                cs = None  # (", they want to ...", "as she hopes": only a verb of speech proper opens such a clause) (attr10)
            if cs is not None and same[-1][5] not in _PLAIN_SPEECH and '"' not in masked[:same[-1][0]] \
                    and not _says_something(masked, same[-1][0], cs):
                continue  # "X mocked the plan, saying A": the first verb only names what the second says
            rel = _RELATIVE_BEFORE.search(masked, max(0, same[-1][0] - 12), same[-1][0]) \
                if lang == "en" and spk and cs is None and same[-1][0] not in clauses \
                and _says_something(masked, same[-1][0]) else None
            if rel:  # "Roffman, who estimates that A, described B, he said": the relative clause is one statement
                clauses[same[-1][0]] = rel.start()
            elif cs is None:
                continue
            else:
                clauses[pos] = cs
                first = same[-1][0]
                rel = _RELATIVE_BEFORE.search(masked, max(0, first - 12), first) \
                    if first not in clauses and _says_something(masked, first, cs) else None
                if rel:  # "O'Donnell, who said in an interview that A, recalled that B": two statements, two clauses
                    clauses[first] = rel.start()
        voices.append([pos, spk, k, stext, [], verb])
    credit_split, cited_via = [], []
    for spk, k, ctext in cited:
        if k in ("outlet", "document", "reports"):
            if spk not in outlets:
                outlets.append(spk)
        elif not voices:
            voices.append([0, spk, k, ctext, [], None])
        elif lang == "en":
            # "Republicans denounced the deal, which would cut the rate to 17%, according to company leaders": the
            # credit closes a relative clause after the speaker's verb; that clause is the credited source's claim
            at = masked.find(ctext)
            rel = _REL_OPEN.search(masked, max(v[0] for v in voices), at) if at > 0 else None
            if rel and masked[rel.end():at].count(",") == 1 and _CREDIT_BEFORE.search(masked, rel.end(), at):
                clauses[rel.start()] = rel.start()
                credit_split.append(rel.start())
                voices.append([rel.start(), spk, k, ctext, [], None])
            elif spk and k in ("anonymous", "described", "org", "person") and at > 0 \
                    and _ACCORDING_BEFORE.search(masked, max(0, at - 20), at) \
                    and not any(v[1] and bare(v[1]) == bare(spk) for v in voices):
                # '"...," he told Flake, according to officials with knowledge of the meeting': the officials
                # passed it on; they stay in the chain (they were dropped when the sentence had a speech verb)
                cited_via.append(spk)
    m = _ZH_THEY_REPORTEDLY.match(masked.lstrip()) if lang == "zh" and not voices and not outlets else None
    if m and ctx["_recent"] and ctx["_recent"][-1][0] >= ctx["_unit"] - 2 and ctx["_recent"][-1][1]["speaker"]:
        # "两名渔民告诉警方……。他们据称随后……": the group goes on with its own account, which nobody has confirmed
        last = ctx["_recent"][-1][1]
        voices.append([0, last["speaker"], "continued", m.group(1), [], None])
        if not hedge:
            hedge = ("unverified", m.group(2), "all", 0, m.span(2))
    if lang == "zh" and not voices and not outlets and rx["zh_anon_frame"].match(masked.lstrip()):
        # "据了解，……", "据悉，……", "记者获悉，……": reported, nobody named; and not confirmed
        voices.append([0, None, "anonymous", rx["zh_anon_frame"].match(masked.lstrip()).group(), [], None])
        if not hedge:
            cue = rx["zh_anon_frame"].match(masked.lstrip()).group()
            hedge = ("unverified", cue, "all", 0, (0, len(cue)))
    if lang == "zh" and voices:
        told = zh_channels(masked)
        for v in voices:
            v[4] += [name for pos, name in told if pos >= v[0] - 20 and name not in v[4]]
    if continued_via and voices:  # (a post signed by an outlet gives no voice: the outlet is its source)
        voices[0][4] = list(continued_via)
    if lang == "en":
        voices = _relays(voices, masked, sentence, ctx, rx, outlets, words)
        # "Citing X, the agency noted ...": X is the source, not an outlet the claim passed through
        outlets = [o for o in outlets if not any(v[1] and bare(v[1]) == o for v in voices)]
        split = _coordinated_speakers(voices, masked, clauses) + credit_split
        for v in voices if cited_via else ():
            v[4] += [n for n in cited_via if n not in v[4]]  # (after whom it was told to: the last link)
    if not voices and lang == "en" and rx["passive_find"].search(low):  # (its stems hold the evidentials' too)
        m = rx["passive_cue"].search(masked)
        if m:  # "is expected to", "was quoted as saying", "reportedly": said by someone the text does not name
            group = _group_account(masked, m, ctx)
            voices.append([m.start(), group, "continued", "they", [], None] if group else
                          [m.start(), None, "anonymous", m.group().strip(), [], None])
        elif not outlets:
            m = rx["evidential"].search(masked)
            if m:  # "it seems likely that", "appears certain to", "apparently": a view the outlet passes on, nobody named
                # (through the platform it names: "users on Twitter appear to have found ...")
                via = [n for _, n in en_channels(sentence, masked, ctx, rx, words)] if _RELAY_CUE.search(masked) else []
                voices.append([m.start(), None, "anonymous", m.group().strip(), via, None])
        if voices and voices[0][1] is None and ("," in masked[m.end():] or ";" in masked[m.end():]):
            _more_agentless(masked, m, voices, clauses, split, rx)
    if lang == "en":
        # the full commitment pattern only runs when one of its first words is present
        commit = rx["commit_find"].search(low) and rx["commit_en"].search(sentence.lower())
    else:
        commit = rx["zh_commit"].search(sentence)
    if lang == "en" and voices and not ctx["_news"] and not _reports(ctx) and not real and not any(
            v[5] in _PLAIN_SPEECH for v in voices) and not (quantities := _figures(quantities, sentence, lang)):
        voices = []  # a how-to or a definition page: "who believed that ..." reports no news
    if lang == "en" and voices and not real and not any(v[5] in _PLAIN_SPEECH for v in voices) and _is_game(ctx) \
            and play_by_play(masked):
        voices = []  # "He continues to build momentum", "He opened the game defending Brown": play, not speech
    if lang == "en" and voices and all(v[2] == "anonymous" and v[1] is None for v in voices) and noise(masked) and not (
            all(v[5] is None and v[3] and not rx["forecast_cue"].search(v[3]) for v in voices)
            and not noise_of_view(masked, voices[0][0] + len(voices[0][3]))):
        # "capacity may be tested ... as temperatures are forecast to": the outlet's own forecast (but "there is broad
        # agreement that action should be taken": the modal is the view's, passed on)
        voices = []
    if lang == "en" and not voices and not outlets:
        # nobody is credited: the outlet's own sentence is a claim when it reports something checkable
        if not ctx["_news"] and not dated(masked):
            keep = False  # a how-to, a recipe, a definition: its own steps, specs and figures report no dated event
        elif ctx["_headline"]:
            keep = headline(masked) or asserted(masked)
        elif hedge and hedge[0] == "unverified" and ctx["_news"] and not core.endswith("?") \
                and len(WORD.findall(masked)) >= 6:
            # the outlet hedges it ("appears to", "it is understood that", "X was unable to confirm"): a
            # claim it reports without vouching for it, whatever modal or first person it is written in
            keep = True
        elif noise(masked) or segment == "main" and _is_game(ctx) and play_by_play(masked):
            keep = False  # (on a game report, the play and in-game figures: the result and standings stay)
        elif ctx["_news"]:
            keep = asserted(masked) or bool((quantities := _figures(quantities, sentence, lang)) or commit)
        else:
            # (a figure or a commitment counts only in an asserted sentence: asked first, the figures often go unread)
            keep = asserted(masked) and bool((quantities := _figures(quantities, sentence, lang)) or commit)
    elif lang == "zh" and rx["zh_noise"].search(masked.strip()):
        keep = False  # a question, a conditional, speculation, the reader addressed, page furniture
    else:
        keep = bool(voices or (quantities := _figures(quantities, sentence, lang)) or commit or outlets) or (
            lang == "zh" and ctx["_zh_news"] and len(CJK.findall(masked)) >= 12 and masked.rstrip()[-1:] in "。！”"
            and (rx["zh_anchor"].search(masked) or rx["zh_place"].search(masked) and rx["zh_event"].search(masked)))
    if not keep:
        register_names(sentence, ctx)
        return None
    quantities = _figures(quantities, sentence, lang)
    status, htext, scope = ("none", None, None)
    if hedge:
        status, htext, scope = hedge[:3]
    if not voices and outlets and lang == "en" and _INTERVIEW.search(masked):
        # "Zeldin, Republican of New York, gave the idea a whirl in an interview with CNN: ...": the sentence's
        # subject spoke, the outlet is where (not the source)
        m = _SUBJECT_VERB.match(masked)
        found = _left_speaker(m.group("subj") + " ", rx, False) if m else None
        spk, kind = classify_np(found[0], ctx, description=found[2]) if found else (None, None)
        if kind in ("person", "org"):
            via = [n for _, n in en_channels(sentence, masked, ctx, rx, words)]
            voices.append([m.start("v"), spk, kind, found[1], via + [o for o in outlets if o not in via], None])
            outlets = []
    if not voices and outlets:
        # "according to Reuters, ...", "Reuters reported that ...": the outlet is the source the text names
        via = [n for _, n in en_channels(sentence, masked, ctx, rx, words)] if lang == "en" else []
        # (a post signed by an outlet's own account is the outlet's, through the platform)
        voices.append([0, outlets[0], "outlet", outlets[0], via + [n for n in continued_via or () if n not in via],
                       None])
    elif not voices and lang == "en":
        relayed = [name for _, name in en_channels(sentence, masked, ctx, rx, words)] if _RELAY_CUE.search(masked) \
            else []  # ("Grassley spoke with Garland and did not rule out ...": whom he met, no relay)
        if relayed:  # "KVELLER via JTA — ...": intermediaries, nobody credited with the claim
            voices.append([0, None, None, None, relayed, None])
    # Each quotation belongs to the voice whose verb is nearest; the other voices report without quoting.
    # A quotation belongs to the verb right after it ('"...," Smith said') or else to the last verb before it.
    quoted_voices = set()
    for qa, qb in real:
        if not voices:
            continue
        # a verb that opens a quotation of its own ('Trump said: "..."') does not take the one before it
        # (nor a verb of a new clause: '... pledged that it "would track," but members questioned whether')
        after = [i for i, v in enumerate(voices) if 0 <= v[0] - (qb - ss) <= 40
                 and not _INTRODUCES.match(masked, v[0]) and not _NEW_CLAUSE.match(masked, qb - ss)]
        before = [i for i, v in enumerate(voices) if v[0] < qa - ss]
        quoted_voices.add(after[0] if after else before[-1] if before else 0)
    if lang == "en" and voices and len(real) < len(quotes):
        # a few of the speaker's own words quoted inside what they are reported to have said ('saying she lacks
        # "strength"', 'vowing to "open up" libel laws'): a partial quotation, theirs (not a name or a title)
        for qa, qb in quotes:
            if (qa, qb) not in real and _partial_quote(quote_content(text, qa, qb)):
                # (not after a naming verb: 'called the plan "glamorous"' labels it)
                before = [i for i, v in enumerate(voices) if v[2] is not None and v[0] < qa - ss]
                before = before if before and voices[before[-1]][5] not in rx["naming"] else []
                if before:
                    quoted_voices.add(before[-1])
    out = []
    for i, (vpos, speaker, kind, speaker_text, via, _verb) in enumerate(voices or [(0, None, None, None, [], None)]):
        attributed = kind is not None
        if i in quoted_voices and attributed:
            mode = "direct_quote"
        elif outlets or (via and kind is None):
            mode = "secondhand_outlet"
        elif kind in ("person", "org", "described", "pronoun-unresolved", "continued"):
            mode = "indirect_speech"
        elif kind in ("anonymous", "reports"):
            mode = "anonymous"
        else:
            mode = "asserted"
        rs, re_, rq = ss, se, quantities
        if lang == "en" and split and vpos not in clauses and any(c > vpos for c in split):
            # "Republicans have argued A, but Democrats have pushed for B": the first speaker's row ends where the
            # other speaker's clause begins
            re_ = ss + min(c for c in split if c > vpos)
            while re_ > rs and (text[re_ - 1].isspace() or text[re_ - 1] in ",;"):
                re_ -= 1
            rq = [q for q in quantities if q["text"] in text[rs:re_]]
        if vpos in clauses:
            # the second statement's row spans its own clause (up to the next one's), with the figures written in it
            rs = ss + clauses[vpos]
            re_ = min((ss + c for c in clauses.values() if c > clauses[vpos]), default=se)
            while rs < re_ and (text[rs].isspace() or text[rs] == ","):
                rs += 1
            while re_ > rs and (text[re_ - 1].isspace() or text[re_ - 1] == ","):
                re_ -= 1
            rq = [q for q in quantities if q["text"] in text[rs:re_]]
        ctype = ("quote" if i in quoted_voices and attributed else "statistic" if rq else
                 "commitment" if commit else "statement")
        if _verb == "posted" and tweet:
            mode, ctype = "direct_quote", "quote"  # the post is its author's own words
        if kind == "person" and speaker:
            ctx["last_speaker"], ctx["_speaker_at"] = bare(speaker), ctx["_unit"]
        elif kind == "org" and speaker and ctx.get("_spokes_for") == speaker:
            # its unnamed spokesperson spoke: "he said" next is them, for the body
            ctx["last_speaker"], ctx["_speaker_at"], ctx["_spokes_for"] = speaker, ctx["_unit"], None
        elif kind in ("described", "anonymous") and speaker and _PLURAL.search(speaker.split(" (")[0].split()[-1]):
            ctx["last_group"], ctx["_group_at"] = speaker, ctx["_unit"]  # "the loggers told ...": a later "they"
        if kind == "org" and speaker and " (" not in speaker:
            ctx["last_org_speaker"] = speaker  # "according to the release" next: the body that spoke
        chain = [bare(speaker)] if speaker else []
        for name in via + outlets:
            if name and name not in chain:
                chain.append(name)
        cited_source = outlets[0] if outlets else (via[-1] if via else None)
        confidence = {"direct_quote": 0.9, "secondhand_outlet": 0.85, "indirect_speech": 0.75,
                      "anonymous": 0.7, "asserted": 0.6}[mode]
        if kind in ("pronoun-unresolved", "continued"):
            confidence -= 0.15
        if vpos in clauses:
            # (and goes through whom the first statement was told to)
            first = next((v for v in voices if v[1] == speaker and v[0] < vpos), None)
            for name in first[4] if first else ():
                if name not in chain:
                    chain.append(name)
            if not via and chain[1:]:
                cited_source = chain[-1]
        out.append({
            "sentence": text[rs:re_], "char_start": rs, "char_end": re_, "segment": segment,
            "claim_type": ctype, "speaker": speaker, "speaker_text": speaker_text,
            "cited_source": cited_source, "chain": chain,
            "attribution_mode": mode, "verification_status": status, "hedge_text": htext, "hedge_scope": scope,
            "status_by": status_by if status != "none" else None,
            "status_independent": independence(status_by, speaker, chain, cited_source) if status != "none" else None,
            "quantities": [dict(q) for q in rq], "lang": written, "extractor": EXTRACTOR,
            "confidence": round(confidence, 2),
        })
    if clauses:
        out.sort(key=lambda c: c["char_start"])  # (a relative clause's row comes after its sentence's)
    if outlets and hedge and out and _verdict_clause(masked, outlets + [c[2] for c in cited if c[2]], voices, hedge):
        out = _split_verdict(out, outlets)
    register_names(sentence, ctx)
    recent = ctx["_recent"]
    recent.extend((ctx["_unit"], c) for c in out)
    if len(recent) > 12:
        del recent[:-12]
    return out


# what stands between a speaker's first speech verb and a second one that opens a statement of its own: a
# participle after a comma (", adding that", ", urging them to"), a relative clause (", who estimates that"), a
# coordinated verb or clause ("and then tweeted that", "and she jokingly tells", ", but he also warned")
# (a comma and the speaker's pronoun: "Though executives say A, they also say B") (attr10)
_OWN_CLAUSE = re.compile(r"(?:,\s*(?:who\s+|and\s+|while\s+|(?:he|she|they|we|I)\s+)?|;\s*(?:(?:he|she|they|we|I)\s+)?|,?\s+(?:and|but)\s+(?:(?:he|she|they|we|I)\s+)?"
                         # ("..., as he urged the party to ...": a clause of time with the speaker's pronoun) (attr10)
                         r"|,?\s+(?:as|when|while)\s+(?:he|she|they|we|I)\s+)"
                         r"(?:(?:then|also|later|again|often|[a-z]+ly)\s+){0,2}$")


# what a statement of its own holds after its verb: a quotation, a that-clause, an infinitive ("urging them to
# act"), a clause with its own subject ("adding she would ..."); not only whom it cites ("citing participants")
_STATEMENT_AFTER = re.compile(r'"|\bthat\b|\bto\s+[a-z]{2,}|\b(?:he|she|they|it|we|I|there)\s+[a-z]')


# a coordinated clause with a subject of its own right before its speech verb (", but he also warned")
_OWN_SUBJECT = re.compile(r"(?:,?\s+(?:and|but)|;)\s+(?:he|she|they|we|I)\s+(?:(?:also|then|later|again|[a-z]+ly)\s+){0,2}$")


# the clause openers added for attr10: a comma and the pronoun, or "as"/"when"/"while" and the pronoun
_PRONOUN_JOIN = re.compile(r",\s*(?:he|she|they|we|I)\s|,?\s+(?:as|when|while)\s+(?:he|she|they|we|I)\s")


def _says_something(masked, pos, stop=None):
    "Whether the speech verb at pos is followed, before stop (or within 160 characters), by something said."
    end = masked.find(" ", pos)
    return end >= 0 and _STATEMENT_AFTER.search(masked, end, stop or min(len(masked), end + 160)) is not None


# what opens a clause of its own before another speaker's subject: ", but", "; ", ", while", ", whereas", ", and"
# (a bare comma does not: "..., Customs and Border Protection announced Tuesday" credits all that comes before)
# (nor a bare "and": "she and some neighbors worried" is one subject)
_COORD_BEFORE = re.compile(r"(?:,?\s*\b(?:but|while|whereas|though|although|yet)|,\s*and|;)\s+$")


_LEAD_CONJ = re.compile(r"^(?:but|and|while|whereas|though|although|yet)\s+", re.IGNORECASE)


_REL_OPEN = re.compile(r",\s*(?:which|who)\s")
_ACCORDING_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.IGNORECASE)
_CREDIT_BEFORE = re.compile(r",\s*according\s+to\s+(?:the\s+)?$", re.IGNORECASE)


def _coordinated_speakers(voices, masked, clauses):
    """'Republicans have argued A, but Democrats have pushed for B': a voice of another speaker whose subject opens
    a coordinated clause gets that clause (its row spans it); the clause starts, for the rows before them to end at."""
    split = []
    for v in voices[1:]:
        if v[0] in clauses or not v[3] or not v[1]:
            continue
        subj = _LEAD_CONJ.sub("", v[3])  # ("but harbour officials": the conjunction opens the clause)
        at = masked.rfind(subj, 0, v[0] + 1)
        if at <= 0 or masked[at + len(subj):v[0]].strip(" ,") and len(masked[at + len(subj):v[0]]) > 40:
            continue  # (the subject must stand right before its verb, give or take an adverb or an auxiliary)
        m = _COORD_BEFORE.search(masked, max(0, at - 20), at)
        if m and m.end() == at and any(u[1] and bare(u[1]) != bare(v[1]) for u in voices if u[0] < v[0]):
            clauses[v[0]] = m.start()
            split.append(m.start())
    return split


def _clause_end(masked, pos):
    "Where the clause of the verb at pos ends: the next comma, semicolon or colon, or the sentence's end."
    m = _CLAUSE_STOP.search(masked, pos)
    return m.start() if m else len(masked)


_CLAUSE_STOP = re.compile(r"[,;:]")


_RELATIVE_BEFORE = re.compile(r",\s*who\s+(?:(?:also|then|later|[a-z]+ly)\s+)?$")


def _own_clause(masked, first, pos):
    "Where the clause of a second speech verb at pos starts (an offset into masked), or None."
    m = _OWN_CLAUSE.search(masked, first, pos)
    return m.start() if m and m.end() == pos else None


# "..., they allegedly found him": "they" as the clause's subject before the adverb
_THEY_BEFORE = re.compile(r"(?:^|[,;]\s*|\b(?:and|but|then|so)\s+)[Tt]hey\s[^,;:\"]{0,60}$")


def _group_account(masked, cue, ctx):
    """'The loggers claimed that ... / After a while, they allegedly found him': a group that has just given its
    account (the last or the sentence before) goes on recounting what it did; "allegedly" marks their word,
    not an unnamed source's. The group, or None."""
    if cue.group().strip().lower() not in ("allegedly", "reportedly") or not ctx.get("last_group") or \
            ctx["_unit"] - ctx.get("_group_at", -9) > 2:
        return None
    if not _THEY_BEFORE.search(masked, max(0, cue.start() - 80), cue.start()):
        return None
    ctx["_group_at"] = ctx["_unit"]  # the account goes on: a "they allegedly" next is theirs too
    return ctx["last_group"]


# a clause of its own after a comma or a semicolon: ", and", ", while", ", but", ", whereas", "; "
_CLAUSE_JOIN = re.compile(r"(?:,\s*(?:and|while|but|whereas|yet)|;)\s+")


def _more_agentless(masked, first, voices, clauses, split, rx):
    """'Allergan is best known for A, while Pfizer is well known for B', 'It's hard to imagine A, and it's harder still
    to imagine B': a second agentless cue (or evidential) in a coordinated clause of its own is a second attribution
    without a source; its row spans that clause, the first row ends before it (attr10)."""
    pos = first.end()
    while True:
        nxt = [m for m in (rx["passive_cue"].search(masked, pos), rx["evidential"].search(masked, pos)) if m]
        if not nxt:
            return
        m = min(nxt, key=lambda x: x.start())
        join = None
        for j in _CLAUSE_JOIN.finditer(masked, pos, m.start()):
            join = j
        if join is not None and not re.search(r"[,;]", masked[join.end():m.start()]):
            clauses[m.start()] = join.start()
            split.append(join.start())
            voices.append([m.start(), None, "anonymous", m.group().strip(), [], None])
        pos = m.end()


def _verdict_clause(masked, outlets, voices, hedge):
    """'据新华社报道，两国将签署协议，但外交部否认曾收到邀请': the denial is its own clause, by its own speaker, after
    the credited report — it must not take the outlet, nor give its status to the report."""
    if hedge[0] not in ("denied", "disputed", "confirmed") or len(hedge) < 5 or not voices:
        return False
    cue_s, cue_e = hedge[4]
    own = [v for v in voices if v[1] and cue_s - 2 <= v[0] <= cue_e + 2]
    credit = max((masked.find(o) + len(o) for o in outlets if o in masked), default=-1)
    return bool(own) and 0 <= credit < own[0][0] and re.search(r"[,，;；]", masked[credit:own[0][0]]) is not None


def _split_verdict(rows, outlets):
    "The verdict's row without the outlet; the report's row with it, and no status."
    outlet = outlets[0]
    report = dict(rows[0], speaker=outlet, speaker_text=outlet, cited_source=outlet, chain=[outlet],
                  attribution_mode="secondhand_outlet", verification_status="none", hedge_text=None, hedge_scope=None,
                  status_by=None, status_independent=None, claim_type="statistic" if rows[0]["quantities"] else "statement")
    for r in rows:
        r["chain"] = [x for x in r["chain"] if x not in outlets]
        r["cited_source"] = None
        if r["attribution_mode"] == "secondhand_outlet":
            r["attribution_mode"] = "indirect_speech"
        r["status_independent"] = independence(r["status_by"], r["speaker"], r["chain"], None)
    return [report] + rows


_ZH_THEY_REPORTEDLY = re.compile(r"(他们|她们)(据称|据说|据悉)")
# a plural head: "the loggers", "the fishermen", "police", "the people" (a later "they" is them)
_PLURAL = re.compile(r"(?:s|men|people|children|police)$", re.IGNORECASE)
_PLAIN_SPEECH = frozenset(("said", "says", "told", "tells", "announced", "stated", "reported", "wrote", "added", "posted"))
# between the outer verb and the inner speaker: whom it was told to and "that", or nothing ("King said Clyburn said")
_NESTED_GAP = re.compile(r"^\s*(?:(?:[\w.'’\-]+\s+){0,10}?that\s+)?(?:(?i:the|an?)\s+)?$")
_MODAL_BEFORE = re.compile(r"\b(?:should|would|could|will|may|might|must|to|not|cannot|can)\s+(?:not\s+)?$")
_REPORTER_VERBS = frozenset(("reports", "reported", "writes", "wrote", "reporting"))


def _relays(voices, masked, sentence, ctx, rx, outlets, words=None):
    """Intermediaries of each voice: whom it told, where it spoke ('told Reuters', 'on Twitter'), the source it
    cites ('Citing X, NASA noted' -> X via NASA), and nested speech ('A told Reuters that B said' -> one voice,
    B, via A and Reuters)."""
    if not voices:
        return voices
    channels = en_channels(sentence, masked, ctx, rx, words)
    if not voices:
        return voices
    voices.sort(key=lambda v: v[0])
    for pos, name in channels:
        owner = [v for v in voices if v[0] <= pos] or voices[:1]
        owner[-1][4].append(name)
    # nested speech: a voice whose speaker stands in the complement of the voice before it
    out = [voices[0]]
    for v in voices[1:]:
        prev = out[-1]
        start = masked.rfind(v[3], 0, v[0]) if v[3] else -1
        verb_end = masked.find(" ", prev[0])
        inside = prev[1] and v[1] and prev[1] != v[1] and start > prev[0] and verb_end >= 0 and \
            _NESTED_GAP.match(masked[verb_end:start])
        nested = inside and not _MODAL_BEFORE.search(masked[:v[0]])
        if nested and v[5] in rx["weak"] and (not _says_something(masked, v[0], _clause_end(masked, v[0]))
                                              or refusal_of_act(masked, v[0], v[5], rx)):  # ("refused to release")
            # "Kirk noted that Trump has mocked a disabled reporter": the inner verb (a weak one: mocked, praised,
            # supported) is an act done to someone, with no words of its own after it; what is claimed is the outer
            # speaker's (the inner subject is its topic)
            continue
        if inside and not nested:
            continue  # "X said the Senate should not confirm ...": what X says someone should do, no speech of theirs
        if inside and (v[3] or "").lower() == "it":
            continue  # "Onwurah said it showed ...": what she speaks of, not who passed it on
        if inside and (v[3] or "").lower() in ("he", "she", "they", "i", "we") and (
                prev[2] == "person" or (v[3] or "").lower() in ("they", "we") and prev[2] in ("anonymous", "described",
                                                                                             "org")):
            continue  # "Dossaji told King she believes ...", "staff said they could not ...": the teller again
        if nested:
            # the inner speaker said it; the outer one (and whom it told) passed it on
            v[4] = v[4] + [bare(prev[1])] + [n for n in prev[4] if n not in v[4]]
            out[-1] = v
            continue
        out.append(v)
    cite = en_citing(masked)
    # (quoted words are their writer's own: '"...," wrote X, citing participants' keeps X as the speaker)
    if cite and len(out) == 1 and out[0][1] and '"' not in masked:
        cite = cite.rstrip(".")
        spk, kind = classify_np(cite, ctx, register=False)
        if kind in ("person", "org", "outlet", "anonymous") or re.search(
                r"\b(?:database|data|report|study|survey|figures|statistics|sources?|officials?|records|documents?|"
                r"analysis|estimates?|paper|research)\b", cite, re.IGNORECASE):
            v = out[0]
            out[0] = [v[0], spk or cite, kind or "described", cite, [bare(v[1])] + v[4], v[5]]
    for v in out:
        # "Axios' Kaveh Waddell reports: ...": a reporter of an outlet relays, the claim's source is not named
        if v[5] in _REPORTER_VERBS and v[2] == "person" and v[1]:
            at = masked.rfind(v[3] or "\0", 0, v[0])
            m = re.search(r"\(([^()]*?)['’]s?\)$", v[1]) or re.match(r"^(.*?)['’]s?\s+[A-Z]", v[3] or "") or \
                (re.search(r"((?:[A-Z][\w&\-]*\s?){1,4})['’]s?\s+$", masked[max(0, at - 40):at]) if at > 0 else None)
            if m and _is_outlet_name(m.group(1)):
                v[1:5] = [None, None, None, [bare(v[1]), m.group(1).strip()] + v[4]]
    return out


def _is_outlet_name(name):
    spk, kind = classify_np(name, new_context(), register=False)
    return kind == "outlet"
