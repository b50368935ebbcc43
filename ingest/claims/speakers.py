"""Who is speaking: noun phrases next to speech verbs, names with titles, organisations, pronouns.

Speakers are read from the article itself (capitalised name sequences, title + name, Chinese title + name,
organisation words); data/speakers.json only adds titles, organisation words and cross-language / short
forms (万斯 -> JD Vance, EXIM -> Export-Import Bank of the United States). A per-article context remembers
the names seen so far, so "he", "the vice president", "Vance" or "该公司" resolve to the last compatible one.
"""
import itertools
import json
import re
from functools import lru_cache
from importlib import resources

from .sentences import cues


@lru_cache(maxsize=None)
def data():
    return json.loads(resources.files("newstrace.ingest").joinpath("data/speakers.json").read_text("utf-8"))


def _alts(words):
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# One capitalised token: "Vance", "JD", "J.D.", "U.S.", "O'Donnell", "McConnell", "Export-Import".
# (a plural possessive inside a name: "Citizens' Independent Transportation Trust", "Workers’ Party")
_TOK = r"(?:[A-Z][A-Za-z\-]*s['’](?=\s+[A-Z])|[A-Z](?:\.[A-Z])+\.?|[A-Z][A-Za-z'’\-]*[a-zA-Z]\.?|[A-Z]\.?)"
_CONN = r"(?:of|the|for|de|del|da|di|van|von|der|den|al|bin|la|le|du|and)"
CAPSEQ = r"%s(?:\s+(?:%s\s+){0,2}%s)*" % (_TOK, _CONN, _TOK)


@lru_cache(maxsize=None)
def _en():
    from ..countries.gazetteer import trie_pattern as trie

    d = data()
    titles = d["titles"]["en"]
    # (the title, outlet and organisation words as tries: where the longest-first alternation tried every word at
    # every word start, the engine walks shared prefixes once; at each position the longest word that fits
    # matches, as in the alternation)
    title_rx = re.compile(r"(?:^|\s)(?:%s)(?=\s|$)" % trie(sorted(set(titles))))
    title_words = {t.lower().rstrip(".") for t in titles}
    c = cues()["en"]
    anon = re.compile(r"(?:%s)" % "|".join(c["anonymous"]), re.IGNORECASE)
    outlet_words = re.compile(r"\b(?:%s)\b" % trie(sorted(set(c["outlet_words"]))))
    reports = re.compile(r"(?:%s)" % "|".join(c["reports_as_outlets"]), re.IGNORECASE)
    org_words = re.compile(r"\b(?:%s)\b" % trie(sorted(set(d["org_words"]["en"]))))
    role = re.compile(r"^(?:the|this|that|our|its|their)\s+((?:[a-z.\-]+\s+){0,3}(?:%s))$" % _alts(d["role_nouns_en"]),
                      re.IGNORECASE)
    return title_rx, title_words, anon, outlet_words, reports, org_words, role


@lru_cache(maxsize=None)
def _aliases():
    "alias (lowercased) -> canonical name; the canonical name maps to itself."
    out = {}
    for canon, forms in data()["aliases"].items():
        out[canon.lower()] = canon
        for f in forms:
            out[f.lower()] = canon
    return out


def new_context():
    "Per-article memory of names, for resolving pronouns, titles and surnames."
    return {"persons": [], "orgs": [], "titles": {}, "last_person": None, "last_org": None,
            "last_company": None, "last_group": None, "last_speaker": None, "last_quote_speaker": None,
            "last_outlet": None, "last_doc_org": None, "doc_org": {},
            "desc": {}, "names": []}


@lru_cache(maxsize=4096)  # pure; asked of the same names sentence after sentence
def _is_org(name):
    _, _, _, outlet_words, _, org_words, _ = _en()
    # ("Customs and Border Protection", "U.S. Customs and Border Protection": one word, "and", then a name is a
    # body's; two people are "Lindsey Graham and David Perdue")
    return bool(org_words.search(name)) or (name.isupper() and len(name) <= 8) or bool(_AND_NAME.search(name))


_AND_NAME = re.compile(r"^(?:[A-Z][A-Z.]{1,5}\s+)?[A-Z][a-z]+\s+and\s+[A-Z][a-z]+\s+[A-Z][a-z]{3,}(?:\s+[A-Z][a-z]+)*$")


@lru_cache(maxsize=4096)
def strip_title(np):
    """'Vice President JD Vance' -> ('JD Vance', 'vice president'); the name is what follows the last title.
    Pure, so cached: the same names come back sentence after sentence."""
    title_rx, title_words, *_ = _en()
    last = None
    for m in title_rx.finditer(np):
        last = m
    if last is None:
        return np, None
    rest = np[last.end():].strip()
    if not rest or not re.match(r"[A-Z]", rest):
        return np, None
    return rest, last.group().strip().lower()


