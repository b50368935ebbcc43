"""Who a sentence credits: speech-verb attributions (the speaker left or right of the verb, with titles,
appositives and pronouns resolved by speakers.py) and credited outlets or documents ("according to X",
"reported by X", 据…报道), in English and Chinese. Each works on the sentence with its quotations masked."""
import re

from .cues import OUTLET_KIND_TAIL, TOKENS
from .speakers import CAPSEQ, _abbrev_end, _is_outlet, _is_place, _not_names, bare, classify_np, classify_zh, register_outlet


def _strip_tail(left, rx):
    """Drop what stands between a speaker and the verb: auxiliaries and adverbs ('has also', 'later'), time
    ('on Tuesday', 'last week') and an interrupting clause (', when contacted by Reuters,')."""
    aux = rx["aux_set"]
    left = left.rstrip()
    while left:
        if _HE_SHE_CONTRACTION.search(left[-6:]):
            return left[:-2]  # "he's also said", "she's argued": the pronoun and a contracted "has" or "is" (attr10)
        words = left[-40:].split()
        if len(words) >= 2 and (words[-2] + " " + words[-1]).lower() in aux:
            cut = len(words[-2]) + len(words[-1]) + 1
        elif words and (words[-1].lower() in aux or (words[-1].endswith("ly") and words[-1].islower() and len(words[-1]) > 4)):
            cut = len(words[-1])
        else:
            m = None
            if words and words[-1].rstrip(",").lower() in rx["time_set"]:
                m = rx["time_tail"].search(left[-60:])
            if not m and left.endswith(","):
                m = rx["paren_tail"].search(left[-100:])
            if not m:
                break
            cut = len(m.group())
            if m.group().startswith(",") and not m.group().rstrip().endswith(","):
                # "Paul Ryan, the party's top Republican, on Tuesday": the time closed an appositive; keep its comma
                return left[:-cut].rstrip() + ","
            if m.group().rstrip().endswith(",") and not m.group().startswith(",") and "," in left[-160:-cut]:
                # "Ana Ruiz, who was suspended on Friday, pledged": the time ends the relative clause, whose
                # closing comma stays
                return left
        left = left[:-cut].rstrip()
    return left


# a relative clause after a comma that ends in a short quoted phrase and its comma ('Mr. Scott, who has called the
# comments "racially toxic," ...'; the archive's '' marks too): the quotation's words, unquoted, close the clause
_REL_QUOTE_TAIL = re.compile(r"(?<=,)\s*(?P<rel>(?:who|which)\s[^,;:\"“”]{1,100}?)\s*(?:[\"“]|'')(?P<q>[^\"“”']{0,80}?),?\s*(?:[\"”]|'')\s*,?\s*$")
# a verb or adjective whose subject is also the subject of the infinitive after it ('continues to insist', 'were quick
# to point out', 'did not hesitate to report', 'tried to argue'): English subject control; not one whose object is
# ('urged him to say'), nor a plan or a wish ('plans to announce': nothing said yet) (attr9)
_CATENATIVE_TAIL = re.compile(
    r"\s+(?:(?:(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+)?(?:(?:also|always|often|quick|careful|eager|"
    r"keen|willing|anxious|determined|the\s+first|the\s+last|able)\s+)+|(?:do|does|did)(?:\s+not|n['’]t)\s+hesitate\s+|"
    r"(?:go|goes|went|gone|going)\s+out\s+of\s+(?:their|his|her|its|our)\s+way\s+|"  # ("go out of their way to assure") (attr10)
    r"(?:continue|continues|continued|continuing|begin|begins|began|begun|try|tries|tried|trying|seek|seeks|sought|"
    r"attempt|attempts|attempted|went\s+on|go\s+on|goes\s+on|has\s+gone\s+on|appeared|seemed|moved|rushed)\s+)to$")


def _left_speaker(left, rx, weak):
    "The speaker phrase ending right before a speech verb: (np, speaker_text) or None."
    left = _strip_tail(left[-240:], rx)  # a speaker phrase is short; bounding the window keeps regexes linear
    if left.endswith(" to"):
        m = _CATENATIVE_TAIL.search(left[-60:])
        if m:  # "The pilots were quick to point out", "X continues to insist": the subject of the verb before "to"
            left = _strip_tail(left[:len(left) - len(m.group())], rx)
    m = _COORDINATED.search(left)
    if m:  # "Tegnell laughed and (simply) said": the subject of the first verb speaks
        left = _strip_tail(left[:m.start()], rx)
        r = _REDUCED_RELATIVE.search(left[-120:])
        if r and r.group("noun") not in rx["group_heads"] and r.group("noun") not in _ROLE_HEADS \
                and not r.group("noun").endswith(_AGENT_ENDINGS):
            # "O'Donnell departed from the narrative Trump has created in his books and instead portrayed": the
            # name is the subject of a relative clause on "narrative"; the first verb's subject is before it (attr10)
            head = left[:len(left) - 120 + r.start() if len(left) > 120 else r.start()]
            v = _VERB_BEFORE_OBJECT.search(head)
            if v:
                left = _strip_tail(head[:v.start()], rx)
    tail = left[-40:]
    if len(left) > 40:
        tail = tail[tail.find(" ") + 1:]  # whole words only: the pattern starts at a word boundary
    if not left or rx["passive"].search(tail + " "):
        return None
    comma = left.endswith(",")  # the appositive patterns end in a comma: skip them cheaply otherwise
    m = _NAME_AGE.search(left) if comma else None
    if m:  # "Throgs Neck resident Dennise Laboy, 55, said": a name with an age
        pre = _ROLE_BEFORE.search(left[:m.start("np")])
        return m.group("np"), left[pre.start("pre") if pre else m.start("np"):].strip(" ,"), \
            (pre.group("pre").strip() if pre else None)
    m = rx["left_app"].search(left) if comma else None
    if m and not re.search(r"[”\"]\s*,?\s*$", left):
        app = m.group("app").strip()
        # "Trump's attorney, Alan Garten," names the speaker second
        inner = re.fullmatch(CAPSEQ, app)
        np = m.group("np")
        # ... unless the first phrase is itself a name: "Senator Shelley Capito, Republican of West Virginia,"
        described = "'s " in np or "’s " in np or np.split()[-1][:1].islower() or \
            np.split()[0].lower() in ("the", "a", "an", "its", "his", "her", "their")
        if inner and len(app.split()) >= 2 and described:
            return app, left[m.start("np"):].rstrip(", "), None
        return m.group("np"), (m.group("np") + ", " + app), app
    m = rx["left_inner_name"].search(left) if comma else None
    if m and len(m.group("np").split()) >= 2:
        return m.group("np"), left[max(0, left.rfind(",", 0, m.start("np") - 1) + 1):].strip(" ,"), None
    # "Republicans who have praised him warned": the head before a relative clause speaks
    cut = max(left.rfind(c) for c in ",;:\"") + 1
    clause = left[cut:].strip()
    m = rx["relative"].match(clause)
    if m and not re.search(r"\bthat\s", clause[:m.end("head") + 6]):
        left = left[:cut] + (" " if cut else "") + m.group("head")
        clause = m.group("head")
    k = clause.rfind(" that ")
    if k >= 0 and len(clause) - k < 90:
        # "A told Reuters that the minister said": the subject of this verb stands after the last "that"
        left = left[:len(left) - len(clause)] + clause[k + 6:]
        clause = clause[k + 6:]
    m = rx["lead_particle"].match(clause)
    if m:
        left = left[:len(left) - len(clause)] + clause[m.end():]
    if _PARTICIPLES.intersection(left[-160:].split()):
        m = rx["doc_subject"].search(left[-160:])
        if m:
            by = _BY_NAME.search(m.group()[m.end("np") - m.start():])
            if by:  # "the study released by the Delmont Institute": the institute speaks through it
                return by.group("np"), m.group().strip(" ,;:"), None
            return m.group("np"), m.group("np"), None
    last = left[-40:].rsplit(None, 1)[-1] if left.strip() else ""
    m = _SHARE_BEFORE.search(left[-90:]) if any(ch.isdigit() for ch in left[-90:]) else None
    if m:  # "while 61 percent say", "40% of respondents said": a poll's share of those asked (attr10)
        return m.group("np"), m.group("np"), None
    for key in ("left_name", "left_pron", "left_det", "left_bare"):
        # the last word decides whether a name or a pronoun can end here: skip those searches otherwise
        if key == "left_name" and not (last[:1].isupper() or last.endswith(")")):
            continue
        if key == "left_pron" and last.lower() not in _PRONOUNS:
            continue
        if key == "left_det":
            # the phrase opens with a determiner or a possessive within its 70 characters: skip the search
            # when the tail holds neither
            seg = left[-80:]
            if rx["det_set"].isdisjoint(TOKENS.findall(seg.lower())) and "'s " not in seg and "’s " not in seg:
                continue
        m = rx[key].search(left[-110:])
        if m:
            np = m.group("np")
            if key == "left_det" and (len(np.split()) > 12 or re.search(r"\b(?:is|are|was|were|has|have|had|to|and|or|of|the|a)$", np)
                                      or _SUBORDINATOR.search(np)):
                continue  # ("The curfew comes after health officials": the subject follows "after")
            if key == "left_name" and m.start() > 0 and left[-110:][m.start() - 1:m.start()] in "-/":
                continue
            if key == "left_name":
                head = _HEAD_OF.search(left[-110:][:m.start()])
                if head and head.group("head").lower() not in rx["group_heads"] \
                        and head.group("head").lower() not in _ROLE_HEADS:
                    return None  # "the slandering of American Muslims echoed": the name qualifies a noun
                # "Police in Dayton", "officials in Beijing": a group placed somewhere speaks, not the place
                placed = _GROUP_IN.search(left[-110:][:m.start()])
                if placed and (placed.group("det") or placed.group("head").lower() in rx["group_heads"]) \
                        and not rx["document"].fullmatch(placed.group("dhead") or placed.group("head")):
                    np = left[-110:][placed.start():].strip()
                    return np, np, None
                # "Northern Gazette columnist Ida Brandt": an organisation and a role noun before the name
                pre = _ROLE_BEFORE.search(left[-110:][:m.start()])
                if pre:
                    np = pre.group("pre") + np
                    return np, np, None
            if key in ("left_det", "left_bare") and not rx["verb1"].isdisjoint(np.lower().split()[1:-1]):
                continue  # "Officials said members (will report)": the phrase holds another attribution
            if weak and key in ("left_det", "left_bare") and not _group_head(np, rx):
                continue  # "the plan expects": only people believe, expect and want
            if key == "left_pron" and np.lower() == "who":
                # "said Weaver, who said ...": the relative pronoun is the name right before it
                # (m is a match in the last 110 characters: its start is counted from there)
                head = left[:max(0, len(left) - 110) + m.start()].rstrip().rstrip(",").rstrip()
                ante = rx["left_name"].search(head[-80:])
                if ante:
                    return ante.group("np"), np, None
            return np, np, None
    return None


