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
    py3langid whose model layout this does not know, and py3langid loads its own file as before.

    With the cache, the identifier also walks its automaton in NumPy rather than byte by byte in Python
    (_WindowedWalk: the same feature counts, hence the same answers, in about a fifth of the time)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        identifier = _cached_identifier(LanguageIdentifier, MODEL_DIR / MODEL_FILE)
    except Exception:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    try:
        return _windowed(identifier, MODEL_DIR / MODEL_FILE)
    except Exception:
        return identifier


def _cached_identifier(cls, model_file):
    """cls built as LanguageIdentifier.from_model_file builds it (py3langid.modelio.load_model's arrays and
    conversions), from the inflated copy of model_file in the cache folder, written there the first time."""
    import lzma

    import numpy as np
    from py3langid.modelio import _to_array

    from ..cache import cache_dir  # one cache folder for the models (NEWSTRACE_CACHE_DIR, XDG_CACHE_HOME)

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
    # each array also kept as its own .npy, mapped rather than read: reading the .npz's 67 MB cost about 0.2 s of
    # processor time in every process, and the float16 table is mostly unused once _windowed has its float32 copy
    arrays = {}
    for name in _MODEL_ARRAYS:
        def split(tmp, name=name):
            with np.load(path, allow_pickle=False) as data, open(tmp, "wb") as fh:
                np.save(fh, data[name], allow_pickle=False)
        arrays[name] = np.load(_cached(path.with_name(f"{path.stem}-{name}.npy"), split), mmap_mode="r",
                               allow_pickle=False).view(np.ndarray)
    ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"].tolist()
    nextmove, row = _to_array(arrays["nextmove"]), _to_array(arrays["nextmove_row"])
    output = arrays["out_feat"].tolist()
    return cls(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


# the arrays of py3langid's model file (modelio.load_model)
_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


# checked against py3langid's own walk on these before the faster walk is used (besides the proof in _window)
_SELF_CHECK = ("The government is reviewing new export rules for critical minerals.",
               "Die Bundesregierung prüft neue Exportregeln für kritische Rohstoffe.", "Правительство изучает правила.",
               "政府正在审查关键矿产的新出口规则。", "12 34", "a", "")


def _window(nextmove, rowbase, max_k=16, chunk=4096):
    """The number of last bytes that decide the automaton's state, or None past max_k: the least K for which
    every state, fed any K bytes, ends where state 0 fed the same K bytes ends. Proven over all pairs of states
    the automaton can be in after 1, 2, ... K bytes (pairs that agree drop out), not assumed from its depth."""
    import numpy as np

    n = len(rowbase)
    cols = np.arange(256, dtype=np.int64)
    a, c = np.arange(1, n, dtype=np.int64), np.zeros(n - 1, dtype=np.int64)
    for k in range(1, max_k + 1):
        kept = []
        for lo in range(0, len(a), chunk):  # in chunks: all pairs at once would take a gigabyte
            x = nextmove[(rowbase[a[lo:lo + chunk]][:, None] + cols).ravel()].astype(np.int64)
            y = nextmove[(rowbase[c[lo:lo + chunk]][:, None] + cols).ravel()].astype(np.int64)
            differ = x != y
            kept.append(np.unique(x[differ] * n + y[differ]))
        pairs = np.unique(np.concatenate(kept))
        if not len(pairs):
            return k
        a, c = pairs // n, pairs % n
    return None


def _cached(path, write):
    "Write path once (write(tmp) fills a temporary file beside it, renamed into place: readers never see half)."
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            write(tmp)
            os.replace(tmp, path)  # two writers do not clash
        finally:
            tmp.unlink(missing_ok=True)
    return path


def _windowed(identifier, model_file):
    """identifier as _WindowedWalk, when its automaton forgets all but its last K bytes (proven once per model)
    and the result gives py3langid's own answers on _SELF_CHECK; otherwise identifier as it is. Both things it
    needs are kept in the cache folder beside the inflated model: K, and the model's float16 table widened
    to float32 (about 57 MB, mapped from the file: processes share it, and only the rows used are read)."""
    import json

    import numpy as np
    from py3langid import langid

    from ..cache import cache_dir

    folder = cache_dir()
    if folder is None or not hasattr(identifier, "_sparse_score") or not hasattr(langid, "visit_counts"):
        return identifier
    nextmove = np.frombuffer(identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode))
    rowbase = np.asarray(identifier._rowbase, dtype=np.int64)
    st = model_file.stat()
    stamp = f"py3langid-{st.st_size}.{st.st_mtime_ns}"
    # about a second, once per model
    path = _cached(folder / f"{stamp}-window.json",
                   lambda tmp: tmp.write_text(json.dumps({"window": _window(nextmove, rowbase)})))
    window = json.loads(path.read_text())["window"]
    if not isinstance(window, int) or window < 1:
        return identifier

    def widen(tmp):
        with open(tmp, "wb") as fh:
            np.save(fh, np.asarray(identifier.nb_ptc, dtype=np.float32))
    table = np.load(_cached(folder / f"{stamp}-ptc-float32.npy", widen), mmap_mode="r")
    if table.shape != identifier.nb_ptc.shape or table.dtype != np.float32:
        return identifier
    table = table.view(np.ndarray)  # the same mapped memory, without np.memmap's indexing in Python
    # the same arrays (not copies), as _cached_identifier builds it
    walked = _walk_class(type(identifier))(identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes,
                                           identifier.tk_nextmove, identifier.tk_output, norm_probs=True,
                                           tk_row=identifier.tk_row)
    walked._walk = (nextmove, rowbase, np.asarray(identifier.tk_output, dtype=np.int64), window, table)
    check = _SELF_CHECK + (" ".join(_SELF_CHECK) * 3,)  # and one long enough for the NumPy walk
    if [walked.classify(s) for s in check] != [identifier.classify(s) for s in check]:
        return identifier
    return walked