def _register(ctx, name, kind, title=None):
    if kind == "person":
        if name not in ctx["persons"]:
            ctx["persons"].append(name)
        ctx["last_person"] = name
        if title:
            ctx["titles"][title.rstrip(".")] = name
            # "Secretary of State Marco Rubio" also answers to "the secretary"
            ctx["titles"][title.split()[-1].rstrip(".")] = name
    elif kind in ("org", "outlet"):
        if name not in ctx["orgs"]:
            ctx["orgs"].append(name)
        ctx["last_org"] = name
        if kind == "outlet":
            ctx["last_outlet"] = name
        if re.search(r"\b(?:Inc|Corp|Company|Co|Ltd|LLC|PLC|Group|Holdings|Mining|Minerals|Resources|Motors|Industries)\b", name):
            ctx["last_company"] = name


def display(ctx, name):
    """The speaker label for a person: the resolved name followed, when the article described the person at
    first mention, by that description in parentheses ('Marco Rubio (R-Fla.)', 'Tom Goldstein (publisher of
    SCOTUSblog)'). The bare name is label.split(" (")[0]."""
    if not name:
        return name
    if name.endswith(")") and " (" in name:
        return name
    desc = ctx["desc"].get(name)
    return "%s (%s)" % (name, desc) if desc else name


def bare(label):
    "The name part of a speaker label."
    return label.split(" (")[0] if label else label


_DESC_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_DESC_NOT = re.compile(r"^(?:[a-z]+(?:ing|ed|s)\b(?<!\bits)(?<!\bhis)(?<!\bthis)(?<!\bnews)|that|and|but|or|as|while|because|if|when|though|although|according|with|in|on|at|after|before)\b")


def clean_description(desc):
    """An appositive or tag as a description: 'an associate professor at X,' -> 'associate professor at X'.
    A predicate that follows a name ('succeeds the MSP', 'adding that ...') is not a description."""
    if not desc:
        return None
    desc = desc.strip(" ,;")
    if desc.startswith("(") and desc.endswith(")"):
        desc = desc[1:-1].strip()
    if not desc or len(desc) > 160 or _DESC_NOT.match(desc) or '"' in desc:
        return None
    desc = _DESC_ARTICLE.sub("", desc)
    if desc.endswith(".") and not _abbrev_end().search(desc):
        desc = desc[:-1]
    return desc or None


def resolve_name(np, ctx, register=True, description=None):
    """A capitalised name phrase as written -> (speaker, kind) with kind 'person' | 'org' | 'outlet'.
    A person's description (party tag "(R-Fla.)" or an appositive) is remembered and shown with the name."""
    paren = re.search(r"\(([^)]*)\)\s*$", np)
    description = clean_description(description)
    if paren:
        description = ", ".join(d for d in (clean_description(paren.group(1)), description) if d) or None
    np = re.sub(r"\s*\([^)]*\)\s*$", "", np).strip().rstrip(",")
    np = re.sub(r"['’]s$", "", np)
    poss = re.match(r"^(?P<pre>.*?\S(?:['’]s|s['’]))\s+(?P<name>[A-Z]\S*\s+[A-Z].*)$", np)
    if poss and not _is_org(poss.group("name")):
        # "The Post's Dana Milbank": the person is after the possessive, the outlet describes her
        np = poss.group("name")
        description = description or poss.group("pre")
    toks = np.split()
    while len(toks) > 1 and toks[0].rstrip(".") in _not_names() and toks[0] != "The":
        toks = toks[1:]  # "As John Cornyn", "However Trump"
    np = " ".join(toks)
    if np.rstrip(".") in _not_names():
        return None, None
    if np.endswith(".") and not _abbrev_end().search(np):
        np = np[:-1]  # the sentence's full stop, not part of the name ("Trump University.")
    aliases = _aliases()
    if np.lower() in aliases:
        canon = aliases[np.lower()]
        kind = "outlet" if _is_outlet(canon) else "org" if _is_org(canon) or canon.lower().startswith("the ") else "person"
        if register:
            _register(ctx, canon, kind)
        return canon, kind
    name, title = strip_title(np)
    if title and not description:
        description = _role_description(np[:len(np) - len(name)])
    if _is_outlet(np) or (np.startswith("The ") and len(np.split()) >= 2 and not _is_org(np)):
        # people are not "The ...": a capitalised "The X" credited with words is a publication
        name = np
        if register:
            _register(ctx, name, "outlet")
        return name, "outlet"
    if _is_org(name):
        name = re.sub(r"^(?:The|A|An)\s+(?=[A-Z])", "", name)
        canon = aliases.get(name.lower()) or aliases.get("the " + name.lower()) or name
        if register:
            _register(ctx, canon, "org")
        return canon, "org"
    toks = name.split()
    if len(toks) == 1:
        # A surname or short form: the last full name seen that ends with it.
        for full in list(reversed(ctx["persons"])) + list(reversed(ctx["names"])):
            if full.split()[-1] == name and full != name:
                if register:
                    _register(ctx, full, "person", title)
                _describe(ctx, full, description)
                return display(ctx, full), "person"
        # an organisation answers to its first word only when the rest is a legal-form suffix ("Pfizer" ->
        # "Pfizer Inc."); "Trump" is not "Trump Restaurants LLC"
        for full in reversed(ctx["orgs"]):
            words = full.split()
            if words[0] == name and len(words) > 1 and all(w.rstrip(".,") in _LEGAL_FORMS for w in words[1:]):
                return full, "org"
    canon = aliases.get(name.lower(), name)
    if register:
        _register(ctx, canon, "person", title)
    _describe(ctx, canon, description)
    return display(ctx, canon), "person"