# a name right after a determiner and a common noun, then its auxiliary: the subject of a relative clause without
# "that" ("the self-congratulatory narrative Trump has (created)") (attr10)
_REDUCED_RELATIVE = re.compile(r"\b(?:the|a|an|his|her|its|their|this|that)\s+(?:[\w\-]+\s+){0,3}?(?P<noun>[a-z][a-z\-]{2,})\s+"
                               r"(?:[A-Z][\w.'’\-]*\s+){0,2}[A-Z][\w.'’\-]*(?:\s+(?:has|had|have))?$")
_AGENT_ENDINGS = ("ist", "er", "or", "ant", "ent", "ian", "man", "woman", "person")
# the first verb and its preposition before its object: "departed from", "pointed to", "relied on"
_VERB_BEFORE_OBJECT = re.compile(r"\s+[a-z]{3,}(?:ed|ent|ew|ok|ade|ote|aid|old)(?:\s+(?:from|with|on|to|in|at|for|about|over|against|by|"
                                 r"into|upon))?\s*$")
def _with_subject(lstrip):
    """The subject of an absolute construction before a participle ("with top officials underlining A and", "with
    economists"): the words after the clause's opening "with" up to the first participle, or None."""
    cut = max(lstrip.rfind(c) for c in ",;:\"(") + 1
    clause = lstrip[cut:].strip()
    if not clause.startswith(("with ", "With ")):
        return None
    words = clause[5:].split()
    k = next((i for i, w in enumerate(words) if w.endswith("ing") and w.islower()), len(words))
    if not 0 < k <= 6 or k < len(words) and not clause.endswith(" and"):
        return None  # (a participle that is not this verb's coordinated partner: "with prices rising, he said")
    return " ".join(words[:k])


# a request or an order ("asked them to wait", "told the men to stay behind"), not words reported: its subject is
# no speaker of a claim ("urged him to apologize" takes a position: it stays an attribution)
_DIRECTIVE_VERBS = frozenset(("asked", "asks", "ask", "told", "tells", "tell", "ordered", "orders", "instructed"))
# "the current slandering of American Muslims": a lower-case head noun and "of" before a name
_HEAD_OF = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+(?:[a-z\-]+\s+){0,2}?(?P<head>[a-z\-]{3,})\s+of\s+(?:the\s+)?$")
_ROLE_HEADS = frozenset("spokesman spokeswoman spokesperson head chief director president chairman chairwoman chair leader "
                        "leaders members member minister secretary governor mayor founder owner ceo editor author "
                        "representative representatives lawyer lawyers attorney counsel manager managers commissioner "
                        "officials official staff supporters critics friend friends father mother son daughter wife "
                        "husband brother sister widow family relatives".split())
# a participle with its agent: "a call echoed by Japan", "the figures disputed by the ministry"
_BY_AGENT = re.compile(r"\s+by\s+(?P<np>(?:the\s+)?(?:%s)(?:\s+(?:of|for)\s+(?:the\s+)?%s)?)(?=\s+(?:on|in|at|last|this|earlier|"
                       r"who|which|and|as)\b|[,.;:]|$)" % (CAPSEQ, CAPSEQ))
# (a "what"/"how" after a word that asks or wonders opens a question: "conversations about what exactly X wants";
# after anything else it is a free relative, what X says: "if you go with what Hillary is saying")
_PRONOUN_CONTRACTION = re.compile(r"(?i:i|you|we|they|he|she|it)['’](?:re|ve|m|d|ll|s)$")
# a capitalised word with an adverb's ending ("Helpfully", "Ironically", "Admittedly"): never a speaker's name
_ADVERB_LIKE = re.compile(r"[A-Z][a-z]+(?:fully|ally|ously|ively|ably|ibly|ently|antly|edly|ingly|lessly|ately)")
_QUESTION_BEFORE = re.compile(r"\b(?:if|whether|(?<!is )(?<!['’]s )why|(?:about|over|asked|asking|asks|ask|wonder|wondered|"
                              r"wonders|wondering|unclear|uncertain|know|knows|knew|decide|decided)\s+(?:what|how))"
                              r"\s+(?:(?:exactly|precisely)\s+)?$", re.IGNORECASE)
# a temporal clause whose speech verb says nothing ("before voters weighed in", "after he spoke on Monday."): an
# event in time, not a statement (attr9)
_TEMPORAL_BEFORE = re.compile(r"\b(?:before|after|until|till|once)\s+$")
_THAT_NEXT = re.compile(r"\s+that\b")
_COPULA_TAIL = re.compile(r"(?:\s+(?:is|are|was|were|remains?|remained|seems?|seemed|appears?|appeared|be|been|being|"
                          r"has|have|had|not|also|still|now|very|more|less|quite|so|[a-z]+ly))+\s*$")
