"""Verification status: the hedge that marks a claim unverified, disputed, denied or confirmed, and a hedge
that names an earlier claim ("those figures could not be verified", 该数据) going back to it, then to the
article's other mentions of the same figures."""
import re

from .cues import CJK, WORD
from .quantities import extract_quantities


def find_hedge(sentence, masked, lang, rx, words=None):
    """(status, hedge_text, scope, clause_start) for the first verification cue, or None. (words, the sentence's
    word set, is no longer read: the stems are found in the lower-cased sentence itself.)"""
    if lang == "en":
        low = masked.lower()
        # only the statuses whose cue words start a word of the sentence are tried: the full patterns are
        # slow alternations, and most sentences hold no verification word at all
        # (the words one of the stems opens, found in one scan: most words open none)
        index, hit = rx["hedge_stems_en"], set()
        for w in set(rx["hedge_find_en"].findall(low)):
            for st, statuses in index.get(w[:2], ()):
                if w.startswith(st):
                    hit |= statuses
        if not hit:
            return None
        if len(low) != len(masked):
            low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in masked)  # keep the offsets
    elif not rx["hedge_pre_zh"].search(masked):
        return None
    else:
        low, hit = masked, None
    negation = rx["negation_" + lang]
    for status, pat in rx["hedge_" + lang]:
        if hit is not None and status not in hit:
            continue
        m = next((m for m in pat.finditer(low) if status == "unverified"
                  or not negation.search(low, max(0, m.start() - 40), m.start())), None)
        if not m:
            # "not independently confirmed", "did not challenge the figure", "尚未得到独立证实": a negated
            # confirmation or dispute is neither (the unverified patterns carry their own negation)
            continue
        cs = 0
        if lang == "en":
            for op in rx["openers_en"]:
                k = masked.rfind(op, 0, m.start())
                if k >= 0:
                    cs = max(cs, k + len(op))
        else:
            k = max(masked.rfind(p, 0, m.start()) for p in ",，;；")
            cs = k + 1 if k >= 0 else 0
        end = len(sentence.rstrip().rstrip(".。!！"))
        if cs == 0 and lang == "en":
            # no clause break before the cue: the hedge is the comma-clause holding it
            k = masked.rfind(",", 0, m.start())
            cs = k + 1 if k >= 0 else 0
            nxt = masked.find(",", m.end())
            end = nxt if nxt >= 0 else end
        text = sentence[cs:end].strip()
        scope = "part" if rx["part_" + lang].search(text) else "all"
        return status, text, scope, cs, (m.start(), m.end())
    return None


# ---------------------------------------------------------------------------------- who said it: status_by

_AUX_TAIL = re.compile(r"(?:\s+(?:could|can|would|will|did|does|do|has|have|had|was|were|is|are|not|never|yet|also|still|"
                       r"immediately|independently|publicly|officially|flatly|strongly|firmly|repeatedly|quickly|"
                       r"declined|refused|unable|able|to|n't|cannot|couldn't|wouldn't|didn't|hasn't|haven't))+\s*$", re.IGNORECASE)
_NOT_PARTY = re.compile(r"\b(?:figures?|numbers?|data|claims?|reports?|estimates?|statistics?|accounts?|percentages?|shares?|"
                        r"counts?|findings?|allegations?|details?|elements?|it|this|that|these|those|which|[Tt]he\s+deal|"
                        r"[Tt]he\s+plan|[Tt]he\s+project)$")