@lru_cache(maxsize=None)
def _abbrev_end():
    "A phrase that ends with an abbreviation's own full stop ('Inc.', 'R-Nev.', 'J.'); abbreviations: claim_cues.json."
    abbrevs = [a.rstrip(".") for a in cues()["sentences"]["abbreviations"]] + ["Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "Bros"]
    return re.compile(r"(?:^|[\s\-])(?:[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]|%s)\.$" % _alts(abbrevs))
_LEGAL_FORMS = frozenset("Inc Corp Corporation Co Company Ltd LLC PLC AG SA GmbH Group Holdings".split())


def _role_description(pre):
    """Words before a name that say more than a title ('Senate Minority Leader', 'Indian Defence Minister',
    'U.S. Trade Representative'): kept as the description; bare titles ('Sen.', 'Vice President') are not."""
    title_rx, title_words = _en()[:2]
    rest = title_rx.sub(" ", " " + pre + " ")
    words = [w for w in re.findall(r"[\w.'’\-]+", rest) if w.lower().rstrip(".") not in title_words]
    words = [w for w in words if w.lower() not in ("the", "former", "then", "acting", "late", "of", "and")]
    return pre.strip() if words else None


def party_type(name):
    """schema.org type of a speaker or reviewer label: 'Organization' for outlets, organisations and groups
    ('Reuters', 'the ministry', 'two analysts' count as Organization only when they are bodies), else 'Person'."""
    plain = bare(name or "")
    if _is_outlet(plain) or _is_org(plain) or plain.lower() in _aliases() and _is_org(_aliases()[plain.lower()]):
        return "Organization"
    if re.search(r"[\u4e00-\u9fff]", plain):
        return "Organization" if _zh()[2].search(plain) or _zh()[4].search(plain) else "Person"
    if plain[:1].islower() or re.match(r"(?:The|A|An)\s", plain):
        return "Organization" if re.search(r"\b(?:ministry|company|firm|agency|government|department|office|police|"
                                           r"court|council|committee|bank|group|university|institute)\b", plain,
                                           re.IGNORECASE) else "Person"
    return "Person"


def _recent_group(ctx):
    "The group a 'they' refers to: the one last quoted or the one last mentioned, whichever came later."
    spoke, mentioned = ctx["last_group"], ctx.get("last_group_np")
    # (a group that spoke outranks the others its own sentence names: "The loggers told investigators")
    if mentioned and (not spoke or mentioned[1] > ctx.get("_group_at", -1)):
        return mentioned[0]
    return spoke


# a share of those a poll asked: "61 percent", "40% of respondents", "nearly half of voters" (attr10)
_SHARE = re.compile(r"^(?:(?:about|nearly|almost|roughly|some|just|more\s+than|fewer\s+than|less\s+than|over|under)\s+)?"
                    r"\d{1,3}(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)(?:\s+of\s+(?:the\s+|all\s+|those\s+)?[a-z][\w\- ]{2,50})?$")
# 61%的受访者, 百分之四十的选民, 近六成民众: a share of the people a poll asked (attr10)
_ZH_SHARE = re.compile(r"^(?:约|近|超过|逾|仅|将近)?(?:\d{1,3}(?:\.\d+)?\s*[%％]|百分之[零〇一二两三四五六七八九十点]+|[一二两三四五六七八九]成(?:以上)?)"
                       r"(?:以上|左右)?的?[\u4e00-\u9fff]{0,6}(?:者|民|人|众|员|生|家|族)$")
_SAME_GROUP = re.compile(r"^(?:the|both|these|those)\s+(?:two\s+|three\s+|four\s+)?(?:men|women|people|pair|group|two|three)$")


@lru_cache(maxsize=None)
def _people_plurals():
    "Plural heads of groups of people ('loggers', 'energy experts'): cues' group_heads less documents and bodies."
    docs = _document_nouns()
    return frozenset(w for w in _group_heads() if w.endswith(("s", "people", "police", "staff")) and w not in docs
                     and " " not in w and w not in ("sides", "parties", "companies", "firms", "governments", "campaigns",
                                                    "groups", "agencies", "ministries", "authorities", "estimates",
                                                    "projections", "forecasts", "calculations", "models", "papers",
                                                    "findings", "tests", "audits", "reviews", "assessments", "plans",
                                                    "rules", "letters", "polls", "surveys", "studies", "reports",
                                                    "filings", "records", "documents", "figures", "data"))


@lru_cache(maxsize=None)
def _group_np():
    return re.compile(r"(?<![\w’'])(?P<np>(?:(?!(?:the|a|an|of|and|or|to|in|on|at|for|with|by|from|some|many|most|all|"
                      r"two|three|four|several|other|these|those|their|his|her|its|our|told|said|says|tells|asked|met|saw|heard|found|"
                      r"left|gave|sent|took|made|[a-z]+ed)\s)[a-z\-]+\s+)?(?:%s))\b"
                      % "|".join(sorted(_people_plurals(), key=len, reverse=True)))


def note_group(sentence, words, ctx, unit):
    "Remember the last group of people a sentence mentions ('some of the state's energy experts'): a later 'they'."
    if words is None or _people_plurals().isdisjoint(words):
        return
    last = None
    for m in _group_np().finditer(sentence):
        last = m.group("np")
    if last:
        ctx["last_group_np"] = (last, unit)


def title_holder(label, ctx):
    """A speaker given by a title alone ('PAHO Director' in a headline, 'Health Minister') -> the person the whole
    text names with that title (ctx at the end of the article), displayed; None when it names nobody so."""
    words = bare(label or "").split()
    if not words or len(words) > 4 or words[0][:1].islower():
        return None
    title_words = _en()[1]
    if words[-1].lower().rstrip(".") not in title_words:
        return None
    person = ctx["titles"].get(words[-1].lower().rstrip("."))
    return display(ctx, person) if person and person != bare(label) else None


def _describe(ctx, name, description):
    if description and name not in ctx["desc"]:
        ctx["desc"][name] = description.strip(" ,")


@lru_cache(maxsize=4096)  # pure, like _is_org
def _is_outlet(np):
    _, _, _, outlet_words, _, _, _ = _en()
    return bool(outlet_words.search(np))


def register_names(sentence, ctx):
    "Remember every titled or full name in a sentence, so later pronouns and surnames can resolve to it."
    for seq in _CAPSEQ_RX.findall(sentence):  # (the pattern has no groups: whole matches)
        if " " not in seq:
            continue  # one word is neither a title with a name nor an organisation's full name
        found = _name_kind(seq)
        if found:
            _register(ctx, *found)
        elif _plain_name(seq) and seq not in ctx["names"]:
            # "Usman Hasib runs the business": a full name, so that "Hasib said" later resolves to it
            ctx["names"].append(seq)


@lru_cache(maxsize=4096)
def _plain_name(seq):
    "A capitalised sequence written as a person's plain full name; pure, so cached like _name_kind."
    return bool(_PLAIN_NAME.fullmatch(seq)) and seq.split()[0] not in _not_names() and not _is_org(seq) \
        and not _is_outlet(seq)


@lru_cache(maxsize=4096)
def _name_kind(seq):
    """(name, kind, title) a capitalised sequence registers, or None; pure, so cached: the same names recur
    sentence after sentence."""
    name, title = strip_title(seq)
    if title and 1 <= len(name.split()) <= 4 and not _is_org(name):
        return _aliases().get(name.lower(), name), "person", title
    if _is_org(seq) and len(seq.split()) >= 2:
        return aliases_get(seq), "org", None
    return None


def register_outlet(ctx, name):
    "Remember a credited outlet, so a later 'the paper' / 该报 can resolve to it."
    _register(ctx, name, "outlet")


def aliases_get(name):
    return _aliases().get(name.lower(), name)


_CAPSEQ_RX = re.compile(CAPSEQ)
_SUBJECT = re.compile(r"^(?:[\"“”]?\s*)(?:(?:On|In|At|After|Before|Last|This|Earlier|Later)\b[^,]{0,40},\s*)?(?P<np>%s)(?=,|\s+(?!said|says|told)[a-z])" % CAPSEQ)
_PLAIN_NAME = re.compile(r"[A-Z][a-z'’\-]+(?:\s[A-Z]\.?)?(?:\s(?:de|van|von|der|da|di|del|la|le|bin|al)?\s?[A-Z][a-z'’\-]+){1,2}")
_FULLNAME = re.compile(CAPSEQ + r"(?:\s*\([^)]*\))?(?:['’]s)?$")
# "Republican strategist Jane Roe", "Post White House bureau chief Juliet Eilperin", "The Post's Dana Milbank"
_ROLE_NAME = re.compile(r"^(?P<pre>(?:(?:The\s+)?%s['’]s\s+(?:[a-z\-]+\s+){0,3}|(?:%s\s+)?(?:[a-z\-]+\s+){1,3}))"
                        r"(?P<name>%s(?:\s*\([^)]*\))?)$" % (CAPSEQ, CAPSEQ, CAPSEQ))


@lru_cache(maxsize=None)
def _not_names():
    "Capitalised words that start sentences but never name anyone alone ('Some', 'However')."
    return frozenset(cues()["en"]["not_names"])
_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i|him|her|them)$", re.IGNORECASE)