_IMPERSONAL = re.compile(r"(?:^|\W)(?:it|there|this|that|who|which)$", re.IGNORECASE)
_POSSESSOR_BEFORE = re.compile(r"\w['’]s$|\w['’]$")
# a share of those a poll asked as a clause's subject: "61 percent", "40% of respondents", "about 30 percent of voters"
# (not a figure inside a clause: "sales rose 40 percent" has a verb between) (attr10)
_SHARE_BEFORE = re.compile(r"(?:^|[,;:\-–—]\s*|\b(?:and|but|while|whereas|as|that|because|though|although|when|since|"
                           r"Among\s+[a-z]+|among\s+[a-z]+)\s+)(?P<np>(?:(?:about|nearly|almost|roughly|some|just|more\s+than|"
                           r"fewer\s+than|less\s+than|over|under)\s+)?\d{1,3}(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)"
                           r"(?:\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[a-z][\w\-]*\s+){0,3}[a-z][\w\-]*)?)\s*$")
_ADVERB_GAP = re.compile(r" [a-z]{2,}ly(?= )")
# "he's", "she's", "who's": a personal pronoun's 's is "has" or "is", never a possessive (attr10)
_HE_SHE_CONTRACTION = re.compile(r"(?:^|(?<=[^\w'’]))(?i:he|she|who)['’]s$")
_NOUN_AFTER_POSSESSIVE = re.compile(r"\w['’]s(?:\s+[\w\-]+){0,3}$")
# a plural head ("executives", "officials", "police"): a later "they" in the same sentence may be that group
_PLURAL_HEAD = re.compile(r"(?:[a-z]s|men|people|police|staff)$")
# a subordinating word that opens the speaker's clause ("Though executives who ... say"): not part of who spoke
_CLAUSE_OPENER = re.compile(r"(?:Though|Although|While|Whereas|Because|Since|If|When|As|And|But|So|Yet)\s+(?=\S)")
# a particle that makes a speech verb a verb of doing ("called off the deal", "backed down", "backed off"): no report
# of words (general English phrasal verbs; 'called on', 'called for' stay speech)
_NOT_SPEECH_PARTICLE = re.compile(r"\s+(?:off|down)\b")
_REQUEST = re.compile(r"\s+(?:for\b|not\s+to\s+be\s+(?:named|identified|quoted)\b)")
# a coordinated verb with no subject of its own ("..., and then tweeted", "... and later wrote")
# "..., while also saying", "..., also arguing": a participle after a comma and a linking word goes on likewise
_ING_GOES_ON = re.compile(r",\s*(?:while|also|while\s+also|then)$")
_AND_THEN = re.compile(r"(?:^|[,\s])and\s+(?:(?:then|also|later|again)\s+)?$")
_DIRECTIVE = re.compile(r"\s+(?:him|her|them|us|me|you|everyone|(?:the|his|her|their|its)\s+[a-z\-]+)\s+(?:not\s+)?to\s+[a-z]+\b")
_GROUP_IN = re.compile(r"(?:^|(?<=[\s,;:“\"]))(?:(?P<det>(?i:a|an|the|one|two|three|several|some|many)\s+)(?P<dhead>[a-z]+)"
                       r"|(?P<head>[A-Za-z]+))\s+(?:in|at|from|of|across|near|outside)\s+$")
_COORDINATED = re.compile(r"\s+[a-z]{3,}ed(?:\s+[a-z]+ly)?\s+and$"
                          # "House Democrats seized the floor on Wednesday and said": the first verb's object and
                          # when, no clause of their own in between (no relative pronoun, subject or comma)
                          r"|\s+(?:[a-z]{3,}ed|met|held|took|made|gave|sent|won|lost|left|kept|spent|sought|struck)\s+"
                          r"(?!(?:that|to|as)\b)(?:(?!(?:who|which|that|he|she|they|it|we|I|and|but|or)\b)[\w.'’\-]+\s+){1,10}?and$"
                          # "Murdoch, who is enjoying his new role and is saying": a relative clause's copula or
                          # progressive first (attr10)
                          r"|(?<=\bwho)\s+(?:is|are|was|were)\s+(?:(?!(?:who|which|that|he|she|they|it|we|I|and|but|or)\b)[\w.'’\-]+\s+){1,10}?and$")


def _group_head(np, rx):
    "The head noun of an unnamed group of people ('legal experts', 'many Trump supporters'), or None."
    words = re.split(r"\s+(?:with|of|from|in|at|for|close to|who|familiar|released|published|conducted|issued|obtained|"
                     r"reviewed|commissioned|carried)(?:\s|$)", np, maxsplit=1)[0].split()
    return words and words[-1].lower() in rx["group_heads"] and words[-1]


def _right_speaker(right, rx):
    m = rx["right_np"].match(right)
    if not m:
        return None
    np = m.group("np").strip()
    app = (m.group("app") or "").strip(" ,")
    if app and re.match(r"(?:\w+ing|that|and|but|as|while|because|in|on|at|during|after|before|when|though|although|according|if|with)\b", app) \
            or re.match(r"(?:who|which)\s+(?:\w+\s+){0,2}(?:said|says|told|added|wrote)\b", app):
        app = ""  # "said Trump, adding that ...": the rest of the sentence, not a description
    if app and re.fullmatch(r"(?:%s)" % CAPSEQ, app.strip(" ,")) and not np[:1].isupper():
        return app.strip(" ,"), np + ", " + app, None  # "said the company's chief, Jane Roe"
    return np, (np + (", " + app if app else "")), (app or None)


_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i", "who"))
_PARTICIPLES = frozenset("published released issued conducted commissioned carried compiled prepared produced led funded "
                         "presented posted".split())
_BY_NAME = re.compile(r"\bby\s+(?:the\s+)?(?P<np>%s)" % CAPSEQ)
_SUBORDINATOR = re.compile(r"\s(?:after|before|when|since|because|although|though|while|until|unless|whereas|why)\s")
_DOC_BEFORE = re.compile(r"\b(report|study|survey|analysis|paper|review|audit|release|statement|letter|complaint|filing|"
                         r"poll)\s+(?:by|from|of)\s+(?:the\s+)?$", re.IGNORECASE)
_SPOKES_BEFORE = re.compile(r"\b(?:spokes(?:man|woman|person)|representative|press\s+officer)\s+(?:for|of|at|from)\s+"
                            r"(?:the\s+)?$", re.IGNORECASE)
_TOLD = frozenset(("told", "tells", "tell", "telling"))


def _verb_hits(masked, rx, words=None):
    """Speech-verb occurrences [(start, end, verb)], words and phrases ('issued a statement'). The sentence's
    word set meets the verb set first (one C-level operation); only the few words in both are looked up."""
    found_words = rx["verb_first"].intersection(TOKENS.findall(masked) if words is None else words)
    if not found_words:
        return []
    single, phrases = rx["verb1"], rx["phrases"]
    n = len(masked)
    hits = []
    for w in found_words:
        i = masked.find(w)
        while i >= 0:
            e = i + len(w)
            if (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] == "-")) and \
                    (e >= n or not (masked[e].isalnum() or masked[e] == "-")):
                hit = None
                adv = None
                for ph in phrases.get(w, ()):
                    pe = i + len(ph)
                    if masked.startswith(ph, i) and (pe >= n or not masked[pe].isalnum()):
                        hit = (i, pe, ph)
                        break
                    if ph[len(w):len(w) + 1] == " ":
                        # "talks freely of", "spoke openly about": an adverb inside the phrase (attr10)
                        adv = _ADVERB_GAP.match(masked, e) if adv is None else adv
                        if adv and masked.startswith(ph[len(w):], adv.end()):
                            pe = adv.end() + len(ph) - len(w)
                            if pe >= n or not masked[pe].isalnum():
                                hit = (i, pe, ph)
                                break
                if hit is None and w in single:
                    hit = (i, e, w)
                if hit:
                    hits.append(hit)
            i = masked.find(w, e)
    hits.sort()
    # a phrase covers the words inside it ("called on" is one cue, not "called" and "on")
    out = []
    for h in hits:
        if out and h[0] < out[-1][1]:
            continue
        out.append(h)
    return out