def hedge_party(masked, hedge, attributions, lang, classify):
    """Who confirmed, disputed, denied or declined to confirm, as the text names it (resolved like speakers), or
    None when nobody is named ('reportedly', 'could not be independently verified': the outlet's own word).

    attributions: the sentence's speech verbs [(verb position, speaker, kind, speaker_text, verb)];
    classify(np) -> (speaker, kind)."""
    status, htext, scope, cs, (cue_s, cue_e) = hedge
    people = ("person", "org", "outlet", "anonymous", "described")
    if status == "unverified" and not _DECLINED.search(masked[cue_s:cue_e + 1]):
        return None  # "reportedly", "allegedly", "unconfirmed", "could not be verified": nobody named gave a verdict
    # the hedge word is a speech verb of the sentence ("The ministry denied ...", "Analyst Li Wen disputed ...")
    for pos, spk, kind, stext, verb in attributions:
        if cue_s - 2 <= pos <= cue_e and spk and kind in people:
            return spk
    if lang != "en":
        for pos, spk, kind, stext, verb in attributions:
            if spk and kind in people and pos <= cue_e + 2:
                return spk
        return None
    m = re.match(r"\w*\s+by\s+(?P<np>(?:the\s+|an?\s+)?[^,;:.\"]{2,60}?)(?=[,;:.]|\s+(?:on|in|at|after|as|because|and|but|which)\b|$)",
                 masked[cue_e:])
    if m:  # "was disputed by two analysts", "were not confirmed by the ministry"
        spk, kind = classify(m.group("np"))
        if spk and kind in people and not _NOT_PARTY.search(m.group("np")):
            return spk
    # the subject of the hedge clause: "but the ministry could not confirm", "Officials declined to verify"
    head = masked[cs:cue_s]
    head = re.sub(r"^\s*(?:[,;]\s*)?(?:but|and|though|although|while|however,?|yet)\s+", "", head, flags=re.IGNORECASE)
    head = _AUX_TAIL.sub("", head).strip(" ,")
    if head and len(head) <= 80 and not re.search(r"[,;:\"?!.]", head) and not _NOT_PARTY.search(head) \
            and head.lower() not in ("it", "i", "we", "you", "there", "this", "that", "they"):
        spk, kind = classify(head)
        if spk and kind in people:
            return spk
    if status == "unverified":
        return None  # "reportedly", "allegedly", "could not be verified": nobody named gave a verdict
    # a verb of the sentence that says it ("Officials said the figures were false")
    for pos, spk, kind, stext, verb in attributions:
        if spk and kind in people and pos < cue_s:
            return spk
    return None


_OWN_HEDGE = re.compile(r"(?i:reported|alleg|claim|purport|appear|seem|apparent|believ|understood|rumo|reports|looks like)")
_DECLINED = re.compile(r"\b(?:declin|refus|would not|wouldn't|did not|didn't|could not|couldn't|cannot|can't|unable|not confirm)",
                       re.IGNORECASE)
_SPOKES = re.compile(r"\b(?:spokes(?:man|woman|person|people)|press\s+(?:secretary|office|officer)|office|aides?|"
                     r"representatives?|lawyers?|attorneys?|counsel|staff|campaign)\b", re.IGNORECASE)


def independence(status_by, speaker, chain, cited):
    """1 when who confirmed/disputed is independent of the claim's origin, 0 when it is the origin's own word
    (the speaker, the cited source, their organisation or spokespeople), None when nobody is named."""
    if not status_by:
        return None
    from .speakers import bare
    by = bare(status_by).lower()
    by_desc = status_by[len(bare(status_by)):].lower()
    origin = [x for x in [speaker, cited] + list(chain or []) if x]
    if not origin:
        return 1
    for o in origin:
        name = bare(o).lower()
        desc = o[len(bare(o)):].lower()
        if by == name or by.split()[-1:] == name.split()[-1:] and len(by.split()) == 1 or name.split()[-1:] == by.split()[-1:] \
                and len(name.split()) == 1:
            return 0
        # the same organisation: "Jo Roe (Acme director)" for Acme, "Acme" for "Jo Roe (director at Acme)"
        if len(name) > 2 and name in by_desc or len(by) > 2 and by in desc:
            return 0
        if _SPOKES.search(by) and (name in by or re.search(r"\b(?:his|her|their|its|company|firm|ministry|department|"
                                                             r"agency|government|group|bank|campaign|organi[sz]ation)\b", by)):
            return 0  # "his spokesman", "a company spokesman": the origin's own voice
    return 1


