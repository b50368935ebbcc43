"""Offline language identification of extracted text.

Chinese, Japanese and Korean are told apart by script (Han, kana, hangul), which is exact and free; other
text goes to py3langid, whose model ships with the package. Text is weighed the way word_count counts it:
a CJK character weighs one, like a word elsewhere, so a page half English and half Chinese reads as both.
"""
import os
import re
import shutil
import threading
from functools import lru_cache

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
_HAN_RE = re.compile(f"[{_HAN}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")
_CJK_RE = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]")
# a word outside CJK scripts: a run of letters (digits alone say nothing about language)
_WORD_RE = re.compile(rf"[^\W\d_{_HAN}{_KANA}{_HANGUL}]+")

# below these a guess is noise: a line of a few words, a second language of a name or two
_MIN_WORDS = 3
_MIN_SHARE = 0.10
_MIN_UNITS = 12
_PARAGRAPH_WORDS = 20
_PARAGRAPH_CONFIDENCE = 0.9
_KANA_SHARE = 0.05
# Which language a page is mostly in compares amounts of text: a Chinese or Japanese word averages about 1.6
# characters, so a character weighs less than a space-separated word here (word_count still counts one each)
_CJK_CHARS_PER_WORD = 1.6
_MAIN_SAMPLE_CHARS = 1500
_PARAGRAPH_SAMPLE_CHARS = 300
_MAX_PARAGRAPHS = 4
# py3langid labels that are not a language a reader would filter by ("no linguistic content")
_NOT_LANGUAGES = frozenset(("zxx",))


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier, loaded once per process. Its model ships LZMA-compressed, and inflating it is
    most of the load (about 0.6 s of processor time, in every ingest process and worker); the first load on a
    machine keeps the inflated model in the cache folder (about 70 MB, see cache_dir), later ones read it in
    about 0.1 s. The identifier is built from the same arrays either way; any trouble with the cache, or a
    py3langid whose model layout this does not know, and py3langid loads its own file as before."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        return _cached_identifier(LanguageIdentifier, MODEL_DIR / MODEL_FILE)
    except Exception:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _cached_identifier(cls, model_file):
    """cls built as LanguageIdentifier.from_model_file builds it (py3langid.modelio.load_model's arrays and
    conversions), from the inflated copy of model_file in the cache folder, written there the first time."""
    import lzma

    import numpy as np
    from py3langid.modelio import _to_array

    from ..claims.embed import cache_dir  # one cache folder for the models (NEWSTRACE_CACHE_DIR, XDG_CACHE_HOME)

    folder = cache_dir()
    if folder is None:
        raise LookupError("cache turned off")
    st = model_file.stat()
    # the model file's size and time name the entry: a reinstalled package gets a new one
    path = folder / f"py3langid-{st.st_size}.{st.st_mtime_ns}-model.npz"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with lzma.open(model_file) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, length=1 << 20)
            os.replace(tmp, path)  # a reader never sees half a file, two writers do not clash
        finally:
            tmp.unlink(missing_ok=True)
    with np.load(path, allow_pickle=False) as data:
        ptc, pc, classes = data["ptc"], data["pc"], data["classes"].tolist()
        nextmove, row = _to_array(data["nextmove"]), _to_array(data["nextmove_row"])
        output = data["out_feat"].tolist()
    return cls(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row)


def _cjk_language(han, kana, hangul):
    if hangul > han + kana:
        return "ko"
    if kana and kana >= _KANA_SHARE * (han + kana):
        return "ja"
    return "zh"


def _weights(text):
    """{language: weight} for a text: CJK lines by script, the rest by py3langid."""
    weights = {}
    other_lines = []
    for line in text.splitlines():
        # most lines have no CJK at all: a whitespace split counts their words closely enough, and cheaply
        cjk = 0 if line.isascii() else len(_CJK_RE.findall(line))
        words = len(_WORD_RE.findall(line)) if cjk else len(line.split())
        if not cjk and not words:
            continue
        if cjk >= words:
            lang = _cjk_language(len(_HAN_RE.findall(line)), len(_KANA_RE.findall(line)),
                                 len(_HANGUL_RE.findall(line)))
            weights[lang] = weights.get(lang, 0) + cjk / _CJK_CHARS_PER_WORD + words
        else:
            other_lines.append((line, words + cjk))
    total_other = sum(w for _, w in other_lines)
    if total_other < _MIN_WORDS:
        return weights
    identifier = _identifier()
    # py3langid's cost grows with the text: a few thousand characters decide the main language as well as
    # the whole, and a paragraph's opening decides the paragraph
    main, _ = identifier.classify(_sample([line for line, _ in other_lines], _MAIN_SAMPLE_CHARS))
    long_lines = [i for i, (_, units) in enumerate(other_lines) if units >= _PARAGRAPH_WORDS]
    step = max(1, len(long_lines) // _MAX_PARAGRAPHS)
    checked = set(long_lines[::step])
    for i, (line, units) in enumerate(other_lines):
        lang = main
        if i in checked:
            guess, confidence = identifier.classify(line[:_PARAGRAPH_SAMPLE_CHARS])
            if guess != main and guess not in _NOT_LANGUAGES and confidence >= _PARAGRAPH_CONFIDENCE:
                lang = guess
        weights[lang] = weights.get(lang, 0) + units
    return weights


def _sample(lines, limit):
    "Lines spread over the whole text, up to about limit characters."
    total = sum(len(line) for line in lines)
    if total <= limit:
        return "\n".join(lines)
    step = total / limit
    picked, budget, seen = [], 0.0, 0
    for line in lines:
        seen += len(line)
        if seen >= budget:
            picked.append(line)
            budget += len(line) * step
    return "\n".join(picked)[: limit * 2]


def detect_languages(text):
    "Languages present in text, main one first (ISO 639-1 codes); [] when there is too little text."
    if not text:
        return []
    weights = _weights(text)
    total = sum(weights.values())
    if not total:
        return []
    ranked = sorted(weights.items(), key=lambda kv: kv[1], reverse=True)
    return [lang for i, (lang, units) in enumerate(ranked)
            if (i == 0 or (units >= _MIN_UNITS and units >= _MIN_SHARE * total)) and lang not in _NOT_LANGUAGES]


def detect_language(text):
    "The main language of text (ISO 639-1), or None."
    languages = detect_languages(text)
    return languages[0] if languages else None