def en_attributions(masked, ctx, rx, words=None):
    """Speech-verb attributions in a masked English sentence: [(verb_start, speaker, kind, speaker_text)]."""
    out = []
    for vs, ve, verb in _verb_hits(masked, rx, words):
        left, right = masked[:vs], masked[ve:]
        weak = verb in rx["weak"]
        found = None
        if verb in rx["stance"]:
            # "climate activists were hopeful that ...": a view held, with its holder before the copula
            if not _THAT_NEXT.match(right):
                continue
            left = _COPULA_TAIL.sub("", left)
            if _IMPERSONAL.search(left):
                continue  # "it is doubtful that": the outlet's own hedge, nobody's view
        lstrip = left.rstrip()
        adverb = rx["adverb_tail"].search(lstrip[-40:]) if lstrip.endswith(",") else None
        if adverb:
            # "The department, however, said": the subject stands before the adverb ("Ana Ruiz, the mayor,
            # however, said": an appositive keeps its closing comma)
            before = lstrip[:len(lstrip) - len(adverb.group())].rstrip()
            if not before.endswith((",", *_QUOTE_CHARS)):
                left = lstrip = before + ("," if rx["left_app"].search(before[-200:] + ",") else "")
        if verb in rx["naming"] and (_NAME_ONLY.match(right) or lstrip.endswith(",") and not (
                (_left_speaker(left, rx, False) or (0, 0, None))[2] and re.match(r"\s*[a-z\"“]", right))):
            # "the new forum, called FORGE", "a trojan called Monokle": a name given, not words said (but
            # "Senator Ann Moore, Republican of Ohio, called over her shoulder, ..." calls out)
            continue
        if (verb in rx["complement"] or verb in rx["strict_complement"]) and not _has_complement(verb, right, lstrip, rx) \
                and not (verb in rx["finding"] and _finder_before(lstrip, rx)):
            continue  # "added a second goal", "offers 5G", "the data show rising prices": not a report of words
        if _POSSESSOR_BEFORE.search(lstrip[-40:]) and not _HE_SHE_CONTRACTION.search(lstrip[-6:]):
            continue  # "rejected Clinton's claim", "the agency's report": a noun after its possessor, not a verb
        if (verb in rx["complement"] or verb in rx["strict_complement"]) and _NOUN_AFTER_POSSESSIVE.search(lstrip[-60:]) \
                and re.match(r",\s*[\"“A-Z]", right) and '"' not in lstrip:
            continue  # "Trump's reality TV show, "The Apprentice,"": a possessive phrase's head noun and its name
        if verb in _DIRECTIVE_VERBS and _DIRECTIVE.match(right):
            continue  # "Costa had asked them to wait", "told the men to stay behind": a request, not a report
        if " " not in verb and _NOT_SPEECH_PARTICLE.match(right):
            continue  # "AbbVie and Shire called off a $54 billion deal": an act, not words
        if verb.startswith("ask") and _REQUEST.match(right):
            continue  # "asking for anonymity", "asked not to be named": a request, not a report
        ing = verb.split()[0].endswith("ing")
        # after "told" stands whom it was told to, never who spoke ('..., advisor to Arnault, told Observer.')
        right_ok = verb.split()[0] not in _TOLD
        absolute = _with_subject(lstrip) if ing and "with " in lstrip[-120:] else None
        if absolute:
            # "..., with top officials underlining A and vowing B", "with economists warning that": the noun after
            # "with" is the subject of its participle (attr10)
            found = (absolute, absolute, None)
        elif out and _AND_THEN.search(left[-30:]) and out[-1][1]:
            # "X blasted her, calling her ..., and then tweeted that ...": a verb with no subject of its own goes on
            # with the speaker before it
            _, spk, k, st, _ = out[-1]
            out.append((vs, spk, k, st, verb))
            continue
        if ing and out and not absolute and (lstrip.endswith(",") or _ING_GOES_ON.search(lstrip[-20:])):
            # "X said ..., calling on Congress to act": the same speaker goes on; what follows is who is addressed
            _, spk, k, st, _ = out[-1]
            out.append((vs, spk, k, st, verb))
            continue
        # the left side ends in a comma or a closing quotation mark ('"...," said X', 'X, an analyst, said')
        comma = lstrip.endswith(",") and not absolute
        quote_comma = comma and lstrip[:-1].rstrip()[-1:] in _QUOTE_CHARS
        after_quote = comma or lstrip[-1:] in _QUOTE_CHARS
        if comma and not quote_comma:
            # "Cruz, now a presidential contender, proposed": a subject with its appositive before the verb
            cand = _left_speaker(left, rx, False)
            if cand and cand[2]:
                found = cand
            elif not ing and right_ok:
                # "And Trump, said Sunshine, doesn't forgive": a named speaker inverted after the verb
                cand = _right_speaker(right, rx)
                if cand and cand[0][:1].isupper():
                    found = cand
        if found is None and after_quote and not ing:
            m = _REL_QUOTE_TAIL.search(left[-240:])
            if m and not re.search(r"\bthat\b", m.group("rel")):
                # "Mr. Scott, who has called the comments "racially toxic," portrayed": a relative clause that ends in
                # a quoted phrase; the speaker is the head before it (", who estimates that A," is a statement of its
                # own, read as one) (attr9)
                cand = _left_speaker(left[:len(left) - len(m.group())] + " " + " ".join(
                    (m.group("rel") + " " + m.group("q")).split()) + ",", rx, False)
                if cand and cand[2]:
                    found = cand
        # (the name and pronoun tests look at the tail only: both are anchored at the end)
        if found is None and after_quote and not ing and right_ok \
                and not rx["left_name"].search((_strip_tail(lstrip.rstrip(",").rstrip(), rx) or "x")[-110:]) \
                and not rx["left_pron"].search(lstrip[-8:]):
            found = _right_speaker(right, rx)
        if ing:
            # "officials have been promising": a progressive, never a passive (that takes a participle)
            left = _PROGRESSIVE.sub("", left)
        if found is None and verb.endswith("ed") and not weak and not left.rstrip().endswith(("has", "have", "had")):
            # (a weak verb's agent is a funder or a judge: "research supported by X", "being considered by the Court")
            agent = _BY_AGENT.match(right)
            if agent:  # "..., a call echoed by Japan", "the figures were disputed by the ministry": the agent spoke
                found = (agent.group("np"), agent.group("np"), None)
        if found is None:
            # a weak verb ("expects", "promises") takes a described subject only with a complement after it
            # ('"...," the website explains': the quotation before it is the complement)
            takes_np = not weak or bool(_COMPLEMENT.match(right)) \
                or bool(_QUOTE_BEFORE.search(left[-120:]))
            found = _left_speaker(left, rx, not takes_np)
        if found is None and verb.endswith("ing") and not out:
            # "X issued a statement saying ...", "X struck a measured tone, saying ...": the clause subject speaks
            m = _CLAUSE_SUBJECT.search(left[-160:])
            if m:
                found = (m.group("np"), m.group("np"), None)
        if found is None and not after_quote and right_ok:
            found = _right_speaker(right, rx) if re.match(r"\s*(?:Sen\.|Rep\.|Gov\.|the\s)", right) and \
                re.search(r"[”\"],?\s*$", left.rstrip()) else None
        if found is None:
            continue
        np, stext, app = found
        if _PRONOUN_CONTRACTION.match(np):
            np = stext = re.split(r"['’]", np)[0]  # "They're saying ...": the pronoun, not a name "They're" (attr9)
            if np.lower() in ("i", "we", "you"):
                continue  # "We're talking about ...", "I'd recommend", "I'm told": the writer, no one's claim
        elif _ADVERB_LIKE.fullmatch(np):
            continue  # "Helpfully, the error message ..., pointing out": a sentence adverb, not a name (attr9)
        at = lstrip.rfind(stext) if stext else -1
        if at > 0 and _QUESTION_BEFORE.search(lstrip, max(0, at - 20), at):
            # "a voter asked if she might consider ...", "conversations about what exactly Sanders wants": an
            # embedded question, nobody's statement
            continue
        if at > 0 and _TEMPORAL_BEFORE.search(lstrip, max(0, at - 12), at) and _TAIL_ONLY.match(right):
            continue
        if np.lower() == "who" and out and out[-1][1] and out[-1][3] and \
                lstrip[:at if at > 0 else len(lstrip)].rstrip(" ,").endswith(out[-1][3]):
            # '"...," said one former aide, who said he left on good terms': the relative pronoun is the speaker
            # just named, a description as well as a name (attr10)
            speaker, kind = out[-1][1], out[-1][2]
        else:
            speaker, kind = classify_np(np, ctx, description=app)
        if kind is None:
            continue
        if np.lower() in ("he", "she") and kind in ("person", "pronoun-unresolved"):
            named = [o for o in out if o[2] == "person"]
            if named:  # "warns Director Ana Ruiz as she urged ...": the person this sentence already named
                speaker, kind = named[-1][1], "person"
        if kind in ("org", "person") and stext and lstrip.endswith(stext):
            doc = _DOC_BEFORE.search(lstrip[max(0, len(lstrip) - len(stext) - 40):len(lstrip) - len(stext)])
            if doc:  # "The report by the University and College Union claims": a later "the report" is theirs
                ctx["doc_org"][doc.group(1).lower()] = ctx["last_doc_org"] = speaker.split(" (")[0]
            elif kind == "org" and _SPOKES_BEFORE.search(lstrip[max(0, len(lstrip) - len(stext) - 40):len(lstrip) - len(stext)]):
                ctx["_spokes_for"] = speaker  # "a spokesperson for the X Association said": "he" next is them
        if np.lower() == "they":
            groups = [o for o in out if o[2] in ("described", "anonymous") and o[1] and _PLURAL_HEAD.search(o[1].split(" (")[0])]
            if groups:  # "Though executives ... say A, they also say B": the group this sentence already named (attr9)
                speaker, kind = groups[-1][1], groups[-1][2]
                np = groups[-1][3]  # (its text as written stays "they")
        if weak and kind == "described" and not _group_head(np, rx):
            continue
        if stext and _CLAUSE_OPENER.match(stext):
            stext = _CLAUSE_OPENER.sub("", stext, count=1)  # "Though executives ... say": the subject, not the clause's opener
        if kind == "outlet" and verb not in rx["outlet_verbs"] and verb not in ("said", "says", "wrote", "reported"):
            kind = "org"
        out.append((vs, speaker, kind, stext if kind != "pronoun-unresolved" else np, verb))
    m = _COLON_QUOTE.search(masked) if not out and ":" in masked else None
    if m:
        speaker, kind = classify_np(m.group("np"), ctx)
        if kind:
            out.append((m.start("np"), speaker, kind, m.group("np"), ":"))
    m = _LEAD_COLON.match(masked) if not out and ":" in masked[:50] else None
    if m and (len(TOKENS.findall(masked[m.end():].lower())) >= 4 or _QUOTE_MARK.search(masked, m.end())) \
            and not _OTHER_LANGUAGE_WORD.search(masked, m.end()):  # (other languages go this path too: "Zweiter Akt: Der")
        # "Bill Clinton: Hillary 'better qualified' ...", "Report: Powell advised Clinton ...": the headline (and
        # transcript) convention, a name and a colon before what they said; a report, a poll, sources before what
        # they report (attr9; a label such as "Update:" or a place is no speaker)
        np = m.group("np")
        if np.lower() in _COLON_SOURCES:
            out.append((m.start("np"), np, "reports", np, ":"))
        elif " " in np and _QUOTE_MARK.search(masked, m.end()) and not _is_place(np):
            # (a person's words are quoted after the colon: "Hong Kong: Protesters clash ..." is a dateline-like label)
            speaker, kind = classify_np(np, ctx, register=False)
            words = np.split()
            # a name is two words, or three with an initial or a title ("Michael J. Fox", "Sen. Ted Cruz"); in a
            # title-case headline more capitalised words hold a verb ("Clinton Cash Debunks Hillary: ...")
            if kind == "person" and (len(words) == 2 or len(words) == 3 and (
                    "." in words[0] or "." in words[1] or speaker.split(" (")[0] != np)):
                speaker, kind = classify_np(np, ctx)
                out.append((m.start("np"), speaker, kind, np, ":"))
    # (both patterns need a possessive's apostrophe: most sentences with "that" have none)
    m = (_CLAIM_NOUN.search(masked) or _CLAIM_NOUN_GROUP.search(masked)) \
        if "that" in masked and ("'" in masked or "’" in masked) else None
    if m:
        # "Trump's familiar claims that Clinton is unqualified": the possessor holds what follows; in a sentence
        # that credits someone else too ("to back the judges' statement that their ruling must be binding, a call
        # echoed by Japan") it is a second attribution, the possessor's (attr9)
        speaker, kind = classify_np(m.group("np"), ctx, register=not out)
        if kind in ("person", "org", "outlet") or kind in ("described", "anonymous") and m.re is _CLAIM_NOUN_GROUP:
            if not out:
                out.append((m.start("np"), speaker, kind, m.group("np"), m.group("noun")))
            elif all(o[1] and bare(o[1]) != bare(speaker) for o in out):
                out.append((m.start("np"), speaker, kind, m.group("np"), m.group("noun")))
                out.sort()
    m = (_HELD_NOUN.search(masked) or rx["own_view"].search(masked)) if not out and "that" in masked else None
    if m is None and not out and ":" in masked:
        # "the party's leaders sent Mr. Trump an unmistakable message: He is hurting the party": a message, warning
        # or plea given with its words after a colon (attr10)
        m = rx["message_colon"].search(masked)
    if m:
        # "He still has ... the firmly held belief that ...", "X peppered talks with reminders that ...": the
        # sentence's subject holds (or voices) what follows the noun
        subj = _SUBJECT_HAS.match(masked[:m.start()])
        found = _left_speaker(subj.group("subj") + " ", rx, False) if subj else None
        if found:
            speaker, kind = classify_np(found[0], ctx, description=found[2])
            if kind in ("person", "org", "anonymous") or kind == "described" and m.re is rx["message_colon"] \
                    and _group_head(found[0], rx):  # ("the party's leaders sent X a message: ...")
                out.append((subj.start("v"), speaker, kind, found[1], m.group("noun")))
    return out