# ----------------------------------------------------------------------------------- references back

_WINDOW = 3  # a hedge points back at most this many sentences: further away, the reader loses the referent
_STOP = frozenset("of the and with from for that this than into over about near some most their its his her "
                  "which who were was are is has have had been said says percent per cent".split())


def _qkey(q):
    return (q["value"], q["unit"])


def _reference(htext, lang, rx):
    """What a hedge names as the thing it qualifies: {"quantity": needs figures, "values": figures it names,
    "anchors": content words it names} or None when it names nothing that can stand for an earlier claim."""
    m = rx["ref_" + lang].search(htext)
    if m:
        mods = m.group("mods").strip()
        values = {q["value"] for q in extract_quantities(mods, lang)} if any(ch.isdigit() for ch in mods) else set()
        if lang == "en":
            anchors = tuple(w for w in mods.lower().split()
                            if len(w) > 2 and w not in rx["ref_generic_en"] and not w[0].isdigit())
        else:
            anchors = (mods,) if len(CJK.findall(mods)) >= 2 else ()
        return {"quantity": m.group("noun") in rx["ref_qnouns_" + lang] or bool(values), "values": values,
                "anchors": anchors}
    if rx["backref_" + lang].search(htext) or lang == "en" and _VERDICT_REF.search(htext):
        return {"quantity": False, "values": set(), "anchors": ()}  # "This has never been confirmed."
    return None


# a verdict that names what it judges at its end or as "the claim" ("we found no evidence supporting this")
_VERDICT_REF = re.compile(r"\b(?:this|that|it|these|those|them)\s*[.!]?$|\bthe\s+(?:claim|allegation|assertion|statement|"
                          r"report|story|rumou?r)s?\b|\b(?:such|these|those|the)\s+claims\b", re.IGNORECASE)


def _anchor_pos(sentence, anchor):
    "Where an anchor word (or its stem: 'mining' ~ 'mined') starts in a sentence, or -1."
    stem = anchor[:5] if len(anchor) > 6 else anchor
    for m in re.finditer(re.escape(stem), sentence, re.IGNORECASE):
        if m.start() == 0 or not sentence[m.start() - 1].isalnum():
            return m.start()
    return -1


def _figure_positions(c):
    "[(position, quantity)] of a claim's figures in its sentence."
    out, sent = [], c["sentence"]
    for q in c["quantities"]:
        i = sent.find(q["text"])
        if i >= 0:
            out.append((i, q))
    return out


def _refer_back(ref, ctx):
    """The earlier claim (within the window, most recent first) that a hedge's reference fits, and the keys
    of the figures it names: a named figure must be among the claim's, an anchor word must be in its
    sentence (the figure it names is the one right before that word: 'about 70% of rare-earth mining')."""
    unit = ctx["_unit"]
    for u, c in reversed(ctx["_recent"]):
        if unit - u > _WINDOW:
            break
        qs = c["quantities"]
        if ref["quantity"] and not qs:
            continue
        if ref["values"]:
            chosen = {_qkey(q) for q in qs if q["value"] in ref["values"]}
        elif ref["anchors"] and qs:
            chosen = set()
            spots = _figure_positions(c)
            for a in ref["anchors"]:
                p = _anchor_pos(c["sentence"], a)
                if p < 0 or not spots:
                    continue
                before = [x for x in spots if x[0] < p]
                i, q = before[-1] if before else min(spots, key=lambda x: x[0] - p)
                chosen.add(_qkey(q))
        elif ref["anchors"]:
            chosen = {None} if all(_anchor_pos(c["sentence"], a) >= 0 for a in ref["anchors"]) else set()
        else:
            chosen = {_qkey(q) for q in qs}
        if chosen:
            return c, chosen - {None}
    return None, None


