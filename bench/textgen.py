"""Synthetic news text with known contents, for the bench archive and the generated HTML pages.

Every sentence here is our own: template sentences about minerals trade with slots, and filler made of
common English words plus a Zipf-distributed tail of made-up words (English) or a Zipf-distributed pool
of Han characters (Chinese), so the full-text index grows the way a real vocabulary makes it grow.

Planted search terms (fixed rates, independent of language, so a search matches a known share):
"""
import json
import math
import random
from bisect import bisect
from itertools import accumulate
from pathlib import Path

# term -> share of articles that contain it
PLANTED = {
    "lanthanide": 0.01,   # English, ~1 %
    "stockpile": 0.30,    # English, ~30 %
    "钨砂": 0.01,          # Chinese 2-character word, ~1 %
    "储备": 0.30,          # Chinese 2-character word, ~30 %
}
RARE_EN, COMMON_EN, RARE_ZH, COMMON_ZH = PLANTED

COMMON_WORDS = (
    "the of and to in a that for on is said with as by was it at from will be has have are its which "
    "not this an their but after more than also about over would new had were been they who into could "
    "government trade ministers officials talks market supply prices export imports deal agreement week "
    "year years last first two three percent per industry companies producers processing mining chain "
    "security talks partners countries policy plan plans meeting minister state capital billion million "
    "investment projects bloc tariffs rules agency analysts report statement spokesperson between under "
    "while before during since against other some such most many these those when where how what may "
    "should must can could between including through across national global regional foreign domestic"
).split()

MINERALS_EN = ["lithium", "cobalt", "nickel", "graphite", "gallium", "germanium", "manganese", "copper",
               "antimony", "rare-earth magnets", "vanadium", "platinum"]
MINERALS_ZH = ["锂", "钴", "镍", "石墨", "镓", "锗", "锰", "铜", "锑", "稀土磁体", "钒", "铂"]

# claim templates: (claim_type, attribution_mode, English, Chinese)
CLAIM_TEMPLATES = [
    ("statistic", "indirect_speech",
     "{speaker} said {country} accounts for about {pct} % of global {mineral} refining.",
     "{speaker}表示，{country}约占全球{mineral}精炼产能的{pct}%。"),
    ("quote", "direct_quote",
     "\u201cWe will not sell {mineral} below {amount} dollars a tonne,\u201d {speaker} told reporters.",
     "{speaker}对记者说：\u201c我们不会以低于每吨{amount}美元的价格出售{mineral}。\u201d"),
    ("commitment", "indirect_speech",
     "{speaker} pledged {amount} million dollars for new {mineral} projects in {country}.",
     "{speaker}承诺为{country}新的{mineral}项目提供{amount}百万美元。"),
    ("statistic", "secondhand_outlet",
     "According to {outlet}, {country} supplied {pct} % of the {mineral} shipped last year.",
     "据{outlet}报道，{country}去年供应了{pct}%的{mineral}出货量。"),
    ("statement", "asserted",
     "{country} plans to cut {mineral} export quotas by {pct} % next year.",
     "{country}计划明年将{mineral}出口配额削减{pct}%。"),
]

_SYLLABLES = ("ka ri to ve lan mor sel dun pra qui tesh ol ba ner vik sa lo mu dra fen gor hal ist "
              "cor pel wen zo tra un bel mik os ran tor av ep").split()
_FORBIDDEN = {RARE_EN, COMMON_EN}
_ZH_FORBIDDEN = set(RARE_ZH + COMMON_ZH)

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data" / "countries.json"
# the countries news mentions most, most frequent first (the rest of the gazetteer forms a thin tail)
FREQUENT = ("CN US JP KR AU IN EU DE FR GB CA ID CL AR BR MX ZA CD RU PH VN MY TH SA AE TR IT ES NL PL "
            "SE FI NO KZ MN PE BO ZM ZW NA MA EG NG KE TZ UA PK BD NZ SG").split()


def _zipf_cum(n, s=1.0, offset=1.0):
    return list(accumulate(1.0 / (k + offset) ** s for k in range(n)))