# (a period right after a capital initial, "called Donald J. Trump's remarks", does not end the name)
_NAME_ONLY = re.compile(r"\s+(?:it\s+|him\s+|her\s+|them\s+)?(?:[\"“][^\"“”]{1,40}[\"”]|[A-Z][\w\-.]*(?:\s+[A-Z][\w\-.]*){0,3})"
                        r"\s*(?:(?<![\s.][A-Z])\.|[,;:)]|$)")
_PROGRESSIVE = re.compile(r"\s+(?:(?:has|have|had)\s+been|is|are|was|were|been)\s*$")
_SAID_NEXT = re.compile(r"\s*(?:that\b|[:;,]|[\"“]|$|\.)|(?:\s+[^\s,;:.\"“]+){0,5}?\s+that\b")
_CLAUSE_NEXT = re.compile(r"\s+(?:(?i:he|she|they|we|i|it|there)\b|\$?\d|(?i:about|nearly|more\s+than|almost|some)\s+\d|[A-Z])")


# after the verb, only when it was said ("at 1:30 p.m. on Nov. 8", "on Monday", "in a statement") to the end
_TAIL_ONLY = re.compile(r"\s*(?:(?:at|on|in|last|this|early|late|earlier|later|yesterday|today|tonight|Monday|Tuesday|"
                        r"Wednesday|Thursday|Friday|Saturday|Sunday)\b(?:[^,;:\"“”]|(?<=\d):(?=\d)){0,60})?[.!?]?\s*$")
_SPEAKER_AFTER_COMMA = re.compile(r",\s+(?:the\s+)?[A-Z][\w.'’\-]*(?:\s+(?:of\s+)?[A-Z][\w.'’\-]*){0,5}$")


def _finder_before(lstrip, rx):
    "'Researchers have also spotted ...': the subject is one whose findings are claims (data: finders)."
    tail = _strip_tail(lstrip[-80:], rx)
    return bool(tail) and tail.rsplit(None, 1)[-1].lower() in rx["finders"]