def _context_words(c, keys):
    "Content words right after the named figures in the claim's sentence ('70% of rare-earth mining')."
    words = set()
    for i, q in _figure_positions(c):
        if _qkey(q) in keys:
            tail = c["sentence"][i + len(q["text"]):i + len(q["text"]) + 40].lower()
            words.update(w for w in WORD.findall(tail)[:4] if len(w) > 3 and w not in _STOP)
    return words


def is_verdict_only(sentence, hedge, lang, rx):
    """A sentence that is nothing but a verdict on something named by reference ("Those numbers could not be
    verified.", "The claim is baseless."): it qualifies another claim, it is none itself."""
    htext = hedge[1]
    if len(hedge) > 4 and _OWN_HEDGE.search(sentence[hedge[4][0]:hedge[4][1]]):
        return False  # "It is understood that ...": the hedge qualifies what follows it, not an earlier claim
    core = sentence.strip().rstrip(".。!！")
    return len(htext) >= 0.8 * len(core) and _reference(htext, lang, rx) is not None and not re.search(r"\d", htext)


def refer_hedge(sentence, quantities, hedge, lang, ctx, rx, status_by=None):
    """A hedge that names an earlier claim ('Capitol Wire could not verify the numbers', 'disputes the mining
    figure', '但这些数字未经独立核实') qualifies that claim; a later statement in the article about the
    same figures overrides an earlier one. Returns True when the hedge went to an earlier claim."""
    status, htext, scope = hedge[:3]
    if len(hedge) > 4 and _OWN_HEDGE.search(sentence[hedge[4][0]:hedge[4][1]]):
        return False  # "they claimed that ...", "reportedly": the sentence's own hedge, not a verdict on another
    ref = _reference(htext, lang, rx)
    if ref is None:
        return False
    if quantities and not {q["value"] for q in quantities} <= ref["values"]:
        return False  # the sentence gives figures of its own: the hedge is about them
    target, chosen = _refer_back(ref, ctx)
    if target is None:
        return False
    keys = {_qkey(q) for q in target["quantities"]}
    part = scope == "part" or bool(chosen and keys - chosen)
    independent = independence(status_by, target["speaker"], target["chain"], target["cited_source"])
    if target.get("status_independent") == 1 and independent != 1:
        return True  # an independent verdict already stands: the origin's own word does not replace it
    target["verification_status"], target["hedge_text"] = status, htext
    target["status_by"], target["status_independent"] = status_by, independent
    target["hedge_scope"] = "part" if part else "all"
    if chosen:
        words = _context_words(target, chosen) | {a.lower() for a in ref["anchors"]}
        ctx["_events"].append((target, status, htext, chosen, words, status_by))
    return True


def spread_statuses(claims, events):
    """A verification statement about figures applies to the article's other mentions of the same figures
    (two shared figures, or one with a shared word next to it), where no status was said of them."""
    # only claims sharing a figure with the statement can take its status: found by figure, not by a scan of
    # every claim for every statement (linear on long pages; issue 15)
    by_key = {}
    for i, c in enumerate(claims):
        for q in c["quantities"]:
            by_key.setdefault(_qkey(q), set()).add(i)
    for target, status, htext, keys, words, status_by in events:
        for i in sorted(set().union(*(by_key.get(k, ()) for k in keys))):
            c = claims[i]
            if c is target or c["verification_status"] != "none" or c["segment"] != target["segment"]:
                continue
            own = {_qkey(q) for q in c["quantities"]}
            shared = own & keys
            # a sentence of a longer quotation is read with the rest of it
            if len(shared) >= 2 or (shared and words & set(WORD.findall(c.get("_unit_text", c["sentence"]).lower()))):
                c["verification_status"], c["hedge_text"] = status, htext
                c["status_by"] = status_by
                c["status_independent"] = independence(status_by, c["speaker"], c["chain"], c["cited_source"])
                c["hedge_scope"] = "part" if own - keys else "all"