# below this many bytes py3langid's own walk is the faster (measured: about even at 500 bytes)
_NUMPY_WALK_BYTES = 512


@lru_cache(maxsize=None)
def _walk_class(base):
    import numpy as np
    from py3langid import langid

    class _WindowedWalk(base):
        """py3langid's identifier, faster, with the same answers to the bit. Where py3langid's time goes:
        walking its byte automaton one byte at a time in Python, and widening the float16 rows of the features
        found to float32 inside the product (the widening, not the product, is most of the scoring).
        Here, when the state after any byte depends only on the last K bytes (_window), every position's state
        of a text of some length is K gathers over the whole text at once; and the rows are read from a float32
        copy of the table.
        The features and counts go to py3langid's own scoring in the order its Counter would hold them
        (first seen first), and float16 widens to float32 exactly, so the sums are the same, in the same order."""

        def _raw_score(self, text):
            nextmove, rowbase, output, window, table = self._walk
            data = np.frombuffer(text, dtype=np.uint8) if isinstance(text, bytes) else None
            if data is None or not len(data) or self.nb_ptc is not self._full_model[0]:
                return super()._raw_score(text)  # (set_languages narrows the table: py3langid's own way)
            n = len(data)
            if n < _NUMPY_WALK_BYTES:
                # a short text: NumPy's fixed cost per call exceeds py3langid's own walk (its counts, as they are)
                visits = langid.visit_counts(self.tk_nextmove, self._rowbase, self.tk_output, text)
                return self._sparse_score(visits, table) if visits else super()._raw_score(text)
            states = np.zeros(n, dtype=np.int64)
            # position i reads bytes i-K+1 .. i from state 0 (those that exist): pass d feeds byte i-d
            for d in range(min(window, n) - 1, -1, -1):
                states[d:] = nextmove[rowbase[states[d:]] + data[:n - d]]
            features = output[states]
            features = features[features >= 0]
            if not len(features):
                return super()._raw_score(text)  # no features: py3langid's own fill
            # distinct features in order of first sight, with their counts (np.unique's steps, kept in order)
            order = np.argsort(features, kind="stable")
            ranked = features[order]
            new = np.empty(len(ranked), dtype=bool)
            new[0] = True
            np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
            starts = np.flatnonzero(new)
            counts = np.diff(np.append(starts, len(ranked)))
            seen = np.argsort(order[starts], kind="stable")
            visits = dict(zip(ranked[starts][seen].tolist(), counts[seen].tolist()))
            return self._sparse_score(visits, table)

    return _WindowedWalk


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