def _has_complement(verb, right, lstrip, rx):
    "Is what follows the verb (or the quotation before it) what was said?"
    if _SAID_NEXT.match(right) or lstrip.endswith((",", "''", '"', "”", "’", "'")):
        return True
    if verb in ("see", "sees", "saw") and re.match(r"\s+\S+(?:\s+\S+)?\s+as\b", right):
        return True  # "supporters see him as the stronger candidate": a view held
    if _TAIL_ONLY.match(right) and _SPEAKER_AFTER_COMMA.search(lstrip[-80:]):
        return True  # "..., Brookhaven Police Department reported at 1:30 p.m.": what it said came first
    return verb in rx["complement"] and bool(_CLAUSE_NEXT.match(right))


_NAME_AGE = re.compile(r"(?P<np>%s),\s+\d{1,3},\s*$" % CAPSEQ)
_ROLE_BEFORE = re.compile(r"(?:^|[,;:]\s+|[\"”]\s+)(?P<pre>%s\s+(?:(?!(?:the|a|an|of|and|or|nor|but|to|in|on|at|for|with|by|from|that|said|says|was|were|is|are|has|have|had|after|before|when|while|whether|if|because|since|until|as|than|asked|asks)\s)[a-z\-]+\s+){1,3})$" % CAPSEQ)
_QUOTE_CHARS = "”\"’'"
# what was said, maybe after when it was said ("complained in July that", "warned on Tuesday that")
_COMPLEMENT = re.compile(r"\s+(?:(?:in|on|last|this|earlier|late|early)\s+[\w.]+(?:\s+\d{1,2})?,?\s+)?(?:that|to|[“\"]|:)|:"
                         # a clause without "that": "hopes obstruction would become untenable", "expects the deal will"
                         r"|\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?[a-z\-]+(?:\s+[a-z\-]+)?\s+"
                         r"(?:would|will|could|should|might|may|must|can|cannot|won['’]t|wouldn['’]t)\s")
_QUOTE_BEFORE = re.compile(r'"\s+[^"]{1,80}$')  # a quotation closes before the subject
_CLAUSE_SUBJECT = re.compile(
    # (a capitalised preposition opens an adverbial, never a subject: "For months, Obama has ..., arguing")
    r"(?:^|[,;]\s+)(?!(?:For|In|On|At|From|After|Before|During|With|By|As|Since|Under|Over|Despite|Without|Through|"
    r"Within|Among|Amid|Until|Throughout)\s)(?P<np>%s|[Hh]e|[Ss]he|They|(?:[Tt]he|[Aa]n?)\s+[a-z\-]+(?:\s+(?:for|of|at)\s+"
    r"(?:%s|the\s+[a-z\-]+))?)\s+"
    # "Republicans can campaign saying ...": a modal and the bare verb
    # (the -ing word right after that verb: "could find no evidence supporting" is no clause of speech)
    r"(?:(?:can|could|will|would|may|might|must|should)\s+(?:[a-z]+\s+)?[a-z]+\s*,?\s*$|"
    r"(?:(?:also|then|earlier|later|previously|again|has|have|had|[a-z]+ly)\s+){0,2}"
    r"(?:[a-z]+(?:ed|s)|said|told|struck|made|gave|took|went|spoke|wrote|held|met|sent|put|broke|led|won|lost|became|began|came|left|kept|thought|set|sought|did)\b[^;\"]*$)"
    % (CAPSEQ, CAPSEQ))
_CLAIM_NOUN = re.compile(
    r"(?P<np>%s)['’]s\s+(?:[\w\-]+\s+){0,2}?(?P<noun>claims?|assertions?|allegations?|contention|insistence|"
    r"arguments?|warnings?|promises?|pledges?|belief|view|statements?|accusations?|charges?|asides?|remarks?|"
    r"comments?|suggestions?|predictions?|assessments?|conclusions?|findings?|fears?|hopes?|concerns?|denials?|"
    r"admissions?|assurances?|boasts?|vows?|threats?|complaints?|announcements?|explanations?|testimony|"
    r"reminders?|estimates?|suspicions?|theory|theories)\s+that\b" % CAPSEQ)
# the same after a plural group's possessive ("the judges' statement that", "the inspectors' finding that")
_CLAIM_NOUN_GROUP = re.compile(r"\b(?P<np>(?:the|its|their)\s+(?:[a-z\-]+\s+){0,2}[a-z\-]+s)['’]\s+(?:[\w\-]+\s+){0,2}?"
                               r"(?P<noun>claims?|assertions?|allegations?|contention|insistence|arguments?|warnings?|"
                               r"promises?|pledges?|belief|view|statements?|accusations?|charges?|suggestions?|"
                               r"predictions?|assessments?|conclusions?|findings?|fears?|concerns?|denials?|assurances?|"
                               r"complaints?|estimates?)\s+that\b")
# a noun of a view held or voiced, without a possessor, before "that" ("the firmly held belief that")
_HELD_NOUN = re.compile(r"\b(?P<noun>belief|conviction|view|reminders?|assurances?|warnings?|insistence|argument|"
                        r"promises?|pledges?|vows?)\s+that\b")
# the subject and first verb of the sentence: "He still has", "Sanders and his top aides have peppered"
_SUBJECT_HAS = re.compile(r"\s*(?P<subj>[A-Z][^;:\"]{0,100}?)\s+(?:(?:still|also|now|then|[a-z]+ly)\s+)?"
                          r"(?P<v>has|have|had|gave|made|offered|repeated|peppered|voiced|expressed|held|holds|shares?|"
                          r"shared|stated|issued|sent|delivered)\b")
_LEAD_COLON = re.compile(r"\s*(?P<np>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})\s*:\s+(?=[\"“‘'A-Z0-9])")
_QUOTE_MARK = re.compile(r"[\"“‘]")
# common words of the other languages that reach the English path (German, French, Spanish): no English headline
_OTHER_LANGUAGE_WORD = re.compile(r"\b(?:der|das|und|eine|einen|ist|nicht|wer|les|des|une|est|los|las|una|que|del)\b",
                                  re.IGNORECASE)
_COLON_SOURCES = frozenset(("report", "reports", "poll", "study", "survey", "sources", "police", "officials",
                            "witnesses", "experts", "analysts", "investigators", "prosecutors", "documents"))
_COLON_QUOTE = re.compile(r"(?:^|[.;]\s+)(?P<np>%s)\s*:\s*[“\"]" % CAPSEQ)


# "a report by the X Institute", "a blog post for InfoAmazonia", "data from California ISO", "a study in Nature":
# the document and who published it
_DOC_BY = re.compile(r"\b(?:report|study|survey|analysis|estimate|data|figures|paper|review|assessment|audit|census|"
                     r"post|blog|article|column|interview|statement|release|letter)\b"
                     r"[^,;:]*?\b(?:by|for|from|in|on|at)\s+(?:the\s+)?(?P<org>%s)$" % CAPSEQ)


# the description after a person credited with "according to": ", an analyst at X", ", who was an adviser to Y"
_CITED_APP = re.compile(r",\s*(?P<app>(?:who\s+(?:is|was|has|had)\s|an?\s|the\s)[^,;:\"“”]{2,120}?)\s*(?=,|[.!?]?\s*$)")
_DOC_OF = re.compile(r"^(?:a|an|one|two|three|several|some)\s+(?:[a-z\-]+\s+){0,2}?[a-z]+\s+of\s+\S")