class TextGen:
    """One generator per process; `seed` makes the archive reproducible."""

    def __init__(self, seed=1, outlets=200, lexicon=60000, months=60):
        self.rng = random.Random(seed)
        self.months = months
        rng = random.Random(seed + 1)
        tail = set()
        while len(tail) < lexicon:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            if word not in _FORBIDDEN and word not in COMMON_WORDS:
                tail.add(word)
        self.words = COMMON_WORDS + sorted(tail)
        rng.shuffle(self.words[len(COMMON_WORDS):])
        self.word_cum = _zipf_cum(len(self.words), 1.05, 2.0)
        # GB2312 level 1: the 3755 most common characters (and all of them encodable as GBK)
        han = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF)
               if not (hi == 0xD7 and lo > 0xF9)]
        han = [c for c in han if c not in _ZH_FORBIDDEN]
        rng.shuffle(han)
        self.han = han
        self.han_cum = _zipf_cum(len(self.han), 1.0, 5.0)
        countries = {c["code"]: c for c in json.loads(DATA.read_text(encoding="utf-8"))["countries"]}
        codes = [c for c in FREQUENT if c in countries] + sorted(set(countries) - set(FREQUENT))
        self.countries = [countries[c] for c in codes]
        self.country_cum = _zipf_cum(len(codes), 1.2, 1.5)
        self.outlets = [
            {"sitename": f"{self._name(rng)} {rng.choice(['Times', 'Herald', 'Post', 'Wire', 'Daily', 'Review', 'News', 'Monitor'])}",
             "hostname": f"outlet{i:03d}.example"}
            for i in range(outlets)
        ]
        self.outlet_cum = _zipf_cum(outlets, 0.9, 3.0)
        self.speakers = [f"{rng.choice(['Minister', 'Secretary', 'Director', 'Ambassador', 'Analyst'])} "
                         f"{self._name(rng)} {self._name(rng)}" for _ in range(400)]
        self.zh_speakers = ["".join(rng.choices(self.han[:300], k=rng.choice((2, 3)))) + "部长" for _ in range(400)]

    @staticmethod
    def _name(rng):
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()

    # --- pieces ------------------------------------------------------------------------------------------
    def pick(self, items, cum):
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def poisson(self, lam):
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def en_sentence(self, n=None):
        n = n or self.rng.randint(8, 26)
        words = self.rng.choices(self.words, cum_weights=self.word_cum, k=n)
        return " ".join(words).capitalize() + "."

    def zh_sentence(self, n=None):
        n = n or self.rng.randint(12, 40)
        chars = self.rng.choices(self.han, cum_weights=self.han_cum, k=n)
        if n > 16:
            chars.insert(self.rng.randint(6, n - 6), "，")
        return "".join(chars) + "。"

    def claim_sentence(self, key, lang):
        "The same key always gives the same claim (so mentions of one claim can be traced)."
        r = random.Random(key * 7919 + 17)
        ctype, mode, en, zh = CLAIM_TEMPLATES[key % len(CLAIM_TEMPLATES)]
        country = self.countries[min(int(r.paretovariate(1.2)) - 1, 60)]
        slots = {"pct": r.randint(5, 95), "amount": r.randint(2, 900), "outlet": self.outlets[r.randrange(200)]["sitename"]}
        speaker_index = r.randrange(len(self.speakers))
        mineral_index = r.randrange(len(MINERALS_EN))
        if lang == "zh":
            speaker = self.zh_speakers[speaker_index]
            text = zh.format(speaker=speaker, country=country["name_zh"], mineral=MINERALS_ZH[mineral_index], **slots)
        else:
            speaker = self.speakers[speaker_index]
            text = en.format(speaker=speaker, country=country["name_en"], mineral=MINERALS_EN[mineral_index], **slots)
        quantity = {"text": f"{slots['pct']} %", "value": slots["pct"], "unit": "%", "scale": None, "op": None,
                    "from": None, "to": None}
        speaker = None if mode == "asserted" else speaker
        return {"sentence": text, "segment": "main", "claim_type": ctype, "attribution_mode": mode,
                "speaker": speaker, "speaker_text": speaker, "verification_status": "none",
                "chain": [speaker] if speaker else [], "country": country["code"],
                "quantities": [quantity] if ctype == "statistic" else [], "extractor": "bench", "confidence": 0.8}

    def country_sentence(self, country, lang):
        if lang == "zh":
            name = country["name_zh"] or country["name_en"]
            return f"{name}代表团出席了本周的会谈。", name
        name = country["name_en"]
        return f"Officials from {name} attended the talks this week.", name

    # --- an article --------------------------------------------------------------------------------------
    def article(self, n_claims_pool=1000, initiatives=()):
        """A dict: language, words, title, text, planted terms, claims, country mentions, participation."""
        rng = self.rng
        lang = "zh" if rng.random() < 0.20 else "en"
        words = max(60, min(8000, int(math.exp(rng.gauss(math.log(600), 0.6)))))
        sentence = self.zh_sentence if lang == "zh" else self.en_sentence
        # a Chinese article of N "words" has about 1.7 N characters; 26 per sentence on average
        n_sentences = max(4, int(words * 1.7 / 26) if lang == "zh" else words // 17)
        body = [sentence() for _ in range(n_sentences)]
        specials = []  # (kind, payload, sentence)
        for term, share in PLANTED.items():
            if rng.random() < share:
                specials.append(("term", term, self._term_sentence(term, lang)))
        claims_here = []
        for _ in range(self.poisson(3.0)):
            key = self.pick(range(n_claims_pool), self._claim_cum(n_claims_pool))
            claim = self.claim_sentence(key, lang)
            claim["key"] = key
            claims_here.append(claim)
            specials.append(("claim", claim, claim["sentence"]))
        for _ in range(self.poisson(4.0)):
            country = self.pick(self.countries, self.country_cum)
            text, surface = self.country_sentence(country, lang)
            specials.append(("country", (country["code"], surface), text))
        if initiatives and rng.random() < 0.05:
            initiative = rng.choice(initiatives)
            for country in rng.sample(self.countries[:60], rng.randint(3, 8)):
                role = rng.choice(("member", "member", "participant", "signatory", "host", "chair"))
                text = (f"{country['name_zh'] or country['name_en']}以{role}身份加入{initiative['name']}。" if lang == "zh"
                        else f"{country['name_en']} joined {initiative['name']} as a {role}.")
                specials.append(("participation", (initiative["id"], country["code"], role), text))
        for item in specials:
            body.insert(rng.randint(0, len(body)), item)
        title = (self.zh_sentence(rng.randint(10, 22)).rstrip("。") if lang == "zh"
                 else self.en_sentence(rng.randint(5, 11)).rstrip("."))
        # join into paragraphs of 2-6 sentences, recording offsets of the special sentences
        parts, offset, claims, mentions, found, terms = [], 0, [], [], [], []
        joiner = "" if lang == "zh" else " "
        paragraph_left = rng.randint(2, 6)
        for i, item in enumerate(body):
            if i:
                sep = "\n\n" if paragraph_left == 0 else joiner
                if paragraph_left == 0:
                    paragraph_left = rng.randint(2, 6)
                parts.append(sep)
                offset += len(sep)
            paragraph_left -= 1
            text = item[2] if isinstance(item, tuple) else item
            start, end = offset, offset + len(text)
            if isinstance(item, tuple):
                kind, payload = item[0], item[1]
                if kind == "term":
                    terms.append(payload)
                elif kind == "claim":
                    claims.append({**payload, "char_start": start, "char_end": end, "lang": lang})
                elif kind == "country":
                    code, surface = payload
                    at = text.index(surface)
                    mentions.append({"country": code, "surface": surface, "char_start": start + at,
                                     "char_end": start + at + len(surface), "kind": "name", "reading": "government"})
                else:
                    initiative_id, code, role = payload
                    found.append({"initiative": initiative_id, "country": code, "role": role,
                                  "status": "announced", "evidence": text, "char_start": start, "char_end": end,
                                  "method": "bench", "confidence": 0.9})
            parts.append(text)
            offset = end
        text = "".join(parts)
        claimed = {}
        if found and rng.random() < 0.3:
            claimed[found[0]["initiative"]] = rng.randint(40, 60)
        return {
            "language": lang, "title": title, "text": text,
            "word_count": words, "terms": terms, "claims": claims, "country_mentions": mentions,
            "countries": sorted({m["country"] for m in mentions}), "participation": found, "claimed": claimed,
        }

    def _claim_cum(self, n):
        cached = getattr(self, "_claim_cache", None)
        if not cached or cached[0] != n:
            # the most repeated claim gets about 1 % of all mentions at 100k claims
            self._claim_cache = (n, _zipf_cum(n, 1.0, 10.0))
        return self._claim_cache[1]

    def _term_sentence(self, term, lang):
        if lang == "zh":
            if term in (RARE_ZH, COMMON_ZH):
                return f"分析人士说，{term}的供应仍然{''.join(self.rng.choices(self.han[:200], k=6))}。"
            return f"官员提到了{term}（英文原词）这一说法。"
        if term in (RARE_EN, COMMON_EN):
            return f"Analysts said the {term} question would return at the next meeting of the bloc."
        # a Chinese passage inside an English article, as aggregators quote them
        return f"A statement in Chinese read: \u201c各方将讨论{term}问题。\u201d"

    def outlet(self):
        return self.pick(self.outlets, self.outlet_cum)

    def date(self, start_days=0, span_days=None):
        "An ISO date over the generator's months (five years by default) ending in February 2026."
        import datetime

        # the window always ends with February 2026, so archives of fewer months hold its newest months
        first = 2026 * 12 + 2 - self.months  # months since year 0 of March 2021 for months=60
        base = datetime.date(first // 12, first % 12 + 1, 1)
        # five years stay 5 * 365 days, as before --months: the same seed still builds the same archive
        span = span_days or (5 * 365 if self.months == 60 else (datetime.date(2026, 3, 1) - base).days)
        day = base + datetime.timedelta(days=start_days + self.rng.randrange(span))
        return day.isoformat()