_HOLDER = re.compile(r"^(his|her|its|their)\s+(?:(?:chief|deputy|senior|campaign|press)\s+)?(?:office|spokes(?:man|woman|person)|"
                     r"aides?|lawyers?|attorneys?|press\s+(?:secretary|office|team)|representatives?|campaign|"
                     r"spokespeople|staff|team|counsel)$", re.IGNORECASE)
_INNER_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z]{1,7}\)(?=\s+[A-Z])")
_SPOKES_FOR = re.compile(r"^(?:[Aa]n?|[Tt]he|[Oo]ne)\s+(?:[\w\-]+\s+)?(?:spokes(?:man|woman|person)|representative|"
                         r"press\s+officer)\s+(?:for|of|at|from)\s+(?:the\s+)?(?P<org>%s(?:\s*\([A-Z][A-Za-z]{1,7}\))?)$"
                         % CAPSEQ)
_DOC_BY_NP = re.compile(r"^(?:[Tt]he|[Aa]n?|[Tt]his|[Ii]ts|[Tt]heir)\s+(?:[\w\-]+\s+){0,2}?(?P<noun>report|study|survey|"
                        r"analysis|paper|review|audit|release|statement|letter|complaint|filing|poll)\s+(?:by|from|of)\s+"
                        r"(?:the\s+)?(?P<org>%s)$" % CAPSEQ)