def en_cited(masked, ctx, rx, words, low=None):
    "Outlets or documents credited with 'according to X', 'reported by X': [(speaker, kind, text)]."
    out = []
    if rx["according_first"].isdisjoint(words):
        return out
    low = masked.lower() if low is None else low
    # the credit phrases are found as substrings first and the pattern is tried only there: scanning every
    # position with a case-insensitive alternation is the slow part
    starts = []
    for ph in rx["according_phrases"]:
        i = low.find(ph)
        while i >= 0:
            if i == 0 or not low[i - 1].isalnum():
                starts.append(i)
            i = low.find(ph, i + 1)
    end = -1
    for i in sorted(starts):
        m = rx["according"].match(masked, i) if i >= end else None
        if not m:
            continue
        end = m.end()
        np = m.group("np").strip()
        if np.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$|\b(?:Inc|Corp|Co|Ltd)\.$", np):
            np = np[:-1]
        np_clean = re.sub(r"^reports? from\s+", "", np, flags=re.IGNORECASE)
        named = OUTLET_KIND_TAIL.sub("", np_clean)
        if named != np_clean and named.split()[-1][:1].isupper():
            # "the Associated Press news agency" -> Associated Press; "the university's student newspaper" keeps
            # its noun: without it no name is left
            np_clean = named
        # "as reported by the Independent": a publication called "The Independent"; "the Tamsin Courier": Tamsin Courier
        np_clean = re.sub(r"^the\s+(?=[A-Z][\w\-]*$)", "The ", np_clean)
        np_clean = re.sub(r"^the\s+(?=[A-Z])", "", np_clean)
        by = _DOC_BY.search(np_clean)
        if by:
            # a document credited with its author: the author is the source the chain names
            speaker, kind = classify_np(by.group("org"), ctx)
            if kind in ("org", "outlet", "person"):
                out.append((speaker, "document", np_clean))
                continue
        if _DOC_OF.match(np_clean) and rx["document"].search(np_clean.split(" of ")[0]):
            out.append((np_clean, "document", np_clean))  # "a survey of Americans": the survey, not the Americans
            continue
        speaker, kind = classify_np(np_clean, ctx)
        app = _CITED_APP.match(masked, m.end()) if kind == "person" and np_clean == np else None
        if app:  # "according to Ann Roe, an analyst at X": described as a speaker before a verb is
            speaker, kind = classify_np(np_clean, ctx, description=app.group("app"))
        if kind is None and rx["document"].search(np):
            speaker, kind = np_clean, "document"
        if kind is None:
            continue
        if np_clean != np or OUTLET_KIND_TAIL.search(np_clean):
            kind = "outlet" if kind in ("outlet", "described", "anonymous", "reports", "org", None) else kind
        out.append((speaker, kind, np_clean))
    return out


# -------------------------------------------------------------------------------------- Chinese speakers

def zh_attributions(masked, ctx, rx):
    out = []
    # "在特朗普声称……后," is background, not who speaks in this sentence
    work = rx["zh_subord"].sub(lambda m: "　" * len(m.group()), masked)
    for v in rx["zh_verb"].finditer(work):
        verb = v.group()
        before = work[:v.start()]
        if verb == "称" and before.endswith("据"):
            continue  # 据称: "reportedly", nobody's verb (他们据称… is not spoken by "他们据")
        clause_start = max(before.rfind(p) for p in ",，;；:：。　\"") + 1  # "“……”万斯说": after the quotation
        np = before[clause_start:].strip()
        np = rx["zh_prefix"].sub("", rx["zh_opener"].sub("", np))
        np = rx["zh_adverbial"].sub("", np).strip() if rx["zh_adverbial"].search(np) and not rx["zh_adverbial"].fullmatch(np) else np
        np = rx["zh_prefix"].sub("", np)
        if not np:
            m = rx["zh_subject"].match(work.lstrip("　"))
            np = m.group("np") if m else ""
            np = rx["zh_prefix"].sub("", rx["zh_opener"].sub("", np))
        m = rx["zh_addressee"].match(np) if np else None
        if m and classify_zh(m.group("np"), ctx, register=False)[1] is not None:
            np = m.group("np")  # 万斯对与会代表说: Vance spoke, the delegates listened
        if not np or len(np) > 24 or np.endswith("被"):
            continue  # "也被认为": a passive, said by nobody named
        if np.startswith("由"):
            continue
        np = _zh_source(np, rx)
        if not np:
            continue
        speaker, kind = classify_zh(np, ctx)
        if kind is None:
            continue
        if verb in rx["zh_weak"] and kind not in ("person", "org", "outlet", "anonymous"):
            continue
        if verb in rx["zh_finding"] and not np.endswith(rx["zh_finders"]):
            continue  # 警方发现一辆车: an event; 研究人员发现: a finding, theirs
        if verb in ("报道", "援引") and kind in ("org", "person") and len(np) <= 12 and re.search(r"(?:社|报|网|台|媒体)$", np):
            kind = "outlet"
        out.append((v.start(), speaker, kind, np, verb))
    return out


def _zh_source(src, rx):
    """A credited source without its frame: 据《港湾纪事报》3月5日报道 -> 港湾纪事报; a name given with its
    original in brackets (子午线报（The Meridian Ledger）) keeps the original, which other languages share."""
    m = re.search(r"[（(]([A-Za-z][^（()）]*)[)）]", src)
    if m:
        return m.group(1).strip()
    prev = None
    while src != prev:
        prev = src
        for p in rx["zh_frame"]:
            src = p.sub("", src).strip()
    return src


def zh_cited(masked, ctx, rx):
    out = []
    for p in rx["zh_according"]:
        for m in p.finditer(masked):
            src = _zh_source(m.group("src").strip(), rx)
            if not src or src.startswith("由"):
                continue
            speaker, kind = classify_zh(src, ctx, register=False)
            if kind in (None, "outlet", "org"):
                register_outlet(ctx, speaker or src)
            out.append((speaker or src, "outlet", src))
        if out:
            break
    return out


# ------------------------------------------------------------------------------- intermediaries (English)

_TITLE_QUOTED = r"[\"“][^\"“”]{2,60}[\"”]"
_RECIPIENT = re.compile(
    r"(?<![\w])(?P<cue>told|tells|telling|tell|speaking\s+(?:with|to)|spoke\s+(?:with|to)|talking\s+(?:with|to)|"
    r"talked\s+(?:with|to)|in\s+an?\s+(?:[\w\-]+\s+){0,2}(?:interview|conversation|podcast|appearance|op-ed|column|"
    r"blog\s+post|post|article|letter)\s+(?:with|to|on|for|in)|(?:was\s+)?asked\s+[^,;:.\"]{0,50}?\bby|wrote\s+(?:in|for)|"
    r"writing\s+(?:in|for)|via|through)\s+(?P<np>%s\s+co-host\s+%s|(?:the\s+)?(?:%s)['’]s?\s+(?:%s\s+)?(?:show|programme|program|"
    r"podcast|newscast)|(?:the\s+)?(?:newspaper|broadcaster|magazine|channel|station|outlet|news\s+agency|agency|website|"
    r"daily|weekly|radio\s+station|tv\s+station|network)\s+%s|(?:the\s+)?%s|this\s+(?:newspaper|paper|publication|"
    r"website|site|news\s+site|reporter|outlet)\b|an?\s+interpreter|interpreters|(?:the\s+)?"
    r"(?:investigators|police|detectives|prosecutors|the\s+court|court|authors|authorities|officers|the\s+jury|jury|"
    r"inspectors|auditors|regulators|lawmakers|a\s+judge|judges|the\s+committee|congress|parliament|an\s+interpreter))"
    % ((_TITLE_QUOTED,) + ("(?-i:%s)" % CAPSEQ,) * 5), re.IGNORECASE)
_PLATFORM_AT = re.compile(r"(?:^|[,;]\s*|\b)(?i:on|via|in\s+a\s+post\s+on|posting\s+on|posted\s+on|wrote\s+on)\s+(?P<p>[A-Z]\w+(?:\s[A-Z]\w+)?|a\s+police\s+scanner)\b")
_CITING = re.compile(r"(?:^|,\s*)citing\s+(?P<np>(?:the\s+|a\s+|an\s+)?[^,;:\"]{2,80}?)(?=,|$)", re.IGNORECASE)
_WORD_VIA = re.compile(r"^\s*(?P<a>[A-Z][A-Za-z\-]+(?:\s[A-Z][A-Za-z\-]+)?)\s+via\s+(?P<b>[A-Z][A-Za-z\-]+(?:\s[A-Z][A-Za-z\-]+)?)\s*[—–\-]")


_CHANNEL_WORDS = frozenset("told tells telling tell speaking spoke talking talked interview conversation podcast "
                           "appearance op ed column post article letter asked wrote writing via through on tweeted tweets "
                           "tweeting retweeted posted posting".split())


