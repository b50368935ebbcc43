"""What a mention is made of for matching: language-neutral tokens (figures `q:`, lexicon concepts `k:`,
countries `c:`, names `n:`, the speaker `s:`) and surface ones (English stems `w:`, Chinese bigrams `z:`), read
with the bilingual lexicon (data/claim_lexicon.json), speakers.json and country_aliases.json."""
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

SPEAKER_MAX_CHARS = 40


def _read(name):
    try:
        return json.loads(resources.files("newstrace.ingest").joinpath(f"data/{name}").read_text("utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=None)
def lexicon():
    return _read("claim_lexicon.json")


_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1 << 16)
def stem(word):
    "Crude English stemming, applied alike to text and lexicon forms, so only consistency matters."
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _words(text):
    return [m.group(0) for m in _WORD.finditer(text)]


@lru_cache(maxsize=None)
def _phrases():
    """English phrase table (tuple of stems -> token), Chinese table (form -> token), stopwords.

    A token None marks a form to drop (Chinese multi-character stopwords)."""
    lex = lexicon()
    en, zh = {}, {}

    def add_en(form, token):
        key = tuple(stem(w) for w in _words(form))
        if key and key not in en:
            en[key] = token

    def add_zh(form, token):
        if form and form not in zh:
            zh[form] = token

    for concept, forms in lex.get("concepts", {}).items():
        for f in forms.get("en", []):
            add_en(f, "k:" + concept)
        for f in forms.get("zh", []):
            add_zh(f, "k:" + concept)
    for canon, forms in _read("speakers.json").get("aliases", {}).items():
        token = "n:" + canon.lower()
        add_en(canon, token)
        for f in forms:
            (add_zh if HAS_CJK.search(f) else add_en)(f, token)
    for alias in _read("country_aliases.json").get("aliases", []):
        if alias.get("kind") in ("name", "demonym", "capital", "institution", "side"):
            (add_zh if alias.get("lang") == "zh" else add_en)(alias["alias"], "c:" + alias["country"])
    stop_zh = set(lex.get("stopwords_zh", []))
    for w in stop_zh:
        if len(w) > 1:
            add_zh(w, None)
    stop_en = {stem(w) for w in lex.get("stopwords_en", [])} | set(lex.get("stopwords_en", []))
    # lengths of the phrases starting with each first word / character, longest first: most words start
    # none, so matching costs one lookup per word
    starts_en, starts_zh = defaultdict(set), defaultdict(set)
    for key in en:
        starts_en[key[0]].add(len(key))
    for key in zh:
        starts_zh[key[0]].add(len(key))
    starts_en = {k: sorted(v, reverse=True) for k, v in starts_en.items()}
    starts_zh = {k: sorted(v, reverse=True) for k, v in starts_zh.items()}
    return en, zh, stop_en, {w for w in stop_zh if len(w) == 1}, starts_en, starts_zh


@lru_cache(maxsize=None)
def _speaker_canon():
    out = {}
    for canon, forms in _read("speakers.json").get("aliases", {}).items():
        out[canon.lower()] = canon
        for f in forms:
            out[f.lower()] = canon
    return out


@lru_cache(maxsize=None)
def _surnames():
    "Last word of each known Latin-script name -> the name, when only one name ends so."
    counts = Counter(c.split()[-1].lower() for c in _read("speakers.json").get("aliases", {}) if c.split())
    return {c.split()[-1].lower(): c for c in _read("speakers.json").get("aliases", {})
            if c.split() and counts[c.split()[-1].lower()] == 1}


def canonical_speaker(name):
    "The one spelling of a speaker used for counting and display (万斯, Vance -> JD Vance)."
    if not name:
        return None
    name = " ".join(name.split())
    low = name.lower()
    return _speaker_canon().get(low) or _surnames().get(low) or name


def speaker_token(name):
    "Speakers match on the surname: 'JD Vance', 'Vance' and 万斯 are one speaker."
    canon = canonical_speaker(name)
    if not canon:
        return None
    if HAS_CJK.search(canon):
        return "s:" + canon
    return "s:" + stem(_words(canon)[-1]) if _words(canon) else None


def norm_unit(unit):
    if not unit:
        return ""
    # one line: stored tokens are kept one per line (dump_features)
    unit = " ".join(unit.split())
    units = lexicon().get("units", {})
    if unit in units:
        return units[unit]
    low = unit.lower()
    if low in units:
        return units[low]
    return stem(low) if low.isascii() else low


def number_key(value):
    return "%.6g" % float(value)


# --- features -------------------------------------------------------------------------------------------

def _latin_tokens(text, tokens, surface, at_start=True):
    en, _, stop_en, _, starts_en, _ = _phrases()
    words = _words(text)
    stems = [stem(w) for w in words]
    i = 0
    while i < len(words):
        for n in starts_en.get(stems[i], ()):
            if n > len(words) - i:
                continue
            token = en.get(tuple(stems[i:i + n]))
            # names and countries only when written as names: "told us" is not the US
            if token and (token[0] == "k" or words[i][0].isupper()) and (n > 1 or stems[i] not in stop_en):
                tokens.add(token)
                i += n
                break
        else:
            s = stems[i]
            if s not in stop_en and words[i].lower() not in stop_en and len(s) > 1:
                # a capitalised word inside the sentence is most likely a name: it may match across languages
                if (i or not at_start) and words[i][0].isupper():
                    tokens.add("n:" + s)
                else:
                    surface.add("w:" + s)
            i += 1


def _cjk_tokens(run, tokens, surface):
    _, zh, _, stop_zh1, _, starts_zh = _phrases()
    rest = []
    i = 0
    while i < len(run):
        for n in starts_zh.get(run[i], ()):
            if n > len(run) - i:
                continue
            piece = run[i:i + n]
            if piece in zh:
                token = zh[piece]
                if token:
                    tokens.add(token)
                rest.append(None)
                i += n
                break
        else:
            ch = run[i]
            rest.append(None if ch in stop_zh1 else ch)
            i += 1
    for a, b in zip(rest, rest[1:]):
        if a and b:
            surface.add("z:" + a + b)


@lru_cache(maxsize=1 << 14)
def _name_tokens(name):
    "The tokens of a speaker's or outlet's name (names repeat from article to article: computed once)."
    drop_n, drop_s = set(), set()
    _latin_tokens(" x " + name, drop_n, drop_s)
    for m in _CJK_RUN.finditer(name):
        _cjk_tokens(m.group(0), drop_n, drop_s)
    return frozenset(drop_n), frozenset(drop_s)


def features(mention):
    """Tokens of one mention: {'neutral', 'surface', 'anchors', 'units', 'zh'}.

    `mention` needs sentence, quantities (list or JSON), speaker, cited_source."""
    sentence = mention.get("sentence") or ""
    neutral, surface = set(), set()
    last = 0
    for m in _CJK_RUN.finditer(sentence):
        _latin_tokens(sentence[last:m.start()], neutral, surface, at_start=last == 0)
        _cjk_tokens(m.group(0), neutral, surface)
        last = m.end()
    _latin_tokens(sentence[last:], neutral, surface, at_start=last == 0)
    # the outlet credited says who passed the claim on, not what the claim is
    cited = mention.get("cited_source")
    if cited:
        drop_n, drop_s = _name_tokens(cited)
        neutral -= drop_n
        surface -= drop_s
    # who speaks is one token (s:), not also the words of their name and title
    for said_by in (mention.get("speaker_text"), mention.get("speaker"), canonical_speaker(mention.get("speaker"))):
        # a long "speaker" is an extraction slip that swallowed the claim: keep its words
        if said_by and len(said_by) <= SPEAKER_MAX_CHARS and not any(c in said_by for c in ",(，（"):
            drop_n, drop_s = _name_tokens(said_by)
            neutral -= drop_n
            surface -= drop_s
    speaker = speaker_token(mention.get("speaker"))
    if speaker:
        neutral.add(speaker)
    anchors, units = _figures(mention.get("quantities"))
    return {"neutral": neutral, "surface": surface, "anchors": anchors, "units": units,
            "zh": bool(HAS_CJK.search(sentence))}


def _figures(quantities):
    "Quantity anchors {'q:value:unit'} and {unit: {values}} of a mention's quantities (list or JSON)."
    quantities = quantities or []
    if isinstance(quantities, str):
        try:
            quantities = json.loads(quantities)
        except ValueError:
            quantities = []
    anchors, units = set(), defaultdict(set)
    for q in quantities:
        if not isinstance(q, dict):
            continue
        unit = norm_unit(q.get("unit"))
        for key in ("value", "from", "to"):
            v = q.get(key)
            if isinstance(v, (int, float)):
                anchors.add(f"q:{number_key(v)}:{unit}")
        if isinstance(q.get("value"), (int, float)):
            units[unit].add(number_key(q["value"]))
    return anchors, dict(units)


def dump_features(f):
    """The stored form of a mention's tokens: its blocks, one per line. The units and the script are cheap to
    read again from the mention row, so they are not stored (the kind of a token is its prefix)."""
    return "\n".join(sorted(block_keys(f)))


def load_features(text, mention):
    "Features from dump_features' text and the mention row (its sentence and quantities)."
    neutral, surface, anchors = set(), set(), set()
    for token in text.split("\n") if text else ():
        kind = token[0]
        (anchors if kind == "q" else surface if kind in "wz" else neutral).add(token)
    return {"neutral": neutral, "surface": surface, "anchors": anchors,
            "units": _figures(mention.get("quantities"))[1],
            "zh": bool(HAS_CJK.search(mention.get("sentence") or ""))}


def units_of(m):
    "{unit: values} of a mention row: its features' when in hand, else from its quantities alone (cheaper)."
    f = m.get("_features")
    return f["units"] if f else _figures(m.get("quantities"))[1]


def block_keys(f):
    return f["neutral"] | f["surface"] | f["anchors"]