_DOC_NOUN = re.compile(r"^(?:the|its|their)\s+(?:new\s+|latest\s+|annual\s+)?(release|press\s+release|statement|report|"
                       r"study|survey|complaint|filing|lawsuit|affidavit|letter|memo|notice|announcement)$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _role_nouns():
    return frozenset(r.lower() for r in data()["role_nouns_en"]) | frozenset(("the " + r.lower()) for r in data()["role_nouns_en"])


def salient_person(ctx):
    """The person a 'he'/'she' refers to: the one the text is about at this point — the most recent of the last
    speaker and the last person named as a sentence's subject — not merely the last name written."""
    spk, subj = ctx["last_speaker"], ctx.get("last_subject")
    if subj and (not spk or ctx.get("_subject_at", -1) > ctx.get("_speaker_at", -1)):
        return subj
    return spk or ctx["last_person"]


def note_subject(sentence, ctx, unit):
    "Remember the person a sentence is about when it opens with a person's name ('Hasib runs ...', 'Dr Jo Ames, a ...')."
    m = _SUBJECT.match(sentence)
    if m and m.end("np") < len(sentence) and sentence[m.end("np")] == " " and sentence[m.end("np") + 1:][:1].islower() \
            and not _FIRST_MENTION.match(sentence[m.end("np"):]):
        # "Presumptive Democratic White House nominee Joe Biden joined ...": the name after the role words
        m = _SUBJECT_ROLE.match(sentence) or m
    if not m:
        return
    seq = m.group("np")
    toks = seq.split()
    while toks and (toks[0] in _not_names() or toks[0] in ("The", "A", "An", "This", "That", "His", "Her", "Their", "Its")):
        toks = toks[1:]
    if not toks or toks[-1].endswith(("'s", "’s")) or len(toks) != len(seq.split()) and len(toks) < 2:
        return
    name, title = strip_title(" ".join(toks))
    full = None
    if " " not in name:
        # (a name can only end with the surname where it holds it: the cheap test first)
        full = next((f for f in itertools.chain(reversed(ctx["persons"]), reversed(ctx["names"]))
                     if name in f and f.split()[-1] == name), None)
    elif (title or name in ctx["names"] or name in ctx["persons"] or _FIRST_MENTION.match(sentence[m.end("np"):])) \
            and _PLAIN_NAME.fullmatch(name) and not _is_org(name) and not _is_outlet(name) and not _is_place(name):
        # (a full name met for the first time counts when a person's verb follows: "Sara Lund accepted the award")
        full = _aliases().get(name.lower(), name)
    if full:
        ctx["last_subject"], ctx["_subject_at"] = full, unit


_SUBJECT_ROLE = re.compile(r"^(?:[\"“”]?\s*)(?:%s\s+)?(?:[a-z\-]+\s+){1,3}(?P<np>%s)"
                           r"(?=\s+(?:(?:also|then|later|had|has|was|is)\s+)?[a-z]{3,}ed\b)" % (CAPSEQ, CAPSEQ))
# what people do as a sentence's subject: a past-tense verb, not a noun ("Sara Lund accepted", not "New York State")
_FIRST_MENTION = re.compile(r"\s+(?:(?:also|then|later|had|has|was|is)\s+)?[a-z]{3,}ed\b")


def _is_place(name):
    "A country or capital named like a person ('New Zealand', 'Buenos Aires'): the countries gazetteer knows them."
    from ..countries.gazetteer import surfaces

    entry = surfaces().get(name)
    return bool(entry) and entry["kind"] in ("name", "capital", "blocker", "institution")


def classify_np(np, ctx, register=True, description=None):
    """An English speaker phrase as written -> (speaker, kind). kind: 'person' | 'org' | 'outlet' |
    'anonymous' | 'reports' | 'pronoun-unresolved' | None (not a speaker)."""
    _, _, anon, _, reports, _, role = _en()
    np = re.sub(r"^(?:[Bb]ut|[Aa]nd|[Yy]et|[Ss]o|[Oo]r|[Ww]hile|[Tt]hen|[Tt]hough|[Aa]lthough|[Ww]hen|[Aa]fter|[Bb]efore|"
                r"[Ss]ince|[Ii]f|[Bb]ecause|[Aa]s)\s+", "", np.strip().strip(",").strip())
    if not np:
        return None, None
    np = _INNER_ACRONYM.sub("", np)  # "Pan American Health Organization (PAHO) Director X": the acronym aside
    low = np.lower()
    if _PRONOUN.match(np):
        kind = cues()["en"]["pronouns"].get(low)
        if kind == "person":
            target = salient_person(ctx)
            return (display(ctx, target), "person") if target else (None, "pronoun-unresolved")
        if kind == "org":
            return ctx["last_org"], "org" if ctx["last_org"] else "pronoun-unresolved"
        if kind == "group":
            # "they": the group last quoted, else an organisation (never an outlet: it reports, it is not "they")
            target = _recent_group(ctx) or (ctx["last_org"] if ctx["last_org"] != ctx["last_outlet"] else None)
            return target, "org" if target else "pronoun-unresolved"
        return None, "pronoun-unresolved"
    if _SAME_GROUP.match(low):
        group = _recent_group(ctx)
        if group:  # "The men alleged" after "the two loggers ...": the group the text spoke of
            return group, "anonymous"
    if _SHARE.match(np):
        # "61 percent say", "40% of respondents said": a poll's share of those asked speaks for them, unnamed (attr10)
        return np, "anonymous"
    m = _SPOKES_FOR.match(np)
    if m:
        # "a spokesperson for the Employers' Association (UCEA)": an unnamed spokesperson speaks for the body
        # (CLAIMS_GUIDELINES 4); a later "he said" is that spokesperson, so the body again
        org, kind = classify_np(m.group("org"), ctx, register, None)
        if kind in ("org", "outlet"):
            ctx["_spokes_for"] = org
            return org, "org"
    m = _DOC_BY_NP.match(np)
    if m:
        # "The report by the University and College Union": the body that wrote it; a later "the report" or
        # "its authors" is the same body
        org, kind = classify_np(m.group("org"), ctx, register, None)
        if kind in ("org", "outlet", "person"):
            ctx.setdefault("doc_org", {})[m.group("noun").lower()] = ctx["last_doc_org"] = bare(org)
            return org, kind
    m = _HOLDER.match(np)
    if m:
        # "her office said", "his spokesman said": the office holder speaks through them (CLAIMS_GUIDELINES 4)
        if m.group(1).lower() in ("his", "her"):
            holder = salient_person(ctx)
            if holder:
                return display(ctx, holder), "person"
        elif ctx["last_org"] and ctx["last_org"] != ctx["last_outlet"]:
            return ctx["last_org"], "org"
        return np, "described"
    if low in _role_nouns():
        # "the Director noted", "Director said": the person last named with that title
        r = re.sub(r"^the\s+", "", low)
        person = ctx["titles"].get(r) or ctx["titles"].get(r.split()[-1])
        if person:
            return display(ctx, person), "person"
        if low.startswith("the "):
            m = None  # the role patterns below resolve "the company", "the ministry"
        else:
            return np, "anonymous"
    m = _DOC_NOUN.match(np)
    issuer = m and (ctx.get("doc_org", {}).get(m.group(1).lower()) or ctx.get("last_org_speaker") or (
        ctx["last_org"] if ctx["last_org"] != ctx["last_outlet"] else None))
    if issuer:
        # "according to the release", "the report says": the body that issued it (the one named as its author,
        # else the organisation named last), with the document named
        return "%s (%s)" % (issuer, m.group(1).lower()), "org"
    if reports.fullmatch(np):
        return np, "reports"
    m = role.match(np)
    if m:
        r = m.group(1).lower()
        person = ctx["titles"].get(r) or ctx["titles"].get(r.split()[-1])
        if person:
            return display(ctx, person), "person"
        if r in ("company", "firm", "miner", "producer", "manufacturer", "lender") and ctx["last_company"]:
            return ctx["last_company"], "org"
        if r.split()[-1] in data()["group_words_en"] and ctx["last_org"]:
            last = ctx["last_org"]
            if r.split()[-1] in last.lower() or r in ("company", "firm", "group", "agency"):
                return re.sub(r"^The\s+(?=\S+\s)", "", last), "org"  # "The Department of X" as when named
        named = _body_named(r, ctx)
        if named:
            return named, "org"
        return np, "anonymous" if r.endswith("official") else "org"
    if anon.fullmatch(np) or anon.fullmatch(re.sub(r"^(?:the|a|an)\s+", "", low)):
        return np, "anonymous"
    placed = _PLACED_GROUP.match(np)
    if placed and (placed.group("det") or placed.group("head").lower() in _group_heads()) \
            and (placed.group("dhead") or placed.group("head")).lower() not in _document_nouns():
        # "Police in Dayton", "a man in Dayton", "the mayor of Dayton": who is there speaks, not the place
        return np, "described" if placed.group("det") else "anonymous"
    if " " not in np and low in _group_heads():
        # "Police said", "Investigators said": not a person's name — the body named before ("Miami-Dade Police")
        # when the article named one that ends with the word
        named = next((n for n in reversed(ctx["orgs"] + ctx["persons"] + ctx["names"])
                      if n != np and n.split()[-1] == np), None)
        return (named, "org") if named else (np, "anonymous")
    if _FULLNAME.match(np):
        return resolve_name(np, ctx, register, description)
    m = _ROLE_NAME.match(np)
    if m:
        # "Republican strategist Jane Roe": the name closes the phrase, the words before describe her
        pre = m.group("pre").strip()
        role = pre if re.search(r"[A-Z]", pre) and not re.match(r"(?:former|then|the|a|an)$", pre, re.IGNORECASE) else None
        speaker, kind = resolve_name(m.group("name"), ctx, register, description or role)
        if kind:
            return speaker, kind
    m = _DEF_BODY.match(np)
    if m:
        # "the trust", "the transportation department": the body of that kind the article named before
        named = _body_named(low.split(None, 1)[1], ctx)
        if named:
            return named, "org"
        # "the owner", "the nurse": the person the article described so ("Omar Haddad, the owner of the bakery")
        person = _described_as(low.split()[-1], ctx)
        if person:
            return display(ctx, person), "person"
    # "Trump's attorney", "the second official", "Powell's office": a described speaker, kept as written
    if re.search(r"['’]s\s", np) or re.match(r"(?:the|a|an|one|two|three|some|many|several|other)\s", low):
        return np, "described"
    if low.split()[-1] in _group_heads():
        return np, "anonymous"  # "trade analysts", "Clinton strategists": an unnamed group of people
    head = _BEFORE_PREP.split(low, maxsplit=1)[0].split()
    if len(head) <= 3 and head[-1] in _group_heads() and head[0] not in _PRONOUN_WORDS:
        return np, "anonymous"  # "staff on short-term contracts", "nurses at the clinic"
    return None, None


def _described_as(noun, ctx):
    """The latest person whose description's head noun is `noun` ('owner of the bakery', 'a nurse at Mercy
    Hospital', 'the bakery's owner'): one person only, else None (two owners leave 'the owner' unresolved)."""
    found = [name for name, desc in ctx["desc"].items() if _desc_head(desc) == noun]
    return found[0] if len(found) == 1 else None


def _desc_head(desc):
    words = re.split(r"\s+(?:of|at|for|in|with|from|to|who|on)\s+", desc.lower(), maxsplit=1)[0].split()
    return words[-1].strip(",.") if words else None


_BEFORE_PREP = re.compile(r"\s+(?:with|of|from|in|at|for|on|across|near|outside|under|close to)\s+")
_PRONOUN_WORDS = frozenset(("he", "she", "they", "it", "we", "i", "you", "who"))
_PLACED_GROUP = re.compile(r"^(?:(?P<det>(?i:a|an|the|one|two|three|several|some|many)\s+)(?P<dhead>[a-z]+)|(?P<head>[A-Za-z]+))"
                           r"\s+(?:in|at|from|of|across|near|outside)\s+[A-Z]")
_DEF_BODY = re.compile(r"^(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[a-z\-]+\s+){0,2}[a-z]+$")


@lru_cache(maxsize=None)
def _body_heads():
    "Lower-case words that head an organisation's name ('trust', 'department', 'union'): speakers.json org_words."
    return frozenset(w.lower() for w in data()["org_words"]["en"] if w.isalpha() and w[:1].isupper() and len(w) > 3)


def _body_named(phrase, ctx):
    """'trust' / 'transportation department' -> the latest organisation named before whose name has that head
    word (and the other words): 'the trust' is the Citizens' Independent Transportation Trust named earlier.
    Outlets are left out: an outlet is 'the newspaper', not 'the trust'."""
    words = phrase.lower().split()
    if not words or words[-1] not in _body_heads():
        return None
    for org in reversed(ctx["orgs"]):
        low = re.findall(r"[a-z\-]+", org.lower())
        if all(w in low for w in words) and not _is_outlet(org):
            return re.sub(r"['’]s$", "", re.sub(r"^The\s+", "", org))
    return None


@lru_cache(maxsize=None)
def _document_nouns():
    return frozenset(w.lower() for w in cues()["en"]["document_nouns"])


@lru_cache(maxsize=None)
def _group_heads():
    return frozenset(w.lower() for w in cues()["en"].get("group_heads", ()))


# ---------------------------------------------------------------------------------------------- Chinese

@lru_cache(maxsize=None)
def _zh():
    d = data()
    titles = _alts(d["titles"]["zh"])
    orgs = _alts(d["org_words"]["zh"])
    name = r"(?:[A-Za-z][A-Za-z.]*·?)?[\u4e00-\u9fff]{1,5}(?:·[\u4e00-\u9fff]{1,6})?|[A-Z][A-Za-z.\-]+(?:\s[A-Z][A-Za-z.\-]+)*"
    title_name = re.compile(r"(?P<title>%s)(?P<name>%s)$" % (titles, name))
    name_title = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,5}(?:·[\u4e00-\u9fff]{1,6})?)(?P<title>%s)$" % titles)
    org_latin = re.compile(r"(?:%s)(?P<name>[A-Za-z][\w.\-&]*(?:\s[A-Z][\w.\-&]*)*)$" % orgs)
    org_end = re.compile(r"(?:%s)$" % orgs)
    c = cues()["zh"]
    anon = re.compile(r"(?:%s)" % _alts(c["anonymous"]))
    outlet = re.compile(r"(?:%s)$" % _alts(c["outlet_words"]))
    return title_name, org_latin, org_end, anon, outlet, name_title