def en_channels(sentence, masked, ctx, rx, words=None):
    """The intermediaries a sentence names: whom a statement was told to ('told Reuters', 'told CBS co-host
    Gayle King'), where it was made ('in an interview with Le Figaro', 'on Twitter', 'tweeted', 'via JTA').
    [(position, name)] in text order; people resolve like speakers ('told King' -> Gayle King)."""
    out = []
    if words is not None and _CHANNEL_WORDS.isdisjoint(words) and " via " not in sentence[:40]:
        return out  # no cue word: most sentences name no channel
    low_generic = rx["generic_recipients"]
    for m in _RECIPIENT.finditer(masked):
        np_s, np_e = m.span("np")
        raw = sentence[np_s:np_e]  # quoted show names are masked: read the sentence itself
        if raw.endswith(".") and not _abbrev_end().search(raw):
            raw = raw[:-1]
        cue = m.group("cue").lower()
        if cue in ("via", "through") and not re.match(r"[A-Z]|an?\s+interpreter|interpreters", raw):
            continue
        if " ".join(raw.lower().split()) in _SELF_REFERENCES:
            if ctx.get("_own_outlet"):
                out.append((np_s, ctx["_own_outlet"]))  # "told this newspaper": the outlet publishing the text
            continue
        names = _recipient_names(raw, ctx)
        if not names:
            continue
        if names[0].lower() == "authors" and ctx.get("last_doc_org"):
            names = [ctx["last_doc_org"]]  # "told the authors": of the report the text credited to its body
        nxt = re.match(r"\s+([a-z]+)", masked[np_e:np_e + 30])
        if raw[:1].isupper() and nxt and nxt.group(1) in rx["group_heads"]:
            continue  # "told U.S. officials": a modifier, not who was told
        if names[0].lower() in low_generic or re.sub(r"^the\s+", "", names[0].lower()) in low_generic:
            continue
        out.extend((np_s, n) for n in names)
    for m in _PLATFORM_AT.finditer(masked):
        name = rx["platforms"].get(m.group("p").lower())
        if name:
            out.append((m.start("p"), name))
    low = masked.lower()
    for verb, name in rx["platform_verbs"].items():
        i = low.find(verb)
        if i >= 0 and (i == 0 or not low[i - 1].isalnum()):
            out.append((i, name))
    m = _WORD_VIA.match(sentence)
    if m:  # "KVELLER via JTA — ...": a republication credit heading the sentence
        out = [(0, m.group("a").title() if m.group("a").isupper() else m.group("a")), (m.start("b"), m.group("b"))] + out
    seen, uniq = set(), []
    for pos, name in sorted(out, key=lambda x: x[0]):
        if name.lower() not in seen:
            seen.add(name.lower())
            uniq.append((pos, name))
    return uniq


_SELF_REFERENCES = frozenset(("this newspaper", "this paper", "this publication", "this website", "this site",
                              "this news site", "this reporter", "this outlet"))
# "Kaieteur News learnt that ...", "The Tribune understands": an outlet reporting on its own behalf is the one
# publishing the text
_OWN_OUTLET = re.compile(r"(?P<np>%s)\s+(?:has\s+|have\s+)?(?:learnt|learned|understands|established|confirmed "
                         r"independently)\b" % CAPSEQ)


def own_outlet(text):
    "The outlet a text speaks for, when it names itself reporting ('Kaieteur News learnt that'), or None."
    if "learn" not in text and "understands" not in text and "established" not in text:
        return None
    for m in _OWN_OUTLET.finditer(text):
        name = re.sub(r"^The\s+(?=\S+\s)", "", m.group("np"))
        if _is_outlet(name) and name.split()[0] not in _not_names():
            return name
    return None


def _recipient_names(raw, ctx):
    "'\"CBS This Morning\" co-host Gayle King' -> [Gayle King, CBS This Morning]; 'NBC News' Today show' -> [Today, NBC News]."
    raw = raw.strip()
    m = re.match(r"[\"“](?P<show>[^\"“”]+)[\"”]\s+co-host\s+(?P<name>.+)$", raw)
    if m:
        return [_person(m.group("name"), ctx), m.group("show").strip()]
    m = re.match(r"(?:the\s+)?(?P<outlet>.+?)['’]s?\s+(?P<show>[A-Z].*?)\s+(?:show|programme|program|podcast|newscast)$", raw, re.I)
    if m:
        return [m.group("show"), m.group("outlet")]
    m = re.match(r"(?:the\s+)?(?:newspaper|broadcaster|magazine|channel|station|outlet|news\s+agency|agency|website|daily|"
                 r"weekly|radio\s+station|tv\s+station|network)\s+(?P<name>[A-Z].*)$", raw, re.I)
    if m:
        return [m.group("name")]
    if raw[:1].isupper() or raw.lower().startswith("the ") and raw[4:5].isupper():
        name = re.sub(r"^the\s+(?=[A-Z])", "", raw) if not re.match(r"The\s+[A-Z]\w+\s+(?:Journal|Times|Post|News|Herald)", raw) else raw
        return [_person(name, ctx)]
    words = raw.lower().split()
    return [words[-1]] if words else []


def _person(name, ctx):
    "A surname alone resolves to the full name the article gave earlier ('King' -> 'Gayle King')."
    if " " not in name:
        for full in list(reversed(ctx["persons"])) + list(reversed(ctx["names"])):
            if full.split()[-1] == name and full != name:
                return full
    return name


def en_citing(masked):
    "'Citing the Global Fire Emissions Database, NASA noted ...': the source the speaker relays, or None."
    m = _CITING.search(masked)
    return m.group("np").strip() if m else None


_ZH_TOLD = re.compile(r"(?:告诉|对|向|跟)(?P<to>[^，,。；;“”]{0,12}?)记者|接受(?P<iv>[^，,。；;“”]{2,15}?)(?:记者)?(?:的)?(?:采访|专访)")


def zh_channels(masked):
    "Whom a Chinese statement was told to: '告诉半月谈记者' -> 半月谈, '接受新华社记者采访' -> 新华社."
    out = []
    for m in _ZH_TOLD.finditer(masked):
        name = (m.group("to") or m.group("iv") or "").strip()
        name = re.sub(r"^(?:本报|本台|本刊|本网)$", "", name)
        if len(name) >= 2:
            out.append((m.start(), name))
    return out


_REFUSAL = frozenset(("refuse", "refused", "refuses", "refusing", "declined", "declines", "decline", "declining"))
_TO_VERB = re.compile(r"\s+to\s+(?P<v>[a-z]+)")


def refusal_of_act(masked, pos, verb, rx):
    """"The foundation refused to release the names": a refusal to do something is an act, not words (a refusal to
    comment, confirm or say is about words: its verb is a speech verb). Nested inside a report, the outer speaker's."""
    if verb not in _REFUSAL:
        return False
    m = _TO_VERB.match(masked, masked.find(verb, pos) + len(verb))
    return bool(m) and m.group("v") not in rx["verb1"] and m.group("v") not in ("comment", "discuss", "answer", "elaborate")


def typewriter_continues(sentence, verb_positions, last, start):
    """Does a sentence opening with a typewriter quotation mark ('' ... '', as news archives write quotations) go on
    with the quotation of the claim just before it? That claim credits someone and quotes in '' itself, and
    every speech verb of this sentence stands inside its quotation ("''After much consideration, I have concluded
    ...''": the "I" is the speaker's). Such quotations stay reported speech (the pair is opt-in as a quotation
    mark), but the words go on as one claim, as they do for quotation marks (attr9)."""
    if not last.get("speaker") or last["attribution_mode"] == "asserted" or last["char_end"] > start \
            or last["sentence"].count("''") < 2:
        return False
    lead = len(sentence) - len(sentence.lstrip())
    close = sentence.find("''", lead + 2)
    if close < 0:  # the quotation runs past this sentence: every verb of it is inside (attr10)
        return all(lead < p for p in verb_positions)
    return all(lead < p < close for p in verb_positions)