@lru_cache(maxsize=None)
def _zh_role_name():
    roles = _alts(data()["role_words_zh"])
    return re.compile(r"(?P<desc>^.*?(?:%s))(?P<name>[\u4e00-\u9fff]{2,3})$" % roles)


@lru_cache(maxsize=None)
def _zh_role_end():
    return re.compile(r"(?:%s)$" % _alts(data()["role_words_zh"]))


def classify_zh(np, ctx, register=True):
    "A Chinese subject phrase -> (speaker, kind)."
    title_name, org_latin, org_end, anon, outlet, name_title = _zh()
    np = np.strip(" ,，:：、")
    if not np or len(np) > 30:
        return None, None
    aliases = _aliases()
    pron = cues()["zh"]["pronouns"]
    if np in pron:
        kind = pron[np]
        if kind == "person" and ctx["last_person"]:
            return ctx["last_person"], "person"
        if kind == "outlet" and ctx["last_outlet"]:
            return ctx["last_outlet"], "outlet"  # 该报: the paper named last
        if kind in ("company", "org", "any"):
            target = (ctx["last_company"] if kind == "company" else None) or ctx["last_org"]
            if target:
                return target, "org"
        if kind == "group" and (ctx["last_group"] or ctx["last_org"]):
            return ctx["last_group"] or ctx["last_org"], "org"
        return None, "pronoun-unresolved"
    if np.lower() in aliases:
        canon = aliases[np.lower()]
        kind = "org" if _is_org(canon) or canon.lower().startswith("the ") or org_end.search(np) else "person"
        if register:
            _register(ctx, canon, kind)
        return canon, kind
    if _ZH_SHARE.match(np):
        return np, "anonymous"  # 61%的受访者表示: a poll's share of those asked speaks for them, unnamed (attr10)
    if len(np) < 2 or np in ("这是", "那是", "其中", "这里", "那里", "此外"):
        return None, None  # one character is not a name ("封", "这"): a word cut from the sentence
    m = _zh_role_name().search(np)
    if m and not title_name.search(np):
        # "安化县乐安镇大禾村村民陈福香": the name closes the phrase, the words before describe the person
        name = m.group("name")
        if register:
            _register(ctx, name, "person")
            _describe(ctx, name, m.group("desc"))
        return name, "person"
    if anon.fullmatch(np) or (anon.search(np) and len(np) <= 8 and not title_name.search(np)):
        return np, "anonymous"
    m = title_name.search(np) or name_title.match(np)  # 副总统万斯, 特朗普总统
    if m:
        nm = m.group("name")
        short = nm.split("·")[-1]
        canon = aliases.get(nm.lower()) or aliases.get(short.lower()) or nm
        if register:
            _register(ctx, canon, "person", m.group("title"))
        return canon, "person"
    m = org_latin.search(np)
    if m:
        if register:
            _register(ctx, m.group("name"), "org")
            ctx["last_company"] = m.group("name")
        return m.group("name"), "org"
    if outlet.search(np) and len(np) <= 12:
        if register:
            _register(ctx, aliases.get(np.lower(), np), "outlet")
        return aliases.get(np.lower(), np), "outlet"
    if org_end.search(np):
        if register:
            _register(ctx, np, "org")
        return np, "org"
    short = np.split("·")[-1]
    if short.lower() in aliases:
        canon = aliases[short.lower()]
        if register:
            _register(ctx, canon, "person")
        return canon, "person"
    for full in reversed(ctx["persons"]):
        if full.endswith(np) or full.split("·")[-1] == np:
            return full, "person"
    if _zh_role_end().search(np):
        return np, "anonymous"  # "一位市直机关干部", "经营者": described, not named
    if len(np) <= 6:
        # A bare subject: a place used for its government ("北京", "中国") or a short name.
        return np, "org" if len(np) <= 3 else "person"
    return None, None
